#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the local team setup (never for real data).
#
#   bash scripts/pg.sh start DIR [PORT]   installs Debian's postgresql when it is missing, creates a cluster in
#                                         DIR (a new folder), starts it on a Unix socket in DIR (and, with
#                                         PORT, on 127.0.0.1:PORT too) with an empty database
#                                         dabiao, and prints that database's address
#   bash scripts/pg.sh stop DIR           stops that cluster and removes DIR
#
# The server runs as an unprivileged user: the caller, or when the caller is root the system user dabiao-pg
# (created when missing). Settings are for speed, not durability: fsync off.
set -euo pipefail

action=${1:?usage: pg.sh start|stop DIR [PORT]}
dir=${2:?usage: pg.sh start|stop DIR [PORT]}
port=${3:-}

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u dabiao-pg -- "$@"; else "$@"; fi
}

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$found" ] || [ ! -x "$found/initdb" ]; then
    echo "pg.sh: installing Debian's postgresql" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$found"
}

case "$action" in
start)
  bin=$(bindir)
  [ -e "$dir" ] && { echo "pg.sh: $dir exists" >&2; exit 2; }
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    id dabiao-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin dabiao-pg
    chown dabiao-pg "$dir"
  fi
  chmod 700 "$dir"
  as_server "$bin/initdb" -D "$dir/data" -U dabiao --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  listen="''"
  [ -n "$port" ] && listen="127.0.0.1"
  # the socket's folder must be reachable by the clients (the server's own folder stays private)
  chmod 711 "$dir"
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-k $dir -p ${port:-5432} -c listen_addresses=$listen -c fsync=off -c full_page_writes=off \
        -c synchronous_commit=off -c max_connections=200 -c shared_buffers=64MB" >/dev/null
  "$bin/createdb" -h "$dir" -p "${port:-5432}" -U dabiao dabiao  # the store's database (empty)
  echo "postgresql://dabiao@/dabiao?host=$dir&port=${port:-5432}"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(bindir)
    as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: pg.sh start|stop DIR [PORT]" >&2
  exit 2
  ;;
esac
