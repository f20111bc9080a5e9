"""The parts of the Project page: projects, the buurt and its population, targets, retention.

The page script (ui/pages/project.py) only orders these sections; here they can be imported
and read on their own. Nothing here calls Streamlit at import time.
"""
from __future__ import annotations

import io
import json
import logging

import pandas as pd
import streamlit as st

from engagement.vocabulary import group_label
from reference.load import (
    ReferenceDataError as CbsReferenceError,
    describe_reference,
    load_cbs,
    search_areas,
)
from surveys.categories import DIMENSION_LABELS, DIMENSIONS
from surveys.errors import SurveyImportError
from surveys.numbers import dutch
from ui import joint_table, state, upload_limits
from ui.widgets import (
    parse_targets,
    plain,
    plain_lines,
    table_height,
)

log = logging.getLogger("bereikwijzer.ui")
KWB_YEARS = list(range(2025, 2018, -1))
SAVED_KEY = "_reference_saved"
CREATED_KEY = "_project_created"
JOINT_ROUND_KEY = "_joint_round"
JOINT_UPLOAD_LABEL = "Tabel leeftijd × herkomst, woningbezit of huishouden (.csv of .xlsx)"
SOURCES = ("Buurt zoeken in een CBS-bestand", "Eigen tabel (bijv. BRP-cijfers)", "CBS open data (internet)")
CUSTOM_HELP = (
    "Heeft u eigen bevolkingscijfers, bijvoorbeeld uit de BRP van de gemeente? Zet ze in een "
    "tabel met drie kolommen: **dimensie** (leeftijd, geslacht, huishouden, woning of herkomst), "
    "**categorie** (de groep) en **aantal** (hoeveel inwoners, huishoudens of woningen). "
    "Eén rij per groep. U hoeft niet alle dimensies te vullen.")
CUSTOM_EXAMPLE = """dimensie;categorie;aantal
leeftijd;0-17;412
leeftijd;18-29;388
leeftijd;30-44;401
leeftijd;45-64;520
leeftijd;65+;310
geslacht;man;1010
geslacht;vrouw;1021
huishouden;alleenstaand;480
huishouden;paar zonder kinderen;260
huishouden;met kinderen;300
woning;koopwoning;390
woning;corporatie;520
woning;particuliere huur;130
herkomst;Nederland;1300
herkomst;Europa;250
herkomst;Buiten Europa;481
"""


# A KWB file or an own table is an upload: read in the bounded child after the shape
# check (ui.upload_limits.reference_bounded), cached on the bytes so reruns are free.
READ_ERRORS = (CbsReferenceError, SurveyImportError)


def _limit() -> int:
    return upload_limits.limit_bytes(st.get_option("server.maxUploadSize"))


@st.cache_data(max_entries=8, show_spinner=False)
def _area_table(data: bytes, file_name: str, max_bytes: int) -> pd.DataFrame:
    return upload_limits.reference_bounded("list_areas", data, file_name, max_bytes)


@st.cache_data(max_entries=8, show_spinner=False)
def _kwb_reference(data: bytes, file_name: str, areas: tuple[str, ...], min_age: int,
                   max_bytes: int):
    return upload_limits.reference_bounded("load_kwb_file", data, file_name, max_bytes,
                                           areas=list(areas), min_age=min_age)


@st.cache_data(max_entries=8, show_spinner=False)
def _custom_reference(data: bytes, file_name: str, min_age: int, max_bytes: int):
    return upload_limits.reference_bounded("load_custom_reference", data, file_name, max_bytes,
                                           min_age=min_age)


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
                st.session_state[CREATED_KEY] = name.strip()
                st.rerun()
    if project is None:
        return
    with rename, st.form("rename_project"):
        name = st.text_input("Nieuwe naam", value=project.name, key="rename_name")
        if st.form_submit_button("Naam opslaan") and name.strip() and name.strip() != project.name:
            state.rename_project(project, name.strip())
            st.rerun()
    with delete:
        st.write(f"Verwijder **{plain(project.name)}** met alle imports en antwoorden. Dit kan niet "
                 "ongedaan worden gemaakt.")
        sure = st.checkbox(f"Ja, ik wil '{plain(project.name)}' definitief verwijderen",
                           key="confirm_delete")
        if st.button("Project verwijderen", type="secondary", disabled=not sure):
            state.delete_project(project)
            st.session_state.pop(state.PROJECT_KEY, None)
            st.rerun()


