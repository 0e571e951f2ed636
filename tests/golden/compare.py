#!/usr/bin/python3
"""Visual regression: renders every sample and blank form, rasterises every page
with poppler (pdftoppm -r 100 -gray) and compares it with the reference PNG
checked in under tests/golden/<form>/ (<name>.png for page 1, <name>-p2.png …
for the others; a page more or fewer than the references is a failure). A page
passes when fewer than 0.2% of its pixels differ by more than 64 grey levels (anti-aliasing noise stays far
below that; a moved line, a lost circle or a missing word does not).

Regenerate the references after an intended change — and look at them — with:
    tests/golden/compare.py --yoshiki build/bin/yoshiki --root . --out /tmp/golden --update
"""
import glob
import os
import shutil
import subprocess
import sys

from PIL import Image, ImageChops

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args, run  # noqa: E402

MAX_DIFF_FRACTION = 0.002
THRESHOLD = 64


def page_count(pdf):
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    return int(next(l.split()[1] for l in info.splitlines() if l.startswith("Pages:")))


def compare_page(a, pdf, page, prefix, ref):
    """Rasterises one page; None when it matches `ref`, "" when updated, else the failure."""
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                    pdf, prefix], check=True)
    png = prefix + ".png"
    if a.update:
        shutil.copyfile(png, ref)
        print("updated", ref)
        return ""
    if not os.path.exists(ref):
        return f"{ref}: no reference (run with --update and look at it)"
    got, want = Image.open(png).convert("L"), Image.open(ref).convert("L")
    if got.size != want.size:
        return f"size {got.size} differs from reference {want.size}"
    diff = ImageChops.difference(got, want).point(lambda v: 255 if v > THRESHOLD else 0)
    fraction = diff.histogram()[255] / (got.size[0] * got.size[1])
    if fraction > MAX_DIFF_FRACTION:
        diff.save(prefix + "-diff.png")
        return f"{fraction:.4%} of pixels differ (limit {MAX_DIFF_FRACTION:.2%}); see {prefix}-diff.png"
    return None


def main():
    a = parse_args(__doc__, lambda ap: ap.add_argument("--update", action="store_true",
                                                       help="rewrite the reference PNGs"))
    settings = os.path.join(a.root, "samples", "organisation.xml")
    forms = [l.split("\t")[0] for l in run([a.yoshiki, "forms"]).stdout.splitlines()]
    compared = 0
    for form in forms:
        ref_dir = os.path.join(a.root, "tests", "golden", form)
        os.makedirs(ref_dir, exist_ok=True)
        cases = [("blank", None)] + [
            (os.path.basename(d)[:-4], d)
            for d in sorted(glob.glob(os.path.join(a.root, "samples", form, "*.xml")))]
        for name, data in cases:
            pdf = os.path.join(a.out, f"{form}-{name}.pdf")
            cmd = [a.yoshiki, "render", form] + ([data] if data else []) + [
                "--settings", settings, "--creation-date", "2024-04-01T00:00:00Z", "-o", pdf]
            r = run(cmd)
            if not check(r.returncode == 0, f"{name}: render failed: {r.stderr.strip()}"):
                continue
            pages = page_count(pdf)
            refs = sorted(glob.glob(os.path.join(ref_dir, name + "-p*.png")))
            if a.update:
                for stale in refs:
                    os.remove(stale)
            elif not check(pages == 1 + len(refs), f"{name}: {pages} pages, but {1 + len(refs)} reference pages"):
                continue
            for page in range(1, pages + 1):
                # Page 1 is <name>.png, later pages <name>-p2.png, <name>-p3.png, ...
                suffix = "" if page == 1 else f"-p{page}"
                result = compare_page(a, pdf, page, os.path.join(a.out, f"{form}-{name}{suffix}"),
                                      os.path.join(ref_dir, name + suffix + ".png"))
                if result is None:
                    compared += 1
                elif result:
                    failures.append(f"{name}{suffix}: {result}")
    return finish(None if a.update else f"golden renders: {compared} pages compared, {len(failures)} failures")


if __name__ == "__main__":
    sys.exit(main())
