#!/usr/bin/python3
"""Renders every sample (and each blank form) with the yoshiki CLI and checks
the PDFs with tools nobody here wrote: qpdf --check, pdffonts, pdftotext and
pypdf. Every label of the template and every printed value of the data must
come back out of the text layer; dates must read as 和暦 (computed here
independently of yoshiki's own conversion)."""
import datetime
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

from pypdf import PdfReader

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args, run, wareki  # noqa: E402


def fold(s):
    """Remove all white space (pdftotext turns U+3000 into spaces)."""
    return re.sub(r"[\s\u3000]+", "", s)


def collapse(s):
    # Template text: runs of white space with a newline vanish, others become one space.
    return re.sub(r"[ \t\r\n]+", lambda m: "" if "\n" in m.group(0) else " ", s)


def template_labels(template_path, settings):
    """Static text of a template: text nodes and option labels, settings resolved."""
    labels = []
    root = ET.parse(template_path).getroot()
    for el in root.iter():
        if el.tag == "setting":
            labels.append(settings.get(el.get("key"), el.get("default", "〇〇〇")))
        for t in (el.text, el.tail):
            if t and el.tag not in ("form",):
                c = fold(collapse(t))
                if c:
                    labels.append(c)
    return labels


def printed_values(template_path, data_path):
    """(path, expected text) for every data value the template prints as text;
    repeated rows (<rows>) once for every item of their element in the data."""
    troot = ET.parse(template_path).getroot()
    droot = ET.parse(data_path).getroot()
    out = []
    in_rows = set()
    for rows in troot.iter("rows"):
        for el in rows.iter():
            in_rows.add(el)
        for i, item in enumerate(droot.findall(rows.get("path")), 1):
            out += [(f"{rows.get('path')}[{i}]/{p}", v) for p, v in element_values(rows, item)]
    return out + element_values(troot, droot, skip=in_rows)


def element_values(troot, droot, skip=()):
    out = []
    for el in troot.iter():
        path = el.get("path")
        if el in skip or el is troot or not path or el.tag not in ("value", "area", "date", "digits", "box"):
            continue
        node = droot.find(path)
        if node is None or not (node.text or "").strip():
            continue
        v = node.text.strip()
        if el.tag == "date" and el.get("format") == "month-day":
            d = datetime.date.fromisoformat(v)
            v = f"{d.month}/{d.day}"
        elif el.tag == "date":
            v = wareki(v)
        elif el.tag == "digits" and el.get("split"):
            parts = v.split(el.get("split"))
            idx = int(el.get("part")) - 1
            v = parts[idx] if idx < len(parts) else ""
        out.append((path, fold(v)))
    return out


def check_pdf(pdf, labels, values):
    name = os.path.basename(pdf)
    q = run(["qpdf", "--check", pdf])
    check(q.returncode == 0 and "No syntax or stream encoding errors" in q.stdout,
          f"{name}: qpdf --check: {q.stdout.strip()} {q.stderr.strip()}")
    f = run(["pdffonts", pdf])
    rows = f.stdout.splitlines()[2:]
    check(rows, f"{name}: pdffonts lists no fonts")
    expected_type = "CID Type 0C" if "noto" in name else "CID TrueType"
    check(all(expected_type in row for row in rows), f"{name}: expected every font to be {expected_type}: {f.stdout}")
    for row in rows:
        cols = row.split()
        # name type... encoding emb sub uni id gen
        emb, sub, uni = cols[-5], cols[-4], cols[-3]
        check((emb, sub, uni) == ("yes", "yes", "yes") and re.match(r"^[A-Z]{6}\+", cols[0]),
              f"{name}: font not an embedded subset with ToUnicode: {row}")
    text_poppler = fold(run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"]).stdout)
    text_pypdf = fold("".join(p.extract_text() for p in PdfReader(pdf).pages))
    check_xref(pdf)
    for label in labels:
        for tool, text in (("pdftotext", text_poppler), ("pypdf", text_pypdf)):
            check(label in text, f"{name}: {tool} does not find label {label!r}")
    for path, v in values:
        for tool, text in (("pdftotext", text_poppler), ("pypdf", text_pypdf)):
            check(v in text, f"{name}: {tool} does not find value {v!r} of {path}")
    return len(labels) + len(values)


def check_xref(pdf):
    """Our own serializer writes the xref table: pypdf in strict mode reads
    every object where the table says it starts (a wrong offset raises), and
    the trailer names a catalog and a two-part /ID."""
    name = os.path.basename(pdf)
    try:
        r = PdfReader(pdf, strict=True)
        size = r.trailer["/Size"]
        for n in range(1, size):
            check(r.get_object(n) is not None, f"{name}: object {n} unreadable")
        check(r.trailer["/Root"]["/Type"] == "/Catalog", f"{name}: /Root is not a catalog")
        ids = r.trailer["/ID"]
        check(len(ids) == 2 and len(bytes(ids[0].original_bytes)) == 16, f"{name}: /ID {ids}")
    except Exception as e:  # pypdf's strict errors
        check(False, f"{name}: pypdf (strict) cannot read it: {e!r}")


def check_widgets(pdf):
    """A blank's widgets as another filler sees them: every widget has its own
    Japanese tooltip (a radio kid's own /TU, else its field's), never a data
    path; a radio group's options each have one state, unique in the group, so
    that selecting a state (pdf-lib's select, pypdf's update) marks one option."""
    tooltips, groups = {}, {}
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []):
            w = annot.get_object()
            if w.get("/Subtype") != "/Widget":
                continue
            parent = w.get("/Parent")
            field = parent.get_object() if parent is not None else w
            name = field.get("/T")
            tu = w.get("/TU") or field.get("/TU")
            if name == "yoshiki-form":
                continue
            check(tu and not re.fullmatch(r"[A-Za-z0-9_/#\[\]~.-]+", tu),
                  f"{pdf}: widget of {name} has the tooltip {tu!r}, not a Japanese label")
            tooltips.setdefault(tu, []).append(name)
            if parent is not None:
                on = [k for k in w["/AP"]["/N"].keys() if k != "/Off"]
                check(len(on) == 1, f"{pdf}: a radio option of {name} has the states {on}")
                groups.setdefault(name, []).extend(on)
    for tu, names in tooltips.items():
        check(len(names) == 1, f"{pdf}: {len(names)} widgets share the tooltip {tu!r}: {names}")
    for name, states in groups.items():
        check(len(set(states)) == len(states), f"{pdf}: radio {name} repeats a state: {states}")
    return len(tooltips)


