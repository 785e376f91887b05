"""The README's clinician section, run command by command exactly as written."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from handout.cli import cli

from .conftest import pdf_text

README = Path(__file__).resolve().parent.parent / "README.md"


def section_commands(heading: str) -> list[list[str]]:
    """The ``handout`` commands of the first bash block under ``heading``, continuations joined."""
    text = README.read_text(encoding="utf-8").split(heading, 1)[1]
    block = text.split("```bash\n", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == "handout", line
            commands.append(words[1:])
    return commands


def test_the_clinician_section_runs_verbatim(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOUT_CONFIG", str(tmp_path / "config" / "settings.yaml"))
    commands = section_commands("## For a clinician")
    assert [c[0] for c in commands].count("build") == 3 and ["config", "init"] == commands[2][:2]
    for words in commands:
        result = CliRunner().invoke(cli, words)
        assert result.exit_code == 0, f"handout {shlex.join(words)}\n{result.stderr}"
    built = sorted((tmp_path / "output").iterdir())
    assert len(built) == 3 and any(p.name.startswith("zoe-unal-ir-mobility-") for p in built)
    assert (tmp_path / "dmitri.yaml").is_file()
    zoe = next(p for p in built if p.name.startswith("zoe"))
    assert "Harbour Physio" in pdf_text(zoe.read_bytes())  # the clinic from config init
    later = next(p for p in built if p.name.endswith("2027-01-10-large.pdf"))
    text = " ".join(pdf_text(later.read_bytes()).split())
    assert "Put a pillow under your hips." in text and "red band" in text


# --- the Python examples, run verbatim as scripts ---------------------------------------------

ROOT = README.parent
BATCH_DOC = ROOT / "docs" / "batch.md"


def python_blocks(path: Path) -> list[str]:
    """Every ```python block of a Markdown file, exactly as written."""
    parts = path.read_text(encoding="utf-8").split("```python\n")[1:]
    return [part.split("```", 1)[0] for part in parts]


def run_script(code: str, folder: Path):
    import os
    import subprocess
    import sys

    script = folder / "example.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(script)], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=300)


def _example_inputs(folder: Path) -> None:
    clinic = (ROOT / "content" / "clinic.example.yaml").read_text(encoding="utf-8")
    for name in ("my-clinic.yaml", "clinic.yaml"):
        (folder / name).write_text(clinic, encoding="utf-8")
    rows = (ROOT / "content" / "roster.example.csv").read_text(encoding="utf-8").splitlines()[:3]
    for name in ("patients.csv", "roster.csv"):
        (folder / name).write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_every_python_example_that_starts_a_batch_has_the_main_guard():
    blocks = python_blocks(README) + python_blocks(BATCH_DOC)
    batches = [b for b in blocks if "export_batch(" in b]
    assert len(batches) == 2
    assert all('if __name__ == "__main__":' in b for b in batches)


@pytest.mark.slow
def test_the_readme_python_examples_run_verbatim(tmp_path):
    _example_inputs(tmp_path)
    blocks = python_blocks(README)
    assert len(blocks) == 2
    for code in blocks:
        done = run_script(code, tmp_path)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "nguyen.pdf").read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in (tmp_path / "output" / "batch").glob("*.pdf")) == [
        "p-0001-ir-mobility-2026-11-25.pdf", f"p-0002-ir-strength-{_today()}.pdf"]


@pytest.mark.slow
def test_the_batch_docs_python_example_runs_verbatim(tmp_path):
    _example_inputs(tmp_path)
    (code,) = python_blocks(BATCH_DOC)
    done = run_script(code, tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "batch: 2 written, 0 skipped, 0 failed" in done.stdout
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 4 and (tmp_path / "out" / "batch-report.csv").is_file()


def _today() -> str:
    from handout.model.plan import default_date

    return default_date().isoformat()
