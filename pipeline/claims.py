"""Numeric claims: each quantity that states a fact, target or forecast, linked to what it
measures (metric), whom it is about (subject), when (time) and how (kind, direction, basis).

Linking works on clauses (text between ，；：。 …) of the repaired text:
- metric: the words that own the number — to its left (`数字经济规模达6387亿元`), to its right
  for an attributive count or a `的` phrase (`610家企业参展`, `3400平方米的两江多功能厅`), the
  i-th item of the list before `分别` (`增加值、产量、产值同比分别增长25%、47%和29%`), or the
  previous claim's metric when the clause has none left (`达到114万亿元，增长8.1%`);
- subject: an entity of the clause, else of the sentence before the number, else carried from
  the paragraph, else from the section (entities listed with 等, or after 在/与, are not subjects);
  with no entity, the territory (`全国财政收入`, not `全国人大` or `在全国推开`) or the population
  group (`城镇居民`) of the clause, else of an earlier clause of the sentence;
- time: a time attached to the number (`1954年的97个`, a date in its brackets), else the nearest
  governing time before it in its sentence (not a basis `比上年`, not a year inside a name), else
  the paragraph's, a flattened table's caption, the section heading's, else the document date —
  in an annual report (written by April, reviewing `去年`) the year reviewed;
- modality: the nearest target/forecast/fact cue before the number in its clause or in a `：`
  list opener; `；`-continued sentences keep it; in a plan paragraph or section, figures for a
  period that had not ended when the text was written are targets.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

import regex
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import times
from pipeline.prepared import PreparedDoc
from pipeline.records import Alias, Claim, Entity, Quantity, TimeExpr
from pipeline.segment import tagger

RULES = Path(__file__).resolve().parent.parent / "rules" / "claims.yaml"
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?…\n]")  # re: a plain class scans faster than with regex
_GOVERNING_TIME_TYPES = {"date", "month", "year", "quarter", "half", "range", "period", "relative"}
_CARRIED_TIME_TYPES = {"date", "month", "year", "quarter", "half", "relative", "period"}  # to later sentences
_CONTEXT_YEAR_WORDS = {"全年", "全年度"}  # "the whole year" of whatever year the context is about
_SUBJECT_PRIORITY = {"PRODUCT": 0, "ORG": 1, "FAC": 2, "GPE": 3, "LOC": 4, "EVENT": 5}
_QUOTES = "“”「」『』\"'‘’《》"
_TRIM = " 、，,；;：:（）()" + _QUOTES
_LIST_SPLIT = regex.compile(r"、|和|及|与|以及")
_FROM_LEVEL = regex.compile(r"(?:[从由]|[从由比较][^，,；;。]{0,12}的)$")
AFTER_TIME_REACH = 6  # `１１种大病明年有望…`: a time right after the number's noun
CLOSING_CLAUSE_CHARS = 4  # `，一九五九年建成。`: a date and a verb closing the sentence
WEAK_CUE_REACH = 10  # chars between a weak cue (将, 要) and its number
HEAD_CUE_CHARS = 2  # a cue this close to a sentence's start heads it
WEAK_CUE_MIN_GAP = 1
TOPIC_MAX_CHARS = 20
SHORT_PHRASE_CHARS = 8
_RIGHT_METRIC_RULES = {"metric.attributive", "metric.counted_noun", "metric.object"}
MAX_ROW_CHARS = 64
REPORT_MONTHS = 7  # annual reports (government work reports, annual reviews) appear by mid-year
REPORT_OPENING_CHARS = 200
_PAIRED_MARKS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("「", "」"))
_DANGLING_PARTICLE = regex.compile(r"(?:的|等|之|中)$")
_TIME_VALUE = regex.compile(r"(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?(?:-(\d{2}))?")
_KIND_TAIL = regex.compile(r"(?:分别|约|了|达|为)$")
_LOWER = regex.compile(r"(?:低|少|慢)(?:于|出)?$")
_BRACKETED = regex.compile(r"[（(][^（）()\n]{1,60}[）)]")
_PRESENT_STATE = regex.compile(r"已(?!于)")
_STREAK = regex.compile(r"连续$")
# a plan as the basis of a comparison (超过年度计划百分之四点一, 超过了所规定的的指标百分之十七点三)
_PLAN_BASIS = r"(?:超额)?(?:超过|完成)了?[^，,；;：:。]{0,24}?(?:计划|指标)的?(?=$|[\d０-９〇一二三四五六七八九十两]|百分之)"
_NATIONAL = {"全国", "我国"}
_TITLE_AFTER = regex.compile(r"[\s\u3000]*(?:副)?(?:总理|主席|部长|书记|主任|局长|厅长|省长|市长|县长|委员|发言人|负责人|院长|校长|董事长|总裁|总经理|经理|记者)")
_CONTRAST = regex.compile(r"[，,；;](?:而|但|但是|然而|可是|不过)")
_CAUSE = regex.compile(r"由于|因为")  # a clause giving a cause: its time dates the cause, not the figures
_FRAME_NOUNS = {"情况下", "情况", "基础上", "前提下", "条件下", "背景下", "同时", "水平", "程度", "时候", "部分"}
_NUMERAL_START = regex.compile(r"[\d０-９〇零一二两三四五六七八九十百千万亿几数]")
_DETAIL = regex.compile(r"(?<=[，,；;])其中")
_ROW_LABEL = regex.compile(r"(?P<label>[\p{Han}]{1,10})[：:，,]")
_BARE_YEAR_EDGES = {"年末", "年底", "末", "年初"}
_COMPARED = regex.compile(r"[^，,。；;]{0,8}?(?:相比|比较)")  # 同1952年的实际数字作比较
_SHARE = regex.compile(r"占|比重|比例|份额")
_RESPECTIVELY = regex.compile(r"分别")
_LIST_GAP = regex.compile(r"[、，,和及与以]{1,2}|以及")  # longer than any quantity or time expression
TABLE_CELL_MAX_CHARS = 16
TABLE_MIN_CELLS = 6
TABLE_MAX_GAP = 2  # longer cells a table may hold between two short ones
TABLE_CAPTION = regex.compile(r"(?:调整|变化|分布|统计|对比)?(?:情况|一览表?|统计表|明细|[（(][^）)]*[）)])")
_LEVEL_QUALIFIERS = {"到", "至", "为", "达", "达到", "提高到", "增加到", "降到", "降至"}
_CLAUSE_OPENING = regex.compile(r"[、，,。；;：:！？）)\s]")
_NOUN_START = regex.compile(r"[\p{Han}“「《]")


@dataclass(frozen=True)
class ClaimRules:
    cues: dict[str, regex.Pattern]
    target_qualifiers: frozenset[str]
    change_up: regex.Pattern
    change_down: regex.Pattern
    comparison: regex.Pattern
    copula_tail: regex.Pattern
    opener_head: regex.Pattern
    basis: regex.Pattern
    basis_verb: regex.Pattern  # what follows a basis (增长, 高出)
    plan_heading: regex.Pattern
    review_words: regex.Pattern
    report_words: regex.Pattern
    territory: regex.Pattern
    territory_objects: tuple[str, ...]  # 在全国 覆盖全国: the territory is where, not who
    groups: regex.Pattern
    span_after: regex.Pattern
    span_before: regex.Pattern
    examples: list[dict]


def _alternation(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


_KNOWN_SECTIONS = {"cues", "verbs", "plan_headings", "review_words", "report_words", "territory", "territory_objects",
                   "groups", "span_after", "span_before", "examples"}
_KNOWN_CUES = {"target", "target_near", "forecast", "fact", "not_target", "target_qualifiers"}
_KNOWN_VERBS = {"change_up", "change_down", "comparison", "copula", "opener"}


@cache
def load_rules(path: Path = RULES) -> ClaimRules:
    """Compile rules/claims.yaml, refusing unknown sections and empty lists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section, known in (("", _KNOWN_SECTIONS), ("cues", _KNOWN_CUES), ("verbs", _KNOWN_VERBS)):
        keys = set(data if not section else data[section])
        if keys != known:
            raise ValueError(f"{path}: {section or 'top level'} has {sorted(keys ^ known)} unexpected or missing")
    for group in ("cues", "verbs"):
        for name, words in data[group].items():
            if not words or len(words) != len(set(words)):
                raise ValueError(f"{path}: {group}.{name} is empty or has duplicates")
    cues = data["cues"]
    not_target = _alternation(cues["not_target"])
    # A cue must not sit inside a longer word that means something else (主要, 将来).
    guarded = {
        kind: regex.compile(rf"(?:{not_target})|(?P<cue>{_alternation(cues[kind])})")
        for kind in ("target", "target_near", "forecast", "fact")
    }
    verbs = data["verbs"]
    comparison = _alternation(verbs["comparison"])
    return ClaimRules(
        cues=guarded,
        target_qualifiers=frozenset(cues["target_qualifiers"]),
        change_up=regex.compile(rf"(?:{_alternation(verbs['change_up'])})(?:了)?$"),
        change_down=regex.compile(rf"(?:{_alternation(verbs['change_down'])})(?:了)?$"),
        comparison=regex.compile(rf"(?:{comparison})$"),
        copula_tail=regex.compile(rf"(?:{_alternation(verbs['copula'] + verbs['change_up'] + verbs['change_down'] + verbs['comparison'])})$"),
        opener_head=regex.compile(rf"^(?:{_alternation(verbs['opener'])})"),
        basis=regex.compile(rf"同比|环比|{_PLAN_BASIS}|比(?:[^，,；;：:。比]{{1,15}})(?=(?:分别)?(?:{_alternation(verbs['change_up'] + verbs['change_down'] + verbs['comparison'])}))"),
        basis_verb=regex.compile(rf"(?:分别)?(?:{_alternation(verbs['change_up'] + verbs['change_down'] + verbs['comparison'])})"),
        plan_heading=regex.compile(_alternation(data["plan_headings"])),
        review_words=regex.compile(_alternation(data["review_words"])),
        report_words=regex.compile(_alternation(data["report_words"])),
        territory=regex.compile(_alternation(data["territory"])),
        territory_objects=tuple(data["territory_objects"]),
        groups=regex.compile(_alternation(data["groups"])),
        span_after=regex.compile(rf"^(?:{_alternation(data['span_after'])})"),
        span_before=regex.compile(rf"(?:{_alternation(data['span_before'])})$"),
        examples=data["examples"],
    )


