"""The words and numbers every layer judges and names groups by, each decided once.

- the ratio band (`UNDER`, `OVER`) and `MIN_EXPECTED`, `UNKNOWN_THRESHOLD`, `ALPHA`;
- the flag of a ratio (`ratio_flags`), the 'onzeker' rule (`could_flip`) and the one
  status decision of a category (`category_status`) with its Dutch label;
- group phrases for sentences ("jongeren van 15 tot 25 jaar", `group_phrase`), and group
  names and phrases that follow the minimum age (`group_label`, `age_words`: a band
  "15-25" in a project counting people from 18 reads "18 tot 25 jaar"; `group_label`
  lives in surveys.age_bands so the reference's CLI text names groups the same way);
- the CBS citation (defined in reference.citation, which sits lower; re-exported here).

The coverage engine, the batch engine, the planner, the advice, the report and the
dashboard import from here; a second copy is how an age band once shifted by a year.

    >>> category_status("under", significant=True, expected=12.0)
    'under_sig'
    >>> status_label("under_sig")
    'duidelijk ondervertegenwoordigd'
    >>> group_phrase("age", "15-25")
    'jongeren van 15 tot 25 jaar'
    >>> group_phrase("age", "15-25", min_age=18)
    'jongeren van 18 tot 25 jaar'
"""
from __future__ import annotations

import re

import numpy as np

from reference.citation import (  # noqa: F401 (re-exported: the one citation)
    CBS_LICENCE,
    CBS_SOURCE,
    CBS_TABLE_NAME,
    cbs_source,
    is_cbs_source,
    source_line,
)
from surveys.age_bands import (  # noqa: F401 (age_band, counted_band, group_label re-exported)
    AgeBand,
    age_band,
    band_text,
    counted_band,
    group_label,
    parse_band,
    reference_bands,
)
from surveys.categories import DIMENSION_LABELS, label
from surveys.thresholds import OVER, UNDER

MIN_EXPECTED = 5.0         # below 5 expected respondents a group has "te weinig gegevens"
UNKNOWN_THRESHOLD = 0.20   # above this unknown share a dimension's verdicts can be "onzeker"
ALPHA = 0.05               # significance level after Holm's correction

# ---------------------------------------------------------------------------- flags

FLAGS = ("unreached", "under", "ok", "over")  # the order of `flag_codes`


def flag_codes(ratio, respondents=None, *, under: float = UNDER, over: float = OVER) -> np.ndarray:
    """Index into FLAGS per group: unreached (nobody heard; only when `respondents` is
    given), under (ratio < under), over (ratio > over), else ok. Works on arrays and scalars."""
    ratio = np.asarray(ratio, dtype=float)
    codes = np.where(ratio < under, 1, np.where(ratio > over, 3, 2))
    if respondents is not None:
        codes = np.where(np.asarray(respondents, dtype=float) <= 1e-12, 0, codes)
    return codes


def ratio_flags(ratio, respondents=None, *, under: float = UNDER, over: float = OVER) -> np.ndarray:
    """The flag of each ratio as text ("unreached", "under", "ok", "over")."""
    return np.asarray(FLAGS, dtype=object)[flag_codes(ratio, respondents, under=under, over=over)]


