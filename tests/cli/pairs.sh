# storyfold pairs: how alike the two articles of each line are, and eval
# of pair similarities against labels (Pearson and Spearman).
. "$(dirname "$0")/lib.sh"

# Four pairs written for this test: two reports of one event, two events
# of one kind in different towns, two unrelated stories, and an exact
# copy; a line with a bad side; a labelled gold file (1 same .. 4 unrelated).
python3 - "$TMP" <<'PY'
import json, sys
d = sys.argv[1]
quake1 = ("A magnitude 6.2 earthquake struck the Serrano Valley early on Tuesday, damaging "
          "dozens of houses in the town of Alcira and cutting power to 40,000 homes. "
          "Mayor Lucia Ferrer said 23 people were injured and that schools would stay "
          "closed while engineers inspect the buildings.")
quake2 = ("Engineers inspected schools in Alcira on Wednesday after Tuesday's magnitude 6.2 "
          "quake in the Serrano Valley, which injured 23 people and damaged dozens of "
          "houses. Power returned to most of the 40,000 homes, Mayor Lucia Ferrer said.")
quake3 = ("A magnitude 5.1 earthquake shook the coastal town of Porto Lindo on Sunday. "
          "Fishermen said the harbour wall cracked, but no one was hurt, according to "
          "the regional civil protection office and harbour master Tomas Reyes.")
tram = ("The city council of Harborview approved a 14 km tram line on Tuesday night after "
        "a six-hour debate; construction along Quay Street starts next spring and the line "
        "should open in 2029 at a cost of 410 million euros.")
pairs = [
    {"pair_id": "same", "text1": quake1, "text2": quake2, "lang1": "en", "lang2": "en"},
    {"pair_id": "kind", "text1": quake1, "text2": quake3},
    {"pair_id": "other", "text1": quake2, "text2": tram, "id1": "q2", "id2": "t"},
    {"pair_id": "copy", "text1": tram, "text2": tram},
]
with open(d + "/pairs.jsonl", "w") as f:
    for i, p in enumerate(pairs):
        f.write(json.dumps(p) + "\n")
        if i == 1:
            f.write(json.dumps({"pair_id": "broken", "text1": quake1}) + "\n")
with open(d + "/gold.jsonl", "w") as f:
    for pid, o in [("same", 1), ("kind", 3), ("other", 4), ("copy", 1), ("unseen", 2)]:
        f.write(json.dumps({"pair_id": pid, "overall": o}) + "\n")
PY

expect_rc 0 $SF pairs "$TMP/pairs.jsonl"
cp "$TMP/out" "$TMP/pred.jsonl"
expect_grep "pairs.jsonl:3: missing \"text2\" field" "$TMP/err"
expect_grep "4 pairs read, 1 lines skipped" "$TMP/err"
python3 - "$TMP/pred.jsonl" <<'PY' || fail "pair similarities"
import json, sys
p = {r["pair_id"]: r for r in map(json.loads, open(sys.argv[1]))}
assert sorted(p) == ["copy", "kind", "other", "same"], p
assert p["other"]["id1"] == "q2" and p["other"]["id2"] == "t", p["other"]
assert p["same"]["id1"] == "same:1" and p["same"]["id2"] == "same:2", p["same"]
s = {k: v["similarity"] for k, v in p.items()}
# one event above another of its kind above an unrelated story
assert s["same"] > s["kind"] > s["other"], s
assert s["copy"] > 0.99 and p["copy"]["copy"] > 0.99, p["copy"]
assert p["same"]["copy"] < 0.5, p["same"]
PY

expect_rc 0 $SF eval "$TMP/gold.jsonl" "$TMP/pred.jsonl"
python3 - "$TMP/out" <<'PY' || fail "pair scores"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pairs"] == 4 and d["missing"] == 1, d
assert d["pearson"] > 0.5 and d["spearman"] > 0.5, d
PY
# --strict stops at the broken line
expect_rc 1 $SF pairs --strict "$TMP/pairs.jsonl"
# a pairs output that is not one
printf '{"pair_id":"same","similarity":"high"}\n' >"$TMP/bad.jsonl"
expect_rc 1 $SF eval "$TMP/gold.jsonl" "$TMP/bad.jsonl"
expect_grep "bad.jsonl:1: no numeric \"similarity\"" "$TMP/err"
done_testing
