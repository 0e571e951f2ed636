#!/usr/bin/env bash
# yoshiki beside the tools people would use instead, on the same inputs in one
# run, every process pinned to one core (taskset -c 0): a Release build, then
# one row per comparison with documents/s and the ratio yoshiki / peer. The
# machines are shared and noisy: read ratios, not absolute figures. Wall
# time and CPU time (user + system) are both given; each side's start-up
# (imports, engine, fonts) is measured with N = 0 and taken off.
# Peers: ../shared/peers (see its README for the set-up; PEERS=DIR elsewhere).
# Usage: scripts/bench-peers.sh [N]   (default 500 documents per row)
#   ROWS="render extract bulk validate memory" (default: all) picks rows;
#   BUILD_DIR=… builds there (Release); YOSHIKI_BUILD=DIR uses DIR as it is.
#   RUNS=3 (bulk medians), REPS=3 (runs per timed command, median), YREP=10, VALIDATE_N=20×N data XMLs, MEM_N=10000 (memory).
# Adding a row: write row_NAME (use measure and report) and add NAME to ROWS.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-500}"
peers="${PEERS:-$root/../shared/peers}"
build="${BUILD_DIR:-$root/build-bench}"
work="$(mktemp -d /tmp/yoshiki-bench-peers.XXXXXX)"
trap 'rm -rf "$work"' EXIT
read -r -a ROWS <<<"${ROWS:-render extract bulk validate memory}"
runs="${RUNS:-3}"
reps="${REPS:-3}"
# yoshiki's side of the render and extract rows does YREP × N documents:
# N of them took it 0.2–0.5 s against the peers' 6–10 s, and a second of
# the shared VM's noise moved its rate by up to 40 % between runs (the
# peers' by ~3 %); each side's rate is its own documents over its own time.
yrep="${YREP:-10}"
py=/usr/bin/python3 # Debian's Python: python3-reportlab, python3-pypdf, python3-lxml

need() { # need MODULE PACKAGE
  if ! "$py" -c "import $1" 2>/dev/null; then
    echo "bench-peers: $1 is missing: apt-get install -y $2 (see $peers/README.md)" >&2
    exit 2
  fi
}
for r in "${ROWS[@]}"; do
  case "$r" in
    render) need reportlab python3-reportlab ;;
    extract) need pypdf python3-pypdf ;;
    validate)
      need lxml python3-lxml
      command -v xmllint >/dev/null || {
        echo "bench-peers: xmllint is missing: apt-get install -y libxml2-utils" >&2
        exit 2
      }
      ;;
  esac
done

if [ -n "${YOSHIKI_BUILD:-}" ]; then
  build="$YOSHIKI_BUILD"
else
  launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF "${launcher[@]}" >/dev/null
  cmake --build "$build" -j "$(nproc)" --target yoshiki_cli yoshiki_bench_render yoshiki_bench_extract >/dev/null
fi
bin="$build/bin"

calc() { "$py" -c "print($1)"; }

# measure NAME CMD...: runs CMD pinned to core 0, REPS times (default 3);
# sets NAME_wall and NAME_cpu (s), the medians, CPU to the microsecond
# (bench/timed.py). Exit status 1 is accepted when ACCEPT_1=1 (validators:
# some file invalid).
measure() {
  local name="$1"
  shift
  local accept=() wall cpu
  [ "${ACCEPT_1:-0}" = 1 ] && accept=(--accept-1)
  # (on failure timed.py has printed the command's standard error)
  read -r wall cpu < <("$py" "$root/bench/timed.py" "$reps" "$work/stderr" "${accept[@]}" -- taskset -c 0 "$@" ||
    echo fail)
  [ "$wall" != fail ] || return 1
  printf -v "${name}_wall" '%s' "$wall"
  printf -v "${name}_cpu" '%s' "$cpu"
}

# report ROW WHAT N_DOCS A B [N_DOCS_A]: documents/s of A and B (the start-up
# runs A0 and B0 taken off) and the ratios of the rates, by wall and CPU
# time; A did N_DOCS_A documents when given (default N_DOCS).
report() {
  local row="$1" what="$2" docs="$3" a="$4" b="$5" docs_a="${6:-$3}"
  local v
  for v in wall cpu; do
    local ta tb
    ta=$(calc "max(1e-6, $(eval echo "\$${a}_$v") - $(eval echo "\$${a}0_$v"))")
    tb=$(calc "max(1e-6, $(eval echo "\$${b}_$v") - $(eval echo "\$${b}0_$v"))")
    printf '%-8s %-34s %-4s yoshiki %9.1f docs/s   %-10s %8.1f docs/s   ratio %6.1fx\n' \
      "$row" "$what" "$v" "$(calc "$docs_a / $ta")" "$b" "$(calc "$docs / $tb")" \
      "$(calc "($docs_a / $ta) / ($docs / $tb)")"
  done
}

