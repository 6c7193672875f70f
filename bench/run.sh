#!/bin/sh
# End-to-end benchmark: generate synthetic corpora, fold them, time and score the fold.
#
# usage: bench/run.sh [OPTIONS]
#   --sizes "N ..."   article counts (default "10000 100000 1000000")
#   --10m             also 10,000,000 articles (~29 GB of JSON, several GB of memory)
#   --seed S          gencorpus seed (default 1)
#   --dir DIR         where corpora and outputs go (default /tmp/storyfold-bench)
#   --threads N       passed to storyfold fold (default: its own, one per core)
#   --keep            keep the corpora and outputs (default: delete each after its row)
#   --record          append the table, command and machine to bench/README.md
#   --force           fold every size even when the previous size's peak memory, scaled
#                     linearly, says it will not fit in the available memory (default: skip)
#
# Per size it runs, from the repository's top folder:
#   build/gencorpus --articles N --seed S -o DIR/corpus-N.jsonl
#   /usr/bin/time -v build/storyfold fold -q --stats DIR/stats-N.json \
#       -o DIR/stories-N.jsonl DIR/corpus-N.jsonl
#   build/storyfold eval --label event DIR/corpus-N.jsonl DIR/stories-N.jsonl
#   python3 bench/copyeval.py --json DIR/corpus-N.jsonl DIR/stories-N.jsonl
# and prints one table row: speed (MB = 10^6 bytes of input JSON, wall clock of the whole
# fold), peak resident memory, time per stage from --stats, grouping and copy quality.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
sizes="10000 100000 1000000"
seed=1
dir=/tmp/storyfold-bench
threads=
keep=0
record=0
force=0
prev_n=0
prev_rss_kb=0
cmdline="bench/run.sh $*"
while [ $# -gt 0 ]; do
    case $1 in
    --sizes) sizes=$2; shift 2 ;;
    --10m) sizes="$sizes 10000000"; shift ;;
    --seed) seed=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --record) record=1; shift ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
    esac
done

cd "$top"
make -s >/dev/null
make -s -C bench gencorpus >/dev/null
mkdir -p "$dir"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
ram=$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src cli include Makefile 2>/dev/null || commit="$commit + uncommitted changes"
machine="$(nproc) cores ($cpu), $ram RAM"

table=$dir/table.md
{
    echo "| articles | input MB | gen s | fold s | MB/s | articles/s | peak RSS MB | read / add / clean cpu / features cpu / copies / events / write s | B3 P / R / F1 | ARI | copy pairs P / R / F1 |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|"
} > "$table"

for n in $sizes; do
    corpus=$dir/corpus-$n.jsonl
    stories=$dir/stories-$n.jsonl
    if [ "$force" = 0 ] && [ "$prev_n" -gt 0 ]; then
        avail_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
        want_kb=$((prev_rss_kb / prev_n * n))
        if [ $((want_kb / 10 * 11)) -gt "$avail_kb" ]; then
            echo "| $(python3 -c "print(f'{$n:,}')") | | | skipped: $prev_n articles peaked at $((prev_rss_kb / 1024)) MB, so about $((want_kb / 1048576)) GB expected, $((avail_kb / 1048576)) GB available (--force to try) | | | | | | | |" >> "$table"
            tail -n 1 "$table" >&2
            continue
        fi
    fi
    echo "run.sh: $n articles: generating" >&2
    g0=$(date +%s.%N)
    build/gencorpus -q --articles "$n" --seed "$seed" -o "$corpus"
    g1=$(date +%s.%N)
    echo "run.sh: $n articles: folding" >&2
    /usr/bin/time -v -o "$dir/time-$n.txt" build/storyfold fold -q ${threads:+--threads "$threads"} \
        --stats "$dir/stats-$n.json" -o "$stories" "$corpus"
    echo "run.sh: $n articles: scoring" >&2
    build/storyfold eval --label event "$corpus" "$stories" > "$dir/eval-$n.json"
    python3 bench/copyeval.py --json "$corpus" "$stories" > "$dir/copy-$n.json"
    python3 - "$dir" "$n" "$(echo "$g1 - $g0" | bc)" "$(stat -c %s "$corpus")" >> "$table" <<'EOF'
import json, re, sys
d, n, gen, size = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
stats = json.load(open(f'{d}/stats-{n}.json'))
ev = json.loads(open(f'{d}/eval-{n}.json').read().strip().splitlines()[-1])
cp = json.load(open(f'{d}/copy-{n}.json'))
tv = open(f'{d}/time-{n}.txt').read()
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', tv).group(1)) / 1024
m = re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)', tv)
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
s = stats['seconds']
stages = ' / '.join(f"{s.get(k, 0):.2f}" for k in
                    ('read', 'add', 'clean_cpu', 'features_cpu', 'copies', 'events', 'write'))
print(f"| {int(n):,} | {size / 1e6:,.0f} | {gen:.1f} | {wall:.1f} | {size / 1e6 / wall:.1f} | "
      f"{int(stats['articles_read']) / wall:,.0f} | {rss:,.0f} | {stages} | "
      f"{ev['bcubed_p']:.3f} / {ev['bcubed_r']:.3f} / {ev['bcubed_f1']:.3f} | {ev['ari']:.3f} | "
      f"{cp['pair_p']:.3f} / {cp['pair_r']:.3f} / {cp['pair_f1']:.3f} |")
EOF
    tail -n 1 "$table" >&2
    prev_n=$n
    prev_rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time-$n.txt")
    [ "$keep" = 1 ] || rm -f "$corpus" "$stories"
done

report=$dir/report.md
{
    echo "### $(date -u +%Y-%m-%d), commit $commit"
    echo
    echo "Command: \`$cmdline\` (seed $seed${threads:+, --threads $threads}). Machine: $machine."
    echo
    cat "$table"
    echo
} > "$report"
cat "$report"
if [ "$record" = 1 ]; then
    cat "$report" >> bench/README.md
    echo "run.sh: appended to bench/README.md" >&2
fi
