#!/usr/bin/env bash
# The demo's requests: spec, check (good and bad credentials), discover and read of the synthetic
# source into a Postgres destination, each followed by the result rows a client would poll.
# Usage: demo-steps.sh API_URL [TOKEN]. Exits non-zero if any step did not end as expected.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
API="$1"; TOKEN="${2:-}"
source "$ROOT/scripts/steps-lib.sh"
PKG=syncctl/source-synthetic; VER=dev
RUN=$(date +%s)

CONFIG='{"streams":2,"records_per_stream":5000,"incremental":true,"api_key":"demo-secret-key"}'

step "GET /spec"
call GET "/spec?package=$PKG&version=$VER"
out=$(poll 120 "SELECT CASE WHEN specs IS NOT NULL THEN 'spec stored: ' || left(specs::text, 120) || '...' ELSE 'error: ' || error END FROM source_spec WHERE package='$PKG' AND version='$VER' AND (specs IS NOT NULL OR error <> 'pending') AND \"timestamp\" > to_timestamp($RUN)")
echo "$out"; expect "spec" "$out" "spec stored"

step "POST /check (good credentials)"
call POST "/check?package=$PKG&version=$VER&storageKey=demo-check-$RUN" "{\"config\":$CONFIG}"
out=$(poll 120 "SELECT status || ' ' || coalesce(description, '') FROM source_check WHERE key='demo-check-$RUN'")
echo "$out"; expect "check succeeds" "$out" "SUCCESS"

step "POST /check (bad credentials)"
call POST "/check?package=$PKG&version=$VER&storageKey=demo-badcheck-$RUN" '{"config":{"fail_check":"invalid api key"}}'
out=$(poll 120 "SELECT status || ' ' || coalesce(description, '') FROM source_check WHERE key='demo-badcheck-$RUN'")
echo "$out"; expect "check with bad credentials fails with the connector's message" "$out" "FAILED invalid api key"

step "POST /discover"
call POST "/discover?package=$PKG&version=$VER&storageKey=demo-$RUN" "{\"config\":$CONFIG}"
out=$(poll 120 "SELECT status || ' ' || coalesce(left(catalog::text, 120), description, '') FROM source_catalog WHERE key='demo-$RUN' AND status <> 'RUNNING'")
echo "$out"; expect "discover" "$out" "SUCCESS"
# Select every discovered stream (what a console app does). The stored catalog is jsonb: taken as text.
CATALOG=$(pg "$DB" -tA -c "SELECT catalog::text FROM source_catalog WHERE key = 'demo-$RUN'")
CONFIGURED=$(configured_catalog "$CATALOG" | cut -f2)

step "POST /read (first run: full load)"
call POST "/read?package=$PKG&version=$VER&taskId=demo-read-$RUN&syncId=demo-sync-$RUN&tableNamePrefix=demo_" \
  "{\"config\":$CONFIG,\"catalog\":$CONFIGURED,\"destinationConfig\":$DEST}"
out=$(poll 300 "SELECT status || ' ' || coalesce(description, '') FROM source_task WHERE task_id='demo-read-$RUN' AND status <> 'RUNNING'")
echo "$out"; expect "read" "$out" "SUCCESS"
say "state rows:"; pg "$DB" -c "SELECT stream, left(state::text, 80) AS state FROM source_state WHERE sync_id='demo-sync-$RUN'"
say "destination row counts:"
pg "$DB" -c "SELECT table_schema || '.' || table_name AS table, (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint AS rows FROM information_schema.tables WHERE table_schema = '$DEST_SCHEMA' ORDER BY 1"
say "last log lines:"; pg "$DB" -c "SELECT level, logger, left(message, 100) AS message FROM task_log WHERE task_id='demo-read-$RUN' ORDER BY \"timestamp\" DESC LIMIT 8"

echo
if [ "$failed" = 0 ]; then say "demo finished: every step succeeded"; else say "demo finished with failures (see above and the logs)"; fi
say "tables to poll: source_spec, source_check, source_catalog, source_task, source_state, task_log"
exit "$failed"
