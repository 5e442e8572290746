"""Metric linker: what a claim measures, in the text's own words, and the rule that found it.

The noun phrase that owns the number: the i-th item before `分别`, the noun after `的`
(`3400平方米的两江多功能厅`), the counted noun (`610家企业参展`), the words on the left, the object
of a verb on the left (`使用1000亿元失业保险基金`), the compared metric of a starting level
(`比1958年的214亿元`), a table's caption, the sentence's topic, or the previous claim's metric.
A completion rate names its plan too (`钢产量完成年度计划的102%` → `钢产量/年度计划`), and a
change the verb of the change as written (`商品零售物价指数上涨２．５％` → `商品零售物价指数上涨`; the
discourse pass appends it, after the noun phrase has been carried and mapped to an indicator).
"""

from __future__ import annotations

import regex

from pipeline import times as time_stage

from pipeline.claims.context import (COMPARED, COMPARED_WITH, LIST_JOINERS, TRIM, DocumentContext, Patterns, bases,
                                     boundaries, furniture_spans)
from pipeline.records import Quantity

TOPIC_MAX_CHARS = 20
SHORT_PHRASE_CHARS = 8
GOAL_NOUN_REACH = 4  # 翻两番的宏伟目标: how far into the noun after 的 a goal noun may end
GOAL_RATE_DIMENSIONS = {"multiple", "percent", "percentage_point"}
SHARED_HEAD_CHARS = 6  # 增长率, 专任教师合格率: how long the noun all items of a 分别 list share may be
SHARED_ITEM_CHARS = 4  # 小学、初中、高中: how long items naming only categories of a shared metric may be
RIGHT_METRIC_RULES = {"metric.attributive", "metric.counted_noun", "metric.object"}  # the measured thing
_PAIRED_MARKS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"), ("「", "」"))
_DANGLING_PARTICLE = regex.compile(r"(?:的|等|之|中)$")
_CLAUSE_OPENING = regex.compile(r"[、，,。；;：:！？）)\s]")
_NOUN_START = regex.compile(r"[\p{Han}“「《]")
_LIST_GAP = regex.compile(r"[、，,和及与以]{1,2}|以及")  # longer than any quantity or time expression
_RESPECTIVELY = regex.compile(r"分别")
LIST_ITEM_GAP = 6  # 主要生产能力有煤炭２７１４万吨: how far after its opener a list's first amount may start
LIST_REACH = 300  # how far before an item its list's opener may stand (a long sentence is read in linear time)
LIST_ITEM_CHARS = 8  # 石油, 发电机组容量: how long a list item's own metric is
PARALLEL_METRIC_CHARS = 12  # 城镇居民人均可支配收入: how long the metric of a level a later 分别 takes up may be
_LISTED_LABELS = ("PERSON", "ORG", "GPE", "LOC")
LIST_LEAD_CHARS = 4  # 今年北京、上海的GDP分别…: words before the first name of a list
_COMPARED_FRAME = regex.compile(rf"(?:{'|'.join(COMPARED_WITH)})[^、，,；;]{{1,12}}?{COMPARED.pattern}$")
_ANAPHOR = regex.compile(r"^(?:这个|这一|这些|这|该|此)")

