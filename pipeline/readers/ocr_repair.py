"""Repairs of what Tesseract systematically gets wrong in Russian orders.

- :func:`repair_short_i`: "й" read as "и" after a vowel, put back where the
  Russian dictionary (the shared pymorphy3 analyzer) knows only the repaired word;
- :func:`repair_initials`: initials beside a surname misread ("Каболова
  Л.З3." → "Л.З.", "3.В." → "З.В.", "Е.Д.:", "Каболова.Л.З.", "=" for the dash);
- :func:`repair_stray_marks`: specks read as an apostrophe before a line or a
  dot inside a sentence;
- :func:`repair_dashes`: one printed dash read as two ("-—"), made one again;
- :func:`pair_quotes`: guillemets read as "<" / ">", put back where they pair.

:func:`repair_ocr_words` runs the word repairs and counts them.
"""

from __future__ import annotations

import re

from pipeline.readers.tesseract import Word

_SHORT_I = re.compile(r"(?<=[аеёиоуыэюяАЕЁИОУЫЭЮЯ])(?:[йЙиИ][иИ]|[иИ])")
_EDGE_PUNCT = ".,;:!?«»\"'()[]"
# digits Tesseract gives for capital letters in initials, and the letters they stand for
_DIGIT_LETTER = {"3": "З", "0": "О", "6": "Б", "4": "Ч"}
_INITIALS = re.compile(r"^(?P<a>[А-ЯЁ0-9]{1,2})[.:,/](?P<b>[А-ЯЁ0-9]{1,2})(?P<end>[.:]?[,;:.]?)(?P<dash>[-‐–—―=~]*)$")
_SURNAME = re.compile(r"^[А-ЯЁ][а-яё]{2,}(?:-[А-ЯЁ][а-яё]+)?[,;]?$")
_GLUED = re.compile(r"^(?P<surname>[А-ЯЁ][а-яё]{2,}(?:-[А-ЯЁ][а-яё]+)?)[.,]?(?P<ini>[А-ЯЁ0-9]{1,2}[.:,][А-ЯЁ0-9]{1,2}[.:]?[,;]?)$")
_FAKE_DASHES = {"=", "~", "_", "-=", "=-", "—=", "==", "--", "-—", "—-", "——", "–-"}
_DOTTED_WORD = re.compile(r"^[а-яё]{5,}\.$")
_LOWER_WORD = re.compile(r"^[«\"(]?[а-яё](?![.)])")  # a lower-case word, not a label "а)" or "б."


def repair_short_i(words: list[Word]) -> int:
    """Tesseract often drops the breve of "й" after a vowel ("Сахалинскои",
    "раион"), or reads it as a letter of its own ("САХАЛИНСКОЙИ"). Put it back
    where the word is unknown to the Russian dictionary and the repaired word
    is known. Returns how many words were repaired.

    >>> ws = [Word("раион,", 0, 0, 1, 1, 80.0, (1, 1, 1)), Word("САХАЛИНСКОЙИ", 0, 0, 1, 1, 80.0, (1, 1, 1))]
    >>> repair_short_i(ws), [w.text for w in ws]
    (2, ['район,', 'САХАЛИНСКОЙ'])
    """
    try:
        from pipeline.nlp import get_morph, is_known_word

        get_morph()
    except Exception:  # noqa: BLE001 - the repair is optional: without a dictionary, leave words as read
        return 0
    fixed = 0
    for w in words:
        core = w.text.strip(_EDGE_PUNCT)
        if len(core) < 4 or not _SHORT_I.search(core) or is_known_word(core):
            continue
        for m in _SHORT_I.finditer(core):
            cand = core[:m.start()] + ("й" if m.group()[0] in "ий" else "Й") + core[m.end():]
            if is_known_word(cand):
                w.text = w.text.replace(core, cand)
                fixed += 1
                break
    return fixed


def pair_quotes(text: str) -> str:
    """Tesseract reads the guillemets of dates and titles as "<"/">" (and "<<").
    Put back a guillemet only where it pairs with a real one on the same line.

    >>> pair_quotes("< 09 » 09 2023г.")
    '« 09 » 09 2023г.'
    """
    text = text.replace("<<", "«").replace(">>", "»")
    close = text.find("»")
    if close > 0:
        opn = text.rfind("<", 0, close)
        if opn >= 0 and "«" not in text[opn:close]:
            text = text[:opn] + "«" + text[opn + 1:]
    opn = text.find("«")
    if opn >= 0:
        close = text.find(">", opn)
        if close > 0 and "»" not in text[opn:close]:
            text = text[:close] + "»" + text[close + 1:]
    return text


