"""Matcher rules added for ambiguous words and resident spelling: context rules (`context:`
in the theme file), diminutives, compounds written apart, an unknown plural -s, one-letter
typos of long terms; and the file format (old files still load, new field checked)."""
from __future__ import annotations

import pytest

from engagement.themes import (
    CONTEXT_WINDOW,
    ContextRule,
    Theme,
    ThemeDictionary,
    ThemeMatcher,
    ThemesFileError,
    default_themes,
    load_themes,
    merge_themes,
)


@pytest.fixture(scope="module")
def matcher() -> ThemeMatcher:
    return ThemeMatcher()


# --------------------------------------------------------------------------- the shipped rules

@pytest.mark.parametrize("text, present, absent", [
    # "onderhoud" of a dwelling is Wonen, of the street Onderhoud en openbare ruimte
    ("De verhuurder doet niets aan onderhoud.", {"wonen"}, {"openbare_ruimte"}),
    ("Het onderhoud van onze huurwoningen is slecht.", {"wonen"}, {"openbare_ruimte"}),
    ("Het onderhoud van het plantsoen is slecht.", {"openbare_ruimte"}, {"wonen"}),
    ("De lift is weer kapot in onze flat.", {"wonen"}, {"openbare_ruimte"}),
    ("De bankjes zijn kapot.", {"openbare_ruimte"}, {"wonen"}),
    # "sport" is health next to bewegen/gezond, not a sports club or a cost
    ("We hebben geen geld voor sport.", set(), {"gezondheid_en_zorg"}),
    ("De sportclub is te duur.", set(), {"gezondheid_en_zorg"}),
    ("Meer sport en bewegen voor ouderen.", {"gezondheid_en_zorg"}, set()),
    ("Ik wil graag sporten in het park.", {"gezondheid_en_zorg"}, set()),
    # "groen" of a traffic light or a bin is no Groen
    ("Het stoplicht staat veel te kort op groen.", {"verkeer_en_parkeren"}, {"groen"}),
    ("De groene kliko wordt niet geleegd.", set(), {"groen"}),
    ("Meer groen in de straat graag.", {"groen"}, set()),
    # "veilig spelen" is about play space; unsafe streets are Veiligheid
    ("Kinderen kunnen hier niet veilig spelen.", {"spelen"}, {"veiligheid"}),
    ("Veilig oversteken bij de school kan niet.", {"verkeer_en_parkeren"}, {"veiligheid"}),
    ("Ik voel me 's avonds onveilig op straat.", {"veiligheid"}, set()),
    ("Verkeersveiligheid rond de school moet beter.", {"verkeer_en_parkeren"}, {"veiligheid"}),
    # a car is traffic when it drives, parks or fills the street, not as a music box or loot
    ("Auto's rijden veel te hard.", {"verkeer_en_parkeren"}, set()),
    ("Keiharde muziek uit auto's op het plein.", {"overlast"}, {"verkeer_en_parkeren"}),
    ("Voor ouderen zonder auto is alles ver weg.", set(), {"verkeer_en_parkeren"}),
    ("Mijn auto is opengebroken.", {"veiligheid"}, {"verkeer_en_parkeren"}),
    ("Mijn scooter is gestolen.", {"veiligheid"}, {"verkeer_en_parkeren"}),
    ("Scooters scheuren over de stoep.", {"verkeer_en_parkeren"}, set()),
    # energy as a cost is money trouble, energy as a change of the house is Duurzaamheid
    ("Ik kan de energie bijna niet betalen.", {"armoede_en_geldzorgen"}, {"duurzaamheid_en_energie"}),
    ("Meer aandacht voor energie besparen.", {"duurzaamheid_en_energie"}, set()),
    # "bang" is Veiligheid on the street, not a worry about the rent
    ("Ik ben bang om 's avonds over straat te gaan.", {"veiligheid"}, set()),
    ("Ik ben bang dat de huur omhoog gaat.", {"wonen"}, {"veiligheid"}),
    # a fence is maintenance when something is wrong with it
    ("Het hek is al maanden kapot.", {"openbare_ruimte"}, set()),
    ("Een losloopgebied met een hek eromheen.", set(), {"openbare_ruimte"}),
    # glass lying in the street is litter; double glazing is not
    ("Er ligt glas op de stoep.", {"schoon_en_afval"}, set()),
    ("Dubbel glas in alle huizen.", set(), {"schoon_en_afval"}),
    # "rekening houden met" is an idiom; a pile of bills is money trouble
    ("De gemeente houdt geen rekening met ons.", set(), {"armoede_en_geldzorgen"}),
    ("Ik durf de rekeningen niet meer open te maken.", {"armoede_en_geldzorgen"}, set()),
    # a party is Overlast when it keeps people awake, a school trip is money trouble when too dear
    ("Elk weekend feestjes tot drie uur 's nachts.", {"overlast"}, set()),
    ("Het feest van de school was leuk.", set(), {"overlast"}),
    ("Het schoolreisje is te duur voor ons.", {"armoede_en_geldzorgen"}, set()),
    ("Mijn dochter gaat morgen op schoolreisje.", set(), {"armoede_en_geldzorgen"}),
    # plastic lying around is litter; a leak in a rented house is no street maintenance
    ("Overal ligt plastic op straat.", {"schoon_en_afval"}, set()),
    ("De corporatie repareert het lekkende dak niet.", {"wonen"}, {"openbare_ruimte"}),
    # a police car is no traffic; "over de stoep" says where, like "op de stoep"
    ("Politieauto's met sirenes in de straat.", {"veiligheid"}, {"verkeer_en_parkeren"}),
    ("Fietsers rijden over de stoep.", {"verkeer_en_parkeren"}, {"openbare_ruimte"}),
    # vandalism on street furniture is maintenance of the public space, otherwise Veiligheid
    ("Het bushokje is vernield.", {"openbare_ruimte"}, {"veiligheid"}),
    ("Veel vernielingen en inbraken in de wijk.", {"veiligheid"}, {"openbare_ruimte"}),
    # "alleen" meaning "only" is no loneliness; a house like an oven in summer is heat
    ("We eten vaak alleen brood, alles is zo duur.", {"armoede_en_geldzorgen"}, {"eenzaamheid"}),
    ("Ik ben vaak alleen.", {"eenzaamheid"}, set()),
    ("In de zomer is de bovenwoning een oven.", {"duurzaamheid_en_energie"}, set()),
    ("De pizza gaat de oven in.", set(), {"duurzaamheid_en_energie"}),
    # a student room is housing, a room in the house is not; a lorry is traffic whatever it does
    ("Studenten vinden hier geen kamer.", {"wonen", "jongeren"}, set()),
    ("De kamer van mijn zoon is klein.", set(), {"wonen"}),
    ("Zware vrachtwagens laten alles trillen.", {"verkeer_en_parkeren", "overlast"}, set()),
    ("Ouderen zitten achter de geraniums.", {"eenzaamheid"}, set()),
    # "krap" is a small house next to rooms, otherwise short of money
    ("Met vier kinderen in een driekamerappartement is het te krap.", {"wonen"}, {"armoede_en_geldzorgen"}),
    ("Het is elke maand krap.", {"armoede_en_geldzorgen"}, {"wonen"}),
    # football at a club is no play space; a hospital as a destination is no care
    ("Mijn zoon voetbalt bij de club.", set(), {"spelen"}),
    ("Kinderen voetballen op straat.", {"spelen"}, set()),
    ("De bus naar het ziekenhuis rijdt niet meer.", {"verkeer_en_parkeren"}, {"gezondheid_en_zorg"}),
    ("Het ziekenhuis is te ver weg.", {"gezondheid_en_zorg"}, set()),
    ("Drugs worden verkocht vanuit de snackbar.", {"veiligheid"}, {"voorzieningen"}),
    # a barbecue is meeting people, its smoke is a nuisance
    ("Een walm van de barbecues in de zomer.", {"overlast"}, {"ontmoeting"}),
    # shade is heat only next to heat words; a scary bridge is maintenance, not crime
    ("Meer bankjes in de schaduw van bomen.", {"openbare_ruimte", "groen"}, {"duurzaamheid_en_energie"}),
    ("Bomen geven schaduw als het heet is.", {"duurzaamheid_en_energie"}, set()),
    ("De brug is verrot en eng om overheen te lopen.", set(), {"veiligheid"}),
    ("Het is eng in het donkere steegje.", {"veiligheid"}, set()),
    # a diploma is work when it does not help to find work
    ("Met mijn diploma vind ik hier geen werk.", {"werk_en_inkomen"}, set()),
    ("Mijn dochter heeft haar diploma gehaald.", set(), {"werk_en_inkomen"}),
    ("Busjes blokkeren de hele straat.", {"verkeer_en_parkeren"}, set()),
    ("Ik heb een achterstand bij de energieleverancier.", {"armoede_en_geldzorgen"}, {"duurzaamheid_en_energie"}),
    # "meer" is lemmatised to "veel": "niet meer alleen" is no "veel alleen"
    ("Ik durf 's avonds niet meer alleen naar huis.", {"veiligheid"}, {"eenzaamheid"}),
    ("Ik ben veel alleen sinds mijn man overleed.", {"eenzaamheid"}, set()),
])
def test_shipped_context_rules(matcher: ThemeMatcher, text: str, present: set[str], absent: set[str]) -> None:
    found = matcher.themes_in(text)
    assert present <= found, f"{text!r}: {sorted(found)}"
    assert not absent & found, f"{text!r}: {sorted(found)}"


