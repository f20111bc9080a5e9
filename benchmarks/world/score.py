"""Score an import of a World's files against the World's truth.

Every check is tolerant: when the import lacks a column or a call raises, the check
records a failure line and the rest still runs. The import under test is the one library
call the dashboard and the CLI share: `surveys.import_files`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.world import World
from benchmarks.world.engagement import STATEMENTS
from benchmarks.world.kwb import KWB_CSV
from benchmarks.world.render_base import norm

REASONS = ("test", "preview", "not_approved", "non_resident")  # and "duplicate": an earlier export's row
DIMENSIONS = ("gender", "household", "tenure", "origin")
METHODS = ("lca", "kmeans", "kompas")


@dataclass
class Score:
    """All numbers of one world; `failures` are Dutch-free short English lines for the lead."""

    buurt: str
    seed: int
    numbers: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def fail(self, line: str) -> None:
        self.failures.append(line)


def import_world(world: World) -> tuple[pd.DataFrame | None, str | None]:
    """The imported table, or the error text when the import raised."""
    import surveys

    try:
        return surveys.import_files(world.upload()), None
    except Exception as error:  # the benchmark reports, it does not crash
        return None, f"{type(error).__name__}: {error}"


def _file_of(source: Any) -> str:
    return str(source).split("#")[0]


def match_rows(imported: pd.DataFrame, truth: pd.DataFrame, score: Score) -> pd.DataFrame:
    """Imported rows joined to truth rows on (file, source_row), or on order within a file
    when source_row is missing (reported). Columns: imp_index, truth_index."""
    imp = imported.assign(_file=imported["source"].map(_file_of) if "source" in imported else "")
    if "source_row" in imported.columns:
        imp["_row"] = pd.to_numeric(imported["source_row"], errors="coerce")
    else:
        score.fail("import has no source_row column: rows matched on their order within each file")
        imp["_row"] = np.nan
        for name, group in imp.groupby("_file", sort=False):
            rows = truth.loc[truth["file"] == name, "source_row"].to_numpy()
            imp.loc[group.index, "_row"] = np.concatenate([rows, np.full(max(0, len(group) - len(rows)), -1)])[
                : len(group)]
    left = imp[["_file", "_row"]].reset_index().rename(columns={"index": "imp_index"})
    right = truth[["file", "source_row"]].reset_index().rename(columns={"index": "truth_index"})
    merged = left.merge(right, left_on=["_file", "_row"], right_on=["file", "source_row"], how="outer",
                        indicator=True)
    extra = merged[merged["_merge"] == "left_only"]
    missing = merged[merged["_merge"] == "right_only"]
    # a row exported twice (cumulative exports) may be dropped once: fine when its twin is there
    present = {f"{f}:{int(r)}" for f, r in merged.loc[merged["_merge"] == "both", ["file", "source_row"]].to_numpy()}
    partner = _partners(truth)
    dropped_ok = missing.apply(lambda m: partner.get(f"{m['file']}:{int(m['source_row'])}", "") in present, axis=1) \
        if len(missing) else pd.Series(dtype=bool)
    score.numbers["duplicates_dropped"] = int(dropped_ok.sum())
    missing = missing[~dropped_ok] if len(missing) else missing
    score.numbers["rows_imported"] = int(len(imported))
    score.numbers["rows_unmatched_in_import"] = int(len(extra))
    score.numbers["truth_rows_missing_from_import"] = int(len(missing))
    for name, n in extra["_file"].value_counts().items():
        score.fail(f"{name}: {n} imported row(s) match no data row (wrong source_row or a header read as data)")
    for name, n in missing["file"].value_counts().items():
        score.fail(f"{name}: {n} respondent row(s) missing from the import (dropped or merged as duplicates)")
    both = merged[merged["_merge"] == "both"]
    return both[["imp_index", "truth_index"]].astype(int).reset_index(drop=True)


def _partners(truth: pd.DataFrame) -> dict[str, str]:
    """'file:row' → 'file:row' of the same respondent exported twice, both ways."""
    out = {}
    for f, r, same in truth[["file", "source_row", "same_as"]].to_numpy():
        if same:
            out[f"{f}:{int(r)}"] = same
            out[same] = f"{f}:{int(r)}"
    return out


def score_counts(imported: pd.DataFrame, world: World, pairs: pd.DataFrame, score: Score) -> pd.Series:
    """Respondents counted vs true, per exclusion reason; returns the import's counted mask."""
    truth = world.truth
    true_counted = int((truth["excluded"] == "").sum())
    if "excluded" in imported.columns:
        excluded = imported["excluded"].fillna("").astype(str)
    else:
        score.fail("import has no excluded column: every row counts")
        excluded = pd.Series("", index=imported.index)
    counted = excluded == ""
    score.numbers["counted_true"] = true_counted
    score.numbers["counted_import"] = int(counted.sum())
    score.numbers["excluded_true"] = {r: int((truth["excluded"] == r).sum()) for r in REASONS}
    score.numbers["excluded_import"] = dict(Counter(excluded[~counted]))
    if true_counted != int(counted.sum()):
        score.fail(f"counted {int(counted.sum())} respondents, truth {true_counted}")
    wrong = Counter()
    partner = _partners(truth)
    counted_keys = Counter(f"{truth.at[t, 'file']}:{truth.at[t, 'source_row']}" for i, t in
                           pairs.itertuples(index=False) if excluded.at[i] == "")
    for imp_i, tr_i in pairs.itertuples(index=False):
        want, got = truth.at[tr_i, "excluded"], excluded.at[imp_i]
        key = f"{truth.at[tr_i, 'file']}:{truth.at[tr_i, 'source_row']}"
        if key in partner:  # one of the two exports of this respondent must count, not both
            if got == "" and counted_keys.get(partner[key]):
                wrong[(truth.at[tr_i, "file"], "duplicate", "counted twice")] += 1
            continue
        if want != got:
            wrong[(truth.at[tr_i, "file"], want or "counts", got or "counted")] += 1
    for (name, want, got), n in sorted(wrong.items()):
        score.fail(f"{name}: {n} row(s) that should be '{want}' are '{got}'")
    return counted


