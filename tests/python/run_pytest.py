#!/usr/bin/python3
"""Runs the Python binding's pytest suite (tests/python/test_*.py) against
this build: the package assembled in BUILD/python, the CLI of this build as
the reference and PDF worker. Skips (exit 77) in a sanitizer build, where
python cannot load an ASan-built module. Tests write only to pytest's
temporary folders (under /tmp)."""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--yoshiki", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--sanitize", default="")
    ap.add_argument("tests", nargs="*")
    a = ap.parse_args()
    if a.sanitize.upper() in ("ON", "TRUE", "1", "YES"):
        print("skipped: a sanitizer build (python cannot load an ASan-built module)")
        return 77
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(os.path.abspath(a.build), "python")
    env["YOSHIKI_TEST_CLI"] = os.path.abspath(a.yoshiki)
    env["YOSHIKI_TEST_ROOT"] = os.path.abspath(a.root)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # nothing written into the source tree
    for k in ("YOSHIKI_RESOURCES", "YOSHIKI_PDF_WORKER"):
        env.pop(k, None)
    tests = [os.path.join(HERE, t) for t in a.tests] or [HERE]
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
                           env=env, cwd=HERE)


if __name__ == "__main__":
    sys.exit(main())
