"""fit_profiles / describe_profiles end to end, bad input, and the `profiles` CLI."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from profiles import KMeansProfiles, ProfileDataError, describe_profiles, fit_profiles
from tests.profiles_data import ITEM_TEXTS, planted_items, respondents_table


@pytest.fixture(scope="module")
def planted():
    X, truth = planted_items(n=300, k=3, n_items=8, p_main=0.7, missing=0.03, seed=4)
    return respondents_table(X), truth


def _labels(result) -> np.ndarray:
    return np.array([-1 if p is None else p for p in result.assignments["profile"]])


@pytest.fixture(scope="module")
def lca_result(planted):
    return fit_profiles(planted[0], method="lca")


def test_lca_end_to_end(planted, lca_result) -> None:
    df, truth = planted
    result = lca_result
    assert result.method == "lca" and result.k == 3
    assert adjusted_rand_score(truth, _labels(result)) >= 0.8  # 8 items, favourites may overlap
    assert result.assignments["respondent_id"].tolist() == df["respondent_id"].tolist()
    assert all(0 < p <= 1 for p in result.assignments["probability"])
    assert set(result.selection.columns) >= {"k", "bic", "entropy", "smallest_share", "stability"}
    assert sum(c.size for c in result.cards) == len(df)
    assert all(c.top_answers for c in result.cards)
    assert not any(i in result.items for i in ("age_band", "gender", "channel", "tenure"))
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) >= {"method", "k", "selection", "profiles", "assignments"}
    assert set(data["profiles"][0]) >= {"id", "name", "size", "share", "top_answers"}
    text = describe_profiles(result)
    assert text.startswith("Methode: latente klassen. Aantal profielen: 3.")
    assert "mensen" in text


def test_same_input_same_labels(planted, lca_result) -> None:
    again = fit_profiles(planted[0], method="lca")
    assert _labels(again).tolist() == _labels(lca_result).tolist()
    assert [c.name for c in again.cards] == [c.name for c in lca_result.cards]


def test_kompas_end_to_end_with_axes(planted) -> None:
    df = planted[0].copy()
    df.loc[0, [c for c in df.columns if c.startswith("item:")]] = np.nan
    result = fit_profiles(df, method="kompas")
    assert result.k == 5
    assert {c.name for c in result.cards} <= {"Meebouwers", "Kritische betrokkenen",
                                              "Vertrouwende toeschouwers", "Op afstand", "Afwachtend midden"}
    assert result.assignments.loc[0, "profile"] is None
    assert result.assignments.loc[0, "name"] == "onvoldoende antwoorden"
    assert {"engagement", "trust"} <= set(result.assignments.columns)
    assert "onvoldoende antwoorden" in describe_profiles(result)


def test_kmeans_reports_missing_handling(planted) -> None:
    df = planted[0].copy()
    items = [c for c in df.columns if c.startswith("item:")]
    df.loc[:9, items[:6]] = np.nan  # 10 respondents miss 6 of 8 items
    result = fit_profiles(df, method="kmeans", k=3)
    assert result.k == 3
    assert (_labels(result) == -1).sum() == 10
    assert any("10 respondenten" in w for w in result.warnings)
    assert any("aangevuld met het gemiddelde" in w for w in result.warnings)


def test_kmeans_estimator_contract() -> None:
    X = np.vstack([np.random.default_rng(0).normal(m, 0.3, size=(40, 3)) for m in (1, 3, 5)])
    X[0, :2] = np.nan
    model = KMeansProfiles(n_clusters="auto", k_range=(2, 4), n_boot=5, random_state=0)
    assert clone(model).get_params() == model.get_params()
    assert model.fit(X) is model
    assert model.n_clusters_ == 3 and model.n_excluded_ == 1 and model.labels_[0] == -1
    assert model.imputed_.tolist() == [0, 0, 0]
    assert model.predict(X).tolist() == model.labels_.tolist()
    assert np.isnan(model.predict_proba(X)[0]).all()


def test_bad_input_messages(planted) -> None:
    df = planted[0]
    with pytest.raises(ProfileDataError, match="minstens 30 respondenten.*nu 12"):
        fit_profiles(df.head(12))
    few = df[["respondent_id", "item:ik_ben_actief_in_mijn_buurt", "item:ik_vertrouw_de_gemeente"]]
    with pytest.raises(ProfileDataError, match="minstens 3 bruikbare vragen"):
        fit_profiles(few)
    with pytest.raises(ProfileDataError, match="Onbekende methode"):
        fit_profiles(df, method="gmm")
    with pytest.raises(ProfileDataError, match="geen antwoordvragen"):
        fit_profiles(df, items=["item:ik_ben_actief_in_mijn_buurt", "gender"])


def test_too_large_k_gets_a_message(planted) -> None:
    df = planted[0].head(70)
    result = fit_profiles(df, method="lca", k=6)
    assert result.k == 4  # 70 // 15
    assert any("hooguit 4 profielen" in w for w in result.warnings)


def test_unusable_items_are_listed(planted) -> None:
    df = planted[0].copy()
    df["item:leeg"] = np.nan
    df.loc[:5, "item:leeg"] = 3.0
    result = fit_profiles(df, method="lca", k=2)
    assert "item:leeg" not in result.items
    assert any("item:leeg" in w for w in result.warnings)


def _csv_export(n: int = 200) -> bytes:
    X, _ = planted_items(n=n, k=3, n_items=7, p_main=0.7, seed=3)
    words = {1: "Helemaal mee oneens", 2: "Mee oneens", 3: "Neutraal", 4: "Mee eens", 5: "Helemaal mee eens"}
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"Respondentnummer": range(1001, 1001 + n), "Leeftijd": rng.integers(18, 90, n),
                       "Geslacht": rng.choice(["Man", "Vrouw"], n)})
    for j in range(7):
        df[ITEM_TEXTS[j]] = [words[int(v)] if v == v else "" for v in X[:, j]]
    return df.to_csv(index=False).encode()


def test_cli_profiles_json(tmp_path) -> None:
    typer_testing = pytest.importorskip("typer.testing")
    from ui.cli import app

    src = tmp_path / "enquete.csv"
    src.write_bytes(_csv_export())
    out = tmp_path / "profielen.json"
    run = typer_testing.CliRunner().invoke(app, ["profiles", str(src), "--method", "kompas", "--json", str(out)])
    assert run.exit_code == 0, run.output
    assert "Methode: betrokkenheidskompas" in run.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["method"] == "kompas" and data["k"] == 5
    assert {str(a["respondent_id"]) for a in data["assignments"]} == {str(i) for i in range(1001, 1201)}
    run = typer_testing.CliRunner().invoke(app, ["profiles", str(src), "--method", "lca", "--k", "3"])
    assert run.exit_code == 0, run.output
    assert "Aantal profielen: 3" in run.output


def test_cli_too_few_respondents_exits_2(tmp_path) -> None:
    typer_testing = pytest.importorskip("typer.testing")
    from ui.cli import app

    src = tmp_path / "klein.csv"
    src.write_bytes(_csv_export(12))
    run = typer_testing.CliRunner().invoke(app, ["profiles", str(src)])
    assert run.exit_code == 2
    assert "minstens 30 respondenten" in run.output


def test_lca_does_not_guess_for_nearly_empty_rows_and_groups_long_scales(planted) -> None:
    df = planted[0].copy()
    items = [c for c in df.columns if c.startswith("item:")]
    df.loc[:4, items[1:]] = np.nan  # 5 people answered 1 of 8 questions
    df["item:rapportcijfer_voor_de_buurt"] = np.random.default_rng(1).integers(1, 11, len(df)).astype(float)
    result = fit_profiles(df, method="lca", k=3)
    assert result.assignments["profile"].iloc[:5].isna().all()
    assert (result.assignments["name"].iloc[:5] == "onvoldoende antwoorden").all()
    assert result.assignments["profile"].iloc[5:].notna().all()
    assert any("5 respondenten" in w for w in result.warnings)
    assert any("rapportcijfer" in w and "5 groepen" in w for w in result.warnings)


def test_excluded_rows_are_not_profiled_but_kept(planted) -> None:
    df = planted[0].copy()
    df["excluded"] = ""
    df.loc[[0, 5], "excluded"] = ["test", "non_resident"]
    result = fit_profiles(df, method="lca", k=3)
    assert len(result.assignments) == len(df)
    assert result.assignments["respondent_id"].tolist() == df["respondent_id"].tolist()
    assert result.assignments.loc[0, "profile"] is None and result.assignments.loc[5, "profile"] is None
    assert result.assignments.loc[0, "name"] == "niet meegeteld (test)"
    assert sum(c.size for c in result.cards) == len(df) - 2
    assert any("2 rijen tellen niet mee" in w for w in result.warnings)
    clean = fit_profiles(df[df["excluded"] == ""].drop(columns="excluded"), method="lca", k=3)
    assert [c.size for c in clean.cards] == [c.size for c in result.cards]
