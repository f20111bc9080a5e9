"""The report's words: Dutch dates, where a part is, one rounding rule, the profile reason."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from reports.text import fmt_date, fmt_int, place, profile_problem_sentence, whole


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
