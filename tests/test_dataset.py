"""load_dataset: dtypes, missing values, whole dates, the joined claims view, and refusing bad data."""

import json
from dataclasses import replace

import pandas as pd
import pytest

import pipeline
from pipeline.dataset import DatasetError, load_dataset
from pipeline.export import SCHEMA_VERSION
from tests.dataset_fixtures import TITLE_B, base_records, write_dataset


@pytest.fixture(scope="module")
def dataset_dir(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("ds") / "outputs")


@pytest.fixture(scope="module")
def ds(dataset_dir):
    return pipeline.load_dataset(dataset_dir)


def test_every_table_is_loaded_with_its_rows(ds):
    records = base_records()
    assert set(ds.tables) == set(records)
    for name, rows in records.items():
        assert len(ds[name]) == len(rows), name
    assert ds.schema_version == SCHEMA_VERSION
    assert ds.claims is ds.tables["claims"]
    with pytest.raises(AttributeError, match="no table 'claimz'"):
        ds.claimz  # noqa: B018


def test_dtypes_follow_the_schema(ds):
    q = ds.quantities
    assert str(q["qty_id"].dtype) == "Int64" and str(q["start"].dtype) == "Int64"
    assert q["value"].dtype == "float64" and q["lower"].dtype == "float64"
    assert isinstance(q["dimension"].dtype, pd.CategoricalDtype)
    assert isinstance(q["unit"].dtype, pd.CategoricalDtype)
    assert isinstance(q["bound"].dtype, pd.CategoricalDtype)
    assert isinstance(q["text"].dtype, pd.StringDtype)
    assert str(ds.times["resolved"].dtype) == "boolean"
    assert isinstance(ds.entities["label"].dtype, pd.CategoricalDtype)
    assert isinstance(ds.claims["modality"].dtype, pd.CategoricalDtype)
    assert isinstance(ds.documents["status"].dtype, pd.CategoricalDtype)
    assert str(ds.claims["subject_ent_id"].dtype) == "Int64"


def test_numbers_round_trip_exactly(ds):
    values = dict(zip(ds.quantities["text"], ds.quantities["value"]))
    assert values["6387亿元"] == 6387e8
    assert values["12.5%"] == 12.5
    assert values["约2.5亿美元"] == 2.5e8


def test_empty_cells_are_missing_not_empty_strings(ds):
    claims = ds.claims.set_index("text")
    assert pd.isna(claims.loc["610家", "subject"])
    assert pd.isna(claims.loc["610家", "subject_ent_id"])
    assert pd.isna(claims.loc["6387亿元", "basis"])
    assert pd.isna(ds.quantities["lower"]).all()
    for frame in ds.tables.values():
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.StringDtype):
                assert not (frame[column] == "").any(), column


def test_text_that_looks_like_a_missing_marker_stays_text(tmp_path):
    records = base_records()
    records["claims"][2] = replace(records["claims"][2], metric="NA", subject="null")
    ds = load_dataset(write_dataset(tmp_path / "d", records))
    row = ds.claims[ds.claims["text"] == "610家"].iloc[0]
    assert (row["metric"], row["subject"]) == ("NA", "null")


def test_published_is_a_date_only_when_whole(ds):
    docs = ds.documents.set_index("doc_id")
    assert docs.loc["a", "published_date"] == pd.Timestamp("2021-08-23")
    assert pd.isna(docs.loc["b", "published_date"]) and docs.loc["b", "published"] == "2021-08"
    assert pd.isna(docs.loc["c", "published_date"]) and pd.isna(docs.loc["c", "published"])
    assert pd.api.types.is_datetime64_any_dtype(docs["published_date"])
    columns = list(ds.documents.columns)
    assert columns.index("published_date") == columns.index("published") + 1
    assert pd.isna(ds.times["value_date"]).all()  # "2020" is a year, not a whole date


