"""Result objects of the engagement engine: the coverage result.

Frozen dataclasses of plain data. Report writers and the dashboard read only these;
`to_dict()` gives the JSON of the CLI contract in DESIGN.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reference.model import BuurtReference


@dataclass(frozen=True)
class CategoryCoverage:
    """One category of one dimension: population vs respondents (DESIGN.md definitions)."""

    category: str
    population: float
    population_share: float
    respondents: float
    respondent_share: float
    ratio: float
    ci_low: float
    ci_high: float
    flag: str  # unreached | under | ok | over
    significant: bool
    to_reach: int
    label: str = ""  # Dutch: "duidelijk ondervertegenwoordigd", …
    target: float | None = None
    unknown_low: float | None = None   # best/worst-case share bounds with unknowns
    unknown_high: float | None = None
    expected: float = 0.0
    p_value: float = 1.0            # score test of s_k = p_k (with FPC), the one Wilson inverts
    p_adjusted: float = 1.0         # Holm across the flagged groups of the whole result
    significant_raw: bool = False   # the Wilson interval (with FPC) excludes p_k, uncorrected
    partial_r: float = 0.0          # unconditional partial R-indicator (Schouten et al. 2011)
    partial_r_se: float = 0.0       # its standard error (delta method)
    uncertain: bool = False         # the unknowns could turn the flag around
    population_share_low: float | None = None   # reference share with CBS rounding and the
    population_share_high: float | None = None  # age split at their least favourable

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class DimensionCoverage:
    dimension: str
    categories: tuple[CategoryCoverage, ...]
    unknown: float
    chi2: float
    df: int
    p_value: float
    cv: float
    r_indicator: float
    min_max_ratio: float
    monte_carlo: bool = False
    estimated: bool = False
    warnings: tuple[str, ...] = ()
    unknown_share: float = 0.0      # unknown / (known + unknown)
    uncertain: bool = False         # unknown_share above the threshold ("onzeker")
    fpc: float = 1.0                # finite-population correction used in the intervals

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "categories"}
        d["warnings"] = list(self.warnings)
        d["categories"] = [c.to_dict() for c in self.categories]
        return d


@dataclass(frozen=True)
class CoverageResult:
    respondents: int
    dimensions: tuple[DimensionCoverage, ...]
    weighting: dict[str, float] = field(default_factory=dict)  # deff, ess
    warnings: tuple[str, ...] = ()
    reference: BuurtReference | None = None
    excluded: dict[str, int] = field(default_factory=dict)  # reason → rows not counted

    def dimension(self, name: str) -> DimensionCoverage:
        for d in self.dimensions:
            if d.dimension == name:
                return d
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {"respondents": self.respondents,
                "dimensions": [d.to_dict() for d in self.dimensions],
                "weighting": dict(self.weighting), "excluded": dict(self.excluded),
                "warnings": list(self.warnings),
                "assumptions": list(self.reference.assumptions) if self.reference else []}