@dataclass(frozen=True)
class _Placed:
    """A row with its span in the repaired text."""

    start: int
    end: int
    row: object


def _place(doc: PreparedDoc, rows) -> list[_Placed]:
    spans = doc.text_spans([row.start for row in rows], [row.end for row in rows])
    return sorted((_Placed(start, end, row) for (start, end), row in zip(spans, rows)),
                  key=lambda p: (p.start, p.end))


@lru_cache(maxsize=1 << 14)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    """jieba's (word, pos) pairs of a short fragment; fragments recur (`糖`, `城市`), so they are
    tagged once."""
    return tuple(tagger()(text))


def _boundaries(text: str) -> set[int]:
    """Offsets where jieba puts a word boundary in `text`."""
    cuts, position = {0}, 0
    for word, _pos in _tagged(text):
        position += len(word)
        cuts.add(position)
    return cuts


def _bases(text: str, rules: ClaimRules) -> list[str]:
    """Comparison bases in a fragment (同比, 比上年, 比全国增速), 比 standing as its own word."""
    found = []
    cuts = None
    for match in rules.basis.finditer(text):
        if match[0].startswith("比"):
            cuts = cuts or _boundaries(text)
            if match.start() not in cuts or match.start() + 1 not in cuts:
                continue  # 比例, 占比 are words, not comparisons
            # the longest basis ending where a word ends: 比上年同期|减少, not 比上年同期减|少
            ends = [cut for cut in cuts if match.start() + 1 < cut <= match.end()
                    and rules.basis_verb.match(text, cut)]
            if ends:
                found.append(text[match.start():max(ends)])
            continue
        found.append(match[0])
    return found


def _strip_metric(text: str, rules: ClaimRules, times: list[str] = (), names: list[str] = ()) -> str:
    """The metric words of a clause fragment: without times and bases (anywhere), the subject's
    name when it leads, openers and linking verbs (cut only at word boundaries: 比 goes, 比例
    stays). Brackets and quotes left open get their closing mark back (企业“上云上平台”)."""
    for basis in _bases(text, rules):
        text = text.replace(basis, "")
    for piece in sorted(times, key=len, reverse=True):
        if piece:
            text = text.replace(piece, "")
    cuts = _boundaries(text)  # word boundaries of the whole fragment, segmented once
    start, end = 0, len(text)
    while True:
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        window = text[start:end]
        leading = next((name for name in names if name and window.startswith(name)), None)
        if leading:
            start += len(leading)
            continue
        tail = rules.copula_tail.search(window)
        if tail and start + tail.start() in cuts:
            end = start + tail.start()
            continue
        head = rules.opener_head.match(window)
        if head and start + head.end() in cuts:
            start += head.end()
            continue
        particle = _DANGLING_PARTICLE.search(window)
        if particle:
            end = start + particle.start()
            continue
        break
    text = text[start:end]
    return _close_open_marks(text.strip(_TRIM))


