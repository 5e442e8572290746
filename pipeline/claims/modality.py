"""Modality linker: fact, target or forecast, and the rule that decided.

The nearest cue before the number decides (rules/claims/modality.yaml); then the discourse: a
norm's bound (`不低于`), a plan's figures for a period still to come, an annual report's figures
for its own year are targets; a forecast of a period already over and a starting level are facts.
"""

from __future__ import annotations

from dataclasses import replace

import regex

from pipeline.claims.context import DocumentContext, Patterns
from pipeline.claims.time import (TimeLink, ends_this_month, period_end, period_start, plan_ahead, plan_periods, plan_share,
                                  unfinished, yearless, years_just_ended)
from pipeline.records import Claim, Quantity

WEAK_CUE_REACH = 10  # chars between a weak cue (将, 要) and its number
HEAD_CUE_CHARS = 2  # a cue this close to a sentence's start heads it
SOURCE_HEAD_CHARS = 14  # 据亚洲开发银行估计: as close, after the source a sentence opens with
CUE_REACH = 300  # chars before a number (or its clause) within which a cue can govern it
WEAK_CUE_MIN_GAP = 1
_NUMERAL_START = regex.compile(r"[\d０-９〇零一二两三四五六七八九十百千万亿几数]")
_CONTRAST = regex.compile(r"[，,；;](?:而|但|但是|然而|可是|不过)|[；;]")  # 将达到…，而旧中国…; a parallel part
_DAY = regex.compile(r"\d{4}-\d{2}-\d{2}")
_LIST_OPENER = regex.compile(r"[：:]")  # 预期目标是：…增长5.5%左右 — a cue before a list governs its items
_CUE_RULES = {"target": "modality.target_cue", "forecast": "modality.forecast_cue", "fact": "modality.fact_cue"}


def _modal_use(text: str, at: int, patterns: Patterns) -> bool:
    """Whether the word after 将/要 at `at` makes it a modal (将首次对…, 将向…, 将和…一起, 要扩大) rather than
    把 before an object (将2.8万亿元…纳入)."""
    words = patterns.tagged(text[at:at + 6])
    if not words:
        return False
    word, pos = words[0]
    # 首次, not 三个; 将和…一起 (with), as 将与
    return pos[:1] in ("v", "d", "p", "c") or (pos == "m" and not _NUMERAL_START.match(word))


def _compared_clause(ctx: DocumentContext, sentence_start: int, clause_start: int) -> int:
    """The clause a comparison goes on from (预计发送旅客…，比去年同期增加３．４％: the figure before's),
    else the clause itself."""
    text = ctx.doc.text
    if clause_start > sentence_start and ctx.patterns.comparing_continuer.match(text[clause_start:clause_start + 2]):
        return ctx.clause(clause_start - 2)[0]
    return clause_start


