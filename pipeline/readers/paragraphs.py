"""Visual lines → paragraphs, with line-end hyphens joined deliberately.

Used for page text (:func:`paragraphs`) and for the lines inside a table cell
(:func:`cell_text`). Whether "социально-" + "экономического" keeps its hyphen
is decided by the document's own words (:func:`document_vocab`), then by the
shape of the word (:func:`join_hyphenated`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.readers.pages import BBox, Page, VLine
from pipeline.readers.settings import DEFAULTS, LayoutSettings

LABEL_START = re.compile(r"^(\d{1,2}(\.\d{1,2})*[.)]|[а-яa-z]\)|[-–—•])\s")
_WORD = re.compile(r"[А-Яа-яЁёA-Za-z]+(?:-[А-Яа-яЁёA-Za-z]+)*")

# First parts of compounds common in this genre, kept with their hyphen at a line end.
COMPOUND_HEADS = {"онлайн", "офлайн", "интернет", "веб", "чат", "пресс", "бизнес", "видео", "аудио", "смс", "вице", "горно", "северо", "юго"}


# --- hyphenation --------------------------------------------------------------

def join_hyphenated(left: str, right: str, vocab: set[str]) -> str:
    """Join two visual lines of one paragraph.

    A line ending in letter+"-" is either a typesetter's hyphen (join without it)
    or a real compound broken at its own hyphen (keep it): the document's own
    words decide, then the shape ("социально-" + lower case keeps its hyphen).

    >>> join_hyphenated("развития социально-", "экономического", set())
    'развития социально-экономического'
    >>> join_hyphenated("точек взаимо-", "действия", {"взаимодействия"})
    'точек взаимодействия'
    """
    left = left.rstrip()
    right = right.lstrip()
    if not left:
        return right
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if len(left) >= 2 and left[-1] in "-‐" and left[-2].isalpha() and right[:1].isalpha():
        lw = re.findall(r"[А-Яа-яЁёA-Za-z-]+$", left[:-1])
        rw = re.findall(r"^[А-Яа-яЁёA-Za-z]+", right)
        head = lw[0].split("-")[-1] if lw else ""
        tail = rw[0] if rw else ""
        if tail.lower() in ("либо", "нибудь", "то", "ка", "таки"):
            return left + right  # какому-либо, кто-нибудь
        if right[0].isupper():
            return left + right  # Северная Осетия-Алания, Ханты-Мансийский
        joined = (head + tail).lower()
        hyph = f"{head}-{tail}".lower()
        if hyph in vocab:
            return left + right
        if joined in vocab:
            return left[:-1] + right
        if f"{head.lower()}-" in vocab or head.lower() in COMPOUND_HEADS:
            return left + right  # "офлайн-" heads other compounds in this document
        if len(head) >= 4 and head[-1].lower() in "ое":
            return left + right
        return left[:-1] + right
    return f"{left} {right}"


def document_vocab(pages: list[Page]) -> set[str]:
    """Words and hyphenated compounds that occur whole somewhere in the document,
    plus "head-" for every compound's first part."""
    vocab: set[str] = set()

    def add(text: str) -> None:
        for w in _WORD.findall(text):
            w = w.lower()
            vocab.add(w)
            if "-" in w:
                vocab.add(w.split("-")[0] + "-")

    for pg in pages:
        for ln in pg.lines:
            add(ln.text)
        for t in pg.tables:
            for row in t.rows:
                for c in row:
                    if c.text:
                        add(c.text.replace("-\n", "\n"))
    return vocab


def join_lines(lines: list[str], vocab: set[str]) -> str:
    """Visual lines of one paragraph → one line (linear: only line ends are looked at)."""
    parts: list[str] = []
    for text in lines:
        text = text.strip()
        if not text:
            continue
        if not parts:
            parts.append(text)
            continue
        joined = join_hyphenated(parts[-1], text, vocab)
        parts[-1] = joined
        if len(joined) > 2000:  # keep the tail short: earlier text is final
            parts.insert(len(parts) - 1, joined[:-200])
            parts[-1] = joined[-200:]
    return "".join(parts)


