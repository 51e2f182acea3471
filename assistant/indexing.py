"""Incremental indexing: files on disk → catalog + vectors + BM25, doing only the work needed.

- A file whose size and mtime match the catalog is not even read; one whose bytes hash the
  same is not parsed; an article whose content is already indexed (the same article under
  another name) is linked, not stored twice; a chunk whose vector exists is not re-embedded.
- A changed file replaces its old paragraphs; a file that disappeared from a folder being
  indexed is removed with its articles. Files outside the given paths are left alone.
- A file that cannot be read or parsed is skipped with a reason; if it was indexed before,
  its previous version stays (nothing already indexed is lost).
- Work is committed in batches (vectors first, then the catalog), so a crash or kill keeps
  every committed batch usable and the next run carries on from there.
- One indexer at a time per index: a lock file refuses a second one clearly.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import lexical
from .catalog import Catalog, FileRecord, restore_feedback, saved_feedback
from .chunking import chunk_article
from .embedding import Embedder
from .errors import ModelMismatchError, SourceNotFoundError, StoreUnavailableError
from .locking import index_lock
from .parsing import SUPPORTED_SUFFIXES, SkipFileError, parse_bytes
from .schema import Article
from .settings import Settings
from .store import VectorStore

# Names that sit beside articles in a corpus folder but are not articles.
_NOT_ARTICLES = ("readme", "license", "licence", "changelog", "contributing", "notice", "copying")


@dataclass
class IndexReport:
    """What an indexing run did, for the summary line and for scripts (`--json`)."""

    added: list[str] = field(default_factory=list)  # doc_ids
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, doc_id it duplicates)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    chunks_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.unchanged} unchanged, "
            f"{len(self.removed)} removed, {len(self.duplicates)} duplicates, {len(self.skipped)} skipped "
            f"({self.chunks_embedded} chunks embedded in {self.seconds:.1f} s)"
        )

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def discover(roots: Sequence[Path], report: IndexReport) -> list[Path]:
    """Candidate article files under the roots, in a stable order. Loops of symbolic links,
    broken links and hidden files are passed over (loops and broken links with a reason)."""
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
            continue
        seen_dirs: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=None):
            real = os.path.realpath(dirpath)
            if real in seen_dirs:
                report.skipped.append((dirpath, "symbolic link loop: folder already visited"))
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if _is_hidden(name) or name.lower().startswith(_NOT_ARTICLES):
                    continue
                if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    report.skipped.append((str(path), f"unsupported file type {path.suffix or '(none)'}"))
                    continue
                if not path.exists():
                    report.skipped.append((str(path), "broken symbolic link"))
                    continue
                found.append(path)
    return found


@dataclass
class _Pending:
    record: FileRecord
    articles: list[Article]


class Indexer:
    """Holds the open catalog and stores for one indexing run (or several, in a long-lived UI)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.index_dir = Path(settings.store.index_dir)
        self.embedder = embedder or Embedder(settings.embedding)
        self.max_tokens = settings.chunking.max_tokens or self.embedder.max_tokens
        self._on_progress: Callable[[int, int], None] | None = None
        self._progress = False

    def run(
        self, paths: Sequence[str | Path], *, rebuild: bool = False, progress: bool = False,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> IndexReport:
        """`progress` draws a terminal bar; `on_progress(files_done, files_total)` serves other
        front ends (the UI's progress bar), called after each committed batch."""
        self._on_progress = on_progress
        self._progress = progress
        started = time.perf_counter()
        roots = [Path(os.path.abspath(os.path.expanduser(p))) for p in paths]
        missing = [str(r) for r in roots if not r.exists()]
        if missing:
            raise SourceNotFoundError(
                f"No such file or folder: {', '.join(missing)}. Check the path; nothing was changed in the index."
            )
        report = IndexReport()
        try:
            self._locked_run(roots, rebuild, report)
        except (OSError, sqlite3.Error, _chroma_error()) as exc:
            if isinstance(exc, OSError) and not _is_write_error(exc):
                raise
            raise StoreUnavailableError(
                f"Could not write the index at {self.index_dir} ({type(exc).__name__}: {str(exc)[:160]}). The disk may be "
                "full or the directory read-only. Everything committed before is intact; free space (or fix the "
                "permissions) and run `assistant index` again to finish."
            ) from exc
        report.seconds = time.perf_counter() - started
        return report

    def _locked_run(self, roots: list[Path], rebuild: bool, report: IndexReport) -> None:
        progress = self._progress
        with index_lock(self.index_dir):
            kept = saved_feedback(self.index_dir) if rebuild else []
            if rebuild:
                self._wipe()
            catalog = Catalog(self.index_dir, create=True)
            try:
                restore_feedback(catalog, kept)  # users' votes are not derived from the corpus: keep them
                built_with = catalog.meta("embedding_model")
                if built_with and built_with != self.embedder.name:
                    raise ModelMismatchError(built_with, self.embedder.name)
                # Opened on first use: a run that finds nothing to do never loads Chroma (seconds of imports).
                vectors: VectorStore = _Lazy(lambda: VectorStore(self.settings.store, self.embedder))  # type: ignore[assignment]
                recovering = catalog.meta("dirty") == "1"
                catalog.set_meta("dirty", "1")
                catalog.set_meta("embedding_model", self.embedder.name)
                self._sync(roots, catalog, vectors, report, progress)
                if recovering:
                    # Vectors of article versions the catalog does not hold, left by a crash.
                    # A normal run deletes what it replaces, so this full scan is for recovery only.
                    vectors.delete_versions(vectors.versions() - catalog.versions())
                lex_dir = self.index_dir / "bm25"
                if report.changed or not lex_dir.exists() or recovering:
                    lexical.save(lexical.build(catalog), self.index_dir)
                catalog.set_meta("dirty", "0")
            finally:
                catalog.close()

    def _wipe(self) -> None:
        for name in ("catalog.sqlite3", "catalog.sqlite3-wal", "catalog.sqlite3-shm"):
            (self.index_dir / name).unlink(missing_ok=True)
        shutil.rmtree(self.index_dir / "bm25", ignore_errors=True)
        if self.settings.store.chroma_url:
            vectors = VectorStore(self.settings.store, self.embedder)
            vectors.lc.delete_collection()
        else:
            shutil.rmtree(self.index_dir / "chroma", ignore_errors=True)

    def _sync(self, roots: list[Path], catalog: Catalog, vectors: VectorStore, report: IndexReport, progress: bool) -> None:
        known = catalog.files_under([str(r) for r in roots])
        on_disk = discover(roots, report)
        seen: set[str] = set()
        pending: list[_Pending] = []
        max_bytes = int(self.settings.ingest.max_file_mb * 1e6)
        for path in on_disk:
            key = os.path.abspath(path)
            seen.add(key)
            try:
                st = path.stat()
            except OSError as exc:
                report.skipped.append((key, f"unreadable: {exc.strerror}"))
                continue
            old = known.get(key)
            if old and old.mtime_ns == st.st_mtime_ns and old.size == st.st_size:
                report.unchanged += len(catalog.doc_ids_of(key))
                continue
            try:
                data = _read(path, st.st_size, max_bytes)
                digest = hashlib.sha256(data).hexdigest()
                record = FileRecord(key, st.st_mtime_ns, st.st_size, digest)
                if old and old.file_hash == digest:
                    catalog.touch_file(record)
                    report.unchanged += len(catalog.doc_ids_of(key))
                    continue
                articles = parse_bytes(path, data)
            except SkipFileError as exc:
                kept = " (its previously indexed version is kept)" if old else ""
                report.skipped.append((key, f"{exc}{kept}"))
                continue
            pending.append(_Pending(record, articles))

        self._store(pending, catalog, vectors, report, progress)

        gone = [p for p in known if p not in seen and not os.path.exists(p)]
        if gone:
            with catalog.transaction():
                docs = {d for p in gone for d in catalog.doc_ids_of(p)}
                for p in gone:
                    catalog.unlink_file(p)
                stale = catalog.drop_orphans()
                report.removed.extend(d for d in sorted(docs) if catalog.article(d) is None)
            vectors.delete_versions(h for h in stale if catalog.by_content(h) is None)

    def _store(self, pending: list[_Pending], catalog: Catalog, vectors: VectorStore, report: IndexReport, progress: bool) -> None:
        from tqdm import tqdm

        bar = tqdm(total=len(pending), unit="file", desc="Indexing", disable=not progress, leave=False)
        claimed: dict[str, str] = {}  # content hash -> doc_id, for duplicates within this run
        batch: list[tuple[_Pending, list[Article], list[str]]] = []
        n_chunks = 0
        try:
            for item in pending:
                to_store, doc_ids = [], []
                for parsed in item.articles:
                    same = claimed.get(parsed.content_hash) or getattr(catalog.by_content(parsed.content_hash), "doc_id", None)
                    if same is not None:
                        doc_ids.append(same)
                        if same not in catalog.doc_ids_of(item.record.path) and parsed.doc_id != same:
                            report.duplicates.append((item.record.path, same))
                        continue
                    art = self._unique_id(parsed, item.record.path, catalog, claimed)
                    claimed[art.content_hash] = art.doc_id
                    to_store.append(art)
                    doc_ids.append(art.doc_id)
                batch.append((item, to_store, doc_ids))
                n_chunks += sum(len(a.paragraphs) for a in to_store)
                if n_chunks >= self.settings.ingest.commit_chunks:
                    self._commit(batch, catalog, vectors, report)
                    bar.update(len(batch))
                    self._tell(bar.n, len(pending))
                    batch, n_chunks = [], 0
            if batch:
                self._commit(batch, catalog, vectors, report)
                bar.update(len(batch))
                self._tell(bar.n, len(pending))
        finally:
            bar.close()

    def _tell(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)

    @staticmethod
    def _unique_id(art: Article, path: str, catalog: Catalog, claimed: dict[str, str]) -> Article:
        """Two different files with the same name in different folders get distinct ids."""
        current = catalog.article(art.doc_id)
        holders = catalog.paths_of(art.doc_id) if current else []
        taken = art.doc_id in claimed.values() or (current is not None and holders and path not in holders)
        if not taken:
            return art
        suffix = hashlib.sha256(path.encode()).hexdigest()[:6]
        return dataclasses.replace(art, doc_id=f"{art.doc_id}-{suffix}")

    def _commit(self, batch: list[tuple[_Pending, list[Article], list[str]]], catalog: Catalog, vectors: VectorStore, report: IndexReport) -> None:
        chunks = [c for _, arts, _ in batch for a in arts for c in chunk_article(a, self.embedder.count_tokens, self.max_tokens)]
        have = vectors.existing_ids([c.chunk_id for c in chunks])
        missing = [c for c in chunks if c.chunk_id not in have]
        vectors.add(missing)
        report.chunks_embedded += len(missing)
        stale: list[str] = []
        with catalog.transaction():
            for item, arts, doc_ids in batch:
                for art in arts:
                    replaced = catalog.put_article(art)
                    if replaced:
                        stale.append(replaced)
                    (report.updated if replaced else report.added).append(art.doc_id)
                catalog.link(item.record, doc_ids)
            stale.extend(catalog.drop_orphans())
        vectors.delete_versions(h for h in stale if catalog.by_content(h) is None)


class _Lazy:
    """Builds the wrapped object on first attribute access."""

    def __init__(self, make: Callable[[], object]) -> None:
        self._make, self._obj = make, None

    def __getattr__(self, name: str) -> object:
        if self._obj is None:
            self._obj = self._make()
        return getattr(self._obj, name)


def _chroma_error() -> type[Exception]:
    from chromadb.errors import ChromaError

    return ChromaError


def _is_write_error(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO)


def _read(path: Path, size: int, max_bytes: int) -> bytes:
    if size > max_bytes:
        raise SkipFileError(
            f"file too large ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB limit); split it, "
            "or raise ASSISTANT_INGEST__MAX_FILE_MB"
        )
    try:
        return path.read_bytes()
    except PermissionError as exc:
        raise SkipFileError("unreadable: permission denied") from exc
    except OSError as exc:
        raise SkipFileError(f"unreadable: {exc.strerror or exc}") from exc
