"""A dose in plain words: "2 sets of 10 · hold 5 seconds · twice a day · each leg".

Every phrase goes through the language's gettext catalog (``i18n.translations``), with
plurals by ``ngettext``, so Spanish reads "2 series de 10 · mantenga 5 segundos · 2 veces
al día · cada pierna" and a new language needs only its catalog. The English strings here
are the catalog's source strings (``pybabel extract`` finds them).
"""

from __future__ import annotations

from .content import Dose
from .i18n import translations

SEPARATOR = " · "


def _side(t, side: str, standing: bool) -> str:
    if standing and side in ("left", "right"):  # a balance move's side is the leg stood on
        return t.gettext("standing on your left leg") if side == "left" else t.gettext("standing on your right leg")
    return {
        "each": t.gettext("each leg"),
        "each-way": t.gettext("each way"),
        "left": t.gettext("left leg only"),
        "right": t.gettext("right leg only"),
        "both": t.gettext("both legs together"),
        "alternating": t.gettext("switch legs each time"),
    }[side]


def duration(seconds: int, language: str = "en") -> str:
    t = translations(language)
    if seconds >= 60 and seconds % 60 == 0:
        n = seconds // 60
        return t.ngettext("{n} minute", "{n} minutes", n).format(n=n)
    return t.ngettext("{n} second", "{n} seconds", seconds).format(n=seconds)


def _per_day(t, n: int) -> str:
    if n == 1:
        return t.gettext("once a day")
    if n == 2:
        return t.gettext("twice a day")
    return t.ngettext("{n} time a day", "{n} times a day", n).format(n=n)


def dose_parts(dose: Dose, language: str = "en", standing: bool = False) -> list[str]:
    """The dose as short phrases, in the order a patient needs them (``standing``: a move done
    standing on the working leg, whose one side is said as the leg to stand on)."""
    t = translations(language)
    parts = []
    if dose.sets and dose.reps:
        parts.append(t.ngettext("{n} set of {reps}", "{n} sets of {reps}", dose.sets).format(n=dose.sets,
                                                                                           reps=dose.reps))
    elif dose.reps:
        parts.append(t.ngettext("{n} time", "{n} times", dose.reps).format(n=dose.reps))
    elif dose.sets:
        parts.append(t.ngettext("{n} set", "{n} sets", dose.sets).format(n=dose.sets))
    if dose.hold_seconds:
        parts.append(t.gettext("hold {duration}").format(duration=duration(dose.hold_seconds, language)))
    if dose.rest_seconds:
        parts.append(t.gettext("rest {duration}").format(duration=duration(dose.rest_seconds, language)))
    if dose.per_day:
        parts.append(_per_day(t, dose.per_day))
    if dose.days_per_week:
        if dose.days_per_week == 7:
            if not dose.per_day:
                parts.append(t.gettext("every day"))
        else:
            n = dose.days_per_week
            parts.append(t.ngettext("{n} day a week", "{n} days a week", n).format(n=n))
    if dose.side:
        parts.append(_side(t, dose.side, standing))
    if dose.load:
        parts.append(dose.load)
    if dose.tempo:
        parts.append(dose.tempo)
    return parts


def dose_text(dose: Dose, language: str = "en", standing: bool = False) -> str:
    return SEPARATOR.join(dose_parts(dose, language, standing))
