"""Every rule family's examples and negatives in rules/times.yaml, and the rule-file validation."""

from __future__ import annotations

import copy

import pytest
import yaml

from pipeline import times

RULES = times.load_rules()
EXAMPLES = [(name, ex) for name, fam in RULES["families"].items() for ex in fam["examples"]]
NEGATIVES = [(name, text) for name, fam in RULES["families"].items() for text in fam["negative"]]


def _anchor(example: dict) -> str | None:
    anchor = example.get("anchor", RULES["default_anchor"])
    return None if anchor == "none" else anchor


@pytest.mark.parametrize("family,example", EXAMPLES, ids=[f"{n}:{e['text']}" for n, e in EXAMPLES])
def test_example(family, example):
    found = times.scan_times(example["text"], _anchor(example))
    span = example.get("span", example["text"])
    value = example["value"] or None
    resolved = example.get("resolved", value is not None)
    got = [(m.text, m.type, m.value, m.resolved) for m in found]
    assert (span, example["type"], value, resolved) in got


@pytest.mark.parametrize("family,text", NEGATIVES, ids=[f"{n}:{t}" for n, t in NEGATIVES])
def test_negative(family, text):
    assert times.scan_times(text, RULES["default_anchor"]) == []


def _write(tmp_path, data):
    path = tmp_path / "times.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_unknown_key_fails(tmp_path):
    data = copy.deepcopy(RULES)
    data["families"]["vague"]["wrods"] = ["近年"]
    with pytest.raises(times.RuleError, match="unknown keys"):
        times.load_rules(_write(tmp_path, data))


def test_word_in_two_families_fails(tmp_path):
    data = copy.deepcopy(RULES)
    data["families"]["vague"]["words"].append("目前")
    with pytest.raises(times.RuleError, match="目前"):
        times.load_rules(_write(tmp_path, data))


def test_dangling_reference_fails(tmp_path):
    data = copy.deepcopy(RULES)
    data["families"]["relative_years"]["ambiguous_before"]["上上年"] = ["界"]
    with pytest.raises(times.RuleError, match="unknown words"):
        times.load_rules(_write(tmp_path, data))


def test_bad_planning_period_fails(tmp_path):
    data = copy.deepcopy(RULES)
    data["families"]["planning_periods"]["periods"]["十四五"] = [2021, 2026]
    with pytest.raises(times.RuleError, match="five years"):
        times.load_rules(_write(tmp_path, data))


def test_family_without_examples_fails(tmp_path):
    data = copy.deepcopy(RULES)
    data["families"]["decades"]["examples"] = []
    with pytest.raises(times.RuleError, match="examples"):
        times.load_rules(_write(tmp_path, data))
