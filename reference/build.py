"""From CBS figures per area to one BuurtReference: summing, rounding, min_age.

Input is one row per area with our internal field names (see cbs_columns); every
value is a float or NaN (secret or not published). The rules live here once, so the
API, the CSV and the Excel path give the same reference for the same figures.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from reference.citation import cbs_source
from reference.margins import (  # noqa: F401 (PERCENT_ROUNDING: re-exported for older callers)
    AGE_DEPENDENT,
    PERCENT_ROUNDING,
    PERSONS_WITHOUT_CHILDREN,
    margin_assumptions,
    reference_margins,
    reference_shifts,
)
from reference.model import BuurtReference
from surveys.categories import AGE_BANDS
from surveys.errors import BereikwijzerError

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
DUTCH = {"age": "Leeftijd", "gender": "Geslacht", "household": "Huishouden (personen)",
         "origin": "Herkomst", "origin_old": "Migratieachtergrond (oude indeling)",
         "tenure": "Woning (koop/huur, personen)", "income": "Inkomen"}
UNITS = {"age": "personen", "gender": "personen", "origin": "personen",
         "origin_old": "personen", "household": "personen", "tenure": "personen",
         "income": "huishoudens"}
PERSON_DIMENSIONS = ("gender", "origin", "origin_old")

# Persons, not households (issue 13). KWB counts households by type and dwellings by
# tenure; respondents are persons. The numbers below are the stated assumptions.
MIN_ADULTS_WITH_CHILDREN = 1.0   # at least one adult in every household with children
ADULT_AGE = 18                   # younger people are children of a household with children
SIZE_ROUNDING = 0.05             # CBS publishes the average household size to one decimal
# The uncertainty of the reference itself (BuurtReference.margins) lives in
# reference.margins: PERSONS_WITHOUT_CHILDREN (2, up to 2.3), the CBS rounding, the age
# split, and AGE_DEPENDENT (origin, tenure: KWB gives them for all ages only).


class ReferenceDataError(BereikwijzerError, ValueError):
    """A reference that cannot be built; the message is Dutch and names file or code.

    Still a ValueError, so older callers that catch that keep working."""

    code = "referentie"


def __getattr__(name: str) -> type[ReferenceDataError]:
    """`ReferenceError` was this class's old name (it shadowed the builtin); old imports
    still get the class, with a DeprecationWarning."""
    if name == "ReferenceError":
        warnings.warn("ReferenceError (reference.build, reference.load) heet nu ReferenceDataError",
                      DeprecationWarning, stacklevel=2)
        return ReferenceDataError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fmt_count(value: float | None) -> str:
    """A count for people to read: whole, half up, Dutch separator (3819.5 → '3.820').

    Estimated counts (age cut, scaled dimensions) carry decimals that only look precise."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "onbekend"
    return fmt(math.floor(float(value) + 0.5))


def fmt(value: float | None) -> str:
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


def check_min_age(min_age: int) -> int:
    """The minimum age as a whole number from 0 to 100, or a Dutch error."""
    if not 0 <= int(min_age) <= 100:
        raise ReferenceDataError(f"De minimumleeftijd moet tussen 0 en 100 liggen, niet {min_age}.")
    return int(min_age)


def cut_age(counts, min_age: int) -> tuple[dict, list[str]]:
    """Keep ages >= min_age; the band that straddles it keeps a uniform share.

    Example: 15-25 with 1,000 people and min_age 18 keeps 1,000 × 7/10 = 700.
    The counts may be numbers or arrays (one value per area, as engagement.batch does).
    """
    kept: dict = {}
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


def kept_below(counts, age: int):
    """Persons younger than `age` in band counts (uniform ages inside a band); arrays work."""
    kept, _ = cut_age(counts, age)
    return sum(counts.values()) - sum(kept.values())


def young_persons(ages, min_age: int) -> tuple:
    """(children under min(min_age, 18), adults under min_age, children estimated at the
    0-15 rate per year of age) from age band counts; numbers or arrays per area."""
    child_age = min(min_age, ADULT_AGE)
    children = kept_below(ages, child_age)
    young = kept_below(ages, min_age) - children if min_age > ADULT_AGE else 0.0
    low, top = AGE_BANDS["0-15"]
    high = OPEN_AGE_LIMIT if top is None else top
    first = ages["0-15"]
    by_rate = children if child_age <= high else first + first / (high - low) * (child_age - high)
    return children, young, by_rate


