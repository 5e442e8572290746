"""Subject linker: whom or what a claim is about, and the rule that chose it.

An entity of the number's clause, else one carried by the discourse (an earlier claim of the
sentence, the sentence's or paragraph's subject, the section heading's); with none, the territory
(`全国财政收入`) or population group (`城镇居民`) the clause names, a list paragraph's row label
(`钢：…`), else whom the document speaks for (a national report: `中国`). Entities listed with 等,
objects after 在/与, an organisation before a title (`国务院总理`) or a verb of saying (`…表示`,
a source) are not subjects.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from pipeline.claims.context import (LIST_JOINER, LIST_JOINERS, QUOTE_MARKS, TRIM, DocumentContext, Placed,
                                     inside_quoted_name)
from pipeline.claims.metric import RIGHT_METRIC_RULES
from pipeline.records import Entity
from pipeline.script import to_simplified

SUBJECT_PRIORITY = {"PRODUCT": 0, "ORG": 1, "FAC": 2, "GPE": 3, "LOC": 4, "EVENT": 5, "PERSON": 6}
# a side of a match score is a player or a team (a country's), not the tournament or the place it is played in
SCORE_PRIORITY = {"PERSON": 0, "ORG": 1, "GPE": 2}
AFOREMENTIONED_REACH = 120  # how far before a number its 上述/该行 may stand (a long sentence is read in linear time)
LOCAL_TERRITORY_REACH = 2000  # how far back the place of a 全市 may be named
SUBJECT_REACH = 300  # chars before a number within which a name of its sentence can be its subject
SPEECH_REACH = 8  # 国家统计局新闻发言人…表示: the title and the verb of saying after a name
SCORE_OBJECT_REACH = 8  # 4-0战胜新加坡名将冯天薇: the opponent's name right after the score's verb
QUALIFIER_GAP = 4  # 英国天才穆雷, 日本选手野中佑希: a place this close before a person says where they are from
ROLE_GAP = 8  # 中国举重男选手陈镜开, 泰华通讯记者协会荣誉主席颜雄: a role this long may stand between them
TEAM_GAP = 1  # 澳大利亚队科利姆, 哈尔滨队的黄莉丽: a team right before a person says whom they play for
HOLDER_REACH = 8  # 湖南省煤炭系统: how far after a name the head of its holder may end
EXAMPLE_LIST_REACH = 60  # 上海南浦大桥、秦山核电站…等: how far the 等 closing a list of examples may be
_LIST_CLOSED = rf"[^，,；;。：:！？!?]{{0,{EXAMPLE_LIST_REACH}}}?等(?!于)"
_ITEM_TAIL = r"[^、，,；;。：:！？!?在于对向与给把被从]{0,6}?"  # 秦山|核电站、: the rest of a list item
_EXAMPLE_LIST_AFTER = regex.compile(rf"{_ITEM_TAIL}(?:{LIST_JOINER}){_LIST_CLOSED}")
_EXAMPLE_LIST_REST = regex.compile(_LIST_CLOSED)
_ONE_EXAMPLE = regex.compile(r"\p{Han}{0,2}?等(?!于|人)")  # 腾讯网等四家门户网站 (林政志等人: the person and others)
_NO_CLAUSE_BREAK = regex.compile(r"[^，,；;。：:！？!?]*")
_JOINER_AFTER = regex.compile(rf"[ \u3000]*(?:{LIST_JOINER})[ \u3000]*")  # 中国银行\u3000、工商银行
_JOINER_BEFORE = regex.compile(rf"[ \u3000]*(?:{LIST_JOINER})[ \u3000]*$")
# 在…, 与…, 来自英国各地的…, 旅英学子, 驻哈大使馆: a place or name after these is where, with whom or whence;
# 占中国人口的８．５％: the whole a share is of
_DESTINATION_BEFORE = frozenset("在向赴到")
MODIFIER_CHARS = 10  # 打了三节的, 第一场表现出色的: how long a modifier before a subject may be
_MODIFIER = regex.compile(rf"[^是为在与和对向把被将从由，,；;。：:]{{1,{MODIFIER_CHARS}}}的")
_NUMBER_AFTER = regex.compile(r"[ \u3000]?[\d０-９]")  # 杨敬敏19分: a figure right after the name
_ROW_LABEL = regex.compile(r"(?P<label>[\p{Han}]{1,10})[：:，,]")


_PLACE_LABELS = ("GPE", "LOC")
_COUNTRY_CODE = regex.compile(r"[A-Z]{2}")  # rules/gazetteers/countries.tsv: a country's ISO 3166 code


class SubjectLink(NamedTuple):  # a tuple: one is made per claim
    subject: str | None
    placed: Placed | None  # the entity, when one is the subject
    rule: str


def subject_candidates(ctx: DocumentContext, start: int, end: int, speakers: bool = True,
                       at: int | None = None) -> list[Placed]:
    """Entities that can be a subject: not examples (X等), not objects after 在/与/和/(提)请;
    without `speakers`, not one that speaks (联合国发布报告称，预计…: the source of a forecast);
    with `at`, not the source of what is said there."""
    found = []
    never = ctx.never_subject
    for e in ctx.within(ctx.entities, start, end):
        excluded = never.get(id(e))
        if excluded is None:  # what the entity's own place says, judged once per entity
            excluded = never[id(e)] = _never_subject(ctx, e)
        if excluded:
            continue
        if (not speakers and _speaks(ctx, e)) or (at is not None and is_source(ctx, e, at)):
            continue  # 联合国发布报告称，预计…: a source, not what the figures are about
        if in_source_clause(ctx, e, at):
            continue  # 据中国之声报道，…: where the news comes from
        found.append(e)
    return found


def _never_subject(ctx: DocumentContext, e: Placed) -> bool:
    """Whether where an entity stands makes it no subject, wherever the number is."""
    text = ctx.doc.text
    if e.row.label not in SUBJECT_PRIORITY:
        return True
    before = text[max(0, e.start - 1):e.start]
    if _ONE_EXAMPLE.match(text, e.end) or ctx.patterns.time_zone.match(text, e.end):
        return True  # 北京时间１月３１日晚: a clock, not a place figures are about
    if inside_quoted_name(text, e, QUOTE_MARKS):  # 分获“直通巴黎”网络投票前三甲: part of a thing's name
        return True
    if before in ctx.patterns.object_markers:  # 在全国推开, 与…合作; but 在上海有１２４家: the place holds them
        return not (before == "在" and e.row.label in _PLACE_LABELS and ctx.patterns.existence_after_place.match(text, e.end))
    if before == "、":  # 到宁乡县、汨罗市: where a list of places is the destination, every item is
        first = _list_start(ctx, e)
        if text[max(0, first - 1):first] in _DESTINATION_BEFORE:
            return True
    if _in_example_list(ctx, e) and not in_subject_position(ctx, e):
        # 其中包括宝钢二期工程、上海南浦大桥、秦山核电站等: examples, not whom figures are about;
        # a list opening its clause (工行、建行、中行等大牌银行…分别为…) is what they are about
        return True
    bracket = ctx.bracket(e.start)
    if bracket is not None and ctx.patterns.citation_opener.match(text, bracket[0]):
        return True  # （见２００２年９月７日《羊城晚报》）: where it was reported
    title = ctx.patterns.title_after.match(text, e.end)
    if title and not (title[0].strip() in ctx.patterns.holder_head_words and title.end() not in ctx.entity_starting):
        return True  # 国务院总理李强, 市人社局负责人: the organisation qualifies a person (加拿大企业家: a holder)
    if e.row.label == "PERSON" and not in_subject_position(ctx, e):
        return True  # a person is what a figure is about when the clause opens with them (穆雷世界排名第4)
    # A place right before an organisation only qualifies it (重庆金康赛力斯), one right
    # before a person says where they are from (白俄罗斯选手皮雷瓦洛娃).
    return bool((e.row.label in ("GPE", "LOC") and e.end in ctx.entity_starts) or qualified_person(ctx, e))


def _list_start(ctx: DocumentContext, entity: Placed) -> int:
    """Where the list of names the entity ends (宁乡县、汨罗市) begins: its first item's start."""
    text, start = ctx.doc.text, entity.start
    while text[start - 1:start] == "、" and (previous := ctx.entity_ending.get(start - 1)) is not None:
        start = previous.start
    return start


