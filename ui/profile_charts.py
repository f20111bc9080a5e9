"""Tables and charts of the Profielen page: the selection table in Dutch, and profile
coverage: the share of each profile among the people spoken next to its estimated share
in the buurt, with the bracket as an error bar.

A separate module (not ui/charts.py) so the page owns its wording: the title never claims
"spraken we minder" unless the whole bracket says so (profiles.coverage flag "under").
Pure functions of the profiles.coverage.profile_coverage table, no Streamlit.
"""
from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import pandas as pd

from profiles.coverage import FLAG_WORDS
from ui.charts import BLUE, GREY, _frame_digest, _layout, _remembered, chart_text
from ui.widgets import num, pct, plain

if TYPE_CHECKING:  # plotly is imported where a figure is made: the first page uses none
    import plotly.graph_objects as go

WRAP = 28  # characters per line of a profile name on the axis


def wrapped(name: object, width: int = WRAP) -> str:
    """A profile name for a chart axis: escaped (chart_text) and broken over lines, so a
    long name ("Op afstand, vaker eens met ‘…’") is read in full, not cut off."""
    lines = textwrap.wrap(str(name), width=width, break_long_words=True) or [""]
    return "<br>".join(chart_text(line) for line in lines)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def flag_key(row: pd.Series) -> str:
    """The wording key of one row: possibly_under for an uncertain profile whose bracket
    reaches below 0.8, else its flag."""
    maybe = row.get("possibly_under")
    return "possibly_under" if maybe is not None and pd.notna(maybe) and bool(maybe) else str(row["flag"])


def coverage_title(table: pd.DataFrame) -> str:
    """The conclusion the bracket allows: "spraken we minder" only for profiles whose whole
    bracket lies below parity; "misschien" when it only reaches below; else "niet te zeggen"
    unless every profile is within the tolerance."""
    keys = table.apply(flag_key, axis=1) if len(table) else pd.Series(dtype=str)
    under = [str(n) for n, k in zip(table["name"], keys) if k == "under"]
    maybe = [str(n) for n, k in zip(table["name"], keys) if k == "possibly_under"]
    if under:
        return f"Profielen: {_join(under)} spraken we minder dan er in de buurt wonen"
    if maybe:
        return f"Profielen: misschien spraken we {_join(maybe)} te weinig; zeker is dat niet"
    if len(table) and (keys == "ok").all():
        return "Profielen: de gesproken mensen lijken op de buurt"
    return "Profielen: of we elk profiel genoeg spraken, is met deze gegevens niet te zeggen"


def profile_coverage_bars(table: pd.DataFrame) -> go.Figure:
    """Horizontal: the share among the people spoken (bar) and the estimated share in the
    buurt (diamond with its bracket share_low–share_high), one row per profile. Kept per
    content of the table like the figures of ui.charts (a new figure each call)."""
    return _remembered(("profile_coverage", _frame_digest(table)), lambda: _profile_coverage_bars(table))


def _profile_coverage_bars(table: pd.DataFrame) -> go.Figure:
    import plotly.graph_objects as go

    names = [wrapped(n) for n in table["name"]]
    words = [chart_text(FLAG_WORDS.get(flag_key(r), flag_key(r))) for _, r in table.iterrows()]
    fig = go.Figure()
    fig.add_bar(y=names, x=table["respondent_share"] * 100, orientation="h", name="Gesproken",
                marker=dict(color=BLUE, pattern=dict(shape="/", fgcolor="#FFFFFF", fillmode="overlay")),
                hovertemplate="%{y}<br>Gesproken: %{x:.0f}%<extra></extra>")
    estimate = table["population_share_estimate"] * 100
    plus = ((table["share_high"] - table["population_share_estimate"]) * 100).clip(lower=0)
    minus = ((table["population_share_estimate"] - table["share_low"]) * 100).clip(lower=0)
    fig.add_scatter(y=names, x=estimate, mode="markers", name="Geschat in de buurt (met bandbreedte)",
                    marker=dict(color="#222222", symbol="diamond", size=12),
                    error_x=dict(type="data", array=plus.fillna(0), arrayminus=minus.fillna(0),
                                 color="#222222", thickness=2, width=8),
                    customdata=[[w, lo * 100, hi * 100] for w, lo, hi in
                                zip(words, table["share_low"].fillna(0), table["share_high"].fillna(0))],
                    hovertemplate=("%{y}<br>Geschat in de buurt: %{x:.0f}% (tussen %{customdata[1]:.0f}% "
                                   "en %{customdata[2]:.0f}%)<br>%{customdata[0]}<extra></extra>"))
    top = max([*(table["share_high"].fillna(0) * 100), *(table["respondent_share"] * 100), 10.0])
    fig.update_xaxes(range=[0, min(100, top * 1.1)], ticksuffix="%", gridcolor="#EEEEEE",
                     title="Aandeel")
    fig.update_yaxes(autorange="reversed", linecolor=GREY)
    lines = max((n.count("<br>") + 1 for n in names), default=1)
    height = 140 + len(names) * max(60, 22 * lines)
    # the conclusion (coverage_title) goes above the chart as page text, where a long
    # team-typed name wraps; the chart's own title only says what it shows
    return _layout(fig, "Aandeel per profiel: gesproken en geschat in de buurt", height=height)


