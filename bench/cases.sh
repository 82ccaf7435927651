#!/usr/bin/env bash
# bench/cases.sh - Portico's support case list and text search with a large database: 1,000,000
# cases over 10,000 companies with 5,000,000 comments, on SQLite and on PostgreSQL, against
# GET /api/v1/me in the same run.
#
# Usage (from the repository root):
#   bash bench/cases.sh                  # run and print the summary
#   bash bench/cases.sh --write-docs     # also add or replace the section
#                                        # "## Support cases at scale (issue 11)" in docs/benchmarks.md
#   bash bench/cases.sh --quick          # smoke test: -d3s, 1 run, 1s warm-up, no waiting for a
#                                        # quiet machine, disturbed runs not repeated
#                                        # (not with --write-docs)
#   bash bench/cases.sh --sqlite-only    # leave PostgreSQL out (not with --write-docs)
#   bash bench/cases.sh --help
#
# Target (issue 11): with 1 million cases over 10,000 companies (and 5 comments each on average)
# in the database, the first page of 20 cases across the caller's companies (a user of 20
# companies, filtered by status) reaches at least 0.5x the throughput of GET /api/v1/me measured
# in the same run, with p99 under 10 ms at 64 connections, on SQLite and on PostgreSQL; text
# search over the same data has p99 under 50 ms. No error responses.
#
# What it does:
#   1. Installs wrk, oathtool, curl, procps, sqlite3 and PostgreSQL (server and psql) with
#      apt-get if any is missing, and builds build/src/app/portico if it is missing (as
#      bench/companies.sh does). PORTICO_BIN runs another binary instead.
#   2. Starts a PostgreSQL cluster of its own with tests/support/pg_cluster.sh in the temporary
#      directory, durable (PG_CLUSTER_DURABLE=1), as bench/postgres.sh does.
#   3. Creates the same data set on both databases: `portico demo` (stopped once it serves; the
#      TOTP keys it prints are read), then one transaction of SQL (sqlite3 with recursive CTEs,
#      psql with generate_series) adds to the demo organization "Northwind Service":
#        - 10,000 managed companies B-00001 ... B-10000, each with one active user
#          contact00001@bench.example ... (role "user"), the requester of its cases;
#        - memberships (role "user", which holds support.view) of anna@acme.example in 20 of
#          them (B-00001, B-00501, ..., B-09501) beside her 2 demo companies;
#        - 1,000,000 cases, case i (1-based) in company (i - 1) mod 10000, so 100 a company, with
#          explicit ids and numbers (the organization's counter in case_numbers moves past
#          them), created over the last year in the order of their ids, statuses mixed by a hash
#          of i (new 4%, open 10%, waiting_customer 8%, waiting_third_party 3%, resolved 10%,
#          closed 65%; a case resolved more than 13 days ago is closed, as the housekeeping would
#          have closed it, and one too young to be resolved is open), priorities mixed, the
#          staff administrator the assignee of every case that is not new. Subjects are
#          "<Product> <issue>" with one of 50 product words, descriptions and comments sentences
#          from small fixed lists, so each product word is in about 2% of the cases and words
#          outside the lists in none;
#        - 0 to 10 comments a case (5 on average: 5,000,000), alternately the requester's and
#          staff's, a quarter of staff's internal notes;
#        - each case's row of the search index (case_search), written by the statement the
#          service uses (cases::CaseRepository::indexForSearch): FTS5 on SQLite, tsvectors with
#          their GIN indexes on PostgreSQL (the indexes dropped for the load and created again as
#          the migration does).
#      Then ANALYZE and a WAL checkpoint (SQLite), VACUUM ANALYZE (PostgreSQL). The rows are
#      counted on both afterwards and must agree; the seeding times and sizes are reported.
#   4. Starts `portico serve --no-access-log` on each database, signs in as anna@acme.example
#      (password, then TOTP) and checks that every URL answers 200 with a full first page:
#        me      GET /api/v1/me (the reference)
#        open    GET /api/v1/cases?status=open&limit=20
#        search  GET /api/v1/cases?q=projector&limit=20  (a product word: about 2% of the cases)
#      and that a word in none of the cases finds none.
#   5. Waits for a quiet machine, warms every URL up (2 s each, not counted), then runs
#        wrk -t2 -c64 -d10s --latency -s bench/auth.lua URL
#      3 times against each, alternating sqlite me / open / search, pg me / open / search. The
#      interference check of bench/run.sh applies (the CPU of portico and of PostgreSQL's
#      processes is the servers'; a disturbed run is repeated, at most twice).
#   6. Prints per-run figures and a summary (median req/s, median p99, ratio to /me on the same
#      database) and checks the target.
#   7. With --write-docs, adds the section "## Support cases at scale (issue 11)" at the end of
#      docs/benchmarks.md, or replaces it where it is; the rest of the file stays as it is.
# Seeding takes minutes: the databases are about 1.5 GB (SQLite) and 2 GB (PostgreSQL).
#
# Environment overrides (defaults in brackets; the docs record any that are set):
#   BENCH_DURATION [10s]  BENCH_RUNS [3]  BENCH_THREADS [2]  BENCH_CONNECTIONS [64]
#   BENCH_WARMUP [2s]     BENCH_QUIET_WAIT [300] (seconds to wait for a quiet machine)
#   BENCH_CASES [1000000] BENCH_COMPANIES [10000] (a smaller data set, to try the script out)
#   BENCH_KEEP_TMP [0]    (1 = keep the temp dir with the databases, logs and wrk outputs)
#   PORTICO_BIN [build/src/app/portico] (the binary to run; it is not built when given)
#
# Exit status: 0 when the benchmark ran (whether or not the target was met), non-zero when
# something failed (setup, seeding, sign-in, a URL not answering 200, wrk).
# Note: wrk, portico and PostgreSQL share the same cores, so the figures are comparative (the
# ratios to /me), not absolute capacity.

set -euo pipefail

