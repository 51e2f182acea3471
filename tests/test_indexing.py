from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.errors import IndexLockedError, ModelMismatchError, SourceNotFoundError
from assistant.index import lexical
from assistant.index.catalog import Catalog
from assistant.index.embedding import Embedder
from assistant.index.locking import index_lock
from assistant.index.store import VectorStore, embedded_dir
from assistant.ingest.indexing import Indexer
from assistant.settings import Settings

from .conftest import SEED_A, SEED_B, settings_for


def run(index_dir: Path, embedder: Embedder, *paths: Path, **kw):
    return Indexer(settings_for(index_dir), embedder).run(list(paths), **kw)


def test_incremental_add_unchanged_change_remove_duplicate(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    index = tmp_path / "index"
    first = run(index, embedder, corpus_copy)
    assert sorted(first.added) == [SEED_A, SEED_B]
    assert first.chunks_embedded == 49

    again = run(index, embedder, corpus_copy)
    assert (again.added, again.updated, again.removed, again.chunks_embedded) == ([], [], [], 0)
    assert again.unchanged == 2

    # Touching a file without changing it costs a hash, not an embedding.
    os.utime(corpus_copy / f"{SEED_B}.txt", (time.time() + 5, time.time() + 5))
    assert run(index, embedder, corpus_copy).chunks_embedded == 0

    # A changed file replaces its old paragraphs.
    path_b = corpus_copy / f"{SEED_B}.txt"
    text = path_b.read_text()
    path_b.write_text(text.replace("Zhang Hanhui", "Zhang Hanhui (envoy)"))
    changed = run(index, embedder, corpus_copy)
    assert changed.updated == [SEED_B] and changed.added == []
    assert changed.chunks_embedded == 18  # the article's content hash changed: its chunks are new
    cat = Catalog(index, create=False)
    assert "Zhang Hanhui (envoy)" in cat.paragraphs(SEED_B)[8].text
    vectors = VectorStore(settings_for(index).store, embedder)
    assert vectors.count() == 49  # old version's vectors are gone
    # A copy under another name is stored once.
    shutil.copy(path_b, corpus_copy / "copy-of-b.txt")
    dup = run(index, embedder, corpus_copy)
    assert dup.added == [] and dup.chunks_embedded == 0
    assert [d for _, d in dup.duplicates] == [SEED_B]
    assert cat.stats()["articles"] == 2 and vectors.count() == 49

    # Removing one copy keeps the article; removing both removes it.
    path_b.unlink()
    assert run(index, embedder, corpus_copy).removed == []
    (corpus_copy / "copy-of-b.txt").unlink()
    gone = run(index, embedder, corpus_copy)
    assert gone.removed == [SEED_B]
    assert cat.stats()["articles"] == 1 and vectors.count() == 31
    cat.close()


def test_bad_files_are_skipped_and_nothing_is_lost(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    index = tmp_path / "index"
    run(index, embedder, corpus_copy)
    (corpus_copy / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "notes.docx").write_bytes(b"PK\x03\x04")
    (corpus_copy / "latin1.txt").write_bytes("Caf\xe9 society\nThe caf\xe9 on the corner closed.".encode("latin-1"))
    # A previously indexed file that becomes unreadable keeps its indexed version.
    (corpus_copy / f"{SEED_A}.txt").write_bytes(b"")
    report = run(index, embedder, corpus_copy)
    reasons = {Path(p).name: r for p, r in report.skipped}
    assert "binary" in reasons["image.txt"]
    assert "empty" in reasons["empty.txt"]
    assert "unsupported" in reasons["notes.docx"]
    assert "previously indexed version is kept" in reasons[f"{SEED_A}.txt"]
    assert report.added == ["latin1"]
    cat = Catalog(index, create=False)
    assert cat.paragraphs("latin1")[0].text == "The café on the corner closed."
    assert len(cat.paragraphs(SEED_A)) == 31
    cat.close()


def test_missing_path_changes_nothing(tmp_path: Path, embedder: Embedder) -> None:
    with pytest.raises(SourceNotFoundError, match="No such file or folder"):
        run(tmp_path / "index", embedder, tmp_path / "nope")
    assert not Catalog.exists(tmp_path / "index")


def test_rebuild_starts_every_part_of_the_index_afresh(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    """`--rebuild` goes through each part's own wipe (catalog, BM25, vectors), then indexes again."""
    index = tmp_path / "index"
    run(index, embedder, corpus_copy)
    (corpus_copy / f"{SEED_A}.txt").unlink()
    settings = settings_for(index)
    store = VectorStore(settings.store, embedder)
    assert store.exists() and Catalog.exists(index) and lexical.exists(index)
    report = run(index, embedder, corpus_copy, rebuild=True)
    assert (report.added, report.removed, report.chunks_embedded) == ([SEED_B], [], 18)
    assert VectorStore(settings.store, embedder, fresh=True).count() == 18  # SEED_A's vectors went with the old store
    cat = Catalog(index, create=False)
    assert [a.doc_id for a in cat.articles()] == [SEED_B]
    assert lexical.load_or_build(cat, index).size == 18
    cat.close()


def test_a_vector_store_reads_nothing_until_it_is_used(tmp_path: Path, embedder: Embedder) -> None:
    """Opened lazily: a store object can exist for a folder that has none (so readers and
    indexers need no stand-in object), and saying whether it exists creates nothing."""
    store = VectorStore(settings_for(tmp_path / "nowhere").store, embedder)
    assert not store.exists() and not (tmp_path / "nowhere").exists()
    assert store.search([0.0] * 384, 3) == [] and embedded_dir(tmp_path / "nowhere").is_dir()


def test_second_indexer_is_refused_while_one_runs(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    index = tmp_path / "index"
    with index_lock(index), pytest.raises(IndexLockedError, match="being written by process"):
        run(index, embedder, corpus_copy)


def test_interrupted_run_leaves_usable_index_and_next_run_sweeps(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    """Simulate a kill between writing vectors and committing the catalog: the vectors of an
    uncommitted article must be invisible to answers and removed by the next run."""
    index = tmp_path / "index"
    run(index, embedder, corpus_copy)
    settings = settings_for(index)
    from assistant.ingest.chunking import chunk_article
    from assistant.ingest.parsing import parse_bytes

    stray = corpus_copy / f"{SEED_B}.txt"
    [art] = parse_bytes(stray, stray.read_bytes().replace(b"Zhang Hanhui", b"Somebody Else"))
    vectors = VectorStore(settings.store, embedder)
    vectors.add(chunk_article(art, embedder.count_tokens, embedder.max_tokens))  # written, never committed
    cat = Catalog(index, create=True)
    cat.set_meta("dirty", "1")
    cat.close()
    assert vectors.count() == 49 + 18

    answer = Assistant(settings).ask("Who is China's ambassador to Russia?")
    assert all("Somebody Else" not in c.text for c in answer.citations)
    assert "Zhang Hanhui" in answer.citations[0].text

    report = run(index, embedder, corpus_copy)
    assert report.chunks_embedded == 0
    assert vectors.count() == 49


def test_index_built_with_another_model_is_refused(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    index = tmp_path / "index"
    run(index, embedder, corpus_copy)
    other = Settings().override({"store.index_dir": index, "embedding.model": str(embedder.path)})
    with pytest.raises(ModelMismatchError, match=r"[Rr]e-index"):
        Assistant(other)
