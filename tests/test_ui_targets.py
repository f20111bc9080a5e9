"""Project 'Doelen per groep' offers only groups the buurt figures have (re-walk: a target
for geslacht 'Anders', which CBS does not count, compared with nothing)."""
from __future__ import annotations

from dataclasses import replace

from store.demo import demo_reference
from ui.project_parts import _target_groups


def test_targets_follow_the_buurt_figures() -> None:
    ref = demo_reference()
    groups = _target_groups(ref)
    assert groups["gender"] == ["man", "vrouw"]
    assert all(set(cats) <= set(ref.dimensions[dim]) for dim, cats in groups.items() if dim in ref.dimensions)


def test_without_buurt_figures_or_with_other_group_names_every_group_is_offered() -> None:
    assert "anders" in _target_groups(None)["gender"]
    ref = demo_reference()
    custom = replace(ref, dimensions={**ref.dimensions, "age": {"18-30": 100.0, "30+": 300.0}})
    assert _target_groups(custom)["age"] == ["15-25", "25-45", "45-65", "65+"]
