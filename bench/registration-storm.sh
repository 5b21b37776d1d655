#!/usr/bin/env bash
# Registration-storm benchmark (not part of the test suite).
#
#   bash bench/registration-storm.sh   (bash bench/run.sh runs every benchmark)
#
# Builds Release, starts a throwaway PostgreSQL cluster and LearnHub.Web as a real process, lets
# bench/LearnHub.Bench register BENCH_REGISTRANTS distinct people for one session of capacity 500 (the rest waitlisted)
# over HTTP from BENCH_CLIENTS concurrent clients, checks the roster in the database, then measures pgbench's
# simple-update tps on the same server as a ceiling, and prints a markdown table. Everything it starts it stops, and
# its temporary directory is removed, whatever happens.
#
# Knobs (environment): BENCH_REGISTRANTS (11000), BENCH_CLIENTS (64), BENCH_WARMUP (200), BENCH_POOL_SIZE (Npgsql
# Maximum Pool Size of the web process, 8: see README.md), BENCH_NPGSQL_EXTRA (appended to the connection string),
# BENCH_PG_OPTS (extra postgres -c settings), BENCH_PGBENCH_CLIENTS (64), BENCH_PGBENCH_SECONDS (10),
# BENCH_PGBENCH_SCALE (10), BENCH_SKIP_BUILD=1 (reuse the last Release build).
#
# Exit code: 0 when the roster is exact (no oversell, nothing lost or refused), whether or not the throughput and
# latency targets are met (the table says); 1 on a setup failure; 2 when the roster is wrong.
set -euo pipefail

export UseSharedCompilation=false MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
REGISTRANTS=${BENCH_REGISTRANTS:-11000}
CLIENTS=${BENCH_CLIENTS:-64}
CAPACITY=500
WARMUP=${BENCH_WARMUP:-200}
POOL_SIZE=${BENCH_POOL_SIZE:-8}
PGBENCH_CLIENTS=${BENCH_PGBENCH_CLIENTS:-64}
PGBENCH_SECONDS=${BENCH_PGBENCH_SECONDS:-10}
PGBENCH_SCALE=${BENCH_PGBENCH_SCALE:-10}
TARGET_RATE=1000
TARGET_P99_MS=100

WORK=$(mktemp -d /tmp/learnhub-bench.XXXXXX)
chmod 755 "$WORK" # the postgres user must reach its cluster inside
PGDATA_DIR=$WORK/pg/data
WEB_PID=""
BENCH_PID=""
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d " " -f 1-3 /proc/loadavg)

log() { printf '[bench %3ss] %s\n' "$(($(date +%s) - STARTED))" "$*" >&2; }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $BENCH_PID ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  if [[ -n $WEB_PID ]] && kill -0 "$WEB_PID" 2>/dev/null; then
    kill "$WEB_PID" 2>/dev/null || true
    wait "$WEB_PID" 2>/dev/null || true
  fi
  if [[ -f $PGDATA_DIR/postmaster.pid ]]; then
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ $rc -ne 0 && $rc -ne 2 ]]; then
    for f in "$WORK/build.log" "$WORK/web.log" "$WORK/pg/server.log" "$WORK/pgbench.log"; do
      if [[ -s $f ]]; then
        echo "---- last lines of ${f#"$WORK"/} ----" >&2
        tail -n 30 "$f" >&2
      fi
    done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A TCP port nobody listens on (a race with another program is possible but harmless here: start-up would fail loudly).
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if [[ -z $(ss -Hltn "sport = :$port" 2>/dev/null) ]]; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# Another engineer may be building the same projects: a locked file fails a build, so try again after 20 s.
build() {
  local project=$1 attempt
  for attempt in 1 2 3 4; do
    if dotnet build "$ROOT/$project" -c Release -nologo -v q -clp:ErrorsOnly >"$WORK/build.log" 2>&1; then
      return 0
    fi
    log "build of $project failed (attempt $attempt):"
    grep -E 'error|warn' "$WORK/build.log" | head -n 5 >&2 || true
    [[ $attempt -lt 4 ]] && sleep 20
  done
  return 1
}

