#!/usr/bin/python3
"""Writes a slim copy of a yoshiki PDF as a fuzz seed: every stream except
the attached data (EmbeddedFile) and XMP (Metadata) is emptied, so the seed
keeps the whole field tree, the attachments and the metadata in a few tens
of KB instead of 100-200 KB of fonts and page content, and each execution
of the pdf fuzz target spends its time in the parts yoshiki reads.
Usage: slim_pdf.py IN.pdf OUT.pdf (Debian's python3-pypdf)."""
import sys

import pypdf
from pypdf.generic import NameObject, StreamObject

reader = pypdf.PdfReader(sys.argv[1])
writer = pypdf.PdfWriter()
writer.clone_document_from_reader(reader)
keep = {"/EmbeddedFile", "/Metadata"}
for obj in writer._objects:
    if isinstance(obj, StreamObject) and obj.get("/Type") not in keep:
        # pypdf 3.4 cannot set_data() on an encoded stream: drop the filter
        # and the raw bytes together.
        for k in ("/Filter", "/DecodeParms", "/Length1", "/Length2", "/Length3"):
            obj.pop(NameObject(k), None)
        obj._data = b""
with open(sys.argv[2], "wb") as out:
    writer.write(out)
