"""The planner's channel mix against the truth, small: one buurt of the synthetic world
(benchmarks/world), 40 fieldworks with the same first waves for both ways of planning.
The full run is `.venv/bin/python benchmarks/mix_truth_bench.py`."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.world.kwb import KWB_CSV  # noqa: E402

pytestmark = [pytest.mark.skipif(not KWB_CSV.exists(),
                                 reason="../shared/data/cbs ontbreekt: de waarheidswereld leest de echte KWB-cijfers"),
              pytest.mark.slow]

BUURT = "BU0363AA02"  # Westelijke eilanden: the mix lifts age and origin groups here
FIELDWORKS = 40


def test_a_mix_reckoned_with_chance_keeps_its_promise_more_often_than_one_on_averages() -> None:
    from benchmarks.coverage_truth_bench import Buurt
    from benchmarks.mix_truth_bench import channel_chances, fieldwork, summarise
    from engagement.planner import MIX_CONFIDENCE

    b = Buurt(BUURT, 0, KWB_CSV.read_bytes())
    channels, chances = channel_chances(b)

    def runs(confidence: float | None) -> dict:
        return summarise([fieldwork(b, channels, chances, 300, np.random.default_rng([0, 13, f]), confidence)
                          for f in range(FIELDWORKS)])

    average, sure = runs(None), runs(MIX_CONFIDENCE)
    assert average["with_mix"] == sure["with_mix"] >= 10  # the same first waves, a mix in many
    assert sure["all_reached"] >= average["all_reached"] + 0.2
    assert sure["group_reached"] >= 0.6 and average["group_reached"] <= 0.55
    assert sure["contacts_median"] >= average["contacts_median"]  # the price: more conversations
