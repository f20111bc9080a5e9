"""Import speed against bare pandas, measured in the same run (not part of the tests).

    .venv/bin/python benchmarks/import_bench.py [--rows 10000] [--csv-rows 200000]

Prints: our read_export of a 10,000 × 120 .xlsx / pandas.read_excel(engine="calamine")
(goal ≤ 1.5), our read_export of a 200,000 × 30 CSV / the faster of pandas.read_csv with
the C and pyarrow engines (goal ≤ 2.0), and the peak Python memory of each import.
"""
from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import openpyxl
import pandas as pd

from surveys.readers import read_export

LIKERT = ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"]


def make_xlsx(rows: int, cols: int, seed: int = 0) -> bytes:
    """A wide survey: id, timestamp, then Likert text, numbers and short free text."""
    rng = np.random.default_rng(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam"]
              + [f"Vraag {i}" for i in range(1, cols - 4)])
    likert = rng.integers(0, 5, size=(rows, cols))
    numbers = rng.integers(0, 100, size=(rows, cols))
    for r in range(rows):
        row: list = [r + 1, "2024-03-04 10:00:00", "2024-03-04 10:07:00", "anonymous", None]
        for c in range(5, cols):
            kind = c % 3
            row.append(LIKERT[likert[r, c]] if kind == 0 else int(numbers[r, c]) if kind == 1
                       else f"antwoord {numbers[r, c]}")
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def make_csv(rows: int, cols: int, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({f"v{i}": np.array(LIKERT, dtype=object)[rng.integers(0, 5, rows)]
                          if i % 2 else rng.integers(0, 1000, rows) for i in range(cols)})
    return frame.to_csv(index=False, sep=";").encode("utf-8")


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time of `repeat` runs, and the peak traced memory (MB) of one run."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--cols", type=int, default=120)
    parser.add_argument("--csv-rows", type=int, default=200_000)
    parser.add_argument("--csv-cols", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    xlsx = make_xlsx(args.rows, args.cols)
    ours, ours_mem = timed(lambda: read_export(xlsx, "bench.xlsx", max_bytes=1 << 30),
                           args.repeat)
    bare, bare_mem = timed(lambda: pd.read_excel(io.BytesIO(xlsx), engine="calamine"),
                           args.repeat)
    print(f"xlsx {args.rows}×{args.cols} ({len(xlsx) / 2**20:.1f} MB): read_export {ours:.2f} s "
          f"(peak {ours_mem:.0f} MB), pandas+calamine {bare:.2f} s (peak {bare_mem:.0f} MB), "
          f"ratio {ours / bare:.2f} (goal ≤ 1.5)")

    data = make_csv(args.csv_rows, args.csv_cols)
    ours, ours_mem = timed(lambda: read_export(data, "bench.csv", max_bytes=1 << 30),
                           args.repeat)
    c_time, c_mem = timed(lambda: pd.read_csv(io.BytesIO(data), sep=";", engine="c"),
                          args.repeat)
    baselines = {"c": c_time}
    try:
        import pyarrow  # noqa: F401

        baselines["pyarrow"], _ = timed(
            lambda: pd.read_csv(io.BytesIO(data), sep=";", engine="pyarrow"), args.repeat)
    except ImportError:
        pass
    engine = min(baselines, key=baselines.get)
    print(f"csv {args.csv_rows}×{args.csv_cols} ({len(data) / 2**20:.1f} MB): read_export "
          f"{ours:.2f} s (peak {ours_mem:.0f} MB), "
          + ", ".join(f"pandas {k} {v:.2f} s" for k, v in baselines.items())
          + f" (C peak {c_mem:.0f} MB), ratio vs {engine} {ours / baselines[engine]:.2f} "
          f"(goal ≤ 2.0)")


if __name__ == "__main__":
    main()
