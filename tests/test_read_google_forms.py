"""Google Forms: CSV download and the Sheets .xlsx."""
from __future__ import annotations

import builders as b
import pandas as pd
import pytest

from surveys.readers import read_export


@pytest.mark.parametrize("language", ["nl", "en"])
def test_google_forms_csv(language: str) -> None:
    answers = b.wijk_answers(23, seed=5)
    raw = read_export(b.google_forms_csv(answers, language=language), "Reacties.csv")
    assert raw.format == "google_forms"
    assert raw.header_rows == 1
    assert raw.sheet is None
    assert len(raw.frame) == 23
    stamp = "Tijdstempel" if language == "nl" else "Timestamp"
    assert list(raw.frame.columns) == [stamp] + list(answers)
    assert raw.labels == {}


def test_google_forms_xlsx_keeps_checkbox_cells_with_commas() -> None:
    answers = b.wijk_answers(30, seed=6)
    raw = read_export(b.google_forms_xlsx(answers), "Buurt (reacties).xlsx")
    assert raw.format == "google_forms"
    assert raw.sheet == "Formulierreacties 1"
    assert pd.api.types.is_datetime64_any_dtype(raw.frame["Tijdstempel"])
    expected = [None if v is None else ", ".join(v) for v in answers[b.HEARD]]
    got = [None if pd.isna(v) else v for v in raw.frame[b.HEARD]]
    assert got == expected
    assert any("Via buren, familie of vrienden" in (v or "") for v in got)


def test_google_forms_cp1252_csv() -> None:
    answers = b.wijk_answers(8, seed=7)
    raw = read_export(b.google_forms_csv(answers, encoding="cp1252"), "r.csv")
    assert b.HEARD in raw.frame.columns  # 'enquête' decoded correctly
    assert any("Windows-1252" in w for w in raw.warnings)
