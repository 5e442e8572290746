"""Named entities and aliases from gazetteers, suffix/context rules, and jieba POS as one signal.

jieba's POS tags alone are noisy (智慧, 齐全, 嘉陵江 and 莫斯科 are `nr` in its dictionary), so a
tag only proposes a candidate that data must confirm: place names come from CLDR and GB/T 2260
gazetteers (rules/gazetteers, built by scripts/build_gazetteers.py), names of organisations,
places, facilities and events from suffix rules over jieba tokens (rules/entities.yaml), known
organisations and abbreviations from spaCy-format phrase patterns (rules/entity_patterns.jsonl),
persons from a surname table and credits. Candidates are resolved longest-first; alias definitions
(`X（以下简称“Y”）`) then retag every mention of Y with X's canonical name.

Everything runs on one pass of an Aho-Corasick automaton (names and titles, over the UTF-8 bytes)
plus a few precompiled regexes over the whole text; each rule then visits only its candidate tokens,
picked with numpy from class bits of their characters, so tagging costs a fraction of segmentation.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress, count
from pathlib import Path

import ahocorasick
import numpy
import regex

from pipeline.rulefiles import read_rules
from pipeline.prepared import PreparedDoc, word_columns
from pipeline.script import to_simplified
from pipeline.records import Alias, Entity
from pipeline.segment import load_user_dict

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT")
GAZETTEERS = ("countries", "cn_divisions", "world_cities")  # earlier wins for a name in several

NAME_POS = frozenset({"ns", "nt", "nz", "nr", "nrt", "nrfg", "j", "eng", "GAZ"})
# tokens that may sit inside a name between its first name-like token and its suffix
INNER_POS = NAME_POS | {"n", "vn", "an", "b", "ng", "l", "m", "f", "s"}
ORDINAL = regex.compile(r"第?[一二三四五六七八九十百\d]+(?:届|次)?|第[一二三四五六七八九十百\d]+|首届")
# single-character tokens jieba leaves when it splits an unknown name (礼/嘉 in 礼嘉智慧馆)
SPLIT_NAME_POS = frozenset({"n", "ng", "nr", "j", "ns", "nz", "a", "ag", "vg", "tg"})
CODE_HEAD_POS = frozenset({"n", "nz", "nr", "eng", "j"})
# a standalone one-character suffix token must be a noun (所 部 局 as particles or measure words are not)
SUFFIX_TOKEN_POS = frozenset({"n", "ng", "nt", "j", "nr", "nz"})
VERB_LEFT_POS = frozenset({"n", "vn", "b", "an", "ns", "nr", "nz"})  # 克林|清洗工程有限公司: a brand before the verb
QUOTING_SUFFIX = "报"  # a newspaper's suffix, also the verb quoting a price or an index
NUMBER_START = regex.compile(r"[\d０-９]")
HEAD_TITLES = ("部长", "局长", "厅长", "署长", "院长", "委员长", "社长", "团长", "队长")  # 内政部长 names 内政部
# titles jieba glues after an organisation's name: 市委书记, 政协主席 name 市委, 政协
ORG_TITLES = ("副书记", "书记", "副主席", "主席", "副主任", "主任", "常委", "总裁", "副总裁", "董事长", "总经理")
TITLES = HEAD_TITLES + ORG_TITLES
TITLE_LAST_CHARS = frozenset(x[-1] for x in TITLES)
DIRECTIONS = regex.compile(r"[东南西北中内外上下前后全]+")
PLACE_CHARS = "省市县区州村镇乡旗盟岛港湾湖江河山峰"
DIVISION_END = regex.compile(r"[省市县区州旗盟]$")
DIVISION_SUFFIXES = ("新区", *"省市县区州旗盟")  # a division's short form + one of these is its full name
NUMERALS = "一二两三四五六七八九十百千万几多数各"  # 八省 两江 各县: several places, not one
PEOPLE_COUNT = regex.compile(f"[{NUMERALS}]+[人名位]")  # 主任五人 记者二人: people counted, whatever the surname lists say
# what a made-up word's tail must not be for it to be a name (高素质: 素质 is a noun)
COMMON_POS = frozenset({"n", "v", "a", "vn", "d", "ad", "an", "m", "q", "r", "f"})
IDIOM_POS = frozenset({"i", "l"})  # jieba's idioms and set phrases (统揽全局 长治久安)
CONTEXT_GUESSES = frozenset({"place_context"})  # labels read off the context alone: a document vote overrules them
NAME_BREAK_POS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "x", "v", "m"})
FUNCTION_POS = frozenset({"p", "c", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "x", "r", "d", "m", "q", "f", "t"})
# words that may follow a famous name inside one jieba token: 邓小平理论 马克思主义
NAME_COMPOUND_TAILS = ("理论", "思想", "主义", "同志", "文选", "选集", "故居", "著作", "年谱", "生平", "诞辰", "逝世")
JOINERS = frozenset("—–-·・")
DOTS = ("·", "•", "・", "-", "－")  # 勒布朗-詹姆斯: sports pages join a foreign name with a hyphen
PERSON_POS = frozenset({"nr", "nrfg", "nrt"})
TRANSLIT_BEFORE_POS = PERSON_POS | {"ns", "j"}  # 伊/拉拉 恩/斯塔德: one character of the name before it
COUNTY_COMMON_POS = frozenset({"n"})  # 石楼: a county short form jieba knows as a common word
BRAND_BEFORE_POS = frozenset({"nz"})  # a name right after one of these continues it (恒泰/艾普拟)
MAX_NAME_UNITS = 10
SETTLEMENT_FAMILY = "settlement"  # rules/entities.yaml: towns and villages (胡拉镇), whose names are short
SETTLEMENT_MAX_NAME = 4
STOCK_NAME_CHARS = regex.compile(r"\p{Han}{4}")  # a listed company's short name: four Han characters
STOCK_NAME_OPENER = regex.compile(r"[，,。；;：:、“\s（(]")  # what a short name opening a clause follows
STOCK_NAME_POS = NAME_POS | {"n", "a", "ng", "b", "an"}  # 北/ns 新/a 建材/n, not 切实/ad 保证/v
COMPANY_FAMILY = "company"  # rules/entities.yaml: a company's legal form (有限公司), after adjectives too
COMPANY_INNER_POS = INNER_POS | {"a"}  # 浩兴/a 科贸 有限公司: a brand jieba reads as an adjective
SITE_FAMILY = "site"  # rules/entities.yaml: websites and internet companies (新浪网), one jieba name word
SETTLEMENT_SUFFIX_POS = frozenset({"zg"})  # 回龙|村: jieba's tag for a village suffix it cut off
TRANSLIT_MIN = 20  # a character of 20+ transliterated names in jieba (nrt) transliterates
TITLE_SURNAME_LOGP = -10.4  # jieba's HMM: P(char begins a person's name) >= 3e-5
# surnames.tsv `training_names` below this: an uncommon surname (多 向 许 but not 李 黄). Weak cues
# after such a name no longer confirming it removed 18 false names from PD dev + MSRA for 1 true one.
UNCOMMON_SURNAME_NAMES = 20
GIVEN_MIN = 50.0  # a given-name character: 50+ per million characters of real given names (ngender)
GLUED_POS = frozenset({"p", "c", "d"})  # 在 都 及: a particle jieba cut off after a name, not its last character
CUE_NAME_POS = PERSON_POS | {"nz", "i", "x", "l"}  # what jieba calls a name it knows after a title
MAX_NAME_CHARS = 26

CJK = regex.compile(r"\p{Han}+")
YEAR = regex.compile(r"\d{4}")
ENUM_ITEM = regex.compile(r"[\p{Han}A-Za-z0-9]+")
LATIN_OR_DIGIT = regex.compile(r"[A-Za-z0-9]+")
QUOTED = regex.compile(r"“([^“”\n]{1,40})”")
CLAUSE_OPENERS = ("", "，", ",", "。", "；", ";", "：", ":", "！", "？", "\n", "▲")  # the character before a clause
CLAUSE_END = regex.compile(r"[，,。；;：:！？\n]")
QUOTES_AND_SPACES = regex.compile(r'[“”" ]*')
ENUMERATION_TAIL = regex.compile(r"等(?:[^，。；\n]{0,10}?)(?:企业|公司|平台|集团|机构|银行|品牌|车企|厂商|单位|强队|球队)")
FOREIGN_NAME = r"(?<![\p{{Han}}])[{chars}]{{1,8}}(?:[·•・\-－][{chars}]{{1,8}})+"
FOREIGN_HEAD = 8  # a foreign name's first dot is at most this many characters after its start
DOT_RE = regex.compile("[·•・\\-－]")
BRAND_LINES = ("智能云", "云", "汽车", "集团", "科技", "手机")
ONE_CHAR_RUN_POS = frozenset({"ns", "j", "nz", "nt"})
JIEBA_NAME_POS = frozenset({"nt", "ns"})  # the tags _token_mentions reads
# a word jieba knows with these tags is not taken as a name for the title after it: a common word
# (全体同志) or a name the other person rules already judge (江泽民 nr)
NOT_NAME_BEFORE_TITLE_POS = COMMON_POS | PERSON_POS

FAMILY_KEYS = {"label", "suffixes", "examples", "negative"}
TOP_KEYS = {
    "suffix_families", "quoted", "product_codes", "credits", "person_context", "aliases", "one_char", "place_heads",
    "generic_places", "name_breakers", "stop", "sub_units", "org_prefixes", "stock_names",
}
SECTION_KEYS = {
    "quoted": {"max_len", "product_before", "product_after", "product_clause", "examples", "negative"},
    "product_codes": {"code", "product_after", "examples", "negative"},
    "credits": {"patterns", "examples", "negative"},
    "person_context": {
        "before", "after", "weak_after", "titles_after", "not_after", "place_before", "place_before_names", "place_after", "anonymised", "honorifics", "name_tails",
        "not_name_last", "nickname_prefixes", "trade_after", "thing_before", "nationality_roles", "role_name_stops", "examples", "negative",
    },
    "aliases": {"pattern", "examples", "negative"},
    "one_char": {"before", "after", "countries", "provinces", "rivers", "run_after", "compounds", "examples", "negative"},
    "place_heads": {"words", "examples", "negative"},
    "generic_places": {"words", "tails", "examples", "negative"},
    "name_breakers": {"words", "examples", "negative"},
    "sub_units": {"suffixes", "max_len", "examples", "negative"},
    "org_prefixes": {"words", "skip_max", "examples", "negative"},
    "stock_names": {"cues", "examples", "negative"},
    "stop": {"words", "examples", "negative"},
}
PATTERN_KEYS = {"id", "label", "pattern", "canonical", "kb_id"}
# classes of a token's first and last characters (Rules.char_classes, Tokens.first/last) ...
C_COUNTRY, C_ONE_BEFORE, C_ONE_CHAR, C_SURNAME, C_SUFFIX_END = 1, 2, 4, 8, 16
# ... and of its second (Tokens.second, the table's bits shifted down by SECOND_SHIFT): the first two
# line up with the first-character classes they pair with
S_AFTER_COUNTRY, S_AFTER_ONE_BEFORE, S_HONORIFIC = 1, 2, 4
SECOND_SHIFT = 5


@dataclass(frozen=True)
class Mention:
    """An entity in `text` coordinates, before raw offsets and ids are attached."""

    start: int
    end: int
    label: str
    canonical: str
    kb_id: str | None
    rule: str
    tier: int = 0  # a higher tier wins an overlap whatever the lengths


@dataclass(frozen=True)
class AliasMention:
    alias: str
    canonical: str
    label: str
    start: int  # the defining phrase, in `text` coordinates
    end: int


@dataclass(frozen=True)
class Rules:
    names: dict[str, tuple]  # gazetteer or phrase-pattern name -> (length, label, canonical, kb_id, rule)
    scanner: ahocorasick.Automaton  # names and person titles, over UTF-8 bytes (see _scan)
    phrase_patterns: tuple[dict, ...]
    suffixes: dict[str, tuple[str, str]]  # suffix -> (family, label)
    suffix_lengths: dict[str, tuple[int, ...]]  # last character -> lengths of suffixes ending in it, longest first
    stop: frozenset[str]
    place_heads: tuple[str, ...]
    generic_places: tuple[str, ...]
    place_tails: tuple[str, ...]  # 地区 流域: after a place inside a jieba word, not part of its name
    name_breakers: frozenset[str]
    sub_units: tuple[str, ...]  # 科 处 艺术团: an organisation's department after its name
    sub_unit_max: int
    org_prefixes: frozenset[str]  # 市 县: the level of a government body before its name (市|财政局)
    org_prefix_skip: int  # common words at most between the level and the body (市|市场|监管局)
    stock_cues: tuple[str, ...]  # market words after a listed company's short name (公告 复牌)
    surnames: frozenset[str]
    title_surnames: frozenset[str]  # rarer surnames too: a name only after a title (主任臧海传)
    given_chars: frozenset[str]  # characters common in given names (rules/gazetteers/given_chars.tsv)
    lexicon: dict[str, str]  # jieba dictionary word -> POS
    common: frozenset[str]
    frequent: frozenset[str]  # the most frequent common words: no given name
    place_names: frozenset[str]
    county_short: frozenset[str]  # short forms of counties and districts (新建 for 新建区)
    foreign_re: regex.Pattern
    foreign_run_re: regex.Pattern  # a run of the characters a foreign name is made of
    translit_re: regex.Pattern
    credit_res: tuple[regex.Pattern, ...]
    role_name_re: regex.Pattern  # after a country: a role word and the name it introduces (日本选手野中佑希)
    person_before: tuple[str, ...]
    person_after: tuple[str, ...]
    person_weak_after: tuple[str, ...]  # cues too common to confirm a word jieba knows (许可/和)
    uncommon_surnames: frozenset[str]  # 多 向 许: a weak cue does not confirm a name with one (许可/和)
    titles_after_re: regex.Pattern  # a title right after a surname-initial word makes it a name (周恩来总理)
    titles_in_re: regex.Pattern  # a title before a name (person_context.before) anywhere in a word (司令官)
    person_not_after: tuple[str, ...]
    place_before: frozenset[str]
    place_before_words: tuple[str, ...]
    place_before_names: frozenset[str]  # 首都 城市: before a transliterated name only (not 城市|新建)
    place_after: tuple[str, ...]  # 国家 军队: what follows a place, not a person (阿拉伯国家, 南斯拉夫军队)
    anonymised: frozenset[str]  # 某某 某: a surname before them is a person whose given name is withheld
    honorifics: frozenset[str]
    name_tails: frozenset[str]
    not_name_last: frozenset[str]
    nickname_prefixes: frozenset[str]  # 小 老 大: before a common word a noun phrase (小老虎 老一套), not a name
    thing_before: frozenset[str]  # 一座 这座: a measure word for a thing, so what follows is no person (一座/铁索桥)
    trade_after: tuple[str, ...]  # 科技 汽车: a surname-initial word before one is a company's name (博彦科技)
    alias_re: regex.Pattern
    quoted_max: int
    product_before: tuple[str, ...]
    product_after: tuple[str, ...]
    product_clause: tuple[str, ...]
    code_re: regex.Pattern
    code_after: tuple[str, ...]
    one_before: frozenset[str]
    one_after: tuple[str, ...]
    one_countries: dict[str, tuple[str, str]]  # char -> (country name, ISO code)
    one_provinces: dict[str, tuple[str, str | None]]  # char -> (canonical, GB/T 2260 code)
    one_rivers: dict[str, str]  # char -> river (黄 -> 黄河), in runs only (黄淮)
    run_re: regex.Pattern  # 2-3 characters each a one-character place (青藏 港澳 京津冀)
    run_after: tuple[str, ...]  # what may follow such a run inside its word (青藏|高原)
    compound_re: regex.Pattern | None  # words holding a one-character place (京剧 华侨 中华民族)
    compounds: dict[str, tuple[tuple[int, int, str, str | None, str], ...]]  # word -> (offset, length, canonical, code, label)
    surname_max: int  # characters in the longest surname
    char_classes: numpy.ndarray  # code point -> bit set of the C_* classes


class RuleError(ValueError):
    """A rule file is malformed: unknown keys, duplicates or dangling references."""


def _check_keys(where: str, data: dict, allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def load_patterns(path: Path = RULES_DIR / "entity_patterns.jsonl") -> list[dict]:
    """Phrase patterns in spaCy SpanRuler format (plus `canonical`/`kb_id`), validated."""
    patterns = []
    seen = set()
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            p = json.loads(line)
            _check_keys(f"{path.name}:{n}", p, PATTERN_KEYS)
            if not {"id", "label", "pattern"} <= set(p):
                raise RuleError(f"{path.name}:{n}: needs id, label and pattern")
            if p["label"] not in LABELS or not isinstance(p["pattern"], str):
                raise RuleError(f"{path.name}:{n}: bad label or non-phrase pattern")
            if p["pattern"] in seen:
                raise RuleError(f"{path.name}:{n}: duplicate pattern {p['pattern']}")
            seen.add(p["pattern"])
            patterns.append(p)
    return patterns


def load_rule_file(path: Path = RULES_DIR / "entities.yaml") -> dict:
    """rules/entities.yaml, validated: unknown keys, bad labels, duplicate suffixes fail loudly."""
    data = read_rules(path)
    _check_keys(path.name, data, TOP_KEYS)
    missing = TOP_KEYS - set(data)
    if missing:
        raise RuleError(f"{path.name}: missing sections {sorted(missing)}")
    for name, fam in data["suffix_families"].items():
        _check_keys(f"suffix_families.{name}", fam, FAMILY_KEYS)
        if fam["label"] not in LABELS:
            raise RuleError(f"suffix_families.{name}: unknown label {fam['label']}")
        if len(set(fam["suffixes"])) != len(fam["suffixes"]):
            raise RuleError(f"suffix_families.{name}: duplicate suffixes")
    for section, keys in SECTION_KEYS.items():
        _check_keys(section, data[section], keys)
    person = data["person_context"]
    if not set(person["weak_after"]) <= set(person["after"]):
        raise RuleError("person_context.weak_after: every weak cue must be one of `after`")
    for key in ("countries", "provinces"):
        if not isinstance(data["one_char"][key], dict):
            raise RuleError(f"one_char.{key} must map a character to a name")
    return data


def _lexicon() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """jieba's dictionary, as rules/userdict.txt amends it: word -> POS (which words jieba knows, and
    what it calls them), its common words (frequency 100+, not a name), which no person's name
    begins with, and its most frequent (10,000+: 时间 先生 but not 建国), which no given name is."""
    # every line is `word freq pos`: split once into one flat list of fields, not line by line
    fields = _jieba_file("dict.txt").read_text(encoding="utf-8").rstrip("\n").replace("\n", " ").split(" ")
    if len(fields) % 3:
        raise ValueError("jieba's dict.txt: expected lines of 'word freq pos'")
    entries = dict(zip(fields[0::3], zip(map(int, fields[1::3]), fields[2::3])))
    for word, freq, pos in load_user_dict():
        old_freq, old_pos = entries.get(word, (0, "x"))
        entries[word] = (old_freq if freq is None else freq, pos or old_pos)
    common = {w for w, (freq, pos) in entries.items() if freq >= 100 and not pos.startswith("nr")}
    frequent = {w for w in common if entries[w][0] >= 10_000}
    return {w: pos for w, (_, pos) in entries.items()}, frozenset(common), frozenset(frequent)


def _jieba_file(*parts: str) -> Path:
    """A data file of the jieba package, found without importing it: importing jieba loads
    pkg_resources, and jieba.posseg builds its tagger from the whole dictionary (0.3 s of start-up,
    for the rjieba segmenter that needs neither)."""
    return Path(importlib.util.find_spec("jieba").origin).parent.joinpath(*parts)


def _jieba_pos_emissions() -> dict:
    """jieba.posseg's HMM emission log-probabilities ((state, tag) -> char -> log p), executed
    from their module's file alone (see `_jieba_file`)."""
    spec = importlib.util.spec_from_file_location("jieba.posseg.prob_emit", _jieba_file("posseg", "prob_emit.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.P


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Load and compile every rule and gazetteer once per process."""
    data = load_rule_file()
    patterns = load_patterns()
    names = {
        p["pattern"]: (len(p["pattern"]), p["label"], p.get("canonical", p["pattern"]), p.get("kb_id"), p["id"])
        for p in patterns
    }
    place_names = set()
    by_code: dict[str, tuple[str, str]] = {}
    for name in GAZETTEERS:
        for row in _read_tsv(RULES_DIR / "gazetteers" / f"{name}.tsv"):
            place_names.add(row["name"])
            by_code.setdefault(row["kb_id"], (row["canonical"], row["kb_id"]))
            if row["name"] not in names:
                names[row["name"]] = (len(row["name"]), row["label"], row["canonical"], row["kb_id"] or None, name)

    owner: dict[str, tuple[str, str]] = {}
    for name, fam in data["suffix_families"].items():
        for suffix in fam["suffixes"]:
            if suffix in owner:
                raise RuleError(f"suffix {suffix} is in both {owner[suffix][0]} and {name}")
            owner[suffix] = (name, fam["label"])

    one = data["one_char"]
    countries = {}
    for ch, code in one["countries"].items():
        if code not in by_code:
            raise RuleError(f"one_char.countries: {ch} -> unknown ISO code {code}")
        countries[ch] = by_code[code]
    canon_to_code = {}
    county_short = set()
    for row in _read_tsv(RULES_DIR / "gazetteers" / "cn_divisions.tsv"):
        if row["level"] == "province":
            canon_to_code.setdefault(row["canonical"], row["kb_id"])
        elif row["level"] == "county" and row["name"] == row["canonical"] and not DIVISION_END.search(row["name"]):
            county_short.add(row["name"])
    provinces = {}
    for ch, canonical in one["provinces"].items():
        if canonical not in canon_to_code:
            raise RuleError(f"one_char.provinces: {ch} -> {canonical} is not a province in cn_divisions")
        provinces[ch] = (canonical, canon_to_code[canonical])

    rivers = dict(one.get("rivers", {}))
    compounds = {}
    for entry in one.get("compounds", []):
        word, marks, at = "", [], 0
        for piece in regex.split(r"(\[[^\]]+\])", entry):
            if piece.startswith("["):
                inner = piece[1:-1]
                found = provinces.get(inner) or countries.get(inner)
                if found is None and inner in names:
                    found = (names[inner][2], names[inner][3])
                if found is None:
                    raise RuleError(f"one_char.compounds: {entry}: {inner} is no one-character place nor a name")
                marks.append((len(word), len(inner), found[0], found[1], "GPE"))
            word += piece.strip("[]")
        if not marks:
            raise RuleError(f"one_char.compounds: {entry} marks no place")
        compounds[word] = tuple(marks)
    run_chars = "".join(sorted(set(provinces) | set(rivers)))
    lexicon, common, frequent = _lexicon()
    # transliteration characters: those of CLDR's foreign place names and those of jieba's
    # transliterated names (nrt)
    # 20+ times
    foreign = [
        row["name"] for g in ("countries", "world_cities") for row in _read_tsv(RULES_DIR / "gazetteers" / f"{g}.tsv")
    ]
    nrt_chars = Counter(c for w, pos in lexicon.items() if pos == "nrt" for c in w)
    translit = "".join(sorted(
        {c for n in foreign for c in n if "\u4e00" <= c <= "\u9fff"}
        | {c for c, k in nrt_chars.items() if k >= TRANSLIT_MIN}
    ))
    if DOT_RE.search(translit):
        raise RuleError("a transliteration character is a name dot; _foreign_names assumes none is")
    surname_rows = _read_tsv(RULES_DIR / "gazetteers" / "surnames.tsv")
    surnames = frozenset(r["surname"] for r in surname_rows)
    stop = frozenset(data["stop"]["words"])
    emit = _jieba_pos_emissions()
    title_surnames = surnames | {c for c, logp in emit[("B", "nr")].items() if logp >= TITLE_SURNAME_LOGP}
    return Rules(
        names=names,
        scanner=_scanner(names, data["person_context"]["before"], stop),
        phrase_patterns=tuple(patterns),
        suffixes=owner,
        suffix_lengths={
            c: tuple(sorted({len(x) for x in owner if x[-1] == c}, reverse=True)) for c in {x[-1] for x in owner}
        },
        stop=stop,
        place_heads=tuple(data["place_heads"]["words"]),
        generic_places=tuple(data["generic_places"]["words"]),
        place_tails=tuple(sorted(data["generic_places"]["tails"], key=len, reverse=True)),
        name_breakers=frozenset(data["name_breakers"]["words"]),
        sub_units=tuple(data["sub_units"]["suffixes"]),
        sub_unit_max=data["sub_units"]["max_len"],
        org_prefixes=frozenset(data["org_prefixes"]["words"]),
        org_prefix_skip=data["org_prefixes"]["skip_max"],
        stock_cues=tuple(data["stock_names"]["cues"]),
        surnames=surnames,
        title_surnames=frozenset(title_surnames),
        given_chars=frozenset(
            row["char"] for row in _read_tsv(RULES_DIR / "gazetteers" / "given_chars.tsv")
            if float(row["per_million"]) >= GIVEN_MIN
        ),
        lexicon=lexicon,
        common=common,
        frequent=frequent,
        place_names=frozenset(place_names),
        county_short=frozenset(county_short),
        foreign_re=regex.compile(FOREIGN_NAME.format(chars=regex.escape(translit))),
        foreign_run_re=regex.compile(f"[{regex.escape(translit)}·•・\\-－]+"),
        translit_re=regex.compile(f"[{regex.escape(translit)}]+"),
        credit_res=tuple(regex.compile(p) for p in data["credits"]["patterns"]),
        role_name_re=_role_name_pattern(data["person_context"]),
        person_before=tuple(data["person_context"]["before"]),
        person_after=tuple(data["person_context"]["after"]),
        person_weak_after=tuple(data["person_context"]["weak_after"]),
        uncommon_surnames=frozenset(
            r["surname"] for r in surname_rows if int(r["training_names"]) < UNCOMMON_SURNAME_NAMES
        ),
        titles_after_re=regex.compile("|".join(
            map(regex.escape, sorted(data["person_context"]["titles_after"], key=len, reverse=True))
        )),
        titles_in_re=regex.compile("|".join(
            map(regex.escape, sorted(data["person_context"]["before"], key=len, reverse=True))
        )),
        person_not_after=tuple(data["person_context"]["not_after"]),
        place_before=frozenset(data["person_context"]["place_before"]),
        place_before_words=tuple(data["person_context"]["place_before"]),
        place_before_names=frozenset(data["person_context"]["place_before_names"]),
        place_after=tuple(data["person_context"]["place_after"]),
        anonymised=frozenset(data["person_context"]["anonymised"]),
        honorifics=frozenset(data["person_context"]["honorifics"]),
        name_tails=frozenset(data["person_context"]["name_tails"]),
        not_name_last=frozenset(data["person_context"]["not_name_last"]),
        nickname_prefixes=frozenset(data["person_context"]["nickname_prefixes"]),
        trade_after=tuple(data["person_context"]["trade_after"]),
        thing_before=frozenset(data["person_context"]["thing_before"]),
        alias_re=regex.compile(data["aliases"]["pattern"]),
        quoted_max=data["quoted"]["max_len"],
        product_before=tuple(data["quoted"]["product_before"]),
        product_after=tuple(data["quoted"]["product_after"]),
        product_clause=tuple(data["quoted"]["product_clause"]),
        code_re=regex.compile(data["product_codes"]["code"]),
        code_after=tuple(data["product_codes"]["product_after"]),
        one_before=frozenset(one["before"]),
        one_after=tuple(sorted(one["after"], key=len, reverse=True)),
        one_countries=countries,
        one_provinces=provinces,
        one_rivers=rivers,
        run_re=regex.compile(f"[{regex.escape(run_chars)}]{{2,3}}"),
        run_after=tuple(sorted(one.get("run_after", []), key=len, reverse=True)),
        compound_re=regex.compile("|".join(map(regex.escape, sorted(compounds, key=len, reverse=True))))
        if compounds else None,
        compounds=compounds,
        surname_max=max(map(len, surnames), default=0),
        char_classes=_char_classes({
            C_COUNTRY: set(countries),
            C_ONE_BEFORE: set(one["before"]),
            C_ONE_CHAR: set(countries) | set(provinces),
            C_SURNAME: {x[0] for x in surnames},
            C_SUFFIX_END: {x[-1] for x in owner} | TITLE_LAST_CHARS,
            # after a country: another (中美) or the head of a context word (中方, 俄总统)
            S_AFTER_COUNTRY << SECOND_SHIFT: set(countries) | {x[0] for x in one["after"] if x},
            # after 来/访/驻…: a one-character name (来渝, 访华)
            S_AFTER_ONE_BEFORE << SECOND_SHIFT: set(countries) | set(provinces),
            S_HONORIFIC << SECOND_SHIFT: {x[0] for x in data["person_context"]["honorifics"] if x},
        }),
    )


def _scanner(names: dict[str, tuple], titles: list[str], stop: frozenset[str]) -> ahocorasick.Automaton:
    """One automaton for names (those not on the stop list) and person titles, keyed by UTF-8 bytes
    read as Latin-1: pyahocorasick looks a node's children up one by one, so over characters (a
    root with a thousand children) it crawls, over bytes a node has a handful."""
    values = {name: [value, False] for name, value in names.items() if name not in stop}
    for title in titles:
        values.setdefault(title, [None, False])[1] = True
    automaton = ahocorasick.Automaton()
    for key, (value, title) in values.items():
        automaton.add_word(key.encode("utf-8").decode("latin-1"), (key, value, title))
    automaton.make_automaton()
    return automaton


def _char_classes(classes: dict[int, set[str]]) -> numpy.ndarray:
    """A code point -> class bits table, so tokens are picked by their characters with numpy."""
    table = numpy.zeros(0x110000, numpy.uint8)
    for bit, chars in classes.items():
        table[[ord(c) for c in chars if len(c) == 1]] |= bit
    return table


# --- candidates -------------------------------------------------------------------------------


def _scan(text: str, r: Rules) -> list[tuple[int, int, str, tuple | None, bool]]:
    """Every occurrence of a name or title in `text` as (start, end, key, name value, is a title),
    in the automaton's order (by end, longer first), from one pass over the UTF-8 bytes."""
    raw = text.encode("utf-8")
    out = []
    byte_end = end = 0
    for last_byte, (key, value, title) in r.scanner.iter(raw.decode("latin-1")):
        # a UTF-8 match ends on a character boundary: count the characters up to it
        end += len(raw[byte_end : last_byte + 1].decode("utf-8"))
        byte_end = last_byte + 1
        out.append((end - len(key), end, key, value, title))
    return out


def _gazetteer_hits(text: str, found, starts: list[int], pos: list[str], bounds: bytes, r: Rules) -> list[Mention]:
    """Gazetteer and phrase-pattern names whose ends fall on jieba word boundaries.

    A country or division that only begins a jieba word counts too (中国人民, 中国政府): the
    longer word wins later if it is itself a name.
    """
    out = []
    for start, end, name, value, _ in found:
        if value is None or not bounds[start]:
            continue  # a title, or a name not starting a word
        length, label, canonical, kb_id, rule = value
        # a place may also be the head of one longer word (中国人民 中国政府), but not end
        # inside the next word (都安装 is not 都安)
        if name in r.county_short:
            # a county's short form is only a whole jieba word (not 新干 in 新干线), and one that is also
            # a common word (新建 = newly built, 龙泉, 海港) only after 在/赴/到…
            if not bounds[end] or any(bounds[start + 1 : end]):
                continue
            if (name in r.common or r.lexicon.get(name) in COUNTY_COMMON_POS) \
                    and not text[max(0, start - 2) : start].endswith(r.place_before_words):
                continue  # 新建厂房, 铁路共新建8,500公里: the common word
            out.append(Mention(start, end, label, canonical, kb_id, rule))
        elif bounds[end] or (
            rule in GAZETTEERS and length >= 2 and not any(bounds[start + 1 : end + 1])
            and pos[bisect_left(starts, start)] not in IDIOM_POS  # not 长治 in 长治久安
        ):
            out.append(Mention(start, end, label, canonical, kb_id, rule))
    return out


def _title_ends(found) -> list[int]:
    """Where the titles end that a left-to-right, longest-first scan takes (as a regex alternation
    of them would match)."""
    out = []
    taken = 0
    for start, neg_end in sorted((start, -end) for start, end, _, _, title in found if title):
        if start >= taken:
            taken = -neg_end
            out.append(taken)
    return out


class Tokens:
    """jieba tokens as parallel lists (cheap to build), with the tokens under one gazetteer name
    merged into a single name-like token whose POS is "GAZ"; `length`, `first`, `second` and `last`
    (class bits of a token's characters) let a stage pick its few candidate tokens with numpy."""

    __slots__ = ("starts", "ends", "pos", "words", "length", "first", "second", "last")

    def __init__(self, text: str, columns: tuple[list[int], list[int], list[str]], arrays: tuple[numpy.ndarray, ...],
                 bounds: bytes, hits: list[Mention], r: Rules):
        starts, ends, pos = columns  # taken over: merging rewrites them
        first, end = arrays  # the same starts and ends
        longest: dict[int, int] = {}
        for h in hits:
            if h.end > longest.get(h.start, 0) and bounds[h.end]:
                longest[h.start] = h.end
        keep = None
        for i in sorted(bisect_left(starts, s) for s in longest):
            if keep is not None and not keep[i]:
                continue  # inside a longer merged name
            g = longest[starts[i]]
            j = bisect_left(ends, g, lo=i)
            if j < len(ends) and ends[j] == g:
                if j > i:
                    if keep is None:
                        keep, end = numpy.ones(len(starts), bool), end.copy()
                    keep[i + 1 : j + 1] = False
                    ends[i] = end[i] = g
                pos[i] = "GAZ"
        if keep is not None:
            selected = keep.tolist()
            starts, ends, pos = (list(compress(x, selected)) for x in (starts, ends, pos))
            first, end = first[keep], end[keep]
        self.starts, self.ends, self.pos = starts, ends, pos
        self.words = _Words(text, starts, ends)
        self.length = end - first
        classes = r.char_classes[numpy.frombuffer((text + "\0").encode("utf-32-le"), numpy.uint32)]
        self.first = classes[first]
        self.second = classes[first + 1] >> SECOND_SHIFT
        self.last = classes[end - 1]

    def __len__(self) -> int:
        return len(self.starts)


class _Words:
    """Each token's text, sliced when asked for: most tokens are never looked at."""

    __slots__ = ("text", "starts", "ends")

    def __init__(self, text: str, starts: list[int], ends: list[int]):
        self.text, self.starts, self.ends = text, starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]


