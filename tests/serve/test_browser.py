"""`yoshiki serve`'s page driven in headless Chromium (Debian chromium, via
npm playwright-core: browser.mjs): the forms list and a blank download; a PDF
made in the page from data XML extracts as the CLI's render does; 点検 of
samples, an invalid and a hostile file shows per file the verdict
(適合/不備あり/読み取り不可) and the Japanese messages of `validate --json`,
the per-rule summary, and downloads that JSON; 報告 shows the counts and
就職率 of `yoshiki report` and downloads its CSV (redacted on request); no
CSP violation or script error; the English switch. 入力: a form generated
from the template's fields is typed into, a rule's Japanese message shows
next to the field it names and goes once the value is fixed, and the PDF
downloaded holds the typed values (pypdf) and extracts (`yoshiki extract`)
to the data of the sample those values come from; its screenshot at a fixed
viewport matches the golden image tests/serve/input-golden.png (at most
0.5 % of the pixels differing noticeably; the difference image goes to the
--out folder otherwise). Screenshots of each page go to the --out folder.
Exit 77 (skipped) when npm is not installed."""
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
from support import check, failures, finish, parse_args, run  # noqa: E402
from test_serve import Server  # noqa: E402

AS_OF = "2025-03-31"
# 入力: samples/jukou-moushikomi/minimal.xml as a clerk types it (dates as
# people write them), with a wrong age first (JK-001: it disagrees with the
# birth date), then the right one.
INPUT = {
    "form": "jukou-moushikomi",
    "values": {"applicationDate": "令和7年2月3日", "desiredCourse": "医療事務",
               "applicant/nameKana": "サトウ　ケイコ", "applicant/name": "佐藤　恵子",
               "applicant/birthDate": "S42.8.21", "applicant/address": "埼玉県川口市並木二丁目8番14号",
               "applicant/mobile": "090-2468-1357"},
    "choose": {"statusBeforeCourse/situation": "1"},
    "bad": {"name": "applicant/age", "value": "50", "rule": "JK-001"},
    "fix": "57",
}
GOLDEN = os.path.join(HERE, "input-golden.png")
# A pixel differs noticeably when a channel moves by more than this.
PIXEL_THRESHOLD = 48
MAX_DIFFERING = 0.005


