"""Turn pydantic's validation errors into plain ``file:line: field: message`` issues."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import ContentError, Issue
from .yamlfile import LineMap

M = TypeVar("M", bound=BaseModel)

_PLAIN = {
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_type": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a whole number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping of names to values",
    "model_type": "must be a mapping of names to values",
    "missing": "is required but missing",
    "extra_forbidden": "is not a known field",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long",
    "string_pattern_mismatch": "must use only lowercase letters, digits and hyphens (like seated-ir)",
    "date_from_datetime_parsing": "must be a real date written YYYY-MM-DD",
    "date_parsing": "must be a real date written YYYY-MM-DD",
    "date_type": "must be a real date written YYYY-MM-DD",
}


class ShownValueError(ValueError):
    """A validator's message that already says what was wrong; shown without ", got <value>"
    (which, for a name, would repeat the patient's name back)."""


def field_path(loc: tuple) -> str:
    """``("items", 2, "sets")`` -> ``items[2].sets``."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get('ge', ctx.get('gt'))
        base = f"must be at least {bound}"
        if isinstance(bound, int) and (isinstance(error.get("input"), float) or "." in str(error.get("input"))):
            base = "must be a whole number, " + base
        message = base
    elif kind in ("less_than_equal", "less_than"):
        message = f"must be at most {ctx.get('le', ctx.get('lt'))}"
    elif kind == "too_short":
        message = f"needs at least {ctx.get('min_length')} entries"
    elif kind == "too_long":
        message = f"may have at most {ctx.get('max_length')} entries"
    elif kind == "literal_error":
        message = f"must be one of {ctx.get('expected')}"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in _PLAIN:
        message = _PLAIN[kind]
        if kind == "int_parsing" or kind == "int_from_float":
            loc = error["loc"]
            if loc and loc[-1] == "sets":
                message = "must be a whole number of at least 1"
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
    shown_already = isinstance(ctx.get("error"), ShownValueError)
    if kind not in ("missing", "extra_forbidden") and "input" in error and not shown_already:
        found = error["input"]
        if not isinstance(found, (dict, list)):
            if isinstance(found, dt.date):  # YAML reads 2026-01-05 as a date: show it as written
                shown = found.isoformat()
            else:
                shown = f'"{found}"' if isinstance(found, str) else repr(found)
            if len(shown) > 60:
                shown = shown[:57] + '..."'
            message += f", got {shown}"
    return message


def issues_from(exc: ValidationError, linemap: LineMap | None, prefix: tuple = ()) -> list[Issue]:
    """One Issue per pydantic error, with the line of the deepest path the file has."""
    issues = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(error["loc"])
        clean = tuple(p for p in loc if p != "[key]")
        line = linemap.line_of(clean) if linemap else None
        issues.append(
            Issue(
                file=linemap.file if linemap else "",
                line=line,
                field=field_path(loc),
                message=_describe(error),
            )
        )
    return issues


def validate(model: type[M], data: object, linemap: LineMap | None, what: str = "") -> M:
    """Validate ``data`` as ``model`` or raise a ContentError with every issue found."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        file = linemap.file if linemap else what
        raise ContentError([Issue(file=file, line=1, message=f"must be a mapping of fields, but the file is {kind}")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(issues_from(exc, linemap)) from None
