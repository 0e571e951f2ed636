#!/usr/bin/python3
"""`yoshiki report` end to end on samples/senior-program:

- the redacted CSV and XLSX (every file of the XLSX package, unpacked with
  zipfile) contain none of the sample persons' names, furigana, birth dates,
  postal codes, addresses, phone numbers, e-mail addresses or job-seeker
  numbers and card dates, in any plausible spelling (ISO, 和暦, slashes,
  digits only…); the unredacted export does contain them (so the search
  can fail);
- no personal value appears on stdout or stderr (human and JSON summary);
- the XLSX's cells, read from its XML with zipfile, equal the CSV export;
- LibreOffice (headless) converts the XLSX to CSV with the same cells;
- a filled PDF stands in for its data XML (read back as extract does);
- exit codes: 2 for a bad --as-of or a missing folder."""
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, era, failures, finish, parse_args, run as run_cmd, wareki  # noqa: E402


def date_spellings(iso):
    y, m, d = (int(p) for p in iso.split("-"))
    name, letter, ey, _, _ = era(iso)
    return {iso, f"{y}/{m}/{d}", f"{y}/{m:02}/{d:02}", f"{y}{m:02}{d:02}", f"{y}年{m}月{d}日",
            f"{y}.{m}.{d}", f"{y}.{m:02}.{d:02}",
            wareki(iso), f"{name}{ey}年{m:02}月{d:02}日", f"{letter}{ey}.{m}.{d}",
            f"{letter}{ey:02}.{m:02}.{d:02}", f"{name}{ey}/{m}/{d}"}


def spellings(kind, value):
    value = value.strip()
    if kind == "date":
        return date_spellings(value)
    out = {value}
    if kind in ("name", "address"):
        out |= {value.replace("\u3000", ""), value.replace("\u3000", " "), value.replace(" ", "")}
    if kind in ("phone", "postal"):
        out |= {value.replace("-", ""), value.replace("-", "ー"), value.replace("-", "－")}
    if kind == "email":
        out |= {value.lower()}
    return {s for s in out if s}


def personal_values(sample_dir):
    """(label, spelling) for every personal value of the samples."""
    values = set()
    fields = [("applicant/name", "name"), ("applicant/nameKana", "name"), ("applicant/birthDate", "date"),
              ("applicant/postalCode", "postal"), ("applicant/address", "address"), ("applicant/phone", "phone"),
              ("applicant/fax", "phone"), ("applicant/mobile", "phone"), ("applicant/email", "email"),
              ("helloWorkCard/issueDate", "date"), ("helloWorkCard/jobSeekerNumber/serial", "number"),
              ("name", "name")]  # 雇用状況確認事項 氏名
    for f in sorted(os.listdir(sample_dir)):
        if not f.endswith(".xml"):
            continue
        root = ET.parse(os.path.join(sample_dir, f)).getroot()
        for path, kind in fields:
            for el in root.findall(path):
                if el.text and el.text.strip():
                    for s in spellings(kind, el.text):
                        values.add((f"{path} of {f}", s))
        number = root.find("helloWorkCard/jobSeekerNumber")
        if number is not None:
            office, serial = number.findtext("office"), number.findtext("serial")
            for s in (f"{office}-{serial}", f"{office}{serial}", f"{office} {serial}"):
                values.add((f"job-seeker number of {f}", s))
    return values


def xlsx_texts(path):
    """Every file of the XLSX package as text."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def xlsx_grid(path, sheet="一覧表"):
    """Cells of one sheet, read from the package's XML (shared or inline strings)."""
    with zipfile.ZipFile(path) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                   for s in wb.find("m:sheets", NS) if s.get("name") == sheet)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
                shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
        ws = ET.fromstring(z.read("xl/" + target.lstrip("/").removeprefix("xl/")))
    grid = {}
    for c in ws.iter("{%s}c" % NS["m"]):
        ref = c.get("r")
        row = int(re.search(r"\d+", ref).group(0)) - 1
        t = c.get("t")
        if t == "s":
            v = shared[int(c.find("m:v", NS).text)]
        elif t == "inlineStr":
            v = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
        else:
            v = c.findtext("m:v", default="", namespaces=NS)
        grid[(row, col_index(ref))] = v
    rows = max(r for r, _ in grid) + 1
    cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(cols)] for r in range(rows)]


