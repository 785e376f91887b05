"""The bundled Spanish content: every printed field in Spanish (no English left), one form of
address (usted), the anatomical names Spanish clinicians write, none of the source article's
errors (clinical.md section 0), and its reading-ease targets met."""

from __future__ import annotations

import re

import pytest

from handout.model.library import load_library
from handout.model.readability import (TARGET_ARTICLE_INFLESZ, TARGET_STEPS_INFLESZ, inflesz, inflesz_band,
                                       spanish_syllables)
from handout.model.translation import DOSE_TEXT, EXERCISE_TEXT, ITEM_TEXT, PROGRAM_TEXT

SPANISH = load_library(language="es")
ENGLISH = load_library()

# Words that only English prints (none is a Spanish word).
ENGLISH_WORDS = re.compile(r"\b(the|your|you|and|with|of|to|is|keep|slowly|knee|foot|leg|hip|thigh|band|hold|"
                           r"turn|side|back|lift|stop|pain|do|not|or|if|on|at|it|this|that)\b", re.I)
# The familiar form (tú), which a patient sheet written in usted must not slip into.
TU_FORMS = re.compile(r"\b(tú|tu|tus|te|ti|contigo|puedes|debes|tienes|sientes|notas|quieres|estás|haz|pon|"
                      r"ponte|siéntate|acuéstate|levántate|mantén|sujétate|apóyate|inclínate|muévete|túmbate)\b",
                      re.I)
# The source article's errors (clinical.md section 0), as a Spanish writer might repeat them.
WRONG_CLAIMS = {
    "muscles inside the joint (0.1)": r"(profund\w*|metid\w*|escondid\w*|situad\w*) (en|dentro de) (las capas "
                                      r"profundas de )?(la )?articulación",
    "deep layers (0.1)": r"capas profundas",
    "pulls the femoral head (0.3)": r"(cabeza del fémur|cabeza femoral) hacia la pelvis|tira\w* de la cabeza",
    "pelvic floor (0.4)": r"suelo pélvico|piso pélvico",
    "tilting the pelvis inward (0.2)": r"inclin\w* (de )?(la )?pelvis hacia (a)?dentro",
    "banded external rotation (0.7)": r"rotaci\w+ externa con (una )?banda",
    "band walks (0.6)": r"(caminar|pasos|marcha)\w* (laterales )?con (una )?banda",
    "side-lying leg lifts (0.6)": r"(elevaci\w+|subir) (de )?la pierna de lado|abducci\w+ de cadera de lado",
    "hip flexor stretch (0.8)": r"estiramiento de (los )?flexores",
    "labrum and synovial fluid (0.9)": r"sinovial",
    "torso relies on IR (0.5)": r"girar el tronco|depende\w* (mucho|en gran medida)",
    "stretching the internal rotators (0.8)": r"estir\w* (los )?(músculos )?rotadores internos",
}


def _printed(library) -> dict[str, str]:
    """Every printed text of the library, by where it comes from."""
    out = {}
    for eid, e in library.exercises.items():
        for name in EXERCISE_TEXT:
            value = getattr(e, name)
            for n, text in enumerate(value if isinstance(value, list) else [value]):
                if text:
                    out[f"exercises/{eid}.{name}[{n}]"] = text
        for name in DOSE_TEXT:
            if getattr(e.dose, name):
                out[f"exercises/{eid}.dose.{name}"] = getattr(e.dose, name)
    for pid, p in library.programs.items():
        for name in PROGRAM_TEXT:
            if getattr(p, name):
                out[f"programs/{pid}.{name}"] = getattr(p, name)
        for n, item in enumerate(p.items):
            for name in ITEM_TEXT:
                if getattr(item, name):
                    out[f"programs/{pid}.items[{n}].{name}"] = getattr(item, name)
            for name in DOSE_TEXT:
                if getattr(item.dose, name):
                    out[f"programs/{pid}.items[{n}].dose.{name}"] = getattr(item.dose, name)
    for name, value in library.safety.model_dump().items():
        if name == "precautions":
            for pid, fields in value.items():
                out.update({f"safety.precautions.{pid}.{k}": v for k, v in fields.items()})
        else:
            for n, text in enumerate(value if isinstance(value, list) else [value]):
                out[f"safety.{name}[{n}]"] = text
    out["article.title"] = library.article.meta.title
    out["article.summary"] = library.article.meta.summary
    for section in library.article.sections:
        out[f"article.{section.title}"] = section.title + "\n" + section.text
    return out


