"""The import's note on answers that fit no CBS group (walk-through #8): 'Anders' is a real
answer, named as such, and the note on answers we do not recognise says what the user can
actually do (there is no recoding screen in the dashboard). One row or many: '1 rij', not
'rij(en)' (#20)."""
from __future__ import annotations

import pandas as pd
from test_respondents import mapped, raw

from surveys.respondents import describe_exclusions


def _warnings(values: list) -> list[str]:
    export = raw({"id": [str(i) for i in range(len(values))], "Wat is uw woonsituatie?": values},
                 name="wijk.csv")
    frame = mapped(export, {"id": "respondent_id", "Wat is uw woonsituatie?": "tenure"})
    assert frame["tenure"].isna().sum() >= sum(1 for v in values if v not in ("Koopwoning",))
    return [w for w in frame.attrs["warnings"] if "woonsituatie" in w]


def test_anders_is_an_answer_outside_the_cbs_groups_not_a_misreading() -> None:
    notes = _warnings(["Koopwoning", "Anders", "Anders", "Overig", "Anders, namelijk: bij mijn ouders"])
    assert len(notes) == 1
    note = notes[0]
    assert "4 antwoorden 'Anders'" in note and "'Overig'" in note
    assert "Die staan bij 'onbekend' en vergelijken we niet met de buurt. Het CBS telt alleen " \
           "koopwoning, huur bij corporatie en huur bij andere verhuurder." in note
    assert "herkennen we niet" not in note and "hercodering" not in note
    # the answers stay outside the comparison, as before: unknown for the coverage
    export = raw({"id": ["1", "2"], "Wat is uw woonsituatie?": ["Koopwoning", "Anders"]})
    frame = mapped(export, {"id": "respondent_id", "Wat is uw woonsituatie?": "tenure"})
    assert frame["tenure"].iloc[0] == "koop" and pd.isna(frame["tenure"].iloc[1])


def test_an_unrecognised_answer_names_a_step_the_user_can_take() -> None:
    notes = _warnings(["Koopwoning", "Woonboot", "Woonboot", "Anders"])
    unknown = next(n for n in notes if "herkennen we niet" in n)
    assert "'Woonboot' (2×)" in unknown
    assert "hercodering" not in unknown  # no such screen exists
    assert "verander het dan in het bestand in de naam van die groep (bijv. 'Koopwoning')" in unknown
    assert "haal de eerdere import van dit bestand weg en importeer het opnieuw" in unknown
    assert any("1 antwoord 'Anders'" in n and "Dat staat bij 'onbekend'" in n for n in notes)


def test_exclusions_say_one_row_or_rows() -> None:
    one = describe_exclusions("a.csv", pd.Series(["", "test", ""]))
    assert "1 rij telt niet mee (1 testinvoer). Die is bewaard" in one
    many = describe_exclusions("a.csv", pd.Series(["test", "test", "preview"]))
    assert "3 rijen tellen niet mee" in many and "Ze zijn bewaard" in many
    assert "(en)" not in one + many
