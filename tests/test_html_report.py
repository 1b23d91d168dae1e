"""The HTML report: its structure, that it loads nothing, and a routine recording's one section per exercise."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from posecheck.html_page import NOT_MEDICAL_ADVICE
from posecheck.html_report import render_report
from reports import ROUTINE, routine_sample, sample

WHEN = datetime(2026, 12, 7, 18, 30)


def external_references(html: str) -> list[str]:
    """Every src, href, url(...) or @import in the page that is not an inline data: URI or a fragment."""
    found = re.findall(r"""(?:src|href|xlink:href)\s*=\s*["']?([^"'\s>]+)""", html, re.I)
    found += re.findall(r"""url\(\s*["']?([^"')]+)""", html, re.I)
    found += re.findall(r"@import\s+[\"']?([^\"';]+)", html, re.I)
    return [ref for ref in found if not ref.startswith(("data:", "#"))]


@pytest.mark.parametrize(
    ("clip", "exercise", "counted"),
    [
        ("leg-lift_left_forward-knee_feet-oblique", "leg-lift", "rep"),
        ("ball-squeeze_both_clean-2x5_feet-raised", "ball-squeeze", "rep"),
        ("figure-four_left_clean-30s_side-raised", "figure-four", "hold"),
    ],
)
def test_a_report_has_its_plot_table_pictures_and_the_not_medical_advice_line(clip, exercise, counted):
    report, timeline = sample(clip, exercise)
    html = render_report(report, timeline, WHEN)
    items = report["reps"] if counted == "rep" else report["holds"]
    assert items
    assert html.startswith("<!doctype html>") and 'name="viewport"' in html
    assert html.count("<section") == 1 and f'id="{exercise}"' in html
    assert "Monday 07 December 2026" in html and clip in html
    assert NOT_MEDICAL_ADVICE in html
    # the plot: the signal's line, one shaded band per rep or hold, and the counter's lines for reps
    svg = re.findall(r'<svg class="plot".*?</svg>', html, re.S)
    assert svg and all("<path" in s for s in svg)
    assert svg[0].count("<rect") - 1 == len(items)  # the frame plus one band each
    if counted == "rep":
        assert svg[0].count('stroke-dasharray="7 5"') >= 2  # enter and exit
    else:
        assert 'stroke-dasharray="8 5"' in svg[0]  # the hold's target
    # the table: one row per rep or hold
    table = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert table is not None and table.group(1).count("<tr>") == len(items)
    # a picture per rep or hold (plus the faults' first cues), embedded
    pictures = re.findall(r'<img [^>]*src="data:image/jpeg;base64,', html)
    assert len(pictures) >= len(items)
    assert "Not judged from this camera" in html


def test_faults_are_marked_on_the_plot_and_named_in_the_table():
    report, timeline = sample("leg-lift_left_forward-knee_feet-oblique", "leg-lift")
    faulty = [r for r in report["reps"] if r["faults"]]
    assert faulty
    html = render_report(report, timeline, WHEN)
    cued = [c for c in report["cues"] if c["kind"] == "form" and c["fault"]]
    assert html.count('<path d="M') >= 1 and html.count("h12 l-6 10 z") == len(cued) > 0  # one marker per cue
    assert html.count('class="faults"') == len(faulty)
    assert html.count('<figure class="fault">') == len({c["fault"] for c in cued})


def test_the_page_loads_nothing_from_anywhere():
    report, timeline = routine_sample()
    html = render_report(report, timeline, WHEN)
    assert external_references(html) == []
    assert "<script" not in html.lower() and "<link" not in html.lower() and "<iframe" not in html.lower()
    assert not re.search(r"https?://", html)  # not even an SVG namespace


def test_the_reference_finder_would_see_one():
    assert external_references('<img src="https://x.org/a.png"><a href=http://y>') == [
        "https://x.org/a.png",
        "http://y",
    ]
    assert external_references('<style>body{background:url("//cdn/x.png")}</style>') == ["//cdn/x.png"]


def test_a_routine_recording_under_auto_has_one_section_per_exercise_in_order():
    report, timeline = routine_sample()
    html = render_report(report, timeline, WHEN)
    ids = re.findall(r'<section id="([^"]+)"', html)
    assert ids == [name.split("_")[0] for name in ROUTINE]
    for exercise in ids:
        section = html.split(f'<section id="{exercise}"', 1)[1].split("</section>", 1)[0]
        mine = [r for r in report["reps"] + report["holds"] if r.get("exercise") == exercise]
        assert "<svg" in section, exercise
        assert section.count("<tr><td>") == len(mine), exercise


def test_without_a_timeline_the_report_still_has_its_table():
    report, _ = sample("ball-squeeze_both_clean-2x5_feet-raised", "ball-squeeze")
    html = render_report(report, None, WHEN)
    assert "<svg" not in html and "<img" not in html
    assert html.count("<tr><td>") == len(report["reps"])


def test_text_from_the_report_is_escaped():
    report, timeline = sample("ball-squeeze_both_clean-2x5_feet-raised", "ball-squeeze")
    html = render_report({**report, "video": "<b>me & you</b>.mp4"}, timeline, WHEN)
    assert "&lt;b&gt;me &amp; you&lt;/b&gt;.mp4" in html and "<b>me" not in html
