"""Thema's: which themes each group raised in open answers and topic questions, which groups
we did not hear on a theme, quotes per theme, and suggestions for themes the dictionary
misses. The counting is engagement.themes, the suppression reports.themes; this page only
chooses, protects and shows. The team's own theme file is kept in the project's settings
("themes_yaml", the text as uploaded) and merged over the standard dictionary."""
from __future__ import annotations

import streamlit as st

from engagement.coverage import eligible_respondents, excluded_sentence
from engagement.vocabulary import age_words
from reports.themes import protect_theme_matrix
from ui import themes_cache
from ui.themes_parts import (
    K,
    dictionary_section,
    project_dictionary,
    show_findings,
    show_overview,
    show_per_group,
    show_quotes,
    show_suggestions,
)
from ui.widgets import plain, project_data, run_page


def body() -> None:
    st.title("Thema's")
    st.caption("Welke onderwerpen noemt elke groep in de open antwoorden en bij vragen als 'welke "
               "onderwerpen'? En over welk thema hoorden we een groep nog niet?")
    loaded = project_data(need_reference=False)
    if loaded is None:
        return
    project = loaded.project
    # only the rows that count (the one eligibility rule, as Bereik and the report's counted_themes)
    age = loaded.reference.min_age if loaded.reference is not None else project.min_age
    resp, excluded = eligible_respondents(loaded.respondents, age)
    saved = st.session_state.pop("_themas_saved", None)
    if saved:
        st.success(plain(saved), icon=":material/check_circle:")
    text, themes = project_dictionary(project)
    with st.spinner("We zoeken de thema's in de antwoorden…"):
        check = themes_cache.themes_check(resp, text, age)
    matrix = protect_theme_matrix(check.matrix, K)
    if matrix.respondents == 0:
        st.info("In dit project staan nog geen open antwoorden of vragen als 'welke onderwerpen "
                "vindt u belangrijk'. Importeer een export met zulke vragen; dan ziet u hier welke "
                "thema's elke groep noemt.", icon=":material/forum:")
    else:
        ref = loaded.reference
        areas = dict(ref.areas) if ref is not None else {}
        skipped = excluded_sentence(excluded, age)
        if skipped:
            st.caption(plain(skipped) + " Deze antwoorden tellen ook hier niet mee.")
        show_overview(check, matrix)
        show_findings([age_words(s, age) for s in matrix.findings()])
        show_per_group(project, resp, matrix, text, areas)
        show_quotes(check, matrix)
        show_suggestions(check)
    dictionary_section(project, themes, text)


run_page(body)
