"""Bereik's parts: one kenmerk's figures and chart, the two-way cells, the persons assumptions
and the respondent filter. Drawing only; the numbers come from engagement via ui.analysis."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engagement.vocabulary import age_words, group_label
from reports import privacy
from surveys.categories import DIMENSION_LABELS
from surveys.thresholds import UNDER
from ui import analysis, charts, charts_vega, state
from ui.widgets import num, pct, plain, stacked_table

CV_HELP = ("CV (variatiecoëfficiënt van de respons): hoe ongelijk de groepen gesproken zijn. "
           "0 is perfect gelijk; boven 0,3 is het scheef. Dit getal weegt het zwaarst.")


R_HELP = ("R-indicator van het CBS: 1 is een perfect representatieve respons. Bij weinig "
          "gesprekken blijft R vaak dicht bij 1, kijk daarom vooral naar de CV.")


NO_CHANNEL = "__geen_kanaal__"  # rows without a channel (no team names a channel like this)


def _channel_option(channel: str) -> str:
    return "Onbekend kanaal" if channel == NO_CHANNEL else channel.capitalize()


def filter_respondents(resp: pd.DataFrame) -> pd.DataFrame:
    """Channel and period filters; returns the filtered table."""
    left, right = st.columns(2)
    if "channel" in resp and resp["channel"].notna().any():
        # rows without a channel are a choice of their own ('Onbekend'), so that all chosen
        # (the default) keeps every row, as the report and the other pages count them
        channel = resp["channel"].astype(object).where(resp["channel"].notna(), NO_CHANNEL).astype(str)
        channels = sorted(set(channel) - {NO_CHANNEL}) + ([NO_CHANNEL] if (channel == NO_CHANNEL).any() else [])
        chosen = left.multiselect("Kanaal", channels, default=channels, format_func=_channel_option,
                                  placeholder="Kies een of meer kanalen", select_all=False, wrap=True,
                                  help="Toon alleen de antwoorden die via deze kanalen binnenkwamen.")
        resp = resp[channel.isin(chosen).to_numpy()]
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


# Old saved references compared households and dwellings; a reference with `assumptions`
# counts persons (reference.build) and states how, so it gets those sentences instead.
UNIT_NOTES = {
    "huishoudens": (
        "Let op: het CBS telt hier **huishoudens**, geen personen. We vergelijken dus het aandeel "
        "van de gesproken mensen met het aandeel van de huishoudens in de buurt. In een gezin wonen "
        "meer mensen dan in een eenpersoonshuishouden, dus alleenstaanden lijken al snel "
        "ondervertegenwoordigd, ook als dat niet zo is. Zie deze vergelijking als een indicatie. "
        "Kies de buurt opnieuw op de pagina Project, dan rekenen we in personen."),
    "woningen": (
        "Let op: het CBS telt hier **woningen**, geen personen. We vergelijken dus het aandeel "
        "van de gesproken mensen met het aandeel van de woningen (koop, corporatie, particuliere "
        "huur). Niet in elke soort woning wonen evenveel mensen. Zie deze vergelijking als een "
        "indicatie. Kies de buurt opnieuw op de pagina Project, dan rekenen we in personen."),
}


DEFAULT_UNITS = {"household": "huishoudens", "tenure": "woningen"}


ASSUMPTION_WORDS = {"household": ("huishouden", "alleenstaand"), "tenure": ("woning",),
                    "age": ("leeftijd",), "income": ("inkomen",)}


def unit_note(dimension: str, ref) -> str | None:
    """The caveat for a dimension still counted in households or dwellings, not persons."""
    units = getattr(ref, "units", None) or {}
    unit = units.get(dimension)
    if unit is None and not getattr(ref, "assumptions", ()):
        unit = DEFAULT_UNITS.get(dimension)  # a reference saved before persons were derived
    return UNIT_NOTES.get(unit or "")


def dimension_assumptions(dimension: str, ref) -> list[str]:
    """The reference's assumption sentences that are about this kenmerk."""
    words = ASSUMPTION_WORDS.get(dimension, ())
    return [a for a in getattr(ref, "assumptions", ()) if any(w in a.lower() for w in words)]


