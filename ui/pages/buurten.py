"""Buurten: per buurt of the project how many people we spoke per 100 residents, which
groups we miss there and how many of them live there, on a map when the team gives the
CBS wijk- en buurtkaart (else as a ranked table). The analysis lives in engagement.areas
and reports.charts_areas; this page only collects the files and shows the results."""
from __future__ import annotations

import re

import streamlit as st

from engagement.areas import RESIDENTS_DEFINITION
from reference.build import ReferenceDataError
from reports.charts_areas import (
    areas_table,
    group_name,
    group_options,
    group_table,
    missing_on_map,
)
from surveys.errors import SurveyImportError
from ui import areas_cache, upload_limits
from ui.widgets import num, plain, plain_lines, project_data, run_page

UPLOADS = "_buurten_uploads"  # kind → (file name, bytes): CBS files and the team's tables only
NO_FILE_AREA = "(geen: via buurtcode of postcode)"
PER_100 = "Respondenten per 100 inwoners"
READ_ERRORS = (ReferenceDataError, SurveyImportError)



def _limit() -> int:
    return upload_limits.limit_bytes(st.get_option("server.maxUploadSize"))


def _upload(kind: str, label: str, types: list[str], help_text: str) -> tuple[str, bytes] | None:
    """An upload that survives a visit to another page (kept in session state)."""
    kept = st.session_state.setdefault(UPLOADS, {})
    upload = st.file_uploader(label, type=types, key=f"buurten_{kind}", help=help_text)
    if upload is not None:
        kept[kind] = (upload.name, upload.getvalue())
    elif kind in kept:
        name = kept[kind][0]
        left, right = st.columns([4, 1])
        left.caption(f"We gebruiken '{plain(name)}' (eerder geüpload).")
        if right.button("Vergeet", key=f"forget_{kind}"):
            kept.pop(kind, None)
            st.rerun()
    return kept.get(kind)


