#!/usr/bin/env bash
# The Debian package of `make deb`: it installs with its dependencies, lays out its files, serves
# /readyz the way its systemd unit runs it, and leaves nothing of itself behind on purge.
# Where systemd runs, the unit itself is started. Where it does not (a container), the unit's
# ExecStartPre= and ExecStart= lines are read from the installed unit file and run as its User=,
# with its WorkingDirectory= and UMask=, without capabilities and with no_new_privs, on a free
# port (--listen after --config wins over the file).
# Needs root: it installs and purges the package portico on this machine, and refuses to start
# if portico is installed already or /var/lib/portico exists (a purge would delete that data).
# Usage: bash tests/package/deb_test.sh [build-deb/portico_VERSION_ARCH.deb]
set -uo pipefail

die() {
  echo "FAIL $*" >&2
  exit 1
}
ok() { echo "ok   $*"; }
readyz() {  # readyz PORT: "CODE BODY" of GET /readyz, "000 " while nothing answers
  local out
  out=$(curl -s -m 2 -o - -w '\n%{http_code}' "http://127.0.0.1:$1/readyz")
  echo "${out##*$'\n'} ${out%$'\n'*}"
}
wait_ready() {  # wait_ready PORT: 200 and "ready" within 20 s; else show_log and fail
  local answer=""
  for _ in $(seq 100); do
    answer=$(readyz "$1")
    [ "${answer%% *}" = 200 ] && break
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
      show_log
      die "portico serve exited before /readyz answered"
    fi
    sleep 0.2
  done
  if [ "${answer%% *}" != 200 ] || ! grep -q '"status":"ready"' <<<"$answer"; then
    show_log
    die "GET http://127.0.0.1:$1/readyz answers '$answer', want 200 and status ready"
  fi
  ok "GET http://127.0.0.1:$1/readyz: ${answer#* }"
}
port_free() { python3 -c 'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null; }

here="$(cd "$(dirname "$0")/../.." && pwd)"
if [ $# -gt 0 ]; then
  deb="$1"
else
  deb=$(find "$here/build-deb" -maxdepth 1 -name 'portico_*.deb' 2>/dev/null | sort | tail -n 1)
fi
{ [ -n "$deb" ] && [ -f "$deb" ]; } || die "no package: give its path, or run make deb first"
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
[ "$(id -u)" = 0 ] || die "the package test installs a package: run it as root"
for tool in apt-get dpkg dpkg-deb curl python3 setpriv; do
  command -v "$tool" >/dev/null || die "the package test needs $tool"
done

if dpkg-query -W -f='${Status}' portico 2>/dev/null | grep -q "installed"; then
  die "portico is installed on this machine already; this test would purge it (apt-get remove --purge portico first if it is a leftover)"
fi
[ -e /var/lib/portico ] && die "/var/lib/portico exists; the purge at the end of this test would delete it"

systemd=no
[ -d /run/systemd/system ] && systemd=yes
had_user=no
getent passwd portico >/dev/null && had_user=yes
dir=$(mktemp -d)
installed=no
server_pid=""

cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$server_pid" 2>/dev/null
  fi
  if [ "$installed" = yes ] && dpkg-query -W -f='${Status}' portico 2>/dev/null | grep -q "installed"; then
    echo "cleanup: purging the package portico" >&2
    DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y portico >/dev/null 2>&1
  fi
  if [ "$had_user" = no ] && getent passwd portico >/dev/null; then
    deluser --system --quiet portico >/dev/null 2>&1 || userdel portico 2>/dev/null
    getent group portico >/dev/null && groupdel portico 2>/dev/null
  fi
  rm -rf "$dir"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The package itself: the conffile, the maintainer scripts, the library dependencies.
dpkg-deb -I "$deb" conffiles 2>/dev/null | grep -qx "/etc/portico/portico.conf" ||
  die "dpkg-deb -I $deb: /etc/portico/portico.conf is not a conffile"
ok "the package marks /etc/portico/portico.conf as a conffile"
for script in postinst prerm postrm; do
  dpkg-deb -I "$deb" "$script" >/dev/null 2>&1 || die "the package has no $script"
done
ok "the package has postinst, prerm and postrm"
depends=$(dpkg-deb -f "$deb" Depends)
# The PDFs need pango and cairo, and fonts (DejaVu; WenQuanYi for Chinese, Japanese and Korean).
for dep in adduser libc6 libsqlite3-0 libpq5 libsodium23 libpangocairo-1.0-0 libcairo2 \
  fonts-dejavu-core fonts-wqy-microhei; do
  grep -qE "(^|, )$dep( |,|$)" <<<"$depends" || die "the package does not depend on $dep: $depends"
done
ok "the package depends on its libraries (dpkg-shlibdeps): $(tr ',' '\n' <<<"$depends" | wc -l) packages"

# In systemd mode the unit serves on the port of the packaged config, which must be free.
conf_port=8080
if [ "$systemd" = yes ] && ! port_free "$conf_port"; then
  die "127.0.0.1:$conf_port (the packaged config's listen) is in use; the unit could not start"
fi

if ! DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >"$dir/install.log" 2>&1; then
  cat "$dir/install.log" >&2
  die "apt-get install -y $deb"
fi
installed=yes
ok "apt-get install $(basename "$deb")"
grep -q "runuser -u portico -- portico init" "$dir/install.log" ||
  die "the postinst does not say how to create the first administrator"
ok "the postinst says how to create the first administrator"

# The files, their owners and modes.
[ -x /usr/bin/portico ] || die "/usr/bin/portico is missing or not executable"
/usr/bin/portico --help >/dev/null 2>&1 || die "/usr/bin/portico --help fails"
unit=/lib/systemd/system/portico.service
[ -f "$unit" ] || die "$unit is missing"
conf=/etc/portico/portico.conf
[ -f "$conf" ] || die "$conf is missing"
[ "$(stat -c '%U:%G %a' "$conf")" = "root:portico 640" ] ||
  die "$conf is $(stat -c '%U:%G %a' "$conf"), want root:portico 640 (it may hold passwords)"
nginx_example=/usr/share/doc/portico/examples/nginx-portico.conf
[ -f "$nginx_example" ] || die "$nginx_example is missing"
dpkg-query -W -f='${Conffiles}' portico | grep -q "^ $conf " || die "dpkg does not list $conf as a conffile"
getent passwd portico >/dev/null || die "the postinst did not create the system user portico"
[ "$(stat -c '%U:%G %a' /var/lib/portico)" = "portico:portico 750" ] ||
  die "/var/lib/portico is $(stat -c '%U:%G %a' /var/lib/portico), want portico:portico 750"
ok "installed: /usr/bin/portico, $unit, $conf (root:portico 640), $nginx_example, user portico, /var/lib/portico"

# The unit: hardened, restarted on failure, migrating and serving with the packaged config.
for line in "User=portico" "StateDirectory=portico" "ProtectSystem=strict" "ProtectHome=yes" \
  "PrivateTmp=yes" "PrivateDevices=yes" "NoNewPrivileges=yes" "CapabilityBoundingSet=" \
  "SystemCallFilter=@system-service" "MemoryDenyWriteExecute=yes" "UMask=0077" \
  "Restart=on-failure" "ExecStart=/usr/bin/portico serve --config $conf"; do
  grep -qxF "$line" "$unit" || die "$unit lacks the line $line"
done
ok "the unit runs portico serve --config $conf as portico, hardened, Restart=on-failure"
if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify "$unit" >"$dir/verify.log" 2>&1 || {
    cat "$dir/verify.log" >&2
    die "systemd-analyze verify $unit"
  }
  [ -s "$dir/verify.log" ] && {
    cat "$dir/verify.log" >&2
    die "systemd-analyze verify $unit warns"
  }
  ok "systemd-analyze verify $unit"
fi
if command -v nginx >/dev/null && command -v openssl >/dev/null; then
  # The example with a throw-away certificate, inside a minimal nginx.conf of its own.
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=portal.example.com \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || die "openssl req"
  sed -e "s#ssl_certificate .*#ssl_certificate $dir/cert.pem;#" \
    -e "s#ssl_certificate_key .*#ssl_certificate_key $dir/key.pem;#" "$nginx_example" >"$dir/site.conf"
  printf 'pid %s/nginx.pid;\nerror_log %s/error.log;\nevents {}\nhttp {\n  include %s/site.conf;\n}\n' \
    "$dir" "$dir" "$dir" >"$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/nginx-t.log" 2>&1 || {
    cat "$dir/nginx-t.log" >&2
    die "nginx -t rejects $nginx_example"
  }
  ok "nginx -t accepts $nginx_example"
fi

if [ "$systemd" = yes ]; then
  systemctl is-enabled --quiet portico.service || die "the postinst did not enable portico.service"
  systemctl is-active --quiet portico.service || systemctl start portico.service ||
    die "systemctl start portico.service: $(journalctl -u portico -n 20 --no-pager 2>&1)"
  ok "systemd: portico.service enabled and active"
  show_log() { journalctl -u portico -n 50 --no-pager >&2; }
  wait_ready "$conf_port"
  systemctl stop portico.service || die "systemctl stop portico.service"
  systemctl is-active --quiet portico.service && die "portico.service still runs after systemctl stop"
  ok "systemctl stop portico.service"
else
  echo "     (systemd is not running: the unit's command lines, as its User=, without systemd)"
  unit_value() { sed -n "s/^$1=//p" "$unit"; }
  user=$(unit_value User)
  [ -n "$user" ] || die "$unit has no User="
  state="/var/lib/$(unit_value StateDirectory)"
  workdir=$(unit_value WorkingDirectory)
  umask_value=$(unit_value UMask)
  mapfile -t pre < <(unit_value ExecStartPre)
  start=$(unit_value ExecStart)
  [ "${#pre[@]}" -gt 0 ] || die "$unit has no ExecStartPre="
  special='["'"'"'$\\%]'
  for cmd in "${pre[@]}" "$start"; do
    [[ "$cmd" =~ ^/ ]] || die "$unit: '$cmd' has a prefix (-+!@:) or no absolute path; this test runs plain command lines only"
    [[ "$cmd" =~ $special ]] && die "$unit: '$cmd' needs systemd's quoting or specifiers, which this test does not parse"
  done
  # What StateDirectory= makes: the directory, owned by User=.
  install -d -o "$user" -g "$user" -m 0750 "$state"
  # as_unit COMMAND LINE…: becomes it (exec), as User=, in WorkingDirectory=, with UMask=, without
  # capabilities; so run it in a subshell, or in the background, whose pid is then the server's.
  as_unit() {
    cd "${workdir:-/}" && umask "${umask_value:-0022}" &&
      exec setpriv --reuid="$user" --regid="$user" --init-groups --no-new-privs \
        --inh-caps=-all --bounding-set=-all -- "$@"
  }
  for cmd in "${pre[@]}"; do
    read -ra words <<<"$cmd"
    (as_unit "${words[@]}") >"$dir/pre.log" 2>&1 || {
      cat "$dir/pre.log" >&2
      die "ExecStartPre=$cmd fails"
    }
    ok "ExecStartPre=$cmd: $(tail -n 1 "$dir/pre.log")"
  done
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  read -ra words <<<"$start"
  as_unit "${words[@]}" --listen "127.0.0.1:$port" >"$dir/serve.log" 2>&1 &
  server_pid=$!
  show_log() { cat "$dir/serve.log" >&2; }
  wait_ready "$port"
  for f in portico.db portico.db.key; do
    [ "$(stat -c %U "$state/$f" 2>/dev/null)" = "$user" ] || die "$state/$f is missing or not owned by $user"
  done
  [ "$(stat -c %a "$state/portico.db.key")" = 600 ] || die "$state/portico.db.key is not mode 600"
  [ -z "$(find "$state" -perm /007 -print -quit)" ] || die "$state holds files others may read: UMask= not applied"
  ok "the database and its key file in $state belong to $user, nothing there for others"
  # The README's first administrator, while the portal serves.
  runuser -u portico -- portico init --db "$state/portico.db" --org "Package test" \
    --admin-email admin@example.com --public-url https://portal.example.com >"$dir/init.log" 2>&1 || {
    cat "$dir/init.log" >&2
    die "runuser -u portico -- portico init fails"
  }
  grep -q "^https://portal.example.com/signup?token=" "$dir/init.log" || die "portico init printed no signup link: $(cat "$dir/init.log")"
  ok "runuser -u portico -- portico init: the administrator's signup link"
  kill -TERM "$server_pid"
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$server_pid" 2>/dev/null && die "portico serve still runs 10 s after SIGTERM"
  wait "$server_pid"
  rc=$?
  server_pid=""
  [ "$rc" = 0 ] || die "portico serve exited with $rc on SIGTERM, want 0: $(tail -n 5 "$dir/serve.log")"
  ok "portico serve stops on SIGTERM with 0"
fi

# Removal: the files go, and purge takes the state directory with it.
if ! DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y portico >"$dir/remove.log" 2>&1; then
  cat "$dir/remove.log" >&2
  die "apt-get remove --purge -y portico"
fi
for f in /usr/bin/portico "$unit" "$conf" "$nginx_example" /var/lib/portico /etc/portico; do
  [ -e "$f" ] && die "$f is still there after apt-get remove --purge portico"
done
dpkg-query -W -f='${Status}' portico 2>/dev/null | grep -q "installed" && die "dpkg still lists portico as installed"
if [ "$systemd" = yes ]; then
  systemctl is-active --quiet portico.service && die "portico.service still runs after the purge"
  [ -L /etc/systemd/system/multi-user.target.wants/portico.service ] &&
    die "portico.service is still enabled after the purge"
fi
ok "apt-get remove --purge portico: binary, unit, config, examples and /var/lib/portico gone"
echo "PASS the Debian package ($(basename "$deb"), systemd running: $systemd)"
