"""Shared by the table and list readers of the Перечень: one touchpoint from
its printed cells (channel, kind, needs normalized beside the raw text)."""

from __future__ import annotations

import re

from pipeline import normalize as nz
from pipeline.context import Context
from pipeline.models import Touchpoint

# ------------------------------------------------------------- touchpoint


def make_touchpoint(ctx: Context, *, name, name_raw, row, needs_text, features, kind_text, channel_text,
                cells, source, row_label=None) -> Touchpoint:
    ch = nz.channel_of(channel_text or name)
    kind, kind_source = nz.kind_of(kind_text), "source"
    default = nz.channel_kind(ch.code)
    if kind is None:
        kind, kind_source = (default, "channel") if default else (None, "none")
    span = ctx.src.span(min(c.start for c in cells), max(c.end for c in cells))
    if ch.code == "other":
        ctx.warn("channel_unmatched", f"no channel word in touchpoint '{shorten(name)}'; channel 'other'",
                 span, severity="info")
    elif kind_source == "source" and default and kind != default:
        ctx.warn("kind_channel_mismatch",
                 f"touchpoint '{shorten(name)}' is printed as {kind} ('{shorten(kind_text)}') though its channel "
                 f"'{ch.code}' is usually {default}; the printed kind is kept", span, severity="info")
    needs = nz.split_needs(needs_text)
    codes = nz.need_codes(needs)
    for need in needs:
        if not nz.codes_of_need(need):
            ctx.warn("need_unmatched", f"need '{shorten(need)}' of '{shorten(name)}' matches no need code; coded 'other'",
                     span, severity="info")
            if "other" not in codes:
                codes.append("other")
    label = row.label if row is not None else row_label
    direction = row.text("direction") if row is not None else None
    d = nz.direction_of(direction)
    return Touchpoint(
        row=row.number if row is not None else None,
        row_label=label,
        direction=direction,
        direction_code=d.code if d else None,
        service=row.text("service") if row is not None else None,
        name=name,
        name_raw=name_raw,
        channel=ch.code,
        channel_raw=ch.raw,
        channel_match=ch.method,
        kind=kind,
        kind_source=kind_source,
        needs=needs,
        need_codes=codes,
        features=features,
        source=source,
        span=span,
    )


def shorten(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= n else text[: n - 1] + "…"
