"""One question, one key: match the same statement across tools, exports and weeks.

Microsoft Forms writes "Ik voel me thuis in de buurt", Qualtrics "Q3 - Stellingen - Ik voel
me thuis in de buurt", Google Forms "Stellingen [Ik voel me thuis in de buurt]", Kobo
"groep_buurt/ik_voel_me_thuis_in_de_buurt", a paper form "3. Ik voel me thuis in mijn
buurt (optioneel)". All of them are the statement the profiles need once, so they get one
key `item:<key>`. Matching is on normalised text with rapidfuzz: the token-set ratio finds
the same words in another order or with a word added; a guard on the plain ratio keeps
"Ik voel me veilig" and "Ik voel me veilig in het park" apart, and two columns of one file
never share a key. The result is plain data (column, file, text, key, score) so the
dashboard can show it and the officer can correct it with {column: key}.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping as MappingType
from dataclasses import asdict, dataclass
from typing import Any

from rapidfuzz import fuzz

from surveys.numbers import plural

SET_THRESHOLD = 90.0   # token_set_ratio: the same words (order, an extra word tolerated)
SORT_THRESHOLD = 85.0  # token_sort_ratio: and not a much longer or shorter statement
MAX_KEY = 40

_PREFIX = re.compile(
    r"^\s*(?:(?:vraag|question|stelling|statement|item|v|q)\s*\d+[a-z]?(?:[._]\d+)*\s*[.:)\-]?\s*"
    r"|\d+[a-z]?(?:\.\d+)*\s*[.:)]\s*|\d+[a-z]?\s+(?=[^\d\s]))", re.I)
_LABEL = re.compile(r"^\s*(?:vraag|question|stelling|statement)\s*:\s*", re.I)
_TRAILING = re.compile(r"\s*(?:\((?:optioneel|optional|niet verplicht|facultatief|verplicht"
                       r"|required)\)|\*+)\s*$", re.I)
_BRACKET = re.compile(r"^(?P<stem>.+?)\s*\[(?P<part>[^\[\]]+)\]\s*$")
_DASH = re.compile(r"\s+[-–—|]\s+")
# Microsoft Forms names a Likert row "Stellingen.Ik voel me thuis": stem, dot, statement
_DOT = re.compile(r"^(?P<stem>[^.\s][^.]{0,200}?[^.\s\d])\.(?P<part>[^\s.][^.]{0,500})$")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def statement_of(text: str) -> str:
    """The statement itself, without tool prefixes, matrix stem, group path or markers.

    >>> statement_of("Q3. Stellingen - Ik voel me thuis (optioneel)")
    'Ik voel me thuis'
    >>> statement_of("Stellingen.Ik voel me thuis")
    'Ik voel me thuis'
    """
    original = text = " ".join(str(text).split())
    segments = text.split("/")
    if len(segments) > 1 and all(s.strip() for s in segments) and (
            (" " not in segments[0] and ("_" in segments[0] or segments[0].islower()))
            or (len(segments[-1].split()) >= 3 and len(segments[0].split()) <= 4)):
        text = segments[-1].replace("_", " ").strip()  # Kobo group path: group/question
    for _ in range(3):
        before = text
        text = _TRAILING.sub("", text)
        text = _PREFIX.sub("", text, count=1)
        text = _LABEL.sub("", text, count=1)
        bracket = _BRACKET.match(text)
        if bracket:
            text = bracket.group("part")
        dot = _DOT.match(text)
        if dot and len(dot.group("part").split()) >= 2:
            text = dot.group("part")
        parts = _DASH.split(text)
        if len(parts) > 1 and len(parts[-1].split()) >= 2:
            text = parts[-1]
        elif ": " in text:
            stem, _, rest = text.rpartition(": ")
            if len(rest.split()) >= 2 and len(stem.split()) >= 1:
                text = rest
        text = text.strip(" .:-?!")
        if text == before:
            break
    return text.strip() or original


def normalise(text: str) -> str:
    """Comparable text: statement only, casefolded, no diacritics or punctuation."""
    plain = _plain(statement_of(text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def slug(text: str, max_len: int = MAX_KEY) -> str:
    """The key for a normalised text: words joined by '_', cut at a word boundary."""
    words = normalise(text).split() or ["vraag"]
    out = words[0][:max_len]
    for word in words[1:]:
        if len(out) + 1 + len(word) > max_len:
            break
        out = f"{out}_{word}"
    return out


_NEGATIONS = frozenset({"niet", "geen", "nooit", "nergens", "niemand", "niets", "not", "no",
                        "never", "none", "nobody", "nothing", "dont", "don", "t", "onvoldoende",
                        "on", "oneens", "ontevreden", "onveilig", "zonder", "without"})


def _fresh_key(base: str, used: set[str]) -> str:
    """`base`, or `base_2`, `base_3`, … when taken; the key is added to `used`."""
    key, i = base, 2
    while key in used:
        key, i = f"{base}_{i}", i + 1
    used.add(key)
    return key


def separate_key(column: str, known: Iterable[str]) -> str:
    """'item:<key>' of its own for a statement the officer says is not an earlier one."""
    return "item:" + _fresh_key(f"{slug(column)}_apart", {_bare_key(k) for k in known})


def _bare_key(key: str) -> str:
    return key.split(":", 1)[1] if key.startswith("item:") else key


def similarity(a: str, b: str) -> float:
    """0–100: how surely two normalised texts are the same statement (0 below the guard).

    Same words in another order, or one word swapped ("ons" / "de bewoners", "me" / "mij"),
    match; a statement with words added ("… in het park") needs the two to be nearly as
    long; a negation on one side only ("niet", "geen") never matches.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    set_score = fuzz.token_set_ratio(a, b)
    if set_score < SET_THRESHOLD:
        return 0.0
    only_a, only_b = set(a.split()) - set(b.split()), set(b.split()) - set(a.split())
    if (only_a | only_b) & _NEGATIONS:
        return 0.0
    sort_score = fuzz.token_sort_ratio(a, b)
    swapped = bool(only_a) and bool(only_b)
    if sort_score >= SORT_THRESHOLD or (swapped and fuzz.ratio(a, b) >= SET_THRESHOLD):
        return float(set_score)
    return 0.0


