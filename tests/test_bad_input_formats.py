"""Bad input in the new formats: one clear line naming the file, and the batch goes on."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from pipeline.errors import CorruptFile, EmptyInput, EncryptedFile, MissingDependency, TooLarge
from pipeline.readers import read_file
from pipeline.readers.legacy import soffice
from pipeline.run import run_batch
from tests.conftest_formats import extra, formats  # noqa: F401 - session fixture


@pytest.mark.parametrize("name,error,words", [
    ("encrypted.pdf", EncryptedFile, "encrypted"),
    ("no-pages.pdf", EmptyInput, "no pages"),
    ("bad-zip.docx", CorruptFile, "broken zip"),
    ("no-document.docx", CorruptFile, "no word/document.xml"),
    ("bomb.docx", TooLarge, "zip bomb"),
])
def test_clear_error_naming_the_file(name, error, words, formats):
    t = time.perf_counter()
    with pytest.raises(error) as e:
        read_file(extra(name))
    line = e.value.one_line()
    assert name in line and words in line and "\n" not in line
    assert time.perf_counter() - t < 5, "bad input must be refused before any heavy work"


def test_zip_bomb_is_refused_without_inflating(formats):
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(TooLarge):
        read_file(extra("bomb.docx"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the 300 MiB part was never read


def test_long_pdf_reports_progress_with_bounded_memory(formats, tmp_path):
    """60 pages: every page reported; the reader's peak stays small (run in a child
    process so the measurement is its own)."""
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from pipeline.readers import read_file\n"
        "seen = []\n"
        "src = read_file(sys.argv[1], on_page=lambda d, t: seen.append((d, t)))\n"
        # VmHWM is this process's own peak; ru_maxrss would carry over the forked
        # parent's (the whole pytest process) across exec on Linux
        "hwm = next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM'))\n"
        "print(json.dumps({'pages': src.pages, 'seen': len(seen), 'last': seen[-1], 'rss_mb': hwm / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(extra("long.pdf"))], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout.strip().splitlines()[-1])
    assert res["pages"] == 60 and res["seen"] == 60 and res["last"] == [60, 60]
    assert res["rss_mb"] < 400, f"peak RSS {res['rss_mb']:.0f} MB for a 60-page PDF"


def test_batch_goes_on_after_bad_files(tmp_path, formats):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("encrypted.pdf", "no-pages.pdf", "bad-zip.docx", "bomb.docx", "no-document.docx"):
        shutil.copy(extra(name), inputs / name)
    shutil.copy(extra("altai-utf8-bom.txt"), inputs / "good.txt")
    summary = run_batch([inputs], tmp_path / "out")
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in summary.results}
    assert by_name["good.txt"].status == "ok"
    failed = [r for r in summary.results if r.status == "failed"]
    assert len(failed) == 5
    for r in failed:
        assert r.error and r.path.rsplit("/", 1)[-1] in r.error and "\n" not in r.error
    assert (tmp_path / "out" / "good.json").exists()


def test_legacy_format_without_libreoffice_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("REGISTRY_SOFFICE", "/nonexistent/soffice")
    f = tmp_path / "order.rtf"
    f.write_text("{\\rtf1\\ansi ПРИКАЗ}", encoding="utf-8")
    with pytest.raises(MissingDependency) as e:
        read_file(f)
    assert "order.rtf" in e.value.one_line() and "libreoffice" in e.value.one_line().lower()


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed (scripts/system-deps.sh installs it)")
def test_rtf_is_converted_through_libreoffice(tmp_path):
    def rtf_text(s: str) -> str:
        return "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in s)

    body = "\\par ".join(rtf_text(s) for s in ["ПРИКАЗ", "от 18.01.2024 № 1-3.11-24/24", "Об утверждении Порядка"])
    f = tmp_path / "order.rtf"
    f.write_text("{\\rtf1\\ansi\\deff0 " + body + "}", encoding="ascii")
    src = read_file(f)
    assert src.format == "docx" and src.reader == "libreoffice+docx"
    assert [ln.text for ln in src.lines if ln.text] == ["ПРИКАЗ", "от 18.01.2024 № 1-3.11-24/24", "Об утверждении Порядка"]
