"""Small Streamlit building blocks shared by the pages: guards, Dutch numbers, notices.

Pages call `run_page(body)` so an unexpected error becomes a Dutch message (and a log
line) instead of a traceback, and `not_available(...)` where a library part is missing.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

log = logging.getLogger("bereikwijzer.ui")

FICTIONAL_NOTE = ("Dit is een **fictief voorbeeldproject** met verzonnen antwoorden. "
                  "Zo ziet u meteen hoe Bereikwijzer werkt. Maak op de pagina Project een "
                  "eigen project aan om met echte gegevens te werken.")


def run_page(body: Callable[[], None]) -> None:
    """Run a page body; show a Dutch message instead of a traceback when it fails."""
    try:
        body()
    except _user_errors() as error:
        st.error(str(error), icon=":material/block:")
    except Exception:  # noqa: BLE001 - the user must never see a traceback
        log.exception("Fout op pagina")
        st.error("Er ging iets mis bij het tonen van deze pagina. Uw gegevens zijn niet "
                 "verloren. Probeer het opnieuw of kies een andere pagina. De technische "
                 "details staan in het logboek van de server.", icon=":material/error:")


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors whose message is written for the user (Dutch, says what to do)."""
    found: list[type[Exception]] = []
    try:
        from surveys.errors import SurveyImportError
        found.append(SurveyImportError)
    except ImportError:
        pass
    try:
        from engagement.store_schema import StoreError
        found.append(StoreError)
    except ImportError:
        pass
    try:
        from engagement.reference import ReferenceError as CbsReferenceError
        found.append(CbsReferenceError)
    except ImportError:
        pass
    return tuple(found)


def not_available(what: str) -> None:
    """Friendly notice for a part of the product that is not built yet."""
    st.info(f"{what} is nog niet beschikbaar in deze versie van Bereikwijzer.", icon=":material/construction:")


def pct(share: float | None, digits: int = 0) -> str:
    """A share (0..1) as a Dutch percentage: 0.125 → '12,5%' (digits=1)."""
    if share is None or share != share:
        return "onbekend"
    return f"{share * 100:.{digits}f}%".replace(".", ",")


def num(value: float | None, digits: int = 0) -> str:
    """A number with Dutch separators: 1234.5 → '1.234,5'."""
    if value is None or value != value:
        return "onbekend"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def fictional_banner(is_demo: bool) -> None:
    """Label the demo project as fictitious on every page that shows its data."""
    if is_demo:
        st.warning(FICTIONAL_NOTE, icon=":material/science:")


def no_data_yet(project_name: str) -> None:
    """Shown when a project has no respondents yet."""
    st.info(f"Het project **{project_name}** heeft nog geen antwoorden. Ga naar "
            "**Importeren** om een export van een enquête of gesprekkenlijst toe te voegen.",
            icon=":material/upload_file:")


def parse_targets(rows: list[dict]) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Target rows of the Project page ('dim', 'cat', 'Doel (%)' as text) → shares and the
    rows that are not a percentage: '20' → 0.2, '12,5' → 0.125, '' → no target."""
    targets: dict[str, dict[str, float]] = {}
    wrong: list[str] = []
    for row in rows:
        raw = row.get("Doel (%)")
        text = "" if raw is None or raw != raw else str(raw).strip().replace(",", ".")
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 <= value <= 100:
            wrong.append(f"{row.get('Kenmerk', row['dim'])} – {row.get('Groep', row['cat'])}: '{raw}'")
            continue
        targets.setdefault(row["dim"], {})[row["cat"]] = value / 100
    return targets, wrong
