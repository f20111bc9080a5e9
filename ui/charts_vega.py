"""Bereik's charts as Vega-Lite specs (plain dicts): pure functions of result objects, no Streamlit.

Why not Plotly here: the browser must load and evaluate Plotly's 4.7 MB bundle before it
draws the first Plotly chart (0.4 s idle, up to 1.8 s under load), and Bereik is the first
page after a server start (issue #16: drawn within 3 s). Vega-Lite is a much smaller bundle
that Streamlit loads anyway. Profielen and Voortgang draw Vega-Lite too
(ui.charts_vega_profiles, ui.charts_vega_progress); only the Buurten map and the reports
keep Plotly.
Why plain dicts, not Altair: importing altair (and its schema validation on the first
to_dict()) costs 0.5–1 s of CPU at server start; st.vega_lite_chart takes the
spec as it is. The specs are the ones Altair built (Vega-Lite v6), data inline as records.

The charts say what the Plotly versions before them said: the same bars, Okabe-Ito colours
doubled by a marker shape and a printed verdict, the Wilson 95% interval, the same titles.
Vega-Lite formats numbers in English, so every number a reader sees in a tooltip or a cell
is formatted here with a Dutch decimal comma; axis labels get a labelExpr that swaps the
point for a comma. Vega-Lite renders text as text (no HTML), so user text needs no escaping,
only line breaks flattened.
"""
from __future__ import annotations

import json
import math
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import pandas as pd

from engagement.model import DimensionCoverage
from engagement.vocabulary import age_words
from surveys.categories import label
from ui.charts import STATUS, _frame_digest, dimension_title, status_label, status_of

Spec = dict[str, Any]
# The Vega-Lite version Altair 6 wrote into its specs (Streamlit's frontend draws v5 and v6).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"

# Vega marker shapes for the status keys (Plotly's 'x' and 'circle-open' have no Vega twin:
# every status keeps a shape of its own, so colour is never the only difference).
SHAPES = {"unreached": "cross", "under_sig": "triangle-left", "under": "triangle-left", "ok": "circle",
          "over": "triangle-right", "few": "square", "uncertain": "diamond"}
# One shape per series in order (the profiles of Profielen, the groups and channels of
# Voortgang): circle, square, diamond, triangle-up, x, triangle-down, star, cross. Vega has no
# 'x' or 'star', so those two are SVG paths.
X_SHAPE = ("M-0.92,-0.5L-0.5,-0.92L0,-0.42L0.5,-0.92L0.92,-0.5L0.42,0L0.92,0.5L0.5,0.92"
           "L0,0.42L-0.5,0.92L-0.92,0.5L-0.42,0Z")
STAR_SHAPE = ("M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809"
              "L-0.38,0.124L-0.951,-0.309L-0.235,-0.324Z")
SERIES_SHAPES = ["circle", "square", "diamond", "triangle-up", X_SHAPE, "triangle-down", STAR_SHAPE, "cross"]
BUURT_FILL, BUURT_EDGE = "#D9D9D9", "#555555"
INK = "#222222"
AXIS_ROOM = 18  # px right of a plot: half the widest x-axis label ('100%') fits in it
NARROW = 480  # plot width in px below which the verdicts are not printed next to the bars
FONT = "Source Sans Pro, Arial, sans-serif"
# Axis labels with a Dutch decimal comma and a percent sign.
PERCENT_LABELS = "replace(format(datum.value, ',.0f'), ',', '.') + '%'"
_WHITESPACE = re.compile(r"\s+")


def flat(text: object) -> str:
    """One line of plain text (Vega-Lite shows it as typed)."""
    return _WHITESPACE.sub(" ", str(text)).strip()


def title_lines(text: object, width: int = 42) -> list[str]:
    """A long title as lines (Vega-Lite does not wrap titles; a cut title loses its conclusion)."""
    return textwrap.wrap(flat(text), width) or [""]


def chart_title(text: object) -> Spec:
    """Title top left, wrapped for the page and shorter lines on a phone."""
    wide, narrow = title_lines(text), title_lines(text, 28)
    lines = {k: json.dumps(v, ensure_ascii=False) for k, v in (("wide", wide), ("narrow", narrow))}
    return {"text": {"expr": f"width < {NARROW} ? {lines['narrow']} : {lines['wide']}"},
            "anchor": "start", "fontSize": 17, "font": FONT, "color": INK}


