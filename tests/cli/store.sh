# storyfold add / stories: a store folds batches into the stories of one
# fold, ignores articles it already holds, lists and searches stories.
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DB="$TMP/news.db"

expect_rc 1 $SF add examples/pages              # no --db
expect_grep "needs --db" "$TMP/err"
expect_rc 1 $SF stories --db "$TMP/x.db" --limit many
expect_rc 1 $SF add --db "$TMP/x.db"             # no input

# the example pages in two adds give the stories of `fold`
mkdir "$TMP/a" "$TMP/b"
cp "$ROOT"/examples/pages/0[1-3]* "$TMP/a/"
cp "$ROOT"/examples/pages/0[4-6]* "$TMP/b/"
expect_rc 0 $SF add --db "$DB" --results "$TMP/a"
expect_grep '"outcome":"added"' "$TMP/out"
expect_rc 0 $SF add --db "$DB" --results "$TMP/b"
expect_grep "6 articles in 3 stories" "$TMP/err"
expect_rc 0 $SF stories --db "$DB"
cp "$TMP/out" "$TMP/stored.jsonl"
expect_rc 0 $SF fold -q "$ROOT/examples/pages"
cp "$TMP/out" "$TMP/folded.jsonl"
python3 - "$TMP/stored.jsonl" "$TMP/folded.jsonl" <<'PY' || fail "stored stories differ from fold"
import json, sys
def load(p, strip):
    out = {}
    for l in open(p):
        s = json.loads(l)
        for k in strip:
            s.pop(k, None)
        for a in s["articles"]:
            a.pop("added", None)
        out[s["id"]] = s
    return out
extra = ["first_seen", "updated", "related_stories", "timeline"]
a, b = load(sys.argv[1], extra), load(sys.argv[2], [])
assert a == b, (sorted(a), sorted(b))
PY

# adding everything again changes nothing
cp "$TMP/stored.jsonl" "$TMP/before.jsonl"
expect_rc 0 $SF add --db "$DB" --results "$ROOT/examples/pages"
expect_grep "0 added, 6 already stored (id)" "$TMP/err"
expect_grep '"outcome":"same_id"' "$TMP/out"
expect_rc 0 $SF stories --db "$DB"
expect_file_eq "$TMP/before.jsonl" "$TMP/out"
# an exact copy under another id too
python3 - "$ROOT/examples/pages/05_quake_report.txt" >"$TMP/copy.jsonl" <<'PY'
import json, sys
print(json.dumps({"id": "quake-again", "text": open(sys.argv[1]).read()}))
PY
expect_rc 0 $SF add --db "$DB" --results "$TMP/copy.jsonl"
expect_grep '"outcome":"same_content"' "$TMP/out"
expect_rc 0 $SF stories --db "$DB"
expect_file_eq "$TMP/before.jsonl" "$TMP/out"

# saved features: a corrupt blob is reported with its article's id and the
# article cleaned again (its features saved: the next handle is silent)
python3 - "$DB" <<'PY' || fail "corrupting a blob"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE articles SET features = substr(features, 1, 40) WHERE id = '04_lindau_tram.txt'")
db.commit()
PY
expect_rc 0 $SF add --db "$DB" "$ROOT/examples/pages"
expect_grep "article 04_lindau_tram.txt: saved features are corrupt (too short): cleaned again" "$TMP/err"
expect_rc 0 $SF add --db "$DB" "$ROOT/examples/pages"
expect_no_grep "corrupt" "$TMP/err"
expect_rc 0 $SF stories --db "$DB"
expect_file_eq "$TMP/before.jsonl" "$TMP/out"

# listing: summaries, search, since, paging
expect_rc 0 $SF stories --db "$DB" --brief
[ "$(wc -l <"$TMP/out")" -eq 3 ] || fail "3 stories expected"
expect_grep '"sources":3' "$TMP/out"
expect_no_grep '"articles"' "$TMP/out"
expect_rc 0 $SF stories --db "$DB" --brief --query "earthquake Serrano"
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "one quake story expected"
expect_grep "Magnitude 6.1" "$TMP/out"
expect_rc 0 $SF stories --db "$DB" --brief --since 2999-01-01
[ ! -s "$TMP/out" ] || fail "no story since 2999"
expect_rc 0 $SF stories --db "$DB" --brief --limit 2 --offset 2
[ "$(wc -l <"$TMP/out")" -eq 1 ] || fail "paging"

# not a store
echo "plain text" >"$TMP/not.db"
expect_rc 1 $SF stories --db "$TMP/not.db"

# ten batches of a labelled corpus score as one fold (when ../shared/eval is there)
EVAL="$ROOT/../shared/eval/gvc-dev.jsonl"
if [ -f "$EVAL" ]; then
    python3 "$ROOT/tools/strip_labels.py" id,title,text,date,url,lang <"$EVAL" >"$TMP/in.jsonl"
    split -n l/10 -d "$TMP/in.jsonl" "$TMP/part."
    for p in "$TMP"/part.*; do $SF add -q --db "$TMP/ten.db" "$p" || fail "add $p"; done
    $SF stories --db "$TMP/ten.db" >"$TMP/ten.out"
    # and in one process, where batches after the first are placed
    # incrementally (the service's way)
    n=$(wc -l <"$TMP/in.jsonl")
    $SF add -q --db "$TMP/inc.db" --batch $(( (n + 9) / 10 )) "$TMP/in.jsonl" || fail "add in batches"
    $SF stories --db "$TMP/inc.db" >"$TMP/inc.out"
    $SF fold -q "$TMP/in.jsonl" >"$TMP/once.out"
    $SF eval --label event "$EVAL" "$TMP/ten.out" >"$TMP/ten.score"
    $SF eval --label event "$EVAL" "$TMP/inc.out" >"$TMP/inc.score"
    $SF eval --label event "$EVAL" "$TMP/once.out" >"$TMP/once.score"
    python3 - "$TMP/ten.score" "$TMP/inc.score" "$TMP/once.score" <<'PY' || fail "ten batches differ from one fold"
import json, sys
a, i, b = (json.load(open(p)) for p in sys.argv[1:])
print("ten adds", a["bcubed_f1"], "ten batches in one add", i["bcubed_f1"], "one fold", b["bcubed_f1"])
assert abs(a["bcubed_f1"] - b["bcubed_f1"]) <= 0.01 and a["items"] == b["items"]
assert abs(i["bcubed_f1"] - b["bcubed_f1"]) <= 0.01 and i["items"] == b["items"]
PY
fi
done_testing
