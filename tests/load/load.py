#!/usr/bin/env python3
"""Load and faults of `storyfold serve`, on loopback only, bounded in time
and requests.

  1. load: writers post a synthetic corpus (bench/gencorpus) as JSON Lines
     while readers list, search and open stories; prints the ingest rate
     (articles answered per second) and the readers' latencies, and fails
     below LOAD_MIN_RATE (default 2000) articles a second, on any reader
     error, or if a story is missing an article.
  2. kill -9 mid-ingest: every article whose POST was answered is in the
     store after the kill, the store passes SQLite's integrity check and
     the service starts on it again.
  3. bad clients during ingest: malformed bodies and huge bodies get 4xx
     while well-formed posts keep being answered.

usage: load.py STORYFOLD [ARTICLES]
"""
import http.client
import json
import os
import socket
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

SF = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("LOAD_ARTICLES", "6000"))
MIN_RATE = float(os.environ.get("LOAD_MIN_RATE", "2000"))
CHUNK = 400            # articles per POST
WRITERS = 16
READERS = 4
READ_PAUSE = 0.01      # seconds between one reader's queries (~100 a second each)
DEADLINE = 120         # seconds for the whole load phase
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def check(cond, what):
    print(("ok: " if cond else "not ok: ") + what)
    if not cond:
        failures.append(what)


def corpus(n, seed):
    gen = os.path.join(os.path.dirname(SF), "gencorpus")
    if not os.path.exists(gen):
        subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "bench"), "gencorpus"], check=True)
    out = subprocess.run([gen, "--articles", str(n), "--seed", str(seed), "--furniture", "0.2",
                          "-q"], check=True, capture_output=True, text=True).stdout
    keep = ("id", "title", "text", "url", "source", "date", "lang")
    arts = []
    for line in out.splitlines():
        a = json.loads(line)
        arts.append({k: a[k] for k in keep if k in a})
    return arts