# (PORTICO_BIN may be relative to the caller's directory: resolved before lib.sh changes into ROOT)
if [[ -n "${PORTICO_BIN:-}" ]]; then PORTICO_BIN="$(realpath -m "$PORTICO_BIN")"; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
bench_settings_db cases.sh "$@" # WITH_PG, the load's settings (DURATION, RUNS...), EMAIL...

STAFF_EMAIL="staff@northwind.example"
N_CASES="${BENCH_CASES:-1000000}"
N_COMPANIES="${BENCH_COMPANIES:-10000}"
ANNA_EXTRA=20 # anna's generated companies: every (N_COMPANIES / ANNA_EXTRA)th
PAGE=20
SEARCH_WORD="projector" # one of the 50 product words of the subjects
MISS_WORD="zeppelin"    # in none of the texts
SECTION="## Support cases at scale (issue 11)"
[[ "$N_CASES" =~ ^[0-9]+$ && "$N_COMPANIES" =~ ^[0-9]+$ ]] || die "BENCH_CASES and BENCH_COMPANIES must be numbers"
((N_COMPANIES >= ANNA_EXTRA && N_COMPANIES % ANNA_EXTRA == 0 && N_CASES >= N_COMPANIES)) ||
  die "BENCH_COMPANIES must be a multiple of $ANNA_EXTRA and BENCH_CASES at least BENCH_COMPANIES"

# ---------------------------------------------------------------- tools, binary
require_tools wrk oathtool curl procps sqlite3
if ((WITH_PG)); then require_postgres; fi
use_portico_bin
make_workdir portico-cases
chmod 755 "$WORK" # the cluster's server may run as the user postgres

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }

