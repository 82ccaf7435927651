#!/usr/bin/env bash
# bench/companies.sh - throughput of Portico's company calls with a large database:
# 10,000 companies, 100,000 users and 300,000 memberships, against GET /api/v1/me in the
# same run.
#
# Usage (from the repository root):
#   bash bench/companies.sh                # run and print the summary
#   bash bench/companies.sh --write-docs   # also add or replace the section
#                                          # "## Companies at scale (issue 3)" in docs/benchmarks.md
#   bash bench/companies.sh --quick        # smoke test: -d3s, 1 run, 1s warm-up, no waiting for
#                                          # a quiet machine, disturbed runs not repeated
#                                          # (not with --write-docs)
#   bash bench/companies.sh --help
#
# Target (issue 3): with 10,000 companies, 100,000 users and 300,000 memberships in the
# database, GET /api/v1/companies and the policy check (GET /api/v1/companies/{id}: one
# company's access decision) stay within 2x of the throughput of GET /api/v1/me, measured in
# the same run: each reaches at least 0.5x the median req/s of /me, without error responses.
#
# What it does:
#   1. Installs wrk, oathtool, curl, procps and sqlite3 with apt-get if any is missing
#      (apt-get update first, only then; uses sudo when not root), and builds
#      build/src/app/portico if it is missing, as bench/run.sh does.
#   2. Creates the database in a temporary directory: runs `portico demo` on a free loopback
#      port until GET /healthz answers 200, reads the TOTP keys it prints for the demo users,
#      and stops it with SIGTERM. Then one sqlite3 transaction (recursive CTEs) adds to the
#      demo organization "Northwind Service":
#        - 10,000 managed companies, external ids B-00001 ... B-10000;
#        - 100,000 active users user000001@bench.example ... (no password, no 2FA);
#        - 300,000 memberships with role "user": generated user i (0-based) is a member of
#          generated companies (7 i + 3331 k) mod 10000 for k = 0, 1, 2, so every generated
#          company has 30 members;
#        - 20 memberships (role "user") of the demo user anna@acme.example, in B-00001,
#          B-00501, ..., B-09501, beside her 2 demo companies.
#      Then ANALYZE and a WAL checkpoint. The rows are counted with sqlite3 afterwards; the
#      seeding time and the database file size are reported.
#   3. Serves that database with `portico serve --no-access-log` (mail and SMS to outbox
#      folders in the temp dir; the 2FA key file DB.key was created by demo), signs in over the
#      JSON API as anna@acme.example and as staff@northwind.example (password, then the
#      current TOTP code from oathtool) and checks that every URL below answers 200.
#   4. Waits (up to 5 min) for a quiet machine as bench/run.sh does, warms every URL up (2 s
#      each, not counted), then runs
#        wrk -t2 -c64 -d10s --latency -s bench/auth.lua URL
#      3 times against each URL, alternating me / companies / company / staff:
#        me         GET /api/v1/me as anna (the reference)
#        companies  GET /api/v1/companies as anna (her companies, first page of 50)
#        company    GET /api/v1/companies/ID as anna, ID one of her generated companies
#                   (B-05001): the policy check
#        staff      GET /api/v1/companies as staff@northwind.example, the organization's
#                   administrator, who sees all of its companies (first page of 50): an extra
#                   figure, not part of the target
#      bench/auth.lua sends the session token of PORTICO_TOKEN, set to anna's or the staff
#      user's before each run. The interference check of bench/run.sh applies: a run during
#      which other processes took more than 10% of the CPUs, or steal more than 3%, is
#      repeated (at most twice) and not counted.
#   5. Samples VmRSS of portico every 0.2 s during the load (idle and maximum reported).
#   6. Prints per-run figures and a summary table (median req/s, median p99, ratio to /me),
#      and checks the target.
#   7. With --write-docs, adds the section "## Companies at scale (issue 3)" at the end of
#      docs/benchmarks.md, or replaces it where it is; the rest of the file stays as it is
#      (and bench/run.sh --write-docs carries this section over when it rewrites the file).
#   8. Stops the servers and removes the temporary directory on exit (trap).
# The functions shared with bench/run.sh are in bench/lib.sh. Seeding takes a few seconds.
#
# Environment overrides (defaults in brackets; the docs record any that are set):
#   BENCH_DURATION [10s]  BENCH_RUNS [3]  BENCH_THREADS [2]  BENCH_CONNECTIONS [64]
#   BENCH_WARMUP [2s]     BENCH_QUIET_WAIT [300] (seconds to wait for a quiet machine)
#   BENCH_KEEP_TMP [0]    (1 = keep the temp dir with the database, logs and wrk outputs)
#
# Exit status: 0 when the benchmark ran (whether or not the target was met), non-zero when
# something failed (setup, seeding, sign-in, a URL not answering 200, wrk).
# Note: wrk and the server share the same cores, so the figures are comparative (the ratios
# to /me), not absolute capacity.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"
bench_settings companies.sh "$@" # the load's settings (DURATION, RUNS...), EMAIL...

