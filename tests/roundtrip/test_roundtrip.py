#!/usr/bin/python3
"""Fillable forms and the round trip, for every sample of every form
(受講申込書, 導入支援票, 雇用状況確認事項):
  1. render --fillable → extract            gives the input data back
  2. render blank → yoshiki fill → extract   gives the input data back
  3. render blank → pypdf fills the fields (as a person would: 和暦 dates in
     full-width digits, radio states as strings) → extract: the input back,
     from the fields alone (a blank form carries no data attachment)
  4. the same through pdftk-java fill_form (XFDF), with need_appearances:
     pdftk's own appearances for CID fonts are tofu, so the viewer draws them
  5. the same through pdf.js (pdfjs-dist in Node: annotation storage, then
     saveDocument(), which writes its own appearances with the typing font)
Every filled PDF is drawn by poppler and, where Node allows, by pdf.js
(pdfjs_render.mjs); the typed name must show in both.
qpdf --check must be clean on every PDF, and poppler must draw the typed
Japanese (the name field's area is not blank after a pypdf fill).
A blank 導入支援票 holds 25 log rows (page 1 and one 続き page): third-party
fillers fill those, and are compared with the sample's first 25 rows; the
60-row log is read back from a pre-filled form's fields alone (long_log)."""
import argparse
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def flat(path):
    root = ET.parse(path).getroot()
    out = []

    def walk(e, p):
        counts = {}
        for k in e:
            counts[k.tag] = counts.get(k.tag, 0) + 1
            walk(k, f"{p}/{k.tag}[{counts[k.tag]}]")
        if len(e) == 0:
            out.append((p, (e.text or "").strip()))

    walk(root, root.tag)
    return out, dict(root.attrib)


def same_data(expected, got, what):
    a, b = flat(expected), flat(got)
    if a != b:
        sa, sb = set(a[0]), set(b[0])
        failures.append(f"{what}: data differs; missing {sorted(sa - sb)[:5]}, extra {sorted(sb - sa)[:5]}, "
                        f"attributes {a[1]} vs {b[1]}")


def run(cmd, what):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f"{what}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def qpdf_clean(pdf):
    r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    if r.returncode != 0 or "No syntax or stream encoding errors" not in r.stdout:
        failures.append(f"{pdf}: qpdf --check: {r.stdout.strip()} {r.stderr.strip()}")


def field_rect(pdf, name):
    from pypdf import PdfReader
    r = PdfReader(pdf)
    for a in r.pages[0]["/Annots"]:
        a = a.get_object()
        if a.get("/T") == name:
            return [float(v) for v in a["/Rect"]], float(r.pages[0].mediabox.height)
    return None, None


def dark_fraction(png, rect, page_h, dpi=100):
    s = dpi / 72
    x1, y1, x2, y2 = rect
    im = Image.open(png).convert("L").crop((int(x1 * s), int((page_h - y2) * s), int(x2 * s), int((page_h - y1) * s)))
    px = list(im.getdata())
    return sum(1 for v in px if v < 128) / max(1, len(px))


def pdfjs_available():
    """pdf.js needs Node >= 20.19 and tests/roundtrip/node_modules (scripts/test.sh installs it)."""
    try:
        v = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
    except FileNotFoundError:
        return False, "node is not installed"
    major, minor = (int(x) for x in v.split(".")[:2])
    if (major, minor) < (20, 19):
        return False, f"node {v} is older than 20.19"
    if not os.path.isdir(os.path.join(HERE, "node_modules", "pdfjs-dist")):
        return False, "pdfjs-dist is not installed (cd tests/roundtrip && npm install)"
    return True, ""


# Each form's text field whose typed Japanese must show after every filler.
PROBES = {
    "jukou-moushikomi": "applicant/name",
    "dounyu-shien": "consultations/consultation[1]/content",
    "koyou-joukyou": "name",
}


def fits_blank(data, template, blank, out):
    """The sample as a blank form can hold it: a blank has a fixed number of
    log rows (<rows>), which third-party fillers cannot add to. Returns `data`
    itself when everything fits, else a copy without the rows past the last."""
    from pypdf import PdfReader
    fields = PdfReader(blank).get_fields() or {}
    tree = ET.parse(data)
    cut = False
    for rows in ET.parse(template).getroot().iter("rows"):
        path = rows.get("path")
        held = max([int(n[len(path) + 1:].split("]")[0]) for n in fields if n.startswith(path + "[")] or [0])
        items = tree.getroot().findall(path)
        parent = tree.getroot().find(path.rsplit("/", 1)[0]) if "/" in path else tree.getroot()
        for item in items[held:]:
            parent.remove(item)
            cut = True
    if not cut:
        return data
    tree.write(out, encoding="UTF-8", xml_declaration=True)
    return out