def _known(t: Tokens, i: int, r: Rules) -> bool:
    """In jieba's dictionary (a word jieba's HMM made up is not), or a gazetteer name."""
    return t.pos[i] == "GAZ" or t.words[i] in r.lexicon


def _name_like(t: Tokens, i: int, r: Rules, word: str | None = None) -> bool:
    word = word or t.words[i]
    if word in r.stop:
        return False
    pos = t.pos[i]
    if pos in NAME_POS:
        return True
    # a word jieba's HMM made up, or a Latin name, is a name candidate too
    return (pos != "GAZ" and word not in r.lexicon and len(word) >= 2 and CJK.fullmatch(word) is not None) or (
        word[0].isalpha() and LATIN_OR_DIGIT.fullmatch(word) is not None
    )


def _extend_left(t: Tokens, i: int, r: Rules, allow_year: bool, names_only: bool = False,
                 inner_pos: frozenset[str] = INNER_POS) -> int | None:
    """Index of the first token of a name ending before token i, or None if none is name-like.

    Walks left over name-like, noun and joiner tokens (and one parenthesised place like
    `西部（重庆）科学城`) and keeps the farthest name-like token as the name's start.
    """
    best = None
    j = i - 1
    n_chars = 0
    verbs = 0
    words, pos = t.words, t.pos
    while j >= 0 and i - j <= MAX_NAME_UNITS:
        word = words[j]
        if word == "）" and j >= 2 and words[j - 2] == "（":
            j -= 3  # a bracketed place inside the name; the token before it may start the name
            if j >= 0 and pos[j] in ("f", "ns", "GAZ", "nz", "j"):
                best = j
            continue
        if word in JOINERS:
            if words[j + 1] in JOINERS or (j and words[j - 1] in JOINERS):
                break  # 前沿———1997: a run of dashes is punctuation, not a name's joiner
            j -= 1
            continue
        if word in r.name_breakers:
            break
        if pos[j] == "v" and len(word) >= 2 and verbs == 0 and best is None and j and pos[j - 1] in VERB_LEFT_POS:
            verbs = 1  # one verb inside a name after a noun: 城市运行管理中心, 工作协调委员会
            j -= 1
            continue
        if pos[j] not in inner_pos or "\n" in word or (names_only and not _name_like(t, j, r, word)):
            break
        n_chars += len(word)
        if n_chars > MAX_NAME_CHARS:
            break
        if pos[j] == "m":
            if allow_year and YEAR.fullmatch(word):
                best = j  # 2021中国国际智能产业博览会
            elif not ORDINAL.fullmatch(word):
                break  # 新华社北京6月29日电…: numbers end a name, ordinals (第五中学, 六届人大) do not
            elif best is not None and "届" in word:
                best = j  # 第十届中国国际园林博览会
        elif _name_like(t, j, r, word):
            best = j
        j -= 1
    # a name jieba split into single characters starts at the first of them
    while best is not None and best > 0 and len(words[best]) == 1:
        if len(words[best - 1]) != 1 or pos[best - 1] not in SPLIT_NAME_POS:
            break
        best -= 1
    if best is not None and best > 0 and words[best - 1].isdigit():
        return None  # ２７|名原|分局: what follows a number is its measure word, not a name
    return best


