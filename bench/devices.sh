#!/usr/bin/env bash
# bench/devices.sh - Portico's devices with a large database: 200,000 devices over 10,000
# companies, on SQLite and on PostgreSQL: the device list across the caller's companies against
# GET /api/v1/me in the same run, and the PDF of a company's QR label sheet.
#
# Usage (from the repository root):
#   bash bench/devices.sh                  # run and print the summary
#   bash bench/devices.sh --write-docs     # also add or replace the section
#                                          # "## Devices at scale (issue 13)" in docs/benchmarks.md
#   bash bench/devices.sh --quick          # smoke test: -d3s, 1 run, 1s warm-up, no waiting for a
#                                          # quiet machine, disturbed runs not repeated
#                                          # (not with --write-docs)
#   bash bench/devices.sh --sqlite-only    # leave PostgreSQL out (not with --write-docs)
#   bash bench/devices.sh --help
#
# Targets (issue 13): with 200,000 devices over 10,000 companies in the database, the first page
# of 20 devices across the caller's companies (a user of 20 companies) reaches at least 0.5x the
# throughput of GET /api/v1/me measured in the same run, on SQLite and on PostgreSQL; the label
# sheet PDF of a company's 140 devices (10 A4 pages) renders in under 200 ms (every one of the
# timed requests). No error responses. Issue 13's other targets, for the personnel's job list and
# for the dashboard, are not measurable yet (neither exists in this build) and not measured here.
#
# What it does:
#   1. Installs wrk, oathtool, curl, procps, sqlite3 and PostgreSQL (server and psql) with
#      apt-get if any is missing, and builds build/src/app/portico if it is missing (as
#      bench/companies.sh does). PORTICO_BIN runs another binary instead. pdfinfo (poppler-utils)
#      counts the label sheet's pages when it is installed (the script does not install it).
#   2. Starts a PostgreSQL cluster of its own with tests/support/pg_cluster.sh in the temporary
#      directory, durable (PG_CLUSTER_DURABLE=1), as bench/postgres.sh does.
#   3. Creates the same data set on both databases: `portico demo` (stopped once it serves; the
#      TOTP keys it prints are read), then SQL (sqlite3 with recursive CTEs, psql with
#      generate_series) adds to the demo organization "Northwind Service":
#        - 10,000 managed companies B-00001 ... B-10000 and memberships (role "user", which holds
#          services.view and devices.manage) of anna@acme.example in 20 of them (B-00001,
#          B-00501, ..., B-09501) beside her 2 demo companies: bench/lib.sh's
#          seed_companies_sql, with one generated user (user000001@bench.example, a member of 3
#          of the companies; the load does not use it);
#        - in one more transaction 200,000 devices, device i (1-based) in company (i - 1) mod
#          10000, so 20 a company, with explicit ids: named "<kind> <i>" with one of 12 kinds,
#          serial SN-<i, 7 digits>, external id BD-<i, 7 digits>, one of 16 models, statuses by
#          a hash of i (ok 80%, attention 10%, fault 5%, offline 5%), properties '{}' for a
#          quarter and a small JSON object of strings for the others, no site, no service dates,
#          created and updated now, and a code of 10 characters of 23456789ABCDEFGHJKMNPQRSTWXYZ:
#          the 10 base-29 digits of (i * 7^18) mod 29^10, a bijection (7 is prime to 29), so
#          every code differs;
#        - the devices of the demo company "Acme Sverige AB" (anna is its administrator) made up
#          to exactly 140 with more of the same kind (i = 200,001 ...): the label sheet.
#      Then ANALYZE and a WAL checkpoint (SQLite), VACUUM ANALYZE (PostgreSQL). The rows are
#      counted on both afterwards and must agree; the seeding times and sizes are reported.
#   4. Starts `portico serve --no-access-log` on each database, signs in as anna@acme.example
#      (password, then TOTP) and checks that every URL answers 200, the lists with a full first
#      page of 20 devices and a next cursor:
#        me     GET /api/v1/me (the reference)
#        list   GET /api/v1/devices?limit=20               (the first page across her companies)
#        fault  GET /api/v1/devices?status=fault&limit=20  (only devices with a fault)
#      and that a listed device's code finds it (GET /api/v1/devices/by-code/{code}).
#   5. Waits for a quiet machine, then times the label sheet with curl, one request at a time:
#        GET /api/v1/devices/labels.pdf?company_id=<Acme Sverige AB>&format=sheet
#      20 times after one not counted (median and max); each answer must be 200, application/pdf
#      and start with %PDF-, and, if pdfinfo is installed, have 10 pages (14 labels a sheet).
#   6. Warms every URL up (2 s each, not counted), then runs
#        wrk -t2 -c64 -d10s --latency -s bench/auth.lua URL
#      3 times against each, alternating sqlite me / list / fault, pg me / list / fault. The
#      interference check of bench/run.sh applies (the CPU of portico and of PostgreSQL's
#      processes is the servers'; a disturbed run is repeated, at most twice).
#   7. Prints per-run figures and a summary (median req/s, median p99, ratio to /me on the same
#      database, the PDF's times) and checks the targets.
#   8. With --write-docs, adds the section "## Devices at scale (issue 13)" at the end of
#      docs/benchmarks.md, or replaces it where it is; the rest of the file stays as it is.
#
# Environment overrides (defaults in brackets; the docs record any that are set):
#   BENCH_DURATION [10s]  BENCH_RUNS [3]  BENCH_THREADS [2]  BENCH_CONNECTIONS [64]
#   BENCH_WARMUP [2s]     BENCH_QUIET_WAIT [300] (seconds to wait for a quiet machine)
#   BENCH_DEVICES [200000] BENCH_COMPANIES [10000] (a smaller data set, to try the script out: a
#     multiple of 20 companies, at least as many devices; anna needs more than 20 devices with a
#     fault for a full page, e.g. BENCH_COMPANIES=200 BENCH_DEVICES=4000)
#   BENCH_PDFS [20]       (label sheets timed on each database, after one not counted)
#   BENCH_KEEP_TMP [0]    (1 = keep the temp dir with the databases, logs, PDFs and wrk outputs)
#   PORTICO_BIN [build/src/app/portico] (the binary to run; it is not built when given)
#
# Exit status: 0 when the benchmark ran (whether or not the targets were met), non-zero when
# something failed (setup, seeding, counts that differ, sign-in, a URL not answering 200 or not
# with a full page, a label sheet that is not a PDF of 10 pages, wrk).
# Note: wrk, portico and PostgreSQL share the same cores, so the figures are comparative (the
# ratios to /me), not absolute capacity.

