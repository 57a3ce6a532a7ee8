#!/usr/bin/env bash
# A picture of the Grafana dashboard over a real demo run, where no Grafana is at hand:
#   deploy/observability/preview.sh [OUT.png]      (default deploy/observability/dashboard-preview.png)
# 1. starts `./syncctl demo` (or uses the one answering on SYNCCTL_HTTP_PORT, default 3043; its
#    workers on the next two ports, as scripts/stack.sh starts them) and waits for its steps;
# 2. runs a Prometheus server (Debian's `prometheus` package) in a temporary directory, scraping
#    the api's and both workers' /q/metrics every 5 s, with syncctl-rules.yml loaded;
# 3. sends more traffic the way a client does (scripts/steps-lib.sh): spec and check requests,
#    a request the api rejects, a slow read, a read cancelled midway, a read and a discover that
#    fail, a check of an image the local cluster does not have, for PREVIEW_MINUTES (default 5);
# 4. renders every panel of syncctl-dashboard.json from Prometheus' /api/v1/query_range
#    (preview/render.py: same titles, queries, legends, units and grid) into one HTML page and
#    screenshots it with headless Chromium (Debian's `chromium`).
# Prometheus and a demo it started are stopped at the end. SYNCCTL_* variables are the demo's
# (README.md); PREVIEW_PROMETHEUS_PORT (default 9391) is where Prometheus listens.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"
source "$ROOT/scripts/stack.sh"

OUT="$(absolute_path "${1:-deploy/observability/dashboard-preview.png}")"
PROM_PORT="${PREVIEW_PROMETHEUS_PORT:-9391}"
MINUTES="${PREVIEW_MINUTES:-5}"
command -v prometheus >/dev/null || die "needs Prometheus: apt-get install prometheus"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$CHROMIUM" ] || die "needs Chromium: apt-get install chromium"
PROM="http://127.0.0.1:$PROM_PORT"
if curl -fsS -o /dev/null --max-time 2 "$PROM/-/ready" 2>/dev/null; then
  die "something already answers on $PROM: set PREVIEW_PROMETHEUS_PORT to another port"
fi

stack_settings
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- Prometheus, before the demo so its first requests are scraped --------------------------------
cat > "$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 5s, evaluation_interval: 5s}
rule_files: ["$ROOT/deploy/observability/syncctl-rules.yml"]
scrape_configs:
  - job_name: syncctl-api
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$SYNCCTL_HTTP_PORT"]}]
  - job_name: syncctl-worker
    metrics_path: /q/metrics
    static_configs: [{targets: ["127.0.0.1:$((SYNCCTL_HTTP_PORT + 1))", "127.0.0.1:$((SYNCCTL_HTTP_PORT + 2))"]}]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" > "$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_for "Prometheus" 30 curl -fsS "$PROM/-/ready"
START=$(date +%s)
say "Prometheus: $PROM (scraping 127.0.0.1:$SYNCCTL_HTTP_PORT-$((SYNCCTL_HTTP_PORT + 2))/q/metrics every 5 s)"

# ---- the demo ---------------------------------------------------------------------------------------
if curl -fsS -o /dev/null --max-time 2 "$API/health" 2>/dev/null; then
  say "using the demo that answers on $API"
else
  say "starting ./syncctl demo (log: $WORK/demo.log)"
  rm -f "$STACK_FILE"
  ./syncctl demo > "$WORK/demo.log" 2>&1 &
  PIDS+=($!)
  for ((i = 0; ; i++)); do
    [ -f "$STACK_FILE" ] && break
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null || [ "$i" -ge 900 ]; then
      tail -n 30 "$WORK/demo.log" >&2
      die "the demo did not come up and finish its steps (above: the end of its output)"
    fi
    sleep 1
  done
  grep -q "every step succeeded" "$WORK/demo.log" || say "warning: the demo reported failures: $(grep -c FAILED "$WORK/demo.log") lines"
fi

