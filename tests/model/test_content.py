"""The bundled content: it validates, reads at the target grade, and repeats none of the
source article's errors (shared/clinical.md section 0).

Plain ``yaml.safe_load`` plus the pydantic models, so these tests do not depend on the loader.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from handout.model.content import ArticleMeta, Dose, Exercise, Program, Safety
from handout.model.readability import (
    TARGET_ARTICLE_GRADE,
    TARGET_STEPS_GRADE,
    WATCH_LIST,
    fk_grade,
    unexplained_terms,
)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
EXERCISE_DIR = CONTENT / "exercises"
PROGRAM_DIR = CONTENT / "programs"
ARTICLE = CONTENT / "article" / "hip-internal-rotators.md"
CLINICAL_MD = ROOT.parent / "shared" / "clinical.md"
SEED_ARTICLE = ROOT.parent / "shared" / "seed-article.txt"

EXERCISE_IDS = {
    "E1": "seated-ir",
    "E2": "seated-ir-isometric",
    "E3": "seated-ir-band",
    "E4": "windshield-wipers",
    "E5": "ninety-ninety",
    "E6": "prone-ir",
    "E7": "prone-ir-stretch",
    "E8": "reverse-clamshell",
    "E9": "side-lying-raised-ir",
    "E10": "hands-knees-ir",
    "E11": "standing-ir-band",
    "E12": "hip-airplane",
}
PROGRAM_IDS = {"ir-mobility", "ir-strength", "ir-desk-break", "ir-advanced"}
POSITIONS = {
    "seated",
    "lying on your back",
    "lying face down",
    "lying on your side",
    "hands and knees",
    "floor sitting",
    "standing",
}
# With the knee bent in these positions, turning the thigh in swings the foot OUT.
FOOT_OUT_POSITIONS = {"seated", "lying face down", "hands and knees"}

# The source article's errors (clinical.md section 0). Written so that a correction does
# not match: "outside the hip joint" passes, "deep inside the joint" does not.
WRONG_CLAIMS = {
    "IR muscles inside the joint (0.1)": r"\b(deep(ly)?|nestled) (in|inside|within) (the )?(deep layers of )?(the )?(hip )?joint",
    "nestled in deep layers (0.1)": r"deep layers of the hip",
    "pulls the femoral head (0.3)": r"(femoral head|head of the thigh bone|ball of the hip) (toward|towards|to) the pelvis",
    "pulling on the femoral head (0.3)": r"pull\w* (on )?the (femoral )?head",
    "pelvic floor (0.4)": r"pelvic floor",
    "tilting the pelvis inward (0.2)": r"tilt\w* (of )?(the |your )?pelvis inward|inward tilt\w* of (the |your )?pelvis",
    "banded external rotation (0.7)": r"external rotations? with a band|band(ed)? (hip )?external rotation",
    "band walks (0.6)": r"band walks?",
    "side-lying abduction or leg lifts (0.6)": r"side[\s\-\u2010\u2011]lying (hip )?(abductions?|leg (lifts?|raises?))",
    "hip flexor stretch (0.8)": r"hip flexor stretch",
    "labrum and synovial fluid (0.9)": r"synovial",
    "torso relies on IR (0.5)": r"rotate the torso|relies? heavily",
    "stretching the internal rotators (0.8)": r"stretch\w* (the |your )?internal rotators",
}


# ---------------------------------------------------------------- loading helpers


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _exercise_files() -> list[Path]:
    return sorted(EXERCISE_DIR.glob("*.yaml"))


def _exercises() -> dict[str, Exercise]:
    return {path.stem: Exercise(**_load(path)) for path in _exercise_files()}


def _programs() -> dict[str, Program]:
    return {path.stem: Program(**_load(path)) for path in sorted(PROGRAM_DIR.glob("*.yaml"))}


def _safety() -> Safety:
    return Safety(**_load(CONTENT / "safety.yaml"))


def _article() -> tuple[dict, str]:
    text = ARTICLE.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    assert match, "article must start with front matter between '---' lines"
    return yaml.safe_load(match.group(1)), match.group(2)


def _sections(body: str) -> list[tuple[str, str]]:
    parts = re.split(r"^## +(.+)$", body, flags=re.M)
    return [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts), 2)]


def _strings(value) -> list[str]:
    """Every string inside a loaded YAML value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _all_patient_text() -> list[tuple[str, str]]:
    """(where, text) for every string of content a patient can read."""
    found = []
    for path in [*_exercise_files(), *sorted(PROGRAM_DIR.glob("*.yaml")), CONTENT / "safety.yaml"]:
        found += [(path.name, s) for s in _strings(_load(path))]
    meta, body = _article()
    found += [(ARTICLE.name, meta["summary"]), (ARTICLE.name, body)]
    return found


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


