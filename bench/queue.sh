#!/usr/bin/env bash
# bench/queue.sh - the job queue under load: GET /api/v1/me while 10,000 mails wait in the
# queue (against the same server with an empty queue), and webhook delivery throughput to a
# local receiver (against that receiver's own throughput, measured in the same run).
#
# Usage (from the repository root):
#   bash bench/queue.sh                # run and print the summary
#   bash bench/queue.sh --write-docs   # also add or replace the section
#                                      # "## Mail queue and webhook deliveries (issue 9)"
#                                      # in docs/benchmarks.md
#   bash bench/queue.sh --quick        # smoke test: 500 mails, 200 deliveries, 1 run of 3 s
#                                      # each (not with --write-docs)
#   bash bench/queue.sh --help
#
# Benchmark of issue 9: "webhook delivery throughput to a local receiver; /me throughput
# unchanged while 10,000 mails wait in the queue". This script reads "unchanged" as: the median
# req/s with the full queue is at least 0.90 of the median with the empty queue.
#
# What it does:
#   1. Installs wrk, nginx, oathtool, curl, python3 and procps with apt-get if any is missing
#      (apt-get update first, only then), and builds build/src/app/portico if it is missing, as
#      bench/run.sh does (BENCH_BIN names another binary).
#   2. /me with a full queue. Starts `portico demo` (fresh demo database, --no-access-log,
#      the default 2 job workers) with `--smtp-url smtp://127.0.0.1:PORT` where PORT is a
#      loopback port nobody listens on: every mail delivery attempt fails at once (connection
#      refused) and the job is retried later (30 s, 1 min, 2 min, ... ±20 %, for 2 days). Signs in
#      as anna@acme.example (password, then TOTP) as bench/run.sh does.
#      (a) Waits for a quiet machine (bench/lib.sh), warms up, then runs
#            wrk -t2 -c64 -d10s --latency -s bench/auth.lua URL/api/v1/me
#          3 times: the baseline, with an empty queue.
#      (b) Queues 10,000 real mails through the product: `portico api-key create`, 100
#          companies upserted with one `POST /api/v1/integration/companies/bulk`, then 100
#          `POST /api/v1/integration/companies/{external_id}/admin-signup` per company, each
#          for another address (python3, one keep-alive connection; each answer must be 202).
#          Each call writes a signup link and queues one mail in the same transaction; the call
#          has no throttle. Waits until the workers have tried every mail once (the newest 100
#          that `portico jobs --db` lists all show an attempt), checks that it holds the 10,000 mail
#          jobs, waits for a quiet machine (here: other processes; the server's own workers
#          retrying the queue are part of what is measured), then runs the same wrk 3 times;
#          `portico jobs` is read before each run and after the last.
#   3. Webhook deliveries. Starts nginx as the receiver on another free loopback port
#      (worker_processes auto; `location /hook { return 204; }`, an access log line per
#      request: method, status, body length, webhook-id), and a second `portico demo` on a
#      fresh database (mail to an outbox folder). Creates an endpoint with
#      `POST /api/v1/integration/webhooks {url, events: ["user.invited"]}` (API key), makes one
#      event through the product (anna invites a new user to Acme Sverige AB: user.invited) and
#      waits until its delivery is delivered; then serves that database with
#      `portico serve --allow-private-webhooks --job-workers 2`. A delivery is one
#      `POST /api/v1/integration/webhooks/{id}/deliveries/{delivery_id}/replay` (python3, one
#      keep-alive connection, each answer 202): it queues one delivery job. 3 times:
#      (i) live: 2,000 replays posted while the workers deliver; deliveries/s = 2,000 / the time
#          from the first replay sent until the receiver has logged all 2,000 (webhook-id set,
#          answered 204, the event's body length).
#      (ii) the reference: the receiver's own throughput, wrk -t2 -c64 -d10s --latency -s
#          bench/hook.lua, a POST of the same body size with the three webhook headers (dummy
#          values of the same length).
#      (iii) backlog: 2,000 replays queued by the server restarted with --job-workers 0, which is
#          then stopped; then `portico serve --job-workers 2` starts and deliveries/s =
#          1,999 / the time from the first delivery the receiver logs to the last.
#      After each pass `portico jobs` must show every job done, none queued or failed.
#      Every wrk run and every delivery run has the interference check of bench/run.sh (CPU of
#      other processes, steal; a disturbed wrk run is repeated, at most twice).
#   4. Prints per-run figures and the summary, and with --write-docs writes its section of
#      docs/benchmarks.md (the other sections are left as they are).
#
# Environment overrides (defaults in brackets; the docs record any that are set):
#   BENCH_MAILS [10000]  BENCH_DELIVERIES [2000 a run]  BENCH_RUNS [3]  BENCH_DURATION [10s]
#   BENCH_THREADS [2]  BENCH_CONNECTIONS [64]  BENCH_WARMUP [2s]  BENCH_QUIET_WAIT [300]
#   BENCH_BIN [build/src/app/portico]  BENCH_KEEP_TMP [0] (1 = keep the temp dir and its logs)
# Exit status: 0 when the benchmark ran (whether or not /me stayed unchanged), non-zero when
# something failed (setup, an answer that was not the expected one, deliveries missing).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"
bench_args queue.sh "$@"

if ((QUICK)); then
  MAILS="${BENCH_MAILS:-500}"
  DELIVERIES="${BENCH_DELIVERIES:-200}"
  RUNS="${BENCH_RUNS:-1}"
  DURATION="${BENCH_DURATION:-3s}"
else
  MAILS="${BENCH_MAILS:-10000}"
  DELIVERIES="${BENCH_DELIVERIES:-2000}"
  RUNS="${BENCH_RUNS:-3}"
  DURATION="${BENCH_DURATION:-10s}"
fi
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-64}"
WARMUP="${BENCH_WARMUP:-2s}"
COMPANIES=100
((MAILS % COMPANIES == 0)) || die "BENCH_MAILS must be a multiple of $COMPANIES"
UNCHANGED=0.90
SECTION="## Mail queue and webhook deliveries (issue 9)"
EMAIL="anna@acme.example"
PASSWORD="correct horse battery staple"
ORG="Northwind Service"
[[ -n "${BENCH_BIN:-}" ]] && BIN="$BENCH_BIN"