@lru_cache(maxsize=1 << 16)
def _longest_suffix(word: str) -> tuple[str, str, str] | None:
    """(suffix, family, label) of the longest rule suffix `word` ends with (memoised: words recur)."""
    r = rules()
    for n in r.suffix_lengths.get(word[-1:], ()):
        if n <= len(word) and (hit := r.suffixes.get(word[-n:])):
            return word[-n:], hit[0], hit[1]
    return None


def _suffix_mentions(text: str, t: Tokens, gaz_labels: dict[int, str], r: Rules) -> list[Mention]:
    """Organisations, zones, facilities, events and natural places named by their suffix.

    A known organisation (a gazetteer name ending where token i ends) takes places before it too:
    印度 + 外交部.
    """
    out = []
    for i in (t.last & C_SUFFIX_END).nonzero()[0].tolist():
        word, pos = t.words[i], t.pos[i]
        split = 0  # 1 when jieba cut the suffix in two (两江协同|创新|区)
        if pos != "GAZ" and not word.endswith(TITLES) and _longest_suffix(word) is None:
            pair = t.words[i - 1] + word if i and len(word) == 1 else ""
            found = _longest_suffix(pair) if pair else None
            if found is None or len(found[0]) != len(pair):
                continue  # most words ending like a suffix have none (社会 增长 市场)
            word, split = pair, 1
        end = t.ends[i]
        if word in ORG_TITLES or word.startswith("副") or (
            word in HEAD_TITLES and i and (_longest_suffix(t.words[i - 1]) or t.pos[i - 1] in ("b", "d", "v"))
        ):
            continue  # 代表团 + 团长, 外交部 + 副部长, 代理 + 部长: the title names no second organisation
        cut = next((len(x) for x in ORG_TITLES if word.endswith(x)), 0) if word.endswith(ORG_TITLES) else 0
        if cut:
            word = word[:-cut]  # 市委书记 -> 市委
            end -= cut
            if word in r.names and r.names[word][1] == "ORG":
                s = t.starts[i]
                first = _extend_left(t, i, r, allow_year=False)
                if first is not None and t.pos[first] in ("GAZ", "ns") and first == i - 1:
                    s = t.starts[first]  # 吉林 + 省委书记
                out.append(Mention(s, end, "ORG", text[s:end], None, "suffix_org_title"))
                continue
        if pos == "GAZ":
            # a known organisation is already whole (上海合作组织 ends with 组织); a place or an
            # ordinal may precede it (印度 + 外交部, 六届 + 人大常委会)
            if gaz_labels.get(end, "ORG") == "ORG" and i:
                before = t.words[i - 1]
                if (t.pos[i - 1] in ("GAZ", "ns") and gaz_labels.get(t.ends[i - 1], "GPE") == "GPE") or (
                    t.pos[i - 1] == "m" and "届" in before and ORDINAL.fullmatch(before)
                ):
                    s = t.starts[i - 1]
                    out.append(Mention(s, end, "ORG", text[s:end], None, "suffix_org_place"))
            continue
        title = bool(cut) or word.endswith(HEAD_TITLES)
        if title and not cut:
            if word[-3:-2] == "副" or word in r.stop:
                continue
            word = word[:-1]  # 内政部长 -> 内政部: the organisation a head's title names
            end -= 1
        found = _longest_suffix(word)
        if found is None or word in r.stop:
            continue  # 干部 内部 全部 are words, not names with a suffix
        suffix, family, label = found
        rest = len(word) - len(suffix)
        if len(suffix) == 1 and rest and word[-2:] in r.stop:
            continue  # 战略部署 台湾当局: the word ends with a common word (部署 当局), not with the suffix
        if suffix == QUOTING_SUFFIX and NUMBER_START.match(text, end):
            continue  # 深成指报９８７４点, 中国石油收盘报９．３０元: 报 before a number quotes it, no newspaper
        if label == "LOC" and pos in PERSON_POS and len(word) == 3 and word[0] in r.surnames:
            continue  # 张德江 辛业江: a person, not a river
        place_rest = rest and word[:rest] in r.place_names
        if place_rest and (suffix in r.place_heads or word[rest:] in r.place_heads):
            continue  # 美国公司: the place, not an organisation
        if len(suffix) == 1 and rest and not place_rest and (rest < 2 or DIRECTIONS.fullmatch(word[:rest])):
            continue  # 西北部: a direction, not a name with a suffix
        settlement = family == SETTLEMENT_FAMILY
        if settlement and (len(word) == 3 and word[1:] in r.common or len(word) > 3 and word[-2:] in r.common):
            continue  # 在城镇 小山村 新型农村: a common word for a kind of place
        if family == SITE_FAMILY:
            if rest < 2 or word != t.words[i] or not _name_like(t, i, r) or (
                word not in r.lexicon and r.lexicon.get(word[:-1]) in COMMON_POS
            ):
                continue  # 新浪网 土豆网 拉手网 as names; 渔网 铁丝网 过滤网 are nets
            # the site's own word, and a place before it (中国|新闻网)
            s = t.starts[i - 1] if i and t.pos[i - 1] in ("GAZ", "ns") and t.ends[i - 1] == t.starts[i] else t.starts[i]
            out.append(Mention(s, end, label, text[s:end], None, f"suffix_{family}"))
            continue
        if not rest and (pos == "v" or (len(suffix) == 1 and pos not in SUFFIX_TOKEN_POS | (
            SETTLEMENT_SUFFIX_POS if settlement else frozenset()))):
            continue  # 公司组织实施: the suffix word is a verb here
        if pos in IDIOM_POS:
            continue  # 统揽全局 顾全大局: an idiom ending like a suffix
        first = _extend_left(t, i - split, r, allow_year=label == "EVENT", names_only=label == "LOC" or settlement,
                             inner_pos=COMPANY_INNER_POS if family == COMPANY_FAMILY else INNER_POS)
        # a common word (监督局 歌舞团) or a bare title (部长) names an organisation only after a name
        common = r.lexicon.get(t.words[i], "nt") not in NAME_POS or (
            word == t.words[i] and rest >= 2 and _common_word(word[:rest], r)
        )  # 敬老院: a common word and the suffix, whatever jieba calls the whole
        # 司法部长 内政部长 -> 司法部 内政部: a ministry by its head's title (not 分局局长 -> 分局局)
        title_org = title and not cut and rest >= 2 and word[-2] != suffix[-1] and word[:rest] not in r.stop
        if first is None and rest and (title_org or not (common and not place_rest) and not title and (
            place_rest or _name_like(t, i, r)
        )):
            first = i
        if title and not rest and first == i - 1:
            continue  # 美国部长 is not 美国部
        if label == "ORG" and first == i - 1 and t.pos[first] in ("GAZ", "ns") and word in r.place_heads:
            continue  # 中国政府 美国公司: the place, not an organisation
        if label == "ORG" and (level := _org_level(t, i - split if first is None else first, r)) is not None:
            first = level  # 市|财政局, 市|市场|监管局: the body of a city, a county
        elif first is None and label == "ORG" and rest and word[:1] in r.org_prefixes and word[:2] not in r.lexicon \
                and not (i and (t.pos[i - 1] == "GAZ" or _name_like(t, i - 1, r))):
            first = i  # 市教委 县公安局 as one word (not 市场监管局)
        elif first is None:
            continue
        if label == "FAC":
            # 北京|人民大会堂, 甘肃|天水市|伏羲庙: leading places are entities of their own while a
            # name is left before the suffix
            while first < i and t.pos[first] == "GAZ" and gaz_labels.get(t.ends[first]) == "GPE" and (
                end - len(suffix) - t.ends[first] >= 2
            ):
                first += 1
        if settlement:
            # 江西|安义县|万埠镇|桃花村: the places before a village are entities of their own, and a
            # village's own name is short
            while first < i and t.ends[first] < end - len(suffix) and (
                t.pos[first] in ("GAZ", "ns") or t.words[first][-1] in PLACE_CHARS
            ):
                first += 1
            if end - len(suffix) - t.starts[first] > SETTLEMENT_MAX_NAME:
                continue
        start = t.starts[first]
        if label in ("GPE", "LOC"):
            start += _leading_place(text[start:end], family, r)  # 上海|浦东新区 珠海|横琴岛: two places
        out.append(Mention(start, end, label, text[start:end], None, f"suffix_{family}"))
    return out


