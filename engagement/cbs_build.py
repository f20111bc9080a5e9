"""From CBS figures per area to one BuurtReference: summing, rounding, min_age.

Input is one row per area with our internal field names (see cbs_columns); every
value is a float or NaN (secret or not published). The rules live here once, so the
API, the CSV and the Excel path give the same reference for the same figures.
"""
from __future__ import annotations

import math
from typing import Iterable

import pandas as pd

from engagement.model import BuurtReference
from surveys.categories import AGE_BANDS

OPEN_AGE_LIMIT = 100  # uniform ages in the open band 65+ are assumed up to this age

ORIGIN_OLD = ("geen_migratieachtergrond", "westers", "niet_westers")
INCOME = ("laag_40", "midden_40", "hoog_20")
TENURE = ("koop", "huur_corporatie", "huur_overig")
COUNT_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "age": tuple(AGE_BANDS),
    "gender": ("man", "vrouw"),
    "household": ("eenpersoons", "paar_zonder_kinderen", "met_kinderen"),
    "origin": ("nederland", "europa", "buiten_europa"),
}
TOTAL_FIELD = {"age": "population", "gender": "population", "origin": "population",
               "origin_old": "population", "household": "households"}
DUTCH = {"age": "Leeftijd", "gender": "Geslacht", "household": "Huishoudens",
         "origin": "Herkomst", "origin_old": "Migratieachtergrond (oude indeling)",
         "tenure": "Woningen (koop/huur)", "income": "Inkomen"}
UNITS = {"age": "personen", "gender": "personen", "origin": "personen",
         "origin_old": "personen", "household": "huishoudens", "tenure": "woningen",
         "income": "huishoudens"}
PERSON_DIMENSIONS = ("gender", "origin", "origin_old")


class ReferenceError(ValueError):
    """A reference that cannot be built; the message is Dutch and names file or code."""


def fmt_count(value: float) -> str:
    """A count for people to read: whole, half up, Dutch separator (3819.5 → '3.820').

    Estimated counts (age cut, scaled dimensions) carry decimals that only look precise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "onbekend"
    return fmt(math.floor(float(value) + 0.5))


def fmt(value: float) -> str:
    """Dutch thousands separator: 4745 → '4.745'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "onbekend"
    rounded = round(value, 1)
    text = f"{rounded:,.0f}" if abs(rounded - round(rounded)) < 1e-9 else f"{rounded:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _value(row: pd.Series, field: str) -> float:
    value = row.get(field, math.nan)
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _complete(row: pd.Series, fields: Iterable[str]) -> list[float] | None:
    values = [_value(row, f) for f in fields]
    return None if any(math.isnan(v) for v in values) else values


def cut_age(counts: dict[str, float], min_age: int) -> tuple[dict[str, float], list[str]]:
    """Keep ages >= min_age; the band that straddles it keeps a uniform share.

    Example: 15-25 with 1,000 people and min_age 18 keeps 1,000 × 7/10 = 700.
    """
    kept: dict[str, float] = {}
    estimated: list[str] = []
    for band, count in counts.items():
        low, high = AGE_BANDS[band]
        top = OPEN_AGE_LIMIT if high is None else high
        if min_age <= low:
            kept[band] = count
        elif min_age < top:
            kept[band] = count * (top - min_age) / (top - low)
            estimated.append(f"age:{band}")
    return kept, estimated


