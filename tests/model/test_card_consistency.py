"""No card contradicts itself: a band already prescribed is not "added" as the harder
version, "build up to" is more than the prescribed dose, a note saying "no band" does
not sit beside a start that puts a band on, and a card whose dose names one leg does not send
the patient on to the other. Checked on every bundled program's cards, and on every
exercise picked for one leg."""

from __future__ import annotations

import re

import pytest

from handout import HandoutRequest
from handout.model.library import load_library
from handout.model.plan import resolve_handout

_NUMBER = r"(\d+)"


def contradictions(card: dict) -> list[str]:
    """What on one card (a plan's exercise context) says two different things."""
    found = []
    notes = " ".join(t for t in (card["notes"], card["tip"]) if t)
    dose = card["dose_parts"]
    band_prescribed = any("band" in part for part in dose) or re.search(r"\buse a\b[^.]*\bband\b", notes, re.I)
    band_on_start = re.search(r"\b(put|loop)\b[^.]*\bband\b", card["start"], re.I)
    for field in ("harder", "easier"):
        if band_prescribed and re.search(r"\badd\b[^.]*\bband\b", card[field], re.I):
            found.append(f'{field} "{card[field]}" adds a band, but a band is already prescribed')
    if re.search(r"\bno band\b", notes, re.I) and band_on_start:
        found.append(f'note "{notes}" says no band, but the start puts a band on')
    if card["side"] == "alternating":
        found += [f'"{text}" says to do one leg, then switch, but the dose switches legs each time'
                  for text in card["steps"] if re.search(r"\bsame (leg|side)\b", text, re.I)]
    if card["side"] in ("left", "right"):
        for text in [*card["steps"], *card.get("poster_steps", ()), notes]:  # a poster's steps too
            if re.search(r"\b(switch (legs|sides)|each (leg|side)|other leg)\b", text, re.I):
                found.append(f'"{text}" sends the patient to the other leg, but the dose is {card["side"]} leg only')
    for match in re.finditer(r"build up to ([^.]*)", notes, re.I):
        target = match.group(1)
        sets_reps = re.search(rf"{_NUMBER} sets? of {_NUMBER}", target)
        counted = re.search(rf"{_NUMBER} (?:turns|times)", target)
        held = re.search(rf"{_NUMBER}-second", target)
        prescribed = card["dose_numbers"]
        if sets_reps and (int(sets_reps[1]), int(sets_reps[2])) == (prescribed["sets"], prescribed["reps"]):
            found.append(f'"build up to {target}" is the dose already prescribed')
        elif counted and int(counted[1]) <= (prescribed["reps"] or 0):
            found.append(f'"build up to {target}" is no more than the {prescribed["reps"]} prescribed')
        elif held and int(held[1]) <= (prescribed["hold_seconds"] or 0):
            found.append(f'"build up to {target}" is no longer than the hold prescribed')
    return found


def _cards(program: str | None, exercises: tuple = ()) -> list[dict]:
    plan = resolve_handout(HandoutRequest(program=program, exercises=exercises), load_library())
    cards = plan.context()["exercises"]
    for card, item in zip(cards, plan.items):
        card["dose_numbers"] = {"sets": item.dose.sets, "reps": item.dose.reps, "hold_seconds": item.dose.hold_seconds}
    return cards


@pytest.mark.parametrize("program", sorted(load_library().programs))
def test_no_card_contradicts_itself(program):
    problems = [f"{c['number']}. {c['name']}: {p}" for c in _cards(program) for p in contradictions(c)]
    assert not problems, problems


@pytest.mark.parametrize("side", ["left", "right", "alternating"])
def test_no_card_picked_for_one_leg_sends_the_patient_to_the_other(side):
    """A clinician's "left leg only" on a move done on each leg: the step "Repeat with the same
    leg, then switch legs." and the library's "build up to 30 times on each leg" are left off
    that card (both were printed before); so is the step beside "switch legs each time"."""
    picks = tuple(f"{ident}:side={side}" for ident in sorted(load_library().exercises))
    cards = _cards(None, picks)
    problems = [f"{c['number']}. {c['name']}: {p}" for c in cards for p in contradictions(c)]
    assert not problems, problems
    seated = next(c for c in cards if c["id"] == "seated-ir")
    assert seated["steps"][-1] == "Stop when you feel a gentle pull. Then bring your foot back."
    assert seated["tip"] is None
    assert seated["dose_parts"][-1] == (f"{side} leg only" if side != "alternating" else "switch legs each time")


def test_the_check_catches_each_kind_of_contradiction():
    base = {"number": 1, "name": "X", "start": "Get on your hands and knees.", "easier": "Go smaller.",
            "harder": "Add a loop band around your ankles.", "notes": None, "tip": None,
            "dose_parts": ["2 sets of 10", "each leg", "light loop band"],
            "dose_numbers": {"sets": 2, "reps": 10, "hold_seconds": None}, "side": "each",
            "steps": ["Lift.", "Repeat with the same leg, then switch legs."]}
    assert any("adds a band" in p for p in contradictions(base))
    same = {**base, "harder": "Go bigger.", "dose_parts": ["3 sets of 15"], "tip": "You can build up to 3 sets of 15.",
            "dose_numbers": {"sets": 3, "reps": 15, "hold_seconds": None}}
    assert any("already prescribed" in p for p in contradictions(same))
    band = {**base, "harder": "Go bigger.", "dose_parts": [], "start": "You can put a loop band around both ankles.",
            "notes": "Do it with no band for this plan."}
    assert any("no band" in p for p in contradictions(band))
    one_leg = {**base, "harder": "Go bigger.", "side": "left", "steps": ["Lift.", "Repeat, then switch legs."]}
    assert any("other leg" in p for p in contradictions(one_leg))
    fine = {**base, "harder": "Use a stronger band."}
    assert contradictions(fine) == []


def test_a_library_tip_goes_when_the_program_changes_the_dose():
    """E9 in ir-advanced is 3 sets of 15: the library's "build up to 3 sets of 15" is not printed."""
    card = next(c for c in _cards("ir-advanced") if c["id"] == "side-lying-raised-ir")
    assert card["tip"] is None
    assert next(c for c in _cards("ir-strength") if c["id"] == "side-lying-raised-ir")["tip"]
