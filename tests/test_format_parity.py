"""Format parity: the same order gives the same registry facts from every format.

The reference is always the extraction of the corpus text file itself (not
hard-coded values), so these tests follow the extractors as they improve.

- DOCX, PDF and the Windows-1251 text: same meta, touchpoints (name, channel,
  kind, need codes) and thresholds, per document, exactly.
- Scans (OCR): same meta of the order, same touchpoint channels and kinds, at
  least 95 % of touchpoint names equal after normalization, and never silently
  fewer rows (a missing row must come with a warning), for every order (the
  table of Северная Осетия 2026, the lists of the Дагестан order and draft).
  REGISTRY_QUICK_SCANS=1 scans only the first pages of the orders without a
  Перечень table; their touchpoint checks are then skipped.
"""

from __future__ import annotations

import os
import re
from collections import Counter

import pytest

from pipeline.readers.tesseract import tesseract_status
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import extract_cached, fixture_path

needs_tesseract = pytest.mark.skipif(not tesseract_status("tesseract", "rus")[0],
                                     reason="tesseract with rus data not installed (scripts/system-deps.sh)")

STEMS = {short: name.removesuffix(".txt") for short, name in ORDERS.items()}
META_FIELDS = ("doc_type", "agency", "region", "region_code", "date", "number", "place", "title",
               "signatory", "registration", "legal_basis")


def _clean(v):
    if isinstance(v, str):
        return " ".join(v.split())
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items() if k not in ("span", "sources", "spans")}
    if isinstance(v, list):
        return [_clean(x) for x in v]
    return v


def meta_view(doc) -> dict:
    m = doc.meta.model_dump()
    return {k: _clean(m.get(k)) for k in META_FIELDS}


def touchpoint_view(doc) -> list[tuple]:
    return [(" ".join(t.name.split()), t.channel, t.kind, tuple(t.need_codes)) for t in doc.touchpoints]


def threshold_view(doc) -> list[tuple]:
    return [(t.metric, t.value, t.unit, t.comparator) for r in doc.requirements for t in r.thresholds]


def reference(short: str):
    return extract_cached(str(CORPUS / ORDERS[short]))


def _doc_views(ex) -> list[dict]:
    return [{"kind": d.kind, "meta": meta_view(d), "touchpoints": touchpoint_view(d), "thresholds": threshold_view(d)}
            for d in ex.documents]


@pytest.mark.parametrize("fmt,kind,ext", [("docx", "docx", "docx"), ("pdf", "pdf", "pdf"), ("cp1251", "cp1251", "txt")])
@pytest.mark.parametrize("short", list(ORDERS))
def test_born_digital_formats_match_text(short, fmt, kind, ext):
    ref = reference(short)
    got = extract_cached(str(fixture_path(kind, STEMS[short], ext)))
    assert got.source.format == ("txt" if fmt == "cp1251" else fmt)
    want_views, got_views = _doc_views(ref), _doc_views(got)
    assert [v["kind"] for v in got_views] == [v["kind"] for v in want_views], "documents found in the file differ"
    for i, (w, g) in enumerate(zip(want_views, got_views)):
        assert g["meta"] == w["meta"], f"document {i + 1}: meta differs"
        assert g["touchpoints"] == w["touchpoints"], f"document {i + 1}: touchpoints differ"
        assert g["thresholds"] == w["thresholds"], f"document {i + 1}: thresholds differ"


def norm_name(s: str) -> str:
    s = s.lower().replace("ё", "е")
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


@needs_tesseract
@pytest.mark.parametrize("short", list(ORDERS))
def test_scan_meta_matches_text(short):
    ref = reference(short)
    got = extract_cached(str(fixture_path("scan", STEMS[short], "pdf")))
    assert got.source.ocr is True
    assert got.documents, "no document found in the scan"
    assert meta_view(got.documents[0]) == meta_view(ref.documents[0])


@needs_tesseract
@pytest.mark.parametrize("short", list(ORDERS))
def test_scan_touchpoints_match_text(short):
    if short != "ossetia_2026" and os.environ.get("REGISTRY_QUICK_SCANS") == "1":
        pytest.skip("quick scans: only the first pages of this order were scanned")
    ref = reference(short)
    got = extract_cached(str(fixture_path("scan", STEMS[short], "pdf")))
    want = [t for d in ref.documents for t in d.touchpoints]
    have = [t for d in got.documents for t in d.touchpoints]
    if len(have) < len(want):
        unread = [w for w in got.warnings + [w for d in got.documents for w in d.warnings] if "row" in w.message]
        assert unread, f"scan gave {len(have)} touchpoints for {len(want)} without a warning"
    assert len(have) >= len(want) or len(want) - len(have) <= len(want) * 0.05
    assert Counter((t.channel, t.kind) for t in have) == Counter((t.channel, t.kind) for t in want)
    same = sum(norm_name(a.name) == norm_name(b.name) for a, b in zip(want, have))
    assert same >= 0.95 * len(want), f"only {same} of {len(want)} touchpoint names read exactly"
