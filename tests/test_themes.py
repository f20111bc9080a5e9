"""Themes check: matching (compounds, places, exclusions), indicators, the group × theme
matrix with intervals, suppression, silent groups, quotes, suggestions and the YAML merge."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from statsmodels.stats.proportion import proportion_confint

from engagement.themes import (
    Theme,
    ThemeDictionary,
    ThemeMatcher,
    ThemesFileError,
    default_themes,
    load_themes,
    merge_themes,
    option_themes,
    run_themes,
    suggest_themes,
    theme_indicators,
    theme_matrix,
    theme_quotes,
)
from reports.themes import protect_quotes, protect_theme_matrix, theme_table, themes_json

REQUIRED = ["verkeer_en_parkeren", "groen", "spelen", "veiligheid", "schoon_en_afval", "ontmoeting",
            "wonen", "voorzieningen", "armoede_en_geldzorgen", "eenzaamheid", "gezondheid_en_zorg",
            "jongeren", "openbare_ruimte", "overlast", "werk_en_inkomen"]


@pytest.fixture(scope="module")
def matcher() -> ThemeMatcher:
    return ThemeMatcher()


def test_default_dictionary_has_the_themes_of_the_issue() -> None:
    themes = default_themes()
    assert set(REQUIRED) <= set(themes.keys)
    assert themes.label("armoede_en_geldzorgen") == "Armoede en geldzorgen"
    assert all(t.terms for t in themes.themes)
    assert ThemeDictionary.from_dict(themes.to_dict()) == themes
    # the file a team downloads to start its own reads back as the same dictionary
    assert merge_themes(ThemeDictionary(()), themes.to_yaml().encode(), name="eigen.yaml") == themes


# --------------------------------------------------------------------------- matching

@pytest.mark.parametrize("text, theme", [
    ("Er is te weinig parkeerplaats in de straat", "verkeer_en_parkeren"),   # compound, place not after a preposition
    ("Overal staan auto's geparkeerd", "verkeer_en_parkeren"),               # verb form via the lemma
    ("Meer speeltuinen graag", "spelen"),                                    # plural of a compound
    ("Hondenpoep overal", "schoon_en_afval"),                                # explicit last part "-poep"
    ("Veel zwerfafval", "schoon_en_afval"),                                  # term "afval" as last part
    ("De afvalbakken puilen uit", "schoon_en_afval"),                        # … and as first part
    ("De energierekeningen zijn te hoog", "armoede_en_geldzorgen"),          # last part through its lemma
    ("Ze hebben de bomen gekapt", "groen"),                                  # plural via the lemma
    ("Ik voel me soms erg alleen", "eenzaamheid"),                           # phrase with a gap of ≤ 3 words
    ("Ik kan niet rond komen", "armoede_en_geldzorgen"),
    ("De stoep is kapot", "openbare_ruimte"),                                # a place that is the subject
    ("Onze huizen zijn slecht geïsoleerd", "duurzaamheid_en_energie"),       # accents do not matter
    ("De re-integratie loopt slecht", "werk_en_inkomen"),                    # hyphenated term
    ("Kinder-speeltuin is dicht", "spelen"),                                 # hyphenated compound joined
])
def test_hits(matcher: ThemeMatcher, text: str, theme: str) -> None:
    assert theme in matcher.themes_in(text)


@pytest.mark.parametrize("text, theme", [
    ("Het buurthuis is dicht", "wonen"),               # "huis" is too short to be the last part
    ("Ik werk in een werkgroep", "werk_en_inkomen"),    # "werk" only in phrases
    ("Jonge bomen zijn gekapt", "jongeren"),            # the lemma "jong" of "jongeren" is not used
    ("Bij de groenteboer is het druk", "groen"),        # exclusion: groente
    ("Natuurlijk ben ik tevreden", "groen"),            # exclusion: natuurlijk ≠ natuur
    ("Ik stem op GroenLinks", "groen"),
    ("Dit speelt al jaren in de wijk", "spelen"),       # "speelt" is not "speel-" + ≥ 3 letters
    ("Ik maak me zorgen over de buurt", "gezondheid_en_zorg"),   # "zorgen" (worries) excluded
    ("Hondenpoep op de stoep", "openbare_ruimte"),      # the stoep is only where
    ("Drugsdealers bij het pleintje", "openbare_ruimte"),
    ("Het is gebroken", "gezondheid_en_zorg"),          # "roken" is not in the list: too short a stem
    ("Ik woon hier al dertig jaar", "wonen"),           # the verb wonen is no theme
    ("De gemeente houdt geen rekening met ons", "armoede_en_geldzorgen"),
    ("Ik ga verhuizen", "wonen"),                       # ver+huizen is no compound of "huizen"
    ("Er zijn geen glijbanen", "werk_en_inkomen"),      # -baan compounds are no jobs
    ("Auto-inbraken nemen toe", "verkeer_en_parkeren"),  # a hyphenated first part is only a modifier
])
def test_non_hits(matcher: ThemeMatcher, text: str, theme: str) -> None:
    assert theme not in matcher.themes_in(text)


def test_nothing_in_empty_or_marker_only_text(matcher: ThemeMatcher) -> None:
    assert matcher.themes_in("") == frozenset()
    assert matcher.themes_in(None) == frozenset()
    assert matcher.themes_in("[naam] [telefoon]") == frozenset()


def test_a_place_does_not_reach_over_a_sentence_end(matcher: ThemeMatcher) -> None:
    assert "groen" in matcher.themes_in("Ik kom de stoep niet op. Het plantsoen is kaal.")
    assert "groen" not in matcher.themes_in("Er ligt afval in het plantsoen.")


def test_compound_rule_on_a_small_dictionary() -> None:
    themes = ThemeDictionary((Theme("a", "Afval", ("afval",)), Theme("h", "Huis", ("huis",)),
                              Theme("s", "Spelen", ("speel-",)), Theme("p", "Poep", ("-poep",))))
    m = ThemeMatcher(themes)
    assert m.themes_in("zwerfafval") == {"a"}       # ≥ 5 letters: last part
    assert m.themes_in("afvalbak") == {"a"}         # … and first part
    assert m.themes_in("afvalt") == frozenset()     # only 1 letter left: no compound
    assert m.themes_in("buurthuis") == frozenset()  # 4 letters: only as a word of its own
    assert m.themes_in("huis") == {"h"}
    assert m.themes_in("speeltuin") == {"s"}        # explicit first part, any length ≥ 3
    assert m.themes_in("speelt") == frozenset()
    assert m.themes_in("poepzak") == frozenset()    # "-poep" is a last part only
    assert m.themes_in("hondenpoep") == {"p"}


# --------------------------------------------------------------------------- indicators

def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    if "excluded" not in frame:
        frame["excluded"] = ""
    return frame


def test_indicators_from_text_and_topic_question() -> None:
    frame = _frame([
        {"text:opm": "Meer bomen graag", "multi:onderwerpen:verkeer_en_parkeren": True,
         "multi:onderwerpen:spelen_voor_kinderen": False, "multi:onderwerpen:anders": False,
         "multi:kanaal:via_de_buurtapp": True, "multi:kanaal:folder": False},
        {"text:opm": None, "multi:onderwerpen:verkeer_en_parkeren": False,
         "multi:onderwerpen:spelen_voor_kinderen": True, "multi:onderwerpen:anders": False,
         "multi:kanaal:via_de_buurtapp": False, "multi:kanaal:folder": True},
        {"text:opm": "  ", "multi:onderwerpen:verkeer_en_parkeren": pd.NA,
         "multi:onderwerpen:spelen_voor_kinderen": pd.NA, "multi:onderwerpen:anders": pd.NA,
         "multi:kanaal:via_de_buurtapp": True, "multi:kanaal:folder": False},
    ])
    for column in [c for c in frame if c.startswith("multi:")]:
        frame[column] = frame[column].astype("boolean")
    options = option_themes(frame)
    assert options["multi:onderwerpen:spelen_voor_kinderen"] == {"spelen"}
    assert "multi:kanaal:folder" not in options            # not a topic question
    found = theme_indicators(frame)
    assert list(found.index) == [0, 1]                     # row 2 answered neither question
    assert found.loc[0, "groen"] and found.loc[0, "verkeer_en_parkeren"] and not found.loc[0, "spelen"]
    assert found.loc[1, "spelen"] and not found.loc[1, "groen"]
    assert found.dtypes.eq(bool).all()


# --------------------------------------------------------------------------- matrix

def _world(groups: dict[str, tuple[int, int]], theme_text: str = "Meer bomen graag",
           other: str = "De huur is te hoog", dimension: str = "age_band") -> pd.DataFrame:
    """{category: (size, raising)}: `raising` respondents write `theme_text`, the rest `other`."""
    rows = []
    for category, (size, raising) in groups.items():
        for i in range(size):
            rows.append({dimension: category, "text:opm": theme_text if i < raising else other})
    return _frame(rows)


def test_matrix_counts_and_wilson_intervals() -> None:
    frame = _world({"25-45": (40, 10), "65+": (20, 0)})
    frame.loc[len(frame)] = {"age_band": None, "text:opm": "Meer bomen graag", "excluded": ""}
    frame.loc[len(frame)] = {"age_band": "25-45", "text:opm": "Meer bomen graag", "excluded": "test"}
    matrix = theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",))
    assert matrix.respondents == 61                          # the test entry does not count
    groen = next(t for t in matrix.themes if t.theme == "groen")
    assert groen.respondents == 11 and groen.share == pytest.approx(11 / 61)
    cell = next(g for g in matrix.groups if g.category == "25-45" and g.theme == "groen")
    assert cell.dimension == "age"
    assert (cell.group_respondents, cell.respondents, cell.share) == (40, 10, 0.25)
    low, high = proportion_confint(10, 40, alpha=0.05, method="wilson")
    assert (cell.ci_low, cell.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert matrix.unknown == {"age": 1}
    assert matrix.unknown_raised[("age", "groen")] == 1
    assert [g.category for g in matrix.groups if g.theme == "groen"] == ["25-45", "65+"]


def test_silent_group_needs_size_theme_count_and_expected_mentions() -> None:
    frame = _world({"25-45": (60, 30), "65+": (12, 0), "15-25": (9, 0)})
    matrix = theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",))
    silent = [(s.theme, s.category) for s in matrix.silent]
    assert ("groen", "65+") in silent                       # 12 people, 30/81 raise it elsewhere: 4.4 expected
    assert ("groen", "15-25") not in silent                 # only 9 people
    item = next(s for s in matrix.silent if s.category == "65+")
    assert "65-plussers" in item.sentence and "groen" in item.sentence and "37%" in item.sentence
    few = _world({"25-45": (60, 8), "65+": (12, 0)})         # theme raised by only 8: no finding
    assert not theme_matrix(few, theme_indicators(few), dimensions=("age_band",)).silent


def test_only_from_finding_without_numbers() -> None:
    frame = _world({"65+": (20, 12), "25-45": (50, 2), "45-65": (30, 0)},
                   theme_text="Ik voel me vaak eenzaam")
    matrix = theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",))
    found = [o for o in matrix.only_from if o.theme == "eenzaamheid"]
    assert [(o.category, o.exclusive) for o in found] == [("65+", False)]
    assert found[0].sentence == "Over eenzaamheid horen we vooral van 65-plussers."
    assert not any(ch.isdigit() for ch in found[0].sentence.replace("65-", ""))
    assert "Thema's die we (bijna) alleen van 65-plussers horen: Eenzaamheid." in matrix.findings()


def test_json_keys_follow_the_design() -> None:
    frame = _world({"25-45": (40, 10), "65+": (20, 0)})
    data = themes_json(theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",)))
    assert {"theme", "respondents", "share"} <= set(data["themes"][0])
    assert {"dimension", "category", "theme", "respondents", "share", "suppressed"} <= set(data["groups"][0])
    assert {"theme", "dimension", "category"} <= set(data["silent"][0])


# --------------------------------------------------------------------------- suppression

def _cell(matrix, category: str, theme: str = "groen"):
    return next(g for g in matrix.groups if g.category == category and g.theme == theme)


def test_primary_and_secondary_suppression() -> None:
    frame = _world({"25-45": (40, 12), "65+": (40, 4)})
    protected = protect_theme_matrix(theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",)))
    small, other = _cell(protected, "65+"), _cell(protected, "25-45")
    assert small.suppressed == "primary" and small.respondents is None and small.share is None
    # 12 = 16 − 4: the other group would give the small count back, so it is hidden too.
    assert other.suppressed == "secondary" and other.respondents is None and other.ci_low is None
    assert other.group_respondents == 40                   # the group's size itself is not small
    groen = next(t for t in protected.themes if t.theme == "groen")
    assert groen.respondents == 16 and not groen.suppressed
    # The other theme: 28 and 36 raise it, but 4 of the 65-plussers did not (the complement).
    assert _cell(protected, "65+", "wonen").suppressed == "primary"
    assert _cell(protected, "25-45", "wonen").suppressed == "secondary"
    table = theme_table(protected)
    row = table[(table["Groep"] == "65 jaar en ouder") & (table["Thema"] == "Groen")].iloc[0]
    assert row["Kenmerk"] == "Leeftijd"
    assert row["Noemden dit thema"] == "<10" and row["Aandeel"] == "–"  # a share never reads "<10" (as "under 10 %")


def test_small_group_is_hidden_with_a_complement_group() -> None:
    frame = _world({"25-45": (40, 20), "45-65": (30, 15), "65+": (6, 3)})
    protected = protect_theme_matrix(theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",)))
    assert {g.suppressed for g in protected.groups if g.category == "65+"} == {"primary"}
    assert all(g.group_respondents is None for g in protected.groups if g.category == "65+")
    # group sizes add up to the total: the smallest other group's size is hidden as well
    assert {g.suppressed for g in protected.groups if g.category == "45-65"} == {"secondary"}
    assert all(not g.suppressed for g in protected.groups if g.category == "25-45")


def test_complement_below_k_is_protected_and_silent_on_hidden_cells_dropped() -> None:
    frame = _world({"25-45": (30, 15), "45-65": (12, 10), "65+": (30, 0)})
    matrix = theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",))
    protected = protect_theme_matrix(matrix)
    assert _cell(protected, "45-65").suppressed == "primary"     # 2 of 12 did not raise it
    assert _cell(protected, "65+").respondents in (0, None)
    shown_silent = {(s.category, s.theme) for s in protected.silent}
    for category, theme in shown_silent:
        assert not _cell(protected, category, theme).suppressed
    loose = protect_theme_matrix(matrix, complement=False)
    assert _cell(loose, "45-65").respondents == 10


def test_k_never_below_five() -> None:
    frame = _world({"25-45": (40, 12), "65+": (40, 4)})
    protected = protect_theme_matrix(theme_matrix(frame, theme_indicators(frame), dimensions=("age_band",)), k=2)
    assert protected.k == 5 and _cell(protected, "65+").suppressed == "primary"
    assert protect_theme_matrix(protected, k=20) is protected      # protecting twice changes nothing


# --------------------------------------------------------------------------- quotes & suggestions

def test_quotes_are_short_redacted_and_from_counted_rows() -> None:
    frame = _frame([
        {"text:opm": "Meer bomen in de straat. Bel me op 06-12345678 als er bomen komen."},
        {"text:opm": "Het groen is mooi"},
        {"text:opm": "Groen is geheim, mail piet@voorbeeld.nl", "excluded": "test"},
    ])
    quotes = theme_quotes(frame, per_theme=5)["groen"]
    texts = [q.text for q in quotes]
    assert "Meer bomen in de straat." in texts and "Het groen is mooi" in texts
    assert all("06-12345678" not in t for t in texts) and any("[telefoon]" in t for t in texts)
    assert all("piet@" not in t for t in texts)
    assert len(theme_quotes(frame, per_theme=1)["groen"]) == 1
    # Two people raised Groen: no quotes once protected (k = 10).
    matrix = theme_matrix(frame, theme_indicators(frame))
    assert protect_quotes(theme_quotes(frame), matrix)["groen"] == ()
    many = _world({"25-45": (12, 12)})
    assert protect_quotes(theme_quotes(many), theme_matrix(many, theme_indicators(many)))["groen"]


def test_suggestions_only_with_enough_unmatched_texts() -> None:
    dogs = ["Honden uitlaten kan nergens, een hondenuitlaatplek met hek.",
            "Loslopende honden en geen losloopgebied voor honden.",
            "Een losloopgebied voor de honden, met een hek eromheen."]
    art = ["Een zomerfestival met theater en kunst voor iedereen.",
           "Kunstenaars uit de wijk een podium geven met theater.",
           "Meer kunst en cultuur, bijvoorbeeld een festival met theater."]
    texts = [(dogs if i % 2 else art)[i % 3] for i in range(60)]
    frame = _frame([{"text:opm": t} for t in texts])
    suggestions = suggest_themes(frame)
    assert suggestions and all(s.texts >= 3 for s in suggestions)
    words = {w for s in suggestions for w in s.words}
    assert "hond" in words and "theater" in words
    assert suggest_themes(frame.head(20)) == ()
    assert set(suggestions[0].to_dict()) >= {"label", "words", "texts", "examples"}


# --------------------------------------------------------------------------- YAML merge

def test_merge_adds_replaces_removes_and_creates(tmp_path) -> None:
    path = tmp_path / "eigen.yaml"
    path.write_text("""
