"""Phone photos: our reader against bare ``tesseract IMG stdout -l rus`` on the same images.

    .venv/bin/python bench/kind_photo.py [--rounds 3]

Per input kind of tests/fixtures/make_photos.py (built on first use):

  photo_jpeg   page 1 of the Сахалин order on a desk, 150 dpi JPEG (edges, 3°, warm light)
  photo_png    page 1 of the Алтай order, 150 dpi PNG without a recorded resolution (shadow, −4.5°)
  photo_tiff   the Осетия 2023 order, pages 1–3 at 200 dpi in one multi-page TIFF (the working group)
  photo_table  the Осетия 2026 order, all 8 pages at 200 dpi in one TIFF (the Перечень table)

``bench(rounds)`` returns one dict per kind: files, pages, CPU seconds (this
process and the Tesseract processes it waited for, so threads and child
processes count alike) of ``pipeline.readers.read_file`` and of the bare CLI
(``OMP_THREAD_LIMIT=1``, as our reader runs it), the best of ``rounds`` runs,
their ratio, the wall seconds of each, and the words each read (plain Tesseract
is quick on a photo partly because it gives up on what it cannot read: a
shadowed, turned page). Our reader does more than the bare
CLI: photo preparation (OpenCV: page edges, illumination, margins), small print
enlarged to 200 dpi, the ruling-line grid, table cells re-read one by one.
Not a timed test: shared machines vary ±20-30 %.
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


def _ours(path: Path) -> int:
    """Words read."""
    from pipeline.readers import read_file

    return len(read_file(path).text.split())


def _bare(path: Path) -> int:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(["tesseract", str(path), "stdout", "-l", "rus"], capture_output=True, text=True, env=env, check=True)
    return len(out.stdout.split())


def _best(fn, path: Path, rounds: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of the fastest of ``rounds`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(rounds):
        c, t = _cpu(), time.perf_counter()
        fn(path)
        best = min(best, (_cpu() - c, time.perf_counter() - t))
    return best


def bench(rounds: int = 3) -> list[dict]:
    """Seconds of our reader and of bare Tesseract per photo kind (see the module doc)."""
    from PIL import Image

    from pipeline.readers.tesseract import tesseract_status
    from tests.fixtures.build import OUT, build_all

    if not tesseract_status("tesseract", "rus")[0]:
        return [{"kind": k, "files": 0, "skipped": "tesseract with rus data not installed"} for k in KINDS]
    build_all()
    from pipeline.nlp import is_known_word

    is_known_word("приказ")  # the dictionary is loaded once per process, not per file
    out = []
    for kind, name in KINDS.items():
        path = OUT / "photo" / name
        if not path.exists():
            out.append({"kind": kind, "files": 0, "skipped": f"fixture {name} not built"})
            continue
        with Image.open(path) as im:
            pages = getattr(im, "n_frames", 1)
        ours_words = _ours(path)  # also warms: imports, OpenCV, the in-process Tesseract for cells
        bare_words = _bare(path)
        ours, ours_wall = _best(_ours, path, rounds)
        bare, bare_wall = _best(_bare, path, rounds)
        out.append({"kind": kind, "files": 1, "pages": pages, "ours_s": round(ours, 2), "tesseract_s": round(bare, 2),
                    "ratio": round(ours / bare, 2) if bare else None,
                    "ours_wall_s": round(ours_wall, 2), "tesseract_wall_s": round(bare_wall, 2),
                    "ours_words": ours_words, "tesseract_words": bare_words})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"{'kind':<13}{'pages':>6}{'ours s':>9}{'tesseract s':>13}{'ratio':>7}{'ours wall':>11}{'tess wall':>11}"
          f"{'ours words':>12}{'tess words':>12}  (seconds of CPU unless wall)")
    for r in bench(args.rounds):
        if "skipped" in r:
            print(f"{r['kind']:<13} skipped: {r['skipped']}")
            continue
        print(f"{r['kind']:<13}{r['pages']:>6}{r['ours_s']:>9.2f}{r['tesseract_s']:>13.2f}{r['ratio']:>7.2f}"
              f"{r['ours_wall_s']:>11.2f}{r['tesseract_wall_s']:>11.2f}{r['ours_words']:>12}{r['tesseract_words']:>12}")


if __name__ == "__main__":
    main()
