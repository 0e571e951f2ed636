#!/usr/bin/python3
"""Fillable forms and the round trip, for every sample of every form
(受講申込書, 導入支援票, 雇用状況確認事項):
  1. render --fillable → extract            gives the input data back
  2. render blank → yoshiki fill → extract   gives the input data back
  3. render blank → pypdf fills the fields (as a person would: 和暦 dates in
     full-width digits, radio states as strings) → extract: the input back,
     from the fields alone (a blank form carries no data attachment)
  4. the same through pdftk-java fill_form (XFDF) with replacement_font, the
     option pdftk documents for non-ASCII text: pdftk 3.3.2 (iText 2 inside)
     cannot encode text in any Type0 font of the form's /DR (it writes one
     zero byte per character), so no form can make its default fill legible;
     and once more with need_appearances, where viewers rebuild the widgets
  5. the same through pdf.js (pdfjs-dist in Node: annotation storage, then
     saveDocument(), which writes its own appearances with the typing font)
Every filled PDF is drawn by poppler and, where Node allows, by pdf.js
(pdfjs_render.mjs); the typed name must show in both, the appearance drawn
must be the typed text (qpdf flattens it into the page, pdftotext reads it
back: tofu would read as nothing) and poppler must draw the chosen radio
button even after fillers that set NeedAppearances. For the 失業認定申告書
the calendar marks typed into its cells must show too (the fillers copy them
from the form rendered --fillable, as a person copies marks from a work log).
qpdf --check must be clean on every PDF, and poppler must draw the typed
Japanese (the name field's area is not blank after a pypdf fill).
A blank 導入支援票 holds 25 log rows (page 1 and one 続き page): third-party
fillers fill those, and are compared with the sample's first 25 rows; the
60-row log is read back from a pre-filled form's fields alone (long_log)."""
import glob
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from support import check, failures, finish, parse_args, run  # noqa: E402


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


def qpdf_clean(pdf):
    r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    if r.returncode != 0 or "No syntax or stream encoding errors" not in r.stdout:
        failures.append(f"{pdf}: qpdf --check: {r.stdout.strip()} {r.stderr.strip()}")


def field_rect(pdf, name, state=None):
    """The rectangle of the widget of field `name` (for a radio group: of
    its kid whose on-state is `state`) on page 1."""
    from pypdf import PdfReader
    r = PdfReader(pdf)
    for a in r.pages[0]["/Annots"]:
        a = a.get_object()
        t = a.get("/T")
        if t is None and "/Parent" in a:
            t = a["/Parent"].get_object().get("/T")
            if state is None or state not in a["/AP"]["/N"]:
                continue
        if t == name:
            return [float(v) for v in a["/Rect"]], float(r.pages[0].mediabox.height)
    return None, None


def typing_font_file():
    """The font file of IPAexGothic, yoshiki's typing font, as fontconfig finds it."""
    r = subprocess.run(["fc-match", "-f", "%{file}", "IPAexGothic"], capture_output=True, text=True)
    return r.stdout.strip()


def drawn_text(pdf, out_prefix, rect, page_h):
    """The words drawn wholly inside `rect` of page 1 with every widget's
    appearance flattened into the page (qpdf), as pdftotext reads them: what
    a viewer shows there, in characters (a neighbouring field's text that
    spills over its own box does not count)."""
    import html
    import re
    flat_pdf = out_prefix + "-flat.pdf"
    r = subprocess.run(["qpdf", "--flatten-annotations=all", pdf, flat_pdf], capture_output=True, text=True)
    if r.returncode not in (0, 3):  # 3: warnings only
        failures.append(f"{pdf}: qpdf --flatten-annotations: {r.stderr.strip()}")
        return ""
    page = subprocess.run(["pdftotext", "-bbox", "-l", "1", flat_pdf, "-"], capture_output=True,
                          text=True).stdout
    x1, y1, x2, y2 = rect[0] - 1, page_h - rect[3] - 1, rect[2] + 1, page_h - rect[1] + 1
    words = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                         page):
        a, b, c, d = map(float, m.groups()[:4])
        if a >= x1 and b >= y1 and c <= x2 and d <= y2:
            words.append(html.unescape(m.group(5)))
    return " ".join(words)


