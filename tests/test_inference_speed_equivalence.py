"""Question inference works on each column's distinct answers with their counts (issue #16,
preview speed). These properties make sure that shortcut cannot change a result:

- the distinct view of a column (answers, counts, first-seen order, numbers) equals what
  the rows themselves give, for text, numbers, booleans, dates, mixed objects and SPSS
  value labels;
- inference on a file equals inference on the same file with each column's rows
  reordered and repeated, as long as every answer keeps its count and the answers first
  appear in the same order (the only things the rules may read);
- the per-file cache of value kinds and the cache of short redactions give what the
  uncached functions give.

Plain shuffles or k-fold repeats are no invariant of the rules themselves: ties in the
option order ('Ja' before 'ja') follow the first-seen order, and a few rules weigh
absolute counts (at most half as many options as answers).
"""
from __future__ import annotations

import random
from datetime import datetime

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from surveys import pii
from surveys.model import RawExport
from surveys.questionnaire import _answers, _Column, _few, _numbers, infer_questionnaire

POOL = ["Mee eens", " Mee eens", "Mee eens ", "mee eens", "Helemaal mee eens", "Neutraal",
        "Oneens", "Weet niet", "", "  ", "Ja", "ja", "Nee", "1", " 1", "1,5", "2", "3 ", "0",
        "-0", "10", "1e3", "inf", "nan", "1234 AB", "3511 ab", "01-02-1980", "12/05/2021",
        "Dit is een lange zin. Met een punt!", "Ik vind de buurt fijn om te wonen, echt waar",
        "Flyer; Krant;", "Flyer, Krant", "Online", "Op papier", "Man", "Vrouw", "V",
        "18-29", "65+", "Koopwoning", "Huurwoning corporatie", "Kees Jansen", "jan@x.nl",
        "06-12345678", "Test", "Survey Preview", "antwoord 7"]
HEADERS = ["Vraag 1", "Stelling: ik voel me thuis", "Leeftijd", "Geslacht", "Opmerking",
           "Postcode", "Kanaal", "Weegfactor", "Geboortejaar", "Status", "Woonsituatie",
           "Woont u in de wijk?", "Hoe heeft u van dit onderzoek gehoord?",
           "Welk rapportcijfer geeft u (1 = slecht)", "Q9_1", "Q9_2", "Datum", "Aantal"]

texts = st.one_of(st.sampled_from(POOL), st.text(max_size=12))
cells = {
    "text": st.one_of(texts, st.none()),
    "int": st.integers(-5, 2100),
    "float": st.one_of(st.sampled_from([0.0, -0.0, 1.0, 1.5, 7.5, 1e20, float("nan")]),
                       st.floats(-1e6, 1e6, allow_nan=False)),
    "bool": st.booleans(),
    "date": st.sampled_from([datetime(2024, 3, 4), datetime(2024, 3, 4, 10, 7),
                             datetime(1980, 2, 1), datetime(2023, 12, 31)]),
    "mixed": st.one_of(texts, st.sampled_from([1, 1.0, True, False, 0, -0.0, 2.5, None])),
}


def _series(kind: str, values: list) -> pd.Series:
    if kind == "text":
        return pd.Series(values, dtype="str")
    if kind == "mixed":
        return pd.Series(values, dtype=object)
    if kind == "date":
        return pd.Series(pd.to_datetime(values))
    return pd.Series(values)


@st.composite
def columns(draw: st.DrawFn) -> tuple[str, pd.Series, dict]:
    kind = draw(st.sampled_from(sorted(cells)))
    values = draw(st.lists(cells[kind], min_size=0, max_size=40))
    series = _series(kind, values)
    labels = {}
    if kind in ("int", "float") and draw(st.booleans()):  # SPSS codes with value labels
        labels = {code: draw(st.sampled_from(POOL)) for code in (0, 1, 2, 3)}
    return kind, series, labels


@st.composite
def exports(draw: st.DrawFn) -> RawExport:
    names = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5, unique=True))
    n = draw(st.integers(1, 40))
    data = {}
    for name in names:
        kind = draw(st.sampled_from(sorted(cells)))
        data[name] = _series(kind, draw(st.lists(cells[kind], min_size=n, max_size=n)))
    fmt = draw(st.sampled_from(["generic", "ms_forms", "kobo", "google_forms"]))
    return RawExport("t.xlsx", pd.DataFrame(data), fmt, 1, None, "0" * 64)


