"""zhfacts diff: facts matched by document and span, row-id shifts ignored, readable output, exit codes."""

from dataclasses import replace

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.diff import diff_datasets, diff_table, format_diff
from pipeline.records import Quantity, Token
from tests.dataset_fixtures import RAW_A, base_records, span, write_dataset


@pytest.fixture(scope="module")
def old_dir(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("old") / "outputs")


def _table(result, name):
    return next(table for table in result.tables if table.table == name)


def test_identical_datasets_have_no_differences(old_dir, tmp_path, capsys):
    copy = write_dataset(tmp_path / "copy")
    result = diff_datasets(old_dir, copy)
    assert result.same and format_diff(result) == "no differences\n"
    assert main(["diff", str(old_dir), str(copy)]) == 0
    assert capsys.readouterr().out == "no differences\n"


def test_changed_removed_and_added_facts(old_dir, tmp_path):
    records = base_records()
    records["claims"][0] = replace(records["claims"][0], time="2020", value=6387e7)
    records["claims"] = [c for c in records["claims"] if c.text != "610家"]
    records["quantities"] = [q for q in records["quantities"] if q.text != "610家"]
    start, end = span(RAW_A, "全市")
    records["entities"].append(records["entities"][0].__class__(
        "a", 9, 1, start, end, "全市", "GPE", "重庆市", None, "fixture"))
    result = diff_datasets(old_dir, write_dataset(tmp_path / "new", records))
    assert not result.same
    claims = _table(result, "claims")
    assert len(claims.removed) == 1 and claims.removed[0]["text"] == "610家"
    assert not claims.added
    (change,) = claims.changed
    assert change.fields == (("value", "638700000000", "63870000000"), ("time", None, "2020"))
    quantities = _table(result, "quantities")
    assert [q["text"] for q in quantities.removed] == ["610家"] and not quantities.changed
    entities = _table(result, "entities")
    assert [e["text"] for e in entities.added] == ["全市"] and not entities.removed
    assert _table(result, "times").same and _table(result, "documents").same

    text = format_diff(result)
    assert "== claims: 0 added, 1 removed, 1 changed" in text
    assert "  - ∅ | 参展企业 | 610家 | ∅  @" in text
    assert "  ~ 重庆市 | 数字经济规模 | 6387亿元 | ∅  @" in text
    assert "      value: 638700000000 → 63870000000" in text
    assert "      time: ∅ → 2020" in text
    assert "  + 全市 | GPE | 重庆市  @" in text
    assert text.index("[a]") < text.index("- ∅ | 参展企业")


def test_shifted_row_ids_are_not_differences(old_dir, tmp_path):
    """A new quantity at the start renumbers every later qty_id; only the new fact is reported."""
    records = base_records()
    start, end = span(RAW_A, "重庆市")
    shifted = [replace(q, qty_id=q.qty_id + 1) if q.doc_id == "a" else q for q in records["quantities"]]
    extra = Quantity("a", 0, 0, start, end, "重庆市", None, None, None, "other", None, None, None,
                     "exact", None, None, "fixture")
    records["quantities"] = [extra] + shifted
    records["claims"] = [replace(c, qty_id=c.qty_id + 1) if c.doc_id == "a" else c for c in records["claims"]]
    result = diff_datasets(old_dir, write_dataset(tmp_path / "new", records))
    quantities = _table(result, "quantities")
    assert [q["text"] for q in quantities.added] == ["重庆市"]
    assert not quantities.removed and not quantities.changed
    assert _table(result, "claims").same


def test_several_claims_on_one_span_pair_up(old_dir, tmp_path):
    records = base_records()
    second = replace(records["claims"][0], claim_id=7, subject="全市", subject_ent_id=None)
    records["claims"].append(second)
    old = write_dataset(tmp_path / "old2", records)
    records["claims"][-1] = replace(second, metric="规模")
    result = diff_datasets(old, write_dataset(tmp_path / "new2", records))
    claims = _table(result, "claims")
    assert not claims.added and not claims.removed
    assert [change.fields for change in claims.changed] == [(("metric", "数字经济规模", "规模"),)]


def test_whole_table_and_document_differences(old_dir, tmp_path):
    records = base_records()
    records["tokens"] = [Token("a", 0, 0, 0, 3, "重庆市", "ns")]
    records["documents"][1] = replace(records["documents"][1], title="新标题")
    result = diff_datasets(old_dir, write_dataset(tmp_path / "new", records))
    assert "tokens: 0 → 1 rows, content differs" in result.notes
    (change,) = _table(result, "documents").changed
    assert change.fields[0][0] == "title" and change.fields[0][2] == "新标题"
    assert not result.same


def test_cli_exit_codes_and_output(old_dir, tmp_path, capsys):
    records = base_records()
    records["times"] = []
    new = write_dataset(tmp_path / "new", records)
    assert main(["diff", str(old_dir), str(new)]) == 1
    captured = capsys.readouterr()
    assert "== times: 0 added, 1 removed, 0 changed" in captured.out
    assert "  - 2020年 | year | 2020  @" in captured.out
    assert captured.err == ""
    assert main(["diff", str(old_dir), str(tmp_path / "missing")]) == 2
    assert "no datapackage.json" in capsys.readouterr().err


def test_render_limits_rows_per_table(old_dir, tmp_path):
    records = base_records()
    records["quantities"], records["claims"] = [], []
    result = diff_datasets(old_dir, write_dataset(tmp_path / "new", records))
    text = format_diff(result, max_rows=2)
    assert "… 3 more" in text
    assert "… " not in format_diff(result, max_rows=0) and "… " not in format_diff(result)


def test_column_changes_are_reported_and_shared_columns_still_compared():
    old = pd.DataFrame({"doc_id": ["a"], "start": ["0"], "end": ["2"], "text": ["重庆"],
                        "label": ["GPE"]}, dtype="string")
    new = old.drop(columns="label").assign(canonical=pd.array(["重庆市"], dtype="string"))
    result = diff_table("entities", old, new)
    assert (result.columns_added, result.columns_removed) == (("canonical",), ("label",))
    assert not (result.added or result.removed or result.changed)
    assert "new columns canonical, dropped columns label" in result.summary()
