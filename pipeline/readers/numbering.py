"""Word automatic numbering: the labels Word prints but python-docx does not give.

A numbered paragraph carries ``w:numPr`` (numId, ilvl), directly or through its
style. ``numId`` → ``w:num`` → ``w:abstractNum`` → ``w:lvl`` gives the format
(``numFmt``), the label template (``lvlText`` like ``"%1.%2."``), ``start`` and
``lvlRestart``; a ``w:num`` may restart a level with ``startOverride``.

Counting follows Word: counters belong to the abstract list, so two ``w:num``
pointing at the same abstractNum continue one list, unless the second one
carries a ``startOverride`` (that is how Word writes "restart numbering").

>>> format_number(10, "russianLower")   # Word skips й: … и, к, л
'к'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Word's russianLower/russianUpper sequence: no ё, й, ъ, ы, ь.
RUSSIAN_LOWER = "абвгдежзиклмнопрстуфхцчшщэюя"


def _letters(n: int, alphabet: str) -> str:
    # Word repeats the letter after the alphabet ends: a … z, aa … zz, aaa …
    n = max(n, 1)
    k = len(alphabet)
    return alphabet[(n - 1) % k] * ((n - 1) // k + 1)


def _roman(n: int) -> str:
    vals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


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
                    il = int(ov.get(q("ilvl"), "0"))
                    so = ov.find(q("startOverride"))
                    if so is not None:
                        starts[il] = int(so.get(q("val"), "1"))
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
            self.abstract[aid] = {int(lv.get(q("ilvl"), "0")): _level(lv) for lv in an.findall(q("lvl"))}
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
            int(il.get(q("val"), "0")) if il is not None else None)


def _level(lv) -> Level:
    def val(tag: str, default=None):
        el = lv.find(q(tag))
        return el.get(q("val"), default) if el is not None else default

    restart = val("lvlRestart")
    return Level(
        start=int(val("start", "1")),
        fmt=val("numFmt", "decimal"),
        text=val("lvlText", "") or "",
        restart=int(restart) if restart is not None else None,
        legal=lv.find(q("isLgl")) is not None,
        suffix=val("suff", "tab"),
    )


def safe_xml_parser():
    """The lxml parser for every DOCX part (numbering, styles, document, headers)."""
    # no entity expansion, no network: DOCX parts are untrusted input
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