def statement_keys(imported: pd.DataFrame, world: World) -> dict[str, list[str]]:
    """Which item:<key> columns hold which statement (by text, tool prefixes and numbering
    ignored, tolerant of small wording differences)."""
    from rapidfuzz import fuzz

    variants: dict[str, set[str]] = defaultdict(set)
    for s in STATEMENTS:
        variants[s.key].add(norm(s.text))
    for rendered in world.files:
        for header, key in rendered.statement_headers.items():
            for part in [header, *re.findall(r"\[(.*)\]", header), header.split(" - ")[-1],
                         header.split("/")[-1], re.sub(r"^\s*\d+[.)]\s*", "", header)]:
                variants[key].add(norm(part))
    found: dict[str, list[str]] = defaultdict(list)
    for column in [c for c in imported.columns if str(c).startswith("item:")]:
        text = norm(re.sub(r"_\d+$", "", str(column)[5:]).replace("_", " "))
        best, best_score = None, 0.0
        for key, texts in variants.items():
            for t in texts:
                s = 100.0 if text == t else fuzz.ratio(text, t)
                if len(text) >= 12:  # keys may be cut short, or carry a tool prefix
                    s = max(s, fuzz.ratio(text, t[: len(text)]), fuzz.ratio(text, t[-len(text):]))
                if " " not in text and t.split()[-1:] == [text]:  # 's1' of 'stellingen/s1'
                    s = 100.0
                if s > best_score:
                    best, best_score = key, s
        if best is not None and best_score >= 85:
            found[best].append(str(column))
        elif best_score >= 60:  # near a statement, yet not recognised as it
            found["?"].append(str(column))
    return found


def _pattern(pairs: list[tuple[float, float]]) -> str:
    """'true→imported' codes that disagree, most common first ('wn' = weet niet)."""
    counts = Counter(("wn" if np.isnan(t) else int(t), "leeg" if np.isnan(g) else (int(g) if float(g).is_integer()
                                                                                     else g)) for t, g in pairs)
    return ", ".join(f"{t}→{g}" for (t, g), _ in counts.most_common(6))


