"""The Excel report: nine sheets laid out from ReportData with openpyxl, plus "Buurten"
and "Thema's" when the report has reach per buurt or a themes check.

Every value passes report_privacy.escape_text on the way in, so no text from a survey,
a profile name or an edited rule table can run as a formula. Charts are native Excel
charts that point at the (protected) cells, so a hidden number is not in the file.
Printing: a table sheet is scaled to the page width (landscape, header row repeated),
after a sheet much wider than the page is narrowed so it does not shrink to an unreadable
size; a long sheet gets its page breaks set, so no heading ends a page and no table's last
row stands alone. The charts have a sheet of their own at full size, one chart per row
band and never cut by a page break, so a printed chart stays readable.
"""
from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from reports.privacy import escape_text
from reports.report import (
    COUNT_COLUMNS,
    COVERAGE_COLUMNS,
    DATE_COLUMNS,
    STATS_COLUMNS,
    ReportData,
    cells_hidden_note,
    verdict_hidden_note,
)
from reports.text import HEADINGS, fmt_date

SHEETS = ("Samenvatting", "Bereik per kenmerk", "Grafieken", "Cellen", "Profielen", "Voortgang",
          "Aanbevelingen", "Plan", "Methode en bronnen")
CHARTS_SHEET = "Grafieken"
AREAS_SHEET = "Buurten"
THEMES_SHEET = "Thema's"
ROW_CM = 0.53        # one row of 15 pt
PAGE_ROWS = 31       # rows of 15 pt on a landscape A4 page with the margins below
PAGE_POINTS = 500    # the printable height of that page in points
CHART_WIDTH_CM = 24.0
DATA_COLUMN, DATA_WIDTH = 40, 12  # hidden columns AN… on the chart sheet hold what the charts draw
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
    "Bevolking": "#,##0", "Respondenten": "#,##0", "Verwacht": "#,##0", "Aantal": "#,##0",
    "Onbekend": "#,##0", "Respondenten (totaal tot nu)": "#,##0",
    "Aandeel bevolking": "0.0%", "Aandeel respondenten": "0.0%", "Aandeel": "0.0%",
    "Geschat aandeel in de buurt": "0.0%", "Marge laag": "0.0%", "Marge hoog": "0.0%",
    "Verhouding": "0.00", "Chi-kwadraat": "0.00", "p-waarde": "0.000", "CV": "0.000",
    "R-indicator": "0.000", "Min/max-verhouding": "0.000", "Nog te spreken": "#,##0",
    "Respondenten nu": "#,##0", "Aandeel in de buurt": "0.0%", "Nog te spreken (nu)": "#,##0",
    "Nodig in het plan": "#,##0", "Alleen deze groep erbij": "#,##0",
    "Respondenten tot nu toe": "#,##0", "Voorgesteld erbij": "#,##0", "Per dag tot nu toe": "0.0",
    "Dagen nodig": "#,##0", "Per week": "#,##0", "Totaal": "#,##0",
    "Inwoners (vanaf min. leeftijd)": "#,##0", "Per 100 inwoners": "0.0", "Gemiste inwoners (geschat)": "#,##0",
    "Deelnemers in groep": "#,##0", "Noemden dit thema": "#,##0", "Ondergrens": "0.0%", "Bovengrens": "0.0%",
    **{f"Week {w}": "#,##0" for w in range(1, 53)},
    **{name: "#,##0" for name in COUNT_COLUMNS},
}
WIDE = {"Wat kunt u doen?": 50, "Voorbeelden": 40, "Kanalen tot nu toe": 28, "Bron": 22,
        "Omschrijving": 40, "Kenmerkende antwoorden": 45, "Uitleg": 70, "Waarom": 40,
        "Gemiste groepen (geschat aantal inwoners)": 50, "Citaat": 90}


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


DUTCH_DATE = "[$-413]d mmm yyyy"  # "4 mrt 2024" whatever the reader's Excel language


def _date_value(value: Any, as_text: bool) -> Any:
    """An ISO date of a DATE_COLUMNS cell as a real date (sortable), or as Dutch text."""
    if not isinstance(value, str) or len(value) != 10:
        return value
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return fmt_date(day) if as_text else day


