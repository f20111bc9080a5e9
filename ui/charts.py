"""Plotly figure builders: pure functions of result objects, no Streamlit.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and every colour is
doubled by a marker shape or a printed label, so no chart relies on colour alone. Each
title states the conclusion a reader should draw.

Plotly reads a little HTML in every title, label, legend entry and hover text (`<a href>`
makes a link, also in a downloaded or shared chart) and fills in `%{...}` in hover
templates. Text that a user typed (profile names above all) goes through chart_text;
titles are escaped as a whole in _layout, so callers pass plain text.

Building a figure is slow in plotly (every property is validated: about 65 ms for one
coverage chart, on every rerun). Each builder therefore keeps the validated figure of its
last inputs (as a dict, keyed on their content) and hands out a new go.Figure made from it
without validating again (about 3 ms). The caller owns that figure and may add to it.
"""
from __future__ import annotations

import copy
import hashlib
import html
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from engagement.coverage import GROUP_PHRASES
from engagement.model import CategoryCoverage, DimensionCoverage
from surveys.categories import DIMENSION_LABELS, label

if TYPE_CHECKING:  # plotly is imported where a figure is made: the first page uses none
    import plotly.graph_objects as go

# Okabe-Ito
VERMILLION, ORANGE, GREEN, BLUE, SKY, PURPLE, YELLOW, GREY = (
    "#D55E00", "#E69F00", "#009E73", "#0072B2", "#56B4E9", "#CC79A7", "#F0E442", "#7F7F7F")
SEQUENCE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, "#000000", YELLOW]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross"]

STATUS = {  # status key → (Dutch label, colour, marker symbol)
    "unreached": ("nog niemand gesproken", VERMILLION, "x"),
    "under_sig": ("duidelijk ondervertegenwoordigd", VERMILLION, "triangle-left"),
    "under": ("mogelijk ondervertegenwoordigd", ORANGE, "triangle-left"),
    "ok": ("in lijn", GREEN, "circle"),
    "over": ("oververtegenwoordigd", BLUE, "triangle-right"),
    "few": ("te weinig gegevens", GREY, "circle-open"),
    "uncertain": ("onzeker", PURPLE, "diamond"),  # the unknowns or the buurt figures: the label says which
}
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#222222")


_BY_LABEL = {text: key for key, (text, _, _) in STATUS.items()}
_WHITESPACE = re.compile(r"\s+")


def chart_text(text: object) -> str:
    """Text for a plotly title, label or hover: shown as typed, never a link or markup.
    '<a href=…>' becomes '&lt;a href=…&gt;' (plotly shows the characters), '%' becomes
    '&#37;' so '%{x}' is not filled in, and line breaks become spaces."""
    line = _WHITESPACE.sub(" ", str(text)).strip()
    return html.escape(line, quote=False).replace("%", "&#37;")


_FIGURES: OrderedDict[Hashable, dict] = OrderedDict()
_FIGURES_LOCK = threading.Lock()
_FIGURES_MAX = 128


def _remembered(key: Hashable, build: Callable[[], go.Figure | None]) -> go.Figure | None:
    """A new figure equal to what build() returned for this content key before; the first
    time build() runs (validated) and its dict is kept (least recently used goes first)."""
    import plotly.graph_objects as go

    with _FIGURES_LOCK:
        spec = _FIGURES.get(key)
        if spec is not None:
            _FIGURES.move_to_end(key)
    if spec is None:
        fig = build()
        if fig is None:
            return None
        spec = fig.to_dict()
        with _FIGURES_LOCK:
            _FIGURES[key] = spec
            while len(_FIGURES) > _FIGURES_MAX:
                _FIGURES.popitem(last=False)
        return fig
    try:  # plotly's own switch for figures it already checked (e.g. from to_dict)
        return go.Figure(copy.deepcopy(spec), _validate=False)
    except TypeError:  # a plotly without it: validate again (slow, same figure)
        return go.Figure(copy.deepcopy(spec))


