"""Who did we hear, who not, and how many more to speak to (DESIGN.md, Coverage).

The definitions in DESIGN.md are the contract; every number here follows them to the
letter so the dashboard, the CLI JSON and the report show the same figures.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pandas as pd

from engagement import stats
from engagement.harmonise import membership
from engagement.model import CategoryCoverage, CoverageResult, DimensionCoverage
from engagement.vocabulary import (  # noqa: F401 (LABEL_*: re-exported for older callers)
    ALPHA,
    LABEL_OK,
    LABEL_OVER,
    LABEL_REFERENCE_UNCERTAIN,
    LABEL_TOO_FEW,
    LABEL_UNCERTAIN,
    LABEL_UNDER_CLEAR,
    LABEL_UNDER_MAYBE,
    LABEL_UNREACHED,
    MIN_EXPECTED,
    OVER,
    PHRASES_BY_CATEGORY,
    UNDER,
    UNKNOWN_THRESHOLD,
    category_label,
    could_flip,
    group_phrase,
    join_phrases,
    range_uncertain,
    ratio_flags,
)
from profiles.coverage import PROBABILITY_CHANNELS
from reference.model import BuurtReference
from surveys.age_bands import group_label
from surveys.categories import DIMENSION_LABELS, DIMENSIONS, EXCLUSION_LABELS, label
from surveys.errors import InputError
from surveys.numbers import dutch

logger = logging.getLogger(__name__)

NON_PERSON_UNITS = ("woningen", "huishoudens")
# Category codes → sentence phrase: kept for callers that only know the category
# (the phrases themselves live in engagement.vocabulary).
GROUP_PHRASES = PHRASES_BY_CATEGORY


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)


def exclusion_reasons(respondents: pd.DataFrame, min_age: int) -> pd.Series:
    """Why each row does not count ("" = it counts): the import's `excluded` code first,
    then `probability_sample` for an imported probability sample (profiles.coverage
    uses it as the yardstick; it is not part of who was heard), then `under_min_age` when
    the exact age, or the whole age band [age_low, age_high),
    lies below min_age. A band that straddles min_age counts (its eligible part). A
    stored `under_min_age` is recomputed, so lowering min_age brings those rows back."""
    if "excluded" in respondents.columns:
        given = respondents["excluded"].astype("object").where(respondents["excluded"].notna(), "")
        reasons = given.map(lambda v: str(v).strip())
        # under_min_age belongs to the analysis: recomputed for today's min_age, never kept
        reasons = reasons.where(reasons != "under_min_age", "")
    else:
        reasons = pd.Series("", index=respondents.index, dtype=object)
    if "channel" in respondents.columns:  # a probability sample is the yardstick, not heard
        sample = respondents["channel"].astype(str).str.lower().isin(PROBABILITY_CHANNELS)
        reasons = reasons.where(~((reasons == "") & sample.to_numpy()), "probability_sample")
    if min_age > 0:
        age, high = _numbers(respondents, "age"), _numbers(respondents, "age_high")
        young = np.where(np.isnan(age), high <= min_age, age < min_age)
        reasons = reasons.where(~((reasons == "") & young), "under_min_age")
    return reasons.astype(object)


def eligible_respondents(respondents: pd.DataFrame, min_age: int
                         ) -> tuple[pd.DataFrame, dict[str, int]]:
    """The one eligibility rule (DESIGN.md): the rows that count, and the count per reason.

    Applied once, before n and every dimension, so a 15-year-old in an 18+ survey is not
    counted for gender while missing from age."""
    reasons = exclusion_reasons(respondents, min_age)
    counts = reasons[reasons != ""].value_counts()
    return respondents[(reasons == "").to_numpy()], {str(k): int(v) for k, v in counts.items()}


def excluded_sentence(excluded: Mapping[str, int], min_age: int | None = None) -> str:
    """Dutch, most first: "Niet meegeteld: 3 testinvoer, 2 jonger dan 18 jaar." ("" when none).
    One sentence for the CLI, the dashboard and the report."""
    parts = []
    for reason, count in sorted(excluded.items(), key=lambda item: -item[1]):
        text = EXCLUSION_LABELS.get(reason, reason)
        if reason == "under_min_age" and min_age:
            text = f"jonger dan {min_age} jaar"
        parts.append(f"{count:,} {text}".replace(",", "."))
    return f"Niet meegeteld: {', '.join(parts)}." if parts else ""


def dimension_label(dimension: str) -> str:
    return DIMENSION_LABELS.get(dimension, dimension)


def _target_counts(spec: Mapping[str, float] | None, categories: list[str], shares: np.ndarray,
                   n: float) -> np.ndarray:
    """Target count per category: proportional, or the team's own count or share."""
    targets = shares * n
    if not spec:
        return targets
    as_shares = all(0 <= float(v) <= 1 for v in spec.values())
    for i, cat in enumerate(categories):
        if cat in spec:
            targets[i] = float(spec[cat]) * n if as_shares else float(spec[cat])
    return targets