def _write_table(ws: Worksheet, frame: pd.DataFrame, row: int, *, empty: str = "",
                 dates_as_text: bool = False) -> tuple[int, int]:
    """Header at `row`, data below; returns (first data row, last row written). Dates are
    Excel dates shown in Dutch, or Dutch text with `dates_as_text` (chart categories)."""
    columns = _public(frame)
    for col, name in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=col, value=escape_text(str(name)))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    if frame.empty:
        ws.cell(row=row + 1, column=1, value=escape_text(empty))
        return row + 1, row + 1
    for r, record in enumerate(frame[columns].itertuples(index=False), start=row + 1):
        for col, (name, value) in enumerate(zip(columns, record), start=1):
            if name in DATE_COLUMNS:
                value = _date_value(value, dates_as_text)
            cell = ws.cell(row=r, column=col, value=_value(value))
            if isinstance(cell.value, dt.date):
                cell.number_format = DUTCH_DATE
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


def _wrap_long(ws: Worksheet, frame: pd.DataFrame, first: int) -> None:
    """Wrap a text longer than its column (set by _widths) and give the row the lines it
    needs: text that runs on into empty cells is cut off when printed."""
    columns = _public(frame)
    for r, record in enumerate(frame[columns].itertuples(index=False), start=first):
        lines = 1
        for col, (name, value) in enumerate(zip(columns, record), start=1):
            width = ws.column_dimensions[get_column_letter(col)].width or 8.43
            if isinstance(value, str) and len(value) > width - 1 and name not in WIDE:
                cell = ws.cell(row=r, column=col)
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal)
                lines = max(lines, math.ceil(len(value) / max(width - 2, 4)))
        if lines > 1:
            ws.row_dimensions[r].height = max(ws.row_dimensions[r].height or 15, 15 * lines)


def _shown_length(name: str, value: Any) -> int:
    """How many characters a cell shows: a number by its format (not 0.12554028…), text as is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return max((len(part) for part in str(value).split("\n")), default=0)
    if pd.isna(value):
        return 0
    fmt = FORMATS.get(name, "0.00")
    if fmt.endswith("%"):
        return len(f"{100 * value:.1f}%")
    if fmt.startswith("#,##0") and "." not in fmt:
        return len(f"{value:,.0f}")
    return len(f"{value:,.3f}")


def _widths(ws: Worksheet, frame: pd.DataFrame, minimum: int = 8, maximum: int = 40,
            keep: bool = False, header: int | None = None) -> None:
    """Column widths from the longest shown value and the longest word of the header (the
    header wraps), so a table sheet prints as large as its page allows; `keep` never
    narrows a column set before. With `header` (its row) that row gets the lines it needs."""
    lines = 1
    for col, name in enumerate(_public(frame), start=1):
        words = max(len(word) for word in str(name).split()) if str(name).split() else 0
        best = max([words, *(_shown_length(name, v) for v in frame[name].tolist())]) + 2
        width = WIDE.get(name, min(max(best, minimum), maximum))
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = max(width, dimension.width or 0) if keep else width
        lines = max(lines, math.ceil(len(str(name)) / max(dimension.width - 2, 4)))
    if header is not None:
        ws.row_dimensions[header].height = 15 * lines


# A table longer than this runs onto a second landscape page: only then repeat its header row
# (a short table's header would otherwise stand alone above the notes on the next page).
ONE_PAGE_ROWS = 25


def _print_setup(ws: Worksheet, header_row: int | None = 1, *, fit_width: bool = True) -> None:
    """A4 landscape with a footer; a table sheet is scaled to the page width (never to one
    page high) and repeats its header row (`header_row`: the header of its long table, also
    when text stands above it); the print area is what the sheet holds, so nothing beyond
    it prints as empty pages; a chart sheet prints at full size."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = 100
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "Bereikwijzer · &A · pagina &P van &N"
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    if fit_width:
        ws.print_area = f"A1:{get_column_letter(max(1, ws.max_column))}{max(1, ws.max_row)}"


# Printing to the page width: LibreOffice and Excel scale a sheet whose columns are wider
# than the page. A4 landscape between the margins is 770 pt; one unit of column width is
# about 5.25 pt (Calibri 11), so 146 units print at 100%. Wider tables are narrowed (text
# wraps) down to FIT_CHARS, so a printed table stays at about 90% or larger.
PAGE_WIDTH_CHARS = 146
FIT_CHARS = 160
PAGE_HEIGHT_POINTS = 500   # A4 landscape between the top and bottom margins (0.6 + 0.7 inch)
_BREAK = re.compile(r"(?<=[-/])|\s+")  # Excel and LibreOffice wrap at spaces and after - and /