@pytest.mark.parametrize("text, theme", [
    # compound parts that are the end of unrelated words (found by matching simplemma's Dutch word list)
    ("Een geweldige buurt!", "veiligheid"),                 # geweld-ig
    ("Ik wil afvallen.", "schoon_en_afval"),                # afval-len
    ("Veel diefstallen in de wijk.", "verkeer_en_parkeren"),  # diefstallen is no bike parking
    ("Ik ben hier geboren en getogen.", "overlast"),        # no drilling
    ("Overal huisspinnen.", "voorzieningen"),                # no cash machine
    ("Er is een fout ingeslopen.", "wonen"),                # no demolition
    ("De stoeptegels liggen scheef.", "groen"),             # no hedgehogs
    ("De verschillen zijn groot.", "jongeren"),
    ("Ze liepen rond.", "groen"),                           # no elms
    ("Een theatergezelschap in het buurthuis.", "eenzaamheid"),
    ("Worteltjes en aardappelen van de voedselbank.", "groen"),
    ("Een donkerblauwe jas.", "veiligheid"),
])
def test_shipped_compound_parts_do_not_catch_unrelated_words(matcher: ThemeMatcher, text: str, theme: str) -> None:
    assert theme not in matcher.themes_in(text)


# --------------------------------------------------------------------------- the mechanism