# ---- build ---------------------------------------------------------------------------------------------------------
WEB_DLL=$ROOT/src/Web/bin/Release/net10.0/LearnHub.Web.dll
BENCH_DLL=$ROOT/bench/LearnHub.Bench/bin/Release/net10.0/LearnHub.Bench.dll
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building src/Web and bench/LearnHub.Bench (Release)"
  build src/Web
  build bench/LearnHub.Bench
fi
[[ -f $WEB_DLL && -f $BENCH_DLL ]] || { echo "missing build output: $WEB_DLL or $BENCH_DLL" >&2; exit 1; }
# Run copies: the test suite builds the same Release output (dotnet test LearnHub.sln -c Release), and assemblies
# overwritten under a running process can crash it mid-storm.
mkdir -p "$WORK/bin"
cp -a "$(dirname "$WEB_DLL")" "$WORK/bin/web"
cp -a "$(dirname "$BENCH_DLL")" "$WORK/bin/bench"
WEB_DLL=$WORK/bin/web/LearnHub.Web.dll
BENCH_DLL=$WORK/bin/bench/LearnHub.Bench.dll

# ---- PostgreSQL: a throwaway cluster, password (SCRAM) over TCP like a real deployment ------------------------------
PGPASS=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
mkdir -p "$WORK/pg/sock"
printf '%s\n' "$PGPASS" >"$WORK/pg/pwfile"
chown -R postgres:postgres "$WORK/pg"
chmod 700 "$WORK/pg"
log "initdb"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -E UTF8 --locale=C --no-sync \
  --auth-local=trust --auth-host=scram-sha-256 --pwfile="$WORK/pg/pwfile" >"$WORK/pg/initdb.log" 2>&1
# Stock settings but for max_connections: the web pool and pgbench's 64 clients must both fit. Another program may take
# the port between the look and the bind; then try another.
for attempt in 1 2 3 4 5; do
  PGPORT=$(free_port)
  log "starting PostgreSQL 15 on 127.0.0.1:$PGPORT"
  if runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$WORK/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $WORK/pg/sock -c max_connections=200 ${BENCH_PG_OPTS:-}" start >/dev/null; then
    break
  fi
  [[ $attempt -lt 5 ]] || { log "PostgreSQL did not start"; exit 1; }
done
PG_PID=$(head -n 1 "$PGDATA_DIR/postmaster.pid")
export PGPASSWORD=$PGPASS PGHOST=127.0.0.1 PGPORT PGUSER=postgres
"$PGBIN/createdb" learnhub
"$PGBIN/createdb" pgbench

# ---- the web process, configured as in production -------------------------------------------------------------------
export ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
export LearnHub__Database__Provider=PostgreSql
# Production on PostgreSQL needs the key that encrypts the stored data-protection keys; a fresh one per run.
export LearnHub__DataProtection__Key=$(head -c 32 /dev/urandom | base64)
export LearnHub__Database__ConnectionString="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Password=$PGPASS;Database=learnhub;Maximum Pool Size=$POOL_SIZE${BENCH_NPGSQL_EXTRA:+;$BENCH_NPGSQL_EXTRA}"
export LearnHub__DataDirectory=$WORK/data
export LearnHub__SeedDemoData=false
# One load generator is one client address: lift the per-client registration limit for the storm.
export LearnHub__RateLimits__RegistrationsPerMinute=10000000
# A web node as deployed with separate silo processes: it queues every registration's mail in the outbox and leaves
# delivery to the silos. BENCH_COHOSTED=1 measures the embedded default instead, delivering on the same two cores.
export LearnHub__Silo__BackgroundWork=$([[ ${BENCH_COHOSTED:-0} == 1 ]] && echo true || echo false)
# Port 0: Kestrel binds a port the kernel knows to be free, and says which in its "Now listening on" line.
log "starting LearnHub.Web (Npgsql pool $POOL_SIZE)"
(cd "$(dirname "$WEB_DLL")" && exec env 'Logging__LogLevel__Microsoft.Hosting.Lifetime=Information' \
  dotnet "$WEB_DLL" --urls "http://127.0.0.1:0") >"$WORK/web.log" 2>&1 &
WEB_PID=$!
WEB_URL=""
for _ in $(seq 1 360); do
  WEB_URL=$(grep -oE 'Now listening on: http://127\.0\.0\.1:[0-9]+' "$WORK/web.log" | head -n 1 | sed 's/^Now listening on: //') || true
  [[ -n $WEB_URL ]] && break
  kill -0 "$WEB_PID" 2>/dev/null || { log "LearnHub.Web exited during start-up"; exit 1; }
  sleep 0.25
