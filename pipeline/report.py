"""The corpus browser: a folder of static pages showing what a dataset holds and where each fact
came from, opened from disk with no server and nothing fetched from elsewhere.

`index.html` lists the documents by date and holds every claim as data: a search box and filters
(indicator, modality, year range, dimension, document) narrow a table drawn a page at a time, each
row showing its sentence with the claim marked; a chart draws any indicator's series (`timeseries.py`)
with targets and facts apart. `docs/NNNN.html` shows one document: each sentence with its
quantities, times and entities highlighted (nested spans stack, crossing ones are counted) and
its claims. One page per document keeps every page small however large the corpus is.

The tables keep raw offsets, while sentences keep their repaired text; a span is placed at the
occurrence of its text nearest to its raw offset within the sentence (whitespace dropped when the
repair joined a word across a blank line).
"""

from __future__ import annotations

import html
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import regex

from pipeline.dataset import Dataset, load_dataset
from pipeline.indicators import indicators
from pipeline.timeseries import series_of, yearly_claims

_WHITESPACE = regex.compile(r"\s+")
ROWS_PER_PAGE = 100
INDEX_SENTENCE_BUDGET = 3_000_000  # characters of sentence context the index holds before it links instead
ENTITY_COLORS = {"PERSON": "#c9b6ff", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561",
                 "FAC": "#9cc9cc", "EVENT": "#ffeb80", "PRODUCT": "#bfeeb7"}