def strip_metric(text: str, patterns: Patterns, times: list[str] = (), names: list[str] = ()) -> str:
    """The metric words of a clause fragment: without times and bases (anywhere), the subject's
    name when it leads, openers and linking verbs (cut only at word boundaries: 比 goes, 比例
    stays). Brackets and quotes left open get their closing mark back (企业“上云上平台”). Page
    furniture (a stock quote after a name: 交通银行(601328,股吧)) is no metric word."""
    text = without_furniture(text)
    for basis in bases(text, patterns):
        text = text.replace(basis, "")
    for piece in sorted(times, key=len, reverse=True):
        if piece:
            text = text.replace(piece, "")
    cuts = boundaries(text, patterns)  # word boundaries of the whole fragment, segmented once
    start, end = 0, len(text)
    while True:
        while start < end and text[start] in TRIM:
            start += 1
        while end > start and text[end - 1] in TRIM:
            end -= 1
        window = text[start:end]
        leading = next((name for name in names if name and window.startswith(name)), None)
        if leading:
            start += len(leading)
            continue
        tail = patterns.copula_tail.search(window)
        if tail and start + tail.start() in cuts:
            end = start + tail.start()
            continue
        head = patterns.opener_head.match(window)
        if head and start + head.end() in cuts:
            start += head.end()
            continue
        particle = _DANGLING_PARTICLE.search(window)
        if particle and start + particle.start() in cuts:  # …的 goes, 初中 and 高中 stay
            end = start + particle.start()
            continue
        break
    text = text[start:end]
    return close_open_marks(text.strip(TRIM))


def close_open_marks(text: str) -> str:
    for opening, closing in _PAIRED_MARKS:
        if text.count(opening) > text.count(closing):
            text += closing
    return text


def ends_with_verb(words: str, patterns: Patterns) -> bool:
    """Whether a metric candidate ends in a verb taking the number as object (发放, 惠及, 严守)."""
    pairs = patterns.tagged(words)
    return bool(pairs) and pairs[-1][1] in ("v", "vn", "vd", "vg", "a", "ad")  # 严守 is tagged a


def short_noun_phrase(text: str, patterns: Patterns) -> bool:
    """Whether `text` (the rest of a clause) is a short noun phrase ending in a noun (报销经费,
    专项奖补资金): what an amount of money right before it pays for."""
    if not 2 <= len(text) <= SHORT_PHRASE_CHARS:
        return False
    pairs = patterns.tagged(text)
    return bool(pairs) and (pairs[-1][1][:1] == "n" or pairs[-1][1] == "vn") \
        and all(pos[:1] in ("n", "v", "a", "b") for _word, pos in pairs)


def leading_nouns(text: str, patterns: Patterns) -> str:
    """The nouns `text` opens with (纸面石膏板生产线 of 纸面石膏板生产线及配套…), "" when it opens with another word."""
    nouns = ""
    for word, pos in patterns.tagged(text[:SHORT_PHRASE_CHARS * 2]):
        if not (pos[:1] == "n" or pos == "vn"):
            break
        nouns += word
    return nouns


def opens_noun_phrase(text: str, patterns: Patterns) -> bool:
    """Whether `text` starts with a word that can head a noun phrase (not 有, 是: `…以上的有生铁`)."""
    pairs = patterns.tagged(text[:8])
    return bool(pairs) and not pairs[0][1].startswith(("v", "p", "c", "u"))


def is_content_word(word: str, patterns: Patterns) -> bool:
    """Whether a one-character metric names a thing (纸, 糖, 钢) rather than a function word (但, 其)."""
    return bool(word) and all(pos[:1] not in "dpcurmqfxyeo" for _word, pos in patterns.tagged(word))


def without_furniture(text: str) -> str:
    """`text` without the spans rules/number_forms.yaml skips as page furniture (stock quotes, URLs)."""
    for start, end in reversed(furniture_spans(text)):
        text = text[:start] + text[end:]
    return text