def _longest_word(text: str) -> int:
    return max((len(w) for w in _BREAK.split(text) if w), default=0)


def _shown(cell: Any) -> str:
    """The text a number cell shows by its format (Dutch), for its width."""
    value, fmt = cell.value, cell.number_format
    if isinstance(value, (dt.date, dt.datetime)):
        return "30 sep 2024"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    if fmt.endswith("%"):
        return f"{100 * value:.{fmt.count('0') - 1}f}%"
    decimals = len(fmt.split(".")[1]) if "." in fmt else 0
    return f"{value:,.{decimals}f}"


def _merged_width(ws: Worksheet) -> dict[tuple[int, int], int]:
    """(row, first column) → the last column of each merged range."""
    return {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}


def _width(ws: Worksheet, first: int, last: int) -> float:
    return sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(first, last + 1))


def _fit_columns(ws: Worksheet, budget: int = FIT_CHARS) -> bool:
    """Narrow the widest columns until the sheet is at most `budget` wide, never below what
    a column needs unbroken (a header's or text's longest word, a number as shown); then the
    rows get the lines their wrapped text now needs. False when nothing had to change."""
    merged = _merged_width(ws)
    inside = {(r, c) for r0, c0 in merged for r in (r0,) for c in range(c0, merged[(r0, c0)] + 1)}
    columns = range(1, ws.max_column + 1)
    widths = {c: ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in columns}
    if sum(widths.values()) <= budget:
        return False
    need = dict.fromkeys(columns, 6.0)
    fixed = {c.column for row in ws.iter_rows() for c in row if _kind_of(c) == "header" and c.value in WIDE}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in inside:
                continue
            if cell.column in fixed:  # a long-text column keeps its width (WIDE)
                need[cell.column] = widths[cell.column]
                continue
            text = _shown(cell)
            # text keeps its longest word whole and a line of at least 14 characters
            word = max(_longest_word(text), min(len(text), 14)) if isinstance(cell.value, str) and \
                _kind_of(cell) != "header" else _longest_word(text) if isinstance(cell.value, str) else len(text)
            need[cell.column] = max(need[cell.column], min(word, 24) + 2.0)
    need = {c: min(need[c], widths[c]) for c in columns}
    low, high = 0.0, max(widths.values())
    for _ in range(40):  # the largest cap that fits the budget
        cap = (low + high) / 2
        if sum(max(need[c], min(widths[c], cap)) for c in columns) <= budget:
            low = cap
        else:
            high = cap
    for c in columns:
        ws.column_dimensions[get_column_letter(c)].width = round(max(need[c], min(widths[c], low)), 1)
    _reflow(ws)
    return True


def _reflow(ws: Worksheet) -> None:
    """Each row as high as its longest wrapped text (15 pt a line), after the widths changed."""
    merged = _merged_width(ws)
    for r in range(1, ws.max_row + 1):
        lines = 0
        filled = [c for c in ws[r] if c.value is not None]
        alone = len(filled) == 1 and filled[0].column == 1  # a heading or a line runs on to the right
        for cell in filled:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            runs_on = alone and not cell.alignment.wrap_text
            last = ws.max_column if runs_on else merged.get((r, cell.column), cell.column)
            chars = max(_width(ws, cell.column, last) - 1, 4)
            n = sum(max(1, math.ceil(len(part) / chars)) for part in cell.value.split("\n"))
            if n > 1 and not cell.alignment.wrap_text:
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal=cell.alignment.horizontal,
                                           indent=cell.alignment.indent)
            lines = max(lines, n)
        if lines > 1 or ws.row_dimensions[r].height:
            ws.row_dimensions[r].height = 15 * max(lines, 1)


def _kind_of(cell: Any) -> str:
    return "header" if cell.fill is not None and cell.fill.fgColor.rgb == HEADER_FILL.fgColor.rgb else ""


def _kind(ws: Worksheet, r: int) -> str:
    """'heading', 'header', 'data' or 'empty': what a row is, for keeping parts together."""
    first = ws.cell(row=r, column=1)
    if all(c.value is None for c in ws[r]):
        return "empty"
    if _kind_of(first) == "header":
        return "header"
    if first.font is not None and first.font.b and (first.font.sz or 11) >= 12 and \
            all(c.value is None for c in ws[r][1:]):
        return "heading"
    return "data"


