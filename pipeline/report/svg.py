"""Inline SVG charts for the HTML report (no scripts, no external files)."""

from __future__ import annotations

from html import escape

COLOURS = ("#2f6db5", "#e09a3c", "#8aa8c8", "#c7c7c7")


def stacked_bars(rows: list[tuple[str, int, int]], legend: tuple[str, str], width: int = 720) -> str:
    """Horizontal bars, one per label, split into two parts (e.g. digital / offline)."""
    if not rows or not any(a + b for _, a, b in rows):
        return ""
    label_w, bar_h, gap, top = 260, 20, 8, 28
    scale = (width - label_w - 60) / max(a + b for _, a, b in rows)
    h = top + len(rows) * (bar_h + gap) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {h}" width="{width}" height="{h}" role="img" aria-label="{escape(legend[0])} and {escape(legend[1])} touchpoints per agency">']
    for i, name in enumerate(legend):
        x = label_w + i * 110
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[i]}"/><text x="{x + 18}" y="16" class="legend">{escape(name)}</text>')
    for n, (label, a, b) in enumerate(rows):
        y = top + n * (bar_h + gap)
        out.append(f'<text x="{label_w - 8}" y="{y + bar_h - 5}" text-anchor="end" class="label">{escape(_short(label, 38))}</text>')
        x = label_w
        for i, v in enumerate((a, b)):
            if v:
                w = v * scale
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLOURS[i]}"><title>{escape(label)}: {v} {escape(legend[i])}</title></rect>')
                x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 5}" class="value">{a} / {b}</text>')
    out.append("</svg>")
    return "".join(out)


def heatmap(labels: list[str], matrix: list[list[float]], cell: int = 34) -> str:
    """Square similarity matrix (0–1), darker = more similar."""
    n = len(labels)
    if n < 2:
        return ""
    pad = 40
    size = pad + n * cell + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {size} {size}" width="{size}" height="{size}" role="img" aria-label="pairwise similarity">']
    for i, lab in enumerate(labels):
        out.append(f'<text x="{pad + i * cell + cell / 2}" y="{pad - 8}" text-anchor="middle" class="label">{escape(lab)}</text>')
        out.append(f'<text x="{pad - 6}" y="{pad + i * cell + cell / 2 + 4}" text-anchor="end" class="label">{escape(lab)}</text>')
        for j, v in enumerate(matrix[i]):
            shade = int(245 - 190 * max(0.0, min(1.0, v)))
            fill = f"rgb({shade},{shade + 8 if shade < 247 else 255},{255})"
            ink = "#fff" if v > 0.55 else "#223"
            x, y = pad + j * cell, pad + i * cell
            out.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"><title>{escape(labels[i])} ~ {escape(labels[j])}: {v:.2f}</title></rect>')
            out.append(f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 3}" text-anchor="middle" class="cellv" fill="{ink}">{v:.2f}</text>')
    out.append("</svg>")
    return "".join(out)


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
