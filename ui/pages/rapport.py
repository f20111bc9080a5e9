"""Rapport: download the coverage report (Excel to work on, HTML to read) without personal data."""
from __future__ import annotations

import streamlit as st

from engagement.vocabulary import age_words
from reports.text import page_words
from ui import analysis, areas_cache, state
from ui.widgets import plain_lines, project_data, run_page

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body() -> None:
    st.title("Rapport")
    st.write("Download een rapport voor de projectgroep, de wethouder of de wijkcoalitie. Het "
             "rapport bevat totalen per groep: groepen met minder dan 10 mensen worden niet "
             "getoond en er staan geen namen in. Bij de thema's staan een paar korte citaten "
             "uit open antwoorden, zonder persoonsgegevens, alleen bij thema's die minstens "
             "10 mensen noemden.")
    st.caption("In het rapport staan ook het veldwerkplan (deel 'Plan': per groep, per kanaal en "
               "per week), de thema's per groep (deel 'Thema's') en hoe er gerekend is (deel 'Methode en "
               "bronnen': personen per huishouden en woning, wie niet meetelt, de marges). In het "
               "Excel-rapport is elk deel een eigen blad.")
    data = project_data()
    if data is None:
        return
    project, resp, ref = data.project, data.respondents, data.reference
    if ref is None:  # project_data() has said already that the buurt is missing
        return
    with st.spinner("Rapport maken…"):
        report = analysis.report_preview(project.name, project.targets, resp, ref, project.profile_names,
                                         project.settings.get("kompas_items"),
                                         state.statement_texts(project),
                                         project.settings.get("themes_yaml") or "",
                                         st.session_state.get(areas_cache.REPORT_AREAS, {}).get(project.id),
                                         state.store().effort(project.id))
    stem = report.stem
    left, right = st.columns(2)
    left.download_button("Download Excel-rapport (.xlsx)", report.xlsx, file_name=f"{stem}.xlsx",
                         mime=XLSX_MIME, type="primary", on_click=state.log_download,
                         args=(project, "xlsx"), icon=":material/table_view:",
                         help="Om verder mee te werken: een blad per onderdeel, met grafieken.")
    right.download_button("Download leesbaar rapport (.html)", report.html, file_name=f"{stem}.html",
                          mime="text/html", on_click=state.log_download, args=(project, "html"),
                          icon=":material/description:", help="Opent in elke browser, ook zonder internet. Afdrukken "
                                          "als PDF kan via Afdrukken → Opslaan als PDF.")
    st.header("Samenvatting")
    # names groups and profiles: shown as typed; age bands named from the minimum age
    # the workbook's summary, pointing to 'het deel …' as both files have it (HTML has no 'blad')
    st.markdown(plain_lines(age_words(page_words(report.summary), ref.min_age)))


run_page(body)
