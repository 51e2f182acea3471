"""A live corpus: a long-lived process (a Python program, the UI) answers from what a separate
`assistant index` process adds, changes and removes, with embedded Chroma and with a Chroma
server, without a restart. Real processes, a real Chroma on disk and a real `chroma run`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.index.embedding import Embedder
from assistant.ingest.indexing import Indexer
from assistant.settings import Settings

from .conftest import ROOT, bbc_corpus, free_port
from .test_chroma_server import chroma_server  # noqa: F401 (a fixture, used through request.getfixturevalue)

CLI = [sys.executable, "-m", "assistant"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}
QUESTION = "What did the harbour city of Velmora open?"


def velmora(what: str) -> str:
    return (
        "Velmora opens a new museum on its harbour front\n"
        f"The harbour city of Velmora opened a museum of {what} on Tuesday, its mayor Ilse Varga said.\n"
        "The building cost 14 million euros and took three years to finish.\n"
    )


def index_elsewhere(folder: Path, index: Path, chroma_url: str) -> str:
    """`assistant index` in its own process, as a user (or cron, or a watcher) would run it."""
    args = [*CLI, "index", str(folder), "--index-dir", str(index), "--quiet"]
    if chroma_url:
        args += ["--chroma-url", chroma_url]
    out = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=600, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout


def store_url(store: str, request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("chroma_server")) if store == "server" else ""


@pytest.mark.slow
def test_a_running_assistant_follows_another_process_adding_changing_and_removing(
    tmp_path: Path, corpus_copy: Path, embedder: Embedder
) -> None:
    """Embedded Chroma, where the crash was (a Chroma server is covered by the UI test below)."""
    settings = Settings().with_overrides(index_dir=tmp_path / "index")
    Indexer(settings, embedder).run([corpus_copy])
    assistant = Assistant(settings, embedder=embedder)
    assert assistant.ask("Who is China's ambassador to Russia?").citations[0].paragraph == 9

    # Added by another process, while this one holds the index open.
    (corpus_copy / "velmora.txt").write_text(velmora("glass boats"))
    assert "1 added" in index_elsewhere(corpus_copy, settings.store.index_dir, settings.store.chroma_url)
    # The store alone, before the assistant noticed anything: an id the catalog (and Chroma's own
    # metadata) knows but this process's vectors may not is no error (was "Error finding id").
    new = assistant.catalog.article("velmora")
    assert new is not None
    assistant.vectors.paragraph_vectors([(new.content_hash, 1), (new.content_hash, 2)])
    answer = assistant.ask(QUESTION)
    assert not answer.abstained and "glass boats" in answer.text
    assert (answer.citations[0].doc_id, answer.citations[0].paragraph) == ("velmora", 1)
    hit = next(h for h in assistant.retrieve(QUESTION) if h.doc_id == "velmora")
    assert hit.dense_rank is not None, "found by BM25 only: the new vectors are not searched"
    assert hit.vector is not None  # the stored vector, not re-encoded

    # Changed by another process: the new text is cited, the old one never again.
    (corpus_copy / "velmora.txt").write_text(velmora("paper kites"))
    assert "1 updated" in index_elsewhere(corpus_copy, settings.store.index_dir, settings.store.chroma_url)
    answer = assistant.ask(QUESTION)
    assert "paper kites" in answer.text and "glass boats" not in answer.text
    assert answer.citations[0].doc_id == "velmora"

    # Removed by another process: never cited again.
    (corpus_copy / "velmora.txt").unlink()
    assert "1 removed" in index_elsewhere(corpus_copy, settings.store.index_dir, settings.store.chroma_url)
    answer = assistant.ask(QUESTION)
    assert all(c.doc_id != "velmora" for c in [*answer.citations, *answer.evidence]), answer.text
    assert all(h.doc_id != "velmora" for h in assistant.retrieve(QUESTION, k=20))
    assert assistant.ask("Who is China's ambassador to Russia?").citations[0].paragraph == 9


@pytest.mark.slow
@pytest.mark.parametrize("store", ["embedded", "server"])
def test_ui_on_bbc_cites_an_article_another_process_indexed_then_forgets_it(
    store: str, tmp_path: Path, embedder: Embedder, request: pytest.FixtureRequest
) -> None:
    """The issue's scenario, on a BBC subset (25 entertainment articles: all 2,095 would cost
    minutes of CPU to embed for no extra coverage): the UI is serving; another process indexes an
    article with a unique fact; asked through the UI's API and in a real browser, the new
    paragraph is cited; the file is deleted and re-indexed, and it is gone from both."""
    from gradio_client import Client

    from assistant.interfaces.ui import launch

    from .test_ui import _browser

    folder = tmp_path / "bbc"
    folder.mkdir()
    for f in sorted((bbc_corpus() / "entertainment").glob("*.txt"))[:25]:
        shutil.copy(f, folder / f.name)
    settings = Settings().with_overrides(index_dir=tmp_path / "index", chroma_url=store_url(store, request))
    Indexer(settings, embedder).run([folder])
    port = free_port()
    app = launch(Assistant(settings, embedder=embedder), port=port, block=False)
    url = f"http://127.0.0.1:{port}/"
    pw, browser = _browser()
    try:
        client = Client(url, verbose=False)

        def ask_ui() -> dict:
            return client.predict(QUESTION, [], 5, 0, api_name="/ask")[4]

        assert all(c["doc_id"] != "velmora" for c in ask_ui()["citations"])

        (folder / "velmora.txt").write_text(velmora("glass boats"))
        assert "1 added" in index_elsewhere(folder, settings.store.index_dir, settings.store.chroma_url)
        raw = ask_ui()
        assert not raw["abstained"] and "glass boats" in raw["text"]
        assert (raw["citations"][0]["doc_id"], raw["citations"][0]["paragraph"]) == ("velmora", 1)

        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector("#question textarea", timeout=60_000)
        # The page load brings the numbers up to date.
        page.wait_for_function("document.querySelector('#stats')?.innerText.includes('26 articles')", timeout=30_000)
        assert "1 arrived since this server started" in page.inner_text("#stats")
        page.fill("#question textarea", QUESTION)
        page.click("#ask")
        page.wait_for_selector("#src-1-1", timeout=60_000)
        assert "glass boats" in page.inner_text("#src-1-1") and "¶ 1" in page.inner_text("#src-1-1")

        (folder / "velmora.txt").unlink()
        assert "1 removed" in index_elsewhere(folder, settings.store.index_dir, settings.store.chroma_url)
        raw = ask_ui()
        assert all(c["doc_id"] != "velmora" for c in raw["citations"]) and "glass boats" not in raw["text"]
        page.fill("#question textarea", QUESTION)
        page.click("#ask")
        page.wait_for_selector("#src-2-1, #sources .insufficient", timeout=60_000)
        assert "glass boats" not in page.inner_text("#sources")
        assert "glass boats" in page.inner_text("#chat")  # the first answer is still in the history, nothing more
        assert page.inner_text("#chat").count("glass boats") == 1
        page.wait_for_function("document.querySelector('#stats')?.innerText.includes('25 articles')", timeout=15_000)  # the timer
        page.screenshot(path=str(ROOT / "artifacts" / f"ui-live-{store}.png"), full_page=True)
    finally:
        browser.close()
        pw.stop()
        app.close()
