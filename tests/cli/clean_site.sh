# storyfold clean over files reads them twice: lines recurring on a site's
# pages are removed as "site-furniture". Not for standard input (read
# once) nor with --no-site. Our own fixture: tests/data/clean/site_pages.jsonl
# (four pages of one site, one of another).
. "$(dirname "$0")/lib.sh"

IN="$D/clean/site_pages.jsonl"
expect_rc 0 $SF clean -q "$IN"
python3 - "$TMP/out" <<'PY' || fail "site furniture from a file"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert len(rows) == 5, len(rows)
for r in rows[:4]:
    site = {x["text"] for x in r["removed"] if x["why"] == "site-furniture"}
    assert site == {"Valley Courier Local Weather Events Obituaries",
                    "The Valley Courier, your town's paper since 1921",
                    "Weekend Events in the Valley"}, (r["id"], site)
    assert "The Valley Courier is owned by its readers" in r["text"], r["id"]
    assert not r["title"].startswith("Valley Courier"), r["title"]
other = rows[4]
assert "Weekend Events in the Valley" in other["text"], other
assert not any(x["why"] == "site-furniture" for x in other["removed"])
PY
# --no-site and standard input: no first pass, no site furniture
expect_rc 0 $SF clean -q --no-site "$IN"
expect_no_grep "site-furniture" "$TMP/out"
$SF clean -q - <"$IN" >"$TMP/stdin.out" 2>"$TMP/err" || fail "clean from standard input"
expect_no_grep "site-furniture" "$TMP/stdin.out"
# --explain shows the reason
expect_rc 0 $SF clean -q --explain "$IN"
expect_grep "^- \[site-furniture\] Weekend Events in the Valley$" "$TMP/out"
done_testing
