"""What a document shows for review and how each value is edited.

A *family* is a list of items of one kind in a document (touchpoints,
requirements, their thresholds…): its Russian title, the fields shown and
edited with their editor, and the *anchor* — the raw printed text that finds
the same item again after re-extraction (a row inserted above it moves its
index, not its text). Meta values are single fields with the span of
``meta.sources[<field>]``.

Editors: ``text``, ``textarea``, ``date`` (ISO, a date input), ``number``,
``select`` (a vocabulary's codes), ``multi`` (several codes). Options come from
the versioned vocabularies in ``pipeline/vocab/*.json``.

    >>> FAMILIES["touchpoints"].anchor({"name_raw": "СЭД", "name": "СЭД"})
    'СЭД'
    >>> [o[0] for o in options("channel")][:3]
    ['epgu', 'feedback_platform', 'personal_account']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Callable


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Russian, for the interface
    editor: str = "text"  # text | textarea | date | number | select | multi
    vocab: str | None = None  # options() key for select / multi
    required: bool = False


@dataclass(frozen=True)
class Family:
    key: str  # the collection name in the document: 'touchpoints'
    title: str  # section title
    item: str  # one item, for buttons: 'точку взаимодействия'
    fields: tuple[Field, ...]
    anchor: Callable[[dict], str]
    can_add: bool = False
    children: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _ws(s: Any) -> str:
    return " ".join(str(s or "").split())


FAMILIES: dict[str, Family] = {f.key: f for f in [
    Family("appendices", "Приложения", "приложение", (
        Field("label", "Номер"), Field("title", "Название", "textarea"),
        Field("kind", "Вид", "select", "appendix_kind", True)),
        lambda it: _ws(it.get("title") or it.get("label"))),
    Family("touchpoints", "Точки взаимодействия", "точку взаимодействия", (
        Field("name", "Точка взаимодействия", "textarea", required=True),
        Field("channel", "Канал", "select", "channel", True),
        Field("kind", "Вид точки", "select", "touchpoint_kind"),
        Field("service", "Функция / услуга", "textarea"),
        Field("direction", "Направление", "textarea"),
        Field("direction_code", "Код направления", "select", "direction"),
        Field("need_codes", "Потребности", "multi", "need"),
        Field("features", "Особенности", "textarea")),
        lambda it: _ws(it.get("name_raw") or it.get("name")), can_add=True),
    Family("requirements", "Требования", "требование", (
        Field("clause", "Пункт"), Field("channel", "Канал", "select", "channel"),
        Field("text", "Текст", "textarea", required=True)),
        lambda it: _ws(it.get("text")), can_add=True, children=("thresholds",)),
    Family("thresholds", "Пороговые значения", "пороговое значение", (
        Field("metric", "Показатель", "select", "metric", True),
        Field("comparator", "Сравнение", "select", "comparator", True),
        Field("value", "Значение", "number", required=True),
        Field("unit", "Единица", "select", "unit", True),
        Field("condition", "Условие", "textarea")),
        lambda it: _ws(it.get("raw"))),
    Family("definitions", "Определения", "определение", (
        Field("term", "Термин", required=True), Field("definition", "Определение", "textarea", required=True),
        Field("clause", "Пункт")),
        lambda it: _ws(it.get("term")), can_add=True),
    Family("working_group", "Рабочая группа", "участника", (
        Field("name", "ФИО", required=True), Field("position", "Должность", "textarea"),
        Field("role", "Роль", "select", "role", True)),
        lambda it: _ws(it.get("raw"))),
    Family("tasks", "Поручения", "поручение", (
        Field("clause", "Пункт"), Field("text", "Текст", "textarea", required=True),
        Field("assignee", "Исполнитель", "textarea"), Field("deadline", "Срок", "date")),
        lambda it: _ws(it.get("text"))),
    Family("warnings", "Предупреждения", "предупреждение", (),
        lambda it: f"{it.get('code')}|{_ws(it.get('message'))}"),
]}

# Top-level families in the order the document view shows them (thresholds sit in requirements).
SHOWN = ["appendices", "touchpoints", "requirements", "definitions", "working_group", "tasks", "warnings"]

# Meta values: (field path under meta, key in meta.sources, Field)
META: list[tuple[str, str, Field]] = [
    ("doc_type", "doc_type", Field("doc_type", "Вид акта")),
    ("agency", "agency", Field("agency", "Орган", "textarea")),
    ("region", "region", Field("region", "Регион")),
    ("region_code", "region_code", Field("region_code", "Код региона")),
    ("level", "level", Field("level", "Уровень", "select", "level")),
    ("date", "date", Field("date", "Дата", "date")),
    ("number", "number", Field("number", "Номер")),
    ("place", "place", Field("place", "Место издания")),
    ("title", "title", Field("title", "Заголовок", "textarea")),
    ("signatory.name", "signatory.name", Field("name", "Подписал")),
    ("signatory.position", "signatory.position", Field("position", "Должность подписавшего", "textarea")),
]

KIND_RU = {"order": "приказ (подписан)", "draft": "проект", "memo": "служебная записка",
           "appendix": "приложение", "other": "иное"}
STATUS_RU = {"new": "не проверен", "in_progress": "в работе", "done": "проверен"}


@lru_cache(maxsize=None)
def _vocab(name: str) -> dict:
    return json.loads(resources.files("pipeline.vocab").joinpath(f"{name}.json").read_text(encoding="utf-8"))


def _ru(label: Any) -> str:
    return label.get("ru") or label.get("en") or "" if isinstance(label, dict) else str(label or "")


@lru_cache(maxsize=None)
def options(vocab: str) -> tuple[tuple[str, str], ...]:
    """(code, Russian label) of a vocabulary, in its file's order."""
    if vocab in ("channel", "need", "direction"):
        entries = _vocab({"channel": "channels", "need": "needs", "direction": "directions"}[vocab])["entries"]
        return tuple((e["id"], e.get("label") or e["id"]) for e in entries)
    if vocab in ("metric", "unit"):
        seen: dict[str, str] = {}
        for d in _vocab("thresholds")[vocab + "s"]:
            seen.setdefault(d["id"], _ru(d.get("label")) or {"count": "раз"}.get(d["id"], d["id"]))
        return tuple(seen.items())
    if vocab == "comparator":
        return (("<=", "не более"), ("<", "менее"), (">=", "не менее"), (">", "более"), ("==", "равно"))
    if vocab == "appendix_kind":
        kinds = dict.fromkeys(_vocab("markers")["appendix_kinds"].values())
        return tuple((k, k) for k in [*kinds, "other"] if k)
    if vocab == "touchpoint_kind":
        return (("digital", "цифровая"), ("offline", "нецифровая"))
    if vocab == "role":
        return (("leader", "руководитель"), ("deputy", "заместитель"), ("secretary", "секретарь"), ("member", "член"))
    if vocab == "level":
        return (("federal", "федеральный"), ("regional", "региональный"), ("municipal", "муниципальный"))
    raise KeyError(vocab)


def editor_spec(f: Field, value: Any = None) -> dict:
    """What the page's edit dialog needs for one field (JSON)."""
    spec = {"name": f.name, "label": f.label, "editor": f.editor, "required": f.required, "value": value}
    if f.vocab:
        spec["options"] = [list(o) for o in options(f.vocab)]
    return spec


def option_label(vocab: str | None, code: Any) -> str:
    if vocab is None or code is None:
        return "" if code is None else str(code)
    return dict(options(vocab)).get(str(code), str(code))
