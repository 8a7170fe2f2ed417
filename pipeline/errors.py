"""Typed errors raised by the library; the CLI turns each into one line.

Every error names the file and carries a short hint on what to do about it.
"""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """Base class: a problem with one input, reported and skipped by a batch."""

    code = "error"
    hint = ""

    def __init__(self, path: str | Path | None, reason: str, hint: str | None = None):
        self.path = str(path) if path is not None else None
        self.reason = reason
        if hint is not None:
            self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.reason}{tail}"


class EmptyInput(PipelineError):
    code = "empty"
    hint = "the file has no content"


class UnsupportedFormat(PipelineError):
    code = "unsupported_format"
    hint = "supported: .txt, .docx, .pdf, .png, .jpg, .tif"


class DecodeFailed(PipelineError):
    code = "decode_failed"
    hint = "save it as UTF-8 or Windows-1251 text"


class CorruptFile(PipelineError):
    code = "corrupt"


class EncryptedFile(PipelineError):
    code = "encrypted"
    hint = "remove the password and export again"


class TooLarge(PipelineError):
    code = "too_large"


class NoOrderFound(PipelineError):
    code = "no_order"
    hint = "not an act or a part of one (приказ, постановление, распоряжение, указ, or an appendix under its stamp)"


class MissingDependency(PipelineError):
    code = "missing_dependency"


class OutputNotWritable(PipelineError):
    code = "output_not_writable"
    hint = "choose another folder with -o"


class OutputFull(PipelineError):
    """Writing outputs failed for every file alike (disk full, read-only, I/O error): the run stops."""

    code = "output_full"
    hint = "free space or choose another folder with -o, then run the command again: it resumes"


class StoreError(PipelineError):
    code = "store"
    hint = "check the --db path, or delete the file to start a new store"


class UnknownAgency(PipelineError):
    code = "unknown_agency"
    hint = "list the agencies with `registry versions`"


class ExportError(PipelineError):
    code = "export"


class DiffInputError(PipelineError):
    code = "diff_input"
    hint = "give two extraction JSONs, two source files, FILE.json#d1 FILE.json#d3, or --agency KEY"


class CompareInputError(PipelineError):
    code = "compare_input"
    hint = "give --db with an ingested store, or --from a folder of extraction JSON files"


class ReportError(PipelineError):
    code = "report"
    hint = "choose another folder with -o"
