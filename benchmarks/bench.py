"""Where time and memory go, at 1x / 10x / 50x the BBC corpus, against the naive LangChain
pipeline and the bare embedding model, measured in one run on one machine and printed as ratios.

    .venv/bin/python benchmarks/bench.py                 # full run (~40 min on 2 cores); writes benchmarks/results.json
    .venv/bin/python benchmarks/bench.py --quick         # seconds-scale smoke run (CI keeps the script alive)

What is measured (each step in a fresh child process, so peak RSS belongs to that step):
- ingest from scratch: `assistant index` on a copy of the corpus: wall, paragraphs/s, peak RSS;
  the bare model encoding the same chunk texts (the physical limit here); the naive pipeline;
- re-ingest with nothing changed, and with 1% of the files changed;
- start-up to first answer; query latency p50/p95 for retrieval alone and for a full answer;
  index size on disk; RSS of a running assistant after the queries;
- at 10x and 50x: the index grown with copies of every article (re-titled, paragraphs shuffled),
  written with the vectors of the paragraphs they copy, because re-embedding a million
  paragraphs would take about half a day on this CPU. Ingest speed is therefore measured at
  1x only; the scaled indexes measure the query path, which is what grows with the corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT / "evals" / "corpora" / "bbc-news"
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}


def child(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter; it prints one JSON line last. Adds wall time and peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    if out.returncode not in (0, 1):
        raise SystemExit(f"benchmark step failed ({out.returncode}):\n{out.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the largest so far, so it is exact only when this child is the largest yet.
    result.update(wall_s=wall, peak_rss_mb=max(peak, before) / 1024)
    return result


INGEST = """
import json, sys, time
from assistant.ingest.indexing import Indexer
from assistant.settings import Settings
t = time.perf_counter()
r = Indexer(Settings().with_overrides(index_dir=sys.argv[1])).run(sys.argv[2:])
print(json.dumps({"seconds": time.perf_counter() - t, "added": len(r.added), "updated": len(r.updated),
                  "unchanged": r.unchanged, "chunks_embedded": r.chunks_embedded}))
"""

BARE = """
import json, sys, time
from assistant.index.catalog import Catalog
from assistant.ingest.chunking import chunk_article
from assistant.index.embedding import Embedder
from assistant.schema import Article, Paragraph
from assistant.settings import Settings
from pathlib import Path
cat = Catalog(Path(sys.argv[1]), create=False)
emb = Embedder(Settings().override({"embedding.backend": sys.argv[2]}).embedding)
texts = []
for a in cat.articles():
    art = Article(a.doc_id, a.title, tuple(cat.paragraphs(a.doc_id)), a.source, a.content_hash)
    texts += [c.embed_text for c in chunk_article(art, emb.count_tokens, emb.max_tokens)]
emb.encode(["warm up"])
t = time.perf_counter()
emb.encode(texts)
print(json.dumps({"seconds": time.perf_counter() - t, "texts": len(texts), "backend": emb.backend}))
"""

NAIVE_INGEST = """
import json, sys, time
from pathlib import Path
from assistant.evaluation.baseline import NaiveBaseline
from assistant.index.embedding import Embedder
from assistant.settings import Settings
emb = Embedder(Settings().embedding)
b = NaiveBaseline(Path(sys.argv[2]), Path(sys.argv[1]), emb)
seconds = b.build()
print(json.dumps({"seconds": seconds, "chunks": json.loads((Path(sys.argv[1]) / "fingerprint.json").read_text())["chunks"]}))
"""

QUERY = """
import json, statistics, sys, time
from pathlib import Path
t0 = time.perf_counter()
from assistant.answer.pipeline import Assistant
from assistant.settings import Settings
questions = json.loads(sys.argv[2])
a = Assistant(Settings().with_overrides(index_dir=sys.argv[1]))
first = a.ask(questions[0])
startup = time.perf_counter() - t0
def timed(f):
    out = []
    for q in questions:
        t = time.perf_counter(); f(q); out.append(time.perf_counter() - t)
    return out
retrieval = timed(lambda q: a.retrieve(q))
answer = timed(lambda q: a.ask(q))
q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))] * 1000
rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
print(json.dumps({"startup_to_first_answer_s": startup, "paragraphs": a.stats()["paragraphs"],
    "retrieval_p50_ms": q(retrieval, .5), "retrieval_p95_ms": q(retrieval, .95),
    "answer_p50_ms": q(answer, .5), "answer_p95_ms": q(answer, .95), "rss_mb": rss}))
