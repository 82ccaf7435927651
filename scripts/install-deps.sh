#!/usr/bin/env bash
# Installs what Portico needs to build, test and benchmark. Safe to run again: it only installs
# what is missing. Usage: scripts/install-deps.sh [--build-only|--with-browser|--with-bench]
set -euo pipefail

mode="${1:---with-browser}"

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost-dev libboost-system-dev
  libsqlite3-dev sqlite3 libsodium-dev libssl-dev liboath-dev libqrencode-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libcurl4-openssl-dev
  libkainjow-mustache-dev libgtest-dev libgmock-dev libexpected-dev
  nodejs npm
)
case "$mode" in
  --with-browser) packages+=(chromium) ;;
  --with-bench) packages+=(chromium wrk nginx) ;;
esac

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Front-end packages (CSS, the browser test driver) come from npm, bundled at build time.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$here/node_modules" ] || [ "$here/package.json" -nt "$here/node_modules/.installed" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