def origin_old_counts(west, non_west, population, *, percent: bool) -> dict:
    """Persons per old origin group (tables up to 2022): westers and niet-westers as
    published (or as % of the inhabitants), the rest without migration background."""
    if percent:
        west, non_west = west / 100 * population, non_west / 100 * population
    return {"geen_migratieachtergrond": np.maximum(0.0, population - west - non_west),
            "westers": west, "niet_westers": non_west}


def rented_other(other, huur, corp):
    """Dwellings rented from others than a corporation: published, or all rented minus
    corporation where only those two are given (NaN stays NaN); numbers or arrays."""
    filled = np.where(np.isnan(other) & ~np.isnan(huur) & ~np.isnan(corp), huur - corp, other)
    return filled if np.ndim(filled) else float(filled)


def income_counts(low_pct, high_pct, households) -> dict:
    """Households per income group: the lowest 40 % and highest 20 % as published, the
    middle 40 % the rest (never below 0); numbers or arrays."""
    middle = np.maximum(0.0, 100 - low_pct - high_pct)
    return {"laag_40": low_pct / 100 * households, "midden_40": middle / 100 * households,
            "hoog_20": high_pct / 100 * households}


def household_persons(alone, without, with_children, households, avg_size, population,
                      children, young_adults=0.0, children_by_rate=None) -> dict[str, np.ndarray]:
    """Eligible persons per household type from KWB household counts, vectorised over areas.

    - alone: one person per one-person household;
    - without children: PERSONS_WITHOUT_CHILDREN per household;
    - with children: the rest of the private-household population, minus the children
      under min_age (`children`: persons under min(min_age, 18) from the age bands);
    - institutional: residents that cannot live in private households even at the
      largest average household size that rounds to the published one
      (population − households × (size + 0.05)); KWB has no count of its own;
    - young_adults (18 ≤ age < min_age) are removed from all three types proportionally.
    Where the uniform split of 15-25 leaves fewer than one adult per household with
    children (a student buurt: most of 15-25 is 18+), the children are estimated instead
    by `children_by_rate` (0-15 plus the years 15..min_age at the 0-15 rate per year), and
    never below one adult per household with children.
    Returns arrays: eenpersoons, paar_zonder_kinderen, met_kinderen, institutional,
    capped (True where the uniform split did not fit).
    """
    if children_by_rate is None:
        children_by_rate = children
    alone, without, with_children, households, avg_size, population, children, young, by_rate = (
        np.asarray(x, dtype=float) for x in (alone, without, with_children, households,
                                             avg_size, population, children, young_adults,
                                             children_by_rate))
    total_households = np.where(np.isnan(households), alone + without + with_children, households)
    upper_private = total_households * (avg_size + SIZE_ROUNDING)
    institutional = np.where(np.isnan(avg_size), 0.0, np.maximum(0.0, population - upper_private))
    p_alone = alone
    p_without = PERSONS_WITHOUT_CHILDREN * without
    p_with_all = population - institutional - p_alone - p_without
    floor = MIN_ADULTS_WITH_CHILDREN * with_children
    p_with = p_with_all - np.nan_to_num(children)
    capped = p_with < floor
    p_with = np.where(capped, np.maximum(p_with_all - np.nan_to_num(by_rate), floor), p_with)
    eligible = p_alone + p_without + p_with
    keep = np.divide(eligible - np.nan_to_num(young), eligible, out=np.ones_like(eligible),
                     where=eligible > 0)
    keep = np.clip(keep, 0.0, 1.0)
    return {"eenpersoons": p_alone * keep, "paar_zonder_kinderen": p_without * keep,
            "met_kinderen": p_with * keep, "institutional": institutional, "capped": capped,
            "with_all": p_with_all}


def tenure_persons(shares: Mapping[str, Any], persons: np.ndarray) -> dict[str, np.ndarray]:
    """Persons per tenure: each area's dwelling shares (over the known owners) × its persons.

    Assumes the same number of residents per dwelling in every tenure."""
    total = sum(np.asarray(v, dtype=float) for v in shares.values())
    return {k: np.divide(np.asarray(v, dtype=float), total, out=np.zeros_like(total),
                         where=total > 0) * persons for k, v in shares.items()}


