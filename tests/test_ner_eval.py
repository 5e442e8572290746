"""The NER harness: gold loaders, scoring, and no regression below the recorded figures."""

from __future__ import annotations

import json

import pytest

from pipeline import ner_eval, ner_model

RECORDED = json.loads(ner_eval.RECORDED.read_text(encoding="utf-8"))
TOLERANCE = 0.005  # rounding in the recorded file


def test_bio_spans():
    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG", "I-ORG", "I-LOC", "O"]
    assert ner_model.bio_spans(tags) == [(0, 2, "PER"), (3, 4, "LOC"), (4, 7, "ORG"), (7, 8, "LOC")]


def test_msra_loader(tmp_path):
    path = tmp_path / "msra.txt"
    path.write_text("中共中央/nt 致/o 中国致公党十一大/nt 的贺词/o \r\n邓小平/nr 理论/o\r\n", encoding="utf-8")
    sentences = ner_model.load_msra(path)
    assert sentences[0] == ("中共中央致中国致公党十一大的贺词", {(0, 4, "ORG"), (5, 13, "ORG")})
    assert sentences[1] == ("邓小平理论", {(0, 3, "PER")})


def test_gold_sets_load_with_expected_sizes():
    dev = ner_eval.load("pd_dev")
    assert len(dev) == 2318
    counts = {label: sum(1 for _, gold in dev for s in gold if s[2] == label) for label in ner_eval.SCORED}
    assert counts == {"LOC": 1951, "ORG": 984, "PER": 884}
    msra = ner_eval.load("msra_test")
    assert sum(1 for _, gold in msra for s in gold if s[2] == "PER") == 1973


def test_scores_count_exact_matches_only():
    score = ner_eval.Score(tp=8, fp=2, fn=8)
    assert (score.precision, score.recall) == (0.8, 0.5)
    assert score.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)


@pytest.fixture(scope="module")
def gold_sets():
    return {name: ner_eval.load(name) for name in ner_eval.DATASETS}


@pytest.mark.parametrize("tagger", list(ner_eval.TAGGERS))
@pytest.mark.parametrize("name", list(ner_eval.DATASETS))
def test_no_regression_below_recorded_figures(gold_sets, tagger, name):
    scores = ner_eval.evaluate(gold_sets[name], ner_eval.TAGGERS[tagger])
    for label, recorded in RECORDED[tagger][name].items():
        assert scores[label].f1 >= recorded - TOLERANCE, f"{tagger} {name} {label}: {scores[label].f1:.4f} < {recorded}"
