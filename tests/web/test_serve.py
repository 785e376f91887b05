"""``handout serve``: loopback unless --allow-remote (with a warning), a real server that logs
no request, stops on Ctrl-C, and the README's and docs/web.md's examples run verbatim."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from click.testing import CliRunner

from handout.cli import cli

from ..conftest import REPO

NAME = "Zoë Ünal"
SERVING = re.compile(r"handout is serving on (http://[^ ]+/) \(Ctrl-C to stop\)")


def start(args: list[str], tmp_path: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """``handout serve ARGS`` in a fresh process, and the address it prints."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HANDOUT_CONFIG": str(tmp_path / "none.yaml"), **(env or {})}
    server = subprocess.Popen([sys.executable, "-m", "handout", "serve", *args], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    line = server.stdout.readline()
    match = SERVING.search(line)
    if not match:
        server.kill()
        raise AssertionError(f"no address printed: {line!r} {server.stderr.read()}")
    return server, match.group(1)


def stop(server: subprocess.Popen) -> tuple[int, str]:
    """Ctrl-C, then the exit code and everything the server printed."""
    server.send_signal(signal.SIGINT)
    out, err = server.communicate(timeout=20)
    return server.returncode, out + err


def page_token(client: httpx.Client) -> str:
    return re.search(r'name="handout-token" content="([^"]+)"', client.get("/").text).group(1)


def test_a_real_server_serves_the_page_logs_nothing_and_stops_on_ctrl_c(tmp_path):
    server, url = start(["--port", "0"], tmp_path)
    try:
        assert url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=url, timeout=30) as client:
            token = page_token(client)
            headers = {"origin": url.rstrip("/"), "x-handout-token": token}
            state = {"program": "ir-desk-break", "exercises": [], "patient": NAME, "article": "none"}
            made = client.post("/api/handout/pdf", json=state, headers=headers)
            assert made.status_code == 200 and made.content.startswith(b"%PDF")
            assert client.get(f"/?patient={NAME}").status_code == 200
            assert client.get("/", headers={"host": "rebound.example"}).status_code == 403
    finally:
        code, printed = stop(server)
    assert code == 0
    assert NAME not in printed and "GET /" not in printed and "POST /" not in printed
    assert printed.strip() == ""  # after the address line, nothing: no access log, no error


def test_a_host_other_computers_reach_needs_allow_remote(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "--host" in result.stderr and "0.0.0.0 is not a loopback address" in result.stderr
    assert "--allow-remote" in result.stderr


def test_allow_remote_warns_that_there_is_no_login(monkeypatch):
    import handout.web.server as server

    bound = []
    monkeypatch.setattr(server, "bind", lambda host, port: bound.append((host, port)) or _loopback_socket())
    monkeypatch.setattr(server, "run", lambda sock, defaults, on_ready=None: sock.close())
    result = CliRunner().invoke(cli, ["serve", "--host", "192.0.2.7", "--allow-remote", "--port", "8123"])
    assert result.exit_code == 0, result.stderr
    assert bound == [("192.0.2.7", 8123)]
    assert "warning: serving on 192.0.2.7, reachable from other computers, with no login" in result.stderr


def test_open_opens_the_page_once_the_server_is_up(monkeypatch):
    import click

    import handout.web.server as server

    opened = []
    monkeypatch.setattr(click, "launch", lambda url: opened.append(url))
    monkeypatch.setattr(server, "run", lambda sock, defaults, on_ready=None: (sock.close(), on_ready and on_ready()))
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--open"])
    assert result.exit_code == 0 and opened and opened[0] in result.output


def test_a_port_in_use_is_named(tmp_path):
    taken = _loopback_socket()
    port = taken.getsockname()[1]
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    finally:
        taken.close()
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}: it is in use" in result.stderr and "--port" in result.stderr


def test_only_loopback_names_count_as_loopback():
    from handout.web.security import allowed_hosts
    from handout.web.server import is_loopback

    assert all(is_loopback(h) for h in ("127.0.0.1", "127.3.4.5", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.4", "localhost.evil.example", "::"))
    assert allowed_hosts("127.0.0.1", 8000) == {"127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("192.0.2.7", 8000, ("clinic-pc",)) == {"192.0.2.7:8000", "clinic-pc:8000"}


def _loopback_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    return sock


def doc_serve_commands() -> list[list[str]]:
    """Every ``handout serve`` command in the README's web section and in docs/web.md."""
    readme = (REPO / "README.md").read_text("utf-8").split("## On a web page", 1)[1].split("\n## ", 1)[0]
    texts = [readme, (REPO / "docs" / "web.md").read_text("utf-8")]
    commands = []
    for text in texts:
        for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
            for line in block.replace("\\\n", " ").splitlines():
                words = shlex.split(line, comments=True)
                if words[:2] == ["handout", "serve"]:
                    commands.append(words[2:])
    return commands


def test_the_docs_serve_examples_run_verbatim(tmp_path):
    commands = doc_serve_commands()
    assert len(commands) >= 3 and ["--open"] in commands
    stub = tmp_path / "bin"
    stub.mkdir()
    for opener in ("xdg-open", "open", "wslview", "sensible-browser"):  # --open's browser: a note of the address
        (stub / opener).write_text(f'#!/bin/sh\necho "$1" >> {tmp_path}/opened\n')
        (stub / opener).chmod(0o755)
    env = {"PATH": f"{stub}{os.pathsep}{os.environ['PATH']}", "BROWSER": str(stub / "xdg-open")}
    opened = []
    for args in commands:
        port = int(args[args.index("--port") + 1]) if "--port" in args else 8000
        opened += [f"http://127.0.0.1:{port}/"] * ("--open" in args)
        if not _free(port):
            pytest.skip(f"port {port}, used by an example, is taken on this machine")
        server, url = start(args, tmp_path, env)
        try:
            assert url == f"http://127.0.0.1:{port}/"
            assert httpx.get(url, timeout=30).status_code == 200
        finally:
            code, _ = stop(server)
        assert code == 0, args
    noted = tmp_path / "opened"
    for _ in range(100):  # the browser stub runs on its own; give a loaded machine a moment
        if noted.is_file() and len(noted.read_text().split()) >= len(opened):
            break
        time.sleep(0.1)
    assert noted.read_text().split() == opened


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def test_bad_content_stops_the_server_before_it_starts(tmp_path):
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "broken.yaml").write_text("id: broken\nname: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--content", str(tmp_path)])
    assert result.exit_code == 1 and "broken.yaml:" in result.stderr


@pytest.mark.slow  # the demo builds every example and a batch
def test_the_demo_says_how_to_start_the_page(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert result.output.splitlines()[-1] == "to pick, dose, preview and print on a web page: handout serve --open"
