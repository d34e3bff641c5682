"""The scorer and its per-file gate on small hand-made outputs and truths (no extraction)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.scoring import (
    FileScore,
    baseline_of,
    build_report,
    compare,
    gate,
    risen,
    summarise,
    total_line,
    write_baseline,
)


def _truth(**tables: Any) -> dict[str, Any]:
    return {
        "status": "extracted",
        "document": {"agency": "杭州市财政局", "year": 2020, "era": "2019"},
        "source_defects": [],
        **tables,
    }


def _out(
    checks: list[dict[str, Any]] | None = None, cells: list[Any] | None = None, **tables: Any
) -> dict[str, Any]:
    return {
        "status": "extracted",
        "reason": None,
        "document": {"agency": "杭州市财政局", "year": 2020, "era": "2019", "flags": []},
        "requests": {},
        "review_litigation": {},
        "proactive": {},
        "legacy": {},
        "checks": checks or [],
        "cells": cells or [],
        **tables,
    }


def _fail(check: str = "req_balance", scope: str = "total") -> dict[str, Any]:
    return {"check": check, "scope": scope, "status": "fail", "severity": "hard"}


REQUESTS = {"new_received": {"natural_person": 3, "total": 3}}


def test_right_values_and_metadata() -> None:
    score = compare(_out(requests=REQUESTS), _truth(requests=REQUESTS), "a.txt")
    assert (score.total, score.correct, score.wrong, score.missing, score.silent) == (2, 2, 0, 0, 0)
    assert score.meta_ok and score.agency_ok


def test_a_wrong_value_in_a_report_whose_checks_pass_is_silent() -> None:
    got = {"new_received": {"natural_person": 3, "total": 4}}
    score = compare(_out(requests=got), _truth(requests=REQUESTS), "a.txt")
    assert (score.correct, score.wrong, score.silent) == (1, 1, 1)
    assert any("WRONG (silent)" in p for p in score.problems)


def test_a_wrong_value_is_flagged_by_a_failing_hard_check() -> None:
    got = {"new_received": {"natural_person": 3, "total": 4}}
    out = _out(checks=[_fail()], requests=got)
    score = compare(out, _truth(requests=REQUESTS), "a.txt")
    assert (score.wrong, score.silent) == (1, 0)
    # The check fails but the truth names no such source defect: a false alarm.
    assert (score.defects_reported, score.defects_found, score.false_alarms) == (1, 0, 1)


def test_a_soft_or_structural_failure_flags_nothing() -> None:
    got = {"new_received": {"natural_person": 3, "total": 4}}
    checks = [
        {**_fail("req_prose_match"), "severity": "soft"},
        _fail("req_cell_count"),
    ]
    score = compare(_out(checks=checks, requests=got), _truth(requests=REQUESTS), "a.txt")
    assert (score.wrong, score.silent, score.defects_reported) == (1, 1, 0)


def test_a_wrong_value_with_a_doubt_flag_on_its_cell_is_not_silent() -> None:
    got = {"new_received": {"natural_person": 3, "total": 4}}
    cell = {
        "table": "requests",
        "row": "new_received",
        "col": "total",
        "flags": ["ambiguous_alignment"],
    }
    score = compare(_out(cells=[cell], requests=got), _truth(requests=REQUESTS), "a.txt")
    assert (score.wrong, score.silent) == (1, 0)
    cell["flags"] = ["dash_zero"]  # a reading flag is no doubt
    score = compare(_out(cells=[cell], requests=got), _truth(requests=REQUESTS), "a.txt")
    assert score.silent == 1


def test_a_missing_value_is_missing_not_wrong() -> None:
    got = {"new_received": {"natural_person": 3}}
    score = compare(_out(requests=got), _truth(requests=REQUESTS), "a.txt")
    assert (score.correct, score.missing, score.wrong, score.silent) == (1, 1, 0, 0)
    # A whole table absent: every cell missing.
    score = compare(_out(), _truth(requests=REQUESTS, review_litigation={"review_total": 0}), "a")
    assert (score.missing, score.wrong) == (3, 0)


def test_null_truth_matches_only_null() -> None:
    truth = _truth(requests={"outcome_total": {"natural_person": None, "total": None}})
    out = _out(requests={"outcome_total": {"natural_person": None, "total": 17}})
    score = compare(out, truth, "a.txt")
    assert (score.correct, score.wrong, score.silent) == (1, 1, 1)
    # A zero is no null either.
    out = _out(requests={"outcome_total": {"natural_person": 0, "total": None}})
    assert compare(out, truth, "a.txt").wrong == 1


def test_money_compares_within_rounding() -> None:
    truth = _truth(proactive={"central_procurement": {"procurement_amount": 98.4361}})
    out = _out(proactive={"central_procurement": {"procurement_amount": 984361 / 10000}})
    assert compare(out, truth, "a.txt").correct == 1


def test_agency_mismatch_counts_in_metadata_and_on_its_own() -> None:
    out = _out(requests=REQUESTS)
    out["document"]["agency"] = "-1-杭州市财政局"
    score = compare(out, _truth(requests=REQUESTS), "a.txt")
    assert not score.agency_ok and not score.meta_ok
    assert score.correct == 2
    summary = summarise([score, compare(_out(), _truth(), "b.txt")])
    assert (summary["agency_correct"], summary["metadata_correct"]) == (1, 1)
    assert "agency 1/2" in total_line(summary)


def test_an_unresolved_agency_is_right_only_as_printed() -> None:
    """Truth keeps an unresolved agency partial (seed 004: `区财政局`); a guessed district
    is as wrong as none."""
    truth = _truth()
    truth["document"]["agency"] = "区财政局"
    for agency, right in (("区财政局", True), ("下城区财政局", False), (None, False)):
        out = _out()
        out["document"]["agency"] = agency
        assert compare(out, truth, "a.txt").agency_ok is right


def test_year_era_and_status_are_metadata() -> None:
    out = _out()
    out["status"], out["reason"] = "quarantined", "no_tables_found"
    score = compare(out, _truth(), "a.txt")
    assert not score.meta_ok and score.agency_ok


def test_defects_found_when_the_truth_lists_them() -> None:
    truth = _truth(source_defects=[{"check": "req_balance", "scope": "total"}])
    score = compare(_out(checks=[_fail()]), truth, "a.txt")
    assert (score.defects_expected, score.defects_found, score.false_alarms) == (1, 1, 0)
    score = compare(_out(), truth, "a.txt")
    assert (score.defects_expected, score.defects_found) == (1, 0)
    assert summarise([score])["defect_recall"] == 0.0


# --- the per-file gate ---------------------------------------------------------------------------


def _score(path: str, total: int, correct: int, wrong: int = 0, **kw: Any) -> FileScore:
    return FileScore(
        path, path, total=total, correct=correct, wrong=wrong, missing=total - correct - wrong, **kw
    )


def _report(*scores: FileScore) -> dict[str, Any]:
    return build_report(list(scores))


BASE = baseline_of(_report(_score("a.txt", 10, 8), _score("b.txt", 10, 5)))


def test_the_gate_passes_an_unchanged_or_better_run() -> None:
    assert gate(BASE, _report(_score("a.txt", 10, 8), _score("b.txt", 10, 5))) == []
    better = _report(_score("a.txt", 10, 9), _score("b.txt", 10, 5))
    assert gate(BASE, better) == []
    assert risen(BASE, better) == ["a.txt"]


def test_the_gate_refuses_a_regression_in_one_file_even_when_the_total_rises() -> None:
    report = _report(_score("a.txt", 10, 7), _score("b.txt", 10, 10))
    assert report["summary"]["cells_correct"] > BASE["totals"]["cells_correct"]
    breaches = gate(BASE, report)
    assert breaches == ["a.txt: correct 8 → 7"]


def test_the_gate_refuses_wrong_silent_metadata_agency_and_defect_losses() -> None:
    report = _report(
        _score("a.txt", 10, 8, wrong=1, silent=1, meta_ok=False, agency_ok=False),
        _score("b.txt", 10, 5, defects_reported=1),
    )
    # a.txt kept its 8 correct but turned a missing cell wrong.
    breaches = gate(BASE, report)
    assert "a.txt: wrong 0 → 1" in breaches
    assert "a.txt: silent 0 → 1" in breaches
    assert "a.txt: meta was right, now wrong" in breaches
    assert "a.txt: agency was right, now wrong" in breaches
    assert "b.txt: false_alarms 0 → 1" in breaches
    assert any(b.startswith("defect_precision") for b in breaches)


def test_a_wrong_value_turning_missing_passes() -> None:
    base = baseline_of(_report(_score("a.txt", 10, 8, wrong=1)))
    assert gate(base, _report(_score("a.txt", 10, 8, wrong=0))) == []


def test_the_gate_pins_the_files() -> None:
    added = _report(_score("a.txt", 10, 8), _score("b.txt", 10, 5), _score("c.txt", 3, 3))
    breaches = gate(BASE, added)
    assert "3 files scored, the baseline pins 2" in breaches
    assert any(b.startswith("c.txt: not in the baseline") for b in breaches)
    dropped = gate(BASE, _report(_score("a.txt", 10, 8)))
    assert "b.txt: in the baseline but not scored" in dropped
    # A truth file that changed its cell count needs a deliberate refresh too.
    changed = gate(BASE, _report(_score("a.txt", 12, 10), _score("b.txt", 10, 5)))
    assert any(b.startswith("a.txt: truth holds 12 cells") for b in changed)


def test_write_baseline_refuses_to_lower_a_file_unless_allowed(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    assert write_baseline(path, _report(_score("a.txt", 10, 8), _score("b.txt", 10, 5))) == []
    assert json.loads(path.read_text(encoding="utf-8")) == BASE
    before = path.read_text(encoding="utf-8")
    lower = _report(_score("a.txt", 10, 7), _score("b.txt", 10, 10))
    assert write_baseline(path, lower) == ["a.txt: correct 8 → 7"]
    assert path.read_text(encoding="utf-8") == before
    assert write_baseline(path, _report(_score("a.txt", 10, 8))) == [
        "b.txt: would leave the baseline"
    ]
    assert write_baseline(path, lower, allow_lower=True) == []
    assert json.loads(path.read_text(encoding="utf-8"))["per_file"]["a.txt"]["correct"] == 7
    # Raising and adding files needs no permission.
    higher = _report(_score("a.txt", 10, 9), _score("b.txt", 10, 10), _score("c.txt", 1, 1))
    assert write_baseline(path, higher) == []
    assert json.loads(path.read_text(encoding="utf-8"))["files"] == 3


def test_the_baseline_file_is_json_with_one_line_per_file(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(path, _report(_score("a.txt", 10, 8), _score("b.txt", 10, 5)))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sum(line.lstrip().startswith('"a.txt": {') for line in lines) == 1


@pytest.mark.parametrize("key", ["wrong", "silent"])
def test_a_gain_elsewhere_never_buys_a_new_error(key: str) -> None:
    worse = copy.deepcopy(_report(_score("a.txt", 10, 8), _score("b.txt", 10, 10)))
    worse["per_file"]["a.txt"][key] = 1
    assert f"a.txt: {key} 0 → 1" in gate(BASE, worse)
