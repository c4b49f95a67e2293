#!/usr/bin/env bash
# Installs the Debian packages vtrust needs, by what you want to do with it:
#
#   scripts/setup.sh run     build and run vtrust (`make run`): compiler and libraries
#   scripts/setup.sh test    (the default) run + the test suite (`make test`, .ci/run): a
#                            PostgreSQL 15 server, SoftHSM2, GoogleTest, clang-format, and the
#                            real tools the end-to-end tests drive (openssl, curl, jq, ...)
#   scripts/setup.sh bench   test + the benchmarks' anchors (`make bench`): wrk, nginx
#   scripts/setup.sh fuzz    test + clang-14 and its libFuzzer runtime (`make fuzz`)
#
#   scripts/setup.sh --list PROFILE   prints the profile's packages, one a line; installs nothing
#
# Idempotent: packages already present are skipped, so a second run is quick. Stops no
# process: the only service it touches is an nginx that this very run installed (and so
# started), which it disables again.
set -euo pipefail

RUN_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config
  # libraries (headers and the libraries vtrust links)
  libssl-dev openssl libsqlite3-dev libpq-dev nlohmann-json3-dev libcli11-dev
  libspdlog-dev libfmt-dev libcpp-httplib-dev libboost1.81-dev libcbor-dev libqrencode-dev
  libtomlplusplus-dev zlib1g-dev libp11-kit-dev
)
TEST_PACKAGES=(
  libgtest-dev libgmock-dev clang-format
  # real components used by the tests
  postgresql-15 softhsm2 opensc gnutls-bin libnss3-tools curl jq sqlite3
  python3 zbar-tools librsvg2-bin libpng-dev fonts-wqy-microhei
  # the portal's browser suite (tests/portal: playwright-core drives Debian's chromium) and
  # the CJK font the ID card's SVG names (Noto Sans CJK)
  chromium fonts-noto-cjk
)
BENCH_PACKAGES=(wrk nginx-light libbenchmark-dev)
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

list=0
if [ "${1:-}" = "--list" ]; then
  list=1
  shift
fi
profile="${1:-test}"
case "$profile" in
  run) PACKAGES=("${RUN_PACKAGES[@]}") ;;
  test) PACKAGES=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}") ;;
  bench) PACKAGES=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}") ;;
  fuzz) PACKAGES=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}") ;;
  *)
    echo "usage: $0 [--list] [run|test|bench|fuzz]" >&2
    exit 2
    ;;
esac
# The portal is built with node and npm at build time, for every profile
# (portal/package-lock.json, src/portal/CMakeLists.txt).
# The official C2PA SDK check (tests/c2pa_sdk, content_test) runs under node. The machine
# image has Node 20, where c2pa-wasm 0.13.3 is checked; only without any node, Debian's
# (18, not checked with c2pa-wasm) is installed.
if ! command -v node >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

if [ "$list" -eq 1 ]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup ($profile): all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "setup ($profile): installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# nginx is only an anchor for benchmarks: the service its installation just started is
# disabled again. Only when this run installed it: an nginx that was there before is
# somebody else's.
for p in "${missing[@]}"; do
  if [ "$p" = nginx-light ] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
done
echo "setup ($profile): done"
