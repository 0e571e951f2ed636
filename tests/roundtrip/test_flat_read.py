#!/usr/bin/python3
"""Reading back filled forms that lost their fields (issue #17 item 9).

For each of the four forms a complete sample is made into three copies that
keep no field, no XMP and no attached data: (a) yoshiki's own flat render with
/EmbeddedFiles and /Metadata removed, (b) the fillable render, filled,
flattened by `qpdf --flatten-annotations=all` and stripped the same way, and
(c) the flat render "printed" by `pdftocairo -pdf` (no Info either: the form
is identified by its printed labels). `yoshiki extract` must give, field by
field, exactly the sample's value of every text, date and code field (the
fillable render's text fields name them); it must say it read the page text,
and choices, which it cannot read, must each be a warning naming the field.
`validate` reads the same copies and then validates the data.

Hostile: a flat copy with text printed across two fields' boxes is read with
a warning naming the field; a PDF that is no yoshiki form is a clear error."""
import os
import re
import sys
import xml.etree.ElementTree as ET

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, finish, parse_args, run  # noqa: E402

SAMPLES = {
    "jukou-moushikomi": "jukou-moushikomi/complete.xml",
    "dounyu-shien": "dounyu-shien/complete.xml",
    "koyou-joukyou": "koyou-joukyou/employed.xml",
    "shitsugyo-nintei": "shitsugyo-nintei/regular.xml",
}


def strip(src, dst, keep_info):
    """`src` without attached files and XMP (and without its Info unless `keep_info`)."""
    reader = PdfReader(src)
    writer = PdfWriter()
    writer.clone_reader_document_root(reader)
    root = writer._root_object
    for key in ("/Metadata", "/AcroForm"):
        if key in root:
            del root[NameObject(key)]
    if "/Names" in root and "/EmbeddedFiles" in root["/Names"]:
        del root["/Names"][NameObject("/EmbeddedFiles")]
    if keep_info and reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items()})
    with open(dst, "wb") as f:
        writer.write(f)


def form_fields(fillable, kind="/Tx"):
    """The fillable render's fields of `kind` (/Tx text, /Btn choices): name → (page, /Rect of its first widget)."""
    fields = {}
    for page_no, page in enumerate(PdfReader(fillable).pages):
        for annot in page.get("/Annots", []):
            w = annot.get_object()
            field = w if "/T" in w else w["/Parent"].get_object()
            name = field.get("/T")
            if field.get("/FT") == kind and name and name != "yoshiki-form" and name not in fields:
                fields[name] = (page_no, [float(x) for x in w["/Rect"]])
    return fields


def element(root, path):
    """The text of the element a field name binds ('a/b[2]/c#1': a/b[2]/c), its
    descendants' texts included (a calendar's days), or None."""
    found = root.findall(path.split("#")[0])
    if not found:
        return None
    return ",".join("|".join(f"{x.tag}={(x.text or '').strip()}" for x in e.iter()) if len(e)
                    else (e.text or "").strip() for e in found)


def extract(a, pdf, out_xml):
    r = run([a.yoshiki, "extract", pdf, "-o", out_xml])
    ok = check(r.returncode == 0 and os.path.exists(out_xml), f"extract {pdf}: exit {r.returncode}: {r.stderr[-400:]}")
    return r, (ET.parse(out_xml).getroot() if ok else None)


