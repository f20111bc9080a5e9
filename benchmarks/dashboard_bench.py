"""Dashboard speed and memory, each next to a baseline measured in the same run.

    .venv/bin/python benchmarks/dashboard_bench.py [--n-rerun 5000] [--n-rss 10000] [--sessions 3]

(a) Bereik page re-run with AppTest after importing 5,000 respondents into a project
    (goal < 2 s). Baselines: the bare `compute_coverage` on the same respondents and an
    AppTest re-run of the Over page (no data). The first Bereik run (empty caches) is
    printed too.
(b) Peak RSS of a `streamlit run app.py` server while three browser sessions (headless
    Chromium, Playwright) open the Bereik page of three different projects of 10,000
    respondents each at the same time (goal < 500 MB). Baseline: the server's RSS after
    one session opened the empty Over page. Sampled from /proc/<pid>/status (VmRSS every
    50 ms; VmHWM at the end is the kernel's own peak).

Respondents are the demo generator's (store.demo) repeated with other seeds and
renumbered; the reference is the demo buurt scaled ×20 so 10,000 respondents stay a
sample of the population. Everything lives in a temporary data directory. Not a test.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


# --- data ---------------------------------------------------------------------------------

def respondents(n: int, seed: int = 0) -> pd.DataFrame:
    """n synthetic respondents: demo batches with successive seeds, unique ids."""
    from store.demo import demo_respondents

    parts, total, s = [], 0, seed * 1000
    while total < n:
        part = demo_respondents(seed=s)
        parts.append(part)
        total += len(part)
        s += 1
    frame = pd.concat(parts, ignore_index=True).iloc[:n].copy()
    frame["respondent_id"] = [f"B{seed}-{i:06d}" for i in range(n)]
    return frame.sort_values("responded_at", kind="stable").reset_index(drop=True)


def reference():
    """The demo buurt ×20 (about 76,000 inhabitants of 18+)."""
    from store.demo import demo_reference

    ref = demo_reference()
    return replace(ref, population=ref.population * 20, eligible_population=ref.eligible_population * 20,
                   dimensions={d: {c: v * 20 for c, v in cats.items()} for d, cats in ref.dimensions.items()})


def fill_store(data_dir: Path, sizes: list[int]) -> list[str]:
    """One project per size, each with one import of that many respondents."""
    from store.projects import Store

    store = Store(None, data_dir=str(data_dir))
    ref = reference()
    names = []
    for i, n in enumerate(sizes):
        name = f"Bench {i + 1} ({n} respondenten)"
        project = store.create_project(name, area_codes=[c for c, _ in ref.areas], reference_year=ref.year,
                                       reference_source=ref.table, min_age=ref.min_age,
                                       settings={"reference": ref.to_dict()})
        frame = respondents(n, seed=i + 1)
        store.add_import(project.id, frame, {"file_name": f"bench_{i + 1}.xlsx", "content_hash": f"bench{i}",
                                             "tool": "ms_forms", "channel": "online", "rows_read": n})
        names.append(name)
    store.close()
    return names


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- (a) Bereik re-run ------------------------------------------------------------------------

def bench_rerun(n: int, repeat: int) -> dict[str, float]:
    from streamlit.testing.v1 import AppTest

    from engagement.coverage import compute_coverage

    data_dir = Path(tempfile.mkdtemp(prefix="bench_rerun_"))
    try:
        start = time.perf_counter()
        fill_store(data_dir, [n])
        import_s = time.perf_counter() - start
        os.environ["BEREIKWIJZER_DATA_DIR"] = str(data_dir)
        os.environ.pop("BEREIKWIJZER_DATABASE_URL", None)

        at = AppTest.from_file(str(APP), default_timeout=120)
        at.switch_page("ui/pages/over.py").run()  # imports and the store, no data
        over_s = _median_time(lambda: at.run(), repeat)
        at.switch_page("ui/pages/bereik.py")
        start = time.perf_counter()
        at.run()
        first_s = time.perf_counter() - start
        assert not at.exception and not at.main.error, (at.exception, [e.value for e in at.main.error])
        shown = next(m.value for m in at.metric if m.label == "Gesproken")
        assert shown.replace(".", "") == str(n), shown
        rerun_s = _median_time(lambda: at.run(), repeat)

        frame = respondents(n, seed=1)
        ref = reference()
        coverage_s = _median_time(lambda: compute_coverage(frame, ref), repeat)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"import": import_s, "over": over_s, "first": first_s, "rerun": rerun_s, "coverage": coverage_s}


# --- (b) server RSS with concurrent sessions ------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Sampler(threading.Thread):
    """VmRSS of one process every `interval` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                self.peak_kb = max(self.peak_kb, _status_kb(self.pid, "VmRSS"))
            except OSError:
                return
            time.sleep(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kb


async def _session(browser, url: str, project: str, n: int, idle: str) -> dict[str, float]:
    """One user: open the app, pick the project in the sidebar, open Bereik; seconds per step."""
    steps, start = {}, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal start
        steps[name] = time.perf_counter() - start
        start = time.perf_counter()

    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    await page.goto(f"{url}/over")
    await page.wait_for_selector(idle, timeout=180_000)
    lap("open")
    await page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    await page.get_by_role("option", name=project).click()
    await page.wait_for_timeout(300)
    await page.wait_for_selector(idle, timeout=180_000)
    lap("project")
    await page.get_by_role("link", name="Bereik").click()
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Gesproken").locator(
        "[data-testid='stMetricValue']")
    await metric.wait_for(timeout=180_000)
    value = (await metric.inner_text()).strip().replace(".", "")
    assert value == str(n), (project, value)
    await page.wait_for_selector(idle, timeout=180_000)
    lap("bereik")
    await context.close()
    return steps


