"""How far each reference share may be off (BuurtReference.margins), from named sources.

A margin is ± persons per group on the scale of the reference's own counts: coverage
widens the share N_k/N to [(N_k − u_k)/N, (N_k + u_k)/N] (engagement.stats.reference_range),
so a margin moves persons between the group and the rest of its dimension. Each source
below is turned into such a ± bound to first order, with two building blocks:

- a count that is off by e (the group's own count, the dimension's total with it):
  the group's share moves by ((1 − p)·e)/N, every other group's by (p_k·e)/N;
- v persons that may belong to one group or another (the total stays): both move by v/N.

The sources (each stated in Dutch by `margin_assumptions`):

1. CBS rounding. Buurt counts are rounded at random to a multiple of 5 ("aselect
   afgerond", CBS toelichting KWB): a published count is off by at most 4 persons, with a
   standard deviation of at most 2.5. For m summed areas: min(4m, 2 × 2.5 × √m).
2. The age split. Cutting a band at min_age keeps the share f of its B persons under
   uniform years; which single years the buurt really has is a binomial draw, so the
   kept count is off by ± 2 sd = 2·√(B·f·(1 − f)). The same persons are missing from or
   added to the under-min_age (the children of the household dimension).
3. Household persons. A household without children counts as 2 persons; it may hold up
   to 2.3 on average (students or relatives sharing): up to 0.3 persons per household
   belong to 'zonder kinderen' instead of 'met kinderen'. That source is one-sided (a
   household has at least 2 persons): 'zonder kinderen' can only be larger, 'met
   kinderen' only smaller, so it gives a half-width of 0.15 per household and moves the
   range's centre by as much (`household_shifts`, BuurtReference.margin_shift). Up to 3 % of the young do not
   live in a household with children (an institution, relatives, a room of their own), so
   the household types hold up to that many persons more or fewer (living alone: only
   the young of 15 and older, the band cut at min_age).
4. The young's split. Gender is published for all ages; the reference assumes the young
   have the all-ages share t. The share of boys among the young is 49–53 %, and the
   buurt's own young are a binomial draw around it (± 2 sd); the adults' share of men is
   t + (t − b)·young/adults. Origin and tenure keep their rule: the young hold between
   none and twice the group's share (δ = min(t, 1 − t)), plus rounding; tenure adds half
   a percentage point for its rounded percentages.

A margin u_k with a shift c_k (persons; 0 unless a source is one-sided) gives the range
[(N_k + c_k − u_k)/N, (N_k + c_k + u_k)/N]; the point N_k/N stays where the rules put it.

Combination: interval arithmetic: the bounds of the sources add up (all err the same
way). Conservative, and simple to state; quadrature would treat the ranges of sources 3
and 4 (assumptions, not random errors) as standard deviations, which they are not.
Income has no margin. Every function takes numbers or numpy arrays (one value per area,
as engagement.batch passes them).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from surveys.categories import AGE_BANDS

ROUNDING_BOUND = 4.0        # random rounding to a multiple of 5: off by at most 4
ROUNDING_SD = 2.5           # ... its sd is √(d(5 − d)) for a remainder d: at most 2.5
SPREAD_SD = 2.0             # binomial draws: ± 2 standard deviations
PERCENT_ROUNDING = 0.5      # a tenure percentage rounded to a whole percent
PERSONS_WITHOUT_CHILDREN = 2.0       # a household without children is (mostly) a couple
PERSONS_WITHOUT_CHILDREN_HIGH = 2.3  # ... students or relatives sharing: up to 2.3 on average
YOUNG_ELSEWHERE = 0.03      # share of the young that may live outside a household with children
BOYS_LOW, BOYS_HIGH = 0.49, 0.53     # boys among the young (about 51 % at birth)
# KWB gives these for all ages only (the young's share is unknown; rule 4)
AGE_DEPENDENT = ("origin", "origin_old", "tenure")

Number = Any  # a float or a numpy array (one value per area)


def rounding(areas: int) -> float:
    """± persons of one published count summed over `areas` areas (source 1)."""
    m = max(1, int(areas))
    return float(min(ROUNDING_BOUND * m, 2 * ROUNDING_SD * np.sqrt(m)))


def _arr(value: Number) -> np.ndarray:
    return np.nan_to_num(np.asarray(value, dtype=float))


def _share(count: Number, total: Number) -> np.ndarray:
    count, total = _arr(count), _arr(total)
    return np.divide(count, total, out=np.zeros(np.broadcast(count, total).shape), where=total > 0)


def count_errors(counts: Mapping[str, Number], errors: Mapping[str, Number]) -> dict[str, np.ndarray]:
    """± persons per group when each group's count is off by errors[k] independently and
    the total is their sum: u_k = (1 − p_k)·e_k + p_k·Σ_{j≠k} e_j (interval arithmetic)."""
    total = sum(_arr(v) for v in counts.values())
    all_errors = sum(_arr(errors.get(k, 0.0)) for k in counts)
    out = {}
    for k, v in counts.items():
        p, e = _share(v, total), _arr(errors.get(k, 0.0))
        out[k] = (1 - p) * e + p * (all_errors - e)
    return out


def split_spread(kept: Number, cut: Number) -> np.ndarray:
    """± 2 sd of the persons kept of a band cut at min_age (source 2): the band has
    B = kept + cut persons, f = kept/B of them in the kept years; Var = B·f·(1 − f) = kept·cut/B."""
    kept, cut = _arr(kept), _arr(cut)
    band = kept + cut
    var = np.divide(kept * cut, band, out=np.zeros(np.broadcast(kept, cut).shape), where=band > 0)
    return SPREAD_SD * np.sqrt(np.maximum(var, 0.0))


def age_margins(kept: Mapping[str, Number], cut: Mapping[str, Number], base: float) -> dict:
    """Age bands of the eligible: each band's count is off by the rounding of its kept
    part (base × f) plus, for the band cut at min_age, the binomial spread of the split."""
    errors = {}
    for band, k in kept.items():
        c = _arr(cut.get(band, 0.0))
        k = _arr(k)
        f = np.divide(k, k + c, out=np.ones(np.broadcast(k, c).shape), where=(k + c) > 0)
        errors[band] = base * f + split_spread(k, c)
    return count_errors(kept, errors)


def children_error(kept: Mapping[str, Number], cut: Mapping[str, Number], young: Number,
                   base: float) -> np.ndarray:
    """± persons of the young (under min_age) from the age bands: the rounding of every band
    that lies wholly below min_age, of the cut part of a straddling band, and its split."""
    young = _arr(young)
    below = [b for b in AGE_BANDS if b not in kept]
    error = base * len(below) + sum((base * _share(_arr(cut.get(b, 0.0)), _arr(k) + _arr(cut.get(b, 0.0)))
                                     + split_spread(k, cut.get(b, 0.0))) for b, k in kept.items())
    return np.where(young > 0, error, 0.0)


def gender_margins(counts: Mapping[str, Number], adults: Number, young: Number, base: float) -> dict:
    """Gender of the eligible (source 1 and 4): the all-ages counts are rounded, and the
    young's share of boys b lies in [BOYS_LOW, BOYS_HIGH] ± 2 sd of their binomial draw;
    the reference takes b = t (the all-ages share), off by max |t − b| × young/adults."""
    total = sum(_arr(v) for v in counts.values())
    adults, young = _arr(adults), _arr(young)
    adults = np.where(adults > 0, adults, total)
    scale = _share(total, adults)  # reference persons per eligible person
    sd = np.sqrt(np.divide(0.25, young, out=np.zeros_like(young), where=young > 0))
    low, high = BOYS_LOW - SPREAD_SD * sd, BOYS_HIGH + SPREAD_SD * sd
    young_share = {"man": (low, high), "vrouw": (1 - high, 1 - low)}
    out = {}
    for k, v in counts.items():
        t = _share(v, total)
        margin = base * scale  # own count and the other's: (1 − t)·e + t·e
        if k in young_share and set(counts) <= set(young_share):
            lo, hi = young_share[k]
            off = np.maximum(np.abs(t - lo), np.abs(t - hi))
            margin = margin + off * _share(young, adults) * total
        out[k] = margin
    return out


def household_margins(counts: Mapping[str, Number], young: Number, children: Number,
                      base: float, older_young: Number | None = None) -> dict:
    """Persons per household type (sources 1, 2 and 3); 'met_kinderen' is the rest of the
    inhabitants, so it carries what the others and the children are off by.

    - one-person households rounded: ± base persons between alone and with children;
    - households without children rounded: ± 2·base persons between them and with children;
    - inhabitants rounded and the children (`children`: rounding and split of the bands
      below min_age): the count with children is off, the total with it;
    - 2 to 2.3 persons per household without children: up to 0.3 per household moves
      from with children to without children, one way only: half of it is the margin,
      the other half the range's shift (`household_shifts`);
    - up to YOUNG_ELSEWHERE of the young live outside a household with children: each
      type may hold up to that many persons more or fewer; living alone only from the age
      of 15 (`older_young`: the young in the band cut at min_age; all the young if None)."""
    out = {k: np.zeros(np.shape(_arr(v))) for k, v in counts.items()}
    rest = "met_kinderen"

    def move(v: Number, group: str) -> None:
        if group in out and rest in out:
            out[group] = out[group] + v
            out[rest] = out[rest] + v

    move(base, "eenpersoons")
    move(PERSONS_WITHOUT_CHILDREN * base, "paar_zonder_kinderen")
    if rest in out:
        change = base + _arr(children)
        for k, u in count_errors(counts, {rest: change}).items():
            out[k] = out[k] + u
    move(_one_sided_persons(counts) / 2, "paar_zonder_kinderen")
    elsewhere = YOUNG_ELSEWHERE * _arr(young)
    alone = YOUNG_ELSEWHERE * _arr(young if older_young is None else older_young)
    for k in out:
        out[k] = out[k] + (alone if k == "eenpersoons" else elsewhere)
    return out


def _one_sided_persons(counts: Mapping[str, Number]) -> np.ndarray:
    """Persons that may belong to 'zonder kinderen' instead of 'met kinderen' (source 3):
    0.3 per household without children (counted at 2 persons each)."""
    households = _arr(counts.get("paar_zonder_kinderen", 0.0)) / PERSONS_WITHOUT_CHILDREN
    return (PERSONS_WITHOUT_CHILDREN_HIGH - PERSONS_WITHOUT_CHILDREN) * households


def household_shifts(counts: Mapping[str, Number]) -> dict:
    """Centre of each household type's range from the point (BuurtReference.margin_shift):
    source 3 only adds persons to 'zonder kinderen' and takes them from 'met kinderen', so
    their ranges are [N, N + v] and [N − v, N] (plus the two-sided sources around them)."""
    zeros = {k: np.zeros(np.shape(_arr(v))) for k, v in counts.items()}
    if "paar_zonder_kinderen" not in counts or "met_kinderen" not in counts:
        return zeros
    half = _one_sided_persons(counts) / 2
    return {**zeros, "paar_zonder_kinderen": half, "met_kinderen": -half}


def reference_shifts(dims: Mapping[str, Mapping[str, Number]]) -> dict[str, dict]:
    """The shift per group and dimension of the one-sided sources (household only); the
    shape of `reference_margins`' result, dimensions without a one-sided source left out."""
    if "household" not in dims:
        return {}
    return {"household": {k: (float(v) if np.ndim(v) == 0 else v)
                          for k, v in household_shifts(dims["household"]).items()}}