def _initial(slot: str) -> str | None:
    """One initial as printed, or None when ``slot`` cannot be one: a capital
    letter, a look-alike digit, or a letter doubled by its look-alike ("З3")."""
    if len(slot) == 1:
        return slot if slot.isalpha() else _DIGIT_LETTER.get(slot)
    a, b = slot
    if a.isalpha() and _DIGIT_LETTER.get(b) == a:
        return a
    if b.isalpha() and _DIGIT_LETTER.get(a) == b:
        return b
    return None


def _as_initials(text: str) -> str | None:
    """``text`` as initials ("Л.З." plus a kept "," or ";"), letters for look-alike
    digits and dots for colons, or None."""
    m = _INITIALS.match(text)
    if not m or not any(ch.isalpha() for ch in m.group("a") + m.group("b")):
        return None  # "3.3." is a clause number, whatever stands beside it
    a, b = _initial(m.group("a")), _initial(m.group("b"))
    if not (a and b):
        return None
    end = m.group("end")
    dot = "." if "." in end or ":" in end else ""  # as printed: "О.А Зорина" keeps its missing dot
    dash = " —" if len(m.group("dash")) > 1 or m.group("dash") in ("=", "~") else m.group("dash")
    return f"{a}.{b}{dot}{''.join(ch for ch in end if ch in ',;')}{dash}"


def _split_word(w: Word, parts: list[str]) -> list[Word]:
    """``w`` cut into ``parts``, the box shared out by length."""
    total = sum(len(p) for p in parts) or 1
    out, x = [], w.x0
    for p in parts:
        x1 = x + (w.x1 - w.x0) * len(p) / total
        out.append(Word(p, x, w.top, x1, w.bottom, w.conf, w.key))
        x = x1
    return out


def repair_initials(words: list[Word]) -> int:
    """Initials beside a surname, as a list of people prints them ("Каболова
    Л.З. – начальник …"), put back where OCR damaged them:

    - a letter read as its look-alike digit, or doubled by it: "Л.З3.", "Л.3.", "3.В.";
    - a colon or comma for a dot: "Л:З.", "Е.Д.:";
    - the surname glued to the initials: "Каболова.Л.З." → "Каболова" "Л.З.";
    - the dash after them read as "=" or "~", or not read at all while its
      room is there (:func:`_lost_dash`).

    Only a word of exactly two initials beside a capitalised word is touched:
    clause numbers ("3.3.") have no surname beside them. Returns how many
    words were repaired.

    >>> ws = [Word(t, 0, 0, 1, 1, 90.0, (1, 1, 1)) for t in ["Каболова", "Л.З3.", "=", "начальник", "3.3."]]
    >>> repair_initials(ws), [w.text for w in ws]
    (2, ['Каболова', 'Л.З.', '—', 'начальник', '3.3.'])
    >>> ws = [Word("Каболова.Л:3.", 0, 0, 130, 10, 50.0, (1, 1, 1))]
    >>> repair_initials(ws), [w.text for w in ws]
    (1, ['Каболова', 'Л.З.'])
    """
    fixed = 0
    k = 0
    while k < len(words):
        w = words[k]
        glued = _GLUED.match(w.text)
        if glued and _as_initials(glued.group("ini")):
            words[k:k + 1] = _split_word(w, [glued.group("surname"), _as_initials(glued.group("ini")) or ""])
            fixed += 1
            k += 1  # the initials, now a word of their own, are looked at next (the dash after them)
            continue
        ini = _as_initials(w.text)
        near = [x for x in (words[k - 1] if k else None, words[k + 1] if k + 1 < len(words) else None)
                if x is not None and x.key == w.key]
        if ini and any(_SURNAME.match(x.text) for x in near):
            if ini != w.text:
                w.text = ini
                fixed += 1
            nxt = words[k + 1] if k + 1 < len(words) and words[k + 1].key == w.key else None
            if nxt is not None and nxt.text in _FAKE_DASHES:
                nxt.text = "—"
                fixed += 1
            elif nxt is not None and _LOWER_WORD.match(nxt.text) and _lost_dash(words, k):
                w.text += " —"
                fixed += 1
        k += 1
    return fixed


