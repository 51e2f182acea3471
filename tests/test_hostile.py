"""Issue 17: files that are not ordinary text, a damaged vector store, one huge paragraph, and
the other hostile inputs that once ended in a traceback, a hang or a lost article. One test (or
more) per numbered case of the issue, on the real seed corpus, a real Chroma on disk, the real
model and, where the issue describes the command line, the real CLI in a subprocess.

Permissions mean nothing to root, so the unreadable-folder and read-only-index cases run the CLI
as the unprivileged user `nobody` (setpriv, with the system's python3.11 on the venv's
packages, since the venv's interpreter lives under /root)."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answer.pipeline import Assistant
from assistant.errors import IndexCorruptError
from assistant.index import lexical
from assistant.index.catalog import Catalog
from assistant.index.embedding import Embedder
from assistant.index.store import VectorStore, embedded_dir
from assistant.ingest.indexing import Indexer, IndexReport
from assistant.settings import Settings

from .conftest import ROOT, SEED, SEED_A, SEED_B, settings_for

CLI = [sys.executable, "-m", "assistant"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}
QUESTION = "Who is China's ambassador to Russia?"


def cli(*args: str, timeout: float = 300, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], check=False, capture_output=True, text=True, env=env or ENV, timeout=timeout, cwd=ROOT)


def index(index_dir: Path, embedder: Embedder, *paths: Path) -> IndexReport:
    return Indexer(settings_for(index_dir), embedder).run(list(paths))


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr[-3000:]


# ------------------------------------------------------------------------------------------
# Running as a user that permissions apply to


@pytest.fixture(scope="module")
def nobody(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[Path, object]]:
    """(a folder `nobody` can reach, run(args, ...) → the CLI as `nobody`). The model's
    exported ONNX file (this run's, made now if no test made it yet) is linked into a readable
    cache, so no re-export happens."""
    embedder.encode(["export the model into this run's cache"])
    system_python = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if os.geteuid() != 0:
        pytest.skip("these cases need root to switch to the user nobody")
    if not shutil.which("setpriv") or not system_python.exists():
        pytest.skip(f"needs setpriv and {system_python} to run the CLI as nobody")
    base = Path(tempfile.mkdtemp(prefix="hostile-nobody-", dir="/tmp"))
    os.chmod(base, 0o755)
    cache = base / "cache" / "onnx"
    cache.mkdir(parents=True)
    for f in (Settings().embedding.cache_dir.expanduser() / "onnx").glob("*.onnx"):
        try:
            os.link(f, cache / f.name)
        except OSError:
            shutil.copyfile(f, cache / f.name)
    for d in (base / "cache", cache):
        os.chmod(d, 0o755)
    home = base / "home"
    home.mkdir()
    os.chown(home, 65534, 65534)
    env = {
        **ENV, "HOME": str(home), "ASSISTANT_EMBEDDING__CACHE_DIR": str(base / "cache"),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{sysconfig.get_paths()['purelib']}",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", str(system_python), "-m", "assistant", *args]
        return subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, timeout=300, cwd=base)

    probe = run("--help")
    if probe.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"the CLI does not start as nobody: {probe.stderr[-300:]}")
    yield base, run
    shutil.rmtree(base, ignore_errors=True)


def chown_tree(path: Path, uid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(path):
        for name in [*dirnames, *filenames]:
            os.chown(os.path.join(dirpath, name), uid, uid, follow_symlinks=False)
    os.chown(path, uid, uid)


# ------------------------------------------------------------------------------------------
# 1. Non-regular files


def test_1_pipes_and_devices_are_skipped_not_read(tmp_path: Path, corpus_copy: Path) -> None:
    os.mkfifo(corpus_copy / "pipe.txt")  # reading it would block forever
    (corpus_copy / "zero.txt").symlink_to("/dev/zero")  # reading it would never end
    result = cli("index", str(corpus_copy), "--index-dir", str(tmp_path / "index"), "--quiet", timeout=240)
    no_traceback(result)
    assert result.returncode == 1, result.stderr  # finished, some files skipped
    lines = result.stderr.splitlines()
    pipe = next(ln for ln in lines if "pipe.txt" in ln)
    zero = next(ln for ln in lines if "zero.txt" in ln)
    assert "named pipe" in pipe and "not a regular file" in pipe
    assert "character device" in zero
    assert "2 added" in result.stdout


# ------------------------------------------------------------------------------------------
# 2. One huge paragraph


def _ledger(path: Path) -> Path:
    """25,000 one-word lines with no final punctuation (172 KB): the hard-wrap rule makes them
    one paragraph, the shape that stalled indexing and every question retrieving it."""
    rng = random.Random(17)
    vocab = ["harbour", "ferry", "Tamsin", "strike", "dock", "tide", "crane", "cargo", "pilot", "quay"]
    path.write_text("\n".join(["Tamsin harbour ledger"] + [f"{rng.choice(vocab)}{i % 97}" for i in range(25_000)]))
    return path


def test_2_huge_paragraph_costs_bounded_work_to_split_and_chunk(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Work is measured in characters handed to the quadratic splitter and to the tokenizer,
    not in seconds: the bound holds on any machine."""
    import pysbd

    from assistant import text
    from assistant.ingest.chunking import chunk_article
    from assistant.ingest.parsing import parse_bytes

    path = _ledger(tmp_path / "ledger.txt")
    [article] = parse_bytes(path, path.read_bytes())
    [para] = article.paragraphs
    assert len(para.text) > 150_000
    fed: list[int] = []
    segment = pysbd.Segmenter.segment

    def recording(self: pysbd.Segmenter, text_: str):  # type: ignore[no-untyped-def]
        fed.append(len(text_))
        return segment(self, text_)

    monkeypatch.setattr(pysbd.Segmenter, "segment", recording)
    text.sentences.cache_clear()
    spans = text.sentences(para.text)
    # The splitter never sees more than a bounded window, nor more than a bounded total per paragraph.
    assert fed and max(fed) <= 1_000 and sum(fed) <= 21_000, (len(fed), max(fed), sum(fed))
    assert all(para.text[s.start : s.end] == s.text for s in spans)
    assert spans[-1].end == len(para.text)
    tokenized: list[int] = []

    def count(t: str) -> int:
        tokenized.append(len(t))
        return embedder.count_tokens(t)

    chunks = chunk_article(article, count, embedder.max_tokens)
    assert sum(tokenized) <= 10 * len(para.text), sum(tokenized)  # linear, not the square of the paragraph
    assert all(para.text[c.start : c.end] == c.text for c in chunks)
    assert all(embedder.count_tokens(c.embed_text) <= embedder.max_tokens for c in chunks)
    assert " ".join(c.text for c in chunks) == para.text


def test_2_shared_lock_is_not_held_while_sentences_are_split(seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four users asking at once waited 15 s behind one huge paragraph because the lock all
    requests share was held while it was split into sentences."""
    from assistant.answer import answering

    held: list[bool] = []
    split = answering.sentences

    def watching(paragraph: str):  # type: ignore[no-untyped-def]
        def try_lock() -> None:  # from another thread, as another request would
            got = seed_assistant._lock.acquire(blocking=False)
            held.append(not got)
            if got:
                seed_assistant._lock.release()

        t = threading.Thread(target=try_lock)
        t.start()
        t.join()
        return split(paragraph)

    monkeypatch.setattr(answering, "sentences", watching)
    answer = seed_assistant.ask("What did Putin say about the coordination between China and Russia?")
    assert answer.citations
    assert held and not any(held), "the shared lock was held while splitting sentences"


# ------------------------------------------------------------------------------------------
# 3. A lost or damaged vector store


def _garble(chroma: Path) -> None:
    rng = random.Random(3)
    for f in chroma.rglob("*"):
        if f.is_file():
            f.write_bytes(rng.randbytes(max(f.stat().st_size, 4096)))


def _empty(index_dir: Path, embedder: Embedder) -> None:
    """The collection emptied (a server that lost its data): only a subprocess may open it, so
    that this test process's Chroma keeps no cache of it."""
    code = (
        "import sys; from assistant.settings import Settings; from assistant.index.embedding import Embedder; "
        "from assistant.index.store import VectorStore; s = Settings().with_overrides(index_dir=sys.argv[1]); "
        "v = VectorStore(s.store, Embedder(s.embedding)); v.delete_versions(v.versions()); print(v.count())"
    )
    out = subprocess.run([sys.executable, "-c", code, str(index_dir)], check=True, capture_output=True, text=True, env=ENV, cwd=ROOT)
    assert out.stdout.strip() == "0"


@pytest.mark.parametrize("damage", ["deleted", "random bytes", "emptied"])
def test_3_lost_or_damaged_vector_store_is_reported_then_repaired(
    tmp_path: Path, seed_index: Path, embedder: Embedder, damage: str
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    if damage == "deleted":
        shutil.rmtree(embedded_dir(index_dir))
    elif damage == "random bytes":
        _garble(embedded_dir(index_dir))
    else:
        _empty(index_dir, embedder)
    asked = cli("ask", QUESTION, "--index-dir", str(index_dir))
    no_traceback(asked)
    assert asked.returncode == 3, (asked.returncode, asked.stderr[-2000:], asked.stdout[-500:])
    assert "vector store" in asked.stderr and "assistant index" in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1
    if damage == "emptied":
        return  # the repair path is the same as for "deleted"
    repaired = cli("index", str(SEED), "--index-dir", str(index_dir), "--quiet")
    no_traceback(repaired)
    assert repaired.returncode == 0, repaired.stderr[-2000:]
    assert "repaired" in repaired.stderr and "re-embedded" in repaired.stderr
    assert "0 removed" in repaired.stdout
    again = cli("ask", QUESTION, "--index-dir", str(index_dir), "--json")
    assert again.returncode == 0, again.stderr[-2000:]
    answer = json.loads(again.stdout)
    assert answer["citations"] and answer["citations"][0]["doc_id"] == SEED_B
    assert "Zhang Hanhui" in answer["text"]


# ------------------------------------------------------------------------------------------
# 4. An unreadable sub-folder


def test_4_unreadable_folder_is_reported_and_its_articles_kept(nobody: tuple[Path, object], embedder: Embedder) -> None:
    base, run = nobody
    work = Path(tempfile.mkdtemp(prefix="case4-", dir=base))
    corpus = work / "corpus"
    shutil.copytree(SEED, corpus)
    (corpus / "sub").mkdir()
    shutil.move(corpus / f"{SEED_A}.txt", corpus / "sub" / f"{SEED_A}.txt")
    assert len(index(work / "index", embedder, corpus).added) == 2
    chown_tree(work, 65534)
    os.chmod(work, 0o755)
    os.chmod(corpus / "sub", 0)  # nobody owns it, and may not list it now
    result = run("index", str(corpus), "--index-dir", str(work / "index"), "--json")
    no_traceback(result)
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["removed"] == []
    assert any(p.endswith("sub") and "unreadable folder" in r for p, r in report["skipped"]), report["skipped"]
    cat = Catalog(work / "index", create=False)
    assert cat.article(SEED_A) is not None and len(cat.paragraphs(SEED_A)) == 31
    cat.close()


# ------------------------------------------------------------------------------------------
# 5. A file name that is not UTF-8


def test_5_non_utf8_file_name_is_indexed_under_a_safe_name(tmp_path: Path, corpus_copy: Path, embedder: Embedder) -> None:
    name = os.fsdecode(b"caf\xe9-strike.txt")  # Latin-1 bytes, not UTF-8: surrogates in Python
    (corpus_copy / name).write_text("Tamsin ferry strike ends\nDock workers at Tamsin voted to end their strike on Monday.\n")
    index_dir = tmp_path / "index"
    result = cli("index", str(corpus_copy), "--index-dir", str(index_dir))
    no_traceback(result)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "3 added" in result.stdout
    again = index(index_dir, embedder, corpus_copy)  # stable: found again, not re-added or removed
    assert (again.added, again.removed, again.unchanged) == ([], [], 3)
    as_json = cli("ask", "What did the dock workers at Tamsin vote for?", "--index-dir", str(index_dir), "--json")
    assert as_json.returncode == 0, as_json.stderr[-2000:]
    cited = json.loads(as_json.stdout)["citations"][0]
    assert "strike" in cited["text"] and "\\xe9" in cited["source"]
    plain = cli("ask", "What did the dock workers at Tamsin vote for?", "--index-dir", str(index_dir))
    no_traceback(plain)
    assert plain.returncode == 0 and "\\xe9" in plain.stdout


# ------------------------------------------------------------------------------------------
# 6. Two identical files, one edited


def test_6_editing_one_of_two_identical_files_keeps_the_other(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    (folder / "d1").mkdir(parents=True)
    (folder / "d2").mkdir()
    original = (SEED / f"{SEED_B}.txt").read_text()
    (folder / "d1" / "x.txt").write_text(original)
    (folder / "d2" / "x.txt").write_text(original)
    index_dir = tmp_path / "index"
    index(index_dir, embedder, folder)
    (folder / "d2" / "x.txt").write_text(original + "\nA late addition about the Tamsin ferry timetable.\n")
    edited = index(index_dir, embedder, folder)
    assert edited.removed == [] and len(edited.added) == 1
    cat = Catalog(index_dir, create=False)
    d1, d2 = (cat.doc_ids_of(str(folder / d / "x.txt")) for d in ("d1", "d2"))
    assert d1 and d2 and d1 != d2
    assert cat.paragraphs(d1[0])[-1].text != "A late addition about the Tamsin ferry timetable."
    assert cat.paragraphs(d2[0])[-1].text == "A late addition about the Tamsin ferry timetable."
    assert len(cat.paragraphs(d1[0])) + 1 == len(cat.paragraphs(d2[0]))
    cat.close()
    third = index(index_dir, embedder, folder)
    assert (third.added, third.updated, third.removed, third.unchanged) == ([], [], [], 2)


# ------------------------------------------------------------------------------------------
# 7. Uploads with the same name


def test_7_upload_with_an_earlier_uploads_name_is_a_new_article(tmp_path: Path, seed_index: Path, embedder: Embedder) -> None:
    from assistant.interfaces.ui import save_uploads

    for d, body in (("a", "The Tamsin council approved the harbour budget."), ("b", "Ferry fares in Tamsin rise by ten percent.")):
        (tmp_path / d).mkdir()
        (tmp_path / d / "report.txt").write_text(f"Report {d}\n{body}\n")
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    uploads = index_dir / "uploads"
    first = save_uploads([tmp_path / "a" / "report.txt"], uploads)
    index(index_dir, embedder, *first)
    second = save_uploads([tmp_path / "b" / "report.txt"], uploads)
    report = index(index_dir, embedder, *second)
    assert report.updated == [] and len(report.added) == 1
    cat = Catalog(index_dir, create=False)
    titles = {a.title for a in cat.articles()}
    assert {"Report a", "Report b"} <= titles
    # The same file uploaded again is accounted for in the result, not silently dropped.
    from assistant.interfaces.ui import upload_result

    third = save_uploads([tmp_path / "a" / "report.txt"], uploads)
    assert third == first
    result = upload_result(index(index_dir, embedder, *third), third, cat)
    assert "already indexed" in result and "report.txt" in result
    cat.close()


# ------------------------------------------------------------------------------------------
# 8. A read-only index


def test_8_read_only_index_answers_and_refuses_writes_with_exit_5(nobody: tuple[Path, object], seed_index: Path) -> None:
    base, run = nobody
    work = Path(tempfile.mkdtemp(prefix="case8-", dir=base))
    os.chmod(work, 0o755)
    index_dir = work / "index"
    shutil.copytree(seed_index, index_dir)  # owned by root: nobody may read it, not write it
    for dirpath, _dirnames, filenames in os.walk(index_dir):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    before = {p: p.stat().st_mtime_ns for p in index_dir.rglob("*") if p.is_file()}
    asked = run("ask", QUESTION, "--index-dir", str(index_dir), "--json")
    no_traceback(asked)
    assert asked.returncode == 0, asked.stderr[-2000:]
    answer = json.loads(asked.stdout)
    assert answer["citations"][0]["doc_id"] == SEED_B and "Zhang Hanhui" in answer["text"]
    indexed = run("index", str(SEED), "--index-dir", str(index_dir))
    no_traceback(indexed)
    assert indexed.returncode == 5, indexed.stderr[-2000:]
    assert "write" in indexed.stderr.lower() and str(index_dir) in indexed.stderr
    after = {p: p.stat().st_mtime_ns for p in index_dir.rglob("*") if p.is_file()}
    assert after == before  # nothing was written


# ------------------------------------------------------------------------------------------
# 9. JSONL with bad lines


def test_9_bad_jsonl_lines_are_reported_and_good_records_indexed(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = {"title": "Tamsin tide tables", "text": "The spring tide at Tamsin peaks at 6.1 metres on Friday."}
    other = {"title": "Tamsin lighthouse", "text": "The Tamsin lighthouse reopens after a two-year restoration."}
    (folder / "feed.jsonl").write_text(
        json.dumps(good) + "\n" + '{"title": "broken", "text": \n' + "\n" + '["not", "an", "object"]\n' + json.dumps(other) + "\n"
    )
    report = index(tmp_path / "index", embedder, folder)
    assert len(report.added) == 2, report
    reasons = [r for p, r in report.skipped if p.endswith("feed.jsonl")]
    assert any(r.startswith("line 2:") and "invalid JSON" in r for r in reasons), reasons
    assert any(r.startswith("line 4:") and "not an object" in r for r in reasons), reasons
    cat = Catalog(tmp_path / "index", create=False)
    assert {a.title for a in cat.articles()} == {"Tamsin tide tables", "Tamsin lighthouse"}
    cat.close()


# ------------------------------------------------------------------------------------------
# 10. One invalid byte in a UTF-8 file


def test_10_one_invalid_byte_does_not_garble_a_utf8_file(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Café owners protest\nThe café owners of Tamsin marched on Friday, “for fair rents”, said Zoë Brontë.\n"
    (folder / "cafe.txt").write_bytes(text.encode("utf-8") + b"One stray byte \xff here.\n")
    report = index(tmp_path / "index", embedder, folder)
    assert report.added == ["cafe"]
    assert any("U+FFFD" in r for _, r in report.warnings), report.warnings
    cat = Catalog(tmp_path / "index", create=False)
    [a] = cat.articles()
    paras = cat.paragraphs("cafe")
    cat.close()
    assert a.title == "Café owners protest"
    assert "“for fair rents”" in paras[0].text and "Zoë Brontë" in paras[0].text
    assert "Ã" not in paras[0].text and "â€" not in paras[0].text
    assert paras[1].text == "One stray byte \ufffd here."


# ------------------------------------------------------------------------------------------
# 11. Smaller cases


def test_11_json_fields_of_the_wrong_type_and_url_sources(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.json").write_text(json.dumps({
        "title": "Tamsin bridge closes", "url": "https://news.example/tamsin-bridge",
        "paragraphs": ["The Tamsin bridge closes for repairs in May.", None, {"x": 1}, {"text": "Buses replace the crossing."}, 7],
    }))
    index(tmp_path / "index", embedder, folder)
    cat = Catalog(tmp_path / "index", create=False)
    texts = [p.text for p in cat.paragraphs("wire")]
    source = cat.article("wire").source  # type: ignore[union-attr]
    cat.close()
    assert texts == ["The Tamsin bridge closes for repairs in May.", "Buses replace the crossing."]
    assert source == "https://news.example/tamsin-bridge"  # the citation carries the article's URL


def test_11_markdown_with_carriage_returns(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "old-mac.md").write_bytes(b"# Tamsin regatta\r\rThe regatta drew 40 boats.\r\rRain stopped the final race.\r")
    report = index(tmp_path / "index", embedder, folder)
    assert report.added == ["old-mac"], report.skipped
    cat = Catalog(tmp_path / "index", create=False)
    assert [p.text for p in cat.paragraphs("old-mac")] == ["The regatta drew 40 boats.", "Rain stopped the final race."]
    cat.close()


def test_11_missing_catalog_table_is_a_clear_corrupt_index_error(tmp_path: Path, seed_index: Path) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    db = sqlite3.connect(Catalog.file(index_dir))
    db.execute("DROP TABLE sources")
    db.commit()
    db.close()
    with pytest.raises(IndexCorruptError, match="sources") as err:
        Catalog(index_dir, create=False)
    assert "--rebuild" in str(err.value) and err.value.exit_code == 3


def test_11_damaged_bm25_files_are_rebuilt_not_a_crash(tmp_path: Path, seed_index: Path, embedder: Embedder) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index, index_dir)
    for f in lexical.saved_dir(index_dir).iterdir():
        if f.suffix == ".npy":
            f.write_bytes(b"\x93NUMPY garbage" + bytes(64))
    assistant = Assistant(settings_for(index_dir), embedder=embedder)
    assert assistant.ask(QUESTION).citations[0].doc_id == SEED_B
    assistant.close()


def test_11_busy_or_invalid_ui_port_is_a_clear_error(tmp_path: Path, seed_index: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = cli("ui", "--index-dir", str(seed_index), "--port", str(port), timeout=240)
    no_traceback(taken)
    assert taken.returncode == 2, taken.stderr[-2000:]
    assert str(port) in taken.stderr and "--port" in taken.stderr
    invalid = cli("ui", "--index-dir", str(seed_index), "--port", "70000", timeout=240)
    no_traceback(invalid)
    assert invalid.returncode == 2 and "65535" in invalid.stderr


def test_vector_store_check_accepts_a_sound_store(seed_index: Path, embedder: Embedder) -> None:
    """The check that catches a damaged store must not cry wolf on a sound one."""
    cat = Catalog(seed_index, create=False)
    store = VectorStore(settings_for(seed_index).store, embedder)
    assert store.check(cat.vector_count(), cat.vector_keys(sample=64)) is None
    assert 0 < cat.vector_count() <= store.count()
    cat.close()



def test_3_unreadable_store_after_an_interrupted_run_answers_from_keywords_and_says_so(
    tmp_path: Path, corpus_copy: Path, embedder: Embedder
) -> None:
    """A kill -9 mid-run can leave Chroma's files half-written (seen on CI: "Failed to apply logs
    to the hnsw segment writer"). A crash must leave a usable index: while the catalog records the
    run as interrupted, answers come from BM25 and say so; without that record, damage is exit 3."""
    idx = tmp_path / "index"
    index(idx, embedder, corpus_copy)
    _garble(embedded_dir(idx))
    damaged = cli("ask", "--index-dir", str(idx), "--json", "Who is China's ambassador to Russia?")
    assert damaged.returncode == 3, damaged.stderr
    cat = Catalog(idx, create=False)
    cat.set_meta("dirty", "1")  # what an indexing run killed mid-way leaves
    cat.close()
    out = cli("ask", "--index-dir", str(idx), "--json", "Who is China's ambassador to Russia?")
    no_traceback(out)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert not answer["abstained"] and (answer["citations"][0]["doc_id"], answer["citations"][0]["paragraph"]) == (SEED_B, 9)
    assert any("keyword search only" in n and "assistant index" in n for n in answer["notes"])
    repaired = cli("index", str(corpus_copy), "--index-dir", str(idx))
    assert repaired.returncode in (0, 1), repaired.stderr
    again = json.loads(cli("ask", "--index-dir", str(idx), "--json", "Who is China's ambassador to Russia?").stdout)
    assert not any("keyword search only" in n for n in again["notes"])
