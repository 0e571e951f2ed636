#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time:
#   scripts/fuzz.sh [SECONDS]          each target for SECONDS (default 60)
# Environment:
#   FUZZ_TARGETS="pdf data"   targets to run (default: all seven)
#   FUZZ_RUNS=N               stop each target after N executions instead of SECONDS
#   FUZZ_SANITIZERS=undefined sanitizers of the fuzz build (default address,undefined).
#       Long runs use "undefined" alone — 3–8× the executions per second —
#       and then replay the whole corpus through the ASan+UBSan build, so an
#       input that reads out of bounds still fails the run.
#   FUZZ_BUILD_DIR            build folder (default build-fuzz, or build-fuzz-ubsan)
#   FUZZ_MAX_LEN=N            longest input (default: 70000 for pdf and pdf_lexer, libFuzzer's
#       own otherwise). A long run of the tokenizer uses 4096: its states
#       (strings, names, comments, streams, nesting) all fit, at ~100× the speed.
# Corpora grow in <build>/corpus/<target> from seeds: samples of every form,
# templates, rule files, the hostile catalogue, and PDFs rendered from a
# sample of every form (fillable, flat, blank) plus slim copies of the
# fillable ones (fuzz/slim_pdf.py: streams emptied, plain and with object
# streams) that keep the PDF target's inputs small. A crash is kept in
# <build>/crashes/<target>/ and fails the run: minimise it, commit it under
# tests/fuzz/<target>/ (replayed by the normal test suite) and fix the bug.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
sanitizers="${FUZZ_SANITIZERS:-address,undefined}"
asan_build="$root/build-fuzz"
if [ "$sanitizers" = "address,undefined" ]; then default_build="$asan_build"; else default_build="$root/build-fuzz-ubsan"; fi
build="${FUZZ_BUILD_DIR:-$default_build}"
targets=(${FUZZ_TARGETS:-data pdf pdf_lexer pdf_objects template rules wareki})

build_fuzz() {  # build_fuzz DIR SANITIZERS
  CC=clang CXX=clang++ BUILD_DIR="$1" nice "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DYOSHIKI_FUZZ=ON -DYOSHIKI_TESTS=OFF -DYOSHIKI_BENCH=OFF -DYOSHIKI_FUZZ_SANITIZERS="$2"
}
build_fuzz "$build" "$sanitizers"

corpus="$build/corpus" crashes="$build/crashes"
mkdir -p "$corpus"/{data,pdf,pdf_lexer,pdf_objects,template,rules,wareki}
cp -n "$root"/samples/*/*.xml "$root"/samples/*/rules/*.xml "$corpus/data/" 2>/dev/null || true
cp -n "$root"/templates/*.xml "$corpus/template/"
cp -n "$root"/schemas/*.rules.xml "$corpus/rules/"
cp -n "$root"/fuzz/seeds/wareki/* "$corpus/wareki/"
cp -n "$root"/fuzz/seeds/pdf_objects/* "$corpus/pdf_objects/"
# The two deep-nesting files are 200–800 KB and are refused by a byte scan:
# the replay test covers them; as seeds they would only slow every execution.
find "$root/tests/hostile/files" -type f ! -name 'deep-*' -exec cp -n {} "$corpus/pdf/" \;
# Dictionaries for libFuzzer, made from the schemas so that they follow the
# forms: element and attribute names of the XSDs (PoDoFo and libxml2 are not
# instrumented, so the fuzzer cannot learn the names from their comparisons),
# enumerated values, and the y: functions the rule files call.
dicts="$build/dicts"
mkdir -p "$dicts"
make_dict() {  # make_dict OUT XSD... : tokens of the schemas, one "…" per line
  local out="$1"
  shift
  {
    grep -oh '<xs:element name="[^"]*"' "$@" | sed 's/.*name="\(.*\)"/"<\1>"\n"<\/\1>"/'
    grep -oh '<xs:attribute name="[^"]*"' "$@" | sed 's/.*name="\(.*\)"/" \1=\\""/'
    grep -oh '<xs:enumeration value="[^"]*"' "$@" | sed 's/.*value="\(.*\)"/"\1"/'
  } | grep -v '^""$' | sort -u |
    perl -pe 's/([^\x20-\x7e\n])/sprintf("\\x%02X", ord($1))/ge' >"$out"  # libFuzzer: bytes as \xNN
}
make_dict "$dicts/data" $(ls "$root"/schemas/*.xsd | grep -v -e template.xsd -e rules.xsd)
make_dict "$dicts/template" "$root/schemas/template.xsd" "$root"/schemas/fields/*.xsd
make_dict "$dicts/rules" "$root/schemas/rules.xsd"
grep -oh 'y:[a-z-]*(' "$root"/schemas/*.rules.xml | sort -u | sed 's/.*/"&"/' >>"$dicts/rules"
cp "$root/fuzz/pdf.dict" "$dicts/pdf"  # PDF syntax: written by hand
cp "$root/fuzz/pdf.dict" "$dicts/pdf_lexer"
cp "$root/fuzz/pdf.dict" "$dicts/pdf_objects"
yoshiki="$build/bin/yoshiki"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
# Leaks allocated inside PoDoFo or poppler (not instrumented, not ours to fix) are
# suppressed: validate and extract parse PDFs in worker processes that exit
# or retire, which bounds them. A leak found this way once was a way past the
# encryption pre-check (tests/fuzz/pdf/encrypt-after-unbalanced-hex.pdf):
# the replay test, which runs without this list, keeps such inputs covered.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}"
if [ ! -e "$corpus/pdf/blank.pdf" ]; then
  date=(--creation-date 2024-04-01T00:00:00Z)
  for sample in jukou-moushikomi/complete dounyu-shien/complete koyou-joukyou/employed \
    shitsugyo-nintei/regular; do
    form="${sample%%/*}" f="$root/samples/$sample.xml" out="$corpus/pdf/$form"
    "$yoshiki" render "$form" "$f" --fillable --typing-font none "${date[@]}" -o "$out-fillable.pdf"
    "$yoshiki" render "$form" "$f" "${date[@]}" -o "$out-flat.pdf"
    if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pypdf' 2>/dev/null; then
      /usr/bin/python3 "$root/fuzz/slim_pdf.py" "$out-fillable.pdf" "$out-slim.pdf"
      qpdf --object-streams=generate "$out-slim.pdf" "$out-slim-objstm.pdf" || true
    fi
  done
  "$yoshiki" render jukou-moushikomi --typing-font none "${date[@]}" -o "$corpus/pdf/blank.pdf"
