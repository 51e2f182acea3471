"""Index and ask against a real Chroma server on loopback, through the same code path."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.errors import StoreUnavailableError
from assistant.index.embedding import Embedder
from assistant.index.store import embedded_dir
from assistant.ingest.indexing import Indexer
from assistant.settings import Settings

from .conftest import SEED, SEED_B, free_port


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("chroma run did not start within 20 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.slow
def test_index_and_ask_through_a_chroma_server(tmp_path: Path, chroma_server: str, embedder: Embedder) -> None:
    settings = Settings().with_overrides(index_dir=tmp_path / "local", chroma_url=chroma_server)
    report = Indexer(settings, embedder).run([SEED])
    assert len(report.added) == 2 and report.chunks_embedded == 49
    assert not embedded_dir(tmp_path / "local").exists()  # vectors went to the server
    ans = Assistant(settings).ask("Who is China's ambassador to Russia?")
    assert (ans.citations[0].doc_id, ans.citations[0].paragraph) == (SEED_B, 9)
    assert Indexer(settings, embedder).run([SEED]).chunks_embedded == 0
    # --rebuild empties the server's collection (VectorStore.wipe), so every chunk is embedded again.
    assert Indexer(settings, embedder).run([SEED], rebuild=True).chunks_embedded == 49


def test_server_down_is_a_clear_error(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings().with_overrides(index_dir=tmp_path / "local", chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailableError, match="Cannot reach the Chroma server"):
        Indexer(settings, embedder).run([SEED])
