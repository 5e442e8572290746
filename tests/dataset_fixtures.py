"""Small hand-made datasets written by the real DatasetWriter, independent of the extraction stages.

Spans are located in the raw text by their surface, so `raw[start:end] == text` holds by
construction; the second document has a word split across a blank line (repaired in its
sentence text) and markup characters that a report must escape.
"""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

from pipeline.export import TABLES, DatasetWriter, DocumentRows, encode_table
from pipeline.records import Alias, Claim, Document, Entity, Quantity, Sentence, TimeExpr

RAW_A = "重庆市数字经济规模达到6387亿元。\n2020年，全市规模以上工业增加值同比增长12.5%。\n共有610家企业参展。"
RAW_B = "<b>标题</b>\n北京吸引了知\n\n名企业30家，投资约2.5亿美元。"
TITLE_B = '<script>alert("x")</script> & 测试'


def span(raw: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """Raw (start, end) of the nth occurrence of `surface`."""
    start = -1
    for _ in range(nth + 1):
        start = raw.index(surface, start + 1)
    return start, start + len(surface)


def sentences(doc_id: str, raw: str, kinds: dict[int, str] | None = None) -> list[Sentence]:
    """One sentence per non-empty paragraph ("\n" separated, blank lines joined as a repair)."""
    rows, cursor = [], 0
    for sent_id, line in enumerate(raw.replace("\n\n", "\0").split("\n")):
        start = raw.index(line.replace("\0", "\n\n"), cursor)
        end = start + len(line.replace("\0", "\n\n"))
        rows.append(Sentence(doc_id, sent_id, start, end, (kinds or {}).get(sent_id, "body"),
                             line.replace("\0", "")))
        cursor = end
    return rows


def sent_of(rows: list[Sentence], start: int) -> int:
    return next(s.sent_id for s in rows if s.start <= start < s.end)


def base_records() -> dict[str, list]:
    """Two documents with quantities, times, entities, an alias and claims."""
    sa = sentences("a", RAW_A)
    sb = sentences("b", RAW_B, {0: "heading"})

    def qty(doc, raw, sents, qty_id, surface, number, unit_text, unit, dim, value, bound="exact",
            qualifier=None, classifier=None):
        s, e = span(raw, surface)
        return Quantity(doc, qty_id, sent_of(sents, s), s, e, surface, number, unit_text, unit, dim,
                        value, None, None, bound, qualifier, classifier, "fixture")

    def ent(doc, raw, sents, ent_id, surface, label, canonical, kb_id=None):
        s, e = span(raw, surface)
        return Entity(doc, ent_id, sent_of(sents, s), s, e, surface, label, canonical, kb_id, "fixture")

    quantities = [
        qty("a", RAW_A, sa, 0, "6387亿元", 6387e8, "亿元", "CNY", "currency", 6387e8),
        qty("a", RAW_A, sa, 1, "12.5%", 12.5, "%", "%", "percent", 12.5),
        qty("a", RAW_A, sa, 2, "610家", 610.0, "家", "count", "count", 610.0, classifier="家"),
        qty("b", RAW_B, sb, 0, "30家", 30.0, "家", "count", "count", 30.0, classifier="家"),
        qty("b", RAW_B, sb, 1, "约2.5亿美元", 2.5e8, "亿美元", "USD", "currency", 2.5e8, "approx", "约"),
    ]
    s, e = span(RAW_A, "2020年")
    times = [TimeExpr("a", 0, sent_of(sa, s), s, e, "2020年", "year", "2020", None, True)]
    entities = [
        ent("a", RAW_A, sa, 0, "重庆市", "GPE", "重庆市", "500000"),
        ent("b", RAW_B, sb, 0, "北京", "GPE", "北京市", "110000"),
        ent("b", RAW_B, sb, 1, "知\n\n名企业", "ORG", "知名企业"),
    ]
    aliases = [Alias("a", "重庆", "重庆市", "GPE", *span(RAW_A, "重庆"))]

    def claim(doc, claim_id, q: Quantity, metric, subject, ent_id, time, time_id, kind="level",
              direction="none", basis=None, modality="fact"):
        return Claim(claim_id, doc, q.sent_id, q.qty_id, q.start, q.end, q.text, q.value, q.lower,
                     q.upper, q.unit, q.dimension, q.bound, metric, None, subject, ent_id, time, time_id,
                     kind, direction, basis, modality, "metric.fixture", "subject.fixture", "time.fixture",
                     "modality.fixture")

    claims = [
        claim("a", 0, quantities[0], "数字经济规模", "重庆市", 0, None, None),
        claim("a", 1, quantities[1], "规模以上工业增加值", "重庆市", 0, "2020", 0, "change", "up",
              "同比"),
        claim("a", 2, quantities[2], "参展企业", None, None, None, None),
        claim("b", 0, quantities[3], '<i>企业</i> & "名"', "北京", 0, None, None),
        claim("b", 1, quantities[4], "投资", "北京", 0, None, None, modality="target"),
    ]
    documents = [
        Document("a", "a.txt", "0" * 64, "重庆数字经济", "2021-08-23", "metadata", len(RAW_A),
                 len(sa), "ok", None),
        Document("b", "b.txt", "1" * 64, TITLE_B, "2021-08", "inferred", len(RAW_B), len(sb), "ok",
                 None),
        Document("c", "c.txt", "2" * 64, None, None, "none", 0, 0, "error", "c.txt: line 0: empty file"),
    ]
    return {"documents": documents, "sentences": sa + sb, "tokens": [], "quantities": quantities,
            "units": [], "times": times, "entities": entities, "aliases": aliases, "claims": claims}


def write_dataset(out: Path, records: dict[str, list] | None = None) -> Path:
    """Write records (default: `base_records()`) with the project's DatasetWriter."""
    records = base_records() if records is None else records
    units = tuple(((u.unit_text, u.unit, u.dimension, u.factor), u.n_mentions)
                  for u in records.get("units", []))
    with DatasetWriter(Path(out)) as writer:
        for number, document in enumerate(records["documents"]):
            tables = {
                table.name: encode_table(table, [astuple(row) for row in records.get(table.name, [])
                                                 if row.doc_id == document.doc_id])
                for table in TABLES if table.name != "units"
            }
            writer.add(DocumentRows(document.doc_id, document.status, document.error, document.n_chars,
                                    tables, units if number == 0 else ()))
        writer.commit({"zhfacts": "test", "segmenter": "fixture"})
    return Path(out)
