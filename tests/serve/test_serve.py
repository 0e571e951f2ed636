"""`yoshiki serve` end to end over HTTP (urllib and raw sockets, stdlib only):
every route of the OpenAPI document answers, and the server refuses to start
when its routes and the document differ; each route gives what the CLI gives
for the same files (validate --json, extract, fill, report --json/--csv);
the error statuses (400, 401, 404, 411, 413, 415, 503) come as JSON, and a
request refused before its body is read (401; 411 without one declared
length, e.g. chunked; 413 by its Content-Length; 503) gets `Connection: close` and its connection closed, the body unread (a
raw socket shows it); the 入力 page's routes (a form's fields from its
template; typed values → the exact data XML, dates normalised, and the exact
rule ids of a bad value); --settings reaches the rules; the token
rule; the security headers; the access log holds no file name or value; the
temporary files are gone; SIGTERM lets a request in flight finish."""
import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from support import check, failures, finish, parse_args, run  # noqa: E402

TODAY = "2025-06-01"
AS_OF = "2025-03-31"
# The data XML of samples/jukou-moushikomi/minimal.xml's values as typed
# into the 入力 page (the dates as people write them).
TYPED_XML = """<?xml version="1.0" encoding="UTF-8"?>
<courseApplication formId="jukou-moushikomi" formVersion="1.0">
  <applicationDate>2025-02-03</applicationDate>
  <desiredCourse>医療事務</desiredCourse>
  <applicant>
    <nameKana>サトウ　ケイコ</nameKana>
    <name>佐藤　恵子</name>
    <birthDate>1967-08-21</birthDate>
    <age>57</age>
    <address>埼玉県川口市並木二丁目8番14号</address>
    <mobile>090-2468-1357</mobile>
  </applicant>
  <statusBeforeCourse>
    <situation>1</situation>
  </statusBeforeCourse>
</courseApplication>
"""
# A date that is no date: the XSD refuses it, naming the field (the rules do
# not run on an XSD-invalid document).
BAD_RULES = [("xsd", "/courseApplication/applicant/birthDate")]


class Server:
    """`yoshiki serve --listen 127.0.0.1:0 ARGS`, its port read from its first line."""

    def __init__(self, yoshiki, *args, env=None, token=None):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([yoshiki, "serve", "--listen", "127.0.0.1:0", *args],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        line = self.proc.stdout.readline()
        if "listening on http://127.0.0.1:" not in line:
            self.proc.kill()
            self.log.seek(0)
            raise SystemExit(f"serve did not start: {line!r} {self.log.read()}")
        # A failed check or an exception must not leave it running.
        atexit.register(lambda p=self.proc: p.poll() is None and p.kill())
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = token

    def request(self, method, path, body=None, headers=None, token=True):
        t0 = time.time()
        try:
            return self._request(method, path, body, headers, token)
        finally:
            if os.environ.get("SERVE_TIMES"):
                print(f"{time.time() - t0:6.2f}s {method} {path}")

    def _request(self, method, path, body=None, headers=None, token=True):
        h = dict(headers or {})
        if self.token and token:
            h["Authorization"] = "Bearer " + self.token
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=60)
        self.log.seek(0)
        return rc, self.log.read()


def multipart(parts):
    """parts: [(field, filename, bytes)] → (body, content type)."""
    boundary = uuid.uuid4().hex
    out = b""
    for field, filename, data in parts:
        name = f"; filename=\"{filename}\"" if filename is not None else ""
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"{name}\r\n".encode()
        out += b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def files_of(paths, field="files"):
    return multipart([(field, os.path.basename(p), open(p, "rb").read()) for p in paths])


def error_json(status, body, want_status, code=None, what=""):
    check(status == want_status, f"{what}: status {status}, expected {want_status}: {body[:300]!r}")
    try:
        j = json.loads(body)
    except ValueError:
        check(False, f"{what}: error body is not JSON: {body[:200]!r}")
        return None
    check(j.get("error", {}).get("status") == want_status, f"{what}: error.status {j}")
    if code:
        check(j["error"]["code"] == code, f"{what}: code {j['error']['code']}, expected {code}")
    check(isinstance(j.get("diagnostics"), list), f"{what}: no diagnostics list")
    return j


