#!/usr/bin/env bash
# Sign-in timing: does how long a sign-in answer takes tell whether an email has an account? (Not part of the test
# suite: the tests check that the answers are the same byte for byte; this measures their time.)
#
#   bash bench/sign-in-timing.sh   (bash bench/run.sh runs every benchmark)
#
# Starts LearnHub.Web as a real process on SQLite with 127.0.0.1 as its known proxy, so bench/LearnHub.SignInBench can
# give each email's attempts a client address of its own (X-Forwarded-For) and only the per-email throttle is in play.
# For BENCH_EMAILS existing and as many unknown emails it times, interleaved: five wrong passwords (checked), three more
# (waiting, not checked) and three emailed-link requests. Prints medians, p90s and the ratio existing ÷ unknown per stage;
# target: every ratio within 0.90-1.10. With BENCH_SUMMARY set, appends a line for bench/run.sh's summary.
#
# Knobs: BENCH_EMAILS (60), BENCH_SKIP_BUILD=1. Exit code: 0 when every answer was the expected one (whatever the
# ratios: the table says), 1 on a setup failure, 2 when an answer was not.
set -euo pipefail
export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EMAILS=${BENCH_EMAILS:-60}
WORK=$(mktemp -d /tmp/learnhub-signin.XXXXXX)
WEB_PID=""
LOAD_BEFORE=$(cut -d " " -f 1-3 /proc/loadavg)

cleanup() {
  local rc=$?
  trap - EXIT
  if [[ -n $WEB_PID ]] && kill -0 "$WEB_PID" 2>/dev/null; then kill "$WEB_PID" 2>/dev/null || true; wait "$WEB_PID" 2>/dev/null || true; fi
  [[ $rc -eq 0 || $rc -eq 2 ]] || { echo "---- last lines of web.log ----" >&2; tail -n 30 "$WORK/web.log" >&2 || true; }
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  echo "[sign-in] building Release" >&2
  dotnet build "$ROOT/src/Web" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi
dotnet build "$ROOT/bench/LearnHub.SignInBench" -c Release -nologo -v q -clp:ErrorsOnly >&2
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
export LearnHub__DataDirectory="$WORK/data" LearnHub__SeedDemoData=false Logging__LogLevel__Default=Warning
export LearnHub__Http__KnownProxies__0=127.0.0.1 LearnHub__RateLimits__SignInPerMinute=1000000

(cd "$WORK" && exec dotnet "$ROOT/src/Web/bin/Release/net10.0/LearnHub.Web.dll" --urls "$URL") >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$URL/health" 2>/dev/null && break
  kill -0 "$WEB_PID" 2>/dev/null || { echo "LearnHub.Web exited during start-up" >&2; exit 1; }
  sleep 0.25
done

set +e
(cd "$WORK" && dotnet "$ROOT/bench/LearnHub.SignInBench/bin/Release/net10.0/LearnHub.SignInBench.dll" "$URL" "$EMAILS") >"$WORK/result.txt"
STATUS=$?
set -e
[[ $STATUS -eq 0 || $STATUS -eq 2 ]] || { cat "$WORK/result.txt" >&2; exit 1; }
PEAK=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$WEB_PID/status")

echo
echo "## Sign-in timing, existing ÷ unknown email — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before $LOAD_BEFORE"
echo
echo "| stage | requests each | existing p50 / p90 | unknown p50 / p90 | existing ÷ unknown (p50) | target |"
echo "|---|---:|---:|---:|---:|---|"
WORST=1
SUMMARY=""
while IFS='=' read -r key value; do
  [[ $key == stage* ]] || continue
  IFS=';' read -r name count kp50 kp90 up50 up90 ratio <<<"$value"
  verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.90 && r <= 1.10) ? "met" : "**missed**" }')
  echo "| $name | $count | $kp50 / $kp90 ms | $up50 / $up90 ms | $ratio | 0.90–1.10, $verdict |"
  WORST=$(awk -v w="$WORST" -v r="$ratio" 'BEGIN { d = (r > 1 ? r - 1 : 1 - r); dw = (w > 1 ? w - 1 : 1 - w); print (d > dw) ? r : w }')
  SUMMARY="$SUMMARY${SUMMARY:+; }${name%% (*} $ratio"
done <"$WORK/result.txt"
echo "| answers other than expected | $(awk -F= '/^wrong_answers=/ { print $2 }' "$WORK/result.txt") | | | | 0 |"
echo "| web process peak memory (VmHWM) | $PEAK MiB | | | | |"
if [[ -n ${BENCH_SUMMARY:-} ]]; then
  echo "| sign-in timing, existing ÷ unknown email, $EMAILS each | $SUMMARY | each 0.90–1.10 | — (a ratio of two measured sides) | $WORST | web $PEAK MiB |" >>"$BENCH_SUMMARY"
fi
exit "$STATUS"
