"""Hostile inputs through `registry extract`, alone and mixed into a batch with a
good order: one line naming the file and the reason, the right exit code, the
good file's output intact, and time and memory bounded.

Each run is a child process under RLIMIT_AS (:data:`MEMORY_BYTES`) with a wall
timeout (:data:`WALL_S`); its peak RSS is read from ``wait4``. The cases are
generated into a temporary folder by ``tests/hostile/make_cases.py``. The
bounds are loose on purpose (a loaded 2-core CI machine, a cold interpreter
of ~3 s): before the fixes these inputs ran past 10 GB or many minutes.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.hostile.make_cases import GOOD, build

REGISTRY = Path(sys.executable).with_name("registry")
MEMORY_BYTES = 3 * 1024**3  # RLIMIT_AS of the child: well above a normal run's ~0.4 GB of address space
WALL_S = 90  # per run; a normal order takes 3–10 s here, cold start included
RSS_MB = 1024  # peak resident memory of the whole run


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def run_extract(paths: list[Path], out: Path) -> tuple[int, str, float, float]:
    """`registry extract PATHS -o OUT` under limits → (exit code, output, seconds, peak RSS MB).

    The child is reaped here with ``wait4``, whose resource usage is that run's
    alone (its workers included); RUSAGE_CHILDREN would carry the peak of any
    earlier child of the test session."""
    t = time.monotonic()
    proc = subprocess.Popen([str(REGISTRY), "extract", *map(str, paths), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_limits,
                            start_new_session=True, text=True)
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()), daemon=True)
    reader.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - t > WALL_S:
            os.killpg(proc.pid, 9)
            os.wait4(proc.pid, 0)
            pytest.fail(f"registry extract {[p.name for p in paths]} ran over {WALL_S} s")
        time.sleep(0.02)
    seconds = time.monotonic() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(30)
    proc.stdout.close()
    return proc.returncode, "".join(chunks), seconds, usage.ru_maxrss / 1024


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile"))


def _line(output: str, name: str) -> str:
    lines = [s for s in output.splitlines() if name in s and (s.startswith("failed:") or s.startswith("ok:"))]
    assert len(lines) == 1, f"one line for {name} expected in:\n{output}"
    return lines[0]


# name → (exit code alone, words of its one line)
EXPECTED = {
    "docx-roman-1e12": (0, ["ok:"]),
    "docx-russian-3e9": (0, ["ok:"]),
    "docx-letter-override": (0, ["ok:"]),
    "docx-start-garbage": (0, ["ok:"]),
    "docx-gridspan": (0, ["ok:"]),
    "docx-gridbefore": (0, ["ok:"]),
    "docx-wide-grid": (0, ["ok:"]),
    "docx-controls": (0, ["ok:"]),
    "docx-field-bomb": (0, ["ok:"]),
    "text-controls": (0, ["ok:"]),
    "pdf-huge-page": (1, ["page 1 is 14,400 × 14,400 pt", "too large for OCR (limit 60 megapixels)"]),
    "pdf-user-unit": (1, ["page 1 is 1,080,000 × 1,080,000 pt", "too large for OCR (limit 60 megapixels)"]),
    "pdf-large-image": (1, ["20,000 × 20,000-pixel image (400 megapixels)", "too large for OCR (limit 60 megapixels)"]),
    "pdf-many-pages": (1, ["200,000 pages, too large for one order (limit 1,000 pages)"]),
    "text-150mb": (1, ["text of at least 39,324,351 characters, too large for one input (limit 10,000,000 characters)"]),
    "text-1mb": (0, ["ok:", "41 documents"]),
    "empty": (1, ["empty file"]),
    "binary": (1, ["binary content"]),
    "wrong-encoding": (1, ["no act found"]),  # Greek cp1253 decodes as (meaningless) cp1251: no act in it
    "corrupt-docx": (1, ["not a valid DOCX"]),
    "encrypted-docx": (1, ["password protected"]),
}


# refused from sizes read before any page or pixel is (before: 267 s for 200,000 pages, 12 GB for the 14,400-pt page)
QUICK_S = {"pdf-many-pages": 30, "pdf-huge-page": 30, "pdf-user-unit": 30, "pdf-large-image": 30, "text-150mb": 30}


# run alone too: the cases that once ran away (the others are checked in the batch run only)
ALONE = ["docx-roman-1e12", "docx-russian-3e9", "docx-gridspan", "docx-wide-grid", "pdf-huge-page", "pdf-large-image",
         "pdf-many-pages", "text-150mb"]


@pytest.mark.parametrize("name", ALONE)
def test_alone(name, cases, tmp_path):
    path = cases[name]
    rc, output, seconds, rss_mb = run_extract([path], tmp_path / "out")
    code, words = EXPECTED[name]
    line = _line(output, path.name)
    assert rc == code, output
    for w in words:
        assert w in line, line
    assert "Traceback" not in output
    assert seconds < QUICK_S.get(name, WALL_S), f"{seconds:.0f} s"
    assert rss_mb < RSS_MB, f"peak RSS {rss_mb:.0f} MB"


def test_mixed_into_a_batch_with_a_good_order(cases, tmp_path):
    """Every hostile case and a corpus order in one folder: one line per bad file, the batch goes
    on, and the good order's JSON is the one it gets alone."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in EXPECTED:
        shutil.copy(cases[name], inputs / cases[name].name)
    shutil.copy(GOOD, inputs / GOOD.name)
    rc, output, seconds, rss_mb = run_extract([inputs], tmp_path / "out")
    assert rc == 1, output  # some inputs failed; the rest were written
    for name, (code, words) in EXPECTED.items():
        line = _line(output, cases[name].name)
        assert line.startswith("failed:" if code else "ok:") and all(w in line for w in words), line
        assert "\n" not in line
    assert _line(output, GOOD.name).startswith("ok:")
    alone = tmp_path / "alone"
    assert run_extract([GOOD], alone)[0] == 0
    ours, ref = (json.loads((d / f"{GOOD.stem}.json").read_text(encoding="utf-8")) for d in (tmp_path / "out", alone))
    assert ours["documents"] == ref["documents"] and ours["source"]["sha256"] == ref["source"]["sha256"]
    assert seconds < 3 * WALL_S and rss_mb < RSS_MB, (seconds, rss_mb)


