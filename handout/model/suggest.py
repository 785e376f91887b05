"""Close-match suggestions for names a user mistyped."""

from __future__ import annotations

from collections.abc import Iterable


def close_matches(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    import difflib  # only when a name is mistyped: a build never needs it

    return difflib.get_close_matches(word, sorted(choices), n=n, cutoff=0.5)


def unknown_message(kind: str, word: str, choices: Iterable[str]) -> str:
    """'unknown exercise "sated-ir"; did you mean seated-ir?' (or the list of choices)."""
    choices = list(choices)
    matches = close_matches(word, choices)
    if matches:
        hint = "did you mean " + " or ".join(matches) + "?"
    else:
        shown = ", ".join(sorted(choices)[:12])
        hint = f"choose from: {shown}" + (", ..." if len(choices) > 12 else "")
    return f'unknown {kind} "{word}"; {hint}'
