"""The ONNX Runtime backend must embed exactly as sentence-transformers does: indexes built with
either are used interchangeably, and a wrong vector would silently cite the wrong paragraph."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from assistant.index.embedding import Embedder, _export_path
from assistant.ingest.chunking import chunk_article
from assistant.ingest.parsing import parse_bytes
from assistant.settings import Settings

from .conftest import SEED


def _seed_texts(embedder: Embedder) -> list[str]:
    texts = []
    for path in sorted(SEED.glob("*")):
        for article in parse_bytes(path, path.read_bytes()):
            texts += [c.embed_text for c in chunk_article(article, embedder.count_tokens, embedder.max_tokens)]
    return texts


def test_onnx_vectors_equal_sentence_transformers_on_the_seed_corpus(embedder: Embedder) -> None:
    assert embedder.backend == "onnx"
    texts = _seed_texts(embedder)
    questions = ["Who is China's ambassador to Russia?", "What did the statement say about Taiwan?", "  polar  "]
    onnx = embedder.encode(texts + questions)
    reference = embedder._torch_encode(texts + questions, 16)
    assert onnx.shape == reference.shape == (len(texts) + 3, 384)
    assert float((onnx * reference).sum(axis=1).min()) > 0.9999
    # the ranking a question produces over the paragraphs is the same
    for q in range(len(texts), len(texts) + 3):
        assert list(np.argsort(-(onnx[: len(texts)] @ onnx[q]))[:10]) == list(np.argsort(-(reference[: len(texts)] @ reference[q]))[:10])


def test_a_corrupt_cached_export_is_rebuilt(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings().embedding.model_copy(update={"cache_dir": tmp_path})
    fresh = Embedder(settings)
    target = _export_path(fresh)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not an onnx model")
    vectors = fresh.encode(["The ambassador met the minister."])
    assert fresh.backend == "onnx"
    assert target.stat().st_size > 10_000_000
    assert float(vectors[0] @ embedder._torch_encode(["The ambassador met the minister."], 1)[0]) > 0.9999


def test_when_onnx_cannot_work_torch_gives_the_same_vectors(tmp_path: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory should be")
    fallback = Embedder(Settings().embedding.model_copy(update={"cache_dir": blocked}))
    with caplog.at_level(logging.WARNING, logger="assistant.index.embedding"):
        vectors = fallback.encode(["The ambassador met the minister."])
    assert fallback.backend == "torch"
    assert "using sentence-transformers with torch" in caplog.text
    assert float(vectors[0] @ embedder.encode(["The ambassador met the minister."])[0]) > 0.9999
