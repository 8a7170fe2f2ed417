"""The Tesseract driver: is it installed, read a page image, find its orientation.

Pages and table cells go to libtesseract in process through ``tesserocr``
when it is installed (:func:`run_tesseract`, :func:`read_block`): the model
stays loaded, one API per thread (it releases the GIL while it recognises, so
threads read pages in parallel), no image file is written and no process
started — a page costs 10–25 % less CPU than the CLI on the same image, a cell
~50 ms against a process start and model load each. Recognition is given
``OcrSettings.timeout`` (libtesseract's own deadline); memory is the worker's.
``OcrSettings.cell_engine = "cli"`` turns the library off.

Otherwise, and for orientation detection, the ``tesseract`` CLI runs as a
subprocess with ``OMP_THREAD_LIMIT=1`` (one single-threaded process per core is
~2.6× faster than one multi-threaded process, so parallelism is ours:
:func:`ocr_jobs`, ``REGISTRY_OCR_JOBS``), within ``OcrSettings.timeout`` seconds
and ``OcrSettings.memory_mb`` of memory, its whole process group killed on
timeout (:func:`pipeline.readers.external.run_tool`). The binary is
``REGISTRY_TESSERACT`` or ``tesseract`` on the PATH; whether it runs and has
the language data is checked once per (binary, language).

    >>> tesseract_status("/nonexistent/tesseract", "rus")[0]
    False
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from pipeline.errors import MissingDependency
from pipeline.readers.external import ToolTimeout, run_tool
from pipeline.readers.settings import DEFAULTS, OcrSettings

INSTALL_HINT = "install it: sudo apt-get install tesseract-ocr tesseract-ocr-rus (or run scripts/system-deps.sh)"


def tesseract_cmd() -> str:
    return os.environ.get("REGISTRY_TESSERACT", "tesseract")


@lru_cache(maxsize=4)
def tesseract_status(cmd: str, lang: str) -> tuple[bool, str]:
    """(True, path of the binary) when ``cmd`` runs and has ``lang`` data, else
    (False, why not). Cached: ``tesseract_status.cache_clear()`` after changing
    the environment."""
    exe = shutil.which(cmd)
    if exe is None:
        return False, f"Tesseract OCR is not installed ('{cmd}' not found); scans and images need it"
    try:
        out = run_tool([exe, "--list-langs"], timeout=30, memory_mb=DEFAULTS.ocr.memory_mb)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"Tesseract OCR does not run ({exc})"
    langs = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()}
    if lang not in langs:
        return False, f"Tesseract has no '{lang}' language data; scans of Russian orders need it"
    return True, exe


def check_tesseract(path: Path | None, lang: str = "rus") -> str:
    """Path of the tesseract binary, or MissingDependency naming the file."""
    ok, msg = tesseract_status(tesseract_cmd(), lang)
    if not ok:
        raise MissingDependency(path, msg, hint=INSTALL_HINT)
    return msg


def ocr_jobs() -> int:
    """Pages of one file read at once: ``REGISTRY_OCR_JOBS``; else one per core
    in the main process, and one in a worker process of a batch (``--jobs N``:
    the workers are the parallelism, more threads would only contend)."""
    import multiprocessing  # noqa: PLC0415 - only to tell a worker process

    try:
        n = int(os.environ.get("REGISTRY_OCR_JOBS", "0"))
    except ValueError:
        n = 0
    if n > 0:
        return n
    return 1 if multiprocessing.parent_process() is not None else (os.cpu_count() or 1)


@dataclass
class Word:
    """A word as Tesseract read it, box in image pixels, confidence 0..100."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float
    key: tuple[int, int, int]  # block, paragraph, line


def _tesseract(img: Image.Image, args: list[str], exe: str, prefix: str, timeout: int,
               memory_mb: int = DEFAULTS.ocr.memory_mb) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: PNG encoding cost 0.7 s a page
        img.convert("L").save(src, "PPM")
        return run_tool([exe, str(src), "stdout", *args], timeout=timeout, memory_mb=memory_mb, env=env)