def _one(*rules: ContextRule, terms: tuple[str, ...] = ("onderhoud",)) -> ThemeMatcher:
    return ThemeMatcher(ThemeDictionary((Theme("straat", "Straat", terms, context=rules),)))


def test_not_with_removes_the_hit_only_near_the_company_word() -> None:
    m = _one(ContextRule(("onderhoud",), not_with=("woning",)))
    assert m.themes_in("Onderhoud is slecht") == {"straat"}
    assert m.themes_in("Onderhoud van de woningen is slecht") == frozenset()   # lemma of the company word
    assert m.themes_in("Onderhoud van de huurwoning is slecht") == frozenset()  # … and as a compound part
    # another sentence, or farther away than the window, is no company
    assert m.themes_in("Mooie woning. Onderhoud is slecht") == {"straat"}
    far = "onderhoud " + "x " * CONTEXT_WINDOW + "woning"
    assert m.themes_in(far) == {"straat"}
    near = "onderhoud " + "x " * (CONTEXT_WINDOW - 1) + "woning"
    assert m.themes_in(near) == frozenset()


def test_only_with_keeps_the_hit_only_near_a_company_word() -> None:
    m = _one(ContextRule(("sport",), only_with=("bewegen", "gezond")), terms=("sport",))
    assert m.themes_in("Sport is duur") == frozenset()
    assert m.themes_in("Sport en bewegen") == {"straat"}
    assert m.themes_in("Sportclub is duur") == frozenset()        # the rule word as a compound part
    assert m.themes_in("Sportclub, gezonder leven") == {"straat"}  # a comma is no sentence end


def test_rule_words_are_matched_as_written() -> None:
    """'sporten' lemmatises to 'sport', but a rule on 'sport' does not cover the verb."""
    m = _one(ContextRule(("sport",), only_with=("bewegen",)), terms=("sport", "sporten"))
    assert m.themes_in("Ik wil sporten") == {"straat"}
    assert m.themes_in("Ik wil sport") == frozenset()


def test_a_rule_touches_only_its_own_theme() -> None:
    themes = ThemeDictionary((
        Theme("a", "A", ("onderhoud",), context=(ContextRule(("onderhoud",), not_with=("woning",)),)),
        Theme("b", "B", ("onderhoud",)),
    ))
    assert ThemeMatcher(themes).themes_in("Onderhoud van de woning") == {"b"}


# --------------------------------------------------------------------------- word forms

def test_diminutives_and_unknown_plurals() -> None:
    m = ThemeMatcher(ThemeDictionary((Theme("v", "Verkeer", ("brommer", "auto")),
                                      Theme("b", "Bank", ("bank",)))))
    assert m.themes_in("brommertjes overal") == {"v"}      # -tje + -s
    assert m.themes_in("een bankje") == {"b"}               # -je
    assert m.themes_in("autos overal") == {"v"}             # plural -s without apostrophe
    assert m.themes_in("een meisje") == frozenset()        # a wrong base ('meis') finds nothing


def test_present_participles_and_places_with_hele() -> None:
    m = ThemeMatcher(ThemeDictionary((Theme("o", "Overlast", ("gillen", "wiet")),
                                      Theme("w", "Wonen", ("huur",), places=("portiek",)))))
    assert m.themes_in("gillende kinderen") == {"o"}            # simplemma keeps "gillende"
    assert m.themes_in("wiet in het hele portiek") == {"o"}     # "in het hele portiek" only says where
    assert m.themes_in("het portiek is vies") == {"w"}


