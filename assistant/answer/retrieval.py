"""Question → ranked paragraphs: dense (Chroma) and lexical (BM25), fused by reciprocal rank.

Dense retrieval finds paraphrases; BM25 finds names, numbers and rare words. Reciprocal rank
fusion needs no score calibration between the two, which is why it is the field's default.
No cross-encoder reranker ships its weights in a PyPI package (those on PyPI, such as flashrank,
download them at first use, which cannot work offline), so the answer step's sentence scoring
plays that role.

`HybridRetriever` adapts this to langchain-core's `BaseRetriever`, so the same retrieval can
be dropped into any langchain chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..index.catalog import Catalog
from ..index.lexical import LexicalIndex
from ..index.store import VectorStore
from ..schema import Hit
from ..settings import RetrievalSettings
from ..text import terms


@dataclass(frozen=True, slots=True)
class Ranked:
    """One retriever's view of a paragraph."""

    rank: int  # 1-based
    score: float


def rrf(rankings: Sequence[tuple[dict[tuple[str, int], Ranked], float]], rrf_k: int) -> list[tuple[tuple[str, int], float]]:
    """Reciprocal rank fusion: sum of weight / (rrf_k + rank) over the rankings a key is in."""
    fused: dict[tuple[str, int], float] = {}
    for ranking, weight in rankings:
        for key, r in ranking.items():
            fused[key] = fused.get(key, 0.0) + weight / (rrf_k + r.rank)
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


class Retrieval:
    """Hybrid retrieval over one index. Holds no state of its own beyond its collaborators."""

    def __init__(self, settings: RetrievalSettings, vectors: VectorStore, catalog: Catalog, lexical: LexicalIndex) -> None:
        self.settings = settings
        self.vectors = vectors
        self.catalog = catalog
        self.lexical = lexical

    def dense(self, query_vector: Sequence[float], n: int, allowed: dict[str, str] | None = None) -> dict[tuple[str, int], Ranked]:
        """Best chunk per paragraph; chunks of article versions the catalog no longer (or not
        yet) holds, left by an interrupted indexing run, are ignored. `allowed` (content hash →
        doc_id, from Catalog.allowed_versions) restricts the search to those articles."""
        if allowed is None:
            found = self.vectors.search(query_vector, n)
            current = self.catalog.doc_ids_by_content([h for h, _, _ in found])
        else:
            found = self.vectors.search(query_vector, n, versions=sorted(allowed))
            current = allowed
        out: dict[tuple[str, int], Ranked] = {}
        for content_hash, paragraph, sim in found:
            doc_id = current.get(content_hash)
            if doc_id is None or (doc_id, paragraph) in out:
                continue
            out[(doc_id, paragraph)] = Ranked(rank=len(out) + 1, score=sim)
        return out

    def lexical_ranking(self, query: str, n: int, allowed: dict[str, str] | None = None) -> dict[tuple[str, int], Ranked]:
        results = self.lexical.search(terms(query), n, None if allowed is None else set(allowed.values()))
        return {key: Ranked(rank=i + 1, score=s) for i, (key, s) in enumerate(results)}

    def retrieve(self, query: str, query_vector: Sequence[float], k: int, allowed: dict[str, str] | None = None) -> list[Hit]:
        """The k best paragraphs. `allowed` (content hash → doc_id; None = everything) is the
        date/source filter: both retrievers search only those articles, so k hits come back
        whenever the allowed articles hold k paragraphs."""
        n = max(self.settings.candidates, k)
        if allowed is not None and not allowed:
            return []
        # A ranking with weight 0 is not computed at all: that is how the eval's dense-only and
        # BM25-only configurations run the same pipeline with one retriever switched off. Nor is
        # the dense one when the vector store cannot be read (after an interrupted indexing run,
        # see VectorStore.check_for_reading): the answer then comes from BM25 alone.
        dense = self.dense(query_vector, n, allowed) if self.settings.dense_weight > 0 and self.vectors.readable else {}
        lex = self.lexical_ranking(query, n, allowed) if self.settings.lexical_weight > 0 else {}
        fused = rrf([(dense, self.settings.dense_weight), (lex, self.settings.lexical_weight)], self.settings.rrf_k)
        keys = [key for key, _ in fused[: k * 2]]
        found = self.catalog.lookup(keys)
        top = [key for key in keys if key in found][:k]
        stored = self.vectors.paragraph_vectors([(found[key][0].content_hash, key[1]) for key in top])
        hits: list[Hit] = []
        for key, score in fused[: k * 2]:
            if key not in found:
                continue
            art, para = found[key]
            hits.append(
                Hit(
                    doc_id=art.doc_id,
                    paragraph=para.number,
                    title=art.title,
                    section=para.section,
                    source=art.source,
                    text=para.text,
                    score=score,
                    dense_rank=dense[key].rank if key in dense else None,
                    lexical_rank=lex[key].rank if key in lex else None,
                    date=art.date,
                    vector=stored.get((art.content_hash, para.number)),
                )
            )
            if len(hits) == k:
                break
        return hits


    def article_context(self, hits: Sequence[Hit], articles: int) -> list[Hit]:
        """Every other paragraph of the best `articles` retrieved articles: the sentence that
        holds the answer is often a paragraph away from the one that matched the question's
        words ("He was born in Rome" after the paragraph that names him)."""
        have = {h.key for h in hits}
        return [
            h for doc_id in list(dict.fromkeys(h.doc_id for h in hits))[:articles]
            for h in self.article_paragraphs(doc_id, skip=have)
        ]

    def article_paragraphs(self, doc_id: str, *, skip: set[tuple[str, int]] | frozenset[tuple[str, int]] = frozenset(),
                           first: int | None = None, vectors: bool = True) -> list[Hit]:
        """An article's paragraphs as hits (score 0), in reading order: the first `first` of them
        when given, without the keys in `skip`, with their stored vectors when `vectors`."""
        art = self.catalog.article(doc_id)
        if art is None:
            return []
        paras = [p for p in self.catalog.paragraphs(doc_id)[:first] if (doc_id, p.number) not in skip]
        stored = self.vectors.paragraph_vectors([(art.content_hash, p.number) for p in paras]) if vectors else {}
        return [
            Hit(doc_id=doc_id, paragraph=p.number, title=art.title, section=p.section, source=art.source, text=p.text,
                score=0.0, vector=stored.get((art.content_hash, p.number)), date=art.date)
            for p in paras
        ]


class HybridRetriever(BaseRetriever):
    """langchain-core retriever over the assistant's index.

    >>> from assistant.answer.pipeline import open_assistant
    >>> retriever = open_assistant(index_dir="index").as_retriever(k=3)  # doctest: +SKIP
    >>> docs = retriever.invoke("Who is China's ambassador to Russia?")  # doctest: +SKIP
    >>> docs[0].metadata["paragraph"]  # doctest: +SKIP
    9
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retrieval: Retrieval
    embed_query: object  # Callable[[str], list[float]]
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        vector = self.embed_query(query)  # type: ignore[operator]
        return [
            Document(
                page_content=h.text,
                id=f"{h.doc_id}#{h.paragraph}",
                metadata={
                    "doc_id": h.doc_id,
                    "paragraph": h.paragraph,
                    "title": h.title,
                    "section": h.section,
                    "source": h.source,
                    "date": h.date,
                    "score": h.score,
                },
            )
            for h in self.retrieval.retrieve(query, vector, self.k)
        ]
