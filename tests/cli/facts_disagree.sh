# Disagreements across the articles of one story (tests/data/facts/
# ferry.jsonl, three reports written for this test): the toll (12 killed in
# two reports, 15 in the third), the day of the deaths (4 March against 3
# March) and the port's reopening (by 2026 against by 2027), each side with
# its own sources, quotes at their offsets.
. "$(dirname "$0")/lib.sh"

expect_rc 0 $SF fold "$D/facts/ferry.jsonl"
cp "$TMP/out" "$TMP/stories.jsonl"
expect_rc 0 $SF clean "$D/facts/ferry.jsonl"
python3 - "$TMP/stories.jsonl" "$TMP/out" <<'PY' || fail "ferry disagreements"
import json, sys
stories = [json.loads(l) for l in open(sys.argv[1])]
clean = {r["id"]: r["text"].encode() for r in map(json.loads, open(sys.argv[2]))}
assert len(stories) == 1, [s["id"] for s in stories]
s = stories[0]
dis = {d["what"]: d for d in s["disagreements"]}

def sides(what):
    assert what in dis, (what, list(dis))
    out = {}
    for side in dis[what]["sides"]:
        ids = sorted(src["id"] for src in side["sources"])
        assert side["support"] == len(ids), side
        for src in side["sources"]:
            # the quote is the article's clean text at the offsets given
            assert clean[src["id"]][src["start"]:src["end"]].decode() == src["quote"], src
        out[side["value"]] = (ids, [src["quote"] for src in side["sources"]])
    return out

killed = sides("people killed")
assert sorted(killed) == [12, 15], killed
assert killed[12][0] == ["ferry-a", "ferry-b"], killed
assert killed[15][0] == ["ferry-c"], killed
assert all("killed" in q for q in killed[12][1] + killed[15][1]), killed

by = sides("date by")
assert sorted(by) == ["2026", "2027"], by
assert by["2026"][0] == ["ferry-a", "ferry-b"] and by["2027"][0] == ["ferry-c"], by
assert by["2027"][1] == ["by 2027"], by

day = sides("date people killed")
assert sorted(day) == ["2026-03-03", "2026-03-04"], day
assert day["2026-03-04"] == (["ferry-a", "ferry-b"], ["4 March", "March 4"]), day
assert day["2026-03-03"] == (["ferry-c"], ["3 March"]), day

# the facts the three agree on are ranked first, by support
facts = s["facts"]
assert [f["support"] for f in facts] == sorted((f["support"] for f in facts), reverse=True)
names = {f.get("name"): f["support"] for f in facts if f["kind"] == "name"}
assert names.get("santa irene") == 3 and names.get("lake varnoa") == 3, names
# nothing else is in dispute
assert sorted(dis) == ["date by", "date people killed", "people killed"], list(dis)
PY
# the same story without the third report: nothing in dispute
head -n 2 "$D/facts/ferry.jsonl" >"$TMP/two.jsonl"
expect_rc 0 $SF fold "$TMP/two.jsonl"
python3 - "$TMP/out" <<'PY' || fail "two agreeing reports"
import json, sys
stories = [json.loads(l) for l in open(sys.argv[1])]
assert len(stories) == 1 and stories[0]["disagreements"] == [], stories[0]["disagreements"]
PY
done_testing
