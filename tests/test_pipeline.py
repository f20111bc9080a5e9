"""engagement.pipeline: one call gives every result object a report needs."""
from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from engagement.pipeline import analyse
from store.demo import demo_reference, demo_respondents
from tests import builders
from ui.cli import app


@pytest.fixture(scope="module")
def demo_analysis():
    return analyse(demo_respondents(), demo_reference())


def test_demo_analysis_holds_every_part(demo_analysis) -> None:
    result = demo_analysis
    assert result.coverage.respondents == 300
    assert {"age", "gender", "household", "tenure", "origin"} <= {
        d.dimension for d in result.coverage.dimensions}
    assert result.cells is not None and not result.cells.empty
    assert {"row", "col", "population_share"} <= set(result.cells.to_frame())
    assert result.progress is not None and result.progress.to_frame()["period_end"].nunique() >= 6
    assert result.profiles is not None and result.profiles.method == "kompas"
    assert result.profile_problem is None
    assert result.profile_coverage is not None
    groups = {a.group for a in result.advice}
    # the demo under-reaches exactly these three groups (see engagement/demo.py)
    assert {"age:15-25", "tenure:huur_corporatie", "origin:buiten_europa"} <= groups


def test_too_few_items_gives_a_reason_not_an_error() -> None:
    respondents = demo_respondents().drop(
        columns=[c for c in demo_respondents().columns if c.startswith("item:")])
    result = analyse(respondents, demo_reference())
    assert result.profiles is None
    assert result.profile_problem and "vragen" in result.profile_problem


def test_cli_report_contains_cells_progress_and_advice(tmp_path, cbs_dir) -> None:
    survey = tmp_path / "enquete.xlsx"
    survey.write_bytes(builders.ms_forms_xlsx(builders.wijk_answers(120, seed=3)))
    out = tmp_path / "rapport.xlsx"
    run = CliRunner().invoke(app, ["report", str(survey), "--kwb",
                                   str(cbs_dir / "kwb2024_85984NED_odata_first10000rows.csv"),
                                   "--area", "BU05183033", "--out", str(out)])
    assert run.exit_code == 0, run.output
    book = openpyxl.load_workbook(out)
    assert book["Cellen"].max_row > 2
    assert book["Voortgang"].max_row > 2
    assert book["Aanbevelingen"].max_row >= 2


def test_cli_refuses_a_pdf_report(tmp_path) -> None:
    run = CliRunner().invoke(app, ["report", "x.xlsx", "--reference", "y.csv", "--out",
                                   str(tmp_path / "r.pdf")])
    assert run.exit_code == 2
    assert ".pdf" in run.stderr


def test_report_names_the_cbs_year_once(demo_analysis) -> None:
    from reports.text import method_lines

    source = [line for line in method_lines(demo_analysis.coverage, 10) if line.startswith("Bron: CBS")]
    assert source == ["Bron: CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED). "
                      "Licentie: CC BY 4.0."]


def test_report_explains_onzeker_by_the_buurt_figures_only_where_it_occurs(demo_analysis) -> None:
    from dataclasses import replace

    from engagement.vocabulary import LABEL_REFERENCE_UNCERTAIN
    from reports.text import testing_lines

    coverage = demo_analysis.coverage
    held = [c.category for d in coverage.dimensions for c in d.categories if c.label == LABEL_REFERENCE_UNCERTAIN]
    assert held  # the demo buurt has groups the buurt figures' margin leaves open
    lines = testing_lines(coverage)
    assert any(line.startswith("'Onzeker: marge in de buurtcijfers'") for line in lines)
    # without such a group the sentence is not there
    plain = replace(coverage, dimensions=[replace(d, categories=tuple(
        replace(c, label="in lijn") if c.label == LABEL_REFERENCE_UNCERTAIN else c for c in d.categories))
        for d in coverage.dimensions])
    assert not any("marge in de buurtcijfers" in line for line in testing_lines(plain))


def test_report_summary_gives_the_real_reason_for_onzeker() -> None:
    """The demo's 'onzeker' groups come from the buurt figures' margin (everyone gave an age):
    the summary names them and that reason, not 'many unknown answers' for whole kenmerken."""
    from engagement.coverage import compute_coverage
    from reports.report import build_report_data

    resp, ref = demo_respondents(), demo_reference()
    summary = build_report_data(coverage=compute_coverage(resp, ref), respondents=resp).summary
    (line,) = [s for s in summary if "zeggen we nog niets" in s]
    assert line.startswith("Over 65-plussers") and "de buurtcijfers zijn daar niet precies genoeg" in line
    assert not any("weten we van veel mensen het antwoord niet" in s for s in summary)


def test_report_summary_names_unknowns_where_they_decide() -> None:
    import pandas as pd

    from engagement.coverage import compute_coverage
    from reference.model import BuurtReference
    from reports.report import build_report_data

    ref = BuurtReference(areas=(("BU0000TEST", "Testbuurt"),), year=2024, table="test", population=4000,
                         eligible_population=4000, min_age=15, dimensions={"gender": {"man": 2000, "vrouw": 2000}})
    gender = ["man"] * 10 + ["vrouw"] * 30 + [None] * 60  # 60 % unknown
    resp = pd.DataFrame({"respondent_id": [str(i) for i in range(100)], "gender": gender})
    summary = build_report_data(coverage=compute_coverage(resp, ref, weighting=False), respondents=resp).summary
    assert any(s.startswith("Bij geslacht weten we van veel mensen het antwoord niet") for s in summary)
    assert not any("zeggen we nog niets" in s for s in summary)