class Server:
    def __init__(self, db):
        self.p = subprocess.Popen([SF, "serve", "--db", db, "--port", "0", "--timeout", "10"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.p.stdout.readline()
        assert line.startswith("listening on"), line
        self.port = int(line.strip().rstrip("/").rsplit(":", 1)[1])

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        return self.p.wait(timeout=120)


def request(c, method, path, body=None):
    c.request(method, path, body=body)
    r = c.getresponse()
    return r.status, r.read()


def bodies(arts):
    return [("\n".join(json.dumps(a) for a in arts[i:i + CHUNK]) + "\n").encode()
            for i in range(0, len(arts), CHUNK)]


def post_all(srv, chunks, acked, stop_at=None, errors=None, writers=None):
    """writers (default WRITERS) threads post chunks; acked gets each
    answered article id."""
    lock = threading.Lock()
    todo = list(enumerate(chunks))

    def writer():
        c = srv.conn()
        while True:
            with lock:
                if not todo or (stop_at and time.time() > stop_at):
                    return
                _, body = todo.pop(0)
            try:
                st, data = request(c, "POST", "/articles", body)
            except (OSError, http.client.HTTPException) as e:
                if errors is not None:
                    errors.append(str(e))
                return
            if st != 200:
                if errors is not None:
                    errors.append("POST %s" % st)
                continue
            ids = [a["id"] for a in json.loads(data)["articles"]]
            with lock:
                acked.extend(ids)

    ts = [threading.Thread(target=writer) for _ in range(writers or WRITERS)]
    for t in ts:
        t.start()
    return ts


def load_phase(tmp):
    arts = corpus(N, 11)
    chunks = bodies(arts)
    srv = Server(os.path.join(tmp, "load.db"))
    acked, errors = [], []
    done = threading.Event()
    reads = {"n": 0, "err": [], "lat": []}
    words = ["police", "election", "fire", "council", "storm", "court", "minister", "market"]

    def reader(k):
        c = srv.conn()
        i = 0
        while not done.is_set():
            i += 1
            path = ["/stories?limit=20", "/stories?q=" + words[(i + k) % len(words)],
                    "/health", "/stories?limit=5&offset=20"][i % 4]
            t0 = time.time()
            try:
                st, data = request(c, "GET", path)
                if st == 200 and path.startswith("/stories?limit=20"):
                    ss = json.loads(data)["stories"]
                    if ss:
                        st, _ = request(c, "GET", "/stories/" + ss[i % len(ss)]["id"])
            except (OSError, http.client.HTTPException) as e:
                reads["err"].append(str(e))
                c = srv.conn()
                continue
            reads["lat"].append(time.time() - t0)
            reads["n"] += 1
            time.sleep(READ_PAUSE)
            if st != 200:
                reads["err"].append("%s %s" % (path, st))

    rs = [threading.Thread(target=reader, args=(k,)) for k in range(READERS)]
    for t in rs:
        t.start()
    t0 = time.time()
    ws = post_all(srv, chunks, acked, stop_at=t0 + DEADLINE, errors=errors)
    for t in ws:
        t.join()
    elapsed = time.time() - t0
    done.set()
    for t in rs:
        t.join()
    rate = len(acked) / elapsed
    lat = sorted(reads["lat"]) or [0]
    print("load: %d articles (%.1f MB) answered in %.2f s: %.0f articles/s; %d reads, "
          "median %.0f ms, p95 %.0f ms, max %.0f ms" % (
              len(acked), sum(map(len, chunks)) / 1e6, elapsed, rate, reads["n"],
              1000 * lat[len(lat) // 2], 1000 * lat[int(len(lat) * 0.95)], 1000 * lat[-1]))
    check(not errors, "every POST answered 200 (%s)" % errors[:3])
    check(len(acked) == len(arts), "all %d articles answered" % len(arts))
    check(rate >= MIN_RATE, "ingest rate %.0f >= %.0f articles/s" % (rate, MIN_RATE))
    check(not reads["err"] and reads["n"] > 0, "readers served throughout (%d reads, errors %s)"
          % (reads["n"], reads["err"][:3]))
    c = srv.conn()
    st, data = request(c, "GET", "/health")
    h = json.loads(data)
    check(h["articles"] == len(set(a["id"] for a in arts)), "health counts every article: %s" % h)
    check(srv.stop() == 0, "SIGTERM after load: exit 0")
    return rate


def kill_phase(tmp):
    arts = corpus(6000, 12)
    chunks = bodies(arts)
    db = os.path.join(tmp, "kill.db")
    srv = Server(db)
    acked, errors = [], []
    # few writers: the corpus arrives over several transactions
    ws = post_all(srv, chunks, acked, errors=errors, writers=3)
    # kill once some posts were answered and more are under way
    t0 = time.time()
    while len(acked) < CHUNK and time.time() - t0 < 60:
        time.sleep(0.02)
    srv.p.send_signal(signal.SIGKILL)
    srv.p.wait()
    for t in ws:
        t.join()
    answered = list(acked)   # every answer that reached a client before the kill
    db_ = sqlite3.connect(db)
    check(db_.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity after kill -9")
    stored = set(r[0] for r in db_.execute("SELECT id FROM articles"))
    homeless = db_.execute("SELECT count(*) FROM articles WHERE story IS NULL").fetchone()[0]
    db_.close()
    lost = [i for i in answered if i not in stored]
    print("kill -9: %d articles answered before the kill, %d stored, %d answered but lost"
          % (len(answered), len(stored), len(lost)))
    check(len(answered) >= CHUNK, "some posts answered before the kill")
    check(len(stored) < len(arts), "the kill came mid-ingest (%d of %d stored)"
          % (len(stored), len(arts)))
    check(not lost, "no answered article lost")
    check(homeless == 0, "every stored article is in a story")
    # the service starts again on the store and takes the rest
    srv = Server(db)
    acked2 = []
    for t in post_all(srv, chunks, acked2):
        t.join()
    c = srv.conn()
    st, data = request(c, "GET", "/health")
    check(st == 200 and json.loads(data)["articles"] == len(arts),
          "restarted: the rest added (%s)" % data[:120])
    check(srv.stop() == 0, "SIGTERM after restart: exit 0")


def bad_clients_phase(tmp):
    arts = corpus(1200, 13)
    chunks = bodies(arts)
    srv = Server(os.path.join(tmp, "bad.db"))
    acked, errors = [], []
    ws = post_all(srv, chunks, acked, errors=errors)
    bad = []
    for body in [b"{not json", b"\x00\xff" * 100, b'{"text": 5}', b"[" * 10000]:
        c = srv.conn()
        st, data = request(c, "POST", "/articles", body)
        bad.append((st, json.loads(data).get("error")))
    # a huge body is refused from its announced length, before it is sent
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (1 << 30))
    s.settimeout(30)
    head = s.recv(4096)
    s.close()
    bad.append((int(head.split()[1]) if head.startswith(b"HTTP/1.1 ") else "closed", "huge"))
    # a client that sends its body very slowly is cut off
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
    s.settimeout(60)
    t0 = time.time()
    try:
        s.recv(4096)
    except OSError:
        pass
    s.close()
    check(time.time() - t0 < 40, "a stalled body is cut off (%.0f s)" % (time.time() - t0))
    for t in ws:
        t.join()
    check(all(isinstance(s, int) and 400 <= s < 500 for s, _ in bad), "bad bodies refused: %s" % bad)
    check(not errors and len(acked) == len(arts), "good posts all answered meanwhile")
    check(srv.stop() == 0, "SIGTERM: exit 0")


def main():
    tmp = tempfile.mkdtemp(prefix="sf-load-")
    try:
        load_phase(tmp)
        kill_phase(tmp)
        bad_clients_phase(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
