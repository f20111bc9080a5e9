"""Reports for the project group: one protected set of tables, written as Excel or HTML.

`build_report_data` turns the result objects (coverage, profiles, progress, cells,
advice, the fieldwork plan, reach per buurt, the themes check) into Dutch display tables
with small numbers suppressed; the
writers in reports/xlsx.py and reports/html.py only lay those tables out. No row-level data
leaves: the respondents table is used only for channel totals and, when no plan is
passed, to make the planner's default plan.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

from engagement.areas import AreasResult
from engagement.channels import NO_BEST, ChannelReach, channel_reach
from engagement.coverage import eligible_respondents
from engagement.model import CategoryCoverage, CellsResult, CoverageResult, ProgressResult
from engagement.outreach import Advice, advise, apply_plan, best_channels, group_name, load_rules
from engagement.planner import Plan, mix_sentence, plan_fieldwork, weekly_plan
from engagement.progress import (
    ChannelWeeks,
    channel_weeks,
    channel_weeks_sentence,
    merged_week_sentence,
    undated_sentence,
)
from engagement.themes import ThemesCheck
from engagement.vocabulary import age_words, group_label, group_phrase, source_line, status_label
from profiles.coverage import ProfileCoverageResult
from profiles.model import ProfileResult
from reference.geo import BuurtGeometry
from reports import privacy
from reports.text import (
    FLAG_LABELS,
    MEDIA,
    area_text,
    dimension_label,
    fmt_date,
    fmt_int,
    join_nl,
    method_lines,
    place,
    profile_problem_sentence,
    summary_sentences,
    whole,
)
from surveys.categories import label as category_label
from surveys.errors import InputError

logger = logging.getLogger(__name__)

COVERAGE_COLUMNS = ["Kenmerk", "Groep", "Bevolking", "Aandeel bevolking", "Respondenten",
                    "Aandeel respondenten", "Verhouding", "Marge laag", "Marge hoog", "Oordeel",
                    "Nog te spreken", "Geschat"]
STATS_COLUMNS = ["Kenmerk", "Onbekend", "Chi-kwadraat", "Vrijheidsgraden", "p-waarde", "CV",
                 "R-indicator", "Min/max-verhouding"]
HIDDEN_STATS = "verborgen"
REST = privacy.REST  # the cell of respondents outside a dimension's categories
PLAN_COLUMNS = ["Kenmerk", "Groep", "Respondenten nu", "Aandeel in de buurt", "Nog te spreken (nu)",
                "Nodig in het plan", "Alleen deze groep erbij", "Waarom", "Beste kanaal tot nu toe"]
HIDDEN_WORD = privacy.HIDDEN_WORD  # a hidden channel's people per day and days needed
PLAN_CHANNEL_COLUMNS = ["Kanaal", "Respondenten tot nu toe", "Voorgesteld erbij", "Per dag tot nu toe",
                        "Dagen nodig", "Per week"]
WEEK_COLUMNS = ["Soort", "Wat", "Totaal"]  # plus "Week 1" … "Week n" before Totaal
DEFAULT_WEEKS = 4
WEEK_END = "Week tot en met"
WEEK_TOTAL = "Totaal (opgeteld)"
DATE_COLUMNS = frozenset({"Periode", "Doel bereikt op", WEEK_END})  # ISO in the data, "4 mrt 2024" when shown
# Columns that hold a number of people: whole numbers wherever a person reads them, rounded
# half up by text.whole (as Excel rounds), so a sentence and a cell never differ by one.
COUNT_COLUMNS = frozenset({
    "Bevolking", "Respondenten", "Onbekend", "Aantal", "Respondenten (totaal tot nu)", "Nog te spreken",
    "Respondenten nu", "Nog te spreken (nu)", "Nodig in het plan", "Alleen deze groep erbij", "Verwacht",
    "Respondenten tot nu toe", "Voorgesteld erbij", "Dagen nodig", "Per week", "Totaal", WEEK_TOTAL})
PLAN_REASONS = {
    "unreached": "Nog niemand uit deze groep gesproken.",
    "under": "Ondervertegenwoordigd: te weinig gesproken.",
    "dilution": "Nu niet te weinig gesproken, maar wel als de andere groepen er mensen bij krijgen.",
    "margin": "Nodig voor de gekozen foutmarge.",
    "ok": "Genoeg gesproken voor dit doel.",
    "uncertain": "Oordeel onzeker: het plan stuurt niet op deze groep.",
}
PLAN_GOALS = {
    "flag": "tot geen groep meer ondervertegenwoordigd is (verhouding minstens {level})",
    "band": "tot elke groep binnen haar band ligt (verhouding tussen {level} en 1,25)",
    "share": "tot elke groep minstens haar aandeel in de buurt heeft",
    "margin": "tot elke groep een foutmarge van hooguit {margin} heeft",
}


@dataclass(frozen=True)
class ReportData:
    """Everything a writer shows, already protected and in Dutch."""

    title: str
    project: str
    area: str
    date: dt.date
    k: int
    summary: tuple[str, ...]
    headline: pd.DataFrame          # Onderwerp, Waarde, Uitleg
    coverage: pd.DataFrame          # COVERAGE_COLUMNS (+ _dimension, _category, _status)
    stats: pd.DataFrame             # STATS_COLUMNS
    cells: pd.DataFrame
    profiles: pd.DataFrame
    progress: pd.DataFrame
    advice: pd.DataFrame
    channels: pd.DataFrame
    method: tuple[str, ...]
    notes: dict[str, str] = field(default_factory=dict)  # sheet → explanation line
    plan: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PLAN_COLUMNS))
    plan_channels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PLAN_CHANNEL_COLUMNS))
    plan_weeks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WEEK_COLUMNS))
    plan_lines: tuple[str, ...] = ()
    cells_independence: bool = False
    summary_html: tuple[str, ...] = ()   # the summary as the HTML page says it ("verderop", not "blad")
    progress_weeks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[WEEK_END, WEEK_TOTAL]))
    progress_note: str = ""              # who the weekly totals leave out (no date)
    # beside the per-kenmerk weeks: who has no date, and why a kenmerk's last week is left
    # out (the Voortgang page's own sentences, engagement.progress)
    progress_lines: tuple[str, ...] = ()
    profile_problem: str = ""            # the sentence why no profiles could be made, or ""
    # Buurten (engagement.areas): None when the report was made without reach per buurt
    areas: AreasResult | None = None
    areas_geometry: BuurtGeometry | None = None   # the map file; without it a ranked table only
    areas_finding: tuple[str, ...] = ()
    areas_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    areas_group_title: str = ""
    areas_group: pd.DataFrame = field(default_factory=pd.DataFrame)
    areas_lines: tuple[str, ...] = ()    # notes, how the missed residents are estimated, source
    # Thema's (engagement.themes): None when there were no open answers or topic questions
    themes: ThemesCheck | None = None
    themes_findings: tuple[str, ...] = ()
    themes_overall: pd.DataFrame = field(default_factory=pd.DataFrame)
    themes_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    themes_quotes: pd.DataFrame = field(default_factory=pd.DataFrame)
    themes_lines: tuple[str, ...] = ()

    def summary_for(self, medium: str) -> tuple[str, ...]:
        """The summary in the words of `medium` ("xlsx" or "html")."""
        return self.summary_html if medium == "html" and self.summary_html else self.summary


def _label(cat: CategoryCoverage) -> str:
    """The verdict: the coverage engine's label, else the one status decision
    (engagement.vocabulary) in words."""
    return cat.label or status_label(cat.status)


def coverage_table(coverage: CoverageResult, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    estimated = set(coverage.reference.estimated) if coverage.reference is not None else set()
    min_age = coverage.reference.min_age if coverage.reference is not None else None
    rows, stats = [], []
    steady = privacy.steady_verdicts(coverage, k)
    for dim in coverage.dimensions:
        values = {c.category: c.respondents for c in dim.categories}
        # Respondents outside the categories (unknown, or younger than min_age) are one
        # number, always shown: the shares over the known answers give it away anyway, so
        # a hidden group's complement is another group (privacy.kenmerk_status).
        status, rest = privacy.kenmerk_status(values, coverage.respondents, k)  # privacy.hidden_groups too
        for cat in dim.categories:
            s = status[cat.category]
            def hide(v: Any, s: str = s) -> Any:
                return privacy.protected(v, s, k)

            def hide_share(v: Any, s: str = s) -> Any:  # no count of people: '–', not '<10'
                return privacy.protected_share(v, s)
            reach = privacy.to_reach_text(cat.to_reach, cat.respondents, s, k)
            told = not s or steady.get(f"{dim.dimension}:{cat.category}", True)  # a verdict gives no count back
            rows.append({
                "Kenmerk": dimension_label(dim.dimension),
                "Groep": group_label(cat.category, min_age, dim.dimension), "Bevolking": cat.population, "Aandeel bevolking": cat.population_share,
                "Respondenten": hide(cat.respondents), "Aandeel respondenten": hide_share(cat.respondent_share),
                "Verhouding": hide_share(cat.ratio), "Marge laag": hide_share(cat.ci_low),
                "Marge hoog": hide_share(cat.ci_high),
                "Oordeel": _label(cat) if told else HIDDEN_WORD,
                "Nog te spreken": (cat.to_reach if not s else (reach if reach is not None
                                                               else privacy.SECONDARY_MARK)),
                "Geschat": "ja" if (dim.estimated or f"{dim.dimension}:{cat.category}" in estimated) else "",
                "_dimension": dim.dimension, "_category": cat.category, "_status": s,
                "_flag": cat.flag if told else "", "_n": cat.respondents,
            })
        any_hidden = any(v for key, v in status.items() if key != REST)
        stats.append({
            "Kenmerk": dimension_label(dim.dimension), "Onbekend": privacy.protected(rest, status[REST], k),
            **({c: HIDDEN_STATS for c in STATS_COLUMNS[2:]} if any_hidden else {
                "Chi-kwadraat": dim.chi2, "Vrijheidsgraden": dim.df, "p-waarde": dim.p_value,
                "CV": dim.cv, "R-indicator": dim.r_indicator, "Min/max-verhouding": dim.min_max_ratio}),
        })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS + ["_dimension", "_category", "_status", "_flag",
                                                          "_n"]), \
        pd.DataFrame(stats, columns=STATS_COLUMNS)


def _hidden_groups(table: pd.DataFrame) -> dict[str, str]:
    """category code → status, for categories hidden in the coverage table."""
    hidden = table[table["_status"] != ""]
    return dict(zip(hidden["_category"], hidden["_status"]))


Cells: TypeAlias = CellsResult | pd.DataFrame | None      # a DataFrame: CellsResult.to_frame() (older callers)
Progress: TypeAlias = ProgressResult | pd.DataFrame | None  # a DataFrame: ProgressResult.to_frame()
# a DataFrame: ProfileCoverageResult.to_frame() (then without the caveat and assumption)
ProfileCoverage: TypeAlias = ProfileCoverageResult | pd.DataFrame | None


def _cells_frame(cells: Cells) -> pd.DataFrame | None:
    """The cells as the long table of CELL_COLUMNS (row, col, population, …)."""
    return cells.to_frame() if isinstance(cells, CellsResult) else cells


def _progress_frame(progress: Progress) -> pd.DataFrame | None:
    """The progress as the long table of PROGRESS_COLUMNS (period_end, n, …, n_<channel>)."""
    return progress.to_frame() if isinstance(progress, ProgressResult) else progress


def cells_independence(cells: Cells) -> bool:
    """True when the two-way cells are the independence table (no joint figures)."""
    if isinstance(cells, CellsResult):
        return bool(cells.cells) and cells.independence
    if cells is None or cells.empty:
        return False
    return "basis" in cells.columns and cells["basis"].astype(str).str.contains("onafhankelijkheid").any()


HIDDEN_SHARE = privacy.HIDDEN_SHARE  # a ratio whose count is hidden
CELLS_HIDDEN_NOTE = ("Verhouding '–': verborgen, omdat het aantal respondenten in dat vakje verborgen is "
                     "('<{k}': minder dan {k} mensen; 'x': verborgen zodat u een verborgen aantal niet "
                     "kunt terugrekenen).")


VERDICT_HIDDEN_NOTE = ("Oordeel 'verborgen': bij deze kleine groep zou het oordeel het verborgen aantal "
                       "verraden (het hangt af van hoeveel het er precies zijn, van 1 tot {last}).")


def verdict_hidden_note(table: pd.DataFrame, k: int) -> str:
    """The legend under a coverage table that hides a verdict ('' when it hides none)."""
    hidden = "Oordeel" in table.columns and (table["Oordeel"] == HIDDEN_WORD).any()
    return VERDICT_HIDDEN_NOTE.format(last=k - 1) if hidden else ""


def cells_hidden_note(cells: pd.DataFrame, k: int) -> str:
    """The legend of the Cellen table's hidden ratios ('' when it hides none), for both writers."""
    hidden = "Verhouding" in cells.columns and (cells["Verhouding"] == HIDDEN_SHARE).any()
    return CELLS_HIDDEN_NOTE.format(k=k) if hidden else ""