def read_csv(path, encoding="utf-8-sig"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


def main():
    a = parse_args(__doc__)
    out = a.out
    samples = os.path.join(a.root, "samples", "senior-program")

    def run(*args):
        return run_cmd([a.yoshiki, *args])

    personal = personal_values(samples)
    check(len(personal) > 300, f"personal values gathered from the samples: {len(personal)}")

    def leaks(text):
        return sorted({label + ": " + s for label, s in personal if s in text})

    # Full and redacted exports.
    full_csv, full_xlsx = os.path.join(out, "full.csv"), os.path.join(out, "full.xlsx")
    red_csv, red_xlsx = os.path.join(out, "redacted.csv"), os.path.join(out, "redacted.xlsx")
    r = run("report", samples, "--as-of", "2025-03-31", "--csv", full_csv, "--xlsx", full_xlsx, "--lang", "ja")
    check(r.returncode == 0, f"report exits 0: {r.returncode} {r.stderr}")
    check("就職率 60.0%" in r.stdout, f"summary shows the rate: {r.stdout[:2000]}")
    check(not leaks(r.stdout + r.stderr), f"human summary leaks: {leaks(r.stdout + r.stderr)[:5]}")
    r = run("report", samples, "--as-of", "2025-03-31", "--redact", "--csv", red_csv, "--xlsx", red_xlsx, "--json")
    check(r.returncode == 0, f"redacted report exits 0: {r.returncode} {r.stderr}")
    check(not leaks(r.stdout + r.stderr), f"JSON summary leaks: {leaks(r.stdout + r.stderr)[:5]}")
    summary = json.loads(r.stdout)
    check((summary["starters"], summary["completers"], summary["dropouts"], summary["counted"]) == (11, 10, 1, 6),
          f"JSON figures: {summary['starters']} {summary['completers']} {summary['dropouts']} {summary['counted']}")
    check(abs(summary["employmentRate"] - 60.0) < 1e-9, f"JSON rate: {summary['employmentRate']}")
    counted = [t["controlNumber"] for t in summary["trainees"] if t["counted"]]
    check(counted == ["2024-0101", "2024-0102", "2024-0104", "2024-0106", "2024-0110", "2024-0111"],
          f"counted trainees: {counted}")

    # The search can fail: the full export holds the names, dates, numbers...
    full_text = open(full_csv, encoding="utf-8-sig").read()
    check("佐藤　正明" in full_text and "1960-04-12" in full_text and "13040-06123581" in full_text,
          "the unredacted CSV holds personal data (the search works)")
    check(any("佐藤　正明" in t for t in xlsx_texts(full_xlsx).values()), "the unredacted XLSX holds the name")

    # ...the redacted one holds none of them, in any file of the package.
    found = leaks(open(red_csv, encoding="utf-8-sig").read())
    check(not found, f"redacted CSV leaks: {found[:5]}")
    for name, text in xlsx_texts(red_xlsx).items():
        found = leaks(text)
        check(not found, f"redacted XLSX {name} leaks: {found[:5]}")
    red_rows = read_csv(red_csv)
    for header in ("氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号", "FAX番号", "携帯", "E-mail"):
        check(header not in red_rows[0], f"redacted CSV has no column {header}")
    check(not any(h.startswith("ハローワークカード") for h in red_rows[0]), "redacted CSV has no ハローワークカード column")
    check(len(red_rows) == 12 and all(len(row) == len(red_rows[0]) for row in red_rows),
          "redacted CSV: header and 11 rows of equal width")

    # The XLSX holds the same cells as the CSV (read from its XML).
    for csv_path, xlsx_path in ((full_csv, full_xlsx), (red_csv, red_xlsx)):
        rows = read_csv(csv_path)
        grid = xlsx_grid(xlsx_path)
        check(grid == rows, f"{os.path.basename(xlsx_path)}: XLSX cells equal the CSV "
                            f"({len(grid)}×{len(grid[0]) if grid else 0} vs {len(rows)}×{len(rows[0])})")
    totals = xlsx_grid(red_xlsx, "集計")
    check(totals[0][0] == "講習別・就業形態別雇用者数（2025-03-31現在）", f"集計 sheet title: {totals[0][:1]}")

    # LibreOffice opens it and exports the same cells.
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        print("SKIP: LibreOffice is not installed (scripts/install-deps.sh installs libreoffice-calc-nogui); "
              "the XLSX was checked with zipfile only")
    else:
        lo_out = os.path.join(out, "lo")
        os.makedirs(lo_out, exist_ok=True)
        with tempfile.TemporaryDirectory() as profile:
            # 44 = comma, 34 = quote, 76 = UTF-8, sheet 1.
            r = run_cmd([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
                         "--outdir", lo_out, red_xlsx], timeout=180)
        converted = [f for f in os.listdir(lo_out) if f.endswith(".csv")]
        if check(r.returncode == 0 and len(converted) == 1, f"LibreOffice converts: {r.returncode} {r.stderr} {converted}"):
            lo_rows = read_csv(os.path.join(lo_out, converted[0]), "utf-8")
            check(lo_rows == read_csv(red_csv), "LibreOffice's CSV of the XLSX equals the CSV export")

    # --settings: each form's rule check compares the 講習番号's prefecture
    # (13 in every sample) with the organisation's; a mismatch is noted per
    # 導入支援票, not counted. Without settings the check cannot decide: no note.
    def rule_warnings(*extra):
        r = run("report", samples, "--as-of", "2025-03-31", "--json", *extra)
        check(r.returncode == 0, f"report {extra}: exit {r.returncode} {r.stderr}")
        return [(os.path.basename(d["file"]), d["severity"], d["message"]) for d in json.loads(r.stdout)["diagnostics"]
                if d["code"] == "report.rule-warnings"]
    support = sorted(f for f in os.listdir(samples) if f.endswith("-dounyu-shien.xml"))
    elsewhere = os.path.join(out, "prefecture-47.xml")
    with open(elsewhere, "w", encoding="utf-8") as fh:
        fh.write('<settings><setting key="org.prefecture">47</setting></settings>\n')
    got = rule_warnings("--settings", elsewhere)
    want = {"en": "business rules DS-005 warn about the form; it is used as it is",
            "ja": "業務ルール DS-005 の警告があります（そのまま集計）"}
    check(len(support) == 11 and got == [(f, "I", want) for f in support], f"report --settings (prefecture 47): {got}")
    check(rule_warnings() == [], "report without --settings: no rule warnings")
    check(rule_warnings("--settings", os.path.join(a.root, "samples", "organisation.xml")) == [],
          "report --settings organisation.xml (prefecture 13): no rule warnings")

    # A filled PDF instead of the data XML (read back as extract does).
    mixed = os.path.join(out, "mixed")
    shutil.copytree(samples, mixed)
    app = os.path.join(mixed, "2024-0102-jukou-moushikomi.xml")
    r = run("render", "jukou-moushikomi", app, "--fillable", "--typing-font", "none", "-o",
            os.path.join(mixed, "2024-0102-jukou-moushikomi.pdf"))
    check(r.returncode == 0, f"render the application: {r.stderr}")
    os.remove(app)
    r = run("report", mixed, "--as-of", "2025-03-31", "--json")
    check(r.returncode == 0, f"report with a PDF exits 0: {r.stderr}")
    if r.returncode == 0:
        s = json.loads(r.stdout)
        t = next(t for t in s["trainees"] if t["controlNumber"] == "2024-0102")
        check(t["counted"] and t["rule"] == "CNT-002" and s["counted"] == 6, f"PDF application linked and counted: {t}")

    # Diagnostics name the file and the 管理番号, in the summary's language, and never a value.
    shutil.copy(os.path.join(samples, "2024-0101-dounyu-shien.xml"), os.path.join(mixed, "zz-copy-dounyu-shien.xml"))
    r = run("report", mixed, "--as-of", "2025-03-31", "--lang", "ja")
    check(r.returncode == 1 and "zz-copy-dounyu-shien.xml: error [report.duplicate]: 管理番号 2024-0101 の導入支援票が重複"
          in r.stderr, f"duplicate reported in Japanese, exit 1: {r.returncode} {r.stderr}")
    check("就職率 60.0%" in r.stdout, "the report is still made")
    r = run("report", mixed, "--as-of", "2025-03-31", "--lang", "en")
    check("has a second intake support record" in r.stderr, f"duplicate reported in English: {r.stderr}")
    check(not leaks(r.stdout + r.stderr), f"diagnostics leak: {leaks(r.stdout + r.stderr)[:5]}")

    # A malformed file is an error naming file and line; a file that is no form is skipped.
    with open(os.path.join(mixed, "broken.xml"), "w") as f:
        f.write("<?xml version='1.0'?>\n<courseApplication formId='jukou-moushikomi'>\n<name>\n")
    shutil.copy(os.path.join(a.root, "samples", "organisation.xml"), mixed)
    r = run("report", mixed, "--as-of", "2025-03-31", "--lang", "en")
    check("broken.xml:4: error [report.unreadable]" in r.stderr and "organisation.xml: info [report.skipped]" in r.stderr,
          f"broken and foreign files: {r.stderr}")
    # The same broken file under a Shift_JIS name: the JSON summary stays JSON
    # (U+FFFD in "file") and fileHex gives the name's bytes.
    raw = os.path.join(os.fsencode(mixed), "壊れた申込書.xml".encode("shift_jis"))
    os.rename(os.path.join(mixed, "broken.xml"), raw)
    r = run_cmd([a.yoshiki, "report", mixed, "--as-of", "2025-03-31", "--json"], errors="replace")
    try:
        diags = json.loads(r.stdout)["diagnostics"]
    except (ValueError, KeyError) as e:
        diags = []
        check(False, f"report --json with a Shift_JIS file name: not JSON ({e}): {r.stdout[:300]!r}")
    check(r.returncode == 1 and [d["code"] for d in diags if d.get("fileHex") == raw.hex()] == ["report.unreadable"],
          f"Shift_JIS file name: exit {r.returncode}, diagnostics {diags}")
    os.remove(raw)

    # Usage errors.
    r = run("report", samples, "--as-of", "2025-13-01")
    check(r.returncode == 2 and "option.as-of" in r.stderr, f"bad --as-of exits 2: {r.returncode} {r.stderr}")
    r = run("report", os.path.join(out, "no-such-folder"))
    check(r.returncode == 2, f"missing folder exits 2: {r.returncode}")

    return finish(f"report: {'ok' if not failures else f'{len(failures)} failed'} "
                  f"({len(personal)} personal spellings searched)")


if __name__ == "__main__":
    sys.exit(main())
