#!/bin/sh
# source-hello: the smallest Airbyte-protocol (v0) source we could write, as a POSIX shell script.
# A template for trying your own connector with `./syncctl try` (see devkit/README.md):
#   source-hello.sh spec
#   source-hello.sh check    --config config.json
#   source-hello.sh discover --config config.json
#   source-hello.sh read     --config config.json --catalog catalog.json [--state state.json]
# Config: {"greeting": "hello", "count": 3}, both optional. Streams: `greetings` (incremental on
# `id`: a read after a state emits the next `count` ids) and `numbers` (full refresh, 1..count).
# Protocol messages go to stdout, one JSON object per line; diagnostics go to stderr.
# It reads JSON with sed, which is enough for the flat config and state it writes itself, not a
# model for real connectors (use a JSON parser there).
set -eu

die() { echo "source-hello: $*" >&2; exit 2; }
log() { printf '{"type":"LOG","log":{"level":"%s","message":"%s"}}\n' "$1" "$2"; }

# The value of a top-level string or number member of a flat JSON file: json_value FILE KEY.
json_value() {
  tr -d '\n' < "$1" | sed -n "s/.*\"$2\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p"
}

cmd="${1:-}"; [ $# -gt 0 ] && shift
config=""; catalog=""; state=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "$1 needs a value"
  case "$1" in
    --config) config="$2" ;;
    --catalog) catalog="$2" ;;
    --state) state="$2" ;;
    *) die "unknown option $1" ;;
  esac
  shift 2
done
need() { [ -n "$2" ] && [ -r "$2" ] || die "$cmd needs $1 FILE (a readable file)"; }

greeting="hello"; count=3
if [ -n "$config" ] && [ -r "$config" ]; then
  g=$(json_value "$config" greeting); [ -z "$g" ] || greeting="$g"
  if grep -q '"greeting"[[:space:]]*:[[:space:]]*""' "$config"; then greeting=""; fi
  c=$(json_value "$config" count); [ -z "$c" ] || count="$c"
fi

case "$cmd" in
  spec)
    echo '{"type":"SPEC","spec":{"documentationUrl":"https://example.com/source-hello","connectionSpecification":{"$schema":"http://json-schema.org/draft-07/schema#","title":"source-hello","type":"object","properties":{"greeting":{"type":"string","default":"hello","description":"the word each greeting starts with"},"count":{"type":"integer","default":3,"minimum":0,"description":"records per stream and read"},"api_key":{"type":"string","airbyte_secret":true,"description":"never needed; shows how a secret is declared"}}}}}'
    ;;
  check)
    need --config "$config"
    log INFO "checking the config"
    case "$count" in ''|*[!0-9]*) status=FAILED; message="count must be a non-negative integer, got $count" ;;
      *) if [ -z "$greeting" ]; then status=FAILED; message="greeting must not be empty"; else status=SUCCEEDED; message=""; fi ;;
    esac
    if [ "$status" = SUCCEEDED ]; then
      echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}'
    else
      printf '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"FAILED","message":"%s"}}\n' "$message"
    fi
    ;;
  discover)
    need --config "$config"
    echo '{"type":"CATALOG","catalog":{"streams":[{"name":"greetings","json_schema":{"type":"object","properties":{"id":{"type":"integer"},"message":{"type":"string"}}},"supported_sync_modes":["full_refresh","incremental"],"source_defined_cursor":true,"default_cursor_field":["id"],"source_defined_primary_key":[["id"]]},{"name":"numbers","json_schema":{"type":"object","properties":{"n":{"type":"integer"},"square":{"type":"integer"}}},"supported_sync_modes":["full_refresh"]}]}}'
    ;;
  read)
    need --config "$config"; need --catalog "$catalog"
    after=0
    if [ -n "$state" ] && [ -r "$state" ]; then
      a=$(json_value "$state" id); case "$a" in ''|*[!0-9]*) ;; *) after="$a" ;; esac
    fi
    now=$(date +%s)000
    selected() { tr -d '\n' < "$catalog" | grep -q "\"name\"[[:space:]]*:[[:space:]]*\"$1\""; }
    if selected greetings; then
      log INFO "greetings: ids after $after"
      i=$((after + 1)); last=$((after + count))
      while [ "$i" -le "$last" ]; do
        printf '{"type":"RECORD","record":{"stream":"greetings","data":{"id":%d,"message":"%s, world %d"},"emitted_at":%s}}\n' "$i" "$greeting" "$i" "$now"
        i=$((i + 1))
      done
      printf '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"greetings"},"stream_state":{"id":%d}}}}\n' "$last"
    fi
    if selected numbers; then
      i=1
      while [ "$i" -le "$count" ]; do
        printf '{"type":"RECORD","record":{"stream":"numbers","data":{"n":%d,"square":%d},"emitted_at":%s}}\n' "$i" $((i * i)) "$now"
        i=$((i + 1))
      done
    fi
    log INFO "read done"
    ;;
  *) die "usage: source-hello.sh spec | check --config F | discover --config F | read --config F --catalog F [--state F]" ;;
esac
