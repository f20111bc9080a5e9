"""One age-band type: real wordings, exact ages, and every module reading bands alike.

The wordings are typed from real forms (Burgerpeiling, CBS tables, street-conversation logs,
English tools), not from tests/builders.py.
"""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from engagement import harmonise
from surveys import demographics
from surveys.age_bands import (
    AgeBand,
    band_label,
    band_text,
    parse_age,
    parse_band,
    parse_bands,
    read_ages,
    reference_bands,
    split_band,
    split_bands,
    unreadable_ages,
)
from surveys.categories import AGE_BANDS

INF = math.inf
CBS = reference_bands(AGE_BANDS)

WORDINGS: list[tuple[str, AgeBand]] = [
    ("<25", AgeBand(0, 25)), ("< 25", AgeBand(0, 25)), ("jonger dan 25", AgeBand(0, 25)),
    ("Jonger dan 25 jaar", AgeBand(0, 25)), ("onder de 25", AgeBand(0, 25)),
    ("under 25", AgeBand(0, 25)), ("Under 25 years", AgeBand(0, 25)),
    ("tot 25 jaar", AgeBand(0, 25)), ("25 jaar of jonger", AgeBand(0, 26)),
    ("25 en jonger", AgeBand(0, 26)), ("t/m 25 jaar", AgeBand(0, 26)), ("<=25", AgeBand(0, 26)),
    ("18-29", AgeBand(18, 30)), ("18 - 29", AgeBand(18, 30)), ("18–29 jaar", AgeBand(18, 30)),
    ("18 t/m 29", AgeBand(18, 30)), ("18 t/m 29 jaar", AgeBand(18, 30)),
    ("18 tm 29", AgeBand(18, 30)), ("van 18 tot en met 29 jaar", AgeBand(18, 30)),
    ("tussen 18 en 29 jaar", AgeBand(18, 30)), ("18 to 29", AgeBand(18, 30)),
    ("18 to 29 years", AgeBand(18, 30)), ("Between 18 and 29", AgeBand(18, 30)),
    ("(18-29)", AgeBand(18, 30)), ("18 tot 30", AgeBand(18, 30)), ("18 tot 30 jaar", AgeBand(18, 30)),
    ("25 tot 45 jaar", AgeBand(25, 45)), ("van 25 tot 45", AgeBand(25, 45)),
    ("65+", AgeBand(65)), ("65 +", AgeBand(65)), ("65 jaar en ouder", AgeBand(65)),
    ("65 en ouder", AgeBand(65)), ("65 jaar of ouder", AgeBand(65)), ("75 plus", AgeBand(75)),
    ("65-plussers", AgeBand(65)), ("65 or older", AgeBand(65)), ("65 and over", AgeBand(65)),
    ("65 years and older", AgeBand(65)), ("vanaf 65 jaar", AgeBand(65)), (">=65", AgeBand(65)),
    ("over 65", AgeBand(66)), ("ouder dan 65", AgeBand(66)), (">65", AgeBand(66)),
    ("Ouder dan 65 jaar", AgeBand(66)), ("18+", AgeBand(18)), ("65 and up", AgeBand(65)),
    ("18 jaar - 24 jaar", AgeBand(18, 25)), ("Under 18", AgeBand(0, 18)),
    ("veertiger", AgeBand(40, 50)), ("een twintiger", AgeBand(20, 30)), ("Tieners", AgeBand(13, 20)),
]
NOT_BANDS = ["45", "Man", "", "weet niet", "jong", "oud", "29-18", "18-200", "-", "65 kg",
             "Zeg ik liever niet", "1234 AB"]


@pytest.mark.parametrize("text, band", WORDINGS)
def test_real_band_wordings(text: str, band: AgeBand) -> None:
    assert parse_band(text) == band


@pytest.mark.parametrize("text", NOT_BANDS)
def test_not_bands(text: str) -> None:
    assert parse_band(text) is None


@pytest.mark.parametrize("value, age", [
    ("45", 45), (45, 45), (45.0, 45), ("45 jaar", 45), ("45 jr", 45), ("45 jr.", 45),
    ("45 years", 45), ("45 years old", 45), ("45,0", 45), ("45.0", 45), (" 45 ", 45),
    ("45 Jaar", 45), ("ca. 45", 45), ("45,5", 45.5), ("0", 0), ("101", 101),
    ("1980", 44), (1980, 44), (1980.0, 44), ("geboren in 1980", 44),
    ("15-06-1980", 43), ("1980-06-15", 43), ("01-03-1980", 44), (date(1980, 6, 15), 43),
])
def test_exact_ages_with_units_and_years_of_birth(value, age) -> None:
    assert parse_age(value, reference_date=date(2024, 3, 1)) == age


