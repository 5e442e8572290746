"""Written number forms the numeral grammar does not read (rules/number_forms.yaml): scientific
notation (2e5), powers (2^5), slash fractions and mixed numbers (3/5, 1 3/5), letter multipliers
(40k, 2.5M, 3w), points scored (得到了8分), medals won (７金１６银), shots (11投7中), the places a list names (香港和北京两地),
shares (每４个…中就有３个, 过半), ages (年近７０), intervals (四年一届) and words that count (半百, 一打). The quantities stage reads them first, in folded
text, and gives each the unit that follows it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from pipeline.rulefiles import read_rules

RULES = Path(__file__).resolve().parent.parent / "rules" / "number_forms.yaml"
FORMS = ("urls", "quotes", "lost_paragraph_marks", "scientific", "power", "fraction", "suffix", "clock_times", "points", "medals", "shots",
         "place_tally", "big_count", "magnitude", "index_points", "seeds", "proportion", "ages", "interval", "half_words",
         "bare_magnitude", "percent_words", "words")
SKIPPED = ("urls", "quotes", "lost_paragraph_marks")  # spans the numeral grammar skips: nothing in them is a quantity
WORD_FORMS = ("percent_words", "words")
_KEYS = {"does", "hints", "pattern", "examples", "negative", "multipliers", "values", "only_after", "not_before",
         "bounds"}
_REQUIRED = {"does", "hints", "examples", "negative"}
_NUMERAL_BEFORE = "一二三四五六七八九十两半"  # a word form is no number inside a longer numeral (十一打)


@dataclass(frozen=True)
class FormMatch:
    start: int
    end: int
    value: float
    form: str  # which family of rules/number_forms.yaml
    bound: str = "exact"  # as the word the form's `bounds` name says (年近７０: upper, 万元以上: lower)


@dataclass(frozen=True)
class NumberForms:
    patterns: dict[str, regex.Pattern]
    hints: dict[str, tuple[str, ...]]  # form -> substrings one of which each of its matches holds
    multipliers: dict[str, float]
    words: dict[str, dict[str, float]]  # form -> word -> value
    examples: dict[str, tuple[str, ...]]
    negative: dict[str, tuple[str, ...]]
    bounds: dict[str, dict[str, str]]  # form -> the word of its `edge` group -> the bound it gives

    def find(self, text: str) -> list[FormMatch]:
        """Every form in folded text, in order, none overlapping (the earlier, then longer, wins).
        Each form is looked for only around its hints (分, 大, 点 are common: a pattern tried at every
        character of a long text costs more than the rest of the scan); a web address or a stock
        quote, which may run long, anywhere in a text holding a hint of it."""
        found = [FormMatch(m.start(), m.end(), value, form, self._bound(form, m))
                 for form, pattern in self.patterns.items()
                 for start, end in (_windows(text, self.hints[form], form not in HINT_AFTER_ANYTHING) if form not in SKIPPED
                                    else [(0, len(text))] if any(hint in text for hint in self.hints[form]) else [])
                 for m in pattern.finditer(text, start, end) if (value := self._value(form, m)) is not None]
        kept, end = [], -1
        for match in sorted(found, key=lambda f: (f.start, -f.end)):
            if match.start >= end:
                kept.append(match)
                end = match.end
        return kept

    def _bound(self, form: str, m: regex.Match) -> str:
        words = self.bounds.get(form)
        return words.get(m["edge"], "exact") if words else "exact"

    def _value(self, form: str, m: regex.Match) -> float | None:
        sign = -1.0 if m.groupdict().get("sign") == "-" else 1.0
        try:
            if form == "scientific":
                return sign * float(m["mantissa"]) * 10.0 ** int(m["exponent"].replace("+", ""))
            if form == "power":
                return sign * float(m["base"]) ** int(m["exponent"].replace("--", "").replace("+", ""))
            if form == "fraction":
                denominator = int(m["denominator"])
                if denominator == 0:
                    return None
                return sign * (int(m["whole"] or 0) + int(m["numerator"]) / denominator)
            if form == "suffix":
                return sign * float(m["number"]) * self.multipliers[m["suffix"]]
            if form == "clock_times":  # 1分1秒76: seconds, the digits after 秒 its hundredths
                fraction = m["fraction"] or ""
                return (int(m["hours"] or 0) * 3600 + int(m["minutes"] or 0) * 60 + int(m["seconds"] or 0)
                        + (int(fraction) / 10 ** len(fraction) if fraction else 0.0))
            if form in ("points", "medals", "shots"):
                return float(m["number"])
            if form in ("magnitude", "index_points"):  # ６·２级, ３３０·６６点: the middle dot is a decimal point
                return float(regex.sub(r"[.．·]", ".", m["number"]))
            if form in ("place_tally", "big_count"):  # 两地, 十九大: a small Chinese numeral or digits
                number, values = m["number"], self.words[form]
                if number[0] == "十" and len(number) == 2:
                    return values["十"] + values[number[1]]
                return values.get(number) or float(number)
            if form == "seeds":
                return 1.0 if m["head"] else float(m["number"])
            if form == "proportion":  # 每４个…中就有３个: 75 %
                values = self.words[form]
                whole, part = (values.get(x) or float(x) for x in (m["whole"], m["part"]))
                return 100.0 * part / whole if whole and part <= whole else None
            if form in ("ages", "interval"):
                return self.words.get(form, {}).get(m["number"]) or float(m["number"])
            if form == "half_words":
                return 50.0
            if form == "bare_magnitude":  # 万元以上: 10000 元
                return self.words[form][m["magnitude"]]
            if form in SKIPPED:
                return 0.0
            return self.words[form][m[0]]
        except OverflowError:
            return None


HINT_REACH_BEFORE = 32  # how far before a hint the written form holding it may start (2.5e+14, 4分28秒43)
HINT_REACH_AFTER = 16  # and how far after it it may end


# Forms whose hint need not follow a numeral (半百, 对折, 头号种子); in the others it does (7金, 两地, 2e5)
HINT_AFTER_ANYTHING = frozenset(WORD_FORMS) | {"seeds", "proportion", "ages", "half_words", "bare_magnitude"}
_NUMERAL_CHARS = frozenset("0123456789〇零一二三四五六七八九十两")


def _windows(text: str, hints: tuple[str, ...], after_numeral: bool) -> list[tuple[int, int]]:
    """The stretches of text around the hints' occurrences (only those right after a numeral, when
    the form's hint follows its number: 分, 大, 地 are common), merged where they overlap."""
    spans = []
    for hint in hints:
        at = text.find(hint)
        while at >= 0:
            before = text[at - 2:at].rstrip(" ") if at > 1 else text[:at]  # -2.5 M: a space may stand between
            if not after_numeral or (before and before[-1] in _NUMERAL_CHARS):
                spans.append((max(0, at - HINT_REACH_BEFORE), at + len(hint) + HINT_REACH_AFTER))
            at = text.find(hint, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def load_number_forms(path: Path | str | None = None) -> NumberForms:
    """Read and validate rules/number_forms.yaml: every family present, no unknown keys."""
    path = Path(path) if path is not None else RULES
    data = read_rules(path)
    if set(data) != {"forms"} or set(data["forms"]) != set(FORMS):
        raise ValueError(f"{path}: needs `forms` with exactly the families {FORMS}")
    patterns, hints, examples, negative, words = {}, {}, {}, {}, {}
    for form in FORMS:
        entry = data["forms"][form]
        unknown, missing = set(entry) - _KEYS, _REQUIRED - set(entry)
        if unknown or missing:
            raise ValueError(f"{path}: {form}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")
        examples[form], negative[form] = tuple(entry["examples"]), tuple(entry["negative"])
        hints[form] = tuple(str(h) for h in entry["hints"])
        if "values" in entry:
            words[form] = {str(k): float(v) for k, v in entry["values"].items()}
        if form in WORD_FORMS:
            only_after = entry.get("only_after") or {}
            alternation = "|".join((f"(?<={regex.escape(only_after[w])})" if w in only_after else "") + regex.escape(w)
                                   for w in sorted(words[form], key=len, reverse=True))
            after = f"(?![{regex.escape(entry['not_before'])}])" if entry.get("not_before") else ""
            patterns[form] = regex.compile(rf"(?<![{_NUMERAL_BEFORE}])(?:{alternation}){after}")
        else:
            patterns[form] = regex.compile(entry["pattern"])
    multipliers = {str(k): float(v) for k, v in data["forms"]["suffix"]["multipliers"].items()}
    bounds = {form: {str(k): str(v) for k, v in data["forms"][form]["bounds"].items()}
              for form in FORMS if "bounds" in data["forms"][form]}
    for form, given in bounds.items():
        if set(given.values()) - {"upper", "lower", "approx", "exact"}:
            raise ValueError(f"{path}: {form}: bounds must be upper, lower, approx or exact")
    return NumberForms(patterns, hints, multipliers, words, examples, negative, bounds)


@cache
def number_forms() -> NumberForms:
    return load_number_forms()
