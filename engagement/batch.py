"""Coverage for thousands of areas at once, e.g. every buurt of a KWB file.

`compute_coverage` starts from respondent rows and costs tens of milliseconds per area,
which is right for one project but too slow for a national overview or a benchmark
over 8,000 buurten. Here the DESIGN.md definitions (ratio, Wilson interval with the
finite-population correction, the reference range from BuurtReference.margins, flag,
Holm-adjusted significant, 'onzeker' with many unknowns, to_reach, chi2/df/p, cv,
r_indicator and partial R, min_max_ratio) are computed with numpy over one long table of
counts for all areas together. The population follows cbs_build (household type and
tenure as eligible persons via household_persons / tenure_persons). The figures equal
those of `compute_coverage(..., weighting=False)` (tests/test_batch.py checks every field).

    >>> population = kwb_population(data, "kwb2024_85984NED.csv")  # doctest: +SKIP
    >>> table = batch_coverage(counts, population)  # doctest: +SKIP
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy import stats as _sp

from engagement import stats
from engagement.coverage import NON_PERSON_UNITS
from engagement.vocabulary import (
    ALPHA,
    FLAGS,
    LABEL_REFERENCE_UNCERTAIN,
    LABEL_UNCERTAIN,
    MIN_EXPECTED,
    OVER,
    STATUS_LABELS,
    UNDER,
    UNKNOWN_THRESHOLD,
    could_flip,
    flag_codes,
    range_uncertain,
    status_table,
)
from reference.build import (
    COUNT_DIMENSIONS,
    INCOME,
    ORIGIN_OLD,
    PERSON_DIMENSIONS,
    TENURE,
    UNITS,
    check_min_age,
    cut_age,
    group_margins,
    household_persons,
    income_counts,
    origin_old_counts,
    rented_other,
    tenure_persons,
    young_persons,
)
from reference.files import read_kwb_table
from reference.margins import reference_shifts
from reference.model import BuurtReference
from surveys.categories import AGE_BANDS
from surveys.errors import InputError

logger = logging.getLogger(__name__)

__all__ = ["batch_coverage", "kwb_population", "population_table", "reference_population"]

POPULATION_COLUMNS = ["area_code", "area_name", "dimension", "category", "population",
                      "estimated", "persons", "eligible_population", "margin", "margin_shift"]
DIMENSION_ORDER = ("age", "gender", "household", "origin", "origin_old", "tenure", "income")


# --------------------------------------------------------------------------- population

def kwb_population(data: bytes, file_name: str, *, kind: str | None = "Buurt",
                   min_age: int = 18) -> pd.DataFrame:
    """The eligible population of every area of a KWB file as one long table.

    One row per area × dimension × category with the same figures `load_kwb_file`
    gives for that area alone. `kind` ("Buurt", "Wijk", "Gemeente"; None = all) picks
    the areas. Areas without inhabitants have no reference and are left out.
    """
    frame = read_kwb_table(data, file_name).frame
    if kind is not None:
        frame = frame[frame["kind"] == kind]
    return population_table(frame, min_age=min_age)


def _field(rows: pd.DataFrame, name: str) -> np.ndarray:
    if name not in rows.columns:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)


def _matrix(rows: pd.DataFrame, fields: list[str]) -> np.ndarray:
    return np.column_stack([_field(rows, f) for f in fields]) if fields else np.empty((len(rows), 0))


def _left_sum(values: np.ndarray) -> np.ndarray:
    """Row sums added left to right, exactly as Python's sum() over a dict does."""
    total = np.zeros(values.shape[0])
    for j in range(values.shape[1]):
        total = total + values[:, j]
    return total


