#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need (PostgreSQL, Chromium, the aiosmtpd SMTP
# server, axe-core), starts one throwaway PostgreSQL cluster for the run, runs every test project, and stops what it
# started.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

# No compiler or MSBuild server may outlive the run.
export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

pg_bin=/usr/lib/postgresql/15/bin
need=()
[ -x "$pg_bin/initdb" ] || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]} from Debian…"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

axe_version=4.14.1
if [ ! -f .tools/node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core $axe_version from npm…"
  mkdir -p .tools
  (cd .tools && npm install --no-audit --no-fund --silent "axe-core@$axe_version" >/dev/null)
fi

# One PostgreSQL cluster for the whole run; every test creates its own database in it.
work=$(mktemp -d /tmp/learnhub-test-XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg=(); [ "$(id -u)" -eq 0 ] && { chown postgres "$work"; as_pg=(runuser -u postgres --); }
cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -w -l "$work/postgres.log" \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $work -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" start >/dev/null
export LEARNHUB_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=false"
export LEARNHUB_AXE_PATH="$root/.tools/node_modules/axe-core/axe.min.js"

# A test that stops making progress fails the run after ten minutes, naming itself, instead of eating CI's budget.
set +e
dotnet test LearnHub.sln -c Release --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line that any CI can read.
passed=$(grep -Eo 'Passed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
