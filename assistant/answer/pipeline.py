"""The one question-answering path. The CLI, the UI, the Python API and the eval runner all call
`Assistant.ask`; nothing else answers questions.

    question ──validate──▶ standalone question (history) ──retrieve──▶ Hits ──answer──▶ Answer
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
import unicodedata
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import AssistantError, IndexMissingError, InvalidArgumentError, InvalidQuestionError
from ..index import lexical
from ..index.catalog import ArticleRecord, Catalog
from ..index.embedding import Embedder
from ..index.store import VectorStore
from ..ingest.indexing import Indexer, IndexReport
from ..schema import Answer, Hit, Paragraph, Turn
from ..settings import Settings
from ..text import question_names, terms, words
from . import chat, examples, recency, timeframe, timeline
from .abstention import AbstentionModel
from .answering import Answerer, AnswerStream, ExtractiveAnswerer, vocabulary
from .chat import PreviousExchange, as_turns, previous_exchange
from .question import Analyzer
from .retrieval import HybridRetriever, Retrieval
from .timeframe import TimeFrame

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_K = 50
_SUBJECTS = frozenset({"PERSON", "ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "FAC"})
_QUOTED = 0.6  # share of a reply's words its article must hold to be the conversation's article
_QUOTE_CANDIDATES = 3  # best-matching articles of the previous exchange checked for that

# How the interfaces may list articles: by publication date (undated last), by arrival in the
# index, or by headline.
ARTICLE_ORDERS = ("newest", "oldest", "added", "title")


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One article as a reader sees it: its record (headline, date and where the date was
    read, source) and every paragraph, numbered as citations number them."""

    record: ArticleRecord
    paragraphs: list[Paragraph]


def ordered(records: list[ArticleRecord], order: str) -> list[ArticleRecord]:
    """`records` in one of `ARTICLE_ORDERS`. Ties keep the order given (the catalog's is by headline)."""
    if order == "added":
        return sorted(records, key=lambda a: -a.indexed_at)
    if order in ("newest", "oldest"):
        dated = sorted((a for a in records if a.date), key=lambda a: a.date, reverse=order == "newest")
        return dated + [a for a in records if not a.date]
    if order == "title":
        return sorted(records, key=lambda a: (a.title, a.doc_id))
    raise InvalidArgumentError(f"order must be one of {', '.join(ARTICLE_ORDERS)}, not {order!r}.")


