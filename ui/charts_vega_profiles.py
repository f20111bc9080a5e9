"""Profielen's charts as Vega-Lite specs (plain dicts): pure functions of result objects, no Streamlit.

Why (issue #16): Profielen is the page an officer opens after Bereik. Drawn with Plotly, its
first visit waited for the browser to load and evaluate Plotly's 4.7 MB bundle (3.0–3.8 s);
Vega-Lite is already loaded for Bereik (ui.charts_vega), whose helpers and conventions these
specs share: inline records, Dutch decimal comma in every number a reader sees, titles as
wrapped lines, the description as the accessible name, specs kept per content.

Each profile keeps one colour AND one marker shape on the whole page (kompas and channel
mix alike, in card order), so colour is never the only difference. Vega-Lite renders text
as text (no HTML): a team-typed profile name goes in as typed, only flattened to one line.
"""
from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd

from profiles.coverage import FLAG_WORDS
from ui.charts import BLUE, GREY, SEQUENCE, _frame_digest, _quadrant_names
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

LINE = "#555555"   # the kompas' midlines and middle zone
LABEL = "#444444"  # corner and zone names
ZONE_FILL = "#EDEDED"  # Plotly's grey at 12% on white (a light solid fill: the dots are drawn over it)
CORNER_WRAP = 16  # characters per line of a corner name on a narrow chart (a phone)
GRID = "#EEEEEE"
CONFIG = chart_config(labelFontSize=13, titleFontSize=13, titleFontWeight="normal")
WRAP = 22  # characters per line of a profile name on the coverage chart's axis
DOT_MAX = 700  # area (px²) of the kompas' biggest dot: about 30 px wide, a grid step of a 5-point scale
DOT_ONE = 90   # area of a dot when each point holds one person


def unique_names(names: Sequence[object]) -> list[str]:
    """Flat names, a repeated one numbered ('Stil (2)'): a chart's colour scale needs one
    entry per profile, and a team may type the same name twice."""
    out: list[str] = []
    for name in names:
        base = flat(name) or "Profiel"
        text, n = base, 1
        while text in out:
            n += 1
            text = f"{base} ({n})"
        out.append(text)
    return out


