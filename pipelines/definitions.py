"""The one Definitions: assets by stage, checks, jobs, automation and resources."""

from __future__ import annotations

import dagster as dg

from pipelines.assets.documents import raw_reports
from pipelines.assets.extraction import extraction_assets
from pipelines.assets.warehouse import published_warehouse, warehouse_models
from pipelines.automation import BUILD_JOB, nightly_build, raw_folder_sensor
from pipelines.checks import (
    cells_have_provenance,
    every_raw_file_has_report,
    extractor_sum_checks,
    reports_are_clean,
    statutory_checks_hold,
)
from pipelines.resources import build_resources
from pipelines.settings import Settings

build_warehouse = dg.define_asset_job(
    BUILD_JOB,
    selection=dg.AssetSelection.all(),
    description="Inventory, extract, build and test the marts, then publish the warehouse.",
)
extract_reports = dg.define_asset_job(
    "extract_reports",
    selection=dg.AssetSelection.groups("documents", "extraction"),
    description="Refresh only the staging tables (inventory and extraction).",
)

settings = Settings.from_env()
defs = dg.Definitions(
    assets=[raw_reports, *extraction_assets(settings), warehouse_models, published_warehouse],
    asset_checks=[
        every_raw_file_has_report,
        cells_have_provenance,
        extractor_sum_checks,
        statutory_checks_hold,
        reports_are_clean,
    ],
    jobs=[build_warehouse, extract_reports],
    schedules=[nightly_build],
    sensors=[raw_folder_sensor],
    resources=build_resources(settings),
    # DuckDB has a single writer, so steps run one after another in the run's process.
    executor=dg.in_process_executor,
)
