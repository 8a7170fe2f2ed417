"""The corrections overlay (pipeline.review): applied, stale, re-attached or
orphaned against a re-extraction; kept in the store; exported and imported;
read by the reviewed registry. On the real Северная Осетия 2026 order."""

from __future__ import annotations

import json

import pytest

from pipeline.models import Extraction
from pipeline.review import actions
from pipeline.review.book import Book, ReviewError
from pipeline.review.overlay import APPLIED, MATCHES, ORPHANED, OVERRIDDEN, STALE, Correction, apply, resolve
from pipeline.review.registry import overlay_document, reviewed_registry, reviewed_thresholds
from pipeline.store import Store


@pytest.fixture
def ossetia(corpus):
    return corpus("ossetia_2026")


def _doc(ex: Extraction):
    return ex.documents[0]


def _edit(doc, path, values, comment=None):
    ov = apply(doc, [])
    new, _ = actions.build({"action": "edit", "path": path, "values": values, "comment": comment}, doc, ov, [], "аналитик")
    return new


def test_edit_of_a_channel_is_applied_and_marked(ossetia):
    doc = _doc(ossetia)
    tp = doc.touchpoints[2]
    assert (tp.name, tp.channel) == ("Каналы и публичные чаты Комитета в мессенджерах", "messenger")
    [c] = _edit(doc, "touchpoints[2]", {"channel": "social_network"}, "это сообщество, не мессенджер")
    assert (c.path, c.old, c.new, c.anchors[0]["raw"]) == ("touchpoints[2].channel", "messenger", "social_network", tp.name_raw)
    ov = apply(doc, [c])
    assert ov.doc.touchpoints[2].channel == "social_network"
    assert doc.touchpoints[2].channel == "messenger"  # the extraction itself is never edited
    assert ov.fields_corrected("touchpoints[2]") == ["channel"]
    assert [r.status for r in ov.resolved] == [APPLIED]


def test_threshold_value_and_unit_are_checked_against_the_vocabulary(ossetia):
    doc = _doc(ossetia)
    th_path = next(f"requirements[{i}].thresholds[0]" for i, r in enumerate(doc.requirements) if r.thresholds)
    new = _edit(doc, th_path, {"value": "3", "unit": "hour"})
    assert [(c.path.rsplit(".", 1)[1], c.old, c.new) for c in new] == [("value", 4.0, 3.0)]
    with pytest.raises(actions.ActionError, match="нужно число"):
        _edit(doc, th_path, {"value": "четыре"})
    with pytest.raises(actions.ActionError, match="нет кода"):
        _edit(doc, th_path, {"unit": "fortnight"})
    with pytest.raises(actions.ActionError, match="ГГГГ-ММ-ДД"):
        _edit(doc, "meta.date", {"value": "23.03.2026"})


def test_a_correction_follows_its_row_when_rows_move(ossetia):
    doc = _doc(ossetia)
    [c] = _edit(doc, "touchpoints[2]", {"channel": "social_network"})
    data = doc.model_dump(mode="json")
    data["touchpoints"].insert(0, {**data["touchpoints"][5], "name_raw": "Новая строка", "name": "Новая строка"})
    [r] = resolve(data, [c])
    assert (r.status, r.target) == (APPLIED, "touchpoints[3].channel")


def test_changed_value_makes_a_correction_stale_and_a_vanished_row_orphaned(ossetia):
    doc = _doc(ossetia)
    [c] = _edit(doc, "touchpoints[2]", {"channel": "social_network"})
    data = doc.model_dump(mode="json")
    data["touchpoints"][2]["channel"] = "chatbot"  # a newer extractor reads it differently
    [r] = resolve(data, [c])
    assert (r.status, r.current) == (STALE, "chatbot")
    data["touchpoints"][2]["channel"] = "social_network"  # … or now reads it as the analyst did
    assert resolve(data, [c])[0].status == MATCHES
    del data["touchpoints"][2]
    assert resolve(data, [c])[0].status == ORPHANED
    ov = apply(doc.model_validate(data), [c])
    assert [t.channel for t in ov.doc.touchpoints] == [t["channel"] for t in data["touchpoints"]]  # never applied


def test_later_correction_wins_and_reject_and_add(ossetia):
    doc = _doc(ossetia)
    a = _edit(doc, "touchpoints[0]", {"channel": "email"})[0]
    a.created_at, a.id = "2026-01-01T00:00:00", 1
    b = Correction(**{**a.__dict__, "new": "website", "created_at": "2026-01-02T00:00:00", "id": 2})
    rej = actions.build({"action": "reject", "path": "touchpoints[13]"}, doc, apply(doc, []), [], None)[0][0]
    lines = [{"no": 171, "start": 11000, "end": 11100, "page": None, "bbox": None}]
    add = actions.build({"action": "add", "collection": "touchpoints", "values": {"channel": "website"},
                         "text": "Официальный сайт Комитета", "span": {"start": 11010, "end": 11030}},
                        doc, apply(doc, []), lines, None)[0][0]
    ov = apply(doc, [a, b, rej, add])
    status = {id(r.correction): r.status for r in ov.resolved}
    assert [status[id(c)] for c in (a, b, rej, add)] == [OVERRIDDEN, APPLIED, APPLIED, APPLIED]
    assert ov.doc.touchpoints[0].channel == "website"
    assert len(ov.doc.touchpoints) == 14  # one rejected, one added
    assert "Телефонная связь" not in [t.name for t in ov.doc.touchpoints]
    added = ov.doc.touchpoints[-1]
    assert (added.name, added.channel, added.span.line, added.span.start) == ("Официальный сайт Комитета", "website", 171, 11010)


