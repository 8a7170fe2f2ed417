"""Phone photos: our reader against bare ``tesseract IMG stdout -l rus`` on the same images.

    .venv/bin/python bench/kind_photo.py [--rounds 3]

Per input kind of tests/fixtures/make_photos.py (built on first use):

  photo_jpeg   page 1 of the Сахалин order on a desk, 150 dpi JPEG (edges, 3°, warm light)
  photo_png    page 1 of the Алтай order, 150 dpi PNG without a recorded resolution (shadow, −4.5°)
  photo_tiff   the Осетия 2023 order, pages 1–3 at 200 dpi in one multi-page TIFF (the working group)
  photo_table  the Осетия 2026 order, all 8 pages at 200 dpi in one TIFF (the Перечень table)

``bench(rounds)`` returns one dict per kind: files, pages, CPU seconds (this
process, its threads, and the Tesseract processes it waited for) of
``pipeline.readers.read_file`` and of the bare CLI on the same file
(``OMP_THREAD_LIMIT=1``), each the best of ``rounds`` runs taken in turn,
their ratio against the issue's bar (×1.3), the wall seconds, and the words
each read. Two more figures keep the ratio honest:

- ``one_pass_s``: the bare CLI once on each page as our reader hands it to
  Tesseract (straightened, flattened): what one full OCR pass of the page
  costs. ``ours_s / one_pass_s`` is our whole overhead — preparation (OpenCV),
  the grid, conditional re-reads — over that one pass;
- plain Tesseract is quick on a photo partly because it gives up on what it
  cannot read (a shadowed, turned page): where it reads under 80 % of our
  words, its time is not a full pass of the page, and the row says so.

Our reader reads pages and cells with libtesseract in process (tesserocr), no
process start and no image file per page: part of why it can be at or below
the bare CLI. Not a timed test: shared machines vary ±20-30 %.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KINDS = {
    "photo_jpeg": "sakhalin-social-protection-ministry-2024-01-18-1-3.11-24-24-p1.jpg",
    "photo_png": "altai-civil-registry-archives-committee-2024-03-28-p-12-01-0019-p1.png",
    "photo_tiff": "north-ossetia-employment-committee-2023-09-09-78-r.tiff",
    "photo_table": "north-ossetia-employment-committee-2026-03-23-22-2.tiff",
}


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


TARGET = 1.3  # issue 9: no kind slower than 1.3× its bare tool


def _ours(path: Path) -> int:
    """Words read."""
    from pipeline.readers import read_file

    return len(read_file(path).text.split())


def _bare(path: Path) -> int:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(["tesseract", str(path), "stdout", "-l", "rus"], capture_output=True, text=True, env=env, check=True)
    return len(out.stdout.split())


def _page_passes(path: Path, folder: Path) -> list[tuple[Path, int]]:
    """The image our reader gives Tesseract for each page's first page pass (not
    cells, not a conditional second pass), saved as PGM, with its dpi."""
    import pipeline.readers.ocr as ocr
    import pipeline.readers.scan_page as scan_page
    from pipeline.readers.settings import DEFAULTS

    seen: list[tuple[Path, int]] = []
    real_pass, real_page = scan_page.run_tesseract, ocr.read_page
    first = {"open": False}

    def page(*a, **k):
        first["open"] = True
        return real_page(*a, **k)

    def spy(img, exe, dpi, st=DEFAULTS.ocr, psm=None, whitelist=None):
        if psm is None and first["open"]:
            first["open"] = False
            f = folder / f"{path.stem}-{len(seen)}.pgm"
            img.convert("L").save(f)
            seen.append((f, dpi))
        return real_pass(img, exe, dpi, st, psm=psm, whitelist=whitelist)

    scan_page.run_tesseract, ocr.read_page = spy, page
    jobs = os.environ.get("REGISTRY_OCR_JOBS")
    os.environ["REGISTRY_OCR_JOBS"] = "1"  # one page at a time: each pass belongs to the page just opened
    try:
        _ours(path)
    finally:
        scan_page.run_tesseract, ocr.read_page = real_pass, real_page
        if jobs is None:
            del os.environ["REGISTRY_OCR_JOBS"]
        else:
            os.environ["REGISTRY_OCR_JOBS"] = jobs
    return seen


def _one_pass(images: list[tuple[Path, int]]) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for f, dpi in images:
        subprocess.run(["tesseract", str(f), "stdout", "-l", "rus", "--dpi", str(dpi)], capture_output=True, env=env, check=True)


def _best(fn, arg, rounds: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the fastest of ``rounds`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(rounds):
        c, t = _cpu(), time.perf_counter()
        fn(arg)
        best = min(best, (_cpu() - c, time.perf_counter() - t))
    return best


def verdict(row: dict) -> str:
    """Whether the kind meets the bar, and if not, why (from the figures)."""
    if row["ratio"] <= TARGET:
        return f"met (×{row['ratio']:.2f} ≤ ×{TARGET})"
    why = []
    if row["tesseract_words"] < 0.8 * row["ours_words"]:
        why.append(f"bare tesseract gives up on this photo ({row['tesseract_words']} of our {row['ours_words']} words): "
                   f"its time is no full pass of the page")
    if row["ratio_one_pass"] <= TARGET:
        why.append(f"against one full pass of the page we are ×{row['ratio_one_pass']:.2f}")
    else:
        why.append(f"×{row['ratio_one_pass']:.2f} even against one full pass of the page: preparation and re-reads cost")
    return f"NOT met (×{row['ratio']:.2f} > ×{TARGET}): " + "; ".join(why)


def bench(rounds: int = 3) -> list[dict]:
    """Seconds of our reader and of bare Tesseract per photo kind (see the module doc)."""
    import tempfile

    from PIL import Image

    from pipeline.readers.tesseract import tesseract_status
    from tests.fixtures.build import OUT, build_all

    if not tesseract_status("tesseract", "rus")[0]:
        return [{"kind": k, "files": 0, "skipped": "tesseract with rus data not installed"} for k in KINDS]
    build_all()
    from pipeline.nlp import is_known_word

    is_known_word("приказ")  # the dictionary is loaded once per process, not per file
    out = []
    with tempfile.TemporaryDirectory(prefix="bench-photo-") as tmp:
        for kind, name in KINDS.items():
            path = OUT / "photo" / name
            if not path.exists():
                out.append({"kind": kind, "files": 0, "skipped": f"fixture {name} not built"})
                continue
            with Image.open(path) as im:
                pages = getattr(im, "n_frames", 1)
            ours_words = _ours(path)  # also warms: imports, OpenCV, the in-process Tesseract
            bare_words = _bare(path)
            passes = _page_passes(path, Path(tmp))
            ours = bare = one = (float("inf"), float("inf"))
            for _ in range(max(1, rounds)):  # in turn, best of each: a busy machine slows all alike
                ours = min(ours, _best(_ours, path, 1))
                bare = min(bare, _best(_bare, path, 1))
                one = min(one, _best(_one_pass, passes, 1))
            row = {"kind": kind, "files": 1, "pages": pages, "ours_s": round(ours[0], 2), "tesseract_s": round(bare[0], 2),
                   "ratio": round(ours[0] / bare[0], 2), "one_pass_s": round(one[0], 2),
                   "ratio_one_pass": round(ours[0] / one[0], 2), "page_passes": len(passes),
                   "ours_wall_s": round(ours[1], 2), "tesseract_wall_s": round(bare[1], 2),
                   "ours_words": ours_words, "tesseract_words": bare_words}
            row["verdict"] = verdict(row)
            out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"{'kind':<13}{'pages':>6}{'ours s':>9}{'tesseract s':>13}{'ratio':>7}{'1 pass s':>10}{'vs 1 pass':>10}"
          f"{'ours words':>12}{'tess words':>12}  (seconds of CPU)")
    for r in bench(args.rounds):
        if "skipped" in r:
            print(f"{r['kind']:<13} skipped: {r['skipped']}")
            continue
        print(f"{r['kind']:<13}{r['pages']:>6}{r['ours_s']:>9.2f}{r['tesseract_s']:>13.2f}{r['ratio']:>7.2f}"
              f"{r['one_pass_s']:>10.2f}{r['ratio_one_pass']:>10.2f}{r['ours_words']:>12}{r['tesseract_words']:>12}")
        print(f"{'':<13}{r['verdict']}")


if __name__ == "__main__":
    main()
