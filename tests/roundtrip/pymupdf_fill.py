"""Fills a blank yoshiki form with PyMuPDF (Debian python3-fitz 1.21), from
the values pypdf_fill.py writes as JSON (field name → text, or "/state" for
a radio option or check box), the way its documentation shows: set
widget.field_value, then widget.update(), then save.

PyMuPDF 1.21 patterns that work (and the ones that do not):
- Keep every Widget of a page alive while working on the page
  (widgets = list(page.widgets())). Iterating the generator drops each
  Widget before the next is loaded; after a few, load_widget returns a bare
  SwigPyObject ("'SwigPyObject' object has no attribute 'thisown'") or
  the process crashes.
- A radio option or check box is switched on with field_value = True on its
  own widget (the kid whose button_states()["normal"] holds the state).
  field_value = "1" (the on-state's name) writes nothing: /AS and /V stay Off.
- PyMuPDF keeps the widgets' /AP of buttons (their per-state streams), and
  redraws text fields through MuPDF with the field's /DA font.
Usage: pymupdf_fill.py BLANK.pdf VALUES.json OUT.pdf"""
import json
import sys

import fitz

blank, values_json, out = sys.argv[1:4]
with open(values_json, encoding="utf-8") as fh:
    values = json.load(fh)
doc = fitz.open(blank)
done = set()
for page in doc:
    widgets = list(page.widgets())  # all alive: see above
    for w in widgets:
        name = w.field_name
        if w.field_type in (fitz.PDF_WIDGET_TYPE_RADIOBUTTON, fitz.PDF_WIDGET_TYPE_CHECKBOX):
            key = name if name in values else None
            if w.field_type == fitz.PDF_WIDGET_TYPE_CHECKBOX and key is None:
                continue
            want = values.get(name)
            states = [s for s in (w.button_states().get("normal") or []) if s != "Off"]
            if want is None or not states or want.lstrip("/") != states[0]:
                continue
            w.field_value = True
            w.update()
            done.add(name)
        elif name in values:
            w.field_value = values[name]
            w.update()
            done.add(name)
doc.save(out, garbage=0, deflate=True)
missing = sorted(set(values) - done)
print(len(done), "fields set", ("; no widget for " + ", ".join(missing)) if missing else "")
sys.exit(1 if missing else 0)
