#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds twice — once
# optimised, once with AddressSanitizer + UndefinedBehaviorSanitizer — and
# runs every test (unit, end-to-end PDF checks, golden renders, CLI, hostile
# PDFs, fuzz-crash replays) in both, runs the [threads] unit tests under
# ThreadSanitizer, then fuzzes each target briefly.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
# pdf.js (npm pdfjs-dist) fills forms in the round-trip test; it needs Node >= 20.19.
if command -v npm >/dev/null 2>&1; then
  (cd "$root/tests/roundtrip" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) ||
    echo "test.sh: npm install failed; the pdf.js round trip will report itself skipped"
fi
# playwright-core drives the system's chromium in the serve_browser test.
if command -v npm >/dev/null 2>&1; then
  (cd "$root/tests/serve" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) ||
    echo "test.sh: npm install in tests/serve failed; serve_browser will fail"
fi
# Options are given explicitly: build/ may hold a cache from run-main.sh (tests off).
BUILD_DIR="$root/build" "$root/scripts/build.sh" -DYOSHIKI_SANITIZE=OFF -DYOSHIKI_TESTS=ON
(cd "$root/build" && ctest --output-on-failure --no-tests=error)
BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DYOSHIKI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
  -DYOSHIKI_TESTS=ON -DYOSHIKI_BENCH=OFF
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --no-tests=error)
# Threads: the tests that share an Engine, a FormData or a bulk run's pool
# between threads ("[threads]"), under ThreadSanitizer. setarch -R: gcc 12's
# TSan cannot map its shadow memory under some kernels' ASLR settings.
cmake -S "$root" -B "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYOSHIKI_TSAN=ON \
  -DYOSHIKI_TESTS=ON -DYOSHIKI_BENCH=OFF >/dev/null
cmake --build "$root/build-tsan" -j "$(nproc)" --target yoshiki_unit_tests
TSAN_OPTIONS="halt_on_error=1 exitcode=66" setarch "$(uname -m)" -R \
  "$root/build-tsan/tests/yoshiki_unit_tests" "[threads]"
# A short fuzzing pass (libFuzzer, clang, ASan+UBSan): each target for
# FUZZ_SECONDS (default 20); any crash fails the run. Longer runs: scripts/fuzz.sh.
"$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"
