"""Progress over files: plain lines with counts and the ETA where there is no terminal."""

from __future__ import annotations

import io

from pipelines.progress import FileProgress, format_seconds


def test_plain_progress_names_quarantined_files_and_ends_with_the_counts() -> None:
    out = io.StringIO()
    with FileProgress(total=3, stream=out, every_seconds=0.0) as progress:
        progress.advance("a.pdf")
        progress.advance("b[1].pdf", "corrupt: extraction stopped at the 180 s time limit")
        assert progress.eta_seconds() is not None
        progress.advance("c.txt")
    text = out.getvalue()
    assert "quarantined b[1].pdf: corrupt: extraction stopped at the 180 s time limit" in text
    assert "extracting: 1/3 files (33%), 0 quarantined" in text
    assert "ETA" in text.splitlines()[0]
    last = text.rstrip().splitlines()[-1]
    assert last.startswith("  extracting: 3/3 files (100%), 1 quarantined")


def test_durations_read_as_a_person_writes_them() -> None:
    assert [format_seconds(s) for s in (42, 185, 3725)] == ["42s", "3m05s", "1h02m"]