async def _drive(url: str, projects: list[str], n: int, server_pid: int) -> tuple[int, list[dict]]:
    from playwright.async_api import async_playwright

    idle = "[data-testid='stApp'][data-test-script-state='notRunning']"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        # Baseline: one session on the Over page (no respondents loaded).
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(f"{url}/over")
        await page.wait_for_selector(idle, timeout=180_000)
        await context.close()
        baseline_kb = _status_kb(server_pid, "VmRSS")
        seconds = await asyncio.gather(*(_session(browser, url, name, n, idle) for name in projects))
        await browser.close()
    return baseline_kb, list(seconds)


def bench_rss(n: int, sessions: int) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="bench_rss_"))
    server = None
    try:
        projects = fill_store(data_dir, [n] * sessions)
        port = _free_port()
        env = {**os.environ, "BEREIKWIJZER_DATA_DIR": str(data_dir)}
        env.pop("BEREIKWIJZER_DATABASE_URL", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError("De Streamlit-server startte niet")
        started_kb = _status_kb(server.pid, "VmRSS")
        sampler = Sampler(server.pid)
        sampler.start()
        baseline_kb, seconds = asyncio.run(_drive(url, projects, n, server.pid))
        sampled_kb = sampler.stop()
        hwm_kb = _status_kb(server.pid, "VmHWM")
        end_kb = _status_kb(server.pid, "VmRSS")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"started": started_kb / 1024, "baseline": baseline_kb / 1024, "peak_sampled": sampled_kb / 1024,
            "peak_hwm": hwm_kb / 1024, "end": end_kb / 1024,
            "slowest_session": max(sum(x.values()) for x in seconds),
            "slowest_steps": {k: max(x[k] for x in seconds) for k in seconds[0]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rerun", type=int, default=5000)
    parser.add_argument("--n-rss", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-rss", action="store_true")
    args = parser.parse_args()

    a = bench_rerun(args.n_rerun, args.repeat)
    print(f"(a) Bereik-pagina met {args.n_rerun:,} respondenten (AppTest, mediaan van {args.repeat})")
    print(f"    importeren in de store:          {a['import']:6.2f} s")
    print(f"    eerste run Bereik (lege cache):  {a['first']:6.2f} s")
    print(f"    re-run Bereik:                   {a['rerun']:6.2f} s   doel < 2 s: "
          f"{'gehaald' if a['rerun'] < 2 else 'NIET gehaald'}")
    print(f"    basis: re-run Over (geen data):  {a['over']:6.2f} s   verhouding {a['rerun'] / a['over']:5.1f}×")
    print(f"    basis: compute_coverage kaal:    {a['coverage']:6.2f} s   verhouding {a['rerun'] / a['coverage']:5.1f}×")
    if args.skip_rss:
        return
    if not Path(CHROMIUM).exists():
        print("(b) overgeslagen: Chromium ontbreekt (apt-get install -y chromium)")
        return
    b = bench_rss(args.n_rss, args.sessions)
    print(f"(b) server met {args.sessions} gelijktijdige sessies × {args.n_rss:,} respondenten (Bereik)")
    print(f"    RSS na start:                    {b['started']:6.0f} MB")
    print(f"    basis: RSS na één sessie Over:   {b['baseline']:6.0f} MB")
    print(f"    piek RSS (VmHWM):                {b['peak_hwm']:6.0f} MB   doel < 500 MB: "
          f"{'gehaald' if b['peak_hwm'] < 500 else 'NIET gehaald'}   verhouding {b['peak_hwm'] / b['baseline']:4.1f}× basis")
    print(f"    piek RSS (gemeten elke 50 ms):   {b['peak_sampled']:6.0f} MB; na afloop {b['end']:.0f} MB")
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in b["slowest_steps"].items())
    print(f"    traagste sessie (openen → Bereik): {b['slowest_session']:5.1f} s (langste stap: {steps})")


if __name__ == "__main__":
    main()
