"""Voortgang's "Welk kanaal bereikt wie?": the effort form and the yield per channel and group.

The numbers come from engagement.channels; this module only draws them. A group with
fewer than K people through a channel is shown as "<K" without its share or per-hour
figure, so no small group can be read back from the table.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from engagement.channels import EVIDENCE, channel_reach, rank_channels, ranking_sentence
from engagement.vocabulary import group_label, group_phrase
from reports import privacy
from store.schema import StoreError
from surveys.categories import CHANNELS, DIMENSION_LABELS
from ui import state
from ui.widgets import num, pct, plain

K = privacy.DEFAULT_K
EFFORT_CHANNELS = [c for c in CHANNELS if c != "steekproef"]


def effort_form(project: state.ProjectView) -> pd.DataFrame:
    """A small form to log hours per channel and week; returns the logged effort."""
    db = state.store()
    with st.expander("Inzet per kanaal invullen (uren en keren)"):
        with st.form(f"effort-{project.id}", clear_on_submit=True):
            cols = st.columns(4)
            channel = cols[0].selectbox("Kanaal", EFFORT_CHANNELS, key=f"effort-channel-{project.id}")
            day = cols[1].date_input("Week van", value=date.today(), format="DD-MM-YYYY",
                                     key=f"effort-day-{project.id}")
            hours = cols[2].number_input("Uren", min_value=0.25, max_value=1000.0, value=2.0,
                                         step=0.25, key=f"effort-hours-{project.id}")
            sessions = cols[3].number_input("Keren (bijv. middagen)", min_value=0, max_value=1000,
                                            value=1, step=1, key=f"effort-sessions-{project.id}")
            if st.form_submit_button("Inzet opslaan"):
                try:
                    db.add_effort(project.id, channel, day, hours, int(sessions), who=state.who())
                    st.success("Opgeslagen.")
                except StoreError as exc:
                    st.error(str(exc))
        effort = db.effort(project.id)
        if not effort.empty:
            st.dataframe(pd.DataFrame({
                "Kanaal": effort["channel"],
                "Week van": pd.to_datetime(effort["week_start"]).dt.strftime("%d-%m-%Y"),
                "Uren": [num(h, 2) for h in effort["hours"]],
                "Keren": effort["sessions"]}), hide_index=True)
        st.caption("Met de uren per kanaal rekenen we uit hoeveel mensen van elke groep een uur "
                   "werk opleverde. U vult alleen uren en keren in, geen namen.")
    return effort


def _cell(row) -> str:
    if row.group < K:
        return f"<{K}"
    text = f"{pct(row.share)} ({num(row.group)})"
    if pd.notna(row.per_hour):
        text += f", {num(row.per_hour, 1)} per uur"
    return text


def channel_table(resp: pd.DataFrame, ref, effort: pd.DataFrame, min_age: int) -> None:
    """Per channel the share (and number) of its respondents in each group of one dimension."""
    reach = channel_reach(resp, ref, effort=effort, by_week=False)
    frame = reach.to_frame()
    if frame.empty:
        st.info("Nog geen gesprekken per kanaal om te vergelijken.")
        return
    dims = [d for d in frame["dimension"].unique()]
    dim = st.selectbox("Kenmerk", dims, format_func=lambda d: DIMENSION_LABELS.get(d, d),
                       key="channel-dimension")
    part = frame[frame["dimension"] == dim]
    table = pd.DataFrame({
        "Kanaal": part["channel"].str.capitalize(),
        "Groep": [group_label(c, min_age) for c in part["category"]],
        "Aandeel (aantal)": [_cell(r) for r in part.itertuples()]})
    wide = table.pivot(index="Kanaal", columns="Groep", values="Aandeel (aantal)")
    st.dataframe(wide, width="stretch")
    st.caption(f"Per kanaal: welk deel van de mensen die u zo sprak bij de groep hoort, met het "
               f"aantal tussen haakjes{' en hoeveel per uur inzet' if reach.effort_logged else ''}. "
               f"'<{K}' = minder dan {K} mensen; dan tonen we geen aandeel.")
    lines = []
    for category in part["category"].unique():
        # the one rule (engagement.channels.best_order): the same channel as Aanbevelingen' table
        # and cards and the report, and always one whose cell above is shown (not '<10')
        ranked = rank_channels(reach, dim, category)
        if ranked and ranked[0].basis == EVIDENCE:
            lines.append(ranking_sentence(ranked, group_phrase(dim, category, min_age=min_age)))
    for line in lines:  # a channel name is typed by the user: plain text, never a link or HTML
        st.markdown(f"- {plain(line)}")


def panel(project: state.ProjectView, resp: pd.DataFrame, ref) -> None:
    """The whole section: heading, effort form and the yield table."""
    st.subheader("Welk kanaal bereikt wie?")
    effort = effort_form(project)
    channel_table(resp, ref, effort, project.min_age)
