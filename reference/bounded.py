"""Reading a reference file (KWB, custom table) inside a time- and memory-bounded child.

The same limits as the import (surveys.bounded): a crafted reference file ends in one
Dutch message, never a hang or a native abort.
"""
from __future__ import annotations

from typing import Any

from surveys.bounded import bounded_limits
from surveys.limits import check_upload, run_bounded


def _reference_in_child(name: str, data: bytes, file_name: str, kwargs: dict) -> Any:
    from reference import load as reference

    check_upload(data, file_name)
    return getattr(reference, name)(data, file_name, **kwargs)


def reference_bounded(name: str, data: bytes, file_name: str, **kwargs: Any) -> Any:
    """reference.load.load_kwb_file / load_custom_reference / list_areas after the
    shape check, in a bounded child (for `--kwb` and `--reference` files)."""
    if name not in ("list_areas", "load_kwb_file", "load_custom_reference"):
        raise ValueError(f"geen referentielezer: {name}")
    timeout, memory = bounded_limits(1)
    return run_bounded(_reference_in_child, name, data, file_name, kwargs, timeout=timeout,
                       memory_mb=memory, file_name=file_name).value
