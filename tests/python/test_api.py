"""The binding's API against the samples and the CLI (issue #21): the same
verdicts, rule ids and fields file for file, bytes as paths, the CLI's own
report text, render / extract / fill / to_dict, the report tables, errors
mapped to yoshiki.Error subclasses, values only when asked for, pandas."""
import json
import os
import pickle
import subprocess

import pytest

import yoshiki
from conftest import TODAY, cli_json


def issues(result):
    return [(d.rule, d.severity[0].upper(), d.field or "", d.line) for d in result.diagnostics]


def cli_issues(f):
    return [(i["rule"], i["severity"], i["field"], i["line"]) for i in f["issues"]]


def test_version(cli):
    out = subprocess.run([cli, "--version"], capture_output=True, text=True).stdout
    assert out == f"yoshiki {yoshiki.__version__}\n"


def test_forms(engine, cli):
    out = subprocess.run([cli, "forms"], capture_output=True, text=True, check=True).stdout
    expected = [tuple(ln.split("\t")) for ln in out.splitlines()]
    assert [(f.id, f.version, f.title) for f in engine.forms()] == expected
    assert [f.id for f in yoshiki.forms()] == [e[0] for e in expected]


def test_samples_agree_with_cli(engine, cli, samples):
    report, _ = cli_json(cli, samples)
    assert len(report["files"]) == len(samples)
    verdicts = set()
    for path, f in zip(samples, report["files"]):
        r = engine.validate(path, today=TODAY)
        assert (r.source, r.form_id, r.readable, r.valid) == (f["file"], f["form"], f["readable"], f["valid"]), path
        assert issues(r) == cli_issues(f), path
        # The same document as bytes: the same findings, under the given name.
        with open(path, "rb") as fh:
            b = engine.validate(fh.read(), name=path, today=TODAY)
        assert (b.valid, issues(b)) == (r.valid, issues(r)), path
        verdicts.add(r.valid)
    assert verdicts == {True, False}
    # The binding's report of its own results is the CLI's, byte for byte
    # but for nothing: same files, same order, same findings.
    results = list(engine.validate_bulk(samples, jobs=2, today=TODAY, values=True))
    assert json.loads(yoshiki.report(results, format="json")) == report
    assert yoshiki.summary(results) == {k: report["summary"][k] for k in report["summary"]}


def test_validate_bulk_in_order_and_stoppable(engine, samples):
    it = engine.validate_bulk(samples, jobs=3, today=TODAY)
    first = [next(it).source for _ in range(5)]
    assert first == samples[:5]
    it.close()  # stops the run; the iterator is then exhausted
    assert list(it) == []
    # A folder expands as the CLI's: every *.xml and *.pdf below it, sorted.
    folder = os.path.dirname(samples[0])
    assert [r.source for r in engine.validate_bulk([folder])] == yoshiki.expand_paths([folder])


def test_values_only_when_asked(engine, root):
    bad = os.path.join(root, "samples", "jukou-moushikomi", "rules")
    fails = sorted(os.path.join(bad, f) for f in os.listdir(bad) if "fail" in f)
    with_values = [d for f in fails for d in engine.validate(f, today=TODAY, values=True).diagnostics]
    assert any(d.value for d in with_values)
    without = [d for f in fails for d in engine.validate(f, today=TODAY).diagnostics]
    assert [d.value for d in without] == [None] * len(without)
    assert [d.rule for d in without] == [d.rule for d in with_values]
    d = with_values[0]
    assert d.severity in ("error", "warning", "info") and d.message_en and d.message_ja
    assert d.value not in repr(d)  # personal data never in a repr (logs)
    assert pickle.loads(pickle.dumps(d)) == d


def test_unreadable_and_io(engine, tmp_path):
    r = engine.validate(str(tmp_path / "missing.xml"))
    assert (r.readable, r.valid, r.io_error) == (False, False, True)
    r = engine.validate(b"<not-xml")
    assert (r.readable, r.io_error, r.source) == (False, False, "<bytes>")
    assert r.diagnostics and r.diagnostics[0].rule.startswith("xml.")


