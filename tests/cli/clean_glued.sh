# Code glued into a prose line: the sentences are kept, the code is
# removed as "glued-code", shown by --explain under the line's pieces in
# order, and listed in the JSON with the line's number. Code named inside a
# sentence stays. Our own fixture: tests/data/clean/glued.jsonl.
. "$(dirname "$0")/lib.sh"

IN="$D/clean/glued.jsonl"
expect_rc 0 $SF clean --explain -q "$IN"
expect_file_eq "$D/clean/glued.expected" "$TMP/out"
expect_grep "^- \[glued-code\] {{ article.title }}$" "$TMP/out"
expect_grep "^Les travaux commenceront au printemps prochain.$" "$TMP/out"
expect_grep "^To follow the plant's progress, readers can call window.print()" "$TMP/out"
# the pieces of each input line, in order, are the line (less white space)
python3 - "$IN" "$TMP/out" <<'PY' || fail "pieces do not make up their lines"
import json, sys
pages = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
shown = [l for l in open(sys.argv[2], encoding="utf-8").read().split("\n")
         if l and not l.startswith(("=== page ", "# "))]
strip = lambda l: l.split("] ", 1)[1] if l.startswith(("- [", "= [")) else l
i = 0
for p in pages:
    for line in p["text"].split("\n"):
        rest = line.strip()
        while rest:
            piece = strip(shown[i])
            assert rest.startswith(piece), (rest, piece)
            rest = rest[len(piece):].strip()
            i += 1
assert i == len(shown), (i, len(shown))
PY
# the JSON: code removed with the line's number, no code in the text
expect_rc 0 $SF clean -q "$IN"
python3 - "$TMP/out" <<'PY' || fail "glued code in the JSON"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
g1 = rows[0]
glued = [(r["line"], r["text"][:12]) for r in g1["removed"] if r["why"] == "glued-code"]
assert glued == [(5, ".in_text_con"), (7, "{{ article.t"), (9, "<div class=\"")], glued
for code in ("googletag", "{{", "ad-slot", "dataLayer", "@context"):
    assert all(code not in r["text"] for r in rows), code
assert "making it the largest factory in the region.\n" in g1["text"], g1["text"]
PY
done_testing
