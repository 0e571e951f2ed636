"""Scaffolding shared by the Python end-to-end tests (tests/*/*.py): their
--yoshiki/--root/--out arguments and fresh output folder, the list of failed
checks and the summary that turns it into the exit code ctest reads, running
a command, and 和暦 dates computed here, independently of yoshiki's own
conversion. Each script imports it after putting tests/ on sys.path."""
import argparse
import datetime
import os
import shutil
import subprocess

# What failed, in the order the checks ran (one list per test process).
failures = []

# (era, its initial as in "S33.11.3", first day)
ERAS = (
    ("令和", "R", (2019, 5, 1)),
    ("平成", "H", (1989, 1, 8)),
    ("昭和", "S", (1926, 12, 25)),
    ("大正", "T", (1912, 7, 30)),
    ("明治", "M", (1868, 1, 25)),
)


def check(cond, what):
    """Records `what` as a failure unless `cond` holds; returns `cond`."""
    if not cond:
        failures.append(what)
    return cond


def parse_args(description=None, extra=None):
    """--yoshiki, --root and --out (all required), plus whatever `extra(parser)`
    adds; resets the --out folder so no file of an earlier run passes for this
    one's."""
    ap = argparse.ArgumentParser(description=description)
    for option in ("--yoshiki", "--root", "--out"):
        ap.add_argument(option, required=True)
    if extra:
        extra(ap)
    args = ap.parse_args()
    fresh_dir(args.out, keep=args.root)
    return args


def fresh_dir(path, keep=None):
    """An empty folder at `path`; refuses to empty one holding `keep` (the source tree)."""
    if keep and os.path.commonpath([os.path.abspath(path), os.path.abspath(keep)]) == os.path.abspath(path):
        raise SystemExit(f"refusing to empty {path}: it holds {keep}")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def run(cmd, what=None, **kw):
    """Runs `cmd` capturing text output; with `what`, a non-zero exit is a failure."""
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if what is not None:
        check(r.returncode == 0, f"{what}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def finish(summary, sound=True):
    """Prints every failure and the summary line (none when `summary` is None);
    the exit code: 1 when a check failed or the run was not `sound` (it tested
    nothing), else 0."""
    for f in failures:
        print("FAIL", f)
    if summary is not None:
        print(summary)
    return 1 if failures or not sound else 0


def era(iso):
    """(era, its initial, year of the era, month, day) of an ISO date."""
    d = datetime.date.fromisoformat(iso)
    for name, initial, start in ERAS:
        if (d.year, d.month, d.day) >= start:
            return name, initial, d.year - start[0] + 1, d.month, d.day
    raise ValueError(f"{iso} is before the Meiji era")


def wareki(iso):
    """An ISO date as 和暦, e.g. 令和元年5月1日."""
    name, _, year, month, day = era(iso)
    return f"{name}{'元' if year == 1 else year}年{month}月{day}日"
