"""Word segmentation with jieba (as a spaCy tokenizer too: pipeline/spacy_components.py).

Two backends share jieba's dictionary and algorithm: `rjieba` (jieba-rs, the fast default) and
`jieba` (the pure-Python reference). Both load the project's user dictionary
(`rules/userdict.txt`: domain terms and unit words) and tag each token the way jieba-rs does: the
dictionary's POS tag, else m/eng/x for an unknown word. (jieba.posseg re-segments unknown words
with its own HMM and splits `5%`, so it is not the same segmentation.)
"""

from __future__ import annotations

import logging
import warnings
import operator
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from itertools import repeat, starmap
from pathlib import Path

import numpy
import regex

from pipeline.script import to_simplified
from pipeline.prepared import PreparedDoc
from pipeline.records import Token

SEGMENTERS = ("rjieba", "jieba")
_FIRST = operator.itemgetter(0)
DEFAULT_SEGMENTER = "rjieba"
USER_DICT = Path(__file__).resolve().parent.parent / "rules" / "userdict.txt"


def load_user_dict(path: Path = USER_DICT) -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) entries of a jieba-format user dictionary; '#' starts a comment."""
    entries = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) > 3 or (len(parts) > 1 and not parts[1].isdigit()):
            raise ValueError(f"{path}:{number}: expected 'word [freq] [tag]', got {line!r}")
        if parts[0] in seen:
            raise ValueError(f"{path}:{number}: duplicate word {parts[0]!r}")
        seen.add(parts[0])
        entries.append((parts[0], int(parts[1]) if len(parts) > 1 else None,
                        parts[2] if len(parts) > 2 else None))
    return entries


def _unknown_word_tag(word: str) -> str:
    """jieba-rs's tag for a word missing from the dictionary: m (digits), eng (ASCII) or x."""
    ascii_alnum = [char for char in word if char.isascii() and char.isalnum()]
    if not ascii_alnum:
        return "x"
    return "m" if all(char.isdigit() for char in ascii_alnum) else "eng"


@cache
def _backend(segmenter: str) -> tuple[Callable[[str], list[tuple[str, str]]], dict[str, str]]:
    """The backend's text -> [(word, pos)] with the user dictionary loaded (built once), and the
    user tags it does not apply itself: jieba-rs keeps the main dictionary's tag of a known word."""
    if segmenter == "rjieba":
        import rjieba

        backend = rjieba.Jieba()
        retagged: dict[str, str] = {}
        for word, freq, tag in load_user_dict():
            backend.add_word(word, freq, tag)
            if tag and backend.tag(word) != [(word, tag)]:
                retagged[word] = tag
        return backend.tag, retagged
    return tagger(segmenter), {}


@cache
def tagger(segmenter: str = DEFAULT_SEGMENTER) -> Callable[[str], list[tuple[str, str]]]:
    """A function text -> [(word, pos)], with the user dictionary loaded (built once per backend)."""
    if segmenter == "rjieba":
        tag, retagged = _backend(segmenter)
        if not retagged:
            return tag

        def tag_with_user_tags(text: str) -> list[tuple[str, str]]:
            return [(word, retagged.get(word, pos)) for word, pos in tag(text)]

        return tag_with_user_tags
    if segmenter == "jieba":
        with warnings.catch_warnings():  # jieba imports the deprecated pkg_resources
            warnings.simplefilter("ignore", UserWarning)
            import jieba
            import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        for word, freq, tag in load_user_dict():
            tokenizer.add_word(word, freq, tag)
        posseg = jieba.posseg.POSTokenizer(tokenizer)
        posseg.makesure_userdict_loaded()
        tags = posseg.word_tag_tab

        def tag_words(text: str) -> list[tuple[str, str]]:
            return [(word, tags.get(word) or _unknown_word_tag(word)) for word in tokenizer.cut(text)]

        return tag_words
    raise ValueError(f"unknown segmenter {segmenter!r}; choose one of {', '.join(SEGMENTERS)}")