def score_items(imported: pd.DataFrame, world: World, pairs: pd.DataFrame, score: Score) -> None:
    """Per statement and per file: share of rows whose imported code equals the true code."""
    truth = world.truth
    keys = statement_keys(imported, world)
    score.numbers["item_columns"] = int(sum(str(c).startswith("item:") for c in imported.columns))
    score.numbers["statement_keys"] = {k: len(keys.get(k, [])) for k in (s.key for s in STATEMENTS)}
    orphans = keys.pop("?", [])
    if orphans:
        score.fail(f"item columns that match no statement: {orphans[:5]}")
    for s in STATEMENTS:
        if len(keys.get(s.key, [])) > 1:
            score.fail(f"statement '{s.text}' is split over {len(keys[s.key])} item columns: "
                       + ", ".join(c[5:35] for c in keys[s.key]))
        if not keys.get(s.key):
            score.fail(f"statement '{s.text}' has no item column")
    agree_total, n_total = 0, 0
    per_statement, per_file = {}, defaultdict(lambda: [0, 0])
    bad: dict[str, list[tuple[float, float]]] = defaultdict(list)
    imp_idx, tr_idx = pairs["imp_index"].to_numpy(), pairs["truth_index"].to_numpy()
    files = truth["file"].to_numpy()[tr_idx]
    for s in STATEMENTS:
        cols = keys.get(s.key, [])
        got = (imported[cols].apply(pd.to_numeric, errors="coerce").bfill(axis=1).iloc[:, 0].to_numpy()[imp_idx]
               if cols else np.full(len(imp_idx), np.nan))
        want = truth[f"code:{s.key}"].to_numpy(dtype=float)[tr_idx]
        ok = (got == want) | (np.isnan(got) & np.isnan(want))
        per_statement[s.key] = float(ok.mean()) if len(ok) else float("nan")
        agree_total += int(ok.sum())
        n_total += len(ok)
        for f, good, t, g in zip(files, ok, want, got):
            per_file[f][0] += int(good)
            per_file[f][1] += 1
            if not good:
                bad[f].append((t, g))
    score.numbers["code_agreement"] = agree_total / n_total if n_total else float("nan")
    score.numbers["code_agreement_per_statement"] = per_statement
    score.numbers["code_agreement_per_file"] = {f: a / n for f, (a, n) in per_file.items()}
    for f, pairs_ in sorted(bad.items()):
        a, n = per_file[f]
        score.fail(f"{f}: {100 * (1 - a / n):.0f}% of answer codes wrong (true→imported: {_pattern(pairs_)})")


def _interval_ok(low: float, high: float, want_low: float, want_high: float) -> bool:
    if np.isnan(low):
        return False
    if np.isnan(high) or np.isinf(high):  # an open band such as 65+
        return want_high >= 120 and low >= want_low - 1
    return low >= want_low - 1 and high <= want_high + 1 and low < high


def score_demographics(imported: pd.DataFrame, world: World, pairs: pd.DataFrame, score: Score) -> None:
    """Does the imported age, gender, household, tenure, origin, recruitment, channel follow
    what the file says about each respondent?"""
    truth = world.truth
    result: dict[str, float] = {}
    channels = {f.name: f.channel for f in world.files}
    checks: dict[str, list[tuple[str, bool, str]]] = defaultdict(list)
    for imp_i, tr_i in pairs.itertuples(index=False):
        t = truth.loc[tr_i]
        f = t["file"]
        if not np.isnan(t["file_age_low"]):
            low = float(imported.at[imp_i, "age_low"]) if "age_low" in imported else np.nan
            high = float(imported.at[imp_i, "age_high"]) if "age_high" in imported else np.nan
            checks["age"].append((f, _interval_ok(low, high, t["file_age_low"], t["file_age_high"]),
                                  f"[{t['file_age_low']:.0f},{t['file_age_high']:.0f})→[{low},{high})"))
        for dim, col in (("gender", "file_gender"), ("household", "file_household"), ("tenure", "file_tenure"),
                         ("origin", "file_origin")):
            want = t[col]
            if isinstance(want, str):
                got = imported.at[imp_i, dim] if dim in imported else None
                checks[dim].append((f, got == want, f"{want}→{got}"))
        if isinstance(t["file_recruitment"], str):
            got = imported.at[imp_i, "recruitment"] if "recruitment" in imported else None
            checks["recruitment"].append((f, isinstance(got, str) and norm(got) == norm(t["file_recruitment"]),
                                          f"{t['file_recruitment']}→{got}"))
        when = pd.to_datetime(imported.at[imp_i, "responded_at"], errors="coerce") \
            if "responded_at" in imported else pd.NaT
        days = abs((when - pd.Timestamp(t["responded_at"])).total_seconds()) / 86400 if pd.notna(when) else 99
        if not f.endswith(".sav"):  # the Burgerpeiling file has no date
            checks["responded_at"].append((f, days <= 4, f"{t['responded_at']:%Y-%m-%d}→{when}"))
        if np.isfinite(t["weight"]):
            got_w = pd.to_numeric(imported.at[imp_i, "weight"], errors="coerce") if "weight" in imported else np.nan
            checks["weight"].append((f, bool(np.isclose(got_w, t["weight"])), f"{t['weight']}→{got_w}"))
        got = imported.at[imp_i, "channel"] if "channel" in imported else None
        checks["channel"].append((f, got == channels[f], f"{channels[f]}→{got}"))
    for dim, rows in checks.items():
        result[dim] = float(np.mean([ok for _, ok, _ in rows])) if rows else float("nan")
        wrong: dict[str, Counter] = defaultdict(Counter)
        for f, ok, what in rows:
            if not ok:
                wrong[f][what] += 1
        for f, counts in sorted(wrong.items()):
            n = sum(counts.values())
            total = sum(1 for g, _, _ in rows if g == f)
            example = ", ".join(w for w, _ in counts.most_common(3))
            score.fail(f"{f}: {dim} wrong in {n}/{total} rows (e.g. {example})")
    score.numbers["value_agreement"] = result


