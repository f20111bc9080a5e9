"""Voortgang's parts: the ratio chart, weekly and reached tables, the channel chart and the
plan summary. Weekly counts are protected by reports.privacy's rule before they are drawn."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engagement.vocabulary import age_words, group_label
from reports import privacy
from ui import analysis, charts_vega_progress, plan_tables, profile_charts, state
from ui.progress_privacy import BAND_TEXT, enough_since, progress_title, shown_text
from ui.widgets import channel_phrase, num, pct

K = privacy.DEFAULT_K


MERGED_NOTE = (f"Weken waarin een groep er 1 tot {K - 1} mensen bij kreeg, zijn samengevoegd met "
               f"een latere week, en groepen met minder dan {K} mensen tonen we niet (ook niet "
               "via hun aandeel of 'nog te spreken'). Zo kan niemand uitrekenen wie er in welke "
               "week bijkwam.")


def _date(value, missing: str = "nog niet") -> str:
    return missing if pd.isna(value) else pd.Timestamp(value).strftime("%d-%m-%Y")


def ratio_chart(part: pd.DataFrame, dim: str, min_age: int | None = None) -> None:
    """`part`: protected rows (hidden ratios are NaN and are not drawn or named)."""
    title = age_words(progress_title(part, dim), min_age)
    drawn = part.dropna(subset=["ratio"])
    # the legend names age bands from the minimum age, as the tables do ('18 tot 25 jaar')
    drawn = drawn.assign(category=[group_label(str(c), min_age, dim) for c in drawn["category"]])
    spec = charts_vega_progress.ratio_over_time(drawn, "period_end", "ratio", "category", title)
    st.vega_lite_chart(spec, width="stretch")  # its description is the accessible name
    st.caption("Per week (opgeteld vanaf het begin): het aandeel van elke groep onder de gesproken "
               "mensen gedeeld door het aandeel in de buurt. 1 = precies in lijn; de groene band "
               f"({BAND_TEXT}) geldt als 'in lijn'.")
    st.caption(f":material/lock: {MERGED_NOTE}")


def weekly_table(part: pd.DataFrame, min_age: int | None = None) -> None:
    """The protected cumulative counts per week, in an expander."""
    with st.expander("Cijfers per week"):
        st.dataframe(pd.DataFrame({
            "Week tot en met": [_date(p) for p in part["period_end"]],
            "Groep": [group_label(c, min_age) for c in part["category"]],
            "Gesproken (opgeteld)": [shown_text(n, s, K) for n, s in zip(part["n"], part["status"])],
            "Aandeel gesproken": ["verborgen" if s else pct(v, 1)
                                  for v, s in zip(part["share"], part["status"])],
            "Verhouding": ["verborgen" if s else shown_text(v, "", K, 2)
                           for v, s in zip(part["ratio"], part["status"])]}),
            hide_index=True, width="stretch")
        st.caption(f"'Gesproken (opgeteld)' = aantal mensen uit de groep vanaf het begin tot en met "
                   f"die week. '<{K}' = minder dan {K} mensen; 'x' = verborgen omdat u het anders "
                   "kunt uitrekenen uit de andere groepen. Bij een verborgen aantal zijn ook het "
                   "aandeel en de verhouding verborgen.")


def channel_chart(part: pd.DataFrame) -> None:
    long = privacy.protect_channels(part, K)
    if long.empty:
        return
    final = long[long["period_end"] == long["period_end"].max()].dropna(subset=["n"])
    final = final.sort_values("n", ascending=False)
    title = (f"Kanalen: de meeste mensen sprak u {channel_phrase(final.iloc[0]['channel'])}"
             if not final.empty and final.iloc[0]["n"] > 0 else "Kanalen: nog weinig gesprekken")
    drawn = long.dropna(subset=["n"]).assign(channel=lambda f: f["channel"].str.capitalize())
    spec = charts_vega_progress.lines_over_time(drawn, "period_end", "n", "channel", title,
                                                "Aantal gesproken (opgeteld)", group_title="Kanaal")
    st.vega_lite_chart(spec, width="stretch")  # its description is the accessible name
    st.caption(f"Aantal gesproken mensen per kanaal, opgeteld vanaf het begin van het project. "
               f"Een kanaal met minder dan {K} mensen in een week staat er dan niet in.")


def reached_table(part: pd.DataFrame, min_age: int | None = None) -> None:
    last = part[part["period_end"] == part["period_end"].max()]
    still = []
    for to_reach, n, status in zip(last["to_reach"], last["n_raw"], last["status"]):
        text = privacy.to_reach_text(int(to_reach), float(n), status, K)
        still.append(text if text is not None else privacy.SECONDARY_MARK)
    flags = last["flag"] if "flag" in last else pd.Series("", index=last.index)
    if "uncertain" in last:  # 'onzeker' is no verdict: no 'meer dan in de buurt' beside it
        flags = flags.where(~last["uncertain"].astype(bool), "")
    # a static table: on a phone it wraps to the screen instead of hiding columns sideways
    st.table(profile_charts.plain_table(pd.DataFrame({
        "Groep": [group_label(c, min_age) for c in last["category"]],
        "Genoeg gesproken sinds": [enough_since(_date(v, "nu niet"), v, f, s) for v, f, s in
                                   zip(last["on_target_since"], flags, last["status"])],
        "Voor het eerst genoeg": [_date(v) for v in last["target_reached_at"]],
        "Nog te spreken (nu)": still,
        "Oordeel nu": last["label"].to_numpy()})))
    st.caption("'Genoeg gesproken sinds' = vanaf welke week er van die groep niemand meer bij "
               "hoeft, tot vandaag ('nu niet': er moeten nu nog mensen bij; 'meer dan in de "
               "buurt': de groep is nu oververtegenwoordigd). 'Voor het eerst genoeg' = de "
               "eerste week ooit; een groep kan daarna weer achter raken. 'Nog te spreken (nu)' = "
               "hoeveel erbij als verder niemand bijkomt; het veldwerkplan hieronder telt mee dat "
               "het totaal groeit. Telt bij minstens 5 verwachte mensen of een eigen doel.")


def plan_summary(data) -> None:
    """The fieldwork plan in short; the full plan is on Aanbevelingen."""
    result = analysis.analysed(data.respondents, data.reference, data.project.targets,
                               data.project.profile_names, data.project.settings.get("kompas_items"),
                               state.statement_texts(data.project))
    plan = result.plan
    st.header("Veldwerkplan")
    if plan is None:
        st.caption("Nog geen plan: daarvoor zijn meer antwoorden nodig.")
        return
    ref = data.reference
    room = (ref.eligible_population - result.coverage.respondents) if ref.eligible_population else None
    a, b = st.columns(2)
    a.metric("Nog spreken volgens het plan", num(plan.total_needed),
             help="Zoveel mensen erbij, zo gekozen dat daarna geen groep meer te weinig gesproken "
                  "is. Eén persoon telt voor elk kenmerk.")
    if plan.total_contacts and plan_tables.realistic(plan, room):
        b.metric("Gesprekken nodig (met de huidige kanalen)", num(plan.total_contacts),
                 help="Meer dan het aantal hiernaast, omdat niet iedereen die u spreekt bij een "
                      "ontbrekende groep hoort.")
    st.caption("Per groep, per kanaal en per week staat het plan op de pagina **Aanbevelingen**; "
               "daar kunt u het weekplan ook downloaden om te printen.")
