# The local stack of ./syncctl demo and ./syncctl try (sourced, not run): PostgreSQL, the local
# single-node cluster simulation, one api and two workers. Honours SYNCCTL_* variables already set.
#   stack_settings              settings and defaults (database, payload key, ports, dashboard)
#   stack_start [NAME=CMD...]   start the processes, the cluster mapping each image NAME to CMD;
#                               they are stopped when the calling script exits
#   stack_announce NAME=CMD...  record the running stack in $STATE_DIR/stack.env, so that
#                               ./syncctl try reuses it (removed when the script exits)
#   stack_reusable NAME=CMD...  true when a stack announced that way runs and maps every image as
#                               given; dies with what to do when one runs without them

stack_settings() {
  STATE_DIR="${SYNCCTL_DEMO_DIR:-$HOME/.syncctl/demo}"
  mkdir -p "$STATE_DIR/logs"
  if [ -z "${SYNCCTL_DATABASE_URL:-}" ]; then
    bash "$ROOT/scripts/ensure-postgres.sh"
    psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='syncctl_demo'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE syncctl_demo"
    export SYNCCTL_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/syncctl_demo"
  fi
  if [ -z "${SYNCCTL_PAYLOAD_KEY:-}" ]; then
    # Kept across runs so tasks queued by an earlier demo can still be decrypted.
    [ -s "$STATE_DIR/payload_key" ] || (umask 077; head -c 32 /dev/urandom | base64 > "$STATE_DIR/payload_key")
    export SYNCCTL_PAYLOAD_KEY="$(cat "$STATE_DIR/payload_key")"
  fi
  export SYNCCTL_HTTP_PORT="${SYNCCTL_HTTP_PORT:-3043}"
  export SYNCCTL_SIDECAR_IMAGE="${SYNCCTL_SIDECAR_IMAGE:-syncctl/sidecar:dev}"
  export SYNCCTL_CONTAINER_STATUS_CHECK_SECONDS="${SYNCCTL_CONTAINER_STATUS_CHECK_SECONDS:-2}"
  export SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS="${SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS:-60}"
  export SYNCCTL_DEMO_DESTINATION_SCHEMA="${SYNCCTL_DEMO_DESTINATION_SCHEMA:-demo_destination}"
  DASHBOARD_PORT="${SYNCCTL_DASHBOARD_PORT:-8000}"
  DASHBOARD_USER="${SYNCCTL_DASHBOARD_USERNAME:-admin}"
  PASSWORD_NOTE="password from SYNCCTL_DASHBOARD_PASSWORD"
  if [ -z "${SYNCCTL_DASHBOARD_PASSWORD:-}" ]; then
    [ -s "$STATE_DIR/dashboard_password" ] || (umask 077; head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$STATE_DIR/dashboard_password")
    SYNCCTL_DASHBOARD_PASSWORD="$(cat "$STATE_DIR/dashboard_password")"
    PASSWORD_NOTE="password in $STATE_DIR/dashboard_password"
  fi
  API="http://127.0.0.1:$SYNCCTL_HTTP_PORT"
  TOKEN="${SYNCCTL_AUTH_TOKENS:-}"; TOKEN="${TOKEN%%,*}"
  case "$TOKEN" in *.*) TOKEN="${SYNCCTL_DEMO_TOKEN:-}";; esac   # hashed tokens cannot be sent; say which to use
  STACK_FILE="$STATE_DIR/stack.env"
}

where_to_look() {
  say "api:        $API  (POST /check, /discover, /read; GET /spec, /cancel, /health)"
  say "dashboard:  http://127.0.0.1:$DASHBOARD_PORT/dashboard  (user $DASHBOARD_USER, $PASSWORD_NOTE)"
  say "database:   $(redact_url "$SYNCCTL_DATABASE_URL")  (result tables; destination schema $SYNCCTL_DEMO_DESTINATION_SCHEMA)"
  say "logs:       $STATE_DIR/logs  (cluster, api, worker-1, worker-2)"
  say "pods:       kubectl --kubeconfig $STATE_DIR/kubeconfig get pods"
}