def main():
    a = parse_args(__doc__)
    settings = os.path.join(a.root, "samples", "organisation.xml")
    table = []
    for form, sample in SAMPLES.items():
        data = os.path.join(a.root, "samples", sample)
        original = ET.parse(data).getroot()
        base = os.path.join(a.out, form)
        run([a.yoshiki, "render", form, data, "--settings", settings, "--flat", "-o", base + "-flat.pdf"],
            f"render {form} flat")
        run([a.yoshiki, "render", form, data, "--settings", settings, "--fillable", "-o", base + "-fill.pdf"],
            f"render {form} fillable")
        run(["qpdf", "--flatten-annotations=all", base + "-fill.pdf", base + "-qpdf-full.pdf"], f"qpdf {form}")
        strip(base + "-flat.pdf", base + "-a.pdf", keep_info=True)
        strip(base + "-qpdf-full.pdf", base + "-b.pdf", keep_info=False)
        run(["pdftocairo", "-pdf", base + "-flat.pdf", base + "-c.pdf"], f"pdftocairo {form}")
        fields = form_fields(base + "-fill.pdf")
        choices = form_fields(base + "-fill.pdf", "/Btn")
        check(len(fields) >= 10, f"{form}: only {len(fields)} text fields in the fillable render")
        for source, suffix in (("yoshiki flat", "a"), ("qpdf-flattened", "b"), ("pdftocairo", "c")):
            pdf = f"{base}-{suffix}.pdf"
            r, got = extract(a, pdf, f"{base}-{suffix}.xml")
            if got is None:
                table.append((form, source, 0, len(fields), 0, len(choices)))
                continue
            check("pdf.read-from-text" in r.stderr, f"{form} {source}: no pdf.read-from-text note: {r.stderr[-300:]}")
            if suffix == "c":
                check("pdf.form-id-from-text" in r.stderr, f"{form} {source}: the form id source is not said")
            differing = [f"{name}: {element(got, name)!r} != {element(original, name)!r}"
                         for name in fields if element(got, name) != element(original, name)]
            check(not differing, f"{form} {source}: {len(differing)} field(s) differ: " + "; ".join(differing))
            # Choices: read from the marks drawn round the chosen options.
            wrong = [f"{name}: {element(got, name)!r} != {element(original, name)!r}"
                     for name in choices if element(got, name) != element(original, name)]
            check(not wrong, f"{form} {source}: {len(wrong)} choice(s) differ: " + "; ".join(wrong))
            table.append((form, source, len(fields) - len(differing), len(differing),
                          len(choices) - len(wrong), len(wrong)))
            v = run([a.yoshiki, "validate", pdf])
            check(v.returncode in (0, 1) and "pdf.read-from-text" in (v.stdout + v.stderr),
                  f"{form} {source}: validate exit {v.returncode}: {(v.stdout + v.stderr)[-300:]}")

    # Hostile: a word printed from the phone box into the fax box.
    base = os.path.join(a.out, "jukou-moushikomi")
    fields = form_fields(base + "-fill.pdf")
    phone, fax = fields.get("applicant/phone"), fields.get("applicant/fax")
    if check(phone and fax and phone[0] == fax[0], "jukou-moushikomi: phone and fax boxes not found"):
        page_no, (x0, y0) = phone[0], phone[1][:2]
        fx0, fx1 = fax[1][0], fax[1][2]
        overlay = overlay_pdf(base + "-overlay.pdf", x0 + 2, y0 + 2, int((fx0 + fx1) / 2 - x0) // 5 + 1)
        reader, writer = PdfReader(base + "-c.pdf"), PdfWriter()
        reader.pages[page_no].merge_page(PdfReader(overlay).pages[0])
        for page in reader.pages:
            writer.add_page(page)
        with open(base + "-overflow.pdf", "wb") as f:
            writer.write(f)
        r, got = extract(a, base + "-overflow.pdf", base + "-overflow.xml")
        check(re.search(r"pdf\.read-from-text-overflow.*applicant/phone", r.stderr) is not None,
              f"text across phone and fax: no warning naming the field: {r.stderr[-400:]}")

    # A PDF that is no yoshiki form.
    other = overlay_pdf(os.path.join(a.out, "other.pdf"), 72, 700, 0, text="Hello")
    r = run([a.yoshiki, "extract", other])
    check(r.returncode == 1 and "not a yoshiki form" in r.stderr, f"other PDF: exit {r.returncode}: {r.stderr[-300:]}")

    for form, source, exact, differing, chosen, wrong in table:
        print(f"{form:18} {source:15} text/date/code exact {exact:3} differing {differing}; "
              f"choices exact {chosen:3} differing {wrong}")
    return finish(f"flat read: {len(table)} copies")


def overlay_pdf(path, x, y, n, text=None):
    """Writes to `path` a one-page A4 PDF printing `n` digits (or `text`) in Helvetica 9 pt at (x, y)."""
    body = text or "".join(str(i % 10) for i in range(n))
    content = f"BT /F1 9 Tf {x:.2f} {y:.2f} Td ({body}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.276 841.89] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)
    return path


if __name__ == "__main__":
    sys.exit(main())