def _in_example_list(ctx: DocumentContext, entity: Placed) -> bool:
    """Whether the entity is an item of a list its clause closes with 等 (A、B、C等)."""
    text = ctx.doc.text
    if _EXAMPLE_LIST_AFTER.match(text, entity.end):
        return True
    start = entity.start  # …、云南鲁布革水电站…等: the item starts at the names before this one
    while start in ctx.entity_ending and ctx.entity_ending[start].start < start:
        start = ctx.entity_ending[start].start
    return bool(_JOINER_BEFORE.search(text, max(0, start - 2), start)) and bool(_EXAMPLE_LIST_REST.match(text, entity.end))


def qualified_person(ctx: DocumentContext, place: Placed) -> Placed | None:
    """The person a place, an event or an organisation qualifies (英国天才穆雷, 卡塔尔选手阿尔-阿巴里,
    奥运会冠军刘国梁, 澳大利亚队科利姆): a person's name a few characters after a place or an event,
    right after an organisation (or its 的), or after a role ending in a title (中国举重男选手陈镜开),
    in the same clause."""
    text = ctx.doc.text
    if place.row.label not in ("GPE", "LOC", "ORG", "EVENT"):  # 奥运会冠军刘国梁: the event titles them
        return None
    person = ctx.first_from(ctx.entities, place.end)  # the next name, if it is a person's
    if person is None or person.row.label != "PERSON" or person.start - place.end > ROLE_GAP:
        return None
    between = text[place.end:person.start]
    near = person.start - place.end <= (QUALIFIER_GAP if place.row.label != "ORG" else TEAM_GAP)
    if not _NO_CLAUSE_BREAK.fullmatch(between) or not (near or ctx.patterns.title_before.search(between)):
        return None  # 中国举重男选手陈镜开: a role ending in a title may stand between them
    return person


def _speech(ctx: DocumentContext, entity: Placed):
    """The verb of saying that follows the entity closely, in its clause and before any number."""
    text = ctx.doc.text
    end = min(entity.end + SPEECH_REACH, ctx.clause(entity.start)[1])
    said = ctx.patterns.speech.search(text, entity.end, end)
    return said if said and not ctx.overlapping(ctx.quantities, entity.end, said.start()) else None


def _speaks(ctx: DocumentContext, entity: Placed) -> bool:
    """Whether the entity says what follows: a verb of saying after it, or, for a person, the
    colon of an interview turn (余丰慧：是一个直接利好的消息)."""
    if entity.row.label == "PERSON" and ctx.doc.text[entity.end:entity.end + 1] in ("：", ":"):
        return True
    return _speech(ctx, entity) is not None


def in_source_clause(ctx: DocumentContext, entity: Placed, at: int | None) -> bool:
    """Whether the entity sits in a clause that says where what follows comes from (据中国之声
    《新闻晚高峰》报道，…), other than the number's own."""
    for start, end in ctx.source_clauses:
        if start <= entity.start < end:
            return at is None or not start <= at < end
    return False


def is_source(ctx: DocumentContext, entity: Placed, at: int) -> bool:
    """Whether the entity only reports what is said at `at` (郑秉文介绍，我国劳动年龄人口…): it
    speaks before that point, and what it says is not about itself (黄怒波表示，我捐了…): a person
    reports unless they speak in the first person or the title names them; an organisation or place reports when what it
    says names someone else (我国, 城镇居民, another name), not when it announces its own act
    (宁波方面表示，…燃油附加费将降至１元)."""
    said = _speech(ctx, entity)
    if said is None or said.end() > at:
        return False
    text, start = ctx.doc.text, said.end()
    if ctx.patterns.first_person.search(text, start, at):
        return False
    if entity.row.label == "PERSON":  # 沃建中介绍，影响幸福感的因素主要有八个: an expert reports,
        return entity.row.text not in (ctx.doc.title or "")  # unless the story is about them
    return bool(ctx.territory(start, at) or ctx.patterns.groups.search(text, start, at)
                or any(e.row.label in SUBJECT_PRIORITY for e in ctx.within(ctx.entities, start, at)))


