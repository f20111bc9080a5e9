"""Draw every resident of a buurt so the published marginals hold.

Each attribute is drawn conditional on one earlier attribute: a plausible seed table
(children live in families, older people alone or as a couple) is fitted to both
published margins by iterative proportional fitting, then rounded per row. So the
world has realistic joint structure and the buurt's own totals.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.world.kwb import BuurtFigures, integer_split

AGE_BANDS = {"0-15": (0, 15), "15-25": (15, 25), "25-45": (25, 45), "45-65": (45, 65), "65+": (65, 101)}

# seed P(column | row) before fitting; rows and columns in the order of the margins
HOUSEHOLD_SEED = {"0-15": [0.0, 0.0, 1.0], "15-25": [0.35, 0.15, 0.5], "25-45": [0.35, 0.25, 0.4],
                  "45-65": [0.25, 0.35, 0.4], "65+": [0.45, 0.5, 0.05]}
SEX_SEED = {"0-15": [0.51, 0.49], "15-25": [0.5, 0.5], "25-45": [0.5, 0.5], "45-65": [0.5, 0.5],
            "65+": [0.45, 0.55]}
TENURE_SEED = {"eenpersoons": [0.3, 0.4, 0.3], "paar_zonder_kinderen": [0.6, 0.2, 0.2],
               "met_kinderen": [0.55, 0.3, 0.15]}
ORIGIN_SEED = {"0-15": [0.5, 0.15, 0.35], "15-25": [0.55, 0.2, 0.25], "25-45": [0.55, 0.2, 0.25],
               "45-65": [0.65, 0.12, 0.23], "65+": [0.8, 0.08, 0.12]}


def fit_table(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, rounds: int = 200) -> np.ndarray:
    """Iterative proportional fitting of a seed table to row and column totals."""
    table = seed.astype(float) + 1e-9 * (seed > 0)
    cols = cols * rows.sum() / max(cols.sum(), 1e-9)
    for _ in range(rounds):
        table *= (rows / np.maximum(table.sum(axis=1), 1e-12))[:, None]
        table *= (cols / np.maximum(table.sum(axis=0), 1e-12))[None, :]
    return table


def _assign(persons: pd.DataFrame, by: str, seed: dict[str, list[float]], margin: dict[str, int],
            rng: np.random.Generator) -> pd.Series:
    """A category per person, conditional on `by`, whose totals follow `margin`."""
    row_keys = list(seed)
    col_keys = list(margin)
    rows = np.array([(persons[by] == k).sum() for k in row_keys], dtype=float)
    table = fit_table(np.array([seed[k] for k in row_keys]), rows,
                      np.array([margin[k] for k in col_keys], dtype=float))
    out = pd.Series("", index=persons.index, dtype=object)
    for i, key in enumerate(row_keys):
        members = persons.index[persons[by] == key].to_numpy()
        if not len(members):
            continue
        counts = integer_split(dict(zip(col_keys, table[i])), len(members)) if table[i].sum() > 0 \
            else integer_split(dict.fromkeys(col_keys, 1.0), len(members))
        labels = np.repeat(col_keys, [counts[k] for k in col_keys])
        out.loc[rng.permutation(members)] = labels
    return out


def _single_ages(bands: pd.Series, rng: np.random.Generator) -> np.ndarray:
    ages = np.zeros(len(bands), dtype=int)
    for band, (low, high) in AGE_BANDS.items():
        mask = (bands == band).to_numpy()
        if band == "65+":  # fewer people at every older age
            span = np.arange(low, high)
            p = np.exp(-(span - low) / 9.0)
            ages[mask] = rng.choice(span, size=mask.sum(), p=p / p.sum())
        else:
            ages[mask] = rng.integers(low, high, size=mask.sum())
    return ages


def draw_population(figures: BuurtFigures, rng: np.random.Generator) -> pd.DataFrame:
    """One row per resident: person_id, age, age_band, sex, household, tenure, origin.

    Household is the type of household the person lives in (persons, not households);
    tenure follows the % of dwellings applied to persons.
    """
    n = figures.population
    bands = integer_split(figures.age, n)
    persons = pd.DataFrame({"age_band": rng.permutation(np.repeat(list(bands), list(bands.values())))})
    persons["age"] = _single_ages(persons["age_band"], rng)
    persons["sex"] = _assign(persons, "age_band", SEX_SEED, integer_split(figures.sex, n), rng)
    persons["household"] = _assign(persons, "age_band", HOUSEHOLD_SEED,
                                   integer_split(figures.household_persons(), n), rng)
    persons["tenure"] = _assign(persons, "household", TENURE_SEED,
                                integer_split(figures.tenure_pct, n), rng)
    persons["origin"] = _assign(persons, "age_band", ORIGIN_SEED, integer_split(figures.origin, n), rng)
    persons.insert(0, "person_id", [f"{figures.code}-{i:05d}" for i in range(n)])
    return persons
