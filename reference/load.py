"""The buurt reference: who lives in the chosen area(s) according to CBS.

Three ways in, one result (BuurtReference): a KWB file downloaded from cbs.nl
(`load_kwb_file`), the CBS open-data API with an on-disk cache (`load_cbs`), or a
table the team made itself (`load_custom_reference`). The rules for summing areas,
rounding and min_age live in cbs_build, so all three behave the same.

    >>> ref = load_kwb_file(data, "kwb2024_85984NED.csv", areas=["BU05183033"])  # doctest: +SKIP
    >>> print(describe_reference(ref))  # doctest: +SKIP
"""
from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import pandas as pd

from reference.build import (
    ReferenceDataError,
    __getattr__,  # noqa: F401 (the old name ReferenceError, with a warning)
    build_reference,
    fmt_count,
)
from reference.citation import short_line
from reference.files import KwbTable, area_table, read_kwb_table, select_areas
from reference.model import BuurtReference
from surveys.age_bands import group_label
from surveys.categories import DIMENSION_LABELS
from surveys.numbers import dutch

logger = logging.getLogger(__name__)

__all__ = ["ReferenceDataError", "load_kwb_file", "load_cbs", "load_custom_reference",
           "search_areas", "list_areas", "describe_reference"]


EXTRA_LABELS = {
    "geen_migratieachtergrond": "Geen migratieachtergrond",
    "westers": "Westerse migratieachtergrond",
    "niet_westers": "Niet-westerse migratieachtergrond",
    "laag_40": "Laagste 40% inkomens van Nederland",
    "midden_40": "Middelste 40% inkomens",
    "hoog_20": "Hoogste 20% inkomens van Nederland",
}
EXTRA_DIMENSIONS = {"origin_old": "Migratieachtergrond (oude indeling)"}


def load_kwb_file(data: bytes, file_name: str, *, areas: list[str],
                  min_age: int = 18) -> BuurtReference:
    """The reference for the given area codes from a downloaded KWB file.

    Several codes are summed into one area (a wijkaanpak often spans buurten).
    """
    table = read_kwb_table(data, file_name)
    rows = select_areas(table.frame, areas, file_name)
    notes = []
    if table.year is None:
        notes.append(f"Het jaar van '{file_name}' is niet bekend: zet het jaar in de "
                     "bestandsnaam (bijv. kwb-2024.xlsx).")
    if "income" not in _dims_with_data(rows):
        notes.append("Inkomen staat (nog) niet in dit bestand: CBS publiceert inkomen 1 à 2 jaar "
                     "later. Gebruik een ouder KWB-jaar of de CBS-koppeling voor inkomen.")
    return build_reference(rows, year=table.year, table=table.table, min_age=min_age,
                           notes=notes)


def _dims_with_data(rows: pd.DataFrame) -> set[str]:
    dims = set()
    for column in rows.columns:
        if ":" in column and rows[column].notna().any():
            dims.add(column.split(":")[0].rstrip("%"))
    return dims


def list_areas(data: bytes, file_name: str) -> pd.DataFrame:
    """All gemeenten, wijken and buurten in a KWB file (code, name, kind, gemeente)."""
    return area_table(read_kwb_table(data, file_name))


def load_cbs(year: int, *, areas: list[str], min_age: int = 18,
             cache_dir: Path | None = None) -> BuurtReference:
    """The reference from the CBS open-data API (cbsodata), cached on disk.

    The second request for the same areas needs no internet.
    """
    from reference.sources import load_cbs_rows

    rows, table_id, notes = load_cbs_rows(year, areas, cache_dir=cache_dir)
    return build_reference(rows, year=year, table=table_id, min_age=min_age, notes=notes)


def load_custom_reference(data: bytes, file_name: str, *, min_age: int = 18) -> BuurtReference:
    """A reference table the team made itself: long format (dimension, category, count)."""
    from reference.custom import read_custom_reference

    return read_custom_reference(data, file_name, min_age=min_age)


def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


def search_areas(query: str, table: pd.DataFrame | KwbTable) -> pd.DataFrame:
    """Areas whose name or code matches the query, with their gemeente.

    "Transvaal" finds BU05183033 (Transvaalkwartier-Midden, 's-Gravenhage) and the other
    Transvaal buurten; a code prefix such as "BU0518" finds all buurten of that gemeente.
    """
    areas = area_table(table) if isinstance(table, KwbTable) or "code" not in table else table
    areas = areas[["code", "name", "kind", "gemeente"]]
    needle = _fold(query)
    if not needle:
        return areas.iloc[0:0].reset_index(drop=True)
    names = areas["name"].map(_fold)
    codes = areas["code"].str.lower()
    hit = names.str.contains(needle, regex=False) | codes.str.startswith(needle)
    found = areas[hit].copy()
    kind_order = {"Gemeente": 0, "Wijk": 1, "Buurt": 2}
    found["_exact"] = (names[hit] != needle).astype(int)
    found["_start"] = (~names[hit].str.startswith(needle)).astype(int)
    found["_kind"] = found["kind"].map(kind_order).fillna(3)
    found = found.sort_values(["_exact", "_start", "_kind", "gemeente", "name", "code"])
    return found[["code", "name", "kind", "gemeente"]].reset_index(drop=True)


def describe_reference(ref: BuurtReference) -> str:
    """A readable Dutch summary of a reference (what the CLI prints without --json)."""
    names = ", ".join(f"{name} ({code})" if name and name != code else code
                      for code, name in ref.areas)
    lines = [f"Gebied: {names}" if names else "Gebied: eigen referentie"]
    if ref.year:
        lines.append(f"Jaar: {ref.year} (tabel {ref.table})")
    else:
        lines.append(f"Tabel: {ref.table}")
    lines.append(f"Inwoners: {fmt_count(ref.population)}")  # counts whole, even when estimated
    if ref.min_age:
        lines.append(f"Inwoners van {ref.min_age} jaar en ouder: {fmt_count(ref.eligible_population)}")
    for dim, counts in ref.dimensions.items():
        total = sum(counts.values())
        unit = ref.units.get(dim, "personen")
        title = DIMENSION_LABELS.get(dim) or EXTRA_DIMENSIONS.get(dim, dim)
        lines.append("")
        lines.append(f"{title} ({unit}):")
        for category, count in counts.items():
            share = 100 * count / total if total else 0.0
            mark = " (geschat)" if f"{dim}:{category}" in ref.estimated else ""
            # named as on the dashboard: an age band from the minimum age ('18 tot 25 jaar',
            # only residents from 18 count in it) and every share with one decimal
            text = EXTRA_LABELS.get(category) or group_label(category, ref.min_age, dim)
            lines.append(f"  {text}: {fmt_count(count)} ({dutch(share, 1)}%){mark}")
    if ref.assumptions:
        lines.append("")
        lines.append("Aannames:")
        lines += [f"- {text}" for text in ref.assumptions]
    if ref.notes:
        lines.append("")
        lines.append("Let op:")
        lines += [f"- {note}" for note in ref.notes]
    lines.append("")
    lines.append(short_line(ref.source, ref.year))
    return "\n".join(lines)
