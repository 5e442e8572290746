"""Quantities: every number in the text, with its unit, bound and a value in a canonical unit.

One precompiled alternation finds the candidates over the whole text (compiled by the standard
library's `re`, which matches it over twice as fast as `regex`); a second one (the non-quantity
rules, `regex`) blocks dates, codes, names, list numbers and set phrases; a short Python step
per candidate parses the numeral and applies the unit ontology. The vocabulary is data:
rules/units.yaml (units), rules/numerals.yaml (numerals, bound words, rank context) and
rules/non_quantities.yaml (what is not a quantity). The text is first folded one character for one
character (full-width digits and letters, traditional forms), so offsets never move.

Some readings look past the numeral itself: a year is a duration after a duration word (再延长30年,
the `year` rule's exceptions); 上 bounds only a bare multiplier (上亿); a bound word may reach across
a share's base (约占全年投资总额的三分之二); a numeral counts a collective noun without a measure word
(常熟６城市); and a measure word that begins a noun is not one (近千万家庭). Between neighbours: a
lower bound right before an upper one is one range (２万元以上１０万元以下); a bound word before a list
bounds each member (超过２万、５万甚至１０万); a bare amount in a clause about money is in 元 (拟拨款３亿).
"""

from __future__ import annotations

import csv

import math
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

import regex

from pipeline.number_forms import SKIPPED, FormMatch, number_forms
from pipeline.rulefiles import read_rules
from pipeline.prepared import CLAUSE_BREAK, PreparedDoc
from pipeline.records import Quantity, UnitUse
from pipeline.script import to_simplified

RULES = Path(__file__).resolve().parent.parent / "rules"

BOUNDS = ("exact", "lower", "upper", "approx", "range")


def _check_keys(where: str, data: dict, allowed: set[str], required: set[str] = frozenset()) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    missing = set(required) - set(data)
    if missing:
        raise ValueError(f"{where}: missing key(s) {sorted(missing)}")


@dataclass(frozen=True)
class UnitDef:
    """One written unit form and how it converts to its canonical unit."""

    surface: str
    unit: str
    dimension: str
    factor: float
    offset: float = 0.0
    valuation: str | None = None  # "discount" for 折
    half: bool = False  # a trailing 半 adds half a unit
    tenths: bool = False  # digits right after it are its decimals (七成六, 一米七)
    spaced: bool = False  # the layout may space its characters out (六 个 百 分点)
    article: bool = False  # after a lone 一 it is an article, not a count
    before: bool = False  # written before the numeral
    large: str | None = None  # unit it means when the numeral carries 万/亿
    not_before: tuple[str, ...] = ()  # rests of nouns it begins, where it is no unit (家庭 人口)


@dataclass(frozen=True)
class Rate:
    """What a unit over a unit is (rules/units.yaml `rates`)."""

    dimension: str
    unit: str  # `{currency}` stands for the numerator's currency code
    scale: float  # the denominator's canonical unit times this (人/平方公里: per km2)


@dataclass(frozen=True)
class UnitTable:
    dimensions: tuple[str, ...]
    surfaces: dict[str, UnitDef]
    examples: tuple[dict, ...]
    negative: tuple[str, ...]
    rates: dict[tuple[str, str], Rate]  # (numerator dimension, denominator dimension) -> the rate
    rate_qualifiers: tuple[str, ...]
    minor: dict[str, dict[str, float]]  # unit -> its small units that count only after a larger one
    change_gaps: tuple[str, ...]  # words that, between 每 and a unit and a price, make it a change (每吨下降了３５元)
    hourly: tuple[str, ...]  # words before a length in their clause that make it a speed (时速将超过２００公里)


_UNIT_KEYS = {"unit", "dimension", "surfaces", "offset", "valuation", "half", "article", "before", "large", "spaced",
              "not_before", "minor", "tenths"}


def load_units(path: Path | str | None = None) -> UnitTable:
    """Read and validate the unit ontology; any inconsistency is a ValueError naming it."""
    path = Path(path) if path is not None else RULES / "units.yaml"
    data = read_rules(path)
    _check_keys(str(path), data, {"dimensions", "rates", "units", "examples", "negative"}, {"dimensions", "units"})
    dimensions = tuple(data["dimensions"])
    if len(set(dimensions)) != len(dimensions):
        raise ValueError(f"{path}: duplicate dimension in {list(dimensions)}")
    canonical = {entry.get("unit") for entry in data["units"]}
    surfaces: dict[str, UnitDef] = {}
    seen_units: set[str] = set()
    minor: dict[str, dict[str, float]] = {}
    for entry in data["units"]:
        where = f"{path}: unit {entry.get('unit')!r}"
        _check_keys(where, entry, _UNIT_KEYS, {"unit", "dimension", "surfaces"})
        if entry["unit"] in seen_units:
            raise ValueError(f"{where}: duplicate unit")
        seen_units.add(entry["unit"])
        if entry["dimension"] not in dimensions:
            raise ValueError(f"{where}: dangling dimension {entry['dimension']!r}")
        forms = entry["surfaces"]
        for key in ("valuation", "large", "not_before"):
            for surface in entry.get(key, {}):
                if surface not in forms:
                    raise ValueError(f"{where}: {key} names dangling surface {surface!r}")
        for key in ("half", "tenths", "article", "before", "spaced"):
            for surface in entry.get(key, []):
                if surface not in forms:
                    raise ValueError(f"{where}: {key} names dangling surface {surface!r}")
        for surface, target in entry.get("large", {}).items():
            if target not in canonical:
                raise ValueError(f"{where}: large maps {surface!r} to dangling unit {target!r}")
        if "minor" in entry:
            minor[entry["unit"]] = {str(s): float(f) for s, f in entry["minor"].items()}
            if not all(0 < f < 1 for f in minor[entry["unit"]].values()):
                raise ValueError(f"{where}: a minor unit's factor must be below 1")
        for surface, factor in forms.items():
            if surface in surfaces:
                raise ValueError(f"{where}: duplicate surface {surface!r} (also {surfaces[surface].unit})")
            if not isinstance(factor, (int, float)) or factor <= 0:
                raise ValueError(f"{where}: factor of {surface!r} must be a positive number")
            surfaces[surface] = UnitDef(
                surface=surface,
                unit=entry["unit"],
                dimension=entry["dimension"],
                factor=float(factor),
                offset=float(entry.get("offset", 0.0)),
                valuation=entry.get("valuation", {}).get(surface),
                half=surface in entry.get("half", []),
                tenths=surface in entry.get("tenths", []),
                spaced=surface in entry.get("spaced", []),
                article=surface in entry.get("article", []),
                before=surface in entry.get("before", []),
                large=entry.get("large", {}).get(surface),
                not_before=tuple(entry.get("not_before", {}).get(surface, [])),
            )
    for example in data.get("examples", []):
        _check_keys(f"{path}: example {example}", example, {"text", "value", "unit", "dimension"},
                    {"text", "value", "unit", "dimension"})
    rates_data = data.get("rates", {"pairs": [], "qualifiers": []})
    _check_keys(f"{path}: rates", rates_data, {"pairs", "qualifiers", "change_gaps", "hourly"}, {"pairs"})
    rates: dict[tuple[str, str], Rate] = {}
    for pair in rates_data["pairs"]:
        where = f"{path}: rate {pair}"
        _check_keys(where, pair, {"numerator", "denominator", "dimension", "unit", "scale"},
                    {"numerator", "denominator", "dimension", "unit"})
        for key in ("numerator", "denominator", "dimension"):
            if pair[key] not in dimensions:
                raise ValueError(f"{where}: dangling dimension {pair[key]!r}")
        if (pair["numerator"], pair["denominator"]) in rates:
            raise ValueError(f"{where}: duplicate rate")
        rates[(pair["numerator"], pair["denominator"])] = Rate(pair["dimension"], pair["unit"],
                                                                float(pair.get("scale", 1)))
    return UnitTable(dimensions, surfaces, tuple(data.get("examples", [])), tuple(data.get("negative", [])),
                     rates, tuple(rates_data.get("qualifiers") or ()), minor,
                     tuple(rates_data.get("change_gaps") or ()), tuple(rates_data.get("hourly") or ()))


@dataclass(frozen=True)
class NumeralRules:
    fold: dict[int, str]
    digits: dict[str, int]
    multipliers: dict[str, int]
    prefix: dict[str, str]
    infix: dict[str, str]
    suffix: dict[str, str]
    not_after: dict[str, str]
    separators: tuple[str, ...]
    signs: dict[str, int]
    rank: dict[str, tuple[str, ...]]
    financial: frozenset[str]
    only_before: dict[str, str]
    share: dict[str, str]
    collective: tuple[str, ...]
    gap: tuple[str, ...]
    list_joiners: frozenset[str]
    shared_unit_joiners: frozenset[str]
    between_joiners: frozenset[str]
    between_closers: tuple[str, ...]
    comparison: tuple[str, ...]
    comparison_not_between: tuple[str, ...]
    money: MoneyCues
    numbers: NumberWords
    decimal_dots: str  # 75·67%: a middle dot between digits is a decimal point, unless it writes a date (3·15)


@dataclass(frozen=True)
class NumberWords:
    """Numeral-only words that are no number (万一), for `find_numbers`; see `numbers` in
    rules/numerals.yaml."""

    not_numbers: frozenset[str]
    examples: tuple[dict, ...]
    negative: tuple[str, ...]


