"""Bereik: who did we hear, compared with who lives in the buurt (per kenmerk)."""
from __future__ import annotations

import streamlit as st

from engagement.coverage import excluded_sentence, summary_sentence
from engagement.vocabulary import age_words
from surveys.categories import DIMENSION_LABELS
from ui.coverage_parts import (
    CV_HELP,
    filter_respondents,
    first_screen,
    needed_by_dimension,
    show_assumptions,
    show_cells,
    show_dimension,
)
from ui.widgets import num, plain, project_data, run_page


def body() -> None:
    st.title("Bereik")
    data = project_data()
    if data is None:
        return
    project, ref = data.project, data.reference
    shown = filter_respondents(data.respondents)
    if shown.empty:
        st.warning("Met deze filters blijven er geen antwoorden over.")
        return
    with st.spinner("Bereik berekenen…"):
        result, plan = first_screen(shown, ref, project.targets)
    st.markdown(f"### {plain(age_words(summary_sentence(result), ref.min_age))}")
    skipped = excluded_sentence(result.excluded, ref.min_age)
    if skipped:
        st.caption(f":material/filter_alt: {plain(skipped)} Deze antwoorden tellen nergens mee. Op de "
                   "pagina **Importeren** ziet u welke rijen dit zijn en kunt u dat aanpassen.")
    area = plain(", ".join(name for _, name in ref.areas) or "de buurt")
    a, b, c = st.columns(3)
    a.metric("Gesproken", num(result.respondents),
             help="Aantal mensen dat meetelt, na de filters hierboven.")
    b.metric("Inwoners (doelgroep)", num(ref.eligible_population),
             help=f"Inwoners van {area} van {ref.min_age} jaar en ouder volgens het CBS ({ref.year}).")
    dims = [d for d in result.dimensions if d.categories]
    worst = max(dims, key=lambda d: d.cv) if dims else None
    c.metric("Meest scheve kenmerk", DIMENSION_LABELS.get(worst.dimension, "–") if worst else "–",
             help=CV_HELP)
    per_dimension = {w for d in dims for w in d.warnings}
    for warning in result.warnings:
        if warning not in per_dimension:  # those are shown in their own tab
            st.caption(f":material/warning: {plain(age_words(warning, ref.min_age))}")
    by_dim = needed_by_dimension(plan)
    tabs = st.tabs([DIMENSION_LABELS.get(d.dimension, d.dimension) for d in dims],
                   key="bereik_kenmerk", on_change="rerun")
    for tab, dim in zip(tabs, dims):
        if not tab.open:  # only the chosen kenmerk is drawn (a switch reruns the page)
            continue
        with tab:
            show_dimension(dim, ref, by_dim.get(dim.dimension) if plan is not None else None)
    show_cells(shown, ref)
    show_assumptions(ref)
    source = ref.source if not ref.year or str(ref.year) in ref.source else f"{ref.source} {ref.year}"
    st.caption(f"{plain(source)} ({plain(ref.table)}), CC BY 4.0. CBS rondt aantallen "
               "per buurt af op vijftallen.")


run_page(body)