class _Dims:
    """Per dimension: categories, values (areas × categories, NaN row = absent), estimated."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.values: dict[str, np.ndarray] = {}
        self.estimated: dict[str, np.ndarray] = {}
        self.categories: dict[str, tuple[str, ...]] = {}
        self.removed = np.empty((n, 0))  # per kept age band: persons cut at min_age
        self.young = np.zeros(n)         # persons under min_age per area (0 without ages)

    def put(self, dim: str, categories: tuple[str, ...], values: np.ndarray, ok: np.ndarray,
            estimated: np.ndarray | bool = False) -> None:
        values = np.where(ok[:, None], values, np.nan)
        self.categories[dim] = categories
        self.values[dim] = values
        self.estimated[dim] = np.broadcast_to(np.asarray(estimated, dtype=bool), values.shape).copy()

    def has(self, dim: str) -> np.ndarray:
        if dim not in self.values:
            return np.zeros(self.n, dtype=bool)
        return ~np.isnan(self.values[dim]).all(axis=1)


def _count_dimensions(rows: pd.DataFrame, dims: _Dims, population: np.ndarray) -> None:
    for dim, categories in COUNT_DIMENSIONS.items():
        if dim == "household":
            continue  # persons per household type: _household
        fields = [f"{dim}:{c}" for c in categories]
        if all(f in rows.columns for f in fields):
            values = _matrix(rows, fields)
            dims.put(dim, categories, values, ~np.isnan(values).any(axis=1))
        elif dim == "age":
            pct = [f"age%:{band}" for band in AGE_BANDS]
            if all(f in rows.columns for f in pct + ["population"]):
                shares = _matrix(rows, pct)
                ok = ~np.isnan(shares).any(axis=1) & ~np.isnan(population) & (population > 0)
                dims.put(dim, categories, shares / 100 * population[:, None], ok, True)


def _origin_old(rows: pd.DataFrame, dims: _Dims, population: np.ndarray) -> None:
    """Westers / niet-westers where the new origin classification is absent (cbs_build)."""
    kind = "" if "origin_old:westers" in rows.columns else "%"
    fields = [f"origin_old{kind}:westers", f"origin_old{kind}:niet_westers"]
    if not all(f in rows.columns for f in fields + ["population"]):
        return
    west, non_west = _field(rows, fields[0]), _field(rows, fields[1])
    ok = ~np.isnan(west) & ~np.isnan(non_west) & ~np.isnan(population) & ~dims.has("origin")
    counts = origin_old_counts(west, non_west, population, percent=bool(kind))
    estimated = np.array([True, bool(kind), bool(kind)])
    dims.put("origin_old", ORIGIN_OLD, np.column_stack([counts[c] for c in ORIGIN_OLD]), ok, estimated)


class _Persons:
    """Per area: inhabitants, children under min(min_age, 18), adults under min_age and
    children at the 0-15 rate per year (reference.build.young_persons over all areas)."""

    def __init__(self, rows: pd.DataFrame, population: np.ndarray, min_age: int) -> None:
        counts = _matrix(rows, [f"age:{b}" for b in AGE_BANDS])
        pct = _matrix(rows, [f"age%:{b}" for b in AGE_BANDS])
        have_counts = ~np.isnan(counts).any(axis=1)
        have_pct = ~np.isnan(pct).any(axis=1) & ~np.isnan(population)
        ages = np.where(have_counts[:, None], counts, pct / 100 * population[:, None])
        self.known = have_counts | have_pct
        children, young, by_rate = young_persons(dict(zip(AGE_BANDS, ages.T)), min_age)
        self.population = population
        self.children = np.where(self.known, children, 0.0)
        self.young = np.where(self.known, young, 0.0)
        self.by_rate = np.where(self.known, by_rate, 0.0)


def _household(rows: pd.DataFrame, dims: _Dims, persons: _Persons) -> np.ndarray:
    """Eligible persons per household type (cbs_build.household_persons, one call for all
    areas); returns the residents outside private households per area (0 when unknown)."""
    fields = [f"household:{c}" for c in COUNT_DIMENSIONS["household"]]
    parts = _matrix(rows, fields)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = household_persons(parts[:, 0], parts[:, 1], parts[:, 2], _field(rows, "households"),
                                _field(rows, "household_size"), persons.population,
                                persons.children, persons.young, persons.by_rate)
    if all(f in rows.columns for f in fields):
        ok = ~np.isnan(parts).any(axis=1) & ~np.isnan(persons.population)
        values = np.column_stack([out[c] for c in COUNT_DIMENSIONS["household"]])
        dims.put("household", COUNT_DIMENSIONS["household"], values, ok, True)
    return np.nan_to_num(np.asarray(out["institutional"], dtype=float), nan=0.0)


def _tenure(rows: pd.DataFrame, dims: _Dims, persons: _Persons, institutional: np.ndarray) -> None:
    """Persons per tenure: dwelling shares over the known owners × eligible persons of the
    area, without residents of institutions (cbs_build.tenure_persons)."""
    if "tenure%:koop" not in rows.columns:
        return
    koop, corp, other = (_field(rows, f"tenure%:{c}") for c in TENURE)
    other = rented_other(other, _field(rows, "tenure%:huur"), corp)
    population = persons.population
    eligible = np.where(persons.known, population - persons.children - persons.young, population)
    eligible = eligible - institutional
    ok = ~np.isnan(koop) & ~np.isnan(corp) & ~np.isnan(other) & ~np.isnan(population) \
        & (persons.known | (population > 0)) & (eligible > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = tenure_persons({"koop": koop, "huur_corporatie": corp, "huur_overig": other},
                             eligible)
    dims.put("tenure", TENURE, np.column_stack([out[c] for c in TENURE]), ok, True)


def _income(rows: pd.DataFrame, dims: _Dims) -> None:
    fields = ["income%:laag_40", "income%:hoog_20", "households"]
    if not all(f in rows.columns for f in fields):
        return
    low, high, households = (_field(rows, f) for f in fields)
    ok = ~np.isnan(low) & ~np.isnan(high) & ~np.isnan(households)
    counts = income_counts(low, high, households)
    dims.put("income", INCOME, np.column_stack([counts[c] for c in INCOME]), ok,
             np.array([False, True, False]))


def _apply_min_age(dims: _Dims, population: np.ndarray, min_age: int) -> np.ndarray:
    """Cut age at min_age and scale the person dimensions; returns the eligible count."""
    eligible = population.copy()
    if "age" not in dims.values:
        return eligible
    has_age = dims.has("age")
    age = dims.values["age"]
    before = _left_sum(age)
    bands = dims.categories["age"]
    cut_bands, estimated = cut_age({band: age[:, j] for j, band in enumerate(bands)}, min_age)
    keep = [bands.index(band) for band in cut_bands]
    cut = [f"age:{bands[j]}" in estimated for j in keep]
    kept = np.column_stack(list(cut_bands.values())) if keep else np.empty((dims.n, 0))
    dims.removed = np.column_stack([age[:, j] - kept[:, i] for i, j in enumerate(keep)]) \
        if keep else np.empty((dims.n, 0))
    dims.values["age"] = kept
    dims.estimated["age"] = dims.estimated["age"][:, keep] | np.array(cut, dtype=bool)[None, :]
    dims.categories["age"] = tuple(dims.categories["age"][j] for j in keep)
    eligible = np.where(has_age, _left_sum(kept), population)
    dims.young = np.where(has_age, np.maximum(0.0, before - eligible), 0.0)
    if min_age > 0:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = eligible / before
        scale = has_age & (before > 0) & (share < 1)
        for dim in PERSON_DIMENSIONS:
            if dim in dims.values:
                dims.values[dim] = np.where(scale[:, None], dims.values[dim] * share[:, None],
                                            dims.values[dim])
                dims.estimated[dim] = dims.estimated[dim] | scale[:, None]
    return eligible


def _margins(dims: _Dims) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """± persons per group of one area and the shift of its range's centre
    (reference.build.group_margins and reference.margins.reference_shifts over all areas)."""
    removed = np.where(dims.removed > 1e-9, dims.removed, 0.0)
    cut = dict(zip(dims.categories.get("age", ()), removed.T))
    columns = {dim: dict(zip(dims.categories[dim], values.T)) for dim, values in dims.values.items()}
    margins = group_margins(columns, 1, cut, dims.young)
    shifts = reference_shifts(columns)
    out: dict[str, np.ndarray] = {}
    shift_out: dict[str, np.ndarray] = {}
    for dim, values in dims.values.items():
        if dim in margins and dims.categories[dim]:
            out[dim] = _per_area(margins[dim], dims.categories[dim], dims.n)
        else:
            out[dim] = np.full(values.shape, np.nan)  # income (or no group left): no margin
        shift_out[dim] = _per_area(shifts[dim], dims.categories[dim], dims.n) \
            if dim in shifts and dims.categories[dim] else np.zeros(values.shape)
    return out, shift_out


def _per_area(values: dict, categories, n: int) -> np.ndarray:
    """Areas × categories from one number or array per category."""
    return np.column_stack([np.broadcast_to(values[c], (n,)) for c in categories]).astype(float)


def population_table(areas: pd.DataFrame, *, min_age: int = 18) -> pd.DataFrame:
    """The long population table for KWB area rows (the frame of `read_kwb_table`).

    Follows `cbs_build.build_reference` for each area on its own, vectorised over areas:
    complete figures only, household type and tenure as eligible persons
    (cbs_build.household_persons / tenure_persons), the age band that straddles `min_age`
    cut with uniform ages, gender and origin scaled to the eligible share, values rounded
    to 6 decimals. `persons` is the eligible population for dimensions still counted in
    households (income; NaN: the dimension counts persons); `margin` is the ± persons of
    BuurtReference.margins (NaN: none), `margin_shift` the centre of that range from the
    point (BuurtReference.margin_shift; 0: none).
    """
    check_min_age(min_age)
    population = _field(areas, "population")
    rows = areas[~np.isnan(population) & (population > 0)].reset_index(drop=True)
    population = _field(rows, "population")
    dims = _Dims(len(rows))
    _count_dimensions(rows, dims, population)
    _origin_old(rows, dims, population)
    persons = _Persons(rows, population, int(min_age))
    institutional = _household(rows, dims, persons)
    _tenure(rows, dims, persons, institutional)
    _income(rows, dims)
    eligible = _apply_min_age(dims, population, int(min_age))
    margins, shifts = _margins(dims)
    usable = eligible > 0
    if (~usable).any():
        logger.info("%d gebieden zonder inwoners van %d jaar of ouder overgeslagen",
                    int((~usable).sum()), min_age)
    eligible_rounded = np.array([round(float(v), 6) for v in eligible])
    parts = []
    for order, dim in enumerate(DIMENSION_ORDER):
        if dim not in dims.values or not dims.categories[dim]:
            continue
        values = dims.values[dim]
        present = dims.has(dim) & usable
        area, cat = np.nonzero(np.broadcast_to(present[:, None], values.shape))
        parts.append(pd.DataFrame({
            "_area": area, "_dim": order, "_cat": cat, "dimension": dim,
            "category": np.array(dims.categories[dim], dtype=object)[cat],
            "population": [round(float(v), 6) for v in values[area, cat]],
            "estimated": dims.estimated[dim][area, cat],
            "persons": eligible_rounded[area] if UNITS[dim] in NON_PERSON_UNITS else np.nan,
            "margin": [round(float(v), 6) for v in margins[dim][area, cat]],
            "margin_shift": [round(float(v), 6) for v in shifts[dim][area, cat]]}))
    if not parts:
        return pd.DataFrame(columns=POPULATION_COLUMNS)
    long = pd.concat(parts, ignore_index=True).sort_values(["_area", "_dim", "_cat"], kind="stable")
    area = long["_area"].to_numpy()
    long.insert(0, "area_code", rows["code"].to_numpy(dtype=object)[area])
    long.insert(1, "area_name", rows["name"].to_numpy(dtype=object)[area])
    long["eligible_population"] = eligible_rounded[area]
    return long[POPULATION_COLUMNS].reset_index(drop=True)


def reference_population(reference: BuurtReference, area_code: str | None = None) -> pd.DataFrame:
    """One BuurtReference as rows of the long population table (e.g. a custom reference)."""
    code = area_code or "+".join(c for c, _ in reference.areas) or "eigen"
    persons_base = float(reference.eligible_population or reference.population or np.nan)
    rows = []
    for dim, counts in reference.dimensions.items():
        unit = reference.units.get(dim, "woningen" if dim == "tenure" else "personen")
        for category, value in counts.items():
            rows.append({"area_code": code, "area_name": ", ".join(n for _, n in reference.areas),
                         "dimension": dim, "category": category, "population": float(value),
                         "estimated": f"{dim}:{category}" in reference.estimated,
                         "persons": persons_base if unit in NON_PERSON_UNITS else np.nan,
                         "eligible_population": reference.eligible_population,
                         "margin": reference.margins.get(dim, {}).get(category, np.nan),
                         "margin_shift": reference.margin_shift.get(dim, {}).get(category, 0.0)})
    return pd.DataFrame(rows, columns=POPULATION_COLUMNS)


# --------------------------------------------------------------------------- coverage

def _codes(population: pd.Series, counts: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """Shared integer codes for one key column of both tables (0 = missing)."""
    codes, uniques = pd.factorize(pd.concat([population, counts], ignore_index=True))
    return codes[:len(population)] + 1, codes[len(population):] + 1, len(uniques) + 1


def _keys(population: pd.DataFrame, counts: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """int64 keys of area × dimension (group) and area × dimension × category (row)."""
    area_p, area_c, _ = _codes(population["area_code"], counts["area_code"])
    dim_p, dim_c, dims = _codes(population["dimension"], counts["dimension"])
    cat_p, cat_c, cats = _codes(population["category"], counts["category"])
    group_p = area_p.astype(np.int64) * dims + dim_p
    group_c = area_c.astype(np.int64) * dims + dim_c
    return group_p, group_p * cats + cat_p, group_c, group_c * cats + cat_c


def _require(frame: pd.DataFrame, name: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"De tabel '{name}' mist de {'kolom' if len(missing) == 1 else 'kolommen'} "
                         f"{', '.join(missing)}; "
                         f"gevonden: {', '.join(map(str, frame.columns))}.")


def _segments(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums per contiguous group, each added in order (as numpy does for a short array)."""
    return np.add.reduceat(values, starts) if len(values) else np.zeros(0)


