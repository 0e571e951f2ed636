"""Fills a blank yoshiki form the way a person would, from a data file:
和暦 dates in full-width digits, radio states as names. Writes the filled PDF
with pypdf, or (OUT ending in .xfdf) an XFDF file for pdftk fill_form, or
(OUT ending in .json) the values for pdfjs_fill.mjs. Calendar cells (<calendar>,
fields "<days>#<n>") take the marks a person copies from MARKS.pdf, the same data
rendered --fillable by yoshiki.
OUT ending in -append.pdf: pypdf's documented append pattern, which keeps only
the pages and their fields.
Usage: pypdf_fill.py BLANK.pdf TEMPLATE.xml DATA.xml OUT.pdf|OUT.xfdf|OUT.json [MARKS.pdf]"""
import os, sys
import lxml.etree as ET  # as xml.etree, plus XPath for options' tests
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import wareki
blank, template, data, out = sys.argv[1:5]
marks_pdf = sys.argv[5] if len(sys.argv) > 5 else None
FULLWIDTH=str.maketrans("0123456789","０１２３４５６７８９")
droot=ET.parse(data).getroot()
troot=ET.parse(template).getroot()
values={}
# Repeated rows (<rows path=…>): their fields are named path[i]/relative-path.
in_rows=set()
scopes=[(troot, droot, "", None)]
for rows in troot.iter("rows"):
    in_rows.update(e for e in rows.iter() if e is not rows)
    for i, item in enumerate(droot.findall(rows.get("path")), 1):
        scopes.append((rows, item, f"{rows.get('path')}[{i}]/", in_rows))
for scope, dnode, prefix, only in scopes:
  for el in scope.iter():
    if el is scope or (only is None and el in in_rows):
        continue
    p=el.get("path"); f=el.get("field", p)
    if el.tag in ("value","area","box","date","digits") and p:
        n=dnode.find(p)
        v=(n.text or "").strip() if n is not None else ""
        name=prefix+p
        if el.tag=="date" and v: v=wareki(v).translate(FULLWIDTH)
        if el.tag=="digits" and el.get("split"):
            parts=v.split(el.get("split")) if v else []
            i=int(el.get("part"))
            v=parts[i-1] if i<=len(parts) else ""
            name=f"{p}#{i}"
        if v: values[name]=v
    elif el.tag=="opt" and f:
        on=el.get("on", el.get("value"))
        vals=[(x.text or "").strip() for x in dnode.findall(f)]
        if on in ("true","false"): vals=["true" if x=="1" else "false" if x=="0" else x for x in vals]
        if el.get("state"):
            # One of several options setting the same value (パート under
            # 常用 and under 臨時): the one the data's test picks, by its state.
            if dnode.xpath("boolean(" + el.get("test") + ")"):
                values[prefix+f] = "/" + el.get("state")
        elif on in vals:
            if el.get("multi") in ("1","true"): values[f"{prefix}{f}#{on}"]="/"+on
            else: values.setdefault(prefix+f, "/"+on)
calendars=[el.get("days") for el in troot.iter("calendar")]
if calendars and marks_pdf:
    for name, f in (PdfReader(marks_pdf).get_fields() or {}).items():
        v = f.get("/V")
        if any(name.startswith(c + "#") for c in calendars) and v:
            values[name] = str(v)
# Only what the blank has fields for: a blank holds a fixed number of log rows.
r=PdfReader(blank)
fields=r.get_fields() or {}
values={k: v for k, v in values.items() if k.split("#")[0] in fields or k in fields}
if out.endswith(".json"):
    # For pdf.js (pdfjs_fill.mjs): field name → text, or "/state" for buttons.
    import json
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(values, fh, ensure_ascii=False)
    print(len(values), "fields written")
    sys.exit(0)
if out.endswith(".xfdf"):
    # XFDF for pdftk fill_form: button states without the name slash.
    from xml.sax.saxutils import escape, quoteattr
    with open(out, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">\n<fields>\n')
        for k, v in values.items():
            fh.write(f'<field name={quoteattr(k)}><value>{escape(v.lstrip("/"))}</value></field>\n')
        fh.write("</fields>\n</xfdf>\n")
    print(len(values), "fields written")
    sys.exit(0)
if out.endswith("-append.pdf"):
    # pypdf's documented pattern: a new writer that appends the pages (and
    # their fields) — the document information, XMP and attached files stay behind.
    w=PdfWriter(); w.append(r)
else:
    w=PdfWriter(); w.clone_reader_document_root(r)
for page in w.pages:
    w.update_page_form_field_values(page, values)
with open(out,"wb") as fh: w.write(fh)
print(len(values), "fields set")
