"""`make score` as a regression gate: the whole corpus scored against the committed floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.scoring import main as score_main
from tests.conftest import REPO


@pytest.mark.slow
def test_corpus_score_does_not_regress(corpus: Path, tmp_path: Path) -> None:
    floor = json.loads((REPO / "tests" / "score_baseline.json").read_text(encoding="utf-8"))
    out = tmp_path / "score.json"
    assert score_main([str(corpus), "--json", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert summary["cells_wrong"] <= floor["cells_wrong"]
    assert summary["silent_errors"] <= floor["silent_errors"]
    assert summary["cells_correct"] >= floor["cells_correct"]
    assert summary["metadata_correct"] >= floor["metadata_correct"]
    assert summary["defect_recall"] >= floor["defect_recall"]
    assert summary["defect_precision"] >= floor["defect_precision"]
