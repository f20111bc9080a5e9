"""Buurten agrees with Bereik on 'onzeker' groups, names a group once, and rounds "about N"
one way (re-walk defects 4 and 9).

The walk's case: woning had 34% unknown answers, so Bereik and the plan call it 'onzeker',
while Buurten said "De meeste huurders van een particuliere verhuurder die we missen wonen
in Lombok-Oost (ongeveer 190)" and its table "Huur bij andere verhuurder (~195)"."""
from __future__ import annotations

import numpy as np
import pandas as pd

from engagement.areas import (
    AreaReach,
    AreasResult,
    MissingGroup,
    about,
    areas_finding,
    buurt_data_from_reference,
    compute_areas,
    describe_areas,
    single_buurt,
)
from engagement.coverage import compute_coverage
from reference.model import BuurtReference
from reports.charts_areas import areas_table, group_table, protect_areas

A = "BU99990001"
GROUPS = "Gemiste groepen (geschat aantal inwoners)"


def _reference() -> BuurtReference:
    return BuurtReference(
        areas=((A, "Aalstraat"),), year=2024, table="test", population=2100.0,
        eligible_population=2000.0, min_age=18,
        dimensions={"gender": {"man": 1000.0, "vrouw": 1000.0},
                    "tenure": {"koop": 600.0, "huur_corporatie": 600.0, "huur_overig": 800.0}},
        units={"tenure": "personen"})


def _people(unknown_tenure: int) -> pd.DataFrame:
    """200 respondents, few men; of those who answered about their home few rent from an
    other landlord, and `unknown_tenure` said nothing about it."""
    n = 200
    gender = ["man" if i % 4 == 0 else "vrouw" for i in range(n)]
    tenure: list[str | None] = []
    for i in range(n):
        if i < unknown_tenure:
            tenure.append(None)
        else:
            tenure.append(["koop", "huur_corporatie", "koop", "huur_corporatie", "huur_overig"][i % 5])
    return pd.DataFrame({"respondent_id": [f"r{i}" for i in range(n)], "age": 40.0,
                         "gender": gender, "tenure": tenure})


def _result(unknown_tenure: int) -> tuple[AreasResult, BuurtReference, pd.DataFrame]:
    reference = _reference()
    data = buurt_data_from_reference(reference)
    assert data is not None
    people = _people(unknown_tenure)
    return compute_areas(people, data, home=single_buurt(reference)), reference, people


def _verdict(reference: BuurtReference, people: pd.DataFrame, dim: str, category: str):
    coverage = compute_coverage(people, reference, weighting=False)
    return next(c for c in coverage.dimension(dim).categories if c.category == category)


def test_an_onzeker_group_is_not_counted_as_missed() -> None:
    result, reference, people = _result(unknown_tenure=80)  # 40% unknown: above the threshold
    verdict = _verdict(reference, people, "tenure", "huur_overig")
    assert verdict.flag == "under" and verdict.uncertain  # Bereik: 'onzeker'
    area = result.area(A)
    assert ("tenure", "huur_overig") not in {(m.dimension, m.category) for m in area.missing}
    assert area.uncertain == (("tenure", "huur_overig"),)
    text = " ".join(areas_finding(result))
    assert "verhuurder" not in text and "Vrouw" not in text
    assert any(m.category == "man" for m in area.missing)  # the clear group is still named
    row = areas_table(result).set_index("Code").at[A, GROUPS]
    assert "Huur bij andere verhuurder (onzeker)" in row and "~" not in row.split("Huur")[1]
    assert "Huur bij andere verhuurder (onzeker)" in describe_areas(result)
    # a round trip through the JSON keeps it
    assert AreaReach.from_dict(area.to_dict()).uncertain == area.uncertain


def test_the_same_group_is_missed_when_bereik_is_sure() -> None:
    result, reference, people = _result(unknown_tenure=0)
    verdict = _verdict(reference, people, "tenure", "huur_overig")
    assert verdict.flag == "under" and not verdict.uncertain
    area = result.area(A)
    assert any(m.category == "huur_overig" for m in area.missing) and not area.uncertain
    # one name: the table's label, not 'huurders van een particuliere verhuurder'
    text = " ".join(areas_finding(result))
    assert "'Huur bij andere verhuurder'" in text and "particuliere" not in text
    assert "Huur bij andere verhuurder (~" in areas_table(result).set_index("Code").at[A, GROUPS]


def test_a_buurt_with_few_respondents_names_no_onzeker_group() -> None:
    area = AreaReach(code=A, name="Aalstraat", eligible_population=2000.0, respondents=4,
                     per_100=0.2, uncertain=(("tenure", "huur_overig"),),
                     counts={"tenure": {"koop": 2.0, "huur_overig": 1.0, "onbekend": 1.0}})
    protected, _ = protect_areas(AreasResult(areas=(area,)))
    assert protected.area(A).suppressed == "primary" and protected.area(A).uncertain == ()


def test_about_n_is_rounded_one_way_in_box_table_and_list() -> None:
    missed = MissingGroup("age", "25-45", residents=641.86, population=1170.0, ratio=0.45,
                          respondents=96.0)
    area = AreaReach(code=A, name="Aalstraat", eligible_population=1967.0, respondents=378,
                     per_100=19.2, missing=(missed,),
                     counts={"age": {"25-45": 96.0, "45-65": 282.0, "onbekend": 0.0}})
    result = AreasResult(areas=(area,))
    result = AreasResult(**{**result.__dict__, "finding": areas_finding(result)})
    assert about(641.86) == "640" and about(96.5) == "96" and about(1234.0) == "1.230"
    assert "(ongeveer 640)" in result.finding[0]
    assert "25 tot 45 jaar (~640)" in areas_table(result).set_index("Code").at[A, GROUPS]
    assert "(~640)" in describe_areas(result)
    assert list(group_table(result, "age", "25-45")["Gemiste inwoners (geschat)"]) == [640]


def test_the_finding_names_age_groups_as_before() -> None:
    result, _, _ = _result(unknown_tenure=0)
    assert np.isfinite(result.area(A).per_100 or np.nan)
    men = next(line for line in result.finding if "mannen" in line)
    assert men.startswith("De meeste mannen die we missen wonen in Aalstraat")
