#!/usr/bin/env python3
"""Replays the event clustering of a fold from its compared pairs, to try
graph-level variants in a second instead of a rebuild.

usage: tools/event_replay.py GOLD.jsonl DUMP FOLD.jsonl [options]

DUMP lists the fold's compared pairs before the neighbour pruning. No
build writes it: it comes from a temporary print in src/fold.c
candidate_edges, just before keep_near_neighbours (not committed: the
library reads no environment and prints nothing):

    const char *dp = getenv("SF_DUMP");
    FILE *f = dp ? fopen(dp, "w") : NULL;
    for (size_t i = 0; f && i < m; i++)
        fprintf(f, "N %zu %s\\n", i, e->docs[nodes->v[i]].id);
    for (size_t i = 0; f && i < nedges; i++) {
        uint32_t a = (uint32_t)(pairs[i] >> 32), b = (uint32_t)pairs[i];
        fprintf(f, "E %u %u %.6f\\n", a, b, sim[i]);
    }
    if (f) { fprintf(f, "T %.6f\\n", j.link_t); fclose(f); }

then `SF_DUMP=x.pairs build/storyfold fold --threads 1 IN -o FOLD.jsonl`
(IN: the gold file through tools/strip_labels.py). The replica (pruning to
each article's NEIGHBOURS strongest edges or STRONG_EDGE, then average
linkage) gives the fold's own B-cubed figures on ECB+ and GVC dev; copies
follow their story in FOLD.jsonl.

options (default: the fold as it is):
  --scale 0.889,1,1.111   threshold multiples (0.08/0.09/0.10 at 0.09)
  --neighbours K          edges kept per article (12)
  --mutual                keep an edge only if both ends keep it
  --power P               linkage = power mean of the cross pairs (1 = mean)
  --snn A                 similarity x (A + (1-A) x shared top-12 share)
  --ncut T                after clustering, split a cluster in two (by its
                          Fiedler vector) when the normalized cut is below T
"""
import collections
import heapq
import json
import math
import sys

STRONG_EDGE = 0.35


def load_dump(path):
    nodes, edges, thr = {}, [], None
    for ln, line in enumerate(open(path), 1):
        p = line.split()
        try:
            if p[0] == "N":
                nodes[int(p[1])] = p[2]
            elif p[0] == "E":
                edges.append((int(p[1]), int(p[2]), float(p[3])))
            elif p[0] == "T":
                thr = float(p[1])
            else:
                raise ValueError("unknown line kind %r" % p[0])
        except (IndexError, ValueError) as e:
            sys.exit("%s:%d: %s" % (path, ln, e or "short line"))
    if thr is None:
        sys.exit("%s: no threshold line (T): not a complete dump" % path)
    return nodes, edges, thr


def prune(edges, k, mutual):
    near = collections.defaultdict(list)
    for a, b, s in edges:
        near[a].append(s)
        near[b].append(s)
    kth = {v: 0 if len(l) <= k else sorted(l, reverse=True)[k - 1] for v, l in near.items()}
    if mutual:
        return [(a, b, s) for a, b, s in edges if (s >= kth[a] and s >= kth[b]) or s >= STRONG_EDGE]
    return [(a, b, s) for a, b, s in edges if s >= kth[a] or s >= kth[b] or s >= STRONG_EDGE]


def average_linkage(n, edges, thr):
    """The fold's clustering: merge the two clusters of highest mean
    similarity over all cross pairs (missing pairs 0) while it is >= thr."""
    sums = collections.defaultdict(dict)
    for a, b, s in edges:
        sums[a][b] = s
        sums[b][a] = s
    size = {i: 1 for i in range(n)}
    members = {i: [i] for i in range(n)}
    version = {i: 0 for i in range(n)}
    heap = []

    def push(a, b):
        avg = sums[a][b] / (size[a] * size[b])
        if avg >= thr:
            lo, hi = min(a, b), max(a, b)
            heapq.heappush(heap, (-avg, lo, hi, version[lo], version[hi]))

    for a in list(sums):
        for b in sums[a]:
            if a < b:
                push(a, b)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if a not in size or b not in size or version[a] != va or version[b] != vb:
            continue
        for x, s in sums[b].items():
            if x != a:
                sums[a][x] = sums[a].get(x, 0) + s
                sums[x][a] = sums[x].get(a, 0) + s
                del sums[x][b]
        sums[a].pop(b, None)
        del sums[b]
        size[a] += size.pop(b)
        members[a] += members.pop(b)
        version[a] += 1
        del version[b]
        for x in sums[a]:
            push(a, x)
    return {i: r for r, ms in members.items() for i in ms}