def test_errors_map_to_exceptions(engine, tmp_path, root):
    with pytest.raises(yoshiki.UsageError) as e:
        engine.render("no-such-form")
    assert isinstance(e.value, yoshiki.Error) and e.value.kind == "usage" and e.value.exit_code == 2
    assert e.value.diagnostics and isinstance(e.value.diagnostics[0], yoshiki.Diagnostic)
    with pytest.raises(yoshiki.InvalidInputError) as e:
        engine.extract(b"%PDF-1.4 not really a pdf")
    assert e.value.kind == "invalid-input" and e.value.exit_code == 1 and e.value.diagnostics
    with pytest.raises(yoshiki.IoError) as e:
        engine.render("jukou-moushikomi", str(tmp_path / "missing.xml"))
    assert e.value.kind == "io"
    with pytest.raises(yoshiki.InvalidInputError) as e:
        engine.render("jukou-moushikomi", b"<jukou/>")
    with pytest.raises(yoshiki.IoError) as e:
        yoshiki.Engine(str(tmp_path))  # no catalogue there
    assert e.value.diagnostics[0].rule == "resources.not-found"
    with pytest.raises(TypeError):
        engine.validate(42)
    with pytest.raises(ValueError):
        engine.render("jukou-moushikomi", output="sideways")
    # render(strict=True) refuses data with a business-rule error.
    fail = os.path.join(root, "samples", "jukou-moushikomi", "rules")
    fail = os.path.join(fail, sorted(f for f in os.listdir(fail) if "fail" in f)[0])
    if not engine.validate(fail, today=TODAY).valid:
        with pytest.raises(yoshiki.InvalidInputError) as e:
            engine.render("jukou-moushikomi", fail, strict=True, today=TODAY)
        assert all(d.severity == "error" for d in e.value.diagnostics)


def test_pdf_worker_lookup(tmp_path):
    with pytest.raises(yoshiki.IoError) as e:
        yoshiki.Engine(pdf_worker=str(tmp_path / "nothing"))
    assert str(tmp_path / "nothing") in str(e.value) and "in_process=True" in str(e.value)
    assert e.value.diagnostics[0].rule == "python.pdf-worker-missing"
    assert yoshiki.Engine(in_process=True).pdf_worker == []
    assert yoshiki.Engine().pdf_worker == [os.environ["YOSHIKI_TEST_CLI"], "--pdf-worker"]


def test_render_extract_fill(engine, cli, root, tmp_path):
    data = os.path.join(root, "samples", "koyou-joukyou", "employed.xml")
    date = "2026-01-01T00:00:00Z"
    pdf = engine.render("koyou-joukyou", data, creation_date=date, output="fillable")
    out = tmp_path / "cli.pdf"
    subprocess.run([cli, "render", "koyou-joukyou", data, "-o", str(out), "--creation-date", date,
                    "--fillable"], check=True, capture_output=True)
    assert pdf == out.read_bytes()  # byte for byte the CLI's
    # Read back (in the worker, and in process): the CLI's XML.
    path = tmp_path / "filled.pdf"
    path.write_bytes(pdf)
    xml, notes = engine.extract(str(path))
    cli_xml = subprocess.run([cli, "extract", str(path)], capture_output=True, text=True, check=True).stdout
    assert xml == cli_xml
    assert yoshiki.Engine(in_process=True).extract(pdf)[0] == xml
    d = yoshiki.to_dict(xml)
    assert list(d) == [engine.forms()[[f.id for f in engine.forms()].index("koyou-joukyou")].data_root]
    assert isinstance(next(iter(d.values())), dict)
    # A PDF validates as its data does.
    assert engine.validate(str(path), today=TODAY).valid == engine.validate(data, today=TODAY).valid
    # fill: a blank form filled with the data is the filled render's data.
    blank = engine.render("koyou-joukyou", creation_date=date)
    filled = engine.fill(blank, data, creation_date=date)
    assert filled.startswith(b"%PDF-") and engine.extract(filled)[0] == xml


