"""PDFs as offices make them: our reader against bare pdfplumber on the same files.

    .venv/bin/python bench/kind_pdf.py [--rounds 3]

Per input kind of tests/fixtures/make_office_pdf.py (built on first use):

  lo_justified   the five corpus orders exported by LibreOffice (justified text,
                 a bilingual letterhead, page-number fields, ruled Перечень)
  ws_table       the Перечень laid out with tab stops, no ruling lines, landscape
  ws_rotated     the same with its landscape pages stored with /Rotate 90
  text_layer     a 200-dpi scan with Tesseract's invisible text layer (used, no OCR)

``bench(rounds)`` returns one dict per kind: files, pages, seconds of
``pipeline.readers.read_file`` and of bare pdfplumber (``extract_text`` +
``extract_tables`` on every page) — the best of ``rounds`` runs, summed over the
kind's files — and their ratio. Seconds are of CPU (this process and any
Tesseract it waited for), the rounds of both taken in turn: on a shared,
loaded machine wall seconds of a 0.5-s file vary by half. Not a timed test:
shared machines vary ±20-30 %.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _files() -> dict[str, list[Path]]:
    from tests.fixtures.build import OUT, build_all

    build_all()
    d = OUT / "officepdf"
    index = json.loads((d / "index.json").read_text())
    sakhalin = next((s for s in index.get("textlayer", []) if not s.endswith(("-garbage", "-table"))), None)
    return {
        "lo_justified": [d / "lo" / f"{s}.pdf" for s in index.get("lo", [])],
        "ws_table": [d / "tabs" / f"{s}.pdf" for s in index.get("tabs", [])],
        "ws_rotated": [d / "rotated" / f"{s}.pdf" for s in index.get("rotated", [])],
        "text_layer": [d / "textlayer" / f"{sakhalin}.pdf"] if sakhalin else [],
    }


def _ours(path: Path) -> None:
    from pipeline.readers import read_file

    read_file(path)


def _bare(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for pg in pdf.pages:
            pg.extract_text()
            pg.extract_tables()
            pg.close()


def _cpu() -> float:
    """CPU seconds of this process (all its threads) and of the children it waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _once(fn, path: Path) -> float:
    t = _cpu()
    fn(path)
    return _cpu() - t


def bench(rounds: int = 3) -> list[dict]:
    """Seconds of our reader and of bare pdfplumber per new PDF kind (see the module doc)."""
    import pdfplumber

    from pipeline.nlp import is_known_word

    is_known_word("приказ")  # the dictionary is loaded once per process, not per file
    out = []
    for kind, files in _files().items():
        if not files:
            out.append({"kind": kind, "files": 0, "skipped": "fixture not built (LibreOffice or Tesseract missing)"})
            continue
        pages = 0
        ours = bare = 0.0
        for f in files:
            with pdfplumber.open(f) as pdf:
                pages += len(pdf.pages)
            _ours(f)  # warm caches and imports
            _bare(f)
            o = b = float("inf")
            for _ in range(max(1, rounds)):  # in turn, best of each: a busy machine slows both alike
                o, b = min(o, _once(_ours, f)), min(b, _once(_bare, f))
            ours += o
            bare += b
        out.append({"kind": kind, "files": len(files), "pages": pages, "ours_s": round(ours, 3),
                    "pdfplumber_s": round(bare, 3), "ratio": round(ours / bare, 2) if bare else None})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"{'kind':<14}{'files':>6}{'pages':>7}{'ours s':>9}{'pdfplumber s':>14}{'ratio':>7}")
    for r in bench(args.rounds):
        if "skipped" in r:
            print(f"{r['kind']:<14} skipped: {r['skipped']}")
            continue
        print(f"{r['kind']:<14}{r['files']:>6}{r['pages']:>7}{r['ours_s']:>9.3f}{r['pdfplumber_s']:>14.3f}{r['ratio']:>7.2f}")


if __name__ == "__main__":
    main()
