"""yoshiki.dask on a LocalCluster of 2 worker processes: a generated set of
受講申込書 (bench/validate/make_data.py, a tenth with a deliberate defect)
(and a filled PDF, and a missing file) validated on the cluster agrees with `yoshiki validate --json`, file for
file, and its summary is the CLI's. The bench set's 10,000 files (about 20 s
here, most of it the cluster's start and the CLI's run); YOSHIKI_DASK_FILES
sets another size."""
import json
import os
import subprocess
import sys

import pytest

import yoshiki
from conftest import TODAY, cli_json

N = int(os.environ.get("YOSHIKI_DASK_FILES", "10000"))


@pytest.fixture(scope="module")
def generated(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("dask-data")
    subprocess.run([sys.executable, os.path.join(root, "bench", "validate", "make_data.py"), str(N), str(out)],
                   check=True, capture_output=True)
    files = sorted(str(out / f) for f in os.listdir(out) if f.endswith(".xml"))
    assert len(files) == N
    return files


def test_local_cluster_agrees_with_cli(cli, root, generated, tmp_path):
    distributed = pytest.importorskip("distributed")
    import yoshiki.dask

    # Besides the bench set: a filled PDF (parsed in the workers' PDF worker
    # processes) and a missing file (unreadable: the CLI's exit code 2).
    pdf = tmp_path / "filled.pdf"
    subprocess.run([cli, "render", "jukou-moushikomi", os.path.join(root, "samples", "jukou-moushikomi",
                    "complete.xml"), "-o", str(pdf), "--fillable"], check=True, capture_output=True)
    files = generated + [str(pdf), str(tmp_path / "missing.xml")]
    expected, code = cli_json(cli, files)
    assert code == 2
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, local_directory=str(tmp_path)) as cluster, \
            distributed.Client(cluster) as client:
        run = yoshiki.dask.validate(files, client, batch_size=250, today=TODAY, values=True)
        workers = len(client.scheduler_info()["workers"])
        # Reduced on the workers: the whole run's summary, only the failing results.
        failing = yoshiki.dask.validate(files, client, batch_size=700, today=TODAY, keep="failing")
    assert workers == 2
    assert [r.source for r in run] == files  # input order
    assert json.loads(run.report("json")) == expected  # file for file, and the summary
    assert run.summary == expected["summary"] and run.exit_code == code
    assert 0 < run.summary["invalid"] < N and run.summary["unreadable"] == 1
    assert run.results[-2].readable and run.results[-2].form_id == "jukou-moushikomi"
    assert failing.summary == expected["summary"] and failing.exit_code == code
    assert [r.source for r in failing] == [f["file"] for f in expected["files"] if not f["valid"]]
