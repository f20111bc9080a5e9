"""Reach per buurt as a ranked table and an offline map, for the dashboard and the HTML report.

The map draws the buurt outlines of reference.geo (GeoJSON in EPSG:4326) as filled
shapes on a plain plotly plot: no tile server and no world map to fetch, so it works
offline and inside the self-contained HTML report (see areas_map for why not go.Choropleth). Colour is never the only
carrier: the same numbers are in the ranked table and in every hover.

Privacy: a buurt with 1 to k−1 respondents (k = 10 by default, reports.privacy) shows its
number of respondents but not its missing groups, because "which groups did the three
people from this buurt not belong to" tells something about those three people. A report
(`report_table`, `report_figures`) also hides such a count, as every other count below k,
with a second buurt hidden where the hidden one would follow from the total, and leaves
out a missed-residents figure that would give away a group of 1 to k−1 respondents in a
buurt (`protect_areas`).

Group names follow the project's minimum age (engagement.vocabulary.group_label): a band
"15-25" where only people from 18 count reads "18 tot 25 jaar".
"""
from __future__ import annotations

import html
import math
import re
from collections.abc import Collection
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from engagement.areas import AreaReach, AreasResult, MissingGroup, areas_finding, group_totals, where_missed
from engagement.vocabulary import LABEL_UNREACHED, group_label, group_phrase
from reference.geo import BuurtGeometry
from reports import privacy
from surveys.categories import DIMENSION_LABELS

DEFAULT_K = 10
PER_100_SCALE = "Blues"
MISSED_SCALE = "Oranges"
NO_DATA = "#D9D9D9"
OUTLINE = "#8C8C8C"   # grey outlines: a buurt with the lightest colour stays visible on white
LIGHTEST = 0.12       # the scales start here, not at their near-white end
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14, color="#222222")
_SPACES = re.compile(r"\s+")

TABLE_COLUMNS = ["Buurt", "Code", "Inwoners (vanaf min. leeftijd)", "Respondenten",
                 "Per 100 inwoners", "Gemiste groepen (geschat aantal inwoners)"]


def _text(value: object) -> str:
    """Text for a plotly title or hover: shown as typed, never markup or a %{…} template."""
    line = _SPACES.sub(" ", str(value)).strip()
    return html.escape(line, quote=False).replace("%", "&#37;")


