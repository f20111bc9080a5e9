"""Likert scales: recognise an answer scale from its labels and code answers as numbers.

Dutch and English 5- and 7-point scales (agreement, frequency, satisfaction, importance,
quality) and the Dutch "rapportcijfer" 1-10. Non-substantive answers such as "weet niet",
"geen mening" and "n.v.t." are missing, never the neutral middle: counting them as neutral
would pull every profile towards the centre.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

MISSING_ANSWERS = frozenset({
    "", "weet niet", "weet ik niet", "ik weet het niet", "geen mening", "geen idee",
    "nvt", "n v t", "niet van toepassing", "geen antwoord", "wil ik niet zeggen",
    "zeg ik liever niet", "wil niet zeggen", "dont know", "do not know", "i dont know",
    "no opinion", "not applicable", "n a", "na", "prefer not to say", "no answer",
    "kan ik niet beoordelen", "niet beantwoord", "onbekend", "nan", "none",
})


def normalize_label(value: Any) -> str:
    """Casefold, drop accents and punctuation, collapse whitespace: 'Mee eens!' → 'mee eens'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _normalize(str(value))


@lru_cache(maxsize=100_000)
def _normalize(value: str) -> str:
    """Answers repeat a lot, so the normalised form is cached."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("'", "").replace("’", "")
    text = re.sub(r"[^\w+]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def is_missing_answer(value: Any) -> bool:
    """True for empty cells and non-substantive answers ('weet niet', 'n.v.t.', …)."""
    return normalize_label(value) in MISSING_ANSWERS


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale: `levels[i]` holds the normalised synonyms of step i+1."""

    name: str
    labels: tuple[str, ...]           # the display label of each step, lowest first
    levels: tuple[frozenset[str], ...]

    @property
    def points(self) -> int:
        return len(self.levels)

    def code(self, value: Any) -> float:
        """Step number 1..points, or NaN for missing and unknown answers."""
        key = normalize_label(value)
        if key in MISSING_ANSWERS:
            return math.nan
        for step, synonyms in enumerate(self.levels, start=1):
            if key in synonyms:
                return float(step)
        return math.nan

    def knows(self, value: Any) -> bool:
        key = normalize_label(value)
        return key in MISSING_ANSWERS or any(key in s for s in self.levels)


def _scale(name: str, *steps: str) -> Scale:
    """Each step is 'Display label|synonym|synonym'."""
    labels = tuple(step.split("|")[0] for step in steps)
    levels = tuple(frozenset(normalize_label(s) for s in step.split("|")) for step in steps)
    return Scale(name, labels, levels)


_NEUTRAL_NL = ("Neutraal|noch mee eens noch mee oneens|niet mee eens niet mee oneens"
               "|niet eens niet oneens|niet oneens en niet eens|niet eens en niet oneens"
               "|noch eens noch oneens|eens noch oneens|neutraal|neither|midden")
_NEUTRAL_EN = "Neither agree nor disagree|neutral|neither agree or disagree|neither"

SCALES: tuple[Scale, ...] = (
    _scale("eens5", "Helemaal mee oneens|helemaal oneens|zeer mee oneens|zeer oneens"
           "|volledig mee oneens", "Mee oneens|oneens", _NEUTRAL_NL, "Mee eens|eens",
           "Helemaal mee eens|helemaal eens|zeer mee eens|zeer eens|volledig mee eens"),
    _scale("eens7", "Helemaal mee oneens|helemaal oneens|zeer mee oneens|zeer oneens",
           "Mee oneens|oneens", "Enigszins mee oneens|een beetje mee oneens|beetje oneens"
           "|enigszins oneens|eerder oneens", _NEUTRAL_NL, "Enigszins mee eens"
           "|een beetje mee eens|beetje eens|enigszins eens|eerder eens", "Mee eens|eens",
           "Helemaal mee eens|helemaal eens|zeer mee eens|zeer eens"),
    _scale("agree5", "Strongly disagree", "Disagree", _NEUTRAL_EN, "Agree", "Strongly agree"),
    _scale("agree7", "Strongly disagree", "Disagree", "Somewhat disagree|slightly disagree",
           _NEUTRAL_EN, "Somewhat agree|slightly agree", "Agree", "Strongly agree"),
    _scale("vaak5", "Nooit", "Zelden|bijna nooit", "Soms|af en toe", "Vaak|regelmatig",
           "Altijd|heel vaak|zeer vaak|bijna altijd"),
    _scale("often5", "Never", "Rarely|seldom", "Sometimes|occasionally", "Often",
           "Always|very often"),
    _scale("tevreden5", "Zeer ontevreden|heel ontevreden|helemaal ontevreden", "Ontevreden",
           "Neutraal|niet tevreden niet ontevreden|niet ontevreden niet tevreden"
           "|noch tevreden noch ontevreden|neutraal", "Tevreden",
           "Zeer tevreden|heel tevreden|helemaal tevreden"),
    _scale("tevreden7", "Zeer ontevreden|heel ontevreden", "Ontevreden",
           "Enigszins ontevreden|een beetje ontevreden|beetje ontevreden",
           "Neutraal|niet tevreden niet ontevreden|noch tevreden noch ontevreden",
           "Enigszins tevreden|een beetje tevreden|beetje tevreden", "Tevreden",
           "Zeer tevreden|heel tevreden"),
    _scale("satisfied5", "Very dissatisfied", "Dissatisfied",
           "Neither satisfied nor dissatisfied|neutral", "Satisfied", "Very satisfied"),
    _scale("satisfied7", "Very dissatisfied", "Dissatisfied", "Somewhat dissatisfied",
           "Neither satisfied nor dissatisfied|neutral", "Somewhat satisfied", "Satisfied",
           "Very satisfied"),
    _scale("belangrijk5", "Helemaal niet belangrijk|totaal niet belangrijk",
           "Niet belangrijk|onbelangrijk", "Neutraal|niet belangrijk niet onbelangrijk"
           "|enigszins belangrijk|een beetje belangrijk", "Belangrijk",
           "Heel belangrijk|zeer belangrijk"),
    _scale("important5", "Not at all important", "Slightly important",
           "Moderately important", "Very important", "Extremely important"),
    _scale("goed5", "Zeer slecht|heel slecht", "Slecht", "Neutraal|niet goed niet slecht"
           "|matig|redelijk", "Goed", "Zeer goed|heel goed|uitstekend"),
    _scale("good5", "Very poor", "Poor", "Fair|average", "Good", "Very good|excellent"),
)

