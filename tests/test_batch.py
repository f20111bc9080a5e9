"""The batch path equals compute_coverage, area by area, on real KWB 2024 buurten."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from engagement.batch import batch_coverage, kwb_population, reference_population
from engagement.coverage import compute_coverage
from reference.load import load_kwb_file
from reference.model import BuurtReference

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"
EXCEL_NAME = "kwb2023_utrecht_GM0344.xlsx"
AGE_OF_BAND = {"0-15": 10, "15-25": 20, "25-45": 35, "45-65": 55, "65+": 75}
FIXED = ("BU05183033", "BU00140000", "BU16800000", "BU0363AA02")
CATEGORY_FIELDS = ("population", "population_share", "respondents", "respondent_share", "ratio",
                   "ci_low", "ci_high", "to_reach", "target", "unknown_low", "unknown_high",
                   "expected")
DIMENSION_FIELDS = ("unknown", "chi2", "df", "p_value", "cv", "r_indicator", "min_max_ratio",
                    "unknown_share", "fpc")
# batch column → CategoryCoverage field, where the names differ (p_value is the dimension's)
RENAMED = {"category_p_value": "p_value", "p_adjusted": "p_adjusted", "partial_r": "partial_r",
           "partial_r_se": "partial_r_se", "population_share_low": "population_share_low",
           "population_share_high": "population_share_high"}


@pytest.fixture(scope="module")
def kwb(cbs_dir) -> tuple[bytes, pd.DataFrame]:
    data = (cbs_dir / CSV_NAME).read_bytes()
    return data, kwb_population(data, CSV_NAME)


def synthetic_counts(population: pd.DataFrame, seed: int, unknown: float = 2.0) -> pd.DataFrame:
    """About 5% response, young people and renters less, with unknowns and 'anders'
    (`unknown`: mean number of 'onbekend' per area × dimension)."""
    rng = np.random.default_rng(seed)
    skew = population["category"].map({"15-25": 0.3, "65+": 1.6, "huur_corporatie": 0.5,
                                       "buiten_europa": 0.4}).fillna(1.0).to_numpy()
    base = np.where(population["persons"].isna(), population["population"],
                    population["population"] / population.groupby(
                        ["area_code", "dimension"])["population"].transform("sum")
                    * population["persons"])
    counts = population[["area_code", "dimension", "category"]].assign(
        respondents=rng.poisson(0.05 * skew * np.nan_to_num(base.astype(float))).astype(float))
    groups = counts[["area_code", "dimension"]].drop_duplicates()
    extra = pd.concat([groups.assign(category="onbekend", respondents=rng.poisson(unknown, len(groups))),
                       groups[groups["dimension"] == "gender"].assign(category="anders",
                                                                      respondents=1.0)])
    counts = pd.concat([counts, extra], ignore_index=True)
    # every dimension describes the same respondents: pad the unknowns to one total per area
    totals = counts.groupby(["area_code", "dimension"])["respondents"].transform("sum")
    padding = counts.assign(total=totals).groupby("area_code")["total"].transform("max") - totals
    unknown = counts["category"] == "onbekend"
    counts.loc[unknown, "respondents"] += padding[unknown]
    return counts


def respondents_from(counts: pd.DataFrame) -> pd.DataFrame:
    """One respondent row per count; each dimension filled on its own, the rest unknown."""
    columns: dict[str, list] = {}
    for dim, part in counts.groupby("dimension", sort=False):
        values: list = []
        for category, count in zip(part["category"], part["respondents"]):
            value = None if category == "onbekend" else category
            if dim == "age" and value is not None:
                value = AGE_OF_BAND[value]
            values += [value] * int(count)
        columns[dim] = values
    frame = pd.DataFrame(columns)
    frame["age"] = pd.to_numeric(frame["age"], errors="coerce")
    return frame


def assert_same(batch: pd.DataFrame, code: str, reference: BuurtReference,
                counts: pd.DataFrame) -> None:
    result = compute_coverage(respondents_from(counts), reference, weighting=False)
    mine = batch[batch["area_code"] == code]
    assert list(mine["dimension"].unique()) == [d.dimension for d in result.dimensions]
    for dim in result.dimensions:
        rows = mine[mine["dimension"] == dim.dimension]
        assert list(rows["category"]) == [c.category for c in dim.categories]
        first = rows.iloc[0]
        for name in DIMENSION_FIELDS:
            assert first[name] == pytest.approx(getattr(dim, name), abs=1e-12, rel=0), name
        assert bool(first["monte_carlo"]) == dim.monte_carlo
        assert bool(first["estimated"]) == dim.estimated
        assert bool(first["uncertain"]) == dim.uncertain
        for cat, (_, row) in zip(dim.categories, rows.iterrows()):
            for name in CATEGORY_FIELDS:
                assert row[name] == pytest.approx(getattr(cat, name), abs=1e-12, rel=0), \
                    (code, dim.dimension, cat.category, name)
            for name, field in RENAMED.items():
                assert row[name] == pytest.approx(getattr(cat, field), abs=1e-9, rel=1e-9), \
                    (code, dim.dimension, cat.category, name)
            assert (row["flag"], bool(row["significant"]), row["label"]) == \
                (cat.flag, cat.significant, cat.label)
            assert (bool(row["significant_raw"]), bool(row["category_uncertain"])) == \
                (cat.significant_raw, cat.uncertain)


def test_population_table_equals_load_kwb_file(kwb) -> None:
    data, population = kwb
    assert population["area_code"].nunique() == 7673  # 8,021 buurten, 348 without adults
    transvaal = population[population["area_code"] == "BU05183033"].set_index(
        ["dimension", "category"])["population"]
    assert transvaal[("age", "15-25")] == 685 * 7 / 10
    assert transvaal[("origin", "buiten_europa")] == pytest.approx(3710 * 3819.5 / 5010, abs=1e-6)  # age bands sum to 5,010
    sample = list(FIXED) + list(population["area_code"].drop_duplicates()
                                .sample(25, random_state=3))
    for code in sample:
        ours = population[population["area_code"] == code].reset_index(drop=True)
        theirs = reference_population(load_kwb_file(data, CSV_NAME, areas=[code]), code)
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False, check_exact=True)


def test_population_table_from_the_utrecht_excel(cbs_dir) -> None:
    data = (cbs_dir / EXCEL_NAME).read_bytes()
    population = kwb_population(data, EXCEL_NAME)
    welgelegen = population[population["area_code"] == "BU03440111"]
    assert set(welgelegen["dimension"]) == {"age", "gender", "household", "origin", "tenure"}
    assert welgelegen["eligible_population"].iloc[0] == 235 * 7 / 10 + 780 + 235 + 360
    for code in ("BU03440111", *population["area_code"].drop_duplicates().sample(10, random_state=1)):
        theirs = reference_population(load_kwb_file(data, EXCEL_NAME, areas=[code]), code)
        ours = population[population["area_code"] == code].reset_index(drop=True)
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False, check_exact=True)


def test_batch_equals_compute_coverage_for_sampled_buurten(kwb) -> None:
    data, population = kwb
    codes = list(FIXED) + list(population["area_code"].drop_duplicates().sample(26, random_state=7))
    part = population[population["area_code"].isin(codes)]
    counts = synthetic_counts(part, seed=11)
    batch = batch_coverage(counts, part, monte_carlo=True)
    assert set(batch["area_code"]) <= set(codes) and batch["area_code"].nunique() >= 25
    assert batch["monte_carlo"].any() and (batch["flag"] == "unreached").any()
    for code in codes:
        reference = load_kwb_file(data, CSV_NAME, areas=[code])
        assert_same(batch, code, reference, counts[counts["area_code"] == code])


def test_many_unknowns_holm_and_reference_range_as_compute_coverage(kwb) -> None:
    """Unknowns above 20 % give 'onzeker' labels; Holm runs over the whole area."""
    data, population = kwb
    codes = list(FIXED) + list(population["area_code"].drop_duplicates().sample(12, random_state=4))
    part = population[population["area_code"].isin(codes)]
    counts = synthetic_counts(part, seed=5, unknown=60.0)
    batch = batch_coverage(counts, part, monte_carlo=True)
    assert batch["label"].astype(str).str.startswith("onzeker").any()
    assert (batch["p_adjusted"] > batch["category_p_value"]).any()
    for code in codes:
        reference = load_kwb_file(data, CSV_NAME, areas=[code])
        assert_same(batch, code, reference, counts[counts["area_code"] == code])


def test_without_monte_carlo_the_p_value_is_the_chi2_tail(kwb) -> None:
    _, population = kwb
    part = population[population["area_code"].isin(FIXED)]
    counts = synthetic_counts(part, seed=2)
    fast = batch_coverage(counts, part)
    slow = batch_coverage(counts, part, monte_carlo=True)
    same = ~fast["monte_carlo"]
    assert np.array_equal(fast.loc[same, "p_value"], slow.loc[same, "p_value"])
    from scipy.stats import chisquare
    row = fast[(fast["area_code"] == "BU05183033") & (fast["dimension"] == "origin")]
    expected = row["population_share"] * row["respondents"].sum()
    assert row["p_value"].iloc[0] == pytest.approx(
        chisquare(row["respondents"], expected).pvalue, rel=1e-12)


def worked_example() -> tuple[pd.DataFrame, pd.DataFrame]:
    reference = BuurtReference(areas=(("BU1", "Voorbeeld"),), year=2024, table="test",
                               population=4000, eligible_population=4000, min_age=15,
                               dimensions={"age": {"15-25": 600, "25-45": 1300, "45-65": 1200,
                                                   "65+": 900}})
    counts = pd.DataFrame({"area_code": "BU1", "dimension": "age",
                           "category": ["15-25", "25-45", "45-65", "65+"],
                           "respondents": [8, 38, 62, 52]})
    return counts, reference_population(reference, "BU1")


def test_worked_example_of_design_md() -> None:
    counts, population = worked_example()
    table = batch_coverage(counts, population)
    assert table["ratio"].round(3).tolist() == [0.333, 0.731, 1.292, 1.444]
    assert table["to_reach"].tolist() == [16, 14, 0, 0]
    first = table.iloc[0]
    assert (round(first["chi2"], 2), first["df"]) == (25.63, 3)
    assert (round(first["cv"], 3), round(first["r_indicator"], 3)) == (0.400, 0.968)
    assert round(first["min_max_ratio"], 3) == 0.231
    assert table["flag"].tolist() == ["under", "under", "over", "over"]


def test_skipped_dimensions_and_unknowns() -> None:
    counts, population = worked_example()
    one_group = pd.DataFrame({"area_code": "BU1", "dimension": "gender", "category": ["man", "vrouw"],
                              "population": [1950.0, 0.0], "estimated": False, "persons": np.nan,
                              "eligible_population": 4000.0})
    nobody = population.assign(area_code="BU2")
    counts = pd.concat([counts, pd.DataFrame({
        "area_code": ["BU1", "BU1", "BU2", "BU2"], "dimension": ["gender", "age", "age", "age"],
        "category": ["man", "onbekend", "0-15", "onbekend"], "respondents": [5, 7, 3, 4]})])
    table = batch_coverage(counts, pd.concat([population, one_group, nobody]))
    assert set(zip(table["area_code"], table["dimension"])) == {("BU1", "age")}
    assert table["unknown"].iloc[0] == 7
    assert table["unknown_high"].iloc[0] == pytest.approx((8 + 7) / 167)
    assert math.isclose(table["unknown_low"].iloc[0], 8 / 167)