def test_senior_report_tables(engine, cli, root, tmp_path):
    folder = os.path.join(root, "samples", "senior-program")
    r = engine.senior_report([folder], as_of="2025-03-31")
    csv = tmp_path / "list.csv"
    subprocess.run([cli, "report", folder, "--as-of", "2025-03-31", "--csv", str(csv)],
                   capture_output=True)
    assert r.list.to_csv() == csv.read_bytes()
    assert r.list.rows and len(r.list.rows[0]) == len(r.list.columns)
    assert r.starters == r.completers + r.dropouts and r.aggregates
    assert r.to_xlsx()[:2] == b"PK"
    redacted = engine.senior_report([folder], as_of="2025-03-31", redact=True)
    assert not any(c.personal for c in redacted.list.columns)


def test_pandas(engine, samples):
    pd = pytest.importorskip("pandas")
    results = list(engine.validate_bulk(samples[:20], today=TODAY))
    frame = yoshiki.to_dataframe(results)
    assert isinstance(frame, pd.DataFrame) and list(frame["source"]) == samples[:20]
    assert list(frame["valid"]) == [r.valid for r in results]
    bad = next(r for r in results if r.diagnostics)
    assert list(bad.to_pandas()["rule"]) == [d.rule for d in bad.diagnostics]
    t = engine.senior_report([os.path.join(os.path.dirname(os.path.dirname(samples[0])), "senior-program")],
                             as_of="2025-03-31").list
    assert t.to_pandas().shape == (len(t.rows), len(t.columns))


def test_render_with_settings(engine, cli, root, tmp_path):
    settings = os.path.join(root, "samples", "organisation.xml")
    loaded = yoshiki.load_settings(settings)
    assert loaded and all(isinstance(v, str) for v in loaded.values())
    date = "2026-01-01T00:00:00Z"
    out = tmp_path / "cli.pdf"
    subprocess.run([cli, "render", "dounyu-shien", "-o", str(out), "--creation-date", date,
                    "--settings", settings], check=True, capture_output=True)
    assert engine.render("dounyu-shien", settings=loaded, creation_date=date) == out.read_bytes()
    assert engine.render("dounyu-shien", creation_date=date) != out.read_bytes()


def test_validate_with_settings(engine, cli, root, tmp_path):
    """settings= as the CLI's --settings: DS-005 compares the 講習番号's
    prefecture (47) with the organisation's (13 in organisation.xml) instead
    of noting that the setting is missing; a path or a dict, in validate,
    validate_bulk and render's check alike."""
    data = os.path.join(root, "samples", "dounyu-shien", "rules", "DS-005-pass.xml")
    settings = os.path.join(root, "samples", "organisation.xml")

    def ds005(result):
        return [(d.rule, d.severity) for d in result.diagnostics if d.rule in ("DS-005", "rules.setting-missing")]

    assert ds005(engine.validate(data, today=TODAY)) == [("rules.setting-missing", "info")]
    with_file = engine.validate(data, today=TODAY, settings=settings)
    assert ds005(with_file) == [("DS-005", "warning")]
    report, _ = cli_json(cli, [data], "--settings", settings)
    assert issues(with_file) == cli_issues(report["files"][0])
    assert ds005(engine.validate(data, today=TODAY, settings=yoshiki.load_settings(settings))) == [("DS-005", "warning")]
    assert ds005(engine.validate(data, today=TODAY, settings={"org.prefecture": "47"})) == []
    with open(data, "rb") as fh:
        assert ds005(engine.validate(fh.read(), name=data, today=TODAY, settings=settings)) == [("DS-005", "warning")]
    assert [ds005(r) for r in engine.validate_bulk([data, data], today=TODAY, settings=settings)] == \
        [[("DS-005", "warning")]] * 2
    assert ds005(yoshiki.validate(data, today=TODAY, settings=settings)) == [("DS-005", "warning")]
    # render: a path prints as its dict does; a warning does not fail the strict check.
    date = "2026-01-01T00:00:00Z"
    assert engine.render("dounyu-shien", data, settings=settings, strict=True, today=TODAY, creation_date=date) == \
        engine.render("dounyu-shien", data, settings=yoshiki.load_settings(settings), creation_date=date)
    with pytest.raises(yoshiki.IoError):
        engine.validate(data, settings=str(tmp_path / "missing.xml"))
    with pytest.raises(TypeError):
        engine.validate(data, settings=b"<settings/>")
