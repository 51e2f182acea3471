"""Shared fixtures: the real seed corpus indexed once per session into a temporary directory,
with the real embedding model and a real Chroma on disk. Nothing here is mocked.

Every test run gets its own home and caches (see `_private_home`), set before anything is
imported, so runs never share state with each other or with the developer's ~/.cache."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest


def _private_home() -> Path:
    """A fresh HOME and cache folders for this test run (removed when it ends): the ONNX
    export of the embedding model (exported once per run, ~20 s, then shared by every test and
    the processes they start), the eval's indexes, tiktoken's and Gradio's files. The XDG
    folders are unset, so they follow HOME: ~/.cache is the run's, and a test that starts a
    process with another HOME (test_hostile's `nobody`) gives it its own. The one thing kept
    from the real home is where `make llm` put the 1.1 GB model the real-LLM test needs:
    ASSISTANT_LLM_CACHE is set to it explicitly (unless already set)."""
    os.environ.setdefault("ASSISTANT_LLM_CACHE", str(Path.home() / ".cache" / "news-assistant"))
    run = Path(tempfile.mkdtemp(prefix="assistant-tests-"))
    run.chmod(0o755)  # readable by the processes tests run as another user, as /tmp's folders were
    atexit.register(shutil.rmtree, run, ignore_errors=True)
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ.pop(name, None)
    folders = {
        "HOME": run / "home",
        "ASSISTANT_EMBEDDING__CACHE_DIR": run / "cache" / "news-assistant",
        "ASSISTANT_EVAL__CACHE_DIR": run / "cache" / "eval",
        "TIKTOKEN_CACHE_DIR": run / "cache" / "tiktoken",
        "GRADIO_TEMP_DIR": run / "gradio",
    }
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    return run


RUN_DIR = _private_home()
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

# After the environment above: nothing may resolve a cache folder before it is set.
from assistant.answer.pipeline import Assistant  # noqa: E402
from assistant.index.embedding import Embedder  # noqa: E402
from assistant.ingest.indexing import Indexer  # noqa: E402
from assistant.settings import Settings  # noqa: E402

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


def bbc_articles(tmp_path: Path, embedder: Embedder, section: str, names: list[str]) -> Settings:
    """A small index of named BBC articles of one section (real model, real Chroma on disk),
    for a test that needs one story and a few distractors; its settings."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in names:
        shutil.copy(bbc_corpus() / section / name, corpus / name)
    settings = settings_for(tmp_path / "index")
    Indexer(settings, embedder).run([corpus])
    return settings


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
