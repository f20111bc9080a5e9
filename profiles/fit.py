"""One entry point for the CLI and the dashboard: respondents in, ProfileResult out."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from profiles.cards import DEMOGRAPHICS, build_cards
from profiles.coverage import cbs_age_band
from profiles.items import (
    ItemSelection,
    ProfileDataError,
    ScaleHarmony,
    check_not_demographic,
    harmonise_scales,
    suggest_items,
    usable_columns,
)
from profiles.kmeans import KMeansProfiles
from profiles.kompas import INSUFFICIENT, KompasModel, quadrants
from profiles.lca import LatentClassModel
from profiles.model import ProfileResult
from profiles.naming import content_name
from profiles.selection import UNCERTAIN, class_notes, lca_bootstrap_stability, max_classes, select_lca
from profiles.threestep import bch_shares

logger = logging.getLogger(__name__)

MIN_RESPONDENTS = 30
MIN_ITEMS = 3
K_MAX = 8
MAX_LCA_CATEGORIES = 7
METHOD_LABELS = {"lca": "latente klassen", "kmeans": "k-means", "kompas": "betrokkenheidskompas"}


def _coarsen(values: pd.DataFrame, bounds: dict[str, tuple[float, float]] | None = None
             ) -> tuple[pd.DataFrame, dict[str, tuple[float, float]]]:
    """Group long scales (1–10) into 5 answer groups: too many categories drown the LCA.

    Returns the grouped answers and the (lo, hi) used per grouped column, so other
    respondents (a probability sample) are grouped the same way.
    """
    out = values.copy()
    if bounds is None:
        bounds = {col: (float(values[col].min()), float(values[col].max())) for col in values.columns
                  if values[col].nunique(dropna=True) > MAX_LCA_CATEGORIES}
    for col, (lo, hi) in bounds.items():
        out[col] = np.clip(np.floor((values[col] - lo) / (hi - lo + 1e-9) * 5), 0, 4)
    return out, bounds


@dataclass(frozen=True)
class Classifier:
    """Classifies other respondents (e.g. a probability sample) with a fitted model, after
    the same recoding (reversed items, grouped long scales). A plain dataclass, not a
    closure, so a ProfileResult can be pickled (the dashboard caches it)."""

    method: str
    items: tuple[str, ...]
    selection: ItemSelection
    model: Any  # a fitted KompasModel, KMeansProfiles or LatentClassModel
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    min_answers: float = 0.0
    harmony: ScaleHarmony = field(default_factory=ScaleHarmony)

    def __call__(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(labels with −1 = too few answers, class probabilities (n, K))."""
        missing = [c for c in self.items if c not in frame.columns]
        if missing:
            raise ProfileDataError("Deze vragen ontbreken in de steekproef: " + ", ".join(missing) + ".")
        frame, _ = self.harmony.apply(frame, list(self.harmony.targets))
        if self.method == "kompas":
            return self.model.predict(frame), self.model.predict_proba(frame)
        values = self.selection.recode(frame, list(self.items))
        if self.method == "kmeans":
            return self.model.predict(values), self.model.predict_proba(values)
        data, _ = _coarsen(values, self.bounds)
        proba = self.model.predict_proba_other(data.to_numpy(dtype=float))
        labels = proba.argmax(axis=1)
        labels[data.notna().sum(axis=1).to_numpy() < self.min_answers] = -1
        return labels, proba

    def group_shares(self, frame: pd.DataFrame, weights: np.ndarray | None = None) -> np.ndarray | None:
        """The profile shares of another group under the fitted answer patterns, with that
        group's own shares as the prior (latent classes only; None for the rule-based methods)."""
        if self.method != "lca":
            return None
        frame, _ = self.harmony.apply(frame, list(self.harmony.targets))
        data, _ = _coarsen(self.selection.recode(frame, list(self.items)), self.bounds)
        keep = data.notna().sum(axis=1).to_numpy() >= self.min_answers
        w = np.ones(len(data)) if weights is None else np.asarray(weights, dtype=float)
        keep &= np.isfinite(w) & (w > 0)
        if not keep.any():
            return None
        return self.model.mixing_shares(data.to_numpy(dtype=float)[keep], w[keep])


