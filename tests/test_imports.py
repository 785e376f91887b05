"""The package's shape: imports flow one way through the stages, no cycles, only the CLI
imports click, and no module is too long to read. Read from the source with ast, so a
lazy import inside a function counts as much as one at the top."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "handout"
MAX_LINES = 450

# The stages in the order data flows; a module may import its own stage or an earlier one.
STAGE_ORDER = [
    {"errors", "paths", "disk", "plugins_off"},
    {"model"},
    {"markup"},
    {"figures"},
    {"render"},
    {"tiling"},
    {"pipeline"},
    {"export"},
    {"cli", "web", "catalogue", "demo", "__init__", "__main__"},  # the front ends and the public API
]
RANK = {name: rank for rank, names in enumerate(STAGE_ORDER) for name in names}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The handout modules ``name`` imports (and every third-party top-level name, for click)."""
    package = name if is_package(path) else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            subs = {f"{target}.{alias.name}" for alias in node.names} & set(known)
            found |= subs or {target}
            if subs and len(subs) < len(node.names):
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(name, path, known) for name, path in known.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_module_has_a_stage():
    assert not {stage(m) for m in modules()} - set(RANK), "add the new folder to STAGE_ORDER"


def test_no_import_runs_up_a_stage():
    upward = []
    for module, imported in graph().items():
        for target in imported:
            if target.startswith("handout.") and RANK[stage(target)] > RANK[stage(module)]:
                upward.append(f"{module} imports {target}")
    assert not upward, "\n".join(sorted(upward))


def test_there_is_no_import_cycle():
    edges = {m: {t for t in ts if t.startswith("handout.") and t != m} for m, ts in graph().items()}
    # A package's __init__ may import its own modules (it re-exports them); count only the
    # other direction, so "figures/draw.py imports figures" is not called a cycle.
    for m in edges:
        edges[m] = {t for t in edges[m] if not m.startswith(t + ".")}
    state: dict[str, int] = {}
    path: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_only_the_cli_imports_click():
    outside = [m for m, ts in graph().items()
               if any(t == "click" or t.startswith("click.") for t in ts) and stage(m) != "cli"]
    assert not outside, outside


def test_the_checks_see_imports(tmp_path):
    """The walker finds relative, absolute and lazy imports (else the tests above prove nothing)."""
    edges = graph()
    assert "handout.figures" in edges["handout.render.components"]
    assert "handout.render.fonts" in edges["handout.tiling.assembly"]
    assert "click" in edges["handout.cli.group"]
    assert "handout.pipeline.handout" in edges["handout.cli.commands"]  # imported inside a command
    assert RANK[stage("handout.tiling.sheets")] > RANK[stage("handout.render.poster")]


def test_no_module_is_over_450_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these by what they hold: {long}"


def test_import_handout_loads_no_renderer_and_python_m_handout_runs():
    """The public names are there, but the stages load on first use (``handout --help`` is quick)."""
    code = ("import sys, handout; assert set(handout.__all__) <= set(dir(handout)); "
            "print(sorted(m for m in ('reportlab', 'pypdf', 'click', 'handout.export.batch') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert loaded.stdout.strip() == "[]"
    shown = subprocess.run([sys.executable, "-m", "handout", "--help"], capture_output=True, text=True, cwd=REPO)
    assert shown.returncode == 0 and "build" in shown.stdout and "batch" in shown.stdout
