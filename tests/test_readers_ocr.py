"""OCR reader: images, sideways photos, mixed PDFs, ruling-line grids, missing Tesseract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import EmptyInput, MissingDependency
from pipeline.readers import read_file
from pipeline.readers.image_prep import estimate_skew, find_grids
from pipeline.readers.ocr_repair import pair_quotes, repair_short_i
from pipeline.readers.tesseract import Word, tesseract_status
from tests.conftest_formats import extra, formats  # noqa: F401 - session fixture

needs_tesseract = pytest.mark.skipif(not tesseract_status("tesseract", "rus")[0], reason="tesseract with rus data not installed")


@pytest.fixture(scope="module")
def sakhalin_png(formats):
    return read_file(extra("sakhalin-p1.png"))


@needs_tesseract
def test_image_reads_with_confidence_and_pixel_boxes(sakhalin_png):
    src = sakhalin_png
    assert (src.format, src.ocr, src.pages, src.reader) == ("image", True, 1, "ocr")
    assert "Сахалинской области" in src.text  # the й that Tesseract drops is put back
    assert "18.01.2024" in src.text
    body = [ln for ln in src.lines if ln.text.strip()]
    assert all(ln.confidence is not None and ln.bbox and ln.page == 1 for ln in body)
    assert max(ln.bbox[2] for ln in body) > 1000  # pixels of a 200-dpi page, not points
    assert sum(ln.confidence for ln in body) / len(body) > 70
    # per-word confidence is kept beside the line's mean
    assert all(ln.words and all(0 <= c <= 100 for _, c in ln.words) for ln in body)
    assert " ".join(w for w, _ in body[0].words) == body[0].text


@needs_tesseract
def test_sideways_photo_is_turned_upright(sakhalin_png):
    src = read_file(extra("sakhalin-p1-sideways.jpg"))
    assert any(w.code == "ocr_rotated" for w in src.warnings)
    assert "Сахалинской области" in src.text and "18.01.2024" in src.text


@needs_tesseract
def test_image_without_text_is_a_clear_error(formats):
    with pytest.raises(EmptyInput) as e:
        read_file(extra("blank.png"))
    assert "blank.png" in e.value.one_line() and "no text" in e.value.one_line()


@needs_tesseract
def test_mixed_pdf_is_read_page_by_page(formats):
    src = read_file(extra("altai-mixed.pdf"))
    assert src.reader == "pdf+ocr" and src.ocr and src.pages == 3
    mixed = [w for w in src.warnings if w.code == "mixed_pdf"]
    assert mixed and "pages 2 have no text layer" in mixed[0].message
    by_page = {p: [ln for ln in src.lines if ln.page == p and ln.text.strip()] for p in (1, 2, 3)}
    assert all(by_page.values())
    assert all(ln.confidence is None for ln in by_page[1])
    assert all(ln.confidence is not None for ln in by_page[2])
    assert "ПРИКАЗ" in src.text


def test_missing_tesseract_is_reported_at_the_start_of_an_ocr_job(monkeypatch, tmp_path, formats):
    monkeypatch.setenv("REGISTRY_TESSERACT", "/nonexistent/tesseract")
    tesseract_status.cache_clear()
    try:
        with pytest.raises(MissingDependency) as e:
            read_file(extra("sakhalin-p1.png"))
        line = e.value.one_line()
        assert "sakhalin-p1.png" in line and "apt-get install tesseract-ocr tesseract-ocr-rus" in line
    finally:
        tesseract_status.cache_clear()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_missing_russian_data_is_reported(monkeypatch, tmp_path, formats):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # no traineddata here
    tesseract_status.cache_clear()
    try:
        with pytest.raises(MissingDependency) as e:
            read_file(extra("sakhalin-p1.png"))
        assert "'rus' language data" in e.value.one_line()
    finally:
        tesseract_status.cache_clear()


def _table_image() -> Image.Image:
    """A ruled 3×3 table whose first column merges rows 2–3, turned by 1°."""
    img = Image.new("L", (1400, 900), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [100, 400, 800, 1300], [100, 250, 450, 650]
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    d.line([(xs[0], ys[2]), (xs[1], ys[2])], fill=255, width=5)  # erase: column 1 rows 2-3 merged
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    return img


def test_grid_from_ruling_lines_with_a_vertical_merge():
    grids, mask = find_grids(_table_image())
    (g,) = grids
    assert len(g.xs) == 4 and len(g.ys) == 4
    assert g.owner[2][0] == (1, 0)  # merged with the cell above
    assert g.owner[2][1] == (2, 1) and g.owner[1][2] == (1, 2)
    assert mask.sum() > 0


def test_deskew_finds_a_small_rotation():
    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if not font_path.exists():
        pytest.skip("DejaVu font not installed")
    font = ImageFont.truetype(str(font_path), 28)
    img = Image.new("L", (1600, 1400), 255)
    d = ImageDraw.Draw(img)
    for k in range(25):
        d.text((100, 80 + k * 48), "Порядок взаимодействия с клиентом в рамках обращений " * 2, font=font, fill=0)
    turned = img.rotate(-1.0, resample=Image.BICUBIC, fillcolor=255)
    assert estimate_skew(turned) == pytest.approx(1.0, abs=0.25)
    assert estimate_skew(img) == pytest.approx(0.0, abs=0.15)


def test_short_i_repair_uses_the_dictionary():
    words = [Word(t, 0, 0, 1, 1, 80, (1, 1, 1)) for t in ["Сахалинскои", "раион,", "мои", "Иван"]]
    assert repair_short_i(words) == 2
    assert [w.text for w in words] == ["Сахалинской", "район,", "мои", "Иван"]


def test_guillemets_read_as_angle_brackets_are_paired_back():
    assert pair_quotes("< 09 » 09 2023г.") == "« 09 » 09 2023г."
    assert pair_quotes("<<Интернет>>") == "«Интернет»"
    assert pair_quotes("не более 2 < 3") == "не более 2 < 3"


# --- external tools within a time and memory budget (issue 13) ---------------------------

def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_a_tesseract_that_hangs_is_killed_with_everything_it_started(tmp_path, monkeypatch):
    """A Tesseract that never ends (and has started a child of its own) is
    killed, child and all, after OcrSettings.timeout; the page comes back as
    a one-line OCR failure, never a hang."""
    import time

    from pipeline.readers.external import ToolTimeout
    from pipeline.readers.settings import OcrSettings
    from pipeline.readers.tesseract import run_tesseract

    pids = tmp_path / "pids"
    fake = tmp_path / "tesseract"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! > {pids}\nsleep 300\n")
    fake.chmod(0o755)
    st = OcrSettings(cell_engine="cli", timeout=1)
    t = time.monotonic()
    with pytest.raises(ToolTimeout) as e:
        run_tesseract(Image.new("L", (200, 100), 255), str(fake), 200, st)
    assert time.monotonic() - t < 10
    assert str(e.value) == "tesseract did not finish within 1 s (killed)"
    shell, child = (int(p) for p in pids.read_text().split())
    deadline = time.monotonic() + 5
    while (_alive(shell) or _alive(child)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(shell) and not _alive(child), "the tool's own child outlived the timeout"


def test_a_tool_gets_no_more_memory_than_its_budget():
    import sys

    from pipeline.readers.external import run_tool

    grab = [sys.executable, "-c", "b = bytearray(400 * 1024 * 1024); print('got it')"]
    assert "got it" in run_tool(grab, timeout=60, memory_mb=1024).stdout
    over = run_tool(grab, timeout=60, memory_mb=200)
    assert over.returncode != 0 and "MemoryError" in over.stderr