def _three_step(respondents: pd.DataFrame, posterior: np.ndarray, labels: np.ndarray,
                extras: dict[int, dict]) -> None:
    """Demographics and channel per latent class, BCH-corrected (profiles.threestep)."""
    keep = labels >= 0
    if keep.sum() < 2 or posterior.shape[1] < 2:
        return
    post, assigned = posterior[keep], labels[keep]
    members = respondents.loc[keep]
    demographics: dict[int, dict[str, dict[str, float]]] = {}
    for dim in DEMOGRAPHICS:
        if dim == "age_band" and not ({"age", "age_band", "age_low"} & set(respondents.columns)):
            continue
        if dim != "age_band" and dim not in respondents.columns:
            continue
        values = cbs_age_band(members) if dim == "age_band" else members[dim]
        for pid, shares in bch_shares(post, assigned, values).items():
            demographics.setdefault(pid, {})[dim] = shares
    for pid, dims in demographics.items():
        extras.setdefault(pid, {})["demographics"] = dims
    if "channel" in respondents.columns:
        for pid, shares in bch_shares(post, assigned, members["channel"]).items():
            extras.setdefault(pid, {})["channels"] = shares


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


@dataclass(frozen=True)
class _FitInput:
    """What every method gets: the harmonised answers, the chosen items and their recoding."""

    respondents: pd.DataFrame
    values: pd.DataFrame        # the chosen items, recoded (reversed items turned around)
    chosen: list[str]
    selection: ItemSelection
    harmony: ScaleHarmony
    k: int | str
    random_state: int
    progress: Callable[[float, str], None] | None


@dataclass
class _MethodFit:
    """What every method returns; fit_profiles turns it into cards and a ProfileResult."""

    labels: np.ndarray          # profile per respondent, −1 = not assigned
    proba: np.ndarray           # certainty per respondent (NaN where not assigned)
    k: int
    reason: str
    table: pd.DataFrame         # the selection table (one row per k tried)
    classify: Classifier
    warnings: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    descriptions: dict[int, str] = field(default_factory=dict)
    extras: dict[int, dict] = field(default_factory=dict)
    scores: np.ndarray | None = None  # the method's own axis scores (kompas), else None


def _fit_kompas(given: _FitInput) -> _MethodFit:
    """Four quadrants and a middle on the engagement and trust axes (profiles.kompas)."""
    selection = given.selection
    if not selection.engagement or not selection.trust:
        raise ProfileDataError("Het kompas heeft vragen over betrokkenheid én over vertrouwen nodig, "
                               "maar die zijn niet (allebei) herkend. Kies de vragen voor beide assen.")
    n_kompas = len(quadrants())
    warnings = []
    if given.k not in ("auto", 4, n_kompas):
        warnings.append(f"Het kompas heeft altijd {n_kompas} profielen; het gekozen aantal is genegeerd.")
    model = KompasModel(selection.engagement, selection.trust, selection.reversed,
                        random_state=given.random_state).fit(given.respondents)
    reason = ("Het kompas deelt iedereen in op twee assen: betrokkenheid en vertrouwen. Wie op "
              "beide assen rond het midden zit (gemiddeld antwoord tussen 2,5 en 3,5 op een schaal "
              "van 1 tot 5, dus afgerond 'neutraal'), hoort bij Afwachtend midden.")
    table = pd.DataFrame([{"k": n_kompas, "bic": np.nan, "entropy": np.nan, "smallest_share": np.nan,
                           "stability": np.nan, "chosen": True, "note": reason}])
    return _MethodFit(
        labels=model.labels_, proba=np.where(model.labels_ >= 0, 1.0, np.nan), k=n_kompas,
        reason=reason, table=table, warnings=warnings,
        classify=Classifier("kompas", tuple(given.chosen), selection, model, harmony=given.harmony),
        names={int(q["id"]): q["name"] for q in quadrants()},
        descriptions={int(q["id"]): q["description"] for q in quadrants()},
        scores=model.transform(given.respondents))


