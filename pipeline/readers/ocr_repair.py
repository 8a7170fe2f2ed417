"""Repairs of what Tesseract systematically gets wrong in Russian orders.

- :func:`repair_short_i`: "й" read as "и" after a vowel, put back where the
  Russian dictionary (the shared pymorphy3 analyzer) knows only the repaired word;
- :func:`pair_quotes`: guillemets read as "<" / ">", put back where they pair.
"""

from __future__ import annotations

import re

from pipeline.readers.tesseract import Word

_SHORT_I = re.compile(r"(?<=[аеёиоуыэюяАЕЁИОУЫЭЮЯ])[иИ]")
_EDGE_PUNCT = ".,;:!?«»\"'()[]"


def repair_short_i(words: list[Word]) -> int:
    """Tesseract often drops the breve of "й" after a vowel ("Сахалинскои",
    "раион"). Put it back where the word is unknown to the Russian dictionary
    and the repaired word is known. Returns how many words were repaired.

    >>> ws = [Word("раион,", 0, 0, 1, 1, 80.0, (1, 1, 1))]
    >>> repair_short_i(ws), ws[0].text
    (1, 'район,')
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
            cand = core[:m.start()] + ("й" if m.group() == "и" else "Й") + core[m.end():]
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
