"""The defect suite (`tests/fixtures/defects.py`): one printed cell edited per hard check, in
text, DOCX, HTML, Word PDF and browser PDF. The target check must fail and exactly the checks
the edit implies change status; where a rendering leaves a row's cell count in doubt (seed 000's
16-field T4 in text, seed 004's rows of blanks) a miss must still never be silent."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.fixtures.defects import (
    DEFECTS,
    FORMATS,
    PDF_LOOKS,
    Outcome,
    clean_extraction,
    corpus_sources,
    make_case,
    run_case,
)

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")
DOUBT = ("ambiguous_alignment", "realigned", "fuzzy_label", "unreadable")
# Floors of the share of cases read exactly (target fails, nothing else changes) per format.
EXACT_FLOOR = {"text": 0.85, "docx": 0.9, "html": 0.9, "word": 1.0, "browser": 1.0}


def _outcomes(fmt: str, tmp_path: Path) -> list[Outcome]:
    outcomes = []
    for source_fmt, source in corpus_sources(CORPUS, quick=True):
        if source_fmt != fmt:
            continue
        clean = clean_extraction(source, fmt, tmp_path)
        for defect in DEFECTS:
            case = make_case(source, fmt, defect, clean)
            if case is not None:
                outcomes.append(run_case(case, tmp_path, clean))
    return outcomes


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_edited_cell_fails_its_check(tmp_path: Path, fmt: str) -> None:
    outcomes = _outcomes(fmt, tmp_path)
    checks = {o.case.defect.check for o in outcomes}
    assert len(outcomes) >= (15 if fmt in PDF_LOOKS else 12)
    assert {"req_balance", "req_outcome_total", "req_row_total", "act_nonneg"} <= checks
    if fmt in PDF_LOOKS:
        assert {"lit_review_total", "lit_direct_total", "lit_after_review_total"} <= checks
    exact = [o for o in outcomes if o.exact]
    assert len(exact) / len(outcomes) >= EXACT_FLOOR[fmt], [
        (o.case.name, o.changed) for o in outcomes if not o.exact
    ]
    for outcome in outcomes:
        if outcome.detected:
            continue
        # A miss is never silent: a hard check fails or a check cannot be evaluated.
        assert (
            any(s in {"fail", "not_evaluable"} for s in outcome.changed.values())
            or any("realigned" in key for key in outcome.changed)
            or _flagged(outcome)
        ), outcome.case.name


def _flagged(outcome: Outcome) -> bool:
    """Return True when the edited row's cells carry a doubt flag in the edited extraction."""
    from pipelines.extract import extract_document

    path = Path(tempfile.mkdtemp()) / outcome.case.name
    path.write_bytes(outcome.case.data)
    try:
        result = extract_document(path).to_dict()
    finally:
        path.unlink()
    defect = outcome.case.defect
    return any(
        c["table"] == defect.table
        and c["row"] == defect.row
        and any(f in c["flags"] for f in DOUBT)
        for c in result["cells"]
    )
