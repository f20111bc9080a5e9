"""Profielen's parts: the kompas and its axis choice, the profile cards with their renames, the
selection table, channels per profile and profile coverage. Drawing only; the profiles come
from profiles via ui.analysis."""
from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import streamlit as st

from engagement.channels import MIN_GROUP, best_order
from ui import analysis, charts_vega_profiles, profile_charts, state
from ui.widgets import channel_phrase, num, pct, plain, plain_lines, stacked_table

METHODS = {"kompas": "Kompas: betrokkenheid × vertrouwen (eenvoudig uit te leggen)",
           "lca": "Groepen met dezelfde antwoorden (berekend)"}


def show_kompas(result) -> None:
    spec = charts_vega_profiles.kompas_chart(result)
    if spec is None:
        st.caption("Het kompas heeft scores voor betrokkenheid en vertrouwen nodig; die zijn er "
                   "voor deze profielen niet.")
        return
    st.vega_lite_chart(spec, width="stretch")  # its description is the accessible name
    st.caption("Een stip staat voor de mensen met precies dezelfde scores: de scores zijn gemiddelden "
               "van een paar antwoorden, dus veel mensen komen op hetzelfde punt uit. Hoe groter de stip, "
               "hoe meer mensen daar zitten; wijs een stip aan voor het aantal. Rechts = meer betrokken "
               "bij de buurt, boven = meer vertrouwen in invloed op de gemeente. De stippellijnen liggen "
               "op het midden van de schaal en verdelen de vier hoeken. Wie op beide assen rond het "
               "midden antwoordt (gemiddeld afgerond 'neutraal'), valt in het grijze vak in het midden: "
               "een eigen profiel, standaard 'Afwachtend midden' genoemd.")


def _question(labels: dict[str, str], column: str) -> str:
    """The question text of an item column (the demo keeps texts; else the column name)."""
    short = str(column).removeprefix("item:")
    return labels.get(str(column)) or labels.get(short) or short.replace("_", " ").capitalize()


CHOOSE_AXES = "Kies de vragen voor beide assen."


def has_choice(resp) -> bool:
    """Whether the kompas question selector is on the page (there are statements to pick)."""
    from profiles.items import suggest_items

    return bool(suggest_items(resp).usable)


def kompas_axes(project, resp) -> dict[str, list[str]] | None:
    """Let the team choose the questions of each kompas axis; stored with the project.

    Starts from profiles.items.suggest_items; returns the saved choice (None = the suggestion).
    """
    from profiles.items import suggest_items

    selection = suggest_items(resp)
    options = list(selection.usable)
    saved = _saved_axes(project, options)
    if not options:
        return saved or None
    labels = state.statement_texts(project)
    eng = saved.get("engagement", list(selection.engagement)) if saved else list(selection.engagement)
    tru = saved.get("trust", list(selection.trust)) if saved else list(selection.trust)

    def show(column: str) -> str:
        return _question(labels, column) + (" (omgedraaid)" if column in selection.reversed else "")

    with st.expander("Vragen voor het kompas", expanded=not (eng and tru)):
        with st.form(f"kompas_items_{project.id}"):
            chosen_eng = st.multiselect("Betrokkenheid bij de buurt (van links naar rechts)", options,
                                        default=eng, format_func=show, key=f"kompas_eng_{project.id}",
                                        placeholder="Kies een of meer vragen", select_all=False)
            chosen_tru = st.multiselect("Vertrouwen in de gemeente (van onder naar boven)", options,
                                        default=tru, format_func=show, key=f"kompas_trust_{project.id}",
                                        placeholder="Kies een of meer vragen", select_all=False)
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


def _saved_axes(project, options: list[str]) -> dict[str, list[str]]:
    return {axis: [c for c in cols if c in options]
            for axis, cols in (project.settings.get("kompas_items") or {}).items()}


def min_age(project, ref) -> int:
    """The minimum age the page counts from: the buurt's (as Bereik and the report), else the project's."""
    return int(ref.min_age if ref is not None else project.min_age)


def skipped_sentence(resp, age: int) -> str:
    """Bereik's 'Niet meegeteld: …' for the rows the profiles leave out ('' when none); a
    probability sample is not among them: it is the yardstick of the buurt shares."""
    from engagement.coverage import eligible_respondents, excluded_sentence

    _, excluded = eligible_respondents(resp, age)
    excluded.pop("probability_sample", None)
    text = excluded_sentence(excluded, age)
    return f"{text} Deze antwoorden tellen ook voor de profielen niet mee." if text else ""