set -euo pipefail

# (PORTICO_BIN may be relative to the caller's directory: resolved before lib.sh changes into ROOT)
if [[ -n "${PORTICO_BIN:-}" ]]; then PORTICO_BIN="$(realpath -m "$PORTICO_BIN")"; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh disable=SC1091 # (followed with shellcheck -x)
source "$ROOT/bench/lib.sh"
bench_settings_db devices.sh "$@" # WITH_PG, the load's settings (DURATION, RUNS...), EMAIL...

N_DEVICES="${BENCH_DEVICES:-200000}"
N_COMPANIES="${BENCH_COMPANIES:-10000}"
N_PDFS="${BENCH_PDFS:-20}"
ANNA_EXTRA=20 # anna's generated companies: every (N_COMPANIES / ANNA_EXTRA)th
# shellcheck disable=SC2034 # (read by seed_companies_sql)
N_USERS=1     # seed_companies_sql's generated users: one (the load does not use them)
PAGE=20
ACME="Acme Sverige AB" # the demo company whose devices are printed as labels
N_LABELS=140
LABEL_PAGES=10 # 14 labels (2 x 7) to an A4 sheet of Avery L7163
SECTION="## Devices at scale (issue 13)"
# The targets
T_LIST=0.5 T_PDF=200
for v in N_DEVICES N_COMPANIES N_PDFS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number (BENCH_* overrides)"
done
((N_COMPANIES >= ANNA_EXTRA && N_COMPANIES % ANNA_EXTRA == 0 && N_COMPANIES <= 99999)) ||
  die "BENCH_COMPANIES must be a multiple of $ANNA_EXTRA up to 99,999"
((N_DEVICES >= N_COMPANIES && N_DEVICES + N_LABELS <= 9999999)) ||
  die "BENCH_DEVICES must be from BENCH_COMPANIES to $(thousands $((9999999 - N_LABELS)))"
((N_PDFS >= 1)) || die "BENCH_PDFS must be at least 1"

