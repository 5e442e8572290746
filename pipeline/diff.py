"""Fact-level comparison of two datasets: what a code or rules change did to the extracted facts.

Rows are matched by document and raw span (doc_id, start, end), never by row ids, which shift
whenever one fact appears or disappears before them. Row-id columns (qty_id, sent_id, ...) are
therefore not compared either; a changed subject or time shows up in its text columns. Rows that
share a span are paired after removing the identical ones, so several claims on one quantity
still diff cleanly. Tables without spans (sentences, tokens, units, aliases) are compared whole.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.dataset import Dataset, load_dataset

# Table -> columns shown for a fact, in the order a reader scans them.
FACT_TABLES: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id", "title", "status"),
    "claims": ("subject", "metric", "text", "time"),
    "quantities": ("text", "value", "unit", "dimension"),
    "times": ("text", "type", "value"),
    "entities": ("text", "label", "canonical"),
}
ROW_IDS = frozenset({"sent_id", "qty_id", "time_id", "ent_id", "claim_id", "subject_ent_id"})
MISSING = "∅"

Row = dict[str, str | None]


@dataclass(frozen=True)
class Change:
    old: Row
    new: Row
    fields: tuple[tuple[str, str | None, str | None], ...]  # (column, old, new)


@dataclass(frozen=True)
class TableDiff:
    table: str
    added: tuple[Row, ...]
    removed: tuple[Row, ...]
    changed: tuple[Change, ...]
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added
                    or self.columns_removed)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.removed)} removed",
                 f"{len(self.changed)} changed"]
        if self.columns_added:
            parts.append("new columns " + ", ".join(self.columns_added))
        if self.columns_removed:
            parts.append("dropped columns " + ", ".join(self.columns_removed))
        return f"{self.table}: " + ", ".join(parts)


@dataclass(frozen=True)
class DatasetDiff:
    tables: tuple[TableDiff, ...]
    notes: tuple[str, ...]  # whole-table and descriptor differences

    @property
    def same(self) -> bool:
        return not self.notes and all(table.same for table in self.tables)


def diff_datasets(old: str | Path | Dataset, new: str | Path | Dataset) -> DatasetDiff:
    """Differences from `old` to `new` (dataset folders or datasets loaded with typed=False)."""
    old_ds = old if isinstance(old, Dataset) else load_dataset(old, typed=False)
    new_ds = new if isinstance(new, Dataset) else load_dataset(new, typed=False)
    notes = []
    if old_ds.schema_version != new_ds.schema_version:
        notes.append(f"schema_version: {old_ds.schema_version} → {new_ds.schema_version}")
    tables = []
    names = list(FACT_TABLES) + sorted((old_ds.tables.keys() | new_ds.tables.keys()) - FACT_TABLES.keys())
    for name in [n for n in names if n in old_ds.tables or n in new_ds.tables]:
        if name not in new_ds.tables or name not in old_ds.tables:
            where = "new" if name in old_ds.tables else "old"
            notes.append(f"{name}: table missing from the {where} dataset")
        elif name in FACT_TABLES:
            tables.append(diff_table(name, old_ds[name], new_ds[name]))
        else:
            old_frame, new_frame = old_ds[name], new_ds[name]
            if not old_frame.astype(object).equals(new_frame.astype(object)):
                notes.append(f"{name}: {len(old_frame)} → {len(new_frame)} rows, content differs")
    return DatasetDiff(tuple(tables), tuple(notes))


def format_diff(differences: DatasetDiff, max_rows: int | None = None) -> str:
    """A short readable listing: `- …` removed, `+ …` added, `~ …` with `field: old → new`;
    at most `max_rows` entries per table (None or 0: all)."""
    if differences.same:
        return "no differences\n"
    lines = list(differences.notes)
    for table in differences.tables:
        if table.same:
            continue
        lines.append(f"== {table.summary()}")
        entries = sorted(
            [(_position(row), "-", row, None) for row in table.removed]
            + [(_position(row), "+", row, None) for row in table.added]
            + [(_position(change.new), "~", change.old, change) for change in table.changed],
            key=lambda entry: entry[0])
        shown = entries if not max_rows else entries[:max_rows]
        doc = None
        for position, sign, row, change in shown:
            if table.table != "documents" and position[0] != doc:
                doc = position[0]
                lines.append(f"[{doc}]")
            lines.append(f"  {sign} {_label(table.table, row)}")
            for column, old, new in (change.fields if change else ()):
                lines.append(f"      {column}: {_cell(old)} → {_cell(new)}")
        if len(shown) < len(entries):
            lines.append(f"  … {len(entries) - len(shown)} more")
    return "\n".join(lines) + "\n"


def diff_table(table: str, old_frame: pd.DataFrame, new_frame: pd.DataFrame) -> TableDiff:
    """Match rows by (doc_id[, start, end]) and report what was added, removed or changed."""
    old, new = _rows(old_frame), _rows(new_frame)
    old_columns, new_columns = list(old_frame.columns), list(new_frame.columns)
    key_columns = ("doc_id",) if table == "documents" else ("doc_id", "start", "end")
    compared = [c for c in old_columns if c in new_columns and c not in key_columns and c not in ROW_IDS]
    old_groups, new_groups = _group(old, key_columns), _group(new, key_columns)
    added, removed, changed = [], [], []
    for key in sorted(old_groups.keys() | new_groups.keys(), key=_key_order):
        olds = sorted(old_groups.get(key, []), key=lambda row: _project(row, compared))
        news = sorted(new_groups.get(key, []), key=lambda row: _project(row, compared))
        unmatched_new = list(news)
        unmatched_old = []
        for row in olds:
            twin = next((i for i, other in enumerate(unmatched_new)
                         if _project(other, compared) == _project(row, compared)), None)
            if twin is None:
                unmatched_old.append(row)
            else:
                del unmatched_new[twin]
        for before, after in zip(unmatched_old, unmatched_new):
            fields = tuple((c, before.get(c), after.get(c)) for c in compared
                           if before.get(c) != after.get(c))
            changed.append(Change(before, after, fields))
        removed.extend(unmatched_old[len(unmatched_new):])
        added.extend(unmatched_new[len(unmatched_old):])
    return TableDiff(
        table, tuple(sorted(added, key=_position)), tuple(sorted(removed, key=_position)),
        tuple(sorted(changed, key=lambda change: _position(change.new))),
        tuple(c for c in new_columns if c not in old_columns),
        tuple(c for c in old_columns if c not in new_columns),
    )


def _rows(frame: pd.DataFrame) -> list[Row]:
    """Rows as {column: CSV text or None}."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _group(rows: list[Row], key_columns: tuple[str, ...]) -> dict[tuple, list[Row]]:
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        groups[tuple(row.get(c) for c in key_columns)].append(row)
    return groups


def _key_order(key: tuple) -> tuple:
    """(doc_id, start, end) ordered as text, number, number."""
    return (key[0] or "",) + tuple(_number(part) for part in key[1:])


def _number(cell: str | None) -> int:
    return int(cell) if cell and cell.lstrip("-").isdigit() else -1


def _project(row: Row, columns: list[str]) -> tuple[str, ...]:
    return tuple("" if row.get(c) is None else row[c] for c in columns)


def _position(row: Row) -> tuple[str, int, int]:
    return row.get("doc_id") or "", _number(row.get("start")), _number(row.get("end"))


def _cell(value: str | None) -> str:
    return MISSING if value is None else value.replace("\n", "⏎")


def _label(table: str, row: Row) -> str:
    label = " | ".join(_cell(row.get(column)) for column in FACT_TABLES[table])
    if table == "documents":
        return label
    return f"{label}  @{_cell(row.get('start'))}:{_cell(row.get('end'))}"