def cell_text(raw: str | None, vocab: set[str]) -> str:
    """A table cell's visual lines as one line.

    >>> cell_text("Официальный сайт\\nМинистер-\\nства", {"министерства"})
    'Официальный сайт Министерства'
    """
    if not raw:
        return ""
    return " ".join(join_lines(raw.split("\n"), vocab).split())


# --- paragraphs ----------------------------------------------------------------

@dataclass
class Para:
    text: str
    page: int
    bbox: BBox
    confidence: float | None
    blank_before: int = 0
    words: list[tuple[str, float]] | None = None


def paragraphs(lines: list[VLine], right_edge: float, left_edge: float, vocab: set[str],
               st: LayoutSettings = DEFAULTS.layout, page_edges: dict[int, tuple[float, float]] | None = None) -> list[Para]:
    """Join visual lines (in reading order, running matter removed) into paragraphs.

    ``right_edge``/``left_edge``: the text block; ``page_edges`` (page → (right, left))
    overrides them on pages of another shape (a landscape page in a portrait order)."""
    default_edges = (right_edge, left_edge)
    out: list[Para] = []
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 40]
    pitch = sorted(pitches)[len(pitches) // 2] if pitches else 14.0
    cur: list[VLine] = []

    def flush(blank: int) -> None:
        if not cur:
            return
        text = join_lines([ln.text for ln in cur], vocab)
        confs = [ln.confidence for ln in cur if ln.confidence is not None]
        first = [ln for ln in cur if ln.page == cur[0].page]
        bbox = (min(ln.x0 for ln in first), first[0].top, max(ln.x1 for ln in first), first[-1].bottom)
        words = [w for ln in cur for w in (ln.words or [])] or None
        out.append(Para(" ".join(text.split()), cur[0].page, tuple(round(v, 1) for v in bbox),
                        round(sum(confs) / len(confs), 1) if confs else None, blank, words))
        cur.clear()

    pending_blank = 0
    for ln in lines:
        if not cur:
            cur.append(ln)
            continue
        prev = cur[-1]
        if page_edges:
            right_edge, left_edge = page_edges.get(ln.page, default_edges)
        gap = (ln.top - prev.top) / pitch if ln.page == prev.page else 1.0
        new = False
        blank = 0
        if gap > st.para_gap:
            new = True
            blank = max(1, round(gap) - 1)
        elif ln.page == prev.page and ln.top < prev.top - 2:
            new = True  # back up the page: another column or a misorder; never merge
            blank = 1  # a column is a block of its own (the other half of a bilingual letterhead)
        elif prev.bold != ln.bold:
            new = True
        elif LABEL_START.match(ln.text) and (not ln.text[0] in "-–—•" or prev.text.rstrip()[-1:] in ";:."):
            new = True  # a list item; a dash only after a line that closes a sentence
        elif _all_caps(ln.text) and _all_caps(prev.text):
            new = True  # letterhead lines: each one is printed as a line of its own
        elif _centered(ln, left_edge, right_edge) and abs((prev.x0 + prev.x1) / 2 - (left_edge + right_edge) / 2) < 4:
            # a centred title over several lines: one paragraph while lines are full
            new = (prev.x1 - prev.x0) + ln.first_word_w + 0.4 * (ln.size or 10) < right_edge - left_edge - 2
        elif ln.x0 > left_edge + st.indent:
            new = True
        elif prev.x1 + ln.first_word_w + 0.4 * (ln.size or 10) < right_edge - 2:
            new = True  # the next line's first word would have fit: the line ended early
        if new:
            if ln.page != prev.page:
                blank = max(blank, 1)  # a page break between paragraphs reads as a blank line
            flush(pending_blank)
            pending_blank = blank
        cur.append(ln)
    flush(pending_blank)
    return out


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _centered(ln: VLine, left: float, right: float) -> bool:
    return ln.x0 > left + 6 and abs((ln.x0 + ln.x1) / 2 - (left + right) / 2) < 4