# The given height is the plot's; the width fits the page (Streamlit's default 'fit' would
# count the title and legend in the height and squeeze the bars together).
AUTOSIZE = {"type": "fit-x", "contains": "padding"}
ONE: Spec = {"values": [{}]}  # data of a mark drawn once (else it is drawn once per data row)


def chart_config(**axis: object) -> Spec:
    """Fonts and ink of every chart, no frame around the plot; `axis` adds to the axes' defaults."""
    return {"view": {"stroke": None},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelColor": INK, "titleColor": INK, **axis},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelColor": INK}}


def dutch(value: float, digits: int = 1) -> str:
    """12.345 → '12,3' (digits after the comma), thousands with a point."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _number(value: object) -> float | None:
    """A plain float for the spec's JSON (None for a missing value: JSON has no NaN)."""
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


_CHARTS: OrderedDict[Hashable, Spec] = OrderedDict()
_CHARTS_LOCK = threading.Lock()
_CHARTS_MAX = 128


def _remembered(key: Hashable, build: Callable[[], Spec]) -> Spec:
    """The spec built before for this content key (charts are drawn again on every rerun);
    least recently used goes first. Callers do not change the spec they get
    (st.vega_lite_chart copies it before it takes the data out)."""
    with _CHARTS_LOCK:
        chart = _CHARTS.get(key)
        if chart is not None:
            _CHARTS.move_to_end(key)
            return chart
    chart = build()
    with _CHARTS_LOCK:
        _CHARTS[key] = chart
        while len(_CHARTS) > _CHARTS_MAX:
            _CHARTS.popitem(last=False)
    return chart


def _coverage_rows(dim: DimensionCoverage, needed: Mapping[str, int] | None,
                   min_age: int | None) -> list[dict[str, Any]]:
    rows = []
    for i, c in enumerate(dim.categories):
        key = status_of(c)
        verdict = flat(status_label(c))
        if needed is not None:
            extra = needed.get(c.category, 0)
            note = verdict + (f" · plan: nog {extra} erbij" if extra > 0 else "")
        else:
            note = verdict + (f" · nog {c.to_reach} te spreken" if c.to_reach > 0 else "")
        rows.append({
            "order": i, "groep": flat(age_words(label(c.category), min_age)),
            "buurt": _number(c.population_share * 100), "gesproken": _number(c.respondent_share * 100),
            "laag": _number(c.ci_low * 100), "hoog": _number(c.ci_high * 100),
            "status": f"Gesproken: {STATUS[key][0]}", "oordeel": verdict, "notitie": note,
            "buurt_tekst": f"{dutch(c.population_share * 100)}%",
            "gesproken_tekst": (f"{dutch(c.respondent_share * 100)}% ({int(c.respondents)} personen)"),
            "marge_tekst": f"{dutch(c.ci_low * 100)}% – {dutch(c.ci_high * 100)}%",
            "nog_tekst": str(int(c.to_reach))})
    return rows


def coverage_frame(dim: DimensionCoverage, needed: Mapping[str, int] | None = None,
                   min_age: int | None = None) -> pd.DataFrame:
    """One row per group: the numbers the coverage chart draws and the texts it prints; an age
    band is named from `min_age` ('18 tot 25 jaar': younger residents are not counted in it)."""
    return pd.DataFrame(_coverage_rows(dim, needed, min_age))


def coverage_chart(dim: DimensionCoverage, needed: Mapping[str, int] | None = None,
                   min_age: int | None = None) -> Spec:
    """Respondent share against the buurt's share per group (see _coverage_chart)."""
    key = ("coverage", repr(dim), None if needed is None else tuple(sorted(needed.items())), min_age)
    return _remembered(key, lambda: _coverage_chart(dim, needed, min_age))


def _field(name: str, kind: str, **props: Any) -> Spec:
    """An encoding channel on a data field ('quantitative' or 'nominal')."""
    return {"field": name, "type": kind, **props}