def _leading_place(span: str, family: str, r: Rules) -> int:
    """Characters of a gazetteer place opening `span` before another place: a gazetteer one
    (上海|浦东新区) or a natural feature's name (珠海|横琴岛); 0 when none (重庆璧山高新区 stays whole)."""
    for k in range(2, len(span) - 1):
        if span[:k] in r.place_names and (span[k:] in r.place_names or family == "natural" and len(span) - k >= 3):
            return k
    return 0


def _org_level(t: Tokens, k: int, r: Rules) -> int | None:
    """Index of a one-character level word (市 县 团) right before token k, over at most
    `org_prefix_skip` common words of two or more characters, when no name comes before the level."""
    j = k - 1
    skipped = 0
    while j >= 0 and skipped < r.org_prefix_skip and t.pos[j] in ("n", "vn") and len(t.words[j]) >= 2:
        j -= 1
        skipped += 1
    if j < 0 or t.words[j] not in r.org_prefixes:
        return None
    if j and (t.pos[j - 1] == "GAZ" or _name_like(t, j - 1, r)):
        return None  # 北京|市…: the city's name is part of it, or a name the suffix rule already read
    return j


def _suffix_label(word: str, r: Rules) -> str | None:
    """Label of the suffix family a whole word ends with (朝天门码头 -> FAC), if any."""
    found = _longest_suffix(word)
    if found is None:
        return None
    suffix, _, label = found
    rest = word[: len(word) - len(suffix)]
    if rest and all(c in NUMERALS for c in rest):
        return None  # 两江 两湖 三湖: rivers or lakes counted, not one named place
    if label == "LOC" or (len(rest) >= (2 if len(suffix) == 1 else 1) and not DIRECTIONS.fullmatch(rest)):
        return label  # 长江: a natural feature needs no longer name; 中南部 is a direction
    return None


def _token_mentions(t: Tokens, r: Rules) -> list[Mention]:
    """jieba's own nt/ns tags, kept when the word is not on the stop list; typed by its suffix."""
    out = []
    for i in compress(count(), map(JIEBA_NAME_POS.__contains__, t.pos)):
        word = t.words[i]
        if len(word) < 2 or word in r.stop or not CJK.fullmatch(word):
            continue
        if len(word) <= 3 and all(c in r.one_countries for c in word):
            continue  # 中美 美中: the one-character rule tags each country
        tail = next((x for x in r.place_tails if word.endswith(x) and len(word) > len(x) + 1), None)
        if tail:
            s, e = t.starts[i], t.ends[i] - len(tail)  # 南亚地区 黄河流域: the region's, the river's name
            head = word[: -len(tail)]
            if head in r.stop:
                continue  # 沿海地区 山区一带: a kind of place, no name
            out.append(Mention(s, e, "LOC" if head not in r.place_names else r.names[head][1], head, None, "jieba_ns"))
            continue
        head = next((h for h in r.generic_places if word.endswith(h) and len(word) > len(h)), None)
        if head and word[:-len(head)] not in r.place_names:
            continue  # 港口城市, 沿海城市: a kind of place, no name
        label = _suffix_label(word, r)
        known = t.pos[i] == "GAZ" or word in r.lexicon  # in jieba's dictionary, or a gazetteer name
        if t.pos[i] == "nt":
            placed = word[:2] in r.place_names or word[:3] in r.place_names  # 中国作协
            if not label and r.names.get(word[:-1], (0, "", "", None, ""))[4] == "countries":
                continue  # 中国化: a country and a character, no organisation (北京站 is one)
            if (label or not known or placed) and not word.endswith(r.place_heads):
                out.append(Mention(t.starts[i], t.ends[i], label or "ORG", word, None, "jieba_nt"))
        elif word not in r.place_names and _place_and_noun(word, r):
            continue  # 挪威克朗 亚洲各国: the gazetteer place at its head is the entity
        elif word not in r.place_names and (second := _second_place(word, r)):
            s = t.ends[i] - len(second[0])  # 上海浦东 珠海横琴岛: two places, the first a gazetteer hit
            out.append(Mention(s, t.ends[i], second[1], second[0], None, "jieba_ns"))
        elif word not in r.place_names and label != "LOC" and len(word) >= 3 and (
            _common_word(word[-2:], r) or _common_word(word[:2], r) and word[-1] not in PLACE_CHARS
        ):  # (路易斯安那州: a transliteration ending like a place keeps its common-looking head)
            continue  # 上山下乡 黑土地 文明古国: a phrase of common words, no place
        elif (
            label or (len(word) >= (3 if known else 2) and word[-1] in PLACE_CHARS and word[0] not in NUMERALS)
            or (known and len(word) >= 3 and r.translit_re.fullmatch(word))
        ):
            # an ns word is trusted when it looks like a place: 巴塞罗那, 印尼, X县; one jieba's HMM
            # made up must end like a place (蒙市, not 上云上 入馆 五国) and not be a verb and a place
            # word (入乡 进村: an action)
            if not known and len(word) == 2 and r.lexicon.get(word[0]) in ACTION_POS:
                continue
            out.append(Mention(t.starts[i], t.ends[i], label or "GPE", word, None, "jieba_ns"))
    return out