def young_share_margins(counts: Mapping[str, Number], young: Number, base: Number) -> dict:
    """Origin and tenure (rule 4, unchanged): base + δ·young, δ = min(t, 1 − t)."""
    total = sum(_arr(v) for v in counts.values())
    out = {}
    for k, v in counts.items():
        t = _share(v, total)
        out[k] = base + np.minimum(t, 1.0 - t) * _arr(young)
    return out


def reference_margins(dims: Mapping[str, Mapping[str, Number]], areas: int,
                      cut: Mapping[str, Number], young: Number = 0.0) -> dict[str, dict]:
    """± persons per group and dimension (see the module docstring).

    `dims` are the persons per dimension and group (age: the bands kept at min_age),
    `cut` the persons removed at min_age per kept age band, `young` the persons under
    min_age (numbers, or arrays per area). Income gets no margin."""
    base = rounding(areas)
    kept = dims.get("age", {})
    out: dict[str, dict] = {}
    if "age" in dims:
        out["age"] = age_margins(kept, cut, base)
    if "gender" in dims:
        adults = sum(_arr(v) for v in kept.values()) if kept else 0.0
        out["gender"] = gender_margins(dims["gender"], adults, young if kept else 0.0, base)
    if "household" in dims:
        children = children_error(kept, cut, young, base) if kept else 0.0
        older = sum(_arr(v) for v in cut.values()) if kept else None
        out["household"] = household_margins(dims["household"], young, children, base, older)
    for dim in AGE_DEPENDENT:
        if dim in dims:
            extra: Number = 0.0
            if dim == "tenure":
                extra = PERCENT_ROUNDING / 100 * sum(_arr(v) for v in dims[dim].values())
            out[dim] = young_share_margins(dims[dim], young, base + extra)
    return {d: {k: (float(v) if np.ndim(v) == 0 else v) for k, v in groups.items()}
            for d, groups in out.items()}


