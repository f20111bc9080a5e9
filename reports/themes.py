"""Small-cell suppression for the themes matrix (engagement.themes counts, this hides).

The same rule as every other export (reports.privacy): a count below k is hidden
("primary"), and where cells add up to a published total, one hidden cell is never left
alone in its total ("secondary"). For the themes matrix the totals are:
- per dimension, the group sizes plus the unknown add up to all respondents;
- per dimension and theme, the groups' "raised" counts plus the unknown add up to the
  theme's overall count, and their "did not raise" counts to the rest;
- per group and theme, "raised" plus "did not raise" is the group size.
"Did not raise" (group size − raised) is a cell of its own: 10 of 12 tenants raising a
theme tells that 2 did not, so it is protected like any other count. A zero is shown
(it identifies nobody), but a finding that rests on a hidden cell is dropped.
"""
from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import Any

import pandas as pd

from engagement.themes import GroupTheme, ThemeMatrix, ThemeQuote, ThemeShare
from engagement.vocabulary import group_label
from reports.privacy import HIDDEN_SHARE, PRIMARY, SECONDARY, effective_k, mark, suppress
from surveys.categories import DIMENSION_LABELS, label

EXTRA_DIMENSIONS = {"channel": "Kanaal", "profile": "Profiel", "area_code": "Buurt"}

UNKNOWN = None   # the category key of "unknown" cells


def protect_theme_matrix(matrix: ThemeMatrix, k: int | None = None, *,
                         complement: bool = True) -> ThemeMatrix:
    """The matrix as it may be shown: hidden counts, shares and intervals set to None and
    `suppressed` ("primary"/"secondary") filled in; silent and only-from findings that
    rest on a hidden cell left out. `complement=False` protects "raised" counts only."""
    if matrix.k is not None:         # already protected: its hidden counts are None, not 0
        return matrix
    k = effective_k(k)
    n = matrix.respondents
    if n < k:                        # fewer than k respondents in all: show no count at all
        return replace(matrix, themes=tuple(_hide_share(t, PRIMARY) for t in matrix.themes),
                       groups=tuple(replace(g, group_respondents=None, respondents=None, share=None,
                                            ci_low=None, ci_high=None, suppressed=PRIMARY)
                                    for g in matrix.groups),
                       silent=(), only_from=(), k=k)
    # 1. Overall: a theme raised (or not raised) by fewer than k respondents is hidden.
    overall_values: dict[Hashable, float] = {}
    for item in matrix.themes:
        overall_values[("yes", item.theme)] = item.respondents or 0
        if complement:
            overall_values[("no", item.theme)] = n - (item.respondents or 0)
    overall_groups = [[("yes", t.theme), ("no", t.theme)] for t in matrix.themes] if complement else []
    overall_status = suppress(overall_values, overall_groups, k)
    themes = []
    for item in matrix.themes:
        why = overall_status.get(("yes", item.theme)) or overall_status.get(("no", item.theme), "")
        themes.append(_hide_share(item, why))

    # 2. Group sizes per dimension (categories plus unknown add up to n).
    dims: dict[str, list[GroupTheme]] = {}
    sizes: dict[tuple[str, str, str | None], float] = {}
    for cell in matrix.groups:
        dims.setdefault(cell.dimension, []).append(cell)
        sizes[("n", cell.dimension, cell.category)] = cell.group_respondents or 0
    for dimension in dims:
        sizes[("n", dimension, UNKNOWN)] = matrix.unknown.get(dimension, 0)
    size_groups = [[key for key in sizes if key[1] == dimension] for dimension in dims]
    size_status = suppress(sizes, size_groups, k)

    # 3. Raised / not raised per group and theme, with the group sizes' status forced.
    values: dict[Hashable, float] = {}
    forced: dict[Hashable, str] = {}
    groups: list[list[Hashable]] = []
    by_dim_theme: dict[tuple[str, str], list[Hashable]] = {}
    by_dim_theme_no: dict[tuple[str, str], list[Hashable]] = {}
    for cell in matrix.groups:
        yes = ("yes", cell.dimension, cell.category, cell.theme)
        no = ("no", cell.dimension, cell.category, cell.theme)
        values[yes] = cell.respondents or 0
        by_dim_theme.setdefault((cell.dimension, cell.theme), []).append(yes)
        if complement:
            values[no] = (cell.group_respondents or 0) - (cell.respondents or 0)
            by_dim_theme_no.setdefault((cell.dimension, cell.theme), []).append(no)
            groups.append([yes, no])
        hidden_size = size_status.get(("n", cell.dimension, cell.category), "")
        if hidden_size:
            forced[yes] = hidden_size
            if complement:
                forced[no] = hidden_size
    for (dimension, theme), cells in by_dim_theme.items():
        unknown_yes = matrix.unknown_raised.get((dimension, theme), 0)
        values[("yes", dimension, UNKNOWN, theme)] = unknown_yes
        groups.append([*cells, ("yes", dimension, UNKNOWN, theme)])
        if complement:
            values[("no", dimension, UNKNOWN, theme)] = matrix.unknown.get(dimension, 0) - unknown_yes
            groups.append([*by_dim_theme_no[(dimension, theme)], ("no", dimension, UNKNOWN, theme)])
    status = suppress(values, groups, k, forced=forced)

    protected_groups = []
    hidden_cells: set[tuple[str, str, str]] = set()
    for cell in matrix.groups:
        size_why = size_status.get(("n", cell.dimension, cell.category), "")
        reasons = {status.get((part, cell.dimension, cell.category, cell.theme), "") for part in ("yes", "no")}
        why = size_why or (PRIMARY if PRIMARY in reasons else SECONDARY if SECONDARY in reasons else "")
        if why:
            hidden_cells.add((cell.dimension, cell.category, cell.theme))
        protected_groups.append(replace(
            cell, suppressed=why,
            group_respondents=None if size_why else cell.group_respondents,
            respondents=None if why else cell.respondents,
            share=None if why else cell.share,
            ci_low=None if why else cell.ci_low, ci_high=None if why else cell.ci_high))
    hidden_themes = {t.theme for t in themes if t.suppressed}
    silent = tuple(s for s in matrix.silent
                   if (s.dimension, s.category, s.theme) not in hidden_cells and s.theme not in hidden_themes)
    only = tuple(o for o in matrix.only_from
                 if (o.dimension, o.category, o.theme) not in hidden_cells and o.theme not in hidden_themes)
    return replace(matrix, themes=tuple(themes), groups=tuple(protected_groups), silent=silent,
                   only_from=only, k=k)


