"""load_cbs through the real cbsodata client, with its HTTP layer answered from recordings.

The fake server serves cbsodata's own files: the real DataProperties/TableInfos of
85984NED from ../shared/data/cbs and a TypedDataSet of real rows built by
tests/fixtures_cbs/build_fixtures.py. No test touches the network.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import requests

from reference.load import ReferenceDataError, load_cbs, load_kwb_file

FIXTURES = Path(__file__).resolve().parent / "fixtures_cbs"
CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"


class FakeCbs:
    """Answers cbsodata's GET requests like opendata.cbs.nl does, from recorded lists."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, list]] = {}
        self.requests: list[str] = []
        self.offline = False

    def add(self, table_id: str, **resources: list) -> None:
        self.tables[table_id] = resources

    def send(self, session, prepared, **kwargs) -> requests.Response:
        self.requests.append(prepared.url)
        if self.offline:
            raise requests.ConnectionError("no network in tests")
        url = urlparse(prepared.url)
        parts = url.path.rstrip("/").split("/")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        response = requests.Response()
        response.url = prepared.url
        if parts[-1] in self.tables:  # the table's index of resources
            value = [{"name": n, "url": f"{prepared.url}{n}"} for n in
                     ("TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties",
                      "CategoryGroups", "WijkenEnBuurten")]
        elif parts[-2] in self.tables:
            value = self._resource(self.tables[parts[-2]], parts[-1], query)
        else:
            response.status_code = 404
            response._content = b'{"odata.error": "not found"}'
            return response
        response.status_code = 200
        response._content = json.dumps({"value": value}).encode("utf-8")
        return response

    @staticmethod
    def _resource(table: dict[str, list], name: str, query: dict[str, str]) -> list:
        rows = [dict(r) for r in table.get(name, [])]
        if "$filter" in query:
            keys = set(re.findall(r"WijkenEnBuurten eq '([^']*)'", query["$filter"]))
            rows = [r for r in rows if r.get("WijkenEnBuurten") in keys]
        if "$select" in query:
            wanted = query["$select"].split(",")
            rows = [{k: r.get(k) for k in wanted if k in r} for r in rows]
        return rows


def _recorded_2024(cbs_dir: Path) -> dict[str, list]:
    read = lambda p: json.loads(p.read_text(encoding="utf-8"))  # noqa: E731
    return {
        "TableInfos": read(cbs_dir / "85984NED_TableInfos.json"),
        "DataProperties": read(cbs_dir / "85984NED_DataProperties.json"),
        "CategoryGroups": [],
        "WijkenEnBuurten": read(FIXTURES / "85984NED" / "WijkenEnBuurten.json"),
        "TypedDataSet": read(FIXTURES / "85984NED" / "TypedDataSet.json"),
    }


@pytest.fixture()
def fake_cbs(monkeypatch, cbs_dir) -> FakeCbs:
    fake = FakeCbs()
    fake.add("85984NED", **_recorded_2024(cbs_dir))
    monkeypatch.setattr(requests.Session, "send", lambda self, p, **kw: fake.send(self, p, **kw))
    return fake


@pytest.fixture(scope="module")
def kwb_csv(cbs_dir) -> bytes:
    return (cbs_dir / CSV_NAME).read_bytes()


@pytest.mark.parametrize("areas, min_age", [
    (["BU05183033"], 0), (["BU05183033"], 18), (["GM0363"], 16),
    (["BU0363AA02", "BU00140000", "BU16800000"], 18),
])
def test_api_gives_the_same_reference_as_the_file(fake_cbs, kwb_csv, tmp_path, areas, min_age):
    api = load_cbs(2024, areas=areas, min_age=min_age, cache_dir=tmp_path)
    file = load_kwb_file(kwb_csv, CSV_NAME, areas=areas, min_age=min_age)
    assert api.table == "85984NED" and api.year == 2024
    assert api.areas == file.areas  # names came from WijkenEnBuurten titles
    assert api.population == file.population
    assert set(api.dimensions) == set(file.dimensions)
    for dim, counts in file.dimensions.items():
        assert api.dimensions[dim] == pytest.approx(counts)
    assert api.estimated == file.estimated


def test_transvaal_via_api(fake_cbs, tmp_path) -> None:
    ref = load_cbs(2024, areas=["BU05183033"], min_age=0, cache_dir=tmp_path)
    assert ref.areas == (("BU05183033", "Transvaalkwartier-Midden"),)
    assert ref.population == 5005
    assert ref.dimensions["origin"]["buiten_europa"] == 3710
    # persons in households with children (min_age 0): 5,005 - 970 - 2 × 395
    assert ref.dimensions["household"]["met_kinderen"] == 3245
    assert ref.source == "Bron: CBS, Kerncijfers wijken en buurten 2024"


def test_filter_uses_padded_keys_and_resolved_columns(fake_cbs, tmp_path) -> None:
    load_cbs(2024, areas=["GM0363"], cache_dir=tmp_path)
    data_requests = [u for u in fake_cbs.requests if "TypedDataSet" in u]
    query = parse_qs(urlparse(data_requests[0]).query)
    assert query["$filter"] == ["WijkenEnBuurten eq 'GM0363    '"]
    selected = query["$select"][0].split(",")
    assert {"WijkenEnBuurten", "Koopwoningen_47", "Nederland_17", "AantalInwoners_5"} <= set(selected)
    assert "Nederland_20" not in selected  # "geboren in Nederland", another parent group


