"""How scans are read by OCR (light: no OpenCV or OCR engine imported here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Render scale of pages read in full (2.5 = 180 dpi).
FULL_SCALE = 2.5
# Below this box confidence an OCR value is also flagged `low_confidence`.
LOW_CONFIDENCE = 0.9


@dataclass
class OcrOptions:
    """How a scan is read: where OCR results are cached (None: no cache), the key parts of the
    cache (file sha256 and extractor version), and the confidence threshold."""

    cache_dir: Path | None = None
    sha256: str = ""
    version: str = ""
    low_confidence: float = LOW_CONFIDENCE
    full_scale: float = FULL_SCALE
