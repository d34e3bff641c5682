"""Turn extraction results into the staging tables (Polars frames with declared schemas).

These frames are what the pipeline writes into the warehouse schema `extract`, and what the dbt
sources `extract.reports`, `extract.cells` and `extract.checks` read.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipelines.extract.model import ExtractResult

REPORTS_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.String(),
    "source_path": pl.String(),
    "sha256": pl.String(),
    "format": pl.String(),
    "status": pl.String(),
    "reason": pl.String(),
    "detail": pl.String(),
    "agency": pl.String(),
    "year": pl.Int32(),
    "era": pl.String(),
    "document_flags": pl.List(pl.String()),
    "extractor_version": pl.String(),
    # Set by the pipeline, not the extractor: the file whose identical bytes were extracted.
    "duplicate_of": pl.String(),
}

CELLS_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.String(),
    "table_name": pl.String(),
    "row_key": pl.String(),
    "col_key": pl.String(),
    "raw_text": pl.String(),
    "value": pl.Float64(),
    "page": pl.Int32(),
    "bbox_x0": pl.Float64(),
    "bbox_top": pl.Float64(),
    "bbox_x1": pl.Float64(),
    "bbox_bottom": pl.Float64(),
    "cell_ref": pl.String(),
    "unit": pl.String(),
    "flags": pl.List(pl.String()),
}

CHECKS_SCHEMA: dict[str, pl.DataType] = {
    "report_id": pl.String(),
    "check_id": pl.String(),
    "scope": pl.String(),
    "status": pl.String(),
    "severity": pl.String(),
    "detail": pl.String(),
}


def results_to_frames(
    results: Iterable[ExtractResult], extractor_version: str
) -> dict[str, pl.DataFrame]:
    """Given extraction results, return the staging frames `reports`, `cells` and `checks`.

    The report id is the source path as given to the extractor (relative to the raw folder in the
    pipeline), so it is unique within one warehouse and readable by an analyst.
    """
    reports: list[dict[str, object]] = []
    cells: list[dict[str, object]] = []
    checks: list[dict[str, object]] = []
    for res in results:
        report_id = res.path
        reports.append(
            {
                "report_id": report_id,
                "source_path": res.path,
                "sha256": res.sha256,
                "format": res.format,
                "status": str(res.status),
                "reason": str(res.reason) if res.reason else None,
                "detail": res.detail,
                "agency": res.document.agency,
                "year": res.document.year,
                "era": str(res.document.era) if res.document.era else None,
                "document_flags": list(res.document.flags),
                "extractor_version": extractor_version,
                "duplicate_of": None,
            }
        )
        for cell in res.cells:
            x0, top, x1, bottom = cell.bbox if cell.bbox else (None, None, None, None)
            cells.append(
                {
                    "report_id": report_id,
                    "table_name": cell.table,
                    "row_key": cell.row,
                    "col_key": cell.col,
                    "raw_text": cell.raw,
                    "value": None if cell.value is None else float(cell.value),
                    "page": cell.page,
                    "bbox_x0": x0,
                    "bbox_top": top,
                    "bbox_x1": x1,
                    "bbox_bottom": bottom,
                    "cell_ref": cell.ref,
                    "unit": cell.unit,
                    "flags": list(cell.flags),
                }
            )
        for check in res.checks:
            checks.append(
                {
                    "report_id": report_id,
                    "check_id": check.check,
                    "scope": check.scope,
                    "status": str(check.status),
                    "severity": check.severity,
                    "detail": check.detail,
                }
            )
    return {
        "reports": pl.DataFrame(reports, schema=REPORTS_SCHEMA, orient="row"),
        "cells": pl.DataFrame(cells, schema=CELLS_SCHEMA, orient="row"),
        "checks": pl.DataFrame(checks, schema=CHECKS_SCHEMA, orient="row"),
    }
