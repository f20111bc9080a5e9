"""The report's words: Dutch dates, where a part is, one rounding rule, the profile reason."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
from report_fixtures import make_coverage

from reports.report import build_report_data
from reports.text import fmt_date, fmt_int, method_lines, page_words, place, profile_problem_sentence, whole


def test_dutch_dates() -> None:
    assert fmt_date(dt.date(2024, 3, 4)) == "4 mrt 2024"
    assert fmt_date(pd.Timestamp("2024-10-13")) == "13 okt 2024"
    assert fmt_date("2024-05-31") == "31 mei 2024"
    assert fmt_date(pd.NaT) == "" and fmt_date("") == "" and fmt_date(None) == ""
    assert fmt_date("vandaag") == "vandaag"


def test_one_rounding_rule_half_up_with_a_dutch_thousands_dot() -> None:
    assert [whole(v) for v in (616.5, 15.28, 3956.5, 0.5, 2.4999)] == [617, 15, 3957, 1, 2]
    assert fmt_int(3956.5) == "3.957" and fmt_int(1234567) == "1.234.567"


def test_place_says_sheet_in_excel_and_section_in_html() -> None:
    assert place("Aanbevelingen", "xlsx") == "het blad Aanbevelingen"
    assert "blad" not in place("Aanbevelingen", "html") and "verderop" in place("Aanbevelingen", "html")


def test_profile_reason_reads_as_a_sentence_and_hides_small_counts() -> None:
    sentence = profile_problem_sentence("Te weinig respondenten met genoeg antwoorden: 4 respondenten.", 10)
    assert sentence == ("Er zijn geen betrokkenheidsprofielen gemaakt. Te weinig respondenten met genoeg "
                        "antwoorden: minder dan 10 respondenten.")
    assert profile_problem_sentence("  ", 10) == "Er zijn geen betrokkenheidsprofielen gemaakt."


def test_a_kenmerk_warning_names_its_kenmerk_once() -> None:
    """engagement.coverage starts its warnings with the kenmerk; the method adds it only when missing."""
    coverage = make_coverage()
    gender = next(d for d in coverage.dimensions if d.dimension == "gender")
    age = next(d for d in coverage.dimensions if d.dimension == "age")
    dims = tuple(replace(gender, warnings=("Geslacht: 45% van de respondenten gaf hier geen (bruikbaar) "
                                           "antwoord; boven 20% zijn de oordelen onzeker.",))
                 if d is gender else replace(age, warnings=("de toets is gesimuleerd.",)) if d is age else d
                 for d in coverage.dimensions)
    repeated = replace(coverage, dimensions=dims, warnings=dims[1].warnings)  # the engine lists it again
    text = "\n".join(method_lines(repeated, 10))
    assert "Geslacht: 45% van de respondenten" in text and "Geslacht: Geslacht" not in text
    assert text.count("45% van de respondenten") == 1
    assert "Leeftijd: de toets is gesimuleerd." in text


def test_weighting_is_said_in_words_and_the_design_effect_sits_in_the_method() -> None:
    data = build_report_data(coverage=make_coverage(), project_name="Test")
    headline = data.headline.set_index("Onderwerp")
    row = headline.loc["Telt na weging als (aantal mensen)"]
    assert row["Waarde"] == 122 and "zo zwaar als die van 122 mensen" in row["Uitleg"]
    assert "160 antwoorden zonder weging" in row["Uitleg"]
    assert not any("esign" in str(o) or "steekproefomvang" in str(o) for o in headline.index)
    method = "\n".join(data.method)
    assert "tellen na weging als 122 mensen" in method and "Het designeffect is 1,31" in method


def test_the_page_points_to_a_part_both_files_have() -> None:
    themes = place("Thema's", "xlsx")
    line = f"Wat u kunt doen, staat in {place('Aanbevelingen', 'xlsx')}. Meer in {themes}."
    assert page_words(line) == ("Wat u kunt doen, staat in het deel Aanbevelingen van het rapport. "
                                "Meer in het deel Thema's van het rapport.")
    assert "blad" not in page_words(" ".join(build_report_data(coverage=make_coverage(), project_name="T").summary))


def test_cv_definition_spells_schever() -> None:
    """'scheef' compares as 'schever' (one e): the method section is read by the whole team."""
    from reports.text import DEFINITIONS

    cv = next(line for line in DEFINITIONS if line.startswith("CV:"))
    assert "hoe hoger, hoe schever." in cv and "scheever" not in " ".join(DEFINITIONS)
