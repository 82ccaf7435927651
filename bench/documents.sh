#!/usr/bin/env bash
# bench/documents.sh - Portico's business records and store with a large database: 1,000,000
# invoices of 10 lines each over 10,000 companies, imported through the integration API's bulk
# upsert, and 5,000 products with price lists, on SQLite and on PostgreSQL, against nginx serving
# static files of the same bytes in the same run.
#
# Usage (from the repository root):
#   bash bench/documents.sh                  # run and print the summary
#   bash bench/documents.sh --write-docs     # also add or replace the section
#                                            # "## Documents and the store at scale (issue 12)"
#                                            # in docs/benchmarks.md
#   bash bench/documents.sh --quick          # smoke test: 20,000 invoices over 1,000 companies,
#                                            # -d3s, 1 run, 1s warm-up, no waiting for a quiet
#                                            # machine, disturbed runs not repeated
#                                            # (not with --write-docs)
#   bash bench/documents.sh --sqlite-only    # leave PostgreSQL out (not with --write-docs)
#   bash bench/documents.sh --help
#
# Target (issue 12): with 1 million invoices (10 lines each) over 10,000 companies in the
# database, the first page of 20 invoices across a user's 20 companies, filtered by status,
# reaches at least 0.35x nginx's static-file throughput in the same run, with p99 under 10 ms at
# 64 connections, on SQLite and on PostgreSQL; the store's product list with the customer's
# prices, over 5,000 products, reaches at least 0.3x nginx; rendering an invoice PDF takes at
# most 50 ms; importing the million invoices through /bulk runs at 50,000 rows/s or more. No
# error responses.
#
# What it does:
#   1. Installs wrk, nginx, oathtool, curl, procps, python3, sqlite3 and PostgreSQL (server and
#      psql) with apt-get if any is missing, and builds build/src/app/portico if it is missing
#      (as bench/run.sh does). PORTICO_BIN runs another binary instead.
#   2. Writes the data set as NDJSON files with python3 (its generation is not timed):
#        - 10,000 companies B-00001 ... B-10000, buying in SEK;
#        - 5,000 products P-00001 ... in 50 categories, list prices in SEK and EUR (every 100th
#          without a SEK price: "ask for a quote"), licence types in 5 of the categories, every
#          50th restricted (seen only by companies whose price lists name it);
#        - 106 price lists: three for every customer (a campaign of category discounts with an
#          end date, one starting in the future; volume discounts from a minimum quantity and
#          fixed prices; one in EUR), one inactive, two naming B-00001 (the benchmark's store
#          company: 12% off everything, category discounts, fixed prices for 200 products of
#          which 50 restricted, one expired rule; fixed prices from 10 pieces and category
#          discounts within dates) and 100 naming other companies;
#        - 1,000,000 invoices, invoice i (1-based) in company (i - 1) mod 10000, so 100 a company,
#          dated over the two years before today in the order of i, due 30 days later, each
#          with 10 lines (one of 30 articles, 1 to 12 of it, VAT 25, 12 or 0%), a title, a
#          reference and a billing address; statuses by a hash of i: of those not yet due 80%
#          issued, 5% partially paid, 15% paid; of the older ones 88% paid, 4% issued (overdue),
#          1% partially paid, 2% void, 5% credited; 5,000 invoices a request (about 7 MB);
#        - 20 orders of 10 lines in B-00001 (the PDF that is rendered at every request).
#   3. Starts a PostgreSQL cluster of its own with tests/support/pg_cluster.sh in the temporary
#      directory, durable (PG_CLUSTER_DURABLE=1), as bench/postgres.sh does.
#   4. On each database: `portico demo` (stopped once it serves; the TOTP keys it prints are
#      read), `portico api-key create`, `portico serve --no-access-log`; then POSTs the files to
#      POST /api/v1/integration/{companies,products,price-lists,invoices,orders}/bulk one after
#      the other with curl (Content-Type: application/x-ndjson, the key as bearer). The invoice
#      pass is timed (its wall time, curl's transfers included: rows/s = invoices / seconds).
#      Every answer must be 200 with every line created and none failed (checked after the
#      pass). On PostgreSQL only the first BENCH_PG_BULK invoices (100,000) go through /bulk
#      (a million takes about twenty minutes there); the rest are copied from the rows the
#      SQLite import wrote (sqlite3 -csv into psql's \copy, then one INSERT ... SELECT, audit
#      entries included), so that both databases hold the same records.
#   5. Then SQL on each: memberships (role "user", which holds invoices.view and store.view) of
#      anna@acme.example in 20 of the generated companies (B-00001, B-00501, ..., B-09501)
#      beside her 2 demo companies; ANALYZE and a WAL checkpoint (SQLite), VACUUM ANALYZE
#      (PostgreSQL). The rows are counted on both and must agree.
#   6. Starts `portico serve --no-access-log` on each database, signs in as anna@acme.example
#      (password, then TOTP) and checks that every URL answers 200 with a full first page:
#        invoices  GET /api/v1/invoices?status=issued&limit=20   (only issued invoices)
#        store     GET /api/v1/store/products?company_id=ID&limit=20   (B-00001, her prices)
#      and starts nginx (worker_processes auto, access_log off) serving two static files with
#      the exact bytes of SQLite's answers (as bench/run.sh does).
#   7. Waits for a quiet machine, then times the PDFs one request at a time with curl: 20
#      invoices in B-00001 that have no PDF yet (the first GET renders and freezes it: each is
#      timed once), one of them again (the frozen PDF, 5 times), and an order 20 times (orders
#      are not frozen: every GET renders), after one order PDF not counted.
#   8. Warms every URL up (2 s each, not counted), then runs
#        wrk -t2 -c64 -d10s --latency -s bench/auth.lua URL
#      3 times against each, alternating nginx / sqlite / pg for the invoices, then the store.
#      The interference check of bench/run.sh applies (the CPU of portico, nginx and
#      PostgreSQL's processes is the servers'; a disturbed run is repeated, at most twice).
#   9. Prints per-run figures and a summary (median req/s, median p99, ratio to nginx's file of
#      the same bytes) and checks the targets.
#  10. With --write-docs, adds the section "## Documents and the store at scale (issue 12)" at
#      the end of docs/benchmarks.md, or replaces it where it is; the rest of the file stays.
# The NDJSON files are about 1.4 GB; the databases about 2 GB each.
#
# Environment overrides (defaults in brackets; the docs record any that are set):
#   BENCH_DURATION [10s]  BENCH_RUNS [3]  BENCH_THREADS [2]  BENCH_CONNECTIONS [64]
#   BENCH_WARMUP [2s]     BENCH_QUIET_WAIT [300] (seconds to wait for a quiet machine)
#   BENCH_INVOICES [1000000] BENCH_COMPANIES [10000] BENCH_PRODUCTS [5000] (a smaller data set,
#     to try the script out; --quick: 20000, 1000, 5000)
#   BENCH_PER_REQUEST [5000] (invoices a /bulk request)
#   BENCH_PG_BULK [100000] (invoices imported through /bulk on PostgreSQL, a multiple of
#     BENCH_PER_REQUEST; all of them when it is at least BENCH_INVOICES)
#   BENCH_PDFS [20]       (invoice PDFs rendered and timed on each database)
#   BENCH_KEEP_TMP [0]    (1 = keep the temp dir with the databases, logs and wrk outputs)
#   PORTICO_BIN [build/src/app/portico] (the binary to run; it is not built when given)
#
# Exit status: 0 when the benchmark ran (whether or not the targets were met), non-zero when
# something failed (setup, an import answer that was not 200 or had failed lines, counts that
# differ, sign-in, a URL not answering 200, wrk).
# Note: wrk, nginx, portico and PostgreSQL share the same cores, so the figures are comparative
# (the ratios to nginx), not absolute capacity.

set -euo pipefail

# (PORTICO_BIN may be relative to the caller's directory: resolved before lib.sh changes into ROOT)
if [[ -n "${PORTICO_BIN:-}" ]]; then PORTICO_BIN="$(realpath -m "$PORTICO_BIN")"; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/lib.sh"
bench_settings_db documents.sh "$@" # WITH_PG, the load's settings (DURATION, RUNS...), EMAIL...

if ((QUICK)); then
  N_INVOICES="${BENCH_INVOICES:-20000}"; N_COMPANIES="${BENCH_COMPANIES:-1000}"
else
  N_INVOICES="${BENCH_INVOICES:-1000000}"; N_COMPANIES="${BENCH_COMPANIES:-10000}"