def _cells_table(cells: Cells, hidden: dict[str, str], k: int, min_age: int | None = None) -> pd.DataFrame:
    columns = ["Rij", "Kolom", "Bevolking", "Verwacht", "Respondenten", "Verhouding"]
    dims = (cells.rows, cells.cols) if isinstance(cells, CellsResult) else (None, None)
    cells = _cells_frame(cells)
    if cells is None or cells.empty:
        return pd.DataFrame(columns=columns)
    frame = cells.reset_index(drop=True)
    status = privacy.cells_status(frame, hidden, k)  # Bereik's heatmap hides by the same rule
    rows = []
    for i, s in zip(frame.index, status):
        few = s == privacy.NOT_SHOWN  # nothing hidden: too few expected for a ratio
        mark = privacy.protected(frame.at[i, "respondents"], s, k)
        record = {"Rij": group_label(str(frame.at[i, "row"]), min_age, dims[0]),
                  "Kolom": group_label(str(frame.at[i, "col"]), min_age, dims[1]),
                  "Bevolking": frame.at[i, "population"], "Verwacht": frame.at[i, "expected"],
                  "Respondenten": "te weinig gegevens" if few else mark,
                  # a ratio is no count of people: hidden, it says so without '<k'
                  "Verhouding": "te weinig gegevens" if few else HIDDEN_SHARE if s else frame.at[i, "ratio"]}
        if "basis" in frame.columns:
            record["Bevolking per cel"] = frame.at[i, "basis"] if pd.notna(frame.at[i, "basis"]) else ""
        if "note" in frame.columns:
            note = frame.at[i, "note"] if pd.notna(frame.at[i, "note"]) else ""
            record["Opmerking"] = "" if "basis" in frame.columns and note.startswith("schatting") else note
        rows.append(record)
    return pd.DataFrame(rows)


