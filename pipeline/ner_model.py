"""An optional trained entity tagger: a character CRF that reads the rules' output as features.

The rules find names from data (gazetteers, suffixes, titles); where they stop short is names no
list holds and conventions a suffix cannot decide (周恩来 is a time word to jieba, 桥本 a noun,
西藏自治区科协 one organisation). A linear-chain CRF over characters, given each character and its
neighbours, its jieba word and tag, and the B/I label the rules gave it, learns from annotated news
when to keep, extend, relabel or add a mention. `make train-ner` (`python -m pipeline.ner_model`)
trains it in about six minutes from ../shared with a fixed configuration (L-BFGS is
deterministic) into rules/models/ner.crfsuite (under 2 MB), only ever loaded from there.

Training data: the People's Daily NER dev set, counted twice (the conventions scored: 代表团 and
海军 are organisations there; held out by halves it gained 0.4-1.3 F1), and People's Daily,
January 1998, with gold POS (pku98-pos/, all three files), read as People's Daily NER reads it:
nr (nrf+nrg joined) PER, ns LOC, nt ORG, a bracketed [..]nt/[..]ns compound one ORG/LOC except
[美国 政府] and [西北 地区] (the place alone) and an organisation after a chain of places
(河南省 | 郑州市二七司法培训学校: it starts at the last), a one-character country or province
abbreviation (中/j 美/j) LOC, and 老张/胡老 the surname alone. Where that tagset is silent on what
the NER sets mark (十五大 and 欧盟 are `j`, 东北 `f`), the rules' own mentions stand in. Sentences
and paragraphs sharing any 16-character stretch with a test set (PD NER test, MSRA test) are
dropped first, so no test sentence is ever trained on, and PKU98 paragraphs sharing one with PD
dev as well (PD dev is learnt in its own conventions). The model's PD dev figure is therefore
in-sample: `python -m pipeline.ner_eval --cross-validate` (make ner-cv) measures it held out.
BosonNLP (2,000 paragraphs) was tried as well and lowered PD dev F1 by 1.5 points: its spans
follow other conventions (whole addresses as one location), so it is not used.

CRFsuite rather than a spaCy NER: the CRF takes arbitrary features (jieba tags, the rules' labels),
trains in minutes on one core, and a character CNN trained here on Boson and CLUENER had scored
0.45 on PD dev. It runs inside the `zhfacts_entities` pipe with `model=True`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import compress, takewhile
from pathlib import Path
from typing import NamedTuple

import pycrfsuite

from pipeline.entities import RULES_DIR, Mention, Rules, rules, tag_text, text_words

MODEL_PATH = RULES_DIR / "models" / "ner.crfsuite"
INFO_PATH = RULES_DIR / "models" / "ner.json"  # what it was trained on, and the rules it saw
MODEL_INPUTS = (RULES_DIR / "entities.yaml", RULES_DIR / "entity_patterns.jsonl", RULES_DIR / "userdict.txt")
BENCH = RULES_DIR.parent.parent / "shared" / "benchmarks"
PKU98_FILES = ("pku98-pos/199801-sample-test.txt", "pku98-pos/199801-sample-valid.txt", "pku98-pos/199801-test.txt")
PD_DEV_FILE = "peoples-daily-ner/example.dev"
HELD_OUT_FILES = ("peoples-daily-ner/example.test", "msra-ner/testright1.txt")  # scored, never trained on
# PD dev sentences count twice: they are the conventions scored. Held out by halves (pipeline.ner_eval
# --cross-validate), weight 2 gained as much as 4 and more than 1.
PD_DEV_WEIGHT = 2
OVERLAP = 16  # characters a training paragraph may share with an evaluation sentence: fewer
RULE_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
MODEL_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}
# What the model may not revise: labels it was never taught, names the document defines (aliases),
# curated patterns and the brand names built on them (海尔卡奥斯), and development zones (高新区,
# 科学城), which 1998 news never named. Measured on PD dev / MSRA test: -0.1 / +0.1 F1.
PROTECTED_LABELS = frozenset({"EVENT", "PRODUCT"})
PROTECTED_RULES = frozenset({"alias", "org_brand_line", "org_brand_name", "suffix_zone"})
MSRA_TAGS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
PKU_LABELS = {"nr": "PER", "nrf": "PER", "nrg": "PER", "ns": "LOC", "nt": "ORG"}
PKU_SPLIT_HEADS = frozenset({"政府", "地区"})  # [美国/ns 政府/n]nt: People's Daily NER marks 美国 alone
# L-BFGS with elastic-net regularisation (c1 0.2 scored lower on PD dev, as did dropping features
# seen once); 300 iterations add a little over 150 for twice the time. Deterministic.
TRAIN_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 300, "feature.possible_transitions": True}
SEED = 1998
SENTENCE_END = re.compile(r"(?<=[。！？；])")
PKU_TOKEN = re.compile(r"^(\[?)(.+?)/([a-zA-Z]+)(?:\]/?([a-zA-Z]*))?$")  # [中国/ns 政府/n]nt or ]/nt
PKU_PARAGRAPH_ID = re.compile(r"^\d{8}-\d+-\d+-\d+/m$")
PINYIN = re.compile(r"\{[a-z0-9]+\}")

Span = tuple[int, int, str]
Example = tuple[str, list[Span]]


class TrainingSentence(NamedTuple):
    text: str
    spans: list[Span]
    complete: bool  # marks every name as People's Daily NER does; else the rules fill in (_targets)


# --- features ----------------------------------------------------------------------------------


def _bio(length: int, spans: Iterable[Span]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        if any(t != "O" for t in tags[start:end]):
            continue  # nested or overlapping: the first (longest, as given) wins
        tags[start] = "B-" + label
        for i in range(start + 1, end):
            tags[i] = "I-" + label
    return tags


def _rule_spans(mentions: list[Mention]) -> list[Span]:
    spans = [(m.start, m.end, RULE_LABELS.get(m.label, "OTHER")) for m in mentions]
    return sorted(spans, key=lambda s: (s[0], s[0] - s[1]))


def features(text: str, words: list[tuple[int, int, str]], mentions: list[Mention]) -> list[list[str]]:
    """Per character: itself and neighbours, its jieba word and tag, and the rules' B/I label."""
    n = len(text)
    r = rules()
    word_pos = ["x"] * n
    word_shape = ["S"] * n
    word_text = [""] * n
    prev_pos = ["^"] * n
    next_pos = ["$"] * n
    for k, (start, end, tag) in enumerate(words):
        before = words[k - 1][2] if k else "^"
        after = words[k + 1][2] if k + 1 < len(words) else "$"
        word = text[start:end] if end - start <= 4 else ""
        for i in range(start, end):
            word_pos[i] = tag
            word_text[i] = word
            prev_pos[i] = before
            next_pos[i] = after
            word_shape[i] = "S" if end - start == 1 else "B" if i == start else "E" if i == end - 1 else "M"
    rule_tags = _bio(n, _rule_spans(mentions))
    padded = "^^" + text + "$$"
    out = []
    for i in range(n):
        c = i + 2
        char = padded[c]
        shape, tag = word_shape[i], word_pos[i]
        feats = [
            "c=" + char,
            "c-1=" + padded[c - 1],
            "c+1=" + padded[c + 1],
            "c-2=" + padded[c - 2],
            "c+2=" + padded[c + 2],
            "b-=" + padded[c - 1 : c + 1],
            "b+=" + padded[c : c + 2],
            "t-=" + padded[c - 2 : c + 1],
            "t+=" + padded[c : c + 3],
            "w=" + shape + tag,
            "wp=" + prev_pos[i] + "|" + next_pos[i],
            "r=" + rule_tags[i],
            "r-=" + (rule_tags[i - 1] if i else "^"),
            "r+=" + (rule_tags[i + 1] if i + 1 < n else "$"),
        ]
        if word_text[i]:
            feats.append("ww=" + word_text[i])
        if char in r.surnames:
            feats.append("surname")
        if char in r.given_chars:
            feats.append("given")
        out.append(feats)
    return out


