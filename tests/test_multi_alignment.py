"""One checkbox question, one set of option columns, whatever the tool (issue 11).

The exports are written here from descriptions of what the tools really write, not with
tests/builders.py:
- KoboToolbox XML values (CSV, ';'): the joined column 'onderwerpen' with space-separated
  choice names, then one 1/0 column per option named 'onderwerpen/<choice name>', then
  '_id', '_uuid', '_submission_time', '_validation_status', '_index'.
- KoboToolbox labels (xlsx): the same columns with the group and question labels,
  'Onderwerpen/<question>' and 'Onderwerpen/<question>/<option label>'.
- Microsoft Forms (xlsx): Id, Begintijd, Tijd van voltooien, E-mail, Naam, then the
  question; the ticked labels joined with ';' and a trailing ';'.
- Google Forms (CSV): Tijdstempel, then the question; the ticked labels joined with ', '
  (and labels that contain a comma themselves).
"""
from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta

import numpy as np
import pandas as pd

from surveys import import_file, import_files, read_export

QUESTION = "Welke onderwerpen vindt u belangrijk voor de buurt?"
LABELS = ("Groen, spelen en sport", "Verkeer, parkeren en veiligheid", "Afval en schoon", "Wonen",
          "Zorg en welzijn")
CODES = ("groen", "verkeer", "afval", "wonen", "zorg")
OPTION_KEYS = {"groen_spelen_en_sport", "verkeer_parkeren_en_veiligheid", "afval_en_schoon",
               "wonen", "zorg_en_welzijn"}
START = datetime(2026, 3, 2, 9, 0)


