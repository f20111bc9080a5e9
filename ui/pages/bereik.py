"""Bereik: who did we hear, compared with who lives in the buurt (per kenmerk)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engagement.coverage import summary_sentence
from surveys.categories import DIMENSION_LABELS, label
from ui import analysis, charts
from ui.widgets import num, pct, plain, project_data, run_page

CV_HELP = ("CV (variatiecoëfficiënt van de respons): hoe ongelijk de groepen gesproken zijn. "
           "0 is perfect gelijk; boven 0,3 is het scheef. Dit getal weegt het zwaarst.")
R_HELP = ("R-indicator van het CBS: 1 is een perfect representatieve respons. Bij weinig "
          "gesprekken blijft R vaak dicht bij 1, kijk daarom vooral naar de CV.")


def filter_respondents(resp: pd.DataFrame) -> pd.DataFrame:
    """Channel and period filters; returns the filtered table."""
    left, right = st.columns(2)
    if "channel" in resp and resp["channel"].notna().any():
        channels = sorted(resp["channel"].dropna().astype(str).unique())
        chosen = left.multiselect("Kanaal", channels, default=channels, format_func=str.capitalize,
                                  help="Toon alleen de antwoorden die via deze kanalen binnenkwamen.")
        resp = resp[resp["channel"].astype(str).isin(chosen)]
    if "responded_at" in resp:
        when = pd.to_datetime(resp["responded_at"], errors="coerce")
        if when.notna().sum() > 1 and when.min().date() < when.max().date():
            start, end = when.min().date(), when.max().date()
            period = right.slider("Periode", min_value=start, max_value=end, value=(start, end),
                                  format="DD-MM-YYYY",
                                  help="Antwoorden zonder datum tellen altijd mee.")
            keep = when.isna() | ((when.dt.date >= period[0]) & (when.dt.date <= period[1]))
            resp = resp[keep.to_numpy()]
    return resp


UNIT_NOTES = {
    "huishoudens": (
        "Let op: het CBS telt hier **huishoudens**, geen personen. We vergelijken dus het aandeel "
        "van de gesproken mensen met het aandeel van de huishoudens in de buurt. In een gezin wonen "
        "meer mensen dan in een eenpersoonshuishouden, dus alleenstaanden lijken al snel "
        "ondervertegenwoordigd, ook als dat niet zo is. Zie deze vergelijking als een indicatie."),
    "woningen": (
        "Let op: het CBS telt hier **woningen**, geen personen. We vergelijken dus het aandeel "
        "van de gesproken mensen met het aandeel van de woningen (koop, corporatie, particuliere "
        "huur). Niet in elke soort woning wonen evenveel mensen. Zie deze vergelijking als een "
        "indicatie."),
}
DEFAULT_UNITS = {"household": "huishoudens", "tenure": "woningen"}


def unit_note(dimension: str, ref) -> str | None:
    """The caveat for a dimension that CBS counts in households or dwellings, not persons."""
    unit = (getattr(ref, "units", None) or {}).get(dimension) or DEFAULT_UNITS.get(dimension)
    return UNIT_NOTES.get(unit or "")


def show_dimension(dim, ref=None) -> None:
    st.plotly_chart(charts.coverage_figure(dim), width="stretch",
                    config={"displaylogo": False})
    note = unit_note(dim.dimension, ref)
    if note:
        st.caption(f":material/info: {note}")
    parts = [f"Onbekend: {num(dim.unknown)} personen (niet ingevuld of 'zeg ik liever niet'); "
             "zij tellen niet mee in de percentages." if dim.unknown else
             "Iedereen heeft dit kenmerk ingevuld."]
    if dim.estimated:
        parts.append("Een deel van de leeftijden of groepen is geschat (bijv. leeftijdsklassen "
                     "die niet precies op die van het CBS passen).")
    parts.append(f"Hoe scheef: CV {num(dim.cv, 2)} (0 = gelijk, boven 0,3 = scheef) · R-indicator "
                 f"{num(dim.r_indicator, 2)} · de minst bereikte groep is {num(dim.min_max_ratio, 2)} "
                 "keer zo goed bereikt als de best bereikte groep.")
    st.caption(" ".join(parts), help=CV_HELP + " " + R_HELP)
    for warning in dim.warnings:
        st.caption(f":material/warning: {plain(warning)}")
    with st.expander(f"Cijfers {DIMENSION_LABELS.get(dim.dimension, dim.dimension).lower()}"):
        st.dataframe(pd.DataFrame([{
            "Groep": label(c.category), "In de buurt": pct(c.population_share, 1),
            "Gesproken": int(round(c.respondents)), "Aandeel gesproken": pct(c.respondent_share, 1),
            "95%-marge": f"{pct(c.ci_low, 1)} – {pct(c.ci_high, 1)}",
            "Verhouding": num(c.ratio, 2), "Oordeel": charts.status_label(c),
            "Met onbekenden": (f"{pct(c.unknown_low, 1)} – {pct(c.unknown_high, 1)}"
                               if c.unknown_low is not None and c.unknown_high is not None else "–"),
            "Nog te spreken": c.to_reach} for c in dim.categories]), hide_index=True, width="stretch")
        st.caption("Verhouding = aandeel gesproken ÷ aandeel in de buurt (1 = precies in lijn). "
                   "De 95%-marge laat zien hoe zeker het aandeel is bij dit aantal gesprekken. "
                   "'Nog te spreken' = hoeveel mensen van die groep er bij het huidige totaal nog "
                   "bij moeten om in lijn te komen. 'Met onbekenden' = het aandeel als alle of geen "
                   "van de onbekenden bij deze groep zouden horen.")


def show_cells(resp: pd.DataFrame, ref) -> None:
    st.subheader("Combinaties van kenmerken")
    cols = st.selectbox("Leeftijd gecombineerd met", ["gender", "household"],
                        format_func=DIMENSION_LABELS.get,
                        help="Zo ziet u of bijvoorbeeld vooral jonge mannen ontbreken.")
    cells = analysis.cells(resp, ref, "age", cols)
    if cells is None or cells.empty:
        st.info("Voor deze combinatie zijn te weinig gegevens.")
        return
    cells = cells.assign(ratio=cells["ratio"].where(cells["shown"]))
    low = cells[cells["ratio"] < 0.8]
    title = ("Leeftijd × " + DIMENSION_LABELS[cols].lower() + ": "
             + (f"{len(low)} combinaties zijn te weinig gesproken" if len(low) else "geen grote gaten"))
    st.plotly_chart(charts.cells_heatmap(cells, "ratio", "row", "col", title), width="stretch")
    st.caption("Elk vakje: aandeel gesproken ÷ geschat aandeel in de buurt (1 = in lijn, lager = "
               "te weinig). De buurtcijfers per combinatie zijn geschat uit de CBS-totalen; vakjes "
               "waar minder dan 5 gesprekken verwacht worden blijven leeg ('te weinig').")


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
        result = analysis.coverage(shown, ref, project.targets)
    st.markdown(f"### {plain(summary_sentence(result))}")
    area = plain(", ".join(name for _, name in ref.areas) or "de buurt")
    a, b, c = st.columns(3)
    a.metric("Gesproken", num(result.respondents),
             help="Aantal respondenten en gesprekken na de filters hierboven.")
    b.metric("Inwoners (doelgroep)", num(ref.eligible_population),
             help=f"Inwoners van {area} van {ref.min_age} jaar en ouder volgens het CBS ({ref.year}).")
    dims = [d for d in result.dimensions if d.categories]
    worst = max(dims, key=lambda d: d.cv) if dims else None
    c.metric("Meest scheve kenmerk", DIMENSION_LABELS.get(worst.dimension, "–") if worst else "–",
             help=CV_HELP)
    for warning in result.warnings:
        st.caption(f":material/warning: {plain(warning)}")
    tabs = st.tabs([DIMENSION_LABELS.get(d.dimension, d.dimension) for d in dims])
    for tab, dim in zip(tabs, dims):
        with tab:
            show_dimension(dim, ref)
    show_cells(shown, ref)
    source = ref.source if not ref.year or str(ref.year) in ref.source else f"{ref.source} {ref.year}"
    st.caption(f"{plain(source)} ({plain(ref.table)}), CC BY 4.0. CBS rondt aantallen "
               "per buurt af op vijftallen.")


run_page(body)
