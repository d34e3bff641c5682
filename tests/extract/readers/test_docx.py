"""Tests for the DOCX reader on the rendered corpus files and on small generated documents."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK

from pipelines.extract.layout import Layout
from pipelines.extract.readers import CorruptDocumentError, EncryptedDocumentError
from pipelines.extract.readers.docx import OLE_MAGIC, read_docx

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "rendered"
DOCS = sorted(CORPUS.glob("*.docx"))
CheckLayout = Callable[[Layout, Path], list[str]]


def rows_of(layout: Layout) -> list[list[str]]:
    """Return the table lines of a layout as lists of cell texts."""
    return [[f.text for f in line.fields] for line in layout.lines if line.in_table]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_rows_carry_truth_values(path: Path, rendered: Path, check_layout: CheckLayout) -> None:
    assert check_layout(read_docx(path), path) == []


def test_merged_cells_emitted_once_in_body_order(rendered: Path) -> None:
    layout = read_docx(CORPUS / "000_hangzhou-finance-2019-docx.docx")
    texts = [line.text for line in layout.lines]
    assert texts.index("三、收到和处理政府信息公开申请情况") < next(
        i for i, line in enumerate(layout.lines) if "本年新收" in line.text
    )
    row = next(line for line in layout.lines if "本年新收" in line.text)
    assert [f.text for f in row.fields] == [
        "一、本年新收政府信息公开申请数量", "", "", "60", "5", "0", "0", "0", "0", "65",
    ]  # fmt: skip
    assert row.fields[3].ref == "table 2 row 4 col 4"
    parents = [f.text for line in layout.lines for f in line.fields if "本年度办理结果" in f.text]
    assert parents == ["三、本年度办理结果"]


def test_generated_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "（三）不予公开"
    table.cell(0, 1).text = "1.属于国家秘密"
    label = table.cell(1, 1).paragraphs[0]
    label.add_run("2.其他法律行政法规")
    label.add_run().add_break(WD_BREAK.LINE)
    label.add_run("禁止公开")
    table.cell(0, 2).text = "1"
    table.cell(1, 2).text = "0"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "（七）总计"
    table.cell(2, 2).text = "1"
    document.add_paragraph("五、存在的主要问题")
    path = tmp_path / "report.docx"
    document.save(str(path))
    layout = read_docx(path)
    assert rows_of(layout) == [
        ["（三）不予公开", "1.属于国家秘密", "1"],
        ["", "2.其他法律行政法规禁止公开", "0"],
        ["（七）总计", "", "1"],
    ]
    assert layout.lines[0].text == "三、收到和处理政府信息公开申请情况"
    assert layout.lines[-1].text == "五、存在的主要问题"
    assert layout.lines[2].fields[1].ref == "table 1 row 2 col 2"


def test_random_bytes_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(random.Random(3).randbytes(500))
    with pytest.raises(CorruptDocumentError):
        read_docx(path)


def test_zip_without_document_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    with pytest.raises(CorruptDocumentError):
        read_docx(path)


def test_ole_containers(tmp_path: Path) -> None:
    locked = tmp_path / "locked.docx"
    locked.write_bytes(OLE_MAGIC + bytes(504) + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(EncryptedDocumentError):
        read_docx(locked)
    legacy = tmp_path / "legacy.docx"
    legacy.write_bytes(OLE_MAGIC + bytes(504) + "WordDocument".encode("utf-16-le"))
    with pytest.raises(CorruptDocumentError):
        read_docx(legacy)
