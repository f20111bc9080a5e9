"""Start `streamlit run app.py` for a browser test and wait for Streamlit to be idle.

One place for what every browser test needs: a free loopback port, a server with its own
data directory (never the developer's database), and waiting for a script run to end.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(data_dir: Path, *, port: int | None = None, env: dict[str, str] | None = None,
              args: tuple[str, ...] = (), log: Path | None = None) -> Iterator[str]:
    """The dashboard on loopback with this data directory; yields its URL, stops on exit.

    `env` adds or (with value None) removes environment variables; `args` go to streamlit.
    """
    port = port or free_port()
    environment = {**os.environ, "BEREIKWIJZER_DATA_DIR": str(data_dir)}
    environment.pop("BEREIKWIJZER_DATABASE_URL", None)
    for key, value in (env or {}).items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    output = open(log, "ab") if log else subprocess.DEVNULL
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args],
        cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(160):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("De Streamlit-server startte niet")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if log:
            output.close()


def settle(page, pause_ms: int = 300) -> None:
    """Wait until Streamlit has finished the script run the last action started."""
    page.wait_for_timeout(pause_ms)
    page.wait_for_selector(IDLE, timeout=90_000)


def counted(files: list[tuple[str, bytes]], min_age: int = 18) -> int:
    """How many of these files' respondents count on the Bereik page: the library's one
    import path and its one eligibility rule (test rows, non-residents and people under
    `min_age` are stored but do not count)."""
    from engagement.coverage import eligible_respondents
    from surveys import import_files

    rows, _ = eligible_respondents(import_files(files), min_age)
    return len(rows)


def open_options(page, widget, attempts: int = 4):
    """Open the list of a Streamlit select box or multiselect and return its options.

    A click in the middle of a multiselect only focuses its text field; the list opens
    from its 'Openen' button. A script run that ends as the list opens can close it again,
    so this tries again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    options = page.get_by_role("option")
    for _ in range(attempts):
        settle(page)
        opener = widget.get_by_role("button", name="Openen")
        (opener.first if opener.count() else widget).click()
        try:
            options.first.wait_for(state="visible", timeout=10_000)
            return options
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"de keuzelijst ging niet open na {attempts} pogingen")


def pick_option(page, widget, option: str, attempts: int = 4) -> None:
    """Choose `option` in a Streamlit select box or multiselect, as a person would, until
    the widget shows the choice (a re-render can detach the option under the pointer)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(attempts):
        settle(page)
        if _shows(widget, option):
            return
        open_options(page, widget)
        try:
            page.get_by_role("option", name=option).click(timeout=10_000)
        except PlaywrightTimeout:
            pass
        page.keyboard.press("Escape")
    settle(page)
    assert _shows(widget, option), f"'{option}' niet gekozen na {attempts} pogingen"


def _shows(widget, option: str) -> bool:
    """Whether the widget shows `option` as chosen: a multiselect as a tag, a select box
    as the value of its text field."""
    shown = widget.evaluate("w => w.innerText + '\\n' + [...w.querySelectorAll('input')].map(i => i.value).join('\\n')")
    return option in shown
