"""Coverage against real CBS figures (KWB 2024): Transvaalkwartier-Midden, 's-Gravenhage."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from engagement.cells import two_way_cells
from engagement.coverage import compute_coverage, summary_sentence
from reference.model import BuurtReference


@pytest.fixture(scope="module")
def transvaal(cbs_dir) -> BuurtReference:
    """BuurtReference built by hand from the OData CSV (the loader is tested elsewhere)."""
    table = pd.read_csv(cbs_dir / "kwb2024_85984NED_odata_first10000rows.csv", sep=";",
                        encoding="utf-8-sig", dtype={"Codering_3": str}, low_memory=False)
    row = table[table["Codering_3"].str.strip() == "BU05183033"].iloc[0]
    assert row["AantalInwoners_5"] == 5005 and row["BuitenEuropa_19"] == 3710
    age = {"15-25": row["k_15Tot25Jaar_9"] * 7 / 10, "25-45": row["k_25Tot45Jaar_10"],
           "45-65": row["k_45Tot65Jaar_11"], "65+": row["k_65JaarOfOuder_12"]}
    return BuurtReference(
        areas=(("BU05183033", "Transvaalkwartier-Midden"),), year=2024, table="85984NED",
        population=float(row["AantalInwoners_5"]), eligible_population=float(sum(age.values())),
        min_age=18,
        dimensions={"age": {k: float(v) for k, v in age.items()},
                    "gender": {"man": float(row["Mannen_6"]), "vrouw": float(row["Vrouwen_7"])},
                    "origin": {"nederland": float(row["Nederland_17"]),
                               "europa": float(row["EuropaExclusiefNederland_18"]),
                               "buiten_europa": float(row["BuitenEuropa_19"])},
                    "tenure": {"koop": float(row["Koopwoningen_47"]),
                               "huur_corporatie": float(row["InBezitWoningcorporatie_49"]),
                               "huur_overig": float(row["InBezitOverigeVerhuurders_50"])}},
        estimated=("age:15-25",), units={"tenure": "woningen"})


def survey() -> pd.DataFrame:
    """A typical first round: Dutch-origin owners aged 45+ answered most."""
    rows = ([(50, "vrouw", "nederland", "koop")] * 40 + [(70, "man", "europa", "huur_overig")] * 30
            + [(30, "vrouw", "buiten_europa", "huur_corporatie")] * 60
            + [(20, "man", None, None)] * 6)
    return pd.DataFrame(rows, columns=["age", "gender", "origin", "tenure"])


def test_origin_against_transvaal(transvaal) -> None:
    result = compute_coverage(survey(), transvaal)
    origin = result.dimension("origin")
    outside = origin.categories[2]
    p = 3710 / (325 + 975 + 3710)
    assert outside.population_share == pytest.approx(p, abs=1e-12)
    assert outside.ratio == pytest.approx((60 / 130) / p, abs=1e-12)
    assert outside.to_reach == math.ceil(p * 130) - 60 == 37
    assert outside.label == "duidelijk ondervertegenwoordigd"
    assert origin.unknown == 6
    assert origin.categories[0].ratio == pytest.approx((40 / 130) / (325 / 5010))


def test_age_is_marked_estimated_and_sentence(transvaal) -> None:
    result = compute_coverage(survey(), transvaal)
    age = result.dimension("age")
    assert age.estimated and age.categories[0].population == pytest.approx(479.5)
    assert age.categories[0].ratio == pytest.approx((6 / 136) / (479.5 / 3819.5))
    # Huurders bij een andere verhuurder (30 of 130 vs 31 %, ratio 0.74, raw p ≈ 0.04) are
    # no longer "duidelijk" once the ten flagged groups are corrected together (Holm).
    assert summary_sentence(result) == (
        "Jongeren van 15 tot 25 jaar, mannen en mensen met een herkomst buiten Europa zijn "
        "duidelijk ondervertegenwoordigd.")
    tenure = result.dimension("tenure")
    other = tenure.categories[2]
    assert other.flag == "under" and other.significant_raw and not other.significant
    assert other.p_value < 0.05 < other.p_adjusted
    assert other.label == "mogelijk ondervertegenwoordigd"
    assert [c.population_share for c in tenure.categories] == pytest.approx([25 / 99, 43 / 99, 31 / 99])


def test_age_by_gender_cells_for_transvaal(transvaal) -> None:
    cells = two_way_cells(survey(), transvaal, "age", "gender").set_index(["row", "col"])
    assert cells["population"].sum() == pytest.approx(transvaal.eligible_population)
    assert cells.loc[("25-45", "vrouw"), "respondents"] == 60
    assert cells.loc[("25-45", "man"), "respondents"] == 0
