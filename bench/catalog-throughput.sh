#!/usr/bin/env bash
# Catalog-page benchmark (not part of the test suite).
#
#   bash bench/catalog-throughput.sh        (bash bench/run.sh runs every benchmark)
#
# Starts LearnHub.Web as a real process in its embedded default (SQLite, demo catalog seeded) and drives the catalog
# page (/) with wrk from BENCH_CONNECTIONS connections for BENCH_SECONDS, after a warm-up. The ceiling, measured in the
# same run the same way, is a static file (/robots.txt) served by the same process through the same middleware: what
# the framework does for a response that costs nothing to produce. Prints a markdown table; with BENCH_SUMMARY set,
# also appends one line to that file for bench/run.sh's summary.
#
# Knobs: BENCH_CONNECTIONS (64), BENCH_SECONDS (10), BENCH_THREADS (wrk threads, 2), BENCH_SKIP_BUILD=1.
set -euo pipefail
export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SECONDS_RUN=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
TARGET_RPS=5000
TARGET_P99_MS=25
WORK=$(mktemp -d /tmp/learnhub-catalog.XXXXXX)
WEB_PID=""
LOAD_BEFORE=$(cut -d " " -f 1-3 /proc/loadavg)

cleanup() {
  local rc=$?
  trap - EXIT
  if [[ -n $WEB_PID ]] && kill -0 "$WEB_PID" 2>/dev/null; then kill "$WEB_PID" 2>/dev/null || true; wait "$WEB_PID" 2>/dev/null || true; fi
  [[ $rc -eq 0 ]] || { echo "---- last lines of web.log ----" >&2; tail -n 30 "$WORK/web.log" >&2 || true; }
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  echo "[catalog] building Release" >&2
  dotnet build "$ROOT/src/Web" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi
WEB_DLL=$ROOT/src/Web/bin/Release/net10.0/LearnHub.Web.dll
PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT

(cd "$WORK" && exec env LearnHub__DataDirectory="$WORK/data" Logging__LogLevel__Default=Warning \
  dotnet "$WEB_DLL" --urls "$URL") >"$WORK/web.log" 2>&1 &
WEB_PID=$!
for _ in $(seq 1 240); do
  curl -fsS -o /dev/null "$URL/health" 2>/dev/null && break
  kill -0 "$WEB_PID" 2>/dev/null || { echo "LearnHub.Web exited during start-up" >&2; exit 1; }
  sleep 0.25
done
curl -fsS "$URL/" | grep -q "Mind the Gap" || { echo "the catalog page does not show the seeded series" >&2; exit 1; }

# wrk prints latency percentiles with units; normalise to milliseconds.
run_wrk() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_RUN}s" --latency "$1" >"$WORK/wrk.txt"
  local rps p99 non2xx
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$WORK/wrk.txt")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }; printf "%.2f", v }' "$WORK/wrk.txt")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' "$WORK/wrk.txt")
  echo "$rps $p99 ${non2xx:-0}"
}

wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$URL/" >/dev/null     # warm-up: JIT, caches, connection pools
read -r CAT_RPS CAT_P99 CAT_BAD < <(run_wrk "$URL/")
read -r STATIC_RPS STATIC_P99 STATIC_BAD < <(run_wrk "$URL/robots.txt")
PEAK=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$WEB_PID/status")
RATIO=$(awk -v a="$CAT_RPS" -v b="$STATIC_RPS" 'BEGIN { printf "%.2f", a / b }')
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "met" : "**missed**" }'; }

echo
echo "## Catalog page — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_RUN}s on the same machine"
echo
echo "| measure | value | target | |"
echo "|---|---:|---:|---|"
echo "| **catalog page (/) requests/s** | **$CAT_RPS** | ≥ $TARGET_RPS | $(verdict "$CAT_RPS" "$TARGET_RPS" ">=") |"
echo "| **catalog page p99** | **$CAT_P99 ms** | < $TARGET_P99_MS ms | $(verdict "$CAT_P99" "$TARGET_P99_MS" "<=") |"
echo "| catalog non-2xx answers | $CAT_BAD | 0 | |"
echo "| ceiling: static /robots.txt through the same pipeline | $STATIC_RPS/s, p99 $STATIC_P99 ms | | |"
echo "| **catalog ÷ ceiling** | **$RATIO** | | |"
echo "| web process peak memory (VmHWM) | $PEAK MiB | | |"
echo "| load average before the run | $LOAD_BEFORE | | |"
if [[ -n ${BENCH_SUMMARY:-} ]]; then
  echo "| catalog page, $CONNECTIONS connections | $CAT_RPS req/s, p99 $CAT_P99 ms | ≥ $TARGET_RPS/s, p99 < $TARGET_P99_MS ms | static file $STATIC_RPS req/s | $RATIO | web $PEAK MiB |" >>"$BENCH_SUMMARY"
fi
