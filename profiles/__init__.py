"""profiles: engagement profiles from the respondents' answers (no CBS, no Streamlit)."""
from __future__ import annotations

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

__all__ = ["fit_profiles", "describe_profiles", "rename_profiles", "profile_coverage", "profile_by_channel",
           "describe_profile_coverage", "split_probability_sample",
           "suggest_items", "ItemSelection", "ProfileDataError", "LatentClassModel", "KompasModel",
           "KMeansProfiles", "is_burgerpeiling", "burgerpeiling_typology", "typology_from_export",
           "assign_burgerpeiling_types", "TypologyResult"]
