#!/usr/bin/env bash
# Extraction benchmark (not a test): N filled PDFs (pypdf-filled blank forms,
# the way submissions arrive) read back by yoshiki in one process, beside
# pypdf get_fields (one Python process) and pdftk dump_data_fields_utf8 (one
# process per file, as it is used; timed over the first 100 files).
# Usage: scripts/bench-extract.sh [N]   (default 1000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1000}"
work=/tmp/yoshiki-bench-extract
"$root/scripts/install-deps.sh" >/dev/null
BUILD_DIR="$root/build-bench" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF >/dev/null
y="$root/build-bench/bin/yoshiki"
rm -rf "$work" && mkdir -p "$work/pdf"
"$y" render jukou-moushikomi --typing-font none -o "$work/blank.pdf"
samples=("$root"/samples/jukou-moushikomi/*.xml)
for s in "${samples[@]}"; do
  /usr/bin/python3 "$root/tests/roundtrip/pypdf_fill.py" "$work/blank.pdf" "$root/templates/jukou-moushikomi.xml" \
    "$s" "$work/$(basename "$s" .xml).pdf" >/dev/null
done
i=0
while [ "$i" -lt "$n" ]; do
  for s in "${samples[@]}"; do
    [ "$i" -lt "$n" ] || break
    cp "$work/$(basename "$s" .xml).pdf" "$work/pdf/$(printf %05d "$i").pdf"
    i=$((i + 1))
  done
done
echo "== $n filled PDFs in $work/pdf"
yo=$("$root/build-bench/bin/yoshiki_bench_extract" "$work/pdf" | tee /dev/stderr | sed -E 's/.*: ([0-9.]+) documents\/s.*/\1/')
py=$(/usr/bin/python3 "$root/bench/pypdf_get_fields.py" "$work/pdf" | tee /dev/stderr | sed -E 's/.*: ([0-9.]+) documents\/s.*/\1/')
start=$(date +%s.%N)
for f in $(ls "$work"/pdf/*.pdf | head -100); do pdftk "$f" dump_data_fields_utf8 >/dev/null; done
end=$(date +%s.%N)
calc() { /usr/bin/python3 -c "print($1)"; }
pk=$(calc "100 / ($end - $start)")
printf 'pdftk dump_data_fields_utf8: 100 PDFs, %.1f documents/s\n' "$pk"
printf '\nratios (yoshiki / peer): pypdf %.1fx, pdftk %.1fx\n' "$(calc "$yo / $py")" "$(calc "$yo / $pk")"