def in_subject_position(ctx: DocumentContext, entity: Placed) -> bool:
    """Whether an entity opens its clause (after times and openers): `三年来，重庆实施…`."""
    start = ctx.clause(entity.start)[0]
    if entity.row.label == "PERSON":  # 英国天才穆雷首轮…: the place and role before a person open the clause
        qualifier = next((ctx.entity_ending[entity.start - gap] for gap in range(ROLE_GAP + 1)
                          if entity.start - gap in ctx.entity_ending), None)
        if qualifier is not None and qualified_person(ctx, qualifier) is entity:
            entity = qualifier
    before = ctx.doc.text[start:entity.start]
    for t in ctx.within(ctx.times, start, entity.start):
        before = before.replace(ctx.doc.text[t.start:t.end], "")
    before = before.strip(TRIM)
    if _MODIFIER.fullmatch(before) and ctx.doc.text.endswith("的", 0, entity.start):
        return True  # 打了三节的克雷扎拿下11分: a short modifier with 的 before the clause's subject
    return _only_openers(ctx, before)


def _in_frame(ctx: DocumentContext, entity: Placed, clause_start: int) -> bool:
    """Whether the entity stands in an earlier clause that only frames the sentence (为了保障香港同胞
    饮用水安全，…每个县取缔了１００多个小工厂: a purpose, a cause, a condition), not in the number's."""
    start = ctx.clause(entity.start)[0]
    return start < clause_start and ctx.patterns.frame_opener.match(ctx.doc.text, start) is not None


def pick_subject(candidates: list[Placed], priority: dict[str, int] = SUBJECT_PRIORITY) -> Placed | None:
    if not candidates:
        return None
    return min(candidates, key=lambda e: (priority[e.row.label], e.start))


def coordinated(ctx: DocumentContext, entity: Placed, metric: str = "") -> str:
    """The entity's name, with the names of a list it stands in (`招行、工行和汇丰银行…分别为…`,
    `漳州、桂林…`) or, for a place, the other end of a route (`北京至石家庄`): several subjects share
    the figures, `;`-separated."""
    text = ctx.doc.text
    members = [entity]
    suffixes = {id(entity): holder_suffix(ctx, entity, metric)}
    for step in (-1, 1):
        current = entity
        while True:
            joiner = _JOINER_BEFORE.search(text, max(0, current.start - 4), current.start) if step < 0 \
                else _JOINER_AFTER.match(text, _holder_end(ctx, current, suffixes))
            if not joiner and entity.row.label in _PLACE_LABELS:  # 北京至石家庄开行６—８对: both ends of a route
                joiner = ctx.patterns.route_joiner_before.search(text, max(0, current.start - 2), current.start) \
                    if step < 0 else ctx.patterns.route_joiner.match(text, current.end)
            if not joiner:
                break
            at = joiner.start() if step < 0 else joiner.end()
            neighbour = ctx.entity_ending.get(at) if step < 0 else ctx.entity_starting.get(at)
            if neighbour is None or neighbour.row.label != entity.row.label:
                break
            members.insert(0, neighbour) if step < 0 else members.append(neighbour)
            current = neighbour
    names = []
    for member in members:
        chain = place_chain(ctx, member)
        names.append("".join(subject_text(ctx, place.row) for place in chain) + _suffix(ctx, chain[-1], suffixes, metric))
    return ";".join(dict.fromkeys(names))


def place_chain(ctx: DocumentContext, entity: Placed) -> list[Placed]:
    """The places written one right after the other around a place (台州|路桥区, 唐海县|唐海镇,
    中国|香港): one place named with the places it lies in."""
    chain = [entity]
    if entity.row.label not in _PLACE_LABELS:
        return chain
    while (before := ctx.entity_ending.get(chain[0].start)) is not None and before.row.label in _PLACE_LABELS:
        chain.insert(0, before)
    while (after := ctx.entity_starting.get(chain[-1].end)) is not None and after.row.label in _PLACE_LABELS:
        chain.append(after)
    return chain


def _suffix(ctx: DocumentContext, entity: Placed, suffixes: dict[int, str], metric: str = "") -> str:
    if id(entity) not in suffixes:
        suffixes[id(entity)] = holder_suffix(ctx, entity, metric)
    return suffixes[id(entity)]


def _holder_end(ctx: DocumentContext, entity: Placed, suffixes: dict[int, str]) -> int:
    """Where the entity's holder ends (深发展(000001,股吧)银行|和平安银行): its list goes on after."""
    suffix = _suffix(ctx, entity, suffixes)
    return ctx.doc.text.index(suffix, entity.end) + len(suffix) if suffix else entity.end


def holder_suffix(ctx: DocumentContext, entity: Placed, metric: str = "") -> str:
    """The head noun right after a place or body that names the narrower holder a figure is about
    (德国邮电业职工总数, 湖南省煤炭系统共筹资, 大同地区…价格, 深发展(000001,股吧)银行), whole words
    only (北京人口 and 中国人民 are no 人), not when they qualify the noun measured (重庆汽车产业增加值,
    北京地区生产总值): what the entity's name is extended by."""
    text = ctx.doc.text
    if entity.row.label == "PERSON":  # 张女士, 索波老师: the name with the word people call them by
        honorific = ctx.patterns.honorific.match(text, entity.end)
        return honorific[0] if honorific and honorific.end() not in ctx.entity_starting else ""
    after = entity.end
    furniture = ctx.furniture_at.get(after)
    if furniture is not None:
        after = furniture
    head = ctx.patterns.holder_head.match(text, after, min(len(text), after + HOLDER_REACH))
    if head is None or head.end() in ctx.entity_starting or after in ctx.entity_starting:
        return ""
    suffix, covered = text[after:head.end()], 0
    for word, pos in ctx.patterns.tagged(text[after:head.end() + 2]):
        if covered >= len(suffix):
            break
        if pos[:1] not in ("n", "j", "f", "s"):  # 北部 and 境内 are localizers
            return ""
        covered += len(word)
    if covered != len(suffix):  # the head ends inside a word (北京|人口)
        return ""
    if metric.startswith(suffix):  # 重庆|汽车产业增加值: the words qualify what is measured, not whom
        rest = ctx.patterns.tagged(metric[len(suffix):])
        if rest and rest[0][1][:1] == "n":
            return ""
    return suffix


