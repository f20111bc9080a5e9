"""The parts of the Thema's page: overview, findings, themes per group, quotes, suggestions
and the team's own theme file. The page script (ui/pages/themas.py) only orders them.
Nothing here calls Streamlit at import time."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from engagement.themes import ThemeDictionary, ThemesFileError
from engagement.vocabulary import age_words, group_label
from reports.privacy import DEFAULT_K, HIDDEN_SHARE
from reports.themes import dimension_label, protect_quotes, protect_theme_matrix, theme_table
from surveys.categories import label
from ui import analysis, state, themes_cache
from ui.widgets import (
    num,
    pct,
    plain,
    plain_lines,
    stacked_table,
)

K = DEFAULT_K
SHARE_COLUMNS = ("Aandeel", "Ondergrens", "Bovengrens")  # the detail table's shares (no counts)
SETTING = "themes_yaml"
ROUND = "_themas_upload_round"      # a new round empties the uploader after a save
DIMENSION_ORDER = ("age", "household", "tenure", "origin", "gender", "profile", "channel", "area_code")
EXAMPLE = """themes:
  hondenuitlaat:            # een nieuw thema: sleutel, label en woorden
    label: Honden uitlaten
    terms: [hondenuitlaat, uitlaatveld, losloopgebied]
  groen:                    # een bestaand thema: deze woorden komen erbij
    terms: [moestuin, geveltuin]
  werk_en_inkomen:
    remove: true            # dit thema niet gebruiken
