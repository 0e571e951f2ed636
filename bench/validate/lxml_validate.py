#!/usr/bin/python3
"""Peer validator for the benchmark (scripts/bench-validate.sh): lxml XMLSchema
(schemas/jukou-moushikomi.xsd) + lxml.isoschematron (bench/validate/
jukou-moushikomi.sch, the rules JK-001 … JK-013 as ISO Schematron) over all
files, in one process: parse each file, XMLSchema.validate, Schematron.validate.
A file is invalid if the XSD fails or a Schematron assert with role="E" fails
(role="W" asserts are yoshiki's warnings and do not make a file invalid).
Call it with Debian's python3-lxml: /usr/bin/python3.

usage: lxml_validate.py [--xsd-only|--sch-only] [--xsd XSD] [--sch SCH] [--report TSV] [--files-from LIST] [FILE...]
  --xsd XSD          the data schema (default: schemas/jukou-moushikomi.xsd)
  --sch SCH          the Schematron (default: jukou-moushikomi.sch next to this script)
  --files-from LIST  read file names from LIST, one a line (no command-line limit)
  --report TSV       write file, valid (1/0), failed rule ids (XSD, JK-nnn …) per file
With no files: startup only (import + compile both schemas).
"""
import os
import sys
import time

from lxml import etree, isoschematron

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def main(args):
    mode, report, files = "--both", None, []
    sch_path = os.path.join(HERE, "jukou-moushikomi.sch")
    xsd_path = os.path.join(ROOT, "schemas", "jukou-moushikomi.xsd")
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a in ("--xsd-only", "--sch-only", "--both"):
            mode = a
        elif a == "--xsd":
            xsd_path = args.pop(0)
        elif a == "--sch":
            sch_path = args.pop(0)
        elif a == "--report":
            report = args.pop(0)
        elif a == "--files-from":
            with open(args.pop(0), encoding="utf-8") as f:
                files += [line.rstrip("\n") for line in f if line.strip()]
        else:
            sys.exit(__doc__)
    files += args
    do_xsd, do_sch = mode != "--sch-only", mode != "--xsd-only"
    xsd = etree.XMLSchema(etree.parse(xsd_path)) if do_xsd else None
    sch = None
    if do_sch:
        sch = isoschematron.Schematron(
            etree.parse(sch_path),
            store_report=report is not None,
            error_finder=etree.XPath("//svrl:failed-assert[@role = 'E']", namespaces=SVRL))
    out = open(report, "w", encoding="utf-8") if report else None
    t0 = time.perf_counter()
    ok = bad = 0
    for f in files:
        why = []
        try:
            doc = etree.parse(f)
        except (etree.XMLSyntaxError, OSError):
            doc = None
            why.append("XML")
        if doc is not None:
            if do_xsd and not xsd.validate(doc):
                why.append("XSD")
            if do_sch and not sch.validate(doc):
                why.append("SCH")
        if why:
            bad += 1
        else:
            ok += 1
        if out:
            if "SCH" in why:  # name the yoshiki rule ids (assert ids are JK-nnn-x)
                why.remove("SCH")
                why += sorted({a.get("id")[:6] for a in sch.validation_report.xpath(
                    "//svrl:failed-assert[@role = 'E']", namespaces=SVRL)})
            out.write("%s\t%d\t%s\n" % (f, not why, " ".join(why)))
    if out:
        out.close()
    if files:
        dt = time.perf_counter() - t0
        print("lxml %s files=%d valid=%d invalid=%d loop %.3fs -> %.0f files/s"
              % (mode, len(files), ok, bad, dt, len(files) / dt), file=sys.stderr)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