@pytest.mark.parametrize("value", [None, float("nan"), "", "abc", "18-29", "65+", "200",
                                   "-4", "1850", "2030", True, "weet niet"])
def test_not_exact_ages(value) -> None:
    assert parse_age(value, reference_date=date(2024, 3, 1)) is None


def test_birth_year_uses_each_response_date() -> None:
    reading = read_ages(["1990", "1990", 1950], [pd.Timestamp("2024-06-15"),
                                                 pd.Timestamp("2020-06-15"), pd.NaT])
    assert reading.ages[:2] == (34.0, 30.0)
    assert reading.ages[2] >= 74  # no response date: today


def test_a_column_reports_what_it_cannot_read() -> None:
    answers = ["45", "45 jaar", "<25", "65+", "Weet niet", None, "Zeg ik liever niet", "oud",
               "oud", "ongeveer veertig", "18-29", 1980]
    reading = read_ages(answers, date(2024, 3, 1))
    assert reading.ages[:2] == (45.0, 45.0) and reading.ages[-1] == 44.0
    assert reading.bands[2] == AgeBand(0, 25) and reading.bands[3] == AgeBand(65)
    assert reading.bands[0] == AgeBand(45, 46) and reading.bands[10] == AgeBand(18, 30)
    assert reading.bands[4] is None and reading.bands[5] is None
    assert dict(reading.unreadable) == {"oud": 2, "ongeveer veertig": 1}
    assert reading.unreadable_count == 3
    assert unreadable_ages(answers, date(2024, 3, 1)) == {"oud": 2, "ongeveer veertig": 1}


def test_a_unit_on_one_answer_does_not_lose_the_column() -> None:
    """Issue #11: one '45 jaar' made a whole tool's ages vanish."""
    reading = read_ages(["34", "45 jaar", "61", "29"])
    assert reading.ages == (34.0, 45.0, 61.0, 29.0) and reading.unreadable == ()


def test_the_column_decides_the_dash_and_the_strict_open_band() -> None:
    cbs = parse_bands(["15-25", "25-45", "45-65", "65+"])
    assert cbs["15-25"] == AgeBand(15, 25) and cbs["45-65"] == AgeBand(45, 65)
    burgerpeiling = parse_bands(["18-29", "30-39", "40-54", "55-64", "65-74", "75+"])
    assert burgerpeiling["18-29"] == AgeBand(18, 30) and burgerpeiling["75+"] == AgeBand(75)
    after_64 = parse_bands(["<25", "25-44", "45-64", "ouder dan 65"])
    assert after_64["ouder dan 65"] == AgeBand(65)      # fills the gap after 45-64
    after_65 = parse_bands(["18-29", "30-65", "ouder dan 65"])
    assert after_65["ouder dan 65"] == AgeBand(66)      # 65 itself is in 30-65


def test_labels() -> None:
    assert band_label(AgeBand(18, 30)) == "18-29" and band_label(AgeBand(65)) == "65+"
    assert band_label((75, float("nan"))) == "75+" and band_label(25, 45) == "25-44"
    assert band_text(AgeBand(18, 30)) == "18 tot 30 jaar"
    assert band_text(AgeBand(65)) == "65 jaar en ouder"
    assert band_text(AgeBand(0, 25)) == "jonger dan 25 jaar"
    assert AgeBand(18, 30).label == "18-29"


def test_age_band_is_half_open_and_checked() -> None:
    band = AgeBand(18, 30)
    assert 18 in band and 29.99 in band and 30 not in band and "x" not in band
    low, high = band
    assert (low, high) == (18.0, 30.0)
    with pytest.raises(ValueError):
        AgeBand(30, 18)
    with pytest.raises(ValueError):
        AgeBand(-1, 5)


bands_strategy = st.builds(
    lambda low, width, open_top: AgeBand(low, INF if open_top else low + width),
    st.integers(0, 100), st.integers(1, 20), st.booleans())


@settings(max_examples=300, deadline=None)
@given(bands_strategy)
def test_property_band_round_trips_through_its_label_and_its_dutch_text(band: AgeBand) -> None:
    assert parse_band(band_label(band)) == band
    assert parse_band(band_text(band)) == band
    assert parse_bands([band_label(band)])[band_label(band)] == band


