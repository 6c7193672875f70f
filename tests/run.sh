#!/bin/sh
# Runs every unit test binary and every CLI case, then prints one closing
# line "N passed, N failed". usage: tests/run.sh BUILD_DIR
# SF_VALGRIND=1 runs everything under valgrind (errors fail the test).
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export SF_TEST_DATA="$ROOT/tests/data"
export SF="$ROOT/$BUILD/storyfold"
export SF_BUILD="$ROOT/$BUILD"
WRAP=""
if [ -n "$SF_VALGRIND" ]; then
    WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
    export SF="$WRAP $SF"
fi
export SF_WRAP="$WRAP"
pass=0
fail=0
cd "$ROOT" || exit 2
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    if $WRAP "$t" >"$BUILD/tests/$name.log" 2>&1; then
        pass=$((pass + 1))
        echo "ok   $name ($(grep -c '\[       OK \]' "$BUILD/tests/$name.log") cases)"
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        sed 's/^/     /' "$BUILD/tests/$name.log" | tail -40
    fi
done
# CLI cases: tests/cli/NAME.sh runs commands with $SF; it passes when it
# exits 0. Each script compares outputs itself (see tests/cli/lib.sh).
for c in tests/cli/*.sh; do
    [ -f "$c" ] || continue
    name=$(basename "$c" .sh)
    [ "$name" = lib ] && continue
    if sh "$c" >"$BUILD/tests/cli_$name.log" 2>&1; then
        pass=$((pass + 1))
        echo "ok   cli/$name"
    else
        fail=$((fail + 1))
        echo "FAIL cli/$name"
        sed 's/^/     /' "$BUILD/tests/cli_$name.log" | tail -40
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
