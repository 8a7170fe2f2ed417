"""Terms and definitions (термины и определения).

A definitions block is introduced by a clause that speaks of terms/notions
and definitions ("используются следующие термины и определения", "Используемые
понятия и определения"). Its entries are the clauses under it (or, for a
heading, the clauses that follow it), each "term — definition" whatever the
dash (—, –, -), numbering or bullet style, bold marks or an alias in brackets:
"**Клиент** (внешний клиент) — физическое или юридическое лицо …".
"""

from __future__ import annotations

import re

from pipeline.context import Context
from pipeline.models import Clause, Definition
from pipeline.nlp import lemma_text

# "term — definition": the dash has spaces around it (a hyphen inside a word
# such as "онлайн-точки" is part of the term).
_ENTRY = re.compile(
    r"^(?P<term>[^\s(].{0,90}?)\s*(?:\((?P<alias>[^)]{1,60})\))?\s+[—–-]{1,2}\s+(?P<definition>\S.*)$",
    re.S,
)
_TRIGGER_LEMMAS = ({"термин", "определение"}, {"понятие", "определение"}, {"понятие"}, {"термин"})
MAX_TERM_WORDS = 7


def is_trigger(text: str) -> bool:
    head = text[:300]
    # A word whose lemma is 'термин' or 'понятие' prints that lemma's stem: pymorphy3 builds
    # a lemma from the word's own stem (known or predicted) plus its paradigm's ending. So a
    # clause without 'терм'/'понят' is no trigger, and most clauses are not lemmatized here.
    folded = head.lower().replace("ё", "е")
    if "терм" not in folded and "понят" not in folded:
        return False
    lem = set(lemma_text(head).split())
    if not ({"термин", "понятие"} & lem):
        return False
    return "определение" in lem or "использоваться" in lem or "следующий" in lem


def parse_entry(text: str) -> tuple[str, str | None, str] | None:
    """'Клиент (внешний клиент) — лицо …' → ('Клиент', 'внешний клиент', 'лицо …')."""
    m = _ENTRY.match(text.strip())
    if not m:
        return None
    term = m.group("term").strip(" *«»\"")
    if not term or len(term.split()) > MAX_TERM_WORDS or term.endswith((",", ":")):
        return None
    if re.search(r"[А-ЯЁ]\.\s?[А-ЯЁ]\.", term):  # "Козаевой И.Б. - …" names a person
        return None
    definition = m.group("definition").strip().rstrip(";.").strip()
    if len(definition) < 3:
        return None
    return term, (m.group("alias") or None), definition


def _descendants(c: Clause) -> list[Clause]:
    out = []
    for ch in c.children:
        out.append(ch)
        out.extend(_descendants(ch))
    return out


def extract(ctx: Context) -> None:
    doc = ctx.doc
    done: set[str] = set()
    flat = ctx.flat
    for i, clause in enumerate(flat):
        if clause.id in done or not is_trigger(clause.text) or parse_entry(clause.text):
            continue
        candidates = _descendants(clause)
        if not candidates:
            # a heading or intro line with the entries printed after it at its level
            parent = ctx.parents.get(clause.id)
            siblings = parent.children if parent else doc.clauses
            idx = next(k for k, s in enumerate(siblings) if s.id == clause.id)
            for s in siblings[idx + 1 :]:
                if s.number and s.style == clause.style and not parse_entry(s.text):
                    break
                candidates.append(s)
                candidates.extend(_descendants(s))
        found = 0
        skip_under: set[str] = set()
        for c in candidates:
            if c.id in done:
                continue
            if ctx.parents.get(c.id) is not None and ctx.parents[c.id].id in skip_under:
                skip_under.add(c.id)  # sub-items of a definition belong to it
                continue
            if is_trigger(c.text) and not parse_entry(c.text):
                done.add(c.id)
                continue
            entry = parse_entry(c.text)
            done.add(c.id)
            if entry is None:
                if found and not c.children:
                    ctx.warn("definition_unparsed", f"an entry of the definitions block is not 'term — definition': «{c.text[:80]}»", c.span)
                if found and c.children:
                    break
                continue
            term, alias, definition = entry
            found += 1
            skip_under.add(c.id)
            doc.definitions.append(Definition(
                term=term,
                aliases=[alias] if alias else [],
                key=lemma_text(term),
                definition=definition,
                clause=ctx.clause_ref(c),
                span=c.span,
            ))
        done.add(clause.id)