def _close_open_marks(text: str) -> str:
    for opening, closing in _PAIRED_MARKS:
        if text.count(opening) > text.count(closing):
            text += closing
    return text


class _DocumentContext:
    """Positions of times, entities and clauses in one document, and the carried context."""

    def __init__(self, doc: PreparedDoc, quantities, times, entities, rules: ClaimRules):
        self.doc = doc
        self.rules = rules
        self.quantities = _place(doc, quantities)
        self.times = _place(doc, times)
        self.entities = _place(doc, entities)
        self.entity_starts = {e.start for e in self.entities}
        self.place_ends = {e.end: e for e in self.entities if e.row.label in ("GPE", "LOC", "ORG")}
        self._starts = {id(rows): [p.start for p in rows]
                        for rows in (self.quantities, self.times, self.entities)}
        self.breaks = [m.start() for m in _CLAUSE_BREAK.finditer(doc.text)]
        self.brackets = [m.span() for m in _BRACKETED.finditer(doc.text)]
        self._cues: dict[tuple[str, int], list] = {}
        self.bracket_starts = [start for start, _end in self.brackets]

    def cues(self, kind: str, start: int, end: int) -> list:
        """The cue matches of one kind inside `[start, end)`, a window of one sentence; each
        sentence is scanned once however many numbers it holds."""
        key = (kind, self.doc.sent_id_at(start))
        found = self._cues.get(key)
        if found is None:
            s_start, s_end = self.doc.sentence_bounds(key[1])
            found = self._cues[key] = [m for m in self.rules.cues[kind].finditer(self.doc.text, s_start, s_end)
                                       if m["cue"]]
        return [m for m in found if m.start() >= start and m.end() <= end]

    def territory(self, start: int, end: int):
        """The first word naming the whole territory (全国 我国 全市) in `[start, end)` that is the
        subject's: not part of a name (全国人大常委会) nor the object of 在/覆盖/列入 (在全国推开)."""
        text = self.doc.text
        for m in self.rules.territory.finditer(text, start, end):
            if self.overlapping(self.entities, m.start(), m.end()):
                continue
            if text.endswith(self.rules.territory_objects, 0, m.start()):
                continue
            return m
        return None

    def bracket(self, position: int) -> tuple[int, int] | None:
        """`[start, end)` of the brackets around a text position, if any."""
        i = bisect_right(self.bracket_starts, position) - 1
        if i >= 0 and position < self.brackets[i][1]:
            return self.brackets[i]
        return None

    def clause(self, position: int) -> tuple[int, int]:
        """`[start, end)` of the clause around a text position."""
        i = bisect_right(self.breaks, position)
        start = self.breaks[i - 1] + 1 if i else 0
        end = self.breaks[i] if i < len(self.breaks) else len(self.doc.text)
        return start, end

    def within(self, placed: list[_Placed], start: int, end: int) -> list[_Placed]:
        """Rows of `placed` (one of this context's lists) lying inside `[start, end)`."""
        starts = self._starts[id(placed)]
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        return [p for p in placed[first:last] if p.end <= end]

    def overlapping(self, placed: list[_Placed], start: int, end: int) -> list[_Placed]:
        """Rows of `placed` overlapping `[start, end)` (rows span at most a sentence)."""
        starts = self._starts[id(placed)]
        first = bisect_left(starts, start - MAX_ROW_CHARS)
        return [p for p in placed[first:bisect_left(starts, end)] if p.end > start]


def _is_claim(ctx: _DocumentContext, q: _Placed) -> bool:
    """Quantities that are times or time spans make no claim."""
    quantity: Quantity = q.row
    if any(t.row.type != "duration" for t in ctx.overlapping(ctx.times, q.start, q.end)):
        return False
    if quantity.dimension == "duration":
        after = ctx.doc.text[q.end:q.end + 4]
        before = ctx.doc.text[max(0, q.start - 3):q.start]
        if ctx.rules.span_after.match(after) or ctx.rules.span_before.search(before):
            return False
    return quantity.value is not None


def _cue_before(ctx: _DocumentContext, start: int, end: int, kind: str) -> bool:
    """Whether a (strong) cue of this kind occurs in `text[start:end]`."""
    return bool(ctx.cues(kind, start, end))


def _period_end(value: str | None) -> str | None:
    """Last day of a normalised time (`2021-H1` → 2021-06-30), as a sortable string."""
    if not value:
        return None
    last = value.split("/")[-1]
    match = _TIME_VALUE.fullmatch(last)
    if not match:
        return None
    year, month, quarter, half, day = match.groups()
    if day:
        return f"{year}-{month}-{day}"
    end_month = int(month) if month else int(quarter) * 3 if quarter else 6 * int(half) if half else 12
    return f"{year}-{end_month:02d}-{calendar.monthrange(int(year), end_month)[1]:02d}"


def _unfinished(time_value: str | None, anchor: str | None) -> bool:
    """Whether the period a number is about had not ended when the document was written."""
    end = _period_end(time_value)
    if not end or not anchor:
        return False
    written = (anchor + "-01-01")[:10]  # a year-only anchor: an annual report, read early that year
    return end > written


@cache
def _plan_periods() -> frozenset[str]:
    """Values of the five-year plans (`1953/1957`)."""
    periods = times.planning_periods().values()
    return frozenset(f"{first}/{last}" for first, last in periods)


def _modal_use(text: str, at: int) -> bool:
    """Whether the word after 将/要 at `at` makes it a modal (将首次对…, 将向…, 要扩大) rather than
    把 before an object (将2.8万亿元…纳入)."""
    tagged = _tagged(text[at:at + 6])
    if not tagged:
        return False
    word, pos = tagged[0]
    return pos[:1] in ("v", "d", "p") or (pos == "m" and not _NUMERAL_START.match(word))  # 首次, not 三个


def _plan_ahead(time_value: str | None, anchor: str | None) -> bool:
    """Whether a five-year plan has years left after the document's: its totals are still goals
    (1953/1957 in 1955), while in its last year they are near-final results (in 1957)."""
    return bool(anchor and time_value and anchor[:4] < time_value[-4:])