def _second_place(word: str, r: Rules) -> tuple[str, str] | None:
    """(name, label) of the place after a gazetteer place in one word (上海|浦东, 上海|浦东新区)."""
    for k in range(2, len(word) - 1):
        if word[:k] in r.place_names:
            rest = word[k:]
            if rest in r.place_names:
                return rest, r.names[rest][1]
            if any(rest + x in r.place_names for x in DIVISION_SUFFIXES):
                return rest, "GPE"  # 浦东 (浦东新区)
            if len(rest) >= 3 and (label := _suffix_label(rest, r)) in ("GPE", "LOC"):
                return rest, label
    return None


def _common_word(word: str, r: Rules) -> bool:
    """A common word of jieba's (下乡 土地) or one on the stop list (文明), not a name."""
    return word in r.stop or (word in r.common and r.lexicon.get(word) in COMMON_POS)


def _place_and_noun(word: str, r: Rules) -> bool:
    """A gazetteer place followed by a common word of two or more characters (挪威 + 克朗)."""
    return any(
        word[:k] in r.place_names and r.lexicon.get(word[k:]) in COMMON_POS for k in range(2, len(word) - 1)
    )


def _is_person_word(t: Tokens, i: int, r: Rules, cue: bool, word: str | None = None, weak: bool = False) -> bool:
    """A surname-initial name jieba kept as one word (崔力, 江泽民), not a common word jieba calls nr.

    jieba's dictionary tags many common words nr (智慧 齐全 文明 小学生 许可): a 2-character word it
    knows needs a title or a cue around it, and a `weak` cue (和 在) only confirms a common surname
    (李鹏/在, not 许可/和 or 师生/在); no name begins with a common word (小学, 安全), and none ends
    like a place or a thing (高升镇, 尤伯杯).
    """
    word = word or t.words[i]
    if not 2 <= len(word) <= 3 or word[-1] in r.not_name_last:
        return False
    if word[0] not in r.surnames and not (
        # 樊小平 曲格平: a rarer surname (jieba's HMM) and two given-name characters, in a word jieba calls a name
        len(word) == 3 and word[0] in r.title_surnames and t.pos[i] in ("nr", "nrfg") and word[1] in r.given_chars
        and word[2] in r.given_chars and word == t.words[i] and word[0] not in NUMERALS
        and word[:2] not in r.lexicon and word[1:] not in r.lexicon and not r.translit_re.fullmatch(word)
    ):  # (not 红树林 青壮年 尼古丁: words around a common one, or a transliteration)
        return False
    if word in r.stop or word in r.place_names or not CJK.fullmatch(word):
        return False
    if i and t.words[i - 1] in r.thing_before and t.ends[i - 1] == t.starts[i]:
        return False  # 一座/铁索桥: a thing
    if len(word) == 3 and word[0] in r.nickname_prefixes and word[1:] in r.lexicon:
        return False  # 小老虎 老寿星 大比武: a prefix and a common word
    if not cue and i and t.ends[i - 1] == t.starts[i] and t.pos[i - 1] in BRAND_BEFORE_POS and len(t.words[i - 1]) > 1 \
            and CJK.fullmatch(t.words[i - 1]) and t.words[i - 1] not in r.name_breakers:
        return False  # 恒泰/艾普拟 联通/沃易付: the tail of a company's or a brand's name
    if len(word) == 3 and (word[:2] in r.common or (word[1:] in r.frequent and not cue)):
        return False  # 高速度, and 段时间 (这/段时间), though jieba's dictionary calls it a name
    if word in r.lexicon:
        return r.lexicon[word] in PERSON_POS and (
            len(word) == 3 or (cue and not (weak and word[0] in r.uncommon_surnames))
        )
    if len(word) == 3 and word[1:] in r.common and not cue:
        return False  # 高素质: jieba made up a word around a frequent one; a rare one (黄小目) may be a given name
    return t.pos[i] in PERSON_POS


def _given_tail(t: Tokens, k: int, r: Rules) -> bool:
    """Token k is one given-name character jieba cut off a name (高允/连), not a particle (王晨/都)."""
    return k < len(t) and t.ends[k] - t.starts[k] == 1 and t.pos[k] not in GLUED_POS and t.words[k] in r.given_chars


def _glued_given(t: Tokens, k: int, r: Rules) -> bool:
    """Token k is a given-name character and a particle jieba glued together (江说 农等)."""
    return k < len(t) and t.ends[k] - t.starts[k] == 2 and t.words[k][0] in r.given_chars and t.words[k][1] in r.name_tails


def _split_given(t: Tokens, i: int, r: Rules, cue_before: bool) -> bool:
    """A lone surname token i and the next token form a name jieba split (江/宏伟, 袁/步兵).

    The next token is one or two given-name characters; a title before, a cue after, or jieba's own
    person tag on the surname must confirm it, and the
    surname must open its phrase (not 储备/金/保卫)."""
    words, pos = t.words, t.pos
    given = words[i + 1]
    if not (
        len(given) <= 2 and pos[i + 1] not in FUNCTION_POS and given not in r.stop and given not in r.place_names
        and CJK.fullmatch(given) and all(c in r.given_chars for c in given) and given not in r.honorifics
    ):
        return False
    if cue_before or _next_starts(words, i + 2, r.person_after):
        return True
    return (
        pos[i] in PERSON_POS
        and (i == 0 or pos[i - 1] in FUNCTION_POS or not CJK.fullmatch(words[i - 1]))
    )


def _is_foreign_name(t: Tokens, i: int, r: Rules, cue: bool) -> bool:
    """A transliterated name: only transliteration characters, tagged a name, not a place.

    A 2-character word jieba knows as nrt (崇高 卢比 路基 are among them) needs a title or cue; one of
    four or more characters it knows as nr is a name it learned (基里延科 瓦杰帕伊).
    """
    word, pos = t.words[i], t.pos[i]
    return (
        2 <= len(word) <= 8
        and pos in PERSON_POS
        and (not _known(t, i, r) or (pos == "nrt" and (len(word) >= 3 or cue)) or (pos == "nr" and len(word) >= 4))
        and r.translit_re.fullmatch(word) is not None
        and not word.endswith("人")
        and word not in r.place_names
        and word not in r.stop
    )


def _translit_run(t: Tokens, first: int, end: int, r: Rules) -> tuple[int, int]:
    """First and last token of the foreign name around tokens first..end, all transliteration: the short
    transliteration pieces jieba cut on either side (赫里斯/坚科, 伊/拉拉), up to a cue or a particle."""
    words, pos, n = t.words, t.pos, len(t)
    while (
        end + 1 < n and t.ends[end + 1] == t.starts[end + 1] + len(words[end + 1]) <= t.starts[first] + 8
        and len(words[end + 1]) <= 2 and pos[end + 1] not in NAME_BREAK_POS and words[end + 1] not in r.name_tails
        and r.translit_re.fullmatch(words[end + 1]) and not _next_starts(words, end + 1, r.person_after)
        and t.starts[end + 1] == t.ends[end] and words[end + 1] not in r.place_names
        and not (len(words[end + 1]) == 2 and words[end + 1] in r.common)  # not 布雷顿/森林
        and words[end + 1][-1] not in r.not_name_last  # not 奥格朗/德州
    ):
        end += 1
    if (
        first and t.ends[first - 1] == t.starts[first] and r.translit_re.fullmatch(words[first - 1]) and (
            len(words[first - 1]) == 1 and pos[first - 1] in TRANSLIT_BEFORE_POS
            and (first == 1 or not CJK.fullmatch(words[first - 2]) or pos[first - 2] in FUNCTION_POS)
            or len(words[first - 1]) == 2 and pos[first - 1] in ("nrt", "nz")  # 扎克/伯格 奥利/塞赫: a name's first piece
        )
    ):
        first -= 1
    return first, end