def metric_words(patterns: Patterns, quantity: Quantity, left: str, right: str,
                 removable: tuple[list[str], list[str]], listed: str | None,
                 basis_metric: str | None) -> tuple[str, str]:
    """(metric words, rule id) from the clause around a quantity: the starting level of a
    comparison shares the compared metric (比1958年的214亿元); a 分别 list item; the noun after
    `的` (3400平方米的两江多功能厅); the counted noun (610家企业参展); the words on the left;
    or the object of a verb on the left (使用1000亿元失业保险基金); a completion rate measures its
    metric against the plan (钢产量完成年度计划的102%)."""
    if basis_metric:
        return basis_metric, "metric.basis"
    if quantity.rule == "score":  # 以2比0的比分击败: each side of a match score; 总比分战成1-1: of the series
        kind = patterns.score_kind.search(left)
        return (kind[0] if kind else patterns.score_metric), "metric.score"
    if quantity.rule == "form_points":  # 拿下11分: the points scored, whoever scored them; 上半场让江苏得到60分: in that part
        period = patterns.match_period.search(left)
        return (period[0] if period else "") + patterns.points_metric, "metric.points"
    named = quantity.classifier and patterns.naming_classifier.search(quantity.classifier)
    if named:  # 6篮板, 8次助攻: the measure word names what is counted
        return named[0], "metric.classifier"
    if listed is not None:
        return strip_metric(listed, patterns, *removable), "metric.respectively"
    length_of = patterns.duration_noun_head.match(right) if quantity.dimension == "duration" else None
    if length_of:  # 有３０年历史, 签订１０年合同: what the length of time is of
        return length_of[0], "metric.duration_of"
    described = leading_nouns(right, patterns) if quantity.unit_text in patterns.ages else ""
    if described:  # ３５岁以下干警, １６岁男孩: the people of that age
        return described, "metric.age_of"
    stake = patterns.stake_head.match(right) if quantity.dimension == "percent" else None
    if stake:  # 持有的中油金鸿１００％股权: a stake held
        return stake[0], "metric.stake"
    size = right[:1] if right[1:2] == "的" and right[:1] in patterns.size_words else ""
    sized = strip_metric(right[2:], patterns) if size else ""
    if short_noun_phrase(sized, patterns):  # ７米长的横幅, ２８米高的灯塔: the size of the thing after 的
        return sized + size, "metric.size_of"
    if right.startswith("的") and (opens_noun_phrase(right[1:], patterns) or short_noun_phrase(right[1:], patterns)):
        owned = strip_metric(right[1:], patterns)
        # 在能源增长不到3％的情况下: a frame, not a thing; 翻两番的宏伟目标: a rate set as a goal measures
        # what the left names (but 完成２０００万元的任务指标: an amount is the quota's)
        goal_rate = quantity.dimension in GOAL_RATE_DIMENSIONS and any(goal in owned[:GOAL_NOUN_REACH]
                                                                       for goal in patterns.goal_nouns)
        if owned and owned not in patterns.frame_nouns and not goal_rate:
            named = strip_metric(left, patterns, *removable)
            if short_noun_phrase(named, patterns) and not ends_with_verb(named, patterns) and not _ANAPHOR.match(named) \
                    and not named.startswith(patterns.goal_nouns) and not owned.startswith(tuple(patterns.frame_nouns)):
                # 人口约９．２万的红鹿市, 设备容量一百万千瓦左右的水电站: the measure before the number, of
                # the thing after 的 when that is a short noun phrase (年产量近１３万辆的…集团今天…宣告成立: the measure
                # alone); after 有 the noun after 的 is the measure (种植白莲有１３００多年的历史)
                if not short_noun_phrase(owned, patterns):
                    return named, "metric.measure_of"
                held = patterns.possession_tail.search(left.strip(TRIM))
                return (named + owned if held else owned + named), "metric.measure_of"
            return _act(left, patterns, removable, named) + owned, "metric.attributive"
    capacity = patterns.capacity_tail.search(left.strip(TRIM))
    facility = leading_nouns(right, patterns) if capacity else ""
    # 承包年产２５０万吨炼油厂建设项目: the capacity of the facility named after the unit (but a count's
    # noun before 的 is what is counted: 年产１００万台微机的生产线)
    if facility and not (quantity.dimension == "count" and right.startswith("的", len(facility))):
        return capacity[0] + facility, "metric.capacity"
    if quantity.dimension == "currency" and right not in patterns.frame_nouns and short_noun_phrase(right, patterns):  # １万元慰问金
        return right, "metric.attributive"
    if quantity.classifier and quantity.dimension == "count" and right \
            and not _CLAUSE_OPENING.match(right) \
            and (quantity.classifier in patterns.verbal_classifiers or not patterns.change_head.match(right)):
        # 500台增加到…: a change of the count, not what is counted; but 4次降低存款准备金率 counts the action
        counted = strip_metric(right, patterns)
        if counted:  # a measure word that is itself what is counted comes along (５批次含强致癌物), as does
            # the time an action is done (４３次打破２９项世界纪录: 次打破)
            unit = quantity.classifier if len(quantity.classifier) > 1 \
                or quantity.classifier in patterns.verbal_classifiers else ""
            return _act(left, patterns, removable) + unit + counted, "metric.counted_noun"
    if quantity.dimension == "count" and not quantity.classifier and not quantity.unit_text \
            and _NOUN_START.match(right) and patterns.tagged(right[:8])[0][1][:1] == "n":
        counted = strip_metric(right, patterns)  # ３２０万人口, ７８万外国游客: a bare count names what it counts after it
        if counted and not counted.startswith(patterns.goal_nouns):
            return counted, "metric.counted_noun"
    metric = strip_metric(left, patterns, *removable)
    if not metric and left.strip(TRIM) in patterns.size_words:  # …，高１３米: the height (not 高 as "higher by")
        return left.strip(TRIM), "metric.left"
    streak = next((w for w in patterns.streak_words if metric.endswith(w)), None)
    if quantity.dimension == "duration" and streak and right:
        act = strip_metric(right, patterns, removable[0])
        if act and len(act) <= SHORT_PHRASE_CHARS:  # 粮食连续五年增产: what the years in a row did
            return metric[:-len(streak)] + act, "metric.streak"
    if _NOUN_START.match(right) and (not metric or ends_with_verb(metric, patterns)) \
            and quantity.unit_text != "周年" \
            and not (metric and quantity.dimension == "duration" and quantity.unit_text not in patterns.ages
                     and not metric.endswith(patterns.streak_words)):
        # 成立75周年系列会议: the anniversary of 成立; 提前两年实现…: how much earlier, the verb's (not an
        # age, 延至６５岁退休, nor a streak, 连续两年当选三好学生)
        verb_object = strip_metric(right, patterns, removable[0])
        if verb_object and not only_verbs(verb_object, patterns):
            return _act(left, patterns, removable, metric) + verb_object, "metric.object"  # 新建|高标准农田
    if metric and quantity.classifier in patterns.scored_classifiers and ends_with_verb(metric, patterns):
        return metric + quantity.classifier, "metric.left"  # 本场进2球: 本场进球
    plan = patterns.plans.search(left) and next(
        (m[0] for basis in bases(left, patterns) for m in [patterns.plans.search(basis)] if m), None)
    if plan and metric:
        return f"{metric}/{plan}", "metric.plan_completion"
    return metric, "metric.left"


