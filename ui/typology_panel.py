"""The VNG Burgerpeiling typology in the dashboard: computed once at import, drawn on Profielen.

Why at import: the typology needs the export as read (the Burgerpeiling's own variable
names and SPSS codes), and the store keeps neither the uploaded file nor those codes. So the
Importeren page computes it in a bounded child while the file is still there, and the
project keeps only the result's to_dict(): shares, intervals and counts per type, no rows.

No streamlit import at module level: the bounded child imports this module to run
`_typology_in_child`, and importing streamlit there would cost a second per file. The
drawing functions import it themselves.
"""
from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger("bereikwijzer.ui")

SETTINGS_KEY = "vng_typology"  # project.settings[SETTINGS_KEY][file_name] = TypologyResult.to_dict()
PREVIEW_KEY = "vng_typology"  # ParsedFile.extra[PREVIEW_KEY]: the result of the preview, as to_dict()
PREVIEW_ERROR_KEY = "vng_typology_error"  # ParsedFile.extra: why it could not be computed (Dutch)
NOT_PUBLISHED = "VNG zou deze cijfers niet publiceren"
SECTION_TITLE = "Typologie van de VNG Burgerpeiling"
AXES_TEXT = (
    "VNG deelt de inwoners in op twee assen. **Meedoen (participatie)**: hoeveel van 8 vormen van "
    "meedoen iemand heeft, zoals werk of opleiding, vrijwilligerswerk, lid van een vereniging, actief "
    "voor de buurt, hulp aan buren of zorg voor een naaste en genoeg contact met anderen. "
    "**Kwaliteit van leven**: hoeveel van 7 kenmerken iemand heeft, zoals een goede gezondheid, geen "
    "beperkingen, niet eenzaam, veerkrachtig, prettig wonen in de buurt en iemand om op terug te "
    "vallen. Veel meedoen en een goede kwaliteit van leven: **weerbaren**. Goede kwaliteit van leven "
    "maar weinig meedoen: **buitenstaanders**. Veel meedoen maar een lagere kwaliteit van leven: "
    "**compenseerders**. Op beide laag: **kwetsbaren**. Zo zijn de cijfers te vergelijken met die van "
    "andere gemeenten op waarstaatjegemeente.nl.")
# a warning about text in a code column quotes a cell ("bijvoorbeeld rij 3: '…'"): the project
# keeps the warning without that quote, so nothing of one respondent is stored
_SUPPRESSED = "VNG toont de typologie dan niet"  # profiles.typology's note when not comparable
_CELL_QUOTE = re.compile(r" \(bijvoorbeeld rij \d+: '.*'\)(?=; die antwoorden)")


# ---------------------------------------------------------------- computing (bounded child)

def _typology_in_child(data: bytes, file_name: str, max_bytes: int, sheet: str | None) -> Any:
    """Read the export as it is (its own codes and names) and type it; None when it is not
    a Burgerpeiling. Runs in the child process."""
    from profiles import typology_from_export
    from surveys.readers import read_export

    return typology_from_export(read_export(data, file_name, sheet=sheet, max_bytes=max_bytes))


def looks_like_burgerpeiling(raw: Any) -> bool:
    """From the column names alone (a header-only export will do): worth a child process?"""
    from profiles.typology import is_burgerpeiling

    try:
        return bool(is_burgerpeiling(raw.frame))
    except Exception:  # recognition is a help; the preview itself still works
        log.exception("Herkennen van een Burgerpeiling mislukt")
        return False


def typology_bounded(data: bytes, file_name: str, max_bytes: int,
                     sheet: str | None = None) -> tuple[dict[str, Any] | None, str]:
    """The typology of one upload as (to_dict() or None, Dutch reason it failed or "").

    Runs in a child with the server's time and memory bound, like the preview's read; a
    failure never breaks the preview, it only says why the typology is missing."""
    from profiles.items import ProfileDataError
    from surveys.errors import SurveyImportError
    from surveys.limits import run_bounded
    from ui.upload_limits import check_size, memory_mb, timeout_seconds

    try:
        check_size(data, file_name, max_bytes)
        result = run_bounded(_typology_in_child, data, file_name, max_bytes, sheet, timeout=timeout_seconds(),
                             memory_mb=memory_mb(), file_name=file_name).value
    except (ProfileDataError, SurveyImportError) as error:
        return None, f"De typologie van de Burgerpeiling kon niet worden berekend: {error}"
    except Exception:
        log.exception("Typologie van de Burgerpeiling mislukt")
        return None, ("De typologie van de Burgerpeiling kon niet worden berekend door een fout in "
                      "Bereikwijzer. Het importeren werkt wel.")
    return (None, "") if result is None else (result.to_dict(), "")


def stored_form(typology: dict[str, Any]) -> dict[str, Any]:
    """What the project keeps: the result's to_dict() (aggregates only), with any quoted
    cell removed from the warnings."""
    return {**typology, "warnings": [_CELL_QUOTE.sub("", str(w)) for w in typology.get("warnings", [])]}


def with_typology(settings: dict[str, Any], file_name: str, typology: dict[str, Any]) -> dict[str, Any]:
    """The project settings with this file's typology added (or replaced)."""
    saved = dict(settings.get(SETTINGS_KEY) or {})
    saved[str(file_name)] = stored_form(typology)
    return {**settings, SETTINGS_KEY: saved}


