"""`make review`: the evidence site opened in headless Chromium (Debian's `chromium`): the index
lists reports by grade, agency and year; a failing report's page shows the failing check, both
sides of its sum and the page image with the involved cells outlined (issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from pipelines.analyst.review import Report, build_review
from tests.conftest import CORPUS, REPO

pytestmark = pytest.mark.slow

FAILING_PDF = "rendered/106_pingtan-ziranziyuan-2020-word.pdf"
FAILING_TEXT = "real/106_pingtan-ziranziyuan-2020.txt"
OUTLINES = {(220, 30, 30), (30, 80, 220)}


def find_chromium() -> str:
    """Return the chromium executable, installing it with `make chromium` when missing; skip
    (with the reason) only when it still cannot be found."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    done = subprocess.run(
        ["make", "chromium"], cwd=REPO, capture_output=True, text=True, check=False
    )
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip(
            f"chromium cannot be installed here: {(done.stdout + done.stderr).strip()[-300:]}"
        )
    return found


def dump_dom(chromium: str, page: Path) -> str:
    """Return the DOM headless Chromium builds for a page from disk (images loaded)."""
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--allow-file-access-from-files", "--virtual-time-budget=10000",
        "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def site(corpus_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Run the review module as `make review` does; return the site folder."""
    out = tmp_path_factory.mktemp("review") / "review"
    command = [sys.executable, "-m", "pipelines.analyst.review"]
    command += ["--warehouse", str(corpus_warehouse), "--raw", str(CORPUS), "--out", str(out)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def page_of(report_id: str) -> str:
    return Report(report_id, None, None, None, "", "").page_name


def test_index_lists_reports_by_grade_agency_and_year(site: Path) -> None:
    dom = dump_dom(find_chromium(), site / "index.html")
    by_grade = dom[dom.index('id="reports-by-grade"') : dom.index('id="by-agency"')]
    grades = re.findall(r'class="grade (\w+)"', by_grade)
    order = ["source_defect", "extraction_suspect", "derived_totals", "clean", "quarantined"]
    assert grades == sorted(grades, key=order.index)
    assert "平潭综合实验区自然资源与生态环境局" in dom and "2020" in dom
    assert f'href="{page_of(FAILING_PDF)}"' in dom
    assert 'id="reports-by-agency"' in dom


def test_failing_pdf_page_shows_the_check_both_sides_and_the_outlined_image(site: Path) -> None:
    dom = dump_dom(find_chromium(), site / page_of(FAILING_PDF))
    assert "source_defect" in dom
    # req_outcome_total on the 总计 column: the printed （七）总计 9; its leaves add up to 10
    assert "req_outcome_total on total" in dom
    left = re.search(r'class="left-side">([^<]*)<', dom)
    right = re.search(
        r'class="right-side">([^<]*)<', dom[dom.index("req_outcome_total on total") :]
    )
    assert left and right
    assert right.group(1).endswith("= 10")
    assert "9" in dom[dom.index("req_outcome_total on total") :].split('class="left-side">')[1][:5]
    images = re.findall(r'<img class="outlined" src="(img/[^"]+)"[^>]*data-loaded="(\d+)"', dom)
    images += [
        (src, loaded)
        for loaded, src in re.findall(r'<img[^>]*data-loaded="(\d+)"[^>]*src="(img/[^"]+)"', dom)
    ]
    assert images, "the page image did not load in the browser"
    assert all(int(loaded) > 0 for _, loaded in images)
    colours: set[tuple[int, int, int]] = set()
    for src, _ in images:
        with Image.open(site / src) as image:
            found = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
            colours |= {colour for _, colour in found if colour in OUTLINES}
    # the check's sides may sit on two pages: across its images, both outlines are drawn
    assert colours == set(OUTLINES), "the left (red) and right (blue) cells are not outlined"


def test_failing_text_page_shows_the_printed_lines(site: Path) -> None:
    html = (site / page_of(FAILING_TEXT)).read_text(encoding="utf-8")
    assert "req_outcome_total on total" in html
    assert "<pre class='line'>line 10: " in html
    assert "<mark>" in html


def test_no_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="make run"):
        build_review(tmp_path / "missing.duckdb", tmp_path, tmp_path / "out")
