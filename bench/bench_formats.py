"""Speed per format: the whole extraction against the bare libraries doing the
same reading, on one core; scans also with --jobs 1 and 2.

    make bench                                        # this, bench/bench_kinds.py, then bench/bench_scale.py
    .venv/bin/python bench/bench_formats.py [--rounds 3] [--scan-pages 15] [--skip-scans]

Rows (targets of issue 10 in brackets):

  txt          full extraction, orders/s on one core: generated orders seen for
               the first time (bench/gen_orders.py), and the five corpus orders
               again (every per-text cache warm)                    [≥ 100/s]
  docx         full extraction  vs  python-docx walking every paragraph and cell  [≤ ×2]
  pdf (text)   full extraction  vs  pdfplumber extract_text + extract_tables      [≤ ×1.2]
  scan         full extraction of whole scanned orders  vs  the tesseract CLI on
               the same page images (pdfimages -j), then pages/s with --jobs 1 and 2
                                                  [≤ ×1.15, pages/s growing with jobs]

Ratios are of CPU seconds (this process and the Tesseract processes it waits
for), so a busy shared machine slows both sides alike; pages/s with jobs are
wall-clock. Each fast format runs in its own process, warmed on an unrelated
act, so that the first pass sees its texts for the first time ("first sight");
"again" repeats them with every cache warm. Not a timed test: figures vary
±20–30 % run to run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WARM_ACT = ROOT / "corpus" / "real" / "kirov-government-2023-09-18-281.txt"  # not a template of any fixture


def cpu() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn, items) -> float:
    t = cpu()
    for it in items:
        fn(it)
    return cpu() - t


# --- the work, as top-level functions so worker processes can run them ----------

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


BARE = {"txt": bare_txt, "docx": bare_docx, "pdf": bare_pdf}


# --- one format in a fresh process ----------------------------------------------

def child(fmt: str, files: list[str], rounds: int) -> dict:
    """First sight and again, ours (full extraction) and bare, in CPU seconds."""
    ours_extract(str(WARM_ACT))  # imports, vocabularies, the dictionary
    BARE[fmt](files[0])  # the bare library's imports
    first = timed(ours_extract, files)
    bare = min(timed(BARE[fmt], files) for _ in range(rounds))
    again = min(timed(ours_extract, files) for _ in range(rounds))
    return {"files": len(files), "first_s": first, "again_s": again, "bare_s": bare}


def run_child(fmt: str, files: list, rounds: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", fmt, "--rounds", str(rounds), *map(str, files)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- scans --------------------------------------------------------------------------

_POOLS: dict[int, ProcessPoolExecutor] = {}


def _warm(_: int) -> None:
    ours_extract(str(WARM_ACT))


def parallel_wall(fn, items, jobs: int) -> float:
    """Wall seconds of ``fn`` over ``items`` on ``jobs`` warm worker processes."""
    if jobs not in _POOLS:
        _POOLS[jobs] = ProcessPoolExecutor(max_workers=jobs)
        list(_POOLS[jobs].map(_warm, range(jobs * 2)))  # imports paid before timing
    t = time.perf_counter()
    list(_POOLS[jobs].map(fn, items))
    return time.perf_counter() - t


def bench_scans(scans: list[Path], max_pages: int, report) -> None:
    """Whole scanned orders (the smallest first, up to ``max_pages`` pages):
    our full extraction vs the tesseract CLI on the same page images."""
    if shutil.which("tesseract") is None or shutil.which("pdfimages") is None:
        print("scan: skipped (tesseract or pdfimages not installed)")
        return
    os.environ["REGISTRY_OCR_JOBS"] = "1"  # one Tesseract per file, parallelism from --jobs
    files, n = [], 0
    for pdf in sorted(scans, key=pdf_pages):
        if max_pages and n >= max_pages:
            break
        files.append(str(pdf))
        n += pdf_pages(pdf)
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        images: list[str] = []
        for k, pdf in enumerate(files):
            prefix = Path(tmp) / f"s{k}"
            subprocess.run(["pdfimages", "-j", pdf, str(prefix)], check=True)
            images += sorted(str(p) for p in Path(tmp).glob(f"s{k}-*"))
        ours_extract(str(WARM_ACT))
        ours = timed(ours_extract, files)
        bare = timed(bare_scan_page, images)
        report("scan", f"{len(files)} files, {n} pages, one core: ours {n / ours:5.2f} pages/s, tesseract "
                       f"{len(images) / bare:5.2f} pages/s (CPU)  ratio ×{ours / bare:.2f}  [target ≤ ×1.15]")
        walls = {}
        for jobs in (1, 2):
            walls[jobs] = parallel_wall(ours_extract, files, jobs)
            report("scan", f"--jobs {jobs}: {n / walls[jobs]:5.2f} pages/s (wall, full extraction)")
        report("scan", f"jobs 2 / jobs 1: ×{walls[1] / walls[2]:.2f} pages/s on {os.cpu_count()} cores")
        for pool in _POOLS.values():
            pool.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="repeats of the fast formats (best is kept)")
    ap.add_argument("--generated", type=int, default=200, help="generated txt orders for the one-core figure")
    ap.add_argument("--scan-pages", type=int, default=15, help="scanned pages to OCR, whole orders (0 = every scan fixture)")
    ap.add_argument("--skip-scans", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.files, args.rounds)))
        return

    from gen_orders import generate
    from tests.fixtures.build import CORPUS, OUT, build_all

    build_all()
    lines: list[str] = []

    def report(fmt: str, text: str) -> None:
        lines.append(f"{fmt:<22} {text}")
        print(lines[-1], flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-gen-") as tmp:
        gen = generate(args.generated, tmp)
        r = run_child("txt", gen, 1)
        report("txt (generated)", f"{r['files']} orders, one core: {r['files'] / r['first_s']:6.1f} orders/s first sight "
                                  f"[target ≥ 100/s]; bare decode {r['files'] / r['bare_s']:8.0f} files/s")
    txts = sorted(CORPUS.glob("*.txt"))
    r = run_child("txt", txts, args.rounds)
    report("txt (corpus)", f"{len(txts)} orders, one core: {r['files'] / r['first_s']:6.1f} orders/s first sight, "
                           f"{r['files'] / r['again_s']:6.1f} orders/s again")
    for fmt, folder, ext, label, target in (("docx", "docx", "docx", "python-docx walk", "≤ ×2"),
                                            ("pdf", "pdf", "pdf", "pdfplumber", "≤ ×1.2")):
        files = sorted((OUT / folder).glob(f"*.{ext}"))
        r = run_child(fmt, files, args.rounds)
        unit = "docs"
        count = r["files"]
        if fmt == "pdf":
            unit, count = "pages", sum(pdf_pages(f) for f in files)
        report(fmt, f"{count} {unit}: full extraction ×{r['first_s'] / r['bare_s']:.2f} of {label} first sight, "
                    f"×{r['again_s'] / r['bare_s']:.2f} again [target {target}]; "
                    f"{count / r['first_s']:.1f} {unit}/s vs {count / r['bare_s']:.1f} {unit}/s")
    if not args.skip_scans:
        bench_scans(sorted((OUT / "scan").glob("*.pdf")), args.scan_pages, report)
    print("\nsummary:")
    for ln in lines:
        print("  " + ln)


if __name__ == "__main__":
    main()
