"""Shared helpers for the store tests: a database per test, and respondent frames.

Every store test runs against SQLite and, when BEREIKWIJZER_TEST_POSTGRES_URL is set
(.ci/postgres.sh prints one), against PostgreSQL in a schema of its own.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("BEREIKWIJZER_TEST_POSTGRES_URL", "")


def _postgres_schema_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("BEREIKWIJZER_TEST_POSTGRES_URL is niet gezet (zie .ci/postgres.sh)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = sa.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL for one test."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'bereikwijzer.sqlite'}"
    else:
        yield from _postgres_schema_url()


def make_frame(n: int, *, start: int = 0, prefix: str = "R_", seed: int = 0,
               source: str = "week.xlsx#abc") -> pd.DataFrame:
    """n respondents in the canonical table with every kind of column and some gaps."""
    rng = np.random.default_rng(seed)
    ids = [f"{prefix}{i:05d}" for i in range(start, start + n)]
    age = rng.integers(16, 90, size=n).astype(float)
    age[rng.random(n) < 0.1] = np.nan
    items = rng.integers(1, 6, size=(n, 2)).astype(float)
    items[rng.random((n, 2)) < 0.15] = np.nan
    text = np.where(rng.random(n) < 0.5, "Meer bankjes op het plein.", None)
    return pd.DataFrame({
        "respondent_id": pd.Series(ids, dtype="str"),
        "source": pd.Series([source] * n, dtype="str"),
        "channel": pd.Series(rng.choice(["online", "papier"], size=n), dtype="str"),
        "responded_at": (pd.Timestamp("2024-09-02 09:00", tz="Europe/Amsterdam")
                         + pd.to_timedelta(rng.integers(0, 42 * 24, size=n), unit="h")),
        "age": age,
        "age_band": pd.Series(np.where(np.isnan(age), "25-45", None), dtype="str"),
        "gender": pd.Series(rng.choice(["man", "vrouw", "wil_niet_zeggen"], size=n), dtype="str"),
        "tenure": pd.Series(rng.choice(["koop", "huur_corporatie", None], size=n), dtype="str"),
        "postcode4": pd.Series(["2572"] * n, dtype="str"),
        "age_estimated": np.isnan(age),
        "item:betrokken_buurt": items[:, 0],
        "item:vertrouwen_gemeente": items[:, 1],
        "multi:gehoord_via:brief": rng.random(n) < 0.4,
        "text:wens_buurt": pd.Series(text, dtype="str"),
    })
