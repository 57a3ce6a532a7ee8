#!/usr/bin/env bash
# api-intake benchmark: accepted tasks/s and latency of /check and /read at concurrency 16 and 64,
# beside pgbench's single-row INSERT rate on the same database and concurrency (the physical
# reference: one durable commit per request). Prints the rates and their ratio, then the CPU ms
# per accepted task of the api JVM, its PostgreSQL backends and wrk beside pgbench's per insert
# (read from /proc and /usr/bin/time: far less sensitive to a busy machine); see bench/RESULTS.md.
#
#   bench/api-intake/run.sh            # DURATION=30 by default; DURATION=5 for a smoke run
#   API_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/api.jfr,settings=profile bench/api-intake/run.sh
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, trust), wrk, pgbench, /usr/bin/time, a JDK 21+.
# Uses (drops and recreates) the database syncctl_api_bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/bench/api-intake
DURATION=${DURATION:-30}
DB=syncctl_api_bench
PGHOST=127.0.0.1
PGUSER=postgres
export PGHOST PGUSER

java_home() {
  if [[ -n "${JAVA_HOME:-}" ]] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
    echo "$JAVA_HOME"; return
  fi
  for d in /usr/lib/jvm/*; do
    if [[ -x "$d/bin/java" ]] && "$d/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
      echo "$d"; return
    fi
  done
  echo "no JDK 21+ found (set JAVA_HOME)" >&2; exit 1
}
JAVA=$(java_home)/bin/java
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench missing: apt-get install -y postgresql-client" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time missing: apt-get install -y time" >&2; exit 1; }

JAR=$ROOT/api/target/quarkus-app/quarkus-run.jar
if [[ ! -f $JAR ]]; then
  ./mvnw -B -q -pl api -am package -DskipTests
fi

psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp /tmp/api-intake-XXXX.log)
SYNCCTL_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" \
SYNCCTL_PAYLOAD_KEY=$(openssl rand -base64 32) \
SYNCCTL_HTTP_PORT=$PORT SYNCCTL_INSTANCE_ID=bench \
  "$JAVA" -Xmx512m ${API_JAVA_OPTS:-} -jar "$JAR" >"$LOG" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null; wait $API_PID 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "api did not start; log: $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }

psql -q -d $DB -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL)"

tasks() { psql -At -d $DB -c "SELECT count(*) FROM syncctl.syncctl_task"; }

# ---- CPU accounting: CPU per unit of work per process depends far less on a busy machine than rates do
TICK_MS=$(awk -v t="$(getconf CLK_TCK)" 'BEGIN {print 1000 / t}')
ticks() { # utime+stime of the given pids (clock ticks); gone pids count 0
  local sum=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] && sum=$((sum + $(sed -E 's/^.*\) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo $sum
}
child_ticks() { # cutime+cstime: CPU of the pid's exited, reaped children (PostgreSQL backends that ended)
  sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{print $14 + $15}'
}
POSTMASTER=$(head -1 "$(psql -At -d $DB -c 'SHOW data_directory' 2>/dev/null)/postmaster.pid" 2>/dev/null || pgrep -o -x postgres || true)
# client backends only: autovacuum workers come and go (they clean up after earlier runs' inserts)
backends() { psql -At -d $DB -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"; }
aux_pids() { psql -At -d $DB -c "SELECT pid FROM pg_stat_activity WHERE backend_type IN ('walwriter', 'checkpointer', 'background writer')"; }
ms() { awk -v t="$1" -v n="$2" -v k="$TICK_MS" 'BEGIN {if (n > 0) printf "%.3f", t * k / n; else print "n/a"}'; }
wrk_cpu_ticks() { awk -v k="$TICK_MS" '/^CPU/ {printf "%.0f", ($2 + $3) * 1000 / k}' "$1"; }

# warm the JIT and the pool
wrk -t2 -c16 -d10s -s "$HERE/post.lua" "http://127.0.0.1:$PORT" -- check >/dev/null
wrk -t2 -c16 -d5s -s "$HERE/post.lua" "http://127.0.0.1:$PORT" -- read >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(psql -At -d $DB -c 'SHOW server_version')"
echo "duration ${DURATION}s per run; commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
TIMEF=$(mktemp /tmp/api-intake-time-XXXX)
RATES=()
CPUS=()
for ep in check read; do
  for c in 16 64; do
    # the reference right before each run: the machine's load changes from minute to minute
    # (may fail when the server is out of connections: max_connections is shared with the api's pool)
    pm0=$(child_ticks "$POSTMASTER" 2>/dev/null || echo 0)
    out=$(/usr/bin/time -f 'CPU %U %S' -o "$TIMEF" pgbench -n -c $c -j 2 -T "$DURATION" -f "$HERE/insert.sql" $DB 2>/dev/null || true)
    for _ in $(seq 50); do  # wait until PostgreSQL has reaped pgbench's backends (their CPU lands in cutime)
      [[ $(psql -At -d $DB -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pgbench'") == 0 ]] && break
      sleep 0.1
    done
    sleep 0.3
    pm1=$(child_ticks "$POSTMASTER" 2>/dev/null || echo 0)
    pgb=$(awk '/^tps/ {print $3; exit}' <<<"$out"); pgb=${pgb:-0}
    pgn=$(awk -F': ' '/number of transactions actually processed/ {split($2, a, "/"); print a[1]; exit}' <<<"$out"); pgn=${pgn:-0}
    pgb_client=$(wrk_cpu_ticks "$TIMEF")
    pgb_server=$((pm1 - pm0))

    before=$(tasks)
    mapfile -t bk < <(backends); mapfile -t aux < <(aux_pids)
    api0=$(ticks $API_PID); bk0=$(ticks "${bk[@]}"); aux0=$(ticks "${aux[@]}")
    line=$(/usr/bin/time -f 'CPU %U %S' -o "$TIMEF" wrk -t2 -c$c -d${DURATION}s --latency -s "$HERE/post.lua" "http://127.0.0.1:$PORT" -- $ep | grep '^RESULT' || true)
    api1=$(ticks $API_PID); bk1=$(ticks "${bk[@]}"); aux1=$(ticks "${aux[@]}")
    mapfile -t bkn < <(backends)
    newbk=(); for p in "${bkn[@]}"; do [[ " ${bk[*]} " == *" $p "* ]] || newbk+=("$p"); done
    after=$(tasks)
    n=$((after - before))
    secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
    non2xx=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$line")
    rate=$(awk -v n=$n -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
    ratio=$(awk -v a="$rate" -v b="$pgb" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')
    api_t=$((api1 - api0)); bk_t=$((bk1 - bk0 + $(ticks "${newbk[@]}"))); aux_t=$((aux1 - aux0)); wrk_t=$(wrk_cpu_ticks "$TIMEF")
    RATES+=("$(printf '%-9s %4s %14s %10s %10s %8s %16.0f %7s %6s' "/$ep" $c "$rate" "$p50" "$p99" "$non2xx" "$pgb" "$ratio" \
      "$(cut -d' ' -f1 /proc/loadavg)")")
    api_ms=$(ms $api_t $n); bk_ms=$(ms $bk_t $n); wrk_ms=$(ms $wrk_t $n); aux_ms=$(ms $aux_t $n)
    tot_ms=$(ms $((api_t + bk_t + wrk_t)) $n)
    pgc_ms=$(ms "$pgb_client" "$pgn"); pgs_ms=$(ms "$pgb_server" "$pgn"); pgt_ms=$(ms $((pgb_client + pgb_server)) "$pgn")
    cpu_ratio=$(awk -v a="$tot_ms" -v b="$pgt_ms" 'BEGIN {if (a > 0) printf "%.2f", b / a; else print "n/a"}')
    CPUS+=("$(printf '%-9s %4s %8s %8s %8s %8s %8s | %8s %8s %8s %7s' "/$ep" $c "$api_ms" "$bk_ms" "$wrk_ms" "$tot_ms" "$aux_ms" \
      "$pgc_ms" "$pgs_ms" "$pgt_ms" "$cpu_ratio")")
  done
done
rm -f "$TIMEF"
printf '%-9s %4s %14s %10s %10s %8s %16s %7s %6s\n' endpoint conc "accepted/s" "p50 ms" "p99 ms" non2xx "pgbench ins/s" ratio load1
printf '%s\n' "${RATES[@]}"
echo
echo "CPU ms per accepted task (api JVM, its PostgreSQL backends, wrk; pg-aux = walwriter+checkpointer+bgwriter, whole server;"
echo "autovacuum not counted)"
echo "vs CPU ms per pgbench insert (client, backends); cpu-ratio = pgbench total / api-path total (the ratio on a CPU-bound box)"
printf '%-9s %4s %8s %8s %8s %8s %8s | %8s %8s %8s %7s\n' endpoint conc api pg-bk wrk total pg-aux pgb-cl pgb-bk pgb-tot cpu-rat
printf '%s\n' "${CPUS[@]}"
echo "accepted/s = new syncctl_task rows / wrk duration (every accepted task is one committed row + job)"
