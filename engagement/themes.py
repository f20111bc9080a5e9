"""Themes check: which themes each group raised, and which groups we did not hear on a theme.

Stap 3 of the Aanpak Toekomstbestendige wijk asks whether issues were missed because some
groups were not heard. Open answers (`text:<key>`, already redacted at import) and
"welke onderwerpen" multi-selects (`multi:<key>:<option>`) are mapped to themes from a
Dutch dictionary kept as data (data/themes.yaml), so a team can extend it without code.

Matching rule (also in the YAML header, for the team):
- Text and dictionary are lower-cased and stripped of accents; redaction markers
  ("[naam]") are ignored. A word matches a term when the word or its lemma (simplemma,
  Dutch) equals the term or the term's lemma. A term's lemma is only used when it has at
  least 5 letters: "jongeren" lemmatises to "jong", which would make "jonge bomen" a hit.
- Compounds: a term of at least 5 letters also matches as the first or the last part of a
  longer word when at least 3 letters are left over ("afval" → "zwerfafval", "afvalbak";
  "speeltuin" → "kinderspeeltuin"). The last part is also compared through its lemma, so
  "energierekeningen" ends in "rekening". Shorter stems ("huis", "werk", "park", "roken")
  do not take part in compounds: they give too many false hits ("buurthuis", "werkgroep",
  "parkeren", "gebroken"). A team can still name a short part explicitly: "speel-" (first
  part only) or "-poep" (last part only).
- Phrases ("rond te komen") match word by word, each word by the rule above but without
  compounds; "*" stands for exactly one word, "..." for zero to three words.
- `exclude` words (same rule, but as written, not lemmatised) cancel a hit of their own
  theme in that word only ("groenteboer" is not Groen).
- `places` are words that raise a theme unless they only say where something happens:
  "de stoep is kapot" raises Onderhoud, "hondenpoep op de stoep" does not (a place word
  right after a preposition of place, perhaps with an article between, counts as a place).
  This also holds for a place word that matched as a term ("rond het winkelcentrum").
- `context` rules handle words with two meanings: a rule names words (as written, also as a
  compound part, not through the lemma) and `not_with` and/or `only_with` words (matched like
  terms) that must not / must stand within CONTEXT_WINDOW words in the same sentence. It only
  removes a hit of its own theme from that word: "onderhoud" next to "woning" is not Onderhoud
  en openbare ruimte, "sport" is Gezondheid only next to "bewegen" or "gezond", "groen" next
  to "stoplicht" is no Groen.
- Word forms besides the lemma: the base of a diminutive ("bankje" → "bank", also when
  simplemma does not know the word), a plural -s without apostrophe of an unknown word
  ("autos"), a compound written as two words when the joined word is a term ("vuilnis
  zakken"), and a one-letter typo of a term of at least 8 letters in a word simplemma does
  not know ("speeltuijn"; a real word such as "verplichting" is never read as a typo).
- Negation is not handled: "geen overlast" still raises the theme Overlast, which is what
  "raised" means here.
- An open answer of at most 3 words is read like a topic option: a word of a theme's label
  counts too ("Betaalbaar wonen" → Wonen).

This module only counts. Small-cell suppression of the matrix is done in reports/themes.py
(one privacy module for every export), which engagement must not import.
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import simplemma
import yaml

from engagement.stats import wilson
from profiles.coverage import cbs_age_band
from surveys.errors import BereikwijzerError

logger = logging.getLogger(__name__)

THEMES_PATH = Path(__file__).parent / "data" / "themes.yaml"
DIMENSIONS = ("age_band", "gender", "household", "tenure", "origin", "channel")
AGE_COLUMNS = {"age", "age_low", "age_high", "age_band"}
DIMENSION_NAMES = {"age_band": "age"}     # the JSON calls the age dimension "age", as coverage does

MIN_COMPOUND_PART = 5      # a term this long also matches as part of a compound word
MIN_EXPLICIT_PART = 3      # "speel-" / "-poep": a part the team named explicitly
MIN_REST = 3               # letters left over for the other part of the compound
MIN_LEMMA = 5              # a term's lemma shorter than this is not used ("jongeren" → "jong")
MIN_FUZZY = 8              # a word this long that simplemma does not know may be a typo of a term

SILENT_MIN_GROUP = 10      # a silent group has at least this many respondents
SILENT_MIN_THEME = 10      # … on a theme raised by at least this many respondents overall
SILENT_MIN_EXPECTED = 3.0  # … and with at least 3 expected mentions (P(0 by chance) ≤ e⁻³ ≈ 5%)
ONLY_FROM_MIN_MENTIONS = 10   # "vooral van …" needs at least this many mentions
ONLY_FROM_SHARE = 0.75        # one group supplies at least 75% of the mentions …
ONLY_FROM_MAX_GROUP_SHARE = 0.5  # … while it is at most half of the respondents
MIN_SUGGEST_TEXTS = 30
SHORT_ANSWER_WORDS = 3   # "Spelen voor kinderen" in a text column is a topic name: label words count

_FIELDS = {"label", "terms", "exclude", "places", "context", "replace", "remove"}
_RULE_FIELDS = {"words", "only_with", "not_with"}
CONTEXT_WINDOW = 10        # a context word counts within this many words, in the same sentence
# A place word after one of these (and perhaps an article) says where, not what: "op de stoep".
PLACE_PREPOSITIONS = frozenset("bij op in rond rondom naast voor achter langs tegenover aan onder boven "
                               "naar vanaf vanuit van door tussen nabij vlakbij richting na over".split())
_DETERMINERS = frozenset("de het een die dat deze dit onze ons mijn mn hun zijn haar jullie uw "
                         "daar hier hele gehele heel halve".split())   # "in het hele portiek" says where
_MARKER = re.compile(r"\[[a-z\-]{1,20}\]")
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:-[a-z0-9]+(?:['’][a-z]+)?)*|[.!?;:,()\n]")
BOUNDARY = "|"   # a punctuation token: places and phrases do not reach across it
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


class ThemesFileError(BereikwijzerError, ValueError):
    """A theme file that cannot be used; the message is Dutch and names file and theme."""


# --------------------------------------------------------------------------- dictionary

@dataclass(frozen=True)
class ContextRule:
    """An ambiguous word that raises its theme only in some company: "onderhoud" is
    Onderhoud en openbare ruimte, except next to "woning" or "verhuurder" (then it is the
    dwelling); "sport" is Gezondheid only next to "bewegen" or "gezond".

    `words` are matched as written (with compounds, not through their lemma, like
    `exclude`); `only_with` and `not_with` like terms (lemma and compounds), within
    CONTEXT_WINDOW words in the same sentence.
    """

    words: tuple[str, ...]
    only_with: tuple[str, ...] = ()
    not_with: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"words": list(self.words)}
        if self.only_with:
            out["only_with"] = list(self.only_with)
        if self.not_with:
            out["not_with"] = list(self.not_with)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ContextRule:
        return cls(words=tuple(data.get("words") or ()), only_with=tuple(data.get("only_with") or ()),
                   not_with=tuple(data.get("not_with") or ()))


@dataclass(frozen=True)
class Theme:
    """One theme: a stable key, the Dutch label the user sees, its terms and exclusions."""

    key: str
    label: str
    terms: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    context: tuple[ContextRule, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "terms": list(self.terms),
                "exclude": list(self.exclude), "places": list(self.places),
                "context": [r.to_dict() for r in self.context]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Theme:
        """Also reads a dictionary saved before `context` existed."""
        return cls(key=str(data["key"]), label=str(data["label"]),
                   terms=tuple(data.get("terms") or ()), exclude=tuple(data.get("exclude") or ()),
                   places=tuple(data.get("places") or ()),
                   context=tuple(ContextRule.from_dict(r) for r in data.get("context") or ()))


@dataclass(frozen=True)
class ThemeDictionary:
    """The themes in display order."""

    themes: tuple[Theme, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.themes)

    def label(self, key: str) -> str:
        for theme in self.themes:
            if theme.key == key:
                return theme.label
        return key

    def to_dict(self) -> dict[str, Any]:
        return {"themes": [t.to_dict() for t in self.themes]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ThemeDictionary:
        return cls(themes=tuple(Theme.from_dict(t) for t in data.get("themes") or ()))

    def to_yaml(self) -> str:
        """The dictionary in the file format, for a team that wants to start its own file."""
        body: dict[str, dict[str, Any]] = {}
        for t in self.themes:
            body[t.key] = {"label": t.label, "terms": list(t.terms), "exclude": list(t.exclude),
                           "places": list(t.places)}
            if t.context:      # left out when empty: the file looks as it did before context rules
                body[t.key]["context"] = [r.to_dict() for r in t.context]
        return yaml.safe_dump({"themes": body}, allow_unicode=True, sort_keys=False, width=100)


def _read_yaml(source: Path | str | bytes | Mapping[str, Any], name: str | None) -> tuple[Any, str]:
    if isinstance(source, Mapping):
        return source, name or "thema's"
    if isinstance(source, bytes):
        name = name or "themabestand"
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ThemesFileError(f"Het themabestand '{name}' is geen tekst in UTF-8.") from error
    else:
        path = Path(source)
        name = name or path.name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise ThemesFileError(f"Het themabestand '{name}' bestaat niet.") from error
        except (OSError, UnicodeDecodeError) as error:
            raise ThemesFileError(f"Het themabestand '{name}' kan niet worden gelezen als tekst.") from error
    try:
        return yaml.safe_load(text), name
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (regel {where.line + 1})" if where is not None else ""
        raise ThemesFileError(f"Het themabestand '{name}' is geen geldige YAML{line}. "
                              "Let op inspringen en dubbele punten.") from error


def _words_list(value: Any, name: str, key: str, field_name: str, *, single: bool = False
                ) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ThemesFileError(f"In '{name}' moet '{field_name}' bij thema '{key}' een lijst met woorden zijn.")
    out = []
    for number, item in enumerate(value, start=1):
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise ThemesFileError(f"In '{name}' is woord {number} van '{field_name}' bij thema '{key}' "
                                  "geen tekst.")
        text = " ".join(str(item).split())
        letters = re.sub(r"[^\w]", "", _plain(text.replace("*", "")))
        if len(letters) < 2:
            raise ThemesFileError(f"In '{name}' is woord {number} van '{field_name}' bij thema '{key}' "
                                  f"te kort ('{text}'): gebruik minstens 2 letters.")
        if (text.startswith("-") or text.endswith("-")) and len(letters) < MIN_EXPLICIT_PART:
            raise ThemesFileError(f"In '{name}' is het woorddeel '{text}' bij thema '{key}' te kort: "
                                  f"een deel van een samengesteld woord heeft minstens {MIN_EXPLICIT_PART} letters.")
        if single and len(_plain(text).split()) > 1:
            raise ThemesFileError(f"In '{name}' staat bij '{field_name}' van thema '{key}' meer dan één "
                                  f"woord ('{text}'); zet daar alleen losse woorden.")
        out.append(text)
    return tuple(out)


def _context_rules(value: Any, name: str, key: str) -> tuple[ContextRule, ...]:
    """The checked `context:` list of a theme: each rule has `words` and `only_with` and/or `not_with`."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ThemesFileError(f"In '{name}' moet 'context' bij thema '{key}' een lijst zijn, met per regel "
                              "'words' en 'only_with' of 'not_with'.")
    rules = []
    for number, item in enumerate(value, start=1):
        where = f"regel {number} van 'context' bij thema '{key}'"
        if not isinstance(item, Mapping):
            raise ThemesFileError(f"In '{name}' moet {where} 'words' en 'only_with' of 'not_with' hebben.")
        extra = set(map(str, item)) - _RULE_FIELDS
        if extra:
            raise ThemesFileError(f"In '{name}' heeft {where} een onbekend veld '{sorted(extra)[0]}'. "
                                  "Toegestaan: words, only_with, not_with.")
        field_name = f"context (regel {number})"
        words = _words_list(item.get("words"), name, key, field_name, single=True)
        only = _words_list(item.get("only_with"), name, key, field_name, single=True)
        never = _words_list(item.get("not_with"), name, key, field_name, single=True)
        if not words or not (only or never):
            raise ThemesFileError(f"In '{name}' mist {where} 'words' of een lijst bij 'only_with' of "
                                  "'not_with'.")
        rules.append(ContextRule(words, only, never))
    return tuple(rules)


