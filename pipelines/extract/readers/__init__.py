"""One reader per file format; each turns a file into a `Layout` (lines of fields).

Readers raise `ReaderError` subclasses for files they cannot read; `extract_document` turns
each into a quarantine reason, so a bad file never stops a run.
"""

from __future__ import annotations

import re
from pathlib import Path

# Above this share of replacement or private-use characters a text layer is not text.
UNREADABLE_SHARE = 0.2
_UNMAPPED = re.compile("[\ufffd\ue000-\uf8ff]")


def unreadable_share(text: str) -> float:
    """Return the share of visible characters that are U+FFFD or private-use code points, as
    PDF fonts without a ToUnicode map produce."""
    visible = sum(map(len, text.split()))
    if not visible:
        return 0.0
    return len(_UNMAPPED.findall(text)) / visible


class ReaderError(Exception):
    """Base class: the file cannot be turned into a layout."""

    reason = "corrupt"


class CorruptDocumentError(ReaderError):
    """The file is damaged or not of the format its name says."""

    reason = "corrupt"


class EncryptedDocumentError(ReaderError):
    """The file is password-protected."""

    reason = "encrypted"


class ImageOnlyDocumentError(ReaderError):
    """The file has pages but no text layer (a scan) and no OCR result."""

    reason = "image_only"


class EmptyDocumentError(ReaderError):
    """The file is well-formed but holds nothing (a PDF without pages)."""

    reason = "empty"


class UnsupportedFormatError(ReaderError):
    """The file is of a kind no reader handles (a legacy .doc, a spreadsheet, an executable)."""

    reason = "unsupported_format"


class TooLargeError(ReaderError):
    """The file (or its text) is far beyond any real report: reading it could hang the run."""

    reason = "unsupported_format"


# Size caps. Real reports hold 5–40 thousand characters of text (the longest in the corpus is
# 19 KB as plain text); the caps leave a wide margin and keep one file's run in seconds.
MB = 1 << 20
# Bytes on disk, per format, checked before a reader opens the file.
MAX_FILE_BYTES = {"txt": 2 * MB, "html": 8 * MB, "docx": 64 * MB, "pdf": 256 * MB}
# Characters of text a reader may hand on (parsing costs grow with the number of tokens).
MAX_TEXT_CHARS = 400_000
# Pages in a PDF (reports have 3–60).
MAX_PDF_PAGES = 500


# What each cap is measured against, for the quarantine detail.
_TYPICAL = {
    "txt": "real reports are under 100 KB",
    "html": "real report pages are under 3 MB",
    "docx": "real reports are under 10 MB",
    "pdf": "real reports are under 50 MB",
}


def check_file_size(path: Path, kind: str, what: str) -> None:
    """Raise TooLargeError when a file is larger than the cap for its kind (`MAX_FILE_BYTES`);
    `what` names the file in the detail (`a text file`, `an HTML file`, …)."""
    size = path.stat().st_size
    cap = MAX_FILE_BYTES[kind]
    if size > cap:
        msg = f"{what} of {size / MB:.1f} MB, over the {cap // MB} MB cap ({_TYPICAL[kind]})"
        raise TooLargeError(msg)


def check_text_size(chars: int, what: str) -> None:
    """Raise TooLargeError when a document's text is longer than `MAX_TEXT_CHARS`."""
    if chars > MAX_TEXT_CHARS:
        msg = (
            f"{what} holds {chars:,} characters of text, over the {MAX_TEXT_CHARS:,} cap "
            "(real reports hold under 50,000)"
        )
        raise TooLargeError(msg)
