"""The HTML report and the trend page in a real browser (headless Chromium): the screenshot, not the markup, shows
the plot and the table, and nothing runs off the page at a phone's width (390 px) or a desktop's (1280 px)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from browser import MARGIN, chromium, near, overflow_shot, pdf_pages, screenshot
from posecheck.history import History
from posecheck.html_page import COLORS
from posecheck.html_report import render_report
from posecheck.trends import render_trends
from reports import fill_history, routine_sample, sample

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="needs chromium (Debian's package; bash scripts/install.sh --test installs it)"
)
WIDTHS = (390, 1280)
TABLE_HEAD = "#f2f5f9"  # th's background
WHITE = "#ffffff"


def report_page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    report, timeline = sample("leg-lift_left_forward-knee_feet-oblique", "leg-lift")
    path.write_text(render_report(report, timeline, datetime(2026, 12, 7, 18, 30)), encoding="utf-8")
    return path


def trend_page(tmp_path: Path) -> Path:
    history: History = fill_history(tmp_path / "h.sqlite3")
    sessions = history.sessions()
    ids = [s.id for s in sessions]
    path = tmp_path / "trends.html"
    html = render_trends(sessions, history.results(ids), history.rows(ids), datetime(2026, 11, 10))
    path.write_text(html, encoding="utf-8")
    return path


def rows_with(mask: np.ndarray, share: float = 0.0) -> np.ndarray:
    """The rows where more than `share` of the width is in the mask (0: any pixel)."""
    return np.flatnonzero(mask.sum(axis=1) > share * mask.shape[1])


def header_rows(image: np.ndarray) -> np.ndarray:
    """The rows crossed by a table's header: its background across at least 20 % of the page (anti-aliased
    edges elsewhere can have that colour too, a pixel here and there)."""
    return rows_with(near(image, TABLE_HEAD, 3), 0.2)


def assert_visible_plot_and_table(image: np.ndarray, width: int, band: str) -> None:
    assert image.shape[1] == width
    signal = near(image, COLORS["signal"], 40)
    shaded = near(image, band, 6)
    assert shaded.sum() > 2000, "no shaded reps: the plot is not drawn"
    assert signal.sum() > 300, "no signal line"
    plot_rows, table_rows = rows_with(shaded, 0.03), header_rows(image)
    assert len(table_rows) >= 15, "no table header"
    assert plot_rows.max() - plot_rows.min() > 60, "the plot is squashed"
    assert plot_rows.min() < table_rows.min(), "the table comes after the plot"
    columns = np.flatnonzero(shaded.any(axis=0))
    assert columns.max() - columns.min() > width * 0.35, "the plot does not use the page's width"


def assert_nothing_overflows(image: np.ndarray, width: int) -> None:
    margin = image[:, width + 2 :]  # (the 2 px next to the page: anti-aliased edges)
    assert margin.shape[1] >= MARGIN - 4
    ink = ~near(margin, WHITE, 6)
    assert ink.sum() == 0, f"{ink.sum()} pixels drawn right of the {width} px page (first rows {rows_with(ink)[:5]})"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_shows_its_plot_and_table_and_fits(tmp_path, width):
    page = report_page(tmp_path)
    image = screenshot(page, tmp_path / f"report-{width}.png", width, 2600)
    assert_visible_plot_and_table(image, width, COLORS["left"])
    assert_nothing_overflows(overflow_shot(page, tmp_path / f"report-{width}-wide.png", width, 2600), width)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_trend_page_shows_its_plots_and_table_and_fits(tmp_path, width):
    page = trend_page(tmp_path)
    image = screenshot(page, tmp_path / f"trends-{width}.png", width, 9000)
    dots = near(image, COLORS["signal"], 40)
    table_rows = header_rows(image)
    assert dots.sum() > 500 and len(table_rows) >= 15
    assert rows_with(dots).min() < table_rows.min()
    assert_nothing_overflows(overflow_shot(page, tmp_path / f"trends-{width}-wide.png", width, 9000), width)


def test_a_routine_report_fits_a_phone(tmp_path):
    page = tmp_path / "routine.html"
    report, timeline = routine_sample()
    page.write_text(render_report(report, timeline, datetime(2026, 12, 7)), encoding="utf-8")
    assert_nothing_overflows(overflow_shot(page, tmp_path / "routine-wide.png", 390, 12000), 390)


def test_the_overflow_check_sees_a_wide_element(tmp_path):
    page = report_page(tmp_path)
    wide = page.read_text(encoding="utf-8").replace(
        "</main>", '<div style="width:700px;height:40px;background:#333"></div></main>'
    )
    page.write_text(wide, encoding="utf-8")
    image = overflow_shot(page, tmp_path / "wide.png", 390, 2600)
    with pytest.raises(AssertionError, match="right of the 390 px page"):
        assert_nothing_overflows(image, 390)


def test_the_report_prints_on_a_few_pages(tmp_path):
    """Printed, one exercise's report (plot, table, five pictures) takes one to three pages, not a page a picture."""
    assert 1 <= pdf_pages(report_page(tmp_path), tmp_path / "report.pdf") <= 3