def subject_text(ctx: DocumentContext, entity: Entity) -> str:
    """The fullest name the document writes for the place or body (唐山市 for a later 唐山, 泰国 for
    泰, the name a `简称` cut short stands for); a name without an identifier as written, a one-character
    abbreviation in full; a country by its common name (中国 for 中华人民共和国, 美国 for 美利坚合众国); a
    foreign person by the full name written anywhere (斯科蒂-皮蓬 for 皮蓬)."""
    full = ctx.full_names.get(entity.kb_id) if entity.kb_id else None
    if full and _COUNTRY_CODE.fullmatch(entity.kb_id) and len(entity.canonical) < len(full):
        return entity.canonical  # (not 中国香港特别行政区 for 香港)
    if full:
        return full
    if entity.label == "PERSON" and entity.text in ctx.full_person_names:  # 皮蓬 after 斯科蒂-皮蓬
        return to_simplified(ctx.full_person_names[entity.text])
    if entity.rule == "alias" and entity.text in entity.canonical:
        # …分公司（简称蓝星石油）…。蓝星石油…: the body so named; an abbreviation of other words (智博会)
        # is the name readers know it by
        return to_simplified(entity.canonical)
    return entity.canonical if len(entity.text) == 1 else to_simplified(entity.text)


def _apposed_person(ctx: DocumentContext, q: Placed, clause_start: int, clause_end: int) -> Placed | None:
    """The person a clause that is nothing but the number follows (邢某某，２２岁，; 陈龙，男，２４岁，): a
    figure in apposition to the name, with the clauses of sex (男, 女) standing between."""
    text = ctx.doc.text
    if text[clause_start:q.start].strip(TRIM) or text[q.end:clause_end].strip(TRIM):
        return None
    end = clause_start - 1
    while end > 0 and text[ctx.clause(end - 1)[0]:end].strip(TRIM) in ctx.patterns.apposed_sexes:
        end = ctx.clause(end - 1)[0] - 1
    person = ctx.entity_ending.get(end)
    return person if person is not None and person.row.label == "PERSON" and text[end:end + 1] in "，," else None


def _aged_person(ctx: DocumentContext, q: Placed, paragraph_start: int) -> Placed | None:
    """The person an age is of when 的 joins it to them (６４岁的刘永斌, 23岁的他: the last person named)."""
    text = ctx.doc.text
    if q.row.unit_text not in ctx.patterns.ages or text[q.end:q.end + 1] != "的":
        return None
    person = ctx.entity_starting.get(q.end + 1)
    if person is not None:
        return person if person.row.label == "PERSON" else None
    # 孙继海…，35岁的继海: a person named earlier, called by the given name
    given = next((e for e in ctx.backwards(ctx.entities, 0, q.start) if e.row.label == "PERSON"
                  and len(e.row.text) == 3 and text.startswith(e.row.text[1:], q.end + 1)), None)
    if given is not None:
        return given
    if not ctx.patterns.third_person.match(text, q.end + 1):
        return None
    return next((e for e in ctx.backwards(ctx.entities, paragraph_start, q.start) if e.row.label == "PERSON"), None)


_QUALIFIED_LABELS = ("GPE", "LOC", "ORG")


def _qualified_by(ctx: DocumentContext, q: Placed) -> Placed | None:
    """The place or body a figure describes when 的 joins the two, maybe with the measure's noun between
    (２５１万人口的湘西, 人口约５６万的泰安市): the figure is that place's."""
    text = ctx.doc.text
    found = ctx.patterns.qualifying_tail.match(text, q.end)
    named = ctx.entity_starting.get(found.end()) if found else None
    if named is None or named.row.label not in _QUALIFIED_LABELS:
        return None
    # the name ends the noun phrase (…的湘西，; …的泰安市位于…), not one qualifying a person or a list (…的英国选手)
    after = ctx.patterns.tagged(text[named.end:named.end + 4])
    ends = not after or after[0][0][:1] in "，,。；;：:！？!?）)”" or after[0][1][:1] in ("v", "p", "d")
    return named if ends else None


def _bracketed_by(ctx: DocumentContext, q: Placed) -> Placed | None:
    """The place or body a figure is bracketed right after (上海(7.5%), 工商银行（３．５％）): its own."""
    text = ctx.doc.text
    if text[q.start - 1:q.start] not in ("(", "（") or text[q.end:q.end + 1] not in (")", "）"):
        return None
    entity = ctx.entity_ending.get(q.start - 1)
    return entity if entity is not None and entity.row.label in ("GPE", "LOC", "ORG", "PERSON") else None


def sums_up_list(ctx: DocumentContext, q: Placed) -> bool:
    """Whether a count directly follows the names it counts (`漳州、桂林两城市`) or the examples
    it sums up (`…常熟等十一个城市`, `腾讯网等四家门户网站`)."""
    if q.row.dimension != "count" or q.row.rule == "form_points":  # 德国和丹麦３分: each side's points
        return False
    if q.row.rule == "form_place_tally":  # 美、欧、英、日四国: the form is read only after such a list
        return True
    text = ctx.doc.text
    if text[q.start - 1:q.start] == "等":  # 腾讯网等四家门户网站: the examples and the rest
        return any(end in ctx.entity_ending for end in range(q.start - 3, q.start))
    closer = ctx.patterns.including.search(text, max(0, q.start - 4), q.start)
    if closer:  # 包括中国、日本在内的8个国家: the names and the rest
        return closer.start() in ctx.entity_ending
    named = ctx.place_ends.get(q.start)
    return named is not None and _JOINER_BEFORE.search(text, max(0, named.start - 4), named.start) is not None