def _codes(text: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[,;\s]+", text) if c.strip()]


def _file_areas(respondents, buurten) -> dict[str, str]:
    """The buurt the team chose per imported file (kept in session state per project)."""
    if "source" not in respondents.columns:
        return {}
    files = sorted({str(s).rsplit("#", 1)[0] for s in respondents["source"].dropna()})
    names = dict(zip(buurten["code"], buurten["name"]))
    options = [NO_FILE_AREA] + list(names)
    chosen = {}
    for i, name in enumerate(files):
        pick = st.selectbox(f"Buurt voor alle antwoorden uit '{plain(name)}'", options,
                            key=f"buurten_file_{i}_{name}",
                            format_func=lambda c: c if c == NO_FILE_AREA else f"{names[c]} ({c})")
        if pick != NO_FILE_AREA:
            chosen[name] = pick
    return chosen


def _linking(respondents, data):
    """Optional: the team's postcode table and a buurt per file."""
    with st.expander("Respondenten aan buurten koppelen (postcodetabel, buurt per bestand)"):
        st.markdown("We koppelen elke respondent zo: eerst de eigen **buurtcode of buurtnaam**, dan "
                    "de **postcode** in uw postcodetabel, dan de postcode die volgens CBS het meest "
                    "voorkomt in een buurt (een benadering), en anders de **buurt van het bestand**. "
                    "Lukt dat niet, dan telt de respondent als *buurt onbekend*.")
        table = None
        upload = _upload("postcodes", "Postcodetabel (.csv of .xlsx, kolommen postcode en buurtcode)",
                         ["csv", "xlsx"], "Bijvoorbeeld het CBS-bestand 'Buurt, wijk en gemeente voor "
                         "postcode en huisnummer'. Eén rij per postcode (PC6 of PC4).")
        if upload is not None:
            table = areas_cache.postcode_table(upload[1], upload[0], _limit())
            st.caption(f"{num(table.rows)} postcodes gelezen uit '{plain(table.file_name)}'.")
        return table, _file_areas(respondents, data.buurten)


def _show_map_or_table(result, data):
    """The map (with the buurt file) or the ranked table; returns the geometry or None."""
    st.header("Waar wonen de mensen die we missen?")
    options = group_options(result)
    labels = {PER_100: None}
    for dim, cat, missed in options:
        labels[f"Gemist: {group_name(dim, cat)} (ongeveer {num(missed)} inwoners)"] = (dim, cat)
    choice = st.selectbox("Wat wilt u zien?", list(labels), key="buurten_measure",
                          help="Bereik per buurt, of per gemiste groep hoeveel inwoners we missen.")
    group = labels[choice]
    upload = _upload("geo", "CBS wijk- en buurtkaart (.gpkg of .geojson), voor een kaart",
                     ["gpkg", "geojson", "json"], "Download 'Wijk- en buurtkaart' van cbs.nl (elk jaar "
                     "werkt). De kaart werkt zonder internet.")
    geometry = None
    if upload is not None:
        try:
            with st.spinner("De buurtkaart wordt gelezen…"):
                geometry = areas_cache.geometry(upload[1], upload[0], tuple(data.rows["code"]), _limit())
        except READ_ERRORS as error:  # a wrong or broken map: say so, show the table instead
            st.error(plain_lines(error), icon=":material/block:")
    if geometry is not None:
        st.plotly_chart(areas_cache.map_figure(result, geometry, group), width="stretch")
        absent = missing_on_map(result, geometry)
        if absent:
            st.caption(f"Niet op de kaart: {plain(', '.join(absent[:8]))}"
                       f"{' …' if len(absent) > 8 else ''}. Past het jaar van de kaart bij de CBS-cijfers?")
        st.caption("Grijs: geen inwoners volgens CBS. Bij een gemiste groep ook grijs: nog niemand "
                   "gesproken, of minder dan 10 respondenten (dan tonen we geen groepen). Dezelfde "
                   "cijfers staan in de tabel hieronder.")
    elif group is not None:
        st.caption("Zonder buurtkaart tonen we de buurten als lijst, de meeste gemiste inwoners bovenaan.")
        st.dataframe(group_table(result, *group), hide_index=True, width="stretch")
    else:
        st.caption("Upload de buurtkaart voor een kaart. Zonder kaart: de tabel hieronder, laagste "
                   "bereik bovenaan.")
    return geometry


def body() -> None:
    st.title("Buurten")
    st.caption("Per buurt: hoeveel mensen we spraken per 100 inwoners, welke groepen we missen en "
               "hoeveel van hen er wonen.")
    loaded = project_data(need_reference=False)
    if loaded is None:
        return
    project, respondents = loaded.project, loaded.respondents
    kwb = _upload("kwb", "KWB-bestand van het CBS (.xlsx of .csv)", ["xlsx", "csv"],
                  "Download 'Kerncijfers wijken en buurten' van cbs.nl. We gebruiken alleen de "
                  "cijfers van de gekozen buurten.")
    default = ", ".join(project.areas)
    text = st.text_input("Buurten, wijk of gemeente (codes)", value=default, key=f"buurten_codes_{project.id}",
                         placeholder="Bijv. WK001400 of BU00140000, BU00140001",
                         help="Een wijk (WK…) of gemeente (GM…) delen we op in al haar buurten.")
    codes = _codes(text)
    if kwb is None or not codes:
        st.info("Upload het KWB-bestand van het CBS en geef de buurten of de wijk van het project. "
                "Dan ziet u per buurt wie we nog missen.", icon=":material/map:")
        return
    with st.spinner("Buurtcijfers ophalen…"):
        data = areas_cache.buurt_data(kwb[1], kwb[0], tuple(codes), project.min_age, _limit())
    postcodes, file_areas = _linking(respondents, data)
    result = areas_cache.areas(respondents, data, postcodes, file_areas)
    st.info(plain_lines("\n\n".join(result.finding)), icon=":material/travel_explore:")
    placed = sum(a.respondents for a in result.areas)
    first, second, third = st.columns(3)
    first.metric("Buurten", num(len(result.areas)))
    second.metric("Respondenten in een buurt", num(placed))
    third.metric("Buurt onbekend", num(result.unknown),
                 help="Zonder buurtcode, bruikbare postcode of buurt voor hun bestand.")
    geometry = _show_map_or_table(result, data)
    # the Rapport page adds this Buurten part (results only: no uploads are kept)
    st.session_state.setdefault(areas_cache.REPORT_AREAS, {})[project.id] = (result, geometry)
    st.caption("Dit deel komt ook in het rapport (pagina Rapport), zolang u de buurten hier heeft gekozen.")
    st.header("Alle buurten")
    st.dataframe(areas_table(result), hide_index=True, width="stretch")
    with st.expander("Zo is gerekend"):
        st.markdown(plain(RESIDENTS_DEFINITION))
        for note in result.notes:
            st.markdown(f"- {plain(note)}")
        st.caption(f"{plain(result.source)} (CC BY 4.0)")


run_page(body)
