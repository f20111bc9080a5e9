"""The parts of the Importeren page: detection, column roles, matching, import, excluded rows.

The page script (ui/pages/importeren.py) only orders these sections; here they can be imported
and read on their own. Nothing here calls Streamlit at import time.
"""
from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd
import streamlit as st

from store.projects import StoreError
from surveys.categories import CHANNELS, EXCLUSION_LABELS
from surveys.errors import SurveyImportError
from surveys.matching import separate_key
from surveys.numbers import plural
from ui import state
from ui.importing import (
    FORMAT_LABELS,
    KIND_LABELS,
    MARK_REASONS,
    ROLE_FROM_LABEL,
    ROLE_LABELS,
    ParsedFile,
    forget_typology,
    mark_rows,
    parse_rows,
    parse_upload,
    save_typology,
)
from ui.typology_panel import show_preview as show_typology_preview
from ui.widgets import num, plain, plain_lines, stacked_table, table_height

log = logging.getLogger("bereikwijzer.ui")
TYPES = ["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "sav", "zsav"]


def show_detection(parsed: ParsedFile) -> None:
    """What we found in one file: tool, sheet, header rows, counts, PII, warnings."""
    # a line of text, not a metric: a metric's value never wraps, so 'Papieren formulier
    # (overgetypt)' was cut to 'Papieren formulier …' in its column
    st.markdown(f"Herkend als: **{plain(FORMAT_LABELS.get(parsed.format, parsed.format))}**",
                help="Het programma waarmee de export gemaakt is, herkend aan de kolomkoppen.")
    b, c, d = st.columns([1, 1, 1.6])
    b.metric("Antwoorden", num(parsed.respondents), help="Aantal rijen met antwoorden (respondenten of gesprekken).")
    c.metric("Vragen", num(len(parsed.questions)), help="Aantal kolommen met een vraag of gegeven.")
    # a short label: a metric label does not wrap, and a long one is cut ("3 kolom…")
    d.metric("Persoonsgegevens", num(len(parsed.pii_columns)),
             help="Aantal kolommen met bijv. namen of e-mailadressen. Die slaat Bereikwijzer niet op.")
    where = [f"werkblad **{plain(parsed.sheet)}**"] if parsed.sheet else []
    if parsed.header_rows > 1:
        where.append(f"kolomkoppen over {parsed.header_rows} regels, samengevoegd")
    if where:
        st.caption("Gelezen: " + ", ".join(where) + ".")
    if parsed.pii_columns:
        st.warning("Deze kolommen bevatten persoonsgegevens en worden **niet** opgeslagen: "
                   + ", ".join(f"'{plain(c)}'" for c in parsed.pii_columns), icon=":material/lock:")
    for warning in parsed.warnings:
        st.caption(f":material/warning: {plain(warning)}")


ROLE_FILTER_USED = "Gebruikte kolommen"
ROLE_FILTER_ALL = "Alle kolommen"
MANY_COLUMNS = 25  # above this, the editor starts with only the columns that are used
ROL_PX = 180  # the longest role ('Stelling (voor profielen)') in full, half a phone's width


def mapping_editor(parsed: ParsedFile, known: dict | None) -> dict[str, str]:
    """Table editor for the role of each column; returns column → role.

    A file with many variables (a Burgerpeiling has about 180) starts with only the columns
    that get a role; the officer filters by role or searches the question text, and every
    edit is kept in session state, so a filter never loses a choice.
    """
    store_key = f"roles_state_{parsed.content_hash}_{parsed.sheet or ''}"
    if store_key not in st.session_state:
        roles = {q["column"]: q["role"] for q in parsed.questions}
        if known:
            roles.update({c: r for c, r in known.get("roles", {}).items() if c in roles})
        st.session_state[store_key] = roles
    roles = st.session_state[store_key]
    questions = list(parsed.questions)
    shown, view_key = questions, ""
    if len(questions) > MANY_COLUMNS:
        used = sum(1 for q in questions if roles[q["column"]] != "ignore")
        left, right = st.columns([1, 1])
        view = left.selectbox(
            "Toon", [ROLE_FILTER_USED, ROLE_FILTER_ALL, *ROLE_LABELS.values()],
            key=f"view_{store_key}",
            help=f"Dit bestand heeft {len(questions)} kolommen; {used} daarvan gebruikt "
                 "Bereikwijzer. Kies welke u wilt zien.")
        search = right.text_input("Zoek in kolom of vraag", key=f"search_{store_key}",
                                  placeholder="bijv. leeftijd of veiligheid").strip().casefold()
        if view == ROLE_FILTER_USED:
            shown = [q for q in questions if roles[q["column"]] != "ignore"]
        elif view != ROLE_FILTER_ALL:
            shown = [q for q in questions if roles[q["column"]] == ROLE_FROM_LABEL.get(view)]
        if search:
            shown = [q for q in shown if search in f"{q['column']} {q.get('text', '')}".casefold()]
        st.caption(f"{len(shown)} van {len(questions)} kolommen getoond.")
        view_key = f"_{view}_{search}"
    table = pd.DataFrame({
        "Kolom": [q["column"] for q in shown],
        "Vraag": [_question_text(q) for q in shown],
        "Soort": [KIND_LABELS.get(q["kind"], q["kind"]) for q in shown],
        "Rol": [ROLE_LABELS.get(roles[q["column"]], roles[q["column"]]) for q in shown],
    }, columns=["Kolom", "Vraag", "Soort", "Rol"])
    labelled = any(_question_text(q) for q in questions)
    short = max(len(str(q["column"])) for q in questions) <= 12
    edited = st.data_editor(
        table, key=f"roles_{parsed.content_hash}_{parsed.sheet or ''}{view_key}",
        hide_index=True, width="stretch", disabled=["Kolom", "Vraag", "Soort"],
        height=table_height(len(table)),  # every row at once: no scrolling inside the table
        # Rol first: on a phone (390 px) the role and the start of the column's name are on
        # screen, the rest scrolls sideways (Rol last was off-screen); a label column only
        # when the file has labels (SPSS: wl02_0 next to its question)
        column_order=["Rol", "Kolom", "Vraag", "Soort"] if labelled else ["Rol", "Kolom", "Soort"],
        column_config={
            "Kolom": st.column_config.TextColumn(
                "Kolom", width=("large" if not labelled else "small" if short else "medium"),
                help="De naam van de kolom of variabele in het bestand."),
            "Vraag": st.column_config.TextColumn(
                "Vraag", width="large", help="De vraagtekst of het variabelelabel uit het bestand."),
            "Soort": st.column_config.TextColumn(
                "Soort", width="medium", help="Wat voor antwoorden de kolom heeft."),
            "Rol": st.column_config.SelectboxColumn(
                "Rol", options=list(ROLE_LABELS.values()), required=True, width=ROL_PX,
                help="Wat Bereikwijzer met deze kolom doet. Pas aan als de suggestie niet klopt.")})
    for column, role in zip(edited["Kolom"], edited["Rol"]):
        roles[column] = ROLE_FROM_LABEL.get(role, "ignore")
    return dict(roles)


def _question_text(question: dict) -> str:
    """The question or variable label, when it says more than the column name."""
    text = str(question.get("text") or "")
    return "" if text == question["column"] else text


def sheet_key(content_hash: str) -> str:
    return f"sheet_{content_hash}"


def parse_with_sheet(data: bytes, file_name: str) -> ParsedFile:
    """Read a file; when the user picked another worksheet (see sheet_picker), read that one."""
    parsed = parse_upload(data, file_name)
    picked = st.session_state.get(sheet_key(parsed.content_hash))
    if picked and picked != parsed.sheet and picked in parsed.sheets:
        chosen = parse_upload(data, file_name, picked)
        return replace(chosen, sheets=parsed.sheets) if chosen.error else chosen  # keep the picker
    return parsed


def sheet_picker(parsed: ParsedFile, detected: str | None) -> None:
    """A worksheet choice for a workbook with several sheets (default: the detected one)."""
    if len(parsed.sheets) < 2:
        return
    key = sheet_key(parsed.content_hash)
    if key not in st.session_state and detected in parsed.sheets:
        st.session_state[key] = detected
    st.selectbox("Werkblad", parsed.sheets, key=key,
                 help="Dit bestand heeft meerdere werkbladen. Bereikwijzer koos het blad dat het "
                      "meest op antwoorden lijkt; kies een ander blad als dat niet klopt.")


def show_file(parsed: ParsedFile, project, detected: str | None = None
              ) -> tuple[dict[str, str], str, dict[str, str]] | None:
    with st.expander(plain(parsed.file_name), expanded=True, icon=":material/description:"):
        sheet_picker(parsed, detected if detected is not None else parsed.sheet)
        if parsed.error:
            st.error(plain_lines(parsed.error), icon=":material/block:")
            return None
        show_detection(parsed)
        show_typology_preview(parsed.extra)
        known = state.known_mapping(project, parsed.mapping.fingerprint)
        if known:
            st.success("Dit formulier kennen we al: de rollen en het kanaal van de vorige keer "
                       "zijn ingevuld.", icon=":material/sync:")
        default = (known or {}).get("channel") or parsed.channel
        default = default if default in CHANNELS else "online"
        channel = st.selectbox("Kanaal", CHANNELS, index=CHANNELS.index(default),
                               key=f"channel_{parsed.content_hash}", format_func=str.capitalize,
                               help="Hoe zijn deze antwoorden verzameld? Bereikwijzer kiest dit uit "
                                    "het soort bestand (online enquête, papieren formulier, "
                                    "gesprekkenlijst). Dit kunt u later per kanaal vergelijken.")
        st.markdown("**Rollen van de kolommen** (controleer de suggesties)")
        roles = mapping_editor(parsed, known)
        return roles, channel, matching_editor(parsed, project, roles)


NEW_QUESTION = "Nieuwe vraag"


def matching_editor(parsed: ParsedFile, project, roles: dict[str, str]) -> dict[str, str]:
    """Which statements of this file are the same as statements of earlier files (or of
    other tools); the officer corrects a match by picking another question. Returns the
    corrections as {column: key}."""
    known = state.known_statements(project)
    if not known or not any(role == "item" for role in roles.values()):
        return {}
    try:
        rows = [r for r in state.matching(project, parsed, roles) if r.get("kind") == "item"]
    except Exception:  # matching is a help; the import itself still works
        log.exception("Koppelen van stellingen mislukt")
        return {}
    if not rows:
        return {}
    label_of = {key: str(text) for key, text in known.items()}
    options = [NEW_QUESTION, *dict.fromkeys(label_of.values())]
    key_of = {label: key for key, label in label_of.items()}
    same = sum(1 for r in rows if r["key"] in known)
    st.markdown(f"**Dezelfde stellingen als eerder** ({same} van {len(rows)} herkend)")
    st.caption("Bereikwijzer legt elke stelling naast de stellingen van eerdere bestanden, ook "
               "als een ander programma ze iets anders schrijft. Klopt een koppeling niet, kies "
               "dan de juiste vraag of 'Nieuwe vraag'.")
    table = pd.DataFrame({
        "Kolom": [r["column"] for r in rows],
        "Zelfde vraag als": [label_of.get(r["key"], NEW_QUESTION) for r in rows],
        "Zekerheid": [f"{round(float(r.get('score') or 0))}%" if r["key"] in known else "" for r in rows],
    })
    edited = st.data_editor(
        table, key=f"match_{parsed.content_hash}_{parsed.sheet or ''}", hide_index=True,
        width="stretch", disabled=["Kolom", "Zekerheid"],
        column_config={"Zelfde vraag als": st.column_config.SelectboxColumn(
            "Zelfde vraag als", options=options, required=True,
            help="De vraag uit een eerder bestand die dezelfde stelling is.")})
    corrections: dict[str, str] = {}
    for row, choice in zip(rows, edited["Zelfde vraag als"]):
        before = label_of.get(row["key"], NEW_QUESTION)
        if choice == before:
            continue
        corrections[row["column"]] = key_of[choice] if choice != NEW_QUESTION else separate_key(
            row["column"], known)
    return corrections


UPLOAD_ROUND = "_upload_round"  # part of the uploader's key: a new round = an empty uploader
RESULTS_KEY = "_import_results"  # what the last import said, shown after the rerun


def import_all(project, chosen: list[tuple[ParsedFile, bytes, dict[str, str], str, dict[str, str]]]) -> None:
    """Import the chosen files; then start over with an empty uploader (when every file
    went in) and show what happened at the top of the page."""
    bar = st.progress(0.0, text="Importeren…")
    messages: list[tuple[str, str]] = []
    failed = False
    for i, (parsed, data, roles, channel, keys) in enumerate(chosen, start=1):
        try:
            outcome = state.add_import(project, parsed, roles, channel, data, keys=keys)
        except (SurveyImportError, StoreError) as error:
            failed = True
            messages.append(("error", plain_lines(str(error))))
        else:
            try:
                save_typology(project, parsed)
            except StoreError as error:  # the answers are in; only the typology is missing
                messages.append(("caption", f":material/warning: {plain(parsed.file_name)}: de typologie van "
                                            f"de Burgerpeiling is niet bewaard ({plain(str(error))})."))
            if outcome.already_imported:
                messages.append(("info", f"{plain(parsed.file_name)} was al geïmporteerd in dit project; "
                                         "er is niets toegevoegd."))
            else:
                note = (f" {num(outcome.duplicates)} antwoorden stonden er al in en zijn overgeslagen."
                        if outcome.duplicates else "")
                messages.append(("success", f"{plain(parsed.file_name)}: {num(outcome.new)} nieuwe "
                                            f"antwoorden toegevoegd.{note}"))
                # incl. the rows that do not count, per reason
                messages.extend(("caption", f":material/warning: {plain(_with_file(w, parsed.file_name))}")
                                for w in outcome.warnings)
        bar.progress(i / len(chosen), text=f"{i} van {len(chosen)} bestanden verwerkt")
    st.session_state[RESULTS_KEY] = messages
    if not failed:  # a file that did not go in stays chosen, so the officer can fix and retry
        st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1
    st.rerun()


def _with_file(warning: str, file_name: str) -> str:
    """A warning of one file, with the file's name in front when it does not say which."""
    return warning if file_name in warning else f"{file_name}: {warning}"


def show_results() -> None:
    """What the last click on Importeer did, once, above the (now empty) uploader."""
    messages = st.session_state.pop(RESULTS_KEY, None)
    if not messages:
        return
    icons = {"error": ":material/block:", "info": ":material/info:", "success": ":material/check_circle:"}
    added = sum(1 for kind, _ in messages if kind == "success")
    # no st.toast: Streamlit draws it as a dialog without a name (axe: aria-dialog-name)
    done = [text for kind, text in messages if kind == "success"]
    if len(done) > 1:  # one box for the files that went in, not a box per file
        st.success(f"{len(done)} bestanden geïmporteerd:\n" + "\n".join(f"- {t}" for t in done),
                   icon=icons["success"])
    for kind, text in messages:
        if kind == "caption":
            st.caption(text)
        elif kind != "success" or len(done) == 1:
            getattr(st, kind)(text, icon=icons[kind])
    if added:
        st.page_link("ui/pages/bereik.py", label="Bekijk de uitkomst", icon=":material/groups:")


MARKED_KEY = "_rows_marked"


def rows_text(count: int) -> str:
    """'1 rij', '3 rijen' (never 'rij(en)')."""
    return plural(count, "rij", "rijen")


def show_excluded(project, imports: pd.DataFrame) -> None:
    """Rows that do not count, with their file and row, and the override; and a form to
    mark rows by hand (a test entry, someone who does not live in the buurt)."""
    rows = state.excluded_rows(project)
    if rows.empty and imports.empty:
        return
    title = f"Niet meegeteld ({num(len(rows))} rijen)" if not rows.empty else "Niet meegeteld"
    with st.expander(title, icon=":material/filter_alt:", expanded=MARKED_KEY in st.session_state):
        if MARKED_KEY in st.session_state:
            st.success(st.session_state.pop(MARKED_KEY), icon=":material/check_circle:")
        st.caption("Deze rijen zijn geen bewoners die meededen: een testinvoer, een voorbeeld, "
                   "een inzending die niet is goedgekeurd of iemand die niet in de buurt woont. "
                   "Ze tellen nergens mee.")
        if not rows.empty:
            st.caption("Vink aan wat toch mee moet tellen.")
            table = rows.drop(columns=["import_id"]).assign(**{"Toch meetellen": False})
            edited = st.data_editor(table, key="excluded_override", hide_index=True, width="stretch",
                                    disabled=["Bestand", "Rij", "Reden"],
                                    height=table_height(len(table)) if len(table) <= 30 else "auto")
            picked = rows[edited["Toch meetellen"].to_numpy(dtype=bool)]
            if not picked.empty and st.button(f"Laat {rows_text(len(picked))} toch meetellen"):
                changed = sum(state.count_anyway(project, import_id, group["Rij"].dropna().astype(int).tolist())
                              for import_id, group in picked.groupby("import_id"))
                st.session_state[MARKED_KEY] = (f"{rows_text(changed)} "
                                                f"{'telt' if changed == 1 else 'tellen'} nu mee.")
                st.rerun()
        if not imports.empty:
            mark_rows_form(project, imports)


def mark_rows_form(project, imports: pd.DataFrame) -> None:
    """Mark rows of one file as not counting, by the row number the spreadsheet shows."""
    st.markdown("**Rijen zelf uitzetten**")
    st.caption("Was een rij een test, of woont iemand niet in de buurt? Kies het bestand, vul de "
               "rijnummers in zoals het rekenblad ze toont (dezelfde nummers als in de kolom **Rij** "
               "hierboven) en kies de reden.")
    with st.form("mark_rows", clear_on_submit=False):
        names = dict(zip(imports["id"], imports["Bestand"]))
        left, middle, right = st.columns([2, 1.4, 1.4])
        import_id = left.selectbox("Bestand", list(names), format_func=lambda i: str(names[i]),
                                   key="mark_import")
        text = middle.text_input("Rijnummers", placeholder="bijv. 3, 7-9", key="mark_rows_text")
        reason = right.selectbox("Reden", MARK_REASONS, key="mark_reason",
                                 format_func=lambda r: str(EXCLUSION_LABELS.get(r, r)).capitalize())
        if st.form_submit_button("Niet meetellen", icon=":material/filter_alt:"):
            try:
                numbers = parse_rows(text)
                changed = mark_rows(project, import_id, numbers, reason)
            except (ValueError, StoreError) as error:
                st.error(plain_lines(str(error)), icon=":material/block:")
                return
            if changed:
                st.session_state[MARKED_KEY] = (
                    f"{rows_text(changed)} uit {plain(names[import_id])} "
                    f"{'telt' if changed == 1 else 'tellen'} niet meer mee "
                    f"({EXCLUSION_LABELS.get(reason, reason)}).")
                st.rerun()
            st.warning(f"Geen van deze rijen staat in {plain(names[import_id])}. Controleer de "
                       "rijnummers.", icon=":material/info:")


def show_imports(project) -> pd.DataFrame:
    st.header("Geïmporteerde bestanden")  # h2 under the h1: headings go one level down
    imports = state.imports(project)
    if imports.empty:
        st.caption("Nog geen bestanden in dit project.")
        return imports
    # a table on a screen, one card per file on a phone (a grid hid Kanaal, Antwoorden and
    # the date sideways at 390 px)
    shown = imports.drop(columns=["id"])
    for column in ("Antwoorden bewaard", "Al eerder gezien"):
        shown[column] = [num(v) for v in shown[column]]
    stacked_table(shown, row_header=True, numbers=("Antwoorden bewaard", "Al eerder gezien"))
    st.caption("Antwoorden bewaard: hoeveel antwoorden uit het bestand in het project staan. Al "
               "eerder gezien: antwoorden die al in een eerder bestand stonden (zelfde persoon, "
               "zelfde formulier); die tellen maar één keer mee. Alleen de antwoorden zonder "
               "persoonsgegevens zijn bewaard; het bestand zelf niet.")
    pick = st.selectbox("Import verwijderen", [None, *imports["id"]], key="remove_import",
                        format_func=lambda i: "Kies een import…" if i is None else
                        str(imports.loc[imports["id"] == i, "Bestand"].iloc[0]),
                        help="Verwijdert de import en al zijn antwoorden uit dit project.")
    if pick is not None and st.button("Verwijder deze import", type="secondary"):
        state.remove_import(project, pick)
        forget_typology(project, str(imports.loc[imports["id"] == pick, "Bestand"].iloc[0]))
        st.rerun()
    return imports


def chosen_files(project, files: list) -> list[tuple[ParsedFile, bytes, dict[str, str], str, dict[str, str]]]:
    """Read the uploaded files (with a progress bar), show each one, and return the files
    that can be imported with their roles, channel and statement keys."""
    bar = st.progress(0.0, text="Bestanden lezen…")
    parsed_files = []
    for i, f in enumerate(files, start=1):
        detected = parse_upload(f.getvalue(), f.name)
        parsed_files.append((parse_with_sheet(f.getvalue(), f.name), detected.sheet))
        bar.progress(i / len(files), text=f"{i} van {len(files)} bestanden gelezen")
    bar.empty()
    chosen = []
    for (parsed, sheet), f in zip(parsed_files, files):
        result = show_file(parsed, project, sheet)
        if result is not None:
            roles, channel, keys = result
            chosen.append((parsed, f.getvalue(), roles, channel, keys))
    return chosen