def _number(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "onbekend"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _hidden(respondents: int, k: int) -> bool:
    return 0 < respondents < k


def group_name(dimension: str, category: str, min_age: int | None = None) -> str:
    """'Leeftijd: 18 tot 25 jaar' for a select box or a legend."""
    return f"{DIMENSION_LABELS.get(dimension, dimension)}: {group_label(category, min_age, dimension)}"


def group_options(result: AreasResult, k: int = DEFAULT_K) -> list[tuple[str, str, float]]:
    """The missing groups to choose from (dimension, category, missed residents over the
    buurten that may show groups), most missed first."""
    shown = AreasResult(areas=tuple(a for a in result.areas if not _hidden(a.respondents, k)))
    totals = group_totals(shown)
    return [(str(r.dimension), str(r.category), float(r.residents)) for r in totals.itertuples()]


def areas_table(result: AreasResult, k: int = DEFAULT_K,
                status: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per buurt, lowest reach first (buurten without inhabitants last).

    `status` (buurt code → "", "primary" or "secondary", from `count_status`): the
    respondents and per-100 of a hidden buurt show its mark ('<10', 'x') instead; the
    report passes it, the dashboard (the team's own data) does not."""
    status = status or {}
    rows = []
    ranked = sorted(result.areas, key=lambda a: (a.per_100 is None, a.per_100 or 0.0, a.name))
    for a in ranked:
        if a.eligible_population <= 0:
            groups = "geen inwoners volgens CBS"
        elif a.respondents == 0:
            groups = LABEL_UNREACHED
        elif _hidden(a.respondents, k):
            groups = f"niet getoond: minder dan {k} respondenten"
        else:
            groups = "; ".join(f"{group_label(m.category, result.min_age, m.dimension)} "
                               f"(~{_number(m.residents)})" for m in a.missing[:4]) or "geen"
        why = status.get(a.code, "")
        rows.append({"Buurt": a.name, "Code": a.code,
                     "Inwoners (vanaf min. leeftijd)": round(a.eligible_population),
                     "Respondenten": privacy.protected(a.respondents, why, k),
                     "Per 100 inwoners": privacy.protected(
                         None if a.per_100 is None else round(a.per_100, 1), why, k),
                     "Gemiste groepen (geschat aantal inwoners)": groups})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def count_status(result: AreasResult, k: int = DEFAULT_K) -> dict[str, str]:
    """Per buurt code whether its number of respondents may be shown in a report
    (reports.privacy.suppress): a count of 1 to k−1 is hidden ("primary"); the buurten
    plus the respondents without a buurt (or outside the chosen ones) add up to the
    published total, so one hidden buurt never stands alone ("secondary")."""
    k = privacy.effective_k(k)
    values: dict[str, float] = {a.code: float(a.respondents) for a in result.areas}
    rest = float(result.unknown + result.outside)
    # the rest describes no buurt: never hidden for being small, but it may be a complement
    values[_REST] = max(rest, k) if rest else 0.0
    status = privacy.suppress(values, [list(values)], k)
    return {code: why for code, why in status.items() if code != _REST}


def group_respondents(area: AreaReach, missing: MissingGroup) -> float:
    """The respondents of a missing group in its buurt, as the missed residents give it
    away: ratio = (n_g / n_buurt) / (P_g / P_buurt), so n_g = ratio × P_g / P_buurt × n_buurt."""
    if area.eligible_population <= 0:
        return 0.0
    return round(missing.ratio * missing.population / area.eligible_population * area.respondents, 6)


def protect_areas(result: AreasResult, k: int = DEFAULT_K
                  ) -> tuple[AreasResult, dict[str, tuple[MissingGroup, ...]]]:
    """The result as a report may show it, and per buurt the groups taken out.

    A missed-residents figure gives the group's ratio and so, with the buurt's respondents,
    the number of respondents of that group in that buurt (`group_respondents`). Where
    that number is 1 to k−1 the group's figure is left out (the table names the group
    without a number); 0 ("nobody heard") identifies nobody and stays."""
    k = privacy.effective_k(k)
    areas, dropped = [], {}
    for a in result.areas:
        small = tuple(m for m in a.missing if privacy.is_small(group_respondents(a, m), k))
        if small:
            dropped[a.code] = small
            a = replace(a, missing=tuple(m for m in a.missing if m not in small))
        areas.append(a)
    protected = replace(result, areas=tuple(areas))
    return replace(protected, finding=areas_finding(protected)), dropped


def report_table(result: AreasResult, k: int = DEFAULT_K) -> pd.DataFrame:
    """areas_table as a report shows it: small buurt counts hidden with a complement, and
    a missed group whose figure would give away a small count named without it."""
    k = privacy.effective_k(k)
    protected, dropped = protect_areas(result, k)
    table = areas_table(protected, k, count_status(result, k))
    column = "Gemiste groepen (geschat aantal inwoners)"
    names = {a.code: a for a in protected.areas}
    for i, code in enumerate(table["Code"]):
        if code in dropped and not _hidden(names[code].respondents, k):
            extra = "; ".join(f"{group_label(m.category, result.min_age, m.dimension)} (aantal niet getoond)"
                              for m in dropped[code])
            current = table.at[i, column]
            table.at[i, column] = extra if current == "geen" else f"{current}; {extra}"
    return table


def report_finding(result: AreasResult, k: int = DEFAULT_K) -> tuple[str, ...]:
    """The finding (engagement.areas.areas_finding) as a report says it: from the protected
    result (`protect_areas`), age bands named from the minimum age. It names no buurt's
    count: only missed residents (estimates), buurten where nobody was heard, and the
    respondents without a buurt, which like the coverage table's 'Onbekend' describe no
    group of residents and stay a number."""
    from engagement.vocabulary import age_words

    protected, _ = protect_areas(result, k)
    return tuple(age_words(line, result.min_age) for line in protected.finding)


_REST = "_rest"  # respondents without a buurt or outside the chosen buurten


def group_table(result: AreasResult, dimension: str, category: str,
                k: int = DEFAULT_K) -> pd.DataFrame:
    """Per buurt the missed residents of one group, most first (buurten with fewer than k
    respondents are left out)."""
    small = {a.code for a in result.areas if _hidden(a.respondents, k)}
    where = where_missed(result, dimension, category)
    where = where[~where["code"].isin(small)]
    return pd.DataFrame({"Buurt": where["name"], "Code": where["code"],
                         "Gemiste inwoners (geschat)": where["residents"].round().astype(int)}
                        ).reset_index(drop=True)


def _values(result: AreasResult, group: tuple[str, str] | None, k: int,
            hidden: Collection[str] = ()) -> tuple[dict[str, float], dict[str, str]]:
    """Value per buurt code (absent: drawn grey) and the hover line of every buurt.
    A buurt in `hidden` shows neither its count nor its reach (a report's protection)."""
    values: dict[str, float] = {}
    hover: dict[str, str] = {}
    for a in result.areas:
        count = f"minder dan {k}" if _hidden(a.respondents, k) else "aantal verborgen" \
            if a.code in hidden else str(a.respondents)
        head = f"<b>{_text(a.name)}</b> ({_text(a.code)})<br>{count} respondenten"
        if a.eligible_population <= 0:
            hover[a.code] = f"{head}<br>geen inwoners volgens CBS"
            continue
        if a.code in hidden and group is None:
            hover[a.code] = f"{head}<br>bereik niet getoond"
            continue
        if group is None:
            values[a.code] = float(a.per_100 or 0.0)
            hover[a.code] = f"{head}<br>{_number(a.per_100, 1)} per 100 inwoners"
            continue
        if a.respondents == 0:
            hover[a.code] = f"{head}<br>{LABEL_UNREACHED}"
        elif _hidden(a.respondents, k):
            hover[a.code] = f"{head}<br>minder dan {k} respondenten: groep niet getoond"
        else:
            missed = next((m.residents for m in a.missing
                           if (m.dimension, m.category) == tuple(group)), 0.0)
            values[a.code] = float(missed)
            hover[a.code] = f"{head}<br>ongeveer {_number(missed)} gemist"
    return values, hover


def _title(result: AreasResult, group: tuple[str, str] | None, k: int) -> str:
    if group is None:
        reached = [a for a in result.areas if a.per_100 is not None]
        if not reached:
            return "Bereik per buurt"
        silent = [a for a in reached if a.respondents == 0]
        if len(silent) > 1:
            return f"Respondenten per 100 inwoners: in {len(silent)} buurten nog niemand gesproken"
        low = min(reached, key=lambda a: a.per_100 if a.per_100 is not None else float("inf"))
        return f"Respondenten per 100 inwoners: het laagst in {low.name}"
    table = group_table(result, group[0], group[1], k)
    phrase = group_phrase(group[0], group[1], min_age=result.min_age)
    if table.empty or table["Gemiste inwoners (geschat)"].sum() <= 0:
        return f"Gemiste {phrase}: in geen buurt duidelijk"
    return f"Gemiste {phrase}: de meeste wonen in {table['Buurt'].iloc[0]}"


def _outline(geometry: dict, scale: float) -> tuple[list, list]:
    """x, y of every ring of a (Multi)Polygon, rings separated by None; x = lon × cos(lat₀)
    so a buurt keeps its shape on a flat plot."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    xs: list = []
    ys: list = []
    for polygon in polygons:
        for ring in polygon:
            xs += [x * scale for x, _ in ring] + [None]
            ys += [y for _, y in ring] + [None]
    return xs, ys


def areas_map(result: AreasResult, geometry: BuurtGeometry, group: tuple[str, str] | None = None,
              k: int = DEFAULT_K, hidden: Collection[str] = ()) -> go.Figure:
    """A map of respondents per 100 eligible residents (`group` None) or of the missed
    residents of one group, per buurt; buurten without a value are grey.

    Drawn as filled outlines on a plain plot, not as a plotly geo choropleth: plotly.js
    fetches a world map (cdn.plot.ly/un/world_110m.json) for every geo subplot, even with
    the base map hidden, and draws nothing when that fails, so a geo choropleth is blank
    offline. One trace per buurt (`meta` = its code), larger buurten first so an enclave
    stays visible; a colour bar from an invisible marker trace.
    """
    from plotly.colors import get_colorscale, sample_colorscale

    geo = geometry.subset(a.code for a in result.areas)
    features = {f["id"]: f for f in geo.geojson["features"]}
    values, hover = _values(result, group, k, hidden)
    scale_name = PER_100_SCALE if group is None else MISSED_SCALE
    colours = get_colorscale(scale_name)
    top = max([v for c, v in values.items() if c in features] + [0.0]) or 1.0
    lats = [y for f in features.values() for y in _outline(f["geometry"], 1.0)[1] if y is not None]
    scale = math.cos(math.radians(sum(lats) / len(lats))) if lats else 1.0
    shapes = {code: _outline(f["geometry"], scale) for code, f in features.items()}

    def size(code: str) -> float:
        xs, ys = shapes[code]
        points = [(x, y) for x, y in zip(xs, ys) if x is not None]
        if not points:
            return 0.0
        return (max(p[0] for p in points) - min(p[0] for p in points)) * \
            (max(p[1] for p in points) - min(p[1] for p in points))

    fig = go.Figure()
    for a in sorted((a for a in result.areas if a.code in shapes), key=lambda a: -size(a.code)):
        xs, ys = shapes[a.code]
        value = values.get(a.code)
        fill = NO_DATA if value is None else \
            sample_colorscale(colours, [LIGHTEST + (1 - LIGHTEST) * min(1.0, value / top)])[0]
        # hovering a fill shows the trace name: the whole hover text, never cut off
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=fill, meta=a.code,
            line=dict(color=OUTLINE, width=0.6), hoveron="fills", hoverinfo="name",
            name=hover[a.code], hoverlabel=dict(namelength=-1), showlegend=False))
    if values:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", hoverinfo="skip", showlegend=False,
            marker=dict(colorscale=[[i / 10, c] for i, c in enumerate(sample_colorscale(
                colours, [LIGHTEST + (1 - LIGHTEST) * i / 10 for i in range(11)]))],
                cmin=0, cmax=top, color=[0], showscale=True,
                # no title on the bar: the figure's title names the unit, and a bar title is cut
                # at the edge or covers the ticks; a small range gets a decimal (not 0, 0, 0, 1)
                colorbar=dict(tickformat=",.1f" if top < 10 else ",.0f", nticks=6, thickness=18,
                              x=1.0, xanchor="left", xpad=8))))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(title=dict(text=_text(_title(result, group, k))), font=FONT,
                      margin=dict(l=0, r=80, t=50, b=0), height=520, plot_bgcolor="white",
                      separators=",.", paper_bgcolor="white", hoverlabel=dict(align="left"), showlegend=False)
    return fig


def missing_on_map(result: AreasResult, geometry: BuurtGeometry) -> list[str]:
    """Names of buurten of the result that the map file does not have (for a Dutch note)."""
    on_map = set(geometry.codes)
    return [f"{a.name} ({a.code})" for a in result.areas if a.code not in on_map]


def report_figures(result: AreasResult, geometry: BuurtGeometry | None,
                   k: int = DEFAULT_K) -> list[go.Figure]:
    """The maps for a report: reach per 100 and the most missed group (none without a map
    file; the report then shows report_table and group_table instead). A buurt whose
    count the report hides (`count_status`) is grey, its hover without the count. Pass
    the result through `protect_areas` first (reports.html does), so no missed figure
    gives away a small group."""
    if geometry is None:
        return []
    k = privacy.effective_k(k)
    hidden = {code for code, why in count_status(result, k).items() if why}
    figures = [areas_map(result, geometry, None, k, hidden)]
    options = group_options(result, k)
    if options:
        figures.append(areas_map(result, geometry, options[0][:2], k, hidden))
    return figures