@dataclass(frozen=True)
class Match:
    """One column's key: `score` 100 = same text, lower = a tolerated difference, 0 = new."""

    column: str
    file: str
    text: str
    key: str
    score: float
    matched_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_code(text: str) -> bool:
    """True for a header that is only a code ('s1', 'st_01', 'Q5_3', 'stellingen/s2'): no
    word of three letters, so its text cannot be matched."""
    words = normalise(text).split()
    return not any(len(w) >= 3 and w.isalpha() for w in words)


def _groups(columns: list[str]) -> dict[str, list[str]]:
    """Columns per group path ('stellingen/s1' → group 'stellingen'), in file order."""
    out: dict[str, list[str]] = {}
    for column in columns:
        if "/" in column:
            group = " ".join(_plain(column.rsplit("/", 1)[0]).replace("_", " ").split())
            out.setdefault(group, []).append(column)
    return out


def twin_keys(columns: list[str], layouts: Iterable[tuple[list[str], MappingType[str, str]]],
              *, reverse: bool = False) -> dict[str, tuple[str, str]]:
    """{column: (key, twin column)} for code-only headers ('stellingen/s3'), from an earlier
    file of the same form with texts: the same group ('Stellingen'), the same number of
    columns in it, the same place (KoboToolbox exports a form with labels or XML names).
    `reverse`: the other way round, texts of this file taking the keys an earlier
    code-only export got."""
    mine = _groups([str(c) for c in columns])
    found: dict[str, tuple[str, str]] = {}
    for twin_columns, keys in layouts:
        theirs = _groups([str(c) for c in twin_columns])
        for group, members in mine.items():
            twins = theirs.get(group)
            if not twins or len(twins) != len(members):
                continue
            for column, twin in zip(members, twins):
                wanted = (is_code(twin) and not is_code(column)) if reverse else (
                    is_code(column) and not is_code(twin))
                if column not in found and twin in keys and wanted:
                    found[column] = (keys[twin], twin)
    return found


def better_text(old: str | None, new: str) -> str:
    """The text to remember for a key: a real question over a bare code ('s1')."""
    return new if not old or (is_code(old) and not is_code(new)) else old


def _questions(frame_questions: Iterable[tuple[str, str]] | MappingType[str, str]
               ) -> list[tuple[str, str]]:
    items = frame_questions.items() if hasattr(frame_questions, "items") else frame_questions
    return [(str(c), str(t or c)) for c, t in items]


