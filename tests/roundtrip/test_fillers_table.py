#!/usr/bin/python3
"""Every filler × every form: fill a blank form, read it back, validate it,
and look at it in poppler, MuPDF and (where Node has it) pdf.js.

One sample per form is filled by yoshiki itself, pypdf (clone_from and the
documented append pattern), pdftk (replacement_font), PyMuPDF (Debian
python3-fitz, pymupdf_fill.py), and pdf-lib and pdf.js when
tests/roundtrip/node_modules has them. For each filled PDF:
  fill       the filler exits 0
  extract    yoshiki extract gives the sample back, field by field, exactly
  validate   yoshiki validate of the PDF exits as it does for the sample XML
  poppler / MuPDF / pdf.js   the typed name shows (the name field's area is
             darker than in the blank, and, for poppler and MuPDF, the typed
             name is the text of the field flattened by qpdf) and the chosen
             option of a radio group is marked (its widget area darker than in
             the blank) in pdftoppm / mutool draw / pdfjs_render.mjs renders
The table (markdown) goes to OUT/fillers.md; docs/fillers.md is a copy.
Asserted (a wrong form or filler pattern fails): every filler's read-back is
exact; yoshiki's own fill shows name and mark in poppler and MuPDF; PyMuPDF's
fill shows them in MuPDF; the widget of an option labelled with a marker (「ア　した」, 「1. 雇用」)
holds no character of the label after the marker, and the ❍ poppler redraws
for 「1. 雇用」 after pdftk need_appearances darkens under 2% of 「雇用」; a
PyMuPDF check box is switched on by True (its on-state string "1" leaves it
Off: recorded, not asserted)."""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from support import check, failures, finish, parse_args, run  # noqa: E402
from test_roundtrip import (FORMS, catalogue, dark_fraction, fits_blank, flat, pdfjs_available,  # noqa: E402
                            typing_font_file)

PY = "/usr/bin/python3"  # Debian's python3-fitz and pypdf live there
IPAEX = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
# One sample per form: the one that sets the most fields.
SAMPLES = {"jukou-moushikomi": "complete", "shitsugyo-nintei": "regular", "dounyu-shien": "complete",
           "koyou-joukyou": "employed"}
DPI = 100


def widgets(pdf):
    """Page number (1-based), rectangle, page height, field name, /AS state
    (None for a text field) of every widget of `pdf`."""
    from pypdf import PdfReader
    out = []
    for n, page in enumerate(PdfReader(pdf).pages, 1):
        for a in page.get("/Annots", []):
            a = a.get_object()
            name = a.get("/T")
            if name is None and "/Parent" in a:
                name = a["/Parent"].get_object().get("/T")
            if name is None or "/Rect" not in a:
                continue
            out.append((n, [float(v) for v in a["/Rect"]], float(page.mediabox.height), str(name),
                        str(a["/AS"]) if "/AS" in a else None))
    return out


def chosen_option(pdf):
    """The first option on page 1 the filler switched on (/AS not Off) with
    its rectangle, or None: a mark viewers must show."""
    return next(((page, rect, height, name, state) for page, rect, height, name, state in widgets(pdf)
                 if page == 1 and state and state != "/Off"), None)


def render(tool, pdf, png):
    """Page 1 of `pdf` at DPI as `tool` draws it (pdfjs_render.mjs draws page 1)."""
    if tool == "poppler":
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-f", "1", "-l", "1", "-singlefile", pdf, png[:-4]],
                       capture_output=True)
    elif tool == "mupdf":
        subprocess.run(["mutool", "draw", "-q", "-r", str(DPI), "-o", png, pdf, "1"], capture_output=True)
    else:
        subprocess.run(["node", os.path.join(HERE, "pdfjs_render.mjs"), pdf, png, str(DPI)], capture_output=True)


