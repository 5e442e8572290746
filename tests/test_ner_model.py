"""The optional trained entity model: training-data conversion, decontamination, and its use."""

from __future__ import annotations

import json

import spacy

from pipeline import extract_text, ner_model
from pipeline.entities import Mention, rules, tag_text, text_words

def spans_of(line: str) -> list[tuple[str, str]]:
    text, spans = ner_model._pku_paragraph(line, rules())
    return [(text[s:e], label) for s, e, label in spans]


def test_pku98_names_join_surname_and_given_name():
    line = "19980101-01-001-001/m  钟/nrf  敬之/nrg  同志/n  会见/v  江/nr  主席/n"
    assert spans_of(line) == [("钟敬之", "PER"), ("江", "PER")]


def test_pku98_bracketed_compound_is_one_entity_in_either_flavour():
    sample = "[中国/ns  大/a  马戏团/n]nt  访问/v  [龙汇/nz  庄园/n]ns"
    assert spans_of(sample) == [("中国大马戏团", "ORG"), ("龙汇庄园", "LOC")]
    tabbed = "[国务院/nt\t台湾/ns\t事务/n\t办公室/n]/nt\t成立/v"
    assert spans_of(tabbed) == [("国务院台湾事务办公室", "ORG")]


def test_pku98_conventions_of_peoples_daily_ner():
    # the government and the region name only the place; a one-character country is a place;
    # 胡老 names the surname (小平 is a given name); 政协 (a longer abbreviation) is left to the rules
    line = "[美国/ns  政府/n]nt  [西北/ns  地区/n]ns  中/j  美/j  胡老/nr  小平/nrg  政协/j"
    spans = [("美国", "LOC"), ("西北", "LOC"), ("中", "LOC"), ("美", "LOC"), ("胡", "PER"), ("小平", "PER")]
    assert spans_of(line) == spans


def test_an_organisation_after_a_chain_of_places_starts_at_the_last_place():
    line = "[河南省/ns  郑州市/ns  二七/m  司法/n  培训/vn  学校/n]nt  [中国/ns  银行/n  北京/ns  分行/n]nt"
    assert spans_of(line) == [("河南省", "LOC"), ("郑州市二七司法培训学校", "ORG"), ("中国银行北京分行", "ORG")]


def test_pinyin_braces_are_not_text():
    assert ner_model._pku_paragraph("看{kan4}/v  上{shang5}/f", rules()) == ("看上", [])


def test_a_malformed_line_is_skipped_not_guessed():
    assert ner_model._pku_paragraph("no tags here", rules()) is None


def test_rules_fill_in_where_the_gold_is_silent():
    gold = [(0, 3, "LOC")]
    rule_spans = [(1, 3, "LOC"), (5, 8, "ORG"), (9, 12, "OTHER")]
    assert ner_model._targets(gold, rule_spans) == [(0, 3, "LOC"), (5, 8, "ORG")]


def test_sentences_keep_only_their_own_spans():
    pieces = list(ner_model._sentences("北京很大。上海也大", [(0, 2, "LOC"), (5, 7, "LOC")]))
    assert pieces == [("北京很大。", [(0, 2, "LOC")]), ("上海也大", [(0, 2, "LOC")])]


def test_decontamination_drops_a_paragraph_sharing_a_stretch_with_the_evaluation_sets():
    shared = "一二三四五六七八九十甲乙丙丁戊己"  # 16 characters
    grams = {shared}
    kept = list(ner_model._clean([("前言" + shared + "后记", []), ("完全不同的一段文字", [])], grams))
    assert kept == [("完全不同的一段文字", [])]


