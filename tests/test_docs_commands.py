"""Every command in README.md and docs/*.md runs as written, somewhere in the suite.

Each command line of every code block is either run here, verbatim, in a folder holding the
inputs the docs name (roster.csv, roster.xlsx, clinic.yaml), or claimed by the test that runs
it (a ``handout serve`` line needs a browser stub; the set-up lines are what CI runs). A new
example that nobody runs fails ``test_every_command_in_the_docs_is_run_by_some_test``.
"""

from __future__ import annotations

import csv
import re
import shlex

import pytest
from click.testing import CliRunner

from handout.cli import cli

from .conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

# Commands run by another test, by how they start: the test that runs them verbatim.
CLAIMED = {
    "python3 -m venv .venv && . .venv/bin/activate && pip install . && handout demo": "tests/test_install.py",
    "python3 -m venv .venv && . .venv/bin/activate && pip install -e": ".ci/run (the README's test command)",
    "pytest": ".ci/run and every developer",
    "pip install 'handout-pdf[dask]'": "pyproject.toml's dask extra (tests/test_install.py installs the wheel)",
    "handout list": "tests/test_readme.py (the clinician section)",
    "handout config": "tests/test_readme.py (the clinician section)",
    "handout build --program ir-mobility --patient \"Zoë Ünal\"\n": "tests/test_readme.py",
    "handout build --exercise": "tests/test_readme.py",
    "handout build --plan": "tests/test_readme.py",
    "handout serve": "tests/web/test_serve.py",
    "handout poster": "tests/pipeline/test_poster.py",
    "handout build --program ir-mobility --patient \"Zoë Ünal\" --language es": "tests/i18n/test_plumbing.py",
    "handout check --language es": "tests/i18n/test_plumbing.py",
    "python benchmarks/bench.py": "nothing: a benchmark takes minutes and is run by hand (docs/performance.md)",
}
# A command that cannot run here, and why (the same command runs against a real scheduler in
# tests/export/test_batch.py's Dask tests).
CANNOT_RUN = {"handout batch roster.csv --executor dask --scheduler tcp://10.0.0.5:8786":
              "names a cluster on another machine"}


def doc_commands() -> list[tuple[str, str]]:
    """(file, command) for every command line of every non-Python code block, continuations
    joined and comments dropped, as a reader would paste it."""
    found = []
    for path in DOCS:
        text = re.sub(r"\\\n\s*", " ", path.read_text(encoding="utf-8"))
        for lang, block in re.findall(r"```([a-z]*)\n(.*?)```", text, re.DOTALL):
            if lang not in ("", "bash", "sh", "shell", "console"):
                continue
            for line in block.splitlines():
                command = line.split(" #")[0].strip()
                if re.match(r"(handout |python3? |pip |pytest)", command):
                    found.append((path.name, command))
    return found


def claimed_by(command: str) -> str | None:
    return next((test for start, test in CLAIMED.items()
                 if (command + "\n").startswith(start) and not _longer_claim(command, start)), None)


def _longer_claim(command: str, start: str) -> bool:
    return any(len(other) > len(start) and (command + "\n").startswith(other) for other in CLAIMED)


def run_here() -> list[tuple[str, str]]:
    return [(name, c) for name, c in doc_commands() if claimed_by(c) is None and c not in CANNOT_RUN]


def test_every_command_in_the_docs_is_run_by_some_test():
    commands = doc_commands()
    assert len(commands) >= 25
    here = run_here()
    assert all(c.startswith("handout batch") for _, c in here), here  # what this file runs
    assert len(here) >= 4


def _inputs(folder) -> None:
    from openpyxl import Workbook

    clinic = (REPO / "content" / "clinic.example.yaml").read_text(encoding="utf-8")
    (folder / "clinic.yaml").write_text(clinic, encoding="utf-8")
    (folder / "content").mkdir()
    example = (REPO / "content" / "roster.example.csv").read_text(encoding="utf-8")
    (folder / "content" / "roster.example.csv").write_text(example, encoding="utf-8")
    rows = example.splitlines()[:4]
    (folder / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    book = Workbook()
    for row in csv.reader(rows):
        book.active.append(row)
    book.save(folder / "roster.xlsx")


@pytest.mark.slow
@pytest.mark.parametrize("where, command", run_here(), ids=[c for _, c in run_here()])
def test_each_batch_command_in_the_docs_runs_verbatim(where, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _inputs(tmp_path)
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    assert result.exit_code == 0, f"{where}: {command}\n{result.output}{result.stderr}"
    assert list(tmp_path.rglob("*.pdf")), command


# --- the Python examples of docs/ (README.md's and docs/batch.md's run in tests/test_readme.py) ---

RUN_ELSEWHERE = {"batch.md"}


def doc_python_blocks() -> list[tuple[str, str]]:
    blocks = []
    for path in DOCS[1:]:
        if path.name not in RUN_ELSEWHERE:
            blocks += [(path.name, part.split("```", 1)[0])
                       for part in path.read_text(encoding="utf-8").split("```python\n")[1:]]
    return blocks


def test_the_docs_hold_python_examples():
    assert {name for name, _ in doc_python_blocks()} >= {"figures.md", "figures-review.md", "performance.md",
                                                         "posters.md"}


@pytest.mark.slow
@pytest.mark.parametrize("where, code", doc_python_blocks(), ids=[name for name, _ in doc_python_blocks()])
def test_each_python_example_in_the_docs_runs_verbatim(where, code, tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "example.py").write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "example.py"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stderr, f"{where}\n{done.stderr}"
