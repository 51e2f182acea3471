"""The one question-answering path. The CLI, the UI, the Python API and the eval runner all call
`Assistant.ask`; nothing else answers questions.

    question ──validate──▶ standalone question (history) ──retrieve──▶ Hits ──answer──▶ Answer
"""

from __future__ import annotations

import dataclasses
import threading
import time
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import lexical
from .abstention import AbstentionModel
from .answering import Answerer, ExtractiveAnswerer
from .catalog import Catalog
from .chat import as_turns, is_follow_up, standalone_question
from .embedding import Embedder
from .errors import IndexMissingError, InvalidArgumentError, InvalidQuestionError, VectorStoreDamagedError
from .question import Analyzer
from .retrieval import HybridRetriever, Retrieval
from .schema import Answer, Hit
from .settings import Settings
from .store import VectorStore
from .text import words

MAX_K = 50


def clean_question(question: object, max_chars: int) -> str:
    """Validate a question; control characters are dropped, the rest is kept as typed."""
    if not isinstance(question, str):
        raise InvalidQuestionError(f"The question must be text, not {type(question).__name__}.")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n" else " " for ch in question).strip()
    if not text:
        raise InvalidQuestionError("The question is empty. Type a question about the indexed articles.")
    if len(text) > max_chars:
        raise InvalidQuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. Ask something shorter, "
            "or raise ASSISTANT_ANSWER__MAX_QUESTION_CHARS."
        )
    if not words(text):
        raise InvalidQuestionError("The question has no words to search for (only punctuation or symbols).")
    return text