def row_label(ctx: DocumentContext, start: int, end: int) -> str | None:
    """The label opening a paragraph of a list (`铁：…`, `轻工业，总产值…`, `冶金机械和矿山机械：…`):
    a few nouns and nothing else before the first `：` or `，` — whom the paragraph's figures are about."""
    match = _ROW_LABEL.match(ctx.doc.text, start, end)
    if not match or match["label"].endswith(ctx.patterns.stating_words) or match["label"] in ctx.patterns.part_labels:
        return None  # 计划规定，…: what states the figures, not a row; 背景：…: a part of the article
    named = ctx.entity_starting.get(match.start("label"))
    if named is not None and named.row.label == "PERSON" and named.end == match.end("label"):
        return None  # 余丰慧：…: the speaker of an interview turn
    pairs = ctx.patterns.tagged(match["label"])
    nouns = [pos[:1] == "n" or pos in ("j", "vn") for _word, pos in pairs]
    if nouns[0] and nouns[-1] and all(noun or pos == "c" for noun, (_word, pos) in zip(nouns, pairs)):
        return match["label"]
    return None


BREAKDOWN_LABEL_CHARS = 6  # 短道速滑|１人: how long the noun naming a part of a total may be
BREAKDOWN_REACH = 200  # how far before the part its 其中 may stand


def breakdown_label(ctx: DocumentContext, sentence_start: int, clause_start: int) -> str | None:
    """The words naming a part of a total counted (其中主板３８０家，创业板３０６家; 其中游泳２人２队４次…):
    a few nouns or verbs opening the clause, right before its first number, a count, after a 其中 of
    the sentence that follows the total, counted by a word the part's clause counts by too."""
    text = ctx.doc.text
    opener = None
    for opener in ctx.patterns.breakdown.finditer(text, max(sentence_start, clause_start - BREAKDOWN_REACH),
                                                   clause_start + 2):
        pass
    if opener is None:
        return None
    in_clause = ctx.within(ctx.quantities, clause_start, ctx.clause(clause_start)[1])
    # the total: before 其中, in its sentence or the one it opens after (…共计６８６家。其中…)
    total = next(iter(ctx.backwards(ctx.quantities, max(0, opener.start() - BREAKDOWN_REACH), opener.start())), None)
    if not in_clause or in_clause[0].row.dimension != "count" or total is None or not total.row.unit_text \
            or all(q.row.unit_text != total.row.unit_text for q in in_clause):
        # 其中出口６００亿元: a flow names what is measured; 人才1100余人，其中院士团队12个: what is
        # counted, not a part of the total counted by the same word
        return None
    first = in_clause[0]
    label = text[max(clause_start, opener.end()):first.start]
    label = label.strip(TRIM + "\u3000 ")
    if not 1 < len(label) <= BREAKDOWN_LABEL_CHARS or ctx.overlapping(ctx.entities, clause_start, first.start):
        return None
    pairs = ctx.patterns.tagged(label)
    return label if all(pos[:1] in ("n", "v") or pos == "j" for _word, pos in pairs) else None


def link_subject(ctx: DocumentContext, q: Placed, *args, **kwargs) -> tuple[SubjectLink, str | None]:
    """The subject of one claim (see `_link_subject`), a local organ written without its place
    (市委、市政府) standing for the place the document named last."""
    link, group = _link_subject(ctx, q, *args, **kwargs)
    organ = link.placed
    if organ is not None and organ.row.label == "ORG" and link.subject \
            and all(ctx.patterns.local_organ.fullmatch(name) for name in link.subject.split(";")):
        level = ctx.patterns.local_organ.fullmatch(organ.row.text)[1]
        place = local_territory(ctx, level, organ.start)
        if place != level:
            return SubjectLink(place, organ, "subject.local_organ"), group
    return link, group


