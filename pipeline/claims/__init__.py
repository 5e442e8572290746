"""Numeric claims: each quantity that states a fact, target or forecast, linked to what it
measures (metric), whom it is about (subject), when (time), how (kind, direction, basis) and
whether it is a fact, a target or a forecast (modality).

One module per decision, each pure over the records of the earlier stages:
`document` (date, genre, whom the document speaks for, the year an annual report reviews) →
`context` (where quantities, times, entities, clauses and cues are) → `discourse` (the walk over
sections, paragraphs and sentences with the state each scope carries) calling the linkers
`time`, `modality`, `metric`, `subject` and `kind`. Their phrases are data in
`rules/claims/*.yaml`; every claim names the rule that set each field (`metric_rule`,
`subject_rule`, `time_rule`, `modality_rule`). Traditional-script text is read folded to
simplified (pipeline/script.py), offsets unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from pipeline.claims.context import DocumentContext, Patterns
from pipeline.claims.discourse import Discourse
from pipeline.claims.document import document_info
from pipeline.claims.rules import ClaimRules, load_rules
from pipeline.prepared import PreparedDoc
from pipeline.records import Alias, Claim, Entity, Quantity, TimeExpr
from pipeline.script import to_simplified

__all__ = ["find_claims", "load_rules", "ClaimRules"]


@cache
def _patterns(segmenter: str) -> Patterns:
    return Patterns(load_rules(), segmenter)


def find_claims(doc: PreparedDoc, quantities: list[Quantity], times: list[TimeExpr],
                entities: list[Entity], aliases: list[Alias]) -> list[Claim]:
    """One claim per quantity that states something, in text order."""
    del aliases  # alias mentions already arrive as entities with their canonical name
    # The rules are in simplified script: an old report (1954) is read folded (same offsets), so
    # its metrics and subjects come out in simplified script too.
    text, title = to_simplified(doc.text), doc.title and to_simplified(doc.title)
    folded = doc if (text, title) == (doc.text, doc.title) else replace(doc, text=text, title=title)
    info = document_info(folded, load_rules(), times)
    return Discourse(DocumentContext(folded, info, quantities, times, entities, _patterns(doc.segmenter))).run()
