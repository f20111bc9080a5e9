"""The HTML report: one self-contained file (plotly inline, no network), printable.

plotly.js is embedded once, in the first chart; later charts reuse it. Jinja2
autoescaping handles HTML; text cells are also formula-escaped, so a table copied from
the page into a spreadsheet stays inert. PDF: the browser's "Afdrukken → Opslaan als
PDF" (the print CSS lays out A4 landscape); no PDF library here, because none renders
plotly's JavaScript charts without a browser.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from reports.privacy import escape_text
from reports.report import (
    DATE_COLUMNS,
    HIDDEN_SHARE,
    WEEK_END,
    WEEK_TOTAL,
    ReportData,
    cells_hidden_note,
    verdict_hidden_note,
)
from reports.text import HEADINGS, fmt_date, fmt_dec, fmt_int, fmt_pct
from reports.xlsx import FORMATS

TEMPLATES = Path(__file__).parent / "templates"
SECTIONS = (("samenvatting", "Samenvatting"), ("bereik", "Bereik per kenmerk"), ("cellen", "Cellen"),
            ("profielen", "Profielen"), ("voortgang", "Voortgang"), ("aanbevelingen", "Aanbevelingen"),
            ("plan", "Plan"), ("methode", "Methode en bronnen"))
AREAS_SECTION = ("buurten", "Buurten")      # after "bereik", when the report has reach per buurt
THEMES_SECTION = ("themas", "Thema's")      # after that, when it has a themes check
FLAG_CLASS = {"unreached": "unreached", "under": "under", "over": "over", "ok": "ok"}
_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True, "staticPlot": False}


def _cell(value: Any, column: str, fmt: str | None = None) -> tuple[str, bool]:
    """(text, is_number) for one table cell, Dutch number format."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "", False
    if isinstance(value, bool):
        return ("ja" if value else "nee"), False
    if column in DATE_COLUMNS:
        return fmt_date(value), False
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        number = float(value)
        fmt = fmt or FORMATS.get(column, "" if number != int(number) else "int")
        if fmt.endswith("%"):
            return fmt_pct(number, 1), True
        if fmt.startswith("#,##0.0"):
            return fmt_dec(number, 1), True
        if fmt.startswith("#,##0") or fmt == "int":
            return fmt_int(number), True
        if fmt in ("0.000",):
            return fmt_dec(number, 3), True
        if fmt == "0.0":
            return fmt_dec(number, 1), True
        if fmt == "pct":
            return fmt_pct(number, 1), True
        return fmt_dec(number, 2), True
    text = str(escape_text(value))
    # a hidden number ('<10', 'x', '–' in a number column) stands where the numbers stand
    if column == "Oordeel":  # a hidden verdict stands where the verdicts (text) stand
        return text, False
    return text, text.startswith("<") or text in ("x", "verborgen") or text.startswith("minstens") or (
        text == HIDDEN_SHARE and column in FORMATS)


# A table of three or more columns is one card per row on a phone: the first cell is the
# card's title, every other cell says its column (data-label), empty cells drop out. On a
# wider screen and on paper the table stays a table. A two-column table fits as it is.
STACK_FROM = 3
PHONE_CSS = """
  @media screen and (max-width: 600px) {
    table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%;
      box-sizing: border-box; }
    table.stack { font-size: 14px; }
    table.stack tr { border: 1px solid #c8c8c8; border-radius: 6px; margin-bottom: 0.6rem; overflow: hidden;
      padding-bottom: 0.35rem; }
    table.stack tr.unreached { background: #F4B6B6; }
    table.stack tr.under { background: #FCE4C4; }
    table.stack tr.over { background: #DCE6F1; }
    table.stack tr.ok { background: #E2EFDA; }
    table.stack td, table.stack td.num { border: none; text-align: left; padding: 0.1rem 0.6rem;
      white-space: normal; overflow-wrap: anywhere; }
    table.stack td:empty { display: none; }
    table.stack td::before { content: attr(data-label) ": "; color: #4a4a4a; }
    table.stack td:first-child { font-weight: 600; padding-top: 0.35rem; padding-bottom: 0.2rem; }
    table.stack td:first-child::before { content: none; }
    td, td:first-child { white-space: normal; overflow-wrap: anywhere; }
    .narrow table { width: 100%; min-width: 0; }
  }
"""


