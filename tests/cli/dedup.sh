# storyfold dedup: exact and near copies grouped, different texts apart,
# bad records reported with file:line and the rest kept, the same output
# whatever the threads, standard input, --stats, options checked.
. "$(dirname "$0")/lib.sh"
ROOT="$(dirname "$0")/../.."

# the example pages, each as written, copied exactly, edited lightly (a
# few words changed, a line of page furniture added) and cut to its first
# half; ids say which page each comes from
python3 - "$ROOT/examples/pages" >"$TMP/in.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
# (02 is page 01 in another site's page furniture: see --clean below)
pages = [(n, open(os.path.join(d, n), encoding="utf-8").read()) for n in sorted(os.listdir(d))
         if "_copy" not in n]
out = []
for name, text in pages:
    words = text.split(" ")
    for k in range(3, len(words), 60):
        words[k] = "CHANGED"
    edited = " ".join(words) + "\nShare this article on social media"
    half = text[: len(text) // 2]
    out += [(name + ":orig", text), (name + ":exact", text), (name + ":edit", edited),
            (name + ":half", half)]
for i, (k, text) in enumerate(out):
    print(json.dumps({"id": k, "text": text}))
PY
expect_rc 0 $SF dedup --threads 1 "$TMP/in.jsonl" -o "$TMP/one.jsonl" --stats "$TMP/stats.json"
expect_grep "exact and" "$TMP/err"
python3 - "$TMP/one.jsonl" "$TMP/stats.json" <<'PY' || fail "dedup groups"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {r["id"]: r for r in rows}
pages = sorted({i.split(":")[0] for i in by})
assert len(rows) == 4 * len(pages) and len(pages) >= 5, len(rows)
groups = set()
for p in pages:
    o, e, d, h = (by[p + s] for s in (":orig", ":exact", ":edit", ":half"))
    assert o["group"] == p + ":orig" and "copy_of" not in o, o
    assert e["copy_of"] == p + ":orig" and e["exact"] is True and e["similarity"] == 1, e
    assert d["copy_of"] == p + ":orig" and d["exact"] is False, d
    assert 0.7 <= d["similarity"] < 1, d
    assert d["group"] == p + ":orig"
    # half a page shares about half its shingles: not a copy
    assert "copy_of" not in h and h["group"] == p + ":half", h
    groups.add(o["group"])
# different pages stay apart
assert len(groups) == len(pages)
s = json.load(open(sys.argv[2]))
assert s["articles_read"] == len(rows) and s["skipped"] == 0, s
assert s["exact_copies"] == len(pages) and s["near_copies"] == len(pages), s
assert s["groups"] == 2 * len(pages) and s["bands"] == 32 and s["rows"] == 4, s
for k in ["read", "sketch", "sketch_cpu", "index", "write", "total"]:
    assert s["seconds"][k] >= 0, k
PY

# threads, batches and standard input do not change the output
expect_rc 0 $SF dedup -q --threads 3 "$TMP/in.jsonl" -o "$TMP/three.jsonl"
expect_file_eq "$TMP/one.jsonl" "$TMP/three.jsonl"
$SF dedup -q - <"$TMP/in.jsonl" >"$TMP/stdin.jsonl" 2>"$TMP/err" || fail "dedup from stdin"
expect_file_eq "$TMP/one.jsonl" "$TMP/stdin.jsonl"
# several batches (1,024 articles each) read while others are sketched:
# 3,000 articles, the example pages edited in turn
python3 - "$ROOT/examples/pages" >"$TMP/many.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
pages = [open(os.path.join(d, n), encoding="utf-8").read() for n in sorted(os.listdir(d))]
for k in range(3000):
    words = pages[k % len(pages)].split(" ")
    for j in range(k % 97, len(words), 40 + k % 23):
        words[j] = "w%d" % (k * 7 % 1000)
    print(json.dumps({"id": "m%d" % k, "text": " ".join(words)}))
PY
expect_rc 0 $SF dedup -q --threads 1 "$TMP/many.jsonl" -o "$TMP/many1.jsonl"
expect_rc 0 $SF dedup -q --threads 2 "$TMP/many.jsonl" -o "$TMP/many2.jsonl"
expect_rc 0 $SF dedup -q --threads 5 "$TMP/many.jsonl" -o "$TMP/many5.jsonl"
expect_file_eq "$TMP/many1.jsonl" "$TMP/many2.jsonl"
expect_file_eq "$TMP/many1.jsonl" "$TMP/many5.jsonl"
[ "$(wc -l <"$TMP/many1.jsonl")" -eq 3000 ] || fail "dedup of 3,000 articles"
[ "$(grep -c copy_of "$TMP/many1.jsonl")" -gt 2000 ] || fail "copies among 3,000 edited pages"

# --copies-only: the copies' lines alone
expect_rc 0 $SF dedup -q --copies-only "$TMP/in.jsonl"
grep copy_of "$TMP/one.jsonl" >"$TMP/copies.jsonl"
expect_file_eq "$TMP/copies.jsonl" "$TMP/out"
# a threshold of 1 leaves the edited pages apart; the exact copies stay
expect_rc 0 $SF dedup -q --threshold 1 "$TMP/in.jsonl"
python3 - "$TMP/out" <<'PY' || fail "dedup --threshold 1"
import json, sys
for r in map(json.loads, open(sys.argv[1])):
    assert ("copy_of" in r) == r["id"].endswith(":exact"), r
PY
# --clean compares the clean texts: the added share line is cut, the
# edited pages stay copies
expect_rc 0 $SF dedup -q --clean "$TMP/in.jsonl"
python3 - "$TMP/out" <<'PY' || fail "dedup --clean"
import json, sys
rows = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
for k, r in rows.items():
    if k.endswith(":edit") or k.endswith(":exact"):
        assert r.get("copy_of") == k.split(":")[0] + ":orig", r
PY

# a folder of .txt files: the page copied into another site's furniture
# shares 0.67 of its raw shingles with its original (an estimate of that is
# 0.04 either way), its clean text is the same
expect_rc 0 $SF dedup -q --threshold 0.85 "$ROOT/examples/pages"
expect_no_grep copy_of "$TMP/out"
expect_rc 0 $SF dedup -q --threshold 0.85 --clean "$ROOT/examples/pages"
expect_grep '"id":"02_harbor_tram_copy.txt","group":"01_harbor_tram_wire.txt","copy_of":"01_harbor_tram_wire.txt","similarity":1.0000,"exact":true' "$TMP/out"
[ "$(grep -c copy_of "$TMP/out")" -eq 1 ] || fail "dedup --clean of the example pages"

# bad records: reported as file:line, skipped, the others all written
B="$D/input/broken.jsonl"
expect_rc 0 $SF dedup "$B"
expect_grep "broken.jsonl:2: " "$TMP/err"
expect_grep "broken.jsonl:5: .*text" "$TMP/err"
expect_grep "skipped" "$TMP/err"
python3 - "$TMP/out" <<'PY' || fail "dedup output of broken.jsonl"
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
assert len(ids) == len(set(ids)), ids
for want in ["a", "b", "c", "d", "7", "f"]:
    assert want in ids, (want, ids)
assert "bad-json" not in ids and "no-text" not in ids, ids
PY
expect_rc 1 $SF dedup --strict "$B"
expect_grep "broken.jsonl:2: " "$TMP/err"
expect_rc 1 $SF dedup "$D/input/does-not-exist.jsonl"
expect_grep "does-not-exist.jsonl" "$TMP/err"
expect_rc 0 $SF dedup "$D/input/empty.jsonl"
[ ! -s "$TMP/out" ] || fail "empty input gave output"

# options
expect_rc 1 $SF dedup --threshold 0 "$TMP/in.jsonl"
expect_grep "threshold" "$TMP/err"
expect_rc 1 $SF dedup --threshold 1.5 "$TMP/in.jsonl"
expect_rc 1 $SF dedup --bands 0 "$TMP/in.jsonl"
expect_grep "bands" "$TMP/err"
expect_rc 1 $SF dedup --shingle-words x "$TMP/in.jsonl"
expect_rc 1 $SF dedup
expect_grep "needs at least one input" "$TMP/err"
expect_rc 0 $SF dedup --help
expect_grep "dedup INPUT" "$TMP/out"
expect_grep "shingle-words" "$TMP/out"
done_testing
