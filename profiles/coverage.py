"""Profile coverage: which profiles did we hear less than the buurt likely holds?

Post-stratification: the profile mix among respondents in each demographic cell (e.g.
age band × gender), weighted by that cell's share of the population. Cells without
respondents cannot be estimated; they are reported as not covered (that gap is itself
the "not reached" signal), and the estimate speaks for the covered part of the buurt.
Inputs are plain tables, so this does not depend on how the reference was loaded.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from profiles.model import ProfileResult
from surveys.categories import AGE_BANDS

UNDER = 0.8
OVER = 1.25


def cbs_age_band(respondents: pd.DataFrame) -> pd.Series:
    """The CBS age band per respondent: from the exact age if known, else the band if it is one."""
    band = respondents["age_band"].astype(object) if "age_band" in respondents.columns else \
        pd.Series([None] * len(respondents), index=respondents.index, dtype=object)
    band = band.where(band.isin(list(AGE_BANDS)), None)
    if "age" in respondents.columns:
        age = pd.to_numeric(respondents["age"], errors="coerce")
        for code, (lo, hi) in AGE_BANDS.items():
            hit = (age >= lo) & ((age < hi) if hi is not None else True)
            band = band.where(~hit, code)
    return band


def _profiles_per_row(result: ProfileResult, respondents: pd.DataFrame) -> pd.Series:
    assignments = result.assignments
    if len(assignments) == len(respondents) and (
            assignments["respondent_id"].astype(str).to_numpy() == respondents["respondent_id"].astype(str).to_numpy()).all():
        return pd.Series(assignments["profile"].to_numpy(), index=respondents.index)
    lookup = dict(zip(assignments["respondent_id"].astype(str), assignments["profile"]))
    return respondents["respondent_id"].astype(str).map(lookup)


def profile_coverage(result: ProfileResult, respondents: pd.DataFrame,
                     population_cells: pd.DataFrame, *, under: float = UNDER, over: float = OVER) -> pd.DataFrame:
    """Per profile: respondent share, post-stratified population share, ratio and flag.

    `population_cells` has one column per demographic dimension (e.g. `age_band`, `gender`,
    with the same codes as the respondents table) plus `population_share`. The result's
    `attrs["uncovered_cells"]` lists the cells without respondents with a profile.
    """
    dims = [c for c in population_cells.columns if c != "population_share"]
    if not dims or "population_share" not in population_cells.columns:
        raise ValueError("De celtabel heeft kolommen per kenmerk (bijv. age_band, gender) en "
                         "een kolom population_share nodig.")
    cells = population_cells.copy()
    cells["population_share"] = cells["population_share"].astype(float)
    cells["population_share"] /= cells["population_share"].sum()
    frame = pd.DataFrame({d: (cbs_age_band(respondents) if d == "age_band" else respondents[d]).astype(object)
                          for d in dims}, index=respondents.index)
    frame["profile"] = _profiles_per_row(result, respondents)
    frame = frame[frame["profile"].notna()]
    frame["profile"] = frame["profile"].astype(int)
    ids = [c.id for c in result.cards]
    names = {c.id: c.name for c in result.cards}
    respondent_share = frame["profile"].value_counts(normalize=True).reindex(ids, fill_value=0.0)

    known = frame.dropna(subset=dims)
    mix = pd.crosstab([known[d] for d in dims], known["profile"], normalize="index").reindex(columns=ids, fill_value=0.0)
    keyed = cells.set_index(dims)
    covered = keyed.index.isin(mix.index)
    covered_share = float(keyed.loc[covered, "population_share"].sum())
    if covered_share > 0:
        weights = keyed.loc[covered, "population_share"] / covered_share
        estimate = (mix.loc[keyed.index[covered]].mul(weights.to_numpy(), axis=0)).sum(axis=0)
    else:
        estimate = pd.Series(np.nan, index=ids)
    out = pd.DataFrame({"profile": ids, "name": [names[i] for i in ids],
                        "respondent_share": respondent_share.to_numpy(),
                        "population_share_estimate": estimate.reindex(ids).to_numpy(dtype=float)})
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = out["respondent_share"] / out["population_share_estimate"]
    out["flag"] = np.select([out["ratio"] < under, out["ratio"] > over, out["ratio"].notna()],
                            ["under", "over", "ok"], default="unknown")
    out["covered_share"] = covered_share
    out.attrs["uncovered_cells"] = cells.loc[~covered].reset_index(drop=True).to_dict(orient="records")
    return out


def profile_by_channel(result: ProfileResult, respondents: pd.DataFrame) -> pd.DataFrame:
    """Counts of each profile per channel: which channel reached which profile."""
    profiles = _profiles_per_row(result, respondents)
    names = {c.id: c.name for c in result.cards}
    keep = profiles.notna()
    channel = respondents.get("channel", pd.Series("onbekend", index=respondents.index))
    channel = channel.astype(object).where(channel.notna(), "onbekend")
    table = pd.crosstab(profiles[keep].astype(int).map(names), channel[keep])
    table.index.name, table.columns.name = "profiel", "kanaal"
    return table
