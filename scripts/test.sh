#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds twice — once
# optimised, once with AddressSanitizer + UndefinedBehaviorSanitizer — and
# runs every test (unit, end-to-end PDF checks, golden renders, CLI, hostile
# PDFs, fuzz-crash replays) in both, then fuzzes each target briefly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
# pdf.js (npm pdfjs-dist) fills forms in the round-trip test; it needs Node >= 20.19.
if command -v npm >/dev/null 2>&1; then
  (cd "$root/tests/roundtrip" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) ||
    echo "test.sh: npm install failed; the pdf.js round trip will report itself skipped"
fi
# Options are given explicitly: build/ may hold a cache from run-main.sh (tests off).
BUILD_DIR="$root/build" "$root/scripts/build.sh" -DYOSHIKI_SANITIZE=OFF -DYOSHIKI_TESTS=ON
(cd "$root/build" && ctest --output-on-failure --no-tests=error)
BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DYOSHIKI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DYOSHIKI_TESTS=ON -DYOSHIKI_BENCH=OFF
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --no-tests=error)
# A short fuzzing pass (libFuzzer, clang, ASan+UBSan): each target for
# FUZZ_SECONDS (default 20); any crash fails the run. Longer runs: scripts/fuzz.sh.
"$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"
