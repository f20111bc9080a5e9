"""One rule per idea: thresholds, the status decision, group phrases and the CBS citation
live once (engagement.vocabulary, reference.citation, surveys.thresholds) and every
engine in engagement/ and reference/ uses that one copy."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from engagement import vocabulary as v
from engagement.batch import batch_coverage
from engagement.coverage import dimension_coverage
from reference.citation import CBS_SOURCE, cbs_source, short_line, source_line
from reference.model import BuurtReference

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("flag,significant,expected,uncertain,status", [
    ("unreached", False, 2.0, False, "unreached"),   # nobody heard beats too few data
    ("under", True, 4.9, False, "few"),              # a ratio on 4.9 expected people means nothing
    ("under", True, 5.0, False, "under_sig"),
    ("under", False, 5.0, False, "under"),
    ("over", True, 30.0, False, "over"),
    ("ok", False, 30.0, False, "ok"),
    ("under", True, 30.0, True, "uncertain"),        # many unknowns beat everything
])
def test_the_one_status_decision(flag, significant, expected, uncertain, status) -> None:
    assert v.category_status(flag, significant, expected, uncertain=uncertain) == status


def test_labels_come_from_the_status() -> None:
    assert v.category_label("under", True, 12.0) == "duidelijk ondervertegenwoordigd"
    assert v.category_label("under", False, 12.0, uncertain_pct=55) == "onzeker: 55% onbekend"
    assert v.status_label("few") == v.LABEL_TOO_FEW == "te weinig gegevens"


def test_flags_at_the_edges_of_the_band() -> None:
    ratios = np.array([0.0, 0.79, 0.8, 1.25, 1.26])
    assert list(v.ratio_flags(ratios, ratios)) == ["unreached", "under", "ok", "ok", "over"]
    assert list(v.ratio_flags(ratios)) == ["under", "under", "ok", "ok", "over"]  # cells: no unreached
    assert (v.UNDER, v.OVER) == (0.8, 1.25)


def test_in_line_is_uncertain_when_a_bound_leaves_the_band() -> None:
    flips = v.could_flip(np.array(["ok", "ok", "under", "over"]), np.array([0.9, 0.7, 0.5, 1.3]),
                         np.array([1.1, 1.1, 0.79, 2.0]))
    assert list(flips) == [False, True, False, False]


def test_the_batch_engine_looks_the_decision_up() -> None:
    """Every (flag, too few, significant) combination gets the label coverage would give."""
    table = v.status_table()
    assert len(table) == len(v.FLAGS) * 4
    for (code, low, significant), status in table.items():
        expected = 1.0 if low else 50.0
        assert v.status_label(status) == v.category_label(v.FLAGS[code], significant, expected)


def test_coverage_and_batch_give_the_same_status_for_a_small_group() -> None:
    population = {"15-25": 40.0, "25-45": 920.0, "45-65": 40.0}
    counts = {"15-25": 1.0, "25-45": 97.0, "45-65": 2.0}
    one = dimension_coverage("age", counts, 0.0, population, simulate=False)
    frame = batch_coverage(
        pd.DataFrame({"area_code": "A", "dimension": "age", "category": list(counts),
                      "respondents": list(counts.values())}),
        pd.DataFrame({"area_code": "A", "dimension": "age", "category": list(population),
                      "population": list(population.values())}))
    assert [c.label for c in one.categories] == list(frame["label"].astype(str))
    assert one.categories[0].label == "te weinig gegevens"   # 4 expected of 100: below 5


def test_group_phrases_once_with_overrides() -> None:
    assert v.group_phrase("tenure", "huur_corporatie") == "huurders van een woningcorporatie"
    assert v.group_phrase("tenure", "koop", {"tenure:koop": "kopers"}) == "kopers"
    assert v.group_phrase("profile", "Op afstand") == "bewoners uit het profiel Op afstand"
    assert v.group_phrase("age", "30-40") == "mensen met leeftijd '30-40'"
    assert v.category_phrase("eenpersoons") == v.group_phrase("household", "eenpersoons")


def test_the_outreach_rules_no_longer_repeat_the_phrases() -> None:
    from engagement.outreach import group_name, load_rules

    rules = load_rules()
    assert not set(rules.groups) & set(v.GROUP_PHRASES)
    assert group_name(rules, "age:65+") == "65-plussers"


def test_the_cbs_citation() -> None:
    assert cbs_source(2024) == "Bron: CBS, Kerncijfers wijken en buurten 2024"
    assert source_line(cbs_source(2024), 2024, "85984NED") == (
        "Bron: CBS, Kerncijfers wijken en buurten 2024 (tabel 85984NED). Licentie: CC BY 4.0.")
    assert source_line() == "Bron: CBS, Kerncijfers wijken en buurten. Licentie: CC BY 4.0."
    assert source_line("Bron: eigen referentietabel (x.csv)", None, "eigen") == \
        "Bron: eigen referentietabel (x.csv) (eigen)."
    assert short_line(CBS_SOURCE, 2023) == "Bron: CBS, Kerncijfers wijken en buurten 2023 (CC BY 4.0)"
    reference = BuurtReference(areas=(), year=None, table="t", population=1.0, eligible_population=1.0,
                               min_age=0, dimensions={})
    assert reference.source == CBS_SOURCE


# ---- no second copy in the engines ---------------------------------------------------

RULE_HOMES = {"vocabulary.py", "thresholds.py", "citation.py"}
OTHERS = {"areas.py", "themes.py", "numbers.py"}  # new modules of this round, checked by their owners


def _library() -> list[Path]:
    files = [p for pkg in ("engagement", "reference") for p in sorted((ROOT / pkg).glob("*.py"))]
    return [p for p in files if p.name not in RULE_HOMES | OTHERS]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


@pytest.mark.parametrize("path", _library(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_second_copy_of_a_rule(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    labels = set(v.STATUS_LABELS.values()) | {v.LABEL_REFERENCE_UNCERTAIN}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in skip:
            assert node.value not in (0.8, 1.25) or isinstance(node.value, bool), \
                f"line {node.lineno}: use vocabulary.UNDER / OVER"
            if isinstance(node.value, str):
                assert "Bron: CBS" not in node.value, f"line {node.lineno}: the citation is reference.citation's"
                assert node.value not in labels, f"line {node.lineno}: the label lives in engagement.vocabulary"
        if isinstance(node, ast.Assign):
            names = {t.id for t in node.targets if isinstance(t, ast.Name)}
            assert not names & {"MIN_EXPECTED", "UNDER", "OVER", "GROUP_PHRASES"} or path.name == "coverage.py", \
                f"line {node.lineno}: {names} lives in engagement.vocabulary"


def test_a_category_carries_its_status() -> None:
    result = dimension_coverage("age", {"15-25": 0.0, "25-45": 60.0, "45-65": 40.0}, 0.0,
                                {"15-25": 300.0, "25-45": 400.0, "45-65": 300.0}, simulate=False)
    young = result.categories[0]
    assert young.status == "unreached" and v.status_label(young.status) == young.label
    assert "status" not in young.to_dict()  # the JSON of DESIGN.md is unchanged


def test_a_verdict_inside_the_reference_range_is_uncertain_in_both_engines() -> None:
    """Flagged under at one end of the buurt's own range, in line at the other: 'onzeker:
    marge in de buurtcijfers' (never 'duidelijk'), the same in coverage and batch."""
    population = {"15-25": 400.0, "25-45": 600.0}
    margins = {"15-25": 60.0, "25-45": 2.5}
    counts = {"15-25": 30.0, "25-45": 70.0}   # 0.30 heard vs 0.34..0.46 in the buurt
    one = dimension_coverage("age", counts, 0.0, population, simulate=False, margins=margins)
    young = one.categories[0]
    assert young.label == v.LABEL_REFERENCE_UNCERTAIN and young.status == "uncertain"
    assert v.category_status("under", True, 30.0, reference_uncertain=True) == "uncertain"
    assert v.category_label("under", True, 30.0, reference_uncertain=True) == v.LABEL_REFERENCE_UNCERTAIN
    assert v.category_label("under", True, 30.0, 60, reference_uncertain=True) == "onzeker: 60% onbekend"
    frame = batch_coverage(
        pd.DataFrame({"area_code": "A", "dimension": "age", "category": list(counts),
                      "respondents": list(counts.values())}),
        pd.DataFrame({"area_code": "A", "dimension": "age", "category": list(population),
                      "population": list(population.values()), "margin": list(margins.values())}))
    assert list(frame["label"].astype(str)) == [c.label for c in one.categories]
    assert list(frame["category_uncertain"]) == [c.uncertain for c in one.categories]


