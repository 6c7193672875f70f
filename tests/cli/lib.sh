# Helpers for CLI test scripts: source it, then call the checks.
# $SF is the storyfold command (possibly wrapped in valgrind).
set -u
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
D="$SF_TEST_DATA"
failures=0

fail() { echo "not ok: $*"; failures=$((failures + 1)); }

# expect_rc RC CMD...: runs CMD, stdout to $TMP/out, stderr to $TMP/err.
expect_rc() {
    want=$1; shift
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    [ "$got" -eq "$want" ] || { fail "exit $got, wanted $want: $*"; sed 's/^/  stderr: /' "$TMP/err" | head -20; }
}
# expect_file_eq EXPECTED ACTUAL
expect_file_eq() {
    diff -u "$1" "$2" >"$TMP/diff" || { fail "output differs from $1"; head -40 "$TMP/diff"; }
}
# expect_grep PATTERN FILE
expect_grep() { grep -q -- "$1" "$2" || fail "'$1' not in $2"; }
expect_no_grep() { ! grep -q -- "$1" "$2" || fail "'$1' found in $2"; }
done_testing() { [ "$failures" -eq 0 ]; exit $?; }