def raw_headers(port, head):
    """Opens a connection and sends `head` (request line and headers) only."""
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(head.encode())
    return s


def read_all(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return data
        data += chunk


def refused_then_closed(port, head, smuggled, want_status):
    """Sends `head` (a request whose body is not sent yet), reads the answer,
    then sends `smuggled` (a whole request) as if it were the body: a server
    that kept the connection would answer it too. Returns (answer, closed)."""
    s = raw_headers(port, head)
    s.settimeout(30)  # a server reading the body would not answer within it
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head_part, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in head_part.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        body += chunk
    answer = head_part.decode(errors="replace") + "\r\n\r\n" + body.decode(errors="replace")
    more = b""
    try:
        s.sendall(smuggled)
        more = read_all(s)
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.close()
    check(answer.startswith(f"HTTP/1.1 {want_status}"), f"refused before the body: {answer[:100]!r}")
    check("\r\nConnection: close\r\n" in answer, f"{want_status}: Connection: close: {answer[:400]!r}")
    check(more == b"", f"{want_status}: the connection answered what followed: {more[:100]!r}")
    return answer


def wait_running(server, n):
    """Polls /healthz until `n` requests hold a turn (no timing assumption)."""
    for _ in range(600):
        st, _, b = server.request("GET", "/healthz")
        if st == 200 and json.loads(b)["running"] == n:
            return True
        time.sleep(0.05)
    return False


def strip_files(report):
    return [{k: v for k, v in f.items() if k != "file"} for f in report["files"]]


def main():
    a = parse_args(__doc__)
    y = a.yoshiki
    root = a.root
    samples = os.path.join(root, "samples")
    hostile = os.path.join(root, "tests", "hostile", "files")
    tmp = os.path.join(a.out, "tmp")
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp)
    srv = Server(y, "--jobs", "2", "--max-upload", "16", "--request-seconds", "60", env=env)

    # ---- health, headers, page -------------------------------------------
    st, h, b = srv.request("GET", "/healthz")
    check(st == 200 and json.loads(b)["status"] == "ok", f"healthz: {st} {b[:200]!r}")
    check("script-src 'self'" in h.get("Content-Security-Policy", ""), f"CSP: {h}")
    check(h.get("X-Content-Type-Options") == "nosniff", "nosniff header")
    check(h.get("Cache-Control") == "no-store", "Cache-Control: no-store")
    st, h, b = srv.request("GET", "/")
    check(st == 200 and h.get("Content-Type", "").startswith("text/html") and b"app.js" in b, f"page: {st}")
    html = b.decode()
    check("<script>" not in html and " onclick=" not in html and "http://" not in html
          and "https://" not in html, "page: no inline script, no external resource")
    for name, ctype in (("/app.js", "text/javascript"), ("/style.css", "text/css")):
        st, h, b = srv.request("GET", name)
        check(st == 200 and h.get("Content-Type", "").startswith(ctype), f"{name}: {st} {h.get('Content-Type')}")
        check(b"http://" not in b and b"https://" not in b, f"{name}: no external resource")
    st, h, b = srv.request("GET", "/nothing.js")
    error_json(st, b, 404, "http.not-found", "missing page file")
    st, h, b = srv.request("GET", "/v1/nothing")
    error_json(st, b, 404, None, "undocumented route")

    # ---- OpenAPI: every documented route answers ------------------------
    st, h, b = srv.request("GET", "/v1/openapi.json")
    doc = json.loads(b)
    check(doc["openapi"].startswith("3."), "OpenAPI 3")
    for path, item in doc["paths"].items():
        for method in item:
            p = path.replace("{form}", "jukou-moushikomi")
            st, _, body = srv.request(method.upper(), p, body=b"" if method == "post" else None,
                                      headers={"Content-Type": "text/plain"} if method == "post" else None)
            check(st != 404 and st < 500, f"documented {method.upper()} {path}: {st} {body[:200]!r}")

    # ---- forms, blank ----------------------------------------------------
    st, h, b = srv.request("GET", "/v1/forms")
    ids = sorted(f["id"] for f in json.loads(b)["forms"])
    cli_ids = sorted(line.split("\t")[0] for line in run([y, "forms"]).stdout.splitlines())
    check(ids == cli_ids, f"forms: {ids} vs CLI {cli_ids}")
    st, h, b = srv.request("GET", "/v1/forms/jukou-moushikomi/blank")
    check(st == 200 and b.startswith(b"%PDF-") and h.get("Content-Type") == "application/pdf", f"blank: {st}")
    blank = os.path.join(a.out, "blank.pdf")
    open(blank, "wb").write(b)
    r = run(["qpdf", "--check", blank])
    check(r.returncode == 0, f"blank: qpdf --check: {r.stdout[-300:]}")
    from pypdf import PdfReader
    check(len(PdfReader(blank).get_fields() or {}) > 10, "blank: fillable fields")
    st, h, b = srv.request("GET", "/v1/forms/jukou-moushikomi/labels")
    lab = json.loads(b) if st == 200 else {}
    check(lab.get("applicant/age") == "年齢" and lab.get("applicant/postalCode") == "住所 / 郵便番号",
          f"labels: {st} {dict(list(lab.items())[:5])}")
    st, h, b = srv.request("GET", "/v1/forms/dounyu-shien/labels")
    check(json.loads(b).get("consultations/consultation/date") == "個別相談の内容 / 年月日", "labels inside <rows>")
    st, h, b = srv.request("GET", "/v1/forms/no-such-form/blank")
    error_json(st, b, 404, None, "blank of an unknown form")

    # ---- render, extract, fill (against the CLI) ------------------------
    data = os.path.join(samples, "jukou-moushikomi", "complete.xml")
    xml = open(data, "rb").read()
    st, h, b = srv.request("POST", "/v1/render?output=fillable", xml, {"Content-Type": "application/xml"})
    check(st == 200 and b.startswith(b"%PDF-"), f"render: {st} {b[:200]!r}")
    rendered = os.path.join(a.out, "rendered.pdf")
    open(rendered, "wb").write(b)
    cli_xml = run([y, "extract", rendered], "CLI extract of the rendered PDF").stdout
    body, ct = files_of([rendered], "file")
    st, h, b = srv.request("POST", "/v1/extract", body, ct)
    ex = json.loads(b) if st == 200 else {}
    check(st == 200 and ex.get("form") == "jukou-moushikomi" and ex.get("complete") is True, f"extract: {st} {b[:200]!r}")
    check(ex.get("xml") == cli_xml, "extract: the same XML as yoshiki extract")
    st, h, b = srv.request("POST", "/v1/extract?format=xml", open(rendered, "rb").read(), {"Content-Type": "application/pdf"})
    check(st == 200 and b.decode() == cli_xml, "extract ?format=xml of a raw PDF body")
    st, h, b = srv.request("POST", "/v1/extract", open(os.path.join(hostile, "truncated.pdf"), "rb").read(),
                           {"Content-Type": "application/pdf"})
    j = error_json(st, b, 400, None, "extract of a hostile PDF")
    check(j is not None and len(j["diagnostics"]) > 0, "extract of a hostile PDF: diagnostics")

    rule_fail = os.path.join(samples, "jukou-moushikomi", "rules", "JK-001-fail.xml")
    st, h, b = srv.request("POST", f"/v1/render?today={TODAY}", open(rule_fail, "rb").read(), {"Content-Type": "application/xml"})
    check(st == 200 and int(h.get("X-Yoshiki-Findings", "0")) >= 1, f"render with findings: {st} {h.get('X-Yoshiki-Findings')}")
    st, h, b = srv.request("POST", f"/v1/render?strict=1&today={TODAY}", open(rule_fail, "rb").read(),
                           {"Content-Type": "application/xml"})
    j = error_json(st, b, 400, "render.strict", "render strict")
    check(j is not None and any(d["rule"] == "JK-001" for d in j["diagnostics"]), f"render strict: JK-001 among {j}")
    check(j is not None and all("value" not in d for d in j["diagnostics"]), "error answers carry no values")
    st, h, b = srv.request("POST", "/v1/render", b"<notxml", {"Content-Type": "application/xml"})
    error_json(st, b, 400, None, "render of malformed XML")
    st, h, b = srv.request("POST", "/v1/render", xml, {"Content-Type": "text/plain"})
    error_json(st, b, 415, "http.unsupported-media-type", "render of text/plain")
    st, h, b = srv.request("POST", "/v1/render?form=../templates/jukou-moushikomi.xml", xml,
                           {"Content-Type": "application/xml"})
    error_json(st, b, 404, "form.unknown", "render with a template path: no file named by a client")
    st, h, b = srv.request("POST", "/v1/render?output=sideways", xml, {"Content-Type": "application/xml"})
    error_json(st, b, 400, "http.parameter", "render with a bad output")

    minimal = os.path.join(samples, "jukou-moushikomi", "minimal.xml")
    form_pdf = os.path.join(a.out, "form.pdf")
    run([y, "render", "jukou-moushikomi", minimal, "--fillable", "-o", form_pdf], "CLI render --fillable")
    body, ct = multipart([("form", "form.pdf", open(form_pdf, "rb").read()), ("data", "complete.xml", xml)])
    st, h, b = srv.request("POST", "/v1/fill", body, ct)
    check(st == 200 and b.startswith(b"%PDF-"), f"fill: {st} {b[:200]!r}")
    filled = os.path.join(a.out, "filled.pdf")
    open(filled, "wb").write(b)
    cli_filled = os.path.join(a.out, "cli-filled.pdf")
    run([y, "fill", form_pdf, data, "-o", cli_filled], "CLI fill")
    check(run([y, "extract", filled]).stdout == run([y, "extract", cli_filled]).stdout,
          "fill: extracts as the CLI's fill does")
    body, ct = multipart([("form", "form.pdf", open(form_pdf, "rb").read())])
    st, h, b = srv.request("POST", "/v1/fill", body, ct)
    error_json(st, b, 400, "http.upload", "fill without data")

    # ---- the 入力 page: a form's fields, typed values → data XML ----------
    st, h, b = srv.request("GET", "/v1/forms/jukou-moushikomi/fields")
    fl = json.loads(b) if st == 200 else {"fields": []}
    check(st == 200 and fl.get("form") == "jukou-moushikomi", f"fields: {st} {b[:200]!r}")
    by = {f["name"]: f for f in fl["fields"]}
    age = by.get("applicant/age", {})
    check(age.get("label") == {"ja": "年齢", "en": "applicant/age"} and age.get("widget") == "text",
          f"fields: applicant/age {age}")
    check(by.get("applicant/birthDate", {}).get("type") == "date", f"fields: a date {by.get('applicant/birthDate')}")
    situation = by.get("statusBeforeCourse/situation", {})
    check(situation.get("widget") == "radio" and [(o["value"], o["label"]) for o in situation.get("options", [])] == [("1", "離職中"), ("2", "在職中")],
          f"fields: a radio group with its options' values {situation}")
    combs = [f for f in fl["fields"] if f["widget"] == "comb"]
    check(combs and all(f.get("max_length", 0) > 0 for f in combs), f"fields: code boxes with a length {combs[:2]}")
    st, h, b = srv.request("GET", "/v1/forms/dounyu-shien/fields")
    rows = [f for f in json.loads(b)["fields"] if f.get("row", {}).get("of") == "consultations/consultation[#]/date"]
    check([f["row"]["index"] for f in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 5
          and rows[1]["name"] == "consultations/consultation[2]/date"
          and rows[1]["path"] == "consultations/consultation[2]/date",
          f"fields: a repeated row's date, rows 1..n: {[f['name'] for f in rows][:3]}")
    st, h, b = srv.request("GET", "/v1/forms/no-such-form/fields")
    error_json(st, b, 404, None, "fields of an unknown form")

    typed = {"applicationDate": "令和7年2月3日", "desiredCourse": "医療事務", "applicant/nameKana": "サトウ　ケイコ",
             "applicant/name": "佐藤　恵子", "applicant/birthDate": "1967/8/21", "applicant/age": "57",
             "applicant/address": "埼玉県川口市並木二丁目8番14号", "applicant/mobile": "090-2468-1357",
             "statusBeforeCourse/situation": "1"}
    jhead = {"Content-Type": "application/json"}
    st, h, b = srv.request("POST", f"/v1/forms/jukou-moushikomi/data?today={TODAY}",
                           json.dumps(typed).encode(), jhead)
    got = json.loads(b) if st == 200 else {}
    check(st == 200, f"data: {st} {b[:300]!r}")
    want_xml = TYPED_XML
    check(got.get("xml") == want_xml, f"data: the XML of the typed values:\n{got.get('xml')}")
    rules = [(i["rule"], i["severity"]) for i in got.get("validation", {}).get("files", [{}])[0].get("issues", [])]
    check(rules == [("JK-004", "W"), ("JK-012", "W")], f"data: minimal.xml's findings: {rules}")
    cli = json.loads(run([y, "validate", minimal, "--json", "--today", TODAY, "--no-progress"]).stdout)
    # Lines are the typed document's, not minimal.xml's (its comment).
    no_lines = lambda rep: [[{k: v for k, v in i.items() if k != "line"} for i in f["issues"]]  # noqa: E731
                            for f in rep["files"]]
    check(no_lines(got.get("validation", {"files": []})) == no_lines(cli), "data: validation as validate --json")
    st, h, b = srv.request("POST", "/v1/forms/jukou-moushikomi/data?format=xml",
                           json.dumps(typed).encode(), jhead)
    check(st == 200 and b.decode() == want_xml, f"data ?format=xml: {b[:200]!r}")
    bad = dict(typed, **{"applicant/age": "50", "applicant/birthDate": "2024/13/45"})
    st, h, b = srv.request("POST", f"/v1/forms/jukou-moushikomi/data?today={TODAY}", json.dumps(bad).encode(), jhead)
    issues = json.loads(b)["validation"]["files"][0]["issues"] if st == 200 else []
    check([(i["rule"], i["field"]) for i in issues if i["severity"] == "E"] == BAD_RULES
          and "2024/5/21" in issues[0]["message"]["ja"],
          f"data: a bad date and age: {[(i['rule'], i['field']) for i in issues]}")
    bad = dict(typed, **{"applicant/age": "50"})
    st, h, b = srv.request("POST", f"/v1/forms/jukou-moushikomi/data?today={TODAY}", json.dumps(bad).encode(), jhead)
    issues = json.loads(b)["validation"]["files"][0]["issues"] if st == 200 else []
    check([(i["rule"], i["severity"], i["field"]) for i in issues] ==
          [("JK-001", "E", "/courseApplication/applicant/age"), ("JK-004", "W", "/courseApplication/helloWorkCard"),
           ("JK-012", "W", "/courseApplication/consent")],
          f"data: a wrong age: {[(i['rule'], i['severity'], i['field']) for i in issues]}")
    st, h, b = srv.request("POST", "/v1/forms/jukou-moushikomi/data", json.dumps({"nothing/here": "1"}).encode(), jhead)
    j = error_json(st, b, 400, "fields.value", "data: an unknown field")
    check(j is not None and j["diagnostics"][0]["message"]["ja"] == "この様式にない欄です。", f"data: unknown field {j}")
    st, h, b = srv.request("POST", "/v1/forms/jukou-moushikomi/data",
                           json.dumps({"statusBeforeCourse/situation": "9"}).encode(), jhead)
    error_json(st, b, 400, "fields.value", "data: an option the field has not")
    st, h, b = srv.request("POST", "/v1/forms/jukou-moushikomi/data", b"{not json", jhead)
    error_json(st, b, 400, "http.json", "data: not JSON")
    st, h, b = srv.request("POST", "/v1/forms/jukou-moushikomi/data", json.dumps({"applicant/age": 57}).encode(), jhead)
    error_json(st, b, 400, "http.json", "data: a value not a string")
    st, h, b = srv.request("POST", "/v1/forms/jukou-moushikomi/data", b"{}", {"Content-Type": "text/plain"})
    error_json(st, b, 415, "http.unsupported-media-type", "data: text/plain")
    st, h, b = srv.request("POST", "/v1/forms/no-such-form/data", b"{}", jhead)
    error_json(st, b, 404, "form.unknown", "data: an unknown form")

    # ---- validate (against validate --json) ------------------------------
    files = [data, rule_fail, rendered, os.path.join(samples, "koyou-joukyou", "employed.xml"),
             os.path.join(hostile, "truncated.pdf"), os.path.join(hostile, "entity-name.xml")]
    cli = json.loads(run([y, "validate", *files, "--json", "--today", TODAY, "--no-progress"]).stdout)
    body, ct = files_of(files)
    st, h, b = srv.request("POST", f"/v1/validate?today={TODAY}", body, ct)
    api = json.loads(b) if st == 200 else {}
    check(st == 200, f"validate: {st} {b[:300]!r}")
    check([f.get("file") for f in api.get("files", [])] == [os.path.basename(p) for p in files],
          "validate: the uploads' names, in order")
    check(strip_files(api) == strip_files(cli), "validate: the files as validate --json reports them")
    check(api.get("summary") == cli["summary"], f"validate: summary {api.get('summary')} vs {cli['summary']}")
    check(any("value" in i for f in api.get("files", []) for i in f["issues"]), "validate: values without redact")
    st, h, b = srv.request("POST", f"/v1/validate?today={TODAY}&redact=1", body, ct)
    red = json.loads(b)
    cli_red = json.loads(run([y, "validate", *files, "--json", "--today", TODAY, "--no-progress", "--redact"]).stdout)
    check(strip_files(red) == strip_files(cli_red), "validate redact: as validate --json --redact")
    check(all("value" not in i for f in red["files"] for i in f["issues"]), "validate redact: no values")
    st, h, b = srv.request("POST", f"/v1/validate?today={TODAY}", xml, {"Content-Type": "application/xml"})
    one = json.loads(b)
    check(st == 200 and one["summary"]["valid"] == 1 and one["files"][0]["file"] == "upload", f"validate one raw body: {b[:200]!r}")
    st, h, b = srv.request("POST", "/v1/validate", b"hello", {"Content-Type": "text/plain"})
    error_json(st, b, 415, "http.unsupported-media-type", "validate of text/plain")
    body0, ct0 = multipart([("note", None, b"no file here")])
    st, h, b = srv.request("POST", "/v1/validate", body0, ct0)
    error_json(st, b, 400, "http.upload", "validate without files")
    st, h, b = srv.request("POST", "/v1/validate?today=tomorrow", xml, {"Content-Type": "application/xml"})
    error_json(st, b, 400, "http.parameter", "validate with a bad date")

    # ---- report (against yoshiki report) ---------------------------------
    senior = os.path.join(samples, "senior-program")
    senior_files = sorted(os.path.join(senior, f) for f in os.listdir(senior) if f.endswith((".xml", ".pdf")))
    body, ct = files_of(senior_files)
    cli_json = json.loads(run([y, "report", senior, "--as-of", AS_OF, "--json"]).stdout)
    st, h, b = srv.request("POST", f"/v1/report?as_of={AS_OF}&lang=ja", body, ct)
    rep = json.loads(b) if st == 200 else {}
    check(st == 200, f"report: {st} {b[:300]!r}")
    for k in ("asOf", "starters", "completers", "dropouts", "counted", "employmentRate", "trainees", "aggregates"):
        check(rep.get(k) == cli_json[k], f"report: {k} {rep.get(k)!r} vs CLI {cli_json[k]!r}")
    strip = lambda ds: [{k: v for k, v in d.items() if k != "file"} for d in ds]  # noqa: E731
    check(strip(rep.get("diagnostics", [])) == strip(cli_json["diagnostics"]), "report: diagnostics as the CLI's")
    check([os.path.basename(d["file"]) for d in rep.get("diagnostics", []) if d.get("file")] ==
          [os.path.basename(d["file"]) for d in cli_json["diagnostics"] if d.get("file")],
          "report: diagnostics name the uploads")
    check(tmp not in b.decode(errors="replace"), "report: no temporary path in the answer")
    for redact in (False, True):
        csv_path = os.path.join(a.out, f"cli-{redact}.csv")
        run([y, "report", senior, "--as-of", AS_OF, "--csv", csv_path] + (["--redact"] if redact else []))
        st, h, b = srv.request("POST", f"/v1/report?as_of={AS_OF}&format=csv" + ("&redact=1" if redact else ""), body, ct)
        check(st == 200 and b == open(csv_path, "rb").read(), f"report CSV (redact={redact}): as yoshiki report --csv")
    st, h, b = srv.request("POST", f"/v1/report?as_of={AS_OF}&format=xlsx", body, ct)
    xlsx = os.path.join(a.out, "report.xlsx")
    open(xlsx, "wb").write(b)
    import zipfile
    check(st == 200 and zipfile.is_zipfile(xlsx) and "xl/workbook.xml" in zipfile.ZipFile(xlsx).namelist(), f"report XLSX: {st}")
    st, h, b = srv.request("POST", "/v1/report?format=pdf", body, ct)
    error_json(st, b, 400, "http.parameter", "report in an unknown format")
    check(os.listdir(tmp) == [], f"temporary files left: {os.listdir(tmp)}")

    # ---- the access log; SIGTERM with nothing in flight -------------------
    rc, log = srv.stop()
    check(rc == 0, f"serve after SIGTERM: exit {rc}")
    lines = [line for line in log.splitlines() if line]
    check(any(line.startswith("POST /v1/validate 200 ") for line in lines), f"access log: {lines[:5]}")
    check(all(len(line.split()) == 5 for line in lines), f"access log: method path status bytes duration: {lines[:5]}")
    for secret in ("complete.xml", "truncated", "today=", "JK-001"):
        check(secret not in log, f"access log mentions {secret!r}")

    # ---- token, limits, busy, drain -----------------------------------------
    r = run([y, "serve", "--listen", "0.0.0.0:0"], timeout=60)
    check(r.returncode == 2 and "--token-file" in r.stderr, f"public address without a token: {r.returncode} {r.stderr}")
    token_file = os.path.join(a.out, "token")
    short = os.path.join(a.out, "short-token")
    open(short, "w").write("abc\n")
    r = run([y, "serve", "--listen", "127.0.0.1:0", "--token-file", short], timeout=60)
    check(r.returncode == 2, f"a short token: exit {r.returncode}")
    token = "s3cret-" + uuid.uuid4().hex
    open(token_file, "w").write(token + "\n")
    lim = Server(y, "--jobs", "1", "--queue", "0", "--max-upload", "1", "--token-file", token_file, token=token, env=env)
    st, h, b = lim.request("GET", "/v1/forms", token=False)
    error_json(st, b, 401, "http.unauthorized", "no token")
    check(h.get("WWW-Authenticate") == "Bearer", "401: WWW-Authenticate")
    st, h, b = lim.request("GET", "/v1/forms", headers={"Authorization": "Bearer " + token[:-1] + "x"}, token=False)
    error_json(st, b, 401, "http.unauthorized", "bad token")
    st, h, b = lim.request("GET", "/v1/forms")
    check(st == 200, f"right token: {st}")
    st, h, b = lim.request("GET", "/healthz", token=False)
    check(st == 200, "healthz needs no token")

    # Refused before the body is read: answered at once, the connection
    # closed, what follows never read as another request.
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    resp = refused_then_closed(lim.port, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                               f"\r\nContent-Type: application/xml\r\nContent-Length: {(1 << 20) + 1}\r\n\r\n",
                               smuggled, 413)
    check('"http.too-large"' in resp, f"413 as JSON: {resp[-300:]!r}")
    resp = refused_then_closed(lim.port, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml"
                               f"\r\nContent-Length: {len(smuggled)}\r\n\r\n", smuggled, 401)
    check('"http.unauthorized"' in resp, f"401 as JSON: {resp[-300:]!r}")
    # A body without one declared length (chunked, or none at all), which
    # httplib would read to its end whatever its size: 411 before a byte.
    for framing in ("Transfer-Encoding: chunked\r\n", "", "Content-Length: 5\r\nContent-Length: 6\r\n"):
        resp = refused_then_closed(lim.port, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                   token + "\r\nContent-Type: application/xml\r\n" + framing + "\r\n", smuggled, 411)
        check('"http.length-required"' in resp, f"411 as JSON ({framing!r}): {resp[-300:]!r}")

    # A request holds the only turn (its body not sent yet): the next gets 503.
    held = raw_headers(lim.port, "POST /v1/validate?today=" + TODAY + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                       token + f"\r\nContent-Type: application/xml\r\nContent-Length: {len(xml)}\r\nConnection: close\r\n\r\n")
    check(wait_running(lim, 1), "the held request holds a turn")
    st, h, b = lim.request("POST", "/v1/validate", xml, {"Content-Type": "application/xml"})
    error_json(st, b, 503, "http.busy", "busy")
    check(h.get("Retry-After") is not None, "503: Retry-After")
    check(h.get("Connection") == "close", f"503: Connection: close {h}")
    refused_then_closed(lim.port, "POST /v1/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                        f"\r\nContent-Type: application/xml\r\nContent-Length: {len(smuggled)}\r\n\r\n",
                        smuggled, 503)
    # SIGTERM now: the held request still gets its answer, then the server exits.
    lim.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)  # not an assertion: gives the signal a chance to land first
    held.sendall(xml)
    resp = read_all(held).decode(errors="replace")
    held.close()
    check(resp.startswith("HTTP/1.1 200") and '"valid":1' in resp.replace(" ", ""), f"drained request: {resp[:200]!r}")
    rc = lim.proc.wait(timeout=60)
    check(rc == 0, f"serve exit after draining: {rc}")
    check(os.listdir(tmp) == [], f"temporary files left: {os.listdir(tmp)}")

    # ---- --settings: the organisation's settings reach the rules ----------
    osaka = os.path.join(a.out, "osaka.xml")
    open(osaka, "w", encoding="utf-8").write(open(os.path.join(samples, "organisation.xml"), encoding="utf-8").read()
                                             .replace('"org.prefecture">13<', '"org.prefecture">27<'))
    support = os.path.join(samples, "dounyu-shien", "complete.xml")
    st_ = Server(y, "--settings", osaka, env=env)
    st, h, b = st_.request("POST", f"/v1/validate?today={TODAY}", open(support, "rb").read(),
                           {"Content-Type": "application/xml"})
    got = json.loads(b) if st == 200 else {"files": []}
    cli = json.loads(run([y, "validate", support, "--settings", osaka, "--json", "--today", TODAY,
                          "--no-progress"]).stdout)
    check(strip_files(got) == strip_files(cli), "--settings: validate as validate --settings")
    check(any(i["rule"] == "DS-005" and i["severity"] == "W" for i in cli["files"][0]["issues"]),
          "--settings: DS-005 compares the prefecture (27 vs 13)")
    st, h, b = st_.request("POST", f"/v1/render?today={TODAY}", open(support, "rb").read(),
                           {"Content-Type": "application/xml"})
    check(st == 200 and h.get("X-Yoshiki-Findings") == str(sum(i["severity"] != "I" for i in cli["files"][0]["issues"])),
          f"--settings: render counts the findings with them: {h.get('X-Yoshiki-Findings')}")
    rc, _ = st_.stop()
    check(rc == 0, f"serve --settings: exit {rc}")
    r = run([y, "serve", "--listen", "127.0.0.1:0", "--settings", os.path.join(a.out, "missing.xml")], timeout=60)
    check(r.returncode == 2, f"serve with a missing settings file: exit {r.returncode} {r.stderr}")

    # ---- the routes and the document must agree, or no start -------------
    fake = os.path.join(a.out, "resources")
    os.makedirs(os.path.join(fake, "web"))
    for d in ("templates", "schemas", "fonts", "programs"):
        shutil.copytree(os.path.join(root, d), os.path.join(fake, d))  # resources are never symlinks
    bad = dict(doc)
    bad["paths"] = {k: v for k, v in doc["paths"].items() if k != "/v1/fill"}
    bad["paths"]["/v1/extra"] = {"get": {}}
    json.dump(bad, open(os.path.join(fake, "web", "openapi.json"), "w"))
    r = run([y, "--resources", fake, "serve", "--listen", "127.0.0.1:0"], timeout=60)
    check(r.returncode == 2 and "POST /v1/fill" in r.stderr and "GET /v1/extra" in r.stderr,
          f"routes differ from openapi.json: {r.returncode} {r.stderr}")

    return finish(f"serve: {'ok' if not failures else f'{len(failures)} failed'}")


if __name__ == "__main__":
    sys.exit(main())
