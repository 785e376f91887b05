"""Limits on what a template may compute: loop steps, time, and the size of any value it builds.

Jinja2's sandbox keeps a template away from Python internals, but not from looping for
ever or building a string of a billion characters. Here every loop iteration, call and
filter counts against a budget for one render (steps and seconds), and every operation
that can grow a value (``*``, ``**``, ``%``, ``+``, ``~``, captured blocks and macros,
widening filters and string methods) checks the size it would make before making it.
``environment.py`` wires these into the sandbox; a breach raises ``LimitError``.
"""

from __future__ import annotations

import functools
import re
import string
import time
from contextlib import contextmanager
from contextvars import ContextVar

from jinja2 import filters, nodes
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SecurityError
from jinja2.utils import generate_lorem_ipsum, pass_environment, pass_eval_context
from jinja2.visitor import NodeTransformer
from markupsafe import soft_str

MAX_VALUE_CHARS = 1_000_000  # any one string, list or captured block a template builds
MAX_LOOP_STEPS = 1_000_000  # loop iterations, calls and filters in one render
TIME_BUDGET_S = 10.0  # wall time of one render
MAX_INT_BITS = 65_536  # numbers a template computes (2**65536 has ~20,000 digits)
MAX_COUNT = 10_000  # counts given to filters (slice) and lorem ipsum
MAX_JSON_INDENT = 16

LOOP_FILTER = "handout_guarded_loop"
CONCAT_FILTER = "handout_guarded_concat"
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


class LimitError(SecurityError):
    """A template went over one of the limits above."""


class Budget:
    """Steps and seconds left for one render."""

    def __init__(self, steps: int, seconds: float):
        self.steps, self.seconds = steps, seconds
        self.steps_left = steps
        self.deadline = time.perf_counter() + seconds
        self.grown: dict[int, tuple[object, int]] = {}  # containers grown in place: their weight so far

    def step(self) -> None:
        self.steps_left -= 1
        if self.steps_left < 0:
            raise LimitError(f"more than {self.steps:,} loop steps, calls and filters; check for a runaway loop")
        if time.perf_counter() > self.deadline:
            raise LimitError(f"took longer than {self.seconds:g} seconds; check for a runaway loop")


_BUDGET: ContextVar[Budget | None] = ContextVar("handout_template_budget", default=None)


@contextmanager
def budget(steps: int | None = None, seconds: float | None = None):
    """Run one render under a fresh budget (per thread and per task, via a ContextVar)."""
    token = _BUDGET.set(Budget(MAX_LOOP_STEPS if steps is None else steps,
                               TIME_BUDGET_S if seconds is None else seconds))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def step() -> None:
    current = _BUDGET.get()
    if current is not None:
        current.step()


def need(size: int, what: str) -> None:
    """Refuse before building a value of ``size`` characters or items."""
    if size > MAX_VALUE_CHARS:
        raise LimitError(f"{what} would make {size:,} characters or items (the limit is {MAX_VALUE_CHARS:,})")


def weight(value, cap: int = MAX_VALUE_CHARS) -> int:
    """About how many characters ``value`` prints as (items, nesting, digits); counting stops past ``cap``.

    A list's length says nothing of its printed size (``[s] * 1000`` with ``s`` a million
    characters long), so sizes that will be printed or repeated are weighed, item by item,
    but never further than just past the limit.
    """
    total, stack = 0, [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, (str, bytes)):
            total += len(item) + 1
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, (list, tuple, set, frozenset, dict)):
            total += len(item) + 2
            if total <= cap:
                stack.extend(item.items() if isinstance(item, dict) else item)
        else:
            total += 1
    return total


def need_weight(value, what: str):
    """``value`` itself, if it prints within the size limit."""
    if not isinstance(value, str):
        need(weight(value), what)
    return value


def printed(value):
    """Jinja's ``finalize``: every ``{{ value }}`` is weighed before it is turned into text."""
    return need_weight(value, "printing a value")


def check_size(value, what: str = "a value"):
    """``value`` itself, if it is within the size limit."""
    if isinstance(value, _SIZED):
        need(len(value), what)
    return value


