"""Conversation logs: one row per street conversation or home visit."""
from __future__ import annotations

import builders as b

from surveys.readers import read_export


def test_conversation_log_detected() -> None:
    raw = read_export(b.conversation_log_xlsx(19, seed=2), "gesprekken week 12.xlsx")
    assert raw.format == "conversation_log"
    assert raw.header_rows == 1
    assert raw.sheet == "Gesprekken"
    assert len(raw.frame) == 19
    assert list(raw.frame.columns) == b.LOG_HEADER
    assert raw.labels == {}
    assert set(raw.frame["Geschatte leeftijd"]) <= set(b.LOG_AGES)


def test_plain_survey_is_not_a_conversation_log() -> None:
    raw = read_export(b.delimited_bytes(["Datum", "Leeftijd", "Opmerking"],
                                        [["1-3-2024", 34, "ok"]]), "x.csv")
    assert raw.format == "generic"
