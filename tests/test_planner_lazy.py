"""The plan's channel mix (an LP through scipy.optimize) is computed on first use: Bereik
reads only the group numbers. These tests check that the lazy plan gives the same numbers
as asking for the mix at once, survives pickling (st.cache_data) and keeps its notes' order."""
from __future__ import annotations

import pickle

from engagement.planner import ChannelMix, Plan, describe_plan, plan_fieldwork
from tests.test_planner import channel_frame, worked_reference


def test_group_numbers_do_not_compute_the_mix() -> None:
    plan = plan_fieldwork(channel_frame(), worked_reference(), weeks=2)
    needed = {g.category: g.needed for g in plan.groups}
    assert needed["15-25"] > 0 and plan.total_needed > 0
    assert "mix" not in plan.__dict__  # nothing asked for the channels yet
    assert plan.total_contacts and plan.total_contacts > 0
    assert "mix" in plan.__dict__ and isinstance(plan.mix, ChannelMix)


def test_pickled_plan_gives_the_same_mix_before_and_after_use() -> None:
    fresh = plan_fieldwork(channel_frame(), worked_reference(), weeks=2)
    copied = pickle.loads(pickle.dumps(fresh))  # st.cache_data stores plans pickled
    assert "mix" not in copied.__dict__
    used = plan_fieldwork(channel_frame(), worked_reference(), weeks=2)
    reference = used.to_dict()
    again = pickle.loads(pickle.dumps(used))
    assert copied.to_dict() == reference == again.to_dict()
    assert copied == used and describe_plan(copied) == describe_plan(used)


def test_mix_notes_follow_the_plans_own_notes() -> None:
    frame = channel_frame()
    frame = frame[frame["age"] != 20]  # nobody of 15-25 from any channel: a mix note
    plan = plan_fieldwork(frame, worked_reference(), goal="margin", margin=0.08)
    assert plan.notes[: len(plan.plan_notes)] == plan.plan_notes
    assert plan.plan_notes and "Foutmarge" in plan.plan_notes[0]
    assert plan.notes[len(plan.plan_notes):] == plan.mix.notes
    assert any("nieuw kanaal" in n for n in plan.mix.notes)
    assert ("age", "15-25") in plan.unreachable


def test_a_plan_built_with_its_mix_given_keeps_it() -> None:
    lazy = plan_fieldwork(channel_frame(), worked_reference())
    given = Plan(goal=lazy.goal, total_needed=lazy.total_needed, groups=lazy.groups,
                 channels=lazy.channels, channel_totals=lazy.channel_totals,
                 total_contacts=lazy.total_contacts, unreachable=lazy.unreachable,
                 notes=lazy.notes, level=lazy.level, covered=lazy.covered, thin=lazy.thin)
    assert given.mix_input is None
    assert given.to_dict() == lazy.to_dict() and given == lazy
    other = Plan(goal=lazy.goal, total_needed=lazy.total_needed, groups=lazy.groups,
                 total_contacts=(lazy.total_contacts or 0) + 1, level=lazy.level)
    assert other != lazy and other.channels == () and other.notes == ()