def round_trip(a, form, probe, pdfjs_ok):
    y, out = a.yoshiki, a.out
    template = os.path.join(a.root, "templates", form + ".xml")
    settings = os.path.join(a.root, "samples", "organisation.xml")
    blank = os.path.join(out, form + "-blank.pdf")
    run([y, "render", form, "--settings", settings, "-o", blank], f"{form}: render blank")
    qpdf_clean(blank)
    samples = sorted(glob.glob(os.path.join(a.root, "samples", form, "*.xml")))
    for data in samples:
        name = form + "-" + os.path.basename(data)[:-4]
        expected = fits_blank(data, template, blank, os.path.join(out, name + "-expected.xml"))
        pre = os.path.join(out, name + "-fillable.pdf")
        run([y, "render", form, data, "--fillable", "-o", pre], f"{name}: render --fillable")
        qpdf_clean(pre)
        xml1 = os.path.join(out, name + "-1.xml")
        run([y, "extract", pre, "-o", xml1], f"{name}: extract")
        same_data(data, xml1, f"{name}: render --fillable → extract")

        filled = os.path.join(out, name + "-filled.pdf")
        run([y, "fill", blank, data, "-o", filled], f"{name}: fill")
        qpdf_clean(filled)
        xml2 = os.path.join(out, name + "-2.xml")
        run([y, "extract", filled, "-o", xml2], f"{name}: extract after fill")
        same_data(data, xml2, f"{name}: render → fill → extract")

        by_pypdf = os.path.join(out, name + "-pypdf.pdf")
        run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, by_pypdf],
            f"{name}: pypdf fill")
        qpdf_clean(by_pypdf)
        xml3 = os.path.join(out, name + "-3.xml")
        run([y, "extract", by_pypdf, "-o", xml3], f"{name}: extract after pypdf")
        same_data(expected, xml3, f"{name}: pypdf fill → extract")

        xfdf = os.path.join(out, name + ".xfdf")
        by_pdftk = os.path.join(out, name + "-pdftk.pdf")
        run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, xfdf], f"{name}: xfdf")
        run(["pdftk", blank, "fill_form", xfdf, "output", by_pdftk, "need_appearances"], f"{name}: pdftk fill_form")
        qpdf_clean(by_pdftk)
        xml4 = os.path.join(out, name + "-4.xml")
        run([y, "extract", by_pdftk, "-o", xml4], f"{name}: extract after pdftk")
        same_data(expected, xml4, f"{name}: pdftk fill_form → extract")

        fillers = [("pypdf", by_pypdf), ("pdftk", by_pdftk)]
        if pdfjs_ok:
            values = os.path.join(out, name + ".json")
            by_pdfjs = os.path.join(out, name + "-pdfjs.pdf")
            run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, values],
                f"{name}: values for pdf.js")
            run(["node", os.path.join(HERE, "pdfjs_fill.mjs"), blank, values, by_pdfjs], f"{name}: pdf.js fill")
            qpdf_clean(by_pdfjs)
            xml5 = os.path.join(out, name + "-5.xml")
            run([y, "extract", by_pdfjs, "-o", xml5], f"{name}: extract after pdf.js")
            same_data(expected, xml5, f"{name}: pdf.js fill → extract")
            fillers.append(("pdf.js", by_pdfjs))

        # The typed name is drawn (poppler, with the embedded typing font).
        for filler, pdf in fillers:
            rect, page_h = field_rect(pdf, probe)
            if rect is None:
                failures.append(f"{name}: no {probe} field after {filler}")
                continue
            prefix = os.path.join(out, name + "-" + filler)
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, prefix], check=True,
                           capture_output=True)
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", blank, prefix + "-blank"],
                           check=True, capture_output=True)
            filled_dark = dark_fraction(prefix + ".png", rect, page_h)
            blank_dark = dark_fraction(prefix + "-blank.png", rect, page_h)
            if filled_dark < blank_dark + 0.02:
                failures.append(f"{name}: the name typed by {filler} is not drawn by poppler "
                                f"({filled_dark:.3f} dark vs {blank_dark:.3f} blank)")
            if pdfjs_ok:  # and by pdf.js itself (canvas render, as a browser shows it)
                subprocess.run(["node", os.path.join(HERE, "pdfjs_render.mjs"), pdf, prefix + "-pdfjs.png", "100"],
                               check=True, capture_output=True)
                subprocess.run(["node", os.path.join(HERE, "pdfjs_render.mjs"), blank, prefix + "-pdfjs-blank.png",
                                "100"], check=True, capture_output=True)
                js_filled = dark_fraction(prefix + "-pdfjs.png", rect, page_h)
                js_blank = dark_fraction(prefix + "-pdfjs-blank.png", rect, page_h)
                if js_filled < js_blank + 0.02:
                    failures.append(f"{name}: the name typed by {filler} is not drawn by pdf.js "
                                    f"({js_filled:.3f} dark vs {js_blank:.3f} blank)")

    return samples


