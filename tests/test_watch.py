"""`assistant watch`: a real watcher (watchfiles, inotify) on a real folder, a real index, and
questions asked the way a user would, from a separately opened Assistant."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.errors import AssistantError
from assistant.index.catalog import Catalog
from assistant.index.embedding import Embedder
from assistant.ingest.indexing import IndexReport
from assistant.ingest.parsing import parse_bytes
from assistant.ingest.watching import FolderWatcher
from assistant.text import sentences

from .conftest import ROOT, SEED, bbc_corpus, settings_for

ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}


def wait_for(condition: Callable[[], object], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for: {what}"
        time.sleep(0.1)


def articles(index: Path) -> dict[str, int]:
    """doc_id -> paragraphs, read from the catalog as it is now."""
    try:
        cat = Catalog(index, create=False)
    except AssistantError:  # not created yet, or being created this very moment
        return {}
    try:
        return {a.doc_id: a.n_paragraphs for a in cat.articles()}
    finally:
        cat.close()


class Running:
    def __init__(self, watcher: FolderWatcher) -> None:
        self.watcher = watcher
        self.reports: list[IndexReport] = []
        watcher.on_batch = self.reports.append
        self.thread = threading.Thread(target=watcher.run, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.watcher.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


@pytest.fixture
def watched(tmp_path: Path, embedder: Embedder) -> Iterator[tuple[Path, Path, Running]]:
    folder, index = tmp_path / "news", tmp_path / "index"
    shutil.copytree(SEED, folder)
    running = Running(FolderWatcher(settings_for(index), [folder], embedder=embedder))
    try:
        wait_for(lambda: len(articles(index)) == 2, "the initial sync of the seed corpus")
        yield folder, index, running
    finally:
        running.close()


@pytest.mark.slow
def test_watched_folder_follows_new_half_written_bad_renamed_and_deleted_files(
    watched: tuple[Path, Path, Running], embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    folder, index, running = watched
    caplog.set_level(logging.INFO, logger="assistant.watch")
    assistant = Assistant(settings_for(index), embedder=embedder)

    # A file written slowly (a piece every 0.3 s for 3 s) is never indexed half-way.
    lines = ["Velmora opens a museum of glass boats"] + [
        f"Paragraph {i}: the harbour city of Velmora opened a museum of glass boats, room {i} of ten." for i in range(1, 11)
    ]
    with open(folder / "velmora.txt", "w") as f:
        for line in lines:
            f.write(line + "\n")
            f.flush()
            assert "velmora" not in articles(index), "indexed while still being written"
            time.sleep(0.3)
    # ...with a bad file in the same burst: logged with its reason, the rest indexed.
    (folder / "broken.json").write_text('{"title": "Half a record", "text": ')
    wait_for(lambda: articles(index).get("velmora") == 10, "the completed file, all 10 paragraphs")
    wait_for(lambda: "broken.json: invalid JSON" in caplog.text, "the bad file logged with its reason")
    answer = assistant.ask("What did the harbour city of Velmora open?")
    assert not answer.abstained and answer.citations[0].doc_id == "velmora"

    # Renamed: still answerable, nothing embedded again, the count unchanged.
    embedded_before = sum(r.chunks_embedded for r in running.reports)
    os.rename(folder / "velmora.txt", folder / "velmora-museum.txt")
    wait_for(lambda: any("velmora-museum.txt" in p for p in _paths(index)), "the renamed file in the catalog")
    wait_for(lambda: not any(p.endswith("/velmora.txt") for p in _paths(index)), "the old name gone")
    assert len(articles(index)) == 3
    assert sum(r.chunks_embedded for r in running.reports) == embedded_before
    assert assistant.ask("What did the harbour city of Velmora open?").citations[0].source.endswith("velmora-museum.txt")

    # Deleted: gone from the index, never cited again.
    (folder / "velmora-museum.txt").unlink()
    wait_for(lambda: len(articles(index)) == 2, "the deleted file removed")
    answer = assistant.ask("What did the harbour city of Velmora open?")
    assert all("Velmora" not in c.text for c in answer.citations), answer.text


def _paths(index: Path) -> list[str]:
    cat = Catalog(index, create=False)
    try:
        return [p for (p,) in cat.db.execute("SELECT path FROM files")]
    finally:
        cat.close()


@pytest.mark.slow
def test_200_bbc_files_copied_in_one_burst_all_become_answerable(tmp_path: Path, embedder: Embedder) -> None:
    folder, index = tmp_path / "news", tmp_path / "index"
    folder.mkdir()
    (folder / "first.txt").write_text("A first article\nSo that the index exists before the burst arrives.\n")
    running = Running(FolderWatcher(settings_for(index), [folder], embedder=embedder))
    try:
        wait_for(lambda: len(articles(index)) == 1, "the initial sync")
        # The 200 shortest BBC articles: the test is about batching, counting and answering, and
        # short files halve the embedding work it would otherwise spend.
        files = sorted(bbc_corpus().rglob("*.txt"), key=lambda f: (f.stat().st_size, f.name))[:200]
        parsed = {f: parse_bytes(f, f.read_bytes())[0] for f in files}
        expected = len({a.content_hash for a in parsed.values()}) + 1  # exact duplicates are stored once
        for f in files:  # one burst: as fast as the disk takes them
            shutil.copy(f, folder / f"{f.parent.name}-{f.name}")
        wait_for(lambda: len(articles(index)) == expected, f"{expected} articles", timeout=900)
        time.sleep(3)  # and no more arrive
        assert len(articles(index)) == expected
        runs = len(running.reports)
    finally:
        running.close()
    assert runs <= 20, f"{runs} indexing runs for one burst: not batched"
    assistant = Assistant(settings_for(index), embedder=embedder)
    unanswered = []
    for f, art in parsed.items():
        first = art.paragraphs[0].text
        question = sentences(first)[0].text[:900]
        answer = assistant.ask(question)
        if answer.abstained or all(c.text != first for c in answer.citations):
            unanswered.append((f.name, question))
    assert not unanswered, unanswered[:5]


@pytest.mark.slow
def test_watch_command_runs_until_interrupted(tmp_path: Path) -> None:
    folder, index = tmp_path / "news", tmp_path / "index"
    shutil.copytree(SEED, folder)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "watch", str(folder), "--index-dir", str(index)],
        env=ENV, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        wait_for(lambda: len(articles(index)) == 2, "the initial sync")
        (folder / "tamsin.txt").write_text("Tamsin bridge reopens\nThe Tamsin bridge reopened after eleven months of repairs.\n")
        wait_for(lambda: "tamsin" in articles(index), "the new file indexed")
        (folder / "empty.txt").write_text("")
        time.sleep(3)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "added tamsin" in err and "skipped" in err and "empty.txt: empty file" in err
