"""Every number in a text, valued: what Recognizers-Text's NumberModel and cn2an give, for users
who want the numerals themselves rather than claims.

A numeral is a number when it belongs to a quantity (the quantity scanner decides 3万吨, 五成, 一打),
or when the segmenter makes it a word of its own (答案是四不是五) or a numeral followed by a unit or
measure word (一只, 九年, 一对); a numeral inside another word (四川, 一些, 统一) is not, nor are
the words of `not_numbers` in rules/numerals.yaml (万一: "in case"). A quantity's number is valued
as written, except a count whose measure word scales it (一打 = 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from pipeline.quantities import _NotANumber, _fold, _scanner, load_numerals, parse_numeral, scan_quantities
from pipeline.segment import DEFAULT_SEGMENTER, tagger


@dataclass(frozen=True)
class Number:
    """One number: `text[start:end]` and its value."""

    start: int
    end: int
    text: str
    value: float


@cache
def _word_numeral() -> regex.Pattern:
    """A word that is a numeral, maybe followed by a unit or measure word (the rest of the word)."""
    sc = _scanner()
    chars = "".join(sorted(set(sc.num.digits) | set(sc.num.multipliers) | set("0123456789点几")))
    units = sorted(sc.units.surfaces, key=len, reverse=True)
    return regex.compile(f"(?P<n>[{regex.escape(chars)}]+)(?:{'|'.join(map(regex.escape, units))})?")


@cache
def _not_numbers(words: tuple[str, ...]) -> regex.Pattern:
    return regex.compile("|".join(map(regex.escape, sorted(words, key=len, reverse=True))) or "(?!)")


def _quantity_numbers(text: str) -> list[Number]:
    out = []
    for q in scan_quantities(text):
        if q.number is None:
            continue
        value = q.value if q.dimension == "count" and q.bound != "range" and q.value is not None else q.number
        if q.rule == "percent_word":
            value = q.number
        start, end = q.num_start, q.num_end
        if q.dimension == "count" and q.value != q.number:
            end = q.end  # 一打 = 12: the measure word is part of the number
        if q.rule == "rank":
            start += 1  # 第三, 前三: the number is the numeral alone
        out.append(Number(start, end, text[start:end], value))
    return out


def find_numbers(text: str, segmenter: str = DEFAULT_SEGMENTER) -> list[Number]:
    """Every number in `text`, in order of start."""
    found = _quantity_numbers(text)
    folded = _fold(text, _scanner())
    rules = load_numerals()
    covered = [(n.start, n.end) for n in found] + [
        m.span() for m in _not_numbers(tuple(sorted(rules.numbers.not_numbers))).finditer(folded)]
    word = _word_numeral()
    position = 0
    words = tagger(segmenter)(folded)
    for i, (token, _pos) in enumerate(words):
        start, position = position, position + len(token)
        m = word.fullmatch(token)
        if m is None or any(s < position and start < e for s, e in covered):
            continue
        numeral = m["n"].rstrip("点")  # 一点 三点: a point with no digit after it is no decimal point
        if not numeral:
            continue
        if len(numeral) == 1:
            if numeral in rules.financial:
                continue  # 拾 伍 alone are word parts (拾起, 队伍)
            if rules.multipliers.get(numeral, 0) > 10:
                continue  # 万 千 alone: a surname or a word part (千家万户), not a number
            if token == "一" and i + 1 < len(words) and words[i + 1][1] == "v":
                continue  # 一看就笑: "as soon as", not one
        try:
            low, high, form = parse_numeral(numeral)
        except (_NotANumber, ValueError, OverflowError):
            continue
        if form == "range":
            continue  # 几 and 两三: no single value
        end = start + len(numeral)
        found.append(Number(start, end, text[start:end], low))
    return sorted(found, key=lambda n: (n.start, n.end))
