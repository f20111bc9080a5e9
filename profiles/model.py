"""Result objects of the profile engine."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


def json_safe(value: Any) -> Any:
    """NaN is not valid JSON: write it as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


@dataclass(frozen=True)
class ProfileCard:
    """One profile as a user reads it."""

    id: int
    name: str
    description: str
    size: int
    share: float
    # {item, column, answer, share_in, share_out, difference, lift, kind}; kind "onderscheidend"
    # (given more often than by the rest) or "typisch" (the profile's most common answers,
    # shown when nothing stands out, e.g. a group that mostly answers "neutraal")
    top_answers: tuple[dict[str, Any], ...] = ()
    demographics: dict[str, dict[str, float]] = field(default_factory=dict)
    channels: dict[str, float] = field(default_factory=dict)
    flag: str = ""  # "klein, onzeker" when small or unstable (kept, never merged away)
    note: str = ""  # Dutch: why it is flagged
    stability: float | None = None  # bootstrap mean best-match Jaccard (1 = always comes back)
    certainty: float | None = None  # mean highest class probability of its members
    engagement: float | None = None  # mean axis scores 0–1 (None without kompas items)
    trust: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return json_safe({"id": self.id, "name": self.name, "description": self.description,
                          "size": self.size, "share": self.share, "top_answers": list(self.top_answers),
                          "demographics": self.demographics, "channels": self.channels,
                          "flag": self.flag, "note": self.note, "stability": self.stability,
                          "certainty": self.certainty, "engagement": self.engagement, "trust": self.trust})


@dataclass(frozen=True)
class ProfileResult:
    """Profiles of one respondents table: labels per respondent plus cards and selection."""

    method: str  # kompas | lca | kmeans
    k: int
    items: tuple[str, ...]
    assignments: pd.DataFrame  # respondent_id, profile (int or NaN), probability, name
    cards: tuple[ProfileCard, ...]
    selection: pd.DataFrame = field(default_factory=pd.DataFrame)  # k, bic, entropy, smallest_share, stability
    reason: str = ""  # Dutch: why this k
    warnings: tuple[str, ...] = ()
    # classifies other respondents (a probability sample) with the same fitted model:
    # frame → (labels (n,), probabilities (n, K) over card ids); not part of to_dict
    classify: Callable[[pd.DataFrame], tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return json_safe({
            "method": self.method, "k": self.k, "reason": self.reason,
            "selection": self.selection.to_dict(orient="records"),
            "profiles": [c.to_dict() for c in self.cards],
            "assignments": self.assignments[["respondent_id", "profile", "probability"]]
            .to_dict(orient="records"),
            "warnings": list(self.warnings),
        })