def fiedler(w, deg):
    """Second eigenvector of the normalised affinity, by power iteration."""
    n = len(w)
    u = [math.sqrt(x) for x in deg]
    norm = math.sqrt(sum(x * x for x in u))
    u = [x / norm for x in u]
    v = [((k * 7919) % 13) - 6.0 + 0.1 * k for k in range(n)]
    for _ in range(300):
        p = sum(x * y for x, y in zip(v, u))
        v = [x - p * y for x, y in zip(v, u)]
        v = [v[i] + sum(w[i][j] * v[j] / math.sqrt(deg[i] * deg[j])
                        for j in range(n) if w[i][j]) for i in range(n)]
        norm = math.sqrt(sum(x * x for x in v)) or 1
        v = [x / norm for x in v]
    return [v[i] / math.sqrt(deg[i]) for i in range(n)]


def ncut_split(root, edges, tau, smallest=3):
    near = collections.defaultdict(dict)
    for a, b, s in edges:
        near[a][b] = near[b][a] = s
    groups = collections.defaultdict(list)
    for i, r in root.items():
        groups[r].append(i)
    out = dict(root)
    for r, ms in groups.items():
        n = len(ms)
        if n < 2 * smallest:
            continue
        at = {x: k for k, x in enumerate(ms)}
        w = [[0.0] * n for _ in range(n)]
        for x in ms:
            for y, s in near[x].items():
                if y in at:
                    w[at[x]][at[y]] = s
        deg = [sum(row) for row in w]
        if min(deg) == 0:
            continue
        f = fiedler(w, deg)
        order = sorted(range(n), key=lambda k: f[k])
        best, side = 9.0, None
        for c in range(smallest, n - smallest + 1):
            a = set(order[:c])
            cut = sum(w[i][j] for i in a for j in range(n) if j not in a)
            va = sum(deg[i] for i in a)
            nc = cut / va + cut / (sum(deg) - va)
            if nc < best:
                best, side = nc, a
        if best < tau:
            for k, x in enumerate(ms):
                if k not in side:
                    out[x] = ("split", r)
    return out


def bcubed(gold, pred):
    gc = collections.Counter(gold.values())
    pc = collections.Counter(pred.values())
    both = collections.Counter((gold[i], pred[i]) for i in gold)
    p = sum(both[(gold[i], pred[i])] / pc[pred[i]] for i in gold) / len(gold)
    r = sum(both[(gold[i], pred[i])] / gc[gold[i]] for i in gold) / len(gold)
    return p, r, 2 * p * r / (p + r)


def main():
    args, opt, argv = [], {}, sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a == "--mutual":
            opt["mutual"] = True
        elif a in ("--scale", "--neighbours", "--power", "--snn", "--ncut"):
            if not argv:
                sys.exit("%s needs a value" % a)
            opt[a[2:]] = argv.pop(0)
        elif a.startswith("--"):
            sys.exit("unknown option %s\n%s" % (a, __doc__))
        else:
            args.append(a)
    if len(args) != 3:
        sys.exit(__doc__)
    gold = {}
    for ln, line in enumerate(open(args[0], encoding="utf-8"), 1):
        try:
            r = json.loads(line)
            gold[r["id"]] = r["event"]
        except (ValueError, KeyError) as e:
            sys.exit("%s:%d: %s" % (args[0], ln, e))
    nodes, edges, thr = load_dump(args[1])
    node_of = {v: k for k, v in nodes.items()}
    attach = {}
    for ln, line in enumerate(open(args[2], encoding="utf-8"), 1):
        try:
            ids = [a["id"] for a in json.loads(line)["articles"]]
        except (ValueError, KeyError, TypeError) as e:
            sys.exit("%s:%d: not a fold story: %s" % (args[2], ln, e))
        ns = [i for i in ids if i in node_of]
        for i in ids:
            attach[i] = node_of.get(i, node_of[ns[0]] if ns else None)
    missing = [i for i in gold if attach.get(i) is None]
    if missing:
        sys.exit("%s: %d gold articles not in the fold (%s ...)" % (args[2], len(missing), missing[0]))
    if "snn" in opt:
        alpha = float(opt["snn"])
        near = collections.defaultdict(list)
        for a, b, s in edges:
            near[a].append((s, b))
            near[b].append((s, a))
        top = {v: {x for _, x in sorted(l, reverse=True)[:12]} | {v} for v, l in near.items()}
        edges = [(a, b, s * (alpha + (1 - alpha) * len(top[a] & top[b]) /
                             min(len(top[a]), len(top[b])))) for a, b, s in edges]
        edges = [(a, b, s) for a, b, s in edges if s >= 0.02]
    kept = prune(edges, int(opt.get("neighbours", 12)), "mutual" in opt)
    power = float(opt.get("power", 1))
    figures = []
    for scale in (float(x) for x in opt.get("scale", "0.8889,1,1.1111").split(",")):
        t = thr * scale
        root = average_linkage(len(nodes), [(a, b, s ** power) for a, b, s in kept], t ** power)
        if "ncut" in opt:
            root = ncut_split(root, kept, float(opt["ncut"]))
        p, r, f = bcubed(gold, {i: root[attach[i]] for i in gold})
        figures.append("x%.3f: P %.3f R %.3f F1 %.3f" % (scale, p, r, f))
    print("  ".join(figures))


if __name__ == "__main__":
    main()
