"""Fixtures of the binding's tests: the CLI of this build (the reference the
binding must agree with), the source tree, one shared Engine, and the CLI's
--json report of a set of files."""
import glob
import json
import os
import subprocess

import pytest

TODAY = "2026-01-01"


@pytest.fixture(scope="session")
def cli():
    return os.environ["YOSHIKI_TEST_CLI"]


@pytest.fixture(scope="session")
def root():
    return os.environ["YOSHIKI_TEST_ROOT"]


@pytest.fixture(scope="session")
def engine():
    import yoshiki
    return yoshiki.Engine()


@pytest.fixture(scope="session")
def samples(root):
    """Every sample data file: valid ones and each rule's failing example."""
    files = sorted(glob.glob(os.path.join(root, "samples", "*", "*.xml")) +
                   glob.glob(os.path.join(root, "samples", "*", "rules", "*.xml")))
    assert len(files) > 50
    return files


def cli_json(cli, paths, *extra):
    """`yoshiki validate --json` of `paths` (a file list on the input stream)."""
    r = subprocess.run([cli, "validate", "--json", "--today", TODAY, "--files-from", "-", *extra],
                       input="\n".join(paths) + "\n", capture_output=True, text=True)
    assert r.returncode in (0, 1, 2), r.stderr
    return json.loads(r.stdout), r.returncode
