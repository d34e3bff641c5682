"""`make score`: the extractor against every hand-checked truth file in a corpus folder.

Prints, per file and overall: truth cells correct / total, wrong, missing (null or not
located), era/year/status accuracy, defect recall and precision (truth `source_defects` vs the
checks we report as `fail`), and **silent errors**: wrong values in a report whose checks all
pass. `--json` writes the summary for regression comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipelines.extract import extract_document

TABLES = ("requests", "review_litigation", "proactive", "legacy")


@dataclass
class FileScore:
    """How one file's extraction compares with its truth."""

    name: str
    total: int = 0
    correct: int = 0
    wrong: int = 0
    missing: int = 0
    silent: int = 0
    meta_ok: bool = True
    defects_expected: int = 0
    defects_found: int = 0
    defects_reported: int = 0
    problems: list[str] = field(default_factory=list)


def _truth_cells(truth: dict[str, Any]) -> Iterator[tuple[str, str, str | None, Any]]:
    """Yield (table, row, col, value) for every value in a truth file."""
    for table in TABLES:
        for row, cols in truth.get(table, {}).items():
            if isinstance(cols, dict):
                for col, value in cols.items():
                    yield table, row, col, value
            else:
                yield table, row, None, cols


def score_file(report: Path, truth: dict[str, Any]) -> FileScore:
    """Given a report and its truth, return the comparison."""
    out = extract_document(report).to_dict()
    score = FileScore(report.name)
    for key in ("agency", "year", "era"):
        if out["document"][key] != truth["document"][key]:
            score.meta_ok = False
            score.problems.append(
                f"document.{key}: {out['document'][key]!r} ≠ {truth['document'][key]!r}"
            )
    if out["status"] != truth["status"]:
        score.meta_ok = False
        score.problems.append(f"status {out['status']} ({out['reason']}) ≠ {truth['status']}")
    for table, row, col, expected in _truth_cells(truth):
        score.total += 1
        found = out[table].get(row)
        got = found.get(col) if isinstance(found, dict) and col is not None else found
        if col is not None and not isinstance(found, dict):
            got = None
        if got == expected or (
            isinstance(got, int | float)
            and isinstance(expected, int | float)
            and abs(got - expected) < 1e-9
        ):
            score.correct += 1
        elif got is None:
            score.missing += 1
            score.problems.append(f"missing {table}.{row}.{col}: truth {expected!r}")
        else:
            score.wrong += 1
            score.problems.append(f"WRONG {table}.{row}.{col}: {got!r} ≠ {expected!r}")
    # Source defects are hard arithmetic failures; soft checks warn, and structural checks
    # (`*_cell_count`) report on our extraction, not on the source's sums.
    failing = {
        (c["check"], c["scope"])
        for c in out["checks"]
        if c["status"] == "fail"
        and c["severity"] == "hard"
        and not c["check"].endswith("_cell_count")
    }
    expected_defects = {(d["check"], d["scope"]) for d in truth.get("source_defects", [])}
    score.defects_expected = len(expected_defects)
    score.defects_reported = len(failing)
    score.defects_found = len(failing & expected_defects)
    for extra in sorted(failing - expected_defects):
        score.problems.append(f"check fails but is no source defect: {extra}")
    if not failing:
        score.silent = score.wrong
    return score


def iter_truth_reports(root: Path) -> Iterator[Path]:
    """Yield every report below `root` that has a `.truth.json` beside it."""
    for truth in sorted(root.rglob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        for candidate in sorted(truth.parent.glob(stem + ".*")):
            if candidate != truth:
                yield candidate


def main(argv: Sequence[str] | None = None) -> int:
    """Score a corpus folder and print the table; returns 0 (scoring never fails by itself)."""
    parser = argparse.ArgumentParser(prog="score", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, nargs="?", default=Path("../shared/corpus"))
    parser.add_argument("--json", type=Path, help="write the summary as JSON here")
    parser.add_argument("--verbose", action="store_true", help="list every problem")
    args = parser.parse_args(argv)
    scores = []
    for report in iter_truth_reports(args.corpus):
        truth_path = report.with_name(report.name.rsplit(".", 1)[0] + ".truth.json")
        scores.append(score_file(report, json.loads(truth_path.read_text(encoding="utf-8"))))
    print(f"{'file':<48} {'cells':>11} {'wrong':>5} {'miss':>5} {'silent':>6} meta defects")
    for s in scores:
        cells = f"{s.correct}/{s.total}"
        defects = f"{s.defects_found}/{s.defects_expected}/{s.defects_reported}"
        meta = "ok" if s.meta_ok else "BAD"
        counts = f"{s.wrong:>5} {s.missing:>5} {s.silent:>6}"
        print(f"{s.name:<48} {cells:>11} {counts} {meta:>4} {defects}")
        if args.verbose:
            for problem in s.problems:
                print(f"    {problem}")
    total = sum(s.total for s in scores)
    summary = {
        "files": len(scores),
        "cells_total": total,
        "cells_correct": sum(s.correct for s in scores),
        "cells_wrong": sum(s.wrong for s in scores),
        "cells_missing": sum(s.missing for s in scores),
        "silent_errors": sum(s.silent for s in scores),
        "metadata_correct": sum(s.meta_ok for s in scores),
        "defect_recall": _ratio(
            sum(s.defects_found for s in scores), sum(s.defects_expected for s in scores)
        ),
        "defect_precision": _ratio(
            sum(s.defects_found for s in scores), sum(s.defects_reported for s in scores)
        ),
    }
    pct = 100 * summary["cells_correct"] / total if total else 0.0
    print(
        f"\nTOTAL {summary['cells_correct']}/{total} cells ({pct:.2f}%), "
        f"wrong {summary['cells_wrong']}, missing {summary['cells_missing']}, "
        f"silent errors {summary['silent_errors']}, "
        f"metadata {summary['metadata_correct']}/{len(scores)}, "
        f"defect recall {summary['defect_recall']:.2f} precision {summary['defect_precision']:.2f}"
    )
    if args.json:
        report = {"summary": summary, "files": [asdict(s) for s in scores]}
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _ratio(part: int, whole: int) -> float:
    """Return part/whole, 1.0 when there is nothing to find."""
    return part / whole if whole else 1.0


if __name__ == "__main__":
    sys.exit(main())