SELECTION_COLUMNS = {"k": "Aantal groepen", "bic": "BIC", "sabic": "SABIC",
                     "smallest_size": "Kleinste groep (mensen)", "smallest_share": "Kleinste groep (%)",
                     "stability": "Stabiliteit (zwakste groep)", "chosen": "Gekozen", "note": "Toelichting"}


def selection_table(selection: pd.DataFrame) -> pd.DataFrame:
    """The table of every number of groups tried, in Dutch: why this number was chosen."""
    if selection is None or selection.empty or "k" not in selection.columns:
        return pd.DataFrame(columns=list(SELECTION_COLUMNS.values()))
    out = pd.DataFrame(index=selection.index)
    for col, title in SELECTION_COLUMNS.items():
        if col not in selection.columns:
            continue
        values = selection[col]
        if col in ("bic", "sabic"):
            out[title] = [num(v, 0) for v in values]
        elif col == "smallest_size":
            out[title] = [num(v) for v in values]
        elif col == "smallest_share":
            out[title] = [pct(v, 1) for v in values]
        elif col == "stability":
            out[title] = ["" if pd.isna(v) else num(v, 2) for v in values]
        elif col == "chosen":
            out[title] = ["ja" if bool(v) else "" for v in values]
        elif col == "k":
            out[title] = [int(v) for v in values]
        else:
            out[title] = ["" if v is None or pd.isna(v) else str(v) for v in values]
    return out.reset_index(drop=True)


def coverage_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The profile coverage table in Dutch, one row per profile (for the page)."""
    rows = []
    for _, row in table.iterrows():
        key = flag_key(row)
        rows.append({"Profiel": str(row["name"]), "Gesproken": pct(row["respondent_share"]),
                     "Geschat in de buurt": pct(row["population_share_estimate"]),
                     "Bandbreedte": (f"{pct(row['share_low'])} tot {pct(row['share_high'])}"
                                     if pd.notna(row.get("share_low")) else "onbekend"),
                     "Wat betekent dit?": FLAG_WORDS.get(key, key)})
    return pd.DataFrame(rows)


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for st.table, every text cell escaped: st.table renders Markdown in text
    cells, so team-typed text (profile names above all) goes through widgets.plain and
    shows exactly as typed. The index is a fresh RangeIndex, which st.table hides by itself
    (Streamlit 1.67 does), so no pandas Styler is needed: a Styler costs about 40 ms per table
    on every rerun (Streamlit re-sets every column of it), this frame about 1 ms."""
    shown = frame.reset_index(drop=True)
    for col in shown.columns:  # (pandas 3 keeps text as "str", not object: test each cell)
        shown[col] = pd.Series([plain(v) if isinstance(v, str) else v for v in shown[col]],
                               index=shown.index, dtype=object)
    return shown


def as_table(frame: pd.DataFrame):
    """plain_table as a pandas Styler with the index hidden (its `.data` is the escaped
    frame). Slower on every rerun than plain_table, which pages should use instead."""
    return plain_table(frame).style.hide(axis="index")