def score_topics(imported: pd.DataFrame, world: World, pairs: pd.DataFrame, score: Score) -> None:
    """The checkbox question (labels with commas; joined, split or coded per tool): one
    boolean column per option, true exactly for the options the respondent ticked."""
    from rapidfuzz import fuzz

    from benchmarks.world.respond import TOPICS

    truth = world.truth
    columns = [c for c in imported.columns if str(c).startswith("multi:")]
    by_topic: dict[str, list[str]] = defaultdict(list)
    stray = []
    for column in columns:
        question, _, option = str(column)[6:].rpartition(":")
        if "onderwerp" not in question and not any(norm(t).split()[0] == norm(option) for t in TOPICS):
            continue  # another multi-select question
        text = norm(option.replace("_", " "))
        best = max(TOPICS, key=lambda t: fuzz.ratio(text, norm(t)) if " " in text else
                   (100 if norm(t).split()[0] == text else 0))
        if (fuzz.ratio(text, norm(best)) >= 85) or norm(best).split()[0] == text:
            by_topic[best].append(str(column))
        else:
            stray.append(str(column))
    if stray:
        score.fail(f"checkbox options that were never offered: {stray[:4]}")
    split = {t: len(c) for t, c in by_topic.items() if len(c) > 1}
    if split:
        score.fail("checkbox options split over several columns: "
                   + ", ".join(f"'{t}' ×{n}" for t, n in split.items()))
    asked = truth["file_topics"].map(lambda v: isinstance(v, tuple)).to_numpy()
    keep = asked[pairs["truth_index"].to_numpy()]
    imp_idx = pairs["imp_index"].to_numpy()[keep]
    tr_idx = pairs["truth_index"].to_numpy()[keep]
    agree, total = 0, 0
    wrong: Counter = Counter()
    for topic in TOPICS:
        cols = by_topic.get(topic, [])
        got = (imported[cols].astype("boolean").bfill(axis=1).iloc[:, 0].to_numpy(dtype=object)[imp_idx]
               if cols else np.full(len(imp_idx), None))
        want = np.array([topic in truth.at[i, "file_topics"] for i in tr_idx])
        for f, g, w in zip(truth["file"].to_numpy()[tr_idx], got, want):
            good = (g is not None and g is not pd.NA and bool(g) == w) or (not w and (g is None or g is pd.NA))
            agree += int(good)
            total += 1
            if not good:
                wrong[f] += 1
    score.numbers["topics_agreement"] = agree / total if total else float("nan")
    for f, n in wrong.most_common():
        score.fail(f"{f}: {n} checkbox answers wrong (labels with commas, joined cells or option columns)")


