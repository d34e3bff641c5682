"""What a file really is, from its bytes (magic numbers), whatever its name says.

`sniff(path)` looks at the head of the file (and, for zip archives, at the member names in the
central directory) and returns a `Sniffed`: the real kind (`pdf`, `docx`, `html`, `txt`, or a
kind no reader handles) and a phrase saying what it is, for quarantine details.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

# Kinds a reader handles.
READABLE = frozenset({"pdf", "docx", "html", "txt", "md"})

HEAD_BYTES = 8192
# pdfium (like Acrobat) accepts a `%PDF-` header anywhere in the first 1024 bytes.
PDF_HEADER_WINDOW = 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# (magic at offset 0, kind, what it is). Images are their own kinds: the contract reads them by
# OCR (`image_only` here, where there is no OCR).
_MAGICS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image", "a PNG image"),
    (b"\xff\xd8\xff", "image", "a JPEG image"),
    (b"GIF87a", "image", "a GIF image"),
    (b"GIF89a", "image", "a GIF image"),
    (b"II*\x00", "image", "a TIFF image"),
    (b"MM\x00*", "image", "a TIFF image"),
    (b"BM", "image", "a BMP image"),
    (b"\x7fELF", "binary", "an ELF executable"),
    (b"MZ", "binary", "a Windows executable"),
    (b"\xca\xfe\xba\xbe", "binary", "a Mach-O or Java class file"),
    (b"\xcf\xfa\xed\xfe", "binary", "a Mach-O executable"),
    (b"\x1f\x8b", "binary", "a gzip archive"),
    (b"BZh", "binary", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "binary", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "binary", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "binary", "a RAR archive"),
    (b"SQLite format 3\x00", "binary", "an SQLite database"),
    (b"{\\rtf", "binary", "an RTF document"),
    (b"%!PS", "binary", "a PostScript file"),
    (b"\x00\x00\x01\x00", "image", "an icon image"),
    (b"ID3", "binary", "an MP3 audio file"),
    (b"OggS", "binary", "an Ogg media file"),
)

_WEAK_MAGICS = frozenset({b"BM", b"MZ", b"BZh", b"ID3"})

_HTML_START = re.compile(
    rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.I | re.S,
)
_HTML_TAG = re.compile(rb"<(?:html|body|table|tr|td|div|p|br|span)\b[^>]*>", re.I)
_HTML_DOCUMENT_TAG = re.compile(rb"<(?:html|body|table)\b[^>]*>", re.I)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Markdown (report-formats.md §4.13): pipe-table rows, a table's rule row, ATX headings.
_PIPE_ROW = re.compile(rb"^[ \t>]*\|.*\|[ \t]*\r?$", re.M)
_RULE_ROW = re.compile(rb"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t|:-]*\r?$", re.M)
_ATX_HEADING = re.compile(rb"^#{1,6}[ \t]+\S", re.M)
MIN_PIPE_ROWS = 3
# How much of a text file is searched for pipe tables (a long section 一 may precede them).
MARKDOWN_SCAN_BYTES = 1 << 20


def looks_markdown(text: bytes, headings: bool = True) -> bool:
    """Return whether ASCII-compatible text is Markdown: pipe-table rows, a table's rule row,
    or (with `headings`) an ATX heading (`# 标题`)."""
    return (
        len(_PIPE_ROW.findall(text)) >= MIN_PIPE_ROWS
        or bool(_RULE_ROW.search(text))
        or (headings and bool(_ATX_HEADING.search(text)))
    )


@dataclass(frozen=True)
class Sniffed:
    """The real kind of a file and a short phrase saying what it is."""

    kind: str
    what: str

    @property
    def readable(self) -> bool:
        """Return whether a reader handles this kind."""
        return self.kind in READABLE


def _zip_kind(path: Path) -> Sniffed:
    """Return the kind of a zip archive from its member names (a damaged one is `corrupt`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as err:
        return Sniffed("corrupt", f"a damaged zip package ({err})")
    members = set(names)
    if "word/document.xml" in members:
        return Sniffed("docx", "a Word .docx package")
    if "xl/workbook.xml" in members:
        return Sniffed("zip", "an Excel workbook (.xlsx)")
    if "ppt/presentation.xml" in members:
        return Sniffed("zip", "a PowerPoint presentation (.pptx)")
    if "content.xml" in members and "mimetype" in members:
        return Sniffed("zip", "an OpenDocument file")
    shown = ", ".join(sorted(names)[:3]) + (", …" if len(names) > 3 else "")
    return Sniffed("zip", f"a zip archive of {len(names)} files ({shown}), not a Word document")


def _ole2_kind(path: Path) -> Sniffed:
    """Return what an OLE2 compound file holds, from its stream names (UTF-16 in the directory)."""
    with path.open("rb") as handle:
        data = handle.read(4 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return Sniffed("encrypted", "a password-protected Office package")
    for stream, what in (
        ("WordDocument", "a legacy Word .doc (OLE2) file"),
        ("Workbook", "a legacy Excel .xls (OLE2) file"),
        ("Book", "a legacy Excel .xls (OLE2) file"),
        ("PowerPoint Document", "a legacy PowerPoint .ppt (OLE2) file"),
    ):
        if stream.encode("utf-16-le") in data:
            return Sniffed("ole2", what)
    return Sniffed("ole2", "a legacy Office (OLE2 compound) file")


def looks_binary(head: bytes) -> bool:
    """Return whether bytes look like binary data rather than text in any 8-bit or multibyte
    encoding: NUL bytes (outside UTF-16), or many C0 control characters."""
    if not head or head.startswith(_UTF16_BOMS):
        return False
    if utf16_without_bom(head):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in b"\t\n\r\x0c\x1b")
    return controls > len(head) // 50


# Characters that make up Chinese report text: ASCII, CJK punctuation and ideographs,
# full-width forms. UTF-16 read in the wrong byte order, or binary data read as UTF-16, yields
# far fewer of them.
_REPORT_CHARS = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)
MIN_UTF16_TEXT_SHARE = 0.9


