"""Voortgang: how coverage grew week by week and per channel, when targets were reached,
and how much the fieldwork plan still asks. Weekly counts are protected against
subtraction by reports.privacy's rule, the same as the report's Voortgang sheet:
no small group's new people per week can be read."""
from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from engagement.progress import progress_now
from engagement.vocabulary import age_words
from reports import privacy
from surveys.categories import DIMENSION_LABELS
from ui import analysis, channel_panel
from ui.progress_parts import K, _date, channel_chart, plan_summary, ratio_chart, reached_table, weekly_table
from ui.progress_privacy import merged_last_week, merged_last_week_text
from ui.widgets import plain, project_data, run_page


def body() -> None:
    st.title("Voortgang")
    data = project_data()
    if data is None or data.reference is None:  # project_data said what is missing
        return
    ref = data.reference
    with st.spinner("Voortgang berekenen…"):
        result = analysis.cumulative(data.respondents, ref, data.project.targets)
    progress = result.to_frame()
    for warning in result.warnings:
        st.caption(f":material/warning: {plain(age_words(warning, ref.min_age))}")
    if progress.empty:
        st.info("De antwoorden hebben geen datum, dus de voortgang per week is niet te tonen.")
        channel_panel.panel(data.project, data.respondents, ref)
        plan_summary(data)
        return
    dims = list(dict.fromkeys(progress["dimension"]))
    dim = st.selectbox("Kenmerk", dims, format_func=lambda d: DIMENSION_LABELS.get(d, d),
                       help="Kies welk kenmerk u over de tijd wilt volgen.")
    raw = progress[progress["dimension"] == dim]
    # today's figures are Bereik's own (one computation, cached): they count people without a
    # date too, so the last shown week must not give away how many of a small group those are
    today = analysis.coverage(data.respondents, ref, data.project.targets)
    now = progress_now(result, today, dim, data.project.targets)
    current: dict[Hashable, float] = {c.category: float(c.respondents) for d in today.dimensions if d.dimension == dim
               for c in d.categories}
    part = privacy.protect_progress(raw.assign(n_raw=raw["n"]), K, current=current or None)
    if part.empty:
        st.info("Er zijn te weinig antwoorden per week om de voortgang te tonen zonder kleine "
                "groepen te verraden.")
        plan_summary(data)
        return
    min_age = ref.min_age
    ratio_chart(part, dim, min_age)
    merged = merged_last_week(raw, part)
    if merged is not None:
        st.caption(f":material/lock: {merged_last_week_text(_date(merged), result.undated, K)}")
    weekly_table(part, min_age)
    reached_table(part, now, min_age, result.undated)
    channel_chart(data.respondents, min_age)
    channel_panel.panel(data.project, data.respondents, ref)
    plan_summary(data)


run_page(body)
