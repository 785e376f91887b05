"""The dose in words and the dates, in Spanish: grammar and plurals for any valid dose, and
Babel's dates and weekdays."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from handout.model.content import Dose
from handout.model.dose_text import dose_parts, dose_text
from handout.model.i18n import format_date, log_day, translations
from handout.model.library import load_library
from handout.model.plan import resolve_handout
from handout.model.request import HandoutRequest

SIDES = ("each", "each-way", "left", "right", "both", "alternating")
# Every phrase a Spanish dose may hold, with {n} a number that agrees with its noun.
PHRASES = [re.compile(p) for p in (
    r"1 serie de \d+", r"([02-9]|\d\d+) series de \d+",
    r"1 vez", r"([02-9]|\d\d+) veces",
    r"1 serie", r"([02-9]|\d\d+) series",
    r"mantenga (1 (segundo|minuto)|([02-9]|\d\d+) (segundos|minutos))",
    r"descanse (1 (segundo|minuto)|([02-9]|\d\d+) (segundos|minutos))",
    r"1 vez al día", r"([02-9]|\d\d+) veces al día",
    r"a diario", r"1 día a la semana", r"[2-6] días a la semana",
    r"cada pierna", r"a cada lado", r"solo la pierna izquierda", r"solo la pierna derecha",
    r"las dos piernas a la vez", r"cambie de pierna cada vez",
)]
ENGLISH = re.compile(r"\b(sets?|times?|once|twice|hold|rest|seconds?|minutes?|days?|week|every|each|leg|of|way|both)\b")

doses = st.builds(
    Dose,
    sets=st.none() | st.integers(1, 20), reps=st.none() | st.integers(1, 100),
    hold_seconds=st.none() | st.integers(1, 300), rest_seconds=st.none() | st.integers(1, 600),
    per_day=st.none() | st.integers(1, 10), days_per_week=st.none() | st.integers(1, 7),
    side=st.none() | st.sampled_from(SIDES),
)


@settings(max_examples=300, deadline=None)
@given(doses)
def test_any_dose_reads_as_grammatical_spanish(dose):
    parts = dose_parts(dose, "es")
    for part in parts:
        assert any(p.fullmatch(part) for p in PHRASES), part
        assert not ENGLISH.search(part), part
    assert len(parts) == len(dose_parts(dose, "en"))  # the same facts, phrase for phrase


def test_spanish_doses_as_patients_read_them():
    assert dose_text(Dose(sets=2, reps=10, hold_seconds=5, per_day=2, side="each"), "es") == \
        "2 series de 10 · mantenga 5 segundos · 2 veces al día · cada pierna"
    assert dose_text(Dose(sets=1, reps=1, hold_seconds=1, per_day=1, days_per_week=1), "es") == \
        "1 serie de 1 · mantenga 1 segundo · 1 vez al día · 1 día a la semana"
    assert dose_text(Dose(reps=5, hold_seconds=120, rest_seconds=60, days_per_week=7, side="each-way"), "es") == \
        "5 veces · mantenga 2 minutos · descanse 1 minuto · a diario · a cada lado"
    assert dose_text(Dose(sets=3, load="banda suave", tempo="despacio"), "es") == "3 series · banda suave · despacio"


def test_english_doses_are_as_before():
    assert dose_text(Dose(sets=2, reps=10, hold_seconds=5, per_day=2, side="each")) == \
        "2 sets of 10 · hold 5 seconds · twice a day · each leg"
    assert dose_text(Dose(reps=1, per_day=3, days_per_week=1)) == "1 time · 3 times a day · 1 day a week"


def test_dates_and_weekdays_in_spanish():
    day = dt.date(2026, 12, 3)
    assert format_date(day, "es") == "3 de diciembre de 2026"
    assert format_date(day, "en") == "3 December 2026"
    week = [log_day(day + dt.timedelta(days=d), "es") for d in range(7)]
    assert week == ["jue 3 dic", "vie 4 dic", "sáb 5 dic", "dom 6 dic", "lun 7 dic", "mar 8 dic", "mié 9 dic"]
    assert log_day(day, "es", short=True) == "jue 3"
    assert [log_day(day, "en"), log_day(day, "en", short=True)] == ["Thu 3 Dec", "Thu 3"]


def test_the_plan_hands_templates_spanish_words():
    request = HandoutRequest(program="ir-strength", date="2026-01-05", language="es")
    ctx = resolve_handout(request, load_library(language="es")).context()
    assert ctx["language"] == "es" and ctx["date"] == "5 de enero de 2026"
    assert ctx["log"]["days"][0][:2] == ["lun 5 ene", "mar 6 ene"]
    assert ctx["article"]["reviewed_text"] == "25 de noviembre de 2026"
    assert ctx["exercises"][0]["dose"] == "10 veces · cada pierna"
    assert ctx["exercises"][0]["notes"] == "Para calentar."
    assert ctx["exercises"][1]["dose_parts"][-1] == "fuerza media"
    # what template logic may test, the same in every language
    assert (ctx["exercises"][0]["side"], ctx["exercises"][3]["position"]) == ("each", "lying on your side")


def test_the_catalog_has_a_spanish_plural_for_every_count():
    t = translations("es")
    assert [t.ngettext("{n} set", "{n} sets", n).format(n=n) for n in (0, 1, 2, 21)] == \
        ["0 series", "1 serie", "2 series", "21 series"]