class Assistant:
    """An open index with its models: load once per process, ask many times (thread-safe)."""

    def __init__(self, settings: Settings, answerer: Answerer | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.index_dir = Path(settings.store.index_dir)
        self.catalog = Catalog(self.index_dir, create=False)
        if not self.catalog.stats()["articles"]:
            raise IndexMissingError(self.index_dir, empty=True)
        if not settings.store.chroma_url and not (self.index_dir / "chroma").is_dir():
            raise VectorStoreDamagedError("is missing", self.index_dir / "chroma")
        self.embedder = embedder or Embedder(settings.embedding)
        self.vectors = VectorStore(settings.store, self.embedder, fresh=True)  # not a copy this process opened earlier
        # Answers from BM25 alone, silently, would be worse than a clear error that says how to repair.
        problem = self.vectors.check(self.catalog.vector_count(), self.catalog.vector_keys(sample=32))
        if problem is not None:
            raise VectorStoreDamagedError(problem, self.vectors.where)
        # Guards the model and the stores, which requests share; never held while text is processed.
        self._lock = threading.RLock()
        self._lexical = lexical.load_or_build(self.catalog, self.index_dir)
        self._lexical_saved = lexical.saved_generation(self.index_dir)
        self.analyzer = Analyzer() if settings.answer.question_analysis else None
        extractive = ExtractiveAnswerer(
            settings.answer, self._encode, self._idf, analyzer=self.analyzer, context=self._article_context,
            abstention=AbstentionModel.load(settings.answer.abstention_model) if settings.answer.fitted_abstention else None,
        )
        if answerer is None and settings.answer.backend == "llm":
            from .llm import LLMAnswerer, chat_model

            answerer = LLMAnswerer(settings.llm, chat_model(settings.llm), fallback=extractive)
        self.answerer: Answerer = answerer or extractive
        self.settings_hash = settings.answer_hash()

    def _encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self.embedder.encode(texts)

    def _idf(self, term: str) -> float:
        return self._lexical.idf(term)

    def _article_context(self, hits: Sequence[Hit]) -> list[Hit]:
        with self._lock:  # reads the shared catalog and stores, like retrieval
            return self._retrieval().article_context(hits, self.settings.answer.context_articles)

    def _retrieval(self) -> Retrieval:
        """Follow the index as other processes change it. An indexing run (in any process: the
        CLI, a folder watcher, the UI's upload) ends by saving BM25 under a new catalog
        generation; seeing that tiny file change, this process reloads BM25 and reopens the
        vector store, so new articles are searched both ways from the next question on.
        Removed articles are never cited even before that: every hit goes through the catalog,
        which is read live. Between a run's commits and its end, paragraphs that this process's
        vector store does not know yet are simply encoded by the answer step."""
        saved = lexical.saved_generation(self.index_dir)
        if saved != self._lexical_saved:
            self._lexical = lexical.load_or_build(self.catalog, self.index_dir)
            self._lexical_saved = saved
            self.vectors.reopen()
        return Retrieval(self.settings.retrieval, self.vectors, self.catalog, self._lexical)

    def warm_up(self) -> None:
        """Load the model now (seconds), not on the first question."""
        self.embedder.encode(["warm up"])

    def ask(self, question: str, *, history: Sequence[object] | None = None, k: int | None = None) -> Answer:
        final = None
        for item in self.stream(question, history=history, k=k):
            final = item
        assert isinstance(final, Answer)
        return final

    def stream(self, question: str, *, history: Sequence[object] | None = None, k: int | None = None) -> Iterator[str | Answer]:
        """The answer as it is produced: text pieces of an LLM draft (none for the extractive
        answerer), then the final, citation-checked Answer. `ask` is this, drained."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        text, standalone = self._understand(question, history)
        k = self._k(k)
        with self._lock:
            qvec = np.asarray(self.embedder.embed_query(standalone), dtype=np.float32)
            timings["embed"] = time.perf_counter() - t0
            hits = self._search(text, standalone, qvec, k)
            timings["retrieve"] = time.perf_counter() - t0 - timings["embed"]
        stream = getattr(self.answerer, "stream", None)
        if stream is None:  # the answerer takes the lock only to encode (see _encode)
            answer = self.answerer.answer(text, standalone, hits, qvec)
        else:
            answer = None
            for item in stream(text, standalone, hits, qvec):
                if isinstance(item, Answer):
                    answer = item
                else:
                    yield item
            assert answer is not None
        timings["total"] = time.perf_counter() - t0
        yield dataclasses.replace(answer, timings=timings, settings_hash=self.settings_hash)

    def retrieve(self, question: str, *, history: Sequence[object] | None = None, k: int | None = None) -> list[Hit]:
        """Retrieval alone, exactly as `ask` does it (follow-ups rewritten first): for evals
        that need a deeper ranking than the answer uses, and for benchmarks."""
        text, standalone = self._understand(question, history)
        k = self._k(k)
        with self._lock:
            qvec = np.asarray(self.embedder.embed_query(standalone), dtype=np.float32)
            return self._search(text, standalone, qvec, k)

    def _understand(self, question: str, history: Sequence[object] | None) -> tuple[str, str]:
        """The cleaned question, and the standalone question a follow-up is rewritten into."""
        text = clean_question(question, self.settings.answer.max_question_chars)
        turns = as_turns(history)
        rewrite = getattr(self.answerer, "condense", None)  # an LLM backend rewrites follow-ups itself
        nlp = self.analyzer.parse if self.analyzer else None
        if rewrite is not None and turns and is_follow_up(text, nlp):
            return text, rewrite(text, turns[-2 * self.settings.answer.max_history_turns :])
        return text, standalone_question(text, turns, self.settings.answer.max_history_turns, nlp)

    def _k(self, k: int | None) -> int:
        k = self.settings.retrieval.k if k is None else k
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            raise InvalidArgumentError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}.")
        return k

    def _search(self, text: str, standalone: str, qvec: np.ndarray, k: int) -> list[Hit]:
        # BM25 sees the follow-up's own words twice: they matter more than the earlier topic.
        lexical_query = standalone if standalone == text else f"{standalone} {text}"
        return self._retrieval().retrieve(lexical_query, qvec, k)

    def as_retriever(self, k: int | None = None) -> HybridRetriever:
        return HybridRetriever(retrieval=self._retrieval(), embed_query=self.embedder.embed_query, k=k or self.settings.retrieval.k)

    def stats(self) -> dict[str, object]:
        return {**self.catalog.stats(), "index_dir": str(self.index_dir), "embedding_model": self.embedder.name}

    def close(self) -> None:
        self.catalog.close()


@lru_cache(maxsize=4)
def _open_cached(settings_json: str) -> Assistant:
    return Assistant(Settings.model_validate_json(settings_json))


def open_assistant(settings: Settings | None = None, *, index_dir: str | Path | None = None, chroma_url: str | None = None) -> Assistant:
    """An Assistant for these settings, shared within the process: the model and index load
    once, however many times `ask` is called."""
    settings = (settings or Settings()).with_overrides(index_dir=index_dir, chroma_url=chroma_url)
    return _open_cached(settings.model_dump_json())


def ask(
    question: str,
    *,
    index_dir: str | Path | None = None,
    history: Sequence[object] | None = None,
    k: int | None = None,
    settings: Settings | None = None,
    chroma_url: str | None = None,
) -> Answer:
    """Answer a question from the indexed articles, with citations to the paragraphs.

    >>> from assistant import ask
    >>> ans = ask("Who is China's ambassador to Russia?", index_dir="index")  # doctest: +SKIP
    >>> ans.citations[0].paragraph  # doctest: +SKIP
    9

    `history` holds earlier turns (Turn objects, {"role", "content"} dicts or (user, assistant)
    pairs) for follow-up questions; `k` is how many paragraphs the answer may draw on.
    """
    return open_assistant(settings, index_dir=index_dir, chroma_url=chroma_url).ask(question, history=history, k=k)
