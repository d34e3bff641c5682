"""The extraction-to-floor measure (bench/floor.py) and the scale bench's sample of PDFs."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from bench.bench_scale import floor_sample
from bench.floor import measure


def test_floor_of_text_pdfs_and_no_floor_for_a_scan(corpus: Path, tmp_path: Path) -> None:
    report = corpus / "rendered" / "000_hangzhou-finance-2019-word.pdf"
    scan = tmp_path / "scan.pdf"
    Image.new("L", (400, 560), 255).save(scan, resolution=50.0)
    floor = measure([report, scan])
    assert (floor.files, floor.skipped) == (1, 1)
    assert floor.pages >= 2
    assert 1 <= floor.table_pages < floor.pages
    assert floor.text_s > 0 and floor.tables_s > 0 and floor.extract_s > 0
    assert floor.floor_s == floor.text_s + floor.tables_s
    assert floor.ratio == floor.extract_s / floor.floor_s
    data = floor.to_dict()
    assert {"files", "pages", "extract_s", "floor_s", "ratio"} <= data.keys()


def test_floor_sample_is_every_kth_and_at_most_the_limit() -> None:
    pdfs = [Path(f"{i:05d}.pdf") for i in range(700)]
    sample = floor_sample(pdfs, 40)
    assert sample == pdfs[::18]
    assert len(sample) == 39
    assert floor_sample(pdfs[:30], 40) == pdfs[:30]
    assert floor_sample([], 40) == []