def cue_modality(ctx: DocumentContext, sentence_start: int, position: int, carried: tuple[str, str],
                 qualified: bool = False, after_end: int | None = None, reviewed: bool = False,
                 planned: bool = False) -> tuple[str, str]:
    """(modality, rule) from the cues before `position`: the nearest decides (the longest at one
    place). A cue counts in the number's own clause, or earlier in the sentence before a `：` that
    opens the list holding the number (`预期目标是：…增长5.5%左右`, `…预计产量…，可以看到以下的
    数字：电力108亿度`). A weak cue (将, 要) must stand close to the number, not right before an
    unqualified number (`将2.8万亿元…纳入` is 把; `将为575万吨` is not), never overrides a strong
    one, and after a forecast cue of the sentence predicts (`预计…，那么…将等于…`); a forecast cue heading the sentence
    governs all of it; further away a weak cue counts when a verb, adverb or preposition follows
    it (`将首次对…发放１万－３万元`). Clauses after `其中` or `合计` share the cues of the clause before it. A
    plan word followed by `执行`/`完成` reports what was done (`预算执行`). With no cue before it, a
    forecast cue later in the number's clause (up to `after_end`) makes it a forecast. `carried`
    is what the discourse passes on (a `：` list of targets, a `；`-continued sentence). A figure of
    the period a report `reviewed` is what was done, whatever it was budgeted or arranged as
    (中央财政安排219亿元支持…). Outside a national document's plans, `将` before an outcome
    (糖料产量将比去年增长１０％以上) foresees it."""
    text = ctx.doc.text
    clause_start = ctx.clause(position)[0] if position > sentence_start else sentence_start
    clause_start = _compared_clause(ctx, sentence_start, clause_start)
    detail = ctx.patterns.continuer.search(text, max(sentence_start, clause_start - CUE_REACH), clause_start + 2)
    if detail:  # 国家计划新建…项目，其中有…，三十个大电站; 拟…发行股票，合计６９９万股: the opening clause's cue
        clause_start = _compared_clause(ctx, sentence_start, ctx.clause(max(sentence_start, detail.start() - 2))[0])
    strong, strong_at, weak_at = carried, (-1, 0), -1
    bases = [m.span() for m in ctx.patterns.basis.finditer(text, clause_start, position)]
    # cues within reach, and a forecast cue heading the sentence (a comma-spliced run of
    # thousands of numbers is read in linear time)
    reach = max(sentence_start, min(clause_start, position - CUE_REACH))
    # 据亚洲开发银行估计，…: a forecast cue after the source opening the sentence heads it too
    head_chars = SOURCE_HEAD_CHARS if ctx.patterns.source_opener.match(text, sentence_start) else HEAD_CUE_CHARS
    head = [(kind, m) for kind, m in ctx.cues(sentence_start, min(reach, sentence_start + head_chars + 4))
            if kind == "forecast"] if reach > sentence_start else []
    for kind, match in head + ctx.cues(reach, position):
        cue = match["cue"]
        if any(a < match.start() < b for a, b in bases):  # 比1980年预计增长: a basis
            continue
        if kind == "target" and (text[match.end():match.end() + 1] in ("的", "了")
                                 or ctx.patterns.done_after.match(text, match.end())):
            continue  # 规定的投资总额的三分之一: the cue qualifies a noun; 安排了, 预算执行: it is done
        if kind == "target" and ctx.info.review_year \
                and ctx.patterns.done_before.search(text, ctx.clause(match.start())[0], match.start()):
            continue  # 实施两年新增4万亿元的投资计划，其中…: in a review, the plan carried out
        if kind == "target" and reviewed and cue in ctx.patterns.done_in_review:
            continue  # 中央财政安排219亿元 in the review of 2005: the money spent
        if kind in ("target", "target_near") and match.start() < clause_start \
                and ctx.patterns.basis_frame.match(text, ctx.clause(match.start())[0]):
            continue  # 按照…工作要实的要求，迅速推出…十项措施: the frame the act followed, no goal of the figure
        in_clause = match.start() >= clause_start
        if kind == "target_near":
            if cue in ctx.patterns.plan_near and not ctx.info.speaks_for \
                    and not ctx.patterns.goal_verb.match(text, match.end()):
                continue  # 商家要支付手续费20块钱: in the news, what must be done
            # 宣布将…下调１元, 今年将…增加至２０００万元: announced, 将 looks ahead even where it reads as 把
            modal = _modal_use(text, match.end(), ctx.patterns) \
                or (cue == "将" and text.endswith(ctx.patterns.announcing_will, 0, match.start()))
            if cue == "将" and not modal:
                continue  # 将比分反超为3-1, 将一半的家产捐给: 将 is 把 before an object, nothing to come
            gap = position - match.end()
            if (in_clause and (qualified or gap >= WEAK_CUE_MIN_GAP) and (gap <= WEAK_CUE_REACH or modal)) \
                    or (not in_clause and modal  # 将向…发放１万元，…发放２万元
                        and not _CONTRAST.search(text, match.end(), position)):  # not past 而 or a ；
                weak_at = max(weak_at, match.start())
        elif in_clause or _LIST_OPENER.search(text, match.end(), position) \
                or (kind == "forecast" and match.start() - sentence_start <= head_chars):
            if (match.start(), len(cue)) > strong_at:
                strong, strong_at = (kind, _CUE_RULES[kind]), (match.start(), len(cue))
    if strong[0] == "fact" and weak_at > strong_at[0]:
        if ctx.patterns.forecast_governs.search(text, sentence_start, weak_at):  # 预计…，那么…将等于…
            return "forecast", "modality.forecast_governs"
        if not planned and ctx.patterns.outcome_after_will.match(text, weak_at):  # 糖料产量将比去年增长１０％以上
            return "forecast", "modality.forecast_outcome"
        return "target", "modality.target_near"
    if strong[0] == "fact" and strong_at == (-1, 0) and after_end is not None \
            and ctx.has_cue("forecast", position, after_end):  # １１种大病明年有望获…
        return "forecast", "modality.forecast_after"
    return strong


TITLE_REACH = 120  # 《关于公司在福建省泉州市投资建设…生产线项目的议案》: how long a proposal's title may be


def _in_proposal_title(ctx: DocumentContext, q) -> bool:
    """Whether the number stands in a 《》 title of a proposal or plan."""
    text = ctx.doc.text
    opening = text.rfind("《", max(0, q.start - TITLE_REACH), q.start)
    if opening < 0 or text.find("》", opening, q.start) >= 0:
        return False
    closing = text.find("》", q.end, q.end + TITLE_REACH)
    return closing >= 0 and ctx.patterns.proposal_title.search(text, opening, closing) is not None


