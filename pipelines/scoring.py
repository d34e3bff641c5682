"""`make score`: the extractor against every hand-checked truth file in a corpus folder.

Prints, per file and overall: truth cells correct / total, wrong, missing (null or not
located), **silent errors** (wrong values that nothing flags: no hard check of the report
fails and the cell carries no doubt flag, extract-contract.md), metadata (status, agency, year,
era all right), the agency on its own, and defects found / expected / reported (truth
`source_defects` vs the hard checks we report as `fail`). The TOTAL line sums them.

The per-file gate (`gate`, held by tests/test_corpus_score.py against
tests/score_baseline.json) lets no file fall, whatever the others gain:

* the set of scored files is pinned: a new or vanished truth file fails the gate until the
  baseline is refreshed on purpose;
* per file: the truth cell count is unchanged, `correct` does not fall, `wrong` and `silent`
  do not rise (so `missing` rises only where `wrong` falls at least as much), metadata and the
  agency stay right once right, defects found do not fall and false alarms do not rise;
* corpus-wide: defect recall and precision do not fall.

`--write-baseline PATH` writes the current scores as the new baseline. It refuses when any
file would be lower than in the baseline already at PATH (or would leave it) unless
`--allow-lower` is given; new files are added. `--json PATH` writes the full report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipelines.extract import extract_document
from pipelines.scoring_defects import defect_suite_line

TABLES = ("requests", "review_litigation", "proactive", "legacy")
# Doubt flags (extract-contract.md): a wrong value carrying one is flagged, not silent.
DOUBT_FLAGS = frozenset(
    {"ambiguous_alignment", "fuzzy_label", "realigned", "low_confidence", "ocr", "unreadable",
     "semantics_uncertain"}
)  # fmt: skip
DOUBT_PREFIXES = ("prose_disagrees",)
BASELINE_COMMENT = (
    "Per-file floor for `make score` on ../shared/corpus (pipelines/scoring.py `gate`). "
    "Refresh on purpose with `python -m pipelines.scoring ../shared/corpus --write-baseline "
    "tests/score_baseline.json`; it refuses to lower a file without --allow-lower."
)
# Per-file numbers kept in the baseline.
FILE_KEYS = (
    "total", "correct", "wrong", "missing", "silent", "meta_ok", "agency_ok",
    "defects_expected", "defects_found", "false_alarms",
)  # fmt: skip

# Extra summary lines printed after the TOTAL line (and stored under "extra" in --json): each
# is a function of the corpus folder returning one line. The defect suite
# (pipelines/scoring_defects.py) registers its line here.
EXTRA_SUMMARY_LINES: list[Callable[[Path], str]] = [defect_suite_line]


@dataclass
class FileScore:
    """How one file's extraction compares with its truth; `path` is relative to the corpus."""

    name: str
    path: str = ""
    total: int = 0
    correct: int = 0
    wrong: int = 0
    missing: int = 0
    silent: int = 0
    meta_ok: bool = True
    agency_ok: bool = True
    agency: str | None = None
    agency_truth: str | None = None
    defects_expected: int = 0
    defects_found: int = 0
    defects_reported: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def false_alarms(self) -> int:
        """Return the hard checks we fail that the truth lists as no source defect."""
        return self.defects_reported - self.defects_found

    def gated(self) -> dict[str, Any]:
        """Return the numbers the per-file baseline keeps."""
        return {key: getattr(self, key) for key in FILE_KEYS}


def _truth_cells(truth: dict[str, Any]) -> Iterator[tuple[str, str, str | None, Any]]:
    """Yield (table, row, col, value) for every value in a truth file."""
    for table in TABLES:
        for row, cols in truth.get(table, {}).items():
            if isinstance(cols, dict):
                for col, value in cols.items():
                    yield table, row, col, value
            else:
                yield table, row, None, cols


def _has_doubt(flags: Sequence[str]) -> bool:
    """Return True when a cell's flags say its value may be wrong."""
    return any(f in DOUBT_FLAGS or f.startswith(DOUBT_PREFIXES) for f in flags)


