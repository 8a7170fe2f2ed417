"""Legacy word-processor formats (.doc, .rtf, .odt): converted to DOCX by
LibreOffice headless, then read by the DOCX reader.

LibreOffice is optional. Without it these formats fail with a clear error
saying how to install it; nothing else needs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.document import SourceText
from pipeline.errors import CorruptFile, MissingDependency
from pipeline.readers.base import Reader
from pipeline.readers.docx import DocxReader

INSTALL_HINT = "install LibreOffice: sudo apt-get install libreoffice-writer-nogui (or save the file as DOCX)"
TIMEOUT = 180


def soffice() -> str | None:
    if "REGISTRY_SOFFICE" in os.environ:
        return shutil.which(os.environ["REGISTRY_SOFFICE"])
    return shutil.which("soffice") or shutil.which("libreoffice")


class LegacyReader(Reader):
    name = "libreoffice+docx"
    format = "docx"
    extensions = (".doc", ".rtf", ".odt")

    def read(self, path: Path, data: bytes) -> SourceText:
        exe = soffice()
        if exe is None:
            raise MissingDependency(path, f"{path.suffix or 'this'} files need LibreOffice to convert them, and it is not installed", hint=INSTALL_HINT)
        with tempfile.TemporaryDirectory(prefix="registry-lo-") as tmp:
            src = Path(tmp) / f"input{path.suffix.lower() or '.doc'}"
            src.write_bytes(data)
            # a private profile: parallel conversions must not share (and lock) one
            profile = Path(tmp) / "profile"
            try:
                proc = subprocess.run(
                    [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                     "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)],
                    capture_output=True, text=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                raise CorruptFile(path, f"LibreOffice did not convert the file within {TIMEOUT} s") from None
            out = Path(tmp) / "input.docx"
            if proc.returncode != 0 or not out.exists():
                raise CorruptFile(path, "LibreOffice could not convert the file (damaged or not a document)",
                                  hint="open it in a word processor and save as DOCX")
            result = DocxReader().read(path, out.read_bytes())
        result.reader = self.name
        return result