def _parse(data: Any, name: str) -> dict[str, dict[str, Any]]:
    """The checked theme entries of a file: {key: {label?, terms, exclude, replace, remove}}."""
    if not isinstance(data, Mapping) or not isinstance(data.get("themes"), Mapping):
        raise ThemesFileError(f"Het themabestand '{name}' mist de lijst 'themes:' met per thema "
                              "een sleutel, een 'label' en 'terms'.")
    unknown_top = set(data) - {"themes"}
    if unknown_top:
        raise ThemesFileError(f"Het themabestand '{name}' heeft een onbekend onderdeel "
                              f"'{sorted(map(str, unknown_top))[0]}'; alleen 'themes:' is toegestaan.")
    out: dict[str, dict[str, Any]] = {}
    for raw_key, entry in data["themes"].items():
        key = str(raw_key).strip()
        if not re.fullmatch(r"[a-z0-9_]{2,40}", key):
            raise ThemesFileError(f"In '{name}' is '{key}' geen goede themasleutel: gebruik kleine letters, "
                                  "cijfers en _ (bijvoorbeeld 'hondenuitlaat').")
        if entry is None:
            entry = {}
        if not isinstance(entry, Mapping):
            raise ThemesFileError(f"In '{name}' moet thema '{key}' een 'label' en 'terms' hebben.")
        extra = set(map(str, entry)) - _FIELDS
        if extra:
            bad = sorted(extra)[0]
            raise ThemesFileError(f"In '{name}' heeft thema '{key}' een onbekend veld '{bad}'. "
                                  "Toegestaan: label, terms, exclude, places, context, replace, remove.")
        label = entry.get("label")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            raise ThemesFileError(f"In '{name}' moet 'label' bij thema '{key}' een tekst zijn.")
        for flag in ("replace", "remove"):
            if flag in entry and not isinstance(entry[flag], bool):
                raise ThemesFileError(f"In '{name}' moet '{flag}' bij thema '{key}' true of false zijn.")
        out[key] = {"label": label.strip() if isinstance(label, str) else None,
                    "terms": _words_list(entry.get("terms"), name, key, "terms"),
                    "exclude": _words_list(entry.get("exclude"), name, key, "exclude", single=True),
                    "places": _words_list(entry.get("places"), name, key, "places", single=True),
                    "context": _context_rules(entry.get("context"), name, key),
                    "replace": bool(entry.get("replace", False)),
                    "remove": bool(entry.get("remove", False))}
    return out