def persons_note(dimension: str, ref) -> str | None:
    """How a kenmerk that CBS counts in households or dwellings was turned into persons."""
    sentences = dimension_assumptions(dimension, ref) if dimension in DEFAULT_UNITS else []
    if not sentences:
        return None
    return "Zo is gerekend: " + " ".join(plain(a) for a in sentences)


FIGURE_NUMBERS = ("In de buurt", "Gesproken", "Aandeel gesproken (95%-marge)", "Verhouding",
                  "Nog te spreken (nu)", "Nodig in het plan", "Met onbekenden")


def figures_frame(dim, min_age: int | None, plan_needed: dict[str, int] | None) -> pd.DataFrame:
    """The figures of one kenmerk per group, as text, for the table under the chart.
    'Nodig in het plan' is '–' where the verdict is 'onzeker': the plan does not steer on
    that group (engagement.planner withholds it), so a 0 there would read as 'genoeg'."""
    needed = plan_needed or {}
    return pd.DataFrame([{
        "Groep": group_label(c.category, min_age), "In de buurt": pct(c.population_share, 1),
        "Gesproken": num(c.respondents),
        "Aandeel gesproken (95%-marge)": (f"{pct(c.respondent_share, 1)} "
                                         f"({pct(c.ci_low, 1)} – {pct(c.ci_high, 1)})"),
        "Verhouding": num(c.ratio, 2), "Nog te spreken (nu)": num(c.to_reach),
        "Nodig in het plan": (num(needed.get(c.category, 0)) if plan_needed is not None and not c.uncertain
                              else "–"),
        "Oordeel": charts.status_label(c),
        "Met onbekenden": (f"{pct(c.unknown_low, 1)} – {pct(c.unknown_high, 1)}"
                           if c.unknown_low is not None and c.unknown_high is not None
                           and pct(c.unknown_low, 1) != pct(c.unknown_high, 1) else "–")}
        for c in dim.categories], columns=["Groep", *FIGURE_NUMBERS[:6], "Oordeel", "Met onbekenden"])


def show_dimension(dim, ref=None, plan_needed: dict[str, int] | None = None) -> None:
    spec = charts_vega.coverage_chart(dim, plan_needed, getattr(ref, "min_age", None))
    st.vega_lite_chart(spec, width="stretch")  # its description is the accessible name
    if plan_needed and any(plan_needed.get(c.category, 0) > 0 and c.flag in ("ok", "over")
                           for c in dim.categories):
        st.caption(":material/group_add: 'plan: nog … erbij' staat ook bij groepen die nu in lijn zijn. "
                   "Als u andere groepen aanvult, wordt het totaal groter en raakt zo'n groep "
                   "anders achter.")
    note = unit_note(dim.dimension, ref)
    persons = persons_note(dim.dimension, ref)
    if note:
        st.caption(f":material/info: {note}")
    elif persons:
        st.caption(f":material/info: {persons}")
    min_age = getattr(ref, "min_age", None)
    parts = [f"Onbekend: {num(dim.unknown)} personen ({pct(dim.unknown_share)}: niet ingevuld of "
             "'zeg ik liever niet'); zij tellen niet mee in de percentages." if dim.unknown else
             "Iedereen heeft dit kenmerk ingevuld."]
    if dim.estimated:
        parts.append("Een deel van de leeftijden of groepen is geschat (bijv. leeftijdsklassen "
                     "die niet precies op die van het CBS passen).")
    parts.append(f"Hoe scheef: CV {num(dim.cv, 2)} (0 = gelijk, boven 0,3 = scheef) · R-indicator "
                 f"{num(dim.r_indicator, 2)} · de minst bereikte groep is {num(dim.min_max_ratio, 2)} "
                 "keer zo goed bereikt als de best bereikte groep.")
    st.caption(" ".join(parts), help=CV_HELP + " " + R_HELP)
    if dim.uncertain:
        which = ("Daarom staat er bij de groepen waar dat kan 'onzeker' in plaats van een oordeel."
                 if any(c.uncertain for c in dim.categories) else
                 "De oordelen hieronder zijn daarom minder zeker dan ze lijken.")
        st.caption(f":material/help: **Onzeker**: {pct(dim.unknown_share)} van de mensen gaf bij dit "
                   "kenmerk geen antwoord. Als die mensen vooral bij één groep horen, kan het "
                   f"oordeel anders uitvallen. {which} Vraag dit kenmerk in volgende gesprekken "
                   "vaker uit.")
    for warning in dim.warnings:
        st.caption(f":material/warning: {plain(age_words(warning, min_age))}")
    with st.expander(f"Cijfers {DIMENSION_LABELS.get(dim.dimension, dim.dimension).lower()}"):
        # a table on a screen, one card per group on a phone (ui.widgets.stacked_table): an
        # st.table squeezed nine columns into 390 px until words broke mid-letter
        stacked_table(figures_frame(dim, min_age, plan_needed), row_header=True, numbers=FIGURE_NUMBERS)
        st.caption("**Verhouding** = aandeel gesproken ÷ aandeel in de buurt (1 = precies in lijn). "
                   "De **95%-marge** (tussen haakjes) laat zien hoe zeker het aandeel is bij dit aantal "
                   "gesprekken. "
                   "**Met onbekenden** = het aandeel als alle of geen van de onbekenden bij deze "
                   "groep zouden horen.")
        st.caption("**Nog te spreken (nu)** = hoeveel mensen van deze groep erbij moeten als er "
                   "verder niemand bijkomt. Maar elk nieuw gesprek maakt het totaal groter, en "
                   "dan hebben ook de andere groepen meer mensen nodig. **Nodig in het plan** "
                   "telt dat mee: zoveel mensen van deze groep zijn nodig als u alle groepen "
                   "tegelijk aanvult, tot geen groep meer te weinig gesproken is. Dat is het getal "
                   "om mee te plannen (zie **Aanbevelingen**)."
                   + (" Bij een groep met oordeel 'onzeker' staat '–': daar stuurt het plan niet op, "
                      "omdat we niet weten of u te weinig of genoeg mensen uit die groep sprak."
                      if plan_needed is not None and any(c.uncertain for c in dim.categories) else ""))


