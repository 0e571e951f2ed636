#!/usr/bin/env bash
# Benchmarks (not tests): rendering throughput over N pre-filled forms.
# Usage: scripts/bench.sh [N]   (default 1000)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh" >/dev/null
BUILD_DIR="$root/build-bench" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF
"$root/build-bench/bin/yoshiki_bench_render" "${1:-1000}"