class _Builder:
    """Collects dimensions, notes and estimated entries for one reference."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows
        self.dimensions: dict[str, dict[str, float]] = {}
        self.estimated: list[str] = []
        self.notes: list[str] = []

    def label(self, row: pd.Series) -> str:
        return f"{row.get('name', '')} ({row['code']})".strip()

    def counts(self, dim: str, fields: list[str], categories: tuple[str, ...],
               total_field: str) -> tuple[dict[str, float], float] | None:
        """Sum complete areas; returns the category sums and the matching CBS total."""
        sums = [0.0] * len(categories)
        total, used, skipped = 0.0, 0, []
        for _, row in self.rows.iterrows():
            values = _complete(row, fields)
            if values is None:
                skipped.append(self.label(row))
                continue
            sums = [s + v for s, v in zip(sums, values)]
            total += _value(row, total_field) if not math.isnan(_value(row, total_field)) else sum(values)
            used += 1
        if skipped and used:
            self.notes.append(f"{DUTCH[dim]}: geen cijfers voor {', '.join(skipped)} "
                              "(geheim of nog niet gepubliceerd); dit gebied telt hier niet mee.")
        if not used:
            return None
        return dict(zip(categories, sums)), total

    def rounding_note(self, dim: str, counts: dict[str, float], total: float) -> None:
        diff = total - sum(counts.values())
        if abs(diff) >= 0.5:
            self.notes.append(
                f"{DUTCH[dim]}: de groepen tellen op tot {fmt(sum(counts.values()))}, het totaal "
                f"is {fmt(total)} (verschil {fmt(diff)}; CBS rondt af op 5). "
                "We rekenen met de som van de groepen.")

    def count_dimension(self, dim: str) -> None:
        categories = COUNT_DIMENSIONS[dim]
        fields = [f"{dim}:{c}" for c in categories]
        if dim == "age" and not all(f in self.rows for f in fields):
            return self.age_from_percentages()
        if not all(f in self.rows for f in fields):
            return
        result = self.counts(dim, fields, categories, TOTAL_FIELD[dim])
        if result is None:
            self.notes.append(f"{DUTCH[dim]}: geen cijfers gepubliceerd voor dit gebied.")
            return
        counts, total = result
        self.dimensions[dim] = counts
        self.rounding_note(dim, counts, total)

    def age_from_percentages(self) -> None:
        """Older Excel files give age bands as % of inhabitants: counts are estimates."""
        fields = [f"age%:{band}" for band in AGE_BANDS] + ["population"]
        if not all(f in self.rows for f in fields):
            return
        counts, population = dict.fromkeys(AGE_BANDS, 0.0), 0.0
        for _, row in self.rows.iterrows():
            values = _complete(row, fields)
            if values is None:
                self.notes.append(f"Leeftijd: geen cijfers voor {self.label(row)}; dit gebied "
                                  "telt hier niet mee.")
                continue
            population += values[-1]
            for band, pct in zip(AGE_BANDS, values):
                counts[band] += pct / 100 * values[-1]
        if population <= 0:
            return
        self.dimensions["age"] = counts
        self.estimated += [f"age:{b}" for b in AGE_BANDS]
        self.notes.append(f"Leeftijd: dit bestand geeft percentages; aantallen zijn berekend "
                          f"uit {fmt_count(population)} inwoners (geschat).")

    def origin_old(self) -> None:
        """Westers / niet-westers (tables up to 2022); never mixed with `origin`."""
        kind = "" if "origin_old:westers" in self.rows else "%"
        fields = [f"origin_old{kind}:westers", f"origin_old{kind}:niet_westers", "population"]
        if not all(f in self.rows for f in fields):
            return
        counts = dict.fromkeys(ORIGIN_OLD, 0.0)
        used = 0
        for _, row in self.rows.iterrows():
            values = _complete(row, fields)
            if values is None:
                continue
            west, non_west, population = values
            if kind:
                west, non_west = west / 100 * population, non_west / 100 * population
            counts["westers"] += west
            counts["niet_westers"] += non_west
            counts["geen_migratieachtergrond"] += max(0.0, population - west - non_west)
            used += 1
        if not used:
            return
        self.dimensions["origin_old"] = counts
        self.estimated.append("origin_old:geen_migratieachtergrond")
        if kind:
            self.estimated += ["origin_old:westers", "origin_old:niet_westers"]
        self.notes.append("Herkomst volgt hier de oude CBS-indeling (westers / niet-westers "
                          "migratieachtergrond). Die is niet te vergelijken met de indeling "
                          "vanaf 2023 (Nederland / Europa / buiten Europa).")

    def tenure(self) -> None:
        """Shares of dwellings, weighted by dwellings (or households when those are missing)."""
        if "tenure%:koop" not in self.rows:
            return
        totals = dict.fromkeys(TENURE, 0.0)
        weight_total, by_households, pct_sum, skipped = 0.0, False, 0.0, []
        for _, row in self.rows.iterrows():
            koop = _value(row, "tenure%:koop")
            corp = _value(row, "tenure%:huur_corporatie")
            other = _value(row, "tenure%:huur_overig")
            if math.isnan(other) and not math.isnan(_value(row, "tenure%:huur")) and not math.isnan(corp):
                other = _value(row, "tenure%:huur") - corp
                self.estimated.append("tenure:huur_overig")
            if any(math.isnan(v) for v in (koop, corp, other)):
                skipped.append(self.label(row))
                continue
            weight = _value(row, "dwellings")
            if math.isnan(weight):
                weight, by_households = _value(row, "households"), True
            if math.isnan(weight):
                weight = _value(row, "population")
            if math.isnan(weight) or weight <= 0:
                continue
            for category, pct in zip(TENURE, (koop, corp, other)):
                totals[category] += pct / 100 * weight
            weight_total += weight
            pct_sum += (koop + corp + other) * weight
        if weight_total <= 0:
            self.notes.append("Woningen (koop/huur): geen cijfers gepubliceerd voor dit gebied "
                              "(CBS toont dit alleen bij minstens 20 woningen).")
            return
        if by_households:
            scale = 100 / weight_total
            totals = {k: v * scale for k, v in totals.items()}
            self.notes.append("Woningen (koop/huur): het aantal woningen ontbreekt; de gebieden "
                              "zijn gewogen naar het aantal huishoudens. De cijfers zijn "
                              "percentages van de woningen.")
        self.dimensions["tenure"] = totals
        if skipped:
            self.notes.append(f"Woningen (koop/huur): geen cijfers voor {', '.join(skipped)} "
                              "(geheim of te weinig woningen); dit gebied telt hier niet mee.")
        unknown = 100 - pct_sum / weight_total
        if abs(unknown) >= 0.5:
            self.notes.append(f"Woningen (koop/huur): {fmt(unknown)}% van de woningen heeft een "
                              "onbekende eigenaar of valt weg door afronding.")
        self.notes.append("Woningen (koop/huur) telt woningen, geen personen.")

    def income(self) -> None:
        fields = ["income%:laag_40", "income%:hoog_20", "households"]
        if not all(f in self.rows for f in fields):
            return
        counts = dict.fromkeys(INCOME, 0.0)
        used = 0
        for _, row in self.rows.iterrows():
            values = _complete(row, fields)
            if values is None:
                continue
            low, high, households = values
            counts["laag_40"] += low / 100 * households
            counts["hoog_20"] += high / 100 * households
            counts["midden_40"] += max(0.0, 100 - low - high) / 100 * households
            used += 1
        if used:
            self.dimensions["income"] = counts
            self.estimated.append("income:midden_40")

    def apply_min_age(self, min_age: int) -> float | None:
        """Cut the age reference at min_age and scale the person-based dimensions."""
        age = self.dimensions.get("age")
        if age is None:
            if min_age > 0:
                self.notes.append("Leeftijd ontbreekt: de andere kenmerken gelden voor alle leeftijden.")
            return None
        before = sum(age.values())
        kept, estimated = cut_age(age, min_age)
        eligible = sum(kept.values())
        if eligible <= 0:
            raise ReferenceError(f"Er wonen volgens CBS geen mensen van {min_age} jaar of ouder "
                                 "in dit gebied. Kies een lagere minimumleeftijd.")
        self.dimensions["age"] = kept
        self.estimated += estimated
        if min_age > 0 and before > 0:
            share = eligible / before
            for dim in PERSON_DIMENSIONS:
                if dim in self.dimensions and share < 1:
                    self.dimensions[dim] = {k: v * share for k, v in self.dimensions[dim].items()}
                    self.estimated += [f"{dim}:{k}" for k in self.dimensions[dim]]
            self.notes.append(
                f"Alleen inwoners van {min_age} jaar en ouder: {fmt_count(eligible)} van "
                f"{fmt_count(before)}. "
                "Binnen een leeftijdsgroep nemen we aan dat alle leeftijden even vaak voorkomen. "
                "Geslacht en herkomst zijn met hetzelfde aandeel verkleind (geschat). "
                "Huishoudens en woningen gelden voor alle leeftijden.")
        return eligible


def build_reference(rows: pd.DataFrame, *, year: int | None, table: str, min_age: int,
                    notes: Iterable[str] = (), source: str | None = None) -> BuurtReference:
    """One BuurtReference from one or more area rows (their counts are summed)."""
    if not 0 <= int(min_age) <= 100:
        raise ReferenceError(f"De minimumleeftijd moet tussen 0 en 100 liggen, niet {min_age}.")
    population_values = pd.to_numeric(rows.get("population"), errors="coerce")
    population = float(population_values.sum()) if population_values is not None else 0.0
    codes = ", ".join(rows["code"])
    if population_values is None or population_values.isna().all() or population <= 0:
        raise ReferenceError(f"Geen inwoners bekend voor {codes} in {table}. "
                             "Kies een gebied waar mensen wonen.")
    builder = _Builder(rows.reset_index(drop=True))
    for dim in ("age", "gender", "household", "origin"):
        builder.count_dimension(dim)
    if "origin" not in builder.dimensions:
        builder.origin_old()
    builder.tenure()
    builder.income()
    eligible = builder.apply_min_age(int(min_age))
    if eligible is None:
        eligible = population
    if population < 100:
        builder.notes.append(f"Dit gebied heeft maar {fmt(population)} inwoners: te klein voor "
                             "een betrouwbare vergelijking.")
    if len(rows) > 1:
        builder.notes.append(f"{len(rows)} gebieden zijn opgeteld: {codes}.")
    dimensions = {d: {k: round(v, 6) for k, v in c.items()} for d, c in builder.dimensions.items()}
    base = source or "Bron: CBS, Kerncijfers wijken en buurten"
    return BuurtReference(
        areas=tuple((str(r["code"]), str(r.get("name", "") or "")) for _, r in rows.iterrows()),
        year=year, table=table, population=population, eligible_population=round(eligible, 6),
        min_age=int(min_age), dimensions=dimensions,
        estimated=tuple(e for e in dict.fromkeys(builder.estimated)
                        if e.split(":")[1] in dimensions.get(e.split(":")[0], {})),
        notes=tuple(list(notes) + builder.notes),
        source=f"{base} {year}" if year and not source else base,
        units={d: UNITS[d] for d in builder.dimensions},
    )
