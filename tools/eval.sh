#!/bin/sh
# Scores storyfold on the labelled corpora in ../shared (when present) and
# fails when a figure falls below its bar (the foundation issue's bars, and
# regression guards just under what later work reached: aeb 0.90).
# usage: tools/eval.sh STORYFOLD
# The engine never sees the labels: they are stripped before folding.
set -u
SF=${1:-build/storyfold}
SHARED=${SF_SHARED:-../shared}
EVAL="$SHARED/eval"
if [ ! -d "$EVAL" ]; then
    echo "eval: $EVAL not found, skipped"
    exit 0
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
status=0

# bar NAME VALUE MIN: prints the figure and remembers a failure.
bar() {
    if python3 -c "import sys; sys.exit(0 if float('$2') >= float('$3') else 1)"; then
        printf '%-34s %s  (bar %s) ok\n' "$1" "$2" "$3"
    else
        printf '%-34s %s  (bar %s) BELOW BAR\n' "$1" "$2" "$3"
        status=1
    fi
}
field() { python3 -c "import json,sys; print(json.load(open('$1'))['$2'])"; }

fold_corpus() { # NAME FILE BAR
    python3 tools/strip_labels.py id,title,text,date,url,lang <"$2" >"$TMP/$1.in"
    "$SF" fold -q "$TMP/$1.in" -o "$TMP/$1.out" || { echo "eval: fold failed on $1"; status=1; return; }
    "$SF" eval --label event "$2" "$TMP/$1.out" >"$TMP/$1.score" || { status=1; return; }
    echo "$1: $(cat "$TMP/$1.score")"
    bar "$1 B-cubed F1" "$(field "$TMP/$1.score" bcubed_f1)" "$3"
}

[ -f "$EVAL/ecbplus-dev.jsonl" ] && fold_corpus ecbplus "$EVAL/ecbplus-dev.jsonl" 0.90
[ -f "$EVAL/gvc-dev.jsonl" ] && fold_corpus gvc "$EVAL/gvc-dev.jsonl" 0.96

if [ -f "$EVAL/aeb-dev.jsonl" ]; then
    python3 tools/strip_labels.py id,url,text <"$EVAL/aeb-dev.jsonl" >"$TMP/aeb.in"
    if "$SF" clean -q "$TMP/aeb.in" -o "$TMP/aeb.out" &&
        "$SF" eval --body body "$EVAL/aeb-dev.jsonl" "$TMP/aeb.out" >"$TMP/aeb.score"; then
        echo "aeb: $(cat "$TMP/aeb.score")"
        bar "aeb cleaning F1" "$(field "$TMP/aeb.score" f1)" 0.90
        bar "aeb cleaning precision" "$(field "$TMP/aeb.score" p)" 0.90
    else
        echo "eval: clean failed on aeb"
        status=1
    fi
fi

if [ -f "$EVAL/semeval-train-pairs.jsonl" ]; then
    # pair similarity against SemEval 2022 task 8's labels (8 languages,
    # a third of the pairs across two languages); a regression guard only
    python3 tools/strip_labels.py pair_id,lang1,lang2,text1,text2 \
        <"$EVAL/semeval-train-pairs.jsonl" >"$TMP/pairs.in"
    if "$SF" pairs -q "$TMP/pairs.in" -o "$TMP/pairs.out" &&
        "$SF" eval "$EVAL/semeval-train-pairs.jsonl" "$TMP/pairs.out" >"$TMP/pairs.score"; then
        echo "semeval pairs: $(cat "$TMP/pairs.score")"
        bar "semeval pairs Pearson" "$(field "$TMP/pairs.score" pearson)" 0.45
    else
        echo "eval: pairs failed on semeval"
        status=1
    fi
fi

if [ -d "$SHARED/seeds" ]; then
    python3 tools/check_seeds.py "$SF" "$SHARED/seeds" || status=1
fi
exit $status
