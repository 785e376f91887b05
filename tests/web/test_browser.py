"""The page in a real browser: Playwright driving Debian's chromium against ``handout serve``.

The clinician's path: open the page, pick ir-mobility, type the patient's name, change one
exercise's reps, see the preview follow, download the PDF and find the name and the new
dose in it. Also the keyboard, 200 % zoom, and a screenshot of each page (written to
``$HANDOUT_SCREENSHOTS`` when set, for a person to look at).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import pdf_text
from .test_serve import start, stop

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
NAME = "Zoë Ünal"

# A browser and a server take several seconds to start: these run in the full set only.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium here (.ci/run installs it)")]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    process, url = start(["--port", "0"], folder)
    yield url
    stop(process)


@pytest.fixture
def browser(tmp_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        context.set_default_timeout(30_000)
        errors: list[str] = []
        page = context.pages[0] if context.pages else context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda message: errors.append(message.text)
                if message.type == "error" and "status of 422" not in message.text else None)  # 422: a form to fix
        yield page
        context.close()
        assert not errors, errors  # no script error and no refused resource (the CSP) on any page


def screenshot(page, name: str, tmp_path: Path, full_page: bool = True) -> Path:
    folder = Path(os.environ.get("HANDOUT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def ready_after(page, version: int) -> int:
    """Wait for a preview newer than ``version``; its version."""
    page.locator(f"#pages[data-state='ready']:not([data-version='{version}'])").wait_for()
    return int(page.locator("#pages").get_attribute("data-version"))


def test_pick_dose_preview_and_download_the_handout(server, browser, tmp_path):
    page = browser
    page.goto(server)
    page.get_by_label("Program").select_option("ir-mobility")
    page.get_by_label("Patient name").fill(NAME)
    version = ready_after(page, 0)
    before = page.locator("#pages img").nth(1).get_attribute("src")
    reps = page.locator(".row").nth(1).get_by_label("Reps")
    assert reps.input_value() == "5"
    reps.fill("14")
    ready_after(page, version)
    assert page.locator("#pages img").nth(1).get_attribute("src") != before
    assert "--exercise windshield-wipers:reps=14" in page.locator("#command").text_content()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.startswith("zoe-unal-ir-mobility-")
    text = " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())
    assert NAME in text and "14 times · every day · each way" in text
    screenshot(page, "handout", tmp_path)


def test_the_library_works_from_the_keyboard_and_errors_show_beside_fields(server, browser):
    page = browser
    page.goto(server)
    page.get_by_label("Equipment").select_option("counter")
    assert page.locator("#library .card:visible .card-name").all_text_contents() == ["E12 Supported hip airplane"]
    add = page.get_by_role("button", name="Add Supported hip airplane")
    add.focus()
    page.keyboard.press("Enter")
    assert page.locator(".row").count() == 1
    assert page.evaluate("() => document.activeElement.id") == "ex-0-sets"
    page.keyboard.type("0")
    error = page.locator("#error-exercise-0-sets")
    error.get_by_text('"hip-airplane:sets=0": sets must be at least 1, got 0').wait_for()
    page.get_by_label("Sets").fill("2")
    page.get_by_label("Equipment").select_option("")
    page.get_by_role("button", name="Add Standing foot swing-out with a band").press("Enter")
    page.get_by_role("button", name="Move up: Standing foot swing-out with a band").press("Enter")
    names = page.locator(".row .row-name").all_text_contents()
    assert names[0].endswith("Standing foot swing-out with a band") and names[1].endswith("Supported hip airplane")
    ready_after(page, 0)


def test_the_page_fits_at_200_percent_zoom(server, browser, tmp_path):
    page = browser
    page.set_viewport_size({"width": 700, "height": 900})  # 1400 px wide at 200 %
    for url in ("", "poster", "batch"):
        page.goto(server + url)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), url
    page.goto(server)
    page.get_by_label("Program").select_option("ir-desk-break")
    ready_after(page, 0)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, "handout-200-percent", tmp_path, full_page=False)


def test_the_poster_and_batch_pages_in_a_browser(server, browser, tmp_path):
    page = browser
    page.goto(server + "poster")
    page.get_by_label("Program").select_option("ir-desk-break")
    page.get_by_label("Size").select_option("a2")
    version = ready_after(page, 0)
    page.get_by_label("Landscape").check()
    ready_after(page, version)
    assert "A2 landscape" in page.locator("#readable").text_content()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download tiled PDF").click()
    assert download.value.suggested_filename == "poster-ir-desk-break-a2-landscape-tiled-letter.pdf"
    screenshot(page, "poster", tmp_path)

    page.goto(server + "batch")
    roster = tmp_path / "clinic-list.csv"
    roster.write_text("patient,program,patient_id,date\nAna Lima,ir-mobility,P-1,2026-11-25\n"
                      "Bo Chen,ir-desk-break,P-2,2026-11-25\nCy Dube,ir-mobilty,P-3,2026-11-25\n", encoding="utf-8")
    page.get_by_label("Roster file").set_input_files(str(roster))
    page.locator("#rows tbody tr").nth(2).wait_for()
    assert 'unknown program "ir-mobilty"' in page.locator("#rows td.bad").text_content()
    page.get_by_role("button", name="Make the PDFs").click()
    page.locator("#zip:enabled").wait_for()
    assert "2 written, 0 skipped, 1 failed" in page.locator("#progress-text").text_content()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download zip").click()
    assert download.value.suggested_filename == "clinic-list-pdfs.zip"
    screenshot(page, "batch", tmp_path)
