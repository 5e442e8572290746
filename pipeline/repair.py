"""Repair newspaper layout damage and split sentences, keeping a map back to the raw text.

Lines are classified as body, heading (short, unpunctuated), caption (`▲…`, `图为…`, ending in
`XX/摄`) or credit (`崔力/摄`). A body line that stops mid-sentence is rejoined with the next body
line, skipping the blank lines, captions and credits that layout dropped in between; the skipped
caption becomes its own sentence. Every character of the repaired text carries its raw offset.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy
import regex

from pipeline.prepared import SENTENCE_SEPARATOR, PreparedDoc
from pipeline.records import Sentence

# A line ends at a newline, at U+E40C (the paragraph mark of SogouCS dumps) or at a newline written
# out as the two characters \n (a JSON export escaped twice, as in the BosonNLP paragraphs).
_LINE = regex.compile(r"(?:(?<=^|[\n\ue40c])|(?<=\\n))(?:[^\n\ue40c\\]|\\(?!n))*")
_SPACE = " \t\r\n\f\v\u3000\ufeff\xa0\u200b\u200c\u200d\u2060"  # with zero-width marks: a line of them is blank
_CREDIT = regex.compile(r"(?:^|(?<=[。！？…”」）)\s\u3000]))[\p{Han}A-Za-z·]{1,8}(?:[、 ][\p{Han}A-Za-z·]{1,8})*\s?/\s?摄(?:影)?$")
# a photographer's credit inside a caption line (…泪水。亚心网记者　李铁军　摄): where the caption ends
_INNER_CREDIT = regex.compile(r"(?<=[。！？…”」）])[\p{Han}A-Za-z]{0,8}?[ \u3000]*[\p{Han}·]{2,4}(?:[、 \u3000][\p{Han}·]{2,4})*[ \u3000]*/?摄(?:影)?")
CAPTION_RUN_ON_CHARS = 20  # what follows a caption's credit on its line is the story when longer than this
_CAPTION_START = regex.compile(r"^(?:▲|△|■|◆|图为|图：|图片：|上图|下图|左图|右图)")
_FINAL_PUNCT = "。！？；…：:!?;"
_CLOSERS = "”’」』）)】》\"'"
_CLAUSE_PUNCT = regex.compile(r"[，、；,]")
_ENUMERATION = regex.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、．.])")
HEADING_MAX_CHARS = 30
NUMBERED_HEADING_MAX_CHARS = 60  # `二、我们在第二个五年计划的第二年——一九五九年经济战线上的任务`
_SENTENCE = regex.compile(
    r"[^。！？；…!?;]*(?:(?:[。！？；!?;]+|…+)[”’」』）)】》\"']*|$)"
)


@dataclass(frozen=True)
class _Line:
    start: int  # raw offset of the first non-space character
    end: int
    kind: str  # body | heading | caption | credit

    def text(self, raw: str) -> str:
        return raw[self.start:self.end]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """`[start, end)` without the whitespace (including full-width and BOM) around it."""
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip(_SPACE))
    return start + left, start + len(piece.rstrip(_SPACE)) if left < len(piece) else start + left


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _FINAL_PUNCT


def _classify(raw: str) -> list[_Line]:
    """Non-blank lines with their kind; a caption ending in a credit yields two lines."""
    lines: list[_Line] = []
    for match in _LINE.finditer(raw):
        start, end = _trimmed(raw, *match.span())
        if start == end:
            continue
        text = raw[start:end]
        credit = _CREDIT.search(text)
        if credit:
            if credit.start() > 0:
                caption_end = start + len(text[:credit.start()].rstrip())
                lines.append(_Line(start, caption_end, "caption"))
            lines.append(_Line(start + credit.start(), end, "credit"))
        elif _CAPTION_START.match(text):
            inner = _INNER_CREDIT.search(text)
            if inner and len(text) - inner.end() > CAPTION_RUN_ON_CHARS:
                # 图为…泪水。亚心网记者　李铁军　摄“我没想到…: the story runs on after the photo credit
                lines.append(_Line(start, start + inner.start(), "caption"))
                lines.append(_Line(start + inner.start(), start + inner.end(), "credit"))
                rest = _trimmed(raw, start + inner.end(), end)
                lines.append(_Line(*rest, "body"))
            else:
                lines.append(_Line(start, end, "caption"))
        elif (not _ends_sentence(text) and not _CLAUSE_PUNCT.search(_ENUMERATION.sub("", text))
              and len(text) <= (NUMBERED_HEADING_MAX_CHARS if _ENUMERATION.match(text) else HEADING_MAX_CHARS)):
            lines.append(_Line(start, end, "heading"))
        else:
            lines.append(_Line(start, end, "body"))
    return lines


def _paragraphs(lines: list[_Line], raw: str) -> list[tuple[str, list[_Line]]]:
    """Group lines into paragraphs: an unfinished body line continues in the next body line."""
    paragraphs: list[tuple[str, list[_Line]]] = []
    open_body: list[_Line] | None = None
    for line in lines:
        if line.kind == "body":
            if open_body is not None:
                open_body.append(line)
            else:
                open_body = [line]
                paragraphs.append(("body", open_body))
            if _ends_sentence(line.text(raw)):
                open_body = None
        elif line.kind in ("caption", "credit") and open_body is not None:
            paragraphs.append((line.kind, [line]))  # dropped into an open sentence: skip over it
        else:
            open_body = None
            paragraphs.append((line.kind, [line]))
    return paragraphs


def split_sentences(raw: str) -> list[tuple[str, str, array]]:
    """(kind, repaired text, raw offsets) for every sentence, in order of raw start."""
    pieces: list[tuple[int, str, str, array]] = []
    # every raw offset once, made by numpy: a line's offsets are then a slice of it (a copy in C)
    # rather than a range whose every number is made as an object (4x slower)
    identity = array("l", numpy.arange(len(raw), dtype=numpy.dtype("l")).tobytes())
    for kind, lines in _paragraphs(_classify(raw), raw):
        text = "".join(raw[line.start:line.end] for line in lines)
        offsets = array("l")
        for line in lines:
            offsets.extend(identity[line.start:line.end])
        if kind in ("heading", "credit"):
            pieces.append((offsets[0], kind, text, offsets))
            continue
        for match in _SENTENCE.finditer(text):
            start, end = _trimmed(text, *match.span())
            if start == end:
                continue
            pieces.append((offsets[start], kind, text[start:end], offsets[start:end]))
    pieces.sort(key=lambda piece: piece[0])
    return [(kind, text, offsets) for _start, kind, text, offsets in pieces]


def prepare_text(raw: str, doc_id: str = "doc", anchor: str | None = None,
                 title: str | None = None, genre: str | None = None) -> PreparedDoc:
    """Repair `raw` and lay its sentences out as one text for the extraction stages."""
    sentences: list[Sentence] = []
    starts: list[int] = []
    offsets = array("l")
    parts: list[str] = []
    position = 0
    for sent_id, (kind, text, sent_offsets) in enumerate(split_sentences(raw)):
        if sent_id:
            parts.append(SENTENCE_SEPARATOR)
            offsets.append(-1)  # a separator is no raw character
            position += 1
        starts.append(position)
        raw_start, raw_end = sent_offsets[0], sent_offsets[-1] + 1  # offsets rise within a sentence
        sentences.append(Sentence(doc_id, sent_id, raw_start, raw_end, kind, text))
        parts.append(text)
        offsets.extend(sent_offsets)
        position += len(text)
    return PreparedDoc(
        doc_id=doc_id, raw=raw, text="".join(parts), offsets=offsets,
        sentences=tuple(sentences), sent_starts=tuple(starts), anchor=anchor, title=title, genre=genre,
    )
