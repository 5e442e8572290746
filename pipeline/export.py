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
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from pipeline.quantities import unit_uses
from pipeline.records import (
    FORMATS, TABLE_NAMES, Alias, Claim, Document, Entity, Quantity, Sentence, TimeExpr, Token, UnitUse,
    columns,
)

SCHEMA_VERSION = "2.2.0"


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
    "published_from": "Where the date came from: metadata, inferred (from the text, also when it makes a metadata year or month a full date) or none.",
    "n_chars": "Characters in the raw text.",
    "n_sentences": "Sentences found.",
    "status": "ok; skipped when there was nothing to extract (an empty record); error when the document could not be read or extracted.",
    "error": "For an error or a skip: file, line and reason.",
    "warning": "For a document read but not cleanly (damaged bytes replaced by U+FFFD): file, line and what was repaired.",
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
    "indicator": "Id of the indicator (rules/indicators.yaml) the metric names, e.g. gdp_growth; empty when none or unsure.",
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


_NEEDS_QUOTES = regex.compile(r'[,"\r\n]')


def csv_field(text: str) -> str:
    """A string cell, quoted (RFC 4180) when it holds a comma, a quote or a line break."""
    if not _NEEDS_QUOTES.search(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def _csv_lines(rows: list) -> str:
    """RFC 4180 lines (LF) of rows of already formatted cells. csv.writer does it fastest, but
    with a LF line end it leaves a cell holding a bare CR unquoted, which readers take for a line
    break (the fuzzer found one in damaged bytes): those rows are written quoting it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    if "\r" not in text:
        return text
    return "".join(",".join(csv_field(c) if isinstance(c, str) else "" if c is None else str(c) for c in row)
                   + "\n" for row in rows)


def to_csv(header: list[str] | None, rows: Iterable[tuple]) -> bytes:
    """RFC 4180 lines (LF) of the rows, after the header when one is given."""
    lines = [header] if header is not None else []
    lines += [[format_cell(cell) for cell in row] for row in rows]
    return _csv_lines(lines).encode("utf-8")


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


@cache
def _sort_key(table: Table):
    """A row's primary key, by an itemgetter (a lambda building a tuple per row cost 1% of a run)."""
    return operator.itemgetter(*(columns(table.record).index(name) for name in table.primary_key))


UnitKey = tuple[str, str, str, float]  # (unit_text, unit, dimension, factor)


@dataclass(frozen=True)
class DocumentRows:
    """One document's rows, already CSV-encoded: what a worker sends back, what the cache keeps
    and what the writer spools. `tables` maps a table name to (row count, CSV lines sorted by
    the primary key, no header); `units` counts the unit surfaces the document used."""

    doc_id: str
    status: str
    error: str | None
    n_chars: int
    tables: dict[str, tuple[int, bytes]]
    units: tuple[tuple[UnitKey, int], ...]
    warning: str | None = None

    @property
    def n_claims(self) -> int:
        return self.tables.get("claims", (0, b""))[0]


@cache
def _formatted_positions(record: type) -> tuple[int, ...]:
    """Columns whose cells need `format_cell` (numbers and booleans); csv.writer already writes
    strings and integers as we want them, and None as an empty cell."""
    return tuple(i for i, name in enumerate(columns(record))
                 if _field_type(record, name) in ("number", "boolean"))


def _with_formatted(row: tuple, positions: tuple[int, ...]) -> list:
    cells = list(row)
    for i in positions:
        cells[i] = format_cell(cells[i])
    return cells


def encode_table(table: Table, cells: Iterable[tuple]) -> tuple[int, bytes]:
    """(row count, CSV lines in primary-key order) of one document's rows of `table`; the same
    bytes as `to_csv`, formatting only the cells that need it."""
    cells = sorted(cells, key=_sort_key(table))
    positions = _formatted_positions(table.record)
    lines = _csv_lines([_with_formatted(row, positions) for row in cells] if positions else cells)
    return len(cells), lines.encode("utf-8")


_TOKEN_CELLS = 6  # the cells of a token line after its doc_id


def _encode_token_columns(tokens) -> tuple[int, bytes]:
    """`encode_table` for the tokens, column-wise: they are most of a dataset's rows (90% of
    the government-report corpus), already in key order, and every cell but the text is an
    integer or a POS tag, so no cell needs `format_cell`: one `%` of a line's format repeated
    once per token writes the whole block in C, a fifth faster than formatting line by line. The
    cells are interleaved by slice assignment into one list (C copies, no per-cell iteration)."""
    doc_id = csv_field(tokens.doc_id)
    texts = list(map(csv_field, tokens.text)) if _NEEDS_QUOTES.search("".join(tokens.text)) else tokens.text
    line = doc_id.replace("%", "%%") + ",%s,%s,%s,%s,%s,%s\n"
    count = len(tokens)
    cells: list = [None] * (_TOKEN_CELLS * count)
    for column, values in enumerate((tokens.sent_id, tokens.tok_id, tokens.start, tokens.end, texts, tokens.pos)):
        cells[column::_TOKEN_CELLS] = values
    return count, (line * count % tuple(cells)).encode("utf-8")


def document_rows(extraction) -> DocumentRows:
    """Encode every table of one `Extraction` (see DocumentRows)."""
    tables = {}
    for table in TABLES:
        if table.name == "units":
            continue
        rows = [extraction.document] if table.name == "documents" else getattr(extraction, table.name)
        if hasattr(rows, "rows"):  # column-wise rows (tokens)
            tables[table.name] = _encode_token_columns(rows)
        else:
            tables[table.name] = encode_table(table, map(_row_getter(table.record), rows))
    units: Counter[UnitKey] = Counter()
    for use in unit_uses(extraction.quantities):
        units[(use.unit_text, use.unit, use.dimension, use.factor)] += use.n_mentions
    document = extraction.document
    return DocumentRows(document.doc_id, document.status, document.error, document.n_chars,
                        tables, tuple(sorted(units.items())), document.warning)


assert TABLE_NAMES == tuple(table.name for table in TABLES), "records.TABLE_NAMES is out of date"


def with_referenced_tables(names: Iterable[str]) -> tuple[str, ...]:
    """The chosen tables plus every table their foreign keys reach (and `documents`, the run's
    record of every input), in the dataset's order; ValueError on an unknown name."""
    chosen = set(names)
    unknown = chosen - set(TABLE_NAMES)
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(sorted(unknown))}; "
                         f"tables: {', '.join(TABLE_NAMES)}")
    chosen.add("documents")
    by_name = {table.name: table for table in TABLES}
    pending = list(chosen)
    while pending:
        for _local, resource, _remote in by_name[pending.pop()].foreign_keys:
            if resource not in chosen:
                chosen.add(resource)
                pending.append(resource)
    return tuple(name for name in TABLE_NAMES if name in chosen)


