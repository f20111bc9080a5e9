"""One import path: the CLI (surveys.import_files) and the dashboard (ui.state.add_import
into the store, read back) give the same respondents for the same files.

Files: two weeks of a conversation log without an id column (the week the dashboard used
to lose), two weekly MS Forms exports whose second repeats the first's people, a Qualtrics
export of the same statements, and one log uploaded twice.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from surveys import import_files
from tests import builders

ANSWER = ("item:", "multi:", "text:")


def _files() -> list[tuple[str, bytes]]:
    log = builders.conversation_log_xlsx(12, seed=0)
    return [
        ("gesprekken week 1.xlsx", log),
        ("enquete week 1.xlsx", builders.ms_forms_xlsx(builders.wijk_answers(20, seed=3))),
        ("gesprekken week 2.xlsx", builders.conversation_log_xlsx(9, seed=1)),
        ("enquete week 2.xlsx", builders.ms_forms_xlsx(builders.wijk_answers(26, seed=3))),
        ("qualtrics.csv", builders.qualtrics_csv(builders.wijk_answers(15, seed=8))),
        ("gesprekken week 1 (kopie).xlsx", log),  # the same bytes under another name
    ]



def _through_dashboard(state, files: list[tuple[str, bytes]]) -> tuple[pd.DataFrame, list]:
    from ui.importing import parse_upload

    project = state._view(state.store().create_project(f"Pad {len(state.store().list_projects())}",
                                                       team=""))
    outcomes = []
    for name, data in files:
        parsed = parse_upload(data, name)
        assert not parsed.error, parsed.error
        roles = {q["column"]: q["role"] for q in parsed.questions}  # every suggestion accepted
        outcomes.append(state.add_import(project, parsed, roles, parsed.channel, data))
    return state.store().respondents(project.id), outcomes


def _values(frame: pd.DataFrame, column: str) -> list:
    values = frame[column].dropna().tolist()
    return sorted(map(str, values))


def test_cli_and_dashboard_give_the_same_respondents(dashboard) -> None:
    files = _files()
    cli = import_files(files)
    stored, outcomes = _through_dashboard(dashboard, files)

    # the second week's log (no id column) is kept in both; the copy adds nothing
    assert outcomes[2].new == 9 and outcomes[2].duplicates == 0
    assert outcomes[3].new == 6 and outcomes[3].duplicates == 20  # 20 of 26 known by id
    assert outcomes[5].already_imported and outcomes[5].new == 0
    assert len(cli) == len(stored) == 12 + 20 + 9 + 6 + 15
    assert cli.attrs["duplicates"] == 20 + 12

    cli_answers = sorted(c for c in cli.columns if c.startswith(ANSWER))
    stored_answers = sorted(c for c in stored.columns if c.startswith(ANSWER))
    assert cli_answers == stored_answers
    items = [c for c in cli_answers if c.startswith("item:")]
    assert items, cli_answers
    for column in cli_answers:
        assert _values(cli, column) == _values(stored, column), column
    for column in ("source_row", "excluded", "id_generated", "channel", "gender", "age_band"):
        assert _values(cli, column) == _values(stored, column), column
    # the three tools' statements line up: every item answered by MS Forms and Qualtrics
    for column in items:
        sources = set(cli.loc[cli[column].notna(), "source"].str.split("#").str[0])
        assert {"enquete week 1.xlsx", "qualtrics.csv"} <= sources, column


def test_next_weeks_file_alone_maps_to_the_known_keys(dashboard) -> None:
    """Week 2 imported on its own in the dashboard lands in week 1's columns, even when its
    tool words the statements differently (Qualtrics 'Q3 - …' labels against Forms)."""
    first = [("enquete week 1.xlsx", builders.ms_forms_xlsx(builders.wijk_answers(20, seed=3)))]
    stored, _ = _through_dashboard(dashboard, first)
    before = sorted(c for c in stored.columns if c.startswith("item:"))
    project = dashboard._view(dashboard.store().list_projects()[0])
    known = dashboard.store().known_keys(project.id)
    assert set(before) <= set(known)
    from ui.importing import parse_upload

    data = builders.qualtrics_csv(builders.wijk_answers(15, seed=8))
    parsed = parse_upload(data, "q.csv")
    roles = {q["column"]: q["role"] for q in parsed.questions}
    rows = dashboard.matching(project, parsed, roles)
    assert {r["key"] for r in rows if r["kind"] == "item"} == set(before)
    dashboard.add_import(project, parsed, roles, parsed.channel, data)
    after = dashboard.store().respondents(project.id)
    assert sorted(c for c in after.columns if c.startswith("item:")) == before
    for column in before:
        assert after[column].notna().sum() > 20


def test_a_generated_row_number_never_drops_a_person(dashboard) -> None:
    """Two weeks of a log without ids: rows 1..n of week 2 are new people, in both paths."""
    week1 = ("log 1.xlsx", builders.conversation_log_xlsx(10, seed=4))
    week2 = ("log 2.xlsx", builders.conversation_log_xlsx(10, seed=5))
    cli = import_files([week1, week2])
    stored, outcomes = _through_dashboard(dashboard, [week1, week2])
    assert len(cli) == len(stored) == 20
    assert cli["id_generated"].all() and stored["id_generated"].all()
    assert [o.new for o in outcomes] == [10, 10]
    np.testing.assert_array_equal(sorted(cli["source_row"]), sorted(stored["source_row"]))


LIKERT5 = ("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")


def _kobo(names: list[str], n: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    rows = [[f"uuid-{seed}-{i}", *[LIKERT5[rng.integers(5)] for _ in names[1:]]] for i in range(n)]
    return builders.delimited_bytes(names, rows, delimiter=";")


def test_kobo_xml_names_line_up_with_the_labels_export(dashboard) -> None:
    """The same Kobo form exported with labels and with XML names: one key per statement,
    whichever file comes first, through the CLI and through the dashboard one by one."""
    labels = ("kobo labels.csv", _kobo(["_uuid", "Stellingen/Ik voel me thuis in de buurt",
                                        "Stellingen/Ik ken mijn buren",
                                        "Stellingen/De gemeente luistert naar bewoners"], 12, 1))
    xml = ("kobo xml.csv", _kobo(["_uuid", "stellingen/s1", "stellingen/s2", "stellingen/s3"], 12, 2))
    expected = ["item:de_gemeente_luistert_naar_bewoners", "item:ik_ken_mijn_buren",
                "item:ik_voel_me_thuis_in_de_buurt"]
    for files in ([labels, xml], [xml, labels]):
        cli = import_files(files)
        assert sorted(c for c in cli.columns if c.startswith("item:")) == expected
        assert all(cli[c].notna().sum() == 24 for c in expected)
    stored, _ = _through_dashboard(dashboard, [labels, xml])
    assert sorted(c for c in stored.columns if c.startswith("item:")) == expected
    assert all(stored[c].notna().sum() == 24 for c in expected)
    # the XML export first: the labels export takes its keys, the texts are remembered
    stored, _ = _through_dashboard(dashboard, [xml, labels])
    keys = sorted(c for c in stored.columns if c.startswith("item:"))
    assert len(keys) == 3 and all(stored[c].notna().sum() == 24 for c in keys)
    newest = max(p.id for p in dashboard.store().list_projects())
    known = dashboard.store().known_keys(newest)
    assert sorted(known[k] for k in keys) == ["De gemeente luistert naar bewoners",
                                              "Ik ken mijn buren", "Ik voel me thuis in de buurt"]


def test_a_saved_mapping_carries_the_officers_key_corrections(tmp_path) -> None:
    """The mapping JSON the dashboard saves (with item_keys) gives the CLI the same keys."""
    labels = ("kobo labels.csv", _kobo(["_uuid", "Stellingen/Ik voel me thuis in de buurt",
                                        "Stellingen/Ik ken mijn buren"], 6, 1))
    mapping = {"roles": {}, "item_keys": {"Stellingen/Ik ken mijn buren": "item:sociale_band"}}
    out = import_files([labels], mapping=mapping)
    assert sorted(c for c in out.columns if c.startswith("item:")) == [
        "item:ik_voel_me_thuis_in_de_buurt", "item:sociale_band"]
    overruled = import_files([labels], mapping=mapping,
                             keys={"Stellingen/Ik ken mijn buren": "item:buren"})
    assert "item:buren" in overruled.columns


def test_source_row_is_the_spreadsheet_row_under_title_rows() -> None:
    """A typed-in paper form with three title rows above its header: 'P001' is on row 5."""
    data = builders.paper_form_xlsx(builders.wijk_answers(5, seed=2))
    out = import_files([("papier.xlsx", data)])
    assert out["respondent_id"].tolist()[:2] == ["P001", "P002"]
    assert out["source_row"].tolist() == [5, 6, 7, 8, 9]
    assert not out["id_generated"].any() and (out["channel"] == "papier").all()