def search_kwb(project, min_age: int) -> None:
    """Search areas in a downloaded KWB file and use the chosen ones as the reference.

    Chosen areas stay in the list while the user searches again, so buurten with
    different names (e.g. Lombok and Welgelegen) can be summed into one area.
    """
    upload = st.file_uploader("KWB-bestand van het CBS (.xlsx of .csv)", type=["xlsx", "csv"],
                              key="kwb_upload", help="Download 'Kerncijfers wijken en buurten' van "
                              "cbs.nl. Het bestand blijft alleen in het geheugen.")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        table = _area_table(data, upload.name, _limit())
    except READ_ERRORS as error:
        st.error(plain_lines(error), icon=":material/block:")
        return
    query = st.text_input("Zoek een buurt of wijk op naam of code", placeholder="Bijv. Transvaal of BU0518",
                          key="area_query",
                          help="Zoek daarna gerust opnieuw: wat u al koos, blijft gekozen.")
    chosen_before = [c for c in st.session_state.get("area_choice", []) if c in set(table["code"])]
    hits = search_areas(query, table) if query.strip() else table.iloc[0:0]
    if query.strip() and hits.empty:
        st.info("Geen gebied gevonden. Probeer een deel van de naam of de code.")
    if not chosen_before and hits.empty:
        return
    options = chosen_before + [c for c in hits["code"] if c not in chosen_before]
    names = {r.code: f"{r.name} ({r.kind}, {r.gemeente})"
             for r in table[table["code"].isin(options)].itertuples()}
    chosen = st.multiselect("Kies een of meer gebieden", options, format_func=lambda c: f"{c} – {names[c]}",
                            key="area_choice", placeholder="Kies een gebied uit de zoekresultaten",
                            select_all=False,
                            help="Kiest u meerdere buurten, dan tellen we ze op tot één gebied.")
    if len(chosen) > 1:
        st.caption(f"{len(chosen)} gebieden gekozen: de bevolkingscijfers worden opgeteld.")
    if chosen and st.button("Gebruik deze gebieden", type="primary"):
        try:
            with st.spinner("Bevolkingscijfers ophalen…"):
                ref = _kwb_reference(data, upload.name, tuple(chosen), min_age, _limit())
        except READ_ERRORS as error:
            st.error(plain_lines(error), icon=":material/block:")
            return
        _save_reference(project, ref)


def custom_reference(project, min_age: int) -> None:
    """Use a table the team made itself (e.g. BRP figures from the gemeente)."""
    st.markdown(CUSTOM_HELP)
    with st.expander("Voorbeeld van de indeling", expanded=False):
        st.dataframe(pd.read_csv(io.StringIO(CUSTOM_EXAMPLE), sep=";"), hide_index=True)
        st.caption("Leeftijd mag per jaar (18, 19, …) of in groepen (18-29, 65+). Namen mogen ook "
                   "in het Engels (dimension, category, count). Een lege of onbekende rij laten we "
                   "weg en melden we.")
        st.download_button("Download dit voorbeeld (CSV)", CUSTOM_EXAMPLE.encode("utf-8-sig"),
                           file_name="voorbeeld_eigen_referentie.csv", mime="text/csv")
    upload = st.file_uploader("Eigen tabel (.csv of .xlsx)", type=["csv", "xlsx"], key="custom_upload",
                              help="Het bestand blijft alleen in het geheugen; we bewaren alleen de "
                                   "aantallen per groep bij het project.")
    if upload is None:
        return
    try:
        ref = _custom_reference(upload.getvalue(), upload.name, min_age, _limit())
    except READ_ERRORS as error:
        st.error(f"{plain_lines(error)}\n\nPas het bestand aan en upload het opnieuw. Kijk bij **Voorbeeld van "
                 "de indeling** hoe het eruit moet zien.", icon=":material/block:")
        return
    except Exception:  # any unreadable file gets a Dutch message
        log.exception("Eigen referentie niet leesbaar")
        st.error(f"Het bestand '{plain(upload.name)}' kan niet gelezen worden. Sla het op als CSV of "
                 "Excel (.xlsx) met de kolommen dimensie, categorie en aantal.", icon=":material/block:")
        return
    show_reference(ref, st.success, "Gelezen:  \n", ":material/check:")
    if st.button("Gebruik deze tabel", type="primary", key="use_custom"):
        _save_reference(project, ref)