# ---------------------------------------------------------------- exercises


def test_exercise_ids_are_the_twelve():
    assert {p.stem for p in _exercise_files()} == set(EXERCISE_IDS.values())


@pytest.mark.parametrize("path", _exercise_files(), ids=lambda p: p.stem)
def test_exercise_validates(path):
    data = _load(path)
    exercise = Exercise(**data)
    assert exercise.id == path.stem
    assert EXERCISE_IDS[exercise.code] == exercise.id
    assert exercise.position in POSITIONS, exercise.position
    assert 3 <= len(exercise.steps) <= 5
    assert exercise.internal_rotation is True
    assert "hip-replacement" in exercise.precautions
    assert exercise.dose.reps or exercise.dose.hold_seconds
    assert exercise.sources, "every exercise names its sources"


@pytest.mark.parametrize("path", _exercise_files(), ids=lambda p: p.stem)
def test_steps_carry_no_numbers_and_posters_are_short(path):
    exercise = Exercise(**_load(path))
    for step in exercise.steps:
        assert not re.match(r"\s*(\d+[.)]|step\b)", step, re.I), f"{path.name}: the tool numbers steps: {step!r}"
    for line in exercise.poster_steps:
        assert len(line.split()) <= 8, f"{path.name}: poster step too long: {line!r}"


@pytest.mark.parametrize("path", _exercise_files(), ids=lambda p: p.stem)
def test_steps_reading_grade(path):
    exercise = Exercise(**_load(path))
    text = " ".join(exercise.steps)
    grade = fk_grade(text)
    assert grade <= TARGET_STEPS_GRADE, f"{path.name}: steps read at grade {grade}: {text!r}"


def _moves_the_foot(sentence: str) -> bool:
    """A sentence that moves the foot ("should not move" is a held push, not a move)."""
    return bool(
        not re.search(r"\bnot\b", sentence, re.I)
        and re.search(r"\b(foot|feet|shin|shins)\b", sentence, re.I)
        and re.search(r"\b(swing|swings|fall|falls|move|moves|press|presses|push|pushes|drop|drops|slide|slides)\b", sentence, re.I)
    )


def test_foot_moves_out_when_the_knee_is_bent():
    """The direction rule: in these positions the foot swings OUT as the thigh turns in."""
    checked = 0
    for exercise in _exercises().values():
        if exercise.position not in FOOT_OUT_POSITIONS:
            continue
        for text in [*exercise.steps, *exercise.poster_steps, *exercise.cues]:
            for sentence in _sentences(text):
                if not _moves_the_foot(sentence):
                    continue
                checked += 1
                assert re.search(r"\bout\b", sentence, re.I), f"{exercise.id}: foot must move out: {sentence!r}"
                assert not re.search(r"\b(in|inward|inwards|inside)\b", sentence, re.I), (
                    f"{exercise.id}: foot moving in is the wrong direction: {sentence!r}"
                )
    assert checked >= 7


def test_precautions_where_clinical_md_puts_them():
    exercises = _exercises()
    for eid in ("ninety-ninety", "hands-knees-ir", "hip-airplane"):
        assert "impingement" in exercises[eid].precautions, eid
    for eid in ("standing-ir-band", "hip-airplane"):
        assert "balance" in exercises[eid].precautions, eid
    assert "knee" in exercises["hands-knees-ir"].precautions
    assert "pregnancy" in exercises["windshield-wipers"].precautions  # lying on the back
    assert exercises["prone-ir-stretch"].stop_if, "E7: stop if sharp knee or hip pain"


