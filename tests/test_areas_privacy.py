"""Small-cell protection of reach per buurt (reports.charts_areas.protect_areas), attacked.

The adversary reads everything one output shows (the `areas --json` of the CLI, which holds
every number the dashboard's table, the map and the report's Buurten part show, and no
more: checked below) plus the totals the same report publishes elsewhere: the number of
respondents, and per dimension each group's respondents (the coverage table, 'Onbekend'
included). Per dimension the respondents form a buurt × group table whose rows add up to
the buurten's counts and whose columns add up to the groups' totals, with the respondents
without a buurt as one more row. A missed-residents figure gives its cell away (the JSON
even names it: `respondents`).

For every count of 1 to k−1 in that table (buurt counts and group cells, shown or not) the
adversary solves two linear programmes: the smallest and the largest value the count can
take given all of the above (non-negative cells, '<k' cells below k). The count is pinned
when both are equal; the protection must never allow that.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from engagement.areas import AreaReach, AreasResult, BuurtData, MissingGroup, compute_areas
from engagement.batch import POPULATION_COLUMNS
from reference.postcodes import KwbPostcodes
from reports.charts_areas import (
    _values,
    areas_json,
    areas_table,
    protect_areas,
    report_table,
)
from reports.privacy import suppress

K = 10
AGE_BANDS = {"15-25": 0.15, "25-45": 0.35, "45-65": 0.3, "65+": 0.2}
GENDER = {"man": 0.5, "vrouw": 0.5}


# ----------------------------------------------------------------------------- adversary

def _truth(result: AreasResult) -> dict:
    """The full tables behind an unprotected result: per buurt its count and per dimension
    its cells; the rest (respondents without a buurt) as one more row."""
    rows = {a.code: a.counts for a in result.areas}
    rows["_rest"] = result.rest_counts
    return {"n": {a.code: a.respondents for a in result.areas},
            "rest": result.unknown + result.outside, "rows": rows}


def _totals(truth: dict) -> dict[tuple[str, str], float]:
    """What the coverage table publishes: each group's respondents, 'onbekend' included."""
    totals: dict[tuple[str, str], float] = {}
    for part in truth["rows"].values():
        for dim, cells in part.items():
            for cat, value in cells.items():
                totals[(dim, cat)] = totals.get((dim, cat), 0.0) + value
    return totals


def _coverage_shown(totals: dict[tuple[str, str], float]) -> dict[tuple[str, str], bool]:
    """Which group totals the report's coverage table shows (reports.report.coverage_table:
    per dimension the groups and the unknown add up to all respondents, the unknown part is
    never hidden for being small but may be the complement)."""
    shown = {}
    for dim in {d for d, _ in totals}:
        values = {c: v for (d, c), v in totals.items() if d == dim and c != "onbekend"}
        unknown = totals.get((dim, "onbekend"), 0.0)
        values["onbekend"] = max(unknown, K) if unknown else 0.0
        status = suppress(values, [list(values)], K)
        shown.update({(dim, c): not why for c, why in status.items()})
    return shown


def _view_from_json(data: dict) -> dict:
    """What the adversary reads in the protected JSON."""
    shown_n, primary_n, cells, primary_cells = {}, set(), {}, set()
    for area in data["areas"]:
        if area["respondents"] is None:
            if area["suppressed"] == "primary":
                primary_n.add(area["code"])
        else:
            shown_n[area["code"]] = area["respondents"]
        for group in area["missing"]:
            key = (group["dimension"], area["code"], group["category"])
            if group["respondents"] is not None:
                cells[key] = group["respondents"]
            elif group["suppressed"] == "primary":
                primary_cells.add(key)
    return {"shown_n": shown_n, "primary_n": primary_n, "cells": cells, "primary_cells": primary_cells,
            "rest": data["unknown"] + data["outside"]}


