// Fills a PDF form the way pdf-lib users do: getTextField(name).setText,
// getRadioGroup(name).select(state), getCheckBox(name).check(), then
// updateFieldAppearances with a Japanese font embedded through
// @pdf-lib/fontkit (without one pdf-lib cannot encode 令 in WinAnsi) and
// save. pdf-lib draws each appearance itself, in the /DA size or, for size
// 0, the size that fits the box. Usage:
//   node pdflib_fill.mjs IN.pdf OUT.pdf FONT.ttf VALUES.json
// VALUES.json maps field names to text, or to "/state" for a radio group or
// check box (the state to switch on).
import { PDFDocument, PDFCheckBox, PDFRadioGroup } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import fs from 'node:fs';

const [input, out, fontPath, valuesPath] = process.argv.slice(2);
const values = JSON.parse(fs.readFileSync(valuesPath, 'utf8'));
const doc = await PDFDocument.load(fs.readFileSync(input));
doc.registerFontkit(fontkit);
const font = await doc.embedFont(fs.readFileSync(fontPath), { subset: true });
const form = doc.getForm();
for (const [name, value] of Object.entries(values)) {
  const field = form.getField(name);
  if (field instanceof PDFRadioGroup) field.select(value.slice(1));
  else if (field instanceof PDFCheckBox) field.check();
  else form.getTextField(name).setText(value);
}
form.updateFieldAppearances(font);
fs.writeFileSync(out, await doc.save());