class DatasetWriter:
    """Streams documents' rows to spool files beside the target, then assembles the tables.

    Memory holds only an index (a few numbers per document and table) and the unit counts, so a
    corpus of any size is written in constant memory; the rows of each table come out sorted by
    primary key whatever order the documents arrived in. Everything is built in a temporary
    folder beside `out` and swapped in by rename on `commit`: an interrupted or failed run
    leaves the previous dataset untouched and removes its temporary folder.
    """

    def __init__(self, out: Path, tables: Iterable[str] = TABLE_NAMES, file_format: str = "csv"):
        if file_format not in FORMATS:
            raise ValueError(f"unknown format {file_format!r}; formats: {', '.join(FORMATS)}")
        self.out = Path(out)
        self.tables = [table for table in TABLES if table.name in with_referenced_tables(tables)]
        self.file_format = file_format
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_folders(self.out)
        self.staging = Path(tempfile.mkdtemp(prefix=_temporary_prefix(self.out, "tmp"), dir=self.out.parent))
        self.staging.chmod(0o755)
        self._spooled = [table.name for table in self.tables if table.name != "units"]
        self._spools = {name: open(self.staging / f".{name}.spool", "w+b") for name in self._spooled}
        # the index: each document's arrival number, and per table where its lines start in the
        # spool and how many rows they hold (machine integers, ~150 bytes a document in all)
        self._arrival: dict[str, int] = {}
        self._offsets = {name: array("q") for name in self._spooled}
        self._counts = {name: array("q") for name in self._spooled}
        self.unit_counts: Counter[UnitKey] = Counter()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, exc_type, _exc, _tb) -> None:
        if exc_type is not None:
            self.abort()

    def add(self, rows: DocumentRows) -> None:
        if rows.doc_id in self._arrival:
            raise ValueError(f"document {rows.doc_id!r} added twice")
        self._arrival[rows.doc_id] = len(self._arrival)
        for name in self._spooled:
            count, data = rows.tables.get(name, (0, b""))
            spool = self._spools[name]
            self._offsets[name].append(spool.tell())
            self._counts[name].append(count)
            spool.write(data)
        for key, count in rows.units:
            self.unit_counts[key] += count

    def abort(self) -> None:
        for spool in self._spools.values():
            spool.close()
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, provenance: dict) -> None:
        """Assemble every table in primary-key order, describe them, and swap the folder in."""
        try:
            order = [self._arrival[doc_id] for doc_id in sorted(self._arrival)]
            resources = []
            for table in self.tables:
                header = to_csv(columns(table.record), ())
                path = self.staging / f"{table.name}.csv"
                with path.open("wb") as handle:
                    handle.write(header)
                    if table.name == "units":
                        unit_rows = sorted(key + (count,) for key, count in self.unit_counts.items())
                        handle.write(to_csv(None, unit_rows))
                        n_rows = len(unit_rows)
                    else:
                        n_rows = self._copy_spool(table.name, order, handle)
                if self.file_format == "parquet":
                    path = write_parquet(table, path)
                resources.append(_resource(table, path, n_rows, self.file_format))
            for spool in self._spools.values():
                spool.close()
                os.unlink(spool.name)
            package = {
                "name": "zhfacts-dataset",
                "title": "zhfacts: numeric claims, quantities, times and entities from Chinese text",
                "profile": "data-package",
                "schema_version": SCHEMA_VERSION,
                "provenance": provenance,
                "resources": resources,
            }
            text = json.dumps(package, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
            (self.staging / "datapackage.json").write_text(text, encoding="utf-8")
            _swap_in(self.staging, self.out)
        except BaseException:
            self.abort()
            raise

    def _copy_spool(self, name: str, order: list[int], handle) -> int:
        """Copy each document's lines from the spool, in `order` (arrival numbers)."""
        spool = self._spools[name]
        offsets, counts = self._offsets[name], self._counts[name]
        ends = offsets[1:] + array("q", [spool.tell()])
        spool.flush()
        descriptor = spool.fileno()
        for arrival in order:
            size = ends[arrival] - offsets[arrival]
            if size:
                handle.write(os.pread(descriptor, size, offsets[arrival]))
        return sum(counts)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _resource(table: Table, path: Path, n_rows: int, file_format: str) -> dict:
    return {
        "name": table.name,
        "path": path.name,
        "description": table.description,
        "format": file_format,
        "mediatype": "text/csv" if file_format == "csv" else "application/vnd.apache.parquet",
        **({"encoding": "utf-8"} if file_format == "csv" else {}),
        "bytes": path.stat().st_size,
        "hash": "sha256:" + _file_hash(path),
        "rows": n_rows,
        "schema": table_schema(table),
    }


_ARROW_TYPES = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool"}


def write_parquet(table: Table, csv_path: Path) -> Path:
    """Convert one assembled CSV table to Parquet (streamed in blocks, typed by the schema, an
    empty cell null as in the CSV) and remove the CSV. Deterministic: same CSV, same bytes."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _ARROW_TYPES[_field_type(table.record, name)])
                        for name in columns(table.record)])
    options = pa_csv.ConvertOptions(column_types=schema, strings_can_be_null=True,
                                    null_values=[""], true_values=["true"], false_values=["false"])
    reader = pa_csv.open_csv(csv_path, convert_options=options,
                             read_options=pa_csv.ReadOptions(block_size=1 << 22))
    parquet_path = csv_path.with_suffix(".parquet")
    with pq.ParquetWriter(parquet_path, schema, compression="zstd") as writer:
        for batch in reader:
            writer.write_batch(batch)
    csv_path.unlink()
    return parquet_path


def _temporary_prefix(out: Path, kind: str, pid: int | None = None) -> str:
    """`.OUT.tmp-PID-`: the writing process's id, so a later run knows a dead run's leftovers."""
    return f".{out.name}.{kind}-{os.getpid() if pid is None else pid}-"


def remove_stale_folders(out: Path) -> None:
    """Remove the temporary folders that runs killed before they finished left beside `out`
    (their process is gone); a running writer's folder is left alone."""
    for folder in out.parent.glob(f".{out.name}.*-*-*"):
        kind, _, rest = folder.name[len(out.name) + 2:].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("tmp", "old") or not pid.isdigit() or not folder.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # another user's live process
            pass


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    system cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0


def _swap_in(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` so that a reader, or a run killed at any instant, sees either
    the whole previous dataset or the whole new one: one atomic exchange where the system has
    it, else two renames (with the previous dataset kept aside until the second is done)."""
    if not out.exists():
        os.rename(staging, out)
    elif _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous dataset
    else:
        retired = Path(tempfile.mkdtemp(prefix=_temporary_prefix(out, "old"), dir=out.parent))
        os.rename(out, retired / out.name)
        os.rename(staging, out)
        shutil.rmtree(retired, ignore_errors=True)
