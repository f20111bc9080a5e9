"""Synthetic respondents with planted profiles, for the profiles tests and benchmark."""
from __future__ import annotations

import numpy as np
import pandas as pd

ITEM_TEXTS = (
    "Ik ben actief in mijn buurt",
    "Ik doe mee aan buurtactiviteiten",
    "Ik wil graag meedenken over plannen voor de wijk",
    "Ik vertrouw de gemeente",
    "Ik voel me niet gehoord door de gemeente",
    "Het heeft geen zin om mee te doen",
    "Ik woon graag in deze buurt",
    "De straat is schoon",
    "Er is genoeg groen",
    "Ik voel me veilig op straat",
    "Er is genoeg te doen voor jongeren",
    "Ik ken mijn buren",
)


def planted_items(n: int = 600, k: int = 4, n_items: int = 10, n_cats: int = 5, *, p_main: float = 0.65,
                  missing: float = 0.03, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Answers 1..n_cats: each class favours one answer per item (prob `p_main`), the rest
    spread evenly; class sizes equal in expectation; `missing` share set to NaN."""
    rng = np.random.default_rng(seed)
    favourite = rng.integers(0, n_cats, size=(k, n_items))
    classes = rng.integers(0, k, n)
    X = np.empty((n, n_items))
    for c in range(k):
        rows = np.flatnonzero(classes == c)
        for j in range(n_items):
            p = np.full(n_cats, (1 - p_main) / (n_cats - 1))
            p[favourite[c, j]] = p_main
            X[rows, j] = rng.choice(n_cats, size=len(rows), p=p) + 1
    X[rng.uniform(size=X.shape) < missing] = np.nan
    return X, classes


def respondents_table(X: np.ndarray, *, seed: int = 0, texts: tuple[str, ...] = ITEM_TEXTS) -> pd.DataFrame:
    """A canonical respondents table around an item matrix, with demographics and channel."""
    rng = np.random.default_rng(seed + 1)
    n = len(X)
    frame = pd.DataFrame({
        "respondent_id": [f"R{i:04d}" for i in range(n)],
        "channel": rng.choice(["online", "papier", "straatgesprek"], n),
        "age_band": rng.choice(["15-25", "25-45", "45-65", "65+"], n),
        "gender": rng.choice(["man", "vrouw"], n),
        "tenure": rng.choice(["koop", "huur_corporatie", "huur_overig"], n),
    })
    for j in range(X.shape[1]):
        slug = texts[j].lower().replace(" ", "_") if j < len(texts) else f"vraag_{j}"
        frame[f"item:{slug}"] = X[:, j]
    return frame


# P(answer 1..5) of someone who agrees, is neutral, disagrees (positively phrased item)
AGREE = np.array([0.02, 0.05, 0.13, 0.45, 0.35])
NEUTRAL = np.array([0.05, 0.15, 0.60, 0.15, 0.05])
DISAGREE = AGREE[::-1].copy()
LEVEL_P = {"hoog": AGREE, "midden": NEUTRAL, "laag": DISAGREE}
ENGAGEMENT_TEXTS = ("Ik ben actief in mijn buurt", "Ik doe mee aan buurtactiviteiten",
                    "Ik wil graag meedenken over plannen voor de wijk", "Ik ga naar bijeenkomsten in de buurt")
TRUST_TEXTS = ("Ik vertrouw de gemeente", "Ik voel me niet gehoord door de gemeente",
               "De gemeente luistert naar bewoners", "Ik heb vertrouwen dat de gemeente iets doet met mijn inbreng")


def planted_axes(sizes: dict[tuple[str, str], int], *, seed: int = 0, missing: float = 0.02
                 ) -> tuple[pd.DataFrame, np.ndarray]:
    """A respondents table whose planted profiles are levels on the two kompas axes.

    `sizes` maps (engagement level, trust level) → people, levels laag/midden/hoog; the
    truth is the index of each key in `sizes`. Item texts are recognisable kompas items;
    'niet gehoord' is phrased negatively (answers mirrored).
    """
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(sizes)), list(sizes.values()))
    rng.shuffle(truth)
    keys = list(sizes)
    frame = respondents_table(np.empty((len(truth), 0)), seed=seed)
    for axis, texts in ((0, ENGAGEMENT_TEXTS), (1, TRUST_TEXTS)):
        for text in texts:
            col = np.empty(len(truth))
            for c, key in enumerate(keys):
                p = LEVEL_P[key[axis]]
                if "niet" in text:
                    p = p[::-1]
                rows = truth == c
                col[rows] = rng.choice(5, size=rows.sum(), p=p) + 1
            col[rng.uniform(size=len(truth)) < missing] = np.nan
            frame["item:" + text.lower().replace(" ", "_")] = col
    return frame, truth
