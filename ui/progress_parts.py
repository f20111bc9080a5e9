"""Voortgang's parts: the ratio chart, weekly and reached tables, the channel chart and the
plan summary. Weekly counts are protected by reports.privacy's rule before they are drawn."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from engagement.progress import NowRow, channel_weeks, channel_weeks_sentence
from engagement.vocabulary import age_words, group_label
from reports import privacy
from reports.report import channel_name
from reports.text import join_nl
from ui import analysis, charts, charts_vega_progress, plan_tables, state
from ui.progress_privacy import BAND_TEXT, enough_since, progress_title, shown_text
from ui.widgets import channel_phrase, num, pct, stacked_table

K = privacy.DEFAULT_K


REACHED_COLUMNS = ["Groep", "Genoeg gesproken sinds", "Voor het eerst genoeg", "Nog te spreken (nu)",
                   "Oordeel nu"]
# reached today, but not in the last dated week: the people without a date made the difference
ONLY_NOW = "nu (met de mensen zonder datum erbij)"

MERGED_NOTE = (f"In de lijnen en de cijfers per week zijn weken waarin een groep er 1 tot {K - 1} "
               f"mensen bij kreeg, samengevoegd met een latere week, en tonen we groepen met minder "
               f"dan {K} mensen niet (ook niet via hun aandeel). Zo kan niemand uitrekenen wie er in "
               "welke week bijkwam.")


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
    """The protected cumulative counts per week, in an expander: a table on a screen, a card
    per week and group on a phone (an interactive grid hid columns sideways at 390 px)."""
    with st.expander("Cijfers per week"):
        stacked_table(pd.DataFrame({
            "Week tot en met": [_date(p) for p in part["period_end"]],
            "Groep": [group_label(c, min_age) for c in part["category"]],
            "Gesproken (opgeteld)": [shown_text(n, s, K) for n, s in zip(part["n"], part["status"])],
            "Aandeel gesproken": ["verborgen" if s else pct(v, 1)
                                  for v, s in zip(part["share"], part["status"])],
            "Verhouding": ["verborgen" if s else shown_text(v, "", K, 2)
                           for v, s in zip(part["ratio"], part["status"])]}),
            numbers=("Gesproken (opgeteld)", "Aandeel gesproken", "Verhouding"))
        st.caption(f"'Gesproken (opgeteld)' = aantal mensen uit de groep vanaf het begin tot en met "
                   f"die week. '<{K}' = minder dan {K} mensen; 'x' = verborgen omdat u het anders "
                   "kunt uitrekenen uit de andere groepen. Bij een verborgen aantal zijn ook het "
                   "aandeel en de verhouding verborgen.")


# where the page's own 'now' per channel is (people without a date included)
CHANNELS_NOW_PLACE = "op Aanbevelingen: 'Gesproken tot nu toe'"


@dataclass(frozen=True)
class ChannelView:
    """What the channel chart draws and says: `drawn` (period_end, code, channel, n: only
    the points the privacy rule shows), `title`, `caption` (the rule in words) and `missing`
    (why a week or a channel is not in the chart)."""

    drawn: pd.DataFrame
    title: str
    caption: str
    missing: str = ""  # why weeks or channels are not drawn (the privacy rule), '' when none


def channel_view(respondents: pd.DataFrame, min_age: int | None, k: int = K) -> ChannelView | None:
    """The channel chart's content from engagement.progress.channel_weeks (the report's
    weekly table uses the same rule), protected by privacy.progress_status as the report
    protects it: weeks folded until every channel's growth between shown weeks is 0 or at
    least k, small counts hidden with a complement. None without dated answers."""
    weeks = channel_weeks(respondents, min_age)
    if weeks.counts.empty:
        return None
    status = privacy.progress_status(weeks.counts, k)
    kept = weeks.counts.loc[status.index]
    long = kept.rename_axis("period_end").reset_index().melt(id_vars="period_end", var_name="code",
                                                             value_name="n")
    long["status"] = [status.at[p, c] for p, c in zip(long["period_end"], long["code"])]
    long["n"] = long["n"].astype(float).where(long["status"] == "")
    long["channel"] = [channel_name(c) for c in long["code"]]
    drawn = long.dropna(subset=["n"]).reset_index(drop=True)
    final = drawn[drawn["period_end"] == drawn["period_end"].max()].sort_values("n", ascending=False)
    title = (f"Kanalen: de meeste mensen sprak u {channel_phrase(final.iloc[0]['code'])}"
             if not final.empty and final.iloc[0]["n"] > 0 else "Kanalen: nog weinig gesprekken")
    rule = channel_weeks_sentence(weeks, now_place=CHANNELS_NOW_PLACE, name=channel_name, k=k)
    parts: list[str] = []
    folded = [w for w in weeks.counts.index if w not in set(status.index)]
    if folded:
        days = join_nl([_date(w) for w in folded])
        parts.append(f"{'De weken' if len(folded) > 1 else 'De week'} tot en met {days} "
                     f"{'staan' if len(folded) > 1 else 'staat'} er niet apart in: bij een of meer kanalen "
                     f"kwamen er toen 1 tot {k - 1} mensen bij. Die tellen mee in de volgende week die er "
                     "wel staat; zo kan niemand uitrekenen wie er in welke week bijkwam.")
    parts.extend(_missing_channels(long, k))
    return ChannelView(drawn=drawn[["period_end", "code", "channel", "n"]], title=title, caption=rule,
                       missing=" ".join(parts))


def _missing_channels(long: pd.DataFrame, k: int) -> list[str]:
    """Why a channel is missing from the chart, or missing in its first weeks."""
    out: list[str] = []
    small: list[str] = []
    complement: list[str] = []
    last = long["period_end"].max()
    for _, rows in long.groupby("code", sort=False):
        name = str(rows["channel"].iloc[0])
        shown = rows.dropna(subset=["n"])
        if shown.empty:
            now = rows.loc[rows["period_end"] == last, "status"].iloc[0]
            (small if now == privacy.PRIMARY else complement).append(name)
        elif len(shown) < len(rows):
            out.append(f"Het kanaal {name} staat er pas in vanaf de week tot en met "
                       f"{_date(shown['period_end'].min())}: eerder waren het minder dan {k} mensen, of "
                       "was het aantal verborgen om dezelfde reden.")
    if small:
        out.insert(0, f"{_channels(small)} er niet in: minder dan {k} mensen.")
    if complement:
        out.insert(1 if small else 0, f"{_channels(complement)} er{' ook' if small else ''} niet in: met "
                   "het totaal zou u anders een klein aantal kunnen uitrekenen.")
    return out


def _channels(names: list[str]) -> str:
    return f"Het kanaal {names[0]} staat" if len(names) == 1 else f"De kanalen {join_nl(names)} staan"


def channel_chart(respondents: pd.DataFrame, min_age: int | None) -> None:
    view = channel_view(respondents, min_age)
    if view is None or view.drawn.empty:
        return
    spec = charts_vega_progress.lines_over_time(view.drawn, "period_end", "n", "channel", view.title,
                                                "Aantal gesproken (opgeteld)", group_title="Kanaal")
    st.vega_lite_chart(spec, width="stretch")  # its description is the accessible name
    st.caption(view.caption)
    if view.missing:
        st.caption(f":material/lock: {view.missing}")


def reached_table(part: pd.DataFrame, now: Sequence[NowRow], min_age: int | None = None,
                  undated: int = 0) -> None:
    """Where each group stands today. `now`: engagement.progress.progress_now, i.e. Bereik's
    own figures (everyone, also without a date); the dates come from the dated weeks and stay
    hidden ('x') for a group the weekly protection hides (`part`'s status)."""
    st.subheader("Waar staat elke groep nu?")
    # one card per group on a phone, a table on a screen: five columns squeezed into
    # 390 px broke words mid-letter ('onderverte genwoordi gd')
    stacked_table(reached_frame(part, now, min_age), row_header=True, numbers=("Nog te spreken (nu)",))
    without = (f" Ook de {num(undated)} {'persoon' if undated == 1 else 'mensen'} zonder datum "
               "tellen daarin mee.") if undated else ""
    st.caption("'Genoeg gesproken sinds' = vanaf welke week er van die groep niemand meer bij "
               "hoeft, tot vandaag ('nu niet': er moeten nu nog mensen bij; 'meer dan in de "
               "buurt': de groep is nu oververtegenwoordigd). 'Voor het eerst genoeg' = de "
               "eerste week ooit; een groep kan daarna weer achter raken. 'Nog te spreken (nu)' en "
               f"'Oordeel nu' zijn de cijfers van vandaag, dezelfde als op Bereik.{without} "
               "'Nog te spreken (nu)' = hoeveel erbij als verder niemand bijkomt; het veldwerkplan "
               "hieronder telt mee dat het totaal groeit. Telt bij minstens 5 verwachte mensen of "
               "een eigen doel.")


def reached_frame(part: pd.DataFrame, now: Sequence[NowRow], min_age: int | None = None) -> pd.DataFrame:
    """The rows of reached_table as text (a pure function, so tests can read it)."""
    last = part[part["period_end"] == part["period_end"].max()]
    hidden = dict(zip(last["category"], last["status"]))
    rows = []
    for row in now:
        cat = row.coverage
        status = str(hidden.get(cat.category, ""))
        flag = "" if cat.uncertain else cat.flag  # 'onzeker' is no verdict: not 'meer dan in de buurt'
        if not row.reached:
            day = "nu niet"
        elif row.only_now:
            day = ONLY_NOW
        else:
            day = _date(row.on_target_since, "nu niet")
        first = _date(row.target_reached_at, "nu" if row.reached else "nog niet")
        rows.append({"Groep": group_label(cat.category, min_age),
                     "Genoeg gesproken sinds": enough_since(day, row.reached or pd.NaT, flag, status),
                     "Voor het eerst genoeg": privacy.SECONDARY_MARK if status else first,
                     "Nog te spreken (nu)": num(cat.to_reach),
                     "Oordeel nu": charts.status_label(cat)})
    return pd.DataFrame(rows, columns=REACHED_COLUMNS)


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
    metric = plan_tables.mix_metric(plan, room, ref.min_age)
    if metric is not None:
        title, _, text = metric
        b.metric(title, num(plan.total_contacts), help=text)
        if not plan.covers_plan:  # say on the page, not only in the tooltip, what it covers
            st.caption(plan_tables.mix_text(plan, room, ref.min_age) or "")
    st.caption("Per groep, per kanaal en per week staat het plan op de pagina **Aanbevelingen**; "
               "daar kunt u het weekplan ook downloaden om te printen.")
