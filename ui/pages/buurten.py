"""Buurten: per buurt of the project how many people we spoke per 100 residents, which
groups we miss there and how many of them live there, on a map when the team gives the
CBS wijk- en buurtkaart (else as a ranked table). The analysis lives in engagement.areas
and reports.charts_areas; this page only collects the files and shows the results."""
from __future__ import annotations

import streamlit as st

from engagement.areas import buurt_data_from_reference, single_buurt
from ui import areas_cache
from ui.areas_parts import (
    area_codes,
    kept_upload,
    kwb_needed,
    limit,
    linking,
    show_all_areas,
    show_map_or_table,
    show_metrics,
)
from ui.widgets import plain_lines, project_data, run_page


def body() -> None:
    st.title("Buurten")
    st.caption("Per buurt: hoeveel mensen we spraken per 100 inwoners, welke groepen we missen en "
               "hoeveel van hen er wonen.")
    loaded = project_data(need_reference=False)
    if loaded is None:
        return
    project, respondents = loaded.project, loaded.respondents
    home = single_buurt(loaded.reference)
    kwb = kept_upload("kwb", "KWB-bestand van het CBS (.xlsx of .csv)", ["xlsx", "csv"],
                      "Download 'Kerncijfers wijken en buurten' van cbs.nl. We gebruiken alleen de "
                      "cijfers van de gekozen buurten. Gaat het project over één buurt, dan is het "
                      "bestand alleen nodig als u hier meer buurten wilt zien.")
    default = ", ".join(project.areas)
    text = st.text_input("Buurten, wijk of gemeente (codes)", value=default, key=f"buurten_codes_{project.id}",
                         placeholder="Bijv. WK001400 of BU00140000, BU00140001",
                         help="Een wijk (WK…) of gemeente (GM…) delen we op in al haar buurten.")
    codes = area_codes(text)
    if not codes:
        st.info("Geef de buurten of de wijk van het project. Dan ziet u per buurt wie we nog "
                "missen.", icon=":material/map:")
        return
    data = None
    if kwb is not None:
        with st.spinner("Buurtcijfers ophalen…"):
            data = areas_cache.buurt_data(kwb[1], kwb[0], tuple(codes), project.min_age, limit())
    elif loaded.reference is not None and codes == [home]:
        data = buurt_data_from_reference(loaded.reference)
        if data is not None:
            st.caption("We gebruiken de CBS-cijfers die bij het project horen (pagina Project). "
                       "Een KWB-bestand is alleen nodig voor andere of meer buurten.")
    if data is None:
        st.info(kwb_needed(loaded.reference, codes, home), icon=":material/map:")
        return
    postcodes, file_areas = linking(respondents, data)
    result = areas_cache.areas(respondents, data, postcodes, file_areas, home=home)
    st.info(plain_lines("\n\n".join(result.finding)), icon=":material/travel_explore:")
    show_metrics(result)
    geometry = show_map_or_table(result, data)
    # the Rapport page adds this Buurten part (results only: no uploads are kept)
    st.session_state.setdefault(areas_cache.REPORT_AREAS, {})[project.id] = (result, geometry)
    st.caption("Dit deel komt ook in het rapport (pagina Rapport), zolang u de buurten hier heeft gekozen.")
    show_all_areas(result)


run_page(body)