fi
N_PRODUCTS="${BENCH_PRODUCTS:-5000}"
PER_REQUEST="${BENCH_PER_REQUEST:-5000}"
PG_BULK="${BENCH_PG_BULK:-100000}"
N_PDFS="${BENCH_PDFS:-20}"
ANNA_EXTRA=20 # anna's generated companies: every (N_COMPANIES / ANNA_EXTRA)th
PAGE=20
STATUS="issued"
N_ORDERS=20
SECTION="## Documents and the store at scale (issue 12)"
# The targets
T_LIST=0.35 T_P99=10 T_STORE=0.3 T_PDF=50 T_IMPORT=50000
for v in N_INVOICES N_COMPANIES N_PRODUCTS PER_REQUEST PG_BULK N_PDFS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number (BENCH_* overrides)"
done
((N_COMPANIES >= 200 && N_COMPANIES % ANNA_EXTRA == 0 && N_COMPANIES <= 99999)) ||
  die "BENCH_COMPANIES must be a multiple of $ANNA_EXTRA from 200 to 99,999"
((N_INVOICES >= N_COMPANIES && N_INVOICES <= 9999999)) || die "BENCH_INVOICES must be from BENCH_COMPANIES to 9,999,999"
((N_PRODUCTS >= 500 && N_PRODUCTS <= 99999)) || die "BENCH_PRODUCTS must be from 500 to 99,999"
((PER_REQUEST >= 100 && PER_REQUEST <= 6000)) || die "BENCH_PER_REQUEST must be from 100 to 6,000 (a request holds 10 MiB at most)"
((PG_BULK >= N_INVOICES)) && PG_BULK=$N_INVOICES
((PG_BULK > 0 && (PG_BULK % PER_REQUEST == 0 || PG_BULK == N_INVOICES))) ||
  die "BENCH_PG_BULK must be a multiple of BENCH_PER_REQUEST ($PER_REQUEST)"
((N_PDFS >= 1 && N_PDFS * ANNA_EXTRA <= N_INVOICES)) || die "BENCH_PDFS must be from 1 to BENCH_INVOICES / $ANNA_EXTRA"

# ---------------------------------------------------------------- tools, binary
require_tools wrk nginx oathtool curl procps python3 sqlite3
if ((WITH_PG)); then require_postgres; fi
use_portico_bin
make_workdir portico-documents
chmod 755 "$WORK" # the cluster's server may run as the user postgres, nginx's workers as nobody

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
secs2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%d", (b > a ? n / (b - a) : 0) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# ---------------------------------------------------------------- the NDJSON files
TODAY_DAY=$(($(date +%s) / 86400)) # the same date for both data sets
NDJSON="$WORK/ndjson"
mkdir -p "$NDJSON"
log "writing the data set as NDJSON: $(thousands "$N_COMPANIES") companies, $(thousands "$N_PRODUCTS") products, price lists, $(thousands "$N_INVOICES") invoices ($(thousands "$PER_REQUEST") a file), $N_ORDERS orders"
T0="$(now_s)"
python3 - "$NDJSON" "$N_INVOICES" "$N_COMPANIES" "$N_PRODUCTS" "$PER_REQUEST" "$TODAY_DAY" "$N_ORDERS" <<'EOF'
import datetime, json, sys

work = sys.argv[1]
n_inv, n_comp, n_prod, per, today, n_orders = map(int, sys.argv[2:8])


