"""Assemble the comparison report: agencies from :mod:`pipeline.compare`,
the overview and eight sections from :mod:`pipeline.report.sections`, written
by :mod:`pipeline.report.export` (``registry compare``).

Example::

    >>> cmp = build(load_dir("outputs"))
    >>> [s.title for s in cmp.sections][:2]
    ['Channels', 'Client needs']
    >>> compare_report("outputs/report", from_dir="outputs")  # doctest: +SKIP
    [PosixPath('outputs/report/report.html'), PosixPath('outputs/report/report.xlsx'), PosixPath('outputs/report/report.md')]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pipeline.compare import Agency, group_agencies, load_db, load_dir
from pipeline.errors import CompareInputError
from pipeline.models import Extraction
from pipeline.nlp import load_vocab, vocab_versions
from pipeline.report import sections as S
from pipeline.report.export import write_report
from pipeline.report.tables import Section, Table
from pipeline.store import DEFAULT_DB


@dataclass
class Comparison:
    """What the report shows: the agencies compared, the overview table and the sections."""

    agencies: list[Agency]
    overview: Table
    sections: list[Section]
    vocab_versions: dict[str, str]

    def table(self, table_id: str) -> Table:
        for t in [self.overview] + [t for s in self.sections for t in s.tables]:
            if t.id == table_id:
                return t
        raise KeyError(table_id)


def build(extractions: Iterable[tuple[int, Extraction]], skipped: Iterable[tuple[str, str]] = ()) -> Comparison:
    """All sections for the given extractions (``skipped``: inputs left out, shown under data quality)."""
    agencies = group_agencies(extractions)
    if not agencies:
        raise CompareInputError(None, "no orders or drafts to compare")
    sections = [
        S.channels_section(agencies, load_vocab("channels")["entries"]),
        S.vocab_matrix_section(agencies, 2, "needs", "Client needs", "need_codes",
                               "Touchpoints of the current registry per client need (need_codes)."),
        S.thresholds_section(agencies),
        S.definitions_section(agencies),
        S.vocab_matrix_section(agencies, 5, "directions", "Directions of activity", "direction_code",
                               "Touchpoints of the current registry per direction of activity."),
        S.lineage_section(agencies),
        S.compliance_section(agencies),
        S.quality_section(agencies, list(skipped)),
    ]
    return Comparison(agencies, S.overview_table(agencies), sections, vocab_versions())


def compare_report(out_dir: str | Path, db: str | Path | None = None, from_dir: str | Path | None = None) -> list[Path]:
    """Build the comparison from a store (default) or a folder of JSON and write
    report.html, report.xlsx and report.md into ``out_dir``."""
    skipped: list[tuple[str, str]] = []
    extractions = load_dir(from_dir, skipped) if from_dir else load_db(db or DEFAULT_DB)
    return write_report(build(extractions, skipped), out_dir)
