"""Persons with persons: household type and tenure as eligible persons (issue 13).

Every expected value is written out as arithmetic from the figures in
../shared/data/cbs/README.md (KWB 2024). Only the average household size is not in the
README; it is read from the file's own column GemiddeldeHuishoudensgrootte_33 and
checked first. The rules (stated in BuurtReference.assumptions):
- persons living alone = one-person households;
- persons in households without children = 2 × those households (couples);
- persons in households with children = inhabitants − the two above − residents outside
  private households (inhabitants − households × (average size + 0.05), when positive),
  minus the children under min_age (0-15 + the part of 15-25 below min_age, uniform ages);
  where that leaves fewer than one adult per household with children, the children of 15+
  are estimated at the 0-15 rate per year of age instead (never below one adult per
  household with children);
- persons per tenure = the dwelling shares (over the known owners) × the inhabitants of
  min_age and older, minus those outside private households.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from engagement.coverage import compute_coverage
from reference.build import group_margins, household_persons
from reference.load import load_kwb_file

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"


@pytest.fixture(scope="module")
def kwb_csv(cbs_dir) -> bytes:
    return (cbs_dir / CSV_NAME).read_bytes()


@pytest.fixture(scope="module")
def sizes(cbs_dir) -> dict[str, float]:
    table = pd.read_csv(cbs_dir / CSV_NAME, sep=";", encoding="utf-8-sig",
                        usecols=["Codering_3", "GemiddeldeHuishoudensgrootte_33"], dtype=str)
    table["Codering_3"] = table["Codering_3"].str.strip()
    wanted = table[table["Codering_3"].isin(["BU00140000", "BU16800000", "BU05183033", "BU0363AA02"])]
    return dict(zip(wanted["Codering_3"], wanted["GemiddeldeHuishoudensgrootte_33"].astype(float)))


def _shares(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()}


def test_average_household_sizes_in_the_file(sizes) -> None:
    assert sizes == {"BU00140000": 1.2, "BU16800000": 2.2, "BU05183033": 2.3, "BU0363AA02": 1.6}


def test_transvaal_16_plus_matches_the_research_note(kwb_csv) -> None:
    # README: 5,005 inhabitants; 0-14 985, 15-24 685; households 970 / 395 / 780 of 2,150.
    # Outside private households: 5,005 - 2,150 × 2.35 = -47.5 → none.
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=16)
    children = 985 + 685 * 1 / 10            # 0-15 and age 15 of the 15-25 band
    expected = {"eenpersoons": 970, "paar_zonder_kinderen": 2 * 395,
                "met_kinderen": 5005 - 970 - 2 * 395 - children}
    assert ref.dimensions["household"] == pytest.approx(expected)
    assert expected["met_kinderen"] == pytest.approx(2191.5)   # "≈ 2,200" in the note
    shares = _shares(ref.dimensions["household"])
    assert [round(100 * shares[k], 1) for k in expected] == [24.5, 20.0, 55.5]
    # households alone would have said 45 % / 18 % / 36 %: a different group looks missing
    assert [round(100 * v / 2150) for v in (970, 395, 780)] == [45, 18, 36]


def test_transvaal_18_plus_tenure(kwb_csv) -> None:
    # Tenure (README 25 % koop, 43 % corporatie; the file's own column: 31 % other landlords,
    # so 99 % known) × inhabitants 18+: 5,005 - (985 + 685 × 3/10).
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=18)
    adults = 5005 - (985 + 685 * 3 / 10)
    assert ref.dimensions["tenure"] == pytest.approx(
        {"koop": 25 / 99 * adults, "huur_corporatie": 43 / 99 * adults, "huur_overig": 31 / 99 * adults})
    assert ref.dimensions["household"]["met_kinderen"] == pytest.approx(5005 - 970 - 790 - 1190.5)
    assert ref.units == {**ref.units, "household": "personen", "tenure": "personen"}
    assert {"household:met_kinderen", "tenure:koop"} <= set(ref.estimated)


def test_binnenstad_noord_groningen_students(kwb_csv) -> None:
    # README: 4,745 inhabitants; 0-14 55, 15-24 2,365; households 3,255 / 565 / 85 of 3,910.
    # Outside private households: 4,745 - 3,910 × 1.25 < 0 → none.
    # With children before the age cut: 4,745 - 3,255 - 2 × 565 = 360; children under 18 by
    # uniform ages: 55 + 2,365 × 3/10 = 764.5 > 360 - 85 (one adult per household with
    # children), so the uniform split of 15-25 does not fit this student buurt. Children of
    # 15-17 at the 0-15 rate instead: 55 / 15 per year × 3 years = 11.
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU00140000"], min_age=18)
    assert 4745 - 3255 - 2 * 565 - (55 + 2365 * 3 / 10) < 85
    with_children = 4745 - 3255 - 2 * 565 - (55 + 55 / 15 * 3)
    assert with_children == pytest.approx(294)
    assert ref.dimensions["household"] == pytest.approx(
        {"eenpersoons": 3255, "paar_zonder_kinderen": 1130, "met_kinderen": with_children})
    assert any("per leeftijdsjaar" in a and "studenten" in a for a in ref.assumptions)
    # tenure: 13 % koop, 19 % corporatie, 68 % other (100 % known) × 18+: 4,745 - 764.5
    adults = 4745 - (55 + 2365 * 3 / 10)
    assert ref.dimensions["tenure"] == pytest.approx(
        {"koop": 0.13 * adults, "huur_corporatie": 0.19 * adults, "huur_overig": 0.68 * adults})


def test_annen_has_residents_outside_private_households(kwb_csv) -> None:
    # README: 3,455 inhabitants; 0-14 480, 15-24 345; households 440 / 580 / 500 of 1,525;
    # average size 2.2 (file), so at most 1,525 × 2.25 = 3,431.25 live in private households:
    # at least 23.75 do not (e.g. a care home).
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU16800000"], min_age=18)
    outside = 3455 - 1525 * 2.25
    children = 480 + 345 * 3 / 10
    assert ref.dimensions["household"] == pytest.approx(
        {"eenpersoons": 440, "paar_zonder_kinderen": 1160,
         "met_kinderen": 3455 - outside - 440 - 1160 - children})
    assert ref.dimensions["household"]["met_kinderen"] == pytest.approx(1247.75)
    # tenure: 74 % koop, 20 % corporatie, 7 % other (101 % after CBS rounding)
    base = 3455 - children - outside
    assert ref.dimensions["tenure"] == pytest.approx(
        {"koop": 74 / 101 * base, "huur_corporatie": 20 / 101 * base, "huur_overig": 7 / 101 * base})
    assert any("instelling" in a and "24" in a for a in ref.assumptions)


def test_westelijke_eilanden_amsterdam(kwb_csv) -> None:
    # README: 2,895 inhabitants; 0-14 275, 15-24 270; households 1,150 / 400 / 295 of 1,835;
    # outside private households: 2,895 - 1,835 × 1.65 < 0 → none.
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU0363AA02"], min_age=18)
    with_children = 2895 - 1150 - 2 * 400 - (275 + 270 * 3 / 10)
    assert with_children == pytest.approx(589)
    assert ref.dimensions["household"] == pytest.approx(
        {"eenpersoons": 1150, "paar_zonder_kinderen": 800, "met_kinderen": with_children})
    shares = _shares(ref.dimensions["household"])
    assert shares["eenpersoons"] == pytest.approx(1150 / 2539)


def test_assumptions_are_in_the_json(kwb_csv) -> None:
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=18)
    data = ref.to_dict()
    assert data["assumptions"] == list(ref.assumptions)
    text = " ".join(data["assumptions"])
    for phrase in ("2 personen", "eenpersoonshuishouden", "even veel mensen wonen",
                   "even vaak voor"):
        assert phrase in text


def test_describe_reference_lists_the_assumptions(kwb_csv) -> None:
    from reference.load import describe_reference

    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=18)
    text = describe_reference(ref)
    assert "Aannames" in text and all(a in text for a in ref.assumptions)


def test_coverage_text_and_json_carry_the_assumptions(kwb_csv) -> None:
    from engagement.coverage import describe_coverage

    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=18)
    frame = pd.DataFrame({"age": [30, 40, 50, 70] * 10,
                          "household": ["eenpersoons", "met_kinderen"] * 20})
    result = compute_coverage(frame, ref, weighting=False)
    assert result.to_dict()["assumptions"] == list(ref.assumptions)
    text = describe_coverage(result)
    assert "Zo is gerekend:" in text and ref.assumptions[0] in text


def test_household_persons_is_vectorised_over_areas() -> None:
    out = household_persons(alone=np.array([970.0, 3255.0]), without=np.array([395.0, 565.0]),
                            with_children=np.array([780.0, 85.0]),
                            households=np.array([2150.0, 3910.0]),
                            avg_size=np.array([2.3, np.nan]), population=np.array([5005.0, 4745.0]),
                            children=np.array([1190.5, 764.5]),
                            children_by_rate=np.array([985 + 985 / 15 * 3, 55 + 55 / 15 * 3]))
    # Transvaal keeps the uniform split; Groningen falls back to the rate per year
    assert out["met_kinderen"] == pytest.approx([2054.5, 360 - 66])
    assert out["capped"].tolist() == [False, True]
    assert out["institutional"].tolist() == [0.0, 0.0]
    young = household_persons(100, 50, 50, 200, 2.0, 400, 100, young_adults=50)
    # 400 - 100 alone - 2 × 50 - 100 children = 100 with children; the 50 adults under
    # min_age are removed proportionally from all types (100 + 100 + 100 = 300)
    assert young["met_kinderen"] == pytest.approx(100 * 250 / 300)
    assert young["eenpersoons"] == pytest.approx(100 * 250 / 300)


def test_households_vs_persons_changes_the_verdict(kwb_csv) -> None:
    """A survey that mirrors the persons is in line; compared with households it would
    have called families with children over-represented and people alone under."""
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=18)
    shares = _shares(ref.dimensions["household"])
    n = 400
    counts = {k: round(v * n) for k, v in shares.items()}
    frame = pd.DataFrame({"household": [k for k, c in counts.items() for _ in range(c)]})
    household = compute_coverage(frame, ref, weighting=False).dimension("household")
    assert {c.flag for c in household.categories} == {"ok"}
    naive = {"eenpersoons": 970 / 2145, "paar_zonder_kinderen": 395 / 2145,
             "met_kinderen": 780 / 2145}
    assert counts["met_kinderen"] / n / naive["met_kinderen"] > 1.25
    assert counts["eenpersoons"] / n / naive["eenpersoons"] < 0.8


def test_reference_margins_for_rounding_and_the_age_split(kwb_csv) -> None:
    # ± persons (the full hand computation per source is in test_reference_margins.py):
    # CBS rounds at random to multiples of 5, so a count is off by at most 4; the part of
    # 15-25 kept at 18 (685 × 7/10 = 479.5) is off by 2 binomial sd = 2 √(685 × 0.7 × 0.3);
    # a band's share also moves when the other bands (the eligible total) are off.
    ref = load_kwb_file(kwb_csv, CSV_NAME, areas=["BU05183033"], min_age=18)
    split = 2 * np.sqrt(685 * 0.7 * 0.3)
    errors = {"15-25": 4 * 0.7 + split, "25-45": 4.0, "45-65": 4.0, "65+": 4.0}
    kept = ref.dimensions["age"]
    adults = sum(kept.values())
    assert ref.margins["age"] == pytest.approx(
        {b: (1 - kept[b] / adults) * e + kept[b] / adults * (sum(errors.values()) - e)
         for b, e in errors.items()})
    # households without children: 2 rounded persons per rounded household and 2 to 2.3
    # persons per household (0.3 × 395, one-sided: half as margin, half as the range's shift);
    # every type: up to 3 % of the 1,190.5 young elsewhere
    assert ref.margins["household"]["paar_zonder_kinderen"] > 0.15 * 395 + 0.03 * 1190.5 + 8
    assert ref.margin_shift["household"]["paar_zonder_kinderen"] == pytest.approx(0.15 * 395)
    assert ref.margin_shift["household"]["met_kinderen"] == pytest.approx(-0.15 * 395)
    # origin and tenure are for all ages: + δ × the 1,190.5 persons under 18 (5,010 in the
    # age bands − 3,819.5 of 18+), δ = min(t, 1 − t) of the group's share t
    young = 5010 - 3819.5
    assert ref.margins["tenure"]["koop"] == pytest.approx(0.005 * 3814.5 + 4 + 25 / 99 * young)
    assert ref.margins["origin"] == pytest.approx(
        {"nederland": 4 + 325 / 5010 * young, "europa": 4 + 975 / 5010 * young,
         "buiten_europa": 4 + (1 - 3710 / 5010) * young})
    assert ref.to_dict()["margins"]["age"]["65+"] == pytest.approx(ref.margins["age"]["65+"])
    assert any("jongere inwoners" in a and "herkomst en woning" in a for a in ref.assumptions)


def test_age_structure_margin_is_the_widest_symmetric_range_of_the_young() -> None:
    # 100 young and 300 eligible; a group of 10 % among all ages (40 of 400 → 30 of the
    # eligible): its young may hold 0 to 20 of them (0 to twice 10 %), so the eligible
    # hold 40 − 20 = 20 to 40: ± 10 persons = δ 0.1 × 100 young (+ 4 rounding)
    dims = {"origin": {"nederland": 270.0, "europa": 30.0, "buiten_europa": 0.0}}
    margins = group_margins(dims, 1, {}, young=100.0)
    assert margins["origin"] == pytest.approx({"nederland": 4.0 + 10.0, "europa": 4.0 + 10.0,
                                               "buiten_europa": 4.0})
    # vectorised over areas (engagement.batch): the same per area
    arrays = {"origin": {k: np.array([v, 2 * v]) for k, v in dims["origin"].items()}}
    both = group_margins(arrays, 1, {}, young=np.array([100.0, 200.0]))
    assert both["origin"]["europa"] == pytest.approx([14.0, 24.0])
    assert group_margins(dims, 1, {})["origin"]["europa"] == 4.0  # no young: rounding only
