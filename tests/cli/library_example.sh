# The README's library example (examples/fold_lines.c) builds and folds.
. "$(dirname "$0")/lib.sh"
EX="$SF_WRAP $SF_BUILD/examples/fold_lines"
python3 - "$(dirname "$0")/../../examples/pages" >"$TMP/pages.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    print(json.dumps({"id": name, "text": open(os.path.join(d, name), encoding="utf-8").read()}))
PY
printf '{"broken\n' >>"$TMP/pages.jsonl"
expect_rc 0 $EX "$TMP/pages.jsonl"
[ "$(wc -l <"$TMP/out")" -eq 3 ] || fail "expected 3 stories, got $(wc -l <"$TMP/out")"
expect_grep "^3	Harborview council approves" "$TMP/out"
expect_grep "pages.jsonl:7: " "$TMP/err"
done_testing
