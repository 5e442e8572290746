"""Time expressions, resolved against the document date (the anchor).

Values use one ISO-8601-like vocabulary: `2021-08-23`, `2021-08`, `2021`, `2021-Q1`, `2021-H1`, intervals
`A/B` with both ends included (`2018/2020` is the three years 2018, 2019, 2020), open ends written `..`
(ISO 8601-2: `../2018` = up to 2018, `2015-01-01/..` = from 2015-01-01), durations `P3Y`/`P3M`.

Conventions (what a researcher reading the sentence expects):
- A part without a year (`8月23日`, `上半年`, `一季度`, `年末`) takes the governing year: the last year named
  earlier in the same sentence, else the anchor year — but a month more than eight months after the anchor's is
  last year's (`12月28日` in a report of 1998-01-14 is 1997-12-28). A bare day (`25日`) takes the governing
  month the same way.
- Relative words (`今年`, `去年`, `本月`, `昨天`) count from the anchor. With no anchor — or an anchor too coarse
  for the word (`昨天` against a year-only anchor) — they are reported with an empty value and resolved=false:
  never guessed.
- Spans ending at the document date count whole calendar years. A full-date anchor (news, 2021-08-23) falls
  inside its year, so `三年来` = `近三年` = 2018/2021 (the years the three years touch) — but in the first three
  months of a year it looks back on the years just ended (`近５年来` on 1998-01-25 = 1993/1997); a span ahead counts the
  current year as its first, so `未来五年` = 2021/2025 (as `“十四五”` would be).
  A year-only anchor is an annual report delivered early in that year about the years before it (government
  work reports are read in March), so `过去五年` = (Y-5)/(Y-1), `过去一年` = Y-1, `今后五年` = Y/(Y+4).
  Without an anchor these keep only their length: type duration, value `P3Y`, resolved=false.
- `目前`/`当前`/`截至目前` are the anchor itself (type relative); `截至6月底` is the as-of date 2021-06-30.
  `年末`/`年底` = 12-31 of the governing year (statistics are stocks at year end); `年初` = its January.
- `近年来`, `近日`, `多年来` are vague: no calendar value, resolved=false.
- `X以来` runs from X to the anchor; `X以前`/`X之前`/`X前` = `../X`; `X以后`/`X起`/`X开始` = `X/..`.
- Five-year plans: `“十三五”时期` = 2016/2020; `“十三五”末` = 2020.
- Boundary with quantities: a calendar reference is a time (`2018年`, `2018—2020年`, the year of an event
  name `2021中国国际智能产业博览会`); a bare duration (`会期3天`, `20周年`, `3个月`) is a quantity and is not
  reported here, unless it is tied to the document date (`三年来`, `5天前`). The extraction stage should drop
  quantities that overlap a time span.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import regex

from pipeline.rulefiles import read_rules
from pipeline.prepared import PreparedDoc
from pipeline.script import to_simplified
from pipeline.records import TimeExpr

RULES_PATH = Path(__file__).resolve().parent.parent / "rules" / "times.yaml"


@dataclass(frozen=True)
class TimeMatch:
    """One time expression in a plain string (local offsets)."""
    start: int
    end: int
    text: str
    type: str
    value: str | None
    anchor: str | None
    resolved: bool
    rule: str  # the rule family that found it


# ---------------------------------------------------------------- rules

_FAMILY_KEYS: dict[str, set[str]] = {
    "calendar": {"halves", "edges", "month_thirds", "whole_year"},
    "ranges": {"connectors"},
    "relative_years": {"words", "ambiguous_before", "context_words", "context_only", "base_before"},
    "relative_months": {"words"},
    "relative_days": {"words", "blocked_after", "blocked_before"},
    "relative_weeks": {"words", "days", "blocked_after"},
    "as_of": {"words", "prefixes", "blocked_before"},
    "vague": {"words"},
    "anchored_spans": {"backward_prefixes", "backward_suffixes", "forward_prefixes", "tails", "units"},
    "context_spans": {"prefixes", "tails", "forward_tails", "clause_lead_ins", "heading_prefixes", "first_prefixes",
                      "first_not_after"},
    "ago": {"units", "directions"},
    "open_ranges": {"before", "after", "since", "since_prefixes"},
    "planning_periods": {"periods", "suffixes", "edges", "bare_followers"},
    "decades": set(),
    "event_years": {"suffixes", "blocked_next"},
    "year_lists": {"joiners"},
    "datelines": {"ends", "reach", "max_days_before"},
}
_EXAMPLE_KEYS = {"text", "span", "type", "value", "anchor", "resolved"}
TYPES = {"date", "month", "year", "quarter", "half", "range", "period", "duration", "relative", "vague"}
_UNIT_KINDS = {"year", "month", "day"}
EARLY_YEAR_MONTHS = 3  # a document dated in these first months of a year looks back on the years just ended
# A month named without a year lies at most this many months after the document's: later ones are last year's
# (in a January report, October to December are the months just past).
FUTURE_MONTHS_MAX = 8
# A year written this many years or more before the document's carries to the days and months of the
# paragraph's later sentences (a narrative of the past); a nearer one is more often a comparison
# (2011年增长8%。5月份… in 2012: this May).
NARRATIVE_YEARS_BACK = 2


class RuleError(ValueError):
    """rules/times.yaml is malformed."""


def load_rules(path: Path = RULES_PATH) -> dict[str, Any]:
    """Read and validate the rule file: unknown keys, duplicate words, bad references fail loudly."""
    data = read_rules(path)
    if set(data) - {"version", "default_anchor", "numerals", "families"}:
        raise RuleError(f"unknown top-level keys {set(data) - {'version', 'default_anchor', 'numerals', 'families'}}")
    families = data["families"]
    if set(families) != set(_FAMILY_KEYS):
        raise RuleError(f"families differ from the code's: {set(families) ^ set(_FAMILY_KEYS)}")
    seen: dict[str, str] = {}
    for name, family in families.items():
        unknown = set(family) - _FAMILY_KEYS[name] - {"examples", "negative"}
        if unknown:
            raise RuleError(f"{name}: unknown keys {unknown}")
        if not family.get("examples") or "negative" not in family:
            raise RuleError(f"{name}: needs examples and a negative list")
        for example in family["examples"]:
            if set(example) - _EXAMPLE_KEYS or example.get("type") not in TYPES:
                raise RuleError(f"{name}: bad example {example}")
        for key in ("words",):
            words = family.get(key) or []
            if len(set(words)) != len(list(words)):
                raise RuleError(f"{name}.{key}: duplicate words")
            for word in words:
                if word in seen:
                    raise RuleError(f"{word!r} is in both {seen[word]} and {name}")
                seen[word] = name
    for key in ("anchored_spans", "ago"):
        if set(families[key]["units"].values()) - _UNIT_KINDS:
            raise RuleError(f"{key}.units: kinds must be among {_UNIT_KINDS}")
    dangling = set(families["relative_years"].get("ambiguous_before", {})) - set(families["relative_years"]["words"])
    if dangling:
        raise RuleError(f"relative_years.ambiguous_before names unknown words {dangling}")
    for plan, span in families["planning_periods"]["periods"].items():
        if len(span) != 2 or span[1] - span[0] != 4:
            raise RuleError(f"planning period {plan}: {span} is not five years")
    single = list(families["as_of"]["blocked_before"]) + [
        c for chars in families["relative_years"].get("ambiguous_before", {}).values() for c in chars]
    if any(len(c) != 1 for c in single):
        raise RuleError("blocked_before / ambiguous_before entries must be single characters")
    if set(families["calendar"]["edges"].values()) - {"start", "end"}:
        raise RuleError("calendar.edges: values must be start or end")
    if set(families["calendar"]["halves"].values()) - {"H1", "H2"}:
        raise RuleError("calendar.halves: values must be H1 or H2")
    return data


# ---------------------------------------------------------------- numbers and dates

_WIDE = {**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "／": "/", "－": "-", "　": " ", "：": ":"}


def _fold_width(text: str) -> str:
    """Full-width digits and punctuation to ASCII, same length; `str.replace` per present character is
    several times faster than `str.translate` on CJK text."""
    for wide, narrow in _WIDE.items():
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _number(text: str) -> int:
    """Arabic or Chinese numeral: `2021`, `1 9 9 7` (spaced out), `二〇二一` (digit by digit), `十三`, `二十五`, `两`."""
    text = text.replace(" ", "")
    if text.isdigit():
        return int(text)
    digits = _grammar().rules["numerals"]
    if "十" not in text:
        return int("".join(str(digits[c]) for c in text))
    tens, _, units = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[units] if units else 0)


@dataclass(frozen=True)
class Anchor:
    text: str
    year: int
    month: int | None
    day: int | None


_ANCHOR = regex.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def parse_anchor(anchor: str | None) -> Anchor | None:
    if not anchor:
        return None
    m = _ANCHOR.fullmatch(anchor.strip())
    if not m:
        raise ValueError(f"anchor must be YYYY, YYYY-MM or YYYY-MM-DD, got {anchor!r}")
    return Anchor(anchor.strip(), int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + k
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@dataclass(frozen=True)
class _Point:
    """A calendar unit: kind year|month|day|quarter|half with its fields."""
    kind: str
    year: int
    month: int = 1
    day: int = 1
    part: int = 0  # quarter or half number

    def iso(self) -> str:
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.kind == "day":
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{'Q' if self.kind == 'quarter' else 'H'}{self.part}"

    @property
    def start_key(self) -> tuple[int, int, int]:
        if self.kind == "quarter":
            return self.year, 3 * self.part - 2, 1
        if self.kind == "half":
            return self.year, 6 * self.part - 5, 1
        return self.year, self.month, self.day


_POINT_TYPE = {"year": "year", "month": "month", "day": "date", "quarter": "quarter", "half": "half"}


def _day(year: int, month: int, day: int) -> _Point | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return _Point("day", year, month, day)


# ---------------------------------------------------------------- patterns

def _alt(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


# a year, also with its digits spaced out by the layout (1 9 9 7 年)
Y4 = r"(?<![\d.])(?:1[6-9]\d\d|2[01]\d\d|(?<![\d.] )(?:1 [6-9]|2 [01]) \d \d(?! \d))"
YCN = r"[〇○零Ｏ一二三四五六七八九]{4}"
# a year in Chinese digits without 年 before a noun (一九五八粮食的指标): 19xx/20xx only, not a number
YCN_BARE = r"(?<![〇○零Ｏ一二三四五六七八九十百千万亿])(?:一九|二[〇○零Ｏ])[〇○零Ｏ一二三四五六七八九]{2}(?=[\p{Han}])(?![〇○零Ｏ一二三四五六七八九十百千万亿年点个])"
Y2 = r"(?<![\d.])(?:\d\d(?=\s?年\s?\d{1,2}\s?月)|0\d(?=\s?年(?![来间内里多余])))"
MNUM = r"(?:1[0-2]|0?[1-9]|十[一二]|十|[一二三四五六七八九]|(?<![\d〇一二三四五六七八九十两百千万])元)"
DNUM = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
SMALL = r"(?:\d{1,2}|[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
WEEKDAY = r"(?:[，,]?\s?(?:星期|礼拜|周)[一二三四五六日天])"
_EARLY_NOT = r"(?![步期次级具见心衷稿赛创选审任一二三四五六七八九十])"
# Where a match can start. Each is a superset (a guard below must never reject a real match).
NUM_FIRST = r"\d〇○零Ｏ一二两三四五六七八九十元"  # Y4, YCN, Y2, MNUM, DNUM, SMALL and decades start so
CN_DIGIT = "〇○零Ｏ一二三四五六七八九"
# A calendar number written in Chinese continues with another digit (YCN, 十二), 月 (MNUM) or 季 (quarters).
CAL_CN_START = rf"[{CN_DIGIT}十元][{CN_DIGIT}\s月季]"


def _prefixes(*word_lists) -> str:
    """Alternation of the words' first two characters: a tighter guard than their first characters."""
    return "|".join(sorted({regex.escape(w[:2]) for words in word_lists for w in words}))


