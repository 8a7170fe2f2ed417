"""Pydantic v2 models: the output contract and the only source of ``schemas/*.json``.

Every value taken from the text sits next to its raw form and a :class:`Span`
that points back into the normalized text of the source file, so an analyst can
check it. Field names listed in the foundation issue are a contract: add fields,
never rename or drop them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0.0"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Model):
    """Where a value sits in the normalized text of its file.

    ``line``/``end_line`` are 1-based line numbers; ``start``/``end`` are
    character offsets (end exclusive) into the normalized text (see
    ``source.normalized_text_sha256``); ``page`` is 1-based where the format has
    pages; ``bbox`` is (x0, top, x1, bottom) in PDF points / image pixels.
    """

    line: int
    end_line: int
    start: int
    end: int
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


class ExtractionWarning(Model):
    """Something the parser could not place, repaired, or found suspicious."""

    code: str
    message: str
    span: Span | None = None
    severity: Literal["info", "warning", "error"] = "warning"


class Sourced(Model):
    """Raw printed text and span behind a normalized meta value."""

    raw: str
    span: Span | None = None


# --------------------------------------------------------------------------- meta


class Signatory(Model):
    name: str | None = None
    position: str | None = None


class Registration(Model):
    """The ЗАРЕГИСТРИРОВАНО stamp (registration by the regional administration)."""

    authority: str | None = None
    number: str | None = None
    date: str | None = None
    span: Span | None = None


class LegalAct(Model):
    """A cited act: «распоряжение Правительства РФ от 06.10.2021 № 2816-р»."""

    issuer: str | None = None
    doc_type: str | None = None
    date: str | None = None
    number: str | None = None
    title: str | None = None
    raw: str
    span: Span | None = None


class Meta(Model):
    doc_type: str | None = None
    agency: str | None = None
    agency_short: str | None = None
    agency_key: str | None = None
    region: str | None = None
    region_code: str | None = None
    level: Literal["federal", "regional", "municipal"] | None = Field(
        None, description="the issuer's level: a federal body (region null), a body of a federal subject, a municipal one")
    date: str | None = None
    number: str | None = None
    place: str | None = None
    title: str | None = None
    signatory: Signatory = Field(default_factory=Signatory)
    registration: Registration | None = None
    legal_basis: list[LegalAct] = Field(default_factory=list)
    reply_to: str | None = Field(None, description="memo: the number of the request it answers ('На № 02-ВН/805/24' → '02-ВН/805/24')")
    addressee: str | None = Field(None, description="memo: to whom it is addressed, as printed on one line")
    sources: dict[str, Sourced] = Field(
        default_factory=dict,
        description="raw text and span behind each meta field, keyed by field name",
    )


# --------------------------------------------------------------------- structure


class Approval(Model):
    """The approval reference an appendix prints (УТВЕРЖДЕН приказом … от … № …)."""

    date: str | None = None
    number: str | None = None
    raw: str | None = None
    span: Span | None = None


class Appendix(Model):
    label: str | None = Field(None, description="as printed: 'Приложение №1'")
    title: str | None = None
    kind: str = Field(description="poryadok | polozhenie | koncepciya | sostav | perechen | plan | reglament | other")
    present: bool = Field(True, description="false when the order approves it but the file does not contain it")
    approval: Approval | None = None
    span: Span | None = None
    title_span: Span | None = None


class Clause(Model):
    id: str = Field(description="stable id derived from the clause path")
    number: str | None = Field(None, description="label as printed: 'I.', '1.', '16.2.', 'а)', '-'")
    style: str = Field(description="roman | decimal | letter | paren_number | bullet | none")
    text: str
    span: Span
    children: list[Clause] = Field(default_factory=list)


class Definition(Model):
    term: str = Field(description="as printed, bold marks removed")
    aliases: list[str] = Field(default_factory=list, description="bracketed alias: Клиент (внешний клиент)")
    key: str = Field("", description="lemmas of the term, for comparing agencies")
    definition: str
    clause: str | None = Field(None, description="printed numbers of the clause path: '2. 2.1.'")
    span: Span


# ------------------------------------------------------------------------- facts


class Touchpoint(Model):
    row: int | None = Field(None, description="number of the Перечень row it belongs to")
    row_label: str | None = Field(None, description="row number as printed: '1.'")
    direction: str | None = None
    direction_code: str | None = None
    service: str | None = None
    name: str
    name_raw: str
    channel: str
    channel_raw: str | None = Field(None, description="the words that decided the channel")
    channel_match: Literal["lemma", "fuzzy", "none"] = "none"
    kind: Literal["digital", "offline"] | None = None
    kind_source: Literal["source", "channel", "none"] = "none"
    needs: list[str] = Field(default_factory=list)
    need_codes: list[str] = Field(default_factory=list)
    features: str | None = None
    source: Literal["table", "list"] = "table"
    span: Span


class Threshold(Model):
    metric: str
    value: float
    unit: str
    comparator: Literal["<=", "<", ">=", ">", "=="] = "<="
    condition: str | None = None
    raw: str
    span: Span | None = None


class Requirement(Model):
    clause: str | None = Field(None, description="printed numbers of the clause path: '4.2. 3) в)'")
    clause_id: str | None = None
    channel: str | None = None
    text: str
    thresholds: list[Threshold] = Field(default_factory=list)
    span: Span


class Member(Model):
    """A member of a working group (состав рабочей группы)."""

    name: str
    position: str | None = None
    role: Literal["leader", "deputy", "secretary", "member"] = "member"
    raw: str
    span: Span


class Task(Model):
    clause: str | None = None
    text: str
    assignee: str | None = Field(None, description="who is instructed, where the order names it")
    deadline: str | None = None
    deadline_raw: str | None = None
    span: Span


class Document(Model):
    id: str = Field(description="stable id within the file: 'd1', 'd2', …")
    kind: Literal["order", "draft", "memo", "appendix", "other"] = Field(
        description="order: a signed act; draft: its head printed without date or number; memo: служебная записка; "
                    "appendix: a Порядок/Положение/Перечень… published without its act (meta holds the approving act's requisites)")
    span: Span
    meta: Meta = Field(default_factory=Meta)
    appendices: list[Appendix] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    definitions: list[Definition] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    requirements: list[Requirement] = Field(default_factory=list)
    working_group: list[Member] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)


class Source(Model):
    path: str
    sha256: str
    format: Literal["txt", "docx", "pdf", "image", "html"]
    encoding: str | None = None
    ocr: bool = False
    pages: int | None = None
    size_bytes: int
    reader: str
    normalized_text_sha256: str = Field(description="hash of the text that spans point into")


class Extraction(Model):
    """One input file → this JSON (``outputs/<stem>.json``)."""

    schema_version: str = SCHEMA_VERSION
    vocab_versions: dict[str, str] = Field(default_factory=dict)
    source: Source
    documents: list[Document] = Field(default_factory=list)
    warnings: list[ExtractionWarning] = Field(default_factory=list)


class FileResult(Model):
    """One line of the run summary (``outputs/_run.json``)."""

    path: str
    status: Literal["ok", "partial", "failed", "skipped"] = Field(
        description="ok; partial: read and written, but with error-severity warnings (a page OCR could not read…); "
                    "failed: nothing written; skipped: not an input")
    output: str | None = None
    documents: int = 0
    touchpoints: int = 0
    warnings: int = 0
    errors: int = Field(0, description="warnings of severity 'error' among them")
    error: str | None = None


class RunSummary(Model):
    schema_version: str = SCHEMA_VERSION
    state: Literal["running", "finished"] = Field(
        "finished", description="running: written when a run starts and replaced when it ends; a run killed midway "
                                "leaves it running (its counts are zero): run the command again to resume")
    files: int
    ok: int
    partial: int = 0
    failed: int
    documents: int
    touchpoints: int
    warnings: int
    settings: dict = Field(default_factory=dict, description="the reader and extractor settings this run used")
    results: list[FileResult]


Clause.model_rebuild()
