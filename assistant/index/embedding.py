"""The embedding model: sentence-transformers, loaded offline from a PyPI package's files.

This module is the only one that touches the model. `Embedder` is a langchain-core
`Embeddings`, so langchain users can hand it to their own vector stores and chains.

By default the model runs in ONNX Runtime: exported once from the sentence-transformers model
(checked to give the same vectors, so indexes built either way are interchangeable) and cached.
On this CPU that embeds a question in a few milliseconds instead of tens, the sentences of an
answer about twice as fast, and keeps torch out of a serving process. sentence-transformers' own
`backend="onnx"` would be the natural tool, but its `optimum-onnx` dependency pins transformers
below the 5.x that sentence-transformers 6 needs, so the export and the mean pooling
(the model's declared pooling, read from its config) are done here.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import threading
import warnings
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from ..errors import ModelUnavailableError
from ..settings import EmbeddingSettings

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

log = logging.getLogger(__name__)

# Texts the exported model must embed exactly as sentence-transformers does before it is used:
# short, padded with spaces, non-ASCII, and one far beyond the 256-wordpiece window.
_PROBES = [
    "Who is China's ambassador to Russia?",
    "  The Bank of England raised interest rates to 4.75%.  ",
    "Zürich, São Paulo and Kraków: naïve café résumé — “quoted” text.",
    " ".join(["The committee met again on Thursday to discuss the budget."] * 60),
    "x",
]
_SAME_VECTOR = 0.9999

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
        self._lock = threading.RLock()  # the ONNX load checks itself against the torch model
        self._model: SentenceTransformer | None = None
        self._onnx_model: _OnnxModel | None = None
        self._onnx_failed = False

    @property
    def name(self) -> str:
        """Recorded in the index so that vectors of another model are never mixed in."""
        return self.settings.model

    @cached_property
    def tokenizer(self) -> Tokenizer:
        """The model's fast tokenizer (the `tokenizers` library, no truncation): counting with it
        needs neither transformers nor torch."""
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return tokenizer

    @cached_property
    def max_tokens(self) -> int:
        """The model's window in wordpieces, special tokens included."""
        cfg = self.path / "sentence_bert_config.json"
        if cfg.exists():
            return int(json.loads(cfg.read_text()).get("max_seq_length", 256))
        return int(json.loads((self.path / "tokenizer_config.json").read_text()).get("model_max_length", 256))

    def count_tokens(self, text: str) -> int:
        """Wordpieces the model sees for `text`, including [CLS] and [SEP]."""
        return len(self.tokenizer.encode(text, add_special_tokens=True).ids)

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model (torch): the reference the ONNX export is checked against."""
        if self._model is None:
            with self._lock:  # the UI serves several users at once; load exactly once
                if self._model is None:
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as hf_logging

                    hf_logging.disable_progress_bar()

                    self._model = SentenceTransformer(str(self.path), device=self.settings.device)
        return self._model

    @property
    def backend(self) -> str:
        """The backend actually in use: "onnx", or "torch" when so configured or when ONNX failed."""
        return "onnx" if self._onnx is not None else "torch"

    @property
    def _onnx(self) -> _OnnxModel | None:
        if self.settings.backend != "onnx" or self._onnx_failed:
            return None
        if self._onnx_model is None:
            with self._lock:
                if self._onnx_model is None and not self._onnx_failed:
                    try:
                        self._onnx_model = _OnnxModel.load(self)
                    except Exception as exc:  # only costs speed: the torch model gives the same vectors
                        log.warning("ONNX embedding backend unavailable (%s); using sentence-transformers with torch.", exc)
                        self._onnx_failed = True
        return self._onnx_model

    @cached_property
    def dimensions(self) -> int:
        return int(self.encode(["x"]).shape[1])

    def encode(self, texts: list[str], *, batch_size: int | None = None) -> np.ndarray:
        """Normalised float32 vectors, one row per text, batched in order of length."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        size = batch_size or self.settings.batch_size
        if self._onnx is not None:
            return self._onnx.encode(texts, size)
        return self._torch_encode(texts, size)

    def _torch_encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


