"""The discourse pass: walk sections, paragraphs and sentences in order, keep what each scope
carries (the section's time, subject and whether it announces plans; the paragraph's time,
subject, row label and modality; within a sentence the last metric, subject and population
group), and link every quantity that states something to its fields. Scopes end where the text
says they do: a new paragraph forgets the last one's subject and time, a heading resets both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.claims import metric as metrics
from pipeline.claims.context import TRIM, DocumentContext, Placed
from pipeline.claims.kind import change_verb, link_kind
from pipeline.claims.modality import cue_modality, headlines_follow_body, link_modality, period_ahead
from pipeline.claims.subject import (SubjectLink, in_subject_position, link_subject, pick_subject, row_label,
                                    score_opponent, subject_candidates, subject_text)
from pipeline.claims.time import (CARRIED_TYPES, TimeLink, comparison_frame, dates_an_event, deadline, glosses, spans_period, governing, link_time, period_end,
                                  last_years_period, present_state, settle_time, days, level_now, time_roles, time_value, unfinished,
                                  year_to_date)
from pipeline.indicators import indicators
from pipeline.records import Claim, Quantity
from pipeline.script import to_simplified

TABLE_CELL_MAX_CHARS = 16
LEAD_TIME_REACH = 12  # how far into a news report's first sentence (after its dateline) the period it opens with may end
_YEAR = regex.compile(r"\d{4}")
# a `：` whose list runs on past its sentence: nothing after it, or no number before the sentence ends
# (全国农业发展纲要要求：…分别达到四十斤、六十斤…。 is a list closed in its sentence)
_OPEN_LIST = regex.compile(r"[：:][^\d０-９〇零一二三四五六七八九十百千万亿两]*$")
TABLE_MIN_CELLS = 6
TABLE_MAX_GAP = 2  # longer cells a table may hold between two short ones
TABLE_CAPTION = regex.compile(r"(?:调整|变化|分布|统计|对比)?(?:情况|一览表?|统计表|明细|[（(][^）)]*[）)])")
_PAIR_TO = regex.compile(r"[到至为]")  # 由…增加到…, 由…降至…, 从…变为…
_SHARE_OF_BASE = regex.compile(r"(?P<base>\p{Han}{2,12}?)[中里内]的(?P<share>\p{Han}{2,4})")  # 营业收入中的占比: a base only
_MEASURE_WORD = regex.compile(r"\p{Han}(?=[、，,和及与；;\s\u3000]|$)")  # 股 of 万股、: a measure word closing an item
FACT = ("fact", "modality.default")
SCORE_SEPARATORS = "-－–—比：:∶"
_DURATION_LIST = regex.compile(r"(?:[、和及与]\s*[\d０-９一二三四五六七八九十两半]+个?(?:年|月|天|日|周|星期))*")


@dataclass
class Section:
    time: Placed | None = None
    subject: Placed | None = None
    plans: bool = False  # the heading announces tasks or targets (政府工作任务)
    titled: bool = False  # opened by the document's title, whose subject is its lead paragraph's only


@dataclass
class Paragraph:
    time: Placed | None = None
    subject: Placed | None = None
    label: str | None = None  # `钢：…` — the row a list paragraph is about
    modality: tuple[str, str] = FACT  # carried by a `：` list of targets or a `；`-continued sentence
    plans: bool = False  # a strong target cue seen in the paragraph, or a plans section
    named: set = field(default_factory=set)  # subjects the current sentence (with its `；` parts) opened with
    pair: tuple | None = None  # the first from–to pair of the paragraph dated at both ends (TimeLink, TimeLink)


SPEAKER_CHARS = 4  # 他称, 该负责人表示: how long a speaker before a verb of saying opening a metric may be


@dataclass
class SentenceState:
    metric: str | None = None  # the previous claim's metric (达到114万亿元，增长8.1%)
    subject: Placed | None = None  # a later clause keeps the subject it had (…达1875项，用户突破2200万人)
    group: str | None = None  # a population group named in an earlier clause
    territory: tuple[str, int] | None = None  # the territory an earlier claim of the sentence was about (我国…), and where
    continued: bool = False  # the previous sentence ended in ； (one sentence, split for reading)
    last_modality: tuple[str, str] = FACT  # the cue of its last clause, for a part going on from it (；其中…)
    row: list = field(default_factory=list)  # metrics of the claims of the previous `；` part, in order
    current_row: list = field(default_factory=list)  # and of this one
    opens_list: bool = False  # the previous sentence ended in ： (its list may start a new line)
    subject_claimed: bool = False  # a claim of this sentence gave the paragraph its subject
    pair_start: TimeLink | None = None  # the time of the from-level just read (由一九七八年的…), if dated
    pair_open: Placed | None = None  # that from-level
    times: list = field(default_factory=list)


def is_claim(ctx: DocumentContext, q: Placed) -> bool:
    """Quantities that are times or time spans make no claim."""
    quantity: Quantity = q.row
    if any(t.row.type != "duration" for t in ctx.overlapping(ctx.times, q.start, q.end)):
        return False
    if quantity.dimension == "duration" and quantity.unit_text not in ctx.patterns.ages:  # 在４０至７０岁间: an age
        listed = _DURATION_LIST.match(ctx.doc.text, q.end)  # 一年、六个月、三个月定存: the list's end decides
        after = ctx.doc.text[listed.end():listed.end() + 4]
        before = ctx.doc.text[max(0, q.start - 3):q.start]
        if ctx.patterns.span_after.match(after) or ctx.patterns.span_before.search(before):
            return False
    return quantity.value is not None


def surveyed(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a date range is a survey's or a count's period (调查自今年３月至６月间)."""
    return t.row.type == "range" and bool(ctx.patterns.survey.search(ctx.doc.text, *ctx.clause(t.start)))


