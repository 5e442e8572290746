"""One self-contained HTML page showing what a dataset holds and where each fact came from.

Per document: every sentence with its quantities, times and entities highlighted by spaCy's
displaCy span renderer (overlapping spans stack), then the document's claims as a sortable table.
A summary counts facts by dimension, entity label and time type. No external script, style
or font is referenced, so the file can be mailed or archived as it is.

The tables keep raw offsets, while sentences keep their repaired text; a span is placed at the
occurrence of its text nearest to its raw offset within the sentence (whitespace dropped when the
repair joined a word across a blank line). Spans that cannot be placed are counted on the page.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import regex

from pipeline.dataset import Dataset, load_dataset

_WHITESPACE = regex.compile(r"\s+")
QUANTITY_COLOR = "#ffd166"
TIME_COLOR = "#9bd1ff"
ENTITY_COLORS = {"PERSON": "#c9b6ff", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561",
                 "FAC": "#9cc9cc", "EVENT": "#ffeb80", "PRODUCT": "#bfeeb7"}
OTHER_ENTITY_COLOR = "#dddddd"
CLAIM_COLUMNS = (  # (header, column, numeric)
    ("sent", "sent_id", True), ("claim", "text", False), ("value", "value", True),
    ("unit", "unit", False), ("dimension", "dimension", False), ("bound", "bound", False),
    ("metric", "metric", False), ("subject", "subject", False), ("label", "subject_label", False),
    ("time", "time", False), ("kind", "kind", False), ("direction", "direction", False),
    ("basis", "basis", False), ("modality", "modality", False),
)

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;
margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-bottom:1px solid #ccc}
.meta{color:#666;font-size:.85rem}.error{color:#b00020}
.sent{margin:.2rem 0}.sent .kind{font-size:.7rem;color:#888;margin-right:.4rem}
.sent.heading{font-size:1.1rem}.sent.caption,.sent.credit{color:#666;font-style:italic}
.spans{line-height:2.5}.spans span{white-space:nowrap}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f4f4f4}table.sortable th{cursor:pointer;user-select:none}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
.chip{display:inline-block;padding:0 .4rem;margin:0 .3rem .3rem 0;border-radius:3px;font-size:.8rem}
.summary{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
"""

# Click a header to sort (again to reverse); `#sort=value:desc` in the URL sorts on load.
# Missing cells stay last either way. Sets data-ready/data-rendered-labels on <body> once laid out.
_JS = """
(function () {
  function key(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw !== null) { return raw === "" ? null : parseFloat(raw); }
    var text = cell.textContent.trim();
    return text === "" ? null : text;
  }
  function sortTable(table, column, descending) {
    var headers = table.tHead.rows[0].cells, index = -1;
    for (var i = 0; i < headers.length; i++) {
      headers[i].removeAttribute("aria-sort");
      if (headers[i].getAttribute("data-col") === column) { index = i; }
    }
    if (index < 0) { return; }
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index]), y = key(b.cells[index]);
      if (x === null || y === null) { return (x === null) - (y === null); }
      var order = typeof x === "number" && typeof y === "number" ? x - y
        : String(x).localeCompare(String(y), "zh");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers[index].setAttribute("aria-sort", descending ? "descending" : "ascending");
    table.setAttribute("data-sorted", column + ":" + (descending ? "desc" : "asc"));
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.addEventListener("click", function () {
        sortTable(table, th.getAttribute("data-col"), th.getAttribute("aria-sort") === "ascending");
      });
    });
  });
  var wanted = /^#sort=([\\w-]+)(?::(asc|desc))?$/.exec(window.location.hash);
  if (wanted) {
    Array.prototype.forEach.call(tables, function (table) {
      sortTable(table, wanted[1], wanted[2] === "desc");
    });
  }
  var labels = document.querySelectorAll(".spans > span > span > span"), shown = 0;
  Array.prototype.forEach.call(labels, function (label) {
    var box = label.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) { shown++; }
  });
  document.body.setAttribute("data-rendered-labels", String(shown));
  document.body.setAttribute("data-ready", "1");
})();
"""


def write_report(dataset: str | Path | Dataset, out: Path, max_docs: int | None = None) -> Path:
    ds = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(build_report(ds, max_docs), encoding="utf-8")
    return out


