"""Peer benchmarks must not regress below the recorded figures, and every failure must be declined."""

from __future__ import annotations

import json

import pytest

from pipeline import time_specs

RECORDED = json.loads(time_specs.RECORDED_PATH.read_text(encoding="utf-8"))
needs_specs = pytest.mark.skipif(not time_specs.SPECS_ROOT.exists(), reason="Recognizers-Text specs absent")
needs_pku = pytest.mark.skipif(not time_specs.PKU98_PATH.exists(), reason="PKU98 sample absent")


@needs_specs
def test_datetime_pass_rate_not_below_recorded():
    passed, total, _declined = time_specs.run_datetime_specs()
    assert total == RECORDED["datetime_model"]["total"]
    assert passed / total >= RECORDED["datetime_model"]["pass_rate"]


@needs_specs
def test_every_failing_case_is_declined_with_a_reason():
    declined = time_specs.declined_cases()
    assert all(reason.strip() for reason in declined.values())
    assert set(time_specs.failing_cases()) <= set(declined)


@needs_specs
def test_declined_cases_exist():
    indices = {i for i, _ in time_specs.datetime_cases()}
    assert set(time_specs.declined_cases()) <= indices


@needs_pku
def test_pku98_date_recall_not_below_recorded():
    result = time_specs.pku98_date_recall()
    assert result["gold_spans"] == RECORDED["pku98_dates"]["gold_spans"]
    assert result["recall"] >= RECORDED["pku98_dates"]["recall"]
    assert result["exact_recall"] >= RECORDED["pku98_dates"]["exact_recall"]


def test_interval_comparison():
    starts, ends = time_specs._our_bounds("1995/1997")
    assert starts == {time_specs.dt.date(1995, 1, 1)}
    assert ends == {time_specs.dt.date(1997, 1, 1), time_specs.dt.date(1998, 1, 1)}
    assert time_specs._unit_bounds("2021-H2") == (time_specs.dt.date(2021, 7, 1), time_specs.dt.date(2022, 1, 1))
    assert time_specs._our_bounds("../2018")[0] == {None}
