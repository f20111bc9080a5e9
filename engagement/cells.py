"""Two-way cells (age × gender, age × household) from two CBS marginals.

Without a table of the combinations the cells are an estimate under independence and are
marked so (`basis`, `CellsResult.independence`); they are never flagged on their own.

CBS publishes each dimension on its own, never the cross-table, so the population per
cell is estimated by iterative proportional fitting: start from a seed (independence,
or a table the team has, e.g. municipal figures) and scale rows and columns in turn
until both marginals match. Only cells where we expect at least 5 respondents are
shown; the others are marked, because a ratio on 2 expected people means nothing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from engagement.coverage import eligible_respondents
from engagement.harmonise import membership
from engagement.model import CELL_COLUMNS, Cell, CellsResult
from engagement.vocabulary import MIN_EXPECTED, OVER, STATUS_LABELS, UNDER, ratio_flags
from reference.model import BuurtReference
from surveys.categories import DIMENSION_LABELS, label


def label_of(dimension: str) -> str:
    return DIMENSION_LABELS.get(dimension, dimension).lower()


def ipf(seed: np.ndarray, row_totals: np.ndarray, col_totals: np.ndarray, *,
        max_iter: int = 1000, tol: float = 1e-10) -> np.ndarray:
    """Scale `seed` until its row and column sums match the totals.

    Column totals are first rescaled to the row grand total: CBS counts are rounded
    per dimension, and household counts are not persons, so only the shares are used.
    """
    rows = np.asarray(row_totals, dtype=float)
    cols = np.asarray(col_totals, dtype=float)
    cols = cols * rows.sum() / cols.sum()
    table = np.asarray(seed, dtype=float).copy()
    for _ in range(max_iter):
        row_sums = table.sum(axis=1)
        table *= np.divide(rows, row_sums, out=np.zeros_like(rows), where=row_sums > 0)[:, None]
        col_sums = table.sum(axis=0)
        table *= np.divide(cols, col_sums, out=np.zeros_like(cols), where=col_sums > 0)[None, :]
        if np.max(np.abs(table.sum(axis=1) - rows)) < tol * max(rows.sum(), 1.0):
            break
    return table


COLUMNS = CELL_COLUMNS
INDEPENDENCE = "schatting bij onafhankelijkheid"
SEEDED = "tabel met de combinaties"
INDEPENDENCE_NOTE = "schatting: CBS geeft alleen de losse kenmerken"
INDEPENDENCE_WARNING = (
    "CBS geeft {rows} en {cols} alleen los. Het aantal inwoners per combinatie is geschat "
    "alsof beide kenmerken los van elkaar staan (dan is bijvoorbeeld het aandeel 65-plussers "
    "in gezinnen met kinderen even groot als in de hele buurt). Gebruik deze cellen als "
    "aanwijzing, niet als oordeel; met een tabel van de gemeente worden ze echt.")


def _marginal(reference: BuurtReference, dimension: str) -> dict[str, float]:
    return {c: float(v) for c, v in reference.dimensions.get(dimension, {}).items()
            if v is not None and np.isfinite(v) and v > 0}


def two_way_cells(respondents: pd.DataFrame, reference: BuurtReference, rows: str, cols: str, *,
                  seed: pd.DataFrame | None = None, min_expected: float = MIN_EXPECTED,
                  under: float = UNDER, over: float = OVER) -> pd.DataFrame:
    """`cells_result(...).to_frame()`: the table only, for callers that want a frame
    (independence, respondents and warnings are fields of the typed result)."""
    return cells_result(respondents, reference, rows, cols, seed=seed, min_expected=min_expected,
                        under=under, over=over).to_frame()


def cells_result(respondents: pd.DataFrame, reference: BuurtReference, rows: str, cols: str, *,
                 seed: pd.DataFrame | None = None, min_expected: float = MIN_EXPECTED,
                 under: float = UNDER, over: float = OVER) -> CellsResult:
    """Population, respondents, expected count and ratio per cell of `rows` × `cols`.

    One Cell per combination; `shown` is False where fewer than `min_expected` respondents
    are expected, and `note` then says "te weinig gegevens". Respondents count only when
    both their values are known; split age bands count fractionally. A dimension the
    reference lacks gives no cells and a Dutch note in `warnings`.
    Without a `seed` (a table with the joint distribution, e.g. from the gemeente) the
    population per cell is the independence table: `basis` says so, `flag` stays empty
    (never flag on such a cell alone) and `warnings` explains it in Dutch. With a seed,
    shown cells get a flag like the coverage table.
    """
    respondents, _ = eligible_respondents(respondents, reference.min_age)
    row_pop, col_pop = _marginal(reference, rows), _marginal(reference, cols)
    missing = [label_of(d) for d, pop in ((rows, row_pop), (cols, col_pop)) if not pop]
    if missing:
        return CellsResult(rows, cols, warnings=(f"De buurtcijfers hebben geen {' en '.join(missing)}, "
                                                 "dus deze combinaties kunnen we niet schatten.",))
    row_cats, col_cats = list(row_pop), list(col_pop)
    start = np.ones((len(row_cats), len(col_cats)))
    if seed is not None:
        start = seed.reindex(index=row_cats, columns=col_cats).fillna(0.0).to_numpy(dtype=float)
    population = ipf(start, np.array(list(row_pop.values())), np.array(list(col_pop.values())))
    row_frac, _, _ = membership(respondents, rows, min_age=reference.min_age, categories=row_cats)
    col_frac, _, _ = membership(respondents, cols, min_age=reference.min_age, categories=col_cats)
    counts = row_frac.to_numpy().T @ col_frac.to_numpy()
    n = counts.sum()
    shares = population / population.sum() if population.sum() > 0 else population
    expected = n * shares
    ratio = np.divide(counts / n if n > 0 else counts, shares,
                      out=np.full_like(shares, np.nan), where=shares > 0)
    independence = seed is None
    shown = expected >= min_expected
    flags = np.where(shown, ratio_flags(ratio, under=under, over=over), "") if not independence \
        else np.full(shown.shape, "", dtype=object)  # an independence cell is never flagged on its own
    notes = np.where(shown, INDEPENDENCE_NOTE if independence else "", STATUS_LABELS["few"])
    basis = INDEPENDENCE if independence else SEEDED
    cells = tuple(
        Cell(row=r, col=c, row_label=label(r), col_label=label(c), population=float(population[i, j]),
             population_share=float(shares[i, j]), respondents=float(counts[i, j]),
             expected=float(expected[i, j]), ratio=float(ratio[i, j]), shown=bool(shown[i, j]),
             basis=basis, flag=str(flags[i, j]), note=str(notes[i, j]))
        for i, r in enumerate(row_cats) for j, c in enumerate(col_cats))
    warnings = (INDEPENDENCE_WARNING.format(rows=label_of(rows), cols=label_of(cols)),) if independence else ()
    return CellsResult(rows, cols, cells, independence=independence, respondents=float(n), warnings=warnings)
