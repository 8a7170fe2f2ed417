"""The Tesseract driver: is it installed, read a page image, find its orientation.

Tesseract runs as a subprocess per page with ``OMP_THREAD_LIMIT=1``: one
single-threaded process per core is ~2.6× faster than one multi-threaded
process, so parallelism is ours (:func:`ocr_jobs`, ``REGISTRY_OCR_JOBS``).
The binary is ``REGISTRY_TESSERACT`` or ``tesseract`` on the PATH; whether it
runs and has the language data is checked once per (binary, language):

    >>> tesseract_status("/nonexistent/tesseract", "rus")[0]
    False
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from pipeline.errors import MissingDependency
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
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
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
    """Tesseract processes run at once: ``REGISTRY_OCR_JOBS``, else one per core."""
    try:
        return max(1, int(os.environ.get("REGISTRY_OCR_JOBS", "0")) or (os.cpu_count() or 1))
    except ValueError:
        return os.cpu_count() or 1


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


def _tesseract(img: Image.Image, args: list[str], exe: str, prefix: str, timeout: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        src = Path(tmp) / "page.pgm"  # uncompressed: PNG encoding cost 0.7 s a page
        img.convert("L").save(src, "PPM")
        return subprocess.run([exe, str(src), "stdout", *args], capture_output=True, text=True, env=env, timeout=timeout)


def run_tesseract(img: Image.Image, exe: str, dpi: int, st: OcrSettings = DEFAULTS.ocr, psm: int | None = None) -> list[Word]:
    """The words of ``img`` (``tesseract … tsv``); RuntimeError when Tesseract fails."""
    proc = _tesseract(img, ["-l", st.lang, "--psm", str(psm or st.psm), "--dpi", str(dpi), "tsv"],
                      exe, "registry-ocr-", st.timeout)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"tesseract exit {proc.returncode}")
    words = []
    for row in proc.stdout.splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        x, y, w_, h_ = (int(v) for v in parts[6:10])
        words.append(Word(parts[11].strip(), x, y, x + w_, y + h_, float(parts[10]),
                          (int(parts[2]), int(parts[3]), int(parts[4]))))
    return words


def osd_rotation(img: Image.Image, exe: str) -> int:
    """Degrees to rotate (counter-clockwise, PIL) so the text stands upright; 0 if unsure."""
    proc = _tesseract(img, ["--psm", "0"], exe, "registry-osd-", 60)
    for ln in proc.stdout.splitlines():
        if ln.startswith("Rotate:"):
            return int(ln.split(":")[1].strip())
    return 0
