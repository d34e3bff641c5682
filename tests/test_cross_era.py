"""The cross-era series: one agency followed from its legacy reports into the modern templates."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO, truth_for

pytestmark = pytest.mark.slow

# One agency with a legacy report and reports in both modern templates (an aggregate scope),
# and one with a legacy and a 2021-template report.
REPORTS = (
    "103_pingtan-guanweihui-2017",
    "107_pingtan-guanweihui-2020",
    "112_pingtan-guanweihui-2021",
    "101_pingtan-jiaojian-2017",
    "109_pingtan-jiaojian-2022",
)


@pytest.fixture(scope="module")
def warehouse(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a warehouse from the five real texts (copied to a temporary raw folder)."""
    folder = tmp_path_factory.mktemp("cross_era")
    raw = folder / "raw"
    raw.mkdir()
    for name in REPORTS:
        shutil.copy(corpus / "real" / f"{name}.txt", raw)
    env = {
        **os.environ,
        "DISCLOSURE_RAW": str(raw),
        "DISCLOSURE_WAREHOUSE": str(folder / "disclosure.duckdb"),
        "DAGSTER_HOME": str(folder / "dagster_home"),
    }
    build = [sys.executable, "-m", "pipelines.build", "run"]
    done = subprocess.run(build, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    return folder / "disclosure.duckdb"


def test_requests_received_form_one_series_per_agency(warehouse: Path, corpus: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            """
            select agency_key, report_year, template_era, value, comparability, report_id
            from fct_outcomes_cross_era
            where measure = 'received'
            order by agency_key, report_year
            """
        ).fetchall()
    series: dict[str, list[tuple[int, str]]] = {}
    for agency_key, year, era, value, comparability, report_id in rows:
        truth = truth_for(corpus / "real" / report_id)
        expected = (
            truth["legacy"]["leg_req_received"]
            if era == "legacy"
            else truth["requests"]["new_received"]["total"]
        )
        assert value == expected
        assert comparability == "exact"
        series.setdefault(agency_key, []).append((year, era))
    assert series["平潭综合实验区"] == [(2017, "legacy"), (2020, "2019"), (2021, "2021")]
    assert series["平潭综合实验区交通与建设局"] == [(2017, "legacy"), (2022, "2021")]


def test_legacy_categories_without_a_twin_stay_apart(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        legacy = dict(
            conn.execute(
                "select fact_key, comparability from fct_legacy_facts"
                " where report_id = '101_pingtan-jiaojian-2017.txt'"
            ).fetchall()
        )
        measures = {
            m
            for (m,) in conn.execute(
                "select distinct measure from fct_outcomes_cross_era"
                " where report_id = '101_pingtan-jiaojian-2017.txt'"
            ).fetchall()
        }
    assert legacy["leg_req_online"] == "not_comparable"
    assert legacy["leg_reply_granted"] == "approximate"
    assert "received" in measures
    assert not any(m.startswith("leg_") for m in measures)