def _paginate(ws: Worksheet) -> None:
    """Every page break of a sheet longer than a page, set by hand: a page ends before a
    heading or table header that would stand alone at its bottom, and never leaves a table's
    last row alone on the next page. The page is filled to PAGE_HEIGHT_POINTS (rows of 15 pt
    as Excel prints them; LibreOffice's rows are lower), so a printer's own break never
    comes first and these are the breaks the reader gets. A page never holds only the
    repeated header row above the notes under the table: the table's last rows go along."""
    total = _width(ws, 1, ws.max_column)
    scale = min(1.0, PAGE_WIDTH_CHARS / total) if total else 1.0
    titles = 0.0
    kinds = {r: _kind(ws, r) for r in range(1, ws.max_row + 2)}
    table_end = 0  # the last row of the table whose header repeats on every page
    if ws.print_title_rows:
        a, b = (int(x.strip("$")) for x in str(ws.print_title_rows).split(":"))
        titles = sum(ws.row_dimensions[r].height or 15 for r in range(a, b + 1))
        table_end = b
        while kinds.get(table_end + 1) == "data":
            table_end += 1
    room = PAGE_HEIGHT_POINTS / scale  # the first page holds the title rows themselves
    height = {r: ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1)}
    start, used, r = 1, 0.0, 1
    while r <= ws.max_row:
        if used + height[r] <= room or r == start:
            used += height[r]
            r += 1
            continue
        at = r  # the printer would start a page here
        j = at - 1
        if kinds[j] == "data" and kinds.get(j - 1) == "header":
            j -= 1  # a table's header with a single row under it goes along too
        while j > start and kinds[j] in ("heading", "header", "empty"):
            j -= 1
        lead = [x for x in range(j + 1, at) if kinds[x] != "empty"]
        if lead and any(kinds[x] in ("heading", "header") for x in lead):
            at = lead[0]
        elif kinds[at] == "data" and kinds[at + 1] != "data" and kinds[at - 1] == "data" and at - 1 > start:
            at -= 1
        if start < table_end < at and not any(kinds[x] in ("heading", "header") for x in range(at, ws.max_row + 1)):
            # only notes below the table are left: the repeated header row would print above
            # them alone, so the table's last two rows go to that page too
            at = table_end - 1 if kinds.get(table_end - 1) == "data" and table_end - 1 > start else table_end
        ws.row_breaks.append(Break(id=at - 1))
        start, used, r = at, titles, at  # later pages repeat the title rows


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
    ws["A2"] = escape_text(f"Gebied: {data.area} · Datum: {fmt_date(data.date)}"
                           + (f" · Project: {data.project}" if data.project else ""))
    ws["A4"] = "Conclusies"
    ws["A4"].font = HEADING_FONT
    row = _lines(ws, data.summary, 5) + 1
    ws.cell(row=row, column=1, value="Kerncijfers").font = HEADING_FONT
    first, last = _write_table(ws, data.headline, row + 1)
    for r, fmt in zip(range(first, last + 1), data.headline["_format"]):
        ws.cell(row=r, column=2).number_format = {"int": "#,##0", "pct": "0.0%", "dec": "0.00"}[fmt]
    row = last + 2
    figures = first - 2  # the "Kerncijfers" heading
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
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(str(ws.cell(row=r, column=1).value)) / 150))
    _print_setup(ws, None)
    points = sum(ws.row_dimensions[r].height or 15 for r in range(1, ws.max_row + 1))
    if points <= PAGE_POINTS / 0.75:  # a summary a little longer than a page: one page, a bit smaller
        ws.page_setup.fitToHeight = 1
    else:  # the conclusions on the first page, the figures together on the next: no heading left alone
        ws.row_breaks.append(Break(id=figures - 1))


