# shellcheck shell=bash disable=SC2034 # (globals set here are read by the sourcing script)
# bench/lib.sh - functions shared by the bench/*.sh scripts. Source it after
# `set -euo pipefail` and setting ROOT, the repository root: it changes into ROOT (a script that
# takes a path from its caller, as PORTICO_BIN, resolves it before) and does nothing else on its
# own.
#
# The scripts keep their state in globals, which these functions read and set:
#   WORK          the temporary directory (make_workdir)
#   PG_DIR        the PostgreSQL cluster of start_pg_cluster, if one was started
#   PORTICO_PID   the portico server under test; NGINX_PID and NGINX_PIDS (master + workers)
#                 for nginx; DEMO_PID for a seeding `portico demo` (demo_into, companies.sh). cleanup
#                 stops them all, and the cluster of start_pg_cluster.
#   RUNS          the number of counted runs (for the log lines)
#   QUIET_WAIT    seconds wait_quiet waits for a quiet machine [BENCH_QUIET_WAIT, 300]
#   MAX_TRIES     tries of a disturbed run, the last one is kept [3]
#   before_run    if the script defines this function, measure calls it as
#                 `before_run NAME URL` before every try (e.g. to set PORTICO_TOKEN)

cd "$ROOT" || exit

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- tools, binary
SUDO=""
if [[ $EUID -ne 0 ]]; then SUDO="sudo"; fi

install_missing() { # package... : apt-get update, then install them (nothing when none given)
  (($#)) || return 0
  log "installing missing packages: $*"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# The arguments every benchmark takes: sets WRITE_DOCS and QUICK; --help prints the script's usage
# header. `name` is the script's name for the messages.
bench_args() { # name args...
  local name="$1" arg
  shift
  WRITE_DOCS=0
  QUICK=0
  for arg in "$@"; do
    case "$arg" in
      --write-docs) WRITE_DOCS=1 ;;
      --quick) QUICK=1 ;;
      -h|--help) sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
      *) echo "$name: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
  done
  if ((WRITE_DOCS && QUICK)); then
    echo "$name: --quick is a smoke test; its figures do not go into the docs" >&2
    exit 2
  fi
}

# bench_args, then the settings of the load from the BENCH_* overrides - DURATION RUNS WARMUP
# THREADS CONNS LUA; with --quick shorter runs, QUIET_WAIT 0 unless set and MAX_TRIES 1 - and the
# demo's organization ORG and user EMAIL, who signs in with PASSWORD.
bench_settings() { # name args...
  bench_args "$@"
  if ((QUICK)); then
    DURATION="${BENCH_DURATION:-3s}"; RUNS="${BENCH_RUNS:-1}"; WARMUP="${BENCH_WARMUP:-1s}"
    QUIET_WAIT="${BENCH_QUIET_WAIT:-0}"; MAX_TRIES=1
  else
    DURATION="${BENCH_DURATION:-10s}"; RUNS="${BENCH_RUNS:-3}"; WARMUP="${BENCH_WARMUP:-2s}"
  fi
  THREADS="${BENCH_THREADS:-2}"
  CONNS="${BENCH_CONNECTIONS:-64}"
  LUA="$ROOT/bench/auth.lua"
  PASSWORD="correct horse battery staple"
  ORG="Northwind Service"
  EMAIL="anna@acme.example"
}

# bench_settings for a benchmark on SQLite and PostgreSQL, which also takes --sqlite-only: sets
# WITH_PG, 0 with it (PostgreSQL left out; the docs need both, so not with --write-docs), else 1.
bench_settings_db() { # name args...
  local name="$1" arg args=()
  shift
  WITH_PG=1
  for arg in "$@"; do
    if [[ "$arg" == --sqlite-only ]]; then WITH_PG=0; else args+=("$arg"); fi
  done
  bench_settings "$name" "${args[@]}"
  if ((WRITE_DOCS && !WITH_PG)); then
    echo "$name: the docs need both databases: --write-docs without --sqlite-only" >&2
    exit 2
  fi
}

# Installs the packages whose command is missing (procps for pgrep; nginx also where it is
# installed outside PATH) and sets NGINX, the nginx binary.
require_tools() { # package...
  local missing=() p
  for p in "$@"; do
    case "$p" in
      nginx) command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx) ;;
      procps) command -v pgrep >/dev/null 2>&1 || missing+=(procps) ;;
      *) command -v "$p" >/dev/null 2>&1 || missing+=("$p") ;;
    esac
  done
  install_missing "${missing[@]}"
  NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"
}

require_postgres() { # installs PostgreSQL (server and psql) if psql or the server is missing
  if ! { command -v psql >/dev/null 2>&1 && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; }; then
    install_missing postgresql postgresql-client
  fi
}