@pytest.fixture
def store(tmp_path, ossetia):
    s = Store.open(tmp_path / "registry.sqlite")
    s.add(ossetia, path="/data/north-ossetia-2026.txt")
    yield s
    s.close()


def _first(store):
    r = store.conn.execute("SELECT id, extraction_id FROM documents").fetchone()
    ex = next(ex for i, ex in store.extractions() if i == r["extraction_id"])
    return r["extraction_id"], ex.documents[0]


def test_corrections_survive_re_extraction_and_reach_the_registry(store, ossetia):
    ext_id, doc = _first(store)
    book = Book(store)
    f = book.file_row(ext_id)
    th_path = next(f"requirements[{i}].thresholds[0]" for i, r in enumerate(doc.requirements) if r.thresholds)
    for c in _edit(doc, "touchpoints[2]", {"channel": "social_network"}) + _edit(doc, th_path, {"value": "3"}):
        book.add(c, f, doc)
    assert book.status(f.sha256, doc.id) == "in_progress"
    store.add(ossetia, path="/data/north-ossetia-2026.txt")  # ingest --force: a new extraction, the old superseded
    new_ext = store.conn.execute("SELECT MAX(id) FROM extractions").fetchone()[0]
    ov = overlay_document(store, new_ext, doc)
    assert [r.status for r in ov.resolved] == [APPLIED, APPLIED]
    rows = [r for r in reviewed_registry(store) if r["corrected"]]
    assert [(r["name"], r["channel"], r["corrected"]) for r in rows] == [
        ("Каналы и публичные чаты Комитета в мессенджерах", "social_network", "channel")]
    ths = [(t["metric"], t["value"], t["unit"], t["corrected"]) for t in reviewed_thresholds(store)]
    assert ("response_time", 3.0, "hour", "value") in ths and ("response_time", 2.0, "hour", "") in ths


def test_changed_file_carries_corrections_over(store, ossetia):
    ext_id, doc = _first(store)
    book = Book(store)
    [c] = _edit(doc, "touchpoints[2]", {"channel": "social_network"})
    book.add(c, book.file_row(ext_id), doc)
    changed = ossetia.model_copy(deep=True)
    changed.source.sha256 = "0" * 64
    changed.documents[0].touchpoints.insert(0, changed.documents[0].touchpoints[5].model_copy(update={"name_raw": "Сайт"}))
    store.add(changed, path="/data/north-ossetia-2026.txt")
    new_ext = store.conn.execute("SELECT MAX(id) FROM extractions").fetchone()[0]
    ov = overlay_document(store, new_ext, changed.documents[0])
    assert [(r.status, r.target) for r in ov.resolved] == [(APPLIED, "touchpoints[3].channel")]
    # the superseded version keeps its own corrections only
    assert [r.status for r in overlay_document(store, ext_id, doc).resolved] == [APPLIED]


def test_export_import_round_trip_is_idempotent(store, tmp_path, ossetia):
    ext_id, doc = _first(store)
    book = Book(store)
    [c] = _edit(doc, "touchpoints[2]", {"channel": "social_network"}, "комментарий")
    book.add(c, book.file_row(ext_id), doc)
    book.set_status(book.file_row(ext_id).sha256, doc.id, "done", "аналитик")
    data = json.loads(json.dumps(book.export()))
    other = Store.open(tmp_path / "other.sqlite")
    other.add(ossetia, path="/elsewhere/ossetia.txt")  # another machine: another path, same content
    assert Book(other).import_(data) == {"added": 1, "unchanged": 0, "withdrawn": 0, "statuses": 1}
    assert Book(other).import_(data) == {"added": 0, "unchanged": 1, "withdrawn": 0, "statuses": 0}
    assert [r["channel"] for r in reviewed_registry(other) if r["corrected"]] == ["social_network"]
    assert Book(other).status(ossetia.source.sha256, "d1") == "done"
    book.withdraw(c.id, "аналитик")
    assert Book(other).import_(book.export())["withdrawn"] == 1
    assert not [r for r in reviewed_registry(other) if r["corrected"]]
    with pytest.raises(ReviewError):
        Book(other).import_({"format": "something else"})
    other.close()


def test_reviewed_registry_equals_current_registry_without_corrections(store):
    assert [{k: v for k, v in r.items() if k != "corrected"} for r in reviewed_registry(store)] == store.current_registry()
    assert [{k: v for k, v in r.items() if k != "corrected"} for r in reviewed_thresholds(store)] == store.current_thresholds()
