"""`yoshiki serve`'s page driven in headless Chromium (Debian chromium, via
npm playwright-core: browser.mjs): the forms list and a blank download; a PDF
made in the page from data XML extracts as the CLI's render does; 点検 of
samples, an invalid and a hostile file shows per file the verdict
(適合/不備あり/読み取り不可) and the Japanese messages of `validate --json`,
the per-rule summary, and downloads that JSON; 報告 shows the counts and
就職率 of `yoshiki report` and downloads its CSV (redacted on request); no
CSP violation or script error; the English switch. Screenshots of each page
go to the --out folder. Exit 77 (skipped) when npm is not installed."""
import json
import os
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
                            json.dumps(report_files), data], capture_output=True, text=True, timeout=300,
                           env=dict(os.environ, CHROMIUM=chromium))
    finally:
        rc, log = srv.stop()
    if not check(r.returncode == 0, f"browser.mjs: exit {r.returncode}: {r.stderr[-2000:]}"):
        return finish(None)
    page = json.loads(r.stdout.strip().splitlines()[-1])
    check(page["problems"] == [], f"console errors (CSP, script): {page['problems']}")
    check(page["tabs"] == ["様式", "点検", "報告"], f"tabs: {page['tabs']}")
    check(page["tabsEnglish"] == ["Forms", "Check", "Report"], f"English tabs: {page['tabsEnglish']}")
    check(page["reportHeadingEnglish"] == "Starters", f"English report heading: {page['reportHeadingEnglish']}")

    # 様式
    cli_forms = [line.split("\t")[0] for line in run([y, "forms"]).stdout.splitlines()]
    check(page["forms"] == cli_forms, f"forms: {page['forms']} vs {cli_forms}")
    check(page["blankButton"] == "白紙 PDF", f"blank button: {page['blankButton']}")
    check(open(page["blank"], "rb").read(5) == b"%PDF-", "blank download is a PDF")
    check(run([y, "extract", page["rendered"]]).stdout == run([y, "extract", rendered]).stdout,
          "the page's PDF extracts as the CLI's render --fillable does")

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
