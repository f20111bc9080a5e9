"""Reach per buurt as a ranked table and an offline map, for the dashboard and the HTML report.

The map draws the buurt outlines of reference.geo (GeoJSON in EPSG:4326) as filled
shapes on a plain plotly plot: no tile server and no world map to fetch, so it works
offline and inside the self-contained HTML report (see areas_map for why not go.Choropleth). Colour is never the only
carrier: the same numbers are in the ranked table and in every hover.

Privacy: every output (the dashboard's table and map, the report, `bereikwijzer areas
--json`) goes through `protect_areas` (k = 10 by default, reports.privacy): a buurt with 1
to k−1 respondents shows neither its count nor its missing groups, because "which groups
did the three people from this buurt not belong to" tells something about those three
people; a missed-residents figure that gives away 1 to k−1 respondents of a group in a
buurt is left out (the group is named without it); and further buurten and figures are
hidden (reports.privacy.suppress, the rule of every other table) until no hidden count
follows from the shown ones and the totals: the wijk total, and each group's total in the
coverage table.

Group names follow the project's minimum age (engagement.vocabulary.group_label): a band
"15-25" where only people from 18 count reads "18 tot 25 jaar".
"""
from __future__ import annotations

import html
import logging
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go

from engagement.areas import (
    REST,
    AreaReach,
    AreasResult,
    MissingGroup,
    about,
    areas_finding,
    group_totals,
    ranked_areas,
    rounded,
    where_missed,
)
from engagement.vocabulary import LABEL_UNREACHED, group_label, group_phrase
from reference.geo import BuurtGeometry
from reports import privacy
from surveys.categories import DIMENSION_LABELS
from surveys.numbers import dutch, whole

logger = logging.getLogger(__name__)

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
    """Dutch separators and the one rounding rule (surveys.numbers.dutch); 'onbekend' for none."""
    return dutch(value, digits)


def _hidden(respondents: int, k: int) -> bool:
    return 0 < respondents < k


def group_name(dimension: str, category: str, min_age: int | None = None) -> str:
    """'Leeftijd: 18 tot 25 jaar' for a select box or a legend."""
    return f"{DIMENSION_LABELS.get(dimension, dimension)}: {group_label(category, min_age, dimension)}"


def group_options(result: AreasResult, k: int = DEFAULT_K) -> list[tuple[str, str, float]]:
    """The missing groups to choose from (dimension, category, missed residents over the
    buurten that may show groups), most missed first."""
    protected, _ = protect_areas(result, k)
    shown = AreasResult(areas=tuple(a for a in protected.areas
                                    if not a.suppressed and not _hidden(a.respondents, protected.k)))
    totals = group_totals(shown)
    return [(str(r.dimension), str(r.category), float(r.residents)) for r in totals.itertuples()]


