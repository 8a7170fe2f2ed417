"""The issuing body printed in a document's header, and its proper case.

The agency is the header block nearest the doc-type line that is in Russian
and holds no date or number; a block in another language (the Altai half of
a bilingual letterhead) is reported, never taken; a body printed above the
agency ("ПРАВИТЕЛЬСТВО …" over "МИНИСТЕРСТВО …") is its parent. An upper-case
name is put in proper case from the region vocabulary and the document body.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from pipeline.cleanup import mostly_upper, oneline
from pipeline.context import Context
from pipeline.document import Line
from pipeline.extract.sources import PLACE, WORDS, Block, blocks, record
from pipeline.nlp import get_morph, is_known_word, markers, normal_forms
from pipeline.regions import capitalised_spans, find_region

# A header block is taken for another language (the Altai half of a bilingual
# header) when at least this share of its longer words is unknown to pymorphy3.
FOREIGN_UNKNOWN_SHARE = 0.4
# Words this short are left out of that share: abbreviations live there.
FOREIGN_MIN_WORD = 5
_NON_RUSSIAN = re.compile(r"[^\W\d_А-Яа-яЁёA-Za-z]")


def is_foreign(text: str) -> bool:
    """True for a header block in another language (the Altai lines of a
    bilingual header): many of its longer words are unknown to pymorphy3."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= FOREIGN_MIN_WORD]
    if not words:
        return False
    # letters Russian does not have (Ә, Ө, Ү, Һ, Ӧ …) settle it for the word
    unknown = sum(bool(_NON_RUSSIAN.search(w)) or not is_known_word(w) for w in words)
    return unknown / len(words) >= FOREIGN_UNKNOWN_SHARE


def read_agency(ctx: Context, head: list[Line]) -> None:
    """The issuing body: the header block nearest the doc-type line that is in
    Russian and holds no date or number. A trailing parenthesis is its short
    name ("(КОМИТЕТ ПО ДЕЛАМ ЗАГС И АРХИВОВ РЕСПУБЛИКИ АЛТАЙ)")."""
    meta = ctx.doc.meta
    candidates = []
    region_first = False
    for b in blocks(head):
        if any(c.isdigit() for c in b.text):
            continue  # a date, number, address or phone line is not a name
        pm = PLACE.match(b.text)
        if pm and len(b.text.split()) <= 4:
            # "г. Курск" printed above the doc type
            meta.place = pm.group("city")
            record(ctx, "place", b.start, b.end)
            continue
        if is_foreign(b.text):
            ctx.warn("header_foreign", f"header lines in another language are not the agency: {b.text[:80]!r}",
                     ctx.span(b.start, b.end), severity="info")
            continue
        parts = _split_bodies(b)
        if len(parts) > 1 and _bare_head(parts[-1].text) and _region_only(parts[-2].text):
            # "БРЯНСКАЯ ОБЛАСТЬ / АДМИНИСТРАЦИЯ": the region printed above a bare body noun names it
            parts[-2:] = [Block(parts[-2].lines + parts[-1].lines)]
            b = parts[-1]
            region_first = True
        else:
            region_first = False
        for parent in parts[:-1]:
            ctx.warn("header_parent", f"header names a body above the agency: {parent.text[:80]!r}",
                     ctx.span(parent.start, parent.end), severity="info")
        b = parts[-1]
        if candidates and _continues(candidates[-1], b, head):
            candidates[-1] = Block(candidates[-1].lines + b.lines)
        else:
            candidates.append(b)
    if not candidates:
        if ctx.sl.kind != "memo":
            ctx.warn("no_agency", "no issuing body printed above the doc type",
                     ctx.line_span(ctx.sl.type_line or ctx.sl.first_line))
        return
    block = candidates[-1]
    if len(candidates) > 1 and _bare_head(block.text) and _region_only(candidates[-2].text):
        # 'БРЯНСКАЯ ОБЛАСТЬ' / blank / 'АДМИНИСТРАЦИЯ': the region above names the body
        block = Block(candidates[-2].lines + block.lines)
        candidates = candidates[:-2] + [block]
        region_first, b = True, block
    for other in candidates[:-1]:
        ctx.warn("header_unplaced", f"header block not used as the agency: {other.text[:80]!r}",
                 ctx.span(other.start, other.end), severity="info")
    full, short = _split_short_name(block.text)
    body = body_text(ctx)
    if region_first and block is b:
        lines_text = [x.clean for x in block.lines]
        full = f"{lines_text[-1]} {region_genitive(' '.join(lines_text[:-1]))}"
    meta.agency = restore_case(full, body)
    record(ctx, "agency", block.start, block.end)
    if short:
        meta.agency_short = restore_case(short, body)
        i = ctx.src.text.find("(", block.start, block.end)
        record(ctx, "agency_short", i if i >= 0 else block.start, block.end)


