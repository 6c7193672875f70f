#!/usr/bin/env python3
"""Score storyfold's copy detection against gencorpus's ground truth.

usage: copyeval.py CORPUS.jsonl STORIES.jsonl [--json]

CORPUS is gencorpus output (each article has "id", "kind" and, for copies, "copy_of").
STORIES is `storyfold fold` output (each story's "articles" carry "copy_of" for copies).

Copy groups are the connected components of copy_of links, in the truth and in the output.
Reported:
  pairs     precision / recall / F1 over pairs of articles in one copy group (the headline);
  links     for each true copy link (article -> the article it was copied from), whether the
            output puts both in one copy group, split by kind (exact copy, near copy);
  false     output links joining two articles of different true copy groups, split into
            "same event" (a rewrite taken for a copy) and "other event".
Pair counts come from group sizes, so the cost is linear in the number of articles.
"""
import json
import re
import sys
from collections import Counter, defaultdict

# gencorpus writes its truth fields first, so a prefix of each line is enough.
HEAD = re.compile(r'^\{"id":"([^"]*)","event":"([^"]*)","kind":"([^"]*)"'
                  r'(?:,"copy_of":"([^"]*)")?')


class Groups:
    """Union-find over article ids."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        p = self.parent.setdefault(x, x)
        root = x
        while p != root:
            root, p = p, self.parent.setdefault(p, p)
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def pairs(n):
    return n * (n - 1) // 2


def read_truth(path):
    events, kinds, links = {}, {}, []
    with open(path, 'rb') as f:
        for raw in f:
            m = HEAD.match(raw[:400].decode('utf-8', 'replace'))
            if not m:
                d = json.loads(raw)  # a corpus written some other way: read it whole
                ident, event, kind, copy_of = d['id'], d['event'], d.get('kind', ''), d.get('copy_of')
            else:
                ident, event, kind, copy_of = m.groups()
            events[ident] = event
            kinds[ident] = kind
            if copy_of:
                links.append((ident, copy_of))
    return events, kinds, links


def read_output(path):
    links, seen = [], set()
    with open(path, 'rb') as f:
        for raw in f:
            if not raw.strip():
                continue
            story = json.loads(raw)
            for a in story['articles']:
                seen.add(a['id'])
                if a.get('copy_of'):
                    links.append((a['id'], a['copy_of']))
    return links, seen


def score(corpus, stories):
    events, kinds, true_links = read_truth(corpus)
    out_links, seen = read_output(stories)
    truth, pred = Groups(), Groups()
    for a, b in true_links:
        truth.union(a, b)
    for a, b in out_links:
        pred.union(a, b)
    ids = list(events)
    cells, tsize, psize = Counter(), Counter(), Counter()
    for x in ids:
        t, p = truth.find(x), pred.find(x)
        cells[(t, p)] += 1
        tsize[t] += 1
        psize[p] += 1
    tp = sum(pairs(n) for n in cells.values())
    tpairs = sum(pairs(n) for n in tsize.values())
    ppairs = sum(pairs(n) for n in psize.values())
    prec = tp / ppairs if ppairs else 1.0
    rec = tp / tpairs if tpairs else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0

    found, total = Counter(), Counter()
    for a, b in true_links:
        total[kinds[a]] += 1
        found[kinds[a]] += pred.find(a) == pred.find(b)
    false_same, false_other = 0, 0
    for a, b in out_links:
        if a in events and b in events and truth.find(a) != truth.find(b):
            if events[a] == events[b]:
                false_same += 1
            else:
                false_other += 1
    result = {
        'articles': len(ids), 'missing': len(set(ids) - seen),
        'true_links': len(true_links), 'output_links': len(out_links),
        'pair_p': round(prec, 4), 'pair_r': round(rec, 4), 'pair_f1': round(f1, 4),
        'false_links_same_event': false_same, 'false_links_other_event': false_other,
    }
    for kind in sorted(total):
        result['link_recall_' + kind] = round(found[kind] / total[kind], 4)
    return result


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--')]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 1
    result = score(args[0], args[1])
    if '--json' in argv:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f'{k:26} {v}')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