def _labels(path: Path) -> list[str]:
    from pipeline.readers import read_file

    clauses = ("Утвердить", "Ознакомить", "Контроль")
    return [ln.text.split(") ")[0] for ln in read_file(path).lines if ln.text.split(") ")[-1].startswith(clauses)]


def test_numbering_labels_stay_short(cases):
    """Labels past Word's range are bounded: the start is clamped to 32767, letters repeat at most
    30 times, Roman numerals print at most 32 thousands."""
    assert _labels(cases["docx-roman-1e12"]) == ["m" * 32 + "dcclxvii", "m" * 32 + "dcclxviii", "m" * 32 + "dcclxix"]
    # 32767 = 28 × 1170 + 7: the 7th letter of Word's Russian alphabet (ж), then з, и
    assert _labels(cases["docx-russian-3e9"]) == ["ж" * 30, "з" * 30, "и" * 30]
    assert _labels(cases["docx-letter-override"]) == ["G" * 30, "H" * 30, "I" * 30]
    assert _labels(cases["docx-start-garbage"]) == ["0", "1", "2"]  # start "x1" → 1, startOverride -7 → 0


def test_table_spans_are_clamped_to_the_grid(cases):
    from pipeline.readers import read_file

    src = read_file(cases["docx-gridspan"])
    rows = src.tables[0].rows
    assert len(rows[0]) == 63  # Word's last column
    assert rows[0][-1].text == "Официальный сайт цифровая получение информации"  # the cells past it joined, not lost
    assert any(w.code == "docx_table_clamped" for w in src.warnings)
    wide = read_file(cases["docx-wide-grid"])
    assert len(wide.tables[0].rows) == 2000 and len(wide.tables[0].rows[0]) == 63