def dimension_coverage(dimension: str, counts: Mapping[str, float], unknown: float,
                       population: Mapping[str, float], *, targets: Mapping[str, float] | None = None,
                       under: float = UNDER, over: float = OVER, seed: int = 0,
                       estimated: bool = False, persons: float | None = None,
                       simulate: bool = True, margins: Mapping[str, float] | None = None,
                       shifts: Mapping[str, float] | None = None) -> DimensionCoverage:
    """The coverage table of one dimension from counts per category.

    `persons` rescales a population that is not counted in persons (dwellings for
    tenure) to persons for the R-indicator; ratio, CV and min/max do not depend on it.
    `simulate=False` skips the Monte-Carlo p-value (fieldwork progress needs speed).
    `margins` (± persons per category, BuurtReference.margins) widen the reference share
    to [low, high] = (N_k ∓ u_k) / N: a margin moves persons between the group and the
    rest, the eligible total stays (the age bands fix it). A group is only `significant`
    when its interval misses that whole range, and its p-value is tested against the
    nearest end. When the flag itself differs between the two ends (ratio s/high vs
    s/low, e.g. 'in lijn' at one end and under at the other), the buurt figures cannot
    decide it: the group is 'onzeker' (LABEL_REFERENCE_UNCERTAIN), never 'duidelijk';
    the unknowns' 'onzeker' goes first. `shifts` (BuurtReference.margin_shift) move a
    range's centre for a one-sided source: [(N_k + c_k ∓ u_k) / N].
    """
    cats = [c for c, v in population.items() if v is not None and np.isfinite(v) and v > 0]
    big_n = np.array([float(population[c]) for c in cats])
    n_k = np.array([float(counts.get(c, 0.0)) for c in cats])
    outside = float(sum(v for c, v in counts.items() if c not in cats))
    unknown = float(unknown) + outside
    n = float(n_k.sum())
    p = big_n / big_n.sum()
    s = n_k / n if n > 0 else np.zeros_like(n_k)
    ratio = s / p
    finite = float(persons) if persons is not None else float(big_n.sum())
    correction = stats.fpc(n, finite)
    ci_low, ci_high = stats.wilson(n_k, n, population=finite)
    u = np.array([float((margins or {}).get(c, 0.0)) for c in cats])
    shift = np.array([float((shifts or {}).get(c, 0.0)) for c in cats])
    p_low, p_high = stats.reference_range(big_n, big_n.sum(), u, shift)
    nearest = np.clip(n_k / n if n > 0 else p, p_low, p_high)
    p_values = stats.score_p_values(n_k, n, nearest, population=finite)
    expected = n * p
    target = _target_counts(targets, cats, p, n)
    to_reach = np.maximum(0, stats.ceil_count(target - n_k)).astype(int)
    flags = ratio_flags(ratio, n_k, under=under, over=over)
    significant = (p_high < ci_low) | (p_low > ci_high)
    total = n + unknown
    unknown_share = unknown / total if total > 0 else 0.0
    low_share = n_k / total if total > 0 else np.zeros_like(n_k)
    high_share = (n_k + unknown) / total if total > 0 else np.ones_like(n_k)
    uncertain_dim = bool(unknown_share > UNKNOWN_THRESHOLD)
    # 'onzeker' when a best/worst case with the unknowns would give another verdict (issue 13)
    uncertain = uncertain_dim & could_flip(flags, low_share / p, high_share / p, under=under, over=over)
    by_reference = ~uncertain & range_uncertain(flags, s, p_low, p_high, u, n_k, under=under, over=over)
    pct = int(round(100 * unknown_share))
    labels = [category_label(str(flags[i]), bool(significant[i]), float(expected[i]),
                             pct if uncertain[i] else None, reference_uncertain=bool(by_reference[i]))
              for i in range(len(cats))]
    rate_base = big_n if persons is None else p * persons
    partial = stats.partial_r(n_k, rate_base)
    partial_se = stats.partial_r_se(n_k, rate_base)
    rows = tuple(
        CategoryCoverage(
            category=c, population=float(big_n[i]), population_share=float(p[i]),
            respondents=float(n_k[i]), respondent_share=float(s[i]), ratio=float(ratio[i]),
            ci_low=float(ci_low[i]), ci_high=float(ci_high[i]), flag=str(flags[i]),
            significant=bool(significant[i]), to_reach=int(to_reach[i]),
            label=labels[i],
            target=float(target[i]),
            unknown_low=float(low_share[i]) if total > 0 else None,
            unknown_high=float(high_share[i]) if total > 0 else None,
            expected=float(expected[i]), p_value=float(p_values[i]),
            p_adjusted=float(p_values[i]), significant_raw=bool(significant[i]),
            partial_r=float(partial[i]), partial_r_se=float(partial_se[i]),
            uncertain=bool(uncertain[i] or by_reference[i]), population_share_low=float(p_low[i]),
            population_share_high=float(p_high[i]))
        for i, c in enumerate(cats))
    chi2, df, p_value = stats.chi2_gof(n_k, p)
    warnings: list[str] = []
    monte_carlo = bool(n > 0 and len(cats) > 1 and (expected < MIN_EXPECTED).any())
    if monte_carlo:
        warnings.append(f"{dimension_label(dimension)}: bij minstens één groep verwachten we "
                        "minder dan 5 mensen. De toets is daarom gesimuleerd en alleen een "
                        "ruwe aanwijzing.")
        if simulate:
            p_value = stats.monte_carlo_p(n_k, p, seed=seed)
    if uncertain_dim:
        warnings.append(f"{dimension_label(dimension)}: {pct}% van de respondenten gaf hier geen "
                        f"(bruikbaar) antwoord; boven {UNKNOWN_THRESHOLD:.0%} zijn de oordelen "
                        "onzeker.")
    if by_reference.any():
        groups = join_phrases([group_phrase(dimension, c) for c, b in zip(cats, by_reference) if b])
        warnings.append(f"{dimension_label(dimension)}: de buurtcijfers zijn hier een schatting met "
                        f"een marge (zie 'Zo is gerekend'). Voor {groups} valt het oordeel binnen "
                        "die marge anders uit; daar staat 'onzeker'.")
    if outside > 0:
        count = f"{outside:g} antwoord past" if outside == 1 else f"{outside:g} antwoorden passen"
        warnings.append(f"{dimension_label(dimension)}: {count} bij geen groep uit de "
                        "buurtcijfers. We tellen dat als onbekend.")
    rate_population = big_n if persons is None else p * persons
    r_value = stats.r_indicator(n_k, rate_population) if np.isfinite(rate_population).all() \
        else float("nan")
    return DimensionCoverage(
        dimension=dimension, categories=rows, unknown=unknown, chi2=chi2, df=df,
        p_value=p_value, cv=stats.cv(p, ratio),
        r_indicator=r_value,
        min_max_ratio=stats.min_max_ratio(n_k, big_n), monte_carlo=monte_carlo,
        estimated=estimated, warnings=tuple(warnings), unknown_share=float(unknown_share),
        uncertain=uncertain_dim, fpc=float(correction))


