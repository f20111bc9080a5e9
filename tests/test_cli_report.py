"""`bereikwijzer report` with Buurten (--geo) and Thema's, on the real KWB file of Utrecht."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from builders import ms_forms_xlsx, wijk_answers
from openpyxl import load_workbook
from typer.testing import CliRunner

from ui.cli import app

KWB = "kwb2023_utrecht_GM0344.xlsx"
WIJK = "WK034401"   # a wijk of Utrecht with 11 buurten


@pytest.fixture(scope="module")
def files(tmp_path_factory, cbs_dir) -> dict[str, Path]:
    from engagement.areas import load_buurten

    folder = tmp_path_factory.mktemp("report")
    survey = folder / "enquete.xlsx"
    survey.write_bytes(ms_forms_xlsx(wijk_answers(300, seed=3)))   # Utrecht postcodes, open answers
    kwb = cbs_dir / KWB
    data = load_buurten(kwb.read_bytes(), kwb.name, [WIJK], 18)
    features = []
    for i, (code, name) in enumerate(zip(data.rows["code"], data.rows["name"])):
        x, y = 5.08 + 0.008 * (i % 4), 52.08 + 0.006 * (i // 4)
        ring = [[x, y], [x + 0.008, y], [x + 0.008, y + 0.006], [x, y + 0.006], [x, y]]
        features.append({"type": "Feature", "properties": {"buurtcode": code, "buurtnaam": name},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    geo = folder / "buurten.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return {"survey": survey, "kwb": kwb, "geo": geo, "folder": folder}


def _report(files, out: Path, *extra: str):
    return CliRunner().invoke(app, ["report", str(files["survey"]), "--kwb", str(files["kwb"]),
                                    "--area", WIJK, "--out", str(out), *extra])


def test_report_with_geo_has_buurten_with_a_map_and_themes(files) -> None:
    out = files["folder"] / "rapport.html"
    run = _report(files, out, "--geo", str(files["geo"]))
    assert run.exit_code == 0, run.output
    page = out.read_text(encoding="utf-8")
    assert 'id="buurten"' in page and 'id="themas"' in page
    assert page.count("Plotly.newPlot") >= 6       # the dimensions and at least the reach map
    assert "BU03440111" in page and "Welgelegen, Den Hommel" in page
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)   # the page without plotly.js
    assert "15 tot 25" not in text                                  # min_age 18


def test_report_xlsx_without_geo_still_ranks_the_buurten(files) -> None:
    out = files["folder"] / "rapport.xlsx"
    run = _report(files, out)
    assert run.exit_code == 0, run.output
    workbook = load_workbook(io.BytesIO(out.read_bytes()))
    assert "Buurten" in workbook.sheetnames and "Thema's" in workbook.sheetnames
    codes = {c.value for c in workbook["Buurten"]["B"] if isinstance(c.value, str) and c.value.startswith("BU")}
    assert len(codes) == 11


def test_geo_needs_buurt_figures(files, tmp_path) -> None:
    custom = tmp_path / "ref.csv"
    custom.write_text("dimension,category,count\ngender,man,500\ngender,vrouw,520\n", encoding="utf-8")
    run = CliRunner().invoke(app, ["report", str(files["survey"]), "--reference", str(custom),
                                   "--geo", str(files["geo"]), "--out", str(tmp_path / "r.html")])
    assert run.exit_code == 2 and "--geo heeft buurtcijfers nodig" in run.stderr


def test_report_places_respondents_by_file_as_areas_does(files) -> None:
    """--file-area: a whole file of street talks belongs to one buurt, in the report's
    Buurten part as in `bereikwijzer areas` (one shared placement)."""
    from engagement.areas import load_buurten

    data = load_buurten(files["kwb"].read_bytes(), files["kwb"].name, [WIJK], 18)
    code, name = str(data.rows["code"].iloc[0]), str(data.rows["name"].iloc[0])
    talks = files["folder"] / "straatgesprekken.xlsx"
    answers = {k: v for k, v in wijk_answers(40, seed=9).items() if "postcode" not in k.lower()}
    talks.write_bytes(ms_forms_xlsx(answers))
    out = files["folder"] / "per_bestand.xlsx"
    run = CliRunner().invoke(app, ["report", str(talks), "--kwb", str(files["kwb"]), "--area", WIJK,
                                   "--file-area", f"{talks.name}={code}", "--out", str(out)])
    assert run.exit_code == 0, run.output
    sheet = load_workbook(io.BytesIO(out.read_bytes()))["Buurten"]
    rows = {r[1]: r for r in sheet.iter_rows(values_only=True) if isinstance(r[1], str) and r[1].startswith("BU")}
    header = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "Code")
    counts = {c: r[header.index("Respondenten")] for c, r in rows.items()}
    assert counts[code] >= 30, (name, rows[code])      # the file's adults, all in the chosen buurt
    assert all(v == 0 for c, v in counts.items() if c != code)
    bad = CliRunner().invoke(app, ["report", str(talks), "--kwb", str(files["kwb"]), "--area", WIJK,
                                   "--file-area", "zonder-code", "--out", str(out)])
    assert bad.exit_code == 2 and "BESTAND=BUURTCODE" in bad.stderr
    # a file that is not one of the inputs, or a code outside the chosen areas, placed
    # nobody without a word (README walk-through): now exit 2, naming what is wrong
    typo = CliRunner().invoke(app, ["report", str(talks), "--kwb", str(files["kwb"]), "--area", WIJK,
                                    "--file-area", f"gesprekken.xlsx={code}", "--out", str(out)])
    assert typo.exit_code == 2 and "'gesprekken.xlsx' is niet een van de bestanden" in typo.stderr
    elsewhere = CliRunner().invoke(app, ["report", str(talks), "--kwb", str(files["kwb"]), "--area", WIJK,
                                         "--file-area", f"{talks.name}=BU03630001", "--out", str(out)])
    assert elsewhere.exit_code == 2 and "BU03630001: die buurtcode hoort niet bij de gekozen" in elsewhere.stderr


def test_library_log_lines_stay_out_of_the_output_unless_debug(files, tmp_path) -> None:
    """A small file makes reports.privacy log raw cell keys (for developers); a user of the
    CLI sees only the Dutch lines, --debug shows the log too."""
    import subprocess
    import sys

    talks = tmp_path / "klein.xlsx"
    talks.write_bytes(ms_forms_xlsx({k: v for k, v in wijk_answers(40, seed=9).items()
                                     if "postcode" not in k.lower()}))
    code = "BU03440111"

    def run(*first: str) -> subprocess.CompletedProcess:
        args = [*first, "report", str(talks), "--kwb", str(files["kwb"]), "--area", WIJK,
                "--file-area", f"{talks.name}={code}", "--out", str(tmp_path / "r.xlsx")]
        return subprocess.run([sys.executable, "-c", "import sys; from ui.cli import app; app(sys.argv[1:])",
                               *args], capture_output=True, text=True, timeout=300,
                              cwd=Path(__file__).resolve().parents[1])

    plain = run()
    assert plain.returncode == 0, plain.stderr
    assert "Rapport geschreven" in plain.stdout and "verborgen cel" not in plain.stdout + plain.stderr
    debug = run("--debug")
    assert debug.returncode == 0 and "reports.privacy" in debug.stderr
