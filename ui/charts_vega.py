"""Bereik's charts as Vega-Lite (Altair): pure functions of result objects, no Streamlit.

Why not Plotly here: the browser must load and evaluate Plotly's 4.7 MB bundle before it
draws the first Plotly chart (0.4 s idle, up to 1.8 s under load), and Bereik is the first
page after a server start (issue #16: drawn within 3 s). Vega-Lite is a much smaller bundle
that Streamlit loads anyway. The other pages and the reports keep Plotly (ui.charts).

The charts say what ui.charts' Plotly versions said: the same bars, Okabe-Ito colours
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

import altair as alt
import pandas as pd

from engagement.model import DimensionCoverage
from engagement.vocabulary import age_words
from surveys.categories import label
from ui.charts import STATUS, _frame_digest, dimension_title, status_label, status_of

# Vega marker shapes for the status keys (Plotly's 'x' and 'circle-open' have no Vega twin:
# every status keeps a shape of its own, so colour is never the only difference).
SHAPES = {"unreached": "cross", "under_sig": "triangle-left", "under": "triangle-left", "ok": "circle",
          "over": "triangle-right", "few": "square", "uncertain": "diamond"}
BUURT_FILL, BUURT_EDGE = "#D9D9D9", "#555555"
INK = "#222222"
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


def chart_title(text: object) -> alt.Title:
    """Title top left, wrapped for the page and shorter lines on a phone."""
    wide, narrow = title_lines(text), title_lines(text, 28)
    lines = {k: json.dumps(v, ensure_ascii=False) for k, v in (("wide", wide), ("narrow", narrow))}
    return alt.Title(alt.ExprRef(f"width < {NARROW} ? {lines['narrow']} : {lines['wide']}"), anchor="start", fontSize=17, font=FONT, color=INK)


# The given height is the plot's; the width fits the page (Streamlit's default 'fit' would
# count the title and legend in the height and squeeze the bars together).
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def dutch(value: float, digits: int = 1) -> str:
    """12.345 → '12,3' (digits after the comma), thousands with a point."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


_CHARTS: OrderedDict[Hashable, alt.TopLevelMixin] = OrderedDict()
_CHARTS_LOCK = threading.Lock()
_CHARTS_MAX = 128


def _remembered(key: Hashable, build: Callable[[], alt.TopLevelMixin]) -> alt.TopLevelMixin:
    """The chart built before for this content key (building one costs about 45 ms, on every
    rerun); least recently used goes first. Callers do not change the chart they get."""
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


def coverage_frame(dim: DimensionCoverage, needed: Mapping[str, int] | None = None,
                   min_age: int | None = None) -> pd.DataFrame:
    """One row per group: the numbers the coverage chart draws and the texts it prints; an age
    band is named from `min_age` ('18 tot 25 jaar': younger residents are not counted in it)."""
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
            "buurt": c.population_share * 100, "gesproken": c.respondent_share * 100,
            "laag": c.ci_low * 100, "hoog": c.ci_high * 100,
            "status": f"Gesproken: {STATUS[key][0]}", "oordeel": verdict, "notitie": note,
            "buurt_tekst": f"{dutch(c.population_share * 100)}%",
            "gesproken_tekst": (f"{dutch(c.respondent_share * 100)}% ({int(c.respondents)} personen)"),
            "marge_tekst": f"{dutch(c.ci_low * 100)}% – {dutch(c.ci_high * 100)}%",
            "nog_tekst": str(int(c.to_reach))})
    return pd.DataFrame(rows)


def coverage_chart(dim: DimensionCoverage, needed: Mapping[str, int] | None = None,
                   min_age: int | None = None) -> alt.LayerChart:
    """Respondent share against the buurt's share per group (see _coverage_chart)."""
    key = ("coverage", repr(dim), None if needed is None else tuple(sorted(needed.items())), min_age)
    return _remembered(key, lambda: _coverage_chart(dim, needed, min_age))