def could_flip(flags, low_ratio, high_ratio, *, under: float = UNDER, over: float = OVER) -> np.ndarray:
    """Whether the best/worst case with the unknowns (none of them in the group / all of
    them) would give another verdict: then, with many unknowns, the verdict is 'onzeker'.
    That holds for "in lijn" too: with 55 % unknown a group in line may be under or over."""
    flags = np.asarray(flags, dtype=object)
    low, high = np.asarray(low_ratio, dtype=float), np.asarray(high_ratio, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(flags == "over", low <= over,
                        np.where(flags == "ok", (low < under) | (high > over), high >= under))


def range_uncertain(flags, share, share_low, share_high, margin, respondents, *,
                    under: float = UNDER, over: float = OVER) -> np.ndarray:
    """Whether a group's flag differs between the two ends of the reference range
    [share_low, share_high] (BuurtReference.margins): ratio share/high vs share/low, e.g.
    'in lijn' at one end and under at the other. Then the buurt figures cannot decide it.
    Only for groups with a margin and with respondents."""
    low, high = np.asarray(share_low, dtype=float), np.asarray(share_high, dtype=float)
    share = np.asarray(share, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        flips = could_flip(flags, share / high, np.where(low > 0, share / low, np.inf), under=under, over=over)
    return (np.asarray(margin, dtype=float) > 0) & (np.asarray(respondents, dtype=float) > 0) & flips


# ---------------------------------------------------------------------------- status

STATUS_LABELS: dict[str, str] = {
    "unreached": "nog niemand gesproken",
    "under_sig": "duidelijk ondervertegenwoordigd",
    "under": "mogelijk ondervertegenwoordigd",
    "ok": "in lijn",
    "over": "oververtegenwoordigd",
    "few": "te weinig gegevens",
    "uncertain": "onzeker: {pct}% onbekend",  # "63%": the UI's style, no space
}
STATUSES = tuple(STATUS_LABELS)
LABEL_UNREACHED = STATUS_LABELS["unreached"]
LABEL_UNDER_CLEAR = STATUS_LABELS["under_sig"]
LABEL_UNDER_MAYBE = STATUS_LABELS["under"]
LABEL_OK = STATUS_LABELS["ok"]
LABEL_OVER = STATUS_LABELS["over"]
LABEL_TOO_FEW = STATUS_LABELS["few"]
LABEL_UNCERTAIN = STATUS_LABELS["uncertain"]
# 'uncertain' too, when the verdict changes inside the reference's own range
# (BuurtReference.margins): the buurt figures, not the respondents, leave it open
LABEL_REFERENCE_UNCERTAIN = "onzeker: marge in de buurtcijfers"


def category_status(flag: str, significant: bool, expected: float, *, uncertain: bool = False,
                    reference_uncertain: bool = False) -> str:
    """The one status decision of a category (a key of STATUS_LABELS).

    In this order: 'uncertain' when the unknowns could turn the verdict around, or when it
    changes inside the reference's own range (`range_uncertain`); nobody heard; fewer than MIN_EXPECTED expected (a ratio on 2
    expected people means nothing); under (clearly when significant after Holm, else
    maybe); over; in line."""
    if uncertain or reference_uncertain:
        return "uncertain"
    if flag == "unreached":
        return "unreached"
    if expected < MIN_EXPECTED:
        return "few"
    if flag == "under":
        return "under_sig" if significant else "under"
    return "over" if flag == "over" else "ok"


def status_label(status: str, uncertain_pct: int | None = None) -> str:
    """The Dutch label of a status; 'onzeker: 55% onbekend' needs the unknown share."""
    text = STATUS_LABELS[status]
    if status == "uncertain":
        return text.format(pct=uncertain_pct if uncertain_pct is not None else "?")
    return text


def category_label(flag: str, significant: bool, expected: float,
                   uncertain_pct: int | None = None, *, reference_uncertain: bool = False) -> str:
    """status_label(category_status(...)): 'onzeker: 55% onbekend' when `uncertain_pct` is
    given, else 'onzeker: marge in de buurtcijfers' when `reference_uncertain`."""
    if reference_uncertain and uncertain_pct is None:
        return LABEL_REFERENCE_UNCERTAIN
    status = category_status(flag, significant, expected, uncertain=uncertain_pct is not None)
    return status_label(status, uncertain_pct)


def status_table() -> dict[tuple[int, bool, bool], str]:
    """(flag code, expected < MIN_EXPECTED, significant) → status, for vectorised callers
    (engagement.batch) that look the decision up instead of writing it again."""
    return {(code, low, sig): category_status(FLAGS[code], sig, 0.0 if low else MIN_EXPECTED)
            for code in range(len(FLAGS)) for low in (False, True) for sig in (False, True)}


# ---------------------------------------------------------------------------- group phrases

# How a group is named in a sentence ("… zijn duidelijk ondervertegenwoordigd", "Spreek
# nog 12 …"). Plural, lower case. A gemeente may override these in the advice rules
# (engagement/data/outreach_rules.yaml, `groups:`).
GROUP_PHRASES: dict[str, str] = {
    "age:0-15": "kinderen tot 15 jaar",
    "age:15-25": "jongeren van 15 tot 25 jaar",
    "age:16-25": "jongeren van 16 tot 25 jaar",
    "age:18-25": "jongeren van 18 tot 25 jaar",
    "age:25-45": "mensen van 25 tot 45 jaar",
    "age:45-65": "mensen van 45 tot 65 jaar",
    "age:65+": "65-plussers",
    "age:65-75": "mensen van 65 tot 75 jaar",
    "age:75+": "75-plussers",
    "gender:man": "mannen",
    "gender:vrouw": "vrouwen",
    "gender:anders": "mensen die zich niet man of vrouw noemen",
    "household:eenpersoons": "alleenwonenden",
    "household:paar_zonder_kinderen": "huishoudens zonder kinderen",
    "household:met_kinderen": "gezinnen met kinderen",
    "tenure:koop": "eigenaar-bewoners",
    "tenure:huur_corporatie": "huurders van een woningcorporatie",
    "tenure:huur_overig": "huurders van een particuliere verhuurder",
    "origin:nederland": "mensen met een Nederlandse herkomst",
    "origin:europa": "mensen met een Europese herkomst (buiten Nederland)",
    "origin:buiten_europa": "mensen met een herkomst buiten Europa",
}
# The same phrases by category code alone (codes are unique across dimensions), for
# callers that only know the category.
PHRASES_BY_CATEGORY: dict[str, str] = {key.split(":", 1)[1]: text for key, text in GROUP_PHRASES.items()}


def group_phrase(dimension: str, category: str, overrides: dict[str, str] | None = None,
                 min_age: int | None = None) -> str:
    """Plural noun phrase for a group in a sentence: 'huurders van een woningcorporatie'.

    `overrides` ("dimension:category" → phrase) win; a profile reads 'bewoners uit het
    profiel X'; an unknown group 'mensen met leeftijd '30-40''. With `min_age` an age band
    that starts below it is named from that age (see `counted_band`)."""
    key = f"{dimension}:{category}"
    if overrides and key in overrides:
        return age_words(overrides[key], min_age)
    counted = counted_band(dimension, category, min_age)
    if counted is not None:
        own = GROUP_PHRASES.get(f"age:{_band_key(counted)}")
        if own:
            return own
        base = GROUP_PHRASES.get(key, "")
        raised = age_words(base, min_age)
        return raised if raised != base else f"mensen van {band_text(counted)}"
    if key in GROUP_PHRASES:
        return GROUP_PHRASES[key]
    if dimension == "profile":
        return f"bewoners uit het profiel {category}"
    dim_label = DIMENSION_LABELS.get(dimension, dimension).lower()
    return f"mensen met {dim_label} '{label(category).lower()}'"


# ---------------------------------------------------------------------------- age bands and min_age

_BAND_IN_TEXT = re.compile(r"(?<![\d,.])(\d{1,3}) tot (\d{1,3}) jaar")


def _band_key(band: AgeBand) -> str:
    low = int(band.low)
    return f"{low}+" if band.is_open else f"{low}-{int(band.high)}"


def age_words(text: str, min_age: int | None) -> str:
    """A text from another part of the library that names an age band as 'X tot Y jaar'
    ('jongeren van 15 tot 25 jaar', a coverage warning, an advice) with the band's lower
    bound raised to the minimum age where only people from that age count. Other text
    is unchanged; the bounds are read by surveys.age_bands."""
    if not min_age or not text or " tot " not in text:
        return text

    def raise_low(match: re.Match) -> str:
        band = parse_band(match.group(0))
        if band is None or not band.low < float(min_age) < band.high:
            return match.group(0)
        return band_text(AgeBand(float(min_age), band.high))

    return _BAND_IN_TEXT.sub(raise_low, text)


def join_phrases(parts: list[str]) -> str:
    """Dutch enumeration: 'a', 'a en b', 'a, b en c'."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def category_phrase(category: str, min_age: int | None = None) -> str:
    """group_phrase for a caller that only knows the category code."""
    if counted_band(None, category, min_age) is not None:
        return group_phrase("age", category, min_age=min_age)
    return PHRASES_BY_CATEGORY.get(category, label(category).lower())
