"""Property tests: Chinese numerals round-trip (cn2an is the test-only oracle); the scanner never
raises and its bounds are ordered."""

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quantities import parse_numeral, scan_quantities

FAST = settings(max_examples=300, deadline=None)


@FAST
@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_integers_round_trip(n):
    low, high, _ = parse_numeral(cn2an.an2cn(n))
    assert low == high == n


@FAST
@given(st.integers(min_value=1, max_value=10**9))
def test_financial_integers_round_trip(n):
    low, _, _ = parse_numeral(cn2an.an2cn(n, "up"))
    assert low == n


@FAST
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_chinese_decimals_round_trip(whole, hundredths):
    x = whole + hundredths / 100
    low, _, _ = parse_numeral(cn2an.an2cn(f"{x:.2f}".rstrip("0")))
    assert low == pytest.approx(x)


@FAST
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1000, max_value=9999))
def test_mixed_wan_round_trips(a, b):
    assert parse_numeral(f"{a}万{b}")[0] == a * 10000 + b
    assert parse_numeral(f"{a:,}万")[0] == a * 10000


@FAST
@given(st.decimals(min_value=0, max_value=10000, places=2, allow_nan=False), st.sampled_from(["万", "亿", "万亿"]))
def test_decimal_with_multiplier(x, mult):
    scale = {"万": 10**4, "亿": 10**8, "万亿": 10**12}[mult]
    found = scan_quantities(f"投资{x}{mult}元")
    assert len(found) == 1
    assert found[0].value == pytest.approx(float(x) * scale)


@FAST
@given(st.integers(min_value=1, max_value=10**8))
def test_chinese_amount_in_text(n):
    found = scan_quantities(f"全年实现收入{cn2an.an2cn(n)}元。")
    assert [(q.value, q.unit) for q in found] == [(n, "CNY")]


ALPHABET = st.sampled_from(list("0123456789０１２.,，%％一二三四五六七八九十百千万亿两零〇几余多来约超近第前翻番倍成折"
                                "个家人元吨米年月日号分之点半负下以上左右至到—-~ 　\nabcKGMmkg万元亿元平方公里"))


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=40) | st.text(max_size=40))
def test_never_raises_and_bounds_are_ordered(text):
    for q in scan_quantities(text):
        assert text[q.start:q.end] == q.text
        assert q.start <= q.num_start <= q.num_end <= q.end
        assert q.bound in ("exact", "lower", "upper", "approx", "range")
        if q.lower is not None and q.value is not None:
            assert q.lower <= q.value
        if q.upper is not None and q.value is not None:
            assert q.value <= q.upper
