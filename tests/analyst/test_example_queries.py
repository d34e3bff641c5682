"""Every example query of docs/analyst.md runs against the corpus warehouse and returns rows,
and each is a dbt exposure that depends on exactly the tables it reads (issue 12)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow

GUIDE = REPO / "docs" / "analyst.md"
EXPOSURES = REPO / "dbt_project" / "models" / "exposures.yml"
SQL_BLOCK = re.compile(r"```sql\n(.*?)```", re.S)
NAME = re.compile(r"^-- exposure: (\w+)")
TABLE = re.compile(r"\b(?:from|join)\s+([a-z_]+)\b")


def example_queries() -> dict[str, str]:
    """Return {exposure name: SQL} of every example in the guide."""
    queries = {}
    for block in SQL_BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        match = NAME.match(block)
        assert match, f"an example lacks its `-- exposure:` line: {block[:80]}"
        queries[match.group(1)] = block
    return queries


QUERIES = example_queries()


def test_the_guide_has_at_least_twelve_examples_with_the_four_questions() -> None:
    assert len(QUERIES) >= 12
    text = GUIDE.read_text(encoding="utf-8")
    for question in (
        "Which district bureaus refuse most often, and on what grounds?",
        "Did denials rise after the 2019 rules?",
        "Who loses most in court?",
        "Which reports don't add up, and where exactly?",
    ):
        assert question in text


def test_every_example_is_an_exposure_on_the_tables_it_reads() -> None:
    exposures = {e["name"]: e for e in yaml.safe_load(EXPOSURES.read_text())["exposures"]}
    assert set(exposures) == set(QUERIES)
    for name, sql in QUERIES.items():
        tables = {t for t in TABLE.findall(sql) if not t.startswith("unnest")} - {"unnest"}
        refs = {re.sub(r"ref\('(\w+)'\)", r"\1", d) for d in exposures[name]["depends_on"]}
        assert refs == tables, name


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_example_query_returns_rows(corpus_warehouse: Path, name: str) -> None:
    with duckdb.connect(str(corpus_warehouse), read_only=True) as conn:
        rows = conn.execute(QUERIES[name]).fetchall()
    assert rows, f"{name} returned no rows"
