"""The defect suite's line of `make score` (registered in `pipelines.scoring.EXTRA_SUMMARY_LINES`).

The suite itself (corpus reports with one printed cell edited per hard check of
report-formats.md §3, in text, DOCX, HTML, Word and browser PDF; recall and precision of the
checks that must change) is a test harness: it edits corpus files, renders PDFs with the test
renderer and compares against hand-checked truth. It lives in `tests/fixtures/defects.py`, and
production code never imports `tests` at import time: this function imports it only when
`make score` asks for the line, and says so plainly when `tests/` is not there (an installed
package, a deployment without the test tree).
"""

from __future__ import annotations

import sys
from pathlib import Path


def defect_suite_line(corpus: Path) -> str:
    """Return the `make score` line of the defect suite, or why it could not run."""
    try:
        from tests.fixtures.defects import defect_suite_line as suite_line
    except ImportError as err:
        return (
            "defect suite: not run: it lives in tests/fixtures/defects.py, which cannot be "
            f"imported here ({err}); run `make score` from a repository checkout"
        )
    return suite_line(corpus)


if __name__ == "__main__":
    print(defect_suite_line(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus")))
