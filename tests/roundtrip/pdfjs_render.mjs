// Renders page 1 of a PDF to PNG with pdf.js in Node (@napi-rs/canvas, which
// pdfjs-dist depends on), the way a browser shows a filled form. A Japanese
// font is registered as the fallback sans-serif, as a browser would have.
// Usage: node pdfjs_render.mjs IN.pdf OUT.png [DPI] [FALLBACK_FONT]
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import fs from 'node:fs';

const [input, output, dpiArg, fallback] = process.argv.slice(2);
const dpi = Number(dpiArg || 100);
const font = fallback || '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf';
if (fs.existsSync(font)) GlobalFonts.registerFromPath(font, 'sans-serif');
const doc = await pdfjs.getDocument({ data: new Uint8Array(fs.readFileSync(input)), verbosity: 0 }).promise;
const page = await doc.getPage(1);
const viewport = page.getViewport({ scale: dpi / 72 });
const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
const ctx = canvas.getContext('2d');
ctx.fillStyle = 'white';
ctx.fillRect(0, 0, canvas.width, canvas.height);
await page.render({ canvasContext: ctx, viewport, annotationMode: pdfjs.AnnotationMode.ENABLE_STORAGE }).promise;
fs.writeFileSync(output, canvas.toBuffer('image/png'));
await doc.destroy();
