# The command line: usage errors exit 1 with a message, help and version exit 0.
. "$(dirname "$0")/lib.sh"

expect_rc 1 $SF
expect_grep "usage: storyfold" "$TMP/err"
expect_rc 0 $SF --help
expect_grep "fold INPUT" "$TMP/out"
expect_rc 0 $SF version
expect_grep "^storyfold [0-9]" "$TMP/out"
expect_rc 1 $SF frobnicate
expect_grep "unknown command: frobnicate" "$TMP/err"
expect_rc 1 $SF fold --no-such-option "$D/input/good.jsonl"
expect_grep "unknown option: --no-such-option" "$TMP/err"
expect_rc 1 $SF fold
expect_grep "needs at least one input" "$TMP/err"
expect_rc 1 $SF fold --event-threshold 2 "$D/input/good.jsonl"
expect_grep "event-threshold" "$TMP/err"
expect_rc 1 $SF fold --format xml "$D/input/good.jsonl"
expect_rc 1 $SF fold -o
expect_grep "needs a value" "$TMP/err"
expect_rc 1 $SF eval only-one-file
expect_rc 1 $SF fold -o /nonexistent/dir/out.jsonl "$D/input/good.jsonl"
expect_grep "cannot write" "$TMP/err"
done_testing
