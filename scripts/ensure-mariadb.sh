#!/usr/bin/env bash
# Makes sure a MariaDB server answers on 127.0.0.1:3306 and accepts user root without a password over
# TCP (the mysql destination's tests), installing and starting Debian's server when it is missing.
# Used by CI. Safe to run again: a server that already answers is left alone.
set -euo pipefail
ready() { mysql -h 127.0.0.1 -P 3306 -uroot -e 'select 1' >/dev/null 2>&1; }
ready && exit 0
if [ ! -x /usr/sbin/mariadbd ] || ! command -v mysql >/dev/null 2>&1; then
  echo "[mariadb] installing MariaDB from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq mariadb-server mariadb-client >/dev/null
fi
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
if [ ! -d /var/lib/mysql/mysql ]; then
  echo "[mariadb] creating the data directory" >&2
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
fi
socket_ready() { mysql -uroot -e 'select 1' >/dev/null 2>&1; }
if ! socket_ready; then
  echo "[mariadb] starting mariadbd" >&2
  # no systemd in containers: the packaged service, else the daemon itself in the background
  service mariadb start >/dev/null 2>&1 \
    || start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1
fi
for _ in $(seq 1 60); do socket_ready && break; sleep 1; done
socket_ready || { echo "[mariadb] mariadbd did not start" >&2; exit 1; }
# Debian's root authenticates by unix socket only; the tests connect over TCP without a password
# (this machine only, bound to 127.0.0.1).
if ! ready; then
  echo "[mariadb] letting root in over TCP without a password" >&2
  mysql -uroot <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
fi
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "[mariadb] MariaDB did not become ready on 127.0.0.1:3306" >&2
exit 1
