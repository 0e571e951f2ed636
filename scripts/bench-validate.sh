#!/usr/bin/env bash
# Validation benchmark (not a test): yoshiki validate (XSD + business rules) over N
# generated 受講申込書 files, beside xmllint --schema (XSD only) and Python lxml
# (XMLSchema, and XMLSchema + isoschematron with the same rules as ISO Schematron),
# all measured in ONE hyperfine run so that the ratios are comparable.
# Usage: scripts/bench-validate.sh [N]   (default 10000; RUNS=n for hyperfine runs, default 5)
# Needs: python3-lxml libxml2-utils hyperfine (installed with apt-get when missing).
# Work files: /tmp/yoshiki-bench-validate (data/, files.txt, hyperfine.json, cross-check inputs).
# yoshiki reads schemas/, templates/ and fonts/ at start-up, so they are copied to
# $work/resources first and every tool uses that frozen copy: edits made in the
# working tree while the benchmark runs cannot change (or break) the figures.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
runs="${RUNS:-5}"
work=/tmp/yoshiki-bench-validate
data="$work/data"
build="$root/build-bench"
yoshiki="$build/bin/yoshiki"
py=/usr/bin/python3   # Debian's Python, for python3-lxml
bench="$root/bench/validate"
res="$work/resources"
xsd="$res/schemas/jukou-moushikomi.xsd"
today=2026-01-01

# 1. Debian packages (idempotent).
missing=()
for p in python3-lxml libxml2-utils hyperfine; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
    { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# 2. yoshiki, Release.
echo "== building yoshiki (Release) in $build"
mkdir -p "$work"
BUILD_DIR="$build" "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=Release -DYOSHIKI_TESTS=OFF >"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log"; exit 1; }

# 3. Frozen resources, data and the Schematron copy of the rules.
snapshot() {
  rm -rf "$res" && mkdir -p "$res" && cp -r "$root/schemas" "$root/templates" "$root/fonts" "$res/"
}
yv() { "$yoshiki" --resources "$res" validate "$@" --jsonl --no-progress --today "$today"; }
for attempt in 1 2 3; do  # a copy taken in the middle of someone's edit may not load
  snapshot
  if yv "$root/samples/jukou-moushikomi/complete.xml" >/dev/null 2>"$work/start.err"; then break; fi
  if [ "$attempt" -eq 3 ]; then
    echo "yoshiki does not start with the resources of the working tree:"; cat "$work/start.err"; exit 1
  fi
  sleep 10
done
echo "== generating $n files in $data"
"$py" "$bench/make_data.py" "$n" "$data"
(cd "$data" && LC_ALL=C ls | grep '\.xml$' >"$work/files.txt")
sch="$bench/jukou-moushikomi.sch"
"$py" "$bench/make_sch.py" --today "$today" "$work/jukou-moushikomi.sch"
if ! cmp -s "$sch" "$work/jukou-moushikomi.sch"; then
  echo "note: bench/validate/jukou-moushikomi.sch is out of date (run bench/validate/make_sch.py); using a fresh copy"
  sch="$work/jukou-moushikomi.sch"
fi
# xmllint takes no file list: xargs with a large -s so that ONE xmllint process gets every file.
xargs_s=$(($(getconf ARG_MAX) / 2))
xmllint_procs=$(cd "$data" && xargs -s "$xargs_s" -a "$work/files.txt" echo | wc -l)

# 4. Correctness cross-check (not timed): files invalid for yoshiki vs lxml + Schematron.
echo "== cross-check"
(cd "$data" && { yv . >"$work/yoshiki.jsonl" || true; })
if ! tail -n 1 "$work/yoshiki.jsonl" | grep -q "\"files\":$n,"; then
  echo "yoshiki validate did not check $n files:"; tail -n 3 "$work/yoshiki.jsonl"; exit 1
fi
(cd "$data" && { "$py" "$bench/lxml_validate.py" --xsd "$xsd" --sch "$sch" --report "$work/lxml.tsv" \
  --files-from "$work/files.txt" 2>/dev/null || true; })
crosscheck_rc=0
"$py" "$bench/crosscheck.py" "$work/yoshiki.jsonl" "$work/lxml.tsv" "$data/manifest.tsv" || crosscheck_rc=$?

# 5. One hyperfine run, every tool over the same files (relative names, run from $data).
echo "== hyperfine: warmup 1, $runs runs each, $(nproc) cores; $xmllint_procs xmllint process(es)"
cd "$data"
hyperfine -N -i --warmup 1 --runs "$runs" --style basic --export-json "$work/hyperfine.json" \
  -n "yoshiki validate (all cores)" "$yoshiki --resources $res validate . --jsonl --no-progress --today $today" \
  -n "yoshiki validate -j 1" "$yoshiki --resources $res validate . --jsonl --no-progress --today $today -j 1" \
  -n "xmllint --schema (XSD only)" "xargs -s $xargs_s -a $work/files.txt xmllint --noout --schema $xsd" \
  -n "lxml XMLSchema (XSD only)" "$py $bench/lxml_validate.py --xsd-only --xsd $xsd --files-from $work/files.txt" \
  -n "lxml XMLSchema + isoschematron" "$py $bench/lxml_validate.py --xsd $xsd --sch $sch --files-from $work/files.txt" \
  >"$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log"; exit 1; }
grep -E '^(Benchmark|  Time|  Range)' "$work/hyperfine.log" || true

# 6. Table and targets.
"$py" - "$work/hyperfine.json" "$n" <<'EOF'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2])
med = {r["command"]: r["median"] for r in res}
y = med["yoshiki validate (all cores)"]
y1 = med["yoshiki validate -j 1"]
# exit status 1 (xargs: 123) = some file invalid, as expected for this corpus; anything else is a failure
for r in res:
    bad = sorted(set(r.get("exit_codes", [])) - {0, 1, 123})
    if bad:
        print("WARNING: %s exited with %s: its time is not a validation time" % (r["command"], bad))
print()
# cpu s (user + system, mean of the runs) stays comparable on a loaded machine, where wall times do not.
print("%-32s %10s %10s %14s %6s %7s" % ("tool (%d files, one run)" % n, "median s", "files/s", "× yoshiki time", "cores",
                                        "cpu s"))
for r in res:
    m = r["median"]
    cpu = r["user"] + r["system"]
    print("%-32s %10.3f %10.0f %14.2f %6.2f %7.3f" % (r["command"], m, n / m, m / y, cpu / r["mean"], cpu))
allc = [r for r in res if r["command"] == "yoshiki validate (all cores)"][0]
if (allc["user"] + allc["system"]) / allc["mean"] < 1.3 and len(__import__("os").sched_getaffinity(0)) > 1:
    print("WARNING: 'all cores' ran on about one core (the machine's other cores were busy or unavailable);"
          " re-run on a quiet machine")
lx, xl = med["lxml XMLSchema + isoschematron"], med["xmllint --schema (XSD only)"]
print()
print("target 1: >= 10x lxml+Schematron:        %.1fx (all cores), %.1fx (-j 1)  -> %s"
      % (lx / y, lx / y1, "MET" if lx / y >= 10 else "NOT MET"))
print("target 2: <= 1.3x xmllint XSD-only time: %.2fx (all cores), %.2fx (-j 1) -> %s"
      % (y / xl, y1 / xl, "MET" if y / xl <= 1.3 else "NOT MET"))
EOF
if [ "$crosscheck_rc" -ne 0 ]; then echo "cross-check: yoshiki and lxml+Schematron DISAGREE (see above)"; fi