def bio_spans(tags: list[str]) -> list[Span]:
    """(start, end, label) of a BIO sequence; an I- after O or another label starts a span."""
    spans = []
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        inside = tag.startswith("I-") and tag[2:] == label
        if start is not None and not inside:
            spans.append((start, i, label))
            start, label = None, None
        if tag != "O" and not inside:
            start, label = i, tag[2:]
    return spans


# --- training data -----------------------------------------------------------------------------


def _pku_paragraph(line: str, r: Rules) -> Example | None:
    """A PKU98 `word/TAG` paragraph (either file flavour) as text and PER/ORG/LOC spans."""
    text = ""
    spans: list[Span] = []
    bracket_start = bracket_spans = None
    previous = None  # (start, tag) of the last token, to join a surname with its given name
    items = line.split()
    if items and PKU_PARAGRAPH_ID.match(items[0]):
        items = items[1:]
    for item in items:
        m = PKU_TOKEN.match(item)
        if not m:
            return None
        opens, word, tag, closing = m.group(1), PINYIN.sub("", m.group(2)), m.group(3), m.group(4)
        if opens:
            bracket_start, bracket_spans = len(text), len(spans)
        start = len(text)
        text += word
        label = PKU_LABELS.get(tag)
        if tag.startswith("j") and (word in r.one_countries or word in r.one_provinces):
            label = "LOC"
        if tag == "nr" and (honoured := _honoured_surname(word, r)):
            start += word.index(honoured)  # 老张 胡老: People's Daily NER marks the surname alone
            spans.append((start, start + 1, label))
        elif label:
            if tag == "nrg" and previous and previous[1] == "nrf" and spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], len(text), "PER")
            else:
                spans.append((start, len(text), label))
        previous = (start, tag)
        if closing is not None and bracket_start is not None:
            compound = PKU_LABELS.get(closing)
            if compound in ("ORG", "LOC") and word not in PKU_SPLIT_HEADS:
                spans[bracket_spans:] = _compound(spans[bracket_spans:], bracket_start, len(text), compound)
            bracket_start = None
    return (text, spans) if text else None


