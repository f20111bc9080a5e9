"""Themes check: recall and precision per theme on planted texts, and the matrix time for a wijk.

    .venv/bin/python benchmarks/themes_bench.py [--buurten 10] [--per-buurt 300] [--seed 7]

Synthetic respondents (10 buurten × 300 by default) get 0–3 planted themes each, with a
higher chance for the groups that raise them in practice (eenzaamheid for 65-plussers,
spelen for gezinnen met kinderen, armoede for huurders van een corporatie …). Each planted
theme adds one sentence written for it (compounds, plurals, verb forms), and a third of
the answers get a distractor sentence that looks like a theme but is none ("dit speelt al
jaren", "natuurlijk", "bij de groenteboer"). Half of the respondents also tick options in a
"welke onderwerpen" multi-select for some planted themes.

Prints per theme: recall and precision of the text matching (goal ≥ 0.9 each), then the
time for indicators + matrix + suppression on the wijk (goal < 2 s), with a naive
baseline in the same run: a substring search for every term (no lemmas, no compound
rule) over the same texts, with its own recall/precision, so the ratio shows what the
rule costs and buys. Not part of the tests.

Measured before the round-4 changes (matcher and dictionary of commit 8310032):
    seed   lowest recall   lowest precision (theme)
    0      1.000           0.893 (gezondheid_en_zorg; openbare_ruimte 0.899)
    1      1.000           0.882 (gezondheid_en_zorg)
    2      1.000           0.888 (verkeer_en_parkeren)
    3      1.000           0.892 (verkeer_en_parkeren)
    4      1.000           0.900
    7      1.000           0.897 (verkeer_en_parkeren)   (the default seed)
    sentences over all themes: round 1 recall 0.926 / precision 0.943, round 2 0.932 / 0.965,
    round 3 (held out) 0.617 / 0.925, round 4 (held out, 118 sentences) 0.674 / 0.873.
    Timing (shared 2-core machine, noisy): best of 3 between 0.39 and 1.02 s (goal < 2 s).

Measured after the changes of this round (context rules, word forms, broader dictionary),
last at 397f6a6:
    seed   lowest recall   lowest precision
    0–4, 7 1.000           1.000            (every theme, every seed; the default seed is 7)
    The planted sentences are the dictionary's own development set (rounds of tuning), so 1.000
    here says little about new texts; the rounds below do.
    Label change: "Er is geen plek waar kinderen veilig kunnen spelen." is Spelen only now
    (was + Veiligheid), the same label round 2 gives "geen plek om veilig te spelen".
    Sentences over all themes (recall / precision). "Before use" is the one measurement of a
    round written after the previous changes and before it was used to develop:
      round 1 (used)                       0.926 / 0.943 → 1.000 / 1.000
      round 2 (used)                       0.932 / 0.965 → 0.966 / 1.000
      round 3 (used this round)            0.617 / 0.925 → 0.950 / 1.000
      round 5  before use 0.617 / 0.881 (old code 0.567 / 0.895), now 0.933 / 0.982
      round 6  before use 0.729 / 0.895 (old code 0.657 / 0.836), now 0.929 / 0.929
      round 7  before use 0.704 / 0.926 (old code 0.676 / 0.906), now 0.915 / 0.942
      round 8  before use 0.750 / 0.923 (old code 0.625 / 0.909), now 0.922 / 0.967
      round 9  before use 0.821 / 0.873 (old code 0.746 / 0.877), now 0.955 / 0.955
      round 10 before use 0.672 / 0.827 (old code 0.562 / 0.818), now 0.953 / 0.924
      round 4  held out, written before any change, measured once at a0b23ba:
               0.674 / 0.873 → 0.909 / 0.930 (at 397f6a6 0.902 / 0.937; never used)
        per theme at a0b23ba (recall/precision, n): verkeer 1.00/0.88 (15), groen 0.86/1.00 (7),
        spelen 1.00/0.88 (7), veiligheid 1.00/1.00 (8), schoon 0.90/1.00 (10), ontmoeting
        1.00/0.88 (7), wonen 1.00/1.00 (9), voorzieningen 0.83/0.71 (6), armoede 0.78/1.00 (9),
        eenzaamheid 0.71/1.00 (7), gezondheid 1.00/0.82 (9), jongeren 1.00/1.00 (9), openbare
        ruimte 0.91/1.00 (11), overlast 0.57/0.80 (7), werk 1.00/1.00 (6), duurzaamheid 0.80/1.00 (5).
      round 11 held out, written after the last change, measured once at 397f6a6:
               0.794 / 0.900 (old code 0.750 / 0.895); per theme (n = 3–7 each): recall below
               0.9 for ontmoeting 0.33, eenzaamheid 0.33, armoede 0.50, overlast 0.50, wonen 0.60,
               voorzieningen 0.67, duurzaamheid 0.75, gezondheid 0.83, verkeer 0.86; precision
               below 0.9 for overlast 0.67, voorzieningen 0.67, werk 0.75, groen 0.83, openbare
               ruimte 0.83, verkeer 0.86.
    Read round 4 with care: it was written by the engineer who then chose the new words, so
    it is not independent of them. The fairer estimates for a stranger's texts are round 11
    and the "before use" values of rounds 6–10: recall 0.67–0.82, precision 0.83–0.93 over
    all themes, below the goal of 0.9 per theme. Each fresh round gained 0.04–0.13 recall
    over the old matcher; new wording keeps appearing faster than a word list grows.
    Timing at 397f6a6: indicators + matrix + suppression, best of 3: 0.25–0.30 s over the
    seeds (goal < 2 s); on 3,000 distinct answers (random mixes of all sentences with typos,
    not in this script) the indicators took 0.47 s against 0.36 s for the old matcher in the
    same process (about +30%).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from engagement.themes import (
    DIMENSIONS,
    ThemeMatcher,
    _lemma,
    default_themes,
    suggest_themes,
    theme_indicators,
    theme_matrix,
)
from reports.themes import protect_theme_matrix

# Sentences per theme: written as residents write, with compounds, plurals and verb forms.
PLANTED: dict[str, list[str]] = {
    "verkeer_en_parkeren": [
        "Er is 's avonds nooit een parkeerplek te vinden.",
        "Auto's rijden veel te hard door onze straat.",
        "De verkeersdrempels zijn weggehaald en nu wordt er geracet.",
        "Parkeren op de stoep moet echt stoppen.",
        "Het fietspad langs de school is gevaarlijk smal.",
        "De bus rijdt nog maar één keer per uur.",
        "Vrachtwagens denderen door de smalle straten.",
        "Bij het kruispunt gaat het bijna elke week mis.",
        "Er zijn te weinig laadpalen voor elektrische auto's.",
        "Veel sluipverkeer door de wijk sinds de nieuwe weg.",
        "Overal staan auto's geparkeerd, ook op de hoek.",
        "Scooters scheuren over het fietspad.",
    ],
    "groen": [
        "Meer bomen in de straat zou fijn zijn.",
        "Het plantsoen is een kale vlakte geworden.",
        "De groenstroken worden nauwelijks gemaaid.",
        "Ik mis het groen dat er vroeger was.",
        "Kunnen er geveltuintjes komen in onze straat?",
        "Het stadspark is de mooiste plek van de buurt.",
        "Meer bloemen en struiken in plaats van tegels.",
        "Ze hebben de oude boom bij de kerk gekapt.",
        "Een buurttuin waar we samen groente kunnen kweken.",
        "Het grasveld achter de flat is altijd modderig.",
        "De wijk moet groener, het is nu een stenen woestijn.",
    ],
    "spelen": [
        "De speeltuin is verouderd, de toestellen zijn kapot.",
        "Er is geen plek waar kinderen veilig kunnen spelen.",
        "Een trapveldje voor de kinderen zou veel schelen.",
        "De schommels zijn al maanden weg.",
        "Meer speelplekken voor kleine kinderen.",
        "Mijn kinderen spelen op straat tussen de auto's.",
        "Het skatepark wordt veel gebruikt, maar is te klein.",
        "De zandbak ligt vol met glas.",
        "Kinderen kunnen hier nergens buitenspelen.",
        "Een speelveld bij de school zou mooi zijn.",
        "Er zijn geen speeltoestellen voor oudere kinderen.",
    ],
    "veiligheid": [
        "Ik voel me 's avonds onveilig op straat.",
        "Er wordt veel ingebroken in de schuurtjes.",
        "In het portiek wordt gedeald, dat is eng.",
        "De straatverlichting doet het niet, het is er pikkedonker.",
        "Meer politie op straat graag.",
        "Mijn fiets is al twee keer gestolen.",
        "De wijkagent zien we nooit.",
        "Er zijn inbraken geweest in de hele straat.",
        "Camera's bij het station zouden helpen.",
        "Sinds de schietpartij durf ik niet meer over straat.",
        "Drugsdealers staan openlijk bij het pleintje.",
    ],
    "schoon_en_afval": [
        "Overal ligt zwerfafval.",
        "De containers zitten altijd vol en er staan zakken naast.",
        "Hondenpoep op de stoep, elke dag weer.",
        "Mensen dumpen hun grofvuil gewoon op straat.",
        "De prullenbakken worden te weinig geleegd.",
        "Het is hier heel vies geworden.",
        "Er lopen ratten rond bij de vuilnisbakken.",
        "Graag vaker schoonmaken rond het winkelcentrum.",
        "Sigarettenpeuken en blikjes, de troep is niet te zien.",
        "De afvalbakken in het park puilen uit.",
        "Bij de glasbak ligt altijd rommel.",
    ],
    "ontmoeting": [
        "Een plek om elkaar te ontmoeten mist in de buurt.",
        "Het buurthuis moet weer open.",
        "Vroeger was er een buurtfeest, dat mis ik.",
        "Ik ken mijn buren nauwelijks, er is geen contact met de buren.",
        "Een koffieochtend voor de straat zou leuk zijn.",
        "Meer activiteiten in de buurt waar je mensen leert kennen.",
        "Het wijkcentrum heeft te weinig activiteiten.",
        "Een ontmoetingsplek voor jong en oud.",
        "Op burendag leerde ik eindelijk mijn overburen kennen.",
        "Samen eten met de buurt, dat zou mooi zijn.",
        "De saamhorigheid in de straat is verdwenen.",
    ],
    "wonen": [
        "De huur stijgt elk jaar.",
        "Er zijn geen betaalbare woningen voor starters.",
        "Onze woning is vochtig en er zit schimmel in de badkamer.",
        "De woningcorporatie reageert niet op klachten.",
        "Mijn kinderen kunnen hier geen huis vinden, de huizenprijzen zijn te hoog.",
        "De wachtlijst voor een woning is twaalf jaar.",
        "Er moeten meer seniorenwoningen komen.",
        "De flats worden gesloopt en niemand weet waar we heen moeten.",
        "De verhuurder doet niets aan onderhoud aan de woningen.",
        "Huurwoningen worden verkocht als koopwoning.",
        "Er wordt te weinig nieuwbouw gepleegd voor jongeren uit de buurt.",
    ],
    "voorzieningen": [
        "De supermarkt gaat dicht en dan moet ik ver lopen.",
        "Er is geen pinautomaat meer in de wijk.",
        "De bibliotheek is wegbezuinigd.",
        "Meer winkels in het centrum van de wijk.",
        "De basisschool zit vol.",
        "Er is geen bakker of slager meer.",
        "Een café of terras zou de buurt goed doen.",
        "Kinderopvang is er nauwelijks.",
        "Het zwembad ligt veel te ver weg.",
        "Het winkelcentrum loopt leeg.",
        "Het postkantoor is weg, pakketjes ophalen is een gedoe.",
    ],
    "armoede_en_geldzorgen": [
        "Veel gezinnen kunnen nauwelijks rondkomen.",
        "Ik heb schulden en weet niet waar ik hulp krijg.",
        "De voedselbank wordt steeds drukker.",
        "Met de hoge energierekening kom ik niet rond.",
        "We hebben geen geld voor sport voor de kinderen.",
        "Aan het eind van de maand is het krap.",
        "De boodschappen zijn zo duur geworden, ik draai elke euro om.",
        "Mensen schamen zich voor hun geldzorgen.",
        "Er is veel armoede achter de voordeur.",
        "Ik kan de rekeningen bijna niet meer betalen.",
        "Meer hulp bij het aanvragen van toeslagen.",
    ],
    "eenzaamheid": [
        "Ik voel me vaak alleen sinds mijn vrouw is overleden.",
        "Veel ouderen zijn eenzaam en komen de deur niet uit.",
        "Ik heb niemand om mee te praten.",
        "Eenzaamheid onder ouderen is een groot probleem.",
        "Ik heb weinig sociale contacten.",
        "Mijn buurvrouw raakt steeds meer in een isolement.",
        "Ik ken niemand in deze buurt.",
        "Er is geen aanspraak, de dagen zijn lang.",
        "De vereenzaming van alleenstaanden wordt onderschat.",
        "Sinds corona voel ik me erg eenzaam.",
    ],
    "gezondheid_en_zorg": [
        "De huisarts heeft een patiëntenstop.",
        "Er is te weinig thuiszorg voor ouderen.",
        "Als mantelzorger sta ik er alleen voor.",
        "De apotheek is weggegaan uit de wijk.",
        "Meer mogelijkheden om te sporten in de buitenlucht.",
        "Veel mensen hebben psychische klachten.",
        "Mijn man is ziek en de zorg is slecht geregeld.",
        "Met de rollator kom ik de stoep niet op.",
        "Er moet meer aandacht komen voor gezond eten.",
        "De wachtlijsten in de ggz zijn te lang, mijn zoon is depressief.",
        "Bewegen voor ouderen in het park zou goed zijn.",
    ],
    "jongeren": [
        "Er is niets te doen voor jongeren.",
        "Tieners hebben geen eigen plek in de wijk.",
        "Het jongerencentrum is gesloten.",
        "De jongerenwerker is wegbezuinigd.",
        "Voor de jeugd moet meer worden georganiseerd.",
        "Pubers hangen maar wat rond op straat.",
        "Een hangplek voor jongeren zonder dat buren klagen.",
        "Jongeren trekken weg omdat er niets voor ze is.",
        "Studenten en scholieren hebben geen plek om te chillen.",
        "Meer aandacht voor jongeren die op het verkeerde pad raken.",
    ],
    "openbare_ruimte": [
        "De stoeptegels liggen scheef, ik ben al twee keer gevallen.",
        "Er zitten kuilen in de weg.",
        "Achterstallig onderhoud overal in de straat.",
        "Het onkruid groeit tussen de stenen.",
        "De bankjes zijn kapot en niemand repareert ze.",
        "De bestrating is een ramp voor rolstoelen.",
        "Het plein ziet er verloederd uit.",
        "De lantaarnpalen zijn verroest.",
        "Het riool stinkt en loopt over bij regen.",
        "Losliggende tegels bij de bushalte zijn gevaarlijk.",
        "De openbare ruimte wordt slecht onderhouden.",
    ],
    "overlast": [
        "Veel overlast van de buren.",
        "Geluidsoverlast tot diep in de nacht.",
        "Het lawaai van de feestjes houdt me wakker.",
        "Hangjongeren bij de ingang van de flat.",
        "Er wordt het hele jaar vuurwerk afgestoken.",
        "Dronken mensen op het bankje schreeuwen de hele avond.",
        "Harde muziek uit auto's die voorbij rijden.",
        "Burenruzies lopen soms hoog op.",
        "De stank van de fabriek is niet te harden.",
        "De herrie van de bouw begint om zeven uur.",
    ],
    "werk_en_inkomen": [
        "Ik zoek al twee jaar werk en vind niets.",
        "Er zijn weinig banen voor mensen zonder diploma.",
        "Mijn zoon kan geen stageplek vinden.",
        "Ik zit in de bijstand en wil graag aan het werk.",
        "Meer hulp bij solliciteren zou fijn zijn.",
        "Veel mensen hier zijn werkloos.",
        "Een opleiding volgen naast je werk is lastig.",
        "Met een uitkering mag je bijna niets bijverdienen.",
        "Er zijn geen bijbaantjes voor jongeren in de buurt.",
        "Werkgelegenheid in de wijk is verdwenen met de fabriek.",
    ],
    "duurzaamheid_en_energie": [
        "Onze huizen zijn slecht geïsoleerd.",
        "Zonnepanelen op de daken van de flats graag.",
        "Wanneer wordt de wijk aardgasvrij?",
        "In de zomer is het binnen niet uit te houden van de hitte.",
        "Meer aandacht voor duurzaamheid in de wijk.",
        "Een warmtenet zou goed zijn voor de buurt.",
        "Bij hevige regen hebben we wateroverlast in de kelder.",
        "De gemeente moet helpen met verduurzamen van oude huizen.",
        "Het klimaat verandert en de wijk is er niet op voorbereid.",
        "Een warmtepomp is voor huurders niet te betalen.",
    ],
}

# The truth of a few planted sentences covers more than one theme: they really do (set by
# hand from what the sentence is about; a place named only as a place does not count).
# "Er is geen plek waar kinderen veilig kunnen spelen." was labelled Spelen + Veiligheid until
# round 4; round 2 labelled the same phrase ("geen plek om veilig te spelen") Spelen only, and
# "veilig spelen" is about play space, not crime: both now say Spelen only (one label change,
# made together with the context rule "veilig … not with spelen").
ALSO = {
    "Hangjongeren bij de ingang van de flat.": {"jongeren"},
    "De speeltuin is verouderd, de toestellen zijn kapot.": {"openbare_ruimte"},
    "Mijn kinderen spelen op straat tussen de auto's.": {"verkeer_en_parkeren"},
    "Er wordt te weinig nieuwbouw gepleegd voor jongeren uit de buurt.": {"jongeren"},
    "Met de rollator kom ik de stoep niet op.": {"openbare_ruimte"},
    "De bestrating is een ramp voor rolstoelen.": {"gezondheid_en_zorg"},
    "Er zijn geen bijbaantjes voor jongeren in de buurt.": {"jongeren"},
    "Een warmtepomp is voor huurders niet te betalen.": {"wonen"},
    "Onze huizen zijn slecht geïsoleerd.": {"wonen"},
    "De gemeente moet helpen met verduurzamen van oude huizen.": {"wonen"},
}

# Round 1 of held-out sentences: written after the dictionary, then USED to extend it
# (racebaan, smerig, kabaal, gezelschap, psycholoog, …; before that: recall 0.611,
# precision 0.892). Kept as a regression check, no longer an honest held-out test.
ROUND_1: list[tuple[str, set[str]]] = [
    ("Het is een racebaan geworden sinds de weg is verbreed.", {"verkeer_en_parkeren"}),
    ("Bezoekers van de sportclub zetten alles vol met hun wagens.", {"verkeer_en_parkeren"}),
    ("Oversteken met de kinderwagen is levensgevaarlijk.", {"verkeer_en_parkeren"}),
    ("Er mag best wat meer kleur en natuur in de straat.", {"groen"}),
    ("De gemeente heeft alle heggen weggehaald.", {"groen"}),
    ("Geef ons een moestuin bij de school.", {"groen"}),
    ("Voor peuters is er helemaal niets om op te klimmen.", {"spelen"}),
    ("Een waterspeelplaats voor de zomer zou top zijn.", {"spelen"}),
    ("De kinderen voetballen tussen de geparkeerde auto's.", {"spelen", "verkeer_en_parkeren"}),
    ("Ik durf 's avonds niet meer alleen naar huis te lopen.", {"veiligheid"}),
    ("Er wordt openlijk gedeald bij de ingang van het winkelcentrum.", {"veiligheid"}),
    ("Auto-inbraken komen hier steeds vaker voor.", {"veiligheid"}),
    ("Het ziet er smerig uit rond de flats.", {"schoon_en_afval"}),
    ("Mensen zetten hun vuilniszakken gewoon naast de container.", {"schoon_en_afval"}),
    ("Zwerfvuil waait overal de tuinen in.", {"schoon_en_afval"}),
    ("We zouden vaker samen iets moeten organiseren als buurt.", {"ontmoeting"}),
    ("Een plek om een kop koffie te drinken met de buren.", {"ontmoeting"}),
    ("Het wijkcentrum is de enige plek waar ik mensen zie.", {"ontmoeting"}),
    ("Mijn huurhuis is veel te klein voor ons gezin.", {"wonen"}),
    ("Starters maken geen kans op de woningmarkt.", {"wonen"}),
    ("De woningen van de corporatie zijn slecht onderhouden.", {"wonen"}),
    ("Er is geen geldautomaat meer, ik moet met de bus naar het centrum.", {"voorzieningen", "verkeer_en_parkeren"}),
    ("De winkels in de straat staan allemaal leeg.", {"voorzieningen"}),
    ("Er is geen huisartsenpraktijk die nog nieuwe patiënten aanneemt.", {"gezondheid_en_zorg"}),
    ("Aan het eind van de maand is er niets meer over voor eten.", {"armoede_en_geldzorgen"}),
    ("Veel mensen durven niet te zeggen dat ze in de schulden zitten.", {"armoede_en_geldzorgen"}),
    ("De vaste lasten zijn zo gestegen dat we moeten kiezen.", {"armoede_en_geldzorgen"}),
    ("Sinds mijn man er niet meer is, spreek ik soms dagen niemand.", {"eenzaamheid"}),
    ("Oudere buren zitten de hele dag alleen thuis.", {"eenzaamheid"}),
    ("Ik mis gezelschap.", {"eenzaamheid"}),
    ("Wachtlijsten voor de psycholoog zijn veel te lang.", {"gezondheid_en_zorg"}),
    ("Er is geen wijkverpleegkundige meer in de buurt.", {"gezondheid_en_zorg"}),
    ("Ouderen moeten meer bewegen, een beweegtuin zou helpen.", {"gezondheid_en_zorg"}),
    ("Voor tieners is hier helemaal niks te doen.", {"jongeren"}),
    ("De jeugd heeft een eigen ruimte nodig.", {"jongeren"}),
    ("Jongvolwassenen trekken allemaal weg uit het dorp.", {"jongeren"}),
    ("De stoepen liggen vol gaten.", {"openbare_ruimte"}),
    ("Na de storm zijn de kapotte hekken nooit gerepareerd.", {"openbare_ruimte"}),
    ("Straatnaambordjes zijn onleesbaar en het straatmeubilair is vernield.", {"openbare_ruimte"}),
    ("De buren draaien elke nacht keiharde muziek.", {"overlast"}),
    ("Er wordt veel gerookt en geblowd in het portiek, dat stinkt.", {"overlast"}),
    ("Brommers maken een hels kabaal.", {"overlast", "verkeer_en_parkeren"}),
    ("Ik wil graag werken maar niemand neemt me aan.", {"werk_en_inkomen"}),
    ("Er is te weinig begeleiding naar een betaalde baan.", {"werk_en_inkomen"}),
    ("Jongeren zonder diploma vinden geen werk.", {"werk_en_inkomen", "jongeren"}),
    ("Ons huis is in de winter ijskoud door slechte isolatie.", {"duurzaamheid_en_energie", "wonen"}),
    ("Zonnepanelen zijn voor huurders niet te regelen.", {"duurzaamheid_en_energie", "wonen"}),
    ("Het wordt in de zomer veel te heet in de straat door alle stenen.", {"duurzaamheid_en_energie"}),
    ("Ik ben tevreden over hoe het nu gaat.", set()),
    ("Wanneer horen we wat er met de uitkomsten gebeurt?", set()),
    ("Ik heb geen tijd om mee te doen aan avonden.", set()),
    ("Mijn dochter speelt in het schoolorkest en dat is leuk.", set()),
    ("Fijn dat jullie het vragen, ik woon hier graag.", set()),
]

# Round 2: written after round 1's changes, then USED to extend the dictionary (before
# that: recall 0.559, precision 0.917); "door" became a preposition of place.
ROUND_2: list[tuple[str, set[str]]] = [
    ("Op zaterdag staat de hele straat vol met auto's van bezoekers.", {"verkeer_en_parkeren"}),
    ("De stoplichten bij de school staan veel te kort op groen voor voetgangers.", {"verkeer_en_parkeren"}),
    ("Ik kan mijn auto nooit kwijt na zes uur.", {"verkeer_en_parkeren"}),
    ("Er rijden veel te veel bezorgers op scooters door het park.", {"verkeer_en_parkeren"}),
    ("Het zou mooi zijn als er meer boompjes geplant worden.", {"groen"}),
    ("Alles is versteend, geen sprietje gras meer te zien.", {"groen"}),
    ("De bloembakken op de brug zijn prachtig.", {"groen"}),
    ("Kleine kinderen hebben geen plek om veilig te spelen.", {"spelen"}),
    ("Het klimrek is al een jaar afgezet met linten.", {"spelen"}),
    ("Op het schoolplein mag je na schooltijd niet meer komen.", {"spelen"}),
    ("Er zijn vaak vechtpartijen bij de snackbar.", {"veiligheid"}),
    ("Ik heb mijn voordeur laten beveiligen na de inbraakpoging.", {"veiligheid"}),
    ("Er wordt op klaarlichte dag gehandeld in drugs.", {"veiligheid"}),
    ("De bladeren worden nooit opgeruimd en de putten raken verstopt.", {"openbare_ruimte"}),
    ("Afvalzakken worden opengescheurd door katten en meeuwen.", {"schoon_en_afval"}),
    ("Het grofvuil blijft wekenlang op de stoep liggen.", {"schoon_en_afval"}),
    ("De straat wordt te weinig geveegd.", {"schoon_en_afval"}),
    ("Ik zou graag een buurtcafé willen waar je zomaar binnen kunt lopen.", {"ontmoeting", "voorzieningen"}),
    ("Vroeger kende iedereen elkaar, nu groet niemand meer.", {"ontmoeting"}),
    ("Een jaarlijkse straatbarbecue brengt mensen bij elkaar.", {"ontmoeting"}),
    ("Mijn zoon van 28 woont nog thuis omdat hij niets kan vinden.", {"wonen"}),
    ("De huurprijzen van particuliere verhuurders zijn absurd.", {"wonen"}),
    ("Er zit al jaren lekkage in het dak en de corporatie doet niets.", {"wonen"}),
    ("Ouderen willen kleiner wonen maar er is geen geschikte woning.", {"wonen"}),
    ("Voor een brood moet ik twintig minuten lopen.", {"voorzieningen"}),
    ("De drogist en de bakker zijn allebei gesloten.", {"voorzieningen"}),
    ("Er zou een gezondheidscentrum in de wijk moeten komen.", {"gezondheid_en_zorg", "voorzieningen"}),
    ("Veel gezinnen lenen geld om de huur te betalen.", {"armoede_en_geldzorgen", "wonen"}),
    ("Ik schaam me dat ik naar de voedselbank moet.", {"armoede_en_geldzorgen"}),
    ("Kinderen gaan zonder ontbijt naar school.", {"armoede_en_geldzorgen"}),
    ("Mijn moeder van 86 zit de hele week alleen.", {"eenzaamheid"}),
    ("Niemand komt nog op bezoek sinds ik slecht ter been ben.", {"eenzaamheid", "gezondheid_en_zorg"}),
    ("Ik voel me een buitenstaander in mijn eigen straat.", {"eenzaamheid"}),
    ("De thuiszorg komt steeds op andere tijden.", {"gezondheid_en_zorg"}),
    ("Er is te weinig ondersteuning voor mensen met dementie.", {"gezondheid_en_zorg"}),
    ("Een sportveldje voor ouderen met toestellen om te bewegen.", {"gezondheid_en_zorg"}),
    ("Jongens van een jaar of zestien hebben niets te doen en vervelen zich.", {"jongeren"}),
    ("Het jongerenwerk moet ook 's avonds open zijn.", {"jongeren"}),
    ("De boomwortels drukken de tegels omhoog.", {"openbare_ruimte", "groen"}),
    ("Het fietspad heeft enorme scheuren.", {"openbare_ruimte", "verkeer_en_parkeren"}),
    ("De verlichting in het tunneltje is al maanden kapot.", {"openbare_ruimte", "veiligheid"}),
    ("Mijn bovenburen stampen en schreeuwen tot diep in de nacht.", {"overlast"}),
    ("Een groep jongeren maakt elke avond herrie bij het bankje.", {"overlast", "jongeren"}),
    ("De bouwwerkzaamheden beginnen al om zes uur, dat is niet te doen.", {"overlast"}),
    ("Er zijn te weinig stageplaatsen voor mbo-studenten.", {"werk_en_inkomen", "jongeren"}),
    ("Ik ben vijftig en word nergens meer aangenomen.", {"werk_en_inkomen"}),
    ("Vrijwilligerswerk zou een opstap naar betaald werk kunnen zijn.", {"werk_en_inkomen"}),
    ("Als we van het gas af moeten, wie betaalt dat dan?", {"duurzaamheid_en_energie"}),
    ("Regenwater blijft na een bui dagen op straat staan.", {"duurzaamheid_en_energie"}),
    ("Ik zou graag een buurtbatterij of gezamenlijke zonnepanelen willen.", {"duurzaamheid_en_energie"}),
    ("Alles prima zo, ga zo door.", set()),
    ("Ik heb het formulier op papier ingevuld omdat ik geen computer heb.", set()),
    ("Mijn kleinzoon helpt me met het invullen.", set()),
    ("Ik vind het jammer dat ik de vorige avond heb gemist.", set()),
    ("Graag meer informatie via de buurtkrant.", set()),
    ("De gemeente speelt een belangrijke rol in de wijk.", set()),
]

# Round 3: written after the last change to the dictionary. Measured once: recall 0.617,
# precision 0.902. Its one false hit from a bug ("glijbanen" read as banen = jobs) was then
# fixed with exclusions for -baan compounds (precision 0.925). In round 4's work it was USED
# to develop (context rules and words), so it is a regression check now.
HELD_OUT: list[tuple[str, set[str]]] = [
    ("Met de rolstoel kom ik niet langs de geparkeerde fietsen.", {"verkeer_en_parkeren", "gezondheid_en_zorg"}),
    ("Het is hier een doorgaande route voor vrachtverkeer geworden.", {"verkeer_en_parkeren"}),
    ("Bij de basisschool is het elke ochtend chaos met ouders in auto's.", {"verkeer_en_parkeren"}),
    ("De bomen in onze straat geven in de zomer heerlijk schaduw.", {"groen", "duurzaamheid_en_energie"}),
    ("Ik mis een park in de buurt om te wandelen.", {"groen"}),
    ("De gemeente maait de bermen veel te vroeg.", {"groen"}),
    ("Een avontuurlijke speelplek met water en zand.", {"spelen"}),
    ("Mijn kleinkinderen kunnen nergens fietsen of steppen.", {"spelen"}),
    ("Er zijn geen glijbanen voor de kleintjes.", {"spelen"}),
    ("Mijn scooter is vorige week in brand gestoken.", {"veiligheid"}),
    ("Er hangen 's nachts louche types rond bij de garageboxen.", {"veiligheid"}),
    ("Ik zie nooit een handhaver of agent in de straat.", {"veiligheid"}),
    ("Er ligt altijd glas op het trottoir.", {"schoon_en_afval"}),
    ("De ondergrondse containers zijn vaak kapot.", {"schoon_en_afval", "openbare_ruimte"}),
    ("Sommige bewoners gooien hun afval gewoon uit het raam.", {"schoon_en_afval"}),
    ("Er is geen plek waar je even kunt zitten en kletsen.", {"ontmoeting"}),
    ("Een eetcafé voor de buurt waar je samen kunt eten.", {"ontmoeting", "voorzieningen"}),
    ("Nieuwe bewoners kennen niemand en worden niet welkom geheten.", {"ontmoeting", "eenzaamheid"}),
    ("Ik sta al negen jaar ingeschreven voor een sociale huurwoning.", {"wonen"}),
    ("De muren zijn zo dun dat je de buren hoort praten.", {"wonen", "overlast"}),
    ("Er worden steeds meer woningen opgekocht door beleggers.", {"wonen"}),
    ("Er is geen apotheek in de buurt.", {"gezondheid_en_zorg", "voorzieningen"}),
    ("De dichtstbijzijnde supermarkt is ver weg voor ouderen zonder auto.", {"voorzieningen"}),
    ("Ik weet niet hoe ik de rekeningen deze winter moet betalen.", {"armoede_en_geldzorgen"}),
    ("Schoolreisjes zijn voor veel gezinnen te duur.", {"armoede_en_geldzorgen"}),
    ("Veel mensen weten niet waar ze terechtkunnen met geldproblemen.", {"armoede_en_geldzorgen"}),
    ("Sinds mijn pensioen zie ik bijna niemand meer.", {"eenzaamheid"}),
    ("Er zijn mensen die maanden met niemand praten.", {"eenzaamheid"}),
    ("Ik heb geen familie in de buurt en weinig vrienden.", {"eenzaamheid"}),
    ("De wachttijd bij de huisarts is drie weken.", {"gezondheid_en_zorg"}),
    ("Mijn buurman heeft hulp nodig bij het douchen maar krijgt die niet.", {"gezondheid_en_zorg"}),
    ("Veel mensen roken en eten ongezond.", {"gezondheid_en_zorg"}),
    ("Scholieren hebben geen plek om na school te sporten.", {"jongeren", "gezondheid_en_zorg"}),
    ("Er is een jongerenraad nodig zodat ze zelf mee kunnen praten.", {"jongeren"}),
    ("Meiden hebben geen eigen plek, alles is voor jongens.", {"jongeren"}),
    ("De trap naar de onderdoorgang is levensgevaarlijk glad.", {"openbare_ruimte"}),
    ("Het hek rond het speelveldje is al maanden stuk.", {"openbare_ruimte", "spelen"}),
    ("Waarom duurt het zo lang voordat een melding wordt opgepakt?", {"openbare_ruimte"}),
    ("De hond van de buren blaft de hele dag.", {"overlast"}),
    ("Mensen laten hun motor lang stationair draaien onder mijn raam.", {"overlast"}),
    ("Op het balkon boven mij wordt de hele dag gerookt.", {"overlast"}),
    ("Veel statushouders willen werken maar mogen nog niet.", {"werk_en_inkomen"}),
    ("Een leerwerkplek in de wijk zou jongeren helpen.", {"werk_en_inkomen", "jongeren"}),
    ("Mijn inkomen is te laag om van rond te komen.", {"werk_en_inkomen", "armoede_en_geldzorgen"}),
    ("De nieuwe warmtepompen maken veel lawaai.", {"duurzaamheid_en_energie", "overlast"}),
    ("Oude huizen verduurzamen is onbetaalbaar voor eigenaren.", {"duurzaamheid_en_energie", "wonen"}),
    ("Bij hoosbuien loopt de kelder onder.", {"duurzaamheid_en_energie"}),
    ("Ik woon hier met veel plezier, de mensen zijn aardig.", set()),
    ("De enquête was te lang.", set()),
    ("Ik heb geen idee wat de gemeente met mijn antwoorden doet.", set()),
    ("Bedankt voor het langskomen, het was een fijn gesprek.", set()),
    ("Mijn zoon speelt voetbal bij de club in de stad.", set()),
]

# Round 4: written before any change of the matcher or dictionary in this round (by the
# engineer who then changed them, so less independent than a stranger's sentences), as
# residents write (short, long, misspelt, colloquial, negations, two or three themes,
# ambiguous words). It is the held-out test: never used to choose words or rules; its misses
# were first printed at the final measurement. Labels follow the same rules as before: a theme is raised when the
# resident talks about it (also "geen overlast" or "ik voel me veilig"); a place named only
# as where something happens does not count; "onderhoud" of a dwelling is Wonen.
ROUND_4: list[tuple[str, set[str]]] = [
    ("Te veel blik in de straat, je kan je auto nergens kwijt.", {"verkeer_en_parkeren"}),
    ("er word keihard gereden door de 30 zone!!", {"verkeer_en_parkeren"}),
    ("Parkeervergunning is duur en je vindt alsnog geen plek.", {"verkeer_en_parkeren"}),
    ("De oversteek bij de Jumbo is levensgevaarlijk voor kinderen.", {"verkeer_en_parkeren"}),
    ("Bezorgbusjes staan de hele dag dubbel geparkeerd.", {"verkeer_en_parkeren"}),
    ("De buslijn naar het ziekenhuis is geschrapt.", {"verkeer_en_parkeren"}),
    ("Ouders parkeren bij school op de stoep en op de fietsstrook.", {"verkeer_en_parkeren"}),
    ("Geen verkeersproblemen hier, dat is prima geregeld.", {"verkeer_en_parkeren"}),
    ("Het verkeerslicht springt veel te snel op rood.", {"verkeer_en_parkeren"}),
    ("ff serieus, die drempels zijn veel te hoog, m'n auto raakt de grond.", {"verkeer_en_parkeren"}),
    ("Laadpalen en deelauto's prima, maar neem niet alle parkeerplekken in.", {"verkeer_en_parkeren"}),
    ("Meer groen graag, minder stenen.", {"groen"}),
    ("Die boomen langs de singel moeten blijven!", {"groen"}),
    ("Het park wordt slecht bijgehouden, overal brandnetels.", {"groen", "openbare_ruimte"}),
    ("Ik zou graag een gemeenschappelijke tuin willen om samen te tuinieren.", {"groen"}),
    ("Het groen bij de vijver is prachtig, daar wandel ik graag.", {"groen"}),
    ("De gemeente heeft er een groene wijk van gemaakt, complimenten.", {"groen"}),
    ("Speeltuintje voor de kleintjes aub", {"spelen"}),
    ("Mijn dochter van 6 kan nergens buiten spelen want overal rijden auto's.",
     {"spelen", "verkeer_en_parkeren"}),
    ("De glijbaan is al een half jaar kapot.", {"spelen", "openbare_ruimte"}),
    ("Een basketbalveldje of pannaveld voor de kinderen uit de buurt.", {"spelen"}),
    ("Waar kunnen kinderen hier nog voetballen? Alles is bebouwd.", {"spelen"}),
    ("Het speelplein wordt 's avonds gebruikt als hangplek door jongeren.", {"spelen", "jongeren"}),
    ("Ik loop 's avonds liever niet door het steegje, daar is het te donker.", {"veiligheid"}),
    ("Er is twee keer ingebroken bij de buren dit jaar.", {"veiligheid"}),
    ("Jongens op scooters die tasjes roven, ik ben bang geworden.", {"veiligheid"}),
    ("Er wordt in de flat gedeald, iedereen weet het maar de politie doet niks.", {"veiligheid"}),
    ("Ik voel me hier gewoon veilig.", {"veiligheid"}),
    ("Meer toezicht van boa's in het park.", {"veiligheid"}),
    ("Auto's worden opengebroken en fietsen gejat.", {"veiligheid"}),
    ("hondepoep overal op het grasveldje", {"schoon_en_afval"}),
    ("De vuilnis wordt niet op tijd opgehaald.", {"schoon_en_afval"}),
    ("Op de hoek staat altijd een berg huisvuil naast de ondergrondse bak.", {"schoon_en_afval"}),
    ("Er liggen overal lachgaspatronen en pizzadozen.", {"schoon_en_afval"}),
    ("Het is een zooitje bij het winkelcentrum.", {"schoon_en_afval"}),
    ("Ik zie steeds meer ratten en muizen rond de containers.", {"schoon_en_afval"}),
    ("Het is hier netjes, de straat wordt goed schoongehouden.", {"schoon_en_afval"}),
    ("Ik heb een groene kliko maar die wordt nooit geleegd.", {"schoon_en_afval"}),
    ("Een plek waar buurtbewoners elkaar kunnen leren kennen.", {"ontmoeting"}),
    ("Vroeger hadden we een straatfeest, nu niks meer.", {"ontmoeting"}),
    ("Het buurthuis is dicht sinds de bezuinigingen en nu zie ik niemand meer.", {"ontmoeting", "eenzaamheid"}),
    ("Meer activiteiten voor ouderen, zoals bingo of samen koken.", {"ontmoeting"}),
    ("De Turkse en de Nederlandse bewoners leven langs elkaar heen.", {"ontmoeting"}),
    ("Een bankje bij de ingang zodat je even een praatje kan maken.", {"ontmoeting", "openbare_ruimte"}),
    ("Geen betaalbare huizen voor onze kinderen.", {"wonen"}),
    ("Ik sta al 12 jaar ingeschreven bij woningnet en krijg niks.", {"wonen"}),
    ("De corporatie komt de kapotte cv-ketel maar niet maken.", {"wonen"}),
    ("Onze flat tocht aan alle kanten en de ramen sluiten niet.", {"wonen"}),
    ("Huurverhoging van 5% terwijl er niks aan het huis gedaan wordt.", {"wonen"}),
    ("Er worden alleen dure appartementen gebouwd.", {"wonen"}),
    ("De schimmel in de badkamer komt steeds terug, de verhuurder doet niks aan het onderhoud.", {"wonen"}),
    ("We missen een huisarts en een apotheek in de wijk.", {"gezondheid_en_zorg", "voorzieningen"}),
    ("De Albert Heijn is te duur, een goedkopere supermarkt zou fijn zijn.", {"voorzieningen"}),
    ("Er is geen pinautomaat meer, voor ouderen is dat een probleem.", {"voorzieningen"}),
    ("De bieb is alleen nog twee middagen open.", {"voorzieningen"}),
    ("Een snackbar of lunchroom zou gezellig zijn.", {"voorzieningen"}),
    ("Het sportcomplex is verouderd en de kleedkamers zijn vies.", {"voorzieningen", "schoon_en_afval"}),
    ("Ik moet kiezen tussen eten en de energie betalen.", {"armoede_en_geldzorgen"}),
    ("Veel kinderen hier gaan zonder warme maaltijd naar bed.", {"armoede_en_geldzorgen"}),
    ("Ik heb een betalingsregeling met de belastingdienst en het lukt amper.", {"armoede_en_geldzorgen"}),
    ("De vaste lasten vreten mijn pensioentje op.", {"armoede_en_geldzorgen"}),
    ("Niet iedereen kan de contributie van de voetbalclub betalen.", {"armoede_en_geldzorgen"}),
    ("Mensen met weinig inkomen weten de weg naar regelingen niet.",
     {"armoede_en_geldzorgen", "werk_en_inkomen"}),
    ("Sportclubs zijn te duur voor ons.", {"armoede_en_geldzorgen"}),
    ("Sinds mijn vrouw dood is heb ik niemand meer om mee te praten.", {"eenzaamheid"}),
    ("Ik ben veel alleen.", {"eenzaamheid"}),
    ("Ouderen vereenzamen achter de voordeur.", {"eenzaamheid"}),
    ("Mijn kinderen wonen ver weg en ik zie bijna nooit iemand.", {"eenzaamheid"}),
    ("Ik mis de gezelligheid van vroeger, ik voel me een beetje verloren.", {"eenzaamheid", "ontmoeting"}),
    ("Ik woon alleen maar voel me absoluut niet eenzaam.", {"eenzaamheid"}),
    ("De huisartsenpost is alleen met de auto bereikbaar.", {"gezondheid_en_zorg"}),
    ("Mijn moeder heeft alzheimer en ik krijg geen hulp.", {"gezondheid_en_zorg"}),
    ("Te lang wachten voor de GGZ, mijn dochter zit al maanden thuis.", {"gezondheid_en_zorg"}),
    ("Er zijn te weinig plekken in het verpleeghuis.", {"gezondheid_en_zorg"}),
    ("Mantelzorgers worden vergeten, ik ben op.", {"gezondheid_en_zorg"}),
    ("Beweegactiviteiten voor ouderen in het park, zoals wandelen of tai chi.", {"gezondheid_en_zorg"}),
    ("Veel mensen in de wijk roken en hebben overgewicht.", {"gezondheid_en_zorg"}),
    ("De jeugd hangt rond bij de snackbar omdat er niks te doen is.", {"jongeren"}),
    ("Een jongerenhonk met een pingpongtafel en een playstation.", {"jongeren"}),
    ("Tieners hebben geen plek, ze worden overal weggestuurd.", {"jongeren"}),
    ("Mijn zoon van 15 verveelt zich dood.", {"jongeren"}),
    ("Jongeren worden te snel gecriminaliseerd.", {"jongeren"}),
    ("Het jongerenwerk doet goed werk.", {"jongeren"}),
    ("Het winkelcentrum is een hangplek geworden, ik ga er niet meer heen.", {"jongeren"}),
    ("De stoep is zo scheef dat ik met mijn rollator val.", {"openbare_ruimte", "gezondheid_en_zorg"}),
    ("Straatlantaarn bij nr 12 is al weken stuk.", {"openbare_ruimte"}),
    ("Putdeksel ligt los, dat rammelt elke keer als er een auto overheen rijdt.", {"openbare_ruimte"}),
    ("De fontein op het plein doet het al jaren niet.", {"openbare_ruimte"}),
    ("Bankjes zijn weggehaald, nergens kan je meer zitten.", {"openbare_ruimte"}),
    ("Gemeente, repareer die gaten in het fietspad!", {"openbare_ruimte", "verkeer_en_parkeren"}),
    ("Meldingen via de app worden nooit opgelost.", {"openbare_ruimte"}),
    ("kapotte lantaarnpaal + donker pad = onveilig", {"openbare_ruimte", "veiligheid"}),
    ("Buren met een blaffende hond, de hele dag door.", {"overlast"}),
    ("Brommertjes die 's nachts rondjes rijden, ik slaap niet meer.", {"overlast", "verkeer_en_parkeren"}),
    ("Feestjes met keiharde muziek in het weekend.", {"overlast"}),
    ("Wietlucht in het trappenhuis.", {"overlast"}),
    ("Ik heb geen last van de buren, het is hier rustig.", {"overlast"}),
    ("Airbnb-gasten met rolkoffers om 3 uur 's nachts.", {"overlast"}),
    ("Meeuwen die de vuilniszakken openpikken en krijsen.", {"schoon_en_afval", "overlast"}),
    ("Voor 50-plussers is er geen werk te vinden.", {"werk_en_inkomen"}),
    ("Ik heb een WW-uitkering en solliciteer me suf.", {"werk_en_inkomen"}),
    ("Meer stageplekken voor jongeren van het mbo.", {"werk_en_inkomen", "jongeren"}),
    ("Een taalcursus zou helpen om een baan te vinden.", {"werk_en_inkomen"}),
    ("Ik werk drie dagen en verdien te weinig om rond te komen.", {"werk_en_inkomen", "armoede_en_geldzorgen"}),
    ("Zonnepanelen op het dak van de school, waarom niet?", {"duurzaamheid_en_energie"}),
    ("De gemeente moet eens haast maken met het warmtenet.", {"duurzaamheid_en_energie"}),
    ("Onze woning heeft energielabel G, ik betaal me blauw.", {"duurzaamheid_en_energie", "wonen"}),
    ("Na elke regenbui staat de tunnel onder water.", {"duurzaamheid_en_energie"}),
    ("Isoleren is voor mij als oudere veel te duur.", {"duurzaamheid_en_energie"}),
    ("Er wordt hard gereden en geparkeerd op de stoep, er is geen groen en de kinderen kunnen nergens "
     "spelen, kortom het is hier niet leuk meer.", {"verkeer_en_parkeren", "groen", "spelen"}),
    ("Alles wordt duurder, de huur, de boodschappen, en ik sta er alleen voor sinds de scheiding.",
     {"armoede_en_geldzorgen", "wonen"}),
    ("Geen opmerkingen verder, bedankt.", set()),
    ("Ik woon hier 40 jaar en wil nergens anders wonen.", set()),
    ("De vragenlijst was duidelijk.", set()),
    ("Mijn kleindochter speelt hockey en doet het goed op school.", set()),
    ("Veel succes met het onderzoek.", set()),
    ("Ik vind het een fijne buurt met aardige mensen.", set()),
    ("Zorg dat er iets met de uitkomsten gebeurt!", set()),
]

# Round 5: written after round 4 and USED to develop the context rules and vocabulary of
# this round (like rounds 1–3); a regression check, not a held-out test.
ROUND_5: list[tuple[str, set[str]]] = [
    ("Op de Hoofdweg wordt 's nachts geracet met opgevoerde auto's.", {"verkeer_en_parkeren"}),
    ("Geen enkele parkeerplaats vrij als je na het werk thuiskomt.", {"verkeer_en_parkeren"}),
    ("Bij de school stoppen ouders midden op de weg om kinderen af te zetten.", {"verkeer_en_parkeren"}),
    ("Fietsers rijden door rood en over de stoep.", {"verkeer_en_parkeren"}),
    ("De bus komt maar om het half uur, voor mij te weinig.", {"verkeer_en_parkeren"}),
    ("Mijn auto staat netjes voor de deur, geen probleem.", {"verkeer_en_parkeren"}),
    ("De platanen in onze laan zijn prachtig.", {"groen"}),
    ("Waarom zijn de struiken bij de vijver gerooid?", {"groen"}),
    ("Het gras wordt te kort gemaaid, er bloeit niets meer.", {"groen"}),
    ("De speelplaats bij de flat is alleen nog zand en tegels.", {"spelen"}),
    ("Mijn kleinzoon heeft geen plek om te voetballen.", {"spelen"}),
    ("De wip en de schommel zijn weggehaald en nooit teruggekomen.", {"spelen"}),
    ("Er zijn vaak vechtpartijen bij het station.", {"veiligheid"}),
    ("Mijn buurvrouw is op straat beroofd van haar tas.", {"veiligheid"}),
    ("Er rijden steeds vaker politieauto's met sirenes door de wijk.", {"veiligheid"}),
    ("Door de donkere brandgang ga ik niet meer.", {"veiligheid"}),
    ("Mensen zetten hun oude bank gewoon bij de container.", {"schoon_en_afval"}),
    ("Overal liggen plastic flesjes en chipszakken.", {"schoon_en_afval"}),
    ("De bakken voor plastic zitten altijd propvol.", {"schoon_en_afval"}),
    ("Er is nergens een afvalbakje langs het wandelpad.", {"schoon_en_afval"}),
    ("Ik zou graag een koffiemiddag voor de straat organiseren.", {"ontmoeting"}),
    ("Mensen groeten elkaar niet meer, iedereen leeft voor zich.", {"ontmoeting"}),
    ("Een buurtmoestuin zou mensen bij elkaar brengen.", {"ontmoeting", "groen"}),
    ("Mijn dochter van 25 woont nog bij ons omdat ze geen huis kan vinden.", {"wonen"}),
    ("De portiekflats zijn oud en gehorig.", {"wonen", "overlast"}),
    ("Woningen worden opgekocht en verhuurd aan arbeidsmigranten.", {"wonen"}),
    ("Het duurt maanden voordat de corporatie een lekkend dak repareert.", {"wonen"}),
    ("Een pinautomaat in het winkelcentrum zou fijn zijn.", {"voorzieningen"}),
    ("De bakker op de hoek is na veertig jaar gestopt.", {"voorzieningen"}),
    ("Er is geen kinderdagverblijf meer in de buurt.", {"voorzieningen"}),
    ("Het eind van de maand haal ik niet zonder de voedselbank.", {"armoede_en_geldzorgen"}),
    ("Ik durf geen post meer open te maken, zoveel rekeningen.", {"armoede_en_geldzorgen"}),
    ("Mijn kinderen kunnen niet mee op schoolreis, dat is te duur.", {"armoede_en_geldzorgen"}),
    ("Ik spreek soms een week niemand.", {"eenzaamheid"}),
    ("Sinds ik weduwe ben voel ik me heel eenzaam.", {"eenzaamheid"}),
    ("Er is niemand bij wie ik terecht kan.", {"eenzaamheid"}),
    ("De wachtlijst voor de fysiotherapeut is maanden.", {"gezondheid_en_zorg"}),
    ("Mijn vader met parkinson krijgt te weinig hulp thuis.", {"gezondheid_en_zorg"}),
    ("Veel ouderen vallen en breken hun heup.", {"gezondheid_en_zorg"}),
    ("Jongeren hebben geen plek om te chillen.", {"jongeren"}),
    ("De jongens van veertien hangen de hele dag op het plein.", {"jongeren"}),
    ("Meer begeleiding voor jongeren die uitvallen op school.", {"jongeren"}),
    ("Het wegdek zit vol scheuren en gaten.", {"openbare_ruimte", "verkeer_en_parkeren"}),
    ("De lampen in de onderdoorgang zijn al weken kapot.", {"openbare_ruimte"}),
    ("Overhangende takken over de stoep, je moet bukken.", {"openbare_ruimte", "groen"}),
    ("De bovenburen hebben een laminaatvloer, ik hoor alles.", {"overlast"}),
    ("Elke zaterdag feest tot vier uur 's nachts in het buurhuis.", {"overlast"}),
    ("Bij de snackbar staan scooters met draaiende motoren.", {"overlast"}),
    ("Mijn buurman laat zijn hond de hele dag janken.", {"overlast"}),
    ("Ik ben afgekeurd en kom niet meer aan de slag.", {"werk_en_inkomen"}),
    ("Voor mensen met een vlucht-achtergrond is werk vinden heel moeilijk.", {"werk_en_inkomen"}),
    ("Bedrijven in de buurt nemen geen mensen uit de wijk aan.", {"werk_en_inkomen"}),
    ("Waarom hebben de corporatiewoningen nog steeds enkel glas?", {"duurzaamheid_en_energie", "wonen"}),
    ("Na een stortbui staat de straat blank.", {"duurzaamheid_en_energie"}),
    ("Een subsidie voor zonnepanelen voor kleine huishoudens.", {"duurzaamheid_en_energie"}),
    ("Ik vind het hier prima wonen.", set()),
    ("Jammer dat niemand van de gemeente ooit langskomt.", set()),
    ("Mijn broer speelt gitaar in een bandje.", set()),
    ("Het is een groene gemeente in politieke zin, dat merk je.", set()),
    ("Graag een terugkoppeling van de resultaten.", set()),
]

# Round 6: written after round 5's changes; measured once before use (see the docstring),
# then USED to develop; a regression check, not a held-out test.
ROUND_6: list[tuple[str, set[str]]] = [
    ("PARKEREN IS EEN DRAMA HIER", {"verkeer_en_parkeren"}),
    ("de weg is een snelweg geworden sinds de nieuwe wijk er is", {"verkeer_en_parkeren"}),
    ("Bewonersparkeren invoeren graag.", {"verkeer_en_parkeren"}),
    ("Te veel verkeer in de Dorpsstraat, er moet een snelheidscontrole komen.", {"verkeer_en_parkeren"}),
    ("Elektrische fietsen razen langs de school.", {"verkeer_en_parkeren"}),
    ("Er is geen zebrapad bij de bushalte.", {"verkeer_en_parkeren"}),
    ("Ze hebben de mooie lindebomen gekapt voor parkeerplaatsen.", {"groen", "verkeer_en_parkeren"}),
    ("Meer bloembakken en minder beton.", {"groen"}),
    ("De natuur rondom de wijk is het mooiste wat we hebben.", {"groen"}),
    ("Het wijkpark wordt verwaarloosd, het onkruid staat kniehoog.", {"groen", "openbare_ruimte"}),
    ("Kinderen hebben geen ruimte om te rennen en te ravotten.", {"spelen"}),
    ("Een waterpartij of fontein om in te spelen in de zomer.", {"spelen"}),
    ("Het speeltuintje is alleen voor peuters, de grotere kids vervelen zich.", {"spelen", "jongeren"}),
    ("Meer blauw op straat!", {"veiligheid"}),
    ("Er wordt gedeald vanuit een auto bij het park.", {"veiligheid"}),
    ("s avonds is het onveilig in het tunneltje onder het spoor", {"veiligheid"}),
    ("Mijn schuur is opengebroken en alles is weg.", {"veiligheid"}),
    ("Er wordt vaak ingebroken in auto's in onze straat.", {"veiligheid"}),
    ("De straat is smerig, overal sigarettenpeuken.", {"schoon_en_afval"}),
    ("Afval scheiden is lastig zonder bakken in de flat.", {"schoon_en_afval"}),
    ("Er staat al weken een kapotte bank op de stoep.", {"schoon_en_afval"}),
    ("Het is een grote vuilnisbelt bij de containers.", {"schoon_en_afval"}),
    ("Een buurtcentrum waar je terecht kunt voor een kop thee.", {"ontmoeting"}),
    ("Ik zou meer willen doen met mijn buren.", {"ontmoeting"}),
    ("Er is te weinig te doen voor ouderen in de wijk.", {"ontmoeting"}),
    ("De huren zijn niet op te brengen voor een alleenstaande moeder.", {"wonen", "armoede_en_geldzorgen"}),
    ("Mijn huis is te groot nu de kinderen weg zijn, maar er is niets kleiners.", {"wonen"}),
    ("De koopprijzen rijzen de pan uit.", {"wonen"}),
    ("Onze flat wordt gerenoveerd, we weten niet waar we naartoe moeten.", {"wonen"}),
    ("Een dokterspost en een supermarkt op loopafstand zou ideaal zijn.", {"gezondheid_en_zorg", "voorzieningen"}),
    ("Het bankfiliaal is dicht, ouderen kunnen nergens meer geld opnemen.", {"voorzieningen"}),
    ("Een bibliotheekje of leescafé in de buurt.", {"voorzieningen"}),
    ("Met mijn AOW kom ik net niet rond.", {"armoede_en_geldzorgen"}),
    ("Veel gezinnen zitten in de schuldsanering.", {"armoede_en_geldzorgen"}),
    ("Alles is zo duur geworden, we eten vaak alleen brood.", {"armoede_en_geldzorgen"}),
    ("Mijn man is overleden en de avonden zijn lang en stil.", {"eenzaamheid"}),
    ("Ik heb behoefte aan iemand om mee te praten.", {"eenzaamheid"}),
    ("Veel alleenstaande ouderen hebben niemand die naar ze omkijkt.", {"eenzaamheid"}),
    ("De doktersassistente neemt de telefoon nooit op.", {"gezondheid_en_zorg"}),
    ("Er zijn te weinig handen aan het bed in het verpleeghuis.", {"gezondheid_en_zorg"}),
    ("Ik heb een beperking en kan de trap niet op.", {"gezondheid_en_zorg"}),
    ("Pubers hebben een eigen honk nodig.", {"jongeren"}),
    ("Voor de jeugd is er helemaal niks.", {"jongeren"}),
    ("Veel jongeren glijden af naar criminaliteit.", {"jongeren", "veiligheid"}),
    ("Er zijn diepe kuilen in het grindpad.", {"openbare_ruimte"}),
    ("Het bushokje is al maanden vernield.", {"openbare_ruimte"}),
    ("De verlichting op het fietspad doet het niet.", {"openbare_ruimte", "veiligheid"}),
    ("Paaltjes op het fietspad zijn levensgevaarlijk in het donker.", {"openbare_ruimte", "verkeer_en_parkeren"}),
    ("Onze buren hebben elke avond ruzie, we horen alles.", {"overlast"}),
    ("Op zondag wordt er al om acht uur geklust en geboord.", {"overlast"}),
    ("Hangjongeren op scooters die iedereen uitschelden.", {"overlast", "jongeren"}),
    ("Stankoverlast van de vuilverbranding.", {"overlast"}),
    ("Ik wil graag meer uren werken maar de baas geeft ze niet.", {"werk_en_inkomen"}),
    ("Er is te weinig hulp bij het vinden van een baan voor mensen met een beperking.",
     {"werk_en_inkomen", "gezondheid_en_zorg"}),
    ("Mijn zoon heeft zijn diploma maar vindt geen werk.", {"werk_en_inkomen"}),
    ("De straat moet van het gas af maar niemand legt uit hoe.", {"duurzaamheid_en_energie"}),
    ("In de zomer is onze bovenwoning een oven.", {"duurzaamheid_en_energie", "wonen"}),
    ("Meer regentonnen en groene tuinen tegen wateroverlast.", {"duurzaamheid_en_energie", "groen"}),
    ("Prima buurt, niks aan doen.", set()),
    ("Mijn kinderen zijn het huis uit en komen vaak langs.", set()),
    ("Ik speel zelf in de harmonie.", set()),
    ("Je vraagt teveel in deze lijst.", set()),
]

# Round 7: written after round 6's changes, in other registers (simple Dutch of newcomers,
# youth slang, a formal letter tone, elderly residents); measured once before use (see the
# docstring), then USED to develop; a regression check, not a held-out test.
ROUND_7: list[tuple[str, set[str]]] = [
    ("auto's rijden heel snel hier, gevaarlijk voor mijn kinderen", {"verkeer_en_parkeren"}),
    ("Geachte gemeente, de verkeersveiligheid op de Julianalaan laat te wensen over.", {"verkeer_en_parkeren"}),
    ("Het is hier altijd file in de ochtend.", {"verkeer_en_parkeren"}),
    ("Mijn scootmobiel past niet door de paaltjes bij het pad.", {"verkeer_en_parkeren", "openbare_ruimte"}),
    ("Er zijn te weinig plekken om je fiets te stallen bij het station.", {"verkeer_en_parkeren"}),
    ("Geef ons een echt park in plaats van die grasstrook.", {"groen"}),
    ("De bomen worden nooit gesnoeid, ik zie geen zon meer in mijn tuin.", {"groen"}),
    ("Meer planten en bloemen op het plein alsjeblieft.", {"groen"}),
    ("Kinderen spelen hier op de parkeerplaats want er is niks anders.", {"spelen", "verkeer_en_parkeren"}),
    ("De speeltuin is altijd op slot.", {"spelen"}),
    ("wij willen een voetbalkooi bro", {"spelen"}),
    ("Ik ben twee keer lastiggevallen door een groep mannen bij de supermarkt.", {"veiligheid", "overlast"}),
    ("De politie komt pas na een uur als je belt.", {"veiligheid"}),
    ("Ik heb geen vertrouwen meer in de handhaving.", {"veiligheid"}),
    ("Mijn fiets was weg, gewoon gestolen voor de deur.", {"veiligheid"}),
    ("Vuil op straat heel veel, niet mooi.", {"schoon_en_afval"}),
    ("De afvalcontainer is kapot en stinkt vreselijk.", {"schoon_en_afval", "openbare_ruimte"}),
    ("Er wordt te weinig geveegd in de herfst.", {"schoon_en_afval"}),
    ("Het is hier één grote vuilnisbak.", {"schoon_en_afval"}),
    ("Ik mis een plek waar ik met andere moeders koffie kan drinken.", {"ontmoeting"}),
    ("Een jaarlijkse buurtdag zou de sfeer goed doen.", {"ontmoeting"}),
    ("Samen met de buren een bankje neergezet, dat was mooi.", {"ontmoeting"}),
    ("Ik zoek een groter huis want wij zijn met zes personen in drie kamers.", {"wonen"}),
    ("De woningbouwvereniging doet niks met onze klachten over tocht.", {"wonen"}),
    ("Studenten vinden hier geen kamer.", {"wonen", "jongeren"}),
    ("Ons complex wordt gesloopt en we krijgen geen garantie op terugkeer.", {"wonen"}),
    ("In ons dorp is geen winkel meer, alleen een bus naar de stad.", {"voorzieningen", "verkeer_en_parkeren"}),
    ("De buurtwinkel is zo fijn, hou die open.", {"voorzieningen"}),
    ("Er is geen sportschool of zwembad in de buurt.", {"voorzieningen"}),
    ("Ik heb geen geld voor de tandarts.", {"armoede_en_geldzorgen", "gezondheid_en_zorg"}),
    ("Het geld is op voor het einde van de maand.", {"armoede_en_geldzorgen"}),
    ("Mijn uitkering is te laag om van te leven.", {"armoede_en_geldzorgen", "werk_en_inkomen"}),
    ("Wij kunnen de gasrekening niet meer betalen.", {"armoede_en_geldzorgen"}),
    ("Sinds mijn scheiding zit ik vaak alleen thuis.", {"eenzaamheid"}),
    ("Mijn kinderen bellen bijna nooit.", {"eenzaamheid"}),
    ("Ouderen zitten achter de geraniums.", {"eenzaamheid"}),
    ("Ik ben mijn vrienden kwijtgeraakt door mijn ziekte.", {"eenzaamheid", "gezondheid_en_zorg"}),
    ("Ik kan niet goed lopen en de bus is te ver.", {"gezondheid_en_zorg", "verkeer_en_parkeren"}),
    ("Mijn moeder heeft dementie en woont alleen.", {"gezondheid_en_zorg"}),
    ("Wachten op een psycholoog duurt een jaar.", {"gezondheid_en_zorg"}),
    ("De jongerenwerker was er altijd voor ons, nu niet meer.", {"jongeren"}),
    ("Er is niks voor tieners, alleen voor kleine kids.", {"jongeren"}),
    ("Jongeren worden weggejaagd van het plein.", {"jongeren"}),
    ("Er zijn scheuren in de muurtjes langs de gracht.", {"openbare_ruimte"}),
    ("De stoeptegels zijn omhoog gedrukt door wortels.", {"openbare_ruimte", "groen"}),
    ("De straatverlichting brandt overdag en 's nachts niet.", {"openbare_ruimte"}),
    ("Een bankje is weg, nu kan ik onderweg nergens rusten.", {"openbare_ruimte"}),
    ("Onderburen roken wiet en het komt in ons huis.", {"overlast"}),
    ("Na elf uur moet het stil zijn maar dat is nooit zo.", {"overlast"}),
    ("Zware vrachtwagens laten de huizen trillen.", {"overlast", "verkeer_en_parkeren"}),
    ("Op het pleintje drinken mannen bier en zijn luidruchtig.", {"overlast"}),
    ("Ik heb een opleiding maar mijn diploma wordt hier niet erkend.", {"werk_en_inkomen"}),
    ("Ik zoek werk, wie kan helpen?", {"werk_en_inkomen"}),
    ("Er zijn geen banen in de buurt voor laagopgeleiden.", {"werk_en_inkomen"}),
    ("Graag een collectieve inkoopactie voor zonnepanelen.", {"duurzaamheid_en_energie"}),
    ("Mijn huurhuis lekt warmte, de corporatie moet isoleren.", {"duurzaamheid_en_energie", "wonen"}),
    ("De stenen tuinen maken het warmer in de wijk.", {"duurzaamheid_en_energie", "groen"}),
    ("Ik heb niks te klagen.", set()),
    ("Bedankt dat ik mijn mening mocht geven.", set()),
    ("Ik woon in een leuk huis met een tuin.", set()),
    ("Mijn kleinzoon speelt bij de F-jes.", set()),
]

# Round 8: written after the vocabulary batch and the compound audit; measured once before
# use (see the docstring), then USED to develop; a regression check, not a held-out test.
ROUND_8: list[tuple[str, set[str]]] = [
    ("Veel te veel auto's die de wijk als doorsteek gebruiken.", {"verkeer_en_parkeren"}),
    ("Mijn bezoek kan nergens parkeren zonder te betalen.", {"verkeer_en_parkeren"}),
    ("De fietsers op de stoep zijn levensgevaarlijk voor ouderen.", {"verkeer_en_parkeren"}),
    ("De rotonde is onoverzichtelijk.", {"verkeer_en_parkeren"}),
    ("Bij de school is het 's ochtends een chaos met al die auto's.", {"verkeer_en_parkeren"}),
    ("Een groene long in de wijk zou welkom zijn.", {"groen"}),
    ("De gemeente kapt alle oude bomen.", {"groen"}),
    ("Het gras staat tot je knieën.", {"groen"}),
    ("Meer speelgelegenheid voor kinderen van 8 tot 12.", {"spelen"}),
    ("De glijbaan is te heet in de zomer, er is geen schaduw.", {"spelen", "duurzaamheid_en_energie"}),
    ("Mijn kinderen mogen niet alleen naar de speeltuin want die is te ver.", {"spelen"}),
    ("Er lopen louche figuren rond bij de flat.", {"veiligheid"}),
    ("Ik ben bang voor de jongens die 's avonds op de hoek staan.", {"veiligheid", "jongeren"}),
    ("Inbrekers hebben het op onze straat gemunt.", {"veiligheid"}),
    ("Er is een schietpartij geweest, dat vergeet je niet.", {"veiligheid"}),
    ("Naast de container liggen altijd zakken.", {"schoon_en_afval"}),
    ("Het afval wordt te weinig opgehaald.", {"schoon_en_afval"}),
    ("De buurt is vies geworden, vroeger was het netter.", {"schoon_en_afval"}),
    ("Overal poep van honden, ook in de speeltuin.", {"schoon_en_afval"}),
    ("Iedereen leeft langs elkaar heen.", {"ontmoeting"}),
    ("Een plek om samen te komen voor alle culturen.", {"ontmoeting"}),
    ("Ik ken mijn buren niet eens.", {"ontmoeting"}),
    ("Er zijn geen huizen voor jonge gezinnen.", {"wonen"}),
    ("De huur is hoger dan de helft van mijn inkomen.", {"wonen", "armoede_en_geldzorgen"}),
    ("Ik woon met drie kinderen in een tweekamerflat.", {"wonen"}),
    ("De woningcorporatie verkoopt de huizen aan de hoogste bieder.", {"wonen"}),
    ("Er is geen enkele winkel meer in het dorp.", {"voorzieningen"}),
    ("De supermarkt is te klein en altijd leeg.", {"voorzieningen"}),
    ("Ik mis een postkantoor en een bank.", {"voorzieningen"}),
    ("We leven van dag tot dag, sparen lukt niet.", {"armoede_en_geldzorgen"}),
    ("Mijn kinderen hebben geen winterjas.", {"armoede_en_geldzorgen"}),
    ("Ik heb schulden bij de zorgverzekering.", {"armoede_en_geldzorgen"}),
    ("Ik heb niemand meer sinds mijn pensioen.", {"eenzaamheid"}),
    ("Het voelt alsof niemand me ziet.", {"eenzaamheid"}),
    ("Ik praat soms dagen met niemand.", {"eenzaamheid"}),
    ("Mijn man heeft alzheimer en ik word gek van de zorg.", {"gezondheid_en_zorg"}),
    ("Er is geen huisarts die nog patiënten aanneemt.", {"gezondheid_en_zorg"}),
    ("Ik heb last van mijn longen door de fijnstof.", {"gezondheid_en_zorg", "duurzaamheid_en_energie"}),
    ("Meer sportmogelijkheden voor mensen met overgewicht.", {"gezondheid_en_zorg"}),
    ("De jeugd verveelt zich en gaat vandalisme plegen.", {"jongeren", "veiligheid"}),
    ("Meer jongerenwerk in de avonduren.", {"jongeren"}),
    ("Jonge mensen trekken weg, er is niks voor ze.", {"jongeren"}),
    ("Putten lopen over bij elke bui.", {"openbare_ruimte"}),
    ("De stoep is zo smal dat je er met een kinderwagen niet langs kan.", {"openbare_ruimte"}),
    ("Het bord met de straatnaam is al jaren weg.", {"openbare_ruimte"}),
    ("De kapotte lantaarnpaal wordt maar niet vervangen.", {"openbare_ruimte"}),
    ("Mijn buurman sleutelt de hele dag aan zijn brommer.", {"overlast"}),
    ("Het ruikt naar wiet in het hele portiek.", {"overlast"}),
    ("Elke nacht gillende jongeren op straat.", {"overlast", "jongeren"}),
    ("Honden blaffen en de eigenaren doen niets.", {"overlast"}),
    ("Ik werk via een uitzendbureau en weet nooit of ik volgende week werk heb.", {"werk_en_inkomen"}),
    ("Er is geen begeleiding voor mensen die lang thuis zitten.", {"werk_en_inkomen"}),
    ("Vrouwen die willen werken krijgen geen kinderopvang.", {"werk_en_inkomen", "voorzieningen"}),
    ("Ik wil graag zonnepanelen maar mijn dak is te klein.", {"duurzaamheid_en_energie"}),
    ("Het is zomers niet te harden in de flat door de hitte.", {"duurzaamheid_en_energie"}),
    ("Na een zware bui loopt mijn kelder vol.", {"duurzaamheid_en_energie"}),
    ("Ik ben blij met de nieuwe bankjes in het park.", {"openbare_ruimte"}),
    ("Geen idee eigenlijk.", set()),
    ("Ik ga volgend jaar met pensioen.", set()),
    ("Mijn dochter zit op de basisschool hier om de hoek.", set()),
    ("De enquête kwam via de brievenbus.", set()),
]

# Round 9: written after the changes up to 7b230d5 and measured once (see the docstring),
# then USED to develop (a3fb7ac); a regression check now, no longer held out.
ROUND_9: list[tuple[str, set[str]]] = [
    ("Vrachtwagens die de smalle straat in rijden en dan vast komen te staan.", {"verkeer_en_parkeren"}),
    ("Waarom mag je hier nog 50 rijden?", {"verkeer_en_parkeren"}),
    ("de parkeerplekken zijn veel te smal voor de auto's van nu", {"verkeer_en_parkeren"}),
    ("Geen fatsoenlijke busverbinding naar het ziekenhuis.", {"verkeer_en_parkeren"}),
    ("Met de fiets naar school is hier gevaarlijk door het drukke kruispunt.", {"verkeer_en_parkeren"}),
    ("Er is te weinig groen voor de vogels en de bijen.", {"groen"}),
    ("De boomspiegels liggen vol afval en onkruid.", {"groen", "schoon_en_afval", "openbare_ruimte"}),
    ("Ik hoop dat het park blijft en er geen flats komen.", {"groen"}),
    ("Het plantsoen is een hondentoilet geworden.", {"groen", "schoon_en_afval"}),
    ("Een natuurspeeltuin met boomstammen zou geweldig zijn.", {"spelen"}),
    ("Mijn kinderen kunnen nergens heen om te spelen, alles is bebouwd.", {"spelen"}),
    ("De kleintjes spelen op de stoep omdat het speelveld weg is.", {"spelen"}),
    ("Ik durf mijn kinderen niet alleen naar buiten te laten gaan.", {"spelen", "veiligheid"}),
    ("Er worden drugs verkocht vanuit de snackbar.", {"veiligheid"}),
    ("De beveiliging bij het winkelcentrum is weggehaald en nu is het mis.", {"veiligheid"}),
    ("Ik heb mijn deur extra op slot sinds de inbraak bij de buren.", {"veiligheid"}),
    ("Mijn dochter wordt op straat nageroepen.", {"veiligheid"}),
    ("Het vuilnis ligt dagen op straat voor het opgehaald wordt.", {"schoon_en_afval"}),
    ("Ondergrondse containers die altijd vol zitten.", {"schoon_en_afval"}),
    ("Zakken met afval worden gewoon in de bosjes gegooid.", {"schoon_en_afval"}),
    ("Een opruimdag met de buurt, dat zou ik mooi vinden.", {"schoon_en_afval", "ontmoeting"}),
    ("Vroeger deden we van alles samen, nu is het ieder voor zich.", {"ontmoeting"}),
    ("Een buurtkamer waar je zonder afspraak binnen kunt lopen.", {"ontmoeting"}),
    ("Ik wil graag andere ouders leren kennen.", {"ontmoeting"}),
    ("Met vier kinderen op een driekamerappartement, het is veel te krap.", {"wonen"}),
    ("Mijn huisbaas verhoogt elk jaar de huur.", {"wonen"}),
    ("Er moeten meer woningen komen voor ouderen zodat gezinnen kunnen doorschuiven.", {"wonen"}),
    ("Ik wacht al jaren op een aangepaste woning voor mijn rolstoel.", {"wonen", "gezondheid_en_zorg"}),
    ("Er is geen drogist meer, ik moet naar de stad.", {"voorzieningen"}),
    ("Het buurthuis heeft geen geld meer voor activiteiten.", {"ontmoeting"}),
    ("Winkels sluiten een voor een.", {"voorzieningen"}),
    ("Ik moet steeds vaker kiezen welke rekening ik betaal.", {"armoede_en_geldzorgen"}),
    ("Mijn pensioen is niet genoeg.", {"armoede_en_geldzorgen"}),
    ("Mensen schamen zich om hulp te vragen bij geldproblemen.", {"armoede_en_geldzorgen"}),
    ("Kinderen uit arme gezinnen doen nergens aan mee.", {"armoede_en_geldzorgen"}),
    ("Na het overlijden van mijn vrouw zit ik vaak alleen thuis.", {"eenzaamheid"}),
    ("Ik heb al weken met niemand gesproken.", {"eenzaamheid"}),
    ("Ouderen in de flat zitten achter hun voordeur en zien niemand.", {"eenzaamheid"}),
    ("De wachttijd bij de tandarts is een half jaar.", {"gezondheid_en_zorg"}),
    ("Mantelzorg voor mijn moeder kost me al mijn energie.", {"gezondheid_en_zorg"}),
    ("Er is geen hulp voor mensen met psychische problemen in de wijk.", {"gezondheid_en_zorg"}),
    ("De jongeren hebben een eigen plek nodig om te sporten en te chillen.", {"jongeren", "gezondheid_en_zorg"}),
    ("Tieners worden door de buurt als probleem gezien.", {"jongeren"}),
    ("Het jeugdhonk gaat dicht, waar moeten ze dan heen?", {"jongeren"}),
    ("De trottoirs zijn in slechte staat.", {"openbare_ruimte"}),
    ("Het duurt maanden voor een kapotte lantaarnpaal wordt gemaakt.", {"openbare_ruimte"}),
    ("Er ligt een gat in de weg waar je zo in fietst.", {"openbare_ruimte"}),
    ("Het bankje bij de bushalte is al jaren kapot.", {"openbare_ruimte"}),
    ("De buren hebben elke avond visite tot laat en dat is luid.", {"overlast"}),
    ("Jongeren maken lawaai op het plein tot middernacht.", {"overlast", "jongeren"}),
    ("Vuurwerk in oktober al, de honden worden gek.", {"overlast"}),
    ("Er hangt een walm van de barbecues in de zomer.", {"overlast"}),
    ("Ik kan geen baan vinden vanwege mijn leeftijd.", {"werk_en_inkomen"}),
    ("Meer werkervaringsplekken voor statushouders.", {"werk_en_inkomen"}),
    ("Mijn contract wordt niet verlengd en dan zit ik zonder werk.", {"werk_en_inkomen"}),
    ("Wanneer krijgen wij een warmtepomp?", {"duurzaamheid_en_energie"}),
    ("Het regenwater loopt de kelders in.", {"duurzaamheid_en_energie"}),
    ("Ik zou graag advies willen over het isoleren van mijn huis.", {"duurzaamheid_en_energie", "wonen"}),
    ("Ik heb verder geen opmerkingen.", set()),
    ("Leuk dat de gemeente dit doet.", set()),
    ("Ik woon hier pas een jaar.", set()),
    ("Mijn zoon voetbalt bij de club hier en dat gaat goed.", set()),
]

# Round 10: written after a3fb7ac and measured once (see the docstring), then USED to develop;
# a regression check now, no longer held out.
ROUND_10: list[tuple[str, set[str]]] = [
    ("Die bochten zijn onoverzichtelijk, er gebeurt een keer een ongeluk.", {"verkeer_en_parkeren"}),
    ("Busjes van pakketdiensten blokkeren de hele straat.", {"verkeer_en_parkeren"}),
    ("Een parkeerplaats voor mijn gehandicaptenkaart krijg ik niet.", {"verkeer_en_parkeren", "gezondheid_en_zorg"}),
    ("Snelheidsborden negeert iedereen.", {"verkeer_en_parkeren"}),
    ("Laat de bus weer door onze wijk rijden.", {"verkeer_en_parkeren"}),
    ("Meer bankjes in de schaduw van bomen.", {"openbare_ruimte", "groen"}),
    ("Het is hier grijs en kaal, geen boom te zien.", {"groen"}),
    ("De geveltuintjes maken de straat zoveel mooier.", {"groen"}),
    ("Het maaibeleid is belachelijk, alles wordt kaalgeschoren.", {"groen"}),
    ("Een kabelbaan of een klimrek voor de oudere kinderen.", {"spelen"}),
    ("De speeltoestellen zijn voor kleuters, mijn kinderen van tien vinden er niks.", {"spelen"}),
    ("Laat de kinderen toch op straat spelen, dat hoort bij een buurt.", {"spelen"}),
    ("Er zijn steekpartijen geweest in het park.", {"veiligheid"}),
    ("Ik loop met mijn sleutels tussen mijn vingers naar huis.", {"veiligheid"}),
    ("Er staan vaak auto's met draaiende motor waar gedeald wordt.", {"veiligheid"}),
    ("Mijn auto is al drie keer bekrast.", {"veiligheid"}),
    ("Overal kauwgom en peuken op de stoep.", {"schoon_en_afval"}),
    ("Niemand ruimt de poep van zijn hond op.", {"schoon_en_afval"}),
    ("Bij de flats worden matrassen en kasten gedumpt.", {"schoon_en_afval"}),
    ("De afvalbakken worden door kraaien leeggehaald.", {"schoon_en_afval"}),
    ("Een wekelijks koffieuurtje in de kerk zou fijn zijn.", {"ontmoeting"}),
    ("Nieuwe mensen in de straat groeten niet terug.", {"ontmoeting"}),
    ("Iets organiseren met de hele straat, zoals een rommelmarkt.", {"ontmoeting"}),
    ("Mijn zoon van dertig slaapt nog op zijn oude kamer.", {"wonen"}),
    ("De corporatie renoveert maar de huur gaat flink omhoog.", {"wonen"}),
    ("Particuliere huur is onbetaalbaar geworden.", {"wonen"}),
    ("We wonen met zijn vijven in een flatje van zestig vierkante meter.", {"wonen"}),
    ("Een goede bakker en een visboer missen we.", {"voorzieningen"}),
    ("De enige supermarkt is onbetaalbaar.", {"voorzieningen"}),
    ("Het zwembad gaat dicht, waar moeten de kinderen leren zwemmen?", {"voorzieningen"}),
    ("We kopen alleen nog aanbiedingen.", {"armoede_en_geldzorgen"}),
    ("Ik heb een betalingsachterstand bij de energieleverancier.", {"armoede_en_geldzorgen"}),
    ("De kinderen vragen om nieuwe schoenen maar dat zit er niet in.", {"armoede_en_geldzorgen"}),
    ("Ik kom elke maand tekort.", {"armoede_en_geldzorgen"}),
    ("Sinds de kinderen het huis uit zijn is het zo stil.", {"eenzaamheid"}),
    ("Ik mis echt iemand om mee te praten.", {"eenzaamheid"}),
    ("Mijn buurvrouw komt al maanden niet buiten.", {"eenzaamheid"}),
    ("Er is geen hulp bij het aankleden en wassen voor mijn vader.", {"gezondheid_en_zorg"}),
    ("Ik heb reuma en kan niet ver lopen.", {"gezondheid_en_zorg"}),
    ("De GGZ-crisisdienst was onbereikbaar toen we ze nodig hadden.", {"gezondheid_en_zorg"}),
    ("Er zijn te weinig verpleegkundigen in het verzorgingshuis.", {"gezondheid_en_zorg"}),
    ("Tieners zonder plek gaan op het schoolplein hangen.", {"jongeren"}),
    ("Laat de jongeren zelf meedenken over hun plek.", {"jongeren"}),
    ("Het jongerencentrum heeft te weinig personeel.", {"jongeren"}),
    ("De tegels in onze straat liggen los en steken omhoog.", {"openbare_ruimte"}),
    ("De brug is verrot en eng om overheen te lopen.", {"openbare_ruimte"}),
    ("De goten lopen over bij regen.", {"openbare_ruimte"}),
    ("Het hek om het speeltuintje is kapot.", {"openbare_ruimte", "spelen"}),
    ("Buren met een trampoline die tot tien uur 's avonds gillen.", {"overlast"}),
    ("Er wordt veel geschreeuwd bij de coffeeshop.", {"overlast"}),
    ("Ik word gek van de blaffende hond van de overburen.", {"overlast"}),
    ("De scooters met hun herrie 's nachts!", {"overlast", "verkeer_en_parkeren"}),
    ("Ik ben ontslagen en vind niets nieuws.", {"werk_en_inkomen"}),
    ("Met mijn diploma uit Syrië mag ik hier niets.", {"werk_en_inkomen"}),
    ("Meer leerbanen voor jongeren in de techniek.", {"werk_en_inkomen", "jongeren"}),
    ("De gemeente moet helpen met het aanleggen van een warmtenet.", {"duurzaamheid_en_energie"}),
    ("Mijn kelder is al drie keer ondergelopen.", {"duurzaamheid_en_energie"}),
    ("De bovenste verdieping is in de zomer niet te harden.", {"duurzaamheid_en_energie"}),
    ("Ik wil geen windmolens bij de wijk.", {"duurzaamheid_en_energie"}),
    ("Ik woon hier al mijn hele leven.", set()),
    ("Mijn moeder woont in een ander dorp.", set()),
    ("Het was een gezellige avond bij de bewonersvergadering.", set()),
    ("Succes met de plannen!", set()),
]

# Round 11: written after the last change of this round (397f6a6) and measured once; not
# used to develop. The last held-out test, by the same hand as rounds 4–10.
ROUND_11: list[tuple[str, set[str]]] = [
    ("Op de Kerkweg rijden ze alsof het een circuit is.", {"verkeer_en_parkeren"}),
    ("Mijn oprit wordt steeds geblokkeerd door geparkeerde auto's.", {"verkeer_en_parkeren"}),
    ("De buurtbus rijdt niet meer in het weekend.", {"verkeer_en_parkeren"}),
    ("Er moet een veilige oversteek komen bij de supermarkt.", {"verkeer_en_parkeren"}),
    ("Vrachtverkeer hoort niet in een woonwijk.", {"verkeer_en_parkeren"}),
    ("Vroeger stonden hier prachtige kastanjebomen.", {"groen"}),
    ("Meer bloemen voor de bijen in de bermen.", {"groen"}),
    ("Het park is ons enige stukje natuur.", {"groen"}),
    ("Het gemeentelijk groen wordt slecht onderhouden.", {"groen", "openbare_ruimte"}),
    ("Mijn kinderen spelen het liefst in het bosje achter de school.", {"spelen"}),
    ("De speelplek is overgenomen door hangjongeren.", {"spelen", "jongeren"}),
    ("Een skatebaan voor de oudere kinderen.", {"spelen"}),
    ("Er zijn geen glijbanen of schommels voor de kleintjes.", {"spelen"}),
    ("Ik voel me niet veilig als ik 's avonds thuiskom.", {"veiligheid"}),
    ("De politie treedt niet op tegen de dealers.", {"veiligheid"}),
    ("Fietsendiefstal bij het station is aan de orde van de dag.", {"veiligheid"}),
    ("Er zijn vaak vechtpartijen bij het café op zaterdag.", {"veiligheid"}),
    ("Op straat ligt overal zwerfvuil en niemand ruimt het op.", {"schoon_en_afval"}),
    ("De afvalbak bij de bushalte puilt altijd uit.", {"schoon_en_afval"}),
    ("Er lopen ratten over de stoep bij de restaurants.", {"schoon_en_afval"}),
    ("De glasbak is een vuilnisbelt geworden.", {"schoon_en_afval"}),
    ("Ik zou wel een kookclub met de buren willen.", {"ontmoeting"}),
    ("Mensen van verschillende afkomst komen hier nooit samen.", {"ontmoeting"}),
    ("Het buurthuis is de plek waar ik mijn vriendinnen zie.", {"ontmoeting"}),
    ("Er zijn geen woningen voor mensen met een middeninkomen.", {"wonen"}),
    ("Mijn huurwoning heeft al jaren last van schimmel.", {"wonen"}),
    ("Ik wil kleiner gaan wonen maar er is niets.", {"wonen"}),
    ("Starterswoningen zijn direct weg.", {"wonen"}),
    ("Er is geen apotheek en geen huisarts meer in het dorp.", {"gezondheid_en_zorg", "voorzieningen"}),
    ("Een markt op zaterdag zou de buurt levendig maken.", {"voorzieningen"}),
    ("De bibliotheek is de enige plek met gratis internet.", {"voorzieningen"}),
    ("De boodschappen zijn zo duur, ik kan het niet meer betalen.", {"armoede_en_geldzorgen"}),
    ("Mijn zoon heeft schulden en durft niet te vragen om hulp.", {"armoede_en_geldzorgen"}),
    ("Gezinnen met weinig geld kunnen niet op vakantie.", {"armoede_en_geldzorgen"}),
    ("Ik heb het gevoel dat ik er helemaal alleen voor sta.", {"eenzaamheid"}),
    ("Ouderen die alleen wonen zien soms weken niemand.", {"eenzaamheid"}),
    ("Sinds corona heb ik mijn vriendenkring verloren.", {"eenzaamheid"}),
    ("De wachtlijst bij de GGZ is veel te lang.", {"gezondheid_en_zorg"}),
    ("Ik heb hulp nodig in het huishouden maar krijg het niet.", {"gezondheid_en_zorg"}),
    ("Er is geen plek voor dagbesteding voor mijn moeder.", {"gezondheid_en_zorg"}),
    ("Mijn man is chronisch ziek en ik zorg voor hem.", {"gezondheid_en_zorg"}),
    ("De jeugd heeft hier geen toekomst.", {"jongeren"}),
    ("Jongeren hangen rond bij de supermarkt omdat er niks anders is.", {"jongeren"}),
    ("Pubers willen een plek om muziek te maken.", {"jongeren"}),
    ("De stoep ligt vol kuilen.", {"openbare_ruimte"}),
    ("Het wegdek van de fietsstraat is slecht.", {"openbare_ruimte", "verkeer_en_parkeren"}),
    ("Het bankje in het park is weggehaald.", {"openbare_ruimte"}),
    ("De lantaarnpalen gaan 's nachts uit.", {"openbare_ruimte"}),
    ("De bovenburen lopen met schoenen op de houten vloer.", {"overlast"}),
    ("Blaffende honden in de tuinen de hele dag.", {"overlast"}),
    ("Motoren die met veel lawaai door de straat scheuren.", {"overlast", "verkeer_en_parkeren"}),
    ("Op het plein wordt tot laat muziek gedraaid.", {"overlast"}),
    ("Voor mensen met een beperking is er geen werk.", {"werk_en_inkomen", "gezondheid_en_zorg"}),
    ("Ik zou graag een opleiding doen maar dat is te duur.", {"werk_en_inkomen"}),
    ("In de bijstand mag je bijna niets bijverdienen.", {"werk_en_inkomen"}),
    ("Wanneer gaan we over op duurzame energie?", {"duurzaamheid_en_energie"}),
    ("De isolatie van de flats is slecht, we stoken ons arm.", {"duurzaamheid_en_energie", "wonen", "armoede_en_geldzorgen"}),
    ("Meer bomen tegen de hitte in de zomer.", {"groen", "duurzaamheid_en_energie"}),
    ("Na een onweersbui staat het water tot de stoeprand.", {"duurzaamheid_en_energie"}),
    ("Dank voor de vragenlijst.", set()),
    ("Ik ben gepensioneerd en woon hier met mijn vrouw.", set()),
    ("Mijn kinderen gaan naar school in de stad.", set()),
    ("Ik heb geen tijd voor dit soort dingen.", set()),
]

# Sentences that look like a theme but are none (the hard part for precision).
DISTRACTORS = [
    "Dit speelt al jaren in de wijk.",
    "Ik woon hier al dertig jaar met plezier.",
    "Natuurlijk ben ik tevreden over de buurt.",
    "Bij de groenteboer is het altijd gezellig druk.",
    "De gemeente houdt geen rekening met wat bewoners willen.",
    "Ik maak me zorgen over wat er met de buurt gebeurt.",
    "Het is allemaal gebroken beloften.",
    "Ik werk zelf bij de gemeente.",
    "Dank voor het vragen, fijn dat jullie langskomen.",
    "Ik weet het eigenlijk niet.",
    "Goede vragenlijst, succes ermee.",
    "Mijn buurman is een aardige man.",
    "Mijn schoonmoeder woont ook in de straat.",
    "Zorgvuldig luisteren naar bewoners is belangrijk.",
    "Eerlijk gezegd heb ik geen mening.",
    "De gemeente moet beter communiceren met de bewoners.",
    "Ik zou graag willen weten wat er met de uitkomsten gebeurt.",
    "Het is een fijne wijk om oud te worden.",
    "Er wordt veel gepraat en weinig gedaan.",
    "Ik stem altijd op GroenLinks.",
    "De brief van de gemeente was onduidelijk.",
    "Iedereen is hier erg behulpzaam.",
    "Ik ga binnenkort verhuizen naar een andere stad.",
    "Mijn dochter speelt piano in het orkest.",
    "De drempel om mee te doen aan de avonden is hoog.",
]

# Who raises what more often: (dimension, category) → themes with a raised weight; a weight
# of 0 plants a silent group (young people never mention loneliness here, 65-plussers never
# work, people living alone never mention play).
LIFTS = {
    ("age_band", "15-25"): {"jongeren": 6, "werk_en_inkomen": 3, "ontmoeting": 2, "eenzaamheid": 0},
    ("age_band", "65+"): {"eenzaamheid": 8, "gezondheid_en_zorg": 4, "openbare_ruimte": 2,
                          "werk_en_inkomen": 0},
    ("household", "met_kinderen"): {"spelen": 6, "verkeer_en_parkeren": 2},
    ("household", "eenpersoons"): {"spelen": 0},
    ("tenure", "huur_corporatie"): {"armoede_en_geldzorgen": 4, "wonen": 3, "overlast": 2},
    ("tenure", "koop"): {"duurzaamheid_en_energie": 3, "groen": 2},
}
OPTIONS = {"verkeer_en_parkeren": "Verkeer en parkeren", "groen": "Groen in de wijk",
           "spelen": "Spelen voor kinderen", "veiligheid": "Veiligheid op straat",
           "schoon_en_afval": "Schoon (afval, zwerfvuil)", "wonen": "Betaalbaar wonen",
           "ontmoeting": "Ontmoeting met buren", "eenzaamheid": "Eenzaamheid"}


def make_respondents(buurten: int, per_buurt: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(respondents table, planted truth: respondent × theme booleans)."""
    rng = np.random.default_rng(seed)
    themes = list(PLANTED)
    n = buurten * per_buurt
    ages = rng.choice(["15-25", "25-45", "45-65", "65+"], n, p=[0.12, 0.33, 0.3, 0.25])
    household = rng.choice(["eenpersoons", "paar_zonder_kinderen", "met_kinderen"], n, p=[0.35, 0.3, 0.35])
    tenure = rng.choice(["koop", "huur_corporatie", "huur_overig"], n, p=[0.45, 0.4, 0.15])
    frame = pd.DataFrame({
        "respondent_id": [f"r{i}" for i in range(n)], "excluded": "",
        "area_code": [f"BU0000{b:04d}" for b in np.repeat(np.arange(buurten), per_buurt)],
        "age_band": ages, "household": household, "tenure": tenure,
        "gender": rng.choice(["man", "vrouw"], n), "origin": rng.choice(
            ["nederland", "europa", "buiten_europa"], n, p=[0.6, 0.15, 0.25]),
        "channel": rng.choice(["online", "papier", "straatgesprek"], n, p=[0.6, 0.2, 0.2])})
    truth = np.zeros((n, len(themes)), dtype=bool)
    texts = []
    options = {key: np.zeros(n, dtype=object) for key in OPTIONS}
    for key in options:
        options[key][:] = pd.NA
    for i in range(n):
        weights = np.ones(len(themes))
        for (dim, cat), lift in LIFTS.items():
            if frame.at[i, dim] == cat:
                for theme, w in lift.items():
                    weights[themes.index(theme)] *= w
        k = rng.choice([0, 1, 2, 3], p=[0.1, 0.45, 0.3, 0.15])
        chosen = rng.choice(len(themes), size=k, replace=False, p=weights / weights.sum())
        sentences = []
        for j in chosen:
            sentence = PLANTED[themes[j]][rng.integers(len(PLANTED[themes[j]]))]
            sentences.append(sentence)
            truth[i, j] = True
            for extra in ALSO.get(sentence, ()):
                truth[i, themes.index(extra)] = True
        if rng.random() < 0.33 or not sentences:
            sentences.insert(rng.integers(len(sentences) + 1), DISTRACTORS[rng.integers(len(DISTRACTORS))])
        texts.append(" ".join(sentences))
        if rng.random() < 0.5:     # the multi-select: ticks some planted themes that have an option
            for j in chosen:
                if themes[j] in options and rng.random() < 0.7:
                    options[themes[j]][i] = True
            for key in options:
                if options[key][i] is pd.NA:
                    options[key][i] = False
    frame["text:wat_kan_beter"] = texts
    from surveys.questionnaire import column_key
    for key, label in OPTIONS.items():
        frame[f"multi:onderwerpen:{column_key(label)}"] = pd.array(list(options[key]), dtype="boolean")
    return frame, pd.DataFrame(truth, columns=themes, index=frame.index)


