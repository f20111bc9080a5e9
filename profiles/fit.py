"""One entry point for the CLI and the dashboard: respondents in, ProfileResult out."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd

from profiles.cards import build_cards
from profiles.items import (ItemSelection, ProfileDataError, check_not_demographic, suggest_items,
                            usable_columns)
from profiles.kmeans import KMeansProfiles
from profiles.kompas import INSUFFICIENT, KompasModel, quadrant_id, quadrants
from profiles.lca import LatentClassModel
from profiles.model import ProfileResult
from profiles.selection import MIN_SIZE, select_lca

logger = logging.getLogger(__name__)

METHODS = ("lca", "kmeans", "kompas")
MIN_RESPONDENTS = 30
MIN_ITEMS = 3
K_MAX = 8
MAX_LCA_CATEGORIES = 7
METHOD_LABELS = {"lca": "latente klassen", "kmeans": "k-means", "kompas": "betrokkenheidskompas"}


def _coarsen(values: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Group long scales (1–10) into 5 answer groups: too many categories drown the LCA."""
    out, changed = values.copy(), []
    for col in values.columns:
        if values[col].nunique(dropna=True) > MAX_LCA_CATEGORIES:
            lo, hi = values[col].min(), values[col].max()
            out[col] = np.floor((values[col] - lo) / (hi - lo + 1e-9) * 5)
            changed.append(col)
    return out, changed


def _choose_items(respondents: pd.DataFrame, selection: ItemSelection, method: str,
                  items: list[str] | None) -> tuple[list[str], list[str]]:
    if items is None:
        chosen = list(selection.engagement + selection.trust) if method == "kompas" else list(selection.usable)
        return chosen, []
    check_not_demographic(list(items))
    absent = [c for c in items if c not in respondents.columns]
    if absent:
        raise ProfileDataError("Deze vragen staan niet in de antwoorden: " + ", ".join(absent) + ".")
    return usable_columns(respondents, list(items))


def _check_size(respondents: pd.DataFrame, items: list[str], method: str) -> None:
    n = len(respondents)
    if n < MIN_RESPONDENTS:
        raise ProfileDataError(f"Voor profielen zijn minstens {MIN_RESPONDENTS} respondenten nodig; "
                               f"er zijn er nu {n}. Verzamel eerst meer antwoorden.")
    if method != "kompas" and len(items) < MIN_ITEMS:
        raise ProfileDataError(f"Voor profielen zijn minstens {MIN_ITEMS} bruikbare vragen nodig; "
                               f"er zijn er nu {len(items)}. Vragen met één antwoord of met meer dan de "
                               "helft lege antwoorden tellen niet mee.")


def _axis_scores(respondents: pd.DataFrame, selection: ItemSelection) -> np.ndarray | None:
    if not selection.engagement or not selection.trust:
        return None
    model = KompasModel(selection.engagement, selection.trust, selection.reversed).fit(respondents)
    return model.transform(respondents)