def _compound(inner: list[Span], start: int, end: int, label: str) -> list[Span]:
    """A bracketed [..]nt/[..]ns compound as one span, but an organisation after a chain of places
    starts at the last of them (河南省 | 郑州市二七司法培训学校), as People's Daily NER marks it."""
    if label == "ORG":
        leading = list(takewhile(lambda sp: sp[2] == "LOC", inner))
        chained = [sp for k, sp in enumerate(leading) if sp[0] == (leading[k - 1][1] if k else start)]
        if len(chained) >= 2 and len(chained) == len(leading):
            return [*chained[:-1], (chained[-1][0], end, label)]
    return [(start, end, label)]


def _honoured_surname(word: str, r: Rules) -> str | None:
    """The surname of 老张 小赵 胡老 张总 (not of 小平, a given name)."""
    if len(word) == 2 and word[0] in "老小" and word[1] in r.surnames:
        return word[1]
    if len(word) == 2 and word[1] in "老总" and word[0] in r.surnames:
        return word[0]
    return None


def _sentences(text: str, spans: list[Span]) -> Iterator[Example]:
    """Split a paragraph after 。！？； keeping only spans inside one sentence."""
    start = 0
    for piece in SENTENCE_END.split(text):
        end = start + len(piece)
        if piece.strip():
            yield piece, [(s - start, e - start, lab) for s, e, lab in spans if start <= s and e <= end]
        start = end


def load_bio(path: Path) -> list[tuple[str, set[Span]]]:
    """Char-per-line `c TAG` BIO file (People's Daily NER), sentences separated by blank lines."""
    sentences = []
    chars: list[str] = []
    tags: list[str] = []
    for line in [*path.read_text(encoding="utf-8").split("\n"), ""]:
        if not line.strip():
            if chars:
                sentences.append(("".join(chars), set(bio_spans(tags))))
                chars, tags = [], []
            continue
        chars.append(line[0])
        tags.append(line.rsplit(" ", 1)[-1])
    return sentences


