# What the demo's and try's steps share (sourced, not run): requests to the api, polling the result
# tables as a client does, the demo destination and the configured catalog. Needs API, TOKEN and
# SYNCCTL_DATABASE_URL; sets DB and DEST.
DB="$SYNCCTL_DATABASE_URL"
failed=0

# call METHOD PATH [BODY]: prints the api's answer and keeps it in ANSWER.
call() {
  local auth=()
  [ -n "${TOKEN:-}" ] && auth=(-H "Authorization: Bearer $TOKEN")
  ANSWER=$(curl -sS -X "$1" "${auth[@]}" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API$2" 2>&1)
  printf 'api: %s\n' "$ANSWER"
}
# poll SECONDS SQL: until the query returns a row, then print the rows.
poll() {
  local secs="$1" sql="$2" i out
  for ((i = 0; i < secs; i++)); do
    out=$(pg "$DB" -tA -c "$sql" 2>/dev/null)
    if [ -n "$out" ]; then printf '%s\n' "$out"; return 0; fi
    sleep 1
  done
  return 1
}
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
expect() { # LABEL ACTUAL PATTERN
  if [[ "$2" == *"$3"* ]]; then say "ok: $1"; else say "FAILED: $1 (got: ${2:-nothing})"; failed=1; fi
}

# The destination is schema SYNCCTL_DEMO_DESTINATION_SCHEMA (default demo_destination) of the result
# database, with the same credentials.
DEST_SCHEMA="${SYNCCTL_DEMO_DESTINATION_SCHEMA:-demo_destination}"
url_part() { printf '%s' "$DB" | sed -nE "s#^postgres(ql)?://(([^:@/]*)(:([^@/]*))?@)?([^:/?]*)(:([0-9]+))?/([^?]*).*#$1#p"; }
DEST_USER=$(url_part '\3'); DEST_PASSWORD=$(url_part '\5'); DEST_HOST=$(url_part '\6'); DEST_PORT=$(url_part '\8')
DEST=$(cat <<JSON
{"destinationType":"postgres","host":"${DEST_HOST:-127.0.0.1}","port":${DEST_PORT:-5432},"database":"$(url_part '\9')","username":"${DEST_USER:-postgres}","password":"$DEST_PASSWORD","defaultSchema":"$DEST_SCHEMA"}
JSON
)

# configured_catalog CATALOG_JSON [STREAMS]: prints "MISSING<tab>CONFIGURED_CATALOG". CATALOG_JSON is a
# discovered catalog (streams[].name) or a configured one (streams[].stream); each stream of a
# discovered one is selected as a console does: incremental where the source supports it and has a
# cursor, append, its default cursor and primary key. STREAMS (comma-separated names) keeps only
# those; MISSING lists the names of STREAMS the catalog does not have.
configured_catalog() {
  pg "$DB" -tA -F $'\t' -v catalog="$1" -v streams="${2:-}" <<'SQL'
WITH elements AS (
  SELECT e, ord FROM json_array_elements((:'catalog')::json -> 'streams') WITH ORDINALITY AS t(e, ord)
), wanted AS (
  SELECT DISTINCT trim(x) AS name FROM unnest(string_to_array(:'streams', ',')) x WHERE trim(x) <> ''
), configured AS (
  SELECT ord, CASE WHEN e::jsonb ? 'stream' THEN e ELSE json_build_object('stream', e,
      'sync_mode', CASE WHEN (e::jsonb -> 'supported_sync_modes') ? 'incremental'
                         AND (coalesce((e ->> 'source_defined_cursor')::boolean, false)
                              OR json_array_length(coalesce(e -> 'default_cursor_field', '[]'::json)) > 0)
                        THEN 'incremental' ELSE 'full_refresh' END,
      'destination_sync_mode', 'append',
      'cursor_field', coalesce(e -> 'default_cursor_field', '[]'::json),
      'primary_key', coalesce(e -> 'source_defined_primary_key', '[]'::json)) END AS c
  FROM elements
)
SELECT (SELECT coalesce(string_agg(name, ', '), '') FROM wanted
         WHERE name NOT IN (SELECT c -> 'stream' ->> 'name' FROM configured)),
       json_build_object('streams', coalesce(json_agg(c ORDER BY ord), '[]'::json))
FROM configured
WHERE NOT EXISTS (SELECT 1 FROM wanted) OR c -> 'stream' ->> 'name' IN (SELECT name FROM wanted)
SQL
}
