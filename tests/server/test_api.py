#!/usr/bin/env python3
"""The HTTP service end to end on loopback: starts `storyfold serve` on an
ephemeral port with a fresh store and checks every route, the JSON errors
and their status codes, the limits, and a clean shutdown on SIGTERM.

usage: test_api.py "STORYFOLD COMMAND" ROOT
"""
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CMD, ROOT = shlex.split(sys.argv[1]), sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("not ok:", what)


class Server:
    def __init__(self, db, *extra):
        self.p = subprocess.Popen(CMD + ["serve", "--db", db, "--port", "0", *extra],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.p.stdout.readline()
        assert line.startswith("listening on http://"), (line, self.p.stderr.read())
        hostport = line.split("//")[1].strip().rstrip("/")
        self.host, port = hostport.split(":")
        self.port = int(port)

    def request(self, method, path, body=None, headers=None, timeout=60):
        c = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, r.getheader("Content-Type") or "", data

    def json(self, method, path, body=None):
        status, ctype, data = self.request(method, path, body)
        return status, json.loads(data) if "json" in ctype else data

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        try:
            rc = self.p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = -9
        return rc, self.p.stderr.read()


def pages():
    d = os.path.join(ROOT, "examples", "pages")
    return [{"id": f, "text": open(os.path.join(d, f)).read()} for f in sorted(os.listdir(d))]


def main():
    tmp = tempfile.mkdtemp()
    db = os.path.join(tmp, "news.db")
    s = Server(db, "--max-body", "256k", "--max-line", "64k", "--timeout", "3",
               "--body-seconds", "4")
    try:
        arts = pages()
        # POST JSON Lines: each article's story
        body = "\n".join(json.dumps(a) for a in arts[:4]) + "\n"
        st, r = s.json("POST", "/articles", body)
        check(st == 200, "POST JSON Lines -> 200 (%s)" % st)
        got = {a["id"]: a for a in r["articles"]}
        check(r["added"] == 4, "4 added")
        tram = got["01_harbor_tram_wire.txt"]["story"]
        check(got["02_harbor_tram_copy.txt"]["story"] == tram, "copy in the wire's story")
        check(got["04_lindau_tram.txt"]["story"] != tram, "Lindau apart")
        # one JSON object, pretty-printed over several lines
        st, r = s.json("POST", "/articles", json.dumps(arts[4], indent=2))
        check(st == 200 and r["articles"][0]["outcome"] == "added", "POST one object")
        # an array, with a duplicate id: nothing changes for it
        st, r = s.json("POST", "/articles", json.dumps([arts[5], arts[0]]))
        check(st == 200 and [a["outcome"] for a in r["articles"]] == ["added", "same_id"],
              "POST array with a stored id: %s" % r)
        quake = r["articles"][0]["story"]
        # no id: one from the content; posting it again is a no-op
        noid = {"text": arts[3]["text"], "url": "https://example.org/lindau"}
        st, r1 = s.json("POST", "/articles", json.dumps(noid))
        st2, r2 = s.json("POST", "/articles", json.dumps(noid))
        check(st == 200 and r1["articles"][0]["outcome"] == "added", "no id: added")
        check(r2["articles"][0]["outcome"] == "same_id" and
              r2["articles"][0]["id"] == r1["articles"][0]["id"], "no id: posted twice is a no-op")

        # GET /stories: newest first, paging, search
        st, r = s.json("GET", "/stories")
        check(st == 200 and len(r["stories"]) == 3, "3 stories listed")
        check(r["stories"][0]["id"] in (quake, got["04_lindau_tram.txt"]["story"]),
              "newest first")
        summary = {x["id"]: x for x in r["stories"]}
        check(summary[tram]["sources"] == 3 and summary[tram]["copies"] == 1, "tram summary")
        st, r = s.json("GET", "/stories?limit=1&offset=1")
        check(st == 200 and len(r["stories"]) == 1 and r["next_offset"] == 2, "paging")
        st, r = s.json("GET", "/stories?q=earthquake")
        check([x["id"] for x in r["stories"]] == [quake], "search q=earthquake")
        st, r = s.json("GET", "/stories?q=Harborview%20tram")
        check([x["id"] for x in r["stories"]] == [tram], "search two words")
        st, r = s.json("GET", "/stories?since=2999-01-01")
        check(st == 200 and r["stories"] == [], "since the future: none")
        for bad in ["/stories?limit=0", "/stories?limit=abc", "/stories?limit=100000",
                    "/stories?offset=-1"]:
            st, r = s.json("GET", bad)
            check(st == 400 and r["error"] and r["reason"], "%s -> 400 JSON" % bad)

        # GET /stories/{id}: everything about the story
        st, r = s.json("GET", "/stories/" + tram)
        check(st == 200, "story 200")
        ids = [a["id"] for a in r["articles"]]
        check(ids == ["01_harbor_tram_wire.txt", "02_harbor_tram_copy.txt",
                      "03_harbor_tram_rewrite.txt"], "story sources %s" % ids)
        check(r["articles"][1].get("copy_of") == "01_harbor_tram_wire.txt", "copy relation")
        check(all("added" in a for a in r["articles"]), "when each source was added")
        check(len(r["timeline"]) == 3, "timeline")
        cost = [f for f in r["facts"] if f["kind"] == "money" and f["value"] == 410000000]
        check(cost and cost[0]["support"] == 2, "fact with support")
        check([x["id"] for x in r["related_stories"]] == [got["04_lindau_tram.txt"]["story"]]
              and r["related_stories"][0]["headline"], "related stories with headlines")
        st, r = s.json("GET", "/stories/" + quake)
        check(any(d["what"] == "people injured" for d in r["disagreements"]), "disagreements")
        st, r = s.json("GET", "/stories/s0000000000000000")
        check(st == 404 and r["error"] == "not_found", "unknown story -> 404 JSON")

        # GET /articles/{id}
        st, r = s.json("GET", "/articles/02_harbor_tram_copy.txt")
        check(st == 200 and r["story"] == tram and "googletag" not in r["clean"]
              and r["text"] == arts[1]["text"], "article with clean text")
        st, r = s.json("GET", "/articles/nope")
        check(st == 404, "unknown article -> 404")

        # feeds
        st, ctype, data = s.request("GET", "/feed.rss")
        check(st == 200 and "rss" in ctype and b"<item><title>Harborview" in data, "RSS feed")
        st, r = s.json("GET", "/feed.json")
        check(st == 200 and r["version"].startswith("https://jsonfeed.org/") and
              len(r["items"]) == 3, "JSON Feed")
        st, r = s.json("GET", "/health")
        check(st == 200 and r["status"] == "ok" and r["articles"] == 7 and r["stories"] == 3,
              "health %s" % r)
        st, ctype, data = s.request("GET", "/")
        check(st == 200 and ctype.startswith("text/html"), "the page")

        # errors: JSON with a reason and the right code
        for method, path, body, code in [
                ("POST", "/articles", "{broken", 400),
                ("POST", "/articles", '{"id":"x"}', 400),                # no text
                ("POST", "/articles", '{"id":"x","text":42}', 400),
                ("POST", "/articles", "", 400),
                ("POST", "/articles", "[1,2", 400),
                ("GET", "/articles", None, 405),
                ("DELETE", "/stories", None, 405),
                ("PUT", "/articles", "{}", 405),
                ("GET", "/nothing-here", None, 404),
                ("GET", "/../etc/passwd", None, 404)]:
            st, ctype, data = s.request(method, path, body)
            ok = st == code and ctype.startswith("application/json")
            if ok:
                r = json.loads(data)
                ok = r["status"] == code and r["reason"]
            check(ok, "%s %s -> %s JSON (got %s %s)" % (method, path, code, st, data[:80]))
        # a bad line anywhere: nothing of the body is stored
        st, r = s.json("POST", "/articles", json.dumps({"id": "new1", "text": "Some text here."})
                       + "\n{oops\n")
        check(st == 400 and "line 2" in r["reason"], "bad line 2 -> 400")
        st, r = s.json("GET", "/articles/new1")
        check(st == 404, "nothing stored from a refused body")

        # limits: body size (announced and chunked), line length
        st, ctype, data = s.request("POST", "/articles", b"x" * (300 << 10))
        check(st == 413 and json.loads(data)["error"] == "body_too_large", "huge body -> 413")
        # chunked: read and dropped once past the limit, then refused
        c = socket.create_connection((s.host, s.port))
        c.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(300):
                c.sendall(b"400\r\n" + b"y" * 1024 + b"\r\n")
            c.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        c.settimeout(10)
        try:
            data = c.recv(4096)
        except OSError:
            data = b""
        c.close()
        check(data.startswith(b"HTTP/1.1 413"), "huge chunked body -> 413 (got %r)" % data[:40])
        long_line = json.dumps({"id": "long", "text": "word " * 20000})
        st, r = s.json("POST", "/articles", long_line + "\n" + long_line + "\n")
        check(st == 413 and r["error"] == "line_too_long", "long line -> 413")

        # a slow client does not hold up others, and is cut off
        slow = socket.create_connection((s.host, s.port))
        slow.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
        t0 = time.time()
        st, r = s.json("GET", "/health")
        check(st == 200 and time.time() - t0 < 2, "others served while a client is slow")
        slow.settimeout(20)
        try:
            data = slow.recv(4096)
        except OSError:
            data = b""
        check(time.time() - t0 < 15, "slow client cut off (%.1f s)" % (time.time() - t0))
        slow.close()
        # a client that opens connections and sends nothing
        idle = [socket.create_connection((s.host, s.port)) for _ in range(20)]
        st, r = s.json("GET", "/health")
        check(st == 200, "idle connections do not block others")
        for c in idle:
            c.close()
        # concurrent posts are all answered and stored
        results = []
        def post(k):
            a = {"id": "c%d" % k, "text": arts[k % 6]["text"] + "\nUpdate %d." % k}
            results.append(s.json("POST", "/articles", json.dumps(a))[0])
        threads = [threading.Thread(target=post, args=(k,)) for k in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        check(results == [200] * 12, "12 concurrent posts: %s" % results)
        st, r = s.json("GET", "/health")
        check(r["articles"] == 19, "19 stored (%s)" % r["articles"])
    finally:
        rc, err = s.stop()
    check(rc == 0, "SIGTERM: exit 0 (got %s)" % rc)
    check("shutting down" in err, "SIGTERM: says so")
    # the store opens cleanly after
    s2 = Server(db)
    st, r = s2.json("GET", "/health")
    check(st == 200 and r["articles"] == 19, "reopened store: %s" % r)
    rc, err = s2.stop()
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
