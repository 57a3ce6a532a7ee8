#!/usr/bin/env bash
# ./syncctl try --image NAME=COMMAND --config FILE [--catalog FILE] [--streams a,b]
#               [--records-to postgres|stdout]
# Runs one connector through the local stack: spec, check, discover and a read into the demo
# destination, printing what a client would see (scripts/connector-steps.sh). Reuses a stack that
# `./syncctl demo --image NAME=COMMAND` keeps running; otherwise starts one and stops it at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"
source "$ROOT/scripts/stack.sh"

usage() {
  sed -n '2,3p' "$0" | sed 's/^# \{0,1\}//' >&2
  die "$1"
}
image=""; config=""; catalog=""; streams=""; records_to=postgres
while [ $# -gt 0 ]; do
  case "$1" in
    --image|--config|--catalog|--streams|--records-to) [ $# -ge 2 ] || usage "$1 needs a value" ;;
  esac
  case "$1" in
    --image) [ -z "$image" ] || usage "try runs one connector: give --image once"; image="$(image_arg "$2")"; shift 2 ;;
    --config) config="$(absolute_path "$2")"; shift 2 ;;
    --catalog) catalog="$(absolute_path "$2")"; shift 2 ;;
    --streams) streams="$2"; shift 2 ;;
    --records-to) records_to="$2"; shift 2 ;;
    *) usage "unknown option $1" ;;
  esac
done
[ -n "$image" ] || usage "try needs --image NAME=COMMAND"
[ -n "$config" ] || usage "try needs --config FILE (the connector's config as JSON; {} if it needs none)"
[ -r "$config" ] || die "--config $config: not a readable file"
[ -z "$catalog" ] || [ -r "$catalog" ] || die "--catalog $catalog: not a readable file"
case "$records_to" in postgres|stdout) ;; *) usage "--records-to is postgres or stdout, got $records_to" ;; esac
name="${image%%=*}"
pkg="$(image_repository "$name")"; ver="$(image_tag "$name")"; ver="${ver:-dev}"

# With --records-to stdout the records are the only thing on stdout; everything else goes to stderr.
exec 3>&1
[ "$records_to" = stdout ] && exec 1>&2

stack_settings
if stack_reusable "$image"; then
  say "reusing the running stack at $API (its local cluster runs $pkg as '${image#*=}')"
else
  say "starting the local stack for this try (stopped at the end; keep one running for several tries"
  say "with ./syncctl demo --image '$image' in another terminal, and try reuses it)"
  stack_start "$image"
  where_to_look
fi
API="$API" TOKEN="$TOKEN" STATE_DIR="$STATE_DIR" \
  bash "$ROOT/scripts/connector-steps.sh" "$pkg" "$ver" "$config" "$catalog" "$streams" "$records_to"