require_tools wrk nginx oathtool curl python3 procps
ensure_binary
make_workdir portico-queue

thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%d", n); o = "";
    while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
    print s o }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
now_s() { date +%s.%N; }
build_flags_of() { # build-dir: like build_flags (bench/lib.sh), for another build directory
  awk '/^ *FLAGS = / && !done { done = 1; for (i = 3; i <= NF; i++)
      if ($i ~ /^-O|^-g$|^-DNDEBUG$|^-fsanitize=/) out = out (out == "" ? "" : " ") $i }
      END { print out }' "$1/build.ninja" 2>/dev/null || true
}

start_demo() { # name extra-flags... -> sets PORTICO_PID PURL DB (the server's log: WORK/NAME.log)
  local name="$1" port
  shift
  port="$(free_port)" || die "no free port"
  DB="$WORK/$name.db"
  log "starting portico demo ($name) on 127.0.0.1:$port"
  "$BIN" demo --db "$DB" --sms-outbox "$WORK/sms-$name" --listen "127.0.0.1:$port" \
    --no-access-log "$@" >"$WORK/$name.log" 2>&1 &
  PORTICO_PID=$!
  PURL="http://127.0.0.1:$port"
  wait_serving "$PORTICO_PID" "$WORK/$name.log"
}

jobs_counts() { # -> "queued N, running N, failed N, done N" (the first line of portico jobs)
  "$BIN" jobs --db "$DB" --state failed 2>/dev/null | awk 'NR == 1'
}
count_of() { sed -n "s/.*$1 \([0-9]*\).*/\1/p" <<<"$2"; } # state "counts line" -> number

# Like wait_quiet, but counts only the CPU time of other processes (not the servers' nor the
# script's): while mail waits in the queue, the server's own workers retrying it are part of
# the load being measured. Sets LAST_BUSY LAST_STEAL.
wait_quiet_others() {
  local start=$SECONDS said=0 t0 b0 o0
  while :; do
    cpu_mark; t0=$C_TOTAL b0=$C_BUSY o0=$C_OURS
    sleep 1
    cpu_mark
    LAST_BUSY="$(awk -v b=$((C_BUSY - b0 - (C_OURS - o0))) -v t=$((C_TOTAL - t0)) 'BEGIN { v = (t > 0 ? 100 * b / t : 0); printf "%.0f", (v < 0 ? 0 : v) }')"
    LAST_STEAL=0
    if ((LAST_BUSY <= 15)); then
      LAST_STEAL="$(steal_probe_pct)"
      ((LAST_STEAL <= 3)) && return 0
    fi
    if ((SECONDS - start >= QUIET_WAIT)); then
      log "WARNING: still not quiet after ${QUIET_WAIT} s (other processes ${LAST_BUSY}% of the CPUs, steal ${LAST_STEAL}% under load); going on, figures will be low and noisy"
      return 1
    fi
    ((said)) || log "machine not quiet (other processes ${LAST_BUSY}% of the CPUs, hypervisor steal ${LAST_STEAL}% under load); waiting up to ${QUIET_WAIT} s"
    said=1
    sleep 2
  done
}

LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"
WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/auth.lua")
WRK_CMD="wrk -t$THREADS -c$CONNS -d$DURATION --latency -s bench/auth.lua URL"
QUIET_NOTES=()

# ================================================================ 1. /me with a full queue
SMTP_PORT="$(free_port)" || die "no free port"
start_demo me --smtp-url "smtp://127.0.0.1:$SMTP_PORT" --job-workers 2
port_in_use "$SMTP_PORT" && die "something listens on the SMTP port $SMTP_PORT"
sign_in "$PURL" "$EMAIL" "$PASSWORD" "$(demo_totp_key "$EMAIL" "$WORK/me.log")"
export PORTICO_TOKEN="$SIGNED_IN_TOKEN"
status="$(curl -sS -o "$WORK/me.json" -w '%{http_code}' -H "Authorization: Bearer $PORTICO_TOKEN" "$PURL/api/v1/me")"
[[ "$status" == 200 ]] || die "GET /api/v1/me answered $status"
ME_BYTES="$(stat -c %s "$WORK/me.json")"
COUNTS_EMPTY="$(jobs_counts)"
[[ "$(count_of queued "$COUNTS_EMPTY")" == 0 ]] || die "the demo's queue is not empty: $COUNTS_EMPTY"
log "signed in as $EMAIL; /api/v1/me answers 200 with $ME_BYTES bytes; queue: $COUNTS_EMPTY"

# ---------------------------------------------------------------- (a) baseline
QUIET_A=1
wait_quiet || QUIET_A=0
BUSY_A=$LAST_BUSY STEAL_A=$LAST_STEAL
((QUIET_A)) || QUIET_NOTES+=("not quiet before the baseline")
log "warm-up: $WARMUP (not counted)"
run_wrk /dev/null -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$ROOT/bench/auth.lua" "$PURL/api/v1/me" || die "warm-up failed"
for ((r = 1; r <= RUNS; r++)); do measure empty "$PURL/api/v1/me" "$r"; done

# ---------------------------------------------------------------- (b) queue the mail
KEY="$("$BIN" api-key create --db "$DB" --org "$ORG" --name bench 2>>"$WORK/cli.log" | tail -n 1)"
[[ "$KEY" == pk_* ]] || die "no API key from portico api-key create"
for ((i = 1; i <= COMPANIES; i++)); do
  printf '{"external_id":"Q-%03d","name":"Queue Customer %03d AB"}\n' "$i" "$i"
done >"$WORK/companies.ndjson"
status="$(curl -sS -o "$WORK/bulk.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/x-ndjson' --data-binary "@$WORK/companies.ndjson" \
  "$PURL/api/v1/integration/companies/bulk")"
if [[ "$status" != 200 ]] || ! grep -q '"failed":0' "$WORK/bulk.json"; then
  die "companies/bulk answered $status: $(head -c 300 "$WORK/bulk.json")"
fi

