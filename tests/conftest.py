"""Shared fixtures: the seed document and paths to the shared data."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "000_42766f52b4656d20.txt"
SEED_DATE = "2021-08-23"
GOV_REPORTS = SHARED / "corpora" / "gov-work-reports" / "government_work_reports.jsonl"


@pytest.fixture(scope="session")
def seed_raw() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_prepared(seed_raw):
    from pipeline.repair import prepare_text
    from pipeline.segment import segment

    return segment(prepare_text(seed_raw, SEED.stem, SEED_DATE))
