"""Columns are found by (parent group, title), never by the year-specific suffixed key."""
from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from reference.columns import kwb_tables, resolve_properties, resolve_stems, table_year


@pytest.fixture(scope="module")
def props_2024(cbs_dir) -> list[dict]:
    return json.loads((cbs_dir / "85984NED_DataProperties.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def props_2022(cbs_dir) -> list[dict]:
    return pd.read_csv(cbs_dir / "85318NED_DataProperties.csv").to_dict("records")


def test_2024_keys(props_2024) -> None:
    keys = resolve_properties(props_2024)
    assert keys["tenure%:koop"] == "Koopwoningen_47"
    # 'Nederland' also sits under 'Geboren in Nederland' (_20): herkomstland is _17
    assert keys["origin:nederland"] == "Nederland_17"
    assert keys["origin:europa"] == "EuropaExclusiefNederland_18"
    assert keys["origin:buiten_europa"] == "BuitenEuropa_19"
    assert keys["households"] == "HuishoudensTotaal_29"
    assert keys["dwellings"] == "Woningvoorraad_35"
    assert "origin_old:westers" not in keys


def test_2022_keys(props_2022) -> None:
    keys = resolve_properties(props_2022)
    assert keys["tenure%:koop"] == "Koopwoningen_40"
    assert keys["tenure%:huur_corporatie"] == "InBezitWoningcorporatie_42"
    assert keys["origin_old:westers"] == "WestersTotaal_17"
    assert keys["origin_old:niet_westers"] == "NietWestersTotaal_18"
    assert keys["households"] == "HuishoudensTotaal_28"
    assert keys["income%:laag_40"] == "k_40HuishoudensMetLaagsteInkomen_76"
    assert not any(k.startswith("origin:") for k in keys)


def test_same_fields_resolve_in_both_years(props_2022, props_2024) -> None:
    new, old = resolve_properties(props_2024), resolve_properties(props_2022)
    shared = set(new) & set(old)
    assert {"population", "age:15-25", "tenure%:koop", "household:met_kinderen"} <= shared
    assert new["tenure%:koop"] != old["tenure%:koop"]


def test_order_of_properties_does_not_matter(props_2024) -> None:
    shuffled = list(props_2024)
    random.Random(0).shuffle(shuffled)
    assert resolve_properties(shuffled) == resolve_properties(props_2024)


def test_csv_header_stems_agree_with_dataproperties(cbs_dir, props_2024, props_2022) -> None:
    with open(cbs_dir / "kwb2024_85984NED_odata_first10000rows.csv", encoding="utf-8-sig") as f:
        header = f.readline().strip().split(";")
    assert resolve_stems(header) == resolve_properties(props_2024)
    keys_2022 = [str(p["Key"]) for p in props_2022 if isinstance(p.get("Key"), str)]
    assert resolve_stems(keys_2022) == resolve_properties(props_2022)


def test_table_ids_per_year() -> None:
    assert kwb_tables()[2019] == "84583NED" and kwb_tables()[2025] == "86165NED"
    assert table_year("85318ned") == 2022 and table_year("12345NED") is None
    assert sorted(kwb_tables()) == list(range(2017, 2026))
