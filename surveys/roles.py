"""The words behind the filter and bookkeeping roles: status, residence, recruitment,
weight, channel and staff columns.

Kept apart from question inference so the respondents builder reads a row's status,
residence or channel with the same vocabulary that suggested the role:

    status_reason("Survey Preview", "Status")        → "preview"
    status_reason("validation_status_on_hold")        → "not_approved"
    is_resident("Nee, ik werk hier")                  → False
    channel_of("Flyer in de bus")                     → None (a recruitment answer)

Everything compares normalised text (casefolded, accents and punctuation gone).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

EXCLUSION_REASONS = ("test", "preview", "not_approved", "non_resident", "under_min_age")


def words(value: Any) -> str:
    """Casefolded words without accents or punctuation; '' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = unicodedata.normalize("NFKD", str(value).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


# ---------------------------------------------------------------- status

# Columns that mark rows that are not respondents. The tool columns are found by their
# name; a team's own test column by its name too ("test", "testinvoer", "proef").
STATUS_TOOL_HEADER = re.compile(r"^(status|distributionchannel|distribution channel"
                                r"|validation status|response type|responsetype)$")
STATUS_TEST_HEADER = re.compile(r"^(test|testinvoer|test invoer|proefinvoer|proef invoer|proef"
                                r"|testrespons|test respons|testresponse|test response"
                                r"|is test|testrecord|test record|testformulier|test ja nee"
                                r"|proefrespons|testinzending|test inzending)$")
# Qualtrics numeric Status codes: 0 IP Address, 1 Survey Preview, 2 Survey Test,
# 4 Imported, 8 Spam, 9 Preview Spam, 12 Imported Spam, 16 Offline, 17 Offline Preview.
_QUALTRICS_CODES = {0: "", 1: "preview", 2: "test", 4: "", 8: "not_approved",
                    9: "preview", 12: "not_approved", 16: "", 17: "preview"}
_STATUS_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"not approved|niet goedgekeurd|afgekeurd|on hold|in afwachting|in behandeling"
                r"|rejected|geweigerd|spam"), "not_approved"),
    (re.compile(r"preview|voorbeeld|voorvertoning|proefweergave"), "preview"),
    (re.compile(r"test|proef"), "test"),  # also "Enquêtetest", "Survey Test"
    (re.compile(r"^(validation status approved|approved|goedgekeurd|ip address|ip adres"
                r"|anonymous|anoniem|email|e mail|gl|qr|sms|social|offline|imported"
                r"|geimporteerd|personal|persoonlijk|mobile|mobiel|web|link|complete|completed"
                r"|volledig|ingevuld|afgerond|survey response|enquete respons|respons"
                r"|\d+)$"), ""),
)
_NO = re.compile(r"^(nee|n|no|niet|false|onwaar|0|geen)( .*)?$")


def status_header(header: str) -> str:
    """'tool' for a tool's status column, 'test' for a team's test column, else ''."""
    key = words(header)
    if STATUS_TOOL_HEADER.match(key):
        return "tool"
    if STATUS_TEST_HEADER.match(key):
        return "test"
    return ""


def status_reason(value: Any, column: str = "") -> str:
    """The exclusion reason of one status cell: 'test', 'preview', 'not_approved' or ''.

    A team's test column ('Testinvoer': ja/x) marks a test for any yes-like answer;
    a Qualtrics Status number uses Qualtrics' codes; other cells are read by their words
    ('Survey Preview', 'validation_status_not_approved', 'On Hold', 'test').
    """
    key = words(value)
    if not key:
        return ""
    if status_header(column) == "test":
        return "" if _NO.match(key) else "test"
    if re.fullmatch(r"\d+", key):
        return _QUALTRICS_CODES.get(int(key), "") if words(column) == "status" else ""
    for pattern, reason in _STATUS_WORDS:
        if pattern.search(key):
            return reason
    return ""


def known_status(value: Any) -> bool:
    """True when a cell is a status word we know (kept or excluded)."""
    key = words(value)
    return bool(key) and any(p.search(key) for p, _ in _STATUS_WORDS)


# ---------------------------------------------------------------- residence

