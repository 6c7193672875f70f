# storyfold serve: the HTTP API on loopback (tests/server/test_api.py).
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
expect_rc 1 $SF serve --port 0
expect_grep "needs --db" "$TMP/err"
expect_rc 1 $SF serve --db "$TMP/x.db" --port 70000
python3 "$ROOT/tests/server/test_api.py" "$SF" "$ROOT" || fail "server API"
done_testing
