"""Fuzzing the CSV and Excel paths: whatever the bytes, only a SurveyImportError escapes.

Random bytes and mutated valid exports (tests/builders.py) go through
`surveys.readers.read_export` and `surveys.import_files`. Mutations work on the bytes as
uploaded (flip, insert, delete, cut, splice), which is what a broken download or a
hand-edited file looks like. The runs are derandomised and bounded so the file stays
fast and gives the same verdict on every machine.
"""
from __future__ import annotations

import builders as b
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from surveys import import_files
from surveys.errors import SurveyImportError
from surveys.model import RawExport
from surveys.readers import read_export

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SEEDS = {
    "google.csv": b.google_forms_csv(b.wijk_answers(6)),
    "kobo.csv": b.kobo_csv(b.wijk_answers(4)),
    "qualtrics.csv": b.qualtrics_csv(b.wijk_answers(4)),
    "cp1252.csv": b.google_forms_csv(b.wijk_answers(4), encoding="cp1252"),
    "utf16.tsv": b.delimited_bytes(["Nr", "Leeftijd", "Mening"], [[1, 34, "Mee eens"],
                                   [2, 71, "Oneens"]], delimiter="\t", encoding="utf-16"),
    "decimaal.csv": b.delimited_bytes(["Nr", "Cijfer"], [[1, 7.5], [2, 6.0]],
                                      delimiter=";", decimal_comma=True),
}
WORKBOOKS = {
    "ms.xlsx": b.ms_forms_xlsx(b.wijk_answers(4)),
    "papier.xlsx": b.paper_form_xlsx(b.wijk_answers(3)),
}
NASTY = [b"\x00", b"\r", b"\n", b'"', b",", b";", b"\t", b"\xe9", b"\xff\xfe", b"\xef\xbb\xbf",
         b"=cmd|' /C calc'!A0", b"\xc3", b"PK\x03\x04", b"%PDF", b"\r\n\r\n", b'""']


@st.composite
def mutated(draw, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    """A seed file with up to four byte-level edits."""
    name = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[name])
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "splice"]))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif kind == "cut":
            del data[at:]
        else:
            other = seeds[draw(st.sampled_from(sorted(seeds)))]
            data[at:] = other[draw(st.integers(0, len(other) - 1)):]
    return name, bytes(data)


def only_import_errors(data: bytes, name: str) -> None:
    try:
        raw = read_export(data, name)
    except SurveyImportError as error:
        assert error.file == name and f"'{name}'" in str(error)
        return
    assert isinstance(raw, RawExport) and len(raw.frame) > 0


@FUZZ
@given(data=st.binary(max_size=4096),
       name=st.sampled_from(["x.csv", "x.tsv", "x.txt", "x.xlsx", "x.xls", "x.ods", "x.sav"]))
def test_random_bytes(data: bytes, name: str) -> None:
    only_import_errors(data, name)


@FUZZ
@given(case=mutated(SEEDS))
def test_mutated_csv(case: tuple[str, bytes]) -> None:
    only_import_errors(case[1], case[0])


@FUZZ
@given(case=mutated(WORKBOOKS))
def test_mutated_xlsx(case: tuple[str, bytes]) -> None:
    only_import_errors(case[1], case[0])


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated({**SEEDS, **WORKBOOKS}))
def test_mutated_through_import_files(case: tuple[str, bytes]) -> None:
    """The whole import (infer, map, respondents) also raises nothing but import errors."""
    name, data = case
    good = ("goed.xlsx", WORKBOOKS["ms.xlsx"])
    try:
        frame = import_files([good, (name, data)])
    except SurveyImportError as error:
        assert error.file == name
        return
    assert len(frame) >= 4


@pytest.mark.parametrize("name", sorted(SEEDS) + sorted(WORKBOOKS))
def test_seeds_are_valid(name: str) -> None:
    raw = read_export({**SEEDS, **WORKBOOKS}[name], name)
    assert len(raw.frame) >= 2