@pytest.mark.parametrize("name", ["text-controls", "docx-controls"])
def test_control_characters_never_reach_the_json(name, cases, tmp_path):
    from pipeline.document import CONTROLS

    rc, output, _, _ = run_extract([cases[name]], tmp_path)
    assert rc == 0, output
    raw = (tmp_path / f"{cases[name].stem}.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    # JSON escapes C0 and DEL as \u0000…\u001f, \u007f; C1 is written raw or as \u0080…\u009f
    assert not re.search(r"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])", raw) and not CONTROLS.search(raw)
    warning = next(w for w in data["warnings"] if w["code"] == "control_characters")
    assert "escape sequences" in warning["message"]
    assert data["documents"][0]["meta"]["doc_type"]  # the order itself is still read


def test_reading_a_txt_imports_no_other_reader():
    """Readers are imported when their format is first read (issue 10's cold start): a txt run
    never loads the DOCX, PDF or OCR readers nor the libraries behind them."""
    code = ("import sys\n"
            "from pipeline.readers import KNOWN_EXTENSIONS, read_file\n"
            f"read_file({str(GOOD)!r})\n"
            "print(sorted(m for m in sys.modules if m.startswith('pipeline.readers.') or m in "
            "('lxml', 'pdfplumber', 'numpy', 'PIL', 'cv2', 'pypdfium2')))\n"
            "print('.pdf' in KNOWN_EXTENSIONS and '.heic' in KNOWN_EXTENSIONS and '.rtf' in KNOWN_EXTENSIONS)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.splitlines() == ["['pipeline.readers.base', 'pipeline.readers.settings', 'pipeline.readers.txt']", "True"]


def test_registry_knows_each_readers_extensions():
    from pipeline.readers import READERS, REGISTRY, SETTINGS

    for fmt, (_, _, extensions) in READERS.items():
        assert REGISTRY[fmt].extensions == extensions, fmt
    assert REGISTRY["pdf"].settings is SETTINGS and REGISTRY["pdf"] is REGISTRY["pdf"]


def test_doctests_of_the_bounded_modules():
    import doctest

    import pipeline.document
    import pipeline.readers
    import pipeline.readers.numbering

    for mod in (pipeline.document, pipeline.readers, pipeline.readers.numbering):
        assert doctest.testmod(mod).failed == 0, mod.__name__


def test_a_page_too_large_is_skipped_and_the_rest_read(cases):
    from pipeline.readers import read_file

    src = read_file(cases["pdf-text-and-huge-page"])
    assert src.text.strip() == "Page one holds the text layer of this file." and src.pages == 2
    assert [w.message for w in src.warnings if w.code == "page_too_large"] == [
        "page 2 is 14,400 × 14,400 pt (3,600 megapixels at 300 dpi): too large for OCR (limit 60 megapixels); not read"]


def _processes_with(marker: str, also: str = "") -> list[int]:
    """Processes whose command line holds ``marker`` (and ``also``)."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                cmdline = (d / "cmdline").read_bytes()
            except OSError:
                continue  # gone meanwhile
            if marker.encode() in cmdline and also.encode() in cmdline:
                pids.append(int(d.name))
    return pids


def test_a_killed_worker_leaves_no_libreoffice(cases, tmp_path):
    """The worker converting a file is SIGKILLed (as a per-file budget does): LibreOffice
    (oosplash → soffice.bin, in their own session) dies with it."""
    from pipeline.readers.legacy import soffice

    if soffice() is None:
        pytest.skip("LibreOffice not installed")
    marker = str(tmp_path / "lo")  # the conversion's profile and files live under TMPDIR
    (tmp_path / "lo").mkdir()
    env = dict(os.environ, TMPDIR=marker)
    worker = subprocess.Popen([sys.executable, "-c", "import sys\nfrom pipeline.readers import read_file\n"
                               "read_file(sys.argv[1])", str(cases["rtf-large"])], env=env)
    deadline = time.monotonic() + 60
    while not _processes_with(marker, "soffice.bin"):
        assert time.monotonic() < deadline and worker.poll() is None, "LibreOffice never started"
        time.sleep(0.1)
    os.kill(worker.pid, 9)
    worker.wait()
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = _processes_with(marker)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, 9)
    assert left == [], "LibreOffice outlived the worker that started it"


def test_rtf_label_rewrite_is_linear():
    """RTF list labels made literal before LibreOffice: a label nested 100,000 groups deep (was a
    RecursionError after ~50 s of copying) and 100,000 labels (each one was a scan to the end of the
    file: 20,000 took 17 s) cost their length."""
    from pipeline.readers.rtf_lists import literal_labels

    deep = b"{\\rtf1 \\pard{\\listtext " + b"{" * 100_000 + b"1)" + b"}" * 100_000 + b"}text\\par}"
    t = time.monotonic()
    assert literal_labels(deep).endswith(b"{" + b" " * 100_001 + b"1)}text\\par}")  # one space per group, as before
    many = b"{\\rtf1 " + b"{\\listtext 1.\\tab}\\ls1 text\\par " * 100_000 + b"}"
    assert literal_labels(many).count(b"{ 1.\\tab}{}text\\par") == 100_000
    assert time.monotonic() - t < 20


def test_running_matter_count_stays_bounded():
    """Repeated header lines are counted over at most 4 lines at each page edge, the near
    matches in rapidfuzz's C loop: 300 pages with 50 lines of their own in the top band (was
    one Python fuzzy comparison per pair of band lines, 15,000² here) take a second or two,
    and the running header and page numbers still go."""
    def letters(n: int) -> str:
        return "".join("абвгдежзиклмнопрстуфхцчшщэюя"[int(d)] for d in f"{n:04d}")

    from pipeline.readers.pages import Page, VLine, strip_running_matter

    pages = []
    for p in range(1, 301):
        pg = Page(p, 595.0, 842.0)
        pg.lines = [VLine("Приказ Министерства от 18.01.2024 № 1-3.11-24/24", 70, 20, 500, 30, p),
                    VLine(str(p), 290, 800, 300, 810, p)]
        pg.lines += [VLine(f"строка поля {letters(p)} номер {letters(k)}", 70, 31 + k * 0.1, 500, 32, p) for k in range(50)]
        pg.lines.append(VLine("Текст приказа", 70, 300, 500, 312, p))
        pages.append(pg)
    t = time.monotonic()
    removed = strip_running_matter(pages)
    assert time.monotonic() - t < 10
    assert removed >= 600 and not any(ln.text.startswith("Приказ") or ln.text.isdigit() for pg in pages for ln in pg.lines)
    assert all(pg.lines[-1].text == "Текст приказа" for pg in pages)


def test_a_page_ruled_into_thousands_of_cells_is_read_without_the_table_finder(cases):
    """150 × 150 ruling lines: pdfplumber's table finder took 65 s over the one page; the grid
    size is read from the edges first, and the page's text is still read."""
    from pipeline.readers import read_file

    t = time.monotonic()
    src = read_file(cases["pdf-dense-rules"])
    assert time.monotonic() - t < 20
    assert src.text.strip() == "Text of the page over many rules here." and src.tables == []
    assert [w.code for w in src.warnings] == ["page_tables_skipped"]
    assert "22,500 cells" in src.warnings[0].message and "limit 5,000" in src.warnings[0].message


def test_fields_never_closed_cost_their_length(cases):
    """20,000 nested HYPERLINK fields never ended, text in each result: every text run walked the
    whole stack of open fields (273 s); the stack is capped at 32, the instruction at 256 characters."""
    from pipeline.readers import read_file

    t = time.monotonic()
    src = read_file(cases["docx-field-bomb"])
    assert time.monotonic() - t < 20
    assert "a" * 20_000 in src.text  # a hyperlink's result is text, as before
