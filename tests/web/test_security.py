"""Safe by default: the served address only, state changes from the page only (Origin and
token), upload limits, headers that keep pages out of frames and caches, and no patient
name on disk or in a log."""

from __future__ import annotations

import logging
import tempfile

import pytest

from .conftest import ORIGIN, PORT, form

NAME = "Zoë Ünal-Privatsphäre"
POSTS = ["/api/handout/preview", "/api/handout/pdf", "/api/handout/plan", "/api/handout/open-plan",
         "/api/poster/preview", "/api/poster/pdf", "/api/poster/tiled", "/api/batch/check", "/api/batch/x/run"]


@pytest.mark.parametrize("host", ["evil.example:8765", f"127.0.0.1:{PORT + 1}", "127.0.0.1", "example.com"])
def test_a_host_that_is_not_the_served_address_is_refused(page, host):
    """DNS rebinding: a site pointing its own name at 127.0.0.1 sends its own Host."""
    for url in ("/", "/poster", "/static/common.js", "/figure/seated-ir.png"):
        response = page.get(url, headers={"host": host})
        assert response.status_code == 403 and "Host header names another" in response.json()["errors"]["form"]
    assert page.post("/api/handout/preview", json=form(), headers={"host": host}).status_code == 403


def test_loopback_by_any_of_its_names_is_served(page):
    for host in (f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}"):
        assert page.get("/", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("url", POSTS)
def test_a_post_without_the_pages_origin_or_token_changes_nothing(page, url):
    bad = [{"origin": "http://evil.example", "x-handout-token": page.token},
           {"origin": "null", "x-handout-token": page.token},
           {"origin": f"http://localhost:{PORT + 1}", "x-handout-token": page.token},
           {"origin": ORIGIN, "x-handout-token": "stale"},
           {"origin": ORIGIN, "x-handout-token": ""}]
    for headers in bad:
        response = page.client.post(url, json=form(), headers=headers)
        assert response.status_code == 403, headers
    no_origin = page.client.post(url, json=form(), headers={"x-handout-token": page.token})
    assert no_origin.status_code == 403 and "Origin" in no_origin.json()["errors"]["form"]
    no_token = page.client.post(url, json=form(), headers={"origin": ORIGIN})
    assert no_token.status_code == 403 and "token" in no_token.json()["errors"]["form"]


def test_the_token_is_new_in_each_process_and_on_the_page(page):
    from handout.web.app import create_app
    from handout.web.defaults import Defaults

    other = create_app(Defaults(), port=PORT).state.handout.token
    assert other != page.token and len(page.token) >= 40
    assert page.token in page.get("/").text


def test_uploads_over_their_limits_are_refused_before_they_are_read(page):
    plan = page.post("/api/handout/open-plan", content=b"#" * 100_001)
    assert plan.status_code == 413 and plan.json()["errors"]["form"] == (
        "the plan file is too large (100,001 bytes; at most 100,000 bytes)")
    assert page.post("/api/handout/open-plan", content=b"program: ir-mobility\n" + b"#" * 99_000).status_code == 200
    roster = page.post("/api/batch/check", content=b"patient,program\n" + b"x" * 5_000_000)
    assert roster.status_code == 413 and "at most 5,000,000 bytes" in roster.json()["errors"]["form"]
    big_form = page.post("/api/handout/preview", json=form(notes="x" * 300_000))
    assert big_form.status_code == 413


def test_a_body_without_a_length_is_cut_at_the_limit(page):
    def chunks():
        for _ in range(20):
            yield b"#" * 10_000

    response = page.post("/api/handout/open-plan", content=chunks())
    assert response.status_code == 413 and "at most 100,000 bytes" in response.json()["errors"]["form"]


def test_bad_json_is_a_message_not_a_traceback(page):
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        response = page.post("/api/handout/preview", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400 and "reload the page" in response.json()["errors"]["form"]


def test_every_response_is_kept_out_of_caches_and_frames(page):
    responses = [page.get("/"), page.get("/batch"), page.post("/api/handout/preview", json=form(patient=NAME)),
                 page.post("/api/handout/pdf", json=form(patient=NAME)), page.get("/static/style.css"),
                 page.get("/", headers={"host": "evil.example"})]
    for response in responses:
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "no-referrer"


def test_the_page_has_no_inline_script_and_no_outside_address(page):
    for url in ("/", "/poster", "/batch"):
        html = page.get(url).text
        scripts = html.count("<script")
        assert scripts == html.count('<script src="/static/') + html.count('<script type="application/json"')
        assert "http://" not in html and "https://" not in html.replace("https://example.org/videos", "")


def test_patient_names_reach_no_file_and_no_log(page, tmp_path, monkeypatch, caplog):
    """Everything a clinician does with a name: preview, PDF, plan, open plan, a batch."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    caplog.set_level(logging.DEBUG)
    state = form(patient=NAME, article="none")
    assert page.post("/api/handout/preview", json=state).status_code == 200
    assert page.post("/api/handout/pdf", json=state).status_code == 200
    plan = page.post("/api/handout/plan", json=state)
    assert page.post("/api/handout/open-plan", content=plan.content).json()["state"]["patient"] == NAME
    roster = f"patient,program\n{NAME},ir-desk-break\n".encode()
    checked = page.post("/api/batch/check", content=roster, headers={"x-file-name": "r.csv"}).json()
    assert checked["rows"][0]["patient"] == NAME
    assert page.post(f"/api/batch/{checked['id']}/run", json={}).status_code == 202
    _wait_done(page, checked["id"])
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    for path in written:
        data = path.read_bytes()
        assert NAME.encode() not in data and NAME.encode("utf-16-le") not in data, path
    assert NAME not in caplog.text


def _wait_done(page, ident: str) -> dict:
    import time

    for _ in range(600):
        progress = page.get(f"/api/batch/{ident}").json()
        if progress["status"] == "done":
            return progress
        time.sleep(0.05)
    raise AssertionError(f"the batch did not finish: {progress}")