CLAIM_COLUMNS = ("doc", "claim_id", "year", "time", "value", "unit", "dimension", "bound", "metric",
                 "indicator", "subject", "modality", "kind", "text", "sentence", "mark_start", "mark_end", "sent_id")

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;
margin:1.5rem auto;max-width:80rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta{color:#666;font-size:.85rem}.error{color:#b00020}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0;width:100%}
th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f4f4f4}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:#444}
.filters input[type=search]{width:16rem}.filters input[type=number]{width:5.5rem}
mark{background:#ffd166;padding:0 .1rem}td.context{color:#444;max-width:32rem}
.pager{display:flex;gap:.6rem;align-items:center;font-size:.85rem}
.target{color:#1565c0}.fact{color:#2e7d32}.forecast{color:#8e24aa}
svg text{font-size:11px;fill:#444}svg .axis{stroke:#999}
.sent{margin:.25rem 0;line-height:1.9}.sent .kind{font-size:.7rem;color:#888;margin-right:.4rem}
.sent.heading{font-size:1.1rem;font-weight:600}.sent:target{background:#fff6d5}
.sent mark.qty{background:#ffd166}.sent mark.time{background:#9bd1ff}
.sent mark.ent{background:var(--c,#ddd)}tr:target{background:#fff6d5}
.legend span{display:inline-block;padding:0 .4rem;margin:0 .3rem .3rem 0;border-radius:3px;font-size:.8rem}
"""

# The index's script: filters and search over the embedded claims, a page of rows at a time, and
# the series chart. It sets data-count on #claims and data-points on #chart for tests to read.
_INDEX_JS = """
(function () {
  var data = JSON.parse(document.getElementById("data").textContent);
  var col = {}; data.columns.forEach(function (name, i) { col[name] = i; });
  var rows = data.rows, shown = rows, page = 0, per = data.rows_per_page;
  function $(id) { return document.getElementById(id); }
  function text(value) { return value === null || value === undefined ? "" : String(value); }
  function esc(value) {
    return text(value).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function context(row) {
    var s = row[col.sentence], a = row[col.mark_start], b = row[col.mark_end];
    if (s === null) { return ""; }
    if (a === null) { return esc(s); }
    return esc(s.slice(0, a)) + "<mark>" + esc(s.slice(a, b)) + "</mark>" + esc(s.slice(b));
  }
  function number(value) { return value === null ? "" : Number(value).toLocaleString("en", {maximumFractionDigits: 6}); }
  function apply() {
    var query = $("q").value.trim().toLowerCase(), ind = $("f-indicator").value, mod = $("f-modality").value,
        dim = $("f-dimension").value, doc = $("f-document").value,
        from = parseInt($("f-from").value, 10), to = parseInt($("f-to").value, 10);
    shown = rows.filter(function (row) {
      if (ind && row[col.indicator] !== ind) { return false; }
      if (mod && row[col.modality] !== mod) { return false; }
      if (dim && row[col.dimension] !== dim) { return false; }
      if (doc && String(row[col.doc]) !== doc) { return false; }
      var year = row[col.year];
      if (!isNaN(from) && (year === null || year < from)) { return false; }
      if (!isNaN(to) && (year === null || year > to)) { return false; }
      if (query) {
        var hay = [row[col.metric], row[col.subject], row[col.text], row[col.sentence], row[col.indicator],
                   data.documents[row[col.doc]].title].map(text).join("\\n").toLowerCase();
        if (hay.indexOf(query) < 0) { return false; }
      }
      return true;
    });
    page = 0; draw();
  }
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / per)), body = $("claims").tBodies[0], html = [];
    page = Math.min(page, pages - 1);
    shown.slice(page * per, page * per + per).forEach(function (row) {
      var d = data.documents[row[col.doc]], href = d.page + "#c" + row[col.claim_id];
      html.push("<tr data-modality=\\"" + esc(row[col.modality]) + "\\"><td><a href=\\"" + esc(href) + "\\">" +
        esc(d.date || "") + " " + esc(d.title) + "</a></td><td>" + esc(row[col.metric]) + "</td><td>" +
        esc(row[col.indicator]) + "</td><td class=num>" + number(row[col.value]) + "</td><td>" + esc(row[col.unit]) +
        "</td><td>" + esc(row[col.bound]) + "</td><td>" + esc(row[col.subject]) + "</td><td>" + esc(row[col.time]) +
        "</td><td class=\\"" + esc(row[col.modality]) + "\\">" + esc(row[col.modality]) + "</td><td class=context>" +
        (row[col.sentence] === null ? "<a href=\\"" + esc(href) + "\\">" + esc(row[col.text]) + "</a>" : context(row)) +
        "</td></tr>");
    });
    body.innerHTML = html.join("");
    $("claims").setAttribute("data-count", String(shown.length));
    $("count").textContent = shown.length + " of " + rows.length + " claims";
    $("page").textContent = "page " + (page + 1) + " of " + pages;
  }
  function chart() {
    var ind = $("s-indicator").value, subject = $("s-subject").value, svg = $("chart");
    var points = (data.series[ind] || []).filter(function (p) { return p[2] === subject; });
    var w = 760, h = 300, left = 56, bottom = 28, top = 12, right = 12, parts = [];
    svg.setAttribute("data-points", String(points.length));
    if (!points.length) { svg.innerHTML = "<text x=20 y=40>no yearly values for this subject</text>"; return; }
    var years = points.map(function (p) { return p[0]; }), values = points.map(function (p) { return p[3]; });
    var x0 = Math.min.apply(null, years), x1 = Math.max.apply(null, years);
    var y0 = Math.min(0, Math.min.apply(null, values)), y1 = Math.max.apply(null, values);
    if (x1 === x0) { x1 = x0 + 1; } if (y1 === y0) { y1 = y0 + 1; }
    function x(v) { return left + (v - x0) / (x1 - x0) * (w - left - right); }
    function y(v) { return h - bottom - (v - y0) / (y1 - y0) * (h - bottom - top); }
    parts.push("<line class=axis x1=" + left + " y1=" + (h - bottom) + " x2=" + (w - right) + " y2=" + (h - bottom) + " />");
    parts.push("<line class=axis x1=" + left + " y1=" + top + " x2=" + left + " y2=" + (h - bottom) + " />");
    [y0, (y0 + y1) / 2, y1].forEach(function (v) {
      parts.push("<text x=4 y=" + (y(v) + 4) + ">" + number(Math.round(v * 100) / 100) + "</text>");
    });
    [x0, Math.round((x0 + x1) / 2), x1].forEach(function (v) {
      parts.push("<text x=" + (x(v) - 14) + " y=" + (h - 8) + ">" + v + "</text>");
    });
    ["fact", "target", "forecast"].forEach(function (modality) {
      var own = points.filter(function (p) { return p[1] === modality; }).sort(function (a, b) { return a[0] - b[0]; });
      var color = {fact: "#2e7d32", target: "#1565c0", forecast: "#8e24aa"}[modality];
      if (own.length > 1) {
        parts.push("<polyline fill=none stroke=\\"" + color + "\\"" + (modality === "fact" ? "" : " stroke-dasharray=\\"5 4\\"") +
          " points=\\"" + own.map(function (p) { return x(p[0]) + "," + y(p[3]); }).join(" ") + "\\" />");
      }
      own.forEach(function (p) {
        var tip = "<title>" + esc(p[0] + " " + modality + ": " + number(p[3]) + (p[5] ? " (documents disagree: " + p[5] + ")" : "")) + "</title>";
        parts.push(modality === "fact"
          ? "<circle class=\\"point fact\\" cx=" + x(p[0]) + " cy=" + y(p[3]) + " r=4 fill=\\"" + color + "\\">" + tip + "</circle>"
          : "<rect class=\\"point " + modality + "\\" x=" + (x(p[0]) - 4) + " y=" + (y(p[3]) - 4) + " width=8 height=8 fill=white stroke=\\"" + color + "\\">" + tip + "</rect>");
      });
    });
    svg.innerHTML = parts.join("");
  }
  function subjects() {
    var ind = $("s-indicator").value, seen = {}, select = $("s-subject"), keep = select.value;
    (data.series[ind] || []).forEach(function (p) { seen[p[2]] = (seen[p[2]] || 0) + 1; });
    var names = Object.keys(seen).sort(function (a, b) { return seen[b] - seen[a]; });
    select.innerHTML = names.map(function (n) { return "<option value=\\"" + esc(n) + "\\">" + esc(n || "(none)") + "</option>"; }).join("");
    if (names.indexOf(keep) >= 0) { select.value = keep; }
    chart();
  }
  ["q", "f-from", "f-to"].forEach(function (id) { $(id).addEventListener("input", apply); });
  ["f-indicator", "f-modality", "f-dimension", "f-document"].forEach(function (id) { $(id).addEventListener("change", apply); });
  $("prev").addEventListener("click", function () { page = Math.max(0, page - 1); draw(); });
  $("next").addEventListener("click", function () { page = page + 1; draw(); });
  $("s-indicator").addEventListener("change", subjects);
  $("s-subject").addEventListener("change", chart);
  apply(); subjects();
  document.body.setAttribute("data-ready", "1");
})();
"""


def write_report(dataset: str | Path | Dataset, out: Path, max_docs: int | None = None) -> Path:
    """Write the browser into the folder `out` (replacing an earlier one); returns its index."""
    ds = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
    out = Path(out)
    if out.exists() and not (out / "index.html").exists() and any(out.iterdir()):
        raise FileExistsError(f"{out}: not empty and not a zhfacts report: refusing to replace it")
    shutil.rmtree(out / "docs", ignore_errors=True)
    (out / "docs").mkdir(parents=True)
    documents = _documents_by_date(ds)
    if max_docs is not None:
        documents = documents.head(max_docs)
    pages = {doc_id: f"docs/{number:04d}.html" for number, doc_id in enumerate(documents["doc_id"], 1)}
    claims = ds.claims[ds.claims["doc_id"].isin(pages)]
    sentences = ds.tables.get("sentences")
    spans = _spans_by_sentence(ds)
    by_doc_sentences = {} if sentences is None else dict(tuple(sentences.groupby("doc_id", sort=False)))
    by_doc_claims = dict(tuple(claims.groupby("doc_id", sort=False)))
    for doc in documents.itertuples(index=False):
        page = _document_page(ds, doc, by_doc_sentences.get(doc.doc_id), spans, by_doc_claims.get(doc.doc_id))
        (out / pages[doc.doc_id]).write_text(page, encoding="utf-8")
    index = out / "index.html"
    index.write_text(_index_page(ds, documents, pages, claims), encoding="utf-8")
    return index


def _documents_by_date(ds: Dataset) -> pd.DataFrame:
    """Documents by date (undated last), then title."""
    docs = ds.documents.assign(_date=ds.documents["published"].astype("string").fillna("~"),
                               _title=ds.documents["title"].astype("string").fillna(""))
    return docs.sort_values(["_date", "_title", "doc_id"], kind="stable").drop(columns=["_date", "_title"])


def _index_page(ds: Dataset, documents: pd.DataFrame, pages: dict[str, str], claims: pd.DataFrame) -> str:
    doc_number = {doc_id: i for i, doc_id in enumerate(documents["doc_id"])}
    data = {
        "columns": list(CLAIM_COLUMNS),
        "rows": _claim_rows(ds, claims, doc_number),
        "rows_per_page": ROWS_PER_PAGE,
        "documents": [{"title": _text(d.title) or d.doc_id, "date": _text(d.published), "page": pages[d.doc_id]}
                      for d in documents.itertuples(index=False)],
        "series": _series_points(ds, claims, doc_number),
    }
    table = indicators().indicators
    used = sorted({i for i in claims["indicator"].dropna().astype(str)}, key=lambda i: table[i].zh if i in table else i)
    indicator_options = "".join(f"<option value=\"{_e(i)}\">{_e(table[i].zh if i in table else i)} · {_e(i)}</option>"
                                for i in used)
    charted = [i for i in used if data["series"].get(i)]
    chart_options = "".join(f"<option value=\"{_e(i)}\">{_e(table[i].zh if i in table else i)} · {_e(i)}</option>"
                            for i in charted)
    doc_options = "".join(f"<option value=\"{n}\">{_e(_text(d.published))} {_e(_text(d.title) or d.doc_id)}</option>"
                          for n, d in enumerate(documents.itertuples(index=False)))

    def options(column: str) -> str:
        return "".join(f"<option>{_e(v)}</option>" for v in sorted(claims[column].dropna().astype(str).unique()))

    doc_rows = "".join(
        f"<tr><td>{_e(_text(d.published))}</td><td><a href=\"{_e(pages[d.doc_id])}\">{_e(_text(d.title) or d.doc_id)}</a>"
        f"</td><td class=num>{int((claims['doc_id'] == d.doc_id).sum())}</td><td>{_e(_text(d.status))}</td></tr>"
        for d in documents.itertuples(index=False))
    title = f"zhfacts: {ds.path.name or ds.path}"
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1><p class=meta>schema {_e(ds.schema_version or '?')} · ",
        f"{_e(_provenance(ds.package.get('provenance', {})))} · {len(documents)} documents, {len(claims)} claims</p>",
        "<h2>Series</h2><div class=filters>",
        f"<label>indicator<select id=s-indicator>{chart_options}</select></label>",
        "<label>subject<select id=s-subject></select></label>",
        "<span class=meta><span class=fact>● fact</span> · <span class=target>□ target</span> · "
        "<span class=forecast>□ forecast</span> (one value per year: see <code>zhfacts series</code>)</span></div>",
        "<svg id=chart width=760 height=300 role=img aria-label=\"indicator series\"></svg>",
        "<h2>Claims</h2><div class=filters>",
        "<label>search<input id=q type=search placeholder=\"metric, subject, sentence, title\"></label>",
        f"<label>indicator<select id=f-indicator><option value=\"\">any</option>{indicator_options}</select></label>",
        f"<label>modality<select id=f-modality><option value=\"\">any</option>{options('modality')}</select></label>",
        "<label>year from<input id=f-from type=number></label><label>to<input id=f-to type=number></label>",
        f"<label>dimension<select id=f-dimension><option value=\"\">any</option>{options('dimension')}</select></label>",
        f"<label>document<select id=f-document><option value=\"\">any</option>{doc_options}</select></label>",
        "</div><div class=pager><button id=prev type=button>◀</button><span id=page></span>"
        "<button id=next type=button>▶</button><span id=count></span></div>",
        "<table id=claims><thead><tr><th>document</th><th>metric</th><th>indicator</th><th>value</th><th>unit</th>"
        "<th>bound</th><th>subject</th><th>time</th><th>modality</th><th>sentence</th></tr></thead><tbody></tbody></table>",
        "<h2>Documents</h2><table id=documents><thead><tr><th>date</th><th>title</th><th>claims</th><th>status</th>"
        f"</tr></thead><tbody>{doc_rows}</tbody></table>",
        f"<script type=\"application/json\" id=data>{payload}</script><script>{_INDEX_JS}</script></body></html>\n",
    ])


def _claim_rows(ds: Dataset, claims: pd.DataFrame, doc_number: dict[str, int]) -> list[list]:
    """The claims as arrays of CLAIM_COLUMNS, each with its sentence and where the claim sits in
    it; past INDEX_SENTENCE_BUDGET characters of sentences, rows link to their page instead."""
    sentences = ds.tables.get("sentences")
    lookup = {} if sentences is None else {
        (row.doc_id, int(row.sent_id)): (_text(row.text), int(row.start))
        for row in sentences[["doc_id", "sent_id", "text", "start"]].itertuples(index=False)}
    rows, budget = [], INDEX_SENTENCE_BUDGET
    for c in claims.itertuples(index=False):
        sentence, sent_start = lookup.get((c.doc_id, int(c.sent_id)), (None, 0))
        mark = place_span(sentence, int(c.start) - sent_start, c.text) if sentence else None
        if sentence is not None:
            budget -= len(sentence)
            if budget < 0:
                sentence, mark = None, None
        time = _text(c.time)
        rows.append([doc_number[c.doc_id], int(c.claim_id), int(time[:4]) if time[:4].isdigit() else None, time or None,
                     None if pd.isna(c.value) else float(c.value), _text(c.unit) or None, _text(c.dimension),
                     _text(c.bound), _text(c.metric) or None, _text(c.indicator) or None, _text(c.subject) or None,
                     _text(c.modality), _text(c.kind), c.text, sentence, mark[0] if mark else None,
                     mark[1] if mark else None, int(c.sent_id)])
    return rows


def _series_points(ds: Dataset, claims: pd.DataFrame, doc_number: dict[str, int]) -> dict[str, list[list]]:
    """Per indicator: [year, modality, subject, value, document, values when documents disagree]."""
    yearly = yearly_claims(ds)
    yearly = yearly[yearly["doc_id"].isin(doc_number)]
    points: dict[str, list[list]] = {}
    for r in series_of(yearly).itertuples(index=False):
        points.setdefault(r.indicator, []).append([int(r.year), r.modality, r.subject, float(r.value),
                                                   doc_number[r.doc_id], r.values if r.conflict else None])
    return points


def _document_page(ds: Dataset, doc, sentences: pd.DataFrame | None, spans: dict, claims: pd.DataFrame | None) -> str:
    title = _text(doc.title) or doc.doc_id
    parts = ["<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">",
             f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
             "<p><a href=\"../index.html\">← all documents</a></p>",
             f"<h1>{_e(title)}</h1><p class=meta>{_e(doc.doc_id)} · {_e(_text(doc.published) or 'no date')} "
             f"({_e(_text(doc.published_from))}) · {_e(_text(doc.source))} · {_e(_text(doc.n_sentences))} sentences</p>",
             _legend()]
    if doc.status != "ok":
        parts.append(f"<p class=error>{_e(_text(doc.status))}: {_e(_text(doc.error))}</p>")
    if _text(getattr(doc, "warning", None)):
        parts.append(f"<p class=error>warning: {_e(_text(doc.warning))}</p>")
    unplaced = 0
    for sent in ([] if sentences is None else sentences.itertuples(index=False)):
        text = _text(sent.text)
        placed = []
        for start, end, surface, css, label in spans.get((doc.doc_id, int(sent.sent_id)), []):
            where = place_span(text, start - int(sent.start), surface)
            if where is None:
                unplaced += 1
            else:
                placed.append((*where, css, label))
        markup, crossing = highlight(text, placed)
        unplaced += crossing
        kind = _text(sent.kind)
        marker = "" if kind == "body" else f"<span class=kind>{_e(kind)}</span>"
        parts.append(f"<div class=\"sent {_e(kind)}\" id=s{int(sent.sent_id)}>{marker}{markup}</div>")
    if unplaced:
        parts.append(f"<p class=meta>{unplaced} spans could not be placed in the repaired text or cross another.</p>")
    parts.append("<h2>Claims</h2>" + _claims_table(claims))
    parts.append("</body></html>\n")
    return "".join(parts)


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> tuple[str, int]:
    """`text` with each (start, end, css class, label) span as a <mark>; spans nest, and one that
    crosses an open span is left out. Returns the markup and how many were left out."""
    ordered = sorted((s for s in spans if s[1] > s[0]), key=lambda s: (s[0], -s[1]))
    out, open_ends, position, dropped = [], [], 0, 0
    for start, end, css, label in ordered:
        while open_ends and open_ends[-1] <= start:
            out.append(_e(text[position:open_ends[-1]]) + "</mark>")
            position = open_ends.pop()
        if open_ends and end > open_ends[-1]:
            dropped += 1
            continue
        out.append(_e(text[position:start]) + f"<mark class=\"{css}\" title=\"{_e(label)}\">")
        position = start
        open_ends.append(end)
    while open_ends:
        out.append(_e(text[position:open_ends[-1]]) + "</mark>")
        position = open_ends.pop()
    out.append(_e(text[position:]))
    return "".join(out), dropped


def place_span(sentence: str, offset: int, text: str) -> tuple[int, int] | None:
    """Where `text` sits in the repaired sentence: the occurrence nearest `offset`."""
    for needle in (text, _WHITESPACE.sub("", text)):
        if not needle:
            continue
        hits, at = [], sentence.find(needle)
        while at >= 0:
            hits.append(at)
            at = sentence.find(needle, at + 1)
        if hits:
            start = min(hits, key=lambda hit: (abs(hit - offset), hit))
            return start, start + len(needle)
    return None


def _spans_by_sentence(ds: Dataset) -> dict[tuple[str, int], list[tuple[int, int, str, str, str]]]:
    """(doc_id, sent_id) -> [(raw start, raw end, text, css class, label)]."""
    found: dict[tuple[str, int], list] = defaultdict(list)
    for table, css, column in (("quantities", "qty", "dimension"), ("times", "time", "type"), ("entities", "ent", "label")):
        frame = ds.tables.get(table)
        if frame is None:
            continue
        for row in frame[["doc_id", "sent_id", "start", "end", "text", column]].itertuples(index=False):
            label = _text(row[5])
            style = f"ent\" style=\"--c:{ENTITY_COLORS.get(label, '#ddd')}" if css == "ent" else css
            found[(row.doc_id, int(row.sent_id))].append((int(row.start), int(row.end), row.text, style,
                                                           f"{table[:-1] if table != 'entities' else 'entity'} {label}"))
    return found


def _claims_table(claims: pd.DataFrame | None) -> str:
    if claims is None or claims.empty:
        return "<p class=meta>No claims.</p>"
    head = "".join(f"<th>{name}</th>" for name in ("sentence", "claim", "value", "unit", "metric", "indicator",
                                                  "subject", "time", "kind", "modality"))
    rows = "".join(
        f"<tr id=c{int(c.claim_id)} data-modality=\"{_e(_text(c.modality))}\"><td><a href=\"#s{int(c.sent_id)}\">"
        f"{int(c.sent_id)}</a></td><td>{_e(c.text)}</td><td class=num>{_e(_number(c.value))}</td><td>{_e(_text(c.unit))}"
        f"</td><td>{_e(_text(c.metric))}</td><td>{_e(_text(c.indicator))}</td><td>{_e(_text(c.subject))}</td>"
        f"<td>{_e(_text(c.time))}</td><td>{_e(_text(c.kind))}</td><td class=\"{_e(_text(c.modality))}\">"
        f"{_e(_text(c.modality))}</td></tr>"
        for c in claims.itertuples(index=False))
    return f"<table class=claims><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _legend() -> str:
    chips = ["<span style=\"background:#ffd166\">quantity</span>", "<span style=\"background:#9bd1ff\">time</span>"]
    chips += [f"<span style=\"background:{color}\">{label}</span>" for label, color in ENTITY_COLORS.items()]
    return f"<p class=legend>{''.join(chips)}</p>"


def _provenance(provenance: dict) -> str:
    return ", ".join(f"{key} {value}" for key, value in provenance.items() if key != "rules_sha256")


def _number(value) -> str:
    if value is None or pd.isna(value):
        return ""
    return f"{float(value):,.15g}"


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _e(text: str) -> str:
    return html.escape(text, quote=True)