def show_cells(resp: pd.DataFrame, ref, targets=None) -> None:
    """The heatmap of age × gender or household. `targets`: the project's (else the open
    project's), so the coverage whose hidden groups it hides is Bereik's own, cached."""
    st.subheader("Combinaties van kenmerken")
    options: list[str] = ["gender", "household"]
    cols = st.selectbox("Leeftijd gecombineerd met", options,
                        format_func=lambda d: DIMENSION_LABELS.get(d, d),
                        help="Zo ziet u of bijvoorbeeld vooral jonge mannen ontbreken.") or options[0]
    if targets is None:
        project = state.current_project()
        targets = project.targets if project is not None else None
    result, figure = cells_chart(resp, ref, cols, targets)
    if figure is None:
        st.info("Voor deze combinatie zijn te weinig gegevens.")
        return
    st.vega_lite_chart(figure, width="stretch")  # its description is the accessible name
    if result.independence:
        st.caption(":material/info: **Dit is een schatting.** Het CBS geeft leeftijd en "
                   f"{DIMENSION_LABELS[cols].lower()} alleen los, niet samen. Hoeveel mensen er per "
                   "combinatie wonen, hebben we geschat alsof de twee kenmerken los van elkaar "
                   "staan. In het echt is dat vaak niet zo (bijvoorbeeld: 65-plussers wonen minder "
                   "vaak in een gezin met kinderen). Gebruik de vakjes als aanwijzing om verder te "
                   "kijken, niet als oordeel. Een vakje krijgt daarom ook nooit zelf een oordeel.")
    hidden = any(r["tekst"] == charts_vega.HIDDEN for r in figure["data"]["values"])
    st.caption("Elk vakje: aandeel gesproken ÷ geschat aandeel in de buurt (1 = in lijn, lager = "
               "te weinig). Vakjes waar minder dan 5 gesprekken verwacht worden blijven leeg "
               "('te weinig')."
               + (f" Een vakje met 'verborgen' blijft ook leeg: daar spraken we minder dan {K} mensen, "
                  "of het aantal is verborgen zodat u een verborgen aantal niet kunt terugrekenen "
                  "(net als in het rapport)." if hidden else ""))


K = privacy.DEFAULT_K  # the dashboard's k, as the report made on the Rapport page


