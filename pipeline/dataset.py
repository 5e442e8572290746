"""Load a zhfacts dataset into pandas, checked against its `datapackage.json`.

The descriptor is the contract: every CSV must have exactly the declared header, the declared
sha256 and row count, unique primary keys and resolvable foreign keys; a dataset that fails any
check is refused with a message naming the file, rather than loaded half-right. Column dtypes
follow the declared field types (nullable Int64, float64, boolean, string), low-cardinality
labels become categoricals, and an empty cell is always a missing value, never "".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# Closed vocabularies and rule ids: categoricals make them cheap to group by and show their levels.
CATEGORICAL = frozenset({
    "published_from", "status", "kind", "pos", "unit", "dimension", "bound", "qualifier",
    "classifier", "type", "label", "direction", "basis", "modality", "rule", "metric_rule",
    "subject_rule", "time_rule", "modality_rule", "indicator",
})
_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean"}
_WHOLE_DATE = r"\d{4}-\d{2}-\d{2}"
# Derived datetime columns: (table, source column, new column); NaT unless the value is a whole date.
DATE_COLUMNS = (("documents", "published", "published_date"), ("times", "value", "value_date"))


class DatasetError(ValueError):
    """The folder is not a readable zhfacts dataset, or disagrees with its datapackage.json."""


@dataclass(frozen=True)
class Dataset:
    """Every table of one dataset as a DataFrame: `ds.claims`, `ds["claims"]`, `ds.tables`."""

    path: Path
    package: dict
    tables: Mapping[str, pd.DataFrame]

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"dataset {self.__dict__.get('path')} has no table {name!r} "
                             f"(tables: {', '.join(tables)})")

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.tables))

    @property
    def schema_version(self) -> str | None:
        return self.package.get("schema_version")

    def claims_view(self) -> pd.DataFrame:
        """Claims with their sentence text, the subject entity's label and canonical name, and
        the document's title and date: one row per claim, in the claims table's order."""
        sentences = self.sentences[["doc_id", "sent_id", "text", "kind"]].rename(
            columns={"text": "sentence", "kind": "sentence_kind"})
        entities = self.entities[["doc_id", "ent_id", "label", "canonical"]].rename(
            columns={"ent_id": "subject_ent_id", "label": "subject_label",
                     "canonical": "subject_canonical"})
        documents = self.documents[["doc_id", "title", "published", "published_date"]]
        view = (self.claims.merge(sentences, on=["doc_id", "sent_id"], how="left", validate="m:1")
                .merge(entities, on=["doc_id", "subject_ent_id"], how="left", validate="m:1")
                .merge(documents, on="doc_id", how="left", validate="m:1"))
        return view


def load_dataset(path: str | Path, *, typed: bool = True) -> Dataset:
    """Read every table listed in `path/datapackage.json`.

    typed=False keeps every cell as text (pandas "string", missing as <NA>): the exact CSV
    values, which is what a fact-level diff compares.
    """
    path = Path(path)
    descriptor = path / "datapackage.json"
    if not descriptor.is_file():
        raise DatasetError(f"{path}: no datapackage.json (not a zhfacts dataset folder)")
    try:
        package = json.loads(descriptor.read_text(encoding="utf-8"))
        resources = package["resources"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DatasetError(f"{descriptor}: not a valid data package descriptor ({exc})") from exc
    tables = {resource["name"]: _read_resource(path, resource, typed) for resource in resources}
    for resource in resources:
        _check_keys(resource, tables)
    if typed:
        for table, column, derived in DATE_COLUMNS:
            if table in tables and column in tables[table]:
                frame = tables[table]
                frame.insert(frame.columns.get_loc(column) + 1, derived, whole_dates(frame[column]))
    return Dataset(path, package, tables)


def whole_dates(values: pd.Series) -> pd.Series:
    """datetime64 where the text is a whole date (YYYY-MM-DD), NaT for `2021-08`, `2021-H1`, ..."""
    text = values.astype("string")
    whole = text.where(text.str.fullmatch(_WHOLE_DATE).fillna(False))
    return pd.to_datetime(whole, format="%Y-%m-%d", errors="coerce")


def _read_resource(root: Path, resource: dict, typed: bool) -> pd.DataFrame:
    name = resource.get("name", "?")
    file = root / resource.get("path", f"{name}.csv")
    if not file.is_file():
        raise DatasetError(f"{file}: missing (listed as resource {name!r} in datapackage.json)")
    data = file.read_bytes()
    declared = resource.get("hash")
    if declared:
        algorithm, _, digest = declared.rpartition(":")
        actual = hashlib.new(algorithm or "md5", data).hexdigest()
        if actual != digest:
            raise DatasetError(f"{file}: {algorithm or 'md5'} is {actual}, datapackage.json says "
                               f"{digest} (the file changed after the dataset was written)")
    fields = resource.get("schema", {}).get("fields", [])
    names = [field["name"] for field in fields]
    dtypes = {field["name"]: _dtype(field, typed) for field in fields}
    try:
        if resource.get("format") == "parquet":
            frame = pd.read_parquet(io.BytesIO(data))
            header = list(frame.columns)
        else:
            text = data.decode("utf-8-sig")
            header = next(csv.reader(io.StringIO(text)), [])
        if header != names:
            raise DatasetError(f"{file}: header {header} does not match the schema in "
                               f"datapackage.json {names}")
        if resource.get("format") == "parquet":
            # through text, so each cell reads as it would from the CSV (typed=False: its exact text)
            frame = frame.astype({name: "string" if dtype == "string" else dtype
                                  for name, dtype in dtypes.items()}) if typed else \
                frame.apply(_as_csv_text)
        else:
            frame = pd.read_csv(io.StringIO(text), dtype=dtypes, keep_default_na=False,
                                na_values=[""])
    except (ValueError, TypeError, OSError) as exc:
        raise DatasetError(f"{file}: a cell does not fit its declared type ({exc})") from exc
    rows = resource.get("rows")
    if rows is not None and rows != len(frame):
        raise DatasetError(f"{file}: {len(frame)} rows, datapackage.json says {rows}")
    return frame


def _as_csv_text(column: pd.Series) -> pd.Series:
    """A Parquet column as the CSV writes its cells (for typed=False)."""
    from pipeline.export import format_cell

    return pd.Series([None if pd.isna(value) else format_cell(value.item() if hasattr(value, "item") else value)
                      for value in column], index=column.index, dtype="string")


def _dtype(field: dict, typed: bool) -> str:
    if not typed:
        return "string"
    if field["name"] in CATEGORICAL and field.get("type", "string") == "string":
        return "category"
    return _DTYPES.get(field.get("type", "string"), "string")


def _check_keys(resource: dict, tables: Mapping[str, pd.DataFrame]) -> None:
    """Primary keys unique and present; every foreign key found in the table it references."""
    name, schema = resource["name"], resource.get("schema", {})
    frame = tables[name]
    key = schema.get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    if key:
        if frame[key].isna().any().any():
            raise DatasetError(f"{name}: primary key {key} has empty cells")
        duplicated = frame.duplicated(key)
        if duplicated.any():
            first = frame.loc[duplicated, key].iloc[0].tolist()
            raise DatasetError(f"{name}: primary key {key} repeats, e.g. {first}")
    for foreign in schema.get("foreignKeys", []):
        local = _as_list(foreign["fields"])
        target_name = foreign["reference"]["resource"]
        remote = _as_list(foreign["reference"]["fields"])
        if target_name not in tables:
            raise DatasetError(f"{name}: foreign key refers to missing table {target_name!r}")
        links = frame[local].dropna()
        target = tables[target_name][remote].set_axis(local, axis=1).drop_duplicates()
        found = links.astype(str).merge(target.astype(str), on=local, how="left", indicator=True)
        dangling = found["_merge"] == "left_only"
        if dangling.any():
            example = found.loc[dangling, local].iloc[0].tolist()
            raise DatasetError(f"{name}: {local} {example} not found in {target_name} {remote}")


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)
