"""Links from the report back to the sources.

A value's :class:`pipeline.report.tables.Src` becomes

- the review page's address when the report is given one
  (``registry compare --review-url http://127.0.0.1:8765``: the value opens
  at ``/doc/{sha256}/{doc_id}#L{line}`` of ``registry review``; a full
  template with ``{sha256}``, ``{doc_id}``, ``{line}``, ``{page}``,
  ``{path}`` is used as given), so a link opens the document view at the
  value while the review server runs;
- otherwise the source file, **relative to the report** (a report copied
  together with its sources keeps working), with ``#page=N`` for PDFs and
  scans (browsers' PDF viewers open that page) and the RFC 5147 fragment
  ``#line=N-1,N`` for text (line N; the link text says «стр. N»). A source on
  another drive than the report gets an absolute ``file:`` address.

Example::

    >>> Linker(Path("outputs/report")).href(Src("corpus/a.txt", "d1", line=415))
    '../../corpus/a.txt#line=414,415'
    >>> Linker(Path("r"), "http://127.0.0.1:8765").href(Src("a.pdf", "d1", 3, 2, "ab12"))
    'http://127.0.0.1:8765/doc/ab12/d1#L3'
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from pipeline.report.tables import Src


class Linker:
    def __init__(self, out_dir: Path, review_url: str | None = None, base: Path | None = None):
        self.out_dir = Path(out_dir).resolve()
        if review_url and "{" not in review_url:
            review_url = review_url.rstrip("/") + "/doc/{sha256}/{doc_id}#L{line}"
        self.review_url = review_url
        self.base = base or Path.cwd()
        self._paths: dict[str, str] = {}

    def path(self, source: str) -> str:
        """The source file's address relative to the report (absolute ``file:`` across drives)."""
        if source not in self._paths:
            target = Path(source)
            if not target.is_absolute():
                target = self.base / target
            try:
                rel = os.path.relpath(target, self.out_dir)
                self._paths[source] = quote(Path(rel).as_posix(), safe="/.-_~")
            except ValueError:
                self._paths[source] = target.as_uri()
        return self._paths[source]

    def href(self, src: Src | None) -> str | None:
        if src is None:
            return None
        if self.review_url and src.sha256:
            return self.review_url.format(sha256=src.sha256 or "", doc_id=src.doc_id or "", line=src.line or "",
                                          page=src.page or "", path=quote(src.path, safe=""))
        url = self.path(src.path)
        if src.page and src.fmt in ("pdf", "image"):
            return f"{url}#page={src.page}"
        if src.line:
            return f"{url}#line={src.line - 1},{src.line}"
        return url


def src_of(ex, doc=None, span=None) -> Src:
    """The Src of a value: its extraction, document and span."""
    return Src(ex.source.path, doc.id if doc is not None else None, span.line if span else None,
               span.page if span else None, ex.source.sha256, ex.source.format)
