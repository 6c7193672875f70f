# Bad records are reported with file and line, skipped and counted; the
# rest of the input is still processed. --strict stops at the first one.
. "$(dirname "$0")/lib.sh"

B="$D/input/broken.jsonl"
expect_rc 0 $SF clean "$B"
# every good record is cleaned, in order
python3 - "$TMP/out" <<'PY' || fail "clean output of broken.jsonl"
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
for want in ["a", "b", "c", "d", "7", "f"]:
    assert want in ids, (want, ids)
assert "bad-json" not in ids and "no-text" not in ids and "empty-text" not in ids, ids
PY
expect_grep "broken.jsonl:2: " "$TMP/err"
expect_grep "broken.jsonl:5: .*text" "$TMP/err"
expect_grep "skipped" "$TMP/err"
expect_grep "repaired" "$TMP/err"

# fold: every good article is in exactly one story
expect_rc 0 $SF fold "$B"
python3 - "$TMP/out" <<'PY' || fail "fold output of broken.jsonl"
import json, sys
ids = [a["id"] for l in open(sys.argv[1]) for a in json.loads(l)["articles"]]
assert len(ids) == len(set(ids)), ids
for want in ["a", "b", "c", "d", "7", "f"]:
    assert want in ids, (want, ids)
PY

# strict: the first bad record is fatal, exit 1
expect_rc 1 $SF clean --strict "$B"
expect_grep "broken.jsonl:2: " "$TMP/err"

# missing input: exit 1 with the path
expect_rc 1 $SF fold "$D/input/does-not-exist.jsonl"
expect_grep "does-not-exist.jsonl" "$TMP/err"

# an empty file is no error and gives no story
expect_rc 0 $SF fold "$D/input/empty.jsonl"
[ ! -s "$TMP/out" ] || fail "empty input gave output"

# a folder with an empty and a binary file: both reported, the rest folded
expect_rc 0 $SF fold "$D/input/folder"
expect_grep "empty.txt" "$TMP/err"
expect_grep "binary.txt" "$TMP/err"
[ -s "$TMP/out" ] || fail "folder gave no stories"

# a record over --max-record is skipped, the next one is kept
python3 -c "
import json
print(json.dumps({'id': 'big', 'text': 'word ' * 5000}))
print(json.dumps({'id': 'small', 'text': 'A short article about a council vote.'}))
" >"$TMP/big.jsonl"
expect_rc 0 $SF clean --max-record 4K "$TMP/big.jsonl"
expect_grep "big.jsonl:1: " "$TMP/err"
expect_grep '"id":"small"' "$TMP/out"

# standard input
printf '{"id":"s1","text":"From standard input."}\n{broken\n' | $SF clean - >"$TMP/out" 2>"$TMP/err"
expect_grep '"id":"s1"' "$TMP/out"
expect_grep "storyfold: -:2: " "$TMP/err"
done_testing
