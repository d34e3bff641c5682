"""Scanned reports (PDF pages without a usable text layer, page images) → `Layout`, by OCR.

The engine is RapidOCR (PP-OCRv4 models inside the `rapidocr-onnxruntime` wheel; nothing is
fetched at run time). Only the pages that need it are read at full scale:

1. Survey: every page is rendered small and searched for ruled table grids (OpenCV, a few ms a
   page). Pages with a grid are table pages (T2/T3/T4 and the legacy forms); page 1 is read for
   the title. Without any grid (a prose-only legacy report) every page is read.
2. Each page read is deskewed (projection profile), OCRed once (det + rec), its text boxes are
   erased and the ruling lines found with morphological openings; the cells are the regions the
   lines enclose (merged cells included, a missing outer rule closed by the table's frame).
3. Rows and columns are rebuilt as pdfplumber gives them: a row per distinct cell top, a field per
   distinct cell left edge (a merged cell in its first row, empty fields under it), so the label
   parsers read a scan like a ruled text-layer PDF. A text box crossing a cell side is read again
   cell by cell (recognition only). Text outside the grids becomes prose lines, built from the
   boxes by vertical overlap.

Every field's `ref` says `ocr` with the lowest box confidence in it (`conf 0.973`) and
`normalised` where look-alike characters were read as digits (O/o→0, l/I/|→1, 。→.), which is
done only in cells whose whole text then is a number. `flag_ocr_cells` turns those into cell
flags after parsing. Bboxes are in PDF points of the original (unrotated) page.

OCR results (boxes per page image) are cached as JSON under `OcrOptions.cache_dir`, keyed by the
file's sha256 and the extractor version, so a file is never OCRed twice.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from pipelines.extract.layout import Field, Layout, Line
from pipelines.extract.model import BBox, Cell
from pipelines.extract.ocr_options import LOW_CONFIDENCE, OcrOptions
from pipelines.extract.readers import CorruptDocumentError, ImageOnlyDocumentError

Image = npt.NDArray[np.uint8]

# The cap on the longer side of a page image in pixels.
MAX_SIDE = 2200
# Render scale of the survey (about 43 dpi): enough to see a table grid.
SURVEY_SCALE = 0.6
# Resolution assumed for a page image without its own (points = pixels × 72 / dpi).
IMAGE_DPI = 150.0
MAX_SKEW_DEGREES = 4.0
MAX_IMAGE_PIXELS = 60_000_000

OCR_FLAG = "ocr"
LOW_CONFIDENCE_FLAG = "low_confidence"
NORMALISED_FLAG = "ocr_normalised"
_REF_CONF = re.compile(r"\bocr\b.*?\bconf (\d\.\d+)")


@dataclass
class OcrStats:
    """What reading one scan cost: pages OCRed, pages surveyed only, seconds spent in OCR."""

    pages_read: list[int] = field(default_factory=list)
    pages_skipped: list[int] = field(default_factory=list)
    ocr_seconds: float = 0.0
    cached_pages: int = 0


# The stats of the last scan read in this process (for `make bench-pdf`).
LAST_STATS = OcrStats()


@dataclass(frozen=True)
class Box:
    """One OCR text box: text, confidence, and (x0, top, x1, bottom) in working pixels."""

    text: str
    conf: float
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        """Return the horizontal centre."""
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        """Return the vertical centre."""
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        """Return the height."""
        return self.bottom - self.top


_ENGINE: Any = None


def engine() -> Any:
    """Return the process's RapidOCR engine (loaded once, models from the wheel)."""
    global _ENGINE
    if _ENGINE is None:
        from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]

        # One thread: extraction already runs one process per core, and onnxruntime's default
        # (every core) makes a scan starve the other workers (measured: 60 PDFs beside a scan
        # took 33.5 s instead of 11.0 s, the scan 32.8 s instead of 13.5 s).
        _ENGINE = RapidOCR(print_verbose=False, intra_op_num_threads=1, inter_op_num_threads=1)
    return _ENGINE


# ---------------------------------------------------------------------------------------------
# Cache


