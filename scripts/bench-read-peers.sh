#!/usr/bin/env bash
# Read-back benchmark (not a test): the read rows of scripts/bench-peers.sh
# (issue #20, the read half), which holds the code:
#  extract  yoshiki_bench_extract vs pypdf get_fields on the same N
#           pypdf-filled 受講申込書 PDFs, both pinned to one core;
#  bulk     validation of the same PDFs with the default worker isolation vs
#           --in-process, on all cores (median of RUNS), throughput ratio;
#  memory   peak RSS of an isolated validation of MEM_N files beside one of
#           N files: it should stay flat.
# Usage: scripts/bench-read-peers.sh [N]   (default 300; RUNS=3, MEM_N=10000)
# YOSHIKI_BUILD=DIR uses an existing build instead of building Release.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ROWS="${ROWS:-extract bulk memory}" exec "$root/scripts/bench-peers.sh" "${1:-300}"