def _view_primary_only(result: AreasResult) -> dict:
    """A naive protection for contrast: hide every count below k, nothing else."""
    shown_n = {a.code: a.respondents for a in result.areas if not 0 < a.respondents < K}
    cells = {(m.dimension, a.code, m.category): m.respondents for a in result.areas
             if a.code in shown_n for m in a.missing if not 0 < m.respondents < K}
    return {"shown_n": shown_n, "primary_n": {a.code for a in result.areas if a.code not in shown_n},
            "cells": cells, "primary_cells": set(), "rest": result.unknown + result.outside}


def attack(view: dict, truth: dict, totals: dict, *, width: float = 1.0) -> list[tuple[tuple, float, float, float]]:
    """Every small count (0 < v < k) with the range [low, high] a reader can derive; returns
    those pinned (high − low < `width`, 1 by default): (cell, value, low, high)."""
    codes = list(truth["n"])
    rows = [c for c in codes] + (["_rest"] if truth["rest"] > 0 else [])
    dims = sorted({d for d, _ in totals})
    index: dict[tuple, int] = {}

    def var(key: tuple) -> int:
        return index.setdefault(key, len(index))
    for code in codes:
        var(("n", code))
    for dim in dims:
        for row in rows:
            for d, cat in totals:
                if d == dim:
                    var(("g", dim, row, cat))
    for key in [("total",), *(("total", d, c) for d, c in totals)]:
        var(key)  # a total the coverage table hides when small (0 < v < k): only '< k' is known
    size = len(index)
    bounds = [(0.0, None)] * size
    shown = _coverage_shown(totals)
    for key, value in [(("total",), sum(truth["n"].values()) + truth["rest"]),
                       *((("total", d, c), v) for (d, c), v in totals.items())]:
        if 0 < value < K and key[-1] != "onbekend":
            bounds[index[key]] = (1.0, K - 1.0)     # "<10" in the coverage table
        elif key == ("total",) or shown[key[1:]]:
            bounds[index[key]] = (value, value)
        # else: 'x' in the coverage table, unknown
    equal_rows, equal_values = [], []
    equation = _equation(size, equal_rows, equal_values)
    coefficients = {index[("n", c)]: 1.0 for c in codes}
    coefficients[index[("total",)]] = -1.0
    equation(coefficients, -view["rest"])
    for code in codes:
        i = index[("n", code)]
        if code in view["shown_n"]:
            bounds[i] = (view["shown_n"][code],) * 2
        elif code in view["primary_n"]:
            bounds[i] = (1.0, K - 1.0)
    for dim in dims:
        cats = [c for d, c in totals if d == dim]
        for row in rows:
            coefficients = {index[("g", dim, row, c)]: 1.0 for c in cats}
            if row == "_rest":
                equation(coefficients, view["rest"])
            else:
                coefficients[index[("n", row)]] = -1.0
                equation(coefficients, 0.0)
        for cat in cats:
            coefficients = {index[("g", dim, row, cat)]: 1.0 for row in rows}
            coefficients[index[("total", dim, cat)]] = -1.0
            equation(coefficients, 0.0)
    for (dim, code, cat), value in view["cells"].items():
        bounds[index[("g", dim, code, cat)]] = (value, value)
    for (dim, code, cat) in view["primary_cells"]:  # '<10' of whole people: 1 to 9
        bounds[index[("g", dim, code, cat)]] = (1.0, K - 1.0)
    a_eq, b_eq = np.array(equal_rows), np.array(equal_values)

    def truth_of(key: tuple) -> float:
        if key[0] == "total":
            return 0.0  # the coverage table's own cells: not this output's to protect
        if key[0] == "n":
            return float(truth["n"][key[1]])
        return float(truth["rows"][key[2]].get(key[1], {}).get(key[3], 0.0))
    pinned = []
    for key, i in index.items():
        value = truth_of(key)
        if not 0 < value < K or key[-1] == "onbekend":  # unknown: no group (the coverage table shows it)
            continue
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(size)
            c[i] = sign
            solved = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            assert solved.status == 0, (key, solved.message)  # the truth is always feasible
            ends.append(sign * solved.fun)
        low, high = ends
        assert low - 1e-6 <= value <= high + 1e-6, key
        if high - low < width - 1e-6:
            pinned.append((key, value, low, high))
    return pinned