def _act(left: str, patterns: Patterns, removable: tuple[list[str], list[str]], words: str | None = None) -> str:
    """The short verb phrase before a number whose object it counts or measures (重新审核并淘汰了４０％的
    乳制品企业, 审议和通过了１１项法律), without 了; "" when the words before are no such act."""
    done = (strip_metric(left, patterns, *removable) if words is None else words).removesuffix("了")
    if not done or _ANAPHOR.match(done) or not ends_with_verb(done, patterns):
        return ""
    if len(done) <= SHORT_PHRASE_CHARS and not any(name and name in done for name in removable[1]):
        return done  # (冠军刘国梁获得: who acts, not the act)
    words = patterns.tagged(done[-SHORT_PHRASE_CHARS:])
    (verb, pos), before = words[-1], words[-2][1] if len(words) > 1 else ""
    # “思源焦点公益基金”与搜狗共同捐赠: the verb ending the clause (not one a noun compounds: 疫苗接种, 工业增速)
    return verb if len(verb) > 1 and pos.startswith("v") and not before.startswith("n") else ""


def antecedent(ctx: DocumentContext, metric: str, start: int, end: int) -> str | None:
    """What an anaphoric metric refers back to (`这个比重大约是百分之十七` after `现代工业的产值在
    工农业总产值中的比重迅速上升`): the noun phrase ending in the same noun earlier in the paragraph."""
    match = _ANAPHOR.match(metric)
    words = ctx.patterns.tagged(metric[match.end():]) if match else ()
    if not words or words[0][1][:1] != "n":
        return None
    noun = words[0][0]
    text = ctx.doc.text
    anaphor = text.rfind(match[0] + noun, start, end)
    at = text.rfind(noun, start, anaphor) if anaphor >= 0 else -1
    if at < 0:
        return None
    clause_start = ctx.clause(at)[0]
    phrase = strip_metric(text[clause_start:at + len(noun)], ctx.patterns)
    if len(phrase) <= len(noun) or _ANAPHOR.match(phrase) or ctx.overlapping(ctx.quantities, clause_start, at):
        return None  # nothing more than the noun, another anaphor, or a phrase holding a number
    return phrase


