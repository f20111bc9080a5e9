"""Profielen: which kinds of residents (by their answers, not demographics) did we meet?"""
from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ui import analysis, charts, state
from ui.widgets import channel_phrase, num, pct, plain, plain_lines, project_data, run_page

METHODS = {"kompas": "Kompas: betrokkenheid × vertrouwen (eenvoudig uit te leggen)",
           "lca": "Groepen met dezelfde antwoorden (berekend)"}


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


def _question(labels: dict[str, str], column: str) -> str:
    """The question text of an item column (the demo keeps texts; else the column name)."""
    short = str(column).removeprefix("item:")
    return labels.get(short) or short.replace("_", " ").capitalize()


def kompas_axes(project, resp) -> dict[str, list[str]] | None:
    """Let the team choose the questions of each kompas axis; stored with the project.

    Starts from profiles.items.suggest_items; returns the saved choice (None = the suggestion).
    """
    from profiles.items import suggest_items

    selection = suggest_items(resp)
    options = list(selection.usable)
    saved = {axis: [c for c in cols if c in options]
             for axis, cols in (project.settings.get("kompas_items") or {}).items()}
    if not options:
        return saved or None
    labels = project.settings.get("item_labels", {})
    eng = saved.get("engagement", list(selection.engagement)) if saved else list(selection.engagement)
    tru = saved.get("trust", list(selection.trust)) if saved else list(selection.trust)

    def show(column: str) -> str:
        return _question(labels, column) + (" (omgedraaid)" if column in selection.reversed else "")

    with st.expander("Vragen voor het kompas", expanded=not (eng and tru)):
        with st.form(f"kompas_items_{project.id}"):
            chosen_eng = st.multiselect("Betrokkenheid bij de buurt (van links naar rechts)", options,
                                        default=eng, format_func=show, key=f"kompas_eng_{project.id}")
            chosen_tru = st.multiselect("Vertrouwen in de gemeente (van onder naar boven)", options,
                                        default=tru, format_func=show, key=f"kompas_trust_{project.id}")
            submitted = st.form_submit_button("Vragen opslaan")
        st.caption("Bereikwijzer stelt vragen voor op basis van de vraagtekst; u kunt ze aanpassen. "
                   "'(omgedraaid)': een negatief gestelde vraag (bijv. 'ik voel me niet gehoord'), "
                   "daar telt 'oneens' als meer betrokken of meer vertrouwen.")
        if submitted:
            both = sorted(set(chosen_eng) & set(chosen_tru))
            if not chosen_eng or not chosen_tru:
                st.error("Kies voor beide assen minstens één vraag.", icon=":material/block:")
            elif both:
                st.error("Een vraag kan maar bij één as horen: " + plain(", ".join(show(c) for c in both)) + ".",
                         icon=":material/block:")
            else:
                state.set_kompas_items(project, {"engagement": chosen_eng, "trust": chosen_tru})
                st.rerun()
    return saved or None


def _rename(project, method: str, card_id: int, key: str) -> None:
    """Keep the name the team typed (a callback: runs only when the user edits the name)."""
    new = str(st.session_state.get(key, "")).strip()
    if new:
        names = {**project.profile_names.get(method, {}), str(card_id): new}
        state.set_profile_names(project, {**project.profile_names, method: names})


def show_cards(project, result) -> None:
    st.subheader("De profielen")
    labels = project.settings.get("item_labels", {})
    cols = st.columns(min(len(result.cards), 2) or 1)
    with_profile = sum(card.size for card in result.cards)
    for i, card in enumerate(result.cards):
        with cols[i % len(cols)].container(border=True):
            current = card.name
            st.markdown(f"#### {plain(current)}")  # the name the team typed
            st.caption(f"{num(card.size)} mensen · {pct(card.size / with_profile if with_profile else None)} "
                       f"van de {num(with_profile)} mensen met een profiel")
            if card.description:
                st.markdown(plain_lines(card.description))
            if card.top_answers:
                st.dataframe(pd.DataFrame([{
                    "Vraag": _question(labels, str(a.get("item", ""))), "Antwoord": a.get("answer", ""),
                    "In dit profiel": pct(a.get("share_in")), "Bij de rest": pct(a.get("share_out"))}
                    for a in card.top_answers[:5]]), hide_index=True, width="stretch")
                st.caption("De antwoorden die dit profiel het meest onderscheiden van de rest.")
            key = f"profile_name_{project.id}_{result.method}_{card.id}"  # per project and method
            st.text_input("Andere naam", value=current, key=key, on_change=_rename,
                          args=(project, result.method, card.id, key),
                          help="Geef het profiel een naam die uw team herkent.")


