"""The parts of the Buurten page: uploads kept across pages, linking respondents to buurten,
the map or ranked table, and the summary. The page script (ui/pages/buurten.py) only orders
them. Nothing here calls Streamlit at import time."""
from __future__ import annotations

import re

import streamlit as st

from engagement.areas import RESIDENTS_DEFINITION, about
from engagement.vocabulary import join_phrases
from reference.build import ReferenceDataError
from reports import privacy
from reports.charts_areas import (
    areas_table,
    group_name,
    group_options,
    group_table,
    missing_on_map,
)
from surveys.errors import SurveyImportError
from ui import areas_cache, upload_limits
from ui.widgets import num, plain, plain_lines, stacked_table

UPLOADS = "_buurten_uploads"  # kind → (file name, bytes): CBS files and the team's tables only
NO_FILE_AREA = "(geen: via buurtcode of postcode)"
PER_100 = "Respondenten per 100 inwoners"
READ_ERRORS = (ReferenceDataError, SurveyImportError)
STACKED_ROWS = 60  # up to this many buurten as a wrapping table (cards on a phone)
NUMBER_COLUMNS = ("Inwoners (vanaf min. leeftijd)", "Respondenten", "Per 100 inwoners")


def limit() -> int:
    return upload_limits.limit_bytes(st.get_option("server.maxUploadSize"))


def kept_upload(kind: str, label: str, types: list[str], help_text: str) -> tuple[str, bytes] | None:
    """An upload that survives a visit to another page (kept in session state)."""
    kept = st.session_state.setdefault(UPLOADS, {})
    upload = st.file_uploader(label, type=types, key=f"buurten_{kind}", help=help_text)
    if upload is not None:
        kept[kind] = (upload.name, upload.getvalue())
    elif kind in kept:
        name = kept[kind][0]
        left, right = st.columns([4, 1])
        left.caption(f"We gebruiken '{plain(name)}' (eerder geüpload).")
        if right.button("Vergeet", key=f"forget_{kind}"):
            kept.pop(kind, None)
            st.rerun()
    return kept.get(kind)


def kwb_needed(reference, codes: list[str], home: str | None) -> str:
    """Why this page asks for the KWB file although the project has its CBS figures (Dutch)."""
    why = ("Upload het KWB-bestand van het CBS ('Kerncijfers wijken en buurten'). Dan ziet u per "
           "buurt wie we nog missen. ")
    if reference is None:
        return why + "Op de pagina Project is nog geen buurt gekozen."
    if home is None:
        return why + ("Het project bewaart de CBS-cijfers van zijn gebied als één totaal, niet per "
                      "buurt. Geüploade bestanden bewaren we niet (privacy), dus we kunnen de cijfers "
                      "per buurt niet opnieuw uit uw eerdere upload halen.")
    return why + (f"Het project bewaart alleen de cijfers van zijn eigen buurt ({home}). Voor "
                  f"{', '.join(c for c in codes if c != home) or 'andere buurten'} hebben we de "
                  "cijfers uit het bestand nodig; geüploade bestanden bewaren we niet (privacy).")


