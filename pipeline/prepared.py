"""The repaired, segmented document every extraction stage reads.

Stages scan `text` (the repaired sentences joined by "\\n", so no pattern crosses a sentence) with
precompiled patterns and turn a match `[s, e)` into raw offsets with `raw_span`, which keeps
`raw[start:end] == text` true for every row whatever the repair moved.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

import numpy
import regex

from pipeline.records import Sentence

SENTENCE_SEPARATOR = "\n"
CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?…\n]")  # where a clause ends; re: a plain class scans faster than with regex
# A sentence's end followed by `?`: where a SogouCS record lost its paragraph indent (　　) to a byte
# shifted in decoding (…大嚼起来。?Ｓ⒐?《每日电讯报》…): the records run their paragraphs into one line.
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
_LOST_PARAGRAPH_MARK = regex.compile(r"[。！？!”」』）)]\?\s*$")


def word_columns(words) -> tuple[list[int], list[int], list[str]]:
    """(starts, ends, tags) of `(start, end, pos)` words."""
    return list(map(_FIRST, words)), list(map(_SECOND, words)), list(map(_THIRD, words))


@dataclass(frozen=True)
class PreparedDoc:
    doc_id: str
    raw: str
    text: str
    offsets: array  # offsets[i] is the raw index of text[i] (-1 for a sentence separator)
    sentences: tuple[Sentence, ...]
    sent_starts: tuple[int, ...]  # where each sentence begins in `text`
    anchor: str | None = None  # document date (YYYY-MM-DD, YYYY-MM or YYYY) relative times resolve to
    title: str | None = None
    genre: str | None = None  # as the metadata gives it; claims infer it when absent
    segmenter: str = "rjieba"  # the backend that made `words`; later stages tag fragments with it
    words: tuple[tuple[int, int, str], ...] = field(default=())  # (start, end, pos) in `text`

    @cached_property
    def paragraph_numbers(self) -> list[int]:
        """Paragraph number of each sentence: a new one after a line break, a lost paragraph mark or
        at a non-body line."""
        numbers, number, previous = [], 0, None
        for sentence in self.sentences:
            if previous is not None and (sentence.kind != "body" or previous.kind != "body"
                                         or "\n" in self.raw[previous.end:sentence.start]
                                         or _LOST_PARAGRAPH_MARK.search(self.raw, previous.start, sentence.start)):
                number += 1
            numbers.append(number)
            previous = sentence
        return numbers

    @cached_property
    def paragraph_starts(self) -> list[int]:
        """Where each paragraph after the first begins in `text`."""
        numbers = self.paragraph_numbers
        return [self.sent_starts[i] for i in range(1, len(numbers)) if numbers[i] != numbers[i - 1]]

    @cached_property
    def word_columns(self) -> tuple[list[int], list[int], list[str]]:
        """`words` column by column (starts, ends, tags), built once for the two stages that read
        them so (the entity rules, the token rows). Shared: copy a column to change it."""
        return word_columns(self.words)

    def sent_id_at(self, pos: int) -> int:
        """Id of the sentence holding `text[pos]`."""
        return self.sentences[bisect_right(self.sent_starts, pos) - 1].sent_id

    def sentence_bounds(self, sent_id: int) -> tuple[int, int]:
        """`[start, end)` of a sentence in `text`."""
        start = self.sent_starts[sent_id]
        return start, start + len(self.sentences[sent_id].text)

    @cached_property
    def _text_index(self) -> numpy.ndarray:
        index = numpy.full(len(self.raw) + 1, -1, dtype=numpy.int64)
        positions = numpy.frombuffer(self.offsets, dtype=numpy.int64)
        keep = positions >= 0  # sentence separators map nowhere
        index[positions[keep]] = numpy.arange(len(self.offsets), dtype=numpy.int64)[keep]
        return index

    def text_span(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        """`[start, end)` in `text` of a row's raw span (the inverse of `raw_span`)."""
        index = self._text_index
        start = int(index[raw_start])
        last = int(index[raw_end - 1])
        return start, (last + 1 if last >= start else start + (raw_end - raw_start))

    def text_spans(self, raw_starts: list[int], raw_ends: list[int]) -> list[tuple[int, int]]:
        """`text_span` of many rows at once (a document has thousands)."""
        if not raw_starts:
            return []
        index = self._text_index
        starts, ends = numpy.asarray(raw_starts, dtype=numpy.int64), numpy.asarray(raw_ends, dtype=numpy.int64)
        first, last = index[starts], index[ends - 1]
        stops = numpy.where(last >= first, last + 1, first + (ends - starts))
        return list(zip(first.tolist(), stops.tolist()))

    def raw_span(self, start: int, end: int) -> tuple[int, int, str]:
        """Raw `(start, end, raw_text)` of the repaired span `text[start:end]`."""
        raw_start = self.offsets[start]
        raw_end = self.offsets[end - 1] + 1
        if raw_end < raw_start:  # a span across a moved caption: keep the part before it
            raw_end = raw_start + 1
        return raw_start, raw_end, self.raw[raw_start:raw_end]