BIN="$ROOT/build/src/app/portico"
ensure_binary() { # builds build/src/app/portico with ninja if it is missing
  if [[ ! -x "$BIN" ]]; then
    if [[ ! -f build/build.ninja ]]; then
      log "configuring build/ (Release, no tests)"
      cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTICO_TESTS=OFF
    fi
    log "building portico"
    ninja -C build
  fi
  [[ -x "$BIN" ]] || die "no binary at $BIN after building"
}
use_portico_bin() { # BIN: the binary of PORTICO_BIN (an absolute path) if it is set, else ensure_binary's
  if [[ -n "${PORTICO_BIN:-}" ]]; then
    BIN="$PORTICO_BIN"
    [[ -x "$BIN" ]] || die "PORTICO_BIN is not an executable: $BIN"
  else
    ensure_binary
  fi
}

# ---------------------------------------------------------------- temp dir + cleanup
WORK=""
PORTICO_PID=""
NGINX_PID=""
NGINX_PIDS=()
DEMO_PID=""
PG_DIR=""
SAMPLER_PID=""
WRK_PID=""
EXTRA_PIDS=() # more servers of a benchmark: stopped on exit, their CPU time counted as the servers'
KEEP_TMP="${BENCH_KEEP_TMP:-0}"

stop_pid() { # pid: TERM, wait up to 5 s, then KILL
  local pid="$1" i
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  rm -f "$WORK/sampling" 2>/dev/null || true
  stop_pid "$SAMPLER_PID"
  stop_pid "$WRK_PID"
  stop_pid "$DEMO_PID"
  stop_pid "$PORTICO_PID"
  stop_pid "$NGINX_PID"
  local p
  for p in "${EXTRA_PIDS[@]}"; do stop_pid "$p"; done
  if declare -F bench_cleanup >/dev/null; then bench_cleanup || true; fi
  stop_pg_cluster || true
  if [[ "$KEEP_TMP" == 1 ]]; then
    log "kept temp dir $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}

make_workdir() { # prefix: creates WORK and sets the traps that clean up on exit
  WORK="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # a loopback port nobody listens on, different from $1
  # Below the ephemeral range (32768 up): a port an outgoing connection holds, e.g. one of a
  # node's connections to PostgreSQL, cannot be listened on, though nobody listens there.
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 12000))
    [[ "$p" == "${1:-}" ]] && continue
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

# ---------------------------------------------------------------- portico
wait_serving() { # pid logfile: until portico logs that it serves (30 s at most)
  local pid="$1" logfile="$2" i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || { cat "$logfile" >&2; die "portico exited during startup"; }
    grep -q 'Portico is serving on' "$logfile" && break
    sleep 0.1
  done
  grep -q 'Portico is serving on' "$logfile" || { cat "$logfile" >&2; die "portico did not start within 30 s"; }
}

demo_totp_key() { # email logfile: the TOTP key `portico demo` printed for that user
  local key
  key="$(sed -n "s/^ *${1//./\\.} *TOTP key \([A-Z2-7=]*\).*/\1/p" "$2" | awk "NR == 1")"
  [[ -n "$key" ]] || { cat "$2" >&2; die "no TOTP key for $1 in the demo banner"; }
  echo "$key"
}

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
http_status() { # token url [outfile]: the status of GET url with the bearer token (000 if it fails)
  curl -s -o "${3:-/dev/null}" -w '%{http_code}' -H "Authorization: Bearer $1" "$2" || true
}
now_s() { date +%s.%N; } # the time in seconds, to the nanosecond
thousands() { # n: with a comma between groups of three digits ("1,000,000")
  awk -v n="$1" 'BEGIN { s = sprintf("%d", n); o = "";
    while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
    print s o }'
}

# Sign in: password, then the TOTP code. A code can be refused at the edge of a
# 30 s window, so try up to 3 windows.
sign_in() { # url email password totp-key -> sets SIGNED_IN_TOKEN
  local url="$1" email="$2" password="$3" key="$4" attempt login tok code status
  SIGNED_IN_TOKEN=""
  for attempt in 1 2 3; do
    login="$(curl -sS -X POST -H 'Content-Type: application/json' \
      -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$url/api/v1/auth/login")" \
      || die "login request failed"
    tok="$(printf '%s' "$login" | json_field token)"
    [[ -n "$tok" ]] || die "login gave no token: $login"
    [[ "$(printf '%s' "$login" | json_field mfa)" == verify ]] || die "login did not ask for TOTP: $login"
    code="$(oathtool --totp -b "$key")"
    status="$(curl -sS -o "$WORK/mfa.json" -w '%{http_code}' -X POST \
      -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d "{\"code\":\"$code\"}" "$url/api/v1/auth/mfa")" || die "mfa request failed"
    if [[ "$status" == 200 ]]; then SIGNED_IN_TOKEN="$tok"; break; fi
    log "TOTP step answered $status ($(cat "$WORK/mfa.json")), retrying in the next window"
    sleep $((31 - $(date +%s) % 30))
  done
  [[ -n "$SIGNED_IN_TOKEN" ]] || die "could not complete the TOTP step"
}