def long_log(a):
    """A 導入支援票 with 60 log rows: page 1 and three 続き pages, and the 60
    rows read back in order from the fields alone (attachment removed)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject
    y, out = a.yoshiki, a.out
    data = os.path.join(a.root, "samples", "dounyu-shien", "long-log.xml")
    pdf = os.path.join(out, "long-log-fillable.pdf")
    run([y, "render", "dounyu-shien", data, "--fillable", "-o", pdf], "long log: render --fillable")
    r = PdfReader(pdf)
    if len(r.pages) != 4:
        failures.append(f"long log: {len(r.pages)} pages, expected page 1 and 3 continuation pages")
    per_page = [sum(1 for x in p.get("/Annots", []) if x.get_object().get("/T", "").endswith("]/content"))
                for p in r.pages]
    if per_page != [5, 20, 20, 20]:
        failures.append(f"long log: content fields per page {per_page}, expected [5, 20, 20, 20]")
    w = PdfWriter()
    w.clone_reader_document_root(r)
    del w._root_object[NameObject("/Names")]
    if "/AF" in w._root_object:
        del w._root_object[NameObject("/AF")]
    bare = os.path.join(out, "long-log-fields-only.pdf")
    with open(bare, "wb") as fh:
        w.write(fh)
    xml = os.path.join(out, "long-log-fields-only.xml")
    run([y, "extract", bare, "-o", xml], "long log: extract without the attachment")
    same_data(data, xml, "long log: fields only → extract")
    rows = ET.parse(xml).getroot().findall("consultations/consultation/content")
    numbers = [int(c.text[:2]) for c in rows]
    if numbers != list(range(1, 61)):
        failures.append(f"long log: rows read back as {numbers[:8]}… (60 in order expected)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yoshiki", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    y, out = a.yoshiki, a.out
    pdfjs_ok, why = pdfjs_available()
    if not pdfjs_ok:
        print(f"SKIPPED pdf.js round trip: {why}")
    samples = []
    for form, probe in PROBES.items():
        samples += round_trip(a, form, probe, pdfjs_ok)
    long_log(a)
    form = "jukou-moushikomi"

    # A decompression bomb as the attached data (200 MB of zeros, ~200 KB
    # deflated): extract must not inflate it, and still read the fields.
    import zlib
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject
    src = os.path.join(out, "jukou-moushikomi-complete-fillable.pdf")
    if not os.path.exists(src):
        failures.append(f"attachment bomb: {src} was not made")
    else:
        w = PdfWriter()
        w.clone_reader_document_root(PdfReader(src))
        names = w._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
        ef = names[1].get_object()["/EF"]["/F"].get_object()
        ef._data = zlib.compress(b"\0" * (200 << 20), 9)
        ef[NameObject("/Filter")] = NameObject("/FlateDecode")
        bomb = os.path.join(out, "bomb.pdf")
        with open(bomb, "wb") as fh:
            w.write(fh)
        def peak_kb(pdf, xml):
            r = subprocess.run(["/usr/bin/time", "-f", "%M", y, "extract", pdf, "-o", xml],
                               capture_output=True, text=True, timeout=60)
            return r, int(r.stderr.strip().splitlines()[-1]) if r.stderr.strip() else 0
        _, normal_kb = peak_kb(src, os.path.join(out, "normal.xml"))
        r, max_kb = peak_kb(bomb, os.path.join(out, "bomb.xml"))
        # Inflating the bomb would add 200 MB; allow 50 MB over a normal extract
        # (sanitizer builds have a large, varying baseline).
        if r.returncode != 0 or max_kb > normal_kb + 50_000:
            failures.append(f"attachment bomb: exit {r.returncode}, peak {max_kb} KB vs {normal_kb} KB "
                            f"normally: {r.stderr[-300:]}")
        else:
            same_data(os.path.join(a.root, "samples", form, "complete.xml"), os.path.join(out, "bomb.xml"),
                      "attachment bomb: fields still read")

    # Extract from a PDF that is no yoshiki form, and from garbage: exit 1, file named.
    junk = os.path.join(out, "junk.pdf")
    with open(junk, "wb") as f:
        f.write(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    r = subprocess.run([y, "extract", junk], capture_output=True, text=True)
    if r.returncode != 1 or junk not in r.stderr:
        failures.append(f"extract of a non-form: exit {r.returncode}, {r.stderr.strip()}")
    garbage = os.path.join(out, "garbage.pdf")
    with open(garbage, "wb") as f:
        f.write(b"this is not a PDF at all" * 100)
    r = subprocess.run([y, "extract", garbage], capture_output=True, text=True)
    if r.returncode != 1 or garbage not in r.stderr:
        failures.append(f"extract of garbage: exit {r.returncode}, {r.stderr.strip()}")

    for f in failures:
        print("FAIL", f)
    print(f"round trip: {len(samples)} samples, fillers yoshiki, pypdf, pdftk"
          f"{', pdf.js' if pdfjs_ok else ''}; {len(failures)} failures")
    return 1 if failures or not samples else 0


if __name__ == "__main__":
    sys.exit(main())