"""

NAIVE_QUERY = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from assistant.evaluation.baseline import NaiveBaseline
from assistant.index.embedding import Embedder
from assistant.settings import Settings
questions = json.loads(sys.argv[2])
b = NaiveBaseline(Path("."), Path(sys.argv[1]), Embedder(Settings().embedding))
b.search(questions[0])
startup = time.perf_counter() - t0
lat = []
for q in questions:
    t = time.perf_counter(); b.search(q); lat.append(time.perf_counter() - t)
p = lambda xs, f: sorted(xs)[min(len(xs) - 1, int(f * len(xs)))] * 1000
rss = int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
print(json.dumps({"startup_to_first_answer_s": startup, "answer_p50_ms": p(lat, .5), "answer_p95_ms": p(lat, .95), "rss_mb": rss}))
"""

SCALE = """
import json, random, sys
from pathlib import Path
from assistant.index import lexical
from assistant.index.catalog import Catalog
from assistant.ingest.chunking import embed_text
from assistant.schema import ChunkId
from assistant.index.embedding import Embedder
from assistant.schema import Article, Chunk, Paragraph
from assistant.settings import Settings
from assistant.index.store import VectorStore
from assistant.text import content_hash
index, copies, tag = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
settings = Settings().with_overrides(index_dir=index)
emb = Embedder(settings.embedding)
cat = Catalog(index, create=True)
store = VectorStore(settings.store, emb)
rng = random.Random(0)
originals = [(a, cat.paragraphs(a.doc_id)) for a in cat.articles()]
for c in range(1, copies):
    chunks, vecs = [], []
    with cat.transaction():
        for a, paras in originals:
            order = list(range(len(paras)))
            rng.shuffle(order)
            new = tuple(Paragraph(i + 1, paras[j].text, paras[j].section) for i, j in enumerate(order))
            title = f"{a.title} (edition {c})"
            art = Article(f"{a.doc_id}~{tag}.{c}", title, new, a.source, content_hash(title, *(p.text for p in new)))
            cat.put_article(art)
            stored = store.paragraph_vectors([(a.content_hash, j + 1) for j in order])
            for i, j in enumerate(order):
                v = stored.get((a.content_hash, j + 1))
                if v is None:
                    continue
                p = new[i]
                chunks.append(Chunk(str(ChunkId(art.content_hash, i + 1)), art.doc_id, art.content_hash, i + 1, 0, 0, len(p.text),
                                    p.text, embed_text(title, p.section, p.text), title, p.section))
                vecs.append(v)
    store.add(chunks, vectors=vecs)
lexical.save(lexical.build(cat), index)
print(json.dumps({"paragraphs": cat.stats()["paragraphs"], "vectors": store.count()}))
"""


