"""A dose in plain words: "2 sets of 10 · hold 5 seconds · twice a day · each leg"."""

from __future__ import annotations

from .content import Dose

SEPARATOR = " · "
_TIMES = {1: "once", 2: "twice"}
_SIDE = {
    "each": "each leg",
    "each-way": "each way",
    "left": "left leg only",
    "right": "right leg only",
    "both": "both legs together",
    "alternating": "switch legs each time",
}


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return plural(seconds // 60, "minute")
    return plural(seconds, "second")


def dose_parts(dose: Dose) -> list[str]:
    """The dose as short phrases, in the order a patient needs them."""
    parts = []
    if dose.sets and dose.reps:
        parts.append(f"{plural(dose.sets, 'set')} of {dose.reps}")
    elif dose.reps:
        parts.append(plural(dose.reps, "time"))
    elif dose.sets:
        parts.append(plural(dose.sets, "set"))
    if dose.hold_seconds:
        parts.append(f"hold {duration(dose.hold_seconds)}")
    if dose.rest_seconds:
        parts.append(f"rest {duration(dose.rest_seconds)}")
    if dose.per_day:
        parts.append(f"{_TIMES.get(dose.per_day, f'{dose.per_day} times')} a day")
    if dose.days_per_week:
        if dose.days_per_week == 7:
            if not dose.per_day:
                parts.append("every day")
        else:
            parts.append(f"{plural(dose.days_per_week, 'day')} a week")
    if dose.side:
        parts.append(_SIDE[dose.side])
    if dose.load:
        parts.append(dose.load)
    if dose.tempo:
        parts.append(dose.tempo)
    return parts


def dose_text(dose: Dose) -> str:
    return SEPARATOR.join(dose_parts(dose))
