"""Shared test paths: the repo root, its sample reports and the read-only corpus beside it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def truth_for(report: Path) -> dict[str, Any]:
    """Return the hand-checked truth file that sits next to a corpus report."""
    truth = report.with_name(report.name.rsplit(".", 1)[0] + ".truth.json")
    return json.loads(truth.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Return the shared corpus folder, skipping when it is not beside the repo."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    return CORPUS