def _bare_head(text: str) -> bool:
    """A body named by its head noun alone: 'АДМИНИСТРАЦИЯ', 'Правительство'."""
    words = WORDS.findall(text)
    return len(words) == 1 and bool(normal_forms(words[0].lower()) & set(markers("body_heads")))


def _region_only(text: str) -> bool:
    """The text is a federal subject's name and nothing else: 'БРЯНСКАЯ ОБЛАСТЬ'."""
    hit = find_region(text)
    return bool(hit and len(WORDS.findall(text)) == len(WORDS.findall(hit.raw)))


def region_genitive(name: str) -> str:
    """'БРЯНСКАЯ ОБЛАСТЬ' → 'БРЯНСКОЙ ОБЛАСТИ', 'Республика Карелия' → 'Республики
    Карелия': the nominative words of a region's name in the genitive (a
    name's own genitive tail stays)."""
    morph = get_morph()
    words = name.split()
    out: list[str] = []
    for i, w in enumerate(words):
        p = next((p for p in morph.parse(w.lower()) if p.tag.case == "nomn" and p.tag.POS in ("NOUN", "ADJF")), None)
        g = p.inflect({"gent"}) if p else None
        out.append(_cased_like(w, g.word) if g else w)
        if p is not None and p.tag.POS == "NOUN":
            out.extend(words[i + 1 :])  # after the head noun the name is a genitive tail already
            break
    return " ".join(out)


def _cased_like(model: str, word: str) -> str:
    """``word`` in the casing of ``model``, hyphen part by hyphen part."""
    if model.isupper():
        return word.upper()
    parts, mparts = word.split("-"), model.split("-")
    if len(parts) != len(mparts):
        return word[:1].upper() + word[1:] if model[:1].isupper() else word
    return "-".join(p[:1].upper() + p[1:] if m[:1].isupper() else p for p, m in zip(parts, mparts))


def _split_bodies(block: Block) -> list[Block]:
    """'ПРАВИТЕЛЬСТВО …' over 'МИНИСТЕРСТВО …' in one block: a line that opens
    with a word only readable as a nominative (not a genitive tail like
    'РЕСПУБЛИКИ …' or 'ПО …') starts a new body's name."""
    parts: list[list[Line]] = [[block.lines[0]]]
    for ln in block.lines[1:]:
        words = WORDS.findall(ln.clean)
        if words and not ln.clean.startswith(("(", "«", '"', "„", "“")) and _nominative_only(words[0]):
            parts.append([ln])
        else:
            parts[-1].append(ln)
    return [Block(p) for p in parts]