@settings(max_examples=200, deadline=None)
@given(bands_strategy, st.integers(0, 40))
def test_property_split_over_cbs_sums_to_one_and_follows_the_width(band: AgeBand, min_age) -> None:
    parts = split_band(band, CBS, min_age=min_age)
    if band.high <= min_age:
        assert parts == {}
        return
    assert sum(parts.values()) == pytest.approx(1.0)
    if not band.is_open:
        start = max(band.low, min_age)
        for key, share in parts.items():
            ref = CBS[key]
            overlap = min(band.high, ref.high) - max(start, ref.low)
            assert share == pytest.approx(overlap / (band.high - start))


def test_split_by_hand() -> None:
    assert split_band(AgeBand(18, 30), CBS, min_age=18) == pytest.approx(
        {"15-25": 7 / 12, "25-45": 5 / 12})
    assert split_band(AgeBand(60), CBS, min_age=18) == pytest.approx({"45-65": 5 / 40, "65+": 35 / 40})
    assert split_band(AgeBand(75), CBS) == {"65+": 1.0}
    assert split_band(AgeBand(0, 25), CBS, min_age=18) == pytest.approx({"15-25": 1.0})
    assert split_band(AgeBand(12, 18), CBS, min_age=18) == {}
    fractions, eligible = split_bands(np.array([np.nan, 40.0]), np.array([np.nan, 41.0]),
                                      list(CBS.values()))
    assert list(eligible) == [False, True] and fractions[1].tolist() == [0, 0, 1, 0, 0]


def test_reference_categories() -> None:
    assert reference_bands(["15-25", "45-65"]) == {"15-25": AgeBand(15, 25), "45-65": AgeBand(45, 65)}
    custom = reference_bands(["18-29", "30-39", "40-54", "55-64", "65-74", "75+"])
    assert custom["18-29"] == AgeBand(18, 30) and custom["75+"] == AgeBand(75)
    singles = reference_bands(["18", "19", "20"])
    assert singles["18"] == AgeBand(18, 19)


# --- every module reads the same band the same way ----------------------------------------

AGREEMENT = ["18-29", "18 t/m 29", "18 tot 30", "30-39", "25 tot 45 jaar", "<25", "jonger dan 25",
             "65+", "65 jaar en ouder", "75 plus", "over 65", "65 or older", "40-54"]


def _tuple(bounds) -> tuple[float, float]:
    low, high = bounds
    return float(low), (INF if high is None or (isinstance(high, float) and math.isnan(high))
                        else float(high))


@pytest.mark.parametrize("text", AGREEMENT)
def test_import_parser_and_harmonise_read_a_band_alike(text: str) -> None:
    band = parse_band(text)
    assert band is not None
    assert _tuple(demographics.parse_age_band(text)) == (band.low, band.high)
    assert _tuple(harmonise.parse_band(text)) == (band.low, band.high)
    assert demographics.band_label(*demographics.parse_age_band(text)) == band_label(band)


def test_bands_stored_by_the_import_are_split_by_harmonise_without_an_extra_year() -> None:
    """Issue #13: the import stored 18-29 as [18, 30) and harmonise read [18, 31)."""
    texts = ["18-29", "30-39", "40-54", "55-64", "65-74", "75+", "<25", "25 tot 45 jaar"]
    stored = [demographics.parse_age_band(t) for t in texts]          # what the import keeps
    frame = pd.DataFrame({"age": np.nan, "age_low": [s[0] for s in stored],
                          "age_high": [s[1] for s in stored],
                          "age_band": [demographics.band_label(*s) for s in stored]})
    fractions, unknown, _ = harmonise.age_membership(frame, min_age=18)
    for i, text in enumerate(texts):
        expected = split_band(parse_band(text), CBS, min_age=18)
        got = {k: v for k, v in fractions.iloc[i].items() if v > 0}
        assert got == pytest.approx(expected), text
    assert fractions.iloc[0]["15-25"] == pytest.approx(7 / 12)       # not 7/13
    assert unknown.sum() == pytest.approx(0)


def test_band_text_alone_is_read_like_the_import_reads_it() -> None:
    """A table with only the label (no bounds) gives the same split as one with bounds."""
    labels = ["18-29", "30-39", "75+", "15-24"]
    with_bounds = pd.DataFrame({"age_band": labels, "age_low": [18, 30, 75, 15],
                                "age_high": [30, 40, np.nan, 25]})
    text_only = pd.DataFrame({"age_band": labels})
    a, _, _ = harmonise.age_membership(with_bounds, min_age=18)
    b, _, _ = harmonise.age_membership(text_only, min_age=18)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy())


