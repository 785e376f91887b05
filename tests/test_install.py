"""The wheel carries the templates, content and fonts: build it, install it in a fresh virtual
environment, and run ``handout demo`` there, away from this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile

import pytest

from .conftest import REPO, pdf_text


@pytest.mark.slow
def test_wheel_installs_and_runs_demo_in_a_fresh_venv(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("handout_pdf-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "handout/_bundled/templates/handout.xml.j2" in names
    assert "handout/_bundled/content/programs/ir-mobility.yaml" in names
    assert "handout/render/fonts/NotoSans-Regular.ttf" in names and "handout/render/fonts/OFL.txt" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    # Install the wheel itself into the fresh environment; its dependencies are the ones this
    # test run already has (added after the environment's own site-packages, so the wheel wins).
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    (env_dir / "lib").joinpath(os.path.relpath(site, env_dir / "lib"), "deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "elsewhere"
    work.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    probe = subprocess.run([str(python), "-c", "import handout, handout.paths as p; "
                            "print(handout.__file__); print(p.bundled('content'))"],
                           cwd=work, check=True, capture_output=True, text=True, env=clean_env).stdout
    assert probe.startswith(site) and "_bundled" in probe
    result = subprocess.run([str(python), "-m", "handout.cli", "demo", "--out", str(work / "out")],
                            cwd=work, capture_output=True, text=True, env=clean_env)
    assert result.returncode == 0, result.stderr
    demo = (work / "out" / "demo-handout.pdf").read_bytes()
    assert "Zoë Ünal" in pdf_text(demo)