PRINTED = _printed(SPANISH)


def test_every_english_text_has_its_spanish_and_no_english_is_left():
    english = _printed(ENGLISH)
    assert {k for k in english if not k.startswith("article.")} <= PRINTED.keys()
    left = {k: v for k, v in PRINTED.items() if ENGLISH_WORDS.search(v.replace("TFL", ""))}
    assert left == {}
    same = {k for k, v in PRINTED.items() if english.get(k) == v and any(c.isalpha() for c in v)}
    assert same == set()


def test_one_form_of_address_usted():
    familiar = {k: TU_FORMS.search(v).group(0) for k, v in PRINTED.items() if TU_FORMS.search(v)}
    assert familiar == {}
    assert sum("usted" in v.lower() for v in PRINTED.values()) >= 3


def test_muscles_have_their_spanish_clinical_names():
    text = "\n".join(PRINTED.values())
    for name in ("glúteo medio", "glúteo menor", "tensor de la fascia lata"):
        assert name in text
    assert not re.search(r"gluteus|minimus|fasciae|tensor fascia latae", text, re.I)


@pytest.mark.parametrize("claim", sorted(WRONG_CLAIMS))
def test_no_error_of_the_source_article_in_spanish(claim):
    pattern = re.compile(WRONG_CLAIMS[claim], re.I)
    found = {k for k, v in PRINTED.items() if pattern.search(v)}
    assert found == set()


def test_wrong_claim_patterns_catch_a_bad_translation():
    bad = ("Los rotadores internos son músculos pequeños situados dentro de la articulación. Colaboran con el "
           "suelo pélvico y tiran de la cabeza del fémur hacia la pelvis. Haga rotación externa con banda.")
    caught = {claim for claim, p in WRONG_CLAIMS.items() if re.search(p, bad, re.I)}
    assert {"muscles inside the joint (0.1)", "pelvic floor (0.4)", "pulls the femoral head (0.3)",
            "banded external rotation (0.7)"} <= caught


def test_the_foot_moves_out_when_the_knee_is_bent():
    """clinical.md's direction rule, in Spanish: the foot goes out (hacia afuera) as the thigh turns in."""
    for eid in ("seated-ir", "seated-ir-band", "prone-ir", "prone-ir-stretch", "hands-knees-ir", "standing-ir-band"):
        text = " ".join(SPANISH.exercises[eid].poster_steps + [SPANISH.exercises[eid].name])
        assert "hacia afuera" in text, eid
        assert "hacia adentro" not in " ".join(SPANISH.exercises[eid].poster_steps), eid


@pytest.mark.parametrize("eid", sorted(SPANISH.exercises))
def test_spanish_steps_are_easy_to_read(eid):
    score = inflesz(" ".join(SPANISH.exercises[eid].steps))
    assert score >= TARGET_STEPS_INFLESZ, f"{eid}: INFLESZ {score} ({inflesz_band(score)})"


def test_the_spanish_article_is_normal_or_easier():
    texts = {s.title: s.text for s in SPANISH.article.sections} | {"summary": SPANISH.article.meta.summary}
    scores = {title: inflesz(text) for title, text in texts.items()}
    assert all(score >= TARGET_ARTICLE_INFLESZ for score in scores.values()), scores
    assert len(SPANISH.article.sections) == len(ENGLISH.article.sections)


def test_spanish_syllables_are_counted_by_spanish_rules():
    words = {"agua": 2, "día": 2, "río": 2, "glúteo": 3, "idea": 3, "poesía": 4, "ahora": 3, "leer": 2,
             "ciudad": 2, "fisioterapeuta": 6, "rehabilitación": 6, "que": 1, "guía": 2, "pingüino": 3,
             "muy": 1, "hoy": 1, "y": 1, "ayuda": 3, "rodilla": 3, "Siéntese": 3, "ejercicio": 4}
    assert {w: spanish_syllables(w) for w in words} == words