def score_roles(world: World, score: Score) -> None:
    """Roles the import suggests for the columns whose role is known, file by file."""
    from surveys import infer_questionnaire, read_export, suggest_mapping

    agree, total = 0, 0
    for rendered in world.files:
        try:
            raw = read_export(rendered.data, rendered.name)
            questionnaire = infer_questionnaire(raw)
            mapping = suggest_mapping(raw, questionnaire)
        except Exception as error:
            score.fail(f"{rendered.name}: could not be read for the role check ({type(error).__name__}: {error})")
            continue
        pii = {q.column for q in questionnaire.questions if q.pii}
        names = {str(c): norm(c) for c in raw.frame.columns}
        wrong = []
        for probe, want in rendered.roles.items():
            p = norm(probe)
            hits = [c for c, n in names.items() if n == p] or [c for c, n in names.items() if p and n.endswith(p)] \
                or [c for c, n in names.items() if p and p in n]
            total += 1
            if not hits:
                wrong.append(f"'{probe}' not found")
                continue
            column = hits[0]
            got = "pii" if column in pii else mapping.roles.get(column, "ignore")
            if got in want.split("|"):
                agree += 1
            else:
                wrong.append(f"'{probe[:40]}' {want}→{got}")
        if wrong:
            score.fail(f"{rendered.name}: {len(wrong)} role(s) wrong: " + "; ".join(wrong[:6])
                       + (" …" if len(wrong) > 6 else ""))
        items = sum(1 for r in mapping.roles.values() if r == "item")
        want_items = sum(1 for r in rendered.roles.values() if r == "item")
        if items > want_items:
            score.fail(f"{rendered.name}: {items} columns suggested as profile statements, {want_items} expected")
    score.numbers["role_agreement"] = agree / total if total else float("nan")


def score_pii(imported: pd.DataFrame, world: World, score: Score) -> None:
    """Planted personal-data strings found anywhere in the imported table (must be 0)."""
    planted = sorted({p for ps in world.truth["pii"] for p in ps if isinstance(p, str) and len(p) >= 4})
    text_cols = [c for c in imported.columns if imported[c].dtype == object or pd.api.types.is_string_dtype(
        imported[c])]
    cells = pd.unique(pd.concat([imported[c].dropna().astype(str) for c in text_cols]).to_numpy()) \
        if text_cols else np.array([])
    blob = "\n".join(map(str, cells)).lower()
    found = [p for p in planted if re.search(r"(?<![0-9a-z])" + re.escape(p.lower()) + r"(?![0-9a-z])", blob)]
    where: Counter = Counter()
    for c in text_cols:
        values = imported[c].dropna().astype(str).str.lower()
        for p in found:
            if values.str.contains(p.lower(), regex=False).any():
                where[c] += 1
    score.numbers["pii_planted"] = len(planted)
    score.numbers["pii_found"] = len(found)
    if found:
        examples = [v for c in text_cols for v in imported[c].dropna().astype(str)
                    if any(p.lower() in v.lower() for p in found[:40])][:3]
        score.numbers["pii_examples"] = examples
        places = ", ".join(f"{c} ({n})" for c, n in where.most_common(5))
        score.fail(f"{len(found)} planted personal-data strings stored, in {places}; e.g. {found[:4]}")


_REFERENCES: dict[str, Any] = {}


def _reference(code: str):
    from reference.load import load_kwb_file

    if code not in _REFERENCES:
        _REFERENCES[code] = load_kwb_file(KWB_CSV.read_bytes(), KWB_CSV.name, areas=[code])
    return _REFERENCES[code]


SEVEN_TO_FIVE = {1: 1, 2: 2, 3: 2, 4: 3, 5: 4, 6: 4, 7: 5}


def truth_table_five(world: World) -> pd.DataFrame:
    """The perfect import with 7-point answers folded onto 5 points: one scale per statement."""
    frame = truth_table(world)
    seven = (world.truth.loc[world.truth["excluded"] == "", "scale_points"] == 7).to_numpy()
    for column in [c for c in frame.columns if c.startswith("item:")]:
        frame.loc[seven, column] = frame.loc[seven, column].map(SEVEN_TO_FIVE)
    return frame


