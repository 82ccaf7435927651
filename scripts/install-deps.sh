#!/usr/bin/env bash
# Installs what Portico needs to build and test: Debian -dev packages and, from npm, Pico CSS (bundled
# into the binary at build time) and playwright-core (drives Debian's chromium in the browser test).
# clang and its runtime build the fuzz targets (make fuzz); PostgreSQL's server runs the tests on
# PostgreSQL (a throw-away cluster of their own, never the system's). dpkg-dev and file let CPack
# find the Debian package's library dependencies (make deb). cairo and pango render the PDFs (with
# the DejaVu fonts, and WenQuanYi for Chinese, Japanese and Korean); poppler-utils' pdftotext reads
# them back in the tests, and zbar-tools' zbarimg scans the QR codes of the devices' labels.
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost-dev libboost-system-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql libsodium-dev libssl-dev liboath-dev libqrencode-dev libunistring-dev
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libcurl4-openssl-dev
  libkainjow-mustache-dev libgtest-dev libgmock-dev libexpected-dev libhowardhinnant-date-dev tzdata
  john-data chromium oathtool python3 nginx curl
  libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-wqy-microhei poppler-utils zbar-tools
  dpkg-dev file
  clang libclang-rt-14-dev
)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

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

here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$here/node_modules/.installed" ] || [ "$here/package.json" -nt "$here/node_modules/.installed" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
