"""Truth benchmark of the planner's channel mix (issue 13): does "N gesprekken via deze
kanalen" bring the groups it promises, in a world where each channel's reach is known?

    .venv/bin/python benchmarks/mix_truth_bench.py [--buurt CODE ...] [--fieldworks 100]
        [--n 300] [--seed 0] [--json OUT]

For each of the five benchmark buurten (benchmarks/world, as coverage_truth_bench draws
them), each simulated fieldwork:

1. A first wave of about n/2 adults answers with the world's response propensities; each
   picks a channel (online, papier, straatgesprek) with the world's channel weights
   (benchmarks/world/respond.py: older people on paper, people of non-European origin on
   the street, young people online).
2. `plan_fieldwork` on that wave (goal "flag", the product's own call) gives the mix: m_c
   contacts per channel, the groups it lifts (`covered`), those it lifts on fewer than
   10 of their people (`thin`) and whether it covers the whole plan.
3. The mix is carried out in the world: m_c more adults through channel c, each drawn
   (without replacement) with probability ∝ propensity × the chance to pick channel c.
4. After the mix: is every covered group at or above its goal (ratio ≥ 0.8 against the
   reference share, as the plan aims)? And every group the plan steers on?

Also per planned group: does the best-channel rule (engagement.channels.best_order, on
the first wave) name the channel whose respondents hold the largest share of the group in
the world, another one (and how good that one truly is), or 'nog niet te zeggen'?

Printed per buurt: how often a mix was made, its contacts against the plan's people,
the share of fieldworks in which every covered group reached its goal, and per covered
group the rate at which it did (thin and not thin apart). A mix planned on expected
yields is tight: about half the time a binding group falls just short. Not part of the
tests; the figures go into the issue's closing note.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.coverage_truth_bench import BUURTEN, UNDER, Buurt  # noqa: E402
from benchmarks.world.kwb import KWB_CSV  # noqa: E402
from benchmarks.world.respond import FILES, _channel_weights  # noqa: E402
from engagement.planner import MIX_CONFIDENCE, best_advice, plan_fieldwork  # noqa: E402

COLUMNS = {"gender": "sex", "household": "household", "tenure": "tenure", "origin": "origin"}


def channel_chances(b: Buurt) -> tuple[list[str], np.ndarray]:
    """Per adult, the chance to answer through each channel once they answer (the world's
    file weights summed per channel)."""
    channels = sorted(set(FILES.values()))
    chances = np.zeros((len(b.adults), len(channels)))
    for i, (_, person) in enumerate(b.adults.iterrows()):
        for name, weight in _channel_weights(person).items():
            chances[i, channels.index(FILES[name])] += weight
    return channels, chances / chances.sum(axis=1, keepdims=True)


def frame(b: Buurt, rows: np.ndarray, channel: np.ndarray) -> pd.DataFrame:
    """The respondents as the product's canonical table (age, kenmerken, channel)."""
    people = b.adults.iloc[rows]
    out = pd.DataFrame({"respondent_id": [f"r{i}" for i in rows], "age": people["age"].to_numpy()})
    for column, world in COLUMNS.items():
        out[column] = people[world].to_numpy()
    out["channel"] = channel
    return out


def ratios_after(b: Buurt, respondents: pd.DataFrame) -> dict[tuple[str, str], float]:
    """Each group's respondent share over its reference share, on the world's own codes."""
    rows = respondents["respondent_id"].str[1:].astype(int).to_numpy()
    out = {}
    for j, dim in enumerate(b.dims):
        codes = b.codes[rows, j]
        counts = np.bincount(codes[codes >= 0], minlength=len(b.cats[dim]))
        for k, cat in enumerate(b.cats[dim]):
            out[(dim, cat)] = float(counts[k] / max(counts.sum(), 1) / b.p_ref[j][k])
    return out


def true_yields(b: Buurt, channels: list[str], chances: np.ndarray) -> dict[tuple[str, str], dict[str, float]]:
    """Per group and channel, the share of the channel's respondents in that group in the
    world: what the best-channel rule (engagement.channels.best_order) estimates."""
    out = {}
    for j, dim in enumerate(b.dims):
        codes = b.codes[:, j]
        for k, cat in enumerate(b.cats[dim]):
            out[(dim, cat)] = {ch: float(np.sum((b.weight * chances[:, c])[codes == k])
                                         / np.sum(b.weight * chances[:, c]))
                               for c, ch in enumerate(channels)}
    return out


def fieldwork(b: Buurt, channels: list[str], chances: np.ndarray, n: float,
              rng: np.random.Generator, confidence: float | None = MIX_CONFIDENCE) -> dict:
    """One fieldwork: a first wave, the product's plan and mix, the mix carried out."""
    pi = np.clip(b.weight / b.weight.sum() * n / 2, 0, 0.95)
    first = np.flatnonzero(rng.random(len(pi)) < pi)
    picked = [channels[rng.choice(len(channels), p=chances[i])] for i in first]
    wave = frame(b, first, np.array(picked, dtype=object))
    plan = plan_fieldwork(wave, b.reference, mix_confidence=confidence)
    out = {"needed": plan.total_needed, "contacts": plan.total_contacts, "covers_plan": plan.covers_plan,
           "covered": plan.covered, "thin": plan.thin, "reached": {},
           "best": {g: a.channel for g, a in best_advice(plan).items()},
           "asked": [(g.dimension, g.category) for g in plan.groups if g.needed > 0]}
    if not plan.total_contacts:
        return out
    left = np.setdiff1d(np.arange(len(b.adults)), first)
    added, added_channel = [], []
    for row in plan.channel_totals:
        m = int(row["contacts"])
        if not m:
            continue
        c = channels.index(row["channel"])
        weight = np.nan_to_num(b.weight[left] * chances[left, c])
        if weight.sum() <= 0:  # everyone who could answer has answered
            break
        take = rng.choice(left, size=min(m, int((weight > 0).sum())), replace=False,
                          p=weight / weight.sum())
        added.extend(take.tolist())
        added_channel.extend([row["channel"]] * len(take))
        left = np.setdiff1d(left, take)
    after = pd.concat([wave, frame(b, np.array(added, dtype=int), np.array(added_channel, dtype=object))],
                      ignore_index=True)
    ratios = ratios_after(b, after)
    out["reached"] = {group: ratios[group] >= UNDER - 1e-12 for group in plan.covered}
    out["ratio"] = {group: ratios[group] for group in plan.covered}
    return out