def match_to_known(frame_questions: Iterable[tuple[str, str]] | MappingType[str, str],
                   known: MappingType[str, str], *, file: str = "",
                   overrides: MappingType[str, str] | None = None) -> list[Match]:
    """Each column's key: a known key when its text matches, else a new unique key.

    `known` maps key → question text (of earlier files or weeks); `overrides` is the
    officer's correction {column: key} and always wins. Assignment is one-to-one per
    file, best score first, so two statements of one file never share a key.
    """
    questions = _questions(frame_questions)
    overrides = dict(overrides or {})
    known_norm = {key: normalise(text) for key, text in known.items()}
    taken: set[str] = {overrides[c] for c, _ in questions if c in overrides}
    result: dict[str, Match] = {}
    for column, text in questions:
        if column in overrides:
            key = overrides[column]
            result[column] = Match(column, file, text, key, 100.0, known.get(key, ""))
    candidates = []
    for column, text in questions:
        if column in result:
            continue
        mine = normalise(text)
        for key, theirs in known_norm.items():
            score = similarity(mine, theirs)
            if score:
                exact = fuzz.ratio(mine, theirs)
                candidates.append((score, exact, column, key))
    for score, _, column, key in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2], c[3])):
        if column in result or key in taken:
            continue
        result[column] = Match(column, file, dict(questions)[column], key, float(score), known[key])
        taken.add(key)
    used = set(known) | taken
    for column, text in questions:
        if column in result:
            continue
        key = _fresh_key(slug(text), used)
        result[column] = Match(column, file, text, key, 0.0)
    return [result[c] for c, _ in questions]


def align_to_known(frame_questions: Iterable[tuple[str, str]] | MappingType[str, str],
                   known: MappingType[str, str],
                   overrides: MappingType[str, str] | None = None) -> dict[str, str]:
    """{column: key} for one file against the project's known {key: text}."""
    return {m.column: m.key for m in match_to_known(frame_questions, known, overrides=overrides)}


def match_files(files: list[tuple[str, list[tuple[str, str]]]],
                known: MappingType[str, str] | None = None,
                overrides: MappingType[str, Any] | None = None
                ) -> tuple[list[Match], dict[str, str]]:
    """Match several files in order; each file's new keys are known to the next.

    `files`: [(file name, [(column, text), …]), …]. `overrides`: {column: key} for every
    file, or {file name: {column: key}}. Returns all matches and the grown {key: text}.
    """
    grown = dict(known or {})
    matches: list[Match] = []
    for name, questions in files:
        own = _overrides_for(overrides, name)
        found = match_to_known(questions, grown, file=name, overrides=own)
        for match in found:
            grown.setdefault(match.key, match.text)
        matches.extend(found)
    return matches, grown


def _overrides_for(overrides: MappingType[str, Any] | None, name: str) -> dict[str, str]:
    if not overrides:
        return {}
    if isinstance(overrides.get(name), dict):
        return dict(overrides[name])
    return {c: k for c, k in overrides.items() if isinstance(k, str)}


def describe_matches(rows: Iterable[MappingType[str, Any]]) -> list[str]:
    """Dutch notes for the columns matched to a question with other words (or by place),
    one per file, so the officer checks them: exact matches and new questions need none."""
    rows = list(rows)
    by_file: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if row.get("kind") == "option":
            continue
        score = float(row.get("score") or 0)
        other = row.get("matched_text") or row.get("twin")
        if not 0 < score < 100 or not other:
            continue
        pair = (str(row.get("file", "")), str(row.get("key", "")))
        if pair in seen:
            continue
        seen.add(pair)
        how = ("op dezelfde plek" if row.get("twin") else "met dezelfde antwoordopties"
               if row.get("how") == "options" else "met iets andere woorden")
        by_file.setdefault(pair[0], []).append(
            f"'{row.get('text', '')}' = '{other}' ({how})")
    notes = []
    for file, pairs in by_file.items():
        shown = "; ".join(pairs[:5]) + (f"; en {len(pairs) - 5} andere" if len(pairs) > 5 else "")
        notes.append(f"Bestand '{file}': {len(pairs)} vraag/vragen gekoppeld aan een vraag uit "
                     f"een ander bestand: {shown}. Klopt een koppeling niet? Pas die aan.")
    return notes + _describe_options(rows)


_OPTION_HOW = {"code": "code past bij het antwoord", "place": "op dezelfde plek"}


