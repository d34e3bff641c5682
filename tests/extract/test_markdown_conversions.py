"""markitdown (a real PDF/Word/HTML-to-Markdown converter) run on the corpus renderings at test
time, and the Markdown it writes read back against the truth files (report-formats.md §4.13).

DOCX and HTML conversions keep the tables as pipe tables and must read ≥ 97 % of the cells;
markitdown's PDF path rebuilds tables from word positions (labels cut from their values, cells
run together), so there only a floor on the share is held. Everywhere: no silent error (a
wrong value in a report whose hard checks all pass) and the truth's agency, free of markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pipelines.scoring import FileScore, score_file
from tests.fixtures.markdown import RENDERED, convert_renderings

pytest.importorskip("markitdown")

pytestmark = pytest.mark.slow


@dataclass
class KindScore:
    """The scores of one kind of conversion added up."""

    files: list[FileScore] = field(default_factory=list)

    @property
    def share(self) -> float:
        total = sum(s.total for s in self.files)
        return sum(s.correct for s in self.files) / total if total else 1.0

    @property
    def silent(self) -> int:
        return sum(s.silent for s in self.files)

    @property
    def wrong(self) -> int:
        return sum(s.wrong for s in self.files)


@pytest.fixture(scope="module")
def conversions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, KindScore]:
    if not RENDERED.is_dir():
        pytest.skip("../shared/corpus is not available")
    scores: dict[str, KindScore] = {}
    folder = tmp_path_factory.mktemp("markitdown")
    converted: list[tuple[str, Path, dict[str, Any]]] = list(convert_renderings(folder))
    for kind, path, truth in converted:
        scores.setdefault(kind, KindScore()).files.append(score_file(path, truth))
    return scores


@pytest.mark.parametrize(("kind", "floor"), [("docx", 0.97), ("html", 0.97), ("pdf", 0.95)])
def test_markitdown_conversions_read_against_truth(
    kind: str, floor: float, conversions: dict[str, KindScore]
) -> None:
    score = conversions[kind]
    assert len(score.files) >= (24 if kind == "pdf" else 3)
    assert score.share >= floor, [(s.name, s.problems[:5]) for s in score.files if s.problems]
    assert score.silent == 0


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_word_and_html_conversions_have_no_wrong_cell(
    kind: str, conversions: dict[str, KindScore]
) -> None:
    assert conversions[kind].wrong == 0


@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_conversions_name_the_agency_without_markup(
    kind: str, conversions: dict[str, KindScore]
) -> None:
    bad = [(s.name, s.problems) for s in conversions[kind].files if not s.meta_ok]
    assert bad == []