def names_edition(ctx: DocumentContext, t: Placed) -> bool:
    """Whether a time names the edition of an event (2012年苏州公开赛, 2008年的北京奥运会): it
    dates that event, not the sentences after it."""
    at = t.end + (ctx.doc.text[t.end:t.end + 1] == "的")
    named = ctx.entity_starting.get(at)
    return named is not None and named.row.label == "EVENT"


def is_score_side_two(text: str, before: Placed, q: Placed) -> bool:
    """Whether `q` is the second number of a match score whose first number is `before` (11-3)."""
    return q.row.rule == "score" and before.row.rule == "score" and q.start - before.end == 1 \
        and text[before.end] in SCORE_SEPARATORS


def table_captions(ctx: DocumentContext) -> dict[int, tuple[str, Placed | None]]:
    """For each cell of a flattened table (a run of short unpunctuated lines), the table's
    caption words and time (`部分城市出租车燃油附加费调整情况（截止７月１７日）`)."""
    sentences = ctx.doc.sentences
    captions: dict[int, tuple[str, Placed | None]] = {}
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
                caption = to_simplified(sentences[sent_id].text)
                if TABLE_CAPTION.search(caption):
                    start, end = ctx.doc.sentence_bounds(sent_id)
                    times = [t for t in ctx.within(ctx.times, start, end) if governing(t)]
                    words = metrics.strip_metric(TABLE_CAPTION.sub("", caption), ctx.patterns,
                                                 [ctx.doc.text[t.start:t.end] for t in times])
                    if not words:
                        continue
                    for cell in run:
                        captions[cell] = (words, times[0] if times else None)
                    break
        run = []
    return captions


