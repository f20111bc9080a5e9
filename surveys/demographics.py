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
from typing import Any, Iterable

from surveys.categories import CHANNELS, REFUSED
from surveys.likert import normalize_label

_REFUSAL = (r"^(zeg ik liever niet|wil ik (liever )?niet zeggen|wil niet zeggen|liever niet"
            r"|zeg ik niet|geen antwoord|prefer not to (say|answer)|rather not say"
            r"|wil ik niet beantwoorden)$")

GENDER_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"^(man|m|male|mannelijk|jongen|heer|dhr|meneer|boy|mannen)$", "man"),
    (r"^(vrouw|v|f|female|vrouwelijk|meisje|mevrouw|mevr|girl|woman|vrouwen)$", "vrouw"),
    (r"^(anders|x|non ?binair|non ?binary|other|overig|genderqueer|divers|iets anders"
     r"|anders namelijk.*|zelf omschrijven.*)$", "anders"),
)

HOUSEHOLD_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"eenouder|alleenstaande ouder|single parent|alleen met (mijn |de )?kind", "met_kinderen"),
    (r"zonder (thuiswonende )?kind|geen kinderen|without child|no child", "paar_zonder_kinderen"),
    (r"met (mijn |een |de )?(partner|echtgeno\w*|man|vrouw) en (thuiswonende )?kind"
     r"|kind|gezin|with child|bij (mijn |de )?ouders|with (my )?parents|family", "met_kinderen"),
    (r"^(alleenstaand\w*|alleen|alleenwonend|eenpersoons\w*|ik woon alleen|single"
     r"|living alone|lives alone|one person\w*|1 persoon\w*)$|^alleen wonend", "eenpersoons"),
    (r"samenwonend|met (mijn |een )?partner|getrouwd|gehuwd|echtpaar|paar|couple"
     r"|with (my )?partner|married", "paar_zonder_kinderen"),
)

TENURE_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"corporatie|sociale huur|woningbouw|woonstichting|sociale (huur)?woning|social housing"
     r"|housing association", "huur_corporatie"),
    (r"particulier|vrije sector|commerciele|prive verhuurder|private (rent|landlord)"
     r"|andere verhuurder|belegger", "huur_overig"),
    (r"koop|eigen (woning|huis)|eigenaar|eigendom|owner|owned|own home|mortgage|hypotheek",
     "koop"),
)

_EUROPE = ("europa|europe|europees|eu|polen|pools|duitsland|duits|belgie|belgisch|frankrijk"
           "|spanje|italie|portugal|griekenland|bulgarije|roemenie|hongarije|kroatie|servie"
           "|bosnie|joegoslavie|oekraine|rusland|verenigd koninkrijk|engeland|ierland"
           "|zweden|noorwegen|denemarken|finland|oostenrijk|zwitserland|tsjechie|slowakije"
           "|litouwen|letland|estland|albanie|kosovo|macedonie|moldavie|sloveni")
_OUTSIDE = ("buiten europa|outside europe|niet europees|marokk|turk|surinam|antill|curacao"
            "|aruba|bonaire|indonesi|syri|eritre|somali|afghan|irak|iran|ghana|nigeri"
            "|kaapverdi|china|chinees|india|pakistan|egypte|ethiopi|amerika|verenigde staten"
            "|canada|brazili|azie|afrika|asia|africa|caribisch|australi|japan|vietnam"
            "|filipijn|thailand|koerd")

ORIGIN_RULES: tuple[tuple[str, str], ...] = (
    (_REFUSAL, REFUSED),
    (r"geen migratieachtergrond|^(nederland|nederlands|nl|in nederland|netherlands|dutch"
     r"|the netherlands|holland|nederland zelf)$|^(ik ben )?(geboren )?in nederland( geboren)?$",
     "nederland"),
    (_OUTSIDE, "buiten_europa"),
    (r"\b(" + _EUROPE + r")", "europa"),
)

RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "gender": GENDER_RULES,
    "household": HOUSEHOLD_RULES,
    "tenure": TENURE_RULES,
    "origin": ORIGIN_RULES,
}

CHANNEL_RULES: tuple[tuple[str, str], ...] = (
    (r"huisbezoek|aan huis|deur|keukentafel|home visit", "huisbezoek"),
    (r"straat|op straat|street|markt|plein", "straatgesprek"),
    (r"bijeenkomst|avond|meeting|buurthuis|inloop|workshop|sessie", "bijeenkomst"),
    (r"papier|paper|formulier|brief|post|flyer", "papier"),
    (r"online|internet|website|web|mail|social|facebook|instagram|whatsapp|qr|link"
     r"|nieuwsbrief|app", "online"),
)