def _tooltip(*pairs: tuple[str, str]) -> list[Spec]:
    return [_field(name, "nominal", title=title) for name, title in pairs]


def _spoken(*pairs: tuple[str, str]) -> Spec:
    """What a screen reader says for a mark: the tooltip's texts in one Dutch sentence
    ('18 tot 25 jaar; In de buurt: 12,6%; …'). Without it Vega reads every encoded field,
    raw numbers too ('gesproken: 7.33333333333'). The first pair is the mark's name."""
    (first, _), rest = pairs[0], pairs[1:]
    parts = " + '; ' + ".join(f"{json.dumps(title + ': ')} + (datum[{json.dumps(name)}] || '–')"
                              for name, title in rest)
    expression = f"(datum[{json.dumps(first)}] || '')" + (f" + '; ' + {parts}" if parts else "")
    return {"calculate": expression, "as": "omschrijving"}


SPOKEN = _field("omschrijving", "nominal")
SILENT = {"aria": False}  # a mark whose facts another mark of the same group already says


def _coverage_chart(dim: DimensionCoverage, needed: Mapping[str, int] | None,
                    min_age: int | None = None) -> Spec:
    """Respondent share (with Wilson 95% interval) against the buurt's share, per group.

    Grey hatched-looking bar = share in the buurt (CBS); marker = share among the people
    spoken to, its colour and shape the verdict; the verdict (and the plan's number, when
    `needed` is given) printed right of the bars."""
    rows = _coverage_rows(dim, needed, min_age)
    top = max([*(r["hoog"] for r in rows), *(r["buurt"] for r in rows), 5.0],
              key=lambda v: -math.inf if v is None else v)
    groups = [r["groep"] for r in rows]
    used = [k for k in STATUS if any(status_of(c) == k for c in dim.categories)]
    domain = [f"Gesproken: {STATUS[k][0]}" for k in used]
    colour = _field("status", "nominal", title=None,
                    scale={"domain": domain, "range": [STATUS[k][1] for k in used]},
                    # on a phone the plot is ~230 px wide and the legend starts at its left edge:
                    # the labels drop the shared 'Gesproken: ' and stay inside the plot's width
                    legend={"orient": "top", "direction": "vertical", "columns": 1,
                            "labelLimit": {"expr": f"width < {NARROW} ? max(width - 24, 120) : 260"},
                            "labelExpr": f"width < {NARROW} ? replace(datum.label, 'Gesproken: ', '') : datum.label",
                            "labelFontSize": 12, "symbolSize": 160, "symbolStrokeWidth": 0.5,
                            "description": "Legenda: het oordeel per groep, elk met een eigen kleur en vorm"})
    shape = _field("status", "nominal", title=None, scale={"domain": domain, "range": [SHAPES[k] for k in used]})
    y = _field("groep", "nominal", sort=groups, title=None, scale={"paddingInner": 0.3, "paddingOuter": 0.2},
               axis={"labelFontSize": 13, "labelLimit": 200, "description": "Y-as: de groepen"})
    # wide: room right of the bars for the printed verdicts; narrow (a phone): no verdicts
    # (they are in the tooltips and the table below), the bars use the whole width
    # (on a phone the scale reaches at least the last tick: a tick past its end was drawn
    # outside the plot, its label cut at the chart's edge)
    ticks = _ticks(top)
    x_scale = {"domainMin": 0,
               "domainMax": {"expr": f"width < {NARROW} ? {max(top * 1.05, ticks[-1])} : {top * 2.0}"},
               "nice": False}
    x = _field("buurt", "quantitative", scale=x_scale,
               title=["Aandeel (%)", "grijze balk = in de buurt (CBS)", "teken = gesproken (95%-marge)"],
               axis={"labelExpr": PERCENT_LABELS, "gridColor": "#EEEEEE", "titleFontSize": 13,
                     "description": "X-as: aandeel in procenten",
                     "titleFontWeight": "normal", "values": ticks})
    tooltip = _tooltip(("groep", "Groep"), ("buurt_tekst", "In de buurt"), ("gesproken_tekst", "Gesproken"),
                       ("marge_tekst", "95%-marge"), ("oordeel", "Oordeel"),
                       ("nog_tekst", "Nog te spreken (nu)"))
    bars = {"mark": {"type": "bar", "color": BUURT_FILL, "stroke": BUURT_EDGE, "strokeWidth": 1, **SILENT},
            "encoding": {"x": x, "y": y, "tooltip": tooltip}}
    interval = {"mark": {"type": "rule", "color": INK, "strokeWidth": 1.5, **SILENT},
                "encoding": {"x": _field("laag", "quantitative", scale=x_scale), "x2": {"field": "hoog"},
                             "y": y, "tooltip": tooltip}}
    caps = [{"mark": {"type": "tick", "color": INK, "thickness": 1.5, "size": 12, **SILENT},
             "encoding": {"x": _field(end, "quantitative", scale=x_scale), "y": y}} for end in ("laag", "hoog")]
    # the marker speaks for its group: every figure of the tooltip, as shown there
    points = {"transform": [_spoken(("groep", "Groep"), ("buurt_tekst", "In de buurt"),
                                    ("gesproken_tekst", "Gesproken"), ("marge_tekst", "95%-marge"),
                                    ("oordeel", "Oordeel"), ("nog_tekst", "Nog te spreken (nu)"))],
              "mark": {"type": "point", "filled": True, "size": 190, "opacity": 1, "stroke": INK, "strokeWidth": 1},
              "encoding": {"x": _field("gesproken", "quantitative", scale=x_scale), "y": y, "color": colour,
                           "shape": shape, "tooltip": tooltip, "description": SPOKEN}}
    notes = {"transform": [{"filter": f"width >= {NARROW}"}],
             "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 0, "fontSize": 12, "color": INK,
                      **SILENT},
             "encoding": {"x": {"datum": top * 1.02}, "y": y, "text": _field("notitie", "nominal")}}
    title = flat(age_words(dimension_title(dim), min_age))
    return {
        "$schema": SCHEMA, "data": {"values": rows},
        "layer": [bars, interval, *caps, points, notes],
        "title": chart_title(title), "height": 48 * len(groups), "width": "container", "autosize": AUTOSIZE,
        # room right of the plot: the last tick's label ('60%') sits at the plot's edge on a
        # phone (the scale ends just above it) and half of it fell outside the chart
        "padding": {"left": 5, "top": 5, "bottom": 5, "right": AXIS_ROOM},
        "description": f"{title}. Per groep het aandeel in de buurt en het aandeel gesproken; "
                       "de cijfers staan ook in de tabel onder de grafiek.",
        "config": chart_config(),
    }


