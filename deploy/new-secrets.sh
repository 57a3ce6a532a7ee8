#!/usr/bin/env bash
# Prints a secrets.env for a kustomize overlay (deploy/README.md section 2) with fresh random values:
# payload key, one API token, dashboard password. The database URL is yours to give.
#   bash deploy/new-secrets.sh 'postgresql://user:password@host:5432/db?sslmode=require' > deploy/k8s/overlays/mine/secrets.env
# The token is printed into the file only: give it to the console as its SYNCCTL_AUTH_KEY.
set -euo pipefail
url=${1:-}
case "$url" in
  postgresql://*|postgres://*) ;;
  *) printf 'usage: %s postgresql://user:password@host:5432/db?sslmode=require > secrets.env\n' "$0" >&2; exit 2 ;;
esac
if grep -qi 'CHANGE_ME' <<<"$url"; then
  printf '%s: the database URL still holds the placeholder CHANGE_ME\n' "$0" >&2
  exit 2
fi
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
# URL- and shell-safe: base64url without padding
token() { random "$1" | tr '+/' '-_' | tr -d '='; }
printf '# Made by deploy/new-secrets.sh on %s. Real secrets: keep this file out of git.\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf 'SYNCCTL_DATABASE_URL=%s\n' "$url"
printf 'SYNCCTL_PAYLOAD_KEY=%s\n' "$(random 32)"
printf 'SYNCCTL_RAW_AUTH_TOKENS=%s\n' "$(token 32)"
printf 'SYNCCTL_DASHBOARD_PASSWORD=%s\n' "$(token 24)"