def adjust_for_multiplicity(dimensions: list[DimensionCoverage], alpha: float = ALPHA
                            ) -> list[DimensionCoverage]:
    """Holm over every flagged group (under, over, unreached) of all dimensions together.

    About fifteen groups are tested at once; without a correction one in three buurten
    would show a "duidelijk" gap by chance. `significant` and the label of the flagged
    groups follow the adjusted p-value; unflagged groups keep the uncorrected Wilson test.
    """
    keys = [(i, j) for i, d in enumerate(dimensions) for j, c in enumerate(d.categories)
            if c.flag != "ok"]
    adjusted = stats.holm(np.array([dimensions[i].categories[j].p_value for i, j in keys]))
    cats = [list(d.categories) for d in dimensions]
    for (i, j), value in zip(keys, adjusted):
        cat = cats[i][j]
        significant = bool(value < alpha)
        label_text = cat.label if cat.uncertain else category_label(cat.flag, significant, cat.expected)
        cats[i][j] = replace(cat, p_adjusted=float(value), significant=significant, label=label_text)
    return [replace(d, categories=tuple(c)) for d, c in zip(dimensions, cats)]


def labels_with_counts(coverage: CoverageResult, dimension: str, counts: Mapping[str, float]) -> dict[str, str]:
    """The label every group of `dimension` would carry had it these respondent counts,
    with its unknowns and the other dimensions as they are and Holm over all of them, as
    compute_coverage decides it. A report asks this of a hidden group: a verdict that
    differs between the counts its mark allows tells the count apart."""
    reference = coverage.reference
    dims = list(coverage.dimensions)
    index = next(i for i, d in enumerate(dims) if d.dimension == dimension)
    dim = dims[index]
    if reference is None:
        return {c.category: c.label for c in dim.categories}
    dims[index] = dimension_coverage(
        dimension, counts, dim.unknown,
        {c.category: c.population for c in dim.categories}, simulate=False,
        persons=_persons(reference, dimension), margins=reference.margins.get(dimension),
        shifts=reference.margin_shift.get(dimension))
    return {c.category: c.label for c in adjust_for_multiplicity(dims)[index].categories}