GUARD_REACH = 48


def _guarded(body: str, first: str, needs: list[str] | None = None) -> regex.Pattern:
    """Compile `body` behind lookaheads that reject, in one or two steps, the positions no match starts at.

    `regex` tries every alternative at every position (it builds no first-character table for branches that
    open with a lookbehind), which made these patterns crawl. `first` matches how every match begins. `needs`
    lists strings one of which every match contains (a range connector, a unit): one of their first
    characters must come after a run of characters the body can consume — every character written in `body`,
    digits and spaces (the bodies consume no `.`, no negated class, no range but digits) — so positions far
    from any fail fast. That run is looked at for at most GUARD_REACH characters, so a position inside a
    long digit run costs a bounded look, not a scan to the run's end (which made a 20 k-digit run quadratic).
    Both guards admit a superset of the real matches (no time expression runs GUARD_REACH characters before
    its connector or unit), so what matches is unchanged."""
    guard = rf"(?={first})"
    if needs:
        initials = {w[0] for w in needs}
        if any(c.isdigit() or c.isspace() for c in initials):  # would be swallowed by the run below
            raise ValueError(f"needs must not start with a digit or space: {needs}")
        run = "".join(sorted(regex.escape(c) for c in set(body) - initials))
        guard += rf"(?=[{run}\d\s]{{0,{GUARD_REACH}}}+[{''.join(map(regex.escape, sorted(initials)))}])"
    return regex.compile(rf"{guard}(?:{body})")


