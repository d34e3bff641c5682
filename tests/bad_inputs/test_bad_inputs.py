"""Every generated bad file is quarantined with the contract reason expected for it, quickly,
without raising, and with a detail that says what was wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.extract import extract_document
from pipelines.extract.model import Reason
from tests.bad_inputs.generate import write_bad_inputs

REASONS = {str(reason) for reason in Reason}


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("bad_inputs")
    return folder, write_bad_inputs(folder)


def test_at_least_twenty_distinct_bad_files(bad_folder: tuple[Path, dict[str, str]]) -> None:
    folder, expected = bad_folder
    assert len(expected) >= 20
    assert all(name.startswith("bad_") for name in expected)
    assert set(expected.values()) <= REASONS
    contents = {(folder / name).read_bytes() for name in expected}
    # Same bytes under different names test the sniffing (an OLE2 .doc named .doc and .docx).
    assert len(contents) >= 20


def test_each_bad_file_gets_its_reason(bad_folder: tuple[Path, dict[str, str]]) -> None:
    folder, expected = bad_folder
    got = {}
    for name in expected:
        result = extract_document(folder / name)
        assert result.status == "quarantined", name
        assert result.detail, name
        # A reader crash caught by the safety net would say so: none of these may need it.
        assert "extractor_error" not in result.document.flags, (name, result.detail)
        got[name] = str(result.reason)
    assert got == expected


def test_wrong_extension_is_flagged(bad_folder: tuple[Path, dict[str, str]]) -> None:
    folder, _ = bad_folder
    result = extract_document(folder / "bad_error_page.pdf")
    assert result.format == "html"
    assert "format_mismatch:pdf→html" in result.document.flags
    result = extract_document(folder / "bad_notice_docx.pdf")
    assert "format_mismatch:pdf→docx" in result.document.flags


def test_bombs_say_what_they_are(bad_folder: tuple[Path, dict[str, str]]) -> None:
    folder, _ = bad_folder
    bomb = extract_document(folder / "bad_zip_bomb.docx")
    assert "decompresses to more than" in (bomb.detail or "")
    for name in ("bad_billion_laughs.docx", "bad_external_entity.docx"):
        assert "DTD" in (extract_document(folder / name).detail or "")
    assert "legacy Word .doc" in (extract_document(folder / "bad_legacy.doc").detail or "")
    assert "MB cap" in (extract_document(folder / "bad_huge.txt").detail or "")


def test_entities_are_never_expanded(bad_folder: tuple[Path, dict[str, str]]) -> None:
    """The HTML reader leaves custom entity references as written (no DTD processing)."""
    from pipelines.extract.readers.html import read_html

    folder, _ = bad_folder
    for name in ("bad_billion_laughs.html", "bad_billion_laughs.xhtml"):
        text = read_html(folder / name).text
        assert "&lol9;" in text
        assert len(text) < 2000


def test_a_real_report_under_a_wrong_name_is_read(tmp_path: Path, corpus: Path) -> None:
    """Content wins over the name: a DOCX report saved as .pdf extracts like the original."""
    source = corpus / "rendered" / "003_yuhang-drc-2020-docx.docx"
    renamed = tmp_path / "report.pdf"
    renamed.write_bytes(source.read_bytes())
    original, moved = extract_document(source).to_dict(), extract_document(renamed).to_dict()
    assert moved["status"] == "extracted"
    assert moved["source"]["format"] == "docx"
    assert moved["requests"] == original["requests"]
    assert "format_mismatch:pdf→docx" in moved["document"]["flags"]


def test_utf16_text_reads_like_utf8(tmp_path: Path, corpus: Path) -> None:
    seed = corpus / "seeds" / "003_yuhang-drc-2020.txt"
    text = seed.read_text(encoding="utf-8")
    utf8 = extract_document(seed).to_dict()
    for encoding, prefix in (("utf-16-le", b""), ("utf-16-be", b""), ("utf-16", b"")):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(prefix + text.encode(encoding))
        got = extract_document(path).to_dict()
        assert got["status"] == "extracted", (encoding, got["detail"])
        assert got["requests"] == utf8["requests"], encoding
