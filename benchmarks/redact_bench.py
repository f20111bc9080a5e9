"""Redactor speed on long texts: MB/s at 10 KB, 100 KB and 1 MB, and how it grows.

    .venv/bin/python benchmarks/redact_bench.py [--repeat 3] [--sizes 10000,100000,1000000]

For each kind of text (ordinary Dutch comments with personal data mixed in, and inputs
built to make a backtracking regex explode: "Aa " repeated, "A." repeated, "a@" repeated,
spaced digits) it times surveys.pii.redact_text and a plain str.lower() pass over the same
text in the same run (best of --repeat), and prints MB/s of both, our time / lower() time,
and the growth ratio per 10× size (linear ≈ 10; quadratic ≈ 100). Also prints how many of
the ordinary sample sentences the redactor changed (the false-positive rate), and the time
per cell for 8,800 short comments (the usual case: one answer per cell).
Not part of the tests.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from surveys.pii import normalize_text, redact_text

ORDINARY = [
    "Ik woon hier al 20 jaar en voel me thuis.",
    "De Gemeente Den Haag moet meer bankjes plaatsen in het Zuiderpark.",
    "Het Buurthuis de Mussen is vaak dicht.",
    "Meer groen op het Hobbemaplein graag.",
    "In 2023 waren er 12 mensen op de avond.",
    "Ik ben blij met de buurt.",
    "De tram (lijn 11) rijdt te weinig.",
    "Op maandag 12 maart 2024 was de bijeenkomst.",
    "Er ligt veel afval bij de Albert Heijn.",
    "Jongeren hangen rond bij Speeltuin de Kikker.",
    "Parkeren in de Schilderswijk is een ramp.",
    "Het is heet in de zomer in onze straat.",
    "Meer verlichting op de Laan van Meerdervoort.",
    "Station Hollands Spoor is onveilig 's avonds.",
    "Buurtvereniging De Oase organiseert leuke dingen.",
    "Ik ga elke week naar de markt op de Herman Costerstraat.",
    "De bus naar Den Haag Centraal is vaak vol.",
    "Er staan 3 bankjes en 12 bomen.",
    "Groeten uit de Schilderswijk!",
    "Ik ben Surinaams en woon hier graag.",
]
PERSONAL = [
    "Hoi, ik ben Jan de Vries en ik woon op Hoefkade 12a.",
    "Bel 06-12345678 of mail jan(at)devries.nl.",
    "Mevr. El Idrissi, 2526 BB 12, wil een bankje.",
    "Groet, Fatima el Amrani",
    "mijn naam is pieter bakker, BSN 123456782.",
    "Kenteken AB-12-CD staat altijd op de stoep.",
    "IBAN NL91 ABNA 0417 1643 00, geboren op 12-03-1956.",
    "Volg @buurtmoeder_anna of zie https://www.facebook.com/anna.devries",
]
MIXED = " ".join(ORDINARY + PERSONAL) + "\n"
KINDS: dict[str, str] = {
    "comments with personal data": MIXED,
    "'Aa ' repeated": "Aa ",
    "'A.' repeated": "A.",
    "'a@' repeated": "a@",
    "'1 ' repeated": "1 ",
}


def sized(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def best_of(repeat: int, call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    redact_text(MIXED)  # warm the word lists and caches
    print(f"best of {args.repeat}; MB = 10^6 characters; growth = time ratio per 10x size "
          "(linear ~10, quadratic ~100)")
    print(f"{'text':30s} {'size':>9s} {'redact MB/s':>12s} {'lower MB/s':>11s} "
          f"{'x lower':>9s} {'growth':>7s}")
    for kind, unit in KINDS.items():
        previous = None
        for size in sizes:
            text = sized(unit, size)
            ours = best_of(args.repeat, lambda text=text: redact_text(text))
            base = best_of(args.repeat, lambda text=text: text.lower())
            growth = f"{ours / previous:7.1f}" if previous else "      -"
            print(f"{kind:30s} {size:>9,d} {size / ours / 1e6:12.3f} {size / base / 1e6:11.1f} "
                  f"{ours / base:9.0f} {growth}")
            previous = ours
    cells = (ORDINARY * 4 + PERSONAL) * 100
    start = time.perf_counter()
    for cell in cells:
        redact_text(cell)
    spent = time.perf_counter() - start
    chars = sum(map(len, cells))
    start = time.perf_counter()
    for cell in cells:
        cell.lower()
    base = time.perf_counter() - start
    print(f"\n{len(cells):,} short cells ({chars / len(cells):.0f} characters on average): "
          f"{spent / len(cells) * 1e6:.0f} µs per cell, {chars / spent / 1e6:.2f} MB/s "
          f"(lower(): {chars / base / 1e6:.0f} MB/s)")
    changed = [s for s in ORDINARY if redact_text(s) != normalize_text(s)]
    print(f"ordinary sentences changed by the redactor: {len(changed)}/{len(ORDINARY)} "
          f"({100 * len(changed) / len(ORDINARY):.0f}% false positives)")
    for sentence in changed:
        print(f"  {sentence!r} -> {redact_text(sentence)!r}")


if __name__ == "__main__":
    main()