def flattened_text(tool, pdf, page, rect, height, out):
    """The text of the field at `rect` once qpdf has flattened every widget
    into the page, as `tool` extracts it (no spaces)."""
    flat_pdf = out + "-flat.pdf"
    if not os.path.exists(flat_pdf):
        subprocess.run(["qpdf", "--flatten-annotations=all", pdf, flat_pdf], capture_output=True)
    x0, y0, x1, y1 = rect
    if tool == "poppler":
        r = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", str(int(x0)), "-y",
                            str(int(height - y1)), "-W", str(int(x1 - x0) + 1), "-H", str(int(y1 - y0) + 1),
                            flat_pdf, "-"], capture_output=True, text=True)
        return "".join(r.stdout.split())
    # mutool: the page's text with its positions; keep the characters inside the box.
    r = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", flat_pdf, str(page)],
                       capture_output=True, text=True)
    seen = []
    for ch in ET.fromstring(r.stdout).iter("char") if r.returncode == 0 and r.stdout else []:
        q = [float(v) for v in ch.get("quad").split()]
        cx, cy = (q[0] + q[6]) / 2, height - (q[1] + q[7]) / 2
        if x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1:
            seen.append(ch.get("c"))
    return "".join("".join(seen).split())


def visible(tool, pdf, blank_png, out, name_field, typed, choice):
    """(shown, why not) for `tool`: the typed name and the chosen mark."""
    png = out + "-" + tool + ".png"
    render(tool, pdf, png)
    why = []
    for page, rect, height, name, _ in widgets(pdf):
        if name != name_field or page != 1:
            continue
        if not os.path.exists(png):
            return False, "no render"
        filled, empty = (dark_fraction(p, rect, height, DPI) for p in (png, blank_png))
        if filled < empty + 0.005:  # a short name in a wide box: under 2% of it
            why.append("name not drawn")
        elif tool != "pdfjs" and typed:
            want, seen = "".join(typed.split()), flattened_text(tool, pdf, page, rect, height, out)
            if want not in seen:
                # (a prefix: the rest drawn outside the box, where viewers clip it)
                why.append(f"name cut after 「{seen[-3:]}」" if seen and want.startswith(seen) else
                           "name drawn but not as its text")
        break
    else:
        why.append("no name field")
    if choice is None:
        why.append("no option switched on (/AS)")
    else:
        page, rect, height, name, state = choice
        on, off = (dark_fraction(p, rect, height, DPI) for p in (png, blank_png))
        if on < off + 0.01:
            why.append(f"{name} {state} not marked")
    return not why, "; ".join(why)


# One-character options of the 受講申込書 chosen in complete.xml: 男, 無, 有.
REGENERATED = (("applicant/sex", "/1"), ("unemploymentInsurance", "/2"), ("pension/receiving", "/1"))


def regenerated_marks(blank, xfdf, out):
    """pdftk fill_form need_appearances: poppler redraws every button from
    /MK /CA and /DA (❍ in ZapfDingbats). The chosen option must be marked
    (its widget darker than in the blank) and its label must stay legible:
    at most 8% of the label's character box newly darkened (a ❍ fitted to
    the box, /DA size 0, darkens 12–15% of it: its ring and shadow sit on
    the character; at twice the label's size, 3–4%)."""
    from PIL import Image
    pdf = out + ".pdf"
    if run(["pdftk", blank, "fill_form", xfdf, "output", pdf, "need_appearances"],
           "pdftk need_appearances").returncode:
        return
    pngs = {}
    for what, f in (("filled", pdf), ("blank", blank)):
        pngs[what] = out + "-" + what + ".png"
        render("poppler", f, pngs[what])
    height = widgets(blank)[0][2]
    s = DPI / 72
    for name, state in REGENERATED:
        rect = _on_rect(blank, name, state)
        if rect is None:
            check(False, f"need_appearances: no {name} option {state} in the blank")
            continue
        on, off = (dark_fraction(pngs[w], rect, height, DPI) for w in ("filled", "blank"))
        check(on > off + 0.02, f"need_appearances: {name} {state} not marked by poppler ({on:.3f} vs {off:.3f})")
        x0, y0, x1, y1 = rect
        size = (y1 - y0 - 2) / 1.2  # the widget is the label's 1.2 em oval plus 1 pt each side
        cx, cy, e = (x0 + x1) / 2, (y0 + y1) / 2, 0.45 * size
        box = (int((cx - e) * s), int((height - cy - e) * s), int((cx + e) * s), int((height - cy + e) * s))
        a, b = (list(Image.open(pngs[w]).convert("L").crop(box).getdata()) for w in ("filled", "blank"))
        covered = sum(1 for p, q in zip(a, b) if p < 128 <= q) / max(1, len(a))
        check(covered < 0.08, f"need_appearances: poppler's mark covers {covered:.0%} of the label of {name} {state}")


