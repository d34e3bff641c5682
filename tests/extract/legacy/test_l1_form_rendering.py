"""The national L1 statistics form read back from a generated HTML 附表, every row by label."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipelines.extract import extract_document
from tests.fixtures.legacy_forms import L1_VALUES, render_l1_html, write_l1_docx


def _extract(tmp_path: Path, values: dict[str, int | float]) -> dict[str, Any]:
    path = tmp_path / "report-2016.html"
    path.write_text(render_l1_html(values), encoding="utf-8")
    return extract_document(path).to_dict()


def test_l1_form_in_docx(tmp_path: Path) -> None:
    out = extract_document(write_l1_docx(L1_VALUES, tmp_path / "report.docx")).to_dict()
    assert out["document"]["year"] == 2017
    assert out["legacy"] == pytest.approx(L1_VALUES)


def test_every_l1_row_is_read(tmp_path: Path) -> None:
    out = _extract(tmp_path, L1_VALUES)
    assert out["document"]["era"] == "legacy"
    assert out["legacy"] == pytest.approx(L1_VALUES)
    failing = [c for c in out["checks"] if c["status"] == "fail"]
    assert failing == []


def test_an_edited_row_fails_its_legacy_check(tmp_path: Path) -> None:
    edited = {**L1_VALUES, "leg_req_online": 28}
    out = _extract(tmp_path, edited)
    failing = {(c["check"], c["scope"]) for c in out["checks"] if c["status"] == "fail"}
    assert ("leg_req_channels", "legacy") in failing
