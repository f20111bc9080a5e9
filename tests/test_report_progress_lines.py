"""The report's Voortgang part says what the Voortgang page says beside its weeks: how many
respondents have no date (left out of the weekly figures, counted in today's), and why a
kenmerk's last dated week is left out. One sentence builder (engagement.progress) for both."""
from __future__ import annotations

import pytest
from test_voortgang_now import reference, respondents

from engagement.coverage import compute_coverage
from engagement.progress import merged_week_sentence, progress_result, undated_sentence
from reports import privacy
from reports.html import render_html
from reports.report import ReportData, build_report_data
from reports.xlsx import build_workbook
from ui.progress_privacy import merged_last_week_text

K = privacy.DEFAULT_K


def report(undated_bands: list[str]) -> ReportData:
    frame = respondents(undated_bands)
    ref = reference()
    return build_report_data(coverage=compute_coverage(frame, ref), respondents=frame,
                             progress=progress_result(frame, ref))


def test_the_page_and_the_report_share_one_sentence() -> None:
    assert merged_last_week_text("24-03-2024", 29, K) == merged_week_sentence("24-03-2024", 29, K)
    page = progress_result(respondents(["18-29"] * 9 + ["65-74"] * 20), reference()).warnings[0]
    assert page == undated_sentence(29)
    assert page.startswith("29 respondenten hebben geen datum. Die staan niet in de lijnen")


def test_the_report_says_who_has_no_date_and_which_last_week_is_left_out() -> None:
    data = report(["18-29"] * 9 + ["65-74"] * 20)  # 9 undated '18-29' add 5.25 to 18-25 (walk-through)
    undated, merged = data.progress_lines
    assert undated == undated_sentence(29, today="net als bij Bereik per kenmerk", k=K)
    assert "in de cijfers van nu tellen ze wel mee, net als bij Bereik per kenmerk." in undated
    assert merged.startswith("Bij leeftijd staat de week tot en met 24 mrt 2024 niet apart in de cijfers per week.")
    assert "(met de 29 mensen zonder datum erbij)" in merged and f"kleiner dan {K} mensen" in merged
    assert "2024-03-24" not in set(data.progress["Periode"])  # the sheet indeed leaves that week out
    # both writers say each sentence once in the Voortgang part
    page = render_html(data)
    part = page[page.index('<h2 id="voortgang">'):page.index('<h2 id="aanbevelingen">')]
    assert part.count("29 respondenten hebben geen datum") == 1 and part.count("Bij leeftijd staat de week") == 1
    sheet = build_workbook(data)["Voortgang"]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if isinstance(c.value, str))
    assert undated in text and merged in text


def test_a_small_number_without_a_date_is_not_given() -> None:
    data = report(["18-29"] * 3)
    assert data.progress_lines[0].startswith(f"Minder dan {K} respondenten hebben geen datum.")
    assert len(data.progress_lines) == 2 and "(met de mensen zonder datum erbij)" in data.progress_lines[1]
    assert not any(" 3 " in line for line in data.progress_lines)
    # the weekly totals' note says the channel rule (engagement.progress.channel_weeks_sentence),
    # with the small number of people without a date hidden the same way
    assert f"Minder dan {K} mensen hebben geen datum" in data.progress_note and " 3 " not in data.progress_note


@pytest.mark.parametrize("bands", [[], ["65-74"] * 20])
def test_nothing_left_out_is_said_only_where_true(bands: list[str]) -> None:
    data = report(bands)
    if not bands:
        assert data.progress_lines == ()
    else:  # 20 undated of 65-74: every group's difference with today is 0 or at least 10
        assert len(data.progress_lines) == 1 and "20 respondenten hebben geen datum" in data.progress_lines[0]