def test_compounds_written_apart() -> None:
    m = ThemeMatcher(ThemeDictionary((Theme("s", "Speel", ("speeltuin",)),
                                      Theme("a", "Afval", ("vuilniszak",)),
                                      Theme("p", "Prefix", ("fiets-",)))))
    assert m.themes_in("de speel tuin is dicht") == {"s"}
    assert m.themes_in("vuilnis zakken op straat") == {"a"}      # second part through its lemma
    assert m.themes_in("mijn fiets gestolen") == frozenset()      # only a whole term, not a compound of one
    assert m.themes_in("speel. tuin") == frozenset()               # not across punctuation


def test_shipped_dictionary_reads_split_compounds(matcher: ThemeMatcher) -> None:
    assert "schoon_en_afval" in matcher.themes_in("Overal vuilnis zakken naast de bak")
    assert "jongeren" in matcher.themes_in("Hang jongeren bij de supermarkt")
    assert "groen" not in matcher.themes_in("Ik stem groen links")


def test_one_letter_typos_of_long_terms_only() -> None:
    m = ThemeMatcher(ThemeDictionary((Theme("s", "Spelen", ("speeltuin",)),
                                      Theme("v", "Licht", ("verlichting",)),
                                      Theme("k", "Kort", ("bomen",)))))
    assert m.themes_in("speeltuijn") == {"s"}       # a letter too many
    assert m.themes_in("speltuin") == {"s"}         # … too few
    assert m.themes_in("speeltiun") == {"s"}        # two letters swapped
    assert m.themes_in("verplichting") == frozenset()   # a real Dutch word is never a typo
    assert m.themes_in("bommen") == frozenset()         # terms under 8 letters are not guessed


# --------------------------------------------------------------------------- the file format

OLD_FILE = """
themes:
  hondenuitlaat:
    label: Honden uitlaten
    terms: [losloopgebied]
    exclude: []
    places: [hondenveld]
  groen:
    terms: [hoogstamfruit]
"""


def test_a_file_from_before_context_rules_still_loads() -> None:
    themes = load_themes(OLD_FILE.encode(), name="oud.yaml")
    dog = themes.themes[themes.keys.index("hondenuitlaat")]
    assert dog.context == () and dog.places == ("hondenveld",)
    assert ThemeMatcher(themes).themes_in("Een losloopgebied graag") == {"hondenuitlaat"}
    # a dictionary saved as a dict (session state, JSON) before `context` existed
    saved = {"themes": [{"key": "x", "label": "X", "terms": ["boom"], "exclude": [], "places": []}]}
    assert ThemeDictionary.from_dict(saved).themes[0].context == ()


def test_context_round_trips_through_yaml_and_dict() -> None:
    themes = default_themes()
    assert any(t.context for t in themes.themes)
    assert merge_themes(ThemeDictionary(()), themes.to_yaml().encode(), name="eigen.yaml") == themes
    assert ThemeDictionary.from_dict(themes.to_dict()) == themes
    plain = ThemeDictionary((Theme("x", "X", ("boom",)),))
    assert "context" not in plain.to_yaml()           # no empty field in a file without rules


def test_a_team_adds_or_replaces_context_rules() -> None:
    own = {"themes": {"groen": {"context": [{"words": ["boom"], "not_with": ["kerstboom"]}]}}}
    themes = load_themes(own, name="eigen")
    groen = themes.themes[themes.keys.index("groen")]
    base = default_themes().themes[default_themes().keys.index("groen")]
    assert groen.context == base.context + (ContextRule(("boom",), (), ("kerstboom",)),)
    replaced = load_themes({"themes": {"groen": {"replace": True, "terms": ["boom"],
                                                 "context": [{"words": ["boom"], "only_with": ["straat"]}]}}},
                           name="eigen")
    m = ThemeMatcher(replaced)
    assert "groen" not in m.themes_in("Een boom")
    assert "groen" in m.themes_in("Een boom in de straat")


@pytest.mark.parametrize("context, words", [
    ("[boom]", ["regel 1", "'words'"]),
    ("{words: [boom]}", ["lijst"]),
    ("[{words: [boom]}]", ["mist", "only_with"]),
    ("[{not_with: [straat]}]", ["mist", "'words'"]),
    ("[{words: [boom], never: [x]}]", ["onbekend veld 'never'"]),
    ("[{words: ['twee woorden'], not_with: [x1]}]", ["meer dan één woord"]),
])
def test_bad_context_rules_give_dutch_errors(context: str, words: list[str]) -> None:
    text = f"themes:\n  groen:\n    context: {context}\n"
    with pytest.raises(ThemesFileError) as caught:
        load_themes(text.encode(), name="fout.yaml")
    message = str(caught.value)
    assert "fout.yaml" in message and "groen" in message
    for word in words:
        assert word in message
