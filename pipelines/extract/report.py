"""Assemble one report: metadata, tables and sum checks from a `Layout`."""

from __future__ import annotations

from pipelines.extract.layout import Layout
from pipelines.extract.model import ExtractResult


def parse_report(layout: Layout, result: ExtractResult, file_name: str) -> ExtractResult:
    """Given a document layout and a result holding its source facts, fill in and return it."""
    return result
