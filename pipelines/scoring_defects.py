"""The defect suite's line of `make score`: corpus reports with one printed cell edited so that
one hard check of report-formats.md §3 fails (`tests/fixtures/defects.py`), in every format.

Recall: the share of expected failing checks the extractor reports as `fail`. Precision: the
share of the extractor's status changes that were expected (a check that changes status
without the edit implying it is a false alarm)."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any


def _run_source(args: tuple[str, str, str]) -> list[tuple[str, int, int, int]]:
    """Return (format, expected fails found, expected fails, status changes that were
    expected, status changes) for every defect of one source file."""
    from tests.fixtures.defects import DEFECTS, clean_extraction, make_case, run_case

    fmt, source, folder = args
    path, work = Path(source), Path(folder)
    clean = clean_extraction(path, fmt, work)
    rows = []
    for defect in DEFECTS:
        case = make_case(path, fmt, defect, clean)
        if case is None:
            continue
        outcome = run_case(case, work, clean)
        want = {k for k, v in case.expected.items() if v == "fail"}
        found = {k for k, v in outcome.changed.items() if v == "fail"} & want
        right = sum(1 for k, v in outcome.changed.items() if case.expected.get(k) == v)
        rows.append((fmt, len(found), len(want), right, len(outcome.changed)))
    return rows


def defect_suite(corpus: Path, quick: bool = True) -> dict[str, Any]:
    """Return recall and precision of the defect suite over the corpus, overall and by format."""
    from tests.fixtures.defects import corpus_sources

    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    with tempfile.TemporaryDirectory() as folder:
        jobs = [(fmt, str(src), folder) for fmt, src in corpus_sources(corpus, quick)]
        with ProcessPoolExecutor() as pool:
            for rows in pool.map(_run_source, jobs):
                for fmt, found, want, right, changed in rows:
                    for key in (fmt, "all"):
                        cell = totals[key]
                        cell[0] += 1
                        cell[1] += found
                        cell[2] += want
                        cell[3] += right
                        cell[4] += changed
    return {
        key: {
            "cases": c[0],
            "recall": c[1] / c[2] if c[2] else 1.0,
            "precision": c[3] / c[4] if c[4] else 1.0,
        }
        for key, c in totals.items()
    }


def defect_suite_line(corpus: Path) -> str:
    """Return the `make score` line: `defect suite: recall X precision Y` with the formats."""
    if not (corpus / "seeds").is_dir():
        return "defect suite: no corpus"
    scores = defect_suite(corpus)
    overall = scores.get("all", {"cases": 0, "recall": 1.0, "precision": 1.0})
    by_format = ", ".join(
        f"{fmt} {s['recall']:.2f}/{s['precision']:.2f}"
        for fmt, s in sorted(scores.items())
        if fmt != "all"
    )
    return (
        f"defect suite: recall {overall['recall']:.2f} precision {overall['precision']:.2f} "
        f"({overall['cases']} cases; recall/precision by format: {by_format})"
    )


if __name__ == "__main__":
    import sys

    print(defect_suite_line(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")))
