"""zhfacts report: a self-contained, escaped page, checked as rendered by headless Chromium.

The Chromium test keeps build/artifacts/report.html and report.png as artefacts of the run.
It fails (never skips) when Chromium is missing: CI must install Debian's `chromium`.
"""

import os
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.dataset import load_dataset
from pipeline.report import CLAIM_COLUMNS, build_report, place_span, write_report
from tests.conftest import ROOT
from tests.dataset_fixtures import TITLE_B, base_records, write_dataset

ARTIFACTS = ROOT / "build" / "artifacts"
VOID = {"meta", "br", "img", "hr", "input", "link", "wbr"}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return load_dataset(write_dataset(tmp_path_factory.mktemp("ds") / "outputs"))


class Page(HTMLParser):
    """What a reader sees: highlighted stretches, span labels, claim rows, scripts, <body> flags."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.highlights: list[str] = []
        self.labels: list[str] = []
        self.claim_tables: list[list[list[str]]] = []
        self.scripts = 0
        self.body: dict = {}
        self.titles: list[str] = []

    def _spans_depth(self):
        """Depth below the innermost div.spans, or None outside one."""
        for depth, (tag, attrs) in enumerate(reversed(self.stack)):
            if tag == "div" and "spans" in (attrs.get("class") or "").split():
                return depth
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "body":
            self.body = attrs
        if tag == "table" and "claims" in (attrs.get("class") or "").split():
            self.claim_tables.append([])
        if tag == "tr" and self.claim_tables and any(t == "tbody" for t, _ in self.stack):
            self.claim_tables[-1].append([])
        if tag == "td" and self.claim_tables and self.claim_tables[-1]:
            self.claim_tables[-1][-1].append("")
        if tag == "span" and self._spans_depth() == 0:
            self.highlights.append("")
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self.stack:
            return
        tag = self.stack[-1][0]
        depth = self._spans_depth()
        if tag == "span" and depth == 1:
            self.highlights[-1] += data.strip()
        elif tag == "span" and depth == 3:
            self.labels.append(data.strip())
        elif tag == "td" and self.claim_tables and self.claim_tables[-1]:
            self.claim_tables[-1][-1][-1] += data
        elif tag == "h2":
            self.titles.append(data)


def _chromium() -> str:
    found = os.environ.get("ZHFACTS_CHROMIUM") or shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        pytest.fail("headless Chromium is required for the report test and was not found: "
                    "install Debian's package (`apt-get install -y chromium`; .ci/run does this) "
                    "or point ZHFACTS_CHROMIUM at a chromium binary")
    return found


def _run_chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"chromium failed ({result.returncode}):\n{result.stderr[-2000:]}"
    return result


def test_place_span_uses_the_nearest_occurrence_and_repaired_whitespace():
    sentence = "增长5%，其中农村增长5%。"
    assert place_span(sentence, 10, "5%") == (11, 13)
    assert place_span(sentence, 0, "5%") == (2, 4)
    assert place_span("吸引了知名企业", 3, "知\n\n名企业") == (3, 7)
    assert place_span("吸引了知名企业", 3, "工厂") is None


def test_page_is_self_contained_and_escaped(dataset):
    page = build_report(dataset)
    lowered = page.lower()
    for external in ("http://", "https://", "<link", " src=", "@import", "url("):
        assert external not in lowered, external
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 测试" in page
    assert "&lt;i&gt;企业&lt;/i&gt; &amp; &quot;名&quot;" in page
    assert "&lt;b&gt;标题&lt;/b&gt;" in page
    parsed = Page()
    parsed.feed(page)
    assert parsed.scripts == 1
    assert TITLE_B in parsed.titles


def test_summary_counts_and_error_documents(dataset):
    page = build_report(dataset)
    assert "3 documents (1 failed)" in page
    assert "c.txt: line 0: empty file" in page
    assert '<td>currency</td><td class=num data-sort="2">2</td><td class=num data-sort="2">2</td>' in page
    assert '<td>GPE</td><td class=num data-sort="2">2</td><td class=num data-sort="4">4</td>' in page


def test_max_docs_keeps_the_summary_whole(dataset, tmp_path):
    page = build_report(dataset, max_docs=1)
    assert "Showing 1 of 3 documents" in page and "3 documents (1 failed)" in page
    assert 'data-doc="b"' not in page


def test_report_renders_in_headless_chromium(dataset, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html_path = ARTIFACTS / "report.html"
    assert main(["report", str(dataset.path), "--out", str(html_path)]) == 0
    profile = tmp_path / "chromium-profile"
    dom = _run_chromium(profile, "--dump-dom", html_path.resolve().as_uri() + "#sort=value:desc").stdout
    page = Page()
    page.feed(dom)

    records = base_records()
    spans = [row.text for name in ("quantities", "times", "entities") for row in records[name]]
    assert page.body.get("data-ready") == "1", "the page script did not run"
    assert int(page.body["data-rendered-labels"]) == len(spans), "span labels not laid out"
    for surface in spans:
        assert surface.replace("\n", "") in page.highlights
    assert {"GPE", "ORG", "QTY currency", "QTY percent", "QTY count", "TIME year"} <= set(page.labels)

    claims = {doc: [c for c in records["claims"] if c.doc_id == doc] for doc in ("a", "b")}
    assert [len(table) for table in page.claim_tables] == [len(claims["a"]), len(claims["b"])]
    values = [[float(row[2].replace(",", "")) for row in table] for table in page.claim_tables]
    assert values == [sorted((c.value for c in claims[doc]), reverse=True) for doc in ("a", "b")]
    metric = [column for _, column, _ in CLAIM_COLUMNS].index("metric")
    assert page.claim_tables[1][1][metric] == '<i>企业</i> & "名"'  # shown as text, not markup
    assert page.scripts == 1  # nothing from the data became a script

    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    _run_chromium(profile, "--window-size=1280,1600", f"--screenshot={screenshot}",
                  html_path.resolve().as_uri())
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 1600) and len(data) > 20_000


def test_cli_report_refuses_a_folder_that_is_not_a_dataset(tmp_path, capsys):
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "r.html")]) == 2
    assert "no datapackage.json" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()


def test_write_report_creates_parent_folders(dataset, tmp_path):
    out = write_report(dataset, tmp_path / "deep" / "report.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
