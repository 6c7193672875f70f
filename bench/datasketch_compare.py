#!/usr/bin/env python3
"""Near-duplicate detection with datasketch (MinHash + MinHashLSH), timed beside storyfold.

usage: PYTHONPATH=DATASKETCH_CHECKOUT datasketch_compare.py CORPUS.jsonl
           [--storyfold BUILD/storyfold] [--num-perm 128] [--threshold 0.7] [--json]
           [--no-fold]

datasketch is not part of storyfold and none of its code is in this repository: point
PYTHONPATH at a checkout of https://github.com/ekzhu/datasketch (it needs numpy and scipy).

What datasketch does here, on every article of CORPUS in order (the usual streaming dedup):
  shingles  word 5-shingles of the lower-cased text (words are \\w+ runs), as bytes;
  sketch    MinHash(num_perm=128) of the shingles (datasketch's default SHA-1 hash);
  lsh       MinHashLSH(threshold=0.7): query for earlier articles, then insert.
An article with a candidate whose estimated Jaccard is >= the threshold is called a copy of it.
Times are wall-clock and include reading the JSON; MB are 10^6 bytes of the input file.

With --storyfold, the same corpus then goes through
  storyfold dedup   the like-for-like tool: the same words (lower-cased \w+ runs of the raw
                    text), the same 5-word shingles, 128 MinHash values (one permutation
                    hashing with densification instead of 128 hash functions), LSH bands,
                    a candidate with estimated Jaccard >= the threshold is a copy; each
                    article is linked to its most similar earlier one (as here);
  storyfold fold    (unless --no-fold) the whole fold, which also cleans, finds events and
                    facts and writes stories: far more than datasketch does;
each on one thread and on all cores, timed as whole processes (wall clock, reading and
writing included), and the ratios of articles per second are printed.
If CORPUS carries gencorpus truth ("copy_of"), the copy links found by each are scored:
precision = found links whose two articles are copies of one another in the truth, recall =
truth links (article -> the one it copies) found as a link into the same copy group.
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


def score_links(found, truth):
    """Copy-link precision and recall of found {article: earlier article} against the truth."""
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
    p = round(right / len(found), 4) if found else 1.0
    r = round(sum(1 for a in truth if a in found and find(a) == find(found[a])) / len(truth), 4)
    return p, r


def run_dedup(binary, path, threads, num_perm, threshold):
    if num_perm != 128:
        raise SystemExit('storyfold dedup keeps 128 values a signature: use --num-perm 128')
    with tempfile.TemporaryDirectory() as tmp:
        stats = os.path.join(tmp, 'stats.json')
        out = os.path.join(tmp, 'dedup.jsonl')
        cmd = [binary, 'dedup', '-q', '--threshold', str(threshold), '--shingle-words', '5',
               '--stats', stats, '-o', out, '--threads', str(threads)]
        start = time.perf_counter()
        subprocess.run(cmd + [path], check=True)
        wall = time.perf_counter() - start
        with open(stats) as f:
            s = json.load(f)
        found = {}
        with open(out, 'rb') as f:
            for raw in f:
                r = json.loads(raw)
                if 'copy_of' in r:
                    found[r['id']] = r['copy_of']
    size = os.path.getsize(path)
    return {'threads': threads or 'all', 'seconds': round(wall, 3),
            'mb_per_second': round(size / wall / 1e6, 3),
            'articles_per_second': round(s['articles_read'] / wall, 1),
            'bands': s['bands'], 'rows': s['rows'],
            'stats_seconds': s.get('seconds'), 'copies_found': len(found)}, found


def fold_links(stories_path):
    found = {}
    with open(stories_path, 'rb') as f:
        for raw in f:
            for a in json.loads(raw).get('articles', []):
                if a.get('copy_of'):
                    found[a['id']] = a['copy_of']
    return found


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
        found = fold_links(out)
    size = os.path.getsize(path)
    return {'threads': threads or 'all', 'seconds': round(wall, 3),
            'mb_per_second': round(size / wall / 1e6, 3),
            'articles_per_second': round(s['articles_read'] / wall, 1),
            'stats_seconds': s.get('seconds'), 'copies_found': len(found)}, found


def main(argv):
    args, opts, i = [], {}, 1
    while i < len(argv):
        if argv[i] in ('--storyfold', '--num-perm', '--threshold'):
            opts[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i] in ('--json', '--no-fold'):
            opts[argv[i]] = True
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
        ds['copy_precision'], ds['copy_recall'] = score_links(found, truth)
    if binary:
        def ratio(x):
            return round(x['articles_per_second'] / ds['articles_per_second'], 1)
        runs = [('dedup', lambda t: run_dedup(binary, path, t, num_perm, threshold))]
        if not opts.get('--no-fold'):
            runs.append(('fold', lambda t: run_storyfold(binary, path, t)))
        for name, run in runs:
            for threads, label in ((1, '1_thread'), (0, 'all_threads')):
                res, links = run(threads)
                if truth:
                    res['copy_precision'], res['copy_recall'] = score_links(links, truth)
                res['ratio_articles_per_second'] = ratio(res)
                result[f'storyfold_{name}_{label}'] = res
                sys.stderr.write(f'storyfold {name} {label}: ' + json.dumps(res) + '\n')
    if opts.get('--json'):
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
