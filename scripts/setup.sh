#!/usr/bin/env bash
# Installs every Debian package vtrust needs to build, test and benchmark.
# Idempotent: packages already present are skipped, so a second run is quick.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config clang-14 libclang-rt-14-dev clang-format
  # libraries
  libssl-dev openssl libsqlite3-dev sqlite3 libpq-dev nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev libcpp-httplib-dev libboost1.81-dev libcbor-dev libqrencode-dev
  libtomlplusplus-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # real components used by the tests
  libp11-kit-dev postgresql-15 softhsm2 opensc gnutls-bin libnss3-tools curl
  python3 zbar-tools librsvg2-bin
  # the portal's browser suite (tests/portal: playwright-core drives Debian's chromium) and
  # the CJK font the ID card's SVG names (Noto Sans CJK)
  chromium fonts-noto-cjk
  # benchmarks (anchors)
  wrk nginx-light
)
# The portal is built with node and npm (portal/package-lock.json, src/portal/CMakeLists.txt).
# The official C2PA SDK check (tests/c2pa_sdk, content_test) runs under node. The machine
# image has Node 20, where c2pa-wasm 0.13.3 is checked; only without any node, Debian's
# (18, not checked with c2pa-wasm) is installed.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# nginx is only an anchor for benchmarks: never leave a system instance running.
# (Only the service this install started: other users' nginx processes are theirs.)
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true; fi
echo "setup: done"
