"""The source beside the values: the normalized text the spans point into, and
page images of PDFs and scans — read once per file content and cached on disk.

The store keeps the extraction, not the text: the file is read again with the
same reader (:func:`pipeline.readers.read_file`) the first time a document is
opened, and its lines (offsets, page, bbox) are cached under
``<cache>/<sha256>/text.json``; page images are rendered with pypdfium2 (PDF)
or Pillow (image files) into ``<cache>/<sha256>/p<N>.png`` (``.jpg`` for scans). A cached file is
keyed by content, so it is never stale; after the first render a document of
any length opens without touching the source.

Everything a source can go wrong with becomes a :class:`SourceLines` with a
``problem`` in Russian (missing file, changed content, unreadable, text read
differently than at extraction), never an exception.
"""

from __future__ import annotations

import io
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.jsonio import sha256_file, write_atomic
from pipeline.review.book import FileRow

PAGE_WIDTH_PX = 1100  # rendered page width: readable beside the values, small enough to cache
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@dataclass
class SourceLines:
    format: str
    lines: list[dict] = field(default_factory=list)  # {no, start, end, text, page, bbox}
    pages: list[tuple[float, float]] = field(default_factory=list)  # page size in bbox units (PDF points, image pixels)
    text_sha256: str | None = None
    problem: str | None = None  # why the source cannot be shown
    notice: str | None = None  # shown, but with a caveat

    @property
    def paged(self) -> bool:
        return self.format in ("pdf", "image") and bool(self.pages)


def _lock(key: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def _check_file(f: FileRow) -> str | None:
    p = Path(f.path)
    if not p.is_file():
        return f"Исходный файл не найден: {f.path}. Значения показаны без источника."
    try:
        if sha256_file(p) != f.sha256:
            return (f"Исходный файл {f.path} изменился после загрузки в хранилище. Загрузите его заново "
                    "(registry ingest) — значения показаны без источника.")
    except OSError as exc:
        return f"Исходный файл не читается: {exc.strerror or exc}."
    return None


def source_lines(f: FileRow, fmt: str, expected_text_sha256: str | None, cache: Path) -> SourceLines:
    """The lines of the stored file ``f`` (read once, then from the cache)."""
    target = cache / f.sha256 / "text.json"
    with _lock(f.sha256):
        if target.is_file():
            try:
                data = json.loads(target.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
        else:
            data = None
        if data is None:
            problem = _check_file(f)
            if problem:
                return SourceLines(fmt, problem=problem)
            try:
                data = _read(Path(f.path), fmt)
            except PipelineError as exc:
                return SourceLines(fmt, problem=f"Исходный файл не читается: {exc.reason}.")
            except Exception as exc:  # noqa: BLE001 - a broken file must give a page, not a traceback
                return SourceLines(fmt, problem=f"Исходный файл не читается: {type(exc).__name__}: {exc}.")
            try:
                write_atomic(target, json.dumps(data, ensure_ascii=False))
            except OSError:
                pass  # no cache: read again next time
    src = SourceLines(fmt, data["lines"], [tuple(p) for p in data["pages"]], data["text_sha256"])
    if expected_text_sha256 and src.text_sha256 != expected_text_sha256:
        src.notice = ("Текст источника прочитан иначе, чем при извлечении (обновилась программа чтения?): "
                      "выделения могут не совпадать с текстом. Извлеките файл заново: registry ingest --force.")
    return src


def _read(path: Path, fmt: str) -> dict:
    from pipeline.readers import read_file

    src = read_file(path)
    lines = [{"no": ln.no, "start": ln.start, "end": ln.end, "text": ln.text, "page": ln.page,
              "bbox": list(ln.bbox) if ln.bbox else None} for ln in src.lines]
    return {"lines": lines, "pages": _page_sizes(path, src.format), "text_sha256": src.text_sha256}


def _page_sizes(path: Path, fmt: str) -> list[list[float]]:
    if fmt == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            return [list(doc[i].get_size()) for i in range(len(doc))]
        finally:
            doc.close()
    if fmt == "image":
        from PIL import Image

        with Image.open(path) as im:
            sizes = []
            for k in range(getattr(im, "n_frames", 1)):
                im.seek(k)
                sizes.append([float(im.width), float(im.height)])
            return sizes
    return []


def page_image(f: FileRow, fmt: str, page: int, cache: Path, scan: bool = False) -> tuple[bytes, str] | None:
    """(image, media type) of page ``page`` (1-based) of a stored PDF or image file; None when
    there is no such page. Scans are JPEG (a noisy scan as PNG is ~1.5 MB a page), text PDFs PNG."""
    ext, media = ("jpg", "image/jpeg") if scan else ("png", "image/png")
    target = cache / f.sha256 / f"p{page}.{ext}"
    with _lock(f"{f.sha256}/{page}"):
        if target.is_file():
            return target.read_bytes(), media
        if _check_file(f):
            return None
        try:
            data = _render(Path(f.path), fmt, page, "JPEG" if scan else "PNG")
        except Exception:  # noqa: BLE001 - a broken page gives a 404, not a traceback
            return None
        if data is None:
            return None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
        except OSError:
            pass
        return data, media


def _render(path: Path, fmt: str, page: int, kind: str) -> bytes | None:
    from PIL import Image

    if fmt == "pdf":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(doc):
                return None
            pg = doc[page - 1]
            img = pg.render(scale=PAGE_WIDTH_PX / pg.get_width()).to_pil()
        finally:
            doc.close()
    elif fmt == "image":
        with Image.open(path) as im:
            if not 1 <= page <= getattr(im, "n_frames", 1):
                return None
            im.seek(page - 1)
            img = im.convert("RGB") if im.mode not in ("RGB", "L") else im.copy()
        if img.width > PAGE_WIDTH_PX:
            img = img.resize((PAGE_WIDTH_PX, round(img.height * PAGE_WIDTH_PX / img.width)))
    else:
        return None
    buf = io.BytesIO()
    if kind == "JPEG":
        img.convert("L" if img.mode == "L" else "RGB").save(buf, format="JPEG", quality=80)
    else:
        img.save(buf, format="PNG")
    return buf.getvalue()