def only_verbs(words: str, patterns: Patterns) -> bool:
    """Whether jieba reads a metric candidate as verbs only (使用, 发放): no noun to measure."""
    return all(pos[0] in "vd" or pos == "ad" for _word, pos in patterns.tagged(words))


def topic(ctx: DocumentContext, sentence_start: int, clause_start: int) -> str:
    """The first short clause of the sentence, before the number's, that names a topic
    (`例如，钢的产量，…`, `一九五九年基本建设投资总额，通过国家预算的部分，拟定为…`); a clause
    opening with a preposition or conjunction frames the sentence (`根据…新形势，`) and names none.
    The sentence's clauses are read once, however many numbers ask (a comma-spliced line has
    thousands)."""
    found = ctx.sentence_topics.get(sentence_start)
    if found is None:
        found = ctx.sentence_topics[sentence_start] = _first_topic(ctx, sentence_start)
    start, phrase = found
    return phrase if start < clause_start else ""


def _first_topic(ctx: DocumentContext, sentence_start: int) -> tuple[int, str]:
    """(start, text) of the sentence's first clause without a number that names a topic."""
    text = ctx.doc.text
    start = sentence_start
    sentence_end = text.find("\n", sentence_start)
    sentence_end = len(text) if sentence_end < 0 else sentence_end
    while start < sentence_end:
        end = ctx.clause(start)[1]
        if not ctx.overlapping(ctx.quantities, start, end):
            times = [text[t.start:t.end] for t in ctx.overlapping(ctx.times, start, end)]
            topic = strip_metric(text[start:end], ctx.patterns, times)
            if 2 <= len(topic) <= TOPIC_MAX_CHARS and ctx.patterns.tagged(topic)[0][1][:1] not in ("p", "c"):
                return start, topic
        start = end + 1
    return sentence_end, ""


def list_head(ctx: DocumentContext, sentence_start: int, clause_start: int) -> str:
    """The head of a list of amounts that the clause continues (当年新增加的主要生产能力有煤炭２７１４万吨，
    石油１４９１万吨: 主要生产能力 for 石油), else "". The list opens with 有, 包括 or ： right before its
    first amount, and every clause from there to this one holds one; when the opener's clause is
    not the sentence's first (…生产能力（按年产量计算），仅中央各部所属的企业就有：), the head is the
    sentence's topic."""
    text = ctx.doc.text
    opener = None
    for opener in ctx.patterns.list_opener.finditer(text, max(sentence_start, clause_start - LIST_REACH), clause_start):
        pass
    if opener is None:
        return ""
    opener_clause = ctx.clause(opener.start())[0]
    if opener[0][0] not in "：:" and opener.start() - opener_clause not in boundaries(text[opener_clause:opener.end()], ctx.patterns):
        return ""  # 拥有, 没有: the word goes on
    first = next(iter(ctx.within(ctx.quantities, opener.end(), clause_start)), None)
    if first is None or first.start - opener.end() > LIST_ITEM_GAP:
        return ""
    at = ctx.clause(first.start)[1] + 1
    while at < clause_start:
        end = ctx.clause(at)[1]
        if not ctx.overlapping(ctx.quantities, at, end):
            return ""
        at = end + 1
    head = topic(ctx, sentence_start, opener_clause) if opener_clause > sentence_start else ""
    if not head:
        times = [text[t.start:t.end] for t in ctx.overlapping(ctx.times, opener_clause, opener.start())]
        head = strip_metric(text[opener_clause:opener.start()], ctx.patterns, times)
    return head if len(head) >= 2 and not head.endswith(ctx.patterns.stating_words) else ""  # 据统计：…


