"""AppTest of the Profielen page: a name typed for one kind of profiles never lands on the
other kind (the name fields are per project and method)."""
from __future__ import annotations

from pathlib import Path

import pytest
from builders import stacked_tables
from streamlit.testing.v1 import AppTest

from engagement.pipeline import try_profiles
from store.projects import Store

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_switching_method_keeps_names_apart(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.switch_page("ui/pages/profielen.py").run()
    assert not at.exception and not at.main.error
    kompas = {t.key.rsplit("_", 1)[1]: t.value for t in at.text_input}
    assert kompas["0"] == "Meebouwers"

    at.radio[0].set_value("lca").run()
    assert not at.exception and not at.main.error
    project_id = at.session_state["project_id"]
    assert "lca" not in Store(data_dir=str(tmp_path)).get_project(project_id).profile_names
    store = Store(data_dir=str(tmp_path))
    own = try_profiles(store.respondents(project_id), "lca")[0]
    lca = {t.key.rsplit("_", 1)[1]: t.value for t in at.text_input}
    assert lca == {str(c.id): c.name for c in own.cards}  # the library's names, not the kompas fields'
    assert any(lca[k] != kompas[k] for k in lca)

    at.text_input(key=f"profile_name_{project_id}_lca_0").input("Stille buren").run()
    assert not at.exception
    names = Store(data_dir=str(tmp_path)).get_project(project_id).profile_names
    assert list(names) == ["lca"] and "Stille buren" in names["lca"].values()
    assert "### Stille buren" in [m.value for m in at.markdown]  # the card heading (h3 under h2)


def _coverage_table(flags, maybe, low=(0.1, 0.2), high=(0.4, 0.5)):
    import pandas as pd

    table = pd.DataFrame({"profile": [0, 1], "name": ["Meebouwers", "Op afstand"],
                          "respondent_share": [0.6, 0.4], "population_share_estimate": [0.3, 0.35],
                          "share_low": list(low), "share_high": list(high), "flag": list(flags),
                          "possibly_under": list(maybe), "covered_share": 1.0})
    return table


def test_coverage_title_claims_under_only_when_the_whole_bracket_says_so() -> None:
    from ui.profile_charts import coverage_title

    assert coverage_title(_coverage_table(["over", "under"], [False, False])) == \
        "Profielen: Op afstand spraken we minder dan er in de buurt wonen"
    straddles = coverage_title(_coverage_table(["uncertain", "uncertain"], [False, True]))
    assert "minder dan er" not in straddles and straddles.startswith("Profielen: misschien spraken we Op afstand")
    unsure = coverage_title(_coverage_table(["uncertain", "uncertain"], [False, False]))
    assert "niet te zeggen" in unsure and "minder" not in unsure
    assert coverage_title(_coverage_table(["ok", "ok"], [False, False])).endswith("lijken op de buurt")


def _flagged(spoken, low, high):
    """A coverage table whose flags come from profiles.coverage's own rule (as
    profile_coverage_result sets them) for these shares spoken and buurt brackets."""
    import pandas as pd

    from profiles.coverage import _flags
    from surveys.thresholds import OVER, UNDER

    n = len(spoken)
    table = pd.DataFrame({"profile": range(n), "name": [f"Profiel {i}" for i in range(n)],
                          "respondent_share": spoken, "population_share_estimate": [(a + b) / 2 for a, b in zip(low, high)],
                          "share_low": low, "share_high": high, "covered_share": 1.0})
    table["ratio"] = table["respondent_share"] / table["population_share_estimate"]
    table["ratio_low"] = table["respondent_share"] / table["share_high"]
    table["ratio_high"] = table["respondent_share"] / table["share_low"]
    table["flag"] = _flags(table["ratio"], table["ratio_low"], table["ratio_high"], UNDER, OVER)
    table["possibly_under"] = (table["flag"] == "uncertain") & (table["ratio_low"] < UNDER)
    return table


def test_profile_words_and_footnote_say_the_rule() -> None:
    """Re-walk: 'Vertrouwende toeschouwers 22%, 10% tot 32%' read 'misschien minder gesproken'
    and 'Meebouwers 18%, 6% tot 19%' 'niet te zeggen', while the footnote said 'niet te
    zeggen' was a bracket from less to more spoken: both brackets do that. The words of an
    unsure profile say what its bracket allows, and the footnote explains each word shown."""
    from profiles.coverage import FLAG_NOTES, FLAG_WORDS
    from ui.profile_charts import coverage_rows, coverage_title, flag_footnote

    table = _flagged([0.22, 0.18], [0.10, 0.06], [0.32, 0.19])
    rows = coverage_rows(table)
    assert rows["Betekenis"].str.startswith("misschien minder gesproken").tolist() == [True, False]
    assert rows.loc[1, "Betekenis"] == "niet te zeggen of we meer spraken dan er wonen; te weinig is het niet"
    note = flag_footnote(table, "cbs_cellen")
    assert "van minder naar meer" not in note
    for key, text in FLAG_NOTES.items():  # each note quotes the words it explains
        assert FLAG_WORDS[key].lower().startswith(text.split("'")[1].lower())
        assert text in note
    assert "aselecte steekproef" in note and "aselecte steekproef" not in flag_footnote(table, "steekproef")
    assert flag_footnote(_flagged([0.2], [0.18], [0.22]), "cbs_cellen") == ""  # 'ok': nothing to explain
    only_unsure = _flagged([0.18], [0.06], [0.19])
    assert coverage_title(only_unsure).startswith("Profielen: geen profiel spraken we te weinig")


def test_unsure_words_hold_for_every_bracket() -> None:
    """Over a grid of brackets: 'niet te zeggen of we meer spraken … te weinig is het niet'
    only where no part of the bracket is too few and some part is more; 'misschien minder'
    only where some part is too few."""
    import itertools

    from surveys.thresholds import OVER, UNDER

    grid = [(s, lo, hi) for s, lo, hi in itertools.product([0.05, 0.1, 0.18, 0.22, 0.3, 0.5],
                                                           [0.02, 0.06, 0.1, 0.15, 0.2, 0.3],
                                                           [0.12, 0.19, 0.25, 0.32, 0.45, 0.6]) if lo < hi]
    table = _flagged(*map(list, zip(*grid)))
    unsure = table[(table["flag"] == "uncertain") & ~table["possibly_under"]]
    maybe = table[table["possibly_under"]]
    assert len(unsure) and len(maybe)
    assert (unsure["ratio_low"] >= UNDER).all() and (unsure["ratio_high"] > OVER).all()
    assert (maybe["ratio_low"] < UNDER).all() and ~((maybe["ratio_high"] < 1) & (maybe["ratio"] < UNDER)).any()


def test_coverage_chart_has_the_bracket_as_error_bars_and_wraps_long_names() -> None:
    from ui.charts_vega_profiles import profile_coverage_chart
    from ui.profile_charts import coverage_rows

    table = _coverage_table(["uncertain", "uncertain"], [False, True])
    long_name = "Op afstand, vaker eens met ‘Ik vertrouw erop dat de gemeente iets met mijn mening doet’"
    table.loc[1, "name"] = long_name
    spec = profile_coverage_chart(table)
    rows_drawn = spec["data"]["values"]
    assert [r["gesproken"] for r in rows_drawn] == pytest.approx([60.0, 40.0])
    assert [v for r in rows_drawn for v in (r["laag"], r["schatting"], r["hoog"])] == pytest.approx(
        [10.0, 30.0, 40.0, 20.0, 35.0, 50.0])  # the bracket around the estimate
    (rule,) = [la for la in spec["layer"] if la["mark"]["type"] == "rule"]
    assert (rule["encoding"]["x"]["field"], rule["encoding"]["x2"]["field"]) == ("laag", "hoog")
    (bar,) = [la for la in spec["layer"] if la["mark"]["type"] == "bar"]
    label = bar["encoding"]["y"]["axis"]["labelExpr"]  # the long name broken over lines, in full
    assert "Ik vertrouw erop dat de" in label and "gemeente iets met mijn" in label and long_name in label
    rows = coverage_rows(table).set_index("Profiel")
    assert rows.iloc[0]["Betekenis"] == "niet te zeggen of we meer spraken dan er wonen; te weinig is het niet"
    assert rows.iloc[1]["Betekenis"].startswith("misschien minder gesproken")
    assert rows.iloc[1]["Bandbreedte"] == "20% tot 50%"


def test_selection_table_in_dutch() -> None:
    import numpy as np
    import pandas as pd

    from ui.profile_charts import as_table, selection_table

    raw = pd.DataFrame({"k": [1, 2, 3], "bic": [6116.99, 5805.7, 5900.0], "sabic": [6015.5, 5599.6, 5500.1],
                        "entropy": [1.0, 0.9, 0.8], "smallest_share": [1.0, 0.46, 0.046],
                        "smallest_size": [300, 138, 14], "stability": [np.nan, 0.88, np.nan],
                        "chosen": [False, True, False], "note": ["", "Gekozen: 2 groepen.", "**Te** klein"]})
    table = selection_table(raw)
    assert list(table.columns) == ["Aantal groepen", "BIC", "SABIC", "Kleinste groep (mensen)",
                                   "Kleinste groep (%)", "Stabiliteit (zwakste groep)", "Gekozen", "Toelichting"]
    row = table.iloc[1]
    assert (row["Aantal groepen"], row["BIC"], row["Kleinste groep (%)"], row["Stabiliteit (zwakste groep)"],
            row["Gekozen"]) == (2, "5.806", "46,0%", "0,88", "ja")
    assert table.iloc[2]["Kleinste groep (%)"] == "4,6%" and table.iloc[0]["Stabiliteit (zwakste groep)"] == ""
    shown = as_table(table).data  # st.table renders Markdown: text cells are escaped
    assert shown.iloc[2]["Toelichting"] == r"\*\*Te\*\* klein"


def test_lca_page_shows_selection_flags_and_profile_coverage(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=180).run()
    at.switch_page("ui/pages/profielen.py").run()
    at.radio[0].set_value("lca").run()
    assert not at.exception and not at.main.error
    assert [e.label for e in at.expander] == ["Hoe zijn deze groepen berekend?"]
    # both as stacked tables: a table on a screen, one card per row on a phone (no words
    # broken mid-letter at 390 px, as st.table did with 'Meebouwer s')
    selection, coverage = stacked_tables(at)
    assert list(selection.columns)[:2] == ["Aantal groepen", "BIC"] and "ja" in set(selection["Gekozen"])
    assert list(coverage.columns) == ["Profiel", "Gesproken", "Geschat in de buurt", "Bandbreedte",
                                      "Betekenis"]
    assert not at.get("table"), "no st.table left on Profielen"
    project_id = at.session_state["project_id"]
    own = try_profiles(Store(data_dir=str(tmp_path)).respondents(project_id), "lca")[0]
    flagged = [c for c in own.cards if c.flag]
    assert flagged, "the demo's latent classes include a small, flagged group"
    badges = [str(m.value) for m in at.markdown if "badge[" in str(m.value)]
    assert all(any(c.flag in text for text in badges) for c in flagged)
    captions = " ".join(str(c.value) for c in at.caption)
    assert "Betrouwbaarheid: stabiliteit" in captions and "zekerheid van de indeling" in captions
    assert all(c.note.split(":")[0] in captions for c in flagged)
    info = " ".join(str(i.value) for i in at.info)
    assert "Wegen op leeftijd en geslacht lost dat niet op" in info
    assert "p_adj" not in captions
