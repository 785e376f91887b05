"""The web app through Starlette's test client, at the address a browser would use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from handout.model.library import load_library
from handout.web.app import create_app
from handout.web.defaults import Defaults, user_defaults
from handout.web.forms import program_rows

from ..conftest import REPO

PORT = 8765
ORIGIN = f"http://127.0.0.1:{PORT}"


class Page:
    """A client that posts as the page does: its Origin and its token."""

    def __init__(self, app):
        self.app = app
        self.client = TestClient(app, base_url=ORIGIN)
        self.token = app.state.handout.token
        self.headers = {"origin": ORIGIN, "x-handout-token": self.token}

    def get(self, url, **kw):
        return self.client.get(url, **kw)

    def post(self, url, json=None, content=None, headers=None):
        return self.client.post(url, json=json, content=content, headers={**self.headers, **(headers or {})})


@pytest.fixture
def page():
    return Page(create_app(Defaults(), port=PORT))


@pytest.fixture
def settings_page(tmp_path, monkeypatch, clinic_file):
    """The app with a settings file: the test clinic, A4, 3 log weeks."""
    settings = tmp_path / "settings.yaml"
    settings.write_text(f"clinic: {clinic_file}\npage_size: a4\nlog_weeks: 3\nclinician: Sam Lee\n", encoding="utf-8")
    monkeypatch.setenv("HANDOUT_CONFIG", str(settings))
    return Page(create_app(user_defaults(), port=PORT))


def form(program="ir-mobility", **fields) -> dict:
    """The handout form as the page first shows it for ``program``, with ``fields`` laid over."""
    rows = program_rows(load_library(), program) if program else []
    return {"program": program or "", "exercises": rows, "patient": "", "clinician": "", "date": "2026-11-25",
            "page_size": "letter", "large_print": False, "layout": "standard", "article": "", "log_weeks": "",
            "pain_limit": "", "notes": "", "qr": "", "greyscale": False, **fields}


def run_cli(args: list[str], cwd=None) -> subprocess.CompletedProcess:
    """``handout ARGS`` in a fresh process: the bytes and words a user's own command gives,
    whatever this test process built before."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
    return subprocess.run([sys.executable, "-m", "handout", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=300)