# An option whose label starts with a marker (「ア　した」, 「1. 雇用」): the
# paper forms say 「ア」に〇印をつける.
MARKED = re.compile(r"^([\u30a1-\u30fa]|[0-9]+\.)(\u3000| )(.+)$")


def page_chars(pdf, page):
    """Every character MuPDF finds on `page` with its box (PDF space, origin
    bottom-left), in reading order."""
    r = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf, str(page)],
                       capture_output=True, text=True)
    root = ET.fromstring(r.stdout)
    height = float(root.find("page").get("height"))
    out = []
    for ch in root.iter("char"):
        q = [float(v) for v in ch.get("quad").split()]
        out.append((ch.get("c"), q[0], height - q[7], q[6], height - q[1]))
    return [c for c in out if not c[0].isspace()]


def marker_options(pdf):
    """(page, widget rect, page height, field, state, box of each character
    of the label after its marker) of every option of `pdf` whose label
    starts with a marker, found in the page's text where the label's first
    character lies in the widget."""
    from pypdf import PdfReader
    out, chars = [], {}
    for n, page in enumerate(PdfReader(pdf).pages, 1):
        for a in page.get("/Annots", []):
            a = a.get_object()
            field = a["/Parent"].get_object() if "/Parent" in a else a
            m = MARKED.match(str(a.get("/TU", "")).rsplit(" / ", 1)[-1])
            if not m or field.get("/FT") != "/Btn":
                continue
            x0, y0, x1, y1 = (float(v) for v in a["/Rect"])
            label = "".join((m.group(1) + m.group(3)).split())
            seen = chars.setdefault(n, page_chars(pdf, n))
            for i in range(len(seen) - len(label) + 1):
                c, cx0, cy0, cx1, cy1 = seen[i]
                if x0 <= (cx0 + cx1) / 2 <= x1 and y0 <= (cy0 + cy1) / 2 <= y1 and \
                        "".join(s[0] for s in seen[i:i + len(label)]) == label:
                    state = next(k for k in a["/AP"]["/N"] if k != "/Off")
                    out.append((n, [x0, y0, x1, y1], float(page.mediabox.height), str(field["/T"]), state,
                                [s[1:] for s in seen[i + len(m.group(1)):i + len(label)]]))
                    break
            else:
                check(False, f"{pdf}: the label 「{label}」 of an option is not where its widget is")
    return out


def marker_widgets(form, blank):
    """Each option whose label starts with a marker has a widget round the
    marker only: no character of the label after it lies in the widget, so
    a mark a viewer redraws there (a ❍ centred from /MK, MuPDF's ✓ at its
    left) never lands on the label's text. Returns the options."""
    options = marker_options(blank)
    check(options, f"{form}: no option labelled with a marker")
    for _, (x0, y0, x1, y1), _, field, state, rest in options:
        inside = [b for b in rest if b[0] < x1 - 0.5 and (b[1] + b[3]) / 2 > y0 and (b[1] + b[3]) / 2 < y1]
        check(not inside, f"{form}: the widget of {field} {state} covers {len(inside)} characters of its label "
                          f"after the marker")
    return options


def marker_redrawn(blank, xfdf, out):
    """pdftk need_appearances on the 受講申込書: poppler redraws the chosen
    「1. 雇用」 (statusBeforeCourse/workType /1) from /MK; its ❍ rings the
    marker and darkens under 2% of the label's text after it (round the
    whole label's widget it sat on 「雇」)."""
    from PIL import Image
    pdf = out + ".pdf"
    if run(["pdftk", blank, "fill_form", xfdf, "output", pdf, "need_appearances"],
           "pdftk need_appearances").returncode:
        return
    pngs = {w: out + "-" + w + ".png" for w in ("filled", "blank")}
    for what, f in (("filled", pdf), ("blank", blank)):
        render("poppler", f, pngs[what])
    option = next((o for o in marker_options(blank) if o[3] == "statusBeforeCourse/workType" and o[4] == "/1"),
                  None)
    if not check(option, "no option 「1. 雇用」 in the 受講申込書"):
        return
    _, rect, height, _, _, rest = option
    on, off = (dark_fraction(pngs[w], rect, height, DPI) for w in ("filled", "blank"))
    check(on > off + 0.02, f"need_appearances: 「1. 雇用」 not marked by poppler ({on:.3f} vs {off:.3f})")
    s = DPI / 72
    a_px, n = 0, 0
    filled, empty = (Image.open(pngs[w]).convert("L") for w in ("filled", "blank"))
    for bx0, by0, bx1, by1 in rest:
        box = (int(bx0 * s), int((height - by1) * s), int(bx1 * s) + 1, int((height - by0) * s) + 1)
        for p, q in zip(filled.crop(box).getdata(), empty.crop(box).getdata()):
            n += 1
            a_px += p < 128 <= q
    covered = a_px / max(1, n)
    check(covered < 0.02, f"need_appearances: poppler's mark covers {covered:.0%} of the label 「雇用」")


