"""The poster sizes ``--size`` accepts, and how people type them.

Apart from the poster renderer so that reading a roster (the batch's parent process, which
draws nothing) checks a row's size without importing ReportLab's page layout.
"""

from __future__ import annotations

import re

from reportlab.lib.pagesizes import A0, A1, A2, A3
from reportlab.lib.units import inch

POSTER_SIZES_PT: dict[str, tuple[float, float]] = {
    "a3": A3, "a2": A2, "a1": A1, "a0": A0,
    "18x24in": (18 * inch, 24 * inch), "24x36in": (24 * inch, 36 * inch),
}
"""Portrait page sizes by the names ``--size`` accepts."""
SIZE_LABELS = {"a3": "A3", "a2": "A2", "a1": "A1", "a0": "A0", "18x24in": "18x24 in", "24x36in": "24x36 in"}
_SIZE_TYPED = re.compile(r"^(a[0-3])$|^(\d+)x(\d+)(in|inch|inches|\")?$")


def poster_size_key(text: str) -> str | None:
    """A poster size as people type it ("A1", "18x24in", "18x24 in", "18 x 24 in", "18x24",
    "18×24\"") as the name ``POSTER_SIZES_PT`` knows, or None."""
    match = _SIZE_TYPED.match("".join(text.lower().replace("×", "x").split()))
    if not match:
        return None
    key = match.group(1) or f"{match.group(2)}x{match.group(3)}in"
    return key if key in POSTER_SIZES_PT else None
