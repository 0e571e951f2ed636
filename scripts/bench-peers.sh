#!/usr/bin/env bash
# yoshiki beside the tools people would use instead, on the same inputs in one
# run, every process pinned to one core (taskset -c 0): a Release build, then
# one row per comparison with documents/s and the ratio yoshiki / peer. The
# machines are shared and noisy: read ratios, not absolute figures. Wall
# time and CPU time (user + system) are both given; each side's start-up
# (imports, engine, fonts) is measured with N = 0 and taken off.
# Peers: ../shared/peers (see its README for the set-up; PEERS=DIR elsewhere).
# Usage: scripts/bench-peers.sh [N]   (default 500 documents per row; BUILD_DIR=… to reuse a build)
# Adding a row: write row_NAME (use measure and report) and add NAME to ROWS.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-500}"
peers="${PEERS:-$root/../shared/peers}"
build="${BUILD_DIR:-$root/build-bench}"
work="$(mktemp -d /tmp/yoshiki-bench-peers.XXXXXX)"
trap 'rm -rf "$work"' EXIT
ROWS=(render)

if ! /usr/bin/python3 -c 'import reportlab' 2>/dev/null; then
  echo "bench-peers: ReportLab is missing: apt-get install -y python3-reportlab (see $peers/README.md)" >&2
  exit 2
fi

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" -j "$(nproc)" --target yoshiki_cli yoshiki_bench_render >/dev/null
bin="$build/bin"

calc() { /usr/bin/python3 -c "print($1)"; }

# measure NAME CMD...: runs CMD pinned to core 0; sets NAME_wall and NAME_cpu (s).
measure() {
  local name="$1"
  shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" taskset -c 0 "$@" >/dev/null 2>"$work/stderr" || {
    cat "$work/stderr" >&2
    return 1
  }
  read -r wall user sys <"$work/time"
  printf -v "${name}_wall" '%s' "$wall"
  printf -v "${name}_cpu" '%s' "$(calc "$user + $sys")"
}

# report ROW WHAT N_DOCS A B: documents/s of A and B (the start-up runs A0 and
# B0 taken off) and the ratios A / B, by wall and CPU time.
report() {
  local row="$1" what="$2" docs="$3" a="$4" b="$5"
  local v
  for v in wall cpu; do
    local ta tb
    ta=$(calc "max(1e-6, $(eval echo "\$${a}_$v") - $(eval echo "\$${a}0_$v"))")
    tb=$(calc "max(1e-6, $(eval echo "\$${b}_$v") - $(eval echo "\$${b}0_$v"))")
    printf '%-8s %-34s %-4s yoshiki %9.1f docs/s   %-10s %8.1f docs/s   ratio %6.1fx\n' \
      "$row" "$what" "$v" "$(calc "$docs / $ta")" "$b" "$(calc "$docs / $tb")" "$(calc "$tb / $ta")"
  done
}

# Rendering: yoshiki's bench (the forms' samples, filled, flat) beside
# ReportLab drawing the peers' 受講申込書-like page (36 boxes, 600 fixed
# characters, 28 values, IPAexGothic) N times in one process; pdfme (Node)
# too when its node_modules are installed, on N/10 documents (it is slow).
row_render() {
  measure y0 "$bin/yoshiki_bench_render" 0
  measure y "$bin/yoshiki_bench_render" "$n"
  mkdir -p "$work/rl"
  measure rl0 /usr/bin/python3 "$peers/gen/rl_gen.py" 0 "$work/rl"
  measure rl /usr/bin/python3 "$peers/gen/rl_gen.py" "$n" "$work/rl"
  report render "documents (yoshiki samples / RL page)" "$n" y rl
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

echo "yoshiki $("$bin/yoshiki" --version 2>/dev/null || true); N=$n; pinned to core 0; $(nproc) cores"
for r in "${ROWS[@]}"; do "row_$r"; done