def link_modality(ctx: DocumentContext, q, sentence_start: int, clause_end: int, carried: tuple[str, str],
                  time_value: str | None, own_time: bool, paragraph_time: bool, paragraph_plans: bool,
                  fact_cue: bool, starting_level: bool, present: bool, last_years_period: bool = False
                  ) -> tuple[str, str, bool]:
    """(modality, rule, whether it is a present state) of one claim: its cues, then what the
    discourse implies. A present state (`已有…`) of a fact is dated at the reporting date; a
    yearless period that would end months after it (`上半年` in March: last year's, once settled)
    is no plan of a period still to come."""
    quantity: Quantity = q.row
    info = ctx.info
    # a cue may end in the quantity's own bound word (指标为三千九百二十亿斤)
    prefix = quantity.qualifier if quantity.text.startswith(quantity.qualifier or "\0") else ""
    reviewed = bool(info.review_year and time_value and (period_end(time_value) or "9")[:4] <= info.review_year)
    modality, rule = cue_modality(ctx, sentence_start, q.start + len(prefix), carried,
                                  bool(quantity.qualifier), clause_end, reviewed,
                                  bool(info.speaks_for) and paragraph_plans)
    if modality == "fact" and quantity.qualifier in ctx.patterns.target_qualifiers and not fact_cue:
        modality, rule = "target", "modality.norm"  # 绿地率不低于３０％
    if modality == "fact" and _in_proposal_title(ctx, q):
        modality, rule = "target", "modality.proposal"  # 《关于…投资建设年产３０００吨…项目的议案》
    if modality != "target" and not fact_cue and ctx.patterns.goal_named_after.match(ctx.doc.text, q.end):
        modality, rule = "target", "modality.goal_named"  # 略低于8％的预定目标: the goal itself (not 实现了…的目标)
    planned = plan_ahead(time_value, info.anchor) if time_value in plan_periods() else paragraph_plans
    if modality == "fact" and planned and not last_years_period and unfinished(time_value, info.anchor) and not fact_cue \
            and not ends_this_month(time_value, info.anchor) and not years_just_ended(time_value, info.anchor) \
            and (own_time or info.speaks_for or _ahead(time_value, info.anchor)):
        # a plan's figures for a period still to come; in the news, when an earlier sentence dates them,
        # only a period that lies ahead (１０年内, 7月起), not the current year (今年…。…工资６０００元左右)
        modality, rule = "target", "modality.plan_ahead"
    present = present and modality == "fact"
    if present:
        time_value = info.anchor
    if info.review_year and modality == "fact" and (own_time or paragraph_time) \
            and time_value == info.anchor[:4] and not fact_cue:
        modality, rule = "target", "modality.report_year"  # an annual report's figures for its own year
    if modality == "target" and plan_share(ctx, q) is not None:
        modality, rule = "fact", "modality.plan_share"  # 完成全年计划的45%: what was achieved
    if modality == "forecast" and time_value and info.anchor and (period_end(time_value) or "9") < info.anchor \
            and not _DAY.search(time_value):
        # 预计达到… of a year already over; a day dates the news of a forecast, not what it foresees
        modality, rule = "fact", "modality.past_forecast"
    if starting_level or quantity.unit_text == "周年":
        modality, rule = "fact", "modality.starting_level"  # a starting level, an anniversary: what is
    return modality, rule, present


def period_ahead(ctx: DocumentContext, modality: tuple[str, str], time: TimeLink, fact_cue: bool) -> tuple[str, str]:
    """A fact of a month, quarter, year or longer period that starts after the document's date
    (到２０００年形成…企业集团２家 in 1998, 预定在今年３月…冲消７·７万亿日元 in January) is planned,
    not done; a day ahead is a schedule (明天凌晨两场欧洲杯), a starting level is, and so may be a
    month named without its year (10月份…达到了564款 in June: last October's). Asked once the time
    is settled (a yearless 第四季度 reported in March is last year's)."""
    anchor = ctx.info.anchor
    if modality[0] != "fact" or modality[1] == "modality.starting_level" or fact_cue or not anchor \
            or len(anchor) != 10 or not time.value or time.value[:4] < anchor[:4] or _DAY.search(time.value):
        return modality  # most figures: done, or of a year before the document's (read without parsing)
    start = period_start(time.value)
    if not start or start <= anchor:
        return modality
    placed = time.placed
    if placed is not None and yearless(placed) and not ctx.patterns.ahead_word.search(placed.row.text):
        return modality
    return "target", "modality.period_ahead"


def _ahead(time_value: str | None, anchor: str | None) -> bool:
    """Whether a period starts after the document's date or runs on past its year (2012/2021 in 2012)."""
    start, end = period_start(time_value), period_end(time_value)
    if not start or not end or not anchor:
        return False
    return start > anchor or end[:4] > anchor[:4]


def headlines_follow_body(claims: list[Claim], headings: set[int]) -> list[Claim]:
    """The title lines restate figures of the body (`烈士每人３万` over `…将…发放每人３万元`): a
    title figure takes the modality the body gives it."""
    body: dict[tuple, Claim] = {}
    for claim in claims:
        if claim.sent_id not in headings:
            body.setdefault((claim.value, claim.unit), claim)
    followed = []
    for claim in claims:
        source = body.get((claim.value, claim.unit)) if claim.sent_id in headings else None
        if source is not None and claim.modality == "fact" and source.modality != "fact":
            claim = replace(claim, modality=source.modality, modality_rule="modality.headline")
        followed.append(claim)
    return followed
