# The example pages fold as a reader would expect.
. "$(dirname "$0")/lib.sh"
ROOT="$(dirname "$0")/../.."

expect_rc 0 $SF fold "$ROOT/examples/pages"
python3 - "$TMP/out" <<'PY' || fail "example stories"
import json, sys
stories = [json.loads(l) for l in open(sys.argv[1])]
story = {a["id"]: s for s in stories for a in s["articles"]}
tram = story["01_harbor_tram_wire.txt"]
# the wire report, its copy and its rewrite are one story
assert story["02_harbor_tram_copy.txt"]["id"] == tram["id"]
assert story["03_harbor_tram_rewrite.txt"]["id"] == tram["id"]
copy = [a for a in tram["articles"] if a["id"] == "02_harbor_tram_copy.txt"][0]
assert copy["copy_of"] == "01_harbor_tram_wire.txt", copy
# the two quake reports are one story, apart from the trams
assert story["05_quake_report.txt"]["id"] == story["06_quake_update.txt"]["id"]
assert story["05_quake_report.txt"]["id"] != tram["id"]
# another town's tram vote is a different event
assert story["04_lindau_tram.txt"]["id"] != tram["id"]
# every article exactly once
ids = [a["id"] for s in stories for a in s["articles"]]
assert sorted(ids) == sorted(set(ids)) and len(ids) == 6, ids
# no furniture in story texts
for s in stories:
    for bad in ["googletag", "adsbygoogle", "Share this article", "Most Read", "Subscribe"]:
        assert bad not in s["text"], (bad, s["id"])
    assert s["headline"]
assert "Harborview" in tram["headline"], tram["headline"]
# facts, with the articles that state them and quotes at their offsets
facts = {f["text"]: f for f in tram["facts"]}
cost = [f for f in tram["facts"] if f["kind"] == "money" and f["value"] == 410000000]
assert cost and cost[0]["currency"] == "EUR" and cost[0]["support"] == 2, tram["facts"]
ids = {s["id"] for s in cost[0]["sources"]}
assert ids == {"01_harbor_tram_wire.txt", "03_harbor_tram_rewrite.txt"}, ids
riders = [f for f in tram["facts"] if f["kind"] == "quantity" and f["value"] == 38000]
assert riders and riders[0]["support"] == 2, tram["facts"]
names = {f.get("name") for f in tram["facts"] if f["kind"] == "name"}
assert "ilse brandt" in names, names
# the quake reports disagree on the number injured
quake = story["05_quake_report.txt"]
dis = [d for d in quake["disagreements"] if d["what"] == "people injured"]
assert dis and sorted(s["value"] for s in dis[0]["sides"]) == [23, 31], quake["disagreements"]
for side in dis[0]["sides"]:
    for src in side["sources"]:
        assert "people were injured" in src["quote"], src
PY
# every quote is the clean text of its article at the byte offsets given
cp "$TMP/out" "$TMP/stories.jsonl"
expect_rc 0 $SF clean "$ROOT/examples/pages"
python3 - "$TMP/stories.jsonl" "$TMP/out" <<'PY' || fail "quote offsets"
import json, sys
clean = {r["id"]: r["text"].encode() for r in map(json.loads, open(sys.argv[2]))}
n = 0
for s in map(json.loads, open(sys.argv[1])):
    for f in s["facts"]:
        for src in f["sources"]:
            assert clean[src["id"]][src["start"]:src["end"]].decode() == src["quote"], src
            n += 1
assert n > 20, n
PY
expect_rc 0 $SF fold --format text "$ROOT/examples/pages"
expect_grep "copy of 01_harbor_tram_wire.txt" "$TMP/out"
done_testing
