#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, everything under
# ASan+UBSan) and runs each for a bounded time: scripts/fuzz.sh [SECONDS]
# (default 60 per target; FUZZ_TARGETS="pdf data" picks targets). Corpora grow in build-fuzz/corpus/<target>
# from seeds (samples, templates, rule files, PDFs rendered from the samples,
# the hostile catalogue). A crash is kept in build-fuzz/crashes/<target>/ and
# fails the run: minimise it, commit it under tests/fuzz/<target>/ (replayed
# by the normal test suite) and fix the bug.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
targets=(${FUZZ_TARGETS:-data pdf template rules wareki})

CC=clang CXX=clang++ BUILD_DIR="$build" nice "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DYOSHIKI_FUZZ=ON -DYOSHIKI_TESTS=OFF -DYOSHIKI_BENCH=OFF

corpus="$build/corpus" crashes="$build/crashes"
mkdir -p "$corpus"/{data,pdf,template,rules,wareki}
cp -n "$root"/samples/jukou-moushikomi/*.xml "$root"/samples/jukou-moushikomi/rules/*.xml "$corpus/data/"
cp -n "$root"/templates/*.xml "$corpus/template/"
cp -n "$root"/schemas/*.rules.xml "$corpus/rules/"
cp -n "$root"/fuzz/seeds/wareki/* "$corpus/wareki/"
cp -n "$root"/tests/hostile/files/* "$corpus/pdf/" 2>/dev/null || true
# PDF seeds: every sample rendered fillable (fields + attached data) and flat, and a blank form.
yoshiki="$build/bin/yoshiki"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
if [ ! -e "$corpus/pdf/blank.pdf" ]; then
  for f in "$root"/samples/jukou-moushikomi/*.xml; do
    n="$(basename "$f" .xml)"
    "$yoshiki" render jukou-moushikomi "$f" --fillable --typing-font none \
      --creation-date 2024-04-01T00:00:00Z -o "$corpus/pdf/$n-fillable.pdf"
    "$yoshiki" render jukou-moushikomi "$f" --creation-date 2024-04-01T00:00:00Z -o "$corpus/pdf/$n-flat.pdf"
  done
  "$yoshiki" render jukou-moushikomi --typing-font none --creation-date 2024-04-01T00:00:00Z -o "$corpus/pdf/blank.pdf"
fi

status=0
for t in "${targets[@]}"; do
  mkdir -p "$crashes/$t"
  log="$build/fuzz-$t.log"
  # -rss_limit_mb: a real blow-up (the in-process PDF parser has no memory
  # bound of its own; validate and extract isolate it in worker processes).
  nice "$build/bin/fuzz_$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/$t/" "$corpus/$t" >"$log" 2>&1 || true
  execs="$(awk '/stat::number_of_executed_units/ {s+=$2} END {print s+0}' "$log")"
  # PoDoFo's unbounded object-stream inflation and any hang inside it are
  # contained by worker isolation: for the pdf target, oom and timeout
  # artefacts are reported but do not fail the run. Everything else does.
  contained=()
  [ "$t" = pdf ] && contained=(-not -name 'oom-*' -not -name 'timeout-*' -not -name 'slow-unit-*')
  failing="$(find "$crashes/$t" -type f "${contained[@]}" | wc -l)"
  kept="$(find "$crashes/$t" -type f | wc -l)"
  echo "fuzz: $t: $execs executions in ${seconds}s, corpus $(ls "$corpus/$t" | wc -l), artefacts $kept, failing $failing"
  if [ "$failing" -ne 0 ] || [ "$execs" -eq 0 ]; then status=1; fi
done
[ "$status" -eq 0 ] || echo "fuzz: FAILED — see $build/fuzz-*.log and $crashes/"
exit "$status"