# ---------------------------------------------------------------- programs


def test_program_ids():
    assert set(_programs()) == PROGRAM_IDS


def test_program_items_exist_and_doses_merge():
    exercises = _exercises()
    for pid, program in _programs().items():
        assert program.id == pid
        assert program.pain_limit == 3
        for item in program.items:
            assert item.exercise in exercises, f"{pid}: unknown exercise {item.exercise!r}"
            merged = item.dose.over(exercises[item.exercise].dose)
            assert isinstance(merged, Dose)


def test_mobility_program_is_six_gentle_moves():
    exercises = _exercises()
    items = _programs()["ir-mobility"].items
    assert len(items) == 6
    for item in items:
        assert exercises[item.exercise].goal == "mobility", item.exercise


def test_desk_break_is_seated_only():
    exercises = _exercises()
    for item in _programs()["ir-desk-break"].items:
        assert exercises[item.exercise].position == "seated", item.exercise


# ---------------------------------------------------------------- safety


def test_safety_validates_and_covers_the_red_flags():
    safety = _safety()
    flags = " ".join(safety.red_flags + safety.call_flags).lower()
    for sign in ("fever", "weight", "calf", "numbness", "cancer", "steroid"):
        assert sign in flags, f"red flags should mention {sign!r}"
    assert 6 <= len(safety.red_flags) + len(safety.call_flags) <= 10
    urgent = " ".join(safety.red_flags).lower()
    for emergency in ("fever", "fall", "hip replacement", "calf", "bladder"):  # clinical.md: urgent or emergency
        assert emergency in urgent, f"{emergency!r} belongs with 'get urgent care now'"
    assert 3 <= len(safety.stop_rules) <= 5
    assert set(safety.precautions) == {"hip-replacement", "impingement", "pregnancy", "balance", "knee"}
    hip = safety.precautions["hip-replacement"].text.lower()
    assert "hip replacement" in hip
    assert "unless your surgeon or therapist has said yes" in hip
    assert "3" in safety.pain_rule.format(limit=3)


def test_every_precaution_used_is_explained():
    safety = _safety()
    for exercise in _exercises().values():
        for pid in exercise.precautions:
            assert pid in safety.precautions, f"{exercise.id}: no text for precaution {pid!r}"


# ---------------------------------------------------------------- article


def test_article_front_matter():
    meta, body = _article()
    article = ArticleMeta(**meta)
    assert article.reviewed == "2026-11-25"
    assert 60 <= len(re.findall(r"[\w']+", article.summary)) <= 120
    assert not re.search(r"^# ", body, re.M), "no h1: the title comes from front matter"


def test_article_sections():
    _, body = _article()
    titles = [title for title, _ in _sections(body)]
    assert len(titles) >= 5, titles
    words = len(re.findall(r"[\w']+", body))
    assert 450 <= words <= 800, words


def test_article_reading_grade():
    meta, body = _article()
    for title, text in [*_sections(body), ("summary", meta["summary"])]:
        grade = fk_grade(text)
        assert grade <= TARGET_ARTICLE_GRADE, f"article section {title!r} reads at grade {grade}"


def test_article_sources_are_in_clinical_md():
    if not CLINICAL_MD.exists():
        pytest.skip("shared/clinical.md is not beside this checkout")
    table = set(re.findall(r"^\| ([A-Z]\d+) \|", CLINICAL_MD.read_text(encoding="utf-8"), re.M))
    meta, _ = _article()
    cited = {source["id"] for source in meta["sources"]}
    for exercise in _exercises().values():
        cited |= set(exercise.sources)
    assert cited <= table, sorted(cited - table)


# ---------------------------------------------------------------- words


def test_no_unexplained_medical_words():
    meta, body = _article()
    texts = [("article", body), ("article summary", meta["summary"])]
    for exercise in _exercises().values():
        texts += [(exercise.id, s) for s in _strings(exercise.model_dump(exclude={"targets", "sources", "id", "precautions", "code"}))]
    for where, text in texts:
        assert not unexplained_terms(text), f"{where}: explain {unexplained_terms(text)} in: {text[:120]!r}"


