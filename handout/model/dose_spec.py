"""DOSE text, as typed after ``--exercise ID:`` or in a roster's exercises column, into a Dose.

Two forms, which may be mixed: the shorthand ``2x10`` (sets x reps) and named fields
``sets=2,reps=10,hold=5,rest=30,per-day=2,days=5,side=left,load="red band",tempo=slow``.
Fields not given stay empty, so the program's and the exercise's own dose fill them.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from ..errors import RequestError
from .content import Dose
from .validate import issues_from

# The words a clinician types, and the Dose field each one fills.
FIELDS = {
    "sets": "sets",
    "reps": "reps",
    "hold": "hold_seconds",
    "rest": "rest_seconds",
    "per-day": "per_day",
    "days": "days_per_week",
    "side": "side",
    "load": "load",
    "tempo": "tempo",
}
_NUMBERS = {"sets", "reps", "hold", "rest", "per-day", "days"}
_SHORTHAND = re.compile(r"^(\d{1,6})\s*[xX×]\s*(\d{1,6})$")
_FIELD = re.compile(r'\s*([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^,"\']*))\s*(?:,|$)')
EXAMPLE = 'like 2x10, or sets=2,reps=10,hold=5,days=5,side=left,load="red band"'


def parse_dose(text: str) -> Dose:
    """A Dose from DOSE text; a RequestError (field "exercise") names what is wrong."""
    values: dict[str, object] = {}
    rest = text.strip()
    head, _, tail = rest.partition(",")
    short = _SHORTHAND.match(head.strip())
    if short:
        values["sets"], values["reps"] = (int(n) for n in short.groups())
        rest = tail
    pos = 0
    while pos < len(rest):
        match = _FIELD.match(rest, pos)
        if not match or match.end() == pos:
            raise RequestError(f'"{text}" is not a dose ({EXAMPLE})', "exercise")
        name, *quoted = match.groups()
        value = next((v for v in quoted if v is not None), "").strip()
        key = name.lower()
        if key not in FIELDS:
            raise RequestError(f'"{name}" is not a dose field; use {", ".join(FIELDS)}', "exercise")
        if key in _NUMBERS:
            if not re.fullmatch(r"\d{1,6}", value):
                raise RequestError(f'{key} must be a whole number, got "{value}"', "exercise")
            values[key] = int(value)
        else:
            values[key] = value
        pos = match.end()
    if not values:
        raise RequestError(f'"{text}" is an empty dose ({EXAMPLE})', "exercise")
    try:
        return Dose(**{FIELDS[k]: v for k, v in values.items()})
    except ValidationError as exc:
        issue = issues_from(exc, None)[0]
        word = next(k for k, f in FIELDS.items() if f == issue.field)
        raise RequestError(f"{word} {issue.message}", "exercise") from None

