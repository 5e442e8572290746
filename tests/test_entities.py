"""The entity stage on the seed article, its invariants, speed, and its spaCy components."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from pipeline.entities import find_entities, spacy_patterns, tag_text, text_words
from pipeline.repair import prepare_text
from pipeline.segment import make_nlp, segment

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_42766f52b4656d20.txt"

# issue 5, item 5: what must come out of the seed, with its label
SEED_EXPECTED = {
    "重庆": {"GPE"}, "两江新区": {"GPE", "LOC"}, "西部（重庆）科学城": {"GPE", "LOC"}, "巴基斯坦": {"GPE"},
    "俄罗斯": {"GPE"}, "腾讯云": {"ORG"}, "百度智能云": {"ORG"}, "海尔卡奥斯": {"ORG"}, "树根互联": {"ORG"},
    "工信部": {"ORG"}, "长安汽车": {"ORG"}, "金康赛力斯": {"ORG"}, "华为": {"ORG"}, "长城汽车": {"ORG"},
    "上汽红岩": {"ORG"}, "上合组织": {"ORG"}, "上合组织秘书处": {"ORG"},
    "中国—上海合作组织数字经济产业论坛": {"EVENT"}, "2021中国国际智能产业博览会": {"EVENT"},
    "上合数字经济论坛": {"EVENT"}, "智博会": {"EVENT"}, "渝快办": {"PRODUCT"}, "渝康码": {"PRODUCT"},
    "CS75PLUS": {"PRODUCT"}, "坦克300": {"PRODUCT"}, "崔力": {"PERSON"}, "苏思": {"PERSON"}, "长江": {"LOC"},
    "嘉陵江": {"LOC"}, "朝天门码头": {"FAC"}, "礼嘉智慧馆": {"FAC"},
}
NEVER = {"智慧", "智能化", "齐全", "暨"}


@pytest.fixture(scope="module", params=[False, True], ids=["rules", "with_model"])
def seed(request):
    """The seed's entities from the rules, and with the optional trained model revising them."""
    raw = SEED.read_text(encoding="utf-8")
    doc = segment(prepare_text(raw, "seed", "2021-08-23"))
    entities, aliases = find_entities(doc, model=request.param)
    return raw, entities, aliases


def test_seed_checklist(seed):
    _, entities, _ = seed
    found: dict[str, set[str]] = {}
    for e in entities:
        found.setdefault(e.text, set()).add(e.label)
    for text, labels in SEED_EXPECTED.items():
        assert text in found, f"{text} not found"
        assert found[text] & labels, f"{text}: {found[text]} instead of {labels}"
    assert not NEVER & set(found)


def test_seed_canonical_and_kb_ids(seed):
    _, entities, _ = seed
    by_text = {e.text: e for e in entities}
    assert by_text["工信部"].canonical == "工业和信息化部"
    assert by_text["上合组织"].canonical == "上海合作组织"
    assert by_text["上合组织秘书处"].canonical == "上海合作组织秘书处"
    assert by_text["渝"].canonical == "重庆" and by_text["渝"].kb_id == "500000"
    assert by_text["重庆"].kb_id == "500000" and by_text["重庆市"].canonical == "重庆"
    assert by_text["巴基斯坦"].kb_id == "PK" and by_text["俄罗斯"].kb_id == "RU"
    assert by_text["智博会"].canonical == "2021中国国际智能产业博览会"
    assert by_text["上合数字经济论坛"].canonical == "中国—上海合作组织数字经济产业论坛"
    assert by_text["崔力"].rule == "person_credit"


def test_seed_aliases(seed):
    raw, _, aliases = seed
    assert {(a.alias, a.canonical, a.label) for a in aliases} == {
        ("上合数字经济论坛", "中国—上海合作组织数字经济产业论坛", "EVENT"),
        ("智博会", "2021中国国际智能产业博览会", "EVENT"),
    }
    for a in aliases:
        phrase = raw[a.start : a.end]
        assert phrase.startswith(a.canonical) and a.alias in phrase and "简称" in phrase


