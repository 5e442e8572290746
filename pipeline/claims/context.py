"""Where things are in one document: quantities, times and entities placed in the repaired text,
clause and bracket positions, and the cue matches of each sentence, found once and shared by all
the linkers. Also the small jieba readers the linkers share (tags, word boundaries, bases)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import numpy
import regex

from pipeline.claims.document import DocumentInfo
from pipeline.claims.rules import ClaimRules, alternation
from pipeline.number_forms import SKIPPED, number_forms
from pipeline.prepared import CLAUSE_BREAK, PreparedDoc
from pipeline.script import to_simplified
from pipeline.segment import tagger
from pipeline.times import load_rules as load_time_rules

QUOTES = "“”「」『』\"'‘’《》"
TRIM = " \u3000、，,；;：:（）()" + QUOTES  # (full-width spaces pad names in portal copy: 买入　工商银行　)
SOURCE_CLAUSE_BEFORE = "，,；;。：:！？!?\n 　" + QUOTES  # what a 据…报道， clause opens after
MAX_ROW_CHARS = 64
DATELINE_LEAD = 7  # （本报 | 新华社: the bracket and words the dateline pattern allows before the agency
DATELINE_REACH = 60  # how far into a paragraph its dateline may end (a title run into it comes first)
HOLDER_GAP = 3  # 湖南省|煤炭|系统: how many characters may stand between a name and the head of its holder
TEAM_GAP = 4  # 山西|兴瑞烈焰|女篮: and between a place and its club's team (a sponsor's name)
COMPARED_WITH = ("同", "与", "和", "跟")  # 同1987年相比: what follows one of these is compared with
COMPARED = regex.compile(r"[^，,。；;]{0,8}?(?:相比|比较|比較)")  # 同1952年的实际数字作比较
WRITTEN_YEAR = regex.compile(r"[0-9０-９〇零一二三四五六七八九]{2,4}年|[今明去前本上]年")  # 1997年, 去年: a year written out
LIST_JOINER = r"、|和|与|及|以及"  # between the items of a list (增加值、产量和产值; 漳州、桂林)
LIST_JOINERS = regex.compile(LIST_JOINER)
_BRACKETED = regex.compile(r"[（(][^（）()\n]{1,60}[）)]")
# a plan as the basis of a comparison (超过年度计划百分之四点一, 超过了所规定的的指标百分之十七点三)
_PLAN_BASIS = r"(?:超额)?(?:超过|完成)了?[^，,；;：:。]{0,24}?(?:计划|指标)的?(?=$|[\d０-９〇一二三四五六七八九十两]|百分之)"


@dataclass(frozen=True)
class Placed:
    """A row with its span in the repaired text."""

    start: int
    end: int
    row: object




def _inside(p: Placed, spans: list[tuple[int, int]]) -> bool:
    return any(start <= p.start and p.end <= end for start, end in spans)


QUOTED_NAME_CHARS = 30  # “高等教育面向２１世纪教学内容和课程体系改革计划”: how long a quoted name may be
_QUOTES = {"“": "”", "《": "》", "「": "」"}
QUOTE_MARKS = {"“": "”", "「": "」"}  # quotes, not the 《》 of a title (《深圳市…奖励办法》 is the place's)
_QUOTED_BREAK = regex.compile(r"[，,。；;！？!?：:\n]")


def inside_quoted_name(text: str, t: Placed, quotes: dict[str, str] = _QUOTES) -> bool:
    """Whether a time or name is part of a name in quotes that holds more than it (“高等教育面向２１世纪
    …改革计划”, 《2010年远景目标纲要》, “直通巴黎”): it names a thing, it dates nothing and is whom
    nothing is about; a quote of it alone (“九五”) and a quoted sentence (“今年…，…”) do not count."""
    for opening, closing in quotes.items():
        start = text.rfind(opening, max(0, t.start - QUOTED_NAME_CHARS), t.start)
        if start < 0 or text.find(closing, start, t.start) >= 0:
            continue
        end = text.find(closing, t.end, start + QUOTED_NAME_CHARS + 2)
        inside = text[start + 1:end] if end >= 0 else ""
        if inside and inside != text[t.start:t.end] and not _QUOTED_BREAK.search(inside):
            return True
    return False


def place(doc: PreparedDoc, rows) -> list[Placed]:
    spans = doc.text_spans([row.start for row in rows], [row.end for row in rows])
    return sorted((Placed(start, end, row) for (start, end), row in zip(spans, rows)),
                  key=lambda p: (p.start, p.end))


def boundaries(text: str, patterns: Patterns) -> set[int]:
    """Offsets where jieba puts a word boundary in `text`."""
    cuts, position = {0}, 0
    for word, _pos in patterns.tagged(text):
        position += len(word)
        cuts.add(position)
    return cuts


class Patterns:
    """The compiled patterns of the rules and the tagger of the chosen segmenter, shared by every
    document segmented with it."""

    def __init__(self, rules: ClaimRules, segmenter: str):
        tag = tagger(segmenter)
        # jieba's (word, pos) pairs of a short fragment; fragments recur (`糖`, `城市`): tagged once
        self.tagged = lru_cache(maxsize=1 << 14)(lambda text: tuple(tag(text)))
        modality = rules.words["modality"]
        not_target = rules.alternation("modality", "not_target")
        # A cue must not sit inside a longer word that means something else (主要, 将来); a weak one
        # (要) not inside a strong one (要求), which counts in its own clause only.
        self.cues = {
            kind: regex.compile(rf"(?:{not_target if kind != 'target_near' else alternation([*modality['not_target'], *modality['target']])})"
                                rf"|(?P<cue>{rules.alternation('modality', kind)})")
            for kind in ("target", "target_near", "forecast", "fact")
        }
        self.target_qualifiers = frozenset(modality["target_qualifiers"])
        self.plan_near = frozenset(modality["plan_near"])
        self.goal_verb = rules.pattern("modality", "goal_verbs")
        # …完成全年９００万人目标的|７７％: the plan a share is of, right before the number
        self.plan_share = regex.compile(
            rf"(?:{rules.alternation('modality', 'plan_share_verbs')})(?P<plan>[^，,；;。：:\n]{{0,16}}?"
            rf"(?:{rules.alternation('modality', 'plan_nouns')}))的$")
        self.forecast_governs = rules.pattern("modality", "forecast_governs")
        self.source_opener = rules.pattern("modality", "source_openers")
        self.done_after = regex.compile(rules.alternation("modality", "done_after"))
        self.done_before = rules.pattern("modality", "done_before")
        self.done_in_review = frozenset(rules.words["modality"]["done_in_review"])
        self.basis_frame = rules.pattern("modality", "basis_frames")
        self.announcing_will = tuple(rules.words["modality"]["announcing_will"])
        self.outcome_after_will = regex.compile(
            rf"(?:{rules.alternation('modality', 'will')})(?:会)?(?:{rules.alternation('modality', 'outcome_verbs')})")
        self.continuer = regex.compile(rf"(?<=[，,；;])(?:{rules.alternation('modality', 'continuers')})")
        self.comparing_continuer = rules.pattern("modality", "comparing_continuers", "^")
        self.continuer_head = rules.pattern("modality", "continuers", "^")
        changes = rules.alternation("kind", "change_up", "change_down", "comparison")
        self.change_up = regex.compile(rf"(?:{rules.alternation('kind', 'change_up')})(?:了)?$")
        self.change_down = regex.compile(rf"(?:{rules.alternation('kind', 'change_down')})(?:了)?$")
        self.comparison = rules.pattern("kind", "comparison", "$")
        self.change_head = regex.compile(rf"^(?:{rules.alternation('kind', 'change_up', 'change_down')})")
        copula = [*rules.words["metric"]["copula"], *(w for name in ("change_up", "change_down", "comparison")
                                                          for w in rules.words["kind"][name])]
        self.copula_tail = regex.compile(rf"(?:{alternation(copula)})$")
        self.opener_head = rules.pattern("metric", "opener", "^")
        self.basis = regex.compile(rf"同比|环比|{_PLAN_BASIS}|[比较](?:[^，,；;：:。比较]{{1,15}})(?=(?:分别)?(?:{changes}))")
        self.basis_glued = tuple(rules.words["kind"]["basis_glued"])
        self.basis_verb = regex.compile(rf"(?:分别)?(?:{changes})")
        self.frame_nouns = frozenset(rules.words["metric"]["frame_nouns"])
        self.verbal_classifiers = frozenset(rules.words["metric"]["verbal_classifiers"])
        self.goal_nouns = tuple(rules.words["metric"]["goal_nouns"])
        self.rate_noun = regex.compile(rules.alternation("metric", "rate_nouns"))
        self.score_metric = rules.words["metric"]["score"][0]
        self.score_kind = rules.pattern("metric", "score_kinds")
        self.match_period = rules.pattern("metric", "match_periods")
        self.points_metric = rules.words["metric"]["points"][0]
        self.standings = rules.pattern("metric", "standings")
        self.proposal_title = rules.pattern("modality", "proposal_titles", "$")
        self.goal_named_after = regex.compile(rf"(?:左右)?的(?:{rules.alternation('modality', 'goals_named_after')})")
        self.share_words = frozenset(rules.words["metric"]["share_words"])
        self.holder_links = frozenset(rules.words["subject"]["holder_links"])
        self.existence_after_place = rules.pattern("subject", "existence_after_place")
        self.apposed_sexes = frozenset(rules.words["subject"]["apposed_sexes"])
        # after a figure: the measure's noun, if any, and the 的 joining it to what it describes (２５１万人口的湘西)
        self.qualifying_tail = regex.compile(rf"(?:{rules.alternation('subject', 'qualifying_nouns')})?的")
        self.object_markers = frozenset(rules.words["subject"]["object_markers"])
        self.time_zone = rules.pattern("subject", "time_zones")
        self.route_joiner = rules.pattern("subject", "route_joiners")
        self.route_joiner_before = rules.pattern("subject", "route_joiners", "$")
        self.local_organ = regex.compile(
            rf"([{''.join(rules.words['subject']['local_levels'])}])(?:{rules.alternation('subject', 'local_organs')})")
        self.sector = regex.compile(rf"\p{{Han}}{{2,4}}?(?:{rules.alternation('subject', 'sector_heads')})")
        self.aspect_words = frozenset(rules.words["metric"]["aspect_words"])
        self.size_words = frozenset(rules.words["metric"]["size_words"])
        self.scored_classifiers = frozenset(rules.words["metric"]["scored_classifiers"])
        self.capacity_tail = rules.pattern("metric", "capacity_heads", "$")
        self.duration_noun_head = rules.pattern("metric", "duration_nouns", "^")
        self.stake_head = rules.pattern("metric", "stake_nouns", "^")
        self.rank_scopes = frozenset(rules.words["metric"]["rank_scopes"])
        ranked = rf"(?:{rules.alternation('metric', 'rank_verbs')})?(?:{rules.alternation('metric', 'rank_scopes')})"
        # a rank's words that name no measure: movement, 从/由 and scope only (由居世界, 跃升到世界, 上升为)
        self.rank_only = regex.compile(rf"[从由]?(?:{rules.alternation('metric', 'rank_verbs', 'rank_moves')})*"
                                       rf"(?P<scope>{rules.alternation('metric', 'rank_scopes')})?")
        year = WRITTEN_YEAR.pattern
        # a from–to pair: its start (由一九七八年的…, 由2002年7703元, 从居世界第三十九位) and end (…提高到一九八二年的)
        self.from_level = regex.compile(rf"(?:[从由]{ranked}?|[从由比较][^，,；;。]{{0,12}}的)$")
        self.pair_start = regex.compile(rf"[从由](?!于)(?:[^，,；;。]{{0,12}}的|(?:{year})(?:底|末)?|{ranked})?$")
        self.pair_end = regex.compile(rf"^[^，,；;。从由]{{1,6}}?(?:[到至](?:[^，,；;。]{{0,12}}的|(?:{year})(?:底|末)?)?)?$")
        self.possession_tail = rules.pattern("metric", "possession_verbs", "$")
        self.aspect_tail = regex.compile(rf"(?:{rules.alternation('metric', 'aspect_words')})$")
        self.list_opener = regex.compile(rf"(?:{rules.alternation('metric', 'list_openers')})[：:]?|[：:]")
        self.naming_classifier = rules.pattern("metric", "naming_classifiers")
        self.plans = rules.pattern("metric", "plans")
        self.plan_heading = rules.pattern("discourse", "plan_headings")
        self.review_heading = rules.pattern("discourse", "review_headings")
        agency = rules.alternation("discourse", "dateline_agencies")
        ends = rules.alternation("discourse", "dateline_ends")
        day = r"[0-9０-９]{1,2}月[0-9０-９]{1,2}日"
        self.dateline_agency = regex.compile(agency)  # a quick test: most paragraphs open with none
        self.dateline_end = regex.compile(ends)  # and a second one: 社会, 报告 open many, but end none
        self.longest_agency = max(map(len, rules.words["discourse"]["dateline_agencies"]))
        self.dateline = regex.compile(
            rf"[（(]?[\p{{Han}}A-Za-z0-9０-９]{{0,6}}?(?:{agency})(?:[\p{{Han}}]{{0,5}}?{day}[\p{{Han}}]{{0,5}}?)?(?:{ends})"
            rf"(?:[（(][^（）()\n]{{0,30}}[）)]|[ \u3000]+记者[ \u3000\p{{Han}}]{{0,30}}?(?=[ \u3000]))?")
        self.context_year = frozenset(rules.words["time"]["context_year"])
        self.bare_year_edges = frozenset(rules.words["time"]["bare_year_edges"])
        self.basis_before = rules.words["time"]["basis_before"]
        self.past_year = rules.pattern("time", "past_year", "^")
        self.episode = rules.pattern("time", "episode")
        self.event_after_time = regex.compile(rf"\p{{Han}}{{0,4}}?(?:{rules.alternation('time', 'event_heads')})")
        self.dated_act = regex.compile(rf"(?:{rules.alternation('time', 'dated_acts')})的")
        self.frame_open = frozenset(rules.words["time"]["frame_opens"])
        self.framing_clause = rules.pattern("time", "framing_clauses")
        self.same_period = tuple(rules.words["time"]["same_period"])
        self.open_edge = rules.pattern("time", "open_edges")
        self.ahead_word = rules.pattern("time", "ahead_words")
        self.horizon_before = tuple(rules.words["time"]["horizon_before"])
        self.emphasis_before = frozenset(rules.words["time"]["emphasis_before"])
        self.century_edges = frozenset(rules.words["time"]["century_edges"])
        self.range_start_before = tuple(rules.words["time"]["split_range_starts"])
        self.range_end_before = tuple(rules.words["time"]["split_range_ends"])
        self.done_by = tuple(rules.words["time"]["done_by"])
        self.ongoing = rules.pattern("time", "ongoing")
        self.years_counted = regex.compile(
            rf"(?P<count>[一二两三四五六七八九十])年(?!{rules.alternation('time', 'not_year_count')})")
        self.streak_words = tuple(rules.words["time"]["streak_words"])
        self.modified_frame = regex.compile(  # …２００７年|出资捐助建设的小学里，
            rf"[^，,；;。：:\n]{{0,12}}的[^，,；;。：:的\n]{{1,8}}?(?:{rules.alternation('time', 'frame_closers')})(?=[，,；;。：:\n]|$)")
        self.average_rate = rules.pattern("time", "average_rate")
        self.survey = rules.pattern("time", "survey")
        self.ages = frozenset(rules.words["time"]["ages"])
        self.flows = rules.pattern("time", "flows")
        time_families = load_time_rules()["families"]
        self.as_of = regex.compile(alternation(time_families["as_of"]["prefixes"]))
        self.month_third = regex.compile(alternation(time_families["calendar"]["month_thirds"]))
        self.since_end = regex.compile(rf"(?:{alternation(time_families['open_ranges']['since'])})$")
        self.before_end = regex.compile(rf"(?:{alternation(time_families['open_ranges']['before'])})$")
        self.span_after = rules.pattern("time", "span_after", "^")
        self.span_before = rules.pattern("time", "span_before", "$")
        self.territory = rules.pattern("subject", "territory")
        self.territory_named_in_metric = frozenset(rules.words["subject"]["named_in_metric"])
        self.national = frozenset(rules.words["subject"]["national"])
        self.country, self.country_code = rules.words["subject"]["country"]
        self.own_country = frozenset(rules.words["subject"]["own_country"])
        self.world = frozenset(rules.words["subject"]["world"])
        self.honorific = regex.compile(rf"(?:{rules.alternation('subject', 'honorifics')})(?!\p{{Han}}{{0,1}}[长员])")
        self.territory_objects = rules.words["subject"]["territory_objects"]
        qualifier = rules.alternation("subject", "group_qualifiers")
        # population groups and market indices: what a clause's figures are about when no name is (上证指数报…点)
        self.groups = regex.compile(rf"(?<!{rules.alternation('subject', 'group_objects')})"
                                    rf"(?:(?:{qualifier})+(?:{rules.alternation('subject', 'groups', 'qualified_group_heads')})"
                                    rf"|{rules.alternation('subject', 'groups', 'indices')})"
                                    rf"(?!{rules.alternation('subject', 'group_compounds')})")
        part = rules.alternation("subject", "territory_parts")
        self.territory_parts = regex.compile(rf"(?:{part})(?:(?:{LIST_JOINER})(?:{part}))*")
        self.national_rates = regex.compile(rules.alternation("subject", "national_rates"))
        self.territory_part_followers = frozenset(rules.words["subject"]["territory_part_followers"])
        self.title_after = regex.compile(rf"[\s\u3000]*(?:副)?(?:{rules.alternation('subject', 'titles')})")
        self.title_before = regex.compile(rf"(?:{rules.alternation('subject', 'titles')})[\s\u3000]*$")
        self.speech = regex.compile(rules.alternation("subject", "speech"))
        self.breakdown = regex.compile(rules.alternation("subject", "breakdown"))
        self.source_clause = regex.compile(rf"(?:{rules.alternation('subject', 'source_openers')})[^，,；;。：:\n]*?"
                                           rf"(?:{rules.alternation('subject', 'source_closers')})(?=[，,；;。：:])")
        self.stating_words = tuple(rules.words["subject"]["stating"])
        self.part_labels = frozenset(rules.words["subject"]["part_labels"])
        # 在我国１２亿人口中: a frame after 在 that the territory owns
        self.frame_close = regex.compile(rf"[^，,；;。]{{0,20}}?(?:{rules.alternation('subject', 'frame_closers')})")
        self.first_person = regex.compile(rf"(?:{rules.alternation('subject', 'first_person')})(?![国省市区县])")
        # 他 as a word of its own: not 其他, 他们, 他人
        self.aforementioned = regex.compile(
            rf"(?P<plural>{rules.alternation('subject', 'aforementioned_plural')})(?![年月天日]|个月)"
            rf"|(?P<org>{rules.alternation('subject', 'aforementioned_org')})"
            rf"|(?P<place>{rules.alternation('subject', 'aforementioned_place')})"
            rf"|(?<!\p{{Han}})(?P<bare>{rules.alternation('subject', 'aforementioned_bare')})")
        self.including = regex.compile(rf"(?:{rules.alternation('subject', 'including')})$")
        # 德国邮电业, 湖南省煤炭系统, 大同地区: a place or body and the head of a narrower holder after it
        self.holder_head_words = frozenset(rules.words["subject"]["holder_heads"])
        self.citation_opener = regex.compile(rf"[（(](?:{rules.alternation('subject', 'citation_openers')})")
        self.frame_opener = regex.compile(rf"[\s\u3000]*(?:{rules.alternation('subject', 'frame_openers')})")
        self.holder_head = regex.compile(rf"\p{{Han}}{{0,{HOLDER_GAP}}}?(?:{rules.alternation('subject', 'holder_heads')})"
                                         rf"|\p{{Han}}{{0,{TEAM_GAP}}}?(?:{rules.alternation('subject', 'team_heads')})")
        self.third_person = regex.compile(rf"(?<![其吉])(?:{rules.alternation('subject', 'third_person')})(?![们人乡国])")
        self.score_verb = regex.compile(rf"[^，,；;。]{{0,4}}?(?:{rules.alternation('subject', 'score_verbs')})")


_HALF_WIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}  # same length


def half_width(text: str) -> str:
    """`text.translate(_HALF_WIDTH)` on the characters' codes at once (numpy): `str.translate`
    looks every character up in the table, the costliest step of finding the furniture of a
    report full of %."""
    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32).copy()
    codes[(codes >= 0xFF01) & (codes <= 0xFF5E)] -= 0xFEE0
    codes[codes == 0x3000] = ord(" ")
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=1)
def _furniture_hints() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each skipped form's hints as written in half and in full width."""
    full_width = {ord(half): full for full, half in _HALF_WIDTH.items() if full != 0x3000}
    forms = number_forms()
    return tuple((form, tuple({hint for h in forms.hints[form] for hint in (h, h.translate(full_width))}))
                 for form in SKIPPED)


