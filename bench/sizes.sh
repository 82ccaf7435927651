#!/usr/bin/env bash
# bench/sizes.sh - the space the companies data set takes on PostgreSQL, per table and per row, for
# docs/scaling.md: a durable cluster of its own (tests/support/pg_cluster.sh), `portico demo`, the
# data set of bench/companies.sh (bench/lib.sh seed_companies_sql: 10,000 companies, 100,000 users,
# 300,000 memberships), VACUUM ANALYZE, then pg_total_relation_size (table, indexes and TOAST) of
# the largest tables, as a Markdown table.
#   bash bench/sizes.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/bench/lib.sh"
require_tools curl
ensure_binary
make_workdir portico-sizes
chmod 755 "$WORK"
bench_cleanup() { bash tests/support/pg_cluster.sh stop "$WORK/pg" >/dev/null 2>&1; }
url="$(PG_CLUSTER_DURABLE=1 bash tests/support/pg_cluster.sh start "$WORK/pg")"
psql "$url" -qc 'CREATE DATABASE portico_sizes'
db="${url%/*}/portico_sizes"
port="$(free_port)" || die "no free port"
"$BIN" demo --db "$db" --key-file "$WORK/key" --mail-outbox "$WORK/mail" --sms-outbox "$WORK/sms" \
  --listen "127.0.0.1:$port" --no-access-log >"$WORK/demo.log" 2>&1 &
DEMO_PID=$!
wait_serving "$DEMO_PID" "$WORK/demo.log"
stop_pid "$DEMO_PID"; DEMO_PID=""
q() { psql "$db" -Atq -v ON_ERROR_STOP=1 "$@"; }
ORG_ID="$(q -c "SELECT id FROM organizations WHERE name = 'Northwind Service'")"
ANNA_ID="$(q -c "SELECT id FROM users WHERE email = 'anna@acme.example'")"
N_COMPANIES=10000 N_USERS=100000 ANNA_EXTRA=20
seed_companies_sql postgres | q >/dev/null
q -c 'VACUUM ANALYZE'
echo "| table | rows | table + indexes | bytes a row |"
echo "| --- | ---: | ---: | ---: |"
q -F ' ' -c "SELECT relname, reltuples::bigint, pg_total_relation_size(c.oid) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind = 'r'
  AND reltuples > 100 ORDER BY 3 DESC" |
  while read -r name rows bytes; do
    echo "| $name | $rows | $(mib $((bytes / 1024))) | $((bytes / rows)) |"
  done
echo
echo "database: $(mib $(($(q -c 'SELECT pg_database_size(current_database())') / 1024))), PostgreSQL $(q -c 'SHOW server_version' | awk '{print $1}')"
