"""Every rule family's examples and negatives, rule-file validation, and the generated gazetteers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from pipeline.entities import (
    RULES_DIR, RuleError, load_patterns, load_rule_file, rules, tag_text, text_words,
)

DATA = load_rule_file()


def _cases(key: str) -> list[tuple[str, str]]:
    out = []
    for name, section in DATA.items():
        families = section.items() if name == "suffix_families" else [(name, section)]
        for family, body in families:
            out += [(f"{family}: {case}", case) for case in body.get(key, [])]
    return out


def _entities(text: str) -> dict[str, list]:
    mentions, _ = tag_text(text, text_words(text))
    found: dict[str, list] = {}
    for m in mentions:
        found.setdefault(text[m.start : m.end], []).append(m)
    return found


@pytest.mark.parametrize("case", [c for _, c in _cases("examples")], ids=[i for i, _ in _cases("examples")])
def test_example(case):
    text, entity, label, *canonical = case.split("|")
    found = _entities(text)
    assert entity in found, f"{entity} not found in {text}: {sorted(found)}"
    assert label in {m.label for m in found[entity]}
    if canonical:
        assert canonical[0] in {m.canonical for m in found[entity]}


@pytest.mark.parametrize("case", [c for _, c in _cases("negative")], ids=[i for i, _ in _cases("negative")])
def test_negative(case):
    text, string = case.split("|")
    assert string not in _entities(text)


def test_every_family_has_examples_or_negatives():
    for name, section in DATA.items():
        families = section.values() if name == "suffix_families" else [section]
        for body in families:
            assert body.get("examples") or body.get("negative"), name


def _write_rules(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load((RULES_DIR / "entities.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "entities.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_key_fails(tmp_path):
    path = _write_rules(tmp_path, lambda d: d["quoted"].update(typo=1))
    with pytest.raises(RuleError, match="unknown keys"):
        load_rule_file(path)


def test_bad_label_and_duplicate_suffix_fail(tmp_path):
    path = _write_rules(tmp_path, lambda d: d["suffix_families"]["org"].update(label="COMPANY"))
    with pytest.raises(RuleError, match="unknown label"):
        load_rule_file(path)
    path = _write_rules(tmp_path, lambda d: d["suffix_families"]["org"]["suffixes"].append("公司"))
    with pytest.raises(RuleError, match="duplicate"):
        load_rule_file(path)


def test_a_weak_person_cue_must_be_a_cue(tmp_path):
    path = _write_rules(tmp_path, lambda d: d["person_context"]["weak_after"].append("然后"))
    with pytest.raises(RuleError, match="weak_after"):
        load_rule_file(path)


def test_missing_section_fails(tmp_path):
    path = _write_rules(tmp_path, lambda d: d.pop("stop"))
    with pytest.raises(RuleError, match="missing"):
        load_rule_file(path)


def test_pattern_file_validation(tmp_path):
    good = {"id": "x", "label": "ORG", "pattern": "某某公司"}
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(good, ensure_ascii=False) + "\n")
    with pytest.raises(RuleError, match="duplicate"):
        load_patterns(path)
    path.write_text(json.dumps({**good, "label": "THING"}, ensure_ascii=False) + "\n")
    with pytest.raises(RuleError, match="label"):
        load_patterns(path)
    path.write_text(json.dumps({**good, "colour": "red"}, ensure_ascii=False) + "\n")
    with pytest.raises(RuleError, match="unknown keys"):
        load_patterns(path)


def test_patterns_have_ids_and_known_canonicals():
    patterns = load_patterns()
    assert all(p["id"] and p["label"] for p in patterns)
    by_pattern = {p["pattern"]: p for p in patterns}
    assert by_pattern["工信部"]["canonical"] == "工业和信息化部"
    assert by_pattern["上合组织"]["canonical"] == "上海合作组织"


def _tsv(name: str) -> list[dict[str, str]]:
    with (RULES_DIR / "gazetteers" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_gazetteers_are_well_formed():
    countries = _tsv("countries.tsv")
    assert {r["name"]: r["kb_id"] for r in countries}.get("巴基斯坦") == "PK"
    assert all(len(r["kb_id"]) == 2 or r["kb_id"].isdigit() for r in countries)
    divisions = _tsv("cn_divisions.tsv")
    assert all(len(r["kb_id"]) == 6 and r["kb_id"].isdigit() for r in divisions)
    by_name = {r["name"]: r for r in divisions}
    assert by_name["重庆市"]["canonical"] == "重庆" and by_name["重庆"]["kb_id"] == "500000"
    assert "城区" not in by_name  # a division named by a common word is left out
    names = [r["name"] for r in divisions]
    assert len(names) == len(set(names))
    assert len(_tsv("surnames.tsv")) > 150
    given = {r["char"]: float(r["per_million"]) for r in _tsv("given_chars.tsv")}
    assert len(given) > 1000 and given["伟"] > given["霞"] > given["的"]
    assert "的" not in rules().given_chars and "宏" in rules().given_chars


def test_party_congress_patterns():
    text = "党的十五大报告指出，中共十五大提出"
    found = {text[m.start : m.end]: m for m in tag_text(text, text_words(text))[0]}
    assert found["十五大"].label == "EVENT" and found["中共十五大"].canonical == "中国共产党第十五次全国代表大会"


def test_one_char_abbreviations_resolve():
    r = rules()
    assert r.one_provinces["渝"] == ("重庆", "500000")
    assert r.one_countries["俄"] == ("俄罗斯", "RU")


def test_lexicon_is_jiebas_dictionary_as_the_user_dictionary_amends_it():
    lexicon = rules().lexicon
    assert lexicon["深化"] == "v"  # jieba's own dictionary: j
    assert lexicon["多渠道"] == "b"  # jieba's own dictionary: nr
    assert lexicon["两江新区"] == "ns"  # not in jieba's dictionary at all
    assert lexicon["北京"] == "ns"
