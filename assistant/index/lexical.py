"""The lexical index: BM25 (bm25s, sparse matrices) over the same paragraphs as the vectors.

Names, numbers and rare words are where dense retrieval alone fails on news, so every query
also runs through BM25. The index is derived from the catalog, saved under the index
directory with the catalog generation it was built from, and loaded (not rebuilt) at start-up;
it is rebuilt only when the catalog has changed since, e.g. after an indexing run that was
killed before it could save.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..text import terms
from .catalog import Catalog
from .locking import lock_if_free

_DIR = "bm25"  # inside the index directory


def saved_dir(index_dir: Path) -> Path:
    """Where the saved index lives in an index directory."""
    return Path(index_dir) / _DIR


def exists(index_dir: Path) -> bool:
    """Whether a saved index is there (of whatever generation)."""
    return saved_dir(index_dir).exists()


def wipe(index_dir: Path) -> None:
    """Delete the saved index (`assistant index --rebuild`); it is rebuilt from the catalog."""
    shutil.rmtree(saved_dir(index_dir), ignore_errors=True)


@lru_cache(maxsize=200_000)
def _cached_terms(title: str, section: str, text: str) -> tuple[str, ...]:
    return tuple(terms(f"{title} {section} {text}"))


def paragraph_terms(title: str, section: str, text: str) -> list[str]:
    """What BM25 indexes for a paragraph: its text, with its headline and section.

    Cached (by the text itself, so a changed paragraph is tokenised afresh): a long-lived
    indexer, such as a folder watcher, rebuilds BM25 after every batch, and tokenising the
    unchanged paragraphs again was two thirds of that rebuild."""
    return list(_cached_terms(title, section, text))


@dataclass
class LexicalIndex:
    bm25: object  # bm25s.BM25
    keys: list[tuple[str, int]]
    generation: int
    _df: dict[str, int] | None = None
    _doc_codes: np.ndarray | None = None  # article number of each paragraph, for filters
    _doc_index: dict[str, int] | None = None

    @property
    def size(self) -> int:
        return len(self.keys)

    def search(self, query_terms: list[str], n: int, doc_ids: set[str] | None = None) -> list[tuple[tuple[str, int], float]]:
        """Best paragraphs for the terms; with `doc_ids`, only paragraphs of those articles (the
        others are masked out before ranking, so n results still come back)."""
        if not self.keys or not query_terms:
            return []
        scores = np.asarray(self.bm25.get_scores(query_terms))  # type: ignore[attr-defined]
        if doc_ids is not None:
            scores = np.where(self._mask(doc_ids), scores, 0.0)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.keys[i], float(scores[i])) for i in top if scores[i] > 0]

    def _mask(self, doc_ids: set[str]) -> np.ndarray:
        """Boolean mask over the paragraphs: those of the given articles."""
        if self._doc_codes is None:
            index: dict[str, int] = {}
            self._doc_codes = np.fromiter((index.setdefault(d, len(index)) for d, _ in self.keys), dtype=np.int64, count=len(self.keys))
            self._doc_index = index
        wanted = np.fromiter((self._doc_index[d] for d in doc_ids if d in self._doc_index), dtype=np.int64)
        return np.isin(self._doc_codes, wanted)

    def idf(self, term: str) -> float:
        """BM25's inverse document frequency; a term the corpus never uses gets the maximum."""
        if self._df is None:
            vocab: dict[str, int] = self.bm25.vocab_dict  # type: ignore[attr-defined]
            indptr = self.bm25.scores["indptr"]  # type: ignore[attr-defined]
            counts = np.diff(indptr)
            self._df = {t: int(counts[i]) for t, i in vocab.items() if i < len(counts)}
        n = max(len(self.keys), 1)
        df = self._df.get(term, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))


def build(catalog: Catalog) -> LexicalIndex:
    import bm25s

    generation = catalog.generation
    keys: list[tuple[str, int]] = []
    corpus: list[list[str]] = []
    for doc_id, number, title, section, text in catalog.all_paragraphs():
        keys.append((doc_id, number))
        corpus.append(paragraph_terms(title, section, text))
    bm25 = bm25s.BM25()
    if corpus:
        bm25.index(corpus, show_progress=False)
    return LexicalIndex(bm25=bm25, keys=keys, generation=generation)


def save(index: LexicalIndex, index_dir: Path) -> None:
    """Write to a temporary folder, then rename: a reader never sees half an index."""
    target = saved_dir(index_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{_DIR}-", dir=index_dir))
    os.chmod(tmp, 0o755)  # mkdtemp's 0700 would hide the index from other users who may read it
    try:
        if index.keys:
            index.bm25.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
        (tmp / "keys.json").write_text(json.dumps({"generation": index.generation, "keys": index.keys}))
        (tmp / "generation").write_text(str(index.generation))
        old = Path(index_dir) / f".{_DIR}-old"
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def saved_generation(index_dir: Path) -> int | None:
    """The catalog generation the saved index was built from: one tiny file, cheap enough to
    check before every query, so a long-running reader picks up a finished indexing run."""
    try:
        return int((saved_dir(index_dir) / "generation").read_text())
    except (OSError, ValueError):
        return None


def _save_unless_locked(index: LexicalIndex, index_dir: Path) -> None:
    """A reader may store the index it had to build, but never while an indexer holds the
    lock (it is about to write its own), and never fails because the directory is read-only."""
    with lock_if_free(index_dir) as free:
        if free:
            with contextlib.suppress(OSError):
                save(index, index_dir)


def load_or_build(catalog: Catalog, index_dir: Path) -> LexicalIndex:
    """The saved index if it matches the catalog's generation, else a fresh build (saved
    when no indexer is running and the directory is writable, so the next start-up is fast).
    A build happens at start-up after a killed indexing run, never per query."""
    import bm25s

    target = saved_dir(index_dir)
    generation = catalog.generation
    try:
        meta = json.loads((target / "keys.json").read_text())
        if meta["generation"] == generation:
            keys = [(str(d), int(n)) for d, n in meta["keys"]]
            bm25 = bm25s.BM25.load(str(target), show_progress=False) if keys else bm25s.BM25()
            return LexicalIndex(bm25=bm25, keys=keys, generation=generation)
    except Exception:  # missing, stale or damaged files (numpy, pickle and JSON each fail their own way): rebuild
        pass
    index = build(catalog)
    _save_unless_locked(index, index_dir)
    return index