def dumps(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def h(salt, x):  # a pseudo-random number 0..32767 of x (one step of a linear congruential generator)
    return ((x * salt + 7) * 1103515245 + 12345) % 2147483648 // 65536


def day(d):  # "YYYY-MM-DD" of a day number (days since 1970-01-01)
    return (datetime.date(1970, 1, 1) + datetime.timedelta(days=d)).isoformat()


def money(minor):
    return f"{minor // 100}.{minor % 100:02d}"


def write(kind, records, size, first=0):  # KIND-0000.ndjson ... of `size` records each
    for f in range(0, len(records), size):
        with open(f"{work}/{kind}-{first + f // size:04d}.ndjson", "w") as out:
            out.write("".join(r + "\n" for r in records[f:f + size]))


def company(k):  # external id of the generated company k (0-based)
    return f"B-{k + 1:05d}"


# Companies: every customer buys in SEK.
write("companies", [dumps({"external_id": company(k), "name": f"Bench Customer {k + 1:05d} AB",
                           "org_number": f"556{k + 1:07d}", "currency": "SEK"})
                    for k in range(n_comp)], 10000)

# Products: 50 categories, names "<adjective> <category noun> <number>", sorted by name in the
# catalogue.
nouns = ["Water Filter", "UV Lamp", "Purifier", "Coffee Machine", "Grinder", "Kettle", "Cooler",
         "Dispenser", "Pump", "Valve", "Hose", "Cartridge", "Tank", "Sensor", "Gateway", "Display",
         "Router", "Switch", "Access Point", "Camera", "Printer", "Scanner", "Label Printer",
         "Headset", "Monitor", "Dock", "Charger", "Battery", "Cable", "Adapter", "Shelf", "Cabinet",
         "Chair", "Desk", "Lamp", "Heater", "Fan", "Dehumidifier", "Air Purifier", "Thermostat",
         "Monitoring Licence", "API Licence", "Backup Licence", "Support Plan", "Training",
         "Coffee Beans", "Tea", "Cleaning Agent", "Descaler", "Spare Part Kit"]
adjectives = ["Alpha", "Basic", "Compact", "Deluxe", "Eco", "Flex", "Grand", "Heavy", "Industrial",
              "Junior", "Kompakt", "Large", "Mini", "Nordic", "Office", "Pro", "Quiet", "Rapid",
              "Smart", "Total", "Ultra", "Vario", "Wide", "Xtra", "Zero"]
sentences = ["Suits offices of up to 30 people.", "Two-year warranty, parts and labour.",
             "Delivered assembled and tested.", "Energy class A, low standby consumption.",
             "Replace the filter every six months.", "Works with the monitoring service.",
             "Made in Sweden from recycled materials.", "Fits the standard wall bracket.",
             "Includes installation within 50 km.", "Spare parts available for ten years."]
categories = [n if n.endswith(("Licence", "Plan", "Training", "Beans", "Tea", "Agent", "Kit"))
              else n[:-1] + "ies" if n.endswith("y") else n + "s" for n in nouns]
licensed = {40, 41, 42, 43, 44}
records = []
for p in range(1, n_prod + 1):
    c = (p - 1) % 50
    sek = 4900 + h(89, p) * 97 // 10 * 10
    r = {"external_id": f"P-{p:05d}", "sku": f"SKU-{p:05d}",
         "name": f"{adjectives[h(83, p) % 25]} {nouns[c]} {p:05d}",
         "description": " ".join(sentences[h(97 + s, p) % 10] for s in range(3)),
         "category": categories[c], "family": f"family-{c}" if c < 20 else "",
         "unit": "year" if c in licensed else "pcs",
         "vat_rate": "12" if c in (45, 46) else "25",
         "list_prices": {"EUR": money(sek * 10 // 115)} if p % 100 == 0 else
                        {"SEK": money(sek), "EUR": money(sek * 10 // 115)},
         "restricted": p % 50 == 0}
    if c in licensed:
        r["licences"] = [{"name": "Per user", "description": "One licence for each named user."},
                         {"name": "Site", "description": "Every user at one site, billed yearly in advance."}]
    records.append(dumps(r))
write("products", records, 10000)


def product(p):
    return f"P-{p:05d}"


# Price lists: for every customer, for B-00001 (the benchmark's store company) and for others.
until, future, past = day(today + 30), day(today + 10), day(today - 10)
lists = [
    {"external_id": "ALL-CAMPAIGN", "name": "Campaign", "currency": "SEK", "priority": 0,
     "rules": [{"category": categories[c], "discount": "10", "valid_until": until} for c in range(0, 25, 5)]
              + [{"category": categories[3], "discount": "20", "valid_from": future}]},
    {"external_id": "ALL-VOLUME", "name": "Volume prices", "currency": "SEK", "priority": 1,
     "rules": [{"discount": "5", "min_quantity": "10"}]
              + [{"product_external_id": product(p), "price": money(4900 + h(101, p) * 50), "min_quantity": "5"}
                 for p in range(7, n_prod + 1, max(1, n_prod // 50))]},
    {"external_id": "ALL-EUR", "name": "Euro customers", "currency": "EUR", "priority": 0,
     "rules": [{"discount": "3"}]},
    {"external_id": "ALL-OLD", "name": "Last year's prices", "currency": "SEK", "priority": 5,
     "active": False,
     "rules": [{"product_external_id": product(p), "price": "1.00"} for p in range(1, 101)]},
    {"external_id": "FRAME-B-00001", "name": "Framework agreement", "currency": "SEK",
     "priority": 10, "company_external_ids": [company(0)], "valid_from": day(today - 365),
     "rules": [{"discount": "12"}]
              + [{"category": categories[c], "discount": str(15 + c % 6)} for c in range(1, 50, 5)]
              + [{"product_external_id": product(p), "price": money(3900 + h(103, p) * 40)}
                 for p in list(range(3, n_prod + 1, max(1, n_prod // 150)))[:150]
                 + list(range(50, 50 * 51, 50))[:50]]
              + [{"product_external_id": product(11), "price": "0.50", "valid_until": past}]},
    {"external_id": "FRAME-B-00001-EXTRA", "name": "Framework agreement, volumes",
     "currency": "SEK", "priority": 5, "company_external_ids": [company(0), company(n_comp // 20)],
     "rules": [{"product_external_id": product(p), "price": money(2900 + h(107, p) * 30), "min_quantity": "10"}
               for p in range(5, n_prod + 1, max(1, n_prod // 20))][:20]
              + [{"category": categories[c], "discount": "8", "valid_from": day(today - 30), "valid_until": until}
                 for c in range(2, 50, 10)]},
]
anna = {k for k in range(0, n_comp, n_comp // 20)}
others = [k for k in range(1, n_comp) if k not in anna][:100]
for k in others:
    lists.append({"external_id": f"FRAME-{company(k)}", "name": f"Agreement {company(k)}",
                  "currency": "SEK", "priority": 10, "company_external_ids": [company(k)],
                  "rules": [{"discount": str(5 + k % 10)}]
                           + [{"product_external_id": product((k * 37 + j * 211) % n_prod + 1),
                               "price": money(1000 + j * 100)} for j in range(20)]})
write("price-lists", [dumps(r) for r in lists], 10000)

# The articles of the invoices' and orders' lines: sku, description, unit, unit price (öre), VAT.
items = [
    ("SRV-V", "Servicebesök på plats", "h", 95000, 2500), ("SRV-INST", "Installation", "st", 450000, 2500),
    ("SRV-M", "Service per månad", "mån", 115000, 2500), ("FLT-100", "Kolfilterpatron F100", "st", 24900, 2500),
    ("FLT-200", "Kolfilterpatron F200", "st", 34900, 2500), ("FLT-SED", "Sedimentfilter 5 µm", "st", 18900, 2500),
    ("UV-40", "UV-lampa 40 W", "st", 128000, 2500), ("UV-25", "UV-lampa 25 W", "st", 98000, 2500),
    ("LIC-MON", "Övervakningslicens per enhet", "år", 240000, 2500),
    ("LIC-API", "API-åtkomst till mätdata", "år", 600000, 2500),
    ("CO2-10", "Kolsyrecylinder 10 kg", "st", 79000, 2500), ("BTL-1", "Glasflaska 1 l med logotyp", "st", 14900, 2500),
    ("TRV-KM", "Resa, per mil", "mil", 6500, 2500), ("PRT-VLV", "Ventil, reservdel", "st", 42000, 2500),
    ("PRT-PMP", "Pump, reservdel", "st", 189000, 2500), ("PRT-HOS", "Slang 2 m", "st", 9900, 2500),
    ("CHEM-CL", "Rengöringsmedel 5 l", "st", 29900, 2500), ("COF-B", "Kaffebönor 1 kg", "kg", 21900, 1200),
    ("TEA-L", "Te, lösvikt 500 g", "st", 15900, 1200), ("SNK-F", "Fruktkorg", "st", 39900, 1200),
    ("MAN-B", "Bruksanvisning, tryckt", "st", 4900, 2500), ("TRN-1", "Utbildning, halvdag", "st", 650000, 2500),
    ("RNT-AQ", "Hyra vattenrenare", "mån", 89000, 2500), ("RNT-CF", "Hyra kaffemaskin", "mån", 119000, 2500),
    ("INS-A", "Försäkring utrustning", "mån", 19000, 0), ("ADM-FEE", "Fakturaavgift", "st", 4900, 2500),
    ("SRV-EM", "Jourutryckning", "st", 250000, 2500), ("SRV-OT", "Övertid tekniker", "h", 142500, 2500),
    ("PKG-1", "Emballage", "st", 2500, 2500), ("FRT-1", "Frakt", "st", 19900, 2500),
]
# Every line an article and a quantity (1..12) make, as JSON, with its amount and VAT rate.
fragments = [[(dumps({"sku": s, "description": d, "quantity": str(q), "unit": u,
                      "unit_price": money(p), "vat_rate": str(v // 100)}), q * p, v)
              for q in range(1, 13)] for s, d, u, p, v in items]


def lines_of(i, salt):  # the 10 lines of record i as JSON, and the record's total with VAT
    out, per_rate = [], {}
    for j in range(10):
        text, amount, rate = fragments[h(salt + 2 * j, i) % len(items)][h(salt + 2 * j + 1, i) % 12]
        out.append(text)
        per_rate[rate] = per_rate.get(rate, 0) + amount
    # VAT per rate on its lines' sum, rounded half away from zero, as the service computes it
    vat = sum((s * r + 5000) // 10000 for r, s in per_rate.items())
    return ",".join(out), sum(per_rate.values()) + vat


span = 730
records = []
for i in range(1, n_inv + 1):
    k = (i - 1) % n_comp
    d = today - span + (i - 1) * span // n_inv
    u = h(37, i) % 100
    if d + 30 >= today:  # not due yet
        status = "issued" if u < 80 else "partially_paid" if u < 85 else "paid"
    else:
        status = ("paid" if u < 88 else "issued" if u < 92 else "partially_paid" if u < 93
                  else "void" if u < 95 else "credited")
    lines, total = lines_of(i, 41)
    paid = total if status == "paid" else total // 2 if status == "partially_paid" else 0
    records.append(
        f'{{"external_id":"BI{i:07d}","company_external_id":"{company(k)}","number":"F-B{i:07d}",'
        f'"currency":"SEK","status":"{status}","title":"Service {day(d)[:7]}",'
        f'"reference":"PO-{h(61, i) % 100000:05d}","date":"{day(d)}","due_date":"{day(d + 30)}",'
        f'"billing_address":"Box {h(67, i) % 9000 + 100}\\n{h(71, i) % 900 + 100} {h(73, i) % 90 + 10} Stockholm",'
        f'"language":"{"sv" if k % 3 == 0 else "en"}","paid":"{money(paid)}","lines":[{lines}]}}')
    if len(records) == per or i == n_inv:
        write("invoices", records, per, (i - 1) // per)
        records = []

records = []
for o in range(1, n_orders + 1):
    lines, _ = lines_of(o, 131)
    records.append(
        f'{{"external_id":"BO{o:05d}","company_external_id":"{company(0)}","number":"O-B{o:05d}",'
        f'"currency":"SEK","status":"confirmed","title":"Order {o}","reference":"PO-{o:05d}",'
        f'"date":"{day(today - o)}","delivery_date":"{day(today - o + 14)}",'
        f'"delivery_address":"Sveavägen {o}\\n111 57 Stockholm","language":"sv","lines":[{lines}]}}')
write("orders", records, 10000)
EOF
GEN_SECS="$(secs "$T0" "$(now_s)")"
INVOICE_FILES=("$NDJSON"/invoices-*.ndjson)
N_REQUESTS=${#INVOICE_FILES[@]}
INVOICE_BYTES="$(stat -c %s "${INVOICE_FILES[@]}" | awk '{ n += $1 } END { print n }')"
log "NDJSON written in $GEN_SECS s: $N_REQUESTS invoice files, $(mib $((INVOICE_BYTES / 1024)))"

# ---------------------------------------------------------------- databases
SQLITE_DB="$WORK/portico.db" # (on_sqlite, on_postgres, db_url, key_file, serve_db: bench/lib.sh)
DBS=(sqlite)
if ((WITH_PG)); then DBS+=(postgres); fi
if ((WITH_PG)); then start_pg_cluster "$WORK/pg"; fi
short() { if [[ "$1" == sqlite ]]; then echo sqlite; else echo pg; fi; }
label() { if [[ "$1" == sqlite ]]; then echo SQLite; else echo PostgreSQL; fi; }

# POSTs FILE... to /api/v1/integration/KIND/bulk one after the other, each answer to
# WORK/answers/KIND-N.json, each request's seconds appended to WORK/answers/KIND.times; sets
# PASS_T0 PASS_T1 (the wall clock around all of them).
post_files() { # url key kind file...
  local url="$1" key="$2" kind="$3" f status i=0 t0 t1
  shift 3
  mkdir -p "$WORK/answers"
  : >"$WORK/answers/$kind.times"
  PASS_T0="$(now_s)"
  for f in "$@"; do
    i=$((i + 1))
    t0="$(now_s)"
    status="$(curl -sS -o "$WORK/answers/$kind-$i.json" -w '%{http_code}' -X POST \
      -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' \
      --data-binary "@$f" "$url/api/v1/integration/$kind/bulk")" || die "POST $kind/bulk failed"
    t1="$(now_s)"
    [[ "$status" == 200 ]] || die "POST $kind/bulk answered $status: $(head -c 300 "$WORK/answers/$kind-$i.json")"
    echo "$(wc -l <"$f") $(secs2 "$t0" "$t1")" >>"$WORK/answers/$kind.times"
  done
  PASS_T1="$(now_s)"
}
# The answers of a pass: every line created, none failed (checked after the clock stopped).
check_answers() { # kind file...
  local kind="$1"
  shift
  python3 - "$WORK/answers" "$kind" "$@" <<'EOF' || die "unexpected answers to the $kind import"
import json, sys
answers, kind, files = sys.argv[1], sys.argv[2], sys.argv[3:]
for i, f in enumerate(files, 1):
    n = sum(1 for _ in open(f))
    a = json.load(open(f"{answers}/{kind}-{i}.json"))
    if not (a["created"] == n and a["failed"] == 0 and len(a["results"]) == n):
        errors = [r for r in a["results"] if r["status"] != "created"][:3]
        print(f, {k: a[k] for k in ("created", "updated", "failed")}, errors, file=sys.stderr)
        sys.exit(1)
EOF
}

declare -A DEMO_SECS_OF=() TOTP_OF=() COUNTS_OF=() SIZE_OF=() STATUSES_OF=() SECS_OF=() RATE_OF=()
declare -A BULK_OF=() COPY_SECS_OF=() FIRST_RATE_OF=() LAST_RATE_OF=() ANALYZE_SECS_OF=() SMALL_OF=()
for db in "${DBS[@]}"; do
  T0="$(now_s)"
  log "$db: creating the demo database with portico demo"
  demo_into "$(db_url "$db")" "$(key_file "$db")" "$WORK/demo-$db.log"
  TOTP_OF[$db]="$(demo_totp_key "$EMAIL" "$WORK/demo-$db.log")"
  DEMO_SECS_OF[$db]="$(secs "$T0" "$(now_s)")"
  KEY="$("$BIN" api-key create --db "$(db_url "$db")" --key-file "$(key_file "$db")" --org "$ORG" \
    --name bench 2>>"$WORK/api-key-$db.log" | tail -n 1)"
  [[ "$KEY" == pk_* ]] || { cat "$WORK/api-key-$db.log" >&2; die "$db: no API key from portico api-key create"; }
  PORT="$(free_port)" || die "no free port"
  serve_db "$db" "$PORT"
  IMPORT_PID="$SERVED_PID"
  URL="http://127.0.0.1:$PORT"

  # The companies, products and price lists first (timed too, not a target), then the invoices.
  SMALL_OF[$db]=""
  for kind in companies products price-lists; do
    files=("$NDJSON/$kind"-*.ndjson)
    post_files "$URL" "$KEY" "$kind" "${files[@]}"
    check_answers "$kind" "${files[@]}"
    n="$(cat "${files[@]}" | wc -l)"
    SMALL_OF[$db]+="${SMALL_OF[$db]:+, }$(thousands "$n") $kind in $(secs2 "$PASS_T0" "$PASS_T1") s"
  done
  files=("${INVOICE_FILES[@]}")
  BULK_OF[$db]=$N_INVOICES
  if [[ "$db" == postgres ]] && ((PG_BULK < N_INVOICES)); then
    files=("${INVOICE_FILES[@]:0:$((PG_BULK / PER_REQUEST))}")
    BULK_OF[$db]=$PG_BULK
  fi
  log "$db: importing $(thousands "${BULK_OF[$db]}") invoices through POST /api/v1/integration/invoices/bulk (${#files[@]} requests)"
  post_files "$URL" "$KEY" invoices "${files[@]}"
  SECS_OF[$db]="$(secs2 "$PASS_T0" "$PASS_T1")"
  RATE_OF[$db]="$(rate "${BULK_OF[$db]}" "$PASS_T0" "$PASS_T1")"
  check_answers invoices "${files[@]}"
  read -r "FIRST_RATE_OF[$db]" "LAST_RATE_OF[$db]" < <(awk 'NR == 1 { f = $1 / $2 } { l = $1 / $2 } END { printf "%d %d\n", f, l }' "$WORK/answers/invoices.times")
  log "$db: $(thousands "${BULK_OF[$db]}") invoices in ${SECS_OF[$db]} s: ${RATE_OF[$db]} invoices/s (first request ${FIRST_RATE_OF[$db]}/s, last ${LAST_RATE_OF[$db]}/s)"
  files=("$NDJSON"/orders-*.ndjson)
  post_files "$URL" "$KEY" orders "${files[@]}"
  check_answers orders "${files[@]}"
  stop_pid "$IMPORT_PID"
  EXTRA_PIDS=() # (the import server was the only one)

  # PostgreSQL: the invoices not imported through /bulk, copied from the rows of the SQLite
  # import (the same server code made them), with their audit entries.
  COPY_SECS_OF[$db]=""
  if [[ "$db" == postgres ]] && ((PG_BULK < N_INVOICES)); then
    log "postgres: copying the other $(thousands $((N_INVOICES - PG_BULK))) invoices from the SQLite database"
    T1="$(now_s)"
    ORG_PG="$(on_postgres "SELECT id FROM organizations WHERE name = '$ORG'")"
    on_postgres "CREATE UNLOGGED TABLE bench_copy (company TEXT, number TEXT, external_id TEXT,
      status TEXT, title TEXT, currency TEXT, subtotal BIGINT, vat BIGINT, total BIGINT,
      paid BIGINT, doc_date TEXT, until_date TEXT, delivery_address TEXT, reference TEXT,
      language TEXT, lines TEXT, created_at BIGINT, updated_at BIGINT, billing_address TEXT,
      payment_reference TEXT)"
    sqlite3 -bail -csv "$SQLITE_DB" "SELECT c.external_id, d.number, d.external_id, d.status,
      d.title, d.currency, d.subtotal, d.vat, d.total, d.paid, d.doc_date, d.until_date,
      d.delivery_address, d.reference, d.language, d.lines, d.created_at, d.updated_at,
      d.billing_address, d.payment_reference FROM documents d JOIN companies c ON c.id = d.company_id
      WHERE d.kind = 'invoice' AND d.external_id > 'BI$(printf '%07d' "$PG_BULK")'
      AND d.external_id LIKE 'BI_______' ORDER BY d.external_id" |
      psql "$PG_URL" -q -v ON_ERROR_STOP=1 -c '\copy bench_copy FROM STDIN (FORMAT csv)' ||
      die "copying the invoices from SQLite failed"
    on_postgres <<SQL >"$WORK/copy.out" 2>&1 || { cat "$WORK/copy.out" >&2; die "copying the invoices into PostgreSQL failed"; }
SET client_min_messages = warning;
BEGIN;
INSERT INTO documents (org_id, company_id, kind, number, external_id, status, title, currency,
  subtotal, vat, total, paid, doc_date, until_date, delivery_address, reference, language, lines,
  created_at, updated_at, billing_address, payment_reference)
SELECT $ORG_PG, c.id, 'invoice', b.number, b.external_id, b.status, COALESCE(b.title, ''),
  b.currency, b.subtotal, b.vat, b.total, b.paid, b.doc_date, b.until_date,
  COALESCE(b.delivery_address, ''), COALESCE(b.reference, ''), b.language, b.lines, b.created_at,
  b.updated_at, COALESCE(b.billing_address, ''), COALESCE(b.payment_reference, '')
FROM bench_copy b JOIN companies c ON c.org_id = $ORG_PG AND c.external_id = b.company
ORDER BY b.external_id;
-- The audit entry the bulk import writes for each record (one request id for all of them).
INSERT INTO audit_log (at, event, org_id, company_id, ip, request_id, detail)
SELECT b.created_at, 'invoice.created', $ORG_PG, c.id, '127.0.0.1', 'bench-copy',
  '{"external_id":"' || b.external_id || '","number":"' || b.number || '"}'
FROM bench_copy b JOIN companies c ON c.org_id = $ORG_PG AND c.external_id = b.company
ORDER BY b.external_id;
DROP TABLE bench_copy;
COMMIT;
SQL
    COPY_SECS_OF[$db]="$(secs "$T1" "$(now_s)")"
    log "postgres: copied in ${COPY_SECS_OF[$db]} s"
  fi

  # anna's memberships in 20 generated companies, then the statistics.
  T1="$(now_s)"
  ORG_ID="$("on_$db" "SELECT id FROM organizations WHERE name = '$ORG'")"
  ANNA_ID="$("on_$db" "SELECT id FROM users WHERE email = '$EMAIL'")"
  [[ -n "$ORG_ID" && -n "$ANNA_ID" ]] || die "the $db demo database has no \"$ORG\" or $EMAIL"
  "on_$db" "INSERT INTO memberships (company_id, user_id, role, permissions, all_sites, created_at)
    SELECT c.id, $ANNA_ID, 'user', (SELECT min(permissions) FROM memberships WHERE role = 'user'), 1,
      $((TODAY_DAY * 86400)) FROM companies c
    WHERE c.org_id = $ORG_ID AND c.external_id LIKE 'B-_____'
      AND (CAST(substr(c.external_id, 3) AS INTEGER) - 1) % $((N_COMPANIES / ANNA_EXTRA)) = 0
    ORDER BY c.external_id" >/dev/null
  if [[ "$db" == sqlite ]]; then
    on_sqlite "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    SIZE_OF[$db]="$(mib $(($(stat -c %s "$SQLITE_DB") / 1024)))"
  else
    on_postgres "VACUUM ANALYZE" >/dev/null
    SIZE_OF[$db]="$(mib $(($(on_postgres 'SELECT pg_database_size(current_database())') / 1024)))"
  fi
  ANALYZE_SECS_OF[$db]="$(secs "$T1" "$(now_s)")"
  # What the data set must be, counted from the rows (the same on both databases).
  if [[ "$db" == sqlite ]]; then nlines="json_array_length(lines)"; else nlines="json_array_length(CAST(lines AS json))"; fi
  COUNTS_OF[$db]="$("on_$db" "SELECT (SELECT count(*) FROM companies WHERE external_id LIKE 'B-_____')
    || ' ' || (SELECT count(*) FROM memberships WHERE user_id = $ANNA_ID)
    || ' ' || (SELECT count(*) FROM products) || ' ' || (SELECT count(*) FROM price_lists)
    || ' ' || (SELECT count(*) FROM price_list_companies)
    || ' ' || (SELECT count(*) FROM documents WHERE kind = 'invoice' AND external_id LIKE 'BI_______')
    || ' ' || (SELECT SUM($nlines) FROM documents WHERE kind = 'invoice' AND external_id LIKE 'BI_______')
    || ' ' || (SELECT count(*) FROM documents WHERE kind = 'invoice')
    || ' ' || (SELECT count(*) FROM documents WHERE kind = 'order')
    || ' ' || (SELECT count(*) FROM audit_log WHERE event = 'invoice.created')
    || ' ' || (SELECT SUM(total) FROM documents WHERE kind = 'invoice')
    || ' ' || (SELECT count(*) FROM documents d JOIN memberships m ON m.company_id = d.company_id
               WHERE m.user_id = $ANNA_ID AND d.kind = 'invoice')
    || ' ' || (SELECT count(*) FROM documents d JOIN memberships m ON m.company_id = d.company_id
               WHERE m.user_id = $ANNA_ID AND d.kind = 'invoice' AND d.status = '$STATUS')")"
  STATUSES_OF[$db]="$("on_$db" "SELECT status || ':' || count(*) FROM documents WHERE kind = 'invoice'
    AND external_id LIKE 'BI_______' GROUP BY status ORDER BY status" | paste -sd, -)"
  log "$db: demo in ${DEMO_SECS_OF[$db]} s, memberships and statistics in ${ANALYZE_SECS_OF[$db]} s; ${SIZE_OF[$db]}"
  log "$db: counts ${COUNTS_OF[$db]}; statuses ${STATUSES_OF[$db]}"
done

read -r C_GEN ANNA_COMPANIES P_ALL L_ALL PLC_ALL I_GEN I_LINES I_ALL O_ALL A_INV _ ANNA_INVOICES ANNA_STATUS <<<"${COUNTS_OF[sqlite]}"
if ((WITH_PG)); then
  [[ "${COUNTS_OF[sqlite]}" == "${COUNTS_OF[postgres]}" ]] ||
    die "the data sets differ: SQLite ${COUNTS_OF[sqlite]}, PostgreSQL ${COUNTS_OF[postgres]}"
  [[ "${STATUSES_OF[sqlite]}" == "${STATUSES_OF[postgres]}" ]] ||
    die "the statuses differ: SQLite ${STATUSES_OF[sqlite]}, PostgreSQL ${STATUSES_OF[postgres]}"
fi
((C_GEN == N_COMPANIES && ANNA_COMPANIES == ANNA_EXTRA + 2 && I_GEN == N_INVOICES && I_LINES == 10 * N_INVOICES)) ||
  die "the counts are not what was imported: ${COUNTS_OF[sqlite]}"
((A_INV == N_INVOICES && O_ALL >= N_ORDERS && P_ALL >= N_PRODUCTS)) || die "records or audit entries are missing: ${COUNTS_OF[sqlite]}"
((ANNA_STATUS > PAGE)) || die "$EMAIL has too few $STATUS invoices ($ANNA_STATUS) for a full page"

# ---------------------------------------------------------------- servers
# What the measured servers run (build/ may be rebuilt while the script goes on).
RUN_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
RUN_BUILT="$(date -u -r "$BIN" '+%Y-%m-%d %H:%M UTC')"
serve_signed_in # URL_BASE, TOKEN_DB
declare -A STORE_COMPANY_OF=()
for db in "${DBS[@]}"; do STORE_COMPANY_OF[$db]="$("on_$db" "SELECT id FROM companies WHERE external_id = 'B-00001'")"; done

KINDS=(invoices store)
path_of() { # kind db
  if [[ "$1" == invoices ]]; then echo "/api/v1/invoices?status=$STATUS&limit=$PAGE"
  else echo "/api/v1/store/products?company_id=${STORE_COMPANY_OF[$2]}&limit=$PAGE"; fi
}
NAMES=()
declare -A URL_OF=() TOKEN_OF=() BYTES_OF=() PATH_OF=()
for db in "${DBS[@]}"; do
  for kind in "${KINDS[@]}"; do
    name="$(short "$db")-$kind"
    PATH_OF[$name]="$(path_of "$kind" "$db")"
    URL_OF[$name]="${URL_BASE[$db]}${PATH_OF[$name]}"
    TOKEN_OF[$name]="${TOKEN_DB[$db]}"
    status="$(http_status "${TOKEN_OF[$name]}" "${URL_OF[$name]}" "$WORK/$name.json")"
    [[ "$status" == 200 ]] || die "$name: GET ${PATH_OF[$name]} answered $status: $(head -c 300 "$WORK/$name.json")"
    BYTES_OF[$name]="$(stat -c %s "$WORK/$name.json")"
    # A full page with a next cursor; the invoices all of the status, the products priced for her.
    python3 - "$WORK/$name.json" "$kind" "$PAGE" "$STATUS" <<'EOF' || die "$name: GET ${PATH_OF[$name]} did not answer a full page: $(head -c 300 "$WORK/$name.json")"
import json, sys
a, kind, page, status = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), sys.argv[4]
items = a["items"]
assert len(items) == page and a["next_cursor"], (len(items), a["next_cursor"])
if kind == "invoices":
    assert all(i["status"] == status for i in items)
else:
    assert a["currency"] == "SEK" and len(a["categories"]) >= 50, (a["currency"], len(a["categories"]))
    assert sum(1 for i in items if i.get("price_rule")) > 0 and all("price" in i for i in items)
EOF
  done
done
if ((WITH_PG)); then
  for kind in "${KINDS[@]}"; do
    python3 - "$WORK/sqlite-$kind.json" "$WORK/pg-$kind.json" <<'EOF' ||
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
key = lambda i: (i["external_id"], i.get("price"), i.get("total"), i.get("status"))
sys.exit(0 if [key(i) for i in a["items"]] == [key(i) for i in b["items"]] else 1)
EOF
      die "the $kind pages of SQLite and PostgreSQL list other records (same data set)"
  done
fi
ITEMS_STORE_RULES="$(grep -o '"price_rule":' "$WORK/sqlite-store.json" | wc -l)"
log "every URL answers 200 with a full page ($EMAIL: $(thousands "$ANNA_INVOICES") invoices, $(thousands "$ANNA_STATUS") $STATUS; the store page: $ITEMS_STORE_RULES of $PAGE products priced by a rule)"

# ---------------------------------------------------------------- nginx
mkdir -p "$WORK/www"
cp "$WORK/sqlite-invoices.json" "$WORK/www/invoices.json"
cp "$WORK/sqlite-store.json" "$WORK/www/products.json"
NPORT="$(free_port "$PORT")" || die "no free port"
start_static_nginx "$NPORT" invoices.json # NGINX_PID, NGINX_PIDS, NURL
declare -A NGINX_FILE=([invoices]=invoices.json [store]=products.json)
for kind in "${KINDS[@]}"; do
  name="nginx-$kind"
  PATH_OF[$name]="/${NGINX_FILE[$kind]}"
  URL_OF[$name]="$NURL${PATH_OF[$name]}"
  TOKEN_OF[$name]="${TOKEN_DB[sqlite]}" # the same request bytes; nginx ignores the header
  BYTES_OF[$name]="$(curl -sS "${URL_OF[$name]}" | wc -c)"
  [[ "${BYTES_OF[$name]}" == "${BYTES_OF[sqlite-$kind]}" ]] || die "nginx serves ${BYTES_OF[$name]} bytes, expected ${BYTES_OF[sqlite-$kind]}"
done
# The order of the runs: nginx, SQLite, PostgreSQL for the invoices, then for the store.
for kind in "${KINDS[@]}"; do
  NAMES+=("nginx-$kind")
  for db in "${DBS[@]}"; do NAMES+=("$(short "$db")-$kind"); done
done

# One request at a time (after one not counted): what a call costs without a queue in front.
declare -A ALONE_OF=()
for name in "${NAMES[@]}"; do ALONE_OF[$name]="$(alone_ms "${TOKEN_OF[$name]}" "${URL_OF[$name]}" 5)"; done

# ---------------------------------------------------------------- PDFs
QUIET_OK=1
if ((QUICK)); then log "--quick: not waiting for a quiet machine, disturbed runs are not repeated"; fi
wait_quiet || QUIET_OK=0
IDLE_BUSY=$LAST_BUSY; IDLE_STEAL=$LAST_STEAL
LOADAVG="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -A PDF_MED_OF=() PDF_MAX_OF=() PDF_BYTES_OF=() FROZEN_OF=() ORDER_MED_OF=() ORDER_MAX_OF=() ORDER_BYTES_OF=()
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  base="${URL_BASE[$db]}"
  token="${TOKEN_DB[$db]}"
  mapfile -t ids < <("on_$db" "SELECT id FROM documents WHERE company_id = ${STORE_COMPANY_OF[$db]}
    AND kind = 'invoice' AND pdf_file_id IS NULL ORDER BY doc_date DESC, id DESC LIMIT $N_PDFS")
  ((${#ids[@]} == N_PDFS)) || die "$db: fewer than $N_PDFS invoices without a PDF in B-00001"
  order="$("on_$db" "SELECT id FROM documents WHERE company_id = ${STORE_COMPANY_OF[$db]} AND kind = 'order' ORDER BY id LIMIT 1")"
  pdf_get "$token" "$base/api/v1/orders/$order/pdf" "$WORK/$s-order.pdf" >/dev/null # not counted
  samples=()
  for id in "${ids[@]}"; do samples+=("$(pdf_get "$token" "$base/api/v1/invoices/$id/pdf" "$WORK/$s-invoice.pdf")"); done
  PDF_MED_OF[$db]="$(median "${samples[@]}")"
  PDF_MAX_OF[$db]="$(printf '%s\n' "${samples[@]}" | sort -g | tail -n 1)"
  PDF_BYTES_OF[$db]="$(stat -c %s "$WORK/$s-invoice.pdf")"
  frozen="$("on_$db" "SELECT count(*) FROM documents WHERE id IN ($(IFS=,; echo "${ids[*]}")) AND pdf_file_id IS NOT NULL")"
  ((frozen == N_PDFS)) || die "$db: $frozen of the $N_PDFS rendered invoice PDFs were frozen"
  samples=()
  for ((k = 0; k < 5; k++)); do samples+=("$(pdf_get "$token" "$base/api/v1/invoices/${ids[0]}/pdf" "$WORK/$s-frozen.pdf")"); done
  FROZEN_OF[$db]="$(median "${samples[@]}")"
  samples=()
  for ((k = 0; k < N_PDFS; k++)); do samples+=("$(pdf_get "$token" "$base/api/v1/orders/$order/pdf" "$WORK/$s-order.pdf")"); done
  ORDER_MED_OF[$db]="$(median "${samples[@]}")"
  ORDER_MAX_OF[$db]="$(printf '%s\n' "${samples[@]}" | sort -g | tail -n 1)"
  ORDER_BYTES_OF[$db]="$(stat -c %s "$WORK/$s-order.pdf")"
  log "$db: invoice PDF (first print, frozen) median ${PDF_MED_OF[$db]} ms, max ${PDF_MAX_OF[$db]} ms over $N_PDFS; frozen one again ${FROZEN_OF[$db]} ms; order PDF median ${ORDER_MED_OF[$db]} ms, max ${ORDER_MAX_OF[$db]} ms"
done

# ---------------------------------------------------------------- load
before_run() { wait_idle; check_session "$1" "$2"; } # name url: idle servers, the session, the URL still 200
measure_names # WRK_ARGS, WRK_CMD
check_after_runs

# ---------------------------------------------------------------- summary
summarize_runs # RPS P99 RPS_RANGE P99_RANGE, PER_RUN, SPREAD
declare -A RATIO=() WHAT_OF=() TARGET_OF=()
for name in "${NAMES[@]}"; do RATIO[$name]="$(ratio "${RPS[$name]}" "${RPS[nginx-${name#*-}]}")"; done
WHAT_OF[nginx-invoices]="nginx, static file of the bytes of sqlite-invoices (the reference)"
WHAT_OF[nginx-store]="nginx, static file of the bytes of sqlite-store (the reference)"
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  WHAT_OF[$s-invoices]="GET ${PATH_OF[$s-invoices]}: newest $PAGE of her $(thousands "$ANNA_STATUS") $STATUS invoices"
  WHAT_OF[$s-store]="GET ${PATH_OF[$s-store]}: first $PAGE of $(thousands "$P_ALL") products with B-00001's prices"
done

REASONS=()
declare -A VERDICT_OF=()
errors_of() { ((NON2XX_OF[$1] + SOCKERR_OF[$1] == 0)) || REASONS+=("$2: the $1 runs had ${NON2XX_OF[$1]} non-2xx/3xx answers and ${SOCKERR_OF[$1]} socket errors"); }
for name in nginx-invoices nginx-store; do errors_of "$name" nginx; TARGET_OF[$name]="reference"; done
for db in "${DBS[@]}"; do
  s="$(short "$db")"
  l="$(label "$db")"
  before=${#REASONS[@]}
  if ! lt "${RATIO[$s-invoices]}" "$T_LIST" && lt "${P99[$s-invoices]}" "$T_P99"; then
    TARGET_OF[$s-invoices]="met (≥ ${T_LIST}×, p99 < $T_P99 ms)"
  else
    TARGET_OF[$s-invoices]="**missed** (≥ ${T_LIST}×, p99 < $T_P99 ms)"
  fi
  lt "${RATIO[$s-invoices]}" "$T_LIST" && REASONS+=("$l: the invoice list reaches ${RATIO[$s-invoices]}× nginx's throughput (needed: ≥ ${T_LIST}×)")
  lt "${P99[$s-invoices]}" "$T_P99" || REASONS+=("$l: the invoice list's p99 is ${P99[$s-invoices]} ms (needed: < $T_P99 ms)")
  if lt "${RATIO[$s-store]}" "$T_STORE"; then
    TARGET_OF[$s-store]="**missed** (≥ ${T_STORE}×)"
    REASONS+=("$l: the store's product list reaches ${RATIO[$s-store]}× nginx's throughput (needed: ≥ ${T_STORE}×)")
  else
    TARGET_OF[$s-store]="met (≥ ${T_STORE}×)"
  fi
  errors_of "$s-invoices" "$l"
  errors_of "$s-store" "$l"
  lt "$T_PDF" "${PDF_MAX_OF[$db]}" && REASONS+=("$l: rendering an invoice PDF took up to ${PDF_MAX_OF[$db]} ms (median ${PDF_MED_OF[$db]} ms; needed: ≤ $T_PDF ms)")
  lt "${RATE_OF[$db]}" "$T_IMPORT" && REASONS+=("$l: the invoices were imported through /bulk at ${RATE_OF[$db]} rows/s (needed: ≥ $(thousands "$T_IMPORT"))")
  if ((${#REASONS[@]} == before)); then VERDICT_OF[$db]=met; else VERDICT_OF[$db]=missed; fi
done
VERDICT=met
((${#REASONS[@]} == 0)) || VERDICT=missed
((WITH_PG)) || VERDICT="${VERDICT} (SQLite only)"

table() { # the throughput table
  local name
  echo "| name | request | response bytes | one request alone, ms (median of 5) | req/s (median of $RUNS) | p99 ms (median of $RUNS) | ratio to nginx | target | non-2xx/3xx | socket errors |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
  for name in "${NAMES[@]}"; do
    echo "| $name | ${WHAT_OF[$name]} | ${BYTES_OF[$name]} | ${ALONE_OF[$name]} | ${RPS[$name]} | ${P99[$name]} | ${RATIO[$name]} | ${TARGET_OF[$name]} | ${NON2XX_OF[$name]} | ${SOCKERR_OF[$name]} |"
  done
}
import_table() {
  local db how target
  echo "| database | invoices through /bulk | NDJSON | requests | seconds | rows (invoices)/s | invoice lines/s | first request, rows/s | last request, rows/s | target |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  for db in "${DBS[@]}"; do
    how="$(thousands "${BULK_OF[$db]}")"
    ((BULK_OF[$db] < N_INVOICES)) && how+=" (the first ones; the other $(thousands $((N_INVOICES - BULK_OF[$db]))) copied)"
    if lt "${RATE_OF[$db]}" "$T_IMPORT"; then target="**missed** (≥ $(thousands "$T_IMPORT") rows/s)"; else target="met (≥ $(thousands "$T_IMPORT") rows/s)"; fi
    echo "| $(label "$db") | $how | $(mib $((INVOICE_BYTES * BULK_OF[$db] / N_INVOICES / 1024))) | $(((BULK_OF[$db] + PER_REQUEST - 1) / PER_REQUEST)) | ${SECS_OF[$db]} | ${RATE_OF[$db]} | $((10 * RATE_OF[$db])) | ${FIRST_RATE_OF[$db]} | ${LAST_RATE_OF[$db]} | $target |"
  done
}
pdf_table() {
  local db target
  echo "| database | invoice PDF, first print (rendered and frozen): median / max of $N_PDFS, ms | the frozen PDF again, ms (median of 5) | order PDF (rendered at every request): median / max of $N_PDFS, ms | PDF bytes (invoice / order) | target |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  for db in "${DBS[@]}"; do
    if lt "$T_PDF" "${PDF_MAX_OF[$db]}"; then target="**missed** (≤ $T_PDF ms)"; else target="met (≤ $T_PDF ms)"; fi
    echo "| $(label "$db") | ${PDF_MED_OF[$db]} / ${PDF_MAX_OF[$db]} | ${FROZEN_OF[$db]} | ${ORDER_MED_OF[$db]} / ${ORDER_MAX_OF[$db]} | ${PDF_BYTES_OF[$db]} / ${ORDER_BYTES_OF[$db]} | $target |"
  done
}
DATASET="$(thousands "$I_ALL") invoices ($(thousands "$N_INVOICES") generated, $(thousands $((N_INVOICES / N_COMPANIES))) in each of $(thousands "$N_COMPANIES") generated companies, with $(thousands "$I_LINES") lines), statuses ${STATUSES_OF[sqlite]//,/, }; $(thousands "$O_ALL") orders; $(thousands "$P_ALL") products, $(thousands "$L_ALL") price lists naming $(thousands "$PLC_ALL") companies; \`$EMAIL\` is a member of $ANNA_COMPANIES companies with $(thousands "$ANNA_INVOICES") invoices ($(thousands "$ANNA_STATUS") $STATUS)"

echo
echo "Per run:"
echo "$PER_RUN"
echo
echo "Throughput ($WRK_CMD):"
table
echo
echo "Import:"
import_table
echo
echo "PDFs (one request at a time):"
pdf_table
echo
echo "Spread over the $RUNS counted runs: $SPREAD"
echo "Dataset: $DATASET"
for db in "${DBS[@]}"; do
  echo "$db: ${SIZE_OF[$db]}; demo in ${DEMO_SECS_OF[$db]} s; ${SMALL_OF[$db]}; invoices in ${SECS_OF[$db]} s${COPY_SECS_OF[$db]:+ (and copied in ${COPY_SECS_OF[$db]} s)}; memberships and statistics in ${ANALYZE_SECS_OF[$db]} s"
done
echo "Target: the invoice list ≥ ${T_LIST}× nginx with p99 < $T_P99 ms, the store ≥ ${T_STORE}× nginx, an invoice PDF ≤ $T_PDF ms, the import ≥ $(thousands "$T_IMPORT") rows/s, on each database -> $VERDICT"
for reason in "${REASONS[@]}"; do echo "  - $reason"; done
if ((QUICK)); then echo "(--quick: a smoke test with short runs and a small data set; not a measurement)"; fi

# ---------------------------------------------------------------- docs
if ((WRITE_DOCS)); then
  CMD="bash bench/documents.sh --write-docs"
  for v in BENCH_DURATION BENCH_RUNS BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP BENCH_QUIET_WAIT \
    BENCH_INVOICES BENCH_COMPANIES BENCH_PRODUCTS BENCH_PER_REQUEST BENCH_PG_BULK BENCH_PDFS; do
    [[ -n "${!v:-}" ]] && CMD="$v=${!v} $CMD"
  done
  BIN_TEXT="\`build/src/app/portico\`"
  [[ -n "${PORTICO_BIN:-}" ]] && BIN_TEXT="the binary of \`PORTICO_BIN\` (a build of this tree)"
  if [[ $VERDICT == met ]]; then
    VERDICT_TEXT="**Met.** The first page of $PAGE $STATUS invoices across the caller's companies reaches ${RATIO[sqlite-invoices]}× (SQLite) and ${RATIO[pg-invoices]}× (PostgreSQL) nginx's throughput (needed: ≥ ${T_LIST}×) with a median p99 of ${P99[sqlite-invoices]} and ${P99[pg-invoices]} ms (needed: < $T_P99 ms); the store's product list ${RATIO[sqlite-store]}× and ${RATIO[pg-store]}× (needed: ≥ ${T_STORE}×); an invoice PDF renders in at most ${PDF_MAX_OF[sqlite]} and ${PDF_MAX_OF[postgres]} ms (needed: ≤ $T_PDF ms); the invoices are imported at ${RATE_OF[sqlite]} and ${RATE_OF[postgres]} rows/s (needed: ≥ $(thousands "$T_IMPORT")); no error responses."
  else
    met_text=""
    for db in "${DBS[@]}"; do
      s="$(short "$db")"
      met_text+="$(label "$db"): the invoice list ${RATIO[$s-invoices]}× nginx with p99 ${P99[$s-invoices]} ms, the store ${RATIO[$s-store]}×, an invoice PDF ${PDF_MED_OF[$db]} ms (median; at most ${PDF_MAX_OF[$db]}), the import ${RATE_OF[$db]} rows/s. "
    done
    VERDICT_TEXT="**Missed.** $(IFS=';'; echo "${REASONS[*]}" | sed 's/;/; /g'). In figures: ${met_text% }"
  fi
  if ((DISTURBED_KEPT > 0 || QUIET_OK == 0)); then
    VERDICT_TEXT+=" Caution: other processes were using the CPUs during this measurement (see \"interference\"), so the figures are lower and noisier than on a quiet machine."
  fi
  PG_IMPORT_TEXT="all $(thousands "$N_INVOICES") of them through \`/bulk\` on both databases"
  if ((PG_BULK < N_INVOICES)); then
    PG_IMPORT_TEXT="on SQLite all $(thousands "$N_INVOICES") through \`/bulk\`; on PostgreSQL the first $(thousands "$PG_BULK") through \`/bulk\` (a million takes about twenty minutes there) and the other $(thousands $((N_INVOICES - PG_BULK))) copied from the rows the SQLite import wrote, in ${COPY_SECS_OF[postgres]} s (\`sqlite3 -csv\` into psql's \`\\copy\`, then one \`INSERT … SELECT\` of the records and one of their audit entries)"
  fi
  cat >"$WORK/section.md" <<EOF
$SECTION

This section is written by \`bash bench/documents.sh --write-docs\` (\`bench/run.sh --write-docs\`
keeps it); rerun it to refresh the figures.

### Target

With 1 million invoices (10 lines each) over 10,000 companies in the database: the first page of
$PAGE invoices across a user's 20 companies, filtered by status, reaches at least ${T_LIST}× nginx's
static-file throughput in the same run (twice a naive first cut), with p99 under $T_P99 ms at
$CONNS connections, on SQLite and on PostgreSQL; the store's product list with the customer's
prices for 5,000 products reaches at least ${T_STORE}× nginx; rendering an invoice PDF takes at most
$T_PDF ms; importing the million invoices through \`/bulk\` runs at $(thousands "$T_IMPORT") rows/s or more.

Result: $VERDICT_TEXT

### Results

| | |
| --- | --- |
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| commit | \`$RUN_COMMIT\` when the servers started (the working tree may hold uncommitted changes) |
| machine | $(machine_info) |
| build | $BIN_TEXT built $RUN_BUILT, compiler flags: \`$(build_flags)\` |
| tools | wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), nginx $("$NGINX" -v 2>&1 | sed 's/^nginx version: nginx\///'), curl $(curl --version | awk 'NR == 1 {print $2}'), sqlite3 $(sqlite3 --version | awk '{print $1}'), PostgreSQL $PG_VERSION (its own cluster, durable: fsync and synchronous commit on, default settings otherwise) |
| command | \`$CMD\` |
| data set | on both: $DATASET |
| import | $PG_IMPORT_TEXT; $(thousands "$PER_REQUEST") invoices a request ($(mib $((INVOICE_BYTES / 1024 / N_REQUESTS))) of NDJSON), one request at a time; before them on each database ${SMALL_OF[sqlite]} (SQLite) and ${SMALL_OF[postgres]} (PostgreSQL), through \`/bulk\` too |
| databases | SQLite file ${SIZE_OF[sqlite]} after \`ANALYZE\` and a WAL checkpoint; PostgreSQL database ${SIZE_OF[postgres]} after \`VACUUM ANALYZE\`; the NDJSON files $(mib $((INVOICE_BYTES / 1024))) (written in $GEN_SECS s, not timed) |
| machine state before the load | ${IDLE_BUSY}% CPU busy with the servers idle, ${IDLE_STEAL}% hypervisor steal in a 1 s probe keeping all CPUs busy$( ((QUIET_OK)) || echo ' (**not quiet**)'), load average $LOADAVG |
| interference | $REPEATED disturbed run(s) repeated, $DISTURBED_KEPT kept; at most ${MAX_OTHER}% CPU used by other processes and ${MAX_STEAL}% steal during a run |
| load | \`$WRK_CMD\`, $RUNS runs per URL in the order of the table, after a $WARMUP warm-up of each |

Throughput (result: SQLite ${VERDICT_OF[sqlite]}, PostgreSQL ${VERDICT_OF[postgres]}, all targets together):

$(table)

Import of the invoices through \`POST /api/v1/integration/invoices/bulk\`:

$(import_table)

PDFs, one request at a time (curl's total time):

$(pdf_table)

Spread over the $RUNS counted runs: $SPREAD.

Per run:

$PER_RUN

### What is measured

- **data set**: on each database \`portico demo\` creates the demo data (organization "$ORG",
  3 companies, 15 invoices, 16 products, 2 price lists), then the integration API imports, as an
  ERP would, $(thousands "$N_COMPANIES") companies (buying in SEK), $(thousands "$N_PRODUCTS") products in 50 categories (list prices in SEK
  and EUR, every 100th without a SEK price, every 50th restricted, licence types in 5
  categories), 106 price lists (three for every customer: category discounts until a date and
  one from a future date, volume discounts and fixed prices from a minimum quantity, one in
  EUR; one inactive; two naming B-00001: 12% off everything, category discounts, fixed prices for
  200 products of which 50 restricted ones, an expired rule; fixed prices from 10 pieces and
  category discounts within dates; 100 naming other companies), $(thousands "$N_INVOICES") invoices ($(thousands $((N_INVOICES / N_COMPANIES))) a company,
  dated over the last two years, due after 30 days, 10 lines each from 30 articles with VAT of
  25, 12 or 0%, statuses by a hash of the number: most of the older ones paid, most of those
  not yet due issued) and $N_ORDERS orders of 10 lines. Then SQL adds memberships of \`$EMAIL\`
  (role \`user\`, which holds \`invoices.view\` and \`store.view\`) in $ANNA_EXTRA of the generated
  companies (B-00001, B-$(printf '%05d' $((N_COMPANIES / ANNA_EXTRA + 1))), …) and the statistics are made (\`ANALYZE\`, \`VACUUM ANALYZE\`). The counts above
  are read back from both databases and agree, as do the first pages of both lists.
- **import**: the invoices' NDJSON files posted one after the other with curl (\`Content-Type:
  application/x-ndjson\`, an API key of \`portico api-key create\` as bearer) to one
  \`portico serve --no-access-log\`; a request is one transaction that commits every 5,000
  lines, each line upserted by its external id under a savepoint, with its audit entry. rows/s
  is the invoices (the NDJSON rows: an invoice is one row, its lines a JSON column) divided by
  the wall time of all requests, curl's transfers included; "invoice lines/s" is ten times that.
  The answers are checked afterwards: every line created, none failed. The first and the last
  request's own rates show whether the import slows down as the table grows.
- **server**: after the import one \`portico serve --no-access-log\` per database, both running;
  the script signs in as \`$EMAIL\` on each (password, then the TOTP code from \`oathtool\`)
  and checks that every URL answers 200 with a full page of $PAGE and a next cursor, the
  invoices all $STATUS, the products priced in SEK (some by a rule). \`bench/auth.lua\` sends the
  session as \`Authorization: Bearer TOKEN\`.
- **invoices**: the invoice list of a portal user across every company where she holds
  \`invoices.view\` ($ANNA_COMPANIES, $(thousands "$ANNA_INVOICES") invoices), filtered by status, newest first: one page of $PAGE
  with its next cursor and the totals per currency (sum and outstanding) of every invoice under
  the filters.
- **store**: the catalogue of B-00001 as its user sees it: the first $PAGE products by name of
  those it may see (active; restricted ones only where its price lists name them), each priced
  for the company (the most specific rule of its lists, the list price where none applies), with
  the company's currency and every category it sees.
- **nginx**: \`worker_processes auto\`, \`access_log off\`, keepalive settings left at their
  defaults, serving two static files holding the exact bytes of SQLite's answers (the invoice
  page, $(thousands "${BYTES_OF[nginx-invoices]}") bytes; the store page, $(thousands "${BYTES_OF[nginx-store]}") bytes), with the same requests, bearer header
  included, which it ignores. Each list's ratio is to nginx serving its own answer's bytes.
- **PDFs**: $N_PDFS invoices of B-00001 without a PDF, newest first, each fetched once with
  \`GET /api/v1/invoices/{id}/pdf\` (the first print renders the PDF, stores it and freezes it
  on the invoice; the script checks that all $N_PDFS were frozen); one of them 5 times more
  (the stored PDF); an order's PDF $N_PDFS times (orders are not frozen: each GET renders),
  after one order PDF not counted. One request at a time after waiting for a quiet machine,
  before the load; the answers are checked (200, \`application/pdf\`, \`%PDF-\`).
- "one request alone" is curl's total time of one request with nothing else running (the median
  of 5, after one not counted), measured before the load: the cost of the call without a queue.
- req/s and p99 are the medians over the runs of wrk's \`Requests/sec\` and 99th percentile
  latency. non-2xx/3xx and socket errors are totals over all runs, repeated ones included. The
  interference check is the one of \`bench/run.sh\`; the CPU of both portico servers, nginx and
  PostgreSQL's processes counts as the servers'.

### Caveats

- wrk, nginx, both portico servers and PostgreSQL share the same $(nproc) CPUs over loopback;
  the ratios to nginx and the latencies under the same load are the point, not the absolute
  figures.
- With $CONNS connections kept busy, a slow call's p99 is mostly time spent queued behind the
  others; wrk counts a request that takes more than 2 s as a timeout (a socket error).
- The databases are in the page cache (the machine has $(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) of memory): the figures are those of
  a warm server, not of one reading from disk.
- The import runs one request at a time, as one ERP connection would; the records are synthetic
  (30 articles, fixed phrases), so the lines' JSON repeats more than real data would.

### Where the time goes

Profiles of the SQLite server under this load (\`perf record --call-graph dwarf\`), PostgreSQL's
statement times (\`log_min_duration_statement = 0\`) and plans (\`EXPLAIN ANALYZE\`), taken at commit
\`e5f0adf\` after a run of this script, on its full-size databases:

- **invoice list**: the plans are the intended ones (an index-only scan of
  \`documents_company_status\` over the $ANNA_COMPANIES companies, a top-N sort, then the 21 rows by id; the
  totals read each of the $(thousands "$ANNA_STATUS") matching rows). The CPU goes to \`linesFrom\` (37%):
  \`DocumentRepository::list\` selects, and \`readDocument\` parses, the 10 lines' JSON of every row,
  which the list answer never shows; to SQLite (25%, the totals 15% of it); to building the answer
  as an nlohmann document and \`dump()\` (\`pageToJson\`, 15%); HTTP and the session under 10%. On
  PostgreSQL the same, plus a plan made at every call for the page's statement (the
  \`= ANY (?::bigint[])\` parameter: about 0.6 ms of its 1.2 ms) and a round trip per statement.
- **store**: \`StoreRepository::priceListsFor\` and \`readPriceList\` parse the rules of every list of
  the company at every call (about 13 KB of JSON here: 26%); \`StoreService::restrictedIds\` and
  \`StoreRepository::productIds\` look up the ids of the about 270 products its rules name (20%; on
  PostgreSQL \`external_id IN (SELECT json_array_elements_text(?))\` is a hash semi-join over a
  sequential scan of all products, 0.9 ms); \`StoreRepository::categories\` is a \`DISTINCT\` over
  every visible product (10%; on PostgreSQL a sequential scan, 1.2 ms); the page itself is
  \`listProducts\` 9% and \`pricedProductToJson\` 8%.
- **import**: in a profile of one request of 5,000 invoices, \`DocumentRepository::insert\` takes
  about 40% (the row with 1.3 KB of lines and six indexes; \`linesText\`, writing the parsed lines
  back as JSON, 12% of it), parsing the NDJSON line 15%, the commits 13%, the audit entry 7%; the
  rate falls as the indexes grow (in this run ${FIRST_RATE_OF[sqlite]} rows/s for the first request,
  ${LAST_RATE_OF[sqlite]} for the last). On
  PostgreSQL a record is about eight round trips (savepoint, company, existing record, insert,
  \`lastval()\`, audit entry, release), about 1 ms of which PostgreSQL's own time is a fifth; and
  while the table is new its statistics say it is nearly empty, so the lookup by external id is
  planned as a sequential scan that slows with every row (about 3 ms a lookup at 20,000 rows)
  until autovacuum analyzes the table, up to a minute later: hence, in this run, ${FIRST_RATE_OF[postgres]} rows/s for the
  first request and ${LAST_RATE_OF[postgres]} for the last.
EOF
  write_doc_section "$SECTION" "$WORK/section.md"
fi
