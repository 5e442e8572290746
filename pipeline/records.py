"""Typed records: one frozen dataclass per output table; field order is the CSV column order.

Offsets (`start`, `end`) always index the raw document text (after decoding, before repair), so
`raw[start:end] == text` for every span row. Optional cells are `None` and written empty.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    sha256: str
    title: str | None
    published: str | None
    published_from: str  # metadata | inferred | none
    n_chars: int
    n_sentences: int
    status: str  # ok | skipped | error
    error: str | None
    warning: str | None = None  # read, but not cleanly: file, line and what was repaired


@dataclass(frozen=True)
class Sentence:
    doc_id: str
    sent_id: int
    start: int
    end: int
    kind: str  # body | heading | caption | credit
    text: str  # repaired text


@dataclass(frozen=True)
class Token:
    doc_id: str
    sent_id: int
    tok_id: int
    start: int
    end: int
    text: str
    pos: str


@dataclass(frozen=True)
class Quantity:
    doc_id: str
    qty_id: int
    sent_id: int
    start: int
    end: int
    text: str
    number: float | None  # the numeral as written, as a number (1.85万家 -> 18500)
    unit_text: str | None
    unit: str | None
    dimension: str
    value: float | None  # in the canonical unit
    lower: float | None
    upper: float | None
    bound: str  # exact | lower | upper | approx | range
    qualifier: str | None
    classifier: str | None
    rule: str


@dataclass(frozen=True)
class UnitUse:
    unit_text: str
    unit: str
    dimension: str
    factor: float
    n_mentions: int


@dataclass(frozen=True)
class TimeExpr:
    doc_id: str
    time_id: int
    sent_id: int
    start: int
    end: int
    text: str
    type: str  # date|month|year|quarter|half|range|period|duration|relative|vague
    value: str | None
    anchor: str | None
    resolved: bool


@dataclass(frozen=True)
class Entity:
    doc_id: str
    ent_id: int
    sent_id: int
    start: int
    end: int
    text: str
    label: str  # PERSON ORG GPE LOC FAC EVENT PRODUCT
    canonical: str
    kb_id: str | None
    rule: str


@dataclass(frozen=True)
class Alias:
    doc_id: str
    alias: str
    canonical: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    claim_id: int
    doc_id: str
    sent_id: int
    qty_id: int
    start: int
    end: int
    text: str
    value: float | None
    lower: float | None
    upper: float | None
    unit: str | None
    dimension: str
    bound: str
    metric: str | None
    indicator: str | None  # id in rules/indicators.yaml the metric names, if any
    subject: str | None
    subject_ent_id: int | None
    time: str | None
    time_id: int | None
    kind: str  # level | change | share | rank | comparison
    direction: str  # up | down | none
    basis: str | None
    modality: str  # fact | target | forecast
    metric_rule: str  # the rule (rules/claims/*.yaml) that set each field
    subject_rule: str
    time_rule: str
    modality_rule: str


def columns(record_type: type) -> list[str]:
    """CSV header of a record type."""
    return [f.name for f in fields(record_type)]


# The dataset's tables in the order they are written, and the file formats they can be written
# in; export.TABLES describes each (kept here so the command line's help needs no stage loaded).
TABLE_NAMES = ("documents", "sentences", "tokens", "quantities", "units", "times", "entities",
               "aliases", "claims")
FORMATS = ("csv", "parquet")