# ---------------------------------------------------------------- tools, binary
require_tools wrk oathtool curl procps sqlite3
if ((WITH_PG)); then require_postgres; fi
use_portico_bin
make_workdir portico-devices
chmod 755 "$WORK" # the cluster's server may run as the user postgres

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
short() { if [[ "$1" == sqlite ]]; then echo sqlite; else echo pg; fi; }
label() { if [[ "$1" == sqlite ]]; then echo SQLite; else echo PostgreSQL; fi; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# ---------------------------------------------------------------- the data set
# The devices' codes: the 10 base-29 digits (most significant first) of i * 7^18 mod 29^10, a
# bijection on 0 .. 29^10 - 1 as 7 is prime to 29, computed as (i * 7^13 mod 29^10) * 7^5 mod
# 29^10 so that every product stays below 2^63 for i below 10^7 (SQLite would turn an overflow
# into a float); the second step spreads the leading digits of the first devices' codes.
CODE_ALPHABET="23456789ABCDEFGHJKMNPQRSTWXYZ" # devices::kCodeAlphabet
CODE_MOD=$((29 ** 10))
CODE_NUMBER="CAST(i AS BIGINT) * $((7 ** 13)) % $CODE_MOD * $((7 ** 5)) % $CODE_MOD"

# The SQL that adds the data set to a demo database, for sqlite3 or psql (see the header): the
# companies and anna's memberships of seed_companies_sql (bench/lib.sh), then the devices in one
# more transaction. Reads ORG_ID ANNA_ID ACME_ID N_EXTRA BASE_DEVICE NOW. Both dialects make the
# same rows: every choice is a hash of the device's number i, computed in 64-bit integers.
devices_seed_sql() { # sqlite|postgres
  local d="$1" pk code="" p n_all=$((N_DEVICES + N_EXTRA))
  seed_companies_sql "$d" # (its own transaction, then ANALYZE)
  # h SALT X: a pseudo-random number 0..32767 of X (one step of a linear congruential generator;
  # each salt multiplies X by another prime, so that the choices do not go together)
  h() { echo "(((CAST($2 AS BIGINT) * $1 + 7) * 1103515245 + 12345) % 2147483648 / 65536)"; }
  if [[ "$d" == sqlite ]]; then
    pad() { echo "printf('%0${2}d', $1)"; }
    numbers() { echo "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $1) SELECT i FROM s)"; }
    pk="INTEGER PRIMARY KEY" # the rowid
    printf 'PRAGMA temp_store = MEMORY;\nBEGIN IMMEDIATE;\n' # (after seed_companies_sql's pragmas)
  else
    pad() { echo "lpad(CAST($1 AS TEXT), $2, '0')"; }
    numbers() { echo "(SELECT i FROM generate_series(CAST(1 AS BIGINT), $1) AS g(i))"; }
    pk="BIGINT PRIMARY KEY"
    printf "SET work_mem = '256MB';\nBEGIN;\n"
  fi
  for ((p = 9; p >= 0; p--)); do
    # (PostgreSQL's substr takes integers, not bigints)
    code+="${code:+ || }substr('$CODE_ALPHABET', CAST(n.x / $((29 ** p)) % 29 AS INTEGER) + 1, 1)"
  done
  cat <<SQL
-- The generated companies (k: 0-based), as seed_companies_sql made them.
CREATE TEMP TABLE dev_companies (k $pk, id BIGINT NOT NULL);
INSERT INTO dev_companies
SELECT CAST(substr(external_id, 3) AS INTEGER) - 1, id FROM companies
WHERE org_id = $ORG_ID AND external_id LIKE 'B-_____';
CREATE TEMP TABLE dev_kinds (k INTEGER PRIMARY KEY, w TEXT NOT NULL);
INSERT INTO dev_kinds VALUES
  (0, 'Air handler'), (1, 'Boiler'), (2, 'Chiller'), (3, 'Compressor'), (4, 'Door operator'),
  (5, 'Elevator'), (6, 'Fire pump'), (7, 'Heat pump'), (8, 'Sprinkler valve'),
  (9, 'Ventilation unit'), (10, 'Water heater'), (11, 'Cooling tower');
CREATE TEMP TABLE dev_models (k INTEGER PRIMARY KEY, w TEXT NOT NULL);
INSERT INTO dev_models VALUES
  (0, 'Northwind HP-12'), (1, 'Northwind HP-20'), (2, 'Northwind CH-4'), (3, 'Northwind CH-8'),
  (4, 'Northwind AH-900'), (5, 'Northwind AH-1500'), (6, 'Northwind GA-2'), (7, 'Northwind B-30'),
  (8, 'Contoso Aero 400'), (9, 'Contoso Aero 800'), (10, 'Contoso Therm 12'),
  (11, 'Fabrikam FP-50'), (12, 'Fabrikam SV-2'), (13, 'Fabrikam WH-300'),
  (14, 'Litware CT-10'), (15, 'Litware DO-1');

-- The devices: i 1..N_DEVICES in company (i - 1) mod N_COMPANIES, then Acme Sverige AB's (i
-- above N_DEVICES); x: the number of i's code.
WITH n(i, x) AS (SELECT i, $CODE_NUMBER FROM $(numbers "$n_all") AS m)
INSERT INTO devices (id, org_id, company_id, site_id, external_id, name, serial, model, status,
                     properties, last_service, next_service, code, code_rotated_at, created_at,
                     updated_at)
SELECT $BASE_DEVICE + n.i, $ORG_ID, CASE WHEN n.i <= $N_DEVICES THEN c.id ELSE $ACME_ID END, NULL,
       'BD-' || $(pad n.i 7), kd.w || ' ' || CAST(n.i AS TEXT), 'SN-' || $(pad n.i 7), md.w,
       CASE WHEN $(h 11 n.i) % 100 < 80 THEN 'ok' WHEN $(h 11 n.i) % 100 < 90 THEN 'attention'
            WHEN $(h 11 n.i) % 100 < 95 THEN 'fault' ELSE 'offline' END,
       CASE WHEN $(h 19 n.i) % 4 = 0 THEN '{}'
            ELSE '{"Capacity":"' || CAST($(h 23 n.i) % 40 + 2 AS TEXT) || ' kW","Refrigerant":"'
                 || CASE $(h 29 n.i) % 3 WHEN 0 THEN 'R32' WHEN 1 THEN 'R290' ELSE 'R410A' END
                 || '"}' END,
       NULL, NULL, $code, NULL, $NOW, $NOW
FROM n
JOIN dev_companies c ON c.k = (n.i - 1) % $N_COMPANIES
JOIN dev_kinds kd ON kd.k = $(h 13 n.i) % 12
JOIN dev_models md ON md.k = $(h 17 n.i) % 16
ORDER BY n.i;
SQL
  if [[ "$d" == sqlite ]]; then
    printf 'COMMIT;\nANALYZE;\nPRAGMA wal_checkpoint(TRUNCATE);\n'
  else
    printf "SELECT setval(pg_get_serial_sequence('devices', 'id'), (SELECT max(id) FROM devices));\n"
    printf 'COMMIT;\nVACUUM ANALYZE;\n'
  fi
  unset -f h pad numbers
}

# (on_sqlite and on_postgres run a query, or without one the SQL on stdin: bench/lib.sh)
SQLITE_DB="$WORK/portico.db"
NOW="$(date +%s)" # the same clock for both data sets
DBS=(sqlite)
if ((WITH_PG)); then DBS+=(postgres); fi
declare -A DEMO_SECS_OF=() SEED_SECS_OF=() TOTP_OF=() COUNTS_OF=() STATUSES_OF=() SIZE_OF=() ACME_OF=()