def without_typology(settings: dict[str, Any], file_name: str) -> dict[str, Any] | None:
    """The settings without this file's typology, or None when there was none."""
    saved = dict(settings.get(SETTINGS_KEY) or {})
    if str(file_name) not in saved:
        return None
    saved.pop(str(file_name))
    return {**settings, SETTINGS_KEY: saved}


def saved_typologies(settings: dict[str, Any], file_names: set[str] | None = None) -> dict[str, Any]:
    """{file name: TypologyResult} of the project (only files still imported, when given);
    an entry that does not read back is left out with a log line."""
    from profiles.typology import TypologyResult

    out = {}
    for name, data in (settings.get(SETTINGS_KEY) or {}).items():
        if file_names is not None and name not in file_names:
            continue
        try:
            out[name] = TypologyResult.from_dict(data)
        except (KeyError, TypeError, ValueError):
            log.warning("Opgeslagen typologie van %s is onleesbaar; overgeslagen", name)
    return out


def imported_names(imports: Any) -> set[str]:
    """The file names of ui.state.imports(project) (an empty table has no 'Bestand')."""
    return set(imports["Bestand"].astype(str)) if "Bestand" in imports else set()


# ---------------------------------------------------------------- drawing

def show_preview(extra: dict[str, Any]) -> None:
    """On the Importeren preview: the summary when the file is a Burgerpeiling."""
    import streamlit as st

    from profiles.typology import TypologyResult
    from ui.widgets import plain

    error = extra.get(PREVIEW_ERROR_KEY)
    if error:
        st.caption(f":material/warning: {plain(error)}")
    data = extra.get(PREVIEW_KEY)
    if not data:
        return
    result = TypologyResult.from_dict(data)
    st.info(f"Dit is een VNG Burgerpeiling: {plain(preview_summary(result))} Bij het importeren bewaart "
            "Bereikwijzer alleen deze percentages; u ziet ze op de pagina **Profielen**.", icon=":material/groups:")


def preview_summary(result: Any) -> str:
    """result.summary with the dashboard's percentages (ui.widgets.pct, the rounding every
    page uses), so the preview says the same numbers as Profielen (12,5% → 13% on both)."""
    from ui.widgets import num, pct

    if not result.n_typed:
        return result.summary
    parts = [f"{t.name.lower()} {pct(t.share)}" if not t.small else f"{t.name.lower()} (te weinig mensen)"
             for t in result.types]
    how = "gewogen" if result.weighted else "ongewogen"
    return f"typologie van {num(result.n_typed)} respondenten ({how}): " + ", ".join(parts) + "."


def show_for_project(project: Any) -> None:
    """The section for the open project: its saved typologies of files still imported."""
    from ui import state

    if not (project.settings or {}).get(SETTINGS_KEY):
        return  # no store query for the usual project without a Burgerpeiling
    show_section(saved_typologies(project.settings, imported_names(state.imports(project))))


def show_section(typologies: dict[str, Any]) -> None:
    """On Profielen: per imported Burgerpeiling the four types, zorgwekkend, the assumption
    and the warnings, with what the two axes mean."""
    import streamlit as st

    if not typologies:
        return
    st.header(SECTION_TITLE)
    st.markdown(AXES_TEXT)
    for file_name, result in typologies.items():
        _show_one(st, file_name, result, several=len(typologies) > 1)


def _show_one(st: Any, file_name: str, result: Any, several: bool) -> None:
    from profiles.typology import SMALL_COUNT
    from ui.widgets import num, pct, plain

    if several:
        st.subheader(plain(file_name))  # h3 under the section's h2
    how = "gewogen met de weegfactor van de Burgerpeiling" if result.weighted else "ongewogen"
    st.caption(f"Uit {plain(file_name)}: {num(result.n_typed)} van de {num(result.n)} respondenten ingedeeld, "
               f"{how}. Percentages met een 95%-betrouwbaarheidsinterval.")
    if not result.comparable:
        st.warning(f"{NOT_PUBLISHED}: meer dan 65% van de respondenten is weerbaar. Vergelijk ze niet "
                   "met andere gemeenten.", icon=":material/visibility_off:")
    columns = st.columns(len(result.types) or 1)
    for column, share in zip(columns, result.types):
        with column.container(border=True):
            if share.small:
                st.metric(share.name, "–", help=share.description)
                st.caption(f"Te weinig mensen om een percentage te tonen (minder dan {SMALL_COUNT}).")
            else:
                st.metric(share.name, pct(share.share), help=share.description)
                st.caption(f"Tussen {pct(share.low)} en {pct(share.high)} (95%-interval). "
                               f"{plain(share.description)}")
    if result.zorgwekkend_count >= SMALL_COUNT:
        st.markdown(f"**Zorgwekkend: {pct(result.zorgwekkend)}** van de respondenten. Dat is een deel van de "
                    "kwetsbaren: zij doen bijna niet mee én hebben een lage kwaliteit van leven.")
    elif result.n_typed:
        st.markdown("**Zorgwekkend:** te weinig mensen om een percentage te tonen (een deel van de "
                    "kwetsbaren die bijna niet meedoen én een lage kwaliteit van leven hebben).")
    st.caption(plain(result.assumption))
    for warning in result.warnings:
        if not result.comparable and _SUPPRESSED in warning:
            continue  # said above, as the warning box
        st.caption(f":material/warning: {plain(warning)}")
