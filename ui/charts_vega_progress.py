"""Voortgang's charts as Vega-Lite specs (plain dicts): pure functions of frames, no Streamlit.

Why Vega-Lite and not Plotly: see ui.charts_vega (issue #16: a page without Plotly never
loads Plotly's 4.7 MB bundle). These say what the Plotly lines before them said: one line per
group over the weeks, each group its own Okabe-Ito colour, marker shape and dash (colour is
never the only difference), the target as a dotted line named 'doel', the same titles and
axis titles, and for the ratio the green 'in lijn' band behind the lines.

The data are inline records of only the points drawn (a hidden ratio or count is dropped
by the caller and never reaches the browser): group, week (ISO date), value and the texts
a tooltip shows, numbers with a Dutch decimal comma. Dates on the axis read '22 sep'
(Dutch month names from a label expression, so they do not depend on the browser's
language). Helpers written here, not in ui.charts_vega (owned elsewhere): the date label
expression, the number label expressions, the shape and dash lists.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from surveys.categories import label
from surveys.thresholds import OVER, UNDER
from ui.charts import GREEN, SEQUENCE, _frame_digest
from ui.charts_vega import (
    AUTOSIZE,
    FONT,
    INK,
    NARROW,
    ONE,
    PERCENT_LABELS,
    SCHEMA,
    SERIES_SHAPES,
    Spec,
    _field,
    _number,
    _remembered,
    _tooltip,
    chart_config,
    chart_title,
    dutch,
    flat,
)

# Plotly's solid, dash, dot, dashdot, longdash and longdashdot as Vega stroke dashes
DASHES = [[1, 0], [7, 4], [2, 3], [7, 3, 2, 3], [12, 4], [12, 4, 2, 4]]
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
# '22 sep': the day and the Dutch month of a week's end date (dates are UTC midnights)
DATE_LABELS = ("utcdate(datum.value) + ' ' + " + repr(MONTHS).replace(" ", "") + "[utcmonth(datum.value)]")
# axis numbers with a Dutch decimal comma: 0,8 / 1,25 (ratio) and 1.250 (counts)
RATIO_LABELS = "replace(format(datum.value, '.2~f'), '.', ',')"
COUNT_LABELS = "replace(format(datum.value, ',.0f'), ',', '.')"
BAND_COLOUR, BAND_OPACITY = GREEN, 0.08  # the page's 'in lijn' band (Plotly: fillcolor, opacity)
RATIO_TITLE = "Verhouding gesproken / buurt"
# a layer drawn once (the band, the target line and its name), not once per data row
HEIGHT = 300
AXIS: Spec = {"grid": True, "gridColor": "#EEEEEE", "labelFontSize": 12, "titleFontSize": 13,
              "titleFontWeight": "normal"}  # the plot's height in px (Plotly's 420 included title and legend)


def _week(value: object) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _line_rows(frame: pd.DataFrame, x: str, y: str, group: str, percent: bool,
               digits: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Records of the drawn points (rows with a value only: nothing else is sent) and the
    groups in legend order (first appearance, as Plotly's traces were)."""
    drawn = frame.dropna(subset=[y])
    rows, order = [], []
    for name, part in drawn.groupby(group, sort=False):
        name_text = flat(label(str(name)))
        order.append(name_text)
        for when, value in sorted(zip(part[x].map(_week), part[y]), key=lambda p: p[0]):
            number = _number(float(value) * (100 if percent else 1))
            if number is None:  # not drawn, not sent
                continue
            day, shown = when.strftime("%d-%m-%Y"), dutch(number, digits) + ("%" if percent else "")
            rows.append({"groep": name_text, "week": when.strftime("%Y-%m-%d"), "week_tekst": day,
                         "waarde": number, "waarde_tekst": shown,
                         # what a screen reader says for the point (Vega's own text is English)
                         "omschrijving": f"{name_text}, week tot en met {day}: {shown}"})
    return rows, order


def _digits(frame: pd.DataFrame, y: str, percent: bool) -> int:
    """Digits after the comma in a tooltip: 1 for a percentage, 0 for counts, else 2."""
    if percent:
        return 1
    values = frame[y].dropna().astype(float)
    return 0 if len(values) and bool((values == values.round()).all()) else 2


def lines_over_time(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str,
                    percent: bool = False, target: float | None = None,
                    band: tuple[float, float] | None = None, group_title: str = "Groep",
                    digits: int | None = None) -> Spec:
    """One line per group over time (see _lines_over_time); built once per content.
    `digits` after the comma in the tooltips (default: 1 for a percentage, 0 for counts, else 2)."""
    key = ("progress-lines", _frame_digest(frame[list(dict.fromkeys((x, y, group)))]), x, y, group,
           title, y_title, percent, target, band, group_title, digits)
    return _remembered(key, lambda: _lines_over_time(frame, x, y, group, title, y_title, percent,
                                                     target, band, group_title, digits))


def ratio_over_time(frame: pd.DataFrame, x: str, y: str, group: str, title: str) -> Spec:
    """The ratio per group per week, the target 1 and the 'in lijn' band UNDER–OVER behind
    (surveys.thresholds, the band every verdict uses)."""
    return lines_over_time(frame, x, y, group, title, RATIO_TITLE, target=1.0, band=(UNDER, OVER), digits=2)