def is_multiline(pdf, name):
    from pypdf import PdfReader
    f = (PdfReader(pdf).get_fields() or {}).get(name) or {}
    return bool(int(f.get("/Ff", 0)) & (1 << 12))


def marked_cells(pdf):
    """Calendar cells (work/day#n) holding a mark in a PDF made by yoshiki."""
    from pypdf import PdfReader
    return {k: str(f.get("/V")) for k, f in (PdfReader(pdf).get_fields() or {}).items()
            if k.startswith("work/day#") and f.get("/V")}


# Form id → the field that holds the typed name (checked in renders).
# (its text field whose typed Japanese must show after every filler).
FORMS = {
    "jukou-moushikomi": "applicant/name",
    "shitsugyo-nintei": "declaration/name",
    "dounyu-shien": "consultations/consultation[1]/content",
    "koyou-joukyou": "name",
}


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


def catalogue(root):
    """Form id → (template, samples folder), from schemas/catalog.xml."""
    forms = ET.parse(os.path.join(root, "schemas", "catalog.xml")).getroot().findall("form")
    return {f.get("id"): (os.path.join(root, f.get("template")), os.path.join(root, f.get("samples")))
            for f in forms}


def roundtrip_form(a, y, out, form, name_field, pdfjs_ok):
    """Every round trip for every sample of `form`; returns the samples."""
    os.makedirs(out, exist_ok=True)
    template, samples_dir = catalogue(a.root)[form]
    settings = os.path.join(a.root, "samples", "organisation.xml")
    blank = os.path.join(out, form + "-blank.pdf")
    run([y, "render", form, "--settings", settings, "-o", blank], f"{form}: render blank")
    qpdf_clean(blank)

    def read_back(pdf, expected, what):
        """`pdf`, written by `what`, is clean for qpdf and extracts to `expected`."""
        qpdf_clean(pdf)
        xml = pdf[:-len(".pdf")] + ".xml"
        run([y, "extract", pdf, "-o", xml], f"{what}: extract")
        same_data(expected, xml, f"{what} → extract")

    samples = sorted(glob.glob(os.path.join(samples_dir, "*.xml")))
    for data in samples:
        name = os.path.basename(data)[:-4]
        expected = fits_blank(data, template, blank, os.path.join(out, name + "-expected.xml"))
        pre = os.path.join(out, name + "-fillable.pdf")
        run([y, "render", form, data, "--fillable", "-o", pre], f"{name}: render --fillable")
        read_back(pre, data, f"{name}: render --fillable")

        filled = os.path.join(out, name + "-filled.pdf")
        run([y, "fill", blank, data, "-o", filled], f"{name}: fill")
        read_back(filled, data, f"{name}: render → fill")

        by_pypdf = os.path.join(out, name + "-pypdf.pdf")
        run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, by_pypdf, pre],
            f"{name}: pypdf fill")
        read_back(by_pypdf, expected, f"{name}: pypdf fill")

        # pypdf's documented pattern (PdfWriter().append) keeps the pages and
        # their fields only: no Info, XMP or attached data. The hidden form
        # field identifies the form, and the fields alone carry the data.
        by_append = os.path.join(out, name + "-pypdf-append.pdf")
        run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, by_append, pre],
            f"{name}: pypdf append fill")
        read_back(by_append, expected, f"{name}: pypdf append fill")
        note = run([y, "extract", by_append, "-o", os.devnull], f"{name}: pypdf append extract").stderr
        check("[pdf.form-id-from-field]" in note,
              f"{name}: pypdf append: extract does not say the form came from its field: {note.strip()}")
        # The hidden yoshiki-form field is yoshiki's own: no field-identity note.
        check("[pdf.field-" not in note, f"{name}: pypdf append: a field-identity note: {note.strip()}")
        refilled = os.path.join(out, name + "-append-refilled.pdf")
        run([y, "fill", by_append, data, "-o", refilled], f"{name}: fill a pypdf-appended form")
        read_back(refilled, data, f"{name}: pypdf append → fill")

        xfdf = os.path.join(out, name + ".xfdf")
        by_pdftk = os.path.join(out, name + "-pdftk.pdf")
        run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, xfdf, pre], f"{name}: xfdf")
        run(["pdftk", blank, "fill_form", xfdf, "output", by_pdftk, "replacement_font", typing_font_file()],
            f"{name}: pdftk fill_form")
        read_back(by_pdftk, expected, f"{name}: pdftk fill_form")

        # pdftk with need_appearances instead: its text appearances stay tofu,
        # viewers rebuild every widget — buttons from /MK /CA in ZapfDingbats.
        by_pdftk_na = os.path.join(out, name + "-pdftk-na.pdf")
        run(["pdftk", blank, "fill_form", xfdf, "output", by_pdftk_na, "need_appearances"],
            f"{name}: pdftk fill_form need_appearances")
        qpdf_clean(by_pdftk_na)

        fillers = [("pypdf", by_pypdf), ("pdftk", by_pdftk), ("pdftk-na", by_pdftk_na)]
        if pdfjs_ok:
            values = os.path.join(out, name + ".json")
            by_pdfjs = os.path.join(out, name + "-pdfjs.pdf")
            run(["/usr/bin/python3", os.path.join(HERE, "pypdf_fill.py"), blank, template, data, values, pre],
                f"{name}: values for pdf.js")
            run(["node", os.path.join(HERE, "pdfjs_fill.mjs"), blank, values, by_pdfjs], f"{name}: pdf.js fill")
            read_back(by_pdfjs, expected, f"{name}: pdf.js fill")
            fillers.append(("pdf.js", by_pdfjs))

        # The typed name is drawn (poppler, with the embedded typing font).
        for filler, pdf in fillers:
            if filler in ("pypdf", "pdf.js") and marked_cells(pdf) != marked_cells(pre):
                failures.append(f"{name}: calendar marks after {filler} differ: {marked_cells(pdf)}")
            rect, page_h = field_rect(pdf, name_field)
            if rect is None:
                failures.append(f"{name}: no {name_field} field after {filler}")
                continue
            prefix = os.path.join(out, name + "-" + filler)
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", pdf, prefix], check=True,
                           capture_output=True)
            subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", blank, prefix + "-blank"],
                           check=True, capture_output=True)
            filled_dark = dark_fraction(prefix + ".png", rect, page_h)
            blank_dark = dark_fraction(prefix + "-blank.png", rect, page_h)
            for cell in marked_cells(pre):  # the typed ○/× are drawn too
                crect, _ = field_rect(pdf, cell)
                if dark_fraction(prefix + ".png", crect, page_h) < 0.02:
                    failures.append(f"{name}: the mark typed into {cell} by {filler} is not drawn by poppler")
            if filled_dark < blank_dark + 0.02:
                failures.append(f"{name}: the name typed by {filler} is not drawn by poppler "
                                f"({filled_dark:.3f} dark vs {blank_dark:.3f} blank)")
            typed = ET.parse(data).getroot().findtext(name_field) or ""
            # (with NeedAppearances set, the stored appearance is not what viewers
            # show; pypdf 3.4 wraps multi-line text by its own width estimate and
            # runs lines past the box, where viewers clip them)
            own_drawing = filler != "pdftk-na" and not (filler == "pypdf" and is_multiline(pdf, name_field))
            shown = "".join(drawn_text(pdf, prefix, rect, page_h).split()) if own_drawing else typed
            # (contained: the crop may catch a neighbouring label's character)
            if typed and "".join(typed.split()) not in "".join(shown.split()):
                failures.append(f"{name}: the appearance {filler} drew for the name is not the typed text "
                                f"({len(shown)} characters read back from the drawn field)")
            sex = ET.parse(data).getroot().findtext("applicant/sex")
            # The chosen radio button is drawn too (a circle around 男 or 女) —
            # where the filler turned it on: pypdf 3.4 (Debian 12) sets only the
            # group's /V, never the widget's /AS, so no viewer shows its choice.
            if sex and filler != "pypdf":
                srect, _ = field_rect(pdf, "applicant/sex", "/" + sex)
                if srect is None:
                    failures.append(f"{name}: no applicant/sex button for state {sex} after {filler}")
                else:
                    on_dark = dark_fraction(prefix + ".png", srect, page_h)
                    off_dark = dark_fraction(prefix + "-blank.png", srect, page_h)
                    if on_dark < off_dark + 0.02:
                        failures.append(f"{name}: the radio button chosen by {filler} is not drawn by poppler "
                                        f"({on_dark:.3f} dark vs {off_dark:.3f} blank)")
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


