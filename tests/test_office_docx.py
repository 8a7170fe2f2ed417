"""Orders as offices make them: the same facts as the txt, from every office format.

The fixtures (tests/fixtures/make_office.py) lay each corpus order out the way
regional templates do — "different first page" with a PAGE field in the
default header, the letterhead in a two-cell table / the first-page header /
a text box / a frame, signatures in borderless tables, approval stamps in text
boxes and right-hand cells — and LibreOffice saves them as DOCX, .doc and .rtf.

For every corpus order and each of:
  office/<stem>.docx   Word-style DOCX from our writer
  lo/<stem>.docx       that file saved by LibreOffice
  lo/<stem>.doc        saved by LibreOffice as Word 97, read through LibreOffice
  lo/<stem>.rtf        saved by LibreOffice as RTF, read through LibreOffice
the documents found, their meta, touchpoints, requirements with thresholds,
definitions and working group equal the extraction of the corpus txt.
"""

from __future__ import annotations

import pytest

from pipeline.readers.legacy import soffice
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import extract_cached, fixture_path, formats  # noqa: F401 - session fixture
from tests.test_format_parity import meta_view, touchpoint_view

STEMS = {short: name.removesuffix(".txt") for short, name in ORDERS.items()}
needs_lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (scripts/system-deps.sh installs it)")

KINDS = [
    pytest.param("office", "docx", id="docx-word"),
    pytest.param("lo", "docx", id="docx-libreoffice", marks=needs_lo),
    pytest.param("lo", "doc", id="doc", marks=needs_lo),
    pytest.param("lo", "rtf", id="rtf", marks=needs_lo),
]


def _s(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def facts(doc) -> dict:
    """What must not depend on the file format, spans left out."""
    return {
        "kind": doc.kind,
        "meta": meta_view(doc),
        "touchpoints": touchpoint_view(doc),
        "requirements": [(r.clause, r.channel, _s(r.text),
                          [(t.metric, t.value, t.unit, t.comparator, _s(t.condition)) for t in r.thresholds])
                         for r in doc.requirements],
        "definitions": [(_s(d.term), d.aliases, d.key, _s(d.definition), d.clause) for d in doc.definitions],
        "working_group": [(_s(m.name), _s(m.position), m.role) for m in doc.working_group],
    }


def differences(want, got) -> list[str]:
    """Readable differences between two extractions, per document and field."""
    w, g = [facts(d) for d in want.documents], [facts(d) for d in got.documents]
    if [d["kind"] for d in w] != [d["kind"] for d in g]:
        return [f"documents: {[d['kind'] for d in g]} instead of {[d['kind'] for d in w]}"]
    out = []
    for i, (a, b) in enumerate(zip(w, g), 1):
        for field in a:
            if a[field] != b[field]:
                out.append(f"document {i} {field}: {b[field]!r} instead of {a[field]!r}"[:600])
    return out


@pytest.mark.parametrize("kind,ext", KINDS)
@pytest.mark.parametrize("short", list(ORDERS))
def test_office_formats_give_the_txt_facts(short, kind, ext, formats):  # noqa: F811 - the session fixture
    path = fixture_path(kind, STEMS[short], ext)
    if not path.exists():
        pytest.skip(f"{path.name} was not built (LibreOffice missing when the fixtures were made)")
    ref = extract_cached(str(CORPUS / ORDERS[short]))
    got = extract_cached(str(path))
    assert got.source.format == "docx"
    assert got.source.reader == ("docx" if ext == "docx" else "libreoffice+docx")
    assert differences(ref, got) == []