log "queueing $(thousands "$MAILS") mails: $(thousands "$MAILS") admin-signup calls over $COMPANIES companies"
T_Q0="$(now_s)"
python3 - "$PURL" "$KEY" "$MAILS" "$COMPANIES" "$WORK/queue-errors" <<'EOF' || die "queueing the mail failed"
import http.client, sys, time, urllib.parse
url, key, mails, companies = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
u = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(u.hostname, u.port)
headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
errors = 0  # 500 answers: the call is made again (at most 5 times), and they are counted
for i in range(mails):
    c = i % companies + 1
    body = '{"email":"admin%05d@queue.example","requested_by":"bench"}' % i
    for attempt in range(5):
        conn.request("POST", "/api/v1/integration/companies/Q-%03d/admin-signup" % c, body, headers)
        r = conn.getresponse()
        answer = r.read()
        if r.status != 500 or attempt == 4: break
        errors += 1
        time.sleep(0.05)
    if r.status != 202:
        sys.exit("admin-signup %d answered %d: %r" % (i, r.status, answer[:300]))
open(sys.argv[5], "w").write("%d\n" % errors)
EOF
T_Q1="$(now_s)"
QUEUE_SECS="$(awk -v a="$T_Q0" -v b="$T_Q1" 'BEGIN { printf "%.1f", b - a }')"
QUEUE_RATE="$(awk -v n="$MAILS" -v a="$T_Q0" -v b="$T_Q1" 'BEGIN { printf "%d", n / (b - a) }')"
QUEUE_ERRORS="$(cat "$WORK/queue-errors")"
QUEUE_500S="$(grep -c '"event":"unhandled_exception"' "$WORK/me.log" || true)"
LOCKED_500S="$(grep '"event":"unhandled_exception"' "$WORK/me.log" | grep -c 'database is locked' || true)"
log "queued $(thousands "$MAILS") mails in $QUEUE_SECS s ($QUEUE_RATE calls/s); $QUEUE_ERRORS answers were 500 and repeated ($LOCKED_500S of the server's $QUEUE_500S unhandled exceptions: database is locked)"

# Every mail tried once (the first attempt fails at once), so that the runs see a queue of
# mail that waits for its retry, not the first pass over new jobs. portico jobs lists the newest
# 100 waiting jobs, and the workers claim the job that has waited longest: once those 100 are
# mail tried at least once, every mail has been.
for ((i = 0; i < 240; i++)); do
  "$BIN" jobs --db "$DB" --state queued >"$WORK/jobs-queued.txt" 2>/dev/null
  LISTED="$(tail -n +2 "$WORK/jobs-queued.txt" | wc -l)"
  LISTED_MAIL="$(grep -c '^[0-9][0-9]*  queued  mail  attempts [1-9]' "$WORK/jobs-queued.txt" || true)"
  ((LISTED > 0 && LISTED_MAIL == LISTED)) && break
  sleep 0.5
done
FIRST_PASS_SECS="$(awk -v a="$T_Q0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }')"
COUNTS_FULL="$(awk 'NR == 1' "$WORK/jobs-queued.txt")"
SAMPLE_ERROR="$(grep -m1 '  queued  mail ' "$WORK/jobs-queued.txt" | sed 's/.*last error: //')"
QUEUED_FULL="$(count_of queued "$COUNTS_FULL")"
log "queue after the first attempts: $COUNTS_FULL ($LISTED_MAIL of the $LISTED listed are mail tried once or more; last error: $SAMPLE_ERROR)"
((QUEUED_FULL >= MAILS && LISTED_MAIL == LISTED && LISTED > 0)) ||
  die "portico jobs shows $COUNTS_FULL with $LISTED_MAIL of $LISTED listed jobs mail, expected $MAILS queued mail jobs"

QUIET_B=1
wait_quiet_others || QUIET_B=0
BUSY_B=$LAST_BUSY STEAL_B=$LAST_STEAL
((QUIET_B)) || QUIET_NOTES+=("not quiet before the runs with the full queue")
QUEUE_SNAPS=()
before_run() { # name url: reads the queue before every try of a run with the full queue
  if [[ "$1" == full ]]; then QUEUE_SNAPS+=("$(count_of queued "$(jobs_counts)")"); fi
}
ATTEMPTS0="$(grep -c '"event":"job_failed"' "$WORK/me.log" || true)"
T_B0="$(now_s)"
log "warm-up: $WARMUP (not counted)"
run_wrk /dev/null -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$ROOT/bench/auth.lua" "$PURL/api/v1/me" || die "warm-up failed"
for ((r = 1; r <= RUNS; r++)); do measure full "$PURL/api/v1/me" "$r"; done
T_B1="$(now_s)"
ATTEMPTS1="$(grep -c '"event":"job_failed"' "$WORK/me.log" || true)"
RETRIES_DURING="$((ATTEMPTS1 - ATTEMPTS0))"
RETRY_SECS="$(awk -v a="$T_B0" -v b="$T_B1" 'BEGIN { printf "%.0f", b - a }')"
COUNTS_AFTER="$(jobs_counts)"
QUEUE_SNAPS+=("$(count_of queued "$COUNTS_AFTER")")
unset -f before_run
status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $PORTICO_TOKEN" "$PURL/api/v1/me" || true)"
[[ "$status" == 200 ]] || log "WARNING: after the runs GET /api/v1/me answers $status"
kill -0 "$PORTICO_PID" 2>/dev/null || die "portico is no longer running"
log "queue after the runs: $COUNTS_AFTER; $RETRIES_DURING failed delivery attempts (retries) during the $RETRY_SECS s of warm-up and runs"
stop_pid "$PORTICO_PID"; PORTICO_PID=""

read -ra A_RPS <<<"${RPS_OF[empty]}"; read -ra A_P99 <<<"${P99_OF[empty]}"
read -ra B_RPS <<<"${RPS_OF[full]}"; read -ra B_P99 <<<"${P99_OF[full]}"
A_RPS_MED="$(median "${A_RPS[@]}")"; A_P99_MED="$(median "${A_P99[@]}")"
B_RPS_MED="$(median "${B_RPS[@]}")"; B_P99_MED="$(median "${B_P99[@]}")"
ME_RATIO="$(ratio "$B_RPS_MED" "$A_RPS_MED")"
P99_RATIO="$(ratio "$B_P99_MED" "$A_P99_MED")"
ME_OK="$(awk -v r="$ME_RATIO" -v t="$UNCHANGED" 'BEGIN { print (r + 0 >= t ? 1 : 0) }')"
ERR_OK=$(( NON2XX_OF[empty] + NON2XX_OF[full] + SOCKERR_OF[empty] + SOCKERR_OF[full] == 0 ? 1 : 0 ))
SNAP_MIN="$(printf '%s\n' "${QUEUE_SNAPS[@]}" | sort -n | head -n1)"
SNAP_MAX="$(printf '%s\n' "${QUEUE_SNAPS[@]}" | sort -n | tail -n1)"
ME_RUN_ROWS="$RUN_ROWS"
ME_REPEATED=$REPEATED ME_KEPT=$DISTURBED_KEPT ME_MAX_OTHER=$MAX_OTHER ME_MAX_STEAL=$MAX_STEAL