themes:
  groen:
    terms: [hoogstamfruit]
  spelen:
    replace: true
    terms: [klimbos]
  overlast:
    remove: true
  hondenuitlaat:
    label: Honden uitlaten
    terms: [losloopgebied, hondenuitlaatplek]
    places: [hondenveld]
""", encoding="utf-8")
    themes = load_themes(path)
    assert "hoogstamfruit" in themes.themes[themes.keys.index("groen")].terms
    assert "boom" in themes.themes[themes.keys.index("groen")].terms
    assert themes.themes[themes.keys.index("spelen")].terms == ("klimbos",)
    assert "overlast" not in themes.keys and themes.keys[-1] == "hondenuitlaat"
    m = ThemeMatcher(themes)
    assert m.themes_in("Een groot losloopgebied!") == {"hondenuitlaat"}
    assert "spelen" not in m.themes_in("Meer speeltuinen")
    same = merge_themes(default_themes(), path.read_bytes(), name="eigen.yaml")
    assert same == themes
    assert default_themes().keys == load_themes().keys      # the default is not changed


@pytest.mark.parametrize("text, words", [
    ("themes: [groen", ["geen geldige YAML", "regel"]),
    ("thema: {}", ["mist de lijst 'themes:'"]),
    ("themes:\n  groen:\n    term: [boom]", ["onbekend veld 'term'", "groen"]),
    ("themes:\n  nieuw:\n    terms: [fiets]", ["nieuw thema", "'label'"]),
    ("themes:\n  Mijn Thema:\n    label: X\n    terms: [fiets]", ["geen goede themasleutel"]),
    ("themes:\n  groen:\n    terms: [b]", ["te kort", "groen"]),
    ("themes:\n  groen:\n    terms: boom\n    exclude: [geen groente]", ["meer dan één woord", "exclude"]),
    ("themes:\n  groen:\n    terms: [-ab]", ["te kort"]),
    ("themes:\n  groen:\n    replace: ja\n    terms: [boom]", ["true of false"]),
    ("themes:\n  groen:\n    terms: {a: b}", ["lijst met woorden"]),
    ("themes:\n  groen:\n    label: 12\n", ["'label'", "tekst"]),
])
def test_bad_theme_files_give_dutch_errors(tmp_path, text: str, words: list[str]) -> None:
    path = tmp_path / "fout.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThemesFileError) as caught:
        load_themes(path)
    message = str(caught.value)
    assert "fout.yaml" in message
    for word in words:
        assert word in message


def test_missing_and_binary_theme_files(tmp_path) -> None:
    with pytest.raises(ThemesFileError, match="bestaat niet"):
        load_themes(tmp_path / "weg.yaml")
    with pytest.raises(ThemesFileError, match="geen tekst in UTF-8"):
        load_themes(b"\xff\xfe\x00themes", name="upload.yaml")



def test_run_themes_with_a_team_dictionary_keeps_its_labels() -> None:
    themes = load_themes({"themes": {"hondenuitlaat": {"label": "Honden uitlaten",
                                                       "terms": ["losloopgebied"]}}}, name="eigen")
    frame = _world({"25-45": (30, 12), "65+": (20, 0)}, theme_text="Een losloopgebied graag")
    check = run_themes(frame, themes, dimensions=("age_band",))
    share = next(t for t in check.matrix.themes if t.theme == "hondenuitlaat")
    assert (share.label, share.respondents) == ("Honden uitlaten", 12)
    assert [q.text for q in check.quotes["hondenuitlaat"]] == ["Een losloopgebied graag"]
    assert check.unmatched == 0 and check.suggestions == ()
    labels = theme_matrix(frame, theme_indicators(frame, themes), dimensions=("age_band",))
    assert any(g.label == "Honden uitlaten" for g in labels.groups)     # labels travel with the indicators
    assert set(check.to_dict()) >= {"themes", "groups", "silent", "quotes", "suggestions"}


def test_non_answers_are_not_in_the_denominator() -> None:
    frame = _frame([{"text:opm": "Meer bomen"}, {"text:opm": "n.v.t."}, {"text:opm": "Geen opmerkingen"},
                    {"text:opm": "-"}, {"text:opm": "Nee hoor"}, {"text:opm": "Niets aan doen, prima zo"}])
    assert list(theme_indicators(frame).index) == [0, 5]


def test_short_text_answers_are_read_as_topic_names() -> None:
    frame = _frame([{"text:onderwerp": "Spelen voor kinderen"}, {"text:onderwerp": "Betaalbaar wonen"},
                    {"text:onderwerp": "Ik woon hier"},
                    {"text:onderwerp": "Wonen doe ik hier al jaren met plezier"}])
    found = theme_indicators(frame)
    assert found.loc[0, "spelen"] and found.loc[1, "wonen"]
    assert not found.loc[2, "wonen"]                      # the verb is not the label word
    assert not found.loc[3, "wonen"]                      # long answers follow the text rule only


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(0, 40)), min_size=2, max_size=4))
def test_suppression_never_shows_a_small_or_recoverable_count(groups: list[tuple[int, int, int]]) -> None:
    """Per category: (raised Groen only, raised Wonen only, raised both). Whatever the
    counts: a shown count (raised or not raised, group size) is 0 or at least k, and with
    no unknown category no total has exactly one hidden cell."""
    rows = []
    for number, (groen, wonen, both) in enumerate(groups):
        rows += [{"household": f"g{number}", "text:opm": "Meer bomen"}] * groen
        rows += [{"household": f"g{number}", "text:opm": "De huur is te hoog"}] * wonen
        rows += [{"household": f"g{number}", "text:opm": "Meer bomen, de huur is te hoog"}] * both
    if not rows:
        return
    frame = _frame(rows)
    protected = protect_theme_matrix(theme_matrix(frame, theme_indicators(frame), dimensions=("household",)))
    k = protected.k
    for cell in protected.groups:
        if cell.group_respondents is not None:
            assert cell.group_respondents == 0 or cell.group_respondents >= k
        if cell.respondents is not None:
            assert cell.respondents == 0 or cell.respondents >= k
            rest = cell.group_respondents - cell.respondents
            assert rest == 0 or rest >= k
    for theme in ("groen", "wonen"):
        overall = next(t for t in protected.themes if t.theme == theme)
        hidden = [g for g in protected.groups if g.theme == theme and g.suppressed]
        if overall.respondents is not None:
            assert len(hidden) != 1
    hidden_sizes = {g.category for g in protected.groups if g.group_respondents is None}
    if len({g.category for g in protected.groups}) > 1:      # one category is all respondents
        assert len(hidden_sizes) != 1
    if protected.respondents < k:
        assert all(g.suppressed for g in protected.groups) and not protected.silent


def test_exact_ages_give_the_age_groups() -> None:
    """An export with exact ages (no asked band) still has the age dimension: the engine
    takes the CBS band from the age, as coverage does."""
    rows = [{"age": 70, "text:opm": "Meer bomen graag"} for _ in range(12)]
    rows += [{"age": 30, "text:opm": "Meer bomen graag"} for _ in range(12)]
    rows += [{"age": 30, "age_band": "25-45", "text:opm": "Te hard gereden"}]
    check = run_themes(_frame(rows))
    ages = {g.category: g.group_respondents for g in check.matrix.groups
            if g.dimension == "age" and g.theme == "groen"}
    assert ages == {"65+": 12, "25-45": 13}


def test_findings_name_age_bands_from_the_minimum_age() -> None:
    """'thema's die we alleen van … horen' says '18 tot 25 jaar' when only 18+ count."""
    rows = [{"age": 20, "text:opm": "Meer bomen graag"} for _ in range(12)]
    rows += [{"age": 40, "text:opm": "Te hard gereden"} for _ in range(30)]
    check = run_themes(_frame(rows), min_age=18)
    text = " ".join(check.matrix.findings())
    assert "18 tot 25 jaar" in text and "15 tot 25 jaar" not in text