def _lca_model(data: pd.DataFrame, given: _FitInput, warnings: list[str]):
    """The latent class model: k chosen by select_lca, or the user's k (capped by n)."""
    n = len(data)
    if given.k == "auto":
        sel = select_lca(data, k_max=K_MAX, random_state=given.random_state, progress=given.progress)
        return sel.model, sel.k, sel.reason, sel.table, sel.class_stability
    chosen_k = int(given.k)
    supported = max_classes(n, K_MAX)
    if chosen_k > supported:
        warnings.append(f"Met {n} respondenten passen hooguit {supported} profielen "
                        f"(ongeveer 15 mensen per profiel); {chosen_k} werd {supported}.")
        chosen_k = supported
    model = LatentClassModel(chosen_k, n_init=20, random_state=given.random_state).fit(data.to_numpy(dtype=float))
    stability = lca_bootstrap_stability(data, model.labels_, chosen_k, random_state=given.random_state)
    reason = f"Het aantal profielen ({chosen_k}) is door de gebruiker gekozen."
    smallest = np.bincount(model.labels_, minlength=chosen_k).min()
    table = pd.DataFrame([{"k": chosen_k, "loglik": model.loglik_, "bic": model.bic_,
                           "entropy": model.entropy_, "smallest_share": float(smallest / n),
                           "smallest_size": int(smallest), "stability": float(stability.min()),
                           "chosen": True, "note": reason}])
    return model, chosen_k, reason, table, stability


def _fit_lca(given: _FitInput) -> _MethodFit:
    """Latent classes on the answers (long scales grouped), demographics BCH-corrected."""
    data, bounds = _coarsen(given.values)
    warnings = [f"Vraag '{c}' heeft veel antwoordmogelijkheden; voor de latente klassen zijn "
                "die in 5 groepen samengenomen." for c in bounds]
    model, chosen_k, reason, table, stability = _lca_model(data, given, warnings)
    post = model.predict_proba(data.to_numpy(dtype=float))
    labels = post.argmax(axis=1)
    proba = post.max(axis=1)
    min_answers = np.ceil(len(given.chosen) / 2)
    too_few = data.notna().sum(axis=1).to_numpy() < min_answers
    labels[too_few] = -1  # they inform the fit, but their profile would be a guess
    if too_few.any():
        warnings.append(f"{int(too_few.sum())} respondenten hebben minder dan de helft van de vragen "
                        f"beantwoord: {INSUFFICIENT}.")
    extras: dict[int, dict] = {}
    _three_step(given.respondents, post, labels, extras)
    sizes = np.bincount(labels[labels >= 0], minlength=chosen_k)
    notes = class_notes(sizes, stability if chosen_k > 1 else None, int(sizes.sum()))
    for pid in range(chosen_k):
        members = labels == pid
        extras.setdefault(pid, {}).update({
            "flag": UNCERTAIN if notes[pid] else "", "note": notes[pid],
            "stability": float(stability[pid]) if chosen_k > 1 else 1.0,
            "certainty": float(proba[members].mean()) if members.any() else None})
    classify = Classifier("lca", tuple(given.chosen), given.selection, model, bounds, float(min_answers),
                          given.harmony)
    return _MethodFit(labels=labels, proba=proba, k=chosen_k, reason=reason, table=table,
                      classify=classify, warnings=warnings, extras=extras)


def _fit_kmeans(given: _FitInput) -> _MethodFit:
    """k-means on the recoded answers (profiles.kmeans chooses k when it is 'auto')."""
    n = len(given.respondents)
    warnings = []
    k = given.k
    if k != "auto":
        supported = max(2, max_classes(n, K_MAX))
        if int(k) > supported:
            warnings.append(f"Met {n} respondenten passen hooguit {supported} profielen; "
                            f"{k} werd {supported}.")
            k = supported
    model = KMeansProfiles(n_clusters=k, random_state=given.random_state).fit(given.values)
    if model.n_excluded_:
        warnings.append(f"{model.n_excluded_} respondenten hebben te veel vragen open gelaten en "
                        "zijn niet ingedeeld.")
    filled = {c: int(v) for c, v in zip(given.values.columns, model.imputed_) if v}
    if filled:
        warnings.append("Open antwoorden aangevuld met het gemiddelde: "
                        + ", ".join(f"{c} ({v}×)" for c, v in filled.items()) + ".")
    return _MethodFit(labels=model.labels_, proba=np.where(model.labels_ >= 0, 1.0, np.nan),
                      k=model.n_clusters_, reason=model.reason_, table=model.selection_,
                      classify=Classifier("kmeans", tuple(given.chosen), given.selection, model,
                                          harmony=given.harmony), warnings=warnings)