def _on_rect(pdf, name, state):
    """The rectangle of the kid of radio group `name` whose on-state is `state`."""
    from pypdf import PdfReader
    for a in PdfReader(pdf).pages[0].get("/Annots", []):
        a = a.get_object()
        if "/Parent" in a and a["/Parent"].get_object().get("/T") == name and state in a["/AP"]["/N"]:
            return [float(v) for v in a["/Rect"]]
    return None


def pymupdf_checkbox(a, blank, out):
    """What PyMuPDF writes for a check box set to its on-state string and to
    True: the /AS of each (pymupdf_fill.py uses True)."""
    code = (
        "import fitz, sys\n"
        "for v in ('1', True):\n"
        "    d = fitz.open(sys.argv[1]); page = d[0]; ws = list(page.widgets())\n"
        "    w = next(w for w in ws if w.field_type == fitz.PDF_WIDGET_TYPE_CHECKBOX)\n"
        "    w.field_value = v; w.update(); x = w.xref\n"
        "    d.save(sys.argv[2]); d = fitz.open(sys.argv[2])\n"
        "    print(repr(v), d.xref_get_key(x, 'AS')[1])\n")
    r = run([PY, "-c", code, blank, out], "PyMuPDF check box")
    return dict(line.split(" ", 1) for line in r.stdout.splitlines() if " " in line)


