"""Bad input is quarantined with a reason, never raised and never guessed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipelines.extract import extract_document
from tests.conftest import CORPUS, REPO


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert extract_document(path).reason == "empty"


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "sheet.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    result = extract_document(path)
    assert (result.status, result.reason) == ("quarantined", "unsupported_format")


def test_undecodable_text_is_corrupt_not_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes(range(128, 256)) * 4)
    assert extract_document(path).reason == "corrupt"


def test_gb18030_text_reads_like_utf8(tmp_path: Path) -> None:
    seed = CORPUS / "seeds" / "003_yuhang-drc-2020.txt"
    path = tmp_path / "yuhang-gbk.txt"
    path.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    gbk, utf8 = extract_document(path).to_dict(), extract_document(seed).to_dict()
    assert gbk["requests"] == utf8["requests"]
    assert gbk["document"]["agency"] == utf8["document"]["agency"]
    assert "encoding_gb18030" in gbk["document"]["flags"]


def test_a_notice_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text(
        "关于做好2020年政府信息公开工作年度报告编制公布工作的通知\n\n各部门：请于1月31日前报送。\n",
        encoding="utf-8",
    )
    result = extract_document(path)
    assert (result.status, result.reason) == ("quarantined", "not_a_report")


def test_blank_template_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "template.txt"
    path.write_text("XX年政府信息公开工作年度报告\n一、总体情况\n（文字描述）\n", encoding="utf-8")
    assert extract_document(path).reason == "not_a_report"


def test_modern_report_without_tables(tmp_path: Path) -> None:
    path = tmp_path / "abbreviated.txt"
    path.write_text(
        "某局2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作稳步推进。\n", encoding="utf-8"
    )
    assert extract_document(path).reason == "no_tables_found"


def test_core_and_cli_import_no_orchestration() -> None:
    """The extractor core and its CLI load neither Dagster nor DuckDB nor dbt (a fresh process:
    importing Dagster costs over a second per CLI call)."""
    probe = (
        "import sys, pipelines.cli, pipelines.extract;"
        "print(sorted(m for m in ('dagster', 'duckdb', 'dbt', 'polars') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.strip() == "[]"


def test_scanned_image_is_image_only(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    result = extract_document(path)
    assert (result.status, result.reason) == ("quarantined", "image_only")


def test_report_below_a_cover_letter_takes_its_own_title(tmp_path: Path) -> None:
    path = tmp_path / "cover.txt"
    path.write_text(
        "关于报送2020年政府信息公开工作年度报告的函\n市政务公开办：现将我局年度报告报送如下。\n"
        "某市水利局2020年政府信息公开工作年度报告\n一、总体情况\n本年度工作稳步推进。\n",
        encoding="utf-8",
    )
    result = extract_document(path)
    assert (result.document.agency, result.document.year) == ("某市水利局", 2020)
    assert "title_below_cover_letter" in result.document.flags


def test_unmapped_glyphs_are_no_text(tmp_path: Path) -> None:
    """A text layer of private-use glyphs (a font without ToUnicode) is quarantined, not read."""
    path = tmp_path / "glyphs.txt"
    path.write_text("".join(chr(0xE000 + i % 500) for i in range(2000)), encoding="utf-8")
    result = extract_document(path)
    assert (result.status, result.reason) == ("quarantined", "image_only")
    assert "Unicode" in (result.detail or "")


def test_sniffing_reads_bytes_not_names() -> None:
    from pipelines.extract.readers.sniff import sniff_bytes

    cases = {
        b"%PDF-1.7\n": "pdf",
        b"junk before the header %PDF-1.4\n": "pdf",
        b"\xef\xbb\xbf<!DOCTYPE html><html>": "html",
        b"  <meta charset='gbk'><table><tr><td>1</td></tr></table>": "html",
        "某局2020年政府信息公开工作年度报告\n".encode(): "txt",
        "某局2020年政府信息公开工作年度报告\n".encode("utf-16-le"): "txt",
        b"BMW annual report, plain text\n": "txt",
        b"\x89PNG\r\n\x1a\n\x00\x00": "image",
        b"\x7fELF\x02\x01\x01\x00": "binary",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole2",
        b"PK\x03\x04": "zip",
        b"\x00\x01\x02\x03\xff\xfe\x00\x00" * 8: "data",
    }
    for head, kind in cases.items():
        assert sniff_bytes(head).kind == kind, head


def test_text_under_a_docx_name_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notice.docx"
    path.write_text("关于做好2020年政府信息公开工作年度报告编制公布工作的通知\n", encoding="utf-8")
    result = extract_document(path)
    assert (result.format, result.reason) == ("txt", "not_a_report")
    assert "format_mismatch:docx→txt" in result.document.flags


def test_a_document_about_reports_naming_no_year_is_not_a_report(tmp_path: Path) -> None:
    # A dataset description or a reading guide: titled after the reports, quoting their facts in
    # prose, but about no year of its own and without the statistical tables.
    body = (
        "# 样本说明：政府信息公开工作年度报告\n\n"
        "本样本收录各区县机关的年度报告，供比对使用。\n\n"
        "| 文件 | 机关 | 年份 |\n|---|---|---|\n| a.txt | 某区财政局 | 2019 |\n"
        "| b.txt | 某区发改局 | 2020 |\n\n"
        "其中一份报告写明：本机关全年共受理政府信息公开申请12件，未收取任何费用。\n"
    )
    for name in ("guide.md", "guide.txt"):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        result = extract_document(path)
        assert (result.status, result.reason) == ("quarantined", "not_a_report"), name
        assert "no report year" in (result.detail or "")
        assert result.cells == []