def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines() if line.strip()]
    # Distinct questions only (a repeat would measure caches): the BBC ones, then the seed ones,
    # which against the BBC index are mostly near-topic questions it must abstain on.
    qs = [r["question"] for r in rows if r.get("corpus") == "bbc" and not r["history"]]
    qs += [r["question"] for r in rows if r.get("corpus") != "bbc" and not r["history"]]
    return list(dict.fromkeys(qs))[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="15 articles, 1x and 3x, 10 questions: a smoke run (about a minute, mostly model loads)")
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = ap.parse_args()
    if not (BBC / "business").is_dir():
        raise SystemExit(f"The BBC corpus is missing: expected it at {BBC} (it ships in the repository under evals/corpora/).")
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    corpus = work / "corpus"
    if args.quick:
        files = sorted((BBC / "tech").glob("*.txt"))[:15]
        corpus.mkdir()
        for f in files:
            shutil.copy(f, corpus / f.name)
        scales, qs = [1, 3], questions(10)
    else:
        shutil.copytree(BBC, corpus, ignore=shutil.ignore_patterns("README*", "LICENSE*"))
        scales, qs = sorted(set(args.scales)), questions(100)
    results: dict = {
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(), "python": platform.python_version(),
                    "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)},
        "corpus": str(BBC) + (" (15 tech articles, --quick)" if args.quick else ""),
        "questions": len(qs),
    }
    index = work / "index"

    def say(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    say("ingest from scratch")
    results["ingest"] = child(INGEST, str(index), str(corpus))
    say("bare model encode (ONNX Runtime, what the pipeline uses)")
    results["bare_encode"] = child(BARE, str(index), "onnx")
    say("bare model encode (sentence-transformers on torch)")
    results["bare_encode_torch"] = child(BARE, str(index), "torch")
    say("naive baseline ingest")
    results["naive_ingest"] = child(NAIVE_INGEST, str(work / "naive"), str(corpus))
    say("re-ingest, nothing changed")
    results["reingest_unchanged"] = child(INGEST, str(index), str(corpus))
    changed = sorted(corpus.rglob("*.txt"))[:: 100]
    for f in changed:
        f.write_text(f.read_text() + "\nA closing paragraph added by the benchmark to change this file.\n")
    say(f"re-ingest, {len(changed)} files changed")
    results["reingest_1pct"] = child(INGEST, str(index), str(corpus))
    results["reingest_1pct"]["files_changed"] = len(changed)
    results["scales"] = {}
    results["naive_query"] = child(NAIVE_QUERY, str(work / "naive"), json.dumps(qs))
    results["naive_disk_mb"] = du_mb(work / "naive")
    done = 1
    for s in scales:
        if s > done:
            say(f"grow the index to {s}x")
            child(SCALE, str(index), str(s // done), str(s))  # copies of everything indexed so far: done x -> s x
            done = s
        say(f"queries at {s}x")
        q = child(QUERY, str(index), json.dumps(qs))
        q["disk_mb"] = du_mb(index)
        results["scales"][str(s)] = q
    shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(table(results))


def table(r: dict) -> str:
    ing, bare, naive = r["ingest"], r["bare_encode"], r["naive_ingest"]
    lines = [
        f"machine: {r['machine']}", f"corpus: {r['corpus']}; {r['questions']} questions per measurement", "",
        "| ingest (1x) | wall s | chunks/s | peak RSS MB | ratio |", "|---|---|---|---|---|",
        f"| ours, `assistant index` from scratch | {ing['wall_s']:.1f} | {ing['chunks_embedded'] / ing['wall_s']:.1f} | {ing['peak_rss_mb']:.0f} | {ing['wall_s'] / bare['seconds']:.2f} x bare |",
        f"| bare model encode of the same {bare['texts']} texts ({bare['backend']}) | {bare['seconds']:.1f} | {bare['texts'] / bare['seconds']:.1f} | – | 1.00 |",
        f"| bare model encode, sentence-transformers on torch | {r['bare_encode_torch']['seconds']:.1f} | {bare['texts'] / r['bare_encode_torch']['seconds']:.1f} | – | {r['bare_encode_torch']['seconds'] / bare['seconds']:.2f} |",
        f"| naive LangChain pipeline ({naive['chunks']} chunks) | {naive['wall_s']:.1f} | {naive['chunks'] / naive['wall_s']:.1f} | {naive['peak_rss_mb']:.0f} | {naive['wall_s'] / bare['seconds']:.2f} x bare |",
        f"| re-ingest, nothing changed | {r['reingest_unchanged']['wall_s']:.2f} (in-process {r['reingest_unchanged']['seconds']:.2f}) | – | – | – |",
        f"| re-ingest, {r['reingest_1pct']['files_changed']} files (1%) changed | {r['reingest_1pct']['wall_s']:.1f} (in-process {r['reingest_1pct']['seconds']:.1f}) | – | – | – |",
        "", "| index | paragraphs | disk MB | start-up to first answer s | retrieval p50 / p95 ms | answer p50 / p95 ms | RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for s, q in r["scales"].items():
        lines.append(f"| ours {s}x | {q['paragraphs']} | {q['disk_mb']:.0f} | {q['startup_to_first_answer_s']:.1f} | "
                     f"{q['retrieval_p50_ms']:.0f} / {q['retrieval_p95_ms']:.0f} | {q['answer_p50_ms']:.0f} / {q['answer_p95_ms']:.0f} | {q['rss_mb']:.0f} |")
    nq = r["naive_query"]
    lines.append(f"| naive 1x (top-4 chunks, no answer step) | ({naive['chunks']} chunks) | {r['naive_disk_mb']:.0f} | {nq['startup_to_first_answer_s']:.1f} | – | "
                 f"{nq['answer_p50_ms']:.0f} / {nq['answer_p95_ms']:.0f} | {nq['rss_mb']:.0f} |")
    # `--scales 12` alone is a valid run (the 1x ingest still happens; only the 1x queries are skipped).
    ratios = "; ".join(f"answer p50 ours {s}x / naive 1x {q['answer_p50_ms'] / nq['answer_p50_ms']:.2f}" for s, q in r["scales"].items())
    lines += ["", f"ratios: ingest ours/naive {ing['wall_s'] / naive['wall_s']:.2f}; {ratios}"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
