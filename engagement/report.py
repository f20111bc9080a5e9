"""Reports for the project group: one protected set of tables, written as Excel or HTML.

`build_report_data` turns the result objects (coverage, profiles, progress, cells,
advice) into Dutch display tables with small numbers suppressed; the writers in
report_xlsx.py and report_html.py only lay those tables out. Nothing is recomputed here
and no row-level data leaves: the respondents table is used only for channel totals.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from engagement import report_privacy as privacy
from engagement.model import CategoryCoverage, CoverageResult
from engagement.outreach import Advice, advise, group_name, load_rules
from engagement.report_text import (FLAG_LABELS, area_text, dimension_label, method_lines,
                                    summary_sentences)
from profiles.model import ProfileResult
from surveys.categories import label as category_label

logger = logging.getLogger(__name__)

COVERAGE_COLUMNS = ["Kenmerk", "Groep", "Bevolking", "Aandeel bevolking", "Respondenten",
                    "Aandeel respondenten", "Verhouding", "Marge laag", "Marge hoog", "Oordeel",
                    "Nog te spreken", "Geschat"]
STATS_COLUMNS = ["Kenmerk", "Onbekend", "Chi-kwadraat", "Vrijheidsgraden", "p-waarde", "CV",
                 "R-indicator", "Min/max-verhouding"]
HIDDEN_STATS = "verborgen"
REST = "_rest"  # the cell of respondents outside a dimension's categories


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


def _label(cat: CategoryCoverage) -> str:
    if cat.label:
        return cat.label
    if cat.flag == "unreached":
        return FLAG_LABELS["unreached"]
    if 0 < cat.expected < 5:
        return "te weinig gegevens"
    if cat.flag == "under":
        return "duidelijk ondervertegenwoordigd" if cat.significant else "mogelijk ondervertegenwoordigd"
    return FLAG_LABELS.get(cat.flag, cat.flag)


def _coverage_table(coverage: CoverageResult, k: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    estimated = set(coverage.reference.estimated) if coverage.reference is not None else set()
    rows, stats = [], []
    for dim in coverage.dimensions:
        values = {c.category: c.respondents for c in dim.categories}
        # Respondents outside the categories (unknown, or younger than min_age) are one more
        # cell of the same published total, shown as one number so that neither part follows
        # by subtraction. It is never hidden for being small (it describes no group of
        # residents), but it may be hidden as the complement of a hidden category.
        rest = max(0.0, coverage.respondents - sum(values.values()))
        status = privacy.suppress({**values, REST: max(rest, k) if rest else 0.0},
                                  [list(values) + [REST]], k)
        for cat in dim.categories:
            s = status[cat.category]
            hide = (lambda v, s=s: privacy.protected(v, s, k))
            reach = privacy.to_reach_text(cat.to_reach, cat.respondents, s, k)
            rows.append({
                "Kenmerk": dimension_label(dim.dimension), "Groep": category_label(cat.category),
                "Bevolking": cat.population, "Aandeel bevolking": cat.population_share,
                "Respondenten": hide(cat.respondents), "Aandeel respondenten": hide(cat.respondent_share),
                "Verhouding": hide(cat.ratio), "Marge laag": hide(cat.ci_low), "Marge hoog": hide(cat.ci_high),
                "Oordeel": _label(cat),
                "Nog te spreken": (cat.to_reach if not s else (reach if reach is not None
                                                               else privacy.SECONDARY_MARK)),
                "Geschat": "ja" if (dim.estimated or f"{dim.dimension}:{cat.category}" in estimated) else "",
                "_dimension": dim.dimension, "_category": cat.category, "_status": s,
                "_flag": cat.flag,
            })
        any_hidden = any(v for key, v in status.items() if key != REST)
        stats.append({
            "Kenmerk": dimension_label(dim.dimension), "Onbekend": privacy.protected(rest, status[REST], k),
            **({c: HIDDEN_STATS for c in STATS_COLUMNS[2:]} if any_hidden else {
                "Chi-kwadraat": dim.chi2, "Vrijheidsgraden": dim.df, "p-waarde": dim.p_value,
                "CV": dim.cv, "R-indicator": dim.r_indicator, "Min/max-verhouding": dim.min_max_ratio}),
        })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS + ["_dimension", "_category", "_status", "_flag"]), \
        pd.DataFrame(stats, columns=STATS_COLUMNS)


def _hidden_groups(table: pd.DataFrame) -> dict[str, str]:
    """category code → status, for categories hidden in the coverage table."""
    hidden = table[table["_status"] != ""]
    return dict(zip(hidden["_category"], hidden["_status"]))


def _pick(frame: pd.DataFrame, *names: str) -> str | None:
    """The first of `names` that the frame has (the engines' column names changed over time)."""
    return next((n for n in names if n in frame.columns), None)


def _cells_table(cells: pd.DataFrame | None, hidden: dict[str, str], k: int) -> pd.DataFrame:
    columns = ["Rij", "Kolom", "Bevolking", "Verwacht", "Respondenten", "Verhouding"]
    if cells is None or cells.empty:
        return pd.DataFrame(columns=columns)
    frame = cells.reset_index(drop=True)
    row_col, col_col = _pick(frame, "row", "rows"), _pick(frame, "col", "cols")
    values = dict(zip(frame.index, frame["respondents"]))
    groups = [list(g.index) for _, g in frame.groupby(row_col, sort=False)] + \
        [list(g.index) for _, g in frame.groupby(col_col, sort=False)]
    shown = frame["shown"].astype(bool) if "shown" in frame.columns else pd.Series(True, index=frame.index)
    forced = {i: privacy.SECONDARY for i in frame.index
              if str(frame.at[i, row_col]) in hidden or str(frame.at[i, col_col]) in hidden}
    forced.update({i: "not_shown" for i in frame.index if not shown[i] and i not in forced})
    status = privacy.suppress(values, groups, k, forced=forced)
    row_label = _pick(frame, "row_label")
    col_label = _pick(frame, "col_label")
    rows = []
    for i in frame.index:
        s = status[i]
        text = "te weinig gegevens" if s == "not_shown" and not privacy.is_small(values[i], k) else None
        hide = (lambda v, s=s: text if text else privacy.protected(v, privacy.SECONDARY if s == "not_shown" else s, k))
        record = {"Rij": frame.at[i, row_label] if row_label else category_label(str(frame.at[i, row_col])),
                  "Kolom": frame.at[i, col_label] if col_label else category_label(str(frame.at[i, col_col])),
                  "Bevolking": frame.at[i, "population"], "Verwacht": frame.at[i, "expected"],
                  "Respondenten": hide(frame.at[i, "respondents"]), "Verhouding": hide(frame.at[i, "ratio"])}
        if "note" in frame.columns:
            record["Opmerking"] = frame.at[i, "note"] if pd.notna(frame.at[i, "note"]) else ""
        rows.append(record)
    return pd.DataFrame(rows)


def _progress_table(progress: pd.DataFrame | None, hidden: dict[str, str], k: int) -> pd.DataFrame:
    columns = ["Periode", "Kenmerk", "Groep", "Respondenten (totaal tot nu)", "Aandeel", "Verhouding", "Oordeel"]
    if progress is None or progress.empty:
        return pd.DataFrame(columns=columns)
    frame = progress.reset_index(drop=True)
    period = _pick(frame, "period", "period_end")
    count = _pick(frame, "respondents_cumulative", "n")
    forced = {i: privacy.SECONDARY for i in frame.index if str(frame.at[i, "category"]) in hidden}
    protected, status = privacy.protect_frame(frame, count, ["share", "ratio"], [period, "dimension"], k,
                                              forced=forced)
    verdicts = frame["label"] if "label" in frame.columns else frame["flag"].map(lambda f: FLAG_LABELS.get(str(f), str(f)))
    out = pd.DataFrame({
        "Periode": [_period_text(p) for p in frame[period]],
        "Kenmerk": [dimension_label(str(d)) for d in frame["dimension"]],
        "Groep": [category_label(str(c)) for c in frame["category"]],
        "Respondenten (totaal tot nu)": protected[count].astype("object"),
        "Aandeel": protected["share"].astype("object"), "Verhouding": protected["ratio"].astype("object"),
        "Oordeel": verdicts.astype("object").tolist(),
        "_flag": frame["flag"].astype("object").tolist(),
    })
    if "to_reach" in frame.columns:
        texts = [privacy.to_reach_text(int(t), float(n), st, k) if pd.notna(t) else None
                 for t, n, st in zip(frame["to_reach"], frame[count], status)]
        out["Nog te spreken"] = [t if t is not None else privacy.SECONDARY_MARK for t in texts]
        out["Nog te spreken"] = [int(t) if isinstance(t, str) and t.isdigit() else t for t in out["Nog te spreken"]]
    reached = _pick(frame, "reached_on", "target_reached_at")
    if reached:
        out["Doel bereikt op"] = [_period_text(v) if pd.notna(v) else "" for v in frame[reached]]
    return out


def _period_text(value: Any) -> str:
    if isinstance(value, pd.Period):
        return str(value.start_time.date()) if value.freqstr.startswith("W") else str(value)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return str(value.date())
    return str(value)


def _profiles_table(profiles: ProfileResult | None, profile_coverage: pd.DataFrame | None,
                    k: int) -> tuple[pd.DataFrame, dict[str, str]]:
    columns = ["Profiel", "Omschrijving", "Aantal", "Aandeel respondenten", "Kenmerkende antwoorden"]
    if profiles is None or not profiles.cards:
        return pd.DataFrame(columns=columns), {}
    sizes = {card.name: card.size for card in profiles.cards}
    status = privacy.suppress(sizes, [list(sizes)], k)
    buurt = {}
    if profile_coverage is not None and not profile_coverage.empty:
        name_col = next((c for c in ("name", "profile_name") if c in profile_coverage.columns), None)
        share_col = next((c for c in ("population_share_estimate", "population_share", "buurt_share",
                                      "estimated_share")
                          if c in profile_coverage.columns), None)
        if name_col and share_col:
            buurt = dict(zip(profile_coverage[name_col].astype(str), profile_coverage[share_col]))
    rows = []
    for card in profiles.cards:
        s = status[card.name]
        answers = "; ".join(f"{a.get('item', '')}: {a.get('answer', '')}" for a in card.top_answers[:3])
        row = {"Profiel": card.name, "Omschrijving": card.description,
               "Aantal": privacy.protected(card.size, s, k),
               "Aandeel respondenten": privacy.protected(card.share, s, k),
               "Kenmerkende antwoorden": answers}
        if buurt:
            row["Geschat aandeel in de buurt"] = buurt.get(card.name, "")
        rows.append(row)
    return pd.DataFrame(rows), status


def _advice_table(advice: list[Advice], coverage: pd.DataFrame, profile_status: dict[str, str],
                  k: int) -> pd.DataFrame:
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
            reach = None if shown in (None, privacy.SECONDARY_MARK) else str(shown)
        rows.append({"Groep": item.label, "Oordeel": verdict,
                     "Nog te spreken": reach if reach is not None else "onbekend",
                     "Wat kunt u doen?": f"{item.headline(reach)} {item.advice}",
                     "Voorbeelden": "\n".join(f"• {a}" for a in item.activities),
                     "Kanalen tot nu toe": item.channels_so_far, "Bron": item.source})
    return pd.DataFrame(rows, columns=columns)


def _channels_table(respondents: pd.DataFrame | None, k: int) -> pd.DataFrame:
    columns = ["Kanaal", "Respondenten"]
    if respondents is None or "channel" not in respondents.columns or respondents.empty:
        return pd.DataFrame(columns=columns)
    rules = load_rules()
    counts = respondents["channel"].astype("object").fillna("anders").value_counts()
    status = privacy.suppress(dict(counts.items()), [list(counts.index)], k)
    return pd.DataFrame({"Kanaal": [rules.channels.get(str(c), str(c)).removeprefix("via ").capitalize()
                                    for c in counts.index],
                         "Respondenten": [privacy.protected(v, status[c], k) for c, v in counts.items()]},
                        columns=columns)


def build_report_data(*, coverage: CoverageResult, respondents: pd.DataFrame | None = None,
                      profiles: ProfileResult | None = None, progress: pd.DataFrame | None = None,
                      cells: pd.DataFrame | None = None, advice: list[Advice] | None = None,
                      project_name: str = "", k_min: int = privacy.DEFAULT_K,
                      profile_coverage: pd.DataFrame | None = None,
                      date: dt.date | None = None) -> ReportData:
    """The protected Dutch tables both writers lay out."""
    k = privacy.effective_k(k_min)
    if advice is None:
        advice = advise(coverage, respondents, profiles, profile_coverage=profile_coverage)
    table, stats = _coverage_table(coverage, k)
    hidden = _hidden_groups(table)
    profile_table, profile_status = _profiles_table(profiles, profile_coverage, k)
    advice_table = _advice_table(advice, table, profile_status, k)
    channels = _channels_table(respondents, k)
    area = area_text(coverage.reference)
    rules = load_rules()
    summary, headline = summary_sentences(coverage, table, advice_table, channels, profiles,
                                          lambda g: group_name(rules, g), k)
    title = f"Bereikrapport {project_name}".strip() if project_name else "Bereikrapport"
    return ReportData(
        title=title, project=project_name, area=area, date=date or dt.date.today(), k=k,
        summary=tuple(summary), headline=headline, coverage=table, stats=stats,
        cells=_cells_table(cells, hidden, k), profiles=profile_table,
        progress=_progress_table(progress, hidden, k), advice=advice_table, channels=channels,
        method=tuple(method_lines(coverage, k)),
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
    from engagement.report_xlsx import workbook_bytes

    return workbook_bytes(build_report_data(coverage=coverage, **kwargs))


def build_html(*, coverage: CoverageResult, **kwargs: Any) -> str:
    """The self-contained HTML report (plotly inline, no network)."""
    from engagement.report_html import render_html

    return render_html(build_report_data(coverage=coverage, **kwargs))


def write_report(path: Path | str, *, coverage: CoverageResult, respondents: pd.DataFrame | None = None,
                 profiles: ProfileResult | None = None, progress: pd.DataFrame | None = None,
                 cells: pd.DataFrame | None = None, advice: list[Advice] | None = None,
                 project_name: str = "", k_min: int = privacy.DEFAULT_K,
                 profile_coverage: pd.DataFrame | None = None) -> Path:
    """Write the report; the suffix (.xlsx or .html) chooses the format.

    A directory as `path` gets a name from report_filename(project, area, today).
    """
    path = Path(path)
    kwargs = dict(respondents=respondents, profiles=profiles, progress=progress, cells=cells,
                  advice=advice, project_name=project_name, k_min=k_min,
                  profile_coverage=profile_coverage)
    if path.is_dir():
        path = path / report_filename(project_name, area_text(coverage.reference), dt.date.today(), "xlsx")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(build_xlsx(coverage=coverage, **kwargs))
    elif suffix in (".html", ".htm"):
        path.write_text(build_html(coverage=coverage, **kwargs), encoding="utf-8")
    else:
        raise ValueError(f"Rapport '{path.name}': kies een bestandsnaam die eindigt op .xlsx of .html.")
    return path
