"""The privacy rules shared by every export: suppression and formula escaping."""
from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from reports import privacy

PAYLOADS = ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1:A9)", "\t=cmd", "\r=cmd",
            "=HYPERLINK(\"http://evil.example\",\"klik\")", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_is_prefixed(payload: str) -> None:
    assert privacy.escape_text(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Buurt Noord", "15 tot 25 jaar", "<10", "x", "", 3, -2.5, None])
def test_other_values_pass_unchanged(value) -> None:
    assert privacy.escape_text(value) == value


def test_csv_output_is_escaped() -> None:
    frame = pd.DataFrame({"Groep": ["Noord", *PAYLOADS], "Aantal": range(len(PAYLOADS) + 1),
                          "=kolom": "tekst"})
    rows = list(csv.reader(io.StringIO(privacy.safe_csv(frame)), delimiter=";"))
    assert rows[0][2] == "'=kolom"
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(privacy.FORMULA_START)]
    assert [r[0] for r in rows[2:]] == ["'" + p for p in PAYLOADS]
    assert rows[1] == ["Noord", "0", "tekst"]


@pytest.mark.parametrize("k, used", [(10, 10), (12, 12), (5, 5), (3, 5), (0, 5), (None, 10)])
def test_k_is_never_below_five(k, used) -> None:
    assert privacy.effective_k(k) == used


def test_one_small_cell_gets_a_complement() -> None:
    status = privacy.suppress({"a": 3, "b": 50, "c": 60, "d": 40}, [["a", "b", "c", "d"]], 10)
    assert status == {"a": "primary", "b": "", "c": "", "d": "secondary"}


def test_two_small_cells_need_no_complement() -> None:
    status = privacy.suppress({"a": 3, "b": 7, "c": 60}, [["a", "b", "c"]], 10)
    assert status == {"a": "primary", "b": "primary", "c": ""}


def test_zero_is_shown_and_not_used_as_complement() -> None:
    assert privacy.suppress({"a": 0, "b": 50}, [["a", "b"]], 10) == {"a": "", "b": ""}
    assert privacy.suppress({"a": 0, "b": 3, "c": 50, "d": 70}, [["a", "b", "c", "d"]], 10) == \
        {"a": "", "b": "primary", "c": "secondary", "d": ""}


def test_fractional_estimates_below_k_are_small() -> None:
    assert privacy.suppress({"a": 9.6, "b": 10.0, "c": 30}, [["a", "b", "c"]], 10)["a"] == "primary"


def test_two_way_table_repeats_until_every_row_and_column_is_safe() -> None:
    # rows r1..r3 × columns c1..c3; only (r1, c1) is small
    values = {("r1", "c1"): 2, ("r1", "c2"): 30, ("r1", "c3"): 12,
              ("r2", "c1"): 11, ("r2", "c2"): 40, ("r2", "c3"): 50,
              ("r3", "c1"): 25, ("r3", "c2"): 45, ("r3", "c3"): 35}
    rows = [[(r, c) for c in ("c1", "c2", "c3")] for r in ("r1", "r2", "r3")]
    cols = [[(r, c) for r in ("r1", "r2", "r3")] for c in ("c1", "c2", "c3")]
    status = privacy.suppress(values, rows + cols, 10)
    for group in rows + cols:
        assert sum(bool(status[key]) for key in group) != 1
    assert status[("r1", "c1")] == "primary"
    assert status[("r1", "c3")] == "secondary" and status[("r2", "c1")] == "secondary"


def test_forced_cells_count_as_hidden() -> None:
    status = privacy.suppress({"a": 30, "b": 50, "c": 60}, [["a", "b", "c"]], 10, forced={"c": "secondary"})
    assert status == {"a": "secondary", "b": "", "c": "secondary"}


def test_a_fixed_cell_is_never_the_complement() -> None:
    # "rest" is published elsewhere (e.g. respondents without a buurt): hiding it helps nothing
    status = privacy.suppress({"a": 3, "rest": 12, "b": 120}, [["a", "rest", "b"]], 10, fixed=["rest"])
    assert status == {"a": "primary", "rest": "", "b": "secondary"}


