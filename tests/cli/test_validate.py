#!/usr/bin/python3
"""`yoshiki validate`: exit codes (0 all valid, 1 any invalid or unreadable,
2 usage or I/O), the JSON and JSON Lines reports, paths from stdin, folders
with a broken file among good ones, and the human report in Japanese and
English, which must never print personal data (values, names, birth dates,
addresses) from the files it checks."""
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args, run as run_cmd  # noqa: E402

TODAY = "2026-01-01"
WARNING_RULES = {"JK-004", "JK-012", "JK-013"}
INFO_RULES = {"JK-015"}


def main():
    a = parse_args(__doc__)
    y = a.yoshiki
    samples = os.path.join(a.root, "samples", "jukou-moushikomi")
    rules_dir = os.path.join(samples, "rules")
    top = sorted(os.path.join(samples, f) for f in os.listdir(samples) if f.endswith(".xml"))
    rule_files = sorted(os.path.join(rules_dir, f) for f in os.listdir(rules_dir) if f.endswith(".xml"))
    check(len(top) == 4, f"four top-level samples, found {len(top)}")
    check(len(rule_files) == 30, f"30 rule samples, found {len(rule_files)}")

    def run(*args, stdin=None):
        return run_cmd([y, "validate", *args, "--today", TODAY, "--no-progress"], input=stdin, timeout=60)

    def parse_json(r, what):
        try:
            return json.loads(r.stdout)
        except ValueError as e:
            check(False, f"{what}: output is not JSON ({e}): {r.stdout[:300]!r}")
            return None

    # --- exit codes -------------------------------------------------------------
    r = run(*top)
    check(r.returncode == 0, f"four samples exit 0, got {r.returncode}: {r.stdout} {r.stderr}")
    check("\033[" not in r.stdout and "\033[" not in r.stderr, "no colour or progress bar when not a TTY")
    r = run(rules_dir)
    check(r.returncode == 1, f"rules folder exits 1, got {r.returncode}")
    for f in rule_files:
        check(f in r.stdout, f"rules folder report names {f}")
    r = run(os.path.join(rules_dir, "JK-004-fail.xml"))
    check(r.returncode == 0, f"a warning only (JK-004) exits 0, got {r.returncode}")
    r = run(os.path.join(rules_dir, "JK-001-fail.xml"))
    check(r.returncode == 1, f"an error (JK-001) exits 1, got {r.returncode}")

    missing = os.path.join(a.out, "no-such-file.xml")
    r = run(top[0], missing)
    check(r.returncode == 2 and missing in r.stdout, f"nonexistent path exits 2 naming it: {r.returncode} {r.stdout}")
    check(top[0] in r.stdout, f"the other file is validated when a path does not exist: {r.stdout!r}")
    r = run_cmd([y, "validate", top[0], "--today", "2024-02-30"], timeout=60)
    check(r.returncode == 2 and "2024-02-30" in r.stderr, f"a bad --today exits 2: {r.returncode} {r.stderr}")
    r = run_cmd([y, "validate", top[0], "--lang", "fr"], timeout=60)
    check(r.returncode == 2, f"--lang fr exits 2, got {r.returncode}")
    r = run_cmd([y, "validate", top[0], "--json", "--jsonl"], timeout=60)
    check(r.returncode == 2, f"--json with --jsonl exits 2, got {r.returncode}")
    r = run_cmd([y, "validate"], timeout=60)
    check(r.returncode == 2, f"validate without paths exits 2, got {r.returncode}")

    # --- --json -------------------------------------------------------------------
    r = run(rules_dir, "--json")
    check(r.returncode == 1, f"--json on the rules folder exits 1, got {r.returncode}")
    doc = parse_json(r, "--json")
    if doc is not None:
        files = doc.get("files")
        check(isinstance(files, list) and [f.get("file") for f in files] == rule_files,
              "--json files[] lists every file in sorted order")
        for f in files or []:
            name = os.path.basename(f.get("file", ""))
            for key in ("file", "form", "version", "valid", "issues"):
                check(key in f, f"--json {name}: key {key}")
            check(f.get("form") == "jukou-moushikomi" and f.get("version") == "1.0", f"--json {name}: form/version")
            rule_id = name[:6]
            issues = f.get("issues", [])
            for i in issues:
                for key in ("rule", "severity", "field", "line", "message"):
                    check(key in i, f"--json {name}: issue key {key}: {i}")
                msg = i.get("message", {})
                check(isinstance(msg, dict) and msg.get("ja") and msg.get("en"), f"--json {name}: message ja/en: {i}")
                check(i.get("severity") in ("E", "W", "I"), f"--json {name}: severity {i.get('severity')}")
                if i.get("severity") in ("E", "W"):
                    check(i.get("rule") == rule_id, f"--json {name}: only {rule_id} reported, got {i.get('rule')}")
                    check(isinstance(i.get("line"), int) and i["line"] > 0, f"--json {name}: line > 0")
                    check(str(i.get("field", "")).startswith("/courseApplication/"), f"--json {name}: field path")
                    check(msg.get("ja") != msg.get("en"), f"--json {name}: ja message differs from en")
            ew = [i for i in issues if i.get("severity") in ("E", "W")]
            if name.endswith("-fail.xml") and rule_id in INFO_RULES:
                check(ew == [] and [i.get("rule") for i in issues if i.get("severity") == "I"] == [rule_id],
                      f"--json {name}: reports {rule_id} as information only: {issues}")
                check(f.get("valid") is True, f"--json {name}: valid={f.get('valid')}")
            elif name.endswith("-fail.xml"):
                check(len(ew) >= 1, f"--json {name}: reports {rule_id}")
                check(f.get("valid") == (rule_id in WARNING_RULES), f"--json {name}: valid={f.get('valid')}")
            else:
                check(ew == [] and f.get("valid") is True, f"--json {name}: pass file is clean: {ew}")
        s = doc.get("summary", {})
        for key in ("files", "valid", "invalid", "unreadable", "per_rule"):
            check(key in s, f"--json summary key {key}")
        check((s.get("files"), s.get("valid"), s.get("invalid"), s.get("unreadable")) == (30, 19, 11, 0),
              f"--json summary counts: {s}")
        per_rule = s.get("per_rule", {})
        for n in range(1, 16):
            check(per_rule.get(f"JK-{n:03d}") == 1, f"--json per_rule JK-{n:03d}: {per_rule}")

    # -j 1 and -j 4 give the same report.
    r1, r4 = run(rules_dir, "--json", "-j", "1"), run(rules_dir, "--json", "-j", "4")
    check(r1.stdout == r4.stdout and r1.stdout, "-j 1 and -j 4 give identical --json output")

    # --- --jsonl -------------------------------------------------------------------
    r = run(rules_dir, "--jsonl")
    check(r.returncode == 1, f"--jsonl on the rules folder exits 1, got {r.returncode}")
    lines = r.stdout.splitlines()
    check(len(lines) == len(rule_files) + 1, f"--jsonl: one line per file plus a summary, got {len(lines)}")
    objs = []
    for ln in lines:
        try:
            objs.append(json.loads(ln))
        except ValueError:
            check(False, f"--jsonl line is not JSON: {ln[:200]!r}")
    if objs:
        check([o.get("file") for o in objs[:-1]] == rule_files, "--jsonl: a file object per file, in order")
        check(all("issues" in o and "valid" in o for o in objs[:-1]), "--jsonl: file objects carry issues and valid")
        check(list(objs[-1].keys()) == ["summary", "yoshiki"], f"--jsonl: last line is {{\"summary\": …, \"yoshiki\": …}}: {lines[-1]}")
        check(objs[-1].get("summary", {}).get("files") == len(rule_files), f"--jsonl summary: {lines[-1]}")

    # --- --files-from -: paths from stdin ----------------------------------------------
    picked = [top[0], os.path.join(rules_dir, "JK-011-fail.xml"), top[1]]
    r = run("--files-from", "-", "--jsonl", stdin="\n".join(picked) + "\n\n")
    objs = [json.loads(ln) for ln in r.stdout.splitlines() if ln.strip()]
    check([o.get("file") for o in objs[:-1]] == picked, f"'-' reads paths from stdin in order: {r.stdout[:300]}")
    check(r.returncode == 1, f"'-' with an invalid file exits 1, got {r.returncode}")
    r = run("--files-from", "-", stdin=top[0] + "\n")
    check(r.returncode == 0 and top[0] in r.stdout, f"'-' with one valid file exits 0: {r.returncode}")

    # --- a folder with one malformed file among good ones ------------------------------
    mixed = os.path.join(a.out, "mixed")
    os.makedirs(os.path.join(mixed, "sub"))
    good = []
    for i, src in enumerate(top):
        dst = os.path.join(mixed, "sub" if i == 3 else "", f"{i}-{os.path.basename(src)}")
        shutil.copy(src, dst)
        good.append(dst)
    broken = os.path.join(mixed, "1b-broken.xml")  # sorts between the good ones
    with open(broken, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n<courseApplication formId="jukou-moushikomi" formVersion="1.0">\n'
                '<applicationDate>2024-06-10\n</courseApplication>\n')
    with open(os.path.join(mixed, "notes.txt"), "w") as f:
        f.write("not XML, not *.xml: ignored\n")
    r = run(mixed, "--json")
    check(r.returncode == 1, f"folder with a malformed file exits 1, got {r.returncode}")
    doc = parse_json(r, "mixed folder")
    if doc is not None:
        by_file = {f.get("file"): f for f in doc.get("files", [])}
        check(set(by_file) == set(good) | {broken}, f"every file of the folder is reported: {sorted(by_file)}")
        b = by_file.get(broken, {})
        check(b.get("readable") is False and b.get("valid") is False, f"malformed file is unreadable: {b}")
        check(any(i.get("rule") == "xml.malformed" and i.get("line", 0) > 0 for i in b.get("issues", [])),
              f"malformed file has xml.malformed with a line: {b}")
        for g in good:
            check(by_file.get(g, {}).get("valid") is True, f"good file {g} still valid")
        s = doc.get("summary", {})
        check((s.get("files"), s.get("valid"), s.get("invalid"), s.get("unreadable")) == (5, 4, 0, 1),
              f"mixed folder summary: {s}")
    r = run(mixed, "--lang", "en")
    check(r.returncode == 1 and f"{broken}: unreadable" in r.stdout and all(f"{g}: valid" in r.stdout for g in good),
          f"human report of the mixed folder: {r.stdout}")

    # --- file names that are not UTF-8 (Shift_JIS, from a Windows archive) ---------------
    # The JSON reports stay JSON: such a name is written with U+FFFD for its
    # bytes, and fileHex gives the bytes themselves.
    sjis = os.fsencode(os.path.join(a.out, "sjis"))
    os.makedirs(sjis)
    good_raw = os.path.join(sjis, "申込書.xml".encode("shift_jis"))
    broken_raw = os.path.join(sjis, "壊れた申込書.xml".encode("shift_jis"))
    shutil.copy(top[0], good_raw)
    with open(broken, "rb") as src, open(broken_raw, "wb") as dst:
        dst.write(src.read())
    for fmt in ("--json", "--jsonl"):
        r = run(os.fsdecode(sjis), fmt)
        check(r.returncode == 1, f"{fmt}, Shift_JIS file names: exit {r.returncode}, want 1: {r.stderr}")
        try:
            files = (json.loads(r.stdout)["files"] if fmt == "--json"
                     else [json.loads(ln) for ln in r.stdout.splitlines()][:-1])
        except (ValueError, KeyError) as e:
            check(False, f"{fmt}, Shift_JIS file names: not a report ({e}): {r.stdout[:300]!r}")
            continue
        want = sorted([(broken_raw.hex(), False), (good_raw.hex(), True)])
        got = sorted((f.get("fileHex"), f.get("readable")) for f in files)
        check(got == want, f"{fmt}, Shift_JIS file names: (fileHex, readable) {got}, want {want}")
        check(all("\ufffd" in f.get("file", "") for f in files), f"{fmt}: file names with U+FFFD: {files}")
        check(all("fileHex" not in o for o in objs[:-1]), f"{fmt}: fileHex only for names that are not UTF-8")

    # --- the human report: rule ids and messages, never personal data -----------------
    rules_xml = ET.parse(os.path.join(a.root, "schemas", "jukou-moushikomi.rules.xml")).getroot()

    def messages(rule_id, lang):
        return [" ".join((m.text or "").split()) for r_ in rules_xml.iter("rule") if r_.get("id") == rule_id
                for m in r_.iter("message") if m.get("lang") == lang]

    def element(text, tag):
        m = re.search(rf"<{tag}>([^<]*)</{tag}>", text)
        return m.group(1) if m else None

    for rule_id, tag in (("JK-009", "phone"), ("JK-011", "nameKana")):
        path = os.path.join(rules_dir, f"{rule_id}-fail.xml")
        src = open(path, encoding="utf-8").read()
        personal = {t: element(src, t) for t in (tag, "name", "birthDate", "address", "nameKana", "phone")}
        check(all(personal.values()), f"{rule_id}: personal fields found in the sample: {personal}")
        personal["family name"] = personal["name"].split("\u3000")[0]
        y_, mo, d = personal["birthDate"].split("-")
        personal["birth date (compact)"] = f"{y_}{mo}{d}"
        personal["birth date (slashes)"] = f"{y_}/{mo}/{d}"
        personal["birth date (和暦)"] = "昭和33年11月3日"
        for lang in ("ja", "en"):
            r = run(path, "--lang", lang)
            out = r.stdout + r.stderr
            check(r.returncode == 1, f"{rule_id} --lang {lang} exits 1, got {r.returncode}")
            check(rule_id in r.stdout, f"{rule_id} --lang {lang}: the report names the rule: {r.stdout}")
            for what, value in personal.items():
                check(value not in out, f"{rule_id} --lang {lang}: the report must not print the {what} {value!r}")
            if lang == "ja":
                check("不備あり" in r.stdout, f"{rule_id} --lang ja: 不備あり: {r.stdout}")
                check(any(m in r.stdout for m in messages(rule_id, "ja")),
                      f"{rule_id} --lang ja: the Japanese message is printed: {r.stdout}")
            else:
                check("invalid" in r.stdout and "不備あり" not in r.stdout, f"{rule_id} --lang en: 'invalid': {r.stdout}")
                check(any(m in r.stdout for m in messages(rule_id, "en")),
                      f"{rule_id} --lang en: the English message is printed: {r.stdout}")
                check(not any(m in r.stdout for m in messages(rule_id, "ja")),
                      f"{rule_id} --lang en: no Japanese message: {r.stdout}")

    # XSD errors: libxml2's messages quote the offending value, and the human
    # report prints them as they are, so a malformed birth date is printed.
    src = open(os.path.join(samples, "complete.xml"), encoding="utf-8").read()
    leaky = os.path.join(a.out, "bad-birthdate.xml")
    with open(leaky, "w", encoding="utf-8") as f:
        f.write(src.replace("<birthDate>1958-11-03</birthDate>", "<birthDate>1958-11-31</birthDate>"))
    for lang in ("ja", "en"):
        r = run(leaky, "--lang", lang)
        check(r.returncode == 1 and "xsd" in r.stdout and "birthDate" in r.stdout,
              f"an impossible birth date is an XSD error: {r.returncode} {r.stdout}")
        check("1958-11-31" not in r.stdout,
                  f"human report (--lang {lang}) prints the birth date from an XSD message: "
                  + next((ln.strip() for ln in r.stdout.splitlines() if "1958-11-31" in ln), ""))

    # Filled PDFs are validated like their data: a valid one and a failing one.
    good_pdf = os.path.join(a.out, "complete.pdf")
    bad_pdf = os.path.join(a.out, "jk009-fail.pdf")
    subprocess.run([y, "render", "jukou-moushikomi", os.path.join(samples, "complete.xml"), "--fillable",
                    "-o", good_pdf], check=True)
    subprocess.run([y, "render", "jukou-moushikomi", os.path.join(rules_dir, "JK-009-fail.xml"), "--fillable",
                    "-o", bad_pdf], check=True)
    r = run(good_pdf, "--jsonl")
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    check(r.returncode == 0 and lines and lines[0].get("valid") is True and lines[0].get("form") == "jukou-moushikomi",
          f"a valid filled PDF validates: {r.returncode} {r.stdout[:300]}")
    r = run(bad_pdf, "--jsonl")
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    rules = [i["rule"] for i in lines[0]["issues"]] if lines else []
    check(r.returncode == 1 and "JK-009" in rules, f"a filled PDF breaking JK-009 reports it: {r.returncode} {rules}")
    pdf_dir = os.path.join(a.out, "pdfs")
    os.makedirs(pdf_dir, exist_ok=True)
    for p in (good_pdf, bad_pdf):
        shutil.copy(p, pdf_dir)
    with open(os.path.join(pdf_dir, "broken.pdf"), "wb") as fh:
        fh.write(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    r = run(pdf_dir, "--jsonl")
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    summary = lines[-1].get("summary", {}) if lines else {}
    check(r.returncode == 1 and summary.get("files") == 3 and summary.get("valid") == 1
          and summary.get("unreadable") == 1, f"a folder of PDFs, one broken: {summary}")

    return finish(f"validate checks: {len(failures)} failed")


if __name__ == "__main__":
    sys.exit(main())