def merge_themes(base: ThemeDictionary, overlay: Path | str | bytes | Mapping[str, Any], *,
                 name: str | None = None) -> ThemeDictionary:
    """`base` with a team's own theme file laid over it (same shape as data/themes.yaml).

    An existing theme gets the new terms added (or replaced with `replace: true`), a new
    key adds a theme (label and terms required), `remove: true` drops one. Raises
    ThemesFileError with a Dutch message naming the file and the theme.
    """
    data, name = _read_yaml(overlay, name)
    entries = _parse(data, name)
    themes = {t.key: t for t in base.themes}
    order = list(themes)
    for key, entry in entries.items():
        if entry["remove"]:
            themes.pop(key, None)
            continue
        old = themes.get(key)
        if old is None:
            if not entry["label"] or not entry["terms"]:
                raise ThemesFileError(f"In '{name}' is '{key}' een nieuw thema; geef het een 'label' "
                                      "en minstens één woord bij 'terms'.")
            themes[key] = Theme(key, entry["label"], _unique(entry["terms"]), _unique(entry["exclude"]),
                                _unique(entry["places"]), _unique(entry["context"]))
            order.append(key)
            continue
        terms = entry["terms"] if entry["replace"] else old.terms + entry["terms"]
        exclude = entry["exclude"] if entry["replace"] else old.exclude + entry["exclude"]
        places = entry["places"] if entry["replace"] else old.places + entry["places"]
        context = entry["context"] if entry["replace"] else old.context + entry["context"]
        if not terms and not places:
            raise ThemesFileError(f"In '{name}' houdt thema '{key}' geen woorden over; "
                                  "geef woorden bij 'terms' of gebruik 'remove: true'.")
        themes[key] = Theme(key, entry["label"] or old.label, _unique(terms), _unique(exclude),
                            _unique(places), _unique(context))
    return ThemeDictionary(tuple(themes[k] for k in order if k in themes))


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


@lru_cache(maxsize=1)
def default_themes() -> ThemeDictionary:
    """The dictionary shipped with Bereikwijzer (data/themes.yaml)."""
    return merge_themes(ThemeDictionary(()), THEMES_PATH)


def load_themes(extra: Path | str | bytes | Mapping[str, Any] | None = None, *,
                name: str | None = None) -> ThemeDictionary:
    """The default dictionary, with the team's own file (path, uploaded bytes or a parsed
    mapping) merged over it when given."""
    base = default_themes()
    return base if extra is None else merge_themes(base, extra, name=name)


# --------------------------------------------------------------------------- matching

def _plain(text: str) -> str:
    """Lower case without accents: 'Geïsoleerd' → 'geisoleerd'."""
    text = str(text)
    if text.isascii():        # most answers: no accents to strip
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    try:
        return simplemma.lemmatize(word, lang="nl").lower()
    except (ValueError, TypeError):   # simplemma refuses odd input; the word itself is enough
        return word


def _clean_word(word: str) -> str:
    """'auto's' → 'auto', "zo'n" → 'zon'."""
    if "'" not in word and "’" not in word:
        return word
    word = re.sub(r"['’]s$", "", word)
    return word.replace("'", "").replace("’", "")


def _tokens(text: str) -> tuple[list[str], list[str]]:
    """(words in order, extra words): a hyphenated 'speel-tuin' gives its head 'tuin' in
    order and the joined 'speeltuin' as an extra word; punctuation gives one BOUNDARY."""
    words, extra = _tokens_at(text)
    return words, [word for _, word in extra]