# ---------------------------------------------------------------- the data set
# The SQL that adds the data set to a demo database, for sqlite3 or psql (see the header). Reads
# ORG_ID ANNA_ID STAFF_ID NOW BASE_CASE BASE_NUMBER BASE_COMMENT. Both dialects make the same
# rows: every choice is a hash of the case's number i, computed in 64-bit integers.
cases_seed_sql() { # sqlite|postgres
  local d="$1" pk
  # h SALT X: a pseudo-random number 0..32767 of X (one step of a linear congruential generator;
  # each salt multiplies X by another prime, so that the choices do not go together)
  h() { echo "(((CAST($2 AS BIGINT) * $1 + 7) * 1103515245 + 12345) % 2147483648 / 65536)"; }
  if [[ "$d" == sqlite ]]; then
    pad() { echo "printf('%0${2}d', $1)"; }
    least() { echo "min($1, $2)"; }
    seq() { echo "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $1) SELECT i FROM s)"; }
    pk="INTEGER PRIMARY KEY" # the rowid
    printf '.timeout 10000\n.bail on\nPRAGMA foreign_keys = ON;\nPRAGMA cache_size = -1048576;\n'
    printf 'PRAGMA temp_store = MEMORY;\nPRAGMA synchronous = OFF;\nBEGIN IMMEDIATE;\n'
  else
    pad() { echo "lpad(CAST($1 AS TEXT), $2, '0')"; }
    least() { echo "LEAST($1, $2)"; }
    seq() { echo "(SELECT i FROM generate_series(CAST(1 AS BIGINT), $1) AS g(i))"; }
    pk="BIGINT PRIMARY KEY"
    printf '\\set ON_ERROR_STOP on\nSET client_min_messages = warning;\n'
    printf "SET maintenance_work_mem = '1GB';\nSET work_mem = '256MB';\nBEGIN;\n"
    # Loaded without the GIN indexes, which are then made as migrations/0019_case_search.sql does.
    printf 'DROP INDEX case_search_public;\nDROP INDEX case_search_notes;\n'
  fi
  local YEAR=31536000 DAY=86400
  cat <<SQL
-- The words of the texts. Product words start no other word of any list, so that a search for
-- one (each word is a prefix) finds exactly the cases about that product.
CREATE TEMP TABLE products (k INTEGER PRIMARY KEY, w TEXT NOT NULL);
INSERT INTO products VALUES
  (0, 'printer'), (1, 'scanner'), (2, 'laptop'), (3, 'router'), (4, 'monitor'), (5, 'keyboard'),
  (6, 'projector'), (7, 'headset'), (8, 'webcam'), (9, 'smartphone'), (10, 'tablet'),
  (11, 'firewall'), (12, 'server'), (13, 'dishwasher'), (14, 'refrigerator'), (15, 'freezer'),
  (16, 'oven'), (17, 'microwave'), (18, 'thermostat'), (19, 'elevator'), (20, 'escalator'),
  (21, 'turnstile'), (22, 'boiler'), (23, 'heatpump'), (24, 'ventilation'), (25, 'compressor'),
  (26, 'generator'), (27, 'forklift'), (28, 'conveyor'), (29, 'labeller'), (30, 'shredder'),
  (31, 'copier'), (32, 'plotter'), (33, 'intercom'), (34, 'camera'), (35, 'doorbell'),
  (36, 'badgereader'), (37, 'kiosk'), (38, 'terminal'), (39, 'coffeemaker'), (40, 'watercooler'),
  (41, 'dehumidifier'), (42, 'sprinkler'), (43, 'airconditioner'), (44, 'espresso'),
  (45, 'scale'), (46, 'charger'), (47, 'gateway'), (48, 'dashcam'), (49, 'amplifier');
CREATE TEMP TABLE issues (k INTEGER PRIMARY KEY, t TEXT NOT NULL);
INSERT INTO issues VALUES
  (0, 'does not start'), (1, 'keeps restarting'), (2, 'shows an error message'),
  (3, 'is very slow'), (4, 'makes a loud noise'), (5, 'stopped working overnight'),
  (6, 'does not connect to the network'), (7, 'loses its settings'),
  (8, 'turns off after a few minutes'), (9, 'displays a blank screen'),
  (10, 'smells of burning plastic'), (11, 'leaks water on the floor'),
  (12, 'cannot be reached remotely'), (13, 'gives wrong readings'),
  (14, 'needs a firmware update'), (15, 'rejects our access cards'), (16, 'flashes a red light'),
  (17, 'is stuck in a loop'), (18, 'reports a low battery'), (19, 'will not power on'),
  (20, 'runs hot all day'), (21, 'drops the connection'), (22, 'beeps every few seconds'),
  (23, 'is missing a part'), (24, 'was delivered damaged');
CREATE TEMP TABLE details (k INTEGER PRIMARY KEY, t TEXT NOT NULL);
INSERT INTO details VALUES
  (0, 'It happened first on Monday morning.'), (1, 'Several colleagues are affected.'),
  (2, 'We already tried turning it off and on again.'), (3, 'The problem comes back every day.'),
  (4, 'Please send a technician as soon as possible.'), (5, 'This blocks our whole team.'),
  (6, 'The warranty should still be valid.'),
  (7, 'We noticed it after the last maintenance visit.'),
  (8, 'Nothing has been changed on our side.'), (9, 'The code on the display is E42.'),
  (10, 'It works for a while and then fails again.'),
  (11, 'Only the unit on the second floor is affected.'),
  (12, 'We need it working before the audit next week.'),
  (13, 'The same issue was reported last year.'), (14, 'Visitors have started to complain.'),
  (15, 'We can provide remote access if needed.'), (16, 'A photo of the display is attached.'),
  (17, 'The cable and the power supply look fine.'),
  (18, 'It is the newest unit we bought this spring.'),
  (19, 'Our contact person is at the reception.'), (20, 'The manual did not help.'),
  (21, 'It started after the power outage.'), (22, 'We have a spare unit in the storage room.'),
  (23, 'The fault appears only in the afternoon.'), (24, 'Please call us before you come.'),
  (25, 'The label on the back says model 7.'), (26, 'Our previous supplier never fixed it.'),
  (27, 'The office is closed on Fridays.'), (28, 'We would like a quote for a replacement.'),
  (29, 'Urgent: the shop opens tomorrow.');
CREATE TEMP TABLE replies (k INTEGER PRIMARY KEY, t TEXT NOT NULL);
INSERT INTO replies VALUES
  (0, 'Thank you, we are looking into it.'), (1, 'Could you send us the serial number?'),
  (2, 'A technician will visit on Thursday.'), (3, 'We have ordered a replacement part.'),
  (4, 'Restarting did not help, unfortunately.'), (5, 'The part arrived and has been installed.'),
  (6, 'Please confirm that it works again.'), (7, 'It works again, thank you!'),
  (8, 'We will update the firmware remotely tonight.'), (9, 'Is the issue still present today?'),
  (10, 'Yes, it happened again this morning.'), (11, 'The supplier confirmed a known fault.'),
  (12, 'We have escalated this to the manufacturer.'),
  (13, 'Please keep the unit switched off until then.'),
  (14, 'Check the spare parts stock first.'), (15, 'The technician could not get in.'),
  (16, 'Someone will be at the reception from eight.'), (17, 'We sent a new unit by courier.'),
  (18, 'The old unit can be picked up next week.'), (19, 'Here is the photo you asked for.'),
  (20, 'Billing: covered by the service agreement.'), (21, 'No change since yesterday.'),
  (22, 'We adjusted the settings, please try again.'), (23, 'All good now, you can close it.'),
  (24, 'The visit is moved to Monday.'), (25, 'Customer was informed by phone.'),
  (26, 'Thanks for the quick help!'), (27, 'We measured the voltage, it is normal.'),
  (28, 'The error is gone after the update.'), (29, 'Please try a different outlet.');

CREATE TEMP TABLE statuses (k INTEGER PRIMARY KEY, s TEXT NOT NULL);
INSERT INTO statuses VALUES (0, 'new'), (1, 'open'), (2, 'waiting_customer'),
  (3, 'waiting_third_party'), (4, 'resolved'), (5, 'closed');
CREATE TEMP TABLE priorities (k INTEGER PRIMARY KEY, p TEXT NOT NULL);
INSERT INTO priorities VALUES (0, 'low'), (1, 'normal'), (2, 'high'), (3, 'urgent');

-- The companies (k: 0-based), each with one user who opens its cases.
WITH n(i) AS $(seq "$N_COMPANIES")
INSERT INTO companies (org_id, external_id, name, org_number, managed, created_at, updated_at)
SELECT $ORG_ID, 'B-' || $(pad i 5), 'Bench Customer ' || $(pad i 5) || ' AB', '556' || $(pad i 7),
       1, $NOW - $YEAR - $DAY, $NOW - $YEAR - $DAY
FROM n ORDER BY i;
WITH n(i) AS $(seq "$N_COMPANIES")
INSERT INTO users (email, password_hash, first_name, last_name, language, status, created_at)
SELECT 'contact' || $(pad i 5) || '@bench.example', NULL, 'Contact', 'Person ' || $(pad i 5),
       'en', 'active', $NOW - $YEAR - $DAY
FROM n ORDER BY i;
CREATE TEMP TABLE bench_companies (k $pk, id BIGINT NOT NULL, contact BIGINT NOT NULL);
INSERT INTO bench_companies
SELECT CAST(substr(c.external_id, 3) AS INTEGER) - 1, c.id, u.id FROM companies c
JOIN users u ON u.email = 'contact' || substr(c.external_id, 3) || '@bench.example'
WHERE c.org_id = $ORG_ID AND c.external_id LIKE 'B-_____';

-- Role "user" (all but users.manage: support.view too), with the preset's permissions as the
-- service stores them (copied from a demo membership of that role).
INSERT INTO memberships (company_id, user_id, role, permissions, all_sites, created_at)
SELECT c.id, c.contact, 'user', (SELECT min(permissions) FROM memberships WHERE role = 'user'), 1,
       $NOW - $YEAR - $DAY
FROM bench_companies c ORDER BY c.k;
INSERT INTO memberships (company_id, user_id, role, permissions, all_sites, created_at)
SELECT c.id, $ANNA_ID, 'user', (SELECT min(permissions) FROM memberships WHERE role = 'user'), 1,
       $NOW - $YEAR - $DAY
FROM bench_companies c WHERE c.k % ($N_COMPANIES / $ANNA_EXTRA) = 0 ORDER BY c.k;

-- The cases: i 1..N, created over the year before NOW in the order of i; span: from opening to
-- resolution (1 h to 7 days); st: the status before the age rules, 0..5 as in statuses.
CREATE TEMP TABLE bench_cases (i $pk, created BIGINT NOT NULL,
  span BIGINT NOT NULL, st INTEGER NOT NULL, comments INTEGER NOT NULL, first_comment BIGINT);
WITH n(i) AS $(seq "$N_CASES")
INSERT INTO bench_cases (i, created, span, st, comments)
SELECT i, $NOW - 3600 - $YEAR + (i - 1) * $YEAR / $N_CASES, 3600 + $(h 31 i) * 18,
       CASE WHEN $(h 37 i) % 100 < 4 THEN 0 WHEN $(h 37 i) % 100 < 14 THEN 1
            WHEN $(h 37 i) % 100 < 22 THEN 2 WHEN $(h 37 i) % 100 < 25 THEN 3
            WHEN $(h 37 i) % 100 < 35 THEN 4 ELSE 5 END,
       $(h 41 i) % 11
FROM n;
-- Too young to be resolved: open. Resolved more than 13 days ago: closed (the housekeeping
-- closes resolved cases after 14 days, and would do it during the load).
UPDATE bench_cases SET st = 1 WHERE st IN (4, 5) AND created + span > $NOW;
UPDATE bench_cases SET st = 5 WHERE st = 4 AND created + span < $NOW - 13 * $DAY;
-- The id of each case's first comment: the comments are numbered in the order of the cases.
UPDATE bench_cases SET first_comment = $BASE_COMMENT + 1 + w.before
FROM (SELECT i, SUM(comments) OVER (ORDER BY i) - comments AS before FROM bench_cases) AS w
WHERE w.i = bench_cases.i;

INSERT INTO cases (id, org_id, company_id, number, subject, description, status, priority,
                   requester_id, assignee_id, created_at, updated_at, resolved_at, closed_at)
SELECT $BASE_CASE + b.i, $ORG_ID, c.id, $BASE_NUMBER + b.i,
       upper(substr(p.w, 1, 1)) || substr(p.w, 2) || ' ' || s.t,
       'Our ' || p.w || ' ' || s.t || '. ' || d1.t || ' ' || d2.t,
       st.s, pr.p, c.contact, CASE WHEN b.st = 0 THEN NULL ELSE $STAFF_ID END,
       b.created,
       CASE b.st WHEN 0 THEN b.created WHEN 4 THEN b.created + b.span
                 WHEN 5 THEN $(least "b.created + b.span + 14 * $DAY" "$NOW")
                 ELSE $(least "b.created + b.span / 2" "$NOW") END,
       CASE WHEN b.st IN (4, 5) THEN b.created + b.span END,
       CASE WHEN b.st = 5 THEN $(least "b.created + b.span + 14 * $DAY" "$NOW") END
FROM bench_cases b
JOIN bench_companies c ON c.k = (b.i - 1) % $N_COMPANIES
JOIN statuses st ON st.k = b.st
JOIN priorities pr ON pr.k = CASE WHEN $(h 43 b.i) % 20 < 4 THEN 0 WHEN $(h 43 b.i) % 20 < 15 THEN 1
                                  WHEN $(h 43 b.i) % 20 < 19 THEN 2 ELSE 3 END
JOIN products p ON p.k = $(h 47 b.i) % 50
JOIN issues s ON s.k = $(h 53 b.i) % 25
JOIN details d1 ON d1.k = $(h 59 b.i) % 30
JOIN details d2 ON d2.k = $(h 61 b.i) % 30
ORDER BY b.i;
UPDATE case_numbers SET last = $BASE_NUMBER + $N_CASES WHERE org_id = $ORG_ID;

-- The comments: j 0..comments-1 of a case, spread between its opening and its last update;
-- even j the requester's, odd j staff's, a quarter of staff's internal notes.
CREATE TEMP TABLE js (j INTEGER PRIMARY KEY);
INSERT INTO js VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
INSERT INTO case_comments (id, company_id, case_id, author_id, by_staff, internal, body, created_at)
SELECT b.first_comment + js.j, c.company_id, c.id,
       CASE WHEN js.j % 2 = 0 THEN c.requester_id ELSE $STAFF_ID END,
       js.j % 2, CASE WHEN js.j % 2 = 1 AND $(h 67 "b.i * 16 + js.j") % 4 = 0 THEN 1 ELSE 0 END,
       r.t, c.created_at + (js.j + 1) * (c.updated_at - c.created_at) / (b.comments + 1)
FROM bench_cases b
JOIN cases c ON c.id = $BASE_CASE + b.i
JOIN js ON js.j < b.comments
JOIN replies r ON r.k = $(h 71 "b.i * 16 + js.j") % 30
ORDER BY b.i, js.j;
SQL
  # The search index, by the statement of cases::CaseRepository::indexForSearch for each case.
  if [[ "$d" == sqlite ]]; then
    cat <<SQL
INSERT OR REPLACE INTO case_search (rowid, number, subject, description, comments, notes)
 SELECT c.id, 'T-' || c.number, c.subject, c.description,
 COALESCE((SELECT group_concat(body, char(10)) FROM case_comments
 WHERE case_id = c.id AND internal = 0), ''),
 COALESCE((SELECT group_concat(body, char(10)) FROM case_comments
 WHERE case_id = c.id AND internal = 1), '') FROM cases c WHERE c.id > $BASE_CASE ORDER BY c.id;
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  else
    cat <<SQL
INSERT INTO case_search (case_id, company_id, public_text, notes_text)
 SELECT c.id, c.company_id, to_tsvector('simple', left('T-' || c.number || ' ' || c.number
 || ' ' || c.subject
 || ' ' || c.description || ' ' || COALESCE((SELECT string_agg(body, ' ' ORDER BY id)
 FROM case_comments WHERE case_id = c.id AND internal = 0), ''), 400000)),
 to_tsvector('simple', left(COALESCE((SELECT string_agg(body, ' ' ORDER BY id)
 FROM case_comments WHERE case_id = c.id AND internal = 1), ''), 400000))
 FROM cases c WHERE c.id > $BASE_CASE ON CONFLICT (case_id, company_id) DO UPDATE
 SET public_text = EXCLUDED.public_text, notes_text = EXCLUDED.notes_text;
CREATE INDEX case_search_public ON case_search USING GIN (public_text);
CREATE INDEX case_search_notes ON case_search USING GIN (notes_text);
SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases));
SELECT setval(pg_get_serial_sequence('case_comments', 'id'), (SELECT max(id) FROM case_comments));
COMMIT;
VACUUM ANALYZE;
SQL
  fi
  unset -f h pad least seq
}