def _lost_dash(words: list[Word], k: int) -> bool:
    """Between the initials ``words[k]`` and the lower-case word after them, was
    there a dash Tesseract did not give? The initials' box is wider than five
    mean letters, or the gap after it is thrice the line's
    usual space: the dash's ink and spaces are there. (Initials of two capitals
    and two dots take about four of the line's mean letter widths.)"""
    w, nxt = words[k], words[k + 1]
    line = [x for x in words if x.key == w.key]
    letters = [(x.x1 - x.x0) / len(x.text) for x in line if len(x.text) >= 4 and x.text.isalpha()]
    gaps = sorted(b.x0 - a.x1 for a, b in zip(line, line[1:]))
    if len(letters) < 3 or not gaps:
        return False
    em = sorted(letters)[len(letters) // 2]
    space = max(1.0, gaps[len(gaps) // 2])
    return (w.x1 - w.x0) > (len(w.text) + 1.2) * em or (nxt.x0 - w.x1) > 3 * space


def repair_stray_marks(words: list[Word]) -> int:
    """Specks read as punctuation where print never has it:

    - an apostrophe or backquote before a line's first word ("'Авакова");
    - a backquote anywhere else (Russian print has none): a space between
      letters ("Центр`занятости"), else nothing;
    - a dot after a long lower-case word followed, on the same line, by another
      lower-case word ("юридического. отдела"): a Russian sentence starts with a
      capital, and abbreviations ("г.", "т.д.", "обл.") are short.

    >>> ws = [Word(t, 0, 0, 1, 1, 90.0, (1, 1, 1)) for t in ["'Авакова", "юридического.", "отдела", "г.", "Владикавказ"]]
    >>> repair_stray_marks(ws), [w.text for w in ws]
    (2, ['Авакова', 'юридического', 'отдела', 'г.', 'Владикавказ'])
    """
    fixed = 0
    for k, w in enumerate(words):
        first = k == 0 or words[k - 1].key != w.key
        if first and len(w.text) > 1 and w.text[0] in "'`‘’" and w.text[1].isalpha() and not any(
                q in w.text[1:] for q in "'`‘’"):
            w.text = w.text[1:]
            fixed += 1
        if "`" in w.text and w.text.strip("`"):
            w.text = re.sub(r"(?<=\w)`(?=\w)", " ", w.text).replace("`", "")
            fixed += 1
        nxt = words[k + 1] if k + 1 < len(words) and words[k + 1].key == w.key else None
        if nxt is not None and _DOTTED_WORD.match(w.text) and _LOWER_WORD.match(nxt.text):
            w.text = w.text[:-1]
            fixed += 1
    return fixed


_DASHES = re.compile(r"^[-‐–—―]{2,3}$")
_ONE_DASH = re.compile(r"^[-‐–—―]$")


def repair_dashes(words: list[Word]) -> int:
    """A dash standing alone read as two or three ("Кокаева И.А. -— начальник"):
    one dash again, the longest one read.

    >>> ws = [Word(t, 0, 0, 1, 1, 60.0, (1, 1, 1)) for t in ["И.А.", "-—", "начальник", "Т.В.", "-", "—"]]
    >>> repair_dashes(ws), [w.text for w in ws]
    (2, ['И.А.', '—', 'начальник', 'Т.В.', '—'])
    """
    fixed = 0
    for w in words:
        if _DASHES.match(w.text):
            w.text = max(w.text, key="-‐–—―".index)
            fixed += 1
    k = 1
    while k < len(words):
        a, b = words[k - 1], words[k]
        if a.key == b.key and _ONE_DASH.match(a.text) and _ONE_DASH.match(b.text):
            a.text, a.x1 = max(a.text + b.text, key="-‐–—―".index), b.x1
            del words[k]  # "Чекоев Т.В. - — директор": one dash read as two words
            fixed += 1
            continue
        k += 1
    return fixed


def repair_ocr_words(words: list[Word]) -> dict[str, int]:
    """Every word repair, in place; what was repaired → how many words."""
    done = {"'й' read as 'и' (by the dictionary)": repair_short_i(words),
            "initials beside a surname misread": repair_initials(words),
            "a dash read as two": repair_dashes(words),
            "stray marks from specks": repair_stray_marks(words)}
    return {what: n for what, n in done.items() if n}