def prime(project, resp, ref) -> None:
    """Fit the kompas profiles (the page's default) and their buurt shares into the shared
    caches (ui.analysis), as the page would with the saved questions: ui.warm calls it in
    the background after the first page, so a first visit of Profielen does not fit."""
    from profiles.items import suggest_items

    resp = analysis.profile_rows(resp, min_age(project, ref))  # as show_profiles, so the cache is hit
    axes = _saved_axes(project, list(suggest_items(resp).usable)) or None
    labels = state.statement_texts(project) or None
    result = analysis.named(analysis.profiles(resp, "kompas", axes, labels), project.profile_names, "kompas")
    if result is not None and result.cards and ref is not None:
        analysis.profile_coverage(result, resp, ref,
                                  json.dumps(project.profile_names.get("kompas", {}), sort_keys=True))


_DROPPED = re.compile(r"^Vraag '([^']+)' is weggelaten[.:] ?")


def show_warnings(warnings, labels: dict[str, str]) -> None:
    """The library's warnings; the many 'question left out' lines (a Burgerpeiling has
    dozens) fold into one expander that names each question by its text, not its column."""
    dropped = []
    for warning in warnings:
        match = _DROPPED.match(str(warning))
        if match is None:
            st.caption(f":material/warning: {plain(warning)}")
        else:
            reason = str(warning)[match.end():].removeprefix("Weggelaten: ")
            dropped.append(f"{_question(labels, match.group(1))}: {reason}")
    if len(dropped) == 1:
        st.caption(f":material/warning: Niet gebruikt voor de profielen: {plain(dropped[0])}")
    elif dropped:
        with st.expander(f"{len(dropped)} vragen niet gebruikt voor de profielen",
                         icon=":material/warning:"):
            st.markdown("\n".join(f"- {plain(line)}" for line in dropped))


def _rename(project, method: str, card_id: int, key: str) -> None:
    """Keep the name the team typed (a callback: runs only when the user edits the name)."""
    new = str(st.session_state.get(key, "")).strip()
    if new:
        names = {**project.profile_names.get(method, {}), str(card_id): new}
        per_method: dict[str, Any] = {**project.profile_names, method: names}  # names per method
        state.set_profile_names(project, per_method)


TYPICAL_CAPTION = "Geen antwoord springt eruit; dit zijn de meest gegeven antwoorden."


DISTINCT_CAPTION = "De antwoorden die dit profiel het meest onderscheiden van de rest."


def _statement(labels: dict[str, str], answer: dict) -> str:
    """The full statement of a card answer: the import's question text when the project
    kept it (by the answer's column), else the text the library gave."""
    column = str(answer.get("column", ""))
    short = column.removeprefix("item:")
    return labels.get(column) or labels.get(short) or str(answer.get("item", "")) or short


def _answers(labels: dict[str, str], card) -> None:
    """The card's answers as a list, so long statements wrap (a table cell would cut them)."""
    if not card.top_answers:
        return
    typical = card.top_answers[0].get("kind") == "typisch"
    lines = []
    for a in card.top_answers[:5]:
        answer = plain(a.get("answer", ""))
        share = f"{pct(a.get('share_in'))} in dit profiel, {pct(a.get('share_out'))} bij de rest"
        lines.append(f"- **{answer}**: {plain(_statement(labels, a))} ({share})")
    st.markdown("\n".join(lines))
    st.caption(TYPICAL_CAPTION if typical else DISTINCT_CAPTION)


def _trust_line(card) -> str:
    """Stability and certainty in words a team reads (only what the method gives)."""
    parts = []
    if card.stability is not None and card.stability == card.stability:
        parts.append(f"stabiliteit {num(card.stability, 2)} (1 = de groep komt altijd terug als we "
                     "opnieuw rekenen met een andere trekking uit de respondenten)")
    if card.certainty is not None and card.certainty == card.certainty:
        parts.append(f"zekerheid van de indeling {pct(card.certainty)} (hoe zeker de leden gemiddeld "
                     "bij deze groep horen)")
    return ("Betrouwbaarheid: " + "; ".join(parts) + ".") if parts else ""


