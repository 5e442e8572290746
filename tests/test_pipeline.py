"""End to end: the CLI over real and bad inputs, the dataset's invariants, determinism, atomicity."""

import csv
import filecmp
import json
import shutil
from pathlib import Path

import pytest
from frictionless import Package
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import export
from pipeline.cli import main
from tests.conftest import ROOT, SEED

SPAN_TABLES = ("tokens", "quantities", "times", "entities", "claims")


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def seed_dataset(tmp_path_factory) -> Path:
    """The seed extracted exactly as `make extract` does it (from the repo root, `seeds`)."""
    out = tmp_path_factory.mktemp("seed") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        assert main(["extract", "seeds", "--out", str(out), "--quiet"]) == 0
    return out


def test_offset_invariant_holds_for_every_row(seed_dataset):
    raw = SEED.read_text(encoding="utf-8")
    for table in SPAN_TABLES:
        rows = _rows(seed_dataset, table)
        assert rows, f"{table} is empty"
        for row in rows:
            assert raw[int(row["start"]):int(row["end"])] == row["text"], (table, row)
    for sentence in _rows(seed_dataset, "sentences"):
        span = raw[int(sentence["start"]):int(sentence["end"])]
        assert span[0] == sentence["text"][0] and span[-1] == sentence["text"][-1]


def test_documents_table(seed_dataset):
    (document,) = _rows(seed_dataset, "documents")
    assert document["doc_id"] == SEED.stem
    assert document["published"] == "2021-08-23" and document["published_from"] == "metadata"
    assert document["status"] == "ok" and document["error"] == ""
    assert int(document["n_sentences"]) == 69
    assert int(document["n_chars"]) == len(SEED.read_text(encoding="utf-8"))


def test_csv_format_is_lf_utf8_with_header(seed_dataset):
    for table in export.TABLES:
        data = (seed_dataset / f"{table.name}.csv").read_bytes()
        assert b"\r\n" not in data
        header = data.decode("utf-8").split("\n", 1)[0]
        assert header == ",".join(f.name for f in table.record.__dataclass_fields__.values())


