"""The Gradio UI on a real loopback server: its API through gradio_client, and the page in a
real headless Chromium (Debian's package). Screenshots land in artifacts/ for a human to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.pipeline import Assistant
from assistant.ui import launch

from .conftest import ROOT, SEED, free_port, settings_for

ARTIFACTS = ROOT / "artifacts"
XSS = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


@pytest.fixture(scope="module")
def ui_url(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[str]:
    from assistant.indexing import Indexer

    index_dir = tmp_path_factory.mktemp("ui-index")
    Indexer(settings_for(index_dir), embedder).run([SEED])
    assistant = Assistant(settings_for(index_dir))
    port = free_port()
    app = launch(assistant, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.mark.slow
def test_api_endpoint_with_gradio_client(ui_url: str) -> None:
    from gradio_client import Client

    client = Client(ui_url, verbose=False)
    history, _searched, sources, copy_text, raw = client.predict("Who is China's ambassador to Russia?", [], 5, 0, api_name="/ask")
    assert "Zhang Hanhui" in str(history[-1]["content"])
    assert raw["citations"][0]["paragraph"] == 9
    assert 'id="src-1-1"' in sources and "¶ 9" in sources
    assert "[1] Two countries’ coordination" in copy_text


def _browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.fail("Chromium is not installed: `make test` installs Debian's chromium package (apt-get install chromium).")
    pw = sync_playwright().start()
    browser = pw.chromium.launch(
        executable_path=chromium,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    )
    return pw, browser


@pytest.mark.slow
def test_chat_in_a_real_browser(ui_url: str, tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pw, browser = _browser()
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(ui_url)
        page.wait_for_selector("#question textarea", timeout=60_000)
        assert "2" in page.inner_text("#stats") and "paragraphs" in page.inner_text("#stats")

        page.fill("#question textarea", "Who is China's ambassador to Russia?")
        page.click("#ask")
        page.wait_for_selector("#src-1-1", timeout=60_000)
        assert "Zhang Hanhui" in page.inner_text("#chat")
        card = page.inner_text("#sources")
        assert "¶ 9" in card and "Zhang Hanhui, Chinese ambassador to Russia" in card
        page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)

        # A marker is a link to its source card, which becomes the highlighted target.
        page.click("#chat a.cite >> nth=0")
        page.wait_for_function("location.hash === '#src-1-1'")

        # Follow-up, understood through the earlier turn; the rewritten question is shown.
        page.fill("#question textarea", "What did he say about sanctions?")
        page.click("#ask")
        page.wait_for_selector("#src-2-1", timeout=60_000)
        assert "ambassador" in page.inner_text("#searched").lower()
        assert "¶ 14" in page.inner_text("#sources")

        # Abstention says so plainly and shows the closest paragraphs as not sufficient.
        page.fill("#question textarea", "What did the statement say about Taiwan?")
        page.click("#ask")
        page.wait_for_selector("#sources .insufficient", timeout=60_000)
        assert "not sufficient" in page.inner_text("#sources")
        page.screenshot(path=str(ARTIFACTS / "ui-abstain.png"), full_page=True)

        # Upload an article (with hostile markup in it) and ask about it.
        article = tmp_path / "harbour.txt"
        article.write_text(
            "Harbour bridge reopens after repairs\n"
            "The Tamsin harbour bridge reopened on Monday after eleven months of repairs costing 40 million euros.\n"
            f"Engineers left a note reading {XSS} on the site office door.\n"
        )
        page.get_by_role("tab", name="Add articles").click()
        page.set_input_files("#upload input[type=file]", str(article))
        page.click("#index")
        page.wait_for_function("document.querySelector('#index-result')?.innerText.includes('1 added')", timeout=60_000)
        assert "3 articles" in page.inner_text("#stats").replace("**", "")
        page.get_by_role("tab", name="Chat").click()
        page.fill("#question textarea", "How long did the repairs of the Tamsin harbour bridge take?")
        page.click("#ask")
        page.wait_for_selector("#src-4-1", timeout=60_000)
        assert "eleven months" in page.inner_text("#chat")

        page.fill("#question textarea", "What note did the engineers leave on the site office door?")
        page.click("#ask")
        page.wait_for_selector("#src-5-1", timeout=60_000)
        page.wait_for_timeout(500)
        assert "<script>" in page.inner_text("#sources")  # shown literally...
        assert page.evaluate("window.__pwned") is None  # ...and never run
        assert page.locator("#sources img, #chat img[src=x]").count() == 0
        page.screenshot(path=str(ARTIFACTS / "ui-upload-xss.png"), full_page=True)

        # The Articles view shows numbered paragraphs.
        page.get_by_role("tab", name="Articles", exact=True).click()
        page.click("#article-pick input")
        page.locator("ul[role=listbox] li", has_text="Harbour bridge reopens after repairs").first.click()
        page.wait_for_selector("#article #p-2", timeout=30_000)
        assert "¶ 2" in page.inner_text("#article")
        assert page.evaluate("window.__pwned") is None
    finally:
        browser.close()
        pw.stop()