def _link_subject(ctx: DocumentContext, q: Placed, sentence: tuple[int, int], clause: tuple[int, int],
                 metric: str, metric_rule: str, carried: list[tuple[Placed | None, str]],
                 group_before: str | None, row_label: str | None,
                 forecast: bool, paragraph_start: int, lead: Placed | None = None,
                 territory_before: tuple[str, int] | None = None) -> tuple[SubjectLink, str | None]:
    """The subject of one claim and the population group its clause names (carried to later
    clauses of the sentence). `carried` lists (entity, rule) the discourse offers, nearest first;
    a forecast's speaker is its source, not its subject."""
    text = ctx.doc.text
    (s_start, _s_end), (c_start, c_end) = sentence, clause
    measured = metric if metric_rule in RIGHT_METRIC_RULES else ""
    priority = SCORE_PRIORITY if q.row.rule == "score" else SUBJECT_PRIORITY
    in_clause = [e for e in subject_candidates(ctx, c_start, c_end, not forecast, q.start)
                 if e.row.label in priority and not _measured_thing(e, measured, metric_rule)]
    if in_clause and in_clause[-1].start > q.end:
        # 以123比103大胜江苏队, 不到１小时便以３∶０轻取四川队: the object of a match's verb is the other side
        beaten = ctx.patterns.score_verb.search(text, q.end, c_end)
        if beaten is not None:
            in_clause = [e for e in in_clause if e.start < beaten.start()]
    clause_subject = pick_subject(in_clause, priority)
    bracketed = _bracketed_by(ctx, q)
    if bracketed is not None:  # 广东经济增速高于上海(7.5%)和浙江(8.0%): each name's own figure
        return SubjectLink(subject_text(ctx, bracketed.row), bracketed, "subject.bracketed"), group_before
    apposed = _apposed_person(ctx, q, c_start, c_end)
    if apposed is not None:  # 犯罪嫌疑人陈龙，男，２４岁，…: the person the figure is said of
        return SubjectLink(subject_text(ctx, apposed.row), apposed, "subject.apposition"), group_before
    aged = _aged_person(ctx, q, paragraph_start)
    if aged is not None:  # ６４岁的刘永斌大爷是…: the person whose age it is
        return SubjectLink(coordinated(ctx, aged), aged, "subject.age_of"), group_before
    qualified = _qualified_by(ctx, q)
    if qualified is not None:  # ２５１万人口的湘西: the place the figure describes
        return SubjectLink(coordinated(ctx, qualified, metric), qualified, "subject.qualified"), group_before
    if sums_up_list(ctx, q):  # 漳州、桂林两城市: the count is of the places named
        return SubjectLink(row_label, None, "subject.row_label" if row_label else "subject.summed_list"), group_before
    item = listed_holder(ctx, q, c_start)
    if item is not None and item is not clause_subject:  # 段江鹏22分、杨敬敏19分: each item's own name
        return SubjectLink(coordinated(ctx, item, metric), item, "subject.clause"), group_before
    if clause_subject is not None:
        return SubjectLink(coordinated(ctx, clause_subject, metric), clause_subject, "subject.clause"), group_before
    part = None if ctx.info.speaks_for else breakdown_label(ctx, s_start, c_start)
    if part:  # 其中主板３８０家，创业板３０６家: the part the clause counts
        return SubjectLink(part, None, "subject.breakdown"), group_before
    referred = aforementioned(ctx, s_start, c_start, q.start, paragraph_start)
    if referred:
        return SubjectLink(*referred, "subject.aforementioned"), group_before
    if ctx.patterns.third_person.search(text, c_start, q.start):  # …的他贡献11分: the last person named
        person = next((e for e in ctx.backwards(ctx.entities, paragraph_start, c_start) if e.row.label == "PERSON"), None)
        if person is not None:
            return SubjectLink(subject_text(ctx, person.row), person, "subject.pronoun"), group_before
    # …，全社会固定资产投资增长14·1％: a clause naming the territory is not about the sentence's topic group
    group = ctx.patterns.groups.search(text, c_start, q.start) \
        or (None if q.row.dimension == "count" or ctx.territory(c_start, q.start) else _topic_group(ctx, s_start, c_start))
    if group and _after_verb(ctx, max(c_start, ctx.clause(group.start())[0]), group.start()):
        group = None  # 安置职工８５００多人, 扶持贫困职工家庭３５５７户: the group is what is counted
    if group:  # 城镇居民人均可支配收入…: the group the clause names, not a place carried from before
        return SubjectLink(group[0], None, "subject.group"), group[0]
    part = _territory_part(ctx, c_start, q)
    if part:  # 城镇新建住宅２．７亿平方米，农村新建房屋…: the part of the country the clause opens with
        return SubjectLink(part, None, "subject.group"), group_before
    territory = ctx.territory(c_start, q.start)
    # 全国仅１１个城市: the nation, not the place carried from before (全市 is that place)
    national = territory and territory[0] in ctx.patterns.national and text[territory.start() - 1:territory.start()] != "比"
    if territory and not national and territory[0] not in ctx.patterns.national:
        place = local_territory(ctx, territory[0], q.start)
        # 全省实现社会消费品零售总额…: the province named, not a bank carried from before; 全球电子纸产值: the world
        if place != territory[0] or place in ctx.patterns.world:
            return SubjectLink(place, None, "subject.territory"), group_before
    if not national:
        if ctx.info.speaks_for:  # a national review: a name from another sentence is an example or an actor
            carried = [c for c in carried if c[1] != "subject.paragraph"]
        if carried[0][0] is None and group_before:  # …农民年人均纯收入达到7161元，比上年增长14.9%: the group goes on
            return SubjectLink(group_before, None, "subject.group"), group_before
        if carried[0][0] is None:  # no earlier claim of the sentence has one: an entity before the number
            before = subject_candidates(ctx, max(s_start, q.start - SUBJECT_REACH), q.start, not forecast, q.start)
            # the nearest name opening a clause before the number (…报告显示，平安产险业务…，保费收入…)
            opening = [e for e in before if in_subject_position(ctx, e)]
            # 我国跨地区转移医保关系仅５０万人次，转移…仅为２．２亿; 台湾“光电协进”日前表示，2011年全球电子纸产值
            # 达到13亿美元…，成长幅度达68%: the territory an earlier figure was about, unless a name opens a clause after it
            if territory_before and all(e.start < territory_before[1] for e in opening):
                return SubjectLink(territory_before[0], None, "subject.territory"), group_before
            before_subject = (max(opening, key=lambda e: e.start) if opening else None) \
                or (None if ctx.info.speaks_for else pick_subject([e for e in before if not _in_frame(ctx, e, c_start)]))
            carried = [(before_subject, "subject.sentence")] + carried[1:]
        entity, rule = next((c for c in carried if c[0] is not None
                             and not (forecast and _speaks(ctx, c[0])) and not is_source(ctx, c[0], q.start)),
                            (None, ""))
        if entity is not None and (rule == "subject.sentence" or not group_before):
            return SubjectLink(coordinated(ctx, entity, metric), entity, rule), group_before
        if group_before:  # …收入７７５０元，实际增长７％: the group of an earlier clause, before the paragraph's
            return SubjectLink(group_before, None, "subject.group"), group_before
    # 我国劳动年龄人口…。其中…届时将从９．９８亿的峰值开始逐年下滑: the territory the paragraph named
    territory = territory or ctx.first_territory(paragraph_start, q.start)
    sector = ctx.patterns.sector.match(text, territory.end()) \
        if territory and territory[0] in ctx.patterns.national and not ctx.info.speaks_for else None
    if sector:  # news: 去年我国航空工业…，总产值比上年增长１２·８％: the nation's industry the paragraph is about
        return SubjectLink(sector[0], None, "subject.sector"), sector[0]
    if territory:
        word = territory[0]
        place = national_country(ctx, word, paragraph_start, territory.start()) if word in ctx.patterns.national \
            else local_territory(ctx, word, q.start)
        return SubjectLink(place, None, "subject.territory"), group_before
    if group_before:  # …收入增加９１０元，达到１８２６元: the group of an earlier clause of the sentence
        return SubjectLink(group_before, None, "subject.group"), group_before
    if row_label:
        return SubjectLink(row_label, None, "subject.row_label"), group_before
    if ctx.info.speaks_for:
        return SubjectLink(ctx.info.speaks_for, None, "subject.document"), group_before
    if lead is not None:  # 北京市在过去的一年里…。…实际利用外资２５亿元: whom the article is about
        return SubjectLink(coordinated(ctx, lead), lead, "subject.lead"), group_before
    holder = clause_holder(ctx, c_start, q.start)
    if holder:  # 中国运动员有２９人…, 货币基金的年化收益率在4-5%
        return SubjectLink(holder, None, "subject.holder"), holder
    return SubjectLink(None, None, "subject.none"), group_before