def test_no_training_sentence_overlaps_a_held_out_sentence():
    held_out = ner_model._grams(ner_model.HELD_OUT_FILES)
    pd_dev = ner_model._grams([ner_model.PD_DEV_FILE])
    sentences = ner_model.training_sentences()
    n = ner_model.OVERLAP

    def overlaps(text: str, grams: set[str]) -> bool:
        return any(text[i : i + n] in grams for i in range(len(text) - n + 1))

    assert not any(overlaps(s.text, held_out) for s in sentences)
    pku98 = [s for s in sentences if not s.complete]
    assert len(pku98) > 10_000
    assert not any(overlaps(s.text, pd_dev) for s in pku98), "PD dev enters as itself, not as PKU98's copy"
    pd_dev_sentences = len(ner_model.load_gold(ner_model.PD_DEV_FILE))
    weight = ner_model.PD_DEV_WEIGHT
    assert (pd_dev_sentences - 30) * weight <= len(sentences) - len(pku98) <= pd_dev_sentences * weight


def test_complete_gold_is_taken_as_it_is():
    gold = [(0, 3, "LOC")]
    rule_spans = [(0, 5, "ORG"), (6, 8, "PER")]
    assert ner_model._targets(gold, rule_spans, complete=True) == gold
    assert ner_model._targets(gold, rule_spans) == [(0, 5, "ORG"), (6, 8, "PER")]


def test_model_was_trained_on_the_current_entity_rules():
    info = json.loads(ner_model.INFO_PATH.read_text(encoding="utf-8"))
    assert info["entity_rules_sha256"] == ner_model.entity_rules_sha256(), (
        "the entity rules changed since rules/models/ner.crfsuite was trained: run `make train-ner`"
    )
    assert ner_model.MODEL_PATH.stat().st_size < 20_000_000


def test_features_describe_every_character():
    text = "周恩来生前"
    words = text_words(text)
    feats = ner_model.features(text, words, tag_text(text, words)[0])
    assert len(feats) == len(text)
    assert "c=周" in feats[0] and "surname" in feats[0]


def test_model_finds_a_name_the_rules_miss_and_keeps_what_they_know():
    text = "周恩来生前访问了俄罗斯。"
    words = text_words(text)
    rule_mentions, _ = tag_text(text, words)
    assert not any(m.label == "PERSON" for m in rule_mentions)
    revised = ner_model.revise(text, words, rule_mentions)
    person = [m for m in revised if m.label == "PERSON"]
    assert [(text[m.start : m.end], m.rule) for m in person] == [("周恩来", "ner_model")]
    russia = next(m for m in revised if text[m.start : m.end] == "俄罗斯")
    assert russia.label == "GPE" and russia.kb_id == "RU"


def test_a_one_character_place_the_model_adds_gets_its_full_name_and_code():
    text = "中俄两国领导人会晤，美方表示关注。"
    words = text_words(text)
    revised = ner_model.revise(text, words, [])  # as if the rules had found nothing
    places = {text[m.start : m.end]: m for m in revised if m.end - m.start == 1}
    assert places, "the model finds the one-character countries"
    for m in places.values():
        assert m.label == "GPE" and m.kb_id in {"CN", "RU", "US"} and m.canonical != text[m.start : m.end]


def test_revise_keeps_rule_mentions_the_model_does_not_touch():
    text = "今天天气很好"
    mention = Mention(0, 2, "EVENT", "今天", None, "test_rule")
    assert ner_model.revise(text, text_words(text), [mention]) == [mention]


def test_extract_text_and_spacy_pipe_with_the_model():
    text = "罗干在北京会见了来宾，中央气象台发布了预报。"
    extraction = extract_text(text, ner_model=True)
    assert {("罗干", "PERSON"), ("中央气象台", "ORG")} <= {(e.text, e.label) for e in extraction.entities}
    assert "罗干" not in {e.text for e in extract_text(text).entities}  # the model adds it
    nlp = spacy.blank("zh")
    nlp.add_pipe("zhfacts_entities", config={"words": "segment", "model": True})
    assert ("罗干", "PERSON") in {(e.text, e.label_) for e in nlp(text).ents}