RESIDENCE_HEADER = re.compile(
    r"\bwoon(t|t u|t je|t jij| je| jij)? (u |je |jij )?(zelf )?(in|op)"
    r" (deze|de|dit|die|het|uw|onze)"
    r" ?(buurt|wijk|dorp|kern|straat|gebied|omgeving|stadsdeel)"
    r"|\bbent u (een )?(bewoner|inwoner)|\bben je (een )?(bewoner|inwoner)"
    r"|^(bewoner|inwoner|woont in de (wijk|buurt)|woonachtig in (de )?(wijk|buurt)"
    r"|bewoner van de (wijk|buurt)|resident|woont hier|woont in buurt|woont in wijk)\b"
    r"|\bdo you live in\b|\bare you a resident\b|\blive in (this|the) (neighbou?rhood|area)"
    # "Woont u in Transvaal?", "Woont u in de Vogelbuurt?": a place name; the yes/no
    # answers decide (a tenure question "Woont u in een huurwoning?" has no yes/no)
    r"|^woon(t)? (u|je|jij) (zelf )?(nog )?in (?!een\b)\w+( \w+)?$")


def is_resident(value: Any) -> bool | None:
    """True for yes-like answers ('Ja', 'Ja, al 10 jaar', 'x'), False for no-like ones
    ('Nee, ik werk hier', 'Bezoeker'), None when unknown or empty. One rule for the whole
    import: surveys.demographics.is_resident."""
    from surveys.demographics import is_resident as resident

    return resident(value)


def looks_like_residence(values: Iterable[Any]) -> bool:
    """Most distinct answers ('weet niet' aside) read as yes or no."""
    from surveys.likert import is_missing_answer

    known = [is_resident(v) for v in values if words(v) and not is_missing_answer(v)]
    return bool(known) and sum(k is not None for k in known) >= 0.8 * len(known)


# ---------------------------------------------------------------- recruitment

RECRUITMENT_HEADER = re.compile(
    r"\bhoe he(eft|b|bt) (u|je|jij) (over |van )?(deze|dit|de|het|onze) ?\w* ?"
    r"(enquete|onderzoek|vragenlijst|peiling|bijeenkomst|gesprek|project|survey)? ?\w* ?gehoord"
    r"|\bwaar he(eft|b|bt) (u|je) (over |van )?.*gehoord|\bhoe (bent u|ben je|kwam u|kwam je)"
    r" (bij|terecht bij|op) (deze|dit|de) (vragenlijst|enquete|onderzoek|peiling|website)"
    r"|\bhoe (bent u|ben je) .*(terechtgekomen|gekomen)|\bvia welke weg\b"
    r"|\bhow did you (hear|find out|learn) about|\bwhere did you hear about"
    r"|\b(via|hoe|waar|door wie)\b.*\bhe(eft|b|bt) (u|je|jij)\b.*\b(over|van)"
    r" (deze|dit|de|het|onze)\b.*\bgehoord\b"
    r"|\bop de hoogte (geraakt|gekomen|gebracht)\b.*\b(enquete|onderzoek|vragenlijst|peiling)"
    r"|\bwaar he(eft|b|bt) (u|je) (deze|dit|de|het) \w+ (gezien|gevonden)"
    r"|\bhoe (bent u|ben je|werd u|werd je) (uitgenodigd|benaderd)\b"
    r"|\bhoe weet u van\b|^(werving|wervingskanaal|bron|gehoord|gehoord via|via|hoe gehoord"
    r"|recruitment|recruited via|source)$")

# ---------------------------------------------------------------- weight

WEIGHT_HEADER = re.compile(r"^(weeg ?factor\w*|weegfac\w*|wegings ?factor\w*|weging\w*|gewicht"
                           r"|gewichtsfactor|weight\w*|wgt\w*|wght|wf\d*|design weight"
                           r"|final weight|survey weight|ophoogfactor|ophooggewicht)$")
WEIGHT_LABEL = re.compile(r"\bweeg ?factor|\bweging\b|\bwegingsfactor|\b(survey |design |final )?"
                          r"weight\b|\bophoogfactor|\bgewogen? factor")


def weight_header(column: str, label: str = "") -> bool:
    return bool(WEIGHT_HEADER.match(words(column)) or WEIGHT_HEADER.match(words(label))
                or (label and WEIGHT_LABEL.search(words(label))))


# ---------------------------------------------------------------- channel