STACK_PIDS=()
stack_stop() {
  local p
  [ -n "${STACK_ANNOUNCED:-}" ] && rm -f "$STACK_FILE"
  for p in "${STACK_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

stack_start() {
  local java image cluster_args=() i
  java="$(java_bin)"
  build_if_missing
  if curl -fsS -o /dev/null --max-time 2 "$API/health" 2>/dev/null; then
    die "something already answers on $API (a demo still running?): stop it, or set SYNCCTL_HTTP_PORT to another port"
  fi
  for image in "$@"; do cluster_args+=(--image "$image"); done
  trap stack_stop EXIT
  trap 'exit 130' INT TERM

  KUBECONFIG_FILE="$STATE_DIR/kubeconfig"
  rm -f "$KUBECONFIG_FILE"
  "$java" -jar "$CLUSTER_JAR" --kubeconfig "$KUBECONFIG_FILE" --work-dir "$STATE_DIR/pods" "${cluster_args[@]}" \
    > "$STATE_DIR/logs/cluster.log" 2>&1 &
  STACK_PIDS+=($!)
  wait_for "local cluster" 60 test -s "$KUBECONFIG_FILE"
  export SYNCCTL_KUBERNETES_CLIENT_CONFIG="$KUBECONFIG_FILE"

  "$java" -jar "$API_JAR" > "$STATE_DIR/logs/api.log" 2>&1 &
  STACK_PIDS+=($!)
  for i in 1 2; do
    if [ "$i" = 1 ]; then
      SYNCCTL_DASHBOARD_PORT="$DASHBOARD_PORT" SYNCCTL_DASHBOARD_USERNAME="$DASHBOARD_USER" \
      SYNCCTL_DASHBOARD_PASSWORD="$SYNCCTL_DASHBOARD_PASSWORD" SYNCCTL_HTTP_PORT=$((SYNCCTL_HTTP_PORT + i)) \
        "$java" -jar "$WORKER_JAR" > "$STATE_DIR/logs/worker-$i.log" 2>&1 &
    else
      env -u SYNCCTL_DASHBOARD_PORT SYNCCTL_HTTP_PORT=$((SYNCCTL_HTTP_PORT + i)) \
        "$java" -jar "$WORKER_JAR" > "$STATE_DIR/logs/worker-$i.log" 2>&1 &
    fi
    STACK_PIDS+=($!)
  done
  wait_up api "${STACK_PIDS[1]}" "$API/health"
  for i in 1 2; do wait_up "worker-$i" "${STACK_PIDS[$((i + 1))]}" "http://127.0.0.1:$((SYNCCTL_HTTP_PORT + i))/q/health/live"; done
}

# wait_up NAME PID URL: until URL answers; a process that exits first is reported with its log's end.
wait_up() {
  local i
  for ((i = 0; i < 150; i++)); do
    curl -fsS -o /dev/null --max-time 2 "$3" 2>/dev/null && return 0
    if ! kill -0 "$2" 2>/dev/null; then
      tail -n 15 "$STATE_DIR/logs/$1.log" >&2
      die "$1 exited during startup (above: the end of $STATE_DIR/logs/$1.log)"
    fi
    sleep 1
  done
  die "$1 did not answer $3 within 150 s (see $STATE_DIR/logs/$1.log)"
}

# The file holds no secret: the api's address, this script's pid and the image mappings.
stack_announce() {
  local image
  {
    printf 'STACK_PID=%s\nSTACK_API=%q\n' "$$" "$API"
    for image in "$@"; do printf 'STACK_IMAGES+=(%q)\n' "$image"; done
  } > "$STACK_FILE"
  STACK_ANNOUNCED=1
}

stack_reusable() {
  local STACK_PID="" STACK_API="" STACK_IMAGES=() image have found
  [ -f "$STACK_FILE" ] || return 1
  # shellcheck disable=SC1090
  source "$STACK_FILE"
  if ! kill -0 "$STACK_PID" 2>/dev/null || ! curl -fsS -o /dev/null --max-time 5 "$STACK_API/health"; then
    rm -f "$STACK_FILE"
    return 1
  fi
  [ "$STACK_API" = "$API" ] \
    || die "the running demo (pid $STACK_PID) serves $STACK_API, not $API: unset SYNCCTL_HTTP_PORT or stop it"
  for image in "$@"; do
    found=0
    for have in "${STACK_IMAGES[@]}"; do
      if [ "$(image_repository "${have%%=*}")" = "$(image_repository "${image%%=*}")" ] && [ "${have#*=}" = "${image#*=}" ]; then found=1; fi
    done
    [ "$found" = 1 ] || die "the running demo (pid $STACK_PID) does not run image ${image%%=*} as '${image#*=}' (its local cluster maps images at start): stop it (Ctrl-C), or restart it with ./syncctl demo --image '$image'"
  done
  return 0
}
