"""surveys: from a file on disk to a clean respondents table (no CBS, no Streamlit)."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import pandas as pd

from surveys.inspect import describe_inspection, inspect_export
from surveys.mapping import apply_saved_mapping, header_fingerprint, merge_mapping, suggest_mapping
from surveys.model import Mapping
from surveys.numbers import plural
from surveys.questionnaire import infer_questionnaire
from surveys.respondents import combine_respondents, to_respondents

logger = logging.getLogger(__name__)

__all__ = [
    "read_export", "infer_questionnaire", "suggest_mapping", "to_respondents",
    "combine_respondents", "header_fingerprint", "apply_saved_mapping", "inspect_export",
    "describe_inspection", "import_files", "import_file", "match_columns", "excluded_counts",
]


def __getattr__(name: str) -> Any:
    """`surveys.read_export` without importing the readers (and their engines) up front."""
    if name in ("read_export", "list_sheets"):
        from surveys import readers
        return getattr(readers, name)
    raise AttributeError(f"module 'surveys' has no attribute '{name}'")


_KINDS = ("item", "text", "multi")


def _chosen_mapping(raw: Any, questionnaire: Any, mapping: Any, channel: str | None) -> Mapping:
    """The mapping for one export: a confirmed Mapping as given; a saved list found by
    fingerprint; a JSON dict (or {column: role}) laid over the suggestion."""
    if isinstance(mapping, Mapping):
        return replace(mapping, channel=channel) if channel else mapping
    if isinstance(mapping, list):
        chosen, _ = apply_saved_mapping(raw, questionnaire, mapping, channel=channel)
        return chosen
    chosen = suggest_mapping(raw, questionnaire, channel=channel)
    return merge_mapping(chosen, mapping) if mapping else chosen


def _split_known(known: dict[str, str] | None) -> dict[str, dict[str, str]]:
    """{"item:k": text} → {"item": {"k": text}}; a bare key counts as an item. A
    multi-select option "multi:k:o" is not a question: see _known_options."""
    out: dict[str, dict[str, str]] = {kind: {} for kind in _KINDS}
    for key, text in (known or {}).items():
        kind, _, bare = str(key).partition(":") if ":" in str(key) else ("item", "", str(key))
        if kind in out and not (kind == "multi" and ":" in bare):
            out[kind][bare] = str(text)
    return out


def _known_options(known: dict[str, str] | None) -> dict[str, dict[str, str]]:
    """{"multi:k:o": label} → {"k": {"o": label}}: the options each known multi-select has."""
    out: dict[str, dict[str, str]] = {}
    for key, text in (known or {}).items():
        kind, _, rest = str(key).partition(":")
        question, _, option = rest.partition(":")
        if kind == "multi" and option:
            out.setdefault(question, {})[option] = str(text)
    return out


def _bare(key: str) -> str:
    return key.split(":", 1)[1] if key.startswith(tuple(f"{k}:" for k in _KINDS)) else key


def match_columns(raw: Any, questionnaire: Any, mapping: Mapping,
                  known: dict[str, str] | None = None,
                  overrides: dict[str, str] | None = None,
                  layouts: list[tuple[list[str], dict[str, str]]] | None = None
                  ) -> tuple[dict[str, str], list[dict]]:
    """({column: key} of the item and text columns, the matching as plain rows).

    `known` is {"item:<key>": text, …} of earlier files or weeks; `overrides` the
    officer's {column: key}; `layouts` [(columns, {column: "item:<key>"}), …] of earlier
    files, so a header that is only a code ('s1') takes the key of the column at the same
    place in an export of the same form with texts. Rows: {column, file, text, key,
    score, kind, matched_text} with key as the full column name ("item:<key>").
    """
    from surveys.matching import match_to_known, twin_keys
    from surveys.respondents import answer_text

    questions = {q.column: q for q in questionnaire.questions if not q.pii}
    by_kind = _split_known(known)
    given = overrides
    option_overrides = {c: _bare(k).split(":", 1)[1] for c, k in (overrides or {}).items()
                        if str(k).startswith("multi:") and _bare(k).count(":") == 1}
    overrides = {c: _bare(k).split(":", 1)[0] for c, k in (overrides or {}).items()}
    twins = twin_keys(_plain_columns(raw, questionnaire), layouts or [])
    for column, (key, _) in twins.items():
        kind = key.split(":", 1)[0]
        if column not in overrides and mapping.roles.get(column) == kind:
            overrides[column] = _bare(key)
    keys: dict[str, str] = {}
    rows: list[dict] = []
    for kind in ("item", "text"):
        wanted = [(c, answer_text(c, questions.get(c))) for c, role in mapping.roles.items()
                  if role == kind and c in questions]
        if not wanted:
            continue
        found = match_to_known(wanted, by_kind[kind], file=raw.file_name,
                               overrides={c: k for c, k in overrides.items() if c in dict(wanted)})
        for match in found:
            keys[match.column] = match.key
            row = {**match.to_dict(), "kind": kind, "key": f"{kind}:{match.key}"}
            if match.column in twins and match.column not in (given or {}):
                row.update(score=80.0, matched_text=by_kind[kind].get(match.key, ""),
                           twin=twins[match.column][1])
            rows.append(row)
    multi_keys, multi_rows = _match_multi(raw, questionnaire, mapping, known, overrides,
                                          option_overrides, layouts)
    keys.update(multi_keys)
    rows.extend(multi_rows)
    _adopt_code_keys(_plain_columns(raw, questionnaire), layouts or [], keys, rows, given or {})
    return keys, rows


def _match_multi(raw: Any, questionnaire: Any, mapping: Mapping, known: dict[str, str] | None,
                 overrides: dict[str, str], option_overrides: dict[str, str],
                 layouts: list | None, fixed_keys: dict[str, str] | None = None
                 ) -> tuple[dict[str, str], list[dict]]:
    """The multi-selects of one file: ({column: question key}, rows). A question is matched
    on its text; one named only by a code ('onderwerpen', Kobo XML) by its twin in a labels
    export of the same form, else by its options fitting a known question's options. Then
    each option is matched within its question (surveys.matching.match_options) and gets
    a row of kind 'option' {question, column, file, text, key "multi:<k>:<o>", score,
    matched_text, how}. `fixed_keys` {column: question key} skips the question step."""
    from surveys.matching import is_option_code, match_options, match_to_known, multi_twins, options_fit
    from surveys.questionnaire import split_stem
    from surveys.respondents import cell_options, multi_groups

    questions = {q.column: q for q in questionnaire.questions if not q.pii}
    known_multi = _split_known(known)["multi"]
    known_options = _known_options(known)
    groups = multi_groups({c: r for c, r in mapping.roles.items() if c in questions}, questions)
    twins = multi_twins(_plain_columns(raw, questionnaire), layouts or [])

    def split(column: str) -> bool:
        return len(questions[column].options) == 1 and split_stem(column) is not None

    def seen(members: list[str], known_labels: dict[str, str]) -> tuple[list, set[str]]:
        """[(column, option text)] of a question in this file, and the texts that may be
        typed answers (only a known label's exact twin makes them an option)."""
        found, loose = [], set()
        for column in members:
            if split(column):
                found.append((column, str(questions[column].options[0])))
                continue
            _, options, other = cell_options(raw, column, questions[column],
                                             tuple(known_labels.values()))
            found += [(column, o) for o in options]
            loose |= other
        return list(dict.fromkeys(found)), loose

    keys: dict[str, str] = {}
    rows: list[dict] = []
    if fixed_keys is None:
        fixed = {g: next((overrides[c] for c in cols if c in overrides), "")
                 for g, cols in groups.items()}
        found = match_to_known([(g, g) for g in groups], known_multi, file=raw.file_name,
                               overrides={g: k for g, k in fixed.items() if k})
        taken = {m.key for m in found if m.score > 0}
        chosen: dict[str, tuple[Any, dict]] = {}
        for match in found:
            extra: dict[str, Any] = {}
            members = groups[match.column]
            if not match.score and match.column not in {g for g, k in fixed.items() if k}:
                by_place = {twins[c][0] for c in members if c in twins}
                if len(by_place) == 1 and (key := by_place.pop()) not in taken:
                    match = replace(match, key=key, score=80.0,
                                    matched_text=known_multi.get(key, ""))
                    extra = {"twin": twins[members[0]][2] if members[0] in twins else "",
                             "how": "place"}
                elif is_option_code(match.column):
                    texts = [t for _, t in seen(members, {})[0]]
                    fits = {k: options_fit(texts, known_options.get(k, {})) for k in known_multi
                            if k not in taken}
                    best = [k for k, n in fits.items() if n >= 2 and n >= 0.75 * len(texts)]
                    if len(best) == 1:
                        match = replace(match, key=best[0], score=80.0,
                                        matched_text=known_multi.get(best[0], ""))
                        extra = {"how": "options"}
            taken.add(match.key)
            chosen[match.column] = (match, extra)
    else:
        chosen = {}
        for group, members in groups.items():
            key = next((fixed_keys[c] for c in members if c in fixed_keys), "")
            if key:
                chosen[group] = (None, {"key": key})
    for group, (match, extra) in chosen.items():
        key = match.key if match is not None else extra["key"]
        members = groups[group]
        for column in members:
            keys[column] = key
            if match is not None:
                rows.append({**match.to_dict(), "column": column, "kind": "multi",
                             "key": f"multi:{key}", **extra})
        labels = known_options.get(key, {})
        options, loose = seen(members, labels)
        place_twins = {text: twins[column][1] for column, text in options if column in twins}
        wanted = {t: option_overrides[c] for c, t in options if c in option_overrides}
        matched = match_options(options, labels, question=f"multi:{key}", file=raw.file_name,
                                twins=place_twins, overrides=wanted, exact_only=loose)
        for option in matched:
            if option.text in loose and (option.how not in ("same", "officer")
                                         or option.key == "anders"):
                continue  # a typed answer: never a column name, never stored as a label
            rows.append({**option.to_dict(), "kind": "option",
                         "key": f"multi:{key}:{option.key}", "split": split(option.column)})
    return keys, rows


def _plain_columns(raw: Any, questionnaire: Any) -> list[str]:
    """The file's columns in order, without those holding personal data (their headers are
    kept with the import to line up code-only exports, see surveys.matching.twin_keys)."""
    pii = {q.column for q in questionnaire.questions if q.pii}
    return [str(c) for c in raw.frame.columns if str(c) not in pii]


def _adopt_code_keys(columns: list[str], layouts: list, keys: dict[str, str], rows: list[dict],
                     given: dict[str, str]) -> None:
    """A statement with text that found no match takes the key of the code-only column
    ('stellingen/s1') at its place in an earlier export of the same form, so the order in
    which the officer imports the labels and the XML export does not matter."""
    from surveys.matching import twin_keys

    twins = twin_keys(columns, layouts, reverse=True)
    used = {r["key"] for r in rows}
    for row in rows:
        column = row["column"]
        if column not in twins or column in given or row["score"] or row["kind"] == "multi":
            continue
        key, twin = twins[column]
        if key.split(":", 1)[0] != row["kind"] or key in used:
            continue
        used.add(key)
        keys[column] = _bare(key)
        row.update(key=key, score=80.0, matched_text="", twin=twin)


def import_file(raw: Any, questionnaire: Any = None, mapping: Any = None, *,
                channel: str | None = None, known: dict[str, str] | None = None,
                keys: dict[str, str] | None = None, salt: str | None = None,
                layouts: list[tuple[list[str], dict[str, str]]] | None = None) -> pd.DataFrame:
    """One export already read (a RawExport) → its respondents: the dashboard's call,
    the same steps import_files takes per file, so both give the same table.

    `known`: the project's {"item:<key>": text} (Store.known_keys), so next week's file
    lines up with the earlier ones; `keys`: the officer's {column: key} corrections.
    `layouts`: earlier files' (columns, item_keys) for code-only headers (match_columns).
    `attrs`: warnings, fingerprint, content_hash, file_name, matching (rows), key_texts
    ({"item:<key>": text} of this file), item_keys ({column: "item:<key>"}), columns
    (the file's columns in order), mapping.
    """
    questionnaire = questionnaire or infer_questionnaire(raw)
    chosen = _chosen_mapping(raw, questionnaire, mapping, channel)
    column_keys, rows = match_columns(raw, questionnaire, chosen, known, keys, layouts)
    return _build(raw, questionnaire, chosen, column_keys, rows, salt)


def _build(raw: Any, questionnaire: Any, chosen: Mapping, column_keys: dict[str, str],
           rows: list[dict], salt: str | None) -> pd.DataFrame:
    from surveys.matching import describe_matches

    frame = to_respondents(raw, chosen, questionnaire, keys=column_keys, salt=salt,
                           options=option_keys(rows))
    frame.attrs["warnings"] = (list(raw.warnings) + list(frame.attrs.get("warnings", []))
                               + describe_matches(rows))
    present = set(frame.columns) | {c.rsplit(":", 1)[0] for c in frame.columns
                                     if c.startswith("multi:")}
    frame.attrs["matching"] = rows
    frame.attrs["item_keys"] = {c: k for c, k in column_keys_of(rows).items() if k in present}
    frame.attrs["key_texts"] = {r["key"]: _row_text(r) for r in rows if r["key"] in present}
    frame.attrs["columns"] = _plain_columns(raw, questionnaire)
    frame.attrs["mapping"] = chosen
    return frame


def option_keys(rows: list[dict]) -> dict[str, dict[str, str]]:
    """{question key: {option text: option key}} from the matching rows of kind 'option'."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.get("kind") == "option":
            question, _, option = str(row["key"])[6:].partition(":")
            out.setdefault(question, {})[str(row["text"])] = option
    return out


def column_keys_of(rows: list[dict]) -> dict[str, str]:
    """{column: full key} as saved with an import (`item_keys`): a question's key, and for a
    multi-select option held in a column of its own that option's key "multi:<k>:<o>", so
    a later export of the same form lines up option by option (surveys.matching.multi_twins)."""
    out = {r["column"]: r["key"] for r in rows if r.get("kind") != "option"}
    out.update({r["column"]: r["key"] for r in rows if r.get("kind") == "option" and r.get("split")})
    return out


def _row_text(row: dict, old: str | None = None) -> str:
    """The text to remember for a row's key: a question over a bare code, a label over a
    choice code."""
    from surveys.matching import better_option_text, better_text

    if row.get("kind") == "option":
        return better_option_text(better_option_text(old, row.get("matched_text") or ""),
                                  row["text"])
    return better_text(old, better_text(row["matched_text"], row["text"]))


def _saved_keys(mapping: Any, chosen: Mapping) -> dict[str, str]:
    """The officer's {column: key} saved with a mapping (`item_keys`, as the dashboard
    stores it), for the form this file is: a mapping dict, or the one in a list with
    this file's fingerprint."""
    candidates = mapping if isinstance(mapping, list) else [mapping]
    for item in candidates:
        if not isinstance(item, dict) or not isinstance(item.get("item_keys"), dict):
            continue
        if isinstance(mapping, list) and item.get("fingerprint") != chosen.fingerprint:
            continue
        return {str(c): str(k) for c, k in item["item_keys"].items()
                if c in chosen.roles and isinstance(k, str)}
    return {}


