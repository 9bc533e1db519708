"""The chat end to end: `streamlit run app.py` on a loopback port, driven by a real headless
Chromium (Debian's `chromium`, through Playwright), from an empty index to an answer.

Screenshots land in test-output/chat-e2e/ at the repository's root (kept after the run).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES
from tests.servers import free_port, wait_until_healthy

pytestmark = pytest.mark.e2e

SHOTS = REPO / "test-output" / "chat-e2e"
_START_TIMEOUT = 120  # seconds: the first page load imports torch and the model
_ANSWER_TIMEOUT_MS = 180_000


@pytest.fixture()
def chat_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, AGREEMENTS_HOME=str(tmp_path / "home"))
    log = (tmp_path / "streamlit.log").open("w")
    command = [sys.executable, "-m", "streamlit", "run", "app.py",
               "--server.port", str(port), "--server.address", "127.0.0.1"]
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(f"{url}/_stcore/health", b"ok", server, tmp_path / "streamlit.log",
                           _START_TIMEOUT)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_upload_ask_matrix_and_reload_in_a_real_browser(chat_server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not on PATH: `make test` installs it (apt-get install chromium)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(chat_server)
        expect(page.get_by_text("The index is empty")).to_be_visible(timeout=_START_TIMEOUT * 1000)
        page.screenshot(path=SHOTS / "1-empty-index.png")

        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        uploader.set_input_files(str(SAMPLES / "harborstack_paas_terms.pdf"))
        page.get_by_role("button", name="Add to the index").click()
        expect(page.get_by_text("added as harborstack_paas_terms")).to_be_visible(
            timeout=_ANSWER_TIMEOUT_MS
        )
        page.screenshot(path=SHOTS / "2-uploaded.png")

        question = page.get_by_test_id("stChatInputTextArea")
        question.fill("Who handles backups?")
        question.press("Enter")
        answer = page.get_by_test_id("stChatMessage").last
        expect(answer.get_by_text("Confidence")).to_be_visible(timeout=_ANSWER_TIMEOUT_MS)
        badge = answer.locator('span.stMarkdownBadge').first
        expect(badge).to_have_text(
            re.compile("^(Customer|Provider|Shared|Silent)$")
        )
        # The card's location line: "HarborStack Platform Terms of Service §3.4, p. 2".
        expect(answer.get_by_text(re.compile(r"§\d[\w.()]*, p\. \d")).first).to_be_visible()
        image = answer.locator('[data-testid="stImage"] img').first
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 500  # a rendered page, not an icon
        image.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "3-answer-with-page.png")

        page.get_by_role("link", name="Matrix").click()
        page.get_by_role("button", name="Answer every topic").click()
        row = page.locator("table tr", has_text="backups")
        expect(row).to_be_visible(timeout=_ANSWER_TIMEOUT_MS)
        expect(row).to_contain_text(re.compile("Customer|Provider|Shared|Silent"))
        page.screenshot(path=SHOTS / "4-matrix.png")

        page.get_by_role("link", name="Chat").click()
        expect(page.get_by_text("Who handles backups?").first).to_be_visible(timeout=60_000)
        page.reload()
        expect(
            page.get_by_test_id("stChatMessage").get_by_text("Who handles backups?")
        ).to_be_visible(timeout=60_000)
        expect(page.locator('span.stMarkdownBadge').first).to_be_visible()
        expect(page.locator('[data-testid="stImage"] img').first).to_be_visible(timeout=60_000)
        page.screenshot(path=SHOTS / "5-after-reload.png")
        browser.close()