# Rendering: yoshiki's bench (the forms' samples, filled, flat) beside
# ReportLab drawing the peers' 受講申込書-like page (36 boxes, 600 fixed
# characters, 28 values, IPAexGothic) N times in one process; pdfme (Node)
# too when its node_modules are installed, on N/10 documents (it is slow).
row_render() {
  measure y0 "$bin/yoshiki_bench_render" 0
  measure y "$bin/yoshiki_bench_render" "$((n * yrep))"
  mkdir -p "$work/rl"
  measure rl0 "$py" "$peers/gen/rl_gen.py" 0 "$work/rl"
  measure rl "$py" "$peers/gen/rl_gen.py" "$n" "$work/rl"
  report render "documents (yoshiki samples / RL page)" "$n" y rl "$((n * yrep))"
  # The issue's own measure: the 受講申込書 samples alone (the form the RL
  # page imitates; its documents cost ~1.4× the four forms' mean).
  measure yj0 "$bin/yoshiki_bench_render" 0 --form jukou-moushikomi
  measure yj "$bin/yoshiki_bench_render" "$((n * yrep))" --form jukou-moushikomi
  report render "documents (受講申込書 samples / RL page)" "$n" yj rl "$((n * yrep))"
  if [ -d "$peers/node_modules/@pdfme" ] && command -v node >/dev/null; then
    local m=$(((n + 9) / 10))
    mkdir -p "$work/pdfme"
    measure pdfme0 node "$peers/gen/pdfme_gen.mjs" 0 "$work/pdfme"
    measure pdfme node "$peers/gen/pdfme_gen.mjs" "$m" "$work/pdfme"
    measure ym "$bin/yoshiki_bench_render" "$m"
    ym0_wall=$y0_wall ym0_cpu=$y0_cpu
    report render "documents (pdfme: N/10)" "$m" ym pdfme
  fi
}

