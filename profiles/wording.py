"""Dutch number wording for profile messages.

A comparison must stay visible in its wording: "4,6% (ondergrens 5,0%)", never
"5% … nodig 5%". So a share gets as many decimals as it takes to differ from the number
it is compared with (at most 2).
"""
from __future__ import annotations

import math

from surveys.numbers import dutch


def _nl(text: str) -> str:
    return text.replace(".", ",")


def pct_nl(share: float, *, decimals: int = 0) -> str:
    """0.046 → '4,6%' (Dutch decimal comma); halves go up, as every number a person reads
    (surveys.numbers): 12.5% → '13%'."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return "onbekend"
    return dutch(share * 100, decimals) + "%"


def pct_pair(share: float, other: float) -> tuple[str, str]:
    """Both shares with the fewest decimals (0–2) at which they read differently."""
    for decimals in range(3):
        a, b = pct_nl(share, decimals=decimals), pct_nl(other, decimals=decimals)
        if a != b:
            return a, b
    return pct_nl(share, decimals=2), pct_nl(other, decimals=2)


def num_nl(value: float, decimals: int = 2) -> str:
    """0.52 → '0,52'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "onbekend"
    return _nl(f"{value:.{decimals}f}")


def num_pair(value: float, other: float) -> tuple[str, str]:
    """Two numbers with the fewest decimals (2–4) at which they read differently."""
    for decimals in (2, 3, 4):
        a, b = num_nl(value, decimals), num_nl(other, decimals)
        if a != b:
            return a, b
    return num_nl(value, 4), num_nl(other, 4)


def people_nl(n: int) -> str:
    """1 → '1 persoon', 28 → '28 mensen'."""
    return f"{n} persoon" if n == 1 else f"{n} mensen"
