"""An analyst's action on the document page → the corrections it records.

The page posts ``{"action": "accept" | "reject" | "edit" | "add", "path": …,
"values": {field: value}, "comment": …, "span": {"start", "end"}}``. Values
are checked against their editor (a code from its vocabulary, an ISO date, a
number) and the corrected document must still validate; anything else is a
:class:`ActionError` with a Russian message for the page.

An edit records one correction per changed field, old value = the value as
extracted (so a re-extraction can tell whether it still applies). Setting a
field back to the extracted value withdraws the corrections on it instead.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.models import Document
from pipeline.review import jsonpath
from pipeline.review.fields import FAMILIES, META, Field, options
from pipeline.review.overlay import APPLIED, Correction, Overlaid, anchors_for, apply, snapshot

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}$")


class ActionError(ValueError):
    """What the analyst sent cannot be recorded; the message is shown on the page."""


def field_at(path: str) -> Field | None:
    """The editor of the value at a leaf path ('meta.date', 'touchpoints[3].channel')."""
    if path.startswith("meta."):
        return next((f for sub, _, f in META if f"meta.{sub}" == path), None)
    tokens = jsonpath.parse(path)
    name, idx = tokens[-1]
    if idx is not None or len(tokens) < 2:
        return None
    fam = FAMILIES.get(tokens[-2][0])
    return fam.field(name) if fam else None


def coerce(f: Field, raw: Any) -> Any:
    """A submitted value as the model holds it; ActionError when it does not fit its editor."""
    if f.editor == "multi":
        codes = raw if isinstance(raw, list) else ([] if raw in (None, "") else [raw])
        known = {c for c, _ in options(f.vocab)}
        bad = [c for c in codes if c not in known]
        if bad:
            raise ActionError(f"«{f.label}»: нет кода {bad[0]!r} в словаре")
        return [str(c) for c in codes]
    text = "" if raw is None else str(raw).strip()
    if text == "":
        if f.required:
            raise ActionError(f"Поле «{f.label}» обязательно")
        return None
    if f.editor == "number":
        try:
            return float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise ActionError(f"«{f.label}»: нужно число, а не {text!r}") from None
    if f.editor == "date":
        if not _DATE.match(text):
            raise ActionError(f"«{f.label}»: нужна дата ГГГГ-ММ-ДД, а не {text!r}")
        return text
    if f.editor == "select":
        if text not in {c for c, _ in options(f.vocab)}:
            raise ActionError(f"«{f.label}»: нет кода {text!r} в словаре")
    return text


def _span_of(data: dict, path: str) -> dict | None:
    if path.startswith("meta."):
        src = (data["meta"].get("sources") or {}).get(path[5:]) or {}
        return src.get("span")
    tokens = jsonpath.parse(path)
    for k in range(len(tokens), 0, -1):
        node = jsonpath.get(data, tokens[:k])
        if isinstance(node, dict) and node.get("span"):
            return node["span"]
    return None


def build(body: dict, doc: Document, ov: Overlaid, lines: list[dict], reviewer: str | None
          ) -> tuple[list[Correction], list[int]]:
    """(corrections to record, ids of corrections to withdraw) for one posted action."""
    action = body.get("action")
    comment = (str(body.get("comment") or "").strip() or None)
    data = doc.model_dump(mode="json")
    if action == "add":
        return [_added(body, data, lines, reviewer, comment)], []
    path = str(body.get("path") or "")
    try:
        value = jsonpath.get(data, path)
    except jsonpath.PathError:
        raise ActionError(f"Значение {path!r} не найдено в документе") from None
    tokens = jsonpath.parse(path)
    base = dict(path=path, anchors=anchors_for(data, path), span=_span_of(data, path), comment=comment, reviewer=reviewer)
    if action in ("accept", "reject"):
        old = snapshot(tokens[-1][0], value) if tokens[-1][1] is not None else value
        return [Correction(action=action, old=old, new=None, **base)], []
    if action != "edit":
        raise ActionError(f"Неизвестное действие {action!r}")
    values = body.get("values") or {}
    if not isinstance(values, dict) or not values:
        raise ActionError("Нечего сохранять: значения не изменены")
    new, withdraw = [], []
    leaves = {path: values.get("value", next(iter(values.values())))} if tokens[-1][1] is None else \
        {f"{path}.{k}": v for k, v in values.items()}
    for leaf, raw in leaves.items():
        f = field_at(leaf)
        if f is None:
            raise ActionError(f"Поле {leaf!r} не редактируется")
        extracted = jsonpath.get(data, leaf) if _exists(data, leaf) else None
        v = coerce(f, raw)
        current = jsonpath.get(ov.data, leaf) if _exists(ov.data, leaf) else None
        if _eq(v, extracted):
            withdraw += [r.correction.id for r in ov.mark(leaf) if r.status == APPLIED and r.correction.action == "edit"]
            continue
        if _eq(v, current):
            continue  # unchanged
        new.append(Correction(action="edit", old=extracted, new=v, **{**base, "path": leaf,
                                                                        "anchors": anchors_for(data, leaf)}))
    if not new and not withdraw:
        raise ActionError("Нечего сохранять: значения не изменены")
    check(doc, ov, new)
    return new, withdraw


def _exists(data: dict, path: str) -> bool:
    try:
        jsonpath.get(data, path)
        return True
    except jsonpath.PathError:
        return False


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):  # codes ticked in a dialog come in the vocabulary's order
        return sorted(map(str, a)) == sorted(map(str, b))
    if isinstance(a, float) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def check(doc: Document, ov: Overlaid, new: list[Correction]) -> None:
    """The document with the new corrections must still be a valid Document."""
    trial = apply(doc, [r.correction for r in ov.resolved] + new)
    if trial.doc is doc and new:
        raise ActionError("Исправленное значение не подходит к модели данных")


def _added(body: dict, data: dict, lines: list[dict], reviewer: str | None, comment: str | None) -> Correction:
    family = str(body.get("collection") or "")
    fam = FAMILIES.get(family)
    if fam is None or not fam.can_add:
        raise ActionError("Добавить можно точку взаимодействия, требование или определение")
    span = _selection_span(body.get("span"), lines)
    selected = str(body.get("text") or "").strip()
    if not selected:
        raise ActionError("Выделите текст в источнике: выделение станет местом нового значения")
    values = body.get("values") or {}
    item: dict[str, Any] = {}
    for f in fam.fields:
        raw = values.get(f.name)
        if (raw in (None, "", [])) and f.name in ("name", "text", "definition"):
            raw = selected
        item[f.name] = coerce(f, raw)
    if family == "touchpoints":
        item.update(name_raw=selected, needs=[], need_codes=item.get("need_codes") or [], source="list",
                    kind_source="source" if item.get("kind") else "none", span=span)
    elif family == "requirements":
        th = values.get("threshold") or {}
        item.update(span=span, thresholds=[])
        if th.get("metric"):
            tf = FAMILIES["thresholds"]
            item["thresholds"] = [{**{f.name: coerce(f, th.get(f.name)) for f in tf.fields}, "raw": selected, "span": span}]
    elif family == "definitions":
        item.update(span=span, aliases=[], key="")
    probe = {**data, family: [*data[family], item]}
    try:
        Document.model_validate(probe)
    except ValueError as exc:
        raise ActionError(f"Новое значение не подходит к модели данных: {str(exc).splitlines()[0]}") from None
    return Correction(path=family, action="add", new=item, span=span, comment=comment, reviewer=reviewer)


def _selection_span(sel: Any, lines: list[dict]) -> dict:
    """Span of a selection in the source: offsets into the normalized text, lines, page and bbox."""
    try:
        start, end = int(sel["start"]), int(sel["end"])
    except (TypeError, KeyError, ValueError):
        raise ActionError("Выделите текст в источнике: выделение станет местом нового значения") from None
    if not lines or not 0 <= start < end:
        raise ActionError("Выделение вне текста источника")
    hit = [ln for ln in lines if ln["end"] >= start and ln["start"] < end] or [lines[-1]]
    first, last = hit[0], hit[-1]
    if end > last["end"] + 1 or start > first["end"]:
        raise ActionError("Выделение вне текста источника")
    return {"line": first["no"], "end_line": last["no"], "start": start, "end": end, "page": first.get("page"),
            "bbox": first.get("bbox") if first is last else None}
