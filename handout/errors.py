"""Every error handout raises, each knowing where it comes from.

    HandoutError                 base; ``str()`` is the one message a user sees
    ├── ContentError             content files (YAML, Markdown, rosters): one or more ``Issue``s
    ├── RequestError             a request that cannot be met (unknown id, bad option value)
    ├── TemplateError            a Jinja2 template failed to load, compile or render
    ├── MarkupError              the rendered markup breaks the tag table
    ├── UnsupportedCharacterError  text the bundled font cannot draw
    ├── FigureError              a figure or image that cannot be drawn
    ├── LayoutError              content that cannot fit the page
    └── OutputError              a file could not be written (disk full, read-only, unsafe path)

The API raises these; only the CLI (``handout/cli/``) turns them into exit code 1. Every
class pickles (``__reduce__``), because errors cross the batch's process pool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Control characters (C0 but the line break, DEL, C1), and invisible formatting characters
# that hide or reorder text (soft hyphen, zero-width and direction marks, BOM).
_HIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                     "\u2060-\u206f\ufeff\ufff9-\ufffb]")


def quiet_library_logs() -> None:
    """Keep libraries' own log lines (svglib's "Can't handle color: ...") off the terminal: a
    problem they meet reaches the user as our one message, or not at all."""
    import logging

    for name in ("svglib",):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def visible(text: str) -> str:
    """``text`` with control, escape and invisible characters written out (``\\x1b``, ``\\u202e``).

    Every message that may repeat what a user typed or a file held goes through here, so it
    can neither drive a terminal (an OSC 0 sequence retitles it, OSC 52 writes the clipboard,
    a NUL cuts the line) nor hide or reorder what it says. Line breaks stay.
    """
    return _HIDDEN.sub(lambda m: ascii(m.group())[1:-1], text) if _HIDDEN.search(text) else text


@dataclass(frozen=True)
class Issue:
    """One problem at one place: ``file:line: field: message``."""

    file: str = ""
    line: int | None = None
    field: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [p for p in (where, self.field) if p]
        return visible(": ".join(parts + [self.message]))


class HandoutError(Exception):
    """Base of all handout errors; the message is complete and readable on its own."""

    def __init__(self, message: str):
        message = visible(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):
        return (self.__class__, (self.message,))


class ContentError(HandoutError):
    """Raised when content files (exercises, programs, article, rosters) do not validate.

    Holds every issue found, so a user fixes a file in one pass.
    """

    def __init__(self, issues: list[Issue] | tuple[Issue, ...] | str):
        if isinstance(issues, str):
            issues = [Issue(message=issues)]
        self.issues = tuple(issues)
        count = len(self.issues)
        head = "1 problem" if count == 1 else f"{count} problems"
        body = "\n".join(f"  {i}" for i in self.issues)
        super().__init__(f"{head} in the content:\n{body}" if count > 1 else str(self.issues[0]))

    def __reduce__(self):
        return (self.__class__, (list(self.issues),))


class RequestError(HandoutError):
    """Raised when a request names something that does not exist or a value out of range."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)
        self.raw = visible(message)

    def __reduce__(self):
        return (self.__class__, (self.raw, self.field))


class TemplateError(HandoutError):
    """Raised when a template cannot be found, compiled or rendered; names template and line."""

    def __init__(self, message: str, template: str = "", line: int | None = None):
        self.template = template
        self.line = line
        self.raw = message
        super().__init__(str(Issue(file=template, line=line, message=message)))

    def __reduce__(self):
        return (self.__class__, (self.raw, self.template, self.line))


class MarkupError(HandoutError):
    """Raised when rendered markup uses an unknown tag, attribute or bad value.

    ``line`` is the line in the rendered markup (see ``handout markup``).
    """

    def __init__(self, message: str, template: str = "", line: int | None = None):
        self.template = template
        self.line = line
        self.raw = message
        where = f"{template} (rendered markup)" if template else "rendered markup"
        super().__init__(str(Issue(file=where, line=line, message=message)))

    def __reduce__(self):
        return (self.__class__, (self.raw, self.template, self.line))


class UnsupportedCharacterError(HandoutError):
    """Raised when text holds a character the bundled font cannot draw (never an empty box)."""

    def __init__(self, field: str, char: str, text: str = ""):
        self.field = field
        self.char = char
        self.text = text
        code = f"U+{ord(char):04X}"
        super().__init__(
            f"{field}: the character {char!r} ({code}) cannot be printed with the bundled font; "
            "remove it or replace it with a letter, digit or common symbol"
        )

    def __reduce__(self):
        return (self.__class__, (self.field, self.char, self.text))


class FigureError(HandoutError):
    """Raised when an exercise figure or image cannot be drawn; names the exercise."""


class LayoutError(HandoutError):
    """Raised when content cannot fit its page (a poster too full, a card too tall)."""


class OutputError(HandoutError):
    """Raised when output cannot be written safely: disk full, read-only folder, unsafe path."""


__all__ = [
    "visible",
    "Issue",
    "HandoutError",
    "ContentError",
    "RequestError",
    "TemplateError",
    "MarkupError",
    "UnsupportedCharacterError",
    "FigureError",
    "LayoutError",
    "OutputError",
]
