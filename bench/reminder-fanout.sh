#!/usr/bin/env bash
# Reminder fan-out benchmark (not part of the test suite): 11,000 reminders for one session, fired by the silo's
# reminder job and delivered over SMTP to a local sink, on PostgreSQL. Also measures the sink's own rate (one Python
# client on one kept-open connection) as the ceiling, and prints a markdown table.
#
#   bash bench/reminder-fanout.sh          (BENCH_REMINDERS=11000, BENCH_SKIP_BUILD=1 to reuse the Release build)
set -euo pipefail
export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
COUNT=${BENCH_REMINDERS:-11000}
TARGET_RATE=300
WORK=$(mktemp -d /tmp/learnhub-fanout.XXXXXX)
chmod 755 "$WORK"
SILO_PID=""; SINK_PID=""
log() { printf '[fanout] %s\n' "$*" >&2; }
cleanup() {
  [[ -n $SILO_PID ]] && kill "$SILO_PID" 2>/dev/null || true
  [[ -n $SINK_PID ]] && kill "$SINK_PID" 2>/dev/null || true
  [[ -f $WORK/pg/data/postmaster.pid ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building src/Silo and bench/LearnHub.ReminderBench (Release)"
  dotnet build "$ROOT/src/Silo" -c Release -nologo -v q -clp:ErrorsOnly >&2
  dotnet build "$ROOT/bench/LearnHub.ReminderBench" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi
mkdir -p "$WORK/bin"
cp -a "$ROOT/src/Silo/bin/Release/net10.0" "$WORK/bin/silo"
cp -a "$ROOT/bench/LearnHub.ReminderBench/bin/Release/net10.0" "$WORK/bin/bench"

mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
PGPORT=$(free_port)
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK/pg -c max_connections=200" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres learnhub

SMTP_PORT=$(free_port)
/usr/bin/python3 "$ROOT/tests/tools/smtp_sink.py" --port "$SMTP_PORT" --discard >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
sleep 1

export DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export LearnHub__Database__Provider=PostgreSql
# Production on PostgreSQL needs the key that encrypts the stored data-protection keys; a fresh one per run.
export LearnHub__DataProtection__Key=$(head -c 32 /dev/urandom | base64)
export LearnHub__Database__ConnectionString="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=learnhub"
export LearnHub__DataDirectory=$WORK/data LearnHub__SeedDemoData=false
export LearnHub__Mail__Transport=Smtp LearnHub__Mail__Smtp__Host=127.0.0.1 LearnHub__Mail__Smtp__Port=$SMTP_PORT
export LearnHub__Mail__From="LearnHub <training@learnhub.example>"

log "seeding $COUNT confirmed registrants"
dotnet "$WORK/bin/bench/LearnHub.ReminderBench.dll" seed "$COUNT" >&2
log "starting a silo: it fires the due reminder at start and delivers"
dotnet "$WORK/bin/silo/LearnHub.Silo.dll" >"$WORK/silo.log" 2>&1 &
SILO_PID=$!
dotnet "$WORK/bin/bench/LearnHub.ReminderBench.dll" wait "$COUNT" >"$WORK/results.txt"
SILO_HWM=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$SILO_PID/status")
kill "$SILO_PID"; wait "$SILO_PID" 2>/dev/null || true; SILO_PID=""
declare -A R
while IFS='=' read -r key value; do R[$key]=$value; done <"$WORK/results.txt"

log "ceiling: the sink's own rate from one Python client on one connection"
CEILING=$(/usr/bin/python3 - "$SMTP_PORT" <<'PY'
import smtplib, sys, time
from email.message import EmailMessage
port = int(sys.argv[1]); n = 3000
m = EmailMessage(); m["From"] = "a@example.org"; m["To"] = "b@example.org"; m["Subject"] = "ceiling"; m.set_content("x" * 2000)
s = smtplib.SMTP("127.0.0.1", port); t = time.time()
for i in range(n): s.send_message(m)
s.quit(); print(f"{n / (time.time() - t):.1f}")
PY
)
VERDICT=$(awk -v r="${R[rate]}" -v t=$TARGET_RATE 'BEGIN { print (r + 0 >= t) ? "met" : "**missed**" }')
echo
echo "## Reminder fan-out — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, PostgreSQL, SMTP sink (aiosmtpd, discarding)"
echo
echo "| measure | value | target | |"
echo "|---|---:|---:|---|"
echo "| reminders sent (one session) | ${R[sent]} | $COUNT | |"
echo "| failed / duplicate rows | ${R[failed]} / ${R[duplicate_rows]} | 0 / 0 | |"
echo "| firing to last delivery | ${R[fired_to_last_sent_s]} s | < 40 s | |"
echo "| **messages/s** | **${R[rate]}** | ≥ $TARGET_RATE | $VERDICT |"
echo "| sink ceiling (one Python client, one connection) | $CEILING/s | | |"
echo "| ratio to ceiling | $(awk -v r="${R[rate]}" -v c="$CEILING" 'BEGIN { printf "%.2f", r / c }') | | |"
echo "| silo peak memory (VmHWM) | ${SILO_HWM} MiB | | |"
if [[ -n ${BENCH_SUMMARY:-} ]]; then
  echo "| reminder fan-out, ${R[sent]} to a local SMTP sink | ${R[rate]} msg/s, last delivery after ${R[fired_to_last_sent_s]} s | ≥ $TARGET_RATE msg/s, < 40 s | sink $CEILING msg/s | $(awk -v r="${R[rate]}" -v c="$CEILING" 'BEGIN { printf "%.2f", r / c }') | silo ${SILO_HWM} MiB |" >>"$BENCH_SUMMARY"
fi