def _lines(text: str) -> str:
    """describe_reference text as Markdown: keep its line breaks and its '- ' lists; area
    and group names come from the user's files, so every line is shown as typed."""
    return plain_lines(text)


def _as_list(block: str) -> str:
    """A describe_reference block with its indented group lines as '- ' items."""
    return "\n".join("- " + line.strip() if line.startswith("  ") else line for line in block.splitlines())


def group_figures(ref) -> list[str]:
    """Per kenmerk a heading and a '- ' line per group: its count and share, from the CLI's
    describe_reference (one naming rule for both: an age band from the minimum age, '18 tot
    25 jaar', and every share with one decimal)."""
    return [_as_list(block) for block in describe_reference(ref).split("\n\n")
            if any(line.startswith("  ") for line in block.splitlines())]


def show_reference(ref, box=st.info, heading: str = "", icon: str = ":material/map:") -> None:
    """The area, year, totals and source in a box; the figures per group in an expander."""
    parts = describe_reference(ref).split("\n\n")
    head = [parts[0]] + [p for p in parts[1:] if p.startswith("Bron")]
    rest = [_as_list(p) for p in parts[1:] if not p.startswith("Bron")]
    box(heading + "\n\n".join(_lines(p) for p in head), icon=icon)
    if rest:
        with st.expander("Alle cijfers per groep"):
            st.markdown("\n\n".join(_lines(p) for p in rest))
            st.caption("'geschat' = CBS geeft dit getal niet precies voor deze groep; Bereikwijzer "
                       "rekent het uit de CBS-totalen en rondt het af op hele aantallen. De groepen "
                       "van een kenmerk tellen daardoor niet altijd precies op tot het totaal: het "
                       "CBS rondt de aantallen per buurt ook zelf af op vijftallen.")


JOINT_HELP = (
    "Het CBS geeft herkomst en woningbezit (koop of huur) per buurt alleen voor **alle "
    "leeftijden**, dus ook voor kinderen. Voor de inwoners vanaf de minimumleeftijd weten we "
    "daarom niet precies hoe groot die groepen zijn. Zonder extra tabel blijven ze daardoor vaak "
    "**'onzeker'** op de pagina Bereik. Heeft u een tabel van leeftijd × herkomst of leeftijd × "
    "woningbezit, bijvoorbeeld van de hele gemeente (CBS StatLine of de BRP)? Dan nemen we daaruit "
    "alleen de verhouding tussen leeftijd en groep over. De aantallen per leeftijd en per groep "
    "blijven die van de buurt. Een tabel van leeftijd × huishouden (bijvoorbeeld uit de BRP) kan "
    "ook: dan weten we hoeveel jongeren onder de minimumleeftijd niet bij hun ouders wonen.")
JOINT_EXAMPLE = """leeftijd;herkomst;aantal
0-14;Nederland;3100
0-14;Europa;900
0-14;Buiten Europa;4200
15-24;Nederland;2900
15-24;Europa;800
15-24;Buiten Europa;3300
25-44;Nederland;6100
25-44;Europa;2600
25-44;Buiten Europa;5200
45-64;Nederland;6900
45-64;Europa;1500
45-64;Buiten Europa;4100
65+;Nederland;6200
65+;Europa;700
65+;Buiten Europa;1500
"""


@st.cache_data(max_entries=8, show_spinner=False)
def _joint_reference(ref_json: str, data: bytes, file_name: str, max_bytes: int):
    """The reference with origin or tenure split by age (cached on the reference and bytes)."""
    ref = state.reference_from_dict(json.loads(ref_json))
    return joint_table.apply_joint_bounded(ref, data, file_name, max_bytes=max_bytes,
                                           timeout=upload_limits.timeout_seconds(),
                                           memory_mb=upload_limits.memory_mb())