def _coverage(ws: Worksheet, data: ReportData) -> None:
    table = data.coverage
    first, last = _write_table(ws, table, 1, empty="Geen kenmerken om te vergelijken.")
    ws.freeze_panes = "C2"
    if not table.empty:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COVERAGE_COLUMNS))}{last}"
    _flag_formatting(ws, COVERAGE_COLUMNS.index("Oordeel") + 1, first, last, len(COVERAGE_COLUMNS))
    _widths(ws, table, header=1, maximum=34)
    if not table.empty:
        _wrap_long(ws, table, first)
    stats_row = last + 3
    ws.cell(row=stats_row - 1, column=1, value="Toetsing per kenmerk").font = HEADING_FONT
    _write_table(ws, data.stats, stats_row)
    _widths(ws, data.stats, keep=True, header=stats_row)
    notes = [verdict_hidden_note(table, data.k)]
    if (data.stats == "verborgen").any().any():
        notes.append("Verborgen: bij dit kenmerk zijn kleine aantallen verborgen; uit deze toetsen zou u ze "
                     "kunnen terugrekenen.")
    for row, note in enumerate((n for n in notes if n), start=stats_row + len(data.stats) + 1):
        _note(ws, row, note, len(COVERAGE_COLUMNS), italic=True)
    _print_setup(ws)


def _bar_chart(title: str, categories: int) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.y_axis.numFmt = "0%"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    chart.width, chart.height = CHART_WIDTH_CM, min(15.0, 3.5 + 1.1 * max(categories, 2))
    chart.y_axis.scaling.min = 0  # a bar starts at 0%: a cut axis makes small differences look large
    return chart


class _Bands:
    """Places blocks (a heading, a table, a chart) under each other on the chart sheet
    and breaks the page before a block that would not fit, so no chart is cut in two."""

    def __init__(self, ws: Worksheet, row: int) -> None:
        self.ws, self.row, self.used = ws, row, row - 1

    def reserve(self, rows: int) -> int:
        if self.used + rows > PAGE_ROWS and self.used > 0:
            self.ws.row_breaks.append(Break(id=self.row - 1))
            self.used = 0
        start = self.row
        for r in range(start, start + rows):
            self.ws.row_dimensions[r].height = 15
        self.row += rows
        self.used += rows
        return start

    def chart(self, chart: Any, heading: str = "") -> None:
        rows = math.ceil(chart.height / ROW_CM) + 1 + (1 if heading else 0)
        start = self.reserve(rows)
        if heading:
            self.ws.cell(row=start, column=1, value=escape_text(heading)).font = HEADING_FONT
            start += 1
        self.ws.add_chart(chart, f"A{start}")


