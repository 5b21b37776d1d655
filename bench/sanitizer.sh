#!/usr/bin/env bash
# Rich-text sanitizer timing: RichTextPolicy on realistic 1 KB, 10 KB and 100 KB descriptions, p50/p95 per call.
# Target: p95 under 25 ms for 100 KB of HTML. Prints a markdown table; exits 1 when the target is missed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 UseSharedCompilation=false DOTNET_NOLOGO=1
dotnet build "$root/bench/LearnHub.SanitizerBench" -c Release -v quiet -nologo >/dev/null
echo "## Rich-text sanitizer ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
dotnet "$root/bench/LearnHub.SanitizerBench/bin/Release/net10.0/LearnHub.SanitizerBench.dll"