def _describe_options(rows: list[MappingType[str, Any]]) -> list[str]:
    """Dutch notes for checkbox options matched to an option of another file by code or
    place ('groen' = 'Groen, spelen en sport'), one per file."""
    by_file: dict[str, list[str]] = {}
    for row in rows:
        if row.get("kind") != "option" or row.get("how") not in _OPTION_HOW:
            continue
        by_file.setdefault(str(row.get("file", "")), []).append(
            f"'{row.get('text', '')}' = '{row.get('matched_text', '')}' ({_OPTION_HOW[row['how']]})")
    notes = []
    for file, pairs in by_file.items():
        shown = "; ".join(pairs[:5]) + (f"; en {len(pairs) - 5} andere" if len(pairs) > 5 else "")
        notes.append(f"Bestand '{file}': {plural(len(pairs), 'antwoordoptie', 'antwoordopties')} "
                     "gekoppeld aan een optie "
                     f"uit een ander bestand: {shown}. Klopt een koppeling niet? Pas die aan.")
    return notes


# --- multi-select options -------------------------------------------------------------
# KoboToolbox's XML export names a checkbox option by its code ('onderwerpen/groen'), the
# other tools (and Kobo's labels export) by its label ('Groen, spelen en sport'). Both are
# one option, so they get one `multi:<key>:<option>` column.

_OPTION_OTHER = re.compile(r"^(anders|andere|overig|overige|other|iets anders|something else)\b",
                           re.I)


def option_words(text: str) -> list[str]:
    """An option's words: casefolded, no diacritics, split at anything not a letter or digit
    ('Groen, spelen en sport' and 'groen_spelen' → ['groen', 'spelen', …])."""
    return re.sub(r"[^a-z0-9]+", " ", _plain(text)).split()


def is_option_code(text: str) -> bool:
    """A choice name as Kobo's XML export writes it: one token, no spaces ('groen',
    'verkeer_parkeren')."""
    text = str(text).strip()
    return bool(text) and not any(ch.isspace() for ch in text)


def code_fits_label(code: str, label: str) -> bool:
    """True when a choice code names this label: every word of the code is a word of the
    label (or the start of one, four letters at least), each a different word of it
    ('groen' → 'Groen, spelen en sport'; 'verk_park' → 'Verkeer, parkeren en veiligheid')."""
    mine, theirs = option_words(code), option_words(label)
    if not mine or not theirs or len(mine) > len(theirs):
        return False
    free = list(theirs)
    for word in mine:
        hit = next((w for w in free if w == word), None)
        if hit is None and len(word) >= 4:
            hit = next((w for w in free if w.startswith(word)), None)
        if hit is None:
            return False
        free.remove(hit)
    return True


def option_key_of(text: str) -> str:
    """The default key of an option: 'anders' for the other-option, else its slug."""
    from surveys.questionnaire import column_key

    return "anders" if _OPTION_OTHER.match(str(text).strip()) else column_key(text)


