"""The Excel report: eight sheets laid out from ReportData with openpyxl.

Every value passes report_privacy.escape_text on the way in, so no text from a survey,
a profile name or an edited rule table can run as a formula. Charts are native Excel
charts that point at the (protected) cells, so a hidden number is not in the file.
"""
from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.report import COVERAGE_COLUMNS, STATS_COLUMNS, ReportData
from reports.privacy import escape_text
from reports.text import HEADINGS

SHEETS = ("Samenvatting", "Bereik per kenmerk", "Cellen", "Profielen", "Voortgang",
          "Aanbevelingen", "Plan", "Methode en bronnen")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=16, color="1F4E79")
HEADING_FONT = Font(bold=True, size=12, color="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")
FLAG_FILLS = (  # (text in Oordeel, fill): first match wins, so "niemand" before "onder"
    ("niemand", "F4B6B6"), ("ondervertegenwoordigd", "FCE4C4"),
    ("oververtegenwoordigd", "DCE6F1"), ("in lijn", "E2EFDA"),
)
FORMATS = {
    "Bevolking": "#,##0", "Respondenten": "#,##0", "Verwacht": "#,##0.0", "Aantal": "#,##0",
    "Onbekend": "#,##0", "Respondenten (totaal tot nu)": "#,##0",
    "Aandeel bevolking": "0.0%", "Aandeel respondenten": "0.0%", "Aandeel": "0.0%",
    "Geschat aandeel in de buurt": "0.0%", "Marge laag": "0.0%", "Marge hoog": "0.0%",
    "Verhouding": "0.00", "Chi-kwadraat": "0.00", "p-waarde": "0.000", "CV": "0.000",
    "R-indicator": "0.000", "Min/max-verhouding": "0.000", "Nog te spreken": "#,##0",
    "Respondenten nu": "#,##0", "Aandeel in de buurt": "0.0%", "Nog te spreken (nu)": "#,##0",
    "Nodig in het plan": "#,##0", "Alleen deze groep erbij": "#,##0",
    "Respondenten tot nu toe": "#,##0", "Voorgesteld erbij": "#,##0", "Per dag tot nu toe": "0.0",
    "Dagen nodig": "#,##0", "Per week": "#,##0", "Totaal": "#,##0",
    **{f"Week {w}": "#,##0" for w in range(1, 53)},
}
WIDE = {"Wat kunt u doen?": 60, "Voorbeelden": 50, "Kanalen tot nu toe": 40, "Bron": 30,
        "Omschrijving": 40, "Kenmerkende antwoorden": 45, "Uitleg": 60, "Waarom": 40}


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar → Python
        value = value.item()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return escape_text(value)


def _public(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not str(c).startswith("_")]


