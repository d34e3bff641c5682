"""Plain data types of the extraction contract (../shared/spec/extract-contract.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

CONTRACT = "disclosure-extract/1"

BBox = tuple[float, float, float, float]


class Status(StrEnum):
    """Outcome of one input file."""

    EXTRACTED = "extracted"
    QUARANTINED = "quarantined"


class Reason(StrEnum):
    """Why a file was quarantined: the contract's list, extended by `multiple_reports` (a file
    bundling several agencies' or years' full reports, which cannot be one report's facts)."""

    NOT_A_REPORT = "not_a_report"
    IMAGE_ONLY = "image_only"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    EMPTY = "empty"
    UNSUPPORTED_FORMAT = "unsupported_format"
    NO_TABLES_FOUND = "no_tables_found"
    MULTIPLE_REPORTS = "multiple_reports"


class Era(StrEnum):
    """Template era of a report, decided from its table layout."""

    LEGACY = "legacy"
    T2019 = "2019"
    T2021 = "2021"


class CheckStatus(StrEnum):
    """Result of one sum check (report-formats.md §3.1)."""

    PASS = "pass"
    FAIL = "fail"
    NOT_EVALUABLE = "not_evaluable"
    PASS_DERIVED = "pass_derived"


@dataclass
class Cell:
    """One extracted value with its provenance.

    `ref` locates the cell where the format has no page geometry (e.g. `line 212` in a text file,
    `table 2 row 5 col 3` in HTML/DOCX); `unit` is the money unit printed with the value, if any.
    """

    table: str
    row: str
    col: str | None
    raw: str
    value: float | int | None
    page: int | None = None
    bbox: BBox | None = None
    ref: str | None = None
    unit: str | None = None
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the cell as a contract JSON object."""
        return {
            "table": self.table,
            "row": self.row,
            "col": self.col,
            "raw": self.raw,
            "value": self.value,
            "page": self.page,
            "bbox": list(self.bbox) if self.bbox else None,
            "ref": self.ref,
            "unit": self.unit,
            "flags": list(self.flags),
        }


@dataclass
class CheckResult:
    """One evaluated sum check: id, scope, status and a human-readable detail."""

    check: str
    scope: str
    status: CheckStatus
    detail: str
    severity: str = "hard"

    def to_dict(self) -> dict[str, Any]:
        """Return the check as a contract JSON object."""
        return {
            "check": self.check,
            "scope": self.scope,
            "status": str(self.status),
            "detail": self.detail,
            "severity": self.severity,
        }


@dataclass
class Document:
    """Report-level metadata."""

    agency: str | None = None
    year: int | None = None
    era: Era | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class ExtractResult:
    """Everything extracted from one file; `to_dict()` gives the contract's JSON object."""

    path: str
    sha256: str
    format: str
    status: Status = Status.EXTRACTED
    reason: Reason | None = None
    detail: str | None = None
    document: Document = field(default_factory=Document)
    cells: list[Cell] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)

    def quarantine(self, reason: Reason, detail: str) -> ExtractResult:
        """Mark this result quarantined for `reason` and return it."""
        self.status = Status.QUARANTINED
        self.reason = reason
        self.detail = detail
        return self

    def facts(self, table: str) -> dict[str, Any]:
        """Return the values of one table in the contract's nested shape."""
        out: dict[str, Any] = {}
        for cell in self.cells:
            if cell.table != table:
                continue
            if cell.col is None:
                out[cell.row] = cell.value
            else:
                out.setdefault(cell.row, {})[cell.col] = cell.value
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the contract JSON object for this file."""
        return {
            "contract": CONTRACT,
            "source": {"path": self.path, "sha256": self.sha256, "format": self.format},
            "status": str(self.status),
            "reason": str(self.reason) if self.reason else None,
            "detail": self.detail,
            "document": {
                "agency": self.document.agency,
                "year": self.document.year,
                "era": str(self.document.era) if self.document.era else None,
                "flags": list(self.document.flags),
            },
            "requests": self.facts("requests"),
            "review_litigation": self.facts("review_litigation"),
            "proactive": self.facts("proactive"),
            "legacy": self.facts("legacy"),
            "checks": [c.to_dict() for c in self.checks],
            "cells": [c.to_dict() for c in self.cells],
        }