def _same(got: Any, expected: Any) -> bool:
    """Return True when an output value matches a truth value (`null` matches only `null`)."""
    if got is None or expected is None:
        return got is None and expected is None
    if isinstance(got, bool) or isinstance(expected, bool):
        return bool(got == expected)
    if isinstance(got, int | float) and isinstance(expected, int | float):
        return abs(got - expected) < 1e-9
    return bool(got == expected)


def compare(out: dict[str, Any], truth: dict[str, Any], name: str, path: str = "") -> FileScore:
    """Given one extractor output object and its truth (both in the contract shape), return
    the comparison. A truth `null` is right only when the output is `null` too; a wrong value
    is silent when no hard check of the report fails and its cell has no doubt flag."""
    score = FileScore(name, path or name)
    document = out.get("document") or {}
    truth_document = truth.get("document") or {}
    for key in ("agency", "year", "era"):
        if document.get(key) != truth_document.get(key):
            score.meta_ok = False
            score.problems.append(
                f"document.{key}: {document.get(key)!r} ≠ {truth_document.get(key)!r}"
            )
    score.agency, score.agency_truth = document.get("agency"), truth_document.get("agency")
    score.agency_ok = score.agency == score.agency_truth
    if out.get("status") != truth.get("status"):
        score.meta_ok = False
        score.problems.append(
            f"status {out.get('status')} ({out.get('reason')}) ≠ {truth.get('status')}"
        )
    # Source defects are hard arithmetic failures; soft checks warn, and structural checks
    # (`*_cell_count`) report on our extraction, not on the source's sums.
    failing = {
        (c["check"], c["scope"])
        for c in out.get("checks", [])
        if c["status"] == "fail"
        and c.get("severity", "hard") == "hard"
        and not c["check"].endswith("_cell_count")
    }
    doubted = {
        (c["table"], c["row"], c.get("col"))
        for c in out.get("cells", [])
        if _has_doubt(c.get("flags", []))
    }
    for table, row, col, expected in _truth_cells(truth):
        score.total += 1
        found = (out.get(table) or {}).get(row)
        got = found.get(col) if isinstance(found, dict) and col is not None else found
        if col is not None and not isinstance(found, dict):
            got = None
        if _same(got, expected):
            score.correct += 1
        elif got is None:
            score.missing += 1
            score.problems.append(f"missing {table}.{row}.{col}: truth {expected!r}")
        else:
            score.wrong += 1
            flagged = bool(failing) or (table, row, col) in doubted
            if not flagged:
                score.silent += 1
            kind = "WRONG" if flagged else "WRONG (silent)"
            score.problems.append(f"{kind} {table}.{row}.{col}: {got!r} ≠ {expected!r}")
    expected_defects = {(d["check"], d["scope"]) for d in truth.get("source_defects", [])}
    score.defects_expected = len(expected_defects)
    score.defects_reported = len(failing)
    score.defects_found = len(failing & expected_defects)
    for extra in sorted(failing - expected_defects):
        score.problems.append(f"check fails but is no source defect: {extra}")
    return score


def score_file(report: Path, truth: dict[str, Any], root: Path | None = None) -> FileScore:
    """Given a report and its truth, extract the report and return the comparison."""
    out = extract_document(report).to_dict()
    path = report.relative_to(root).as_posix() if root is not None else report.name
    return compare(out, truth, report.name, path)


def iter_truth_reports(root: Path) -> Iterator[Path]:
    """Yield every report below `root` that has a `.truth.json` beside it."""
    for truth in sorted(root.rglob("*.truth.json")):
        stem = truth.name.removesuffix(".truth.json")
        for candidate in sorted(truth.parent.glob(stem + ".*")):
            if candidate != truth:
                yield candidate


