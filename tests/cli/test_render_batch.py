#!/usr/bin/python3
"""render in batch (render FORM DATA... -o DIR): every data file NAME.xml of
the folders and files given becomes DIR/NAME.pdf, each byte-identical to the
PDF a single render writes; a file that fails is named with its line and the
others are still written; the exit code is the worst file's (2 over 1)."""
import filecmp
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args, run as run_cmd  # noqa: E402

DATE = "2024-04-01T00:00:00Z"


def main():
    a = parse_args(__doc__)
    y = a.yoshiki
    samples = os.path.join(a.root, "samples", "jukou-moushikomi")

    def run(*args):
        return run_cmd([y, *args])

    data = os.path.join(a.out, "data")
    os.makedirs(os.path.join(data, "more"))
    shutil.copy(os.path.join(samples, "complete.xml"), os.path.join(data, "a.xml"))
    shutil.copy(os.path.join(samples, "minimal.xml"), os.path.join(data, "more", "b.xml"))
    with open(os.path.join(data, "notes.txt"), "w") as f:
        f.write("not data\n")
    bad = os.path.join(data, "c.xml")
    with open(bad, "w") as f:
        f.write('<?xml version="1.0"?>\n<courseApplication formId="jukou-moushikomi" formVersion="1.0">\n'
                "<applicationDate>2024-01-01\n</courseApplication>\n")

    # A folder: its *.xml below it, one PDF each; the broken one named, exit 1.
    out = os.path.join(a.out, "pdf")
    r = run("render", "jukou-moushikomi", data, "-o", out, "--creation-date", DATE, "-j", "2")
    check(r.returncode == 1, f"batch with a malformed file exits 1, got {r.returncode}: {r.stderr}")
    check(f"{bad}:4:" in r.stderr, f"the malformed file is named with its line: {r.stderr}")
    got = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(got == ["a.pdf", "b.pdf"], f"batch writes exactly a.pdf and b.pdf: {got}")
    check("2 PDFs written, 1 failed" in r.stderr, f"batch summary: {r.stderr}")
    for name, src in (("a", os.path.join(data, "a.xml")), ("b", os.path.join(data, "more", "b.xml"))):
        single = os.path.join(a.out, f"single-{name}.pdf")
        r1 = run("render", "jukou-moushikomi", src, "-o", single, "--creation-date", DATE)
        check(r1.returncode == 0, f"single render of {name}: {r1.stderr}")
        made = os.path.join(out, f"{name}.pdf")
        check(os.path.exists(made) and filecmp.cmp(single, made, shallow=False),
              f"{name}.pdf of the batch is byte-identical to a single render")
    text = run_cmd(["pdftotext", os.path.join(out, "a.pdf"), "-"]).stdout
    check("申込年月日" in text, "pdftotext reads the batch's a.pdf")

    # A list of files with one missing: exit 2 (2 wins over 1), the rest written.
    out2 = os.path.join(a.out, "pdf2")
    missing = os.path.join(data, "missing.xml")
    r = run("render", "jukou-moushikomi", os.path.join(data, "a.xml"), missing, bad, "-o", out2,
            "--creation-date", DATE)
    check(r.returncode == 2, f"batch with a missing file exits 2, got {r.returncode}: {r.stderr}")
    check("missing.xml" in r.stderr and f"{bad}:4:" in r.stderr, f"both failures named: {r.stderr}")
    got = sorted(os.listdir(out2)) if os.path.isdir(out2) else []
    check(got == ["a.pdf"], f"the good file is still written: {got}")

    # Two inputs of the same name: the second is refused, not overwritten.
    out3 = os.path.join(a.out, "pdf3")
    r = run("render", "jukou-moushikomi", os.path.join(data, "a.xml"),
            os.path.join(samples, "complete.xml"), os.path.join(data, "more", "b.xml"), "-o", out3,
            "--creation-date", DATE)
    got = sorted(os.listdir(out3)) if os.path.isdir(out3) else []
    check(r.returncode == 0 and got == ["a.pdf", "b.pdf", "complete.pdf"],
          f"distinct names all written: {r.returncode} {got} {r.stderr}")
    r = run("render", "jukou-moushikomi", os.path.join(data, "a.xml"),
            os.path.join(data, "more", "b.xml"), os.path.join(data, "more", "..", "a.xml"), "-o", out3,
            "--creation-date", DATE)
    check(r.returncode == 2 and "same PDF" in r.stderr, f"a second a.xml is refused: {r.returncode} {r.stderr}")

    # The input stream cannot be one of several inputs.
    r = run("render", "jukou-moushikomi", os.path.join(data, "a.xml"), "-", "-o", out3)
    check(r.returncode == 2, f"- among several DATA exits 2, got {r.returncode}")

    return finish(f"render batch: {len(failures)} failures")


if __name__ == "__main__":
    sys.exit(main())