# N pypdf-filled 受講申込書 PDFs (157 KB, 72 fields; the samples in turn, hard
# links) in $work/pdf, made once for the read rows.
filled_pdfs() { # filled_pdfs N DIR
  if [ ! -d "$work/filled" ]; then
    mkdir -p "$work/filled"
    "$bin/yoshiki" render jukou-moushikomi --typing-font none -o "$work/blank.pdf"
    for s in "$root"/samples/jukou-moushikomi/*.xml; do
      "$py" "$root/tests/roundtrip/pypdf_fill.py" "$work/blank.pdf" "$root/templates/jukou-moushikomi.xml" \
        "$s" "$work/filled/$(basename "$s" .xml).pdf" >/dev/null
    done
  fi
  rm -rf "$2" && mkdir -p "$2"
  # one process for all the links: an ln per file took minutes for MEM_N
  "$py" - "$1" "$2" "$work"/filled/*.pdf <<'EOF'
import os, sys
n, out, filled = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
for i in range(n):
    os.link(filled[i % len(filled)], os.path.join(out, "%05d.pdf" % i))
EOF
}

# Extraction: yoshiki_bench_extract (one process, one thread, Engine::extract)
# beside pypdf get_fields on the same N PDFs; start-up = an empty folder.
row_extract() {
  filled_pdfs "$n" "$work/pdf"
  filled_pdfs "$((n * yrep))" "$work/pdf-y"
  mkdir -p "$work/none"
  measure y0 "$bin/yoshiki_bench_extract" "$work/none"
  measure y "$bin/yoshiki_bench_extract" "$work/pdf-y"
  measure pypdf0 "$py" "$root/bench/pypdf_get_fields.py" "$work/none"
  measure pypdf "$py" "$root/bench/pypdf_get_fields.py" "$work/pdf"
  report extract "filled PDFs (pypdf get_fields)" "$n" y pypdf "$((n * yrep))"
  rm -rf "$work/pdf-y"
}

# Bulk validation of the same N PDFs on all cores (not pinned): the default
# worker isolation beside --in-process, median wall time of RUNS runs each.
validate_pdfs() { "$bin/yoshiki" validate "$work/pdf" --jsonl --no-progress --today 2026-01-01 "$@" >/dev/null || [ $? -eq 1 ]; }
median_wall() { # median_wall ARGS...: median wall seconds of RUNS validate_pdfs ARGS
  local s e
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N)
    validate_pdfs "$@"
    e=$(date +%s.%N)
    calc "$e - $s"
  done | sort -n | sed -n "$(((runs + 1) / 2))p"
}
row_bulk() {
  filled_pdfs "$n" "$work/pdf"
  local iso inp
  iso=$(median_wall)
  inp=$(median_wall --in-process)
  printf '%-8s %-34s %-4s isolated %8.1f docs/s   in-process %8.1f docs/s   ratio %5.2fx (target >= 0.7x; %d cores, median of %d)\n' \
    bulk "PDF validation, all cores" wall "$(calc "$n / $iso")" "$(calc "$n / $inp")" "$(calc "$inp / $iso")" "$(nproc)" "$runs"
}

# Data XML validation, pinned: yoshiki validate -j 1 (XSD + business rules)
# beside xmllint --schema (XSD only), lxml XMLSchema (XSD only) and lxml
# XMLSchema + isoschematron (the same rules), on VALIDATE_N generated files
# (bench/validate/make_data.py, 10 % invalid); start-up = one file.
row_validate() {
  local m="${VALIDATE_N:-$((20 * n))}" d="$work/xml" xsd="$root/schemas/jukou-moushikomi.xsd"
  local bv="$root/bench/validate"
  "$py" "$bv/make_data.py" "$m" "$d" >/dev/null
  (cd "$d" && LC_ALL=C ls | grep '\.xml$' | sed "s|^|$d/|" >"$work/xml.txt")
  head -n 1 "$work/xml.txt" >"$work/xml1.txt"
  "$py" "$bv/make_sch.py" --today 2026-01-01 "$work/rules.sch" >/dev/null
  mkdir -p "$work/xml1" && cp "$(cat "$work/xml1.txt")" "$work/xml1/"
  local yv=("$bin/yoshiki" validate --jsonl --no-progress --today 2026-01-01 -j 1)
  local lx=("$py" "$bv/lxml_validate.py" --xsd "$xsd" --sch "$work/rules.sch")
  ACCEPT_1=1 measure y0 "${yv[@]}" "$work/xml1"
  ACCEPT_1=1 measure y "${yv[@]}" "$d"
  # xmllint: one process over every file (exit status 3: some file invalid)
  local one='xargs -s 1000000 -a "$1" xmllint --noout --schema "$2" 2>/dev/null; [ $? -le 123 ]'
  measure xmllint0 sh -c "$one" sh "$work/xml1.txt" "$xsd"
  measure xmllint sh -c "$one" sh "$work/xml.txt" "$xsd"
  ACCEPT_1=1 measure lxml0 "${lx[@]}" --xsd-only --files-from "$work/xml1.txt"
  ACCEPT_1=1 measure lxml "${lx[@]}" --xsd-only --files-from "$work/xml.txt"
  ACCEPT_1=1 measure lxml_sch0 "${lx[@]}" --files-from "$work/xml1.txt"
  ACCEPT_1=1 measure lxml_sch "${lx[@]}" --files-from "$work/xml.txt"
  report validate "data XML, -j 1 (XSD only)" "$((m - 1))" y xmllint
  report validate "data XML, -j 1 (XSD only)" "$((m - 1))" y lxml
  report validate "data XML, -j 1 (XSD + Schematron)" "$((m - 1))" y lxml_sch
}

# Memory: the parent's peak RSS in an isolated validation of MEM_N PDFs
# beside one of N: it should stay flat (results stream out, nothing kept).
row_memory() {
  local m="${MEM_N:-10000}"
  filled_pdfs "$n" "$work/pdf"
  filled_pdfs "$m" "$work/many"
  rss() { /usr/bin/time -v "$bin/yoshiki" validate "$1" --jsonl --no-progress --today 2026-01-01 2>&1 >/dev/null |
    sed -nE 's/.*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p'; }
  local small big
  small=$(rss "$work/pdf")
  big=$(rss "$work/many")
  printf '%-8s %-34s %-4s %d files %d KB   %d files %d KB   ratio %5.2fx (flat: ~1x)\n' \
    memory "parent peak RSS, isolated" rss "$n" "$small" "$m" "$big" "$(calc "$big / $small")"
  rm -rf "$work/many"
}

echo "$("$bin/yoshiki" --version 2>/dev/null || true); N=$n; pinned to core 0; $(nproc) cores"
for r in "${ROWS[@]}"; do "row_$r"; done
