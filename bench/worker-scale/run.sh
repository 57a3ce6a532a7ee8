#!/usr/bin/env bash
# worker-scale: one real worker process against fabric8's mock Kubernetes API server (its own
# process) and a driver that plays the api (accepts tasks), the kubelet (pods to Running, then
# Succeeded) and the sidecar (the read's final status). Measures:
#   1. launch rate from a backlog of BACKLOG queued reads: pods created per second, first to last pod;
#   2. the worker's CPU (/proc/<pid>/stat over WINDOW s) and heap (jcmd GC.heap_info) with RUNNING pods running;
#   3. pod terminated (the driver's status write, its clock) -> task finalised (syncctl_task.finished_at,
#      same machine clock), p50/p99, for BURST pods ending at once.
# Physical reference: the API server's own create rate for the same Pod + Secret pairs (built by the
# worker's TaskPodBuilder) from REFERENCE_THREADS threads of a plain fabric8 client, on a fresh server.
#
#   bench/worker-scale/run.sh
#   BACKLOG=300 RUNNING=600 BURST=200 WINDOW=30 bench/worker-scale/run.sh     # a quick one
#
# Settings (environment): BACKLOG (1000), RUNNING (2000), BURST (500), WINDOW (60), SETTLE (30 s between
# all pods running and the CPU window), REFERENCE_THREADS (16, the worker's job threads), BENCH_DB
# (syncctl_bench; never a test database; schema worker_scale is dropped and recreated), PGHOST/PGPORT/PGUSER
# (127.0.0.1/5432/postgres), WORK_DIR (a fresh temporary directory: logs, kubeconfig), WORKER_JAVA_OPTS.
# Builds the worker (and its test classpath, which has the mock server) when missing; to measure changed
# code, rebuild first: ./mvnw -B -q -pl worker -am package -DskipTests dependency:build-classpath
#   -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# Targets: >= 50 pods/s launched, finalise p50 <= 1 s and p99 <= 3 s, < 10% of one core at steady state.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
BACKLOG=${BACKLOG:-1000}
RUNNING=${RUNNING:-2000}
BURST=${BURST:-500}
WINDOW=${WINDOW:-60}
SETTLE=${SETTLE:-30}
REFERENCE_THREADS=${REFERENCE_THREADS:-16}
BENCH_DB=${BENCH_DB:-syncctl_bench}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"
case "$BENCH_DB" in *_test) echo "BENCH_DB must not be a test database ($BENCH_DB)" >&2; exit 2 ;; esac
schema=worker_scale
work=${WORK_DIR:-$(mktemp -d /tmp/worker-scale.XXXXXX)}
mkdir -p "$work"
log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }

# A JDK 21 or newer: JAVA_HOME when it is one, else the first under /usr/lib/jvm.
major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
jdk21() { [ -x "$1/bin/java" ] && [ -x "$1/bin/jcmd" ] && [ "$(major "$1")" -ge 21 ] 2>/dev/null; }
jdk=""
if [ -n "${JAVA_HOME:-}" ] && jdk21 "$JAVA_HOME"; then jdk=$JAVA_HOME; else
  for candidate in /usr/lib/jvm/*; do if jdk21 "$candidate"; then jdk=$candidate; break; fi; done
fi
[ -n "$jdk" ] || { echo "no JDK 21 or newer with jcmd (set JAVA_HOME)" >&2; exit 2; }

# ---- prerequisites -------------------------------------------------------------------------------
worker_jar=$root/worker/target/quarkus-app/quarkus-run.jar
classpath_file=$root/worker/target/test-classpath.txt
if [ ! -f "$worker_jar" ] || [ ! -f "$classpath_file" ] || [ ! -d "$root/worker/target/test-classes" ]; then
  log "building the worker and its test classpath"
  (cd "$root" && JAVA_HOME=$jdk ./mvnw -B -q -pl worker -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test)
fi
cp="$root/worker/target/classes:$root/worker/target/test-classes:$(cat "$classpath_file")"
# The driver: a single-file program; JVM options go before the source file.
driver=("$jdk/bin/java" -cp "$cp" -Djava.util.logging.manager=org.jboss.logmanager.LogManager)
src=$root/bench/worker-scale/WorkerScale.java

if ! psql -X -d postgres -tAc "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
  psql -X -q -d postgres -c "create database $BENCH_DB"
fi
psql -X -q -d "$BENCH_DB" -c "drop schema if exists $schema cascade" -c "drop schema if exists syncctl cascade" \
  -c "create schema $schema"
database_url="postgresql://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB?search_path=$schema"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

log "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), JDK $(major "$jdk")"

# ---- the API server, in its own process -----------------------------------------------------------
"${driver[@]}" "$src" api-server "$work/kubeconfig" > "$work/api-server.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 120); do [ -f "$work/kubeconfig" ] && break; sleep 1; done
[ -f "$work/kubeconfig" ] || { cat "$work/api-server.log" >&2; echo "the API server did not start" >&2; exit 1; }
log "$(grep 'api server ready' "$work/api-server.log")"

# ---- physical reference: the API server's own create rate -----------------------------------------
log "reference: $BACKLOG Pod + Secret pairs from $REFERENCE_THREADS threads"
"${driver[@]}" -Dbench.clk_tck="$(getconf CLK_TCK)" "$src" reference "$work/kubeconfig" "$BACKLOG" "$REFERENCE_THREADS" "$api_pid" 2> "$work/reference.log" | tee "$work/results.txt"

# ---- the worker ---------------------------------------------------------------------------------------
http_port=$(free_port)
# The JVM flags the worker image ships with (its ENTRYPOINT, between "java" and "-jar"), unless overridden.
image_java_opts=$(sed -n 's/^ENTRYPOINT \["java", \(.*\), "-jar".*/\1/p' "$root/deploy/images/worker/Dockerfile" | tr -d '",')
worker_java_opts=${WORKER_JAVA_OPTS-$image_java_opts}
log "worker JVM flags: ${worker_java_opts:-(none)}"
log "starting the worker (HTTP port $http_port)"
env SYNCCTL_DATABASE_URL="$database_url" \
  SYNCCTL_PAYLOAD_KEY="MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" \
  SYNCCTL_SIDECAR_IMAGE="syncctl/sidecar:bench" \
  SYNCCTL_KUBERNETES_CLIENT_CONFIG="$work/kubeconfig" \
  SYNCCTL_HTTP_PORT="$http_port" SYNCCTL_INSTANCE_ID=worker-scale-bench \
  "$jdk/bin/java" $worker_java_opts -jar "$worker_jar" > "$work/worker.log" 2>&1 &
