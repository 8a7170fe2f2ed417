"""What the document view shows: every value of a document with its span, its
editor and the corrections on it, built from the extraction and its overlay.

The page shows values at their paths *as extracted* (so a click finds the
printed text), with the corrected value, the extracted one struck through,
and a badge per correction; the same list goes to the page's script as JSON
(:func:`page_data`) for keyboard navigation, highlighting and the edit dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.review import jsonpath
from pipeline.review.fields import FAMILIES, META, SHOWN, Field, editor_spec, option_label
from pipeline.review.overlay import ACTION_RU, APPLIED, MATCHES, ORPHANED, STALE, STATUS_RU, Overlaid, Resolved


@dataclass
class Value:
    """One value (a meta field) or item (a touchpoint, a threshold…) on the page."""

    path: str
    family: str  # 'meta' or a FAMILIES key
    label: str
    cells: list[tuple[str, str]]  # (column, shown text), corrected values
    span: dict | None
    fields: list[dict] = field(default_factory=list)  # editor specs with current values
    was: dict[str, str] = field(default_factory=dict)  # column → extracted text where corrected
    badges: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)
    state: str = ""  # '', 'accepted', 'corrected', 'rejected', 'stale', 'added'
    added_by: int | None = None  # correction id of an added item
    children: list["Value"] = field(default_factory=list)

    def js(self) -> dict:
        return {"path": self.path, "family": self.family, "label": self.label, "span": self.span,
                "fields": self.fields, "state": self.state, "added_by": self.added_by}


def _text(f: Field | None, v: Any) -> str:
    if v is None or v == "" or v == []:
        return "—"
    if isinstance(v, list):
        return ", ".join(option_label(f.vocab if f else None, x) for x in v)
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if f is not None and f.vocab:
        label = option_label(f.vocab, v)
        return f"{label} ({v})" if label != str(v) else str(v)
    return str(v)


def _badges(marks: list[Resolved]) -> tuple[list[tuple[str, str]], str]:
    badges, state = [], ""
    for r in marks:
        c = r.correction
        if r.status == STALE:
            badges.append(("stale", "⚠ правка устарела"))
            state = "stale"
        elif r.status in (APPLIED, MATCHES):
            badges.append((c.action, ACTION_RU[c.action] + (" (уже так)" if r.status == MATCHES else "")))
            state = {"accept": "accepted", "edit": "corrected", "reject": "rejected"}.get(c.action, state) if state != "stale" else state
    return badges, state


def _item_marks(ov: Overlaid, path: str) -> list[Resolved]:
    """Corrections on the item itself and on its fields (not on its children)."""
    return [r for t, rs in ov.marks.items() for r in rs
            if t == path or (t.startswith(path + ".") and "[" not in t[len(path) + 1:])]


def meta_values(original: dict, ov: Overlaid) -> list[Value]:
    out = []
    sources = original["meta"].get("sources") or {}
    for sub, src_key, f in META:
        path = f"meta.{sub}"
        extracted = jsonpath.get(original, path) if _has(original, path) else None
        current = jsonpath.get(ov.data, path) if _has(ov.data, path) else None
        src = sources.get(src_key) or {}
        if extracted is None and not ov.mark(path) and not src:
            continue
        marks = ov.mark(path)
        badges, state = _badges(marks)
        v = Value(path, "meta", f.label, [(f.label, _text(f, current))], src.get("span"), [editor_spec(f, current)],
                  badges=badges, state=state)
        if current != extracted:
            v.was[f.label] = _text(f, extracted)
        if src.get("raw"):
            v.cells.append(("как напечатано", src["raw"]))
        out.append(v)
    return out


def _has(data: dict, path: str) -> bool:
    try:
        jsonpath.get(data, path)
        return True
    except jsonpath.PathError:
        return False


def item_values(original: dict, ov: Overlaid, family: str, base: str = "") -> list[Value]:
    fam = FAMILIES[family]
    out = []
    items = jsonpath.get(original, base + family) if base else original.get(family, [])
    for i, item in enumerate(items):
        path = f"{base}{family}[{i}]"
        current = jsonpath.get(ov.data, path)
        marks = _item_marks(ov, path)
        badges, state = _badges(marks)
        if path in ov.rejected:
            state = "rejected"
        v = Value(path, family, _label(family, item, i), [], item.get("span") or _parent_span(original, base),
                  [editor_spec(f, current.get(f.name)) for f in fam.fields], badges=badges, state=state)
        for f in fam.fields:
            v.cells.append((f.label, _text(f, current.get(f.name))))
            if current.get(f.name) != item.get(f.name):
                v.was[f.label] = _text(f, item.get(f.name))
        if family == "warnings":
            v.cells = [("код", item.get("code") or ""), ("сообщение", item.get("message") or ""),
                       ("важность", item.get("severity") or "")]
        for child in fam.children:
            v.children = item_values(original, ov, child, base=f"{path}.")
        out.append(v)
    for r, item in ov.added:
        if r.target == base + family:
            v = Value(f"{family}+{r.correction.id}", family, f"добавлено: {fam.anchor(item)[:60]}", [],
                      item.get("span"), [], badges=[("add", "добавлено")], state="added", added_by=r.correction.id)
            v.cells = [(f.label, _text(f, item.get(f.name))) for f in fam.fields]
            out.append(v)
    return out


def _parent_span(original: dict, base: str) -> dict | None:
    if not base:
        return None
    parent = jsonpath.get(original, base.rstrip("."))
    return parent.get("span")


def _label(family: str, item: dict, i: int) -> str:
    if family == "touchpoints":
        return f"{item.get('row_label') or ''} {item.get('name')}".strip()
    if family == "thresholds":
        return item.get("raw") or item.get("metric")
    if family == "requirements":
        text = item.get("text") or ""
        return f"{item.get('clause') or ''} {text[:80] + ('…' if len(text) > 80 else '')}".strip()
    if family == "definitions":
        return item.get("term") or f"определение {i + 1}"
    if family == "warnings":
        return item.get("code") or "предупреждение"
    return (item.get("title") or item.get("name") or item.get("text") or item.get("label") or f"{i + 1}")[:100]


def document_values(original: dict, ov: Overlaid) -> list[tuple[str, str, list[Value]]]:
    """(family key, section title, values) for every section of the page."""
    sections = [("meta", "Реквизиты", meta_values(original, ov))]
    for family in SHOWN:
        sections.append((family, FAMILIES[family].title, item_values(original, ov, family)))
    return sections


def flat(sections: list[tuple[str, str, list[Value]]]) -> list[Value]:
    out = []
    for _, _, values in sections:
        for v in values:
            out.append(v)
            out.extend(v.children)
    return out


def corrections_list(ov: Overlaid, withdrawn: list) -> list[dict]:
    """The corrections of the document for the «Правки» section: undecided ones first."""
    order = {STALE: 0, ORPHANED: 1}
    rows = []
    for r in sorted(ov.resolved, key=lambda r: (order.get(r.status, 2), -(r.correction.id or 0))):
        c = r.correction
        rows.append({"id": c.id, "action": ACTION_RU.get(c.action, c.action), "path": c.path, "target": r.target,
                     "old": _show(c.old), "new": _show(c.new), "current": _show(r.current) if r.status == STALE else "",
                     "status": r.status, "status_ru": STATUS_RU[r.status], "reviewer": c.reviewer or "",
                     "when": (c.created_at or "").replace("T", " ")[:16], "comment": c.comment or ""})
    for c in withdrawn:
        rows.append({"id": c.id, "action": ACTION_RU.get(c.action, c.action), "path": c.path, "target": None,
                     "old": _show(c.old), "new": _show(c.new), "current": "", "status": "withdrawn",
                     "status_ru": "отозвана", "reviewer": c.reviewer or "",
                     "when": (c.created_at or "").replace("T", " ")[:16], "comment": c.comment or ""})
    return rows


def _show(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, dict):
        return "; ".join(f"{k}: {_show(x)}" for k, x in v.items() if k not in ("span", "anchor") and x not in (None, [], ""))
    if isinstance(v, list):
        return ", ".join(map(str, v))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