@lru_cache(maxsize=1)
def _any_furniture_hint() -> regex.Pattern:
    return regex.compile("|".join(regex.escape(hint) for _form, hints in _furniture_hints() for hint in hints))


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Spans rules/number_forms.yaml skips as page furniture (a stock quote after a name:
    民生银行(600016,股吧), a URL), in order: no metric words, and no clause break inside."""
    if not _any_furniture_hint().search(text):  # most fragments: one scan, no furniture
        return []
    hinted = [(form, hints) for form, hints in _furniture_hints() if any(hint in text for hint in hints)]
    patterns = number_forms().patterns
    spans = set()
    for form, hints in hinted:  # fold only around each hint: a whole page of 3% is slow to fold
        for start, end in _hint_windows(text, hints):
            folded = half_width(text[start:end])
            spans.update((start + m.start(), start + m.end()) for m in patterns[form].finditer(folded)
                         if (m.start() or not start) and (m.end() < len(folded) or end == len(text)))
    return sorted(spans)


FURNITURE_BEFORE_HINT = 80  # a stock quote's opening bracket before its %, a URL's scheme before ://
FURNITURE_AFTER_HINT = 400  # the rest of a URL after www.


def _hint_windows(text: str, hints: tuple[str, ...]) -> list[tuple[int, int]]:
    """Merged windows of text around each occurrence of a hint, wide enough for one piece of furniture."""
    windows: list[list[int]] = []
    for at in sorted(m.start() for hint in hints for m in regex.finditer(regex.escape(hint), text)):
        start, end = max(0, at - FURNITURE_BEFORE_HINT), min(len(text), at + FURNITURE_AFTER_HINT)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    return [(a, b) for a, b in windows]


def bases(text: str, patterns: Patterns) -> list[str]:
    """Comparison bases in a fragment (同比, 比上年, 较之前一周, 比全国增速), 比 or 较 standing as its
    own word."""
    found = []
    cuts = None
    for match in patterns.basis.finditer(text):
        if match[0][0] in "比较":
            cuts = cuts or boundaries(text, patterns)
            glued = text.startswith(patterns.basis_glued, match.start()) and match.start() + 2 in cuts
            if match.start() not in cuts or (match.start() + 1 not in cuts and not glued):
                continue  # 比例, 占比, 较快 are words, not comparisons (比前|一日 is one)
            # the longest basis ending where a word ends: 比上年同期|减少, not 比上年同期减|少
            ends = [cut for cut in cuts if match.start() + 1 < cut <= match.end()
                    and patterns.basis_verb.match(text, cut)]
            if ends:
                found.append(text[match.start():max(ends)])
            continue
        found.append(match[0])
    return found


def _first_dateline(patterns: Patterns, text: str, start: int, end: int):
    """`patterns.dateline.search(text, start, end)`, tried only where a dateline can open: at most
    DATELINE_LEAD characters before an agency's name (any, overlapping ones too). A search tried
    every position of the window, each with the whole list of agencies: 40 µs a paragraph. A
    window holding none of the words a dateline ends with (讯, 电) is not tried at all."""
    if not patterns.dateline_end.search(text, start, end):
        return None
    agencies = patterns.dateline_agency.finditer(text, start, end, overlapped=True)
    opens = sorted({at for agency in agencies for at in range(max(start, agency.start() - DATELINE_LEAD),
                                                              agency.start() + 1)})
    for at in opens:
        m = patterns.dateline.match(text, at, end)
        if m:
            return m
    return None


class DocumentContext:
    """Positions of times, entities and clauses in one document."""

    def __init__(self, doc: PreparedDoc, info: DocumentInfo, quantities, times, entities, patterns: Patterns):
        self.doc = doc
        self.info = info
        self.patterns = patterns
        self.quantities = place(doc, quantities)
        self.paragraph_of = doc.paragraph_numbers
        datelines = self.datelines = self._datelines()
        self.times = [t for t in place(doc, times) if not _inside(t, datelines)]
        self.entities = [e for e in place(doc, entities) if not _inside(e, datelines)]
        self.full_names: dict[str, str] = {}  # identifier -> the longest name the document writes for it
        for e in self.entities:
            name = to_simplified(e.row.text)
            if e.row.kb_id and len(name) > len(self.full_names.get(e.row.kb_id, "")):
                self.full_names[e.row.kb_id] = name
        # a foreign person's surname -> the full name the document writes (皮蓬 -> 斯科蒂-皮蓬)
        self.full_person_names = {regex.split(r"[-－·•]", e.row.text)[-1]: e.row.text for e in self.entities
                                  if e.row.label == "PERSON" and regex.search(r"[-－·•]", e.row.text)}
        self.entity_starts = {e.start for e in self.entities}
        self.never_subject: dict[int, bool] = {}  # id(entity) -> whether its place makes it no subject (subject.py)
        self.entity_starting = {e.start: e for e in self.entities}
        self.entity_ending = {e.end: e for e in self.entities}
        self.place_ends = {e.end: e for e in self.entities if e.row.label in ("GPE", "LOC", "ORG")}
        self._starts = {id(rows): [p.start for p in rows]
                        for rows in (self.quantities, self.times, self.entities)}
        self.vague_starts = [t.start for t in self.times if t.row.type == "vague"]  # 几年来, 近年来
        # clauses saying where the news comes from (据中国之声…报道，): their spans
        self.source_clauses = [m.span() for m in patterns.source_clause.finditer(doc.text)
                               if not m.start() or doc.text[m.start() - 1] in SOURCE_CLAUSE_BEFORE]
        furniture = furniture_spans(doc.text)
        self.furniture_at = dict(furniture)  # where each stock quote (…(000001,股吧)) starts: its end
        self.breaks = [m.start() for m in CLAUSE_BREAK.finditer(doc.text)
                       if not furniture or not any(a < m.start() < b for a, b in furniture)]
        self.brackets = [m.span() for m in _BRACKETED.finditer(doc.text)]
        self._cues: dict[tuple[str, int], list] = {}
        self.sentence_topics: dict[int, tuple[int, str]] = {}  # metric.topic's, per sentence start
        self._first_territories: dict[int, object] = {}  # first_territory's, per paragraph start
        self.bracket_starts = [start for start, _end in self.brackets]

    def _datelines(self) -> list[tuple[int, int]]:
        """Spans of the news datelines opening paragraphs (within a title's length of the start,
        as a title run into its first paragraph leaves it there): their names and days are the
        report's, not the figures'. Each paragraph's first agency is searched for within its reach
        only (a sentence opens after a separator no agency's name holds: the same one a scan of
        the whole text finds)."""
        text, found, previous = self.doc.text, [], None
        agency_reach = DATELINE_REACH + self.patterns.longest_agency - 1
        for sentence, number in zip(self.doc.sentences, self.paragraph_of):
            if number == previous:
                continue
            previous = number
            start = self.doc.sent_starts[sentence.sent_id]
            agency = self.patterns.dateline_agency.search(text, start, start + agency_reach)
            if agency is None or agency.start() >= start + DATELINE_REACH:
                continue
            # a dateline opens at most a bracket and six characters before its agency's name
            m = _first_dateline(self.patterns, text, max(start, agency.start() - DATELINE_LEAD),
                                min(len(text), start + DATELINE_REACH))
            if m and not CLAUSE_BREAK.search(text, start, m.start()):
                found.append(m.span())
        return found

    def _sentence_cues(self, kind: str, sent_id: int) -> tuple[list[int], list]:
        """(starts, matches) of the cues of one kind in one sentence. Each sentence is scanned
        once however many numbers it holds (and only for the kinds asked of it: most sentences
        are asked for targets only)."""
        key = (kind, sent_id)
        found = self._cues.get(key)
        if found is None:
            s_start, s_end = self.doc.sentence_bounds(sent_id)
            matches = [m for m in self.patterns.cues[kind].finditer(self.doc.text, s_start, s_end) if m["cue"]]
            found = self._cues[key] = ([m.start() for m in matches], matches)
        return found

    def cues(self, start: int, end: int) -> list[tuple[str, regex.Match]]:
        """(kind, match) of the cues inside `[start, end)`, a window of one sentence."""
        sent_id = self.doc.sent_id_at(start)
        found = []
        for kind in self.patterns.cues:
            starts, matches = self._sentence_cues(kind, sent_id)
            found += [(kind, m) for m in matches[bisect_left(starts, start):bisect_left(starts, end)]
                      if m.end() <= end]
        return found

    def has_cue(self, kind: str, start: int, end: int) -> bool:
        """Whether a cue of this kind lies inside `[start, end)`: matches do not overlap, so the
        first one starting in the window tells (no scan of a long sentence)."""
        starts, matches = self._sentence_cues(kind, self.doc.sent_id_at(start))
        i = bisect_left(starts, start)
        return i < len(matches) and matches[i].end() <= end

    def territory(self, start: int, end: int):
        """The first word naming the whole territory (全国 我国 全市) in `[start, end)` that is the
        subject's: not part of a name (全国人大常委会) nor the object of 在/覆盖/列入 (在全国推开),
        unless 在 opens a frame it owns (在我国１２亿人口中)."""
        text = self.doc.text
        for m in self.patterns.territory.finditer(text, start, end):
            if self.overlapping(self.entities, m.start(), m.end()):
                continue
            if text.endswith(self.patterns.territory_objects, 0, m.start()) \
                    and not (text.endswith(self.patterns.territory_objects[0], 0, m.start())
                             and self.patterns.frame_close.match(text, m.end())):
                continue  # 在全国推开: where something is done; but 在我国１２亿人口中: among the country's
            return m
        return None

    def first_territory(self, start: int, end: int):
        """`territory(start, end)` for the many numbers of one paragraph: its first territory word
        is found once."""
        if start not in self._first_territories:
            last = self.doc.sent_id_at(start)
            while last + 1 < len(self.paragraph_of) and self.paragraph_of[last + 1] == self.paragraph_of[last]:
                last += 1
            self._first_territories[start] = self.territory(start, self.doc.sentence_bounds(last)[1])
        found = self._first_territories[start]
        return found if found is not None and found.end() <= end else None

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

    def within(self, placed: list[Placed], start: int, end: int) -> list[Placed]:
        """Rows of `placed` (one of this context's lists) lying inside `[start, end)`."""
        starts = self._starts[id(placed)]
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        return [p for p in placed[first:last] if p.end <= end]

    def first_from(self, placed: list[Placed], start: int) -> Placed | None:
        """The first row of `placed` starting at or after `start`."""
        starts = self._starts[id(placed)]
        i = bisect_left(starts, start)
        return placed[i] if i < len(placed) else None

    def backwards(self, placed: list[Placed], start: int, end: int):
        """Rows of `placed` inside `[start, end)`, the last first, without building the list."""
        starts = self._starts[id(placed)]
        for i in range(bisect_left(starts, end) - 1, bisect_left(starts, start) - 1, -1):
            if placed[i].end <= end:
                yield placed[i]

    def overlapping(self, placed: list[Placed], start: int, end: int) -> list[Placed]:
        """Rows of `placed` overlapping `[start, end)` (rows span at most a sentence)."""
        starts = self._starts[id(placed)]
        first = bisect_left(starts, start - MAX_ROW_CHARS)
        return [p for p in placed[first:bisect_left(starts, end)] if p.end > start]