def show_cards(project, result) -> None:
    st.header("De profielen")
    labels = state.statement_texts(project)
    cols = st.columns(min(len(result.cards), 2) or 1)
    with_profile = sum(card.size for card in result.cards)
    for i, card in enumerate(result.cards):
        with cols[i % len(cols)].container(border=True):
            current = card.name
            st.markdown(f"### {plain(current)}")  # the name the team typed (a heading wraps); h3 under h2
            if card.flag:
                st.badge(plain(card.flag), icon=":material/warning:", color="orange")
            st.caption(f"{num(card.size)} mensen · {pct(card.size / with_profile if with_profile else None)} "
                       f"van de {num(with_profile)} mensen met een profiel")
            if card.note:
                st.caption(plain(card.note))
            if card.description:
                st.markdown(plain_lines(card.description))
            _answers(labels, card)
            trust = _trust_line(card)
            if trust:
                st.caption(trust)
            key = f"profile_name_{project.id}_{result.method}_{card.id}"  # per project and method
            st.text_input("Andere naam", value=current, key=key, on_change=_rename,
                          args=(project, result.method, card.id, key),
                          help="Geef het profiel een naam die uw team herkent.")


def show_selection(result) -> None:
    """"Hoe zijn deze groepen berekend?": the reason and the table of every k tried."""
    with st.expander("Hoe zijn deze groepen berekend?"):
        st.markdown("Bereikwijzer zoekt groepen mensen die vaak dezelfde antwoorden geven op de "
                    "stellingen. Het rekent dat uit voor 1 groep, 2 groepen, enzovoort. Een lagere "
                    "**BIC** of **SABIC** betekent: dit aantal groepen past beter bij de antwoorden "
                    "(de SABIC laat sneller een kleine groep toe). **Stabiliteit** zegt of de groepen "
                    "terugkomen als we opnieuw rekenen met een andere trekking uit de respondenten "
                    "(1 = altijd; vanaf 0,6 stabiel). Een kleine groep wordt nooit alleen om zijn "
                    "grootte weggelaten: juist die kan de mensen zijn die u nog mist. Hij krijgt dan "
                    "het label *klein, onzeker*.")
        table = profile_charts.selection_table(result.selection)
        if not table.empty:  # one card per row on a phone (8 columns broke words mid-letter)
            stacked_table(table)
        if result.reason:
            st.caption(plain(result.reason))


def channel_conclusion(table: pd.DataFrame) -> str:
    """The line above 'Profielmix per kanaal' (profiles × channels counts): which channel
    reaches the least spoken profile best, by THE rule (engagement.channels.best_order: at
    least MIN_GROUP people of the profile through the channel, then the highest share), so
    a channel of three people is never called best."""
    mix = table.div(table.sum(axis=0), axis=1)
    rarest = str(table.sum(axis=1).idxmin())
    order = best_order((str(c), float(table.at[rarest, c]), float(mix.at[rarest, c])) for c in table.columns)
    if order:
        return f"Profiel per kanaal: {rarest} bereikt u het best {channel_phrase(order[0])}"
    return (f"Profiel per kanaal: voor {rarest} is nog niet te zeggen welk kanaal het best werkt "
            f"(via geen enkel kanaal sprak u al {MIN_GROUP} mensen met dit profiel)")


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
    # the conclusion as page text (it wraps; a chart title with a long team name runs off)
    st.markdown(f"**{plain(channel_conclusion(table))}**")
    spec = charts_vega_profiles.share_bars_chart(long, "kanaal", "aandeel", "profiel", "Profielmix per kanaal",
                                                 "Kanaal", "Aandeel binnen het kanaal",
                                                 order=[c.name for c in result.cards])
    st.vega_lite_chart(spec, width="stretch")  # its description is the accessible name
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
    typed = analysis.profile_coverage(result, resp, ref, names_key)
    table = None if typed is None else typed.to_frame()
    if typed is None or table is None or table.empty or table["population_share_estimate"].isna().all():
        st.info("Er zijn te weinig gegevens om het aandeel van de profielen in de buurt te schatten.")
        return

    st.header("Profielen in de buurt")
    if typed.caveat:
        st.info(plain(typed.caveat), icon=":material/info:")
    st.markdown(f"**{plain(profile_charts.coverage_title(table))}**")  # wraps, unlike a chart title
    st.vega_lite_chart(charts_vega_profiles.profile_coverage_chart(table), width="stretch")
    reference = typed.reference
    how = "Balk: aandeel onder de gesproken mensen. Ruitje: geschat aandeel in de buurt, met de bandbreedte."
    covered = float(table["covered_share"].iloc[0]) if "covered_share" in table else 1.0
    if reference == "cbs_cellen" and covered < 0.995:
        how += (f" De schatting dekt {pct(covered)} van de buurt: groepen (leeftijd × geslacht) waarmee u "
                "nog niemand sprak, kunnen niet worden meegeteld.")
    st.caption(how)
    if typed.assumption:
        st.caption(plain(typed.assumption))
    # a table on a screen, one card per profile on a phone (five columns broke 'Meebouwers' at 390 px)
    stacked_table(profile_charts.coverage_rows(table))
    footnote = profile_charts.flag_footnote(table, reference)
    if footnote:
        st.caption(footnote)