def load_msra(path: Path) -> list[tuple[str, set[Span]]]:
    """SIGHAN-2006 MSRA `segment/tag` lines (nr, ns, nt, o), one sentence a line."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = ""
        spans = set()
        for item in line.split():
            segment, _, tag = item.rpartition("/")
            if tag in MSRA_TAGS:
                spans.add((len(text), len(text) + len(segment), MSRA_TAGS[tag]))
            text += segment
        if text:
            sentences.append((text, spans))
    return sentences


def load_gold(name: str) -> list[tuple[str, set[Span]]]:
    """A gold file under ../shared/benchmarks: MSRA's format or People's Daily NER's BIO."""
    return (load_msra if name.startswith("msra") else load_bio)(BENCH / name)


def _windows(text: str) -> Iterator[str]:
    """Every OVERLAP-character stretch of `text` (the text itself when shorter)."""
    return (text[i : i + OVERLAP] for i in range(max(1, len(text) - OVERLAP + 1)))


def _grams(files: Iterable[str]) -> set[str]:
    """Every OVERLAP-character stretch of the sentences in `files`."""
    return {gram for name in files for text, _ in load_gold(name) for gram in _windows(text)}


def _clean(examples: Iterable[Example], grams: set[str]) -> Iterator[Example]:
    for text, spans in examples:
        if not any(gram in grams for gram in _windows(text)):
            yield text, spans


def pku98_examples() -> Iterator[Example]:
    r = rules()
    for name in PKU98_FILES:
        for line in (BENCH / name).read_text(encoding="utf-8").splitlines():
            paragraph = _pku_paragraph(line, r)
            if paragraph:
                yield paragraph


def pd_dev_examples() -> list[Example]:
    return [(text, sorted(spans, key=lambda s: (s[0], s[0] - s[1]))) for text, spans in load_gold(PD_DEV_FILE)]


def training_sentences(pd_dev: list[Example] | None = None) -> list[TrainingSentence]:
    """Every training sentence in a fixed order: PKU98 and PD dev (or the part of it given).

    PKU98 paragraphs sharing a stretch with PD dev or a held-out set are dropped (the same 1998
    text, in other conventions), as are PD dev sentences sharing one with a held-out set.
    """
    held_out = _grams(HELD_OUT_FILES)
    pku = _clean(pku98_examples(), held_out | _grams([PD_DEV_FILE]))
    out = [TrainingSentence(*s, complete=False) for text, spans in pku for s in _sentences(text, spans)]
    dev = _clean(pd_dev_examples() if pd_dev is None else pd_dev, held_out)
    out += [TrainingSentence(text, spans, complete=True) for text, spans in dev] * PD_DEV_WEIGHT
    random.Random(SEED).shuffle(out)
    return out


def _targets(gold: list[Span], rule_spans: list[Span], complete: bool = False) -> list[Span]:
    """The gold spans as People's Daily NER would mark them, with the rules' help (PD's own, complete, as they are).

    The 1998 tagset leaves untagged what the NER sets mark (十五大 and 欧盟 are `j`, 东北 `f`,
    邓小平理论 one noun): there a rule's PER/ORG/LOC span stands in. And it marks 印尼/ns 女队 and
    埃及/ns 金字塔报 where the NER sets, and the rules, see one organisation: a rule's ORG span
    that wholly contains gold places (and cuts no other gold span) replaces them.
    """
    if complete:
        return gold
    gold = list(gold)
    for span in rule_spans:
        if span[2] != "ORG":
            continue
        inside = [g for g in gold if span[0] <= g[0] and g[1] <= span[1] and g != span]
        if inside and all(g[2] == "LOC" for g in inside) and not any(
            g[0] < span[1] and span[0] < g[1] for g in gold if g not in inside
        ):
            gold = [g for g in gold if g not in inside] + [span]
    silver = [s for s in rule_spans if s[2] != "OTHER" and not any(g[0] < s[1] and s[0] < g[1] for g in gold)]
    return sorted(gold + silver, key=lambda s: (s[0], s[0] - s[1]))


def train(sentences: list[TrainingSentence], path: Path = MODEL_PATH) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for text, spans, complete in sentences:
        words = text_words(text)
        mentions, _ = tag_text(text, words)
        trainer.append(features(text, words, mentions), _bio(len(text), _targets(spans, _rule_spans(mentions), complete)))
    trainer.set_params(TRAIN_PARAMS)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