def _ticks(top: float) -> list[float]:
    """Ticks up to just above the largest share (the space beyond holds the notes)."""
    step = next(s for s in (5, 10, 20, 25, 50) if top / s <= 6)
    return [float(v) for v in range(0, int(math.ceil(top / step)) * step + 1, step)]


# Cividis from dark blue (far too few) over grey (in line) to yellow (far too many).
CIVIDIS = ["#00204D", "#414D6B", "#7C7B78", "#BCAF6F", "#FFEA46"]
EMPTY_FILL = "#F2F2F2"


HIDDEN = "verborgen"  # a cells frame's optional column: True where the report hides the cell


def _cells_rows(cells: pd.DataFrame, value: str, rows: str, cols: str,
                min_age: int | None) -> list[dict[str, Any]]:
    out = []
    hidden = cells[HIDDEN].astype(bool) if HIDDEN in cells.columns else pd.Series(False, index=cells.index)
    for r, c, v, secret in zip(cells[rows], cells[cols], cells[value], hidden, strict=True):
        missing = secret or v is None or (isinstance(v, float) and math.isnan(v))
        out.append({"rij": flat(age_words(label(str(r)), min_age)),
                    "kolom": flat(age_words(label(str(c)), min_age)),
                    # a hidden cell's ratio never reaches the browser (it gives the count back)
                    "waarde": None if missing else float(v),
                    "tekst": HIDDEN if secret else "te weinig" if missing else dutch(float(v), 2),
                    # below 1 the cell is darker than Cividis' middle grey: white text there,
                    # black above (each at least about 4:1 against its cell)
                    "donker": (not missing) and float(v) < 1.0})
    return out