def _continues(prev: Block, block: Block, head: list[Line]) -> bool:
    """'МИНИСТЕРСТВО' / blank / 'ЗДРАВООХРАНЕНИЯ РЕСПУБЛИКИ …': the lower block
    continues the name when only blank lines part them, both are upper case
    and it opens with a word that is not a nominative."""
    between = [ln for ln in head if prev.lines[-1].no < ln.no < block.lines[0].no]
    if any(ln.clean for ln in between) or block.text.startswith("("):
        return False
    if block.text.startswith(("«", '"', "„", "“")) and mostly_upper(prev.text):
        return True  # 'АДМИНИСТРАЦИЯ МУНИЦИПАЛЬНОГО ОБРАЗОВАНИЯ' / '«СЫЧЕВСКИЙ МУНИЦИПАЛЬНЫЙ ОКРУГ» …'
    words = WORDS.findall(block.text)
    return (bool(words) and mostly_upper(prev.text) and mostly_upper(block.text)
            and not _nominative_only(words[0]))


def _nominative_only(word: str) -> bool:
    if not is_known_word(word):
        return False
    parses = get_morph().parse(word.lower())
    cases = {p.tag.case for p in parses}
    return "nomn" in cases and cases <= {"nomn", "accs"} and all(p.tag.POS in ("NOUN", "ADJF") for p in parses)


