"""Assemble the comparison report: agencies from :mod:`pipeline.compare`,
ten sections (regions at a glance, compliance ranking, thresholds, channels,
needs, directions, definitions, template lineage, agency cards by region,
data quality), written by :mod:`pipeline.report.export`
(``registry compare``). Russian by default, ``lang="en"`` for the record.

``progress(stage, done, total)`` is called while it works (the CLI prints it:
at 200 agencies the report takes seconds).

Example::

    >>> cmp = build(load_dir("outputs"))
    >>> [s.title for s in cmp.sections][:3]
    ['Обзор по регионам', 'Соответствие федеральному стандарту', 'Пороговые значения']
    >>> compare_report("outputs/report", from_dir="outputs")  # doctest: +SKIP
    [PosixPath('outputs/report/report.html'), PosixPath('outputs/report/report.xlsx'), PosixPath('outputs/report/report.md')]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pipeline.compare import Agency, Progress, group_agencies, load_db, load_dir
from pipeline.errors import CompareInputError
from pipeline.lineage import lineage
from pipeline.models import Extraction
from pipeline.nlp import vocab_versions
from pipeline.report import sections as S
from pipeline.report.agencies import agency_cards
from pipeline.report.export import write_report
from pipeline.report.i18n import Lang
from pipeline.report.standard import (
    Standings,
    compliance_section,
    overview_section,
    thresholds_section,
)
from pipeline.report.tables import Section, Table
from pipeline.report.texts import definitions_section, lineage_section
from pipeline.store import DEFAULT_DB


@dataclass
class Comparison:
    """What the report shows: the agencies compared and the sections, in one language."""

    agencies: list[Agency]
    sections: list[Section]
    vocab_versions: dict[str, str]
    lang: Lang
    standings: Standings

    def table(self, table_id: str) -> Table:
        for t in self.tables():
            if t.id == table_id:
                return t
        raise KeyError(table_id)

    def tables(self) -> Iterable[Table]:
        for s in self.sections:
            yield from s.tables

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


def build(extractions: Iterable[tuple[int, Extraction]], skipped: Iterable[tuple[str, str]] = (),
          lang: str = "ru", progress: Progress | None = None) -> Comparison:
    """All sections for the given extractions (``skipped``: inputs left out, shown under data quality)."""
    L = Lang(lang)
    say = progress or (lambda stage, done, total: None)
    agencies = group_agencies(extractions)
    if not agencies:
        raise CompareInputError(None, "no orders or drafts to compare")
    say("standard", 0, len(agencies))
    st = Standings(agencies)
    say("lineage", 0, sum(len(a.versions) for a in agencies))
    lin = lineage(agencies)
    say("sections", 0, 1)
    regions, versions = agency_cards(agencies, st, L, progress)
    cards = Section("regions", 0, L("s.regions"), L("s.regions.intro"),
                    [S.agencies_table(agencies, L), versions], regions=regions)
    sections = [
        overview_section(agencies, st, L),
        compliance_section(agencies, st, L),
        thresholds_section(agencies, st, L),
        S.channels_section(agencies, L),
        S.vocab_matrix_section(agencies, "needs", "need_codes", L),
        S.vocab_matrix_section(agencies, "directions", "direction_code", L),
        definitions_section(agencies, L),
        lineage_section(lin, L),
        cards,
        S.quality_section(agencies, L, list(skipped)),
    ]
    sections[-1].tables.append(S.codes_table(L))
    for n, s in enumerate(sections, 1):
        s.number = n
    return Comparison(agencies, sections, vocab_versions(), L, st)


def compare_report(out_dir: str | Path, db: str | Path | None = None, from_dir: str | Path | None = None,
                   lang: str = "ru", review_url: str | None = None, progress: Progress | None = None) -> list[Path]:
    """Build the comparison from a store (default) or a folder of JSON and write
    report.html, report.xlsx and report.md into ``out_dir``."""
    skipped: list[tuple[str, str]] = []
    extractions = load_dir(from_dir, skipped) if from_dir else load_db(db or DEFAULT_DB, progress)
    return write_report(build(extractions, skipped, lang, progress), out_dir, review_url=review_url, progress=progress)
