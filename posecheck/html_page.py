"""The frame every posecheck HTML page shares: one self-contained file (styles inline, pictures as data: URIs,
plots as inline SVG), readable on a phone, printable on paper; and the colours its plots and legends use."""

from __future__ import annotations

import base64
from html import escape

NOT_MEDICAL_ADVICE = (
    "This is not medical advice. posecheck cannot feel what you feel: stop if it hurts, and ask a clinician "
    "if you have been told to be careful with your back."
)

COLORS = {
    "signal": "#1f4e79",
    "enter": "#d9822b",
    "exit": "#7a7a7a",
    "target": "#2e7d32",
    "fault": "#c62828",
    "left": "#cfe2ff",
    "right": "#ffe0bf",
    "both": "#d6efd6",
    "other": "#e6e6e6",
}

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}
h2{font-size:1.25rem;margin:1.8rem 0 .5rem;padding-top:.6rem;border-top:2px solid #1f4e79}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
p,li{overflow-wrap:anywhere}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:0}
.facts dt{font-weight:600}.facts dd{margin:0;overflow-wrap:anywhere}
.totals{display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0;padding:0;list-style:none}
.totals li{border:1px solid #ccc;border-radius:.4rem;padding:.35rem .6rem}
.totals b{font-size:1.15rem}
.ok{color:#2e7d32}.short{color:#b35900}
figure{margin:.6rem 0}
svg.plot,svg.trend{display:block;width:100%;height:auto;max-width:42rem;border-radius:.3rem}
figcaption,.legend{font-size:.85rem;color:#444}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem;margin:.3rem 0 0;padding:0;list-style:none}
.legend i{display:inline-block;width:1.4em;height:.8em;margin-right:.3em;vertical-align:middle;border-radius:2px}
.table-wrap{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;width:auto;max-width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .35rem .3rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f5f9}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.faults{color:#c62828;overflow-wrap:anywhere}
.thumbs{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;margin:.5rem 0}
.thumbs figure{margin:0}
.thumbs img{display:block;width:100%;height:auto;border-radius:.3rem;border:1px solid #ccc}
.thumbs figure.fault img{border:2px solid #c62828}
.trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr));gap:.3rem 1.2rem}
.trends figure{margin:.3rem 0 .8rem}
.note{background:#fff7e0;border-left:4px solid #e0a800;padding:.4rem .7rem}
footer{margin:2rem 0 1rem;padding-top:.6rem;border-top:1px solid #ccc;font-size:.9rem}
@media print{
  body{font-size:11pt}
  main{max-width:none;padding:0}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  h2{break-before:auto;break-after:avoid}
  figure,tr,.thumbs figure{break-inside:avoid}
  .table-wrap{overflow:visible}
  .thumbs{grid-template-columns:repeat(5,1fr)}
}
"""


def page(title: str, body: str) -> str:
    """A whole HTML document around `body`: no script, nothing fetched."""
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body><main>\n{body}\n<footer><p><strong>{escape(NOT_MEDICAL_ADVICE)}</strong></p>"
        "<p>Made by posecheck on this computer; nothing was uploaded.</p></footer></main></body></html>\n"
    )


def legend(items: list[tuple[str, str, str]]) -> str:
    """(colour, style, text) entries; style 'box' (a shaded band), 'line', 'dash' or 'mark'."""
    out = []
    for color, style, text in items:
        if style == "box":
            swatch = f'<i style="background:{color}"></i>'
        elif style == "dash":
            swatch = f'<i style="border-top:3px dashed {color};height:0"></i>'
        elif style == "mark":
            swatch = f'<i style="background:{color};width:.3em"></i>'
        else:
            swatch = f'<i style="border-top:3px solid {color};height:0"></i>'
        out.append(f"<li>{swatch}{escape(text)}</li>")
    return f'<ul class="legend">{"".join(out)}</ul>'


def jpeg_uri(data: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def words(name: str) -> str:
    """A fault's or field's name for people: 'ankle_off_thigh' -> 'ankle off thigh'."""
    return name.replace("_", " ")


__all__ = ["COLORS", "CSS", "NOT_MEDICAL_ADVICE", "jpeg_uri", "legend", "page", "words"]