def _equation(size: int, rows: list, values: list):
    def add(coefficients: dict[int, float], value: float) -> None:
        line = np.zeros(size)
        for i, c in coefficients.items():
            line[i] += c
        rows.append(line)
        values.append(value)
    return add


# ------------------------------------------------------------------------------ scenarios

def _buurten(sizes: list[float]) -> BuurtData:
    codes = [f"BU9999{i:04d}" for i in range(len(sizes))]
    rows = []
    for code, people in zip(codes, sizes):
        for dim, shares in (("age", AGE_BANDS), ("gender", GENDER)):
            for category, share in shares.items():
                rows.append({"area_code": code, "area_name": f"Buurt {code[-2:]}", "dimension": dim,
                             "category": category, "population": people * share, "estimated": False,
                             "persons": np.nan, "eligible_population": people, "margin": 0.0})
    population = pd.DataFrame(rows, columns=POPULATION_COLUMNS)
    frame = pd.DataFrame({"code": codes, "name": [f"Buurt {c[-2:]}" for c in codes]})
    return BuurtData(rows=frame, population=population, postcodes=KwbPostcodes({}), min_age=18)


def _respondents(rng: np.random.Generator, data: BuurtData, counts: list[int], rest: int) -> pd.DataFrame:
    """Respondents per buurt (and `rest` without one), young people and men under-represented
    in some buurten so that missed groups appear with small counts."""
    frames = []
    codes = list(data.rows["code"]) + [None]
    for code, n in zip(codes, [*counts, rest]):
        young = rng.uniform(0.0, 0.25)
        men = rng.uniform(0.1, 0.6)
        ages = np.where(rng.random(n) < young, rng.integers(18, 25, n), rng.integers(25, 90, n))
        gender = np.where(rng.random(n) < men, "man", "vrouw").astype(object)
        gender[rng.random(n) < 0.05] = None  # a few say nothing
        frames.append(pd.DataFrame({"area_code": code, "age": ages.astype(float), "gender": gender}))
    frame = pd.concat(frames, ignore_index=True)
    frame["respondent_id"] = range(len(frame))
    return frame


def _scenario(seed: int) -> AreasResult:
    rng = np.random.default_rng(seed)
    buurten = int(rng.integers(3, 8))
    sizes = [float(rng.integers(300, 3000)) for _ in range(buurten)]
    counts = [int(rng.choice([0, rng.integers(1, 10), rng.integers(10, 25), rng.integers(25, 120)]))
              for _ in range(buurten)]
    data = _buurten(sizes)
    return compute_areas(_respondents(rng, data, counts, int(rng.choice([0, 0, 4, 15]))), data)


def _one_small_buurt_and_a_published_rest() -> AreasResult:
    """120, 3 and 0 respondents and 12 without a buurt: before, the 12 (published anyway)
    was chosen to hide with the 3, so 3 = total − 120 − 12."""
    data = _buurten([1400.0, 600.0, 1100.0])
    rng = np.random.default_rng(7)
    return compute_areas(_respondents(rng, data, [120, 3, 0], 12), data)


def _check(result: AreasResult) -> list:
    truth = _truth(result)
    view = _view_from_json(json.loads(json.dumps(areas_json(result, K))))
    return attack(view, truth, _totals(truth))


def test_the_adversary_finds_the_leaks_of_primary_suppression_alone() -> None:
    result = _one_small_buurt_and_a_published_rest()
    truth = _truth(result)
    pinned = attack(_view_primary_only(result), truth, _totals(truth))
    assert (("n", "BU99990001"), 3.0, 3.0, 3.0) in pinned  # the buurt of 3, by subtraction
    result = _three_men_across_buurten()
    truth = _truth(result)
    pinned = attack(_view_primary_only(result), truth, _totals(truth))
    assert (("g", "gender", "A", "man"), 3.0, 3.0, 3.0) in pinned  # 15 men in all, 12 shown in B