def _tokens_at(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Like _tokens, with the position of each extra word (the position of its head)."""
    plain = _MARKER.sub(" ", _plain(text))
    words: list[str] = []
    extra: list[tuple[int, str]] = []
    for chunk in _WORD.findall(plain):
        if not chunk[0].isalnum():
            if words and words[-1] != BOUNDARY:
                words.append(BOUNDARY)
            continue
        parts = [p for p in (_clean_word(x) for x in chunk.split("-")) if p]
        if not parts:
            continue
        words.append(parts[-1])      # "auto-inbraken": the head counts as a word, "auto" only as a
        if len(parts) > 1:           # first part of the joined compound (same rule as "autoinbraken")
            extra.append((len(words) - 1, "".join(parts)))
    return words, extra


_DIMINUTIVE = re.compile(r"(?:etje|tje|pje|je)s?$")
_DOUBLED = re.compile(r"([bdfgklmnprst])\1$")


def _diminutive_bases(word: str) -> set[str]:
    """Possible bases of a diminutive: 'bankje' → 'bank', 'pleintje' → 'plein', 'karretje' →
    'kar'; wrong guesses ('pleint') find nothing in the dictionary and cost nothing."""
    out: set[str] = set()
    if not word.endswith(("je", "jes")):
        return out
    stem = word[:-1] if word.endswith("s") else word
    for ending in ("etje", "tje", "pje", "je"):
        if stem.endswith(ending) and len(stem) - len(ending) >= 4:
            base = stem[: -len(ending)]
            out.add(base)
            if ending == "etje":
                out.add(_DOUBLED.sub(r"\1", base))
    return out


@lru_cache(maxsize=200_000)
def _word_forms(word: str) -> frozenset[str]:
    """The word, its lemma, the base of a diminutive ('speeltuintje' → 'speeltuin', also when
    simplemma does not know it), the infinitive of a present participle simplemma leaves as
    it is ('gillende' → 'gillen') and, for a word simplemma does not know, the word without a
    plural -s written without apostrophe ('autos' → 'auto')."""
    lemma = _lemma(word)
    out = {word, lemma} | _diminutive_bases(word) | _diminutive_bases(lemma)
    if len(word) >= 7 and word.endswith(("ende", "end")) and lemma == word:
        out.add(word[:-2] if word.endswith("ende") else word[:-1])   # "gillende" → "gillen"
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss") and not _known(word):
        out.add(word[:-1])
    return frozenset(out)


@lru_cache(maxsize=200_000)
def _known(word: str) -> bool:
    try:
        return bool(simplemma.is_known(word, lang="nl"))
    except (ValueError, TypeError):
        return True


def _term_keys(word: str) -> set[str]:
    lemma = _lemma(word)
    return {word, lemma} if len(lemma) >= MIN_LEMMA else {word}


class _Lexicon:
    """Lookup tables from word keys, first parts and last parts of compounds to themes."""

    def __init__(self) -> None:
        self.exact: dict[str, set[str]] = {}
        self.prefix: dict[str, set[str]] = {}
        self.suffix: dict[str, set[str]] = {}
        self.phrases: dict[str, list[tuple[tuple[frozenset[str], ...], str]]] = {}

    def add(self, term: str, theme: str, *, literal: bool = False) -> None:
        """Index one term; `literal` (exclusions) uses the word as written, not its lemma:
        the lemma of "speelden" is "spelen", which would exclude "buitenspelen"."""
        text = _plain(term).strip()
        if text.endswith("-") and " " not in text:
            self.prefix.setdefault(_clean_word(text.strip("-")), set()).add(theme)
            return
        if text.startswith("-") and " " not in text:
            self.suffix.setdefault(_clean_word(text.strip("-")), set()).add(theme)
            return
        if " " not in text and "*" not in text:       # one word; "re-integratie" → "reintegratie"
            word = _clean_word(_MARKER.sub("", text).replace("-", ""))
            if not word:
                return
            for key in ({word} if literal else _term_keys(word)):
                self.exact.setdefault(key, set()).add(theme)
                if len(key) >= MIN_COMPOUND_PART:
                    self.prefix.setdefault(key, set()).add(theme)
                    self.suffix.setdefault(key, set()).add(theme)
            return
        text = text.replace("…", " anygap ").replace("...", " anygap ").replace("*", " anyword ")
        words, _ = _tokens(text)
        pattern = tuple(_ANY if w == "anyword" else _GAP if w == "anygap" else frozenset(_term_keys(w))
                        for w in words)
        pattern = tuple(_trim(pattern))
        if not pattern:
            return
        for key in pattern[0]:
            self.phrases.setdefault(key, []).append((pattern, theme))

    def word(self, word: str, *, lemma: bool = True) -> set[str]:
        """Themes of one word: the word or one of its forms (lemma, diminutive base) exactly, or
        the written word as a compound (its first part as written, its last part as written or
        lemmatised). The lemma of the whole word is not split: "afvalt" → "afvallen" is no
        compound of afval. `lemma=False`: only the written word (context rule words)."""
        found: set[str] = set()
        for form in (_word_forms(word) if lemma else (word,)):
            found |= self.exact.get(form, set())
        n = len(word)
        for cut in range(MIN_EXPLICIT_PART, n - MIN_REST + 1):
            hit = self.prefix.get(word[:cut])
            if hit:
                found |= hit
        for cut in range(MIN_REST, n - MIN_EXPLICIT_PART + 1):
            head = word[cut:]
            hit = self.suffix.get(head)
            if hit:
                found |= hit
            if not lemma:
                continue
            head_lemma = _lemma(head)
            if head_lemma != head:
                hit = self.suffix.get(head_lemma)
                if hit:
                    found |= hit
        return found

    def first_parts(self) -> frozenset[str]:
        """First parts (≥ 3 letters, ≥ 3 letters left) of the single-word terms of at least 6
        letters: 'vuilnis' of 'vuilniszak'. A word written apart ("vuilnis zakken") is only
        joined with the next word when it is one of these."""
        out = set()
        for key in self.exact:
            for cut in range(MIN_EXPLICIT_PART, len(key) - MIN_REST + 1):
                out.add(key[:cut])
        return frozenset(out)

    def phrase_hits(self, forms: Sequence[set[str]]) -> set[str]:
        found: set[str] = set()
        if not self.phrases:
            return found
        for i, first in enumerate(forms):
            for key in first:
                for pattern, theme in self.phrases.get(key, ()):
                    if theme not in found and _phrase_at(pattern, forms, i):
                        found.add(theme)
        return found


_ANY = frozenset({"*"})     # exactly one word
_GAP = frozenset({"..."})   # zero to three words
MAX_GAP = 3


def _trim(pattern: tuple[frozenset[str], ...]) -> list[frozenset[str]]:
    """A phrase starts and ends with a real word: leading/trailing * and … say nothing."""
    out = list(pattern)
    while out and out[0] in (_ANY, _GAP):
        out.pop(0)
    while out and out[-1] in (_ANY, _GAP):
        out.pop()
    return out


def _phrase_at(pattern: Sequence[frozenset[str]], forms: Sequence[set[str]], at: int) -> bool:
    """Does `pattern` match the words from position `at` on?"""
    if not pattern:
        return True
    head, rest = pattern[0], pattern[1:]
    if head is _GAP:
        for skip in range(MAX_GAP + 1):
            if skip and (at + skip - 1 >= len(forms) or BOUNDARY in forms[at + skip - 1]):
                return False
            if _phrase_at(rest, forms, at + skip):
                return True
        return False
    if at >= len(forms) or BOUNDARY in forms[at]:
        return False
    if (head is _ANY) or head & forms[at]:
        return _phrase_at(rest, forms, at + 1)
    return False


def _one_swap_or_change(a: str, b: str) -> bool:
    """Two words of equal length that differ in one letter or in two swapped neighbours."""
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _located(words: Sequence[str], i: int) -> bool:
    """Does word i only say where ("op de stoep", "bij het buurthuis")?"""
    j = i - 1
    while j >= 0 and words[j] in _DETERMINERS:
        j -= 1
    return j >= 0 and words[j] in PLACE_PREPOSITIONS


class ThemeMatcher:
    """Finds the themes in a text with the module's matching rule (see the module docstring).

    Words are analysed once and cached, so a wijk of 3,000 answers costs little more than
    its distinct words.
    """

    def __init__(self, themes: ThemeDictionary | None = None) -> None:
        self.themes = themes or default_themes()
        self._include = _Lexicon()
        self._exclude = _Lexicon()
        self._places: dict[str, set[str]] = {}
        for theme in self.themes.themes:
            for term in theme.terms:
                self._include.add(term, theme.key)
            for term in theme.exclude:
                self._exclude.add(term, theme.key, literal=True)
            for term in theme.places:
                for key in _term_keys(_clean_word(_plain(term).strip())):
                    self._places.setdefault(key, set()).add(theme.key)
        # context rules: the rule words (as written) and the words of their company, by rule id
        self._rule_words = _Lexicon()
        self._company = _Lexicon()
        self._rules: dict[str, ContextRule] = {}
        for theme in self.themes.themes:
            for number, rule in enumerate(theme.context):
                rule_id = f"{theme.key}#{number}"
                self._rules[rule_id] = rule
                for word in rule.words:
                    self._rule_words.add(word, rule_id, literal=True)
                for word in rule.only_with:
                    self._company.add(word, rule_id + ":only")
                for word in rule.not_with:
                    self._company.add(word, rule_id + ":not")
        self._first_parts = self._include.first_parts()
        self._near: dict[str, set[str]] = {}      # one deletion of a long term → the terms (typos)
        for key in self._include.exact:
            if len(key) >= MIN_FUZZY:
                for cut in range(len(key)):
                    self._near.setdefault(key[:cut] + key[cut + 1:], set()).add(key)
        self._words: dict[str, frozenset[str]] = {}
        self._rule_ids: dict[str, frozenset[str]] = {}
        self._company_ids: dict[str, frozenset[str]] = {}
        self._texts: dict[str, frozenset[str]] = {}

    def word_themes(self, word: str) -> frozenset[str]:
        """Themes of one (plain, lower-case) word after exclusions: 'hondenpoep' → {'schoon_en_afval'}.
        A long word that matches nothing and that simplemma does not know is read as a typo
        of a long term when one letter differs ('speeltuijn' → speeltuin)."""
        hit = self._words.get(word)
        if hit is None:
            found = self._include.word(word)
            if not found and len(word) >= MIN_FUZZY and not _known(word):
                for key in self._typo_of(word):
                    found |= self._include.exact.get(key, set())
            hit = frozenset(found - self._exclude.word(word))
            self._words[word] = hit
        return hit

    def _typo_of(self, word: str) -> set[str]:
        """Terms of ≥ MIN_FUZZY letters one edit away: a letter too many, too few, another
        letter, or two letters swapped."""
        deletions = {word[:cut] + word[cut + 1:] for cut in range(len(word))}
        out = {d for d in deletions if d in self._include.exact and len(d) >= MIN_FUZZY}
        out |= self._near.get(word, set())
        for variant in deletions:
            for key in self._near.get(variant, ()):
                if len(key) == len(word) and _one_swap_or_change(word, key):
                    out.add(key)
        return out

    def _rules_of(self, word: str) -> frozenset[str]:
        found = self._rule_ids.get(word)
        if found is None:
            found = frozenset(self._rule_words.word(word, lemma=False))
            self._rule_ids[word] = found
        return found

    def _company_of(self, word: str) -> frozenset[str]:
        found = self._company_ids.get(word)
        if found is None:
            found = frozenset(self._company.word(word)) if word != BOUNDARY else frozenset()
            self._company_ids[word] = found
        return found

    def _joined_themes(self, first: str, second: str) -> set[str]:
        """A compound written as two words ("vuilnis zakken", "speel tuin") when the joined
        word is a term itself (not a compound of one): the first word must be the first part
        of a term."""
        if first not in self._first_parts or len(second) < 2:
            return set()
        found: set[str] = set()
        for tail in {second, _lemma(second)} | _diminutive_bases(second):
            joined = first + tail
            found |= self._include.exact.get(joined, set())
            if found:
                found -= self._exclude.word(joined)
        return found

    def themes_in(self, text: Any) -> frozenset[str]:
        """The theme keys a text raises (empty for no text)."""
        if not isinstance(text, str) or not text.strip():
            return frozenset()
        cached = self._texts.get(text)
        if cached is not None:
            return cached
        found: set[str] = set()
        for sentence in _SENTENCE.split(text):       # context rules look within one sentence
            found |= self._sentence_themes(sentence)
        result = frozenset(found)
        if len(self._texts) < 500_000:
            self._texts[text] = result
        return result

    def _sentence_themes(self, sentence: str) -> set[str]:
        words, extra = _tokens_at(sentence)
        if not words:
            return set()
        forms = [set(_word_forms(w)) if w != BOUNDARY else {BOUNDARY} for w in words]
        items: list[tuple[int, str, set[str]]] = []       # (position, word, themes it raises)
        for i, word in enumerate(words):
            if word == BOUNDARY:
                continue
            hits = set(self.word_themes(word))
            places = self._place_themes(forms[i]) if self._places else None
            if places:
                hits = hits - places if _located(words, i) else hits | (places - self._exclude.word(word))
            if i + 1 < len(words) and words[i + 1] != BOUNDARY:
                joined = self._joined_themes(word, words[i + 1])
                if joined:
                    items.append((i + 1, word + words[i + 1], joined))
            items.append((i, word, hits))
        items.extend((i, word, set(self.word_themes(word))) for i, word in extra)
        found: set[str] = set()
        for position, word, hits in items:
            if hits and self._rules:
                hits = self._in_context(position, word, hits, words, extra)
            found |= hits
        return found | self._include.phrase_hits(forms)

    def _in_context(self, position: int, word: str, hits: set[str], words: Sequence[str],
                    extra: Sequence[tuple[int, str]]) -> set[str]:
        """`hits` without the themes whose context rule for `word` fails in this sentence."""
        rules = self._rules_of(word)
        if not rules:
            return hits
        low, high = position - CONTEXT_WINDOW, position + CONTEXT_WINDOW
        company: set[str] = set()
        for j in range(max(0, low), min(len(words), high + 1)):
            if j != position:
                company |= self._company_of(words[j])
        for j, joined in extra:
            if low <= j <= high and joined != word:
                company |= self._company_of(joined)
        kept = set(hits)
        for rule_id in rules:
            theme = rule_id.split("#", 1)[0]
            if theme not in kept:
                continue
            rule = self._rules[rule_id]
            if rule_id + ":not" in company or (rule.only_with and rule_id + ":only" not in company):
                kept.discard(theme)
        return kept

    def option_themes(self, option: str) -> frozenset[str]:
        """Themes of a "welke onderwerpen" option: the text rule, plus a word of a theme's
        own label ("Spelen voor kinderen" → Spelen, "Betaalbaar wonen" → Wonen), since
        option lists use the theme names themselves."""
        found = set(self.themes_in(option))
        words, _ = _tokens(option)
        forms = set(words)        # as written: "ik woon" is not the label word "wonen"
        for theme in self.themes.themes:
            label_words = {w for w in _tokens(theme.label)[0] if len(w) >= 4 and w not in STOP_WORDS}
            if label_words & forms:
                found.add(theme.key)
        return frozenset(found)

    def _place_themes(self, forms: set[str]) -> set[str]:
        return set().union(*(self._places.get(f, set()) for f in forms))


# --------------------------------------------------------------------------- indicators

def _text_columns(respondents: pd.DataFrame) -> list[str]:
    return [c for c in respondents.columns if str(c).startswith("text:")]


def _multi_questions(respondents: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for column in respondents.columns:
        parts = str(column).split(":", 2)
        if len(parts) == 3 and parts[0] == "multi":
            out.setdefault(parts[1], []).append(column)
    return out


_NOT_A_TOPIC = re.compile(r"^(anders|overig|overige|geen|geen_van_deze|weet_niet|niets|nvt)$")


def option_themes(respondents: pd.DataFrame, matcher: ThemeMatcher | None = None, *,
                  questions: Sequence[str] | None = None,
                  labels: Mapping[str, str] | None = None) -> dict[str, frozenset[str]]:
    """{multi column: themes of its option} for the "welke onderwerpen" questions.

    The option text is the option key with '_' as spaces, or `labels[column]` when the
    caller knows the original label. Without `questions`, a multi-select counts as a topic
    question when at least half of its real options (not "anders"/"geen") map to a theme,
    so a question like "Hoe hoorde u van deze peiling?" stays out.
    """
    matcher = matcher or ThemeMatcher()
    labels = labels or {}
    out: dict[str, frozenset[str]] = {}
    for key, columns in _multi_questions(respondents).items():
        if questions is not None and key not in questions:
            continue
        mapped = {c: matcher.option_themes(labels.get(c) or str(c).split(":", 2)[2].replace("_", " "))
                  for c in columns}
        real = [c for c in columns if not _NOT_A_TOPIC.match(str(c).split(":", 2)[2])]
        if questions is None and (not real or sum(bool(mapped[c]) for c in real) * 2 < len(real)):
            continue
        out.update({c: t for c, t in mapped.items() if t})
        out.update({c: frozenset() for c in columns if c not in out})
    return out


def theme_indicators(respondents: pd.DataFrame, themes: ThemeDictionary | None = None, *,
                     matcher: ThemeMatcher | None = None, text_columns: Sequence[str] | None = None,
                     questions: Sequence[str] | None = None,
                     labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Respondent × theme booleans: did this respondent raise the theme?

    An open answer of at most 3 words is read like a topic option ("Betaalbaar wonen":
    a word of a theme's label counts too), since single-choice topic questions arrive as
    text. Rows are only the respondents who answered at least one open question or topic
    question ("nee", "n.v.t.", "geen opmerkingen" do not count as an answer), so a share of
    a group means "of those who told us something"; pass `text_columns` to leave out open
    questions that are not about the buurt (an "anders, namelijk" for gender). The index is
    the respondents table's index, columns are the theme keys in dictionary order.
    """
    matcher = matcher or ThemeMatcher(themes)
    keys = list(matcher.themes.keys)
    position = {k: i for i, k in enumerate(keys)}
    n = len(respondents)
    hits = np.zeros((n, len(keys)), dtype=bool)
    answered = np.zeros(n, dtype=bool)
    for column in (text_columns if text_columns is not None else _text_columns(respondents)):
        values = respondents[column]
        for text, rows in _rows_by_value(values).items():
            if not isinstance(text, str) or _is_non_answer(text):
                continue
            answered[rows] = True
            short = len(_MARKER.sub(" ", text).split()) <= SHORT_ANSWER_WORDS
            for theme in (matcher.option_themes(text) if short else matcher.themes_in(text)):
                hits[rows, position[theme]] = True
    options = option_themes(respondents, matcher, questions=questions, labels=labels)
    for column, found in options.items():
        ticks = respondents[column]
        answered |= ticks.notna().to_numpy()
        chosen = ticks.fillna(False).astype(bool).to_numpy()
        for theme in found:
            hits[:, position[theme]] |= chosen
    frame = pd.DataFrame(hits[answered], index=respondents.index[answered], columns=keys)
    frame.columns.name = "theme"
    frame.attrs["theme_labels"] = {t.key: t.label for t in matcher.themes.themes}
    return frame


_NON_ANSWER_WORDS = frozenset("nee neen geen nvt n v t niets niks weet niet idee opmerking opmerkingen "
                              "hoor verder nope no none x".split())


def _is_non_answer(text: str) -> bool:
    """'', 'nee', 'n.v.t.', 'geen opmerkingen', '-', '[naam]': no answer, so not in the denominator."""
    words = [w for w in _tokens(text)[0] if w != BOUNDARY]
    return not words or (len(words) <= 4 and all(w in _NON_ANSWER_WORDS for w in words))


def _rows_by_value(values: pd.Series) -> dict[Any, np.ndarray]:
    """Row positions per distinct value, so each distinct answer is matched once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    bounds = np.searchsorted(sorted_codes, np.arange(len(uniques) + 1))
    return {uniques[i]: order[bounds[i]:bounds[i + 1]] for i in range(len(uniques))}


# --------------------------------------------------------------------------- matrix

@dataclass(frozen=True)
class ThemeShare:
    """How many respondents (of those who answered) raised a theme."""

    theme: str
    label: str
    respondents: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class GroupTheme:
    """One cell of the matrix: a group (dimension, category) and a theme."""

    dimension: str
    category: str
    theme: str
    label: str
    group_respondents: int | None
    respondents: int | None
    share: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SilentGroup:
    """A group of at least 10 that did not raise a theme that many others raised."""

    theme: str
    dimension: str
    category: str
    group_respondents: int
    expected: float
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class OnlyFrom:
    """A theme we hear (almost) only from one group."""

    theme: str
    dimension: str
    category: str
    mention_share: float
    exclusive: bool
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ThemeMatrix:
    """Themes overall and per group, with the findings in plain Dutch.

    `unknown` and `unknown_raised` hold the respondents whose category is unknown per
    dimension (and per theme); the privacy step needs them, because categories plus
    unknown add up to the published totals.
    """

    respondents: int
    themes: tuple[ThemeShare, ...]
    groups: tuple[GroupTheme, ...]
    silent: tuple[SilentGroup, ...]
    only_from: tuple[OnlyFrom, ...]
    unknown: dict[str, int] = field(default_factory=dict)
    unknown_raised: dict[tuple[str, str], int] = field(default_factory=dict)
    k: int | None = None       # set by the privacy step (reports/themes.py)
    min_age: int | None = None  # age bands in sentences are named from it ("18 tot 25 jaar")

    def findings(self) -> list[str]:
        """All sentences: themes heard (almost) only from one group, then silent groups."""
        return summary_sentences(self)

    def to_dict(self) -> dict[str, Any]:
        return {"respondents": self.respondents,
                "themes": [t.to_dict() for t in self.themes],
                "groups": [g.to_dict() for g in self.groups],
                "silent": [s.to_dict() for s in self.silent],
                "only_from": [o.to_dict() for o in self.only_from],
                "findings": self.findings(),
                "k": self.k}

    def frame(self) -> pd.DataFrame:
        """The group rows as a table (dimension, category, theme, …)."""
        columns = list(GroupTheme.__dataclass_fields__)
        return pd.DataFrame([g.to_dict() for g in self.groups], columns=columns)


def _eligible(respondents: pd.DataFrame) -> pd.Series:
    """Rows that count: `excluded` empty (test entries, previews, a Burgerpeiling sample … out)."""
    if "excluded" not in respondents.columns:
        return pd.Series(True, index=respondents.index)
    excluded = respondents["excluded"]
    return excluded.isna() | (excluded.astype(str).str.strip() == "")


def _categories(values: pd.Series) -> pd.Series:
    """Category text per respondent; NaN for unknown."""
    text = values.astype("object").where(values.notna(), None).map(
        lambda v: None if v is None else (str(v).strip() or None))
    return text.astype("object")


def _category_order(dimension: str, counts: pd.Series) -> list[str]:
    cats = [str(c) for c in counts.index]
    if dimension == "age":
        from surveys.age_bands import parse_band

        def low(code: str) -> float:
            band = parse_band(code)
            return band.low if band is not None else math.inf
        return sorted(cats, key=lambda c: (low(c), c))
    return sorted(cats, key=lambda c: (-int(counts[c]), c))


def theme_matrix(respondents: pd.DataFrame, indicators: pd.DataFrame,
                 dimensions: Sequence[str] = DIMENSIONS, *, themes: ThemeDictionary | None = None,
                 profile: pd.Series | str | None = None, min_group: int = SILENT_MIN_GROUP,
                 min_theme: int = SILENT_MIN_THEME, min_expected: float = SILENT_MIN_EXPECTED,
                 min_age: int | None = None) -> ThemeMatrix:
    """Per group × theme: group size, respondents raising the theme, share, Wilson 95%.

    Counts only; the privacy step (reports.themes.protect_theme_matrix) hides small cells
    before anything is shown. Only eligible respondents (empty `excluded`) who answered an
    open or topic question (the rows of `indicators`) count. `profile` adds a dimension
    "profile" (a column name or a Series of profile names on the respondents' index); add
    "area_code" to `dimensions` for themes per buurt.
    Example: a group of 40 of whom 10 raised Groen gives share 0.25, interval 0.14–0.40.
    """
    labels = ({t.key: t.label for t in themes.themes} if themes is not None
              else indicators.attrs.get("theme_labels") or {t.key: t.label for t in default_themes().themes})
    keys = [k for k in indicators.columns]
    eligible = _eligible(respondents)
    index = indicators.index[eligible.reindex(indicators.index, fill_value=False).to_numpy()]
    hits = indicators.loc[index].to_numpy(dtype=bool)
    n = len(index)
    totals = hits.sum(axis=0)
    overall = []
    for j, key in enumerate(keys):
        low, high = wilson(float(totals[j]), float(n)) if n else (0.0, 1.0)
        overall.append(ThemeShare(key, labels.get(key, key), int(totals[j]), _ratio(totals[j], n),
                                  _round(low) if n else None, _round(high) if n else None))
    columns: list[tuple[str, pd.Series]] = []
    for column in dimensions:
        if column == "age_band" and AGE_COLUMNS & set(respondents.columns):
            # the CBS band from the exact age too: an import fills age_band only for an asked band
            columns.append(("age", cbs_age_band(respondents.loc[index])))
        elif column in respondents.columns:
            columns.append((DIMENSION_NAMES.get(column, column), respondents.loc[index, column]))
    if profile is not None:
        values = respondents[profile] if isinstance(profile, str) else profile
        columns.append(("profile", values.reindex(index)))
    groups: list[GroupTheme] = []
    unknown: dict[str, int] = {}
    unknown_raised: dict[tuple[str, str], int] = {}
    for dimension, values in columns:
        cats = _categories(values)
        known = cats.notna().to_numpy()
        unknown[dimension] = int((~known).sum())
        for j, key in enumerate(keys):
            unknown_raised[(dimension, key)] = int(hits[~known, j].sum())
        counts = cats[known].value_counts()
        for category in _category_order(dimension, counts):
            mask = (cats == category).to_numpy()
            size = int(mask.sum())
            raised = hits[mask].sum(axis=0)
            lows, highs = wilson(raised.astype(float), float(size))
            for j, key in enumerate(keys):
                groups.append(GroupTheme(dimension, category, key, labels.get(key, key), size, int(raised[j]),
                                         _ratio(raised[j], size), _round(lows[j]), _round(highs[j])))
    silent = _silent(groups, overall, n, min_group, min_theme, min_expected, min_age)
    only = _only_from(groups, overall, unknown, unknown_raised, n, min_age)
    return ThemeMatrix(n, tuple(overall), tuple(groups), tuple(silent), tuple(only),
                       unknown, unknown_raised, min_age=min_age)


def _round(value: Any) -> float:
    """Interval ends to 10 decimals: 1e-17 from floating point is 0 for a reader."""
    return round(float(value), 10)


def _ratio(count: float, n: float) -> float | None:
    return float(count) / float(n) if n else None


def _silent(groups: Sequence[GroupTheme], overall: Sequence[ThemeShare], n: int, min_group: int,
            min_theme: int, min_expected: float, min_age: int | None = None) -> list[SilentGroup]:
    by_theme = {t.theme: t for t in overall}
    out = []
    for cell in groups:
        total = by_theme[cell.theme]
        if not n or (total.respondents or 0) < min_theme or (cell.group_respondents or 0) < min_group:
            continue
        expected = (total.respondents or 0) / n * (cell.group_respondents or 0)
        if cell.respondents == 0 and expected >= min_expected:
            who = group_phrase(cell.dimension, cell.category, min_age)
            sentence = (f"Over {cell.label.lower()} hoorden we nog niets van {who}, terwijl "
                        f"{_percent(total.share)} van alle deelnemers dit thema noemde.")
            out.append(SilentGroup(cell.theme, cell.dimension, cell.category,
                                   int(cell.group_respondents or 0), round(expected, 1), sentence))
    return out


def _only_from(groups: Sequence[GroupTheme], overall: Sequence[ThemeShare], unknown: Mapping[str, int],
               unknown_raised: Mapping[tuple[str, str], int], n: int,
               min_age: int | None = None) -> list[OnlyFrom]:
    """A group supplies ≥ 75% of a theme's mentions (of those whose group is known) while
    it is at most half of the respondents; no numbers in the sentence (a small rest
    could be read back from them)."""
    out = []
    cells: dict[tuple[str, str], list[GroupTheme]] = {}
    for cell in groups:
        cells.setdefault((cell.dimension, cell.theme), []).append(cell)
    for (dimension, theme), row in cells.items():
        mentions = sum(c.respondents or 0 for c in row)
        known_n = n - unknown.get(dimension, 0)
        if mentions < ONLY_FROM_MIN_MENTIONS or known_n <= 0:
            continue
        for cell in row:
            share = (cell.respondents or 0) / mentions
            if share >= ONLY_FROM_SHARE and (cell.group_respondents or 0) / known_n <= ONLY_FROM_MAX_GROUP_SHARE:
                exclusive = cell.respondents == mentions
                who = group_phrase(dimension, cell.category, min_age)
                word = "alleen" if exclusive else "vooral"
                out.append(OnlyFrom(theme, dimension, cell.category, round(share, 3), exclusive,
                                    f"Over {cell.label.lower()} horen we {word} van {who}."))
    return out


def _percent(share: float | None) -> str:
    return "?" if share is None else f"{round(share * 100):d}%"


@lru_cache(maxsize=1)
def _channel_phrases() -> dict[str, str]:
    from engagement.outreach import load_rules  # lazy: the rule table pulls in coverage/planner
    return dict(load_rules().channels)


def group_phrase(dimension: str, category: str, min_age: int | None = None) -> str:
    """Plural phrase for a sentence: ('age', '65+') → '65-plussers' (engagement.vocabulary,
    the one place for group phrases); a channel → 'deelnemers via straatgesprekken'."""
    if dimension == "channel":
        return f"deelnemers {_channel_phrases().get(category, 'via ' + category)}"
    if dimension == "area_code":
        return f"bewoners van {category}"
    from engagement.vocabulary import group_phrase as vocabulary_phrase
    return vocabulary_phrase(dimension, category, min_age=min_age)


def summary_sentences(matrix: ThemeMatrix) -> list[str]:
    """Grouped findings: "Thema's die we (bijna) alleen van 65-plussers horen: eenzaamheid."
    and "Groepen die we over spelen nog niet hoorden: …"."""
    out: list[str] = []
    per_group: dict[tuple[str, str], list[str]] = {}
    for item in matrix.only_from:
        per_group.setdefault((item.dimension, item.category), []).append(_label_of(matrix, item.theme))
    for (dimension, category), labels in per_group.items():
        out.append(f"Thema's die we (bijna) alleen van {group_phrase(dimension, category, matrix.min_age)} horen: "
                   f"{', '.join(labels)}.")
    per_theme: dict[str, list[str]] = {}
    for silent in matrix.silent:
        per_theme.setdefault(silent.theme, []).append(group_phrase(silent.dimension, silent.category, matrix.min_age))
    for theme, who in per_theme.items():
        out.append(f"Groepen die we over {_label_of(matrix, theme).lower()} nog niet hoorden: "
                   f"{', '.join(who)}.")
    return out


def _label_of(matrix: ThemeMatrix, theme: str) -> str:
    for item in matrix.themes:
        if item.theme == theme:
            return item.label
    return theme


# --------------------------------------------------------------------------- quotes

@dataclass(frozen=True)
class ThemeQuote:
    theme: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def theme_quotes(respondents: pd.DataFrame, themes: ThemeDictionary | None = None, *,
                 matcher: ThemeMatcher | None = None, per_theme: int = 3, max_chars: int = 160,
                 min_chars: int = 15) -> dict[str, tuple[ThemeQuote, ...]]:
    """A few short quotes per theme: the sentence of an open answer that raised it.

    The text was redacted at import; it is redacted again here (surveys.pii.redact_text),
    since a quote is the one place where a respondent's own words are shown. The choice is
    spread over the answers by a stable hash (not the first rows of the file) and is the
    same on every run.
    """
    from surveys.pii import redact_text

    matcher = matcher or ThemeMatcher(themes)
    eligible = respondents[_eligible(respondents).to_numpy()]
    candidates: dict[str, dict[str, str]] = {k: {} for k in matcher.themes.keys}
    for column in _text_columns(eligible):
        for text in eligible[column].dropna().unique():
            if not isinstance(text, str):
                continue
            for sentence in _SENTENCE.split(text):
                sentence = " ".join(sentence.split())
                if not (min_chars <= len(sentence) <= max_chars):
                    continue
                for theme in matcher.themes_in(sentence):
                    digest = hashlib.sha1(f"{theme}|{sentence}".encode()).hexdigest()
                    candidates[theme].setdefault(digest, sentence)
    out: dict[str, tuple[ThemeQuote, ...]] = {}
    for theme, found in candidates.items():
        chosen = []
        for digest in sorted(found)[: per_theme * 3]:
            quote = redact_text(found[digest])
            if quote and quote not in chosen:
                chosen.append(quote)
            if len(chosen) == per_theme:
                break
        out[theme] = tuple(ThemeQuote(theme, q) for q in chosen)
    return out


# --------------------------------------------------------------------------- suggestions

STOP_WORDS = frozenset("""
aan al alle alleen als alsof altijd andere anders ben bij bijna daar daarom dan dat de den der des
deze die dit doch doen door dus echt een eens eigen elk elke en er erg ergens even feit gaan gaat
gedaan geen gewoon graag had heb hebben heeft hem hen het hier hij hoe hun iemand iets ik in is
ja je jij jou jouw jullie kan kon kun kunnen maar mag me meer meeste men met mij mijn misschien
moet moeten na naar nee net niet niets nog nu of om omdat ons onze ook op over goed veel slecht
sommige soms te tegen toch toe tot u uit uw van vanaf veel voor vooral waar waarom wanneer want
wat we wel welk welke werd wie wij wil willen word worden wordt zal ze zelf zich zij zijn zo zoals
zou zouden zullen beetje best beter weinig wat zeer heel erg vind vinden denk denken vaak nooit
mensen buurt wijk gemeente jaar jaren keer dingen ding iets zou komen kom komt gaan ga wordt hebben
dag week tijd zeggen zegt moet mogen graag extra nieuw nieuwe oud oude groot grote klein kleine
iedereen niemand nergens overal alles allemaal steeds waar hier daar eigenlijk bijvoorbeeld
""".split())


@dataclass(frozen=True)
class ThemeSuggestion:
    """A candidate new theme from answers that no theme matched."""

    words: tuple[str, ...]
    texts: int
    examples: tuple[str, ...]

    @property
    def label(self) -> str:
        return " / ".join(self.words[:2]).capitalize()

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "words": list(self.words), "texts": self.texts,
                "examples": list(self.examples)}


def _content_words(text: str) -> list[str]:
    words, _ = _tokens(text)
    out = []
    for word in words:
        if len(word) < 3 or word.isdigit() or word in STOP_WORDS:
            continue
        lemma = _lemma(word)
        if lemma not in STOP_WORDS and len(lemma) >= 3:
            out.append(lemma)
    return out


def unmatched_texts(respondents: pd.DataFrame, themes: ThemeDictionary | None = None, *,
                    matcher: ThemeMatcher | None = None) -> list[str]:
    """Open answers (eligible respondents) that raise no theme and have at least 3 content words."""
    matcher = matcher or ThemeMatcher(themes)
    eligible = respondents[_eligible(respondents).to_numpy()]
    out = []
    for column in _text_columns(eligible):
        for text in eligible[column].dropna():
            if isinstance(text, str) and not matcher.themes_in(text) and len(_content_words(text)) >= 3:
                out.append(text)
    return out


def suggest_themes(respondents: pd.DataFrame, themes: ThemeDictionary | None = None, *,
                   matcher: ThemeMatcher | None = None, min_texts: int = MIN_SUGGEST_TEXTS,
                   n_topics: int | None = None, top_words: int = 6, examples: int = 2,
                   seed: int = 0) -> tuple[ThemeSuggestion, ...]:
    """Candidate themes (TF-IDF + NMF) from the answers no theme matched.

    Returns nothing below `min_texts` unmatched answers: with fewer, topics are noise.
    Words are lemmatised and Dutch stop words (plus "buurt", "wijk", "mensen") removed, so
    "honden" and "hond" count as one. The team reads the top words and decides whether to
    add a theme to its own file.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    from surveys.pii import redact_text

    texts = unmatched_texts(respondents, themes, matcher=matcher)
    if len(texts) < min_texts:
        return ()
    vectorizer = TfidfVectorizer(analyzer=_content_words, min_df=2, max_df=0.6, sublinear_tf=True)
    try:
        tfidf = vectorizer.fit_transform(texts)
    except ValueError:      # no word occurs twice: nothing to group
        return ()
    if tfidf.shape[1] < 2:
        return ()
    k = n_topics or int(np.clip(len(texts) // 40, 2, 6))
    k = max(1, min(k, tfidf.shape[1] - 1, len(texts) - 1))
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500)
    weights = model.fit_transform(tfidf)
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    dominant = weights.argmax(axis=1)
    strong = weights.max(axis=1) > 0
    out = []
    for topic in range(k):
        members = np.flatnonzero((dominant == topic) & strong)
        if len(members) < 3:
            continue
        order = np.argsort(-model.components_[topic])[:top_words]
        words = tuple(str(vocabulary[i]) for i in order if model.components_[topic, i] > 0)
        best = members[np.argsort(-weights[members, topic])][:examples]
        quotes = tuple(redact_text(" ".join(texts[i].split()))[:160] for i in best)
        out.append(ThemeSuggestion(words, int(len(members)), quotes))
    out.sort(key=lambda s: -s.texts)
    return tuple(out)


# --------------------------------------------------------------------------- one call

@dataclass(frozen=True)
class ThemesCheck:
    """Everything the Thema's page, the report and `bereikwijzer themes` show, unprotected:
    pass `matrix` through reports.themes.protect_theme_matrix before showing counts."""

    matrix: ThemeMatrix
    quotes: dict[str, tuple[ThemeQuote, ...]]
    suggestions: tuple[ThemeSuggestion, ...]
    unmatched: int            # open answers that raised no theme

    def to_dict(self) -> dict[str, Any]:
        out = self.matrix.to_dict()
        out["quotes"] = {k: [q.text for q in v] for k, v in self.quotes.items()}
        out["suggestions"] = [s.to_dict() for s in self.suggestions]
        out["unmatched"] = self.unmatched
        return out


def run_themes(respondents: pd.DataFrame, themes: ThemeDictionary | None = None, *,
               dimensions: Sequence[str] = DIMENSIONS, profile: pd.Series | str | None = None,
               questions: Sequence[str] | None = None, labels: Mapping[str, str] | None = None,
               quotes_per_theme: int = 3, min_age: int | None = None) -> ThemesCheck:
    """Indicators, matrix, quotes and suggestions with one matcher (words analysed once)."""
    matcher = ThemeMatcher(themes)
    indicators = theme_indicators(respondents, matcher=matcher, questions=questions, labels=labels)
    matrix = theme_matrix(respondents, indicators, dimensions, themes=matcher.themes, profile=profile,
                          min_age=min_age)
    quotes = theme_quotes(respondents, matcher=matcher, per_theme=quotes_per_theme)
    unmatched = unmatched_texts(respondents, matcher=matcher)
    suggestions = suggest_themes(respondents, matcher=matcher)
    return ThemesCheck(matrix, quotes, suggestions, len(unmatched))


def counted_themes(respondents: pd.DataFrame, min_age: int,
                   themes: ThemeDictionary | None = None) -> ThemesCheck | None:
    """The themes check of the rows that count (the one eligibility rule, from `min_age`),
    per group and per buurt, or None when the files hold no open answers or topic questions:
    what the report and `bereikwijzer report` show."""
    from engagement.coverage import eligible_respondents

    counted, _ = eligible_respondents(respondents, min_age)
    if not any(str(c).startswith(("text:", "multi:")) for c in counted.columns):
        return None
    check = run_themes(counted, themes, dimensions=(*DIMENSIONS, "area_code"), min_age=min_age)
    return check if check.matrix.respondents > 0 else None