def _coverage_chart(dim: DimensionCoverage, needed: Mapping[str, int] | None,
                    min_age: int | None = None) -> alt.LayerChart:
    """Respondent share (with Wilson 95% interval) against the buurt's share, per group.

    Grey hatched-looking bar = share in the buurt (CBS); marker = share among the people
    spoken to, its colour and shape the verdict; the verdict (and the plan's number, when
    `needed` is given) printed right of the bars."""
    frame = coverage_frame(dim, needed, min_age)
    top = max([*frame["hoog"], *frame["buurt"], 5.0])
    groups = list(frame["groep"])
    used = [k for k in STATUS if any(status_of(c) == k for c in dim.categories)]
    status_scale = dict(domain=[f"Gesproken: {STATUS[k][0]}" for k in used])
    colour = alt.Color("status:N", title=None, scale=alt.Scale(**status_scale, range=[STATUS[k][1] for k in used]),
                       legend=alt.Legend(orient="top", direction="vertical", columns=1, labelLimit=260,
                                         labelFontSize=12, symbolSize=160, symbolStrokeWidth=0.5))
    shape = alt.Shape("status:N", title=None, scale=alt.Scale(**status_scale, range=[SHAPES[k] for k in used]))
    y = alt.Y("groep:N", sort=groups, title=None, scale=alt.Scale(paddingInner=0.3, paddingOuter=0.2),
              axis=alt.Axis(labelFontSize=13, labelLimit=200))
    # wide: room right of the bars for the printed verdicts; narrow (a phone): no verdicts
    # (they are in the tooltips and the table below), the bars use the whole width
    x_scale = alt.Scale(domainMin=0, domainMax=alt.ExprRef(f"width < {NARROW} ? {top * 1.05} : {top * 2.0}"),
                        nice=False)
    x = alt.X("buurt:Q", scale=x_scale, title=["Aandeel (%)", "grijze balk = in de buurt (CBS)", "teken = gesproken (95%-marge)"],
              axis=alt.Axis(labelExpr=PERCENT_LABELS, gridColor="#EEEEEE", titleFontSize=13,
                            titleFontWeight="normal", values=_ticks(top)))
    tooltip = [alt.Tooltip("groep:N", title="Groep"), alt.Tooltip("buurt_tekst:N", title="In de buurt"),
               alt.Tooltip("gesproken_tekst:N", title="Gesproken"),
               alt.Tooltip("marge_tekst:N", title="95%-marge"), alt.Tooltip("oordeel:N", title="Oordeel"),
               alt.Tooltip("nog_tekst:N", title="Nog te spreken (nu)")]
    base = alt.Chart(frame)
    bars = base.mark_bar(color=BUURT_FILL, stroke=BUURT_EDGE, strokeWidth=1).encode(
        x=x, y=y, tooltip=tooltip)
    interval = base.mark_rule(color=INK, strokeWidth=1.5).encode(
        x=alt.X("laag:Q", scale=x_scale), x2="hoog:Q", y=y, tooltip=tooltip)
    caps = [base.mark_tick(color=INK, thickness=1.5, size=12).encode(x=alt.X(f"{end}:Q", scale=x_scale), y=y)
            for end in ("laag", "hoog")]
    points = base.mark_point(filled=True, size=190, opacity=1, stroke=INK, strokeWidth=1).encode(
        x=alt.X("gesproken:Q", scale=x_scale), y=y, color=colour, shape=shape, tooltip=tooltip)
    notes = base.transform_filter(f"width >= {NARROW}").mark_text(align="left", baseline="middle", dx=0, fontSize=12, color=INK).encode(
        x=alt.datum(top * 1.02), y=y, text="notitie:N")
    title = flat(age_words(dimension_title(dim), min_age))
    return alt.layer(bars, interval, *caps, points, notes).properties(
        title=chart_title(title),
        height=48 * len(groups), width="container", autosize=AUTOSIZE,
        description=f"{title}. Per groep het aandeel in de buurt en het aandeel gesproken; "
                    "de cijfers staan ook in de tabel onder de grafiek.",
    ).configure_view(stroke=None).configure_axis(labelFont=FONT, titleFont=FONT, labelColor=INK,
                                                  titleColor=INK).configure_legend(labelFont=FONT,
                                                                                    labelColor=INK)


def _ticks(top: float) -> list[float]:
    """Ticks up to just above the largest share (the space beyond holds the notes)."""
    step = next(s for s in (5, 10, 20, 25, 50) if top / s <= 6)
    return [float(v) for v in range(0, int(math.ceil(top / step)) * step + 1, step)]