# Per-row channel answers that really are channels. Answers to "how did you hear"
# (flyer, Facebook, buurman, krant) are not: they are recruitment.
_CHANNEL_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(online|internet|digitaal|via internet|web)\b|\bonline (enquete|vragenlijst"
                r"|ingevuld)\b|^(online|digitaal) ingevuld$"), "online"),
    (re.compile(r"\b(papier|op papier|papieren (formulier|enquete|vragenlijst)|schriftelijk"
                r"|paper|paper form|per post)\b"), "papier"),
    (re.compile(r"\b(straat|op straat|straatgesprek\w*|street|street interview)\b"),
     "straatgesprek"),
    (re.compile(r"\b(\w*bijeenkomst\w*|informatieavond|meeting|inloop\w*|workshop)\b"),
     "bijeenkomst"),
    (re.compile(r"\b(huisbezoek\w*|aan huis|aan de deur|deur aan deur|bij mensen thuis"
                r"|home visit|door to door|keukentafel\w*)\b"), "huisbezoek"),
    (re.compile(r"^(telefonisch|per telefoon|telefoon|by phone|phone|anders|overig|other)$"),
     "anders"),
)
# Words of a recruitment answer ("Papieren flyer", "Brief in de bus", "via de buurman"):
# such an answer says how someone heard of the survey, not how they took part.
_RECRUITMENT_WORDS = re.compile(
    r"\b(flyer|folder|facebook|instagram|twitter|whatsapp|social|sociale media|krant|brief"
    r"|poster|affiche|buurman|buurvrouw|buren|vrienden|familie|kennis|kennissen|nieuwsbrief"
    r"|website|mail|e mail|nextdoor|advertentie|via|bus|school|kerk|moskee|werk)\b")


def channel_of(value: Any) -> str | None:
    """The channel code an answer names ('Op papier' → 'papier', 'Bijeenkomst buurthuis'
    → 'bijeenkomst'), or None (also for recruitment answers like 'Papieren flyer')."""
    key = words(value)
    if not key or _RECRUITMENT_WORDS.search(key):
        return None
    for pattern, code in _CHANNEL_WORDS:
        if pattern.search(key):
            return code
    return None


def looks_like_channels(values: Iterable[Any], *, least: int = 1) -> bool:
    """Nearly every distinct answer names a channel (online, papier, straat, …) and at
    least `least` different real channels occur ('anders' alone says nothing)."""
    keys = [v for v in values if words(v)]
    codes = [channel_of(v) for v in keys]
    real = {c for c in codes if c and c != "anders"}
    return bool(keys) and sum(c is not None for c in codes) >= 0.9 * len(keys) \
        and len(real) >= least


# ---------------------------------------------------------------- staff

STAFF_HEADER = re.compile(
    r"^(ingevoerd door|invoerder|invoer door|ingetypt door|overgetypt door|interviewer\w*"
    r"|naam (van de )?(interviewer|medewerker|gespreksvoerder|enqueteur|invoerder)"
    r"|afgenomen door|medewerker\w*|gespreksvoerder\w*|gesprek gevoerd door|gevoerd door"
    r"|enqueteur\w*|interviewed by|entered by|collected by|staff|staff member"
    r"|straatteam lid|teamlid|vrijwilliger|opgehaald door|gesproken door)$")


def is_staff_column(header: str) -> bool:
    """A column naming the staff member who typed in or held the conversation."""
    return bool(STAFF_HEADER.match(words(header)))


# A safety net beside pii.column_pii_reason for the name question of a paper form.
NAME_HEADER = re.compile(r"^(uw |je |jouw )?(voor|achter|volledige )?naam( en achternaam)?"
                         r"( optioneel| niet verplicht| facultatief| als u wilt| mag leeg blijven"
                         r"| respondent| bewoner| deelnemer| invuller)*$")


def is_name_column(header: str) -> bool:
    return bool(NAME_HEADER.match(words(header)))


_CONTACT = ((re.compile(r"\be ?mail\w*\b"), "e-mailadres"),
            (re.compile(r"\b(telefoon\w*|mobiel\w* nummer|06 nummer|phone\w*)\b"),
             "telefoonnummer"),
            (re.compile(r"\b(adres|huisnummer|address)\b"), "adres of huisnummer"))


def contact_reason(header: str) -> str:
    """The kind of contact detail an (empty) column asks for, or ''."""
    key = words(header)
    return next((reason for pattern, reason in _CONTACT if pattern.search(key)), "")
