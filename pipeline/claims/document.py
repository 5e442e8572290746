"""The document context: its date, its genre and whom it speaks for, and — for an annual
report — the year it reviews. Decided once per document, before any claim is linked."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.claims.rules import ClaimRules
from pipeline.prepared import PreparedDoc
from pipeline.records import TimeExpr

REPORT_MONTHS = 7  # annual reports (government work reports, annual reviews) appear by mid-year
NEWS_REVIEW_MONTHS = 2  # news reviewing the past year appears in its first weeks
OPENING_CHARS = 200


@dataclass(frozen=True)
class DocumentInfo:
    anchor: str | None  # the publication date relative times resolve to
    genre: str  # report | resolution | news (or what the metadata says)
    speaks_for: str | None  # the default subject: the country a national document speaks for
    review_year: str | None  # the year an annual report reviews (its undated facts are about it)


def _genre(doc: PreparedDoc, rules: ClaimRules) -> str:
    """The metadata's genre, else a report or resolution by its title and opening, else news."""
    if doc.genre:
        return doc.genre
    opening = (doc.title or "") + doc.text[:OPENING_CHARS]
    words = rules.words["discourse"]
    if all(word in opening for word in words["resolution_words"]):
        return "resolution"
    if any(word in opening for word in words["report_words"]):
        return "report"
    return "news"


def _review_year(doc: PreparedDoc, genre: str, rules: ClaimRules, times: list[TimeExpr]) -> str | None:
    """For an annual report (written by mid-year, reviewing `过去一年`/`去年` or naming the previous
    year, `一九五七年`) or a news review of the past year (opening on `过去的一年` in January or
    February), the year its undated facts are about; None for other documents, whose undated
    facts hold at their date."""
    anchor = doc.anchor or ""
    if len(anchor) < 7:
        return None
    previous = str(int(anchor[:4]) - 1)
    if genre != "report":  # a year-end review in the news (北京市在过去的一年里…取得了…成就), early in a year
        opening = (doc.title or "") + doc.text[:OPENING_CHARS]
        early = int(anchor[5:7]) <= NEWS_REVIEW_MONTHS
        return previous if early and any(word in opening for word in rules.words["time"]["past_year"]) else None
    if int(anchor[5:7]) > REPORT_MONTHS:
        return None
    reviews = any(word in doc.text for word in rules.words["time"]["review_words"])
    if not reviews and not any(t.value == previous for t in times):
        return None
    return previous


def document_info(doc: PreparedDoc, rules: ClaimRules, times: list[TimeExpr]) -> DocumentInfo:
    genre = _genre(doc, rules)
    return DocumentInfo(doc.anchor, genre, rules.speaks_for.get(genre), _review_year(doc, genre, rules, times))