def summarise(runs: list[dict], truth: dict[tuple[str, str], dict[str, float]] | None = None) -> dict:
    with_mix = [r for r in runs if r["contacts"]]
    best = {g: max(y, key=y.get) for g, y in (truth or {}).items()}
    picks = [(r["best"].get(g), best.get(g)) for r in runs for g in r["asked"]]
    # a pick that is not the world's best: its true yield as a share of the best one's
    lost = [truth[g][r["best"][g]] / max(truth[g].values()) for r in runs for g in r["asked"]
            if truth and r["best"].get(g) not in (None, best.get(g))]
    groups = [(g, ok, g in r["thin"]) for r in with_mix for g, ok in r["reached"].items()]
    thin = [ok for _, ok, is_thin in groups if is_thin]
    firm = [ok for _, ok, is_thin in groups if not is_thin]
    per_group: dict[str, list[bool]] = {}
    for g, ok, _ in groups:
        per_group.setdefault(f"{g[0]}:{g[1]}", []).append(ok)
    return {
        "fieldworks": len(runs), "with_mix": len(with_mix),
        "covers_plan": float(np.mean([r["covers_plan"] for r in with_mix])) if with_mix else 0.0,
        "contacts_mean": float(np.mean([r["contacts"] for r in with_mix])) if with_mix else 0.0,
        "contacts_median": float(np.median([r["contacts"] for r in with_mix])) if with_mix else 0.0,
        "needed_mean": float(np.mean([r["needed"] for r in runs])),
        "all_reached": float(np.mean([all(r["reached"].values()) for r in with_mix])) if with_mix else 0.0,
        "group_reached": float(np.mean([ok for _, ok, _ in groups])) if groups else 0.0,
        "thin_reached": float(np.mean(thin)) if thin else None, "thin_groups": len(thin),
        "firm_reached": float(np.mean(firm)) if firm else None, "firm_groups": len(firm),
        "per_group": {g: (float(np.mean(v)), len(v)) for g, v in per_group.items()},
        "best_asked": len(picks), "best_none": sum(p is None for p, _ in picks),
        "best_true": sum(p is not None and p == t for p, t in picks),
        "best_other": sum(p is not None and p != t for p, t in picks),
        "best_other_yield": float(np.median(lost)) if lost else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--buurt", nargs="*", default=list(BUURTEN))
    parser.add_argument("--fieldworks", type=int, default=100)
    parser.add_argument("--n", type=float, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--confidence", type=float, default=MIX_CONFIDENCE,
                        help="the mix's chance per group (planner.MIX_CONFIDENCE); 0: on expected "
                             "yields only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    data = KWB_CSV.read_bytes()
    results = {}
    for code in args.buurt:
        start = time.perf_counter()
        b = Buurt(code, args.seed, data)
        channels, chances = channel_chances(b)
        # one generator per fieldwork: runs with another --confidence see the same first waves
        s = summarise([fieldwork(b, channels, chances, args.n, np.random.default_rng([args.seed, 13, f]),
                                 args.confidence or None) for f in range(args.fieldworks)],
                      true_yields(b, channels, chances))
        results[code] = s
        print(f"{code} {b.name} ({time.perf_counter() - start:.0f} s)")
        print(f"  mix made in {s['with_mix']}/{s['fieldworks']} fieldworks, whole plan in "
              f"{s['covers_plan']:.0%} of those; contacts median {s['contacts_median']:.0f} (mean "
              f"{s['contacts_mean']:.0f}) for a plan of "
              f"{s['needed_mean']:.1f} people on average")
        print(f"  after the mix: every covered group at its goal in {s['all_reached']:.0%}; per covered "
              f"group {s['group_reached']:.0%}" + (
                  f" (thin: {s['thin_reached']:.0%} of {s['thin_groups']}" if s["thin_groups"] else " (thin: none")
              + (f"; not thin: {s['firm_reached']:.0%} of {s['firm_groups']})" if s["firm_groups"] else ")"))
        print(f"  best channel per planned group ({s['best_asked']}): the world's best "
              f"{s['best_true']}, another {s['best_other']}" + (
                  f" (median true yield {s['best_other_yield']:.0%} of the best's)" if s["best_other_yield"] else "")
              + f", 'nog niet te zeggen' {s['best_none']}")
        print("  per group (reached, times covered): " + ", ".join(
            f"{g} {rate:.0%} ({n})" for g, (rate, n) in sorted(s["per_group"].items())))
    reached = [r["all_reached"] for r in results.values() if r["with_mix"]]
    if reached:
        print(f"every covered group at its goal after the mix: {min(reached):.0%}-{max(reached):.0%} "
              "of fieldworks per buurt")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
