# storyfold eval scores a fold output and a clean output.
. "$(dirname "$0")/lib.sh"

cat >"$TMP/gold.jsonl" <<'J'
{"id":"a","event":"x","body":"one two three four five"}
{"id":"b","event":"x","body":"alpha beta gamma delta"}
{"id":"c","event":"y","body":"red green blue yellow"}
J
cat >"$TMP/fold.jsonl" <<'J'
{"id":"s1","articles":[{"id":"a"},{"id":"b"},{"id":"c"}]}
J
expect_rc 0 $SF eval "$TMP/gold.jsonl" "$TMP/fold.jsonl"
python3 - "$TMP/out" <<'PY' || fail "fold scores"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["items"] == 3 and d["missing"] == 0
assert abs(d["bcubed_p"] - 5 / 9) < 1e-4 and abs(d["bcubed_r"] - 1) < 1e-4, d
assert abs(d["pair_p"] - 1 / 3) < 1e-4, d
PY
cat >"$TMP/clean.jsonl" <<'J'
{"id":"a","title":"","text":"one two three four five","removed":[]}
{"id":"b","title":"","text":"alpha beta gamma delta epsilon","removed":[]}
J
expect_rc 0 $SF eval --body body "$TMP/gold.jsonl" "$TMP/clean.jsonl"
python3 - "$TMP/out" <<'PY' || fail "clean scores"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pages"] == 3 and d["missing"] == 1, d
assert abs(d["p"] - 0.75) < 1e-4, d           # a: 2/2, b: 1/2
assert abs(d["r"] - 2 / 3) < 1e-4, d          # a: 1, b: 1, c: 0
PY
printf '{"articles":[{"id":"a"}]}\nnot json\n' >"$TMP/bad.jsonl"
expect_rc 1 $SF eval "$TMP/gold.jsonl" "$TMP/bad.jsonl"
expect_grep "bad.jsonl:2:" "$TMP/err"
done_testing