# ---------------------------------------------------------------------------- age labels follow min_age

@pytest.mark.parametrize("category,min_age,dimension,expected", [
    ("15-25", 18, None, "18 tot 25 jaar"),      # only residents from 18 count in this band
    ("15-25", 16, "age", "16 tot 25 jaar"),
    ("15-25", 15, "age", "15 tot 25 jaar"),     # the band starts at min_age: unchanged
    ("15-25", None, "age", "15 tot 25 jaar"),
    ("25-45", 18, "age", "25 tot 45 jaar"),     # starts above min_age
    ("0-15", 18, "age", "0 tot 15 jaar"),       # wholly below: no residents count, own name
    ("65+", 70, "age", "70 jaar en ouder"),     # an open band too
    ("18-29", 21, "age", "21 tot 30 jaar"),     # a custom band, read by surveys.age_bands
    ("koop", 18, "tenure", "Koopwoning"),
])
def test_group_label_names_an_age_band_from_the_minimum_age(category, min_age, dimension, expected) -> None:
    assert v.group_label(category, min_age, dimension) == expected


def test_group_phrase_follows_the_minimum_age() -> None:
    assert v.group_phrase("age", "15-25", min_age=18) == "jongeren van 18 tot 25 jaar"
    assert v.group_phrase("age", "15-25", min_age=20) == "jongeren van 20 tot 25 jaar"
    assert v.group_phrase("age", "15-25") == "jongeren van 15 tot 25 jaar"
    assert v.group_phrase("age", "0-15", min_age=12) == "mensen van 12 tot 15 jaar"
    assert v.group_phrase("age", "65+", min_age=18) == "65-plussers"
    assert v.group_phrase("age", "15-25", {"age:15-25": "jongeren (15 tot 25 jaar)"}, min_age=18) \
        == "jongeren (18 tot 25 jaar)"                      # an override follows it too
    assert v.category_phrase("15-25", 18) == "jongeren van 18 tot 25 jaar"


def test_age_words_raises_only_bands_that_start_below_min_age() -> None:
    text = ("De meeste jongeren van 15 tot 25 jaar die we missen; mensen van 25 tot 45 jaar; "
            "kinderen van 0 tot 15 jaar; in 2015 tot 2025 jaar")
    out = v.age_words(text, 18)
    assert "jongeren van 18 tot 25 jaar" in out and "15 tot 25" not in out
    assert "25 tot 45 jaar" in out and "0 tot 15 jaar" in out
    assert "2015 tot 2025 jaar" in out                      # no age band: unchanged
    assert v.age_words(text, None) == text


def test_age_words_agrees_with_group_label_for_every_cbs_band() -> None:
    from surveys.categories import AGE_BANDS, label

    for min_age in (0, 12, 15, 16, 18, 21, 65, 70):
        for code in AGE_BANDS:
            assert v.age_words(label(code), min_age) == v.group_label(code, min_age, "age") or \
                code.endswith("+")   # '65 jaar en ouder' is no 'X tot Y' text
