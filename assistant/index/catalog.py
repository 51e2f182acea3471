"""The article catalog: what is indexed, from which files, with the exact paragraph text.

SQLite (one file, transactional) beside the vectors. The catalog is the source of truth for
what the index holds: an article exists once its catalog transaction commits. Vectors are
written *before* that commit and removed *after* the commit that drops their article, so a
crash at any point leaves, at worst, vectors of an article the catalog does not know, which
retrieval ignores and the next `assistant index` sweeps away.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IndexCorruptError, IndexMissingError, StoreUnavailableError
from ..schema import Article, Paragraph, Turn

SCHEMA_VERSION = "2"
_FILE = "catalog.sqlite3"  # inside the index directory; SQLite keeps -wal and -shm files beside it
# Version 1 had no date_origin column and filled `date` only from JSON/HTML fields. It is migrated
# in place when opened (readers of a read-only index read it as is, dates unknown).
_READABLE_VERSIONS = ("1", SCHEMA_VERSION)
_TABLES = frozenset({"meta", "articles", "paragraphs", "files", "sources"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    n_paragraphs INTEGER NOT NULL,
    indexed_at REAL NOT NULL,
    date_origin TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE TABLE IF NOT EXISTS paragraphs (
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, number)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    file_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    PRIMARY KEY (path, doc_id)
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
"""

# Added after schema version 1 shipped, so it is created on first use (`add_feedback`) as well as
# with a new index: an older index keeps working unchanged, and a read-only one is never written
# to just by opening it. Feedback is what users said about answers, not derived from the corpus,
# so writing it does not bump the generation, and `assistant index --rebuild` carries it over.
_FEEDBACK_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    note TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    history TEXT NOT NULL DEFAULT '[]',
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    settings_hash TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT ''
);
"""


_COLUMNS = "doc_id, content_hash, title, date, source, n_paragraphs, indexed_at, date_origin"
_COLUMNS_V1 = "doc_id, content_hash, title, date, source, n_paragraphs, indexed_at, '' AS date_origin"


@dataclass(frozen=True, slots=True)
class FileRecord:
    path: str
    mtime_ns: int
    size: int
    file_hash: str


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """A thumbs up (+1) or down (-1) on one answer, with what was asked and answered.
    `citations` are the answer's citations in the `Answer.to_dict` shape."""

    id: int
    created_at: float
    rating: int
    note: str
    question: str
    history: tuple[Turn, ...]
    answer: str
    citations: tuple[dict[str, Any], ...]
    settings_hash: str
    origin: str  # "api", "ui", …: where the vote came from


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    doc_id: str
    content_hash: str
    title: str
    date: str
    source: str
    n_paragraphs: int
    indexed_at: float
    date_origin: str = ""  # where `date` was read ("dateline", "json:published", "html"); "" when unknown


def _probe(uri: str) -> sqlite3.Connection:
    db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM meta").fetchone()
    except sqlite3.Error:
        db.close()
        raise
    return db


