#!/usr/bin/env bash
# Read-back benchmark (not a test), one run, the peers on the same inputs
# (issue #20, the read half):
#  1. extract: yoshiki (one process, one thread) vs pypdf get_fields on the
#     same N pypdf-filled 受講申込書 PDFs, both pinned to one core;
#  2. bulk validation of the same PDFs with the default worker isolation vs
#     --in-process, on all cores (median of RUNS), throughput ratio;
#  3. memory: peak RSS (/usr/bin/time -v) of an isolated validation of
#     MEM_N files beside one of N files: it should stay flat.
# Usage: scripts/bench-read-peers.sh [N]   (default 300; RUNS=3, MEM_N=10000)
# YOSHIKI_BUILD=DIR uses an existing build instead of building Release.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-300}"
runs="${RUNS:-3}"
mem_n="${MEM_N:-10000}"
work=/tmp/yoshiki-bench-read-peers
py=/usr/bin/python3  # Debian's Python, for python3-pypdf and python3-lxml
build="${YOSHIKI_BUILD:-}"
if [ -z "$build" ]; then
  build="$root/build-bench"
  BUILD_DIR="$build" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF >/dev/null
fi
y="$build/bin/yoshiki"
core=$(taskset -pc $$ | sed -E 's/.*: ([0-9]+).*/\1/')
rm -rf "$work" && mkdir -p "$work/pdf" "$work/many"
"$y" render jukou-moushikomi --typing-font none -o "$work/blank.pdf"
samples=("$root"/samples/jukou-moushikomi/*.xml)
for s in "${samples[@]}"; do
  "$py" "$root/tests/roundtrip/pypdf_fill.py" "$work/blank.pdf" "$root/templates/jukou-moushikomi.xml" \
    "$s" "$work/$(basename "$s" .xml).pdf" >/dev/null
done
copies() {  # copies N DIR: N filled PDFs, the samples in turn
  local i=0
  while [ "$i" -lt "$1" ]; do
    for s in "${samples[@]}"; do
      [ "$i" -lt "$1" ] || break
      cp "$work/$(basename "$s" .xml).pdf" "$2/$(printf %05d "$i").pdf"
      i=$((i + 1))
    done
  done
}
copies "$n" "$work/pdf"
calc() { "$py" -c "print($1)"; }
rate() { sed -E 's/.*: ([0-9.]+) documents\/s.*/\1/'; }

echo "== 1. extract, $n PDFs, pinned to core $core"
yo=$(taskset -c "$core" "$build/bin/yoshiki_bench_extract" "$work/pdf" | tee /dev/stderr | rate)
pp=$(taskset -c "$core" "$py" "$root/bench/pypdf_get_fields.py" "$work/pdf" | tee /dev/stderr | rate)

echo "== 2. bulk validation of $n PDFs, $(nproc) cores, median of $runs"
validate() { "$y" validate "$work/pdf" --jsonl --no-progress --today 2026-01-01 "$@" >/dev/null || [ $? -eq 1 ]; }
median() {  # median wall seconds of RUNS runs of validate "$@"
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); validate "$@"; e=$(date +%s.%N); calc "$e - $s"
  done | sort -n | sed -n "$(((runs + 1) / 2))p"
}
iso=$(median)
inp=$(median --in-process)
printf 'isolated (default) %.3f s, in-process %.3f s\n' "$iso" "$inp"

echo "== 3. peak RSS of an isolated validation: $n and $mem_n files"
copies "$mem_n" "$work/many"
rss() { /usr/bin/time -v "$y" validate "$1" --jsonl --no-progress --today 2026-01-01 2>&1 >/dev/null |
  sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p'; }
small=$(rss "$work/pdf")
big=$(rss "$work/many")
echo "parent peak RSS: $small KB ($n files), $big KB ($mem_n files)"

echo
printf 'extract vs pypdf get_fields:          %.1fx (target >= 15x)\n' "$(calc "$yo / $pp")"
printf 'isolated vs in-process throughput:    %.2fx (target >= 0.7x)\n' "$(calc "$inp / $iso")"
printf 'peak RSS %d files / %d files:      %.2fx (flat: ~1x)\n' "$mem_n" "$n" "$(calc "$big / $small")"