_HOLDER_POS = ("n", "vn")  # nouns (n, nr, ns, nt, nz), nominal verbs (养老保险); not j (jieba tags 一共 so)


def clause_holder(ctx: DocumentContext, clause_start: int, end: int) -> str | None:
    """The noun phrase opening the clause (after its times) when 的 or 有 follows it: what the
    measured thing belongs to; None when another word comes first."""
    text = ctx.doc.text
    start = clause_start
    for t in ctx.within(ctx.times, clause_start, end):
        if text[start:t.start].strip(TRIM):
            break
        start = t.end
    phrase = ""
    for word, pos in ctx.patterns.tagged(text[start:end].strip(TRIM)):
        if word in ctx.patterns.holder_links:
            return phrase if len(phrase) >= 2 else None
        if pos == "t" and not phrase:  # 目前养老保险的…: a time word before it
            continue
        if not pos.startswith(_HOLDER_POS):
            return None
        phrase += word
    return None


def listed_holder(ctx: DocumentContext, q: Placed, clause_start: int) -> Placed | None:
    """In a list of names each followed by its figures (段江鹏22分、杨敬敏19分、吕晓明14分、8次助攻), the
    name heading the item the number belongs to: the last one before it, in its clause, that
    opens an item (after a `、` or the clause's start) and a number follows directly."""
    text = ctx.doc.text
    if "、" not in text[clause_start:q.start]:
        return None
    for e in ctx.backwards(ctx.entities, clause_start, q.start):
        if e.row.label not in SCORE_PRIORITY:
            continue
        opens_item = e.start == clause_start or text[:e.start].rstrip(" \u3000").endswith("、")
        if opens_item and _NUMBER_AFTER.match(text, e.end):
            return e
        if not opens_item:
            return None
    return None


def _topic_group(ctx: DocumentContext, sentence_start: int, clause_start: int):
    """The population group named by the clause without numbers that opens the number's part of
    the sentence (…；城镇居民人均生活费收入，１９８２年为４９４．５元，１９８７年提高到…): the
    group that part's figures are about; a count's is what it counts (外国游客有增无减，预计超过８０万人),
    and a clause opening with a preposition or conjunction only frames them (由于多数职工…提高，)."""
    text = ctx.doc.text
    part_start = max(sentence_start, text.rfind("；", sentence_start, clause_start) + 1)
    found, first = None, True
    while part_start < clause_start:
        topic_end = ctx.clause(part_start)[1]
        if topic_end >= clause_start or ctx.overlapping(ctx.quantities, part_start, topic_end):
            return found
        opening = ctx.patterns.tagged(text[part_start:part_start + 4].strip(TRIM))
        if opening and opening[0][1][:1] not in ("p", "c"):
            group = ctx.patterns.groups.search(text, part_start, topic_end)
            # a later clause's group is the topic only when it opens that clause (…，银行业风险抵御能力…增强，资本充足率…)
            if group and (first or not text[part_start:group.start()].strip(TRIM + "\u3000 ")):
                found = group
        part_start, first = topic_end + 1, False
    return found


def _territory_part(ctx: DocumentContext, clause_start: int, q: Placed) -> str | None:
    """The part of the country (城镇, 农村) opening the number's clause before any verb and followed
    by a verb or 人均 (城镇新建住宅…; not 城镇新增就业, one word, nor 城镇登记失业率, a rate, nor 全国城镇…:
    the nation's figures); of a list of parts (城镇和农村人均住房面积32.9平方米、37.1平方米), the one in the
    number's place among the clause's figures."""
    text = ctx.doc.text
    found = ctx.patterns.territory_parts.search(text, clause_start, q.start)
    if found is None or ctx.patterns.national_rates.search(text, found.end(), q.start):
        return None
    opening = text[clause_start:found.start()]
    for t in ctx.within(ctx.times, clause_start, found.start()):  # 全年城镇…, 2012年底，城镇和农村…
        opening = opening.replace(text[t.start:t.end], "")
    if opening.strip(TRIM + "\u3000 ") not in ("", *ctx.patterns.territory_objects):  # 在城镇安排…; not 试点城市, 全国城镇
        return None
    width, length, following = found.end() - found.start(), 0, None
    for word, pos in ctx.patterns.tagged(text[found.start():q.start]):  # the parts are whole words (城镇新增就业 is one)
        if length >= width:
            following = (word, pos) if length == width else None
            break
        length += len(word)
    if following is None or not (following[1] == "v" or following[0] in ctx.patterns.territory_part_followers):
        return None
    parts = [p for p in LIST_JOINERS.split(found[0]) if p]
    if len(parts) == 1:
        return parts[0]
    figures = [f.start for f in ctx.within(ctx.quantities, clause_start, ctx.clause(q.start)[1])]
    return parts[figures.index(q.start)] if len(figures) == len(parts) and q.start in figures else None


def _measured_thing(entity: Placed, measured: str, metric_rule: str) -> bool:
    """Whether the entity is part of what is measured (3400平方米的两江多功能厅, 设立11个自贸试验区), not
    whom it is about; a one-character place inside it is (11家来渝落户), as is the place that
    qualifies what is counted (６０００万泰国人民)."""
    name = entity.row.text
    if not measured or len(name) < 2 or name not in measured:
        return False
    return not (metric_rule == "metric.counted_noun" and entity.row.label == "GPE"
                and measured.startswith(name) and len(measured) > len(name))


def _after_verb(ctx: DocumentContext, start: int, end: int) -> bool:
    """Whether a verb stands in text[start:end] (after times, which are no verbs): what follows is its object."""
    words = ctx.doc.text[start:end]
    for t in ctx.within(ctx.times, start, end):
        words = words.replace(ctx.doc.text[t.start:t.end], "")
    return any(pos == "v" for _word, pos in ctx.patterns.tagged(words.strip(TRIM))) if words.strip(TRIM) else False


