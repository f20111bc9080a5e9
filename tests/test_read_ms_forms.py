"""Microsoft Forms .xlsx, Dutch and English tenants."""
from __future__ import annotations

import builders as b
import pandas as pd
import pytest

from surveys.readers import read_export


@pytest.mark.parametrize("language", ["nl", "en"])
def test_ms_forms_detected_with_one_header_row(language: str) -> None:
    answers = b.wijk_answers(17, seed=2)
    raw = read_export(b.ms_forms_xlsx(answers, language=language), "Buurtenquête.xlsx")
    assert raw.format == "ms_forms"
    assert raw.header_rows == 1
    assert raw.sheet == "Sheet1"
    assert len(raw.frame) == 17
    assert list(raw.frame.columns) == b.MS_META[language] + list(answers)
    assert raw.labels == {}
    assert raw.warnings == ()


def test_ms_forms_values_and_types() -> None:
    answers = b.wijk_answers(10, seed=4)
    raw = read_export(b.ms_forms_xlsx(answers, last_modified=True), "f.xlsx")
    frame = raw.frame
    assert frame.columns[5] == "Tijdstip laatst gewijzigd"
    assert frame["Id"].tolist() == list(range(1, 11))
    assert pd.api.types.is_datetime64_any_dtype(frame["Begintijd"])
    heard = frame[b.HEARD].tolist()
    for cell, expected in zip(heard, answers[b.HEARD]):
        if expected is None:
            assert pd.isna(cell)
        else:  # multi-select stays one cell joined with ';' and a trailing ';'
            assert cell == "".join(f"{o};" for o in expected)
    ages = [None if pd.isna(v) else int(v) for v in frame[b.AGE]]
    assert ages == answers[b.AGE]


def test_content_hash_is_sha256_of_the_bytes() -> None:
    import hashlib

    data = b.ms_forms_xlsx(b.wijk_answers(5))
    raw = read_export(data, "f.xlsx")
    assert raw.content_hash == hashlib.sha256(data).hexdigest()
    assert raw.source == f"f.xlsx#{raw.content_hash[:12]}"
