"""A :class:`pipeline.diff_model.DocumentDiff` as coloured terminal text,
Markdown or JSON (``registry diff --format``).

Example::

    >>> print(render(diff_specs(f + "#d1", f + "#d3"), "md").splitlines()[0])  # doctest: +SKIP
    # Diff: dagestan-industry-trade-ministry-2024-09-27-154-od.txt#d1 (order, 2024-09-27, № 154-ОД) → …
"""

from __future__ import annotations

from typing import Any

from pipeline.diff_model import DocumentDiff
from pipeline.report.safe import clean_strings, md_text


def render(d: DocumentDiff, fmt: str = "text") -> str:
    """``text`` (with click styles; click.echo strips them off a terminal), ``md`` or ``json``."""
    if fmt == "json":
        return d.model_dump_json(indent=2)
    if fmt == "md":
        return render_md(d)
    # document text reaches a terminal: control characters (ESC/OSC sequences) are shown escaped
    return render_text(DocumentDiff.model_validate(clean_strings(d.model_dump(mode="json"))))


def _show(v: Any) -> str:
    if v is None or v == [] or v == "":
        return "—"
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v)


def render_text(d: DocumentDiff) -> str:
    import click

    red = lambda s: click.style(s, fg="red")  # noqa: E731
    green = lambda s: click.style(s, fg="green")  # noqa: E731
    yellow = lambda s: click.style(s, fg="yellow")  # noqa: E731
    bold = lambda s: click.style(s, bold=True)  # noqa: E731
    lines = [bold(f"--- {d.old.label}"), bold(f"+++ {d.new.label}")]
    if d.is_empty():
        return "\n".join(lines + ["no differences"])

    lines.append(bold("\nMeta"))
    lines += [f"  {c.field}: {red(_show(c.old))} → {green(_show(c.new))}" for c in d.meta] or ["  no change"]

    lines.append(bold("\nTouchpoints"))
    if d.touchpoints_same:
        lines.append(f"  no change ({d.touchpoints_unchanged} touchpoints match)")
    for t in d.touchpoints_added:
        lines.append(green(f"  + [{t.channel}] {t.service or ''} — {t.name}"))
    for t in d.touchpoints_removed:
        lines.append(red(f"  - [{t.channel}] {t.service or ''} — {t.name}"))
    for c in d.touchpoints_changed:
        lines.append(yellow(f"  ~ {c.new.service or ''} — {c.new.name}") + f" (match {c.score:g})")
        lines += [f"      {f.field}: {red(_show(f.old))} → {green(_show(f.new))}" for f in c.changes]

    lines.append(bold("\nThresholds"))
    colour = {"added": green, "removed": red, "changed": yellow}
    lines += [colour[t.status](f"  {t.text}") for t in d.thresholds] or ["  no change"]

    for title, items in (("Requirements", d.requirements), ("Definitions", d.definitions)):
        lines.append(bold(f"\n{title}"))
        if not items:
            lines.append("  no change")
        for t in items:
            if t.status == "added":
                lines.append(green(f"  + {t.key}: {t.new}"))
            elif t.status == "removed":
                lines.append(red(f"  - {t.key}: {t.old}"))
            elif t.status == "relabelled":
                lines.append(yellow(f"  ~ {t.key} → {t.new_key or '(unlabelled)'}") + f" (relabelled): {_short(t.old)}")
            else:
                words = " ".join(w.text if w.op == "=" else (red(f"[-{w.text}-]") if w.op == "-" else green(f"{{+{w.text}+}}"))
                                 for w in t.words)
                lines.append(yellow(f"  ~ {t.key}") + f" (similarity {t.similarity:g}): {words}")
    lines.append(bold("\nClauses") + f" (matched by text; {d.clauses_unchanged} unchanged)")
    if not d.clauses:
        lines.append("  no change")
    for c in d.clauses:
        where = f"line {c.old_line or '—'} → {c.new_line or '—'}"
        if c.status == "added":
            lines.append(green(f"  + {c.new_label or '(unlabelled)'} (line {c.new_line}): {_short(c.new)}"))
        elif c.status == "removed":
            lines.append(red(f"  - {c.old_label or '(unlabelled)'} (line {c.old_line}): {_short(c.old)}"))
        elif c.status == "relabelled":
            lines.append(yellow(f"  ~ {_label_change(c)}") + f" ({where}, relabelled): {_short(c.old)}")
        else:
            words = " ".join(w.text if w.op == "=" else (red(f"[-{w.text}-]") if w.op == "-" else green(f"{{+{w.text}+}}"))
                             for w in c.words)
            lines.append(yellow(f"  ~ {_label_change(c)}") + f" ({where}, similarity {c.similarity:g}): {words}")
    if d.members_added or d.members_removed:
        lines.append(bold("\nWorking group"))
        lines += [green(f"  + {m}") for m in d.members_added] + [red(f"  - {m}") for m in d.members_removed]
    return "\n".join(lines)