STAFF_EMAIL="staff@northwind.example"
N_COMPANIES=10000
N_USERS=100000
ANNA_EXTRA=20 # anna's generated companies: every (N_COMPANIES / ANNA_EXTRA)th
POLICY_COMPANY="B-05001" # the company of the policy check, one of anna's
SECTION="## Companies at scale (issue 3)"

# ---------------------------------------------------------------- tools, binary
require_tools wrk oathtool curl procps sqlite3
ensure_binary
make_workdir portico-companies

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
wait_healthz() { # pid logfile url: until GET /healthz answers 200 (30 s at most)
  local pid="$1" logfile="$2" url="$3" i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; die "portico exited during startup"; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  cat "$logfile" >&2
  die "portico did not answer GET /healthz within 30 s"
}

# ---------------------------------------------------------------- database
DB="$WORK/portico.db"
SQL=(sqlite3 -bail "$DB")

T0="$(now_s)"
DPORT="$(free_port)" || die "no free port"
log "creating the demo database with portico demo on 127.0.0.1:$DPORT (temp dir $WORK)"
"$BIN" demo --db "$DB" --mail-outbox "$WORK/mail" --sms-outbox "$WORK/sms" \
  --listen "127.0.0.1:$DPORT" --no-access-log >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
wait_healthz "$DEMO_PID" "$WORK/demo.log" "http://127.0.0.1:$DPORT"
TOTP_KEY="$(demo_totp_key "$EMAIL" "$WORK/demo.log")"
STAFF_TOTP_KEY="$(demo_totp_key "$STAFF_EMAIL" "$WORK/demo.log")"
stop_pid "$DEMO_PID"; DEMO_PID=""
[[ -f "$DB" && -f "$DB.key" ]] || die "portico demo left no database or key file"
T1="$(now_s)"
DEMO_SECS="$(secs "$T0" "$T1")"

ORG_ID="$("${SQL[@]}" "SELECT id FROM organizations WHERE name = '$ORG'")"
ANNA_ID="$("${SQL[@]}" "SELECT id FROM users WHERE email = '$EMAIL'")"
[[ -n "$ORG_ID" ]] || die "the demo database has no organization \"$ORG\""
[[ -n "$ANNA_ID" ]] || die "the demo database has no user $EMAIL"

log "seeding $N_COMPANIES companies, $N_USERS users and $((3 * N_USERS)) memberships with sqlite3"
seed_companies_sql sqlite >"$WORK/seed.sql"
"${SQL[@]}" <"$WORK/seed.sql" >"$WORK/seed.out" 2>&1 || { cat "$WORK/seed.out" >&2; die "seeding failed"; }
T2="$(now_s)"
SEED_SECS="$(secs "$T1" "$T2")"
[[ "$("${SQL[@]}" 'PRAGMA integrity_check' 2>&1)" == ok ]] || die "the seeded database fails PRAGMA integrity_check"
[[ -z "$("${SQL[@]}" 'PRAGMA foreign_key_check' 2>&1)" ]] || die "the seeded database fails PRAGMA foreign_key_check"

