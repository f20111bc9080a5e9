"""The buurten of a project from a KWB download: a wijk or gemeente code expanded to its buurten.

Only reading lives here (reference level), so the bounded child that parses a user's KWB
file imports just the readers, not the statistics of engagement; engagement.areas turns
the rows into the eligible population per buurt.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reference.build import ReferenceDataError
from reference.postcodes import KwbPostcodes

__all__ = ["KwbBuurten", "expand_areas", "read_kwb_buurten", "read_kwb_buurten_bounded"]


@dataclass(frozen=True)
class KwbBuurten:
    """The KWB rows of the chosen buurten (read_kwb_table's fields) and their postcodes."""

    rows: pd.DataFrame
    postcodes: KwbPostcodes
    year: int | None
    table: str


def expand_areas(frame: pd.DataFrame, areas: list[str], source: str) -> pd.DataFrame:
    """The buurt rows for the given codes: a buurt itself, every buurt of a wijk (WK…) or
    gemeente (GM…), in code order without duplicates. Dutch errors name the unknown code."""
    codes = list(dict.fromkeys(str(a).strip().upper() for a in areas if str(a).strip()))
    if not codes:
        raise ReferenceDataError("Geef minstens één gebiedscode (bijv. WK001400, GM0014 of BU00140000).")
    known = set(frame["code"])
    buurten = frame[frame["code"].str.startswith("BU")]
    parts = []
    for code in codes:
        if code not in known:
            close = sorted(c for c in known if c[:6] == code[:6])[:3]
            hint = f" Bedoelt u {', '.join(close)}?" if close else ""
            raise ReferenceDataError(f"Gebiedscode {code} staat niet in '{source}'.{hint} Zoek de "
                                     "code op met de naam van de buurt of wijk.")
        if code.startswith("BU"):
            parts.append(buurten[buurten["code"] == code])
        elif code.startswith(("WK", "GM")):
            found = buurten[buurten["code"].str.startswith("BU" + code[2:])]
            if found.empty:
                raise ReferenceDataError(f"Gebied {code} heeft geen buurten in '{source}'.")
            parts.append(found)
        else:
            raise ReferenceDataError(f"Gebiedscode {code} is geen buurt, wijk of gemeente: gebruik "
                                     "een code die begint met BU, WK of GM.")
    rows = pd.concat(parts).drop_duplicates("code").sort_values("code", kind="stable")
    return rows.reset_index(drop=True)


def read_kwb_buurten(data: bytes, file_name: str, areas: list[str]) -> KwbBuurten:
    """The buurt rows of `areas` and their most common postcode from a KWB download."""
    from reference.files import read_kwb_table
    from reference.postcodes import kwb_postcodes

    table = read_kwb_table(data, file_name)
    rows = expand_areas(table.frame, areas, file_name)
    found = kwb_postcodes(data, file_name)
    codes = set(rows["code"])
    postcodes = KwbPostcodes({k: v for k, v in found.postcode4.items() if k in codes},
                             {k: v for k, v in found.coverage_class.items() if k in codes})
    return KwbBuurten(rows=rows, postcodes=postcodes, year=table.year, table=table.table)


def _read_in_child(data: bytes, file_name: str, areas: list[str]) -> KwbBuurten:
    from surveys.limits import check_upload

    check_upload(data, file_name)
    return read_kwb_buurten(data, file_name, areas)


def read_kwb_buurten_bounded(data: bytes, file_name: str, areas: list[str], *,
                             timeout: float | None = None, memory_mb: int | None = None) -> KwbBuurten:
    """read_kwb_buurten after the shape check, in a time- and memory-bounded child."""
    from surveys.bounded import bounded_limits
    from surveys.limits import run_bounded

    default_timeout, default_memory = bounded_limits(1)
    return run_bounded(_read_in_child, data, file_name, list(areas),
                       timeout=timeout or default_timeout, memory_mb=memory_mb or default_memory,
                       file_name=file_name).value
