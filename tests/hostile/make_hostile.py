#!/usr/bin/env python3
"""Writes the hostile-PDF catalogue (tests/hostile/README.md lists what each
file attacks): make_hostile.py OUT_DIR [--big].

Small files (a few KB) are committed under tests/hostile/files/ so that the
fuzz seeds and the PDF replay test have them; test_hostile.py regenerates
them and checks the committed copies are current. --big adds the files that
are large on disk or in memory (decompression bombs, a 65 MB file, a 30 MB
stream); those are only ever written at test time.

Every PDF is built here byte by byte (a tiny writer with a correct xref),
except the encrypted ones, which qpdf encrypts.
The form files carry the Info keys of a yoshiki form, so the reader gets past
identification and into the field walk.
"""
import datetime
import os
import subprocess
import sys
import zlib

FORM_INFO = b"<< /YoshikiFormId (jukou-moushikomi) /YoshikiFormVersion (1.0) >>"


def utf16(text):
    """A PDF text string in UTF-16BE with BOM, as hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf(objects, root=1, info=None, header=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", trailer_extra=b""):
    """objects: {number: body bytes} (bodies without 'obj'/'endobj')."""
    out = bytearray(header)
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[n]) if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root)
    if info:
        out += b" /Info %d 0 R" % info
    out += trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def pdf_with_xref_stream(objects, compressed, info):
    """Like pdf(), with a cross-reference stream (PDF 1.5) that says the
    objects in `compressed` ({number: (object stream, index)}) live inside
    an object stream: a reader must inflate that stream to reach them."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref_num = max(list(objects) + list(compressed)) + 1
    offsets[xref_num] = len(out)
    rows = bytearray(b"\0\0\0\0\0\xff\xff")
    for n in range(1, xref_num + 1):
        if n in compressed:
            rows += bytes([2]) + compressed[n][0].to_bytes(4, "big") + compressed[n][1].to_bytes(2, "big")
        elif n in offsets:
            rows += bytes([1]) + offsets[n].to_bytes(4, "big") + b"\0\0"
        else:
            rows += b"\0\0\0\0\0\xff\xff"
    out += b"%d 0 obj\n" % xref_num + stream(bytes(rows), b" /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Info %d 0 R"
                                             % (xref_num + 1, info)) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_num]
    return bytes(out)


def stream(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def form(fields, acroform_extra=b"", catalog_extra=b"", more=None):
    """A one-page form: fields = [(name bytes, value bytes)] as text fields."""
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R" + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [%s] >>"
        % b" ".join(b"%d 0 R" % (10 + i) for i in range(len(fields))),
        4: b"<< /Fields [%s]%s >>" % (b" ".join(b"%d 0 R" % (10 + i) for i in range(len(fields))), acroform_extra),
        5: FORM_INFO,
    }
    for i, (name, value) in enumerate(fields):
        objs[10 + i] = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T %s /V %s /Rect [50 50 200 70] /P 3 0 R >>"
                        % (name, value))
    objs.update(more or {})
    return objs


