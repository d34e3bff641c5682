"""The dbt docs site documents every column of the analyst tables (issue 12): each column the
warehouse holds has a description in the models' schema yml."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

ANALYST_MODELS = (
    "dim_agency", "dim_report", "fct_fees", "fct_legacy_facts", "fct_proactive",
    "fct_procurement", "fct_requests", "fct_review_litigation", "mart_agency_year",
    "int_report_measures",
)  # fmt: skip


def test_every_column_of_the_analyst_tables_is_described(corpus_warehouse: Path) -> None:
    manifest = json.loads((REPO / "dbt_project" / "target" / "manifest.json").read_text())
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        for model in ANALYST_MODELS:
            columns = [
                c for (c,) in conn.execute(f"select column_name from (describe {model})").fetchall()
            ]
            documented = {
                name for name, column in nodes[model]["columns"].items() if column["description"]
            }
            assert nodes[model]["description"], model
            assert set(columns) - documented == set(), model