class _Cache:
    """OCR boxes of one file's page images, loaded from and saved to one JSON file."""

    def __init__(self, options: OcrOptions) -> None:
        self.path: Path | None = None
        self.data: dict[str, Any] = {}
        self.dirty = False
        if options.cache_dir is not None and options.sha256:
            name = f"{options.sha256}-{options.version or 'dev'}.json"
            self.path = options.cache_dir / options.sha256[:2] / name
            with contextlib.suppress(OSError, ValueError):
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    self.data = loaded

    def get(self, key: str) -> list[Box] | None:
        """Return the cached boxes for a page image key, if any."""
        rows = self.data.get(key)
        if not isinstance(rows, list):
            return None
        return [Box(str(r[0]), float(r[1]), *map(float, r[2:6])) for r in rows]

    def put(self, key: str, boxes: Sequence[Box]) -> None:
        """Remember the boxes of a page image."""
        self.data[key] = [[b.text, b.conf, b.x0, b.top, b.x1, b.bottom] for b in boxes]
        self.dirty = True

    def save(self) -> None:
        """Write the cache file atomically (a failure to write only costs a re-OCR later)."""
        if self.path is None or not self.dirty:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(self.data, out, ensure_ascii=False)
            Path(temp).replace(self.path)


# ---------------------------------------------------------------------------------------------
# Images


def _gray(image: Image) -> Image:
    """Return a grayscale copy of an image."""
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.uint8)