if ((WITH_PG)); then start_pg_cluster "$WORK/pg"; fi

# What the data set must be, counted from the rows (the same on both databases).
count_sql() {
  cat <<SQL
SELECT (SELECT count(*) FROM companies WHERE external_id LIKE 'B-_____') || ' '
  || (SELECT count(*) FROM memberships WHERE user_id = $ANNA_ID) || ' '
  || (SELECT count(*) FROM devices) || ' '
  || (SELECT count(*) FROM devices WHERE serial LIKE 'SN-%') || ' '
  || (SELECT count(DISTINCT code) FROM devices) || ' '
  || (SELECT count(*) FROM devices WHERE length(code) = 10) || ' '
  || (SELECT count(*) FROM devices WHERE properties <> '{}') || ' '
  || (SELECT count(*) FROM devices WHERE company_id = $ACME_ID) || ' '
  || (SELECT count(*) FROM devices d JOIN memberships m ON m.company_id = d.company_id
      WHERE m.user_id = $ANNA_ID) || ' '
  || (SELECT count(*) FROM devices d JOIN memberships m ON m.company_id = d.company_id
      WHERE m.user_id = $ANNA_ID AND d.status = 'fault') || ' '
  || (SELECT count(DISTINCT company_id) FROM devices WHERE serial LIKE 'SN-%')
SQL
}
# The statuses of all devices, as "status:count,...".
status_sql="SELECT status || ':' || count(*) FROM devices GROUP BY status ORDER BY status"

for db in "${DBS[@]}"; do
  T0="$(now_s)"
  log "$db: creating the demo database with portico demo"
  demo_into "$(db_url "$db")" "$(key_file "$db")" "$WORK/demo-$db.log"
  # shellcheck disable=SC2034 # (read by serve_signed_in)
  TOTP_OF[$db]="$(demo_totp_key "$EMAIL" "$WORK/demo-$db.log")"
  T1="$(now_s)"
  DEMO_SECS_OF[$db]="$(secs "$T0" "$T1")"
  ORG_ID="$("on_$db" "SELECT id FROM organizations WHERE name = '$ORG'")"
  ANNA_ID="$("on_$db" "SELECT id FROM users WHERE email = '$EMAIL'")"
  [[ -n "$ORG_ID" && -n "$ANNA_ID" ]] || die "the $db demo database has no \"$ORG\" or $EMAIL"
  ACME_ID="$("on_$db" "SELECT id FROM companies WHERE org_id = $ORG_ID AND name = '$ACME'")"
  [[ -n "$ACME_ID" ]] || die "the $db demo database has no company \"$ACME\""
  ACME_OF[$db]=$ACME_ID
  ACME_DEMO="$("on_$db" "SELECT count(*) FROM devices WHERE company_id = $ACME_ID")"
  ((ACME_DEMO <= N_LABELS)) || die "the $db demo database has $ACME_DEMO devices of \"$ACME\", more than $N_LABELS"
  N_EXTRA=$((N_LABELS - ACME_DEMO))
  BASE_DEVICE="$("on_$db" "SELECT COALESCE(max(id), 0) FROM devices")"
  D_DEMO="$("on_$db" "SELECT count(*) FROM devices")"
  log "$db: seeding $(thousands "$N_COMPANIES") companies and $(thousands "$N_DEVICES") devices, $N_EXTRA more of \"$ACME\""
  devices_seed_sql "$db" >"$WORK/seed-$db.sql"
  "on_$db" <"$WORK/seed-$db.sql" >"$WORK/seed-$db.out" 2>&1 || { cat "$WORK/seed-$db.out" >&2; die "seeding $db failed"; }
  T2="$(now_s)"
  SEED_SECS_OF[$db]="$(secs "$T1" "$T2")"
  COUNTS_OF[$db]="$D_DEMO $N_EXTRA $("on_$db" "$(count_sql)")"
  STATUSES_OF[$db]="$("on_$db" "$status_sql" | paste -sd, -)"
  if [[ "$db" == sqlite ]]; then
    SIZE_OF[$db]="$(mib $(($(stat -c %s "$SQLITE_DB") / 1024)))"
  else
    SIZE_OF[$db]="$(mib $(($(on_postgres 'SELECT pg_database_size(current_database())') / 1024)))"
  fi
  log "$db: demo in ${DEMO_SECS_OF[$db]} s, seeding (with ANALYZE) in ${SEED_SECS_OF[$db]} s; ${SIZE_OF[$db]}"
  log "$db: counts ${COUNTS_OF[$db]}; statuses ${STATUSES_OF[$db]}"
done

read -r D_DEMO N_EXTRA C_GEN ANNA_COMPANIES D_ALL D_GEN D_CODES D_CODE_LEN D_PROPS D_ACME ANNA_DEVICES ANNA_FAULT D_COMPANIES <<<"${COUNTS_OF[sqlite]}"
if ((WITH_PG)); then
  [[ "${COUNTS_OF[sqlite]}" == "${COUNTS_OF[postgres]}" ]] ||
    die "the data sets differ: SQLite ${COUNTS_OF[sqlite]}, PostgreSQL ${COUNTS_OF[postgres]}"
  [[ "${STATUSES_OF[sqlite]}" == "${STATUSES_OF[postgres]}" ]] ||
    die "the statuses differ: SQLite ${STATUSES_OF[sqlite]}, PostgreSQL ${STATUSES_OF[postgres]}"
