"""The vector store: Chroma, through langchain-chroma. The only module that talks to Chroma.

Embedded by default (`PersistentClient` under the index directory); a Chroma server
(`chroma run`) when `store.chroma_url` is set, which is how a team outgrows one machine.
Telemetry is off, and Chroma never embeds anything itself: our Embedder does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from ..errors import ModelMismatchError, StoreUnavailableError, VectorStoreDamagedError
from ..schema import Chunk, ChunkId
from ..settings import StoreSettings
from .embedding import Embedder

if TYPE_CHECKING:
    from chromadb import ClientAPI, Collection
    from langchain_chroma import Chroma

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
logging.getLogger("chromadb.telemetry").setLevel(logging.CRITICAL)

_ADD_BATCH = 1024  # below Chroma's max batch size, large enough to amortise each call
# Embedded Chroma writes its vector index to disk every `sync_threshold` added vectors (default
# 1,000) and keeps the rest only in its log; a process that opens the index replays that log
# first. Replaying up to 1,000 vectors made a reader's reopen after each indexing run take 1.2 s;
# syncing every 100 makes it 0.1 s, at no measurable cost to ingest (7.0 s vs 7.4 s for 1,800).
_SYNC_THRESHOLD = 100
# The embedded store's folder inside the index directory (the catalog and BM25 name their own).
_DIR = "chroma"


def embedded_dir(index_dir: str | os.PathLike[str]) -> Path:
    """Where embedded Chroma keeps its files for an index directory."""
    return Path(index_dir) / _DIR


def _forget_cached_system(path: str) -> None:
    """chromadb keeps one System per persist path in a process-wide cache, and with it one
    in-memory vector index that never learns what another process wrote. Dropping the cache
    entry makes the next client for that path load the index from disk again. Objects still
    holding the old System keep using it until they let go (it is freed with them), so this is
    safe while another thread is mid-query. chromadb has no public call for one path
    (`clear_system_cache()` would drop every path's), hence the class attribute."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(path, None)


def _client(settings: StoreSettings, *, fresh: bool = False) -> tuple[ClientAPI, tempfile.TemporaryDirectory[str] | None]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several types for a refused connection
            raise StoreUnavailableError(
                f"Cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}). "
                "Start it with: chroma run --path DIR --host 127.0.0.1 --port PORT, or unset --chroma-url "
                "to use the embedded index."
            ) from exc
        return client, None
    path = embedded_dir(settings.index_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailableError(f"Cannot create the index directory {path}: {exc.strerror}.") from exc
    copy = None
    if not _writable(path):
        copy = _private_copy(path)
        path = Path(copy.name)
    if fresh:
        _forget_cached_system(str(path))
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings), copy
    except Exception as exc:  # chromadb raises InternalError, pyo3 panics, sqlite errors for damaged files
        forget_clients()  # chromadb caches the failed client per path; a repaired folder needs a fresh one
        raise VectorStoreDamagedError(f"cannot be opened ({type(exc).__name__}: {str(exc)[:120]})", path) from exc


def forget_clients() -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def _writable(path: Path) -> bool:
    db = path / "chroma.sqlite3"
    return os.access(path, os.W_OK) and (not db.exists() or os.access(db, os.W_OK))


def _private_copy(path: Path) -> tempfile.TemporaryDirectory[str]:
    """Embedded Chroma cannot open its files without writing to them, so a read-only index
    (a read-only mount, another user's files) is read from a private copy, removed at exit.
    Nothing is written back: such a process only reads."""
    logging.getLogger(__name__).warning("The vector store %s is read-only: reading a private copy of it.", path)
    copy = tempfile.TemporaryDirectory(prefix="assistant-chroma-")
    try:
        shutil.copytree(path, copy.name, dirs_exist_ok=True)
    except (OSError, shutil.Error) as exc:
        copy.cleanup()
        raise StoreUnavailableError(
            f"The vector store {path} is read-only and cannot be read either ({exc}). Give this user read access "
            "to the index directory, or run as its owner."
        ) from exc
    return copy


@dataclass(frozen=True)
class _Opened:
    """An open collection with what keeps it alive (the client, a read-only index's private copy)."""

    client: ClientAPI
    copy: tempfile.TemporaryDirectory[str] | None
    lc: Chroma  # embeds the texts it adds with our Embedder
    collection: Collection


class VectorStore:
    """Chunks and their vectors. Metadata carries the provenance of every chunk.

    Opened on first use: creating one reads nothing, so callers hold a store whether or not
    its files can be opened yet, and an open that fails raises where the store is used.

    >>> store = VectorStore(settings.store, embedder)  # doctest: +SKIP
    >>> store.add(chunk_article(article, embedder.count_tokens, embedder.max_tokens))  # doctest: +SKIP
    >>> store.search(embedder.embed_query("Who is Yang Jin?"), n=5)  # doctest: +SKIP
    [('9f2c…', 14, 0.71), …]
    """

    def __init__(self, settings: StoreSettings, embedder: Embedder, *, fresh: bool = False) -> None:
        """`fresh`: load the embedded index from disk even if this process has it open already
        (an indexer in a long-lived process must not start from a stale copy)."""
        self.settings = settings
        self.embedder = embedder
        self.where = settings.chroma_url or str(embedded_dir(settings.index_dir))
        self._fresh = fresh
        self._opened: _Opened | None = None
        # Why this store serves no vectors, once `check_for_reading` has accepted that it cannot be read.
        self.unreadable: str | None = None

    def _open(self, *, fresh: bool) -> _Opened:
        from langchain_chroma import Chroma

        client, copy = _client(self.settings, fresh=fresh)
        try:
            lc = Chroma(
                collection_name=self.settings.collection,
                embedding_function=self.embedder,
                client=client,
                collection_metadata={"embedding_model": self.embedder.name, "hnsw:space": "cosine",
                                     "hnsw:sync_threshold": _SYNC_THRESHOLD},
            )
            collection = lc._collection  # langchain-chroma's handle on the collection it got or created
        except Exception as exc:
            raise VectorStoreDamagedError(f"cannot be opened ({type(exc).__name__}: {str(exc)[:120]})", self.where) from exc
        built_with = (collection.metadata or {}).get("embedding_model")
        if built_with and built_with != self.embedder.name:
            raise ModelMismatchError(built_with, self.embedder.name)
        # Swapped in one step: a query running in another thread finishes on the old one.
        self._opened = _Opened(client, copy, lc, collection)
        return self._opened

    def _handle(self) -> _Opened:
        """The open collection, opened now if this is the store's first use."""
        return self._opened or self._open(fresh=self._fresh)

    @property
    def _collection(self) -> Collection:
        return self._handle().collection

    def exists(self) -> bool:
        """Whether there is a store to open: a server always has one (its collection is created
        on first use); an embedded one needs its folder."""
        return bool(self.settings.chroma_url) or embedded_dir(self.settings.index_dir).is_dir()

    def wipe(self) -> None:
        """Delete every vector (`assistant index --rebuild`): the server's collection, or the
        embedded store's folder."""
        if self.settings.chroma_url:
            from chromadb.errors import NotFoundError

            client, _ = _client(self.settings)
            with contextlib.suppress(NotFoundError):
                client.delete_collection(self.settings.collection)
        else:
            shutil.rmtree(embedded_dir(self.settings.index_dir), ignore_errors=True)
        self._opened = None

    def set_aside(self) -> str:
        """Move an embedded store's damaged files out of the way (renamed to chroma.damaged-TIME,
        kept for whoever wants to look at them) so that the next open starts an empty store.
        Returns the new folder's name. A server's store is never touched: that is its admin's call."""
        path = embedded_dir(self.settings.index_dir)
        aside = path.with_name(f"{_DIR}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(path, aside)
        forget_clients()
        self._opened = None
        self._fresh = True
        return aside.name

    def reopen(self) -> None:
        """See the vectors that other processes added or removed since this store was opened.

        Embedded Chroma loads its vector index into memory once per process and never reloads
        it, so a long-lived reader (the UI, the API) would keep searching the index as it was
        at start-up while the catalog moves on. Reopening loads it from disk again (about
        0.1 s for a few thousand paragraphs, see _SYNC_THRESHOLD). A Chroma server serves every
        writer's vectors already, so there is nothing to do for one, nor for a store that
        cannot be read (see `check_for_reading`: `assistant index` repairs it)."""
        if not self.settings.chroma_url and self.readable:
            self._open(fresh=True)

    def sync_often(self) -> None:
        """For writers: have an index created with Chroma's default sync threshold persist as
        often as a new one does (see _SYNC_THRESHOLD), so readers reopen it quickly."""
        if self.settings.chroma_url:
            return
        hnsw = (self._collection.configuration_json or {}).get("hnsw") or {}
        if int(hnsw.get("sync_threshold") or 1000) > _SYNC_THRESHOLD:
            self._collection.modify(configuration={"hnsw": {"sync_threshold": _SYNC_THRESHOLD}})

    @property
    def readable(self) -> bool:
        """False once `check_for_reading` accepted a store that cannot be read: it then serves no
        dense hits and no stored vectors, and retrieval ranks by keywords alone."""
        return self.unreadable is None

    def check_for_reading(self, expected: int, sample: Sequence[tuple[str, int]], *, interrupted: bool) -> None:
        """Make sure a reader (an Assistant) can use this store, given the catalog's view of it.

        A missing, incomplete or damaged store raises VectorStoreDamagedError: answers from BM25
        alone, silently, would be worse than a clear error that says how to repair. One exception:
        a kill -9 in the middle of an indexing run can leave Chroma's files half-written, and a
        crash must leave a usable index. When the catalog records its last run as `interrupted`,
        the problem is kept in `unreadable` instead, and the store serves nothing (see `readable`)
        until `assistant index` completes the run and repairs the vectors."""
        if not self.exists():
            raise VectorStoreDamagedError("is missing", self.where)
        try:
            problem = self.check(expected, sample)
        except VectorStoreDamagedError as exc:
            if not interrupted:
                raise
            problem = exc.problem
        if problem is not None and not interrupted:
            raise VectorStoreDamagedError(problem, self.where)
        self.unreadable = problem

    def count(self) -> int:
        return int(self._collection.count())

    def check(self, expected: int, sample: Sequence[tuple[str, int]]) -> str | None:
        """What is wrong with the store, given the catalog's view of it, or None when it is
        sound: fewer vectors than the catalog has paragraphs (a deleted or emptied store), a
        sample of the catalog's paragraphs without a vector, or a vector index that cannot be
        searched (damaged files). Cheap: one count, one lookup and one search. A store that
        cannot be read at all raises VectorStoreDamagedError."""
        collection = self._collection  # outside the try: a model mismatch or an unreachable server is no damage
        try:
            have = int(collection.count())
            if have < expected:
                return f"holds {have:,} vectors for the catalog's {expected:,} paragraphs"
            ids = [str(ChunkId(h, p)) for h, p in sample]
            if not ids:
                return None
            found = collection.get(ids=ids, include=["embeddings"])
            lost = len(set(ids) - set(found["ids"]))
            if lost:
                return f"lacks the vectors of {lost} of {len(ids)} sampled paragraphs"
            if not len(collection.query(query_embeddings=np.asarray(found["embeddings"][:1], dtype=np.float32), n_results=1, include=[])["ids"][0]):
                return "returns nothing when searched"
        except Exception as exc:  # any failure to read is damage to report, not a crash
            raise VectorStoreDamagedError(f"cannot be read ({type(exc).__name__}: {str(exc)[:120]})", self.where) from exc
        return None

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), _ADD_BATCH):
            found.update(self._collection.get(ids=list(ids[i : i + _ADD_BATCH]), include=[])["ids"])
        return found

    def add(self, chunks: Sequence[Chunk], vectors: Sequence[np.ndarray] | None = None) -> None:
        """Embed and upsert. Ids are content-addressed, so a retried batch is harmless.
        `vectors`, one per chunk, are stored as given instead (the benchmark grows an index from
        vectors it already has)."""
        if not chunks:
            return
        lc = self._handle().lc
        for i in range(0, len(chunks), _ADD_BATCH):
            batch = chunks[i : i + _ADD_BATCH]
            metadatas = [
                {
                    "doc_id": c.doc_id,
                    "content_hash": c.content_hash,
                    "paragraph": c.paragraph,
                    "part": c.part,
                    "start": c.start,
                    "end": c.end,
                    "section": c.section,
                }
                for c in batch
            ]
            ids = [c.chunk_id for c in batch]
            if vectors is None:
                lc.add_texts(texts=[c.embed_text for c in batch], metadatas=metadatas, ids=ids)
            else:
                self._collection.upsert(
                    ids=ids, embeddings=np.asarray(vectors[i : i + _ADD_BATCH], dtype=np.float32),
                    metadatas=metadatas, documents=[c.embed_text for c in batch],
                )

    def delete_versions(self, content_hashes: Iterable[str]) -> None:
        """Remove every chunk of the given article versions."""
        hashes = sorted(set(content_hashes))
        for i in range(0, len(hashes), 200):
            self._collection.delete(where={"content_hash": {"$in": hashes[i : i + 200]}})

    def versions(self) -> set[str]:
        """Every article version present (used to sweep what a crash left behind)."""
        out: set[str] = set()
        total = self.count()
        for offset in range(0, total, 5000):
            metas = self._collection.get(include=["metadatas"], limit=5000, offset=offset)["metadatas"] or []
            out.update(str(m["content_hash"]) for m in metas if m)
        return out

    def paragraph_vectors(self, versions: Sequence[tuple[str, int]]) -> dict[tuple[str, int], np.ndarray]:
        """Stored vectors of (content_hash, paragraph), from each paragraph's first chunk: the
        answer step compares them with the question instead of encoding paragraphs again.
        None from a store that cannot be read (see `readable`): the answer step encodes them."""
        ids = [str(ChunkId(h, p)) for h, p in versions]
        if not ids or not self.readable:
            return {}
        from chromadb.errors import ChromaError

        collection = self._collection
        try:
            found = [collection.get(ids=ids, include=["embeddings"])]
        except ChromaError:
            # Embedded Chroma whose in-memory index is older than its own metadata (another
            # process has just indexed): it knows the id but cannot find its vector ("Error
            # finding id"). Ask one by one; a paragraph left without a stored vector is encoded
            # by the answer step. (Real damage is caught by `check` and `search`.)
            found = []
            for cid in ids:
                with contextlib.suppress(ChromaError):
                    found.append(collection.get(ids=[cid], include=["embeddings"]))
        except Exception as exc:
            raise VectorStoreDamagedError(f"cannot be read ({type(exc).__name__}: {str(exc)[:120]})", self.where) from exc
        out = {}
        for res in found:
            for cid, vec in zip(res["ids"], res["embeddings"] if res["embeddings"] is not None else [], strict=True):
                chunk = ChunkId.parse(cid)
                out[(chunk.content_hash, chunk.paragraph)] = np.asarray(vec, dtype=np.float32)
        return out

    def search(self, vector: Sequence[float], n: int, versions: Sequence[str] | None = None) -> list[tuple[str, int, float]]:
        """Nearest chunks as (content_hash, paragraph, cosine similarity); with `versions`, only
        chunks of those article versions (a metadata filter inside Chroma's search, so n results
        still come back when the filter is narrow).

        Read from the chunk ids alone (see ChunkId): asking Chroma for the metadata too made the
        query three times slower, and the catalog, which maps a content hash to its article, is
        the source of truth for what is indexed anyway. Nothing from a store that cannot be read
        (see `readable`)."""
        if not self.readable:
            return []
        where = None
        if versions is not None:
            if not versions:
                return []
            where = {"content_hash": {"$in": list(versions)}} if len(versions) > 1 else {"content_hash": versions[0]}
        collection = self._collection
        try:
            res = collection.query(
                query_embeddings=np.asarray([vector], dtype=np.float32), n_results=n, include=["distances"], where=where
            )
        except Exception as exc:  # a store damaged after it was opened
            raise VectorStoreDamagedError(f"cannot be searched ({type(exc).__name__}: {str(exc)[:120]})", self.where) from exc
        out = []
        for cid, d in zip(res["ids"][0], (res["distances"] or [[]])[0], strict=True):
            chunk = ChunkId.parse(cid)
            out.append((chunk.content_hash, chunk.paragraph, 1.0 - float(d)))
        return out
