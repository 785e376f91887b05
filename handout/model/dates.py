"""Dates in a language's words, as Babel writes them, without Babel's start-up.

Importing Babel and loading a language's CLDR data take about 140 M instructions (15 ms)
of a fresh ``handout build``, for a dozen names. Babel itself splits each pattern handout
writes dates in into fields and gives the names those fields use; both are kept in the disk
cache (``handout.disk``), keyed on the language, the pattern, Babel's version and this
file, and a later process lays a date out from them. A pattern with a field not laid out
here, or the cache off, is Babel's to write. ``tests/model/test_dates.py`` compares every
day of four years with Babel's own.
"""

from __future__ import annotations

import datetime as dt
import pickle
from functools import lru_cache
from importlib.util import find_spec

from ..disk import DISK, fingerprint

# The fields laid out here, (letter, count): the day and year as numbers, the month's
# abbreviated and wide names, the weekday's abbreviated name (CLDR's "format" forms).
_NAMED = {("M", 3): ("months", "abbreviated"), ("M", 4): ("months", "wide"), ("E", 3): ("days", "abbreviated")}
_FIELDS = {("d", 1), ("y", 1), *_NAMED}
_STANDARD = ("full", "long", "medium", "short")  # the language's own patterns, by name


def format_day(day: dt.date, pattern: str, lang: str) -> str:
    """``babel.dates.format_date(day, pattern, locale=lang)``."""
    kept = _kept(lang, pattern)
    if kept is None:
        from babel.dates import format_date

        return format_date(day, pattern, locale=lang)
    tokens, names = kept
    out = []
    for kind, value in tokens:
        if kind == "chars":
            out.append(value)
        elif value == ("d", 1):
            out.append(str(day.day))
        elif value == ("y", 1):
            out.append(str(day.year))
        else:
            out.append(names[value][day.weekday() if value[0] == "E" else day.month])
    return "".join(out)


@lru_cache(maxsize=None)
def _kept(lang: str, pattern: str):
    """(tokens, names) for ``pattern`` in ``lang``, from the disk cache or Babel; None when
    the cache is off or the pattern has a field not laid out here (kept as None, too)."""
    if not DISK.enabled:
        return None
    return DISK.pickled("dates", _code() + repr((lang, pattern)).encode(), lambda: _from_babel(lang, pattern))


def _from_babel(lang: str, pattern: str):
    from babel import Locale
    from babel.dates import get_date_format, tokenize_pattern

    locale = Locale.parse(lang)
    text = get_date_format(pattern, locale=locale).pattern if pattern in _STANDARD else pattern
    tokens = tokenize_pattern(text)
    fields = {value for kind, value in tokens if kind == "field"}
    if not fields <= _FIELDS:
        return None
    names = {field: dict(getattr(locale, what)["format"][width]) for field, (what, width) in _NAMED.items()
             if field in fields}
    return tokens, names


@lru_cache(maxsize=1)
def _code() -> bytes:
    babel = find_spec("babel")  # its version, without importing it
    return fingerprint(__file__, *([babel.origin] if babel and babel.origin else []),
                       extra=f"dates {pickle.HIGHEST_PROTOCOL}")