def cells_chart(resp: pd.DataFrame, ref, cols: str, targets=None):
    """(CellsResult, heatmap of age × `cols`); the figure is None without enough data.
    A cell the report's Cellen sheet hides (privacy.cells_status, with the groups hidden in
    Bereik's coverage of these respondents and `targets`) shows 'verborgen', no ratio."""
    result = analysis.cells(resp, ref, "age", cols)
    if result.empty:
        return result, None
    cells = result.to_frame()
    hidden = privacy.hidden_groups(analysis.coverage(resp, ref, targets), K)
    status = privacy.cells_status(cells, hidden, K)
    secret = [s in (privacy.PRIMARY, privacy.SECONDARY) for s in status]  # the report's '<10' and 'x'
    cells = cells.assign(ratio=cells["ratio"].where(cells["shown"] & ~pd.Series(secret, index=cells.index)),
                         verborgen=secret)
    low = cells[cells["ratio"] < UNDER]
    name = "Leeftijd × " + DIMENSION_LABELS[cols].lower()
    gaps = "geen opvallende gaten" if result.independence else "geen grote gaten"
    if any(secret):  # a hidden cell may be a gap: no claim about it
        gaps += " in de getoonde vakjes"
    if result.independence:  # an estimate under independence is never a verdict on its own
        title = (f"{name} (schatting): {len(low)} combinaties lijken minder gesproken"
                 if len(low) else f"{name} (schatting): {gaps}")
    else:
        title = f"{name}: " + (f"{len(low)} combinaties zijn te weinig gesproken" if len(low) else gaps)
    return result, charts_vega.cells_chart(cells, "ratio", "row", "col", title, getattr(ref, "min_age", None))


def needed_by_dimension(plan) -> dict[str, dict[str, int]]:
    """The fieldwork plan's joint number per kenmerk and group ({} without a plan)."""
    by_dim: dict[str, dict[str, int]] = {}
    for group in (plan.groups if plan is not None else ()):
        by_dim.setdefault(group.dimension, {})[group.category] = group.needed
    return by_dim


def first_screen(resp: pd.DataFrame, ref, targets):
    """(CoverageResult, Plan | None) of these respondents: what Bereik computes first."""
    result = analysis.coverage(resp, ref, targets)
    return result, (analysis.plan(resp, ref) if result.dimensions else None)


def prime(resp: pd.DataFrame, ref, targets) -> None:
    """Compute what Bereik shows first with its default choices (every channel, the whole
    period, the first kenmerk, age × gender) into the shared caches (ui.analysis and
    ui.charts_vega's specs): ui.warm calls it at server start, so the first visit only draws."""
    result, plan = first_screen(resp, ref, targets)
    dims = [d for d in result.dimensions if d.categories]
    if dims:
        charts_vega.coverage_chart(dims[0], needed_by_dimension(plan).get(dims[0].dimension)
                                   if plan is not None else None, getattr(ref, "min_age", None))
    cells_chart(resp, ref, "gender", targets)


def show_assumptions(ref) -> None:
    """The expander 'Zo is gerekend': every assumption behind the buurt figures and the verdicts."""
    with st.expander("Zo is gerekend", icon=":material/calculate:"):
        lines = [plain(a) for a in getattr(ref, "assumptions", ())]
        if getattr(ref, "margins", None):
            lines.append("Ook de buurtcijfers zijn niet precies: het CBS rondt af op vijftallen en "
                         "sommige groepen zijn geschat. We noemen een verschil pas **duidelijk** als "
                         "het ook met die onzekerheid blijft bestaan.")
        lines.append(f"We tellen alleen mensen van {ref.min_age} jaar en ouder. Testinvoer, "
                     "voorbeeldweergaven en mensen die zeggen dat ze niet in de buurt wonen, tellen "
                     "niet mee (ook niet bij de andere kenmerken).")
        lines.append("Bij een kleine buurt telt mee dat u al een flink deel van de bewoners sprak: "
                     "de marges worden dan smaller (eindige-populatiecorrectie).")
        lines.append("We toetsen veel groepen tegelijk. Daardoor lijkt er soms toevallig een groep "
                     "te weinig gesproken. We corrigeren daarvoor (methode van Holm), zodat "
                     "'duidelijk' ook echt duidelijk is.")
        lines.append("Gaf meer dan 20 % geen antwoord op een kenmerk, dan staat er 'onzeker' bij de "
                     "groepen waar de onbekenden het oordeel kunnen omdraaien.")
        st.markdown("\n".join(f"- {line}" for line in lines))