def _protected_progress(progress: Progress, hidden: dict[str, str], k: int,
                        coverage: pd.DataFrame | None = None) -> list[tuple[str, pd.DataFrame, pd.DataFrame]]:
    """Per kenmerk: its weekly rows and what privacy.protect_progress keeps of them (the
    Voortgang page's rule; `coverage`: today's counts, `hidden`: groups hidden there)."""
    progress = _progress_frame(progress)
    if progress is None or progress.empty:
        return []
    frame = progress.reset_index(drop=True)
    period, count = "period_end", "n"
    out = []
    for dim, part in frame.groupby("dimension", sort=False):
        forced = [c for c in part["category"].unique() if str(c) in hidden]
        current = None
        if coverage is not None and not coverage.empty and (coverage["_dimension"] == dim).any():
            today = coverage[coverage["_dimension"] == dim]
            current = dict(zip(today["_category"], today["_n"].astype(float)))
        out.append((str(dim), part, privacy.protect_progress(part.assign(_raw=part[count]), k, period=period,
                                                             count=count, forced=forced, current=current)))
    return out


def _progress_lines(progress: Progress, hidden: dict[str, str], k: int, coverage: pd.DataFrame | None,
                    undated: int) -> tuple[str, ...]:
    """What the Voortgang page says beside its weeks, in the report's words: how many have
    no date, and per kenmerk whose last dated week is left out (the difference with today's
    figures, which count the undated too, would be under k) that it is and why."""
    if not undated:
        return ()
    lines = [undated_sentence(undated, today=f"net als bij {TODAY_PLACE}", k=k)]
    merged: dict[pd.Timestamp, list[str]] = {}
    for dim, raw, part in _protected_progress(progress, hidden, k, coverage):
        if raw.empty or part.empty:
            continue
        last = pd.Timestamp(raw["period_end"].max())
        if last not in set(pd.to_datetime(part["period_end"])):
            label = dimension_label(dim)
            merged.setdefault(last, []).append(label[:1].lower() + label[1:])
    for day, dims in sorted(merged.items()):
        lines.append(merged_week_sentence(fmt_date(day), undated, k, dimension=join_nl(dims),
                                          shown="in de cijfers per week", today=f"bij {TODAY_PLACE}",
                                          hide_small=True))
    return tuple(lines)


def _undated(respondents: pd.DataFrame | None, progress: Progress) -> int:
    """Counted rows without a date (from the rows, else as the progress engine counted them)."""
    if respondents is not None and "responded_at" in respondents.columns:
        dates = pd.to_datetime(respondents["responded_at"], errors="coerce", utc=True)
        return int(dates.isna().sum())
    return progress.undated if isinstance(progress, ProgressResult) else 0


TODAY_PLACE = "Bereik per kenmerk"  # where the report shows today's figures (sheet and section)
CHANNELS_NOW_PLACE = "'Respondenten per kanaal' bij de Samenvatting"  # today's channel totals


def _progress_table(progress: Progress, hidden: dict[str, str], k: int,
                    coverage: pd.DataFrame | None = None, min_age: int | None = None) -> pd.DataFrame:
    """The Voortgang sheet, protected by the same rule as the dashboard's Voortgang page
    (privacy.protect_progress): only the weeks whose differences give away no small
    group (also against today's counts in `coverage`, the Bereik table, which counts
    people without a date too), small counts hidden with a complement, and a group hidden
    in the coverage table hidden in every week. A hidden row shows no share, ratio,
    verdict or date either."""
    columns = ["Periode", "Kenmerk", "Groep", "Respondenten (totaal tot nu)", "Aandeel", "Verhouding", "Oordeel"]
    parts = [part for _, _, part in _protected_progress(progress, hidden, k, coverage)]
    if not parts:
        return pd.DataFrame(columns=columns)
    period, count = "period_end", "n"
    rows = pd.concat(parts).sort_index()
    status = rows["status"].tolist()
    shown = [not s for s in status]
    verdicts = rows["label"] if "label" in rows.columns else rows["flag"].map(
        lambda f: FLAG_LABELS.get(str(f), str(f)))
    out = pd.DataFrame({
        "Periode": [_period_text(p) for p in rows[period]],
        "Kenmerk": [dimension_label(str(d)) for d in rows["dimension"]],
        "Groep": [group_label(str(c), min_age, str(d)) for c, d in zip(rows["category"], rows["dimension"])],
        "Respondenten (totaal tot nu)": [privacy.protected(v, s, k) for v, s in zip(rows[count], status)],
        "Aandeel": [privacy.protected_share(v, s) for v, s in zip(rows["share"], status)],
        "Verhouding": [privacy.protected_share(v, s) for v, s in zip(rows["ratio"], status)],
        "Oordeel": [v if ok else HIDDEN_STATS for v, ok in zip(verdicts.astype("object"), shown)],
        "_flag": [f if ok else "" for f, ok in zip(rows["flag"].astype("object"), shown)],
    })
    if "to_reach" in rows.columns:
        texts = [privacy.to_reach_text(int(t), float(n), s, k) if pd.notna(t) else None
                 for t, n, s in zip(rows["to_reach"], rows["_raw"], status)]
        out["Nog te spreken"] = [number_or_text(t) for t in texts]
    reached = "target_reached_at"
    if reached in rows.columns:
        out["Doel bereikt op"] = [_period_text(v) if ok and pd.notna(v) else "" for v, ok in zip(rows[reached], shown)]
    return out


