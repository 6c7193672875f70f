# storyfold clean --explain: every line of each page marked, kept lines as
# they are, removed ones with their reason, the title marked; a header per
# page. Our own fixture: tests/data/clean/explain.jsonl.
. "$(dirname "$0")/lib.sh"

IN="$D/clean/explain.jsonl"
expect_rc 0 $SF clean --explain -q "$IN"
expect_file_eq "$D/clean/explain.expected" "$TMP/out"
expect_grep "^=== page ex1 (en) ===$" "$TMP/out"
expect_grep "^- \[teaser-block\] Read Now$" "$TMP/out"
expect_grep "^= \[title\] Council Approves New Bridge Over The River$" "$TMP/out"
# a given title that is no line of the page follows the header
expect_grep "^= \[title\] A title that is not on the page$" "$TMP/out"
# metadata printed on the page comes after the header
expect_grep "^# byline: Anna Keller$" "$TMP/out"
expect_grep "^# credit: RPP$" "$TMP/out"
expect_grep "^# date: 2013-05-02$" "$TMP/out"
# every non-empty input line appears once, marked or not
python3 - "$IN" "$TMP/out" <<'PY' || fail "explain does not show every line"
import json, sys
out = open(sys.argv[2], encoding="utf-8").read().split("\n")
body = [l for l in out if not l.startswith("=== page ")]
strip = lambda l: l.split("] ", 1)[1] if l.startswith(("- [", "= [")) else l
shown = [strip(l) for l in body if l and not l.startswith("# ")]
for line in open(sys.argv[1], encoding="utf-8"):
    a = json.loads(line)
    for t in a["text"].split("\n"):
        if t.strip():
            assert t.strip() in shown, t
PY
# the JSON output is unchanged by the option's existence
expect_rc 0 $SF clean -q "$IN"
expect_grep '"removed":\[' "$TMP/out"
expect_no_grep "=== page" "$TMP/out"
expect_grep '"id":"ex4","title":"Ferry Service Returns After Storm Damage Repaired","byline":"Anna Keller","credit":"RPP","date":"2013-05-02","text":' "$TMP/out"
done_testing
