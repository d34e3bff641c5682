"""Tests for the PDF reader on the rendered corpus PDFs and on small generated files."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipelines.extract.layout import Layout
from pipelines.extract.readers import (
    CorruptDocumentError,
    EncryptedDocumentError,
    ImageOnlyDocumentError,
)
from pipelines.extract.readers import pdf as pdf_reader
from pipelines.extract.readers.pdf import normalize_text, read_pdf

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "rendered"
PDFS = sorted(CORPUS.glob("*.pdf"))
# 2021-template browser prints: row （六）1 starts a page and has no top rule.
BROKEN_ROW = [p for p in PDFS if p.name.startswith(("108", "109", "110", "111", "112"))]
BROKEN_ROW = [p for p in BROKEN_ROW if p.name.endswith("-browser.pdf")]
CheckLayout = Callable[[Layout, Path], list[str]]


@functools.cache
def layout_of(path: Path) -> Layout:
    """Return the (cached) layout of a rendered PDF."""
    return read_pdf(path)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_rows_carry_truth_values(path: Path, rendered: Path, check_layout: CheckLayout) -> None:
    assert check_layout(layout_of(path), path) == []


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_table_cells_have_page_and_bbox(path: Path, rendered: Path) -> None:
    layout = layout_of(path)
    row = next(
        line
        for line in layout.lines
        if line.in_table and any("本年新收政府信息公开申请数量" in f.text for f in line.fields)
    )
    values = [f for f in row.fields[1:] if f.text]
    assert values
    for field in values:
        assert field.page == row.page
        assert field.page is not None and 1 <= field.page <= (layout.pages or 0)
        assert field.bbox is not None
        x0, top, x1, bottom = field.bbox
        assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 842
    assert all(line.page for line in layout.lines)


@pytest.mark.parametrize("path", BROKEN_ROW, ids=lambda p: p.name)
def test_row_after_page_break_is_one_table_row(path: Path, rendered: Path) -> None:
    layout = layout_of(path)
    rows = [
        line
        for line in layout.lines
        if any("逾期不补正" in f.text for f in line.fields) and line.in_table
    ]
    assert len(rows) == 1
    row = rows[0]
    label = next(f for f in row.fields if "逾期不补正" in f.text)
    assert label.text == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert next(f.text for f in row.fields if f.text) == "（六）其他处理"
    assert len([f for f in row.fields[row.fields.index(label) + 1 :] if f.text]) == 7
    # the row starts the page, so nothing of the table precedes it there
    first_on_page = next(line for line in layout.lines if line.page == row.page)
    assert first_on_page is row
    assert not any(line.text.strip() in {"（六）", "其他处理"} for line in layout.lines)


@pytest.mark.parametrize("path", BROKEN_ROW[:2], ids=lambda p: p.name)
def test_word_position_fallback(
    path: Path, rendered: Path, check_layout: CheckLayout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the synthetic rule the lost row is rebuilt from word positions."""
    plain = functools.partial(pdf_reader._table_page_lines, ruled_fix=False)
    monkeypatch.setattr(pdf_reader, "_table_page_lines", plain)
    layout = read_pdf(path)
    assert check_layout(layout, path) == []
    assert any("word row" in f.ref for line in layout.lines for f in line.fields)


def test_rowspan_label_emitted_once(rendered: Path) -> None:
    layout = layout_of(CORPUS / "108_pingtan-jingfa-2021-browser.pdf")
    hits = [f for line in layout.lines for f in line.fields if "本年度办理结果" in f.text]
    assert [f.text for f in hits] == ["三、本年度办理结果"]


def test_radical_lookalikes_are_normalised(rendered: Path) -> None:
    text = layout_of(CORPUS / "004_district-finance-2020-browser.pdf").text
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in text)
    assert "第二十条第（一）项" in text
    assert normalize_text("⼆⼗条 ⻘年 ⼈⺠") == "二十条 青年 人民"
    assert normalize_text("（一）１２") == "（一）１２"


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotated_pages(
    turn: int, tmp_path: Path, rendered: Path, check_layout: CheckLayout
) -> None:
    source = CORPUS / "110_pingtan-gongan-2022-browser.pdf"
    document = pdfium.PdfDocument(source)
    for index in range(len(document)):
        document[index].set_rotation(turn)
    rotated = tmp_path / "rotated.pdf"
    document.save(rotated)
    document.close()
    layout = read_pdf(rotated)
    assert check_layout(layout, source) == []
    assert any("_rotated_" in flag for flag in layout.flags)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(random.Random(7).randbytes(300))
    with pytest.raises(CorruptDocumentError):
        read_pdf(path)


def test_truncated_pdf(tmp_path: Path, rendered: Path) -> None:
    path = tmp_path / "truncated.pdf"
    path.write_bytes((CORPUS / "004_district-finance-2020-word.pdf").read_bytes()[:200])
    with pytest.raises(CorruptDocumentError):
        read_pdf(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    """A standard-security dictionary whose /U does not match the empty password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -44 >>",
    ]
    data = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj " % number + body + b" endobj\n"
    xref = len(data)
    data += b"xref\n0 5\n0000000000 65535 f \n"
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    file_id = b"<" + b"33" * 16 + b">"
    data += b"trailer << /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [" + file_id + b" " + file_id
    data += b"] >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    with pytest.raises(EncryptedDocumentError):
        read_pdf(path)


def test_pages_without_text_are_image_only(tmp_path: Path) -> None:
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    document.save(path)
    document.close()
    with pytest.raises(ImageOnlyDocumentError):
        read_pdf(path)


def test_table_pages_stop_at_section_five() -> None:
    texts = [
        "一、总体情况\n正文",
        "二、主动公开政府信息情况\n第二十条第（一）项",
        "表格续页 1 2 3",
        "五、存在的主要问题及改进情况\n正文",
        "六、其他需要报告的事项\n结果维持",
    ]
    assert pdf_reader.table_pages(texts) == [1, 2, 4]
