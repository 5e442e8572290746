"""Time linker: the period a claim's number refers to, and the rule that chose it.

The number's own time first (`1954年的97个`, a date in its brackets, the nearest governing time
before it in its sentence, one right after it), else what the discourse carries (a table's
caption, the paragraph's time, the section heading's), else the document: in an annual report
the year it reviews for facts and its own year for targets, elsewhere the document date.
"""

from __future__ import annotations

import calendar
from functools import cache
from typing import NamedTuple

import regex

from pipeline import times as time_stage
from pipeline.claims.context import (COMPARED, COMPARED_WITH, LIST_JOINERS, TRIM, WRITTEN_YEAR, DocumentContext, Placed,
                                     inside_quoted_name)
from pipeline.quantities import parse_numeral
from pipeline.records import Quantity, TimeExpr

GOVERNING_TYPES = {"date", "month", "year", "quarter", "half", "range", "period", "relative"}
CARRIED_TYPES = {"date", "month", "year", "quarter", "half", "relative", "period"}  # to later sentences
RATIO_DIMENSIONS = {"multiple", "percent"}
YEAR_END_REVIEW_MONTHS = 3  # early in a year, "the past year" is the calendar year just ended
AFTER_TIME_REACH = 6  # `１１种大病明年有望…`: a time right after the number's noun
CLOSING_CLAUSE_CHARS = 4  # `，一九五九年建成。`: a date and a verb closing the sentence
_TIME_VALUE = regex.compile(r"(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?(?:-(\d{2}))?")
_PRESENT_STATE = regex.compile(r"已(?!于)")
_YEARLESS_TYPES = {"quarter", "half", "month", "range"}  # periods a text may name without their year
_YEAR = regex.compile(r"\d{4}")
_DATE_OR_MONTH = regex.compile(r"\d{4}-\d{2}(?:-\d{2})?")
PAST_DAY_MONTHS_AHEAD = 2  # a yearless day this many calendar months after the document date, told as done: last year's
_YEAR_SPAN = regex.compile(r"(\d{4})/(\d{4})")
_YEAR_PART = regex.compile(r"(\d{4})-(?:H[12]|Q[1-4]|\d{2})")  # 2012-H1, 2012-01/2012-05: a part of a year
_CARRIED_RULES = ("time.paragraph", "time.section")
TIME_LIST_REACH = 14  # 二〇一二年六月十一日和: how far before a listed time the one before it may start
_DAY_RANGE = regex.compile(r"(\d{4}-\d{2})-\d{2}/(\d{4}-\d{2})-\d{2}")
_MONTH_START = regex.compile(r"\d{4}-\d{2}")
_DATE = regex.compile(r"(\d{4})-(\d{2})-(\d{2})")


class TimeLink(NamedTuple):  # a tuple: several are made per claim
    placed: Placed | None  # the time expression, when one decided
    value: str | None
    rule: str


def period_end(value: str | None) -> str | None:
    """Last day of a normalised time (`2021-H1` → 2021-06-30), as a sortable string."""
    if not value:
        return None
    match = _TIME_VALUE.fullmatch(value.split("/")[-1])
    if not match:
        return None
    year, month, quarter, half, day = match.groups()
    if day:
        return f"{year}-{month}-{day}"
    end_month = int(month) if month else int(quarter) * 3 if quarter else 6 * int(half) if half else 12
    return f"{year}-{end_month:02d}-{calendar.monthrange(int(year), end_month)[1]:02d}"


def period_start(value: str | None) -> str | None:
    """First day of a normalised time (`2021-H2` → 2021-07-01), as a sortable string."""
    if not value:
        return None
    match = _TIME_VALUE.fullmatch(value.split("/")[0])
    if not match:
        return None
    year, month, quarter, half, day = match.groups()
    start_month = int(month) if month else 3 * int(quarter) - 2 if quarter else 6 * int(half) - 5 if half else 1
    return f"{year}-{start_month:02d}-{int(day) if day else 1:02d}"


def unfinished(time_value: str | None, anchor: str | None) -> bool:
    """Whether the period a number is about had not ended when the document was written."""
    end = period_end(time_value)
    if not end or not anchor:
        return False
    written = (anchor + "-01-01")[:10]  # a year-only anchor: an annual report, read early that year
    return end > written


@cache
def plan_periods() -> frozenset[str]:
    """Values of the five-year plans (`1953/1957`)."""
    return frozenset(f"{first}/{last}" for first, last in time_stage.planning_periods().values())