def test_second_request_is_offline(fake_cbs, tmp_path) -> None:
    first = load_cbs(2024, areas=["BU05183033", "BU00140000"], cache_dir=tmp_path)
    assert (tmp_path / "85984NED" / "DataProperties.json").exists()
    assert (tmp_path / "85984NED" / "areas" / "BU05183033.json").exists()
    fake_cbs.offline = True
    fake_cbs.requests.clear()
    second = load_cbs(2024, areas=["BU05183033", "BU00140000"], cache_dir=tmp_path)
    assert second == first
    assert not [u for u in fake_cbs.requests if "85984NED" in u]  # only the income fallback tried
    subset = load_cbs(2024, areas=["BU00140000"], min_age=0, cache_dir=tmp_path)
    assert subset.population == 4745


def test_default_cache_dir_follows_the_data_dir(fake_cbs, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    load_cbs(2024, areas=["BU16800000"])
    assert (tmp_path / "cbs_cache" / "85984NED" / "areas" / "BU16800000.json").exists()


def test_errors(fake_cbs, tmp_path) -> None:
    with pytest.raises(ReferenceDataError, match="BU03630000.*85984NED.*letters"):
        load_cbs(2024, areas=["BU03630000"], cache_dir=tmp_path)
    with pytest.raises(ReferenceDataError, match="2015"):
        load_cbs(2015, areas=["GM0363"], cache_dir=tmp_path)
    fake_cbs.offline = True
    with pytest.raises(ReferenceDataError, match="85984NED.*--kwb"):
        load_cbs(2024, areas=["GM0363"], cache_dir=tmp_path / "empty")


def test_income_falls_back_to_an_older_table(fake_cbs, cbs_dir, tmp_path) -> None:
    """Synthetic 2023 income shares (the real 2023/2024 files have no income yet)."""
    older = _recorded_2024(cbs_dir)
    row = next(r for r in older["TypedDataSet"] if r["Codering_3"] == "BU05183033")
    row.update(k_40HuishoudensMetLaagsteInkomen_87=60, k_20HuishoudensMetHoogsteInkomen_88=8)
    older["TypedDataSet"] = [row]
    fake_cbs.add("85618NED", **older)
    ref = load_cbs(2024, areas=["BU05183033"], min_age=0, cache_dir=tmp_path)
    assert ref.dimensions["income"] == pytest.approx(
        {"laag_40": 0.60 * 2150, "midden_40": 0.32 * 2150, "hoog_20": 0.08 * 2150})
    assert ref.units["income"] == "huishoudens"
    assert any("2023" in n and "85618NED" in n for n in ref.notes)


def test_income_missing_everywhere_is_said(fake_cbs, tmp_path) -> None:
    ref = load_cbs(2024, areas=["BU05183033"], cache_dir=tmp_path)
    assert "income" not in ref.dimensions
    assert any(n.startswith("Inkomen:") for n in ref.notes)


def test_2022_table_resolves_its_own_keys_and_old_origin(monkeypatch, cbs_dir, tmp_path) -> None:
    """85318NED (2022): the real DataProperties, one synthetic row under the 2022 keys."""
    props = pd.read_csv(cbs_dir / "85318NED_DataProperties.csv")
    props = json.loads(props.to_json(orient="records"))
    row = {"ID": 1, "WijkenEnBuurten": "BU00010001", "Codering_3": "BU00010001",
           "SoortRegio_2": "Buurt     ", "Gemeentenaam_1": "Test", "AantalInwoners_5": 1000,
           "Mannen_6": 490, "Vrouwen_7": 510, "k_0Tot15Jaar_8": 100, "k_15Tot25Jaar_9": 200,
           "k_25Tot45Jaar_10": 300, "k_45Tot65Jaar_11": 250, "k_65JaarOfOuder_12": 150,
           "WestersTotaal_17": 100, "NietWestersTotaal_18": 300, "HuishoudensTotaal_28": 500,
           "Eenpersoonshuishoudens_29": 250, "HuishoudensZonderKinderen_30": 150,
           "HuishoudensMetKinderen_31": 100, "Woningvoorraad_34": 400, "Koopwoningen_40": 50,
           "HuurwoningenTotaal_41": 50, "InBezitWoningcorporatie_42": 30,
           "InBezitOverigeVerhuurders_43": 20, "k_40HuishoudensMetLaagsteInkomen_76": 40,
           "k_20HuishoudensMetHoogsteInkomen_77": 20}
    fake = FakeCbs()
    fake.add("85318NED", TableInfos=[], DataProperties=props, CategoryGroups=[],
             WijkenEnBuurten=[{"Key": "BU00010001", "Title": "Proefbuurt"}], TypedDataSet=[row])
    monkeypatch.setattr(requests.Session, "send", lambda self, p, **kw: fake.send(self, p, **kw))
    ref = load_cbs(2022, areas=["BU00010001"], min_age=0, cache_dir=tmp_path)
    assert ref.table == "85318NED" and "origin" not in ref.dimensions
    assert ref.dimensions["origin_old"] == {"geen_migratieachtergrond": 600, "westers": 100,
                                            "niet_westers": 300}
    # persons per tenure: 50/30/20 % × 1,000 inhabitants (equal persons per dwelling)
    assert ref.dimensions["tenure"] == {"koop": 500, "huur_corporatie": 300, "huur_overig": 200}
    assert ref.dimensions["income"] == {"laag_40": 200, "midden_40": 200, "hoog_20": 100}
    assert ref.areas == (("BU00010001", "Proefbuurt"),)