@dataclass(frozen=True)
class _Grammar:
    cal: regex.Pattern
    range: regex.Pattern
    bare_day: regex.Pattern
    words: regex.Pattern
    anchored: regex.Pattern
    context: regex.Pattern
    ago: regex.Pattern
    plan: regex.Pattern
    plan_follow: regex.Pattern
    decade: regex.Pattern
    event: regex.Pattern
    suffix: regex.Pattern
    since_prefix: regex.Pattern
    as_of_prefix: regex.Pattern
    boundary: regex.Pattern
    year_list_last: regex.Pattern
    year_list_counted: regex.Pattern  # the last of a list that counts its years (一九八一、一九八二两年)
    month_list_item: regex.Pattern  # a month listed before the 月 it shares (５、６月: ５)
    year_list_item: regex.Pattern
    rules: dict


def _year(p: str, f: dict) -> str:
    ambiguous = f["relative_years"].get("ambiguous_before", {})
    yrel = "|".join(
        (rf"(?<![{''.join(ambiguous[w])}]){regex.escape(w)}" if w in ambiguous else regex.escape(w))
        for w in sorted(f["relative_years"]["words"], key=len, reverse=True))
    return rf"(?:(?P<{p}y>{Y4}|{YCN}|{Y2})\s?年|(?P<{p}y>{YCN_BARE})|(?P<{p}yrel>{yrel}))(?:度)?"


