"""Python asset checks: pipeline invariants on the staging tables, and the statutory sum checks
summarised by report on the staging and QA assets (warnings; they never stop the build)."""

import dagster as dg
from dagster_duckdb import DuckDBResource


@dg.asset_check(
    asset=dg.AssetKey(["extract", "reports"]),
    blocking=True,
    description="Every file in the raw inventory has a row in extract.reports.",
)
def every_raw_file_has_report(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """Return a failing result listing raw files the extractor produced no row for."""
    with duckdb.get_connection() as conn:
        missing = [
            row[0]
            for row in conn.execute(
                "select relative_path from extract.raw_reports"
                " anti join extract.reports on reports.source_path = raw_reports.relative_path"
                " order by relative_path"
            ).fetchall()
        ]
    return dg.AssetCheckResult(
        passed=not missing,
        metadata={"missing": len(missing), "examples": ", ".join(missing[:10])},
    )


@dg.asset_check(
    asset=dg.AssetKey(["extract", "cells"]),
    blocking=False,
    description="Every extracted value carries provenance: a page or a cell ref (a warning: the "
    "report is graded extraction_suspect, the build goes on).",
)
def cells_have_provenance(duckdb: DuckDBResource) -> dg.AssetCheckResult:
    """Return a failing result counting cells with neither a page nor a cell ref."""
    with duckdb.get_connection() as conn:
        row = conn.execute(
            "select count(*), string_agg(distinct report_id, ', ') from extract.cells"
            " where page is null and cell_ref is null"
        ).fetchall()[0]
    orphans, reports = row
    return dg.AssetCheckResult(
        passed=orphans == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"cells_without_provenance": orphans, "reports": reports or ""},
    )


def _warn_failures(
    context: dg.AssetCheckExecutionContext,
    rows: list[tuple[str, str, str, str]],
    metadata: dict[str, object],
    failures_key: str,
) -> dg.AssetCheckResult:
    """Given failing (report, check, scope, detail) rows, log one warning per report and return
    a warning result carrying `metadata` plus the failures by report under `failures_key`."""
    by_report: dict[str, list[str]] = {}
    for report_id, check_id, scope, detail in rows:
        by_report.setdefault(report_id, []).append(f"{check_id}[{scope}]: {detail}")
    for report_id, lines in by_report.items():
        context.log.warning(f"{report_id}: " + "; ".join(lines))
    return dg.AssetCheckResult(
        passed=not rows,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            **metadata,
            "failed_checks": len(rows),
            failures_key: dg.MetadataValue.json(by_report),
        },
    )


@dg.asset_check(
    asset=dg.AssetKey(["extract", "checks"]),
    blocking=False,
    description="Sum checks (report-formats.md §3) the extractor found failing, by report.",
)
def extractor_sum_checks(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """Return a warning naming every report with a failing extractor check (never an error)."""
    with duckdb.get_connection() as conn:
        rows = conn.execute(
            "select report_id, check_id, scope, detail from extract.checks"
            " where status = 'fail' order by report_id, check_id, scope"
        ).fetchall()
        evaluated = conn.execute("select count(*) from extract.checks").fetchall()[0][0]
    return _warn_failures(context, rows, {"checks_evaluated": evaluated}, "failing_reports")


@dg.asset_check(
    asset=dg.AssetKey(["qa_check_results"]),
    blocking=False,
    description="Source defects and suspect failures in qa_check_results, each with both sides.",
)
def statutory_checks_hold(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """Return a warning naming every report × check × scope that fails, and how it is classed."""
    with duckdb.get_connection() as conn:
        rows = conn.execute(
            "select report_id, check_id, check_scope,"
            " failure_class || ': ' || check_detail"
            " || coalesce(' (difference ' || printf('%g', difference) || ')', '')"
            " from main.qa_check_results where is_failure"
            " order by report_id, check_id, check_scope"
        ).fetchall()
        disagreements = conn.execute(
            "select count(*) from main.qa_check_results where agrees_with_extractor = false"
        ).fetchall()[0][0]
    metadata = {
        "failing_reports": len({row[0] for row in rows}),
        "disagreements_with_extractor": disagreements,
    }
    return _warn_failures(context, rows, metadata, "failures")


@dg.asset_check(
    asset=dg.AssetKey(["qa_report_quality"]),
    blocking=False,
    description="Reports graded other than clean or derived_totals, with the reason.",
)
def reports_are_clean(
    context: dg.AssetCheckExecutionContext, duckdb: DuckDBResource
) -> dg.AssetCheckResult:
    """Return a warning listing every report graded quarantined, suspect or source_defect."""
    with duckdb.get_connection() as conn:
        grades = dict(
            conn.execute(
                "select grade, count(*) from main.qa_report_quality group by grade"
            ).fetchall()
        )
        flagged = conn.execute(
            "select report_id, grade, reason from main.qa_report_quality"
            " where grade not in ('clean', 'derived_totals') order by grade, report_id"
        ).fetchall()
    for report_id, grade, reason in flagged:
        context.log.warning(f"{report_id}: {grade}: {reason}")
    return dg.AssetCheckResult(
        passed=not flagged,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            **{f"grade_{grade}": count for grade, count in sorted(grades.items())},
            "flagged": dg.MetadataValue.json({r: f"{g}: {why}" for r, g, why in flagged}),
        },
    )
