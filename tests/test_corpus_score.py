"""`make score` as a regression gate: every corpus file scored against its own floor in
tests/score_baseline.json (pipelines/scoring.py `gate`), so no file may fall behind another's
gain, and a new truth file fails until the baseline is refreshed on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.scoring import gate, risen
from pipelines.scoring import main as score_main
from tests.conftest import REPO

BASELINE = REPO / "tests" / "score_baseline.json"


@pytest.mark.slow
def test_corpus_score_does_not_regress_in_any_file(corpus: Path, tmp_path: Path) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    out = tmp_path / "score.json"
    assert score_main([str(corpus), "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    breaches = gate(baseline, report)
    assert not breaches, "\n".join(breaches)
    summary = report["summary"]
    # The corpus-wide musts: nothing wrong, nothing silent, every agency right.
    assert summary["cells_wrong"] == 0
    assert summary["silent_errors"] == 0
    assert summary["agency_correct"] == summary["files"]
    better = risen(baseline, report)
    if better:
        print("files above their baseline (raise it with --write-baseline):", *better)
