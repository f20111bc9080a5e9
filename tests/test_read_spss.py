"""SPSS .sav/.zsav: variable labels, value labels, user-missing codes become missing."""
from __future__ import annotations

import builders as b
import pytest

from surveys.readers import read_export


@pytest.mark.parametrize("zsav", [False, True])
def test_spss_burgerpeiling(zsav: bool) -> None:
    raw = read_export(b.spss_sav(40, seed=3, zsav=zsav), "burgerpeiling.zsav" if zsav
                      else "burgerpeiling.sav")
    expected = b.spss_frame(40, seed=3)
    assert raw.format == "spss"
    assert raw.header_rows == 1
    assert raw.sheet is None
    assert len(raw.frame) == 40
    assert list(raw.frame.columns) == list(b.SPSS_LABELS)
    assert raw.labels == b.SPSS_LABELS
    assert raw.value_labels["ch01"] == b.SPSS_VALUE_LABELS["ch01"]
    assert raw.value_labels["ch02"][6] == "75 jaar of ouder"
    assert raw.frame["ch02"].tolist() == expected["ch02"].astype(int).tolist()
    # 99 'weet niet' is declared user-missing: it must not survive as a number
    missing = expected["wb01"] == 99
    assert raw.frame.loc[missing.to_numpy(), "wb01"].isna().all()
    assert (raw.frame.loc[~missing.to_numpy(), "wb01"] == expected.loc[~missing, "wb01"]
            .to_numpy()).all()
    assert missing.any()


def test_spss_not_written_to_disk(tmp_path, monkeypatch) -> None:
    import tempfile

    data = b.spss_sav(5)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    read_export(data, "bp.sav")
    assert list(tmp_path.iterdir()) == []