def respectively(ctx: DocumentContext, sentence: tuple[int, int],
                  claims_in_sentence: list[Placed]) -> dict[int, tuple]:
    """(metric words, the words before the first number, (time, value), the subject: a name or a
    population group) per quantity of
    `A、B、C…分别…x、y、z`, when the counts agree. A list of years (１９９５、１９９６、１９９７年价格总水平
    分别回落…) or a span of as many years (2009到2011年…分别…) gives each number its year, a list of names (北京、上海的GDP分别增长…; 黄莉丽、…与于净，
    今天分别以…) its subject, and all of them the words after the last item."""
    text = ctx.doc.text
    result: dict[int, tuple] = {}
    if len(claims_in_sentence) < 2:
        return result
    listed: list[str] = []  # the metrics of the sentence's last list of items
    said = [(m.start(), True) for m in _RESPECTIVELY.finditer(text, sentence[0], sentence[1])]
    for at, stated in sorted(said + [(at, False) for at in _unstated_respectively(ctx, claims_in_sentence)]):
        following = [q for q in claims_in_sentence if q.start > at]
        run = following[:1]
        for q in following[1:]:
            gap = text[run[-1].end:q.start]
            if _LIST_GAP.fullmatch(gap) or (not gap and _LIST_GAP.match(text, q.start)):  # 、９４％ holds its joiner
                run.append(q)
            else:
                break
        if len(run) < 2:
            continue
        clause_start = ctx.clause(at)[0]
        shared_left = text[clause_start:run[0].start]
        head = text[clause_start:at]
        for basis in bases(head, ctx.patterns):
            head = head.replace(basis, "")
        items = [i.strip(TRIM) for i in LIST_JOINERS.split(head) if i.strip(TRIM)]
        if len(items) != len(run) and len(listed) == len(run) and clause_start > sentence[0]:
            # 小学、初中、高中分别达到…，分别比建省前提高１６、３３、１９个百分点: the same items again
            for q, item in zip(run, listed):
                result[id(q)] = (item, shared_left, None, None)
            continue
        span = _yearly_span(ctx, clause_start, at, len(run))
        if span is not None:  # 2009到2011年…销售分别达到3,822万台、1,140万台以及2,730万台: a year each
            metric = strip_metric(text[span.end:at], ctx.patterns)
            first = int(span.row.value[:4])
            for i, q in enumerate(run):
                result[id(q)] = (metric, shared_left, (span, str(first + i)), None)
            continue
        parallel = _parallel_levels(ctx, sentence[0], clause_start, len(run)) if len(items) != len(run) else []
        if not stated and not parallel:
            continue
        if parallel:  # 城镇居民人均可支配收入9422元，农村居民人均纯收入2936元，…分别实际增长7.7%和6.8%
            groups = [ctx.patterns.groups.match(item) for item in parallel]
            for q, item, group in zip(run, parallel, groups):
                result[id(q)] = (item, shared_left, None, group[0] if all(groups) else None)
            continue
        if len(items) != len(run):
            # 黄莉丽、尤艳春、王宏与于净，今天分别以…: the names close the clause before
            before_start = ctx.clause(clause_start - 2)[0] if clause_start - 2 > sentence[0] else None
            names = _listed_names(ctx, before_start, clause_start - 1, len(run)) if before_start is not None else []
            for q, name in zip(run, names):
                result[id(q)] = (None, shared_left, None, name)
            earlier = _earlier_items(ctx, before_start, clause_start, len(run)) if not names else []
            own = strip_metric(head, ctx.patterns)
            for q, item in zip(run, _with_shared_head(ctx, earlier, sentence[0], before_start) if earlier else ()):
                # 肉、蛋、奶…六大类产品的总产量与１９８７年相比，年均递增速度分别为…: each item's, of what it says
                result[id(q)] = (item + own, shared_left, None, None)
            continue
        years = _listed_times(ctx, clause_start, at, len(run))
        names = [] if years else _listed_names(ctx, clause_start, at, len(run))
        if years or names:
            metric = strip_metric(text[(years or names)[-1].end:at], ctx.patterns)
            for i, q in enumerate(run):
                result[id(q)] = (metric, shared_left, (years[i], years[i].row.value) if years else None,
                                 names[i] if names else None)
        else:
            listed = _with_shared_head(ctx, items, sentence[0], clause_start)
            # 城镇居民人均可支配收入和农村居民人均纯收入分别增长…: each item's group too
            groups = [ctx.patterns.groups.match(item) for item in items]
            for q, item, group in zip(run, listed, groups):
                result[id(q)] = (item, shared_left, None, group[0] if all(groups) else None)
    return result