# Count what is there, rather than trusting the script.
IFS='|' read -r C_ALL C_GEN U_ALL U_GEN M_ALL M_GEN ANNA_COMPANIES MIN_MEMBERS MAX_MEMBERS < <("${SQL[@]}" "
  SELECT (SELECT count(*) FROM companies),
         (SELECT count(*) FROM companies WHERE org_id = $ORG_ID AND external_id GLOB 'B-*'),
         (SELECT count(*) FROM users),
         (SELECT count(*) FROM users WHERE email GLOB '*@bench.example'),
         (SELECT count(*) FROM memberships),
         (SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id
           WHERE u.email GLOB '*@bench.example'),
         (SELECT count(*) FROM memberships WHERE user_id = $ANNA_ID),
         min(n), max(n)
  FROM (SELECT count(*) AS n FROM memberships m JOIN companies c ON c.id = m.company_id
        JOIN users u ON u.id = m.user_id
        WHERE c.external_id GLOB 'B-*' AND u.email GLOB '*@bench.example' GROUP BY m.company_id)")
ORG_COMPANIES="$("${SQL[@]}" "SELECT count(*) FROM companies WHERE org_id = $ORG_ID")"
DB_BYTES="$(stat -c %s "$DB")"
WAL_BYTES="$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)"
DB_SIZE="$(mib $((DB_BYTES / 1024)))"
PER_COMPANY="$MIN_MEMBERS"; [[ "$MIN_MEMBERS" == "$MAX_MEMBERS" ]] || PER_COMPANY="$MIN_MEMBERS–$MAX_MEMBERS"
log "database: $C_ALL companies ($C_GEN generated), $U_ALL users ($U_GEN generated), $M_ALL memberships ($M_GEN generated, $PER_COMPANY per generated company; $EMAIL has $ANNA_COMPANIES); $DB_SIZE file (WAL $WAL_BYTES bytes)"
log "demo database in $DEMO_SECS s, seeding (sqlite3, with ANALYZE) in $SEED_SECS s"
((C_GEN == N_COMPANIES && U_GEN == N_USERS && M_GEN == 3 * N_USERS)) || die "the seeded counts are not what was asked for"

POLICY_ID="$("${SQL[@]}" "SELECT c.id FROM companies c JOIN memberships m ON m.company_id = c.id
  WHERE c.org_id = $ORG_ID AND c.external_id = '$POLICY_COMPANY' AND m.user_id = $ANNA_ID")"
[[ -n "$POLICY_ID" ]] || die "$EMAIL is not a member of $POLICY_COMPANY"

# ---------------------------------------------------------------- portico serve
PPORT="$(free_port "$DPORT")" || die "no free port"
PURL="http://127.0.0.1:$PPORT"
log "starting portico serve on 127.0.0.1:$PPORT"
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PPORT" --mail-outbox "$WORK/mail" \
  --sms-outbox "$WORK/sms" --no-access-log >"$WORK/portico.log" 2>&1 &
PORTICO_PID=$!
wait_healthz "$PORTICO_PID" "$WORK/portico.log" "$PURL"

sign_in "$PURL" "$EMAIL" "$PASSWORD" "$TOTP_KEY"
TOKEN="$SIGNED_IN_TOKEN"
sign_in "$PURL" "$STAFF_EMAIL" "$PASSWORD" "$STAFF_TOTP_KEY"
STAFF_TOKEN="$SIGNED_IN_TOKEN"

# name | path | token variable | description (for the tables)
NAMES=(me companies company staff)
declare -A PATH_OF=(
  [me]="/api/v1/me"
  [companies]="/api/v1/companies"
  [company]="/api/v1/companies/$POLICY_ID"
  [staff]="/api/v1/companies"
)
declare -A TOKEN_OF=([me]="$TOKEN" [companies]="$TOKEN" [company]="$TOKEN" [staff]="$STAFF_TOKEN")
declare -A BYTES_OF=() ITEMS_OF=()
for name in "${NAMES[@]}"; do
  status="$(http_status "${TOKEN_OF[$name]}" "$PURL${PATH_OF[$name]}" "$WORK/$name.json")"
  [[ "$status" == 200 ]] || die "GET ${PATH_OF[$name]} ($name) answered $status: $(head -c 300 "$WORK/$name.json")"
  BYTES_OF[$name]="$(stat -c %s "$WORK/$name.json")"
  ITEMS_OF[$name]="$(grep -o '"role":' "$WORK/$name.json" | wc -l)" # one per company access
done
grep -q "^{\"id\":$POLICY_ID," "$WORK/company.json" \
  || die "GET /api/v1/companies/$POLICY_ID is not $POLICY_COMPANY: $(head -c 300 "$WORK/company.json")"
STAFF_NEXT="$(json_field next_cursor <"$WORK/staff.json")"
[[ -n "$STAFF_NEXT" ]] || log "WARNING: the staff list has no next page: $(head -c 300 "$WORK/staff.json")"
log "signed in as $EMAIL and $STAFF_EMAIL; every URL answers 200 (me ${BYTES_OF[me]} bytes with ${ITEMS_OF[me]} companies, companies ${BYTES_OF[companies]} bytes with ${ITEMS_OF[companies]}, company ${BYTES_OF[company]} bytes, staff ${BYTES_OF[staff]} bytes with ${ITEMS_OF[staff]} companies, next cursor ${STAFF_NEXT:-none})"

# ---------------------------------------------------------------- load
start_rss_sampler

QUIET_OK=1
if ((QUICK)); then log "--quick: not waiting for a quiet machine, disturbed runs are not repeated"; fi
wait_quiet || QUIET_OK=0
IDLE_BUSY=$LAST_BUSY
IDLE_STEAL=$LAST_STEAL
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"

WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$LUA")
WRK_CMD="wrk -t$THREADS -c$CONNS -d$DURATION --latency -s bench/auth.lua URL"

before_run() { check_session "$1" "$2" "GET $2"; } # name url: the right session, and the URL still 200

log "warm-up: $WARMUP each (not counted)"
for name in "${NAMES[@]}"; do
  export PORTICO_TOKEN="${TOKEN_OF[$name]}"
  run_wrk /dev/null -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LUA" "$PURL${PATH_OF[$name]}" \
    || die "warm-up against $name failed"
done

for ((r = 1; r <= RUNS; r++)); do
  for name in "${NAMES[@]}"; do measure "$name" "$PURL${PATH_OF[$name]}" "$r"; done
done

stop_rss_sampler

# The sessions must still be valid: otherwise the runs measured error responses.
for name in "${NAMES[@]}"; do
  status="$(http_status "${TOKEN_OF[$name]}" "$PURL${PATH_OF[$name]}")"
  [[ "$status" == 200 ]] || log "WARNING: after the runs GET ${PATH_OF[$name]} ($name) answers $status"
done
kill -0 "$PORTICO_PID" 2>/dev/null || die "portico is no longer running"

# ---------------------------------------------------------------- summary
declare -A MED_RPS=() MED_P99=() RATIO_OF=() RPS_RANGE=() P99_RANGE=() DESC_OF=()
for name in "${NAMES[@]}"; do
  read -ra l <<<"${RPS_OF[$name]}"; MED_RPS[$name]="$(median "${l[@]}")"; RPS_RANGE[$name]="$(range "${l[@]}")"
  read -ra l <<<"${P99_OF[$name]}"; MED_P99[$name]="$(median "${l[@]}")"; P99_RANGE[$name]="$(range "${l[@]}")"
done
for name in "${NAMES[@]}"; do
  RATIO_OF[$name]="$(awk -v x="${MED_RPS[$name]}" -v m="${MED_RPS[me]}" 'BEGIN { r = (m > 0 ? x / m : 0);
    printf (r > 0 && r < 0.1 ? "%.3f" : "%.2f"), r }')"
