"""`bereikwijzer reference` end to end through the typer app (no network)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from ui.cli import app

CSV_NAME = "kwb2024_85984NED_odata_first10000rows.csv"


def test_reference_json_keys_and_figures(cbs_dir) -> None:
    result = CliRunner().invoke(app, ["reference", "--kwb", str(cbs_dir / CSV_NAME),
                                      "--area", "BU05183033", "--area", "BU00140000",
                                      "--min-age", "18", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"areas", "year", "table", "population", "eligible_population", "dimensions",
            "estimated"} <= set(data)
    assert data["areas"] == [{"code": "BU05183033", "name": "Transvaalkwartier-Midden"},
                             {"code": "BU00140000", "name": "Binnenstad-Noord"}]
    assert data["year"] == 2024 and data["table"] == "85984NED"
    assert data["population"] == 5005 + 4745
    # 15-25 of both buurten, cut at 18: (685 + 2365) × 7/10
    assert data["dimensions"]["age"]["15-25"] == 2135
    assert "age:15-25" in data["estimated"]
    assert {"age", "gender", "household", "tenure", "origin"} <= set(data["dimensions"])


def test_reference_text_and_bad_code(cbs_dir) -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["reference", "--kwb", str(cbs_dir / CSV_NAME),
                               "--area", "BU16800000"])
    assert text.exit_code == 0 and "Annen (BU16800000)" in text.stdout
    assert "Bron: CBS, Kerncijfers wijken en buurten 2024" in text.stdout
    bad = runner.invoke(app, ["reference", "--kwb", str(cbs_dir / CSV_NAME), "--area", "BU00000000"])
    assert bad.exit_code == 2
    assert "BU00000000" in bad.stderr and "Traceback" not in bad.output
