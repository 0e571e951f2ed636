// Fills a PDF form the way pdf.js does in a browser: values go into the
// document's annotation storage, then saveDocument() writes the PDF (pdf.js
// also writes its own appearance streams). Usage:
//   node pdfjs_fill.mjs BLANK.pdf VALUES.json OUT.pdf
// VALUES.json maps field names to text, or to "/state" for a radio button or
// check box (the state to switch on).
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import fs from 'node:fs';

const [blank, valuesPath, out] = process.argv.slice(2);
const values = JSON.parse(fs.readFileSync(valuesPath, 'utf8'));
const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(blank)), verbosity: 0 }).promise;
const fields = (await doc.getFieldObjects()) || {};
let set = 0;
for (const [name, value] of Object.entries(values)) {
  const widgets = fields[name];
  if (!widgets) continue;
  for (const w of widgets) {
    if (!w.id) continue;
    if (typeof value === 'string' && value.startsWith('/')) {
      const state = value.slice(1);
      if (w.type === 'radiobutton') doc.annotationStorage.setValue(w.id, { value: w.exportValues === state });
      else if (w.type === 'checkbox') doc.annotationStorage.setValue(w.id, { value: w.exportValues === state });
    } else {
      doc.annotationStorage.setValue(w.id, { value });
    }
  }
  set++;
}
fs.writeFileSync(out, await doc.saveDocument());
await doc.destroy();
console.log(`${set} fields set`);