def _split_short_name(text: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(?P<full>.+?)\s*\((?P<short>[^()]+)\)\s*", text)
    if m:
        return oneline(m.group("full")), oneline(m.group("short"))
    return oneline(text), None


def body_text(ctx: Context) -> str:
    """The document's mixed-case text, where names are printed in their
    proper case (joined once per document)."""
    body = ctx.memo.get("body_text")
    if body is None:
        body = ctx.memo["body_text"] = "\n".join(ln.text for ln in ctx.lines if not mostly_upper(ln.text))
    return body


def restore_case(name: str, body: str = "") -> str:
    """An upper-case header name in proper Russian case:
    'МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ САХАЛИНСКОЙ ОБЛАСТИ' →
    'Министерство социальной защиты Сахалинской области'.

    A word is capitalised when it is part of a federal subject's name (region
    vocabulary) or when the document's body prints it capitalised inside a
    sentence; abbreviations (ЗАГС, ГКУ, РСО) stay upper case; the rest is
    lower case; a quoted name ("ГКУ «ЦЕНТР …»") opens with a capital. A name
    that is not upper case is returned as printed.
    """
    if not mostly_upper(name):
        return name
    capital_spans = _region_capitals(name)
    out = []
    pos = 0
    for m in WORDS.finditer(name):
        out.append(name[pos : m.start()])
        w = m.group(0)
        in_region = any(a <= m.start() < b for a, b in capital_spans)
        if not in_region and _is_abbreviation(w):
            out.append(w)
        elif (in_region or _capitalised_in(body, w)
              or name[: m.start()].rstrip().endswith(("«", '"', "„", "“"))  # a quoted name opens with a capital
              or _approved_document(name[: m.start()], w, body)):
            out.append(w[:1] + w[1:].lower())
        else:
            out.append(w.lower())
        pos = m.end()
    out.append(name[pos:])
    s = "".join(out)
    return s[:1].upper() + s[1:]


# "Об утверждении Порядка …", "… Положения …", "… Инструкции …": the kinds of appendix
# (vocab/markers.json) whose name Russian legal titles print with a capital
CAPITALISED_KINDS = frozenset({"poryadok", "polozhenie", "pravila", "reglament", "instrukciya", "koncepciya",
                               "standard"})


@lru_cache(maxsize=1)
def _approved_document_words() -> frozenset[str]:
    return frozenset(w for w, kind in markers("appendix_kinds").items() if kind in CAPITALISED_KINDS)


_APPROVAL = re.compile(r"(?:^|\s)(?:об\s+)?утверждении\s*$", re.I)


def _approved_document(before: str, word: str, body: str) -> bool:
    """``word`` names the act a title approves ('ОБ УТВЕРЖДЕНИИ ПОРЯДКА …'),
    and the body does not print it in lower case more often."""
    if not _APPROVAL.search(before) or not normal_forms(word.lower()) & _approved_document_words():
        return False
    return not _lower_in(body, word)


def _is_abbreviation(word: str) -> bool:
    if not word.isupper() or len(word) < 2:
        return False
    if not is_known_word(word):
        return len(word) <= 5
    # "ЗАГС" is only an abbreviation; "ПО" is also a preposition
    return all("Abbr" in p.tag for p in get_morph().parse(word.lower()))


def _region_capitals(name: str) -> list[tuple[int, int]]:
    """Spans of the words of ``name`` that a federal subject's official name
    prints capitalised ('РЕСПУБЛИКИ АЛТАЙ' → both; 'САХАЛИНСКОЙ ОБЛАСТИ' → the first)."""
    return capitalised_spans(name)


def _capitalised_in(body: str, word: str) -> bool:
    """The body prints ``word`` — in any of its forms ('ПОРЯДКА' → 'Порядок') —
    capitalised more often than not, counting only places inside a sentence
    (a sentence-initial capital proves nothing)."""
    upper, lower = _case_votes(body, word)
    return upper > lower


def _lower_in(body: str, word: str) -> bool:
    """The body prints ``word`` (any form) in lower case more often than
    capitalised, inside sentences."""
    upper, lower = _case_votes(body, word)
    return lower > upper


def _case_votes(body: str, word: str) -> tuple[int, int]:
    """(capitalised, lower-case) occurrences of the forms of ``word`` inside
    sentences of ``body``."""
    if not body or len(word) < 2:
        return 0, 0
    forms = _inner_forms(body)
    upper = lower = 0
    for lemma in normal_forms(word.lower()):
        for w in _FORMS_OF.get(lemma, _NONE).intersection(forms):
            if w[:1].isupper():
                upper += forms[w]
            else:
                lower += forms[w]
    return upper, lower


_WORD_RU = re.compile(r"[А-Яа-яЁё]+")
# a word opening a sentence: after '.', '!', '?', a line break, ':' or ';' and any spaces, '*', '«', '"', '('
_INITIAL_WORD = re.compile(r"[.!?\n:;][ \t*«\"(]*([А-Яа-яЁё]+)")

# lemma → the word forms seen with it (capitalised or lower case: see _form_keys), over
# every body read by this process; only forms new to the process are analysed
_FORMS_OF: dict[str, set[str]] = {}
_INDEXED: set[str] = set()
_INDEX_LIMIT = 200_000
_NONE: frozenset[str] = frozenset()


@lru_cache(maxsize=8)
def _inner_forms(body: str) -> dict[str, int]:
    """Word form → its occurrences inside sentences of ``body`` (every
    occurrence less the sentence-initial ones, the text's start counting as
    one), for the forms that occur there; every form is indexed under its
    lemmas in :data:`_FORMS_OF`."""
    forms = Counter(_WORD_RU.findall(body))
    forms.subtract(_INITIAL_WORD.findall("\n" + body))
    inner = {w: n for w, n in forms.items() if n > 0}
    new = inner.keys() - _INDEXED
    if len(_INDEXED) + len(new) > _INDEX_LIMIT:  # bounded: start again from this body
        _FORMS_OF.clear()
        _INDEXED.clear()
        _inner_forms.cache_clear()  # the bodies remembered were indexed in what was just dropped
        new = set(inner)
    for w in new:
        for lemma, _case in _form_keys(w):
            _FORMS_OF.setdefault(lemma, set()).add(w)
    _INDEXED.update(new)
    return inner


@lru_cache(maxsize=50_000)
def _form_keys(w: str) -> tuple[tuple[str, int], ...]:
    """(lemma, 0 capitalised | 1 lower case) for each lemma of a word form; none
    for initials ("И.И. Иванов"), abbreviations and mixed case, which say
    nothing of a word's case."""
    if len(w) < 2 or w.isupper():
        return ()
    cap = w[:1].isupper()
    if not cap and not w.islower():
        return ()
    return tuple((lemma, 0 if cap else 1) for lemma in normal_forms(w.lower()))