# ================================================================ 2. webhook deliveries
NPORT="$(free_port)" || die "no free port"
chmod 755 "$WORK"
touch "$WORK/hook.log"; chmod 666 "$WORK/hook.log"
write_nginx_conf <<EOF
    log_format hook '\$request_method \$status \$content_length \$http_webhook_id';
    server {
        listen 127.0.0.1:$NPORT;
        location /hook {
            access_log $WORK/hook.log hook;
            return 204;
        }
    }
EOF
log "starting nginx (the webhook receiver) on 127.0.0.1:$NPORT"
"$NGINX" -p "$WORK/" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" >"$WORK/nginx.out" 2>&1 &
NGINX_PID=$!
HOOK_URL="http://127.0.0.1:$NPORT/hook"
ok=0
for ((i = 0; i < 100; i++)); do
  kill -0 "$NGINX_PID" 2>/dev/null || break
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "$HOOK_URL" || true)" == 204 ]]; then ok=1; break; fi
  sleep 0.1
done
((ok)) || { cat "$WORK/nginx.out" "$WORK/nginx-error.log" >&2 2>/dev/null || true; die "nginx did not come up"; }
mapfile -t NGINX_PIDS < <(echo "$NGINX_PID"; pgrep -P "$NGINX_PID" 2>/dev/null || true)

start_demo hooks --mail-outbox "$WORK/mail-hooks" --allow-private-webhooks --job-workers 2
sign_in "$PURL" "$EMAIL" "$PASSWORD" "$(demo_totp_key "$EMAIL" "$WORK/hooks.log")"
TOKEN="$SIGNED_IN_TOKEN"
KEY="$("$BIN" api-key create --db "$DB" --org "$ORG" --name bench 2>>"$WORK/cli.log" | tail -n 1)"
[[ "$KEY" == pk_* ]] || die "no API key from portico api-key create"
status="$(curl -sS -o "$WORK/webhook.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -d "{\"url\":\"$HOOK_URL\",\"events\":[\"user.invited\"]}" \
  "$PURL/api/v1/integration/webhooks")"
[[ "$status" == 201 ]] || die "POST /api/v1/integration/webhooks answered $status: $(cat "$WORK/webhook.json")"
HOOK_ID="$(sed -n 's/.*"id":\([0-9]*\).*/\1/p' "$WORK/webhook.json")"
grep -q '"secret":"whsec_' "$WORK/webhook.json" || die "the endpoint's answer has no whsec_ secret"
curl -sS -o "$WORK/me.json" -H "Authorization: Bearer $TOKEN" "$PURL/api/v1/me" || die "GET /api/v1/me failed"
ACME_ID="$(python3 -c 'import json, sys; print(next(c["id"] for c in json.load(open(sys.argv[1]))["companies"] if c["name"] == "Acme Sverige AB"))' "$WORK/me.json")"
status="$(curl -sS -o "$WORK/invite.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' \
  -d "{\"email\":\"hook@queue.example\",\"first_name\":\"Hook\",\"last_name\":\"Receiver\",\"companies\":[{\"company_id\":$ACME_ID,\"role\":\"user\"}]}" \
  "$PURL/api/v1/invitations")"
[[ "$status" == 201 ]] || die "POST /api/v1/invitations answered $status: $(cat "$WORK/invite.json")"
DELIVERY_ID=""
for ((i = 0; i < 100; i++)); do
  curl -sS -H "Authorization: Bearer $KEY" "$PURL/api/v1/integration/webhooks/$HOOK_ID/deliveries" >"$WORK/deliveries.json"
  if grep -q '"status":"delivered"' "$WORK/deliveries.json"; then
    DELIVERY_ID="$(sed -n 's/.*"id":\([0-9]*\).*"status":"delivered".*/\1/p' "$WORK/deliveries.json")"
    break
  fi
  sleep 0.1
done
[[ -n "$DELIVERY_ID" ]] || die "the user.invited delivery was not delivered within 10 s: $(cat "$WORK/deliveries.json")"
FIRST_LINE="$(grep -m1 ' msg_' "$WORK/hook.log")"
read -r _ _ BODY_BYTES _ <<<"$FIRST_LINE"
[[ "$FIRST_LINE" == "POST 204 "* && "$BODY_BYTES" =~ ^[0-9]+$ ]] || die "unexpected receiver log line: $FIRST_LINE"
# The invitation queued its mail too: wait until the queue is empty; the done count so far.
for ((i = 0; i < 100; i++)); do
  counts="$(jobs_counts)"
  [[ "$(count_of queued "$counts")" == 0 ]] && break
  sleep 0.1
done
[[ "$(count_of queued "$counts")" == 0 && "$(count_of failed "$counts")" == 0 ]] || die "the queue did not empty after the invitation: $counts"
DONE_WANT="$(count_of "done" "$counts")"
log "endpoint $HOOK_ID, event user.invited delivered as delivery $DELIVERY_ID ($BODY_BYTES bytes of JSON); queue: $counts"

QUIET_C=1
wait_quiet || QUIET_C=0
BUSY_C=$LAST_BUSY STEAL_C=$LAST_STEAL
((QUIET_C)) || QUIET_NOTES+=("not quiet before the webhook runs")
export HOOK_BYTES="$BODY_BYTES"
WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$ROOT/bench/hook.lua")
HOOK_WRK_CMD="wrk -t$THREADS -c$CONNS -d$DURATION --latency -s bench/hook.lua URL"
RUN_ROWS="" REPEATED=0 DISTURBED_KEPT=0 MAX_OTHER=0 MAX_STEAL=0
log "warm-up of the receiver: $WARMUP (not counted)"
run_wrk /dev/null -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$ROOT/bench/hook.lua" "$HOOK_URL" || die "warm-up failed"

