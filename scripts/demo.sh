#!/usr/bin/env bash
# The one-command demo (./syncctl demo [--once]): local PostgreSQL, the local single-node cluster
# simulation, one api and two workers, then spec, check, discover and read of the synthetic source
# into a Postgres destination. Honours SYNCCTL_* variables already set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"

once=0
for a in "$@"; do
  case "$a" in
    --once) once=1 ;;
    *) die "unknown option $a (usage: ./syncctl demo [--once])" ;;
  esac
done

JAVA="$(java_bin)"
build_if_missing

# ---- settings -----------------------------------------------------------------------------
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
  [ -s "$STATE_DIR/payload_key" ] || head -c 32 /dev/urandom | base64 > "$STATE_DIR/payload_key"
  export SYNCCTL_PAYLOAD_KEY="$(cat "$STATE_DIR/payload_key")"
fi
export SYNCCTL_HTTP_PORT="${SYNCCTL_HTTP_PORT:-3043}"
export SYNCCTL_SIDECAR_IMAGE="${SYNCCTL_SIDECAR_IMAGE:-syncctl/sidecar:dev}"
export SYNCCTL_CONTAINER_STATUS_CHECK_SECONDS="${SYNCCTL_CONTAINER_STATUS_CHECK_SECONDS:-2}"
export SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS="${SYNCCTL_CONTAINER_INIT_TIMEOUT_SECONDS:-60}"
DASHBOARD_PORT="${SYNCCTL_DASHBOARD_PORT:-8000}"
DASHBOARD_USER="${SYNCCTL_DASHBOARD_USERNAME:-admin}"
PASSWORD_NOTE="password from SYNCCTL_DASHBOARD_PASSWORD"
if [ -z "${SYNCCTL_DASHBOARD_PASSWORD:-}" ]; then
  [ -s "$STATE_DIR/dashboard_password" ] || head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$STATE_DIR/dashboard_password"
  SYNCCTL_DASHBOARD_PASSWORD="$(cat "$STATE_DIR/dashboard_password")"
  PASSWORD_NOTE="password in $STATE_DIR/dashboard_password"
fi
API="http://127.0.0.1:$SYNCCTL_HTTP_PORT"
TOKEN="${SYNCCTL_AUTH_TOKENS:-}"; TOKEN="${TOKEN%%,*}"
case "$TOKEN" in *.*) TOKEN="${SYNCCTL_DEMO_TOKEN:-}";; esac   # hashed tokens cannot be sent; say which to use

where_to_look() {
  say "api:        $API  (POST /check, /discover, /read; GET /spec, /cancel, /health)"
  say "dashboard:  http://127.0.0.1:$DASHBOARD_PORT/dashboard  (user $DASHBOARD_USER, $PASSWORD_NOTE)"
  say "database:   $(redact_url "$SYNCCTL_DATABASE_URL")  (result tables; destination schema demo_destination)"
  say "logs:       $STATE_DIR/logs  (cluster, api, worker-1, worker-2)"
  say "pods:       kubectl --kubeconfig $STATE_DIR/kubeconfig get pods"
}
where_to_look

# ---- processes ----------------------------------------------------------------------------
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

KUBECONFIG_FILE="$STATE_DIR/kubeconfig"
rm -f "$KUBECONFIG_FILE"
"$JAVA" -jar "$CLUSTER_JAR" --kubeconfig "$KUBECONFIG_FILE" --work-dir "$STATE_DIR/pods" \
  > "$STATE_DIR/logs/cluster.log" 2>&1 &
PIDS+=($!)
wait_for "local cluster" 30 test -s "$KUBECONFIG_FILE"
export SYNCCTL_KUBERNETES_CLIENT_CONFIG="$KUBECONFIG_FILE"

"$JAVA" -jar "$API_JAR" > "$STATE_DIR/logs/api.log" 2>&1 &
PIDS+=($!)
for i in 1 2; do
  if [ "$i" = 1 ]; then
    SYNCCTL_DASHBOARD_PORT="$DASHBOARD_PORT" SYNCCTL_DASHBOARD_USERNAME="$DASHBOARD_USER" \
    SYNCCTL_DASHBOARD_PASSWORD="$SYNCCTL_DASHBOARD_PASSWORD" SYNCCTL_HTTP_PORT=$((SYNCCTL_HTTP_PORT + i)) \
      "$JAVA" -jar "$WORKER_JAR" > "$STATE_DIR/logs/worker-$i.log" 2>&1 &
  else
    env -u SYNCCTL_DASHBOARD_PORT SYNCCTL_HTTP_PORT=$((SYNCCTL_HTTP_PORT + i)) \
      "$JAVA" -jar "$WORKER_JAR" > "$STATE_DIR/logs/worker-$i.log" 2>&1 &
  fi
  PIDS+=($!)
done
wait_for "api" 60 curl -fsS -o /dev/null "$API/health"
for i in 1 2; do wait_for "worker $i" 60 curl -fsS -o /dev/null "http://127.0.0.1:$((SYNCCTL_HTTP_PORT + i))/q/health/live"; done

# ---- the demo ---------------------------------------------------------------------------------
status=0
bash "$ROOT/scripts/demo-steps.sh" "$API" "$TOKEN" || status=$?

echo
where_to_look
if [ "$once" = 1 ]; then
  exit "$status"
fi
say "running; send your own requests to $API (Ctrl-C to stop)"
wait