UNSTATED_CHANGE_CHARS = 6  # 实际增长 before a list of rates: a clause that is no more than the change


def _unstated_respectively(ctx: DocumentContext, claims_in_sentence: list[Placed]) -> list[int]:
    """Where a clause holding nothing but a change and a list of rates begins (…农村居民人均纯收入4761元，
    实际增长8.4%和8%): the rates are those of the levels before, in turn, as if 分别 were written."""
    text, found = ctx.doc.text, []
    for before, q in zip(claims_in_sentence, claims_in_sentence[1:]):
        clause_start = ctx.clause(q.start)[0]
        if clause_start <= before.start:  # not the clause's first number
            continue
        words = text[clause_start:q.start].strip(TRIM)
        if 0 < len(words) <= UNSTATED_CHANGE_CHARS and (ctx.patterns.change_up.search(words)
                                                        or ctx.patterns.change_down.search(words)):
            found.append(clause_start)
    return found


def _earlier_items(ctx: DocumentContext, start: int | None, clause_start: int, count: int) -> list[str]:
    """The `count` items of a list making up the clause before a 分别 clause, which holds no amount
    (a count summing the items up may stand in it: 肉、蛋、奶三类产品)."""
    if start is None or any(q.row.dimension != "count" for q in ctx.within(ctx.quantities, start, clause_start)):
        return []
    words = _COMPARED_FRAME.sub("", ctx.doc.text[start:clause_start - 1].strip(TRIM))  # …与１９８７年相比
    items = [item.strip(TRIM) for item in LIST_JOINERS.split(words) if item.strip(TRIM)]
    return items if len(items) == count else []


def _with_shared_head(ctx: DocumentContext, items: list[str], sentence_start: int, clause_start: int) -> list[str]:
    """The items of a 分别 list with what they all measure: the noun after the last item's 的
    (国内生产总值、工业产值和农业产值的增长率分别为… → 国内生产总值增长率), else, for short items, the
    noun phrase the clause before names (专任教师的合格率，小学、初中、高中分别达到… → 小学合格率)."""
    *rest, last = items
    owner, of, head = last.rpartition("的")
    if of and owner and _shared_head(head, ctx.patterns) and not any(head in item for item in rest):
        return [item + head for item in rest] + [owner + head]
    if clause_start - 1 <= sentence_start or any(len(item) > SHARED_ITEM_CHARS for item in items):
        return items
    before = ctx.doc.text[ctx.clause(clause_start - 2)[0]:clause_start].strip(TRIM)
    head = before.rpartition("的")[2]
    if len(head) > SHARED_HEAD_CHARS:  # 教师学历合格率: its last word
        head = next(iter(reversed(ctx.patterns.tagged(head))), ("", ""))[0]
    if ctx.within(ctx.quantities, clause_start - len(before) - 1, clause_start) or not _shared_head(head, ctx.patterns):
        return items
    return [item + head for item in items]