def _three_men_across_buurten() -> AreasResult:
    """Men are missed in A (3 of 40) and in B (12 of 60); 15 men took part in all (the
    coverage table says so). B's figure gives A's 3 back: 15 − 12."""
    def area(code: str, men: int, women: int) -> AreaReach:
        n = men + women
        return AreaReach(code=code, name=code, eligible_population=1000.0, respondents=n,
                         per_100=n / 10.0, counts={"gender": {"man": float(men), "vrouw": float(women),
                                                              "onbekend": 0.0}},
                         missing=(MissingGroup("gender", "man", residents=500.0 * (1 - 2 * men / n),
                                               population=500.0, ratio=2 * men / n,
                                               respondents=float(men)),))
    return AreasResult(areas=(area("A", 3, 37), area("B", 12, 48)))


def test_a_small_group_is_not_given_away_by_the_other_buurten_of_its_column() -> None:
    result = _three_men_across_buurten()
    protected, dropped = protect_areas(result, K)
    assert [m.suppressed for m in dropped["A"]] == ["primary"]
    assert [m.suppressed for m in dropped["B"]] == ["secondary"]  # B's 12 men hidden too
    assert {a.code: a.suppressed for a in protected.areas} == {"A": "", "B": ""}  # counts stay
    assert "mannen (aantal niet getoond)" in areas_table(result, K).set_index("Code").at[
        "B", "Gemiste groepen (geschat aantal inwoners)"].lower() or \
        "(aantal niet getoond)" in areas_table(result, K).set_index("Code").at[
            "B", "Gemiste groepen (geschat aantal inwoners)"]
    assert _check(result) == []


def test_the_published_rest_is_never_the_complement() -> None:
    result = _one_small_buurt_and_a_published_rest()
    protected, _ = protect_areas(result, K)
    status = {a.code: a.suppressed for a in protected.areas}
    assert status["BU99990001"] == "primary" and status["BU99990000"] == "secondary"
    assert _check(result) == []


@pytest.mark.parametrize("seed", range(40))
def test_no_small_count_can_be_pinned_from_what_the_json_shows(seed: int) -> None:
    assert _check(_scenario(seed)) == []


def test_scenarios_have_something_to_protect() -> None:
    """The random scenarios are not trivially safe: most hide a buurt and a group figure,
    and most have a small count that only a complement protects."""
    hidden_buurt = hidden_group = secondary = 0
    for seed in range(40):
        protected, _ = protect_areas(_scenario(seed), K)
        hidden_buurt += any(a.suppressed == "primary" for a in protected.areas)
        hidden_group += any(m.suppressed == "primary" for a in protected.areas for m in a.withheld)
        secondary += any(a.suppressed == "secondary" for a in protected.areas) or \
            any(m.suppressed == "secondary" for a in protected.areas for m in a.withheld)
    assert hidden_buurt >= 15 and hidden_group >= 10 and secondary >= 15


# ------------------------------------------------ every output shows no more than the JSON

def _hidden_numbers(result: AreasResult) -> dict[str, tuple[int, float | None]]:
    protected, _ = protect_areas(result, K)
    return {a.code: (a.respondents, a.per_100) for a in protected.areas if a.suppressed}


@pytest.mark.parametrize("seed", [1, 2, 5, 11])
def test_table_and_report_show_marks_where_the_json_is_null(seed: int) -> None:
    result = _scenario(seed)
    data = areas_json(result, K)
    hidden = {a["code"]: a["suppressed"] for a in data["areas"] if a["respondents"] is None}
    for table in (areas_table(result, K), report_table(result, K)):
        rows = table.set_index("Code")
        for code, why in hidden.items():
            mark = "<10" if why == "primary" else "x"
            assert rows.at[code, "Respondenten"] == mark and rows.at[code, "Per 100 inwoners"] == mark
        shown = [c for c in table["Code"] if c not in hidden]
        assert list(table["Code"])[:len(shown)] == shown  # hidden buurten after the shown ones
        for code, area in ((a["code"], a) for a in data["areas"]):
            text = rows.at[code, "Gemiste groepen (geschat aantal inwoners)"]
            for group in area["missing"]:
                if group["residents"] is None:
                    assert "(~" not in text or area["respondents"] is not None, text


