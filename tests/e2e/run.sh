#!/bin/sh
# The browser test: tests/e2e/e2e.mjs against BUILD/storyfold.
# Needs what `tools/deps.sh e2e` installs (chromium, node, npm packages).
# usage: tests/e2e/run.sh BUILD_DIR
set -e
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -x /usr/bin/chromium ] || { echo "e2e: /usr/bin/chromium missing (tools/deps.sh e2e)"; exit 1; }
[ -d "$ROOT/tests/e2e/node_modules/playwright-core" ] ||
    { echo "e2e: playwright-core missing (tools/deps.sh e2e)"; exit 1; }
cd "$ROOT/tests/e2e"
exec timeout 300 node e2e.mjs "$ROOT/$BUILD/storyfold" "$ROOT"
