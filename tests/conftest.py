"""Shared fixtures: the real seed corpus indexed once per session into a temporary directory,
with the real embedding model and a real Chroma on disk. Nothing here is mocked."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from assistant.embedding import Embedder
from assistant.indexing import Indexer
from assistant.pipeline import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus"
SEED_A = "000_c05dfad301eb4f11"
SEED_B = "003_b9b7d6a05383fa88"
BBC = ROOT / "evals" / "corpora" / "bbc-news"
WIKINEWS = ROOT / "evals" / "corpora" / "wikinews-2019-2020" / "articles"


def bbc_corpus() -> Path:
    """The BBC corpus ships in the repository (evals/corpora/); say so plainly when it is missing."""
    if not (BBC / "business").is_dir():
        pytest.fail(f"The BBC corpus is missing: expected it at {BBC} (evals/corpora/bbc-news in the repository).")
    return BBC


def free_port() -> int:
    """A free TCP port on loopback, for the real servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def settings_for(index_dir: Path) -> Settings:
    return Settings().with_overrides(index_dir=index_dir)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(Settings().embedding)


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    index_dir = tmp_path_factory.mktemp("seed-index")
    report = Indexer(settings_for(index_dir), embedder).run([SEED])
    assert len(report.added) == 2, report.summary()
    return index_dir


@pytest.fixture(scope="session")
def seed_assistant(seed_index: Path) -> Assistant:
    return Assistant(settings_for(seed_index))


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private, writable copy of the seed corpus for tests that change files."""
    dst = tmp_path / "corpus"
    shutil.copytree(SEED, dst)
    return dst