# The replays, and the wait for their deliveries in the receiver's log, in python3 (one
# keep-alive connection). Modes: "send" posts n replays; "wait" waits for n deliveries logged
# after line lines0; "both" does both. Prints: seconds until the last replay was answered ("wait":
# until the first delivery was logged), seconds until the last delivery was logged (both from
# the start of the call).
cat >"$WORK/replay.py" <<'EOF'
import http.client, sys, time, urllib.parse
mode, url, key, hook, delivery, n, logfile, lines0 = sys.argv[1:9]
n, lines0 = int(n), int(lines0)
t0 = time.monotonic()
t1 = t0
if mode in ("send", "both"):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port)
    headers = {"Authorization": "Bearer " + key}
    path = "/api/v1/integration/webhooks/%s/deliveries/%s/replay" % (hook, delivery)
    errors = 0  # 500 answers: made again (at most 5 times), counted on stderr
    for i in range(n):
        for attempt in range(5):
            conn.request("POST", path, headers=headers)
            r = conn.getresponse()
            answer = r.read()
            if r.status != 500 or attempt == 4: break
            errors += 1
            time.sleep(0.05)
        if r.status != 202:
            sys.exit("replay %d answered %d: %r" % (i, r.status, answer[:300]))
    if errors:
        print("[bench] WARNING: %d replay answers were 500 and were repeated" % errors, file=sys.stderr)
        open(logfile + ".errors", "a").write("%d\n" % errors)
    t1 = time.monotonic()
t2 = t1
if mode in ("wait", "both"):
    log = open(logfile, "rb")
    for _ in range(lines0): log.readline()
    seen = 0
    t_first = None
    while True:
        for line in log.readlines():  # deliveries carry a real webhook-id
            if b" msg_" in line: seen += 1
        if seen and t_first is None: t_first = time.monotonic()
        if seen >= n: break
        if time.monotonic() - t1 > 300:
            sys.exit("only %d of %d deliveries arrived within 300 s" % (seen, n))
        time.sleep(0.005)
    t2 = time.monotonic()
    t1 = t_first if mode == "wait" else t1
print("%.3f %.3f" % (t1 - t0, t2 - t0))
EOF
replay() { # mode lines0 -> prints the two times
  python3 "$WORK/replay.py" "$1" "$PURL" "$KEY" "$HOOK_ID" "$DELIVERY_ID" "$DELIVERIES" "$WORK/hook.log" "$2"
}

HOOKS_PORT="${PURL##*:}"
serve_hooks() { # workers: portico serve on the webhook database (stops the running one first)
  stop_pid "$PORTICO_PID"; PORTICO_PID=""
  "$BIN" serve --db "$DB" --listen "127.0.0.1:$HOOKS_PORT" --mail-outbox "$WORK/mail-hooks" \
    --sms-outbox "$WORK/sms-hooks" --allow-private-webhooks --job-workers "$1" --no-access-log \
    >>"$WORK/hooks.log" 2>&1 &
  PORTICO_PID=$!
}
wait_serving_again() { # pid: until GET /healthz answers (30 s at most)
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$1" 2>/dev/null || { tail -n 20 "$WORK/hooks.log" >&2; die "portico exited during startup"; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$PURL/healthz" || true)" == 200 ]] && return 0
    sleep 0.05
  done
  die "portico did not serve again within 30 s"
}

check_delivered() { # idx lines0: the receiver's log and portico jobs agree that all arrived
  local idx="$1" lines0="$2" bad got counts i
  # The receiver's count is the check: exactly n deliveries, each answered 204, right size.
  got="$(tail -n +$((lines0 + 1)) "$WORK/hook.log" | grep -c ' msg_' || true)"
  bad="$(tail -n +$((lines0 + 1)) "$WORK/hook.log" | grep ' msg_' | grep -vc "^POST 204 $BODY_BYTES msg_" || true)"
  ((got == DELIVERIES && bad == 0)) || die "the receiver logged $got deliveries ($bad unexpected lines), expected $DELIVERIES"
  GOT=$got
  # The product's view: every job done, none waiting or failed.
  DONE_WANT=$((DONE_WANT + DELIVERIES))
  for ((i = 0; i < 50; i++)); do
    counts="$(jobs_counts)"
    [[ "$(count_of "done" "$counts")" == "$DONE_WANT" && "$(count_of queued "$counts")" == 0 && "$(count_of running "$counts")" == 0 ]] && break
    sleep 0.1
  done
  [[ "$(count_of "done" "$counts")" == "$DONE_WANT" && "$(count_of queued "$counts")" == 0 &&
     "$(count_of failed "$counts")" == 0 ]] || die "portico jobs after run $idx: $counts (expected done $DONE_WANT, none queued or failed)"
  COUNTS="$counts"
}

interference_start() { cpu_mark; I_T=$C_TOTAL I_B=$C_BUSY I_S=$C_STEAL I_O=$C_OURS; }
interference_end() { # -> sets I_OTHER I_STEAL I_NOTE
  cpu_mark
  I_OTHER="$(awk -v b=$((C_BUSY - I_B - (C_OURS - I_O))) -v t=$((C_TOTAL - I_T)) 'BEGIN { v = (t > 0 ? 100 * b / t : 0); printf "%.0f", (v < 0 ? 0 : v) }')"
  I_STEAL="$(awk -v s=$((C_STEAL - I_S)) -v t=$((C_TOTAL - I_T)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * s / t : 0) }')"
  ((I_OTHER > MAX_OTHER)) && MAX_OTHER=$I_OTHER
  ((I_STEAL > MAX_STEAL)) && MAX_STEAL=$I_STEAL
  I_NOTE=""
  if ((I_OTHER > 10 || I_STEAL > 3)); then
    I_NOTE=" (disturbed)"
    log "WARNING: during this run other processes used ~${I_OTHER}% and steal took ${I_STEAL}% of the CPUs"
  fi
}