def _hide_share(item: ThemeShare, why: str) -> ThemeShare:
    if not why:
        return item
    return replace(item, respondents=None, share=None, ci_low=None, ci_high=None, suppressed=why)


def theme_table(matrix: ThemeMatrix, k: int | None = None, *, min_age: int | None = None) -> pd.DataFrame:
    """The matrix as a Dutch table for the report and the dashboard, protected, with the
    marks "<k" and "x" in hidden counts and HIDDEN_SHARE ('–') in the share and margins
    of a hidden cell ('<10' there reads as "under 10 %"). Shares are fractions (format them as %). With
    `min_age` an age band is named from that age (engagement.vocabulary.group_label)."""
    protected = matrix if matrix.k is not None else protect_theme_matrix(matrix, k)
    k_used = protected.k or effective_k(k)
    rows: list[dict[str, Any]] = []
    for cell in protected.groups:
        hidden = bool(cell.suppressed)
        sign = mark(cell.suppressed, k_used) if hidden else None
        rows.append({
            "Kenmerk": dimension_label(cell.dimension),
            "Groep": group_label(cell.category, min_age, cell.dimension) if cell.dimension == "age"
            else label(cell.category), "Thema": cell.label,
            "Deelnemers in groep": sign if cell.group_respondents is None else cell.group_respondents,
            "Noemden dit thema": sign if hidden else cell.respondents,
            "Aandeel": HIDDEN_SHARE if hidden else cell.share,
            "Ondergrens": HIDDEN_SHARE if hidden else cell.ci_low,
            "Bovengrens": HIDDEN_SHARE if hidden else cell.ci_high})
    return pd.DataFrame(rows, columns=["Kenmerk", "Groep", "Thema", "Deelnemers in groep",
                                       "Noemden dit thema", "Aandeel", "Ondergrens", "Bovengrens"])


def dimension_label(dimension: str) -> str:
    """'age' → 'Leeftijd', 'channel' → 'Kanaal'."""
    return DIMENSION_LABELS.get(dimension) or EXTRA_DIMENSIONS.get(dimension, dimension)


def protect_quotes(quotes: dict[str, tuple[ThemeQuote, ...]], matrix: ThemeMatrix, k: int | None = None
                   ) -> dict[str, tuple[ThemeQuote, ...]]:
    """Quotes only for themes raised by at least k respondents: a quote on a theme two people
    raised points at one of two people, in their own words."""
    protected = matrix if matrix.k is not None else protect_theme_matrix(matrix, k)
    k_used = protected.k or effective_k(k)
    shown = {t.theme for t in protected.themes
             if not t.suppressed and t.respondents is not None and t.respondents >= k_used}
    return {theme: (items if theme in shown else ()) for theme, items in quotes.items()}


def themes_json(matrix: ThemeMatrix, k: int | None = None) -> dict[str, Any]:
    """The `themes` JSON of DESIGN.md (CLI `bereikwijzer themes --json`), protected."""
    protected = matrix if matrix.k is not None else protect_theme_matrix(matrix, k)
    out = protected.to_dict()
    out["suppressed_mark"] = {"primary": mark("primary", protected.k or effective_k(k)),
                              "secondary": mark(SECONDARY, protected.k or effective_k(k))}
    return out
