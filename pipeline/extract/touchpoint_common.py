"""Shared by the table and list readers of the Перечень: one touchpoint from
its printed cells (channel, kind, needs normalized beside the raw text), the
column vocabulary (``vocab/columns.json``) and the tests that recognize a
column or a group heading from its content."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import normalize as nz
from pipeline.context import Context
from pipeline.labels import parse_label
from pipeline.models import Touchpoint
from pipeline.nlp import get_morph, load_vocab

# ------------------------------------------------------------- touchpoint


def make_touchpoint(ctx: Context, *, name, name_raw, row, needs_text, features, kind_text, channel_text,
                cells, source, row_label=None) -> Touchpoint:
    ch = nz.channel_of(channel_text or name)
    if channel_text and ch.code == "other":
        # a "Канал взаимодействия" column printing the kind ("Цифровой", "Офлайн") names no
        # channel: the touchpoint's own name does, and the column gives its kind
        ch = nz.channel_of(name)
        if kind_text is None and nz.kind_of(channel_text) is not None:
            kind_text = channel_text
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


# ------------------------------------------------- column vocabulary (meaning)
#
# pipeline/vocab/columns.json: which header wording names which column role, and
# how a column is recognized from its cells when the header is missing or unknown.


@lru_cache(maxsize=1)
def columns_vocab() -> dict:
    return load_vocab("columns")


@lru_cache(maxsize=1)
def _header_phrases() -> tuple[tuple[str, tuple[str, ...], bool, int], ...]:
    """(role, lemma tokens, exact, group index) of every header phrase."""
    out = []
    for gi, group in enumerate(columns_vocab()["roles"]):
        for exact, key in ((False, "phrases"), (True, "exact")):
            for p in group.get(key, []):
                toks = tuple(nz.lemma_key(p).split())
                if toks:
                    out.append((group["role"], toks, exact, gi))
    return tuple(out)


@lru_cache(maxsize=2048)
def header_role(text: str) -> str | None:
    """Role a header cell names, by meaning: '№ п/п' → number, 'Цели обращения'
    → needs, 'Адрес точки взаимодействия' → contacts; None when the vocabulary
    does not know the wording. The phrase found earliest in the cell wins (a
    header names its head noun first), then the longer one, then the earlier group."""
    t = (text or "").strip()
    if not t:
        return None
    if re.match(columns_vocab()["number_header"], t, re.IGNORECASE):
        return "number"
    toks = tuple(nz.lemma_key(t).split())
    best: tuple[tuple[int, int, int], str] | None = None
    for role, phrase, exact, gi in _header_phrases():
        n = len(phrase)
        if exact:
            at = 0 if toks == phrase else None
        else:
            at = next((i for i in range(len(toks) - n + 1) if toks[i : i + n] == phrase), None)
        if at is None:
            continue
        key = (at, -n, gi)
        if best is None or key < best[0]:
            best = (key, role)
    return best[1] if best else None


def _content(name: str):
    return columns_vocab()["content"][name]


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text or "")


def channel_cell(text: str) -> bool:
    """A cell that names a channel: short, with a channel word near its start
    ('Официальный сайт Министерства', 'Телефон горячей линии')."""
    if not text or len(words(text)) > _content("channel_max_words"):
        return False
    ch = nz.channel_of(text)
    if ch.code == "other" or ch.method != "lemma" or not ch.raw:
        return False
    at = text.find(ch.raw)
    return at >= 0 and len(words(text[:at])) <= _content("channel_max_lead_words")


def kind_cell(text: str) -> str | None:
    """'цифровая', 'Офлайн-точка', 'онлайн' → the kind; None for longer text."""
    if not text or len(words(text)) > _content("kind_max_words"):
        return None
    return nz.kind_of(text)


@lru_cache(maxsize=1)
def _contact_rx() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in _content("contacts")), re.IGNORECASE)


def contact_cell(text: str) -> bool:
    """A URL, e-mail, phone number, postal address or working hours."""
    return bool(text) and bool(_contact_rx().search(text))


_DASH_ITEM = re.compile(r"(?:^|(?<=[\s:;,.]))[-–—•▪●·]\s+(?=\S)")


def dash_items(text: str) -> tuple[str, list[str]]:
    """('prose before the list', ['item', …]) of a cell holding a dash list
    ('Клиент направляет обращение: - получение информации; - подача обращения');
    ('text', []) when there is no dash list (a single dash inside a sentence
    is a hyphen, not a list; one item is a list at the start or after ':')."""
    marks = list(_DASH_ITEM.finditer(text or ""))
    before = text[: marks[0].start()].strip() if marks else ""
    if not marks or (len(marks) < 2 and before and not before.endswith(":")):
        return text, []
    prose = text[: marks[0].start()].strip()
    items = []
    for m, nxt in zip(marks, marks[1:] + [None]):
        item = text[m.end() : nxt.start() if nxt else len(text)].strip().rstrip(";,. ").strip()
        if item:
            items.append(item)
    return prose, items


@lru_cache(maxsize=1)
def _need_heads() -> frozenset[str]:
    return frozenset(load_vocab("needs").get("heads", []))


@lru_cache(maxsize=4096)
def _opens_need(word: str) -> bool:
    """A need head of needs.json ('получение', 'запись', …) or a verbal noun
    in the nominative ('ознакомление', 'консультирование')."""
    w = word.lower().replace("ё", "е")
    for p in get_morph().parse(w):
        if p.tag.POS == "NOUN" and "nomn" in p.tag and (
                p.normal_form in _need_heads() or p.normal_form.endswith(("ние", "тие"))):
            return True
    return False


def is_need(item: str) -> bool:
    """'получение информации о ходе …', 'Подача заявления', 'Запись на прием':
    a need opens with a verbal noun or a need head, or names a need code."""
    ws = words(item)
    if not ws:
        return False
    return _opens_need(ws[0]) or bool(nz.codes_of_need(item))


def needs_cell(text: str) -> bool:
    """A cell that lists client needs (a dash list or sentences of needs)."""
    if not text:
        return False
    _, items = dash_items(text)
    items = items or nz.split_needs(text)
    return bool(items) and sum(map(is_need, items)) * 2 >= len(items)


def kind_statement(text: str | None) -> str | None:
    """The clause of a features cell that states the kind on its own
    ('Офлайн-точка. Прием по предварительной записи' → 'Офлайн-точка'); None
    when no clause states exactly one kind ('в цифровых или офлайн-точках'
    states both)."""
    if not text:
        return None
    found: dict[str, str] = {}
    for clause in re.split(r"[.;:\n()]|,\s", text):
        ws = words(clause)
        if not ws or len(ws) > _content("kind_statement_max_words"):
            continue
        k = nz.kind_of(clause)
        low = clause.lower()
        if k and (len(ws) <= 3 or any(m in low for m in _content("kind_statement_markers"))):
            found.setdefault(k, clause.strip())
    return next(iter(found.values())) if len(found) == 1 else None


def _has_verb(text: str) -> bool:
    for w in re.findall(r"[А-Яа-яЁё]+", text):
        if any(p.tag.POS in ("VERB", "INFN") and p.score > 0.3 for p in get_morph().parse(w.lower())):
            return True
    return False


@dataclass(frozen=True)
class Group:
    """A group heading of a Перечень: a table row spanning the width or a
    paragraph of a list ('Цифровые точки взаимодействия', '1. Предоставление
    государственных услуг'). ``what`` is 'kind' or 'section'."""

    what: str
    text: str  # the heading without its label and trailing ':'
    label: str | None
    level: int
    kind: str | None = None


_SECTION_WORD = re.compile(r"^(?:раздел|часть|блок|группа)\s+", re.IGNORECASE)


def group_heading(text: str) -> Group | None:
    """The heading a row or paragraph states, if it is one: a kind heading
    ('Офлайн-точки:', 'Цифровые точки взаимодействия'), or a labelled section
    ('1. Предоставление государственных услуг', 'Раздел 2. Контроль'). A text
    that names a channel is a touchpoint, not a heading."""
    t = (text or "").strip()
    if not t:
        return None
    t = _SECTION_WORD.sub("", t)
    lab, at = parse_label(t, loose=True)
    label, level = None, 1
    if lab.style in ("decimal", "roman") and not lab.bullet:
        label = lab.printed
        level = lab.value.count(".") + 1 if lab.style == "decimal" else 1
        t = t[at:]
    body = t.strip().rstrip(":").strip()
    if not re.search(r"[^\W\d_]{3,}", body) or len(words(body)) > 25 or _has_verb(body):
        return None  # a heading is a noun phrase: "Утвердить форму …" is a clause
    if nz.channel_of(body).code != "other":
        return None
    kind = nz.kind_of(body)
    if kind:
        return Group("kind", body, label, level, kind)
    return Group("section", body, label, level)