def compare_golden(shot, golden, diff_path):
    """The share of pixels differing noticeably; writes the difference image when over."""
    from PIL import Image, ImageChops
    a, b = Image.open(shot).convert("RGB"), Image.open(golden).convert("RGB")
    if a.size != b.size:
        return 1.0, f"size {a.size} vs golden {b.size}"
    diff = ImageChops.difference(a, b)
    mask = diff.convert("L").point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    share = sum(1 for v in mask.getdata() if v) / (a.size[0] * a.size[1])
    if share > MAX_DIFFERING:
        Image.composite(Image.new("RGB", a.size, (255, 0, 0)), a.point(lambda v: v // 3 + 170), mask).save(diff_path)
    return share, ""


VERDICT = {(True, True): "適合", (True, False): "不備あり"}


def main():
    a = parse_args(__doc__)
    if not shutil.which("npm") or not shutil.which("node"):
        print("npm is not installed: the browser test is skipped")
        return 77
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        check(False, "playwright-core is not installed: cd tests/serve && npm install (scripts/test.sh does)")
        return finish(None)
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not check(chromium is not None, "no chromium (scripts/install-deps.sh installs it)"):
        return finish(None)
    y, root = a.yoshiki, a.root
    samples = os.path.join(root, "samples")
    data = os.path.join(samples, "jukou-moushikomi", "complete.xml")
    rendered = os.path.join(a.out, "cli-rendered.pdf")
    run([y, "render", "jukou-moushikomi", data, "--fillable", "-o", rendered], "CLI render")
    check_files = [data, os.path.join(samples, "jukou-moushikomi", "rules", "JK-001-fail.xml"), rendered,
                   os.path.join(root, "tests", "hostile", "files", "entity-name.xml"),
                   os.path.join(root, "tests", "hostile", "files", "truncated.pdf")]
    senior = os.path.join(samples, "senior-program")
    report_files = sorted(os.path.join(senior, f) for f in os.listdir(senior) if f.endswith((".xml", ".pdf")))

    srv = Server(y, "--jobs", "2")
    try:
        r = subprocess.run(["node", os.path.join(HERE, "browser.mjs"), srv.base, a.out, json.dumps(check_files),
                            json.dumps(report_files), data, json.dumps(INPUT)], capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, CHROMIUM=chromium))
    finally:
        rc, log = srv.stop()
    if not check(r.returncode == 0, f"browser.mjs: exit {r.returncode}: {r.stderr[-2000:]}"):
        return finish(None)
    page = json.loads(r.stdout.strip().splitlines()[-1])
    check(page["problems"] == [], f"console errors (CSP, script): {page['problems']}")
    check(page["tabs"] == ["様式", "入力", "点検", "報告"], f"tabs: {page['tabs']}")
    check(page["tabsEnglish"] == ["Forms", "Fill in", "Check", "Report"], f"English tabs: {page['tabsEnglish']}")
    check(page["reportHeadingEnglish"] == "Starters", f"English report heading: {page['reportHeadingEnglish']}")

    # 様式
    cli_forms = [line.split("\t")[0] for line in run([y, "forms"]).stdout.splitlines()]
    check(page["forms"] == cli_forms, f"forms: {page['forms']} vs {cli_forms}")
    check(page["blankButton"] == "白紙 PDF", f"blank button: {page['blankButton']}")
    check(open(page["blank"], "rb").read(5) == b"%PDF-", "blank download is a PDF")
    check(run([y, "extract", page["rendered"]]).stdout == run([y, "extract", rendered]).stdout,
          "the page's PDF extracts as the CLI's render --fillable does")

    # 入力
    check(page["inputTab"] == "ブラウザで入力して PDF を作る", f"入力 heading: {page['inputTab']}")
    check(page["inputFieldCount"] > 50, f"入力: fields generated from the template: {page['inputFieldCount']}")
    jk001 = json.loads(run([y, "validate", os.path.join(samples, "jukou-moushikomi", "rules", "JK-001-fail.xml"),
                            "--json", "--no-progress"]).stdout)["files"][0]["issues"]
    jk001_ja = [i["message"]["ja"] for i in jk001 if i["rule"] == "JK-001"]
    bad = page["inputBad"]
    check(bad["label"] == "年齢", f"入力: the wrong value's field label: {bad['label']!r}")
    # The message quotes the ages: the sample's are not the typed ones.
    ages = lambda m: re.sub(r"\d+", "N", m)  # noqa: E731
    check(len(jk001_ja) == 1 and len(bad["messages"]) == 1 and ages(bad["messages"][0]) == ages(jk001_ja[0] + " [JK-001]")
          and "（50歳）" in bad["messages"][0] and "（57歳）" in bad["messages"][0],
          f"入力: JK-001 next to 年齢: {bad['messages']} vs {jk001_ja}")
    check(bad["verdict"].startswith("エラー 1 件"), f"入力: verdict with the error: {bad['verdict']!r}")
    fixed = page["inputFixed"]
    check(fixed["messages"] == [] and fixed["verdict"].startswith("エラー 0 件"),
          f"入力: the message gone once fixed: {fixed}")
    from pypdf import PdfReader
    values = {k: v.get("/V") for k, v in (PdfReader(page["inputPdf"]).get_fields() or {}).items()}
    for name, typed in list(INPUT["values"].items()) + [(INPUT["bad"]["name"], INPUT["fix"])]:
        if "Date" not in name:  # dates are written as the form prints them
            check(values.get(name) == typed, f"入力 PDF: field {name} = {values.get(name)!r}, typed {typed!r}")
    minimal_pdf = os.path.join(a.out, "cli-minimal.pdf")
    run([y, "render", "jukou-moushikomi", os.path.join(samples, "jukou-moushikomi", "minimal.xml"), "--fillable",
         "-o", minimal_pdf], "CLI render of minimal.xml")
    page_data = run([y, "extract", page["inputPdf"]], "extract of the page's PDF").stdout
    no_comments = lambda x: re.sub(r"<!--.*?-->\n", "", x, flags=re.S)  # noqa: E731 (minimal.xml's own, attached)
    check(page_data == no_comments(run([y, "extract", minimal_pdf]).stdout),
          "入力 PDF: extracts to the data of minimal.xml (the typed dates normalised)")
    check(open(page["inputXml"], encoding="utf-8").read() == page_data, "入力 XML download: the PDF's data")
    share, why = compare_golden(os.path.join(a.out, "input.png"), GOLDEN, os.path.join(a.out, "input-diff.png"))
    check(share <= MAX_DIFFERING, f"入力 screenshot vs {GOLDEN}: {share:.2%} of the pixels differ {why}"
          f" (see {os.path.join(a.out, 'input-diff.png')})")

    # 点検
    cli = json.loads(run([y, "validate", *check_files, "--json", "--no-progress", "--redact"]).stdout)
    want_rows = []
    for f in cli["files"]:
        shown = [i for i in f["issues"] if i["severity"] != "I"]
        want_rows.append([os.path.basename(f["file"]), f["form"] or "-",
                          VERDICT.get((f["readable"], f["valid"]), "読み取り不可"), f"指摘 {len(shown)} 件"])
    check(page["rows"] == want_rows, f"check table: {page['rows']} vs {want_rows}")
    check(any(v == "不備あり" for _, _, v, _ in page["rows"]) and any(v == "読み取り不可" for _, _, v, _ in page["rows"]),
          "check table: both kinds of failure among the files")
    for f, shown in zip(cli["files"], page["details"]):
        want = [i["message"]["ja"] for i in f["issues"] if i["severity"] != "I"]
        check(len(shown) == len(want) and all(m in s for m, s in zip(want, shown)),
              f"{os.path.basename(f['file'])}: findings {shown} vs messages {want}")
    jk = page["details"][1]
    check(len(jk) == 1 and "年齢: " in jk[0], f"the JK-001 finding names its field's label: {jk}")
    check(page["rules"] == sorted(cli["summary"]["per_rule"].items()) or
          dict(page["rules"]) == cli["summary"]["per_rule"], f"per-rule summary: {page['rules']}")
    got = json.load(open(page["checkJson"]))
    strip = lambda rep: [{k: v for k, v in f.items() if k != "file"} for f in rep["files"]]  # noqa: E731
    check(strip(got) == strip(cli) and got["summary"] == cli["summary"], "downloaded JSON: validate --json --redact")

    # 報告
    rep = json.loads(run([y, "report", senior, "--as-of", AS_OF, "--json"]).stdout)
    want = {"starters": str(rep["starters"]), "completers": str(rep["completers"]),
            "dropouts": str(rep["dropouts"]), "counted": str(rep["counted"]),
            "rate": f"{rep['employmentRate']:.1f}%"}
    check(page["report"] == want, f"report counts: {page['report']} vs {want}")
    for key, extra in (("csv", []), ("csvRedacted", ["--redact"])):
        cli_csv = os.path.join(a.out, f"cli-{key}.csv")
        run([y, "report", senior, "--as-of", AS_OF, "--csv", cli_csv, *extra])
        check(open(page[key], "rb").read() == open(cli_csv, "rb").read(), f"{key}: as yoshiki report --csv {extra}")
    check(zipfile.is_zipfile(page["xlsx"]), "XLSX download")
    for shot in ("forms.png", "check.png", "report.png"):
        check(os.path.getsize(os.path.join(a.out, shot)) > 10000, f"screenshot {shot}")
    check(rc == 0, f"serve exit {rc}")
    return finish(f"browser: {'ok' if not failures else f'{len(failures)} failed'}")


if __name__ == "__main__":
    sys.exit(main())