def truth_table(world: World) -> pd.DataFrame:
    """What a perfect import gives for the counted rows: what each file says (a file that does
    not ask household leaves it unknown), item codes on each file's own scale."""
    t = world.truth[world.truth["excluded"] == ""]
    codes = {"item:" + norm(s.text).replace(" ", "_"): t[f"code:{s.key}"].to_numpy() for s in STATEMENTS}
    low = t["file_age_low"].astype(float)
    high = t["file_age_high"].astype(float).where(t["file_age_high"] < 120, np.inf)
    # a birth year leaves two possible ages: the interval keeps both, so a person whose
    # birthday decides the band adds up to ~1/n to the coverage error of a right import
    frame = pd.DataFrame({"respondent_id": [f"{f}:{r}" for f, r in zip(t["file"], t["source_row"])],
                          "source": [f"{f}#truth" for f in t["file"]], "source_row": t["source_row"].to_numpy(),
                          "excluded": "", "channel": t["channel"].to_numpy(),
                          "age": low.where(high - low == 1).to_numpy(), "age_low": low.to_numpy(),
                          "age_high": high.to_numpy(),
                          "gender": t["file_gender"].where(t["file_gender"].isin(["man", "vrouw"])).to_numpy(),
                          "household": t["file_household"].to_numpy(), "tenure": t["file_tenure"].to_numpy(),
                          "origin": t["file_origin"].to_numpy(), **codes})
    return frame


def _ratios(respondents: pd.DataFrame, reference, flags: dict[str, str] | None = None,
            statuses: dict[str, str] | None = None) -> dict[str, float]:
    from engagement.coverage import compute_coverage

    result = compute_coverage(respondents, reference, weighting=False)
    if flags is not None:
        flags.update({f"{d.dimension}:{c.category}": c.flag for d in result.dimensions for c in d.categories})
    if statuses is not None:
        statuses.update({f"{d.dimension}:{c.category}": c.status for d in result.dimensions
                         for c in d.categories})
    return {f"{d.dimension}:{c.category}": float(c.ratio) for d in result.dimensions for c in d.categories}


def score_coverage(imported: pd.DataFrame, counted: pd.Series, world: World, score: Score) -> None:
    """Coverage ratio per group from the import vs from the truth (same KWB reference), and
    the truth's KWB-based ratio vs the ratio against the world's own adult population."""
    try:
        reference = _reference(world.figures.code)
        flags: dict[str, str] = {}
        statuses: dict[str, str] = {}
        got = _ratios(imported[counted.to_numpy()].reset_index(drop=True), reference, flags, statuses)
        truth = truth_table(world)
        want = _ratios(truth, reference)
    except Exception as error:
        score.fail(f"coverage could not be computed ({type(error).__name__}: {error})")
        return
    errors = {k: got.get(k, np.nan) - v for k, v in want.items()}
    finite = [abs(e) for e in errors.values() if np.isfinite(e)]
    score.numbers["coverage_ratio_error_max"] = max(finite) if finite else float("nan")
    score.numbers["coverage_ratio_error_mean"] = float(np.mean(finite)) if finite else float("nan")
    score.numbers["coverage_ratio_errors"] = {k: round(e, 3) for k, e in errors.items() if np.isfinite(e)}
    worst = sorted(((abs(e), k, e) for k, e in errors.items() if np.isfinite(e)), reverse=True)[:3]
    if worst and worst[0][0] > 0.05:
        score.fail("coverage ratio off: " + ", ".join(f"{k} {want[k]:.2f}→{got.get(k, np.nan):.2f}"
                                                      for _, k, _ in worst))
    missing = [k for k in want if k not in got]
    if missing:
        score.fail(f"coverage groups missing in the import: {missing[:5]}")
    # the truth against the world itself: how far the KWB reference lies from the people
    adults = world.population[world.population["age"] >= 18]
    world_ratio = {}
    for dim, col in (("age", "age_band"), ("gender", "sex"), ("household", "household"), ("tenure", "tenure"),
                     ("origin", "origin")):
        pop = adults[col].value_counts(normalize=True)
        counted = world.truth[world.truth["excluded"] == ""]
        resp = (counted[col] if col != "age_band" else pd.cut(counted["age"], [18, 25, 45, 65, 200], right=False,
                labels=["15-25", "25-45", "45-65", "65+"]).astype(str)).value_counts(normalize=True)
        for cat, share in pop.items():
            world_ratio[f"{dim}:{cat}"] = float(resp.get(cat, 0.0) / share)
    diffs = {k: want[k] - world_ratio[k] for k in want if k in world_ratio and np.isfinite(want[k])}
    score.numbers["reference_vs_world_ratio_error_max"] = max(map(abs, diffs.values())) if diffs else float("nan")
    score.numbers["reference_vs_world_worst"] = {k: f"{want[k]:.2f} vs {world_ratio[k]:.2f}" for k in sorted(
        diffs, key=lambda k: -abs(diffs[k]))[:3]}
    score.numbers["true_ratios"] = {k: round(v, 3) for k, v in world_ratio.items()}
    truly_under = sorted(k for k, v in world_ratio.items() if v < 0.8)
    flagged = sorted(k for k, f in flags.items() if f in ("under", "unreached"))
    score.numbers["under_reached_true"] = truly_under
    score.numbers["under_flagged_import"] = flagged
    # the labels a user reads: 'duidelijk onder' / nobody heard, and what was left 'onzeker'
    score.numbers["under_clear_import"] = sorted(k for k, v in statuses.items() if v in ("under_sig", "unreached"))
    score.numbers["uncertain_import"] = sorted(k for k, v in statuses.items() if v.startswith("uncertain"))


