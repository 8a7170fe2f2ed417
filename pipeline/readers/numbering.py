"""Word automatic numbering: the labels Word prints but python-docx does not give.

A numbered paragraph carries ``w:numPr`` (numId, ilvl), directly or through its
style. ``numId`` → ``w:num`` → ``w:abstractNum`` → ``w:lvl`` gives the format
(``numFmt``), the label template (``lvlText`` like ``"%1.%2."``), ``start`` and
``lvlRestart``; a ``w:num`` may restart a level with ``startOverride``.

Counting follows Word: counters belong to the abstract list, so two ``w:num``
pointing at the same abstractNum continue one list, unless the second one
carries a ``startOverride`` (that is how Word writes "restart numbering").

Every number taken from the file is bounded before it is used, so a hostile
list costs what a normal one does: ``start``/``startOverride`` are clamped to
0–32767 (the range of Word's "Start at" box; the schema's ST_DecimalNumber is
unbounded and Python refuses to parse more than 4,300 digits), ``ilvl`` to
Word's levels 0–8, and labels are computed arithmetically with a bounded
length: letters repeat at most :data:`MAX_LETTER_REPEAT` times, Roman numerals
print at most :data:`MAX_ROMAN_THOUSANDS` "m"s (Word and LibreOffice print
4000 as "mmmm"; past Word's range the exact glyphs are ours, not Word's).

>>> format_number(10, "russianLower")   # Word skips й: … и, к, л
'к'
>>> format_number(10**12, "lowerRoman")[-8:], len(format_number(10**12, "lowerRoman"))
('mmmmmmmm', 32)
>>> len(format_number(3 * 10**9, "russianLower"))
30
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Word's russianLower/russianUpper sequence: no ё, й, ъ, ы, ь.
RUSSIAN_LOWER = "абвгдежзиклмнопрстуфхцчшщэюя"


# Bounds on numbers read from numbering.xml (see the module doc).
MAX_START = 32767  # Word's "Start at" range is 0–32767
MAX_LEVEL = 8  # Word's list levels are 0–8 (it does not open a file with others)
MAX_LETTER_REPEAT = 30  # a letter label is at most "zzz…" × 30
MAX_ROMAN_THOUSANDS = 32  # "m" × 32 is 32,000, the thousands of MAX_START

_ROMAN_DIGITS = (  # ones, tens, hundreds: the standard forms 0–9
    ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"),
    ("", "x", "xx", "xxx", "xl", "l", "lx", "lxx", "lxxx", "xc"),
    ("", "c", "cc", "ccc", "cd", "d", "dc", "dcc", "dccc", "cm"),
)


def decimal_attr(value: str | None, default: int, lo: int, hi: int) -> int:
    """An ST_DecimalNumber attribute, clamped to ``lo``–``hi``; ``default``
    when missing or not a number. Never parses more than a few digits.

    >>> decimal_attr("1000000000000", 1, 0, MAX_START), decimal_attr("x1", 1, 0, 9), decimal_attr(" -3 ", 0, 0, 9)
    (32767, 1, 0)
    """
    s = (value or "").strip()
    sign = -1 if s.startswith("-") else 1
    digits = s.lstrip("+-").lstrip("0") or ("0" if s.lstrip("+-") else "")
    if not digits.isdigit() or not digits.isascii():
        return default
    if len(digits) > 12:
        return lo if sign < 0 else hi
    return min(hi, max(lo, sign * int(digits)))


def _letters(n: int, alphabet: str) -> str:
    # Word repeats the letter after the alphabet ends: a … z, aa … zz, aaa …
    n = max(n, 1)
    k = len(alphabet)
    return alphabet[(n - 1) % k] * min((n - 1) // k + 1, MAX_LETTER_REPEAT)


def _roman(n: int) -> str:
    if n <= 0:
        return ""
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, ones = divmod(rest, 10)
    return ("m" * min(thousands, MAX_ROMAN_THOUSANDS) + _ROMAN_DIGITS[2][hundreds]
            + _ROMAN_DIGITS[1][tens] + _ROMAN_DIGITS[0][ones])


def format_number(n: int, fmt: str) -> str:
    """One counter value in a Word number format (``numFmt``)."""
    if fmt in ("decimal", "decimalHalfWidth", "decimalFullWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz")
    if fmt == "upperLetter":
        return _letters(n, "abcdefghijklmnopqrstuvwxyz").upper()
    if fmt == "russianLower":
        return _letters(n, RUSSIAN_LOWER)
    if fmt == "russianUpper":
        return _letters(n, RUSSIAN_LOWER).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)  # ordinals, cardinalText etc. are not used in these orders


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # 1-based level after which this one restarts; 0 = never
    legal: bool = False  # isLgl: all parts decimal
    suffix: str = "tab"


@dataclass
class Numbering:
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = field(default_factory=dict)
    style_numpr: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    style_based: dict[str, str] = field(default_factory=dict)
    # counting state
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    applied_overrides: set[str] = field(default_factory=set)
    # abstract lists not read yet: their levels are parsed when a paragraph first uses them
    # (LibreOffice writes nine levels for dozens of lists a document never uses)
    unparsed: dict[str, object] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, numbering_xml: bytes | None, styles_xml: bytes | None = None, styles_root=None) -> "Numbering":
        """From the numbering part and the styles part (bytes, or ``styles_root``
        already parsed)."""
        nb = cls()
        if numbering_xml:
            root = etree.fromstring(numbering_xml, parser=safe_xml_parser())
            for an in root.iter(q("abstractNum")):
                nb.unparsed[an.get(q("abstractNumId"))] = an
            for num in root.iter(q("num")):
                nid = num.get(q("numId"))
                ref = num.find(q("abstractNumId"))
                if ref is None:
                    continue
                starts: dict[int, int] = {}
                lvls: dict[int, Level] = {}
                for ov in num.findall(q("lvlOverride")):
                    il = decimal_attr(ov.get(q("ilvl")), 0, 0, MAX_LEVEL)
                    so = ov.find(q("startOverride"))
                    if so is not None:
                        starts[il] = decimal_attr(so.get(q("val")), 1, 0, MAX_START)
                    lv = ov.find(q("lvl"))
                    if lv is not None:
                        lvls[il] = _level(lv)
                nb.nums[nid] = (ref.get(q("val")), starts, lvls)
        if styles_root is None and styles_xml:
            styles_root = etree.fromstring(styles_xml, parser=safe_xml_parser())
        if styles_root is not None:
            for based in styles_root.iterfind(f"{q('style')}/{q('basedOn')}"):
                nb.style_based[based.getparent().get(q("styleId"))] = based.get(q("val"))
            for np_ in styles_root.iterfind(f"{q('style')}/{q('pPr')}/{q('numPr')}"):
                nb.style_numpr[np_.getparent().getparent().get(q("styleId"))] = _numpr(np_)
        return nb

    def levels(self, aid: str) -> dict[int, Level]:
        """The levels of an abstract list (parsed on first use)."""
        if aid not in self.abstract and aid in self.unparsed:
            an = self.unparsed.pop(aid)
            self.abstract[aid] = {decimal_attr(lv.get(q("ilvl")), 0, 0, MAX_LEVEL): _level(lv) for lv in an.findall(q("lvl"))}
        return self.abstract.get(aid, {})

    def numpr_of(self, ppr) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph: its own numPr, else its style's."""
        num_id = ilvl = None
        style = None
        if ppr is not None:
            np_ = ppr.find(q("numPr"))
            if np_ is not None:
                num_id, ilvl = _numpr(np_)
            ps = ppr.find(q("pStyle"))
            if ps is not None:
                style = ps.get(q("val"))
        seen = set()
        while (num_id is None or ilvl is None) and style and style not in seen:
            seen.add(style)
            s_num, s_lvl = self.style_numpr.get(style, (None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
            style = self.style_based.get(style)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        return num_id, ilvl or 0

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list and return the printed label with its separator
        (``"1.1. "``, ``"к) "``, ``"- "``); ``""`` for an unknown list."""
        aid, starts, lvl_over = self.nums[num_id]
        levels = dict(self.levels(aid))
        levels.update(lvl_over)
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(aid, {})
        if num_id not in self.applied_overrides:
            self.applied_overrides.add(num_id)
            for il, st in starts.items():
                counts[il] = st - 1
                for deeper in [k for k in counts if k > il]:
                    del counts[deeper]
        lv = levels[ilvl]
        counts[ilvl] = counts.get(ilvl, lv.start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            restart = levels.get(deeper, Level()).restart
            if restart is None or (restart != 0 and ilvl < restart):
                del counts[deeper]
        if lv.fmt == "bullet":
            text = lv.text
            if not text or any(0xF000 <= ord(c) <= 0xF0FF for c in text):
                text = "•"  # Symbol/Wingdings private-use glyphs
        else:
            text = lv.text
            for k in range(9, 0, -1):
                token = f"%{k}"
                if token in text:
                    ref = levels.get(k - 1, Level())
                    n = counts.get(k - 1, ref.start)
                    fmt = "decimal" if (lv.legal and k - 1 != ilvl) else ref.fmt
                    text = text.replace(token, format_number(n, fmt))
        if not text:
            return ""
        return text + ("" if lv.suffix == "nothing" else " ")


def _numpr(np_) -> tuple[str | None, int | None]:
    nid = np_.find(q("numId"))
    il = np_.find(q("ilvl"))
    return (nid.get(q("val")) if nid is not None else None,
            decimal_attr(il.get(q("val")), 0, 0, MAX_LEVEL) if il is not None else None)


def _level(lv) -> Level:
    def val(tag: str, default=None):
        el = lv.find(q(tag))
        return el.get(q("val"), default) if el is not None else default

    restart = val("lvlRestart")
    return Level(
        start=decimal_attr(val("start"), 1, 0, MAX_START),
        fmt=val("numFmt", "decimal"),
        text=val("lvlText", "") or "",
        restart=_restart(restart),
        legal=lv.find(q("isLgl")) is not None,
        suffix=val("suff", "tab"),
    )


def _restart(value: str | None) -> int | None:
    n = decimal_attr(value, -1, 0, MAX_LEVEL + 1) if value is not None else -1
    return None if n < 0 else n


def safe_xml_parser():
    """The lxml parser for every DOCX part (numbering, styles, document, headers)."""
    # no entity expansion, no network: DOCX parts are untrusted input
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
