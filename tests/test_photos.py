"""Phone photos and scans: what a clerk's phone or an office scanner makes of an order.

The photos come from ``tests/fixtures/make_photos.py`` (seeded: warm light,
vignette or shadow, blur, 1–5° turns, perspective, with and without the page
edges in view). The reference is always the extraction of the corpus text:

- meta exact (on a one-page photo: the fields printed on page 1);
- touchpoint names ≥ 97 % character accuracy, every row of the Перечень present;
- every working-group member present with name, position and role;
- no photo that plain ``tesseract IMG - -l rus`` reads comes back "no text".
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

from pipeline.errors import EmptyInput, MissingDependency
from pipeline.readers import read_file
from pipeline.readers.ocr import ImageReader, is_heif, recorded_dpi
from pipeline.readers.ocr_repair import repair_dashes, repair_initials, repair_stray_marks
from pipeline.readers.photo_prep import page_quad, photo_dpi, prepare
from pipeline.readers.tesseract import Word, tesseract_status
from tests.conftest import CORPUS, ORDERS
from tests.conftest_formats import FIXTURES, extract_cached, formats  # noqa: F401 - session fixture
from tests.test_format_parity import META_FIELDS, meta_view, norm_name

needs_tesseract = pytest.mark.skipif(not tesseract_status("tesseract", "rus")[0],
                                     reason="tesseract with rus data not installed (scripts/system-deps.sh)")

STEMS = {short: name.removesuffix(".txt") for short, name in ORDERS.items()}
PAGE1_FIELDS = tuple(f for f in META_FIELDS if f != "signatory")  # the signature is on page 2


def photo(name: str) -> str:
    return str(FIXTURES / "photo" / name)


def reference(short: str):
    return extract_cached(str(CORPUS / ORDERS[short]))


def members(ex) -> list[tuple[str, str | None, str]]:
    return [(m.name, m.position, m.role) for d in ex.documents for m in d.working_group]


def char_accuracy(want: list[str], got: list[str]) -> float:
    total = sum(len(w) for w in want) or 1
    return 1 - sum(Levenshtein.distance(w, g) for w, g in zip(want, got)) / total


# --- whole photos ------------------------------------------------------------------

@needs_tesseract
@pytest.mark.parametrize("short,name", [("sakhalin", "-p1.jpg"), ("altai", "-p1.png")])
def test_one_page_photo_gives_the_page_one_meta(formats, short, name):
    got = extract_cached(photo(STEMS[short] + name))
    assert got.source.format == "image" and got.source.ocr
    assert any(w.code == "ocr_photo" for w in got.warnings), "the photo was not recognised as one"
    want = {k: v for k, v in meta_view(reference(short).documents[0]).items() if k in PAGE1_FIELDS}
    have = {k: v for k, v in meta_view(got.documents[0]).items() if k in PAGE1_FIELDS}
    assert have == want


@needs_tesseract
def test_photo_on_a_desk_is_unwarped_from_its_edges(formats):
    got = extract_cached(photo(STEMS["sakhalin"] + "-p1.jpg"))
    notes = " ".join(w.message for w in got.warnings if w.code == "ocr_photo")
    assert "perspective corrected from the page edges" in notes and "illumination flattened" in notes
    # boxes are pixels of the straightened page (about 1240 wide at 150 dpi), not points
    date = got.documents[0].meta.sources["date"].span
    assert date.page == 1 and 150 < date.bbox[0] < date.bbox[2] < 1240


@needs_tesseract
def test_photographed_order_with_working_group(formats):
    """A multi-page TIFF of the order and its Состав: meta exact, all 19 members whole."""
    got = extract_cached(photo(STEMS["ossetia_2023"] + ".tiff"))
    assert got.source.pages == 3
    ref = reference("ossetia_2023")
    assert meta_view(got.documents[0]) == meta_view(ref.documents[0])
    want, have = members(ref), members(got)
    assert len(want) == 19
    assert have == want


@needs_tesseract
def test_photographed_perechen(formats):
    """Every page of the order with the Перечень table, photographed: meta exact, every row,
    names ≥ 97 % of characters right, the same channels and thresholds."""
    got = extract_cached(photo(STEMS["ossetia_2026"] + ".tiff"))
    ref = reference("ossetia_2026")
    assert meta_view(got.documents[0]) == meta_view(ref.documents[0])
    want = [t for d in ref.documents for t in d.touchpoints]
    have = [t for d in got.documents for t in d.touchpoints]
    assert [t.row for t in have] == [t.row for t in want]
    acc = char_accuracy([norm_name(t.name) for t in want], [norm_name(t.name) for t in have])
    assert acc >= 0.97, f"touchpoint names {acc:.1%} right"
    assert [(t.channel, t.kind) for t in have] == [(t.channel, t.kind) for t in want]
    thresholds = [sorted((t.metric, t.value, t.unit) for d in ex.documents for r in d.requirements for t in r.thresholds)
                  for ex in (ref, got)]
    assert thresholds[1] == thresholds[0]


@needs_tesseract
def test_scan_keeps_every_working_group_member(formats):
    """The 200-dpi scan of the whole order (the parity fixture): 19 members, name, position, role."""
    manifest = formats["orders"][STEMS["ossetia_2023"]]
    if not manifest.get("scan_full"):
        pytest.skip("quick scans: the Состав pages were not scanned")
    got = extract_cached(str(FIXTURES / "scan" / f"{STEMS['ossetia_2023']}.pdf"))
    assert members(got) == members(reference("ossetia_2023"))


def _tesseract_words(path: str) -> int:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(["tesseract", path, "-", "-l", "rus"], capture_output=True, text=True, timeout=300, env=env).stdout
    return sum(1 for w in out.split() if len(w) >= 3 and w.isalpha())


@needs_tesseract
@pytest.mark.parametrize("name", ["sakhalin-p1.jpg", "altai-p1.png"])
def test_no_photo_that_tesseract_reads_comes_back_empty(formats, name):
    short, suffix = name.split("-", 1)
    path = photo(STEMS[short] + "-" + suffix)
    plain = _tesseract_words(path)
    assert plain > 20, "plain Tesseract should read this photo"
    got = extract_cached(path)  # never EmptyInput
    words = sum(len(ln.split()) for d in got.documents for ln in [d.meta.title or ""] + [c.text for c in d.clauses])
    assert words > 0.5 * plain


@needs_tesseract
def test_when_preparation_loses_the_text_the_image_is_read_as_it_is(formats, monkeypatch):
    """If our preparation of a photo were to blank it, the page is read as it is."""
    import pipeline.readers.scan_page as scan_page
    from pipeline.readers.photo_prep import Prepared

    def ruined(gray, dpi, st, recorded_dpi=True):
        return Prepared(Image.new("L", gray.size, 255), dpi, photo=True, steps=["ruined"])

    monkeypatch.setattr(scan_page, "prepare", ruined)
    src = read_file(photo(STEMS["sakhalin"] + "-p1.jpg"))
    assert any(w.code == "ocr_read_as_is" for w in src.warnings)
    assert "18.01.2024" in src.text and "ПРИКАЗ" in src.text


@needs_tesseract
def test_blank_image_is_still_no_text(formats):
    with pytest.raises(EmptyInput):
        read_file(FIXTURES / "extra" / "blank.png")


# --- HEIC ----------------------------------------------------------------------------

@needs_tesseract
def test_heic_photo_is_read(formats):
    pytest.importorskip("pillow_heif")
    path = FIXTURES / "photo" / f"{STEMS['sakhalin']}-p1-top.heic"
    src = ImageReader().read(path, path.read_bytes())
    assert "18.01.2024" in src.text and "САХАЛИНСКОЙ ОБЛАСТИ" in src.text


def test_heic_without_pillow_heif_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # import fails
    monkeypatch.setattr("pipeline.readers.ocr.check_tesseract", lambda path, lang="rus": "tesseract")
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64)
    with pytest.raises(MissingDependency) as e:
        ImageReader().read(path, path.read_bytes())
    line = e.value.one_line()
    assert "IMG_0001.HEIC" in line and "pillow-heif" in line and "\n" not in line


def test_heif_is_told_by_its_brand():
    assert is_heif(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00")
    assert is_heif(b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00")
    assert not is_heif(b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00")  # an MP4 video
    assert not is_heif(b"\x89PNG\r\n\x1a\n")


# --- preparation, without Tesseract ----------------------------------------------------

def _page_on_desk(shadow: bool = False, edges: bool = True) -> tuple[Image.Image, np.ndarray]:
    """A synthetic photo: lines of dark 'text' on a page, the page turned 3° on a dark desk."""
    import cv2

    page = np.full((1100, 800), 235, np.uint8)
    for k in range(20):
        cv2.rectangle(page, (80, 100 + k * 45), (720 - (k % 3) * 60, 118 + k * 45), 40, -1)
    if not edges:
        img = page
        quad = None
    else:
        img = np.full((1300, 1000), 60, np.uint8)
        quad = np.float32([[110, 90], [890, 130], [860, 1210], [80, 1170]])
        m = cv2.getPerspectiveTransform(np.float32([[0, 0], [800, 0], [800, 1100], [0, 1100]]), quad)
        img = cv2.warpPerspective(page, m, (1000, 1300), borderValue=60)
    if shadow:
        img = img.astype(np.float32)
        img[:, img.shape[1] * 2 // 3:] *= 0.5  # a straight-edged shadow over the right third
        img = img.astype(np.uint8)
    return Image.fromarray(img), quad


def test_page_quad_finds_the_page_on_a_desk():
    img, quad = _page_on_desk()
    found = page_quad(np.asarray(img))
    assert found is not None
    assert np.abs(found - quad).max() < 15


def test_straight_shadow_across_the_text_is_not_a_page_edge():
    from pipeline.readers.photo_prep import background

    img, _ = _page_on_desk(shadow=True, edges=False)
    a = np.asarray(img)
    assert page_quad(a, background(a, 150)) is None


def test_clean_scan_passes_unchanged_and_a_photo_does_not():
    scan = Image.new("L", (1654, 2339), 255)
    ImageDraw.Draw(scan).text((200, 200), "ПРИКАЗ", fill=0)
    prep = prepare(scan, 200)
    assert not prep.photo and prep.gray is scan
    img, _ = _page_on_desk()
    prep = prepare(img, 150)
    assert prep.photo and prep.unwarped and prep.dpi >= 200  # small print enlarged


def test_resolution_of_photos():
    assert photo_dpi(1240, 1754, 150) == 150
    assert photo_dpi(3024, 4032, 72) == 366  # phones write 72 dpi: implausible for a page this size
    assert recorded_dpi(Image.new("L", (4032, 3024))) is None
    im = Image.new("L", (1654, 2339))
    im.info["dpi"] = (200, 200)
    assert recorded_dpi(im) == 200


def test_keystone_straightens_converging_margins():
    import cv2

    from pipeline.readers.photo_prep import keystone, text_block_edges

    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    try:
        font = ImageFont.truetype(font_path, 26)
    except OSError:
        pytest.skip("DejaVu font not installed")
    page = Image.new("L", (1400, 2000), 255)
    d = ImageDraw.Draw(page)
    for k in range(36):
        d.text((150, 120 + k * 48), "обращений и запросов в Комитете занятости населения по вопросам", font=font, fill=0)
    page = page.crop((0, 0, 1250, 2000))
    # a slanted shot: the bottom of the page wider than the top
    src = np.float32([[0, 0], [1250, 0], [1250, 2000], [0, 2000]])
    dst = np.float32([[60, 0], [1190, 0], [1250, 2000], [0, 2000]])
    a = cv2.warpPerspective(np.asarray(page), cv2.getPerspectiveTransform(src, dst), (1250, 2000), borderValue=255)
    (al, _), (ar, _), _ = text_block_edges(a, 200)
    assert al < -0.01 and ar > 0.01  # converging towards the top
    out, drift = keystone(a, 200)
    assert drift > 3
    (al, _), (ar, _), _ = text_block_edges(out, 200)
    assert abs(al) < 0.004 and abs(ar) < 0.004


# --- word repairs, without Tesseract -------------------------------------------------------

def _words(*texts: str, key=(1, 1, 1)) -> list[Word]:
    return [Word(t, 10 * i, 0, 10 * i + 8, 10, 90.0, key) for i, t in enumerate(texts)]


@pytest.mark.parametrize("texts,want", [
    (("Каболова", "Л.З3.", "–", "начальник"), ["Каболова", "Л.З.", "–", "начальник"]),
    (("Каболова", "Л:3.", "—", "начальник"), ["Каболова", "Л.З.", "—", "начальник"]),
    (("Габиева", "Е.Д.:", "—", "директор"), ["Габиева", "Е.Д.", "—", "директор"]),
    (("Каболова.Л.З.", "=", "начальник"), ["Каболова", "Л.З.", "—", "начальник"]),
    (("Караева", "3.В.", "—"), ["Караева", "З.В.", "—"]),
    (("Раздела", "3.3.", "настоящего"), ["Раздела", "3.3.", "настоящего"]),  # a clause number stays
    (("пункта", "2.1.", "Порядка"), ["пункта", "2.1.", "Порядка"]),
    (("О.А", "Зорина"), ["О.А", "Зорина"]),  # a dot missing in print stays missing
    (("Царахова", "Э.Х.-—", "начальник"), ["Царахова", "Э.Х. —", "начальник"]),
    (("Сакиев", "С.М.-", "начальник"), ["Сакиев", "С.М.-", "начальник"]),  # one dash glued on: read as printed
])
def test_initials_beside_a_surname_are_repaired(texts, want):
    ws = _words(*texts)
    repair_initials(ws)
    assert [w.text for w in ws] == want


def test_dash_read_as_two_and_stray_marks():
    ws = _words("Чекоев", "Т.В.", "-", "—", "директор")
    assert repair_dashes(ws) == 1 and [w.text for w in ws] == ["Чекоев", "Т.В.", "—", "директор"]
    ws = _words("'Авакова", "Э.Л.", "—", "связям.", "с", "работодателями;", "в", "г.", "Владикавказ")
    repair_stray_marks(ws)
    assert [w.text for w in ws] == ["Авакова", "Э.Л.", "—", "связям", "с", "работодателями;", "в", "г.", "Владикавказ"]
    ws = _words("«Центр`занятости", "`")
    repair_stray_marks(ws)
    assert [w.text for w in ws] == ["«Центр занятости", "`"]
    ws = _words("сведений.", "а)", "сайт")  # a clause label after a full stop keeps the stop
    assert repair_stray_marks(ws) == 0


def test_a_dash_tesseract_swallowed_is_put_back_from_the_boxes():
    """'Кесаев М.А.–' read as 'М.А.' with a box wide enough for the dash too."""
    line = [("Кесаев", 227, 322), ("М.А.", 332, 427), ("директор", 435, 564), ("ГКУ", 574, 638),
            ("«Центр", 648, 750), ("занятости", 760, 905), ("населения", 915, 1060)]
    ws = [Word(t, x0, 0, x1, 30, 90.0, (1, 1, 1)) for t, x0, x1 in line]
    repair_initials(ws)
    assert ws[1].text == "М.А. —"
    line[1:3] = [("М.А.", 332, 395), ("директор", 405, 534)]  # an ordinary width and space: nothing was lost
    ws = [Word(t, x0, 0, x1, 30, 90.0, (1, 1, 1)) for t, x0, x1 in line]
    repair_initials(ws)
    assert ws[1].text == "М.А."


def test_photo_pages_are_put_in_one_frame():
    from pipeline.readers.pages import Page, VLine
    from pipeline.readers.photo_pages import align_pages

    def page(no: int, left: float, scale: float) -> Page:
        pg = Page(no, 600 * scale, 840 * scale, ocr=True)
        for k in range(10):
            indent = 30 if k % 4 == 0 else 0
            pg.lines.append(VLine("строка текста приказа, достаточно длинная " * 2, (left + indent) * scale,
                                  (100 + 15 * k) * scale, (left + 460) * scale, (110 + 15 * k) * scale, no))
        return pg

    pages = [page(1, 70, 1.0), page(2, 50, 1.1), page(3, 75, 0.95)]
    frames = align_pages(pages, {1: True, 2: True, 3: True})
    assert set(frames) == {1, 2, 3}
    for pg in pages:
        body = [ln.x0 for ln in pg.lines[1:4]]
        assert body == pytest.approx([70.0] * 3, abs=0.5)  # one left edge of print
        assert pg.lines[0].x0 == pytest.approx(100.0, abs=1.0)  # the indent kept
    bbox = (pages[1].lines[1].x0, pages[1].lines[1].top, pages[1].lines[1].x1, pages[1].lines[1].bottom)
    assert frames[2].back(bbox)[0] == pytest.approx(55.0, abs=0.5)  # back on page 2's own image
    assert align_pages([page(1, 70, 1.0)], {1: True}) == {}  # one page: nothing to align to


def test_doctests_of_the_photo_modules():
    import doctest

    import pipeline.readers.external as external
    import pipeline.readers.ocr as ocr
    import pipeline.readers.ocr_repair as ocr_repair
    import pipeline.readers.photo_prep as photo_prep
    import pipeline.readers.tesseract as tesseract

    for mod in (external, ocr, ocr_repair, photo_prep, tesseract):
        assert doctest.testmod(mod).failed == 0, mod.__name__