def _raw(name: str, series: pd.Series, labels: dict | None = None) -> RawExport:
    return RawExport("t.xlsx", pd.DataFrame({name: series}), "generic", 1, None, "0" * 64,
                     value_labels={name: labels} if labels else {})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns())
def test_distinct_view_equals_the_rows(column: tuple[str, pd.Series, dict]) -> None:
    kind, series, labels = column
    raw = _raw("Vraag", series, labels)
    col = _Column(raw, "Vraag")
    rows = _answers(raw, "Vraag")  # the row-by-row reading the shortcut replaces
    stripped = rows.astype(str).str.strip()
    expected = stripped.value_counts(sort=False)
    assert list(col.counts.items()) == [(str(k), int(v)) for k, v in expected.items()], kind
    assert col.total == len(rows)
    assert col.empty == rows.empty
    assert set(col.texts) == set(rows.astype(str))
    by_rows = _numbers(rows)
    assert (col.numbers is None) == (by_rows is None), (kind, rows.tolist())
    if by_rows is not None:
        assert set(col.numbers.tolist()) == set(by_rows.tolist())
        assert _few(col.numbers) == _few(by_rows)
        assert bool((col.numbers >= 0).all()) == bool((by_rows >= 0).all())
    from_texts = _numbers(pd.Series(list(expected.index), dtype="str"))
    assert (col.text_numbers is None) == (from_texts is None), (kind, rows.tolist())


def _same_counts_and_order(series: pd.Series, rng: random.Random, repeat: int) -> pd.Series:
    """The column with every cell repeated `repeat` times and the later copies shuffled,
    while each distinct cell first appears in the same order."""
    cells_ = series.tolist()
    seen, first, rest = set(), [], []
    for cell in cells_:
        key = (type(cell), repr(cell))
        (rest if key in seen else first).append(cell)
        seen.add(key)
    rest = rest + cells_ * (repeat - 1)
    rng.shuffle(rest)
    return pd.Series(first + rest, dtype=series.dtype)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports(), st.integers(1, 3), st.integers(0, 10**6))
def test_inference_ignores_row_order_beyond_first_seen(raw: RawExport, repeat: int,
                                                      seed: int) -> None:
    rng = random.Random(seed)
    reordered = {name: _same_counts_and_order(raw.frame[name], rng, repeat)
                 for name in raw.frame.columns}
    original = {name: raw.frame[name].tolist() * repeat for name in raw.frame.columns}
    base = RawExport("t.xlsx", pd.DataFrame({n: pd.Series(v, dtype=raw.frame[n].dtype)
                                             for n, v in original.items()}),
                     raw.format, 1, None, "0" * 64)
    other = RawExport("t.xlsx", pd.DataFrame(reordered), raw.format, 1, None, "0" * 64)
    assert infer_questionnaire(base) == infer_questionnaire(other)


def test_a_long_likert_column_reads_like_its_distinct_answers() -> None:
    # 10,000 rows, five answers: the same questions as 5 rows with the same shares
    answers = ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"]
    big = pd.DataFrame({"Stelling": pd.Series(answers * 2000, dtype="str"),
                        "Cijfer": np.tile(np.arange(1, 6), 2000)})
    small = pd.DataFrame({"Stelling": pd.Series(answers * 2, dtype="str"),
                          "Cijfer": np.tile(np.arange(1, 6), 2)})
    one = infer_questionnaire(RawExport("a.xlsx", big, "generic", 1, None, "0" * 64))
    two = infer_questionnaire(RawExport("a.xlsx", small, "generic", 1, None, "0" * 64))
    assert one == two
    assert one.question("Stelling").kind == "likert"
    assert one.question("Stelling").scale[0] == "Helemaal mee oneens"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(POOL + ["Fatima", "Jansen, K.", "1990-05-17",
                                                  "52.37, 4.89"]), max_size=12),
                min_size=1, max_size=4))
def test_shared_value_kinds_change_no_pii_reason(columns_: list[list[str]]) -> None:
    kinds: dict[str, str] = {}
    for values in columns_:
        assert pii.column_pii_reason("Vraag", values, kinds=kinds) == \
            pii.column_pii_reason("Vraag", values)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.sampled_from(POOL), st.text(max_size=60)))
def test_cached_redaction_equals_a_fresh_one(text: str) -> None:
    fresh = pii._redact_once(pii.normalize_text(text)) if text else text
    assert pii.redact_text(text) == fresh
    assert pii.redact_text(text) == fresh  # the second call comes from the cache
