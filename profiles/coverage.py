"""Profile coverage: which profiles did we hear less than the buurt likely holds?

Who joins a participation survey depends above all on how engaged people are, which is
what the profiles measure. Weighting on age and gender cannot correct that: within one
age group the engaged still answer more often. So this module is honest in two ways:

- With a probability sample (a Burgerpeiling or other random sample, with its weights):
  its respondents are classified with the same fitted model, and their weighted profile
  shares are the reference for the buurt, with a 95% interval (Wilson on the Kish
  effective sample size). Both sides of the ratio are the group's own class shares under
  the fitted answer patterns (for latent classes: EM on the shares alone, so the
  respondents' mix is not used as the sample's prior), so they are measured alike; the
  ratio's interval adds the uncertainty of both shares
  (delta method on the log ratio).
- Without one: the post-stratified estimate (profile mix per age × gender cell, weighted
  by the cell's population share) is the point that assumes no self-selection within
  cells, and sensitivity bounds say how far the truth may lie from it under a stated
  assumption: people who are more engaged and more trusting (the mean of a profile's two
  axis scores) take part at least as often as those who are less so (never less), and at
  most `max_response_ratio` (4) times as often. Without axis scores the order is left
  free (any profile up to 4 times as often as any other).

A flag is "under" only when the whole bracket lies below 1 (under-reached in every
scenario) and the point below 0.8, "over" likewise above 1 and 1.25, "ok" only when the
whole bracket lies within 0.8–1.25, else "uncertain". Cells without respondents cannot
be estimated; they are listed as not covered.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from profiles.model import ProfileResult
from profiles.wording import pct_nl, pct_pair
from surveys.categories import AGE_BANDS
from surveys.errors import InputError
from surveys.thresholds import OVER, UNDER

MAX_RESPONSE_RATIO = 4.0
PROBABILITY_CHANNELS = frozenset({"steekproef", "aselecte steekproef", "aselecte_steekproef", "burgerpeiling",
                                  "probability_sample"})
Z95 = 1.959963984540054
CAVEAT = ("Wie meedoet aan een participatieonderzoek, hangt vooral af van hoe betrokken iemand zelf is. "
          "Wegen op leeftijd en geslacht lost dat niet op: ook binnen dezelfde leeftijdsgroep doen "
          "betrokken bewoners vaker mee dan bewoners die op afstand staan. Het aandeel van een profiel "
          "onder de gesproken mensen zegt dus weinig over het aandeel in de buurt.")
ASSUMPTION = ("Zonder aselecte steekproef geven we een bandbreedte. We nemen aan dat bewoners die meer "
              "betrokken zijn en meer vertrouwen hebben, minstens zo vaak meedoen als bewoners die dat "
              "minder zijn, en hooguit {gamma} keer zo "
              "vaak{within}. Het middelste getal gaat ervan uit dat iedereen{within_point} even vaak "
              "meedoet; dat is bijna nooit zo.")
ASSUMPTION_FREE = ("Zonder aselecte steekproef geven we een bandbreedte. We nemen aan dat geen profiel meer "
                   "dan {gamma} keer zo vaak meedoet als een ander profiel{within}. Het middelste getal "
                   "gaat ervan uit dat iedereen{within_point} even vaak meedoet; dat is bijna nooit zo.")
WITH_SAMPLE = ("Het aandeel in de buurt komt uit de aselecte steekproef ({n} mensen, gewogen), ingedeeld "
               "met hetzelfde model als de gesproken mensen; de bandbreedte is het 95%-interval.")


PROFILE_COVERAGE_COLUMNS = ["profile", "name", "respondent_share", "population_share_estimate", "ratio", "flag",
                            "covered_share", "reference", "share_low", "share_high", "ratio_low", "ratio_high",
                            "possibly_under"]


@dataclass(frozen=True)
class ProfileShare:
    """One profile: its share among the respondents and in the buurt, the ratio and its flag."""

    profile: int
    name: str
    respondent_share: float
    population_share_estimate: float   # NaN: no estimate (no covered cell)
    ratio: float
    flag: str            # under | over | ok | uncertain | unknown (see the module text)
    covered_share: float
    reference: str       # steekproef | cbs_cellen | gesproken
    share_low: float
    share_high: float
    ratio_low: float
    ratio_high: float
    possibly_under: bool  # "uncertain", but the bracket reaches below UNDER

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProfileShare:
        floats = ("respondent_share", "population_share_estimate", "ratio", "covered_share", "share_low",
                  "share_high", "ratio_low", "ratio_high")
        return cls(profile=int(data["profile"]), name=str(data["name"]), flag=str(data["flag"]),
                   reference=str(data["reference"]), possibly_under=bool(data["possibly_under"]),
                   **{k: float("nan") if data[k] is None else float(data[k]) for k in floats})


@dataclass(frozen=True)
class ProfileCoverageResult:
    """Profile coverage: one ProfileShare per profile plus the reference, caveat, assumption
    and uncovered cells; `to_frame()` gives the table (PROFILE_COVERAGE_COLUMNS) only."""

    profiles: tuple[ProfileShare, ...]
    reference: str
    caveat: str = CAVEAT
    assumption: str = ""
    uncovered_cells: tuple[dict[str, Any], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.profiles

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([p.to_dict() for p in self.profiles], columns=PROFILE_COVERAGE_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        return {"reference": self.reference, "caveat": self.caveat, "assumption": self.assumption,
                "uncovered_cells": [dict(c) for c in self.uncovered_cells],
                "profiles": [p.to_dict() for p in self.profiles]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProfileCoverageResult:
        return cls(profiles=tuple(ProfileShare.from_dict(p) for p in data.get("profiles", ())),
                   reference=str(data["reference"]), caveat=str(data.get("caveat", CAVEAT)),
                   assumption=str(data.get("assumption", "")),
                   uncovered_cells=tuple(dict(c) for c in data.get("uncovered_cells", ())))


def cbs_age_band(respondents: pd.DataFrame) -> pd.Series:
    """The CBS age band per respondent: from the exact age if known, else from the asked
    band [age_low, age_high) when it lies inside one CBS band, else the band if it is one."""
    band = respondents["age_band"].astype(object) if "age_band" in respondents.columns else \
        pd.Series([None] * len(respondents), index=respondents.index, dtype=object)
    band = band.where(band.isin(list(AGE_BANDS)), None)
    if {"age_low", "age_high"} <= set(respondents.columns):
        low = pd.to_numeric(respondents["age_low"], errors="coerce")
        high = pd.to_numeric(respondents["age_high"], errors="coerce").fillna(np.inf)
        for code, (lo, hi) in AGE_BANDS.items():
            inside = (low >= lo) & (high <= (hi if hi is not None else np.inf))
            band = band.where(~inside, code)
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


def split_probability_sample(respondents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(participation respondents, probability-sample respondents): the sample is the rows
    whose channel is a probability sample ("steekproef", "burgerpeiling")."""
    channel = respondents.get("channel", pd.Series("", index=respondents.index)).astype(str).str.lower()
    sample = channel.isin(PROBABILITY_CHANNELS).to_numpy()
    return respondents.loc[~sample], respondents.loc[sample]