# --- tagging -----------------------------------------------------------------------------------


def entity_rules_sha256() -> str:
    """What the model's features depend on besides code: entity rules, gazetteers, jieba's user words."""
    digest = hashlib.sha256()
    for path in [*MODEL_INPUTS, *sorted((RULES_DIR / "gazetteers").glob("*.tsv"))]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=2)
def tagger(path: Path = MODEL_PATH) -> pycrfsuite.Tagger:
    if not path.exists():
        raise FileNotFoundError(f"{path}: no trained entity model; run `make train-ner`")
    t = pycrfsuite.Tagger()
    t.open(str(path))
    return t


def model_spans(text: str, words, mentions: list[Mention], path: Path = MODEL_PATH) -> list[Span]:
    """PER/ORG/LOC spans the trained model finds in `text`, given the words and the rules' mentions."""
    return bio_spans(tagger(path).tag(features(text, words, mentions))) if text else []


def _coverage(length: int, spans: Iterable[tuple]) -> bytearray:
    """1 at every character inside one of `spans` ((start, end, ...) tuples)."""
    covered = bytearray(length)
    for start, end, *_ in spans:
        covered[start:end] = b"\1" * (end - start)
    return covered


@lru_cache(maxsize=1)
def _pattern_ids() -> frozenset[str]:
    return frozenset(p["id"] for p in rules().phrase_patterns)


def _protected(m: Mention) -> bool:
    return m.label in PROTECTED_LABELS or m.rule in PROTECTED_RULES or m.rule in _pattern_ids()


def revise(text: str, words, mentions: list[Mention], path: Path = MODEL_PATH) -> list[Mention]:
    """The rules' mentions as the model revises them: its spans, and the rules' where it has none.

    Protected mentions (see PROTECTED_RULES) stay and the model's spans overlapping them are
    dropped. A model span the rules found too (same place, same label) keeps the rules' canonical
    name, code and rule; a new one is PERSON, ORG, or GPE/LOC as the gazetteers say, with rule
    `ner_model`.
    """
    r = rules()
    protected = list(map(_protected, mentions))
    kept = list(compress(mentions, protected))
    fixed = _coverage(len(text), ((m.start, m.end) for m in kept))
    found = [s for s in model_spans(text, words, mentions, path) if fixed.find(1, s[0], s[1]) == -1]
    revised = _coverage(len(text), found)
    out = kept + [
        m for m, fixed_by_rules in zip(mentions, protected)
        if not fixed_by_rules and revised.find(1, m.start, m.end) == -1
    ]
    by_span = {(m.start, m.end): m for m in mentions}
    for start, end, label in found:
        m = by_span.get((start, end))
        if m is not None and RULE_LABELS.get(m.label) == label:
            out.append(m)
            continue
        name = text[start:end]
        known = r.names.get(name)
        one_char = r.one_provinces.get(name) or r.one_countries.get(name)  # 渝 -> 重庆, 500000
        if label == "LOC" and known and known[1] in ("GPE", "LOC"):
            out.append(Mention(start, end, known[1], known[2], known[3], "ner_model"))
        elif label == "LOC" and one_char:
            out.append(Mention(start, end, "GPE", one_char[0], one_char[1], "ner_model"))
        else:
            out.append(Mention(start, end, MODEL_LABELS[label], name, None, "ner_model"))
    return sorted(out, key=lambda m: (m.start, -m.end))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="train the optional entity model (make train-ner)")
    parser.parse_args(argv)
    sentences = training_sentences()
    train(sentences)
    info = {
        "sentences": len(sentences),
        "characters": sum(len(s.text) for s in sentences),
        "sources": [*PKU98_FILES, PD_DEV_FILE],
        "pd_dev_weight": PD_DEV_WEIGHT,
        "params": TRAIN_PARAMS,
        "entity_rules_sha256": entity_rules_sha256(),
    }
    INFO_PATH.write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{MODEL_PATH}: trained on {info['sentences']} sentences, {info['characters']} characters")


if __name__ == "__main__":
    main()