# (on_sqlite and on_postgres run a query, or without one the SQL on stdin: bench/lib.sh)
SQLITE_DB="$WORK/portico.db"
NOW="$(date +%s)" # the same clock for both data sets
DBS=(sqlite)
if ((WITH_PG)); then DBS+=(postgres); fi
declare -A DEMO_SECS_OF=() SEED_SECS_OF=() TOTP_OF=() COUNTS_OF=() SIZE_OF=() CHECK_OF=()

if ((WITH_PG)); then start_pg_cluster "$WORK/pg"; fi

# What the data set must be, counted from the rows (the same on both databases).
count_sql() {
  cat <<SQL
SELECT (SELECT count(*) FROM companies) || ' ' || (SELECT count(*) FROM companies
  WHERE external_id LIKE 'B-_____') || ' ' || (SELECT count(*) FROM users) || ' '
  || (SELECT count(*) FROM memberships WHERE user_id = $ANNA_ID) || ' '
  || (SELECT count(*) FROM cases) || ' ' || (SELECT count(*) FROM case_comments) || ' '
  || (SELECT count(*) FROM case_comments WHERE internal = 1) || ' '
  || (SELECT count(*) FROM case_search) || ' '
  || (SELECT count(DISTINCT number) FROM cases WHERE org_id = $ORG_ID) || ' '
  || (SELECT last FROM case_numbers WHERE org_id = $ORG_ID) || ' '
  || (SELECT max(number) FROM cases WHERE org_id = $ORG_ID) || ' '
  || (SELECT count(*) FROM cases c JOIN memberships m ON m.company_id = c.company_id
      WHERE m.user_id = $ANNA_ID) || ' '
  || (SELECT count(*) FROM cases c JOIN memberships m ON m.company_id = c.company_id
      WHERE m.user_id = $ANNA_ID AND c.status = 'open')
SQL
}
# The statuses of all cases, as "status:count,...".
status_sql="SELECT status || ':' || count(*) FROM cases GROUP BY status ORDER BY status"
# Cases whose public text has a word (as the customer's search matches it), in all and anna's.
search_sql() { # db word
  local match
  if [[ "$1" == sqlite ]]; then
    match="SELECT rowid FROM case_search WHERE case_search MATCH '{number subject description comments} : (\"$2\"*)'"
  else
    match="SELECT case_id FROM case_search WHERE public_text @@ to_tsquery('simple', '''$2'':*')"
  fi
  echo "SELECT count(*) || ' ' || count(m.user_id) FROM cases c
    LEFT JOIN memberships m ON m.company_id = c.company_id AND m.user_id = $ANNA_ID
    WHERE c.id IN ($match)"
}

