"""Run every stage over one document or a stream of documents.

A document that cannot be read or that makes a stage fail becomes an error row; it never stops
the run. Results stream one document at a time so a corpus is never held in memory as text.
"""

from __future__ import annotations

import gc
import hashlib
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import regex

from pipeline.claims import find_claims
from pipeline.entities import find_entities
from pipeline.prepared import PreparedDoc
from pipeline.quantities import find_quantities
from pipeline.read import EMPTY_DOCUMENT, RawDocument, read_inputs, text_problem
from pipeline.records import Alias, Claim, Document, Entity, Quantity, Sentence, TimeExpr, Token
from pipeline.repair import prepare_text
from pipeline.segment import DEFAULT_SEGMENTER, TokenColumns, segment, tokens
from pipeline.times import find_times

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_DATE = regex.compile(
    r"(?P<y>[12]\d{3})\s*(?:[-/.年]\s*(?P<m>1[0-2]|0?[1-9])\s*(?:[-/.月]\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日?)?)?"
)
_COMPACT_DATE = regex.compile(r"^(?P<y>[12]\d{3})(?P<m>[01]\d)(?P<d>[0-3]\d)$")
_TEXT_DATE = regex.compile(
    r"(?P<y>[12][0-9０-９]{3}|[一二〇○零][〇○零一二三四五六七八九]{3})年"
    r"(?P<m>[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九])月"
    r"(?P<d>[0-9０-９]{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日"
)
_TITLE_YEAR = regex.compile(r"(?<![0-9])([12][0-9]{3})年")


@dataclass(frozen=True)
class Extraction:
    """Every row extracted from one document."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    tokens: TokenColumns | list[Token] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def normalise_date(value: str | None) -> str | None:
    """ISO date (`2021-08-23`, `2021-08` or `2021`) from metadata such as `2021年8月23日`, `20120607`."""
    if not value:
        return None
    value = value.strip().translate(_FULLWIDTH)
    compact = _COMPACT_DATE.match(value)
    match = compact or _DATE.match(value)
    if not match:
        return None
    parts = [match["y"]] + [f"{int(match[key]):02d}" for key in ("m", "d") if match[key]]
    return "-".join(parts)


def _chinese_number(text: str) -> int:
    text = text.translate(_FULLWIDTH)
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return int(_CN_DIGITS.get(tens, "1")) * 10 + (int(_CN_DIGITS[units]) if units else 0)
    return int("".join(_CN_DIGITS[c] for c in text))


def infer_date(title: str | None, text: str) -> str | None:
    """The first full date in the title or the opening of the text, else a year in the title."""
    for source in (title or "", text[:2000]):
        match = _TEXT_DATE.search(source)
        if match:
            year, month, day = (_chinese_number(match[key]) for key in ("y", "m", "d"))
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    year = _TITLE_YEAR.search(title or "")
    return year[1] if year else None


def document_date(raw: RawDocument) -> tuple[str | None, str]:
    """(date, where it came from). The metadata's date, unless it gives only a year or month
    (a JSONL `year` field) and the text names a full date within it: a report's `2021年3月5日`
    decides what its 过去一年 and 今年 mean, which a bare 2021 cannot."""
    published = normalise_date(raw.published)
    if published and len(published) == 10:
        return published, "metadata"
    inferred = infer_date(raw.title, raw.text)
    if inferred and (not published or inferred.startswith(published + "-")):
        return inferred, "inferred"
    return published, "metadata" if published else "none"


def _error_document(raw: RawDocument, reason: str, status: str = "error") -> Document:
    return Document(raw.doc_id, raw.source, raw.sha256, raw.title, normalise_date(raw.published),
                    "metadata" if raw.published else "none", 0, 0, status, reason)


def extract_document(raw: RawDocument, segmenter: str = DEFAULT_SEGMENTER,
                     ner_model: bool = False) -> Extraction:
    """All rows of one document; a failure inside a stage becomes the document's error.

    `ner_model=True` lets the optional trained entity model revise the rules' entities.
    """
    if raw.text is None:
        return Extraction(_error_document(raw, raw.error or f"{raw.source}: unreadable",
                                          "skipped" if raw.skipped else "error"))
    published, published_from = document_date(raw)
    try:
        doc = segment(prepare_text(raw.text, raw.doc_id, published, raw.title, raw.genre), segmenter)
        extraction = run_stages(doc, ner_model)
    except Exception as exc:  # a bug on one document must not lose the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = (f"{raw.source}: line 0: extraction failed ({type(exc).__name__}: {exc} "
                  f"at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})")
        return Extraction(_error_document(raw, reason))
    document = Document(raw.doc_id, raw.source, raw.sha256, raw.title, published, published_from,
                        len(raw.text), len(doc.sentences), "ok", None, raw.warning)
    return Extraction(document, list(doc.sentences), tokens(doc), *extraction)


def run_stages(doc: PreparedDoc, ner_model: bool = False) -> tuple[list, list, list, list, list]:
    """(quantities, times, entities, aliases, claims) of a segmented document."""
    quantities = find_quantities(doc)
    times = find_times(doc)
    entities, aliases = find_entities(doc, ner_model)
    claims = find_claims(doc, quantities, times, entities, aliases)
    return quantities, times, entities, aliases, claims


def extract_corpus(inputs: Iterable[str], segmenter: str = DEFAULT_SEGMENTER,
                   ner_model: bool = False) -> Iterator[Extraction]:
    """Stream the extraction of every document under the given files and folders (the garbage
    collector paused inside each document: see `gc_paused`)."""
    return extract_documents(read_inputs(list(inputs)), segmenter, ner_model)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one document's work. The many small records a
    document makes hold no cycles, and the collector's repeated scans of them and of whatever the
    caller keeps cost 7-9% of the pipeline's time (`make bench`); cycles made meanwhile are
    collected once it resumes. A caller that also encodes the document should encode it inside
    the pause: resumed between the two, the collector scans every record of the extraction once
    more just before they are freed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_documents(raws: Iterable[RawDocument], segmenter: str = DEFAULT_SEGMENTER,
                      ner_model: bool = False) -> Iterator[Extraction]:
    """`extract_document` of each raw document in turn, the garbage collector paused inside each."""
    for raw in raws:
        with gc_paused():
            extraction = extract_document(raw, segmenter, ner_model)
        yield extraction


def extract_text(text: str, doc_id: str = "doc", published: str | None = None,
                 title: str | None = None, segmenter: str = DEFAULT_SEGMENTER,
                 ner_model: bool = False, genre: str | None = None) -> Extraction:
    """Extract one document given as a string (the library entry point); `genre` (report,
    resolution, news …) is inferred from the title and opening when not given."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    problem = text_problem(text)
    raw = RawDocument(doc_id, "<text>", None if problem else text, digest, title=title,
                      published=published, error=f"<text>: line 1: {problem}" if problem else None,
                      genre=genre, skipped=problem == EMPTY_DOCUMENT)
    return extract_document(raw, segmenter, ner_model)