# ---- more traffic, as a client sends it ---------------------------------------------------------------
source "$ROOT/scripts/steps-lib.sh"
PKG=syncctl/source-synthetic; VER=dev; RUN=$(date +%s)
CONFIG='{"streams":2,"records_per_stream":3000,"incremental":true}'
quiet() { "$@" > /dev/null; }
read_task() { # TASK_ID CONFIG
  quiet call POST "/read?package=$PKG&version=$VER&taskId=$1&syncId=$1&tableNamePrefix=preview_" \
    "{\"config\":$2,\"catalog\":$CONFIGURED,\"destinationConfig\":$DEST}"
}
quiet call POST "/discover?package=$PKG&version=$VER&storageKey=preview-$RUN" "{\"config\":$CONFIG}"
poll 120 "SELECT 1 FROM source_catalog WHERE key='preview-$RUN' AND status = 'SUCCESS'" > /dev/null \
  || die "discover for the extra reads did not succeed"
CONFIGURED=$(configured_catalog "$(pg "$DB" -tA -c "SELECT catalog::text FROM source_catalog WHERE key='preview-$RUN'")" | cut -f2)

say "extra traffic for $MINUTES minutes"
read_task "preview-slow-$RUN" '{"streams":2,"records_per_stream":3000,"incremental":true,"sleep_ms_per_record":25}'
read_task "preview-cancelled-$RUN" '{"streams":2,"records_per_stream":3000,"incremental":true,"sleep_ms_per_record":25}'
read_task "preview-crash-$RUN" '{"streams":2,"records_per_stream":3000,"incremental":true,"crash_after":1500}'
quiet call POST "/discover?package=$PKG&version=$VER&storageKey=preview-fail-$RUN" '{"config":{"fail_discover":"preview: discover fails on purpose"}}'
quiet call POST "/check?package=syncctl/no-such-source&version=dev&storageKey=preview-noimage-$RUN" '{"config":{}}'
END_AT=$(( $(date +%s) + MINUTES * 60 ))
for ((n = 0; $(date +%s) < END_AT; n++)); do
  quiet call GET "/spec?package=$PKG&version=$VER"
  quiet call POST "/check?package=$PKG&version=$VER&storageKey=preview-check-$RUN-$n" "{\"config\":$CONFIG}"
  quiet call POST "/check?version=$VER&storageKey=preview-bad-$RUN-$n" '{"config":{}}'   # no package: 400
  [ "$n" = 2 ] && quiet call GET "/cancel?taskId=preview-cancelled-$RUN&syncId=preview-cancelled-$RUN&package=$PKG"
  [ $((n % 4)) = 3 ] && read_task "preview-read-$RUN-$n" "$CONFIG"
  sleep 15
done
say "outcomes of the extra tasks:"
pg "$DB" -c "SELECT task_id, status, left(coalesce(description, ''), 70) AS description FROM source_task WHERE task_id LIKE 'preview-%-$RUN%' ORDER BY task_id"
pg "$DB" -c "SELECT key, status, left(coalesce(description, ''), 70) AS description FROM source_check WHERE key = 'preview-noimage-$RUN'
             UNION ALL SELECT key, status, left(coalesce(description, ''), 70) FROM source_catalog WHERE key = 'preview-fail-$RUN'"
sleep 10   # one more scrape of the last ends

# ---- render and screenshot ------------------------------------------------------------------------------
END=$(date +%s)
alerts=$(curl -fsS "$PROM/api/v1/alerts" | python3 -c 'import json,sys; a=json.load(sys.stdin)["data"]["alerts"]; print(", ".join(sorted({x["labels"]["alertname"] + " (" + x["state"] + ")" for x in a})) or "none")')
note="Traffic: ./syncctl demo on the local cluster simulation (one api, two workers), then $MINUTES minutes of spec/check requests, rejected requests, reads (one slow, one cancelled, one crashing), a failing discover and a check of a missing image. Alerts of syncctl-rules.yml pending or firing at the end: $alerts."
height=$(python3 deploy/observability/preview/render.py --prometheus "$PROM" --dashboard deploy/observability/syncctl-dashboard.json \
  --start "$START" --end "$END" --out "$WORK/page.html" --note "$note")
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$WORK/chromium" --hide-scrollbars \
  --force-device-scale-factor=1 --window-size="1400,$height" --screenshot="$OUT" "file://$WORK/page.html" \
  > "$WORK/chromium.log" 2>&1 || { cat "$WORK/chromium.log" >&2; die "Chromium could not take the screenshot"; }
[ -s "$OUT" ] || die "no screenshot written ($WORK/chromium.log)"
say "wrote $OUT ($(du -k "$OUT" | cut -f1) KB); alerts at the end: $alerts"
