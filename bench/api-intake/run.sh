#!/usr/bin/env bash
# api-intake benchmark: accepted tasks/s and latency of /check and /read at concurrency 16 and 64,
# beside pgbench's single-row INSERT rate on the same database and concurrency (the physical
# reference: one durable commit per request). Prints one table; see bench/RESULTS.md.
#
#   bench/api-intake/run.sh            # DURATION=30 by default; DURATION=5 for a smoke run
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, trust), wrk, pgbench, a JDK 21+.
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
  "$JAVA" -Xmx512m -jar "$JAR" >"$LOG" 2>&1 &
API_PID=$!
trap 'kill $API_PID 2>/dev/null; wait $API_PID 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "api did not start; log: $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }

psql -q -d $DB -c "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, payload text NOT NULL)"

tasks() { psql -At -d $DB -c "SELECT count(*) FROM syncctl_task"; }

# warm the JIT and the pool
wrk -t2 -c16 -d10s -s "$HERE/post.lua" "http://127.0.0.1:$PORT" -- check >/dev/null
wrk -t2 -c16 -d5s -s "$HERE/post.lua" "http://127.0.0.1:$PORT" -- read >/dev/null

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(psql -At -d $DB -c 'SHOW server_version')"
echo "duration ${DURATION}s per run"
printf '%-9s %4s %14s %10s %10s %8s %16s %7s %6s\n' endpoint conc "accepted/s" "p50 ms" "p99 ms" non2xx "pgbench ins/s" ratio load1
for ep in check read; do
  for c in 16 64; do
    # the reference right before each run: the machine's load changes from minute to minute
    # (may fail when the server is out of connections: max_connections is shared with the api's pool)
    pgb=$(pgbench -n -c $c -j 2 -T "$DURATION" -f "$HERE/insert.sql" $DB 2>/dev/null | awk '/^tps/ {print $3; exit}' || true)
    pgb=${pgb:-0}
    before=$(tasks)
    line=$(wrk -t2 -c$c -d${DURATION}s --latency -s "$HERE/post.lua" "http://127.0.0.1:$PORT" -- $ep | grep '^RESULT' || true)
    after=$(tasks)
    secs=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
    non2xx=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$line")
    rate=$(awk -v n=$((after - before)) -v s="$secs" 'BEGIN {printf "%.0f", n / s}')
    ratio=$(awk -v a="$rate" -v b="$pgb" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}')
    printf '%-9s %4s %14s %10s %10s %8s %16.0f %7s %6s\n' "/$ep" $c "$rate" "$p50" "$p99" "$non2xx" "$pgb" "$ratio" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "accepted/s = new syncctl_task rows / wrk duration (every accepted task is one committed row + job)"
