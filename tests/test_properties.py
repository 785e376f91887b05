"""Properties that hold for any input, checked with hypothesis (fixed seed, bounded examples).

- Any printable name up to 200 characters either prints exactly (as pdfium extracts it) or
  fails with ``UnsupportedCharacterError``; the tool's only change to a name is NFC.
- The plain-words dose text is grammatical for any valid dose.
- Random YAML and random rosters never crash the readers: a value or a ``HandoutError``.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handout import build_handout
from handout.errors import ContentError, HandoutError, RequestError, UnsupportedCharacterError
from handout.export.roster import read_roster
from handout.model.content import Dose
from handout.model.dose_text import SEPARATOR, dose_text
from handout.model.request import MAX_NAME_CHARS, HandoutRequest, make_request
from handout.model.yamlfile import parse_yaml
from handout.model.printable import missing_char

from .conftest import pdf_text

CI = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
NOT_PRINTABLE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")

# Characters the bundled font draws (Latin, Greek, Cyrillic, marks, punctuation...), so many
# generated names build and are read back, not only refused.
FONT_CHARS = "".join(c for c in map(chr, range(0x20, 0x2E80))
                     if unicodedata.category(c) not in NOT_PRINTABLE and missing_char(c) is None)
# pdfium's text extraction spells out the Latin ligatures (U+FB00-FB06): a reader's habit,
# not a change the tool makes, so the comparison does the same.
LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}

names = st.one_of(
    st.text(st.sampled_from(FONT_CHARS), max_size=MAX_NAME_CHARS),
    st.text(st.characters(exclude_categories=NOT_PRINTABLE), max_size=MAX_NAME_CHARS),
)


def folded(text: str) -> str:
    """NFC, ligatures spelt out, and no whitespace at all (lines wrap where a layout likes)."""
    return "".join(unicodedata.normalize("NFC", text).translate(LIGATURES).split())


@settings(CI, max_examples=250)
@given(name=names)
def test_any_printable_name_prints_exactly_or_is_refused_by_the_font(name):
    nfc = unicodedata.normalize("NFC", name.strip())
    try:
        request = make_request(HandoutRequest, exercises=["seated-ir"], patient=name, article="none", log_weeks=0)
    except RequestError as exc:  # NFC may lengthen a name past the limit; nothing else is refused
        assert len(nfc) > MAX_NAME_CHARS and "too long" in str(exc)
        return
    assert request.patient == nfc  # NFC (and trimming the ends) is the only change to a name
    try:
        data = build_handout(request)
    except UnsupportedCharacterError as exc:
        assert exc.field == "patient" and exc.char in nfc and missing_char(nfc) == exc.char
        return
    assert missing_char(nfc) is None
    assert folded(nfc) in folded(pdf_text(data))


# --- doses in plain words ---------------------------------------------------------------------

def counts(low, high):
    return st.one_of(st.none(), st.integers(low, high))


doses = st.builds(
    Dose,
    sets=counts(1, 20), reps=counts(1, 100), hold_seconds=counts(1, 300), rest_seconds=counts(1, 600),
    per_day=counts(1, 10), days_per_week=counts(1, 7),
    side=st.one_of(st.none(), st.sampled_from(["each", "left", "right", "both", "alternating"])),
    load=st.one_of(st.none(), st.sampled_from(["red band", "2 kg", "light effort"])),
    tempo=st.one_of(st.none(), st.sampled_from(["slow", "3 seconds down"])),
)
UNGRAMMATICAL = re.compile(r"(?<![\d.])1 (sets|times|seconds|minutes|days|reps|weeks)\b|(?<![\d.])0 |\b1 times\b")


@settings(CI, max_examples=600)
@given(dose=doses)
def test_any_valid_dose_reads_as_plain_grammatical_words(dose):
    text = dose_text(dose)
    assert not UNGRAMMATICAL.search(text), text
    parts = text.split(SEPARATOR) if text else []
    assert all(p and p == p.strip() for p in parts), text
    assert "  " not in text and "None" not in text
    if dose.sets and dose.reps:
        assert text.startswith(f"{dose.sets} set{'s' if dose.sets > 1 else ''} of {dose.reps}")
    if dose.per_day in (1, 2):
        assert ("once a day", "twice a day")[dose.per_day - 1] in text
    if dose.hold_seconds:
        seconds = dose.hold_seconds
        said = f"{seconds // 60} minute" if seconds % 60 == 0 else f"{seconds} second"
        assert f"hold {said}" in text


@pytest.mark.parametrize("dose, text", [
    (Dose(sets=1, reps=1), "1 set of 1"),
    (Dose(reps=1), "1 time"),
    (Dose(sets=1), "1 set"),
    (Dose(hold_seconds=1, rest_seconds=60), "hold 1 second · rest 1 minute"),
    (Dose(per_day=1, days_per_week=1), "once a day · 1 day a week"),
    (Dose(per_day=3, days_per_week=7), "3 times a day"),
    (Dose(days_per_week=7), "every day"),
])
def test_the_words_for_ones_and_edges(dose, text):
    assert dose_text(dose) == text


# --- readers never crash ------------------------------------------------------------------------

@settings(CI, max_examples=300)
@given(text=st.text(st.sampled_from("ab:- \n\t[]{}&*!|>'\"#%@`,?1.\x00\x01\x1f\x85\ufeff\u00e9"), max_size=120))
def test_random_yaml_is_a_value_or_a_content_error(text):
    try:
        parse_yaml(text, "random.yaml")
    except ContentError as exc:
        assert str(exc).startswith("random.yaml") or "random.yaml" in str(exc)


# The roster columns of DESIGN.md ("The batch").
COLUMNS = ("patient", "program", "patient_id", "clinician", "date", "page_size", "large_print", "exercises",
           "kind", "output")
CELL = st.one_of(
    st.sampled_from(["", "ir-mobility", "ir-desk-break", "seated-ir:2x10", "seated-ir:0x10", "2026-11-25",
                     "2026-02-30", "a4", "letter", "a5", "poster", "handout", "yes", "maybe", "a1", "b1",
                     "../x.pdf", "/abs.pdf", "ok.pdf", "P-1", "Zoë Ünal", "Sam 😀", "a\u200bb", "x" * 300]),
    st.text(max_size=20),
)


@st.composite
def rosters(draw) -> str:
    header = draw(st.lists(st.sampled_from(COLUMNS + ("patiant", "", "notes")), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(header) + 2), max_size=6))

    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value

    return "\n".join(",".join(cell(v) for v in line) for line in [header] + rows) + "\n"


@settings(CI, max_examples=150)
@given(text=rosters())
def test_a_random_roster_is_checked_row_by_row_or_refused_as_a_file(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            checked = read_roster(path)
        except HandoutError as exc:
            assert str(exc)
            return
        assert checked.rows == len(checked.jobs) + len(checked.bad_rows)
        for error in checked.errors:
            assert error.row >= 2 and (error.column in COLUMNS or error.column == "") and error.message


@settings(CI, max_examples=60)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx", ".yaml", ".json"]))
def test_random_bytes_as_a_roster_are_refused_as_a_file(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"roster{suffix}"
        path.write_bytes(data)
        try:
            read_roster(path)
        except HandoutError:
            pass