@dataclass(frozen=True)
class MoneyCues:
    """Words that make a bare amount (no unit) an amount of 元; see `money` in rules/numerals.yaml."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    not_before: dict[str, tuple[str, ...]]
    then: tuple[str, ...]
    examples: tuple[dict, ...]
    negative: tuple[str, ...]
    measure_words: tuple[str, ...]  # measure words that are the colloquial 元 there (花费我三块)


def load_numerals(path: Path | str | None = None) -> NumeralRules:
    """Read and validate rules/numerals.yaml."""
    path = Path(path) if path is not None else RULES / "numerals.yaml"
    data = read_rules(path)
    keys = {"fold", "digits", "financial", "multipliers", "bounds", "range_separators", "signs", "rank",
            "collective_nouns", "money", "numbers", "decimal_dots"}
    _check_keys(str(path), data, keys, keys)
    numbers = data["numbers"]
    _check_keys(f"{path}: numbers", numbers, {"not_numbers", "examples", "negative"}, {"not_numbers", "examples"})
    for example in numbers["examples"]:
        _check_keys(f"{path}: numbers example {example}", example, {"text", "numbers"}, {"text", "numbers"})
    for src, dst in data["fold"].items():
        if len(src) != 1 or len(dst) != 1:
            raise ValueError(f"{path}: fold {src!r}->{dst!r} must map one character to one")
    bounds = data["bounds"]
    _check_keys(f"{path}: bounds", bounds, {"prefix", "infix", "suffix", "not_after", "only_before", "share", "gap",
                                            "list_joiners", "shared_unit_joiners", "between_joiners", "between_closers",
                                            "comparison"},
                {"prefix", "infix", "suffix"})
    comparison = bounds.get("comparison", {"words": [], "not_between": []})
    _check_keys(f"{path}: bounds.comparison", comparison, {"words", "not_between"}, {"words", "not_between"})
    for word in comparison["words"]:
        if word not in bounds["prefix"]:
            raise ValueError(f"{path}: comparison names dangling prefix word {word!r}")
    money = data["money"]
    _check_keys(f"{path}: money", money, {"before", "after", "not_before", "then", "examples", "negative",
                                          "measure_words"},
                {"before", "after", "then", "examples"})
    for key in ("before", "after"):
        if len(set(money[key])) != len(money[key]):
            raise ValueError(f"{path}: duplicate money {key} word "
                             f"{[w for w, n in Counter(money[key]).items() if n > 1]}")
    for word in money.get("not_before", {}):
        if word not in money["before"]:
            raise ValueError(f"{path}: money not_before names dangling word {word!r}")
    for example in money["examples"]:
        _check_keys(f"{path}: money example {example}", example, {"text", "value"}, {"text", "value"})
    for group in ("prefix", "infix", "suffix", "share"):
        for word, bound in bounds.get(group, {}).items():
            if bound not in BOUNDS:
                raise ValueError(f"{path}: bound word {word!r} has unknown bound {bound!r}")
    for key in ("not_after", "only_before"):
        for word in bounds.get(key, {}):
            if word not in bounds["prefix"]:
                raise ValueError(f"{path}: {key} names dangling prefix word {word!r}")
    collective = data["collective_nouns"]
    if len(set(collective)) != len(collective):
        raise ValueError(f"{path}: duplicate collective noun {[w for w, n in Counter(collective).items() if n > 1]}")
    stray = set(data["financial"]) - set(data["digits"]) - set(data["multipliers"])
    if stray:
        raise ValueError(f"{path}: financial characters that are no numeral: {sorted(stray)}")
    clash = set(data["digits"]) & set(data["multipliers"])
    if clash:
        raise ValueError(f"{path}: characters both digit and multiplier: {sorted(clash)}")
    rank = data["rank"]
    _check_keys(f"{path}: rank", rank, {"before", "areas", "top_units", "after_units", "ordinal_nouns", "front_words",
                                        "missed"},
                {"before", "areas", "top_units", "after_units", "ordinal_nouns"})
    return NumeralRules(
        fold=str.maketrans(data["fold"]),
        digits=dict(data["digits"]),
        multipliers=dict(data["multipliers"]),
        prefix=dict(bounds["prefix"]),
        infix=dict(bounds["infix"]),
        suffix=dict(bounds["suffix"]),
        not_after={w: "".join(cs) for w, cs in bounds.get("not_after", {}).items()},
        separators=tuple(data["range_separators"]),
        signs=dict(data["signs"]),
        rank={k: tuple(v) for k, v in rank.items()},
        financial=frozenset(data["financial"]),
        only_before={w: "".join(cs) for w, cs in bounds.get("only_before", {}).items()},
        share=dict(bounds.get("share", {})),
        collective=tuple(collective),
        gap=tuple(bounds.get("gap", ())),
        list_joiners=frozenset(bounds.get("list_joiners", ())),
        shared_unit_joiners=frozenset(bounds.get("shared_unit_joiners", ())),
        between_joiners=frozenset(bounds.get("between_joiners", ())),
        between_closers=tuple(bounds.get("between_closers", ())),
        comparison=tuple(comparison["words"]),
        comparison_not_between=tuple(comparison["not_between"]),
        money=MoneyCues(tuple(money["before"]), tuple(money["after"]),
                        {w: tuple(r) for w, r in money.get("not_before", {}).items()}, tuple(money["then"]),
                        tuple(money["examples"]), tuple(money.get("negative", ())),
                        tuple(money.get("measure_words", ()))),
        numbers=NumberWords(frozenset(numbers["not_numbers"]), tuple(numbers["examples"]),
                            tuple(numbers.get("negative", ()))),
        decimal_dots="".join(data["decimal_dots"]),
    )


@dataclass(frozen=True)
class Blocker:
    """A non-quantity rule: `before`/`after` around the numeral, or a free `pattern` over it.

    An `after` rule may let a candidate through when one of `unless_preceded_by` ends right before it (再延长30年);
    a `before` rule when `unless_followed_by` matches right after the numeral (每两天: an interval).
    """

    id: str
    before: str | None
    after: str | None
    pattern: str | None
    lead: str
    examples: tuple[str, ...]
    negative: tuple[str, ...]
    unless_preceded_by: tuple[str, ...] = ()
    unless_followed_by: str | None = None


@dataclass(frozen=True)
class Blockers:
    rules: tuple[Blocker, ...]
    idioms: tuple[str, ...]
    after: regex.Pattern  # alternation of after-only rules
    plain_after: regex.Pattern  # the same without the rules that have exceptions
    guarded: tuple[tuple[regex.Pattern, tuple[str, ...]], ...]  # (after, unless_preceded_by) of rules with exceptions
    before: regex.Pattern  # lookbehind alternation of before-only rules, matched at the numeral
    plain_before: regex.Pattern  # the same without the rules that have exceptions
    guarded_before: tuple[tuple[regex.Pattern, regex.Pattern], ...]  # (lookbehind, unless_followed_by)
    both: tuple[tuple[regex.Pattern, regex.Pattern], ...]  # rules needing before and after
    both_after: regex.Pattern  # alternation of their `after` parts: one test rules them all out
    free: tuple[str, ...]  # free patterns, in order
    free_lead: frozenset[str]  # non-digit, non-Latin characters a free match may begin with
    idiom_set: frozenset[str]
    idiom_openings: frozenset[str]  # their first two characters: most places begin none
    idiom_lengths: tuple[int, ...]  # the lengths they have, longest first
    idiom_reach: int  # how far into an idiom its first numeral may stand (一丝一毫: 0; 人无千日好: 2)


def _compile(where: str, pattern: str) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"{where}: bad pattern: {exc}") from None


_NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百千万亿兆两俩半双壹贰叁肆伍陆柒捌玖拾佰仟")


PLACE_MIN_CHARS = 3  # 三门峡, 七台河; a two-character name may be a count (九台: nine machines)


def _numeral_places(folder: Path, lists: list[str]) -> set[str]:
    """The place names of the gazetteers (`name` column) that hold a numeral and are long enough
    not to be a count themselves: their numerals count nothing (三门峡市, 五指山, 六盘水)."""
    names = set()
    for name in lists:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            names |= {row["name"] for row in csv.DictReader(handle, delimiter="\t")
                      if len(row["name"]) >= PLACE_MIN_CHARS and _NUMERAL_CHARS & set(row["name"])}
    return names


def load_non_quantities(path: Path | str | None = None, *, digit: str, latin_unit: str, unit: str = "(?!)") -> Blockers:
    """Read rules/non_quantities.yaml ({D}, {LATIN_UNIT} and {UNIT} placeholders expanded)."""
    path = Path(path) if path is not None else RULES / "non_quantities.yaml"
    data = read_rules(path)
    _check_keys(str(path), data, {"rules", "idioms", "idiom_lists", "place_lists"}, {"rules"})
    rules, ids = [], set()
    for entry in data["rules"]:
        where = f"{path}: rule {entry.get('id')!r}"
        _check_keys(where, entry, {"id", "why", "before", "after", "pattern", "lead", "examples", "negative",
                                   "unless_preceded_by", "unless_followed_by"}, {"id", "why", "examples"})
        if entry["id"] in ids:
            raise ValueError(f"{where}: duplicate id")
        ids.add(entry["id"])
        if ("pattern" in entry) == ("before" in entry or "after" in entry):
            raise ValueError(f"{where}: needs either `pattern` or `before`/`after`")
        if "lead" in entry and "pattern" not in entry:
            raise ValueError(f"{where}: `lead` only goes with `pattern`")
        if "unless_preceded_by" in entry and ("after" not in entry or "before" in entry):
            raise ValueError(f"{where}: `unless_preceded_by` only goes with an `after`-only rule")
        if "unless_followed_by" in entry and ("before" not in entry or "after" in entry):
            raise ValueError(f"{where}: `unless_followed_by` only goes with a `before`-only rule")
        expand = {k: entry[k].replace("{D}", digit).replace("{LATIN_UNIT}", latin_unit).replace("{UNIT}", unit)
                  for k in ("before", "after", "pattern", "unless_followed_by") if k in entry}
        for k, v in expand.items():
            _compile(f"{where} {k}", v)
        rules.append(Blocker(entry["id"], expand.get("before"), expand.get("after"), expand.get("pattern"),
                             entry.get("lead", ""), tuple(entry["examples"]), tuple(entry.get("negative", [])),
                             tuple(entry.get("unless_preceded_by", ())), expand.get("unless_followed_by")))
    idioms = tuple(data.get("idioms", []))
    if len(set(idioms)) != len(idioms):
        raise ValueError(f"{path}: duplicate idiom {[w for w, n in Counter(idioms).items() if n > 1]}")
    listed = []
    for name in data.get("idiom_lists", []):  # one idiom per line after a header (rules/idioms.tsv)
        listed += [line for line in (path.parent / name).read_text(encoding="utf-8").splitlines()[1:] if line]
    repeated = sorted(set(idioms) & set(listed))
    if repeated:
        raise ValueError(f"{path}: idioms already in {data['idiom_lists']}: {repeated}")
    idioms += tuple(listed)
    idioms += tuple(sorted(_numeral_places(path.parent, data.get("place_lists", [])) - set(idioms)))
    after = [r.after for r in rules if r.after and not r.before]
    plain_after = [r.after for r in rules if r.after and not r.before and not r.unless_preceded_by]
    before = [r.before for r in rules if r.before and not r.after]
    free = [r.pattern for r in rules if r.pattern]
    never = "(?!)"
    return Blockers(
        rules=tuple(rules),
        idioms=idioms,
        after=regex.compile("|".join(f"(?:{p})" for p in after) or never),
        plain_after=regex.compile("|".join(f"(?:{p})" for p in plain_after) or never),
        guarded=tuple((regex.compile(r.after), r.unless_preceded_by) for r in rules if r.unless_preceded_by),
        # one lookbehind match at the numeral (not a search through the characters before it)
        before=regex.compile("(?<=" + "|".join(f"(?:{p})" for p in before) + ")" if before else never),
        plain_before=regex.compile("(?<=" + "|".join(f"(?:{r.before})" for r in rules if r.before and not r.after
                                                     and not r.unless_followed_by) + ")" if before else never),
        guarded_before=tuple((regex.compile(f"(?<={r.before})"), regex.compile(r.unless_followed_by))
                             for r in rules if r.unless_followed_by),
        both=tuple((regex.compile(f"(?<={r.before})"), regex.compile(r.after)) for r in rules if r.before and r.after),
        both_after=regex.compile("|".join(f"(?:{r.after})" for r in rules if r.before and r.after) or never),
        free=tuple(free),
        free_lead=frozenset("".join(r.lead for r in rules)),
        idiom_set=frozenset(idioms),
        idiom_openings=frozenset(w[:2] for w in idioms),
        idiom_lengths=tuple(sorted({len(w) for w in idioms}, reverse=True)),
        idiom_reach=max((next((i for i, c in enumerate(w) if c in _NUMERAL_CHARS), 0) for w in idioms), default=0),
    )


# ---------------------------------------------------------------------------------------------
# the compiled scanner


@dataclass(frozen=True)
class QuantityMatch:
    """A quantity found in a plain string (local offsets); `num_start:num_end` is its numeral."""

    start: int
    end: int
    text: str
    number: float | None
    unit_text: str | None
    unit: str | None
    dimension: str
    value: float | None
    lower: float | None
    upper: float | None
    bound: str
    qualifier: str | None
    classifier: str | None
    rule: str
    num_start: int
    num_end: int


def _alt(words: Iterable[str]) -> str:
    """Alternation of literal words, longest first so the regex prefers the longest."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _cls(chars: Iterable[str]) -> str:
    return "[" + "".join(regex.escape(c) for c in sorted(set(chars))) + "]"


