"""The README's clinician section, run command by command exactly as written."""

from __future__ import annotations

import shlex
from pathlib import Path

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
