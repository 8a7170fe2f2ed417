"""What an order approves: its appendices (Порядок, Положение, Состав, Перечень …).

An appendix starts either with an approval stamp ("Приложение № 1 к приказу …
от … № …", "УТВЕРЖДЕН приказом … от … № …") followed by its title, or with a
title heading printed after the signature ("Порядок / взаимодействия с
клиентом …", "**Перечень …**", "КОНЦЕПЦИЯ …"). The stamp's date and number are
checked against the order's own; a mismatch is a warning. An appendix the
order approves ("2. Утвердить Перечень …") that the file does not contain is
listed with ``present: false`` and a warning.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.cleanup import mostly_upper, strip_markup
from pipeline.context import Context
from pipeline.extract.agency_name import restore_case
from pipeline.headings import parse_stamp
from pipeline.inflect import body_nominative
from pipeline.labels import parse_label
from pipeline.models import Appendix, Approval, Sourced
from pipeline.nlp import clean_spaces, markers, normal_forms
from pipeline.patterns import find_dates, find_numbers
from pipeline.segment import document_kind
from pipeline.structure import merge_paragraphs

KINDS: dict[str, str] = markers("appendix_kinds")  # first word's lemma → kind (vocab/markers.json)
_STAMP = re.compile(r"^(?:приложение|утвержд[её]н[аоы]?|утверждено|утверждены|\(\s*утв\.)", re.I)
MAX_STAMP_LINES = 9
_UTV = re.compile(r"\(\s*утв\.[^()]*\)?\s*$", re.I)


# "(далее - Порядок)": the short name a title defines for the text below it
_DEFINES = re.compile(r"\s*\(\s*далее\s*[-–—]?\s*[^()]{1,60}\)\s*$", re.I)


def appendix_title(text: str, body: str = "") -> str:
    """An appendix title as printed, one line, without the '(далее - …)' it
    defines; a title printed in capitals in proper case, and so the kind's
    word printed in capitals over a title in lower case ('ПОРЯДОК
    формирования …' → 'Порядок формирования …')."""
    title = _DEFINES.sub("", clean_spaces(strip_markup(text))).strip()
    if mostly_upper(title):
        return restore_case(title, body)
    first = re.match(r"[А-ЯЁ]{4,}(?=\s+[а-яё])", title)
    if first and kind_of(first.group()):
        # "ПОРЯДОК / формирования и ведения …": the kind's word in capitals over the rest
        return first.group()[:1] + first.group()[1:].lower() + title[first.end():]
    return title


@lru_cache(maxsize=20_000)  # pure; asked of every line after the signature
def kind_of(text: str) -> str | None:
    words = re.findall(r"[А-Яа-яЁё]+", strip_markup(text))
    if not words:
        return None
    for f in normal_forms(words[0]):
        if f in KINDS:
            return KINDS[f]
    return None


def _nonblank(ctx: Context, first: int, last: int):
    return [ln for ln in ctx.src.lines[first - 1 : last] if ln.clean]


def _signature_line(ctx: Context) -> int:
    """Appendices follow the act's signature; an appendix published alone
    starts with its own stamp."""
    if ctx.sl.kind == "appendix":
        return ctx.sl.first_line - 1
    return ctx.header.signature_end or ctx.sl.type_line or ctx.sl.first_line


# the first section of an approved Положение, Порядок, Регламент: never part of its title
_FIRST_SECTION = re.compile(r"^\W*(?:(?:[IVXІ]+|1)\s*\.?\s*)?общие\s+положения\W*$", re.I)


def _names_a_document(text: str) -> bool:
    """A paragraph that can be a document's title: unnumbered, opening with a
    capital, no closing stop, not a running paragraph."""
    t = strip_markup(text).strip()
    label, _ = parse_label(t)
    return (label.style == "none" and t[:1].isupper() and not t.endswith((".", ";", ":"))
            and len(t) <= 300 and not _refs(t))


def _title_after(ctx: Context, line_no: int):
    """The heading paragraph that starts at the first non-blank line after ``line_no``."""
    lines = [(ln.no, ln.start, ln.end, ln.text) for ln in _nonblank(ctx, line_no + 1, min(ctx.sl.last_line, line_no + 12))]
    if not lines:
        return None
    cut = next((k for k, ln in enumerate(lines) if k and _FIRST_SECTION.match(strip_markup(ln[3]))), None)
    if cut is not None:
        lines = lines[:cut]  # "Методические рекомендации / по … / Общие положения / …"
    paras = merge_paragraphs(lines, ctx.src.soft_wrapped)
    return paras[0] if paras else None


def extract(ctx: Context) -> None:
    doc = ctx.doc
    sig = _signature_line(ctx)
    lines = _nonblank(ctx, sig + 1, ctx.sl.last_line)
    taken: set[int] = set()
    i = 0
    while i < len(lines):
        ln = lines[i]
        text = strip_markup(ln.text)
        if ln.no in taken:
            i += 1
            continue
        if _STAMP.match(text) and len(text) < 120:
            block = [ln]
            j = i + 1
            while j < len(lines) and len(block) < MAX_STAMP_LINES and not _refs(" ".join(b.text for b in block)) and len(lines[j].text) < 120 and not kind_of(lines[j].text):
                block.append(lines[j])
                j += 1
            raw = clean_spaces(" ".join(strip_markup(b.text) for b in block))
            label_m = re.match(r"^(приложение\s*(?:№|N)?\s*\d*)", raw, re.I)
            approval = _approval(ctx, raw, block, label_m.end() if label_m else 0)
            title = _title_after(ctx, block[-1].no)
            kind, title_text, title_span = "other", None, None
            if title and (kind_of(title[4]) or (approval is not None and _names_a_document(title[4]))):
                # the kind's word ('Порядок …'), or whatever an approval stamp approves
                # ('УТВЕРЖДЕНА приказом … / Организационная модель внедрения …')
                kind = kind_of(title[4]) or "other"
                title_text = appendix_title(title[4])
                title_span = ctx.span(title[2], title[3])
                taken.update(range(title[0], title[1] + 1))
            for b in block:
                taken.add(b.no)
            doc.appendices.append(Appendix(
                label=clean_spaces(label_m.group(1)) if label_m else None,
                title=title_text,
                kind=kind,
                approval=approval,
                span=ctx.span(block[0].start, (title_span.end if title_span else block[-1].end)),
                title_span=title_span,
            ))
            i = j
            continue
        label, _ = parse_label(ln.text)
        kind = kind_of(ln.text) if label.style == "none" else None
        if kind and _is_title_line(ln.text):
            para = _title_after(ctx, ln.no - 1)
            text, approval = para[4], None
            am = _UTV.search(text)
            if am:
                # "Положение о … (утв. постановлением … от … N …)": a database's approval note
                base = para[3] - len(text)
                raw = am.group(0).strip("() ")
                where = [ctx.src.line_at(base + am.start()), ctx.src.line_at(base + am.end() - 1)]
                approval = _approval(ctx, raw, where) or Approval(raw=raw, span=ctx.span(where[0].start, where[-1].end))
                text = text[: am.start()]
            doc.appendices.append(Appendix(
                label=None,
                title=appendix_title(text),
                kind=kind,
                approval=approval,
                span=ctx.span(para[2], para[3]),
                title_span=ctx.span(para[2], para[3]),
            ))
            taken.update(range(para[0], para[1] + 1))
        i += 1
    _check_approvals(ctx)
    _requisites_from_approval(ctx)
    _declared_but_missing(ctx, sig)


def _is_title_line(text: str) -> bool:
    """A title line: the kind word alone, in capitals, or opening a bold run."""
    t = text.strip().lstrip("#").strip()
    plain = strip_markup(t)
    first = re.match(r"[А-Яа-яЁё]+", plain)
    if not first or plain.endswith((".", ";", ":")):
        return False
    return t.startswith("**") or first.group().isupper() and len(first.group()) > 3 or plain == first.group()


def _refs(text: str) -> bool:
    return bool([d for d in find_dates(text) if d.status == "ok"]) and bool([n for n in find_numbers(text) if n.value])


def _approval(ctx: Context, raw: str, block, skip: int = 0) -> Approval | None:
    """Date and number of the act a stamp cites (the label's own number,
    "Приложение № 1", is not it)."""
    dates = [d for d in find_dates(raw) if d.status == "ok"]
    numbers = [n for n in find_numbers(raw) if n.value and n.start >= skip]
    if not dates and not numbers:
        return None
    return Approval(
        date=dates[0].value if dates else None,
        number=numbers[0].value if numbers else None,
        raw=raw,
        span=ctx.span(block[0].start, block[-1].end),
    )


def _requisites_from_approval(ctx: Context) -> None:
    """An act cut before its head (no doc type, heading, date or number) whose
    appendix stamp cites it ("(утв. постановлением Правительства … от 28 марта
    2012 г. N 129-ПП)"): the act's requisites are taken from the stamp."""
    m = ctx.doc.meta
    if ctx.doc.kind != "order" or ctx.sl.type_line or ctx.sl.heading_line or (m.date and m.number):
        return
    for ap in ctx.doc.appendices:
        a = ap.approval
        if not (a and a.raw):
            continue
        ref = parse_stamp(re.sub(r"^\(\s*", "", a.raw))
        if a.date and a.number:
            m.date, m.number = a.date, a.number
            m.sources["date"] = m.sources["number"] = Sourced(raw=a.raw, span=a.span)
        if ref and ref.doc_type and not m.doc_type:
            m.doc_type = ref.doc_type
            m.sources["doc_type"] = Sourced(raw=a.raw, span=a.span)
        if ref and ref.issuer and not m.agency:
            m.agency = body_nominative(ref.issuer)
            m.sources["agency"] = Sourced(raw=a.raw, span=a.span)
        ctx.warn("requisites_from_appendix", f"the act's head is not in the text: its requisites are taken from the stamp "
                 f"of its appendix ({a.raw[:100]!r})", a.span, severity="info")
        return


def _check_approvals(ctx: Context) -> None:
    m = ctx.doc.meta
    for ap in ctx.doc.appendices:
        a = ap.approval
        if a is None:
            continue
        diffs = []
        if a.date and m.date and a.date != m.date:
            diffs.append(f"date {a.date} ≠ {m.date}")
        if a.number and m.number and a.number != m.number:
            diffs.append(f"number {a.number} ≠ {m.number}")
        if diffs:
            what = ap.label or (ap.title or ap.kind)[:40]
            ctx.warn("approval_mismatch",
                     f"{what}: the approval stamp cites {' and '.join(diffs)}; the order itself is {m.date} № {m.number}",
                     a.span)


# "2. Утвердить Перечень …" — an approving clause of the order (not a task
# "подготовить и утвердить план" inside an item)
_APPROVE_RX = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?утвердить\s+(?:прилагаем\w+\s+)?(?P<obj>[А-Яа-яЁё]+)(?P<rest>[^.;]*)", re.I)
# "2. Утвердить прилагаемые:" / "2. Утвердить:" followed by one item a line
_APPROVE_LIST = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?утвердить(?:\s+прилагаем\w+)?\s*:\s*$", re.I)
MAX_LIST_ITEMS = 8
# "(согласно|в соответствии с) приложению N 2", "(Приложение)", "приложение 1 к настоящему приказу"
_TO_APPENDIX = re.compile(r"(?:согласно|в\s+соответствии\s+с)\s+приложени|\(\s*приложени", re.I)
# "… рабочую группу … в составе согласно приложению", "утвердить в составе согласно приложению"
_IN_COMPOSITION = re.compile(r"\bв\s+составе,?\s+(?:согласно\s+приложени|в\s+соответствии\s+с\s+приложени|\(\s*приложени)\w*"
                             r"(?:\s*(?:№|N)\s*\d+)?", re.I)
_FORMS_BODY = re.compile(r"\b(?:создать|образовать|утвердить|сформировать)\b", re.I)


def _declared_but_missing(ctx: Context, sig: int) -> None:
    start = ctx.sl.type_line or ctx.sl.first_line
    if sig <= start:
        # no signature found: the operative part ends where the first appendix starts
        firsts = [a.span.line for a in ctx.doc.appendices if a.span]
        sig = min(firsts) - 1 if firsts else ctx.sl.last_line
    present = {a.kind for a in ctx.doc.appendices}
    title = ctx.doc.meta.title or ""
    # "Об утверждении (административного) регламента …": the kind within the first words
    tm = re.match(r"^Об\s+утверждении\s+(?P<obj>(?:[А-Яа-яЁё-]+\s+){0,2}[А-Яа-яЁё]+)", title)
    kind = next((k for w in (tm.group("obj").split() if tm else []) if (k := document_kind(w))), None)
    if kind and kind not in present and "title" in ctx.doc.meta.sources:
        present.add(kind)
        _missing(ctx, title, kind, ctx.doc.meta.sources["title"].span)
    lines = ctx.src.lines[start - 1 : sig]
    for k, ln in enumerate(lines):
        if _APPROVE_LIST.match(ln.clean):
            for item in lines[k + 1 : k + 1 + MAX_LIST_ITEMS]:
                text = item.clean.lstrip("-–—•· ")
                kind = kind_of(text)
                if not text or kind is None:
                    break
                if kind not in present:
                    present.add(kind)
                    _missing(ctx, appendix_title(text).rstrip(";.,"), kind, ctx.src.line_span(item.no))
            continue
        for m in _APPROVE_RX.finditer(ln.text):
            kind = next((KINDS[f] for f in normal_forms(m.group("obj")) if f in KINDS), None)
            if kind is None and (_TO_APPENDIX.search(m.group("rest")) or re.search(r"прилагаем", m.group(0), re.I)):
                kind = "other"  # "Утвердить организационную модель … согласно приложению № 2", "график … (Приложение)"
            if kind is None or kind in present:
                continue
            title = clean_spaces(m.group("obj") + m.group("rest"))
            present.add(kind)
            _missing(ctx, title, kind, ctx.span(ln.start + m.start(), ln.start + m.end()))
        sm = _IN_COMPOSITION.search(ln.text)
        if sm and "sostav" not in present:
            # "создать рабочую группу … в составе согласно приложению N 1": its members are an appendix
            present.add("sostav")
            head = _FORMS_BODY.search(ln.text, 0, sm.start())
            a = head.start() if head else sm.start()
            _missing(ctx, clean_spaces(ln.text[a : sm.end()]), "sostav", ctx.span(ln.start + a, ln.start + sm.end()))


def _missing(ctx: Context, title: str, kind: str, span) -> None:
    """An appendix the order approves that the file does not hold."""
    ctx.doc.appendices.append(Appendix(title=title, kind=kind, present=False, span=span))
    if kind == "perechen":
        return  # the touchpoints step reports a missing Перечень with its consequences
    ctx.warn("appendix_missing", f"the order approves «{title[:90]}», but it is not in the file", span)