def _ink(gray: Image) -> Image:
    """Return the dark strokes of a page as 255 on 0, robust to shading (adaptive threshold)."""
    block = max(15, (min(gray.shape[:2]) // 40) | 1)
    return cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
    ).astype(np.uint8)


def _rotate(image: Image, degrees: float, fill: int = 255) -> Image:
    """Return an image turned by `degrees` (counter-clockwise) about its centre, same size."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    border = (fill, fill, fill) if image.ndim == 3 else fill
    return cv2.warpAffine(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=border
    ).astype(np.uint8)


def skew_angle(gray: Image) -> float:
    """Return the rotation (degrees) that makes a page's text lines and rules horizontal: the
    angle whose row profile of ink is sharpest (projection profile on a reduced image)."""
    height, width = gray.shape[:2]
    factor = 900 / max(height, width)
    small = cv2.resize(gray, (max(1, int(width * factor)), max(1, int(height * factor))))
    ink = _ink(small.astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = _rotate(ink, angle, fill=0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.25), key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    angle = float(max(fine, key=sharpness))
    return 0.0 if abs(angle) < 0.05 else round(angle, 2)


# ---------------------------------------------------------------------------------------------
# Ruling lines and cells


@dataclass(frozen=True)
class Grid:
    """One ruled table found in a page image: its frame and its cells (x0, top, x1, bottom)."""

    frame: tuple[int, int, int, int]
    cells: list[tuple[int, int, int, int]]


def _line_masks(ink: Image, text_height: float) -> Image:
    """Return the ruling lines of an ink mask (text already erased) as 255 on 0."""
    _height, width = ink.shape[:2]
    h_len = max(25, int(max(width / 45, 1.6 * text_height)))
    v_len = max(12, int(0.6 * text_height))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8)).astype(np.uint8)
    # A vertical rule must be longer than a character stroke left over at a box's edge.
    vertical = _drop_short(vertical, axis=0, minimum=int(1.2 * text_height))
    lines = cv2.bitwise_or(horizontal, vertical)
    return cv2.dilate(lines, np.ones((3, 3), np.uint8)).astype(np.uint8)


def _drop_short(mask: Image, axis: int, minimum: int) -> Image:
    """Return a mask without the connected pieces shorter than `minimum` along `axis`."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    size = cv2.CC_STAT_HEIGHT if axis == 0 else cv2.CC_STAT_WIDTH
    keep = np.zeros(count, dtype=bool)
    keep[1:] = stats[1:, size] >= minimum
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def find_grids(ink: Image, text_height: float) -> list[Grid]:
    """Given an ink mask with the text erased, return the ruled tables in it, top to bottom."""
    lines = _line_masks(ink, text_height)
    _height, width = lines.shape[:2]
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    grids: list[Grid] = []
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        if w < width * 0.25 or h < 2.5 * text_height:
            continue
        frame = lines[y : y + h, x : x + w].copy()
        # Close the frame: a browser print drops the top rule of a row that starts a page.
        cv2.rectangle(frame, (0, 0), (w - 1, h - 1), 255, 2)
        open_space = cv2.bitwise_not(frame)
        n, _, cell_stats, _ = cv2.connectedComponentsWithStats(open_space, connectivity=4)
        cells = []
        for c in range(1, n):
            cx, cy, cw, ch = (int(v) for v in cell_stats[c, :4])
            if cw < 0.5 * text_height or ch < 0.5 * text_height:
                continue  # the gap between double rules
            cells.append((x + cx - 1, y + cy - 1, x + cx + cw + 1, y + cy + ch + 1))
        if len(cells) >= 4:
            grids.append(Grid((x, y, x + w, y + h), cells))
    grids.sort(key=lambda g: g.frame[1])
    return grids


def survey_has_grid(image: Image) -> bool:
    """Return whether a small rendering of a page shows a ruled table (cheap: no OCR)."""
    gray = _gray(image)
    ink = _ink(gray)
    height, width = ink.shape[:2]
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(15, width // 6)), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(8, height // 40), 1), np.uint8))
    rows = _count_runs(np.asarray(horizontal.any(axis=1), dtype=np.bool_))
    cols = _count_runs(np.asarray(vertical.any(axis=0), dtype=np.bool_))
    return rows >= 4 and cols >= 3


def _count_runs(flags: npt.NDArray[np.bool_]) -> int:
    """Return how many runs of True a boolean vector holds."""
    padded = np.concatenate([[False], flags, [False]]).astype(np.int8)
    return int((np.diff(padded) == 1).sum())


# ---------------------------------------------------------------------------------------------
# OCR of one page image

_DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1", "。": ".", "，": ","}
)
_DASH_LOOKALIKES = frozenset({"一", "_", "~", "～", "ー"})
_NUMBER = re.compile(r"[+\-－]?\d{1,3}(?:,\d{3})*(?:\.\d+)?|[+\-－]?\d+(?:\.\d+)?")


def normalise_numeric(text: str) -> tuple[str, bool]:
    """Given an OCR cell text, return it with look-alike characters read as digits (O→0, l→1,
    。→.) when the whole cell then is a number, and whether anything changed."""
    compact = text.strip().replace(" ", "")
    if not compact or compact.isdigit():
        return text, False
    if compact in _DASH_LOOKALIKES:
        return "-", True  # a printed dash (a zero) read as the numeral 一 or an underscore
    mapped = compact.translate(_DIGIT_LOOKALIKES)
    if mapped != compact and _NUMBER.fullmatch(mapped):
        return mapped, True
    return text, False


def _ocr_boxes(image: Image) -> list[Box]:
    """Return the text boxes RapidOCR finds in an RGB page image."""
    found, _ = engine()(image)
    boxes = []
    for quad, text, conf in found or []:
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        boxes.append(Box(str(text), float(conf), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _recognise(image: Image, box: tuple[int, int, int, int]) -> tuple[str, float]:
    """Return the text and confidence of one crop, by recognition alone (no detection)."""
    x0, y0, x1, y1 = box
    crop = image[max(0, y0) : y1, max(0, x0) : x1]
    if crop.size == 0:
        return "", 0.0
    found, _ = engine()(crop, use_det=False, use_cls=False)
    if not found:
        return "", 0.0
    text, conf = found[0]
    return str(text).strip(), float(conf)


def _inside(box: Box, cell: tuple[int, int, int, int]) -> bool:
    """Return whether a box's centre lies in a cell."""
    return cell[0] <= box.cx <= cell[2] and cell[1] <= box.cy <= cell[3]


def _split_crossing(image: Image, boxes: list[Box], grids: Sequence[Grid]) -> list[Box]:
    """Return the boxes with every box that runs across cell sides replaced by one box per cell
    it covers, each read again by recognition alone."""
    out: list[Box] = []
    for box in boxes:
        pieces: list[tuple[int, int, int, int]] = []
        for grid in grids:
            for cell in grid.cells:
                left, right = max(box.x0, cell[0]), min(box.x1, cell[2])
                upper, lower = max(box.top, cell[1]), min(box.bottom, cell[3])
                if right - left > 0.25 * box.height and lower - upper > 0.5 * box.height:
                    pieces.append((int(left), int(box.top), int(right), int(box.bottom)))
        if len(pieces) < 2:
            out.append(box)
            continue
        for piece in pieces:
            text, conf = _recognise(image, piece)
            if text:
                out.append(Box(text, conf, *(float(v) for v in piece)))
    return out


def _read_missed(
    image: Image, ink: Image, boxes: Sequence[Box], grids: Sequence[Grid], text_height: float
) -> list[Box]:
    """Return boxes for the marks detection missed: a small cell without any box whose inside
    holds a stroke as tall as a digit is read again by recognition alone (a lone `1` or `0` on
    a noisy scan)."""
    found: list[Box] = []
    margin = max(3, int(0.15 * text_height))
    for grid in grids:
        for cell in grid.cells:
            x0, y0, x1, y1 = cell
            if x1 - x0 > 6 * text_height:
                continue
            if any(_inside(b, cell) for b in boxes):
                continue
            inside = ink[y0 + margin : y1 - margin, x0 + margin : x1 - margin]
            if inside.size == 0 or not inside.any():
                continue
            count, _, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=8)
            marks = [
                stats[i]
                for i in range(1, count)
                if stats[i, cv2.CC_STAT_HEIGHT] >= 0.4 * text_height
            ]
            if not marks:
                continue
            left = x0 + margin + min(int(m[0]) for m in marks)
            top = y0 + margin + min(int(m[1]) for m in marks)
            right = x0 + margin + max(int(m[0] + m[2]) for m in marks)
            bottom = y0 + margin + max(int(m[1] + m[3]) for m in marks)
            pad = max(4, int(0.3 * text_height))
            crop = (
                max(x0, left - pad),
                max(y0, top - pad),
                min(x1, right + pad),
                min(y1, bottom + pad),
            )
            text, conf = _recognise(image, crop)
            if text:
                found.append(Box(text, conf, *(float(v) for v in crop)))
    return found


def _rows_by_overlap(boxes: Sequence[Box]) -> list[list[Box]]:
    """Group boxes into text lines: a box joins the line whose vertical span it overlaps by
    half its height; lines top to bottom, boxes left to right."""
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for row in rows:
            top = min(b.top for b in row)
            bottom = max(b.bottom for b in row)
            overlap = min(bottom, box.bottom) - max(top, box.top)
            if overlap >= 0.5 * min(box.height, bottom - top):
                row.append(box)
                break
        else:
            rows.append([box])
    for row in rows:
        row.sort(key=lambda b: b.x0)
    rows.sort(key=lambda r: min(b.top for b in r))
    return rows


def _join(row: Sequence[Box]) -> str:
    """Return a text line's boxes joined: a space between boxes a character apart or more."""
    text = ""
    previous: Box | None = None
    for box in row:
        if previous is not None and box.x0 - previous.x1 > 0.8 * max(box.height, 1.0):
            text += " "
        text += box.text
        previous = box
    return text


def _cluster(values: Sequence[float], tolerance: float) -> list[float]:
    """Return representative values of clusters of sorted numbers closer than `tolerance`."""
    centres: list[list[float]] = []
    for value in sorted(values):
        if centres and value - centres[-1][-1] <= tolerance:
            centres[-1].append(value)
        else:
            centres.append([value])
    return [sum(c) / len(c) for c in centres]


def _nearest(value: float, centres: Sequence[float]) -> int:
    """Return the index of the centre nearest to a value."""
    return min(range(len(centres)), key=lambda i: abs(centres[i] - value))


@dataclass
class PageGeometry:
    """How working pixels map back to PDF points of the original page."""

    angle: float
    width: int
    height: int
    points_per_pixel: float

    def bbox(self, x0: float, top: float, x1: float, bottom: float) -> BBox:
        """Return a working-pixel box as an upright bbox in points on the unrotated page."""
        if self.angle:
            matrix = cv2.getRotationMatrix2D((self.width / 2, self.height / 2), -self.angle, 1.0)
            corners = np.array([[x0, top, 1], [x1, top, 1], [x0, bottom, 1], [x1, bottom, 1]])
            turned = corners @ matrix.T
            x0, x1 = float(turned[:, 0].min()), float(turned[:, 0].max())
            top, bottom = float(turned[:, 1].min()), float(turned[:, 1].max())
        k = self.points_per_pixel
        return (round(x0 * k, 1), round(top * k, 1), round(x1 * k, 1), round(bottom * k, 1))


def _ref(base: str, boxes: Sequence[Box], normalised: bool = False) -> str:
    """Return a field reference naming OCR, the lowest confidence and any normalisation."""
    ref = f"{base} ocr"
    if boxes:
        ref += f" conf {min(b.conf for b in boxes):.3f}"
    return ref + (" normalised" if normalised else "")


def _cell_text(boxes: Sequence[Box]) -> str:
    """Return a cell's text: its lines top to bottom, joined without spaces (CJK labels wrap
    mid-word), each line's boxes joined by `_join`."""
    return "".join(_join(row).strip() for row in _rows_by_overlap(boxes))


def page_lines(
    boxes: Sequence[Box], grids: Sequence[Grid], page_number: int, geometry: PageGeometry
) -> list[Line]:
    """Given a page's OCR boxes and ruled grids, return its lines top to bottom: a table row per
    distinct cell top (a field per distinct cell left edge), prose lines for the rest."""
    items: list[tuple[float, Line]] = []
    taken: set[int] = set()
    heights = sorted(b.height for b in boxes) or [20.0]
    tolerance = max(4.0, 0.3 * heights[len(heights) // 2])
    for number, grid in enumerate(grids, start=1):
        columns = _cluster([c[0] for c in grid.cells], tolerance)
        tops = _cluster([c[1] for c in grid.cells], tolerance)
        by_position: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for cell in grid.cells:
            by_position[(_nearest(cell[1], tops), _nearest(cell[0], columns))] = cell
        for row_index, top in enumerate(tops):
            fields = []
            for col_index in range(len(columns)):
                found = by_position.get((row_index, col_index))
                ref = f"page {page_number} table {number} row {row_index + 1} col {col_index + 1}"
                if found is None:
                    fields.append(Field("", ref + " ocr", page=page_number))
                    continue
                cell = found
                inside = [b for i, b in enumerate(boxes) if i not in taken and _inside(b, cell)]
                taken.update(i for i, b in enumerate(boxes) if _inside(b, cell))
                text, normalised = normalise_numeric(_cell_text(inside))
                fields.append(
                    Field(
                        text,
                        _ref(ref, inside, normalised),
                        page=page_number,
                        bbox=geometry.bbox(*cell),
                    )
                )
            items.append((top, Line(fields, in_table=True, page=page_number)))
    prose = [b for i, b in enumerate(boxes) if i not in taken]
    for number, row in enumerate(_rows_by_overlap(prose), start=1):
        ref = _ref(f"page {page_number} text line {number}", row)
        bbox = geometry.bbox(
            min(b.x0 for b in row),
            min(b.top for b in row),
            max(b.x1 for b in row),
            max(b.bottom for b in row),
        )
        line = Line([Field(_join(row), ref, page=page_number, bbox=bbox)], page=page_number)
        items.append((min(b.top for b in row), line))
    items.sort(key=lambda item: item[0])
    return [line for _, line in items]


def read_page_image(
    image: Image,
    page_number: int,
    points_per_pixel: float,
    cache: _Cache,
    stats: OcrStats,
    layout: Layout,
) -> list[Line]:
    """Given one page as an RGB image, return its lines (see the module docstring)."""
    gray = _gray(image)
    angle = skew_angle(gray)
    if angle:
        image = _rotate(image, angle)
        gray = _gray(image)
        layout.flags.append(f"page_{page_number}_deskewed_{angle:g}")
    key = f"page {page_number} {image.shape[1]}x{image.shape[0]} angle {angle:g}"
    boxes = cache.get(key)
    started = time.perf_counter()
    if boxes is None:
        boxes = _ocr_boxes(image)
        cache.put(key, boxes)
    else:
        stats.cached_pages += 1
    heights = sorted(b.height for b in boxes if b.text.strip()) or [20.0]
    text_height = heights[len(heights) // 2]
    ink = _ink(gray)
    for box in boxes:
        cut = 0.2 * box.height
        ink[int(box.top + cut) : math.ceil(box.bottom - cut), int(box.x0) : int(box.x1)] = 0
    grids = find_grids(ink, text_height)
    final = cache.get(key + " cells")
    if final is None:
        # Boxes across cell sides and marks detection missed, read again cell by cell.
        final = _split_crossing(image, boxes, grids)
        final += _read_missed(image, ink, final, grids, text_height)
        cache.put(key + " cells", final)
    boxes = final
    stats.ocr_seconds += time.perf_counter() - started
    geometry = PageGeometry(angle, image.shape[1], image.shape[0], points_per_pixel)
    return page_lines(boxes, grids, page_number, geometry)


# ---------------------------------------------------------------------------------------------
# Documents


def _render(document: Any, index: int, scale: float) -> Image:
    """Return page `index` of a pypdfium2 document rendered as an RGB array; a page pdfium
    cannot load or render makes the file `corrupt`."""
    import pypdfium2 as pdfium

    try:
        return _render_page(document, index, scale)
    except pdfium.PdfiumError as error:
        msg = f"pdfium cannot render page {index + 1} of the scan: {error}"
        raise CorruptDocumentError(msg) from error


def _render_page(document: Any, index: int, scale: float) -> Image:
    """Return page `index` of a pypdfium2 document rendered as an RGB array."""
    page = document[index]
    try:
        width, height = page.get_size()
        scale = min(scale, MAX_SIDE / max(width, height, 1.0))
        bitmap = page.render(scale=scale)
        array = np.asarray(bitmap.to_pil().convert("RGB"), dtype=np.uint8)
    finally:
        page.close()
    return array


def read_scanned_pdf(path: Path, options: OcrOptions) -> Layout:
    """Given a PDF whose pages are images, return its layout read by OCR; raise
    `ImageOnlyDocumentError` when OCR finds no text at all."""
    import pypdfium2 as pdfium

    global LAST_STATS
    stats = LAST_STATS = OcrStats()
    cache = _Cache(options)
    document = pdfium.PdfDocument(path)
    try:
        count = len(document)
        with_grid = [i for i in range(count) if survey_has_grid(_render(document, i, SURVEY_SCALE))]
        wanted = sorted({0, *with_grid}) if with_grid else list(range(count))
        layout = Layout(pages=count, flags=["ocr"])
        for index in range(count):
            if index not in wanted:
                stats.pages_skipped.append(index + 1)
                continue
            stats.pages_read.append(index + 1)
            image = _render(document, index, options.full_scale)
            width_points = document.get_page_size(index)[0]
            ppp = width_points / image.shape[1]
            layout.lines.extend(read_page_image(image, index + 1, ppp, cache, stats, layout))
    finally:
        document.close()
        cache.save()
    return _finish(layout, stats)


def read_image(path: Path, options: OcrOptions) -> Layout:
    """Given a page image (.png, .jpg, …), return its layout read by OCR (one page)."""
    global LAST_STATS
    stats = LAST_STATS = OcrStats()
    data = np.frombuffer(path.read_bytes(), dtype=np.uint8)
    decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if decoded is None:
        msg = "the image cannot be decoded"
        raise ImageOnlyDocumentError(msg)
    height, width = decoded.shape[:2]
    if height * width > MAX_IMAGE_PIXELS:
        msg = f"an image of {width}×{height} pixels, over the cap"
        raise CorruptDocumentError(msg)
    image = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB).astype(np.uint8)
    factor = min(1.0, MAX_SIDE / max(height, width))
    if factor < 1.0:
        image = cv2.resize(image, (int(width * factor), int(height * factor))).astype(np.uint8)
    cache = _Cache(options)
    layout = Layout(pages=1, flags=["ocr"])
    stats.pages_read.append(1)
    try:
        ppp = 72.0 / IMAGE_DPI / factor
        layout.lines.extend(read_page_image(image, 1, ppp, cache, stats, layout))
    finally:
        cache.save()
    return _finish(layout, stats)


def _finish(layout: Layout, stats: OcrStats) -> Layout:
    """Flag which pages were read and refuse a scan in which OCR found nothing."""
    if not any(f.text.strip() for line in layout.lines for f in line.fields):
        msg = "no text layer, and OCR found no text on the page images"
        raise ImageOnlyDocumentError(msg)
    layout.flags.append("ocr_pages:" + ",".join(map(str, stats.pages_read)))
    if stats.pages_skipped:
        layout.flags.append("ocr_skipped_pages:" + ",".join(map(str, stats.pages_skipped)))
    return layout


def flag_ocr_cells(cells: Sequence[Cell], low_confidence: float = LOW_CONFIDENCE) -> None:
    """Flag every cell of an OCR layout `ocr` with its confidence (`ocr_conf=0.973`), and
    `low_confidence` below the threshold or where look-alike characters were read as digits."""
    for cell in cells:
        ref = cell.ref or ""
        flags = [OCR_FLAG]
        match = _REF_CONF.search(ref)
        if match:
            conf = float(match.group(1))
            flags.append(f"ocr_conf={conf:.3f}")
            if conf < low_confidence:
                flags.append(LOW_CONFIDENCE_FLAG)
        if " normalised" in ref:
            flags.extend([NORMALISED_FLAG, LOW_CONFIDENCE_FLAG])
        cell.flags.extend(f for f in dict.fromkeys(flags) if f not in cell.flags)
