#!/usr/bin/env python3
"""The load of scripts/soak.sh: a steady mix of writes and reads against one server.

Every SLICE seconds the revenue period advances by a month and the finished period
is settled. At the end every acknowledged write is read back (characters, cards,
settlement runs) or replayed (revenue batches must come back as duplicates only).
Prints RSS, open files and p99 per kind for the first and the last minute."""
import argparse, http.client, json, os, queue, random, sys, threading, time, urllib.parse

ap = argparse.ArgumentParser()
for a in ("url", "token", "work", "agreement"):
    ap.add_argument("--" + a, required=True)
ap.add_argument("--pid", type=int, required=True)
ap.add_argument("--seconds", type=float, default=600)
ap.add_argument("--rate", type=float, default=40)
ap.add_argument("--slice", type=float, default=30)
args = ap.parse_args()
u = urllib.parse.urlparse(args.url)
H = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"}
local = threading.local()
lock = threading.Lock()
lat = []          # (t, kind, ms)
errors = []       # (kind, status, body)
acked = {"character": [], "card": [], "revenue": [], "run": []}
t_start = time.monotonic()


def call(method, path, body=None):
    if not hasattr(local, "c"):
        local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    data = None if body is None else json.dumps(body).encode()
    for attempt in (0, 1):
        try:
            local.c.request(method, path, body=data, headers=H)
            r = local.c.getresponse()
            return r.status, r.read()
        except (http.client.HTTPException, OSError):
            local.c.close()
            local.c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
            if attempt:
                raise


def timed(kind, method, path, body=None, ok=(200, 201)):
    t0 = time.monotonic()
    status, raw = call(method, path, body)
    ms = (time.monotonic() - t0) * 1000
    with lock:
        lat.append((t0 - t_start, kind, ms))
        if status not in ok:
            errors.append((kind, status, raw[:300]))
    return status, (json.loads(raw) if raw and raw[:1] in b"{[" else raw)


def period(k):
    return "%04d-%02d" % (2001 + k // 12, 1 + k % 12)


def issue():
    s, ch = timed("character", "POST", "/v1/characters", {"name": "Soak %06d" % random.randrange(10**6)})
    if s != 201:
        return
    with lock:
        acked["character"].append(ch["id"])
    s, card = timed("card", "POST", "/v1/characters/%s/cards" % ch["id"], {"alg": "p256"})
    if s == 201:
        with lock:
            acked["card"].append(card["serial"])


seq = iter(range(10**9))


def revenue():
    k = int((time.monotonic() - t_start) // args.slice)
    n = next(seq)
    lines = [{"idempotency_key": "soak-%d-%d" % (n, i), "work": args.work,
              "amount": 100 + (n * 31 + i) % 10000, "currency": "CNY",
              "territory": "CN", "channel": "ticketing", "period": period(k)} for i in range(100)]
    s, _ = timed("revenue", "POST", "/v1/revenue", {"lines": lines})
    if s in (200, 201):
        with lock:
            acked["revenue"].append(lines)


def read():
    with lock:
        chars = list(acked["character"][-50:])
        cards = list(acked["card"][-50:])
    r = random.random()
    if r < 0.4 and chars:
        timed("read", "GET", "/v1/characters/" + random.choice(chars))
    elif r < 0.8 and cards:
        timed("read", "GET", "/v1/cards/" + random.choice(cards))
    else:
        timed("read", "GET", "/log/checkpoint")


def settle(k):
    s, run = timed("settle", "POST", "/v1/settlements",
                   {"agreement_id": args.agreement, "period": period(k)})
    if s == 201:
        with lock:
            acked["run"].append(run["id"])


def proc():
    st = open("/proc/%d/status" % args.pid).read()
    rss = next(int(l.split()[1]) for l in st.splitlines() if l.startswith("VmRSS:"))
    return rss / 1024, len(os.listdir("/proc/%d/fd" % args.pid))


def p99(kind, lo, hi):
    xs = sorted(ms for t, k, ms in lat if k == kind and lo <= t < hi)
    return ("%.1f" % xs[min(len(xs) - 1, int(len(xs) * 0.99))]) if xs else "-"


jobs = queue.Queue(maxsize=1000)


def worker():
    while True:
        f = jobs.get()
        if f is None:
            return
        try:
            f()
        except Exception as e:  # a transport error is an error of the soak
            with lock:
                errors.append(("transport", 0, repr(e).encode()))


workers = [threading.Thread(target=worker, daemon=True) for _ in range(16)]
for w in workers:
    w.start()
rss0, fds0 = proc()
print("soak: %.0f s at %.0f req/s on %s (pid %d); start RSS %.1f MiB, %d open files"
      % (args.seconds, args.rate, args.url, args.pid, rss0, fds0), flush=True)
mix = [issue] * 3 + [revenue] * 3 + [read] * 4
settled = 0
i = 0
while True:
    now = time.monotonic() - t_start
    if now >= args.seconds:
        break
    k = int(now // args.slice)
    while settled < k:          # the previous slice's period is over: settle it
        jobs.put(lambda kk=settled: settle(kk))
        settled += 1
    jobs.put(mix[i % len(mix)])
    i += 1
    if i % int(max(1, args.rate * 60)) == 0:
        rss, fds = proc()
        print("soak: t=%4.0f s RSS %.1f MiB, %d open files, %d errors"
              % (now, rss, fds, len(errors)), flush=True)
    nxt = t_start + i / args.rate
    time.sleep(max(0, nxt - time.monotonic()))
for _ in workers:
    jobs.put(None)
for w in workers:
    w.join()
end = time.monotonic() - t_start
rss1, fds1 = proc()

# Read back every acknowledged write.
missing = []
for cid in acked["character"]:
    if call("GET", "/v1/characters/" + cid)[0] != 200:
        missing.append("character " + cid)
for serial in acked["card"]:
    if call("GET", "/v1/cards/" + serial)[0] != 200:
        missing.append("card " + serial)
for run in acked["run"]:
    if call("GET", "/v1/settlements/" + run)[0] != 200:
        missing.append("run " + run)
for lines in acked["revenue"]:
    s, raw = call("POST", "/v1/revenue", {"lines": lines})
    d = json.loads(raw) if s in (200, 201) else {}
    if s != 200 or d.get("imported") != 0:
        missing.append("revenue batch %s (replay: %d %s)" % (lines[0]["idempotency_key"], s, raw[:100]))

print("soak: %-10s %12s %12s" % ("p99 ms", "first minute", "last minute"))
for kind in ("character", "card", "revenue", "settle", "read"):
    print("soak: %-10s %12s %12s" % (kind, p99(kind, 0, 60), p99(kind, end - 60, end + 1)))
print("soak: RSS %.1f -> %.1f MiB; open files %d -> %d" % (rss0, rss1, fds0, fds1))
print("soak: acknowledged: %d characters, %d cards, %d revenue batches (%d lines), %d runs"
      % (len(acked["character"]), len(acked["card"]), len(acked["revenue"]),
         100 * len(acked["revenue"]), len(acked["run"])))
status = 0
if errors:
    print("soak: %d failed requests, e.g. %s" % (len(errors), errors[:3]))
    status = 1
if missing:
    print("soak: %d acknowledged writes missing, e.g. %s" % (len(missing), missing[:3]))
    status = 1
print("soak: %s" % ("PASSED: nothing acknowledged was lost" if status == 0 else "FAILED"))
sys.exit(status)
