"""Qualtrics: three header rows (export tags, question text, ImportId JSON)."""
from __future__ import annotations

import builders as b
import pytest

from surveys.readers import read_export


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_qualtrics_three_header_rows(kind: str) -> None:
    answers = b.wijk_answers(14, seed=8)
    data = b.qualtrics_csv(answers) if kind == "csv" else b.qualtrics_xlsx(answers)
    raw = read_export(data, f"Wijk_enquete.{kind}")
    assert raw.format == "qualtrics"
    assert raw.header_rows == 3
    assert raw.sheet == (None if kind == "csv" else "Sheet0")
    assert len(raw.frame) == 14
    assert list(raw.frame.columns) == b.QUALTRICS_TAGS(answers)
    assert raw.labels["Q1"] == b.AGE
    # the question text had a newline inside a quoted cell; whitespace is collapsed
    assert raw.labels["Q5"] == f"Stelling: {b.INVOLVED}"
    assert raw.labels["Q8_2"] == f"{b.HEARD} - Selected Choice - Social media"
    assert "StartDate" not in raw.labels  # metadata text equals its tag
    assert raw.frame["ResponseId"].str.startswith("R_").all()


def test_qualtrics_multi_select_columns_hold_the_label() -> None:
    answers = b.wijk_answers(20, seed=9)
    raw = read_export(b.qualtrics_csv(answers), "q.csv")
    ticked = raw.frame["Q8_1"].notna().tolist()
    assert ticked == [bool(v) and "Brief in de bus" in v for v in answers[b.HEARD]]
