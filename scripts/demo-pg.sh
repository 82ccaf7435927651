#!/usr/bin/env bash
# `make demo-pg`: the demo on PostgreSQL with two nodes behind nginx, the way a vendor runs Portico
# when one machine is not enough. Starts a local PostgreSQL cluster of its own (initdb in
# var/demo-pg/pg, a free port), creates the database `portico_demo`, runs node a (`portico demo`:
# it applies the migrations and adds the demo data) and node b (`portico serve`) on free loopback
# ports, and nginx on LISTEN (default 127.0.0.1:8080) in front of both, round-robin, with
# --trusted-proxy so that each node sees the client's address. nginx adds the header
# `X-Portico-Node` (the node's address) to every answer; the script asks a few times and prints
# which node answered. Ctrl-C stops everything and removes the cluster.
#   scripts/demo-pg.sh [BINARY] [LISTEN]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-build/src/app/portico}"
LISTEN="${2:-127.0.0.1:8080}"
STATE="${DEMO_PG_STATE:-var/demo-pg}"  # DEMO_PG_STATE: another folder (the test uses one)
NGINX=/usr/sbin/nginx

[ -x "$BIN" ] || { echo "demo-pg: no $BIN (run make build)" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "demo-pg: nginx is not installed (run scripts/install-deps.sh)" >&2; exit 1; }
if (exec 3<>"/dev/tcp/${LISTEN%:*}/${LISTEN##*:}") 2>/dev/null; then
  echo "demo-pg: something already listens on $LISTEN (stop it, or: make demo-pg LISTEN=HOST:PORT)" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pids=()
stop_all() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash tests/support/pg_cluster.sh stop "$STATE/pg" || true
  echo "demo-pg: stopped the nodes, nginx and the PostgreSQL cluster"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

mkdir -p "$STATE"
chmod 755 "$STATE"
STATE=$(cd "$STATE" && pwd)
admin_url=$(bash tests/support/pg_cluster.sh start "$STATE/pg")
psql "$admin_url" -qc 'CREATE DATABASE portico_demo' >/dev/null
db_url="${admin_url%/*}/portico_demo"
echo "demo-pg: PostgreSQL cluster on ${admin_url#*@}, database portico_demo"

rm -rf "$STATE/nginx" "$STATE/outbox" "$STATE/portico.key"
mkdir -p "$STATE/nginx" "$STATE/outbox"
port_a=$(free_port)
port_b=$(free_port)
public_url="http://$LISTEN"
common=(--db "$db_url" --key-file "$STATE/portico.key" --public-url "$public_url"
  --trusted-proxy 127.0.0.1 --mail-outbox "$STATE/outbox/mail" --sms-outbox "$STATE/outbox/sms")

wait_ready() { # port pid log
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$1/readyz" 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then cat "$3" >&2; echo "demo-pg: a node stopped" >&2; exit 1; fi
    sleep 0.1
  done
  cat "$3" >&2
  echo "demo-pg: node on port $1 is not ready after 30 s" >&2
  exit 1
}

"$BIN" demo "${common[@]}" --listen "127.0.0.1:$port_a" >"$STATE/node-a.log" 2>&1 &
pids+=($!)
wait_ready "$port_a" "${pids[-1]}" "$STATE/node-a.log"
"$BIN" serve "${common[@]}" --listen "127.0.0.1:$port_b" >"$STATE/node-b.log" 2>&1 &
pids+=($!)
wait_ready "$port_b" "${pids[-1]}" "$STATE/node-b.log"

nginx_user=""
if [ "$(id -u)" -eq 0 ]; then nginx_user="user nobody $(id -gn nobody 2>/dev/null || echo nogroup);"; fi
cat >"$STATE/nginx/nginx.conf" <<EOF
$nginx_user
daemon off;
worker_processes 1;
pid $STATE/nginx/nginx.pid;
error_log $STATE/nginx/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_max_body_size 30m;
  client_body_temp_path $STATE/nginx/body;
  proxy_temp_path $STATE/nginx/proxy;
  fastcgi_temp_path $STATE/nginx/fastcgi;
  uwsgi_temp_path $STATE/nginx/uwsgi;
  scgi_temp_path $STATE/nginx/scgi;
  upstream portico { server 127.0.0.1:$port_a; server 127.0.0.1:$port_b; keepalive 16; }
  server {
    listen $LISTEN;
    location / {
      proxy_pass http://portico;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      add_header X-Portico-Node \$upstream_addr always;
    }
  }
}
EOF
"$NGINX" -p "$STATE/nginx" -e "$STATE/nginx/error.log" -c "$STATE/nginx/nginx.conf" \
  >"$STATE/nginx/out.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$public_url/readyz" 2>/dev/null && break
  sleep 0.1
done

# The sign-in banner of `portico demo` (everything from "Sign in at" on).
sed -n '/^Sign in at/,/^Mail:/p' "$STATE/node-a.log" | grep -v '^Portico is serving\|^Mail:'
echo
echo "demo-pg: node a on 127.0.0.1:$port_a, node b on 127.0.0.1:$port_b, nginx on $public_url"
for i in 1 2 3 4; do
  node=$(curl -fsS -o /dev/null -D - "$public_url/readyz" | tr -d '\r' | sed -n 's/^[Xx]-[Pp]ortico-[Nn]ode: *//p')
  case "$node" in
    "127.0.0.1:$port_a") name=a ;;
    "127.0.0.1:$port_b") name=b ;;
    *) echo "demo-pg: nginx did not reach a node (answer $i)" >&2; exit 1 ;;
  esac
  echo "demo-pg: GET /readyz $i answered by node $name ($node)"
done
echo "demo-pg: every answer carries X-Portico-Node; mail and texts go to $STATE/outbox. Ctrl-C stops."
wait -n "${pids[@]}" || true
echo "demo-pg: a process stopped; see $STATE/*.log" >&2
exit 1
