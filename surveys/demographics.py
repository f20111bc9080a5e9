"""Map demographic answers in their many wordings to the canonical category codes.

Forms ask the same thing in dozens of ways ("Vrouw", "V", "female"; "eigen woning",
"koophuis"). Each dimension is an ordered list of (pattern, code) rules over the
normalised answer; the first match wins, so specific wordings ("alleenstaande ouder")
come before general ones ("alleenstaand"). An answer no rule knows stays missing and is
counted in a warning, so the user can add a recode instead of losing it silently.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from surveys import age_bands
from surveys.categories import REFUSED
from surveys.likert import is_missing_answer, normalize_label

_REFUSAL = (r"^(?:ik |dat )?(?:zeg (?:ik )?(?:het )?liever niet|zeg ik niet|zeg ik het liever niet"
            r"|wil ik (?:liever )?niet (?:zeggen|beantwoorden|invullen)|wil (?:het |dit )?niet zeggen"
            r"|liever niet(?: zeggen)?|geen antwoord|wil geen antwoord geven"
            r"|i(?:d)? ?(?:prefer|rather) not (?:to )?(?:say|answer|disclose)"
            r"|prefer not to (?:say|answer|disclose)|rather not say|not disclosed|declined?"
            r"|no answer|weiger\w*)$")

GENDER_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"^(man|m|male|mannelijk|jongen|heer|dhr|meneer|boy|mannen|men|cis man|cisman)$", "man"),
    (r"^(vrouw|v|f|female|vrouwelijk|meisje|mevrouw|mevr|girl|woman|women|vrouwen|cis vrouw"
     r"|cisvrouw)$", "vrouw"),
    (r"^(anders|x|other|overig|divers|iets anders|anders namelijk.*|zelf omschrijven.*"
     r"|prefer to self describe.*|self describe.*|ik omschrijf mezelf.*|anders of"
     r" non binair)$"
     r"|\b(non ?binai?r\w*|nonbinai?r\w*|genderqueer|genderfluid|gender ?neutra\w*|intersekse"
     r"|intersex|agender|genderdivers\w*|third gender|derde gender)\b", "anders"),
)

HOUSEHOLD_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    # a parent alone with children is a household with children
    (r"eenouder|een ouder gezin|alleenstaande? ouder|single parent|lone parent|one parent"
     r"|alleen(?:staand\w*)? met (?:mijn |de |een |\w+ )?kind|alleen(?:staand\w*)? met kids",
     "met_kinderen"),
    (r"^(?:ik woon )?(?:alleenstaand\w*|alleen\w*|single\w*|eenpersoons\w*|1 persoons?\w*"
     r"|een persoons?\w*|one person\w*|living alone|lives alone|i live alone)\b"
     r"|^ik woon alleen|^woon alleen", "eenpersoons"),
    (r"(kind\w*|children) (?:wonen |woont )?(?:niet meer thuis|uit huis|het huis uit)"
     r"|uitwonende kind|empty nest", "paar_zonder_kinderen"),
    (r"zonder (?:thuiswonende |inwonende )?kind|geen (?:thuiswonende |inwonende )?kind"
     r"|without (?:\w+ )?child|no child|childless|zonder kids", "paar_zonder_kinderen"),
    (r"kind|gezin|with (?:\w+ )?child|children|kids|bij (?:mijn |de )?ouders|with (?:my )?parents"
     r"|family|thuiswonend|inwonend bij", "met_kinderen"),
    (r"samenwonend|partner|getrouwd|gehuwd|echtpaar|paar|couple|married|stel\b"
     r"|met (?:mijn )?(?:man|vrouw|echtgeno\w*)", "paar_zonder_kinderen"),
)

TENURE_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"corporatie|sociale huur|woningbouw|woonstichting|wooncorporatie|sociale (?:huur)?woning"
     r"|social (?:housing|rent\w*)|housing association|council|woningstichting"
     r"|social landlord", "huur_corporatie"),
    (r"particulier|vrije sector|commercie|prive verhuurder|private\w* (?:rent\w*|landlord)"
     r"|privately rented|andere verhuurder|belegger|huur overig|huur anders|overige huur"
     r"|andere huur|huisbaas|private sector", "huur_overig"),
    (r"koop|eigen (?:woning|huis)|eigenaar|eigendom|owner|owned|own home|own my|mortgage"
     r"|hypotheek|bezit", "koop"),
)

_EUROPE = ("europa|europe|europees|eu|polen|pools|duitsland|duits|belgie|belgisch|frankrijk"
           "|spanje|italie|portugal|griekenland|bulgarije|roemenie|hongarije|kroatie|servie"
           "|bosnie|joegoslavie|oekraine|rusland|verenigd koninkrijk|engeland|ierland"
           "|zweden|noorwegen|denemarken|finland|oostenrijk|zwitserland|tsjechie|slowakije"
           "|litouwen|letland|estland|albanie|kosovo|macedonie|moldavie|sloveni|poland|germany"
           "|belgium|france|spain|italy|greece|romania|bulgaria|hungary|ukraine|russia"
           "|united kingdom|england|ireland|sweden|norway|denmark")
_OUTSIDE = ("buiten europa|outside (?:of )?europe|niet europe|non europe|noneuropean|niet in europa"
            "|marokk|morocc|turk|surinam|antill|curacao|aruba|bonaire|indonesi|syri|eritre"
            "|somali|afghan|irak|iraq|iran|ghana|nigeri|kaapverdi|cape verde|china|chinees"
            "|india|pakistan|egypt|ethiopi|amerika|america|verenigde staten|united states|usa"
            "|canada|brazil|azie|afrika|asia|africa|caribisch|caribbean|australi|japan"
            "|vietnam|filipijn|philippin|thailand|koerd|kurd|elders in de wereld|rest van de wereld"
            "|ander werelddeel|ander continent|other continent|rest of the world")

ORIGIN_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"geen migratieachtergrond|^(nederland|nederlands|nederlandse|nl|in nederland|netherlands"
     r"|dutch|the netherlands|holland|nederland zelf|nederland geboren|born in the netherlands"
     r"|ik ben in nederland geboren|in nederland geboren)$"
     r"|^(ik ben )?(geboren )?in nederland( geboren)?$", "nederland"),
    (_OUTSIDE, "buiten_europa"),
    (r"\b(" + _EUROPE + r")", "europa"),
)

RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "gender": GENDER_RULES,
    "household": HOUSEHOLD_RULES,
    "tenure": TENURE_RULES,
    "origin": ORIGIN_RULES,
}

_OPTION_NUMBER = re.compile(r"^\s*[(\[]?\d{1,2}[)\]]?\s*[.=:)\-–]\s+(?=\D)")


def answer_key(value: Any) -> str:
    """Normalised answer; Kobo underscores become spaces and an option number in front
    ('2 = Vrouw') is dropped: 'zeg_ik_liever_niet' → 'zeg ik liever niet'."""
    if _is_empty(value):
        return ""
    text = _OPTION_NUMBER.sub("", str(value).replace("_", " "), count=1)
    return normalize_label(text)


def canonical(dimension: str, value: Any) -> str | float:
    """Canonical code for one answer; NaN when empty or unknown."""
    key = answer_key(value)
    if not key:
        return math.nan
    for pattern, code in RULES[dimension]:
        if re.search(pattern, key):
            return code
    return math.nan


def recode(dimension: str, values: Iterable[Any], *, overrides: dict[str, Any] | None = None,
           ) -> tuple[list[Any], Counter[str]]:
    """Code a column; returns the codes and a count of answers no rule understood."""
    overrides = overrides or {}
    codes: list[Any] = []
    unknown: Counter[str] = Counter()
    for value in values:
        raw = "" if _is_empty(value) else str(value).strip()
        if raw in overrides:
            codes.append(overrides[raw])
            continue
        code = canonical(dimension, value)
        if isinstance(code, float) and raw and not _is_non_answer(raw):
            unknown[raw] += 1
        codes.append(code)
    return codes, unknown


_MISSING = frozenset({"", "onbekend", "nvt", "n v t", "weet niet", "weet ik niet", "nan",
                      "niet te zeggen", "geen idee", "unknown"})


def _is_non_answer(value: Any) -> bool:
    return answer_key(value) in _MISSING or is_missing_answer(value)


def channel_code(value: Any, default: str) -> str:
    """A channel from CHANNELS for one answer; the import's channel when the answer names
    none. How someone heard of the survey ('flyer', 'Facebook') is never a channel: one
    rule for both, surveys.roles.channel_of."""
    from surveys.roles import channel_of

    return channel_of(value) or default


# --- age ---------------------------------------------------------------------------
# One parser for the whole project lives in surveys.age_bands; these wrappers keep the
# (low, high-or-NaN) tuples older callers use.


def parse_age_band(value: Any, *, dash_exclusive: bool = False) -> tuple[float, float] | None:
    """(low, high) of an age band, half-open, high NaN when open; None if not a band.

    '18-29' → (18, 30); '25 tot 45 jaar' → (25, 45); '75+' → (75, NaN);
    'jonger dan 18' → (0, 18). See surveys.age_bands for the conventions.
    """
    if _is_empty(value):
        return None
    band = age_bands.parse_band(value, dash_exclusive=dash_exclusive)
    if band is None:
        return None
    return band.low, (math.nan if band.is_open else band.high)


def dash_bands_touch(values: Iterable[Any]) -> bool:
    """True when bands like '15-25' and '25-45' share an end: then '-' means 'tot' (CBS)."""
    return age_bands.dash_means_until(values)


def band_label(low: float, high: float) -> str:
    """Readable band with an inclusive upper age: (18, 30) → '18-29', (75, NaN) → '75+'."""
    return age_bands.band_label((low, high))


def looks_like_band(values: Iterable[Any]) -> bool:
    """Most answers are age bands, possibly mixed with exact ages ('45', '<25', '65+' in a
    street log), and at least a third of them are real bands."""
    answers = _counts(values)
    if not answers:
        return False
    total = sum(answers.values())
    bands = age_bands.parse_bands(answers)
    banded = sum(n for v, n in answers.items() if bands.get(v) is not None)
    exact = sum(n for v, n in answers.items()
                if bands.get(v) is None and age_bands.parse_age(v) is not None)
    return banded >= total / 3 and banded + exact >= 0.8 * total


def _counts(values: Iterable[Any] | dict[Any, int]) -> Counter[Any]:
    """Substantive answers with their frequency; a dict is read as answer → count."""
    counts = Counter(values) if isinstance(values, dict) else Counter(list(values))
    return Counter({v: n for v, n in counts.items()
                    if not _is_empty(v) and not _is_non_answer(v)})


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd
        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return str(value).strip() == ""


def share_known(dimension: str, values: Iterable[Any]) -> float:
    """Share of non-empty answers a rule recognises: how well a column fits a dimension.

    Needs two different real categories, so a column of 'Anders' is not 'gender'.
    """
    counts = _counts(values)
    if not counts:
        return 0.0
    codes = {v: canonical(dimension, v) for v in counts}
    known = {c for c in codes.values() if isinstance(c, str)}
    if len(known - {REFUSED}) < 2:
        return 0.0
    return sum(n for v, n in counts.items() if isinstance(codes[v], str)) / sum(counts.values())


# --- residence ---------------------------------------------------------------------

_RESIDENT_NO = re.compile(
    r"^(?:nee|no|n|0|false|onwaar|niet)\b|\b(?:woon|woont|live|lives) (?:hier |er |daar )?niet\b"
    r"|\bniet (?:in|uit) (?:de|deze|this)? ?(?:buurt|wijk)|\bnot (?:a )?(?:resident|living)"
    r"|\b(?:bezoek\w*|passant\w*|visitor|visiting|toerist\w*|tourist|werk\w* hier|werk\w* in de"
    r"|work\w* here|ondernemer\w*|elders|ergens anders|andere (?:buurt|wijk|gemeente|plaats)"
    r"|buiten de (?:buurt|wijk)|elsewhere|another (?:area|neighbou?rhood)|niet bewoner"
    r"|geen bewoner|oud bewoner|voormalig bewoner|former resident)")
_RESIDENT_YES = re.compile(
    r"^(?:ja|yes|y|j|1|x|true|waar|jazeker|klopt)\b|\b(?:ik woon|woon|woont|i live|lives?)"
    r" (?:hier|here|in (?:de|deze|het|this|the)|er|daar)|\bbewoner\b|\bresident\b")


def is_resident(value: Any) -> bool | None:
    """Does a residence answer say the person lives in the area? True, False, or None when
    it is empty or unclear. 'Ja, ik woon in de buurt' → True; 'Nee, ik werk hier',
    'Bezoeker' → False. A 'no' anywhere wins over a 'yes', so 'Ja, maar ik woon er niet
    meer' is not counted as resident."""
    if isinstance(value, bool):
        return value
    key = answer_key(value)
    if not key or _is_non_answer(value):
        return None
    no = bool(_RESIDENT_NO.search(key))
    yes = bool(_RESIDENT_YES.search(key))
    if no:
        return False
    return True if yes else None