def _code_share(questionnaire: Any, chosen: Mapping) -> float:
    """Share of the item columns whose header is only a code ('s1'): such files are
    matched after the files with texts, whose keys they take by place."""
    from surveys.matching import is_code

    items = [c for c, r in chosen.roles.items() if r == "item"]
    return sum(map(is_code, items)) / len(items) if items else 0.0


def import_files(files: list[tuple[str, bytes]], mapping: dict | list | None = None,
                 channel: str | None = None, *, known: dict[str, str] | None = None,
                 keys: dict[str, Any] | None = None, salt: str | None = None) -> pd.DataFrame:
    """Read, infer, map, match and combine several exports into one respondents table.

    `mapping` is a Mapping JSON dict (or a bare {column: role} dict, or a list of Mapping
    dicts found by header fingerprint); it is laid over the suggested mapping. The same
    question in several files gets one key (surveys.matching); `keys` corrects it
    ({column: key}, or {file name: {column: key}}; a saved mapping's `item_keys` count as
    such a correction for its form). The same person twice counts once
    (surveys.identity). `attrs`: duplicates, warnings, matching, key_texts, excluded
    ({reason: count}) and files ([{file, source, rows, fingerprint}]).
    """
    from surveys.readers import read_export

    prepared = []
    for file_name, data in files:
        raw = read_export(data, file_name)
        questionnaire = infer_questionnaire(raw)
        prepared.append((raw, questionnaire, _chosen_mapping(raw, questionnaire, mapping, channel)))
    grown = dict(known or {})
    layouts: list[tuple[list[str], dict[str, str]]] = []
    matched: dict[int, tuple[dict[str, str], list[dict]]] = {}
    owns: dict[int, dict[str, str]] = {}
    order = sorted(range(len(prepared)), key=lambda i: _code_share(*prepared[i][1:]) > 0.5)
    for i in order:
        raw, questionnaire, chosen = prepared[i]
        given = (keys or {}).get(raw.file_name)
        own: dict[str, str] = given if isinstance(given, dict) else (
            {c: k for c, k in (keys or {}).items() if isinstance(k, str)})
        own = {**_saved_keys(mapping, chosen), **own}
        owns[i] = own
        column_keys, rows = match_columns(raw, questionnaire, chosen, grown, own, layouts)
        matched[i] = (column_keys, rows)
        for row in rows:
            grown[row["key"]] = _row_text(row, grown.get(row["key"]))
        layouts.append((_plain_columns(raw, questionnaire), column_keys_of(rows)))
    # a label ticked once in a small file is an option when another file offers it: the
    # options again, now knowing every file's options
    for i in order:
        raw, questionnaire, chosen = prepared[i]
        column_keys, rows = matched[i]
        multi = {c: k for c, k in column_keys.items() if chosen.roles.get(c) == "multi"}
        if not multi:
            continue
        own = {c: str(k).rsplit(":", 1)[1] for c, k in owns[i].items()
               if str(k).startswith("multi:") and str(k).count(":") == 2}
        _, again = _match_multi(raw, questionnaire, chosen, grown, {}, own, layouts,
                                fixed_keys=multi)
        rows = [r for r in rows if r.get("kind") != "option"] + again
        matched[i] = (column_keys, rows)
        for row in again:
            grown[row["key"]] = _row_text(row, grown.get(row["key"]))
    frames = [_build(raw, questionnaire, chosen, *matched[i], salt)
              for i, (raw, questionnaire, chosen) in enumerate(prepared)]
    combined, dropped = combine_respondents(frames)
    if dropped:
        combined.attrs["warnings"].append(
            f"{plural(dropped, 'respondent stond', 'respondenten stonden')} al in een eerder "
            f"bestand en {'telt' if dropped == 1 else 'tellen'} één keer mee.")
    combined.attrs["duplicates"] = dropped
    combined.attrs["matching"] = [row for f in frames for row in f.attrs["matching"]]
    combined.attrs["key_texts"] = grown
    combined.attrs["excluded"] = excluded_counts(combined)
    combined.attrs["files"] = [{"file": f.attrs.get("file_name", ""), "source": _source_of(f),
                                "rows": len(f), "fingerprint": f.attrs.get("fingerprint", "")}
                               for f in frames]
    return combined


def excluded_counts(respondents: pd.DataFrame) -> dict[str, int]:
    """{reason: count} of the rows that do not count (column `excluded`)."""
    if "excluded" not in respondents.columns:
        return {}
    reasons = respondents["excluded"].dropna().astype(str)
    return {str(k): int(v) for k, v in reasons[reasons != ""].value_counts().items()}


def _source_of(frame: pd.DataFrame) -> str:
    return str(frame["source"].iloc[0]) if "source" in frame.columns and len(frame) else ""