def profile_styles(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """Colour and shape of each profile by its place in the card order (as ui.charts)."""
    return ([SEQUENCE[i % len(SEQUENCE)] for i in range(len(names))],
            [SERIES_SHAPES[i % len(SERIES_SHAPES)] for i in range(len(names))])


def _profile_legend(names: list[str]) -> tuple[Spec, Spec]:
    """Colour and shape channels on the field 'profiel' sharing one legend above the plot."""
    colours, shapes = profile_styles(names)
    legend = {"orient": "top", "direction": "vertical", "columns": 1, "labelFontSize": 13,
              "labelLimit": {"expr": "max(150, width - 30)"}, "symbolSize": 150, "symbolStrokeWidth": 0.5,
              "symbolStrokeColor": INK}
    colour = _field("profiel", "nominal", title=None, scale={"domain": names, "range": colours}, legend=legend)
    shape = _field("profiel", "nominal", title=None, scale={"domain": names, "range": shapes}, legend=legend)
    return colour, shape


def _read_aloud(expr: str) -> tuple[list[Spec], Spec]:
    """A Dutch sentence per item for a screen reader (a calculate transform and the
    description channel); Vega's own lists every field with English numbers."""
    return [{"calculate": expr, "as": "voorgelezen"}], _field("voorgelezen", "nominal")


def _spec(records: list[dict[str, Any]], layers: list[Spec], title: str, height: int, description: str) -> Spec:
    return {"$schema": SCHEMA, "data": {"values": records}, "layer": layers, "title": chart_title(title),
            "height": height, "width": "container", "autosize": AUTOSIZE, "description": description,
            "config": CONFIG}


# --- the kompas ------------------------------------------------------------------------------

def kompas_chart(result, axes: tuple[str, str] = ("engagement", "trust"), midpoint: float = 0.5) -> Spec | None:
    """Engagement × trust per respondent (see _kompas_chart); None when the result has no
    axis scores. Kept per content (ui.charts_vega's spec cache)."""
    frame = result.assignments
    if not set(axes) <= set(frame.columns):
        return None
    key = ("kompas_vega", result.method, _frame_digest(frame[[*axes, "profile"]]),
           tuple((c.id, c.name, c.share) for c in result.cards), tuple(axes), midpoint)
    return _remembered_or_none(key, lambda: _kompas_chart(result, axes, midpoint))


_NONE: Spec = {"none": True}


def _remembered_or_none(key, build) -> Spec | None:
    """_remembered for a builder that may have nothing to draw (kept as a marker dict)."""
    chart = _remembered(key, lambda: build() or _NONE)
    return None if chart is _NONE else chart


def kompas_records(result, axes: tuple[str, str] = ("engagement", "trust")) -> list[dict[str, Any]]:
    """One record per point of the kompas where people with a profile sit: both axis scores
    (0–1), the profile, how many people (`aantal`) and the Dutch texts. Scores are means of a
    few answers on a short scale, so many people share a point: one dot per person would
    stack them unseen; the dot's size shows how many sit there."""
    frame = result.assignments.dropna(subset=list(axes))
    names = dict(zip((c.id for c in result.cards), unique_names([c.name for c in result.cards]), strict=True))
    counts: dict[tuple[float, float, str], int] = {}
    for profile, x, y in zip(frame["profile"], frame[axes[0]], frame[axes[1]], strict=True):
        name = names.get(profile)
        if name is None:  # no profile (too few answers): not in the kompas, as in Plotly's
            continue
        key = (round(float(x), 9), round(float(y), 9), name)  # one point despite float noise
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for (x, y, name), count in counts.items():
        rows.append({"betrokkenheid": _number(x), "vertrouwen": _number(y), "profiel": name, "aantal": count,
                     "aantal_tekst": "1 persoon" if count == 1 else f"{count} mensen",
                     "betrokkenheid_tekst": dutch(float(x), 2), "vertrouwen_tekst": dutch(float(y), 2)})
    return rows


def _text(data: list[dict[str, Any]], **mark: Any) -> Spec:
    """Bold names at given points, with a white halo under them so the dots do not hide them.
    On a narrow chart a long name is printed over lines ('regels'), not cut off."""
    base = {"type": "text", "fontSize": 13, "fontWeight": "bold", "font": FONT, **mark}
    data = [{**d, "regels": textwrap.wrap(d["tekst"], CORNER_WRAP) or [""]} for d in data]
    encoding = {"x": _field("x", "quantitative"), "y": _field("y", "quantitative"), "text": _field("toon", "nominal")}
    return {"data": {"values": data},
            "transform": [{"calculate": f"width < {NARROW} ? datum.regels : datum.tekst", "as": "toon"}],
            "layer": [{"mark": {**base, "color": "white", "stroke": "white", "strokeWidth": 4, "strokeOpacity": 0.85,
                                "aria": False}, "encoding": encoding},
                      {"mark": {**base, "color": LABEL},
                       "encoding": {**encoding, "description": _field("voorgelezen", "nominal")}}]}


def _kompas_chart(result, axes: tuple[str, str], midpoint: float) -> Spec | None:
    """Dots per respondent, one colour and shape per profile; dotted midlines split the four
    corners (named after the team's profiles), the dashed grey middle zone (kompas only)
    holds the 'neutral on both axes' profile."""
    from profiles.kompas import MIDDLE, NEUTRAL_ZONE

    records = kompas_records(result, axes)
    if not records:
        return None
    present = {r["profiel"] for r in records}
    names = [n for n in unique_names([c.name for c in result.cards]) if n in present]
    order = unique_names([c.name for c in result.cards])
    colours, shapes = profile_styles(order)  # by card order, so a profile keeps its colour on the page
    colour, shape = _profile_legend(names)
    colour["scale"]["range"] = [colours[order.index(n)] for n in names]
    shape["scale"]["range"] = [shapes[order.index(n)] for n in names]
    scale = {"domain": [-0.05, 1.05], "nice": False, "zero": False}
    ticks = {"values": [0, 0.25, 0.5, 0.75, 1], "gridColor": GRID, "domain": False, "ticks": False,
             "labelExpr": "datum.value == 0 ? 'laag' : datum.value == 0.5 ? 'midden' : "
                          "datum.value == 1 ? 'hoog' : ''"}
    # the axes' descriptions are what a screen reader says (Vega's own are English)
    x = _field("betrokkenheid", "quantitative", scale=scale, title="Betrokkenheid bij de buurt",
               axis={**ticks, "description": "X-as: betrokkenheid bij de buurt, van laag (links) naar hoog (rechts)"})
    y = _field("vertrouwen", "quantitative", scale=scale, title="Vertrouwen in invloed op de gemeente",
               axis={**ticks, "description": "Y-as: vertrouwen in invloed op de gemeente, van laag (onder) naar "
                                             "hoog (boven)"})
    layers: list[Spec] = []
    low, high = midpoint - NEUTRAL_ZONE, midpoint + NEUTRAL_ZONE
    kompas = result.method == "kompas"
    if kompas:  # the middle zone under the dots
        # a description per decorative mark: without one Vega gives its group an image role
        # and no name (axe: svg-img-alt)
        layers.append({"data": ONE, "mark": {"type": "rect", "fill": ZONE_FILL, "stroke": LINE, "strokeWidth": 1.5,
                                "strokeDash": [6, 4],
                                "description": "Grijs vak: op beide assen rond het midden (afwachtend midden)"},
                       "encoding": {"x": {"datum": low, "type": "quantitative", "scale": scale},
                                    "x2": {"datum": high}, "y": {"datum": low, "type": "quantitative", "scale": scale},
                                    "y2": {"datum": high}}})
    for channel, axis in (("x", "betrokkenheid"), ("y", "vertrouwen")):
        layers.append({"data": ONE, "mark": {"type": "rule", "color": LINE, "strokeDash": [2, 3], "strokeWidth": 1.5,
                                "description": f"Stippellijn: midden van de schaal voor {axis}"},
                       "encoding": {channel: {"datum": midpoint, "type": "quantitative", "scale": scale}}})
    tooltip = _tooltip(("profiel", "Profiel"), ("aantal_tekst", "Aantal mensen op dit punt"),
                       ("betrokkenheid_tekst", "Betrokkenheid (0 tot 1)"),
                       ("vertrouwen_tekst", "Vertrouwen (0 tot 1)"))
    said, spoken = _read_aloud("datum.aantal_tekst + ', ' + datum.profiel + ': betrokkenheid ' + "
                               "datum.betrokkenheid_tekst + ', vertrouwen ' + datum.vertrouwen_tekst + ' (0 tot 1)'")
    most = max(r["aantal"] for r in records)
    # the dot's area grows with the number of people (area, not width: twice the people,
    # twice the ink); the biggest dot stays within a grid step of a 5-point scale
    size = _field("aantal", "quantitative", title="Aantal mensen",
                  scale={"type": "linear", "domain": [0, most], "range": [0, DOT_MAX if most > 1 else DOT_ONE],
                         "zero": True},
                  # below the plot: beside the profile legend it ran off a phone's screen
                  legend=None if most == 1 else {"orient": "bottom", "direction": "horizontal", "titleFontSize": 13,
                                                 "labelFontSize": 13, "symbolFillColor": GREY, "symbolStrokeWidth": 0.5,
                                                 "symbolStrokeColor": INK, "values": _size_values(most),
                                                 "description": "Legenda: hoe groter de stip, hoe meer mensen "
                                                                "op dat punt"})
    layers.append({"transform": said,
                   "mark": {"type": "point", "filled": True, "opacity": 0.75, "stroke": INK, "strokeWidth": 0.5},
                   "encoding": {"x": x, "y": y, "color": colour, "shape": shape, "size": size, "tooltip": tooltip,
                                "description": spoken}})
    if kompas:
        middle = flat(next((c.name for c in result.cards if c.id == MIDDLE), "Afwachtend midden"))
        layers.append(_text([{"x": midpoint, "y": high, "tekst": middle, "voorgelezen": f"Grijs vak: {middle}"}], align="center", baseline="bottom",
                            dy=-3, limit={"expr": "width * 0.6"}))
        # top names hang down from the plot's top edge, bottom names stand on its bottom edge
        corners = [(0.0, 1.05, "left", "top", "linksboven"), (1.0, 1.05, "right", "top", "rechtsboven"),
                   (0.0, -0.05, "left", "bottom", "linksonder"), (1.0, -0.05, "right", "bottom", "rechtsonder")]
        for (cx, cy, anchor, baseline, where), text in zip(corners, _quadrant_names(result), strict=True):
            if text:
                record = {"x": cx, "y": cy, "tekst": flat(text), "voorgelezen": f"Hoek {where}: {flat(text)}"}
                layers.append(_text([record], align=anchor, baseline=baseline,
                                    dy=2 if baseline == "top" else -2, limit={"expr": "width / 2 - 6"}))
    cards = result.cards
    biggest, smallest = max(cards, key=lambda c: c.share), min(cards, key=lambda c: c.share)
    title = f"Kompas: de meeste gesproken mensen horen bij {flat(biggest.name)}, de minste bij {flat(smallest.name)}"
    description = (f"{title}. Elke stip staat voor de mensen met dezelfde scores; hoe groter de stip, hoe meer "
                   "mensen daar zitten. Rechts meer betrokken bij de buurt, boven meer vertrouwen in invloed op "
                   "de gemeente; kleur en vorm geven het profiel.")
    return _spec(records, layers, title, 420, description)


def _size_values(most: int) -> list[int]:
    """The counts the size legend shows: 1, about half the most, and the most."""
    return sorted({1, max(1, round(most / 2)), most})


# --- profile mix per channel -----------------------------------------------------------------

def share_bars_chart(frame: pd.DataFrame, x: str, y: str, colour: str, title: str, x_title: str,
                     y_title: str, order: Sequence[object] | None = None) -> Spec:
    """Grouped bars of shares (0–1) from a long frame (see _share_bars_chart). `order`: the
    profiles in card order, so each keeps the colour and shape it has in the kompas."""
    key = ("share_bars_vega", _frame_digest(frame[[x, y, colour]]), x, y, colour, title, x_title, y_title,
           None if order is None else tuple(map(str, order)))
    return _remembered(key, lambda: _share_bars_chart(frame, x, y, colour, title, x_title, y_title, order))


def share_records(frame: pd.DataFrame, x: str, y: str, colour: str) -> list[dict[str, Any]]:
    """One record per bar: group, profile, share in % and its Dutch text."""
    rows = []
    for group, name, share in zip(frame[x], frame[colour], frame[y], strict=True):
        value = _number(share)
        rows.append({"groep": flat(group), "profiel": flat(name), "aandeel": None if value is None else value * 100,
                     "aandeel_tekst": "onbekend" if value is None else f"{dutch(value * 100)}%"})
    return rows


def _share_bars_chart(frame: pd.DataFrame, x: str, y: str, colour: str, title: str, x_title: str,
                      y_title: str, order: Sequence[object] | None) -> Spec:
    """Bars per group (e.g. channel) side by side per profile; a marker in the profile's
    shape on each bar doubles its colour, and on a wide chart the share is printed above."""
    records = share_records(frame, x, y, colour)
    present = list(dict.fromkeys(r["profiel"] for r in records))
    full = [n for n in unique_names(order or []) if n in present]
    names = full + [n for n in present if n not in full]
    groups = list(dict.fromkeys(r["groep"] for r in records))
    colour_enc, shape_enc = _profile_legend(names)
    top = max([r["aandeel"] for r in records if r["aandeel"] is not None] + [10.0])
    scale = {"domain": [0, min(100.0, top * 1.15)], "nice": False}
    x_enc = _field("groep", "nominal", sort=groups, title=flat(x_title),
                   axis={"labelAngle": 0, "labelFontSize": 14, "domainColor": GREY, "ticks": False},
                   scale={"paddingInner": 0.25})
    offset = _field("profiel", "nominal", sort=names, scale={"paddingInner": 0.08})
    y_enc = _field("aandeel", "quantitative", scale=scale, title=flat(y_title),
                   axis={"labelExpr": PERCENT_LABELS, "gridColor": GRID, "domain": False, "tickCount": 5,
                         "description": f"Y-as: {flat(y_title).lower()} in procenten"})
    tooltip = _tooltip(("groep", flat(x_title)), ("profiel", "Profiel"), ("aandeel_tekst", flat(y_title)))
    said, spoken = _read_aloud("datum.groep + ', ' + datum.profiel + ': ' + datum.aandeel_tekst")
    bars = {"transform": said, "mark": {"type": "bar", "stroke": INK, "strokeWidth": 0.5},
            "encoding": {"x": x_enc, "xOffset": offset, "y": y_enc, "color": colour_enc, "tooltip": tooltip,
                         "description": spoken}}
    # the marker and the printed share repeat the bar: a screen reader hears the bar only
    marks = {"mark": {"type": "point", "filled": True, "size": 90, "opacity": 1, "stroke": INK, "strokeWidth": 0.8,
                      "yOffset": -9, "aria": False},
             "encoding": {"x": x_enc, "xOffset": offset, "y": y_enc, "color": colour_enc, "shape": shape_enc,
                          "tooltip": tooltip}}
    labels = {"transform": [{"filter": f"width >= {NARROW}"}],
              "mark": {"type": "text", "baseline": "bottom", "dy": -18, "fontSize": 12, "color": INK,
                       "aria": False},
              "encoding": {"x": x_enc, "xOffset": offset, "y": y_enc, "text": _field("aandeel_tekst", "nominal")}}
    description = (f"{flat(title)}. Staafdiagram: per {flat(x_title).lower()} het aandeel van elk profiel; "
                   "kleur en vorm van het teken geven het profiel.")
    return _spec(records, [bars, marks, labels], title, 320, description)


# --- profiles in the buurt -------------------------------------------------------------------

def flag_key(row: pd.Series) -> str:
    """The wording key of one profiles.coverage row: 'possibly_under' for an uncertain
    profile whose bracket reaches below 0.8, else its flag (ui.profile_charts' tables too)."""
    maybe = row.get("possibly_under")
    return "possibly_under" if maybe is not None and pd.notna(maybe) and bool(maybe) else str(row["flag"])


COVERAGE_TITLE = "Aandeel per profiel: gesproken en geschat in de buurt"


def coverage_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """One record per profile (profiles.coverage table): shares in %, bracket, Dutch texts."""
    rows = []
    for name, (_, row) in zip(unique_names(list(table["name"])), table.iterrows(), strict=True):
        spoken, estimate = _number(row["respondent_share"]), _number(row["population_share_estimate"])
        low, high = _number(row.get("share_low", math.nan)), _number(row.get("share_high", math.nan))
        key = flag_key(row)

        def text(v: float | None) -> str:
            return "onbekend" if v is None else f"{dutch(v * 100, 0)}%"

        estimate_text = text(estimate)
        if low is not None and high is not None:
            estimate_text += f" (tussen {text(low)} en {text(high)})"
        rows.append({"profiel": name, "gesproken": None if spoken is None else spoken * 100,
                     "schatting": None if estimate is None else estimate * 100,
                     "laag": None if low is None else low * 100, "hoog": None if high is None else high * 100,
                     "gesproken_tekst": text(spoken), "schatting_tekst": estimate_text,
                     "betekenis": FLAG_WORDS.get(key, key)})
    return rows


def profile_coverage_chart(table: pd.DataFrame) -> Spec:
    """Share among the people spoken (bar) and the estimated share in the buurt (diamond
    with its bracket), one row per profile (see _profile_coverage_chart)."""
    return _remembered(("profile_coverage_vega", _frame_digest(table)), lambda: _profile_coverage_chart(table))


def _profile_coverage_chart(table: pd.DataFrame) -> Spec:
    """Horizontal blue bar = share among the people spoken; black diamond = estimated share
    in the buurt, the line through it its bracket. A long team-typed name is broken over
    lines on the axis (Vega-Lite cuts a label at its limit); the conclusion is page text
    above the chart (ui.profile_charts.coverage_title)."""
    records = coverage_records(table)
    names = [r["profiel"] for r in records]
    lines = [textwrap.wrap(n, WRAP, break_long_words=True) or [""] for n in names]
    label = f"{json.dumps(lines, ensure_ascii=False)}[indexof({json.dumps(names, ensure_ascii=False)}, datum.label)]"
    top = max([v for r in records for v in (r["hoog"], r["gesproken"], r["schatting"]) if v is not None] + [10.0])
    top = min(100.0, top * 1.1)
    scale = {"domain": [0, top], "nice": False}
    y = _field("profiel", "nominal", sort=names, title=None, scale={"paddingInner": 0.35, "paddingOuter": 0.2},
               axis={"labelExpr": label, "labelFontSize": 13, "labelLimit": 220, "domainColor": GREY,
                     "ticks": False, "labelPadding": 6})
    x = _field("gesproken", "quantitative", scale=scale,
               title=["Aandeel (%)", "blauwe balk = gesproken", "ruitje = geschat in de buurt",
                      "lijn = bandbreedte"],
               axis={"labelExpr": PERCENT_LABELS, "gridColor": GRID, "domain": False, "tickCount": 5,
                     "description": "X-as: aandeel in procenten"})
    tooltip = _tooltip(("profiel", "Profiel"), ("gesproken_tekst", "Gesproken"),
                       ("schatting_tekst", "Geschat in de buurt"), ("betekenis", "Wat betekent dit?"))
    said, spoken = _read_aloud("datum.profiel + ': gesproken ' + datum.gesproken_tekst + ', geschat in de buurt ' "
                               "+ datum.schatting_tekst + ': ' + datum.betekenis")
    bars = {"transform": said, "mark": {"type": "bar", "color": BLUE, "stroke": INK, "strokeWidth": 0.5},
            "encoding": {"x": x, "y": y, "tooltip": tooltip, "description": spoken}}
    # bracket and diamond: the bar's sentence says their numbers too
    bracket = {"mark": {"type": "rule", "color": INK, "strokeWidth": 2, "aria": False},
               "encoding": {"x": _field("laag", "quantitative", scale=scale), "x2": {"field": "hoog"}, "y": y,
                            "tooltip": tooltip}}
    caps = [{"mark": {"type": "tick", "color": INK, "thickness": 2, "size": 12, "aria": False},
             "encoding": {"x": _field(end, "quantitative", scale=scale), "y": y}} for end in ("laag", "hoog")]
    # white outline: the diamond stays visible where it sits on the blue bar
    diamond = {"mark": {"type": "point", "shape": "diamond", "filled": True, "color": INK, "size": 200, "opacity": 1,
                        "stroke": "white", "strokeWidth": 1.5, "aria": False},
               "encoding": {"x": _field("schatting", "quantitative", scale=scale), "y": y, "tooltip": tooltip}}
    height = len(names) * max(48, 20 * max((len(n) for n in lines), default=1) + 16)
    description = (f"{COVERAGE_TITLE}. Per profiel een balk voor het aandeel onder de gesproken mensen en een "
                   "ruitje voor het geschatte aandeel in de buurt, met de bandbreedte; de cijfers staan ook in "
                   "de tabel onder de grafiek.")
    return _spec(records, [bars, bracket, *caps, diamond], COVERAGE_TITLE, height, description)