def _period_text(value: Any) -> str:
    """An ISO date (sortable; the writers show it as "4 mrt 2024", see DATE_COLUMNS)."""
    if isinstance(value, pd.Period):
        return str(value.start_time.date()) if value.freqstr.startswith("W") else str(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return str(value.date())
    return str(value)


def _weekly_counts(respondents: pd.DataFrame | None, progress: Progress
                   ) -> tuple[pd.DataFrame, ChannelWeeks | None]:
    """Cumulative respondents per week (Sunday) and channel, and the channel weeks they
    come from. From the respondents when they carry dates: engagement.progress.channel_weeks,
    the Voortgang page's own rule (every counted person with a date, weeks in Dutch time;
    people without a date only in today's figures); else from the progress engine's
    n_<channel> columns of the dimension that knows the most people."""
    if respondents is not None and "responded_at" in respondents.columns and not respondents.empty:
        weeks = channel_weeks(respondents)
        if not weeks.counts.empty:  # without a channel column: the total only, no channel named
            return (weeks.counts if "channel" in respondents.columns
                    else weeks.counts.set_axis([""], axis=1)), weeks
    progress = _progress_frame(progress)
    if progress is None or progress.empty or "dimension" not in progress.columns:
        return pd.DataFrame(), None
    period = "period_end"
    columns = [c for c in progress.columns if str(c).startswith("n_")]
    if not columns:
        return pd.DataFrame(), None
    last = progress[progress[period] == progress[period].max()]
    best = last.groupby("dimension")[columns].sum().sum(axis=1).idxmax()
    totals = progress[progress["dimension"] == best].groupby(period)[columns].sum().sort_index()
    totals.columns = [str(c).removeprefix("n_") for c in totals.columns]
    return totals.astype(float), None


def _progress_weeks(respondents: pd.DataFrame | None, progress: Progress,
                    k: int) -> tuple[pd.DataFrame, str]:
    """The small Voortgang table: per week the respondents so far, in total and per
    channel, protected like the Voortgang sheet (privacy.progress_status: only weeks whose
    differences give away no small group; a small channel '<k' or 'x'). The hidden _date
    column carries the week for a chart."""
    counts, weeks = _weekly_counts(respondents, progress)
    if counts.empty:
        return pd.DataFrame(columns=[WEEK_END, WEEK_TOTAL]), ""
    status = privacy.progress_status(counts, k)
    kept = counts.loc[status.index]
    rows = []
    for week in kept.index:
        row: dict[str, Any] = {WEEK_END: _period_text(pd.Timestamp(week)), WEEK_TOTAL: whole(kept.loc[week].sum())}
        if len(kept.columns) > 1 or str(kept.columns[0]):
            for code in kept.columns:
                shown = privacy.protected(kept.at[week, code], status.at[week, code], k)
                row[channel_name(code)] = whole(shown) if isinstance(shown, (int, float)) else shown
        row["_date"] = pd.Timestamp(week)
        rows.append(row)
    notes = []
    if len(kept) < len(counts):
        notes.append(f"Een week waarin een kanaal er 1 tot {k - 1} mensen bij kreeg, telt mee in een "
                     "latere week; zo kan niemand uitrekenen wie er in welke week bijkwam.")
    if weeks is not None:  # the rule in words, as the Voortgang page says it
        notes.append(channel_weeks_sentence(weeks, now_place=CHANNELS_NOW_PLACE, name=channel_name, k=k))
    return pd.DataFrame(rows), " ".join(notes)


def _whole_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as whole numbers (text.whole); marks like '<10', 'x' and 'minstens 12' stay."""
    if frame.empty:
        return frame
    out = frame.copy()
    for column in out.columns:
        if column in COUNT_COLUMNS or str(column).startswith("Week "):
            out[column] = [whole(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and pd.notna(v)
                           else v for v in out[column].astype("object")]
    return out


_COUNT_IN_NOTE = re.compile(r"\s*\(\d+ (?:mensen|persoon)[^)]*\)")


def _answers_text(card) -> str:
    """The card's answers with their full statement; 'typisch' ones (nothing stands out)
    say so, so a reader does not take the most common answer for a distinguishing one."""
    parts = [f"{a.get('item', '')}: {a.get('answer', '')}" for a in card.top_answers[:3]]
    if parts and card.top_answers[0].get("kind") == "typisch":
        return "Geen antwoord springt eruit; het meest gegeven: " + "; ".join(parts)
    return "; ".join(parts)


def _coverage_frame(profile_coverage: ProfileCoverage) -> pd.DataFrame | None:
    """The profile coverage as its table (PROFILE_COVERAGE_COLUMNS)."""
    return profile_coverage.to_frame() if isinstance(profile_coverage, ProfileCoverageResult) \
        else profile_coverage


def _coverage_rows(profile_coverage: ProfileCoverage) -> tuple[dict[str, dict[str, Any]], str]:
    """Per profile name its row of the profile coverage table; and the caveat with the
    assumption (empty without a table; a bare table carries neither)."""
    frame = _coverage_frame(profile_coverage)
    if frame is None or frame.empty:
        return {}, ""
    name_col = next((c for c in ("name", "profile_name") if c in frame.columns), None)
    if name_col is None:
        return {}, ""
    rows = {str(r[name_col]): r.to_dict() for _, r in frame.iterrows()}
    caveat = (" ".join(t for t in (profile_coverage.caveat, profile_coverage.assumption) if t)
              if isinstance(profile_coverage, ProfileCoverageResult) else "")
    return rows, caveat


def _profiles_table(profiles: ProfileResult | None, profile_coverage: ProfileCoverage,
                    k: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per profile: size, the card's flag and note ("klein, onzeker"), its
    answers, and with a profile coverage table the estimated share in the buurt with its
    bracket and what it means (never p-values: the profiles were fitted on these answers).
    A hidden profile shows no count, also not inside its note or through the buurt figures."""
    from profiles.coverage import FLAG_WORDS

    columns = ["Profiel", "Omschrijving", "Aantal", "Aandeel respondenten", "Let op", "Toelichting",
               "Kenmerkende antwoorden"]
    if profiles is None or not profiles.cards:
        return pd.DataFrame(columns=columns), {}
    sizes = {card.name: card.size for card in profiles.cards}
    status = privacy.suppress(sizes, [list(sizes)], k)
    buurt, _ = _coverage_rows(profile_coverage)
    frame = _coverage_frame(profile_coverage)
    share_col = next((c for c in ("population_share_estimate", "population_share", "buurt_share",
                                  "estimated_share")
                      if frame is not None and c in frame.columns), None)
    rows = []
    for card in profiles.cards:
        s = status[card.name]
        note = privacy.mask_small_counts(_COUNT_IN_NOTE.sub("", card.note) if s else card.note, k)
        row = {"Profiel": card.name, "Omschrijving": card.description,
               "Aantal": privacy.protected(card.size, s, k),
               "Aandeel respondenten": privacy.protected_share(card.share, s),
               "Let op": card.flag, "Toelichting": note,
               "Kenmerkende antwoorden": _answers_text(card)}
        if buurt and share_col:
            found = buurt.get(card.name, {})
            share = found.get(share_col, "")
            row["Geschat aandeel in de buurt"] = privacy.protected_share(share, s) if found else ""
            if "share_low" in found:
                row["Marge laag"] = privacy.protected_share(found["share_low"], s)
                row["Marge hoog"] = privacy.protected_share(found["share_high"], s)
            if "flag" in found:
                maybe = found.get("possibly_under")
                flag = "possibly_under" if maybe is not None and pd.notna(maybe) and bool(maybe) \
                    else str(found["flag"])
                row["Oordeel"] = FLAG_WORDS.get(flag, flag)
        rows.append(row)
    table = pd.DataFrame(rows)
    if not (table["Let op"].astype(str) != "").any() and not (table["Toelichting"].astype(str) != "").any():
        table = table.drop(columns=["Let op", "Toelichting"])  # nothing to warn about: fewer columns
    return table, status


def profile_caveat(profile_coverage: ProfileCoverage) -> str:
    """The plain-Dutch caveat of profile coverage with its assumption (for the report)."""
    return _coverage_rows(profile_coverage)[1]


def _advice_table(advice: list[Advice], coverage: pd.DataFrame, profile_status: dict[str, str],
                  k: int, needed: dict[str, Any] | None = None, min_age: int | None = None) -> pd.DataFrame:
    columns = ["Groep", "Oordeel", "Nog te spreken", "Wat kunt u doen?", "Voorbeelden", "Kanalen tot nu toe", "Bron"]
    keyed = {f"{d}:{c}": (s, r, o) for d, c, s, r, o in zip(coverage["_dimension"], coverage["_category"],
                                                            coverage["_status"], coverage["Nog te spreken"],
                                                            coverage["Oordeel"])}
    rows = []
    for item in advice:
        verdict = FLAG_LABELS.get(item.flag, item.flag)
        if item.dimension == "profile":
            s = profile_status.get(item.group.partition(":")[2], "")
            reach = None if s or item.to_reach is None else str(item.to_reach)
        else:
            s, shown, verdict = keyed.get(item.group, ("", item.to_reach, verdict))
            if verdict == HIDDEN_WORD:  # a row would say what the hidden verdict hides: under
                continue
            if needed is not None and item.needed is not None and item.group in needed:
                shown = needed[item.group]  # the plan's joint number, protected like the plan sheet
            reach = None if shown in (None, privacy.SECONDARY_MARK) else str(shown)
        channels = age_words(" ".join(t for t in (item.channels_so_far, item.best_channel_text) if t), min_age)
        rows.append({"Groep": age_words(item.label, min_age), "Oordeel": verdict,
                     "Nog te spreken": reach if reach is not None else "onbekend",
                     "Wat kunt u doen?": age_words(f"{item.headline(reach)} {item.advice}", min_age),
                     "Voorbeelden": age_words("\n".join(f"• {a}" for a in item.activities), min_age),
                     "Kanalen tot nu toe": channels, "Bron": item.source})
    return pd.DataFrame(rows, columns=columns)


def channel_name(code: str) -> str:
    """"straatgesprek" → "Straatgesprekken" (the rule table's phrase without "via")."""
    return load_rules().channels.get(str(code), str(code)).removeprefix("via ").capitalize()


def channels_table(respondents: pd.DataFrame | None, k: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Respondents per channel (only rows that count, so the channels add up to n) and
    the suppression status per channel code."""
    columns = ["Kanaal", "Respondenten"]
    if respondents is None or "channel" not in respondents.columns or respondents.empty:
        return pd.DataFrame(columns=columns), {}
    counts = respondents["channel"].astype("object").fillna("anders").value_counts()
    status = privacy.suppress(dict(counts.items()), [list(counts.index)], k)
    return pd.DataFrame({"Kanaal": [channel_name(c) for c in counts.index],
                         "Respondenten": [privacy.protected(v, status[c], k) for c, v in counts.items()]},
                        columns=columns), {str(c): s for c, s in status.items()}


def number_or_text(text: str | None) -> Any:
    """A protected number as a report shows it: int when plain, else the text or 'x'."""
    if text is None:
        return privacy.SECONDARY_MARK
    return int(text) if text.isdigit() else text


def plan_needed(plan: Plan, coverage: pd.DataFrame, k: int) -> dict[str, Any]:
    """group → the plan's `needed` as it may be shown.

    Like to_reach, needed + n_k is known (⌈level·p_k·N⌉), so a hidden group gets a lower
    bound ("minstens …") or 'x'. Where the needs of one dimension add up to the plan's
    total, a single hidden need would follow by subtraction: the smallest other need of
    that dimension is hidden too."""
    status = dict(zip(coverage["_dimension"] + ":" + coverage["_category"], coverage["_status"]))
    out: dict[str, Any] = {}
    by_dim: dict[str, list[str]] = {}
    for g in plan.groups:
        key = f"{g.dimension}:{g.category}"
        out[key] = number_or_text(privacy.to_reach_text(g.needed, g.respondents,
                                                         status.get(key, ""), k))
        if g.needed > 0:
            by_dim.setdefault(g.dimension, []).append(key)
    needs = {f"{g.dimension}:{g.category}": g.needed for g in plan.groups}
    for keys in by_dim.values():
        if sum(needs[key] for key in keys) != plan.total_needed:
            continue
        hidden = [key for key in keys if not isinstance(out[key], int)]
        shown = [key for key in keys if isinstance(out[key], int)]
        if len(hidden) == 1 and shown:
            out[min(shown, key=lambda key: needs[key])] = privacy.SECONDARY_MARK
    return out


def _plan_tables(plan: Plan | None, coverage: pd.DataFrame, channel_status: dict[str, str], k: int,
                 weeks: int | None, room: float | None = None, min_age: int | None = None,
                 reach: ChannelReach | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str], dict]:
    """The Plan sheet: groups, channel mix, weekly plan and the lines above them.

    `reach` (channels.channel_reach of the counted rows): the best channel per group from
    the team's yields, by the one rule the Aanbevelingen page uses.

    `room` (eligible residents not yet spoken to): a channel mix larger than that is not
    a plan but a sign that more of the same will not do; it is said so and left out of
    the weekly plan."""
    empty = (pd.DataFrame(columns=PLAN_COLUMNS), pd.DataFrame(columns=PLAN_CHANNEL_COLUMNS),
             pd.DataFrame(columns=WEEK_COLUMNS))
    if plan is None:
        return (*empty, ["Geen plan: daarvoor zijn de antwoorden zelf nodig (niet alleen de "
                         "bereiktabel)."], {})
    needed = plan_needed(plan, coverage, k)
    keyed = {d + ":" + c: (s, n, shown) for d, c, s, n, shown in zip(
        coverage["_dimension"], coverage["_category"], coverage["_status"], coverage["_n"],
        coverage["Respondenten"])}
    # a hidden group whose verdict the coverage table hides (steady_verdicts) gets no reason either
    silent = {d + ":" + c for d, c, o in zip(coverage["_dimension"], coverage["_category"], coverage["Oordeel"])
              if o == HIDDEN_WORD}
    best = {f"{d}:{c}": ch for (d, c), ch in best_channels(plan, reach).items()}
    rows = []
    for g in plan.groups:
        key = f"{g.dimension}:{g.category}"
        if g.needed <= 0:
            continue
        s, _, shown = keyed.get(key, ("", g.respondents, g.respondents))
        rows.append({
            "Kenmerk": dimension_label(g.dimension), "Groep": group_label(g.category, min_age, g.dimension),
            "Respondenten nu": shown, "Aandeel in de buurt": g.population_share,
            "Nog te spreken (nu)": number_or_text(privacy.to_reach_text(g.to_reach, g.respondents, s, k)),
            "Nodig in het plan": needed[key],
            "Alleen deze groep erbij": g.needed_alone if not s else privacy.SECONDARY_MARK,
            "Waarom": HIDDEN_WORD if key in silent else PLAN_REASONS.get(g.reason_code, ""),
            "Beste kanaal tot nu toe": channel_name(best[key]) if key in best else NO_BEST,
            "_flag": "" if key in silent else "under" if g.reason_code in ("under", "unreached") else "ok"})
    groups = pd.DataFrame(rows, columns=PLAN_COLUMNS + ["_flag"])
    channel_rows = []
    for row in plan.channel_totals:
        code = str(row["channel"])  # the planner names a missing channel "onbekend", the table "anders"
        s = channel_status.get(code, channel_status.get("anders", "") if code == "onbekend" else "")
        if not s and privacy.is_small(row.get("respondents_so_far"), k):
            s = privacy.PRIMARY
        def hide(v: Any, s: str = s) -> Any:
            return privacy.protected(v, s, k) if v is not None else ""

        def hide_rate(v: Any, s: str = s) -> Any:  # not a count of people: a word, not '<10'
            return "" if v is None else (HIDDEN_WORD if s else v)
        channel_rows.append({
            "Kanaal": channel_name(row["channel"]),
            "Respondenten tot nu toe": hide(row.get("respondents_so_far")),
            "Voorgesteld erbij": int(row["contacts"]),
            "Per dag tot nu toe": hide_rate(row.get("per_day")),
            "Dagen nodig": hide_rate(row.get("days")),
            "Per week": None})
    weeks = weeks or plan.weeks or DEFAULT_WEEKS
    realistic = not plan.total_contacts or room is None or plan.total_contacts <= room
    week_table = _weeks_table(plan, weeks, needed, realistic, min_age)
    first_week = {r["Wat"]: r["Week 1"] for r in week_table.to_dict(orient="records")
                  if r["Soort"] == "kanaal"}
    for row in channel_rows:
        row["Per week"] = first_week.get(row["Kanaal"], 0) if realistic and plan.covers_plan else ""
        if not realistic:  # a mix larger than the buurt is no suggestion: keep only the facts
            row["Voorgesteld erbij"], row["Dagen nodig"] = "", ""
    goal = PLAN_GOALS[plan.goal].format(level=f"{plan.level:g}".replace(".", ","),
                                        margin=f"{(plan.margin or 0):.0%}")
    several = any(n.startswith("Eén persoon telt") for n in plan.notes)  # several kenmerken planned
    lines = [f"Doel: spreken {goal}.",
             f"Nog {fmt_int(plan.total_needed)} mensen spreken in totaal."
             + (" Eén persoon telt voor elk kenmerk: kies mensen die in meer groepen tegelijk "
                "ontbreken." if several else "")]
    rules = load_rules()
    mix = mix_sentence(plan, realistic, fmt_int,
                       lambda d, c: age_words(group_name(rules, f"{d}:{c}"), min_age))
    if mix:  # the weekly plan names channels only for a realistic mix of the whole plan
        lines.append(mix + ("" if realistic and plan.covers_plan
                            else " Het weekplan noemt daarom alleen de groepen."))
    # a partial mix names the groups no channel lifts itself
    if plan.unreachable and not (mix and realistic and not plan.covers_plan):
        names = [age_words(group_name(rules, f"{d}:{c}"), min_age) for d, c in plan.unreachable]
        lines.append("Geen kanaal bracht tot nu toe genoeg mensen uit deze groepen om hun aandeel te "
                     f"laten stijgen: {join_nl(names)}. Zoek gericht of zet een nieuw kanaal in (zie "
                     "Aanbevelingen).")
    lines.extend(age_words(privacy.mask_small_counts(note, k), min_age) for note in plan.notes
                 if not note.startswith("Eén persoon telt") and "geen kanaal tot nu toe bracht" not in note)
    lines.append(f"Weekplan: het plan verdeeld over {weeks} weken, de grotere aantallen eerst.")
    return groups, pd.DataFrame(channel_rows, columns=PLAN_CHANNEL_COLUMNS), week_table, lines, needed


def _weeks_table(plan: Plan, weeks: int, needed: dict[str, Any], channels: bool,
                 min_age: int | None = None) -> pd.DataFrame:
    """planner.weekly_plan as one row per group or channel and a column per week; a
    hidden group shows 'x' per week and its protected total."""
    long = weekly_plan(plan, weeks)
    columns = ["Soort", "Wat", *(f"Week {w}" for w in range(1, weeks + 1)), "Totaal"]
    if long.empty:
        return pd.DataFrame(columns=columns)
    what = {f"{dimension_label(g.dimension)} – {category_label(g.category)}": f"{g.dimension}:{g.category}"
            for g in plan.groups}
    rows = []
    for (kind, name), part in long.groupby(["kind", "what"], sort=False):
        if kind == "kanaal" and not channels:
            continue
        numbers = dict(zip(part["week"], part["number"]))
        row: dict[str, Any] = {"Soort": kind,
                               "Wat": age_words(name, min_age) if kind == "groep" else channel_name(name)}
        shown = kind == "kanaal" or isinstance(needed.get(what.get(name, "")), int)
        for w in range(1, weeks + 1):
            row[f"Week {w}"] = int(numbers.get(w, 0)) if shown else privacy.SECONDARY_MARK
        row["Totaal"] = int(part["number"].sum()) if shown else needed.get(what.get(name, ""),
                                                                           privacy.SECONDARY_MARK)
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _make_plan(coverage: CoverageResult, respondents: pd.DataFrame | None) -> Plan | None:
    """The planner's default plan when the caller did not pass one (respondents needed)."""
    if respondents is None or coverage.reference is None or not coverage.dimensions:
        return None
    try:
        return plan_fieldwork(respondents, coverage.reference)
    except ValueError as error:  # an unrealistic plan: the report says there is none
        logger.info("no plan: %s", error)
        return None


def _areas_parts(areas: AreasResult | None, k: int) -> dict[str, Any]:
    """The Buurten part: the finding, the ranked table and the most missed group per
    buurt, protected (reports.charts_areas: a buurt with fewer than k respondents shows
    no count and names no groups; a missed figure that gives away a small group is left out)."""
    if areas is None:
        return {}
    from engagement.areas import RESIDENTS_DEFINITION
    from reports.charts_areas import group_options, group_table, protect_areas, report_finding, report_table

    group_title, group = "", pd.DataFrame()
    protected, _ = protect_areas(areas, k)
    options = group_options(protected, k)
    if options:
        dimension, category, _ = options[0]
        group = group_table(protected, dimension, category, k)
        group_title = f"Waar wonen de gemiste {group_phrase(dimension, category, min_age=areas.min_age)}?"
    lines = [age_words(privacy.mask_small_counts(note, k), areas.min_age) for note in areas.notes]
    if areas.unknown or areas.outside:  # like 'Onbekend' in the coverage table: no group of residents
        lines.append(f"Buurt onbekend: {fmt_int(areas.unknown)} respondenten; buiten de gekozen buurten: "
                     f"{fmt_int(areas.outside)}.")
    lines.append("Zo is gerekend: " + RESIDENTS_DEFINITION)
    lines.append(source_line(areas.source))
    lines.append(f"Een groep met 1 tot {k - 1} respondenten in een buurt noemen we zonder aantal gemiste "
                 "inwoners: uit dat aantal zou u kunnen terugrekenen hoeveel mensen uit die groep meededen.")
    lines.append(f"Soms is ook een groter aantal verborgen ({privacy.SECONDARY_MARK}): anders zou u een "
                 "verborgen klein aantal kunnen terugrekenen uit het totaal min de getoonde aantallen.")
    return dict(areas=areas, areas_finding=report_finding(areas, k), areas_table=report_table(areas, k),
                areas_group_title=group_title, areas_group=group, areas_lines=tuple(lines))


THEME_OVERALL_COLUMNS = ["Thema", "Noemden dit thema", "Aandeel"]
THEMES_PLACE = "Thema's"


def _themes_parts(themes: ThemesCheck | None, k: int, min_age: int | None) -> dict[str, Any]:
    """The Thema's part: the findings, the themes overall and per group, and quotes, all
    from the protected matrix (reports.themes: small cells hidden with complements, a
    finding that rests on a hidden cell dropped, quotes only for themes at least k raised)."""
    if themes is None:
        return {}
    from reports.themes import protect_quotes, protect_theme_matrix, theme_table

    matrix = protect_theme_matrix(themes.matrix, k)
    findings = tuple(age_words(line, min_age) for line in matrix.findings())
    # a theme nobody raised is one line, not a row of zeros per group (a zero identifies nobody)
    raised = [t for t in matrix.themes if t.suppressed or (t.respondents or 0) > 0]
    nobody = sorted(t.label for t in matrix.themes if t not in raised)
    overall = pd.DataFrame(
        [{"Thema": t.label,
          "Noemden dit thema": privacy.protected(t.respondents, t.suppressed, k),
          "Aandeel": privacy.protected(t.share, t.suppressed, k)}
         for t in sorted(raised, key=lambda t: (t.suppressed != "", -(t.share or 0.0), t.label))],
        columns=THEME_OVERALL_COLUMNS)
    keys = {t.theme for t in raised}
    table = theme_table(replace(matrix, groups=tuple(g for g in matrix.groups if g.theme in keys)), k,
                        min_age=min_age)
    labels = {t.theme: t.label for t in matrix.themes}
    quotes = protect_quotes(themes.quotes, matrix, k)
    quote_rows = pd.DataFrame([{"Thema": labels.get(theme, theme), "Citaat": q.text}
                               for theme, items in quotes.items() for q in items],
                              columns=["Thema", "Citaat"])
    n = matrix.respondents
    lines = [f"Thema's uit de open antwoorden en de vragen naar onderwerpen van "
             f"{fmt_int(n) if n >= k else f'minder dan {k}'} deelnemers die iets invulden.",
             "Aandeel: welk deel van de groep dit thema noemde, met de marge (95%). Kleine aantallen "
             f"(minder dan {k}) zijn verborgen ('{privacy.primary_mark(k)}', '{privacy.SECONDARY_MARK}').",
             "Citaten: korte zinnen uit open antwoorden, zonder namen, adressen of telefoonnummers, "
             f"alleen bij thema's die minstens {k} mensen noemden."]
    if nobody:
        lines.insert(1, f"Niemand noemde deze thema's: {join_nl([label.lower() for label in nobody])}.")
    if themes.unmatched:
        lines.append(privacy.mask_small_counts(f"{themes.unmatched} open antwoorden passen bij geen thema.", k))
    return dict(themes=themes, themes_findings=findings, themes_overall=_whole_counts(overall),
                themes_table=table, themes_quotes=quote_rows, themes_lines=tuple(lines))


def build_report_data(*, coverage: CoverageResult, respondents: pd.DataFrame | None = None,
                      profiles: ProfileResult | None = None, progress: Progress = None,
                      cells: Cells = None, advice: list[Advice] | None = None,
                      project_name: str = "", k_min: int = privacy.DEFAULT_K,
                      profile_coverage: ProfileCoverage = None,
                      date: dt.date | None = None, plan: Plan | None = None,
                      weeks: int | None = None, profile_problem: str | None = None,
                      areas: AreasResult | None = None, areas_geometry: BuurtGeometry | None = None,
                      themes: ThemesCheck | None = None) -> ReportData:
    """The protected Dutch tables both writers lay out.

    `plan` (planner.plan_fieldwork) fills the Plan sheet and the advice numbers; without
    it the default plan is made from `respondents` when they are given.
    `profile_problem` (engagement.pipeline.Analysis.profile_problem): why no profiles
    could be made; the summary and the Profielen part say it.
    `areas` (engagement.areas.compute_areas) adds the Buurten part, with maps when
    `areas_geometry` (reference.geo) is given; `themes` (engagement.themes.run_themes)
    adds the Thema's part. Age bands are named from the reference's minimum age."""
    k = privacy.effective_k(k_min)
    min_age = coverage.reference.min_age if coverage.reference is not None else None
    if plan is None:
        plan = _make_plan(coverage, respondents)
    if advice is None:
        advice = advise(coverage, respondents, profiles, profile_coverage=profile_coverage, plan=plan)
    elif plan is not None:
        advice = apply_plan(list(advice), plan)
    counted = respondents
    if respondents is not None and coverage.reference is not None:
        counted, _ = eligible_respondents(respondents, coverage.reference.min_age)
    table, stats = coverage_table(coverage, k)
    hidden = _hidden_groups(table)
    profile_table, profile_status = _profiles_table(profiles, profile_coverage, k)
    channels, channel_status = channels_table(counted, k)
    ref = coverage.reference
    room = (ref.eligible_population - coverage.respondents) if ref and ref.eligible_population else None
    reach = (channel_reach(counted, ref, by_week=False)
             if counted is not None and ref is not None and "channel" in counted.columns else None)
    plan_groups, plan_channels, plan_weeks, plan_lines, needed = _plan_tables(
        plan, table, channel_status, k, weeks, room, min_age, reach=reach)
    advice_table = _advice_table(advice, table, profile_status, k, needed if plan is not None else None,
                                 min_age)
    area = area_text(coverage.reference)
    rules = load_rules()
    caveat = profile_caveat(profile_coverage) if profiles is not None and profiles.cards else ""
    has_profiles = profiles is not None and bool(profiles.cards)
    problem = "" if has_profiles or not profile_problem else profile_problem_sentence(profile_problem, k)
    summaries = {}
    for medium in MEDIA:
        summary, headline = summary_sentences(coverage, table, advice_table, channels, profiles,
                                              lambda g: age_words(group_name(rules, g), min_age), k,
                                              profile_caveat=caveat,
                                              profile_problem=profile_problem if problem else None,
                                              medium=medium)
        if plan is not None and plan.total_needed > 0:
            open_groups = any(g.reason_code == "uncertain" for g in plan.groups)
            summary.append(f"Volgens het plan spreekt u nog {fmt_int(plan.total_needed)} mensen, zodat "
                           "geen groep meer ondervertegenwoordigd is"
                           + (", behalve misschien waar het oordeel onzeker is" if open_groups else "")
                           + ". Groepen, kanalen en een weekplan "
                           f"staan in {place('Plan', medium)}.")
        summaries[medium] = tuple(age_words(line, min_age) for line in summary)
    progress_weeks, progress_note = _progress_weeks(counted, progress, k)
    independence = cells_independence(cells)
    title = f"Bereikrapport {project_name}".strip() if project_name else "Bereikrapport"
    areas_part = _areas_parts(areas, k)
    themes_part = _themes_parts(themes, k, min_age)
    for medium in MEDIA:  # the first finding of each extra part, with where to read more
        extra = []
        if areas_part.get("areas_finding"):
            extra.append(f"{areas_part['areas_finding'][0]} Per buurt: {place('Buurten', medium)}.")
        if themes_part.get("themes_findings"):
            extra.append(f"{themes_part['themes_findings'][0]} Meer in {place(THEMES_PLACE, medium)}.")
        summaries[medium] += tuple(extra)
    method = method_lines(coverage, k, independence=independence, quotes=bool(
        themes_part and not themes_part["themes_quotes"].empty))
    return ReportData(
        title=title, project=project_name, area=area, date=date or dt.date.today(), k=k,
        summary=summaries["xlsx"], summary_html=summaries["html"], headline=headline,
        coverage=_whole_counts(table), stats=_whole_counts(stats),
        cells=_whole_counts(_cells_table(cells, hidden, k, min_age)), profiles=_whole_counts(profile_table),
        progress=_whole_counts(_progress_table(progress, hidden, k, table, min_age)), advice=advice_table,
        channels=_whole_counts(channels),
        method=tuple(age_words(line, min_age) for line in method),
        plan=_whole_counts(plan_groups), plan_channels=_whole_counts(plan_channels),
        plan_weeks=_whole_counts(plan_weeks), plan_lines=tuple(plan_lines), cells_independence=independence,
        notes={"Profielen": caveat} if caveat else {},
        progress_weeks=progress_weeks, progress_note=progress_note, profile_problem=problem,
        progress_lines=_progress_lines(progress, hidden, k, table, _undated(counted, progress)),
        areas_geometry=areas_geometry if areas is not None else None,
        **areas_part, **themes_part,
    )


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:40]


def report_filename(project: str, area: str, date: dt.date | str | None, ext: str) -> str:
    """A safe file name that says what the report is: "bereikrapport_<project>_<gebied>_<datum>.<ext>"."""
    day = date.isoformat() if isinstance(date, dt.date) else (date or dt.date.today().isoformat())
    parts = ["bereikrapport", _slug(project), _slug(area), _slug(str(day))]
    return "_".join(p for p in parts if p) + "." + ext.lstrip(".").lower()


def build_xlsx(*, coverage: CoverageResult, **kwargs: Any) -> bytes:
    """The Excel report as bytes (same keyword arguments as write_report)."""
    from reports.xlsx import workbook_bytes

    return workbook_bytes(build_report_data(coverage=coverage, **kwargs))


def build_html(*, coverage: CoverageResult, **kwargs: Any) -> str:
    """The self-contained HTML report (plotly inline, no network)."""
    from reports.html import render_html

    return render_html(build_report_data(coverage=coverage, **kwargs))


def write_report(path: Path | str, *, coverage: CoverageResult, respondents: pd.DataFrame | None = None,
                 profiles: ProfileResult | None = None, progress: Progress = None,
                 cells: Cells = None, advice: list[Advice] | None = None,
                 project_name: str = "", k_min: int = privacy.DEFAULT_K,
                 profile_coverage: ProfileCoverage = None, plan: Plan | None = None,
                 weeks: int | None = None, profile_problem: str | None = None,
                 areas: AreasResult | None = None, areas_geometry: BuurtGeometry | None = None,
                 themes: ThemesCheck | None = None) -> Path:
    """Write the report; the suffix (.xlsx or .html) chooses the format.

    A directory as `path` gets a name from report_filename(project, area, today).
    `areas`, `areas_geometry` and `themes`: see build_report_data.
    """
    path = Path(path)
    kwargs = dict(respondents=respondents, profiles=profiles, progress=progress, cells=cells,
                  advice=advice, project_name=project_name, k_min=k_min,
                  profile_coverage=profile_coverage, plan=plan, weeks=weeks,
                  profile_problem=profile_problem, areas=areas, areas_geometry=areas_geometry,
                  themes=themes)
    if path.is_dir():
        path = path / report_filename(project_name, area_text(coverage.reference), dt.date.today(), "xlsx")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(build_xlsx(coverage=coverage, **kwargs))
    elif suffix in (".html", ".htm"):
        path.write_text(build_html(coverage=coverage, **kwargs), encoding="utf-8")
    else:
        raise InputError(f"Rapport '{path.name}': kies een bestandsnaam die eindigt op .xlsx of .html.")
    return path