def batch_coverage(counts: pd.DataFrame, population: pd.DataFrame, *, under: float = UNDER,
                   over: float = OVER, monte_carlo: bool = False, seed: int = 0) -> pd.DataFrame:
    """The coverage table of many areas at once, one row per area × dimension × category.

    `counts`: area_code, dimension, category, respondents (optional `estimated`); a
    category the area's reference lacks (or has no people in) counts as unknown.
    `population`: the long table of `kwb_population` / `reference_population`.
    Per-category columns follow CategoryCoverage; the area × dimension figures (unknown,
    chi2, df, p_value, cv, r_indicator, min_max_ratio, monte_carlo, estimated) repeat on
    each row. As in compute_coverage, a dimension with fewer than two groups with
    people, or without any respondent in a reference group, is left out. The Monte-Carlo
    p-value (when an expected count is below 5) is simulated per area, so only when
    `monte_carlo=True`; otherwise p_value is the chi2 tail and `monte_carlo` says it
    should not be trusted.
    """
    _require(population, "population", ("area_code", "dimension", "category", "population"))
    _require(counts, "counts", ("area_code", "dimension", "category", "respondents"))
    population = population.reset_index(drop=True)
    group_p, key_p, group_c, key_c = _keys(population, counts)
    rows = pd.Index(key_p)
    if rows.has_duplicates:
        raise InputError("De bevolkingstabel noemt een groep van een gebied twee keer "
                         "(area_code, dimension, category moeten uniek zijn).")
    group_ids, group_keys = pd.factorize(group_p)
    size = len(population)
    row_of = rows.get_indexer(key_c)
    group_of = pd.Index(group_keys).get_indexer(group_c)
    answered = pd.to_numeric(counts["respondents"]).to_numpy(dtype=float)
    flagged = counts["estimated"].astype("boolean").fillna(False).to_numpy(dtype=bool) \
        if "estimated" in counts.columns else np.zeros(len(counts), dtype=bool)
    big_n = population["population"].to_numpy(dtype=float)
    valid = np.isfinite(big_n) & (big_n > 0)
    matched = row_of >= 0
    with_people = matched & valid[np.where(matched, row_of, 0)]
    n_k = np.bincount(row_of[matched], weights=answered[matched], minlength=size)
    counted_estimated = np.bincount(row_of[matched], minlength=size,
                                    weights=(flagged & (answered > 0))[matched]) > 0
    groups = len(group_keys)
    known_group = group_of >= 0
    other = np.bincount(group_of[known_group & ~with_people], minlength=groups,
                        weights=answered[known_group & ~with_people])
    reached = np.bincount(group_of[matched], weights=answered[matched], minlength=groups) > 0
    valid_count = np.bincount(group_ids, weights=valid, minlength=groups)
    marked = population["estimated"].astype(bool).to_numpy() if "estimated" in population \
        else np.zeros(size, dtype=bool)
    ref_estimated = np.bincount(group_ids, weights=marked, minlength=groups) > 0
    order = np.argsort(group_ids, kind="stable")
    order = order[valid[order] & (valid_count >= 2)[group_ids[order]] & reached[group_ids[order]]]
    kept, group = np.unique(group_ids[order], return_inverse=True)
    estimated = ref_estimated[kept] | (np.bincount(group, weights=counted_estimated[order],
                                                   minlength=len(kept)) > 0)
    persons = population["persons"].to_numpy(dtype=float)[order] if "persons" in population \
        else np.full(len(order), np.nan)
    margin = np.nan_to_num(population["margin"].to_numpy(dtype=float)[order], nan=0.0) \
        if "margin" in population else np.zeros(len(order))
    shift = np.nan_to_num(population["margin_shift"].to_numpy(dtype=float)[order], nan=0.0) \
        if "margin_shift" in population else np.zeros(len(order))
    area = pd.factorize(population["area_code"].to_numpy()[order])[0]
    table = _compute(big_n[order], n_k[order], other[kept], persons, margin, shift, group, area,
                     under=under, over=over, monte_carlo=monte_carlo, seed=seed)
    head = {name: population[name].array.take(order) for name in ("area_code", "dimension", "category")}
    return pd.DataFrame({**head, **table, "estimated": estimated[group]})


