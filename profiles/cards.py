"""Profile cards: what sets a profile apart, who is in it, and a suggested Dutch name.

Distinguishing answers follow Polis' "repness": the share giving an answer inside the
profile against the rest, a one-sided two-proportion z-test, Benjamini–Hochberg over all
answers of a profile (as Red Dwarf does), and the top 5 by lift. Likert answers are read
as "eens" (above the scale midpoint), "neutraal" (on it) and "oneens" (below), which
officers understand. The test only picks answers; cards show no p-values, because the
profiles were fitted on these same answers (the test is circular there). Cards show the
class's bootstrap stability and classification certainty instead. When nothing stands
out (a group that mostly answers "neutraal"), the card shows the profile's most common
answers as "typisch", so no card is empty.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from scipy.stats import norm

from profiles.coverage import cbs_age_band
from profiles.items import item_text, scale_bounds
from profiles.model import ProfileCard, ProfileResult
from profiles.naming import statement, unique_names, unit_agreement
from surveys.errors import InputError

DEMOGRAPHICS = ("age_band", "gender", "household", "tenure", "origin")
MIN_CELL = 10
ALPHA = 0.05
TOP = 5
TYPICAL = 3
TYPICAL_SHARE = 0.4


def benjamini_hochberg(p_values) -> np.ndarray:
    """BH-adjusted p-values (step-up, monotone, capped at 1)."""
    p = np.asarray(p_values, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def two_proportion_z(yes_in: float, n_in: float, yes_out: float, n_out: float) -> tuple[float, float]:
    """Pooled two-proportion z and its one-sided p-value (inside > outside)."""
    if n_in == 0 or n_out == 0:
        return 0.0, 1.0
    pooled = (yes_in + yes_out) / (n_in + n_out)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    if se == 0:
        return 0.0, 1.0
    z = (yes_in / n_in - yes_out / n_out) / se
    return float(z), float(norm.sf(z))


def answer_indicators(respondents: pd.DataFrame, items: list[str],
                      labels: dict[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    """0/1/NaN columns, one per readable answer: Likert 'eens'/'neutraal'/'oneens' ('neutraal'
    only when the scale has a middle answer), multi options chosen."""
    cols: dict[str, pd.Series] = {}
    meta: dict[str, tuple[str, str]] = {}
    for item in items:
        series = respondents[item]
        if item.startswith("multi:") or pd.api.types.is_bool_dtype(series):
            key = f"{item}=ja"
            cols[key] = pd.to_numeric(series, errors="coerce").astype(float)
            meta[key] = (item_text(item, labels), "gekozen")
            continue
        values = pd.to_numeric(series, errors="coerce").astype(float)
        lo, hi = scale_bounds(values)
        mid = (lo + hi) / 2
        answers = [("eens", values > mid), ("oneens", values < mid)]
        if float(mid).is_integer() and (values == mid).any():
            answers.insert(1, ("neutraal", values == mid))
        for answer, mask in answers:
            key = f"{item}={answer}"
            cols[key] = mask.astype(float).where(values.notna())
            meta[key] = (item_text(item, labels), answer)
    return pd.DataFrame(cols, index=respondents.index), meta


def distinguishing_answers(indicators: pd.DataFrame, inside: np.ndarray,
                           meta: dict[str, tuple[str, str]] | None = None, *, top: int = TOP) -> pd.DataFrame:
    """Answers given more often inside the profile than outside, BH-corrected, best first.

    Columns: key, item, answer, share_in, share_out, lift, z, p, p_adj; only answers with
    ≥ 10 answering people on both sides, p_adj < 0.05 and share_in > share_out, top `top`.
    """
    rows = []
    for key in indicators.columns:
        col = indicators[key].to_numpy(dtype=float)
        seen = ~np.isnan(col)
        n_in, n_out = float((seen & inside).sum()), float((seen & ~inside).sum())
        yes_in, yes_out = float(np.nansum(col[inside])), float(np.nansum(col[~inside]))
        z, p = two_proportion_z(yes_in, n_in, yes_out, n_out)
        lift = ((1 + yes_in) / (2 + n_in)) / ((1 + yes_out) / (2 + n_out))
        item, answer = (meta or {}).get(key, (key, ""))
        rows.append({"key": key, "item": item, "answer": answer, "n_in": n_in, "n_out": n_out,
                     "share_in": yes_in / n_in if n_in else np.nan,
                     "share_out": yes_out / n_out if n_out else np.nan, "lift": lift, "z": z, "p": p})
    table = pd.DataFrame(rows, columns=["key", "item", "answer", "n_in", "n_out", "share_in",
                                        "share_out", "lift", "z", "p"])
    table = table[(table["n_in"] >= MIN_CELL) & (table["n_out"] >= MIN_CELL)].copy()
    table["p_adj"] = benjamini_hochberg(table["p"].to_numpy())
    keep = (table["p_adj"] < ALPHA) & (table["share_in"] > table["share_out"])
    return table[keep].sort_values(["lift", "z"], ascending=False).head(top).reset_index(drop=True)


def _shares(series: pd.Series) -> dict[str, float]:
    filled = series.astype(object).where(series.notna(), "onbekend").astype(str)
    return {str(k): float(v) for k, v in filled.value_counts(normalize=True).sort_index().items()}


def _answer_phrase(row: pd.Series) -> str:
    if row["answer"] == "gekozen":
        return f"kiest {statement(row['item'])}"
    if row["answer"] == "neutraal":
        return f"neutraal over {statement(row['item'])}"
    return f"{row['answer']} met {statement(row['item'])}"


def typical_answers(indicators: pd.DataFrame, inside: np.ndarray,
                    meta: dict[str, tuple[str, str]] | None = None, *, top: int = TYPICAL) -> pd.DataFrame:
    """The answers most common inside the profile (share ≥ 40%), neutral ones first on a
    tie: what the card shows when no answer sets the profile apart."""
    rows = []
    for key in indicators.columns:
        col = indicators[key].to_numpy(dtype=float)
        seen = ~np.isnan(col)
        n_in, n_out = float((seen & inside).sum()), float((seen & ~inside).sum())
        if not n_in:
            continue
        yes_in, yes_out = float(np.nansum(col[inside])), float(np.nansum(col[~inside]))
        item, answer = (meta or {}).get(key, (key, ""))
        rows.append({"key": key, "item": item, "answer": answer, "n_in": n_in, "n_out": n_out,
                     "share_in": yes_in / n_in, "share_out": yes_out / n_out if n_out else np.nan,
                     "lift": ((1 + yes_in) / (2 + n_in)) / ((1 + yes_out) / (2 + n_out)),
                     "neutral": answer == "neutraal"})
    table = pd.DataFrame(rows, columns=["key", "item", "answer", "n_in", "n_out", "share_in", "share_out",
                                        "lift", "neutral"])
    table = table[table["share_in"] >= TYPICAL_SHARE]
    return table.sort_values(["share_in", "neutral"], ascending=False).head(top).reset_index(drop=True)


def _answer_dict(row: pd.Series, kind: str) -> dict:
    share_out = float(row["share_out"]) if pd.notna(row["share_out"]) else float("nan")
    return {"item": row["item"], "column": str(row["key"]).rsplit("=", 1)[0], "answer": row["answer"],
            "share_in": float(row["share_in"]), "share_out": share_out,
            "difference": float(row["share_in"]) - share_out, "lift": float(row["lift"]), "kind": kind}


def suggest_name(index: int, top_answers: pd.DataFrame, quadrant: str | None = None) -> str:
    """A short Dutch name: the kompas quadrant if known, else the strongest answer."""
    if quadrant:
        return quadrant
    if len(top_answers):
        return f"Profiel {index + 1}: vaak {_answer_phrase(top_answers.iloc[0])}"
    return f"Profiel {index + 1}"


def build_cards(respondents: pd.DataFrame, labels: np.ndarray, items: list[str], *,
                names: dict[int, str] | None = None, descriptions: dict[int, str] | None = None,
                quadrants: dict[int, str] | None = None,
                question_labels: dict[str, str] | None = None,
                extras: dict[int, dict] | None = None) -> tuple[ProfileCard, ...]:
    """One card per profile id in `labels` (−1 = no profile, left out of the cards).

    `quadrants` are content names (from the axes); `names` are the team's own names;
    `extras` per id sets further card fields (flag, note, stability, certainty,
    engagement, trust, or demographics/channels corrected by profiles.threestep). Names are made unique by the statement profiles differ on most.
    """
    indicators, meta = answer_indicators(respondents, items, question_labels)
    assigned = labels >= 0
    n_assigned = int(assigned.sum())
    ids = sorted(int(i) for i in np.unique(labels[assigned]))
    tops = {pid: distinguishing_answers(indicators[assigned], (labels == pid)[assigned], meta) for pid in ids}
    fixed = {pid for pid in ids if (names or {}).get(pid)}
    base = {pid: (names or {}).get(pid) or suggest_name(pid, tops[pid], (quadrants or {}).get(pid)) for pid in ids}
    likert = [c for c in items if not c.startswith("multi:")]
    agreement = unit_agreement(respondents, labels, likert) if likert else pd.DataFrame()
    unique = unique_names(base, agreement, {c: item_text(c, question_labels) for c in items}, frozenset(fixed))
    cards = []
    for pid in ids:
        inside = labels == pid
        top = tops[pid]
        size = int(inside.sum())
        kind = "onderscheidend"
        if top.empty:
            top, kind = typical_answers(indicators[assigned], inside[assigned], meta), "typisch"
        lines = "; ".join(f"{_answer_phrase(r)} ({r['share_in']:.0%} tegen {r['share_out']:.0%})"
                          for _, r in top.head(2).iterrows())
        lead = "Vaker dan anderen" if kind == "onderscheidend" else "Geen antwoord springt eruit; het meest gegeven"
        description = (descriptions or {}).get(pid) or (
            f"{lead}: {lines}." if lines else "Geen antwoorden die duidelijk afwijken van de rest.")
        members = respondents.loc[inside]
        demographics = {d: _shares(cbs_age_band(members) if d == "age_band" else members[d])
                        for d in DEMOGRAPHICS if d in respondents.columns or (d == "age_band" and "age" in respondents.columns)}
        channels = _shares(members["channel"]) if "channel" in respondents.columns else {}
        answers = tuple(_answer_dict(r, kind) for _, r in top.iterrows())
        fields = {"demographics": demographics, "channels": channels, **(extras or {}).get(pid, {})}
        cards.append(ProfileCard(id=pid, name=unique[pid], description=description, size=size,
                                 share=size / n_assigned if n_assigned else 0.0, top_answers=answers, **fields))
    return tuple(cards)


def rename_profiles(result: ProfileResult, names: dict[int, str]) -> ProfileResult:
    """The same result with user-chosen names (ids not in `names` keep their name)."""
    known = {c.id for c in result.cards}
    unknown = sorted(set(names) - known)
    if unknown:
        raise InputError(f"Onbekend profielnummer: {', '.join(map(str, unknown))}. "
                         f"Bestaande profielen: {', '.join(map(str, sorted(known)))}.")
    clean = {int(k): str(v).strip() for k, v in names.items()}
    empty = [k for k, v in clean.items() if not v]
    if empty:
        raise InputError(f"Een profielnaam mag niet leeg zijn (profiel {empty[0]}).")
    cards = tuple(dataclasses.replace(c, name=clean.get(c.id, c.name)) for c in result.cards)
    mapping = {c.id: c.name for c in cards}
    assignments = result.assignments.copy()
    if "name" in assignments.columns:
        assignments["name"] = [mapping.get(p, n) if p is not None and not pd.isna(p) else n
                               for p, n in zip(assignments["profile"], assignments["name"])]
    return dataclasses.replace(result, cards=cards, assignments=assignments)
