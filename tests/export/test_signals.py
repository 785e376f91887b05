"""Issue 19: a batch stopped by SIGTERM or SIGKILL, run for real in a subprocess.

SIGTERM stops a batch the way Ctrl-C does: finished PDFs kept, the report and the manifest
written, no process of the batch left. After SIGKILL (nothing can be written then) the
manifest's journal still tells the rerun which files are done, a leftover temporary file is
removed, and workers notice their batch is gone and exit. Waits are bounded by counts of
polls, never asserted as seconds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handout.export.files import TEMP_PREFIX, TEMP_SUFFIX

ROWS = 120
REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("patient,program\n" + "".join(f"Patient {i:03d},ir-desk-break\n" for i in range(ROWS)))
    return path


def _start(tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "handout", "batch", str(tmp_path / "roster.csv"),
                             "--out-dir", str(tmp_path / "out"), "--jobs", "2"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _pdfs(tmp_path: Path) -> set[str]:
    out = tmp_path / "out"
    return {p.name for p in out.glob("*.pdf")} if out.exists() else set()


def _wait_for_pdfs(tmp_path: Path, process: subprocess.Popen, count: int) -> None:
    for _ in range(3000):  # polls, not a deadline the test asserts
        if len(_pdfs(tmp_path)) >= count or process.poll() is not None:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the batch finished before it could be stopped"
    assert len(_pdfs(tmp_path)) >= count


def _session_members(session: int) -> list[int]:
    """Processes still alive in the batch's session (it was started in its own)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _none_left(session: int) -> list[int]:
    for _ in range(200):  # workers look for their batch twice a second
        left = _session_members(session)
        if not left:
            return []
        time.sleep(0.05)
    return _session_members(session)


def _report(tmp_path: Path) -> list[dict]:
    return json.loads((tmp_path / "out" / "batch-report.json").read_text())["rows"]


def _rerun(tmp_path: Path, done: set[str]) -> None:
    """The rerun builds exactly the rows without a finished file and skips the rest."""
    process = _start(tmp_path)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()
    rows = _report(tmp_path)
    assert sum(r["status"] == "skipped" for r in rows) == len(done)
    assert sum(r["status"] == "written" for r in rows) == ROWS - len(done)
    assert len(_pdfs(tmp_path)) == ROWS
    assert not list((tmp_path / "out").rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


def _stopped_batch(tmp_path: Path, signum: int) -> tuple[subprocess.Popen, str]:
    """A batch of ROWS rows stopped by ``signum`` once 5 PDFs are written; no process of it is left."""
    _roster(tmp_path)
    process = _start(tmp_path)
    _wait_for_pdfs(tmp_path, process, 5)
    os.kill(process.pid, signum)
    process.wait(timeout=600)
    assert _none_left(process.pid) == [], "a process of the batch outlived it"
    _, err = process.communicate(timeout=60)
    return process, err.decode()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_keeps_finished_pdfs_writes_report_and_manifest_and_leaves_no_process(tmp_path):
    process, err = _stopped_batch(tmp_path, signal.SIGTERM)
    assert process.returncode == 128 + signal.SIGTERM and "interrupted" in err, err  # the shell's convention
    done = _pdfs(tmp_path)
    rows = _report(tmp_path)
    assert len(rows) == ROWS
    written = {Path(r["output"]).name for r in rows if r["status"] == "written"}
    assert written == done and 5 <= len(done) < ROWS
    assert {r["status"] for r in rows} == {"written", "not run"}
    manifest = json.loads((tmp_path / "out" / ".handout-manifest.json").read_text())["files"]
    assert set(manifest) == done
    assert not list((tmp_path / "out").rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
    _rerun(tmp_path, done)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigkill_leaves_no_worker_and_the_rerun_builds_only_the_rest(tmp_path):
    process, _ = _stopped_batch(tmp_path, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    stale = tmp_path / "out" / f"{TEMP_PREFIX}stale{TEMP_SUFFIX}"  # as a kill mid-write leaves
    stale.write_bytes(b"%PDF-1.4 half")
    done = _pdfs(tmp_path)
    assert 5 <= len(done) < ROWS
    _rerun(tmp_path, done)