done
DESC_OF[me]="GET /api/v1/me as $EMAIL (the reference; lists her ${ITEMS_OF[me]} companies)"
DESC_OF[companies]="GET /api/v1/companies as $EMAIL (her ${ITEMS_OF[companies]} companies, one page)"
DESC_OF[company]="GET /api/v1/companies/{id} as $EMAIL, one of her companies ($POLICY_COMPANY): the policy check"
DESC_OF[staff]="GET /api/v1/companies as $STAFF_EMAIL, organization admin (first ${ITEMS_OF[staff]} of its $(thousands "$ORG_COMPANIES") companies); extra, not in the target"

REASONS=()
for name in companies company; do
  ok="$(awk -v x="${MED_RPS[$name]}" -v m="${MED_RPS[me]}" 'BEGIN { print (2 * x >= m ? 1 : 0) }')"
  [[ $ok == 1 ]] || REASONS+=("GET ${PATH_OF[$name]/$POLICY_ID/{id}} reaches ${RATIO_OF[$name]}× the throughput of /me, below 0.5×")
done
for name in me companies company; do
  if ((${NON2XX_OF[$name]} > 0 || ${SOCKERR_OF[$name]} > 0)); then
    REASONS+=("the $name runs had ${NON2XX_OF[$name]} non-2xx/3xx responses and ${SOCKERR_OF[$name]} socket errors")
  fi