class _Builder:
    """Collects dimensions, notes and estimated entries for one reference."""

    def __init__(self, rows: pd.DataFrame) -> None:
        self.rows = rows
        self.dimensions: dict[str, dict[str, float]] = {}
        self.estimated: list[str] = []
        self.notes: list[str] = []
        self.assumptions: list[str] = []
        self.institutional_by_area: dict[str, float] = {}
        self.age_cut_removed: dict[str, float] = {}
        self.young = 0.0  # persons under min_age (from the age bands)

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

    def summed(self, fields: list[str], groups: tuple[str, ...], rule) -> dict[str, float] | None:
        """A per-area rule (origin_old_counts, income_counts) summed over the areas that
        have all `fields`; None when the table lacks them or no area has them all."""
        if not all(f in self.rows for f in fields):
            return None
        counts = dict.fromkeys(groups, 0.0)
        used = 0
        for _, row in self.rows.iterrows():
            values = _complete(row, fields)
            if values is None:
                continue
            for group, value in rule(*values).items():
                counts[group] += float(value)
            used += 1
        return counts if used else None

    def origin_old(self) -> None:
        """Westers / niet-westers (tables up to 2022); never mixed with `origin`."""
        kind = "" if "origin_old:westers" in self.rows else "%"
        fields = [f"origin_old{kind}:westers", f"origin_old{kind}:niet_westers", "population"]
        counts = self.summed(fields, ORIGIN_OLD, lambda w, nw, p: origin_old_counts(w, nw, p, percent=bool(kind)))
        if counts is None:
            return
        self.dimensions["origin_old"] = counts
        self.estimated.append("origin_old:geen_migratieachtergrond")
        if kind:
            self.estimated += ["origin_old:westers", "origin_old:niet_westers"]
        self.notes.append("Herkomst volgt hier de oude CBS-indeling (westers / niet-westers "
                          "migratieachtergrond). Die is niet te vergelijken met de indeling "
                          "vanaf 2023 (Nederland / Europa / buiten Europa).")

    def row_ages(self, row: pd.Series) -> dict[str, float] | None:
        """The age band counts of one area (from counts, or % × inhabitants); None if unknown."""
        counts = _complete(row, [f"age:{b}" for b in AGE_BANDS])
        if counts is not None:
            return dict(zip(AGE_BANDS, counts))
        pct = _complete(row, [f"age%:{b}" for b in AGE_BANDS] + ["population"])
        if pct is None:
            return None
        return {b: v / 100 * pct[-1] for b, v in zip(AGE_BANDS, pct[:-1])}

    def row_persons(self, row: pd.Series, min_age: int) -> tuple[float, float, float, float] | None:
        """(inhabitants, children under min(min_age, 18), adults under min_age, children
        estimated at the 0-15 rate per year of age) of one area; None without ages."""
        population = _value(row, "population")
        ages = self.row_ages(row)
        if ages is None or math.isnan(population):
            return None
        children, young, by_rate = young_persons(ages, min_age)
        return population, children, young, by_rate

    def household(self, min_age: int) -> None:
        """Eligible persons per household type (see `household_persons`), summed over areas."""
        fields = [f"household:{c}" for c in COUNT_DIMENSIONS["household"]]
        if not all(f in self.rows for f in fields):
            return
        sums = dict.fromkeys(COUNT_DIMENSIONS["household"], 0.0)
        institutional, children_total, used = 0.0, 0.0, 0
        skipped, capped, no_age, no_size, sizes = [], [], [], [], []
        for _, row in self.rows.iterrows():
            counts = _complete(row, fields)
            persons = self.row_persons(row, min_age)
            if counts is None or (persons is None and math.isnan(_value(row, "population"))):
                skipped.append(self.label(row))
                continue
            if persons is None:
                no_age.append(self.label(row))
                persons = (_value(row, "population"), 0.0, 0.0, 0.0)
            population, children, young, by_rate = persons
            size = _value(row, "household_size")
            if math.isnan(size):
                no_size.append(self.label(row))
            else:
                sizes.append(size)
            alone, without, with_children = counts
            out = household_persons(alone, without, with_children, _value(row, "households"), size,
                                    population, children, young, by_rate)
            for category in sums:
                sums[category] += float(out[category])
            institutional += float(out["institutional"])
            children_total += by_rate if bool(out["capped"]) else children
            if bool(out["capped"]):
                capped.append(self.label(row))
            used += 1
        if skipped and used:
            self.notes.append(f"{DUTCH['household']}: geen cijfers voor {', '.join(skipped)} "
                              "(geheim of nog niet gepubliceerd); dit gebied telt hier niet mee.")
        if not used:
            self.notes.append(f"{DUTCH['household']}: geen cijfers gepubliceerd voor dit gebied.")
            return
        self.dimensions["household"] = sums
        self.estimated += [f"household:{c}" for c in sums]
        under = f"jonger dan {min_age} jaar" if min_age else ""
        self.assumptions += [
            "Huishouden telt personen, niet huishoudens: CBS geeft huishoudens per soort, "
            "wij rekenen dat om naar personen, want respondenten zijn personen.",
            "Alleenstaanden: één persoon per eenpersoonshuishouden.",
            f"Huishoudens zonder kinderen tellen als {PERSONS_WITHOUT_CHILDREN:g} personen (meestal "
            "een stel). Wonen er meer mensen samen (bijv. studenten), dan is dit te laag; dat "
            "valt binnen de marge (zie hieronder).",
            "Personen in huishoudens met kinderen: alle inwoners min de alleenstaanden, min de "
            "personen in huishoudens zonder kinderen"
            + (", min de bewoners van instellingen" if institutional > 0 else "")
            + (f"; daarvan gaan de kinderen {under} af (geschat: {fmt_count(children_total)})."
               if min_age else "."),
        ]
        if min_age > ADULT_AGE:
            self.assumptions.append(f"Volwassenen van {ADULT_AGE} tot {min_age} jaar gaan naar "
                                    "verhouding af van alle soorten huishoudens.")
        if institutional > 0:
            self.assumptions.append(
                "CBS geeft geen aantal bewoners van instellingen (zoals een verpleeghuis). Uit de "
                "gemiddelde grootte van een huishouden volgt dat minstens "
                f"{fmt_count(institutional)} inwoners niet in een gewoon huishouden wonen; zij "
                "tellen niet mee bij huishouden en woning.")
        if no_size:
            self.assumptions.append(f"Voor {', '.join(no_size)} ontbreekt de gemiddelde grootte "
                                    "van een huishouden: we nemen aan dat niemand in een instelling woont.")
        if no_age:
            self.assumptions.append(f"Voor {', '.join(no_age)} ontbreken de leeftijden: de "
                                    "kinderen zijn niet afgetrokken van de huishoudens met kinderen.")
        if capped:
            self.assumptions.append(
                f"In {', '.join(capped)} passen de jongeren onder de {min(min_age, ADULT_AGE)} niet in de "
                "huishoudens met kinderen als alle leeftijden van 15-25 even vaak voorkomen: de "
                "groep 15-25 bestaat hier vooral uit volwassenen (bijv. studenten). Daarom schatten "
                "we het aantal kinderen van 15 jaar en ouder uit het aantal kinderen per leeftijdsjaar "
                "onder de 15, met minstens één volwassene per huishouden met kinderen.")

    def tenure(self, min_age: int) -> None:
        """Persons per tenure: dwelling shares × eligible persons, per area, summed."""
        if "tenure%:koop" not in self.rows:
            return
        totals = dict.fromkeys(TENURE, 0.0)
        pct_sum, weight_total, skipped, no_age = 0.0, 0.0, [], []
        institutional_share = self.institutional_by_area
        for _, row in self.rows.iterrows():
            koop = _value(row, "tenure%:koop")
            corp = _value(row, "tenure%:huur_corporatie")
            other = rented_other(_value(row, "tenure%:huur_overig"), _value(row, "tenure%:huur"), corp)
            if any(math.isnan(v) for v in (koop, corp, other)):
                skipped.append(self.label(row))
                continue
            persons = self.row_persons(row, min_age)
            if persons is None:
                population = _value(row, "population")
                if math.isnan(population) or population <= 0:
                    continue
                no_age.append(self.label(row))
                eligible = population
            else:
                population, children, young, _ = persons
                eligible = population - children - young
            eligible -= institutional_share.get(str(row["code"]), 0.0)
            if eligible <= 0:
                continue
            out = tenure_persons({"koop": koop, "huur_corporatie": corp, "huur_overig": other},
                                 np.array(eligible))
            for category in TENURE:
                totals[category] += float(out[category])
            pct_sum += (koop + corp + other) * eligible
            weight_total += eligible
        if weight_total <= 0:
            self.notes.append("Woning (koop/huur): geen cijfers gepubliceerd voor dit gebied "
                              "(CBS toont dit alleen bij minstens 20 woningen).")
            return
        self.dimensions["tenure"] = totals
        self.estimated += [f"tenure:{c}" for c in TENURE]
        if skipped:
            self.notes.append(f"Woning (koop/huur): geen cijfers voor {', '.join(skipped)} "
                              "(geheim of te weinig woningen); dit gebied telt hier niet mee.")
        unknown = 100 - pct_sum / weight_total
        if unknown >= 0.5:
            self.notes.append(f"Woning (koop/huur): {fmt(unknown)}% van de woningen heeft een "
                              "onbekende eigenaar of valt weg door afronding; we verdelen over "
                              "de bekende eigenaren.")
        elif unknown <= -0.5:
            self.notes.append(f"Woning (koop/huur): de percentages tellen op tot {fmt(100 - unknown)}% "
                              "(CBS rondt af); we rekenen met hun onderlinge verhouding.")
        self.assumptions.append(
            "Woning telt personen, niet woningen: het aandeel koopwoningen, corporatiewoningen en "
            "andere huurwoningen maal het aantal inwoners"
            + (f" van {min_age} jaar en ouder" if min_age else "")
            + (" (zonder bewoners van instellingen)" if any(self.institutional_by_area.values()) else "")
            + ". We nemen aan dat er in elk soort woning even veel mensen wonen.")
        if no_age:
            self.assumptions.append(f"Voor {', '.join(no_age)} ontbreken de leeftijden: daar "
                                    "tellen alle inwoners mee bij woning.")

    def income(self) -> None:
        counts = self.summed(["income%:laag_40", "income%:hoog_20", "households"], INCOME, income_counts)
        if counts is not None:
            self.dimensions["income"] = counts
            self.estimated.append("income:midden_40")
            self.assumptions.append(
                "Inkomen telt huishoudens: CBS geeft het aandeel huishoudens per inkomensgroep. "
                "We vergelijken respondenten daarmee alsof elk huishouden even groot is; grote "
                "gezinnen met een laag inkomen tellen zo te licht.")

    def apply_min_age(self, min_age: int) -> float | None:
        """Cut the age reference at min_age and scale the person-based dimensions."""
        age = self.dimensions.get("age")
        if age is None:
            if min_age > 0:
                self.notes.append("Leeftijd ontbreekt: de andere kenmerken gelden voor alle leeftijden.")
            return None
        before = sum(age.values())
        kept, estimated = cut_age(age, min_age)
        self.age_cut_removed = {b: age[b] - kept[b] for b in kept if age[b] - kept[b] > 1e-9}
        eligible = sum(kept.values())
        if eligible <= 0:
            raise ReferenceDataError(f"Er wonen volgens CBS geen mensen van {min_age} jaar of ouder "
                                     "in dit gebied. Kies een lagere minimumleeftijd.")
        self.dimensions["age"] = kept
        self.estimated += estimated
        self.young = max(0.0, before - eligible)
        if min_age > 0 and before > 0:
            share = eligible / before
            for dim in PERSON_DIMENSIONS:
                if dim in self.dimensions and share < 1:
                    self.dimensions[dim] = {k: v * share for k, v in self.dimensions[dim].items()}
                    self.estimated += [f"{dim}:{k}" for k in self.dimensions[dim]]
            self.notes.append(
                f"Alleen inwoners van {min_age} jaar en ouder: {fmt_count(eligible)} van "
                f"{fmt_count(before)}. "
                "Geslacht en herkomst zijn met hetzelfde aandeel verkleind (geschat).")
            self.assumptions.append(
                "Binnen een leeftijdsgroep komen alle leeftijden even vaak voor (bijv. bij 15-25 "
                f"jaar is {max(0, min(min_age, 25) - 15)} van de 10 jaargangen jonger dan {min_age}).")
        return eligible