# Cividis from dark blue (far too few) over grey (in line) to yellow (far too many).
CIVIDIS = ["#00204D", "#414D6B", "#7C7B78", "#BCAF6F", "#FFEA46"]
EMPTY_FILL = "#F2F2F2"


def cells_frame(cells: pd.DataFrame, value: str, rows: str, cols: str,
                min_age: int | None = None) -> pd.DataFrame:
    """One row per cell: labels (age bands from `min_age`), the value (None when too few)
    and its printed text."""
    out = []
    for _, r in cells.iterrows():
        v = r[value]
        missing = v is None or (isinstance(v, float) and math.isnan(v))
        out.append({"rij": flat(age_words(label(str(r[rows])), min_age)),
                    "kolom": flat(age_words(label(str(r[cols])), min_age)),
                    "waarde": None if missing else float(v),
                    "tekst": "te weinig" if missing else dutch(float(v), 2),
                    # below 1 the cell is darker than Cividis' middle grey: white text there,
                    # black above (each at least about 4:1 against its cell)
                    "donker": (not missing) and float(v) < 1.0})
    return pd.DataFrame(out)


def cells_chart(cells: pd.DataFrame, value: str, rows: str, cols: str, title: str,
                min_age: int | None = None) -> alt.LayerChart:
    """A two-way table as coloured cells (see _cells_chart)."""
    key = ("cells", _frame_digest(cells[[value, rows, cols]]), value, rows, cols, title, min_age)
    return _remembered(key, lambda: _cells_chart(cells, value, rows, cols, title, min_age))


def _cells_chart(cells: pd.DataFrame, value: str, rows: str, cols: str, title: str,
                 min_age: int | None = None) -> alt.LayerChart:
    """A two-way table (rows × cols) as coloured cells with the number printed in each cell;
    cells with no value (expected count too small) stay light grey and say 'te weinig'."""
    frame = cells_frame(cells, value, rows, cols, min_age)
    row_order = list(dict.fromkeys(frame["rij"]))
    col_order = list(dict.fromkeys(frame["kolom"]))
    x = alt.X("kolom:N", sort=col_order, title=None,
              axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=13, labelLimit=160))
    y = alt.Y("rij:N", sort=row_order, title=None, axis=alt.Axis(labelFontSize=13, labelLimit=200))
    tooltip = [alt.Tooltip("rij:N", title="Rij"), alt.Tooltip("kolom:N", title="Kolom"),
               alt.Tooltip("tekst:N", title="Verhouding")]
    base = alt.Chart(frame)
    colour = alt.condition(
        "isValid(datum.waarde)",
        alt.Color("waarde:Q", title=["Verhouding", "gesproken /", "buurt"],
                  scale=alt.Scale(domain=[0, 1, 2], range=[CIVIDIS[0], CIVIDIS[2], CIVIDIS[4]], clamp=True,
                                  interpolate="rgb"),
                  legend=alt.Legend(labelExpr="replace(format(datum.value, '.1f'), '.', ',')",
                                    values=[0, 0.5, 1, 1.5, 2], titleFontWeight="normal",
                                    gradientLength=max(60, 60 * len(row_order) - 70))),
        alt.value(EMPTY_FILL))
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(x=x, y=y, color=colour, tooltip=tooltip)
    texts = base.mark_text(fontSize=14, baseline="middle").encode(
        x=x, y=y, text="tekst:N", tooltip=tooltip,
        color=alt.condition("datum.donker", alt.value("#FFFFFF"), alt.value(INK)))
    return alt.layer(rects, texts).properties(
        title=chart_title(title),
        height=60 * len(row_order), width="container", autosize=AUTOSIZE,
        description=f"{flat(title)}. Per vakje: aandeel gesproken gedeeld door het geschatte aandeel "
                    "in de buurt; het getal staat in het vakje.",
    ).configure_view(stroke=None).configure_axis(labelFont=FONT, labelColor=INK, domain=False,
                                                  ticks=False).configure_legend(labelFont=FONT,
                                                                                titleFont=FONT)