def joint_section(project, ref) -> None:
    """Optional: an age × origin or age × tenure table, so those groups need not stay 'onzeker'."""
    with st.expander("Tabel leeftijd × herkomst, woningbezit of huishouden (bijv. van de gemeente)",
                     expanded=False):
        st.markdown(JOINT_HELP)
        done = joint_table.joined_groups(ref.notes)
        if done:
            st.caption(f"Al naar leeftijd verdeeld: {', '.join(plain(g) for g in done)}. De "
                       "aanname staat bij **Alle cijfers per groep** hierboven.")
        st.caption("Een tabel met drie kolommen: **leeftijd** (per jaar of in groepen, bijv. 0-14, "
                   "65+), **herkomst**, **woning** of **huishouden** (de groep) en **aantal**. Alle leeftijden, dus "
                   "ook de kinderen, en alle groepen die de buurt heeft.")
        st.download_button("Download een voorbeeld (CSV)", JOINT_EXAMPLE.encode("utf-8-sig"),
                           file_name="voorbeeld_leeftijd_herkomst.csv", mime="text/csv",
                           key="joint_example")
        # a new key after saving empties the upload: the saved reference is already split
        round_ = st.session_state.get(JOINT_ROUND_KEY, 0)
        upload = st.file_uploader(JOINT_UPLOAD_LABEL, type=["csv", "xlsx"], key=f"joint_upload_{round_}",
                                  help="Het bestand blijft alleen in het geheugen; we bewaren alleen "
                                       "de aangepaste aantallen per groep bij het project.")
        if upload is None:
            return
        try:
            new = _joint_reference(json.dumps(ref.to_dict(), sort_keys=True), upload.getvalue(),
                                   upload.name, _limit())
        except READ_ERRORS as error:
            st.error(f"{plain_lines(error)}\n\nPas het bestand aan en upload het opnieuw.",
                     icon=":material/block:")
            return
        except Exception:  # any unreadable file gets a Dutch message
            log.exception("Tabel leeftijd × groep niet leesbaar")
            st.error(f"Het bestand '{plain(upload.name)}' kan niet gelezen worden. Sla het op als CSV "
                     "of Excel (.xlsx) met de kolommen leeftijd, herkomst (of woning) en aantal.",
                     icon=":material/block:")
            return
        added = new.assumptions[len(ref.assumptions):]
        st.success("Gelezen. Zo verandert de verdeling:  \n"
                   + "\n".join(f"- {plain(line)}" for line in _changes(ref, new))
                   + "\n\n**Aanname:** " + " ".join(plain(a) for a in added),
                   icon=":material/check:")
        if st.button("Gebruik deze verdeling", type="primary", key="use_joint"):
            st.session_state[JOINT_ROUND_KEY] = round_ + 1
            _save_reference(project, new)


def _changes(old, new) -> list[str]:
    """Per changed group: its share among the eligible before and after the table."""
    lines = []
    for dim, counts in new.dimensions.items():
        before = old.dimensions.get(dim, {})
        if counts == before:
            continue
        total_old, total_new = sum(before.values()) or 1.0, sum(counts.values()) or 1.0
        for cat, count in counts.items():
            lines.append(f"{group_label(cat, new.min_age)}: {_pct(before.get(cat, 0.0) / total_old)} "
                         f"→ {_pct(count / total_new)} ({DIMENSION_LABELS.get(dim, dim).lower()})")
    return lines


def _pct(share: float) -> str:
    return f"{dutch(share * 100, 1)}%"


