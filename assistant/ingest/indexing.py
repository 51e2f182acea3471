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
import sqlite3
import stat
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelMismatchError, SourceNotFoundError, StoreUnavailableError, VectorStoreDamagedError
from ..index import lexical
from ..index.catalog import Catalog, FileRecord, restore_feedback, saved_feedback
from ..index.embedding import Embedder
from ..index.locking import index_lock
from ..index.store import VectorStore
from ..schema import Article, Chunk
from ..settings import Settings
from .chunking import chunk_article
from .parsing import SUPPORTED_SUFFIXES, SkipFileError, parse_bytes

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
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, what was not read perfectly)
    repaired: list[str] = field(default_factory=list)  # what was wrong with the vector store, and what was done
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


def safe_path(path: str | os.PathLike[str]) -> str:
    """A path as text that SQLite, JSON and the terminal accept. A file name that is not valid
    UTF-8 reaches Python with its bad bytes as lone surrogates, which none of them can encode;
    each such byte is written as a backslash escape instead (byte E9 as the four characters
    backslash, x, e, 9), so the file is indexed under that name and the rest of the folder too."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_KINDS = (
    (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
)


def not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read (a FIFO blocks forever, /dev/zero never ends), or None."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"unreadable: {kind}, not a regular file; only regular files are indexed"


def discover(roots: Sequence[Path], report: IndexReport, unreadable: list[str] | None = None) -> list[Path]:
    """Candidate article files under the roots, in a stable order. Loops of symbolic links,
    broken links and hidden files are passed over (loops and broken links with a reason).
    A folder that cannot be listed is reported and added to `unreadable`: its files are not
    missing, so the caller must not remove their articles."""
    found: list[Path] = []

    def cannot_list(exc: OSError) -> None:
        where = safe_path(exc.filename or "")
        report.skipped.append((where, f"unreadable folder: {exc.strerror or exc}; its indexed articles are kept"))
        if unreadable is not None:
            unreadable.append(os.path.abspath(where))

    for root in roots:
        if not root.is_dir():
            found.append(root)  # a file (or a pipe or device: the caller says why it is not read)
            continue
        seen_dirs: set[str] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=cannot_list):
            real = os.path.realpath(dirpath)
            if real in seen_dirs:
                report.skipped.append((safe_path(dirpath), "symbolic link loop: folder already visited"))
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if _is_hidden(name) or name.lower().startswith(_NOT_ARTICLES):
                    continue
                if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    report.skipped.append((safe_path(path), f"unsupported file type {safe_path(path.suffix) or '(none)'}"))
                    continue
                if not path.exists():
                    report.skipped.append((safe_path(path), "broken symbolic link"))
                    continue
                found.append(path)
    return found


def _is_gone(path: str, unreadable: Sequence[str]) -> bool:
    """Only a file that certainly no longer exists is removed: not one in a folder that could
    not be listed, nor one whose status cannot be read (permissions)."""
    if any(path == d or path.startswith(d.rstrip("/") + "/") for d in unreadable):
        return False
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    except ValueError:  # a name SQLite could store but the OS cannot (NUL): it is not on disk
        return True
    return False


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
        self._hold: frozenset[str] = frozenset()

    def run(
        self, paths: Sequence[str | Path], *, rebuild: bool = False, progress: bool = False,
        on_progress: Callable[[int, int], None] | None = None, hold: Collection[str] = (),
    ) -> IndexReport:
        """`progress` draws a terminal bar; `on_progress(files_done, files_total)` serves other
        front ends (the UI's progress bar), called after each committed batch. Files in `hold`
        (absolute paths) are left as they are in the index this time, neither read nor removed:
        a folder watcher holds the files still being written."""
        self._hold = frozenset(hold)
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
        self._write(lambda catalog, vectors: self._sync(roots, catalog, vectors, report, self._progress), rebuild, report)
        report.seconds = time.perf_counter() - started
        return report

    def run_web(self, urls: Sequence[str], feeds: Sequence[str] = (), *, progress: bool = False) -> IndexReport:
        """Articles from web pages and RSS/Atom feeds (see `sources`), stored exactly as files
        are: the URL takes the place of the file path in the catalog. Pages are fetched before
        the index lock is taken, so a slow server never holds up other writers."""
        from .sources import collect

        started = time.perf_counter()
        self._progress = progress
        report = IndexReport()
        known: dict[str, FileRecord] = {}
        if Catalog.exists(self.index_dir):
            catalog = Catalog(self.index_dir, create=False)
            try:
                known = catalog.files_under(["http:", "https:"])  # every path starting "http:/" or "https:/"
            finally:
                catalog.close()
        fetched, report.unchanged = collect(urls, feeds, self.settings.web, known, report.skipped)
        pending = [_Pending(web.record, [web.article]) for web in fetched]
        if pending:
            self._write(lambda catalog, vectors: self._store(pending, catalog, vectors, report, progress), False, report)
        report.seconds = time.perf_counter() - started
        return report

    def _write(self, work: Callable[[Catalog, VectorStore], None], rebuild: bool, report: IndexReport) -> None:
        """`work` under the index lock, with a write failure turned into an actionable error."""
        try:
            self._locked_run(work, rebuild, report)
        except (OSError, sqlite3.Error, _chroma_error()) as exc:
            if isinstance(exc, OSError) and not _is_write_error(exc):
                raise
            raise StoreUnavailableError(
                f"Could not write the index at {self.index_dir} ({type(exc).__name__}: {str(exc)[:160]}). The disk may be "
                "full or the directory read-only. Everything committed before is intact; free space (or fix the "
                "permissions) and run `assistant index` again to finish."
            ) from exc

    def _locked_run(self, work: Callable[[Catalog, VectorStore], None], rebuild: bool, report: IndexReport) -> None:
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
                vectors = self._open_vectors(catalog, report)
                recovering = catalog.meta("dirty") == "1"
                catalog.set_meta("dirty", "1")
                catalog.set_meta("embedding_model", self.embedder.name)
                work(catalog, vectors)
                self._repair(catalog, vectors, report)
                if recovering:
                    # Vectors of article versions the catalog does not hold, left by a crash.
                    # A normal run deletes what it replaces, so this full scan is for recovery only.
                    vectors.delete_versions(vectors.versions() - catalog.versions())
                if report.changed or not lexical.exists(self.index_dir) or recovering:
                    lexical.save(lexical.build(catalog), self.index_dir)
                catalog.set_meta("dirty", "0")
            finally:
                catalog.close()

    def _open_vectors(self, catalog: Catalog, report: IndexReport) -> VectorStore:
        """The vector store, checked: an embedded one whose files cannot be opened or read is set
        aside (see VectorStore.set_aside) and started afresh: `_repair` then re-embeds every
        paragraph from the catalog. A server's store is never touched: that is its admin's call.

        Always loaded from disk (`fresh`): in a long-lived process (a watcher, the UI) the copy
        this process opened earlier may predate another process's run, and would look damaged."""
        store = VectorStore(self.settings.store, self.embedder, fresh=True)
        try:
            store.check(0, catalog.vector_keys(sample=8))  # can it be read at all?
        except VectorStoreDamagedError as exc:
            if self.settings.store.chroma_url:
                raise
            aside = store.set_aside()
            report.repaired.append(f"the vector store {exc.problem}: moved to {aside} (delete it when done) and rebuilt")
        store.sync_often()
        return store

    def _repair(self, catalog: Catalog, vectors: VectorStore, report: IndexReport) -> None:
        """Vectors are derived from the catalog's paragraphs, so a store that lost some (deleted,
        emptied, damaged, or a server that lost its data) is made whole again here: checked
        cheaply on every run (count, a sample, one search), and when that finds a problem, every
        article's chunks are looked up and the missing ones embedded."""
        problem = vectors.check(catalog.vector_count(), catalog.vector_keys(sample=64))
        if problem is None:
            return
        missing: list[Chunk] = []
        n_articles = 0
        for rec in catalog.articles():
            art = catalog.article_object(rec.doc_id)
            if art is None:
                continue
            chunks = chunk_article(art, self.embedder.count_tokens, self.max_tokens)
            have = vectors.existing_ids([c.chunk_id for c in chunks])
            lost = [c for c in chunks if c.chunk_id not in have]
            if lost:
                n_articles += 1
                missing += lost
        for i in range(0, len(missing), self.settings.ingest.commit_chunks):
            vectors.add(missing[i : i + self.settings.ingest.commit_chunks])
        report.chunks_embedded += len(missing)
        report.repaired.append(
            f"the vector store {problem}: re-embedded {len(missing):,} missing chunks of {n_articles:,} articles from the catalog"
        )
        still = vectors.check(catalog.vector_count(), catalog.vector_keys(sample=64))
        if still is not None:
            raise VectorStoreDamagedError(
                f"{still} even after re-embedding; rebuild it with: assistant index --rebuild", vectors.where
            )

    def _wipe(self) -> None:
        """Everything derived from the corpus goes: the catalog, BM25 and the vectors (each
        module deletes its own files)."""
        Catalog.wipe(self.index_dir)
        lexical.wipe(self.index_dir)
        VectorStore(self.settings.store, self.embedder).wipe()

    def _sync(self, roots: list[Path], catalog: Catalog, vectors: VectorStore, report: IndexReport, progress: bool) -> None:
        known = catalog.files_under([safe_path(r) for r in roots])
        unreadable: list[str] = []
        on_disk = discover(roots, report, unreadable)
        seen: set[str] = set()
        pending: list[_Pending] = []
        max_bytes = int(self.settings.ingest.max_file_mb * 1e6)
        for path in on_disk:
            key = safe_path(os.path.abspath(path))
            seen.add(key)
            if key in self._hold:
                continue
            old = known.get(key)
            kept = " (its previously indexed version is kept)" if old else ""
            try:
                st = path.stat()
            except OSError as exc:
                report.skipped.append((key, f"unreadable: {exc.strerror}{kept}"))
                continue
            why = not_regular(st.st_mode)
            if why:
                report.skipped.append((key, f"{why}{kept}"))
                continue
            if old and old.mtime_ns == st.st_mtime_ns and old.size == st.st_size:
                report.unchanged += len(catalog.doc_ids_of(key))
                continue
            notes: list[str] = []
            bad_records: list[str] = []
            try:
                data, st = _read(path, max_bytes)
                digest = hashlib.sha256(data).hexdigest()
                record = FileRecord(key, st.st_mtime_ns, st.st_size, digest)
                if old and old.file_hash == digest:
                    catalog.touch_file(record)
                    report.unchanged += len(catalog.doc_ids_of(key))
                    continue
                articles = parse_bytes(Path(key), data, notes=notes, skipped=bad_records)
            except SkipFileError as exc:
                report.skipped.append((key, f"{exc}{kept}"))
                continue
            report.warnings.extend((key, n) for n in notes)
            report.skipped.extend((key, r) for r in bad_records)
            pending.append(_Pending(record, articles))

        self._store(pending, catalog, vectors, report, progress)

        gone = [p for p in known if p not in seen and p not in self._hold and _is_gone(p, unreadable)]
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
        redated: list[tuple[str, str, str]] = []  # (doc_id, date, origin) of unchanged texts
        n_chunks = 0
        try:
            for item in pending:
                to_store, doc_ids = [], []
                for parsed in item.articles:
                    same = claimed.get(parsed.content_hash) or getattr(catalog.by_content(parsed.content_hash), "doc_id", None)
                    if same is not None:
                        doc_ids.append(same)
                        if same not in claimed.values():  # same text, perhaps a corrected date: no re-embedding
                            redated.append((same, parsed.date, parsed.date_origin))
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
                    self._commit(batch, catalog, vectors, report, redated)
                    bar.update(len(batch))
                    self._tell(bar.n, len(pending))
                    batch, n_chunks, redated = [], 0, []
            if batch:
                self._commit(batch, catalog, vectors, report, redated)
                bar.update(len(batch))
                self._tell(bar.n, len(pending))
        finally:
            bar.close()

    def _tell(self, done: int, total: int) -> None:
        if self._on_progress is not None:
            self._on_progress(done, total)

    @staticmethod
    def _unique_id(art: Article, path: str, catalog: Catalog, claimed: dict[str, str]) -> Article:
        """Two different files with the same name in different folders get distinct ids. So does
        a changed file whose old version another file still holds (d1/x.txt and d2/x.txt were
        the same article, and d2/x.txt was edited): replacing it would take d1/x.txt's away."""
        current = catalog.article(art.doc_id)
        holders = catalog.paths_of(art.doc_id) if current else []
        taken = art.doc_id in claimed.values() or any(h != path for h in holders)
        if not taken:
            return art
        suffix = hashlib.sha256(path.encode()).hexdigest()[:6]
        return dataclasses.replace(art, doc_id=f"{art.doc_id}-{suffix}")

    def _commit(
        self, batch: list[tuple[_Pending, list[Article], list[str]]], catalog: Catalog, vectors: VectorStore, report: IndexReport,
        redated: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    ) -> None:
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
            for doc_id, date, origin in redated:
                if catalog.set_date(doc_id, date, origin) and doc_id not in report.updated:
                    report.updated.append(doc_id)
            stale.extend(catalog.drop_orphans())
        vectors.delete_versions(h for h in stale if catalog.by_content(h) is None)


def _chroma_error() -> type[Exception]:
    from chromadb.errors import ChromaError

    return ChromaError


def _is_write_error(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO)


def _read(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The file's bytes and status, read from one open file: never more than the size limit
    (a file that grows, or lies about its size, cannot exhaust memory), and never from a pipe
    or device that took the file's place after it was listed (opened without blocking)."""
    too_large = (
        "file too large ({:.1f} MB > {:.0f} MB limit); split it, or raise ASSISTANT_INGEST__MAX_FILE_MB"
    )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except PermissionError as exc:
        raise SkipFileError("unreadable: permission denied") from exc
    except OSError as exc:
        raise SkipFileError(f"unreadable: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        why = not_regular(st.st_mode)
        if why:
            raise SkipFileError(why)
        if st.st_size > max_bytes:
            raise SkipFileError(too_large.format(st.st_size / 1e6, max_bytes / 1e6))
        try:
            data = f.read(max_bytes + 1)
        except OSError as exc:
            raise SkipFileError(f"unreadable: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise SkipFileError(too_large.format(len(data) / 1e6, max_bytes / 1e6))
    return data, st