def scores(found: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    found = found.reindex(truth.index, fill_value=False)
    rows = []
    for theme in truth.columns:
        t = truth[theme].to_numpy()
        f = found[theme].to_numpy() if theme in found else np.zeros(len(t), bool)
        tp, fp, fn = int((t & f).sum()), int((~t & f).sum()), int((t & ~f).sum())
        rows.append({"theme": theme, "planted": int(t.sum()), "found": int(f.sum()),
                     "recall": tp / (tp + fn) if tp + fn else float("nan"),
                     "precision": tp / (tp + fp) if tp + fp else float("nan")})
    return pd.DataFrame(rows)


def naive_indicators(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Baseline: a theme is found when any of its single-word terms occurs as a substring."""
    texts = frame[column].str.lower()
    out = {}
    for theme in default_themes().themes:
        words = [t.strip("-").lower() for t in theme.terms if " " not in t]
        pattern = "|".join(sorted({w.replace("'", "") for w in words}, key=len, reverse=True))
        out[theme.key] = texts.str.contains(pattern, regex=True).to_numpy()
    return pd.DataFrame(out, index=frame.index)


def held_out(matcher: ThemeMatcher, sentences: list[tuple[str, set[str]]], title: str, *,
             per_theme: bool = False) -> None:
    """Sentence-level recall and precision over all themes on hand-labelled sentences; with
    `per_theme`, also each theme's own (few sentences per theme: read them as a rough guide)."""
    tp = fp = fn = 0
    misses = []
    counts: dict[str, list[int]] = {}
    for sentence, truth in sentences:
        found = set(matcher.themes_in(sentence))
        tp, fp, fn = tp + len(found & truth), fp + len(found - truth), fn + len(truth - found)
        for theme in found | truth:
            cell = counts.setdefault(theme, [0, 0, 0])
            cell[0] += theme in found and theme in truth
            cell[1] += theme in found and theme not in truth
            cell[2] += theme in truth and theme not in found
        if found != truth:
            misses.append(f"   {sentence}  missed {sorted(truth - found)} extra {sorted(found - truth)}")
    print(f"{title} ({len(sentences)} sentences): recall {tp / (tp + fn):.3f}, "
          f"precision {tp / (tp + fp):.3f} over all themes")
    if per_theme:
        rows = []
        for theme in PLANTED:
            t, f, n = counts.get(theme, [0, 0, 0])
            rows.append(f"{theme} {t / (t + n) if t + n else float('nan'):.2f}/"
                        f"{t / (t + f) if t + f else float('nan'):.2f} ({t + n})")
        print("   per theme recall/precision (sentences with the theme):", "; ".join(rows))
    print("\n".join(misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buurten", type=int, default=10)
    parser.add_argument("--per-buurt", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame, truth = make_respondents(args.buurten, args.per_buurt, args.seed)
    text_only = frame[[c for c in frame.columns if not c.startswith("multi:")]]

    found = theme_indicators(text_only)
    table = scores(found, truth)
    baseline = scores(naive_indicators(frame, "text:wat_kan_beter"), truth)
    table["naive recall"] = baseline["recall"]
    table["naive precision"] = baseline["precision"]
    pd.set_option("display.width", 140)
    print(f"Texts: {len(frame):,} respondents, {args.buurten} buurten; per theme (goal ≥ 0,90 each):")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    worst_recall, worst_precision = table["recall"].min(), table["precision"].min()
    print(f"lowest recall {worst_recall:.3f}, lowest precision {worst_precision:.3f} "
          f"({'goal met' if min(worst_recall, worst_precision) >= 0.9 else 'GOAL NOT MET'})")

    held_out(ThemeMatcher(), ROUND_1, "round 1, used to extend the dictionary")
    held_out(ThemeMatcher(), ROUND_2, "round 2, used to extend the dictionary")
    held_out(ThemeMatcher(), HELD_OUT, "round 3, held out until round 4, then used to develop")
    held_out(ThemeMatcher(), ROUND_5, "round 5, used to develop this round's rules")
    held_out(ThemeMatcher(), ROUND_6, "round 6, measured once, then used to develop")
    held_out(ThemeMatcher(), ROUND_7, "round 7, measured once, then used to develop")
    held_out(ThemeMatcher(), ROUND_8, "round 8, measured once, then used to develop")
    held_out(ThemeMatcher(), ROUND_4, "round 4, held out (written before this round's changes; same author)",
             per_theme=True)
    held_out(ThemeMatcher(), ROUND_9, "round 9, measured once, then used to develop")
    held_out(ThemeMatcher(), ROUND_10, "round 10, measured once, then used to develop")
    held_out(ThemeMatcher(), ROUND_11, "round 11, held out (written after this round's last change)",
             per_theme=True)

    with_multi = scores(theme_indicators(frame), truth)
    print(f"with the multi-select too: lowest recall {with_multi['recall'].min():.3f}, "
          f"lowest precision {with_multi['precision'].min():.3f}")

    # Timing: a fresh matcher each run (no warm cache), best of 3.
    timings, naive_timings = [], []
    for _ in range(3):
        _lemma.cache_clear()      # every run lemmatises from scratch (simplemma's own data stay loaded)
        start = time.perf_counter()
        indicators = theme_indicators(frame, matcher=ThemeMatcher())
        matrix = theme_matrix(frame, indicators, dimensions=(*DIMENSIONS, "area_code"))
        protected = protect_theme_matrix(matrix)
        timings.append(time.perf_counter() - start)
        start = time.perf_counter()
        naive_indicators(frame, "text:wat_kan_beter")
        naive_timings.append(time.perf_counter() - start)
    best, naive_best = min(timings), min(naive_timings)
    print(f"indicators + matrix + suppression for {len(frame):,} respondents: first run {timings[0]:.3f} s, "
          f"best of 3 {best:.3f} s "
          f"(goal < 2 s: {'met' if best < 2 else 'NOT MET'}); naive substring baseline "
          f"{naive_best:.3f} s; ratio {best / naive_best:.1f}×")
    hidden = sum(1 for g in protected.groups if g.suppressed)
    print(f"matrix: {len(protected.groups)} cells, {hidden} suppressed; "
          f"{len(protected.silent)} silent-group findings, {len(protected.only_from)} only-from findings")
    for sentence in protected.findings()[:6]:
        print("  ", sentence)

    start = time.perf_counter()
    suggestions = suggest_themes(_unmatched_world(args.seed))
    print(f"suggestions from unmatched texts: {len(suggestions)} in {time.perf_counter() - start:.2f} s")
    for item in suggestions:
        print("  ", item.label, "—", ", ".join(item.words), f"({item.texts} teksten)")


def _unmatched_world(seed: int) -> pd.DataFrame:
    """Answers about two themes the dictionary does not know (dog walking, art and culture)."""
    rng = np.random.default_rng(seed)
    dogs = ["Er is geen losloopgebied voor honden.", "Honden uitlaten kan nergens in de wijk.",
            "Een hondenuitlaatplek met een hek eromheen.", "Loslopende honden in het hele gebied.",
            "Meer hondenuitlaatplekken graag, en losloopgebied."]
    culture = ["Een muurschildering op de blinde muur zou mooi zijn.", "Meer kunst en cultuur, een festival.",
               "Een zomerfestival met theater en kunst.", "Kunstenaars uit de wijk een podium geven.",
               "Cultuur en theater voor iedereen, met kunstenaars."]
    texts = [dogs[rng.integers(len(dogs))] if i % 2 else culture[rng.integers(len(culture))] for i in range(60)]
    return pd.DataFrame({"excluded": "", "text:opmerking": texts})


if __name__ == "__main__":
    main()
