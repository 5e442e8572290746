"""Series: one indicator's values year by year, asked of the `indicator` column of a dataset.

One row per (year, modality, subject): the value from the document closest to the year (a fact
from the first document after the year — the report of Y+1 states Y's growth —, a target or a
forecast from the year's own document), with its provenance (document, offsets, sentence). Every
other claim of the group is counted, and when their values disagree the row says so (`conflict`,
`values`): disagreements between documents are shown, not hidden. Only claims dated by a whole
year and in the indicator's own dimension count: a half year, a five-year average or a change of
a ratio in percentage points is another series.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.dataset import Dataset, load_dataset
from pipeline.indicators import indicators

COLUMNS = ["indicator", "year", "modality", "subject", "value", "unit", "bound", "lower", "upper",
           "n_claims", "n_documents", "values", "conflict", "doc_id", "title", "published", "start", "end",
           "text", "metric", "sentence"]
_YEAR = r"^\d{4}$"


def series(data: Dataset | str | Path, indicator: str, subject: str | None = None) -> pd.DataFrame:
    """The indicator's series in a dataset (a folder or a loaded Dataset); `subject` keeps one
    subject (`中国`), None keeps every subject, each its own rows."""
    if indicator not in indicators().indicators:
        raise ValueError(f"unknown indicator {indicator!r} (see rules/indicators.yaml)")
    ds = data if isinstance(data, Dataset) else load_dataset(data)
    return series_of(yearly_claims(ds), indicator, subject)


def yearly_claims(ds: Dataset) -> pd.DataFrame:
    """The claims that have an indicator and a whole year, with their document and sentence."""
    claims = ds.claims[ds.claims["indicator"].notna()
                       & ds.claims["time"].astype("string").str.fullmatch(_YEAR).fillna(False)]
    claims = claims.merge(ds.documents[["doc_id", "title", "published"]], on="doc_id", how="left")
    if "sentences" in ds.tables:
        sentences = ds.sentences[["doc_id", "sent_id", "text"]].rename(columns={"text": "sentence"})
        claims = claims.merge(sentences, on=["doc_id", "sent_id"], how="left")
    else:
        claims = claims.assign(sentence=pd.NA)
    return claims.assign(year=claims["time"].astype(int), indicator=claims["indicator"].astype("string"),
                         subject=claims["subject"].astype("string").fillna(""),
                         modality=claims["modality"].astype("string"))


def series_of(claims: pd.DataFrame, indicator: str, subject: str | None = None) -> pd.DataFrame:
    """`series` over the frame `yearly_claims` made (a report of many indicators reads it once)."""
    # the indicator's own dimension: 赤字率3% is the ratio, 下调0.4个百分点 a change of it
    chosen = claims[(claims["indicator"] == indicator)
                    & (claims["dimension"].astype("string") == indicators().indicators[indicator].dimensions[0])]
    if subject is not None:
        chosen = chosen[chosen["subject"] == subject]
    if chosen.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = [_row(indicator, key, group) for key, group in chosen.groupby(["year", "modality", "subject"], sort=True)]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(indicator: str, key: tuple, group: pd.DataFrame) -> dict:
    year, modality, subject = key
    published = pd.to_numeric(group["published"].astype("string").str[:4], errors="coerce")
    # a fact is best stated by the first document after its year, a target by the year's own
    expected = year + 1 if modality == "fact" else year
    distance = (published - expected).abs().fillna(9999)
    best = group.assign(_distance=distance.to_numpy()).sort_values(["_distance", "doc_id", "start"]).iloc[0]
    values = sorted(set(group["value"].dropna().round(6)))
    return {
        "indicator": indicator, "year": year, "modality": modality, "subject": subject,
        "value": best["value"], "unit": best["unit"], "bound": best["bound"], "lower": best["lower"],
        "upper": best["upper"], "n_claims": len(group), "n_documents": group["doc_id"].nunique(),
        "values": ";".join(f"{v:g}" for v in values), "conflict": len(values) > 1,
        "doc_id": best["doc_id"], "title": best["title"], "published": best["published"],
        "start": best["start"], "end": best["end"], "text": best["text"], "metric": best["metric"],
        "sentence": best["sentence"],
    }