def _ari(frame: pd.DataFrame, planted: np.ndarray, method: str, k: Any) -> tuple[float, str]:
    from sklearn.metrics import adjusted_rand_score

    from profiles import fit_profiles

    try:
        result = fit_profiles(frame, method=method, k=k, random_state=0)
    except Exception as error:
        return float("nan"), f"{type(error).__name__}: {error}"
    labels = pd.to_numeric(result.assignments["profile"], errors="coerce").fillna(-1).to_numpy()
    mask = planted != ""
    return float(adjusted_rand_score(planted[mask], labels[mask])), f"k={result.k}, {len(result.items)} items"


def score_profiles(imported: pd.DataFrame, counted: pd.Series, world: World, pairs: pd.DataFrame,
                   score: Score, methods: tuple[str, ...] = METHODS, ceiling: bool = True) -> None:
    """Adjusted Rand index of each profile method (k auto and k=4) against the planted
    profiles, on the import's counted rows; and the same on a perfect import (the ceiling)."""
    truth = world.truth
    frame = imported[counted.to_numpy()]
    planted_by_imp = dict(zip(pairs["imp_index"], truth["profile"].to_numpy()[pairs["truth_index"]]))
    planted = np.array([planted_by_imp.get(i, "") for i in frame.index], dtype=object)
    frame = frame.reset_index(drop=True)
    perfect = truth_table(world)
    perfect_five = truth_table_five(world)
    perfect_planted = truth.loc[truth["excluded"] == "", "profile"].to_numpy()
    out: dict[str, Any] = {}
    for method in methods:
        for k in (("auto", 4) if method != "kompas" else ("auto",)):
            ari, note = _ari(frame, planted, method, k)
            top = _ari(perfect, perfect_planted, method, k)[0] if ceiling else float("nan")
            top5 = _ari(perfect_five, perfect_planted, method, k)[0] if ceiling else float("nan")
            out[f"{method}(k={k})"] = {"ari": ari, "ceiling": top, "ceiling_5pt": top5, "note": note}
            if not np.isfinite(ari):
                score.fail(f"profiles {method} k={k} failed: {note[:160]}")
    score.numbers["ari"] = out
    best = [v["ari"] for v in out.values() if np.isfinite(v["ari"])]
    score.numbers["ari_best"] = max(best) if best else float("nan")


def score_world(world: World, seed: int, *, roles: bool = True, profiles: bool = True,
                methods: tuple[str, ...] = METHODS, ceiling: bool = True) -> Score:
    """Import the world's files and score everything; never raises on import defects."""
    score = Score(world.figures.code, seed)
    imported, error = import_world(world)
    if imported is None:
        score.fail(f"import_files raised {error}")
        return score
    imported = imported.reset_index(drop=True)
    for column in ("source_row", "excluded", "id_generated", "recruitment", "weight"):
        if column not in imported.columns:
            score.fail(f"import has no '{column}' column")
    pairs = match_rows(imported, world.truth, score)
    counted = score_counts(imported, world, pairs, score)
    for step in (score_items, score_demographics, score_topics):
        try:
            step(imported, world, pairs, score)
        except Exception as error:
            score.fail(f"{step.__name__} crashed: {type(error).__name__}: {error}")
    try:
        score_pii(imported, world, score)
    except Exception as error:
        score.fail(f"score_pii crashed: {type(error).__name__}: {error}")
    if roles:
        score_roles(world, score)
    score_coverage(imported, counted, world, score)
    if profiles:
        score_profiles(imported, counted, world, pairs, score, methods, ceiling)
    return score