class _OnnxModel:
    """The transformer in ONNX Runtime, plus the model's pooling and normalisation."""

    def __init__(self, session: InferenceSession, tokenizer: Tokenizer, pooling: str, normalize: bool) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.pooling = pooling
        self.normalize = normalize
        self.inputs = {i.name for i in session.get_inputs()}

    @classmethod
    def load(cls, embedder: Embedder) -> _OnnxModel:
        import onnxruntime
        from tokenizers import Tokenizer

        pooling, normalize = _pooling_of(embedder.path)
        target = _export_path(embedder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = embedder.settings.threads or (os.cpu_count() or 1)
        options.log_severity_level = 3
        fresh = not target.exists()
        if not fresh:
            try:
                session = onnxruntime.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])
            except Exception:
                log.warning("The cached ONNX model %s is unreadable; exporting it again.", target)
                fresh = True
        if fresh:
            _export(embedder.path, target)
            session = onnxruntime.InferenceSession(str(target), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(embedder.path / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=embedder.max_tokens)
        tokenizer.no_padding()
        model = cls(session, tokenizer, pooling, normalize)
        if fresh:  # checked once, against sentence-transformers itself, before anything is embedded with it
            expected = embedder._torch_encode(_PROBES, 8)
            similarity = (model.encode(_PROBES, 8) * expected).sum(axis=1)
            if float(similarity.min()) < _SAME_VECTOR:
                target.unlink(missing_ok=True)
                raise RuntimeError(f"the exported model's vectors differ from the original (cosine {similarity.min():.5f})")
        return model

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        encodings = self.tokenizer.encode_batch([t.strip() for t in texts])
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")
        out: np.ndarray | None = None
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                e = encodings[i]
                ids[r, : len(e.ids)] = e.ids
                mask[r, : len(e.ids)] = e.attention_mask
                types[r, : len(e.ids)] = e.type_ids
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
            if self.pooling == "cls":
                vectors = hidden[:, 0]
            else:
                weights = mask[..., None].astype(np.float32)
                vectors = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            if self.normalize:
                vectors = vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
            if out is None:
                out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
            out[rows] = vectors
        assert out is not None
        return out


def _pooling_of(path: Path) -> tuple[str, bool]:
    """Mean or CLS pooling, and whether vectors are normalised, from the model's module list."""
    modules = json.loads((path / "modules.json").read_text())
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or any(k not in {"Transformer", "Pooling", "Normalize"} for k in kinds):
        raise RuntimeError(f"model modules {kinds} are not Transformer + Pooling (+ Normalize)")
    pooling = json.loads((path / modules[1]["path"] / "config.json").read_text())
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
    if modes == ["pooling_mode_mean_tokens"]:
        return "mean", "Normalize" in kinds
    if modes == ["pooling_mode_cls_token"]:
        return "cls", "Normalize" in kinds
    raise RuntimeError(f"pooling {modes} is not supported by the ONNX backend")


def _export_path(embedder: Embedder) -> Path:
    """One file per model version: the weights' size and mtime name it."""
    weights = next((embedder.path / n for n in ("model.safetensors", "pytorch_model.bin") if (embedder.path / n).exists()), None)
    if weights is None:
        raise RuntimeError(f"no model weights in {embedder.path}")
    st = weights.stat()
    key = hashlib.sha256(f"{embedder.path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    name = embedder.path.name if embedder.path.name != "model" else embedder.path.parent.name
    return embedder.settings.cache_dir.expanduser() / "onnx" / f"{name}-{key}.onnx"


def _export(model_dir: Path, target: Path) -> None:
    """torch → ONNX, written to a temporary name and renamed, so a crash or a second process
    never sees half a file. Needs torch and the `onnx` package, once per model."""
    import tempfile

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    example = torch.ones((2, 8), dtype=torch.int64)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shapes; the result is checked below
            torch.onnx.export(
                _Hidden(),
                (example, example, torch.zeros_like(example)),
                tmp,
                input_names=names,
                output_names=["hidden"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
                opset_version=17,
                dynamo=False,
            )
        os.chmod(tmp, 0o644)  # shared by every index and user of this cache
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
