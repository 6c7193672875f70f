#!/usr/bin/env python3
"""Keeps only the named fields of each JSON Lines record (stdin -> stdout),
so that the engine never sees the labels it is scored on.

usage: strip_labels.py FIELD,FIELD,... < in.jsonl > out.jsonl
"""
import json
import sys

keep = sys.argv[1].split(",")
for line in sys.stdin:
    if not line.strip():
        continue
    rec = json.loads(line)
    print(json.dumps({k: rec[k] for k in keep if k in rec}, ensure_ascii=False))
