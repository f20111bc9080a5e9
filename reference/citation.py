"""How the CBS figures are cited: one wording for the reference, the report and the dashboard.

CBS publishes the Kerncijfers wijken en buurten under CC BY 4.0, which asks for the
source with every use. The wording lives here once (reference sits below engagement,
reports and ui, so every layer can import it); engagement.vocabulary re-exports it.

    >>> source_line("Bron: CBS, Kerncijfers wijken en buurten", 2024, "85984NED")
    'Bron: CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED). Licentie: CC BY 4.0.'
"""
from __future__ import annotations

CBS_TABLE_NAME = "Kerncijfers wijken en buurten"
CBS_SOURCE = f"Bron: CBS, {CBS_TABLE_NAME}"
CBS_LICENCE = "CC BY 4.0"


def is_cbs_source(source: str) -> bool:
    """True for a source text that names CBS (then the licence must be cited too)."""
    return source.startswith("Bron: CBS")


def cbs_source(year: int | None = None) -> str:
    """The source text of a reference built from a CBS table: 'Bron: CBS, … 2024'."""
    return f"{CBS_SOURCE} {year}" if year else CBS_SOURCE


def with_year(source: str, year: int | None) -> str:
    """The source with its year, unless the text already ends in or names that year."""
    if year and str(year) not in source:
        return f"{source} {year}"
    return source


def source_line(source: str | None = None, year: int | None = None, table: str | None = None) -> str:
    """The one citation sentence: with CBS the table and the licence, else the source as given.

    Without any source (no reference yet) it cites the CBS table in general."""
    if source is None:
        return f"{CBS_SOURCE}. Licentie: {CBS_LICENCE}."
    text = with_year(source, year)
    if not is_cbs_source(source):
        return f"{text} ({table})." if table else text
    where = f" (tabel {table})" if table else ""
    return f"{text}{where}. Licentie: {CBS_LICENCE}."


def short_line(source: str, year: int | None = None) -> str:
    """The short form under a reference description: 'Bron: CBS, … 2024 (CC BY 4.0)'."""
    text = with_year(source, year)
    return f"{text} ({CBS_LICENCE})" if "CBS" in source else text
