"""Reading speed of the office-made DOCX kinds against bare python-docx.

    .venv/bin/python bench/kind_docx.py [--rounds 5]

``bench(rounds)`` returns one dict per input kind (the lead's ``make bench``
prints them with the other kinds):

  docx-libreoffice  the corpus orders laid out as offices do and saved by
                    LibreOffice (tests/fixtures/make_office.py): our DocxReader
                    vs python-docx walking paragraphs and table cells
  doc, rtf          the same orders saved by LibreOffice as .doc / .rtf: the
                    conversion to DOCX as the reader runs it (RTF labels made
                    literal, sandboxed LibreOffice) reported apart, then our DocxReader on the converted DOCX
                    vs python-docx on the same DOCX

Each dict: ``kind``, ``files``, ``rounds``, ``ours_s`` and ``bare_s`` (CPU
seconds for all files, best of ``rounds``, the two interleaved), ``ratio``
(ours / bare), and for .doc/.rtf ``convert_s`` (wall seconds for converting all
files, once each: it is the same work every round and takes seconds). Not a timed test; figures vary ±20–30 %
on a shared machine.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _best(fn, rounds: int) -> float:
    """Best CPU seconds of ``rounds`` runs: the readers are single-threaded, and
    CPU time keeps other work on a shared machine out of the comparison."""
    best = float("inf")
    for _ in range(max(1, rounds)):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def bare_docx(data: bytes) -> int:
    """python-docx doing the plain walk: every paragraph, every table cell."""
    import docx

    d = docx.Document(io.BytesIO(data))
    n = sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            n += sum(len(c.text) for c in row.cells)
    return n


def ours_docx(path: Path, data: bytes) -> int:
    from pipeline.readers.docx import DocxReader

    return len(DocxReader().read(path, data).lines)


def _row(kind: str, docs: list[tuple[Path, bytes]], rounds: int, convert_s: float | None = None) -> dict:
    ours_docx(*docs[0])  # imports and caches paid before timing
    bare_docx(docs[0][1])
    ours = bare = float("inf")
    for _ in range(max(1, rounds)):  # interleaved, best of each: a busy machine slows both alike
        ours = min(ours, _best(lambda: [ours_docx(p, d) for p, d in docs], 1))
        bare = min(bare, _best(lambda: [bare_docx(d) for _, d in docs], 1))
    row = {"kind": kind, "files": len(docs), "rounds": rounds, "ours_s": round(ours, 4), "bare_s": round(bare, 4),
           "ratio": round(ours / bare, 2) if bare else None}
    if convert_s is not None:
        row["convert_s"] = round(convert_s, 2)
    return row


def bench(rounds: int = 3) -> list[dict]:
    """Seconds per input kind: our reader vs bare python-docx (see the module doc)."""
    from pipeline.readers.legacy import soffice, to_docx
    from tests.fixtures.build import OUT, build_all

    build_all()
    lo = OUT / "lo"
    rows = []
    made = sorted(lo.glob("*.docx")) if lo.exists() else []
    if not made:
        return [{"kind": k, "skipped": "LibreOffice fixtures not built (soffice missing)"} for k in ("docx-libreoffice", "doc", "rtf")]
    rows.append(_row("docx-libreoffice", [(p, p.read_bytes()) for p in made], rounds))
    for ext in ("doc", "rtf"):
        files = sorted(lo.glob(f"*.{ext}"))
        if not files or soffice() is None:
            rows.append({"kind": ext, "skipped": "LibreOffice not installed"})
            continue
        t = time.perf_counter()
        converted = [(p, to_docx(p, p.read_bytes())[0]) for p in files]
        rows.append(_row(ext, converted, rounds, convert_s=time.perf_counter() - t))
    return rows


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    for r in bench(args.rounds):
        if "skipped" in r:
            print(f"{r['kind']:<17} skipped: {r['skipped']}")
            continue
        conv = f"   LibreOffice conversion {r['convert_s']:.2f} s ({r['convert_s'] / r['files']:.2f} s/file)" if "convert_s" in r else ""
        print(f"{r['kind']:<17} {r['files']} files  ours {r['ours_s'] * 1000:7.1f} ms  python-docx {r['bare_s'] * 1000:7.1f} ms"
              f"  overhead ×{r['ratio']:.2f}{conv}", flush=True)
