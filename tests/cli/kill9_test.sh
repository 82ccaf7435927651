#!/usr/bin/env bash
# Nothing queued is lost when the process is killed: mail queued while no worker runs survives
# `kill -9`, and a restarted server delivers every message once.
set -uo pipefail
bin="$1"
dir=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL $*"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
base="http://127.0.0.1:$port"
db="$dir/p.db"
"$bin" init --db "$db" --org Vendor --admin-email owner@vendor.example >/dev/null || fail "init"
key=$("$bin" api-key create --db "$db" --org Vendor --name ERP | tail -1)
[ -n "$key" ] || fail "api-key create"

serve() {  # serve WORKERS
  "$bin" serve --db "$db" --listen "127.0.0.1:$port" --mail-outbox "$dir/mail" \
    --sms-outbox "$dir/sms" --job-workers "$1" >>"$dir/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -sf "$base/healthz" >/dev/null && return 0
    sleep 0.1
  done
  fail "the server did not start"
}
api() {  # api PATH JSON: the status
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' --data "$2" "$base$1"
}

n=20
serve 0  # no worker: every mail stays queued
[ "$(api /api/v1/integration/companies '{"external_id":"C-1","name":"Acme"}')" = 201 ] || fail "company"
for i in $(seq $n); do
  status=$(api /api/v1/integration/companies/C-1/admin-signup "{\"email\":\"admin$i@acme.example\"}")
  [ "$status" = 202 ] || fail "admin-signup $i answered $status"
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=""
delivered=$(find "$dir/mail" -name '*.eml' 2>/dev/null | wc -l)
[ "$delivered" = 0 ] || fail "$delivered mails were sent before the kill, by no worker"
queued=$("$bin" jobs --db "$db" | grep -c 'mail')
[ "$queued" -ge "$n" ] || fail "after kill -9, $queued mail jobs are queued, not $n"
echo "ok   $n mails queued, none sent, then kill -9"

serve 2
for _ in $(seq 150); do
  delivered=$(find "$dir/mail" -name '*.eml' | wc -l)
  [ "$delivered" -ge "$n" ] && break
  sleep 0.2
done
[ "$delivered" = "$n" ] || fail "after the restart, $delivered of $n mails were delivered"
for i in $(seq $n); do
  got=$(grep -l "^To: .*admin$i@acme.example" "$dir"/mail/*.eml | wc -l)
  [ "$got" = 1 ] || fail "admin$i@acme.example got $got mails, not 1"
done
sleep 1  # nothing more arrives
[ "$(find "$dir/mail" -name '*.eml' | wc -l)" = "$n" ] || fail "a mail was delivered twice"
echo "ok   the restarted server delivered each of the $n mails once"
kill "$pid"
wait "$pid" 2>/dev/null
pid=""