def test_respondents_under_min_age_cannot_be_derived_from_the_report() -> None:
    from reports.report import build_report_data

    respondents = demo_respondents()
    young = respondents.index[:5]
    respondents.loc[young, ["age", "age_low", "age_high"]] = [16.0, 16.0, 17.0]
    respondents.loc[young, "age_band"] = None
    result = analyse(respondents, demo_reference())
    data = build_report_data(respondents=respondents, **result.report_arguments())
    age = data.coverage[data.coverage["_dimension"] == "age"]
    shown = age["Respondenten"][age["_status"] == ""].sum()
    unknown = data.stats.set_index("Kenmerk").loc["Leeftijd", "Onbekend"]
    assert (age["_status"] == "").all()
    # total − groups − "Onbekend" leaves nothing: the five 16-year-olds are not counted at
    # all (one eligibility rule), so nothing about them can be derived from the report
    assert result.coverage.respondents - shown - unknown == pytest.approx(0)
    assert result.coverage.excluded == {"under_min_age": 5}
    assert result.coverage.respondents == len(respondents) - 5


def test_demo_analysis_has_the_joint_plan(demo_analysis) -> None:
    from engagement.planner import plan_fieldwork

    plan = demo_analysis.plan
    assert plan is not None and plan.total_needed > 0
    assert plan == plan_fieldwork(demo_respondents(), demo_reference())
    needed = {(g.dimension, g.category) for g in plan.groups if g.needed > 0}
    assert ("age", "15-25") in needed
    # the plan is joint: at least the largest per-dimension sum, never less than to_reach says
    by_dim: dict[str, int] = {}
    for g in plan.groups:
        by_dim[g.dimension] = by_dim.get(g.dimension, 0) + g.needed
    assert plan.total_needed >= max(by_dim.values())
    assert plan.channel_totals, "the demo has several channels with a yield"


def test_advice_and_report_use_the_joint_plan() -> None:
    """The advice headline counts the planner's joint number, and the report gets the same plan."""
    from engagement.pipeline import analyse
    from store.demo import demo_reference, demo_respondents

    analysis = analyse(demo_respondents(), demo_reference())
    assert analysis.plan is not None
    assert analysis.report_arguments()["plan"] is analysis.plan
    needed = {f"{g.dimension}:{g.category}": g.needed for g in analysis.plan.groups}
    planned = [a for a in analysis.advice if a.group in needed]
    assert planned, "no advice for a group of the plan"
    for advice in planned:
        assert advice.needed == advice.number == needed[advice.group]


def _with_probability_sample() -> tuple:
    """The demo plus a weighted 'burgerpeiling' of 200 people drawn from the same answers."""
    import pandas as pd

    respondents = demo_respondents()
    sample = respondents.sample(200, random_state=4, replace=True).reset_index(drop=True)
    sample["respondent_id"] = [f"bp{i}" for i in range(len(sample))]
    sample["channel"] = "burgerpeiling"
    sample["weight"] = 1.0 + (sample.index % 2)  # weights the sample carries
    return respondents, pd.concat([respondents, sample], ignore_index=True)


def test_profile_coverage_without_a_sample_gives_bounds_and_the_caveat(demo_analysis) -> None:
    from profiles.coverage import CAVEAT

    typed = demo_analysis.profile_coverage
    assert typed.reference == "cbs_cellen" and typed.caveat == CAVEAT
    table = typed.to_frame()
    assert (table["share_low"] <= table["population_share_estimate"] + 1e-12).all()
    assert (table["population_share_estimate"] <= table["share_high"] + 1e-12).all()
    assert set(table["flag"]) <= {"under", "over", "ok", "uncertain", "unknown"}
    assert "Afwachtend midden" in set(table["name"])


def test_a_probability_sample_is_the_reference_and_never_profiled() -> None:
    from engagement.pipeline import estimate_profile_coverage_result, try_profiles

    participation, combined = _with_probability_sample()
    result = analyse(combined, demo_reference())
    ids = set(result.profiles.assignments["respondent_id"].astype(str))
    assert len(ids) == len(participation) and not any(i.startswith("bp") for i in ids)
    typed = result.profile_coverage
    assert typed.reference == "steekproef"
    assert "mensen, gewogen" in typed.assumption  # those of the 200 with a profile
    table = typed.to_frame()
    # the respondent shares are those of the participation rows, not of the sample
    own = try_profiles(participation)[0]
    alone = estimate_profile_coverage_result(own, participation, demo_reference())
    assert alone is not None and alone.reference == "cbs_cellen"
    assert table["respondent_share"].sum() == pytest.approx(1.0)
    assert (table["share_low"] <= table["population_share_estimate"]).all()
    # the sample is drawn from the same people: no profile is clearly under-reached
    assert not (table["flag"] == "under").any()


def test_try_profiles_passes_the_full_statements_and_the_teams_axes() -> None:
    from engagement.pipeline import try_profiles

    respondents = demo_respondents()
    items = [c for c in respondents.columns if c.startswith("item:")]
    labels = {c: f"Stelling over {c.removeprefix('item:').replace('_', ' ')}, zoals gevraagd." for c in items}
    result, problem = try_profiles(respondents, "lca", labels=labels)
    assert problem is None
    shown = {a["item"] for card in result.cards for a in card.top_answers}
    assert shown and shown <= set(labels.values())  # the full statement, never the column key
    axes = {"engagement": items[:2], "trust": items[-2:]}
    kompas, _ = try_profiles(respondents, "kompas", axes=axes)
    assert set(kompas.items) == set(items[:2] + items[-2:])