# ---------------------------------------------------------------- the databases
# A benchmark on both databases names them sqlite and postgres: the SQLite file SQLITE_DB and the
# database PG_URL of a PostgreSQL cluster of its own (start_pg_cluster).
on_sqlite() { # [sql]: runs the query on SQLITE_DB, or without one the SQL on stdin
  if (($#)); then sqlite3 -bail "$SQLITE_DB" "$1"; else sqlite3 -bail "$SQLITE_DB"; fi
}
on_postgres() { # [sql]: runs the query on PG_URL (unaligned, no headers), or without one the SQL on stdin
  if (($#)); then psql "$PG_URL" -Atq -v ON_ERROR_STOP=1 -c "$1"; else psql "$PG_URL" -Atq -v ON_ERROR_STOP=1; fi
}
db_url() { if [[ "$1" == sqlite ]]; then echo "$SQLITE_DB"; else echo "$PG_URL"; fi; } # db: its --db
key_file() { if [[ "$1" == sqlite ]]; then echo "$SQLITE_DB.key"; else echo "$WORK/pg.key"; fi; } # db: its --key-file

# Starts a durable PostgreSQL cluster of its own in DIR (tests/support/pg_cluster.sh with
# PG_CLUSTER_DURABLE=1) and creates the database portico_bench in it: sets PG_DIR, ADMIN_URL (the
# cluster's database postgres), PG_URL and PG_VERSION. cleanup stops it (stop_pg_cluster), and
# cpu_mark counts its processes as the servers' (pg_server_pids).
start_pg_cluster() { # dir
  PG_DIR="$1"
  log "starting a durable PostgreSQL cluster in $PG_DIR"
  ADMIN_URL="$(PG_CLUSTER_DURABLE=1 bash tests/support/pg_cluster.sh start "$PG_DIR")"
  psql "$ADMIN_URL" -qc 'CREATE DATABASE portico_bench'
  PG_URL="${ADMIN_URL%/*}/portico_bench"
  PG_VERSION="$(psql "$ADMIN_URL" -Atc 'SHOW server_version' | awk '{print $1}')"
}
stop_pg_cluster() { # stops the cluster of start_pg_cluster, if any; with BENCH_KEEP_TMP=1 its data directory stays
  [[ -n "$PG_DIR" ]] || return 0
  if [[ "$KEEP_TMP" == 1 && -f "$PG_DIR/data/postmaster.pid" ]]; then
    local pg_ctl
    pg_ctl="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)/pg_ctl"
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1
    else "$pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1; fi
  else
    bash tests/support/pg_cluster.sh stop "$PG_DIR" >/dev/null 2>&1
  fi
}
pg_server_pids() { # the postmaster of the cluster of start_pg_cluster and its backends (none without one)
  local pm
  [[ -n "$PG_DIR" ]] || return 0
  pm="$(head -n1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)" || return 0
  echo "$pm"
  pgrep -P "$pm" 2>/dev/null || true
}

demo_into() { # db key-file log: `portico demo` on that database until it serves, then stop it
  local port pid
  port="$(free_port)" || die "no free port"
  "$BIN" demo --db "$1" --key-file "$2" --mail-outbox "$WORK/mail" --sms-outbox "$WORK/sms" \
    --listen "127.0.0.1:$port" --no-access-log >"$3" 2>&1 &
  pid=$!
  DEMO_PID=$pid
  wait_serving "$pid" "$3"
  stop_pid "$pid"
  DEMO_PID=""
}
serve_db() { # db port: `portico serve --no-access-log` on it until it serves -> the pid in SERVED_PID and EXTRA_PIDS
  : >"$WORK/serve-$1.log"
  "$BIN" serve --db "$(db_url "$1")" --key-file "$(key_file "$1")" --listen "127.0.0.1:$2" \
    --mail-outbox "$WORK/mail-$1" --sms-outbox "$WORK/sms-$1" --no-access-log >>"$WORK/serve-$1.log" 2>&1 &
  SERVED_PID=$!
  EXTRA_PIDS+=("$SERVED_PID")
  wait_serving "$SERVED_PID" "$WORK/serve-$1.log"
}
# Serves every database of DBS (serve_db) on a free port of its own and signs in there as EMAIL
# (PASSWORD, the TOTP key TOTP_OF[db]): sets URL_BASE[db], TOKEN_DB[db] and PORT, the last port.
serve_signed_in() {
  local db
  declare -gA URL_BASE=() TOKEN_DB=()
  PORT=""
  for db in "${DBS[@]}"; do
    PORT="$(free_port "$PORT")" || die "no free port"
    serve_db "$db" "$PORT"
    URL_BASE[$db]="http://127.0.0.1:$PORT"
    sign_in "${URL_BASE[$db]}" "$EMAIL" "$PASSWORD" "${TOTP_OF[$db]}"
    TOKEN_DB[$db]="$SIGNED_IN_TOKEN"
  done
}

# ---------------------------------------------------------------- RSS sampler
rss_kb() { # VmRSS in kB, bash builtins only (the sampler should not load the machine)
  local k v rest
  while read -r k v rest; do
    [[ "$k" == VmRSS: ]] && { echo "$v"; return 0; }
  done <"/proc/$1/status" 2>/dev/null
  echo 0
}
nginx_rss_kb() { # master + workers (0 without nginx)
  local total=0 p
  for p in "${NGINX_PIDS[@]}"; do total=$((total + $(rss_kb "$p"))); done
  echo "$total"
}
start_rss_sampler() { # sets PORTICO_RSS_IDLE NGINX_RSS_IDLE; samples every 0.2 s into WORK/rss.max
  PORTICO_RSS_IDLE="$(rss_kb "$PORTICO_PID")"
  NGINX_RSS_IDLE="$(nginx_rss_kb)"
  touch "$WORK/sampling"
  (
    max_p=0 max_n=0
    while [[ -e "$WORK/sampling" ]]; do
      p="$(rss_kb "$PORTICO_PID")"; n="$(nginx_rss_kb)"
      ((p > max_p)) && max_p=$p
      ((n > max_n)) && max_n=$n
      echo "$max_p $max_n" >"$WORK/rss.max.tmp" && mv -f "$WORK/rss.max.tmp" "$WORK/rss.max"
      sleep 0.2
    done
  ) &
  SAMPLER_PID=$!
}
stop_rss_sampler() { # a few samples after the load, then sets PORTICO_RSS_MAX NGINX_RSS_MAX
  sleep 1
  rm -f "$WORK/sampling"
  stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
  read -r PORTICO_RSS_MAX NGINX_RSS_MAX <"$WORK/rss.max"
}

# ---------------------------------------------------------------- is the machine quiet?
cpu_busy_pct() { # share of all CPUs busy over 1 s, while the servers are idle
  local a b
  read -r -a a </proc/stat; sleep 1; read -r -a b </proc/stat
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
    tot = 0; idle = 0; for (i = 2; i <= n; i++) { d = y[i] - x[i]; tot += d; if (i == 5 || i == 6) idle += d }
    printf "%.0f", (tot > 0 ? 100 * (tot - idle) / tot : 0) }'
}
steal_probe_pct() { # keep every CPU busy for 1 s and report the hypervisor's steal share
  local a b pids=() i
  read -r -a a </proc/stat
  for ((i = 0; i < $(nproc); i++)); do
    timeout 1 bash -c 'while :; do :; done' &
    pids+=($!)
  done
  wait "${pids[@]}" 2>/dev/null || true
  read -r -a b </proc/stat
  awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN { n = split(a, x, " "); split(b, y, " ");
    tot = 0; for (i = 2; i <= n; i++) tot += y[i] - x[i];
    printf "%.0f", (tot > 0 ? 100 * (y[9] - x[9]) / tot : 0) }'
}
QUIET_WAIT="${BENCH_QUIET_WAIT:-300}"
wait_quiet() { # wait up to QUIET_WAIT s until the CPUs are at most 15% busy without load and
  # the hypervisor steals at most 3% of them under load; sets LAST_BUSY LAST_STEAL
  local start=$SECONDS said=0
  while :; do
    LAST_BUSY="$(cpu_busy_pct)"
    LAST_STEAL=0
    if ((LAST_BUSY <= 15)); then
      LAST_STEAL="$(steal_probe_pct)"
      ((LAST_STEAL <= 3)) && return 0
    fi
    if ((SECONDS - start >= QUIET_WAIT)); then
      log "WARNING: still not quiet after ${QUIET_WAIT} s (CPUs ${LAST_BUSY}% busy without load, steal ${LAST_STEAL}% under load); going on, figures will be low and noisy"
      return 1
    fi
    ((said)) || log "machine not quiet (CPUs ${LAST_BUSY}% busy without load by other processes, hypervisor steal ${LAST_STEAL}% under load); waiting up to ${QUIET_WAIT} s"
    said=1
    sleep 2
  done
}

# ---------------------------------------------------------------- load
run_wrk() { # out args... : wrk in the background, so that the signal traps fire at once
  local out="$1" rc=0
  shift
  wrk "$@" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=""
  return "$rc"
}

to_ms() { # wrk latency ("880.00us", "4.88ms", "1.02s", "1.00m") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.2f", n }'
}
ratio() { # a b: a / b to two decimals (three below 0.1), 0 when b is 0
  awk -v a="$1" -v b="$2" 'BEGIN { r = (b > 0 ? a / b : 0); printf (r > 0 && r < 0.1 ? "%.3f" : "%.2f"), r }'
}
alone_ms() { # token url n: one GET not counted, then the median of n GETs' total time in ms
  local k samples=()
  curl -s -o /dev/null -H "Authorization: Bearer $1" "$2" || true
  for ((k = 0; k < $3; k++)); do
    samples+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $1" "$2" |
      awk '{ printf "%.2f", $1 * 1000 }')")
  done
  median "${samples[@]}"
}
pdf_get() { # token url out -> prints ms; checks 200, application/pdf and the %PDF- header
  local t status type
  read -r status type t < <(curl -s -o "$3" -w '%{http_code} %{content_type} %{time_total}\n' \
    -H "Authorization: Bearer $1" "$2" || true)
  [[ "$status" == 200 && "$type" == application/pdf* && "$(head -c 5 "$3")" == "%PDF-" ]] ||
    die "GET ${2#http://*/} answered $status $type: $(head -c 200 "$3")"
  awk -v t="$t" 'BEGIN { printf "%.2f", t * 1000 }'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo "–" hi}'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

# Per name (the key): the counted runs' req/s and p99 (space-separated lists), and the totals
# over all runs, repeated ones included.
declare -A RPS_OF=() P99_OF=() NON2XX_OF=() SOCKERR_OF=() REQS_OF=()
RUN_ROWS=""
MAX_OTHER=0; MAX_STEAL=0
REPEATED=0; DISTURBED_KEPT=0
MAX_TRIES=3

# Interference check: CPU time the machine spent during a run that neither wrk
# (and the script's other children) nor the servers account for - other
# processes, e.g. a build running at the same time - plus hypervisor steal.
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
cpu_mark() { # sets C_TOTAL C_BUSY C_STEAL C_OURS (jiffies); run in the main shell
  local u n sy id wa irq sirq st rest p f
  read -r _ u n sy id wa irq sirq st rest </proc/stat
  C_TOTAL=$((u + n + sy + id + wa + irq + sirq + st))
  C_BUSY=$((u + n + sy + irq + sirq))
  C_STEAL=$st
  C_OURS=0
  # (bench_server_pids: a benchmark's servers that come and go, e.g. database backends; those of
  # the cluster of start_pg_cluster count without it)
  for p in "$PORTICO_PID" "${NGINX_PIDS[@]}" "${EXTRA_PIDS[@]}" $(pg_server_pids) \
    $(if declare -F bench_server_pids >/dev/null; then bench_server_pids; fi); do
    if read -ra f <"/proc/$p/stat" 2>/dev/null; then C_OURS=$((C_OURS + f[13] + f[14])); fi
  done
  times >"$WORK/times" # the script's reaped children: wrk, curl, awk...
  C_OURS=$((C_OURS + $(awk -v hz="$CLK_TCK" 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) {
      split($i, a, "m"); t += a[1] * 60 + a[2] }; printf "%.0f", t * hz }' "$WORK/times")))
}

disturbed() { ((R_OTHER > 10 || R_STEAL > 3)); }

one_run() { # name url idx -> sets R_RPS R_P99 R_NON2XX R_SOCKERR R_REQS R_OTHER R_STEAL
  local name="$1" url="$2" idx="$3" out="$WORK/wrk-$1-$3.txt"
  local t0 b0 s0 o0
  log "run $idx/$RUNS: $name ($url)"
  cpu_mark; t0=$C_TOTAL b0=$C_BUSY s0=$C_STEAL o0=$C_OURS
  run_wrk "$out" "${WRK_ARGS[@]}" "$url" || { cat "$out" >&2; die "wrk failed against $name"; }
  cpu_mark
  R_OTHER="$(awk -v b=$((C_BUSY - b0 - (C_OURS - o0))) -v t=$((C_TOTAL - t0)) 'BEGIN { v = (t > 0 ? 100 * b / t : 0); printf "%.0f", (v < 0 ? 0 : v) }')"
  R_STEAL="$(awk -v s=$((C_STEAL - s0)) -v t=$((C_TOTAL - t0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * s / t : 0) }')"
  ((R_OTHER > MAX_OTHER)) && MAX_OTHER=$R_OTHER
  ((R_STEAL > MAX_STEAL)) && MAX_STEAL=$R_STEAL
  if disturbed; then
    log "WARNING: during this run other processes used ~${R_OTHER}% and steal took ${R_STEAL}% of the CPUs: figures are disturbed"
  fi
  sed 's/^/    /' "$out" >&2
  R_RPS="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  R_P99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  R_NON2XX="$(awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /, "", $2); print $2}' "$out")"
  R_NON2XX="${R_NON2XX:-0}"
  R_SOCKERR="$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")"
  R_SOCKERR="${R_SOCKERR:-0}"
  R_REQS="$(awk '/requests in/ {print $1}' "$out")"
  [[ -n "$R_RPS" && -n "$R_P99" ]] || { cat "$out" >&2; die "could not parse wrk output"; }
  if ((R_NON2XX > 0)); then log "WARNING: $name run $idx had $R_NON2XX non-2xx/3xx responses"; fi
  if ((R_SOCKERR > 0)); then log "WARNING: $name run $idx had $R_SOCKERR socket errors"; fi
}

# A run during which other processes took more than 10% of the CPUs, or the
# hypervisor more than 3% (steal), is marked disturbed and repeated, at most
# MAX_TRIES - 1 times, after waiting for a quiet machine; its figures stay in the
# per-run table but not in the medians. The last disturbed try is kept, marked so.
measure() { # name url idx -> appends to RPS_OF P99_OF and the totals, a row to RUN_ROWS
  local name="$1" url="$2" idx="$3" attempt
  for ((attempt = 1; attempt <= MAX_TRIES; attempt++)); do
    if declare -F before_run >/dev/null; then before_run "$name" "$url"; fi
    one_run "$name" "$url" "$idx"
    NON2XX_OF[$name]=$((${NON2XX_OF[$name]:-0} + R_NON2XX))
    SOCKERR_OF[$name]=$((${SOCKERR_OF[$name]:-0} + R_SOCKERR))
    REQS_OF[$name]=$((${REQS_OF[$name]:-0} + R_REQS))
    if ! disturbed || ((attempt == MAX_TRIES)); then
      local note=""
      if disturbed; then note=" (disturbed, kept)"; DISTURBED_KEPT=$((DISTURBED_KEPT + 1)); fi
      RUN_ROWS+="| $idx | $name$note | $R_RPS | $R_P99 | $R_REQS | $R_NON2XX | $R_SOCKERR | $R_OTHER% | $R_STEAL% |"$'\n'
      break
    fi
    RUN_ROWS+="| $idx | ~~$name~~ (disturbed, repeated) | $R_RPS | $R_P99 | $R_REQS | $R_NON2XX | $R_SOCKERR | $R_OTHER% | $R_STEAL% |"$'\n'
    REPEATED=$((REPEATED + 1))
    log "repeating $name run $idx (disturbed)"
    wait_quiet || true
  done
  RPS_OF[$name]="${RPS_OF[$name]:-}${RPS_OF[$name]:+ }$R_RPS"
  P99_OF[$name]="${P99_OF[$name]:-}${P99_OF[$name]:+ }$R_P99"
}

# The load over NAMES, each with its URL_OF and its session TOKEN_OF: sets WRK_ARGS and WRK_CMD,
# warms every URL up for WARMUP (not counted), then measures RUNS rounds of NAMES in that order.
# shellcheck disable=SC2153 # (NAMES, URL_OF and TOKEN_OF are the script's)
measure_names() {
  local name r
  WRK_ARGS=(-t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$LUA")
  WRK_CMD="wrk -t$THREADS -c$CONNS -d$DURATION --latency -s bench/auth.lua URL"
  log "warm-up: $WARMUP each (not counted)"
  for name in "${NAMES[@]}"; do
    export PORTICO_TOKEN="${TOKEN_OF[$name]}"
    run_wrk /dev/null -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$LUA" "${URL_OF[$name]}" || die "warm-up of $name failed"
  done
  for ((r = 1; r <= RUNS; r++)); do
    for name in "${NAMES[@]}"; do measure "$name" "${URL_OF[$name]}" "$r"; done
  done
}
# A slow call leaves requests queued in its server when wrk stops: wait until the servers are
# idle again (at most 15% of the CPUs busy, 120 s at most), so that the next run does not pay for them.
wait_idle() {
  local start=$SECONDS busy
  while busy="$(cpu_busy_pct)"; ((busy > 15)); do
    if ((SECONDS - start >= 120)); then
      log "WARNING: the CPUs are still ${busy}% busy 120 s after the last run; going on"
      return 0
    fi
  done
}
# For before_run: exports PORTICO_TOKEN, the session TOKEN_OF[name], and dies unless URL still
# answers 200 with it (WHAT names the URL in the message; the URL itself without it).
check_session() { # name url [what]
  export PORTICO_TOKEN="${TOKEN_OF[$1]}"
  local status
  status="$(http_status "$PORTICO_TOKEN" "$2")"
  [[ "$status" == 200 ]] || die "before a $1 run, ${3:-$2} answered $status"
}
# After the runs: a WARNING for every name of NAMES whose URL no longer answers 200 with its session
# (its runs may have measured error responses); dies if a server of EXTRA_PIDS is no longer running.
check_after_runs() {
  local name pid
  for name in "${NAMES[@]}"; do
    [[ "$(http_status "${TOKEN_OF[$name]}" "${URL_OF[$name]}")" == 200 ]] || log "WARNING: after the runs, $name no longer answers 200"
  done
  for pid in "${EXTRA_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a portico server is no longer running"; done
}
# The counted runs of every name of NAMES: the median and the range of req/s (RPS, RPS_RANGE) and of
# p99 (P99, P99_RANGE); PER_RUN, the Markdown table of every run; SPREAD, the ranges in one line.
summarize_runs() {
  local name v
  declare -gA RPS=() P99=() RPS_RANGE=() P99_RANGE=()
  for name in "${NAMES[@]}"; do
    read -ra v <<<"${RPS_OF[$name]}"; RPS[$name]="$(median "${v[@]}")"; RPS_RANGE[$name]="$(range "${v[@]}")"
    read -ra v <<<"${P99_OF[$name]}"; P99[$name]="$(median "${v[@]}")"; P99_RANGE[$name]="$(range "${v[@]}")"
  done
  PER_RUN="| run | name | req/s | p99 ms | requests | non-2xx/3xx | socket errors | CPU of other processes | steal |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${RUN_ROWS%$'\n'}"
  SPREAD=""
  for name in "${NAMES[@]}"; do SPREAD+="${SPREAD:+; }$name ${RPS_RANGE[$name]} req/s, p99 ${P99_RANGE[$name]} ms"; done
}

# ---------------------------------------------------------------- docs
machine_info() { # "2 CPUs, MODEL, 24 GiB RAM, Linux RELEASE"
  local cpu mem
  cpu="$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  mem="$(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "$(nproc) CPUs, $cpu, $mem RAM, Linux $(uname -r)"
}
build_flags() { # the optimisation/debug/sanitizer flags build/ was configured with
  awk '/^ *FLAGS = / && !done { done = 1; for (i = 3; i <= NF; i++)
      if ($i ~ /^-O|^-g$|^-DNDEBUG$|^-fsanitize=/) out = out (out == "" ? "" : " ") $i }
      END { print out }' build/build.ninja 2>/dev/null || true
}

# Adds the section FILE (starting with its heading line HEADING) to docs/benchmarks.md, or replaces
# it where it is (up to the next "## " heading); the rest of the file stays as it is.
write_doc_section() { # heading file
  local heading="$1" file="$2"
  mkdir -p docs
  [[ -f docs/benchmarks.md ]] || printf '# Benchmarks\n' >docs/benchmarks.md
  awk -v f="$file" -v h="$heading" '
    function emit(  l) { while ((getline l < f) > 0) print l; close(f); done = 1 }
    skip && /^## / { skip = 0; print "" }
    $0 == h { emit(); skip = 1; next }
    !skip { print; last = $0 }
    END { if (!done) { if (last != "") print ""; emit() } }
  ' docs/benchmarks.md >"$WORK/benchmarks.md"
  cat "$WORK/benchmarks.md" >docs/benchmarks.md
  log "wrote the section \"$heading\" of docs/benchmarks.md"
}

# ---------------------------------------------------------------- the companies data set
# The SQL that adds the data set of bench/companies.sh to a demo database, for sqlite3 or psql:
# N_COMPANIES managed companies B-00001... in organization ORG_ID, N_USERS active users
# user000001@bench.example... (no password, no 2FA), three memberships (role "user") per user -
# generated user i (0-based) in generated companies (7 i + 3331 k) mod N_COMPANIES, k = 0, 1, 2 -
# and ANNA_EXTRA memberships of user ANNA_ID in every (N_COMPANIES / ANNA_EXTRA)th of them. One
# transaction, then ANALYZE. The SQL is the same on both but for padding numbers and the time.
seed_companies_sql() { # sqlite|postgres
  local pad now
  if [[ "$1" == sqlite ]]; then
    pad() { echo "printf('%0${2}d', $1)"; }
    now="CAST(strftime('%s', 'now') AS INTEGER)"
    printf '.timeout 10000\n.bail on\nPRAGMA foreign_keys = ON;\nPRAGMA cache_size = -262144;\nBEGIN IMMEDIATE;\n'
  else
    pad() { echo "lpad(CAST($1 AS TEXT), $2, '0')"; }
    now="CAST(extract(epoch FROM now()) AS BIGINT)"
    printf '\\set ON_ERROR_STOP on\nSET client_min_messages = warning;\nBEGIN;\n'
  fi
  cat <<SQL
CREATE TEMP TABLE seed AS SELECT $ORG_ID AS org, $now AS now;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_COMPANIES)
INSERT INTO companies (org_id, external_id, name, org_number, managed, created_at, updated_at)
SELECT seed.org, 'B-' || $(pad i 5), 'Bench Customer ' || $(pad i 5) || ' AB', '556' || $(pad i 7),
       1, seed.now, seed.now
FROM n, seed;
-- k: 0-based number of a generated company
CREATE TEMP TABLE bench_companies (k INTEGER PRIMARY KEY, id BIGINT NOT NULL);
INSERT INTO bench_companies
SELECT CAST(substr(external_id, 3) AS INTEGER) - 1, id FROM companies
WHERE org_id = $ORG_ID AND external_id LIKE 'B-_____';

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N_USERS)
INSERT INTO users (email, password_hash, first_name, last_name, language, status, created_at)
SELECT 'user' || $(pad i 6) || '@bench.example', NULL, 'Bench', 'User ' || $(pad i 6), 'en', 'active',
       seed.now
FROM n, seed;
-- i: 0-based number of a generated user
CREATE TEMP TABLE bench_users (i INTEGER PRIMARY KEY, id BIGINT NOT NULL);
INSERT INTO bench_users
SELECT CAST(substr(email, 5, 6) AS INTEGER) - 1, id FROM users
WHERE email LIKE 'user______@bench.example';

ANALYZE bench_companies;
ANALYZE bench_users;
-- user i: companies (7 i + 3331 k) mod N for k = 0, 1, 2 (three different ones; 7 is prime to N,
-- so every company gets 3 * N_USERS / N members)
WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 2)
INSERT INTO memberships (company_id, user_id, role, permissions, all_sites, created_at)
SELECT c.id, u.id, 'user', '', 1, seed.now
FROM bench_users u CROSS JOIN k CROSS JOIN seed
JOIN bench_companies c ON c.k = (u.i * 7 + k.k * 3331) % $N_COMPANIES
ORDER BY u.i, k.k;