def national_country(ctx: DocumentContext, word: str, paragraph_start: int, at: int) -> str:
    """The country 全国 stands for: in the news, a foreign country the paragraph named before it
    (哥斯达黎加…。…全国建立了３５个国家公园); else, and always for 我国, the writer's own."""
    if word not in ctx.patterns.own_country and not ctx.info.speaks_for:
        foreign = next((e for e in ctx.backwards(ctx.entities, paragraph_start, at)
                        if e.row.label == "GPE" and _COUNTRY_CODE.fullmatch(e.row.kb_id or "")
                        and e.row.kb_id != ctx.patterns.country_code), None)
        if foreign is not None:
            return subject_text(ctx, foreign.row)
    return ctx.patterns.country


def local_territory(ctx: DocumentContext, word: str, at: int) -> str:
    """The place 全市, 全区 or 全省 stands for: the last city, district or province the document
    named before it (台州路桥区…全区民办学校达２２０多家; 武汉, a city by its division code, for
    全市), else the word itself."""
    level = word[-1]
    division = _LEVEL_OF.get(level)
    for named in ctx.backwards(ctx.entities, max(0, at - LOCAL_TERRITORY_REACH), at):
        if named.row.label == "GPE" and (subject_text(ctx, named.row).endswith(level)
                                         or (division and _division_level(named.row.kb_id) == division)):
            return subject_text(ctx, named.row)
    return word


_LEVEL_OF = {"省": "province", "市": "city", "县": "county", "区": "county"}


def _division_level(kb_id: str | None) -> str | None:
    """The level of a Chinese administrative division from its six-digit code (GB/T 2260, the
    kb_id of rules/gazetteers/cn_divisions.tsv): 420000 a province, 420100 a city, 420102 a county or district."""
    if not kb_id or len(kb_id) != 6 or not kb_id.isdigit():
        return None
    return "province" if kb_id.endswith("0000") else "city" if kb_id.endswith("00") else "county"


def aforementioned(ctx: DocumentContext, sentence_start: int, clause_start: int, at: int,
                   paragraph_start: int) -> tuple[str, Placed] | None:
    """What `上述四港`, `这几只产品` or `该行` in the number's clause, or opening an earlier clause of
    its sentence (但上述几大行并未…，给出的利率均为…), refers back to: the last list of
    names (the last organisation or place, for 该行 or 该市) before it, within its paragraph and
    the one before; a name between the word and the number is the subject instead, and one who
    speaks (该专家认为) is no subject."""
    text = ctx.doc.text
    word = None
    for word in ctx.patterns.aforementioned.finditer(text, max(sentence_start, at - AFOREMENTIONED_REACH), at):
        pass
    if word is not None and (word.start() < clause_start or word["bare"]) and not _opens_clause(ctx, word.start()):
        return None  # …，公司去年…: a bare 公司 refers back only opening its clause
    if word is None or any(ctx.overlapping(ctx.times, word.start(), word.end())) \
            or next(iter(ctx.within(ctx.entities, word.end(), at)), None) is not None \
            or ctx.patterns.speech.search(text, word.end(), min(at, word.end() + SPEECH_REACH)):
        return None  # 这几年: a time; 上述银行中，工行…: the name after it
    labels = ("GPE", "LOC") if word["place"] else ("ORG",) if word["org"] or word["bare"] else tuple(SUBJECT_PRIORITY)
    reach = max(0, min(paragraph_start, word.start()) - SUBJECT_REACH)
    named = [e for e in subject_candidates(ctx, reach, word.start(), speakers=False)
             if e.row.label in labels and e.row.label != "PERSON"]
    for entity in reversed(named):
        names = coordinated(ctx, entity)
        if ";" in names or not word["plural"]:
            return names, entity
    return None


def _opens_clause(ctx: DocumentContext, at: int) -> bool:
    """Whether only openers (但, 而, 其中…) stand between the start of its clause and `at`."""
    return _only_openers(ctx, ctx.doc.text[ctx.clause(at)[0]:at].strip(TRIM))


def _only_openers(ctx: DocumentContext, words: str) -> bool:
    """Whether `words` are clause openers (但, 而, 其中…) and nothing else."""
    while words:
        head = ctx.patterns.opener_head.match(words)
        if not head:
            return False
        words = words[head.end():].strip(TRIM)
    return True


def score_opponent(ctx: DocumentContext, q: Placed, side_one: Placed | None, paragraph_start: int) -> SubjectLink:
    """Whom the second side of a match score counts for: the name after the score's verb
    (4-0战胜新加坡名将冯天薇), else the last other name of the side-one subject's kind in the
    paragraph (赵岩以11-7…将比分反超为3-1 after 野中佑希 was named): 对手 refers back to them."""
    if side_one is None:
        return SubjectLink(None, None, "subject.none")
    _start, clause_end = ctx.clause(q.start)
    verb = ctx.patterns.score_verb.match(ctx.doc.text, q.end, clause_end)
    if verb:
        named = next(iter(ctx.within(ctx.entities, verb.end(), min(clause_end, verb.end() + SCORE_OBJECT_REACH))), None)
        if named is not None:
            named = qualified_person(ctx, named) or named
        if named is not None and named.row.label in SUBJECT_PRIORITY:  # (…不敌浙江稠州银行女篮: the team)
            return SubjectLink(coordinated(ctx, named), named, "subject.score_opponent")
    own = subject_text(ctx, side_one.row)
    earlier = [e for e in ctx.backwards(ctx.entities, paragraph_start, q.start) if subject_text(ctx, e.row) != own
               and not ctx.patterns.time_zone.match(ctx.doc.text, e.end)]  # (北京时间: a clock)
    # the last name of side one's kind, else, for a team, the last team however named (山西兴瑞烈焰女篮 …
    # 浙江稠州银行女篮: a place's team against a club's)
    named = next((e for e in earlier if e.row.label == side_one.row.label), None) or next(
        (e for e in earlier if side_one.row.label != "PERSON" and e.row.label in _QUALIFIED_LABELS
         and holder_suffix(ctx, e)), None)
    if named is not None:
        return SubjectLink(coordinated(ctx, named), named, "subject.score_opponent")
    return SubjectLink(None, None, "subject.none")