for db in "${DBS[@]}"; do
  T0="$(now_s)"
  log "$db: creating the demo database with portico demo"
  demo_into "$(db_url "$db")" "$(key_file "$db")" "$WORK/demo-$db.log"
  TOTP_OF[$db]="$(demo_totp_key "$EMAIL" "$WORK/demo-$db.log")"
  T1="$(now_s)"
  DEMO_SECS_OF[$db]="$(secs "$T0" "$T1")"
  ORG_ID="$("on_$db" "SELECT id FROM organizations WHERE name = '$ORG'")"
  ANNA_ID="$("on_$db" "SELECT id FROM users WHERE email = '$EMAIL'")"
  STAFF_ID="$("on_$db" "SELECT id FROM users WHERE email = '$STAFF_EMAIL'")"
  [[ -n "$ORG_ID" && -n "$ANNA_ID" && -n "$STAFF_ID" ]] || die "the $db demo database has no \"$ORG\", $EMAIL or $STAFF_EMAIL"
  BASE_CASE="$("on_$db" "SELECT COALESCE(max(id), 0) FROM cases")"
  BASE_COMMENT="$("on_$db" "SELECT COALESCE(max(id), 0) FROM case_comments")"
  BASE_NUMBER="$("on_$db" "SELECT last FROM case_numbers WHERE org_id = $ORG_ID")"
  [[ -n "$BASE_NUMBER" ]] || die "the $db demo database has no case number counter for \"$ORG\""
  log "$db: seeding $(thousands "$N_COMPANIES") companies and $(thousands "$N_CASES") cases with about $(thousands $((5 * N_CASES))) comments"
  cases_seed_sql "$db" >"$WORK/seed-$db.sql"
  "on_$db" <"$WORK/seed-$db.sql" >"$WORK/seed-$db.out" 2>&1 || { cat "$WORK/seed-$db.out" >&2; die "seeding $db failed"; }
  T2="$(now_s)"
  SEED_SECS_OF[$db]="$(secs "$T1" "$T2")"
  COUNTS_OF[$db]="$("on_$db" "$(count_sql)")"
  CHECK_OF[$db]="$("on_$db" "$status_sql" | paste -sd, -) $("on_$db" "$(search_sql "$db" "$SEARCH_WORD")") $("on_$db" "$(search_sql "$db" "$MISS_WORD")")"
  if [[ "$db" == sqlite ]]; then
    SIZE_OF[$db]="$(mib $(($(stat -c %s "$SQLITE_DB") / 1024)))"
  else
    SIZE_OF[$db]="$(mib $(($(on_postgres 'SELECT pg_database_size(current_database())') / 1024)))"
  fi
  log "$db: demo in ${DEMO_SECS_OF[$db]} s, seeding (with the search index and ANALYZE) in ${SEED_SECS_OF[$db]} s; ${SIZE_OF[$db]}"
  log "$db: counts ${COUNTS_OF[$db]}; statuses and searches ${CHECK_OF[$db]}"
