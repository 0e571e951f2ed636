#!/usr/bin/python3
"""CLI conventions (issue #18): one exit code per situation in every
subcommand (0 done, 1 invalid input, 2 usage or I/O), missing files reported
like unreadable ones without stopping a bulk run, I/O errors that say why,
"-" for data on stdin and -o - for stdout, --files-from, render running the
business rules (--strict), --lang on every subcommand with the locale's
default, help complete and in Japanese, NO_COLOR."""
import json
import os
import pty
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from support import check, failures, finish, parse_args  # noqa: E402

DATE = "2024-04-01T00:00:00Z"
TODAY = "2024-07-01"


def main():
    a = parse_args(__doc__)
    y = a.yoshiki
    samples = os.path.join(a.root, "samples", "jukou-moushikomi")
    good = os.path.join(samples, "complete.xml")
    warn_only = os.path.join(samples, "rules", "JK-004-fail.xml")
    rule_error = os.path.join(samples, "rules", "JK-001-fail.xml")
    filled = os.path.join(a.root, "tests", "hostile", "files", "incremental-update.pdf")
    missing = os.path.join(a.out, "missing.xml")
    missing_pdf = os.path.join(a.out, "missing.pdf")
    # A path through a regular file: ENOTDIR even for root (who may read any file).
    not_dir = os.path.join(good, "x.pdf")
    root_user = os.geteuid() == 0

    def run(*args, stdin=None, env=None, binary=False):
        e = dict(os.environ, LANG="C.UTF-8")
        e.pop("LC_ALL", None)
        e.pop("LC_MESSAGES", None)
        e.pop("NO_COLOR", None)
        e.update(env or {})
        return subprocess.run([y, *args], input=stdin, capture_output=True, text=not binary, env=e,
                              timeout=300)

    # --- exit codes and missing files -------------------------------------------------
    for extra in ([], ["--in-process"]):
        r = run("extract", missing_pdf, *extra)
        check(r.returncode == 2 and r.stderr ==
              f"yoshiki: {missing_pdf}: error [io.read]: cannot open file: No such file or directory\n",
              f"extract of a missing file {extra}: exit 2 and why: {r.returncode} {r.stderr!r}")
        r = run("extract", not_dir, *extra)
        check(r.returncode == 2 and f"{not_dir}: error [io.read]: cannot open file: Not a directory" in r.stderr,
              f"extract of an unreadable path {extra}: exit 2 and why: {r.returncode} {r.stderr!r}")
        r = run("validate", good, missing_pdf, "--jsonl", "--today", TODAY, *extra)
        lines = [json.loads(ln) for ln in r.stdout.splitlines()]
        check(r.returncode == 2, f"validate good + missing {extra} exits 2, got {r.returncode}")
        check(len(lines) == 3 and lines[0]["valid"] and lines[1]["file"] == missing_pdf
              and not lines[1]["readable"]
              and lines[1]["issues"][0]["message"]["en"] == "cannot open file: No such file or directory",
              f"validate good + missing {extra}: the good result and the missing one: {r.stdout}")
        check(len(lines) == 3 and lines[2]["summary"]["unreadable"] == 1 and lines[2]["summary"]["valid"] == 1,
              f"validate good + missing {extra}: summary: {r.stdout}")
    r = run("validate", missing, good, "--lang", "en", "--today", TODAY)
    check(r.returncode == 2 and f"{missing}: unreadable\n" in r.stdout and f"{good}: valid" in r.stdout
          and "files 2, valid 1, invalid 0, unreadable 1" in r.stdout,
          f"human report: the missing file is unreadable and the run goes on: {r.returncode} {r.stdout}")
    r = run("render", "jukou-moushikomi", missing, "-o", os.path.join(a.out, "m.pdf"))
    check(r.returncode == 2 and "cannot open file: No such file or directory" in r.stderr,
          f"render of missing data: exit 2 and why: {r.returncode} {r.stderr}")
    r = run("fill", missing_pdf, good, "-o", os.path.join(a.out, "m.pdf"))
    check(r.returncode == 2 and f"{missing_pdf}: error [io.read]: cannot open file: No such file" in r.stderr,
          f"fill of a missing PDF: exit 2 and why: {r.returncode} {r.stderr}")

    # I/O errors on output say why.
    r = run("render", "jukou-moushikomi", "-o", not_dir)
    check(r.returncode == 2 and r.stderr ==
          f"yoshiki: {not_dir}: error [io.write]: cannot write file: Not a directory\n",
          f"unwritable output says why: {r.returncode} {r.stderr!r}")
    r = run("render", "jukou-moushikomi", "-o", not_dir, "--lang", "ja")
    check(r.returncode == 2 and r.stderr ==
          f"yoshiki: {not_dir}: error [io.write]: ファイルを書き出せません: Not a directory\n",
          f"unwritable output, in Japanese: {r.returncode} {r.stderr!r}")
    if not root_user:
        ro = os.path.join(a.out, "read-only")
        os.makedirs(ro)
        os.chmod(ro, 0o555)
        target = os.path.join(ro, "x.pdf")
        r = run("render", "jukou-moushikomi", "-o", target)
        check(r.returncode == 2 and f"{target}: error [io.write]: cannot write file: Permission denied" in r.stderr,
              f"read-only folder: Permission denied: {r.returncode} {r.stderr}")

    # --- stdin and stdout -----------------------------------------------------------------
    by_file = os.path.join(a.out, "by-file.pdf")
    r = run("render", "jukou-moushikomi", good, "--creation-date", DATE, "--today", TODAY, "-o", by_file)
    check(r.returncode == 0 and r.stderr == "", f"render to a file: {r.returncode} {r.stderr}")
    data = open(good, "rb").read()
    r = run("render", "jukou-moushikomi", "-", "--creation-date", DATE, "--today", TODAY, "-o", "-",
            stdin=data, binary=True)
    check(r.returncode == 0 and r.stdout == open(by_file, "rb").read(),
          f"render - -o -: the same bytes on stdout: exit {r.returncode}, {len(r.stdout)} bytes {r.stderr[:300]!r}")
    check(not os.path.exists("-") and not os.path.exists(os.path.join(a.out, "-")), "-o - creates no file named -")
    text = subprocess.run(["pdftotext", "-", "-"], input=r.stdout, capture_output=True).stdout.decode()
    check("申込年月日" in text and "山本" in text, f"pdftotext reads the PDF written to stdout: {text[:200]!r}")

    xml_file = run("extract", filled).stdout
    check("佐藤 花子" in xml_file, f"extract of the filled PDF: {xml_file[:300]!r}")
    pdf_bytes = open(filled, "rb").read()
    for extra in ([], ["--in-process"]):
        r = run("extract", "-", "-o", "-", *extra, stdin=pdf_bytes, binary=True)
        check(r.returncode == 0 and r.stdout.decode() == xml_file,
              f"extract - {extra} equals extract of the file: {r.returncode} {r.stderr!r}")
        out_xml = os.path.join(a.out, f"extract{len(extra)}.xml")
        r = run("extract", "-", "-o", out_xml, *extra, stdin=pdf_bytes, binary=True)
        check(r.returncode == 0 and open(out_xml, encoding="utf-8").read() == xml_file,
              f"extract - -o FILE {extra}: {r.returncode} {r.stderr!r}")

    blank = os.path.join(a.out, "blank.pdf")
    run("render", "jukou-moushikomi", "--creation-date", DATE, "-o", blank)
    filled_file = os.path.join(a.out, "filled.pdf")
    r1 = run("fill", blank, good, "--creation-date", DATE, "-o", filled_file)
    r2 = run("fill", blank, "-", "--creation-date", DATE, "-o", "-", stdin=data, binary=True)
    r3 = run("fill", "-", good, "--creation-date", DATE, "-o", "-", stdin=open(blank, "rb").read(),
             binary=True)
    check(r1.returncode == 0 and r2.returncode == 0 and r3.returncode == 0,
          f"fill with - inputs: {r1.returncode} {r2.returncode} {r3.returncode} {r1.stderr} {r2.stderr!r}")
    check(r2.stdout == open(filled_file, "rb").read() and r3.stdout == r2.stdout,
          "fill DATA - and FORM_PDF - write the same bytes to stdout as to a file")
    # fill parses its input PDF in a worker (a zero time limit times it out),
    # unless --in-process: then the same bytes as above.
    r = run("fill", blank, good, "--creation-date", DATE, "-o", "-", "--worker-seconds", "0", binary=True)
    check(r.returncode == 1 and b"[pdf.worker-timeout]" in r.stderr,
          f"fill parses FORM_PDF in a worker: {r.returncode} {r.stderr!r}")
    r = run("fill", blank, good, "--creation-date", DATE, "-o", "-", "--in-process", "--worker-seconds", "0",
            binary=True)
    check(r.returncode == 0 and r.stdout == open(filled_file, "rb").read(),
          f"fill --in-process writes the same bytes: {r.returncode} {r.stderr!r}")
    r = run("fill", "-", "-", "-o", "-", stdin="")
    check(r.returncode == 2 and "only one of FORM_PDF and DATA can be -" in r.stderr,
          f"fill - -: usage error: {r.returncode} {r.stderr}")

    r = run("validate", "-", "--jsonl", "--today", TODAY, stdin=data, binary=True)
    lines = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    check(r.returncode == 0 and lines[0]["file"] == "<stdin>" and lines[0]["valid"],
          f"validate - reads data XML from stdin: {r.returncode} {r.stdout[:300]!r}")
    r = run("validate", "-", "--jsonl", "--today", TODAY, stdin=pdf_bytes, binary=True)
    lines = [json.loads(ln) for ln in r.stdout.decode().splitlines()]
    by_path = [json.loads(ln) for ln in run("validate", filled, "--jsonl", "--today", TODAY).stdout.splitlines()]
    check(lines and lines[0]["readable"] and lines[0]["form"] == "jukou-moushikomi"
          and lines[0]["issues"] == by_path[0]["issues"],
          f"validate - reads a PDF from stdin as validate reads the file: {r.stdout[:400]!r}")
    listing = os.path.join(a.out, "list.txt")
    with open(listing, "w") as f:
        f.write(f"{good}\n\n{rule_error}\n")
    r = run("validate", "--files-from", listing, "--jsonl", "--today", TODAY)
    files = [json.loads(ln).get("file") for ln in r.stdout.splitlines()][:-1]
    check(r.returncode == 1 and files == [good, rule_error], f"--files-from FILE: {r.returncode} {files}")
    r = run("validate", warn_only, "--files-from", "-", "--jsonl", "--today", TODAY, stdin=f"{good}\n")
    files = [json.loads(ln).get("file") for ln in r.stdout.splitlines()][:-1]
    check(r.returncode == 0 and files == [warn_only, good], f"--files-from -: {r.returncode} {files}")
    # A "-" listed in --files-from is a file named "-", not the input stream.
    with open(os.path.join(a.out, "-"), "wb") as f:
        f.write(data)
    with open(listing, "w") as f:
        f.write("-\n")
    r = subprocess.run([y, "validate", "--files-from", "list.txt", "--jsonl", "--today", TODAY], cwd=a.out,
                       input="", capture_output=True, text=True, timeout=300)
    files = [json.loads(ln).get("file") for ln in r.stdout.splitlines()][:-1]
    check(r.returncode == 0 and files == ["-"], f"--files-from with a file named -: {r.returncode} {r.stdout}")
    os.remove(os.path.join(a.out, "-"))
    r = run("validate", "-", "--files-from", "-", stdin="")
    check(r.returncode == 2 and "can be read only once" in r.stderr, f"- twice: {r.returncode} {r.stderr}")
    r = run("validate")
    check(r.returncode == 2 and "no input" in r.stderr, f"validate without input: {r.returncode} {r.stderr}")

    # --- render runs the business rules ----------------------------------------------------
    out = os.path.join(a.out, "rules.pdf")
    r = run("render", "jukou-moushikomi", warn_only, "--today", TODAY, "-o", out)
    check(r.returncode == 0 and "warning [JK-004]" in r.stderr and "error [" not in r.stderr
          and os.path.exists(out), f"render with a rule warning: exit 0, printed: {r.returncode} {r.stderr}")
    os.remove(out)
    r = run("render", "jukou-moushikomi", rule_error, "--today", TODAY, "-o", out)
    check(r.returncode == 0 and f"{rule_error}:" in r.stderr and "error [JK-001]" in r.stderr
          and os.path.exists(out), f"render with a rule error: printed, PDF written: {r.returncode} {r.stderr}")
    os.remove(out)
    r = run("render", "jukou-moushikomi", rule_error, "--today", TODAY, "--strict", "-o", out)
    check(r.returncode == 1 and "error [JK-001]" in r.stderr
          and "no PDF written: the data break business rules (--strict)" in r.stderr
          and not os.path.exists(out) and not os.path.exists(out + ".part"),
          f"render --strict refuses: {r.returncode} {r.stderr}")
    r = run("render", "jukou-moushikomi", good, "--today", TODAY, "--strict", "-o", out)
    check(r.returncode == 0 and r.stderr == "" and os.path.exists(out), f"render --strict of good data: {r.stderr}")

    # --- locale -------------------------------------------------------------------------------
    def verdict(env, *args):
        return run("validate", good, "--today", TODAY, *args, env=env).stdout.split("\n")[0]

    check(verdict({"LANG": "ja_JP.UTF-8"}).startswith(f"{good}: 適合"), "LANG=ja_JP: Japanese report")
    check(verdict({"LANG": "C.UTF-8"}).startswith(f"{good}: valid"), "LANG=C: English report")
    check(verdict({"LANG": "ja_JP.UTF-8", "LC_ALL": "en_US.UTF-8"}).startswith(f"{good}: valid"),
          "LC_ALL wins over LANG")
    check(verdict({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ja_JP.UTF-8"}).startswith(f"{good}: 適合"),
          "LC_MESSAGES wins over LANG")
    check(verdict({"LANG": "ja_JP.UTF-8"}, "--lang", "en").startswith(f"{good}: valid"), "--lang wins over the locale")
    r = run("--lang", "en", "validate", good, "--today", TODAY, env={"LANG": "ja_JP.UTF-8"})
    check(r.stdout.startswith(f"{good}: valid"), f"--lang before the subcommand: {r.returncode} {r.stdout[:200]}")
    for args in (["forms"], ["render", "jukou-moushikomi", "-o", os.path.join(a.out, "l.pdf")],
                 ["extract", filled], ["fill", blank, good, "-o", os.path.join(a.out, "l.pdf")],
                 ["validate", good], ["report", samples]):
        for lang in ("ja", "en"):
            r = run(*args, "--lang", lang)
            check(r.returncode in (0, 1), f"{args[0]} --lang {lang}: {r.returncode} {r.stderr[:300]}")
        r = run(*args, "--lang", "fr")
        check(r.returncode == 2, f"{args[0]} --lang fr exits 2, got {r.returncode}")
    r = run("render", "jukou-moushikomi", rule_error, "--today", TODAY, "--strict", "--lang", "ja", "-o", out)
    check("業務ルールのエラーがあるため PDF を書き出しません" in r.stderr, f"render --lang ja: {r.stderr}")

    # --- help ---------------------------------------------------------------------------------
    r = run("fill", "--help")
    for opt in ("--creation-date", "--lang", "-o,--output", "FORM_PDF", "DATA", "--in-process"):
        check(r.returncode == 0 and opt in r.stdout, f"fill --help lists {opt}: {r.stdout}")
    for sub, opts in (("render", ("--strict", "--today", "--lang", "--settings")),
                      ("validate", ("--files-from", "--lang", "--in-process")),
                      ("extract", ("--lang", "--in-process")), ("forms", ("--lang",))):
        r = run(sub, "--help")
        for opt in opts:
            check(opt in r.stdout, f"{sub} --help lists {opt}")
        check("Exit codes (every subcommand): 0 done (validate: every file valid); 1 invalid input" in r.stdout,
              f"{sub} --help gives the exit codes: {r.stdout[-400:]}")
    r = run("render", "--help", env={"LANG": "ja_JP.UTF-8"})
    check("出力 PDF（- で標準出力）" in r.stdout and "終了コード" in r.stdout and "このヘルプを表示して終了" in r.stdout
          and "使い方:" in r.stdout and "\nオプション:\n" in r.stdout and "\nOptions:" not in r.stdout,
          f"render --help under ja_JP: Japanese: {r.stdout}")
    r = run("--help", env={"LANG": "ja_JP.UTF-8"})
    check("記入済み PDF からデータ XML を読み取る" in r.stdout and "\nサブコマンド:\n" in r.stdout
          and "\nOptions:" not in r.stdout, f"--help under ja_JP: Japanese subcommands: {r.stdout}")
    check(run("--help", "--lang", "en", env={"LANG": "ja_JP.UTF-8"}).stdout.startswith("yoshiki — Japanese official"),
          "--lang en gives English help under ja_JP")

    # --- colour: only on a terminal, never with NO_COLOR ----------------------------------------
    def on_tty(env):
        master, slave = pty.openpty()
        e = dict(os.environ, LANG="C.UTF-8", **env)
        if "NO_COLOR" not in env:
            e.pop("NO_COLOR", None)
        p = subprocess.Popen([y, "validate", good, rule_error, "--today", TODAY, "--no-progress"],
                             stdout=slave, stderr=subprocess.PIPE, env=e)
        os.close(slave)
        got = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        p.wait(timeout=300)
        os.close(master)
        return got.decode("utf-8", "replace")

    check("\033[32m" in on_tty({}), "a terminal gets colours")
    for value in ("1", "yes"):
        tty = on_tty({"NO_COLOR": value})
        check("\033[" not in tty and "valid" in tty, f"NO_COLOR={value}: no escape codes: {tty!r}")
    r = run("validate", good, rule_error, "--today", TODAY)
    check("\033[" not in r.stdout and "\033[" not in r.stderr, "no colour when stdout is not a terminal")

    return finish(f"cli conventions: {len(failures)} failed")


if __name__ == "__main__":
    sys.exit(main())