def _whole(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- operators -------------------------------------------------------------------------

INTERCEPTED_BINOPS = frozenset({"*", "**", "%", "+"})
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def check_percent_format(fmt, args) -> None:
    """``fmt % args`` must not ask for a field wider than the limit."""
    if not isinstance(fmt, (str, bytes)):
        return
    text = fmt.decode("latin-1") if isinstance(fmt, bytes) else fmt
    values = args if isinstance(args, tuple) else (args,)
    for width, precision in _PERCENT_SPEC.findall(text):
        for part in (width, precision):
            if part == "*":
                for value in values:
                    if _whole(value) is not None:
                        need(abs(value), "a '*' width in a % format")
            elif part:
                need(int(part), "a width in a % format")


def check_brace_format(fmt: str, args, kwargs) -> None:
    """``fmt.format(...)`` must not ask for a field wider than the limit."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format will raise its own error
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            for value in list(args) + list(kwargs.values()):
                if _whole(value) is not None:
                    need(abs(value), "a nested width in a format string")
        for digits in _DIGITS.findall(spec):
            need(int(digits), "a width in a format string")


def check_binop(operator: str, left, right) -> None:
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes)) and _whole(times) is not None:
                need(len(seq) * max(times, 0), "repeating a value with *")
            elif isinstance(seq, (list, tuple)) and _whole(times) is not None:
                need(weight(seq) * max(times, 0), "repeating a value with *")
        if _whole(left) is not None and _whole(right) is not None:
            if left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise LimitError(f"a number larger than {MAX_INT_BITS:,} bits")
    elif operator == "**":
        if _whole(left) is not None and _whole(right) is not None and right > 0 and abs(left) > 1:
            if left.bit_length() * right > MAX_INT_BITS:
                raise LimitError(f"a number larger than {MAX_INT_BITS:,} bits")
    elif operator == "%":
        check_percent_format(left, right)
        if isinstance(left, (str, bytes)):
            need(len(left) + weight(right), "a % format")
    elif operator == "+":
        if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
            need(len(left) + len(right), "adding values with +")
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            need(weight(left) + weight(right), "adding lists with +")


# -- calls: methods of strings and lists ------------------------------------------------


def _replace_size(text, old, new, count=-1) -> int:
    hits = text.count(old) if len(old) else len(text) + 1
    if _whole(count) is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(len(new) - len(old), 0)


def check_call(obj, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """Check a call of a method that can widen a string or list; return the arguments to use."""
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if isinstance(owner, (str, bytes)):
        if name in ("center", "ljust", "rjust", "zfill") and args and _whole(args[0]) is not None:
            need(args[0], f"{name}()")
        elif name == "expandtabs":
            tab = args[0] if args else kwargs.get("tabsize", 8)
            if _whole(tab) is not None:
                need(len(owner) + owner.count("\t" if isinstance(owner, str) else b"\t") * max(tab, 0),
                     "expandtabs()")
        elif name == "replace" and len(args) >= 2:
            try:
                need(_replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1), "replace()")
            except TypeError:
                pass  # the call itself will raise a clearer error
        elif name == "join" and args:
            items = list(args[0])
            if all(isinstance(i, (str, bytes)) for i in items):
                need(sum(map(len, items)) + len(owner) * max(len(items) - 1, 0), "join()")
            args = (items,) + args[1:]
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((len(v) for v in args[0].values() if isinstance(v, (str, bytes))), default=1)
            need(len(owner) * longest, "translate()")
        elif name in ("format", "format_map") and isinstance(owner, str):
            mapping = args[0] if name == "format_map" and args else kwargs
            check_brace_format(owner, args, mapping if isinstance(mapping, dict) else {})
            need(len(owner) + weight(args) + weight(kwargs), f"{name}()")
    elif isinstance(owner, (list, dict, set)) and name in _GROWERS:
        args = _check_growth(owner, name, args, kwargs)
    return args, kwargs


_GROWERS = frozenset({"append", "insert", "extend", "__iadd__", "add", "update", "setdefault"})


def _check_growth(owner, name: str, args: tuple, kwargs: dict) -> tuple:
    """Growing a list, dict or set in place: its length and printed weight checked before it grows.

    The weight so far is remembered per render, so a loop of ``append`` stays linear.
    """
    if name in ("extend", "update", "__iadd__") and args:
        items = args[0] if isinstance(args[0], _SIZED) else list(args[0])
        args = (items,) + args[1:]
        count, added = len(items) + len(kwargs), weight(items) + weight(kwargs)
    else:
        count, added = 1, weight(args) + weight(kwargs)
    need(len(owner) + count, f"{name}()")
    current = _BUDGET.get()
    known = current.grown.get(id(owner)) if current is not None else None
    total = (known[1] if known is not None and known[0] is owner else weight(owner)) + added
    need(total, f"{name}()")
    if current is not None:
        current.grown[id(owner)] = (owner, total)
    return args


# -- filters ---------------------------------------------------------------------------


def _pre_center(value, width=80, *a, **k):
    if _whole(width) is not None:
        need(width, "center")


def _pre_indent(s, width=4, *a, **k):
    lines = str(s).count("\n") + 1
    w = len(width) if isinstance(width, str) else (_whole(width) or 0)
    need(len(str(s)) + lines * w, "indent")


def _pre_replace(s, old, new, count=None):
    need(_replace_size(str(s), str(old), str(new), -1 if count is None else count), "replace")


def _pre_wordwrap(s, width=79, break_long_words=True, wrapstring=None, *a, **k):
    text = str(s)
    lines = len(text) // max(_whole(width) or 1, 1) + text.count("\n") + 1
    need(len(text) + lines * len(wrapstring or "\n"), "wordwrap")


def _pre_batch(value, linecount, fill_with=None):
    if fill_with is not None and _whole(linecount) is not None:
        need(linecount, "batch")


def _pre_slice(value, slices, fill_with=None):
    if _whole(slices) is not None and slices > MAX_COUNT:
        raise LimitError(f"slice into more than {MAX_COUNT:,} parts")


def _pre_tojson(value, indent=None):
    if _whole(indent) is not None and indent > MAX_JSON_INDENT:
        raise LimitError(f"tojson indent larger than {MAX_JSON_INDENT}")


def _pre_format(value, *args, **kwargs):
    check_percent_format(value, args or kwargs)


_PRECHECKS = {
    "center": _pre_center, "indent": _pre_indent, "replace": _pre_replace, "wordwrap": _pre_wordwrap,
    "batch": _pre_batch, "slice": _pre_slice, "tojson": _pre_tojson, "format": _pre_format,
}


@pass_eval_context
def _join(eval_ctx, value, d="", attribute=None):
    """The ``join`` filter, refusing a result over the limit before building it."""
    if attribute is not None:
        value = map(filters.make_attrgetter(eval_ctx.environment, attribute), value)
    items = list(value)
    need(weight(items) + len(soft_str(d)) * max(len(items) - 1, 0), "join")
    return filters.sync_do_join(eval_ctx, items, d)


@pass_environment
def _sum(environment, iterable, attribute=None, start=0):
    """The ``sum`` filter; adding lists is linear here (Python's sum is quadratic for them)."""
    if not isinstance(start, (list, tuple)):
        return filters.sync_do_sum(environment, iterable, attribute, start)
    if attribute is not None:
        iterable = map(filters.make_attrgetter(environment, attribute), iterable)
    total = list(start)
    for item in iterable:
        step()
        total.extend(item)
        need(len(total), "sum")
    return type(start)(total)


# Filters that turn their value into text: a list is weighed before it is printed.
_PRINTING = frozenset({"string", "e", "escape", "forceescape", "pprint", "tojson", "format", "urlencode",
                       "xmlattr", "center", "indent", "wordwrap", "truncate", "title", "upper", "lower",
                       "capitalize", "trim", "striptags", "replace", "safe", "urlize", "wordcount"})


def _guard(fn, precheck=None, printing: bool = False):
    skip = 1 if hasattr(fn, "jinja_pass_arg") else 0

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        step()
        if printing and len(args) > skip:
            need_weight(args[skip], f"the {fn.__name__} filter")
        if precheck is not None:
            precheck(*args[skip:], **kwargs)
        return check_size(fn(*args, **kwargs))

    return guarded


def guarded_filters(existing: dict) -> dict:
    """Every filter counted against the budget, its result size-checked, widening ones pre-checked."""
    table = dict(existing)
    table["join"] = _join
    table["sum"] = _sum
    out = {name: _guard(fn, _PRECHECKS.get(name), name in _PRINTING) for name, fn in table.items()}
    out[LOOP_FILTER] = guarded_loop
    out[CONCAT_FILTER] = guarded_concat
    return out


def capped_range(*args) -> range:
    """range(), at most MAX_COUNT long."""
    r = range(*args)
    if len(r) > MAX_COUNT:
        raise LimitError(f"range() longer than {MAX_COUNT:,}")
    return r


def capped_lipsum(n=5, html=True, min=20, max=100):
    """Lorem ipsum for drafts, small enough to be harmless."""
    for value in (n, min, max):
        if _whole(value) is not None and value > 1_000:
            raise LimitError("lipsum() counts above 1,000")
    return generate_lorem_ipsum(n, html, min, max)


# -- the template tree: loops, ~ and captured blocks ------------------------------------


def guarded_loop(iterable):
    """What every ``{% for %}`` iterates: the same items, each counted against the budget."""
    step()
    for item in iterable:
        step()
        yield item


@pass_eval_context
def guarded_concat(eval_ctx, parts):
    """``a ~ b ~ c``, refused before building a string over the limit."""
    need(weight(parts), "joining text with ~")
    texts = [soft_str(p) for p in parts]
    return check_size(markup_join(texts) if eval_ctx.autoescape else str_join(texts))


def guarded_buffer_concat(parts) -> str:
    """Joins the output captured by ``{% set %}`` blocks, macros and ``{% filter %}`` blocks."""
    if not isinstance(parts, list):
        parts = list(parts)
    need(sum(len(p) for p in parts), "a captured block")
    return "".join(parts)


class GuardTransformer(NodeTransformer):
    """Rewrite a parsed template so each loop and each ``~`` goes through the guards above."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, LOOP_FILTER, [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        parts = nodes.List(list(node.nodes), lineno=node.lineno)
        return nodes.Filter(parts, CONCAT_FILTER, [], [], None, None, lineno=node.lineno)