def calendar_edits(y, out):
    """Marks changed in the calendar of a pre-filled 失業認定申告書 (regular.xml:
    × on 5/10 and 25, ○ on 5/17 and 24) come back as day elements: a changed
    mark is kept as the day's <mark>, an emptied cell drops its day, a mark on
    a new day adds it, a mark the record gives anyway changes nothing."""
    from pypdf import PdfReader, PdfWriter
    src = os.path.join(out, "regular-fillable.pdf")
    if not os.path.exists(src):
        failures.append("calendar edits: no regular-fillable.pdf")
        return
    w = PdfWriter()
    w.clone_reader_document_root(PdfReader(src))
    # Cell n is 2024-05-05 + n - 1: #6 = 5/10, #13 = 5/17, #4 = 5/8, #20 = 5/24.
    w.update_page_form_field_values(w.pages[0], {"work/day#6": "〇", "work/day#13": "", "work/day#4": "x",
                                                 "work/day#20": "○"})
    edited = os.path.join(out, "regular-edited.pdf")
    with open(edited, "wb") as fh:
        w.write(fh)
    xml = os.path.join(out, "regular-edited.xml")
    r = run([y, "extract", edited, "-o", xml], "calendar edits: extract")
    if r.returncode != 0:
        return
    days = {d.findtext("date"): (d.findtext("hours"), d.findtext("pay"), d.findtext("mark"))
            for d in ET.parse(xml).getroot().iter("day")}
    want = {"2024-05-10": ("3", "3000", "○"), "2024-05-24": ("6", None, None),
            "2024-05-25": ("5", "2500", None), "2024-05-08": (None, None, "×")}
    if days != want:
        failures.append(f"calendar edits: days {days} != {want}")
    # In date order: the day 5/8 added by a mark stands before 5/10, not last.
    order = [d.findtext("date") for d in ET.parse(xml).getroot().iter("day")]
    if order != sorted(order):
        failures.append(f"calendar edits: days not in date order: {order}")
    notes = r.stderr.count("extract.field-wins")
    if notes != 3:
        failures.append(f"calendar edits: {notes} field-wins notes, want 3: {r.stderr}")


