"""The rule files of the quantities stage: validated on load, and their examples hold."""

import pytest
import yaml

from pipeline.numbers import find_numbers
from pipeline.quantities import RULES, load_non_quantities, load_numerals, load_units, scan_quantities

UNITS = load_units()
BLOCKERS = load_non_quantities(digit="[一二三四五六七八九两]", latin_unit="(?:m|cm)")


def _write(tmp_path, data) -> str:
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def _base():
    return {"dimensions": ["mass", "count"],
            "units": [{"unit": "kg", "dimension": "mass", "surfaces": {"公斤": 1, "吨": 1000}}]}


def test_unknown_key(tmp_path):
    data = _base()
    data["units"][0]["factr"] = 2
    with pytest.raises(ValueError, match="unknown key.*factr"):
        load_units(_write(tmp_path, data))


def test_duplicate_surface(tmp_path):
    data = _base()
    data["units"].append({"unit": "count", "dimension": "count", "surfaces": {"吨": 1}})
    with pytest.raises(ValueError, match="duplicate surface '吨'"):
        load_units(_write(tmp_path, data))


def test_dangling_dimension(tmp_path):
    data = _base()
    data["units"][0]["dimension"] = "weight"
    with pytest.raises(ValueError, match="dangling dimension 'weight'"):
        load_units(_write(tmp_path, data))


def test_dangling_surface_reference(tmp_path):
    data = _base()
    data["units"][0]["half"] = ["斤"]
    with pytest.raises(ValueError, match="half names dangling surface '斤'"):
        load_units(_write(tmp_path, data))


def test_duplicate_yaml_key(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("dimensions: [mass]\nunits: []\nunits: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate key 'units'"):
        load_units(path)


def test_bad_factor(tmp_path):
    data = _base()
    data["units"][0]["surfaces"]["克"] = 0
    with pytest.raises(ValueError, match="factor of '克'"):
        load_units(_write(tmp_path, data))


def test_minor_unit_factor_below_one(tmp_path):
    data = _base()
    data["units"][0]["minor"] = {"钱": 2}
    with pytest.raises(ValueError, match="minor unit's factor must be below 1"):
        load_units(_write(tmp_path, data))


def test_numerals_validation(tmp_path):
    data = yaml.safe_load((RULES / "numerals.yaml").read_text(encoding="utf-8"))
    data["bounds"]["prefix"]["约"] = "roughly"
    path = tmp_path / "numerals.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown bound 'roughly'"):
        load_numerals(path)


def test_non_quantities_validation(tmp_path):
    path = tmp_path / "nq.yaml"
    path.write_text("rules:\n  - {id: a, why: x, after: '年', examples: []}\n"
                    "  - {id: a, why: y, after: '月', examples: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate id"):
        load_non_quantities(path, digit="[一]", latin_unit="m")
    path.write_text("rules:\n  - {id: a, why: x, after: '(', examples: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad pattern"):
        load_non_quantities(path, digit="[一]", latin_unit="m")


def test_every_dimension_is_used_or_built_in():
    used = {u.dimension for u in UNITS.surfaces.values()} | {"rank", "count"} | {
        rate.dimension for rate in UNITS.rates.values()}
    assert used == set(UNITS.dimensions)


@pytest.mark.parametrize("example", UNITS.examples, ids=lambda e: e["text"])
def test_unit_examples(example):
    found = scan_quantities(example["text"])
    assert found, example
    q = found[0]
    assert (q.unit, q.dimension) == (example["unit"], example["dimension"])
    assert q.value == pytest.approx(example["value"])


@pytest.mark.parametrize("text", UNITS.negative)
def test_unit_negatives(text):
    assert scan_quantities(text) == []


@pytest.mark.parametrize("text", [e for r in BLOCKERS.rules for e in r.examples] + list(BLOCKERS.idioms))
def test_non_quantity_examples(text):
    assert scan_quantities(text) == [], text


@pytest.mark.parametrize("text", [e for r in BLOCKERS.rules for e in r.negative])
def test_non_quantity_negatives(text):
    assert scan_quantities(text), text


def test_not_before_names_a_surface(tmp_path):
    data = _base()
    data["units"][0]["not_before"] = {"斤": ["两"]}
    with pytest.raises(ValueError, match="not_before names dangling surface '斤'"):
        load_units(_write(tmp_path, data))


def _numerals_reject(tmp_path, data: dict, message: str) -> None:
    """Writing `data` as numerals.yaml makes loading fail with `message`."""
    path = tmp_path / "numerals.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_numerals(path)


def test_numerals_new_keys_are_validated(tmp_path):
    data = yaml.safe_load((RULES / "numerals.yaml").read_text(encoding="utf-8"))
    data["bounds"]["only_before"]["逾越"] = ["万"]
    _numerals_reject(tmp_path, data, "only_before names dangling prefix word '逾越'")
    del data["bounds"]["only_before"]["逾越"]
    data["bounds"]["share"]["约占"] = "about"
    _numerals_reject(tmp_path, data, "unknown bound 'about'")
    data["bounds"]["share"]["约占"] = "approx"
    data["collective_nouns"].append("城市")
    _numerals_reject(tmp_path, data, "duplicate collective noun")


NUMERALS = load_numerals()


@pytest.mark.parametrize("example", NUMERALS.money.examples, ids=lambda e: e["text"])
def test_money_examples(example):
    q = scan_quantities(example["text"])[0]
    assert (q.unit, q.dimension, q.rule) == ("CNY", "currency", "money")
    assert q.unit_text in (None, *NUMERALS.money.measure_words)
    assert q.value == pytest.approx(example["value"])


@pytest.mark.parametrize("text", NUMERALS.money.negative)
def test_money_negatives(text):
    found = scan_quantities(text)
    assert found and not [q for q in found if q.unit == "CNY"], found


@pytest.mark.parametrize("example", NUMERALS.numbers.examples, ids=lambda e: e["text"])
def test_number_examples(example):
    found = find_numbers(example["text"])
    assert [n.value for n in found] == example["numbers"]
    assert all(example["text"][n.start:n.end] == n.text for n in found)


@pytest.mark.parametrize("text", NUMERALS.numbers.negative)
def test_number_negatives(text):
    assert find_numbers(text) == []


def test_money_and_comparison_keys_are_validated(tmp_path):
    data = yaml.safe_load((RULES / "numerals.yaml").read_text(encoding="utf-8"))
    data["money"]["not_before"]["拨款额"] = ["度"]
    _numerals_reject(tmp_path, data, "money not_before names dangling word '拨款额'")
    del data["money"]["not_before"]["拨款额"]
    data["money"]["before"].append("罚")
    _numerals_reject(tmp_path, data, "duplicate money before word")
    data["money"]["before"].pop()
    data["bounds"]["comparison"]["words"].append("超越")
    _numerals_reject(tmp_path, data, "comparison names dangling prefix word '超越'")


@pytest.mark.parametrize(("rule", "message"), [
    ("before: '每$', after: '年', unless_preceded_by: [延长]", "only goes with an `after`-only rule"),
    ("after: '年', unless_followed_by: '天'", "only goes with a `before`-only rule"),
])
def test_an_unless_key_needs_its_one_sided_rule(tmp_path, rule, message):
    path = tmp_path / "nq.yaml"
    path.write_text(f"rules:\n  - {{id: a, why: x, {rule}, examples: []}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_non_quantities(path, digit="[一]", latin_unit="m")