def _progress_lines(data: ReportData, *, shown_above: bool) -> Markup:
    """The Voortgang page's sentences beside the per-kenmerk weeks (who has no date, which
    last week is left out and why), escaped; one the note above the weeks already says
    (`shown_above`: the template shows data.progress_note) is not said twice."""
    lines = [line for line in data.progress_lines if not (shown_above and line in data.progress_note)]
    return Markup("".join(f'<p class="note">{escape(line)}</p>' for line in lines))


def table_html(frame: pd.DataFrame, *, empty: str = "Geen gegevens.", formats: list[str] | None = None,
               flags: list[str] | None = None, column_formats: dict[str, str] | None = None) -> Markup:
    columns = [c for c in frame.columns if not str(c).startswith("_")]
    if frame.empty:
        return Markup(f'<p class="note">{escape(empty)}</p>')
    names = [str(escape(escape_text(str(c)))) for c in columns]
    head = "".join(f'<th scope="col">{name}</th>' for name in names)
    rows = []
    for i, record in enumerate(frame[columns].itertuples(index=False)):
        cells = []
        for column, name, value in zip(columns, names, record):
            fmt = formats[i] if formats and column == "Waarde" else (column_formats or {}).get(column)
            text, numeric = _cell(value, column, fmt)
            body = "<br>".join(str(escape(part)) for part in text.split("\n"))
            kind = ' class="num"' if numeric else ""
            cells.append(f'<td data-label="{name}"{kind}>{body}</td>')
        css = FLAG_CLASS.get(flags[i], "") if flags else ""
        rows.append(f'<tr class="{css}">' + "".join(cells) + "</tr>" if css else "<tr>" + "".join(cells) + "</tr>")
    stack = ' class="stack"' if len(columns) >= STACK_FROM else ""
    # a two-column table that is still too wide scrolls inside its box, never the page
    return Markup(f'<div class="table-wrap"><table{stack}><thead><tr>{head}</tr></thead>'
                  f"<tbody>{''.join(rows)}</tbody></table></div>")


def _cells_note(data: ReportData) -> Markup:
    """The legend under the Cellen table when it hides a ratio ('–': the count behind it is hidden)."""
    note = cells_hidden_note(data.cells, data.k)
    return Markup(f'<p class="note">{escape(note)}</p>') if note else Markup("")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class _Charts:
    """Embeds plotly.js with the first figure only."""

    def __init__(self) -> None:
        self.first = True

    def html(self, figure: go.Figure) -> Markup:
        text = pio.to_html(figure, full_html=False, include_plotlyjs=self.first, config=_CONFIG,
                           include_mathjax=False, default_height=f"{figure.layout.height or 320}px")
        self.first = False
        return Markup(text)


def _coverage_figure(part: pd.DataFrame, k: int) -> go.Figure:
    groups = part["Groep"].astype(str).tolist()
    respondents = [_number(v) for v in part["Aandeel respondenten"]]
    figure = go.Figure()
    figure.add_bar(y=groups, x=part["Aandeel bevolking"].astype(float).tolist(), orientation="h",
                   name="In de buurt", marker_color="#A6A6A6", hovertemplate="%{y}: %{x:.1%}<extra>buurt</extra>")
    figure.add_bar(y=groups, x=respondents, orientation="h", name="Respondenten", marker_color="#1F4E79",
                   text=["" if v is not None else "verborgen" for v in respondents], textposition="outside",
                   hovertemplate="%{y}: %{x:.1%}<extra>respondenten</extra>")
    figure.update_layout(barmode="group", height=110 + 55 * len(groups), margin=dict(l=10, r=70, t=40, b=40),
                         xaxis=dict(tickformat=".0%", title="aandeel", automargin=True, nticks=6, tickangle=0),
                         yaxis=dict(autorange="reversed", automargin=True, ticksuffix=" "),
                         legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), plot_bgcolor="white",
                         font=dict(family="Segoe UI, Arial, sans-serif", size=13))
    return figure