worker_pid=$!
pids+=($worker_pid)
for _ in $(seq 180); do
  curl -fs "http://127.0.0.1:$http_port/q/health/ready" > /dev/null 2>&1 && break
  kill -0 "$worker_pid" 2>/dev/null || { tail -20 "$work/worker.log" >&2; echo "the worker exited" >&2; exit 1; }
  sleep 1
done
curl -fs "http://127.0.0.1:$http_port/q/health/ready" > /dev/null || { echo "the worker never became ready" >&2; exit 1; }
log "worker ready (pid $worker_pid)"

# ---- the drive: launch rate, steady state, burst ----------------------------------------------------
"${driver[@]}" -Dbench.backlog="$BACKLOG" -Dbench.running="$RUNNING" -Dbench.burst="$BURST" \
  -Dbench.window="$WINDOW" -Dbench.settle="$SETTLE" -Dbench.clk_tck="$(getconf CLK_TCK)" \
  -Dbench.jcmd="$jdk/bin/jcmd" -Dbench.metrics="http://127.0.0.1:$http_port/q/metrics" \
  -Dbench.pguser="$PGUSER" "$src" drive "$work/kubeconfig" "$database_url" "$worker_pid" "$api_pid" 2> "$work/drive.log" | tee -a "$work/results.txt"

# ---- summary ------------------------------------------------------------------------------------------
r() { sed -n "s/^RESULT $1=//p" "$work/results.txt"; }
verdict() { awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= t : (op == "<=") ? v <= t : v < t; print ok ? "met" : "MISSED" }'; }
launch=$(r launch_pods_per_s); reference=$(r reference_pods_per_s)
cpu=$(r steady_cpu_percent_of_one_core); p50=$(r burst_latency_p50_ms); p99=$(r burst_latency_p99_ms)
cat <<EOF

worker-scale summary (work dir $work)
  launch rate      $launch pods/s ($(verdict "$launch" ">=" 50) >= 50); API server reference $reference pairs/s (API server $(r cpu_reference_api_server_ms_per_pod) CPU ms/pair); ratio $(awk -v a="$launch" -v b="$reference" 'BEGIN { printf "%.2f", a / b }')
  warm launch      $(r launch_warm_pods_per_s) pods/s (the next $(r launch_warm_tasks) tasks, onto $BACKLOG running pods)
  steady state     $cpu% of one core ($(verdict "$cpu" "<" 10) < 10%) with $(r steady_pods_running) pods; heap $(r steady_heap), after full GC $(r steady_heap_after_full_gc); RSS max $(r steady_rss_max_mb) MB
  finalise burst   p50 $p50 ms ($(verdict "$p50" "<=" 1000) <= 1000), p99 $p99 ms ($(verdict "$p99" "<=" 3000) <= 3000), max $(r burst_latency_max_ms) ms; outcomes $(r burst_outcomes)
  CPU s per phase  launch: worker $(r cpu_launch_worker_s), API server $(r cpu_launch_api_server_s), driver $(r cpu_launch_driver_s), postgres $(r cpu_launch_postgres_s) (worker $(r cpu_launch_worker_ms_per_pod) ms/pod)
                   warm launch: worker $(r cpu_launch_warm_worker_s), API server $(r cpu_launch_warm_api_server_s), driver $(r cpu_launch_warm_driver_s), postgres $(r cpu_launch_warm_postgres_s) (worker $(r cpu_launch_warm_worker_ms_per_pod) ms/pod)
                   steady: worker $(r cpu_steady_worker_s), API server $(r cpu_steady_api_server_s), driver $(r cpu_steady_driver_s), postgres $(r cpu_steady_postgres_s)
                   burst:  worker $(r cpu_burst_worker_s), API server $(r cpu_burst_api_server_s), driver $(r cpu_burst_driver_s), postgres $(r cpu_burst_postgres_s) (worker $(r cpu_burst_worker_ms_per_pod) ms/pod)
                   burst through pod deletion: worker $(r cpu_burst_cleanup_worker_s), API server $(r cpu_burst_cleanup_api_server_s), driver $(r cpu_burst_cleanup_driver_s), postgres $(r cpu_burst_cleanup_postgres_s) (worker $(r cpu_burst_cleanup_worker_ms_per_pod), API server $(r cpu_burst_cleanup_api_server_ms_per_pod) ms/pod)
  load average     start $(r load_start), after launch $(r load_after_launch), after steady $(r load_after_steady), after burst $(r load_after_burst)
EOF
