"""A user's template (``--templates DIR``) cannot reach Python internals, the environment or
files outside the template folders, and cannot run for ever or fill memory.

Each attempt is tried as the whole document (``handout.xml.j2``) and as one partial
(``partials/intro.xml.j2``). Each must be a clear error: exit 1, one message naming the
template, no traceback unless ``--debug``, no PDF, and nothing of what it reached for in
any output.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import jinja2
import pytest
from click.testing import CliRunner

from handout.cli import cli
from handout.errors import TemplateError
from handout.markup import limits
from handout.markup.environment import render_template

SECRET = "s3cret-from-the-environment-7f1c"
# Text that must never show up: file contents, Python internals, the environment.
NEVER = (SECRET, "root:x:", "root:", "__builtins__", "<module", "<class", "<built-in", "os.environ", "<Context ")
WHOLE = "handout.xml.j2"
PARTIAL = "partials/intro.xml.j2"

ESCAPES = [
    ("mro", "{{ ''.__class__.__mro__ }}", "not allowed"),
    ("subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
    ("template-reference-context", "{{ self._TemplateReference__context }}", "not allowed"),
    ("self-init-globals", "{{ self.__init__.__globals__ }}", "not allowed"),
    ("include-absolute", "{% include '/etc/passwd' %}", "template not found: /etc/passwd"),
    ("include-dotdot", "{% include '../../etc/passwd' %}", "template not found: ../../etc/passwd"),
    ("include-deep-dotdot", "{% include 'partials/../../../../../../etc/passwd' %}", "template not found"),
    ("extends-absolute", "{% extends '/etc/passwd' %}", "template not found"),
    ("import-dotdot", "{% import '../secrets.j2' as s %}", "template not found"),
    ("from-import-absolute", "{% from '/etc/passwd' import root %}", "template not found"),
    ("cycler-globals", "{{ cycler.__init__.__globals__ }}", "not allowed"),
    ("joiner-globals-os", "{{ joiner.__init__.__globals__.os.environ }}", "not allowed"),
    ("lipsum-globals", "{{ lipsum.__globals__ }}", "not allowed"),
    ("lipsum-code", "{{ lipsum.__code__ }}", "not allowed"),
    ("namespace-init", "{{ namespace.__init__ }}", "not allowed"),
    ("range-self", "{{ range.__self__ }}", "undefined value"),
    ("dict-mro", "{{ dict.mro() }}", "not allowed"),
    ("method-self", "{{ clinic.items.__self__ }}", "not allowed"),
    ("format-attribute", "{{ '{0.__class__}'.format(1) }}", "not allowed"),
    ("format-globals", "{{ '{0.__globals__}'.format(lipsum) }}", "not allowed"),
    ("format-map", "{{ '{a.__class__.__base__}'.format_map({'a': 1}) }}", "not allowed"),
    ("percent-format", "{{ '%s' % ''.__class__ }}", "not allowed"),
    ("attr-filter", "{{ ''|attr('__class__') }}", "not allowed"),
    ("getitem-dunder", "{{ ''['__class__'] }}", "not allowed"),
    ("map-attribute", "{{ [''] | map(attribute='__class__') | list }}", "not allowed"),
    ("config", "{{ config }}", "undefined value: 'config' is undefined"),
    ("config-items", "{{ config.items() }}", "undefined value"),
    ("request", "{{ request }}", "undefined value: 'request' is undefined"),
    ("request-environ", "{{ request.environ }}", "undefined value"),
    ("environment", "{{ environment }}", "undefined value"),
    ("os-environ", "{{ os.environ }}", "undefined value"),
    ("context", "{{ context }}", "undefined value"),
    ("loop-over-subclasses", "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}", "not allowed"),
]


def _secret_env(monkeypatch):
    monkeypatch.setenv("HANDOUT_SANDBOX_SECRET", SECRET)


def _template_folder(tmp_path: Path, where: str, body: str) -> Path:
    folder = tmp_path / "tpl"
    path = folder / where
    path.parent.mkdir(parents=True, exist_ok=True)
    if where == WHOLE:
        path.write_text(f"<document title='x'>\n{body}\n</document>\n", encoding="utf-8")
    else:
        path.write_text(f"<h1>{{{{ title }}}}</h1>\n{body}\n", encoding="utf-8")
    return folder


def _run(folder: Path, out: Path, *extra: str):
    return CliRunner().invoke(cli, [*extra, "build", "--program", "ir-desk-break", "--article", "none",
                                    "--log-weeks", "0", "--templates", str(folder), "--out", str(out)])


def _assert_nothing_leaked(*texts: str) -> None:
    for text in texts:
        for secret in NEVER:
            assert secret not in text, f"{secret!r} leaked into: {text[:300]}"


@pytest.mark.parametrize("where", [WHOLE, PARTIAL])
@pytest.mark.parametrize("name, body, reason", ESCAPES, ids=[e[0] for e in ESCAPES])
def test_an_escape_attempt_is_a_clear_error(name, body, reason, where, tmp_path, monkeypatch):
    _secret_env(monkeypatch)
    folder = _template_folder(tmp_path, where, body)
    out = tmp_path / "out" / "x.pdf"
    result = _run(folder, out)
    assert result.exit_code == 1, result.stderr + result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert reason in result.stderr
    named = str(folder / where) if "not found" not in reason else "handout.xml.j2"
    assert named in result.stderr or where in result.stderr, result.stderr
    assert not out.parent.exists() or list(out.parent.iterdir()) == []
    markup = CliRunner().invoke(cli, ["markup", "--program", "ir-desk-break", "--templates", str(folder)])
    assert markup.exit_code == 1 and markup.stdout == ""
    _assert_nothing_leaked(result.stdout, result.stderr, markup.stdout, markup.stderr)


def test_debug_shows_the_template_error(tmp_path):
    folder = _template_folder(tmp_path, WHOLE, "{{ ''.__class__.__mro__ }}")
    result = _run(folder, tmp_path / "x.pdf", "--debug")
    assert result.exit_code == 1
    assert isinstance(result.exception, TemplateError) and "not allowed" in str(result.exception)


@pytest.mark.parametrize("where", [WHOLE, PARTIAL])
def test_a_template_linked_to_a_file_outside_is_refused(where, tmp_path):
    folder = tmp_path / "tpl"
    (folder / "partials").mkdir(parents=True)
    outside = tmp_path / "outside.xml.j2"
    outside.write_text(f"<document title='{SECRET}'/>\n", encoding="utf-8")
    (folder / where).symlink_to(outside)
    result = _run(folder, tmp_path / "out" / "x.pdf")
    assert result.exit_code == 1, result.stderr
    assert "is a link to a file outside the template folders" in result.stderr
    _assert_nothing_leaked(result.stdout, result.stderr)
    assert not (tmp_path / "out").exists()


def test_an_include_through_a_linked_folder_is_refused(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "s.j2").write_text(SECRET, encoding="utf-8")
    (folder / "shared").symlink_to(tmp_path / "secrets")
    (folder / WHOLE).write_text("<document title='x'>{% include 'shared/s.j2' %}</document>", encoding="utf-8")
    result = _run(folder, tmp_path / "x.pdf")
    assert result.exit_code == 1 and "outside the template folders" in result.stderr
    _assert_nothing_leaked(result.stdout, result.stderr)


# --- runaway templates: every one is stopped by a limit, with a clear error -------------------
# A loop is bounded by the step limit its message names; anything that grows a value must be
# refused before the value is built, so the run stays small in memory. The seconds these take
# are measured in benchmarks/checks.py, not asserted here.

RUNAWAYS = [
    ("nested-range-loops", "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
     "more than 1,000,000 loop steps"),
    ("triple-nested-loops", "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                            "{% endfor %}{% endfor %}{% endfor %}", "more than 1,000,000 loop steps"),
    ("loops-over-a-long-string", "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
     "loop steps"),
    ("range-too-long", "{% for i in range(100000000) %}{% endfor %}", "range() longer than 10,000"),
    ("recursive-macro", "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "could not finish (RecursionError)"),
    ("recursive-loop", "{% for i in range(10000) recursive %}{{ loop(range(10000)) }}{% endfor %}",
     "could not finish (RecursionError)"),
    ("self-include", "{% include 'handout.xml.j2' %}", "could not finish (RecursionError)"),
    ("string-times-billion", "{{ 'x' * 1000000000 }}", "repeating a value with * would make 1,000,000,000"),
    ("list-times-big", "{{ ([1] * 100000000)|length }}", "repeating a value with *"),
    ("power-tower", "{{ 10 ** 10000000 }}", "a number larger than 65,536 bits"),
    ("squaring-in-a-loop", "{% set ns = namespace(x=3) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}"
                           "{% endfor %}", "a number larger than"),
    ("doubling-with-tilde", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                            "{% endfor %}", "joining text with ~"),
    ("doubling-with-plus", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
                           "{% endfor %}", "adding values with +"),
    ("doubling-set-block", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set t %}{{ ns.s }}{{ ns.s }}"
                           "{% endset %}{% set ns.s = t %}{% endfor %}", "a captured block"),
    ("doubling-macro", "{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}{% set ns = namespace(s='x') %}"
                       "{% for i in range(40) %}{% set ns.s = d(ns.s) %}{% endfor %}", "a captured block"),
    ("doubling-filter-block", "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set t %}{% filter upper %}"
                              "{{ ns.s }}{{ ns.s }}{% endfilter %}{% endset %}{% set ns.s = t %}{% endfor %}",
     "a captured block"),
    ("list-extend-doubling", "{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) or '' }}{% endfor %}", "extend()"),
    ("percent-width", "{{ '%1000000000s' % 'x' }}", "a width in a % format"),
    ("percent-star-width", "{{ '%*s' % (1000000000, 'x') }}", "a '*' width in a % format"),
    ("format-filter-width", "{{ '%1000000000s'|format('x') }}", "a width in a % format"),
    ("format-method-width", "{{ '{:>1000000000}'.format('x') }}", "a width in a format string"),
    ("format-nested-width", "{{ '{:>{w}}'.format('x', w=1000000000) }}", "a nested width"),
    ("center-filter", "{{ 'x'|center(1000000000) }}", "center would make"),
    ("ljust-method", "{{ 'x'.ljust(1000000000) }}", "ljust() would make"),
    ("zfill-method", "{{ '1'.zfill(1000000000) }}", "zfill() would make"),
    ("expandtabs-method", "{{ ('\t' * 1000).expandtabs(1000000) }}", "expandtabs() would make"),
    ("indent-filter", "{{ ('x\n' * 10000)|indent(100000) }}", "indent would make"),
    ("replace-filter", "{{ ('x' * 10000)|replace('x', 'y' * 100000) }}", "replace would make"),
    ("replace-method", "{{ ('x' * 10000).replace('x', 'y' * 100000) }}", "replace() would make"),
    ("join-filter", "{{ range(10000)|join(' ' * 10000) }}", "join would make"),
    ("join-method", "{{ ('y' * 10000).join(['a'] * 10000) }}", "join() would make"),
    ("translate-method", "{{ ('x' * 10000).translate({120: 'y' * 10000}) }}", "translate() would make"),
    ("wordwrap-filter", "{{ ('x ' * 100000)|wordwrap(1, wrapstring='y' * 1000) }}", "wordwrap would make"),
    ("batch-fill", "{{ range(10)|batch(100000000, 'x')|list|length }}", "batch would make"),
    ("slice-many", "{{ range(10)|slice(100000000)|list|length }}", "slice into more than 10,000 parts"),
    ("tojson-indent", "{{ {'a': [1]}|tojson(indent=100000000) }}", "tojson indent larger than 16"),
    ("lipsum-huge", "{{ lipsum(100000, min=1000, max=1000) }}", "lipsum() counts above 1,000"),
    ("sum-of-lists", "{% set l = [range(400)|list] * 10000 %}{{ (l|sum(start=[]))|length }}", "would make"),
    ("output-too-large", "{% for i in range(10000) %}{{ 'x' * 900 }}{% endfor %}", "more than 4,000,000 characters"),
    # issue 19: a list's printed size, not its length, is what the budget weighs, before it is built
    ("list-of-a-big-string-times-million", "{% set s = 'x' * 1000000 %}{{ [s] * 1000000 }}",
     "repeating a value with * would make"),
    ("list-append-in-a-loop", "{% set s = 'x' * 100000 %}{% set l = [] %}{% for i in range(10000) %}"
                              "{{ l.append(s) or '' }}{% endfor %}{{ l }}", "append() would make"),
    ("list-insert-in-a-loop", "{% set s = 'x' * 100000 %}{% set l = [] %}{% for i in range(10000) %}"
                              "{{ l.insert(0, s) or '' }}{% endfor %}", "insert() would make"),
    ("dict-update-in-a-loop", "{% set s = 'x' * 100000 %}{% set d = {} %}{% for i in range(10000) %}"
                              "{{ d.update({i: s}) or '' }}{% endfor %}", "update() would make"),
    ("list-extend-in-a-loop", "{% set l = [] %}{% for i in range(10000) %}"
                              "{{ l.extend(['x' * 1000]) or '' }}{% endfor %}", "extend() would make"),
    ("printed-list-literal", "{% set s = 'x' * 600000 %}{{ [s, s] }}", "printing a value would make"),
    ("printed-inner-list-grown", "{% set s = 'x' * 600000 %}{% set a = [] %}{% set b = [a] %}"
                                 "{{ a.append(s) or '' }}{% set c = b + [s] %}{{ b }}", "would make"),
    ("tilde-of-a-list", "{% set s = 'x' * 600000 %}{{ 'a' ~ [s, s] }}", "joining text with ~ would make"),
    ("string-filter-of-a-list", "{% set s = 'x' * 600000 %}{{ [s, s]|string|length }}", "filter would make"),
    ("join-of-lists", "{% set s = 'x' * 600000 %}{{ [[s], [s]]|join|length }}", "join would make"),
    ("percent-of-a-list", "{% set s = 'x' * 600000 %}{{ ('%s' % ([s, s],))|length }}", "a % format would make"),
    ("format-of-a-list", "{% set s = 'x' * 600000 %}{{ '{}'.format([s, s])|length }}", "format() would make"),
    ("big-number-list", "{% set n = 10 ** 15000 %}{{ [n] * 200000 }}", "repeating a value with * would make"),
]
STEP_BOUNDED = ("loop steps", "RecursionError")  # stopped by counting; what they build is small anyway
MOST_MEMORY = 32_000_000  # bytes traced while refusing a value that would take hundreds of MB or more
# (sum-of-lists builds up to the 1,000,000-item limit, about 9 MB, before it is refused)


@pytest.mark.parametrize("name, body, reason", RUNAWAYS, ids=[r[0] for r in RUNAWAYS])
def test_a_runaway_template_is_stopped_by_a_limit_with_a_clear_error(name, body, reason, tmp_path):
    folder = _template_folder(tmp_path, WHOLE, body)
    measure = not any(bound in reason for bound in STEP_BOUNDED)
    if measure:
        tracemalloc.start()
    try:
        result = _run(folder, tmp_path / "out" / "x.pdf")
        peak = tracemalloc.get_traced_memory()[1] if measure else 0
    finally:
        tracemalloc.stop()
    assert result.exit_code == 1, result.stderr + result.output
    assert reason in result.stderr, result.stderr
    assert "handout.xml.j2" in result.stderr and "Traceback" not in result.stderr
    assert peak < MOST_MEMORY, f"{name} took {peak / 1e6:.0f} MB to refuse"
    assert not (tmp_path / "out").exists()


class TickingClock:
    """A clock that moves on a millisecond each time it is read: the time budget then runs out
    after a known number of steps, however busy the machine."""

    def __init__(self):
        self.reads = 0

    def perf_counter(self) -> float:
        self.reads += 1
        return self.reads / 1000


def test_the_time_budget_stops_work_the_step_count_allows(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "TIME_BUDGET_S", 0.3)
    clock = TickingClock()
    monkeypatch.setattr(limits, "time", clock)
    body = ("{% for i in range(10) recursive %}{% if loop.depth < 50 %}{{ loop(range(10)) }}{% endif %}"
            "{% endfor %}")  # 10**50 steps in principle, each one cheap
    folder = _template_folder(tmp_path, WHOLE, body)
    result = _run(folder, tmp_path / "x.pdf")
    assert result.exit_code == 1 and "took longer than 0.3 seconds" in result.stderr
    assert 300 <= clock.reads <= 310  # the budget is read once a step: stopped some 300 steps in,
    # far below the 1,000,000 the step limit allows


# --- and ordinary templates work exactly as in Jinja2 ----------------------------------------

ORDINARY = """\
{% for x in items %}{{ loop.index }}/{{ loop.length }}{% if loop.last %}!{% else %},{% endif %}{% endfor %}
{% for x in items if x > 1 %}{{ x }}{% else %}none{% endfor %} {% for x in [] %}{{ x }}{% else %}empty{% endfor %}
{% set s %}{{ 'a' ~ name ~ 'b' }}{% endset %}{{ s }} {% macro m(v) %}[{{ v }}{{ caller() if caller is defined }}]{% endmacro %}
{{ m(name) }} {% call m('c') %}in{% endcall %} {{ items|join(',') }} {{ 'x' * 3 }} {{ 2 ** 10 }} {{ '%05d' % 42 }} {{ '{:>4}'.format('a') }}
{% for a in [[1, [2]], [3]] recursive %}{{ a if a is number else loop(a) }}{% endfor %}
{{ [[1], [2]]|sum(start=[]) }} {{ range(5)|batch(2, 0)|list }} {{ range(5)|slice(2)|list }} {{ range(3)|sum }}
{{ 'ab'|center(6) }}|{{ 'a\nb'|indent(2, true) }}|{{ 'aXa'|replace('X', '&') }}|{{ 'x'.ljust(3) }}|{{ name|upper }}
{{ {'b': 1, 'a': [1, 2]}|tojson(indent=2) }} {{ [3, 1, 2]|sort|join }} {{ range(3)|map('string')|join('-') }}
{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }} {{ cycler(1, 2).next() }}
{% filter upper %}quiet {{ name }}{% endfilter %} {{ (items + [9])|length }} {{ name ~ 1 ~ none }}
"""


def test_ordinary_templates_render_exactly_as_in_plain_jinja(tmp_path):
    (tmp_path / "t.j2").write_text(ORDINARY, encoding="utf-8")
    context = {"items": [1, 2, 3], "name": "Zoë & <Co>"}
    ours = render_template("t.j2", context, (str(tmp_path),))
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True,
                               undefined=jinja2.StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    assert ours == plain.get_template("t.j2").render(context)
    assert "Zoë &amp; &lt;Co&gt;" in ours


def test_a_budget_is_per_render(tmp_path):
    """A render near the step limit does not use up the next render's budget."""
    (tmp_path / "t.j2").write_text("{% for i in range(900) %}{% for j in range(1000) %}{% endfor %}{% endfor %}ok",
                                   encoding="utf-8")
    for _ in range(3):
        assert render_template("t.j2", {}, (str(tmp_path),)) == "ok"


def test_limits_hold_in_every_thread(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    (tmp_path / "t.j2").write_text("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
                                   encoding="utf-8")

    def attempt(_):
        try:
            render_template("t.j2", {}, (str(tmp_path),))
        except TemplateError as exc:
            return str(exc)
        return "finished"

    with ThreadPoolExecutor(2) as pool:
        assert all("loop steps" in r for r in pool.map(attempt, range(2)))


def test_the_environment_is_not_reachable_from_the_bundled_context(tmp_path, monkeypatch):
    """The bundled handout's markup holds no environment variables."""
    _secret_env(monkeypatch)
    result = CliRunner().invoke(cli, ["markup", "--program", "ir-mobility"])
    assert result.exit_code == 0
    _assert_nothing_leaked(result.output)
    assert os.environ["HANDOUT_SANDBOX_SECRET"] == SECRET