fi
((C_GEN == N_COMPANIES && ANNA_COMPANIES == ANNA_EXTRA + 2 && D_GEN == N_DEVICES + N_EXTRA &&
  D_ALL == D_DEMO + D_GEN && D_ACME == N_LABELS && D_COMPANIES == N_COMPANIES + (N_EXTRA > 0))) ||
  die "the seeded counts are not what was asked for: ${COUNTS_OF[sqlite]}"
((D_CODES == D_ALL && D_CODE_LEN == D_ALL)) || die "the devices' codes are not unique codes of 10 characters: ${COUNTS_OF[sqlite]}"
((ANNA_DEVICES > PAGE && ANNA_FAULT > PAGE)) ||
  die "$EMAIL sees too few devices ($ANNA_DEVICES) or devices with a fault ($ANNA_FAULT) for a full page: more BENCH_DEVICES a company"

# ---------------------------------------------------------------- servers
# What the measured servers run (build/ may be rebuilt while the script goes on).
RUN_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
RUN_BUILT="$(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC')"
serve_signed_in # URL_BASE, TOKEN_DB

KINDS=(me list fault)
declare -A PATH_OF=(
  [me]="/api/v1/me"
  [list]="/api/v1/devices?limit=$PAGE"
  [fault]="/api/v1/devices?status=fault&limit=$PAGE"
)
NAMES=()
declare -A URL_OF=() TOKEN_OF=() BYTES_OF=() ITEMS_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  for kind in "${KINDS[@]}"; do
    name="$s-$kind"
    NAMES+=("$name")
    URL_OF[$name]="${URL_BASE[$db]}${PATH_OF[$kind]}"
    # shellcheck disable=SC2153 # (TOKEN_DB: serve_signed_in)
    TOKEN_OF[$name]="${TOKEN_DB[$db]}"
    status="$(http_status "${TOKEN_OF[$name]}" "${URL_OF[$name]}" "$WORK/$name.json")"
    [[ "$status" == 200 ]] || die "$name: GET ${PATH_OF[$kind]} answered $status: $(head -c 300 "$WORK/$name.json")"
    BYTES_OF[$name]="$(stat -c %s "$WORK/$name.json")"
    ITEMS_OF[$name]="$({ grep -o '"serial":' "$WORK/$name.json" || true; } | wc -l)"
    if [[ "$kind" != me ]]; then
      ((ITEMS_OF[$name] == PAGE)) || die "$name: GET ${PATH_OF[$kind]} lists ${ITEMS_OF[$name]} devices, not $PAGE: $(head -c 300 "$WORK/$name.json")"
      [[ -n "$(json_field next_cursor <"$WORK/$name.json")" ]] || die "$name: the first page has no next_cursor"
    fi
  done
  # The fault page lists only devices with a fault; a listed device's code finds it.
  [[ "$(grep -o '"status":"[a-z]*"' "$WORK/$s-fault.json" | sort -u)" == '"status":"fault"' ]] ||
    die "$s-fault lists devices without a fault"
  code="$(grep -o '"code":"[A-Z0-9]*"' "$WORK/$s-list.json" | head -n 1 | cut -d'"' -f4)"
  status="$(http_status "${TOKEN_DB[$db]}" "${URL_BASE[$db]}/api/v1/devices/by-code/$code" "$WORK/$s-by-code.json")"
  [[ "$status" == 200 && "$(json_field code <"$WORK/$s-by-code.json")" == "$code" ]] ||
    die "$db: GET /api/v1/devices/by-code/$code answered $status: $(head -c 300 "$WORK/$s-by-code.json")"
done
if ((WITH_PG)); then
  for kind in list fault; do
    cmp -s "$WORK/sqlite-$kind.json" "$WORK/pg-$kind.json" ||
      log "note: the $kind page differs between SQLite and PostgreSQL (same data set)"
  done
fi
# One request at a time (after one not counted): what a call costs without a queue in front.
declare -A ALONE_OF=()
for name in "${NAMES[@]}"; do ALONE_OF[$name]="$(alone_ms "${TOKEN_OF[$name]}" "${URL_OF[$name]}" 5)"; done
log "every URL answers 200; the pages hold $PAGE devices ($EMAIL: $(thousands "$ANNA_DEVICES") devices, $ANNA_FAULT with a fault)"

# ---------------------------------------------------------------- the label sheet
QUIET_OK=1
if ((QUICK)); then log "--quick: not waiting for a quiet machine, disturbed runs are not repeated"; fi
wait_quiet || QUIET_OK=0
IDLE_BUSY=$LAST_BUSY; IDLE_STEAL=$LAST_STEAL
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"
PDFINFO="$(command -v pdfinfo 2>/dev/null || true)"
declare -A LABELS_PATH_OF=() PDF_MED_OF=() PDF_MAX_OF=() PDF_BYTES_OF=() PDF_PAGES_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  LABELS_PATH_OF[$db]="/api/v1/devices/labels.pdf?company_id=${ACME_OF[$db]}&format=sheet"
  url="${URL_BASE[$db]}${LABELS_PATH_OF[$db]}"
  pdf_get "${TOKEN_DB[$db]}" "$url" "$WORK/$s-labels.pdf" >/dev/null # not counted
  samples=()
  for ((k = 0; k < N_PDFS; k++)); do samples+=("$(pdf_get "${TOKEN_DB[$db]}" "$url" "$WORK/$s-labels.pdf")"); done
  PDF_MED_OF[$db]="$(median "${samples[@]}")"
  PDF_MAX_OF[$db]="$(printf '%s\n' "${samples[@]}" | sort -g | tail -n 1)"
  PDF_BYTES_OF[$db]="$(stat -c %s "$WORK/$s-labels.pdf")"
  if [[ -n "$PDFINFO" ]]; then
    PDF_PAGES_OF[$db]="$("$PDFINFO" "$WORK/$s-labels.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')"
    [[ "${PDF_PAGES_OF[$db]}" == "$LABEL_PAGES" ]] ||
      die "$db: the label sheet of $N_LABELS devices has ${PDF_PAGES_OF[$db]:-no} pages, not $LABEL_PAGES"
  else
    PDF_PAGES_OF[$db]="not counted (no pdfinfo)"
  fi
  log "$db: label sheet of $N_LABELS devices (${PDF_PAGES_OF[$db]} pages, ${PDF_BYTES_OF[$db]} bytes): median ${PDF_MED_OF[$db]} ms, max ${PDF_MAX_OF[$db]} ms over $N_PDFS"