done
if ((${#REASONS[@]} == 0)); then VERDICT="met"; else VERDICT="missed"; fi

SUMMARY="| name | request | response bytes | req/s (median of $RUNS) | p99 ms (median of $RUNS) | ratio to /me | non-2xx/3xx | socket errors |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for name in "${NAMES[@]}"; do
  SUMMARY+=$'\n'"| $name | ${DESC_OF[$name]} | ${BYTES_OF[$name]} | ${MED_RPS[$name]} | ${MED_P99[$name]} | ${RATIO_OF[$name]} | ${NON2XX_OF[$name]} | ${SOCKERR_OF[$name]} |"
done
PER_RUN="| run | name | req/s | p99 ms | requests | non-2xx/3xx | socket errors | CPU of other processes | steal |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${RUN_ROWS%$'\n'}"
RATIOS="companies ${RATIO_OF[companies]}, policy check ${RATIO_OF[company]} (needed: ≥ 0.50 each); staff list ${RATIO_OF[staff]} (not in the target)"
SPREAD=""
for name in "${NAMES[@]}"; do
  SPREAD+="${SPREAD:+; }$name ${RPS_RANGE[$name]} req/s, p99 ${P99_RANGE[$name]} ms"
done
DATASET="$(thousands "$C_ALL") companies ($(thousands "$C_GEN") generated), $(thousands "$U_ALL") users ($(thousands "$U_GEN") generated), $(thousands "$M_ALL") memberships ($(thousands "$M_GEN") of generated users, $PER_COMPANY per generated company; $EMAIL is a member of $ANNA_COMPANIES companies); all companies in \"$ORG\" ($(thousands "$ORG_COMPANIES"))"

echo
echo "Per run:"
echo "$PER_RUN"
echo
echo "Summary ($WRK_CMD):"
echo "$SUMMARY"
echo
echo "Ratios to GET /api/v1/me (median req/s): $RATIOS"
echo "Spread over the $RUNS counted runs: $SPREAD"
echo "Dataset: $DATASET; database file $DB_SIZE; demo database in $DEMO_SECS s, seeding in $SEED_SECS s"
echo "portico RSS: $(mib "$PORTICO_RSS_IDLE") idle, $(mib "$PORTICO_RSS_MAX") max under load"
echo "Target: GET /api/v1/companies and the policy check stay within 2× of the throughput of GET /api/v1/me -> $VERDICT"
for reason in "${REASONS[@]}"; do echo "  - $reason"; done
if ((QUICK)); then echo "(--quick: a smoke test with short runs; not a measurement)"; fi

# ---------------------------------------------------------------- docs
if [[ $WRITE_DOCS == 1 ]]; then
  CMD="bash bench/companies.sh --write-docs"
  for v in BENCH_DURATION BENCH_RUNS BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP BENCH_QUIET_WAIT; do
    [[ -n "${!v:-}" ]] && CMD="$v=${!v} $CMD"
  done
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  FLAGS="$(build_flags)"
  WRK_VER="$(wrk -v 2>&1 | awk 'NR == 1 {print $2}' || true)"
  SQLITE_VER="$(sqlite3 --version | awk '{print $1}')"
  if [[ $VERDICT == met ]]; then
    VERDICT_TEXT="**Met.** With $(thousands "$C_ALL") companies, $(thousands "$U_ALL") users and $(thousands "$M_ALL") memberships, \`GET /api/v1/companies\` reaches ${RATIO_OF[companies]}× and the policy check (\`GET /api/v1/companies/{id}\`) ${RATIO_OF[company]}× the throughput of \`GET /api/v1/me\` (needed: ≥ 0.5× each), without error responses."
  else
    VERDICT_TEXT="**Missed.** $(IFS=';'; echo "${REASONS[*]}" | sed 's/;/; /g')."
  fi
  if ((DISTURBED_KEPT > 0 || QUIET_OK == 0)); then
    VERDICT_TEXT+=" Caution: other processes were using the CPUs during this measurement (see \"interference\" below), so the figures are lower and noisier than on a quiet machine."
  fi
  cat >"$WORK/section.md" <<EOF
$SECTION

This section is written by \`bash bench/companies.sh --write-docs\` (\`bench/run.sh --write-docs\`
keeps it); rerun it to refresh the figures.

### Target

With 10,000 companies, 100,000 users and 300,000 memberships in the database,
\`GET /api/v1/companies\` and the policy check stay within 2× of the throughput of
\`GET /api/v1/me\`, measured in the same run.

Result: $VERDICT_TEXT

### Results

| | |
| --- | --- |
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| commit | \`$COMMIT\` (the working tree may hold uncommitted changes) |
| machine | $(machine_info) |
| build | \`build/src/app/portico\` built $(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), compiler flags: \`${FLAGS:-unknown}\` |
| tools | wrk $WRK_VER, sqlite3 $SQLITE_VER |
| command | \`$CMD\` |
| dataset | $DATASET |
| database | $DB_SIZE SQLite file after \`ANALYZE\` and a WAL checkpoint; \`portico demo\` took $DEMO_SECS s, the sqlite3 seeding $SEED_SECS s |
| machine state before the load | ${IDLE_BUSY}% CPU busy with portico idle, ${IDLE_STEAL}% hypervisor steal in a 1 s probe keeping all CPUs busy$( ((QUIET_OK)) || echo ' (**not quiet**)'), load average $LOADAVG |
| interference | $REPEATED disturbed run(s) repeated, $DISTURBED_KEPT disturbed run(s) kept; at most ${MAX_OTHER}% CPU used by other processes and ${MAX_STEAL}% steal during a run |
| load | \`$WRK_CMD\`, $RUNS runs per URL alternating me / companies / company / staff, after a $WARMUP warm-up of each |
| portico RSS | $(mib "$PORTICO_RSS_IDLE") idle, $(mib "$PORTICO_RSS_MAX") max under load |

$SUMMARY

**Ratios to \`GET /api/v1/me\` (median req/s): $RATIOS**

Spread over the $RUNS counted runs: $SPREAD.

Per run:

$PER_RUN

### What is measured

- **dataset**: \`portico demo\` creates the demo data (organization "$ORG", 3 companies, 4
  users); then one sqlite3 transaction adds $(thousands "$N_COMPANIES") managed companies to "$ORG",
  $(thousands "$N_USERS") active users, and $(thousands $((3 * N_USERS))) memberships with role \`user\` (generated
  user i belongs to generated companies (7 i + 3331 k) mod $N_COMPANIES, k = 0, 1, 2), and makes
  \`$EMAIL\` a member (role \`user\`) of $ANNA_EXTRA generated companies beside her 2 demo ones; then
  \`ANALYZE\`. The counts above are read back from the database.
- **server**: \`portico serve\` on that database with \`--no-access-log\`. Before the load the script
  signs in over the JSON API as \`$EMAIL\` and as \`$STAFF_EMAIL\` (password, then the TOTP
  code from \`oathtool\`); \`bench/auth.lua\` sends the session as \`Authorization: Bearer TOKEN\`.
- **me**: the reference, in the same run: session lookup plus the caller's companies with their
  roles and permissions.
- **companies**: the caller's companies, first page (\`?limit=\` defaults to 50).
- **company**: one company the caller is a member of: the access decision for one company
  (membership, else staff role) and its JSON.
- **staff**: the organization's staff administrator lists companies: they see every company of
  "$ORG" ($(thousands "$ORG_COMPANIES")), the answer is the first page of 50. Reported, not part of the target.
- req/s and p99 are the medians over the runs of wrk's \`Requests/sec\` and 99th percentile latency;
  the ratio is a URL's median req/s divided by that of /me. non-2xx/3xx and socket errors are
  totals over all runs, repeated ones included. The interference check ("CPU of other processes",
  "steal", disturbed runs repeated) is the one of \`bench/run.sh\`, described above.

### Caveats

- wrk and portico share the same $(nproc)-CPU machine over loopback; the ratios to /me are the point,
  not the absolute figures.
- The target compares throughput only; the p99 column is for information. With $CONNS connections
  kept busy, a slow call's p99 is mostly time spent queued behind the others; wrk counts a
  request that takes more than 2 s as a timeout (a socket error).
EOF
  write_doc_section "$SECTION" "$WORK/section.md"
fi
