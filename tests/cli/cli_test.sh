#!/usr/bin/env bash
# The command line: help for every command, clear errors for bad flags and unusable databases,
# migrate and init on a fresh database.
set -uo pipefail
bin="$1"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() {  # check NAME EXPECTED_RC PATTERN -- command…
  local name="$1" want_rc="$2" pattern="$3"
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want_rc" ] || ! grep -qE -e "$pattern" <<<"$out"; then
    echo "FAIL $name: rc=$rc (want $want_rc), output:"
    echo "$out" | head -5
    fail=1
  else
    echo "ok   $name"
  fi
}
for cmd in serve migrate init demo "api-key create" jobs "jobs retry" backup openapi; do
  # shellcheck disable=SC2086
  check "$cmd --help" 0 "Usage" -- "$bin" $cmd --help
done
check "unknown flag" 109 "not expected" -- "$bin" serve --bogus
check "missing --db" 106 "--db is required" -- "$bin" migrate
check "unopenable db" 1 "cannot open database" -- "$bin" migrate --db "$dir/no/such/dir/p.db"
printf 'this is not a database at all, only text that is long enough to look like a file\n' > "$dir/junk.db"
check "not a database" 1 "cannot use database .*junk.db" -- "$bin" migrate --db "$dir/junk.db"
check "bad listen" 2 "HOST:PORT" -- "$bin" serve --db "$dir/p.db" --listen nonsense
check "bad metrics-listen" 1 "--metrics-listen must be HOST:PORT" -- \
  "$bin" serve --db "$dir/m.db" --listen 127.0.0.1:0 --metrics-listen nonsense
check "tls-cert without tls-key" 2 "--tls-cert and --tls-key go together" -- \
  "$bin" serve --db "$dir/t.db" --tls-cert "$dir/cert.pem"
check "unreadable tls-cert" 1 "cannot read TLS certificate .*nocert.pem" -- \
  "$bin" serve --db "$dir/t.db" --listen 127.0.0.1:0 --tls-cert "$dir/nocert.pem" --tls-key "$dir/nokey.pem"
printf 'tls-cert = "%s/nocert.pem"\ntls-key = "%s/nokey.pem"\nlisten = "127.0.0.1:0"\n' "$dir" "$dir" > "$dir/tls.toml"
check "tls flags in --config" 1 "cannot read TLS certificate .*nocert.pem" -- \
  "$bin" serve --db "$dir/t.db" --config "$dir/tls.toml"
check "bad --trusted-proxy" 1 "--trusted-proxy: 'proxy.example' is not an address or network" -- \
  "$bin" serve --db "$dir/t.db" --listen 127.0.0.1:0 --trusted-proxy 10.0.0.0/8 --trusted-proxy proxy.example
printf 'trusted-proxy = ["127.0.0.1", "10.0.0.0/33"]\nlisten = "127.0.0.1:0"\n' > "$dir/proxy.toml"
check "trusted-proxy in --config" 1 "--trusted-proxy: '10.0.0.0/33' is not an address or network" -- \
  "$bin" serve --db "$dir/t.db" --config "$dir/proxy.toml"
check "openapi" 0 '"openapi": "3\.1\.0"' -- "$bin" openapi
check "openapi --out" 0 "" -- "$bin" openapi --out "$dir/openapi.json"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "/api/v1/me" in d["paths"] else 1)' "$dir/openapi.json"; then
  echo "ok   openapi --out writes the document"
else
  echo "FAIL openapi --out"; fail=1
fi
check "openapi unwritable --out" 1 "cannot write" -- "$bin" openapi --out "$dir/no/such/dir/o.json"
mkdir "$dir/tmp"
TMPDIR="$dir/tmp" "$bin" openapi >/dev/null
if [ -n "$(ls -A "$dir/tmp")" ]; then
  echo "FAIL openapi left its scratch folder behind"; fail=1
else
  echo "ok   openapi removes its scratch folder"
fi
check "unreachable postgresql" 1 "cannot use database postgresql://portico:\*\*\*@127.0.0.1:1/none\?connect_timeout=2: cannot connect" -- \
  "$bin" migrate --db "postgresql://portico:hidden@127.0.0.1:1/none?connect_timeout=2"
check "bad postgresql url" 1 "bad database URL" -- "$bin" migrate --db "postgresql://[nonsense"
check "postgresql needs --key-file" 1 "--key-file is required with a PostgreSQL database" -- \
  "$bin" serve --db "postgresql://portico@127.0.0.1:1/none" --listen 127.0.0.1:0
check "migrate" 0 "applied 0001_identity.sql" -- "$bin" migrate --db "$dir/p.db"
check "migrate again" 0 "schema version [0-9]+" -- "$bin" migrate --db "$dir/p.db"
printf 'db = "%s/c.db"\nlisten = "127.0.0.1:0"\ntrusted-proxy = ["127.0.0.1/32"]\n' "$dir" > "$dir/serve.toml"
check "migrate --config" 0 "applied 0001_identity.sql" -- "$bin" migrate --config "$dir/serve.toml"
check "migrate --config without db" 106 "--db \(or a db key in .*proxy.toml\) is required" -- \
  "$bin" migrate --config "$dir/proxy.toml"