def test_datapackage_is_valid_frictionless(seed_dataset):
    descriptor = json.loads((seed_dataset / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["schema_version"] == export.SCHEMA_VERSION
    provenance = descriptor["provenance"]
    assert set(provenance) >= {"zhfacts", "rules_sha256", "jieba", "rjieba", "spacy", "segmenter"}
    for resource in descriptor["resources"]:
        assert resource["rows"] == len(_rows(seed_dataset, resource["name"]))
    report = Package(str(seed_dataset / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_two_runs_are_byte_identical_whatever_the_input_order(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "b.txt")
    (corpus / "a.jsonl").write_text(
        json.dumps({"id": "j1", "published": "2021-01-05", "text": "去年全市粮食产量达1.2万吨，同比增长3.5%。"},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    assert main(["extract", str(corpus / "a.jsonl"), str(corpus / "b.txt"), "--out", str(first), "--quiet"]) == 0
    assert main(["extract", str(corpus / "b.txt"), str(corpus / "a.jsonl"), "--out", str(second), "--quiet"]) == 0
    names = sorted(p.name for p in first.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(first, second, names, shallow=False)
    assert not mismatch and not errors and len(match) == len(export.TABLES) + 1


def test_bad_inputs_are_reported_and_good_ones_extracted(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / "good.txt")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "lines.jsonl").write_text('{"id": "fine", "text": "增长5%。"}\n{oops\n{"id": "none"}\n',
                                        encoding="utf-8")
    out = tmp_path / "out"
    code = main(["extract", str(corpus), str(tmp_path / "missing.txt"), "--out", str(out), "--quiet"])
    assert code == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "4 of 7 documents failed" in err
    assert "zhfacts: 7 documents (2 ok, 1 skipped, 4 failed)" in err
    assert captured.out == ""
    documents = {row["doc_id"]: row for row in _rows(out, "documents")}
    assert documents["good"]["status"] == "ok" and documents["fine"]["status"] == "ok"
    expected = {"empty": ("skipped", "empty document"), "binary": ("error", "binary content"),
                "lines:2": ("error", "line 2: malformed JSON"), "none": ("error", "line 3: no text"),
                str(tmp_path / "missing"): ("error", "no such file")}
    for doc_id, (status, reason) in expected.items():
        assert documents[doc_id]["status"] == status and reason in documents[doc_id]["error"]
        assert f"{status}: {documents[doc_id]['error']}" in err
    assert any(row["doc_id"] == "good" for row in _rows(out, "quantities"))


def test_usage_errors_exit_2(tmp_path, capsys):
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "一。"}\n{"id": "x", "text": "二。"}\n',
                                      encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "out")]) == 2
    assert "duplicate doc_id 'x'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    with pytest.raises(SystemExit) as exit_info:
        main(["extract", "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2


def test_interrupted_run_leaves_previous_dataset(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert main(["extract", str(SEED), "--out", str(out), "--quiet"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def explode(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "to_csv", explode)
    with pytest.raises(KeyboardInterrupt):
        main(["extract", str(SEED), "--out", str(out), "--quiet"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".zhfacts-cache", "out"]  # no temporary folder


def test_python_dash_m_is_the_cli():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.startswith("zhfacts ")


def test_committed_outputs_are_what_extract_produces(seed_dataset):
    from pipeline.diff import diff_datasets, format_diff

    committed = ROOT / "outputs"
    names = sorted(p.name for p in seed_dataset.iterdir())
    _match, mismatch, errors = filecmp.cmpfiles(committed, seed_dataset, names, shallow=False)
    if mismatch or errors:
        differences = diff_datasets(committed, seed_dataset)
        pytest.fail(f"outputs/ is stale ({mismatch + errors}); run `make extract`.\n" + format_diff(differences))


def test_progress_line_on_a_terminal():
    import io

    from pipeline.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    with Progress(total_chars=1000, stream=stream, interval=0) as progress:
        progress.advance(250)
        progress.log("error: bad.txt: line 1: empty document")
    output = stream.getvalue()
    assert "1 documents, 250 chars" in output and "25%" in output and "ETA" in output
    assert "error: bad.txt: line 1: empty document\n" in output
    quiet = Terminal()
    with Progress(enabled=False, stream=quiet) as progress:
        progress.advance(10)
    assert quiet.getvalue() == ""


CHINESE_TEXT = "重庆今年上半年增长25.5%，达1.85万家。近30个国家（以下简称“上合”）\n\n▲图为崔力/摄 一二三四五六七八九十百千万亿〇两％．０１２３"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(CHINESE_TEXT) | st.characters(), max_size=120))
def test_any_text_extracts_with_the_offset_invariant(text):
    from pipeline import extract_text
    from pipeline.read import text_problem

    extraction = extract_text(text, published="2021-08-23")
    if text_problem(text):  # empty (skipped) or binary (an error): a row, never an exception
        assert extraction.document.status in ("skipped", "error") and extraction.document.error
        return
    assert extraction.document.status == "ok", extraction.document.error
    for table in ("tokens", "quantities", "times", "entities", "claims"):
        for row in getattr(extraction, table):
            assert text[row.start:row.end] == row.text


@pytest.mark.parametrize("enabled", [True, False])
def test_extraction_leaves_the_garbage_collector_as_it_found_it(tmp_path, enabled):
    import gc

    from pipeline.extract import extract_corpus

    (tmp_path / "a.txt").write_text("重庆今年新增企业610家。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    gc.enable() if enabled else gc.disable()
    try:
        extractions = []
        for extraction in extract_corpus([str(tmp_path)]):
            assert gc.isenabled() == enabled  # paused only inside a document, never across a yield
            extractions.append(extraction)
        assert gc.isenabled() == enabled
        assert [e.document.status for e in extractions].count("ok") == 1
    finally:
        gc.enable()
