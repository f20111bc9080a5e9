"""Who is who: respondent ids, their salted hashes, and the one de-duplication rule.

One rule, used by `combine_respondents` (CLI) and the project store (dashboard), so both
count the same people:

- the same person = the same form (header fingerprint) AND the same source id;
- a generated row number (`id_generated`, no id column or an empty cell) is never an
  identity: such a row is only "the same" as the same row of the same file content, so
  importing one file twice adds nothing, but next week's log without ids adds everyone.

Ids that look like personal data (a name, an e-mail address, an invitation code) are kept
only as a salted hash. The salt is `$BEREIKWIJZER_ID_SALT` (set it per installation and
keep it outside the database) plus a project part, so the same code hashes the same way
within a project and differently across projects; without the variable a fixed app salt
is used, which still keeps the plain code out of every file and table.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

SALT_ENV = "BEREIKWIJZER_ID_SALT"
_APP_SALT = "bereikwijzer-respondent-id-v1"
_HASH_PREFIX = "h:"
_NAME_LIKE = re.compile(r"^[A-Za-zÀ-ÿ'.-]+(?:\s+[A-Za-zÀ-ÿ'.-]+){1,4}$")


def id_salt(project_part: str = "") -> str:
    """The salt for hashing personal ids: installation secret (env) + project part."""
    return f"{os.environ.get(SALT_ENV) or _APP_SALT}|{project_part}"


def hash_id(value: str, salt: str) -> str:
    """A short keyed hash of a personal id ('h:' + 20 hex digits); stable per salt."""
    try:
        from surveys import pii
        helper = getattr(pii, "hash_identifier", None)
        if helper is not None:
            hashed = helper(value, salt)
            if isinstance(hashed, str) and hashed:
                return hashed if hashed.startswith(_HASH_PREFIX) else _HASH_PREFIX + hashed
    except TypeError:  # another signature than (value, salt): use our own
        pass
    digest = hmac.new(salt.encode("utf-8"), value.strip().casefold().encode("utf-8"),
                      hashlib.sha256).hexdigest()
    return _HASH_PREFIX + digest[:20]


def id_text(value: Any) -> str:
    """An id cell as text: 17.0 and 17 are the same id, empty cells are ''."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return "" if text.lower() in ("nan", "<na>", "none") else text


def ids_look_personal(column: str, values: Iterable[Any], *, pii_column: bool = False) -> bool:
    """True when an id column holds names, e-mail addresses, phone numbers or invitation
    codes: such ids are stored only as a salted hash.

    Asks surveys.pii first (header and values); falls back to an '@' test and to
    "two to five words of letters" (a name), which no tool's response id looks like.
    """
    texts = [t for t in (id_text(v) for v in values) if t][:500]
    if pii_column:
        return True
    try:
        from surveys import pii
        check = getattr(pii, "looks_like_personal_id", None)
        if check is not None and check(texts, str(column)):
            return True
        if check is None and pii.column_pii_reason(str(column), texts):
            return True
    except Exception:
        return True
    if any("@" in t for t in texts):
        return True
    return bool(texts) and sum(bool(_NAME_LIKE.match(t)) for t in texts) >= 0.5 * len(texts)


def person_keys(frame: pd.DataFrame, content_hash: str = "") -> list[str]:
    """The de-duplication key of every row (see the module docstring).

    Within one form: rows with an equal key are the same person. A real source id gives
    the id itself; a generated one gives '#<content hash>:<generated id>', equal only for the
    same row of the same file content. `content_hash` defaults to the hash in `source`.
    (A real id is its own key, as the store has always kept it.)
    """
    n = len(frame)
    ids = frame["respondent_id"].tolist() if "respondent_id" in frame.columns else [""] * n
    generated = (frame["id_generated"].fillna(True).astype(bool).tolist()
                 if "id_generated" in frame.columns else None)
    sources = frame["source"].tolist() if "source" in frame.columns else [""] * n
    keys = []
    for i, (value, source) in enumerate(zip(ids, sources)):
        text = id_text(value)
        is_generated = (generated[i] if generated is not None else False) or not text
        if not is_generated:
            keys.append(text)
            continue
        salt = content_hash or _hash_of(source)
        keys.append(f"#{salt}:{text or i + 1}")
    return keys


def _hash_of(source: Any) -> str:
    text = id_text(source)
    return text.rsplit("#", 1)[-1] if "#" in text else text


def duplicated_people(frames: list[pd.DataFrame]) -> list[pd.Series]:
    """Per frame, a boolean Series: True for a row whose person came earlier.

    Frames carry `attrs["fingerprint"]` (the form) and `attrs["content_hash"]`; a frame
    without them counts as one form whose content is its `source`.
    """
    seen: set[tuple[str, str]] = set()
    hashes: set[tuple[str, str]] = set()
    out = []
    for frame in frames:
        fingerprint = str(frame.attrs.get("fingerprint") or "")
        content = str(frame.attrs.get("content_hash") or "")
        if content and (fingerprint, content) in hashes:  # the same file twice adds nothing
            out.append(pd.Series(True, index=frame.index, dtype=bool))
            continue
        if content:
            hashes.add((fingerprint, content))
        flags = []
        for key in person_keys(frame, content[:12]):
            pair = (fingerprint, key)
            flags.append(pair in seen)
            seen.add(pair)
        out.append(pd.Series(flags, index=frame.index, dtype=bool))
    return out