@dataclass(frozen=True)
class OptionMatch:
    """One option of a multi-select and the option key it gets.

    `how`: 'same' (same label), 'code' (a choice code whose words are in the label),
    'place' (the same place in a labels export of the same Kobo form), 'officer'
    (corrected by hand) or 'new'. `score` 100 = same, 90 = code/place, 0 = new."""

    question: str
    column: str
    file: str
    text: str
    key: str
    score: float
    matched_text: str = ""
    how: str = "new"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def match_options(options: Iterable[tuple[str, str]], known: MappingType[str, str], *,
                  question: str = "", file: str = "",
                  twins: MappingType[str, str] | None = None,
                  overrides: MappingType[str, str] | None = None,
                  exact_only: Iterable[str] = ()) -> list[OptionMatch]:
    """Each option's key within one question: a known option's key when it is the same
    label, a code whose words are in the label, or its twin by place; else a new key.

    `options`: [(column, option text)] of this file; `known`: {option key: label} of the
    question in earlier files; `twins`: {option text: option key} by place; `overrides`:
    {option text or column: option key}, the officer's; `exact_only`: option texts that
    only match a known label exactly (rarely ticked answers that may be typed text).
    One-to-one: a code that fits two labels, or a label that two codes fit, stays apart.
    """
    options = [(str(c), str(t)) for c, t in options]
    twins, overrides, exact_only = dict(twins or {}), dict(overrides or {}), set(exact_only)
    result: dict[str, OptionMatch] = {}
    taken: set[str] = set()

    def take(column: str, text: str, key: str, score: float, how: str) -> None:
        result[text] = OptionMatch(question, column, file, text, key, score,
                                   known.get(key, ""), how)
        taken.add(key)

    for column, text in options:
        wanted = overrides.get(text) or overrides.get(column)
        if wanted and text not in result:
            take(column, text, wanted, 100.0, "officer")
    for column, text in options:
        if text in result:
            continue
        if _OPTION_OTHER.match(text.strip()):
            take(column, text, "anders", 100.0, "same")
            continue
        words = option_words(text)
        same = [k for k, label in known.items() if k not in taken
                and (option_words(label) == words or k == option_key_of(text))]
        if len(same) >= 1:
            take(column, text, same[0], 100.0, "same")
    for column, text in options:
        if text in result or text in exact_only:
            continue
        twin = twins.get(text)
        if twin and twin not in taken:
            take(column, text, twin, 90.0, "place")
    open_options = [(c, t) for c, t in options if t not in result and t not in exact_only]
    open_known = [k for k in known if k not in taken]
    fits = {t: [k for k in open_known if _fits(t, known[k])] for _, t in open_options}
    fitted_by: dict[str, int] = {}
    for keys in fits.values():
        for k in keys:
            fitted_by[k] = fitted_by.get(k, 0) + 1
    for column, text in open_options:
        keys = fits[text]
        if len(keys) == 1 and fitted_by[keys[0]] == 1:
            take(column, text, keys[0], 90.0, "code")
    used = set(known) | taken
    for column, text in options:
        if text in result:
            continue
        key = _fresh_key(option_key_of(text), used)
        result[text] = OptionMatch(question, column, file, text, key, 0.0)
    return [result[t] for _, t in options if t in result]


def _fits(a: str, b: str) -> bool:
    """A code and a label of one option, either way round; two labels never (they are
    compared whole)."""
    if is_option_code(a) and not is_option_code(b):
        return code_fits_label(a, b)
    if is_option_code(b) and not is_option_code(a):
        return code_fits_label(b, a)
    if is_option_code(a) and is_option_code(b):
        return code_fits_label(a, b) or code_fits_label(b, a)
    return False


def options_fit(options: Iterable[str], known: MappingType[str, str]) -> int:
    """How many of a question's options match one known question's options one-to-one
    (same label or code in label): the evidence that a question named only by a code
    ('onderwerpen') is that known question."""
    found = match_options([(t, t) for t in options], known)
    return sum(1 for m in found if m.how in ("same", "code") and m.key != "anders")


def kobo_blocks(columns: list[str]) -> list[tuple[str, list[str]]]:
    """The select_multiple blocks of a KoboToolbox export, in order: the joined column
    'H' directly followed by its option columns 'H/<option>'. The labels and the XML
    export of one form have the same blocks at the same places."""
    columns = [str(c) for c in columns]
    out: list[tuple[str, list[str]]] = []
    for i, head in enumerate(columns):
        members = []
        for column in columns[i + 1:]:
            if column.startswith(head + "/") and "/" not in column[len(head) + 1:]:
                members.append(column)
            else:
                break
        if len(members) >= 2:
            out.append((head, members))
    return out


def multi_twins(columns: list[str], layouts: Iterable[tuple[list[str], MappingType[str, str]]]
                ) -> dict[str, tuple[str, str, str]]:
    """{option column: (question key, option key, twin column)} from an earlier export of
    the same Kobo form (labels ↔ XML codes): the same block number, the same number of
    options, the option at the same place. A stored key 'multi:<key>:<option>' gives the
    option key; an older 'multi:<key>' the default key of the twin's option text."""
    mine = kobo_blocks(columns)
    found: dict[str, tuple[str, str, str]] = {}
    for twin_columns, keys in layouts:
        theirs = kobo_blocks(list(twin_columns))
        if len(theirs) != len(mine):
            continue
        for (_, members), (head, twins) in zip(mine, theirs):
            if len(members) != len(twins):
                continue
            for column, twin in zip(members, twins):
                key = str(keys.get(twin, ""))
                if not key.startswith("multi:") or column in found:
                    continue
                question, _, option = key[6:].partition(":")
                found[column] = (question, option or option_key_of(twin[len(head) + 1:]), twin)
    return found


def better_option_text(old: str | None, new: str) -> str:
    """The text to remember for an option key: a label over a choice code."""
    if not old:
        return new
    return new if is_option_code(old) and not is_option_code(new) else old
