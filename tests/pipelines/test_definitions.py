"""Smoke tests of the one Definitions: it loads, its jobs resolve, lineage joins up."""

import dagster as dg

from pipelines.definitions import defs

EXTRACT_KEYS = [
    dg.AssetKey(["extract", name]) for name in ("raw_reports", "reports", "cells", "checks")
]


def test_definitions_are_loadable() -> None:
    dg.Definitions.validate_loadable(defs)


def test_jobs_resolve() -> None:
    for name in ("build_warehouse", "extract_reports"):
        assert defs.resolve_job_def(name).name == name


def test_python_assets_are_the_dbt_sources() -> None:
    graph = defs.resolve_asset_graph()
    staging = dg.AssetKey(["stg_extract__cells"])
    assert dg.AssetKey(["extract", "cells"]) in graph.get(staging).parent_keys
    for key in EXTRACT_KEYS:
        assert graph.get(key).is_materializable


def test_publish_waits_for_every_dbt_model() -> None:
    graph = defs.resolve_asset_graph()
    parents = graph.get(dg.AssetKey(["published_warehouse"])).parent_keys
    for model in ("dim_report", "fct_requests", "fct_procurement", "qa_check_results"):
        assert dg.AssetKey([model]) in parents


def test_python_checks_are_registered() -> None:
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {"every_raw_file_has_report", "cells_have_provenance"} <= checks