fi
# The tokenizer of the pre-checks starts from the PDF target's seeds.
cp -n "$corpus"/pdf/* "$corpus/pdf_lexer/" 2>/dev/null || true

status=0
for t in "${targets[@]}"; do
  mkdir -p "$crashes/$t"
  log="$build/fuzz-$t.log"
  limit=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
  extra=()
  # Mutants of the 100–200 KB rendered PDFs would dominate the time; the
  # slim seeds carry the same field trees in 20–70 KB.
  [ "$t" = pdf ] || [ "$t" = pdf_lexer ] && extra=(-max_len=70000)
  [ -n "${FUZZ_MAX_LEN:-}" ] && extra=(-max_len="$FUZZ_MAX_LEN")
  [ -s "$dicts/$t" ] && extra+=(-dict="$dicts/$t")
  # -rss_limit_mb: a real blow-up (the in-process PDF parser has no memory
  # bound of its own; validate and extract isolate it in worker processes).
  nice "$build/bin/fuzz_$t" "${limit[@]}" "${extra[@]}" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/$t/" "$corpus/$t" >"$log" 2>&1 || true
  execs="$(awk '/stat::number_of_executed_units/ {s+=$2} END {print s+0}' "$log")"
  # PoDoFo's unbounded object-stream inflation and any hang inside it are
  # contained by worker isolation: for the pdf target, oom and timeout
  # artefacts are reported but do not fail the run. Everything else does.
  contained=()
  [ "$t" = pdf ] && contained=(-not -name 'oom-*' -not -name 'timeout-*' -not -name 'slow-unit-*')
  failing="$(find "$crashes/$t" -type f "${contained[@]}" | wc -l)"
  kept="$(find "$crashes/$t" -type f | wc -l)"
  echo "fuzz: $t: $execs executions ($sanitizers), corpus $(ls "$corpus/$t" | wc -l), artefacts $kept, failing $failing"
  if [ "$failing" -ne 0 ] || [ "$execs" -eq 0 ]; then status=1; fi
done

# A corpus grown without ASan is replayed once through the ASan+UBSan build.
if [ "$sanitizers" != "address,undefined" ]; then
  build_fuzz "$asan_build" "address,undefined"
  for t in "${targets[@]}"; do
    log="$build/replay-asan-$t.log"
    if "$asan_build/bin/fuzz_$t" -runs=0 -timeout=60 -rss_limit_mb=4096 \
      -artifact_prefix="$crashes/$t/asan-" "$corpus/$t" >"$log" 2>&1; then
      echo "fuzz: $t: corpus of $(ls "$corpus/$t" | wc -l) replayed under ASan+UBSan: clean"
    else
      echo "fuzz: $t: ASan+UBSan replay FAILED — see $log"
      status=1
    fi
  done
fi
[ "$status" -eq 0 ] || echo "fuzz: FAILED — see $build/fuzz-*.log and $crashes/"
exit "$status"
