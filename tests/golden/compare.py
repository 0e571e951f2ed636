#!/usr/bin/python3
"""Visual regression: renders every sample and blank form, rasterises page 1
with poppler (pdftoppm -r 100 -gray) and compares it with the reference PNG
checked in under tests/golden/<form>/. A page passes when fewer than 0.2% of
its pixels differ by more than 64 grey levels (anti-aliasing noise stays far
below that; a moved line, a lost circle or a missing word does not).

Regenerate the references after an intended change — and look at them — with:
    tests/golden/compare.py --yoshiki build/bin/yoshiki --root . --out /tmp/golden --update
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys

from PIL import Image, ImageChops

MAX_DIFF_FRACTION = 0.002
THRESHOLD = 64


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yoshiki", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--update", action="store_true", help="rewrite the reference PNGs")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    settings = os.path.join(a.root, "samples", "organisation.xml")
    forms = [l.split("\t")[0] for l in subprocess.run([a.yoshiki, "forms"], capture_output=True,
                                                      text=True).stdout.splitlines()]
    failures, compared = [], 0
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
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                failures.append(f"{name}: render failed: {r.stderr.strip()}")
                continue
            prefix = os.path.join(a.out, f"{form}-{name}")
            subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", pdf, prefix],
                           check=True)
            png = prefix + ".png"
            ref = os.path.join(ref_dir, name + ".png")
            if a.update:
                shutil.copyfile(png, ref)
                print("updated", ref)
                continue
            if not os.path.exists(ref):
                failures.append(f"{ref}: no reference (run with --update and look at it)")
                continue
            got, want = Image.open(png).convert("L"), Image.open(ref).convert("L")
            if got.size != want.size:
                failures.append(f"{name}: size {got.size} differs from reference {want.size}")
                continue
            diff = ImageChops.difference(got, want).point(lambda v: 255 if v > THRESHOLD else 0)
            changed = diff.histogram()[255]
            fraction = changed / (got.size[0] * got.size[1])
            compared += 1
            if fraction > MAX_DIFF_FRACTION:
                diff_path = prefix + "-diff.png"
                diff.save(diff_path)
                failures.append(f"{name}: {fraction:.4%} of pixels differ (limit {MAX_DIFF_FRACTION:.2%}); see {diff_path}")
    for f in failures:
        print("FAIL", f)
    if not a.update:
        print(f"golden renders: {compared} pages compared, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
