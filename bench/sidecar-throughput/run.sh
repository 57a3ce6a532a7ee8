#!/usr/bin/env bash
# sidecar-throughput: synthetic source -> FIFO -> sidecar -> destination, against the physical
# reference of the same work done by the destination's own client:
#   DEST=postgres (default): `psql \copy` of the same rows into an identical table;
#   DEST=mysql: the `mysql` client's LOAD DATA LOCAL INFILE of the same rows into an identical table;
#   DEST=s3: the sidecar writes an S3-compatible server (S3Proxy from devkit, on disk in the work dir,
#     started here); the reference is the AWS SDK's plain upload of the very objects the sidecar wrote
#     to the same server.
#
#   bench/sidecar-throughput/run.sh            # 1,000,000 records of ~200 bytes, 1 stream, 3 runs
#   RECORDS=200000 RUNS=1 bench/sidecar-throughput/run.sh
#   DEST=mysql bench/sidecar-throughput/run.sh # into MariaDB/MySQL on 127.0.0.1:3306 (user root)
#   DEST=s3 COMPRESSION=gzip bench/sidecar-throughput/run.sh
#
# Settings (environment): RECORDS (1000000, split evenly over STREAMS), STREAMS (1), RECORD_BYTES
# (200), RUNS (3; medians are reported), SIDECAR (1; 0 measures only the source and the reference),
# PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres), BENCH_DB (syncctl_bench; never a test database),
# WORK_DIR (a fresh temporary directory), SIDECAR_JAVA_OPTS (passed to sidecar/bin/sidecar, e.g. to
# record a JFR profile), DEST (postgres; mysql; s3; DESTINATION is an alias), MYHOST/MYPORT/MYUSER
# (127.0.0.1/3306/root; the mysql destination's server, database BENCH_DB there too), MYPARAMS (more
# members of the mysql destination's `parameters`, e.g. '"allowLocalInfile": "false"' for its INSERT
# path; the reference stays LOAD DATA), COMPRESSION
# (s3 only: none; gzip). The result tables (source_task) are always in Postgres.
# Needs devkit/target/source-synthetic.jar and sidecar/target/syncctl-sidecar.jar (and for s3
# devkit/target/s3proxy/s3proxy.jar); builds them if missing. Targets on 2 cores: >= 100,000
# records/s, ratio to the reference >= 0.5, sidecar peak RSS <= 256 MB. Exits 1 if a run loses rows
# or does not end in SUCCESS (targets are reported, not enforced).
#
# Besides wall time it measures the CPU time of every process involved (source, sidecar, the
# reference's client and the server side: Postgres backends, the MariaDB/MySQL server, S3Proxy),
# because on a busy machine wall time mostly measures the load.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
RECORDS=${RECORDS:-1000000}
STREAMS=${STREAMS:-1}
RECORD_BYTES=${RECORD_BYTES:-200}
RUNS=${RUNS:-3}
SIDECAR=${SIDECAR:-1}
BENCH_DB=${BENCH_DB:-syncctl_bench}
DEST=${DEST:-${DESTINATION:-postgres}}
MYHOST=${MYHOST:-127.0.0.1} MYPORT=${MYPORT:-3306} MYUSER=${MYUSER:-root}
COMPRESSION=${COMPRESSION:-none}
case "$DEST" in postgres|mysql|s3) ;; *) echo "DEST must be postgres, mysql or s3" >&2; exit 2 ;; esac
case "$COMPRESSION" in none|gzip) ;; *) echo "COMPRESSION must be none or gzip" >&2; exit 2 ;; esac
if [ "$DEST" != s3 ] && [ "$COMPRESSION" != none ]; then echo "COMPRESSION is for DEST=s3 only" >&2; exit 2; fi
if [ "$DEST" = s3 ] && [ "$SIDECAR" != 1 ]; then echo "DEST=s3 needs SIDECAR=1 (the reference uploads the sidecar's objects)" >&2; exit 2; fi
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
case "$BENCH_DB" in *_test) echo "BENCH_DB must not be a test database ($BENCH_DB)" >&2; exit 2 ;; esac
if [ $((RECORDS % STREAMS)) -ne 0 ]; then echo "RECORDS must be a multiple of STREAMS" >&2; exit 2; fi
per_stream=$((RECORDS / STREAMS))
work=${WORK_DIR:-$(mktemp -d /tmp/sidecar-throughput.XXXXXX)}
mkdir -p "$work"
source_cmd="$root/devkit/bin/source-synthetic"
sidecar_cmd="$root/sidecar/bin/sidecar"
schema=bench
prefix=sidecar_
clk_tck=$(getconf CLK_TCK)