"""


def _share_text(share: float | None) -> str:
    return "" if share is None else pct(share)


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"{pct(low)} – {pct(high)}"


def _count(value: int | None, suppressed: str) -> str:
    if value is None:
        return f"<{K}" if suppressed == "primary" or not suppressed else "x"
    return num(value)


def _bar(share: float | None) -> str:
    """The share as a CSS variable of its cell; BAR_CSS draws it as a bar under the figure."""
    if share is None or share != share:
        return ""
    return f"--bw-share: {max(0.0, min(1.0, share)) * 100:.1f}%"


# A bar under the share, blue up to the share and grey to 100%, inside the cell (no text on
# it). On a phone a cell is a line 'Aandeel: 22%' of a card: a bar as the cell's background
# ran from the card's edge under the word 'Aandeel', so the line is a grid there and the bar
# takes the figure's column, under the figure.
BAR_CSS = """<style>
.bw-stacked td[style*="--bw-share"]::after {content: ""; display: block; height: 0.4rem; margin-top: 0.2rem;
  min-width: 3rem; border-radius: 2px;
  background: linear-gradient(to right, rgba(31, 119, 180, 0.75) var(--bw-share), #E3E3E3 var(--bw-share));}
@media (max-width: 640px) {
  .bw-stacked td[style*="--bw-share"] {display: grid; grid-template-columns: max-content minmax(0, 1fr);
    column-gap: 0.3em; align-items: baseline;}
  .bw-stacked td[style*="--bw-share"]::after {grid-column: 2; max-width: 12rem;}
}
</style>"""


def show_overview(check, matrix) -> None:
    """Metrics and the themes overall, most raised first."""
    first, second, third = st.columns(3)
    n = matrix.respondents
    first.metric("Deelnemers die iets vertelden", num(n) if n >= K else f"<{K}",
                 help="Met een open antwoord of een keuze bij een vraag als 'welke onderwerpen'. "
                      "Alleen zij tellen mee in de percentages.")
    raised = [t for t in matrix.themes if t.respondents]
    second.metric("Thema's genoemd", num(len(raised)) if n >= K else "–")
    third.metric("Antwoorden zonder thema", num(check.unmatched),
                 help="Open antwoorden waarin we geen thema uit de woordenlijst vonden. "
                      "Zie de voorstellen voor nieuwe thema's onderaan.")
    order = sorted(matrix.themes, key=lambda t: (t.suppressed != "", -(t.share or 0), t.label))
    rows = [{"Thema": t.label, "Noemden dit thema": _count(t.respondents, t.suppressed),
             "Aandeel": _share_text(t.share),
             "95%-marge": _interval(t.ci_low, t.ci_high)}
            for t in order if t.suppressed or t.respondents]
    if not rows:
        return
    # a table on a screen, one card per theme on a phone (an interactive grid hid 'Aandeel'
    # and '95%-marge' sideways at 390 px); the bar behind 'Aandeel' is its share of 100%
    frame = pd.DataFrame(rows, columns=["Thema", "Noemden dit thema", "Aandeel", "95%-marge"])
    bars = pd.DataFrame("", index=frame.index, columns=frame.columns)
    bars["Aandeel"] = [_bar(t.share) for t in order if t.suppressed or t.respondents]
    st.html(BAR_CSS)
    stacked_table(frame, row_header=True, styles=bars, numbers=("Noemden dit thema",))  # the share over its bar
    st.caption("Aandeel: van alle deelnemers die iets vertelden, met de 95%-marge ernaast.")
    silent = [t.label for t in matrix.themes if t.respondents == 0]
    if silent:
        st.caption(f"Niemand noemde: {plain(', '.join(silent))}.")


def show_findings(sentences: list[str]) -> None:
    st.header("Wat valt op")
    if not sentences:
        st.caption("Nog geen thema dat we (bijna) alleen van één groep horen, en geen groep die "
                   "over een veelgenoemd thema zweeg. Dat zeggen we pas bij minstens 10 mensen "
                   "in een groep en 10 die het thema noemden.")
        return
    st.info(plain_lines("\n".join(f"- {s}" for s in sentences)), icon=":material/record_voice_over:")


def _profile_series(project, resp) -> tuple[pd.Series | None, str]:
    """Kompas profile name per respondent (NaN when unknown), or None and the reason."""
    axes = project.settings.get("kompas_items")
    labels = state.statement_texts(project)
    result = analysis.named(analysis.profiles(resp, "kompas", axes, labels), project.profile_names, "kompas")
    if result is None or not result.cards:
        return None, analysis.profiles_problem(resp, "kompas", axes, labels) or ""
    assigned = result.assignments
    names = assigned["name"].where(assigned["profile"].notna())
    lookup = dict(zip(assigned["respondent_id"].astype(str), names))
    return resp["respondent_id"].astype(str).map(lookup), ""


def _group_name(dimension: str, category: str, areas: dict[str, str], min_age: int | None = None) -> str:
    """'BU05183033' → 'Transvaal-Midden (BU05183033)'; an age band named from the project's
    minimum age ('18 tot 25 jaar' when only people of 18+ count)."""
    if dimension == "area_code" and category in areas:
        return f"{areas[category]} ({category})"
    return group_label(category, min_age) if dimension == "age" else label(category)


SIZE_ROW = "Aantal deelnemers"


def _wide(matrix, dimension: str, areas: dict[str, str], min_age: int | None
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Theme × group table as shown (text: '25%', '–' for a hidden share; first row the group
    sizes, '<10' or 'x' when hidden) and
    the shares behind it (for the colour), themes in the order of the overview, themes
    nobody raised left out."""
    cells = [c for c in matrix.groups if c.dimension == dimension]
    groups: dict[str, str] = {}
    sizes: dict[str, str] = {}
    for cell in cells:
        if cell.category not in groups:
            name = _group_name(dimension, cell.category, areas, min_age)
            groups[cell.category] = name
            if cell.group_respondents is not None:
                sizes[name] = num(cell.group_respondents)
            else:
                sizes[name] = f"<{K}" if cell.suppressed == "primary" else "x"
    order = sorted(matrix.themes, key=lambda t: (t.suppressed != "", -(t.share or 0), t.label))
    keep = [t for t in order if t.suppressed or t.respondents]
    text = pd.DataFrame("", index=[SIZE_ROW] + [t.label for t in keep], columns=list(groups.values()))
    share = pd.DataFrame(float("nan"), index=text.index, columns=text.columns)
    for name, size in sizes.items():
        text.loc[SIZE_ROW, name] = size
    labels = {t.theme: t.label for t in keep}
    for cell in cells:
        if cell.theme not in labels:
            continue
        row, col = labels[cell.theme], groups[cell.category]
        if cell.suppressed:  # a share: its count is hidden, '<10' would read as 'under 10%'
            text.loc[row, col] = HIDDEN_SHARE
        else:
            text.loc[row, col] = _share_text(cell.share)
            share.loc[row, col] = cell.share if cell.share is not None else float("nan")
    text.index.name = "Thema"
    return text, share


def _shade(share: pd.DataFrame):
    """Background per cell: a light blue, darker for a larger share (black text stays readable)."""
    top = float(share.max().max()) if share.notna().any().any() else 0.0

    def css(value: float) -> str:
        if value != value or top <= 0:
            return ""
        return f"background-color: rgba(31, 119, 180, {0.08 + 0.5 * value / top:.2f})"
    return lambda _frame: share.map(css)


def show_per_group(project, resp, matrix, text: str | None, areas: dict[str, str]) -> None:
    st.header("Per groep")
    present = {c.dimension for c in matrix.groups}
    options = [d for d in DIMENSION_ORDER if d in present or (d == "profile" and _has_items(resp))]
    if not options:
        st.caption("Van de deelnemers die iets vertelden weten we geen leeftijd, huishouden, "
                   "woning, herkomst, kanaal of buurt.")
        return
    dimension = st.selectbox("Indelen naar", options, format_func=dimension_label, key="themas_dimension",
                             help="Per groep: welk deel noemde elk thema.")
    shown, findings = matrix, []
    if dimension == "profile":
        with st.spinner("Profielen zoeken…"):
            profile, problem = _profile_series(project, resp)
        if profile is None:
            st.info(plain_lines(problem or "Voor dit project zijn nog geen profielen te maken.")
                    + "\n\nZie de pagina **Profielen**.", icon=":material/explore:")
            return
        with st.spinner("Thema's per profiel tellen…"):
            shown = protect_theme_matrix(themes_cache.profile_matrix(resp, text, profile), K)
        findings = [age_words(s, project.min_age) for s in shown.findings()]
    wide, share = _wide(shown, dimension, areas, project.min_age)
    if wide.empty or wide.columns.empty:
        st.caption("Voor deze indeling zijn er geen groepen.")
        return
    # a shaded grid on a screen, one card per theme on a phone (an interactive grid showed
    # only the first group and a half at 390 px)
    grid = wide.reset_index()
    shades = _shade(share)(None).reindex(index=wide.index, columns=wide.columns).fillna("").reset_index(drop=True)
    shades.insert(0, "Thema", "")
    stacked_table(grid, row_header=True, styles=shades, numbers=tuple(wide.columns))
    st.caption(f"'{SIZE_ROW}': wie in deze groep iets vertelde. Het percentage is het deel van de "
               "groep dat het thema noemde. "
               f"'{HIDDEN_SHARE}': verborgen, omdat het aantal mensen erachter klein is of uit de "
               f"andere cijfers te berekenen is. Bij '{SIZE_ROW}': '<{K}' is minder dan {K} mensen, "
               "'x' is verborgen omdat het anders uit de andere cijfers te berekenen is. Deelnemers "
               "van wie we de groep niet weten, staan niet in een kolom.")
    if findings:
        st.info(plain_lines("\n".join(f"- {s}" for s in findings)), icon=":material/record_voice_over:")
    with st.expander("Alle cijfers met marges"):
        detail = theme_table(shown, K)
        detail = detail[detail["Kenmerk"] == dimension_label(dimension)].drop(columns=["Kenmerk"])
        if dimension == "area_code":
            detail["Groep"] = detail["Groep"].map(lambda c: _group_name(dimension, c, areas))
        if dimension == "age":
            detail["Groep"] = detail["Groep"].map(lambda text: age_words(text, project.min_age))
        for column in SHARE_COLUMNS:  # no count of people: a hidden share reads as hidden, not '<10'
            detail[column] = detail[column].map(lambda v: HIDDEN_SHARE if isinstance(v, str) else _share_text(v))
        for column in ("Deelnemers in groep", "Noemden dit thema"):
            detail[column] = detail[column].map(lambda v: v if isinstance(v, str) else num(v))
        stacked_table(detail.reset_index(drop=True), numbers=(
            "Deelnemers in groep", "Noemden dit thema", "Aandeel", "Ondergrens", "Bovengrens"))
        st.caption("Ondergrens en bovengrens: de 95%-marge (Wilson). Bij kleine groepen is die breed. "
                   f"'{HIDDEN_SHARE}' bij aandeel en marge: verborgen, omdat het aantal mensen erachter "
                   f"verborgen is ('<{K}': minder dan {K} mensen; 'x': verborgen omdat het anders uit de "
                   "andere cijfers te berekenen is).")


def _has_items(resp: pd.DataFrame) -> bool:
    return any(str(c).startswith("item:") for c in resp.columns)


def show_quotes(check, matrix) -> None:
    st.header("Citaten per thema")
    quotes = protect_quotes(check.quotes, matrix, K)
    labels = {t.theme: t.label for t in matrix.themes}
    order = sorted((t for t in matrix.themes if quotes.get(t.theme)), key=lambda t: -(t.share or 0))
    if not order:
        st.caption(f"Citaten tonen we alleen bij thema's die minstens {K} deelnemers noemden.")
        return
    st.caption(f"Een paar zinnen uit de open antwoorden, alleen bij thema's die minstens {K} "
               "deelnemers noemden. Namen, adressen en andere persoonsgegevens zijn weggehaald.")
    for theme in order:
        count = len(quotes[theme.theme])
        with st.expander(f"{labels[theme.theme]} ({count} {'citaat' if count == 1 else 'citaten'})"):
            for quote in quotes[theme.theme]:
                st.markdown(f"“{plain(quote.text)}”")


def show_suggestions(check) -> None:
    st.header("Voorstellen voor nieuwe thema's")
    if not check.suggestions:
        st.caption(f"{num(check.unmatched)} open antwoorden passen bij geen enkel thema. Voorstellen "
                   "maken we vanaf 30 van zulke antwoorden, als daarin woorden vaker terugkomen.")
        return
    st.caption("Woorden die vaak samen voorkomen in antwoorden zonder thema. Past er een bij uw "
               "wijk? Zet het als nieuw thema in uw eigen woordenlijst (hieronder).")
    snippet = ["themes:"]
    for number, item in enumerate(check.suggestions, start=1):
        many = item.texts >= K
        with st.container(border=True):
            st.markdown(f"**{plain(item.label)}**: {plain(', '.join(item.words))}")
            st.caption(f"In {num(item.texts) if many else f'minder dan {K}'} antwoorden zonder thema.")
            if many:
                for example in dict.fromkeys(item.examples):   # the same answer twice: once
                    st.markdown(f"“{plain(example)}”")
        snippet += [f"  nieuw_thema_{number}:", f"    label: {item.label}",
                    f"    terms: [{', '.join(item.words[:4])}]"]
    with st.expander("Als begin van uw eigen woordenlijst"):
        st.code("\n".join(snippet), language="yaml", wrap_lines=True)
        st.caption("Geef elk thema een eigen sleutel (kleine letters en _) en een duidelijk label, "
                   "en houd alleen de woorden die echt bij het thema horen.")


def _save(project, text: str | None, who_did: str) -> None:
    settings = {k: v for k, v in project.settings.items() if k != SETTING}
    if text:
        settings[SETTING] = text
    db = state.store()
    owned = db.get_project(project.id, team=state.team())   # only this team's project
    db.update_project(owned.id, settings=settings, who=who_did)


def dictionary_section(project, themes, text: str | None) -> None:
    st.header("Woordenlijst")
    own = bool(text)
    st.markdown(f"We zoeken {num(len(themes.themes))} thema's met een vaste woordenlijst"
                + (", aangevuld met het eigen bestand van uw team." if own else "."))
    left, right = st.columns(2)
    left.download_button("Download de woordenlijst (YAML)", themes.to_yaml().encode("utf-8"),
                         file_name="themas.yaml", mime="text/yaml", icon=":material/download:",
                         help="Alle thema's met hun woorden, zoals we ze nu gebruiken.")
    if text:  # (own, spelled so that mypy sees the text)
        right.download_button("Download uw eigen aanvullingen", text.encode("utf-8"),
                              file_name="themas-eigen.yaml", mime="text/yaml", icon=":material/download:")
    with st.expander("Eigen woorden en thema's toevoegen"):
        st.markdown("Maak een tekstbestand (YAML) met alleen wat u wilt veranderen. Een bestaand "
                    "thema krijgt uw woorden erbij (met `replace: true` vervangen ze de woorden), een "
                    "nieuwe sleutel maakt een nieuw thema (met `label` en `terms`), `remove: true` "
                    "haalt een thema weg. Een woord van 5 letters of meer telt ook in samenstellingen "
                    "('afval' in 'zwerfafval').")
        # wrapped: a code block that scrolls sideways on a phone cannot be reached by keyboard (axe)
        st.code(EXAMPLE, language="yaml", wrap_lines=True)
        round_ = st.session_state.setdefault(ROUND, 0)
        upload = st.file_uploader("Uw woordenlijst (.yaml)", type=["yaml", "yml", "txt"],
                                  key=f"themas_upload_{round_}")
        if upload is not None:
            _check_upload(project, upload.name, upload.getvalue())
    if own and st.button("Terug naar de standaardlijst", key="themas_reset",
                         help="Haalt het eigen bestand van uw team weg bij dit project."):
        _save(project, None, state.who())
        st.session_state["_themas_saved"] = "De standaardlijst wordt weer gebruikt."
        st.rerun()


def _check_upload(project, name: str, data: bytes) -> None:
    """Check an uploaded theme file; keep it with the project on the team's click."""
    if len(data) > themes_cache.MAX_THEMES_BYTES:
        st.error(f"Het themabestand '{plain(name)}' is te groot voor een woordenlijst "
                 f"(meer dan {num(themes_cache.MAX_THEMES_BYTES // 1000)} kB).", icon=":material/block:")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        st.error(f"Het themabestand '{plain(name)}' is geen tekst in UTF-8. Sla het op als "
                 "platte tekst (UTF-8).", icon=":material/block:")
        return
    try:
        merged = themes_cache.dictionary(text)
    except ThemesFileError as error:
        st.error(plain_lines(str(error).replace("uw themabestand", name)), icon=":material/block:")
        return
    st.success(f"'{plain(name)}' is in orde: daarmee zoeken we {num(len(merged.themes))} thema's.",
               icon=":material/check_circle:")
    if st.button("Gebruik deze woordenlijst voor dit project", key="themas_save", type="primary"):
        _save(project, text, state.who())
        st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1
        st.session_state["_themas_saved"] = f"Uw woordenlijst '{name}' wordt nu gebruikt."
        st.rerun()


def project_dictionary(project) -> tuple[str | None, ThemeDictionary]:
    """The team's theme file text (None for the standard list) and the merged dictionary."""
    text = project.settings.get(SETTING) or None
    try:
        themes = themes_cache.dictionary(text)
    except ThemesFileError as error:   # stored before a rule changed: say so, use the standard list
        st.warning(plain_lines(f"Het eigen themabestand van dit project is niet meer te gebruiken: "
                               f"{error} We gebruiken de standaardlijst."), icon=":material/warning:")
        text, themes = None, themes_cache.dictionary(None)
    return text, themes
