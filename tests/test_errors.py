"""One error base: every error a user can cause carries a code, its context and a Dutch
message; the old name of the reference error (it shadowed a builtin) still imports."""
from __future__ import annotations

import builtins
import logging
import warnings

import pandas as pd
import pytest

from reference.build import ReferenceDataError, build_reference
from surveys.errors import BereikwijzerError, EmptyFileError, SurveyImportError


def test_the_base_carries_code_context_and_a_dutch_message() -> None:
    error = EmptyFileError("Er staan geen antwoorden in.", file="enquete.xlsx", sheet="Blad1", row=3,
                           column="Leeftijd")
    assert isinstance(error, SurveyImportError) and isinstance(error, BereikwijzerError)
    assert str(error) == "Bestand 'enquete.xlsx', blad 'Blad1', rij 3, kolom 'Leeftijd': Er staan geen antwoorden in."
    assert error.to_dict() == {"code": "leeg-bestand", "message": str(error), "file": "enquete.xlsx",
                               "sheet": "Blad1", "row": 3, "column": "Leeftijd"}
    assert str(BereikwijzerError("Zonder plaats.")) == "Zonder plaats."


def test_a_reference_error_is_a_bereikwijzer_error_and_still_a_value_error() -> None:
    rows = pd.DataFrame({"code": ["BU1"], "name": ["Leeg"], "population": [0.0]})
    with pytest.raises(ReferenceDataError, match="Geen inwoners bekend voor BU1") as info:
        build_reference(rows, year=2024, table="t", min_age=18)
    assert isinstance(info.value, BereikwijzerError) and isinstance(info.value, ValueError)
    assert info.value.code == "referentie"
    with pytest.raises(ReferenceDataError, match="minimumleeftijd"):
        build_reference(rows, year=2024, table="t", min_age=101)


def test_the_old_name_imports_with_a_warning_and_no_longer_shadows_the_builtin() -> None:
    import reference.build
    import reference.load

    assert "ReferenceError" not in vars(reference.build) and "ReferenceError" not in vars(reference.load)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from reference.load import ReferenceError as old
    assert old is ReferenceDataError and old is not builtins.ReferenceError
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_a_library_bug_in_profiles_is_logged_with_its_traceback(monkeypatch, caplog) -> None:
    from engagement import pipeline
    from profiles.items import ProfileDataError

    def broken(*args, **kwargs):
        raise ValueError("index out of range")  # a bug, not a problem with the answers

    monkeypatch.setattr(pipeline, "fit_participation_profiles", broken)
    with caplog.at_level(logging.ERROR, logger="engagement.pipeline"):
        result, reason = pipeline.try_profiles(pd.DataFrame({"respondent_id": [1]}))
    assert result is None and reason == pipeline.PROFILE_BUG and "index out of range" not in reason
    assert caplog.records and caplog.records[0].exc_info is not None  # the traceback is kept

    def too_few(*args, **kwargs):
        raise ProfileDataError("Voor profielen zijn minstens 30 respondenten nodig.")

    monkeypatch.setattr(pipeline, "fit_participation_profiles", too_few)
    assert pipeline.try_profiles(pd.DataFrame())[1] == "Voor profielen zijn minstens 30 respondenten nodig."
