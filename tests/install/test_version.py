#!/usr/bin/python3
"""The version, as users see it: `yoshiki --version`, the PDF's Producer in
the Info dictionary (pdfinfo) and in the XMP (pypdf), and the "yoshiki"
object of the JSON reports (validate --json, --jsonl). --expect is the CMake
project's version."""
import json
import os
import sys

from pypdf import PdfReader

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, finish, parse_args, run  # noqa: E402


def main():
    a = parse_args(__doc__, lambda ap: ap.add_argument("--expect", required=True))
    y = a.yoshiki

    r = run([y, "--version"])
    check(r.returncode == 0, f"--version: exit {r.returncode}")
    check(r.stdout == f"yoshiki {a.expect}\n", f"--version prints {r.stdout!r}")

    pdf = os.path.join(a.out, "blank.pdf")
    run([y, "render", "jukou-moushikomi", "-o", pdf, "--creation-date", "2024-06-09T08:30:00Z"],
        "render a blank form")
    info = run(["pdfinfo", pdf], "pdfinfo").stdout
    producer = [ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("Producer:")]
    check(producer == [f"yoshiki {a.expect}"], f"pdfinfo Producer: {producer}")
    xmp = PdfReader(pdf).xmp_metadata
    check(xmp is not None and xmp.pdf_producer == f"yoshiki {a.expect}",
          f"XMP pdf:Producer: {xmp and xmp.pdf_producer!r}")

    sample = os.path.join(a.root, "samples", "jukou-moushikomi", "complete.xml")
    expected = {"version": a.expect, "format": 1}
    r = run([y, "validate", "--json", "--no-progress", sample])
    check(r.returncode == 0, f"validate --json: exit {r.returncode}: {r.stderr}")
    doc = json.loads(r.stdout)
    check(doc.get("yoshiki") == expected, f"--json 'yoshiki': {doc.get('yoshiki')}")
    check(list(doc) == ["yoshiki", "files", "summary"], f"--json keys in order: {list(doc)}")
    r = run([y, "validate", "--jsonl", "--no-progress", sample])
    last = json.loads(r.stdout.splitlines()[-1])
    check(last.get("yoshiki") == expected, f"--jsonl summary line 'yoshiki': {last}")

    return finish(f"version: {a.expect}")


if __name__ == "__main__":
    sys.exit(main())
