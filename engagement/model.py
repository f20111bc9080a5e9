"""Result objects of the engagement engine: coverage, two-way cells and fieldwork progress.

Frozen dataclasses of plain data. Report writers and the dashboard read only these;
`to_dict()` gives the JSON of the CLI contract in DESIGN.md.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from engagement.vocabulary import category_status
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

    @property
    def status(self) -> str:
        """The status key of engagement.vocabulary.STATUS_LABELS ("under_sig", "few", …):
        the one decision, for the dashboard's colours and the report's columns."""
        return category_status(self.flag, self.significant, self.expected, uncertain=self.uncertain)

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


# --------------------------------------------------------------------------- two-way cells

CELL_COLUMNS = ["row", "col", "row_label", "col_label", "population", "population_share", "respondents",
                "expected", "ratio", "shown", "basis", "flag", "note"]


@dataclass(frozen=True)
class Cell:
    """One cell of rows × cols (engagement.cells): estimated population and respondents."""

    row: str
    col: str
    row_label: str
    col_label: str
    population: float
    population_share: float
    respondents: float
    expected: float
    ratio: float
    shown: bool      # at least MIN_EXPECTED respondents expected
    basis: str       # how the population was estimated (independence or the team's table)
    flag: str        # "" (never flagged on independence alone or when not shown), under, ok, over
    note: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cell:
        return cls(row=str(data["row"]), col=str(data["col"]), row_label=str(data["row_label"]),
                   col_label=str(data["col_label"]), population=float(data["population"]),
                   population_share=float(data["population_share"]),
                   respondents=float(data["respondents"]), expected=float(data["expected"]),
                   ratio=float(data["ratio"]), shown=bool(data["shown"]), basis=str(data["basis"]),
                   flag=str(data["flag"]), note=str(data["note"]))


@dataclass(frozen=True)
class CellsResult:
    """The two-way cells of one pair of dimensions, with whether they are an independence
    estimate, the respondents counted and the warnings as fields.

    `to_frame()` gives the table the report and the dashboard draw (one row per cell,
    CELL_COLUMNS); the fields stay on the result."""

    rows: str
    cols: str
    cells: tuple[Cell, ...] = ()
    independence: bool = True      # population per cell estimated as if the two were independent
    respondents: float = 0.0       # respondents with both values known (split bands fractional)
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.cells

    def to_frame(self) -> pd.DataFrame:
        if not self.cells:
            return pd.DataFrame(columns=CELL_COLUMNS)
        return pd.DataFrame([c.to_dict() for c in self.cells], columns=CELL_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "cols": self.cols, "independence": self.independence,
                "respondents": self.respondents, "warnings": list(self.warnings),
                "cells": [c.to_dict() for c in self.cells]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CellsResult:
        return cls(rows=str(data["rows"]), cols=str(data["cols"]),
                   cells=tuple(Cell.from_dict(c) for c in data.get("cells", ())),
                   independence=bool(data.get("independence", True)),
                   respondents=float(data.get("respondents", 0.0)),
                   warnings=tuple(data.get("warnings", ())))


# --------------------------------------------------------------------------- fieldwork progress

PROGRESS_COLUMNS = ["period_end", "dimension", "category", "n", "known", "share", "population_share",
                    "ratio", "flag", "label", "uncertain", "to_reach", "reached", "target_reached_at"]


def _time(value: Any) -> pd.Timestamp | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value)


def _iso(value: pd.Timestamp | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class ProgressRow:
    """One group at one period end, counted cumulatively (engagement.progress)."""

    period_end: pd.Timestamp
    dimension: str
    category: str
    n: float                 # respondents of the group so far
    known: float             # respondents with a known value on this dimension so far
    share: float
    population_share: float
    ratio: float
    flag: str
    label: str
    to_reach: int
    reached: bool            # nothing left to reach (with at least MIN_EXPECTED expected)
    by_channel: tuple[tuple[str, float], ...] = ()  # (channel, respondents of the group so far)
    target_reached_at: pd.Timestamp | None = None   # first period end the group was reached
    on_target_since: pd.Timestamp | None = None     # start of its last unbroken run (None: not now)
    uncertain: bool = False  # 'onzeker' (the unknowns or the buurt figures leave the flag open)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in self.__dict__.items() if k != "by_channel"}
        d.update(period_end=_iso(self.period_end), target_reached_at=_iso(self.target_reached_at),
                 on_target_since=_iso(self.on_target_since), by_channel=dict(self.by_channel))
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProgressRow:
        return cls(period_end=pd.Timestamp(data["period_end"]), dimension=str(data["dimension"]),
                   category=str(data["category"]), n=float(data["n"]), known=float(data["known"]),
                   share=float(data["share"]), population_share=float(data["population_share"]),
                   ratio=float(data["ratio"]), flag=str(data["flag"]), label=str(data["label"]),
                   to_reach=int(data["to_reach"]), reached=bool(data["reached"]),
                   by_channel=tuple((str(k), float(v)) for k, v in dict(data.get("by_channel") or {}).items()),
                   target_reached_at=_time(data.get("target_reached_at")),
                   on_target_since=_time(data.get("on_target_since")))


@dataclass(frozen=True)
class ProgressResult:
    """Fieldwork progress per period, with the undated respondents and the warnings as fields.

    `to_frame()` gives the long table the dashboard and the report read: one row per
    period end × group, PROGRESS_COLUMNS plus n_<channel> and on_target_since."""

    rows: tuple[ProgressRow, ...] = ()
    channels: tuple[str, ...] = ()
    undated: int = 0                 # respondents without a date: not placed in time
    warnings: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.rows

    def to_frame(self) -> pd.DataFrame:
        if not self.rows:
            frame = pd.DataFrame(columns=PROGRESS_COLUMNS)
        else:
            records = []
            for row in self.rows:
                record = {k: getattr(row, k) for k in PROGRESS_COLUMNS[:-1]}
                record.update({f"n_{ch}": value for ch, value in row.by_channel})
                records.append(record)
            frame = pd.DataFrame(records)
            unit = frame["period_end"].dtype  # the same time unit as the periods, NaT where none
            frame["target_reached_at"] = pd.to_datetime(
                pd.Series([r.target_reached_at for r in self.rows], dtype=object)).astype(unit).to_numpy()
            frame["on_target_since"] = pd.to_datetime(
                pd.Series([r.on_target_since for r in self.rows], dtype=object)).astype(unit).to_numpy()
        return frame

    def to_dict(self) -> dict[str, Any]:
        return {"channels": list(self.channels), "undated": self.undated, "warnings": list(self.warnings),
                "rows": [r.to_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProgressResult:
        return cls(rows=tuple(ProgressRow.from_dict(r) for r in data.get("rows", ())),
                   channels=tuple(data.get("channels", ())), undated=int(data.get("undated", 0)),
                   warnings=tuple(data.get("warnings", ())))
