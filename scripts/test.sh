#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds twice — once
# optimised, once with AddressSanitizer + UndefinedBehaviorSanitizer — and
# runs every test (unit, end-to-end PDF checks, golden renders, CLI) in both.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
BUILD_DIR="$root/build" "$root/scripts/build.sh" -DYOSHIKI_SANITIZE=OFF
(cd "$root/build" && ctest --output-on-failure)
BUILD_DIR="$root/build-asan" "$root/scripts/build.sh" -DYOSHIKI_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DYOSHIKI_BENCH=OFF
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure)