def area_codes(text: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[,;\s]+", text) if c.strip()]


def _file_areas(respondents, buurten) -> dict[str, str]:
    """The buurt the team chose per imported file (kept in session state per project)."""
    if "source" not in respondents.columns:
        return {}
    files = sorted({str(s).rsplit("#", 1)[0] for s in respondents["source"].dropna()})
    names = dict(zip(buurten["code"], buurten["name"]))
    options = [NO_FILE_AREA] + list(names)
    chosen: dict[str, str] = {}
    for i, name in enumerate(files):
        pick: str | None = st.selectbox(f"Buurt voor alle antwoorden uit '{plain(name)}'", options,
                            key=f"buurten_file_{i}_{name}",
                            format_func=lambda c: c if c == NO_FILE_AREA else f"{names[c]} ({c})")
        if pick is not None and pick != NO_FILE_AREA:
            chosen[name] = pick
    return chosen


def linking(respondents, data):
    """Optional: the team's postcode table and a buurt per file."""
    with st.expander("Respondenten aan buurten koppelen (postcodetabel, buurt per bestand)"):
        st.markdown("We koppelen elke respondent zo: eerst de eigen **buurtcode of buurtnaam**, dan "
                    "de **postcode** in uw postcodetabel, dan de postcode die volgens CBS het meest "
                    "voorkomt in een buurt (een benadering), en anders de **buurt van het bestand**. "
                    "Lukt dat niet, dan telt de respondent mee in de buurt van het project als het "
                    "project over één buurt gaat, en anders als *buurt onbekend*.")
        table = None
        upload = kept_upload("postcodes", "Postcodetabel (.csv of .xlsx, kolommen postcode en buurtcode)",
                             ["csv", "xlsx"], "Bijvoorbeeld het CBS-bestand 'Buurt, wijk en gemeente voor "
                             "postcode en huisnummer'. Eén rij per postcode (PC6 of PC4).")
        if upload is not None:
            table = areas_cache.postcode_table(upload[1], upload[0], limit())
            st.caption(f"{num(table.rows)} postcodes gelezen uit '{plain(table.file_name)}'.")
        return table, _file_areas(respondents, data.buurten)


def show_map_or_table(result, data):
    """The map (with the buurt file) or the ranked table; returns the geometry or None."""
    st.header("Waar wonen de mensen die we missen?")
    options = group_options(result)
    labels = {PER_100: None}
    for dim, cat, missed in options:
        labels[f"Gemist: {group_name(dim, cat)} (ongeveer {about(missed)} inwoners)"] = (dim, cat)
    choice = st.selectbox("Wat wilt u zien?", list(labels), key="buurten_measure",
                          help="Bereik per buurt, of per gemiste groep hoeveel inwoners we missen.")
    group = labels[choice]
    upload = kept_upload("geo", "CBS wijk- en buurtkaart (.gpkg of .geojson), voor een kaart",
                         ["gpkg", "geojson", "json"], "Download 'Wijk- en buurtkaart' van cbs.nl (elk jaar "
                         "werkt). De kaart werkt zonder internet.")
    geometry = None
    if upload is not None:
        try:
            with st.spinner("De buurtkaart wordt gelezen…"):
                geometry = areas_cache.geometry(upload[1], upload[0], tuple(data.rows["code"]), limit())
        except READ_ERRORS as error:  # a wrong or broken map: say so, show the table instead
            st.error(plain_lines(error), icon=":material/block:")
    if geometry is not None:
        st.plotly_chart(areas_cache.map_figure(result, geometry, group), width="stretch")
        absent = missing_on_map(result, geometry)
        if absent:
            st.caption(f"Niet op de kaart: {plain(', '.join(absent[:8]))}"
                       f"{' …' if len(absent) > 8 else ''}. Past het jaar van de kaart bij de CBS-cijfers?")
        st.caption("Grijs: geen inwoners volgens CBS, of een buurt waarvan we het aantal niet tonen "
                   "(minder dan 10 respondenten, of terug te rekenen uit het totaal en de andere "
                   "buurten). Bij een gemiste groep ook grijs: nog niemand gesproken, of een aantal "
                   "dat we niet tonen. Dezelfde cijfers staan in de tabel hieronder.")
    elif group is not None:
        st.caption("Zonder buurtkaart tonen we de buurten als lijst, de meeste gemiste inwoners bovenaan.")
        st.dataframe(group_table(result, *group), hide_index=True, width="stretch")
    else:
        st.caption("Upload de buurtkaart voor een kaart. Zonder kaart: de tabel hieronder, laagste "
                   "bereik bovenaan.")
    return geometry


def placed_text(result) -> str:
    """The respondents placed in a buurt, hidden as the table hides the buurten. The sum is
    the total minus 'buurt onbekend', which the protection already counts as known; it only
    gives a count back when one buurt alone is hidden (sum − the shown ones) or when it is
    small itself: then the table's mark ('<10' below k, else 'x') instead of the number."""
    placed = sum(a.respondents for a in result.areas)
    hidden = [a for a in result.areas if a.suppressed or 0 < a.respondents < result.k]
    if not hidden or (len(hidden) > 1 and not 0 < placed < result.k):
        return num(placed)
    return privacy.mark(privacy.PRIMARY if placed < result.k else privacy.SECONDARY, result.k)


def show_metrics(result) -> None:
    """How many buurten, how many respondents placed in one, how many not."""
    first, second, third = st.columns(3)
    first.metric("Buurten", num(len(result.areas)))
    placed = placed_text(result)
    second.metric("Respondenten in een buurt", placed,
                  help=f"'<{result.k}': minder dan {result.k}. 'x': niet getoond, omdat het aantal "
                       "van een kleine buurt anders terug te rekenen is."
                  if placed in (privacy.SECONDARY_MARK, f"<{result.k}") else None)
    third.metric("Buurt onbekend", num(result.unknown),
                 help="Zonder buurtcode, bruikbare postcode of buurt voor hun bestand.")


def shown_table(result):
    """areas_table with the counts and reach as Dutch text: a column that holds numbers and
    the marks '<10' and 'x' cannot go to the browser as numbers (Arrow)."""
    table = areas_table(result)
    for column, digits in (("Inwoners (vanaf min. leeftijd)", 0), ("Respondenten", 0),
                           ("Per 100 inwoners", 1)):
        table[column] = [v if isinstance(v, str) or v is None else num(v, digits) for v in table[column]]
    return table


def hidden_hint(result) -> str:
    """Why a buurt with enough respondents shows 'x', and how to see its count (Dutch, ""
    when none): it is the complement of a buurt with fewer than k respondents, which the
    protection picks as the smallest other count (reports.charts_areas), so leaving the
    small buurt out of the chosen buurten shows it. Names only what the table shows."""
    small = [a.name for a in result.areas if a.suppressed == privacy.PRIMARY or 0 < a.respondents < result.k]
    hidden = [a.name for a in result.areas if a.suppressed == privacy.SECONDARY]
    if not small or not hidden:
        return ""
    these = join_phrases(hidden)
    few = join_phrases(small)
    verb = "tonen we het aantal respondenten" if len(hidden) == 1 else "tonen we de aantallen respondenten"
    return (f"Van {these} {verb} niet: met het totaal zou u anders het aantal van {few} "
            f"(minder dan {result.k}) kunnen terugrekenen. Wilt u het wel zien? Laat {few} weg bij "
            "'Buurten, wijk of gemeente'.")


def show_all_areas(result) -> None:
    """Every buurt as a table, and how the figures were computed."""
    st.header("Alle buurten")
    table = shown_table(result)
    if len(table) <= STACKED_ROWS:  # names wrap (not 'Welgelegen, Den H'); one card per buurt on a phone
        stacked_table(table, row_header=True, numbers=NUMBER_COLUMNS)
    else:  # a whole gemeente: a grid that scrolls and sorts, names given room
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            "Buurt": st.column_config.TextColumn(width="medium"),
            "Gemiste groepen (geschat aantal inwoners)": st.column_config.TextColumn(width="large")})
    st.caption("'<10': minder dan 10 respondenten. 'x' of 'aantal niet getoond': verborgen omdat het "
               "kleine aantal anders terug te rekenen is uit het totaal en de andere buurten of groepen.")
    hint = hidden_hint(result)
    if hint:
        st.caption(plain(hint))
    with st.expander("Zo is gerekend"):
        st.markdown(plain(RESIDENTS_DEFINITION))
        for note in result.notes:
            st.markdown(f"- {plain(note)}")
        st.caption(f"{plain(result.source)} (CC BY 4.0)")