class _ChartData:
    """The numbers a chart draws, in hidden columns of the chart sheet: a hidden count
    ('<10', 'x') is an empty cell there (a gap, where Excel would draw text as 0) and its
    category says '(verborgen)'. Only values the tables show are copied."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws, self.row = ws, 1
        for col in range(DATA_COLUMN, DATA_COLUMN + DATA_WIDTH):
            ws.column_dimensions[get_column_letter(col)].hidden = True

    def block(self, header: list[str], rows: list[tuple[str, list[Any]]],
              mark: bool = True) -> tuple[int, int]:
        """Writes a header row and (category, numbers) rows; returns (header row, last row).
        `mark`: a category with a hidden number says so (not for weeks: a week hides nothing)."""
        top = self.row
        for i, name in enumerate(header):
            self.ws.cell(row=top, column=DATA_COLUMN + 1 + i, value=escape_text(name))
        for r, (category, numbers) in enumerate(rows, start=top + 1):
            hidden = mark and any(_number(v) is None for v in numbers)
            self.ws.cell(row=r, column=DATA_COLUMN, value=escape_text(
                f"{category} (verborgen)" if hidden else str(category)))
            for i, value in enumerate(numbers):
                self.ws.cell(row=r, column=DATA_COLUMN + 1 + i, value=_number(value))
        self.row = top + len(rows) + 2
        return top, top + len(rows)

    def add(self, chart: Any, top: int, last: int, series: int) -> None:
        for i in range(series):
            chart.add_data(Reference(self.ws, min_col=DATA_COLUMN + 1 + i, min_row=top, max_row=last),
                           titles_from_data=True)
        _text_categories(chart, self.ws, DATA_COLUMN, top + 1, last)
        chart.display_blanks = "gap"
        chart.visible_cells_only = False  # the data columns are hidden; draw them anyway


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or pd.isna(value):
        return None
    return value


def _charts(ws: Worksheet, data: ReportData) -> None:
    """The chart sheet: per dimension population vs respondent shares, respondents per
    week, profile shares."""
    ws["A1"] = "Grafieken"
    ws["A1"].font = TITLE_FONT
    bands, numbers = _Bands(ws, 5), _ChartData(ws)
    ws["A2"] = "Grijs = aandeel in de buurt, blauw = aandeel onder respondenten."
    ws["A3"] = escape_text(f"Een verborgen aantal (<{data.k}, x) staat er niet in; de groep heet dan '(verborgen)'.")
    ws["A2"].font = ws["A3"].font = Font(italic=True)
    for dim, part in data.coverage.groupby("Kenmerk", sort=False):
        top, last = numbers.block(["In de buurt", "Respondenten"], [
            (g, [p, r]) for g, p, r in zip(part["Groep"], part["Aandeel bevolking"], part["Aandeel respondenten"])])
        chart = _bar_chart(f"{dim}", len(part))
        numbers.add(chart, top, last, 2)
        chart.series[0].graphicalProperties.solidFill = "A6A6A6"
        chart.series[1].graphicalProperties.solidFill = "1F4E79"
        chart.legend.position = "b"
        bands.chart(chart)
    _progress_block(ws, data, bands, numbers)
    if not data.profiles.empty:
        top, last = numbers.block(["Respondenten"], [
            (name, [share]) for name, share in zip(data.profiles["Profiel"], data.profiles["Aandeel respondenten"])])
        chart = _bar_chart("Aandeel per profiel onder respondenten", len(data.profiles))
        chart.legend = None
        numbers.add(chart, top, last, 1)
        chart.series[0].graphicalProperties.solidFill = "1F4E79"
        bands.chart(chart)
    _print_setup(ws, None, fit_width=False)


def _progress_block(ws: Worksheet, data: ReportData, bands: _Bands, numbers: _ChartData) -> None:
    """Respondents per week (so far), in total and per channel: a small table and a line chart."""
    weeks = data.progress_weeks
    if weeks.empty:
        return
    columns = _public(weeks)
    start = bands.reserve(len(weeks) + (5 if data.progress_note else 3))
    ws.cell(row=start, column=1, value="Voortgang: respondenten per week (opgeteld)").font = HEADING_FONT
    first, last = _write_table(ws, weeks, start + 1, dates_as_text=True)
    _widths(ws, weeks, minimum=12, maximum=20, keep=True, header=start + 1)
    if data.progress_note:
        _note(ws, last + 2, data.progress_note, max(len(columns), 6), italic=True)
    if len(weeks) < 2:
        return
    chart = LineChart()
    chart.title = "Respondenten tot en met elke week"
    chart.y_axis.title = "aantal (opgeteld)"
    chart.y_axis.numFmt = "#,##0"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width, chart.height = CHART_WIDTH_CM, 8.5
    chart.legend.position = "b"
    series = columns[1:]
    top, end = numbers.block(series, [(fmt_date(row[columns[0]]), [row[c] for c in series])
                                      for _, row in weeks.iterrows()], mark=False)
    numbers.add(chart, top, end, len(series))
    for line in chart.series:
        line.smooth = False
    chart.series[0].graphicalProperties.line.solidFill = "1F4E79"
    chart.series[0].graphicalProperties.line.width = 38100
    bands.chart(chart)


def _text_categories(chart: BarChart, ws: Worksheet, column: int, first: int, last: int) -> None:
    """Category labels as a string reference (openpyxl writes numRef, which Excel may show as 1, 2, 3)."""
    ref = f"'{ws.title}'!${get_column_letter(column)}${first}:${get_column_letter(column)}${last}"
    for series in chart.series:
        series.cat = AxDataSource(strRef=StrRef(f=ref))


def _note(ws: Worksheet, row: int, text: str, span: int, italic: bool = False) -> None:
    """A line of text under a table, wrapped within the table's width: text that runs on
    to the right would widen the printed page and shrink the table."""
    cell = ws.cell(row=row, column=1, value=escape_text(text))
    cell.alignment = WRAP
    if italic:
        cell.font = Font(italic=True)
    span = max(span, 1)
    if span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    chars = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(1, span + 1)) * 1.1
    ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(text) / max(chars, 20)))


def _plain(ws: Worksheet, frame: pd.DataFrame, empty: str, note: str = "") -> None:
    first, last = _write_table(ws, frame, 1, empty=empty)
    ws.freeze_panes = "A2"
    if not frame.empty:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(_public(frame)))}{last}"
    if "Oordeel" in frame.columns:
        _flag_formatting(ws, _public(frame).index("Oordeel") + 1, first, last, len(_public(frame)))
    _widths(ws, frame, header=1, maximum=28)
    span = max(len(_public(frame)), 6)
    if frame.empty:
        _note(ws, first, empty, span)
    else:
        _wrap_long(ws, frame, first)
    if note:
        _note(ws, last + 2, note, span)
    _print_setup(ws)


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
        _widths(ws, frame, keep=True, maximum=45, header=row + 1)  # same widths; the header's height
        row = last + 3
    ws.cell(row=row - 1, column=1, value=escape_text(
        f"Verborgen: '<{data.k}' en 'x' staan waar een getal een kleine groep zou verraden.")
    ).font = Font(italic=True)
    _print_setup(ws, None)


def _text_block(ws: Worksheet, row: int, title: str, lines: Iterable[str], span: int,
                italic: bool = False) -> int:
    """A heading and wrapped lines merged over `span` columns; returns the next free row."""
    if title:
        ws.cell(row=row, column=1, value=escape_text(title)).font = HEADING_FONT
        row += 1
    for line in lines:
        _note(ws, row, line, span, italic=italic)
        row += 1
    return row


def _areas_sheet(ws: Worksheet, data: ReportData) -> None:
    """Buurten: the finding, the ranked table (a buurt with fewer than k respondents shows
    '<k' or 'x' and names no groups), where the most missed group lives, how it is computed."""
    table = data.areas_table
    _widths(ws, table, maximum=30)
    if not data.areas_group.empty:
        _widths(ws, data.areas_group, keep=True, maximum=30)
    span = max(len(_public(table)), 4)
    ws["A1"] = "Bereik per buurt"
    ws["A1"].font = TITLE_FONT
    row = _text_block(ws, 3, "Wat valt op?", data.areas_finding, span) + 1
    ws.cell(row=row, column=1, value="Per buurt, laagste bereik bovenaan").font = HEADING_FONT
    header = row + 1
    first, last = _write_table(ws, table, header, empty="Geen buurten in dit project.")
    _widths(ws, table, keep=True, maximum=30, header=header)
    if not table.empty:
        _wrap_long(ws, table, first)
        groups = "Gemiste groepen (geschat aantal inwoners)"
        if groups in _public(table):  # a little room after the right-aligned numbers and marks
            col = _public(table).index(groups) + 1
            for r in range(header, last + 1):
                cell = ws.cell(row=r, column=col)
                cell.alignment = Alignment(horizontal="left", indent=1, vertical=cell.alignment.vertical,
                                           wrap_text=cell.alignment.wrap_text)
    row = last + 2
    if not data.areas_group.empty:
        ws.cell(row=row, column=1, value=escape_text(data.areas_group_title)).font = HEADING_FONT
        last_group = _write_table(ws, data.areas_group, row + 1)[1]
        _widths(ws, data.areas_group, keep=True, maximum=30, header=row + 1)  # its header wraps too
        row = last_group + 2
    _text_block(ws, row, "", (*data.areas_lines,
                              f"Kleine aantallen (minder dan {data.k}) zijn verborgen ('<{data.k}' of 'x'). "
                              "De kaart staat in het HTML-rapport."), span, italic=True)
    _print_setup(ws, header if len(table) > ONE_PAGE_ROWS else None)


def _themes_sheet(ws: Worksheet, data: ReportData) -> None:
    """Thema's: the findings, the themes overall, the protected group × theme table (one
    row per group and theme, filterable) and quotes for themes at least k people raised."""
    table = data.themes_table
    for frame in (data.themes_overall, table):
        _widths(ws, frame, keep=True, maximum=30)
    span = max(len(_public(table)), 4)
    ws["A1"] = "Thema's per groep"
    ws["A1"].font = TITLE_FONT
    findings = data.themes_findings or ("Geen thema dat we alleen van één groep horen, en geen groep die "
                                        "we over een veelgenoemd thema nog niet hoorden.",)
    row = _text_block(ws, 3, "Wat valt op?", findings, span) + 1
    ws.cell(row=row, column=1, value="Welke thema's noemden de deelnemers?").font = HEADING_FONT
    row = _write_table(ws, data.themes_overall, row + 1, empty="In de antwoorden vonden we geen thema's.")[1] + 2
    ws.cell(row=row, column=1, value="Per groep: wie noemde welk thema?").font = HEADING_FONT
    header = row + 1
    first, last = _write_table(ws, table, header, empty="Geen groepen om te vergelijken.")
    _widths(ws, table, keep=True, maximum=30, header=header)
    if not table.empty:
        ws.auto_filter.ref = f"A{header}:{get_column_letter(len(_public(table)))}{last}"
    row = last + 2
    if not data.themes_quotes.empty:
        ws.cell(row=row, column=1, value="Citaten").font = HEADING_FONT
        quotes = data.themes_quotes
        ws.column_dimensions["B"].width = max(ws.column_dimensions["B"].width or 0, 20)
        first, last = _write_table(ws, quotes, row + 1)
        for r in range(first, last + 1):  # the quote runs over the columns to its right
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=span)
            text = str(ws.cell(row=r, column=2).value or "")
            chars = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43) for c in range(2, span + 1))
            ws.cell(row=r, column=2).alignment = WRAP
            ws.row_dimensions[r].height = 15 * max(1, math.ceil(len(text) / max(chars, 20)))
        ws.merge_cells(start_row=first - 1, start_column=2, end_row=first - 1, end_column=span)
        row = last + 2
    _text_block(ws, row, "", data.themes_lines, span, italic=True)
    _print_setup(ws, header if len(table) > ONE_PAGE_ROWS else None)


def sheet_names(data: ReportData) -> list[str]:
    """The sheets of this report: SHEETS, with Buurten and Thema's after Grafieken when present."""
    extra = ([AREAS_SHEET] if data.areas is not None else []) + \
        ([THEMES_SHEET] if data.themes is not None else [])
    names = list(SHEETS)
    at = names.index(CHARTS_SHEET) + 1
    return names[:at] + extra + names[at:]


