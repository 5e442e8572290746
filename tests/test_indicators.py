"""rules/indicators.yaml: every indicator's examples map to it and its negatives do not, the file is
validated on load, and claims carry the indicator their metric names."""

import pytest

from pipeline import extract_text
from pipeline.indicators import indicators, load_indicators

TABLE = indicators()
CASES = [(i.id, "examples", case) for i in TABLE.indicators.values() for case in i.examples] + \
        [(i.id, "negative", case) for i in TABLE.indicators.values() for case in i.negative]


def test_the_vocabulary_is_large_and_named_in_snake_case():
    assert len(TABLE.indicators) >= 150
    for required in ("gdp_growth", "cpi_inflation", "surveyed_unemployment_rate", "new_urban_jobs", "grain_output",
                     "deficit_ratio", "fiscal_deficit", "gdp_per_capita", "regional_gdp"):
        assert required in TABLE.indicators, required


@pytest.mark.parametrize(("indicator", "kind", "case"), CASES,
                         ids=[f"{i}-{k}-{c['metric']}-{c['dimension']}" for i, k, c in CASES])
def test_examples_map_and_negatives_do_not(indicator, kind, case):
    found = TABLE.match(case["metric"], case["dimension"], case["kind"])
    if kind == "examples":
        assert found == indicator, (case, found)
    else:
        assert found != indicator, case


def test_unsure_is_no_answer():
    assert TABLE.match("增长", "percent", "change") is None
    assert TABLE.match(None, "percent", "change") is None
    assert TABLE.match("國內生產總值", "percent", "change") == "gdp_growth"  # either script


@pytest.mark.parametrize(("text", "number", "indicator"), [
    ("过去一年，国内生产总值增长5.2%。", "5.2%", "gdp_growth"),
    ("今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右；居民消费价格涨幅3%左右。", "1200万人",
     "new_urban_jobs"),
    ("今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右；居民消费价格涨幅3%左右。", "3%左右",
     "cpi_inflation"),
    ("城镇居民人均可支配收入实际增长5%。", "5%", "urban_per_capita_disposable_income_growth"),
])
def test_claims_carry_their_indicator(text, number, indicator):
    result = extract_text(text, published="2024-03-05", title="2024年政府工作报告")
    claim = next(c for c in result.claims if number in c.text)
    assert claim.indicator == indicator, claim


def test_a_per_capita_figure_is_not_the_national_one():
    result = extract_text("人均国内生产总值增长5%。", published="2024-03-05", title="2024年政府工作报告")
    assert result.claims[0].indicator != "gdp_growth"


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("indicators:\n  - {id: GDP, zh: a, en: b, dimension: percent, unit: '%', phrases: [x], examples: [], negative: []}",
     "snake_case"),
    ("indicators:\n  - {id: a_b, zh: a, en: b, dimension: speedy, unit: '%', phrases: [x], "
     "examples: [{metric: x, dimension: percent, kind: level}], negative: []}", "unknown dimension"),
    ("indicators:\n  - {id: a_b, zh: a, en: b, dimension: percent, unit: '%', phrases: [x], colour: red, "
     "examples: [], negative: []}", "unknown keys"),
    ("indicators:\n  - {id: a_b, zh: a, en: b, dimension: percent, unit: '%', phrases: [x], "
     "examples: [{metric: x, dimension: percent, kind: level}], negative: []}\n"
     "  - {id: a_b, zh: a, en: b, dimension: percent, unit: '%', phrases: [y], "
     "examples: [{metric: y, dimension: percent, kind: level}], negative: []}", "duplicate id"),
    ("indicators:\n  - {id: a_b, zh: a, en: b, dimension: percent, unit: '%', phrases: [x], kinds: [growth], "
     "examples: [{metric: x, dimension: percent, kind: level}], negative: []}", "unknown kind"),
])
def test_a_malformed_file_is_refused(tmp_path, yaml_text, message):
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_indicators(path)
