#!/usr/bin/python3
"""Cross-check for the validation benchmark: which files yoshiki reports invalid
(an E-severity issue: XSD or rule) against which files lxml XMLSchema +
isoschematron (lxml_validate.py --report) reports invalid, and both against the
defect make_data.py planted (manifest.tsv).

usage: crosscheck.py YOSHIKI.jsonl LXML.tsv MANIFEST.tsv
Prints the agreement count, then every disagreement with both tools' reasons.
Exit status 0 if the tools agree on every file, 1 otherwise.
"""
import collections
import json
import os
import sys


def norm(path):
    return os.path.normpath(path)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    yosh = {}
    with open(argv[0], encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            if "file" not in j:
                continue
            errors = sorted({i["rule"] for i in j["issues"] if i["severity"] == "E"})
            errors = ["XSD" if e == "xsd" else e for e in errors]
            yosh[norm(j["file"])] = (not j["valid"], errors)
    lx = {}
    with open(argv[1], encoding="utf-8") as f:
        for line in f:
            name, valid, why = line.rstrip("\n").split("\t")
            lx[norm(name)] = (valid == "0", why.split())
    planted = {}
    with open(argv[2], encoding="utf-8") as f:
        next(f)
        for line in f:
            name, defect = line.rstrip("\n").split("\t")
            planted[norm(name)] = defect

    files = sorted(set(yosh) | set(lx))
    agree = sum(1 for n in files if n in yosh and n in lx and yosh[n][0] == lx[n][0])
    both_bad = sum(1 for n in files if yosh.get(n, (0,))[0] and lx.get(n, (0,))[0])
    same_rules = sum(1 for n in files if n in yosh and n in lx and yosh[n][0] and lx[n][0] and yosh[n][1] == lx[n][1])
    print("cross-check: %d files; yoshiki invalid %d, lxml+Schematron invalid %d; agree on %d/%d valid/invalid"
          " verdicts (%d invalid by both, %d of them with the same rule ids)"
          % (len(files), sum(v[0] for v in yosh.values()), sum(v[0] for v in lx.values()),
             agree, len(files), both_bad, same_rules))

    # planted defects: detected by each tool, and by the intended rule?
    missed = collections.Counter()
    kinds = collections.Counter()
    for n, d in planted.items():
        if d == "-":
            continue
        kinds[d] += 1
        rule = d.split(":")[0]
        for tool, res in (("yoshiki", yosh), ("lxml", lx)):
            bad, why = res.get(n, (False, []))
            if not bad or rule not in why:
                missed[(tool, d)] += 1
    print("planted defects: %d files, %d kinds; missed (not reported under the planted rule): %s"
          % (sum(kinds.values()), len(kinds),
             ", ".join("%s %s ×%d" % (t, d, c) for (t, d), c in sorted(missed.items())) or "none"))
    clean_flagged = [n for n, d in planted.items() if d == "-" and (yosh.get(n, (0,))[0] or lx.get(n, (0,))[0])]
    if clean_flagged:
        print("files without a planted defect reported invalid: %d (e.g. %s)" % (len(clean_flagged), clean_flagged[:5]))

    dis = [n for n in files if n not in yosh or n not in lx or yosh[n][0] != lx[n][0]]
    for n in dis[:50]:
        print("  DISAGREE %s planted=%s yoshiki=%s %s lxml=%s %s"
              % (n, planted.get(n, "?"), "invalid" if yosh.get(n, (0,))[0] else "valid", yosh.get(n, (0, []))[1],
                 "invalid" if lx.get(n, (0,))[0] else "valid", lx.get(n, (0, []))[1]))
    if len(dis) > 50:
        print("  … %d more disagreements" % (len(dis) - 50))
    return 0 if not dis else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