@cache
def make_nlp(segmenter: str = DEFAULT_SEGMENTER):
    """A blank `zh` spaCy pipeline whose tokenizer is jieba (no model is downloaded); spaCy is
    imported only here (see pipeline/spacy_components.py)."""
    import spacy

    tagger(segmenter)  # fail early on an unknown backend
    config = {"nlp": {"tokenizer": {"@tokenizers": "zhfacts.jieba_tokenizer.v1",
                                    "segmenter": segmenter}}}
    return spacy.blank("zh", config=config)


NAME_POS = ("nr", "ns", "nt", "nz")
_DATE_UNIT = regex.compile(r"(?<=[0-9０-９])[年月日](?=\p{Han}{2})")  # ７月２１日|蓝星…


def _cut_date_units(tag, text: str, words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """jieba's HMM glues a date's unit to the name after it (７月２１日|蓝星石油 → `日蓝星`, 石油): the
    unit and the name as words of their own, when the rest alone is tagged a name."""
    for unit in _DATE_UNIT.finditer(text):
        i = bisect_left(words, unit.start(), key=_FIRST)
        if i == len(words) or words[i][0] != unit.start() or words[i][1] - words[i][0] < 3:
            continue
        start, end, _pos = words[i]
        rest = tuple(tag(text[start + 1:end]))
        if len(rest) == 1 and rest[0][1][:2] in NAME_POS:
            words[i:i + 1] = [(start, start + 1, "m"), (start + 1, end, rest[0][1])]
    return words


def segment(doc: PreparedDoc, segmenter: str = DEFAULT_SEGMENTER) -> PreparedDoc:
    """Attach jieba's words to a prepared document, as (start, end, pos) in its text.

    Traditional characters are read in their simplified form (pipeline.script: same length), so
    jieba's simplified dictionary segments a report of 1954 as it would a recent one."""
    tag, retagged = _backend(segmenter)
    user_tag = retagged.get  # applied here, in the one pass over the words, not in a second one
    words = []
    position = 0
    for word, pos in tag(to_simplified(doc.text)):
        end = position + len(word)
        if not word.isspace():
            words.append((position, end, user_tag(word, pos)))
        position = end
    return replace(doc, words=tuple(_cut_date_units(tag, doc.text, words)), segmenter=segmenter)


@dataclass(frozen=True)
class TokenColumns:
    """The Token rows of one document, column by column: a corpus has millions of tokens, too
    many to build one record each on the hot path. Iterating yields Token records."""

    doc_id: str
    sent_id: list[int]
    tok_id: list[int]
    start: list[int]
    end: list[int]
    text: list[str]
    pos: tuple[str, ...]

    def rows(self) -> Iterator[tuple]:
        """Tuples in CSV column order."""
        return zip(repeat(self.doc_id), self.sent_id, self.tok_id, self.start, self.end,
                   self.text, self.pos)

    def __iter__(self) -> Iterator[Token]:
        return starmap(Token, self.rows())

    def __len__(self) -> int:
        return len(self.pos)


def tokens(doc: PreparedDoc) -> TokenColumns:
    """Token rows (raw offsets), numbered from 0 within each sentence."""
    if not doc.words:
        return TokenColumns(doc.doc_id, [], [], [], [], [], ())
    count = len(doc.words)
    word_starts, word_ends, word_tags = doc.word_columns
    # one array of the starts for both uses below (a list would be converted twice)
    starts = numpy.array(word_starts, dtype=numpy.int64)
    ends = numpy.array(word_ends, dtype=numpy.int64)
    tags = tuple(word_tags)
    offsets = numpy.frombuffer(doc.offsets, dtype=numpy.int64)
    raw_starts = offsets[starts]
    raw_ends = numpy.maximum(offsets[ends - 1] + 1, raw_starts + 1)
    sent_ids = numpy.searchsorted(doc.sent_starts, starts, side="right") - 1
    tok_ids = numpy.arange(count) - numpy.searchsorted(sent_ids, sent_ids, side="left")
    raw_starts, raw_ends = raw_starts.tolist(), raw_ends.tolist()
    raw = doc.raw
    texts = [raw[start:end] for start, end in zip(raw_starts, raw_ends)]  # a third faster than map(slice)
    return TokenColumns(doc.doc_id, sent_ids.tolist(), tok_ids.tolist(), raw_starts, raw_ends,
                        texts, tags)
