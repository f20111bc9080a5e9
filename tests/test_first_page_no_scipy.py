"""Bereik (the first page) must not import SciPy: scipy.special and scipy.optimize cost the
first visit about 0.5 s of imports (issue #16). engagement.stats computes its tails with
math, the planner's channel mix (scipy.optimize) runs only when a page asks for it.

Checked in a fresh interpreter, because this test process has scipy imported already."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIRST_PAGE = """
import json, sys
from store.demo import demo_reference, demo_respondents
from ui import coverage_parts
after_import = sorted(m for m in sys.modules if m == "scipy" or m.startswith("scipy."))
resp, ref = demo_respondents(), demo_reference()
coverage_parts.prime(resp, ref, None)
result, plan = coverage_parts.first_screen(resp, ref, None)
needed = coverage_parts.needed_by_dimension(plan)
after_run = sorted(m for m in sys.modules if m == "scipy" or m.startswith("scipy."))
contacts = plan.total_contacts  # a page that shows the channel mix: now scipy.optimize comes in
print(json.dumps({"after_import": after_import, "after_run": after_run,
                  "groups": sum(len(v) for v in needed.values()), "contacts": contacts,
                  "optimize": "scipy.optimize" in sys.modules}))
"""


def _run(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_first_page_imports_and_computes_without_scipy() -> None:
    seen = _run(FIRST_PAGE)
    assert seen["after_import"] == []
    assert seen["after_run"] == []  # coverage, plan group numbers and the age × gender cells
    assert seen["groups"] > 0
    # the channel mix still works when asked for, and only then imports scipy.optimize
    assert seen["contacts"] is not None and seen["contacts"] > 0 and seen["optimize"]


def test_engagement_modules_of_the_first_page_import_without_scipy() -> None:
    code = ("import json, sys\n"
            "import engagement.stats, engagement.coverage, engagement.cells, engagement.weighting, "
            "engagement.planner\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('scipy'))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
