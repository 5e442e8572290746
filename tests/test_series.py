"""`zhfacts series` against figures read by hand from the government work reports
(tests/fixtures/series): the researcher's question asked of the `indicator` column.

A year-point is *found* when the series' values for (year, modality) of the country include the
figure, and *answered* when the figure is the only value the claims give (the `values` column):
a wrong neighbour (GDP per capita, regional GDP, a five-year average) mapped to the indicator
makes a second value and costs the point.
"""

import csv
import math
from collections import defaultdict

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.timeseries import COLUMNS, series
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "series" / "gwr_series.csv"
# (indicator, share of year-points found, share answered with the figure alone)
TARGETS = {
    "gdp_growth": (1.0, 0.97),
    "cpi_inflation": (1.0, 0.95),
    "surveyed_unemployment_rate": (1.0, 0.83),
    "registered_unemployment_rate": (1.0, 0.93),
    "grain_output": (0.65, 0.65),
    "deficit_ratio": (0.9, 0.85),
    "new_urban_jobs": (0.97, 0.94),
}


def _fixture() -> dict[str, list[dict]]:
    rows = defaultdict(list)
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["indicator"]].append(row)
    return rows


def _score(table: pd.DataFrame, points: list[dict]) -> tuple[list, list]:
    """The fixture's points the series finds, and those it answers with the figure alone."""
    by_key = {(int(r.year), r.modality): r for r in table.itertuples(index=False)}
    found, answered = [], []
    for point in points:
        row = by_key.get((int(point["year"]), point["modality"]))
        if row is None:
            continue
        values = [float(v) for v in str(row.values).split(";") if v]
        if any(math.isclose(v, float(point["value"]), rel_tol=1e-6) for v in values):
            found.append(point)
            if len(values) == 1:
                answered.append(point)
    return found, answered


@pytest.fixture(scope="module")
def figures(reports_dataset):
    result = {}
    for indicator, points in _fixture().items():
        table = series(reports_dataset, indicator, subject="中国")
        result[indicator] = (table, points, *_score(table, points))
    return result


def test_fixture_covers_the_researchers_question():
    points = _fixture()
    assert set(points) == set(TARGETS)
    gdp = {(int(p["year"]), p["modality"]) for p in points["gdp_growth"]}
    assert len(gdp) >= 37 and not any(year == 2022 and m == "fact" or year == 2023 and m == "target"
                                      for year, m in gdp), "the reserved 2023 report must stay out"


@pytest.mark.parametrize("indicator", sorted(TARGETS))
def test_series_gives_the_reports_figures(figures, indicator):
    table, points, found, answered = figures[indicator]
    want_found, want_answered = TARGETS[indicator]
    missed = [(p["year"], p["modality"], p["value"]) for p in points if p not in found]
    ambiguous = [(p["year"], p["modality"], p["value"]) for p in found if p not in answered]
    summary = f"{indicator}: found {len(found)}/{len(points)}, answered {len(answered)}/{len(points)}"
    print(summary)
    assert len(found) >= want_found * len(points), f"{summary}; missed {missed}"
    assert len(answered) >= want_answered * len(points), f"{summary}; more than one value for {ambiguous}"


def test_series_rows_carry_provenance(figures):
    table = figures["gdp_growth"][0]
    assert list(table.columns) == COLUMNS
    assert not table.duplicated(["year", "modality", "subject"]).any()
    row = table[(table["year"] == 2024) & (table["modality"] == "target")].iloc[0]
    assert row["value"] == 5 and row["bound"] == "approx" and row["published"].startswith("2024")
    assert row["text"] in row["sentence"] and row["start"] < row["end"]


def test_documents_that_disagree_are_shown_not_hidden(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("各位代表：\n\n过去一年，国内生产总值增长5.2%。\n", encoding="utf-8")
    (docs / "b.txt").write_text("各位代表：\n\n过去一年，国内生产总值增长5.3%。\n", encoding="utf-8")
    (docs / "manifest.csv").write_text("file,title,published,genre\na.txt,2024年政府工作报告,2024-03-05,report\n"
                                       "b.txt,2024年政府工作报告（修订）,2024-03-06,report\n", encoding="utf-8")
    assert main(["extract", str(docs), "--out", str(tmp_path / "ds"), "--quiet", "--no-cache"]) == 0
    table = series(tmp_path / "ds", "gdp_growth")
    row = table[(table["year"] == 2023) & (table["modality"] == "fact")].iloc[0]
    assert row["conflict"] and row["values"] == "5.2;5.3" and row["n_documents"] == 2


def test_cli_series_writes_a_csv(reports_dataset, tmp_path, capsys):
    out = tmp_path / "gdp.csv"
    assert main(["series", "gdp_growth", "--data", str(reports_dataset), "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert {"fact", "target"} <= set(table["modality"]) and (table["subject"] == "中国").all()
    assert main(["series", "no_such_indicator", "--data", str(reports_dataset)]) == 2
    assert "unknown indicator" in capsys.readouterr().err


def test_series_is_in_the_public_api(reports_dataset):
    import pipeline

    assert pipeline.series(reports_dataset, "gdp_growth", subject="中国").equals(
        series(reports_dataset, "gdp_growth", subject="中国"))


def test_a_change_over_several_years_is_no_yearly_value(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("各位代表：\n\n2005年国内生产总值达到18.23万亿元，比上年增长9.9%。2005年与2000年相比，"
                                "国内生产总值增长57.3%。\n", encoding="utf-8")
    (docs / "manifest.csv").write_text("file,title,published,genre\na.txt,2006年政府工作报告,2006-03-05,report\n",
                                       encoding="utf-8")
    assert main(["extract", str(docs), "--out", str(tmp_path / "ds"), "--quiet", "--no-cache"]) == 0
    table = series(tmp_path / "ds", "gdp_growth")
    row = table[(table["year"] == 2005) & (table["modality"] == "fact")].iloc[0]
    assert row["values"] == "9.9" and not row["conflict"]