def build_workbook(data: ReportData) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in sheet_names(data)}
    _summary(sheets["Samenvatting"], data)
    _coverage(sheets["Bereik per kenmerk"], data)
    cells_note = ("Verwacht: het aantal dat u bij een goede afspiegeling zou verwachten. Onder 5 verwacht "
                  "tonen we geen oordeel ('te weinig gegevens').")
    if data.cells_independence:
        cells_note += (" Bevolking per cel: schatting bij onafhankelijkheid. Het CBS geeft de kenmerken "
                       "alleen los; gebruik deze cellen als aanwijzing, niet als oordeel.")
    hidden_note = cells_hidden_note(data.cells, data.k)  # what a '–' ratio means
    _plain(sheets["Cellen"], data.cells, "Geen tweewegtabel meegegeven.",
           f"{cells_note} {hidden_note}" if hidden_note else cells_note)
    _plain(sheets["Profielen"], data.profiles, data.profile_problem or "Geen betrokkenheidsprofielen gemaakt.")
    _plain(sheets["Voortgang"], data.progress, "Geen voortgangsgegevens meegegeven.",
           " ".join(("Per week: wie u tot en met die week sprak (opgeteld). Het totaal per week en per "
                     "kanaal, met een grafiek: blad Grafieken.", *data.progress_lines)))
    _charts(sheets[CHARTS_SHEET], data)
    _plain(sheets["Aanbevelingen"], data.advice, "Alle groepen zijn voldoende bereikt: geen extra acties nodig.")
    _plan(sheets["Plan"], data)
    if AREAS_SHEET in sheets:
        _areas_sheet(sheets[AREAS_SHEET], data)
    if THEMES_SHEET in sheets:
        _themes_sheet(sheets[THEMES_SHEET], data)
    ws = sheets["Methode en bronnen"]
    ws["A1"] = "Methode en bronnen"
    ws["A1"].font = TITLE_FONT
    _lines(ws, data.method, 3, headings=HEADINGS, chars_per_line=100)
    ws.column_dimensions["A"].width = 110
    _print_setup(ws, None)
    for sheet in wb.worksheets:  # readable when printed: narrower, and no heading or row left alone
        if sheet.title == CHARTS_SHEET:
            continue
        _fit_columns(sheet)
        if sheet.page_setup.fitToHeight != 1 and sheet.title != "Samenvatting":
            _paginate(sheet)
    wb.properties.creator = "Bereikwijzer"
    wb.properties.title = escape_text(data.title)
    return wb


def workbook_bytes(data: ReportData) -> bytes:
    buffer = io.BytesIO()
    build_workbook(data).save(buffer)
    return buffer.getvalue()


__all__ = ["AREAS_SHEET", "SHEETS", "STATS_COLUMNS", "THEMES_SHEET", "build_workbook", "sheet_names",
           "workbook_bytes"]
