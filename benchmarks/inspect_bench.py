"""Preview (`inspect`) speed against a bare pandas read, measured as processes in one run.

    .venv/bin/python benchmarks/inspect_bench.py [--rows 10000] [--cols 120] [--repeat 3]

Each measurement is a fresh `python -c …` process (imports included, as a user waits for
them), the two kinds alternating so a busy machine slows both alike. Prints the median of
surveys.inspect_export / pandas.read_excel(engine="calamine") for a 10,000 × 120 workbook
(goal ≤ 1.5) and of inspect_export / pandas.read_csv for a 200,000 × 30 CSV. Not a test:
timings go to the terminal, nothing is asserted.

Measured 7 Dec 2026, 14:07 UTC (load average 0.9–1.0), `--skip-csv --repeat 5`: bare read
2.52 s, inspect_export 3.15 s, ratio median 1.43 wall (runs 1.20–1.84), 1.42 CPU; at 13:35
UTC (load 4.2) 1.81 wall, 1.35 CPU. Where inspect_export's extra time goes (cProfile, one
process, imports warm): the workbook read 1.42 s (calamine 1.0 s, building the frame
0.34 s), surveys.limits' extent scan of the sheet XML 0.61 s (regex findall per cell),
to_respondents for the preview 0.48 s, question inference (surveys.questionnaire) 0.30 s.

Issue #16, the extent scan without per-cell Python work (surveys.limits._xlsx_upper_bound:
one regex search per 1 MB piece for a cell past the running maximum, instead of four
passes and a findall of every cell reference). Measured 7 Dec 2026 in one session, the old
tree (git archive of d37cbe8) and the new one alternating, load average 1.2–4.3 (other
helpers running), before | after:
  ratio median CPU, six | five runs of this script: 1.48 1.47 1.27 1.33 1.43 1.46 (median
  1.45) | 1.31 1.21 1.32 1.38 1.22 (median 1.31); wall 1.52 1.47 1.28 1.36 1.41 1.43 |
  1.31 1.42 1.30 1.42 1.23; inspect_export CPU 2.91–3.24 s | 2.63–3.06 s (bare 2.0–2.5 s).
  In one process (load 1.5, best of 7, CPU): limits.workbook_extents on this workbook
  0.59 s | 0.32 s, of which about 0.1 s is inflating the 60 MB sheet XML.
The wall ratio swings ±0.15 between runs on this shared machine; CPU is the steadier one.
What is left above the bare read: to_respondents and inference (about 1 s together, cProfile).
"""
from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.import_bench import make_csv, make_xlsx

ROOT = Path(__file__).resolve().parent.parent

BARE_XLSX = ("import io, pandas as pd; data = open({path!r}, 'rb').read(); "
             "pd.read_excel(io.BytesIO(data), engine='calamine')")
BARE_CSV = ("import io, pandas as pd; data = open({path!r}, 'rb').read(); "
            "pd.read_csv(io.BytesIO(data), sep=';')")
OURS = ("from surveys.inspect import inspect_export; data = open({path!r}, 'rb').read(); "
        "inspect_export(data, {name!r})")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(code: str) -> tuple[float, float]:
    """Wall and CPU time of one fresh interpreter running `code` (fails loudly if it
    errors). CPU time is steadier on a shared machine; both are printed."""
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return time.perf_counter() - start, _cpu() - cpu


def compare(label: str, path: Path, bare: str, repeat: int) -> None:
    """Alternate bare read and inspect_export, `repeat` times each; print the median ratio."""
    bare_runs, ours_runs = [], []
    for _ in range(repeat):
        bare_runs.append(run(bare.format(path=str(path))))
        ours_runs.append(run(OURS.format(path=str(path), name=path.name)))
    for i, kind in enumerate(("wall", "cpu")):
        bare_t, ours_t = [r[i] for r in bare_runs], [r[i] for r in ours_runs]
        ratios = [o / b for o, b in zip(ours_t, bare_t)]
        print(f"{label} [{kind}]: bare {statistics.median(bare_t):.2f} s, inspect_export "
              f"{statistics.median(ours_t):.2f} s, ratio median {statistics.median(ratios):.2f} "
              f"(runs {', '.join(f'{r:.2f}' for r in ratios)})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--cols", type=int, default=120)
    parser.add_argument("--csv-rows", type=int, default=200_000)
    parser.add_argument("--csv-cols", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-csv", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "bench.xlsx"
        xlsx.write_bytes(make_xlsx(args.rows, args.cols))
        compare(f"xlsx {args.rows}×{args.cols} (goal ≤ 1.5)", xlsx, BARE_XLSX, args.repeat)
        if not args.skip_csv:
            csv = Path(tmp) / "bench.csv"
            csv.write_bytes(make_csv(args.csv_rows, args.csv_cols))
            compare(f"csv {args.csv_rows}×{args.csv_cols} (vs pandas.read_csv C engine)", csv,
                    BARE_CSV, args.repeat)


if __name__ == "__main__":
    main()