def score_corpus(root: Path) -> list[FileScore]:
    """Return the score of every report below `root` that has a truth file."""
    scores = []
    for report in iter_truth_reports(root):
        truth_path = report.with_name(report.name.rsplit(".", 1)[0] + ".truth.json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        scores.append(score_file(report, truth, root))
    return scores


def _ratio(part: int, whole: int) -> float:
    """Return part/whole, 1.0 when there is nothing to find."""
    return part / whole if whole else 1.0


def summarise(scores: Sequence[FileScore]) -> dict[str, Any]:
    """Return the corpus-wide totals of per-file scores."""
    found = sum(s.defects_found for s in scores)
    return {
        "files": len(scores),
        "cells_total": sum(s.total for s in scores),
        "cells_correct": sum(s.correct for s in scores),
        "cells_wrong": sum(s.wrong for s in scores),
        "cells_missing": sum(s.missing for s in scores),
        "silent_errors": sum(s.silent for s in scores),
        "metadata_correct": sum(s.meta_ok for s in scores),
        "agency_correct": sum(s.agency_ok for s in scores),
        "defect_recall": _ratio(found, sum(s.defects_expected for s in scores)),
        "defect_precision": _ratio(found, sum(s.defects_reported for s in scores)),
    }


def build_report(scores: Sequence[FileScore], extra: Sequence[str] = ()) -> dict[str, Any]:
    """Return the `--json` report: summary, per-file gated numbers, and each file in full."""
    return {
        "summary": summarise(scores),
        "per_file": {s.path: s.gated() for s in scores},
        "files": [{**asdict(s), "false_alarms": s.false_alarms} for s in scores],
        "extra": list(extra),
    }


def baseline_of(report: dict[str, Any]) -> dict[str, Any]:
    """Return the baseline document for a `build_report` result."""
    summary = report["summary"]
    return {
        "comment": BASELINE_COMMENT,
        "files": summary["files"],
        "totals": {key: value for key, value in summary.items() if key != "files"},
        "per_file": dict(sorted(report["per_file"].items())),
    }


def file_lowered(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Given a file's baseline numbers and its current ones, return how it fell (empty when
    it held or rose). `missing` is held through `correct` and `wrong`: with the truth cell
    count fixed, it may rise only where wrong values became missing ones."""
    fell = []
    if new["correct"] < old["correct"]:
        fell.append(f"correct {old['correct']} → {new['correct']}")
    for key in ("wrong", "silent", "false_alarms"):
        if new[key] > old[key]:
            fell.append(f"{key} {old[key]} → {new[key]}")
    for key in ("meta_ok", "agency_ok"):
        if old[key] and not new[key]:
            fell.append(f"{key.removesuffix('_ok')} was right, now wrong")
    if new["defects_found"] < old["defects_found"]:
        fell.append(f"defects found {old['defects_found']} → {new['defects_found']}")
    return fell


def gate(baseline: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Given a per-file baseline and a `build_report` result, return every breach of the gate
    (the module docstring lists the rules); empty when the run may pass."""
    breaches = []
    old_files: dict[str, Any] = baseline.get("per_file", {})
    new_files: dict[str, Any] = report["per_file"]
    if len(new_files) != baseline.get("files"):
        breaches.append(f"{len(new_files)} files scored, the baseline pins {baseline.get('files')}")
    for path in sorted(set(new_files) - set(old_files)):
        breaches.append(f"{path}: not in the baseline (refresh it with --write-baseline)")
    for path in sorted(set(old_files) - set(new_files)):
        breaches.append(f"{path}: in the baseline but not scored")
    for path in sorted(set(old_files) & set(new_files)):
        old, new = old_files[path], new_files[path]
        if new["total"] != old["total"]:
            breaches.append(
                f"{path}: truth holds {new['total']} cells, the baseline {old['total']} "
                "(refresh it with --write-baseline)"
            )
        breaches.extend(f"{path}: {fell}" for fell in file_lowered(old, new))
    totals = baseline.get("totals", {})
    summary = report["summary"]
    for key in ("defect_recall", "defect_precision"):
        if key in totals and summary[key] < totals[key] - 1e-9:
            breaches.append(f"{key} {totals[key]:.2f} → {summary[key]:.2f}")
    return breaches


def risen(baseline: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Return the files that score better than the baseline (time to raise it)."""
    old_files: dict[str, Any] = baseline.get("per_file", {})
    better = []
    for path, new in sorted(report["per_file"].items()):
        old = old_files.get(path)
        if old is not None and old != new and not file_lowered(old, new):
            better.append(path)
    return better


def write_baseline(path: Path, report: dict[str, Any], allow_lower: bool = False) -> list[str]:
    """Write `report` as the baseline at `path`, unless it would lower a file of the baseline
    already there (or drop one) and `allow_lower` is False. Return the refusals (empty when
    written)."""
    refusals: list[str] = []
    if path.exists() and not allow_lower:
        old = json.loads(path.read_text(encoding="utf-8"))
        old_files: dict[str, Any] = old.get("per_file", {})
        for name, entry in sorted(old_files.items()):
            new = report["per_file"].get(name)
            if new is None:
                refusals.append(f"{name}: would leave the baseline")
            else:
                refusals.extend(f"{name}: {fell}" for fell in file_lowered(entry, new))
    if not refusals:
        path.write_text(_baseline_text(baseline_of(report)), encoding="utf-8")
    return refusals


def _baseline_text(baseline: dict[str, Any]) -> str:
    """Return a baseline as JSON with one line per file, so that a refresh diffs by file."""
    head = {key: value for key, value in baseline.items() if key != "per_file"}
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    rows = [
        f" {json.dumps(name, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False)}"
        for name, entry in baseline["per_file"].items()
    ]
    return text + ',\n "per_file": {\n ' + ",\n ".join(rows) + "\n }\n}\n"


def format_table(scores: Sequence[FileScore], verbose: bool = False) -> list[str]:
    """Return the per-file lines of the score table."""
    lines = [
        f"{'file':<48} {'cells':>11} {'wrong':>5} {'miss':>5} {'silent':>6} meta agency defects"
    ]
    for s in scores:
        cells = f"{s.correct}/{s.total}"
        defects = f"{s.defects_found}/{s.defects_expected}/{s.defects_reported}"
        meta = "ok" if s.meta_ok else "BAD"
        agency = "ok" if s.agency_ok else "BAD"
        counts = f"{s.wrong:>5} {s.missing:>5} {s.silent:>6}"
        lines.append(f"{s.name:<48} {cells:>11} {counts} {meta:>4} {agency:>6} {defects}")
        if verbose:
            if not s.agency_ok:
                lines.append(f"    agency {s.agency!r} ≠ truth {s.agency_truth!r}")
            lines.extend(f"    {problem}" for problem in s.problems)
    return lines


def total_line(summary: dict[str, Any]) -> str:
    """Return the TOTAL line of a summary."""
    total, files = summary["cells_total"], summary["files"]
    pct = 100 * summary["cells_correct"] / total if total else 0.0
    return (
        f"TOTAL {summary['cells_correct']}/{total} cells ({pct:.2f}%), "
        f"wrong {summary['cells_wrong']}, missing {summary['cells_missing']}, "
        f"silent errors {summary['silent_errors']}, "
        f"metadata {summary['metadata_correct']}/{files}, "
        f"agency {summary['agency_correct']}/{files}, "
        f"defect recall {summary['defect_recall']:.2f} precision {summary['defect_precision']:.2f}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Score a corpus folder and print the table. Returns 0 (scoring never fails by itself),
    except 1 when `--write-baseline` refused to lower a file."""
    parser = argparse.ArgumentParser(
        prog="score", description=(__doc__ or "").splitlines()[0] or None
    )
    parser.add_argument("corpus", type=Path, nargs="?", default=Path("../shared/corpus"))
    parser.add_argument("--json", type=Path, help="write the full report as JSON here")
    parser.add_argument("--verbose", action="store_true", help="list every problem")
    parser.add_argument(
        "--write-baseline", type=Path, metavar="PATH", help="write the per-file baseline here"
    )
    parser.add_argument(
        "--allow-lower", action="store_true", help="let --write-baseline lower files"
    )
    args = parser.parse_args(argv)
    scores = score_corpus(args.corpus)
    for line in format_table(scores, args.verbose):
        print(line)
    extra = [line_of(args.corpus) for line_of in EXTRA_SUMMARY_LINES]
    report = build_report(scores, extra)
    print("\n" + total_line(report["summary"]))
    for line in extra:
        print(line)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write_baseline:
        refusals = write_baseline(args.write_baseline, report, args.allow_lower)
        if refusals:
            print(f"\nbaseline NOT written: it would lower {args.write_baseline}:")
            for refusal in refusals:
                print(f"    {refusal}")
            print("(pass --allow-lower to lower it on purpose)")
            return 1
        print(f"\nbaseline written to {args.write_baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
