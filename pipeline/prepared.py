"""The repaired, segmented document every extraction stage reads.

Stages scan `text` (the repaired sentences joined by "\\n", so no pattern crosses a sentence) with
precompiled patterns and turn a match `[s, e)` into raw offsets with `raw_span`, which keeps
`raw[start:end] == text` true for every row whatever the repair moved.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

from pipeline.records import Sentence

SENTENCE_SEPARATOR = "\n"


@dataclass(frozen=True)
class PreparedDoc:
    doc_id: str
    raw: str
    text: str
    offsets: array  # offsets[i] is the raw index of text[i]
    sentences: tuple[Sentence, ...]
    sent_starts: tuple[int, ...]  # where each sentence begins in `text`
    anchor: str | None = None  # document date (YYYY-MM-DD, YYYY-MM or YYYY) relative times resolve to
    words: tuple[tuple[int, int, str], ...] = field(default=())  # (start, end, pos) in `text`

    def sent_id_at(self, pos: int) -> int:
        """Id of the sentence holding `text[pos]`."""
        return self.sentences[bisect_right(self.sent_starts, pos) - 1].sent_id

    def sentence_bounds(self, sent_id: int) -> tuple[int, int]:
        """`[start, end)` of a sentence in `text`."""
        start = self.sent_starts[sent_id]
        return start, start + len(self.sentences[sent_id].text)

    def raw_span(self, start: int, end: int) -> tuple[int, int, str]:
        """Raw `(start, end, raw_text)` of the repaired span `text[start:end]`."""
        raw_start = self.offsets[start]
        raw_end = self.offsets[end - 1] + 1
        if raw_end < raw_start:  # a span across a moved caption: keep the part before it
            raw_end = raw_start + 1
        return raw_start, raw_end, self.raw[raw_start:raw_end]