def _unit_alt(surfaces: Iterable[str], units: dict[str, UnitDef]) -> str:
    """Alternation of unit surfaces, longest first, each refusing the nouns it begins (家庭 人口)."""
    return "|".join(("[ ]{0,2}".join(map(regex.escape, w)) if units[w].spaced else regex.escape(w))
                    + (f"(?!{_alt(units[w].not_before)})" if units[w].not_before else "")
                    for w in sorted(set(surfaces), key=lambda w: (-len(w), w)))


class _Scanner:
    """Everything compiled from the rule files, built once."""

    def __init__(self) -> None:
        self.units = load_units()
        self.num = load_numerals()
        nr = self.num
        digits = dict(nr.digits)
        mults = nr.multipliers
        after_units = {s: u for s, u in self.units.surfaces.items() if not u.before}
        # a multiplier that starts a unit surface (千克 千米 兆瓦 百分点) is left to the unit
        mult_tokens = []
        for m in mults:
            rests = [s[1:] for s in after_units if s.startswith(m) and len(s) > 1]
            mult_tokens.append(regex.escape(m) + (f"(?!{_alt(rests)})" if rests else ""))
        # small multipliers only descend (七十百 is no numeral): a 百 right after 十 begins the next
        # word (百分之七十百分位, 百分之七十百分之八十)
        smaller = {m: "".join(s for s, w in mults.items() if w < v) for m, v in mults.items() if 10 < v < 10000}
        next_tokens = [f"(?<![{smaller[m]}]){t}" if smaller.get(m) else t for m, t in zip(mults, mult_tokens)]
        plain_digits = _cls(c for c in digits if c != "两")
        nonzero_digits = _cls(c for c in digits if c not in "两〇零")
        big = _cls(c for c, v in mults.items() if v >= 10000)
        all_mult = _cls(mults)
        cn_first = f"(?:{plain_digits}|两|{'|'.join(mult_tokens)})"
        # 一个亿 两个亿 ２００个亿 (spoken amounts): the 个 sits between the digit and 亿
        # (no Chinese digit after Arabic digits and a multiplier: １０万七天 is 100000 and 7 days)
        cn_next = (f"(?:[〇零]|(?<![0-9][十百千万亿]){nonzero_digits}|两(?=\\s?{all_mult})|(?<=[{''.join(mults)}零])几|{'|'.join(next_tokens)}"
                   f"|(?<=[0-9一两二三四五六七八九十几])个(?=亿(?!万)))")
        # 1,100 and digits spaced out by the layout (7 4 7 7 2亿元, 1 7 .5万人, 2 .5 亿千瓦)
        # (the lookahead keeps the spaced form cheap where there is no space)
        ar = r"(?:\d{1,3}(?:,\d{3})+|\d(?= \d)(?: \d)+(?: ?\.(?: ?\d)+)?|\d+ \.\d+|\d+)(?:\.\d+)?|(?<!\.)\.\d+"  # not ...9
        # 两 is never a digit after the point (二点二, not 两点两: 两百点两 is 两百 and 两)
        point_digits = _cls(c for c in digits if c not in "两俩")
        dec = f"(?:[ ]{{0,2}}点[ ]{{0,2}}(?:{point_digits}+|\\d+))"
        # spaces may sit between Chinese numeral characters (一百 五 十), after an Arabic part only
        # before a multiplier (7 万5 千4 百); Arabic digits follow a Chinese character directly (3万4000)
        numeral = (f"(?:(?:{ar})|{cn_first})(?:(?<=[^\\d ,.])[ ]{{0,2}}{cn_next}|{cn_next}"
                   f"|[ ]{{1,2}}(?:{'|'.join(mult_tokens)})|(?<=[^\\d ,.]){ar}"
                   f"|(?<=[十百千万亿])[ ]{{1,2}}(?:{ar})(?=[ ]?[十百千]))*{dec}?")
        cn_only = f"{cn_first}(?:[ ]{{0,2}}{cn_next})*"
        latin = [s for s in after_units if regex.fullmatch(r"[A-Za-z][A-Za-z0-9/²³]*", s)]
        other = [s for s in after_units if s not in latin]
        unit_re = f"(?:{_unit_alt(other, after_units)}|(?:{_alt(latin)})(?![A-Za-z]))"
        latin_unit = f"(?:{_alt(latin)})"
        sep = _alt(nr.separators)
        before_syms = [s for s, u in self.units.surfaces.items() if u.before and u.dimension == "currency"]
        signs = _alt(nr.signs)
        infix = _alt(nr.infix)
        suffix = _alt(nr.suffix)
        numstart = f"(?:\\d|{_cls(digits)}|{_cls(mults)}|负)"
        # the decimals after a unit that takes them (七成|六, 一米|七五), unless a numeral or unit goes on
        after_tenths = "|".join(f"(?<={re.escape(s)})" for s, u in after_units.items() if u.tenths) or "(?!)"
        tenths = (f"(?:{after_tenths})(?P<tenths>[ ]?(?:{point_digits}{{1,2}}|\\d{{1,2}}))"
                  f"(?![\\d.点]|{_cls(set(digits) | set(mults))}|{unit_re})")
        numchar = f"[0-9{''.join(regex.escape(c) for c in sorted(set(digits) | set(mults)))}几点., 又]"
        # (the look for 分之 is bounded, FRACTION_REACH, so a long run of digits and commas costs a
        # bounded look at each position instead of a scan to its end: linear, not quadratic)
        # a bound suffix may follow every form (百分之五十以上); a percent word's range may omit the
        # second 百分之 (百分之十到十五); a unit may follow a numeral in quotes (重归“６”元大关)
        # (built without `regex`-only syntax: the standard library matches it over twice as fast)
        front_words = "".join(re.escape(c) for c in nr.rank.get("front_words", ()))  # 提前三年: no 前三
        self.core = re.compile(
            f"(?:(?=负?(?:{numchar}){{0,{FRACTION_REACH}}}分[ ]*之)(?P<frac>(?P<fsign>负)?(?:(?P<whole>{numeral})[ ]*又[ ]*)?(?P<den>{numeral})[ ]*分[ ]*之[ ]*(?P<nsign>负)?(?P<nom>{numeral}))"
            f"(?:[ ]*(?:{sep})[ ]*(?:(?P<den2>[百千万]+)分之)?(?P<nom2>{numeral})(?![ ]*分))?"
            f"|(?<![\\d./])(?P<sl>(?P<sln>\\d{{1,3}})[ ]?/[ ]?(?P<sld>\\d{{1,3}}))(?![\\d/.])"
            f"|(?P<fan>翻了?[ ]?(?P<fann>{cn_only})[ ]?番)"
            f"|(?P<rkw>第|(?<![{front_words}])前)[ ]?(?P<rkn>{numeral})(?P<rku>{_alt(nr.rank['top_units'] + nr.rank['after_units'] + ('大',))})?"
            f"|(?P<sym>{_alt(before_syms)})[ ]?(?P<symn>{numeral})"
            f"|(?P<sign>{signs}|(?<![0-9A-Za-z-])-(?=[\\d.]))?(?P<n1>{numeral})"  # not --9
            f"(?:(?=[^\\n]{{1,7}}?(?:{sep}))[ ]*(?P<u1>{unit_re})(?=[ ]*(?:{sep})[ ]*{numstart}))?"
            f"(?:[ ]*(?P<sep>{sep})[ ]*(?P<n2>{numeral}))?"
            f"(?:[ ]*(?P<inf>{infix})(?:[ ]*(?P<mul2>{big}+))?)?"
            f"(?:[ ]*(?P<uq>[”\"’」])?[ ]*(?P<unit>{unit_re})(?:(?P<half>半)|{tenths})?)?)"
            f"(?P<suf>{suffix})?"
        )
        # numeral runs seed the scan; the bound word before a run is read backwards from it
        # (a plain character class: the standard library scans it about three times faster)
        self.seed = re.compile(f"[0-9{''.join(regex.escape(c) for c in sorted(set(digits) | set(mults)))}]+")
        # what may precede a numeral run inside a candidate (第3, 前10, 翻一番, ¥300, 负5, -5, .5)
        self.lead_chars = frozenset("第前翻了-. " + "".join(before_syms) + "".join(nr.signs))
        # a lone Chinese digit is only worth reading when one of these follows it
        self.follow_chars = frozenset(
            "".join(s[0] for s in after_units) + "分点半几 /" + "".join(w[0] for w in nr.separators)
            + "".join(nr.infix) + "".join(nr.digits) + "".join(nr.multipliers) + "".join(w[0] for w in nr.collective))
        self.prefix_max = max(map(len, nr.prefix))
        self.prefix_ends = frozenset(w[-1] for w in nr.prefix)
        self.gap_words = frozenset(nr.gap)
        self.gap_ends = frozenset(w[-1] for w in nr.gap)
        self.gap_max = max(map(len, nr.gap), default=0)
        # 比 as the preposition of a comparison, not the first character of 比重 比例 比率
        self.comparison = re.compile(f"比(?![重例率值较赛])(?:(?!{_alt(nr.comparison_not_between)})[^，。；：！？\n]){{1,10}}$")
        # the money rule (tried on bare amounts only): a cue word earlier in the clause, or right after
        money = nr.money
        cue = "|".join(regex.escape(w) + (f"(?!{_alt(money.not_before[w])})" if w in money.not_before else "")
                       for w in sorted(money.before, key=lambda w: (-len(w), w)))
        self.money_window = max(map(len, money.before)) + 12
        self.money_before = re.compile(f".*(?P<cue>{cue})[^，。；：！？\n]{{0,12}}$")
        # 缴４００万的税, 这９亿资产, 8千亿的民间资金: a money noun right after, or after 的 and a word qualifying it
        self.money_after = re.compile(f"[ ]?(?:的[\u4e00-\u9fff]{{0,2}}?)?(?:{_alt(money.after)})")
        self.money_noun = re.compile(f"(?!{_alt(money.then)})[\u4e00-\u9fff]")  # 1100多万学生: a count
        self.clause_stop = re.compile("[，。；：！？\n]")
        self.unit_at = re.compile(unit_re)
        # a small unit right after an amount (5元|3毛, 6角|三分): a digit or two, not 3分钟 or 三分之一
        joiner = _alt(j for j in _AMOUNT_JOINERS if j)
        self.minor_at = {unit: re.compile(f"(?:{joiner})?(?P<n>[0-9]{{1,2}}|{_cls(c for c in digits if c != '〇')})"
                                          f"(?P<u>{_alt(surfaces)})(?![钟之0-9])")
                         for unit, surfaces in self.units.minor.items()}
        # a quick test before the written forms are looked for: most texts hold none
        # a quick test (plain substring searches) before rates are looked for: most texts hold none
        self.rate_hints = ("/", "每", *self.units.hourly)
        fold_chars = "".join(chr(c) for c in nr.fold)
        self.fold_run = re.compile(f"[{re.escape(fold_chars)}]+")  # the standard library is faster here too
        self.decimal_dot = re.compile(f"([0-9０-９]+)([{re.escape(self.num.decimal_dots)}])([0-9０-９]+)(.?)")
        # what makes a dotted pair of numbers one decimal number: a percent sign or 万/亿 after it
        self.after_decimal = set(_PERCENT_SIGNS) | {c for c, v in self.num.multipliers.items() if v >= 10000}
        self.blockers = load_non_quantities(digit=_cls(c for c in digits if c not in "〇零"), latin_unit=latin_unit,
                                            unit=unit_re)
        self.free_lead = self.blockers.free_lead | set(digits) | set(mults)
        self.free_lead_at = re.compile("[A-Za-z0-9" + "".join(re.escape(c) for c in sorted(self.free_lead)) + "]")
        self.free_at = _by_first_character(self.blockers.free,
                                           self.free_lead | set(string.ascii_letters + string.digits))
        rules = self.blockers.rules
        self.after_may_begin = _CharTest(r.after for r in rules if r.after and not r.before)
        self.before_may_end = _CharTest((r.before for r in rules if r.before and not r.after), reverse=True)
        self.both_after_may_begin = _CharTest(r.after for r in rules if r.before and r.after)
        # characters that, right after a numeral, make it a non-quantity (a shortcut); for those of
        # rules with exceptions (年: 再延长30年) the exception is checked first
        self.time_after = frozenset(c for c in "年月号届" if self.blockers.after.match(c))
        # 年 may be lifted by its rule's exception words (再延长30年): they are checked before skipping
        self.time_rescue = {c: tuple(w for a, words in self.blockers.guarded if a.match(c) for w in words)
                            for c in self.time_after}
        self.collective = regex.compile(_alt(nr.collective))
        self.share = regex.compile(f"(?:{_alt(nr.share)})(?:[^，。；：、\n\\d]{{0,16}}?的)?[ ]?$")
        self.share_word = re.compile(_alt(nr.share))  # a cheap test before the full one
        self.share_max = max(map(len, nr.share), default=0) + 19
        self.token = re.compile(r"\d+(?:\.\d+)?|\.\d+|\S")
        self.cjk = regex.compile(r"[\p{Han}A-Za-z]")
        self.rank_before = tuple(nr.rank["before"])
        self.rank_areas = tuple(nr.rank["areas"])
        self.ordinal_nouns = regex.compile(_alt(nr.rank["ordinal_nouns"]))


