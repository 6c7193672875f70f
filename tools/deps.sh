#!/bin/sh
# Installs the Debian packages that storyfold needs to build and test, when
# any is missing. Needs root (or sudo).
#   tools/deps.sh         what the build and the tests need
#   tools/deps.sh fuzz    also clang and libFuzzer
set -e
PKGS="build-essential pkg-config python3 libutf8proc-dev libjansson-dev libxxhash-dev libstemmer-dev libcmocka-dev valgrind"
[ "${1:-}" = fuzz ] && PKGS="$PKGS clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "storyfold: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >&2