def wilson(share: np.ndarray, n_eff: float, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion at sample size n_eff (may be fractional)."""
    share = np.asarray(share, dtype=float)
    if n_eff <= 0:
        return np.full_like(share, np.nan), np.full_like(share, np.nan)
    centre = (share + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * np.sqrt(share * (1 - share) / n_eff + z * z / (4 * n_eff * n_eff)) / (1 + z * z / n_eff)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def sensitivity_bounds(shares: np.ndarray, gamma: float, order: np.ndarray | None = None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest population share per profile when response propensities ρ may
    differ by up to a factor `gamma` and the population share is ∝ share / ρ.

    With `order` (e.g. mean engagement per profile), propensity must not fall as order
    rises: more engaged people never take part less often. Ties are left free.
    """
    p = np.asarray(shares, dtype=float)
    low, high = np.empty_like(p), np.empty_like(p)
    for i in range(len(p)):
        others = np.arange(len(p)) != i
        if order is None or np.isnan(order).any():
            above = below = np.zeros(len(p), dtype=bool)
            free = others
        else:
            above, below = others & (order > order[i]), others & (order < order[i])
            free = others & (order == order[i])
        # lowest share: ρ_i = γ, the more engaged also γ (they may not respond less), the rest 1
        low[i] = (p[i] / gamma) / (p[i] / gamma + p[above].sum() / gamma + p[below].sum() + p[free].sum())
        # highest share: ρ_i = 1, the less engaged also 1, the rest γ
        high[i] = p[i] / (p[i] + p[below].sum() + (p[above].sum() + p[free].sum()) / gamma)
    return np.where(p > 0, low, 0.0), np.where(p > 0, high, 0.0)


def _post_stratified(result: ProfileResult, respondents: pd.DataFrame, population_cells: pd.DataFrame | None,
                     frame: pd.DataFrame, ids: list[int]) -> tuple[pd.Series, float, list[dict]]:
    """MAR estimate: the profile mix per demographic cell, weighted by the cells' shares."""
    if population_cells is None:
        return frame["profile"].value_counts(normalize=True).reindex(ids, fill_value=0.0), 1.0, []
    dims = [c for c in population_cells.columns if c != "population_share"]
    if not dims or "population_share" not in population_cells.columns:
        raise InputError("De celtabel heeft kolommen per kenmerk (bijv. age_band, gender) en "
                         "een kolom population_share nodig.")
    cells = population_cells.copy()
    cells["population_share"] = cells["population_share"].astype(float)
    cells["population_share"] /= cells["population_share"].sum()
    for d in dims:
        frame[d] = (cbs_age_band(respondents) if d == "age_band" else respondents[d]).astype(object)
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
    uncovered = cells.loc[~covered].reset_index(drop=True).to_dict(orient="records")
    return estimate.reindex(ids), covered_share, uncovered


def _soft_shares(result: ProfileResult, frame: pd.DataFrame, ids: list[int],
                 weights: np.ndarray | None = None) -> tuple[np.ndarray, float, int]:
    """Weighted mean posterior per card id over rows with a profile; Kish n_eff; rows used."""
    assert result.classify is not None  # only fitted results reach here
    labels, proba = result.classify(frame)
    proba = np.nan_to_num(np.asarray(proba, dtype=float))
    w = np.ones(len(frame)) if weights is None else np.asarray(weights, dtype=float)
    use = (np.asarray(labels) >= 0) & np.isfinite(w) & (w > 0)
    cols = np.array([i for i in ids if i < proba.shape[1]])
    mass = (proba[use][:, cols] * w[use, None]).sum(axis=0)
    shares = np.zeros(len(ids))
    shares[[ids.index(c) for c in cols]] = mass / max(mass.sum(), 1e-12)
    own = getattr(result.classify, "group_shares", None)
    mixing = own(frame, w) if own is not None else None
    if mixing is not None:  # latent classes: the group's own shares, not the respondents' prior
        shares = np.array([mixing[c] if c < len(mixing) else 0.0 for c in ids])
        shares = shares / max(shares.sum(), 1e-12)
    n_eff = float(w[use].sum() ** 2 / max((w[use] ** 2).sum(), 1e-12)) if use.any() else 0.0
    return shares, n_eff, int(use.sum())


def _flags(ratio: pd.Series, low: pd.Series, high: pd.Series, under: float, over: float) -> np.ndarray:
    """under/over: the whole bracket lies below/above parity and the point is past the
    tolerance; ok: the whole bracket lies within the tolerance; else uncertain."""
    return np.select([ratio.isna(), (high < 1) & (ratio < under), (low > 1) & (ratio > over),
                      (low >= under) & (high <= over)],
                     ["unknown", "under", "over", "ok"], default="uncertain")


def profile_coverage(result: ProfileResult, respondents: pd.DataFrame,
                     population_cells: pd.DataFrame | None = None, *, under: float = UNDER, over: float = OVER,
                     probability_sample: pd.DataFrame | None = None,
                     max_response_ratio: float = MAX_RESPONSE_RATIO) -> pd.DataFrame:
    """`profile_coverage_result(...).to_frame()`: the table only, for callers that want a
    frame (the caveat, assumption and uncovered cells are on the typed result)."""
    return profile_coverage_result(result, respondents, population_cells, under=under, over=over,
                                   probability_sample=probability_sample,
                                   max_response_ratio=max_response_ratio).to_frame()


def profile_coverage_result(result: ProfileResult, respondents: pd.DataFrame,
                            population_cells: pd.DataFrame | None = None, *, under: float = UNDER,
                            over: float = OVER, probability_sample: pd.DataFrame | None = None,
                            max_response_ratio: float = MAX_RESPONSE_RATIO) -> ProfileCoverageResult:
    """Per profile: respondent share, estimated share in the buurt, ratio, its bracket and flag.

    `population_cells` has one column per demographic dimension (e.g. `age_band`, `gender`,
    with the same codes as the respondents table) plus `population_share`. With
    `probability_sample` (respondents of a random sample, `weight` column optional) the
    buurt shares come from it instead (see the module text). Columns: profile, name,
    respondent_share, population_share_estimate, ratio, flag, covered_share, reference,
    share_low, share_high, ratio_low, ratio_high, possibly_under (flag "uncertain" but the
    bracket reaches below `under`); the result also holds uncovered_cells, caveat,
    assumption and reference.
    """
    ratio_bounds = None
    frame = pd.DataFrame(index=respondents.index)
    frame["profile"] = _profiles_per_row(result, respondents)
    frame = frame[frame["profile"].notna()]
    frame["profile"] = frame["profile"].astype(int)
    ids = [c.id for c in result.cards]
    names = {c.id: c.name for c in result.cards}
    respondent_share = frame["profile"].value_counts(normalize=True).reindex(ids, fill_value=0.0)
    estimate, covered_share, uncovered = _post_stratified(result, respondents.loc[frame.index], population_cells,
                                                          frame, ids)
    out = pd.DataFrame({"profile": ids, "name": [names[i] for i in ids],
                        "respondent_share": respondent_share.to_numpy(),
                        "population_share_estimate": estimate.to_numpy(dtype=float)})
    if probability_sample is not None and len(probability_sample):
        if result.classify is None:
            raise InputError("Deze profielen kunnen geen andere antwoorden indelen; maak de profielen opnieuw.")
        weights = (pd.to_numeric(probability_sample["weight"], errors="coerce").to_numpy(dtype=float)
                   if "weight" in probability_sample.columns else None)
        ref, n_eff, used = _soft_shares(result, probability_sample, ids, weights)
        own, _, n_own = _soft_shares(result, respondents, ids)
        lo, hi = wilson(ref, n_eff)
        out["respondent_share"] = own
        out["population_share_estimate"] = ref
        out["share_low"], out["share_high"] = lo, hi
        reference, assumption = "steekproef", WITH_SAMPLE.format(n=used)
        covered_share = 1.0
        # the ratio's interval carries both shares' uncertainty (delta method on the log ratio)
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = Z95 * np.sqrt((1 - own) / (n_own * own) + (1 - ref) / (n_eff * ref))
            ratio = own / ref
        ratio_bounds = (ratio * np.exp(-spread), ratio * np.exp(spread))
    else:
        gamma = float(max_response_ratio)
        order = None
        axes = [(c.engagement, c.trust) for c in result.cards]
        known = [(e, t) for e, t in axes if e is not None and t is not None]
        if len(known) == len(axes):
            order = np.array([(e + t) / 2 for e, t in known], dtype=float)
        base = out["population_share_estimate"].fillna(0.0).to_numpy()
        lo, hi = sensitivity_bounds(base, gamma, order)
        out["share_low"], out["share_high"] = lo, hi
        reference = "cbs_cellen" if population_cells is not None else "gesproken"
        cells = population_cells is not None
        assumption = (ASSUMPTION if order is not None else ASSUMPTION_FREE).format(
            gamma=f"{gamma:g}", within=" (binnen dezelfde leeftijds- en geslachtsgroep)" if cells else "",
            within_point=" binnen een leeftijds- en geslachtsgroep" if cells else "")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = out["respondent_share"] / out["population_share_estimate"]
        out["ratio_low"] = out["respondent_share"] / out["share_high"]
        out["ratio_high"] = out["respondent_share"] / out["share_low"]
    if ratio_bounds is not None:
        out["ratio_low"], out["ratio_high"] = ratio_bounds
    out.loc[out["population_share_estimate"].isna(), ["ratio", "ratio_low", "ratio_high"]] = np.nan
    out["flag"] = _flags(out["ratio"], out["ratio_low"], out["ratio_high"], under, over)
    # not "under" in every scenario, but under in some: worth a look in the advice
    out["possibly_under"] = (out["flag"] == "uncertain") & (out["ratio_low"] < under)
    out["covered_share"] = covered_share
    out["reference"] = reference
    shares = tuple(ProfileShare.from_dict(r) for r in out[PROFILE_COVERAGE_COLUMNS].to_dict(orient="records"))
    return ProfileCoverageResult(shares, reference=reference, caveat=CAVEAT, assumption=assumption,
                                 uncovered_cells=tuple(uncovered))


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


FLAG_WORDS = {"under": "minder gesproken dan er wonen", "over": "meer gesproken dan er wonen",
              # also when the point estimate is below the share spoken: the bracket's top is above it
              "possibly_under": "misschien minder gesproken dan er wonen: als dit profiel in de buurt vaker "
                                "voorkomt dan geschat; zeker weten kan alleen met een aselecte steekproef",
              "ok": "ongeveer naar verhouding gesproken",
              # uncertain but not possibly_under: ratio_low >= UNDER (never too few) and not all
              # of the bracket past OVER (so "over" cannot be said either)
              "uncertain": "niet te zeggen of we meer spraken dan er wonen; te weinig is het niet",
              "unknown": "geen schatting mogelijk"}


def _times(value: float) -> str:
    return f"{value:g}".replace(".", ",")


# What the two unsure words mean, said where they are shown (the Profielen page's footnote):
# written from the rule in _flags and profile_coverage_result, next to the words themselves.
FLAG_NOTES = {
    "possibly_under": ("'Misschien minder gesproken': in een deel van de bandbreedte spraken we dit "
                       f"profiel te weinig (minder dan {_times(UNDER)} keer zo vaak als het in de buurt "
                       "voorkomt), in een ander deel niet."),
    "uncertain": ("'Niet te zeggen of we meer spraken': in de hele bandbreedte spraken we dit profiel "
                  "genoeg; in een deel ervan zelfs vaker dan het in de buurt voorkomt (meer dan "
                  f"{_times(OVER)} keer zo vaak), in een ander deel niet."),
}
SAMPLE_ADVICE = ("Zeker weten kan alleen met een aselecte steekproef, zoals een burgerpeiling: importeer "
                 "die met het kanaal 'steekproef' of 'burgerpeiling' en een weegfactor.")


def flag_notes(keys: Iterable[str], reference: str) -> str:
    """The footnote for the wording keys shown (FLAG_WORDS' keys, 'possibly_under' for an
    uncertain profile whose bracket reaches below UNDER): what each unsure word means, and
    without a probability sample how to know for sure. Empty when no unsure word is shown."""
    shown = set(keys)
    notes = [note for key, note in FLAG_NOTES.items() if key in shown]
    if notes and reference != "steekproef":
        notes.append(SAMPLE_ADVICE)
    return " ".join(notes)


def describe_profile_coverage(result: ProfileCoverageResult) -> str:
    """Plain Dutch lines for a profile coverage result: the caveat, the assumption and per
    profile its share among respondents, its estimated share in the buurt with the bracket,
    and what that means. One wording for the dashboard, the report and the CLI."""
    lines = [result.caveat, result.assumption]
    for _, row in result.to_frame().iterrows():
        spoken = pct_nl(row["respondent_share"])
        if pd.isna(row["population_share_estimate"]):
            lines.append(f"- {row['name']}: {spoken} van de gesproken mensen; geen schatting voor de buurt.")
            continue
        low, high = pct_pair(row["share_low"], row["share_high"])
        lines.append(f"- {row['name']}: {spoken} van de gesproken mensen; in de buurt naar schatting "
                     f"{pct_nl(row['population_share_estimate'])} (tussen {low} en {high}): "
                     f"{FLAG_WORDS['possibly_under' if row.get('possibly_under') else str(row['flag'])]}.")
    return "\n".join(line for line in lines if line)
