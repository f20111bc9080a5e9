"""All result objects of one respondents table against one reference, in one call.

The CLI report and the dashboard's report need the same bundle (coverage, two-way
cells, weekly progress, profiles, profile coverage, advice); building it here keeps the
composition in the library and out of page scripts.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd

from engagement.cells import cells_result
from engagement.coverage import compute_coverage, exclusion_reasons
from engagement.model import CellsResult, CoverageResult, ProgressResult
from engagement.outreach import Advice, advise
from engagement.planner import Plan, plan_fieldwork
from engagement.progress import progress_result
from profiles import fit_profiles
from profiles.coverage import ProfileCoverageResult, profile_coverage_result, split_probability_sample
from profiles.items import ProfileDataError
from profiles.model import ProfileResult
from reference.model import BuurtReference

logger = logging.getLogger(__name__)

PROFILE_BUG = ("De profielen konden niet worden gemaakt door een fout in Bereikwijzer (niet in uw "
               "bestand). De rest van de analyse is wel gemaakt; meld de fout aan de beheerder.")


@dataclass(frozen=True)
class Analysis:
    """Everything a report shows, computed once, as typed results (`to_frame()` for a table)."""

    coverage: CoverageResult
    cells: CellsResult | None            # None: the reference has no age and gender
    progress: ProgressResult | None      # None: no respondent has a date
    profiles: ProfileResult | None
    profile_problem: str | None  # Dutch reason when no profiles could be made
    profile_coverage: ProfileCoverageResult | None
    advice: tuple[Advice, ...]
    plan: Plan | None = None  # the joint fieldwork plan (engagement.planner)

    def report_arguments(self) -> dict[str, Any]:
        """Keyword arguments for reports.report.build_xlsx/build_html/write_report."""
        return dict(coverage=self.coverage, profiles=self.profiles, progress=self.progress,
                    cells=self.cells, advice=list(self.advice),
                    profile_coverage=self.profile_coverage, plan=self.plan,
                    profile_problem=self.profile_problem)


def estimate_profile_coverage(result: ProfileResult | None, respondents: pd.DataFrame,
                              reference: BuurtReference | None) -> pd.DataFrame | None:
    """`estimate_profile_coverage_result(...).to_frame()`, for callers that want the table."""
    typed = estimate_profile_coverage_result(result, respondents, reference)
    return None if typed is None else typed.to_frame()


def estimate_profile_coverage_result(result: ProfileResult | None, respondents: pd.DataFrame,
                                     reference: BuurtReference | None) -> ProfileCoverageResult | None:
    """Profile shares in the buurt, with a bracket and a flag per profile.

    Who responds depends on engagement itself, which demographic weighting cannot undo
    (profiles.coverage). So when the respondents include a probability sample (channel
    "steekproef"/"burgerpeiling", optional `weight`), that sample is the reference; the
    profile shares of the participation rows are compared with it. Without one, the
    post-stratified estimate on the reference's age × gender cells comes with sensitivity
    bounds. The caveat and assumption are fields of the result.
    """
    if result is None:
        return None
    participation, sample = split_probability_sample(respondents)
    if len(sample) and result.classify is not None and len(participation):
        try:
            return profile_coverage_result(result, participation, probability_sample=sample)
        except ProfileDataError as error:  # a sample the model cannot classify: use the bounds
            logger.info("probability sample not used: %s", error)
        except ValueError:  # not a data problem we know of: a bug, kept with its traceback
            logger.exception("profile coverage with the probability sample failed; using the bounds")
    if reference is None or not {"age", "gender"} <= set(reference.dimensions):
        return None
    cells = cells_result(participation, reference, "age", "gender")
    if cells.empty:
        return None
    population = cells.to_frame().rename(columns={"row": "age_band", "col": "gender"})[
        ["age_band", "gender", "population_share"]]
    return profile_coverage_result(result, participation, population)


def profile_rows(respondents: pd.DataFrame, min_age: int) -> pd.DataFrame:
    """The rows profiles are about: those that count by the one eligibility rule
    (engagement.coverage.exclusion_reasons: not test or preview rows, not younger than
    `min_age`), as on Bereik and in the report, plus a probability sample, which the fit
    leaves out but the buurt shares use as their yardstick. So every page's n is the same."""
    if respondents is None or respondents.empty:
        return respondents
    reasons = exclusion_reasons(respondents, int(min_age))
    return respondents[reasons.isin(["", "probability_sample"]).to_numpy()]


def fit_participation_profiles(respondents: pd.DataFrame, method: str = "kompas",
                               random_state: int = 0, **kwargs: Any) -> ProfileResult:
    """fit_profiles on the participation rows only: a probability sample is the yardstick
    for the profiles, never part of what they are fitted on."""
    participation, _ = split_probability_sample(respondents)
    return fit_profiles(participation, method=method, k="auto", random_state=random_state, **kwargs)


def try_profiles(respondents: pd.DataFrame, method: str = "kompas", random_state: int = 0, *,
                 labels: dict[str, str] | None = None,
                 axes: dict[str, list[str]] | None = None) -> tuple[ProfileResult | None, str | None]:
    """Fit profiles on the participation rows, or return the Dutch reason why the answers
    do not allow it. `labels` (item column → full statement, e.g. the project's
    item_labels) give the cards and names the full statement texts; `axes` is the team's
    own choice of kompas questions."""
    try:
        return fit_participation_profiles(respondents, method, random_state, labels=labels, axes=axes), None
    except ProfileDataError as error:  # too few items or respondents: a reason, not a failure
        logger.info("no profiles: %s", error)
        return None, str(error)
    except ValueError:  # anything else is a bug in the library: logged with its traceback
        logger.exception("fitting profiles failed")
        return None, PROFILE_BUG


def analyse(respondents: pd.DataFrame, reference: BuurtReference, *,
            targets: dict[str, dict[str, float]] | None = None, profile_method: str = "kompas",
            profiles: ProfileResult | None = None, random_state: int = 0,
            cell_seeds: dict[tuple[str, str], pd.DataFrame] | None = None,
            effort: pd.DataFrame | None = None) -> Analysis:
    """Coverage, cells, progress, profiles and advice for one project.

    Pass `profiles` when they were already fitted (e.g. renamed by the team), and
    `cell_seeds[(rows, cols)]` when the team has a table of the combinations
    (`cbs_custom.read_joint_table`); without it the cells are independence estimates.
    `effort` (store.effort's table) lets the advice rank channels by people per hour.
    """
    coverage = compute_coverage(respondents, reference, targets=targets)
    problem = None
    counted = profile_rows(respondents, reference.min_age)
    if profiles is None:
        profiles, problem = try_profiles(counted, profile_method, random_state)
    seed = (cell_seeds or {}).get(("age", "gender"))
    cells = (cells_result(respondents, reference, "age", "gender", seed=seed)
             if {"age", "gender"} <= set(reference.dimensions) else None)
    progress = (progress_result(respondents, reference, freq="W", targets=targets)
                if "responded_at" in respondents and respondents["responded_at"].notna().any()
                else None)
    shares = estimate_profile_coverage_result(profiles, counted, reference)
    plan = plan_fieldwork(respondents, reference) if coverage.dimensions else None
    advice = advise(coverage, respondents, profiles, profile_coverage=shares, plan=plan, effort=effort)
    return Analysis(plan=plan, coverage=coverage, cells=cells, progress=progress, profiles=profiles,
                    profile_problem=problem, profile_coverage=shares, advice=tuple(advice))
