"""Load bench of `yoshiki serve` (not a test; loopback only, stops by itself):
CLIENTS threads × REQUESTS requests each, mixing validate (data XML), render
(flat PDF), extract (a filled PDF, read in a worker process) and validate of
hostile PDFs (their own verdicts: never valid, never a 5xx). Prints
requests/s, p50/p99 latency per kind and overall, the errors (any status but
200, or a hostile file reported valid) and the server's peak memory
(VmHWM of the server process; PDF workers are separate processes with their
own --worker-memory limit).

  python3 bench/serve/load.py --yoshiki build/bin/yoshiki --root . [--clients 32] [--requests 50] [--jobs N]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--yoshiki", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=0, help="the server's --jobs (0: one per core)")
    a = ap.parse_args()

    samples = os.path.join(a.root, "samples")
    hostile_dir = os.path.join(a.root, "tests", "hostile", "files")
    xml = open(os.path.join(samples, "jukou-moushikomi", "complete.xml"), "rb").read()
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = os.path.join(tmp, "filled.pdf")
        subprocess.run([a.yoshiki, "render", "jukou-moushikomi", os.path.join(samples, "jukou-moushikomi", "complete.xml"),
                        "--fillable", "-o", pdf_path], check=True)
        pdf = open(pdf_path, "rb").read()
    hostile = [open(os.path.join(hostile_dir, f), "rb").read()
               for f in ("truncated.pdf", "deep-dicts.pdf", "cyclic-refs.pdf", "malformed-xref.pdf")]
    kinds = [  # (name, path, body, content type, check of the answer)
        ("validate", "/v1/validate", xml, "application/xml", lambda b: json.loads(b)["summary"]["valid"] == 1),
        ("render", "/v1/render", xml, "application/xml", lambda b: b.startswith(b"%PDF-")),
        ("extract", "/v1/extract", pdf, "application/pdf", lambda b: json.loads(b)["form"] == "jukou-moushikomi"),
    ] + [("hostile", "/v1/validate", h, "application/pdf", lambda b: json.loads(b)["files"][0]["valid"] is False)
         for h in hostile]

    args = [a.yoshiki, "serve", "--listen", "127.0.0.1:0", "--queue", str(a.clients)]
    if a.jobs:
        args += ["--jobs", str(a.jobs)]
    server = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = server.stdout.readline().split("listening on ")[1].strip().rstrip("/")
    latencies = {}
    errors = []
    lock = threading.Lock()

    def client(c):
        for i in range(a.requests):
            name, path, body, ctype, ok = kinds[(c + i) % len(kinds)]
            t0 = time.perf_counter()
            try:
                req = urllib.request.Request(base + path, data=body, method="POST", headers={"Content-Type": ctype})
                with urllib.request.urlopen(req, timeout=120) as r:
                    answer, status = r.read(), r.status
                good = status == 200 and ok(answer)
            except Exception as e:  # an HTTP error status or a connection problem: both count
                good, status = False, getattr(e, "code", repr(e))
            dt = time.perf_counter() - t0
            with lock:
                latencies.setdefault(name, []).append(dt)
                if not good:
                    errors.append(f"{name}: {status}")

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    with open(f"/proc/{server.pid}/status") as f:
        peak = next(line.split(":")[1].strip() for line in f if line.startswith("VmHWM"))
    server.terminate()
    server.wait(timeout=60)

    every = [x for v in latencies.values() for x in v]
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))] * 1000  # noqa: E731
    print(f"yoshiki serve load: {a.clients} clients x {a.requests} requests, server --jobs {a.jobs or os.cpu_count()} "
          f"on {os.cpu_count()} cores")
    print(f"  {len(every)} requests in {elapsed:.1f} s: {len(every) / elapsed:.1f} requests/s; "
          f"p50 {q(every, 0.5):.0f} ms, p99 {q(every, 0.99):.0f} ms, mean {statistics.mean(every) * 1000:.0f} ms")
    for name, xs in sorted(latencies.items()):
        print(f"  {name:9} {len(xs):5} requests  p50 {q(xs, 0.5):6.0f} ms  p99 {q(xs, 0.99):6.0f} ms")
    print(f"  errors: {len(errors)}" + (f" ({', '.join(sorted(set(errors))[:10])})" if errors else ""))
    print(f"  server peak memory (VmHWM): {peak}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