def run_tesseract(img: Image.Image, exe: str, dpi: int, st: OcrSettings = DEFAULTS.ocr, psm: int | None = None,
                  whitelist: str | None = None) -> list[Word]:
    """The words of ``img`` (a page, or a cell with ``psm`` 6–8): libtesseract in
    process when ``st.cell_engine`` allows and tesserocr is there, else
    ``tesseract … tsv``; RuntimeError when Tesseract fails or runs out of time.
    ``whitelist``: the only characters it may read (a row number: digits)."""
    psm = psm or st.psm
    path = inprocess_engine(st.lang) if st.cell_engine == "auto" else None
    if path is not None:
        return _recognize(img, path, dpi, st, psm, whitelist)
    extra = ["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else []
    proc = _tesseract(img, ["-l", st.lang, "--psm", str(psm), "--dpi", str(dpi), *extra, "tsv"],
                      exe, "registry-ocr-", st.timeout, st.memory_mb)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"tesseract exit {proc.returncode}")
    return parse_tsv(proc.stdout)


def parse_tsv(tsv: str) -> list[Word]:
    """Words (level-5 rows) of Tesseract's TSV output, with or without its header row."""
    words = []
    for row in tsv.splitlines():
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        x, y, w_, h_ = (int(v) for v in parts[6:10])
        words.append(Word(parts[11].strip(), x, y, x + w_, y + h_, float(parts[10]),
                          (int(parts[2]), int(parts[3]), int(parts[4]))))
    return words


# --- libtesseract in process (tesserocr) ---------------------------------------------

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata", "/opt/homebrew/share/tessdata")
_LOCAL = threading.local()


def tessdata_dir(lang: str) -> str | None:
    """The folder with ``<lang>.traineddata`` that the CLI reads too: ``TESSDATA_PREFIX``, else
    the usual system folders."""
    env = os.environ.get("TESSDATA_PREFIX")
    for d in ([env, str(Path(env) / "tessdata")] if env else []) + list(TESSDATA_DIRS):
        if (Path(d) / f"{lang}.traineddata").is_file():
            return d
    return None


@lru_cache(maxsize=4)
def inprocess_engine(lang: str) -> str | None:
    """The tessdata folder when tesserocr is installed and loads ``lang`` from it, else None."""
    try:
        import tesserocr  # noqa: PLC0415 - optional
    except ImportError:
        return None
    path = tessdata_dir(lang)
    if path is None:
        return None
    try:
        api = tesserocr.PyTessBaseAPI(path=path + "/", lang=lang)
        api.End()
    except RuntimeError:
        return None
    return path


def _api(lang: str, path: str):
    apis = getattr(_LOCAL, "apis", None)
    if apis is None:
        apis = _LOCAL.apis = {}
    if lang not in apis:
        import tesserocr  # noqa: PLC0415

        apis[lang] = tesserocr.PyTessBaseAPI(path=path + "/", lang=lang)
    return apis[lang]


def read_block(img: Image.Image, exe: str, dpi: int, st: OcrSettings = DEFAULTS.ocr, psm: int = 6,
               whitelist: str | None = None) -> list[Word]:
    """The words of a small image (a table cell), as :func:`run_tesseract` reads them."""
    return run_tesseract(img, exe, dpi, st, psm=psm, whitelist=whitelist)


def _recognize(img: Image.Image, path: str, dpi: int, st: OcrSettings, psm: int, whitelist: str | None) -> list[Word]:
    api = _api(st.lang, path)
    api.SetPageSegMode(psm)
    api.SetVariable("tessedit_char_whitelist", whitelist or "")
    try:
        api.SetImage(img if img.mode == "L" else img.convert("L"))
        api.SetSourceResolution(dpi)
        if not api.Recognize(st.timeout * 1000):
            raise RuntimeError(f"Tesseract did not read the image within {st.timeout} s")
        return parse_tsv(api.GetTSVText(0))
    finally:
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", "")
        api.Clear()  # the image's memory back now, not at the next page


def osd_rotation(img: Image.Image, exe: str) -> int:
    """Degrees to rotate (counter-clockwise, PIL) so the text stands upright; 0 if unsure."""
    try:
        proc = _tesseract(img, ["--psm", "0"], exe, "registry-osd-", 60)
    except ToolTimeout:
        return 0  # killed after a minute: read the page as it stands
    for ln in proc.stdout.splitlines():
        if ln.startswith("Rotate:"):
            return int(ln.split(":")[1].strip())
    return 0
