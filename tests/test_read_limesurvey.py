"""LimeSurvey CSV: code headings, all fields quoted, Y/empty subquestions."""
from __future__ import annotations

import builders as b

from surveys.readers import read_export


def test_limesurvey_codes() -> None:
    answers = b.wijk_answers(18, seed=14)
    raw = read_export(b.limesurvey_csv(answers), "results-survey123.csv")
    assert raw.format == "limesurvey"
    assert raw.header_rows == 1
    assert raw.sheet is None
    assert len(raw.frame) == 18
    assert list(raw.frame.columns) == b.LIMESURVEY_CODES(answers)
    assert raw.labels == {}
    assert raw.frame["submitdate"].isna().sum() == 2  # rows 9 and 18 are incomplete
    assert set(raw.frame["G01Q08[SQ001]"].dropna()) <= {"Y"}
