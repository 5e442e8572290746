"""Time expressions: every form of issue 4 with its value, the seed article, and the undated case."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.repair import prepare_text
from pipeline.times import TimeMatch, find_times, parse_anchor, scan_times

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_42766f52b4656d20.txt"
NEWS = "2021-08-23"


def values(text: str, anchor: str | None = NEWS) -> dict[str, tuple[str, str | None]]:
    return {m.text: (m.type, m.value) for m in scan_times(text, anchor)}


ISSUE_FORMS = [
    # full and partial dates
    ("2021年8月23日", NEWS, "date", "2021-08-23"),
    ("8月23日", NEWS, "date", "2021-08-23"),
    ("2021.8.23", NEWS, "date", "2021-08-23"),
    ("２０２１年", NEWS, "year", "2021"),
    ("一九七八年", NEWS, "year", "1978"),
    ("二〇二一年八月", NEWS, "month", "2021-08"),
    # ranges
    ("8月23日至25日", NEWS, "range", "2021-08-23/2021-08-25"),
    ("2018—2020年", NEWS, "range", "2018/2020"),
    ("1至7月", NEWS, "range", "2021-01/2021-07"),
    ("1-7月", NEWS, "range", "2021-01/2021-07"),
    # relative
    ("今年", NEWS, "year", "2021"),
    ("去年", NEWS, "year", "2020"),
    ("前年", NEWS, "year", "2019"),
    ("明年", NEWS, "year", "2022"),
    ("上半年", NEWS, "half", "2021-H1"),
    ("下半年", NEWS, "half", "2021-H2"),
    ("一季度", NEWS, "quarter", "2021-Q1"),
    ("前三季度", NEWS, "range", "2021-Q1/2021-Q3"),
    ("本月", NEWS, "month", "2021-08"),
    ("上月", NEWS, "month", "2021-07"),
    ("年末", NEWS, "date", "2021-12-31"),
    ("年初", NEWS, "month", "2021-01"),
    # as-of
    ("目前", NEWS, "relative", "2021-08-23"),
    ("截至目前", NEWS, "relative", "2021-08-23"),
    ("截至6月底", NEWS, "date", "2021-06-30"),
    # spans ending at the document date
    ("三年来", NEWS, "period", "2018/2021"),
    ("近三年", NEWS, "period", "2018/2021"),
    ("过去一年", NEWS, "period", "2020/2021"),
    ("过去一年", "2021", "year", "2020"),
    ("过去五年", "2021", "period", "2016/2020"),
    ("近年来", NEWS, "vague", None),
    # planning periods, 近日, event years
    ("“十三五”时期", NEWS, "period", "2016/2020"),
    ("“十四五”期间", NEWS, "period", "2021/2025"),
    ("近日", NEWS, "vague", None),
]


@pytest.mark.parametrize("text,anchor,kind,value", ISSUE_FORMS)
def test_issue_form(text, anchor, kind, value):
    assert values(text, anchor)[text] == (kind, value)


def test_government_report_anchor_is_a_year():
    found = values("去年国内生产总值增长2.3%。今年发展主要预期目标是：国内生产总值增长6%以上。", "2021")
    assert found["去年"] == ("year", "2020")
    assert found["今年"] == ("year", "2021")


def test_event_year_is_a_year_not_a_quantity():
    found = scan_times("2021中国国际智能产业博览会在重庆举办", NEWS)
    assert [(m.text, m.type, m.value) for m in found] == [("2021", "year", "2021")]


@pytest.mark.parametrize("text", ["今年是上合组织成立20周年", "会期3天，线下展示"])
def test_durations_are_left_to_quantities(text):
    assert all(m.text in ("今年",) for m in scan_times(text, NEWS))


def test_governing_year_carries_within_a_sentence_only():
    found = scan_times("2020年，全国一季度增长5%，上半年增长8%。上半年继续增长。", NEWS)
    assert [(m.text, m.value) for m in found] == [
        ("2020年", "2020"), ("一季度", "2020-Q1"), ("上半年", "2020-H1"), ("上半年", "2021-H1")]


@pytest.mark.parametrize("text,anchor,value", [
    ("１２月２８日，县里召开大会。", "1998-01-14", "1997-12-28"),  # the December just past
    ("１０月举行。", "1998-01-14", "1997-10"),
    ("12月举行。", "2012-05-08", "2012-12"),  # seven months ahead: still this year
    ("8月23日开幕。", "2021-08-20", "2021-08-23"),
    ("1998年12月28日召开。", "1998-01-14", "1998-12-28"),  # a written year is kept
])
def test_month_without_a_year_is_the_nearest_one_not_far_ahead(text, anchor, value):
    assert [m.value for m in scan_times(text, anchor)] == [value]


def test_a_day_without_its_year_takes_the_year_its_paragraph_wrote():
    """A narrative of 1942 goes on with days of 1942; a new paragraph, a 去年 or a half-year does not carry it."""
    raw = "１９４２年１０月，日军发动了作战。１１月１１日，区党委作出了决定。去年５月开工。\n\n１１月１１日，他来了。"
    found = [(t.text, t.value) for t in find_times(prepare_text(raw, "narrative", anchor="1998-01-07"))]
    assert found == [("１９４２年１０月", "1942-10"), ("１１月１１日", "1942-11-11"), ("去年５月", "1997-05"),
                     ("１１月１１日", "1997-11-11")]


def test_a_year_spaced_out_by_the_layout_is_read():
    """1 9 9 7 年 (digits spaced out in the 1998 report's text) is 1997, as 7 4 7 7 2 亿元 is an amount."""
    assert [(m.text, m.value) for m in scan_times("1 9 9 7 年国内生产总值达到7 4 7 7 2 亿元", "1998-03-05")] == [
        ("1 9 9 7 年", "1997")]


def test_month_range_crosses_the_year_end():
    assert values("8月至2月", "2018-09-18")["8月至2月"] == ("range", "2018-08/2019-02")


def test_undated_document_leaves_relative_times_unresolved():
    found = scan_times("今年上半年增长25%，去年9月启动，截至目前已有11家，三年来成效明显。2018年首届举办。", None)
    by_text = {m.text: m for m in found}
    for text in ("今年上半年", "去年9月", "截至目前"):
        assert by_text[text].value is None and by_text[text].resolved is False and by_text[text].anchor is None
    assert (by_text["三年来"].type, by_text["三年来"].value, by_text["三年来"].resolved) == ("duration", "P3Y", False)
    assert (by_text["2018年"].value, by_text["2018年"].resolved) == ("2018", True)


def test_offsets_are_local_and_exact():
    text = "据报道，２０２１年８月２３日，今年上半年数据发布。"
    for m in scan_times(text, NEWS):
        assert isinstance(m, TimeMatch) and text[m.start:m.end] == m.text
    assert values(text)["２０２１年８月２３日"] == ("date", "2021-08-23")


def test_bad_anchor_is_rejected():
    with pytest.raises(ValueError):
        parse_anchor("23/08/2021")


@pytest.fixture(scope="module")
def seed_times():
    raw = SEED.read_text(encoding="utf-8")
    return raw, find_times(prepare_text(raw, "seed", anchor=NEWS))


def test_seed_values(seed_times):
    _raw, rows = seed_times
    by_text: dict[str, set] = {}
    for row in rows:
        by_text.setdefault(row.text, set()).add(row.value)
    assert by_text["8月23日至25日"] == {"2021-08-23/2021-08-25"}
    assert by_text["今年上半年"] == {"2021-H1"}
    assert sum(row.text == "今年上半年" for row in rows) == 4
    assert by_text["去年9月"] == {"2020-09"}
    assert by_text["7月19日"] == {"2021-07-19"}
    assert by_text["2018年"] == {"2018"}
    assert by_text["截至目前"] == {"2021-08-23"}
    assert by_text["2021"] == {"2021"}


def test_seed_rows_are_raw_spans_numbered_in_order(seed_times):
    raw, rows = seed_times
    assert [r.time_id for r in rows] == list(range(1, len(rows) + 1))
    assert [r.start for r in rows] == sorted(r.start for r in rows)
    for row in rows:
        assert raw[row.start:row.end] == row.text
        assert row.anchor == NEWS and row.doc_id == "seed"


def test_spacy_component():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("zh")
    nlp.add_pipe("zhfacts_times", config={"anchor": NEWS})
    doc = nlp("8月23日至25日在重庆举办。今年上半年增长25%。")
    assert [(s.text, s._.time_value) for s in doc.spans["times"]] == [
        ("8月23日至25日", "2021-08-23/2021-08-25"), ("今年上半年", "2021-H1")]
    doc = nlp.make_doc("去年9月启动建设")
    doc.user_data["anchor"] = "2021"
    doc = nlp.get_pipe("zhfacts_times")(doc)
    assert [(s.text, s.label_, s._.time_value) for s in doc.spans["times"]] == [("去年9月", "month", "2020-09")]