def fit_profiles(respondents: pd.DataFrame, *, method: str = "lca", k: int | str = "auto",
                 items: list[str] | None = None, random_state: int = 0,
                 labels: dict[str, str] | None = None,
                 progress: Callable[[float, str], None] | None = None,
                 axes: dict[str, list[str]] | None = None) -> ProfileResult:
    """Profiles of a respondents table by `method` (lca, kmeans or kompas).

    Demographics never enter the model; they are described on the cards afterwards.
    `labels` maps item columns to their question texts (for the item axes and the cards).
    `axes` ({"engagement": [...], "trust": [...]}) is the user's own choice of questions per
    kompas axis; it overrides the suggested axes and, without `items`, sets the items.
    """
    if method not in METHODS:
        raise ProfileDataError(f"Onbekende methode '{method}'. Kies lca, kmeans of kompas.")
    if k != "auto" and (not isinstance(k, (int, np.integer)) or k < 1):
        raise ProfileDataError(f"Het aantal profielen moet 'auto' of een getal vanaf 1 zijn, niet '{k}'.")
    selection = suggest_items(respondents, labels)
    if axes is not None and items is None:
        items = list(dict.fromkeys([*axes.get("engagement", []), *axes.get("trust", [])]))
    chosen, dropped = _choose_items(respondents, selection, method, items)
    warnings = [f"Vraag '{c}' is weggelaten: één antwoord of meer dan de helft leeg." for c in dropped]
    warnings += [f"Vraag '{c}' is weggelaten. {selection.reasons[c]}" for c in selection.excluded if items is None]
    _check_size(respondents, chosen, method)
    if items is not None:
        selection = ItemSelection(tuple(c for c in chosen if c in selection.engagement),
                                  tuple(c for c in chosen if c in selection.trust), selection.reversed,
                                  tuple(chosen), selection.excluded, selection.reasons, selection.scales)
    if axes is not None:
        selection = replace(selection, engagement=tuple(c for c in axes.get("engagement", []) if c in chosen),
                            trust=tuple(c for c in axes.get("trust", []) if c in chosen))
    values = selection.recode(respondents, chosen)
    n = len(respondents)
    axes = _axis_scores(respondents, selection)
    quadrant_names: dict[int, str] = {}
    descriptions: dict[int, str] = {}
    sel_table = pd.DataFrame()

    if method == "kompas":
        if not selection.engagement or not selection.trust:
            raise ProfileDataError("Het kompas heeft vragen over betrokkenheid én over vertrouwen nodig, "
                                   "maar die zijn niet (allebei) herkend. Kies de vragen voor beide assen.")
        if k not in ("auto", 4):
            warnings.append("Het kompas heeft altijd 4 profielen; het gekozen aantal is genegeerd.")
        model = KompasModel(selection.engagement, selection.trust, selection.reversed,
                            random_state=random_state).fit(respondents)
        labels_ = model.labels_
        proba = np.where(labels_ >= 0, 1.0, np.nan)
        axes = model.transform(respondents)
        chosen_k = 4
        reason = "Het kompas deelt iedereen in op twee assen: betrokkenheid en vertrouwen."
        for q in quadrants():
            quadrant_names[int(q["id"])] = q["name"]
            descriptions[int(q["id"])] = q["description"]
        sel_table = pd.DataFrame([{"k": 4, "bic": np.nan, "entropy": np.nan, "smallest_share": np.nan,
                                   "stability": np.nan}])
    elif method == "lca":
        data, coarse = _coarsen(values)
        warnings += [f"Vraag '{c}' heeft veel antwoordmogelijkheden; voor de latente klassen zijn "
                     "die in 5 groepen samengenomen." for c in coarse]
        if k == "auto":
            sel = select_lca(data, k_max=K_MAX, random_state=random_state, progress=progress)
            model, chosen_k, reason, sel_table = sel.model, sel.k, sel.reason, sel.table
        else:
            chosen_k = int(k)
            supported = max(1, min(K_MAX, n // MIN_SIZE))
            if chosen_k > supported:
                warnings.append(f"Met {n} respondenten passen hooguit {supported} profielen "
                                f"(minstens {MIN_SIZE} mensen per profiel); {chosen_k} werd {supported}.")
                chosen_k = supported
            model = LatentClassModel(chosen_k, n_init=10, random_state=random_state).fit(data.to_numpy(dtype=float))
            reason = f"Het aantal profielen ({chosen_k}) is door de gebruiker gekozen."
            sel_table = pd.DataFrame([{"k": chosen_k, "loglik": model.loglik_, "bic": model.bic_,
                                       "entropy": model.entropy_, "smallest_share": float(
                                           np.bincount(model.labels_, minlength=chosen_k).min() / n),
                                       "stability": np.nan}])
        post = model.predict_proba(data.to_numpy(dtype=float))
        labels_ = post.argmax(axis=1)
        proba = post.max(axis=1)
        too_few = data.notna().sum(axis=1).to_numpy() < np.ceil(len(chosen) / 2)
        labels_[too_few] = -1  # they inform the fit, but their profile would be a guess
        if too_few.any():
            warnings.append(f"{int(too_few.sum())} respondenten hebben minder dan de helft van de vragen "
                            f"beantwoord: {INSUFFICIENT}.")
    else:
        if k != "auto":
            supported = max(2, min(K_MAX, n // MIN_SIZE))
            if int(k) > supported:
                warnings.append(f"Met {n} respondenten passen hooguit {supported} profielen; "
                                f"{k} werd {supported}.")
                k = supported
        model = KMeansProfiles(n_clusters=k, random_state=random_state).fit(values)
        labels_ = model.labels_
        proba = np.where(labels_ >= 0, 1.0, np.nan)
        chosen_k, reason, sel_table = model.n_clusters_, model.reason_, model.selection_
        if model.n_excluded_:
            warnings.append(f"{model.n_excluded_} respondenten hebben te veel vragen open gelaten en "
                            "zijn niet ingedeeld.")
        filled = {c: int(v) for c, v in zip(values.columns, model.imputed_) if v}
        if filled:
            warnings.append("Open antwoorden aangevuld met het gemiddelde: "
                            + ", ".join(f"{c} ({v}×)" for c, v in filled.items()) + ".")

    if axes is not None and method != "kompas":
        for pid in np.unique(labels_[labels_ >= 0]):
            eng, tru = np.nanmean(axes[labels_ == pid], axis=0)
            if not np.isnan(eng) and not np.isnan(tru):
                quadrant_names[int(pid)] = quadrants()[quadrant_id(eng, tru)]["name"]
    cards = build_cards(respondents, labels_, chosen, quadrants=quadrant_names,
                        descriptions=descriptions, question_labels=labels)
    names = {c.id: c.name for c in cards}
    unassigned = int((labels_ < 0).sum())
    if unassigned and method == "kompas":  # (lca and kmeans warn above)
        warnings.append(f"{unassigned} respondenten hebben te weinig vragen beantwoord: {INSUFFICIENT}.")
    ids = respondents["respondent_id"] if "respondent_id" in respondents.columns else pd.Series(range(n))
    assignments = pd.DataFrame({
        "respondent_id": ids.to_numpy(),
        "profile": pd.Series([int(x) if x >= 0 else None for x in labels_], dtype=object),
        "probability": pd.Series([float(p) if lab >= 0 else None for p, lab in zip(proba, labels_)], dtype=object),
        "name": [names.get(int(x), INSUFFICIENT) if x >= 0 else INSUFFICIENT for x in labels_],
    })
    if axes is not None:
        assignments["engagement"] = axes[:, 0]
        assignments["trust"] = axes[:, 1]
    return ProfileResult(method=method, k=int(chosen_k), items=tuple(chosen), assignments=assignments,
                         cards=cards, selection=sel_table.reset_index(drop=True), reason=reason,
                         warnings=tuple(warnings))


def describe_profiles(result: ProfileResult) -> str:
    """A short Dutch summary of the profiles, one line per profile."""
    lines = [f"Methode: {METHOD_LABELS.get(result.method, result.method)}. "
             f"Aantal profielen: {result.k}.", result.reason]
    for card in result.cards:
        lines.append(f"- {card.name}: {card.size} mensen ({card.share:.0%}). {card.description}")
    unassigned = sum(1 for p in result.assignments["profile"] if p is None or pd.isna(p))
    if unassigned:
        lines.append(f"Niet ingedeeld ({INSUFFICIENT}): {unassigned} mensen.")
    lines += [f"Let op: {w}" for w in result.warnings]
    return "\n".join(line for line in lines if line)