def show_channels(result, resp) -> None:
    from profiles.coverage import profile_by_channel

    table = profile_by_channel(result, resp)
    if table.empty:
        return
    if len(table.columns) < 2:
        st.caption(f"Alle mensen met een profiel sprak u {plain(channel_phrase(table.columns[0]))}. Met "
                   "meer kanalen ziet u hier welk kanaal welk profiel het best bereikt.")
        return
    order = [c.name for c in result.cards if c.name in table.index]
    table = table.reindex(order + [p for p in table.index if p not in order])  # colours as in the kompas
    mix = table.div(table.sum(axis=0), axis=1)  # profile mix within each channel
    long = mix.reset_index().melt(id_vars="profiel", var_name="kanaal", value_name="aandeel")
    long["kanaal"] = long["kanaal"].astype(str).str.capitalize()
    rarest = table.sum(axis=1).idxmin()
    best = mix.loc[rarest].idxmax()
    title = f"Profiel per kanaal: {rarest} bereikt u het best {channel_phrase(best)}"
    st.plotly_chart(charts.share_bars(long, "kanaal", "aandeel", "profiel", title, "Kanaal",
                                      "Aandeel binnen het kanaal"), width="stretch")
    spoken = set(resp["channel"].dropna().astype(str)) if "channel" in resp else set()
    missing = sorted(spoken - set(map(str, table.columns)))
    st.caption("Per kanaal: welk deel van de gesproken mensen bij welk profiel hoort. Zo ziet u "
               "welk kanaal het minst gesproken profiel het best bereikt."
               + (f" Niet in de grafiek: {plain(', '.join(m.capitalize() for m in missing))} (daar "
                  "beantwoordde niemand genoeg stellingen voor een profiel)." if missing else ""))


def show_profile_coverage(result, resp, ref, names_key: str) -> None:
    if ref is None:
        st.caption("Kies de buurt op de pagina **Project**; dan ziet u hier ook hoe de profielen "
                   "in de hele buurt verdeeld zijn.")
        return
    table = analysis.profile_coverage(result, resp, ref, names_key)
    if table is None or table.empty or table["population_share_estimate"].isna().all():
        st.info("Er zijn te weinig gegevens om het aandeel van de profielen in de buurt te schatten.")
        return
    st.subheader("Profielen in de buurt")
    st.plotly_chart(charts.profile_coverage_figure(table), width="stretch")
    st.caption(f"Geschat aandeel van elk profiel in de hele buurt: de profielmix per leeftijds- en "
               f"geslachtsgroep, gewogen met de CBS-cijfers. Deze schatting dekt "
               f"{pct(float(table['covered_share'].iloc[0]))} van de buurt; groepen waarmee u nog "
               "niemand sprak, kunnen niet worden meegeteld.")


def body() -> None:
    st.title("Profielen")
    data = project_data(need_reference=False)
    if data is None:
        return
    project, resp = data.project, data.respondents
    method = st.radio("Soort profielen", list(METHODS), format_func=METHODS.get, horizontal=True,
                      help="Het kompas gebruikt twee vaste assen. De statistische profielen zoeken "
                           "zelf groepen mensen die op elkaar lijken in hun antwoorden.")
    axes = kompas_axes(project, resp) if method == "kompas" else None
    with st.spinner("Profielen zoeken…"):
        result = analysis.named(analysis.profiles(resp, method, axes), project.profile_names, method)
    if result is None or not result.cards:
        problem = analysis.profiles_problem(resp, method, axes)
        st.info("Er zijn te weinig antwoorden op stellingen om profielen te maken. Profielen "
                "hebben stellingen over betrokkenheid en vertrouwen nodig (schaal eens/oneens)."
                + (f"\n\n**Waarom hier niet:** {plain(problem)}" if problem else ""))
        if method == "kompas":
            st.caption("Probeer ook **Groepen met dezelfde antwoorden** hierboven: die hebben geen "
                       "vaste vragen over betrokkenheid en vertrouwen nodig.")
        return
    if result.reason and method == "kompas":
        st.caption(plain(result.reason))
    elif result.reason:
        with st.expander("Hoe zijn deze groepen berekend?"):
            st.write("Bereikwijzer zoekt groepen mensen die vaak dezelfde antwoorden geven op de "
                     "stellingen. Het aantal groepen kiest het zelf: zo weinig mogelijk, maar zo "
                     "veel als nodig. Technische toelichting:")
            st.caption(plain(result.reason))
    for warning in result.warnings:
        st.caption(f":material/warning: {plain(warning)}")
    if method == "kompas":
        show_kompas(result)
    show_cards(project, result)
    show_channels(result, resp)
    show_profile_coverage(result, resp, data.reference,
                          json.dumps(project.profile_names.get(method, {}), sort_keys=True))


run_page(body)