def utf16_without_bom(head: bytes) -> str | None:
    """Return `utf-16-le` or `utf-16-be` when bytes holding NULs decode in that byte order to
    text made of report characters (ASCII, CJK, full-width forms); else None."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 16 or b"\x00" not in sample:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = sample.decode(encoding, errors="replace")
        if len(_REPORT_CHARS.findall(text)) >= MIN_UTF16_TEXT_SHARE * len(text):
            return encoding
    return None


def sniff_bytes(head: bytes) -> Sniffed:
    """Given a file's first bytes, return its kind without looking inside archives (zip and OLE2
    come back as `zip`/`ole2`; `sniff` refines them)."""
    if not head:
        return Sniffed("empty", "an empty file")
    if b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return Sniffed("pdf", "a PDF document")
    if head.startswith(ZIP_MAGICS):
        return Sniffed("zip", "a zip archive")
    if head.startswith(OLE2_MAGIC):
        return Sniffed("ole2", "a legacy Office (OLE2 compound) file")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image", "a WebP image")
    for magic, kind, what in _MAGICS:
        # Two- and three-letter magics (`BM`, `MZ`) also begin ordinary text.
        if head.startswith(magic) and (magic not in _WEAK_MAGICS or looks_binary(head)):
            return Sniffed(kind, what)
    text_head = _ascii_view(head)
    stripped = text_head.lstrip()
    if not _HTML_START.match(stripped) and looks_markdown(text_head) and not looks_binary(head):
        return Sniffed("md", "a Markdown document")
    if (
        _HTML_START.match(stripped)
        or (stripped.startswith(b"<") and _HTML_TAG.search(text_head))
        or _HTML_DOCUMENT_TAG.search(text_head)
    ):
        return Sniffed("html", "an HTML page")
    if looks_binary(head):
        return Sniffed("data", "binary data (not text)")
    return Sniffed("txt", "plain text")


def _ascii_view(head: bytes) -> bytes:
    """Return the head as ASCII-compatible bytes for markup tests (UTF-16 decoded, BOM gone)."""
    encoding = "utf-16" if head.startswith(_UTF16_BOMS) else utf16_without_bom(head)
    if encoding:
        cut = head[: len(head) - len(head) % 2]
        return cut.decode(encoding, errors="replace").encode("utf-8", errors="replace")
    return head.removeprefix(codecs.BOM_UTF8)


def sniff(path: Path) -> Sniffed:
    """Given a file, return its real kind from its bytes."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    found = sniff_bytes(head)
    if found.kind == "zip":
        return _zip_kind(path)
    if found.kind == "ole2":
        return _ole2_kind(path)
    if found.kind == "txt" and len(head) == HEAD_BYTES:
        # Text holding pipe tables after a long preamble is Markdown too.
        with path.open("rb") as handle:
            if looks_markdown(_ascii_view(handle.read(MARKDOWN_SCAN_BYTES)), headings=False):
                return Sniffed("md", "a Markdown document")
    return found


# Pages `looks_scanned` reads: enough to tell a scan, far fewer than a long report has.
SCAN_SAMPLE_PAGES = 3


def looks_scanned(path: Path) -> bool:
    """Return whether a file is a scan the extractor reads by OCR: a page image, or a PDF whose
    first pages have no usable text layer (cheap: pdfium's text layer of at most
    `SCAN_SAMPLE_PAGES` pages; the reader still decides on every page). Never raises."""
    try:
        found = sniff(path)
        if found.kind == "image":
            return True
        if found.kind != "pdf":
            return False
        from pipelines.extract.readers.pdf import pdfium_page_texts, unusable_text_layer

        texts = pdfium_page_texts(path, SCAN_SAMPLE_PAGES)
    except Exception:  # a damaged file is no scan; its reader says what it is
        return False
    return bool(texts) and (not any(t.strip() for t in texts) or unusable_text_layer(texts))
