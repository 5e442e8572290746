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
import regex

from pipeline.dataset import Dataset, load_dataset
from pipeline.indicators import indicators

COLUMNS = ["indicator", "year", "modality", "subject", "value", "unit", "bound", "lower", "upper",
           "n_claims", "n_documents", "values", "conflict", "doc_id", "title", "published", "start", "end",
           "text", "metric", "sentence"]
_YEAR = r"^\d{4}$"
_BASIS_YEAR = regex.compile(r"(?:1[89]|20)\d\d")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def series(data: Dataset | str | Path, indicator: str, subject: str | None = None) -> pd.DataFrame:
    """The indicator's series in a dataset (a folder or a loaded Dataset); `subject` keeps one
    subject (`中国`), None keeps every subject, each its own rows."""
    if indicator not in indicators().indicators:
        raise ValueError(f"unknown indicator {indicator!r} (see rules/indicators.yaml)")
    ds = data if isinstance(data, Dataset) else load_dataset(data)
    return series_of(yearly_claims(ds), indicator, subject)


def _basis_year(basis: str) -> int | None:
    """The year a comparison basis names (比2002年, 与二〇〇〇年相比), if any."""
    found = _BASIS_YEAR.search(basis.translate(_CHINESE_DIGITS))
    return int(found[0]) if found else None


def yearly_claims(ds: Dataset) -> pd.DataFrame:
    """The claims that have an indicator and a whole year, with their document and sentence; a
    change against a year other than the one before (与2000年相比，增长57.3%) is no yearly value."""
    claims = ds.claims[ds.claims["indicator"].notna()
                       & ds.claims["time"].astype("string").str.fullmatch(_YEAR).fillna(False)]
    base_years = claims["basis"].astype("string").fillna("").map(_basis_year)
    claims = claims[base_years.isna().to_numpy() | (base_years == claims["time"].astype(int) - 1).to_numpy()]
    claims = claims.merge(ds.documents[["doc_id", "title", "published"]], on="doc_id", how="left")
    if "sentences" in ds.tables:
        sentences = ds.sentences[["doc_id", "sent_id", "text"]].rename(columns={"text": "sentence"})
        claims = claims.merge(sentences, on=["doc_id", "sent_id"], how="left")
    else:
        claims = claims.assign(sentence=pd.NA)
    return claims.assign(year=claims["time"].astype(int), indicator=claims["indicator"].astype("string"),
                         subject=claims["subject"].astype("string").fillna(""),
                         modality=claims["modality"].astype("string"))


def series_of(claims: pd.DataFrame, indicator: str | None = None, subject: str | None = None) -> pd.DataFrame:
    """`series` over the frame `yearly_claims` made; with no `indicator`, every indicator's series
    at once (a report of many indicators groups the claims once)."""
    table = indicators().indicators
    own_dimension = claims["indicator"].map(lambda i: table[i].dimensions[0] if i in table else None)
    # the indicator's own dimension: 赤字率3% is the ratio, 下调0.4个百分点 a change of it
    chosen = claims[claims["dimension"].astype("string").to_numpy() == own_dimension.to_numpy()]
    if indicator is not None:
        chosen = chosen[chosen["indicator"] == indicator]
    if subject is not None:
        chosen = chosen[chosen["subject"] == subject]
    if chosen.empty:
        return pd.DataFrame(columns=COLUMNS)
    keys = ["indicator", "year", "modality", "subject"]
    # a fact is best stated by the first document after its year, a target by the year's own
    expected = chosen["year"] + (chosen["modality"] == "fact").astype(int)
    published = pd.to_numeric(chosen["published"].astype("string").str[:4], errors="coerce")
    ranked = chosen.assign(_distance=(published - expected).abs().fillna(9999), _value=chosen["value"].round(6))
    ranked = ranked.sort_values([*keys, "_distance", "doc_id", "start"], kind="stable")
    groups = ranked.groupby(keys, sort=False)
    best = groups.head(1).set_index(keys)
    values = groups["_value"].agg(lambda v: sorted(set(v.dropna())))
    best = best.assign(n_claims=groups.size(), n_documents=groups["doc_id"].nunique(),
                       values=values.map(lambda v: ";".join(f"{x:g}" for x in v)), conflict=values.map(len) > 1)
    return best.reset_index()[COLUMNS].sort_values(["indicator", "year", "modality", "subject"], ignore_index=True)