def fetch_cbs(project, min_age: int) -> None:
    year = st.selectbox("Jaar", KWB_YEARS, index=1, help="Het jaar van de CBS-cijfers (1 januari).")
    codes = st.text_input("Gebiedscodes, gescheiden door komma's", placeholder="BU0363AA02, BU0363AA03")
    if st.button("Ophalen bij het CBS (internet)") and codes.strip():
        areas = [c.strip().upper() for c in codes.split(",") if c.strip()]
        try:
            with st.spinner("Cijfers ophalen bij het CBS…"):
                ref = load_cbs(int(year), areas=areas, min_age=min_age)
        except CbsReferenceError as error:
            st.error(plain_lines(error), icon=":material/block:")
            return
        except OSError:
            log.exception("CBS open data niet bereikbaar")
            st.error("Het CBS is nu niet bereikbaar. Controleer de internetverbinding of kies "
                     "'Buurt zoeken in een CBS-bestand'.", icon=":material/wifi_off:")
            return
        _save_reference(project, ref)


def _save_reference(project, ref) -> None:
    """Keep the reference with the project; confirm it after the rerun (the top of the
    section, where the summary shows, may be scrolled out of view)."""
    state.set_reference(project, ref)
    names = " + ".join(name or code for code, name in ref.areas) or "eigen tabel"
    st.session_state[SAVED_KEY] = f"Bevolkingscijfers opgeslagen: {plain(names)}."
    st.rerun()


def reference_section(project) -> None:
    st.header("Buurt en bevolking")
    if SAVED_KEY in st.session_state:
        # a box, not st.toast: Streamlit draws a toast as a dialog without a name (axe)
        st.success(st.session_state.pop(SAVED_KEY), icon=":material/check_circle:")
    ref = state.reference(project)
    if ref is not None:
        show_reference(ref)
        joint_section(project, ref)
    else:
        st.caption("Nog geen buurt gekozen.")
    min_age = st.number_input("Minimumleeftijd van de doelgroep", 0, 100, value=project.min_age,
                              help="Vraagt uw enquête naar mensen van 16 of 18 jaar en ouder? "
                                   "Dan vergelijken we alleen met inwoners vanaf die leeftijd.")
    if ref is not None and ref.min_age != int(min_age):
        st.warning(f"De cijfers hierboven gelden voor {ref.min_age} jaar en ouder. Kies de buurt of "
                   f"tabel hieronder opnieuw om {int(min_age)} jaar en ouder te gebruiken.",
                   icon=":material/info:")
    source = st.radio("Waar komen de bevolkingscijfers vandaan?", SOURCES, horizontal=True,
                      key="reference_source",
                      help="Meestal: zoek uw buurt in het KWB-bestand van het CBS. Heeft de "
                           "gemeente eigen (BRP-)cijfers, kies dan een eigen tabel.")
    if source == SOURCES[0]:
        search_kwb(project, int(min_age))
    elif source == SOURCES[1]:
        custom_reference(project, int(min_age))
    else:
        fetch_cbs(project, int(min_age))


def _target_text(share: float | None) -> str:
    return "" if share is None else f"{share * 100:g}".replace(".", ",")


def _target_groups(ref) -> dict[str, list[str]]:
    """The groups a team can set a target for: those the buurt figures have (a target for
    'Anders' bij geslacht, which CBS does not count, would compare with nothing). Without
    buurt figures, or where they name their groups otherwise, every group of the vocabulary."""
    groups = {}
    for dim, cats in DIMENSIONS.items():
        every = [c for c in cats if c != "0-15"]
        known = set(ref.dimensions.get(dim, {})) if ref is not None else set()
        shown = [c for c in every if c in known] or every
        if shown:
            groups[dim] = shown
    return groups


