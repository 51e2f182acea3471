"""The Gradio UI on a real loopback server: its API through gradio_client, and the page in a
real headless Chromium (Debian's package). Screenshots land in artifacts/ for a human to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.errors import IndexLockedError, InvalidArgumentError, SourceNotFoundError
from assistant.index.locking import index_lock
from assistant.interfaces.ui import launch
from assistant.schema import Turn

from .conftest import ROOT, SEED, SEED_B, free_port, settings_for

ARTIFACTS = ROOT / "artifacts"
XSS = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


@pytest.fixture(scope="module")
def ui_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    from assistant.ingest.indexing import Indexer

    index_dir = tmp_path_factory.mktemp("ui-index")
    Indexer(settings_for(index_dir), embedder).run([SEED])
    return index_dir


@pytest.fixture(scope="module")
def ui_url(ui_index: Path) -> Iterator[str]:
    assistant = Assistant(settings_for(ui_index))
    port = free_port()
    app = launch(assistant, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.mark.slow
def test_auth_guards_every_route_and_uploads_are_capped(ui_index: Path) -> None:
    import requests
    from gradio_client import Client

    assistant = Assistant(settings_for(ui_index))
    port = free_port()
    app = launch(assistant, port=port, auth=("ana", "s3cret"), max_upload_mb=0.01, block=False)
    url = f"http://127.0.0.1:{port}"
    try:
        # Without login: the page is only the login shell (no corpus text in it), and the config,
        # API, file and upload routes all refuse.
        page = requests.get(url + "/", timeout=30)
        assert "Zhang Hanhui" not in page.text
        for route in ("/config", "/gradio_api/info", "/gradio_api/file=/etc/passwd"):
            assert requests.get(url + route, timeout=30).status_code == 401, route
        assert requests.post(url + "/gradio_api/upload", files={"files": ("a.txt", b"x")}, timeout=30).status_code == 401
        assert requests.post(url + "/login", data={"username": "ana", "password": "wrong"}, timeout=30).status_code >= 400
        with pytest.raises(Exception, match="credentials"):
            Client(url, verbose=False)

        # Logged in: the API answers, and an upload over the limit (10 kB here) is refused.
        session = requests.Session()
        assert session.post(url + "/login", data={"username": "ana", "password": "s3cret"}, timeout=30).ok
        assert session.get(url + "/config", timeout=30).status_code == 200
        big = session.post(url + "/gradio_api/upload", files={"files": ("big.txt", b"x" * 50_000)}, timeout=30)
        assert big.status_code == 413
        small = session.post(url + "/gradio_api/upload", files={"files": ("small.txt", b"x" * 500)}, timeout=30)
        assert small.status_code == 200
        history = Client(url, auth=("ana", "s3cret"), verbose=False).predict("Who is Yang Jin?", [], 5, 0, api_name="/ask")[0]
        assert "associate research fellow" in str(history[-1]["content"])
    finally:
        app.close()


def test_start_screen_examples_are_answerable_questions_from_the_corpus(ui_index: Path) -> None:
    assistant = Assistant(settings_for(ui_index))
    examples = assistant.example_questions()
    assert len(examples) >= 2
    assert assistant.example_questions() == examples  # asked once, then kept
    for q in examples:
        assert q.startswith("Who is ") and q.endswith("?")
        answer = assistant.ask(q)
        assert not answer.abstained and q[7:-1] in answer.citations[0].text


def test_article_search_matches_headline_and_text(ui_index: Path) -> None:
    assistant = Assistant(settings_for(ui_index))
    assert [a.doc_id for a in assistant.catalog.find_articles("zhang AMBASSADOR")] == ["003_b9b7d6a05383fa88"]
    assert len(assistant.catalog.find_articles("Putin")) == 2
    assert assistant.catalog.find_articles("100%_") == []  # LIKE wildcards are matched literally
    # The same search through the Assistant, which the UI and the HTTP API use, in the tab's orders.
    assert [a.doc_id for a in assistant.find_articles("zhang AMBASSADOR", "title")] == ["003_b9b7d6a05383fa88"]
    titles = [a.title for a in assistant.find_articles("  ", "title")]
    assert titles == sorted(titles) and len(titles) == 2
    added = [a.indexed_at for a in assistant.articles("added")]
    assert added == sorted(added, reverse=True)
    with pytest.raises(InvalidArgumentError, match="newest, oldest, added, title"):
        assistant.articles("random")


def test_assistant_shows_articles_and_indexes_files_like_the_cli(ui_index: Path, tmp_path: Path) -> None:
    assistant = Assistant(settings_for(ui_index))
    shown = assistant.article(SEED_B)
    assert shown is not None and shown.record.n_paragraphs == len(shown.paragraphs)
    assert "Zhang Hanhui" in shown.paragraphs[8].text and shown.paragraphs[8].number == 9
    assert assistant.article("no-such-article") is None
    # Uploads take the `assistant index` path: a missing file is refused before anything changes,
    # and a second writer is refused while another holds the index lock.
    with pytest.raises(SourceNotFoundError, match="nothing was changed"):
        assistant.index_files([tmp_path / "gone.txt"])
    with index_lock(ui_index), pytest.raises(IndexLockedError):
        assistant.index_files([SEED])
    report = assistant.index_files([SEED])
    assert report.unchanged == 2 and not report.added


@pytest.mark.slow
def test_api_endpoint_with_gradio_client(ui_url: str, ui_index: Path) -> None:
    from gradio_client import Client

    client = Client(ui_url, verbose=False)
    history, _searched, sources, copy_text, raw = client.predict("Who is China's ambassador to Russia?", [], 5, 0, api_name="/ask")
    assert "Zhang Hanhui" in str(history[-1]["content"])
    assert raw["citations"][0]["paragraph"] == 9
    assert 'id="src-1-1"' in sources and "¶ 9" in sources
    assert "[1] Two countries’ coordination" in copy_text
    # The session keeps the real turns: sending back the history continues the conversation,
    # and the follow-up is resolved against the earlier question and answer, not the rendered chat...
    follow_up = "What did he say about sanctions?"
    expected = Assistant(settings_for(ui_index)).ask(
        follow_up, history=[Turn("user", "Who is China's ambassador to Russia?"), Turn("assistant", raw["text"])])
    raw2 = client.predict(follow_up, history, 5, 0, api_name="/ask")[4]
    assert raw2["standalone_question"] == expected.standalone_question != follow_up
    assert [c["paragraph"] for c in raw2["citations"]] == [c.paragraph for c in expected.citations]
    # ...while an empty history starts a new conversation.
    assert client.predict(follow_up, [], 5, 0, api_name="/ask")[4]["standalone_question"] == follow_up
    # A client in a new session that sends its own history has it read as the conversation.
    fresh = Client(ui_url, verbose=False).predict(follow_up, history, 5, 0, api_name="/ask")[4]
    assert fresh["standalone_question"] != follow_up and "Zhang Hanhui" in fresh["standalone_question"], fresh["standalone_question"]


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
        # The example questions arrive with the page's load event; a click puts one in the question box.
        page.wait_for_function("document.querySelector('#examples')?.innerText.includes('Who is')", timeout=120_000)
        page.locator("#examples button", has_text="Who is").first.click()
        page.wait_for_function("document.querySelector('#question textarea').value.startsWith('Who is ')", timeout=30_000)

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

        # The card's link opens the whole article in a new tab, with that paragraph in view.
        with page.context.expect_page() as opened:
            page.click("#src-1-1 a.open")
        article_page = opened.value
        article_page.wait_for_selector("#article p.focus", timeout=60_000)
        assert article_page.inner_text("#article p.focus").startswith("¶ 9")
        assert "Zhang Hanhui" in article_page.inner_text("#article p.focus")
        article_page.wait_for_function(
            "(() => { const r = document.querySelector('#article p.focus').getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= window.innerHeight; })()", timeout=10_000
        )
        article_page.screenshot(path=str(ARTIFACTS / "ui-article-link.png"))
        article_page.close()

        # Follow-up, understood through the earlier turn; the rewritten question is shown.
        page.fill("#question textarea", "What did he say about sanctions?")
        page.click("#ask")
        page.wait_for_selector("#src-2-1", timeout=60_000)
        # "he" is resolved to the name in the previous answer (or the earlier question is searched with it).
        searched = page.inner_text("#searched").lower()
        assert "zhang hanhui" in searched or "ambassador" in searched
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

        # The Articles view shows numbered paragraphs, and searches headlines and text.
        page.get_by_role("tab", name="Articles", exact=True).click()
        page.fill("#article-search textarea", "harbour repairs")
        page.press("#article-search textarea", "Enter")
        page.wait_for_function("document.querySelector('#article-found')?.innerText.includes('1 matching article')", timeout=30_000)
        page.click("#article-pick input")
        page.locator("ul[role=listbox] li", has_text="Harbour bridge reopens after repairs").first.click()
        page.wait_for_selector("#article #p-2", timeout=30_000)
        assert "¶ 2" in page.inner_text("#article")
        assert page.evaluate("window.__pwned") is None
    finally:
        browser.close()
        pw.stop()