@pytest.mark.parametrize("seed", [1, 2, 5, 11])
def test_map_tooltips_give_no_hidden_count_or_reach(seed: int) -> None:
    result = _scenario(seed)
    protected, _ = protect_areas(result, K)
    hidden = _hidden_numbers(result)
    groups = {(m.dimension, m.category) for a in result.areas for m in a.missing}
    for group in [None, *groups]:
        values, hover = _values(protected, group, K)
        for code, (count, _) in hidden.items():
            assert code not in values  # grey, not coloured by its reach or missed figure
            assert f"<br>{count} respondenten" not in hover[code]
            assert "per 100" not in hover[code]
        for a in protected.areas:
            for m in a.withheld:
                if group == (m.dimension, m.category):
                    assert a.code not in values and "ongeveer" not in hover[a.code]


def test_protection_is_idempotent_and_survives_a_round_trip() -> None:
    result = _scenario(3)
    once, _ = protect_areas(result, K)
    assert protect_areas(once, K)[0] is once
    again = AreasResult.from_dict(json.loads(json.dumps(once.to_dict())))
    assert areas_json(again, K)["areas"] == areas_json(result, K)["areas"]
    # an unprotected result that went through JSON (the dashboard's session) keeps its counts
    raw = AreasResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert areas_json(raw, K)["areas"] == areas_json(result, K)["areas"]


def test_a_hidden_buurt_says_no_count_in_its_note() -> None:
    area = AreaReach(code="BU1", name="Een", eligible_population=500.0, respondents=12, per_100=2.4,
                     note="12 respondenten zijn via postcode 9711 aan Een gekoppeld: volgens CBS …",
                     counts={"gender": {"man": 12.0, "vrouw": 0.0}})
    small = AreaReach(code="BU2", name="Twee", eligible_population=500.0, respondents=3, per_100=0.6,
                      counts={"gender": {"man": 3.0, "vrouw": 0.0}},
                      missing=(MissingGroup("gender", "vrouw", 250.0, 250.0, 0.0, respondents=0.0),))
    result = AreasResult(areas=(area, small))
    protected, _ = protect_areas(result, K)
    first = protected.area("BU1")
    assert first.suppressed == "secondary" and "12" not in first.note
    assert protected.area("BU2").missing == () and protected.area("BU2").withheld == ()


def test_a_real_wijk_with_every_dimension(cbs_dir) -> None:
    """The eight buurten of WK001400 from the shared KWB file (age, gender, household,
    origin, tenure, income), uneven respondents per buurt and some without a buurt."""
    from engagement.areas import load_buurten

    name = "kwb2024_85984NED_odata_first10000rows.csv"
    data = load_buurten((cbs_dir / name).read_bytes(), name, ["WK001400"])
    rng = np.random.default_rng(3)
    per_buurt = [40, 3, 12, 0, 25, 7, 0, 60]
    rows = []
    for code, n in zip([*data.rows["code"], None], [*per_buurt, 10]):
        for _ in range(n):
            rows.append({"area_code": code, "age": float(rng.integers(18, 90)),
                         "gender": rng.choice(["man", "vrouw", None], p=[0.35, 0.6, 0.05]),
                         "household": rng.choice(["eenpersoons", "paar_zonder_kinderen", "met_kinderen", None]),
                         "tenure": rng.choice(["koop", "huur_corporatie", "huur_overig", None]),
                         "origin": rng.choice(["nederland", "europa", "buiten_europa"], p=[0.8, 0.1, 0.1])})
    frame = pd.DataFrame(rows)
    frame["respondent_id"] = range(len(frame))
    result = compute_areas(frame, data)
    protected, _ = protect_areas(result, K)
    assert any(a.suppressed == "primary" for a in protected.areas)
    assert _check(result) == []


