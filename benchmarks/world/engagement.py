"""Planted engagement profiles: who belongs to which, and how each answers the statements.

Four profiles on two axes (involvement, trust in the gemeente). Membership leans on
demographics (older owners more often Meebouwers, young renters more often Op afstand),
so a profile method that works sees real structure and the coverage of profiles differs
from the coverage of demographic groups.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Statement:
    key: str          # s1..s10, the world's own key
    text: str         # the Dutch text as most tools show it
    axis: str         # involvement | trust
    reversed: bool    # agreeing means LESS involvement/trust


STATEMENTS: tuple[Statement, ...] = (
    Statement("s1", "Ik voel me thuis in de buurt", "involvement", False),
    Statement("s2", "Ik doe mee aan activiteiten in de buurt", "involvement", False),
    Statement("s3", "Ik help buren als dat nodig is", "involvement", False),
    Statement("s4", "Ik wil meedenken over plannen voor de buurt", "involvement", False),
    Statement("s5", "Ik heb geen tijd om me met de buurt bezig te houden", "involvement", True),
    Statement("s6", "De gemeente luistert naar bewoners", "trust", False),
    Statement("s7", "Ik vertrouw erop dat de gemeente doet wat ze belooft", "trust", False),
    Statement("s8", "De gemeente informeert ons goed over plannen", "trust", False),
    Statement("s9", "Mijn mening doet ertoe bij de gemeente", "trust", False),
    Statement("s10", "Meepraten heeft toch geen zin", "trust", True),
)

PROFILES = ("Meebouwers", "Kritische betrokkenen", "Vertrouwende toeschouwers", "Op afstand")
# level per axis: involvement, trust
LEVELS = {"Meebouwers": ("high", "high"), "Kritische betrokkenen": ("high", "low"),
          "Vertrouwende toeschouwers": ("low", "high"), "Op afstand": ("low", "low")}
# P(answer 1..5) for an agreeing (high) and a disagreeing (low) person on a positive item
HIGH = np.array([0.01, 0.04, 0.10, 0.43, 0.42])
LOW = np.array([0.40, 0.40, 0.13, 0.05, 0.02])
DONT_KNOW = {"Meebouwers": 0.03, "Kritische betrokkenen": 0.03, "Vertrouwende toeschouwers": 0.06,
             "Op afstand": 0.12}


def item_probabilities(profile: str, statement: Statement) -> np.ndarray:
    """P(code 1..5) of one profile on one statement (scale order, 1 = helemaal mee oneens)."""
    level = LEVELS[profile][0 if statement.axis == "involvement" else 1]
    p = HIGH if level == "high" else LOW
    return p[::-1].copy() if statement.reversed else p.copy()


def assign_profiles(persons: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """A planted profile per person, leaning on age, tenure and origin (multinomial logit)."""
    n = len(persons)
    base = np.array([0.0, -0.2, 0.0, 0.1])  # log-odds of the four profiles
    logits = np.tile(base, (n, 1))
    age = persons["age"].to_numpy()
    logits[:, 0] += np.where(age >= 45, 0.5, 0.0) + np.where(age < 25, -0.6, 0.0)
    logits[:, 1] += np.where((age >= 30) & (age < 65), 0.4, 0.0)
    logits[:, 2] += np.where(age >= 65, 0.6, 0.0)
    logits[:, 3] += np.where(age < 25, 0.8, 0.0)
    owner = (persons["tenure"] == "koop").to_numpy()
    logits[:, 0] += np.where(owner, 0.4, 0.0)
    logits[:, 3] += np.where(owner, -0.3, 0.2)
    outside = (persons["origin"] == "buiten_europa").to_numpy()
    logits[:, 3] += np.where(outside, 0.4, 0.0)
    logits[:, 1] += np.where(outside, 0.2, 0.0)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    cumulative = p.cumsum(axis=1)
    pick = (rng.random(n)[:, None] > cumulative).sum(axis=1)
    return pd.Series(np.array(PROFILES)[np.minimum(pick, 3)], index=persons.index)


def draw_answers(profiles: pd.Series, rng: np.random.Generator) -> pd.DataFrame:
    """True codes 1..5 per statement (NaN = 'weet niet'), one row per person."""
    out = {}
    for statement in STATEMENTS:
        codes = np.full(len(profiles), np.nan)
        for profile in PROFILES:
            mask = (profiles == profile).to_numpy()
            if not mask.any():
                continue
            drawn = rng.choice(np.arange(1, 6), size=mask.sum(), p=item_probabilities(profile, statement))
            unknown = rng.random(mask.sum()) < DONT_KNOW[profile]
            codes[mask] = np.where(unknown, np.nan, drawn)
        out[f"true:{statement.key}"] = codes
    return pd.DataFrame(out, index=profiles.index)