def _modality(ctx: _DocumentContext, sentence_start: int, position: int, carried: str,
              qualified: bool = False, after_end: int | None = None) -> str:
    """The nearest cue before `position` decides (the longest at one place). A cue counts in the
    number's own clause, or in an earlier clause of the sentence that introduces a list with `：`
    (`预期目标是：…增长5.5%左右`). A weak cue (将, 要) must stand close to the number, not right
    before an unqualified number (`将2.8万亿元…纳入` is 把; `将为575万吨` is not), and never
    overrides a strong one (预计…将…); a forecast cue heading the sentence governs all of it
    (`预计今年财政收入继续增长，…支出规模比去年扩大2万亿元以上`); further away a weak cue counts
    when a verb, adverb or preposition follows it (`将首次对…发放１万－３万元`). Clauses after `其中`
    share the cues of the clause before it. With no cue before it, a forecast cue later in the number's clause (up to `after_end`) makes
    it a forecast."""
    text = ctx.doc.text
    clause_start = ctx.clause(position)[0] if position > sentence_start else sentence_start
    detail = _DETAIL.search(text, sentence_start, clause_start + 2)
    if detail:  # 国家计划新建…项目，其中有…，三十个大电站: the items share the opening clause's cue
        clause_start = ctx.clause(max(sentence_start, detail.start() - 2))[0]
    strong, strong_at, weak_at = carried, (-1, 0), -1
    bases = [m.span() for m in ctx.rules.basis.finditer(text, clause_start, position)]
    for kind in ctx.rules.cues:
        for match in ctx.cues(kind, sentence_start, position):
            cue = match["cue"]
            if any(a < match.start() < b for a, b in bases):  # 比1980年预计增长: a basis
                continue
            if kind == "target" and text[match.end():match.end() + 1] in ("的", "了"):
                continue  # 规定的投资总额的三分之一: the cue qualifies a noun; 安排了: it is done
            in_clause = match.start() >= clause_start
            if kind == "target_near":
                gap = position - match.end()
                if (in_clause and (qualified or gap >= WEAK_CUE_MIN_GAP) and (
                        gap <= WEAK_CUE_REACH or _modal_use(text, match.end()))) \
                        or (not in_clause and _modal_use(text, match.end())  # 将向…发放１万元，…发放２万元
                            and not _CONTRAST.search(text, match.end(), position)):  # 将达到…，而旧中国…
                    weak_at = max(weak_at, match.start())
            elif in_clause or text[ctx.clause(match.start())[1]:][:1] in ("：", ":") \
                    or (kind == "forecast" and match.start() - sentence_start <= HEAD_CUE_CHARS):
                if (match.start(), len(cue)) > strong_at:
                    strong, strong_at = kind, (match.start(), len(cue))
    if strong == "fact" and weak_at > strong_at[0]:
        return "target"
    if strong == "fact" and strong_at == (-1, 0) and after_end is not None \
            and _cue_before(ctx, position, after_end, "forecast"):  # １１种大病明年有望获…
        return "forecast"
    return strong


def _time_roles(ctx: _DocumentContext) -> dict[int, object]:
    """How each time may govern a number: the quantity it belongs to (`1954年的97个`), the
    brackets it sits in (`（400g/盒，2011-08-23）` dates only what the brackets hold), "none"
    (a year inside a name, `2021智博会`; a basis, `比上年`) or "governs"."""
    text = ctx.doc.text
    starts = {q.start: q for q in ctx.quantities}
    roles: dict[int, object] = {}
    for t in ctx.times:
        row: TimeExpr = t.row
        attached = starts.get(t.end + 1) if text[t.end:t.end + 1] == "的" else None
        bracket = ctx.bracket(t.start)
        if attached is not None:
            roles[id(t)] = attached
        elif bracket is not None:
            roles[id(t)] = bracket
        elif (row.type == "year" and "年" not in row.text and row.text[:1].isdigit()) \
                or _CAUSE.match(text, ctx.clause(t.start)[0]) \
                or (row.value in _plan_periods() and row.text.endswith("划") and text[t.end:t.end + 1] == "的") \
                or text[max(0, t.start - 1):t.start] in ("比", "较") \
                or (text[max(0, t.start - 1):t.start] in ("同", "与", "和", "跟")
                    and _COMPARED.match(text, t.end)):  # 同1987年相比
            roles[id(t)] = "none"
        else:
            roles[id(t)] = "governs"
    return roles


def _governing(t: _Placed) -> bool:
    row: TimeExpr = t.row
    return bool(row.resolved and row.value and row.type in _GOVERNING_TIME_TYPES)


def _time_for(ctx: _DocumentContext, sentence_start: int, q: _Placed, roles: dict) -> _Placed | None:
    """The quantity's own time (`1954年的97个`), else the nearest governing time before it in
    its sentence, else one after it in its clause (`１１种大病明年有望…`) or in a short closing
    clause (`…将为八十万千瓦，一九五九年建成。`); `全年` defers to the context when there is one."""
    bracket = ctx.bracket(q.start)
    if bracket is not None:
        for t in ctx.within(ctx.times, *bracket):
            if _governing(t):
                return t
    best = None
    for t in ctx.within(ctx.times, sentence_start, q.start):
        if not _governing(t):
            continue
        role = roles[id(t)]
        if role is q:
            return t
        if role == "governs":
            best = t
    if best is None:
        clause_end = ctx.clause(q.start)[1]
        text = ctx.doc.text
        closing_end = ctx.clause(clause_end + 1)[1] if text[clause_end:clause_end + 1] in "，," else clause_end
        for t in ctx.within(ctx.times, q.end, closing_end):
            if not (_governing(t) and roles[id(t)] == "governs"):
                continue
            right_after = t.end <= clause_end and t.start - q.end <= AFTER_TIME_REACH
            closing = t.start == clause_end + 1 and closing_end - t.end <= CLOSING_CLAUSE_CHARS \
                and text[closing_end:closing_end + 1] in "。；;"
            if right_after or closing:
                return t
    return best