done
[[ -n $WEB_URL ]] || { log "LearnHub.Web did not start listening within 90 s"; exit 1; }
log "LearnHub.Web (pid $WEB_PID) listens on $WEB_URL"

# ---- the storm ------------------------------------------------------------------------------------------------------
log "registration storm: $REGISTRANTS registrants, $CLIENTS clients"
set +e
dotnet "$BENCH_DLL" --url "$WEB_URL/" --web-pid "$WEB_PID" --pg-pid "$PG_PID" \
  --registrants "$REGISTRANTS" --clients "$CLIENTS" --capacity "$CAPACITY" --warmup "$WARMUP" \
  --clk-tck "$(getconf CLK_TCK)" --results "$WORK/results.txt" >&2 &
BENCH_PID=$! # in the background so that a signal reaches the trap at once, not when the storm ends
wait "$BENCH_PID"
BENCH_RC=$?
BENCH_PID=""
set -e
if [[ ! -s $WORK/results.txt ]]; then
  log "the load generator failed (exit $BENCH_RC) before it wrote results"
  exit 1
fi
declare -A R
while IFS='=' read -r key value; do R[$key]=$value; done <"$WORK/results.txt"

# The web process is done; stop it so the ceiling is measured on the same, otherwise idle, machine. If it is gone
# already, something ended it during the storm: say how, since every error in the table follows from it.
WEB_EXIT=""
if kill -0 "$WEB_PID" 2>/dev/null; then
  kill "$WEB_PID" 2>/dev/null || true
  wait "$WEB_PID" 2>/dev/null || true
else
  set +e; wait "$WEB_PID"; WEB_EXIT=$?; set -e
  log "LearnHub.Web (pid $WEB_PID) ended during the run with status $WEB_EXIT ($( ((WEB_EXIT > 128)) && kill -l $((WEB_EXIT - 128)) || echo exit)); its last log lines:"
  tail -n 20 "$WORK/web.log" >&2
fi
WEB_PID=""