class Catalog:
    """One SQLite connection per Catalog; open one per thread (the UI does)."""

    @staticmethod
    def file(index_dir: str | Path) -> Path:
        """The catalog's database file in an index directory."""
        return Path(index_dir) / _FILE

    @staticmethod
    def exists(index_dir: str | Path) -> bool:
        """Whether the index directory holds a catalog (so that an index was started there)."""
        return Catalog.file(index_dir).exists()

    @staticmethod
    def wipe(index_dir: str | Path) -> None:
        """Delete the catalog with SQLite's journal files (`assistant index --rebuild`)."""
        db = Catalog.file(index_dir)
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            path.unlink(missing_ok=True)

    def __init__(self, index_dir: Path, *, create: bool) -> None:
        self.path = Catalog.file(index_dir)
        if not create and not self.path.exists():
            raise IndexMissingError(index_dir)
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailableError(f"Cannot create the index directory {self.path.parent}: {exc.strerror}.") from exc
        self.read_only = False
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA foreign_keys = ON")
            if create:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.executescript(_SCHEMA + _FEEDBACK_SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
            try:
                version = self.meta("schema_version")
            except sqlite3.OperationalError as exc:
                if create or "no such table" in str(exc):
                    raise
                # A read-only index (a read-only mount, another user's files): SQLite cannot
                # create the WAL's shared-memory file beside it, so open it for reading only.
                self.db.close()
                self.db = self._open_read_only()
                version = self.meta("schema_version")
            missing = _TABLES - {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if missing:
                raise IndexCorruptError(
                    f"The catalog {self.path} lacks its {', '.join(sorted(missing))} table(s): it is damaged. "
                    "Rebuild the index with: assistant index --rebuild"
                )
            if version == "1" and not self.read_only:
                version = self._migrate_v1(required=create)
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(
                f"The catalog {self.path} cannot be read ({exc}). Rebuild the index with: assistant index --rebuild"
            ) from exc
        self._cols = _COLUMNS if version == SCHEMA_VERSION else _COLUMNS_V1
        if version not in _READABLE_VERSIONS:
            raise IndexCorruptError(
                f"The catalog {self.path} has schema version {version!r}, this assistant needs {SCHEMA_VERSION}. "
                "Rebuild with: assistant index --rebuild"
            )

    def _open_read_only(self) -> sqlite3.Connection:
        """`mode=ro` works when SQLite may still create the WAL's -shm file; in a directory it
        cannot write, only `immutable=1` opens it (safe there: nobody who reads it this way can
        be the one writing it, and a writer elsewhere is seen after a restart)."""
        uri = self.path.resolve().as_uri()
        try:
            db = _probe(f"{uri}?mode=ro")
        except sqlite3.OperationalError:
            db = _probe(f"{uri}?immutable=1")
        self.read_only = True
        return db

    def _migrate_v1(self, *, required: bool) -> str:
        """Version 1 → 2: add date_origin, and make the next `assistant index` re-read every file
        (its recorded mtime and hash are cleared) so that dates are filled in from the text. The
        content hashes do not change, so nothing is embedded again. A reader that cannot write
        (read-only index) keeps reading version 1 as it is; an indexer must migrate."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            if "date_origin" not in {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}:
                self.db.execute("ALTER TABLE articles ADD COLUMN date_origin TEXT NOT NULL DEFAULT ''")
            self.db.execute("CREATE INDEX IF NOT EXISTS articles_date ON articles(date)")
            self.db.execute("UPDATE files SET mtime_ns = -1, file_hash = ''")
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
            self.db.execute("COMMIT")
        except sqlite3.OperationalError:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            if required:
                raise
            return "1"
        return SCHEMA_VERSION

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic step; bumps the generation so derived indexes (BM25) know to refresh."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('updated_at', ?)", (str(time.time()),))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # --- meta ---------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # --- files --------------------------------------------------------------------------
    def files_under(self, roots: Sequence[str]) -> dict[str, FileRecord]:
        rows = self.db.execute("SELECT path, mtime_ns, size, file_hash FROM files").fetchall()
        out = {}
        for path, mtime_ns, size, file_hash in rows:
            if any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots):
                out[path] = FileRecord(path, mtime_ns, size, file_hash)
        return out

    def touch_file(self, rec: FileRecord) -> None:
        self.db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE path = ?", (rec.mtime_ns, rec.size, rec.path))

    def doc_ids_of(self, path: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM sources WHERE path = ?", (path,))]

    def paths_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM sources WHERE doc_id = ? ORDER BY path", (doc_id,))]

    # --- articles -----------------------------------------------------------------------
    def article(self, doc_id: str) -> ArticleRecord | None:
        row = self.db.execute(
            f"SELECT {self._cols} FROM articles WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        return ArticleRecord(*row) if row else None

    def by_content(self, content_hash: str) -> ArticleRecord | None:
        row = self.db.execute(
            f"SELECT {self._cols} FROM articles WHERE content_hash = ? ORDER BY doc_id LIMIT 1",
            (content_hash,),
        ).fetchone()
        return ArticleRecord(*row) if row else None

    def doc_ids_by_content(self, content_hashes: Sequence[str]) -> dict[str, str]:
        """content hash -> doc_id for the versions the catalog holds now (one query)."""
        unique = sorted(set(content_hashes))
        if not unique:
            return {}
        rows = self.db.execute(
            f"SELECT content_hash, MIN(doc_id) FROM articles WHERE content_hash IN ({','.join('?' * len(unique))}) GROUP BY content_hash",
            unique,
        ).fetchall()
        return {str(h): str(d) for h, d in rows}

    def articles(self, order: str = "title") -> list[ArticleRecord]:
        """Every article, by headline, or by date ("newest" / "oldest"; undated ones last)."""
        by = {
            "title": "title, doc_id",
            "newest": "date = '', date DESC, title",
            "oldest": "date = '', date, title",
        }
        if order not in by:
            raise ValueError(f"order must be one of {', '.join(by)}, not {order!r}")
        rows = self.db.execute(f"SELECT {self._cols} FROM articles ORDER BY {by[order]}").fetchall()
        return [ArticleRecord(*r) for r in rows]

    def set_date(self, doc_id: str, date: str, origin: str) -> bool:
        """Record a changed date of an article whose content did not change (the date is not part
        of the content hash, so nothing is re-embedded); True when it changed."""
        cur = self.db.execute(
            "UPDATE articles SET date = ?, date_origin = ? WHERE doc_id = ? AND (date != ? OR date_origin != ?)",
            (date, origin, doc_id, date, origin),
        )
        return cur.rowcount > 0

    def date_range(self) -> tuple[str, str]:
        """(oldest, newest) article date, ("", "") when no article is dated. The newest date is
        the archive's "now" for time questions (answer/timeframe.py)."""
        row = self.db.execute("SELECT MIN(date), MAX(date) FROM articles WHERE date != ''").fetchone()
        return (row[0] or "", row[1] or "") if row else ("", "")

    def allowed_versions(self, since: str = "", until: str = "", sources: Sequence[str] = ()) -> dict[str, str]:
        """content hash → doc_id of the articles dated within [since, until] (ISO days, inclusive;
        an undated article is outside any range) whose source path/URL or doc_id contains one of
        `sources` (case-insensitive). Retrieval searches only these."""
        clauses, args = [], []
        if since:
            clauses.append("date != '' AND date >= ?")
            args.append(since)
        if until:
            clauses.append("date != '' AND date <= ?")
            args.append(until)
        if sources:
            either = []
            for src in sources:
                pattern = "%" + src.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                either.append(
                    "(lower(doc_id) LIKE ? ESCAPE '\\' OR lower(source) LIKE ? ESCAPE '\\' OR EXISTS "
                    "(SELECT 1 FROM sources s WHERE s.doc_id = articles.doc_id AND lower(s.path) LIKE ? ESCAPE '\\'))"
                )
                args += [pattern, pattern, pattern]
            clauses.append("(" + " OR ".join(either) + ")")
        where = " AND ".join(clauses) or "1"
        rows = self.db.execute(f"SELECT content_hash, MIN(doc_id) FROM articles WHERE {where} GROUP BY content_hash", args)
        return {str(h): str(d) for h, d in rows}

    def dates_of(self, doc_ids: Sequence[str]) -> dict[str, str]:
        unique = sorted(set(doc_ids))
        if not unique:
            return {}
        rows = self.db.execute(f"SELECT doc_id, date FROM articles WHERE doc_id IN ({','.join('?' * len(unique))})", unique)
        return {str(d): str(x) for d, x in rows}

    def find_articles(self, query: str, limit: int = 200) -> list[ArticleRecord]:
        """Articles whose headline or text contains every word of `query` (case-insensitive),
        for browsing; the question path uses retrieval, not this."""
        words = [w for w in query.split() if w][:8]
        if not words:
            return self.articles()[:limit]
        clause = " AND ".join(
            "(a.title LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM paragraphs p WHERE p.doc_id = a.doc_id AND p.text LIKE ? ESCAPE '\\'))"
            for _ in words
        )
        args: list[object] = []
        for w in words:
            pattern = "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            args += [pattern, pattern]
        rows = self.db.execute(
            f"SELECT {self._cols} FROM articles a WHERE {clause} ORDER BY title LIMIT ?",
            (*args, limit),
        ).fetchall()
        return [ArticleRecord(*r) for r in rows]

    def versions(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT content_hash FROM articles")}

    def put_article(self, article: Article) -> str | None:
        """Insert or replace an article; returns the content hash of the version it replaced."""
        old = self.article(article.doc_id)
        self.db.execute("DELETE FROM paragraphs WHERE doc_id = ?", (article.doc_id,))
        # An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the delete
        # cascades to every file's link to the article, including files that still hold it.
        self.db.execute(
            "INSERT INTO articles (doc_id, content_hash, title, date, source, n_paragraphs, indexed_at, date_origin) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
            "content_hash = excluded.content_hash, title = excluded.title, date = excluded.date, "
            "source = excluded.source, n_paragraphs = excluded.n_paragraphs, indexed_at = excluded.indexed_at, "
            "date_origin = excluded.date_origin",
            (article.doc_id, article.content_hash, article.title, article.date, article.source,
             len(article.paragraphs), time.time(), article.date_origin),
        )
        self.db.executemany(
            "INSERT INTO paragraphs VALUES (?, ?, ?, ?)",
            [(article.doc_id, p.number, p.section, p.text) for p in article.paragraphs],
        )
        return old.content_hash if old and old.content_hash != article.content_hash else None

    def link(self, rec: FileRecord, doc_ids: Iterable[str]) -> None:
        """Record that a file now holds exactly these articles."""
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (rec.path, rec.mtime_ns, rec.size, rec.file_hash))
        self.db.execute("DELETE FROM sources WHERE path = ?", (rec.path,))
        self.db.executemany("INSERT OR IGNORE INTO sources VALUES (?, ?)", [(rec.path, d) for d in doc_ids])

    def unlink_file(self, path: str) -> None:
        self.db.execute("DELETE FROM files WHERE path = ?", (path,))

    def drop_orphans(self) -> list[str]:
        """Delete articles no file holds any more; returns their content hashes."""
        rows = self.db.execute(
            "SELECT doc_id, content_hash FROM articles WHERE doc_id NOT IN (SELECT doc_id FROM sources)"
        ).fetchall()
        self.db.executemany("DELETE FROM articles WHERE doc_id = ?", [(r[0],) for r in rows])
        # An article that lost one of its files keeps a source path that still exists.
        self.db.execute(
            "UPDATE articles SET source = (SELECT MIN(path) FROM sources WHERE sources.doc_id = articles.doc_id) "
            "WHERE source NOT LIKE '%://%' "  # an article's own URL (JSON `url`) is kept as its source
            "AND source NOT IN (SELECT path FROM sources WHERE sources.doc_id = articles.doc_id) "
            "AND rtrim(source, '0123456789#') NOT IN (SELECT path FROM sources WHERE sources.doc_id = articles.doc_id)"
        )
        return [r[1] for r in rows]

    # --- paragraphs ---------------------------------------------------------------------
    def paragraphs(self, doc_id: str) -> list[Paragraph]:
        rows = self.db.execute(
            "SELECT number, text, section FROM paragraphs WHERE doc_id = ? ORDER BY number", (doc_id,)
        ).fetchall()
        return [Paragraph(number=n, text=t, section=s) for n, t, s in rows]

    def lookup(self, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], tuple[ArticleRecord, Paragraph]]:
        """Paragraphs with their articles, for the given (doc_id, number) keys."""
        out: dict[tuple[str, int], tuple[ArticleRecord, Paragraph]] = {}
        cache: dict[str, ArticleRecord | None] = {}
        for doc_id, number in keys:
            if doc_id not in cache:
                cache[doc_id] = self.article(doc_id)
            art = cache[doc_id]
            row = self.db.execute(
                "SELECT text, section FROM paragraphs WHERE doc_id = ? AND number = ?", (doc_id, number)
            ).fetchone()
            if art and row:
                out[(doc_id, number)] = (art, Paragraph(number=number, text=row[0], section=row[1]))
        return out

    def all_paragraphs(self) -> Iterator[tuple[str, int, str, str, str]]:
        """(doc_id, number, title, section, text) for every paragraph, in a stable order."""
        yield from self.db.execute(
            "SELECT p.doc_id, p.number, a.title, p.section, p.text FROM paragraphs p "
            "JOIN articles a USING (doc_id) ORDER BY p.doc_id, p.number"
        )

    def vector_keys(self, sample: int | None = None) -> list[tuple[str, int]]:
        """(content_hash, paragraph) of every paragraph the vector store must hold (each has at
        least the chunk `hash:paragraph:0`), or of a random sample of them."""
        sql = "SELECT DISTINCT a.content_hash, p.number FROM paragraphs p JOIN articles a USING (doc_id)"
        if sample is not None:
            return [(str(h), int(n)) for h, n in self.db.execute(f"{sql} ORDER BY random() LIMIT ?", (sample,))]
        return [(str(h), int(n)) for h, n in self.db.execute(sql)]

    def vector_count(self) -> int:
        """How many paragraph versions the vector store must hold at least."""
        return int(self.db.execute(
            "SELECT count(*) FROM (SELECT DISTINCT a.content_hash, p.number FROM paragraphs p JOIN articles a USING (doc_id))"
        ).fetchone()[0])

    def article_object(self, doc_id: str) -> Article | None:
        """An indexed article rebuilt from the catalog, for re-embedding it."""
        rec = self.article(doc_id)
        if rec is None:
            return None
        return Article(doc_id=rec.doc_id, title=rec.title, paragraphs=tuple(self.paragraphs(doc_id)),
                       source=rec.source, content_hash=rec.content_hash, date=rec.date)

    def stats(self) -> dict[str, object]:
        n_art = self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        n_par = self.db.execute("SELECT COUNT(*) FROM paragraphs").fetchone()[0]
        n_files = self.db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        n_dated = self.db.execute("SELECT COUNT(*) FROM articles WHERE date != ''").fetchone()[0]
        oldest, newest = self.date_range()
        updated = self.meta("updated_at")
        return {"articles": n_art, "paragraphs": n_par, "files": n_files, "dated_articles": n_dated,
                "oldest_date": oldest or None, "newest_date": newest or None,
                "updated_at": float(updated) if updated else None}

    # --- feedback -----------------------------------------------------------------------
    def add_feedback(
        self, *, rating: int, question: str, answer: str, citations: Sequence[dict[str, Any]] = (),
        settings_hash: str = "", note: str = "", history: Sequence[Turn] = (), origin: str = "",
        created_at: float | None = None,
    ) -> int:
        """Store one vote; returns its id."""
        if rating not in (-1, 1):
            raise ValueError(f"rating must be 1 (up) or -1 (down), not {rating!r}")
        row = (
            time.time() if created_at is None else created_at, rating, note, question,
            json.dumps([{"role": t.role, "content": t.content} for t in history], ensure_ascii=False),
            answer, json.dumps(list(citations), ensure_ascii=False), settings_hash, origin,
        )
        try:
            self.db.executescript(_FEEDBACK_SCHEMA)
            cur = self.db.execute(
                "INSERT INTO feedback (created_at, rating, note, question, history, answer, citations, settings_hash, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        except sqlite3.OperationalError as exc:
            raise StoreUnavailableError(
                f"Cannot record feedback in {self.path} ({exc}). The index directory may be read-only or busy; "
                "fix its permissions and try again."
            ) from exc
        return int(cur.lastrowid or 0)

    def feedback(self, rating: int | None = None) -> list[FeedbackRecord]:
        """Votes, oldest first (`rating` -1 for the down-votes only); none in an index older than the table."""
        if self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'feedback'").fetchone() is None:
            return []
        sql = "SELECT id, created_at, rating, note, question, history, answer, citations, settings_hash, origin FROM feedback"
        rows = self.db.execute(sql + (" WHERE rating = ?" if rating is not None else "") + " ORDER BY id",
                               (rating,) if rating is not None else ()).fetchall()
        return [
            FeedbackRecord(
                id=r[0], created_at=r[1], rating=r[2], note=r[3], question=r[4],
                history=tuple(Turn(t["role"], t["content"]) for t in json.loads(r[5])), answer=r[6],
                citations=tuple(json.loads(r[7])), settings_hash=r[8], origin=r[9],
            )
            for r in rows
        ]


def saved_feedback(index_dir: Path) -> list[FeedbackRecord]:
    """The feedback an index holds, read before `--rebuild` wipes the catalog so it can be put back."""
    if not Catalog.exists(index_dir):
        return []
    try:
        catalog = Catalog(index_dir, create=False)
    except (IndexCorruptError, IndexMissingError):
        return []  # a damaged catalog is what --rebuild is for; its votes cannot be read anyway
    try:
        return catalog.feedback()
    except sqlite3.DatabaseError:
        return []
    finally:
        catalog.close()


def restore_feedback(catalog: Catalog, records: Sequence[FeedbackRecord]) -> None:
    for r in records:
        catalog.add_feedback(
            rating=r.rating, question=r.question, answer=r.answer, citations=r.citations, settings_hash=r.settings_hash,
            note=r.note, history=r.history, origin=r.origin, created_at=r.created_at,
        )
