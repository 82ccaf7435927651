#!/usr/bin/env bash
# `make demo-pg` as a newcomer runs it: scripts/demo-pg.sh starts its own PostgreSQL cluster, two
# nodes and nginx; the test waits for its banner, signs in through nginx with a demo login
# (password, then TOTP), sees both nodes answer, stops it (SIGTERM, as Ctrl-C would) and checks that the
# cluster and every process are gone.
#   demo_pg_test.sh PORTICO_BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$1"
work=$(mktemp -d "${TMPDIR:-/tmp}/portico-demo-pg.XXXXXX")
chmod 755 "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
fail() { echo "demo_pg_test: FAIL: $*" >&2; sed 's/^/  | /' "$work/out.log" >&2 || true; exit 1; }
pid=""
finish() {
  local rc=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
  exit "$rc"
}
trap finish EXIT

DEMO_PG_STATE="$work/state" bash scripts/demo-pg.sh "$bin" "127.0.0.1:$port" >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q 'Ctrl-C stops' "$work/out.log" && break
  kill -0 "$pid" 2>/dev/null || fail "demo-pg stopped before it served"
  sleep 0.1
done
grep -q 'Ctrl-C stops' "$work/out.log" || fail "no banner after 60 s"
grep -q "^Sign in at $base/login" "$work/out.log" || fail "the banner does not say where to sign in"
grep -q 'answered by node a' "$work/out.log" || fail "node a never answered through nginx"
grep -q 'answered by node b' "$work/out.log" || fail "node b never answered through nginx"

# Sign in through nginx as anna (password, then the TOTP code of the key the banner printed).
key=$(sed -n 's/^  anna@acme.example  TOTP key \([A-Z2-7]*\) .*/\1/p' "$work/out.log")
[ -n "$key" ] || fail "the banner has no TOTP key for anna@acme.example"
login=$(curl -fsS -H 'Content-Type: application/json' \
  -d '{"email":"anna@acme.example","password":"correct horse battery staple"}' "$base/api/v1/auth/login") ||
  fail "POST /api/v1/auth/login through nginx failed"
token=$(printf '%s' "$login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
code=$(oathtool --totp -b "$key")
curl -fsS -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d "{\"code\":\"$code\"}" "$base/api/v1/auth/mfa" || fail "POST /api/v1/auth/mfa through nginx failed"
nodes=""
for _ in 1 2 3 4; do
  out=$(curl -fsS -D - -o "$work/me.json" -H "Authorization: Bearer $token" "$base/api/v1/me") ||
    fail "GET /api/v1/me through nginx failed"
  grep -q '"anna@acme.example"' "$work/me.json" || fail "GET /api/v1/me is not anna's"
  nodes+="$(printf '%s' "$out" | tr -d '\r' | sed -n 's/^[Xx]-[Pp]ortico-[Nn]ode: *//p') "
done
[ "$(printf '%s\n' $nodes | sort -u | wc -l)" -eq 2 ] || fail "the session was not served by both nodes: $nodes"

kill -TERM "$pid"
wait "$pid" || true
pid=""
grep -q 'stopped the nodes, nginx and the PostgreSQL cluster' "$work/out.log" || fail "no clean stop"
[ ! -e "$work/state/pg" ] || fail "the PostgreSQL cluster folder is still there"
if pgrep -f "$work/state" >/dev/null; then fail "processes of the demo are still running"; fi
echo "demo_pg_test: ok (signed in through nginx; answered by $nodes)"
