#!/usr/bin/env bash
# The one-command demo (./syncctl demo [--once] [--image NAME=COMMAND]... [--config FILE]): local
# PostgreSQL, the local single-node cluster simulation, one api and two workers, then spec, check,
# discover and read of the synthetic source into a Postgres destination (scripts/demo-steps.sh) or,
# with --image, of each given connector (scripts/connector-steps.sh, config from --config, default
# {}). Honours SYNCCTL_* variables already set. Without --once it keeps running, and ./syncctl try
# reuses it for the images it was started with.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib.sh"
source "$ROOT/scripts/stack.sh"

USAGE="usage: ./syncctl demo [--once] [--image NAME=COMMAND]... [--config FILE]"
once=0; images=(); config=""
while [ $# -gt 0 ]; do
  case "$1" in
    --once) once=1; shift ;;
    --image) [ $# -ge 2 ] || die "--image needs NAME=COMMAND ($USAGE)"; images+=("$(image_arg "$2")"); shift 2 ;;
    --config) [ $# -ge 2 ] || die "--config needs a FILE ($USAGE)"; config="$(absolute_path "$2")"; shift 2 ;;
    *) die "unknown option $1 ($USAGE)" ;;
  esac
done
[ -z "$config" ] || [ ${#images[@]} -gt 0 ] || die "--config is for the connectors given with --image ($USAGE)"
[ -z "$config" ] || [ -r "$config" ] || die "--config $config: not a readable file"

stack_settings
where_to_look
stack_start "${images[@]}"

# ---- the demo ---------------------------------------------------------------------------------
status=0
if [ ${#images[@]} -eq 0 ]; then
  bash "$ROOT/scripts/demo-steps.sh" "$API" "$TOKEN" || status=$?
else
  if [ -z "$config" ]; then
    config="$STATE_DIR/empty-config.json"; echo '{}' > "$config"
  fi
  for image in "${images[@]}"; do
    name="${image%%=*}"; ver="$(image_tag "$name")"
    API="$API" TOKEN="$TOKEN" STATE_DIR="$STATE_DIR" \
      bash "$ROOT/scripts/connector-steps.sh" "$(image_repository "$name")" "${ver:-dev}" "$config" || status=1
  done
  echo
  if [ "$status" = 0 ]; then say "demo finished: every step succeeded"; else say "demo finished with failures (see above and the logs)"; fi
fi

echo
where_to_look
if [ "$once" = 1 ]; then
  exit "$status"
fi
stack_announce "${images[@]}"
say "running; send your own requests to $API, or ./syncctl try with these images (Ctrl-C to stop)"
wait