def _person_mentions(text: str, t: Tokens, title_ends: list[int], r: Rules) -> list[Mention]:
    """Persons from surnames, transliterations, titles around them, and photo/reporter credits.

    jieba splits many names (袁/步兵, 刘正/学, 卡洛斯/·/阿马/特); a title before (部长, 记者) or a
    cue after (同志, 先生, 说) lets a surname join the next one or two characters.
    """
    out = []
    n = len(t)
    words, pos, starts, ends = t.words, t.pos, t.starts, t.ends
    after_title = {k for e in title_ends if (k := bisect_left(starts, e)) < n and starts[k] == e}
    surnames = r.surnames
    surnamed = numpy.logical_and(t.first & C_SURNAME, (t.length <= r.surname_max) | numpy.logical_and(
        t.length == 3, t.second & S_HONORIFIC
    ))
    candidates = after_title.union(
        compress(count(), map(PERSON_POS.__contains__, pos)),
        # a long word is looked at for its own sake only as a famous name's compound (邓小平理论)
        (i for i in (t.length >= 5).nonzero()[0].tolist() if text.endswith(NAME_COMPOUND_TAILS, starts[i], ends[i])),
        # a lone surname neither tagged a name nor after a title (both candidates anyway) yields one
        # only before an honorific (金/教授 常/副局长)
        (
            i for i in surnamed.nonzero()[0].tolist()
            if (w := words[i]) in surnames and (len(w) > 1 or (
                i + 1 < n and len(h := words[i + 1].lstrip("副")) >= 2 and (h in r.honorifics or h in r.anonymised)
            ))
            or (len(w) == 3 and w[0] in surnames and w[1:] in r.honorifics)
        ),
    )
    for i in sorted(candidates):
        word = words[i]
        cue_before = i in after_title
        cue = cue_before or _next_starts(words, i + 1, r.person_after)
        if (
            len(word) >= 2 and pos[i] in PERSON_POS and r.translit_re.fullmatch(word) and not cue_before
            and (i and (words[i - 1] in r.place_before or words[i - 1] in r.place_before_names
                        or (pos[i - 1] == "GAZ" and words[i - 1] in r.place_names))
                 or _next_starts(words, i + 1, r.place_after))
            and not _next_starts(words, i + 1, r.person_after)
        ):
            # 在慕尼黑, 德国慕尼黑, 首都阿布贾, 阿拉伯国家: a transliterated name after 在/赴/首都 or a
            # country, or before 国家/军队, is a place
            out.append(Mention(starts[i], ends[i], "GPE", word, None, "place_context"))
        elif 2 <= len(word) <= 3 and word[0] in surnames and word[1:] in r.anonymised:
            out.append(Mention(starts[i], ends[i], "PERSON", word, None, "person_anonymised"))  # 王某, 商某
        elif len(word) == 1 and word in surnames and i + 1 < n and words[i + 1] in r.anonymised:
            # 邢|某某, 刘|某某: jieba splits the withheld given name off
            out.append(Mention(starts[i], ends[i + 1], "PERSON", word + words[i + 1], None, "person_anonymised"))
        elif 2 <= len(word) <= 3 and word[0] in surnames and word[1:] in r.honorifics and word not in r.stop:
            # 陈老师 王某 吴先生: the surname names the person
            out.append(Mention(starts[i], starts[i] + 1, "PERSON", word[0], None, "person_honorific"))
        elif (
            len(word) == 1 and word in surnames and i + 1 < n and len(title := words[i + 1].lstrip("副")) >= 2
            and title in r.honorifics and (i == 0 or pos[i - 1] in FUNCTION_POS or not CJK.fullmatch(words[i - 1]))
        ):
            out.append(Mention(starts[i], ends[i], "PERSON", word, None, "person_honorific"))  # 金/教授 常/副局长
        elif len(word) == 3 and word[-1] in r.name_tails and _is_person_word(t, i, r, True, word[:2]):
            # 赵华说 卢金也: jieba glued the next word's first character to a name
            out.append(Mention(starts[i], ends[i] - 1, "PERSON", word[:2], None, "person_surname"))
        elif _is_person_word(t, i, r, cue or (_given_tail(t, i + 1, r) and _next_starts(
            words, i + 2, r.person_after
        )), word, weak=not cue_before and _next_starts(words, i + 1, r.person_weak_after)) and not (
            not cue_before and _next_starts(words, i + 1, r.trade_after)  # 博彦/科技: a company
        ):
            end = i
            if len(word) == 2 and _given_tail(t, i + 1, r) and (
                cue_before or _next_starts(words, i + 2, r.person_after) or word not in r.lexicon
            ):
                end = i + 1  # 刘正/学 报道, 李培/之 同志, 高允/连: not 王晨/都 叶挺/及
            elif r.translit_re.fullmatch(word):
                while (  # 斯捷/帕申, 尤尔/科夫: a foreign name in pieces jieba each calls a name
                    end + 1 < n and pos[end + 1] in PERSON_POS and ends[end + 1] - starts[i] <= 8
                    and r.translit_re.fullmatch(words[end + 1])
                ):
                    end += 1
            first = i
            if r.translit_re.fullmatch(text, starts[i], ends[end]):
                first, end = _translit_run(t, i, end, r)  # 赫里斯/坚科 伊/拉拉: a piece of a foreign name
            end = _dotted(t, first, end, r)
            stop = ends[end]
            if end == i and len(word) == 2 and (cue_before or word not in r.lexicon) and _glued_given(t, i + 1, r):
                stop += 1  # 高云/江说 张少/农等: the name's last character glued to the word after it
            out.append(Mention(starts[first], stop, "PERSON", text[starts[first] : stop], None, "person_surname"))
        elif len(word) == 1 and word in surnames and i + 1 < n and _split_given(t, i, r, cue_before):
            out.append(Mention(starts[i], ends[i + 1], "PERSON", word + words[i + 1], None, "person_split"))
        elif len(word) >= 5 and word.endswith(NAME_COMPOUND_TAILS):
            name = word[:3]
            if name[0] in surnames and r.lexicon.get(name) == "nr":
                out.append(Mention(starts[i], starts[i] + 3, "PERSON", name, None, "person_compound"))
        elif _is_foreign_name(t, i, r, cue) or (
            cue_before and not _known(t, i, r) and r.translit_re.fullmatch(word)
        ) or (
            # 总理基里延科 若斯潘总理: a name jieba knows, between a title and a cue
            len(word) >= 3 and pos[i] in PERSON_POS and (len(word) >= 4 or word[0] not in surnames)
            and CJK.fullmatch(word)
            and (cue_before or _next_starts(words, i + 1, r.person_before)) and word not in r.place_names
        ):
            # a foreign name jieba cut in pieces continues over transliteration tokens and `·`
            end = i
            while end + 1 < n and ends[end + 1] - starts[i] <= 14:
                nxt = words[end + 1]
                if r.translit_re.fullmatch(nxt) and (not _known(t, end + 1, r) or pos[end + 1] in PERSON_POS):
                    end += 1
                else:
                    break
            end = _dotted(t, i, end, r)
            if _next_starts(words, end + 1, r.person_not_after):
                continue  # 克什米尔问题 巴达赫尚省: a place or a thing
            out.append(Mention(starts[i], ends[end], "PERSON", text[starts[i] : ends[end]], None, "person_foreign"))
        elif (
            cue_before and 2 <= len(word) <= 3 and word[0] in r.title_surnames and CJK.fullmatch(word)
            and (pos[i] in CUE_NAME_POS or not _known(t, i, r)) and word not in r.stop
            and word not in r.place_names and not _next_starts(words, i + 1, r.person_not_after)
        ):
            # 主任臧海传 记者郅振璞: after a title, a rarer surname and any last character
            end = i
            if len(word) == 2 and i + 1 < n and len(words[i + 1]) == 1 and pos[i + 1] in SPLIT_NAME_POS:
                end = i + 1  # 书记汪明/新
            out.append(Mention(starts[i], ends[end], "PERSON", text[starts[i] : ends[end]], None, "person_title"))
    for title in r.titles_after_re.finditer(text):  # found in the text: slicing every token costs
        k = bisect_left(starts, title.start())
        if not (0 < k < n and starts[k] == title.start() and ends[k] == title.end()):
            continue  # a title that is a whole token, after one
        word = words[k - 1]
        if (
            2 <= len(word) <= 3 and word[0] in surnames and word[0] not in NUMERALS and CJK.fullmatch(word)
            and r.lexicon.get(word) not in NOT_NAME_BEFORE_TITLE_POS and word not in r.place_names
            and word not in r.stop
        ):
            # 周恩来总理 罗干同志: a name jieba files as a time or place word, right before a title
            out.append(Mention(starts[k - 1], ends[k - 1], "PERSON", word, None, "person_before_title"))
    out += _foreign_names(text, t, r)
    out += _dotted_names(text, t, r)
    for pattern in r.credit_res:
        for m in pattern.finditer(text):
            name = m.group("name")
            if name[0] in surnames and name not in r.stop and name not in r.place_names:
                s, e = m.span("name")
                out.append(Mention(s, e, "PERSON", name, None, "person_credit", tier=1))
    return [m for m in out if not PEOPLE_COUNT.fullmatch(text, m.start, m.end)]


ROLE_NAME_MAX = 6  # characters of a name read after a country and a role word (阿尔-阿巴里)


def _role_name_pattern(person: dict) -> regex.Pattern:
    roles = "|".join(regex.escape(w) for w in sorted(person["nationality_roles"], key=len, reverse=True))
    stops = "|".join(regex.escape(w) for w in sorted(person["role_name_stops"], key=len, reverse=True))
    return regex.compile(rf"(?:{roles})(?P<name>(?!{stops})\p{{Han}}(?:(?!{stops})[\p{{Han}}\-－·•]){{1,{ROLE_NAME_MAX - 1}}}?)"
                         rf"(?=[，。、；：！？,.;:!?\s“”（）()]|{stops}|$)")


def _role_names(text: str, hits: list[Mention], r: Rules) -> list[Mention]:
    """A country, a role word and a name (日本选手野中佑希): the name is a person's."""
    out = []
    for hit in hits:
        if hit.label != "GPE":
            continue
        m = r.role_name_re.match(text, hit.end)
        if m is not None:
            out.append(Mention(m.start("name"), m.end("name"), "PERSON", m["name"], None, "person_nationality", tier=1))
    return out