def test_an_exempt_cell_is_not_hidden_for_being_small_but_can_be_a_complement() -> None:
    status = privacy.suppress({"a": 3, "onbekend": 4, "b": 120}, [["a", "onbekend", "b"]], 10,
                              exempt=["onbekend"])
    assert status == {"a": "primary", "onbekend": "secondary", "b": ""}


def test_the_cheapest_complement_by_cost() -> None:
    status = privacy.suppress({"a": 3, "b": 12, "c": 40}, [["a", "b", "c"]], 10, cost={"b": 1e9})
    assert status == {"a": "primary", "b": "", "c": "secondary"}


def test_an_unpublished_cell_protects_until_the_table_gives_it_away() -> None:
    u = privacy.UNPUBLISHED
    # row: total = a + u1 (u1 shown nowhere): two unknowns, no complement needed
    assert privacy.suppress({"a": 3, "u1": 40}, [["a", "u1"]], 10, forced={"u1": u}) == \
        {"a": "primary", "u1": u}
    # but u1 is the only unknown of a column whose other cell is shown: a reader works it
    # out, and then a is alone in its row, so the row gets a complement
    status = privacy.suppress({"a": 3, "u1": 40, "b": 30, "c": 25},
                              [["a", "u1", "b"], ["u1", "c"]], 10, forced={"u1": u})
    assert status["a"] == "primary" and status["b"] == "secondary" and status["c"] == ""
    # an unpublished cell alone in its group needs no complement itself
    assert privacy.suppress({"u1": 40, "c": 25}, [["u1", "c"]], 10, forced={"u1": u}) == {"u1": u, "c": ""}


@pytest.mark.parametrize("small, complement", [((1, 1), True), ((9, 9), True), ((3, 4), False), ((1, 2), False)])
def test_small_cells_that_only_add_up_at_their_bounds_get_a_complement(small, complement) -> None:
    # '<10' means 1 to 9: 1 + 1 = 2 and 9 + 9 = 18 give both back; 3 + 4 = 7 does not
    values = {"a": small[0], "b": small[1], "c": 50, "d": 60}
    status = privacy.suppress(values, [list(values)], 10)
    assert (status["c"] == "secondary") is complement and status["d"] == ""


@pytest.mark.parametrize("to_reach, n, status, text", [
    (16, 8, "", "16"), (16, 8, "primary", "minstens 15"), (25, 3, "primary", "minstens 19"),
    (2, 3, "primary", None), (0, 3, "primary", None), (0, 9, "primary", None), (14, 38, "secondary", None), (None, 3, "primary", None),
])
def test_to_reach_never_gives_a_hidden_count_back(to_reach, n, status, text) -> None:
    assert privacy.to_reach_text(to_reach, n, status, 10) == text


def test_a_hidden_count_gets_the_same_to_reach_text_whatever_it_is() -> None:
    # the target ⌈p·n⌉ is public (the reference share and n are shown): whatever the hidden
    # count 1..9 is, the text shown must be the same, or it tells the count apart
    for target in range(0, 30):
        texts = {privacy.to_reach_text(max(0, target - hidden), hidden, "primary", 10) for hidden in range(1, 10)}
        assert len(texts) == 1, (target, texts)


def test_protect_frame_hides_derived_columns_per_group() -> None:
    frame = pd.DataFrame({"period": ["w1"] * 3 + ["w2"] * 3, "cat": list("abc") * 2,
                          "n": [2, 20, 30, 4, 40, 50], "share": [0.04, 0.4, 0.56, 0.04, 0.43, 0.53]})
    out, status = privacy.protect_frame(frame, "n", ["share"], ["period"], 10)
    assert out["n"].tolist() == ["<10", "x", 30, "<10", "x", 50]
    assert out["share"].tolist() == ["<10", "x", 0.56, "<10", "x", 0.53]
    assert status.tolist() == ["primary", "secondary", "", "primary", "secondary", ""]


