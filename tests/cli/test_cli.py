#!/usr/bin/python3
"""The CLI's contract: exit codes (0 ok, 1 invalid input, 2 usage or I/O),
error messages that name the file and line (and the field), byte-identical
output for a fixed creation date, and no half-written output files."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args, run as run_cmd  # noqa: E402


def main():
    a = parse_args(__doc__)
    y = a.yoshiki
    sample = os.path.join(a.root, "samples", "jukou-moushikomi", "complete.xml")

    def run(*args):
        return run_cmd([y, *args])

    r = run("forms")
    check(r.returncode == 0 and "jukou-moushikomi\t1.0\t受講申込書" in r.stdout, f"forms: {r.stdout!r}")
    check("shitsugyo-nintei\t1.0\t失業認定申告書" in r.stdout, f"forms: {r.stdout!r}")
    # A catalogue form's template given as a path keeps the form's rule functions
    # (the calendar's marks call y:param), and renders the same page.
    sn = os.path.join(a.root, "samples", "shitsugyo-nintei", "regular.xml")
    by_id, by_path = os.path.join(a.out, "sn-id.pdf"), os.path.join(a.out, "sn-path.pdf")
    r1 = run("render", "shitsugyo-nintei", sn, "--creation-date", "2024-04-01T00:00:00Z", "-o", by_id)
    r2 = run("render", os.path.join(a.root, "templates", "shitsugyo-nintei.xml"), sn,
             "--creation-date", "2024-04-01T00:00:00Z", "-o", by_path)
    check(r1.returncode == 0 and r2.returncode == 0, f"render shitsugyo-nintei: {r1.stderr} {r2.stderr}")
    if r1.returncode == 0 and r2.returncode == 0:
        t1 = run_cmd(["pdftotext", "-f", "1", "-l", "1", by_id, "-"]).stdout
        t2 = run_cmd(["pdftotext", "-f", "1", "-l", "1", by_path, "-"]).stdout
        # Page 1 prints 3 ○ and 1 × in its notes; the calendar adds 2 of each (regular.xml).
        check(t1 == t2 and t1.count("○") == 5 and t1.count("×") == 3,
              f"calendar marks by id and by template path: {t1.count('○')} ○, {t1.count('×')} ×")

    r = run("render")
    check(r.returncode == 2, f"render without arguments exits 2, got {r.returncode}")
    r = run("frobnicate")
    check(r.returncode == 2, f"unknown subcommand exits 2, got {r.returncode}")

    out = os.path.join(a.out, "x.pdf")
    r = run("render", "no-such-form", "-o", out)
    check(r.returncode == 2 and "unknown form 'no-such-form'" in r.stderr, f"unknown form: {r.returncode} {r.stderr}")

    r = run("render", "jukou-moushikomi", os.path.join(a.out, "missing.xml"), "-o", out)
    check(r.returncode == 2 and "missing.xml" in r.stderr, f"missing data file: {r.returncode} {r.stderr}")

    bad = os.path.join(a.out, "malformed.xml")
    with open(bad, "w") as f:
        f.write('<?xml version="1.0"?>\n<courseApplication formId="jukou-moushikomi" formVersion="1.0">\n<applicationDate>2024-01-01\n</courseApplication>\n')
    r = run("render", "jukou-moushikomi", bad, "-o", out)
    check(r.returncode == 1 and f"{bad}:4:" in r.stderr, f"malformed data names file:line: {r.returncode} {r.stderr}")
    check(not os.path.exists(out) and not os.path.exists(out + ".part"), "no output file after a failure")

    doctype = os.path.join(a.out, "doctype.xml")
    with open(doctype, "w") as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<courseApplication>&e;</courseApplication>\n')
    r = run("render", "jukou-moushikomi", doctype, "-o", out)
    check(r.returncode == 1 and "DOCTYPE" in r.stderr and "root:" not in r.stderr, f"DOCTYPE refused: {r.stderr}")

    invalid = os.path.join(a.out, "invalid.xml")
    src = open(sample, encoding="utf-8").read()
    with open(invalid, "w", encoding="utf-8") as f:
        f.write(src.replace("<age>65</age>", "<age>sixty</age>"))
    r = run("render", "jukou-moushikomi", invalid, "-o", out)
    check(r.returncode == 1 and f"{invalid}:" in r.stderr and "age" in r.stderr, f"XSD error: {r.returncode} {r.stderr}")

    overflow = os.path.join(a.out, "overflow.xml")
    with open(overflow, "w", encoding="utf-8") as f:
        start = src.index("<motivation>") + len("<motivation>")
        end = src.index("</motivation>")
        f.write(src[:start] + "講習を受けたい" * 57 + src[end:])  # 399 characters
    r = run("render", "jukou-moushikomi", overflow, "-o", out)
    check(r.returncode == 1 and "layout.overflow" in r.stderr and "(field motivation)" in r.stderr,
          f"overflow names the field: {r.returncode} {r.stderr}")
    check("講習を受けたい" not in r.stderr, "overflow message does not print the value")

    p1, p2 = os.path.join(a.out, "a.pdf"), os.path.join(a.out, "b.pdf")
    for p in (p1, p2):
        r = run("render", "jukou-moushikomi", sample, "--creation-date", "2024-04-01T00:00:00Z", "-o", p)
        check(r.returncode == 0, f"render sample: {r.stderr}")
    check(open(p1, "rb").read() == open(p2, "rb").read(), "same input and date give identical bytes")

    r = run("render", "jukou-moushikomi", sample, "-o", "/nonexistent-dir/x.pdf")
    check(r.returncode == 2 and "/nonexistent-dir/x.pdf" in r.stderr, f"unwritable output: {r.returncode} {r.stderr}")

    return finish(f"cli checks: {len(failures)} failed")


if __name__ == "__main__":
    sys.exit(main())