def _begins_with(pattern: str, reverse: bool = False) -> Callable[[str], bool]:
    """A test whether a match of `pattern` can begin (`reverse`: end) with a given character.

    A partial match of the lone character tells, unless the pattern looks across it (a lookbehind;
    reversed, a lookahead; a word boundary): that needs the text around, so the answer is yes.
    """
    if any(look in pattern for look in ("(?=" if reverse else "(?<=", "\\b", "\\B")):
        return lambda char: True
    partial = regex.compile(("(?r)" if reverse else "") + f"(?:{pattern})")
    return lambda char: partial.match(char, partial=True) is not None


def _by_first_character(patterns: Iterable[str], chars: Iterable[str]) -> dict[str, regex.Pattern]:
    """For each character, the alternation (in order) of the patterns a match may begin with there.

    `regex` tries every branch of an alternation in turn; this way each place tries only those
    that can match there.
    """
    tests = [(p, _begins_with(p)) for p in patterns]
    alternations: dict[tuple[str, ...], regex.Pattern] = {}
    by_char = {}
    for char in chars:
        fitting = tuple(p for p, begins in tests if begins(char))
        if fitting:
            if fitting not in alternations:
                alternations[fitting] = regex.compile("|".join(f"(?:{p})" for p in fitting))
            by_char[char] = alternations[fitting]
    return by_char


class _CharTest(dict):
    """Character -> whether one of the patterns can begin (`reverse`: end) with it; '' (no character) -> True.

    Worked out the first time a character is met, so the scanner calls the patterns only where
    they can match: most numerals have no date or list mark around them.
    """

    def __init__(self, patterns: Iterable[str], reverse: bool = False) -> None:
        super().__init__()
        self._tests = [_begins_with(p, reverse) for p in patterns]

    def __missing__(self, char: str) -> bool:
        fits = not char or any(begins(char) for begins in self._tests)
        self[char] = fits
        return fits


@lru_cache(maxsize=1)
def _scanner() -> _Scanner:
    return _Scanner()


# ---------------------------------------------------------------------------------------------
# numeral parsing


class _NotANumber(ValueError):
    pass


def _parse_int_tokens(toks: list, mults: dict[str, int]) -> float:
    """Value of the integer part of a numeral from its tokens (Arabic float, Chinese digit int, 'Z' zero, multiplier)."""
    parts: list[tuple[float, int]] = []  # closed sections (value, level)
    section = 0.0
    small = 0  # the last 十 百 千 of the current section
    digit = None
    cn_digit = False
    last_mult = 0
    zero = False
    for tok in toks:
        if tok == "Z":
            if digit is not None:
                raise _NotANumber("zero after digit")
            zero = True
        elif isinstance(tok, str):
            m = mults[tok]
            if m < 10000:
                if small and small <= m:
                    raise _NotANumber("small multipliers out of order")  # 五十千
                d = 1.0 if digit is None else digit
                section += d * m
                small = last_mult = m
                digit, zero = None, False
            else:
                s = section + (digit or 0)
                popped = [p for p in parts if p[1] < m]
                parts = [p for p in parts if p[1] >= m]
                level = m
                if digit is None and section == 0 and not popped:  # 万万: the second 万 scales the first
                    if not parts or parts[-1][1] != m:
                        raise _NotANumber("multiplier without a digit")
                    popped = [parts.pop()]
                    level = m * m
                parts.append(((s + sum(p[0] for p in popped)) * m, level))
                section, digit, last_mult, zero, small = 0.0, None, m, False, 0
        else:
            if digit is not None:
                raise _NotANumber("two digits in a row")
            digit, cn_digit = float(tok), isinstance(tok, int)
    if digit is not None:
        if last_mult and not zero and cn_digit:  # 一千三 = 1300, 一万三 = 13000
            section += digit * last_mult / 10
        else:
            section += digit
    return section + sum(p[0] for p in parts)


# simple patterns on short strings: the standard library's `re` calls are cheaper than `regex`'s
FRACTION_REACH = 40  # longest numeral before 分之 (三千二百五十万分之一 has 7 characters)
_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")


@lru_cache(maxsize=4096)  # the same numerals come back again and again (一 两 十 …)
def parse_numeral(text: str) -> tuple[float, float, str]:
    """Parse a (folded) numeral into (low, high, form); form is 'plain', 'digits' or 'range'.

    Ranges come from a 几 wildcard (十几 = 11..19) or adjacent digits (两三 = 2..3, 二三十 = 20..30);
    'digits' is a digit string read positionally (二〇二一 = 2021).
    """
    s = text.replace(" ", "").replace(",", "")
    if _PLAIN.fullmatch(s):  # the common case: 3485, 25.5
        value = float(s)
        return value, value, "plain"
    sc = _scanner()
    digits, mults = sc.num.digits, sc.num.multipliers
    s = s.replace("个亿", "亿")  # 一个亿
    if s in mults:  # a lone multiplier after a bound word: 上亿, 逾万
        value = float(mults[s])
        return value, value, "plain"
    frac = ""
    if "点" in s:
        s, frac_text = s.split("点", 1)
        for c in frac_text:
            if c.isdigit() and c.isascii():
                frac += c
            elif c in digits:
                frac += str(digits[c])
            else:
                raise _NotANumber(text)
    toks: list = []
    for t in sc.token.findall(s):
        if t[0].isdigit() or t[0] == ".":
            toks.append(float(t))
        elif t in "〇零":
            toks.append("Z")
        elif t in digits:
            toks.append(digits[t])
        elif t in mults:
            toks.append(t)
        elif t == "几":
            toks.append("W")
        else:
            raise _NotANumber(text)
    if not toks:
        raise _NotANumber(text)
    form = "plain"
    has_mult = any(isinstance(t, str) and t not in "ZW" for t in toks)
    n_digits = sum(1 for t in toks if not isinstance(t, str) or t == "Z")
    if not has_mult and n_digits > 1:
        if any(isinstance(t, float) for t in toks) or "W" in toks:
            raise _NotANumber(text)
        ints = [0 if t == "Z" else t for t in toks]
        if len(ints) == 2 and (ints[1] == ints[0] + 1 or (s[:2] == "一两")):
            lo = hi = None
            lo, hi, form = float(ints[0]), float(ints[1]), "range"
        else:
            lo = hi = float("".join(map(str, ints)))
            form = "digits"
    else:
        lo_toks, hi_toks = list(toks), list(toks)
        for i in range(len(toks) - 1):
            a, b = toks[i], toks[i + 1]
            if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool) and b == a + 1:
                lo_toks = toks[:i] + [a] + toks[i + 2:]
                hi_toks = toks[:i] + [b] + toks[i + 2:]
                form = "range"
                break
        if "W" in toks:
            lo_toks = [1 if t == "W" else t for t in lo_toks]
            hi_toks = [9 if t == "W" else t for t in hi_toks]
            form = "range"
        lo = _parse_int_tokens(lo_toks, mults)
        hi = _parse_int_tokens(hi_toks, mults) if form == "range" else lo
    if frac:
        if form != "plain":
            raise _NotANumber(text)
        lo = hi = lo + float("0." + frac)
    return lo, hi, form


def _f(x: float | None) -> float | None:
    """A float rounded to 15 significant digits (so 1.85万 is 18500, not 18500.000000000004)."""
    return None if x is None else float(f"{x:.15g}")


# ---------------------------------------------------------------------------------------------
# candidate -> QuantityMatch

_BIG_TAIL = re.compile(r"[万亿兆]+$")
_ZERO = re.compile("[〇零]")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DASHES = frozenset("-—–－")
_STRONG = re.compile(r"[百千万亿兆佰仟点]")  # a bare Chinese numeral with these is a number, not a word part


def _blocked(text: str, core: tuple[int, int], sc: _Scanner) -> int:
    """End of the non-quantity rule that matches around the numeral text[s:e], or 0 if none does."""
    s, e = core
    bl = sc.blockers
    next_char, char_before = text[e:e + 1], text[s - 1:s]
    after = bl.after.match(text, e) if sc.after_may_begin[next_char] else None
    if after and any(a.match(text, e) and text.endswith(words, max(0, s - 8), s) for a, words in bl.guarded):
        after = bl.plain_after.match(text, e)  # 再延长30年: an exception lifts its own rule only
    if after:
        return after.end()
    if sc.before_may_end[char_before] and bl.before.match(text, s):
        if bl.plain_before.match(text, s) or any(lb.match(text, s) and not unless.match(text, e)
                                                 for lb, unless in bl.guarded_before):
            return e  # 每两天: an exception lifts its own rule only
    if sc.both_after_may_begin[next_char] and bl.both_after.match(text, e):
        for before, after_re in bl.both:
            after = after_re.match(text, e)
            if after and before.match(text, s):
                return after.end()
    first = sc.free_lead_at.search(text, max(0, s - 6), s)  # usually none before the numeral itself
    for p in range(first.start() if first else s, s + 1):
        free = sc.free_at.get(text[p])
        if free is not None:
            b = free.match(text, p)
            if b is not None and b.end() > s:
                return b.end()
    return _idiom_end(text, s, sc)


