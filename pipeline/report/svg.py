"""Inline SVG charts for the HTML report (no scripts, no external files).

- :func:`usage_bars`: one bar per channel, how many agencies use it
  (its length does not grow with the number of agencies);
- :func:`tile_map`: Russia's federal subjects as a tile grid
  (``tiles.json``: one square per subject, a layout from data, no map
  tiles), each coloured by a share from 0 to 100 in four steps of one hue
  whose lightness also reads in grey print, the share printed on the tile.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from importlib import resources

COLOURS = ("#2f6db5", "#e09a3c", "#8aa8c8", "#c7c7c7")
# light → dark: the share of the standard met; the printed number carries it in grey print too
STEPS = ((40, "#fde7d4", "#222"), (60, "#c8e3a6", "#222"), (80, "#86c48a", "#123"), (101, "#2f8f4e", "#fff"))


def usage_bars(rows: list[tuple[str, int, str]], legend: dict[str, str], total: int, width: int = 760) -> str:
    """Horizontal bars (label, count, kind) of counts out of ``total``; colour by kind."""
    rows = [r for r in rows if r[1]]
    if not rows:
        return ""
    label_w, bar_h, gap, top = 230, 16, 6, 26
    scale = (width - label_w - 70) / max(total, 1)
    h = top + len(rows) * (bar_h + gap) + 4
    colour = {k: COLOURS[i] for i, k in enumerate(legend)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {h}" width="{width}" '
           f'height="{h}" role="img" aria-label="{escape(", ".join(legend.values()))}">']
    for i, (k, name) in enumerate(legend.items()):
        x = label_w + i * 130
        out.append(f'<rect x="{x}" y="5" width="12" height="12" fill="{colour[k]}"/>'
                   f'<text x="{x + 18}" y="15" class="legend">{escape(name)}</text>')
    for n, (label, count, kind) in enumerate(rows):
        y = top + n * (bar_h + gap)
        w = count * scale
        out.append(f'<text x="{label_w - 8}" y="{y + bar_h - 4}" text-anchor="end" class="label">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour.get(kind, COLOURS[3])}">'
                   f'<title>{escape(label)}: {count} / {total}</title></rect>'
                   f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h - 4}" class="value">{count}</text>')
    out.append("</svg>")
    return "".join(out)


@lru_cache(maxsize=1)
def tiles() -> dict[str, dict]:
    path = resources.files("pipeline.report").joinpath("tiles.json")
    return json.loads(path.read_text(encoding="utf-8"))["tiles"]


def tile_map(items: list[tuple[str, str, int | None, str, str | None]], title: str, nodata: str, lang: str = "ru",
             cell: int = 46) -> str:
    """Tiles (region id, name, share 0–100 or None, tooltip, link) on the grid of ``tiles.json``."""
    layout = tiles()
    rows = max(t["row"] for t in layout.values()) + 1
    cols = max(t["col"] for t in layout.values()) + 1
    legend_h = 30
    w, h = cols * cell + 8, rows * cell + legend_h + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" viewBox="0 0 {w} {h}" width="{w}" '
           f'height="{h}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    x = 4
    for i, (upper, fill, ink) in enumerate(STEPS):
        lower = 0 if i == 0 else STEPS[i - 1][0]
        label = f"{lower}–{min(upper, 100) - (0 if upper > 100 else 1)} %"
        out.append(f'<rect x="{x}" y="6" width="14" height="14" fill="{fill}" stroke="#889" stroke-width=".5"/>'
                   f'<text x="{x + 19}" y="17" class="legend">{label}</text>')
        x += 92
    out.append(f'<rect x="{x}" y="6" width="14" height="14" fill="#fff" stroke="#aab" stroke-dasharray="2 2"/>'
               f'<text x="{x + 19}" y="17" class="legend">{escape(nodata)}</text>')
    for rid, name, pct, tip, href in items:
        t = layout.get(rid)
        if not t:
            continue
        tx, ty = 4 + t["col"] * cell, legend_h + 4 + t["row"] * cell
        if pct is None:
            fill, ink, dash = "#fff", "#99a", ' stroke-dasharray="3 2"'
        else:
            fill, ink = next((f, i) for upper, f, i in STEPS if pct < upper)
            dash = ""
        label = escape(t.get(lang) or t["en"])
        tile = (f'<rect x="{tx}" y="{ty}" width="{cell - 3}" height="{cell - 3}" rx="3" fill="{fill}" '
                f'stroke="#8a93a6" stroke-width=".6"{dash}/>'
                f'<text x="{tx + (cell - 3) / 2}" y="{ty + 18}" text-anchor="middle" class="tile" fill="{ink}">{label}</text>')
        if pct is not None:
            tile += (f'<text x="{tx + (cell - 3) / 2}" y="{ty + 34}" text-anchor="middle" class="tilev" '
                     f'fill="{ink}">{pct}</text>')
        tile = f'<g><title>{escape(tip)}</title>{tile}</g>'
        out.append(f'<a href="{escape(href)}">{tile}</a>' if href else tile)
    out.append("</svg>")
    return "".join(out)