L_RATES=(); B_RATES=(); D_ROWS=""
live_run() { # idx: replays posted while the 2 workers deliver; first replay -> last delivery
  local idx="$1" lines0 enq_s total_s rate
  lines0="$(wc -l <"$WORK/hook.log")"
  log "run $idx/$RUNS: $(thousands "$DELIVERIES") webhook deliveries while the replays arrive"
  interference_start
  read -r enq_s total_s <<<"$(replay both "$lines0")" || die "the delivery run failed"
  interference_end
  check_delivered "$idx" "$lines0"
  rate="$(awk -v n="$DELIVERIES" -v s="$total_s" 'BEGIN { printf "%d", n / s }')"
  log "run $idx: $DELIVERIES deliveries in $total_s s ($rate/s; replays answered within $enq_s s); receiver logged $GOT; $COUNTS"
  D_ROWS+="| $idx | live$I_NOTE | $rate | $enq_s | $total_s | $GOT | $I_OTHER% | $I_STEAL% |"$'\n'
  L_RATES+=("$rate")
}
backlog_run() { # idx: replays queued with no worker running, then a server with 2 workers
  # drains them: from its start until the last delivery
  local idx="$1" lines0 enq_s rate first_s last_s
  log "run $idx/$RUNS: $(thousands "$DELIVERIES") replays queued with no job worker, then drained by 2 workers"
  serve_hooks 0
  wait_serving_again "$PORTICO_PID"
  lines0="$(wc -l <"$WORK/hook.log")"
  read -r enq_s _ <<<"$(replay send "$lines0")" || die "queueing the replays failed"
  counts="$(jobs_counts)"
  (($(count_of queued "$counts") == DELIVERIES)) || die "with no worker the queue shows $counts, expected $DELIVERIES queued"
  stop_pid "$PORTICO_PID"; PORTICO_PID=""
  ((QUICK)) || wait_quiet || true
  interference_start
  serve_hooks 2
  read -r first_s last_s <<<"$(replay wait "$lines0")" || die "the backlog was not delivered"
  interference_end
  wait_serving_again "$PORTICO_PID"
  check_delivered "$idx" "$lines0"
  # From the first delivery to the last: the server's start-up is not counted (it is shown).
  rate="$(awk -v n="$DELIVERIES" -v a="$first_s" -v b="$last_s" 'BEGIN { printf "%d", (n - 1) / (b - a) }')"
  log "run $idx: a backlog of $DELIVERIES deliveries: the first $first_s s after the server's start, the last after $last_s s ($rate/s); receiver logged $GOT; $COUNTS"
  D_ROWS+="| $idx | backlog$I_NOTE | $rate | ($enq_s, no worker) | first $first_s, last $last_s | $GOT | $I_OTHER% | $I_STEAL% |"$'\n'
  B_RATES+=("$rate")
}

serve_hooks 2 # the demo server, restarted as \`portico serve\`: the flags of the runs
wait_serving_again "$PORTICO_PID"
for ((r = 1; r <= RUNS; r++)); do
  live_run "$r"
  measure receiver "$HOOK_URL" "$r"
  backlog_run "$r"
done
kill -0 "$PORTICO_PID" 2>/dev/null || die "portico is no longer running"
REPLAY_ERRORS="$(awk '{ n += $1 } END { print n + 0 }' "$WORK/hook.log.errors" 2>/dev/null || echo 0)"
HOOK_500S="$(grep -c '"event":"unhandled_exception"' "$WORK/hooks.log" || true)"
HOOK_STATUS="$(curl -sS -H "Authorization: Bearer $KEY" "$PURL/api/v1/integration/webhooks/$HOOK_ID/deliveries" | json_field status)"
log "the delivery's status in GET …/deliveries: $HOOK_STATUS"
stop_pid "$PORTICO_PID"; PORTICO_PID=""

read -ra R_RPS_L <<<"${RPS_OF[receiver]}"; read -ra R_P99_L <<<"${P99_OF[receiver]}"
D_MED="$(median "${L_RATES[@]}")"; BL_MED="$(median "${B_RATES[@]}")"
R_MED="$(median "${R_RPS_L[@]}")"; R_P99_MED="$(median "${R_P99_L[@]}")"
D_RATIO="$(awk -v a="$D_MED" -v b="$R_MED" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
BL_RATIO="$(awk -v a="$BL_MED" -v b="$R_MED" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
HOOK_REPEATED=$REPEATED HOOK_KEPT=$DISTURBED_KEPT HOOK_MAX_OTHER=$MAX_OTHER HOOK_MAX_STEAL=$MAX_STEAL