def _write_table(ws: Worksheet, frame: pd.DataFrame, row: int, *, empty: str = "") -> tuple[int, int]:
    """Header at `row`, data below; returns (first data row, last row written)."""
    columns = _public(frame)
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=col, value=escape_text(str(name)))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center")
    if frame.empty:
        ws.cell(row=row + 1, column=1, value=escape_text(empty))
        return row + 1, row + 1
    for r, record in enumerate(frame[columns].itertuples(index=False), start=row + 1):
        for col, (name, value) in enumerate(zip(columns, record), start=1):
            cell = ws.cell(row=r, column=col, value=_value(value))
            if isinstance(cell.value, (int, float)) and name in FORMATS:
                cell.number_format = FORMATS[name]
            if name in WIDE:
                cell.alignment = WRAP
            elif name == "Oordeel":
                cell.alignment = Alignment(indent=1, vertical="top")
            elif isinstance(cell.value, str) and (cell.value in ("x", "verborgen") or cell.value.startswith("<")):
                cell.alignment = Alignment(horizontal="right", vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
        if any(name in WIDE for name in columns):  # Excel and LibreOffice do not grow rows for wrapped text written by openpyxl
            lines = max(sum(-(-len(part) // max(WIDE[name] - 4, 10)) or 1 for part in str(v).split("\n"))
                        for name, v in zip(columns, record) if name in WIDE and v is not None)
            ws.row_dimensions[r].height = 15 * max(1, lines)
    return row + 1, row + len(frame)


def _widths(ws: Worksheet, frame: pd.DataFrame, minimum: int = 8, maximum: int = 40,
            keep: bool = False) -> None:
    """Column widths from the longest text; `keep` never narrows a column set before."""
    for col, name in enumerate(_public(frame), start=1):
        values = [str(name)] + [str(v) for v in frame[name].tolist()]
        best = max(len(v) for v in values) + 2
        width = WIDE.get(name, min(max(best, minimum), maximum))
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = max(width, dimension.width or 0) if keep else width


def _print_setup(ws: Worksheet, header_row: int | None = 1) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "Bereikwijzer · &A · pagina &P van &N"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _flag_formatting(ws: Worksheet, column: int, first: int, last: int, width: int) -> None:
    if last < first:
        return
    letter = get_column_letter(column)
    area = f"A{first}:{get_column_letter(width)}{last}"
    for text, colour in FLAG_FILLS:
        ws.conditional_formatting.add(area, FormulaRule(
            formula=[f'ISNUMBER(SEARCH("{text}",${letter}{first}))'],
            fill=PatternFill("solid", fgColor=colour, bgColor=colour), stopIfTrue=True))


def _lines(ws: Worksheet, lines: Iterable[str], row: int, headings: Iterable[str] = (),
           chars_per_line: int = 0) -> int:
    """One text line per row; with `chars_per_line` the row grows to fit its wrapped text."""
    heads = set(headings)
    for line in lines:
        cell = ws.cell(row=row, column=1, value=escape_text(line))
        cell.alignment = WRAP
        if line in heads:
            cell.font = HEADING_FONT
        elif chars_per_line and len(line) > chars_per_line:
            ws.row_dimensions[row].height = 15 * (-(-len(line) // chars_per_line))
        row += 1
    return row


def _summary(ws: Worksheet, data: ReportData) -> None:
    ws["A1"] = escape_text(data.title)
    ws["A1"].font = TITLE_FONT
    ws["A2"] = escape_text(f"Gebied: {data.area} · Datum: {data.date.isoformat()}"
                           + (f" · Project: {data.project}" if data.project else ""))
    ws["A4"] = "Conclusies"
    ws["A4"].font = HEADING_FONT
    row = _lines(ws, data.summary, 5) + 1
    ws.cell(row=row, column=1, value="Kerncijfers").font = HEADING_FONT
    first, last = _write_table(ws, data.headline, row + 1)
    for r, fmt in zip(range(first, last + 1), data.headline["_format"]):
        ws.cell(row=r, column=2).number_format = {"int": "#,##0", "pct": "0.0%", "dec": "0.00"}[fmt]
    row = last + 2
    if not data.channels.empty:
        ws.cell(row=row, column=1, value="Respondenten per kanaal").font = HEADING_FONT
        row = _write_table(ws, data.channels, row + 1)[1] + 2
    ws.cell(row=row, column=1, value=escape_text(
        f"Kleine aantallen (minder dan {data.k}) zijn verborgen. Uitleg: blad 'Methode en bronnen'."))
    ws.column_dimensions["A"].width = 45
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 70
    for r in range(5, 5 + len(data.summary)):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 15 * max(1, len(str(ws.cell(row=r, column=1).value)) // 120 + 1)
    _print_setup(ws, None)


def _coverage(ws: Worksheet, data: ReportData) -> None:
    table = data.coverage
    first, last = _write_table(ws, table, 1, empty="Geen kenmerken om te vergelijken.")
    ws.freeze_panes = "C2"
    if not table.empty:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COVERAGE_COLUMNS))}{last}"
    _flag_formatting(ws, COVERAGE_COLUMNS.index("Oordeel") + 1, first, last, len(COVERAGE_COLUMNS))
    _widths(ws, table)
    stats_row = last + 3
    ws.cell(row=stats_row - 1, column=1, value="Toetsing per kenmerk").font = HEADING_FONT
    _write_table(ws, data.stats, stats_row)
    _widths(ws, data.stats, keep=True)
    if (data.stats == "verborgen").any().any():
        ws.cell(row=stats_row + len(data.stats) + 1, column=1, value=escape_text(
            "Verborgen: bij dit kenmerk zijn kleine aantallen verborgen; uit deze toetsen zou u ze "
            "kunnen terugrekenen.")).font = Font(italic=True)
    # one bar chart per dimension (population share vs respondent share), two per row
    # under the tables so a printed page stays readable
    share_p = COVERAGE_COLUMNS.index("Aandeel bevolking") + 1
    share_r = COVERAGE_COLUMNS.index("Aandeel respondenten") + 1
    group_col = COVERAGE_COLUMNS.index("Groep") + 1
    chart_row = stats_row + len(data.stats) + 4
    ws.cell(row=chart_row - 1, column=1, value=escape_text(
        f"Grafieken: grijs = aandeel in de buurt, blauw = aandeel onder respondenten. "
        f"Verborgen aantallen (<{data.k}, x) staan er niet in.")).font = Font(italic=True)
    second_col = _column_after(ws, 13.5)
    offset = first
    for number, (dim, part) in enumerate(table.groupby("Kenmerk", sort=False)):
        start, end = offset, offset + len(part) - 1
        offset = end + 1
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"{dim}"
        chart.y_axis.numFmt = "0%"
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
        for col in (share_p, share_r):
            chart.add_data(Reference(ws, min_col=col, min_row=start, max_row=end), titles_from_data=False)
        chart.series[0].tx = SeriesLabel(v="In de buurt")
        chart.series[1].tx = SeriesLabel(v="Respondenten")
        chart.series[0].graphicalProperties.solidFill = "A6A6A6"
        chart.series[1].graphicalProperties.solidFill = "1F4E79"
        _text_categories(chart, ws, group_col, start, end)
        chart.height, chart.width = 7.5, 13
        chart.legend.position = "b"
        row = chart_row + (number // 2) * 17
        col = 1 if number % 2 == 0 else second_col
        ws.add_chart(chart, f"{get_column_letter(col)}{row}")
    _print_setup(ws)


def _text_categories(chart: BarChart, ws: Worksheet, column: int, first: int, last: int) -> None:
    """Category labels as a string reference (openpyxl writes numRef, which Excel may show as 1, 2, 3)."""
    ref = f"'{ws.title}'!${get_column_letter(column)}${first}:${get_column_letter(column)}${last}"
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=ref))


def _column_after(ws: Worksheet, centimetres: float) -> int:
    """The first column that starts right of `centimetres` (for placing a second chart)."""
    total, col = 0.0, 1
    while total < centimetres and col < 30:
        width = ws.column_dimensions[get_column_letter(col)].width or 8.43
        total += width * 0.2
        col += 1
    return col


def _plain(ws: Worksheet, frame: pd.DataFrame, empty: str, note: str = "") -> None:
    first, last = _write_table(ws, frame, 1, empty=empty)
    ws.freeze_panes = "A2"
    if not frame.empty:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(_public(frame)))}{last}"
    if "Oordeel" in frame.columns:
        _flag_formatting(ws, _public(frame).index("Oordeel") + 1, first, last, len(_public(frame)))
    if note:
        ws.cell(row=last + 2, column=1, value=escape_text(note)).alignment = Alignment(wrap_text=False)
    _widths(ws, frame)
    _print_setup(ws)


