"""Project: choose, create, rename or delete a project; pick the buurt, year, min age, targets."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from surveys.categories import DIMENSION_LABELS, DIMENSIONS, label
from ui import analysis, state
from ui.widgets import fictional_banner, not_available, run_page

KWB_YEARS = list(range(2025, 2018, -1))


def manage_projects(project) -> None:
    new, rename, delete = st.tabs(["Nieuw project", "Naam wijzigen", "Verwijderen"])
    with new, st.form("new_project", clear_on_submit=True):
        name = st.text_input("Naam van het nieuwe project", placeholder="Bijv. Wijkaanpak Transvaal 2026",
                             key="new_project_name")
        if st.form_submit_button("Project aanmaken", type="primary"):
            if not name.strip():
                st.error("Geef het project een naam.")
            else:
                state.set_current(state.create_project(name.strip()))
                st.rerun()
    if project is None:
        return
    with rename, st.form("rename_project"):
        name = st.text_input("Nieuwe naam", value=project.name, key="rename_name")
        if st.form_submit_button("Naam opslaan") and name.strip() and name.strip() != project.name:
            state.rename_project(project, name.strip())
            st.rerun()
    with delete:
        st.write(f"Verwijder **{project.name}** met alle imports en antwoorden. Dit kan niet "
                 "ongedaan worden gemaakt.")
        sure = st.checkbox(f"Ja, ik wil '{project.name}' definitief verwijderen", key="confirm_delete")
        if st.button("Project verwijderen", type="secondary", disabled=not sure):
            state.delete_project(project)
            st.session_state.pop(state.PROJECT_KEY, None)
            st.rerun()


def search_kwb(project, min_age: int) -> None:
    """Search areas in a downloaded KWB file and use the chosen ones as the reference."""
    try:
        from engagement.reference import search_areas
    except ImportError:
        not_available("Zoeken in een CBS-bestand")
        return
    upload = st.file_uploader("KWB-bestand van het CBS (.xlsx of .csv)", type=["xlsx", "csv"],
                              key="kwb_upload", help="Download 'Kerncijfers wijken en buurten' van "
                              "cbs.nl. Het bestand blijft alleen in het geheugen.")
    if upload is None:
        return
    data = upload.getvalue()
    table = analysis.area_table(data, upload.name)
    query = st.text_input("Zoek een buurt of wijk op naam of code", placeholder="Bijv. Transvaal of BU0518",
                          key="area_query")
    if not query.strip():
        return
    hits = search_areas(query, table)
    if hits.empty:
        st.info("Geen gebied gevonden. Probeer een deel van de naam of de code.")
        return
    options = hits["code"].tolist()
    names = {r.code: f"{r.name} ({r.kind}, {r.gemeente})" for r in hits.itertuples()}
    chosen = st.multiselect("Kies een of meer gebieden", options, format_func=lambda c: f"{c} – {names[c]}",
                            key="area_choice",
                            help="Kiest u meerdere buurten, dan tellen we ze op tot één gebied.")
    if chosen and st.button("Gebruik deze gebieden", type="primary"):
        with st.spinner("Bevolkingscijfers ophalen…"):
            ref = analysis.kwb_reference(data, upload.name, tuple(chosen), min_age)
        state.set_reference(project, ref)
        st.rerun()


def fetch_cbs(project, min_age: int) -> None:
    try:
        from engagement.reference import load_cbs
    except ImportError:
        not_available("Ophalen bij CBS open data")
        return
    year = st.selectbox("Jaar", KWB_YEARS, index=1, help="Het jaar van de CBS-cijfers (1 januari).")
    codes = st.text_input("Gebiedscodes, gescheiden door komma's", placeholder="BU0363AA02, BU0363AA03")
    if st.button("Ophalen bij het CBS (internet)") and codes.strip():
        areas = [c.strip().upper() for c in codes.split(",") if c.strip()]
        with st.spinner("Cijfers ophalen bij het CBS…"):
            ref = load_cbs(int(year), areas=areas, min_age=min_age)
        state.set_reference(project, ref)
        st.rerun()


def reference_section(project) -> None:
    st.header("Buurt en bevolking")
    ref = state.reference(project)
    if ref is not None:
        try:
            from engagement.reference import describe_reference
            st.info(describe_reference(ref).replace("\n", "  \n"), icon=":material/map:")
        except ImportError:
            st.info("Gekozen: " + ", ".join(f"{n} ({c})" for c, n in ref.areas), icon=":material/map:")
    else:
        st.caption("Nog geen buurt gekozen.")
    min_age = st.number_input("Minimumleeftijd van de doelgroep", 0, 100, value=project.min_age,
                              help="Vraagt uw enquête naar mensen van 16 of 18 jaar en ouder? "
                                   "Dan vergelijken we alleen met inwoners vanaf die leeftijd.")
    source = st.radio("Waar komen de bevolkingscijfers vandaan?",
                      ["Zoeken in een KWB-bestand", "CBS open data (internet)"], horizontal=True)
    if source.startswith("Zoeken"):
        search_kwb(project, int(min_age))
    else:
        fetch_cbs(project, int(min_age))


def targets_section(project) -> None:
    st.header("Doelen per groep")
    st.caption("Standaard streeft Bereikwijzer naar dezelfde verdeling als in de buurt. Wilt u "
               "een groep extra spreken (bijv. jongeren), vul dan hier een eigen aandeel in procenten "
               "in. Leeg = zoals in de buurt.")
    rows = [{"Kenmerk": DIMENSION_LABELS[d], "Groep": label(c), "dim": d, "cat": c,
             "Doel (%)": (project.targets.get(d, {}).get(c) or float("nan")) * 100}
            for d, cats in DIMENSIONS.items() for c in cats if c != "0-15"]
    table = pd.DataFrame(rows)
    edited = st.data_editor(table, hide_index=True, width="stretch", disabled=["Kenmerk", "Groep"],
                            column_order=["Kenmerk", "Groep", "Doel (%)"], key="targets_editor",
                            column_config={"Doel (%)": st.column_config.NumberColumn(
                                min_value=0, max_value=100, step=1, format="%.0f%%")})
    if st.button("Doelen opslaan"):
        targets: dict[str, dict[str, float]] = {}
        for row in edited.to_dict("records"):
            value = row["Doel (%)"]
            if value is not None and value == value:
                targets.setdefault(row["dim"], {})[row["cat"]] = float(value) / 100
        state.set_targets(project, targets)
        st.success("De doelen zijn opgeslagen.")


def body() -> None:
    st.title("Project")
    if state.store() is None:
        not_available("Het opslaan van projecten")
        return
    project = state.current_project()
    if project is not None:
        fictional_banner(project.is_demo)
        st.markdown(f"Open project: **{project.name}**")
    manage_projects(project)
    if project is None:
        return
    reference_section(project)
    targets_section(project)


run_page(body)
