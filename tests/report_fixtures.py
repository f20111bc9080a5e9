"""Hand-built result objects for the report and outreach tests.

The coverage, profiles and progress engines are built in parallel, so these tests make
their inputs by hand from counts, using the DESIGN.md definitions. The age dimension is
the DESIGN.md worked example; origin holds a planted group of 3 respondents.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from engagement.areas import AreaReach, AreasResult, MissingGroup
from engagement.cells import INDEPENDENCE_NOTE, SEEDED
from engagement.model import (
    CategoryCoverage,
    Cell,
    CellsResult,
    CoverageResult,
    DimensionCoverage,
    ProgressResult,
    ProgressRow,
)
from profiles.model import ProfileCard, ProfileResult
from reference.geo import BuurtGeometry
from reference.model import BuurtReference
from surveys.categories import label

PLANTED = ("origin", "buiten_europa", 3)

# dimension → [(category, population, respondents)], unknown count
COUNTS: dict[str, tuple[list[tuple[str, float, int]], int]] = {
    "age": ([("15-25", 600, 8), ("25-45", 1300, 38), ("45-65", 1200, 62), ("65+", 900, 52)], 0),
    "gender": ([("man", 2000, 70), ("vrouw", 2000, 90)], 0),
    "household": ([("eenpersoons", 1500, 30), ("paar_zonder_kinderen", 1400, 70),
                   ("met_kinderen", 1100, 55)], 5),
    "tenure": ([("koop", 1600, 90), ("huur_corporatie", 1800, 40), ("huur_overig", 600, 25)], 5),
    "origin": ([("nederland", 2800, 140), ("europa", 500, 14), ("buiten_europa", 700, 3)], 3),
}
WORKED = {"chi2": 25.63, "cv": 0.400, "r": 0.968, "minmax": 0.231}


def _wilson(x: float, n: float, z: float = 1.959964) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def make_dimension(name: str, rows: list[tuple[str, float, int]], unknown: int) -> DimensionCoverage:
    big_n = sum(r[1] for r in rows)
    n = sum(r[2] for r in rows)
    cats, chi2 = [], 0.0
    rates = [r[2] / r[1] for r in rows]
    mean_rate = n / big_n
    for (code, pop, resp) in rows:
        p, s = pop / big_n, resp / n
        ratio = s / p
        low, high = _wilson(resp, n)
        flag = "unreached" if resp == 0 else "under" if ratio < 0.8 else "over" if ratio > 1.25 else "ok"
        expected = p * n
        chi2 += (resp - expected) ** 2 / expected
        cats.append(CategoryCoverage(
            category=code, population=pop, population_share=p, respondents=resp, respondent_share=s,
            ratio=ratio, ci_low=low, ci_high=high, flag=flag, significant=not (low <= p <= high),
            to_reach=max(0, math.ceil(p * n) - resp), expected=expected))
    cv = math.sqrt(sum((r[1] / big_n) * ((r[2] / n) / (r[1] / big_n) - 1) ** 2 for r in rows))
    r_ind = 1 - 2 * math.sqrt(sum((r[1] / big_n) * (rate - mean_rate) ** 2 for r, rate in zip(rows, rates)))
    return DimensionCoverage(dimension=name, categories=tuple(cats), unknown=unknown, chi2=chi2,
                             df=len(rows) - 1, p_value=0.0001 if chi2 > 10 else 0.3, cv=cv,
                             r_indicator=r_ind, min_max_ratio=min(rates) / max(rates))


def make_reference() -> BuurtReference:
    return BuurtReference(
        areas=(("BU0363AF09", "Kolenkitbuurt-Noord"),), year=2024, table="85984NED", population=4600,
        eligible_population=4000, min_age=18,
        dimensions={d: {c: p for c, p, _ in rows} for d, (rows, _) in COUNTS.items()},
        estimated=("age:15-25",), notes=("De buurt is in 2022 opnieuw ingedeeld.",))


def make_coverage(counts: dict | None = None) -> CoverageResult:
    counts = counts or COUNTS
    dims = tuple(make_dimension(d, rows, unknown) for d, (rows, unknown) in counts.items())
    return CoverageResult(respondents=160, dimensions=dims, weighting={"deff": 1.31, "ess": 122.0},
                          warnings=(), reference=make_reference())


def make_respondents(seed: int = 0) -> pd.DataFrame:
    """160 canonical rows whose counts per dimension equal COUNTS (columns shuffled apart)."""
    rng = np.random.default_rng(seed)
    ages = {"15-25": (18, 25), "25-45": (25, 45), "45-65": (45, 65), "65+": (65, 90)}
    age = np.concatenate([rng.integers(*ages[c], size=n) for c, _, n in COUNTS["age"][0]])
    frame = pd.DataFrame({"respondent_id": [f"R{i:03d}" for i in range(160)], "age": age})
    # 65+ mostly on the street, young people only online: gives the channel sentence something to say
    frame["channel"] = np.where(frame["age"] >= 65, "straatgesprek", "online")
    frame.loc[frame.index[40:60], "channel"] = "papier"
    for dim in ("gender", "household", "tenure", "origin"):
        rows, unknown = COUNTS[dim]
        values = [c for c, _, n in rows for _ in range(n)] + [None] * unknown
        frame[dim] = rng.permutation(np.array(values, dtype=object))
    frame["text:opmerking"] = "=HYPERLINK(\"http://evil.example\",\"klik\")"
    return frame


def make_profiles() -> ProfileResult:
    cards = (
        ProfileCard(0, "Meebouwers", "Betrokken en vol vertrouwen.", 70, 70 / 160,
                    ({"item": "Ik doe mee in de buurt", "answer": "eens", "lift": 2.1},)),
        ProfileCard(1, "Kritische betrokkenen", "Betrokken, weinig vertrouwen.", 50, 50 / 160),
        ProfileCard(2, "Vertrouwende toeschouwers", "=cmd|' /C calc'!A0", 36, 36 / 160),
        ProfileCard(3, "Op afstand", "Weinig betrokken, weinig vertrouwen.", 4, 4 / 160),
    )
    ids = np.repeat([0, 1, 2, 3], [70, 50, 36, 4])
    assignments = pd.DataFrame({"respondent_id": [f"R{i:03d}" for i in range(160)], "profile": ids,
                                "probability": 1.0, "name": [cards[i].name for i in ids]})
    return ProfileResult(method="kompas", k=4, items=("item:betrokken", "item:vertrouwen"),
                         assignments=assignments, cards=cards)


def make_progress() -> ProgressResult:
    """Two weeks of progress as engagement.progress.progress_result returns it."""
    rows = []
    for period, fraction in (("2025-03-09", 0.5), ("2025-03-16", 1.0)):
        for dim, (cats, _) in COUNTS.items():
            total = sum(math.floor(n * fraction) for _, _, n in cats)
            big = sum(p for _, p, _ in cats)
            for code, pop, n in cats:
                count = math.floor(n * fraction)
                share = count / total
                ratio = share / (pop / big)
                flag = "under" if ratio < 0.8 else "ok"
                rows.append(ProgressRow(
                    period_end=pd.Timestamp(period), dimension=dim, category=code, n=float(count),
                    known=float(total), share=share, population_share=pop / big, ratio=ratio, flag=flag,
                    label="", to_reach=max(0, math.ceil(pop / big * total) - count),
                    reached=flag == "ok"))
    return ProgressResult(rows=tuple(rows))


def make_cells(basis: str = SEEDED, independence: bool = False) -> CellsResult:
    """age × gender, with one small cell (15-25 × man = 3), as engagement.cells.cells_result
    returns it (`basis` and `independence` as for a seed table unless given)."""
    resp = {("15-25", "man"): 3, ("15-25", "vrouw"): 5, ("25-45", "man"): 16, ("25-45", "vrouw"): 22,
            ("45-65", "man"): 28, ("45-65", "vrouw"): 34, ("65+", "man"): 23, ("65+", "vrouw"): 29}
    pop = {"15-25": 600, "25-45": 1300, "45-65": 1200, "65+": 900}
    note = INDEPENDENCE_NOTE if independence else ""
    cells = []
    for (a, g), n in resp.items():
        population = pop[a] / 2
        expected = population / 4000 * 160
        shown = expected >= 5
        cells.append(Cell(row=a, col=g, row_label=label(a), col_label=label(g), population=population,
                          population_share=population / 4000, respondents=float(n), expected=expected,
                          ratio=n / expected, shown=shown, basis=basis, flag="",
                          note=note if shown else "te weinig gegevens"))
    return CellsResult("age", "gender", tuple(cells), independence=independence, respondents=160.0)


# --------------------------------------------------------------------------- Buurten and Thema's

AREA_CODES = ("BU03630001", "BU03630002", "BU03630003", "BU03630004")


def make_areas() -> AreasResult:
    """Four buurten of a min-age-18 project: one with 120 respondents (young people and
    women missed), one with 37 (young people missed, but only about 1 of them heard: its
    missed figure would give that away), one with 3 (< k: no count, no groups), one
    nobody heard."""
    from engagement.areas import areas_finding

    young = MissingGroup("age", "15-25", residents=275.0, population=500.0, ratio=0.45)
    women = MissingGroup("gender", "vrouw", residents=90.0, population=700.0, ratio=0.87)
    young_b = MissingGroup("age", "15-25", residents=70.0, population=100.0, ratio=0.3)

    def area(i: int, n: int, people: float, missing=()) -> AreaReach:
        return AreaReach(code=AREA_CODES[i], name=f"Buurt {'ABCD'[i]}", eligible_population=people,
                         respondents=n, per_100=100 * n / people, missing=missing)
    result = AreasResult(areas=(area(0, 120, 1400.0, (young, women)), area(1, 37, 900.0, (young_b,)),
                                area(2, 3, 600.0, (women,)), area(3, 0, 1100.0)),
                         min_age=18, unknown=0)
    return AreasResult(**{**result.__dict__, "finding": areas_finding(result)})


def make_geometry() -> BuurtGeometry:
    """Four squares side by side (EPSG:4326), one per buurt of make_areas."""
    features = []
    for i, code in enumerate(AREA_CODES):
        x, y = 4.88 + 0.01 * i, 52.37
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        features.append({"type": "Feature", "id": code, "properties": {"code": code, "name": f"Buurt {'ABCD'[i]}"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return BuurtGeometry({"type": "FeatureCollection", "features": features}, "buurten.geojson",
                         "buurten", "buurtcode")


def make_themes():
    """run_themes on make_respondents with open answers: 65-plussers write about loneliness,
    the young about playing and sport, everyone about traffic; 4 people about litter (< k)."""
    from engagement.themes import run_themes

    frame = make_respondents()
    texts = np.where(frame["age"] >= 65, "Ik voel me vaak eenzaam. Er is te weinig ontmoeting in de buurt.",
                     np.where(frame["age"] < 25, "Meer plekken om te sporten en te spelen voor jongeren.",
                              "Er wordt veel te hard gereden. Het verkeer in de straat is gevaarlijk."))
    texts[[40, 41, 42, 43]] = "Overal ligt zwerfafval en de containers zijn vol."
    frame["text:opmerking"] = texts
    frame["age_band"] = pd.cut(frame["age"], [0, 15, 25, 45, 65, 200], right=False,
                               labels=["0-15", "15-25", "25-45", "45-65", "65+"]).astype(str)
    return run_themes(frame)