check "init" 0 "^https://portal.example/signup\?token=[A-Za-z0-9_-]{43}$" -- \
  "$bin" init --db "$dir/p.db" --org "Acme" --admin-email admin@acme.example --public-url https://portal.example
check "init twice" 1 "already exists" -- "$bin" init --db "$dir/p.db" --org "Acme" --admin-email a@acme.example
check "init bad email" 1 "not valid" -- "$bin" init --db "$dir/p.db" --org "Other" --admin-email nope
check "api-key create" 0 "^pk_[A-Za-z0-9_-]{43}$" -- \
  "$bin" api-key create --db "$dir/p.db" --org "Acme" --name ERP
key=$("$bin" api-key create --db "$dir/p.db" --org "Acme" --name ERP2 | tail -n 1)
if sqlite3 "$dir/p.db" "SELECT count(*) FROM api_keys WHERE key_hash = '$key'" | grep -q '^0$'; then
  echo "ok   api key stored only as a hash"
else
  echo "FAIL api key stored in the clear"; fail=1
fi
check "api-key unknown org" 1 "No organization named" -- \
  "$bin" api-key create --db "$dir/p.db" --org "Nope" --name ERP
# The delivery queue: what waits and what failed, with its last error; a failed job retried.
check "jobs on an empty queue" 0 "queued 0, running 0, failed 0, done 0" -- "$bin" jobs --db "$dir/p.db"
sqlite3 "$dir/p.db" "INSERT INTO jobs (kind, payload, state, attempts, run_at, give_up_at, last_error, created_at, finished_at) VALUES ('mail', 'x', 'failed', 9, 0, 0, 'Mail delivery failed: connection refused', 0, 0)"
check "jobs lists a failed job" 0 "^1  failed  mail  attempts 9 .*last error: Mail delivery failed: connection refused" -- \
  "$bin" jobs --db "$dir/p.db" --state failed
check "jobs retry" 0 "Job 1 \(mail\) is due again" -- "$bin" jobs --db "$dir/p.db" retry 1
check "jobs after the retry" 0 "queued 1, running 0, failed 0" -- "$bin" jobs --db "$dir/p.db"
check "jobs retry unknown" 1 "no failed or waiting job 42" -- "$bin" jobs --db "$dir/p.db" retry 42
check "jobs bad state" 105 "state" -- "$bin" jobs --db "$dir/p.db" --state lost
# A backup made while the portal serves, and a restore from it that serves the same data.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --db "$dir/p.db" --listen "127.0.0.1:$port" --no-access-log --job-workers 0 \
  --mail-outbox "$dir/mail" --sms-outbox "$dir/sms" >"$dir/serve.log" 2>&1 &
serving=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
check "backup while serving" 0 "Copied .*p.db to .*copy.db" -- "$bin" backup --db "$dir/p.db" --to "$dir/copy.db"
check "backup onto an existing file" 1 "exists already" -- "$bin" backup --db "$dir/p.db" --to "$dir/copy.db"
check "backup of nothing" 1 "no database" -- "$bin" backup --db "$dir/none.db" --to "$dir/none-copy.db"
check "backup of postgresql" 2 "pg_dump" -- "$bin" backup --db "postgresql://portico@127.0.0.1:1/x" --to "$dir/pg.db"
kill "$serving"; wait "$serving" 2>/dev/null
cp "$dir/p.db.key" "$dir/restored.db.key"
cp "$dir/copy.db" "$dir/restored.db"
if [ "$(sqlite3 "$dir/restored.db" "SELECT count(*) FROM organizations WHERE name = 'Acme'")" = 1 ] &&
   [ "$(sqlite3 "$dir/restored.db" "SELECT count(*) FROM api_keys")" = 2 ]; then
  echo "ok   the backup holds the organization and its keys"
else
  echo "FAIL the backup lacks data"; fail=1
fi
"$bin" serve --db "$dir/restored.db" --listen "127.0.0.1:$port" --no-access-log --job-workers 0 \
  --mail-outbox "$dir/mail" --sms-outbox "$dir/sms" >"$dir/restored.log" 2>&1 &
serving=$!
ready=""
for _ in $(seq 50); do ready=$(curl -s "http://127.0.0.1:$port/readyz") && [ -n "$ready" ] && break; sleep 0.1; done
kill "$serving"; wait "$serving" 2>/dev/null
if grep -q '"status":"ready"' <<<"$ready"; then
  echo "ok   the restored database serves (readyz: $ready)"
else
  echo "FAIL the restored database does not serve: $ready"; cat "$dir/restored.log" | head -5; fail=1
fi
exit $fail
