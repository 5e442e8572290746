"""zhfacts in spaCy: the jieba tokenizer and a component per stage, registered with spaCy.

spaCy finds them through the package's entry points (pyproject.toml), so `spacy.blank("zh")` with
the tokenizer, and `nlp.add_pipe("zhfacts_quantities")` and the others, need no import. They live
here, apart from the stages, so that `zhfacts extract`, which never builds a spaCy Doc, does not
import spaCy (1.1 s of start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry
from spacy.vocab import Vocab

from pipeline.claims.component import ClaimsComponent
from pipeline.entities import tag_text, tag_with_model, text_words
from pipeline.quantities import QuantityMatch, scan_quantities
from pipeline.segment import DEFAULT_SEGMENTER, tagger
from pipeline.times import scan_times

# ---------------------------------------------------------------------------- tokenizer

class JiebaTokenizer:
    """spaCy tokenizer: jieba words become tokens, jieba's POS tag becomes `token.tag_`."""

    def __init__(self, vocab: Vocab, segmenter: str = DEFAULT_SEGMENTER):
        self.vocab = vocab
        self.segmenter = segmenter
        self._tag = tagger(segmenter)

    def __call__(self, text: str) -> Doc:
        pairs = self._tag(text)
        words = [word for word, _pos in pairs]
        return Doc(self.vocab, words=words, spaces=[False] * len(words),
                   tags=[pos for _word, pos in pairs])

    def to_bytes(self, **_kwargs) -> bytes:
        return self.segmenter.encode("utf-8")

    def from_bytes(self, data: bytes, **_kwargs) -> JiebaTokenizer:
        self.__init__(self.vocab, data.decode("utf-8"))
        return self

    def to_disk(self, path: Path, **_kwargs) -> None:
        Path(path).write_text(self.segmenter, encoding="utf-8")

    def from_disk(self, path: Path, **_kwargs) -> JiebaTokenizer:
        self.__init__(self.vocab, Path(path).read_text(encoding="utf-8"))
        return self


@registry.tokenizers("zhfacts.jieba_tokenizer.v1")
def create_jieba_tokenizer(segmenter: str = DEFAULT_SEGMENTER) -> Callable[[Language], JiebaTokenizer]:
    def make(nlp: Language) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, segmenter)

    return make


# ---------------------------------------------------------------------------- quantities

@Language.factory("zhfacts_quantities")
def make_quantities_component(nlp: Language, name: str) -> QuantitiesComponent:
    """`nlp.add_pipe("zhfacts_quantities")`: quantities as doc.spans["quantities"], values on Span._.qty."""
    return QuantitiesComponent()


class QuantitiesComponent:
    """Works on any spaCy Doc: spans are expanded to token boundaries, the match hangs on Span._.qty."""

    def __init__(self) -> None:
        if not Doc.has_extension("zhfacts_qty"):
            Doc.set_extension("zhfacts_qty", default=None)
        if not Span.has_extension("qty"):
            Span.set_extension("qty", getter=_span_qty)

    def __call__(self, doc: Doc) -> Doc:
        spans, by_tokens = [], {}
        for q in scan_quantities(doc.text):
            span = doc.char_span(q.start, q.end, label=q.dimension, alignment_mode="expand")
            if span is not None:
                spans.append(span)
                by_tokens[(span.start, span.end)] = q
        doc._.zhfacts_qty = by_tokens
        doc.spans["quantities"] = spans
        return doc


def _span_qty(span: Span) -> QuantityMatch | None:
    found = span.doc._.zhfacts_qty
    return found.get((span.start, span.end)) if found else None


# ---------------------------------------------------------------------------- times

for _name in ("time_value", "time_type", "time_resolved"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class TimesComponent:
    """Puts time spans in `doc.spans["times"]` with `span._.time_value` / `time_type` / `time_resolved`."""

    def __init__(self, anchor: str | None = None):
        self.anchor = anchor

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc.user_data.get("anchor", self.anchor)
        spans = []
        for match in scan_times(doc.text, anchor):
            span = doc.char_span(match.start, match.end, label=match.type, alignment_mode="expand")
            if span is None:
                continue
            span._.time_value = match.value
            span._.time_type = match.type
            span._.time_resolved = match.resolved
            spans.append(span)
        doc.spans["times"] = spans
        return doc


@Language.factory("zhfacts_times", default_config={"anchor": None})
def make_times_component(nlp: Language, name: str, anchor: str | None) -> TimesComponent:
    return TimesComponent(anchor)


# ---------------------------------------------------------------------------- entities

def _doc_words(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, pos) of a spaCy Doc's tokens; the jieba tag if a tagger left one in `tag_`."""
    return [(t.idx, t.idx + len(t.text), t.tag_ or "x") for t in doc if not t.is_space]


@Language.factory("zhfacts_entities", default_config={"words": "tokens", "model": False})
def make_entity_component(nlp: Language, name: str, words: str, model: bool):
    """A pipe setting `doc.ents` and `doc.spans["aliases"]` from zhfacts' rules.

    `words="tokens"` reads the Doc's own tokens and their `tag_` (zhfacts' jieba tokenizer,
    `pipeline.segment.make_nlp()`, sets both); `words="segment"` re-segments the Doc's text with
    the project's jieba, for a pipeline with another tokenizer. `model=True` adds the trained model.
    """
    if words not in ("tokens", "segment"):
        raise ValueError(f"zhfacts_entities: words must be 'tokens' or 'segment', not {words!r}")
    return EntityComponent(words, model)


class EntityComponent:
    def __init__(self, words: str, model: bool = False):
        self.words = words
        self.tag = tag_with_model if model else tag_text

    def __call__(self, doc: Doc) -> Doc:
        words = text_words(doc.text) if self.words == "segment" else _doc_words(doc)
        mentions, defs = self.tag(doc.text, words)
        spans = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=m.label, kb_id=m.kb_id or "", alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        doc.spans["aliases"] = [
            Span(doc, s.start, s.end, label=d.label)
            for d in defs
            if (s := doc.char_span(d.start, d.end, alignment_mode="expand")) is not None
        ]
        return doc


# ---------------------------------------------------------------------------- claims

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


@Language.factory("zhfacts_claims", default_config={"segmenter": None})
def make_claims_component(nlp: Language, name: str, segmenter: str | None) -> ClaimsComponent:
    """spaCy component: `doc._.claims` lists the Claim records of the doc (offsets into
    `doc.text`), linked from the quantity, time and entity spans already in the doc; fragments are
    tagged with the segmenter of the pipeline's zhfacts tokenizer unless `segmenter` is given."""
    return ClaimsComponent(segmenter or getattr(nlp.tokenizer, "segmenter", DEFAULT_SEGMENTER))
