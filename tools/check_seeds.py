#!/usr/bin/env python3
"""Checks storyfold's bars on the hand-labelled seed pages.

usage: check_seeds.py STORYFOLD SEEDS_DIR

- fold: 000-003 in one story; 004 in it or in a story linked by `related`;
  no story text holds ad code, CSS, the comment form or the war teasers.
- clean: every body line that gold.json lists is kept; titles reported.
"""
import json
import os
import subprocess
import sys

sf, seeds = sys.argv[1], sys.argv[2]
gold = json.load(open(os.path.join(seeds, "gold.json")))["articles"]
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


out = subprocess.run([sf, "fold", "-q", seeds], capture_output=True, text=True, check=True).stdout
stories = [json.loads(l) for l in out.splitlines() if l.strip()]
story_of = {}
for s in stories:
    for a in s["articles"]:
        story_of[a["id"]] = s
ids = sorted(gold)
first = story_of[ids[0]]
check(all(story_of[i]["id"] == first["id"] for i in ids[:4]),
      "seeds: 000-003 folded into one story")
s4 = story_of[ids[4]]
check(s4["id"] == first["id"] or s4["id"] in first["related"] or first["id"] in s4["related"],
      "seeds: 004 in that story or related to it")
bad = ["adUnits", "bidder", "placementId", "in_text_content", "Adsbygoogle", "{width",
       "LEAVE A REPLY", "Please enter your comment", "Ukraine", "Kherson", "Easter truce"]
texts = " ".join(s["text"] for s in stories)
for b in bad:
    check(b not in texts, "seeds: no story text contains %r" % b)

# facts (issue 4): support of the facts gold.json lists, and the denial
story = first
ids4 = set(ids[:4])


def supporters(pred):
    best = set()
    for f in story.get("facts", []):
        if pred(f):
            got = {s["id"] for s in f["sources"]}
            if len(got) > len(best):
                best = got
    return best


got = supporters(lambda f: f["kind"] == "quantity" and f.get("value") == 300000)
check(ids4 <= got, "facts: 300,000 vehicles supported by 000-003 (got %s)" % sorted(x[:3] for x in got))
got = supporters(lambda f: f["kind"] == "date" and f.get("value") == "2024")
check(len(got & ids4) >= 4, "facts: 2024 supported by four (got %d)" % len(got))
got = supporters(lambda f: f["kind"] == "money" and f.get("value") == 10000000000 and f.get("currency") == "USD")
check(len(got) >= 2, "facts: $10 billion supported by two (got %d)" % len(got))
got = supporters(lambda f: f["kind"] == "name" and "hyundai" in f.get("name", "").lower() and "2" in f.get("name", ""))
check(len(got & ids4) >= 4, "facts: Beijing Hyundai No. 2 plant supported by four (got %d)" % len(got))
check(not any(f["kind"] == "name" and f.get("name") == "plant 2" for f in story.get("facts", [])),
      "facts: 000's bare 'Plant 2' merged into the Hyundai plant, not a fact of its own")
if story["id"] == s4["id"]:
    got = supporters(lambda f: f["kind"] == "name" and (f.get("name") == "baic" or f.get("abbr") == "baic"))
    check(len(got) == 5, "facts: BAIC supported by all five (got %d)" % len(got))
denials = [d for d in story.get("disagreements", []) if d["what"] == "denial"]
check(any("baseless" in src.get("quote", "") for d in denials for side in d["sides"]
          for src in side["sources"]), "facts: the Hyundai spokesman's 'baseless' is a disagreement")

out = subprocess.run([sf, "clean", "-q", seeds], capture_output=True, text=True, check=True).stdout
cleaned = {r["id"]: r for r in (json.loads(l) for l in out.splitlines() if l.strip())}
for name in ids:
    lines = open(os.path.join(seeds, name), encoding="utf-8").read().split("\n")
    # the record's text is the body without its headline, which is in "title"
    kept = set(l.strip() for l in cleaned[name]["text"].split("\n"))
    kept.add(cleaned[name]["title"].strip())
    missing = [n for n in gold[name]["body"] if lines[n - 1].strip() not in kept]
    check(not missing, "clean %s: every gold body line kept%s" % (
        name[:3], "" if not missing else " (missing lines %s)" % missing))
    extra = [i + 1 for i, l in enumerate(lines)
             if l.strip() and i + 1 not in gold[name]["body"] and l.strip() in kept]
    title_ok = cleaned[name]["title"].strip() == lines[gold[name]["title"] - 1].strip()
    check(title_ok, "clean %s: title is line %d%s" % (
        name[:3], gold[name]["title"], "" if title_ok else " (got %r)" % cleaned[name]["title"][:60]))
    check(not extra, "clean %s: no furniture line left%s" % (
        name[:3], "" if not extra else " (lines %s)" % extra))
sys.exit(1 if failures else 0)
