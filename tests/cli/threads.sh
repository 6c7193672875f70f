# Folding gives the same stories whatever the number of threads, and
# --stats writes the counts and stage times; --temp-dir.
. "$(dirname "$0")/lib.sh"
ROOT="$(dirname "$0")/../.."
# a few hundred articles: the example pages, each in several edited forms
python3 - "$ROOT/examples/pages" >"$TMP/in.jsonl" <<'PY'
import json, os, sys
d = sys.argv[1]
pages = [(n, open(os.path.join(d, n), encoding="utf-8").read()) for n in sorted(os.listdir(d))]
k = 0
for rep in range(60):
    for name, text in pages:
        paras = [p for p in text.split("\n\n") if p.strip()]
        # drop one paragraph in turn, so most are near copies, not exact ones
        if len(paras) > 3:
            del paras[rep % len(paras)]
        print(json.dumps({"id": "%s-%d" % (name, rep), "text": "\n\n".join(paras),
                          "date": "2024-05-%02d" % (1 + rep % 20)}))
        k += 1
PY
expect_rc 0 $SF fold -q --threads 1 "$TMP/in.jsonl" -o "$TMP/one.jsonl"
expect_rc 0 $SF fold -q --threads 3 "$TMP/in.jsonl" -o "$TMP/three.jsonl" --stats "$TMP/stats.json"
expect_file_eq "$TMP/one.jsonl" "$TMP/three.jsonl"
python3 - "$TMP/stats.json" <<'PY' || fail "stats"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["articles_read"] == 360 and s["skipped"] == 0, s
assert s["threads"] == 3
assert s["near_copies"] + s["exact_copies"] > 100, s
for k in ["read", "add", "clean_cpu", "features_cpu", "copies", "events", "fold_cpu", "write",
          "total"]:
    assert s["seconds"][k] >= 0, k
m = s["peak_rss_mb"]  # VmHWM at each stage: it never falls
assert 0 < m["added"] <= m["folded"] <= m["written"], m
assert s["estimated_mb"]["held"] > 0 and s["estimated_mb"]["fold"] > 0, s
PY
expect_rc 1 $SF fold --threads 100 "$TMP/in.jsonl"
# the clean texts wait in an unlinked temporary file: the folder stays empty
mkdir "$TMP/spill"
expect_rc 0 $SF fold -q --temp-dir "$TMP/spill" "$TMP/in.jsonl" -o "$TMP/spilled.jsonl"
expect_file_eq "$TMP/one.jsonl" "$TMP/spilled.jsonl"
[ -z "$(ls -A "$TMP/spill")" ] || fail "files left in the temporary folder"
expect_rc 0 env TMPDIR="$TMP/spill" $SF fold -q "$TMP/in.jsonl" -o "$TMP/spilled2.jsonl"
expect_file_eq "$TMP/one.jsonl" "$TMP/spilled2.jsonl"
expect_rc 1 $SF fold -q --temp-dir "$TMP/none" "$TMP/in.jsonl"
expect_grep "cannot make a temporary file in $TMP/none" "$TMP/err"
# (under valgrind TMPDIR is valgrind's own folder too: it could not start)
if [ -z "${SF_VALGRIND:-}" ]; then
    expect_rc 1 env TMPDIR="$TMP/none" $SF fold -q "$TMP/in.jsonl"
    expect_grep "see --temp-dir" "$TMP/err"
fi
# --memory: a budget the fold would pass stops it at its first batch,
# naming the input, the need and the figure to pass
expect_rc 1 $SF fold -q --memory 1M "$TMP/in.jsonl" -o "$TMP/small.jsonl"
expect_grep "^storyfold: $TMP/in.jsonl: folding 360 articles would need about .* more than --memory 1 MB; it needs --memory [0-9]*M or more$" "$TMP/err"
need=$(sed -n 's/.*it needs --memory \([0-9]*\)M or more$/\1/p' "$TMP/err")
[ -n "$need" ] && [ "$need" -gt 1 ] || fail "no figure in the refusal"
# a quarter above that figure the fold runs under the limit (vectors read
# back in blocks of a sixteenth of it, edges on disk while clustering),
# stories byte for byte the same
limit=$((need * 5 / 4))
expect_rc 0 $SF fold -q --memory "${limit}M" --stats "$TMP/limited.json" "$TMP/in.jsonl" \
    -o "$TMP/limited.jsonl"
expect_file_eq "$TMP/one.jsonl" "$TMP/limited.jsonl"
# (under valgrind or ASan the tool's own memory is resident too)
case "$SF" in *asan*) tool=1 ;; *) tool=${SF_VALGRIND:-} ;; esac
if [ -z "$tool" ]; then
    python3 - "$TMP/limited.json" "$limit" <<'PY' || fail "peak over --memory"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["peak_rss_mb"]["written"] <= int(sys.argv[2]), (s["peak_rss_mb"], sys.argv[2])
PY
fi
expect_rc 0 $SF fold -q --memory 8G "$TMP/in.jsonl" -o "$TMP/big.jsonl"
expect_file_eq "$TMP/one.jsonl" "$TMP/big.jsonl"
expect_rc 1 $SF fold --memory 12X "$TMP/in.jsonl"
expect_grep "memory wants a size" "$TMP/err"
expect_rc 1 $SF fold --memory 0 "$TMP/in.jsonl"
expect_rc 1 $SF fold --memory 99999999999G "$TMP/in.jsonl"
done_testing
