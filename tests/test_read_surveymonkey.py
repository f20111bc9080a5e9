"""SurveyMonkey: two header rows, question text only above a block's first column."""
from __future__ import annotations

import builders as b
import pytest

from surveys.readers import read_export


def _expected(answers: dict) -> list[str]:
    names = list(b.SURVEYMONKEY_META)
    for q, values in answers.items():
        if any(isinstance(v, list) for v in values):
            names += [f"{q} - {o}" for o in b.HEARD_OPTIONS
                      if any(v and o in v for v in values)]
        else:
            names.append(q)
    return names


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_surveymonkey_two_header_rows(kind: str) -> None:
    answers = b.wijk_answers(25, seed=10)
    data = b.surveymonkey_xlsx(answers) if kind == "xlsx" else b.surveymonkey_csv(answers)
    raw = read_export(data, f"Buurt.{kind}")
    assert raw.format == "surveymonkey"
    assert raw.header_rows == 2
    assert raw.sheet == ("Sheet" if kind == "xlsx" else None)
    assert len(raw.frame) == 25
    assert list(raw.frame.columns) == _expected(answers)
    # every option column keeps the question text as its label
    option_columns = [c for c in raw.frame.columns if c.startswith(b.HEARD + " - ")]
    assert len(option_columns) >= 3
    assert {raw.labels[c] for c in option_columns} == {b.HEARD}
    assert raw.frame["Respondent ID"].iloc[0] == 11400000000


def test_surveymonkey_option_cells_hold_label_or_nothing() -> None:
    answers = b.wijk_answers(12, seed=11)
    raw = read_export(b.surveymonkey_xlsx(answers), "s.xlsx")
    column = f"{b.HEARD} - Social media"
    assert set(raw.frame[column].dropna()) <= {"Social media"}
    assert raw.frame[column].notna().tolist() == \
        [bool(v) and "Social media" in v for v in answers[b.HEARD]]
