"""Voortgang's "Welk kanaal bereikt wie?": the effort form and the yield per channel and group.

The numbers come from engagement.channels; this module only draws them. A group with
fewer than K people through a channel is shown as "<K" without its share or per-hour
figure, and the report's suppression (reports.privacy.suppress) hides the complements: a
channel whose count the report hides ('<10' or 'x') is hidden in every cell (a share with
its count gives the channel's count back), and so is a group the coverage table hides, so
no hidden number can be worked out from this table.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from engagement.channels import EVIDENCE, UNKNOWN_CHANNEL, channel_reach, rank_channels, ranking_sentence
from engagement.coverage import eligible_respondents
from engagement.vocabulary import group_label, group_phrase
from reports import privacy
from reports.report import channels_table, coverage_table
from store.schema import StoreError
from surveys.categories import CHANNELS, DIMENSION_LABELS
from ui import analysis, state
from ui.widgets import num, pct, plain, stacked_table

K = privacy.DEFAULT_K
EFFORT_CHANNELS = [c for c in CHANNELS if c != "steekproef"]


def channel_name(channel: str) -> str:
    """'straatgesprek' → 'Straatgesprek': the channel as the Importeren page and the table
    below name it, never the stored code."""
    return str(channel).capitalize()


def last_week(resp: pd.DataFrame | None) -> date:
    """The Monday of the week of the latest answer (the form's default: a team logs the
    work behind the answers it has, not today's week, which may be months later); today's
    week without dates."""
    latest = None
    if resp is not None and "responded_at" in resp.columns:
        latest = pd.to_datetime(resp["responded_at"], errors="coerce", utc=True).max()
    day = date.today() if latest is None or pd.isna(latest) else latest.date()
    return day - timedelta(days=day.weekday())


def hours_text(hours: float) -> str:
    """'2', '1,5', '0,25': Dutch decimals without trailing zeros ('2,00' read as a price)."""
    text = num(hours, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def effort_form(project: state.ProjectView, resp: pd.DataFrame | None = None) -> pd.DataFrame:
    """A small form to log hours per channel and week; returns the logged effort."""
    db = state.store()
    with st.expander("Inzet per kanaal invullen (uren en keren)"):
        with st.form(f"effort-{project.id}", clear_on_submit=True):
            cols = st.columns(4)
            channel = cols[0].selectbox("Kanaal", EFFORT_CHANNELS, key=f"effort-channel-{project.id}",
                                        format_func=channel_name)
            day = cols[1].date_input("Week van", value=last_week(resp), format="DD-MM-YYYY",
                                     key=f"effort-day-{project.id}",
                                     help="Een dag in de week waarin u dit werk deed. We beginnen bij "
                                          "de week van het laatste antwoord.")
            # whole hours: a number field writes decimals with a point ('2.00'), not Dutch
            hours = cols[2].number_input("Uren", min_value=1, max_value=1000, value=2, step=1,
                                         key=f"effort-hours-{project.id}",
                                         help="Hele uren, afgerond (1,5 uur: vul 2 in).")
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
                "Kanaal": [channel_name(c) for c in effort["channel"]],
                "Week van": pd.to_datetime(effort["week_start"]).dt.strftime("%d-%m-%Y"),
                "Uren": [hours_text(h) for h in effort["hours"]],
                "Keren": effort["sessions"]}), hide_index=True)
        st.caption("Met de uren per kanaal rekenen we uit hoeveel mensen van elke groep een uur "
                   "werk opleverde. U vult alleen uren en keren in, geen namen.")
    return effort


def cell_status(part: pd.DataFrame, channel_status: dict[str, str], group_status: dict[str, str],
                k: int = K, *, fixed: Collection[tuple[str, str]] = ()) -> dict[tuple[str, str], str]:
    """(channel, category) → '' (shown), 'primary' ('<k') or 'secondary' ('x') for one
    dimension's rows of channel_reach's frame.

    The report's rule (privacy.suppress) with the sums a reader knows: a channel's row adds
    up to its respondents (a share with its count gives that back), a group's column to the
    group's count on Bereik. `channel_status` (the report's channel table, reports.report.
    channels_table) and `group_status` (category → status in the coverage table) force a
    hidden channel's row and a hidden group's column hidden. `fixed` cells are published
    elsewhere (a best channel's yield on the cards, with its count in the report, gives
    the cell): never chosen as a complement."""
    values = {(str(r.channel), str(r.category)): float(r.group) for r in part.itertuples()}
    forced: dict[tuple[str, str], str] = {}
    for channel, category in values:
        # channel_reach names a missing channel "onbekend", the report's table "anders"
        why = channel_status.get(channel, channel_status.get("anders", "") if channel == UNKNOWN_CHANNEL else "")
        why = why or group_status.get(category, "")
        if why:
            forced[(channel, category)] = privacy.SECONDARY
    rows = [[key for key in values if key[0] == channel] for channel in dict.fromkeys(c for c, _ in values)]
    columns = [[key for key in values if key[1] == category] for category in dict.fromkeys(c for _, c in values)]
    return privacy.suppress(values, rows + columns, k, forced=forced, fixed=fixed)


def _cell(row, status: str) -> str:
    if status:
        return privacy.mark(status, K)
    text = f"{pct(row.share)} ({num(row.group)})"
    if pd.notna(row.per_hour):
        text += f", {num(row.per_hour, 1)} per uur"
    return text


def channel_table(resp: pd.DataFrame, ref, effort: pd.DataFrame, min_age: int,
                  targets: dict[str, dict[str, float]] | None = None) -> None:
    """Per channel the share (and number) of its respondents in each group of one dimension.
    `targets`: the project's, so the coverage whose hidden groups stay hidden is Bereik's own."""
    reach = channel_reach(resp, ref, effort=effort, by_week=False)
    frame = reach.to_frame()
    if frame.empty:
        st.info("Nog geen gesprekken per kanaal om te vergelijken.")
        return
    dims = [d for d in frame["dimension"].unique()]
    dim = st.selectbox("Kenmerk", dims, format_func=lambda d: DIMENSION_LABELS.get(d, d),
                       key="channel-dimension")
    part = frame[frame["dimension"] == dim]
    counted, _ = eligible_respondents(resp, min_age)
    channel_status = channels_table(counted, K)[1]
    coverage, _ = coverage_table(analysis.coverage(resp, ref, targets), K)  # Bereik's, cached
    in_dim = coverage[coverage["_dimension"] == dim]
    # the one rule (engagement.channels.best_order): the same channel as Aanbevelingen' table
    # and cards and the report, and always one whose cell below is not '<10'
    ranking = {str(c): rank_channels(reach, dim, c) for c in part["category"].unique()}
    best = {(r[0].channel, c) for c, r in ranking.items() if r and r[0].basis == EVIDENCE}
    status = cell_status(part, channel_status, dict(zip(in_dim["_category"], in_dim["_status"])),
                         fixed=best)
    table = pd.DataFrame({
        "Kanaal": part["channel"].str.capitalize(),
        "Groep": [group_label(c, min_age) for c in part["category"]],
        "Aandeel (aantal)": [_cell(r, status[(str(r.channel), str(r.category))]) for r in part.itertuples()]})
    wide = table.pivot(index="Kanaal", columns="Groep", values="Aandeel (aantal)")
    wide = wide[[c for c in dict.fromkeys(table["Groep"]) if c in wide.columns]]  # the buurt's order
    # a table on a screen, a card per channel on a phone; '<10' and 'x' align as figures
    stacked_table(wide.reset_index(), row_header=True, numbers=tuple(str(c) for c in wide.columns))
    st.caption(f"Per kanaal: welk deel van de mensen die u zo sprak bij de groep hoort, met het "
               f"aantal tussen haakjes{' en hoeveel per uur inzet' if reach.effort_logged else ''}. "
               f"'<{K}' = minder dan {K} mensen; dan tonen we geen aandeel. 'x' = verborgen, omdat "
               f"u anders een verborgen aantal kunt terugrekenen (zoals in het rapport).")
    lines = []
    for category, ranked in ranking.items():
        if ranked and ranked[0].basis == EVIDENCE:
            hidden = bool(status.get((ranked[0].channel, category)))  # no yield for an 'x' cell
            lines.append(ranking_sentence(ranked, group_phrase(dim, category, min_age=min_age),
                                          figures=not hidden))
    for line in lines:  # a channel name is typed by the user: plain text, never a link or HTML
        st.markdown(f"- {plain(line)}")


def panel(project: state.ProjectView, resp: pd.DataFrame, ref) -> None:
    """The whole section: heading, effort form and the yield table."""
    st.subheader("Welk kanaal bereikt wie?")
    effort = effort_form(project, resp)
    channel_table(resp, ref, effort, project.min_age, project.targets)