def _persons(value: Number) -> str:
    from reference.build import fmt_count  # lazy: build imports this module

    return fmt_count(float(np.sum(_arr(value))))


def margin_assumptions(dims: Mapping[str, Mapping[str, Number]], areas: int,
                       cut: Mapping[str, Number], young: Number, min_age: int,
                       also: Sequence[str] = ()) -> list[str]:
    """The Dutch sentences (B1) behind the margins, one per source that applies here;
    `also` (other margin rules, e.g. origin and tenure's) goes before the closing one."""
    base = rounding(areas)
    kept = dims.get("age", {})
    young_total = float(np.sum(_arr(young)))
    lines = [f"Het CBS rondt aantallen per buurt willekeurig af op vijftallen. Een aantal kan "
             f"daardoor tot {ROUNDING_BOUND:g} personen afwijken"
             + (f" (bij {areas} opgetelde gebieden samen tot {_persons(base)})" if areas > 1 else "")
             + ". Daarom heeft elk aandeel in de buurt een marge."]
    spread = sum(split_spread(k, cut.get(b, 0.0)) for b, k in kept.items() if b in cut)
    if cut and float(np.sum(spread)) > 0:
        bands = ", ".join(b for b in kept if b in cut)
        lines.append(f"Bij {bands} jaar tellen we alleen de jaargangen vanaf {min_age} mee, alsof "
                     "elk jaar even groot is. In een echte buurt verschilt dat door toeval: we "
                     f"rekenen met een marge van {_persons(spread)} personen (twee keer de "
                     "standaardafwijking).")
    if "household" in dims:
        high = f"{PERSONS_WITHOUT_CHILDREN_HIGH:g}".replace(".", ",")
        lines.append(f"Een huishouden zonder kinderen is meestal een stel van 2 personen, maar "
                     f"soms wonen er meer mensen samen (bijv. studenten): gemiddeld 2 tot {high} "
                     "personen. Die marge rekenen we mee: bij huishoudens zonder kinderen kunnen "
                     "er alleen meer mensen zijn, bij huishoudens met kinderen alleen minder.")
        if young_total > 0:
            lines.append(f"Niet alle {_persons(young)} inwoners jonger dan {min_age} jaar wonen in "
                         f"een huishouden met kinderen (bijv. in een instelling of op zichzelf). We "
                         f"rekenen met een marge van {YOUNG_ELSEWHERE:.0%} van hen bij elk soort "
                         "huishouden; bij alleenstaanden alleen van wie 15 jaar of ouder is.")
    if "gender" in dims and young_total > 0 and kept:
        lines.append(f"Het CBS geeft geslacht voor alle leeftijden. Onder de {_persons(young)} "
                     f"inwoners jonger dan {min_age} jaar is {BOYS_LOW:.0%} tot {BOYS_HIGH:.0%} een "
                     "jongen, en per buurt verschilt dat door toeval. Die marge rekenen we mee "
                     "bij mannen en vrouwen van "
                     f"{min_age} jaar en ouder.")
    lines += list(also)
    lines.append("Al deze marges tellen we bij elkaar op, alsof ze allemaal dezelfde kant op "
                 "vallen. Een verschil heet pas duidelijk als het ook aan de rand van die marge "
                 "blijft bestaan.")
    return lines



