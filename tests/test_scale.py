"""Scale (issue 15): worker processes, the Dask engine, Parquet, table selection, incremental runs,
constant-memory writing, progress and summary — each checked against a plain one-process run."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import tracemalloc
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import GOV_REPORTS, SEED

REPORTS = 6  # government reports in the small corpus: enough for several batches per worker


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The seed, a few reports split over two JSONL files, an empty record and a malformed line."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED, folder / "seed.txt")
    lines = GOV_REPORTS.read_text(encoding="utf-8").splitlines()[:REPORTS]
    records = [json.loads(line) | {"id": f"report-{i}"} for i, line in enumerate(lines)]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records[:3])
                                    + '\n{"id": "blank", "text": "  "}\n{oops\n', encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records[3:]) + "\n",
                                    encoding="utf-8")
    return folder


def _extract(inputs, out: Path, *options: str) -> int:
    return main(["extract", *map(str, inputs), "--out", str(out), "--quiet", *options])


def _same_folders(first: Path, second: Path) -> None:
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    _match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert not mismatch and not errors, mismatch + errors


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    assert _extract([corpus], out, "--workers", "1", "--no-cache") == 1  # the malformed line fails
    return out


@pytest.mark.parametrize("workers", [2, 3])
def test_any_number_of_workers_and_any_input_order_give_the_same_bytes(corpus, reference, tmp_path, workers):
    inputs = [corpus / "b.jsonl", corpus / "seed.txt", corpus / "a.jsonl"]  # not the folder's order
    out = tmp_path / "out"
    assert _extract(inputs, out, "--workers", str(workers), "--no-cache") == 1
    _same_folders(reference, out)


def test_dask_local_cluster_gives_the_same_bytes(corpus, reference, tmp_path):
    pytest.importorskip("distributed", reason="the dask extra is in the lock file; CI has it")
    out = tmp_path / "out"
    assert _extract([corpus], out, "--engine", "dask", "--workers", "2", "--no-cache") == 1
    _same_folders(reference, out)


def test_a_worker_that_dies_costs_only_its_document(corpus, reference, tmp_path, monkeypatch, capsys):
    from pipeline import engines

    real = engines.document_rows

    def die_on_report_2(extraction):
        if extraction.document.doc_id == "report-2" and extraction.document.status == "ok":
            os._exit(3)  # as a segfault or the OOM killer would: no exception, no cleanup
        return real(extraction)

    monkeypatch.setattr(engines, "document_rows", die_on_report_2)  # the forked workers inherit it
    out = tmp_path / "out"
    assert _extract([corpus], out, "--workers", "2", "--no-cache") == 1
    documents = pd.read_csv(out / "documents.csv").set_index("doc_id")
    assert documents.loc["report-2", "status"] == "error"
    assert "worker process died" in documents.loc["report-2", "error"]
    assert "worker process died" in capsys.readouterr().err
    expected = pd.read_csv(reference / "documents.csv").set_index("doc_id")
    others = expected.index.drop("report-2")
    pd.testing.assert_frame_equal(documents.loc[others], expected.loc[others])
    claims, all_claims = pd.read_csv(out / "claims.csv"), pd.read_csv(reference / "claims.csv")
    assert claims.equals(all_claims[all_claims.doc_id != "report-2"].reset_index(drop=True))


def test_parquet_tables_load_as_the_csv_ones(reference, corpus, tmp_path):
    from pipeline import load_dataset

    out = tmp_path / "parquet"
    assert _extract([corpus], out, "--format", "parquet", "--no-cache") == 1
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == {p.name for p in out.iterdir()} - {"datapackage.json"}
    assert all(r["format"] == "parquet" and r["path"].endswith(".parquet") for r in package["resources"])
    for typed in (True, False):
        csv_tables, parquet_tables = load_dataset(reference, typed=typed), load_dataset(out, typed=typed)
        for name in csv_tables:
            pd.testing.assert_frame_equal(parquet_tables[name], csv_tables[name], obj=name)


def test_chosen_tables_come_with_the_tables_they_reference(reference, corpus, tmp_path, capsys):
    from pipeline import load_dataset

    out = tmp_path / "claims-only"
    assert _extract([corpus], out, "--tables", "claims", "--no-cache") == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "claims.csv", "datapackage.json", "documents.csv", "quantities.csv", "sentences.csv"]
    load_dataset(out)  # every foreign key resolves
    for name in ("claims", "quantities", "sentences", "documents"):
        assert (out / f"{name}.csv").read_bytes() == (reference / f"{name}.csv").read_bytes()
    assert _extract([corpus], tmp_path / "bad", "--tables", "claims,nonsense") == 2
    assert "unknown table(s) nonsense" in capsys.readouterr().err


def test_re_runs_extract_only_changed_documents_and_write_the_same_bytes(corpus, tmp_path, capsys):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert _extract([work], out, "--cache", str(cache)) == 1
    assert "from the cache" not in capsys.readouterr().err
    text = (work / "seed.txt").read_text(encoding="utf-8")
    (work / "seed.txt").write_text(text.replace("2020年", "2019年", 1), encoding="utf-8")
    assert _extract([work], out, "--cache", str(cache)) == 1
    assert f"; {REPORTS} from the cache" in capsys.readouterr().err  # every report but not the seed
    full = tmp_path / "full"
    assert _extract([work], full, "--no-cache") == 1
    _same_folders(full, out)
    cached = sorted(cache.glob("*/*.rows"))
    assert len(cached) == REPORTS + 1  # the old seed's entry was pruned
    cached[0].write_bytes(b"damaged")  # a damaged entry is a miss, never an error
    assert _extract([work], out, "--cache", str(cache)) == 1
    assert f"; {REPORTS} from the cache" in capsys.readouterr().err
    _same_folders(full, out)


def test_run_key_changes_with_any_rule_file(tmp_path):
    from pipeline.provenance import RULES_DIR, tree_hash

    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    before = tree_hash(rules)
    path = rules / "claims" / "modality.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert tree_hash(rules) != before


def test_the_cache_misses_under_another_run_key(tmp_path):
    from pipeline.cache import ExtractionCache
    from pipeline.engines import extract_batch
    from pipeline.read import RawDocument

    raw = RawDocument("d", "d.txt", "全市新增企业610家。", "0" * 64)
    (rows,) = extract_batch([raw], "rjieba", False)
    ExtractionCache(tmp_path, "rules-1").put(raw, rows)
    assert ExtractionCache(tmp_path, "rules-1").get(raw) == rows
    assert ExtractionCache(tmp_path, "rules-2").get(raw) is None
    changed = RawDocument("d", "d.txt", "全市新增企业620家。", "1" * 64)
    assert ExtractionCache(tmp_path, "rules-1").get(changed) is None


def test_the_writer_holds_an_index_not_the_rows(tmp_path):
    """Peak memory while adding 10x the documents grows by the index only (a few hundred bytes a
    document), not by the rows: a ratio within one run, not a timing."""
    from pipeline.export import TABLE_NAMES, DatasetWriter, DocumentRows

    def peak(documents: int) -> int:
        rows_bytes = b"x" * 20_000
        tracemalloc.start()
        with DatasetWriter(tmp_path / f"out-{documents}") as writer:
            for i in range(documents):
                tables = {name: (1, rows_bytes) for name in TABLE_NAMES if name != "units"}
                writer.add(DocumentRows(f"d{i:05d}", "ok", None, 10, tables, ()))
            _current, high = tracemalloc.get_traced_memory()
            writer.abort()
        tracemalloc.stop()
        return high

    small, large = peak(100), peak(1000)
    assert large - small < 900 * 400  # 20 kB of rows per document would be 900 x 160 kB


def test_progress_stops_below_100_until_the_run_ends(tmp_path):
    import io

    from pipeline.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    with Progress(total_chars=100, stream=stream, interval=0) as progress:
        progress.advance(150, "ok", 3)  # the estimate from file sizes was short
        assert "99%" in progress.line()
        progress.advance(0, "skipped")
    assert stream.getvalue().rstrip("\n").rsplit("\r", 1)[-1].endswith("100%")
    assert "2 documents (1 ok, 1 skipped, 0 failed), 3 claims, 150 chars" in progress.summary()


def test_jsonl_year_sets_the_date_and_a_full_date_in_the_text_refines_it(tmp_path):
    from pipeline.extract import document_date
    from pipeline.read import read_jsonl

    path = tmp_path / "a.jsonl"
    records = [{"id": "y", "year": 2015, "text": "今年经济增长7%。"},
               {"id": "r", "year": "2021", "text": "2021年3月5日在第十三届全国人民代表大会上。过去一年增长2.3%。"},
               {"id": "d", "date": "2012-06-07", "published": "", "text": "增长5%。"}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    dates = {raw.doc_id: document_date(raw) for raw in read_jsonl(path)}
    assert dates == {"y": ("2015", "metadata"), "r": ("2021-03-05", "inferred"),
                     "d": ("2012-06-07", "metadata")}