def cells_frame(cells: pd.DataFrame, value: str, rows: str, cols: str,
                min_age: int | None = None) -> pd.DataFrame:
    """One row per cell: labels (age bands from `min_age`), the value (None when too few or
    hidden: a True in the optional HIDDEN column) and its printed text."""
    return pd.DataFrame(_cells_rows(cells, value, rows, cols, min_age))


def cells_chart(cells: pd.DataFrame, value: str, rows: str, cols: str, title: str,
                min_age: int | None = None) -> Spec:
    """A two-way table as coloured cells (see _cells_chart)."""
    used = [value, rows, cols, *([HIDDEN] if HIDDEN in cells.columns else [])]
    key = ("cells", _frame_digest(cells[used]), value, rows, cols, title, min_age)
    return _remembered(key, lambda: _cells_chart(cells, value, rows, cols, title, min_age))


def _cells_chart(cells: pd.DataFrame, value: str, rows: str, cols: str, title: str,
                 min_age: int | None = None) -> Spec:
    """A two-way table (rows × cols) as coloured cells with the number printed in each cell;
    cells with no value (expected count too small) stay light grey and say 'te weinig', cells
    the report hides (HIDDEN) stay light grey too and say 'verborgen'."""
    records = _cells_rows(cells, value, rows, cols, min_age)
    row_order = list(dict.fromkeys(r["rij"] for r in records))
    col_order = list(dict.fromkeys(r["kolom"] for r in records))
    x = _field("kolom", "nominal", sort=col_order, title=None,
               axis={"orient": "top", "labelAngle": 0, "labelFontSize": 13, "labelLimit": 160,
                     "description": "Kolommen: de groepen van het tweede kenmerk"})
    y = _field("rij", "nominal", sort=row_order, title=None,
               axis={"labelFontSize": 13, "labelLimit": 200, "description": "Rijen: de groepen van het eerste kenmerk"})
    tooltip = _tooltip(("rij", "Rij"), ("kolom", "Kolom"), ("tekst", "Verhouding"))
    colour = {
        "condition": {
            "test": "isValid(datum.waarde)", **_field(
                "kleur", "quantitative", title=["Verhouding", "gesproken /", "buurt"],
                scale={"domain": [0, 1, 2], "range": [CIVIDIS[0], CIVIDIS[2], CIVIDIS[4]], "clamp": True,
                       "interpolate": "rgb"},
                legend={"labelExpr": "replace(format(datum.value, '.1f'), '.', ',')",
                        "values": [0, 0.5, 1, 1.5, 2], "titleFontWeight": "normal",
                        "gradientLength": max(60, 60 * len(row_order) - 70),
                        "description": "Legenda: de kleur van een vakje is de verhouding gesproken / "
                                       "buurt, van 0 tot 2"})},
        "value": EMPTY_FILL}
    # the colour's field is never empty: Vega-Lite leaves out a mark whose quantitative field
    # is empty, so a cell without a value ('te weinig', 'verborgen') was not drawn at all; the
    # condition still gives it EMPTY_FILL
    rects = {"transform": [{"calculate": "isValid(datum.waarde) ? datum.waarde : 1", "as": "kleur"},
                           _spoken(("rij", "Rij"), ("kolom", "Kolom"), ("tekst", "Verhouding"))],
             "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
             "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip, "description": SPOKEN}}
    texts = {"mark": {"type": "text", "fontSize": 14, "baseline": "middle", **SILENT},
             "encoding": {"x": x, "y": y, "text": _field("tekst", "nominal"), "tooltip": tooltip,
                          "color": {"condition": {"test": "datum.donker", "value": "#FFFFFF"}, "value": INK}}}
    return {
        "$schema": SCHEMA, "data": {"values": records},
        "layer": [rects, texts],
        "title": chart_title(title), "height": 60 * len(row_order), "width": "container", "autosize": AUTOSIZE,
        "description": f"{flat(title)}. Per vakje: aandeel gesproken gedeeld door het geschatte aandeel "
                       "in de buurt; het getal staat in het vakje.",
        "config": chart_config(domain=False, ticks=False),
    }