def _time_value(t: _Placed, review_year: str | None) -> str:
    """A year-end stock (`年末`, `年底` → YYYY-12-31) is reported as its year, an open range
    (`下月起` → 2012-07/..) as its known end; in an annual
    report, a span up to the report's year (`过去五年` → 1988/1993) ends with the year reviewed."""
    row: TimeExpr = t.row
    value = (row.value or "").removesuffix("/..").removeprefix("../")  # 下月起: from next month
    if review_year and row.text in _BARE_YEAR_EDGES:  # 年末, 年初 in a review: the year reviewed
        return review_year
    if row.text.endswith(("末", "底")) and value.endswith("-12-31") and len(value) == 10:
        return value[:4]
    if review_year and row.type == "period" and value.endswith(f"/{int(review_year) + 1}") \
            and value not in _plan_periods():  # a plan's years are its own
        start = value.rsplit("/", 1)[0]
        return review_year if start == review_year else f"{start}/{review_year}"
    return value


def _subject_candidates(ctx: _DocumentContext, start: int, end: int) -> list[_Placed]:
    """Entities that can be a subject: not examples (X等), not objects after 在/与/和/(提)请."""
    text = ctx.doc.text
    found = []
    for e in ctx.within(ctx.entities, start, end):
        if e.row.label not in _SUBJECT_PRIORITY:
            continue
        after = text[e.end:e.end + 1]
        before = text[max(0, e.start - 1):e.start]
        if after == "等" or before in ("在", "与", "和", "同", "向", "对", "赴", "到", "请"):
            continue
        if _TITLE_AFTER.match(text, e.end):
            continue  # 国务院总理李强, 市人社局负责人: the organisation qualifies a person
        # A place right before an organisation only qualifies it (重庆金康赛力斯).
        if e.row.label in ("GPE", "LOC") and e.end in ctx.entity_starts:
            continue
        found.append(e)
    return found


def _in_subject_position(ctx: _DocumentContext, entity: _Placed) -> bool:
    """Whether an entity opens its clause (after times and openers): `三年来，重庆实施…`."""
    start = ctx.clause(entity.start)[0]
    before = ctx.doc.text[start:entity.start]
    for t in ctx.within(ctx.times, start, entity.start):
        before = before.replace(ctx.doc.text[t.start:t.end], "")
    before = before.strip(_TRIM)
    while before:
        head = ctx.rules.opener_head.match(before)
        if not head:
            return False
        before = before[head.end():].strip(_TRIM)
    return True


def _pick_subject(candidates: list[_Placed]) -> _Placed | None:
    if not candidates:
        return None
    return min(candidates, key=lambda e: (_SUBJECT_PRIORITY[e.row.label], e.start))


def _subject_text(entity: Entity) -> str:
    """Name as written; a one-character abbreviation (渝, 沪) is given in full."""
    return entity.canonical if len(entity.text) == 1 else entity.text


def _ends_with_verb(words: str) -> bool:
    """Whether a metric candidate ends in a verb taking the number as object (发放, 惠及, 严守)."""
    tagged = _tagged(words)
    return bool(tagged) and tagged[-1][1] in ("v", "vn", "vd", "vg", "a", "ad")  # 严守 is tagged a


def _short_noun_phrase(text: str) -> bool:
    """Whether `text` (the rest of a clause) is a short noun phrase ending in a noun (报销经费,
    专项奖补资金): what an amount of money right before it pays for."""
    if not 2 <= len(text) <= SHORT_PHRASE_CHARS:
        return False
    tagged = _tagged(text)
    return bool(tagged) and (tagged[-1][1][:1] == "n" or tagged[-1][1] == "vn") \
        and all(pos[:1] in ("n", "v", "a", "b") for _word, pos in tagged)


def _opens_noun_phrase(text: str) -> bool:
    """Whether `text` starts with a word that can head a noun phrase (not 有, 是: `…以上的有生铁`)."""
    tagged = _tagged(text[:8])
    return bool(tagged) and not tagged[0][1].startswith(("v", "p", "c", "u"))


def _is_content_word(word: str) -> bool:
    """Whether a one-character metric names a thing (纸, 糖, 钢) rather than a function word (但, 其)."""
    return bool(word) and all(pos[:1] not in "dpcurmqfxyeo" for _word, pos in _tagged(word))


def _metric(rules: ClaimRules, quantity: Quantity, left: str, right: str,
            removable: tuple[list[str], list[str]], listed: str | None,
            basis_metric: str | None) -> tuple[str, str]:
    """(metric words, rule id) from the clause around a quantity: the starting level of a
    comparison shares the compared metric (比1958年的214亿元); a 分别 list item; the noun after
    `的` (3400平方米的两江多功能厅); the counted noun (610家企业参展); the words on the left;
    or the object of a verb on the left (使用1000亿元失业保险基金)."""
    if basis_metric:
        return basis_metric, "metric.basis"
    if listed is not None:
        return _strip_metric(listed, rules, *removable), "metric.respectively"
    if right.startswith("的") and (_opens_noun_phrase(right[1:]) or _short_noun_phrase(right[1:])):
        owned = _strip_metric(right[1:], rules)
        if owned and owned not in _FRAME_NOUNS:  # 在能源增长不到3％的情况下: a frame, not a thing
            return owned, "metric.attributive"
    if quantity.dimension == "currency" and right not in _FRAME_NOUNS and _short_noun_phrase(right):  # １万元慰问金
        return right, "metric.attributive"
    if quantity.classifier and quantity.dimension == "count" and right \
            and not _CLAUSE_OPENING.match(right):
        counted = _strip_metric(right, rules)
        if counted:  # a measure word that is itself what is counted comes along (５批次含强致癌物)
            unit = quantity.classifier if len(quantity.classifier) > 1 else ""
            return unit + counted, "metric.counted_noun"
    metric = _strip_metric(left, rules, *removable)
    if _NOUN_START.match(right) and (not metric or _ends_with_verb(metric)) \
            and quantity.unit_text != "周年":  # 成立75周年系列会议: the anniversary of 成立
        verb_object = _strip_metric(right, rules, removable[0])
        if verb_object and not _only_verbs(verb_object):
            return verb_object, "metric.object"
    return metric, "metric.left"


def _only_verbs(words: str) -> bool:
    """Whether jieba reads a metric candidate as verbs only (使用, 发放): no noun to measure."""
    return all(pos[0] in "vd" or pos == "ad" for _word, pos in _tagged(words))


def _sums_up_list(ctx: _DocumentContext, q: _Placed) -> bool:
    """Whether a count directly follows the names it counts (`漳州、桂林两城市`, `…常熟等十一个城市`)."""
    if q.row.dimension != "count":
        return False
    end = q.start - 1 if ctx.doc.text[q.start - 1:q.start] == "等" else q.start
    named = ctx.place_ends.get(end)
    return named is not None and ctx.doc.text[named.start - 1:named.start] in ("、", "，")