def areas_table(result: AreasResult, k: int = DEFAULT_K,
                status: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per buurt, lowest reach first (buurten without inhabitants last), protected
    (`protect_areas`): a hidden buurt shows its mark ('<10', 'x') for respondents and per
    100, and comes after the shown buurten so its place in the ranking gives nothing away;
    a missed group whose figure is hidden is named without it. The dashboard and the report
    show the same table. (`status` is ignored: the protection decides.)"""
    protected, _ = protect_areas(result, k)
    k = protected.k
    rows = []
    for a in ranked_areas(protected):
        why = a.suppressed
        if a.eligible_population <= 0:
            groups = "geen inwoners volgens CBS"
        elif a.respondents == 0 and not why:
            groups = LABEL_UNREACHED
        elif why == privacy.PRIMARY or _hidden(a.respondents, k):
            groups = f"niet getoond: minder dan {k} respondenten"
        else:
            # "about N" by the finding's one rounding (engagement.areas.about): '~640', not '~642'
            named = [f"{group_label(m.category, result.min_age, m.dimension)} (~{about(m.residents)})"
                     for m in a.missing[:4]]
            named += [f"{group_label(m.category, result.min_age, m.dimension)} (aantal niet getoond)"
                      for m in a.withheld]
            # below average, but Bereik's verdict is 'onzeker' (too many unknown answers, or
            # the buurt figures' margin): named as such, not counted as missed
            named += [f"{group_label(c, result.min_age, d)} (onzeker)" for d, c in a.uncertain]
            groups = "; ".join(named) or "geen"
        rows.append({"Buurt": a.name, "Code": a.code,
                     # the one rounding rule (surveys.numbers): 1966.5 → 1967, as on Bereik
                     "Inwoners (vanaf min. leeftijd)": whole(a.eligible_population),
                     "Respondenten": privacy.protected(a.respondents, why, k),
                     "Per 100 inwoners": privacy.protected(
                         None if a.per_100 is None else round(a.per_100, 1), why, k),
                     "Gemiste groepen (geschat aantal inwoners)": groups})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def count_status(result: AreasResult, k: int = DEFAULT_K) -> dict[str, str]:
    """Per buurt code whether its number of respondents may be shown: "" , "primary" (1 to
    k−1) or "secondary" (hidden so that no small count follows from the totals), as
    `protect_areas` decides."""
    protected, _ = protect_areas(result, k)
    return {a.code: a.suppressed for a in protected.areas}


def group_respondents(area: AreaReach, missing: MissingGroup) -> float:
    """The respondents of a missing group in its buurt, as the missed residents give it
    away (the count itself when the result carries it; else from ratio = (n_g / n_known) /
    (P_g / P_buurt), taking n_known as the buurt's respondents)."""
    if missing.respondents is not None:
        return float(missing.respondents)
    if area.eligible_population <= 0:
        return 0.0
    return round(missing.ratio * missing.population / area.eligible_population * area.respondents, 6)


# ------------------------------------------------------------------ small-cell protection
# What the areas outputs show, as cells of one set of tables (reports.privacy.suppress):
# - the respondents per buurt n_b and the respondents without a buurt R (unknown plus
#   outside, always published): they add up to the total every report shows;
# - per dimension a buurt × group table of respondents, "onbekend" included: a buurt's row
#   adds up to n_b, a group's column (with the respondents without a buurt) to the group's
#   count in the coverage table. A missed-residents figure (and its ratio) gives its cell
#   away, so those cells are published; every other cell is published nowhere, and counts
#   as unknown to a reader (forced hidden) — unless its column or row is all zeros.
#   As in the coverage table, "onbekend" describes no group of residents: never hidden for
#   being small, but it may be a complement.
# A buurt whose count is hidden names its missed groups without figures (their ratios with
# the buurt's count would give the cells back), so its cells are hidden too, which can call
# for a further complement: repeated until nothing changes.

UNPUBLISHED = privacy.UNPUBLISHED
BUURT_COST = 1e9  # added to a buurt count's value when choosing a complement


def _cell_status(result: AreasResult, k: int) -> dict[tuple, str]:
    """Status per cell key: ("n", code), ("rest",), ("g", dimension, code | REST, category),
    and the totals published elsewhere ("total",), ("total", dimension, category): never
    picked as a complement, but a small one is hidden where it is published (the coverage
    table), so it counts as hidden here too."""
    values: dict[tuple, float] = {}
    groups: list[list[tuple]] = []
    forced: dict[tuple, str] = {}
    rest = float(result.unknown + result.outside)
    counts = {a.code: a.counts for a in result.areas if a.respondents > 0}
    if rest > 0:
        counts[REST] = result.rest_counts
    published = {(m.dimension, a.code, m.category) for a in result.areas for m in a.missing}
    for a in result.areas:
        values[("n", a.code)] = float(a.respondents)
    values[("rest",)] = rest
    # the total (every report's headline) is a cell too: hidden elsewhere when it is small
    values[("total",)] = float(sum(a.respondents for a in result.areas)) + rest
    groups.append([("n", a.code) for a in result.areas] + [("rest",), ("total",)])
    dimensions = list(dict.fromkeys(d for part in counts.values() for d in part))
    for dim in dimensions:
        categories = list(dict.fromkeys(c for part in counts.values() for c in part.get(dim, {})))
        column_total = {c: sum(part.get(dim, {}).get(c, 0.0) for part in counts.values()) for c in categories}
        columns: dict[str, list[tuple]] = {c: [] for c in categories}
        for code, part in counts.items():
            row: list[tuple] = [("rest",) if code == REST else ("n", code)]
            for category in categories:
                if column_total[category] <= 0:
                    continue  # a group nobody belongs to: every cell is a known zero
                key = ("g", dim, code, category)
                values[key] = float(part.get(dim, {}).get(category, 0.0))
                if (dim, code, category) not in published:
                    forced[key] = UNPUBLISHED
                row.append(key)
                columns[category].append(key)
            groups.append(row)
        for category, cells in columns.items():
            if cells:  # the group's total in the coverage table
                values[("total", dim, category)] = column_total[category]
                groups.append([*cells, ("total", dim, category)])
        forced.update(_coverage_hidden(dim, column_total, k))
    missing_of = {a.code: [("g", m.dimension, a.code, m.category) for m in a.missing] for a in result.areas}
    # a buurt's count is the last thing to hide: hiding it hides its reach and all its figures
    cost = {("n", a.code): BUURT_COST + a.respondents for a in result.areas}
    while True:
        totals = [key for key in values if key[0] in ("rest", "total")]
        # as in the coverage table, the unknown describes no group: never hidden for being small
        exempt = [("rest",), *(key for key in values if key[-1] == "onbekend")]
        status = privacy.suppress(values, groups, k, forced=forced, fixed=totals, cost=cost, exempt=exempt)
        more = {key: privacy.SECONDARY for code, keys in missing_of.items() if status.get(("n", code))
                for key in keys if key in values and not status.get(key)}
        if not more:
            return status
        forced.update(more)


def _coverage_hidden(dim: str, totals: Mapping[str, float], k: int) -> dict[tuple, str]:
    """The group totals of one dimension that the coverage table of the same report hides
    (reports.report's rule: the groups plus 'onbekend' add up to all respondents; the
    unknown part is never small, but may be a complement), as forced cells of this table."""
    values = {c: v for c, v in totals.items() if c != "onbekend"}
    rest = float(totals.get("onbekend", 0.0))
    values["onbekend"] = max(rest, float(k)) if rest else 0.0
    status = privacy.suppress(values, [list(values)], k)
    return {("total", dim, c): why for c, why in status.items() if why and c in totals}


_FALLBACK_COUNT = re.compile(r"^\d+ (?:respondent is|respondenten zijn|respondent\(en\) zijn)")


def protect_areas(result: AreasResult, k: int = DEFAULT_K
                  ) -> tuple[AreasResult, dict[str, tuple[MissingGroup, ...]]]:
    """The result as any output may show it, and per buurt the missed groups whose figures
    are hidden (named without a number).

    A buurt's count of 1 to k−1 is hidden ("primary"), with its reach and its groups; a
    group's missed-residents figure is hidden where it gives away 1 to k−1 respondents of
    that group in that buurt; and further counts and figures are hidden ("secondary")
    until none of those can be got back by subtraction from the rest of the output and the
    totals (see the comment above `_cell_status`). Idempotent: a protected result comes
    back as it is."""
    k = privacy.effective_k(k)
    if result.protected:
        if k > result.k:  # its counts are gone: it cannot be protected again for a larger k
            logger.warning("resultaat is beschermd met k=%s, gevraagd k=%s", result.k, k)
        return result, {a.code: a.withheld for a in result.areas if a.withheld}
    last = _LAST
    if last and last[0] is result and last[1] == k:  # a report asks the same several times
        return last[2]
    answer = _protect(result, k)
    _LAST[:] = [result, k, answer]
    return answer


_LAST: list = []  # the last (result, k, answer) of protect_areas: a report table, finding and map


def _protect(result: AreasResult, k: int) -> tuple[AreasResult, dict[str, tuple[MissingGroup, ...]]]:
    status = _cell_status(result, k)
    areas, dropped = [], {}
    for a in result.areas:
        why = status.get(("n", a.code), "")
        shown, hidden = [], []
        for m in a.missing:
            cell = status.get(("g", m.dimension, a.code, m.category), "")
            cell = cell if cell in (privacy.PRIMARY, privacy.SECONDARY) else ""
            if cell or why:
                hidden.append(replace(m, suppressed=cell or privacy.SECONDARY))
            else:
                shown.append(m)
        uncertain = a.uncertain
        if why == privacy.PRIMARY:
            hidden, uncertain = [], ()  # so few people: not even which groups they were not
        if hidden:
            dropped[a.code] = tuple(hidden)
        note = privacy.mask_small_counts(a.note, k)
        if why:
            note = _FALLBACK_COUNT.sub("Respondenten zijn", note)
        areas.append(replace(a, missing=tuple(shown), withheld=tuple(hidden), suppressed=why, uncertain=uncertain,
                             counts={}, note=note, assigned_by={} if why else dict(a.assigned_by)))
    protected = replace(result, areas=tuple(areas), rest_counts={}, protected=True, k=k,
                        notes=tuple(privacy.mask_small_counts(n, k) for n in result.notes))
    return replace(protected, finding=areas_finding(protected)), dropped


def areas_json(result: AreasResult, k: int = DEFAULT_K) -> dict:
    """The `areas` JSON of DESIGN.md (`bereikwijzer areas --json`), protected: a hidden
    count, reach or missed figure is null with `suppressed` "primary" or "secondary"."""
    protected, _ = protect_areas(result, k)
    out = protected.to_dict()
    out["suppressed_mark"] = {"primary": privacy.mark(privacy.PRIMARY, protected.k),
                              "secondary": privacy.mark(privacy.SECONDARY, protected.k)}
    return out


def report_table(result: AreasResult, k: int = DEFAULT_K) -> pd.DataFrame:
    """areas_table as a report shows it (the same protected table as the dashboard)."""
    return areas_table(result, k)


def report_finding(result: AreasResult, k: int = DEFAULT_K) -> tuple[str, ...]:
    """The finding (engagement.areas.areas_finding) as a report says it: from the protected
    result (`protect_areas`), age bands named from the minimum age. It names no buurt's
    count: only missed residents (estimates), buurten where nobody was heard, and the
    respondents without a buurt, which like the coverage table's 'Onbekend' describe no
    group of residents and stay a number."""
    from engagement.vocabulary import age_words

    protected, _ = protect_areas(result, k)
    return tuple(age_words(line, result.min_age) for line in protected.finding)


def group_table(result: AreasResult, dimension: str, category: str,
                k: int = DEFAULT_K) -> pd.DataFrame:
    """Per buurt the missed residents of one group, most first (protected: buurten with
    fewer than k respondents, and figures that are hidden, are left out)."""
    result, _ = protect_areas(result, k)
    small = {a.code for a in result.areas if _hidden(a.respondents, result.k) or a.suppressed}
    where = where_missed(result, dimension, category)
    where = where[~where["code"].isin(small)]
    return pd.DataFrame({"Buurt": where["name"], "Code": where["code"],
                         "Gemiste inwoners (geschat)": [int(rounded(v)) for v in where["residents"]]}
                        ).reset_index(drop=True)


def _values(result: AreasResult, group: tuple[str, str] | None, k: int,
            hidden: Collection[str] = ()) -> tuple[dict[str, float], dict[str, str]]:
    """Value per buurt code (absent: drawn grey) and the hover line of every buurt, from a
    protected result: a hidden buurt (or one in `hidden`) shows neither its count nor its
    reach, a hidden missed figure is not drawn."""
    values: dict[str, float] = {}
    hover: dict[str, str] = {}
    hidden = set(hidden) | {a.code for a in result.areas if a.suppressed}
    for a in result.areas:
        count = f"minder dan {k} respondenten" if _hidden(a.respondents, k) or a.suppressed == privacy.PRIMARY \
            else "aantal respondenten verborgen" if a.code in hidden else f"{a.respondents} respondenten"
        head = f"<b>{_text(a.name)}</b> ({_text(a.code)})<br>{count}"
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
        if a.respondents == 0 and a.code not in hidden:
            hover[a.code] = f"{head}<br>{LABEL_UNREACHED}"
        elif _hidden(a.respondents, k) or a.suppressed == privacy.PRIMARY:
            hover[a.code] = f"{head}<br>minder dan {k} respondenten: groep niet getoond"
        elif any((m.dimension, m.category) == tuple(group) for m in a.withheld):
            hover[a.code] = f"{head}<br>gemist: aantal niet getoond"
        elif a.code in hidden:
            hover[a.code] = f"{head}<br>groep niet getoond"
        else:
            missed = next((m.residents for m in a.missing
                           if (m.dimension, m.category) == tuple(group)), 0.0)
            values[a.code] = float(missed)
            # whole persons for now: tests/test_report_html.py (not ours) holds '275'; table '~280'
            hover[a.code] = f"{head}<br>ongeveer {about(missed)} gemist"  # as the table's "~"
    return values, hover


def _title(result: AreasResult, group: tuple[str, str] | None, k: int) -> str:
    if group is None:
        reached = [a for a in result.areas if a.per_100 is not None and not a.suppressed]
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

    result, _ = protect_areas(result, k)
    k = result.k
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
    file; the report then shows report_table and group_table instead), protected
    (`protect_areas`, as the dashboard's map): a buurt whose count is hidden is grey, its
    hover without the count, and no hidden missed figure is drawn."""
    if geometry is None:
        return []
    result, _ = protect_areas(result, k)
    figures = [areas_map(result, geometry, None, result.k)]
    options = group_options(result, result.k)
    if options:
        figures.append(areas_map(result, geometry, options[0][:2], result.k))
    return figures