def _ticks(n: int, seed: int, rare: str | None = None) -> list[set[str]]:
    """Who ticked what: every label common, except `rare`, which one person ticked."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        picked = {label for label in LABELS if label != rare and rng.random() < 0.45}
        out.append(picked or {"Wonen"})
    if rare:
        out[n // 2] = out[n // 2] | {rare}
    return out


def _xlsx(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(buffer, index=False)
    return buffer.getvalue()


def _kobo_tail(i: int) -> list:
    return [300000 + i, str(uuid.UUID(int=10_000 + i)),
            (START + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%S"), "Approved", i + 1]


KOBO_TAIL = ["_id", "_uuid", "_submission_time", "_validation_status", "_index"]


def kobo_xml_csv(ticks: list[set[str]], codes: tuple[str, ...] = CODES) -> bytes:
    by_label = dict(zip(LABELS, codes))
    header = ["start", "end", "over_u/leeftijd", "onderwerpen"] + [f"onderwerpen/{c}" for c in codes]
    rows = [header + KOBO_TAIL]
    for i, picked in enumerate(ticks):
        when = START + timedelta(hours=i)
        names = [by_label[label] for label in LABELS if label in picked]
        rows.append([when.isoformat(), (when + timedelta(minutes=9)).isoformat(), 30 + i % 50,
                     " ".join(names)] + [int(by_label[label] in names) for label in LABELS]
                    + _kobo_tail(i))
    text = "\n".join(";".join("" if v is None else str(v) for v in row) for row in rows)
    return text.encode("utf-8")


def kobo_labels_xlsx(ticks: list[set[str]], offset: int = 500) -> bytes:
    head = f"Onderwerpen/{QUESTION}"
    header = ["start", "end", "Over u/Leeftijd", head] + [f"{head}/{label}" for label in LABELS]
    rows = [header + KOBO_TAIL]
    for i, picked in enumerate(ticks):
        when = START + timedelta(hours=i)
        rows.append([when, when + timedelta(minutes=9), 30 + i % 50,
                     " ".join(label for label in LABELS if label in picked)]
                    + [int(label in picked) for label in LABELS] + _kobo_tail(offset + i))
    return _xlsx(rows)


def forms_xlsx(ticks: list[set[str]], first_id: int = 1) -> bytes:
    header = ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Wat is uw leeftijd?",
              QUESTION]
    rows = [header]
    for i, picked in enumerate(ticks):
        when = START + timedelta(hours=i)
        cell = "".join(f"{label};" for label in LABELS if label in picked)
        rows.append([first_id + i, when, when + timedelta(minutes=6), "anonymous", None,
                     25 + i % 50, cell or None])
    return _xlsx(rows)


def google_csv(ticks: list[set[str]]) -> bytes:
    frame = pd.DataFrame({
        "Tijdstempel": [(START + timedelta(hours=i)).strftime("%d-%m-%Y %H:%M:%S")
                        for i in range(len(ticks))],
        "Wat is uw leeftijd?": [40 + i % 30 for i in range(len(ticks))],
        QUESTION: [", ".join(label for label in LABELS if label in picked) for picked in ticks]})
    return frame.to_csv(index=False).encode("utf-8")


def _options(frame: pd.DataFrame) -> dict[str, set[str]]:
    """{question key: {option keys}} of the multi-select columns."""
    out: dict[str, set[str]] = {}
    for column in frame.columns:
        if str(column).startswith("multi:"):
            question, _, option = str(column)[6:].partition(":")
            out.setdefault(question, set()).add(option)
    return out


def _assert_true_ticks(frame: pd.DataFrame, file: str, ticks: list[set[str]]) -> None:
    """Every row of `file` has exactly the options its respondent ticked."""
    rows = frame[frame["source"].str.split("#").str[0] == file].sort_values("source_row")
    assert len(rows) == len(ticks)
    (question,) = _options(frame)
    for label in LABELS:
        column = f"multi:{question}:{next(k for k in OPTION_KEYS if k.startswith(_first(label)))}"
        got = rows[column].fillna(False).astype(bool).tolist()
        assert got == [label in picked for picked in ticks], (file, label)


def _first(label: str) -> str:
    return label.split(",")[0].split()[0].lower()


def test_kobo_codes_and_every_tools_labels_give_one_set_of_options() -> None:
    files = {"forms.xlsx": _ticks(24, 1), "google.csv": _ticks(18, 2),
             "kobo_labels.xlsx": _ticks(15, 3), "kobo_xml.csv": _ticks(15, 4)}
    data = [("forms.xlsx", forms_xlsx(files["forms.xlsx"])),
            ("google.csv", google_csv(files["google.csv"])),
            ("kobo_labels.xlsx", kobo_labels_xlsx(files["kobo_labels.xlsx"])),
            ("kobo_xml.csv", kobo_xml_csv(files["kobo_xml.csv"]))]
    combined = import_files(data)
    options = _options(combined)
    assert options == {"welke_onderwerpen_vindt_u_belangrijk": OPTION_KEYS}, options
    for name, ticks in files.items():
        _assert_true_ticks(combined, name, ticks)
    rows = [r for r in combined.attrs["matching"] if r["kind"] == "option"
            and r["file"] == "kobo_xml.csv"]
    assert {r["text"]: r["matched_text"] for r in rows} == dict(zip(CODES, LABELS))
    how = {r["text"]: r["how"] for r in rows}
    assert how.pop("wonen") == "same"  # 'wonen' is the label 'Wonen' itself
    assert set(how.values()) <= {"code", "place"}, how
    notes = [w for w in combined.attrs["warnings"] if "antwoordoptie" in w]
    assert any("kobo_xml.csv" in w and "'groen' = 'Groen, spelen en sport'" in w for w in notes)


def test_kobo_xml_alone_matches_the_projects_known_options() -> None:
    """The dashboard path: next week's Kobo XML export on its own, against the keys the
    Forms file left in the project (Store.known_keys); no labels export of the form seen."""
    forms = import_file(read_export(forms_xlsx(_ticks(20, 5)), "forms.xlsx"))
    assert {k for k in forms.attrs["key_texts"] if k.startswith("multi:")} >= {
        f"multi:welke_onderwerpen_vindt_u_belangrijk:{k}" for k in OPTION_KEYS}
    ticks = _ticks(12, 6)
    xml = import_file(read_export(kobo_xml_csv(ticks), "kobo_xml.csv"),
                      known=forms.attrs["key_texts"])
    assert _options(xml) == _options(forms) == {"welke_onderwerpen_vindt_u_belangrijk": OPTION_KEYS}
    _assert_true_ticks(xml, "kobo_xml.csv", ticks)
    question = [r for r in xml.attrs["matching"] if r["kind"] == "multi"]
    assert {r["how"] for r in question} == {"options"}


def test_numbered_kobo_choices_line_up_by_place_with_the_labels_export() -> None:
    """Choice names '1'..'5' have no words: the labels export of the same form, seen
    before (Store.known_layouts), gives each its option by place, in either order."""
    numbers = ("1", "2", "3", "4", "5")
    labels = import_file(read_export(kobo_labels_xlsx(_ticks(15, 7)), "kobo_labels.xlsx"))
    layouts = [(labels.attrs["columns"], labels.attrs["item_keys"])]
    assert labels.attrs["item_keys"][f"Onderwerpen/{QUESTION}/Wonen"] == (
        "multi:welke_onderwerpen_vindt_u_belangrijk:wonen")
    ticks = _ticks(12, 8)
    xml = import_file(read_export(kobo_xml_csv(ticks, numbers), "kobo_xml.csv"),
                      known=labels.attrs["key_texts"], layouts=layouts)
    assert _options(xml) == _options(labels)
    _assert_true_ticks(xml, "kobo_xml.csv", ticks)
    # the other way round: the XML export first, the labels export takes its keys
    xml_first = import_file(read_export(kobo_xml_csv(ticks, numbers), "kobo_xml.csv"))
    after = import_file(read_export(kobo_labels_xlsx(_ticks(15, 7)), "kobo_labels.xlsx"),
                        known=xml_first.attrs["key_texts"],
                        layouts=[(xml_first.attrs["columns"], xml_first.attrs["item_keys"])])
    assert _options(after) == _options(xml_first)
    assert xml_first.attrs["key_texts"]  # the codes' keys, with the labels' texts later
    assert after.attrs["key_texts"][next(k for k in after.attrs["key_texts"]
                                         if k.endswith(":1"))] == LABELS[0]


def test_a_label_ticked_once_is_an_option_when_another_file_offers_it() -> None:
    """A small week-1 Forms file where one person ticked 'Groen, spelen en sport' (a
    label with a comma and lower-case words, alone it looks like a typed answer)."""
    ticks = _ticks(12, 9, rare="Groen, spelen en sport")
    small = ("week1.xlsx", forms_xlsx(ticks))
    alone = import_files([small])
    big = ("week2.csv", google_csv(_ticks(30, 10)))
    for files in ([small, big], [big, small]):
        combined = import_files(files)
        assert _options(combined) == {"welke_onderwerpen_vindt_u_belangrijk": OPTION_KEYS}, (
            [f for f, _ in files], _options(combined), _options(alone))
        assert not any(c.startswith("text:welke_onderwerpen") for c in combined.columns)
        _assert_true_ticks(combined, "week1.xlsx", ticks)
    # the dashboard path: week 2 stored first, then week 1 alone against its known keys
    known = import_file(read_export(big[1], big[0])).attrs["key_texts"]
    later = import_file(read_export(small[1], small[0]), known=known)
    assert _options(later) == {"welke_onderwerpen_vindt_u_belangrijk": OPTION_KEYS}
    _assert_true_ticks(later, "week1.xlsx", ticks)


def test_a_typed_other_answer_stays_a_typed_answer() -> None:
    """'Anders, namelijk: …' is never an option column, known labels or not."""
    ticks = _ticks(12, 11)
    rows = [["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", QUESTION]]
    for i, picked in enumerate(ticks):
        cell = "".join(f"{label};" for label in LABELS if label in picked)
        if i == 3:
            cell += "Anders, namelijk: de speeltuin bij Jan de Vries;"
        rows.append([i + 1, START, START, "anonymous", None, cell])
    known = import_files([("google.csv", google_csv(_ticks(20, 12)))]).attrs["key_texts"]
    frame = import_file(read_export(_xlsx(rows), "forms.xlsx"), known=known)
    options = _options(frame)["welke_onderwerpen_vindt_u_belangrijk"]
    assert options == OPTION_KEYS | {"anders"}
    assert frame["multi:welke_onderwerpen_vindt_u_belangrijk:anders"].fillna(False).sum() == 1
    assert not any("Jan" in str(v) for v in frame.attrs["key_texts"].values())
    assert not any("Jan" in str(r.get("text")) for r in frame.attrs["matching"])



def test_dashboard_imports_one_file_at_a_time_into_one_set_of_options(dashboard) -> None:
    """Through ui.state.add_import and the store: Forms, then the Kobo XML export, then a
    Forms week where a label was ticked once; the CLI gives the same columns."""
    from ui.importing import parse_upload

    files = [("forms.xlsx", forms_xlsx(_ticks(20, 13))),
             ("kobo_xml.csv", kobo_xml_csv(_ticks(12, 14))),
             ("week2.xlsx", forms_xlsx(_ticks(12, 15, rare="Verkeer, parkeren en veiligheid"),
                                       first_id=100))]
    project = dashboard._view(dashboard.store().create_project("Opties", team=""))
    for name, data in files:
        parsed = parse_upload(data, name)
        assert not parsed.error, parsed.error
        roles = {q["column"]: q["role"] for q in parsed.questions}
        dashboard.add_import(project, parsed, roles, parsed.channel, data)
    stored = dashboard.store().respondents(project.id)
    assert _options(stored) == {"welke_onderwerpen_vindt_u_belangrijk": OPTION_KEYS}
    cli = import_files(files)
    assert _options(cli) == _options(stored)
    for column in (c for c in cli.columns if str(c).startswith("multi:")):
        assert int(cli[column].fillna(False).sum()) == int(stored[column].fillna(False).sum())
