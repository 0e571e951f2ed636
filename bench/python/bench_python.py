#!/usr/bin/python3
"""Python binding benchmark (issue #21; not a test): files/s of a bulk
validation of the same generated files by the CLI (`yoshiki validate`), the
binding (threads sharing one Engine: validate_bulk, and a ThreadPoolExecutor
calling Engine.validate) and yoshiki.dask on a LocalCluster of 1 and 2
worker processes (one thread each; every result sent back, or keep="failing":
summaries and the failing results only), at 1 and 2 ways of parallelism; and the
overhead per file of each against the CLI at the same parallelism
((wall − CLI's wall) / files). Best of RUNS runs; cluster start-up is
reported apart (paid once per cluster, not per file). Run by
scripts/bench-python.sh, which builds, generates the files and sets
PYTHONPATH.

usage: bench_python.py --yoshiki CLI --list FILES.txt [--runs 3] [--json OUT]"""
import argparse
import json
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import yoshiki
import yoshiki.dask

TODAY = "2026-01-01"


def best(runs, fn):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--yoshiki", required=True)
    ap.add_argument("--list", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    with open(a.list) as f:
        files = [ln.strip() for ln in f if ln.strip()]
    n = len(files)
    rows = []  # (what, ways, seconds)

    def cli(ways):
        def go():
            r = subprocess.run([a.yoshiki, "validate", "--jsonl", "--no-progress", "--today", TODAY,
                                "-j", str(ways), "--files-from", a.list], stdout=subprocess.DEVNULL)
            assert r.returncode in (0, 1)
        return go

    engine = yoshiki.Engine()

    def bulk(ways):
        return lambda: sum(1 for _ in engine.validate_bulk(files, jobs=ways, today=TODAY))

    def pool(ways):
        def go():
            with ThreadPoolExecutor(ways) as p:
                for _ in p.map(lambda f: engine.validate(f, today=TODAY), files, chunksize=64):
                    pass
        return go

    for ways in (1, 2):
        rows.append(("CLI (yoshiki validate -j%d)" % ways, ways, best(a.runs, cli(ways))))
        rows.append(("binding, validate_bulk(jobs=%d)" % ways, ways, best(a.runs, bulk(ways))))
        rows.append(("binding, %d Python thread(s) × validate()" % ways, ways, best(a.runs, pool(ways))))

    from distributed import Client, LocalCluster
    startup = {}
    for workers in (1, 2):
        t = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(lambda: yoshiki.dask._engine((None, None, False)) and None)  # Engine per worker
            startup[workers] = time.perf_counter() - t
            for batch, keep in ((100, "all"), (1000, "all"), (1000, "failing")):
                what = "Dask LocalCluster %d worker(s), batch %d%s" % (
                    workers, batch, ", keep=failing" if keep == "failing" else "")
                rows.append((what, workers, best(a.runs, lambda: yoshiki.dask.validate(
                    files, client, batch_size=batch, today=TODAY, keep=keep))))

    cli_wall = {ways: s for what, ways, s in rows if what.startswith("CLI")}
    print(f"{n} files (bench/validate/make_data.py), best of {a.runs} runs, {os.cpu_count()} cores")
    print(f"{'':60} {'files/s':>9} {'µs/file':>9} {'overhead µs/file':>17}")
    out = []
    for what, ways, s in rows:
        over = (s - cli_wall[ways]) / n * 1e6
        print(f"{what:60} {n / s:9.0f} {s / n * 1e6:9.1f} {over:17.1f}")
        out.append({"what": what, "ways": ways, "seconds": s, "files_per_s": n / s,
                    "overhead_us_per_file": over})
    for w, s in startup.items():
        print(f"LocalCluster start-up with {w} worker(s) and their Engines: {s:.2f} s")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"files": n, "rows": out, "startup_s": startup}, f, indent=1)


if __name__ == "__main__":
    main()