def test_the_respondents_table_agrees_with_the_parser() -> None:
    """Through the real import: a band column becomes half-open bounds and a label that
    parses back to the same band, and harmonise splits it as split_band does."""
    from surveys.mapping import suggest_mapping
    from surveys.model import RawExport
    from surveys.questionnaire import infer_questionnaire
    from surveys.respondents import to_respondents

    texts = ["18-29", "30-39", "40-54", "55-64", "65-74", "75+"]
    raw = RawExport("peiling.xlsx", pd.DataFrame({"Leeftijdscategorie": texts}), "generic", 1,
                    None, "b" * 64)
    questionnaire = infer_questionnaire(raw)
    table = to_respondents(raw, suggest_mapping(raw, questionnaire), questionnaire)
    for text, low, high, label in zip(texts, table["age_low"], table["age_high"], table["age_band"]):
        band = parse_band(text)
        assert _tuple((low, high)) == (band.low, band.high), text
        assert parse_band(label) == band
    fractions, _, _ = harmonise.age_membership(table, min_age=18)
    assert fractions.iloc[0]["15-25"] == pytest.approx(7 / 12)
    assert fractions.iloc[2]["25-45"] == pytest.approx(5 / 15)


def test_custom_reference_reads_bands_like_the_parser() -> None:
    """The custom-reference reader (engagement/cbs_custom.py) on the wordings it accepts."""
    from reference.custom import age_interval

    for text in ["18-29", "18 t/m 29", "15 tot 25 jaar", "65+", "95 jaar en ouder", "15-25"]:
        band = reference_bands([text])[text] if text in AGE_BANDS else parse_band(text)
        assert _tuple(age_interval(text, "r")) == (band.low, band.high), text


@pytest.mark.parametrize("answers, kind", [
    (["34", "45 jaar", "61", "29"], "age"),
    ([34.0, 45.0, 71.0], "age"),
    (["45 years", "38 years", "Prefer not to say"], "age"),
    ([1980, 1975, "1990", "Weet niet"], "birth_year"),
    (["15-06-1980", "1975-01-01"], "birth_year"),
    (["<25", "45", "65+", "25-45", "ca. 40"], "age_band"),
    (["18-29", "30-39", "75+", None], "age_band"),
    (["Man", "Vrouw"], None),
    (["jong", "oud", "middelbaar", "45"], None),
])
def test_age_column_kind(answers, kind) -> None:
    from surveys.age_bands import age_column_kind
    assert age_column_kind(answers) == kind


def test_looks_like_band_accepts_a_street_log_mixing_bands_and_ages() -> None:
    assert demographics.looks_like_band(["<25", "45", "65+", "25-45"])
    assert demographics.looks_like_band({"18-29": 3, "30-39": 2})
    assert not demographics.looks_like_band(["45", "46", "50"])
    assert not demographics.looks_like_band(["Man", "Vrouw"])


def test_population_counts_split_unconditionally() -> None:
    """A reference count of 15-25 year olds with min_age 18 keeps 7/10, a respondent of
    15-25 who took part (so is 18+) counts whole."""
    assert split_band(AgeBand(15, 25), CBS, min_age=18, conditional=False) == pytest.approx({"15-25": 0.7})
    assert split_band(AgeBand(15, 25), CBS, min_age=18) == pytest.approx({"15-25": 1.0})
    assert split_band(AgeBand(60), CBS, min_age=18, conditional=False) == pytest.approx(
        {"45-65": 5 / 40, "65+": 35 / 40})


def test_custom_reference_spread_agrees_with_split_band() -> None:
    """engagement/cbs_custom.spread_ages (population counts) against split_band."""
    from reference.custom import spread_ages

    rows = [(18.0, 30.0, 120.0), (60.0, None, 400.0), (15.0, 25.0, 100.0)]
    kept, _, total = spread_ages(rows, 18)
    expected: dict[str, float] = {}
    for low, high, count in rows:
        band = AgeBand(low, INF if high is None else high)
        for key, share in split_band(band, CBS, min_age=18, conditional=False).items():
            expected[key] = expected.get(key, 0.0) + count * share
    assert kept == pytest.approx(expected) and total == 620
