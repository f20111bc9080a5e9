"""Cached calls for the Thema's page, keyed on the content of their inputs.

As in ui.analysis: st.cache_data is shared by all sessions, so every key is a content
hash (the respondents' frame_key, the team's theme file text, the profile labels), never
a project id alone. Finding the themes in a few thousand answers takes seconds (words are
lemmatised, suggestions need TF-IDF and NMF), so a page run after the first costs nothing.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from ui.analysis import frame_key

if TYPE_CHECKING:
    from engagement.themes import ThemeDictionary, ThemeMatrix, ThemesCheck

# The dimensions of the page, in the order the choice shows them ("profile" is added by the
# page when the project has profiles); area_code gives themes per buurt for a wijk project.
DIMENSIONS = ("age_band", "household", "tenure", "origin", "gender", "channel", "area_code")
MAX_THEMES_BYTES = 1_000_000   # a theme file is a few kB; a bigger upload is not a theme file


def text_key(text: str | None) -> str:
    """Cache key of the team's theme file ("standaard" without one)."""
    return "standaard" if not text else hashlib.sha256(text.encode("utf-8")).hexdigest()


@st.cache_data(max_entries=16, show_spinner=False)
def _dictionary(key: str, _text: str | None) -> ThemeDictionary:
    from engagement.themes import load_themes

    return load_themes(None if not _text else _text.encode("utf-8"), name="uw themabestand")


def dictionary(text: str | None) -> ThemeDictionary:
    """The default dictionary with the team's file merged over it (ThemesFileError if bad)."""
    return _dictionary(text_key(text), text)


@st.cache_data(max_entries=16, show_spinner=False)
def _check(resp_key: str, themes_key: str, min_age: int | None, _respondents: pd.DataFrame,
           _text: str | None) -> ThemesCheck:
    from engagement.themes import run_themes

    return run_themes(_respondents, _dictionary(themes_key, _text), dimensions=DIMENSIONS, min_age=min_age)


def themes_check(respondents: pd.DataFrame, text: str | None, min_age: int | None = None) -> ThemesCheck:
    """engagement.themes.run_themes (matrix, quotes, suggestions), cached on content.
    Unprotected: pass the matrix through reports.themes.protect_theme_matrix first."""
    return _check(frame_key(respondents), text_key(text), min_age, respondents, text)


@st.cache_data(max_entries=16, show_spinner=False)
def _profile_matrix(resp_key: str, themes_key: str, profile_key: str, _respondents: pd.DataFrame,
                    _text: str | None, _profile: pd.Series) -> ThemeMatrix:
    from engagement.themes import ThemeMatcher, theme_indicators, theme_matrix

    matcher = ThemeMatcher(_dictionary(themes_key, _text))
    indicators = theme_indicators(_respondents, matcher=matcher)
    return theme_matrix(_respondents, indicators, dimensions=(), themes=matcher.themes, profile=_profile)


def profile_matrix(respondents: pd.DataFrame, text: str | None, profile: pd.Series) -> ThemeMatrix:
    """The matrix for the one dimension "profile" (a profile name per respondent, NaN when
    unknown, on the respondents' index), cached on content."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(profile.astype("object"), index=True)
                            .to_numpy().tobytes()).hexdigest()
    return _profile_matrix(frame_key(respondents), text_key(text), digest, respondents, text, profile)