def _profile_figure(profiles: pd.DataFrame) -> go.Figure:
    # team-typed names: no HTML or plotly template syntax reaches the chart (no links)
    names = [html.escape(str(n), quote=False).replace("%", "&#37;") for n in profiles["Profiel"]]
    shares = [_number(v) for v in profiles["Aandeel respondenten"]]
    figure = go.Figure(go.Bar(y=names, x=shares, orientation="h", marker_color="#1F4E79",
                              text=["" if v is not None else "verborgen" for v in shares], textposition="outside"))
    if "Geschat aandeel in de buurt" in profiles.columns:
        figure.add_bar(y=names, x=[_number(v) for v in profiles["Geschat aandeel in de buurt"]],
                       orientation="h", name="Geschat in de buurt", marker_color="#A6A6A6")
        figure.data[0].name = "Respondenten"
    figure.update_layout(height=110 + 50 * len(names), margin=dict(l=10, r=70, t=40, b=40), plot_bgcolor="white",
                         xaxis=dict(tickformat=".0%", automargin=True, nticks=6, tickangle=0),
                         yaxis=dict(autorange="reversed", automargin=True, ticksuffix=" "), barmode="group",
                         showlegend="Geschat aandeel in de buurt" in profiles.columns,
                         legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return figure


LINE_COLOURS = ("#1F4E79", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6b6b6b", "#F0E442")


def _progress_figure(weeks: pd.DataFrame) -> go.Figure:
    """Respondents so far per week: the total as a thick line, each channel as a thin one.
    A hidden channel count ('<10', 'x') is a gap in its line, never a number."""
    dates = pd.to_datetime(weeks["_date"]).tolist()
    labels = [fmt_date(d) for d in dates]
    figure = go.Figure()
    columns = [c for c in weeks.columns if not str(c).startswith("_") and c != WEEK_END]
    for i, column in enumerate(columns):
        values = [_number(v) for v in weeks[column]]
        total = column == WEEK_TOTAL
        name = "Totaal" if total else html.escape(str(column), quote=False)
        figure.add_scatter(x=dates, y=values, mode="lines+markers", name=name, connectgaps=False,
                           customdata=labels, line=dict(width=4 if total else 2,
                                                        color=LINE_COLOURS[i % len(LINE_COLOURS)]),
                           hovertemplate="%{customdata}: %{y:,.0f}<extra>" + name + "</extra>")
    figure.update_layout(height=360, margin=dict(l=40, r=50, t=10, b=40), plot_bgcolor="white",
                         separators=",.", legend=dict(orientation="h", y=-0.2),
                         xaxis=dict(tickvals=dates, ticktext=labels, automargin=True, showgrid=False),
                         yaxis=dict(title="respondenten (opgeteld)", rangemode="tozero", automargin=True,
                                    gridcolor="#e5e5e5", tickformat=",d"),
                         font=dict(family="Segoe UI, Arial, sans-serif", size=13))
    return figure


def _sections(data: ReportData) -> list[tuple[str, str]]:
    """The table of contents: the fixed parts, with Buurten and Thema's after Bereik when present."""
    extra = ([AREAS_SECTION] if data.areas is not None else []) + \
        ([THEMES_SECTION] if data.themes is not None else [])
    out: list[tuple[str, str]] = []
    for section in SECTIONS:
        out.append(section)
        if section[0] == "bereik":
            out.extend(extra)
    return out


def _areas_block(data: ReportData, charts: _Charts) -> dict[str, Any] | None:
    """The Buurten section: finding, maps (with a map file), the ranked table and where the
    most missed group lives. Maps come from reports.charts_areas.report_figures: filled
    outlines on a plain plot, so they need no tile server or world map (offline)."""
    if data.areas is None:
        return None
    from reports.charts_areas import protect_areas, report_figures

    figures = report_figures(protect_areas(data.areas, data.k)[0], data.areas_geometry, data.k)
    return {"finding": data.areas_finding, "maps": [charts.html(f) for f in figures],
            "table": table_html(data.areas_table, empty="Geen buurten in dit project."),
            "group_title": data.areas_group_title,
            "group": table_html(data.areas_group) if not data.areas_group.empty else "",
            "lines": data.areas_lines, "has_map": bool(figures)}


def themes_pivot(table: pd.DataFrame) -> pd.DataFrame:
    """The protected theme table (reports.themes.theme_table) as one row per group and one
    column per theme holding the share, or the mark of a hidden cell ('<10', 'x')."""
    if table.empty:
        return pd.DataFrame()
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for record in table.to_dict(orient="records"):
        row = rows.setdefault((record["Kenmerk"], record["Groep"]),
                              {"Kenmerk": record["Kenmerk"], "Groep": record["Groep"],
                               "Deelnemers in groep": record["Deelnemers in groep"]})
        row[record["Thema"]] = record["Aandeel"]
    return pd.DataFrame(list(rows.values()))


def _themes_block(data: ReportData) -> dict[str, Any] | None:
    """The Thema's section: findings, the themes overall, the share per group and theme
    (protected), and quotes per theme (only themes at least k people raised)."""
    if data.themes is None:
        return None
    pivot = themes_pivot(data.themes_table)
    shares = {c: "0%" for c in pivot.columns if c not in ("Kenmerk", "Groep", "Deelnemers in groep")}
    quotes: dict[str, list[str]] = {}
    for record in data.themes_quotes.to_dict(orient="records"):
        quotes.setdefault(str(escape_text(record["Thema"])), []).append(str(escape_text(record["Citaat"])))
    return {"findings": data.themes_findings, "lines": data.themes_lines,
            "overall": table_html(data.themes_overall, empty="In de antwoorden vonden we geen thema's.",
                                  column_formats={"Aandeel": "0%"}),
            "pivot": table_html(pivot, empty="Geen groepen om te vergelijken.", column_formats=shares),
            "quotes": quotes}


def render_html(data: ReportData) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    charts = _Charts()
    blocks = []
    for dim, part in data.coverage.groupby("Kenmerk", sort=False):
        table = part.drop(columns=["Kenmerk"])
        note = verdict_hidden_note(part, data.k)
        blocks.append({"title": dim, "chart": charts.html(_coverage_figure(part, data.k)),
                       "table": table_html(table, flags=part["_flag"].tolist())
                       + (Markup(f'<p class="note">{escape(note)}</p>') if note else Markup(""))})
    # charts in the order of the page: plotly.js travels with the first one
    areas = _areas_block(data, charts)
    themes = _themes_block(data)
    profile_chart = charts.html(_profile_figure(data.profiles)) if not data.profiles.empty else None
    weeks = data.progress_weeks
    progress_chart = charts.html(_progress_figure(weeks)) if len(weeks) >= 2 else None
    tables = {
        "headline": table_html(data.headline, formats=data.headline["_format"].tolist()),
        "channels": table_html(data.channels) if not data.channels.empty else "",
        "stats": table_html(data.stats),
        "cells": table_html(data.cells, empty="Geen tweewegtabel meegegeven.") + _cells_note(data),
        "profiles": table_html(data.profiles, empty=data.profile_problem or "Geen betrokkenheidsprofielen gemaakt."),
        "progress": _progress_lines(data, shown_above=bool(progress_chart or not weeks.empty))
        + table_html(data.progress, empty="Geen voortgangsgegevens meegegeven.",
                     flags=data.progress["_flag"].tolist() if "_flag" in data.progress else None),
        "progress_weeks": table_html(weeks) if not weeks.empty else "",
        "plan": table_html(data.plan, empty="Geen groep heeft nog mensen nodig voor dit doel.",
                           flags=data.plan["_flag"].tolist() if "_flag" in data.plan else None),
        "plan_channels": table_html(data.plan_channels, empty="Nog geen kanaal met genoeg respondenten "
                                    "om een opbrengst te berekenen."),
        "plan_weeks": table_html(data.plan_weeks, empty="Geen weekplan: er zijn geen mensen meer nodig."),
    }
    advice = []
    for record in data.advice.to_dict(orient="records"):
        record = {key: escape_text(value) for key, value in record.items()}
        record["activities"] = [a.removeprefix("• ") for a in str(record["Voorbeelden"]).split("\n") if a]
        advice.append(record)
    template = env.get_template("report.html.j2")
    page = template.render(data=data, sections=_sections(data), tables=tables, coverage_blocks=blocks,
                           areas=areas, themes=themes,
                           profile_chart=profile_chart, progress_chart=progress_chart, advice=advice,
                           headings=HEADINGS, summary=data.summary_for("html"), date=fmt_date(data.date))
    # the phone layout closes the template's style sheet, so it wins over the table rules above it
    return page.replace("</style>", PHONE_CSS + "</style>", 1)
