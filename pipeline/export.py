"""Write the dataset: CSV tables (UTF-8, LF, RFC 4180) and a Frictionless `datapackage.json`.

Rows are sorted by their primary key and numbers are formatted one way only, so two runs over
the same inputs are byte-identical. The dataset is built in a temporary folder beside the target
and swapped in by rename: an interrupted run leaves the previous dataset untouched.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import operator
import os
import shutil
import tempfile
import typing
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.quantities import unit_uses
from pipeline.records import (
    Alias, Claim, Document, Entity, Quantity, Sentence, TimeExpr, Token, UnitUse, columns,
)

SCHEMA_VERSION = "2.0.0"


@dataclass(frozen=True)
class Table:
    name: str
    record: type
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...]
    description: str


_DOC_FK = ((("doc_id",), "documents", ("doc_id",)),)
_SENT_FK = ((("doc_id", "sent_id"), "sentences", ("doc_id", "sent_id")),)
TABLES = (
    Table("documents", Document, ("doc_id",), (), "One row per input document, read or not."),
    Table("sentences", Sentence, ("doc_id", "sent_id"), _DOC_FK,
          "Sentences after layout repair, with their raw span."),
    Table("tokens", Token, ("doc_id", "sent_id", "tok_id"), _SENT_FK, "jieba words with POS tags."),
    Table("quantities", Quantity, ("doc_id", "qty_id"), _SENT_FK,
          "Every quantity, with its value in the canonical unit."),
    Table("units", UnitUse, ("unit_text", "unit"), (), "Unit surfaces seen, with their canonical unit."),
    Table("times", TimeExpr, ("doc_id", "time_id"), _SENT_FK,
          "Time expressions resolved against the document date."),
    Table("entities", Entity, ("doc_id", "ent_id"), _SENT_FK, "Named entities with canonical names."),
    Table("aliases", Alias, ("doc_id", "alias"), _DOC_FK, "Aliases defined in a document (以下简称)."),
    Table("claims", Claim, ("doc_id", "claim_id"),
          _SENT_FK + ((("doc_id", "qty_id"), "quantities", ("doc_id", "qty_id")),),
          "Numeric claims: value, metric, subject, time, modality."),
)

DESCRIPTIONS = {
    "doc_id": "Document id: the JSONL id, or the .txt path relative to its input folder.",
    "source": "File (and line) the document came from.",
    "sha256": "SHA-256 of the document's bytes.",
    "title": "Title from the metadata.",
    "published": "Document date (YYYY-MM-DD, YYYY-MM or YYYY).",
    "published_from": "Where the date came from: metadata, inferred (from the text) or none.",
    "n_chars": "Characters in the raw text.",
    "n_sentences": "Sentences found.",
    "status": "ok, or error when the document could not be extracted.",
    "error": "For an error: file, line and reason.",
    "sent_id": "Sentence number within the document, in order of raw start.",
    "start": "Raw character offset where the span starts (raw[start:end] == text).",
    "end": "Raw character offset where the span ends (exclusive).",
    "kind": "Sentence kind (body, heading, caption, credit) or claim kind (level, change, share, rank, comparison).",
    "text": "The text: raw slice for spans, repaired text for sentences.",
    "tok_id": "Token number within the sentence.",
    "pos": "jieba part-of-speech tag.",
    "qty_id": "Quantity number within the document, in order of start.",
    "number": "The numeral as written, as a number (1.85万家 → 18500).",
    "unit_text": "The unit as written.",
    "unit": "Canonical unit (ISO 4217 code, kg, m, m2, m3, kWh, kW, %, pp, count, rank, x, ...).",
    "dimension": "What kind of quantity (count, currency, percent, area, ...).",
    "value": "Value in the canonical unit (the midpoint for a range).",
    "lower": "Lower bound in the canonical unit, when there is one.",
    "upper": "Upper bound in the canonical unit, when there is one.",
    "bound": "exact, lower, upper, approx or range.",
    "qualifier": "The bound word as written (约, 超, 近, 余, ...).",
    "classifier": "Measure word of a count (个, 家, 项, ...).",
    "rule": "Id of the rule or gazetteer that produced the row.",
    "factor": "Factor from the surface to the canonical unit.",
    "n_mentions": "How often the surface occurs in the dataset.",
    "time_id": "Time expression number within the document.",
    "type": "date, month, year, quarter, half, range, period, duration, relative or vague.",
    "anchor": "The document date the expression was resolved against.",
    "resolved": "Whether the value could be resolved.",
    "ent_id": "Entity number within the document.",
    "label": "PERSON, ORG, GPE, LOC, FAC, EVENT or PRODUCT.",
    "canonical": "Full name (an abbreviation or alias resolved).",
    "kb_id": "ISO 3166 code for countries, GB/T 2260 code for Chinese divisions.",
    "alias": "The alias as defined.",
    "claim_id": "Claim number within the document.",
    "metric": "What is measured, in the text's own words.",
    "subject": "Whom or what the claim is about.",
    "subject_ent_id": "The entity row of the subject, when it is one.",
    "time": "Period the claim refers to, normalised as in times.csv.",
    "direction": "up, down or none.",
    "basis": "Comparison basis (同比, 环比, 比上年, ...).",
    "modality": "fact, target or forecast.",
    "metric_rule": "Id of the claims rule (rules/claims/metric.yaml) that found the metric.",
    "subject_rule": "Id of the claims rule (rules/claims/subject.yaml) that chose the subject.",
    "time_rule": "Id of the claims rule (rules/claims/time.yaml) that chose the time.",
    "modality_rule": "Id of the claims rule (rules/claims/modality.yaml) that decided the modality.",
}
_FRICTIONLESS_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


def format_cell(value: object) -> str:
    """One textual form per value: integral floats without '.0', booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def to_csv(header: list[str], rows: Iterable[tuple]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([format_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _field_type(record: type, name: str) -> str:
    hint = typing.get_type_hints(record)[name]
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)] or [hint]
    return _FRICTIONLESS_TYPES[options[0]]


def table_schema(table: Table) -> dict:
    return {
        "fields": [
            {"name": name, "type": _field_type(table.record, name),
             "description": DESCRIPTIONS[name]}
            for name in columns(table.record)
        ],
        "primaryKey": list(table.primary_key),
        "foreignKeys": [
            {"fields": list(local), "reference": {"resource": resource, "fields": list(remote)}}
            for local, resource, remote in table.foreign_keys
        ],
        "missingValues": [""],
    }


@cache
def _row_getter(record: type):
    """A fast `record -> tuple of its CSV cells` (dataclasses.astuple deep-copies, slowly)."""
    return operator.attrgetter(*columns(record))


def _sort_key(table: Table):
    positions = [columns(table.record).index(name) for name in table.primary_key]
    return lambda row: tuple(row[i] for i in positions)


class DatasetWriter:
    """Collects extraction results, then writes every table at once, atomically."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {table.name: [] for table in TABLES}
        self.unit_counts: Counter[tuple[str, str, str, float]] = Counter()

    def add(self, extraction) -> None:
        for table in TABLES:
            if table.name == "units":
                continue
            rows = [extraction.document] if table.name == "documents" else getattr(extraction, table.name)
            if hasattr(rows, "rows"):  # column-wise rows (tokens)
                self.rows[table.name].extend(rows.rows())
            else:
                self.rows[table.name].extend(map(_row_getter(table.record), rows))
        for use in unit_uses(extraction.quantities):
            self.unit_counts[(use.unit_text, use.unit, use.dimension, use.factor)] += use.n_mentions

    def write(self, out: Path, provenance: dict) -> None:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        self.rows["units"] = [key + (count,) for key, count in self.unit_counts.items()]
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        staging.chmod(0o755)
        try:
            resources = []
            for table in TABLES:
                rows = sorted(self.rows[table.name], key=_sort_key(table))
                data = to_csv(columns(table.record), rows)
                (staging / f"{table.name}.csv").write_bytes(data)
                resources.append({
                    "name": table.name,
                    "path": f"{table.name}.csv",
                    "description": table.description,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "bytes": len(data),
                    "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                    "rows": len(rows),
                    "schema": table_schema(table),
                })
            package = {
                "name": "zhfacts-dataset",
                "title": "zhfacts: numeric claims, quantities, times and entities from Chinese text",
                "profile": "data-package",
                "schema_version": SCHEMA_VERSION,
                "provenance": provenance,
                "resources": resources,
            }
            text = json.dumps(package, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
            (staging / "datapackage.json").write_text(text, encoding="utf-8")
            _swap_in(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _swap_in(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with renames, so readers never see a half-written dataset."""
    if out.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, retired / out.name)
        os.rename(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.rename(staging, out)
