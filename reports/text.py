"""The Dutch sentences of a report: conclusions, headline figures and the method text.

Kept apart from the table building so the wording (B1) can be read and changed in one
place. Sentences only use numbers that the protected tables also show.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from engagement.coverage import UNKNOWN_THRESHOLD
from engagement.model import CoverageResult
from engagement.vocabulary import LABEL_REFERENCE_UNCERTAIN, group_label, source_line
from profiles.model import ProfileResult
from reference.model import BuurtReference
from reports import privacy
from surveys.categories import DIMENSION_LABELS, EXCLUSION_LABELS

FLAG_LABELS = {
    "unreached": "nog niemand gesproken",
    "under": "ondervertegenwoordigd",
    "ok": "in lijn",
    "over": "oververtegenwoordigd",
    "rare": "weinig gesproken",
    "possibly_under": "mogelijk weinig gesproken",
}


def dimension_label(code: str) -> str:
    return DIMENSION_LABELS.get(code, code)


def whole(value: float) -> int:
    """Rounded half up, as Excel shows a count (Python's round(2876.5) is 2876, Excel 2877):
    the text and the tables give the same number."""
    return math.floor(value + 0.5)


def fmt_int(value: float) -> str:
    return f"{whole(value):,}".replace(",", ".")


MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MEDIA = ("xlsx", "html")


def fmt_date(value: Any) -> str:
    """"4 mrt 2024": a date as a Dutch reader writes it (no ISO date that wraps in a table)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Period):
        value = value.start_time if value.freqstr.startswith("W") else value.end_time
    if isinstance(value, str):
        try:
            value = pd.Timestamp(value) if value.strip() else value
        except ValueError:
            return value
    if value is pd.NaT or (isinstance(value, dt.datetime) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return str(value)


PLACES = ("Aanbevelingen", "Plan", "Buurten", "Thema's", "Methode en bronnen")


def place(name: str, medium: str = "xlsx") -> str:
    """Where a part of the report is, in the words of the medium: a sheet of the workbook
    ("het blad Plan"), a section further down the HTML page, or ("page") a part of the
    report as a screen that offers both files names it."""
    if medium == "xlsx":
        return f"het blad {name}"
    if medium == "page":
        return f"het deel {name} van het rapport"
    return f"het deel {name}, verderop in dit rapport"


def page_words(text: str) -> str:
    """The workbook's summary as a screen says it: 'het deel Plan van het rapport'
    instead of 'het blad Plan', which the HTML report does not have."""
    for name in PLACES:
        text = text.replace(place(name, "xlsx"), place(name, "page"))
    return text


def fmt_dec(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def fmt_pct(value: float, digits: int = 0) -> str:
    return f"{100 * value:.{digits}f}%".replace(".", ",")


def join_nl(parts: list[str]) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def area_text(reference: BuurtReference | None) -> str:
    """"Buurt A en Buurt B" (or the codes when names are missing)."""
    if reference is None or not reference.areas:
        return "het gebied"
    names = [name or code for code, name in reference.areas]
    return join_nl(names) if len(names) <= 3 else f"{names[0]} en {len(names) - 1} andere gebieden"


def _groups(table: pd.DataFrame, mask: pd.Series, name: Callable[[str], str]) -> list[str]:
    rows = table[mask]
    return [name(f"{d}:{c}") for d, c in zip(rows["_dimension"], rows["_category"])]


def summary_sentences(coverage: CoverageResult, table: pd.DataFrame, advice: pd.DataFrame,
                      channels: pd.DataFrame, profiles: ProfileResult | None,
                      name: Callable[[str], str], k: int, *,
                      profile_caveat: str = "", profile_problem: str | None = None,
                      medium: str = "xlsx") -> tuple[list[str], pd.DataFrame]:
    """The conclusions in sentences and the headline figures (Onderwerp, Waarde, Uitleg).

    `profile_caveat` (profiles.coverage: why profile shares among respondents say little
    about the buurt, and the assumption behind the estimate) follows the profile sentence;
    `profile_problem` (why no profiles could be made) is said when there are none.
    `medium` ("xlsx" or "html") decides how a sentence points to another part."""
    ref = coverage.reference
    n = coverage.respondents
    sentences = [f"U sprak {fmt_int(n)} mensen in {area_text(ref)}."]
    headline: list[dict[str, Any]] = [
        {"Onderwerp": "Respondenten", "Waarde": n, "_format": "int",
         "Uitleg": "Het aantal mensen dat u sprak of dat de vragenlijst invulde."}]
    eligible = ref.eligible_population if ref is not None else None
    if ref is not None and eligible:
        sentences.append(f"Er wonen {fmt_int(eligible)} mensen van {ref.min_age} jaar en ouder; "
                         f"u sprak ongeveer {fmt_pct(n / eligible, 1)} van hen.")
        headline += [
            {"Onderwerp": f"Bewoners van {ref.min_age} jaar en ouder", "Waarde": whole(eligible), "_format": "int",
             "Uitleg": f"Volgens het CBS ({ref.year or 'eigen referentie'})."},
            {"Onderwerp": "Bereikt deel van de bewoners", "Waarde": n / eligible, "_format": "pct",
             "Uitleg": "Respondenten gedeeld door het aantal bewoners."}]
    flags, labels = table["_flag"], table["Oordeel"].astype(str)
    # A group is named only when the table shows its count and its verdict is certain: a
    # hidden group named as "ondervertegenwoordigd" tells more than its mark, and an
    # 'onzeker' verdict (the unknowns could turn it around) is no conclusion.
    uncertain = labels.str.startswith("onzeker")
    nameable = (table["_status"] == "") & ~uncertain
    unreached = _groups(table, nameable & (flags == "unreached"), name)
    clear = _groups(table, nameable & (flags == "under") & labels.str.startswith("duidelijk"), name)
    maybe = _groups(table, nameable & (flags == "under") & ~labels.str.startswith("duidelijk"), name)
    over = _groups(table, nameable & (flags == "over"), name)
    small = ((table["_status"] != "") & ~uncertain
             & (flags.isin(["unreached", "under", "over"]) | (labels == privacy.HIDDEN_WORD))).any()
    # 'onzeker' for two reasons: many unknown answers, or the buurt figures' own margin
    by_figures = labels == LABEL_REFERENCE_UNCERTAIN
    unsure_dims = list(dict.fromkeys(dimension_label(d).lower()
                                     for d in table.loc[uncertain & ~by_figures, "_dimension"]))
    open_groups = _groups(table, (table["_status"] == "") & by_figures, name)
    if unreached:
        sentences.append(f"Nog niemand gesproken uit deze groepen: {join_nl(unreached)}.")
    if clear:
        sentences.append(f"Duidelijk ondervertegenwoordigd: {join_nl(clear)}.")
    if maybe:
        sentences.append(f"Mogelijk ondervertegenwoordigd (nog niet zeker): {join_nl(maybe)}.")
    if over:
        sentences.append(f"Oververtegenwoordigd: {join_nl(over)}.")
    if small:
        sentences.append(f"Groepen waarvan we het aantal niet tonen ('{privacy.primary_mark(k)}' of "
                         f"'{privacy.SECONDARY_MARK}'), noemen we hier niet; zo blijft een kleine groep "
                         "onherkenbaar.")
    if unsure_dims:
        sentences.append(f"Bij {join_nl(unsure_dims)} weten we van veel mensen het antwoord niet; groepen "
                         "waar de onbekenden het oordeel kunnen omdraaien, noemen we niet als onder- of "
                         "oververtegenwoordigd (oordeel 'onzeker').")
    if open_groups:
        sentences.append(f"Over {join_nl(open_groups)} zeggen we nog niets: de buurtcijfers zijn daar niet "
                         f"precies genoeg (oordeel '{LABEL_REFERENCE_UNCERTAIN}').")
    if not (unreached or clear or maybe) and nameable.any():
        sentences.append("Alle groepen zijn ongeveer in verhouding bereikt." if not (small or uncertain.any())
                         else "De groepen die we hier kunnen noemen, zijn ongeveer in verhouding bereikt.")
    certain = ~uncertain
    headline += [
        {"Onderwerp": "Groepen nog niet gesproken", "Waarde": int((certain & (flags == "unreached")).sum()),
         "_format": "int", "Uitleg": "Groepen die in de buurt wonen, maar van wie u nog niemand sprak."},
        {"Onderwerp": "Groepen ondervertegenwoordigd", "Waarde": int((certain & (flags == "under")).sum()),
         "_format": "int",
         "Uitleg": "Groepen die minder dan 0,8 keer zo vaak meededen als hun aandeel in de buurt "
                   "(zonder de groepen met een onzeker oordeel)."}]
    numbered = advice[advice["Nog te spreken"] != "onbekend"] if not advice.empty else advice
    if not numbered.empty:  # the shortfall sentence, too, names no hidden or uncertain group
        numbered = numbered[~numbered["Nog te spreken"].astype(str).str.startswith("minstens")
                            & ~numbered["Oordeel"].astype(str).str.startswith("onzeker")]
    if not numbered.empty:
        top = numbered.iloc[0]
        sentences.append(f"Het grootste tekort: {top['Groep'][:1].lower() + top['Groep'][1:]} "
                         f"(nog {top['Nog te spreken']} mensen). "
                         f"Wat u kunt doen, staat in {place('Aanbevelingen', medium)}.")
    if profiles is not None and profiles.cards:
        prefix = "Bewoners uit het profiel "
        rows = advice[advice["Groep"].str.startswith(prefix)] if not advice.empty else advice
        maybe_label = FLAG_LABELS["possibly_under"]
        rare = [g.removeprefix(prefix) for g, o in zip(rows["Groep"], rows["Oordeel"]) if o != maybe_label] \
            if not rows.empty else []
        maybe_rare = [g.removeprefix(prefix) for g, o in zip(rows["Groep"], rows["Oordeel"]) if o == maybe_label] \
            if not rows.empty else []
        text = f"U vond {len(profiles.cards)} betrokkenheidsprofielen."
        if rare:
            text += f" Weinig gesproken: {join_nl(rare)}."
        if maybe_rare:
            text += (f" Mogelijk weinig gesproken (zeker weten kan alleen met een aselecte steekproef): "
                     f"{join_nl(maybe_rare)}.")
        flagged = [c.name for c in profiles.cards if c.flag]
        if flagged:
            text += (f" Klein of onzeker, maar wel getoond: {join_nl(flagged)}; juist zo'n groep kan "
                     "de mensen zijn die u nog mist.")
        sentences.append(text)
        if profile_caveat:
            sentences.append(profile_caveat)
        headline.append({"Onderwerp": "Betrokkenheidsprofielen", "Waarde": len(profiles.cards),
                         "_format": "int", "Uitleg": "Groepen bewoners met een vergelijkbare houding."})
    elif profile_problem:
        sentences.append(profile_problem_sentence(profile_problem, k))
    if not channels.empty:
        numeric = channels[channels["Respondenten"].map(lambda v: isinstance(v, (int, float)))]
        if not numeric.empty and len(channels) > 1:
            best = numeric.sort_values("Respondenten", ascending=False).iloc[0]["Kanaal"]
            sentences.append(f"De meeste mensen sprak u via dit kanaal: {best.lower()}.")
    weighting = coverage.weighting or {}
    if "ess" in weighting:  # the design effect behind it is explained in the method (weighting_lines)
        headline.append({"Onderwerp": "Telt na weging als (aantal mensen)", "Waarde": whole(weighting["ess"]), "_format": "int",
                         "Uitleg": f"Na weging tellen de antwoorden zo zwaar als die van "
                                   f"{fmt_int(weighting['ess'])} mensen. Weging laat elke groep meetellen naar "
                                   "haar aandeel in de buurt; wie weinig gesproken is, telt dan zwaarder. "
                                   f"Zo zijn de uitkomsten minder zeker dan bij {fmt_int(n)} antwoorden "
                                   "zonder weging."})
    if coverage.warnings:
        sentences.append("Let op: " + " ".join(privacy.mask_small_counts(w, k) for w in coverage.warnings))
    for row in headline:  # a count is a whole number in the table too, rounded as fmt_int rounds it
        if row["_format"] == "int":
            row["Waarde"] = whole(row["Waarde"])
    return sentences, pd.DataFrame(headline, columns=["Onderwerp", "Waarde", "Uitleg", "_format"])


def profile_problem_sentence(problem: str, k: int) -> str:
    """Why the report has no engagement profiles, in one sentence with the engine's reason."""
    reason = privacy.mask_small_counts(problem.strip(), k).rstrip(".")
    return f"Er zijn geen betrokkenheidsprofielen gemaakt. {reason}." if reason else \
        "Er zijn geen betrokkenheidsprofielen gemaakt."


DEFINITIONS = (
    "Aandeel bevolking: welk deel van de bewoners (vanaf de minimumleeftijd) in deze groep valt.",
    "Aandeel respondenten: welk deel van de mensen die u sprak in deze groep valt. Mensen van wie "
    "we het niet weten, tellen hier niet mee; zij staan apart als 'onbekend'.",
    "Verhouding: aandeel respondenten gedeeld door aandeel bevolking. 1 is precies in verhouding. "
    "Onder 0,8 noemen we de groep ondervertegenwoordigd, boven 1,25 oververtegenwoordigd.",
    "Marge laag en hoog: het aandeel respondenten ligt met 95% zekerheid tussen deze twee getallen "
    "(Wilson-interval). In een kleine buurt is de marge smaller, omdat u dan een groot deel van alle "
    "bewoners sprak (eindige-populatiecorrectie).",
    "Ook het aandeel bevolking heeft een marge: het CBS rondt aantallen af op vijftallen en deelt "
    "leeftijdsgroepen op met een aanname. Een verschil heet 'duidelijk' als de marge van de "
    "respondenten die hele marge mist, ook na de correctie voor het aantal toetsen (zie hieronder); "
    "anders 'mogelijk'.",
    "Nog te spreken (bij Bereik per kenmerk): hoeveel mensen uit deze groep u nog moet spreken om "
    "in verhouding te komen, bij het huidige aantal gesprekken. Dat is te weinig: elke extra "
    "persoon maakt het totaal groter.",
    "Nodig in het plan (bij Aanbevelingen en Plan): hoeveel mensen uit deze groep er nog bij "
    "moeten zodat geen enkele groep meer ondervertegenwoordigd is, als alle groepen samen "
    "worden aangevuld. Dit is het getal om mee te plannen.",
    "Chi-kwadraat en p-waarde: toets of de verschillen bij één kenmerk toeval kunnen zijn. Een "
    "p-waarde onder 0,05 betekent: waarschijnlijk geen toeval.",
    "CV: hoe verschillend de groepen meededen. 0 is een perfecte afspiegeling; hoe hoger, hoe "
    "schever.",
    "R-indicator: een maat van het CBS tussen 0 en 1; 1 is een perfecte afspiegeling. Bij weinig "
    "respons blijft hij dicht bij 1, daarom kijken we vooral naar de CV.",
    "Min/max-verhouding: de kleinste responskans gedeeld door de grootste.",
    "Huishouden en woning (koop/huur) tellen personen, net als de respondenten: het CBS geeft "
    "huishoudens en woningen, wij rekenen die om naar bewoners. Hoe precies staat hieronder bij "
    "'Zo is gerekend'.",
)

HEADINGS = ("Wat betekenen de getallen?", "Welke cijfers gebruikten we?", "Zo is gerekend",
            "Wie tellen mee?", "Toetsen en onzekerheid", "Privacy", "Bron")


def exclusion_lines(excluded: dict[str, int], min_age: int | None, k: int) -> list[str]:
    """One line per reason a row did not count, small counts hidden (as one group, so a
    hidden count cannot come back from the others)."""
    if not excluded:
        return ["Alle rijen uit de bestanden tellen mee."]
    counts = {reason: float(count) for reason, count in excluded.items() if count}
    status = privacy.suppress(counts, [list(counts)], k)
    lines = ["Deze rijen staan in de bestanden, maar tellen niet mee (bij geen enkel kenmerk):"]
    for reason, count in counts.items():
        text = EXCLUSION_LABELS.get(reason, reason)
        if reason == "under_min_age" and min_age:
            text += f" ({min_age} jaar)"
        lines.append(f"• {text}: {privacy.protected(fmt_int(count), status[reason], k)}")
    return lines


def labelled(label: str, text: str) -> str:
    """"Geslacht: …" once: the coverage engine's warnings already start with their
    kenmerk (engagement.coverage), others do not."""
    return text if text.startswith(f"{label}:") else f"{label}: {text}"


def weighting_lines(coverage: CoverageResult) -> list[str]:
    """What weighting costs, in words: the effective number of people and the design
    effect (Kish), for the method text; the summary only says 'telt na weging als'."""
    weighting = coverage.weighting or {}
    if "ess" not in weighting or "deff" not in weighting:
        return []
    ess, deff = fmt_int(weighting["ess"]), fmt_dec(weighting["deff"], 2)
    return [f"Weging: bij het wegen telt elke groep mee naar haar aandeel in de buurt. Wie weinig gesproken "
            f"is, telt dan zwaarder. Dat kost zekerheid: de {fmt_int(coverage.respondents)} antwoorden tellen na "
            f"weging als {ess} mensen (effectieve steekproefomvang). Het designeffect is {deff}: zoveel keer "
            "kleiner is de groep waarop de uitkomsten rusten. 1 betekent: weging kost niets; 2 betekent: "
            "de helft."]


def testing_lines(coverage: CoverageResult) -> list[str]:
    """How the flags are tested: Holm across the flagged groups, 'onzeker' with unknowns."""
    tested = sum(1 for d in coverage.dimensions for c in d.categories if c.flag != "ok")
    lines = [
        f"We toetsen veel groepen tegelijk (hier {tested}). Dan lijkt er door toeval al snel één "
        "'duidelijk' af te wijken. Daarom corrigeren we met de methode van Holm over alle groepen die "
        "onder of boven hun aandeel liggen: 'duidelijk' betekent dat het verschil ook na die "
        "correctie geen toeval lijkt (p-waarde onder 0,05).",
        f"Onzeker: weet u bij een kenmerk van meer dan {UNKNOWN_THRESHOLD:.0%} van de respondenten "
        "het antwoord niet, dan kunnen de onbekenden het oordeel omdraaien. Bij die groepen staat "
        "'onzeker: …% onbekend' in plaats van een oordeel. Dat geldt ook voor een groep die 'in lijn' "
        "lijkt: zouden alle onbekenden wel of juist niet bij die groep horen, dan kan ze onder of "
        "boven haar aandeel uitkomen.",
        "R-indicator en partiële R-indicatoren volgen Schouten e.a. (2011); we kijken vooral naar "
        "de CV, omdat de R-indicator bij weinig respons dicht bij 1 blijft.",
    ]
    uncertain = [dimension_label(d.dimension).lower() for d in coverage.dimensions if d.uncertain]
    if uncertain:
        lines.append("Onzeker door veel onbekenden: " + join_nl(uncertain) + ".")
    if any(c.label == LABEL_REFERENCE_UNCERTAIN for d in coverage.dimensions for c in d.categories):
        lines.append(f"'{LABEL_REFERENCE_UNCERTAIN.capitalize()}': ook de buurtcijfers hebben een marge "
                     "(zie de aannames hierboven). Valt het oordeel aan de ene kant van die marge anders "
                     "uit dan aan de andere kant, dan zeggen we nog niets over die groep.")
    return lines



def method_lines(coverage: CoverageResult, k: int, *, independence: bool = False,
                 quotes: bool = False) -> list[str]:
    """Definitions, the reference and its assumptions, who counts, the tests, privacy and
    the source line. `independence`: the two-way cells are estimates under independence;
    `quotes`: the report shows quotes per theme (then the privacy line says so)."""
    lines = ["Wat betekenen de getallen?", *DEFINITIONS, "", "Welke cijfers gebruikten we?"]
    ref = coverage.reference
    if ref is not None:
        codes = ", ".join(f"{name} ({code})" if name else code for code, name in ref.areas)
        lines.append(f"Gebied: {codes}.")
        lines.append(f"Referentiejaar: {ref.year or 'onbekend'}; tabel: {ref.table}.")
        lines.append(f"Minimumleeftijd: {ref.min_age} jaar. Alleen bewoners vanaf die leeftijd tellen mee.")
        if ref.population:
            lines.append(f"Inwoners in totaal: {fmt_int(ref.population)}; vanaf {ref.min_age} jaar: "
                         f"{fmt_int(ref.eligible_population or 0)}.")
        if ref.estimated:
            parts = []
            by_dim: dict[str, list[str]] = {}
            for entry in ref.estimated:
                dim, _, cat = entry.partition(":")
                by_dim.setdefault(dim, []).append(cat)
            for dim, cats in by_dim.items():
                name = dimension_label(dim).lower()
                if len(cats) > 1 and set(cats) >= set(ref.dimensions.get(dim, {})):
                    parts.append(f"{name} (alle groepen)")
                else:
                    parts.extend(f"{name} {group_label(cat, ref.min_age, dim)}" if cat else name
                                 for cat in cats)
            lines.append("Geschat (niet precies geteld): " + join_nl(parts) + ". Deze aantallen zijn "
                         "afgeleid: een leeftijdsgroep valt deels onder de minimumleeftijd, een kenmerk is "
                         "verkleind naar de bewoners vanaf die leeftijd, of "
                         "huishoudens en woningen zijn omgerekend naar personen (zie 'Zo is gerekend').")
        lines.append("Het CBS rondt aantallen af op vijftallen; kleine verschillen komen daardoor.")
        lines.extend(ref.notes)
    estimated_dims = [dimension_label(d.dimension).lower() for d in coverage.dimensions if d.estimated]
    if estimated_dims:
        lines.append("Bij " + join_nl(estimated_dims) + " zijn de aantallen respondenten deels geschat "
                     "(bijvoorbeeld leeftijdsgroepen die niet precies passen op die van het CBS).")
    warnings = [labelled(dimension_label(d.dimension), privacy.mask_small_counts(w, k))
                for d in coverage.dimensions for w in d.warnings]
    warnings += [privacy.mask_small_counts(w, k) for w in coverage.warnings]
    lines.extend(dict.fromkeys(warnings))  # the engine repeats a kenmerk's warning among its own: say it once
    if independence:
        lines.append("Cellen (combinaties van twee kenmerken): het CBS geeft elk kenmerk alleen los. "
                     "Het aantal bewoners per combinatie is een schatting bij onafhankelijkheid "
                     "(alsof de kenmerken los van elkaar staan). Gebruik die cellen als aanwijzing, "
                     "niet als oordeel.")
    if ref is not None and ref.assumptions:
        lines += ["", "Zo is gerekend", *ref.assumptions]
    lines += ["", "Wie tellen mee?",
              *exclusion_lines(coverage.excluded, ref.min_age if ref is not None else None, k)]
    lines += ["", "Toetsen en onzekerheid", *testing_lines(coverage), *weighting_lines(coverage)]
    lines += ["", "Privacy",
              f"Aantallen kleiner dan {k} staan niet in dit rapport (u ziet '{privacy.primary_mark(k)}'). "
              f"Soms is ook een tweede getal verborgen (u ziet '{privacy.SECONDARY_MARK}'), zodat niemand het "
              "kleine aantal kan terugrekenen uit het totaal. Bij zo'n groep zijn ook het aandeel, de verhouding "
              "en de marge verborgen (u ziet '–'), en bij 'nog te spreken' staat een ondergrens. Het "
              f"oordeel tonen we alleen als het voor elk aantal van 1 tot {k - 1} hetzelfde zou zijn; anders "
              f"staat er '{privacy.HIDDEN_WORD}'. Het aantal onbekende antwoorden is nooit verborgen: het volgt "
              "al uit de getoonde aandelen.",
              f"Voortgang: weken waarin een groep er 1 tot {k - 1} mensen bij kreeg, zijn samengevoegd met "
              "een latere week. Zo is het verschil tussen twee getoonde weken altijd 0 of minstens "
              f"{k}, en kan niemand uitrekenen wie er in welke week bijkwam. Een groep die in een "
              "latere week verborgen is, is dat ook in de weken ervoor.",
              (f"Dit rapport bevat geen gegevens van losse personen: alleen aantallen per groep, en bij "
               f"Thema's korte citaten uit open antwoorden, zonder namen, adressen of telefoonnummers en "
               f"alleen bij thema's die minstens {k} mensen noemden." if quotes else
               "Dit rapport bevat geen antwoorden of gegevens van losse personen, alleen aantallen per groep."),
              "", "Bron"]
    # the one citation (reference.citation): CBS with table and licence, another source as given
    lines.append(source_line(ref.source, ref.year, ref.table) if ref is not None else source_line())
    lines.append("Gemaakt met Bereikwijzer.")
    return lines
