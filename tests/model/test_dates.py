"""Dates laid out from Babel's names kept on disk (``handout/model/dates.py``) are Babel's
own, day by day; a pattern with another field is left to Babel; a damaged kept file is made
again."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date

from handout.disk import PREFIX
from handout.model import dates
from handout.model.i18n import DATE_PATTERNS, LOG_DAY_PATTERN, LOG_DAY_PATTERN_SHORT, languages

DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(4 * 365 + 1)]  # 2024 to 2027, a leap year


@pytest.fixture
def kept_here(disk_here):
    """The disk cache on, in a folder of the test's own; nothing kept from before."""
    dates._kept.cache_clear()
    yield disk_here
    dates._kept.cache_clear()


@pytest.mark.parametrize("lang", languages())
def test_every_day_reads_as_babel_writes_it(kept_here, lang):
    for pattern in (DATE_PATTERNS.get(lang, "long"), LOG_DAY_PATTERN, LOG_DAY_PATTERN_SHORT):
        written = [dates.format_day(day, pattern, lang) for day in DAYS]  # Babel's names, just kept
        dates._kept.cache_clear()  # as a fresh process: from the kept file
        assert [dates.format_day(day, pattern, lang) for day in DAYS] == written
        assert written == [format_date(day, pattern, locale=lang) for day in DAYS]
    assert len(list(kept_here.glob(f"{PREFIX}dates-*"))) == 3


def test_a_pattern_with_other_fields_is_babels_to_write(kept_here):
    day = dt.date(2026, 12, 3)
    for _ in range(2):  # made, then kept (as "Babel's to write")
        assert dates.format_day(day, "EEEE dd/MM/yy", "en") == "Thursday 03/12/26"
        assert dates.format_day(day, "full", "es") == format_date(day, "full", locale="es")
        assert dates._kept("en", "EEEE dd/MM/yy") is None
        dates._kept.cache_clear()


def test_a_damaged_kept_file_is_made_again(kept_here):
    day = dt.date(2026, 12, 3)
    assert dates.format_day(day, "d MMMM y", "en") == "3 December 2026"
    (kept,) = kept_here.glob(f"{PREFIX}dates-*")
    kept.write_bytes(b"not a pickle")
    dates._kept.cache_clear()
    assert dates.format_day(day, "d MMMM y", "en") == "3 December 2026"
    assert kept.read_bytes() != b"not a pickle"
