"""Benchmark: do the profiles find the planted groups, keep the under-reached one, and is
profile coverage honest about self-selection?

A planted world, built here and independent of tests/profiles_data.py: five buurten,
each a population of residents in five planted profiles on two axes (engagement × trust):
Meebouwers, Kritische betrokkenen, Vertrouwende toeschouwers, Op afstand (withdrawn and
distrustful) and Afwachtend midden (mostly neutral). Answers are ordinal 1–5 from a latent
normal around the profile's level per item. Who answers the participation survey depends
on the profile itself (Meebouwers 4 times as often as Op afstand, so Op afstand is
reached at about 0.45 of its share, Meebouwers at about 1.6) and on age; a probability
sample (a Burgerpeiling) draws residents at random, its response depends on age only,
and its weights post-stratify on age.

Printed per seed × buurt and in summary:
- ARI of the LCA and of the kompas against the planted profiles;
- whether the planted Op afstand group survives selection as its own profile (a class
  whose best-match Jaccard with it is ≥ 0.5) and the name it gets;
- the error of its estimated coverage ratio (share among respondents / share in the
  buurt) with a probability sample, and without one: the post-stratified (MAR) estimate
  and whether the stated sensitivity bounds bracket the true ratio.

Second part, when benchmarks/world exists (the shared synthetic world of the truth
benchmark, four planted profiles, Op afstand under-reached): for its five buurten, the
same measures on (a) a perfect import (the world's truth table) and (b) the combined
files of all tools through surveys.import_files. The world has no probability sample, so
one is drawn here from its population (profiles assigned by the world's own model,
response by age only, weights post-stratified on age); the true population share is
taken from that same draw of the adult population.

    .venv/bin/python benchmarks/profiles_bench.py [--seeds 3] [--quick] [--no-world] [--no-own]
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from profiles import fit_profiles
from profiles.coverage import profile_coverage

PLANTED = ("Meebouwers", "Kritische betrokkenen", "Vertrouwende toeschouwers", "Op afstand",
           "Afwachtend midden")
RARE = 3  # Op afstand
# level of engagement and trust items per planted profile, on the 1–5 answer scale
LEVELS = np.array([[4.2, 4.1], [4.2, 1.9], [1.9, 4.1], [1.6, 1.6], [3.0, 3.0]])
# buurt mixes (population shares of the five planted profiles)
BUURTEN = {
    "A": [0.15, 0.20, 0.20, 0.25, 0.20],
    "B": [0.25, 0.15, 0.25, 0.15, 0.20],
    "C": [0.10, 0.15, 0.20, 0.35, 0.20],
    "D": [0.20, 0.25, 0.15, 0.20, 0.20],
    "E": [0.30, 0.20, 0.20, 0.10, 0.20],
}
RESPONSE = np.array([2.0, 1.5, 1.0, 0.5, 1.0])  # relative propensity to join the participation survey
AGE_BANDS = ("15-25", "25-45", "45-65", "65+")
AGE_BY_PROFILE = np.array([[0.10, 0.30, 0.35, 0.25], [0.15, 0.35, 0.30, 0.20], [0.15, 0.30, 0.30, 0.25],
                           [0.30, 0.35, 0.20, 0.15], [0.20, 0.35, 0.25, 0.20]])
AGE_RESPONSE = np.array([0.6, 0.8, 1.0, 1.4])
ENG_TEXTS = ("Ik ben actief in mijn buurt", "Ik doe mee aan buurtactiviteiten",
             "Ik wil graag meedenken over plannen voor de wijk", "Ik ga naar bijeenkomsten over de buurt")
TRUST_TEXTS = ("Ik vertrouw de gemeente", "Ik heb het gevoel dat de gemeente iets doet met mijn inbreng",
               "Ik voel me niet gehoord door de gemeente", "De gemeente luistert naar bewoners")
OTHER_TEXTS = ("Ik woon graag in deze buurt", "Er is genoeg groen in de buurt")


@dataclass(frozen=True)
class World:
    """One buurt: its residents with planted profile, the participation respondents and a
    weighted probability sample (both with the planted profile kept aside as truth)."""

    population: pd.DataFrame
    respondents: pd.DataFrame
    sample: pd.DataFrame
    truth_respondents: np.ndarray
    truth_sample: np.ndarray
    truth_population: np.ndarray


def _slug(text: str) -> str:
    return "item:" + text.lower().replace(" ", "_")[:40].rstrip("_")


def _answers(profiles: np.ndarray, rng: np.random.Generator, missing: float = 0.03) -> pd.DataFrame:
    n = len(profiles)
    cols = {}
    person = rng.normal(0, 0.35, size=(n, 2))  # a person's own tilt on each axis
    for axis, texts in ((0, ENG_TEXTS), (1, TRUST_TEXTS)):
        for text in texts:
            level = LEVELS[profiles, axis] + person[:, axis] + rng.normal(0, 0.75, n)
            if "niet gehoord" in text:
                level = 6 - level  # negatively phrased
            cols[_slug(text)] = level
    for text in OTHER_TEXTS:
        cols[_slug(text)] = 3.3 + 0.3 * (profiles == 0) - 0.4 * (profiles == 3) + rng.normal(0, 0.9, n)
    frame = pd.DataFrame({k: np.clip(np.rint(v), 1, 5) for k, v in cols.items()})
    frame = frame.mask(rng.uniform(size=frame.shape) < missing)
    return frame


def make_world(mix: list[float], seed: int, *, population: int = 4000, respondents: int = 300,
               sample: int = 400) -> World:
    """One buurt of `population` residents, ~`respondents` participants and a probability
    sample of `sample` invitations (response depends on age only)."""
    rng = np.random.default_rng(seed)
    profiles = rng.choice(5, size=population, p=np.asarray(mix) / np.sum(mix))
    ages = np.array([rng.choice(4, p=AGE_BY_PROFILE[p]) for p in profiles])
    pop = pd.DataFrame({"respondent_id": [f"P{i:05d}" for i in range(population)],
                        "age_band": np.asarray(AGE_BANDS)[ages],
                        "gender": rng.choice(["man", "vrouw"], population)})
    pop = pd.concat([pop, _answers(profiles, rng)], axis=1)
    propensity = RESPONSE[profiles] * AGE_RESPONSE[ages]
    propensity *= respondents / propensity.sum()
    took_part = rng.uniform(size=population) < np.clip(propensity, 0, 1)
    resp = pop[took_part].reset_index(drop=True)
    resp.insert(1, "channel", rng.choice(["online", "papier", "straatgesprek"], len(resp), p=[0.6, 0.2, 0.2]))
    invited = rng.choice(population, size=sample, replace=False)
    answered = invited[rng.uniform(size=sample) < 0.35 * AGE_RESPONSE[ages[invited]]]
    samp = pop.iloc[answered].reset_index(drop=True).copy()
    samp.insert(1, "channel", "steekproef")
    band_pop = pop["age_band"].value_counts()
    band_samp = samp["age_band"].value_counts()
    samp["weight"] = samp["age_band"].map(band_pop / band_samp).astype(float)
    return World(pop, resp, samp, profiles[took_part], profiles[answered], profiles)


def _labels(result) -> np.ndarray:
    return np.array([-1 if p is None or pd.isna(p) else int(p) for p in result.assignments["profile"]])


def _rare_match(labels: np.ndarray, truth: np.ndarray) -> tuple[int | None, float]:
    """The fitted profile that best matches the planted rare group, and its Jaccard."""
    best, best_j = None, 0.0
    rare = truth == RARE
    for c in np.unique(labels[labels >= 0]):
        inside = labels == c
        j = (inside & rare).sum() / max((inside | rare).sum(), 1)
        if j > best_j:
            best, best_j = int(c), float(j)
    return best, best_j


def _population_cells(pop: pd.DataFrame) -> pd.DataFrame:
    cells = pop.groupby(["age_band", "gender"]).size().rename("population_share").reset_index()
    return cells


def run_one(name: str, mix: list[float], seed: int, quick: bool) -> dict:
    world = make_world(mix, seed * 100 + ord(name), respondents=250 if quick else 300)
    truth = world.truth_respondents
    lca = fit_profiles(world.respondents, method="lca", random_state=seed)
    kompas = fit_profiles(world.respondents, method="kompas")
    lab, kom = _labels(lca), _labels(kompas)
    rare_id, rare_j = _rare_match(lab, truth)
    true_ratio = float((truth == RARE).mean() / (world.truth_population == RARE).mean())
    cells = _population_cells(world.population)
    without = profile_coverage(lca, world.respondents, cells)
    with_sample = profile_coverage(lca, world.respondents, cells, probability_sample=world.sample)
    row = {"buurt": name, "seed": seed, "n": len(truth), "n_rare": int((truth == RARE).sum()), "k": lca.k,
           "ari_lca": adjusted_rand_score(truth, lab), "ari_kompas": adjusted_rand_score(truth, kom),
           "path": "own", "rare_survives": rare_j >= 0.5, "rare_jaccard": rare_j, "true_ratio": true_ratio,
           "rare_name": "", "rare_flag": ""}
    if rare_id is not None:
        card = next(c for c in lca.cards if c.id == rare_id)
        row["rare_name"], row["rare_flag"] = card.name, card.flag
        est_wo = without.set_index("profile").loc[rare_id]
        est_w = with_sample.set_index("profile").loc[rare_id]
        row.update(ratio_mar=float(est_wo["ratio"]), low=float(est_wo["ratio_low"]),
                   high=float(est_wo["ratio_high"]), ratio_sample=float(est_w["ratio"]),
                   sample_low=float(est_w["ratio_low"]), sample_high=float(est_w["ratio_high"]),
                   flag_wo=str(est_wo["flag"]), flag_w=str(est_w["flag"]))
        row["bracketed"] = row["low"] <= true_ratio <= row["high"]
        row["err_mar"] = abs(row["ratio_mar"] - true_ratio)
        row["err_sample"] = abs(row["ratio_sample"] - true_ratio)
    return row


WORLD_BUURTEN = ("BU00140000", "BU00343105", "BU16800000", "BU05183033", "BU0363AA02")
WORLD_RARE = "Op afstand"
SAMPLE_AGE_RESPONSE = {"15-25": 0.2, "25-45": 0.3, "45-65": 0.4, "65+": 0.5}


def _world_sample(world, columns: list[str], seed: int, invited: int = 800):
    """A weighted probability sample of the world's adults, answers in `columns`, and the
    true population share of Op afstand in the same draw."""
    from benchmarks.world.engagement import STATEMENTS, assign_profiles, draw_answers
    from benchmarks.world.render_base import norm

    rng = np.random.default_rng([seed, 99])
    adults = world.population[world.population["age"] >= 18].reset_index(drop=True)
    profiles = assign_profiles(adults, rng)
    true_share = float((profiles == WORLD_RARE).mean())
    picked = rng.choice(len(adults), size=min(invited, len(adults)), replace=False)
    bands = adults["age_band"].to_numpy()
    answered = picked[rng.uniform(size=len(picked)) < np.array([SAMPLE_AGE_RESPONSE.get(b, 0.3)
                                                                 for b in bands[picked]])]
    people = adults.iloc[answered].reset_index(drop=True)
    answers = draw_answers(profiles.iloc[answered].reset_index(drop=True), rng)
    frame = pd.DataFrame({"respondent_id": [f"S{i:04d}" for i in range(len(people))], "channel": "steekproef",
                          "age": people["age"].to_numpy(), "gender": people["sex"].to_numpy()})
    slugs = {s.key: "item:" + norm(s.text).replace(" ", "_") for s in STATEMENTS}
    for col in columns:
        key = next((k for k, slug in slugs.items() if slug.startswith(col) or col == f"item:{k}"), None)
        frame[col] = answers[f"true:{key}"].to_numpy() if key else np.nan
    count = adults["age_band"].value_counts()
    got = people["age_band"].value_counts()
    frame["weight"] = people["age_band"].map(count / got).astype(float).to_numpy()
    return frame, true_share, adults.assign(gender=adults["sex"])


def _world_row(frame: pd.DataFrame, planted: np.ndarray, world, code: str, seed: int, path: str) -> dict:
    lca = fit_profiles(frame, method="lca", random_state=seed)
    row = {"buurt": code, "seed": seed, "path": path, "n": len(frame), "n_rare": int((planted == WORLD_RARE).sum()),
           "k": lca.k}
    lab = _labels(lca)
    row["ari_lca"] = adjusted_rand_score(planted, lab)
    try:
        kom = _labels(fit_profiles(frame, method="kompas"))
        row["ari_kompas"] = adjusted_rand_score(planted, kom)
    except ValueError as error:
        row["ari_kompas"], row["kompas_error"] = np.nan, str(error)[:80]
    rare = planted == WORLD_RARE
    best, best_j = None, 0.0
    for c in np.unique(lab[lab >= 0]):
        j = ((lab == c) & rare).sum() / max(((lab == c) | rare).sum(), 1)
        if j > best_j:
            best, best_j = int(c), float(j)
    row["rare_jaccard"], row["rare_survives"] = best_j, best_j >= 0.5
    if best is None:
        return row
    card = next(c for c in lca.cards if c.id == best)
    row["rare_name"], row["rare_flag"] = card.name, card.flag
    sample, true_share, adults = _world_sample(world, list(lca.items), seed)
    row["true_ratio"] = float(rare.mean() / true_share)
    cells = adults.assign(age_band=adults["age_band"]).groupby(["age_band", "gender"]).size() \
        .rename("population_share").reset_index()
    without = profile_coverage(lca, frame, cells).set_index("profile").loc[best]
    with_s = profile_coverage(lca, frame, cells, probability_sample=sample).set_index("profile").loc[best]
    row.update(ratio_mar=float(without["ratio"]), low=float(without["ratio_low"]), high=float(without["ratio_high"]),
               ratio_sample=float(with_s["ratio"]), sample_low=float(with_s["ratio_low"]),
               sample_high=float(with_s["ratio_high"]), flag_wo=str(without["flag"]), flag_w=str(with_s["flag"]))
    row["bracketed"] = row["low"] <= row["true_ratio"] <= row["high"]
    row["err_mar"] = abs(row["ratio_mar"] - row["true_ratio"])
    row["err_sample"] = abs(row["ratio_sample"] - row["true_ratio"])
    return row


def world_rows(seeds, real_import: bool = True) -> list[dict]:
    """Rows of the shared world: the perfect import and (optionally) the real one."""
    from benchmarks.world import build_world
    from benchmarks.world.score import Score, import_world, match_rows, truth_table

    rows = []
    for seed in seeds:
        for code in WORLD_BUURTEN:
            world = build_world(code, seed, 400)
            counted = world.truth["excluded"] == ""
            perfect = truth_table(world).assign(source=world.truth.loc[counted, "file"].to_numpy())
            rows.append(_world_row(perfect, world.truth.loc[counted, "profile"].to_numpy(), world,
                                   code, seed, "perfect"))
            if not real_import:
                continue
            imported, error = import_world(world)
            if imported is None:
                rows.append({"buurt": code, "seed": seed, "path": "import", "error": error})
                continue
            pairs = match_rows(imported, world.truth, Score(code, seed))
            keep = (imported["excluded"].fillna("") == "") if "excluded" in imported else \
                pd.Series(True, index=imported.index)
            planted_by = dict(zip(pairs["imp_index"], world.truth["profile"].to_numpy()[pairs["truth_index"]]))
            frame = imported[keep.to_numpy()]
            planted = np.array([planted_by.get(i, "") for i in frame.index], dtype=object)
            frame, planted = frame[planted != ""].reset_index(drop=True), planted[planted != ""]
            rows.append(_world_row(frame, planted, world, code, seed, "import"))
    return rows


def summary(table: pd.DataFrame, label: str) -> None:
    """Print the per-run table and the headline numbers."""
    cols = ["buurt", "seed", "path", "n", "n_rare", "k", "ari_lca", "ari_kompas", "rare_survives", "rare_jaccard",
            "rare_name", "true_ratio", "ratio_mar", "low", "high", "bracketed", "ratio_sample", "sample_low",
            "sample_high", "err_sample"]
    print(f"== {label} ==")
    print(table[[c for c in cols if c in table.columns]].to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    print(f"runs: {len(table)}")
    print(f"ARI LCA:    mean {table['ari_lca'].mean():.3f}, min {table['ari_lca'].min():.3f}")
    print(f"ARI kompas: mean {table['ari_kompas'].mean():.3f}, min {table['ari_kompas'].min():.3f}")
    print(f"under-reached group survives selection (Jaccard >= 0.5): {int(table['rare_survives'].sum())}/{len(table)}")
    big = table["n_rare"] >= 20
    if (~big).any():
        print(f"  of which with >= 20 of its members among the respondents: "
              f"{int(table.loc[big, 'rare_survives'].sum())}/{int(big.sum())}; with fewer: "
              f"{int(table.loc[~big, 'rare_survives'].sum())}/{int((~big).sum())}")
    if "err_sample" in table and table["err_sample"].notna().any():
        within = int((table["err_sample"] <= 0.1).sum())
        print(f"coverage ratio error with probability sample: mean {table['err_sample'].mean():.3f}, "
              f"max {table['err_sample'].max():.3f}; within 0.1: {within}/{len(table)}")
        print(f"coverage ratio error, post-stratified without sample: mean {table['err_mar'].mean():.3f}, "
              f"max {table['err_mar'].max():.3f}")
        print(f"true ratio inside the sensitivity bounds (no sample): {int(table['bracketed'].sum())}/{len(table)}")
        kept = table[table["rare_survives"]]
        if len(kept) < len(table):
            print(f"  runs where the group survived: ratio within 0.1 with sample "
                  f"{int((kept['err_sample'] <= 0.1).sum())}/{len(kept)}, bracketed without "
                  f"{int(kept['bracketed'].sum())}/{len(kept)}")
        inside = (table["sample_low"] <= table["true_ratio"]) & (table["true_ratio"] <= table["sample_high"])
        print(f"true ratio inside the 95% interval (with sample): {int(inside.sum())}/{len(table)}")
        print("flags for the under-reached group without / with sample: "
              + ", ".join(f"{a}/{b}" for a, b in zip(table["flag_wo"], table["flag_w"])))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one seed, smaller buurten")
    parser.add_argument("--no-world", action="store_true", help="skip the shared world of benchmarks/world")
    parser.add_argument("--no-import", action="store_true", help="shared world: perfect import only")
    parser.add_argument("--no-own", action="store_true", help="skip this script's own planted world")
    args = parser.parse_args()
    seeds = range(1) if args.quick else range(args.seeds)
    pd.set_option("display.width", 250)
    if not args.no_own:
        rows = [run_one(name, mix, seed, args.quick) for seed in seeds for name, mix in BUURTEN.items()]
        summary(pd.DataFrame(rows), "own planted world (5 profiles incl. Afwachtend midden)")
    world_dir = Path(__file__).resolve().parent / "world"
    if not args.no_world and (world_dir / "__init__.py").exists():
        table = pd.DataFrame(world_rows(seeds, real_import=not args.no_import))
        for path, part in table.groupby("path", sort=False):
            if "ari_lca" in part and part["ari_lca"].notna().any():
                summary(part.dropna(subset=["ari_lca"]), f"shared world, {path}")
            if "error" in part and part["error"].notna().any():
                print(part[["buurt", "seed", "error"]].dropna().to_string(index=False))


if __name__ == "__main__":
    main()