done

read -r C_ALL C_GEN U_ALL ANNA_COMPANIES K_ALL M_ALL NOTES_ALL S_ALL K_NUMBERS K_LAST K_MAX ANNA_CASES ANNA_OPEN <<<"${COUNTS_OF[sqlite]}"
read -r STATUSES SEARCH_ALL SEARCH_ANNA MISS_ALL _ <<<"${CHECK_OF[sqlite]}"
if ((WITH_PG)); then
  [[ "${COUNTS_OF[sqlite]}" == "${COUNTS_OF[postgres]}" ]] ||
    die "the data sets differ: SQLite ${COUNTS_OF[sqlite]}, PostgreSQL ${COUNTS_OF[postgres]}"
  [[ "${CHECK_OF[sqlite]}" == "${CHECK_OF[postgres]}" ]] ||
    die "the statuses or search hits differ: SQLite ${CHECK_OF[sqlite]}, PostgreSQL ${CHECK_OF[postgres]}"
fi
((C_GEN == N_COMPANIES && ANNA_COMPANIES == ANNA_EXTRA + 2 && K_ALL >= N_CASES && S_ALL == K_ALL)) ||
  die "the seeded counts are not what was asked for: ${COUNTS_OF[sqlite]}"
((K_NUMBERS == K_ALL && K_LAST == K_MAX)) || die "case numbers are not unique or the counter is behind"
((ANNA_OPEN > PAGE && SEARCH_ANNA > PAGE)) || die "$EMAIL has too few open cases ($ANNA_OPEN) or search hits ($SEARCH_ANNA) for a full page"
((MISS_ALL == 0)) || die "\"$MISS_WORD\" was meant to be in no case"
COMMENTS_AVG="$(awk -v m="$M_ALL" -v k="$K_ALL" 'BEGIN { printf "%.2f", m / k }')"
SEARCH_PCT="$(awk -v s="$SEARCH_ALL" -v k="$K_ALL" 'BEGIN { printf "%.1f", 100 * s / k }')"

# ---------------------------------------------------------------- servers
serve_signed_in # URL_BASE, TOKEN_DB

short() { if [[ "$1" == sqlite ]]; then echo sqlite; else echo pg; fi; }
KINDS=(me open search)
declare -A PATH_OF=(
  [me]="/api/v1/me"
  [open]="/api/v1/cases?status=open&limit=$PAGE"
  [search]="/api/v1/cases?q=$SEARCH_WORD&limit=$PAGE"
)
NAMES=()
declare -A URL_OF=() TOKEN_OF=() BYTES_OF=() ITEMS_OF=()
for db in "${DBS[@]}"; do
  for kind in "${KINDS[@]}"; do
    name="$(short "$db")-$kind"
    NAMES+=("$name")
    URL_OF[$name]="${URL_BASE[$db]}${PATH_OF[$kind]}"
    TOKEN_OF[$name]="${TOKEN_DB[$db]}"
    status="$(http_status "${TOKEN_OF[$name]}" "${URL_OF[$name]}" "$WORK/$name.json")"
    [[ "$status" == 200 ]] || die "$name: GET ${PATH_OF[$kind]} answered $status: $(head -c 300 "$WORK/$name.json")"
    BYTES_OF[$name]="$(stat -c %s "$WORK/$name.json")"
    ITEMS_OF[$name]="$({ grep -o '"number":' "$WORK/$name.json" || true; } | wc -l)"
    if [[ "$kind" != me ]]; then
      ((ITEMS_OF[$name] == PAGE)) || die "$name: GET ${PATH_OF[$kind]} lists ${ITEMS_OF[$name]} cases, not $PAGE: $(head -c 300 "$WORK/$name.json")"
      [[ -n "$(json_field next_cursor <"$WORK/$name.json")" ]] || die "$name: the first page has no next_cursor"
    fi
  done
  # The open cases are all open; a word in no case finds none.
  [[ "$(grep -o '"status":"[a-z_]*"' "$WORK/$(short "$db")-open.json" | sort -u)" == '"status":"open"' ]] ||
    die "$(short "$db")-open lists cases that are not open"
  http_status "${TOKEN_DB[$db]}" "${URL_BASE[$db]}/api/v1/cases?q=$MISS_WORD&limit=$PAGE" "$WORK/$db-miss.json" >/dev/null
  ! grep -q '"number":' "$WORK/$db-miss.json" || die "$db: a search for \"$MISS_WORD\" found cases"
done
if ((WITH_PG)); then
  for kind in open search; do
    cmp -s "$WORK/sqlite-$kind.json" "$WORK/pg-$kind.json" ||
      log "note: the $kind page differs between SQLite and PostgreSQL (same data set)"
  done
fi
# One request at a time (after one not counted): what a call costs without a queue in front.
declare -A ALONE_OF=()
for name in "${NAMES[@]}"; do ALONE_OF[$name]="$(alone_ms "${TOKEN_OF[$name]}" "${URL_OF[$name]}" 5)"; done
log "every URL answers 200; the pages hold $PAGE cases ($EMAIL: $ANNA_CASES cases, $ANNA_OPEN open, $SEARCH_ANNA with \"$SEARCH_WORD\")"

# ---------------------------------------------------------------- load
QUIET_OK=1
if ((QUICK)); then log "--quick: not waiting for a quiet machine, disturbed runs are not repeated"; fi
wait_quiet || QUIET_OK=0
IDLE_BUSY=$LAST_BUSY; IDLE_STEAL=$LAST_STEAL
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"
before_run() { wait_idle; check_session "$1" "$2"; } # name url: idle servers, the session, the URL still 200
measure_names # WRK_ARGS, WRK_CMD
check_after_runs

