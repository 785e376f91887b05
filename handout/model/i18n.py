"""Languages: the gettext catalog of each, and dates in its words (Babel's, ``dates.py``).

A language is English (the source strings, no catalog) or one with a catalog at
``handout/locale/<lang>/LC_MESSAGES/messages.po``. The ``.po`` is compiled when first
needed, once per process (Babel's reader and writer, a few milliseconds), not at build
time: the ``.po`` is the one file a translator edits, so there is no ``.mo`` to forget to
rebuild, keep in git or teach the wheel build about. A string the catalog lacks (or marks
fuzzy) is an error naming the catalog and the string, never English on a Spanish page.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

from ..errors import ContentError, Issue

SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
CATALOG = Path("LC_MESSAGES") / "messages.po"
NAMES = {"en": "English", "es": "Spanish"}  # used in messages; Babel knows the rest
# How a date is written in running text; a language not listed takes Babel's "long" format
# ("3 de diciembre de 2026"). English keeps "3 December 2026".
DATE_PATTERNS = {"en": "d MMMM y"}
LOG_DAY_PATTERN = "EEE d MMM"  # "Thu 3 Dec", "jue 3 dic"
LOG_DAY_PATTERN_SHORT = "EEE d"  # large print: "Thu 3", "jue 3"


def languages() -> tuple[str, ...]:
    """English, then every language with a catalog, in alphabetical order."""
    found = sorted(p.name for p in LOCALE_DIR.iterdir() if (p / CATALOG).is_file()) if LOCALE_DIR.is_dir() else []
    return (SOURCE_LANGUAGE, *(lang for lang in found if lang != SOURCE_LANGUAGE))


def language_name(lang: str) -> str:
    if lang in NAMES:
        return NAMES[lang]
    from babel import Locale

    return Locale.parse(lang).english_name


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / CATALOG


class StrictTranslations(gettext.GNUTranslations):
    """A catalog that refuses a string it does not hold, instead of printing the English."""

    path = ""
    lang = ""

    def _missing(self, message: str):
        return ContentError([Issue(self.path, None, f'msgid "{message[:80]}"',
                                   f"has no {language_name(self.lang)} translation; add it to the catalog")])

    def gettext(self, message: str) -> str:
        found = self._catalog.get(message)
        if found is None:
            raise self._missing(message)
        return found

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        try:
            return self._catalog[(msgid1, self.plural(n))]
        except KeyError:
            raise self._missing(msgid1) from None

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(f"{context}\x04{message}")

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(f"{context}\x04{msgid1}", msgid2, n)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The gettext translations for ``lang``: none for English, else its compiled catalog."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = catalog_path(lang)
    if not path.is_file():
        raise ContentError([Issue(str(path), None, "", f"no catalog for the language \"{lang}\"")])
    strict = _compiled(path, lang)
    strict.path, strict.lang = str(path), lang
    return strict


def _compiled(path: Path, lang: str) -> StrictTranslations:
    """The catalog at ``path`` compiled, from the disk cache (``handout.disk``: the ``.mo``
    bytes) when an earlier process compiled the same ``.po`` with the same Babel; only a
    catalog that compiled is kept, so a bad one is reported as before, and a kept file that
    does not read is compiled again."""
    from importlib.util import find_spec

    from ..disk import DISK, fingerprint

    key = None
    if DISK.enabled:
        babel = find_spec("babel")  # its version, without importing it
        key = fingerprint(__file__, *([babel.origin] if babel and babel.origin else []),
                          extra=f"catalog {lang}") + path.read_bytes()
        kept = DISK.load("catalog", key)
        if kept is not None:
            try:
                return StrictTranslations(io.BytesIO(kept))
            except Exception:  # noqa: BLE001 (a damaged file is work to do again, not an error)
                pass
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise ContentError([Issue(str(path), line, "", f"not a valid catalog: {exc}")]) from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    if key is not None:
        DISK.store("catalog", key, compiled.getvalue())
    compiled.seek(0)
    return StrictTranslations(compiled)


def catalog_issues(lang: str) -> list[Issue]:
    """Every entry of ``lang``'s catalog that is empty or fuzzy (each would fail a build)."""
    if lang == SOURCE_LANGUAGE:
        return []
    from babel.messages.pofile import read_po

    path = catalog_path(lang)
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    issues = []
    for message in catalog:
        if not message.id:
            continue
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        first = message.id[0] if isinstance(message.id, tuple) else message.id
        line = message.lineno if message.lineno else None
        if message.fuzzy:
            issues.append(Issue(str(path), line, f'msgid "{first[:60]}"', "is marked fuzzy; check and unmark it"))
        elif not all(texts):
            issues.append(Issue(str(path), line, f'msgid "{first[:60]}"', f"has no {language_name(lang)} translation"))
    return issues


def format_date(day: dt.date, lang: str) -> str:
    """A date in running text: "3 December 2026", "3 de diciembre de 2026" (Babel's words,
    kept on disk: ``dates.py``)."""
    from .dates import format_day

    return format_day(day, DATE_PATTERNS.get(lang, "long"), lang)


def log_day(day: dt.date, lang: str, short: bool = False) -> str:
    """A day of the tick-off log: "Thu 3 Dec" ("Thu 3" when ``short``), "jue 3 dic"."""
    from .dates import format_day

    return format_day(day, LOG_DAY_PATTERN_SHORT if short else LOG_DAY_PATTERN, lang)