def main():
    a = parse_args(__doc__, lambda ap: ap.add_argument("--sanitize", default=""))
    if a.sanitize.upper() not in ("", "OFF", "0", "FALSE", "NO", "N"):  # CMake's false values
        print("fillers_table: skipped in a sanitizer build (third-party tools do the work)")
        return 77
    y = a.yoshiki
    settings = os.path.join(a.root, "samples", "organisation.xml")
    pdfjs_ok, why_not = pdfjs_available()
    has_pdflib = pdfjs_ok and os.path.isdir(os.path.join(HERE, "node_modules", "pdf-lib"))
    has_fitz = run([PY, "-c", "import fitz"]).returncode == 0
    tools = ["poppler", "mupdf"] + (["pdfjs"] if pdfjs_ok else [])
    rows, notes = [], []
    for form, name_field in FORMS.items():
        template, samples_dir = catalogue(a.root)[form]
        sample = os.path.join(samples_dir, SAMPLES[form] + ".xml")
        out = os.path.join(a.out, form)
        os.makedirs(out)
        blank = os.path.join(out, "blank.pdf")
        if run([y, "render", form, "--settings", settings, "-o", blank], f"{form}: render blank").returncode:
            continue
        marks = os.path.join(out, "marks.pdf")
        run([y, "render", form, sample, "--fillable", "-o", marks], f"{form}: render --fillable")
        expected = fits_blank(sample, template, blank, os.path.join(out, "expected.xml"))
        values = os.path.join(out, "values.json")
        run([PY, os.path.join(HERE, "pypdf_fill.py"), blank, template, sample, values, marks], f"{form}: values")
        typed = ET.parse(sample).getroot().findtext(name_field) or ""
        blank_pngs = {t: os.path.join(out, "blank-" + t + ".png") for t in tools}
        for t in tools:
            render(t, blank, blank_pngs[t])
        want_rc = run([y, "validate", "--settings", settings, sample]).returncode

        fillers = {
            "yoshiki fill": lambda o: [y, "fill", blank, sample, "-o", o],
            "pypdf (clone)": lambda o: [PY, os.path.join(HERE, "pypdf_fill.py"), blank, template, sample, o, marks],
            # (pypdf_fill.py takes the append pattern for an output named *-append.pdf)
            "pypdf (append)": lambda o: [PY, os.path.join(HERE, "pypdf_fill.py"), blank, template, sample, o, marks],
            "pdftk": None,
        }
        if has_fitz:
            fillers["PyMuPDF"] = lambda o: [PY, os.path.join(HERE, "pymupdf_fill.py"), blank, values, o]
        if has_pdflib:
            fillers["pdf-lib"] = lambda o: ["node", os.path.join(HERE, "pdflib_fill.mjs"), blank, o, IPAEX, values]
        if pdfjs_ok:
            fillers["pdf.js"] = lambda o: ["node", os.path.join(HERE, "pdfjs_fill.mjs"), blank, values, o]
        for filler, cmd in fillers.items():
            slug = filler.split(" ")[0].lower() + ("-append" if "append" in filler else "")
            pdf = os.path.join(out, slug + ".pdf")
            if filler == "pdftk":
                xfdf = os.path.join(out, "values.xfdf")
                run([PY, os.path.join(HERE, "pypdf_fill.py"), blank, template, sample, xfdf, marks])
                cmd = lambda o: ["pdftk", blank, "fill_form", xfdf, "output", o, "replacement_font",  # noqa: E731
                                 typing_font_file()]
            r = run(cmd(pdf))
            row = {"filler": filler, "form": form, "fill": r.returncode == 0}
            xml = pdf[:-4] + ".xml"
            row["extract"] = row["fill"] and run([y, "extract", pdf, "-o", xml]).returncode == 0 and \
                flat(expected) == flat(xml)
            check(row["extract"], f"{form} ({filler}): extract does not give the sample back")
            row["validate"] = row["fill"] and run([y, "validate", "--settings", settings, pdf]).returncode == want_rc
            choice = chosen_option(pdf) if row["fill"] else None
            for t in tools:
                shown, why = visible(t, pdf, blank_pngs[t], pdf[:-4], name_field, typed, choice) if row["fill"] \
                    else (False, "not filled")
                row[t] = (shown, why)
                if filler == "yoshiki fill" and t in ("poppler", "mupdf"):
                    check(shown, f"{form} ({filler}): {t} does not show it: {why}")
                elif filler == "PyMuPDF" and t == "mupdf":  # MuPDF's own layout may cut a long text
                    check(shown or why.startswith("name cut after"), f"{form} (PyMuPDF): MuPDF: {why}")
            rows.append(row)
        marker_widgets(form, blank)
        if form == "jukou-moushikomi":
            regenerated_marks(blank, os.path.join(out, "values.xfdf"), os.path.join(out, "pdftk-na"))
            marker_redrawn(blank, os.path.join(out, "values.xfdf"), os.path.join(out, "pdftk-na-marker"))
        if form == "jukou-moushikomi" and has_fitz:
            got = pymupdf_checkbox(a, blank, os.path.join(out, "checkbox.pdf"))
            check(got.get("True") not in (None, "/Off"), f"PyMuPDF: a check box set to True stays off: {got}")
            notes.append(f"PyMuPDF check box: field_value = \"1\" (its on-state) writes /AS {got.get(repr('1'))}; "
                         f"field_value = True writes /AS {got.get('True')}.")

    def cell(v):
        if isinstance(v, tuple):
            return "yes" if v[0] else "no: " + v[1]
        return "yes" if v else "no"

    heads = ["filler", "form", "fill", "extract exact", "validate", "poppler", "MuPDF"] + \
        (["pdf.js"] if pdfjs_ok else [])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for r in rows:
        lines.append("| " + " | ".join([r["filler"], r["form"]] + [cell(r[k]) for k in
                                        ["fill", "extract", "validate"] + tools]) + " |")
    skipped = []
    if not pdfjs_ok:
        skipped.append(f"pdf.js and pdf-lib: {why_not}")
    elif not has_pdflib:
        skipped.append("pdf-lib: not installed in tests/roundtrip/node_modules")
    if not has_fitz:
        skipped.append("PyMuPDF: python3-fitz is not installed")
    with open(os.path.join(a.out, "fillers.md"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n\n" + "".join(f"- {n}\n" for n in notes + [f"not run: {s}" for s in skipped]))
    print("\n".join(lines))
    for n in notes + skipped:
        print(n)
    return finish(f"fillers table: {len(rows)} filler × form rows; {len(failures)} failures", sound=bool(rows))


if __name__ == "__main__":
    sys.exit(main())
