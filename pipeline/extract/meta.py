"""Header facts of a document (doc type, agency, region, date, number, …)."""

from __future__ import annotations


def extract(ctx) -> None:
    ctx.doc.meta.doc_type = ctx.sl.doc_type
