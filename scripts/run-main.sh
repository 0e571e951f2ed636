#!/usr/bin/env bash
# The main job on the embedded defaults: installs what is missing, builds,
# renders every form blank and every sample filled into out/ (the 受講申込書,
# 導入支援票 and 雇用状況確認事項, and the linked Senior Work Program samples),
# and reads each PDF back (text layer, fonts, structure) with poppler, qpdf,
# pypdf and yoshiki validate.
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
# The Senior Work Program's linked samples (受講申込書, 導入支援票 and 雇用状況確認事項 per
# trainee, joined by 管理番号): each rendered fillable, then every PDF read back and validated.
mkdir -p "$out/senior-program"
for data in "$root"/samples/senior-program/*.xml; do
  form="$(sed -n 's/.*formId="\([^"]*\)".*/\1/p' "$data" | head -n 1)"
  "$yoshiki" render "$form" "$data" --settings "$settings" --fillable -o "$out/senior-program/$(basename "$data" .xml).pdf"
done
echo "rendered $(ls "$out/senior-program" | wc -l) linked forms into $out/senior-program"
"$yoshiki" validate "$out/senior-program" --settings "$settings" --no-progress --lang ja | sed -n "/^ファイル/,\$p"
# Read back: every label and value must come out of the text layer.
/usr/bin/python3 "$root/tests/pdf/check_pdfs.py" --yoshiki "$yoshiki" --root "$root" --out "$out/checked"
