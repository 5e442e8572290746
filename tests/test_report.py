"""zhfacts report: the corpus browser. Static checks of the pages, then a reader's session in
headless Chromium driven by Playwright: search, filters, the series chart and a document page.

The Chromium test keeps build/artifacts/report/ and report.png as artefacts of the run. It fails
(never skips) when Chromium is missing: CI must install Debian's `chromium` (.ci/run does).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.dataset import load_dataset
from pipeline.report import highlight, place_span, write_report
from tests.conftest import ROOT, open_reports
from tests.dataset_fixtures import TITLE_B, write_dataset

ARTIFACTS = ROOT / "build" / "artifacts"
MAX_PAGE_BYTES = 5 * 1024 * 1024
EXTERNAL = ("http://", "https://", "<link", " src=", "@import", "url(")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return load_dataset(write_dataset(tmp_path_factory.mktemp("ds") / "outputs"))


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory) -> Path:
    """The 2021, 2022 and 2024 government work reports: targets and facts of several indicators."""
    folder = tmp_path_factory.mktemp("three")
    reports = open_reports(folder / "all.jsonl")
    wanted = [line for line in reports.read_text(encoding="utf-8").splitlines()
              if json.loads(line)["title"].startswith(("2021年", "2022年", "2024年"))
              and json.loads(line)["title"].endswith("政府工作报告")]
    assert len(wanted) == 3
    corpus = folder / "three.jsonl"
    corpus.write_text("\n".join(wanted) + "\n", encoding="utf-8")
    assert main(["extract", str(corpus), "--out", str(folder / "dataset"), "--quiet", "--no-cache"]) == 0
    return folder / "dataset"


def _chromium() -> str:
    found = os.environ.get("ZHFACTS_CHROMIUM") or shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        pytest.fail("headless Chromium is required for the report test and was not found: "
                    "install Debian's package (`apt-get install -y chromium`; .ci/run does this) "
                    "or point ZHFACTS_CHROMIUM at a chromium binary")
    return found


def test_place_span_uses_the_nearest_occurrence_and_repaired_whitespace():
    sentence = "增长5%，其中农村增长5%。"
    assert place_span(sentence, 10, "5%") == (11, 13)
    assert place_span(sentence, 0, "5%") == (2, 4)
    assert place_span("吸引了知名企业", 3, "知\n\n名企业") == (3, 7)
    assert place_span("吸引了知名企业", 3, "工厂") is None


def test_highlight_nests_spans_and_counts_the_crossing_ones():
    markup, dropped = highlight("重庆GDP增长5%<", [(0, 2, "ent", "GPE"), (0, 5, "ent", "ORG"), (7, 9, "qty", "percent"),
                                                 (4, 8, "time", "crossing")])
    assert dropped == 1
    assert markup == ('<mark class="ent" title="ORG"><mark class="ent" title="GPE">重庆</mark>GDP</mark>增长'
                      '<mark class="qty" title="percent">5%</mark>&lt;')


def test_pages_are_self_contained_and_escaped(dataset, tmp_path):
    index = write_report(dataset, tmp_path / "report")
    pages = [index, *sorted((tmp_path / "report" / "docs").glob("*.html"))]
    assert len(pages) == 1 + len(dataset.documents)
    for page in pages:
        text = page.read_text(encoding="utf-8").lower()
        for external in EXTERNAL:
            assert external not in text, (page.name, external)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in text
    index_text = index.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 测试" in index_text
    payload = index_text.split('<script type="application/json" id=data>')[1].split("</script>")[0]
    data = json.loads(payload)  # the data island parses, and no `</` inside it ends the script early
    assert TITLE_B in [d["title"] for d in data["documents"]]
    assert len(data["rows"]) == len(dataset.claims)


def test_documents_are_sorted_by_date_and_failures_shown(dataset, tmp_path):
    index = write_report(dataset, tmp_path / "report")
    data = json.loads(index.read_text(encoding="utf-8").split("id=data>")[1].split("</script>")[0])
    dates = [d["date"] for d in data["documents"]]
    assert dates == sorted(d for d in dates if d) + [d for d in dates if not d]
    failed = [p for p in (tmp_path / "report" / "docs").glob("*.html") if "c.txt: line 0: empty file" in p.read_text()]
    assert len(failed) == 1


def test_report_replaces_its_own_folder_only(dataset, tmp_path):
    out = tmp_path / "report"
    write_report(dataset, out)
    write_report(dataset, out, max_docs=1)
    assert len(list((out / "docs").glob("*.html"))) == 1
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    assert main(["report", str(dataset.path), "--out", str(other)]) == 2
    assert (other / "notes.txt").read_text() == "mine"


def test_cli_report_refuses_a_folder_that_is_not_a_dataset(tmp_path, capsys):
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "r")]) == 2
    assert "not a zhfacts dataset" in capsys.readouterr().err


def test_corpus_pages_stay_small(reports_dataset, tmp_path):
    index = write_report(reports_dataset, tmp_path / "report")
    pages = [index, *(tmp_path / "report" / "docs").glob("*.html")]
    assert len(pages) == 1 + len(load_dataset(reports_dataset).documents)
    sizes = {page.name: page.stat().st_size for page in pages}
    assert max(sizes.values()) <= MAX_PAGE_BYTES, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


def test_browser_session_in_headless_chromium(three_reports):
    from playwright.sync_api import sync_playwright

    out = ARTIFACTS / "report"
    shutil.rmtree(out, ignore_errors=True)
    assert main(["report", str(three_reports), "--out", str(out)]) == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto((out / "index.html").resolve().as_uri())
            page.wait_for_selector("body[data-ready='1']")

            def count() -> int:
                return int(page.get_attribute("#claims", "data-count"))

            def visible(column: int) -> list[str]:
                return page.eval_on_selector_all(f"#claims tbody tr td:nth-child({column})",
                                                 "cells => cells.map(c => c.textContent)")

            total = count()
            assert total == len(load_dataset(three_reports).claims) and len(visible(2)) == 100
            page.fill("#q", "粮食")
            assert 0 < count() < total
            rows = page.eval_on_selector_all("#claims tbody tr", "rows => rows.map(r => r.textContent)")
            assert rows and all("粮食" in row for row in rows)
            assert page.locator("#claims tbody mark").count() > 0  # the claim is marked in its sentence
            page.fill("#q", "")
            page.select_option("#f-modality", "target")
            targets = count()
            assert 0 < targets < total and set(visible(9)) == {"target"}
            page.fill("#f-from", "2024")
            page.fill("#f-to", "2024")
            assert 0 < count() <= targets
            page.select_option("#f-modality", "")
            page.fill("#f-from", "")
            page.fill("#f-to", "")
            page.select_option("#f-indicator", "gdp_growth")
            assert count() >= 3 and set(visible(3)) == {"gdp_growth"}

            page.select_option("#s-indicator", "gdp_growth")
            page.select_option("#s-subject", "中国")
            assert page.locator("#chart circle.fact").count() >= 2  # 2020, 2021, 2023 achieved
            assert page.locator("#chart rect.target").count() >= 3  # 2021, 2022, 2024 targets
            assert int(page.get_attribute("#chart", "data-points")) == (
                page.locator("#chart .point").count())
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)

            page.click("#claims tbody tr:first-child td:first-child a")
            page.wait_for_load_state()
            assert page.url.split("#")[0].endswith(".html") and "/docs/" in page.url
            assert page.locator(".sent mark.qty").count() > 10 and page.locator(".sent mark.ent").count() > 0
            anchor = page.url.split("#")[1]
            assert page.locator(f"tr#{anchor}").count() == 1
            assert not errors, errors
        finally:
            browser.close()
