"""Voortgang: how coverage grew week by week and per channel, when targets were reached,
and how much the fieldwork plan still asks. Weekly counts are protected against
subtraction by reports.privacy's rule, the same as the report's Voortgang sheet:
no small group's new people per week can be read."""
from __future__ import annotations

import streamlit as st

from engagement.vocabulary import age_words
from reports import privacy
from surveys.categories import DIMENSION_LABELS
from ui import analysis, channel_panel
from ui.progress_parts import K, channel_chart, plan_summary, ratio_chart, reached_table, weekly_table
from ui.widgets import plain, project_data, run_page


def body() -> None:
    st.title("Voortgang")
    data = project_data()
    if data is None:
        return
    with st.spinner("Voortgang berekenen…"):
        result = analysis.cumulative(data.respondents, data.reference, data.project.targets)
    progress = result.to_frame()
    for warning in result.warnings:
        st.caption(f":material/warning: {plain(age_words(warning, data.reference.min_age))}")
    if progress.empty:
        st.info("De antwoorden hebben geen datum, dus de voortgang per week is niet te tonen.")
        channel_panel.panel(data.project, data.respondents, data.reference)
        plan_summary(data)
        return
    dims = list(dict.fromkeys(progress["dimension"]))
    dim = st.selectbox("Kenmerk", dims, format_func=lambda d: DIMENSION_LABELS.get(d, d),
                       help="Kies welk kenmerk u over de tijd wilt volgen.")
    raw = progress[progress["dimension"] == dim]
    # today's counts on Bereik include people without a date: the last shown week must
    # not give away how many of a small group those are
    today = analysis.coverage(data.respondents, data.reference, data.project.targets)
    current = {c.category: float(c.respondents) for d in today.dimensions if d.dimension == dim
               for c in d.categories}
    part = privacy.protect_progress(raw.assign(n_raw=raw["n"]), K, current=current or None)
    if part.empty:
        st.info("Er zijn te weinig antwoorden per week om de voortgang te tonen zonder kleine "
                "groepen te verraden.")
        plan_summary(data)
        return
    min_age = data.reference.min_age
    ratio_chart(part, dim, min_age)
    weekly_table(part, min_age)
    reached_table(part, min_age)
    channel_chart(raw)
    channel_panel.panel(data.project, data.respondents, data.reference)
    plan_summary(data)


run_page(body)