def _cal(p: str, f: dict) -> str:
    """Calendar expression with group names prefixed by `p` (so a range can hold two)."""
    mrel = _alt(f["relative_months"]["words"])
    halves = _alt(f["calendar"]["halves"])
    edges = "".join(f["calendar"]["edges"])
    thirds = _alt(f["calendar"]["month_thirds"])
    whole = _alt(f["calendar"]["whole_year"])
    year = _year(p, f)
    month_day = (rf"(?:(?<![\d.])(?P<{p}m>{MNUM})\s?月份?|(?P<{p}mrel>{mrel}))"
                 rf"(?:\s?(?P<{p}d>{DNUM})\s?[日号](?P<{p}wd>{WEEKDAY})?"
                 rf"|(?P<{p}third>{thirds})|(?P<{p}medge>[{edges}]){_EARLY_NOT})?")
    quarter = rf"(?:前(?P<{p}qf>[二三两2-3])个?季度|第?(?P<{p}q>[一二三四1-4])季度)"
    parts = rf"(?P<{p}half>{halves})|{quarter}|(?P<{p}whole>{whole})|{month_day}"
    after_year = (rf"{parts}|前(?P<{p}fm>{MNUM})个月份?"
                  rf"|年?(?P<{p}yedge>[{edges}]){_EARLY_NOT}")
    numeric = (rf"(?P<{p}ny>{Y4})(?P<{p}sep>[./-])(?P<{p}nm>1[0-2]|0?[1-9])(?P={p}sep)"
               rf"(?P<{p}nd>3[01]|[12]\d|0?[1-9])(?![\d.])")
    alone_edge = rf"年(?P<{p}yedge>[{edges}]){_EARLY_NOT}"
    return rf"(?:{numeric}|{year}(?:\s?(?:{after_year}))?|{parts}|{alone_edge})"


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    rules = load_rules()
    f = rules["families"]
    conn = _alt(f["ranges"]["connectors"])
    day_words = f["relative_days"]
    rel_day = (rf"(?<!{'|'.join(map(regex.escape, day_words.get('blocked_before', [])))})"
               if day_words.get("blocked_before") else "")
    rel_day += rf"(?P<dayrel>{_alt(day_words['words'])})(?!{_alt(day_words['blocked_after'])})"
    weeks = f["relative_weeks"]
    rel_week = (rf"(?P<weekrel>{_alt(weeks['words'])})(?P<wday>{_alt(weeks['days'])})?"
                rf"(?!{_alt(weeks['blocked_after'])})")
    as_of = rf"(?<![{''.join(f['as_of']['blocked_before'])}])(?P<asof>{_alt(f['as_of']['words'])})(?![年天日间])"
    vague = rf"(?<![接靠邻附将\d〇一二三四五六七八九十])(?P<vague>{_alt(f['vague']['words'])})"
    span = f["anchored_spans"]
    units = _alt(span["units"])
    tails = "".join(span["tails"])
    anchored = (
        rf"(?:(?P<bp>{_alt(span['backward_prefixes'])})(?P<n>{SMALL})(?P<u>{units})(?:{_alt(span['backward_suffixes'])})?[{tails}]?"
        rf"|(?<![\d.十])(?P<n>{SMALL})多?(?P<u>{units})(?:{_alt(span['backward_suffixes'])})"
        rf"|(?P<fp>{_alt(span['forward_prefixes'])})的?(?P<n>{SMALL})(?P<u>{units})[{tails}]?)"
    )
    span_first = rf"[{NUM_FIRST}]|{_prefixes(span['backward_prefixes'], span['forward_prefixes'])}"
    cs = f["context_spans"]
    context = (
        rf"(?:(?P<cp>{_alt(cs['prefixes'])})(?P<n>{SMALL})年(?P<ct>{_alt(cs['tails'])})?"
        rf"|(?<![\d.十第近多每])(?P<n>{SMALL})年(?P<ct>{_alt(cs['tails'])})"
        rf"|(?<=^|[，,。；;：:\n])(?P<n>{SMALL})年(?={_alt(cs['clause_lead_ins'])})"
        rf"|(?P<hp>{_alt(cs['heading_prefixes'])})(?P<n>{SMALL})年(?=\n|$)"
        rf"|(?P<first>{_alt(cs['first_prefixes'])})(?<!{_alt([a + f for a in cs['first_not_after'] for f in cs['first_prefixes']])})"
        rf"(?P<n>{SMALL})年(?![前后来以度底末初]))"
    )
    ago = (rf"(?<![\d.十第近])(?P<n>{SMALL})(?P<u>{_alt(f['ago']['units'])})"
           rf"(?P<dir>{_alt(f['ago']['directions'])})")
    plans = f["planning_periods"]
    plan = (rf"(?P<q1>[“\"])?(?P<plan>{_alt(plans['periods'])})(?:(?<=个五年)(?:计划|规划))?(?P<q2>[”\"])?"
            rf"(?:(?P<psuf>{_alt(plans['suffixes'])})|(?P<pedge>{_alt(plans['edges'])}))?")
    cal_words = (f["relative_years"]["words"], f["relative_months"]["words"], f["calendar"]["halves"],
                 f["calendar"]["whole_year"])
    cal_first = rf"[\d前第]|{CAL_CN_START}|年[{''.join(f['calendar']['edges'])}]|{_prefixes(*cal_words)}"
    cent = r"(?:\d{2}|二十一|[一二]?十[一二三四五六七八九]?)"
    decade = (rf"(?:(?:(?P<cent>{cent})世纪|(?P<prev>上个?世纪))?(?P<dec>[一二三四五六七八九]十|[1-9]0)年代"
              rf"|(?P<cent2>{cent})世纪(?!\d|[一二三四五六七八九]十年代))")
    ev = f["event_years"]
    event = (rf"(?<![\d.A-Za-z])(?P<ey>(?:19|20)\d\d)(?![\d.]|{_alt(ev['blocked_next'])})"
             rf"(?=[\p{{Han}}A-Za-z·]{{0,15}}?(?:{_alt(ev['suffixes'])}))")
    opens = f["open_ranges"]
    suffix = (rf"(?P<before>{_alt(opens['before'])})|(?P<after>{_alt(opens['after'])})"
              rf"|(?P<since>{_alt(opens['since'])})")
    abare = (rf"(?:{_year('c', f)}\s?)?(?<![\d.])(?:(?P<abare>\d{{1,4}})"
             rf"|(?<=^|[^\p{{Han}}]|年)(?P<abare>{MNUM}|{DNUM}))")
    range_ = (rf"(?:{_cal('a', f)}|{abare})\s?(?:{conn})\s?(?:{_cal('b', f)}|(?P<bday>{DNUM})\s?[日号])"
              rf"|{_cal('a', f)}(?:和|与){_cal('b', f)}之?间")
    bare_day = (r"(?<![\d.\-/月第每近前后连逐隔〇一二三四五六七八九十]|[少多低高大小]于|超过|不满|为期|长达)"
                r"(?P<bd>3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?)日"
                r"(?![本元语均产内游间里历志]|报(?![道称告讯]))")
    return _Grammar(
        cal=_guarded(_cal("", f), cal_first),
        # a range opens with a calendar expression or, after a non-Han character or 年, any bare number (abare)
        range=_guarded(range_, rf"{cal_first}|(?<=^|[^\p{{Han}}]|年)[{CN_DIGIT}十元]",
                       [*f["ranges"]["connectors"], "和", "与"]),
        bare_day=regex.compile(bare_day),
        words=_guarded(rf"{rel_week}|{rel_day}|{as_of}|{vague}",
                       _prefixes(weeks["words"], day_words["words"], f["as_of"]["words"], f["vague"]["words"])),
        anchored=_guarded(anchored, span_first, list(span["units"])),
        context=_guarded(context, rf"[{NUM_FIRST}]|{_prefixes(cs['prefixes'], cs['heading_prefixes'], cs['first_prefixes'])}",
                         ["年"]),
        ago=_guarded(ago, rf"[{NUM_FIRST}]", list(f["ago"]["units"])),
        plan=_guarded(plan, rf"[“\"]|{_prefixes(plans['periods'])}"),
        plan_follow=regex.compile(_alt(plans["bare_followers"])),
        decade=_guarded(decade, rf"[{NUM_FIRST}上]", ["世纪", "年代"]),
        event=regex.compile(event),
        suffix=regex.compile(suffix),
        since_prefix=regex.compile(rf"(?:{_alt(opens['since_prefixes'])})$"),
        as_of_prefix=regex.compile(rf"(?:{_alt(f['as_of']['prefixes'])})$"),
        boundary=regex.compile(r"[\n。！？!?]"),
        year_list_last=regex.compile(rf"(?:\d{{4}}|{YCN})\s?年"),
        year_list_counted=regex.compile(rf"(?:\d{{4}}|{YCN})(?=[两二三四五六七八九十]{{1,2}}年)"),
        year_list_item=regex.compile(rf"(?<![\d{CN_DIGIT}十百千万亿.])(?P<year>\d{{4}}|{YCN})(?:{_alt(f['year_lists']['joiners'])})$"),
        month_list_item=regex.compile(rf"(?<![\d{CN_DIGIT}十百千万亿.年月日])(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
                                      rf"(?:{_alt(f['year_lists']['joiners'])})$"),
        rules=rules,
    )


# ---------------------------------------------------------------- resolution

@dataclass
class _Context:
    anchor: Anchor | None
    year: int | None = None  # governing year named earlier in the sentence
    month: tuple[int, int] | None = None  # governing (year, month)
    paragraph_year: int | None = None  # the year last written in digits in an earlier sentence of the paragraph

    def base_year(self) -> int | None:
        return self.year if self.year is not None else (self.anchor.year if self.anchor else None)

    def base_month(self) -> tuple[int, int] | None:
        if self.month is not None:
            return self.month
        if self.anchor and self.anchor.month:
            return self.anchor.year, self.anchor.month
        return None


@dataclass(frozen=True)
class _Resolved:
    type: str
    value: str | None
    resolved: bool
    start: _Point | None = None  # first and last unit, for open ranges and context
    end: _Point | None = None


def _unresolved(kind: str) -> _Resolved:
    return _Resolved(kind, None, False)


def _single(point: _Point | None, kind: str) -> _Resolved:
    if point is None:
        return _unresolved(kind)
    return _Resolved(_POINT_TYPE[point.kind], point.iso(), True, point, point)


