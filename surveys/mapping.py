"""Mappings: which column plays which role, saved as JSON and found again by the header.

A team uploads the same form every week or two. The header fingerprint (a hash of the
normalised column names) finds last week's confirmed mapping, so the new export maps
without questions; columns that are new this week get the suggested role.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from surveys.errors import MappingError
from surveys.likert import normalize_label
from surveys.model import FORMAT_CHANNEL, ROLES, Mapping, Questionnaire, RawExport

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def header_fingerprint(raw: RawExport) -> str:
    """Stable hash of the normalised header: equal for next week's export of the same form.

    Column order and case, accents and punctuation do not matter; the set of questions does.
    """
    names = sorted({normalize_label(c) or str(c) for c in raw.frame.columns})
    digest = hashlib.sha256(json.dumps(names, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def suggest_mapping(raw: RawExport, questionnaire: Questionnaire, *,
                    channel: str | None = None) -> Mapping:
    """The suggested roles of every column, as a Mapping the user can confirm or change.

    The channel follows the kind of file (online tool → online, typed-in paper form →
    papier, conversation log → straatgesprek) unless `channel` is given; an answer to
    "how did you hear about this survey" never sets it.
    """
    roles: dict[str, str] = {}
    for question in questionnaire.questions:
        role = "ignore" if question.pii else question.role
        if role == "respondent_id" and _holds_emails(raw, question.column):
            role = "ignore"  # never use an e-mail address as respondent id
        roles[question.column] = role
    return Mapping(fingerprint=header_fingerprint(raw), roles=roles, sheet=raw.sheet,
                   channel=channel or FORMAT_CHANNEL.get(raw.format, "online"))


def _holds_emails(raw: RawExport, column: str) -> bool:
    values = raw.frame[column].dropna().astype(str).head(200)
    return bool(len(values)) and values.str.fullmatch(_EMAIL).mean() >= 0.2


def validate_mapping(mapping: Mapping, raw: RawExport) -> Mapping:
    """Check roles against ROLES; unknown roles raise a Dutch MappingError naming the column."""
    for column, role in mapping.roles.items():
        if role not in ROLES:
            raise MappingError(
                f"onbekende rol '{role}'. Kies een van: {', '.join(ROLES)}.",
                file=raw.file_name, column=column)
    for role in ("respondent_id", "responded_at"):
        holders = [c for c, r in mapping.roles.items() if r == role and c in raw.frame.columns]
        if len(holders) > 1:
            raise MappingError(
                f"de rol '{role}' staat op meer dan één kolom ({', '.join(holders)}). "
                "Kies er één.", file=raw.file_name)
    return mapping


def merge_mapping(suggested: Mapping, given: Mapping | dict[str, Any]) -> Mapping:
    """The user's choices over the suggestion, for the columns this export really has."""
    channel = None
    if isinstance(given, dict):
        channel = given.get("channel")
        given = mapping_from_json(given)
    else:
        channel = given.channel
    roles = dict(suggested.roles)
    for column, role in given.roles.items():
        if column in roles:
            if role in ("respondent_id", "responded_at"):
                roles = {c: ("ignore" if r == role else r) for c, r in roles.items()}
            roles[column] = role
    recodes = {**suggested.recodes, **{c: v for c, v in given.recodes.items() if c in roles}}
    return replace(suggested, roles=roles, recodes=recodes,
                   channel=channel or suggested.channel,
                   sheet=given.sheet or suggested.sheet)


def mapping_from_json(data: dict[str, Any]) -> Mapping:
    """Read a Mapping from its JSON dict; a bare {column: role} dict is accepted too."""
    if "roles" not in data:
        data = {"fingerprint": "", "roles": data}
    try:
        return Mapping.from_dict({"fingerprint": "", **data})
    except (TypeError, AttributeError, ValueError) as error:
        raise MappingError(f"de koppeling is geen geldige JSON-koppeling ({error}).") from error


def apply_saved_mapping(raw: RawExport, questionnaire: Questionnaire,
                        saved: Iterable[Mapping | dict[str, Any]], *,
                        channel: str | None = None) -> tuple[Mapping, bool]:
    """The saved mapping with this export's fingerprint, merged over the suggestion.

    Returns (mapping, found): `found` is False when no saved mapping matched and the plain
    suggestion is returned.
    """
    suggestion = suggest_mapping(raw, questionnaire, channel=channel)
    for item in saved:
        mapping = mapping_from_json(item) if isinstance(item, dict) else item
        if mapping.fingerprint == suggestion.fingerprint:
            merged = merge_mapping(suggestion, mapping)
            if channel:
                merged = replace(merged, channel=channel)
            for question in questionnaire.questions:  # personal data stays dropped
                if question.pii:
                    merged.roles[question.column] = "ignore"
                # "how did you hear" is never the channel, also not in a mapping saved
                # before that was known
                elif question.role == "recruitment" and \
                        merged.roles.get(question.column) == "channel":
                    merged.roles[question.column] = "recruitment"
            return merged, True
    return suggestion, False
