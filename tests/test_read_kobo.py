"""KoboToolbox: meta columns, group paths, repeat-group sheets, ';' CSV."""
from __future__ import annotations

import builders as b
import pandas as pd

from surveys.readers import list_sheets, read_export


def test_kobo_xlsx_picks_main_sheet_and_warns_about_repeat_group() -> None:
    answers = b.wijk_answers(16, seed=12)
    data = b.kobo_xlsx(answers)
    assert list_sheets(data, "k.xlsx") == ["Buurtenquête Zuid", "huishoudleden"]
    raw = read_export(data, "Buurtenquete_-_latest_version.xlsx")
    assert raw.format == "kobo"
    assert raw.header_rows == 1
    assert raw.sheet == "Buurtenquête Zuid"
    assert len(raw.frame) == 16
    assert any("huishoudleden" in w and "herhaalgroep" in w for w in raw.warnings)
    assert any("Buurtenquête Zuid" in w for w in raw.warnings)
    for column in ("_id", "_uuid", "_submission_time", "_validation_status", "__version__"):
        assert column in raw.frame.columns
    assert pd.api.types.is_datetime64_any_dtype(raw.frame["_submission_time"])
    assert raw.labels[f"over_u/{b.AGE}"] == b.AGE
    assert raw.labels[f"enquete/{b.HEARD}/social_media"] == b.HEARD


def test_kobo_repeat_sheet_can_still_be_chosen() -> None:
    raw = read_export(b.kobo_xlsx(b.wijk_answers(5)), "k.xlsx", sheet="huishoudleden")
    assert raw.sheet == "huishoudleden"
    assert "_parent_index" in raw.frame.columns
    assert len(raw.frame) >= 10


def test_kobo_csv_semicolon() -> None:
    answers = b.wijk_answers(9, seed=13)
    raw = read_export(b.kobo_csv(answers), "kobo.csv")
    assert raw.format == "kobo"
    assert raw.header_rows == 1
    assert len(raw.frame) == 9
    assert f"buurt/{b.INVOLVED}" in raw.frame.columns
    assert raw.frame["_uuid"].str.len().eq(36).all()
    per_option = raw.frame[f"enquete/{b.HEARD}/brief_in_de_bus"]
    assert set(per_option.dropna()) <= {0, 1}
