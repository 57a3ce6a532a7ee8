#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and accepts user postgres without a
# password (trust), installing and starting Debian's server when it is missing. Used by CI and the demo.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; }
ready && exit 0
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "[postgres] installing PostgreSQL from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql postgresql-client >/dev/null
fi
ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$ver" ]; then echo "[postgres] no cluster under /etc/postgresql" >&2; exit 1; fi
conf=/etc/postgresql/$ver/main
# Trust local TCP connections for the tests and the demo (this machine only).
if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf"; then
  sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$conf/pg_hba.conf"
fi
grep -q "^listen_addresses" "$conf/postgresql.conf" || echo "listen_addresses = '127.0.0.1'" >> "$conf/postgresql.conf"
echo "[postgres] starting cluster $ver/main" >&2
pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "[postgres] PostgreSQL did not become ready on 127.0.0.1:5432" >&2
exit 1