def _short(s: str | None, n: int = 90) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _label_change(c) -> str:
    old, new = c.old_label or "(unlabelled)", c.new_label or "(unlabelled)"
    return old if old == new else f"{old} → {new}"


def _md(s: Any) -> str:
    """Document text in Markdown: no raw HTML, links or emphasis, pipes escaped (:func:`md_text`)."""
    return md_text(_show(s))


def render_md(d: DocumentDiff) -> str:
    out = [f"# Diff: {_md(d.old.label)} → {_md(d.new.label)}", ""]
    out += ["## Meta", ""]
    if d.meta:
        out += ["| field | old | new |", "|---|---|---|"] + [f"| {c.field} | {_md(c.old)} | {_md(c.new)} |" for c in d.meta]
    else:
        out.append("No change.")
    out += ["", "## Touchpoints", ""]
    if d.touchpoints_same:
        out.append(f"No change ({d.touchpoints_unchanged} touchpoints match).")
    else:
        out += ["| change | service | touchpoint | channel | details |", "|---|---|---|---|---|"]
        out += [f"| added | {_md(t.service)} | {_md(t.name)} | {t.channel} | |" for t in d.touchpoints_added]
        out += [f"| removed | {_md(t.service)} | {_md(t.name)} | {t.channel} | |" for t in d.touchpoints_removed]
        out += [f"| changed | {_md(c.new.service)} | {_md(c.new.name)} | {c.new.channel} | "
                + "; ".join(f"{f.field}: {_md(f.old)} → {_md(f.new)}" for f in c.changes) + " |"
                for c in d.touchpoints_changed]
    out += ["", "## Thresholds", ""]
    out += [f"- **{t.status}**: {_md(t.text)}" for t in d.thresholds] or ["No change."]
    for title, items in (("Requirements", d.requirements), ("Definitions", d.definitions)):
        out += ["", f"## {title}", ""]
        if not items:
            out.append("No change.")
        for t in items:
            if t.status == "reworded":
                words = " ".join(_md(w.text) if w.op == "=" else (f"~~{_md(w.text)}~~" if w.op == "-" else f"**{_md(w.text)}**") for w in t.words)
                out.append(f"- **reworded** {_md(t.key)} (similarity {t.similarity:g}): {words}")
            elif t.status == "relabelled":
                out.append(f"- **relabelled** {_md(t.key)} → {_md(t.new_key or '(unlabelled)')}: {_md(_short(t.old))}")
            else:
                out.append(f"- **{t.status}** {_md(t.key)}: {_md(t.new if t.status == 'added' else t.old)}")
    out += ["", "## Clauses", "", f"Matched by text; {d.clauses_unchanged} unchanged.", ""]
    if d.clauses:
        out += ["| change | old label | new label | lines | text |", "|---|---|---|---|---|"]
        for c in d.clauses:
            if c.status == "reworded":
                text = " ".join(_md(w.text) if w.op == "=" else (f"~~{_md(w.text)}~~" if w.op == "-" else f"**{_md(w.text)}**") for w in c.words)
            else:
                text = _md(_short(c.old if c.status != "added" else c.new))
            out.append(f"| {c.status} | {_md(c.old_label)} | {_md(c.new_label)} | {c.old_line or '—'} → {c.new_line or '—'} | {text} |")
    if d.members_added or d.members_removed:
        out += ["", "## Working group", ""]
        out += [f"- added: {_md(m)}" for m in d.members_added] + [f"- removed: {_md(m)}" for m in d.members_removed]
    return "\n".join(out) + "\n"