def build_report(ds: Dataset, max_docs: int | None = None) -> str:
    """The whole page as a string."""
    spans = _spans_by_sentence(ds)
    colors = _colors(label for rows in spans.values() for *_, label, _family in rows)
    sentences = {doc_id: frame for doc_id, frame in ds.sentences.groupby("doc_id", sort=False)}
    claims_view = ds.claims_view()
    claims = {doc_id: frame for doc_id, frame in claims_view.groupby("doc_id", sort=False)}
    documents = ds.documents if max_docs is None else ds.documents.head(max_docs)
    sections = [
        _document_section(doc, sentences.get(doc.doc_id), spans, claims.get(doc.doc_id), colors)
        for doc in documents.itertuples(index=False)
    ]
    title = f"zhfacts report: {ds.path.name or ds.path}"
    shown = ("" if len(documents) == len(ds.documents)
             else f"<p class=meta>Showing {len(documents)} of {len(ds.documents)} documents.</p>")
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p class=meta>schema {_e(ds.schema_version or '?')} · "
        f"{_e(_provenance(ds.package.get('provenance', {})))}</p>",
        _summary(ds, claims_view),
        _legend(colors), shown,
        *sections,
        f"<script>{_JS}</script></body></html>\n",
    ])


def place_span(sentence: str, offset: int, text: str) -> tuple[int, int] | None:
    """Where `text` sits in the repaired sentence: the occurrence nearest `offset`."""
    for needle in (text, _WHITESPACE.sub("", text)):
        if not needle:
            continue
        hits = [match.start() for match in regex.finditer(regex.escape(needle), sentence)]
        if hits:
            start = min(hits, key=lambda hit: (abs(hit - offset), hit))
            return start, start + len(needle)
    return None


def render_sentence(text: str, spans: Iterable[tuple[int, int, str]], colors: dict[str, str]) -> str:
    """displaCy span markup for one sentence; tokens are the stretches between span edges."""
    from spacy import displacy

    spans = [(start, end, label) for start, end, label in spans if end > start]
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    index = {position: i for i, position in enumerate(cuts)}
    parsed = {
        "text": text,
        "tokens": [text[a:b] for a, b in zip(cuts, cuts[1:])],
        "spans": [{"start_token": index[s], "end_token": index[e], "label": label}
                  for s, e, label in spans],
    }
    return displacy.render(parsed, style="span", manual=True, minify=True,
                           options={"colors": colors})


def _spans_by_sentence(ds: Dataset) -> dict[tuple[str, int], list[tuple[int, int, str, str, str]]]:
    """(doc_id, sent_id) -> [(raw start, raw end, text, escaped label, family)]."""
    found: dict[tuple[str, int], list] = defaultdict(list)
    families = (("quantities", "QTY", "dimension"), ("times", "TIME", "type"),
                ("entities", None, "label"))
    for table, prefix, column in families:
        frame = ds.tables.get(table)
        if frame is None:
            continue
        for row in frame[["doc_id", "sent_id", "start", "end", "text", column]].itertuples(index=False):
            kind = "" if pd.isna(row[5]) else str(row[5])
            label = f"{prefix} {kind}".strip() if prefix else kind or "ENTITY"
            found[(row.doc_id, int(row.sent_id))].append(
                (int(row.start), int(row.end), row.text, _e(label), prefix or "ENT"))
    return found


def _colors(labels: Iterable[str]) -> dict[str, str]:
    colors = {}
    for label in set(labels):
        if label.startswith("QTY"):
            colors[label] = QUANTITY_COLOR
        elif label.startswith("TIME"):
            colors[label] = TIME_COLOR
        else:
            colors[label] = ENTITY_COLORS.get(label, OTHER_ENTITY_COLOR)
    return dict(sorted(colors.items()))


