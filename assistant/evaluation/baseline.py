"""The naive LangChain pipeline everyone writes first, kept as the yardstick for evals and benchmarks.

Files → `RecursiveCharacterTextSplitter(1000, 200)` → the same embedding model in Chroma →
top-4 similarity search → "answer" = the top chunk. It never abstains and cannot cite a
paragraph, only a chunk; to score it on the same footing, each chunk is mapped to the
paragraphs its characters overlap (our parser's paragraphs located in the file's text).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..index.embedding import Embedder
from ..ingest.indexing import IndexReport, discover
from ..ingest.parsing import SkipFileError, decode, parse_bytes

if TYPE_CHECKING:
    from langchain_chroma import Chroma

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1000, 200, 4


@dataclass(frozen=True, slots=True)
class NaiveHit:
    text: str
    doc_id: str
    title: str
    paragraphs: tuple[int, ...]  # paragraph numbers the chunk overlaps, in order


def _fingerprint(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in files:
        st = f.stat()
        h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _paragraph_spans(text: str, paragraphs: list[tuple[int, str]]) -> list[tuple[int, int, int]]:
    """(start, end, number) of each paragraph in the raw file text, found in order."""
    spans, pos = [], 0
    for number, para in paragraphs:
        probe = para[:60]
        at = text.find(probe, pos)
        if at < 0:
            at = text.find(probe)
        if at < 0:
            continue
        spans.append((at, at + len(para), number))
        pos = at + len(probe)
    return spans


class NaiveBaseline:
    """Build (cached by a fingerprint of the files) and query the naive pipeline."""

    def __init__(self, corpus: Path, cache_dir: Path, embedder: Embedder) -> None:
        self.corpus = corpus
        self.cache_dir = cache_dir
        self.embedder = embedder
        self._store = None

    def build(self, *, progress: bool = False) -> float:
        """Seconds spent (0 when the cache was current)."""
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter
        from tqdm import tqdm

        files = discover([self.corpus], IndexReport())
        stamp = _fingerprint(files)
        marker = self.cache_dir / "fingerprint.json"
        if marker.exists() and json.loads(marker.read_text()).get("fingerprint") == stamp:
            return 0.0
        started = time.perf_counter()
        shutil.rmtree(self.cache_dir, ignore_errors=True)
        self.cache_dir.mkdir(parents=True)
        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True)
        docs: list[Document] = []
        for f in files:
            data = f.read_bytes()
            try:
                articles = parse_bytes(f, data)
                text = decode(data)
            except SkipFileError:
                continue
            if len(articles) != 1:
                continue  # multi-record files (JSON) have no single raw text to split
            art = articles[0]
            spans = _paragraph_spans(text, [(p.number, p.text) for p in art.paragraphs])
            for chunk in splitter.create_documents([text], metadatas=[{"doc_id": art.doc_id, "title": art.title}]):
                start = chunk.metadata["start_index"]
                end = start + len(chunk.page_content)
                paras = [n for s, e, n in spans if s < end and e > start]
                chunk.metadata["paragraphs"] = ",".join(map(str, paras))
                docs.append(chunk)
        store = Chroma(
            collection_name="naive", embedding_function=self.embedder, persist_directory=str(self.cache_dir / "chroma"),
            collection_metadata={"hnsw:space": "cosine"},
        )
        batch = 256
        for i in tqdm(range(0, len(docs), batch), desc="Naive baseline index", disable=not progress, leave=False):
            store.add_documents(docs[i : i + batch])
        marker.write_text(json.dumps({"fingerprint": stamp, "chunks": len(docs)}))
        self._store = store
        return time.perf_counter() - started

    @property
    def store(self) -> Chroma:
        if self._store is None:
            from langchain_chroma import Chroma

            self._store = Chroma(
                collection_name="naive", embedding_function=self.embedder, persist_directory=str(self.cache_dir / "chroma")
            )
        return self._store

    def search(self, question: str, k: int = TOP_K) -> list[NaiveHit]:
        return [
            NaiveHit(
                text=d.page_content,
                doc_id=d.metadata["doc_id"],
                title=d.metadata["title"],
                paragraphs=tuple(int(n) for n in str(d.metadata.get("paragraphs", "")).split(",") if n),
            )
            for d in self.store.similarity_search(question, k=k)
        ]
