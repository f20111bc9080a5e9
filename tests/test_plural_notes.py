"""Notes a person reads say '1 rij' and '3 rijen', never 'rij(en)' (surveys.numbers.plural
and the sentences that use it or a plain singular/plural choice)."""
from __future__ import annotations

import pandas as pd
import pytest

from engagement.batch import batch_coverage
from reference.postcodes import read_postcode_table
from surveys.detect import detect_layout
from surveys.matching import describe_matches
from surveys.numbers import plural


def test_plural_picks_the_noun_form_and_writes_dutch_thousands() -> None:
    assert plural(1, "rij", "rijen") == "1 rij"
    assert plural(3, "rij", "rijen") == "3 rijen"
    assert plural(0, "rij", "rijen") == "0 rijen"
    assert plural(1204, "respondent", "respondenten") == "1.204 respondenten"


@pytest.mark.parametrize(("titles", "expected"), [
    (1, "De eerste rij boven de kopregel is overgeslagen"),
    (3, "De eerste 3 rijen boven de kopregel zijn overgeslagen"),
])
def test_title_rows_above_the_header_are_counted_in_words(titles: int, expected: str) -> None:
    rows = [["Enquête buurt"]] * titles + [["naam", "leeftijd", "postcode"], ["a", 30, "2571AB"],
                                            ["b", 40, "2571AC"]]
    layout = detect_layout(rows)
    assert layout.header_rows == 1
    text = " ".join(layout.warnings)
    assert expected in text
    assert "(en)" not in text


@pytest.mark.parametrize(("bad", "expected"), [(1, "1 rij overgeslagen"), (3, "3 rijen overgeslagen")])
def test_postcode_table_counts_skipped_rows(bad: int, expected: str) -> None:
    lines = ["postcode;buurtcode", "2571AB;BU05183033"] + ["geen;niets"] * bad
    table = read_postcode_table("\n".join(lines).encode(), "pc.csv")
    assert any(expected in n for n in table.notes)
    assert not any("(en)" in n for n in table.notes)


@pytest.mark.parametrize(("split", "expected"), [(1, "1 postcode ligt in meer dan één buurt"),
                                                 (3, "3 postcodes liggen in meer dan één buurt")])
def test_postcode_table_counts_split_postcodes(split: int, expected: str) -> None:
    lines = ["postcode;buurtcode"]
    for i in range(split):
        lines += [f"257{i}AB;BU05183033", f"257{i}AB;BU05183033", f"257{i}AB;BU05183034"]
    table = read_postcode_table("\n".join(lines).encode(), "pc.csv")
    assert any(expected in n for n in table.notes)


def test_matched_options_are_counted_in_words() -> None:
    rows = [{"kind": "option", "how": "code", "file": "b.csv", "text": t, "matched_text": t.title()}
            for t in ("groen", "wonen", "verkeer")]
    assert "3 antwoordopties gekoppeld" in describe_matches(rows)[0]
    assert "1 antwoordoptie gekoppeld" in describe_matches(rows[:1])[0]


@pytest.mark.parametrize(("drop", "expected"), [(("respondents",), "mist de kolom respondents;"),
                                                (("respondents", "category"),
                                                 "mist de kolommen category, respondents;")])
def test_a_table_missing_columns_names_them_in_singular_or_plural(drop: tuple[str, ...],
                                                                  expected: str) -> None:
    from engagement.batch import InputError

    population = pd.DataFrame({"area_code": ["BU1"], "dimension": ["gender"], "category": ["man"],
                               "population": [10.0]})
    counts = pd.DataFrame({"area_code": ["BU1"], "dimension": ["gender"], "category": ["man"],
                           "respondents": [3.0]}).drop(columns=list(drop))
    with pytest.raises(InputError, match=expected):
        batch_coverage(counts, population)


def _joint_reference(origin: dict[str, float], ages: dict[str, float] | None = None):
    from reference.model import BuurtReference

    return BuurtReference(areas=(("BU1", "Test"),), year=2024, table="85984NED", population=400.0,
                          eligible_population=300.0, min_age=18,
                          dimensions={"age": ages or {"25-45": 300.0}, "origin": origin},
                          margins={}, assumptions=())


JOINT = "leeftijd;herkomst;aantal\n0-15;Nederland;10\n25-45;Nederland;50\n"


@pytest.mark.parametrize(("origin", "expected"), [
    ({"nederland": 100.0, "europa": 100.0}, "mist de groep europa die"),
    ({"nederland": 100.0, "europa": 50.0, "buiten_europa": 50.0},
     "mist de groepen europa, buiten_europa die"),
])
def test_a_joint_table_missing_groups_names_them_in_singular_or_plural(origin, expected) -> None:
    from reference.build import ReferenceDataError
    from reference.custom import apply_joint_table

    with pytest.raises(ReferenceDataError, match=expected):
        apply_joint_table(_joint_reference(origin), JOINT.encode(), "g.csv")


@pytest.mark.parametrize(("ages", "expected"), [
    ({"25-45": 200.0, "45-65": 100.0}, "mist leeftijdsgroep 45-65."),
    ({"25-45": 100.0, "45-65": 100.0, "65+": 100.0}, "mist leeftijdsgroepen 45-65, 65\\+."),
])
def test_a_joint_table_missing_age_bands_names_them_in_singular_or_plural(ages, expected) -> None:
    from reference.build import ReferenceDataError
    from reference.custom import apply_joint_table

    with pytest.raises(ReferenceDataError, match=expected):
        apply_joint_table(_joint_reference({"nederland": 300.0}, ages), JOINT.encode(), "g.csv")


@pytest.mark.parametrize(("long", "expected"), [(1, "1 antwoord langer dan 5 tekens is ingekort"),
                                                (3, "3 antwoorden langer dan 5 tekens zijn ingekort")])
def test_cut_answers_are_counted_in_words(long: int, expected: str) -> None:
    from surveys.limits import truncate_long_cells
    from surveys.model import RawExport

    texts = ["abcdefgh"] * long + ["kort"] * 2
    raw = RawExport(file_name="a.csv", frame=pd.DataFrame({"Opmerking": texts}), format="generic",
                    header_rows=1, sheet=None, content_hash="x")
    cut = truncate_long_cells(raw, limit=5)
    assert any(f"Kolom 'Opmerking': {expected}" in w for w in cut.warnings), cut.warnings


@pytest.mark.parametrize(("twice", "expected"), [
    (1, "1 respondent stond al in een eerder bestand en telt één keer mee."),
    (3, "3 respondenten stonden al in een eerder bestand en tellen één keer mee."),
])
def test_people_imported_twice_are_counted_in_words(twice: int, expected: str) -> None:
    from builders import delimited_bytes

    from surveys import import_files

    header = ["Respondentnummer", "Wat is uw leeftijd?", "Wat is uw geslacht?"]
    rows = [[i + 1, 30 + i, "Man" if i % 2 else "Vrouw"] for i in range(6)]
    first = delimited_bytes(header, rows, delimiter=";")
    second = delimited_bytes(header, rows[:twice] + [[100 + i, 40, "Man"] for i in range(2)], delimiter=";")
    frame = import_files([("week1.csv", first), ("week2.csv", second)])
    assert frame.attrs["duplicates"] == twice
    assert expected in frame.attrs["warnings"]
