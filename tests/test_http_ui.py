"""The Gradio UI mounted on the API server (`assistant serve --ui`), in a real headless Chromium:
the conversation exported as Markdown, and a 👎 with a note stored in the index's catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.index.catalog import Catalog
from assistant.interfaces.http import create_app

from .conftest import settings_for
from .test_http import AMBASSADOR, FOLLOW_UP, serving
from .test_ui import ARTIFACTS, _browser


@pytest.mark.slow
def test_mounted_ui_exports_the_conversation_and_records_a_thumbs_down(seed_index: Path, tmp_path: Path, embedder) -> None:
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    app = create_app(settings_for(index), assistant=Assistant(settings_for(index), embedder=embedder), ui=True)
    ARTIFACTS.mkdir(exist_ok=True)
    with serving(app) as url:
        pw, browser = _browser()
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
            page.goto(url + "/")  # redirects to the UI at /ui/
            page.wait_for_selector("#question textarea", timeout=60_000)
            for turn, question in enumerate((AMBASSADOR, FOLLOW_UP), 1):
                page.fill("#question textarea", question)
                page.click("#ask")
                page.wait_for_selector(f"#src-{turn}-1", timeout=60_000)
            page.wait_for_timeout(1000)  # the export file is refreshed after the answer is laid out

            with page.expect_download(timeout=30_000) as download:
                page.click("#export")
            assert download.value.suggested_filename.endswith(".md")
            markdown = Path(download.value.path()).read_text(encoding="utf-8")
            (ARTIFACTS / "conversation-export.md").write_text(markdown, encoding="utf-8")
            assert markdown.startswith("# Conversation with the news assistant")
            assert f"## {AMBASSADOR}" in markdown and f"## {FOLLOW_UP}" in markdown
            assert markdown.index(AMBASSADOR) < markdown.index(FOLLOW_UP)
            assert "*Searched for:" in markdown  # the follow-up's searched question
            assert "paragraph 9" in markdown and "paragraph 14" in markdown
            assert "> **Zhang Hanhui, Chinese ambassador to Russia" in markdown  # the quoted paragraph, used sentence in bold
            assert "Zhang Hanhui" in markdown.split("Sources:")[0] and "[1]" in markdown

            page.fill("#feedback-note textarea", "Only half of what he said")
            page.locator("#chat button[aria-label=Dislike]").last.click()
            page.wait_for_function("document.querySelector('#feedback-status')?.innerText.includes('recorded')", timeout=30_000)
            assert page.input_value("#feedback-note textarea") == ""
            page.screenshot(path=str(ARTIFACTS / "ui-feedback.png"), full_page=True)
        finally:
            browser.close()
            pw.stop()
    catalog = Catalog(index, create=False)
    try:
        votes = catalog.feedback()
    finally:
        catalog.close()
    assert len(votes) == 1
    vote = votes[0]
    assert (vote.rating, vote.origin, vote.note, vote.question) == (-1, "ui", "Only half of what he said", FOLLOW_UP)
    assert [t.content for t in vote.history if t.role == "user"] == [AMBASSADOR]
    assert vote.citations[0]["paragraph"] == 14 and vote.settings_hash