def build_reference(rows: pd.DataFrame, *, year: int | None, table: str, min_age: int,
                    notes: Iterable[str] = (), source: str | None = None) -> BuurtReference:
    """One BuurtReference from one or more area rows (their counts are summed)."""
    check_min_age(min_age)
    population_values = pd.to_numeric(rows.get("population"), errors="coerce")
    population = float(population_values.sum()) if population_values is not None else 0.0
    codes = ", ".join(rows["code"])
    if population_values is None or population_values.isna().all() or population <= 0:
        raise ReferenceDataError(f"Geen inwoners bekend voor {codes} in {table}. "
                                 "Kies een gebied waar mensen wonen.")
    builder = _Builder(rows.reset_index(drop=True))
    for dim in ("age", "gender", "origin"):
        builder.count_dimension(dim)
    if "origin" not in builder.dimensions:
        builder.origin_old()
    builder.household(int(min_age))
    builder.institutional_by_area = _institutional_by_area(builder.rows)
    builder.tenure(int(min_age))
    builder.income()
    eligible = builder.apply_min_age(int(min_age))
    if eligible is None:
        eligible = population
    if population < 100:
        builder.notes.append(f"Dit gebied heeft maar {fmt(population)} inwoners: te klein voor "
                             "een betrouwbare vergelijking.")
    if len(rows) > 1:
        builder.notes.append(f"{len(rows)} gebieden zijn opgeteld: {codes}.")
    margins = group_margins(builder.dimensions, len(rows), builder.age_cut_removed, builder.young)
    shown = [DUTCH[d].split(" (")[0].lower() for d in AGE_DEPENDENT if d in builder.dimensions]
    young_rule = []
    if builder.young > 0 and shown:
        young_rule.append(
            f"CBS geeft {' en '.join(shown)} alleen voor alle leeftijden. Voor de "
            f"{fmt_count(eligible)} inwoners van {min_age} jaar en ouder nemen we dezelfde "
            f"verdeling. Hoe de {fmt_count(builder.young)} jongere inwoners verdeeld zijn, weten we "
            "niet; we rekenen met een marge: hun aandeel in een groep ligt tussen 0 en twee keer "
            "het aandeel van die groep in de hele buurt. Een eigen tabel per leeftijd maakt dit "
            "preciezer.")
    if margins:
        builder.assumptions += margin_assumptions(builder.dimensions, len(rows), builder.age_cut_removed,
                                                  builder.young, int(min_age), also=young_rule)
    order = ("age", "gender", "household", "origin", "origin_old", "tenure", "income")
    ordered = sorted(builder.dimensions, key=lambda d: order.index(d) if d in order else len(order))
    dimensions = {d: {k: round(v, 6) for k, v in builder.dimensions[d].items()} for d in ordered}
    return BuurtReference(
        areas=tuple((str(r["code"]), str(r.get("name", "") or "")) for _, r in rows.iterrows()),
        year=year, table=table, population=population, eligible_population=round(eligible, 6),
        min_age=int(min_age), dimensions=dimensions,
        estimated=tuple(e for e in dict.fromkeys(builder.estimated)
                        if e.split(":")[1] in dimensions.get(e.split(":")[0], {})),
        notes=tuple(list(notes) + builder.notes),
        source=source or cbs_source(year),
        units={d: UNITS[d] for d in dimensions},
        assumptions=tuple(dict.fromkeys(builder.assumptions)),
        margins={d: {k: round(v, 6) for k, v in margins[d].items()} for d in dimensions if d in margins},
        margin_shift={d: {k: round(v, 6) for k, v in shifts.items()}
                      for d, shifts in reference_shifts(builder.dimensions).items() if d in dimensions},
    )


def group_margins(dims: dict, areas: int, cut: dict, young=0.0) -> dict[str, dict]:
    """± persons per group (BuurtReference.margins) from the named sources of
    reference.margins: CBS rounding, the age split, persons per household type and the
    young's split (boys 49–53 %; origin and tenure: between none and twice the group's
    share), combined by interval arithmetic (the bounds add up).

    `dims` are the persons per dimension and group, `cut` the persons removed at min_age
    per kept age band, `young` the persons under min_age (numbers, or arrays per area as
    in engagement.batch). Income is left without a margin."""
    return reference_margins(dims, areas, cut, young)


def _institutional_by_area(rows: pd.DataFrame) -> dict[str, float]:
    """Residents outside private households per area (see `household_persons`)."""
    out = {}
    for _, row in rows.iterrows():
        households = _value(row, "households")
        if math.isnan(households):
            parts = _complete(row, [f"household:{c}" for c in COUNT_DIMENSIONS["household"]])
            households = sum(parts) if parts else math.nan
        size, population = _value(row, "household_size"), _value(row, "population")
        if not any(math.isnan(v) for v in (households, size, population)):
            out[str(row["code"])] = max(0.0, population - households * (size + SIZE_ROUNDING))
    return out
