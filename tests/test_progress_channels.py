"""Channel counts per week: one rule (engagement.progress.channel_weeks) for the Voortgang
page's channel chart and the report's weekly table. Re-walk defects: the chart said
'Online 254' (only people whose kenmerk was known) where the report said 267, and it drew
one week without saying why weeks and channels were missing."""
from __future__ import annotations

import pandas as pd

from engagement.coverage import compute_coverage
from engagement.progress import channel_weeks, channel_weeks_sentence, progress_result
from reference.model import BuurtReference
from reports import privacy
from reports.report import CHANNELS_NOW_PLACE, build_report_data, channel_name
from ui.progress_parts import CHANNELS_NOW_PLACE as PAGE_NOW_PLACE, channel_view

K = privacy.DEFAULT_K
DAYS = ("2024-03-05 12:00", "2024-03-12 12:00", "2024-03-19 12:00")


def reference() -> BuurtReference:
    return BuurtReference(areas=(("BU1", "Proef"),), year=2024, table="t", population=4000,
                          eligible_population=4000, min_age=18,
                          dimensions={"age": {"15-25": 600, "25-45": 1400, "45-65": 1200, "65+": 800},
                                      "gender": {"man": 2000, "vrouw": 2000}})


def respondents(per_week: dict[str, int], undated: dict[str, int] | None = None) -> pd.DataFrame:
    """Per week `per_week` people per channel; street interviews give no age or gender (as a
    short street form does), so a kenmerk's weekly rows do not know them."""
    rows: list[dict[str, object]] = []
    for day in DAYS:
        for channel, n in per_week.items():
            for i in range(n):
                known = channel != "straatgesprek"
                rows.append({"channel": channel, "responded_at": day, "age": (20 + 7 * i) % 70 + 18 if known else None,
                             "gender": ("man" if i % 2 else "vrouw") if known else None})
    for channel, n in (undated or {}).items():
        rows += [{"channel": channel, "responded_at": None, "age": 40, "gender": "man"} for _ in range(n)]
    frame = pd.DataFrame(rows)
    frame["responded_at"] = pd.to_datetime(frame["responded_at"])
    return frame


def report_weeks(frame: pd.DataFrame):
    ref = reference()
    return build_report_data(coverage=compute_coverage(frame, ref), respondents=frame,
                             progress=progress_result(frame, ref))


def test_channel_weeks_count_everyone_with_a_date_and_keep_the_undated_for_now() -> None:
    frame = respondents({"online": 30, "papier": 12, "straatgesprek": 11}, undated={"online": 15})
    weeks = channel_weeks(frame, 18)
    assert list(weeks.counts.index) == list(pd.to_datetime(["2024-03-10", "2024-03-17", "2024-03-24"]))
    assert weeks.counts["straatgesprek"].tolist() == [11.0, 22.0, 33.0]  # no age or gender: still counted
    assert weeks.counts["online"].tolist() == [30.0, 60.0, 90.0]         # the undated are in no week
    assert dict(weeks.undated) == {"online": 15} and weeks.undated_total == 15
    assert weeks.now() == {"online": 105, "papier": 36, "straatgesprek": 33}


def test_weeks_are_dutch_weeks() -> None:
    """Monday 00:30 in Amsterdam is Sunday in UTC: it belongs to the new week."""
    frame = pd.DataFrame({"channel": ["online"] * 2, "age": [40, 50],
                          "responded_at": pd.to_datetime(["2024-03-06T10:00+01:00", "2024-03-11T00:30+01:00"])})
    weeks = channel_weeks(frame, 18)
    assert weeks.counts["online"].tolist() == [1.0, 2.0]
    assert list(weeks.counts.index) == list(pd.to_datetime(["2024-03-10", "2024-03-17"]))


def test_the_page_and_the_report_show_the_same_channel_numbers_per_week() -> None:
    frame = respondents({"online": 30, "papier": 12, "straatgesprek": 11}, undated={"online": 15})
    view = channel_view(frame, 18)
    assert view is not None
    data = report_weeks(frame)
    table = data.progress_weeks
    page = {(str(r.period_end.date()), r.channel): r.n for r in view.drawn.itertuples()}
    report = {(str(row["Week tot en met"]), channel_name(code)): float(row[channel_name(code)])
              for _, row in table.iterrows() for code in ("online", "papier", "straatgesprek")}
    assert page == report
    assert page[("2024-03-24", "Straatgesprekken")] == 33.0  # not 0: no kenmerk needed
    # every week the rule allows (each channel grew by at least k each week): all three
    assert sorted({w for w, _ in page}) == ["2024-03-10", "2024-03-17", "2024-03-24"]


def test_the_rule_is_said_in_the_same_words_on_the_page_and_in_the_report() -> None:
    frame = respondents({"online": 30, "papier": 12, "straatgesprek": 11}, undated={"online": 15})
    weeks = channel_weeks(frame, 18)
    view = channel_view(frame, 18)
    assert view is not None
    page = channel_weeks_sentence(weeks, now_place=PAGE_NOW_PLACE, name=channel_name, k=K)
    assert view.caption == page and view.missing == ""  # every week and channel drawn
    assert "opgeteld tot en met die week" in page
    assert "15 mensen hebben geen datum" in page and "online 15" in page
    assert channel_weeks_sentence(weeks, now_place=CHANNELS_NOW_PLACE, name=channel_name, k=K) \
        in report_weeks(frame).progress_note


def test_folded_weeks_and_hidden_channels_are_named_in_the_caption() -> None:
    """The walk's shape: small channels growing by 1 to 9 a week fold the earlier weeks; a
    channel below k is not drawn, and its complement is hidden too."""
    frame = respondents({"online": 30, "papier": 12, "bijeenkomst": 2, "huisbezoek": 4})
    view = channel_view(frame, 18)
    assert view is not None
    assert set(view.drawn["period_end"]) == {pd.Timestamp("2024-03-24")}
    assert set(view.drawn["channel"]) == {"Online", "Op papier"}
    assert "De weken tot en met 10-03-2024 en 17-03-2024 staan er niet apart in" in view.missing
    assert "Het kanaal Bijeenkomsten staat er niet in: minder dan 10 mensen." in view.missing
    assert "Het kanaal Huisbezoeken staat er ook niet in" in view.missing
    # the report folds and hides the same
    row = report_weeks(frame).progress_weeks.iloc[-1]
    assert len(report_weeks(frame).progress_weeks) == 1
    assert (row["Bijeenkomsten"], row["Huisbezoeken"], row["Online"]) == (f"<{K}", "x", 90)


def test_a_small_number_without_a_date_is_not_given_in_the_sentence() -> None:
    frame = respondents({"online": 30}, undated={"papier": 3})
    text = channel_weeks_sentence(channel_weeks(frame, 18), now_place="x", name=channel_name, k=K)
    assert f"Minder dan {K} mensen hebben geen datum" in text and "op papier minder dan 10" in text
    assert " 3 " not in text
