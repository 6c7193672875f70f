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
PY
expect_rc 0 $SF fold --format text "$ROOT/examples/pages"
expect_grep "copy of 01_harbor_tram_wire.txt" "$TMP/out"
done_testing