def long_log(a, out):
    """A 導入支援票 with 60 log rows: page 1 and three 続き pages, and the 60
    rows read back in order from the fields alone (attachment removed)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject
    y = a.yoshiki
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
    a = parse_args(__doc__)
    y, out = a.yoshiki, a.out
    pdfjs_ok, why = pdfjs_available()
    if not pdfjs_ok:
        print(f"SKIPPED pdf.js round trip: {why}")
    samples = []
    missing = sorted(set(catalogue(a.root)) - set(FORMS))
    if missing:
        failures.append(f"catalogue forms without a round trip (FORMS): {', '.join(missing)}")
    for form, name_field in FORMS.items():
        samples += roundtrip_form(a, y, os.path.join(out, form), form, name_field, pdfjs_ok)
    calendar_edits(y, os.path.join(out, "shitsugyo-nintei"))
    long_log(a, os.path.join(out, "dounyu-shien"))
    out = os.path.join(out, "jukou-moushikomi")
    form = "jukou-moushikomi"
    # A decompression bomb as the attached data (200 MB of zeros, ~200 KB
    # deflated): extract must not inflate it, and still read the fields.
    import zlib
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject
    src = os.path.join(out, "complete-fillable.pdf")
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
    r = run([y, "extract", junk])
    if r.returncode != 1 or junk not in r.stderr:
        failures.append(f"extract of a non-form: exit {r.returncode}, {r.stderr.strip()}")
    garbage = os.path.join(out, "garbage.pdf")
    with open(garbage, "wb") as f:
        f.write(b"this is not a PDF at all" * 100)
    r = run([y, "extract", garbage])
    if r.returncode != 1 or garbage not in r.stderr:
        failures.append(f"extract of garbage: exit {r.returncode}, {r.stderr.strip()}")

    return finish(f"round trip: {len(samples)} samples, fillers yoshiki, pypdf, pdftk (replacement_font, "
                  f"need_appearances){', pdf.js' if pdfjs_ok else ''}; {len(failures)} failures", sound=bool(samples))


if __name__ == "__main__":
    sys.exit(main())
