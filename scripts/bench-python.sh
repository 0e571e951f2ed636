#!/usr/bin/env bash
# Python binding benchmark (not a test; issue #21): files/s of the CLI, the
# binding with threads and yoshiki.dask on a LocalCluster (1 and 2 workers)
# over the same N generated 受講申込書 (default 10000), with the overhead per
# file against the CLI (bench/python/bench_python.py).
# Usage: scripts/bench-python.sh [N]   (RUNS=n runs each, default 3; BUILD_DIR=…
# to use an existing build with the Python module, default build-bench, Release)
# Work files: /tmp/yoshiki-bench-python (data/, files.txt, result.json).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
work=/tmp/yoshiki-bench-python
build="${BUILD_DIR:-$root/build-bench}"
mkdir -p "$work"
if [ ! -x "$build/bin/yoshiki" ] || ! ls "$build"/python/yoshiki/_yoshiki*.so >/dev/null 2>&1; then
  echo "== building yoshiki (Release) with the Python module in $build"
  BUILD_DIR="$build" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF \
    -DYOSHIKI_PYTHON=ON >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; exit 1; }
fi
echo "== generating $n files in $work/data"
/usr/bin/python3 "$root/bench/validate/make_data.py" "$n" "$work/data"
(cd "$work/data" && LC_ALL=C ls | grep '\.xml$' | sed "s|^|$work/data/|") >"$work/files.txt"
PYTHONPATH="$build/python" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 "$root/bench/python/bench_python.py" \
  --yoshiki "$build/bin/yoshiki" --list "$work/files.txt" --runs "${RUNS:-3}" --json "$work/result.json"
