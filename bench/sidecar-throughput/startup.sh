#!/usr/bin/env bash
# sidecar start-up: how long the sidecar takes, end to end, for a connector that writes nothing (its
# pipes open and close at once; COMMAND=spec, so the sidecar starts, connects to the result database,
# writes the spec result "connector exited without a SPEC message" and exits), beside the physical
# reference of starting the same JVM bare (`java -version`). The difference is the sidecar's own work.
#
#   bench/sidecar-throughput/startup.sh            # 20 runs of each, medians
#   RUNS=50 BENCH_DB=syncctl_bench_sidecar bench/sidecar-throughput/startup.sh
#
# Settings (environment): RUNS (20), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres), BENCH_DB
# (syncctl_bench; never a test database; created with the result tables when missing, never dropped),
# SIDECAR_JAVA_OPTS (passed to sidecar/bin/sidecar). Reports wall and CPU seconds (user + system, from
# /usr/bin/time) per run; CPU seconds depend far less on a shared machine's load than wall time.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-20}
BENCH_DB=${BENCH_DB:-syncctl_bench}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
case "$BENCH_DB" in *_test) echo "BENCH_DB must not be a test database ($BENCH_DB)" >&2; exit 2 ;; esac
sidecar_cmd="$root/sidecar/bin/sidecar"
work=$(mktemp -d /tmp/sidecar-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [ ! -f "$root/sidecar/target/syncctl-sidecar.jar" ]; then
  echo "[startup] building sidecar" >&2; (cd "$root" && ./mvnw -B -q -pl sidecar -am package -DskipTests)
fi
if ! psql -X -d postgres -tAc "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
  psql -X -q -d postgres -c "create database $BENCH_DB"
fi
PGOPTIONS="-c client_min_messages=warning" psql -X -q -d "$BENCH_DB" \
  -f "$root/shared/src/test/resources/console-prisma.sql" >/dev/null 2>&1 || true

# The JVM the launcher picks (JAVA_HOME when 21+, else the first JDK 21+ under /usr/lib/jvm).
major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
jdk21() { [ -x "$1/bin/java" ] && [ "$(major "$1")" -ge 21 ] 2>/dev/null; }
java_home=""
if [ -n "${JAVA_HOME:-}" ] && jdk21 "$JAVA_HOME"; then java_home=$JAVA_HOME; else
  for c in /usr/lib/jvm/*; do if jdk21 "$c"; then java_home=$c; break; fi; done
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Prints "wall_s cpu_s peak_rss_kb" of one command.
timed() { /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1 || true; tail -1 "$work/t" | awk '{ print $1, $2 + $3, $4 }'; }

mkdir -p "$work/config"
echo '{}' > "$work/config/config.json"
sidecar_once() {
  rm -f "$work/stdout" "$work/stderr"; mkfifo "$work/stdout" "$work/stderr"
  env -i PATH="$PATH" HOME="$HOME" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} ${SIDECAR_JAVA_OPTS:+SIDECAR_JAVA_OPTS="$SIDECAR_JAVA_OPTS"} \
    COMMAND=spec STDOUT_PIPE_FILE="$work/stdout" STDERR_PIPE_FILE="$work/stderr" CONFIG_DIR="$work/config" \
    DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB?sslmode=disable" \
    PACKAGE=syncctl/source-startup-bench PACKAGE_VERSION=bench \
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$sidecar_cmd" >/dev/null 2>&1 &
  local pid=$!
  # The connector: opens both pipes and exits without writing.
  : > "$work/stdout" & local out=$!
  : > "$work/stderr" & local err=$!
  wait "$out" "$err" || true
  wait "$pid" || true
  tail -1 "$work/t" | awk '{ print $1, $2 + $3, $4 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
sidecar_once > /dev/null # the first run writes the launcher's class-data archive; not counted
: > "$work/jvm.txt"; : > "$work/sidecar.txt"
for _ in $(seq 1 "$RUNS"); do
  timed "$java_home/bin/java" -XX:+UseSerialGC -version >> "$work/jvm.txt"
  sidecar_once >> "$work/sidecar.txt"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
status=$(psql -X -d "$BENCH_DB" -tAc "select error from source_spec where package = 'syncctl/source-startup-bench' and version = 'bench'" 2>/dev/null || true)

col() { cut -d' ' -f"$2" "$work/$1.txt" | median; }
jvm_s=$(col jvm 1); jvm_cpu=$(col jvm 2); sc_s=$(col sidecar 1); sc_cpu=$(col sidecar 2); sc_rss=$(col sidecar 3)
echo "sidecar start-up: medians of $RUNS runs, $(nproc) cores, load average before: $load_before, after: $load_after"
echo "  bare JVM ($java_home/bin/java -XX:+UseSerialGC -version): ${jvm_s}s wall, ${jvm_cpu}s CPU"
echo "  sidecar, connector writing nothing (COMMAND=spec, result written): ${sc_s}s wall, ${sc_cpu}s CPU, peak RSS $((${sc_rss%.*} / 1024)) MB"
echo "  sidecar's own work: $(awk -v a="$sc_s" -v b="$jvm_s" 'BEGIN { printf "%.3f", a - b }')s wall," \
     "$(awk -v a="$sc_cpu" -v b="$jvm_cpu" 'BEGIN { printf "%.3f", a - b }')s CPU"
echo "  stored spec result: ${status:-?}"
echo "  per run (wall s, CPU s, peak RSS KB): bare JVM $(tr "\n" ";" < "$work/jvm.txt") sidecar $(tr "\n" ";" < "$work/sidecar.txt")"
