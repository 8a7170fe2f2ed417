"""The one extraction loader (pipeline.jsonio) and the agency identity the
store and the comparison read (pipeline.identity)."""

from __future__ import annotations

import json

import pytest

from pipeline.errors import CorruptFile, PipelineError
from pipeline.identity import agency_of
from pipeline.jsonio import first_error, load_extraction, to_json
from pipeline.store import Store


def test_loader_round_trip(corpus, tmp_path):
    path = tmp_path / "x.json"
    path.write_text(to_json(corpus("dagestan")), encoding="utf-8")
    assert load_extraction(path) == corpus("dagestan")


@pytest.mark.parametrize("content,error,reason", [
    (None, PipelineError, "no such file"),
    ("garbage", CorruptFile, "not a JSON file"),
    ('{"a": 1}', CorruptFile, "not an extraction JSON (2 schema errors)"),
])
def test_loader_errors_name_the_file_and_the_reason(tmp_path, content, error, reason):
    path = tmp_path / "x.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error) as info:
        load_extraction(path)
    assert info.value.one_line() == f"{path}: {reason}"


def test_first_error_reads_through_the_loader_error(corpus, tmp_path):
    data = json.loads(to_json(corpus("altai")))
    data["documents"][0]["retired_field"] = 1
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CorruptFile) as info:
        load_extraction(path)
    assert first_error(info.value) == "documents.0.retired_field: Extra inputs are not permitted"


def test_agency_is_the_key_decided_at_extraction(corpus, tmp_path):
    ex = corpus("sakhalin").model_copy(deep=True)
    ex.documents[0].meta.agency_key = "decided at extraction"
    with Store.open(tmp_path / "r.sqlite") as store:
        store.add(ex)
        assert [a.agency_key for a in store.agencies()] == ["decided at extraction"]


def test_agency_falls_back_to_the_printed_name_when_the_key_is_missing(corpus):
    ex = corpus("dagestan").model_copy(deep=True)
    keys = [agency_of(ex, d) for d in ex.documents]
    for d in ex.documents:
        d.meta.agency_key = None
    assert [agency_of(ex, d) for d in ex.documents] == keys
    for d in ex.documents:
        d.meta.agency = None
    assert {agency_of(ex, d) for d in ex.documents} == {"file:dagestan-industry-trade-ministry-2024-09-27-154-od"}