def plan_ahead(time_value: str | None, anchor: str | None) -> bool:
    """Whether a five-year plan has years left after the document's: its totals are still goals
    (1953/1957 in 1955), while in its last year they are near-final results (in 1957)."""
    return bool(anchor and time_value and anchor[:4] < time_value[-4:])


def governing(t: Placed) -> bool:
    row: TimeExpr = t.row
    return bool(row.resolved and row.value and row.type in GOVERNING_TYPES)


def dates_an_event(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a time opens an event's name inside a clause (…是2012年欧洲杯的冠军队成员，在21场比赛中…):
    it dates that clause (2008年北京奥运会美国队以116比85), not the clauses after it; a clause that is
    the event alone (2006年日本世锦赛，美国队曾以113比73…) sets the scene for the next."""
    event = ctx.patterns.event_after_time.match(ctx.doc.text, t.end)
    return event is not None and bool(ctx.doc.text[event.end():ctx.clause(t.start)[1]].strip(TRIM))


def deadline(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a time is the deadline of an act done (已于１９９７年３月底前全部结束, `../1997-03-31`): what
    was done by then dates the paragraph's later figures, as its month would."""
    return t.row.type == "range" and (t.row.value or "").startswith("../") \
        and ctx.doc.text.endswith(ctx.patterns.done_by, 0, t.start)


def glosses(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a time is all its brackets hold: it glosses the time before them (上周（５月２６日－
    ６月１日）, 今天（１２日）) and governs, and carries on, as that time would."""
    bracket = ctx.bracket(t.start)
    return bracket is not None and (t.start, t.end) == (bracket[0] + 1, bracket[1] - 1)


def time_roles(ctx: DocumentContext) -> dict[int, object]:
    """How each time may govern a number: the quantity it belongs to (`1954年的97个`), the
    brackets it sits in (`（400g/盒，2011-08-23）` dates only what the brackets hold, unless it is all
    they hold: `上周（５月２６日－６月１日）`, `今天（１２日）` gloss a time), "base" (the
    other side of a comparison, `比上年`, `同1978年相比`), "none" (a year inside a name, `2021智博会`)
    or "governs"."""
    text = ctx.doc.text
    starts = {q.start: q for q in ctx.quantities}
    roles: dict[int, object] = {}
    for index, t in enumerate(ctx.times):
        row: TimeExpr = t.row
        attached = starts.get(t.end + 1) if text[t.end:t.end + 1] == "的" else None
        bracket = ctx.bracket(t.start)
        basis = text.endswith(ctx.patterns.basis_before, 0, t.start)
        if basis and attached is not None and attached.row.dimension in RATIO_DIMENSIONS:
            roles[id(t)] = "none"  # 等于1949年的4.2倍: the base of a ratio (比1958年的214亿元 is its level)
        elif _ratio_base(ctx, t, starts):
            roles[id(t)] = "none"  # 是1950年到1997年全国公路建设投资总和的1.7倍: the years of the base
        elif attached is not None:
            roles[id(t)] = attached
        elif bracket is not None and not glosses(ctx, t):
            roles[id(t)] = bracket
        elif basis or (text[max(0, t.start - 1):t.start] in COMPARED_WITH
                       and COMPARED.match(text, t.end)):  # 比上年, 同1987年相比
            roles[id(t)] = "base"
        elif (row.type == "year" and "年" not in row.text and row.text[:1].isdigit()) \
                or ctx.patterns.framing_clause.match(text, ctx.clause(t.start)[0]) or ctx.patterns.dated_act.match(text, t.end) \
                or _dates_framing_place(ctx, t) or inside_quoted_name(text, t) or _names_a_thing(ctx, t) \
                or (index and (_narrowed(ctx, ctx.times[index - 1], t) or _emphasised(ctx, ctx.times[index - 1], t))) \
                or text.endswith(ctx.patterns.horizon_before, 0, t.start) \
                or (row.value in plan_periods() and row.text.endswith("划") and text[t.end:t.end + 1] == "的"):
            roles[id(t)] = "none"
        else:
            roles[id(t)] = "governs"
    return roles


def _names_a_thing(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a century opens the name of a thing (21世纪海上丝绸之路, 21世纪经济报道) rather than dating
    the sentence (21世纪初, 进入21世纪以来, 在21世纪，)."""
    if not t.row.text.endswith("世纪"):
        return False
    after = ctx.doc.text[t.end:t.end + 1]
    return bool(after) and "\u4e00" <= after <= "\u9fff" and after not in ctx.patterns.century_edges


def _narrowed(ctx: DocumentContext, before: Placed, t: Placed) -> bool:
    """Whether a time only names the year of a narrower one qualifying it (１月８日至２月２６日的１９９８年春运):
    the narrower one dates the figures."""
    if before.end + 1 != t.start or ctx.doc.text[before.end] != "的" or not (governing(before) and governing(t)):
        return False
    inner, outer = before.row.value, t.row.value
    return inner != outer and all(edge.startswith(outer) for edge in inner.split("/"))


def _emphasised(ctx: DocumentContext, before: Placed, t: Placed) -> bool:
    """Whether a time only singles out part of the one right before it (今后八年，特别是近三年): the
    earlier, whole period dates the figures."""
    between = ctx.doc.text[before.end:t.start].lstrip("，, ")
    return between in ctx.patterns.emphasis_before


RATIO_BASE_REACH = 16  # 1950年到1997年|全国公路建设投资总和的|1.7倍: the words of the base between its time and the ratio
_RATIO_BASE_OPENERS = ("是", "为", "為")  # besides rules/claims/time.yaml basis_before


def _ratio_base(ctx: DocumentContext, t: Placed, starts: dict) -> bool:
    """Whether a time dates the base of a multiple (是1950年到1997年…投资总和的1.7倍), not the figure."""
    text = ctx.doc.text
    if not text.endswith(ctx.patterns.basis_before + _RATIO_BASE_OPENERS, 0, t.start):
        return False
    words = _BASE_WORDS.match(text, t.end, t.end + RATIO_BASE_REACH + 1)
    q = starts.get(words.end()) if words else None
    return q is not None and q.row.dimension == "multiple"


_BASE_WORDS = regex.compile(r"[^，,；;。：:\d０-９]*?的")


MODIFIED_FRAME_REACH = 13  # …２００７年|出资捐助建设的: how far after a time the 的 of its modifier may be
PLAN_SHARE_REACH = 24  # chars before a number its plan phrase may start (完成全年９００万人目标的７７％)


def plan_share(ctx: DocumentContext, q: Placed):
    """The plan a number is a share of (`完成全年９００万人目标的`|７７％), if it is one."""
    text = ctx.doc.text
    if text[q.start - 1:q.start] != "的":  # most numbers: no plan phrase, no search
        return None
    return ctx.patterns.plan_share.search(text, max(0, q.start - PLAN_SHARE_REACH), q.start)


def _dates_framing_place(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a time sits in the modifier of a place framing its clause (在这所由…在２００７年出资建设的
    小学里，一共有３４２个孩子): it dates the place, not what the sentence counts there."""
    text = ctx.doc.text
    if "的" not in text[t.end:t.end + MODIFIED_FRAME_REACH]:  # most times: no modifier after them
        return False
    start = ctx.clause(t.start)[0]
    return text[start:start + 1] in ctx.patterns.frame_open and start + 1 < t.start \
        and ctx.patterns.modified_frame.match(text, t.end) is not None


def own_time(ctx: DocumentContext, sentence_start: int, q: Placed, roles: dict) -> tuple[Placed | None, str]:
    """The quantity's own time and its rule: a date in its brackets, the time attached to it
    (`1954年的97个`), else the nearest governing time before it in its sentence, else one after
    it in its clause (`１１种大病明年有望…`) or in a short closing clause (`…将为八十万千瓦，一九五九年建成。`).
    The share of a plan (`完成全年…目标的７７％`) is not dated by the plan's own time."""
    bracket = ctx.bracket(q.start)
    if bracket is not None:
        for t in ctx.within(ctx.times, *bracket):
            if governing(t):
                return t, "time.bracket"
    share = plan_share(ctx, q)
    plan_start = share.start("plan") if share is not None else q.start
    for t in ctx.backwards(ctx.times, sentence_start, q.start):  # the nearest first
        if not governing(t) or t.start >= plan_start:  # 完成全年…目标的７７％: 全年 dates the plan
            continue
        role = roles[id(t)]
        if role is q:  # attached right before the number
            return t, "time.attached"
        if role == "governs" and not (dates_an_event(ctx, t) and t.start < ctx.clause(q.start)[0]):
            return t, "time.sentence"
    clause_end = ctx.clause(q.start)[1]
    text = ctx.doc.text
    closing_end = ctx.clause(clause_end + 1)[1] if text[clause_end:clause_end + 1] in "，," else clause_end
    for t in ctx.within(ctx.times, q.end, closing_end):
        if not (governing(t) and roles[id(t)] == "governs"):
            continue
        right_after = t.end <= clause_end and t.start - q.end <= AFTER_TIME_REACH
        closing = t.start == clause_end + 1 and closing_end - t.end <= CLOSING_CLAUSE_CHARS \
            and text[closing_end:closing_end + 1] in "。；;"
        if right_after or closing:
            return t, "time.after"
    return None, ""


def days(t: Placed) -> bool:
    """Whether a time is a run of days (１月６日至１０日, ５月中旬): it dates a paragraph as a day does."""
    return bool(_DAY_RANGE.fullmatch(t.row.value or ""))


def month_third(ctx: DocumentContext, t: Placed) -> str | None:
    """The month of a third of a month (`５月中旬` → 1997-05), else None."""
    match = _DAY_RANGE.fullmatch(t.row.value or "")
    if match is None or match[1] != match[2] or not ctx.patterns.month_third.search(t.row.text):
        return None
    return match[1]


def time_value(ctx: DocumentContext, t: Placed) -> str:
    """A year-end stock (`年末`, `年底` → YYYY-12-31) is reported as its year, a month-end one (`3月底`)
    as its month, a third of a month
    (`５月中旬`) as that month, an open range
    (`下月起` → 2012-07/..) as its known end; in an annual report, a span up to the report's year
    (`过去五年` → 1988/1993) ends with the year reviewed; `过去的一年` in a text of January–March
    is the year just ended."""
    row: TimeExpr = t.row
    review_year = ctx.info.review_year
    value = (row.value or "").removesuffix("/..").removeprefix("../")  # 下月起: from next month
    if review_year and row.text in ctx.patterns.bare_year_edges:  # 年末, 年初 in a review: the year reviewed
        return review_year
    edge = ctx.patterns.before_end.sub("", row.text)  # 3月底前: the month-end it is before
    if edge.endswith(("末", "底")) and len(value) == 10:  # 年底 → its year, 3月底 → its month
        return value[:4] if value.endswith("-12-31") and "月" not in row.text else value[:7]
    if review_year and row.type == "period" and value.endswith(f"/{int(review_year) + 1}") \
            and value not in plan_periods():  # a plan's years are its own
        start = value.rsplit("/", 1)[0]
        return review_year if start == review_year else f"{start}/{review_year}"
    month = month_third(ctx, t)
    if month:  # 5月中旬: reported as its month
        return month
    anchor = ctx.info.anchor or ""
    if row.type == "period" and ctx.patterns.past_year.match(row.text) and len(anchor) >= 7 \
            and int(anchor[5:7]) <= YEAR_END_REVIEW_MONTHS and value == f"{int(anchor[:4]) - 1}/{anchor[:4]}":
        return value[:4]  # 过去的一年 written in January: the year just ended
    return value


SPLIT_RANGE_CHARS = 30  # 自８日在若开邦孟都等地区实行宵禁至１１日: how far apart the two ends may stand


def _split_range(ctx: DocumentContext, sentence_start: int, end: Placed | None) -> str | None:
    """The span `自A…至B` whose second end is the number's time, words between the two ends (自８日在若开邦
    孟都等地区实行宵禁至１１日), when both are days, months or years: A/B; else None."""
    text = ctx.doc.text
    if end is None or not text.endswith(ctx.patterns.range_end_before, 0, end.start):
        return None
    start = next((t for t in ctx.backwards(ctx.times, max(sentence_start, end.start - SPLIT_RANGE_CHARS), end.start)), None)
    if start is None or not text.endswith(ctx.patterns.range_start_before, 0, start.start) \
            or not _DATE_OR_MONTH.fullmatch(start.row.value or "") or not _DATE_OR_MONTH.fullmatch(end.row.value or "") \
            or len(start.row.value) != len(end.row.value) or not start.row.value < end.row.value:
        return None
    return f"{start.row.value}/{end.row.value}"


def link_time(ctx: DocumentContext, sentence_start: int, q: Placed, roles: dict,
              carried: list[tuple[Placed | None, str]], starting_level: bool, lead: Placed | None = None) -> TimeLink:
    """The time before modality is known: the number's own, else the first the discourse carries
    (`carried`: (time, rule) for a table caption, the paragraph, the section), else the period the
    news report opens with (`lead`), else the document's date; `全年` defers to the
    context when there is one. The starting level of a from–to pair in a comparison of two times
    takes the earlier one (`1982年同1978年相比，…由31.1%上升到…` → 1978)."""
    placed, rule = own_time(ctx, sentence_start, q, roles)
    base = [t for t in ctx.within(ctx.times, sentence_start, q.start) if roles[id(t)] == "base" and governing(t)] \
        if rule == "time.sentence" else []
    if starting_level and base:
        placed, rule = base[-1], "time.pair_start"
    elif base and q.row.dimension in RATIO_DIMENSIONS \
            and ctx.patterns.average_rate.search(ctx.doc.text, ctx.clause(q.start)[0], q.start):
        span = compared_span(ctx, base[-1], placed)
        if span:  # 一九八二年…比一九七八年增长百分之三十二点六，平均每年增长百分之七点三: over 1979/1982
            return TimeLink(placed, span, "time.compared_span")
    split = _split_range(ctx, sentence_start, placed) if rule == "time.sentence" else None
    if split is not None:  # 自８日在若开邦…实行宵禁至１１日，共有２１人…: from the one to the other
        return TimeLink(placed, split, "time.split_range")
    if placed is not None and placed.row.text in ctx.patterns.context_year:  # 全年: of the context
        context = next((c for c in carried[1:] if c[0] is not None), None)
        anchor = ctx.info.anchor or ""
        if context is not None:
            placed, rule = context[0], "time.context_year"
            value = time_value(ctx, placed) or ""
            if len(value) > 4 and "/" not in value:  # 上半年…。…全年增长19·5％: the year of that half, not the half
                year = int(value[:4]) - (yearless(placed) and _months_to_end(value, anchor) >= 3)
                return TimeLink(placed, str(year), rule)
        elif ctx.info.review_year:
            placed, rule = None, ""
        elif len(anchor) >= 7 and int(anchor[5:7]) <= YEAR_END_REVIEW_MONTHS:
            # 预计全年完成房地产开发投资３２００亿元 in a January report: the year just ended
            return TimeLink(placed, str(int(anchor[:4]) - 1), "time.year_just_ended")
    vague = ctx.vague_starts
    if placed is None and ctx.info.anchor and vague and any(sentence_start <= at < q.start for at in vague):
        # 去年…。几年来，…共筹资６００多万元: recent years up to now, not the year the paragraph named
        return TimeLink(None, ctx.info.anchor, "time.vague_recent")
    if placed is None and ctx.info.anchor and ctx.patterns.ongoing.search(ctx.doc.text, ctx.clause(q.start)[0], q.start):
        context = next((c[0] for c in carried if c[0] is not None), None)
        if context is None or not _DATE.fullmatch(time_value(ctx, context)):  # not the day the paragraph tells of
            return TimeLink(None, ctx.info.anchor, "time.document_date")  # …工作正在全国２８００多个县进行: now
    if placed is None:
        section = next((c for c in carried if c[0] is not None and c[1] == "time.section"), None)
        if section is not None and _counts_period(ctx, q, section[0], sentence_start):  # 五年铁路正线铺轨…: the five years reviewed
            return TimeLink(section[0], time_value(ctx, section[0]), "time.section")
        placed, rule = next((c for c in carried if c[0] is not None), (None, ""))
        dated = undated_day(ctx, sentence_start, q, placed)
        if dated is not None:  # 2013年上半年…。截至6月30日，综合成本率为95.5%: 2013-06-30
            return dated
    if placed is None:
        later = later_time(ctx, q, roles)
        if later is not None:  # …募集股金１５０多万元，１９９５年１０月创立了这家医院: the time its sentence ends with
            return TimeLink(later, time_value(ctx, later), "time.later_in_sentence")
        if lead is not None:  # １９９７年，各类企业人员…。（next paragraph）因私事去台４．８万人次: 1997
            return TimeLink(lead, time_value(ctx, lead), "time.lead")
        return TimeLink(None, ctx.info.anchor, "time.document_date" if ctx.info.anchor else "time.unknown")
    period = averaged_period(ctx, placed, q, carried)
    if period is not None:  # 五年来…国民收入１９８７年达到９１５３亿元，平均每年增长１０．７％: over the five years
        return TimeLink(period, time_value(ctx, period), "time.averaged_period")
    same = same_period(ctx, placed, sentence_start)
    if same is not None:  # 由2012年上半年的27.46亿元增长27.2%至2013年同期的34.92亿元: 2013-H1
        return TimeLink(placed, same, "time.same_period")
    first = first_listed(ctx, placed) if rule == "time.sentence" else None
    if first is not None:  # ６月１１日和１２日，本报…整理了１６所学校的资料: over both days
        start, end = time_value(ctx, first).split("/")[0], time_value(ctx, placed).split("/")[-1]
        return TimeLink(placed, f"{start}/{end}", "time.listed_span")
    return TimeLink(placed, time_value(ctx, placed), rule)


def spans_period(period: Placed | None, times: list[Placed]) -> bool:
    """Whether a sentence's times run from the start of a period of whole years, or the year before,
    to its end (１９８２年…１９８７年 under 过去五年, 1983/1987)."""
    span = _YEAR_SPAN.fullmatch(period.row.value or "") if period is not None else None
    if span is None:
        return False
    first, last = int(span[1]), int(span[2])
    years = {int(t.row.value[:4]) for t in times if t.row.value and t.row.value[:4].isdigit()}
    return last in years and bool(years & {first - 1, first})


def _counts_period(ctx: DocumentContext, q: Placed, section_time: Placed, sentence_start: int) -> bool:
    """Whether the number's clause, or an earlier one of its sentence, opens with as many years as its
    section's period holds (五年铁路正线铺轨…，高速公路增加… under 过去五年, 1993/1997): the figures sum up
    that period."""
    span = _YEAR_SPAN.fullmatch(section_time.row.value or "")
    if span is None:
        return False
    start = ctx.clause(q.start)[0]
    while True:
        opening = ctx.patterns.years_counted.match(ctx.doc.text, start, q.start)
        if opening is not None:
            return parse_numeral(opening["count"])[0] == int(span[2]) - int(span[1]) + 1
        if start <= sentence_start:
            return False
        start = ctx.clause(start - 2)[0]


def later_time(ctx: DocumentContext, q: Placed, roles: dict) -> Placed | None:
    """The first time after the number in its sentence that dates a day, month or year and governs
    (not a base, a span up to now or the time of another number), for a number nothing before dates."""
    if not ctx.info.anchor:  # an undated text: nothing after the number says the year it is in
        return None
    text = ctx.doc.text
    sentence_end = ctx.doc.sentence_bounds(ctx.doc.sent_id_at(q.start))[1]
    return next((t for t in ctx.within(ctx.times, q.end, sentence_end)
                 if roles[id(t)] == "governs" and governing(t) and t.row.type in ("date", "month", "year")
                 and not ctx.patterns.since_end.search(t.row.text) and ".." not in (t.row.value or "")
                 and not ctx.patterns.open_edge.match(text, t.end)), None)


def averaged_period(ctx: DocumentContext, t: Placed, q: Placed, carried: list[tuple[Placed | None, str]]) -> Placed | None:
    """The period the discourse carries (a section or paragraph on `过去五年`) when a rate averaged
    over years is dated by its last year (１９８７年达到…，平均每年增长…); none otherwise."""
    year = time_value(ctx, t) or ""  # １９８７年, 2012年底: dated by a year
    if not _YEAR.fullmatch(year) or not ctx.patterns.average_rate.search(ctx.doc.text, ctx.clause(q.start)[0], q.start):
        return None
    return next((c for c, _rule in carried if c is not None and c.row.type == "period"
                 and time_stage.years_long(time_value(ctx, c)) and time_value(ctx, c).endswith("/" + year)), None)


def same_period(ctx: DocumentContext, t: Placed, sentence_start: int) -> str | None:
    """`2013年同期`: the part of the year the sentence named for another year before (2012年上半年),
    in this year; none unless a year is followed by 同期 and such a part was named."""
    if t.row.type != "year" or not ctx.doc.text.startswith(ctx.patterns.same_period, t.end):
        return None
    for before in ctx.backwards(ctx.times, sentence_start, t.start):
        part = _YEAR_PART.match(before.row.value or "")
        if part and part[1] != t.row.value:
            return before.row.value.replace(part[1], t.row.value)
    return None


def undated_day(ctx: DocumentContext, sentence_start: int, q: Placed, carried: Placed | None) -> TimeLink | None:
    """A month or day of the number's sentence that no year resolved (a text without a date)
    read in the year the discourse carries, none when there is no such time or year."""
    year = (carried.row.value or "")[:4] if carried is not None else ""
    if ctx.info.anchor or not year.isdigit():
        return None
    bare = next((t for t in ctx.backwards(ctx.times, sentence_start, q.start)
                 if not t.row.resolved and t.row.type in ("date", "month")), None)
    if bare is None:
        return None
    value = next((m.value for m in time_stage.scan_times(bare.row.text, year)
                  if m.resolved and m.type == bare.row.type), None)
    return TimeLink(bare, value, "time.discourse_year") if value else None


def first_listed(ctx: DocumentContext, t: Placed) -> Placed | None:
    """The first of the times of one kind listed with a list joiner before `t` (５月、６月; １１日和１２日;
    一九八一、一九八二两年), none when `t` stands alone."""
    first = None
    while True:
        before = next(iter(ctx.backwards(ctx.times, max(0, t.start - TIME_LIST_REACH), t.start)), None)
        if before is None or before.row.type != t.row.type or not governing(before) \
                or not LIST_JOINERS.fullmatch(ctx.doc.text, before.end, t.start):
            return first
        first = t = before


def comparison_frame(ctx: DocumentContext, sentence_start: int, q: Placed, roles: dict) -> str | None:
    """The frame comparing the sentence with another time before the number (`与2000年相比`,
    `同一九七八年相比`): the basis of its changes when they name none of their own."""
    text = ctx.doc.text
    for t in ctx.backwards(ctx.times, sentence_start, q.start):
        if roles[id(t)] == "base" and text[t.start - 1:t.start] in COMPARED_WITH:
            compared = COMPARED.match(text, t.end)
            if compared:
                return text[t.start - 1:compared.end()]
    return None


def compared_span(ctx: DocumentContext, base: Placed, year: Placed) -> str | None:
    """The years an average rate covers when a year is compared with one more than a year before it
    (`2005年与2000年相比，…年均增长9.5%` → 2001/2005); None for `比上年`, which is one year."""
    start, end = time_value(ctx, base), time_value(ctx, year)
    if start and end and _YEAR.fullmatch(start) and _YEAR.fullmatch(end) and int(end) - int(start) > 1:
        return f"{int(start) + 1}/{end}"
    return None


def present_state(ctx: DocumentContext, link: TimeLink, q: Placed, own: bool) -> bool:
    """Whether a fact of an annual report is a state at the reporting date (`全国已有百分之七十六的
    县…`): an `已` before the number in its clause and no time of the sentence's own."""
    return bool(ctx.info.review_year and link.placed is not None and not own
                and _PRESENT_STATE.search(ctx.doc.text, ctx.clause(q.start)[0], q.start))


def yearless(t: Placed) -> bool:
    """Whether a time names a month, quarter, half or range of them without its year (10月份, 第四季度)."""
    return t.row.type in _YEARLESS_TYPES and not WRITTEN_YEAR.search(t.row.text)


def _months_to_end(value: str | None, anchor: str | None) -> int:
    """Whole months from the document date to the end of a period (negative once it is over)."""
    end = period_end(value)
    if not end or not anchor or len(anchor) < 7:
        return -1
    return (int(end[:4]) - int(anchor[:4])) * 12 + int(end[5:7]) - int(anchor[5:7])


def years_just_ended(time_value: str | None, anchor: str | None) -> bool:
    """Whether a span of years ends in the year a text of its first months is dated (这五年 →
    1993/1998 on 1998-01-06): the years it reviews, all but done, not a plan."""
    match = _YEAR_SPAN.fullmatch(time_value or "")
    return bool(match and anchor and len(anchor) >= 7 and match[2] == anchor[:4]
                and int(anchor[5:7]) <= YEAR_END_REVIEW_MONTHS and time_value not in plan_periods())


def ends_this_month(time_value: str | None, anchor: str | None) -> bool:
    """Whether a period still running ends in the month the document is dated (６月 on 6月14日):
    what the text reports of it is under way, not planned."""
    return bool(anchor and len(anchor) >= 7) and _months_to_end(time_value, anchor) == 0


def year_to_date(ctx: DocumentContext, link: TimeLink, metric: str | None) -> TimeLink:
    """A flow counted up to a month's end (截至2011年12月31日，实现营业收入…) covers the year to that
    date: 2011, 2013-H1, 2013-Q1 or 2013-Q1/2013-Q3 as the quarters fall, else the months."""
    placed = link.placed
    date = _DATE.fullmatch(placed.row.value or "") if placed is not None and link.rule != "time.respectively" else None
    if placed is None or date is None or not metric or not ctx.patterns.flows.search(metric) \
            or not ctx.patterns.as_of.match(placed.row.text):
        return link
    year, month, day = (int(part) for part in date.groups())
    if day != calendar.monthrange(year, month)[1]:
        return link
    value = {12: f"{year}", 6: f"{year}-H1", 3: f"{year}-Q1", 9: f"{year}-Q1/{year}-Q3"}.get(
        month, f"{year}-01/{year}-{month:02d}")
    return TimeLink(placed, value, "time.year_to_date")


def level_now(ctx: DocumentContext, link: TimeLink, metric: str | None, kind: str) -> TimeLink:
    """A level (a price, a stock) in a sentence after `５月以来，价格大幅下跌` is what it is when the
    document is written: a since-period of months the paragraph carries dates changes and flows,
    not it (a review's `五年来` dates all its results)."""
    placed = link.placed
    if link.rule != "time.paragraph" or placed is None or kind != "level" or not ctx.info.anchor \
            or not _MONTH_START.match(link.value or "") or not ctx.patterns.since_end.search(placed.row.text) \
            or (metric and ctx.patterns.flows.search(metric)):
        return link
    return TimeLink(None, ctx.info.anchor, "time.level_now")


def last_years_period(ctx: DocumentContext, link: TimeLink) -> bool:
    """Whether a time is a yearless period that would end three months or more after the document
    date (第四季度, 上半年 in March): reported as done, it is last year's."""
    return link.placed is not None and yearless(link.placed) and _months_to_end(link.value, ctx.info.anchor) >= 3


def _last_years_day(ctx: DocumentContext, link: TimeLink) -> bool:
    """Whether a time is a day or month written without its year (no 下月, 明年) that begins two calendar
    months or more after the document date: told as done, it is the one of the year before (a month ahead
    is more often a schedule: ７月２９日 in June)."""
    placed, anchor = link.placed, ctx.info.anchor or ""
    if placed is None or placed.row.type not in ("date", "month") or WRITTEN_YEAR.search(placed.row.text) \
            or ctx.patterns.ahead_word.search(placed.row.text) or len(anchor) != 10 or not _DATE_OR_MONTH.fullmatch(link.value or ""):
        return False
    months_ahead = (int(link.value[:4]) - int(anchor[:4])) * 12 + int(link.value[5:7]) - int(anchor[5:7])
    return months_ahead >= PAST_DAY_MONTHS_AHEAD


def settle_time(ctx: DocumentContext, link: TimeLink, q: Placed, modality: str, present: bool,
                during: Placed | None = None) -> TimeLink:
    """The time once modality is known: an annual report's undated facts are about the year it
    reviews and its undated targets about its own year, a present state (`已有…`) is at the
    reporting date; a goal a report gives no date for has no time (news: the document date); a yearless period reported as
    done months before it would end (`第四季度`, `前三季度` in March) is last year's; `连续四年` spans
    the streak, and so does a figure it governs (`during`: 连续三年保持在２０％以上)."""
    info = ctx.info
    quantity: Quantity = q.row
    if link.placed is None and info.review_year:
        link = TimeLink(None, info.review_year, "time.review_year") if modality == "fact" \
            else TimeLink(None, info.anchor[:4], "time.report_year")
    elif link.placed is None and modality != "fact" and info.speaks_for:
        link = TimeLink(None, None, "time.undated_goal")  # in the news, the date it is announced or foreseen
    elif present:
        link = TimeLink(link.placed, info.anchor, "time.present_state")
    elif modality == "fact" and not info.speaks_for and len(info.anchor or "") == 10 and link.placed is not None \
            and link.rule in _CARRIED_RULES and link.placed.row.type == "year" and link.value == info.anchor[:4]:
        # 今年…翻了一番。…但存款…: in the news, a fact only an earlier sentence's 今年 dates is as of the report's day
        link = TimeLink(None, info.anchor, "time.current_year")
    elif modality == "fact" and last_years_period(ctx, link):
        # 第四季度, 前三季度 reported as done in March: the most recent such period, last year's
        link = TimeLink(link.placed, _YEAR.sub(lambda y: str(int(y[0]) - 1), link.value), "time.previous_period")
    elif modality == "fact" and _last_years_day(ctx, link):
        # ３月２２日一大早，…６００多名志愿者… told in January: the March just past, last year's
        link = TimeLink(link.placed, _YEAR.sub(lambda y: str(int(y[0]) - 1), link.value), "time.previous_day")
    value = link.value
    streak = during if during is not None else q  # 连续四年达到…10%: the figure held over the streak
    years: Quantity = streak.row
    if ctx.doc.text.endswith(ctx.patterns.streak_words, 0, streak.start) and years.unit == "a" and value \
            and _TIME_VALUE.fullmatch(value[-4:]):
        last = int(value[-4:])  # 连续四年获得丰收 (1992): 1989/1992
        link = TimeLink(link.placed, f"{last - int(years.value) + 1}/{last}", "time.streak")
    return link