def targets_section(project) -> None:
    st.header("Doelen per groep")
    st.caption("Standaard streeft Bereikwijzer naar dezelfde verdeling als in de buurt. Wilt u "
               "een groep extra spreken (bijv. jongeren), vul dan hier een eigen aandeel in procenten "
               "in. Leeg = zoals in de buurt.")
    # one small editor per kenmerk (Groep and Doel): three columns in one editor cut 'Huishouden
    # zonder kinderen' and 'Woning (koop/huur)' at 390 px; side by side on a screen, stacked on a phone
    groups = _target_groups(state.reference(project))
    edited_rows: list[dict] = []
    for i, (dim, cats) in enumerate(groups.items()):
        if i % 3 == 0:  # rows of three, so a phone stacks them in the kenmerken's order
            columns = st.columns(3)
        rows = [{"Kenmerk": DIMENSION_LABELS[dim], "Groep": group_label(c, project.min_age, dim), "dim": dim,
                 "cat": c, "Doel (%)": _target_text(project.targets.get(dim, {}).get(c))}
                for c in cats]
        table = pd.DataFrame(rows)
        with columns[i % 3]:
            # A text column: an empty cell stays empty (a number column shows 'None').
            edited = st.data_editor(table, hide_index=True, width="stretch", disabled=["Kenmerk", "Groep"],
                                    height=table_height(len(table)), column_order=["Groep", "Doel (%)"],
                                    key=f"targets_editor_{dim}",
                                    column_config={
                                        "Groep": st.column_config.TextColumn(DIMENSION_LABELS[dim], width="medium"),
                                        "Doel (%)": st.column_config.TextColumn(
                                            "Doel (%)", width="small",
                                            help="Een getal van 0 tot 100, bijv. 20 of 12,5. Leeg = zoals in de buurt.",
                                            validate=r"^\s*(\d{1,3}([.,]\d+)?)?\s*$")})
        edited_rows += edited.to_dict("records")
    if st.button("Doelen opslaan"):
        targets, wrong = parse_targets(edited_rows)
        if wrong:
            st.error("Een doel is een getal van 0 tot 100. Pas aan: " + "; ".join(wrong),
                     icon=":material/block:")
            return
        state.set_targets(project, targets)
        st.success("De doelen zijn opgeslagen.")


def _day(moment: pd.Timestamp) -> str:
    return moment.tz_convert("Europe/Amsterdam").strftime("%d-%m-%Y")


def retention_text(months: int | None, last: pd.Timestamp | None,
                   now: pd.Timestamp | None = None) -> str:
    """One B1 sentence: when this project's answers will be deleted (or were)."""
    if not months:
        return ("Voor dit project is geen bewaartermijn ingesteld: de antwoorden blijven bewaard "
                "tot u het project verwijdert.")
    if last is None:
        return (f"Er zijn nog geen antwoorden. Na een import bewaren we de antwoorden {months} "
                "maanden; daarna verwijderen we ze.")
    until = last + pd.DateOffset(months=int(months))
    if until <= (now or pd.Timestamp.now(tz="UTC")):
        return (f"De bewaartermijn liep af op {_day(until)}. De antwoorden worden verwijderd bij de "
                "volgende start van Bereikwijzer (of zijn al verwijderd); alleen de tellingen per "
                "groep blijven over.")
    return (f"De antwoorden worden verwijderd op **{_day(until)}**: {months} maanden na de laatste "
            f"import ({_day(last)}). Daarna blijven alleen de tellingen per groep over, zonder "
            "antwoorden.")


def privacy_section(project) -> None:
    """Retention and AVG requests: how long answers are kept, export everything, delete."""
    st.header("Bewaren en AVG-verzoeken")
    months = project.settings.get("retention_months")
    last = state.last_import_at(project)
    st.markdown(retention_text(months, last))
    with st.form("retention_form"):
        chosen = st.number_input("Bewaartermijn in maanden na de laatste import", 1, 60,
                                 value=int(months or 12), step=1, key="retention_months",
                                 help="Na deze termijn verwijdert Bereikwijzer de antwoorden. Een "
                                      "nieuwe import start de termijn opnieuw.")
        if st.form_submit_button("Bewaartermijn opslaan"):
            state.set_retention(project, int(chosen))
            st.session_state[SAVED_KEY] = f"Bewaartermijn opgeslagen: {int(chosen)} maanden."
            st.rerun()
    st.download_button("Alles van dit project downloaden", state.export_callback(project),
                       file_name=f"bereikwijzer_{_slug(project.name)}_alles.json",
                       mime="application/json", key="export_all",
                       help="Voor een AVG-verzoek: het project, de imports, alle bewaarde "
                            "antwoorden (zonder namen of e-mailadressen) en het logboek, als "
                            "JSON-bestand. De download komt in het logboek.")
    st.caption("Iemand wil zijn gegevens laten verwijderen, of het project is klaar? Verwijder "
               "het hele project definitief bij **Verwijderen** bovenaan deze pagina.")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_") or "project"