def _idiom_end(text: str, s: int, sc: _Scanner) -> int:
    """End of an idiom over the numeral starting at s (一波三折, 九牛一毛, 五大三粗), or 0."""
    if text[s:s + 1].isdigit():
        return 0  # idioms are written in Chinese numerals
    bl = sc.blockers
    for p in range(max(0, s - bl.idiom_reach), s + 1):
        if text[p:p + 2] in bl.idiom_openings:
            for length in bl.idiom_lengths:
                if p + length > s and text[p:p + length] in bl.idiom_set:
                    return p + length
    return 0


def _scale(multipliers: str, sc: _Scanner) -> float:
    """Product of a run of multipliers (万亿 = 10^12)."""
    out = 1.0
    for c in multipliers:
        out *= sc.num.multipliers[c]
    return out


def _scaled_after_infix(n1: str, lo: float, hi: float, scale: float, sc: _Scanner) -> tuple[float, float]:
    """The multiplier after 多/余 scales only the section after a larger one: 一亿一千七百多万 is
    1亿 + 1700万, 1亿3千多万 is 1亿 + 3千万 (not (1亿 + 1700) × 万)."""
    mults = sc.num.multipliers
    for i in range(len(n1) - 1, -1, -1):
        if mults.get(n1[i], 0) > scale:
            head = parse_numeral(n1[:i + 1])[0]
            if i == len(n1) - 1:  # 10亿余万: nothing left to scale
                return head, head
            tail_lo, tail_hi, _ = parse_numeral(n1[i + 1:])
            return head + tail_lo * scale, head + tail_hi * scale
    return lo * scale, hi * scale


def _has_big(numeral: str, sc: _Scanner) -> bool:
    return any(c in numeral for c, v in sc.num.multipliers.items() if v >= 10000)


def _match(m: re.Match, pre: str | None, start: int, text: str, sc: _Scanner) -> QuantityMatch | None:
    """Read one candidate; `pre` is the bound word before it (already part of the span from `start`)."""
    g = m.group
    end = m.end()
    bound = sc.num.prefix[pre] if pre else "exact"
    qualifier = pre
    if g("suf"):
        suf_bound = sc.num.suffix[g("suf")]
        if bound == "exact" or (bound == "approx" and suf_bound in ("lower", "upper")):
            bound = suf_bound  # 约…以上: the direction wins over 约
        qualifier = g("suf") if not pre or sc.num.prefix[pre] == "exact" else pre + g("suf")
    if m.start("n1") >= 0:  # the common form first (the forms are alternatives of one pattern)
        return _general(m, pre, text, sc, start, end, bound, qualifier)
    if g("frac") is not None:
        return _fraction(m, text, sc, start, end, bound, qualifier)
    if g("fan") is not None:
        lo, hi, form = parse_numeral(g("fann"))
        try:
            times = 2 ** lo
        except OverflowError:
            return None  # 翻亿番 is no number of doublings
        return _build(m, text, start, end, _f(lo), None, "x", "multiple", _f(times), None, None, bound, qualifier,
                      None, "multiple_fan", m.span("fann"))
    if g("rkw") is not None:
        return _rank(m, text, sc, start, end, bound, qualifier)
    if g("sl") is not None:  # 1/3, 1／4: a fraction written with a slash
        nom, den = int(g("sln")), int(g("sld"))
        if not 0 < nom < den:
            return None
        u = sc.units.surfaces["/"]
        return _build(m, text, start, end, _f(nom / den), "/", u.unit, u.dimension, _f(nom / den * u.factor), None,
                      None, bound, qualifier, None, "fraction", m.span("sl"))
    lo, hi, form = parse_numeral(g("symn"))  # what is left: a currency symbol before the numeral (¥300)
    if form != "plain":
        return None
    u = sc.units.surfaces[g("sym")]
    return _build(m, text, start, end, _f(lo), g("sym"), u.unit, u.dimension, _f(lo * float(u.factor)), None,
                  None, bound, qualifier, None, "currency_symbol", m.span("symn"))


def _build(m, text, start, end, number, unit_text, unit, dimension, value, lower, upper, bound, qualifier,
           classifier, rule, num_span) -> QuantityMatch:
    if bound == "lower" and lower is None:
        lower = value
    elif bound == "upper" and upper is None:
        upper = value
    return QuantityMatch(start, end, text[start:end], number, unit_text, unit, dimension, value, lower, upper,
                         bound, qualifier, classifier, rule, num_span[0], num_span[1])


def _fraction(m, text, sc, start, end, bound, qualifier):
    g = m.group
    den_text = g("den").replace(" ", "")
    nom_lo, nom_hi, form = parse_numeral(g("nom"))
    if form == "range":
        return None
    if g("nsign"):
        nom_lo = -nom_lo
    # a denominator written without its 一 (百分之, 万万分之) reads as if it had one
    den, _, dform = parse_numeral(("一" if den_text[0] in sc.num.multipliers else "") + den_text)
    nom2 = g("nom2")
    if nom2 is not None:  # 百分之十到十五, 百分之十到百分之十五: a range; anything else ends at the fraction
        hi2, _, form2 = parse_numeral(nom2)
        same = g("den2") is None or g("den2") == den_text
        if not (same and form2 == "plain" and nom_lo < hi2 and den_text[0] in sc.num.multipliers
                and g("whole") is None and not g("nsign")):
            nom2, end = None, m.end("nom")
    if den_text[0] in sc.num.multipliers and g("whole") is None:  # 百分之 千分之 万分之 百万分之
        surface = den_text.translate(str.maketrans("佰仟拾", "百千十")) + "分之"
        u = sc.units.surfaces.get(surface)
        if u is not None and nom2 is not None:
            return _build(m, text, start, end, _f((nom_lo + hi2) / 2), surface, u.unit, u.dimension,
                          _f((nom_lo + hi2) / 2 * u.factor), _f(nom_lo * u.factor), _f(hi2 * u.factor), "range",
                          qualifier, None, "range", (m.start("nom"), m.end("nom2")))
        if u is not None:
            return _build(m, text, start, end, _f(nom_lo), surface, u.unit, u.dimension, _f(nom_lo * u.factor),
                          None, None, bound, qualifier, None, "percent_word", m.span("nom"))
        u = sc.units.surfaces["分之"]
        return _build(m, text, start, end, _f(nom_lo / den), "分之", u.unit, u.dimension,
                      _f(nom_lo / den * u.factor), None, None, bound, qualifier, None, "percent_word",
                      m.span("nom"))
    if den == 0 or dform != "plain":
        return None
    number = nom_lo / den
    if g("whole") is not None:
        whole, _, wform = parse_numeral(g("whole"))
        if wform != "plain":
            return None
        number += whole
    if g("fsign"):
        number = -number
    u = sc.units.surfaces["分之"]
    return _build(m, text, start, end, _f(number), "分之", u.unit, u.dimension, _f(number * float(u.factor)),
                  None, None, bound, qualifier, None, "fraction", (m.start("frac"), m.end("frac")))


def _rank(m, text, sc, start, end, bound, qualifier):
    g = m.group
    word, rku = g("rkw"), g("rku")
    lo, hi, form = parse_numeral(g("rkn"))
    if form != "plain" or lo != int(lo) or lo <= 0:
        return None
    after = text[m.end("rkn"):m.end("rkn") + 4]
    window = text[max(0, m.start("rkw") - 8):m.start("rkw")]
    context = window.endswith(sc.rank_areas) or any(w in window[-4:] for w in sc.rank_before)
    if word == "前":
        if not (rku in sc.num.rank["top_units"] or context) or rku == "大":
            return None
        if rku is None and sc.ordinal_nouns.match(after):
            return None
        missed = next((w for w in sc.num.rank.get("missed", ()) if window.endswith(w)), None)
        if missed:  # 无缘前三甲: outside the top three
            bound, qualifier = "lower", missed + "前"
        else:
            bound, qualifier = "upper", (qualifier + "前" if qualifier else "前")
    else:
        if rku is None and sc.ordinal_nouns.match(after):
            return None
        if not (rku in sc.num.rank["after_units"] or rku == "大" or context):
            return None
    if rku == "大":  # 第二大经济体: the span stops at the ordinal
        end = m.end("rkn")
    n = _f(lo)
    return _build(m, text, start, end, n, None, "rank", "rank", n, None, None, bound, qualifier, None, "rank",
                  (m.start("rkw"), m.end("rkn")))


def _general(m, pre, text, sc, start, end, bound, qualifier):
    g = m.group
    n1, n2, unit_text, inf = g("n1"), g("n2"), g("unit") or g("u1"), g("inf")
    if unit_text and " " in unit_text:
        unit_text = unit_text.replace(" ", "")  # a spaced-out surface (个 百 分点)
    n1_text = n1.replace(" ", "")
    is_arabic = n1_text[0].isdigit() or n1_text[0] == "."
    # a lone 百 千 万 亿 (unless bound: 逾百家) or financial 陆 拾 is a word part (百人会, 登陆, 拾起)
    if len(n1_text) == 1 and ((n1_text in sc.num.multipliers and n1_text != "十" and not pre)
                              or n1_text in sc.num.financial):
        return None
    lo, hi, form = parse_numeral(n1)
    if n2 is not None:
        lo2, hi2, form2 = parse_numeral(n2)
        if form != "plain" or form2 != "plain":
            return None
        if g("u1") and g("unit") and g("u1") != g("unit"):
            return None
        tail = _BIG_TAIL.search(n2.replace(" ", ""))
        if tail and not _has_big(n1, sc):  # 3—5万: the 万 scales both ends
            coef = lo2 / _scale(tail.group(), sc)
            if lo <= coef:
                lo = hi = lo * (lo2 / coef)
        if lo >= lo2:
            return None
        hi = lo2
        form = "range"
    if g("sign"):
        lo, hi = -hi, -lo
    number_lo, number_hi = lo, hi
    big_after = g("mul2")
    if inf:
        if big_after:
            number_lo, number_hi = _scaled_after_infix(n1_text, lo, hi, _scale(big_after, sc), sc)
        inf_bound = sc.num.infix[inf]
        if bound == "exact" or bound == inf_bound:
            bound = inf_bound
            qualifier = inf if qualifier is None else qualifier
        elif bound == "approx" and inf_bound in ("lower", "upper"):  # 大概１万多: the direction wins
            bound, qualifier = inf_bound, inf
        if inf == "来" and not unit_text:
            return None
    if form == "range":
        bound = "range"
    elif bound == "exact" and unit_text and any(w in unit_text for w, b in sc.num.infix.items() if b == "lower"):
        bound = "lower"  # ３个多月 (the unit surface 个多月): more than three months
    if unit_text is None:
        return _bare(m, pre, text, sc, start, end, n1_text, is_arabic, form, number_lo, number_hi, bound, qualifier,
                     inf)
    if g("uq") and text[m.start("n1") - 1:m.start("n1")] not in "“\"‘「":
        return None  # a closing quote with no opening one before the numeral
    u = sc.units.surfaces[unit_text]
    if n1_text == "一" and n2 is None and u.article and not _bounding(pre, sc) and not inf:
        return None  # 一个重要…, 一批, 一块块, 提高到一个新水平: an article
    if form == "digits" and u.valuation != "discount" and not (len(n1_text) >= 3 and _ZERO.search(n1_text)):
        return None
    number = number_lo if form != "range" else (number_lo + number_hi) / 2
    unit, dimension, factor, offset = u.unit, u.dimension, float(u.factor), float(u.offset)
    if u.large and (_has_big(n1, sc) or big_after):
        large = next(d for d in sc.units.surfaces.values() if d.unit == u.large)
        unit, dimension, factor, offset = large.unit, large.dimension, 1.0, 0.0
    if g("half") and u.half:
        number, number_lo, number_hi = number + 0.5, number_lo + 0.5, number_hi + 0.5
    elif g("half"):
        end -= 1
    tenths = g("tenths") if u.tenths and n2 is None and not inf else None
    if tenths:
        number += float("0." + "".join(str(sc.num.digits.get(c, c)) for c in tenths.strip()))
    elif g("tenths"):
        end = m.start("tenths")  # 平方米 takes no decimals after it: they are the next numeral's
    if u.valuation == "discount":
        if form == "digits" or (is_arabic and len(n1_text) == 2 and "." not in n1_text):
            factor = 1.0  # 八五折 and 75折 are 85 % and 75 %; 八折 and 9.5折 are 80 % and 95 %
        if number * factor >= 100 or number <= 0:
            return None
    value = number * factor + offset
    lower = upper = None
    if bound == "range":
        lower, upper = _f(number_lo * factor + offset), _f(number_hi * factor + offset)
    classifier = unit_text if dimension == "count" else None
    num_end = m.end("mul2") if big_after else (m.end("n2") if n2 is not None else m.end("n1"))
    if tenths:
        num_end = m.end("tenths")
    num_start = m.start("sign") if g("sign") else m.start("n1")
    return _build(m, text, start, end, _f(number), unit_text, unit, dimension, _f(value), lower, upper, bound,
                  qualifier, classifier, "range" if bound == "range" else "unit", (num_start, num_end))