def _document_section(doc, sentences: pd.DataFrame | None, spans: dict, claims: pd.DataFrame | None,
                      colors: dict[str, str]) -> str:
    parts = [f"<section class=document data-doc=\"{_e(doc.doc_id)}\">",
             f"<h2>{_e(doc.title if isinstance(doc.title, str) else doc.doc_id)}</h2>",
             f"<p class=meta>{_e(doc.doc_id)} · {_e(_text(doc.published) or 'no date')} "
             f"({_e(_text(doc.published_from))}) · {_e(_text(doc.source))} · "
             f"{_e(_text(doc.n_sentences))} sentences</p>"]
    if doc.status != "ok":
        parts.append(f"<p class=error>{_e(_text(doc.status))}: {_e(_text(doc.error))}</p>")
    unplaced = 0
    for sent in ([] if sentences is None else sentences.itertuples(index=False)):
        text = "" if pd.isna(sent.text) else sent.text
        placed = []
        for start, end, surface, label, _family in spans.get((doc.doc_id, int(sent.sent_id)), []):
            where = place_span(text, start - int(sent.start), surface)
            if where is None:
                unplaced += 1
            else:
                placed.append((*where, label))
        kind = _text(sent.kind)
        marker = "" if kind == "body" else f"<span class=kind>{_e(kind)}</span>"
        parts.append(f"<div class=\"sent {_e(kind)}\" data-sent=\"{int(sent.sent_id)}\">{marker}"
                     f"{render_sentence(text, placed, colors)}</div>")
    if unplaced:
        parts.append(f"<p class=meta>{unplaced} spans could not be placed in the repaired text.</p>")
    parts.append(_claims_table(claims))
    parts.append("</section>")
    return "".join(parts)


def _claims_table(claims: pd.DataFrame | None) -> str:
    if claims is None or claims.empty:
        return "<p class=meta>No claims.</p>"
    head = "".join(f"<th data-col=\"{column}\">{header}</th>" for header, column, _ in CLAIM_COLUMNS)
    rows = []
    for claim in claims.to_dict("records"):
        cells = []
        for _header, column, numeric in CLAIM_COLUMNS:
            value = claim.get(column)
            if numeric:
                sort = "" if pd.isna(value) else repr(float(value))
                cells.append(f"<td class=num data-sort=\"{sort}\">{_e(_number(value))}</td>")
            else:
                cells.append(f"<td>{_e(_text(value))}</td>")
        rows.append(f"<tr title=\"{_e(_text(claim.get('sentence')))}\">{''.join(cells)}</tr>")
    return (f"<table class=\"sortable claims\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _summary(ds: Dataset, claims: pd.DataFrame) -> str:
    documents = ds.documents
    totals = ", ".join(f"{len(ds.tables[name])} {name}" for name in
                       ("sentences", "quantities", "times", "entities", "claims") if name in ds.tables)
    failed = int((documents["status"] != "ok").sum())
    boxes = [
        _count_table("dimension", {"quantities": ds.quantities["dimension"],
                                   "claims": claims["dimension"]}),
        _count_table("entity label", {"entities": ds.entities["label"],
                                      "claim subjects": claims["subject_label"]}),
        _count_table("time type", {"times": ds.times["type"]}),
        _count_table("claim modality", {"claims": claims["modality"]}),
    ]
    return (f"<h2>Summary</h2><p>{len(documents)} documents ({failed} failed), {_e(totals)}.</p>"
            f"<div class=summary>{''.join(boxes)}</div>")


def _count_table(title: str, columns: dict[str, pd.Series]) -> str:
    counts = {name: series.dropna().astype(str).value_counts() for name, series in columns.items()}
    keys = sorted(set().union(*(c.index for c in counts.values())),
                  key=lambda k: (-sum(int(c.get(k, 0)) for c in counts.values()), k))
    head = f"<th data-col=\"key\">{_e(title)}</th>" + "".join(
        f"<th data-col=\"{_e(name)}\">{_e(name)}</th>" for name in counts)
    body = "".join(
        f"<tr><td>{_e(key)}</td>" + "".join(
            f"<td class=num data-sort=\"{int(c.get(key, 0))}\">{int(c.get(key, 0))}</td>"
            for c in counts.values()) + "</tr>"
        for key in keys)
    return f"<table class=\"sortable counts\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _legend(colors: dict[str, str]) -> str:
    chips = "".join(f"<span class=chip style=\"background:{color}\">{label}</span>"
                    for label, color in colors.items())
    return f"<p class=legend>{chips}</p>" if chips else ""


def _provenance(provenance: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in provenance.items() if key != "rules_sha256")


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.15g}"


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
