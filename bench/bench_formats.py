"""Reading speed per format, against the bare libraries doing the same work.

    .venv/bin/python bench/bench_formats.py            # per core, then with --jobs 2
    .venv/bin/python bench/bench_formats.py --jobs 4 --repeat 5 --scan-pages 8 --extract

Prints docs/s for txt and DOCX, pages/s for text PDFs and scans, each with the
bare-library baseline and our overhead as a ratio:

  txt    our reader (charset detection, lines, tab tables)  vs  bytes.decode + split
  docx   our reader (numbering, grids)                      vs  python-docx walking paragraphs and cells
  pdf    our reader (lines, paragraphs, tables, stitching)  vs  pdfplumber extract_text + extract_tables
  scan   our reader (deskew, grid, OCR, cells)              vs  pdfimages -j + tesseract CLI on the same pages

The fixtures are the corpus rendered by tests/fixtures (built on first use).
"--extract" also times the whole extraction (reader + every extractor) per file.
Not a timed test: numbers vary ±20-30 % run to run on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


_POOLS: dict[int, ProcessPoolExecutor] = {}


def _warm(_: int) -> None:
    import docx  # noqa: F401
    import pdfplumber  # noqa: F401

    import pipeline.readers  # noqa: F401
    import pipeline.run  # noqa: F401


def _parallel(fn, items, jobs: int) -> float:
    """Wall time of ``fn`` over ``items`` on ``jobs`` warm worker processes."""
    if jobs <= 1:
        t = time.perf_counter()
        for it in items:
            fn(it)
        return time.perf_counter() - t
    if jobs not in _POOLS:
        _POOLS[jobs] = ProcessPoolExecutor(max_workers=jobs)
        list(_POOLS[jobs].map(_warm, range(jobs * 2)))  # imports paid before timing
    t = time.perf_counter()
    list(_POOLS[jobs].map(fn, items))
    return time.perf_counter() - t


# --- the work, as top-level functions so worker processes can run them ----------

def ours_read(path: str) -> int:
    from pipeline.readers import read_file

    return len(read_file(path).lines)


def ours_extract(path: str) -> int:
    from pipeline.run import extract_file

    return len(extract_file(path).documents)


def bare_txt(path: str) -> int:
    return len(Path(path).read_bytes().decode("utf-8", errors="replace").splitlines())


def bare_docx(path: str) -> int:
    import docx

    d = docx.Document(path)
    n = sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            n += sum(len(c.text) for c in row.cells)
    return n


def bare_pdf(path: str) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(path) as pdf:
        for pg in pdf.pages:
            n += len(pg.extract_text() or "")
            n += len(pg.extract_tables())
            pg.close()
    return n


def bare_scan_page(image: str) -> int:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(["tesseract", image, "stdout", "-l", "rus", "--dpi", "200", "tsv"],
                         capture_output=True, text=True, env=env, check=True)
    return len(out.stdout)


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    n = len(doc)
    doc.close()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="parallel workers for the second pass")
    ap.add_argument("--repeat", type=int, default=3, help="repeats for the fast formats (best is kept)")
    ap.add_argument("--scan-pages", type=int, default=0, help="limit the scanned pages (0 = every scan fixture page)")
    ap.add_argument("--extract", action="store_true", help="also time the full extraction per file")
    ap.add_argument("--skip-scans", action="store_true")
    args = ap.parse_args()

    from tests.fixtures.build import CORPUS, OUT, build_all

    t = time.perf_counter()
    build_all()
    print(f"fixtures ready in {time.perf_counter() - t:.1f} s ({OUT})")
    txts = [str(p) for p in sorted(CORPUS.glob("*.txt"))]
    docxs = sorted(str(p) for p in (OUT / "docx").glob("*.docx"))
    pdfs = sorted(str(p) for p in (OUT / "pdf").glob("*.pdf"))
    scans = sorted((OUT / "scan").glob("*.pdf"))
    n_pdf_pages = sum(pdf_pages(Path(p)) for p in pdfs)

    rows: list[tuple] = []

    def line(fmt, unit, count, ours, bare, jobs):
        ratio = ours / bare if bare else float("nan")
        rows.append((fmt, jobs, count / ours, count / bare if bare else float("nan"), unit, ratio))
        print(f"{fmt:<16} jobs={jobs}  ours {count / ours:8.2f} {unit}/s   bare {count / bare:8.2f} {unit}/s   overhead ×{ratio:.2f}", flush=True)

    for jobs in (1, args.jobs):
        # warm imports and caches in this process before timing
        ours_read(txts[0]), ours_read(docxs[0]), ours_read(pdfs[0])
        if jobs > 1:
            _parallel(ours_read, txts + docxs + pdfs, jobs)  # warm the workers' caches too
        run = (lambda fn, items: _best(lambda: [fn(i) for i in items], args.repeat)) if jobs == 1 else \
              (lambda fn, items: _parallel(fn, items * args.repeat, jobs) / args.repeat)
        line("txt", "docs", len(txts), run(ours_read, txts), run(bare_txt, txts), jobs)
        line("docx", "docs", len(docxs), run(ours_read, docxs), run(bare_docx, docxs), jobs)
        line("pdf (text)", "pages", n_pdf_pages, run(ours_read, pdfs), run(bare_pdf, pdfs), jobs)
        if args.extract:
            for fmt, items in (("txt+extract", txts), ("docx+extract", docxs), ("pdf+extract", pdfs)):
                ours_extract(items[0])
                tt = run(ours_extract, items)
                print(f"{fmt:<16} jobs={jobs}  ours {len(items) / tt:8.2f} docs/s  (reader + all extractors)", flush=True)

    if args.skip_scans or shutil.which("tesseract") is None:
        print("scans: skipped" + (" (tesseract not installed)" if shutil.which("tesseract") is None else ""))
        return
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        # the same page images for both: the JPEGs embedded in the scan PDFs
        t = time.perf_counter()
        images: list[str] = []
        for k, pdf in enumerate(scans):
            prefix = Path(tmp) / f"s{k}"
            subprocess.run(["pdfimages", "-j", str(pdf), str(prefix)], check=True)
            images += sorted(str(p) for p in Path(tmp).glob(f"s{k}-*"))
        t_extract = time.perf_counter() - t
        if args.scan_pages:
            images = images[: args.scan_pages]
        n_pages = len(images)
        # our reader on the same pages: one single-page scan PDF per page keeps it page for page
        from PIL import Image

        page_pdfs = []
        for i, img in enumerate(images):
            out = Path(tmp) / f"page{i:03d}.pdf"
            Image.open(img).save(out, "PDF", resolution=200)
            page_pdfs.append(str(out))
        print(f"scan pages: {n_pages} (pdfimages -j took {t_extract:.2f} s for all)")
        for jobs in (1, args.jobs):
            os.environ["REGISTRY_OCR_JOBS"] = "1"
            ours = _parallel(ours_read, page_pdfs, jobs)
            bare = _parallel(bare_scan_page, images, jobs)
            line("scan (OCR)", "pages", n_pages, ours, bare, jobs)
        # one multi-page file, pages in parallel inside the reader (how a batch of one file runs)
        os.environ["REGISTRY_OCR_JOBS"] = str(args.jobs)
        big = max(scans, key=pdf_pages)
        n_big = pdf_pages(big)
        t = time.perf_counter()
        ours_read(str(big))
        tt = time.perf_counter() - t
        print(f"scan one file    {n_big} pages, reader's own page parallelism ({args.jobs} jobs): {n_big / tt:.2f} pages/s")

    print("\nsummary (per core = jobs 1):")
    for fmt, jobs, ours, bare, unit, ratio in rows:
        print(f"  {fmt:<12} jobs={jobs}: {ours:7.2f} {unit}/s, bare {bare:7.2f} {unit}/s, ×{ratio:.2f}")


if __name__ == "__main__":
    main()