def _shared_head(words: str, patterns: Patterns) -> bool:
    """Whether `words` is a short noun phrase ending in a noun (增长率, 合格率, 定存利息)."""
    pairs = patterns.tagged(words) if 1 < len(words) <= SHARED_HEAD_CHARS else ()
    return bool(pairs) and pairs[-1][1][:1] == "n" and all(pos[:1] in ("n", "v", "a", "b") for _w, pos in pairs)


def _listed_names(ctx: DocumentContext, start: int, end: int, count: int) -> list[Placed]:
    """The name each of `count` list items in text[start:end] opens with (the first item may start
    with a few words: 今年北京、上海…), a person after the team or place qualifying them
    (哈尔滨队的黄莉丽、…与齐齐哈尔队的于净); none unless every item has one."""
    text, spans, at = ctx.doc.text, [], start
    for joiner in [*LIST_JOINERS.finditer(text, start, end), None]:
        spans.append((at, joiner.start() if joiner else end))
        at = joiner.end() if joiner else end
    if len(spans) != count:
        return []
    names = []
    for index, (a, b) in enumerate(spans):
        inside = [e for e in ctx.within(ctx.entities, a, b) if e.row.label in _LISTED_LABELS]
        lead = text[a:inside[0].start].strip(TRIM) if inside else None
        if lead is None or len(lead) > (LIST_LEAD_CHARS if index == 0 else 0):
            return []
        people = [e for e in inside if e.row.label == "PERSON"]
        names.append(people[-1] if people else inside[0])
    return names


def _parallel_levels(ctx: DocumentContext, sentence_start: int, clause_start: int, count: int) -> list[str]:
    """The metrics of the `count` clauses right before a 分别 clause that each state one level
    (城镇居民人均可支配收入9422元，农村居民人均纯收入2936元，…分别增长…), else none."""
    before = list(ctx.within(ctx.quantities, sentence_start, clause_start))[-count:]
    clauses = [ctx.clause(q.start) for q in before]
    if len(before) < count or len({c[0] for c in clauses}) < count:
        return []
    metrics = [strip_metric(ctx.doc.text[c_start:q.start], ctx.patterns) for q, (c_start, _end) in zip(before, clauses)]
    return metrics if all(metrics) and all(len(m) <= PARALLEL_METRIC_CHARS for m in metrics) else []


def _yearly_span(ctx: DocumentContext, start: int, end: int, count: int) -> Placed | None:
    """A span of exactly `count` years opening text[start:end] (2009到2011年), the years of a 分别 list."""
    first = next(iter(ctx.within(ctx.times, start, end)), None)
    if first is None or ctx.doc.text[start:first.start].strip(TRIM) or first.row.type not in ("range", "period"):
        return None
    return first if time_stage.years_long(first.row.value) == count else None


def _listed_times(ctx: DocumentContext, start: int, end: int, count: int) -> list[Placed]:
    """The `count` times listed first in text[start:end] with only list joiners between them
    (１９９５、１９９６、１９９７年), else none."""
    times = list(ctx.within(ctx.times, start, end))[:count]
    if len(times) < count or ctx.doc.text[start:times[0].start].strip(TRIM):
        return []
    gaps = (ctx.doc.text[a.end:b.start] for a, b in zip(times, times[1:]))
    return times if all(LIST_JOINERS.fullmatch(gap) for gap in gaps) else []
