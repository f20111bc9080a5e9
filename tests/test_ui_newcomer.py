"""The rough edges a newcomer met (issue 16), page by page: a confirmation after creating a
project, an empty uploader after an import, rows an officer marks by hand, Dutch texts in
the multiselects, age bands named from the minimum age, no 'op doel' for a group above
its share, and a kompas message that never asks for a choice it does not offer."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests import builders

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    return tmp_path


def _new_project(name: str = "Nieuwe wijk") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/project.py").run()
    at.text_input(key="new_project_name").input(name)
    next(b for b in at.button if b.label == "Project aanmaken").click().run()
    assert not at.exception
    return at


def _csv(n: int = 12) -> bytes:
    frame = pd.DataFrame({"Id": range(1, n + 1), "Wat is uw leeftijd?": [30 + i for i in range(n)]})
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, sep=";")
    return buffer.getvalue().encode("utf-8")


def test_creating_a_project_confirms_and_says_what_is_next(data_dir) -> None:
    at = _new_project("Wijkaanpak Transvaal")
    success = " ".join(s.value for s in at.success)
    assert "**Wijkaanpak Transvaal** is aangemaakt" in success
    assert "Buurt en bevolking" in success and "Importeren" in success
    at.switch_page("ui/pages/bereik.py").run()  # the confirmation is shown once
    at.switch_page("ui/pages/project.py").run()
    assert not any("is aangemaakt" in s.value for s in at.success)


def test_after_an_import_the_uploader_is_empty_and_the_outcome_stays(data_dir) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/importeren.py").run()
    at.file_uploader[0].upload("wijk.xlsx", builders.ms_forms_xlsx(builders.wijk_answers(n=14, seed=4)),
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    next(b for b in at.button if b.label.startswith("Importeer")).click().run()
    assert not at.exception and not at.error
    assert any("wijk.xlsx: 14 nieuwe antwoorden toegevoegd" in s.value for s in at.success)
    assert not any(b.label.startswith("Importeer") for b in at.button)  # nothing to press twice
    assert not at.file_uploader[0].value  # a new, empty uploader
    at.run()  # the outcome is said once, not on every rerun
    assert not any("nieuwe antwoorden toegevoegd" in s.value for s in at.success)


def test_an_officer_marks_rows_as_test_or_not_a_resident(data_dir) -> None:
    at = _new_project()
    at.switch_page("ui/pages/importeren.py").run()
    at.file_uploader[0].upload("lijst.csv", _csv(), "text/csv").run()
    next(b for b in at.button if b.label.startswith("Importeer")).click().run()
    assert not at.exception
    at.text_input(key="mark_rows_text").input("3, 5-6")
    at.selectbox(key="mark_reason").set_value("non_resident")
    next(b for b in at.button if b.label == "Niet meetellen").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("3 rijen uit lijst.csv tellen niet meer mee" in s.value for s in at.success)
    review = next(t.value for t in at.dataframe if "Toch meetellen" in getattr(t.value, "columns", []))
    assert list(review["Rij"]) == [3, 5, 6] and set(review["Reden"]) == {"woont niet in de buurt"}
    # a row number that is no number: a Dutch message naming it, nothing changed
    at.text_input(key="mark_rows_text").input("drie")
    next(b for b in at.button if b.label == "Niet meetellen").click().run()
    assert any("'drie' is geen rijnummer" in e.value for e in at.error)


def test_multiselects_speak_dutch_and_offer_no_select_all(data_dir) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90).run()  # Bereik of the demo
    channel = next(m for m in at.multiselect if m.label == "Kanaal")
    assert channel.proto.placeholder == "Kies een of meer kanalen"  # not "Choose options"
    assert channel.proto.select_all == 0  # no English "Select all" in the dropdown
    assert channel.proto.wrap  # the channel tags wrap inside their box


def test_age_bands_follow_the_minimum_age() -> None:
    from engagement.vocabulary import age_words, group_label

    assert group_label("15-25", 18) == "18 tot 25 jaar"
    assert group_label("15-25", 16) == "16 tot 25 jaar"
    assert group_label("15-25", 15) == "15 tot 25 jaar"
    assert group_label("25-45", 18) == "25 tot 45 jaar" and group_label("65+", 70) == "70 jaar en ouder"
    sentence = "Jongeren van 15 tot 25 jaar zijn ondervertegenwoordigd; 115 tot 25 jaar blijft."
    assert age_words(sentence, 16) == ("Jongeren van 16 tot 25 jaar zijn ondervertegenwoordigd; "
                                       "115 tot 25 jaar blijft.")


def test_demo_pages_name_the_young_from_18(data_dir) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90).run()  # the demo counts people of 18+
    assert any("Jongeren van 18 tot 25 jaar" in m.value for m in at.markdown)
    assert not any("15 tot 25" in m.value for m in at.markdown)
    at.switch_page("ui/pages/aanbevelingen.py").run()
    assert "18 tot 25 jaar" in set(builders.stacked_tables(at)[0]["Groep"])


def test_voortgang_status_table_wraps_on_a_phone(data_dir) -> None:
    """A stacked table (ui.widgets.stacked_table: a card per group on a phone), not a grid
    that hides columns sideways nor five columns that break words mid-letter."""
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    at.switch_page("ui/pages/voortgang.py").run()
    assert not at.exception
    status = next(t for t in builders.stacked_tables(at) if "Genoeg gesproken sinds" in t.columns)
    assert list(status.columns) == ["Groep", "Genoeg gesproken sinds", "Voor het eerst genoeg",
                                    "Nog te spreken (nu)", "Oordeel nu"]
    assert "18 tot 25 jaar" in set(status["Groep"])
    assert not any("Genoeg gesproken sinds" in d.value.columns for d in at.dataframe)
    assert not any("Genoeg gesproken sinds" in t.value.columns for t in at.table)
    # 'onzeker' is no verdict: such a group is not called 'meer dan in de buurt' either
    unsure = status[status["Oordeel nu"].str.startswith("onzeker")]
    assert len(unsure) and not unsure["Genoeg gesproken sinds"].str.contains("meer dan in de buurt").any()


def test_voortgang_never_says_on_target_for_a_group_above_its_share() -> None:
    from ui.progress_privacy import enough_since

    source = (Path(__file__).resolve().parents[1] / "ui" / "pages" / "voortgang.py").read_text()
    assert "Op doel" not in source
    when = pd.Timestamp("2026-09-08")
    assert enough_since("08-09-2026", when, "over", "") == "08-09-2026 (meer dan in de buurt)"
    assert enough_since("08-09-2026", when, "ok", "") == "08-09-2026"
    assert enough_since("nu niet", pd.NaT, "under", "") == "nu niet"
    assert enough_since("08-09-2026", when, "over", "secondary") == "x"  # hidden stays hidden


def test_kompas_without_statements_says_to_import_not_to_choose(data_dir) -> None:
    """Only a conversation log: there is no question to put on an axis, so the page does
    not ask to choose them (no selector to choose with) but says to import statements."""
    from surveys import import_files
    from ui.state import store

    at = _new_project("Alleen gesprekken")
    frame = import_files([("g.xlsx", builders.conversation_log_xlsx(n=40, seed=13))])
    db = store()
    project = next(p for p in db.list_projects() if p.name == "Alleen gesprekken")
    db.add_import(project.id, frame, {"file_name": "g.xlsx", "content_hash": "y",
                                      "tool": "conversation_log", "channel": "straatgesprek",
                                      "rows_read": len(frame)})
    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception and not at.main.error
    assert "Vragen voor het kompas" not in [e.label for e in at.expander]
    info = "\n".join(i.value for i in at.info)
    assert "Kies de vragen voor beide assen" not in info
    assert "Importeer op de pagina **Importeren** een bestand met stellingen" in info


def test_row_numbers_as_typed() -> None:
    from ui.importing import parse_rows

    assert parse_rows("3, 7-9; 12") == [3, 7, 8, 9, 12]
    assert parse_rows("7 – 9 4") == [4, 7, 8, 9]
    for bad, said in (("x", "'x' is geen rijnummer"), ("9-3", "het kleinste"), ("", "Vul een of meer"),
                      ("1-99999", "Te veel rijen")):
        with pytest.raises(ValueError, match=said):
            parse_rows(bad)