class Discourse:
    """One walk over a document, linking its claims in text order."""

    def __init__(self, ctx: DocumentContext):
        self.ctx = ctx
        self.roles = time_roles(ctx)
        self.captions = table_captions(ctx)
        self.paragraph_of = ctx.paragraph_of
        self.section = Section()
        self.paragraph = Paragraph()
        self.paragraph_start = 0  # where the current paragraph begins in the text
        self.state = SentenceState()
        self.first_body = next((s.sent_id for s in ctx.doc.sentences if s.kind == "body"), len(ctx.doc.sentences))
        self.lead = self._lead_subject()
        self.lead_time = self._lead_period()
        self.claims: list[Claim] = []

    def _lead_subject(self) -> Placed | None:
        """A news report's subject: the one its datelined first sentence opens with (本报北京１月８日讯
        …北京市在过去的一年里…)."""
        ctx = self.ctx
        if self.first_body == len(ctx.doc.sentences):
            return None
        start, end = ctx.doc.sentence_bounds(self.first_body)
        if not any(start <= dateline < end for dateline, _end in ctx.datelines):
            return None
        return pick_subject([e for e in subject_candidates(ctx, start, end, speakers=False) if in_subject_position(ctx, e)])

    def _lead_period(self) -> Placed | None:
        """The period a news report opens with (１９９７年，各类企业人员…出国人数增长较快): what its
        later paragraphs report, when nothing in them dates a figure; a year or a span over before
        the report, not the day or month of an event (２３日，…通报), which dates only its paragraph."""
        ctx = self.ctx
        if ctx.info.speaks_for or not ctx.info.anchor or self.first_body == len(ctx.doc.sentences):
            return None
        start, end = ctx.doc.sentence_bounds(self.first_body)
        start = max([start] + [stop for dateline, stop in ctx.datelines if start <= dateline < end])
        opening = next((t for t in ctx.within(ctx.times, start, min(end, start + LEAD_TIME_REACH))
                        if governing(t) and self.roles[id(t)] == "governs"), None)
        if opening is None or ctx.doc.text[start:opening.start].strip(TRIM):
            return None
        value = time_value(ctx, opening)
        if not (_YEAR.fullmatch(value) or "/" in value) or not (period_end(value) or "9") < ctx.info.anchor:
            return None  # ６月份，…: the month of an event, like its day
        return opening

    def run(self) -> list[Claim]:
        ctx, doc = self.ctx, self.ctx.doc
        busy = {self.paragraph_of[doc.sent_id_at(q.start)] for q in ctx.quantities}
        q_index = 0
        # Paragraphs without quantities have nothing to claim and nothing to pass on; headings
        # still set the section's time, subject and plans, and a `：` line opens a list.
        for sentence in doc.sentences:
            if sentence.kind != "heading" and self.paragraph_of[sentence.sent_id] not in busy \
                    and not sentence.text.endswith(("：", ":")):
                continue
            bounds = doc.sentence_bounds(sentence.sent_id)
            self._enter(sentence, bounds)
            in_sentence = []
            while q_index < len(ctx.quantities) and ctx.quantities[q_index].start < bounds[1]:
                q = ctx.quantities[q_index]
                q_index += 1
                if q.start >= bounds[0] and is_claim(ctx, q):
                    in_sentence.append(q)
            self._sentence(sentence, bounds, in_sentence)
        titles = {s.sent_id for s in doc.sentences[:self.first_body] if len(s.text) > TABLE_CELL_MAX_CHARS}
        return headlines_follow_body(self.claims, titles)

    def _enter(self, sentence, bounds: tuple[int, int]) -> None:
        """Open the scopes a sentence starts: a section at a heading, a paragraph after a break."""
        ctx = self.ctx
        s_start, s_end = bounds
        sent_id = sentence.sent_id
        new_paragraph = sent_id == 0 or self.paragraph_of[sent_id] != self.paragraph_of[sent_id - 1]
        self.state.times = [t for t in ctx.within(ctx.times, s_start, s_end) if governing(t)
                            and self.roles[id(t)] == "governs" and t.row.text not in ctx.patterns.context_year]
        if sentence.kind == "heading":
            # 一、1998年工作回顾和1999年工作的总体要求: a review heading names its plans after the results
            plans = bool(ctx.patterns.plan_heading.search(ctx.doc.text, s_start, s_end)) \
                and not ctx.patterns.review_heading.search(ctx.doc.text, s_start, s_end)
            # `“十三五”时期发展成就和“十四五”时期主要目标任务`: a plan heading is about its future period
            upcoming = [t for t in self.state.times if plans and unfinished(t.row.value, ctx.info.anchor)]
            # a national document's headings name its speaker (国务院总理 李克强) or its themes, never
            # whom a whole section's figures are about: those are the country's
            named = None if ctx.info.speaks_for else pick_subject(subject_candidates(ctx, s_start, s_end))
            if named is not None and named.row.label == "PERSON" \
                    and not ctx.doc.text[s_start:s_end].replace(named.row.text, "").strip(TRIM):
                named = None  # a heading that is a name alone is the byline: who wrote, not whom it is about
            self.section = Section((upcoming or self.state.times or [self.section.time])[0],
                                   named or self.section.subject, plans, sent_id < self.first_body)
            self.paragraph = Paragraph()
        elif new_paragraph:  # a list opened by `目标是：` runs on over the lines that follow
            if self.section.titled and (self.first_body == len(self.paragraph_of)  # captions and headings only
                                        or self.paragraph_of[sent_id] != self.paragraph_of[self.first_body]):
                self.section.subject = None  # 青岛…公厕: the title's place is no later paragraph's subject
            opened = self.paragraph if self.state.opens_list or (
                self.state.continued and self.paragraph.modality[1] == "modality.target_list") else Paragraph()
            self.paragraph = Paragraph(time=opened.time, modality=opened.modality)
        if new_paragraph:
            self.paragraph_start = s_start
            self.paragraph.plans = self.section.plans
            self.paragraph.label = row_label(ctx, s_start, s_end) if sentence.kind == "body" else None
        self.paragraph.plans = self.paragraph.plans or ctx.has_cue("target", s_start, s_end)

    def _sentence(self, sentence, bounds: tuple[int, int], in_sentence: list[Placed]) -> None:
        ctx = self.ctx
        text = ctx.doc.text
        s_start, s_end = bounds
        respectively = metrics.respectively(ctx, bounds, in_sentence)
        state = self.state
        if not state.continued:
            state.metric = None
        # 交通银行85款，占比15.07%；中国银行62款，占比10.99%: the parts of a list run in parallel
        state.row, state.current_row = (state.current_row if state.continued else []), []
        state.subject = None
        state.group = None
        state.territory = None
        state.subject_claimed = False
        state.pair_open = None
        if state.continued and ctx.patterns.continuer_head.match(text[s_start:s_start + 2]):
            # …铁路预计发送旅客…；其中远程直通客流发送量…: a detail of the part before, under its cue
            self.paragraph.modality = state.last_modality
        # one who only speaks (…宋冬林说, 宋冬林教授表示) reports the paragraph's figures, not its subject
        sentence_subject = pick_subject([e for e in subject_candidates(ctx, s_start, s_end, speakers=False)
                                         if in_subject_position(ctx, e)])
        for index in range(len(in_sentence)):
            self.claims.append(self._claim(sentence, bounds, in_sentence, index, respectively))
        carried = [t for t in state.times if (t.row.type in CARRIED_TYPES or days(t) or surveyed(ctx, t)
                                              or glosses(ctx, t) or deadline(ctx, t))
                   and not names_edition(ctx, t) and not ctx.patterns.episode.search(text, ctx.clause(t.start)[0], t.start)
                   and not dates_an_event(ctx, t)]
        if carried:
            # 现在，我国已初步形成…。工业增加值平均每年增长…: "now" ends what an earlier time dated and
            # carries nothing itself: later figures take the report's own default (its day, the period it reviews)
            now = carried[-1].row.type == "relative" and carried[-1].row.value == ctx.info.anchor and ctx.info.speaks_for
            # …１９８２年为２７０元，１９８７年提高到４６３元。…新建住房３９亿平方米: a sentence running from the
            # year before a reviewed period to its end compares across it; later figures are the period's
            self.paragraph.time = None if now or spans_period(self.section.time, carried) else carried[-1]
        # the subject of the sentence's figures carries on before the name opening it (…报告显示，平安产险…)
        if sentence_subject is not None and not state.subject_claimed:
            self.paragraph.subject = sentence_subject
            self.paragraph.named.add(to_simplified(sentence_subject.row.text))
        sentence_text = text[s_start:s_end]
        state.continued = sentence_text.endswith(("；", ";"))
        if not state.continued:  # 交通银行85款；中国银行62款；…: a list of subjects leaves none to carry on
            if len(self.paragraph.named) > 1:
                self.paragraph.subject = None
            self.paragraph.named = set()
        state.opens_list = sentence_text.endswith(("：", ":"))
        if state.continued:  # the next part of the same sentence keeps the modality
            self.paragraph.modality = cue_modality(ctx, s_start, s_end, self.paragraph.modality)
            last = s_start + len(sentence_text.rstrip("；;")) - 1  # in the part's last clause, before the ；
            state.last_modality = cue_modality(ctx, s_start, max(s_start, last), self.paragraph.modality)
        elif _OPEN_LIST.search(sentence_text) \
                and cue_modality(ctx, s_start, s_end, FACT)[0] == "target":  # a list of targets follows
            self.paragraph.modality = ("target", "modality.target_list")
        else:
            self.paragraph.modality = FACT

    def _pair_time(self, q: Placed, clause_start: int, left: str, time: TimeLink) -> TimeLink:
        """Parallel from–to pairs: a pair with no times of its own takes those of the first pair of
        the paragraph that has them (农业所占比重由一九七八年的…提高到一九八二年的…，轻工业所占比重由
        百分之三十一点一提高到百分之三十三点四: 1978 and 1982; 公路通车里程由1997年的…增加到2002年的…。
        铁路营运里程由65969公里增加到71500公里: 1997 and 2002)."""
        state, paragraph = self.state, self.paragraph
        dated = time.placed is not None and clause_start <= time.placed.start < q.start \
            and time.rule in ("time.sentence", "time.attached", "time.pair_start")
        # a start with no end after it in its clause is no pair (…届时将从９．９８亿的峰值开始逐年下滑)
        ctx = self.ctx
        if ctx.patterns.pair_start.search(left) and _PAIR_TO.search(ctx.doc.text, q.end, ctx.clause(q.start)[1]):
            state.pair_open, state.pair_start = q, (time if dated else None)
            if not dated and paragraph.pair is not None:
                return TimeLink(paragraph.pair[0].placed, paragraph.pair[0].value, "time.parallel_pair")
            return time
        opened, state.pair_open = state.pair_open, None
        if opened is None or opened.start < clause_start or not ctx.patterns.pair_end.search(left):
            return time
        if dated and state.pair_start is not None:
            paragraph.pair = paragraph.pair or (state.pair_start, time)
        elif not dated and state.pair_start is None and paragraph.pair is not None:
            return TimeLink(paragraph.pair[1].placed, paragraph.pair[1].value, "time.parallel_pair")
        return time

    def _claim(self, sentence, bounds, in_sentence: list[Placed], index: int, respectively) -> Claim:
        """The claim of `in_sentence[index]`; its neighbours bound the words around it (a run of
        numbers in one long clause is read in linear time)."""
        q = in_sentence[index]
        ctx, state, paragraph, section = self.ctx, self.state, self.paragraph, self.section
        text = ctx.doc.text
        quantity: Quantity = q.row
        s_start, _s_end = bounds
        c_start, c_end = ctx.clause(q.start)
        caption, caption_time = self.captions.get(sentence.sent_id, ("", None))
        before = in_sentence[index - 1] if index else None
        after = in_sentence[index + 1] if index + 1 < len(in_sentence) else None
        # 地方财政收入增幅也连续三年保持在２０％以上: a duration before the number in its clause
        # says how long, the metric is read across it
        adverbial = before is not None and before.start >= c_start and before.row.dimension == "duration"
        after_number = before is not None and before.start >= c_start and not adverbial
        # 腾讯体育1月14日北京讯(记者宫云捷)马琳…分获…: the dateline opening the clause is no metric word
        words_start = max([c_start] + [end for start, end in ctx.datelines if c_start <= start and end <= q.start])
        left_raw = text[before.end if after_number else words_start:q.start]
        right_raw = text[q.end:after.start if after and after.end <= c_end else c_end]
        repeated = _MEASURE_WORD.match(right_raw) if after_number else None
        if repeated and left_raw.startswith(repeated[0]):  # 买入工商银行１４５８万股、农业银行３９０６万股、…: an
            # item of a list repeating its measure word measures what the first did
            left_raw, right_raw = left_raw[len(repeated[0]):], ""
        clause_times = [text[t.start:t.end] for t in ctx.overlapping(ctx.times, c_start, c_end)] + (
            [text[before.start:before.end]] if adverbial else [])
        leading_names = [text[e.start:e.end] for e in ctx.within(ctx.entities, c_start, q.start)
                         if e.row.label not in ("PRODUCT", "FAC")] + [
            word for word in ctx.patterns.territory.findall(left_raw) if word not in ctx.patterns.territory_named_in_metric]
        from_level = ctx.patterns.from_level.search(left_raw)
        from_start = from_level is not None and not from_level[0].endswith("的")  # 由…, 从世界…: a pair's start
        time = link_time(ctx, s_start, q, self.roles, [(caption_time, "time.table_caption"),
                                                       (paragraph.time, "time.paragraph"),
                                                       (section.time, "time.section")],
                         from_start, self.lead_time)
        listed = respectively.get(id(q))
        if listed is not None:
            left_raw = listed[1]  # kind and basis come from the verb the list shares
            if listed[2] is not None:  # １９９５、１９９６、１９９７年…分别…, 2009到2011年…分别…: the i-th year
                time = TimeLink(*listed[2], "time.respectively")
        # …由期初的１９．９９８亿股增至期末的２３．２１７亿股: the end of a from–to pair measures what its start did
        pair_end = state.pair_open is not None and state.pair_open.start >= c_start \
            and ctx.patterns.pair_end.search(left_raw) is not None
        time = self._pair_time(q, c_start, left_raw, time)
        # 比1958年的214亿元: the starting level shares the compared metric, unless its clause names its own
        # before it (…，基准利率由之前的０．５％下调至０．４％)
        own_before = from_level is not None and metrics.strip_metric(left_raw[:from_level.start()], ctx.patterns, clause_times)
        basis_metric = state.metric if from_level and not from_start and not own_before else None
        metric, metric_rule = metrics.metric_words(ctx.patterns, quantity, left_raw, right_raw,
                                                   (clause_times, leading_names),
                                                   listed[0] if listed else None, basis_metric)
        if pair_end and state.metric and quantity.dimension != "rank":  # (a rank's scope is read below)
            metric, metric_rule = state.metric, "metric.previous"
        if metric_rule == "metric.score" and before is not None and is_score_side_two(text, before, q) \
                and state.metric and ctx.patterns.score_kind.fullmatch(state.metric):
            metric = state.metric  # 总比分战成1-1平: both sides of the series score
        said = ctx.patterns.speech.search(metric, 0, SPEAKER_CHARS + 2) if metric_rule == "metric.left" else None
        if said and said.end() < len(metric):  # 他称自己为政府节省了３０万元: what is said, not who says it
            metric = metric[said.end():].lstrip(TRIM)
        if metric_rule == "metric.points":  # …积分的形势是３、３、０、０，德国和丹麦３分: the table's points
            standings = ctx.patterns.standings.search(text, self.paragraph_start, q.start)
            metric = standings[0] if standings else metric
        if len(metric) < 2 and metric_rule != "metric.classifier" and not metrics.is_content_word(metric, ctx.patterns):
            metric = ""
        antecedent = metrics.antecedent(ctx, metric, self.paragraph_start, q.start)
        if antecedent:
            metric, metric_rule = antecedent, "metric.antecedent"
        share_base = _SHARE_OF_BASE.fullmatch(metric)
        if share_base and share_base["share"] in ctx.patterns.share_words and state.metric \
                and state.metric not in ctx.patterns.share_words and share_base["base"] not in state.metric:
            # …手续费及佣金净收入19.1亿元，…，在营业收入中的占比提高为17.1%: the share of what the claim before measured
            metric, metric_rule = state.metric + metric, "metric.share_of_previous"
        elif metric in ctx.patterns.share_words and state.metric and state.metric not in ctx.patterns.share_words:
            metric, metric_rule = state.metric + metric, "metric.share_of_previous"  # …488款，占比86.52%
        elif quantity.dimension == "rank" and metric and state.metric and (ranked := ctx.patterns.rank_only.fullmatch(metric)) \
                and not ctx.patterns.rank_only.fullmatch(state.metric):
            # …24.66万亿元，从世界第六位; …增长35.7%，由上年居世界第四位上升为第三位: the rank of what the claim before measured
            metric, metric_rule = state.metric + (ranked["scope"] or ""), "metric.rank_of_previous"
        elif metric in ctx.patterns.aspect_words and state.metric and metric_rule != "metric.respectively":
            owner = ctx.patterns.aspect_tail.sub("", state.metric)  # …基金总收入…；总支出…: the fund's
            if owner:
                metric, metric_rule = owner + metric, "metric.aspect_of_previous"
        if not metric and not state.metric:
            metric, metric_rule = metrics.topic(ctx, s_start, c_start), "metric.topic"
        elif metric_rule == "metric.left" and metric and metrics.only_verbs(metric, ctx.patterns):
            topic = metrics.topic(ctx, s_start, c_start)  # …分级债基发展迅速，目前已成立２１只: what was set up
            if topic:
                metric, metric_rule = topic + metric, "metric.topic"
            elif after_number and state.metric:  # 利润由上年下降2.3%转为增长8.5%: the same measure, moved
                metric, metric_rule = state.metric, "metric.previous"
        if not metric and state.metric:
            parallel = state.row[0] if index == 0 and state.row else None  # a row opens like the one before
            metric, metric_rule = parallel or state.metric, "metric.previous"
            rate = ctx.patterns.rate_noun.search(left_raw)
            if rate and rate[0] not in metric:  # …增加了１８５．１万吨，增幅达１０．１１％: the rate of that change
                metric += rate[0]
        if metric_rule == "metric.left" and 0 < len(metric) <= metrics.LIST_ITEM_CHARS:
            head = metrics.list_head(ctx, s_start, c_start)  # …生产能力有煤炭２７１４万吨，石油１４９１万吨
            if head and head not in metric:
                metric, metric_rule = f"{head}：{metric}", "metric.list_head"
        if caption and (not metric or metric_rule != "metric.left"):
            metric, metric_rule = caption, "metric.table_caption"
        if not metric:
            metric_rule = "metric.none"
        state.metric = metric or state.metric
        state.current_row.append(metric)

        # a span up to now (从２００３年至今, 今年以来) is what has happened, as a fact cue says
        fact_cue = ctx.has_cue("fact", s_start, q.start) or (
            time.placed is not None and ctx.patterns.since_end.search(time.placed.row.text) is not None)
        own = time.placed is not None and time.placed.start >= s_start
        present = present_state(ctx, time, q, own)
        modality, modality_rule, present = link_modality(
            ctx, q, s_start, c_end, paragraph.modality, time.value, own,
            time.placed is not None and time.placed is paragraph.time, paragraph.plans, fact_cue,
            bool(from_level), present, last_years_period(ctx, time))
        time = settle_time(ctx, time, q, modality, present, before if adverbial else None)
        modality, modality_rule = period_ahead(ctx, (modality, modality_rule), time, fact_cue)
        subject, state.group = link_subject(
            ctx, q, bounds, (c_start, c_end), metric, metric_rule,
            [(state.subject, "subject.sentence"), (paragraph.subject, "subject.paragraph"),
             (section.subject, "subject.section")],
            state.group, paragraph.label, modality == "forecast", self.paragraph_start, self.lead, state.territory)
        state.territory = (subject.subject, q.start) if subject.rule == "subject.territory" else None
        if listed is not None and isinstance(listed[3], str):  # 城镇居民…，农村居民…，…分别增长…: the i-th group
            subject = SubjectLink(listed[3], None, "subject.respectively")
        elif listed is not None and listed[3] is not None:  # 北京、上海的GDP分别增长…: the i-th name
            subject = SubjectLink(subject_text(ctx, listed[3].row), listed[3], "subject.respectively")
        if before is not None and is_score_side_two(text, before, q):  # the opponent's: carried no further
            subject = score_opponent(ctx, q, state.subject, self.paragraph_start)
        else:
            state.subject = subject.placed
            if subject.placed is not None and in_subject_position(ctx, subject.placed):
                paragraph.subject = subject.placed
                state.subject_claimed = True
                # 中国银行、工商银行…的发行量居前: several subjects share the figure; none carries on
                paragraph.named.update(subject.subject.split(";"))

        kind, direction, basis = link_kind(ctx.patterns, left_raw, quantity)
        time = level_now(ctx, year_to_date(ctx, time, metric), metric, kind)
        if basis is None and kind == "change":  # 2005年与2000年相比，国内生产总值增长57.3%
            basis = comparison_frame(ctx, s_start, q, self.roles)
        group = subject.subject if subject.rule == "subject.group" else None
        indicator = indicators().for_claim(metric, quantity.dimension, kind, group)
        verb = change_verb(ctx.patterns, left_raw) if kind == "change" and metric else None
        if verb and verb not in metric:  # 商品零售物价指数上涨２．５％: what changed, and how
            metric += verb
        return Claim(
            claim_id=len(self.claims) + 1, doc_id=ctx.doc.doc_id, sent_id=quantity.sent_id,
            qty_id=quantity.qty_id, start=quantity.start, end=quantity.end, text=quantity.text,
            value=quantity.value, lower=quantity.lower, upper=quantity.upper, unit=quantity.unit,
            dimension=quantity.dimension, bound=quantity.bound, metric=metric or None, indicator=indicator,
            subject=subject.subject, subject_ent_id=subject.placed.row.ent_id if subject.placed else None,
            time=time.value, time_id=time.placed.row.time_id if time.placed else None,
            kind=kind, direction=direction, basis=basis, modality=modality,
            metric_rule=metric_rule, subject_rule=subject.rule, time_rule=time.rule, modality_rule=modality_rule,
        )