def test_the_dashboard_gets_the_protected_result() -> None:
    """ui.areas_cache.areas (the Buurten page's finding, table and map, and what it hands to
    the Rapport page) returns the protected result."""
    from ui.areas_cache import areas

    data = _buurten([1400.0, 600.0, 1100.0])
    respondents = _respondents(np.random.default_rng(7), data, [120, 3, 0], 12)
    shown = areas(respondents, data)
    assert shown.protected and shown.to_dict()["areas"] == areas_json(compute_areas(respondents, data), K)["areas"]
    assert {a.code: a.suppressed for a in shown.areas}["BU99990001"] == "primary"
    assert all(not a.counts for a in shown.areas) and not shown.rest_counts


def test_a_zero_hidden_as_complement_is_not_named_as_silent() -> None:
    """3, 0 and 0 respondents and 12 without a buurt (published): the only other cells are
    zeros, so one zero is hidden with the 3; the finding must not then say nobody was heard
    there."""
    data = _buurten([1400.0, 600.0, 1100.0])
    result = compute_areas(_respondents(np.random.default_rng(2), data, [3, 0, 0], 12), data)
    protected, _ = protect_areas(result, K)
    status = {a.code: a.suppressed for a in protected.areas}
    assert status["BU99990000"] == "primary" and sorted(status.values()) == ["", "primary", "secondary"]
    zero = next(a for a in protected.areas if a.suppressed == "secondary")
    assert not any(zero.name in line for line in protected.finding)
    assert areas_table(result, K).set_index("Code").at[zero.code, "Respondenten"] == "x"
    assert _check(result) == []


def test_the_dashboard_table_sends_marks_and_counts_as_text() -> None:
    """A column of numbers and marks cannot go to the browser as numbers (Arrow refuses
    'x' in an int column); the Buurten page shows them as Dutch text, marks unchanged."""
    import pyarrow as pa

    from ui.areas_parts import shown_table

    data = _buurten([1400.0, 600.0, 1100.0])
    result = compute_areas(_respondents(np.random.default_rng(7), data, [120, 3, 0], 12), data)
    table = shown_table(result).set_index("Code")
    assert table.at["BU99990001", "Respondenten"] == "<10"
    assert table.at["BU99990000", "Respondenten"] == "x"
    pa.Table.from_pandas(table.reset_index())  # no ArrowInvalid


def test_the_largest_buurt_stays_shown_when_a_smaller_count_can_serve() -> None:
    """Re-walk #9: the complement of a '<10' buurt is the smallest other count that does
    the job (statistical offices' least-information rule), never the team's big buurt
    when a smaller buurt can serve; a zero is no complement there (it would only say the
    small count is at most itself)."""
    data = _buurten([1400.0, 600.0, 1100.0, 900.0])
    result = compute_areas(_respondents(np.random.default_rng(3), data, [300, 3, 20, 0], 0), data)
    status = {a.code: a.suppressed for a in protect_areas(result, K)[0].areas}
    assert status == {"BU99990000": "", "BU99990001": "primary", "BU99990002": "secondary",
                      "BU99990003": ""}
    assert _check(result) == []
    # the walk's case: 376, 2 and 0, nobody without a buurt: the big buurt is the only
    # count that can serve; the page says why and how to see it
    from ui.areas_parts import hidden_hint

    data = _buurten([1967.0, 1540.0, 4043.0])
    result = compute_areas(_respondents(np.random.default_rng(3), data, [376, 2, 0], 0), data)
    protected = protect_areas(result, K)[0]
    assert [a.suppressed for a in protected.areas] == ["secondary", "primary", ""]
    assert _check(result) == []
    hint = hidden_hint(protected)
    assert hint.startswith("Van Buurt 00 tonen we het aantal respondenten niet")
    assert "Laat Buurt 01 weg" in hint and "376" not in hint
    assert hidden_hint(protect_areas(compute_areas(
        _respondents(np.random.default_rng(3), data, [376, 20, 0], 0), data), K)[0]) == ""
