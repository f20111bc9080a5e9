"""Counts as a person reads them: whole numbers, one rounding rule, Dutch separators.

Weighted counts, estimated inhabitants and planned conversations are floats inside the
library (3819.5 people is a fine intermediate). Wherever a person reads a count (the
dashboard, a report, a sentence) it is a whole number, rounded the same way everywhere,
so "3.820" on one line never meets "3.819,5" or "3.819" below it. The rule is the one
people learn at school: halves go up (away from zero), not Python's round-half-to-even,
which turns 616.5 into 616 but 617.5 into 618.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _finite(value: object) -> float | None:
    """The value as a finite float, or None (None, NaN, infinity, not a number)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]  # anything float() accepts
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def whole(value: float | int | None) -> int | None:
    """A count rounded to a whole number, halves away from zero: 3819.5 → 3820,
    616.5 → 617, -2.5 → -3. None (or NaN, or not a number) stays None."""
    number = _finite(value)
    if number is None:
        return None
    return int(Decimal(repr(number)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def dutch(value: float | int | None, digits: int = 0, missing: str = "onbekend") -> str:
    """A number with Dutch separators: 1234.5 → '1.234,5' (digits=1). With digits=0 the
    number is first rounded by whole(), so every count on a page follows one rule."""
    number = _finite(value)
    if number is None:
        return missing
    if digits <= 0:
        text = f"{whole(number):,d}"
    else:
        rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        text = f"{rounded:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def count_text(value: float | int | None, missing: str = "onbekend") -> str:
    """A count of people as text: whole, Dutch thousands separator ('3.820')."""
    return dutch(value, 0, missing)


def plural(count: int, singular: str, many: str) -> str:
    """'1 rij', '3 rijen', '1.204 rijen': a count with the right Dutch noun form, so no
    sentence a person reads says 'rij(en)'. The lowest layer has it so every layer can."""
    return f"{dutch(count)} {singular if count == 1 else many}"