@pytest.mark.parametrize("name", sorted(WRONG_CLAIMS))
def test_no_wrong_claim_from_the_source_article(name):
    pattern = re.compile(WRONG_CLAIMS[name], re.I)
    for where, text in _all_patient_text():
        match = pattern.search(text)
        assert not match, f"{where}: repeats the source's error ({name}): {match.group(0)!r}"


def test_wrong_claim_patterns_catch_the_source_article():
    """The patterns above are only worth something if they match the text they guard against."""
    if not SEED_ARTICLE.exists():
        pytest.skip("shared/seed-article.txt is not beside this checkout")
    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    missed = [
        name
        for name, pattern in WRONG_CLAIMS.items()
        if not re.search(pattern, seed, re.I) and "internal rotators" not in name  # that one is from other pages
    ]
    assert not missed, missed


def test_plain_clamshell_is_only_named_as_turning_out():
    """A clamshell (knees apart) trains turning the thigh OUT; only the reverse one is ours."""
    for where, text in _all_patient_text():
        for sentence in _sentences(text):
            plain = re.sub(r"reverse[- ]clamshells?", "", sentence, flags=re.I)
            if re.search(r"clamshell|\bclams?\b", plain, re.I):
                assert re.search(r"\bout\b|outward|external", plain, re.I), f"{where}: {sentence!r}"


# ---------------------------------------------------------------- examples users copy


def test_roster_example():
    with (CONTENT / "roster.example.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == [
        "patient", "patient_id", "program", "clinician", "date",
        "page_size", "large_print", "exercises", "kind", "output",
    ]
    assert len(rows) == 6
    exercises = _exercises()
    assert "O'Brien & <Sons>" in {row["patient"] for row in rows}
    for row in rows:
        assert row["program"] in PROGRAM_IDS
        assert row["kind"] in ("", "handout")
        assert row["date"] in ("", "2026-11-25")
        for part in filter(None, (p.strip() for p in row["exercises"].split(";"))):
            assert part.split(":")[0] in exercises, part
    assert any(row["large_print"] == "true" for row in rows)


def test_clinic_example():
    clinic = _load(CONTENT / "clinic.example.yaml")
    assert clinic["name"] == "Riverside Physiotherapy"
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", clinic["brand_color"])
    for key in ("phone", "address", "email", "website", "clinician"):
        assert clinic[key], key


# ---------------------------------------------------------------- readability helpers


def test_watch_list_is_lowercase():
    assert all(term == term.lower() for term in WATCH_LIST)
    assert "isometric" in WATCH_LIST and "range of motion" in WATCH_LIST


def test_unexplained_terms_flags_bare_jargon():
    assert unexplained_terms("Do an isometric hold for your hip.") == ["isometric"]
    assert unexplained_terms("Lie prone on the mat. Then check your range of motion.") == ["prone", "range of motion"]


def test_unexplained_terms_accepts_explanations():
    assert unexplained_terms("Do an isometric (the muscle works but does not move) hold.") == []
    assert unexplained_terms("Flexion means bending the hip.") == []
    assert unexplained_terms("Lie face down, a position called prone.") == []
    assert unexplained_terms("Lie face down (prone) on the mat.") == []
    assert unexplained_terms("Impingement - a pinch in the hip - can hurt.") == []


def test_fk_grade_strips_markdown_and_ranks_text():
    easy = "Sit on a chair. Lift your foot. Put it down."
    hard = (
        "Comprehensive rehabilitation necessitates individualized consideration of "
        "musculoskeletal characteristics, particularly regarding rotational capability."
    )
    assert fk_grade(easy) < TARGET_STEPS_GRADE < fk_grade(hard)
    assert fk_grade("**Sit** on a [chair](https://example.org).") == fk_grade("Sit on a chair.")
    assert fk_grade("## Title\n\n- one item here\n- two items here") == fk_grade("Title. One item here. Two items here.")
    assert fk_grade("") == 0.0
