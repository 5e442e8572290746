"""The `zhfacts_claims` spaCy component: claims from the spans earlier pipes left in the Doc.

It reads `doc.spans["quantities"]` (zhfacts_quantities; a span added by hand is parsed from its
text), `doc.spans["times"]` (zhfacts_times) and `doc.ents` (zhfacts_entities or any NER), so
spans a user added or removed are respected; a missing layer is computed the way its component
would. Fragments are tagged with the segmenter of the pipeline's zhfacts tokenizer (or the
`segmenter` config). The document date, title and genre come from `doc.user_data["anchor"]`,
`["title"]` and `["genre"]`.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span

from pipeline.prepared import PreparedDoc
from pipeline.records import Entity, Quantity, TimeExpr


def _quantity(prepared: PreparedDoc, qty_id: int, span: Span) -> Quantity | None:
    from pipeline.quantities import scan_quantities

    match = span._.qty if span.has_extension("qty") else None
    offset = 0
    if match is None:  # a span the user added: read its own text
        match, offset = next(iter(scan_quantities(span.text)), None), span.start_char
        if match is None:
            return None
    start, end = match.start + offset, match.end + offset
    sent_id = prepared.sent_id_at(prepared.text_span(start, end)[0])
    return Quantity("doc", qty_id, sent_id, start, end, span.doc.text[start:end], match.number,
                    match.unit_text, match.unit, match.dimension, match.value, match.lower, match.upper,
                    match.bound, match.qualifier, match.classifier, match.rule)


def _layers(doc: Doc, anchor: str | None) -> None:
    """Fill in the layers no earlier pipe made, as the zhfacts components would."""
    from pipeline.spacy_components import EntityComponent, QuantitiesComponent, TimesComponent

    if "quantities" not in doc.spans:
        QuantitiesComponent()(doc)
    if "times" not in doc.spans:
        TimesComponent(anchor)(doc)
    if not doc.has_annotation("ENT_IOB"):
        EntityComponent("segment")(doc)


class ClaimsComponent:
    def __init__(self, segmenter: str):
        self.segmenter = segmenter

    def __call__(self, doc: Doc) -> Doc:
        from pipeline.claims import find_claims
        from pipeline.repair import prepare_text

        anchor = doc.user_data.get("anchor")
        _layers(doc, anchor)
        prepared = replace(prepare_text(doc.text, "doc", anchor, doc.user_data.get("title"),
                                        doc.user_data.get("genre")), segmenter=self.segmenter)

        def sent_of(start: int, end: int) -> int:
            return prepared.sent_id_at(prepared.text_span(start, end)[0])

        quantities = [q for i, span in enumerate(sorted(doc.spans["quantities"], key=lambda s: s.start_char), 1)
                      if (q := _quantity(prepared, i, span)) is not None]
        times = [TimeExpr("doc", i, sent_of(s.start_char, s.end_char), s.start_char, s.end_char, s.text,
                          s._.time_type or s.label_, s._.time_value, anchor, bool(s._.time_resolved))
                 for i, s in enumerate(sorted(doc.spans["times"], key=lambda s: s.start_char), 1)]
        entities = [Entity("doc", i, sent_of(e.start_char, e.end_char), e.start_char, e.end_char, e.text,
                           e.label_, e.text, e.kb_id_ or None, "spacy.ents")
                    for i, e in enumerate(doc.ents, 1)]
        doc._.claims = find_claims(prepared, quantities, times, entities, [])
        return doc
