#!/usr/bin/python3
"""What fillers other than yoshiki's own do with yoshiki's forms.

Choice states. Radio options that set the same value (パート / パートでない under 常用 and
under 臨時) each have their own state ("2-true" = 臨時のパート). Selecting a
state with pdf-lib (select) or pypdf (update_page_form_field_values) must
switch on that option and no other, and read back as the value it sets.
Forms written before the options had their own states ("true~2") still read
back.

Tight fields. pdf-lib draws a field's appearance itself: a 和暦 date typed
in full-width digits (「昭和３３年１１月３日」) must show whole within the box
of every date field of the four forms (their /DA size is 0, auto)."""
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args, run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# form → (the element holding the term and partTime, the term's field name)
CASES = {
    "jukou-moushikomi": ("statusBeforeCourse", "employmentTerm"),
    "dounyu-shien": ("result", "employmentTerm"),
    "koyou-joukyou": ("employment", "term"),
}


def kids_on(pdf, field):
    """The states of `field`'s radio kids that are switched on (/AS)."""
    on = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []):
            w = annot.get_object()
            parent = w.get("/Parent")
            if parent is not None and parent.get_object().get("/T") == field and w.get("/AS") != "/Off":
                on.append(str(w["/AS"]))
    return on


def extracted(a, pdf, xml_out):
    r = run([a.yoshiki, "extract", pdf, "-o", xml_out], f"extract {pdf}")
    return ET.parse(xml_out).getroot() if r.returncode == 0 else None


def check_read_back(a, form, pdf, tag, term_field, filler):
    root = extracted(a, pdf, pdf[:-4] + ".xml")
    if root is None:
        return
    term, part = root.findtext(f"{tag}/{term_field}"), root.findtext(f"{tag}/partTime")
    check((term, part) == ("2", "true"), f"{form} ({filler}): read back {term_field}={term!r} partTime={part!r}, "
                                         f"expected '2' and 'true'")


IPAEX = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
LONG_DATE = "昭和３３年１１月３日"


def pdflib_fill(a, node, blank, out, values):
    with open(out + ".json", "w", encoding="utf-8") as fh:
        json.dump(values, fh, ensure_ascii=False)
    return run([node, os.path.join(HERE, "pdflib_fill.mjs"), blank, out, IPAEX, out + ".json"],
               f"pdf-lib fill of {blank}").returncode == 0


def date_fields(pdf):
    """Single-line date text fields: name → (page number, rectangle)."""
    found = {}
    for n, page in enumerate(PdfReader(pdf).pages, 1):
        for annot in page.get("/Annots", []):
            w = annot.get_object()
            name = w.get("/T")
            if w.get("/FT") == "/Tx" and name and name.lower().endswith("date"):
                found[name] = (n, [float(v) for v in w["/Rect"]], float(page.mediabox.height))
    return found


def check_tight_fields(a, node, form, blank):
    """Every date field filled by pdf-lib with a long 和暦 date: flattened by
    qpdf, the text inside the field's rectangle (pdftotext -x -y -W -H: what
    is drawn outside it is cut in a viewer) is the whole date."""
    fields = date_fields(blank)
    if not check(fields, f"{form}: no date fields found"):
        return
    for name in fields:
        da = next(w.get_object()["/DA"] for p in PdfReader(blank).pages for w in p.get("/Annots", [])
                  if w.get_object().get("/T") == name)
        check(" 0 Tf" in da, f"{form}: {name} has /DA {da!r}, not auto size")
    out = os.path.join(a.out, form + "-pdflib-dates.pdf")
    if not pdflib_fill(a, node, blank, out, {name: LONG_DATE for name in fields}):
        return
    flat = out[:-4] + "-flat.pdf"
    if run(["qpdf", "--flatten-annotations=all", out, flat]).returncode not in (0, 3):
        check(False, f"{form}: qpdf could not flatten {out}")
        return
    for name, (page, (x0, y0, x1, y1), height) in sorted(fields.items()):
        r = run(["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(x0)), "-y", str(int(height - y1)),
                 "-W", str(int(x1 - x0) + 1), "-H", str(int(y1 - y0) + 1), "-layout", flat, "-"])
        seen = "".join(r.stdout.split())
        check(seen == LONG_DATE, f"{form}: pdf-lib's {name} shows {seen!r} within its box, not {LONG_DATE!r}")


def main():
    a = parse_args(__doc__)
    node = shutil.which("node")
    has_pdflib = node and os.path.isdir(os.path.join(HERE, "node_modules", "pdf-lib"))
    if not has_pdflib:
        print("pdf-lib not installed (npm install in tests/roundtrip): its part is skipped")
    for form, (tag, term_field) in CASES.items():
        blank = os.path.join(a.out, form + ".pdf")
        if run([a.yoshiki, "render", form, "--typing-font", "none", "-o", blank], f"render {form}").returncode:
            continue
        part, term = f"{tag}/partTime", f"{tag}/{term_field}"
        if has_pdflib:
            check_tight_fields(a, node, form, blank)
        if has_pdflib:
            out = os.path.join(a.out, form + "-pdflib.pdf")
            pdflib_fill(a, node, blank, out, {term: "/2", part: "/2-true"})
            check(kids_on(out, part) == ["/2-true"], f"{form} (pdf-lib): options on {kids_on(out, part)}")
            check_read_back(a, form, out, tag, term_field, "pdf-lib")
        # pypdf's documented pattern.
        r = PdfReader(blank)
        w = PdfWriter()
        w.append(r)
        for page in w.pages:
            w.update_page_form_field_values(page, {term: "/2", part: "/2-true"})
        out = os.path.join(a.out, form + "-pypdf.pdf")
        w.write(out)
        # pypdf 3.4 sets the group's /V only, not its kids' /AS.
        v = PdfReader(out).get_fields()[part].get("/V")
        check(v == "/2-true", f"{form} (pypdf): {part} is {v!r}")
        check_read_back(a, form, out, tag, term_field, "pypdf")
        # A form of the earlier naming: the n-th option setting a value was "value~n".
        w = PdfWriter()
        w.clone_reader_document_root(PdfReader(blank))
        legacy = {"/1-true": "/true", "/1-false": "/false", "/2-true": "/true~2", "/2-false": "/false~2"}
        for page in w.pages:
            for annot in page.get("/Annots", []):
                k = annot.get_object()
                parent = k.get("/Parent")
                if parent is None or parent.get_object().get("/T") != part:
                    continue
                states = k["/AP"]["/N"]
                for old in [s for s in states if s in legacy]:
                    states[NameObject(legacy[old])] = states.raw_get(old)  # the stream's reference
                    del states[old]
                    if old == "/2-true":
                        k[NameObject("/AS")] = NameObject("/true~2")
                        parent.get_object()[NameObject("/V")] = NameObject("/true~2")
            for annot in page.get("/Annots", []):
                k = annot.get_object()
                parent = k.get("/Parent")
                if parent is not None and parent.get_object().get("/T") == term and "/2" in k["/AP"]["/N"]:
                    k[NameObject("/AS")] = NameObject("/2")
                    parent.get_object()[NameObject("/V")] = NameObject("/2")
        out = os.path.join(a.out, form + "-legacy.pdf")
        w.write(out)
        check_read_back(a, form, out, tag, term_field, "earlier state names")
    return finish(f"other fillers: {len(CASES)} forms, {len(failures)} failures")


if __name__ == "__main__":
    sys.exit(main())