def _bare(m, pre, text, sc, start, end, n1_text, is_arabic, form, lo, hi, bound, qualifier, inf):
    """A numeral without a unit: a count only where it cannot be a name, code, year or word part."""
    g = m.group
    nxt = text[end:end + 1]
    prv = text[start - 1:start] if start else ""
    if nxt and nxt.isascii() and nxt.isalpha():
        return None
    big = _has_big(g("n1"), sc) or g("mul2")
    # 常熟６城市, 桂林两城市, 五部门: a numeral counting a collective noun needs no measure word
    collective = n1_text != "一" and form == "plain" and not g("n2") and sc.collective.match(text, end)
    if is_arabic:
        boundary = not (prv and sc.cjk.match(prv)) and not (nxt and sc.cjk.match(nxt))
        # 100～1000之间 is a range, but 7-21 (暴雨) is a date-like name
        spelled_range = g("n2") is not None and g("sep") not in _DASHES
        if not (pre or inf or big or g("suf") or boundary or collective or spelled_range):
            return None
        if not (big or inf or pre) and _YEAR.fullmatch(n1_text):
            return None  # a year written without 年
    else:
        multi = len(n1_text) > 1
        if form == "digits" and not (len(n1_text) >= 3 and _ZERO.search(n1_text)):
            return None
        strong = _STRONG.search(n1_text) or form == "digits"
        if form == "range" and not (inf or g("n2") or strong or "几" in n1_text):
            return None  # 三三两两
        if not multi and not (inf and g("mul2")) and not collective and not (pre and n1_text in sc.num.multipliers):
            return None  # a lone 三 is a word part (三峡 四川); 上亿 近万 and 两城市 are counts
        if not (strong or inf or pre or g("suf") or collective or not (nxt and sc.cjk.match(nxt))):
            return None
    number = lo if form != "range" else (lo + hi) / 2
    lower = upper = None
    if bound == "range":
        lower, upper = _f(lo), _f(hi)
    num_end = m.end("mul2") if g("mul2") else (m.end("n2") if g("n2") is not None else m.end("n1"))
    num_start = m.start("sign") if g("sign") else m.start("n1")
    return _build(m, text, start, end, _f(number), None, "count", "count", _f(number), lower, upper, bound,
                  qualifier, None, "range" if bound == "range" else "bare", (num_start, num_end))


# a full-width comma groups thousands only in the thousands pattern: 1–3 digits (or a group
# before), then exactly 3 digits not followed by another (５，９６０，２８１, 1，992亿元, 34，250万吨);
# a list (增加9万吨，纸520万吨, 2020，2021) keeps its commas, and so does an amount after a currency
# symbol, complete in itself ($20，300美圆: a list of prices). An ideographic space after a digit is
# the layout's space (超过５００　亿元) — elsewhere it indents paragraphs, left alone
# (each pattern begins with its literal character, the lookbehind after it: the scan skips ahead to it)
_D = "[0-9０-９]"
# an Arabic number and a list joiner right before a position (4.2和|0.7个百分点)
_LISTED_NUMBER = re.compile(r"(?<![0-9０-９.．第])(?P<n>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(?P<joiner>、|和|或|及)\s*$")
_NOT_D = "(?<![0-9０-９.．，,$¥￥€£＄])"
_FULLWIDTH_GROUP = re.compile(
    f"，(?<={_D}，)(?:(?<={_NOT_D}{_D}，)|(?<={_NOT_D}{_D}{{2}}，)|(?<={_NOT_D}{_D}{{3}}，)|(?<=[，,]{_D}{{3}}，))"
    f"(?={_D}{{3}}(?!{_D}))")
_DIGIT_SPACE = re.compile("\u3000(?<=[0-9０-９]\u3000)\u3000*")
_PERCENT_SIGNS = "%％‰"


def _dot_as_point(m: re.Match) -> str:
    """`７５·６７` with a decimal point, unless it writes a month and day (３·１５消费者权益日, ９·１１事件):
    two small numbers that could be one, with no percent sign or multiplier after them."""
    before, after, following = m.group(1), m.group(3), m.group(4)
    date_like = len(before) <= 2 and len(after) <= 2 and 1 <= int(before) <= 12 and 1 <= int(after) <= 31
    dot = "." if following in _scanner().after_decimal or not date_like else m.group(2)
    return before + dot + after + following


def _fold(text: str, sc: _Scanner) -> str:
    """Full-width and traditional characters to their plain forms, one for one (offsets kept): the
    numerals' own folding first (參 is the numeral 叁 there), then the whole traditional script, so
    the measure words and units of the simplified rules read it too (一塊蛋糕, 三張, 五圓)."""
    text = _DIGIT_SPACE.sub(lambda m: " " * len(m.group()), _FULLWIDTH_GROUP.sub(",", text))
    if any(dot in text for dot in sc.num.decimal_dots):
        text = sc.decimal_dot.sub(_dot_as_point, text)
    return to_simplified(sc.fold_run.sub(lambda r: r.group().translate(sc.num.fold), text))


def _prefix(text: str, start: int, sc: _Scanner) -> tuple[int, str] | None:
    """The bound word before `start` (约 超过 近 达 …; then maybe 了/有/是 and a space), as (how far
    the span reaches back, the word); a word that sets a bound may stand before a short verb (最高可罚５０万)."""
    j = start
    if j and text[j - 1] == " ":
        j -= 1
    if j and text[j - 1] in "了有是":
        j -= 1
    if not j:
        return None
    c = text[j - 1]
    if c in sc.prefix_ends:
        word = _prefix_word(text, j, sc)
        if word is not None:
            return start - j + len(word), word
    if c in sc.gap_ends:
        for k in range(min(sc.gap_max, j), 0, -1):
            if text[j - k:j] in sc.gap_words:
                word = _prefix_word(text, j - k, sc)
                if word is not None and sc.num.prefix[word] != "exact":
                    return start - j + k + len(word), word
    return None


def _prefix_word(text: str, j: int, sc: _Scanner) -> str | None:
    """The bound word ending at `j`, if one does."""
    if not j or text[j - 1] not in sc.prefix_ends:
        return None  # usually: no bound word ends there
    for k in range(min(sc.prefix_max, j), 0, -1):
        word = text[j - k:j]
        if word in sc.num.prefix:
            guard = sc.num.not_after.get(word)
            if guard and j - k > 0 and text[j - k - 1] in guard:
                continue
            only = sc.num.only_before.get(word)
            if only and text[j:j + 1] not in only:  # right after the word itself (not 大体上有百分之二十)
                continue
            return word
    return None


def _bounding(pre: str | None, sc: _Scanner) -> bool:
    """Whether a bound word sets a bound (超过一个); 达 为 到 leave an article one (到一个新水平)."""
    return pre is not None and sc.num.prefix[pre] != "exact"


@dataclass(frozen=True)
class ScoreRules:
    score: re.Pattern  # two small whole numbers joined by 比, -, ： (re: scanned over every text)
    before: regex.Pattern  # a match word ending right before a score
    after: regex.Pattern  # a match word right after one
    examples: tuple[dict, ...]
    negative: tuple[str, ...]


_SCORE_HINT = re.compile(r"[0-9０-９]\s*(?:比|[-－:：∶])\s*[0-9０-９]")  # a quick test: most texts hold no score
_SCORE_LIST_GAP = regex.compile(r"\s*[、，,和]\s*")  # 11-3、11-9、11-6获胜: a list of game scores


@cache
def load_scores(path: Path | str | None = None) -> ScoreRules:
    """Read and validate rules/scores.yaml: `A比B` / `A-B` / `A∶B` near the match words it lists."""
    path = Path(path) if path is not None else RULES / "scores.yaml"
    data = read_rules(path)
    keys = {"before", "after", "examples", "negative"}
    _check_keys(str(path), data, keys, keys)
    for key in ("before", "after"):
        if not data[key] or len(set(data[key])) != len(data[key]):
            raise ValueError(f"{path}: {key} is empty or has duplicates")
    score = re.compile(r"(?<![0-9０-９.．])(?<![0-9０-９][:：∶\-－])([0-9０-９]{1,3})\s*(?:比|[-－:：∶])\s*([0-9０-９]{1,3})"
                          r"(?![0-9０-９.．%％:：∶\-－万亿千百年月日时点号])")
    return ScoreRules(score, regex.compile(rf"(?:{_alt(data['before'])})\s*[：:]?\s*$"),
                      regex.compile(rf"\s*(?:{_alt(data['after'])})"), tuple(data["examples"]), tuple(data["negative"]))


def _scores(text: str, found: list[QuantityMatch]) -> list[QuantityMatch]:
    """`found` with each match score read as two counts (`2比0` → 2 and 0), replacing whatever
    was read inside it (the bare `3` of `3：1`). A score needs a match word next to it, or to stand
    in a list with one that has (`11-3、11-9、11-6获胜`)."""
    rules = load_scores()
    candidates = list(rules.score.finditer(text)) if _SCORE_HINT.search(text) else []
    accepted = [bool(rules.before.search(text, max(0, m.start() - 8), m.start()) or rules.after.match(text, m.end()))
                for m in candidates]
    for order in (range(1, len(candidates)), range(len(candidates) - 2, -1, -1)):
        for i in order:
            j = i - 1 if order.step == 1 else i + 1
            first, second = sorted((candidates[i], candidates[j]), key=lambda m: m.start())
            if accepted[j] and _SCORE_LIST_GAP.fullmatch(text, first.end(), second.start()):
                accepted[i] = True
    added = []
    for m, ok in zip(candidates, accepted):
        if not ok:
            continue
        for g in (1, 2):
            value = float(m.group(g).translate(_scanner().num.fold))
            added.append(QuantityMatch(m.start(g), m.end(g), m.group(g), value, None, "count", "count", value,
                                       None, None, "exact", None, None, "score", m.start(g), m.end(g)))
    if not added:
        return found
    spans = [(q.start, q.end) for q in added]
    kept = [q for q in found if not any(q.start < e and s < q.end for s, e in spans)]
    return sorted(kept + added, key=lambda q: (q.start, q.end))