def catalogue():
    files = {}
    name = (b"(applicant/name)")
    files["truncated.pdf"] = pdf(form([(name, utf16("山田"))]), info=5)[:300]
    files["empty.pdf"] = b"%PDF-1.7\n"
    # xref offsets all pointing at byte 0; and a startxref past the end.
    good = pdf(form([(name, utf16("山田"))]), info=5)
    at = good.rindex(b"xref\n0 ")
    body = good[at:].split(b"trailer")[0]
    bad = b"\n".join(l if not l.endswith(b" n ") else b"0000000000 00000 n " for l in body.split(b"\n"))
    files["malformed-xref.pdf"] = good[:at] + bad + b"trailer" + good[at:].split(b"trailer", 1)[1]
    files["startxref-past-end.pdf"] = good[: good.rindex(b"startxref")] + b"startxref\n99999999\n%%EOF\n"
    # Cycles: a field that is its own kid, a /Fields array that holds itself,
    # an object that is a reference to itself, and a reference ring.
    files["cyclic-refs.pdf"] = pdf(form([(name, utf16("山田"))], more={
        10: b"<< /FT /Tx /T (applicant) /Kids [10 0 R 11 0 R] /Parent 10 0 R >>",
        11: b"<< /T (name) /V 12 0 R /Parent 10 0 R /Kids [10 0 R] >>",
        12: b"13 0 R",
        13: b"12 0 R",
        14: b"14 0 R",
    }, acroform_extra=b" /DR 14 0 R /Extra [4 0 R]"), info=5)
    # Nesting far past any sane depth (parsers that recurse overflow the stack).
    depth = 100000
    files["deep-arrays.pdf"] = pdf(form([(name, b"[" * depth + b"]" * depth)]), info=5)
    files["deep-dicts.pdf"] = pdf(form([(name, b"<< /A " * depth + b">>" * depth)]), info=5)
    # The same depth inside a compressed object stream: a few hundred bytes
    # on disk, invisible to a scan of the plain bytes.
    packed = zlib.compress(b"10 0 " + b"[" * depth + b"]" * depth, 9)
    objs = form([(name, utf16("山田"))])
    del objs[10]
    objs[6] = stream(packed, b" /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode")
    files["deep-object-stream.pdf"] = pdf_with_xref_stream(objs, {10: (6, 0)}, info=5)
    files["deep-field-tree.pdf"] = pdf(form([(b"(a)", b"(x)")], more={
        10 + i: b"<< /FT /Tx /T (k%d) /Kids [%d 0 R] >>" % (i, 11 + i) for i in range(400)
    }), info=5)
    # A stream whose /Length claims a terabyte.
    files["huge-length.pdf"] = pdf(form([(name, utf16("山田"))], more={
        6: b"<< /Length 1099511627776 >>\nstream\nabc\nendstream"}), info=5)
    # XFA (an XML form packet instead of fields): detected, unsupported.
    files["xfa.pdf"] = pdf(form([(name, utf16("山田"))], acroform_extra=b" /XFA 6 0 R", more={
        6: stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"/>')}), info=5)
    # JavaScript: document open action, a field's keystroke action, the name tree.
    files["javascript.pdf"] = pdf(form([(name, utf16("山田"))], catalog_extra=(
        b" /OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>"
        b" /Names << /JavaScript << /Names [(a) 6 0 R] >> >>"), more={
        6: b"<< /S /JavaScript /JS 7 0 R >>",
        7: stream(b"this.submitForm('http://example.invalid/')"),
        10: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (applicant/name) /V (x) /Rect [50 50 200 70]"
            b" /AA << /K << /S /JavaScript /JS (event.value='y') >> >> >>",
    }), info=5)
    # UTF-16 names and values with lone surrogates and odd byte counts (the
    # CVE-2019-9687 class: PoDoFo's UTF-16 conversion overflowed on these).
    lone_high = b"<FEFFD800>"
    lone_low_in_text = b"<FEFF5C71DC0075300041>"
    odd = b"<FEFF5C7175>"
    pair_cut = b"<FEFFD83D>"
    files["utf16-lone-surrogates.pdf"] = pdf(form([
        (b"<FEFF0061D800>", lone_low_in_text),  # name with a lone high surrogate
        (name, lone_high),
        (b"(applicant/nameKana)", odd),
        (b"(applicant/address)", pair_cut),
        (b"<FEFF>", b"<FEFFDC00DC00DC00>"),
    ]), info=5)
    # Not encrypted: only a field value reads "/Encrypt" (the check looks at
    # the trailer and cross-reference stream dictionaries, not at any bytes).
    files["encrypt-in-value.pdf"] = pdf(form([(name, b"(/Encrypt)")]), info=5)
    # Incremental update after a save: the second revision changes the name.
    base = pdf(form([(name, utf16("山田 太郎"))]), info=5)
    prev = int(base[base.rindex(b"startxref") + 10:].split(b"\n")[0])
    upd = bytearray(base)
    off = len(upd)
    upd += b"10 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Tx /T (applicant/name) /V %s /Rect [50 50 200 70] /P 3 0 R >>\nendobj\n" % utf16("佐藤 花子")
    x = len(upd)
    upd += b"xref\n10 1\n%010d 00000 n \ntrailer\n<< /Size 11 /Root 1 0 R /Info 5 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (off, prev, x)
    files["incremental-update.pdf"] = bytes(upd)
    files.update(signed_catalogue())
    files.update(shadow_field_catalogue())
    files.update(lexer_catalogue())
    files.update(xml_catalogue())
    files.update(row_index_catalogue())
    files.update(attachment_catalogue())
    return files


def attachment_catalogue():
    """Attachments that cost the calling process what the worker was spared
    (#16 item 1): 64 names for one stream inflating to 8 MB of "<a/>" (10 KB
    on disk; the worker sent the parent 512 MB, 528 MB at its peak, and the
    first, data.xml, parsed into 2 million elements), and a data.xml with an
    element of 300 attributes (50,000 in 129 KB took the parent 25 s)."""
    files = {}
    name = b"(applicant/name)"
    eight_mb = (8 << 20) - 8  # just within the 8 MB one attachment may inflate to
    packed = zlib.compress(b"<a>" + b"<a/>" * ((eight_mb - 7) // 4) + b"</a>", 9)
    names = b"(data.xml) 6 0 R " + b" ".join(b"(f%02d.xml) 6 0 R" % i for i in range(1, 64))
    files["attachment-amplify.pdf"] = pdf(form([(name, utf16("山田"))], catalog_extra=(
        b" /Names << /EmbeddedFiles << /Names [" + names + b"] >> >>"), more={
        6: b"<< /Type /Filespec /F (data.xml) /EF << /F 7 0 R >> >>",
        7: stream(packed, b" /Type /EmbeddedFile /Filter /FlateDecode")}), info=5)
    attributes = " ".join('a%d=""' % i for i in range(300))
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n<courseApplication formId="jukou-moushikomi" '
            'formVersion="1.0"><applicant %s><name>山田</name></applicant></courseApplication>\n'
            % attributes).encode()
    files["attachment-attributes.pdf"] = pdf(form([(name, utf16("山田"))], catalog_extra=(
        b" /Names << /EmbeddedFiles << /Names [(data.xml) 6 0 R] >> >>"), more={
        6: b"<< /Type /Filespec /F (data.xml) /EF << /F 7 0 R >> >>",
        7: stream(zlib.compress(data, 9), b" /Type /EmbeddedFile /Filter /FlateDecode")}), info=5)
    return files


def row_index_catalogue():
    """Row indexes far past any form's rows (#16 item 1): one field named
    consultations/consultation[200000]/date made the parent build 200,000
    rows one at a time, in quadratic time; [2147483647] never ended."""
    info = b"<< /YoshikiFormId (dounyu-shien) /YoshikiFormVersion (1.0) >>"
    files = {}
    for file, index in (("row-index-huge.pdf", b"200000"), ("row-index-max.pdf", b"2147483647")):
        objs = form([(b"(consultations/consultation[1]/date)", b"(2024-06-10)"),
                     (b"(consultations/consultation[%s]/date)" % index, b"(2024-06-17)")])
        objs[5] = info
        files[file] = pdf(objs, info=5)
    return files


def xml_catalogue():
    """Data XML whose errors libxml2 words with the person's data in them
    (#16 item 5): a birth date that is no day, with white space around it
    (the old value stripper matched the exact text only), an unescaped '&'
    before the given name (Entity '和彦' not defined), and the name in
    Shift_JIS bytes that do not decode (libxml2 quotes the bytes)."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "samples", "jukou-moushikomi", "complete.xml"), encoding="utf-8") as fh:
        sample = fh.read()
    files = {}
    files["birth-date-spaces.xml"] = sample.replace(
        "<birthDate>1958-11-03</birthDate>", "<birthDate>\n   1958-11-31  </birthDate>").encode()
    files["entity-name.xml"] = sample.replace("<name>山本　和彦</name>", "<name>山本　&和彦;</name>").encode()
    sjis = sample.replace('encoding="UTF-8"', 'encoding="Shift_JIS"').encode("shift_jis")
    files["encoding-bytes.xml"] = sjis.replace("<name>山本　和彦</name>".encode("shift_jis"),
                                               b"<name>" + "山本".encode("shift_jis") + b"\x81\x20"
                                               + "和彦".encode("shift_jis") + b"</name>")
    # What took the calling process quadratic time (#16 item 7): 300
    # attributes on one element (libxml2 compares each with every earlier
    # one; 50,000 took 22 s), and 600 consultation rows in descending date
    # order (one DS-001 issue each: the report lists the first 100).
    attributes = " ".join('a%d=""' % i for i in range(300))
    files["many-attributes.xml"] = sample.replace("<applicant>", "<applicant %s>" % attributes, 1).encode()
    with open(os.path.join(root, "samples", "dounyu-shien", "complete.xml"), encoding="utf-8") as fh:
        support = fh.read()
    first, last = support.index("<consultation>"), support.rindex("</consultation>") + len("</consultation>")
    rows = "\n".join("<consultation><date>%s</date><content>相談</content></consultation>"
                     % (datetime.date(2024, 6, 1) - datetime.timedelta(days=i)).isoformat() for i in range(600))
    files["rows-out-of-order.xml"] = (support[:first] + rows + support[last:]).encode()
    return files


def lexer_catalogue():
    """What fooled the byte-level pre-checks (#16 item 4): a name /stream and
    an "endstream" inside a string around 20,000-deep nesting (the scan
    jumped from one to the other), object streams without /Type /ObjStm or
    with it spelled /Obj#53tm, and /Encrypt spelled /Encr#79pt."""
    files = {}
    name = b"(applicant/name)"
    depth = 20000
    files["stream-name-nesting.pdf"] = pdf(form([(name, utf16("山田"))], more={
        6: b"<< /K /stream /D " + b"[" * depth + b"]" * depth + b" /E (endstream) >>"}), info=5)
    for file, dict_type in (("objstm-untyped.pdf", b""), ("objstm-hash-name.pdf", b" /Type /Obj#53tm")):
        objs = form([(name, utf16("山田"))])
        del objs[10]
        packed = zlib.compress(b"10 0 " + b"[" * depth + b"]" * depth, 9)
        objs[6] = stream(packed, dict_type + b" /N 1 /First 5 /Filter /FlateDecode")
        files[file] = pdf_with_xref_stream(objs, {10: (6, 0)}, info=5)
    files["encrypt-hash-name.pdf"] = pdf(form([(name, utf16("山田"))], more={
        6: b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"00" * 32, b"00" * 32)}),
        info=5, trailer_extra=b" /Encr#79pt 6 0 R /ID [<00> <00>]")
    return files


def shadow_field_catalogue():
    """Fields that make the data say what the page does not show (#16 item 3):
    a hidden, zero-size field whose name is a visible field's plus a NUL (and
    one with a C1 control), a hidden field of the same name after the visible
    one (last wins, before), two visible fields of one name, and a lone
    hidden field."""
    files = {}
    visible = b"/Rect [50 50 200 70] /P 3 0 R"
    hidden = b"/F 2 /Rect [0 0 0 0] /P 3 0 R"

    def fields(specs):
        objs = form([(b"(x)", b"(x)")] * len(specs))
        for i, (name, value, where) in enumerate(specs):
            objs[10 + i] = b"<< /Type /Annot /Subtype /Widget /FT /Tx /T %s /V %s %s >>" % (name, value, where)
        return pdf(objs, info=5)

    real, fake = utf16("山田 太郎"), utf16("偽名")
    files["field-name-nul.pdf"] = fields([
        (b"(applicant/name)", real, visible),
        (b"(applicant/name\\000)", fake, hidden),
        (utf16("applicant/address\u009b"), fake, visible)])
    files["field-hidden-shadow.pdf"] = fields([(b"(applicant/name)", real, visible),
                                               (b"(applicant/name)", fake, hidden)])
    files["field-duplicate.pdf"] = fields([(b"(applicant/name)", real, visible),
                                           (b"(applicant/name)", utf16("佐藤 花子"), visible)])
    files["field-hidden.pdf"] = fields([(b"(applicant/name)", fake, hidden)])
    return files


def signed_form(value, byte_range=None, sig_name=b"(signature)", attachment=None):
    """A form with a name field (none when value is None) and a signature
    field whose /V is a signature dictionary as signing tools write it:
    /Contents a hex string left for the PKCS#7 blob, /ByteRange every byte
    but that string. The blob is zeros: yoshiki does not verify signatures,
    it tells what the bytes show. byte_range: a fixed /ByteRange instead of
    the true one. attachment: data.xml bytes embedded (objects 6 and 7)."""
    placeholder = b"[0 0000000000 0000000000 0000000000]"
    names = b""
    more = {}
    if attachment is not None:
        names = b" /Names << /EmbeddedFiles << /Names [(data.xml) 6 0 R] >> >>"
        more = {6: b"<< /Type /Filespec /F (data.xml) /EF << /F 7 0 R >> >>",
                7: stream(attachment, b" /Type /EmbeddedFile")}
    fields = [] if value is None else [(b"(applicant/name)", value)]
    objs = form(fields, acroform_extra=b" /SigFlags 3", catalog_extra=names, more={**more,
        11: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T " + sig_name + b" /V 12 0 R /F 132"
            b" /Rect [0 0 0 0] /P 3 0 R >>",
        12: b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M (D:20240401000000Z)"
            b" /ByteRange " + placeholder + b" /Contents <" + b"0" * 1024 + b"> >>",
    })
    before = b"10 0 R" if fields else b""
    objs[3] = objs[3].replace(b"/Annots [%s]" % before, b"/Annots [%s 11 0 R]" % before)
    objs[4] = objs[4].replace(b"/Fields [%s]" % before, b"/Fields [%s 11 0 R]" % before)
    out = pdf(objs, info=5)
    gap_start = out.index(b"/Contents <") + len(b"/Contents ")
    gap_end = out.index(b">", gap_start) + 1
    r = byte_range or (0, gap_start, gap_end, len(out) - gap_end)
    filled = b"[%d %d %d %d]" % r
    return out.replace(placeholder, filled.ljust(len(placeholder)), 1)


def append_revision(base, objects):
    """An incremental update: `objects` ({number: body}) appended with their
    own xref section and a trailer pointing back at the previous one."""
    prev = int(base[base.rindex(b"startxref") + 10:].split(b"\n")[0])
    out = bytearray(base)
    offsets = {}
    for n, body in sorted(objects.items()):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    x = len(out)
    out += b"xref\n"
    for n in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (n, offsets[n])
    out += b"trailer\n<< /Size 13 /Root 1 0 R /Info 5 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (prev, x)
    return bytes(out)


def signed_catalogue():
    """Signing-like saves: a signed form, the same changed after signing (an
    incremental update that rewrites the name, as a filler would), saved
    again without a change, a /ByteRange past the end of the file, and one
    that covers a prefix which is no PDF revision."""
    files = {}
    signed = signed_form(utf16("山田 太郎"))
    files["signed.pdf"] = signed
    files["signed-then-changed.pdf"] = append_revision(signed, {
        10: b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (applicant/name) /V %s /Rect [50 50 200 70] /P 3 0 R >>"
            % utf16("佐藤 花子")})
    files["signed-then-resaved.pdf"] = append_revision(signed, {
        5: b"<< /YoshikiFormId (jukou-moushikomi) /YoshikiFormVersion (1.0) /Producer (resaver) >>"})
    # The attached data.xml (invisible on the page, where a reader finds what
    # no field holds) replaced after signing: the signed one is read, and said
    # (#16 item 2); the same on a form whose only field is the signature.
    def data(address):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<courseApplication formId="jukou-moushikomi" '
                'formVersion="1.0"><applicant><name>山田 太郎</name><address>%s</address></applicant>'
                '</courseApplication>\n' % address).encode()
    signed_data, swapped = data("東京都港区芝五丁目1番1号"), data("大阪府大阪市北区梅田9番9号")
    files["signed-attachment-swapped.pdf"] = append_revision(
        signed_form(utf16("山田 太郎"), attachment=signed_data),
        {7: stream(swapped, b" /Type /EmbeddedFile")})
    files["signed-flat-swapped.pdf"] = append_revision(
        signed_form(None, attachment=signed_data), {7: stream(swapped, b" /Type /EmbeddedFile")})
    files["signature-bad-range.pdf"] = signed_form(utf16("山田 太郎"), (0, 10, 999999999, 5))
    files["signature-partial.pdf"] = signed_form(utf16("山田 太郎"), (0, 100, 200, 100))
    # A field name that would command a terminal (set its title, ring, clear
    # the screen) if printed as it is: every report writes it escaped. UTF-16,
    # since PDFDocEncoding reads the byte 0x1B as an accent, not as ESC.
    files["terminal-escapes.pdf"] = signed_form(utf16("山田 太郎"),
                                                sig_name=utf16("\x1b]0;owned\x07\x1b[2Jsig\rnature"))
    return files


def big_catalogue():
    files = {}
    # 60,000 consultation rows in descending date order (42 s of quadratic
    # rule evaluation and 30,000 issues before, #16 item 7): the schema holds
    # the log to 1,000 rows, so row 1,001 is the one error.
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "samples", "dounyu-shien", "complete.xml"), encoding="utf-8") as fh:
        support = fh.read()
    first, last = support.index("<consultation>"), support.rindex("</consultation>") + len("</consultation>")
    rows = "\n".join("<consultation><date>%s</date><content>相談</content></consultation>"
                     % (datetime.date(2024, 6, 1) - datetime.timedelta(days=i % 3000)).isoformat()
                     for i in range(60000))
    files["rows-too-many.xml"] = (support[:first] + rows + support[last:]).encode()
    name = b"(applicant/name)"
    gib = 1 << 30
    bomb = zlib.compressobj(9)
    chunk = b"\0" * (1 << 24)
    packed = b"".join(bomb.compress(chunk) for _ in range(gib // len(chunk))) + bomb.flush()
    # 1 GiB of zeros as the data.xml attachment (bounded inflate: ignored).
    files["bomb-attachment.pdf"] = pdf(form([(name, utf16("山田"))], catalog_extra=(
        b" /Names << /EmbeddedFiles << /Names [(data.xml) 6 0 R] >> >>"), more={
        6: b"<< /Type /Filespec /F (data.xml) /EF << /F 7 0 R >> >>",
        7: stream(packed, b" /Type /EmbeddedFile /Filter /FlateDecode")}), info=5)
    # 1 GiB of zeros as the object stream holding the field (PoDoFo inflates
    # object streams itself, without a bound).
    objs = form([(name, utf16("山田"))])
    del objs[10]
    objs[6] = stream(packed, b" /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")
    files["bomb-object-stream.pdf"] = pdf_with_xref_stream(objs, {10: (6, 0)}, info=5)
    # Past the 64 MB file limit, and a 30 MB stream inside the limit.
    files["too-large.pdf"] = pdf(form([(name, utf16("山田"))], more={6: stream(b"\0" * (65 << 20))}), info=5)
    files["huge-stream.pdf"] = pdf(form([(name, utf16("山田"))], more={6: stream(b"A" * (30 << 20))}), info=5)
    # The bomb in an object stream that does not say /Type /ObjStm (#16 item 4).
    objs = form([(name, utf16("山田"))])
    del objs[10]
    objs[6] = stream(packed, b" /N 1 /First 4 /Filter /FlateDecode")
    files["bomb-objstm-untyped.pdf"] = pdf_with_xref_stream(objs, {10: (6, 0)}, info=5)
    # 1 MB of "trailer" and "/XRef" without a startxref: the old pre-scan
    # looked for a startxref after each, quadratic (20 s; #16 item 7).
    files["trailer-flood.pdf"] = b"%PDF-1.7\n" + b"trailer /XRef\n" * (1 << 16)
    return files


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = catalogue()
    if "--big" in sys.argv:
        files.update(big_catalogue())
    for n, data in files.items():
        with open(os.path.join(out, n), "wb") as fh:
            fh.write(data)
    # Encrypted, empty user password: AES-128 (deterministic with qpdf's
    # static id and IV, committed) and AES-256 (random file key: --big only).
    plain = os.path.join(out, "encrypted.plain.tmp")
    with open(plain, "wb") as fh:
        fh.write(pdf(form([(b"(applicant/name)", utf16("山田"))]), info=5))
    for name, bits in (("encrypted.pdf", "128"), ("encrypted-aes256.pdf", "256")):
        if bits == "256" and "--big" not in sys.argv:
            continue
        subprocess.run(["qpdf", "--static-id", "--static-aes-iv", "--encrypt", "", "owner", bits,
                        *(["--use-aes=y"] if bits == "128" else []), "--", plain, os.path.join(out, name)],
                       check=True)
    os.remove(plain)

if __name__ == "__main__":
    main()
