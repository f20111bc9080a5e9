"""Profielen: which kinds of residents (by their answers, not demographics) did we meet?"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from surveys.categories import label
from ui import analysis, charts, state
from ui.widgets import fictional_banner, no_data_yet, not_available, num, pct, run_page

METHODS = {"kompas": "Kompas: betrokkenheid × vertrouwen (eenvoudig uit te leggen)",
           "lca": "Profielen uit de antwoorden (latente klassen, statistisch)"}


def show_kompas(result) -> None:
    fig = charts.kompas_figure(result)
    if fig is None:
        st.caption("Het kompas heeft scores voor betrokkenheid en vertrouwen nodig; die zijn er "
                   "voor deze profielen niet.")
        return
    st.plotly_chart(fig, width="stretch")
    st.caption("Elke stip is één respondent. Rechts = meer betrokken bij de buurt, boven = meer "
               "vertrouwen in invloed op de gemeente. De stippellijnen liggen op het midden van "
               "de schaal en verdelen de vier profielen.")


def show_cards(project, result) -> None:
    st.subheader("De profielen")
    names = dict(project.profile_names)
    cols = st.columns(min(len(result.cards), 2) or 1)
    for i, card in enumerate(result.cards):
        with cols[i % len(cols)].container(border=True):
            current = names.get(str(card.id), card.name)
            st.markdown(f"#### {current}")
            st.caption(f"{num(card.size)} respondenten · {pct(card.share)} van de gesproken mensen")
            if card.description:
                st.write(card.description)
            if card.top_answers:
                st.dataframe(pd.DataFrame([{
                    "Vraag": a.get("item", ""), "Antwoord": a.get("answer", ""),
                    "In dit profiel": pct(a.get("share_in")), "Bij de rest": pct(a.get("share_out"))}
                    for a in card.top_answers[:5]]), hide_index=True, width="stretch")
                st.caption("De antwoorden die dit profiel het meest onderscheiden van de rest.")
            new = st.text_input("Andere naam", value=current, key=f"profile_name_{card.id}",
                                help="Geef het profiel een naam die uw team herkent.")
            if new.strip() and new.strip() != current:
                names[str(card.id)] = new.strip()
                state.set_profile_names(project, names)
                st.rerun()


def show_channels(result) -> None:
    rows = [{"Profiel": c.name, "Kanaal": str(ch).capitalize(), "Aandeel": share}
            for c in result.cards for ch, share in c.channels.items()]
    if not rows:
        return
    frame = pd.DataFrame(rows)
    top = frame.sort_values("Aandeel", ascending=False).groupby("Profiel").head(1)
    best = "; ".join(f"{r.Profiel} vooral via {r.Kanaal.lower()}" for r in top.itertuples())
    st.plotly_chart(charts.share_bars(frame, "Profiel", "Aandeel", "Kanaal",
                                      f"Profiel en kanaal: {best}", "Profiel",
                                      "Aandeel van het profiel"), width="stretch")
    st.caption("Per profiel: via welke kanalen deze mensen gesproken zijn. Een profiel dat alleen via "
               "één kanaal binnenkomt, mist u als dat kanaal stopt.")


def show_profile_coverage(result, resp, ref) -> None:
    try:
        from engagement.cells import reference_cells
        from profiles.coverage import profile_coverage
    except ImportError:
        not_available("Het geschatte aandeel van elk profiel in de buurt")
        return
    if ref is None:
        return
    table = profile_coverage(result, resp, reference_cells(ref))
    if table is None or table.empty:
        return
    st.subheader("Profielen in de buurt")
    st.plotly_chart(charts.profile_coverage_figure(table), width="stretch")
    st.caption("Geschat aandeel van elk profiel in de hele buurt (uit de profielmix per leeftijds- en "
               "geslachtsgroep en de CBS-cijfers) naast het aandeel onder de gesproken mensen.")


def body() -> None:
    st.title("Profielen")
    project = state.current_project()
    if project is None:
        not_available("Het opslaan van projecten")
        return
    fictional_banner(project.is_demo)
    resp = state.respondents(project)
    if resp is None or resp.empty:
        no_data_yet(project.name)
        return
    try:
        import profiles  # noqa: F401
        from profiles import fit_profiles  # noqa: F401
    except ImportError:
        not_available("Het vinden van profielen")
        return
    method = st.radio("Soort profielen", list(METHODS), format_func=METHODS.get, horizontal=True,
                      help="Het kompas gebruikt twee vaste assen. De statistische profielen zoeken "
                           "zelf groepen mensen die op elkaar lijken in hun antwoorden.")
    with st.spinner("Profielen zoeken…"):
        result = analysis.profiles(resp, method)
    if result is None or not result.cards:
        st.info("Er zijn te weinig antwoorden op stellingen om profielen te maken. Profielen "
                "hebben stellingen over betrokkenheid en vertrouwen nodig (schaal eens/oneens).")
        return
    if result.reason:
        st.caption(result.reason)
    for warning in result.warnings:
        st.caption(f"⚠️ {warning}")
    if method == "kompas":
        show_kompas(result)
    show_cards(project, result)
    show_channels(result)
    show_profile_coverage(result, resp, state.reference(project))


run_page(body)