# ================================================================ summary
if ((ME_OK && ERR_OK)); then VERDICT=unchanged; else VERDICT=changed; fi
ME_SUMMARY="| phase | queue (portico jobs) | req/s (median of $RUNS) | p99 ms (median of $RUNS) | spread req/s | spread p99 ms | non-2xx/3xx | socket errors |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |
| (a) empty queue | $COUNTS_EMPTY | $A_RPS_MED | $A_P99_MED | $(range "${A_RPS[@]}") | $(range "${A_P99[@]}") | ${NON2XX_OF[empty]} | ${SOCKERR_OF[empty]} |
| (b) $(thousands "$MAILS") mails waiting | $SNAP_MIN–$SNAP_MAX queued before each run and after the last | $B_RPS_MED | $B_P99_MED | $(range "${B_RPS[@]}") | $(range "${B_P99[@]}") | ${NON2XX_OF[full]} | ${SOCKERR_OF[full]} |"
ME_PER_RUN="| run | phase | req/s | p99 ms | requests | non-2xx/3xx | socket errors | CPU of other processes | steal |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${ME_RUN_ROWS%$'\n'}"
HOOK_SUMMARY="| what | rate (median of $RUNS) | spread | p99 ms |
| --- | ---: | ---: | ---: |
| live: webhook deliveries by 2 job workers while the replays arrive, first replay sent → last delivery logged by the receiver | $D_MED deliveries/s | $(range "${L_RATES[@]}") | — |
| backlog: $(thousands "$DELIVERIES") deliveries queued with no worker, then \`portico serve --job-workers 2\` started; first → last delivery logged | $BL_MED deliveries/s | $(range "${B_RATES[@]}") | — |
| the receiver alone: \`$HOOK_WRK_CMD\`, POST of $BODY_BYTES bytes | $R_MED req/s | $(range "${R_RPS_L[@]}") | $R_P99_MED |"
HOOK_PER_RUN="| run | what | deliveries/s | last replay answered after s | all delivered after s | receiver count | CPU of other processes | steal |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |
${D_ROWS%$'\n'}

| run | receiver (wrk) | req/s | p99 ms | requests | non-2xx/3xx | socket errors | CPU of other processes | steal |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${RUN_ROWS%$'\n'}"

echo
echo "/me with the queue empty and with $(thousands "$MAILS") mails waiting ($WRK_CMD):"
echo "$ME_SUMMARY"
echo
echo "Ratio (b)/(a): req/s $ME_RATIO, p99 $P99_RATIO -> $VERDICT (unchanged: req/s ratio ≥ $UNCHANGED, no errors)"
echo "Mail queued in $QUEUE_SECS s ($QUEUE_RATE admin-signup calls/s); $RETRIES_DURING retries failed during the $RETRY_SECS s of phase (b)"
echo
echo "$ME_PER_RUN"
echo
echo "Webhook deliveries ($(thousands "$DELIVERIES") a run) against the receiver's own throughput:"
echo "$HOOK_SUMMARY"
echo
echo "Ratio deliveries/s to the receiver's req/s: live $D_RATIO, backlog $BL_RATIO"
echo
echo "$HOOK_PER_RUN"

# ================================================================ docs
if ((WRITE_DOCS)); then
  COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  # The binary as the docs name it (relative to its checkout, never a path of this machine),
  # and the flags its build directory was configured with.
  BUILD_DIR="$(dirname "$(dirname "$(dirname "$BIN")")")"
  BIN_SHOWN="$(basename "$BUILD_DIR")/src/app/portico"
  FLAGS="$(cd "$BUILD_DIR/.." && build_flags_of "$(basename "$BUILD_DIR")")"
  BUILD_TYPE="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)"
  CMD="bash bench/queue.sh --write-docs"
  for v in BENCH_MAILS BENCH_DELIVERIES BENCH_RUNS BENCH_DURATION BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP BENCH_QUIET_WAIT BENCH_BIN; do
    if [[ $v == BENCH_BIN ]]; then [[ -n "${!v:-}" ]] && CMD="$v=$BIN_SHOWN $CMD"; continue; fi
    [[ -n "${!v:-}" ]] && CMD="$v=${!v} $CMD"
  done
  if [[ $VERDICT == unchanged ]]; then
    VERDICT_TEXT="**Unchanged.** With $(thousands "$MAILS") mails waiting in the queue (and the 2 workers retrying them), \`GET /api/v1/me\` keeps $ME_RATIO× its throughput with the queue empty (needed: ≥ $UNCHANGED×), p99 $B_P99_MED ms against $A_P99_MED ms, without error responses."
  else
    VERDICT_TEXT="**Changed.** With $(thousands "$MAILS") mails waiting in the queue, \`GET /api/v1/me\` keeps $ME_RATIO× its throughput with the queue empty (needed: ≥ $UNCHANGED×), p99 $B_P99_MED ms against $A_P99_MED ms$( ((ERR_OK)) || echo ', with error responses')."
  fi
  VERDICT_TEXT+=" Webhooks: $D_MED deliveries/s to a local receiver while the replays that cause them arrive, $BL_MED deliveries/s draining a backlog, against the receiver's own $R_MED req/s (ratios $D_RATIO and $BL_RATIO)."
  if ((${#QUIET_NOTES[@]} > 0 || ME_KEPT > 0 || HOOK_KEPT > 0)); then
    VERDICT_TEXT+=" Caution: the machine was busy with other processes during this measurement ($(IFS=';'; echo "${QUIET_NOTES[*]:-disturbed runs kept}" | sed 's/;/; /g'); see \"interference\"), so the figures are lower and noisier than on a quiet machine."
  fi
  bstate() { echo "$1% CPU busy ($2), $3% hypervisor steal in a 1 s probe keeping all CPUs busy$( (($4)) || echo ' (**not quiet**)')"; }
  cat >"$WORK/section.md" <<EOF
$SECTION

This section is written by \`bash bench/queue.sh --write-docs\` (\`bench/run.sh --write-docs\`
keeps it); rerun it to refresh the figures.

### Target

\`GET /api/v1/me\` throughput unchanged while 10,000 mails wait in the queue — read here as: the
median req/s with the full queue is at least $UNCHANGED× the median with the queue empty, on the
same server, without error responses — and the webhook delivery throughput to a local receiver,
reported against that receiver's own throughput measured in the same run (no target figure).

Result: $VERDICT_TEXT

### Results

| | |
| --- | --- |
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| commit | \`$COMMIT\` (the working tree may hold uncommitted changes) |
| machine | $(machine_info) |
| build | \`$BIN_SHOWN\` built $(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), compiler flags: \`${FLAGS:-unknown}\`$([[ -n "$BUILD_TYPE" ]] && echo ", CMake build type $BUILD_TYPE")$([[ "$BUILD_TYPE" == RelWithDebInfo ]] && echo " (optimised like Release, with debug info)") |
| tools | wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}' || true), nginx $("$NGINX" -v 2>&1 | sed 's/^nginx version: nginx\///' || true), python3 $(python3 -c 'import platform; print(platform.python_version())') |
| command | \`$CMD\` |
| load | \`$WRK_CMD\` against \`GET /api/v1/me\` ($ME_BYTES bytes), $RUNS runs per phase after a $WARMUP warm-up; $(thousands "$DELIVERIES") deliveries a run, $RUNS runs, each followed by \`$HOOK_WRK_CMD\` against the receiver |
| machine state | load average $LOADAVG at the start; before (a): $(bstate "$BUSY_A" "servers idle" "$STEAL_A" "$QUIET_A"); before (b): $(bstate "$BUSY_B" "other processes, the server's retrying workers not counted" "$STEAL_B" "$QUIET_B"); before the webhook runs: $(bstate "$BUSY_C" "servers idle" "$STEAL_C" "$QUIET_C") |
| interference | /me: $ME_REPEATED disturbed run(s) repeated, $ME_KEPT kept, at most ${ME_MAX_OTHER}% CPU of other processes and ${ME_MAX_STEAL}% steal during a run; webhooks: $HOOK_REPEATED disturbed receiver run(s) repeated, $HOOK_KEPT kept, at most ${HOOK_MAX_OTHER}% CPU of other processes and ${HOOK_MAX_STEAL}% steal during a run |

#### /me with $(thousands "$MAILS") mails waiting

$ME_SUMMARY

**Ratio (b)/(a), median req/s: $ME_RATIO** (p99: $P99_RATIO)

The $(thousands "$MAILS") mails were queued by as many \`admin-signup\` calls in $QUEUE_SECS s ($QUEUE_RATE calls/s,
one connection); $FIRST_PASS_SECS s after the first call the workers had tried every one once.
$(if ((QUEUE_ERRORS == 0)); then echo "Every call answered 202 the first time."; else
echo "$QUEUE_ERRORS of the calls answered \`500\` and were made again ($LOCKED_500S of the server's $QUEUE_500S
\`unhandled_exception\` log lines say \`database is locked\`: a request's write that waited longer
than the 5 s busy timeout while the workers wrote their retries)."; fi)
\`portico jobs\` then showed \`$COUNTS_FULL\`, the jobs it lists all mail, with the last error
"$SAMPLE_ERROR". During the $RETRY_SECS s of warm-up and runs of (b) the workers made
$(thousands "$RETRIES_DURING") more delivery attempts (retries that failed again); after the runs: \`$COUNTS_AFTER\`.

Per run:

$ME_PER_RUN

#### Webhook deliveries

$HOOK_SUMMARY

**Ratio deliveries/s to the receiver's req/s: live $D_RATIO, backlog $BL_RATIO**

$(if ((REPLAY_ERRORS == 0)); then echo "Every replay call answered 202 the first time."; else
echo "$REPLAY_ERRORS replay calls answered \`500\` and were made again (the server logged $HOOK_500S
\`unhandled_exception\` lines)."; fi)

Per run:

$HOOK_PER_RUN

### What is measured

- **/me**: \`portico demo\` (fresh demo database, \`--no-access-log\`, \`--job-workers 2\`) with
  \`--smtp-url smtp://127.0.0.1:PORT\` on a loopback port where nothing listens, so every delivery
  attempt fails at once (connection refused) and the job waits for its retry (30 s, then
  doubling, ±20 %). The requests are those of \`bench/run.sh\`: \`GET /api/v1/me\` as
  \`anna@acme.example\` with the bearer session (\`bench/auth.lua\`). (a) runs with the queue
  empty; then $COMPANIES companies are upserted through \`POST /api/v1/integration/companies/bulk\`
  and $(thousands "$MAILS") \`POST /api/v1/integration/companies/{external_id}/admin-signup\` calls
  ($((MAILS / COMPANIES)) addresses per company) each write a signup link and queue its mail
  in one transaction; (b) runs once the workers have tried every mail once, so the queue holds
  $(thousands "$MAILS") mail jobs waiting for their retry and the workers retry those that come due
  during the runs (the count above). \`portico jobs --db\` is read before each run of (b) and
  after the last (the "queue" column: the smallest and largest count of queued jobs).
- **webhooks**: a second \`portico demo\` (fresh database, mail to an outbox folder) makes the
  demo data; an endpoint from \`POST /api/v1/integration/webhooks {url, events:
  ["user.invited"]}\` and one event made through the product (an invitation by
  \`anna@acme.example\`); then the server runs as \`portico serve --allow-private-webhooks
  --job-workers 2 --no-access-log\` on that database. A delivery is one \`POST
  /api/v1/integration/webhooks/{id}/deliveries/{delivery_id}/replay\` (API key, one keep-alive
  connection, each answered 202): it queues a delivery job, and a worker signs the event
  (Standard Webhooks headers) and POSTs its $BODY_BYTES bytes to the receiver. Each run has two
  passes of $(thousands "$DELIVERIES") deliveries. **live**: the replays are posted while the 2 workers
  deliver; the clock runs from the first replay sent until the receiver's access log holds all of
  them (lines with a \`webhook-id\`, each answered 204 with the expected body length), so this
  rate cannot exceed the rate of the replay call itself ("last replay answered after s").
  **backlog**: the replays are queued by a server started with \`--job-workers 0\`, which is then
  stopped; then \`portico serve --job-workers 2\` starts, and the rate is (n − 1) / the time from
  the first delivery the receiver logs to the last: the workers' own delivery rate, without the
  server's start-up (the per-run table gives both times from the start).
  After each pass \`portico jobs\` must show every delivery job done and none queued or failed.
- **receiver**: nginx, \`worker_processes auto\`, \`location /hook { return 204; }\` with one access
  log line a request (the count); the same nginx, in the same run, under
  \`$HOOK_WRK_CMD\`: a POST of the same $BODY_BYTES bytes with the three webhook headers
  (dummy values of the same length), keep-alive, $CONNS connections.
- req/s and p99 are medians over the runs of wrk's \`Requests/sec\` and 99th percentile latency;
  the interference check ("CPU of other processes", "steal", disturbed wrk runs struck through
  and repeated) is the one of \`bench/run.sh\`, described above; a delivery run is marked, not
  repeated.

### Caveats

- Everything runs on the same $(nproc)-CPU machine over loopback: in (b) the workers' retries,
  their log lines and the database writes share the CPUs with wrk and the server's I/O threads.
  The ratio (b)/(a) is the point, not the absolute figures.
- A delivery opens a new connection to the receiver (one HTTP client call a delivery, no
  keep-alive), is signed with HMAC-SHA256, and records its attempt and completion in the
  database (WAL, \`synchronous=FULL\`); the receiver's wrk reference keeps $CONNS connections
  alive and does none of that, so the ratio says how far the delivery path is from the
  receiver's own limit, not that the receiver is the bottleneck.
- Replays of one delivery make the deliveries; events made by separate changes would add
  their own write transactions before the delivery jobs.
- Every write, the requests' and the workers', goes through the one SQLite database (5 s busy
  timeout). On a machine busy with other processes, one \`admin-signup\` call in some thousands
  has been seen to answer \`500\` (\`step: database is locked\`) while the workers retried the
  queue; the script makes such a call again and counts it (above), so the queue still holds one
  mail a call.
EOF
  write_doc_section "$SECTION" "$WORK/section.md"
fi