def test_small_counts_in_engine_sentences_are_masked() -> None:
    text = "Geslacht: 2 antwoorden passen bij geen groep; 25 respondenten wel."
    assert privacy.mask_small_counts(text, 10) == \
        "Geslacht: minder dan 10 antwoorden passen bij geen groep; 25 respondenten wel."


def test_masking_twice_never_nests() -> None:
    once = privacy.mask_small_counts("Let op: 3 mensen zonder datum.", 10)
    assert once == "Let op: minder dan 10 mensen zonder datum."
    assert privacy.mask_small_counts(once, 10) == once
    assert "minder dan minder dan" not in privacy.mask_small_counts("minder dan 5 mensen", 10)


# --------------------------------------------------------------------------- the summary

HOUSEHOLD = {"eenpersoons": 1000, "paar_zonder_kinderen": 800, "met_kinderen": 2200}


def _summary_case():
    """Gender: 8 men of 100 (hidden, '<10', and clearly under); household 55 % unknown
    (every verdict 'onzeker', also the groups that look over or in line); age clear."""
    from engagement.coverage import compute_coverage
    from engagement.outreach import group_name, load_rules
    from reference.model import BuurtReference
    from reports.report import build_report_data

    reference = BuurtReference(
        areas=(("BU1", "Proef"),), year=2024, table="t", population=4000, eligible_population=4000,
        min_age=18, dimensions={"gender": {"man": 2000, "vrouw": 2000}, "household": HOUSEHOLD,
                                "age": {"18-45": 2000, "45+": 2000}})
    frame = pd.DataFrame({
        "gender": ["man"] * 8 + ["vrouw"] * 92,
        "household": ["eenpersoons"] * 10 + ["paar_zonder_kinderen"] * 15 + ["met_kinderen"] * 20 + [None] * 55,
        "age": [30.0] * 20 + [60.0] * 80})
    coverage = compute_coverage(frame, reference, weighting=False)
    data = build_report_data(coverage=coverage, project_name="Proef")
    rules = load_rules()
    return coverage, data, (lambda key: group_name(rules, key))


def test_summary_names_no_hidden_and_no_uncertain_group() -> None:
    coverage, data, name = _summary_case()
    summary = " ".join(data.summary)
    household = coverage.dimension("household")
    assert all(c.uncertain for c in household.categories)  # 55 % unknown: not even 'in lijn'
    for cat in household.categories:
        assert name(f"household:{cat.category}") not in summary
    hidden = data.coverage[data.coverage["_status"] != ""]
    assert set(hidden["_category"]) == {"man", "vrouw"}
    for category in hidden["_category"]:
        assert name(f"gender:{category}") not in summary
    # age is certain and shown: 18-45 is clearly under and is named
    assert f"Duidelijk ondervertegenwoordigd: {name('age:18-45')}." in summary
    assert "noemen we hier niet" in summary and "Bij huishouden" in summary
    assert "Alle groepen zijn ongeveer in verhouding bereikt" not in summary
    assert " % " not in summary  # one percentage style: "55%"
    headline = dict(zip(data.headline["Onderwerp"], data.headline["Waarde"]))
    assert headline["Groepen ondervertegenwoordigd"] == 2  # 18-45 and the hidden men, not household


def test_summary_without_hidden_or_uncertain_groups_is_unchanged() -> None:
    from engagement.coverage import compute_coverage
    from reference.model import BuurtReference
    from reports.report import build_report_data

    reference = BuurtReference(areas=(("BU1", "Proef"),), year=2024, table="t", population=4000,
                               eligible_population=4000, min_age=18,
                               dimensions={"gender": {"man": 2000, "vrouw": 2000}})
    frame = pd.DataFrame({"gender": ["man"] * 48 + ["vrouw"] * 52})
    data = build_report_data(coverage=compute_coverage(frame, reference, weighting=False))
    summary = " ".join(data.summary)
    assert "Alle groepen zijn ongeveer in verhouding bereikt." in summary
    assert "noemen we hier niet" not in summary and "onzeker" not in summary