def _row_label(text: str, start: int, end: int) -> str | None:
    """The label opening a paragraph of a list (`铁：…`, `轻工业，总产值…`, `冶金机械和矿山机械：…`):
    a few nouns and nothing else before the first `：` or `，` — whom the paragraph's figures are about."""
    match = _ROW_LABEL.match(text, start, end)
    if not match:
        return None
    tagged = _tagged(match["label"])
    nouns = [pos[:1] == "n" or pos in ("j", "vn") for _word, pos in tagged]
    if nouns[0] and nouns[-1] and all(noun or pos == "c" for noun, (_word, pos) in zip(nouns, tagged)):
        return match["label"]
    return None


def _topic(ctx: _DocumentContext, sentence_start: int, clause_start: int) -> str:
    """The first short clause of the sentence, before the number's, that names a topic
    (`例如，钢的产量，…`, `一九五九年基本建设投资总额，通过国家预算的部分，拟定为…`); a clause
    opening with a preposition or conjunction frames the sentence (`根据…新形势，`) and names none."""
    text = ctx.doc.text
    start = sentence_start
    while start < clause_start:
        end = min(ctx.clause(start)[1], clause_start)
        if not any(q.start < end and q.end > start for q in ctx.quantities):
            times = [text[t.start:t.end] for t in ctx.overlapping(ctx.times, start, end)]
            topic = _strip_metric(text[start:end], ctx.rules, times)
            if 2 <= len(topic) <= TOPIC_MAX_CHARS and _tagged(topic)[0][1][:1] not in ("p", "c"):
                return topic
        start = end + 1
    return ""


def _kind(ctx: _DocumentContext, left: str, quantity: Quantity) -> tuple[str, str, str | None]:
    """(kind, direction, basis) from the words right before the number."""
    rules = ctx.rules
    tail = _KIND_TAIL.sub("", left.rstrip(_TRIM)) or left
    bases = _bases(left, rules)
    basis = bases[-1] if bases else None
    if quantity.dimension == "rank":
        return "rank", "none", basis
    if quantity.qualifier not in _LEVEL_QUALIFIERS:  # 提高到100% is the level reached
        if rules.change_up.search(tail):
            return "change", "up", basis
        if rules.change_down.search(tail):
            return "change", "down", basis
        if basis and basis.startswith("比") and rules.comparison.search(tail):
            direction = "down" if _LOWER.search(tail) else "up"
            return "comparison", direction, basis
    if quantity.dimension in ("percent", "percentage_point") and _SHARE.search(left):
        return "share", "none", basis
    return "level", "none", basis


def _respectively(ctx: _DocumentContext, sentence: tuple[int, int], claims_in_sentence: list[_Placed]):
    """(metric words, the words before the first number) per quantity of `A、B、C…分别…x、y、z`,
    when the counts agree."""
    text = ctx.doc.text
    result: dict[int, tuple[str, str]] = {}
    if len(claims_in_sentence) < 2:
        return result
    for match in _RESPECTIVELY.finditer(text, sentence[0], sentence[1]):
        at = match.start()
        following = [q for q in claims_in_sentence if q.start > at]
        run = following[:1]
        for q in following[1:]:
            gap = text[run[-1].end:q.start]
            if _LIST_GAP.fullmatch(gap):
                run.append(q)
            else:
                break
        clause_start = ctx.clause(at)[0]
        head = text[clause_start:at]
        for basis in _bases(head, ctx.rules):
            head = head.replace(basis, "")
        items = [i.strip(_TRIM) for i in _LIST_SPLIT.split(head) if i.strip(_TRIM)]
        if len(run) >= 2 and len(items) == len(run):
            shared_left = text[clause_start:run[0].start]
            for q, item in zip(run, items):
                result[id(q)] = (item, shared_left)
    return result


def _table_captions(ctx: _DocumentContext, roles: dict) -> dict[int, tuple[str, _Placed | None]]:
    """For each cell of a flattened table (a run of short unpunctuated lines), the table's
    caption words and time (`部分城市出租车燃油附加费调整情况（截止７月１７日）`)."""
    sentences = ctx.doc.sentences
    captions: dict[int, tuple[str, _Placed | None]] = {}
    run: list[int] = []
    gap = 0
    for sentence in list(sentences) + [None]:
        if sentence is not None and sentence.kind == "heading" and len(sentence.text) <= TABLE_CELL_MAX_CHARS:
            run.append(sentence.sent_id)
            gap = 0
            continue
        if sentence is not None and run and gap < TABLE_MAX_GAP:  # a long cell inside the table
            gap += 1
            continue
        gap = 0
        if len(run) >= TABLE_MIN_CELLS:
            nearby = run[-3:] + [run[-1] + 1] + run[:2] + [run[0] - 1]
            for sent_id in nearby:
                if not 0 <= sent_id < len(sentences):
                    continue
                caption = sentences[sent_id].text
                if TABLE_CAPTION.search(caption):
                    start, end = ctx.doc.sentence_bounds(sent_id)
                    times = [t for t in ctx.within(ctx.times, start, end) if _governing(t)]
                    words = _strip_metric(TABLE_CAPTION.sub("", caption), ctx.rules,
                                          [ctx.doc.text[t.start:t.end] for t in times])
                    if not words:
                        continue
                    for cell in run:
                        captions[cell] = (words, times[0] if times else None)
                    break
        run = []
    return captions


def _reviewed_year(doc: PreparedDoc, rules: ClaimRules, times: list[TimeExpr]) -> str | None:
    """For an annual report (a report by its title or opening, written by mid-year, reviewing
    `过去一年`/`去年` or naming the previous year, `一九五七年`), the year its undated facts are
    about; None for other documents, whose undated facts hold at their date."""
    anchor = doc.anchor or ""
    if len(anchor) < 7 or int(anchor[5:7]) > REPORT_MONTHS:
        return None
    opening = (doc.title or "") + doc.text[:REPORT_OPENING_CHARS]
    previous = str(int(anchor[:4]) - 1)
    if not rules.report_words.search(opening) or not (
            rules.review_words.search(doc.text) or any(t.value == previous for t in times)):
        return None
    return previous


