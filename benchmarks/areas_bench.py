"""Reach per buurt and the buurt map: how long a wijk's ranking and a gemeente's map take.

    .venv/bin/python benchmarks/areas_bench.py [--wijk WK015306] [--polygons 150] [--seed 0]

1. Ranking: the buurten of a wijk with at least ten buurten from the shared KWB file
   (../shared/data/cbs/kwb2024_85984NED_odata_first10000rows.csv; default Enschede-Zuid,
   10 buurten) with a seeded synthetic response (about 5 % per buurt, young people and
   people born outside Europe answer less, part placed through the postcode fallback).
   Times engagement.areas.load_buurten (read + population) and compute_areas (assignment,
   batch coverage, finding); goal < 2 s together. Baseline in the same run: one
   load_kwb_file + compute_coverage(weighting=False) per buurt, the obvious loop.
   The same for all 151 buurten of gemeente Groningen (GM0014) to show the scaling.
2. Map: a synthetic gemeente of `--polygons` irregular buurten (300 vertices each, RD New)
   written as a GeoPackage; times reference.geo.read_buurt_geometry (read, reproject,
   simplify) and reports.charts_areas.areas_map plus fig.to_json() (what the dashboard
   sends to the browser); goal < 2 s. Baseline: the same figure from the unsimplified
   outlines (size and time).
3. Dashboard: the Buurten page (AppTest on the demo project, whose answers are in
   Transvaal) with all 114 buurten of 's-Gravenhage (GM0518) and a synthetic map with their
   codes: the first run, choosing a missing group (a new map) and back (cached map).
Not part of the tests; prints numbers and ratios only.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

CSV = Path(__file__).resolve().parents[2] / "shared" / "data" / "cbs" / \
    "kwb2024_85984NED_odata_first10000rows.csv"
AGE_RATE = {"15-25": 0.4, "25-45": 0.8, "45-65": 1.1, "65+": 1.6}
BANDS = {"15-25": (18, 25), "25-45": (25, 45), "45-65": (45, 65), "65+": (65, 90)}


def synthetic_respondents(data, *, rate: float = 0.05, seed: int = 0) -> pd.DataFrame:
    """About `rate` × eligible respondents per buurt, skewed by age and origin; a quarter
    give only a postcode (the KWB's most common postcode of their buurt), 3 % nothing."""
    rng = np.random.default_rng(seed)
    rows = []
    population = data.population
    for code, part in population.groupby("area_code", sort=False):
        ages = part[part["dimension"] == "age"].set_index("category")["population"]
        origin = part[part["dimension"] == "origin"].set_index("category")["population"]
        weights = np.array([ages.get(b, 0.0) * AGE_RATE[b] for b in BANDS])
        if weights.sum() <= 0:
            continue
        n = int(rng.poisson(rate * float(part["eligible_population"].iloc[0])))
        bands = rng.choice(list(BANDS), size=n, p=weights / weights.sum())
        o_weights = np.array([origin.get(c, 0.0) * (0.5 if c == "buiten_europa" else 1.0)
                              for c in ("nederland", "europa", "buiten_europa")])
        origins = rng.choice(["nederland", "europa", "buiten_europa"], size=n,
                             p=o_weights / o_weights.sum()) if o_weights.sum() > 0 else [None] * n
        for band, orig in zip(bands, origins):
            low, high = BANDS[band]
            how = rng.random()
            rows.append({"age": float(rng.integers(low, high)), "origin": orig,
                         "gender": rng.choice(["man", "vrouw"]),
                         "area_code": code if how < 0.72 else None,
                         "postcode4": data.postcodes.postcode4.get(code) if 0.72 <= how < 0.97 else None,
                         "source": "enquete.xlsx#000000000000"})
    frame = pd.DataFrame(rows)
    frame["respondent_id"] = np.arange(len(frame))
    return frame


def ranking(kwb: bytes, areas: list[str], seed: int) -> dict[str, float]:
    from engagement.areas import compute_areas, load_buurten
    from engagement.coverage import compute_coverage
    from reference.files import _read_cached
    from reference.load import load_kwb_file

    _read_cached.cache_clear()  # a cold read, as a fresh CLI process has
    start = time.perf_counter()
    data = load_buurten(kwb, CSV.name, areas, 18)
    loaded = time.perf_counter() - start
    respondents = synthetic_respondents(data, seed=seed)
    start = time.perf_counter()
    result = compute_areas(respondents, data)
    computed = time.perf_counter() - start
    # baseline: a BuurtReference per buurt (load_kwb_file, file already parsed) and
    # compute_coverage per buurt on the respondents that carry its code
    start = time.perf_counter()
    for code in data.rows["code"]:
        try:
            ref = load_kwb_file(kwb, CSV.name, areas=[code], min_age=18)
        except ValueError:
            continue  # no inhabitants
        compute_coverage(respondents[respondents["area_code"] == code], ref, weighting=False)
    loop = time.perf_counter() - start
    return {"buurten": len(data.rows), "respondents": len(respondents),
            "placed": sum(a.respondents for a in result.areas), "unknown": result.unknown,
            "load": loaded, "areas": computed, "loop": loop, "finding": result.finding[0],
            "result": result}


def _blob(cx: float, cy: float, radius: float, rng: np.random.Generator, vertices: int):
    from shapely.geometry import Polygon

    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    wobble = radius * (0.85 + 0.15 * np.sin(angles * rng.integers(3, 9)) + 0.03 * rng.random(vertices))
    return Polygon(np.column_stack([cx + wobble * np.cos(angles), cy + wobble * np.sin(angles)]))


def synthetic_map(polygons: int, folder: Path, seed: int) -> tuple[Path, list[str]]:
    import geopandas as gpd

    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(polygons)))
    codes = [f"BU9999{i // 100:02d}{i % 100:02d}" for i in range(polygons)]
    shapes = [_blob(120000 + 700 * (i % side), 480000 + 700 * (i // side), 340, rng, 300)
              for i in range(polygons)]
    frame = gpd.GeoDataFrame({"buurtcode": codes, "buurtnaam": [f"Buurt {i + 1}" for i in range(polygons)]},
                             geometry=shapes, crs=28992)
    path = folder / "gemeente.gpkg"
    frame.to_file(path, layer="buurten")
    frame.iloc[: max(1, polygons // 10)].rename(columns={"buurtcode": "wijkcode"}).to_file(path, layer="wijken")
    return path, codes


def map_timing(polygons: int, seed: int) -> dict[str, float]:
    import json

    import geopandas as gpd

    from engagement.areas import AreaReach, AreasResult, MissingGroup
    from reference.geo import BuurtGeometry, read_buurt_geometry
    from reports.charts_areas import areas_map

    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as folder:
        path, codes = synthetic_map(polygons, Path(folder), seed)
        data = path.read_bytes()
        start = time.perf_counter()
        geometry = read_buurt_geometry(data, path.name, codes)
        read = time.perf_counter() - start
        raw = gpd.read_file(path, layer="buurten").to_crs(4326)
    areas = []
    for code in codes:
        people = float(rng.integers(500, 6000))
        n = int(rng.integers(0, 200))
        missed = MissingGroup("age", "15-25", residents=float(rng.integers(0, 600)))
        areas.append(AreaReach(code=code, name=f"Buurt {code[-4:]}", eligible_population=people,
                               respondents=n, per_100=100 * n / people, missing=(missed,) if n >= 10 else ()))
    result = AreasResult(areas=tuple(areas))
    start = time.perf_counter()
    fig = areas_map(result, geometry)
    text = fig.to_json()
    fig_group = areas_map(result, geometry, ("age", "15-25"))
    fig_group.to_json()
    built = (time.perf_counter() - start) / 2
    raw_geojson = json.loads(raw.rename(columns={"buurtcode": "code"}).set_index("code", drop=False).to_json())
    for feature in raw_geojson["features"]:
        feature["id"] = feature["properties"]["code"]
    start = time.perf_counter()
    raw_text = areas_map(result, BuurtGeometry(raw_geojson, "raw", "buurten", "buurtcode")).to_json()
    raw_built = time.perf_counter() - start
    return {"polygons": polygons, "read": read, "figure": built, "bytes": len(text),
            "raw_figure": raw_built, "raw_bytes": len(raw_text)}


def dashboard_timing(kwb: bytes, seed: int) -> dict[str, float]:
    """The Buurten page (AppTest, demo project) with all buurten of 's-Gravenhage and a
    synthetic map with their codes: first run (reads, in bounded children), choosing a
    missing group (a new map: what a user waits for) and back (the cached map)."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as folder:
        os.environ["BEREIKWIJZER_DATA_DIR"] = folder
        from engagement.areas import load_buurten

        codes = list(load_buurten(kwb, CSV.name, ["GM0518"], 18).rows["code"])
        path, _ = synthetic_map(len(codes), Path(folder), seed)
        import geopandas as gpd

        frame = gpd.read_file(path, layer="buurten")
        frame["buurtcode"] = codes
        frame.to_file(path, layer="buurten")
        page = str(Path(__file__).resolve().parents[1] / "ui" / "pages" / "buurten.py")
        app = AppTest.from_file(page, default_timeout=300).run()
        app.session_state["_buurten_uploads"] = {"kwb": (CSV.name, kwb),
                                                 "geo": ("gemeente.gpkg", path.read_bytes())}
        app.text_input[0].set_value("GM0518")
        start = time.perf_counter()
        app.run()
        first = time.perf_counter() - start
        problems = [str(e.value) for e in app.error] + [str(e) for e in app.exception]
        options = app.selectbox(key="buurten_measure").options
        start = time.perf_counter()
        app.selectbox(key="buurten_measure").set_value(options[min(1, len(options) - 1)]).run()
        other = time.perf_counter() - start  # another group: a new map is built
        start = time.perf_counter()
        app.selectbox(key="buurten_measure").set_value(options[0]).run()
        back = time.perf_counter() - start  # back to per 100: the cached map
        problems += [str(e.value) for e in app.error] + [str(e) for e in app.exception]
    return {"buurten": len(codes), "first": first, "other": other, "back": back, "options": len(options),
            "maps": len(app.get("plotly_chart")), "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wijk", default="WK015306")
    parser.add_argument("--polygons", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-dashboard", action="store_true", help="sla de AppTest-meting over")
    args = parser.parse_args()
    if not CSV.exists():
        raise SystemExit(f"{CSV} ontbreekt: de ranking-benchmark leest het gedeelde KWB-bestand.")
    kwb = CSV.read_bytes()
    for label, areas in ((f"wijk {args.wijk}", [args.wijk]), ("gemeente GM0014 (Groningen)", ["GM0014"])):
        r = ranking(kwb, areas, args.seed)
        total = r["load"] + r["areas"]
        print(f"Ranking, {label}: {r['buurten']} buurten, {r['respondents']} respondenten "
              f"({r['placed']} in een buurt, {r['unknown']} onbekend)")
        print(f"  load_buurten {r['load']:.2f} s + compute_areas {r['areas']:.3f} s = {total:.2f} s "
              f"(doel < 2 s: {'ja' if total < 2 else 'NEE'})")
        print(f"  baseline per buurt (load_kwb_file + compute_coverage): {r['loop']:.2f} s; "
              f"compute_areas is {r['loop'] / max(r['areas'], 1e-9):.0f}x sneller")
        print(f"  bevinding: {r['finding']}")
    m = map_timing(args.polygons, args.seed)
    total = m["read"] + m["figure"]
    print(f"Kaart: {m['polygons']} synthetische buurten (300 punten per buurt)")
    print(f"  read_buurt_geometry {m['read']:.2f} s + areas_map/to_json {m['figure']:.3f} s = {total:.2f} s "
          f"(doel < 2 s: {'ja' if total < 2 else 'NEE'})")
    print(f"  figuur {m['bytes'] / 1e3:.0f} kB; zonder vereenvoudigen {m['raw_bytes'] / 1e3:.0f} kB in "
          f"{m['raw_figure']:.3f} s (verhouding {m['raw_bytes'] / m['bytes']:.1f}x kleiner)")
    if not args.no_dashboard:
        d = dashboard_timing(kwb, args.seed)
        print(f"Dashboard (AppTest, pagina Buurten, {d['buurten']} buurten van Den Haag op de kaart, "
              f"{d['maps']} kaart): eerste keer {d['first']:.2f} s (bestanden lezen in begrensde "
              f"processen), andere groep op de kaart {d['other']:.2f} s (doel < 2 s: "
              f"{'ja' if d['other'] < 2 else 'NEE'}), terug naar per 100 {d['back']:.2f} s"
              + (f"; fouten: {d['problems']}" if d['problems'] else ""))
    print(f"  (belasting van de machine: {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen)")


if __name__ == "__main__":
    main()