def _persons(reference: BuurtReference, dimension: str) -> float | None:
    """Persons behind a dimension counted in dwellings or households (None: already persons)."""
    unit = reference.units.get(dimension, "woningen" if dimension == "tenure" else "personen")
    if unit not in NON_PERSON_UNITS:
        return None
    return float(reference.eligible_population or reference.population or np.nan)


def _coverable(respondents: pd.DataFrame, reference: BuurtReference,
               memberships: dict[str, tuple]) -> tuple[list[str], list[str]]:
    """Dimensions to compare, and Dutch warnings for the ones that were skipped."""
    warnings = []
    dims = []
    for dim, population in reference.dimensions.items():
        if sum(1 for v in population.values() if v is not None and np.isfinite(v) and v > 0) < 2:
            warnings.append(f"{dimension_label(dim)}: de buurtcijfers hebben minder dan twee "
                            "groepen, dus er valt niets te vergelijken.")
            continue
        if memberships[dim][0].to_numpy().sum() <= 0:
            warnings.append(f"{dimension_label(dim)}: geen enkele respondent heeft hier een "
                            "bruikbaar antwoord op gegeven, dus dit kenmerk is niet vergeleken.")
            continue
        dims.append(dim)
    for dim in DIMENSIONS:
        if dim in respondents.columns and dim not in reference.dimensions \
                and respondents[dim].notna().any():
            warnings.append(f"{dimension_label(dim)}: de buurtcijfers hebben dit kenmerk niet, "
                            "dus het is niet vergeleken.")
    return dims, warnings


