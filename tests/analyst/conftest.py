"""One warehouse built from the hand-checked corpus, shared by every analyst test (issue 12)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO


@pytest.fixture(scope="package")
def corpus_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build `make run`'s warehouse from ../shared/corpus into a temporary folder; return it."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    folder = tmp_path_factory.mktemp("analyst")
    env = {
        **os.environ,
        "DISCLOSURE_RAW": str(CORPUS),
        "DISCLOSURE_WAREHOUSE": str(folder / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
    }
    command = [sys.executable, "-m", "pipelines.build", "run"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    return folder / "disclosure.duckdb"
