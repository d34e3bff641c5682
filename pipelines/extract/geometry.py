"""Small page-geometry helpers for the PDF reader, named after pdfplumber's own utilities.

Boxes are `(x0, top, x1, bottom)` in PDF points with `top` measured from the top of the page,
as pdfplumber reports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pipelines.extract.model import BBox

Obj = Mapping[str, Any]


def obj_to_bbox(obj: Obj) -> BBox:
    """Given a pdfplumber object (char, word, edge), return its bbox."""
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def objects_to_bbox(objs: Iterable[Obj]) -> BBox | None:
    """Given pdfplumber objects, return the smallest bbox enclosing them all, or None if empty."""
    boxes = [obj_to_bbox(obj) for obj in objs]
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def bbox_overlap(a: BBox, b: BBox) -> BBox | None:
    """Given two bboxes, return their intersection, or None when they do not overlap."""
    x0, top, x1, bottom = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    if x1 <= x0 or bottom <= top:
        return None
    return (x0, top, x1, bottom)


def center_in_bbox(obj: Obj, bbox: BBox) -> bool:
    """Given an object and a bbox, return whether the object's centre lies inside the bbox."""
    cx = (float(obj["x0"]) + float(obj["x1"])) / 2
    cy = (float(obj["top"]) + float(obj["bottom"])) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def x_to_column(x: float, column_edges: Sequence[float]) -> int | None:
    """Given an x position and sorted column boundaries, return the column index it falls in,
    or None when it lies outside the outermost boundaries."""
    for index in range(len(column_edges) - 1):
        if column_edges[index] <= x < column_edges[index + 1]:
            return index
    return None


def words_to_rows(words: Iterable[Obj], tolerance: float = 3.0) -> list[list[Obj]]:
    """Given words, return them clustered into rows by `top` (within `tolerance`), each row
    sorted left to right and the rows sorted top to bottom."""
    rows: list[list[Obj]] = []
    for word in sorted(words, key=lambda w: (float(w["top"]), float(w["x0"]))):
        if rows and abs(float(word["top"]) - float(rows[-1][0]["top"])) <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: float(w["x0"])) for row in rows]
