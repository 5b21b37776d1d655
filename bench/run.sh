#!/usr/bin/env bash
# Every benchmark, one after another, each printing its own table, then one summary table with each result beside the
# ceiling measured in the same run (so a noisy machine shows as a low ceiling, not as a regression). Not part of the
# test suite. BENCH_SKIP_BUILD=1 reuses the last Release build after the first benchmark has built it.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
summary=$(mktemp /tmp/learnhub-bench-summary.XXXXXX)
trap 'rm -f "$summary"' EXIT
export BENCH_SUMMARY=$summary
status=0
# The platform twice: on a fresh database, and over a grown programme (a million registrations).
bash "$dir/platform.sh" || status=$?
BENCH_SKIP_BUILD=1 BENCH_GROWTH=1 bash "$dir/platform.sh" || status=$?
for bench in reminder-fanout sanitizer mentoring-scale sign-in-timing; do
  bash "$dir/$bench.sh" || status=$?
done
echo
echo "## Summary — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average now $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo
echo "| benchmark | result | target | ceiling (same run) | ratio | peak memory |"
echo "|---|---|---|---|---:|---|"
cat "$summary"
exit "$status"
