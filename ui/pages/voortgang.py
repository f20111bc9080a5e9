"""Voortgang: how coverage grew week by week and per channel, and when targets were reached."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engagement.coverage import GROUP_PHRASES
from surveys.categories import DIMENSION_LABELS, label
from ui import analysis, charts
from ui.widgets import channel_phrase, plain, project_data, run_page


def _date(value, missing: str = "nog niet") -> str:
    return missing if pd.isna(value) else pd.Timestamp(value).strftime("%d-%m-%Y")


def ratio_chart(part: pd.DataFrame, dim: str) -> None:
    last = part[part["period_end"] == part["period_end"].max()]
    behind = [GROUP_PHRASES.get(c, label(c)) for c in last.loc[last["ratio"] < 0.8, "category"]]
    name = DIMENSION_LABELS.get(dim, dim)
    title = (f"{name}: {', '.join(behind)} blijven achter" if behind
             else f"{name}: alle groepen zijn nu ongeveer in lijn met de buurt")
    fig = charts.lines_over_time(part, "period_end", "ratio", "category", title,
                                 "Verhouding gesproken / buurt", target=1.0)
    fig.add_hrect(y0=0.8, y1=1.25, fillcolor="#009E73", opacity=0.08, line_width=0)
    st.plotly_chart(fig, width="stretch")
    st.caption("Per week (opgeteld vanaf het begin): het aandeel van elke groep onder de gesproken "
               "mensen gedeeld door het aandeel in de buurt. 1 = precies in lijn; de groene band "
               "(0,8 tot 1,25) geldt als 'in lijn'.")


def channel_chart(part: pd.DataFrame) -> None:
    channel_cols = [c for c in part.columns if c.startswith("n_")]
    if not channel_cols:
        return
    totals = part.groupby("period_end")[channel_cols].sum().reset_index()
    long = totals.melt(id_vars="period_end", var_name="channel", value_name="n")
    long["channel"] = long["channel"].str.removeprefix("n_")
    final = long[long["period_end"] == long["period_end"].max()].sort_values("n", ascending=False)
    title = (f"Kanalen: de meeste mensen sprak u {channel_phrase(final.iloc[0]['channel'])}"
             if not final.empty and final.iloc[0]["n"] > 0 else "Kanalen: nog geen gesprekken")
    long["channel"] = long["channel"].str.capitalize()
    st.plotly_chart(charts.lines_over_time(long, "period_end", "n", "channel", title,
                                           "Aantal gesproken (opgeteld)"), width="stretch")
    st.caption("Aantal gesproken mensen per kanaal, opgeteld vanaf het begin van het project.")


def reached_table(part: pd.DataFrame) -> None:
    last = part[part["period_end"] == part["period_end"].max()]
    st.dataframe(pd.DataFrame({
        "Groep": [label(c) for c in last["category"]],
        "Op doel sinds": [_date(v, "nu niet") for v in last["on_target_since"]],
        "Voor het eerst op doel": [_date(v) for v in last["target_reached_at"]],
        "Nog te spreken": last["to_reach"].astype(int).to_numpy(),
        "Oordeel nu": last["label"].to_numpy()}), hide_index=True, width="stretch")
    st.caption("'Op doel sinds' = vanaf welke week er van die groep niemand meer bij hoeft, tot "
               "vandaag ('nu niet': er moeten nu nog mensen bij). 'Voor het eerst op doel' = de "
               "eerste week ooit; een groep kan daarna weer achter raken. Telt bij minstens 5 "
               "verwachte mensen of een eigen doel.")


def body() -> None:
    st.title("Voortgang")
    data = project_data()
    if data is None:
        return
    with st.spinner("Voortgang berekenen…"):
        progress = analysis.cumulative(data.respondents, data.reference, data.project.targets)
    for warning in progress.attrs.get("warnings", []):
        st.caption(f":material/warning: {plain(warning)}")
    if progress.empty:
        st.info("De antwoorden hebben geen datum, dus de voortgang per week is niet te tonen.")
        return
    dims = list(dict.fromkeys(progress["dimension"]))
    dim = st.selectbox("Kenmerk", dims, format_func=lambda d: DIMENSION_LABELS.get(d, d),
                       help="Kies welk kenmerk u over de tijd wilt volgen.")
    part = progress[progress["dimension"] == dim]
    ratio_chart(part, dim)
    reached_table(part)
    channel_chart(part)


run_page(body)