def _foreign_codes(respondents: pd.DataFrame, dim: str, population: Mapping[str, float]) -> list[str]:
    """A note when canonical answers (e.g. "anders") have no group in the reference."""
    if dim == "age" or dim not in respondents.columns:
        return []
    valid = {c for c, v in population.items() if v is not None and np.isfinite(v) and v > 0}
    foreign = respondents[dim].isin(set(DIMENSIONS.get(dim, ())) - valid)
    count = int(foreign.sum())
    if not count:
        return []
    what = f"{count} antwoord past" if count == 1 else f"{count} antwoorden passen"
    return [f"{dimension_label(dim)}: {what} bij geen groep uit de buurtcijfers. "
            "We tellen dat als onbekend."]


def compute_coverage(respondents: pd.DataFrame, reference: BuurtReference, *,
                     targets: dict[str, dict[str, float]] | None = None, under: float = UNDER,
                     over: float = OVER, seed: int = 0, weighting: bool = True) -> CoverageResult:
    """Compare the respondents with the buurt for every dimension both sides know.

    `targets[dim][category]` is the team's own target (a count, or a share when all
    values of that dimension are ≤ 1); `to_reach` then counts towards it. Rows that do
    not count (`excluded`, under min_age) are removed first and counted per reason.
    """
    respondents, excluded = eligible_respondents(respondents, reference.min_age)
    memberships = {dim: membership(respondents, dim, min_age=reference.min_age, categories=list(cats))
                   for dim, cats in reference.dimensions.items()}
    dims, warnings = _coverable(respondents, reference, memberships)
    results = []
    for dim in dims:
        fractions, unknown, estimated = memberships[dim]
        ref_estimated = any(e.split(":")[0] == dim for e in reference.estimated)
        result = dimension_coverage(
            dim, dict(zip(fractions.columns, fractions.to_numpy().sum(axis=0))), float(unknown.sum()),
            reference.dimensions[dim], targets=(targets or {}).get(dim), under=under, over=over,
            seed=seed, estimated=bool(estimated.any()) or ref_estimated,
            persons=_persons(reference, dim), margins=reference.margins.get(dim),
            shifts=reference.margin_shift.get(dim))
        results.append(result)
        warnings.extend(result.warnings)
        warnings.extend(_foreign_codes(respondents, dim, reference.dimensions[dim]))
    results = adjust_for_multiplicity(results)
    weights: dict[str, float] = {}
    if weighting and dims:
        from engagement.weighting import rake_weights

        raked = rake_weights(respondents, reference, dimensions=dims,
                             memberships={d: memberships[d][0] for d in dims})
        weights = {"deff": raked.deff, "ess": raked.ess}
        warnings.extend(raked.warnings)
    return CoverageResult(respondents=len(respondents), dimensions=tuple(results),
                          weighting=weights, warnings=tuple(warnings), reference=reference,
                          excluded=excluded)


def coverage_by(respondents: pd.DataFrame, reference: BuurtReference, by: str = "channel",
                **options) -> dict[str, CoverageResult]:
    """The same coverage table per value of `by` (channel, source, …), largest group first."""
    if by not in respondents.columns:
        raise InputError(f"De kolom '{by}' bestaat niet in de respondenten; kies uit "
                         f"{', '.join(map(str, respondents.columns))}.")
    keys = respondents[by].astype("object").where(respondents[by].notna(), "onbekend")
    order = keys.value_counts(sort=True).index
    return {str(k): compute_coverage(respondents[keys == k], reference, **options) for k in order}


def coverage_frame(result: CoverageResult) -> pd.DataFrame:
    """One row per dimension × category: the table the dashboard and the report show."""
    rows = []
    for dim in result.dimensions:
        for cat in dim.categories:
            rows.append({"dimension": dim.dimension, "dimension_label": dimension_label(dim.dimension),
                         "category_label": label(cat.category), **cat.to_dict(),
                         "estimated": dim.estimated})
    return pd.DataFrame(rows)


