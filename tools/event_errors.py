#!/usr/bin/env python3
"""Lists the event-grouping errors of a fold against a labelled corpus.

usage: tools/event_errors.py GOLD.jsonl FOLD.jsonl [--topics a,b] [--all]

For each gold event split over several predicted stories, and each
predicted story mixing several gold events, prints the articles with their
date and title (or the first words of the text), grouped, and each gold
event's B-cubed loss (what its articles lose in precision and recall), so
the topics that cost most come first.
"""
import collections
import json
import signal
import sys


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped to head
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    opts = [a for a in sys.argv[1:] if a.startswith("--")]
    if len(args) != 2:
        sys.exit(__doc__)
    topics = None
    for o in opts:
        if o.startswith("--topics="):
            topics = set(o.split("=", 1)[1].split(","))
    show_all = "--all" in opts
    gold = {}
    for line in open(args[0], encoding="utf-8"):
        r = json.loads(line)
        gold[r["id"]] = r
    pred = {}
    for line in open(args[1], encoding="utf-8"):
        s = json.loads(line)
        for a in s["articles"]:
            pred[a["id"]] = s["id"]
    ev = collections.defaultdict(list)
    st = collections.defaultdict(list)
    for i, r in gold.items():
        ev[r["event"]].append(i)
        st[pred.get(i, "missing:" + i)].append(i)
    n = len(gold)
    # per-event B-cubed loss: sum over its items of (1-P) + (1-R), over n
    loss = collections.Counter()
    for i, r in gold.items():
        s = st[pred.get(i, "missing:" + i)]
        e = ev[r["event"]]
        both = sum(1 for j in s if gold[j]["event"] == r["event"])
        loss[r["event"]] += (1 - both / len(s)) + (1 - both / len(e))
    by_topic = collections.defaultdict(float)
    for e, l in loss.items():
        by_topic[gold[ev[e][0]].get("topic", e)] += l / n / 2
    print("B-cubed F1 loss by topic (about (1-P + 1-R)/2 share):")
    for t, l in sorted(by_topic.items(), key=lambda x: -x[1]):
        if l > 0.0005:
            print("  topic %-6s %.4f" % (t, l))
    print()

    def label(i):
        r = gold[i]
        head = r.get("title") or r.get("text", "").replace("\n", " ")[:70]
        return "%-14s %-10s %s" % (i, r.get("date") or "-", head[:90])

    for t, l in sorted(by_topic.items(), key=lambda x: -x[1]):
        if topics is not None and t not in topics:
            continue
        if l <= 0.0005 and not show_all:
            continue
        ids = [i for i in gold if gold[i].get("topic", gold[i]["event"]) == t]
        stories = collections.OrderedDict()
        for i in ids:
            stories.setdefault(pred.get(i, "missing"), []).append(i)
        print("=== topic %s  loss %.4f  gold events: %s" % (
            t, l, ", ".join("%s(%d)" % (e, len(ev[e])) for e in
                            sorted({gold[i]["event"] for i in ids}))))
        for s, members in stories.items():
            others = [j for j in st[s] if j not in members]
            print("  story %s (%d%s)" % (s, len(members),
                  ", +%d from other topics" % len(others) if others else ""))
            for i in sorted(members, key=lambda i: gold[i]["event"]):
                print("    %-12s %s" % (gold[i]["event"], label(i)))
        print()


if __name__ == "__main__":
    main()
