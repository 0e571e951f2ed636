#!/usr/bin/env bash
# The main job on the embedded defaults: installs what is missing, builds,
# renders every form blank and every sample filled into out/, and reads each
# PDF back (text layer, fonts, structure) with poppler, qpdf and pypdf.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" -DYOSHIKI_TESTS=OFF -DYOSHIKI_BENCH=OFF
yoshiki="$root/build/bin/yoshiki"
out="$root/out"
mkdir -p "$out"
settings="$root/samples/organisation.xml"
"$yoshiki" forms
while IFS=$'\t' read -r form version title; do
  "$yoshiki" render "$form" --settings "$settings" -o "$out/$form-blank.pdf"
  echo "rendered $out/$form-blank.pdf ($title $version, blank)"
  for data in "$root"/samples/"$form"/*.xml; do
    pdf="$out/$form-$(basename "$data" .xml).pdf"
    "$yoshiki" render "$form" "$data" --settings "$settings" -o "$pdf"
    echo "rendered $pdf"
  done
done < <("$yoshiki" forms)
# Read back: every label and value must come out of the text layer.
/usr/bin/python3 "$root/tests/pdf/check_pdfs.py" --yoshiki "$yoshiki" --root "$root" --out "$out/checked"
