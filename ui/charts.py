"""The chart vocabulary the dashboard's Vega-Lite builders share (ui.charts_vega for Bereik,
ui.charts_vega_profiles for Profielen, ui.charts_vega_progress for Voortgang): the colours,
the status of a group with its Dutch words, colour and shape, a title that states the
conclusion, and a content key for the spec caches. No Plotly and no Streamlit here.

Colours are the Okabe-Ito palette (safe for colour-blind readers) and every colour is
doubled by a marker shape or a printed label, so no chart relies on colour alone.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd

from engagement.coverage import GROUP_PHRASES
from engagement.model import CategoryCoverage, DimensionCoverage
from surveys.categories import DIMENSION_LABELS, label

# Okabe-Ito
VERMILLION, ORANGE, GREEN, BLUE, SKY, PURPLE, YELLOW, GREY = (
    "#D55E00", "#E69F00", "#009E73", "#0072B2", "#56B4E9", "#CC79A7", "#F0E442", "#7F7F7F")
SEQUENCE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, "#000000", YELLOW]

STATUS = {  # status key → (Dutch label, colour, marker symbol)
    "unreached": ("nog niemand gesproken", VERMILLION, "x"),
    "under_sig": ("duidelijk ondervertegenwoordigd", VERMILLION, "triangle-left"),
    "under": ("mogelijk ondervertegenwoordigd", ORANGE, "triangle-left"),
    "ok": ("in lijn", GREEN, "circle"),
    "over": ("oververtegenwoordigd", BLUE, "triangle-right"),
    "few": ("te weinig gegevens", GREY, "circle-open"),
    "uncertain": ("onzeker", PURPLE, "diamond"),  # the unknowns or the buurt figures: the label says which
}
_BY_LABEL = {text: key for key, (text, _, _) in STATUS.items()}


def _frame_digest(frame: pd.DataFrame) -> str:
    """Content hash of a (small) frame: values, index, columns and dtypes."""
    try:
        values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # unhashable cells (lists, dicts): their text
        values = repr(frame.to_dict("split")).encode()
    digest = hashlib.sha256(values)
    digest.update(repr((list(map(str, frame.columns)), list(map(str, frame.dtypes)))).encode())
    return digest.hexdigest()


def status_of(cat: CategoryCoverage) -> str:
    """The status key of one category (flag + significance + enough data); "uncertain"
    when the unknowns of its kenmerk could turn the verdict around ("onzeker: 55% onbekend")
    or the buurt figures' margin leaves it open ("onzeker: marge in de buurtcijfers")."""
    if cat.uncertain:
        return "uncertain"
    if cat.label in _BY_LABEL:
        return _BY_LABEL[cat.label]
    if cat.flag == "unreached":
        return "unreached"
    if cat.expected and cat.expected < 5:
        return "few"
    if cat.flag == "under":
        return "under_sig" if cat.significant else "under"
    return "over" if cat.flag == "over" else "ok"


def status_label(cat: CategoryCoverage) -> str:
    """The Dutch status text; the coverage engine's own label wins when it has one."""
    return cat.label or STATUS[status_of(cat)][0]


def dimension_title(dim: DimensionCoverage) -> str:
    """A title that states the conclusion for one dimension."""
    name = DIMENSION_LABELS.get(dim.dimension, dim.dimension)
    worst = [c for c in dim.categories if status_of(c) in ("unreached", "under_sig")]
    maybe = [c for c in dim.categories if status_of(c) == "under"]
    unsure = any(status_of(c) == "uncertain" for c in dim.categories)
    if worst:
        return f"{name}: te weinig gesproken met {_join([_phrase(c.category) for c in worst])}"
    if maybe:
        return f"{name}: mogelijk te weinig gesproken met {_join([_phrase(c.category) for c in maybe])}"
    if unsure and dim.uncertain:
        return (f"{name}: geen zeker oordeel, want {round(100 * dim.unknown_share)}% van de "
                "mensen gaf hier geen antwoord")
    if unsure:  # the buurt figures' own margin leaves a group open, not the unknowns
        return f"{name}: geen zeker oordeel, want de buurtcijfers zijn hier niet precies genoeg"
    if all(status_of(c) == "few" for c in dim.categories):
        return f"{name}: nog te weinig gegevens voor een conclusie"
    return f"{name}: de groepen zijn in lijn met de buurt"


def _phrase(category: str) -> str:
    return GROUP_PHRASES.get(category, label(category).lower())


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


def _quadrant_names(result) -> list[str]:
    """Kompas quadrant names (as the user named them) top-left, top-right, bottom-left, bottom-right."""
    from profiles.kompas import quadrants

    names = {c.id: c.name for c in result.cards}
    place = {(q["engagement"], q["trust"]): int(q["id"]) for q in quadrants()}
    order = [("low", "high"), ("high", "high"), ("low", "low"), ("high", "low")]
    return [names.get(place[key], "") if key in place else "" for key in order]
