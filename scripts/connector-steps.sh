#!/usr/bin/env bash
# One connector through the running stack, as a client sees it: spec, check, discover, then a read of
# the discovered (or given) catalog into the demo destination, printing each result row, per-stream
# counts, the stored state and the last log lines. Used by ./syncctl try and ./syncctl demo --image.
# Usage: connector-steps.sh PACKAGE VERSION CONFIG_FILE [CATALOG_FILE] [STREAMS] [postgres|stdout]
# with API (and TOKEN, if the api needs one) and SYNCCTL_DATABASE_URL in the environment. With
# `stdout`, the records the read loaded are read back from the destination tables and written to
# file descriptor 3 as JSON lines {"stream":..,"data":{..}}. Exits 1 at the first step that fails.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
PKG="$1"; VER="$2"; CONFIG_FILE="$3"; CATALOG_FILE="${4:-}"; STREAMS="${5:-}"; RECORDS_TO="${6:-postgres}"
source "$ROOT/scripts/steps-lib.sh"
START=$(date +%s)
RUN="$START-$$"
TASK_TIMEOUT="${SYNCCTL_TRY_READ_TIMEOUT_SECONDS:-600}"
# Tables are <connector>_<stream>: e.g. source_hello_greetings for syncctl/source-hello.
PREFIX="$(printf '%s' "${PKG##*/}" | tr -c 'a-z0-9' '_')_"
CONFIG=$(cat "$CONFIG_FILE") || die "cannot read $CONFIG_FILE"

# fail STEP REASON [TASK_ID]: the connector's last log lines of that task, then exit 1.
fail() {
  [ -n "${3:-}" ] && log_lines "$3"
  say "FAILED at $1: $2" >&2
  exit 1
}
log_lines() {
  say "last log lines of task $1:"
  pg "$DB" -v task="$1" <<'SQL'
SELECT to_char("timestamp", 'HH24:MI:SS.MS') AS time, level, logger, left(message, 160) AS message
FROM (SELECT * FROM task_log WHERE task_id = :'task' ORDER BY "timestamp" DESC, id LIMIT 15) l ORDER BY "timestamp"
SQL
}
accepted() { # STEP: the api's answer must be ok; prints its taskId
  [[ "$ANSWER" == *'"ok":true'* ]] || fail "$1" "the api refused the request: $ANSWER"
  printf '%s' "$ANSWER" | sed -n 's/.*"taskId":"\([^"]*\)".*/\1/p'
}
q() { printf '%s' "$1" | sed "s/'/''/g"; }   # a value inside a SQL literal

step "spec: GET /spec?package=$PKG&version=$VER"
call GET "/spec?package=$PKG&version=$VER"
task=$(accepted spec) || exit 1
out=$(poll 120 "SELECT CASE WHEN specs IS NOT NULL THEN 'spec stored: ' || left(specs::text, 200) ELSE 'error: ' || error END FROM source_spec WHERE package='$(q "$PKG")' AND version='$(q "$VER")' AND (specs IS NOT NULL OR error <> 'pending') AND \"timestamp\" > to_timestamp($START)") \
  || fail spec "no source_spec row within 120 s" "$task"
echo "source_spec: $out"
[[ "$out" == "spec stored"* ]] || fail spec "${out#error: }" "$task"

step "check: POST /check?package=$PKG&version=$VER&storageKey=try-check-$RUN"
call POST "/check?package=$PKG&version=$VER&storageKey=try-check-$RUN" "{\"config\":$CONFIG}"
task=$(accepted check) || exit 1
out=$(poll 120 "SELECT status || coalesce(' ' || description, '') FROM source_check WHERE key='try-check-$RUN'") \
  || fail check "no source_check row within 120 s" "$task"
echo "source_check: $out"
[[ "$out" == SUCCESS* ]] || fail check "the connector says: $out" "$task"

step "discover: POST /discover?package=$PKG&version=$VER&storageKey=try-$RUN"
call POST "/discover?package=$PKG&version=$VER&storageKey=try-$RUN" "{\"config\":$CONFIG}"
task=$(accepted discover) || exit 1
out=$(poll 120 "SELECT status || ' ' || coalesce((SELECT 'streams: ' || string_agg(s ->> 'name', ', ') FROM json_array_elements(catalog::json -> 'streams') s), description, '') FROM source_catalog WHERE key='try-$RUN' AND status <> 'RUNNING'") \
  || fail discover "no source_catalog result within 120 s" "$task"
echo "source_catalog: $out"
[[ "$out" == SUCCESS* ]] || fail discover "$out" "$task"

if [ -n "$CATALOG_FILE" ]; then
  CATALOG=$(cat "$CATALOG_FILE") || fail read "cannot read $CATALOG_FILE"
  from="$CATALOG_FILE"
else
  # The stored catalog is jsonb: taken as JSON text.
  CATALOG=$(pg "$DB" -tA -c "SELECT catalog::text FROM source_catalog WHERE key='try-$RUN'")
  from="the discovered catalog"
fi
selection=$(configured_catalog "$CATALOG" "$STREAMS") || fail read "$from is not a catalog (JSON with a streams array)"
missing="${selection%%$'\t'*}"; CONFIGURED="${selection#*$'\t'}"
[ -z "$missing" ] || fail read "--streams names streams that $from does not have: $missing"
[ "$CONFIGURED" != '{"streams" : []}' ] || fail read "$from has no streams to read"

TASK="try-read-$RUN"; SYNC="try-sync-$RUN"
step "read: POST /read?package=$PKG&version=$VER&taskId=$TASK&syncId=$SYNC&tableNamePrefix=$PREFIX"
say "catalog: $from${STREAMS:+, streams $STREAMS}; destination: schema $DEST_SCHEMA, tables $PREFIX<stream>"
call POST "/read?package=$PKG&version=$VER&taskId=$TASK&syncId=$SYNC&tableNamePrefix=$PREFIX" \
  "{\"config\":$CONFIG,\"catalog\":$CONFIGURED,\"destinationConfig\":$DEST}"
accepted read >/dev/null || exit 1
out=$(poll "$TASK_TIMEOUT" "SELECT status FROM source_task WHERE task_id='$TASK' AND status <> 'RUNNING'") \
  || fail read "still running after $TASK_TIMEOUT s (SYNCCTL_TRY_READ_TIMEOUT_SECONDS)" "$TASK"
echo "source_task: $out"
pg "$DB" -x -v task="$TASK" <<'SQL'
SELECT task_id, sync_id, status, description, metrics, error, started_at, updated_at FROM source_task WHERE task_id = :'task'
SQL

say "per-stream counts (records: what the connector emitted; rows: what the destination table holds):"
pg "$DB" -v task="$TASK" -v schema="$DEST_SCHEMA" -v prefix="$PREFIX" <<'SQL'
SELECT d.key AS stream, d.value ->> 'status' AS status, (d.value ->> 'events')::bigint AS records,
       (d.value ->> 'bytes')::bigint AS bytes, format('%I.%I', :'schema', :'prefix' || d.key) AS "table",
       CASE WHEN to_regclass(format('%I.%I', :'schema', :'prefix' || d.key)) IS NOT NULL THEN
         (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', :'schema', :'prefix' || d.key),
                                              false, true, '')))[1]::text::bigint END AS rows
