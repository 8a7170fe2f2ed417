"""Bad input: one clear error naming the file, never a traceback."""

import pytest

from pipeline.errors import CorruptFile, EmptyInput, NoOrderFound, PipelineError, TooLarge, UnsupportedFormat
from pipeline.jsonio import write_atomic
from pipeline.run import extract_file, process_one
from tests.conftest import CORPUS, ORDERS


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(EmptyInput, match="empty.txt: empty file"):
        extract_file(p)


def test_whitespace_only_file(tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text("\n\n   \n")
    with pytest.raises(EmptyInput, match="no text"):
        extract_file(p)


def test_binary_junk_with_unknown_extension(tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(UnsupportedFormat, match="data.bin: unknown format"):
        extract_file(p)


def test_binary_junk_named_txt(tmp_path):
    p = tmp_path / "junk.txt"
    p.write_bytes(bytes(range(1, 32)) * 200)
    with pytest.raises(CorruptFile, match="junk.txt"):
        extract_file(p)


def test_text_without_an_order(tmp_path):
    p = tmp_path / "letter.txt"
    p.write_text("Уважаемые коллеги!\n\nНаправляем вам информацию о проведении совещания.\n", encoding="utf-8")
    with pytest.raises(NoOrderFound, match="letter.txt: no act found: looked for a doc-type line"):
        extract_file(p)


def test_huge_file(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(201 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(TooLarge, match="huge.txt: file is 201 MiB"):
        extract_file(p)


# utf-16-le / -be: Windows "Unicode" text without a BOM (was refused as binary)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_other_encodings_give_the_same_meta(tmp_path, encoding, corpus):
    text = (CORPUS / ORDERS["sakhalin"]).read_text(encoding="utf-8")
    p = tmp_path / f"sakhalin-{encoding}.txt"
    if encoding == "koi8_r":  # KOI8-R has no №, «» or long dashes: typists write N, " and -
        text = text.translate(str.maketrans({"№": "N", "«": '"', "»": '"', "–": "-", "—": "-"}))
    p.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    ex = extract_file(p)
    ref = corpus("sakhalin").documents[0]
    fields = {"doc_type", "agency", "region", "region_code", "date", "number", "place", "signatory"}
    assert ex.documents[0].meta.model_dump(include=fields) == ref.meta.model_dump(include=fields)
    assert len(ex.documents[0].requirements) == len(ref.requirements)


def test_error_lines_are_one_line(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    res = process_one(p, tmp_path / "out.json")
    assert res.status == "failed" and "\n" not in res.error and str(p) in res.error
    assert not (tmp_path / "out.json").exists()


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "x.json"
    write_atomic(target, "old\n")

    class Boom(Exception):
        pass

    import os
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(Boom()))
    with pytest.raises(Boom):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]  # no temp file left


def test_every_library_error_names_its_file(tmp_path):
    err = PipelineError(tmp_path / "a.txt", "something is off", hint="do this")
    assert err.one_line() == f"{tmp_path / 'a.txt'}: something is off (do this)"