def _frame_digest(frame: pd.DataFrame) -> str:
    """Content hash of a (small) frame: values, index, columns and dtypes."""
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # unhashable cells (lists, dicts): their text
        values = repr(frame.to_dict("split")).encode()
    digest = hashlib.sha256(values)
    digest.update(repr((list(map(str, frame.columns)), list(map(str, frame.dtypes)))).encode())
    return digest.hexdigest()


def _texts(values) -> list[str]:
    return [chart_text(v) for v in values]


def status_of(cat: CategoryCoverage) -> str:
    """The status key of one category (flag + significance + enough data); "uncertain"
    when the unknowns of its kenmerk could turn the verdict around ("onzeker: 55% onbekend")."""
    if cat.uncertain:
        return "uncertain"
    if cat.label in _BY_LABEL:
        return _BY_LABEL[cat.label]
    if cat.flag == "unreached":
        return "unreached"
    if cat.expected and cat.expected < 5:
        return "few"
    if cat.flag == "under":
        return "under_sig" if cat.significant else "under"
    return "over" if cat.flag == "over" else "ok"


def status_label(cat: CategoryCoverage) -> str:
    """The Dutch status text; the coverage engine's own label wins when it has one."""
    return cat.label or STATUS[status_of(cat)][0]


def dimension_title(dim: DimensionCoverage) -> str:
    """A title that states the conclusion for one dimension."""
    name = DIMENSION_LABELS.get(dim.dimension, dim.dimension)
    worst = [c for c in dim.categories if status_of(c) in ("unreached", "under_sig")]
    maybe = [c for c in dim.categories if status_of(c) == "under"]
    unsure = any(status_of(c) == "uncertain" for c in dim.categories)
    if worst:
        return f"{name}: te weinig gesproken met {_join([_phrase(c.category) for c in worst])}"
    if maybe:
        return f"{name}: mogelijk te weinig gesproken met {_join([_phrase(c.category) for c in maybe])}"
    if unsure:
        return (f"{name}: geen zeker oordeel, want {round(100 * dim.unknown_share)}% van de "
                "mensen gaf hier geen antwoord")
    if all(status_of(c) == "few" for c in dim.categories):
        return f"{name}: nog te weinig gegevens voor een conclusie"
    return f"{name}: de groepen zijn in lijn met de buurt"


