#!/usr/bin/env python3
"""Glues code to the body paragraphs of a labelled cleaning corpus.

usage: glue.py IN.jsonl OUT.jsonl [SEED]

For pages with a gold `body` (aeb-dev.jsonl), each line of `text` that is a
body paragraph (12+ words, ending a sentence) gets, with probability 1/2, a
snippet of ad code, CSS, JSON-LD, markup or a template placeholder glued
after it (or, one time in three, before it), as naive HTML-to-text tools
leave them. Labels are kept, so that `storyfold eval --body body` scores the
cleaner on the glued pages (clean_glued.c): the article's sentences should
stay and the code go.
"""
import json
import random
import sys

SNIPPETS = [
    ".in_text_content_22 {width: 300px; margin: 0 auto;}",
    "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1481124-0'); });",
    "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} "
    "gtag('js', new Date());",
    '{"@context":"https://schema.org","@type":"NewsArticle","headline":"x",'
    '"datePublished":"2019-11-18"}',
    '<div class="ad-slot" id="mid-1"></div>',
    "(adsbygoogle = window.adsbygoogle || []).push({});",
    "{{ article.related_title }}",
    "@media (max-width: 600px) {.sidebar {display: none;}}",
]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    glued = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        for line in f:
            page = json.loads(line)
            body = page.get("body") or ""
            lines = []
            for l in page["text"].split("\n"):
                s = l.strip()
                if (len(s.split()) >= 12 and s in body and s[-1:] in '.!?"'
                        and rnd.random() < 0.5):
                    code = rnd.choice(SNIPPETS)
                    l = code + " " + s if rnd.random() < 1 / 3 else s + " " + code
                    glued += 1
                lines.append(l)
            page["text"] = "\n".join(lines)
            out.write(json.dumps(page, ensure_ascii=False) + "\n")
    print("%d paragraphs glued to code" % glued, file=sys.stderr)


main()
