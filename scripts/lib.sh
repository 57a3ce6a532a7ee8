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

# The directory ./syncctl was run from (it changes to the repository): relative paths on its
# command line are taken from there.
caller_dir() { printf '%s' "${CALLER_DIR:-$PWD}"; }

# A user path made absolute against caller_dir.
absolute_path() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(caller_dir)" "$1" ;; esac; }

# image_arg NAME=COMMAND: checks the pair and prints it with every relative path in COMMAND (a word
# with a slash that names an existing file) made absolute: pods run in their own directories.
image_arg() {
  local pair="$1" name cmd word out="" prog
  case "$pair" in ?*=?*) ;; *) die "--image needs NAME=COMMAND, got '$pair'" ;; esac
  name="${pair%%=*}"; cmd="${pair#*=}"
  for word in $cmd; do
    case "$word" in
      /*) ;;
      */*) [ -e "$(caller_dir)/$word" ] && word="$(caller_dir)/$word" ;;
    esac
    out="${out:+$out }$word"
  done
  prog="${out%% *}"
  case "$prog" in
    */*) [ -f "$prog" ] || die "--image $name: $prog not found"
         [ -x "$prog" ] || die "--image $name: $prog is not executable (chmod +x it, or write 'sh $prog')" ;;
    *) command -v "$prog" >/dev/null || die "--image $name: $prog is not a command on PATH" ;;
  esac
  printf '%s=%s' "$name" "$out"
}

# The repository of an image name (no tag, no digest), as the local cluster and the api see it.
image_repository() {
  local n="${1%%@*}"
  case "${n##*/}" in *:*) n="${n%:*}" ;; esac
  printf '%s' "$n"
}
# The tag of an image name, or empty.
image_tag() {
  local n="${1%%@*}"
  case "${n##*/}" in *:*) printf '%s' "${n##*:}" ;; esac
}