def _phrase(category: str) -> str:
    return GROUP_PHRASES.get(category, label(category).lower())


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _layout(fig: go.Figure, title: str, height: int, top: int = 115) -> go.Figure:
    """Title top left, legend in a row above the plot; `top` leaves room for both."""
    fig.update_layout(title=dict(text=chart_text(title), x=0, xanchor="left", y=0.99, yanchor="top",
                                 font=dict(size=17)),
                      font=FONT, height=height + 20, margin=dict(l=10, r=10, t=top, b=40),
                      separators=",.",  # Dutch: 1.234,5
                      plot_bgcolor="white", paper_bgcolor="white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, font=dict(size=13)))
    return fig


def coverage_figure(dim: DimensionCoverage, needed: Mapping[str, int] | None = None) -> go.Figure:
    """Respondent share (with Wilson 95% interval) against the buurt's share, per group.

    `needed` (category → the fieldwork plan's joint number) replaces to_reach in the notes
    next to the bars, because to_reach understates the work (see engagement.planner)."""
    key = ("coverage", repr(dim), None if needed is None else tuple(sorted(needed.items())))
    return _remembered(key, lambda: _coverage_figure(dim, needed))


def _coverage_figure(dim: DimensionCoverage, needed: Mapping[str, int] | None) -> go.Figure:
    import plotly.graph_objects as go

    cats = list(dim.categories)
    names = _texts(label(c.category) for c in cats)
    fig = go.Figure()
    fig.add_bar(y=names, x=[c.population_share * 100 for c in cats], orientation="h",
                name="Aandeel in de buurt (CBS)", marker=dict(color="#D9D9D9", line=dict(color="#555555", width=1),
                                                            pattern=dict(shape="/", fgcolor="#8C8C8C", fillmode="overlay")),
                hovertemplate="%{y}<br>In de buurt: %{x:.1f}%<extra></extra>")
    for key, (text, colour, symbol) in STATUS.items():
        chosen = [c for c in cats if status_of(c) == key]
        if not chosen:
            continue
        fig.add_scatter(
            y=_texts(label(c.category) for c in chosen), x=[c.respondent_share * 100 for c in chosen],
            mode="markers", name=f"Gesproken: {text}",
            marker=dict(color=colour, symbol=symbol, size=14, line=dict(color="#222222", width=1)),
            error_x=dict(type="data", symmetric=False, color="#222222", thickness=1.5, width=6,
                         array=[(c.ci_high - c.respondent_share) * 100 for c in chosen],
                         arrayminus=[(c.respondent_share - c.ci_low) * 100 for c in chosen]),
            customdata=[[chart_text(status_label(c)), c.to_reach, c.respondents] for c in chosen],
            hovertemplate=("%{y}<br>Gesproken: %{x:.1f}% (%{customdata[2]:.0f} personen)"
                           "<br>%{customdata[0]}<br>Nog te spreken (nu): %{customdata[1]}<extra></extra>"))
    top = max([c.ci_high for c in cats] + [c.population_share for c in cats] + [0.05]) * 100
    for c, name in zip(cats, names):
        if needed is not None:
            extra = needed.get(c.category, 0)
            note = status_label(c) + (f" · plan: nog {extra} erbij" if extra > 0 else "")
        else:
            note = status_label(c) + (f" · nog {c.to_reach} te spreken" if c.to_reach > 0 else "")
        fig.add_annotation(y=name, x=top * 1.02, text=chart_text(note), showarrow=False, xanchor="left",
                           font=dict(size=13, color="#222222"))
    fig.update_xaxes(range=[0, top * 1.75], gridcolor="#EEEEEE", ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, dimension_title(dim), height=140 + 48 * len(cats))


def cells_heatmap(cells: pd.DataFrame, value: str, rows: str, cols: str, title: str) -> go.Figure:
    """A two-way table (rows × cols) as a heatmap with the numbers printed in each cell.

    Cells with NaN (expected count too small) stay blank and say so on hover.
    """
    key = ("cells", _frame_digest(cells[[value, rows, cols]]), value, rows, cols, title)
    return _remembered(key, lambda: _cells_heatmap(cells, value, rows, cols, title))


def _cells_heatmap(cells: pd.DataFrame, value: str, rows: str, cols: str, title: str) -> go.Figure:
    import plotly.graph_objects as go

    table = cells.pivot(index=rows, columns=cols, values=value).reindex(
        index=list(dict.fromkeys(cells[rows])), columns=list(dict.fromkeys(cells[cols])))
    z = table.to_numpy(dtype=float)
    text = [["te weinig" if math.isnan(v) else f"{v:.2f}".replace(".", ",") for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=_texts(label(str(c)) for c in table.columns), y=_texts(label(str(r)) for r in table.index),
        text=text, texttemplate="%{text}", colorscale="Cividis", zmid=1.0, zmin=0, zmax=2,
        colorbar=dict(title="Verhouding<br>gesproken /<br>buurt"),
        hovertemplate="%{y} · %{x}<br>Verhouding: %{text}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=110 + 60 * len(table.index), top=60)  # no legend


def share_bars(frame: pd.DataFrame, x: str, y: str, colour: str | None, title: str,
               x_title: str, y_title: str, percent: bool = True) -> go.Figure:
    """Grouped bars from a long frame; patterns double the colours."""
    columns = [c for c in dict.fromkeys((x, y, colour)) if c is not None]
    key = ("bars", _frame_digest(frame[columns]), x, y, colour, title, x_title, y_title, percent)
    return _remembered(key, lambda: _share_bars(frame, x, y, colour, title, x_title, y_title, percent))


def _share_bars(frame: pd.DataFrame, x: str, y: str, colour: str | None, title: str,
                x_title: str, y_title: str, percent: bool) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    groups = [None] if colour is None else list(dict.fromkeys(frame[colour]))
    patterns = ["", "/", ".", "x", "-", "|", "+", "\\"]
    for i, group in enumerate(groups):
        part = frame if group is None else frame[frame[colour] == group]
        fig.add_bar(x=_texts(part[x]), y=part[y] * (100 if percent else 1),
                    name=chart_text(group or y_title),
                    marker=dict(color=SEQUENCE[i % len(SEQUENCE)],
                                pattern=dict(shape=patterns[i % len(patterns)], fgcolor="#FFFFFF",
                                                fillmode="overlay")),
                    hovertemplate="%{x}: %{y:.1f}" + ("%" if percent else "") + "<extra>" + chart_text(group or "") + "</extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=chart_text(x_title))
    fig.update_yaxes(title=chart_text(y_title), gridcolor="#EEEEEE", ticksuffix="%" if percent else "")
    return _layout(fig, title, height=420)


def lines_over_time(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str,
                    percent: bool = False, target: float | None = None) -> go.Figure:
    """One line per group over time, each with its own marker shape and dash."""
    key = ("lines", _frame_digest(frame[list(dict.fromkeys((x, y, group)))]), x, y, group, title, y_title,
           percent, target)
    return _remembered(key, lambda: _lines_over_time(frame, x, y, group, title, y_title, percent, target))


def _lines_over_time(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str,
                     percent: bool, target: float | None) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    for i, (name, part) in enumerate(frame.groupby(group, sort=False)):
        part = part.sort_values(x)
        fig.add_scatter(x=part[x], y=part[y] * (100 if percent else 1), mode="lines+markers",
                        name=chart_text(label(str(name))),
                        line=dict(color=SEQUENCE[i % len(SEQUENCE)], dash=dashes[i % len(dashes)], width=2.5),
                        marker=dict(symbol=SYMBOLS[i % len(SYMBOLS)], size=9))
    if target is not None:
        fig.add_hline(y=target * (100 if percent else 1), line=dict(color="#222222", dash="dot"),
                      annotation_text="doel", annotation_position="top left")
    fig.update_xaxes(title="Week (einddatum)", gridcolor="#EEEEEE", tickformat="%d-%m")
    fig.update_yaxes(title=y_title, gridcolor="#EEEEEE", ticksuffix="%" if percent else "")
    return _layout(fig, title, height=420)


def kompas_figure(result, axes: tuple[str, str] = ("engagement", "trust"),
                  midpoint: float = 0.5) -> go.Figure | None:
    """Scatter of engagement × trust per respondent: four corners split at the scale
    midpoint and the shaded middle zone (profiles.kompas.NEUTRAL_ZONE around the midpoint on
    both axes), so a group that mostly answers "neutraal" shows as its own profile.

    One colour and marker per profile (five for the kompas). None when the result has no
    axis scores (e.g. latent-class profiles).
    """
    frame = result.assignments
    if not set(axes) <= set(frame.columns):
        return None
    key = ("kompas", result.method, _frame_digest(frame[[*axes, "profile"]]),
           tuple((c.id, c.name, c.share) for c in result.cards), tuple(axes), midpoint)
    return _remembered(key, lambda: _kompas_figure(result, axes, midpoint))


def _kompas_figure(result, axes: tuple[str, str], midpoint: float) -> go.Figure | None:
    import plotly.graph_objects as go

    from profiles.kompas import MIDDLE, NEUTRAL_ZONE

    frame = result.assignments
    if not set(axes) <= set(frame.columns):
        return None
    frame = frame.dropna(subset=list(axes))
    if frame.empty:
        return None
    fig = go.Figure()
    low, high = midpoint - NEUTRAL_ZONE, midpoint + NEUTRAL_ZONE
    if result.method == "kompas":  # the middle zone under the dots
        middle = next((c.name for c in result.cards if c.id == MIDDLE), "Afwachtend midden")
        fig.add_shape(type="rect", x0=low, x1=high, y0=low, y1=high, layer="below",
                      line=dict(color="#555555", width=1.5, dash="dash"), fillcolor="rgba(127,127,127,0.12)")
        fig.add_annotation(x=midpoint, y=high, text=f"<b>{chart_text(middle)}</b>", showarrow=False,
                           yanchor="bottom", font=dict(size=13, color="#444444"),
                           bgcolor="rgba(255,255,255,0.8)")
    for i, card in enumerate(result.cards):  # card order, so a profile keeps its colour on the page
        part, name = frame[frame["profile"] == card.id], chart_text(card.name)
        if part.empty:
            continue
        fig.add_scatter(x=part[axes[0]], y=part[axes[1]], mode="markers", name=name,
                        marker=dict(color=SEQUENCE[i % len(SEQUENCE)], symbol=SYMBOLS[i % len(SYMBOLS)],
                                    size=8, opacity=0.75, line=dict(color="#222222", width=0.5)),
                        hovertemplate=name + "<br>Betrokkenheid %{x:.2f} · Vertrouwen %{y:.2f}<extra></extra>")
    fig.add_vline(x=midpoint, line=dict(color="#555555", dash="dot"))
    fig.add_hline(y=midpoint, line=dict(color="#555555", dash="dot"))
    biggest = max(result.cards, key=lambda c: c.share)
    smallest = min(result.cards, key=lambda c: c.share)
    title = (f"Kompas: de meeste gesproken mensen horen bij {biggest.name}, "
             f"de minste bij {smallest.name}")
    ticks = dict(tickvals=[0, 0.25, 0.5, 0.75, 1], ticktext=["laag", "", "midden", "", "hoog"],
                 range=[-0.05, 1.05], gridcolor="#EEEEEE", zeroline=False)
    fig.update_xaxes(title="Betrokkenheid bij de buurt", **ticks)
    fig.update_yaxes(title="Vertrouwen in invloed op de gemeente", **ticks)
    corners = [(0.0, 1.04, "left"), (1.0, 1.04, "right"), (0.0, -0.04, "left"), (1.0, -0.04, "right")]
    for (x, y, anchor), text in zip(corners, _quadrant_names(result)):
        fig.add_annotation(x=x, y=y, text=f"<b>{chart_text(text)}</b>", showarrow=False, xanchor=anchor,
                           font=dict(size=13, color="#444444"), bgcolor="rgba(255,255,255,0.8)")
    fig = _layout(fig, title, height=560, top=150)  # room for a legend of five long names
    fig.update_layout(legend_y=1.04)  # above the corner names at the top of the plot
    return fig


def _quadrant_names(result) -> list[str]:
    """Kompas quadrant names (as the user named them) top-left, top-right, bottom-left, bottom-right."""
    from profiles.kompas import quadrants

    names = {c.id: c.name for c in result.cards}
    place = {(q["engagement"], q["trust"]): int(q["id"]) for q in quadrants()}
    order = [("low", "high"), ("high", "high"), ("low", "low"), ("high", "low")]
    return [names.get(place[key], "") if key in place else "" for key in order]


def profile_coverage_figure(table: pd.DataFrame, name: str = "name",
                            buurt: str = "population_share_estimate", spoken: str = "respondent_share") -> go.Figure:
    """Estimated share of each profile in the buurt next to its share among respondents."""
    long = pd.concat([
        pd.DataFrame({"Profiel": table[name], "Aandeel": table[buurt], "Waar": "Geschat in de buurt"}),
        pd.DataFrame({"Profiel": table[name], "Aandeel": table[spoken], "Waar": "Gesproken"})])
    gap = (table[spoken] - table[buurt])
    low = table.loc[gap.idxmin(), name] if len(table) else ""
    title = (f"Profielen: {low} spraken we minder dan er in de buurt wonen" if len(table) and gap.min() < -0.02
             else "Profielen: de gesproken mensen lijken op de buurt")
    return share_bars(long, "Profiel", "Aandeel", "Waar", title, "Profiel", "Aandeel")