log() { echo "[bench] $*" >&2; }
psql_bench() { psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" "$@"; }
mysql_bench() { mysql -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" --local-infile=1 -N -B "$BENCH_DB" "$@"; }
# Rows of a destination table ("sidecar_stream_1", "ref_stream_1"); for s3 the lines of the object
# of that name as the server stores it.
dest_rows() {
  case "$DEST" in
    postgres) psql_bench -tAc "select count(*) from $schema.$1" ;;
    mysql) mysql_bench -e "select count(*) from \`$1\`" ;;
    s3) { if [ "$COMPRESSION" = gzip ]; then gzip -dc "$s3_data/$s3_bucket/$1$s3_ext"; else cat "$s3_data/$s3_bucket/$1$s3_ext"; fi; } 2>/dev/null | wc -l ;;
  esac
}
now() { date +%s.%N; }
calc() { awk "BEGIN { print $* }"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n / s }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column() { cut -d' ' -f"$1" "$work/runs.txt" | median; }
time_cpu() { awk -F': *' '/User time|System time/ { t += $2 } END { print t + 0 }' "$1"; }

# Samples the CPU seconds of the Postgres backends serving $BENCH_DB (found by process title) into
# $1 every 0.1 s until killed; at most the last 0.1 s of a backend that exits is lost.
backend_cpu_sampler() {
  local out=$1 d title stat total
  declare -A seen=()
  while :; do
    for d in /proc/[0-9]*; do
      title=""
      { read -r -d '' title < "$d/cmdline"; } 2>/dev/null || true
      if [[ $title == "postgres: "*" $PGUSER $BENCH_DB "* ]] && { read -r stat < "$d/stat"; } 2>/dev/null; then
        stat=${stat##*) }                     # fields after "pid (comm) "
        read -r -a f <<< "$stat"
        seen[${d#/proc/}]=$((f[11] + f[12])) # utime + stime in clock ticks
      fi
    done
    total=0
    for d in "${!seen[@]}"; do total=$((total + seen[$d])); done
    echo "$total" > "$out.tmp" && mv "$out.tmp" "$out"
    sleep 0.1
  done
}
start_sampler() { backend_cpu_sampler "$1" & sampler_pid=$!; }
stop_sampler() { kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true; calc "$(cat "$1" 2>/dev/null || echo 0) / $clk_tck"; }
# MySQL/MariaDB serves every client from one process, and so does S3Proxy (started below): its CPU
# ticks before and after a step (for mysql all of its clients count, so on a shared machine this is
# an upper bound).
server_ticks() {
  local pid stat
  if [ "$DEST" = s3 ]; then pid=$s3_pid; else pid=$(pgrep -xo mariadbd || pgrep -xo mysqld || true); fi
  [ -n "$pid" ] && { read -r stat < "/proc/$pid/stat"; } 2>/dev/null || { echo 0; return; }
  stat=${stat##*) }; read -r -a f <<< "$stat"; echo $((f[11] + f[12]))
}
if [ "$DEST" != postgres ]; then
  start_sampler() { server_ticks > "$1.start"; }
  stop_sampler() { calc "($(server_ticks) - $(cat "$1.start")) / $clk_tck"; }
fi

# ---- prerequisites -------------------------------------------------------------------------------
if [ ! -f "$root/devkit/target/source-synthetic.jar" ] || { [ "$DEST" = s3 ] && [ ! -f "$root/devkit/target/s3proxy/s3proxy.jar" ]; }; then
  log "building devkit"; (cd "$root" && ./mvnw -B -q -pl devkit package -DskipTests)
fi
if [ "$SIDECAR" = 1 ] && [ ! -f "$root/sidecar/target/syncctl-sidecar.jar" ]; then
  log "building sidecar"; (cd "$root" && ./mvnw -B -q -pl sidecar -am package -DskipTests)
fi
if ! psql -X -d postgres -tAc "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
  psql -X -q -d postgres -c "create database $BENCH_DB"
fi
case "$DEST" in
  postgres) ref_name="psql \\copy" ref_client=psql server_name="Postgres backends" ;;
  mysql)
    mysql -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" -e "create database if not exists \`$BENCH_DB\` character set utf8mb4"
    ref_name="mysql LOAD DATA LOCAL INFILE" ref_client=mysql server_name="MariaDB/MySQL server" ;;
  s3)
    # S3Proxy (devkit copies its jar; see devkit's LocalS3) on disk in the work dir, requests signed
    # as against AWS. The reference uploader is compiled against the sidecar jar's AWS SDK.
    java_bin="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin"
    s3_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    s3_endpoint="http://127.0.0.1:$s3_port" s3_id=AKIABENCH s3_secret=bench-secret-0123 s3_bucket=bench
    s3_data="$work/s3-data"; rm -rf "$s3_data"; mkdir -p "$s3_data"
    s3_ext=.ndjson; [ "$COMPRESSION" = gzip ] && s3_ext=.ndjson.gz
    printf '%s\n' "s3proxy.endpoint=$s3_endpoint" s3proxy.authorization=aws-v2-or-v4 "s3proxy.identity=$s3_id" \
      "s3proxy.credential=$s3_secret" jclouds.provider=filesystem-nio2 "jclouds.filesystem.basedir=$s3_data" \
      jclouds.identity=local jclouds.credential=local > "$work/s3proxy.conf"
    "$java_bin/java" -Xmx512m -XX:+UseSerialGC -jar "$root/devkit/target/s3proxy/s3proxy.jar" --properties "$work/s3proxy.conf" \
      > "$work/s3proxy.log" 2>&1 &
    s3_pid=$!
    trap 'kill $s3_pid 2>/dev/null || true' EXIT
    for _ in $(seq 1 600); do curl -s -o /dev/null "$s3_endpoint/" && break; sleep 0.2; done
    mkdir -p "$work/classes"
    "$java_bin/javac" -d "$work/classes" -cp "$root/sidecar/target/syncctl-sidecar.jar" "$root/bench/sidecar-throughput/S3PlainUpload.java"
    s3_upload=("$java_bin/java" -XX:+UseSerialGC -cp "$root/sidecar/target/syncctl-sidecar.jar:$work/classes" S3PlainUpload
               "$s3_endpoint" "$s3_id" "$s3_secret" "$s3_bucket")
    "${s3_upload[@]}" mkbucket
    ref_name="SDK plain upload" ref_client=uploader server_name=S3Proxy ;;
esac
# the result tables as the console creates them (an error when they exist is fine)
psql_bench -f "$root/shared/src/test/resources/console-prisma.sql" >/dev/null 2>&1 || true
psql_bench -c "create schema if not exists $schema"

# ---- inputs: the same connector config for every step --------------------------------------------
cat > "$work/config.json" <<EOF
{"streams": $STREAMS, "records_per_stream": $per_stream, "record_bytes": $RECORD_BYTES, "seed": 42}
EOF
# The configured catalog: every discovered stream, read in full (each replaces its table).
"$source_cmd" discover --config "$work/config.json" \
  | jq -c 'select(.type == "CATALOG") | {streams: [.catalog.streams[] | {stream: ., sync_mode: "full_refresh", destination_sync_mode: "overwrite"}]}' \
  > "$work/catalog.json"
echo '{}' > "$work/state.json"
case "$DEST" in
  postgres) cat > "$work/destinationConfig.json" <<EOF
{"destinationType": "postgres", "host": "$PGHOST", "port": $PGPORT, "database": "$BENCH_DB",
 "username": "$PGUSER", "password": "", "defaultSchema": "$schema", "sslMode": "disable"}
EOF
  ;;
  mysql) cat > "$work/destinationConfig.json" <<EOF
{"destinationType": "mysql", "host": "$MYHOST", "port": $MYPORT, "database": "$BENCH_DB",
 "username": "$MYUSER", "password": "", "parameters": {"tls": "false"${MYPARAMS:+, $MYPARAMS}}}
EOF
  ;;
  s3) cat > "$work/destinationConfig.json" <<EOF
{"destinationType": "s3", "accessKeyId": "$s3_id", "secretAccessKey": "$s3_secret", "bucket": "$s3_bucket",
 "region": "us-east-1", "endpoint": "$s3_endpoint", "format": "ndjson", "compression": "$COMPRESSION"}
EOF
  ;;
esac

# ---- 1. the source alone, into /dev/null ---------------------------------------------------------
t0=$(now)
/usr/bin/time -v -o "$work/source-alone.time" "$source_cmd" read --config "$work/config.json" --catalog "$work/catalog.json" > /dev/null
t1=$(now)
source_s=$(calc "$t1 - $t0")
source_cpu=$(time_cpu "$work/source-alone.time")
log "source alone: $RECORDS records in ${source_s}s = $(rate "$RECORDS" "$source_s") records/s, CPU ${source_cpu}s"

# ---- 2. source -> FIFO -> sidecar -> destination ---------------------------------------------------
# Prints "seconds sidecar_peak_rss_kb sidecar_cpu source_cpu backend_cpu".
sidecar_run() {
  local run=$1 task="bench-task-$1-$$" dir="$work/run-$1"
  mkdir -p "$dir"; rm -f "$dir/stdout" "$dir/stderr"; mkfifo "$dir/stdout" "$dir/stderr"
  psql_bench -c "insert into source_task (sync_id, task_id, package, version, status, description)
                 values ('bench-sync', '$task', 'syncctl/source-synthetic', 'bench', 'RUNNING', 'bench')"
  local start end source_rc=0 sidecar_rc=0 backend_cpu
  start_sampler "$dir/backend.ticks"
  start=$(now)
  env -i PATH="$PATH" HOME="$HOME" ${JAVA_HOME:+JAVA_HOME="$JAVA_HOME"} ${SIDECAR_JAVA_OPTS:+SIDECAR_JAVA_OPTS="$SIDECAR_JAVA_OPTS"} \
    COMMAND=read STDOUT_PIPE_FILE="$dir/stdout" STDERR_PIPE_FILE="$dir/stderr" CONFIG_DIR="$work" \
    DATABASE_URL="postgresql://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB?sslmode=disable" \
    PACKAGE=syncctl/source-synthetic PACKAGE_VERSION=bench SYNC_ID=bench-sync TASK_ID="$task" \
    TABLE_NAME_PREFIX="$prefix" STARTED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    /usr/bin/time -v -o "$dir/sidecar.time" "$sidecar_cmd" > "$dir/sidecar.out" 2>&1 &
  local sidecar_pid=$!
  # As the pod's source container does: sh -c '<entrypoint> read ... 2> /pipes/stderr > /pipes/stdout'
  /usr/bin/time -v -o "$dir/source.time" sh -c "exec \"$source_cmd\" read --config \"$work/config.json\" --catalog \"$work/catalog.json\" --state \"$work/state.json\" 2> \"$dir/stderr\" > \"$dir/stdout\"" &
  local source_pid=$!
  wait "$source_pid" || source_rc=$?
  wait "$sidecar_pid" || sidecar_rc=$?
  end=$(now)
  backend_cpu=$(stop_sampler "$dir/backend.ticks")
  local status rows=0
  status=$(psql_bench -tAc "select status from source_task where task_id = '$task'")
  for i in $(seq 1 "$STREAMS"); do
    rows=$((rows + $(dest_rows "${prefix}stream_$i")))
  done
  if [ "$source_rc" -ne 0 ] || [ "$sidecar_rc" -ne 0 ] || [ "$status" != SUCCESS ] || [ "$rows" -ne "$RECORDS" ]; then
    log "run $run failed: source exit $source_rc, sidecar exit $sidecar_rc, status '$status', $rows of $RECORDS rows"
    log "sidecar output:"; tail -20 "$dir/sidecar.out" >&2
    psql_bench -tAc "select description, error from source_task where task_id = '$task'" >&2
    return 1
  fi
  echo "$(calc "$end - $start") $(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$dir/sidecar.time")" \
       "$(time_cpu "$dir/sidecar.time") $(time_cpu "$dir/source.time") $backend_cpu"
}

# ---- 3. the physical reference: the destination's own client doing the same work -----------------
# postgres/mysql: the rows are the source's own records (same seed), converted once to COPY text format.
if [ "$DEST" != s3 ]; then
  for i in $(seq 1 "$STREAMS"); do
    if [ ! -s "$work/stream_$i.tsv" ]; then
      log "writing the rows of stream_$i to $work/stream_$i.tsv"
      "$source_cmd" read --config "$work/config.json" --catalog <(echo "{\"streams\":[{\"stream\":{\"name\":\"stream_$i\"},\"sync_mode\":\"full_refresh\"}]}") \
        | jq -r 'select(.type == "RECORD") | .record.data | [.id, .updated_at, .name, .amount, (if .active then "t" else "f" end), .payload] | @tsv' \
        > "$work/stream_$i.tsv"
    fi
    # For LOAD DATA: timestamps as UTC text, booleans as 1/0 (what the sidecar writes); same escapes.
    if [ "$DEST" = mysql ] && [ ! -s "$work/stream_$i.my.tsv" ]; then
      awk -F'\t' 'BEGIN { OFS = "\t" } { sub(/T/, " ", $2); sub(/Z$/, "", $2); $5 = ($5 == "t") ? 1 : 0; print }' \
        "$work/stream_$i.tsv" > "$work/stream_$i.my.tsv"
    fi
  done
fi
columns="id, updated_at, name, amount, active, payload"

# One reference run: the client's script for every stream, timed as one process (with its children),
# then checked. Prints "seconds client_cpu server_cpu".
#   postgres: psql \copy, in one transaction, into a table created LIKE the sidecar's;
#   mysql: LOAD DATA LOCAL INFILE into a table created LIKE the sidecar's;
#   s3: the SDK's plain upload (one PutObject from the file) of the objects the sidecar just wrote, to
#       the same server, one JVM per object as the sidecar is one JVM.
reference_run() {
  local start end server_cpu i rows=0 ref_in=/dev/null ref_cmd
  case "$DEST" in
    postgres)
      {
        echo "begin;"
        for i in $(seq 1 "$STREAMS"); do
          echo "drop table if exists $schema.ref_stream_$i;"
          if [ "$SIDECAR" = 1 ]; then
            # Identical to the sidecar's table: same columns, types, defaults, constraints and indexes.
            echo "create table $schema.ref_stream_$i (like $schema.${prefix}stream_$i including all);"
          else
            # The table the sidecar makes from the catalog schema (CONTRACT section 4 type mapping).
            echo "create table $schema.ref_stream_$i (id bigint, updated_at timestamptz, name text, amount double precision, active boolean, payload text);"
          fi
          echo "\\copy $schema.ref_stream_$i ($columns) from '$work/stream_$i.tsv'"
        done
        echo "commit;"
      } > "$work/reference.sql"
      ref_cmd=(psql -X -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" -f "$work/reference.sql") ;;
    mysql)
      {
        echo "set time_zone = '+00:00';"
        for i in $(seq 1 "$STREAMS"); do
          echo "drop table if exists ref_stream_$i;"
          echo "create table ref_stream_$i like \`${prefix}stream_$i\`;"
          echo "load data local infile '$work/stream_$i.my.tsv' into table ref_stream_$i character set utf8mb4 ($columns);"
        done
      } > "$work/reference.my.sql"
      ref_in="$work/reference.my.sql"
      ref_cmd=(mysql -h "$MYHOST" -P "$MYPORT" -u "$MYUSER" --local-infile=1 "$BENCH_DB") ;;
    s3)
      echo "set -e" > "$work/reference.sh"
      for i in $(seq 1 "$STREAMS"); do # the server's own file is replaced by the next sidecar run
        cp "$s3_data/$s3_bucket/${prefix}stream_$i$s3_ext" "$work/object_$i$s3_ext"
        printf '%q ' "${s3_upload[@]}" put "ref/stream_$i$s3_ext" "$work/object_$i$s3_ext" >> "$work/reference.sh"
        echo >> "$work/reference.sh"
      done
      ref_cmd=(sh "$work/reference.sh") ;;
  esac
  start_sampler "$work/reference.ticks"
  start=$(now)
  /usr/bin/time -v -o "$work/reference.time" "${ref_cmd[@]}" < "$ref_in"
  end=$(now)
  server_cpu=$(stop_sampler "$work/reference.ticks")
  for i in $(seq 1 "$STREAMS"); do
    if [ "$DEST" = s3 ]; then
      cmp -s "$work/object_$i$s3_ext" "$s3_data/$s3_bucket/ref/stream_$i$s3_ext" || { log "the reference upload of stream_$i differs"; return 1; }
      rows=$((rows + $(dest_rows "ref/stream_$i")))
    else
      rows=$((rows + $(dest_rows "ref_stream_$i")))
    fi
  done
  [ "$rows" -eq "$RECORDS" ] || { log "reference loaded $rows rows, expected $RECORDS"; return 1; }
  echo "$(calc "$end - $start") $(time_cpu "$work/reference.time") $server_cpu"
}

# ---- the runs: each sidecar run is paired with a reference run right after it ----------------------
# The machine may be shared: pairing keeps both sides of each ratio under the same load.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$work/runs.txt"
for run in $(seq 1 "$RUNS"); do
  sidecar_result="0 0 0 0 0"
  if [ "$SIDECAR" = 1 ]; then
    sidecar_result=$(sidecar_run "$run") || exit 1
    read -r s rss cpu src be <<< "$sidecar_result"
    log "sidecar run $run: $RECORDS records in ${s}s = $(rate "$RECORDS" "$s") records/s, peak RSS $((rss / 1024)) MB; CPU s: sidecar $cpu, source $src, $server_name $be"
  fi
  reference_result=$(reference_run) || exit 1
  read -r s cpu be <<< "$reference_result"
  log "$ref_name run $run: $RECORDS rows in ${s}s = $(rate "$RECORDS" "$s") rows/s; CPU s: $ref_client $cpu, $server_name $be"
  echo "$sidecar_result $reference_result" >> "$work/runs.txt"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$SIDECAR" = 1 ]; then
  case "$DEST" in
    postgres) log "sidecar table: $(psql_bench -tAc "select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) from information_schema.columns where table_schema = '$schema' and table_name = '${prefix}stream_1'")" ;;
    mysql) log "sidecar table: $(mysql_bench -e "select group_concat(concat(column_name, ' ', column_type) order by ordinal_position separator ', ') from information_schema.columns where table_schema = '$BENCH_DB' and table_name = '${prefix}stream_1'")" ;;
    s3) log "sidecar object: $s3_bucket/${prefix}stream_1$s3_ext, $(stat -c %s "$s3_data/$s3_bucket/${prefix}stream_1$s3_ext") bytes" ;;
  esac
fi

# ---- summary ---------------------------------------------------------------------------------------
# runs.txt columns: 1 sidecar wall s, 2 sidecar peak RSS KB, 3 sidecar CPU, 4 source CPU, 5 server CPU,
#                   6 reference wall s, 7 reference client CPU, 8 reference server CPU.
# The CPU-bound estimate is the wall time on 2 idle cores if the processes overlapped perfectly:
# the larger of (all CPU seconds / 2) and the busiest single process. Optimistic, load-independent.
cpu_bound() { awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { m = a; if (b > m) m = b; if (c > m) m = c; t = (a + b + c) / 2; print (t > m) ? t : m }'; }
ref_s=$(column 6); ref_client_cpu=$(column 7); ref_server_cpu=$(column 8)
ref_bound=$(cpu_bound "$ref_client_cpu" "$ref_server_cpu" 0)
line_bytes=$("$source_cmd" read --catalog "$work/catalog.json" \
    --config <(echo "{\"streams\":$STREAMS,\"records_per_stream\":1000,\"record_bytes\":$RECORD_BYTES}") \
  | grep '"type":"RECORD"' | awk '{ n += length($0) + 1 } END { printf "%d", n / NR }')
what=$DEST; [ "$DEST" = s3 ] && what="s3, compression $COMPRESSION"
echo "sidecar-throughput ($what): $RECORDS records ($STREAMS stream(s), data ~$RECORD_BYTES B, RECORD line ~$line_bytes B), medians of $RUNS run(s)"
echo "  machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load average before: $load_before, after: $load_after"
echo "  source alone -> /dev/null : ${source_s}s wall, $(rate "$RECORDS" "$source_s") records/s; CPU ${source_cpu}s"
if [ "$SIDECAR" = 1 ]; then
  sc_s=$(column 1); sc_cpu=$(column 3); sc_src=$(column 4); sc_backend=$(column 5)
  peak_rss_kb=$(cut -d' ' -f2 "$work/runs.txt" | sort -n | tail -1)
  sc_bound=$(cpu_bound "$sc_cpu" "$sc_src" "$sc_backend")
  echo "  source -> sidecar -> $DEST : ${sc_s}s wall, $(rate "$RECORDS" "$sc_s") records/s; sidecar peak RSS $((peak_rss_kb / 1024)) MB (max of runs)"
  echo "                              CPU s: sidecar $sc_cpu, source $sc_src, $server_name $sc_backend"
fi
echo "  $ref_name reference : ${ref_s}s wall, $(rate "$RECORDS" "$ref_s") rows/s; CPU s: $ref_client $ref_client_cpu, $server_name $ref_server_cpu"
if [ "$SIDECAR" = 1 ]; then
  echo "  ratio sidecar / reference : $(awk '{ print $6 / $1 }' "$work/runs.txt" | median | xargs printf '%.2f') (median of per-run wall-time ratios)"
  echo "  CPU-bound estimate, 2 idle cores: sidecar path ${sc_bound}s = $(rate "$RECORDS" "$sc_bound") records/s," \
       "reference ${ref_bound}s = $(rate "$RECORDS" "$ref_bound") rows/s, ratio $(calc "$ref_bound / $sc_bound" | xargs printf '%.2f')"
fi
echo "  per run (sidecar s, RSS KB, sidecar CPU, source CPU, server CPU, reference s, $ref_client CPU, server CPU): $(tr '\n' ';' < "$work/runs.txt")"
echo "  work dir: $work"