def _profiles_chart(ws: Worksheet, data: ReportData) -> None:
    if data.profiles.empty:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Aandeel per profiel onder respondenten"
    chart.y_axis.numFmt = "0%"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"
    col = _public(data.profiles).index("Aandeel respondenten") + 1
    chart.add_data(Reference(ws, min_col=col, min_row=2, max_row=1 + len(data.profiles)))
    _text_categories(chart, ws, 1, 2, 1 + len(data.profiles))
    chart.height, chart.width = 6.5, 13
    ws.add_chart(chart, f"A{len(data.profiles) + 5}")


def _plan(ws: Worksheet, data: ReportData) -> None:
    """Groups, channel mix and weekly plan under each other, with the goal on top."""
    blocks = (("Welke groepen nog?", data.plan, "Geen groep heeft nog mensen nodig voor dit doel."),
              ("Via welke kanalen?", data.plan_channels,
               "Nog geen kanaal met genoeg respondenten om een opbrengst te berekenen."),
              ("Weekplan", data.plan_weeks, "Geen weekplan: er zijn geen mensen meer nodig."))
    for _, frame, _ in blocks:  # widths first: the lines above are merged over these columns
        _widths(ws, frame, keep=True, maximum=45)
    ws["A1"] = "Plan voor het veldwerk"
    ws["A1"].font = TITLE_FONT
    span = max(len(_public(frame)) for _, frame, _ in blocks)
    chars = int(sum((ws.column_dimensions[get_column_letter(c)].width or 8.43)
                    for c in range(1, span + 1)) * 1.1)
    row = 3
    for line in data.plan_lines:
        cell = ws.cell(row=row, column=1, value=escape_text(line))
        cell.alignment = WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
        ws.row_dimensions[row].height = 15 * max(1, -(-len(line) // max(chars, 40)))
        row += 1
    row += 1
    for title, frame, empty in blocks:
        ws.cell(row=row, column=1, value=title).font = HEADING_FONT
        first, last = _write_table(ws, frame, row + 1, empty=empty)
        row = last + 3
    ws.cell(row=row - 1, column=1, value=escape_text(
        f"Verborgen: '<{data.k}' en 'x' staan waar een getal een kleine groep zou verraden.")
    ).font = Font(italic=True)
    _print_setup(ws, None)


def build_workbook(data: ReportData) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in SHEETS}
    _summary(sheets["Samenvatting"], data)
    _coverage(sheets["Bereik per kenmerk"], data)
    cells_note = ("Verwacht: het aantal dat u bij een goede afspiegeling zou verwachten. Onder 5 verwacht "
                  "tonen we geen oordeel ('te weinig gegevens').")
    if data.cells_independence:
        cells_note += (" Bevolking per cel: schatting bij onafhankelijkheid. Het CBS geeft de kenmerken "
                       "alleen los; gebruik deze cellen als aanwijzing, niet als oordeel.")
    _plain(sheets["Cellen"], data.cells, "Geen tweewegtabel meegegeven.", cells_note)
    _plain(sheets["Profielen"], data.profiles, "Geen betrokkenheidsprofielen gemaakt.")
    _profiles_chart(sheets["Profielen"], data)
    _plain(sheets["Voortgang"], data.progress, "Geen voortgangsgegevens meegegeven.",
           "Per periode: wie u tot en met die periode sprak (opgeteld).")
    _plain(sheets["Aanbevelingen"], data.advice, "Alle groepen zijn voldoende bereikt: geen extra acties nodig.")
    _plan(sheets["Plan"], data)
    ws = sheets["Methode en bronnen"]
    ws["A1"] = "Methode en bronnen"
    ws["A1"].font = TITLE_FONT
    _lines(ws, data.method, 3, headings=HEADINGS, chars_per_line=100)
    ws.column_dimensions["A"].width = 110
    _print_setup(ws, None)
    wb.properties.creator = "Bereikwijzer"
    wb.properties.title = escape_text(data.title)
    return wb


def workbook_bytes(data: ReportData) -> bytes:
    buffer = io.BytesIO()
    build_workbook(data).save(buffer)
    return buffer.getvalue()


__all__ = ["SHEETS", "STATS_COLUMNS", "build_workbook", "workbook_bytes"]
