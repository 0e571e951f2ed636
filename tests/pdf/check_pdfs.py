#!/usr/bin/python3
"""Renders every sample (and each blank form) with the yoshiki CLI and checks
the PDFs with tools nobody here wrote: qpdf --check, pdffonts, pdftotext and
pypdf. Every label of the template and every printed value of the data must
come back out of the text layer; dates must read as 和暦 (computed here
independently of yoshiki's own conversion)."""
import argparse
import datetime
import glob
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

from pypdf import PdfReader

ERAS = [  # (name, first day)
    ("令和", datetime.date(2019, 5, 1)),
    ("平成", datetime.date(1989, 1, 8)),
    ("昭和", datetime.date(1926, 12, 25)),
    ("大正", datetime.date(1912, 7, 30)),
    ("明治", datetime.date(1868, 1, 25)),
]


def wareki(iso):
    d = datetime.date.fromisoformat(iso)
    for name, start in ERAS:
        if d >= start:
            y = d.year - start.year + 1
            return f"{name}{'元' if y == 1 else y}年{d.month}月{d.day}日"
    raise ValueError(iso)


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


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def check_pdf(pdf, labels, values, failures):
    name = os.path.basename(pdf)
    q = run(["qpdf", "--check", pdf])
    if q.returncode != 0 or "No syntax or stream encoding errors" not in q.stdout:
        failures.append(f"{name}: qpdf --check: {q.stdout.strip()} {q.stderr.strip()}")
    f = run(["pdffonts", pdf])
    rows = f.stdout.splitlines()[2:]
    if not rows:
        failures.append(f"{name}: pdffonts lists no fonts")
    expected_type = "CID Type 0C" if "noto" in name else "CID TrueType"
    if any(expected_type not in row for row in rows):
        failures.append(f"{name}: expected every font to be {expected_type}: {f.stdout}")
    for row in rows:
        cols = row.split()
        # name type... encoding emb sub uni id gen
        emb, sub, uni = cols[-5], cols[-4], cols[-3]
        if (emb, sub, uni) != ("yes", "yes", "yes") or not re.match(r"^[A-Z]{6}\+", cols[0]):
            failures.append(f"{name}: font not an embedded subset with ToUnicode: {row}")
    text_poppler = fold(run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"]).stdout)
    text_pypdf = fold("".join(p.extract_text() for p in PdfReader(pdf).pages))
    for label in labels:
        for tool, text in (("pdftotext", text_poppler), ("pypdf", text_pypdf)):
            if label not in text:
                failures.append(f"{name}: {tool} does not find label {label!r}")
    for path, v in values:
        for tool, text in (("pdftotext", text_poppler), ("pypdf", text_pypdf)):
            if v not in text:
                failures.append(f"{name}: {tool} does not find value {v!r} of {path}")
    return len(labels) + len(values)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yoshiki", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    settings_path = os.path.join(a.root, "samples", "organisation.xml")
    settings = {s.get("key"): s.text for s in ET.parse(settings_path).getroot()}
    forms = [l.split("\t") for l in run([a.yoshiki, "forms"]).stdout.splitlines()]
    if not forms:
        print("no forms listed by 'yoshiki forms'")
        return 1
    failures, checked, pdfs = [], 0, 0
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
            if r.returncode != 0:
                failures.append(f"{pdf}: render failed ({r.returncode}): {r.stderr.strip()}")
                continue
            values = printed_values(template, data) if data else []
            if data and len(values) < 5:
                failures.append(f"{data}: only {len(values)} printed values found; the check is too weak")
            checked += check_pdf(pdf, labels, values, failures)
            pdfs += 1
    for f in failures:
        print("FAIL", f)
    print(f"pdf checks: {pdfs} PDFs, {checked} labels and values, {len(failures)} failures")
    return 1 if failures or pdfs == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
