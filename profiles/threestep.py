"""Step 3 of three-step LCA: who is in which profile, corrected for classification error.

Classify-then-count (everyone to their most likely class, then a crosstab with age or
channel) blurs the profiles: some people are filed in the wrong class, so differences
between profiles shrink. The BCH correction (Bolck, Croon & Hagenaars 2004; Vermunt
2010) undoes that blur with the classification-error matrix D, estimated from the
posterior probabilities: D[c, s] = P(assigned s | truly c). The observed crosstab of
assigned class × covariate is N = D' · M for the true crosstab M, so M = (D')⁻¹ · N.

Demographics and channel never enter the classes (step 1); they are only described
here (step 3), so the profiles mean the same whatever the response mix. BCH can give
small negative counts on small data; those are set to 0 before the shares are taken.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def classification_error(posterior: np.ndarray, assigned: np.ndarray) -> np.ndarray:
    """D[c, s] = P(assigned s | true class c), from the posteriors (rows sum to 1)."""
    k = posterior.shape[1]
    onehot = np.eye(k)[assigned]
    joint = posterior.T @ onehot  # (K true, K assigned)
    return joint / np.maximum(joint.sum(axis=1, keepdims=True), 1e-12)


def bch_crosstab(posterior: np.ndarray, assigned: np.ndarray, covariate: pd.Series) -> pd.DataFrame:
    """Bias-corrected counts: rows = profile ids 0..K-1, columns = covariate categories
    (missing values as "onbekend")."""
    k = posterior.shape[1]
    values = covariate.astype(object).where(covariate.notna(), "onbekend").astype(str).to_numpy()
    observed = pd.crosstab(pd.Series(assigned, name="assigned"), pd.Series(values, name="value"))
    observed = observed.reindex(index=range(k), fill_value=0)
    d = classification_error(posterior, assigned)
    try:
        corrected = np.linalg.solve(d.T, observed.to_numpy(dtype=float))
    except np.linalg.LinAlgError:
        corrected = observed.to_numpy(dtype=float)  # classes not separable: nothing to undo
    return pd.DataFrame(np.clip(corrected, 0, None), index=observed.index, columns=observed.columns)


def bch_shares(posterior: np.ndarray, assigned: np.ndarray, covariate: pd.Series) -> dict[int, dict[str, float]]:
    """Per profile id: the corrected share of each covariate category (sorted by category)."""
    table = bch_crosstab(posterior, assigned, covariate)
    out = {}
    for pid, row in table.iterrows():
        total = row.sum()
        out[int(pid)] = {str(c): float(v / total) for c, v in row.sort_index().items()} if total > 0 else {}
    return out