def clean_question(question: object, max_chars: int) -> str:
    """Validate a question; control characters are dropped and runs of white space become one
    space (the parser reads "Who is  Yang  Jin?" as another question than "Who is Yang Jin?"),
    the rest is kept as typed."""
    if not isinstance(question, str):
        raise InvalidQuestionError(f"The question must be text, not {type(question).__name__}.")
    text = " ".join("".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in question).split())
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

    def __init__(
        self, settings: Settings, answerer: Answerer | None = None, embedder: Embedder | None = None, *,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        """`answerer` replaces the configured answer step; `chat_model` is the langchain chat
        model of the llm backend (settings.answer.backend == "llm"), instead of the configured
        one (llm.chat_model): tests pass a scripted model here."""
        self.settings = settings
        self.index_dir = Path(settings.store.index_dir)
        self.catalog = Catalog(self.index_dir, create=False)
        if not self.catalog.stats()["articles"]:
            raise IndexMissingError(self.index_dir, empty=True)
        self.embedder = embedder or Embedder(settings.embedding)
        self.vectors = VectorStore(settings.store, self.embedder, fresh=True)  # not a copy this process opened earlier
        # A damaged store is an error that says how to repair, except after an interrupted indexing
        # run (the catalog's "dirty" mark): then the store serves nothing and answers come from
        # keyword search, each saying so (see VectorStore.check_for_reading).
        self.vectors.check_for_reading(
            self.catalog.vector_count(), self.catalog.vector_keys(sample=32), interrupted=self.catalog.meta("dirty") == "1"
        )
        self.degraded = "" if self.vectors.readable else (
            f"An indexing run was interrupted and the vector store {self.vectors.unreadable}: this answer comes from "
            "keyword search only. Run `assistant index` to finish the run and repair the vectors."
        )
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
            from .llm import LLMAnswerer

            answerer = LLMAnswerer(settings.llm, extractive, model=chat_model)
        self.answerer: Answerer = answerer or extractive
        # An answer's settings hash names what produced it: keyword search alone, while the store is unreadable.
        produced_by = settings if self.vectors.readable else settings.override({"retrieval.dense_weight": 0.0})
        self.settings_hash = produced_by.answer_hash()
        self._examples: list[str] | None = None  # see example_questions
        self._examples_lock = threading.Lock()

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
        """Load the model (seconds) and, for a dated index, the date parser now, not on the first question."""
        self.embedder.encode(["warm up"])
        newest = self.catalog.date_range()[1]
        if newest:
            timeframe.warm_up(newest)

    def ask(
        self, question: str, *, history: Sequence[object] | None = None, k: int | None = None,
        since: object = None, until: object = None, sources: Sequence[str] | str | None = None, as_of: object = None,
    ) -> Answer:
        return self.stream(question, history=history, k=k, since=since, until=until, sources=sources, as_of=as_of).answer()

    def stream(
        self, question: str, *, history: Sequence[object] | None = None, k: int | None = None,
        since: object = None, until: object = None, sources: Sequence[str] | str | None = None, as_of: object = None,
    ) -> AnswerStream:
        """The answer as it is produced: iterate for the text pieces of an LLM draft (none for
        the extractive answerer); `.answer()` gives the final, citation-checked Answer. `ask` is
        this, drained. Nothing runs until the stream is read: the first step checks the
        question and retrieves, so a bad question raises there.

        `since`/`until` (ISO days, inclusive) and `sources` (parts of a source path/URL or doc id)
        restrict the evidence; `as_of` is the day "this week" or "latest" is relative to
        (default: the newest article date in the index). See timeframe.py."""
        return AnswerStream(self._answering(question, history, k, since=since, until=until, sources=sources, as_of=as_of))

    def _answering(
        self, question: str, history: Sequence[object] | None, k: int | None, *,
        since: object, until: object, sources: Sequence[str] | str | None, as_of: object,
    ) -> Generator[str, None, Answer]:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        original_standalone, text, standalone, frame, k, previous = self._query(question, history, k, since, until, sources, as_of)
        with self._lock:
            qvec = np.asarray(self.embedder.embed_query(standalone), dtype=np.float32)
            timings["embed"] = time.perf_counter() - t0
            hits = self._search(text, standalone, qvec, k, frame, previous=previous)
            timings["retrieve"] = time.perf_counter() - t0 - timings["embed"]
        # --- issue 14 (dates): timeline questions are answered by timeline.py -------------------
        if frame.since and not frame.recency and not timeline.has_topic(standalone):
            answer = self._digest(text, standalone, frame, hits[:k])
            if answer is not None:
                timings["total"] = time.perf_counter() - t0
                return dataclasses.replace(
                    self._dated(answer, question, original_standalone, frame), timings=timings, settings_hash=self.settings_hash
                )
        if frame.timeline:
            answer = self._timeline(text, standalone, hits, qvec, k, least=1 if frame.since else 2)
            if answer is not None:
                timings["total"] = time.perf_counter() - t0
                return dataclasses.replace(
                    self._dated(answer, question, original_standalone, frame), timings=timings, settings_hash=self.settings_hash
                )
            hits = hits[:k]
        # ---------------------------------------------------------------------------------------
        # The answerer takes the lock only to encode (see _encode); an LLM's draft passes through.
        answer = yield from self.answerer.stream(text, standalone, hits, qvec, said=previous.reply if previous else "",
                                                 period=bool(frame.expressions and (frame.since or frame.until)))
        timings["total"] = time.perf_counter() - t0
        answer = self._dated(answer, question, original_standalone, frame)  # issue 14: dates on citations
        notes = [*answer.notes, self.degraded] if self.degraded else answer.notes
        return dataclasses.replace(answer, timings=timings, settings_hash=self.settings_hash, notes=notes)

    def retrieve(
        self, question: str, *, history: Sequence[object] | None = None, k: int | None = None,
        since: object = None, until: object = None, sources: Sequence[str] | str | None = None, as_of: object = None,
    ) -> list[Hit]:
        """Retrieval alone, exactly as `ask` does it (follow-ups rewritten first, time frame
        applied): for evals that need a deeper ranking than the answer uses, and for benchmarks."""
        _, text, standalone, frame, k, previous = self._query(question, history, k, since, until, sources, as_of)
        with self._lock:
            qvec = np.asarray(self.embedder.embed_query(standalone), dtype=np.float32)
            hits = self._search(text, standalone, qvec, k, frame, previous=previous)
        extra = sum(h.conversation for h in hits)  # the conversation's paragraphs come on top of k
        return hits[: k + extra]

    def _query(  # noqa: PLR0917 (the caller's arguments, passed on as they came)
        self, question: str, history: Sequence[object] | None, k: int | None,
        since: object, until: object, sources: Sequence[str] | str | None, as_of: object,
    ) -> tuple[str, str, str, TimeFrame, int, PreviousExchange | None]:
        """What `ask` and `retrieve` both search for: the standalone question (a follow-up
        rewritten), the question's time frame with the caller's filters (issue 14), the text
        and standalone question that frame leaves to search, k checked, and, for a follow-up,
        the previous exchange (see _in_conversation)."""
        turns = as_turns(history)
        text, original_standalone = self._understand(question, turns)
        k = self._k(k)
        frame = self._time_frame(original_standalone, since=since, until=until, sources=sources, as_of=as_of,
                                 follow_up=text if original_standalone != text else "")
        previous = previous_exchange(turns) if original_standalone != text or (turns and self.settings.retrieval.conversation_always) else None
        if previous is not None and frame.as_of and timeframe.asks_before_or_after(text):
            # "What happened before that?": the previous answer's story's date bounds the time
            found = self._conversation_article(previous, timeframe.TimeFrame(as_of=frame.as_of))
            frame = timeframe.around(frame, text, found[0].date if found else "")
        text, standalone = self._time_query(text, original_standalone, frame)
        return original_standalone, text, standalone, frame, k, previous

    def _understand(self, question: str, turns: Sequence[Turn]) -> tuple[str, str]:
        """The cleaned question, and the standalone question a follow-up is rewritten into (by
        the answerer: an LLM backend has its model do it)."""
        text = clean_question(question, self.settings.answer.max_question_chars)
        return text, self.answerer.condense(text, turns)

    def _k(self, k: int | None) -> int:
        k = self.settings.retrieval.k if k is None else k
        if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= MAX_K:
            raise InvalidArgumentError(f"k must be a whole number from 1 to {MAX_K}, not {k!r}.")
        return k

    def _search(
        self, text: str, standalone: str, qvec: np.ndarray, k: int, frame: TimeFrame, *, previous: PreviousExchange | None = None,
    ) -> list[Hit]:
        # BM25 sees the follow-up's own words twice: they matter more than the earlier topic.
        lexical_query = standalone if standalone == text else f"{standalone} {text}"
        if not frame.active:
            hits = self._retrieval().retrieve(lexical_query, qvec, k)
        else:
            hits = self._time_search(lexical_query, standalone, qvec, k, frame)
        # "The latest on it" and timelines are about the newest articles and the dates, not the one in hand.
        if previous is not None and not (frame.timeline or frame.recency) and self.settings.retrieval.conversation_paragraphs:
            hits = self._in_conversation(text, lexical_query, qvec, frame=frame, previous=previous, hits=hits)
        return hits

    def _in_conversation(
        self, text: str, query: str, qvec: np.ndarray, *, frame: TimeFrame, previous: PreviousExchange, hits: list[Hit],
    ) -> list[Hit]:
        """A follow-up is nearly always about the article the previous answer came from ("Where
        was he sent after a friend betrayed him?" goes on about the spy that answer named, in
        the same report), which the follow-up's own words often do not find. So that article's
        best paragraphs for the follow-up come first, on top of retrieval's own hits; the answer
        step still picks the sentence, from any of them. A follow-up that names what the
        article never mentions ("Then who replaced Santini?" after a question about Glazer) is
        about something else, and searched as it is."""
        found = self._conversation_article(previous, frame)
        if found is None:
            return hits
        article, words_ = found
        if any(not set(name) <= words_ for name in self._subjects(text)):
            return hits
        own = [dataclasses.replace(h, conversation=True) for h in self._retrieval().retrieve(
            query, qvec, self.settings.retrieval.conversation_paragraphs, {article.content_hash: article.doc_id})]
        keys = {h.key for h in own}
        return [*own, *(h for h in hits if h.key not in keys)]

    def _subjects(self, question: str) -> list[list[str]]:
        """The stems of each person, organisation, product or event a question names, and of each
        capitalised word the parser did not label ("Mourinho"): what it can be about. Places and
        dates say where and when, and are named in many ways ("in Britain" of a story that says
        "the UK"). Without the parser, every capitalised word."""
        if self.analyzer is None:
            return [[n] for n in question_names(question)]
        doc = self.analyzer.parse(question)
        labelled = {t for e in doc.ents for t in terms(e.text)}
        return [terms(e.text) for e in doc.ents if e.label_ in _SUBJECTS] + [[n] for n in question_names(question) if n not in labelled]

    def _conversation_article(self, previous: PreviousExchange, frame: TimeFrame) -> tuple[ArticleRecord, frozenset[str]] | None:
        """The article the previous exchange was about, and its words; None when it cannot be
        told. The history is text, so the exchange is searched: a reply quotes its article (the
        first of the three best-matching articles that holds most of the reply's words; an error
        message quotes none), and a question alone says which article only when it is not a
        follow-up itself."""
        if not previous.reply and self.analyzer is not None and chat.is_follow_up(previous.question, self.analyzer.parse):
            return None
        allowed = self.catalog.allowed_versions(frame.since, frame.until, frame.sources) if frame.filters else None
        exchange = f"{previous.question} {previous.reply}".strip()
        top = self._retrieval().retrieve(exchange, np.asarray(self.embedder.embed_query(exchange), dtype=np.float32), 5, allowed)
        said = set(terms(previous.reply))
        for doc_id in list(dict.fromkeys(h.doc_id for h in top))[: 1 if not said else _QUOTE_CANDIDATES]:
            article = self.catalog.article(doc_id)
            if article is None:
                continue
            # Cached per text: the next follow-up of the conversation reads the same article.
            words_ = vocabulary(" ".join([article.title, *(p.text for p in self.catalog.paragraphs(doc_id))])).terms
            if not said or len(said & words_) >= _QUOTED * len(said):
                return article, words_
        return None

    # --- issue 14 (dates): time frames, filters inside retrieval, recency, timelines ----------
    def _time_frame(
        self, standalone: str, *, since: object, until: object, sources: Sequence[str] | str | None, as_of: object,
        follow_up: str = "",
    ) -> TimeFrame:
        """What the question and the caller say about dates and sources. As-of defaults to the
        newest article date: the archive's "now". An index without dates answers as before."""
        newest = self.catalog.date_range()[1]
        day = timeframe.parse_day(as_of, "as_of") or newest
        frame = timeframe.understand(standalone, as_of=day, dated=bool(newest))
        if follow_up:
            frame = timeframe.for_follow_up(frame, follow_up)
        frame = timeframe.as_reported(frame)
        srcs = (sources,) if isinstance(sources, str) else tuple(sources or ())
        if not isinstance(sources, str | None) and not all(isinstance(x, str) for x in srcs):
            raise InvalidArgumentError("sources must be a list of strings (parts of a source path, URL or doc id).")
        until_day = timeframe.parse_day(until, "until")
        if newest and as_of is not None and as_of != "":  # a reader as of that day cannot see later articles
            until_day = min(x for x in (until_day, day) if x)
        return timeframe.with_filters(frame, since=timeframe.parse_day(since, "since"), until=until_day, sources=srcs)

    def _time_query(self, text: str, standalone: str, frame: TimeFrame) -> tuple[str, str]:
        """The question and standalone question without the words that set the time frame."""
        if not frame.expressions:
            return text, standalone
        own = text if text == standalone else timeframe.understand(text, as_of=frame.as_of, dated=True).query
        return own, frame.query

    def _time_search(self, lexical_query: str, standalone: str, qvec: np.ndarray, k: int, frame: TimeFrame) -> list[Hit]:
        ts = self.settings.time
        allowed = self.catalog.allowed_versions(frame.since, frame.until, frame.sources) if frame.filters else None
        retrieval = self._retrieval()
        if frame.timeline:
            return retrieval.retrieve(lexical_query, qvec, max(k, ts.timeline_candidates), allowed)
        if not (frame.recency or frame.years):
            return retrieval.retrieve(lexical_query, qvec, k, allowed)
        hits = retrieval.retrieve(lexical_query, qvec, max(k, ts.candidates), allowed)
        if frame.years:
            hits = recency.agreeing(hits, frame.years)
        if frame.recency:
            hits = self._latest(lexical_query, standalone, qvec, k=k, frame=frame, hits=hits)
        return hits[:k]

    def _latest(self, lexical_query: str, standalone: str, qvec: np.ndarray, *, k: int, frame: TimeFrame, hits: list[Hit]) -> list[Hit]:
        """The newest relevant article's paragraphs: among the candidates, then (up to 3 times)
        among the articles dated after it, searched with a filter so long older articles cannot
        crowd them out."""
        ts = self.settings.time
        scored = recency.relevance(standalone, hits, qvec, self._idf)
        floor = recency.floor_of(scored, ts.recency_margin)
        best = recency.newest(scored, floor)
        for _ in range(3):
            if not best:
                break
            after = (dt.date.fromisoformat(best[0].hit.date) + dt.timedelta(days=1)).isoformat()
            newer = self.catalog.allowed_versions(max(after, frame.since), frame.until, frame.sources)
            if not newer:
                break
            more = self._retrieval().retrieve(lexical_query, qvec, ts.candidates, newer)
            if frame.years:
                more = recency.agreeing(more, frame.years)
            found = recency.newest(recency.relevance(standalone, more, qvec, self._idf), floor)
            if not found:
                break
            best = found
        return [r.hit for r in best][:k] if best else hits[:k]

    def _timeline(self, text: str, standalone: str, hits: Sequence[Hit], qvec: np.ndarray, k: int, *, least: int = 2) -> Answer | None:
        """The timeline answer, or None with events on fewer than `least` dates: one date is no
        history, except of what followed a day ("What happened after that?")."""
        ts = self.settings.time
        with self._lock:
            found = timeline.events(
                standalone, hits, qvec, self.embedder.encode, self._idf,
                margin=ts.timeline_margin, min_score=ts.timeline_min_score, max_events=ts.timeline_max_events,
                article=self._opening,
            )
        if len({e.date for e in found}) < least:  # one date is not a timeline: answer the usual way
            return None
        return timeline.compose(text, standalone, found, hits[:k])

    def _digest(self, text: str, standalone: str, frame: TimeFrame, evidence: Sequence[Hit]) -> Answer | None:
        """"What happened last week?", "… in March 2020?": a question with a period and no topic
        is answered by what the articles of the period report, each by its lead, dated and in
        order; with more articles than a timeline's lines, spread over the period. Searched for
        "What happened?", the best sentence was whatever scored highest on no words at all."""
        docs = list(set(self.catalog.allowed_versions(frame.since, frame.until, frame.sources).values()))
        dates = self.catalog.dates_of(docs)
        docs.sort(key=lambda d: (dates.get(d, ""), d))
        most = self.settings.time.timeline_max_events
        if len(docs) > most:  # spread over the period (a few more, for those that tell of a day before it)
            docs = [docs[round(i * (len(docs) - 1) / (most + 1))] for i in range(most + 2)]
        with self._lock:
            found = timeline.leads(docs, self._opening, dates)
        # a report of the period may tell of a day before it ("On Saturday" of 1 March is 29 February)
        last = frame.asked_until or frame.until
        found = [e for e in found if (not frame.since or e.date >= frame.since) and (not last or e.date <= last)]
        if len(found) > most:
            found = [found[round(i * (len(found) - 1) / (most - 1))] for i in range(most)]
        return timeline.compose(text, standalone, found, evidence) if found else None

    def _opening(self, doc_id: str) -> list[Hit]:
        """An article's first three paragraphs, where the lead a timeline event is told by is."""
        return self._retrieval().article_paragraphs(doc_id, first=3, vectors=False)

    def _dated(self, answer: Answer, question: str, standalone: str, frame: TimeFrame) -> Answer:
        """Dates on every citation (whichever answerer wrote it), the question as the user typed
        it, and the searched question saying which dates were applied."""
        dates = self.catalog.dates_of([c.doc_id for c in answer.citations])
        citations = [dataclasses.replace(c, date=c.date or dates.get(c.doc_id, "")) for c in answer.citations]
        shown = f"{standalone} ({frame.describe()})" if frame.active else standalone
        return dataclasses.replace(
            answer, question=question, standalone_question=shown, citations=citations,
            timeframe=frame.to_dict() if frame.active else {},
        )
    # ---------------------------------------------------------------------------------------------

    def as_retriever(self, k: int | None = None) -> HybridRetriever:
        return HybridRetriever(retrieval=self._retrieval(), embed_query=self.embedder.embed_query, k=k or self.settings.retrieval.k)

    def stats(self) -> dict[str, object]:
        return {**self.catalog.stats(), "index_dir": str(self.index_dir), "embedding_model": self.embedder.name}

    # --- what the interfaces need besides answers: the UI's Articles and Add tabs, its start
    # screen, votes, and the HTTP API's article routes. Front ends call these, never the catalog.
    def articles(self, order: str = "newest") -> list[ArticleRecord]:
        """Every article (headline, date, source, when it was indexed) in one of `ARTICLE_ORDERS`."""
        return ordered(self.catalog.articles(), order)

    def find_articles(self, query: str, order: str = "newest") -> list[ArticleRecord]:
        """Articles whose headline or text holds every word of `query` (at most 200), for
        browsing; a blank query lists them all. Questions go through `ask`, not this."""
        return ordered(self.catalog.find_articles(query) if query.strip() else self.catalog.articles(), order)

    def article(self, doc_id: str) -> ArticleText | None:
        """The whole article, or None when the index holds no article with this id."""
        rec = self.catalog.article(doc_id)
        return None if rec is None else ArticleText(rec, self.catalog.paragraphs(doc_id))

    def arrived_since(self, since: float) -> int:
        """How many articles were indexed (new or updated) at or after `since` (a Unix time),
        by any process: the catalog is read live."""
        return sum(1 for a in self.catalog.articles() if a.indexed_at >= since)

    def doc_ids_of(self, source: str) -> list[str]:
        """The articles indexed from one source (an absolute file path as the catalog keys it, or a URL)."""
        return self.catalog.doc_ids_of(source)

    def index_files(self, paths: Sequence[str | Path], *, on_progress: Callable[[int, int], None] | None = None) -> IndexReport:
        """Index files into this assistant's index exactly as `assistant index PATHS` does (same
        checks, same errors, the same index lock, so it waits for no one and a second writer is
        refused), with this process's model. The new articles are searched from the next
        question on (see `_retrieval`)."""
        return Indexer(self.settings, self.embedder).run(paths, on_progress=on_progress)

    def add_feedback(
        self, *, rating: int, question: str, answer: str, citations: Sequence[dict[str, object]], settings_hash: str,
        note: str, history: Sequence[Turn], origin: str,
    ) -> int:
        """Keep a thumbs up (+1) or down (-1) on an answer in the index's catalog; returns its id."""
        return self.catalog.add_feedback(
            rating=rating, question=question, answer=answer, citations=citations, settings_hash=settings_hash,
            note=note, history=history, origin=origin,
        )

    def example_questions(self) -> list[str]:
        """Up to `examples.SUGGESTED` questions to suggest on a start screen, drawn from the
        latest articles (see examples.py). Each candidate (at most `examples.TRIES`) is asked
        once and kept only if it is answered with a citation naming its person: a start screen
        must not suggest questions the assistant then declines. That costs up to `TRIES`
        answers, so it is done once per Assistant, on first need (`ui.launch`, before it
        serves; else the first page load), and cached."""
        with self._examples_lock:
            if self._examples is None:
                chosen: list[str] = []
                for q in examples.candidates(self.catalog.articles(), self.catalog.paragraphs, examples.TRIES):
                    try:
                        answer = self.ask(q)
                    except AssistantError:
                        continue
                    if not answer.abstained and any(examples.named(q) in c.text for c in answer.citations):
                        chosen.append(q)
                    if len(chosen) >= examples.SUGGESTED:
                        break
                self._examples = chosen
            return list(self._examples)

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
    since: object = None,
    until: object = None,
    sources: Sequence[str] | str | None = None,
    as_of: object = None,
) -> Answer:
    """Answer a question from the indexed articles, with citations to the paragraphs.

    >>> from assistant import ask
    >>> ans = ask("Who is China's ambassador to Russia?", index_dir="index")  # doctest: +SKIP
    >>> ans.citations[0].paragraph  # doctest: +SKIP
    9

    `history` holds earlier turns (Turn objects, {"role", "content"} dicts or (user, assistant)
    pairs) for follow-up questions; `k` is how many paragraphs the answer may draw on.
    `since`/`until` ("YYYY-MM-DD", inclusive) and `sources` restrict the evidence to articles dated
    in that range and whose source path/URL or doc id contains one of `sources`; `as_of` is the
    day that "latest", "this week" or "in May" are relative to (default: the newest article date).
    """
    return open_assistant(settings, index_dir=index_dir, chroma_url=chroma_url).ask(
        question, history=history, k=k, since=since, until=until, sources=sources, as_of=as_of
    )
