"""The population a project is compared with: one area (or several summed) per dimension.

A frozen dataclass of plain data; `to_dict()` gives the `reference` JSON of DESIGN.md.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reference.citation import CBS_SOURCE


@dataclass(frozen=True)
class BuurtReference:
    """The eligible population of one area (or several summed) per dimension.

    `dimensions[dim][category]` is a count of eligible persons (household type and
    tenure derived from households and dwellings, see `assumptions`); only income is
    still a count of households. `estimated` lists "dim:category" entries that were
    derived (cut at min_age, …). `assumptions` are the Dutch sentences behind every
    derived figure; the dashboard, the report's method section and the JSON show them.
    """

    areas: tuple[tuple[str, str], ...]  # (code, name)
    year: int | None
    table: str  # e.g. "85984NED", "kwb-2023.xlsx", "eigen referentie"
    population: float | None
    eligible_population: float | None
    min_age: int
    dimensions: dict[str, dict[str, float]]
    estimated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # Dutch remarks: rounding differences, fallbacks
    source: str = CBS_SOURCE
    units: dict[str, str] = field(default_factory=dict)  # dim → "personen" | "woningen" | "huishoudens"
    assumptions: tuple[str, ...] = ()  # Dutch sentences: how persons were derived
    margins: dict[str, dict[str, float]] = field(default_factory=dict)  # ± persons per group
    # centre of a group's range from its point, persons (one-sided sources; absent: 0)
    margin_shift: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "areas": [{"code": c, "name": n} for c, n in self.areas],
            "year": self.year, "table": self.table, "population": self.population,
            "eligible_population": self.eligible_population, "min_age": self.min_age,
            "dimensions": {d: dict(c) for d, c in self.dimensions.items()},
            "estimated": list(self.estimated), "notes": list(self.notes),
            "source": self.source, "units": dict(self.units),
            "assumptions": list(self.assumptions),
            "margins": {d: dict(c) for d, c in self.margins.items()},
            "margin_shift": {d: dict(c) for d, c in self.margin_shift.items()},
        }