FROM source_task t,
     jsonb_each(CASE WHEN left(t.description, 1) = '{' THEN t.description::jsonb ELSE '{}'::jsonb END) d
WHERE t.task_id = :'task' ORDER BY 1
SQL

say "stored state (source_state of sync $SYNC):"
pg "$DB" -v sync="$SYNC" <<'SQL'
SELECT stream, state::text AS state, "timestamp" FROM source_state WHERE sync_id = :'sync' ORDER BY stream
SQL
log_lines "$TASK"

if [ "$RECORDS_TO" = stdout ]; then
  # A read without state replaces each stream's table when the stream completes, so the tables of
  # the streams that succeeded hold exactly the records of this read.
  say "records (read back from the destination tables of the streams that succeeded) on stdout"
  pg "$DB" -tA -v task="$TASK" -v schema="$DEST_SCHEMA" -v prefix="$PREFIX" <<'SQL' >&3 \
    || fail records "cannot read the records back from $DEST_SCHEMA"
SELECT format('SELECT json_build_object(''stream'', %L, ''data'', row_to_json(r))::text FROM %I.%I r',
              d.key, :'schema', :'prefix' || d.key)
FROM source_task t,
     jsonb_each(CASE WHEN left(t.description, 1) = '{' THEN t.description::jsonb ELSE '{}'::jsonb END) d
WHERE t.task_id = :'task' AND d.value ->> 'status' = 'SUCCESS'
  AND to_regclass(format('%I.%I', :'schema', :'prefix' || d.key)) IS NOT NULL
ORDER BY d.key
\gexec
SQL
fi

[ "$out" = SUCCESS ] || fail read "the read ended $out (see the description and log lines above)"
say "ok: spec, check, discover and read of $PKG:$VER succeeded"