def joint_margins(dim: str, adults: Mapping[str, float], young: Mapping[str, float],
                  areas: int) -> dict[str, float]:
    """± persons per group when an age × group table (reference.custom.apply_joint_table)
    gave the young's split: `adults` the eligible persons per group, `young` the fitted
    persons under min_age per group. The table's split is a rate; the buurt's own young
    are a binomial draw around it (± 2 sd of Y·c_k·(1 − c_k), moved between the group's
    adults and the rest), on top of the CBS rounding (and, for households, the persons
    per household without children). The borrowed age–group link itself (the buurt may
    differ from the gemeente) has no bound here: that stays a stated assumption."""
    base = rounding(areas)
    total_young = float(sum(max(0.0, float(v)) for v in young.values()))
    spread = {k: float(SPREAD_SD * np.sqrt(max(0.0, float(young.get(k, 0.0))) *
                                           (1 - _share(young.get(k, 0.0), total_young))))
              for k in adults}
    if dim == "household":
        plain = household_margins(adults, 0.0, 0.0, base)
    else:
        extra = PERCENT_ROUNDING / 100 * sum(adults.values()) if dim == "tenure" else 0.0
        plain = young_share_margins(adults, 0.0, base + extra)
    return {k: float(plain[k]) + spread[k] for k in adults}
