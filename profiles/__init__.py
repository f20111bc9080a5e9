"""profiles: engagement profiles from the respondents' answers (no CBS, no Streamlit).

The names below load their module on first use (PEP 562), so `from profiles.coverage
import …` does not pull in scikit-learn and scipy.stats (fit, kmeans, kompas, lca)."""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from profiles.cards import rename_profiles
    from profiles.coverage import (
        describe_profile_coverage,
        profile_by_channel,
        profile_coverage,
        split_probability_sample,
    )
    from profiles.fit import describe_profiles, fit_profiles
    from profiles.items import ItemSelection, ProfileDataError, suggest_items
    from profiles.kmeans import KMeansProfiles
    from profiles.kompas import KompasModel
    from profiles.lca import LatentClassModel
    from profiles.typology import (
        TypologyResult,
        assign_burgerpeiling_types,
        burgerpeiling_typology,
        is_burgerpeiling,
        typology_from_export,
    )

_HOME = {  # public name → the module that defines it
    "rename_profiles": "profiles.cards",
    "describe_profile_coverage": "profiles.coverage", "profile_by_channel": "profiles.coverage",
    "profile_coverage": "profiles.coverage", "split_probability_sample": "profiles.coverage",
    "describe_profiles": "profiles.fit", "fit_profiles": "profiles.fit",
    "ItemSelection": "profiles.items", "ProfileDataError": "profiles.items", "suggest_items": "profiles.items",
    "KMeansProfiles": "profiles.kmeans", "KompasModel": "profiles.kompas", "LatentClassModel": "profiles.lca",
    "TypologyResult": "profiles.typology", "assign_burgerpeiling_types": "profiles.typology",
    "burgerpeiling_typology": "profiles.typology", "is_burgerpeiling": "profiles.typology",
    "typology_from_export": "profiles.typology",
}

__all__ = ["fit_profiles", "describe_profiles", "rename_profiles", "profile_coverage", "profile_by_channel",
           "describe_profile_coverage", "split_probability_sample",
           "suggest_items", "ItemSelection", "ProfileDataError", "LatentClassModel", "KompasModel",
           "KMeansProfiles", "is_burgerpeiling", "burgerpeiling_typology", "typology_from_export",
           "assign_burgerpeiling_types", "TypologyResult"]


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module 'profiles' has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