def _span(a: _Point | None, b: _Point | None, kind: str = "range") -> _Resolved:
    """From `a` to `b`; whole quarters or halves of months are written as those (前六个月 and 1-6月 are
    2012-H1, 4-6月 2012-Q2, 1-9月 2012-Q1/2012-Q3, 1-12月 the year 2012), as 上半年 and 前三季度 are."""
    if a is None or b is None:
        return _unresolved(kind)
    if a.kind == b.kind == "month" and a.year == b.year and a.month % 3 == 1 and b.month % 3 == 0 \
            and b.month > a.month:
        if (a.month, b.month) == (1, 12):
            return _single(_Point("year", a.year), kind)
        if (a.month, b.month) in ((1, 6), (7, 12)):
            return _single(_Point("half", a.year, part=b.month // 6), kind)
        a, b = _Point("quarter", a.year, part=a.month // 3 + 1), _Point("quarter", b.year, part=b.month // 3)
        if a == b:
            return _single(a, kind)
    return _Resolved(kind, f"{a.iso()}/{b.iso()}", True, a, b)


def _year_of(g: dict, p: str, ctx: _Context, offsets: dict) -> tuple[int | None, bool]:
    """(year, explicit?) of a calendar match: written, relative to the anchor (上年: to the year
    named before it in the sentence), or governing."""
    if g.get(p + "y"):
        text = g[p + "y"]
        year = _number(text)
        if len(text) == 2:
            pivot = (ctx.anchor.year if ctx.anchor else 2000) % 100 + 10
            year += 2000 if year <= pivot else 1900
        return year, True
    if g.get(p + "yrel"):
        word = g[p + "yrel"]
        relative = _grammar().rules["families"]["relative_years"]
        if ctx.year is not None and word in relative["context_words"]:
            return ctx.year + offsets[word], True  # 1979年…由上年的74.3％: the year before 1979
        if word in relative.get("context_only", ()):
            return None, True  # 当年 with no year before it: back then
        return (ctx.anchor.year + offsets[word] if ctx.anchor else None), True
    if g.get(p + "ny"):
        return int(g[p + "ny"]), True
    return ctx.base_year(), False


def _resolve_cal(g: dict, p: str, ctx: _Context, rules: dict) -> _Resolved:
    f = rules["families"]
    cal = f["calendar"]
    if g.get(p + "ny"):
        return _single(_day(int(g[p + "ny"]), int(g[p + "nm"]), int(g[p + "nd"])), "date")
    year, explicit = _year_of(g, p, ctx, f["relative_years"]["words"])
    if g.get(p + "half"):
        n = int(cal["halves"][g[p + "half"]][1])
        return _single(_Point("half", year, part=n) if year else None, "half")
    if g.get(p + "q") or g.get(p + "qf"):
        n = _number(g.get(p + "q") or g[p + "qf"])
        if year is None:
            return _unresolved("quarter" if g.get(p + "q") else "range")
        if g.get(p + "qf"):
            return _span(_Point("quarter", year, part=1), _Point("quarter", year, part=n))
        return _single(_Point("quarter", year, part=n), "quarter")
    if g.get(p + "fm"):
        if year is None:
            return _unresolved("range")
        return _span(_Point("month", year, 1), _Point("month", year, _number(g[p + "fm"])))
    if g.get(p + "yedge"):
        if year is None:
            return _unresolved("date")
        if cal["edges"][g[p + "yedge"]] == "end":
            return _single(_Point("day", year, 12, 31), "date")
        return _single(_Point("month", year, 1), "month")
    if g.get(p + "m") or g.get(p + "mrel"):
        if g.get(p + "mrel"):
            base = ctx.anchor and ctx.anchor.month and (ctx.anchor.year, ctx.anchor.month)
            if not base:
                return _unresolved("date" if g.get(p + "d") else "month")
            year, month = _add_months(*base, f["relative_months"]["words"][g[p + "mrel"]])
        else:
            month = _number(g[p + "m"])
            if not explicit and ctx.year is None and ctx.paragraph_year is not None:
                year = ctx.paragraph_year  # １９４２年１０月，…。１１月１１日，…: the year the narrative is in
            elif not explicit and ctx.year is None and ctx.anchor and ctx.anchor.month \
                    and month - ctx.anchor.month > FUTURE_MONTHS_MAX:
                year -= 1  # １２月２８日 in a report of 1998-01-14: the December just past, not the next
        if year is None:
            return _unresolved("date" if g.get(p + "d") or g.get(p + "medge") else "month")
        if g.get(p + "d"):
            return _single(_day(year, month, _number(g[p + "d"])), "date")
        if g.get(p + "third"):
            third = cal["month_thirds"][g[p + "third"]]
            first, last = 10 * third - 9, (10 * third if third < 3 else _last_day(year, month))
            return _span(_Point("day", year, month, first), _Point("day", year, month, last))
        if g.get(p + "medge"):
            if cal["edges"][g[p + "medge"]] == "end":
                return _single(_Point("day", year, month, _last_day(year, month)), "date")
        return _single(_Point("month", year, month), "month")
    if year is None:
        return _unresolved("year")
    return _single(_Point("year", year), "year")


def _bare_day(day: int, ctx: _Context) -> _Resolved:
    base = ctx.base_month()
    return _single(_day(*base, day) if base else None, "date")


def _resolve_range(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    b_has_year = bool(g.get("by") or g.get("byrel") or g.get("bny"))
    a_bare = g.get("abare")
    if a_bare:
        year, explicit = _year_of(g, "c", ctx, rules["families"]["relative_years"]["words"])
        b = _resolve_cal(g, "b", _Context(ctx.anchor, year, ctx.month) if explicit else ctx, rules)
        if b.start is None:
            return _unresolved("range")
        n = _number(a_bare)
        kind = b.start.kind
        if kind == "year":
            a = _Point("year", n)
        elif kind == "month":
            a = _Point("month", b.start.year, n) if 1 <= n <= 12 else None
        elif kind == "day":
            a = _day(b.start.year, b.start.month, n)
        else:
            a = _Point(kind, b.start.year, part=n) if 1 <= n <= (4 if kind == "quarter" else 2) else None
        return _span(a, b.start)
    a = _resolve_cal(g, "a", ctx, rules)
    if a.start is None:
        return _unresolved("range")
    inner = _Context(ctx.anchor, a.start.year, (a.start.year, a.start.month))
    if g.get("bday"):
        return _span(a.start, _day(a.start.year, a.start.month, _number(g["bday"])))
    b = _resolve_cal(g, "b", inner, rules)
    if b.end is None:
        return _unresolved("range")
    end = b.end
    if not b_has_year and end.start_key < a.start.start_key:  # 8月至2月: into the next year
        end = _Point(end.kind, end.year + 1, end.month, end.day, end.part)
        if end.kind == "day" and _day(end.year, end.month, end.day) is None:
            return _unresolved("range")
    return _span(a.start, end)


def _resolve_anchored(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    n = _number(g["n"])
    unit = rules["families"]["anchored_spans"]["units"][g["u"]]
    forward = bool(g.get("fp"))
    anchor = ctx.anchor
    if anchor is None or (unit == "month" and not anchor.month):
        return _Resolved("duration", f"P{n}{'Y' if unit == 'year' else 'M'}", False)
    if unit == "year":
        # the current year counts when it is well under way; in its first months the N years are
        # the N just ended (近５年来 on 1998-01-25: 1993/1997), as for a year-only anchor
        partial = anchor.month is not None and anchor.month > EARLY_YEAR_MONTHS
        if forward:
            a, b = anchor.year, anchor.year + n - 1
        else:
            a, b = anchor.year - n, anchor.year - (0 if partial else 1)
        if a == b:
            return _single(_Point("year", a), "year")
        return _span(_Point("year", a), _Point("year", b), "period")
    here = (anchor.year, anchor.month)
    there = _add_months(*here, n if forward else -n)
    a, b = (here, there) if forward else (there, here)
    return _span(_Point("month", *a), _Point("month", *b), "period")


def _resolve_ago(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    f = rules["families"]["ago"]
    n = _number(g["n"]) * f["directions"][g["dir"]]
    unit = f["units"][g["u"]]
    anchor = ctx.anchor
    kind = {"year": "year", "month": "month", "day": "date"}[unit]
    if anchor is None or (unit != "year" and not anchor.month) or (unit == "day" and not anchor.day):
        return _unresolved(kind)
    if unit == "year":
        return _single(_Point("year", anchor.year + n), kind)
    if unit == "month":
        return _single(_Point("month", *_add_months(anchor.year, anchor.month, n)), kind)
    day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=n)
    return _single(_Point("day", day.year, day.month, day.day), kind)


def _resolve_week(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    """上周 is Monday to Sunday of the week before the anchor's; 上周五 one day of it, 上周末 its weekend."""
    anchor = ctx.anchor
    weeks = rules["families"]["relative_weeks"]
    kind = "date" if g.get("wday") and len(weeks["days"][g["wday"]]) == 1 else "range"
    if anchor is None or anchor.day is None:
        return _unresolved(kind)
    day = dt.date(anchor.year, anchor.month, anchor.day)
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks["words"][g["weekrel"]])
    first, *rest = weeks["days"][g["wday"]] if g.get("wday") else (1, 7)
    a, b = (monday + dt.timedelta(days=n - 1) for n in (first, rest[-1] if rest else first))
    if kind == "date":
        return _single(_Point("day", a.year, a.month, a.day), "date")
    return _span(_Point("day", a.year, a.month, a.day), _Point("day", b.year, b.month, b.day))


def _resolve_words(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    anchor = ctx.anchor
    if g.get("weekrel"):
        return _resolve_week(g, ctx, rules)
    if g.get("dayrel"):
        if anchor is None or anchor.day is None:
            return _unresolved("date")
        offset = rules["families"]["relative_days"]["words"][g["dayrel"]]
        day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=offset)
        return _single(_Point("day", day.year, day.month, day.day), "date")
    if g.get("asof"):
        return _Resolved("relative", anchor.text, True) if anchor else _unresolved("relative")
    return _Resolved("vague", None, False)


def _resolve_plan(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    plans = rules["families"]["planning_periods"]
    first, last = plans["periods"][g["plan"]]
    edge = g.get("pedge")
    if edge:
        year = last if edge in ("末", "收官之年") else first
        return _single(_Point("year", year), "year")
    return _span(_Point("year", first), _Point("year", last), "period")


def planning_periods() -> dict[str, list[int]]:
    """The five-year plans by name with their first and last years (rules/times.yaml, read once)."""
    return _grammar().rules["families"]["planning_periods"]["periods"]


def _running_plan(chosen: list[_Candidate], anchor: Anchor | None) -> str | None:
    """The value of a five-year plan the document names that runs at the document date (`1953/1957`
    in a 1955 report on the first five-year plan)."""
    if anchor is None:
        return None
    for cand in chosen:
        if cand.family == "planning_periods" and not cand.match["pedge"]:
            first, last = planning_periods()[cand.match["plan"]]
            if first <= anchor.year <= last:
                return f"{first}/{last}"
    return None


def years_long(value: str | None) -> int | None:
    """Number of calendar years a `YYYY/YYYY` period touches."""
    match = regex.fullmatch(r"(\d{4})/(\d{4})", value or "")
    return int(match[2]) - int(match[1]) + 1 if match else None


def _resolve_context_span(g: dict, ctx: _Context, rules: dict, earlier: list[TimeMatch],
                          running_plan: str | None) -> _Resolved:
    """`这五年`, `五年内`: the nearest earlier period of N years (N+1 when it counts the current
    partial year, `过去五年` against a full date), else the plan running at the document date
    (N = 5), else N years back from the document date (forward after 内/之内/以内). `前三年`:
    the first N years of the nearest earlier period at least that long (the period itself when it is
    N years: 从一九七九年到一九八二年的四年内…前四年内), else of the running plan."""
    n = _number(g["n"])
    if n == 1:  # 这一年 is the year just named, which governs on its own
        return _Resolved("duration", "P1Y", False)
    if g.get("first"):  # 前三年: the first years of a longer period named before, or that period itself
        for match in reversed(earlier):
            if match.type in ("period", "range") and (years_long(match.value) or 0) >= n:
                first = int(match.value[:4])
                return _span(_Point("year", first), _Point("year", first + n - 1), "period")
        if running_plan:
            first = int(running_plan[:4])
            return _span(_Point("year", first), _Point("year", first + n - 1), "period")
        return _Resolved("duration", f"P{n}Y", False)
    for match in reversed(earlier):
        if match.type in ("period", "range") and years_long(match.value) in (n, n + 1):
            first, last = map(int, match.value.split("/"))
            return _span(_Point("year", first), _Point("year", last), "period")
    if n == 5 and running_plan:
        first, last = map(int, running_plan.split("/"))
        return _span(_Point("year", first), _Point("year", last), "period")
    forward = g.get("ct") in rules["families"]["context_spans"]["forward_tails"]
    return _resolve_anchored({"n": g["n"], "u": "年", "fp": "forward" if forward else None}, ctx, rules)


def _resolve_decade(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    if g.get("cent2"):
        century = _number(g["cent2"])
        return _span(_Point("year", century * 100 - 99), _Point("year", century * 100), "period")
    decade = _number(g["dec"])
    if g.get("cent"):
        base = (_number(g["cent"]) - 1) * 100
    elif g.get("prev"):
        if ctx.anchor is None:
            return _unresolved("period")
        base = (ctx.anchor.year - 1) // 100 * 100 - 100
    else:  # the latest such decade not after the anchor; modern text when undated
        year = ctx.anchor.year if ctx.anchor else 1999
        base = (year - decade) // 100 * 100
    return _span(_Point("year", base + decade), _Point("year", base + decade + 9), "period")


def _resolve_event(g: dict, ctx: _Context, rules: dict) -> _Resolved:
    return _single(_Point("year", int(g["ey"])), "year")


_ISO_PREFIX = regex.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _open(res: _Resolved, kind: str, ctx: _Context) -> _Resolved:
    """Wrap a resolved time with an open-range suffix (以前 / 以后 / 以来)."""
    if res.value is None or res.start is None:
        return _unresolved("range" if kind != "since" else "period")
    if kind == "before":
        return _Resolved("range", f"../{res.value}", True, None, res.end)
    anchor = ctx.anchor
    if kind == "since" and anchor is not None:
        anchor_key = (anchor.year, anchor.month or 12, anchor.day or 31)
        if res.start.start_key <= anchor_key:
            # to the reporting date at the start's precision: 2018年以来 -> 2018/2021, 5月以来 -> 2021-05/2021-08
            start = res.start.iso()
            end = anchor.text[:len(start)] if _ISO_PREFIX.fullmatch(start) else anchor.text
            return _Resolved("period", start if end == start else f"{start}/{end}", True, res.start, None)
    return _Resolved("range", f"{res.start.iso()}/..", True, res.start, None)


# ---------------------------------------------------------------- scanning

@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    family: str
    match: Any
    resolver: Callable  # (groups, context, rules) -> _Resolved; context spans also take the earlier matches
    opening: str | None = None  # before | after | since
    priority: int = 0


def _calendar_candidates(g: _Grammar, text: str) -> list[_Candidate]:
    out = []
    calendar_like = [(g.range, "ranges", _resolve_range, 0),
                     (g.cal, "calendar", lambda groups, c, r: _resolve_cal(groups, "", c, r), 1),
                     (g.bare_day, "calendar", lambda groups, c, r: _bare_day(_number(groups["bd"]), c), 2)]
    for pattern, family, resolver, priority in calendar_like:
        for m in pattern.finditer(text):
            start, end, opening = m.start(), m.end(), None
            if family == "calendar":
                suffix = g.suffix.match(text, end)
                if suffix:
                    opening = suffix.lastgroup
                    end = suffix.end()
            prefix = g.since_prefix.search(text, max(0, start - 2), start)
            if prefix and (opening in ("since", "after") or (opening is None and prefix[0] == "自从")):
                start, opening = prefix.start(), opening or "since"
            else:
                as_of = g.as_of_prefix.search(text, max(0, start - 3), start)
                if as_of:
                    start = as_of.start()
            out.append(_Candidate(start, end, family, m, resolver, opening, priority))
    return out


def _other_candidates(g: _Grammar, text: str) -> list[_Candidate]:
    out = []
    simple = [(g.words, "words", _resolve_words), (g.anchored, "anchored_spans", _resolve_anchored),
              (g.ago, "ago", _resolve_ago), (g.decade, "decades", _resolve_decade),
              (g.event, "event_years", _resolve_event)]
    for pattern, family, resolver in simple:
        for m in pattern.finditer(text):
            name = family
            if family == "words":
                name = "relative_weeks" if m["weekrel"] else "relative_days" if m["dayrel"] \
                    else "as_of" if m["asof"] else "vague"
            out.append(_Candidate(m.start(), m.end(), name, m, resolver, priority=1))
    for m in g.plan.finditer(text):
        quoted = bool(m["q1"] and m["q2"])
        # 第一个五年计划 needs no quotes or suffix, nor does 第一个五年 unless a `的` phrase makes it any
        # five years (新征程的第一个五年)
        named = m["plan"].startswith("第") and (m[0].endswith("划") or text[m.start() - 1:m.start()] != "的")
        if quoted or named or m["psuf"] or m["pedge"] or g.plan_follow.match(text, m.end()):
            out.append(_Candidate(m.start(), m.end(), "planning_periods", m, _resolve_plan, priority=1))
    for m in g.context.finditer(text):
        out.append(_Candidate(m.start(), m.end(), "context_spans", m, _resolve_context_span, priority=2))
    return out


@lru_cache(maxsize=None)
def _group_names(pattern: regex.Pattern) -> tuple[str | None, ...]:
    names: list[str | None] = [None] * pattern.groups
    for name, index in pattern.groupindex.items():
        names[index - 1] = name
    return tuple(names)


def _groups(m) -> dict[str, str | None]:
    """`m.groupdict()`, five times faster: `regex` builds groupdict slowly (~9 µs on a calendar match)."""
    return dict(zip(_group_names(m.re), m.groups()))


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Leftmost-longest, non-overlapping."""
    chosen: list[_Candidate] = []
    last_end = -1
    for cand in sorted(candidates, key=lambda c: (c.start, c.start - c.end, c.priority)):
        if cand.start >= last_end:
            chosen.append(cand)
            last_end = cand.end
    return chosen


_DIGIT_YEAR = ("y", "ny", "ay", "any", "by", "bny", "cy")  # groups writing a year in digits (not 去年)
_WRITTEN_YEAR = ("y", "yrel", "ny", "ay", "ayrel", "any", "by", "byrel", "bny", "cy", "cyrel")  # groups naming a year


def scan_times(text: str, anchor: str | None, paragraph_starts: list[int] = ()) -> list[TimeMatch]:
    """All time expressions in `text` (local offsets), resolved against `anchor`; in a datelined
    report, days and weeks relative to today (今天, 昨天, 本周) against the dateline's day. A day or
    month without its year takes the year an earlier sentence of its paragraph wrote in digits, when
    that lies two or more years back (１９４２年１０月，…。１１月１１日，…: 1942), the paragraphs starting
    at `paragraph_starts`."""
    matches = _scan_times(text, anchor, paragraph_starts)
    reporter_day = dateline_day(text, anchor)
    if reporter_day is None:
        return matches
    return [next((replace(m, start=match.start, end=match.end) for m in _scan_times(match.text, reporter_day)
                  if (m.start, m.end) == (0, len(match.text))), match)
            if match.rule in _REPORTER_RELATIVE else match for match in matches]


_REPORTER_RELATIVE = ("relative_days", "relative_weeks")


def _scan_times(text: str, anchor: str | None, paragraph_starts: list[int] = ()) -> list[TimeMatch]:
    g = _grammar()
    ascii_text = _fold_width(text)  # same length: offsets are unchanged
    chosen = _select(_calendar_candidates(g, ascii_text) + _other_candidates(g, ascii_text))
    parsed = parse_anchor(anchor)
    ctx = _Context(parsed)
    previous = -1
    out: list[TimeMatch] = []
    running_plan = _running_plan(chosen, parsed)
    paragraph_year = None
    base_before = tuple(g.rules["families"]["relative_years"].get("base_before", ()))
    for cand in chosen:
        if g.boundary.search(ascii_text, previous + 1, cand.start + 1):  # a new sentence: a fresh context
            if bisect_right(paragraph_starts, cand.start) > bisect_right(paragraph_starts, previous):
                paragraph_year = None
            ctx = _Context(parsed, paragraph_year=paragraph_year)
        previous = cand.start
        groups = _groups(cand.match)
        if cand.family == "context_spans":  # resolved by the periods named before it
            res = cand.resolver(groups, ctx, g.rules, out, running_plan)
        else:
            res = cand.resolver(groups, ctx, g.rules)
        if cand.opening:
            res = _open(res, cand.opening, ctx)
        if res.start is not None and cand.family in ("calendar", "ranges"):
            if any(map(groups.get, _WRITTEN_YEAR)) and not text.endswith(base_before, 0, cand.start):
                ctx.year = (res.end or res.start).year
            year = (res.end or res.start).year
            if any(map(groups.get, _DIGIT_YEAR)) and (parsed is None or parsed.year - year >= NARRATIVE_YEARS_BACK):
                paragraph_year = year
            point = res.end or res.start
            if point.kind in ("month", "day"):
                ctx.month = (point.year, point.month)
        out.append(TimeMatch(cand.start, cand.end, text[cand.start:cand.end], res.type,
                             res.value, parsed.text if parsed else None, res.resolved, cand.family))
    return sorted(out + _listed_years(g, ascii_text, text, out, parsed), key=lambda m: (m.start, m.end))


def _listed_years(g: _Grammar, ascii_text: str, text: str, found: list[TimeMatch],
                  parsed: Anchor | None) -> list[TimeMatch]:
    """The bare years listed before a year they share 年 with (1995、1996、1997年: 1995 and 1996), or
    before the count of the years listed (一九八一、一九八二两年: 一九八一); a month before the month it
    shares 月 with (５、６月: ５)."""
    out = []
    taken = {(m.start, m.end) for m in found}
    for match in found:
        if match.type == "month" and match.rule == "calendar" and match.text[-1:] == "月" and match.value:
            # ５、６月: the month listed before is the same year's
            item = g.month_list_item.search(ascii_text, max(0, match.start - 4), match.start)
            month = _number(item["month"]) if item else 0
            if item and 1 <= month <= 12 and (item.start("month"), item.end("month")) not in taken:
                out.append(TimeMatch(item.start("month"), item.end("month"), text[item.start("month"):item.end("month")],
                                     "month", f"{match.value[:4]}-{month:02d}", parsed.text if parsed else None, True,
                                     "year_lists"))
            continue
        if match.type != "year" or match.rule != "calendar" or not (
                g.year_list_last.fullmatch(ascii_text, match.start, match.end)
                or g.year_list_counted.match(ascii_text, match.start)):  # 一九八一、一九八二两年
            continue
        end = match.start
        while (item := g.year_list_item.search(ascii_text, max(0, end - 8), end)) is not None:
            end = item.start()
            if (item.start("year"), item.end("year")) in taken:  # 一九五七 (a bare Chinese year) is found already
                continue
            year = _number(item["year"])
            out.append(TimeMatch(item.start("year"), item.end("year"), text[item.start("year"):item.end("year")],
                                 "year", str(year), parsed.text if parsed else None, True, "year_lists"))
    return out


def dateline_day(text: str, anchor: str | None) -> str | None:
    """The day a news dateline opening one of the first paragraphs gives (本报汉城１月１３日电, a day
    before the paper is dated), when it is within a week before the anchor: the reporter's 今天."""
    parsed = parse_anchor(anchor)
    if parsed is None or parsed.day is None:  # no day to count back from: nothing to read
        return None
    family = _grammar().rules["families"]["datelines"]
    match = _dateline_pattern(tuple(family["ends"])).search(_fold_width(text[:family["reach"]]))
    if match is None:
        return None
    month, day = int(match["m"]), int(match["d"])
    year = parsed.year - 1 if month > parsed.month else parsed.year
    try:
        written = dt.date(year, month, day)
    except ValueError:
        return None
    lag = (dt.date(parsed.year, parsed.month, parsed.day) - written).days
    return written.isoformat() if 0 < lag <= family["max_days_before"] else None


@lru_cache(maxsize=None)
def _dateline_pattern(ends: tuple[str, ...]) -> regex.Pattern:
    return regex.compile(rf"(?:^|\n)[^\n]{{0,30}}?(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})日[^\n\d]{{0,6}}?(?:{_alt(ends)})")


def find_times(doc: PreparedDoc) -> list[TimeExpr]:
    """Time rows of a prepared document, in raw offsets, numbered 1..n in start order; traditional
    script is scanned folded to simplified (第一個五年計劃), the rows keep the text as written."""
    rows = []
    for match in scan_times(to_simplified(doc.text), doc.anchor, doc.paragraph_starts):
        raw_start, raw_end, raw_text = doc.raw_span(match.start, match.end)
        rows.append((raw_start, raw_end, raw_text, match, doc.sent_id_at(match.start)))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [TimeExpr(doc.doc_id, i, sent_id, start, end, raw_text, m.type, m.value, m.anchor, m.resolved)
            for i, (start, end, raw_text, m, sent_id) in enumerate(rows, 1)]
