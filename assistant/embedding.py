"""The embedding model: sentence-transformers, loaded offline from a PyPI package's files.

This module is the only one that touches the model. `Embedder` is a langchain-core
`Embeddings`, so langchain users can hand it to their own vector stores and chains.
"""

from __future__ import annotations

import importlib
import os
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import ModelUnavailableError
from .settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedTokenizerBase

# Nothing in this process may reach a model hub: the machine is offline, and a lookup that
# cannot fail fast costs a minute of retries.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def resolve_model_path(model: str) -> Path:
    """A local directory, or the directory a model package ships (`pkg.get_model_path()`)."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    module_name = model.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelUnavailableError(
            f"Embedding model {model!r} is neither a directory nor an installed package. "
            f"Install it with: pip install {model}"
        ) from exc
    getter = getattr(module, "get_model_path", None)
    if getter is None:
        raise ModelUnavailableError(f"Package {module_name} has no get_model_path(); give a model directory instead.")
    path = Path(getter())
    if not (path / "config.json").exists():
        raise ModelUnavailableError(f"Package {module_name} ships no model files at {path}; reinstall it.")
    return path


class Embedder(Embeddings):
    """Sentence-transformers embeddings, normalised (cosine = dot product).

    The tokenizer loads on its own (milliseconds) so that chunking can count tokens without
    loading the model; the model itself (seconds) loads on first use, once per process.
    """

    def __init__(self, settings: EmbeddingSettings) -> None:
        self.settings = settings
        self.path = resolve_model_path(settings.model)
        self._lock = threading.Lock()
        self._model: SentenceTransformer | None = None

    @property
    def name(self) -> str:
        """Recorded in the index so that vectors of another model are never mixed in."""
        return self.settings.model

    @cached_property
    def tokenizer(self) -> PreTrainedTokenizerBase:
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(self.path))

    @cached_property
    def max_tokens(self) -> int:
        """The model's window in wordpieces, special tokens included."""
        import json

        cfg = self.path / "sentence_bert_config.json"
        if cfg.exists():
            return int(json.loads(cfg.read_text()).get("max_seq_length", 256))
        return int(getattr(self.tokenizer, "model_max_length", 256))

    def count_tokens(self, text: str) -> int:
        """Wordpieces the model sees for `text`, including [CLS] and [SEP]."""
        return len(self.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:  # the UI serves several users at once; load exactly once
                if self._model is None:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()

                    self._model = SentenceTransformer(str(self.path), device=self.settings.device)
        return self._model

    @cached_property
    def dimensions(self) -> int:
        dim = self.model.get_sentence_embedding_dimension()
        return int(dim) if dim else len(self.embed_query("x"))

    def encode(self, texts: list[str], *, batch_size: int | None = None) -> np.ndarray:
        """Normalised float32 vectors, one row per text (sentence-transformers sorts by length)."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return self.model.encode(
            texts,
            batch_size=batch_size or self.settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()