def _paragraph_numbers(doc: PreparedDoc) -> list[int]:
    """Paragraph number of each sentence: a new one after a line break or at a non-body line."""
    numbers, number, previous = [], 0, None
    for sentence in doc.sentences:
        if previous is not None and (sentence.kind != "body" or previous.kind != "body"
                                     or "\n" in doc.raw[previous.end:sentence.start]):
            number += 1
        numbers.append(number)
        previous = sentence
    return numbers


def find_claims(doc: PreparedDoc, quantities: list[Quantity], times: list[TimeExpr],
                entities: list[Entity], aliases: list[Alias]) -> list[Claim]:
    """One claim per quantity that states something, in text order."""
    del aliases  # alias mentions already arrive as entities with their canonical name
    rules = load_rules()
    ctx = _DocumentContext(doc, quantities, times, entities, rules)
    roles = _time_roles(ctx)
    table_captions = _table_captions(ctx, roles)
    text = doc.text
    claims: list[Claim] = []
    section_time = section_subject = None
    paragraph_time = paragraph_subject = paragraph_label = None
    paragraph_modality = "fact"
    previous_metric = None
    continued = False  # the previous sentence ended in ； (one sentence, split for reading)
    section_plans = False  # the section heading announces tasks or targets (政府工作任务)
    paragraph_plans = False  # a strong target cue (计划, 目标 …) seen in this paragraph
    review_year = _reviewed_year(doc, rules, times)
    paragraph_of = _paragraph_numbers(doc)
    busy = {paragraph_of[doc.sent_id_at(q.start)] for q in ctx.quantities}
    q_index = 0
    # Paragraphs without quantities have nothing to claim and nothing to pass on; headings
    # still set the section's time, subject and plans.
    visited = [s for s in doc.sentences if s.kind == "heading" or paragraph_of[s.sent_id] in busy]
    for sentence in visited:
        s_start, s_end = doc.sentence_bounds(sentence.sent_id)
        sent_id = sentence.sent_id
        new_paragraph = sent_id == 0 or paragraph_of[sent_id] != paragraph_of[sent_id - 1]
        sentence_times = [t for t in ctx.within(ctx.times, s_start, s_end) if _governing(t)
                          and roles[id(t)] == "governs" and t.row.text not in _CONTEXT_YEAR_WORDS]
        if sentence.kind == "heading":
            section_plans = bool(rules.plan_heading.search(sentence.text))
            # `“十三五”时期发展成就和“十四五”时期主要目标任务`: a plan heading is about its future period
            upcoming = [t for t in sentence_times if section_plans and _unfinished(t.row.value, doc.anchor)]
            section_time = (upcoming or sentence_times or [section_time])[0]
            section_subject = _pick_subject(_subject_candidates(ctx, s_start, s_end)) or section_subject
            paragraph_time = paragraph_subject = None
            paragraph_modality = "fact"
        elif new_paragraph:
            paragraph_time, paragraph_subject, paragraph_modality = None, None, "fact"
        if new_paragraph:
            paragraph_plans = section_plans
            paragraph_label = _row_label(text, s_start, s_end) if sentence.kind == "body" else None
        paragraph_plans = paragraph_plans or _cue_before(ctx, s_start, s_end, "target")
        in_sentence = []
        while q_index < len(ctx.quantities) and ctx.quantities[q_index].start < s_end:
            q = ctx.quantities[q_index]
            q_index += 1
            if q.start >= s_start and _is_claim(ctx, q):
                in_sentence.append(q)
        respectively = _respectively(ctx, (s_start, s_end), in_sentence)
        if not continued:
            previous_metric = None
        claim_subject = None
        group_subject = None
        sentence_subject = _pick_subject([e for e in _subject_candidates(ctx, s_start, s_end)
                                          if _in_subject_position(ctx, e)])
        for q in in_sentence:
            quantity: Quantity = q.row
            c_start, c_end = ctx.clause(q.start)
            time_p = _time_for(ctx, s_start, q, roles)
            if time_p is not None and time_p.row.text in _CONTEXT_YEAR_WORDS:  # 全年: of the context
                time_p = paragraph_time or section_time or (None if review_year else time_p)
            caption, caption_time = table_captions.get(sentence.sent_id, ("", None))
            time_p = time_p or caption_time or paragraph_time or section_time
            time_value = _time_value(time_p, review_year) if time_p else doc.anchor
            time_id = time_p.row.time_id if time_p else None

            earlier = [p.end for p in in_sentence if p.end <= q.start and p.start >= c_start]
            left_start = max([c_start] + earlier)
            left_raw = text[left_start:q.start]
            later = [p.start for p in in_sentence if p.start >= q.end and p.end <= c_end]
            right_raw = text[q.end:min([c_end] + later)]
            clause_times = [text[t.start:t.end] for t in ctx.overlapping(ctx.times, c_start, c_end)]
            leading_names = [text[e.start:e.end] for e in ctx.within(ctx.entities, c_start, q.start)
                             if e.row.label not in ("PRODUCT", "FAC")] + rules.territory.findall(left_raw)
            removable = (clause_times, leading_names)

            from_level = _FROM_LEVEL.search(left_raw)
            listed = respectively.get(id(q))
            if listed is not None:
                left_raw = listed[1]  # kind and basis come from the verb the list shares
            basis_metric = previous_metric if from_level and from_level[0] not in ("从", "由") else None
            metric, metric_rule = _metric(rules, quantity, left_raw, right_raw, removable,
                                          listed[0] if listed else None, basis_metric)
            if len(metric) < 2 and not _is_content_word(metric):
                metric = ""
            if not metric and not previous_metric:
                metric, metric_rule = _topic(ctx, s_start, c_start), "metric.topic"
            if not metric and previous_metric:
                metric, metric_rule = previous_metric, "metric.previous"
            previous_metric = metric or previous_metric

            # what is measured is not whom it is about (3400平方米的两江多功能厅), but a one-character
            # place inside it is (11家来渝落户)
            measured = metric if metric_rule in _RIGHT_METRIC_RULES else ""
            clause_subject = _pick_subject([e for e in _subject_candidates(ctx, c_start, c_end)
                                            if not measured or len(e.row.text) < 2 or e.row.text not in measured])
            before = _subject_candidates(ctx, s_start, q.start)
            before_subject = _pick_subject([e for e in before if _in_subject_position(ctx, e)]) \
                or _pick_subject(before)
            territory = ctx.territory(c_start, q.start)
            # 全国仅１１个城市: the nation, not the city carried from before (全市 is that city)
            national = territory and territory[0] in _NATIONAL and text[territory.start() - 1:territory.start()] != "比"
            summed = _sums_up_list(ctx, q)  # 漳州、桂林两城市: the count is of the places named
            # a later clause of the same sentence keeps the subject it had (…达1875项，用户突破2200万人)
            carried_subject = None if national else (
                claim_subject or before_subject or sentence_subject or paragraph_subject or section_subject)
            subject_p = None if summed else clause_subject or carried_subject
            claim_subject = subject_p
            subject_id = subject_p.row.ent_id if subject_p is not None else None
            if subject_p is not None:
                subject = _subject_text(subject_p.row)
            elif summed:
                subject = paragraph_label
            else:  # 全国/我国 earlier in the sentence (我国的工业总产值，…增加了…), else a population group
                territory = territory or ctx.territory(s_start, q.start)
                group = None if territory else rules.groups.search(text, c_start, q.start)
                # …收入增加９１０元，达到１８２６元: the group of an earlier clause of the sentence
                subject = territory[0] if territory else group[0] if group else group_subject or paragraph_label
                if group:
                    group_subject = group[0]

            # a cue may end in the quantity's own bound word (指标为三千九百二十亿斤)
            prefix = quantity.qualifier if quantity.text.startswith(quantity.qualifier or "\0") else ""
            cue_end = q.start + len(prefix)
            modality = _modality(ctx, s_start, cue_end, paragraph_modality, bool(quantity.qualifier), c_end)
            fact_cue = _cue_before(ctx, s_start, q.start, "fact")
            if modality == "fact" and quantity.qualifier in rules.target_qualifiers and not fact_cue:
                modality = "target"  # a norm (绿地率不低于３０％)
            planned = _plan_ahead(time_value, doc.anchor) if time_value in _plan_periods() else paragraph_plans
            if modality == "fact" and planned and _unfinished(time_value, doc.anchor) and not fact_cue:
                modality = "target"  # a plan's figures for a period still to come
            own_time = time_p is not None and time_p.start >= s_start
            if review_year and modality == "fact" and not own_time and _PRESENT_STATE.search(text, c_start, q.start):
                time_value = doc.anchor  # 全国已有百分之七十六的县…: the state when reporting
            if review_year and modality == "fact" and (own_time or time_p is paragraph_time) \
                    and time_value == doc.anchor[:4] and not fact_cue:
                modality = "target"  # an annual report's figures for its own year are plans
            if modality == "forecast" and time_p is not None and doc.anchor \
                    and (_period_end(time_value) or "9") < doc.anchor:
                modality = "fact"  # 预计达到… of a year already over: a preliminary figure
            if from_level or quantity.unit_text == "周年":  # a starting level, an anniversary: what is
                modality = "fact"
            if time_p is None and review_year:  # an annual report: facts of the year reviewed,
                time_value = review_year if modality == "fact" else doc.anchor[:4]  # targets of this one
            elif time_p is None and modality != "fact":
                time_value = None  # a goal the text gives no date for is not about the present
            streak = _STREAK.search(text, max(0, q.start - 3), q.start)
            if streak and quantity.unit == "a" and time_value and _TIME_VALUE.fullmatch(time_value[-4:]):
                last = int(time_value[-4:])  # 连续四年获得丰收 (1992): 1989/1992
                time_value = f"{last - int(quantity.value) + 1}/{last}"
            kind, direction, basis = _kind(ctx, left_raw, quantity)
            if caption and (not metric or metric_rule != "metric.left"):
                metric, metric_rule = caption, "metric.table_caption"
            claims.append(Claim(
                claim_id=len(claims) + 1, doc_id=doc.doc_id, sent_id=quantity.sent_id,
                qty_id=quantity.qty_id, start=quantity.start, end=quantity.end, text=quantity.text,
                value=quantity.value, lower=quantity.lower, upper=quantity.upper, unit=quantity.unit,
                dimension=quantity.dimension, bound=quantity.bound, metric=metric or None,
                subject=subject, subject_ent_id=subject_id, time=time_value, time_id=time_id,
                kind=kind, direction=direction, basis=basis, modality=modality, rule=metric_rule,
            ))
            if subject_p is not None and _in_subject_position(ctx, subject_p):
                paragraph_subject = subject_p
        carried = [t for t in sentence_times if t.row.type in _CARRIED_TIME_TYPES]
        if carried:
            paragraph_time = carried[-1]
        if sentence_subject is not None:
            paragraph_subject = sentence_subject
        sentence_text = text[s_start:s_end]
        continued = sentence_text.endswith(("；", ";"))
        if continued:  # the next part of the same sentence keeps the modality
            paragraph_modality = _modality(ctx, s_start, s_end, paragraph_modality)
        elif ("：" in sentence_text or ":" in sentence_text) \
                and _modality(ctx, s_start, s_end, "fact") == "target":  # a list of targets follows
            paragraph_modality = "target"
        else:
            paragraph_modality = "fact"
    first_body = next((s.sent_id for s in doc.sentences if s.kind == "body"), len(doc.sentences))
    titles = {s.sent_id for s in doc.sentences[:first_body] if len(s.text) > TABLE_CELL_MAX_CHARS}  # not table cells
    return _headlines_follow_body(claims, titles)


