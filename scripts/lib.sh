# Helpers shared by ./syncctl and the scripts under scripts/ (sourced, not run).
say() { printf '\033[1m[syncctl]\033[0m %s\n' "$*"; }
die() { printf '[syncctl] error: %s\n' "$*" >&2; exit 1; }

# A JDK 21+: JAVA_HOME when it is one, else the first under /usr/lib/jvm.
java_bin() {
  local j v
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    if [ "${v:-0}" -ge 21 ]; then echo "$j/bin/java"; return; fi
  done
  die "no JDK 21 or newer found (install one or set JAVA_HOME)"
}

API_JAR=api/target/quarkus-app/quarkus-run.jar
WORKER_JAR=worker/target/quarkus-app/quarkus-run.jar
SIDECAR_JAR=sidecar/target/syncctl-sidecar.jar
SOURCE_JAR=devkit/target/source-synthetic.jar
CLUSTER_JAR=devkit/target/local-cluster.jar

build_if_missing() {
  local f
  for f in "$API_JAR" "$WORKER_JAR" "$SIDECAR_JAR" "$SOURCE_JAR" "$CLUSTER_JAR"; do
    if [ ! -f "$f" ]; then
      say "building (./mvnw -DskipTests package; the first build downloads dependencies)"
      ./mvnw -B -q -DskipTests package
      return
    fi
  done
}

# wait_for NAME SECONDS COMMAND...: retry COMMAND once a second until it succeeds.
wait_for() {
  local name="$1" secs="$2" i
  shift 2
  for ((i = 0; i < secs; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  die "$name did not come up within ${secs}s (see the logs)"
}

redact_url() { printf '%s' "$1" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#'; }

# psql against a libpq URL that may carry search_path (which libpq itself does not accept).
pg() {
  local url="$1" schema base
  shift
  schema=$(printf '%s' "$url" | sed -nE 's/.*[?&]search_path=([^&]*).*/\1/p')
  base=$(printf '%s' "$url" | sed -E 's/([?&])search_path=[^&]*&?/\1/; s/[?&]$//')
  PGOPTIONS="${schema:+-c search_path=$schema}" psql "$base" -X -q -P pager=off -v ON_ERROR_STOP=1 "$@"
}
