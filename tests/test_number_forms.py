"""rules/number_forms.yaml: every form's examples come out with their value (a web address: with
no quantity inside), its negatives not at all, and a malformed file is refused."""

import math

import pytest

from pipeline.number_forms import FORMS, SKIPPED, load_number_forms, number_forms
from pipeline.quantities import scan_quantities

FORM_CASES = [(form, case) for form in FORMS for case in number_forms().examples[form]]
NEGATIVE_CASES = [(form, text) for form in FORMS for text in number_forms().negative[form]]


@pytest.mark.parametrize(("form", "case"), FORM_CASES, ids=[f"{f}:{c}" for f, c in FORM_CASES])
def test_form_examples(form, case):
    text, value = case.rsplit("|", 1)
    found = number_forms().find(_fold(text))
    # a list (段江鹏22分、杨敬敏19分) holds several of its form: the example's value is the first's
    assert found and {f.form for f in found} == {form}, (text, found)
    assert math.isclose(found[0].value, float(value), rel_tol=1e-9)
    quantities = scan_quantities(text)
    if form in SKIPPED:  # nothing inside a web address or a stock quote is a quantity
        assert quantities == []
        return
    at_form = [q for q in quantities if q.num_start == found[0].start]  # 11分6篮板: the 6 is a count of its own
    assert len(at_form) == 1, quantities
    # 3/5 is read as a percentage (60), like 五分之三; every other form keeps its value as a number
    assert math.isclose(at_form[0].number, float(value), rel_tol=1e-9)


@pytest.mark.parametrize(("form", "text"), NEGATIVE_CASES, ids=[f"{f}:{t}" for f, t in NEGATIVE_CASES])
def test_form_negatives(form, text):
    assert not [f for f in number_forms().find(_fold(text)) if f.form == form]


def _fold(text: str) -> str:
    from pipeline.quantities import _fold as fold, _scanner

    return fold(text, _scanner())


def test_a_malformed_file_is_refused(tmp_path):
    path = tmp_path / "forms.yaml"
    path.write_text("forms:\n  scientific: {does: x, pattern: 'a', examples: [], negative: []}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="exactly the families"):
        load_number_forms(path)


def test_medal_tally_counts_each_metal():
    """共获７金１６银７铜: after the verb of winning, each metal of the tally is a count of its own."""
    found = [(q.text, q.number, q.classifier) for q in scan_quantities("澳大利亚队共获７金１６银７铜。")]
    assert found == [("７金", 7, "金"), ("１６银", 16, "银"), ("７铜", 7, "铜")]