def test_rows_are_raw_slices_numbered_in_order(seed):
    raw, entities, _ = seed
    assert [e.ent_id for e in entities] == list(range(1, len(entities) + 1))
    assert [e.start for e in entities] == sorted(e.start for e in entities)
    for e in entities:
        assert raw[e.start : e.end] == e.text
        assert e.label in {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT"}
        assert e.rule
    spans = sorted((e.start, e.end) for e in entities)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "entities overlap"


def test_alias_definition_in_any_document():
    text = "国家发展和改革委员会（以下简称“发改委”）今天表示，发改委将继续推进改革。"
    mentions, defs = tag_text(text, text_words(text))
    assert [(d.alias, d.canonical, d.label) for d in defs] == [("发改委", "国家发展和改革委员会", "ORG")]
    later = [m for m in mentions if text[m.start : m.end] == "发改委" and m.start > text.index("）")]
    assert later and later[0].canonical == "国家发展和改革委员会" and later[0].rule == "alias"


def test_an_alias_defined_twice_is_one_aliases_row():
    """Found by the fuzzer: a repeated paragraph defined its alias twice, and (doc_id, alias), the
    aliases table's primary key, repeated."""
    from pipeline import extract_text

    paragraph = "国家发展和改革委员会（以下简称“发改委”）今天表示，发改委将继续推进改革。\n"
    assert extract_text(paragraph * 2).aliases == extract_text(paragraph).aliases  # the first definition
    assert len(extract_text(paragraph).aliases) == 1


def test_spacy_component_sets_ents_and_aliases():
    nlp = make_nlp()
    nlp.add_pipe("zhfacts_entities")
    doc = nlp("中国—上海合作组织数字经济产业论坛（以下简称“上合数字经济论坛”）在重庆举办。工信部发布通知。")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("重庆", "GPE") in ents and ("工信部", "ORG") in ents
    assert ("中国—上海合作组织数字经济产业论坛", "EVENT") in ents
    assert [s.label_ for s in doc.spans["aliases"]] == ["EVENT"]
    assert {e.kb_id_ for e in doc.ents if e.text == "重庆"} == {"500000"}


def test_spacy_component_in_a_plain_pipeline():
    nlp = spacy.blank("zh")  # spaCy's own character tokenizer: the component re-segments
    nlp.add_pipe("zhfacts_entities", config={"words": "segment"})
    doc = nlp("长安汽车在巴基斯坦新增订单。")
    assert {(e.text, e.label_) for e in doc.ents} >= {("长安汽车", "ORG"), ("巴基斯坦", "GPE")}
    with pytest.raises(ValueError):
        nlp.add_pipe("zhfacts_entities", name="bad", config={"words": "nope"})


def test_patterns_load_into_spacy_span_ruler():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1"}}})
    ruler = nlp.add_pipe("span_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(spacy_patterns())
    doc = nlp("工信部和上合组织发布声明。")
    assert {(s.text, s.label_, s.id_) for s in doc.spans["ruler"]} >= {
        ("工信部", "ORG", "org_government"), ("上合组织", "ORG", "org_international"),
    }


@pytest.mark.parametrize(
    ("text", "string"),
    [("新建厂房投产", "新建"), ("新干线开通", "新干"), ("都安装了设备", "都安"), ("推动企业上云上平台", "上云上"),
     ("两江交汇", "两江"), ("新建了三座工厂", "新建")],
)
def test_short_forms_inside_words_or_common_words_are_not_places(text, string):
    """A county's short form fires only as a whole jieba word, and not as a common word before a noun."""
    mentions, _ = tag_text(text, text_words(text))
    assert string not in {text[m.start : m.end] for m in mentions}


def test_short_forms_still_name_places_in_context():
    for text, name in (("他到新建考察", "新建"), ("江西省新干县", "新干县"), ("以两江新区为例", "两江新区")):
        mentions, _ = tag_text(text, text_words(text))
        assert name in {text[m.start : m.end] for m in mentions if m.label in ("GPE", "LOC")}, text


def test_a_name_found_once_is_found_at_every_mention():
    text = "金康赛力斯与华为联合推出的新款车型受到市场青睐。\n▲重庆金康赛力斯两江智能工厂的生产线。"
    mentions, _ = tag_text(text, text_words(text))
    spans = {(m.start, m.end): (m.label, m.rule) for m in mentions}
    second = text.index("金康赛力斯", 5)
    assert spans[(second, second + 5)] == ("ORG", "repeated")
    assert (second - 2, second) in spans  # 重庆 stays a place of its own


def test_one_name_one_reading_per_document():
    """What only context suggested (在小丽的: a place?) and a character glued onto a name (小丽接/回)
    give way to how the rest of the document reads the name; 这/段时间 is no one's name."""
    text = (
        "小丽今年八岁，暑假就准备上二年级。据小丽母亲郑女士回忆，小丽当天在家。记者看到，在小丽的病历上写着诊断结果。"
        "父母只能把小丽接回了家中。在孩子放暑假的这段时间，小丽很少出门。"
    )
    mentions, _ = tag_text(text, text_words(text))
    names = [(text[m.start : m.end], m.label) for m in mentions if m.label != "PERSON" or text[m.start] == "小"]
    assert names == [("小丽", "PERSON")] * text.count("小丽")
    assert "段时间" not in {text[m.start : m.end] for m in mentions}
