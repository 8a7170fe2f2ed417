"""Where a document sits in the registry: its agency and its date among the
agency's versions.

The agency is decided once, at extraction (``meta.agency_key``, filled by
:mod:`pipeline.extract.link`); the store, the comparison and the report read
it here instead of deciding it again. An extraction written before that field
was filled falls back to the old rule (the key of the printed name, borrowed
from another document of the same file, else ``file:<stem>``) so it still
lands with its agency.

Example::

    >>> ex = load_extraction("outputs/dagestan-industry-trade-ministry-2024-09-27-154-od.json")
    >>> [(d.kind, sort_date(ex, d)) for d in ex.documents]
    [('order', '2024-09-27'), ('memo', '2024-09-27'), ('draft', '2024-09-27')]
    >>> agency_of(ex, ex.documents[2])
    'министерство промышленность и торговля республика дагестан'
"""

from __future__ import annotations

from pipeline.agency import document_agency_key
from pipeline.models import Document, Extraction

VERSIONED_KINDS = ("order", "draft", "appendix")  # memos are stored but are not versions of an act
# what a signed act gives: its order, or an appendix of it published alone (it carries the order's requisites)
SIGNED_KINDS = ("order", "appendix")
UNDATED = "9999-12-31"                # sorts after every dated version


def agency_of(ex: Extraction, doc: Document) -> str:
    """The document's agency key: the one decided at extraction, else the old rule."""
    return doc.meta.agency_key or document_agency_key(ex, doc)


def sort_date(ex: Extraction, doc: Document) -> str:
    """Date used to order versions: the document's own date; for an undated
    draft the date of the file's dated act (a draft filed with its order sits
    next to it); '9999-12-31' when nothing in the file is dated."""
    if doc.meta.date:
        return doc.meta.date
    dated = [d.meta.date for d in ex.documents if d.meta.date and d.kind == "order"]
    return max(dated) if dated else UNDATED