def no_groups_text(result) -> str:
    """What one group means, in plain Dutch: no distinct groups, why that can happen, and
    what to do instead. A single card would read as a finding ('100% of the people, best
    reached online 100% vs 100%') while it only says the method found no split."""
    people = sum(card.size for card in result.cards)
    return ("**De antwoorden laten geen aparte groepen zien.** Bereikwijzer zocht groepen mensen die "
            f"op de stellingen duidelijk anders antwoorden dan de rest. Bij deze {num(people)} mensen en "
            f"{num(len(result.items))} stellingen past één groep het best: de verschillen tussen mensen "
            "zijn klein of volgen geen vast patroon.\n\n"
            "Dat kan gebeuren als er weinig stellingen zijn, als de stellingen bijna hetzelfde vragen, "
            "als veel mensen 'neutraal' of niets invullen, of als er nog weinig mensen meededen. Met één "
            "groep zeggen profielkaarten, kanalen en aandelen in de buurt niets; die tonen we hier dus niet.\n\n"
            "Kies hierboven het **Kompas**: dat deelt mensen wel in, op twee vaste assen (betrokkenheid en "
            "vertrouwen). Met meer antwoorden of meer stellingen kan deze berekening later wel groepen vinden.")


def show_no_groups(result) -> None:
    st.info(no_groups_text(result), icon=":material/group_off:")


def show_profiles(data) -> None:
    """The team's profiles (kompas or groups), their cards, channels and buurt shares."""
    project = data.project
    # only the rows that count (the one eligibility rule), so n is Bereik's and the report's
    resp = analysis.profile_rows(data.respondents, min_age(project, data.reference))
    skipped = skipped_sentence(data.respondents, min_age(project, data.reference))
    if skipped:
        st.caption(plain(skipped))
    method = st.radio("Soort profielen", list(METHODS), format_func=METHODS.get, horizontal=True,
                      help="Het kompas gebruikt twee vaste assen. De statistische profielen zoeken "
                           "zelf groepen mensen die op elkaar lijken in hun antwoorden.")
    axes = kompas_axes(project, resp) if method == "kompas" else None
    with st.spinner("Profielen zoeken…"):
        labels = state.statement_texts(project) or None
        result = analysis.named(analysis.profiles(resp, method, axes, labels), project.profile_names, method)
    if result is None or not result.cards:
        problem = analysis.profiles_problem(resp, method, axes, labels) or ""
        # the library ends with "Kies de vragen voor beide assen.": say where (or why not)
        choose = CHOOSE_AXES in problem
        problem = problem.replace(CHOOSE_AXES, "").strip()
        todo = ""
        if method == "kompas" and (choose or not problem):
            todo = ("\n\nKies de vragen voor beide assen hierboven, bij **Vragen voor het kompas**."
                    if has_choice(resp) else
                    "\n\nEr zijn nog geen stellingen om voor de assen te kiezen. Importeer op de pagina "
                    "**Importeren** een bestand met stellingen (schaal eens/oneens).")
        st.info("Er zijn te weinig antwoorden op stellingen om profielen te maken. Profielen "
                "hebben stellingen over betrokkenheid en vertrouwen nodig (schaal eens/oneens)."
                + (f"\n\n**Waarom hier niet:** {plain(problem)}" if problem else "") + todo)
        if method == "kompas":
            st.caption("Probeer ook **Groepen met dezelfde antwoorden** hierboven: die hebben geen "
                       "vaste vragen over betrokkenheid en vertrouwen nodig.")
        return
    if method != "kompas" and len(result.cards) == 1:
        show_no_groups(result)
        show_selection(result)
        show_warnings(result.warnings, state.statement_texts(project))
        return
    if result.reason and method == "kompas":
        st.caption(plain(result.reason))
    elif method != "kompas":
        show_selection(result)
    show_warnings(result.warnings, state.statement_texts(project))
    if method == "kompas":
        show_kompas(result)
    show_cards(project, result)
    show_channels(result, resp)
    show_profile_coverage(result, resp, data.reference,
                          json.dumps(project.profile_names.get(method, {}), sort_keys=True))