def _lines_over_time(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str,
                     percent: bool, target: float | None, band: tuple[float, float] | None,
                     group_title: str, digits: int | None = None) -> Spec:
    """Lines with markers, a colour, shape and dash per group (legend above, in the frame's
    order); the target as a dotted rule named 'doel'; `band` (in the frame's units) as a
    light green rect behind the lines. Rows without a value are not drawn and not sent."""
    digits = _digits(frame, y, percent) if digits is None else digits
    rows, groups = _line_rows(frame, x, y, group, percent, digits)
    scale = 100 if percent else 1
    whole = digits == 0  # counts: whole-number ticks with a thousands point
    n = len(groups)
    # one legend: colour and shape (the dash follows the line; a symbol cannot show both)
    legend = {"orient": "top", "direction": "horizontal", "title": None, "labelFontSize": 13,
              "labelLimit": 240, "symbolSize": 140, "symbolStrokeColor": INK, "symbolStrokeWidth": 0.6,
              "columns": {"expr": f"width < {NARROW} ? 1 : {max(n, 1)}"},  # a phone: one per line
              "description": f"Legenda: een eigen kleur, vorm en lijn per {flat(group_title).lower()}"}
    colour = _field("groep", "nominal", title=None, legend=legend,
                    scale={"domain": groups, "range": [SEQUENCE[i % len(SEQUENCE)] for i in range(n)]})
    shape = _field("groep", "nominal", title=None, legend=legend,
                   scale={"domain": groups, "range": [SERIES_SHAPES[i % len(SERIES_SHAPES)] for i in range(n)]})
    dash = _field("groep", "nominal", title=None, legend=None,
                  scale={"domain": groups, "range": [DASHES[i % len(DASHES)] for i in range(n)]})
    weeks = sorted({r["week"] for r in rows})
    x_axis = {"labelExpr": DATE_LABELS, "labelOverlap": "greedy", "labelAngle": 0, **AXIS,
              "description": "X-as: de weken, met de datum van het einde van de week"}
    if 0 < len(weeks) <= 16:  # a tick on each week drawn (else Vega picks, e.g. every other day)
        x_axis["values"] = [_date_time(w) for w in weeks]
    x_enc = _field("week", "temporal", scale={"type": "utc"}, title="Week (einddatum)", axis=x_axis)
    y_labels = PERCENT_LABELS if percent else (COUNT_LABELS if whole else RATIO_LABELS)
    y_axis: Spec = {"labelExpr": y_labels, **AXIS, "description": f"Y-as: {flat(y_title).lower()}"}
    if whole and not percent:
        y_axis["tickMinStep"] = 1
    y_enc = _field("waarde", "quantitative", title=flat(y_title), axis=y_axis)

    def y_at(value: float) -> Spec:  # a fixed height on the same axis (its grid, labels and title)
        return {"datum": value, "type": "quantitative", "title": y_enc["title"], "axis": y_axis}

    tooltip = _tooltip(("groep", flat(group_title)), ("week_tekst", "Week tot en met"),
                       ("waarde_tekst", flat(y_title)))
    unit = "%" if percent else ""
    goal = None if target is None else float(target) * scale
    goal_text = "" if goal is None else _trimmed(goal) + unit
    # the band and the target are named for a screen reader (axe: an unnamed svg-img)
    layers: list[Spec] = []
    if band is not None:
        low, high = (float(v) * scale for v in band)
        band_name = f"Groene band: {_trimmed(low)}{unit} tot {_trimmed(high)}{unit} geldt als in lijn"
        layers.append({"data": ONE, "mark": {"type": "rect", "color": BAND_COLOUR, "opacity": BAND_OPACITY,
                                             "description": band_name},
                       "encoding": {"y": y_at(low), "y2": {"datum": high},
                                    "x": {"value": 0}, "x2": {"value": "width"}}})
    if goal is not None:
        rule = {"type": "rule", "color": INK, "strokeDash": [2, 3], "strokeWidth": 1.5,
                "description": f"Stippellijn: het doel, {goal_text}"}
        layers.append({"data": ONE, "mark": rule,
                       "encoding": {"y": y_at(goal)}})
        layers.append({"data": ONE, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4,
                                             "dy": -3, "fontSize": 12, "color": INK, "font": FONT,
                                             "aria": False},  # the rule above says it
                       "encoding": {"x": {"value": 0}, "y": y_at(goal), "text": {"value": "doel"}}})
    layers.append({"mark": {"type": "line", "strokeWidth": 2.5},
                   "encoding": {"x": x_enc, "y": y_enc, "color": colour, "strokeDash": dash,
                                "order": {"field": "week", "type": "temporal"},
                                "description": _field("groep", "nominal")}})
    layers.append({"mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "stroke": INK,
                            "strokeWidth": 0.6},
                   "encoding": {"x": x_enc, "y": y_enc, "color": colour, "shape": shape,
                                "tooltip": tooltip, "description": _field("omschrijving", "nominal")}})
    text = flat(title)
    goal_note = f"; de stippellijn is het doel ({goal_text})" if goal_text else ""
    return {
        "$schema": SCHEMA, "data": {"values": rows},
        "layer": layers,
        "title": chart_title(text), "height": HEIGHT, "width": "container", "autosize": AUTOSIZE,
        "description": f"{text}. Een lijn per {flat(group_title).lower()} over de weken: "
                       f"{flat(y_title).lower()}{goal_note}.",
        "config": chart_config(),
    }


def _trimmed(value: float) -> str:
    """A number in Dutch without trailing zeros: 0.8 → '0,8', 1.25 → '1,25', 100 → '100'."""
    return dutch(value, 2).rstrip("0").rstrip(",")


def _date_time(day: str) -> Spec:
    """An ISO date as a Vega-Lite DateTime for axis values (UTC: the data's dates are UTC
    midnights; plain numbers there leave the axis without labels)."""
    year, month, date = (int(part) for part in day.split("-"))
    return {"year": year, "month": month, "date": date, "utc": True}
