"""A synthetic world with known truth, written apart from the project's own assumptions.

`build_world(code, seed)` draws a buurt's residents from its KWB marginals, plants
engagement profiles, lets some of them answer through many real export layouts and
keeps the truth of every rendered row beside the files (see issue 11).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.world.kwb import BuurtFigures, buurt_figures
from benchmarks.world.population import draw_population
from benchmarks.world.render_base import Rendered
from benchmarks.world.render_offline import render_paper, render_spss, render_street
from benchmarks.world.render_online import (
    render_google,
    render_kobo,
    render_msforms,
    render_qualtrics,
    render_surveymonkey,
    week_one,
)
from benchmarks.world.respond import FIELDWORK_START, FILES, draw_respondents

WEEK_TWO = FIELDWORK_START + timedelta(days=7)

__all__ = ["World", "build_world", "FILES"]


@dataclass(frozen=True)
class World:
    figures: BuurtFigures
    population: pd.DataFrame     # every resident
    respondents: pd.DataFrame    # everyone who answered (plus test rows and non-residents)
    files: tuple[Rendered, ...]
    truth: pd.DataFrame          # one row per rendered data row, all files

    def upload(self) -> list[tuple[str, bytes]]:
        """The files as the dashboard and the CLI receive them."""
        return [(f.name, f.data) for f in self.files]

    def write(self, folder: Path) -> Path:
        """The files and truth.csv (one row per rendered data row) in `folder`, to look at
        or to upload by hand in the dashboard."""
        folder.mkdir(parents=True, exist_ok=True)
        for rendered in self.files:
            (folder / rendered.name).write_bytes(rendered.data)
        self.truth.assign(pii=self.truth["pii"].map(" | ".join)).to_csv(folder / "truth.csv", index=False)
        return folder


def _render(name: str, people: pd.DataFrame, rng: np.random.Generator, figures: BuurtFigures) -> Rendered:
    if name.startswith("msforms"):
        return render_msforms(people, name, rng, english="_en" in name)
    if name.startswith("google"):
        return render_google(people, name, rng, english="_en" in name)
    if name.startswith("qualtrics"):
        return render_qualtrics(people, name, rng, as_xlsx=name.endswith(".xlsx"))
    if name.startswith("surveymonkey"):
        return render_surveymonkey(people, name, rng)
    if name.startswith("kobo"):
        return render_kobo(people, name, rng, xml="xml" in name)
    if name.startswith("papier"):
        return render_paper(people, name, rng, figures.name, as_csv=name.endswith(".csv"))
    if name.startswith("straat"):
        return render_street(people, name, rng, as_csv=name.endswith(".csv"))
    if name.endswith(".sav"):
        return render_spss(people, name, rng, figures.code)
    raise ValueError(name)


def build_world(code: str, seed: int = 0, n_respondents: int = 400, *, exclusions: bool = True) -> World:
    """The world of one buurt and seed: population, respondents, rendered files, truth."""
    rng = np.random.default_rng([seed, int.from_bytes(code.encode(), "little") % (2**32)])
    figures = buurt_figures(code)
    population = draw_population(figures, rng)
    respondents = draw_respondents(population, n_respondents, rng, exclusions=exclusions)
    files = []
    for name in FILES:
        people = respondents[respondents["file"] == name].sort_values("responded_at")
        if not len(people):
            continue
        rendered = _render(name, people, rng, figures)
        if name == "msforms_nl.xlsx" and (people["responded_at"] < WEEK_TWO).sum() > 0:
            files.extend(week_one(rendered, "msforms_nl_week1.xlsx", WEEK_TWO))
        else:
            files.append(rendered)
    truth = pd.concat([f.truth for f in files], ignore_index=True)
    return World(figures, population, respondents, tuple(files), truth)
