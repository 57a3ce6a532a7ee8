#!/usr/bin/env bash
# Static checks of the Kubernetes manifests; needs kubectl (with its built-in kustomize) and
# python3, no cluster and no network.
#   deploy/check.sh               render deploy/k8s/overlays/example and check the result (without
#                                 its secrets.env, a copy with one made by new-secrets.sh)
#   deploy/check.sh FILE.yaml     check manifests that are already rendered
#   deploy/check.sh --self-test   make sure the checks reject deploy/testdata/*.yaml (and, with
#                                 PyYAML, the compose checks deploy/testdata/compose-bad.yml)
#   deploy/check.sh --compose [FILE]  check the Jitsu docker-compose drop-in (default
#                                 deploy/compose/docker-compose.yml); needs python3 with PyYAML
# Prints one line per check and `deploy-check: N passed, M failed`; exits non-zero on any failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
overlay="$here/k8s/overlays/example"

die() { printf 'deploy-check: %s\n' "$*" >&2; exit 2; }
command -v kubectl >/dev/null || die "kubectl not found (kubectl 1.32+ renders the overlay)"
command -v python3 >/dev/null || die "python3 not found"

# Checks manifests (YAML on stdin). kubectl turns them into JSON without a server: `label --local`
# parses every document as a Kubernetes object and prints it; removing a label nobody has changes
# nothing but an empty `labels` map. What kubectl cannot parse fails the `objects` check.
check_yaml() {
  local json err status=0
  err=$(mktemp)
  json=$(kubectl label --local -f - -o json deploy-check.invalid/none- 2>"$err") || status=$?
  if [ "$status" -ne 0 ]; then
    printf 'FAIL objects: kubectl cannot read the manifests: %s\n' "$(tr '\n' ' ' <"$err")"
    printf 'deploy-check: 0 passed, 1 failed\n'
    rm -f "$err"
    return 1
  fi
  rm -f "$err"
  python3 "$here/check_manifests.py" <<<"$json"
}

# The example ships no secrets (secrets.env is made by each user and never in git): to render it
# as a user would, a copy of deploy/k8s gets a secrets.env from new-secrets.sh with fresh values.
check_overlay() {
  local rendered err dir="$overlay" copy="" status=0
  if [ ! -e "$overlay/secrets.env" ]; then
    copy=$(mktemp -d)
    cp -r "$here/k8s" "$copy/"
    dir="$copy/k8s/overlays/example"
    bash "$here/new-secrets.sh" "postgresql://syncctl:$(head -c 12 /dev/urandom | base64 | tr -d '/+=')@postgres.example.internal:5432/syncctl?sslmode=require" >"$dir/secrets.env"
  fi
  err=$(mktemp)
  if ! rendered=$(kubectl kustomize "$dir" 2>"$err"); then
    printf 'FAIL objects: kubectl kustomize %s failed: %s\n' "$overlay" "$(tr '\n' ' ' <"$err")"
    printf 'deploy-check: 0 passed, 1 failed\n'
    status=1
  fi
  rm -rf "$err" ${copy:+"$copy"}
  [ "$status" -eq 0 ] || return 1
  check_yaml <<<"$rendered"
}

# Checks a compose override against the main README and Jitsu's syncctl service (check_compose.py).
check_compose() {
  python3 -c 'import yaml' 2>/dev/null || die "python3 has no PyYAML (apt-get install python3-yaml)"
  python3 "$here/check_compose.py" "$1" "$here/../README.md"
}

# The compose checks must each reject something: compose-bad.yml breaks every rule but `yaml` and
# `services`, which get a file that is no compose file and one without our services.
self_test_compose() {
  local out missing=() name
  out=$(check_compose "$here/testdata/compose-bad.yml") && missing+=("(compose-bad.yml was accepted)")
  for name in $(python3 "$here/check_compose.py" --list); do
    case "$name" in yaml|services) continue ;; esac
    grep -q "^FAIL $name: " <<<"$out" || missing+=("compose $name")
  done
  out=$(check_compose "$here/testdata/not-kubernetes.yaml") || true
  grep -q '^FAIL yaml: ' <<<"$out" || missing+=("compose yaml on not-kubernetes.yaml")
  out=$(check_compose <(printf 'services:\n  other: {image: "x:1"}\n')) || true
  grep -q '^FAIL services: ' <<<"$out" || missing+=("compose services")
  printf '%s\n' "${missing[@]}"
}

self_test() {
  local out missing=() status=0
  # bad.yaml breaks every rule at least once: each check must fail, with exactly the problems
  # listed in bad.expected (so a rule that silently stops firing is noticed too).
  out=$(check_yaml <"$here/testdata/bad.yaml") && status=0 || status=$?
  [ "$status" -ne 0 ] || missing+=("(bad.yaml was accepted)")
  for name in $(python3 "$here/check_manifests.py" --list); do
    grep -q "^FAIL $name: " <<<"$out" || missing+=("$name")
  done
  if ! diff -u "$here/testdata/bad.expected" - <<<"$out" >&2; then
    missing+=("(output differs from testdata/bad.expected, see the diff above)")
  fi
  # not-kubernetes.yaml is YAML but no Kubernetes object: rejected before any check runs.
  out=$(check_yaml <"$here/testdata/not-kubernetes.yaml") && status=0 || status=$?
  { [ "$status" -ne 0 ] && grep -q '^FAIL objects: ' <<<"$out"; } || missing+=("objects on not-kubernetes.yaml")
  if python3 -c 'import yaml' 2>/dev/null; then
    local m
    while IFS= read -r m; do [ -z "$m" ] || missing+=("$m"); done < <(self_test_compose)
  else
    printf 'deploy-check self-test: compose checks skipped (python3 has no PyYAML)\n'
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'deploy-check self-test: FAILED, not rejected by: %s\n' "${missing[*]}"
    return 1
  fi
  printf 'deploy-check self-test: testdata rejected by all %s checks%s\n' "$(python3 "$here/check_manifests.py" --list | wc -l)" \
    "$(python3 -c 'import yaml' 2>/dev/null && printf ' and all %s compose checks' "$(python3 "$here/check_compose.py" --list | wc -l)")"
}

case "${1:-}" in
  --self-test) self_test ;;
  --compose) f="${2:-$here/compose/docker-compose.yml}"; [ -r "$f" ] || die "cannot read $f"; check_compose "$f" ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' ;;
  "") check_overlay ;;
  -*) die "unknown option $1 (try --help)" ;;
  *) [ -r "$1" ] || die "cannot read $1"; check_yaml <"$1" ;;
esac
