"""Segmentation: the registered spaCy tokenizer, both jieba backends, the user dictionary."""

import json
import pytest
import spacy

from pipeline.repair import prepare_text
from pipeline.segment import load_user_dict, make_nlp, segment, tagger, tokens
from tests.conftest import GOV_REPORTS


def _spans(words: list[str]) -> set[tuple[int, int]]:
    spans, position = set(), 0
    for word in words:
        spans.add((position, position + len(word)))
        position += len(word)
    return spans


def _agreement(left: list[str], right: list[str]) -> float:
    """Share of tokens both segmentations produce at the same offsets."""
    return len(_spans(left) & _spans(right)) / max(len(left), len(right))


def test_backends_agree_on_seed_and_government_reports(seed_raw):
    texts = [seed_raw] + [json.loads(line)["content"] for line in GOV_REPORTS.open(encoding="utf-8")]
    fast, reference = tagger("rjieba"), tagger("jieba")
    same = total = 0
    for text in texts:
        left, right = fast(text), reference(text)
        shared = _spans([w for w, _ in left]) & _spans([w for w, _ in right])
        same += len(shared)
        total += max(len(left), len(right))
    assert total > 500_000
    assert same / total >= 0.99


def test_tokenizer_is_registered_and_tags_pos():
    nlp = make_nlp("rjieba")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "zhfacts.jieba_tokenizer.v1"
    doc = nlp("两江新区数字经济规模达6387亿元")
    assert [t.text for t in doc][:2] == ["两江新区", "数字经济"]
    assert doc[0].tag_ == "ns"
    assert "zhfacts.jieba_tokenizer.v1" in spacy.registry.tokenizers


def test_pipeline_serialises_with_its_tokenizer(tmp_path):
    nlp = make_nlp("jieba")
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert [t.text for t in loaded("重庆智博会开幕")] == [t.text for t in nlp("重庆智博会开幕")]


def test_unknown_backend_is_rejected():
    with pytest.raises(ValueError, match="unknown segmenter"):
        tagger("nope")


def test_user_dictionary_is_loaded_into_both_backends():
    words = {word for word, _freq, _tag in load_user_dict()}
    assert {"两江新区", "上合组织", "个百分点"} <= words
    for backend in ("rjieba", "jieba"):
        assert "两江新区" in [w for w, _ in tagger(backend)("两江新区直管区")]
        assert "上合组织" in [w for w, _ in tagger(backend)("今年是上合组织成立20周年")]


def test_user_dictionary_is_validated(tmp_path):
    bad = tmp_path / "dict.txt"
    bad.write_text("词 10 n\n词 20 n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        load_user_dict(bad)
    bad.write_text("词 many n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected"):
        load_user_dict(bad)


def test_token_rows_point_into_raw_text(seed_prepared, seed_raw):
    rows = tokens(seed_prepared)
    assert len(rows) > 1000
    assert all(seed_raw[t.start:t.end] == t.text for t in rows)
    rejoined = [t for t in rows if t.text.replace("\n", "") == "知名"]
    assert rejoined, "the word split across the blank line is one token again"


def test_agreement_measure():
    assert _agreement(["a", "b", "c"], ["a", "b", "c"]) == 1
    assert _agreement(["a", "bc"], ["a", "b", "c"]) == pytest.approx(1 / 3)


def test_backends_tag_alike():
    text = "重庆数字经济企业达1.85万家，占GDP比重25.5%，惠及500多万人。"
    assert tagger("jieba")(text) == tagger("rjieba")(text)


def test_segment_skips_whitespace():
    doc = segment(prepare_text("赋能经济发展 实现互利共赢"))
    assert [doc.text[s:e] for s, e, _ in doc.words] == ["赋能", "经济", "发展", "实现", "互利", "共赢"]


def test_date_unit_is_cut_from_the_name_after_it():
    # jieba's HMM makes `日蓝星` of ７月２１日蓝星石油; a common word after a date stays whole. (The
    # pure-Python backend tags a word its dictionary lacks `x`, so it cannot tell the name.)
    text = "７月２１日蓝星石油有限公司发生漏油事件，５日凌晨发生地震。"
    doc = segment(prepare_text(text, "d", None), "rjieba")
    words = [doc.text[start:end] for start, end, _pos in doc.words]
    assert "蓝星" in words and "日蓝星" not in words
    assert "日" in words[:6]
    assert "凌晨" in words or "日凌晨" in words