def scan_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity in a plain string, in order of start (local offsets)."""
    return _scores(text, _shared_units(text, _scan(text)))


def _shared_units(text: str, found: list[QuantityMatch]) -> list[QuantityMatch]:
    """Numbers listed before a quantity share its unit (`分别高4.2和0.7个百分点`, `5、6元`,
    `增长3、5倍`): each takes the unit and measure word of the quantity that closes the list."""
    joined = _scanner().num.shared_unit_joiners
    out: list[QuantityMatch] = []
    for q in found:
        if q.unit_text and q.number and q.value is not None and q.bound == "exact":
            factor = q.value / q.number
            members = []
            end = q.start
            while True:
                m = _LISTED_NUMBER.search(text, max(0, end - 12), end)
                if not m or m["joiner"] not in joined:
                    break
                if out and out[-1].end > m.start("n"):
                    if out[-1].rule != "bare":
                        break
                    out.pop()  # 为5、6元: the bare 5 takes the unit
                number = float(m["n"].translate(_scanner().num.fold))
                members.insert(0, QuantityMatch(m.start("n"), m.end("n"), m["n"], number, q.unit_text, q.unit,
                                                q.dimension, number * factor, None, None, "exact", None,
                                                q.classifier, "shared_unit", m.start("n"), m.end("n")))
                end = m.start("n")
            out.extend(members)
        out.append(q)
    return out


def _form_quantity(form: FormMatch, folded: str, text: str, sc: _Scanner) -> QuantityMatch:
    """The quantity of a written form (2e5, 3/5, 40k, 半百), with the unit written after it."""
    start, end, number = form.start, form.end, form.value
    if form.form == "fraction":  # 3/5 is 60 %, like 五分之三
        found = QuantityMatch(start, end, text[start:end], number, "/", "%", "percent", number * 100, None, None,
                              "exact", None, None, "fraction", start, end)
    elif form.form == "clock_times":  # 1分1秒76: a duration in seconds
        found = QuantityMatch(start, end, text[start:end], number, "秒", "s", "duration", number, None, None,
                              "exact", None, None, "form_clock_times", start, end)
    elif form.form == "points":  # 得到了8分: 8 points, the measure word 分
        found = QuantityMatch(start, end, text[start:end], number, "分", "count", "count", number, None, None,
                              "exact", None, "分", "form_points", start, end - 1)
    elif form.form in ("medals", "shots", "place_tally", "big_count", "magnitude", "index_points"):  # ７金, 两地, ６级, 点
        counted = text[end - 1:end]
        found = QuantityMatch(start, end, text[start:end], number, counted, "count", "count", number, None, None,
                              "exact", None, counted, f"form_{form.form}", start, end - 1)
    elif form.form == "seeds":  # 赛会3号种子: a rank
        found = QuantityMatch(start, end, text[start:end], number, None, "rank", "rank", number, None, None,
                              "exact", None, None, "form_seeds", start, end - 1)
    elif form.form in ("proportion", "half_words"):  # 每４个…中就有３个: 75 %; 不过半: at most 50 %
        found = QuantityMatch(start, end, text[start:end], number, None, "%", "percent", number, None, None,
                              form.bound, None, None, f"form_{form.form}", start, end)
    elif form.form in ("ages", "interval"):  # 年近７０: under 70 years of age; 四年一届: every 4 years
        found = QuantityMatch(start, end, text[start:end], number, "年", "a", "duration", number, None, None,
                              form.bound, None, None, f"form_{form.form}", start, end)
    elif form.form == "bare_magnitude":  # 万元以上: at least 10000 元
        found = QuantityMatch(start, end, text[start:end], number, "元", "CNY", "currency", number, None, None,
                              form.bound, None, None, "form_bare_magnitude", start, end)
    elif form.form == "percent_words":
        found = QuantityMatch(start, end, text[start:end], number, text[start:end], "%", "percent", number, None,
                              None, "exact", None, None, "form_percent_words", start, end)
    else:
        unit = sc.unit_at.match(folded, end + (folded[end:end + 1] == " "))
        if unit is not None:
            known = sc.units.surfaces[unit.group()]
            found = QuantityMatch(start, unit.end(), text[start:unit.end()], number, unit.group(), known.unit,
                                  known.dimension, number * known.factor + known.offset, None, None, "exact",
                                  None, unit.group() if known.dimension == "count" else None, f"form_{form.form}",
                                  start, end)
        else:
            found = QuantityMatch(start, end, text[start:end], number, None, "count", "count", number, None, None,
                                  "exact", None, None, f"form_{form.form}", start, end)
    return found


def _scan(text: str) -> list[QuantityMatch]:
    """The quantities of the numeral families (everything but match scores); the written forms
    of rules/number_forms.yaml are read first and the numeral grammar reads around them."""
    sc = _scanner()
    folded = _fold(text, sc)
    n = len(folded)
    # a form in Chinese numerals inside an idiom is none (五大三粗, 七大八小)
    written = [f for f in number_forms().find(folded) if not _idiom_end(folded, f.start, sc)]
    form_spans = [(f.start, f.end) for f in written]  # the numeral grammar reads none of these
    forms = [_form_quantity(f, folded, text, sc) for f in written if f.form not in SKIPPED]
    out: list[QuantityMatch] = []
    done = 0  # candidates never overlap: nothing before `done` is read again
    next_form = 0
    for run in sc.seed.finditer(folded):
        rs, re_ = run.span()
        while next_form < len(form_spans) and form_spans[next_form][1] <= rs:
            next_form += 1
        if next_form < len(form_spans) and form_spans[next_form][0] < re_ + 1 and rs < form_spans[next_form][1]:
            done = max(done, form_spans[next_form][1])  # the written form is the quantity here
            continue
        if rs < done:
            continue
        if re_ < n and folded[re_] in sc.time_after:
            rescue = sc.time_rescue[folded[re_]]
            if not (rescue and folded.endswith(rescue, max(0, rs - 8), rs)) and sc.blockers.after.match(folded, re_):
                continue  # 2021年, 8月, 3号, 十九届 (not ３０年历史): the non-quantity rules would block it anyway
        q = rs
        while q > done and rs - q < 3 and folded[q - 1] in sc.lead_chars:
            q -= 1
        if q == rs and re_ - rs == 1 and not folded[rs].isdigit():
            if (re_ == n or folded[re_] not in sc.follow_chars) and not (
                    folded[rs] in sc.num.multipliers and _prefix(folded, rs, sc)):
                continue  # a lone Chinese digit with nothing after it that could make it a quantity (but 上亿)
            if folded[rs] == "一":
                u = sc.unit_at.match(folded, re_)
                if (u and sc.units.surfaces[u.group()].article and not folded.startswith("亿", u.end())
                        and not _bounding((_prefix(folded, rs, sc) or (0, None))[1], sc)):
                    continue  # 一个 一批 一项 (also 提高到一个新水平): an article
        m = None
        for p in range(q, rs + 1):
            m = sc.core.match(folded, p)
            if m is not None and m.end() > rs:
                break
        if m is None:
            continue
        if m.group("u1") and m.group("unit") and m.group("u1") != m.group("unit"):
            # ２５个基点至３．５％: a change and the level it reaches, no range; the first ends at its unit
            m = sc.core.match(folded, m.start(), m.end("u1")) or m
        done = m.end()
        start = m.start()
        found_pre = None if (m.group("rkw") or m.group("fan")) else _prefix(folded, start, sc)
        pre = None
        if found_pre is not None:
            pre = found_pre[1]
            if pre in sc.num.comparison and sc.comparison.search(folded, max(0, start - found_pre[0] - 12),
                                                                 start - found_pre[0]):
                pre = None  # 比原计划超过百分之四: exceeded BY 4 % (the verb of the comparison), no bound
            else:
                start -= found_pre[0]
        blocked_until = _blocked(folded, _core_span(m), sc)
        if blocked_until:
            done = max(done, blocked_until)  # nothing inside a date, code or phone number is read
            continue
        try:
            found = _match(m, pre, start, folded, sc)
        except _NotANumber:
            continue
        if found is not None and found.bound == "exact":
            window = folded[max(0, start - sc.share_max):start]
            share = sc.share_word.search(window) and sc.share.search(window)
            if share:  # 约占全年投资总额的三分之二
                word = next(w for w in sc.num.share if share.group().startswith(w))
                found = replace(found, bound=sc.num.share[word], qualifier=word)
        if found is None:
            continue
        if found.dimension == "count" and (found.unit_text is None or found.unit_text in sc.num.money.measure_words):
            found = _money(found, folded, out[-1] if out else None, sc)
        if folded is not text:
            found = _restore(found, text)
        if out and found.bound == out[-1].bound == "exact" and folded[out[-1].end:found.start] in sc.num.between_joiners \
                and folded.startswith(sc.num.between_closers, found.end) and (out[-1].unit, out[-1].dimension) == (found.unit, found.dimension) \
                and out[-1].value < found.value:
            out[-1] = _two_bounds(replace(out[-1], lower=out[-1].value), replace(found, upper=found.value), text)
            continue  # 在１％和２％之间: one range
        if out and found.bound == "upper" and found.start == out[-1].end and out[-1].bound == "lower":
            merged = _two_bounds(out[-1], found, text)
            if merged is not None:  # ２万元以上１０万元以下: one range
                out[-1] = merged
                continue
        if (out and found.bound == "exact" and found.qualifier is None and out[-1].bound in ("lower", "upper")
                and out[-1].qualifier in sc.num.prefix and out[-1].unit == found.unit
                and folded[out[-1].end:found.start] in sc.num.list_joiners):
            # 超过２万、５万甚至１０万: the bound word before the list bounds each member
            bound = out[-1].bound
            found = replace(found, bound=bound, qualifier=out[-1].qualifier,
                            lower=found.value if bound == "lower" else None,
                            upper=found.value if bound == "upper" else None)
        if next_form < len(form_spans) and found.end > form_spans[next_form][0]:
            continue  # a numeral running into a written form (十2e5): the form wins
        out.append(found)
    found = sorted(out + forms, key=lambda q: (q.start, q.end)) if forms else out
    if any(hint in folded for hint in sc.rate_hints):
        found = [_rate(q, text, folded, sc) for q in found]
    return _compound_amounts(found, text, folded)


_RATE_SEPARATORS = ("/", "每")


def _rate(q: QuantityMatch, text: str, folded: str, sc: _Scanner) -> QuantityMatch:
    """A quantity followed by `/` or 每 and a unit (1毫克/升, 3000元/吨, 0.5吨标准煤/万元) is a rate
    of the dimension rules/units.yaml gives the pair, its value per canonical denominator."""
    if q.unit_text is None or q.value is None:
        return q
    at = q.end
    qualifier = next((w for w in sc.units.rate_qualifiers if folded.startswith(w, at)), "")
    at += len(qualifier)
    if folded[at:at + 1] not in _RATE_SEPARATORS:
        return _hourly_speed(_leading_rate(q, folded, sc), folded, sc)  # (a lone 时速 before a length: km/h)
    at += 1
    multiplier = sc.num.multipliers.get(folded[at:at + 1], 1) if folded[at:at + 1] in "十百千万亿" else 1
    unit = sc.unit_at.match(folded, at + (multiplier != 1))
    if unit is None:
        return q
    denominator = sc.units.surfaces[unit.group()]
    rate = sc.units.rates.get((q.dimension, denominator.dimension))
    if rate is None:
        return q
    currency = q.unit if q.dimension == "currency" else denominator.unit
    value = q.value / (multiplier * denominator.factor * rate.scale)
    return replace(q, end=unit.end(), text=text[q.start:unit.end()],
                   unit_text=folded[q.end - len(q.unit_text):unit.end()] if folded.endswith(q.unit_text, 0, q.end)
                   else q.unit_text + folded[q.end:unit.end()],
                   unit=rate.unit.replace("{currency}", currency), dimension=rate.dimension, value=value,
                   lower=None if q.lower is None else q.lower / (multiplier * denominator.factor * rate.scale),
                   upper=None if q.upper is None else q.upper / (multiplier * denominator.factor * rate.scale),
                   classifier=None, rule="rate")


_GAPPED_RATES = ("concentration", "unit_price")
_LEADING_RATE_MAX_UNIT = 4  # 每平方公里: the longest denominator written before the number
_LEADING_RATE_REACH = 40  # 每公斤…牛奶中三聚氰胺含量最多不得超过: how far before the number its 每 may stand
_LEADING_PER = regex.compile(r"每(?=[^每，,；;。：:！？\n\d０-９]{2,}$)")  # the last 每 of the clause, no number after it


def _leading_rate(q: QuantityMatch, folded: str, sc: _Scanner) -> QuantityMatch:
    """A quantity after 每 and a physical unit (每升０．６５元, 每公斤2.5毫克; with the words of what is
    measured between: 每公斤牛奶中三聚氰胺含量不得超过１毫克, 每桶只卖１４．５０美元) is a rate too; not after 每人 or 每个
    (每人３万元 is an amount for each, not a price)."""
    earlier = _LEADING_PER.search(folded, max(0, q.start - _LEADING_RATE_REACH), q.start)
    for length in range(_LEADING_RATE_MAX_UNIT, 0, -1):
        start = q.start - length
        surface = folded[start:q.start]
        gapped = earlier is not None and (start < 1 or folded[start - 1] != "每")
        if gapped:
            start = earlier.end()  # the unit right after an earlier 每 of the clause
            surface = folded[start:start + length]
        denominator = sc.units.surfaces.get(surface)
        if start < 1 or folded[start - 1] != "每" or denominator is None or denominator.dimension == "count":
            continue
        rate = sc.units.rates.get((q.dimension, denominator.dimension))
        changed = gapped and any(word in folded[start + length:q.start] for word in sc.units.change_gaps)
        if rate is None or (gapped and rate.dimension not in _GAPPED_RATES) or changed:
            # 每亩生产粮食四百斤: what each unit yields, an amount (a concentration or a price is read
            # across words: 每公斤牛奶中…不得超过１毫克, 每桶只卖１４．５０美元; a change across them is
            # an amount: 每吨下降了３５元)
            return q
        currency = q.unit if q.dimension == "currency" else denominator.unit
        scale = denominator.factor * rate.scale
        return replace(q, unit_text=q.unit_text + "/" + surface, unit=rate.unit.replace("{currency}", currency),
                       dimension=rate.dimension, value=q.value / scale,
                       lower=None if q.lower is None else q.lower / scale,
                       upper=None if q.upper is None else q.upper / scale, classifier=None, rule="rate")
    return q


_HOURLY_REACH = 8  # 最高时速可达３５０公里: how far before the number its 时速 may stand


def _hourly_speed(q: QuantityMatch, folded: str, sc: _Scanner) -> QuantityMatch:
    """A length after 时速 in its clause (时速将超过２００公里, 最高时速达３５０公里) is a speed in km/h."""
    if q.dimension != "length" or q.value is None or not sc.units.hourly:
        return q
    before = folded[max(0, q.start - _HOURLY_REACH):q.start]
    before = CLAUSE_BREAK.split(before)[-1]
    if not any(word in before for word in sc.units.hourly):
        return q
    per_km = 1000  # the length's canonical metres as km per hour
    return replace(q, unit="km/h", dimension="speed", value=q.value / per_km,
                   lower=None if q.lower is None else q.lower / per_km,
                   upper=None if q.upper is None else q.upper / per_km, rule="rate")


_AMOUNT_JOINERS = ("", "又", "零")  # 5元3角, 两美元又三美分, 10元零5分


def _compound_amounts(found: list[QuantityMatch], text: str, folded: str) -> list[QuantityMatch]:
    """An amount in a currency's main unit followed by one in its small unit (5元3角 = 5.3 元) is
    one amount, and so is one followed by a small unit that is no unit alone (5元3毛, 6角三分)."""
    out: list[QuantityMatch] = []
    for q in found:
        if out and out[-1].rule == "compound_amount" and q.start < out[-1].end:
            continue  # read as the small unit of the amount before
        last = out[-1] if out else None
        if (last is not None and q.dimension == "currency" and last.unit == q.unit and last.bound == q.bound == "exact"
                and folded[last.end:q.start] in _AMOUNT_JOINERS and q.value is not None and last.value is not None
                and q.number and q.value < q.number and last.number and last.value / last.number
                > q.value / q.number):
            value = last.value + q.value
            out[-1] = _minor_amount(replace(last, end=q.end, text=text[last.start:q.end], number=value,
                                            value=value, rule="compound_amount", num_end=q.num_end), text, folded)
            continue
        out.append(_minor_amount(q, text, folded))
    return out


def _minor_amount(q: QuantityMatch, text: str, folded: str) -> QuantityMatch:
    """`q` with the amount in a small unit of its currency written right after it (5元3毛 = 5.3 元,
    50元6角三分 = 50.63 元, 10元零5分): 毛 and 分 alone are hair, minutes and points, so they are
    units only there, and only below the unit `q` ends with (not 6角3毛)."""
    sc = _scanner()
    minor = sc.minor_at.get(q.unit) if q.dimension == "currency" and q.bound == "exact" else None
    m = minor.match(folded, q.end) if minor is not None and q.value is not None else None
    if m is None:
        return q
    written = max((s for s, u in sc.units.surfaces.items() if u.unit == q.unit and folded.endswith(s, 0, q.end)),
                  key=len, default=None)
    factor = sc.units.minor[q.unit][m["u"]]
    if written is None or sc.units.surfaces[written].factor <= factor:
        return q
    value = _f(q.value + parse_numeral(m["n"])[0] * factor)
    return replace(q, end=m.end(), text=text[q.start:m.end()], number=value, value=value, rule="compound_amount",
                   num_end=m.end("n"))


def _money(q: QuantityMatch, text: str, prev: QuantityMatch | None, sc: _Scanner) -> QuantityMatch:
    """A bare amount in a clause about money is an amount of 元 (the `money` cues of numerals.yaml),
    and so is one counted by a measure word that is the colloquial 元 (花费我三块) when a cue before
    it says so and no noun follows (not 拿出三块蛋糕)."""
    s = q.num_start
    measured = q.unit_text is not None
    if not measured and sc.money_after.match(text, q.num_end):
        return replace(q, unit="CNY", dimension="currency", rule="money")
    cue = sc.money_before.search(text, max(0, s - sc.money_window), s)
    if measured:
        prev = None  # a measure word needs a cue of its own clause
    # a noun after the numeral is what it counts (惠及1100多万学生) unless the cue governs a bare
    # numeral directly (拟拨款３亿明年为…, 最高可罚５０万); after a measure word it always does
    counts_noun = sc.money_noun.match(text, q.end) and (measured or not (cue and cue.end("cue") >= q.start))
    money = not counts_noun and (cue or (prev is not None and prev.rule == "money" and q.start - prev.end <= 8
                                         and not sc.clause_stop.search(text, prev.end, q.start)))
    return replace(q, unit="CNY", dimension="currency", rule="money", classifier=None) if money else q


def _two_bounds(low: QuantityMatch, high: QuantityMatch, text: str) -> QuantityMatch | None:
    """A lower bound right before an upper one of the same unit is one range (２万元以上１０万元以下, 在１％和２％之间)."""
    if (low.unit, low.dimension) != (high.unit, high.dimension) or not low.lower < high.upper:
        return None
    number = None if low.number is None or high.number is None else _f((low.number + high.number) / 2)
    return QuantityMatch(low.start, high.end, text[low.start:high.end], number, high.unit_text, high.unit,
                         high.dimension, _f((low.lower + high.upper) / 2), low.lower, high.upper, "range",
                         (low.qualifier or "") + (high.qualifier or ""), high.classifier, "range", low.num_start,
                         high.num_end)


def _core_span(m: re.Match) -> tuple[int, int]:
    """The numeral of a candidate (without bound words and unit): non-quantity rules test it."""
    n1 = m.span("n1")
    if n1[0] >= 0:  # the common form first
        sign = m.start("sign")
        return (sign if sign >= 0 else n1[0]), max(n1[1], m.end("n2"), m.end("mul2"))
    for name in ("frac", "sl", "fann", "rkn", "symn"):
        span = m.span(name)
        if span[0] >= 0:
            return span


def _restore(q: QuantityMatch, text: str) -> QuantityMatch:
    """Put the original (unfolded) characters back into the text and unit_text."""
    if text.startswith(q.text, q.start):
        return q
    unit_text = q.unit_text
    if unit_text is not None:
        i = q.text.rfind(unit_text)
        if i >= 0:
            unit_text = text[q.start + i:q.start + i + len(unit_text)]
    return QuantityMatch(q.start, q.end, text[q.start:q.end], q.number, unit_text, q.unit, q.dimension, q.value,
                         q.lower, q.upper, q.bound, q.qualifier, q.classifier, q.rule, q.num_start, q.num_end)


# ---------------------------------------------------------------------------------------------
# document level


def _finite(q) -> bool:
    return all(v is None or math.isfinite(v) for v in (q.number, q.value, q.lower, q.upper))


def find_quantities(doc: PreparedDoc) -> list[Quantity]:
    """The quantities of a prepared document, with raw offsets and ids numbered by start."""
    rows = []
    for q in scan_quantities(doc.text):
        if not _finite(q):
            continue  # 1 followed by 400 zeros: no float holds it, and no text means it
        raw_start, raw_end, raw_text = doc.raw_span(q.start, q.end)
        rows.append((raw_start, raw_end, raw_text, q, doc.sent_id_at(q.start)))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [
        Quantity(doc.doc_id, i, sent_id, rs, re_, rt, q.number, q.unit_text, q.unit, q.dimension, q.value, q.lower,
                 q.upper, q.bound, q.qualifier, q.classifier, q.rule)
        for i, (rs, re_, rt, q, sent_id) in enumerate(rows, 1)
    ]


def unit_uses(quantities: Iterable[Quantity]) -> list[UnitUse]:
    """One row per unit surface seen (units.csv), sorted by unit_text then unit."""
    sc = _scanner()
    counts: Counter = Counter()
    for q in quantities:
        if not q.unit_text:
            continue
        d = sc.units.surfaces.get(q.unit_text.translate(sc.num.fold))
        factor = d.factor if d is not None else 1.0
        counts[(q.unit_text, q.unit, q.dimension, factor)] += 1
    return [UnitUse(t, u, dim, f, n) for (t, u, dim, f), n in sorted(counts.items(), key=lambda kv: kv[0])]
