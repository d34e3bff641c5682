"""One reader per file format; each turns a file into a `Layout` (lines of fields).

Readers raise `ReaderError` subclasses for files they cannot read; `extract_document` turns
each into a quarantine reason, so a bad file never stops a run.
"""

from __future__ import annotations


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