LABELS = [text for status, text in STATUS_LABELS.items() if status != "uncertain"]
# (flag code, expected < MIN_EXPECTED, significant) → index into LABELS: the one status
# decision of engagement.vocabulary, looked up per row instead of written again


def _status_index() -> np.ndarray:
    index = np.zeros(len(FLAGS) * 4, dtype=int)
    for (code, low, significant), status in status_table().items():
        index[code * 4 + low * 2 + significant] = LABELS.index(STATUS_LABELS[status])
    return index


_STATUS_INDEX = _status_index()


def _compute(big_n: np.ndarray, n_k: np.ndarray, unknown_g: np.ndarray, persons: np.ndarray,
             margin: np.ndarray, shift: np.ndarray, group: np.ndarray, area: np.ndarray, *, under: float,
             over: float, monte_carlo: bool, seed: int) -> dict[str, object]:
    """coverage.dimension_coverage and adjust_for_multiplicity over contiguous groups (one
    group = area × dimension; Holm runs per area). Vectorised because one call per group
    costs about 0.5 ms, 20 s for all buurten; tests/test_batch.py holds both to the same
    figures, so a change of rule in coverage.py shows up there."""
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(group) else np.zeros(0, int)
    size = np.diff(np.r_[starts, len(group)])
    n_g = _segments(n_k, starts)
    n = n_g[group]
    big_total = _segments(big_n, starts)[group]
    p = big_n / big_total
    positive = n > 0
    finite = np.where(np.isnan(persons), big_total, persons)
    with np.errstate(divide="ignore", invalid="ignore"):
        fpc = np.where(np.isfinite(finite) & (finite > np.maximum(n, 1.0)),
                       np.maximum(0.0, (finite - n) / (finite - 1.0)), 1.0)
        z = stats.Z95 * np.sqrt(fpc)
        z2 = z * z
        s = np.where(positive, n_k / n, 0.0)
        ratio = s / p
        denom = 1.0 + z2 / n
        centre = (s + z2 / (2 * n)) / denom
        half = z * np.sqrt(np.clip(s * (1 - s), 0.0, None) / n + z2 / (4 * n * n)) / denom
        p_low, p_high = stats.reference_range(big_n, big_total, margin, shift)
        nearest = np.clip(np.where(positive, s, p), p_low, p_high)
        se = np.sqrt(nearest * (1 - nearest) * fpc / n)
        score = np.divide(s - nearest, se, out=np.zeros_like(s), where=positive & (se > 0))
    p_raw = np.where(positive, 2 * _sp.norm.sf(np.abs(score)), 1.0)
    ci_low = np.where(positive, np.clip(centre - half, 0.0, 1.0), 0.0)
    ci_high = np.where(positive, np.clip(centre + half, 0.0, 1.0), 1.0)
    expected = n * p
    target = p * n
    flag = flag_codes(ratio, n_k, under=under, over=over)
    raw_significant = (p_high < ci_low) | (p_low > ci_high)
    total = n + unknown_g[group]
    with np.errstate(divide="ignore", invalid="ignore"):
        unknown_share = np.where(total > 0, unknown_g[group] / total, 0.0)
        unknown_low = np.where(total > 0, n_k / total, np.nan)
        unknown_high = np.where(total > 0, (n_k + unknown_g[group]) / total, np.nan)
        chi2 = _segments((n_k - expected) ** 2 / expected, starts)
        flips = could_flip(np.asarray(FLAGS, dtype=object)[flag], unknown_low / p, unknown_high / p,
                           under=under, over=over)
    uncertain_dim = unknown_share > UNKNOWN_THRESHOLD
    uncertain = uncertain_dim & flips
    by_reference = ~uncertain & range_uncertain(np.asarray(FLAGS, dtype=object)[flag], s, p_low, p_high,
                                                margin, n_k, under=under, over=over)
    p_adjusted = p_raw.copy()
    flagged = flag != 2
    p_adjusted[flagged] = _holm_by(p_raw[flagged], area[flagged])
    significant = np.where(flagged, p_adjusted < ALPHA, raw_significant)
    label_code = _STATUS_INDEX[flag * 4 + (expected < MIN_EXPECTED) * 2 + significant.astype(int)]
    pct = np.round(100 * unknown_share).astype(int)
    label = np.array(LABELS, dtype=object)[label_code]
    label[uncertain] = [LABEL_UNCERTAIN.format(pct=v) for v in pct[uncertain]]
    label[by_reference] = LABEL_REFERENCE_UNCERTAIN  # as category_status: after the unknowns
    df = size - 1
    tested = (df >= 1) & (n_g > 0)
    chi2 = np.where(tested, chi2, 0.0)
    p_value = np.ones(len(starts))
    if tested.any():
        p_value[tested] = _sp.chi2.sf(chi2[tested], df[tested])
    low = np.maximum.reduceat(expected < MIN_EXPECTED, starts) if len(group) else np.zeros(0, bool)
    simulated = (n_g > 0) & (size > 1) & low
    if monte_carlo:
        for g in np.flatnonzero(simulated):
            part = slice(starts[g], starts[g] + size[g])
            p_value[g] = stats.monte_carlo_p(n_k[part], p[part], seed=seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = n_k / big_n
        top = np.maximum.reduceat(rates, starts) if len(group) else np.zeros(0)
        bottom = np.minimum.reduceat(rates, starts) if len(group) else np.zeros(0)
        min_max = np.where(top > 0, bottom / top, 0.0)
    base = np.where(np.isnan(persons), big_n, p * persons)
    partial, partial_se = _partial_r(n_k, base, starts, group)
    first = starts if len(group) else np.zeros(0, int)
    per_group = {"unknown": unknown_g, "chi2": chi2, "df": df, "p_value": p_value,
                 "cv": np.sqrt(_segments(p * (ratio - 1.0) ** 2, starts)),
                 "r_indicator": _r_indicator(n_k, big_n, p, persons, starts, group),
                 "min_max_ratio": min_max, "monte_carlo": simulated,
                 "unknown_share": unknown_share[first], "uncertain": uncertain_dim[first],
                 "fpc": fpc[first]}
    return {"population": big_n, "population_share": p, "respondents": n_k,
            "respondent_share": s, "ratio": ratio, "ci_low": ci_low, "ci_high": ci_high,
            "flag": pd.Categorical.from_codes(flag, list(FLAGS)), "significant": significant,
            "to_reach": np.maximum(0, stats.ceil_count(target - n_k)).astype(int),
            "label": pd.Categorical(label, categories=sorted(set(LABELS) | set(label))),
            "target": target, "unknown_low": unknown_low, "unknown_high": unknown_high,
            "expected": expected, "category_p_value": p_raw, "p_adjusted": p_adjusted,
            "significant_raw": raw_significant, "partial_r": partial, "partial_r_se": partial_se,
            "category_uncertain": uncertain | by_reference, "population_share_low": p_low,
            "population_share_high": p_high,
            **{name: values[group] for name, values in per_group.items()}}


def _holm_by(p_values: np.ndarray, area: np.ndarray) -> np.ndarray:
    """Holm step-down adjusted p-values within each area (stats.holm per area)."""
    if not len(p_values):
        return p_values.copy()
    order = np.lexsort((p_values, area))
    sorted_area = area[order]
    starts = np.flatnonzero(np.r_[True, sorted_area[1:] != sorted_area[:-1]])
    counts = np.diff(np.r_[starts, len(order)])
    rank = np.arange(len(order)) - np.repeat(starts, counts)
    m = np.repeat(counts, counts)
    step = np.minimum(1.0, (m - rank) * p_values[order])
    # running maximum within each area: values lie in [0, 1], so an offset of 2 per area
    # keeps one area's maximum from reaching into the next
    offset = 2.0 * np.repeat(np.arange(len(starts)), counts)
    adjusted = np.maximum.accumulate(step + offset) - offset
    out = np.empty(len(order))
    out[order] = adjusted
    return out


def _partial_r(n_k: np.ndarray, base: np.ndarray, starts: np.ndarray, group: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """stats.partial_r and partial_r_se per group, in closed form (the gradient matrix
    of stats.partial_r_se has δ_kj/N_j − 1/N on row k)."""
    if not len(group):
        return np.zeros(0), np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = _segments(base, starts)[group]
        rates = np.divide(n_k, base, out=np.zeros_like(n_k), where=base > 0)
        partial = np.sqrt(base / total) * (rates - _segments(n_k, starts)[group] / total)
        var_n = base * np.clip(rates * (1 - rates), 0.0, None)
        spread = _segments(var_n, starts)[group] / (total * total)
        own = np.divide(var_n, base * base, out=np.zeros_like(n_k), where=base > 0) \
            - 2 * np.divide(var_n, base * total, out=np.zeros_like(n_k), where=base > 0)
        se = np.sqrt(base / total) * np.sqrt(np.clip(own + spread, 0.0, None))
    return partial, se


def _r_indicator(n_k: np.ndarray, big_n: np.ndarray, p: np.ndarray, persons: np.ndarray,
                 starts: np.ndarray, group: np.ndarray) -> np.ndarray:
    """CBS R-indicator per group; dwellings and households are rescaled to persons first."""
    if not len(group):
        return np.zeros(0)
    base = np.where(np.isnan(persons), big_n, p * persons)
    with np.errstate(divide="ignore", invalid="ignore"):
        base_total = _segments(base, starts)[group]
        weight = base / base_total
        rates = n_k / base
        mean_rate = _segments(n_k, starts)[group] / base_total
        value = 1.0 - 2.0 * np.sqrt(_segments(weight * (rates - mean_rate) ** 2, starts))
    return np.where(np.minimum.reduceat(np.isfinite(base), starts), value, np.nan)