done

# ---------------------------------------------------------------- load
before_run() { wait_idle; check_session "$1" "$2"; } # name url: idle servers, the session, the URL still 200
measure_names # WRK_ARGS, WRK_CMD
check_after_runs

# ---------------------------------------------------------------- summary
summarize_runs # RPS P99 RPS_RANGE P99_RANGE, PER_RUN, SPREAD
declare -A RATIO=() WHAT_OF=() TARGET_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  for kind in "${KINDS[@]}"; do RATIO[$s-$kind]="$(ratio "${RPS[$s-$kind]}" "${RPS[$s-me]}")"; done
  WHAT_OF[$s-me]="GET /api/v1/me (the reference: $EMAIL's $ANNA_COMPANIES companies)"
  WHAT_OF[$s-list]="GET ${PATH_OF[list]}: first $PAGE by name of her $(thousands "$ANNA_DEVICES") devices"
  WHAT_OF[$s-fault]="GET ${PATH_OF[fault]}: first $PAGE by name of her $ANNA_FAULT devices with a fault"
done
REASONS=()
declare -A VERDICT_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  l="$(label "$db")"
  before=${#REASONS[@]}
  TARGET_OF[$s-me]="reference"
  TARGET_OF[$s-fault]="(no target of its own)"
  if lt "${RATIO[$s-list]}" "$T_LIST"; then
    TARGET_OF[$s-list]="**missed** (≥ ${T_LIST}×)"
    REASONS+=("$l: the device list reaches ${RATIO[$s-list]}× the throughput of /me (needed: ≥ ${T_LIST}×)")
  else
    TARGET_OF[$s-list]="met (≥ ${T_LIST}×)"
  fi
  lt "${PDF_MAX_OF[$db]}" "$T_PDF" ||
    REASONS+=("$l: the label sheet of $N_LABELS devices took up to ${PDF_MAX_OF[$db]} ms (median ${PDF_MED_OF[$db]} ms; needed: < $T_PDF ms)")
  for kind in "${KINDS[@]}"; do
    [[ "${NON2XX_OF[$s-$kind]}" == 0 && "${SOCKERR_OF[$s-$kind]}" == 0 ]] ||
      REASONS+=("$l: the $kind runs had ${NON2XX_OF[$s-$kind]} non-2xx/3xx answers and ${SOCKERR_OF[$s-$kind]} socket errors")
  done
  if ((${#REASONS[@]} == before)); then VERDICT_OF[$db]=met; else VERDICT_OF[$db]=missed; fi
done
VERDICT=met
((${#REASONS[@]} == 0)) || VERDICT=missed
((WITH_PG)) || VERDICT="${VERDICT} (SQLite only)"

table() { # db: the throughput table of one database
  local s name
  s="$(short "$1")"
  echo "| name | request | response bytes | one request alone, ms (median of 5) | req/s (median of $RUNS) | p99 ms (median of $RUNS) | ratio to /me | target | non-2xx/3xx | socket errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
  for kind in "${KINDS[@]}"; do
    name="$s-$kind"
    echo "| $name | ${WHAT_OF[$name]} | ${BYTES_OF[$name]} | ${ALONE_OF[$name]} | ${RPS[$name]} | ${P99[$name]} | ${RATIO[$name]} | ${TARGET_OF[$name]} | ${NON2XX_OF[$name]} | ${SOCKERR_OF[$name]} |"
  done
}
pdf_table() { # the label sheet on every database
  local db target
  echo "| database | request | labels | pages | PDF bytes | median ms (of $N_PDFS) | max ms (of $N_PDFS) | target |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for db in "${DBS[@]}"; do
    if lt "${PDF_MAX_OF[$db]}" "$T_PDF"; then target="met (< $T_PDF ms)"; else target="**missed** (< $T_PDF ms)"; fi
    echo "| $(label "$db") | GET ${LABELS_PATH_OF[$db]} | $N_LABELS | ${PDF_PAGES_OF[$db]} | ${PDF_BYTES_OF[$db]} | ${PDF_MED_OF[$db]} | ${PDF_MAX_OF[$db]} | $target |"
  done
}
DATASET="$(thousands "$D_ALL") devices ($(thousands "$N_DEVICES") generated, $(thousands $((N_DEVICES / N_COMPANIES))) in each of $(thousands "$N_COMPANIES") generated companies, $(thousands "$D_PROPS") with properties; $D_DEMO of the demo; \"$ACME\" made up to $N_LABELS with $N_EXTRA more); statuses ${STATUSES_OF[sqlite]//,/, }; \`$EMAIL\` is a member of $ANNA_COMPANIES companies with $(thousands "$ANNA_DEVICES") devices ($ANNA_FAULT with a fault)"

echo
echo "Per run:"
echo "$PER_RUN"
for db in "${DBS[@]}"; do
  echo
  echo "$db ($WRK_CMD):"
  table "$db"
done
echo
echo "Label sheet (one request at a time, curl's total time):"
pdf_table
echo
echo "Spread over the $RUNS counted runs: $SPREAD"
echo "Dataset: $DATASET"
for db in "${DBS[@]}"; do
  echo "$db: ${SIZE_OF[$db]}; demo in ${DEMO_SECS_OF[$db]} s, seeding in ${SEED_SECS_OF[$db]} s"
done
echo "Target: the device list ≥ ${T_LIST}× /me, the label sheet of $N_LABELS devices < $T_PDF ms, on each database -> $VERDICT"
for reason in "${REASONS[@]}"; do echo "  - $reason"; done
echo "(not measured: issue 13's targets for the personnel's job list and the dashboard, which do not exist yet)"
if ((QUICK)); then echo "(--quick: a smoke test with short runs; not a measurement)"; fi

# ---------------------------------------------------------------- docs
if ((WRITE_DOCS)); then
  CMD="bash bench/devices.sh --write-docs"
  for v in BENCH_DURATION BENCH_RUNS BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP BENCH_QUIET_WAIT \
    BENCH_DEVICES BENCH_COMPANIES BENCH_PDFS; do
    [[ -n "${!v:-}" ]] && CMD="$v=${!v} $CMD"
  done
  BIN_TEXT="\`build/src/app/portico\`"
  [[ -n "${PORTICO_BIN:-}" ]] && BIN_TEXT="the binary of \`PORTICO_BIN\` (a build of this tree)"
  PDFINFO_TEXT=""
  if [[ -n "$PDFINFO" ]]; then PDFINFO_TEXT=", pdfinfo $("$PDFINFO" -v 2>&1 | awk 'NR == 1 {print $3}')"; fi
  if [[ $VERDICT == met ]]; then
    VERDICT_TEXT="**Met.** The first page of $PAGE devices across the caller's companies reaches ${RATIO[sqlite-list]}× (SQLite) and ${RATIO[pg-list]}× (PostgreSQL) the throughput of \`GET /api/v1/me\` (needed: ≥ ${T_LIST}×); the label sheet of $N_LABELS devices renders in at most ${PDF_MAX_OF[sqlite]} and ${PDF_MAX_OF[postgres]} ms (median ${PDF_MED_OF[sqlite]} and ${PDF_MED_OF[postgres]} ms; needed: < $T_PDF ms); no error responses."
  else
    met_text=""
    for db in "${DBS[@]}"; do
      s="$(short "$db")"
      met_text+="$(label "$db"): the device list ${RATIO[$s-list]}× /me, the fault list ${RATIO[$s-fault]}×, the label sheet ${PDF_MED_OF[$db]} ms (median; at most ${PDF_MAX_OF[$db]}). "
    done
    reasons_text="$(printf '%s; ' "${REASONS[@]}")"
    VERDICT_TEXT="**Missed.** ${reasons_text%; }. In figures: ${met_text% }"
  fi
  if ((DISTURBED_KEPT > 0 || QUIET_OK == 0)); then
    VERDICT_TEXT+=" Caution: other processes were using the CPUs during this measurement (see \"interference\"), so the figures are lower and noisier than on a quiet machine."
  fi
  cat >"$WORK/section.md" <<EOF
$SECTION

This section is written by \`bash bench/devices.sh --write-docs\` (\`bench/run.sh --write-docs\`
keeps it); rerun it to refresh the figures.

### Target

With 200,000 devices over 10,000 companies in the database: the first page of $PAGE devices across
the caller's companies (a user of 20 companies) reaches at least ${T_LIST}× the throughput of
\`GET /api/v1/me\` measured in the same run, at $CONNS connections, on SQLite and on PostgreSQL; the
label sheet PDF of a company's $N_LABELS devices ($LABEL_PAGES A4 pages) renders in under $T_PDF ms (each of
the $N_PDFS timed requests). No error responses.

Issue 13's other targets, for the personnel's job list and for the dashboard, are not measurable
yet: neither exists in this build, so this section does not report on them.

Result: $VERDICT_TEXT

### Results

| | |
| --- | --- |
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| commit | \`$RUN_COMMIT\` when the servers started (the working tree may hold uncommitted changes) |
| machine | $(machine_info) |
| build | $BIN_TEXT built $RUN_BUILT, compiler flags: \`$(build_flags)\` |
| tools | wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), curl $(curl --version | awk 'NR == 1 {print $2}'), sqlite3 $(sqlite3 --version | awk '{print $1}'), PostgreSQL $PG_VERSION (its own cluster, durable: fsync and synchronous commit on, default settings otherwise)$PDFINFO_TEXT |
| command | \`$CMD\` |
| data set | on both: $DATASET |
| databases | SQLite file ${SIZE_OF[sqlite]} after \`ANALYZE\` and a WAL checkpoint; PostgreSQL database ${SIZE_OF[postgres]} after \`VACUUM ANALYZE\`. \`portico demo\` took ${DEMO_SECS_OF[sqlite]} s and ${DEMO_SECS_OF[postgres]} s, the seeding (rows, statistics) ${SEED_SECS_OF[sqlite]} s with sqlite3 and ${SEED_SECS_OF[postgres]} s with psql |
| machine state before the PDFs and the load | ${IDLE_BUSY}% CPU busy with the servers idle, ${IDLE_STEAL}% hypervisor steal in a 1 s probe keeping all CPUs busy$( ((QUIET_OK)) || echo ' (**not quiet**)'), load average $LOADAVG |
| interference | $REPEATED disturbed run(s) repeated, $DISTURBED_KEPT kept; at most ${MAX_OTHER}% CPU used by other processes and ${MAX_STEAL}% steal during a run |
| load | \`$WRK_CMD\`, $RUNS runs per URL in the order of the tables (SQLite, then PostgreSQL), after a $WARMUP warm-up of each |

SQLite (result: ${VERDICT_OF[sqlite]}, the label sheet included):

$(table sqlite)

PostgreSQL (result: ${VERDICT_OF[postgres]}, the label sheet included):

$(table postgres)

The label sheet, one request at a time (curl's total time):

$(pdf_table)

Spread over the $RUNS counted runs: $SPREAD.

Per run:

$PER_RUN

### What is measured

- **data set**: on each database \`portico demo\` creates the demo data (organization "$ORG",
  3 companies, $D_DEMO devices), then SQL (sqlite3 with recursive CTEs, psql with
  \`generate_series\`) adds $(thousands "$N_COMPANIES") managed companies and memberships of \`$EMAIL\` (role \`user\`,
  which holds \`services.view\` and \`devices.manage\`) in $ANNA_EXTRA of them (B-00001, B-$(printf '%05d' $((N_COMPANIES / ANNA_EXTRA + 1))), …), with bench/lib.sh's
  \`seed_companies_sql\` (and its one generated user, in 3 of the companies, which the load does
  not use), then in one more transaction $(thousands "$N_DEVICES") devices ($(thousands $((N_DEVICES / N_COMPANIES))) a company, named \`<kind> <number>\`
  with one of 12 kinds, serials and external ids from the number, one of 16 models, statuses by
  a hash of the number: ok 80%, attention 10%, fault 5%, offline 5%; properties, a small JSON
  object of strings, on three quarters; no site, no service dates) and $N_EXTRA more of "$ACME", which
  then has $N_LABELS. Each device's code is 10 characters of \`$CODE_ALPHABET\` (the base-29 digits of
  the number times 7^18 modulo 29^10: a bijection, so all differ). Then \`ANALYZE\` (SQLite) or
  \`VACUUM ANALYZE\` (PostgreSQL). The counts above are read back from both databases and agree.
- **server**: one \`portico serve --no-access-log\` per database, both running; the script signs
  in as \`$EMAIL\` on each (password, then the TOTP code from \`oathtool\`) and checks that every
  URL answers 200, the lists with a full page of $PAGE devices and a next cursor, the fault page
  with faults only, and that a listed device's code finds it
  (\`GET /api/v1/devices/by-code/{code}\`). \`bench/auth.lua\` sends the session as
  \`Authorization: Bearer TOKEN\`.
- **me**: the reference, on the same database: session lookup plus the caller's companies with
  their roles and permissions.
- **list**: the device list of a portal user across every company where she holds
  \`services.view\` ($ANNA_COMPANIES, $(thousands "$ANNA_DEVICES") devices), by name, one page of $PAGE with its next cursor.
- **fault**: the same list with \`status=fault\` ($ANNA_FAULT of her devices); measured beside the list, with
  no target of its own.
- **label sheet**: \`GET ${LABELS_PATH_OF[sqlite]}\` (the id of "$ACME"), the PDF of its
  $N_LABELS devices on A4 sheets of Avery L7163 labels (2 × 7 a sheet: $LABEL_PAGES pages), each with the
  device's QR code, name, serial and code: $N_PDFS requests one at a time after one not counted,
  after waiting for a quiet machine and before the load; each answer is checked (200,
  \`application/pdf\`, \`%PDF-\`, and its pages counted with \`pdfinfo\` when it is installed). The
  target is checked against the slowest of the $N_PDFS.
- "one request alone" is curl's total time of one request with nothing else running (the median
  of 5, after one not counted), measured before the load: the cost of the call without a queue.
- req/s and p99 are the medians over the runs of wrk's \`Requests/sec\` and 99th percentile
  latency; the ratio is a URL's median req/s divided by that of /me on the same database.
  non-2xx/3xx and socket errors are totals over all runs, repeated ones included. The
  interference check is the one of \`bench/run.sh\`; the CPU of both portico servers and of
  PostgreSQL's processes counts as the servers'.

### Caveats

- wrk, both portico servers and PostgreSQL share the same $(nproc) CPUs over loopback; the ratios
  to /me and the latencies under the same load are the point, not the absolute figures.
- With $CONNS connections kept busy, a slow call's p99 is mostly time spent queued behind the
  others; wrk counts a request that takes more than 2 s as a timeout (a socket error).
- The databases are in the page cache (the machine has $(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) of memory): the figures are those of
  a warm server, not of one reading from disk.
- The devices are at no site and anna sees all the sites of her companies, so the list's scope is
  a list of companies; a user restricted to some sites is scoped by site instead, which is not
  measured here.
EOF
  write_doc_section "$SECTION" "$WORK/section.md"
fi