# ---------------------------------------------------------------- summary
summarize_runs # RPS P99 RPS_RANGE P99_RANGE, PER_RUN, SPREAD
declare -A RATIO=() WHAT_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  for kind in "${KINDS[@]}"; do RATIO[$s-$kind]="$(ratio "${RPS[$s-$kind]}" "${RPS[$s-me]}")"; done
  WHAT_OF[$s-me]="GET /api/v1/me (the reference: $EMAIL's ${ANNA_COMPANIES} companies)"
  WHAT_OF[$s-open]="GET ${PATH_OF[open]}: newest $PAGE of her $(thousands "$ANNA_OPEN") open cases"
  WHAT_OF[$s-search]="GET ${PATH_OF[search]}: newest $PAGE of her $(thousands "$SEARCH_ANNA") cases with \"$SEARCH_WORD\""
done
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
REASONS=()
declare -A VERDICT_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  label="$([[ $db == sqlite ]] && echo SQLite || echo PostgreSQL)"
  before=${#REASONS[@]}
  lt "${RATIO[$s-open]}" 0.5 && REASONS+=("$label: the open list reaches ${RATIO[$s-open]}× the throughput of /me (needed: ≥ 0.5×)")
  lt "${P99[$s-open]}" 10 || REASONS+=("$label: the open list's p99 is ${P99[$s-open]} ms (needed: < 10 ms)")
  lt "${P99[$s-search]}" 50 || REASONS+=("$label: the search's p99 is ${P99[$s-search]} ms (needed: < 50 ms)")
  for kind in "${KINDS[@]}"; do
    ((NON2XX_OF[$s-$kind] + SOCKERR_OF[$s-$kind] == 0)) ||
      REASONS+=("$label: the $kind runs had ${NON2XX_OF[$s-$kind]} non-2xx/3xx answers and ${SOCKERR_OF[$s-$kind]} socket errors")
  done
  if ((${#REASONS[@]} == before)); then VERDICT_OF[$db]=met; else VERDICT_OF[$db]=missed; fi
done
VERDICT=met
((${#REASONS[@]} == 0)) || VERDICT=missed
((WITH_PG)) || VERDICT="${VERDICT} (SQLite only)"

table() { # db: the summary table of one database
  local s name
  s="$(short "$1")"
  echo "| name | request | response bytes | one request alone, ms (median of 5) | req/s (median of $RUNS) | p99 ms (median of $RUNS) | ratio to /me | target | non-2xx/3xx | socket errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
  for kind in "${KINDS[@]}"; do
    name="$s-$kind"
    local target="reference"
    case "$kind" in
      open)
        if ! lt "${RATIO[$name]}" 0.5 && lt "${P99[$name]}" 10; then target="met (≥ 0.5×, p99 < 10 ms)"
        else target="**missed** (≥ 0.5×, p99 < 10 ms)"; fi ;;
      search)
        if lt "${P99[$name]}" 50; then target="met (p99 < 50 ms)"; else target="**missed** (p99 < 50 ms)"; fi ;;
    esac
    echo "| $name | ${WHAT_OF[$name]} | ${BYTES_OF[$name]} | ${ALONE_OF[$name]} | ${RPS[$name]} | ${P99[$name]} | ${RATIO[$name]} | $target | ${NON2XX_OF[$name]} | ${SOCKERR_OF[$name]} |"
  done
}
DATASET="$(thousands "$K_ALL") cases ($(thousands "$N_CASES") generated, $(thousands $((N_CASES / N_COMPANIES))) in each of $(thousands "$N_COMPANIES") generated companies; $(thousands "$C_ALL") companies in all), $(thousands "$M_ALL") comments ($COMMENTS_AVG a case, $(thousands "$NOTES_ALL") of them internal notes), $(thousands "$S_ALL") rows in the search index, $(thousands "$U_ALL") users; statuses ${STATUSES//,/, }; \`$EMAIL\` is a member of $ANNA_COMPANIES companies with $(thousands "$ANNA_CASES") cases ($(thousands "$ANNA_OPEN") open); \"$SEARCH_WORD\" is in $(thousands "$SEARCH_ALL") cases ($SEARCH_PCT%), $(thousands "$SEARCH_ANNA") of them hers; \"$MISS_WORD\" in none"

echo
echo "Per run:"
echo "$PER_RUN"
for db in "${DBS[@]}"; do
  echo
  echo "$db ($WRK_CMD):"
  table "$db"
done
echo
echo "Spread over the $RUNS counted runs: $SPREAD"
echo "Dataset: $DATASET"
for db in "${DBS[@]}"; do
  echo "$db: ${SIZE_OF[$db]}; demo in ${DEMO_SECS_OF[$db]} s, seeding in ${SEED_SECS_OF[$db]} s"
done
echo "Target: the open list ≥ 0.5× /me with p99 < 10 ms, search p99 < 50 ms, on each database -> $VERDICT"
for reason in "${REASONS[@]}"; do echo "  - $reason"; done
if ((QUICK)); then echo "(--quick: a smoke test with short runs; not a measurement)"; fi

# ---------------------------------------------------------------- docs
if ((WRITE_DOCS)); then
  CMD="bash bench/cases.sh --write-docs"
  for v in BENCH_DURATION BENCH_RUNS BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP BENCH_QUIET_WAIT BENCH_CASES BENCH_COMPANIES; do
    [[ -n "${!v:-}" ]] && CMD="$v=${!v} $CMD"
  done
  BIN_TEXT="\`build/src/app/portico\`"
  [[ -n "${PORTICO_BIN:-}" ]] && BIN_TEXT="the binary of \`PORTICO_BIN\` (a build of this tree)"
  if [[ $VERDICT == met ]]; then
    VERDICT_TEXT="**Met.** The first page of $PAGE open cases across the caller's companies reaches ${RATIO[sqlite-open]}× (SQLite) and ${RATIO[pg-open]}× (PostgreSQL) the throughput of \`GET /api/v1/me\` (needed: ≥ 0.5×) with a median p99 of ${P99[sqlite-open]} and ${P99[pg-open]} ms (needed: < 10 ms); text search has a median p99 of ${P99[sqlite-search]} and ${P99[pg-search]} ms (needed: < 50 ms); no error responses."
  else
    VERDICT_TEXT="**Missed.** $(IFS=';'; echo "${REASONS[*]}" | sed 's/;/; /g')."
  fi
  if ((DISTURBED_KEPT > 0 || QUIET_OK == 0)); then
    VERDICT_TEXT+=" Caution: other processes were using the CPUs during this measurement (see \"interference\"), so the figures are lower and noisier than on a quiet machine."
  fi
  cat >"$WORK/section.md" <<EOF
$SECTION

This section is written by \`bash bench/cases.sh --write-docs\` (\`bench/run.sh --write-docs\`
keeps it); rerun it to refresh the figures.

### Target

With 1 million cases over 10,000 companies (and 5 comments each on average) in the database: the
first page of $PAGE cases across the caller's companies (a user of 20 companies, filtered by
status) reaches at least 0.5× the throughput of \`GET /api/v1/me\` measured in the same run, with
p99 under 10 ms at $CONNS connections, on SQLite and on PostgreSQL; text search over the same data
has p99 under 50 ms.

Result: $VERDICT_TEXT

### Results

| | |
| --- | --- |
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| commit | \`$(git rev-parse --short HEAD 2>/dev/null || echo unknown)\` (the working tree may hold uncommitted changes) |
| machine | $(machine_info) |
| build | $BIN_TEXT built $(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC'), compiler flags: \`$(build_flags)\` |
| tools | wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), sqlite3 $(sqlite3 --version | awk '{print $1}'), PostgreSQL $PG_VERSION (its own cluster, durable: fsync and synchronous commit on, default settings otherwise) |
| command | \`$CMD\` |
| data set | on both: $DATASET |
| databases | SQLite file ${SIZE_OF[sqlite]} after \`ANALYZE\` and a WAL checkpoint; PostgreSQL database ${SIZE_OF[postgres]} after \`VACUUM ANALYZE\`. \`portico demo\` took ${DEMO_SECS_OF[sqlite]} s and ${DEMO_SECS_OF[postgres]} s, the seeding (rows, search index, statistics) ${SEED_SECS_OF[sqlite]} s with sqlite3 and ${SEED_SECS_OF[postgres]} s with psql |
| machine state before the load | ${IDLE_BUSY}% CPU busy with the servers idle, ${IDLE_STEAL}% hypervisor steal in a 1 s probe keeping all CPUs busy$( ((QUIET_OK)) || echo ' (**not quiet**)'), load average $LOADAVG |
| interference | $REPEATED disturbed run(s) repeated, $DISTURBED_KEPT kept; at most ${MAX_OTHER}% CPU used by other processes and ${MAX_STEAL}% steal during a run |
| load | \`$WRK_CMD\`, $RUNS runs per URL in the order of the tables (SQLite, then PostgreSQL), after a $WARMUP warm-up of each |

SQLite (result: ${VERDICT_OF[sqlite]}):

$(table sqlite)

PostgreSQL (result: ${VERDICT_OF[postgres]}):

$(table postgres)

Spread over the $RUNS counted runs: $SPREAD.

Per run:

$PER_RUN

### What is measured

- **data set**: on each database \`portico demo\` creates the demo data (organization "$ORG",
  3 companies, 3 cases), then one transaction of SQL (sqlite3 with recursive CTEs, psql with
  \`generate_series\`) adds $(thousands "$N_COMPANIES") managed companies with one user each (the
  requester of the company's cases), memberships of \`$EMAIL\` (role \`user\`, which holds
  \`support.view\`) in $ANNA_EXTRA of them, $(thousands "$N_CASES") cases ($(thousands $((N_CASES / N_COMPANIES))) a company, created over the last
  year in the order of their ids, numbers from the organization's counter, statuses and
  priorities mixed by a hash of the case's number, a case resolved more than 13 days ago closed
  as the housekeeping would have closed it) and 0 to 10 comments a case. Subjects, descriptions
  and comments are made of fixed lists of phrases: the subject names one of 50 products, so a
  product word is in about 2% of the cases, and a word outside the lists in none. Each case's row
  of the search index is written by the statement the service uses
  (\`CaseRepository::indexForSearch\`): FTS5 on SQLite, \`tsvector\`s with GIN indexes on
  PostgreSQL (the indexes made after the rows, as the migration defines them). Then \`ANALYZE\`
  (SQLite) or \`VACUUM ANALYZE\` (PostgreSQL). The counts above are read back from both databases
  and agree; the case history (\`case_changes\`) and participants stay empty, as neither call
  reads them.
- **server**: one \`portico serve --no-access-log\` per database, both running; the script signs
  in as \`$EMAIL\` on each (password, then the TOTP code from \`oathtool\`) and checks that every
  URL answers 200 with a full page of $PAGE cases and a next cursor, that the open page holds only
  open cases and that a search for "$MISS_WORD" finds none. \`bench/auth.lua\` sends the session
  as \`Authorization: Bearer TOKEN\`.
- **me**: the reference, on the same database: session lookup plus the caller's companies with
  their roles and permissions.
- **open**: the case list of a portal user across every company where she holds
  \`support.view\` ($ANNA_COMPANIES, $(thousands "$ANNA_CASES") cases), filtered by status, newest first, one page
  of $PAGE with its next cursor and the counts per status (the same scope and filters without the
  status).
- **search**: the same list with \`q=$SEARCH_WORD\` instead of the status filter: the cases whose
  number, subject, description or public comments hold a word starting with it (FTS5 \`MATCH\` on
  SQLite, \`@@ to_tsquery\` on PostgreSQL), newest first, with the counts per status.
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
- The text is synthetic: few distinct words, repeated often, so the index's lists of cases per
  word are long and its vocabulary small, unlike real support cases in three languages.
EOF
  write_doc_section "$SECTION" "$WORK/section.md"
fi
