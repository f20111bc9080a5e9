"""Buurten for a project about one buurt agrees with Bereik (walk-through #7): every counted
respondent belongs to the project's buurt unless they say otherwise, the project's own CBS
figures serve without a second KWB upload, counts read as on every other page ('1.967',
not '1966'), and no exact sum stands next to a table that hides the same count."""
from __future__ import annotations

import logging

import pandas as pd
import pytest

from engagement.areas import (
    AreaReach,
    AreasResult,
    assign_buurten,
    buurt_data_from_reference,
    compute_areas,
    load_buurten,
    single_buurt,
)
from engagement.coverage import compute_coverage
from reference.load import load_kwb_file
from reference.model import BuurtReference
from reports.charts_areas import areas_table, protect_areas

A, B = "BU99990001", "BU99990002"
CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"


def _reference(areas=((A, "Aalstraat"),)) -> BuurtReference:
    return BuurtReference(areas=tuple(areas), year=2024, table="test", population=1100.0,
                          eligible_population=1000.5, min_age=18,
                          dimensions={"gender": {"man": 600.0, "vrouw": 400.5}})


def _people(n: int, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(n)], "age": 40.0,
                          "gender": ["man" if i % 10 else "vrouw" for i in range(n)]})
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_single_buurt_only_for_a_one_buurt_project() -> None:
    assert single_buurt(_reference()) == A
    assert single_buurt(_reference(((A, "Aalstraat"), (B, "Beekdal")))) is None
    assert single_buurt(_reference((("WK999900", "Wijk"),))) is None
    assert single_buurt(None) is None
    assert buurt_data_from_reference(_reference(((A, "Aalstraat"), (B, "Beekdal")))) is None


def test_everyone_unplaced_counts_in_the_projects_buurt_as_on_bereik() -> None:
    people = _people(30)
    reference = _reference()
    data = buurt_data_from_reference(reference)
    assert data is not None and list(data.rows["code"]) == [A]
    result = compute_areas(people, data, home=single_buurt(reference))
    area = result.area(A)
    coverage = compute_coverage(people, reference, weighting=False)
    assert area.respondents == coverage.respondents == 30 and result.unknown == 0
    assert area.eligible_population == pytest.approx(reference.eligible_population)
    assert area.assigned_by == {"project": 30}
    assert any("We rekenen 30 respondenten zonder eigen buurtcode" in n and "Aalstraat" in n
               for n in result.notes)
    # the same missed group as the coverage table, from the same figures
    vrouw = next(c for c in coverage.dimension("gender").categories if c.category == "vrouw")
    missed = {m.category: m for m in area.missing}
    assert vrouw.flag == "under" and missed["vrouw"].ratio == pytest.approx(vrouw.ratio)
    # without the project's buurt they stay unknown (a wijk project, or the CLI)
    assert compute_areas(people, data).unknown == 30


def test_who_names_another_buurt_stays_outside() -> None:
    buurten = pd.DataFrame({"code": [A], "name": ["Aalstraat"]})
    people = _people(4, area_code=[B, None, None, "aalstraat"])
    table = assign_buurten(people, buurten, home=A).table
    assert list(table["method"]) == ["buiten", "project", "project", "area_code"]
    assert list(table["buurt_code"]) == ["", A, A, A]
    # a home outside the chosen buurten places nobody
    assert set(assign_buurten(people, buurten, home=B).table["method"]) == {"buiten", "onbekend",
                                                                              "area_code"}


def test_one_buurt_with_the_kwb_file_has_no_lone_hidden_count(cbs_dir, caplog) -> None:
    """The walk's case: one respondent placed by postcode, the rest unknown, gave a hidden
    '<10' that total − unknown gave back (logged by reports.privacy). With the project's
    buurt everyone is in it and nothing small is left to hide."""
    data_bytes = (cbs_dir / CSV_NAME).read_bytes()
    code = "BU01530600"
    data = load_buurten(data_bytes, CSV_NAME, [code], min_age=18)
    pc4 = data.postcodes.postcode4[code]
    people = _people(40, postcode4=[pc4] + [None] * 39)
    with caplog.at_level(logging.WARNING, logger="reports.privacy"):
        alone, _ = protect_areas(compute_areas(people, data))
        assert alone.area(code).suppressed  # 1 respondent: hidden, yet total − unknown = 1
        assert "geen cel om mee te verbergen" in caplog.text
        caplog.clear()
        result, _ = protect_areas(compute_areas(people, data, home=code))
    assert result.area(code).respondents == 40 and not result.area(code).suppressed
    assert result.area(code).assigned_by == {"kwb_postcode": 1, "project": 39}
    assert "geen cel om mee te verbergen" not in caplog.text
    # and the same figures as the project's reference of that buurt
    reference = load_kwb_file(data_bytes, CSV_NAME, areas=[code], min_age=18)
    own = compute_areas(people, buurt_data_from_reference(reference), home=code)
    assert own.area(code).respondents == 40
    assert own.area(code).eligible_population == pytest.approx(result.area(code).eligible_population)


def test_residents_use_the_one_rounding_rule() -> None:
    from ui.areas_parts import shown_table

    areas = (AreaReach(code=A, name="Aalstraat", eligible_population=1966.5, respondents=40,
                       per_100=2.03),
             AreaReach(code=B, name="Beekdal", eligible_population=4043.0, respondents=50,
                       per_100=1.24))
    result = AreasResult(areas=areas)
    table = areas_table(result).set_index("Code")
    assert table.at[A, "Inwoners (vanaf min. leeftijd)"] == 1967  # half up, as Bereik ('1.967')
    shown = shown_table(result).set_index("Code")
    assert shown.at[A, "Inwoners (vanaf min. leeftijd)"] == "1.967"
    assert shown.at[B, "Inwoners (vanaf min. leeftijd)"] == "4.043"


def test_placed_metric_is_hidden_like_the_table() -> None:
    from ui.areas_parts import placed_text

    def result(*counts: int) -> AreasResult:
        return AreasResult(areas=tuple(
            AreaReach(code=f"BU9999000{i}", name=f"B{i}", eligible_population=500.0,
                      respondents=n, per_100=n / 5) for i, n in enumerate(counts)))

    assert placed_text(result(2)) == "<10"          # the only buurt has 2: as '<10' in the table
    assert placed_text(result(2, 30)) == "x"        # 32 − 30 would give the 2 back
    assert placed_text(result(2, 3, 0)) == "<10"    # two hidden, but the sum is small itself
    assert placed_text(result(12, 30)) == "42"
    assert placed_text(result(1200, 3000)) == "4.200"
    # two hidden buurten: their sum is total − unknown, known anyway; neither comes back
    assert placed_text(replace_suppressed(result(12, 30), "secondary")) == "42"


def replace_suppressed(result: AreasResult, why: str) -> AreasResult:
    from dataclasses import replace

    return replace(result, areas=tuple(replace(a, suppressed=why) for a in result.areas))


def test_sentences_say_one_buurt_and_one_respondent() -> None:
    from engagement.areas import areas_finding

    result = AreasResult(areas=(AreaReach(code=A, name="Aalstraat", eligible_population=500.0,
                                          respondents=3, per_100=0.6),), unknown=1)
    text = " ".join(areas_finding(result))
    assert "In 1 buurt spraken we 1 tot 9 mensen" in text
    assert "1 respondent konden we niet aan een buurt koppelen" in text
    assert "(en)" not in text
    many = AreasResult(areas=result.areas * 2, unknown=5)
    assert "In 2 buurten spraken" in " ".join(areas_finding(many))
    assert "5 respondenten konden" in " ".join(areas_finding(many))
