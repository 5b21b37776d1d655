#!/usr/bin/env bash
# Mentoring at scale (not part of the test suite): 10,000 mentorships assigned through MentoringStore.AssignAsync
# (1,000 mentors x 10 mentees, parallel clients), then one day's due follow-ups processed by FollowUpScheduler, on a
# throwaway PostgreSQL cluster. Prints a markdown table.
#
#   bash bench/mentoring-scale.sh   (BENCH_MENTORS=1000, BENCH_MENTEES_PER_MENTOR=10, BENCH_CLIENTS=16,
#                                    BENCH_SKIP_BUILD=1 to reuse the Release build)
set -euo pipefail
export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
CLIENTS=${BENCH_CLIENTS:-16}
WORK=$(mktemp -d /tmp/learnhub-mentoring.XXXXXX)
chmod 755 "$WORK"
log() { printf '[mentoring] %s\n' "$*" >&2; }
cleanup() {
  [[ -f $WORK/pg/data/postmaster.pid ]] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building bench/LearnHub.MentoringBench (Release)"
  dotnet build "$ROOT/bench/LearnHub.MentoringBench" -c Release -nologo -v q -clp:ErrorsOnly >&2
fi
# Run a copy: the test suite rebuilds the same Release output, and assemblies overwritten under a process can crash it.
mkdir -p "$WORK/bin"
cp -a "$ROOT/bench/LearnHub.MentoringBench/bin/Release/net10.0" "$WORK/bin/bench"

mkdir -p "$WORK/pg" && chown postgres "$WORK/pg"
PGPORT=$(free_port)
runuser -u postgres -- "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres --auth-local=trust --auth-host=trust -E UTF8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK/pg -c max_connections=200" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres learnhub

export DOTNET_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export LearnHub__Database__Provider=PostgreSql
# Production on PostgreSQL needs the key that encrypts the stored data-protection keys; a fresh one per run.
export LearnHub__DataProtection__Key=$(head -c 32 /dev/urandom | base64)
export LearnHub__Database__ConnectionString="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=learnhub;Maximum Pool Size=$((CLIENTS + 4))"
export LearnHub__DataDirectory=$WORK/data LearnHub__SeedDemoData=false
export LearnHub__Mail__From="LearnHub <training@learnhub.example>"

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
dotnet "$WORK/bin/bench/LearnHub.MentoringBench.dll" >"$WORK/results.txt" || status=$?
# Ceiling, on the same server in the same run: PostgreSQL writing as many rows as the due day creates (10,000 follow-ups
# and 10,000 outbox messages) in one statement, with nothing to decide. The due day's time over this is what the
# scheduler's claiming, rules and batching cost on top of the bare writes.
CEILING_ROWS=$(( ${BENCH_MENTEES:-10000} * 2 ))
CEILING_S=$("$PGBIN/psql" -XAtq -h 127.0.0.1 -p "$PGPORT" -U postgres -d learnhub <<SQL | tail -n 1
CREATE TEMP TABLE ceiling (id BIGINT PRIMARY KEY, key TEXT NOT NULL, payload TEXT NOT NULL, due TIMESTAMPTZ NOT NULL);
SELECT clock_timestamp() AS t0 \gset
INSERT INTO ceiling SELECT g, md5(g::text), repeat('x', 200), now() + g * interval '1 second' FROM generate_series(1, $CEILING_ROWS) g;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 3);
SQL
)
if [[ ! -s $WORK/results.txt ]]; then
  log "the benchmark printed nothing (exit $status)"
  exit 1
fi
declare -A R
while IFS='=' read -r key value; do R[$key]=$value; done <"$WORK/results.txt"
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v + 0 < t) ? "met" : "**missed**" }'; }

echo
echo "## Mentoring at scale — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, PostgreSQL 15, load average before: $LOAD"
echo
echo "| measure | value | target | |"
echo "|---|---:|---:|---|"
echo "| mentorships assigned (${R[mentors]} mentors × $(( R[mentees] / R[mentors] )), ${R[clients]} clients) | ${R[assigned]} (refused ${R[refused]}) | ${R[mentees]} | |"
echo "| **assignment time** | **${R[assign_s]} s** (${R[assign_rate]}/s, p50 ${R[assign_p50_ms]} ms, p99 ${R[assign_p99_ms]} ms) | < 60 s | $(verdict "${R[assign_s]}" 60) |"
echo "| rows assignment created: mentorships / follow_ups / outbox | ${R[assign_mentorships]} / ${R[assign_follow_ups]} / ${R[assign_outbox]} | | |"
echo "| **one due day's processing** (one FollowUpScheduler run) | **${R[due_s]} s** | < 10 s | $(verdict "${R[due_s]}" 10) |"
echo "| follow-ups it planned / emails it sent | ${R[due_planned]} / ${R[due_alerts]} | | |"
echo "| rows it created: follow_ups / outbox | ${R[due_follow_ups]} / ${R[due_outbox]} | | |"
echo "| a second run straight after: time / rows created | ${R[again_s]} s / ${R[again_rows]} | 0 rows | |"
echo "| rows as expected | ${R[rows_ok]} | yes | |"
echo "| ceiling: PostgreSQL inserting $CEILING_ROWS rows in one statement | $CEILING_S s | | |"
RATIO=$(awk -v c="$CEILING_S" -v d="${R[due_s]}" 'BEGIN { printf "%.2f", c / d }')
echo "| **ceiling ÷ due day** | **$RATIO** | | |"
if [[ -n ${BENCH_SUMMARY:-} ]]; then
  echo "| mentoring: assign ${R[assigned]}, then one due day | assign ${R[assign_s]} s; due day ${R[due_s]} s | < 60 s; < 10 s | bare insert of $CEILING_ROWS rows ${CEILING_S} s | $RATIO | bench process ${R[peak_mib]:-n/a} MiB |" >>"$BENCH_SUMMARY"
fi
exit "$status"