# One function per method, one signature: name → fit (balance's registry of adjustments).
FIT_METHODS: dict[str, Callable[[_FitInput], _MethodFit]] = {
    "lca": _fit_lca, "kmeans": _fit_kmeans, "kompas": _fit_kompas}
METHODS = tuple(FIT_METHODS)


def _selection_for(respondents: pd.DataFrame, labels: dict[str, str] | None, method: str,
                   items: list[str] | None, axes: dict[str, list[str]] | None
                   ) -> tuple[ItemSelection, list[str], list[str], list[str]]:
    """The item selection after the user's own items and axes, the chosen items, and the
    notes on items left out (unusable; not suggested)."""
    selection = suggest_items(respondents, labels)
    wanted = items
    if axes is not None and wanted is None:
        wanted = list(dict.fromkeys([*axes.get("engagement", []), *axes.get("trust", [])]))
    chosen, dropped = _choose_items(respondents, selection, method, wanted)
    warnings = [f"Vraag '{c}' is weggelaten: één antwoord of meer dan de helft leeg." for c in dropped]
    excluded = [f"Vraag '{c}' is weggelaten. {selection.reasons[c]}" for c in selection.excluded
                if wanted is None]
    if wanted is not None:
        selection = ItemSelection(tuple(c for c in chosen if c in selection.engagement),
                                  tuple(c for c in chosen if c in selection.trust), selection.reversed,
                                  tuple(chosen), selection.excluded, selection.reasons, selection.scales)
    if axes is not None:
        selection = replace(selection, engagement=tuple(c for c in axes.get("engagement", []) if c in chosen),
                            trust=tuple(c for c in axes.get("trust", []) if c in chosen))
    return selection, chosen, warnings, excluded


def fit_profiles(respondents: pd.DataFrame, *, method: str = "lca", k: int | str = "auto",
                 items: list[str] | None = None, random_state: int = 0,
                 labels: dict[str, str] | None = None,
                 progress: Callable[[float, str], None] | None = None,
                 axes: dict[str, list[str]] | None = None) -> ProfileResult:
    """Profiles of a respondents table by `method` (a name in FIT_METHODS: lca, kmeans, kompas).

    Demographics never enter the model; they are described on the cards afterwards.
    `labels` maps item columns to their question texts (for the item axes and the cards).
    `axes` ({"engagement": [...], "trust": [...]}) is the user's own choice of questions per
    kompas axis; it overrides the suggested axes and, without `items`, sets the items.
    """
    if method not in FIT_METHODS:
        raise ProfileDataError(f"Onbekende methode '{method}'. Kies lca, kmeans of kompas.")
    if k != "auto" and (not isinstance(k, (int, np.integer)) or k < 1):
        raise ProfileDataError(f"Het aantal profielen moet 'auto' of een getal vanaf 1 zijn, niet '{k}'.")
    texts = labels if labels is not None else (  # full question texts, when the import kept them
        respondents.attrs.get("item_labels") or respondents.attrs.get("key_texts"))
    if "excluded" in respondents.columns:
        reason = respondents["excluded"].fillna("").astype(str)
        if (reason != "").any():
            return _without_excluded(respondents, reason, method=method, k=k, items=items,
                                     random_state=random_state, labels=texts, progress=progress, axes=axes)
    harmony = harmonise_scales(respondents, [c for c in respondents.columns if str(c).startswith("item:")])
    answers, scale_notes = harmony.apply(respondents, list(harmony.targets))
    selection, chosen, dropped, excluded = _selection_for(answers, texts, method, items, axes)
    warnings = [*dropped, *scale_notes, *excluded]
    _check_size(answers, chosen, method)
    given = _FitInput(answers, selection.recode(answers, chosen), chosen, selection, harmony, k,
                      random_state, progress)
    fitted = FIT_METHODS[method](given)
    warnings += fitted.warnings
    scores = fitted.scores if fitted.scores is not None else _axis_scores(answers, selection)
    return _result(answers, method, chosen, texts, fitted, scores, warnings)