def test_inflesz_ranks_plain_spanish_above_dense_spanish():
    plain = "Siéntese en una silla. Deje la rodilla quieta. Lleve el pie hacia afuera."
    dense = ("La musculatura rotadora interna de la articulación coxofemoral contribuye significativamente a la "
             "estabilización pélvica durante la bipedestación monopodal.")
    assert inflesz(plain) >= 80 > 40 > inflesz(dense)
    assert inflesz_band(inflesz(plain)) == "muy fácil" and inflesz_band(inflesz(dense)) == "muy difícil"


def test_the_article_names_the_safety_box_as_the_catalog_translates_it():
    from handout.model.i18n import translations

    heading = translations("es").gettext("When to stop and get help")
    assert f'"{heading}"' in SPANISH.article.sections[-1].text


# Printed after "Evite:" (the card's "Watch out:"), each mistake is a verb in the infinitive
# ("Evite: mover la rodilla..."); after "Pare si:" (its "Stop if:"), each sign is a clause with
# a verb in the usted form ("Pare si: siente un dolor punzante...").
INFINITIVE = re.compile(r"^(\w+(ar|er|ir)(se|la|lo)?|que)\b", re.I)
STOP_CLAUSE = re.compile(r"^(siente|nota|tiene|le|la|el|se)\b", re.I)
# Words of Spain's Spanish, where the US patients these sheets are for say another word
# (piso, hacia adentro/afuera, mostrador, colchoneta, celular, agarrar), and "terapeuta"
# alone or "terapeuta físico" (the clinician is "fisioterapeuta" throughout).
NOT_US_SPANISH = re.compile(r"\b(suelo|hacia (dentro|fuera)|encimera|esterilla|móvil|coger|sujet\w*|ordenador|"
                            r"vale|vosotros|(?<!fisio)terapeuta|terapeuta físico|prótesis|solape)\b", re.I)
# "Párese" and "pararse" mean "stand up" in the Americas, but "parar" is also "stop" ("Pare si:"):
# a sheet that says both makes a reader guess, so standing is "de pie" / "ponerse de pie".
STAND_OR_STOP = re.compile(r"\b(p[aá]rese|pararse|se para|p[aá]rate)\b", re.I)


def test_card_labels_read_as_spanish_sentences():
    from handout.model.i18n import translations

    _ = translations("es").gettext
    assert (_("Watch out:"), _("Stop if:"), _("Key point:"), _("Start:")) == ("Evite:", "Pare si:", "Recuerde:",
                                                                              "Para empezar:")
    for eid, e in SPANISH.exercises.items():
        assert [m for m in e.mistakes if not INFINITIVE.match(m)] == [], eid
        assert [s for s in e.stop_if if not STOP_CLAUSE.match(s)] == [], eid
    stops = SPANISH.safety.stop_rules  # under "Pare el ejercicio si:"
    assert [s for s in stops if not re.match(r"(siente|el|un|la|con)\b", s)] == []


def test_the_label_patterns_catch_a_noun_phrase():
    assert not INFINITIVE.match("La cadera se levanta o rueda.") and INFINITIVE.match("Levantar la cadera.")
    assert not STOP_CLAUSE.match("Dolor punzante en la rodilla.") and STOP_CLAUSE.match("Siente un dolor punzante.")


def test_one_variety_us_spanish_in_content_and_catalog():
    from babel.messages.pofile import read_po
    from handout.model.i18n import catalog_path

    with catalog_path("es").open("rb") as po:
        catalog = [m.string for m in read_po(po, locale="es") if m.id]
    texts = list(PRINTED.items()) + [(f"catalog[{n}]", " ".join(s) if isinstance(s, tuple) else s)
                                     for n, s in enumerate(catalog)]
    found = {k: NOT_US_SPANISH.search(v).group(0) for k, v in texts if NOT_US_SPANISH.search(v)}
    assert found == {}
    assert {k: v for k, v in texts if STAND_OR_STOP.search(v)} == {}
    assert STAND_OR_STOP.search("Párese junto a un mostrador.")
    assert NOT_US_SPANISH.search("Apoye los pies en el suelo, hacia fuera.")
    assert sum("fisioterapeuta" in v for _, v in texts) >= 5