def _groups_with(result: CoverageResult, wanted: str) -> list[str]:
    return [group_phrase(d.dimension, c.category) for d in result.dimensions for c in d.categories
            if c.label == wanted]


def summary_sentence(result: CoverageResult) -> str:
    """One plain Dutch sentence (B1) with the most important gap."""
    if not result.dimensions:
        return "Er zijn nog te weinig gegevens om iets over het bereik te zeggen."
    clear = _groups_with(result, LABEL_UNDER_CLEAR)
    unreached = _groups_with(result, LABEL_UNREACHED)
    maybe = _groups_with(result, LABEL_UNDER_MAYBE)
    sentences = []
    if clear:
        text = join_phrases(clear)
        sentences.append(f"{text[0].upper()}{text[1:]} zijn duidelijk ondervertegenwoordigd.")
    if unreached:
        sentences.append(f"Met {join_phrases(unreached)} is nog niemand gesproken.")
    for dim in result.dimensions:
        if dim.uncertain and any(c.uncertain for c in dim.categories):
            sentences.append(f"Bij {dimension_label(dim.dimension).lower()} is "
                             f"{round(100 * dim.unknown_share)}% onbekend; daar is het oordeel "
                             "onzeker.")
    unsure = _groups_with(result, LABEL_REFERENCE_UNCERTAIN)
    if unsure:
        sentences.append(f"Over {join_phrases(unsure)} zeggen we nog niets: de buurtcijfers zijn "
                         "daar niet precies genoeg.")
    if not sentences and maybe:
        text = join_phrases(maybe)
        sentences.append(f"{text[0].upper()}{text[1:]} zijn misschien ondervertegenwoordigd; "
                         "dat is nog niet zeker.")
    if not sentences:
        return "Alle groepen zijn ongeveer zo vaak gesproken als ze in de buurt voorkomen."
    return " ".join(sentences)


def _category_line(cat: CategoryCoverage, dimension: str, min_age: int | None) -> str:
    still = f", nog {cat.to_reach} te spreken" if cat.to_reach > 0 else ""
    return (f"  - {group_label(cat.category, min_age, dimension)}: {cat.respondents:.0f} gesproken "
            f"({cat.respondent_share:.0%} van de respondenten, {cat.population_share:.0%} "
            f"in de buurt): {cat.label}{still}")


def describe_coverage(result: CoverageResult) -> str:
    """Dutch summary lines per dimension, for the CLI and the report."""
    lines = [f"Respondenten: {result.respondents}.", summary_sentence(result)]
    skipped = excluded_sentence(result.excluded, result.reference.min_age if result.reference else None)
    if skipped:
        lines.insert(1, skipped)
    for dim in result.dimensions:
        known = sum(c.respondents for c in dim.categories)
        head = f"{dimension_label(dim.dimension)} ({known:.0f} met antwoord, {dim.unknown:.0f} onbekend)"
        if dim.estimated:
            head += " (deels geschat)"
        lines.append(head + ":")
        min_age = result.reference.min_age if result.reference else None
        lines.extend(_category_line(c, dim.dimension, min_age) for c in dim.categories)
        if dim.df > 0:
            lines.append(f"  Spreiding in bereik (CV): {dutch(dim.cv, 2)} (0 = iedereen even goed bereikt).")
    if result.weighting:
        lines.append(f"Effectieve steekproefomvang na weging: {result.weighting['ess']:.0f} "
                     f"(ontwerpeffect {dutch(result.weighting['deff'], 2)}).")
    lines.extend(f"Let op: {w}" for w in result.warnings)
    if result.reference is not None and result.reference.assumptions:
        lines.append("Zo is gerekend:")
        lines.extend(f"  - {a}" for a in result.reference.assumptions)
    return "\n".join(lines)
