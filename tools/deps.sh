#!/bin/sh
# Installs the Debian packages that storyfold needs to build and test, when
# any is missing. Needs root (or sudo).
#   tools/deps.sh         what the build and the tests need
#   tools/deps.sh fuzz    also clang and libFuzzer
#   tools/deps.sh e2e     also Chromium, Node.js and npm, and the browser
#                         test's npm packages (tests/e2e, from its lock file)
set -e
PKGS="build-essential pkg-config python3 libutf8proc-dev libjansson-dev libxxhash-dev libstemmer-dev libcmocka-dev valgrind libsqlite3-dev libmicrohttpd-dev curl"
[ "${1:-}" = fuzz ] && PKGS="$PKGS clang libclang-rt-14-dev"
if [ "${1:-}" = e2e ]; then
    PKGS="$PKGS chromium"
    # Node.js may come from another repository that bundles npm.
    command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
    command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "storyfold: installing$missing" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >&2
fi
if [ "${1:-}" = e2e ]; then
    # playwright-core only drives the browser; it never downloads one.
    dir="$(dirname "$0")/../tests/e2e"
    [ -d "$dir/node_modules/playwright-core" ] ||
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
exit 0