INSERT INTO memberships (company_id, user_id, role, permissions, all_sites, created_at)
SELECT c.id, $ANNA_ID, 'user', '', 1, seed.now
FROM bench_companies c, seed WHERE c.k % ($N_COMPANIES / $ANNA_EXTRA) = 0;
COMMIT;
ANALYZE;
SQL
  if [[ "$1" == sqlite ]]; then echo 'PRAGMA wal_checkpoint(TRUNCATE);'; fi
  unset -f pad
}

# Writes WORK/nginx.conf: a foreground nginx with its pid, logs and temporary files in WORK (its
# workers as nobody when started as root) and, inside `http { }` after `access_log off`, the
# lines read from stdin (servers, upstreams, log formats). Creates WORK/nginx-tmp.
write_nginx_conf() {
  local user=""
  if [[ $EUID -eq 0 ]]; then user="user nobody $(id -gn nobody 2>/dev/null || echo nogroup);"; fi
  mkdir -p "$WORK/nginx-tmp"
  {
    cat <<EOC
$user
worker_processes auto;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events {}
http {
    access_log off;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path       $WORK/nginx-tmp/proxy;
    fastcgi_temp_path     $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path       $WORK/nginx-tmp/uwsgi;
    scgi_temp_path        $WORK/nginx-tmp/scgi;
EOC
    cat
    echo "}"
  } >"$WORK/nginx.conf"
}

# Starts nginx serving the files of WORK/www as JSON on 127.0.0.1:PORT (WORK, WORK/www and the files
# made world-readable: as root, its workers run as nobody) and waits until FILE answers 200 (10 s at
# most): sets NGINX_PID, NGINX_PIDS (master + workers) and NURL.
start_static_nginx() { # port file
  local port="$1" file="$2" ok=0 i
  chmod 755 "$WORK" "$WORK/www"
  chmod 644 "$WORK/www"/*
  write_nginx_conf <<EOF
    default_type application/json;
    server {
        listen 127.0.0.1:$port;
        root $WORK/www;
    }
EOF
  log "starting nginx on 127.0.0.1:$port"
  "$NGINX" -p "$WORK/" -e "$WORK/nginx-error.log" -c "$WORK/nginx.conf" >"$WORK/nginx.out" 2>&1 &
  NGINX_PID=$!
  NURL="http://127.0.0.1:$port"
  for ((i = 0; i < 100; i++)); do
    kill -0 "$NGINX_PID" 2>/dev/null || break
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$NURL/$file" || true)" == 200 ]]; then ok=1; break; fi
    sleep 0.1
  done
  if ((!ok)); then
    cat "$WORK/nginx.out" "$WORK/nginx-error.log" >&2 2>/dev/null || true
    die "nginx did not come up"
  fi
  mapfile -t NGINX_PIDS < <(echo "$NGINX_PID"; pgrep -P "$NGINX_PID" 2>/dev/null || true)
}
