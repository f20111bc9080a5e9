"""Printed pages of a table sheet with a note under its table: the header row repeats on
every page, so a page that starts below the table would print that header above nothing
but the note (LibreOffice page 15 of the re-walk's report)."""
from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from reports.xlsx import _fit_columns, _kind, _paginate, _plain

NOTE = ("Per week: wie u tot en met die week sprak (opgeteld). " * 12).strip()


def _sheet(rows: int):
    frame = pd.DataFrame({"Periode": ["2024-03-24"] * rows, "Kenmerk": ["Leeftijd"] * rows,
                          "Groep": [f"Groep {i}" for i in range(rows)],
                          "Respondenten (totaal tot nu)": [10 + i for i in range(rows)]})
    ws = Workbook().active
    _plain(ws, frame, "Geen voortgangsgegevens meegegeven.", NOTE)
    _fit_columns(ws)
    _paginate(ws)
    return ws, rows + 1  # the table's last row


def _pages(ws) -> list[list[int]]:
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    edges = [0, *breaks, ws.max_row]
    return [list(range(a + 1, b + 1)) for a, b in zip(edges, edges[1:])]


@pytest.mark.parametrize("rows", range(18, 60))
def test_no_page_holds_only_the_repeated_header_and_the_note(rows: int) -> None:
    ws, table_end = _sheet(rows)
    assert ws.print_title_rows  # the header row repeats on every printed page
    for page in _pages(ws)[1:]:
        data = [r for r in page if r <= table_end and _kind(ws, r) == "data"]
        assert data, (rows, page)  # at least one row of the table under the repeated header