def _joined_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Two person names with only a dot or hyphen between them are one foreign name (勒布朗-詹姆斯
    after 的, where the name's own pattern cannot start)."""
    out: list[Mention] = []
    for m in mentions:
        last = out[-1] if out else None
        if last is not None and last.label == m.label == "PERSON" and m.start == last.end + 1 \
                and text[last.end] in DOTS:
            out[-1] = Mention(last.start, m.end, "PERSON", text[last.start:m.end], None, "person_foreign")
            continue
        out.append(m)
    return out


def _foreign_names(text: str, t: Tokens, r: Rules) -> list[Mention]:
    """What `r.foreign_re.finditer(text)` finds, searched only near the dots every match holds.

    A match starts at most FOREIGN_HEAD characters before its first dot and cannot leave the run
    of name characters and dots around it, so one bounded search per dot not yet passed suffices.
    """
    out = []
    done = 0
    for dot in DOT_RE.finditer(text):
        if dot.start() < done:
            continue
        run_end = r.foreign_run_re.match(text, dot.start()).end()
        m = r.foreign_re.search(text, max(done, dot.start() - FOREIGN_HEAD), run_end)
        if m is None:
            done = run_end
            continue
        start = m.start()
        k = bisect_left(t.starts, start)
        while k + 1 < len(t) and t.starts[k] == start and t.ends[k] <= dot.start() and _plain_word(t, k, r):
            k += 1  # 的|发行人|汉斯·迪尚德: particles and common words before the name are none of it
            start = t.starts[k]
        out.append(Mention(start, m.end(), "PERSON", text[start : m.end()], None, "person_foreign"))
        done = m.end()
    return out


def _plain_word(t: Tokens, k: int, r: Rules) -> bool:
    """Token k is a particle or a common word jieba knows, no piece of a name."""
    return t.pos[k] in FUNCTION_POS or (t.pos[k] in COMMON_POS and t.words[k] in r.lexicon and len(t.words[k]) > 1)


DOTTED_PART = 8  # characters of a foreign name's part before its first dot
DOTTED_PART_POS = PERSON_POS | {"z", "eng"}  # 芭芭拉/z: what jieba calls the pieces of a foreign name
DOTTED_BREAK_POS = NAME_BREAK_POS - {"m"}  # 莱/万多/夫斯基: a piece may look like a number word


def _dotted_names(text: str, t: Tokens, r: Rules) -> list[Mention]:
    """Foreign names whose parts a dot joins, read over jieba's words where a character comes right
    before the name (部长芭芭拉·弗兰克林, 宇航员汤姆士·史达福, 研究所马·莱万多夫斯基): each part is the
    words jieba calls a name or transliteration words it did not know, back to the first other word
    and on to a particle, another word or a name's glued tail (科斯/马斯说), none of them a place or a title."""
    out = []
    words, pos, starts, ends, n = t.words, t.pos, t.starts, t.ends, len(t)

    def piece(j: int, head: bool = False, after: bool = False) -> bool:
        w = words[j]
        return (
            (pos[j] not in DOTTED_BREAK_POS or head and len(w) == 1) and w not in r.place_names and w not in r.stop
            and not w.endswith("人") and CJK.fullmatch(w) is not None and r.titles_in_re.search(w) is None
            and (pos[j] in DOTTED_PART_POS or r.translit_re.fullmatch(w) is not None and (
                len(w) == 1 or after or not _known(t, j, r)))
        )

    done = 0
    for dot in DOT_RE.finditer(text):
        p = dot.start()
        k = bisect_left(starts, p)
        if p < done or k == 0 or k + 1 >= n or starts[k] != p or ends[k] != p + 1:
            continue
        j = k - 1
        while j >= 0 and ends[j] == starts[j + 1] and p - starts[j] <= DOTTED_PART and piece(j, j == k - 1):
            j -= 1  # 拉/v·甘地: an initial is one character whatever jieba calls it
        first = j + 1
        if first == k or not (first == k - 1 and len(words[first]) == 1) and not any(
            pos[x] in DOTTED_PART_POS or not _known(t, x, r) for x in range(first, k)
        ):
            continue
        end, stop = k, None
        while end + 1 < n and starts[end + 1] == ends[end] and ends[end + 1] - p <= 2 * DOTTED_PART:
            x = end + 1
            w = words[x]
            if len(w) >= 3 and w[-1] in r.name_tails and w not in r.lexicon and r.translit_re.fullmatch(w[:-1]):
                stop = ends[x] - 1  # 科斯/马斯说: jieba glued 说 to the name
                break
            if w in DOTS and end > k and x + 1 < n and piece(x + 1, after=True):
                end = x
            elif w not in DOTS and piece(x, after=True):
                end = x
            else:
                break
        if end == k and stop is None:
            continue  # nothing of the name after the dot
        last = stop if stop is not None else ends[end]
        if text[last - 1] in r.not_name_last:
            continue  # 尼·伯尔切斯库镇: a place
        out.append(Mention(starts[first], last, "PERSON", text[starts[first] : last], None, "person_dotted"))
        done = last
    return out


def _dotted(t: Tokens, first: int, end: int, r: Rules) -> int:
    """Last token of a name continued after `·` by transliteration tokens (卡洛斯·阿马/特)."""
    words, pos = t.words, t.pos
    while end + 2 < len(words) and words[end + 1] in DOTS and r.translit_re.fullmatch(words[end + 2]):
        end += 2
        while (
            end + 1 < len(words) and t.ends[end + 1] - t.starts[first] <= 16
            and pos[end + 1] not in NAME_BREAK_POS and r.translit_re.fullmatch(words[end + 1])
        ):
            end += 1
    return end


def _next_starts(words: _Words, k: int, prefixes: tuple[str, ...]) -> bool:
    return k < len(words.starts) and words.text.startswith(prefixes, words.starts[k], words.ends[k])


def _one_char_mentions(text: str, t: Tokens, r: Rules) -> list[Mention]:
    """One-character abbreviations: runs like 中美/中日韩, or 渝/俄 in a telling context (来渝, 俄方)."""
    out = []
    words, pos, starts, ends = t.words, t.pos, t.starts, t.ends
    # the only words that can yield one: a one-character name, or 2-6 characters beginning with a
    # country and then a country or a context word (中美, 俄方), or with 来/访… and then a name
    length = t.length
    single = numpy.logical_and(length == 1, t.first & C_ONE_CHAR)
    pair = numpy.logical_and(t.first & t.second & (C_COUNTRY | C_ONE_BEFORE), (length >= 2) & (length <= 6))
    for k in (single | pair).nonzero()[0].tolist():
        word, start = words[k], starts[k]
        run = next((n for n in (3, 2) if len(word) > n and all(c in r.one_countries for c in word[:n])), 0)
        if run and word[run:] in r.one_after:
            for n, c in enumerate(word[:run]):  # 中美关系 美中双方
                name, code = r.one_countries[c]
                out.append(Mention(start + n, start + n + 1, "GPE", name, code, "one_char_run"))
            continue
        if len(word) >= 3:
            head, tail = word[:1], word[1:]
            if head in r.one_countries and head not in r.one_provinces and tail in r.one_after:
                name, code = r.one_countries[head]  # 俄总统
                out.append(Mention(start, start + 1, "GPE", name, code, "one_char_context", tier=1))
            elif head in r.one_before and (found := r.one_provinces.get(tail[0]) or r.one_countries.get(tail[0])) and (
                len(tail) >= 3 and tail[1:] in r.lexicon  # 驻华大使 来华访问, not 对日元
            ):
                out.append(Mention(start + 1, start + 2, "GPE", found[0], found[1], "one_char_context", tier=1))
            if len(word) > 3:
                continue  # 驻华大使 来华访问
        if 2 <= len(word) <= 3 and word not in r.stop and all(c in r.one_countries for c in word) and (
            pos[k] in ONE_CHAR_RUN_POS or _next_starts(words, k + 1, r.one_after)
        ):
            for n, c in enumerate(word):
                name, code = r.one_countries[c]
                out.append(Mention(start + n, start + n + 1, "GPE", name, code, "one_char_run"))
            continue
        head, tail = word[:1], word[1:]
        if len(word) == 2 and tail in r.one_after and head in r.one_countries and word not in r.stop:
            name, code = r.one_countries[head]  # 俄方 美军 中方, not 土方 (earthwork)
            out.append(Mention(start, start + 1, "GPE", name, code, "one_char_context", tier=1))
            continue
        if len(word) == 2 and head in r.one_before and (tail in r.one_countries or tail in r.one_provinces):
            found = r.one_provinces.get(tail) or r.one_countries[tail]  # 访华 来渝 在京
            out.append(Mention(start + 1, ends[k], "GPE", found[0], found[1], "one_char_context", tier=1))
            continue
        if len(word) != 1:
            continue
        prev_word = words[k - 1] if k else ""
        next_word = words[k + 1] if k + 1 < len(words) else ""
        if word in r.one_countries and (next_word in r.one_countries or prev_word in r.one_countries):
            name, code = r.one_countries[word]  # 中/美 两国: a run jieba cut in two
            out.append(Mention(start, ends[k], "GPE", name, code, "one_char_run"))
            continue
        if pos[k] != "ns" and prev_word not in r.one_before and not text.startswith(r.one_after, ends[k]):
            continue
        if next_word == "、" and k + 2 < len(words) and len(after := words[k + 2]) == 1 and \
                after not in r.one_countries and after not in r.one_provinces:
            continue  # 在德、智、体、美: a list of single characters, not places
        if word in r.one_provinces and word not in r.one_countries:
            name, code = r.one_provinces[word]
        elif word in r.one_countries and word not in r.one_provinces:
            name, code = r.one_countries[word]
        else:
            continue  # 苏 新 澳: ambiguous between a country and a province on their own
        out.append(Mention(start, ends[k], "GPE", name, code, "one_char_context"))
    return out


ACTION_POS = frozenset({"v", "p", "d"})  # 入 进 返: a character that acts, before a place word
RUN_POS = frozenset({"ns", "j", "nr", "nz", "nt", "n", "f", "GAZ"})


def _abbreviation_runs(text: str, t: Tokens, r: Rules) -> list[Mention]:
    """Words of 2-3 one-character provinces or rivers (countries are `_one_char_mentions`'):
    青藏|高原, 港澳, 京津冀, 黄淮 name each place, alone or before a `run_after` word."""
    out = []
    starts, n = t.starts, len(t)
    for m in r.run_re.finditer(text):
        s = m.start()
        k = bisect_left(starts, s)
        if k == n or starts[k] != s or t.pos[k] not in RUN_POS:
            continue
        word = t.words[k]
        run = next((word[:j] for j in (3, 2) if j <= m.end() - s and (word[j:] == "" or word[j:] in r.run_after)), None)
        if run is None or word in r.stop or len(set(run)) < len(run) or not all(
            c in r.one_provinces or c in r.one_rivers for c in run
        ):
            continue  # 中美 (countries: `_one_char_mentions`), 鲁美 丹青 (a province and a country), 挪挪
        if run in r.place_names or word in r.place_names or (word == run and word in r.common and t.pos[k] not in ("ns", "j")):
            continue  # 青川 新宁 (counties); a common word made of such characters
        for j, c in enumerate(run):
            if c in r.one_provinces:
                (name, code), label = r.one_provinces[c], "GPE"
            else:
                name, code, label = r.one_rivers[c], None, "LOC"
            out.append(Mention(s + j, s + j + 1, label, name, code, "one_char_run", tier=1))
    return out


def _compound_places(text: str, t: Tokens, r: Rules) -> list[Mention]:
    """A one-character place inside a word of `one_char.compounds` (京剧 华侨 中华民族), where a word
    starts or after a place in the same word (中国京剧)."""
    out = []
    if r.compound_re is None:
        return out
    for m in r.compound_re.finditer(text):
        s = m.start()
        k = bisect_left(t.starts, s + 1) - 1
        if k < 0 or (t.starts[k] != s and text[t.starts[k] : s] not in r.place_names):
            continue  # 北京剧院: 京 ends 北京
        for offset, length, name, code, label in r.compounds[m.group()]:
            out.append(Mention(s + offset, s + offset + length, label, name, code, "one_char_compound"))
    return out


def _stock_names(text: str, t: Tokens, r: Rules) -> list[Mention]:
    """Listed companies' short names before a market cue (北新建材公告, 中油金鸿复牌): four characters
    opening a clause, starting a jieba word, that are no word of jieba's dictionary nor hold a stop word."""
    out = []
    for s in _stock_name_starts(text, r.stock_cues):
        e = s + 4
        name = text[s:e]
        k = bisect_left(t.starts, s)
        if k == len(t) or t.starts[k] != s or name in r.lexicon or name in r.stop:
            continue
        if any(t.words[j] in r.stop or t.pos[j] not in STOCK_NAME_POS for j in range(k, bisect_left(t.starts, e))):
            continue
        out.append(Mention(s, e, "ORG", name, None, "org_stock_name"))
    return out


def _stock_name_starts(text: str, cues: tuple[str, ...]) -> list[int]:
    """Where four Han characters opening a clause (after STOCK_NAME_OPENER or at the start) stand
    right before a cue, in order: found from the cues' few occurrences, as trying a pattern at every
    character cost 1.5% of a run. Two such runs never overlap (the second would open after a Han
    character of the first), so these are exactly what a pattern's non-overlapping scan finds."""
    cue_starts = set()
    for cue in cues:
        at = text.find(cue)
        while at >= 0:
            cue_starts.add(at)
            at = text.find(cue, at + 1)
    return [s for s in sorted(at - 4 for at in cue_starts)
            if s >= 0 and STOCK_NAME_CHARS.fullmatch(text, s, s + 4) and (not s or STOCK_NAME_OPENER.match(text, s - 1))]


def _resolve(cands: list[Mention]) -> list[Mention]:
    """Non-overlapping mentions: higher tier first, then longer, then earlier."""
    taken = bytearray(max((m.end for m in cands), default=0))
    out = []
    for m in sorted(cands, key=lambda m: (-m.tier, m.start - m.end, m.start)):
        if taken.find(1, m.start, m.end) < 0:
            taken[m.start : m.end] = b"\1" * (m.end - m.start)
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def _with_abbreviations(m: Mention, text: str, abbreviations: list[Mention], abbreviation_starts: list[int]) -> Mention:
    """Canonical of a composed name spells out the abbreviations inside it (上合组织秘书处).

    `abbreviations` are the gazetteer hits whose canonical differs from their text, by start."""
    if m.rule.startswith(("org_", "event_", "loc_", "gpe_")) or m.label == "PERSON" or (
        m.canonical != text[m.start : m.end]
    ):
        return m
    lo, hi = bisect_left(abbreviation_starts, m.start), bisect_left(abbreviation_starts, m.end)
    inner = [h for h in abbreviations[lo:hi] if h.end <= m.end]
    if not inner:
        return m
    canonical = ""
    pos = m.start
    for h in sorted(inner, key=lambda h: h.start):
        if h.start >= pos:
            canonical += text[pos : h.start] + h.canonical
            pos = h.end
    return replace(m, canonical=canonical + text[pos : m.end])


# --- context rules over the first resolution ----------------------------------------------------


def _org_context(text: str, t: Tokens, base: list[Mention], r: Rules) -> list[Mention]:
    """Organisations known from their neighbours.

    - a brand followed by a product line or its own name: 腾讯云, 百度智能云, 海尔卡奥斯;
    - the partner of a known organisation: `金康赛力斯与华为`;
    - items of a list closed by `等…企业/平台`: `腾讯云、飞象、海尔卡奥斯、树根互联等知名…平台`;
    - a department right after its organisation: `长治人民医院|宣教|科`, `中央电视台|心连心|艺术团`.
    """
    out = []
    starts = t.starts
    orgs = [m for m in base if m.label == "ORG"]
    for m in orgs:
        k = bisect_left(starts, m.end)
        j = k
        while j < len(t) and starts[j] == (t.ends[j - 1] if j > k else m.end) and t.ends[j] - m.end <= r.sub_unit_max:
            word = t.words[j]
            if (
                t.pos[j] in FUNCTION_POS or t.pos[j] in PERSON_POS or t.pos[j] in ("GAZ", "ns") or not CJK.fullmatch(word)
                or (len(word) == 1 and t.pos[j] == "v")
            ):
                break  # 新华社|莫斯科: a place, not a department; 委员会|系 (is) a verb
            # the suffix alone or a word of 3+ characters ending with it (教导处), not 组队 建团
            if (word in r.sub_units or len(word) >= 3) and word.endswith(r.sub_units) and word not in r.stop:
                out.append(Mention(m.start, t.ends[j], "ORG", text[m.start : t.ends[j]], None, "org_sub_unit", tier=1))
                break
            j += 1
    for m in orgs:
        if m.rule != "org_company":
            continue
        line = next((b for b in BRAND_LINES if text.startswith(b, m.end)), None)
        k = bisect_left(starts, m.end)
        if line:
            end = m.end + len(line)
            out.append(Mention(m.start, end, "ORG", m.canonical + line, None, "org_brand_line", tier=1))
        elif k < len(t) and starts[k] == m.end:
            word = t.words[k]
            if t.pos[k] in NAME_POS - {"GAZ", "ns"} and 2 <= len(word) <= 4 and word not in r.stop:
                out.append(Mention(m.start, t.ends[k], "ORG", text[m.start : t.ends[k]], None, "org_brand_name", tier=1))
    persons = {(m.start, m.end) for m in base if m.label == "PERSON"}
    for m in orgs:
        k = bisect_left(starts, m.start)
        if k >= 2 and t.words[k - 1] in ("与", "和", "同"):
            j = k - 2
            first = None
            while j >= 0 and k - 2 - j < 3 and t.pos[j] != "GAZ" and _name_like(t, j, r):
                first = j
                j -= 1
            if first is not None:
                s, e = starts[first], t.ends[k - 2]
                if 2 <= e - s <= 8 and (s, e) not in persons:  # 斯特罗耶夫和国家杜马: a person
                    out.append(Mention(s, e, "ORG", text[s:e], None, "org_partner", tier=1))
    for tail in ENUMERATION_TAIL.finditer(text):
        line_start = max(text.rfind(c, 0, tail.start()) for c in "，。；：\n…") + 1
        items = text[line_start : tail.start()].split("、")
        if len(items) < 2:
            continue
        # the first item starts after the verbs opening its clause (发挥|工商行政、统计、财政、银行等机构)
        k = bisect_left(starts, line_start)
        while k < len(t) and starts[k] == line_start and t.pos[k] in ACTION_POS and t.ends[k] < line_start + len(items[0]):
            items[0] = items[0][t.ends[k] - line_start :]
            line_start = t.ends[k]
            k += 1
        pos = line_start
        for item in items:
            lead = max((len(b) for b in r.name_breakers if item.startswith(b) and len(item) - len(b) >= 2), default=0)
            pos += lead  # 原|国内贸易部: the word before the name is none of it
            item = item[lead:]
            # a name, not a kind or a task: 煤炭 (a common word), 小硫磺 (小 + noun) and 疫病防控
            # (ending in a verbal noun; 树根互联 ends in a verb) are not organisations
            if (
                2 <= len(item) <= 8 and ENUM_ITEM.fullmatch(item) and item not in r.stop
                and r.lexicon.get(item, "nz") not in COMMON_POS and item[0] not in "小大新老各"
                and r.lexicon.get(item[-2:]) != "vn"
            ):
                out.append(Mention(pos, pos + len(item), "ORG", item, None, "org_enumeration", tier=1))
            pos += len(item) + 1
    return out


def _product_mentions(text: str, t: Tokens, base: list[Mention], r: Rules) -> list[Mention]:
    """Model codes next to a brand or a product noun, and quoted names typed by their context."""
    org_ends = {m.end for m in base if m.label == "ORG"}
    out = []
    prev_end = -1
    for m in r.code_re.finditer(text):
        k = bisect_left(t.starts, m.start())
        head = t.pos[k] if k < len(t) and t.starts[k] == m.start() else None
        if head is None and text[m.start() - 1 : m.start()] not in ("“", '"'):
            continue
        if CJK.match(text, m.start()) and head not in CODE_HEAD_POS:
            continue  # 坦克300, not 成立20
        before = m.start()
        while before > 0 and text[before - 1] in "“”\" ":
            before -= 1
        after = QUOTES_AND_SPACES.match(text, m.end()).end()
        if before in org_ends or before == prev_end or text.startswith(r.code_after, after):
            out.append(Mention(m.start(), m.end(), "PRODUCT", m.group(), None, "product_code", tier=1))
            prev_end = m.end()
    for m in QUOTED.finditer(text):
        name = m.group(1)
        if len(name) > r.quoted_max or name in r.stop:
            continue
        s, e = m.span(1)
        if text.endswith(r.product_before, 0, m.start()) or text.startswith(r.product_after, m.end()) or (
            text[m.start() - 1 : m.start()] in CLAUSE_OPENERS
            and any(v in _clause_after(text, m.end()) for v in r.product_clause)
        ):
            out.append(Mention(s, e, "PRODUCT", name, None, "quoted_product", tier=1))
    return out


def _clause_after(text: str, at: int) -> str:
    """The rest of the clause from `at` (up to ，。；…)."""
    end = CLAUSE_END.search(text, at)
    return text[at : end.start() if end else len(text)]


def _aliases(text: str, base: list[Mention], r: Rules) -> tuple[list[Mention], list[AliasMention]]:
    """Alias definitions after a named entity, and every other mention of each alias."""
    by_end = {m.end: m for m in base}
    defs = []
    for m in r.alias_re.finditer(text):
        full = by_end.get(m.start())
        alias = m.group("alias") or m.group("alias2")
        if full is None or alias == text[full.start : full.end]:
            continue
        defs.append((AliasMention(alias, full.canonical, full.label, full.start, m.end()), m.span()))
    mentions = []
    for d, (ds, de) in defs:
        for m in regex.finditer(regex.escape(d.alias), text):
            if not ds <= m.start() < de:
                mentions.append(Mention(m.start(), m.end(), d.label, d.canonical, None, "alias", tier=2))
    return mentions, [d for d, _ in defs]


def _readings(text: str, base: list[Mention]) -> dict[str, tuple[str, str, str | None, int]]:
    """One reading (label, canonical, kb_id) per name of two or more characters, and how often it
    is found: its most frequent in the document, the earliest on a tie (小丽 a person four times,
    not the place 在小丽的 suggests)."""
    votes: dict[str, Counter] = {}
    for m in base:
        name = text[m.start : m.end]
        if len(name) >= 2 and (m.label not in ("GPE", "LOC") or m.canonical == name):  # not 新建 (Xinjian)
            votes.setdefault(name, Counter())[(m.label, m.canonical, m.kb_id)] += 1
    return {name: (*count.most_common(1)[0][0], count.total()) for name, count in votes.items()}


LISTED_NAME = regex.compile(r"\p{Han}{2,3}")  # a Chinese name in a list of persons (厉无畏、钮小明)
LIST_MARK = "、"


def _listed_persons(text: str, t: Tokens, base: list[Mention], r: Rules) -> list[Mention]:
    """Names in a list of persons, read off a person next to them: 李赣骝、童傅、厉无畏、钮小明.

    An item is a whole list item of two or three characters opening with a surname, no entity,
    stop word, place or common word, and one jieba neither splits across it nor runs beyond it."""
    out = []
    taken = [(m.start, m.end) for m in base]

    def item_at(start: int, end: int) -> bool:
        name = text[start:end]
        k = bisect_left(t.starts, start)
        return (
            LISTED_NAME.fullmatch(name) is not None and name[0] in r.surnames and name not in r.stop
            and name not in r.place_names and name not in r.common
            and k < len(t) and t.starts[k] == start and end in t.ends[k : k + 3]
            and not any(s < end and start < e for s, e in taken)
        )

    for m in base:
        if m.label != "PERSON":
            continue
        end = m.end  # rightwards: 、name、name…
        while text.startswith(LIST_MARK, end):
            stop = next((k for k in range(end + 1, min(len(text), end + 5)) if not CJK.match(text, k)), len(text))
            if not (end + 3 <= stop <= end + 4) or not (stop == len(text) or text[stop] in "、，,。；;）)") \
                    or not item_at(end + 1, stop):
                break
            out.append(Mention(end + 1, stop, "PERSON", text[end + 1 : stop], None, "person_listed"))
            end = stop
        start = m.start  # leftwards: name、name、…person
        while start > 0 and text[start - 1] == LIST_MARK:
            first = next((k for k in range(start - 2, max(-1, start - 6), -1) if not CJK.match(text, k)), -1) + 1
            if not (start - 5 <= first <= start - 3) or not (first == 0 or text[first - 1] in "、，,。；;：:（(") \
                    or not item_at(first, start - 1):
                break
            out.append(Mention(first, start - 1, "PERSON", text[first : start - 1], None, "person_listed"))
            start = first
    return out


def _repeated_mentions(text: str, base: list[Mention], readings: dict, bounds: bytes) -> list[Mention]:
    """Every other occurrence of a name found once in the document (`金康赛力斯` in a caption
    where nothing around it marks it as a name), in its one reading, where it starts or ends a
    jieba word (令|索杰, not 中国 inside 发展中国家)."""
    known = {(m.start, m.end) for m in base}
    repeated = []
    for name, (label, canonical, kb_id, _) in sorted(readings.items()):
        at = text.find(name)
        while at != -1:
            if (at, at + len(name)) not in known and (bounds[at] or bounds[at + len(name)]):
                repeated.append(Mention(at, at + len(name), label, canonical, kb_id, "repeated"))
            at = text.find(name, at + len(name))
    return repeated


def _one_reading(m: Mention, text: str, readings: dict) -> Mention:
    """A mention as the document reads its name: one only context suggested (place_context) takes
    the name's reading, and a person's name with a character glued on (小丽接/回, where 小丽 is
    found more often) loses it."""
    name = text[m.start : m.end]
    reading = readings.get(name)
    if m.rule in CONTEXT_GUESSES and reading and reading[0] != m.label:
        return replace(m, label=reading[0], canonical=reading[1], kb_id=reading[2])
    shorter = readings.get(name[:-1])
    if (
        m.label == "PERSON" and len(name) == 3 and m.rule == "person_surname" and reading and shorter
        and shorter[0] == "PERSON" and shorter[3] > max(reading[3], 2)
    ):
        return replace(m, end=m.end - 1, canonical=shorter[1])
    return m


def tag_text(text: str, words, columns=None) -> tuple[list[Mention], list[AliasMention]]:
    """Entities and alias definitions of `text`, given its jieba `(start, end, pos)` words (and
    their `word_columns`, when a PreparedDoc has them already).

    The rules read the text in simplified script (pipeline.script, same length and offsets), so a
    report of 1954 finds 中國 and 越南民主共和國 as its simplified form would; canonicals are simplified."""
    r = rules()
    text = to_simplified(text)
    starts, ends, pos = map(list, columns or word_columns(words))  # copies: Tokens rewrites them
    arrays = numpy.fromiter(starts, numpy.intp, len(starts)), numpy.fromiter(ends, numpy.intp, len(ends))
    marks = numpy.zeros(len(text) + 1, numpy.uint8)
    marks[arrays[0]] = 1
    marks[arrays[1]] = 1
    bounds = marks.tobytes()
    found = _scan(text, r)
    hits = _gazetteer_hits(text, found, starts, pos, bounds, r)
    tokens = Tokens(text, (starts, ends, pos), arrays, bounds, hits, r)
    cands = (
        hits
        + _token_mentions(tokens, r)
        + _suffix_mentions(text, tokens, {h.end: h.label for h in hits}, r)
        + _person_mentions(text, tokens, _title_ends(found), r)
        + _one_char_mentions(text, tokens, r)
        + _role_names(text, hits, r)
        + _stock_names(text, tokens, r)
        + _abbreviation_runs(text, tokens, r)
        + _compound_places(text, tokens, r)
    )
    base = _resolve(cands)
    cands += _org_context(text, tokens, base, r) + _listed_persons(text, tokens, base, r)
    base = _resolve(cands)
    cands += _product_mentions(text, tokens, base, r)
    base = _resolve(cands)
    alias_mentions, defs = _aliases(text, base, r)
    # the quoted alias inside its own definition is recorded in aliases, not as an entity
    inside = [(d.start, d.end) for d in defs]
    readings = _readings(text, base)
    resolved = _resolve(cands + alias_mentions + _repeated_mentions(text, base, readings, bounds))
    final = _joined_names(text, [
        _one_reading(m, text, readings) for m in resolved
        if not any(s <= m.start and m.end <= e and not (m.start == s) for s, e in inside)
    ])
    abbreviations = sorted((h for h in hits if h.canonical != text[h.start : h.end]), key=lambda h: h.start)
    abbreviation_starts = [h.start for h in abbreviations]
    return [_with_abbreviations(m, text, abbreviations, abbreviation_starts) for m in final], defs


def tag_with_model(text: str, words) -> tuple[list[Mention], list[AliasMention]]:
    """`tag_text` with the trained model (pipeline.ner_model) revising the rules' mentions."""
    from pipeline.ner_model import revise  # the model's module builds on this one

    mentions, defs = tag_text(text, words)
    return revise(text, words, mentions), defs


def find_entities(doc: PreparedDoc, model: bool = False) -> tuple[list[Entity], list[Alias]]:
    """Entities (ids 1..n in start order, raw offsets) and alias definitions of a prepared document.

    `model=True` lets the optional trained model revise the rules' mentions (slower; see ner_model).
    """
    mentions, defs = tag_with_model(doc.text, doc.words) if model else tag_text(doc.text, doc.words, doc.word_columns)
    entities = []
    for m in mentions:
        start, end, raw_text = doc.raw_span(m.start, m.end)
        entities.append(
            Entity(doc.doc_id, len(entities) + 1, doc.sent_id_at(m.start), start, end, raw_text,
                   m.label, m.canonical, m.kb_id, m.rule)
        )
    aliases = {}
    for d in defs:  # an alias defined again (a repeated paragraph) keeps its first definition
        if d.alias not in aliases:
            start, end, _ = doc.raw_span(d.start, d.end)
            aliases[d.alias] = Alias(doc.doc_id, d.alias, d.canonical, d.label, start, end)
    return entities, list(aliases.values())


def text_words(text: str) -> list[tuple[int, int, str]]:
    """The project's jieba words of `text` as (start, end, pos), for callers without a PreparedDoc."""
    from pipeline.segment import tagger

    out = []
    pos = 0
    for word, tag in tagger()(to_simplified(text)):
        end = pos + len(word)
        if not word.isspace():
            out.append((pos, end, tag))
        pos = end
    return out


def spacy_patterns() -> list[dict]:
    """rules/entity_patterns.jsonl as plain spaCy SpanRuler/EntityRuler patterns."""
    return [{"id": p["id"], "label": p["label"], "pattern": p["pattern"]} for p in rules().phrase_patterns]
