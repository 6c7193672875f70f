#!/usr/bin/env python3
"""Near-duplicate detection with datasketch (MinHash + MinHashLSH), timed beside storyfold.

usage: PYTHONPATH=DATASKETCH_CHECKOUT datasketch_compare.py CORPUS.jsonl
           [--storyfold BUILD/storyfold] [--num-perm 128] [--threshold 0.7] [--json]

datasketch is not part of storyfold and none of its code is in this repository: point
PYTHONPATH at a checkout of https://github.com/ekzhu/datasketch (it needs numpy and scipy).

What datasketch does here, on every article of CORPUS in order (the usual streaming dedup):
  shingles  word 5-shingles of the lower-cased text (words are \\w+ runs), as bytes;
  sketch    MinHash(num_perm=128) of the shingles (datasketch's default SHA-1 hash);
  lsh       MinHashLSH(threshold=0.7): query for earlier articles, then insert.
An article with a candidate whose estimated Jaccard is >= the threshold is called a copy of it.
Times are wall-clock and include reading the JSON; MB are 10^6 bytes of the input file.

With --storyfold, the same corpus is then folded by `storyfold fold -q --stats` on one thread
and on all cores, and the ratio of speeds is printed. storyfold does more than datasketch
here (cleaning, copies, events, stories, facts), so the ratio is a lower bound for copies alone.
If CORPUS carries gencorpus truth ("copy_of"), the copy pairs found are scored too.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

WORD = re.compile(r'\w+')


def shingles(text, k=5):
    words = WORD.findall(text.lower())
    if len(words) < k:
        return [' '.join(words).encode()]
    return [' '.join(words[i:i + k]).encode() for i in range(len(words) - k + 1)]


def run_datasketch(path, num_perm, threshold):
    from datasketch import MinHash, MinHashLSH  # from the checkout on PYTHONPATH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    template = MinHash(num_perm=num_perm)
    found, sketches = {}, {}
    t_read = t_shingle = t_sketch = t_lsh = 0.0
    n = 0
    start = time.perf_counter()
    with open(path, 'rb') as f:
        for raw in f:
            t0 = time.perf_counter()
            art = json.loads(raw)
            t1 = time.perf_counter()
            sh = shingles(art.get('text', ''))
            t2 = time.perf_counter()
            m = MinHash(num_perm=num_perm, permutations=template.permutations)
            m.update_batch(sh)
            t3 = time.perf_counter()
            key = art.get('id', str(n))
            best, best_j = None, threshold
            for cand in lsh.query(m):
                j = m.jaccard(sketches[cand])
                if j >= best_j:
                    best, best_j = cand, j
            if best is not None:
                found[key] = best
            lsh.insert(key, m)
            sketches[key] = m
            t4 = time.perf_counter()
            t_read += t1 - t0
            t_shingle += t2 - t1
            t_sketch += t3 - t2
            t_lsh += t4 - t3
            n += 1
    total = time.perf_counter() - start
    size = os.path.getsize(path)
    return {
        'articles': n, 'bytes': size, 'seconds': round(total, 3),
        'mb_per_second': round(size / total / 1e6, 3),
        'articles_per_second': round(n / total, 1),
        'seconds_read': round(t_read, 3), 'seconds_shingles': round(t_shingle, 3),
        'seconds_minhash': round(t_sketch, 3), 'seconds_lsh': round(t_lsh, 3),
        'copies_found': len(found),
    }, found


def truth_links(path):
    links = {}
    with open(path, 'rb') as f:
        for raw in f:
            art = json.loads(raw)
            if art.get('copy_of'):
                links[art['id']] = art['copy_of']
    return links


def run_storyfold(binary, path, threads):
    with tempfile.TemporaryDirectory() as tmp:
        stats = os.path.join(tmp, 'stats.json')
        out = os.path.join(tmp, 'stories.jsonl')
        cmd = [binary, 'fold', '-q', '--stats', stats, '-o', out]
        if threads:
            cmd += ['--threads', str(threads)]
        start = time.perf_counter()
        subprocess.run(cmd + [path], check=True)
        wall = time.perf_counter() - start
        with open(stats) as f:
            s = json.load(f)
    size = os.path.getsize(path)
    return {'threads': threads or 'all', 'seconds': round(wall, 3),
            'mb_per_second': round(size / wall / 1e6, 3),
            'articles_per_second': round(s['articles_read'] / wall, 1),
            'stats_seconds': s.get('seconds')}


def main(argv):
    args, opts, i = [], {}, 1
    while i < len(argv):
        if argv[i] in ('--storyfold', '--num-perm', '--threshold'):
            opts[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i] == '--json':
            opts['--json'] = True
            i += 1
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 1
    path = args[0]
    num_perm = int(opts.get('--num-perm', 128))
    threshold = float(opts.get('--threshold', 0.7))
    result = {'corpus': path, 'num_perm': num_perm, 'threshold': threshold}
    binary = opts.get('--storyfold')
    if binary and not os.access(binary, os.X_OK):
        sys.stderr.write(f'datasketch_compare.py: {binary}: not an executable\n')
        return 1
    ds, found = run_datasketch(path, num_perm, threshold)
    result['datasketch'] = ds
    sys.stderr.write('datasketch: ' + json.dumps(ds) + '\n')  # kept if storyfold fails later
    truth = truth_links(path)
    if truth:
        # A found pair is right when the truth's copy links join the two articles.
        parent = {}

        def find(x):
            while parent.get(x, x) != x:
                x = parent[x]
            return x
        for a, b in truth.items():
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        right = sum(1 for a, b in found.items() if find(a) == find(b))
        ds['copy_precision'] = round(right / len(found), 4) if found else 1.0
        ds['copy_recall'] = round(sum(1 for a in truth if a in found and
                                      find(a) == find(found[a])) / len(truth), 4)
    if binary:
        one = run_storyfold(binary, path, 1)
        every = run_storyfold(binary, path, 0)
        result['storyfold_1_thread'] = one
        result['storyfold_all_threads'] = every
        result['speed_ratio_1_thread'] = round(one['mb_per_second'] / ds['mb_per_second'], 2)
        result['speed_ratio_all_threads'] = round(every['mb_per_second'] / ds['mb_per_second'], 2)
    if opts.get('--json'):
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