# ---- the ceiling: pgbench simple-update on the same server ---------------------------------------------------------
log "pgbench -i -s $PGBENCH_SCALE, then -b simple-update -c $PGBENCH_CLIENTS -j 2 -T $PGBENCH_SECONDS"
"$PGBIN/pgbench" -i -q -s "$PGBENCH_SCALE" pgbench >"$WORK/pgbench.log" 2>&1
"$PGBIN/pgbench" -b simple-update -c "$PGBENCH_CLIENTS" -j 2 -T "$PGBENCH_SECONDS" pgbench >>"$WORK/pgbench.log" 2>&1
PGBENCH_TPS=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' "$WORK/pgbench.log" | head -n 1 | awk '{ printf "%.1f", $1 }')
PGBENCH_LAT=$(sed -nE 's/^latency average = ([0-9.]+) ms.*/\1/p' "$WORK/pgbench.log" | head -n 1)
[[ -n $PGBENCH_TPS ]] || { log "could not read tps from pgbench"; exit 1; }
RATIO=$(awk -v r="${R[rate]}" -v t="$PGBENCH_TPS" 'BEGIN { printf "%.3f", r / t }')
PG_SETTINGS=$("$PGBIN/psql" -XAtq -d learnhub -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('synchronous_commit','fsync','shared_buffers','max_connections','wal_sync_method')")

# ---- the table ------------------------------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "met" : "**missed**" }'; }
RATE_OK=$(verdict "${R[rate]}" "$TARGET_RATE" ">=")
P99_OK=$(verdict "${R[p99_ms]}" "$TARGET_P99_MS" "<=")
OVERSELL_OK=$([[ ${R[oversell]} == 0 ]] && echo met || echo "**missed**")
CORRECT_OK=$([[ ${R[correct]} == yes ]] && echo met || echo "**missed**")
CLIENTS_OK=$(verdict "${R[clients]}" 64 ">=")

echo
echo "## Registration storm — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), $(dotnet --version | head -n 1) SDK"
echo
echo "| measure | value | target | |"
echo "|---|---:|---:|---|"
echo "| distinct registrants, one session | ${R[registrants]} (capacity ${R[capacity]} + waitlist) | 11000 | |"
echo "| concurrent HTTP clients | ${R[clients]} | ≥ 64 | $CLIENTS_OK |"
echo "| warm-up registrations (separate session, not counted) | ${R[warmup]} (errors ${R[warmup_errors]}) | | |"
echo "| storm wall time | ${R[elapsed_s]} s | | |"
echo "| **registrations/s** | **${R[rate]}** | ≥ $TARGET_RATE | $RATE_OK |"
echo "| latency p50 | ${R[p50_ms]} ms | | |"
echo "| latency p90 | ${R[p90_ms]} ms | | |"
echo "| **latency p99** | **${R[p99_ms]} ms** | ≤ $TARGET_P99_MS ms | $P99_OK |"
echo "| latency max | ${R[max_ms]} ms | | |"
echo "| HTTP 201 answers (confirmed / waitlisted) | ${R[created]} (${R[answered_confirmed]} / ${R[answered_waitlisted]}) | ${R[registrants]} | |"
echo "| errors | ${R[errors]}${R[error_kinds]:+ — ${R[error_kinds]}} | 0 | |"
echo "| database: confirmed / waitlisted rows | ${R[db_confirmed]} / ${R[db_waitlisted]} | ${R[capacity]} / $((R[registrants] - R[capacity])) | |"
echo "| database: session counters, distinct emails | ${R[db_counter_confirmed]} / ${R[db_counter_waitlisted]}, ${R[db_distinct_emails]} | | |"
echo "| roster exact (counts, 201s, no errors) | ${R[correct]}${R[problems]:+ — ${R[problems]}} | yes | $CORRECT_OK |"
[[ -z $WEB_EXIT ]] || echo "| **LearnHub.Web ended during the run** | status $WEB_EXIT — the errors above follow from it | | **invalid run** |"
echo "| **oversell** | **${R[oversell]}** | 0 | $OVERSELL_OK |"
echo "| pgbench simple-update tps (ceiling; $PGBENCH_CLIENTS clients, -j 2, ${PGBENCH_SECONDS} s, scale $PGBENCH_SCALE) | $PGBENCH_TPS (avg latency $PGBENCH_LAT ms) | | |"
echo "| **registration rate ÷ pgbench tps** | **$RATIO** | | |"
echo "| web process peak memory (VmHWM) | ${R[web_vmhwm_mib]} MiB (RSS after storm ${R[web_vmrss_mib]} MiB) | | |"
OTHER_CPU=$((R[cpu_machine_pct] - R[cpu_web_pct] - R[cpu_postgres_pct] - R[cpu_loadgen_pct]))
echo "| CPU during storm (100% = one core) | web ${R[cpu_web_pct]}% (kernel ${R[cpu_web_sys_pct]}%), postgres ${R[cpu_postgres_pct]}% (kernel ${R[cpu_postgres_sys_pct]}%), load generator ${R[cpu_loadgen_pct]}%, everything else $((OTHER_CPU < 0 ? 0 : OTHER_CPU))%; machine busy ${R[cpu_machine_pct]}% of $((R[cpu_cores] * 100))% | | |"
echo "| CPU time per registration (web + postgres + load generator) | ${R[cpu_ms_per_registration]} ms | | |"
echo "| load average before the run (other work on the machine skews every number) | $LOAD_BEFORE | | |"
echo "| web Npgsql pool / PostgreSQL settings | Maximum Pool Size=$POOL_SIZE${BENCH_NPGSQL_EXTRA:+;$BENCH_NPGSQL_EXTRA} / $PG_SETTINGS | | |"
if [[ -n ${BENCH_SUMMARY:-} ]]; then
  echo "| registration storm, ${R[registrants]} registrants → ${R[capacity]} seats, ${R[clients]} clients | ${R[rate]} reg/s, p99 ${R[p99_ms]} ms, oversell ${R[oversell]} | ≥ $TARGET_RATE/s, p99 < $TARGET_P99_MS ms, 0 | pgbench simple-update $PGBENCH_TPS tps | $RATIO | web ${R[web_vmhwm_mib]} MiB |" >>"$BENCH_SUMMARY"
fi
echo
log "done in $(($(date +%s) - STARTED)) s"
exit "$BENCH_RC"