def canonical(dimension: str, value: Any) -> str | float:
    """Canonical code for one answer; NaN when empty or unknown."""
    key = normalize_label(value)
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
        if isinstance(code, float) and raw and normalize_label(raw) not in _MISSING:
            unknown[raw] += 1
        codes.append(code)
    return codes, unknown


_MISSING = frozenset({"", "onbekend", "nvt", "n v t", "weet niet", "weet ik niet", "nan",
                      "niet te zeggen", "geen idee", "unknown"})


def channel_code(value: Any, default: str) -> str:
    """A channel from CHANNELS for one answer; the import's channel when unknown."""
    key = normalize_label(value)
    if key in CHANNELS:
        return key
    for pattern, code in CHANNEL_RULES:
        if key and re.search(pattern, key):
            return code
    return default


# --- age ---------------------------------------------------------------------------

_BAND_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(?:van )?(\d{1,3}) (?:tot en met|t/m|tm|up to and including) (\d{1,3})$"),
     "incl"),
    (re.compile(r"^(?:van )?(\d{1,3}) (?:tot|to|until) (\d{1,3})$"), "excl"),
    (re.compile(r"^(\d{1,3})-(\d{1,3})$"), "incl"),
    (re.compile(r"^(\d{1,3}) ?\+$"), "open"),
    (re.compile(r"^(\d{1,3}) (?:en|of|and|or) (?:ouder|meer|older|over)$"), "open"),
    (re.compile(r"^(?:ouder dan|older than|boven de|boven|over) (\d{1,3})$"), "above"),
    (re.compile(r"^(?:jonger dan|younger than|onder de|onder|under|tot) (\d{1,3})$"), "below"),
)


def _band_text(value: Any) -> str:
    text = str(value).strip().lower()
    text = re.sub(r"[–—‐]", "-", text)
    text = re.sub(r"\b(jaar|jr|years?|yrs)\b\.?|[()]", " ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_age_band(value: Any, *, dash_exclusive: bool = False) -> tuple[float, float] | None:
    """(low, high) of an age band, high exclusive and NaN when open; None if not a band.

    '18-29' → (18, 30); '25 tot 45 jaar' → (25, 45); '75+' → (75, NaN);
    'jonger dan 18' → (0, 18). Upper bounds are exclusive, as in categories.AGE_BANDS.
    """
    if _is_empty(value):
        return None
    text = _band_text(value)
    for pattern, kind in _BAND_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        nums = [int(g) for g in match.groups()]
        if kind in ("incl", "excl") and nums[0] >= nums[1]:
            return None
        if kind == "incl":
            exclusive = dash_exclusive and "-" in text
            return float(nums[0]), float(nums[1] + (0 if exclusive else 1))
        if kind == "excl":
            return float(nums[0]), float(nums[1])
        if kind == "open":
            return float(nums[0]), math.nan
        if kind == "above":
            return float(nums[0] + 1), math.nan
        return 0.0, float(nums[0])
    return None


def dash_bands_touch(values: Iterable[Any]) -> bool:
    """True when bands like '15-25' and '25-45' share an end: then '-' means 'tot' (CBS)."""
    bounds = {parse_age_band(v) for v in set(map(str, values))} - {None}
    lows = {low for low, _ in bounds}
    return any(high - 1 in lows for _, high in bounds if not math.isnan(high))


def band_label(low: float, high: float) -> str:
    """Readable band with an inclusive upper age: (18, 30) → '18-29', (75, NaN) → '75+'."""
    if math.isnan(high):
        return f"{int(low)}+"
    return f"{int(low)}-{int(high) - 1}"


def looks_like_band(values: Iterable[Any]) -> bool:
    """Most answers are age bands (and at least one has a range or an open end)."""
    answers = _counts(values)
    if not answers:
        return False
    hits = sum(n for v, n in answers.items() if parse_age_band(v) is not None)
    return hits >= 0.8 * sum(answers.values()) and not all(_is_number(v) for v in answers)


def _counts(values: Iterable[Any] | dict[Any, int]) -> Counter[Any]:
    """Substantive answers with their frequency; a dict is read as answer → count."""
    counts = Counter(values) if isinstance(values, dict) else Counter(list(values))
    return Counter({v: n for v, n in counts.items()
                    if not _is_empty(v) and normalize_label(v) not in _MISSING})


def _is_number(value: Any) -> bool:
    try:
        float(str(value).replace(",", "."))
    except ValueError:
        return False
    return True


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
