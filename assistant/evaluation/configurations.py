"""Configurations: named ways of answering, run side by side over the same cached indexes.

- `ours`: the product (`Assistant.ask`), hybrid retrieval + extractive cited answer;
- `bm25`, `dense`: the same pipeline with one retriever switched off;
- `llm`: the same retrieval, answered by a chat model (needs `llm:llm.model=...`);
- `naive`: the LangChain pipeline everyone writes first (see baseline.py);
- `NAME:section.field=value,...`: ours with settings overridden, e.g. `strict:answer.min_support=0.45`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InvalidArgumentError, SourceNotFoundError
from ..schema import Answer
from ..settings import Settings
from .dataset import Case, Key
from .metrics import Prediction

if TYPE_CHECKING:  # loaded on first use: importing the package must not load the model or Chroma
    from ..answer.pipeline import Assistant
    from ..index.embedding import Embedder
    from .baseline import NaiveBaseline

Overrides = Mapping[str, object]
"""Settings changes in the form `Settings.override` takes: dotted paths, e.g. {"answer.min_support": 0.45}."""


@dataclass(frozen=True, slots=True)
class Preset:
    description: str
    overrides: Overrides


PRESETS: dict[str, Preset] = {
    "ours": Preset("hybrid retrieval (dense + BM25, RRF) + extractive cited answer", {}),
    "bm25": Preset("BM25 retrieval only, same answer step", {"retrieval.dense_weight": 0.0}),
    "dense": Preset("dense retrieval only, same answer step", {"retrieval.lexical_weight": 0.0}),
    "llm": Preset("same retrieval, answer written by the configured chat model, every sentence citation-checked", {"answer.backend": "llm"}),
}
NAIVE_DESCRIPTION = "LangChain RecursiveCharacterTextSplitter 1000/200 + same embeddings in Chroma, top-4, answer = top chunk"


@dataclass(frozen=True, slots=True)
class Config:
    """A named way of answering; `predict` is timed by the runner."""

    name: str
    description: str
    predict: Callable[[Case], Prediction]


def parse_config(spec: str) -> tuple[str, dict[str, object]]:
    """`NAME` (a preset) or `NAME:section.field=value,...` (ours with settings overridden),
    e.g. `strict:answer.min_support=0.45`. Values are JSON when they parse as JSON, else strings.
    Returns the name and the overrides as dotted paths (checked when the configuration is built)."""
    name, _, rest = spec.partition(":")
    if not rest:
        if name not in (*PRESETS, "naive") or name == "llm":
            raise InvalidArgumentError(
                f"Unknown eval configuration {name!r}: choose from ours, naive, bm25, dense, NAME:section.field=value, "
                "or llm:llm.model=PROVIDER:MODEL,llm.base_url=URL"
            )
        return name, {}
    over: dict[str, object] = {}
    for assignment in rest.split(","):
        path, eq, value = assignment.partition("=")
        if not eq or "." not in path:
            raise InvalidArgumentError(f"Bad eval configuration {spec!r}: expected NAME:section.field=value[,…]")
        try:
            over[path.strip()] = json.loads(value)
        except json.JSONDecodeError:
            over[path.strip()] = value
    return name, over


def from_answer(answer: Answer, seconds: float) -> Prediction:
    by_marker = {c.marker: (c.doc_id, c.paragraph) for c in answer.citations}
    return Prediction(
        text=answer.text,
        abstained=answer.abstained,
        claims=[] if answer.abstained else [(c.text, tuple(by_marker[m] for m in c.markers if m in by_marker)) for c in answer.claims],
        citations=[(c.doc_id, c.paragraph) for c in answer.citations],
        ranks=[h.key for h in answer.evidence],
        texts={(c.doc_id, c.paragraph): c.text for c in answer.citations},
        seconds=seconds,
        answer=answer.to_dict(),
    )


class Workspace:
    """Indexes the corpora an eval needs (cached, incremental) and builds configurations."""

    def __init__(self, settings: Settings, *, progress: bool = False) -> None:
        self.settings = settings
        self.progress = progress
        self._embedder: Embedder | None = None
        self._assistants: dict[tuple[str, str, str], Assistant] = {}
        self.build_seconds: dict[str, float] = {}

    @property
    def embedder(self) -> Embedder:
        """One model in memory for every corpus and configuration."""
        from ..index.embedding import Embedder

        if self._embedder is None:
            self._embedder = Embedder(self.settings.embedding)
        return self._embedder

    def corpus_dir(self, corpus: str) -> Path:
        path = self.settings.eval.corpora.get(corpus)
        if path is None:
            raise InvalidArgumentError(f"No corpus named {corpus!r} in the eval settings (ASSISTANT_EVAL__CORPORA).")
        if not Path(path).exists():
            raise SourceNotFoundError(
                f"The {corpus!r} corpus is missing at {Path(path).resolve()}. The eval corpora ship in the repository under "
                "evals/corpora/; run from the repository root or point ASSISTANT_EVAL__CORPORA at them."
            )
        return Path(path)

    def index_dir(self, corpus: str) -> Path:
        return Path(self.settings.eval.cache_dir) / corpus / "index"

    def ensure_index(self, corpus: str) -> Path:
        from ..ingest.indexing import Indexer

        index_dir = self.index_dir(corpus)
        if corpus not in self.build_seconds:
            settings = self.settings.override({"store.index_dir": index_dir, "store.chroma_url": ""})
            report = Indexer(settings, self.embedder).run([self.corpus_dir(corpus)], progress=self.progress)
            self.build_seconds[corpus] = report.seconds
        return index_dir

    def assistant(self, corpus: str, name: str, overrides: Overrides) -> Assistant:
        """The pipeline of configuration `name` over `corpus` (built once; `overrides` as for Settings.override)."""
        from ..answer.pipeline import Assistant

        # The overrides are part of the key: "ours:answer.min_support=0.5" is not the plain "ours"
        # the runner opens first to check the gold evidence.
        key = (corpus, name, json.dumps(overrides, sort_keys=True, default=str))
        if key not in self._assistants:
            settings = self.settings.override(overrides).override({"store.index_dir": self.ensure_index(corpus), "store.chroma_url": ""})
            self._assistants[key] = Assistant(settings, embedder=self.embedder)
        return self._assistants[key]

    def config(self, spec: str) -> Config:
        name, over = parse_config(spec)
        if name == "naive" and not over:
            return Config(name, NAIVE_DESCRIPTION, self._naive_predict())
        preset = PRESETS.get(name)
        description = preset.description if preset else f"ours with {json.dumps(over)}"
        overrides = {**(preset.overrides if preset else {}), **over}
        self.settings.override(overrides)  # a typo in a spec fails here, before any question is asked

        def predict(case: Case) -> Prediction:
            assistant = self.assistant(case.corpus, name, overrides)
            started = time.perf_counter()
            answer = assistant.ask(case.question, history=list(case.history), **case.time_kwargs())
            pred = from_answer(answer, time.perf_counter() - started)
            # The answer step sees k paragraphs; Recall@10 needs a deeper ranking (not timed).
            pred.ranks = [h.key for h in assistant.retrieve(case.question, history=list(case.history), k=10, **case.time_kwargs())]
            return pred

        return Config(name, description, predict)

    def _naive_predict(self) -> Callable[[Case], Prediction]:
        from .baseline import TOP_K, NaiveBaseline

        baselines: dict[str, NaiveBaseline] = {}

        def predict(case: Case) -> Prediction:
            if case.corpus not in baselines:
                b = NaiveBaseline(self.corpus_dir(case.corpus), Path(self.settings.eval.cache_dir) / case.corpus / "naive", self.embedder)
                b.build(progress=self.progress)
                baselines[case.corpus] = b
            catalog = self.assistant(case.corpus, "ours", {}).catalog
            started = time.perf_counter()
            hits = baselines[case.corpus].search(case.question, k=10)  # 10 for Recall@10; the answer uses the top-4 as usual
            seconds = time.perf_counter() - started
            ranks: list[Key] = []
            for h in hits:
                ranks.extend(k for k in ((h.doc_id, n) for n in h.paragraphs) if k not in ranks)
            top = hits[0] if hits else None
            cited = [(top.doc_id, n) for n in top.paragraphs] if top else []
            found = catalog.lookup(cited)
            texts = {k: found[k][1].text for k in cited if k in found}
            text = top.text if top else ""
            sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
            return Prediction(
                text=text,
                abstained=False,
                claims=[(s, tuple(cited)) for s in sentences],
                citations=cited,
                ranks=ranks,
                texts=texts,
                seconds=seconds,
                answer={"text": text, "top_k": TOP_K, "chunks": [h.doc_id for h in hits[:TOP_K]]},
            )

        return predict