# Widgets that must sit on the same line as another field's: the 導入支援票's
# 結果 職業分類 is one code for whichever kind of result, so it sits beside the
# date, not in a kind's row (in the 「3. 自営」 row a 雇用 result's code read
# as 自営's).
SAME_LINE = {"dounyu-shien": [("result/occupationCode", "result/date")]}


def check_same_line(pdf, pairs):
    rects = {}
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []):
            w = annot.get_object()
            parent = w.get("/Parent")
            field = parent.get_object() if parent is not None else w
            rects.setdefault(field.get("/T"), []).append([float(x) for x in w["/Rect"]])
    for name, beside in pairs:
        if not check(len(rects.get(name, [])) == 1 and len(rects.get(beside, [])) == 1,
                     f"{pdf}: expected one widget each of {name} and {beside}"):
            continue
        (_, y0, _, y1), (_, b0, _, b1) = rects[name][0], rects[beside][0]
        check(b0 <= (y0 + y1) / 2 <= b1, f"{pdf}: {name} (y {y0:.0f}–{y1:.0f}) is not on the line of "
              f"{beside} (y {b0:.0f}–{b1:.0f})")
    return len(pairs)


def main():
    a = parse_args(__doc__)
    settings_path = os.path.join(a.root, "samples", "organisation.xml")
    settings = {s.get("key"): s.text for s in ET.parse(settings_path).getroot()}
    forms = [l.split("\t") for l in run([a.yoshiki, "forms"]).stdout.splitlines()]
    if not forms:
        print("no forms listed by 'yoshiki forms'")
        return 1
    checked, pdfs = 0, 0
    for form_id, _version, _title in forms:
        template = os.path.join(a.root, "templates", form_id + ".xml")
        labels = template_labels(template, settings)
        cases = [(None, os.path.join(a.out, form_id + "-blank.pdf"), [])]
        samples = sorted(glob.glob(os.path.join(a.root, "samples", form_id, "*.xml")))
        for data in samples:
            cases.append((data, os.path.join(a.out, form_id + "-" + os.path.basename(data)[:-4] + ".pdf"), []))
        # The alternative font set (Noto CJK, CFF outlines) must read back just as well.
        noto = ["--fonts", os.path.join(a.root, "fonts", "noto.xml")]
        cases.append((None, os.path.join(a.out, form_id + "-blank-noto.pdf"), noto))
        if samples:
            cases.append((samples[0], os.path.join(a.out, form_id + "-noto.pdf"), noto))
        for data, pdf, extra in cases:
            cmd = [a.yoshiki] + extra + ["render", form_id] + ([data] if data else []) + [
                "--settings", settings_path, "--creation-date", "2024-04-01T00:00:00Z", "-o", pdf]
            r = run(cmd)
            if not check(r.returncode == 0, f"{pdf}: render failed ({r.returncode}): {r.stderr.strip()}"):
                continue
            if data is None or data == samples[0]:
                # Deterministic: the same input renders to the same bytes.
                again = run(cmd[:-1] + [pdf + ".again"])
                with open(pdf, "rb") as f1, open(pdf + ".again", "rb") as f2:
                    check(again.returncode == 0 and f1.read() == f2.read(),
                          f"{pdf}: a second render of the same input differs")
                os.remove(pdf + ".again")
            values = printed_values(template, data) if data else []
            check(not data or len(values) >= 5, f"{data}: only {len(values)} printed values found; the check is too weak")
            checked += check_pdf(pdf, labels, values)
            if data is None and not extra:
                checked += check_widgets(pdf)
                checked += check_same_line(pdf, SAME_LINE.get(form_id, []))
            pdfs += 1
    return finish(f"pdf checks: {pdfs} PDFs, {checked} labels and values, {len(failures)} failures", sound=pdfs > 0)


if __name__ == "__main__":
    sys.exit(main())
