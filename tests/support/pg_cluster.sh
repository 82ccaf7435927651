#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, never the system's: initdb in DIR, a free port on
# loopback, trust authentication for the user "portico", durability off (a test database is
# deleted anyway; PG_CLUSTER_DURABLE=1 keeps PostgreSQL's defaults, for benchmarks). Run as root,
# the server runs as the unprivileged user postgres.
#   pg_cluster.sh start DIR   writes DIR/url (postgresql://portico@127.0.0.1:PORT/postgres)
#   pg_cluster.sh stop DIR
set -euo pipefail
cmd="$1"
dir="$2"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL's server is not installed (Debian package postgresql): run scripts/install-deps.sh" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ -f "$dir/data/postmaster.pid" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi
    as_owner "$bindir/initdb" -D "$dir/data" -U portico -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if [ "${PG_CLUSTER_DURABLE:-0}" = 1 ]; then durability=""; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $durability -c max_connections=400" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://portico@127.0.0.1:$port/postgres" >"$dir/url"
    cat "$dir/url"
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