def _result(respondents: pd.DataFrame, method: str, chosen: list[str], texts: dict[str, str] | None,
            fitted: _MethodFit, scores: np.ndarray | None, warnings: list[str]) -> ProfileResult:
    """Cards (named by quadrant or by content), assignments and the ProfileResult."""
    labels = fitted.labels
    names, descriptions = dict(fitted.names), dict(fitted.descriptions)
    extras = fitted.extras
    if scores is not None:
        for pid in np.unique(labels[labels >= 0]):
            with np.errstate(all="ignore"):
                eng, tru = np.nanmean(scores[labels == pid], axis=0)
            extras.setdefault(int(pid), {}).update(
                engagement=None if np.isnan(eng) else float(eng), trust=None if np.isnan(tru) else float(tru))
            named = content_name(eng, tru) if method != "kompas" else None
            if named:
                names[int(pid)], descriptions[int(pid)] = named
    cards = build_cards(respondents, labels, chosen, quadrants=names,
                        descriptions=descriptions, question_labels=texts, extras=extras)
    card_names = {c.id: c.name for c in cards}
    unassigned = int((labels < 0).sum())
    if unassigned and method == "kompas":  # (lca and kmeans warn in their own fit)
        warnings.append(f"{unassigned} respondenten hebben te weinig vragen beantwoord: {INSUFFICIENT}.")
    n = len(respondents)
    ids = respondents["respondent_id"] if "respondent_id" in respondents.columns else pd.Series(range(n))
    assignments = pd.DataFrame({
        "respondent_id": ids.to_numpy(),
        "profile": pd.Series([int(x) if x >= 0 else None for x in labels], dtype=object),
        "probability": pd.Series([float(p) if lab >= 0 else None for p, lab in zip(fitted.proba, labels)],
                                 dtype=object),
        "name": [card_names.get(int(x), INSUFFICIENT) if x >= 0 else INSUFFICIENT for x in labels],
    })
    if scores is not None:
        assignments["engagement"] = scores[:, 0]
        assignments["trust"] = scores[:, 1]
    return ProfileResult(method=method, k=int(fitted.k), items=tuple(chosen), assignments=assignments,
                         cards=cards, selection=fitted.table.reset_index(drop=True), reason=fitted.reason,
                         warnings=tuple(warnings), classify=fitted.classify)


def _without_excluded(respondents: pd.DataFrame, reason: pd.Series, **kwargs) -> ProfileResult:
    """Fit on the rows that count; rows with an `excluded` reason (test, preview, not a
    resident, under min_age) stay in the assignments without a profile, so the officer
    still sees them."""
    counted = respondents.loc[reason == ""].drop(columns="excluded")
    if counted.empty:
        raise ProfileDataError("Alle antwoorden zijn uitgesloten (test, voorbeeld, geen bewoner of te jong); "
                               "er is niemand om profielen van te maken.")
    result = fit_profiles(counted, **kwargs)
    ids = respondents["respondent_id"] if "respondent_id" in respondents.columns else \
        pd.Series(range(len(respondents)), index=respondents.index)
    fitted = result.assignments.set_index(counted.index)
    full = pd.DataFrame({"respondent_id": ids.to_numpy()}, index=respondents.index)
    for col in fitted.columns:
        if col != "respondent_id":
            full[col] = fitted[col].reindex(respondents.index).astype(object).where(reason == "", None)
    full["name"] = full["name"].where(reason == "", "niet meegeteld (" + reason + ")")
    excluded = int((reason != "").sum())
    note = (f"{excluded} {'rij telt' if excluded == 1 else 'rijen tellen'} niet mee "
            "(test, voorbeeld, geen bewoner of te jong).")
    return replace(result, assignments=full.reset_index(drop=True), warnings=(*result.warnings, note))


def describe_profiles(result: ProfileResult) -> str:
    """A short Dutch summary of the profiles, one line per profile."""
    lines = [f"Methode: {METHOD_LABELS.get(result.method, result.method)}. "
             f"Aantal profielen: {result.k}.", result.reason]
    for card in result.cards:
        flag = f" [{card.flag}]" if card.flag else ""
        lines.append(f"- {card.name}{flag}: {card.size} mensen ({card.share:.0%}). {card.description}")
    unassigned = sum(1 for p in result.assignments["profile"] if p is None or pd.isna(p))
    if unassigned:
        lines.append(f"Niet ingedeeld ({INSUFFICIENT}): {unassigned} mensen.")
    lines += [f"Let op: {w}" for w in result.warnings]
    return "\n".join(line for line in lines if line)
