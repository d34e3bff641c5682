"""`make run`'s build, end to end, into a temporary warehouse from the repo's seed reports."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build once from raw/ into a temporary folder and return the published warehouse."""
    folder = tmp_path_factory.mktemp("warehouse")
    env = {
        **os.environ,
        "DISCLOSURE_RAW": str(REPO / "raw"),
        "DISCLOSURE_WAREHOUSE": str(folder / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
    }
    build = [sys.executable, "-m", "pipelines.build", "run"]
    first = subprocess.run(build, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr[-3000:] + first.stdout[-2000:]
    again = subprocess.run(build, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert again.returncode == 0
    assert "warehouse up to date" in again.stdout
    return folder / "disclosure.duckdb"


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_every_seed_report_is_in_dim_report(warehouse: Path) -> None:
    assert query(warehouse, "select count(*) from dim_report") == [(5,)]


def test_staging_views_work_in_the_published_copy(warehouse: Path) -> None:
    assert query(warehouse, "select count(*) from stg_extract__raw_reports") == [(5,)]


def test_yuhang_2020_received_29_requests(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "select value from fct_requests where report_id = '003_yuhang-drc-2020.txt'"
        " and outcome = 'new_received' and applicant_type = 'total'",
    )
    assert rows == [(29.0,)]


def test_build_database_sits_beside_the_published_one(warehouse: Path) -> None:
    assert (warehouse.parent / "disclosure.build.duckdb").exists()
    assert not list(warehouse.parent.glob(".*.tmp"))