def _headlines_follow_body(claims: list[Claim], headings: set[int]) -> list[Claim]:
    """The title lines restate figures of the body (`烈士每人３万` over `…将…发放每人３万元`): a
    title figure takes the modality the body gives it."""
    body: dict[tuple, Claim] = {}
    for claim in claims:
        if claim.sent_id not in headings:
            body.setdefault((claim.value, claim.unit), claim)
    followed = []
    for claim in claims:
        source = body.get((claim.value, claim.unit)) if claim.sent_id in headings else None
        if source is not None and claim.modality == "fact":
            claim = replace(claim, modality=source.modality)
        followed.append(claim)
    return followed


if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


@Language.factory("zhfacts_claims", default_config={"segmenter": "rjieba"})
def make_claims_component(nlp: Language, name: str, segmenter: str):
    """spaCy component: `doc._.claims` lists the Claim records of the doc's text (offsets into
    `doc.text`); the anchor date comes from `doc.user_data["anchor"]`."""
    from pipeline.extract import run_stages
    from pipeline.repair import prepare_text
    from pipeline.segment import segment

    def annotate(doc: Doc) -> Doc:
        prepared = segment(prepare_text(doc.text, "doc", doc.user_data.get("anchor")), segmenter)
        doc._.claims = run_stages(prepared)[-1]
        return doc

    return annotate