def test_claims_view_joins_sentence_subject_label_and_title(ds):
    view = ds.claims_view()
    assert len(view) == len(ds.claims)
    assert list(view["claim_id"]) == list(ds.claims["claim_id"])
    first = view[(view["doc_id"] == "a") & (view["text"] == "6387亿元")].iloc[0]
    assert first["sentence"] == "重庆市数字经济规模达到6387亿元。"
    assert (first["subject_label"], first["subject_canonical"]) == ("GPE", "重庆市")
    assert first["title"] == "重庆数字经济"
    assert first["published_date"] == pd.Timestamp("2021-08-23")
    no_subject = view[view["text"] == "610家"].iloc[0]
    assert pd.isna(no_subject["subject_label"])
    b = view[view["doc_id"] == "b"]
    assert set(b["title"]) == {TITLE_B}
    assert set(b["sentence"]) == {"北京吸引了知名企业30家，投资约2.5亿美元。"}


def test_example_analysis_from_the_readme(ds):
    per_dimension = ds.claims.groupby("dimension", observed=True).size()
    assert per_dimension.to_dict() == {"count": 2, "currency": 2, "percent": 1}
    money = ds.claims_view().query("dimension == 'currency'").nlargest(1, "value")
    assert money.iloc[0][["subject", "unit", "value"]].tolist() == ["重庆市", "CNY", 6387e8]


def _rewrite(dataset_dir, name, edit, fix_hash=False):
    path = dataset_dir / f"{name}.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    if fix_hash:
        descriptor = dataset_dir / "datapackage.json"
        package = json.loads(descriptor.read_text(encoding="utf-8"))
        for resource in package["resources"]:
            if resource["name"] == name:
                del resource["hash"]
        descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")


def test_changed_file_is_refused_by_its_hash(tmp_path):
    out = write_dataset(tmp_path / "d")
    _rewrite(out, "claims", lambda text: text.replace("6387亿元", "6388亿元"))
    with pytest.raises(DatasetError, match=r"claims\.csv: sha256 is"):
        load_dataset(out)


def test_header_must_match_the_schema(tmp_path):
    out = write_dataset(tmp_path / "d")
    _rewrite(out, "entities", lambda text: text.replace("canonical", "canon", 1), fix_hash=True)
    with pytest.raises(DatasetError, match=r"entities\.csv: header .*canon"):
        load_dataset(out)


def test_cell_of_the_wrong_type_is_refused(tmp_path):
    out = write_dataset(tmp_path / "d")
    _rewrite(out, "quantities", lambda text: text.replace(",12.5,", ",twelve,", 1), fix_hash=True)
    with pytest.raises(DatasetError, match=r"quantities\.csv: a cell does not fit"):
        load_dataset(out)


def test_row_count_must_match(tmp_path):
    out = write_dataset(tmp_path / "d")
    _rewrite(out, "times", lambda text: text.splitlines()[0] + "\n", fix_hash=True)
    with pytest.raises(DatasetError, match=r"times\.csv: 0 rows, datapackage.json says 1"):
        load_dataset(out)


def test_dangling_foreign_key_and_duplicate_primary_key_are_refused(tmp_path):
    records = base_records()
    records["quantities"] = records["quantities"][1:]  # claim 0 of "a" now points nowhere
    with pytest.raises(DatasetError, match=r"claims: \['doc_id', 'qty_id'\] \['a', '0'\] not found"):
        load_dataset(write_dataset(tmp_path / "fk", records))
    records = base_records()
    records["entities"].append(records["entities"][0])
    with pytest.raises(DatasetError, match=r"entities: primary key \['doc_id', 'ent_id'\] repeats"):
        load_dataset(write_dataset(tmp_path / "pk", records))


def test_folder_without_descriptor_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="no datapackage.json"):
        load_dataset(tmp_path)


def test_untyped_load_keeps_the_csv_text(dataset_dir):
    raw = load_dataset(dataset_dir, typed=False)
    assert all(isinstance(dtype, pd.StringDtype) for frame in raw.tables.values() for dtype in frame.dtypes)
    assert "6387" in set(raw.quantities["value"].str.slice(0, 4))
    assert "published_date" not in raw.documents