MARK_SCALE = Scale("cijfer10", tuple(str(i) for i in range(1, 11)),
                   tuple(frozenset({str(i)}) for i in range(1, 11)))

_MARK_HINT = re.compile(r"\b(rapport)?cijfer|\bscore\b|\bschaal van 1\b|\b1 tot (en met )?10\b"
                        r"|\bgeef\b.*\bcijfer|\brate\b|\brating\b")


def match_scale(values: Iterable[Any], *, header: str = "") -> Scale | None:
    """The smallest known scale that explains every answer, or None.

    Needs at least two distinct substantive answers, so a column where everyone said
    'Mee eens' is still recognised but a lone 'Ja' is not.
    """
    values = [v for v in dict.fromkeys(values) if not is_missing_answer(v)]
    if not values:
        return None
    numbers = _as_numbers(values)
    if numbers is not None:
        if numbers <= set(range(1, 11)) and len(numbers) >= 2 and _MARK_HINT.search(
                normalize_label(header)):
            return MARK_SCALE
        return None
    keys = {normalize_label(v) for v in values}
    if len(keys) < 2 and not any(len(k.split()) >= 2 for k in keys):
        return None
    fitting = [s for s in SCALES if all(any(k in lvl for lvl in s.levels) for k in keys)]
    if not fitting:
        return None
    return min(fitting, key=lambda s: s.points)


def _as_numbers(values: list[Any]) -> set[float] | None:
    """The answers as a set of numbers, or None when any answer is not a number."""
    numbers = set()
    for value in values:
        try:
            numbers.add(float(str(value).strip().replace(",", ".")))
        except ValueError:
            return None
    return numbers


def scale_from_labels(labels: Iterable[str]) -> Scale | None:
    """Find the scale again from a Question.scale tuple (its labels, lowest first)."""
    labels = tuple(labels)
    if labels == MARK_SCALE.labels:
        return MARK_SCALE
    for scale in SCALES:
        if len(scale.levels) == len(labels) and all(
                normalize_label(lab) in lvl for lab, lvl in zip(labels, scale.levels)):
            return scale
    return match_scale(labels)


def code_answers(values: Iterable[Any], scale_labels: Iterable[str]) -> list[float]:
    """Code raw answers to 1..k against a Question.scale (NaN for missing/unknown)."""
    scale = scale_from_labels(scale_labels)
    if scale is None:
        return [math.nan for _ in values]
    if scale is MARK_SCALE:
        out = []
        for v in values:
            try:
                number = float(str(v).replace(",", "."))
            except (TypeError, ValueError):
                number = math.nan
            out.append(number if 1 <= number <= 10 else math.nan)
        return out
    return [scale.code(v) for v in values]


def scale_labels_for(scale: Scale, observed: Iterable[Any]) -> tuple[str, ...]:
    """Scale labels lowest first, using the wording of the export where it was seen."""
    seen: dict[int, str] = {}
    for value in observed:
        code = scale.code(value)
        if not math.isnan(code):
            seen.setdefault(int(code), str(value).strip())
    return tuple(seen.get(i, label) for i, label in enumerate(scale.labels, start=1))
