"""A/B: query latency and unchanged re-index cost of this checkout against another checkout
(e.g. main before the time-aware changes), in one process, on the same corpus.

    python benchmarks/ab_latency.py --base /path/to/other/checkout [--bbc 150] [--rounds 3]

The base checkout's `assistant` package is loaded under the name `assistant_base` (its imports
are relative), each version indexes the corpus into its own index (their catalog schemas
differ), and questions alternate between the two so machine load hits both alike.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_base(base: Path, tmp: Path):  # type: ignore[no-untyped-def]
    shutil.copytree(base / "assistant", tmp / "assistant_base")
    sys.path.insert(0, str(tmp))
    staged = (tmp / "assistant_base" / "answer").is_dir()  # the package grouped by stage, or the older flat one
    return (importlib.import_module("assistant_base.answer.pipeline" if staged else "assistant_base.pipeline"),
            importlib.import_module("assistant_base.ingest.indexing" if staged else "assistant_base.indexing"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--bbc", type=int, default=150, help="BBC articles added to the seed corpus")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from assistant.answer import pipeline as new_pipeline
    from assistant.index.embedding import Embedder
    from assistant.ingest import indexing as new_indexing
    from assistant.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="ab-"))
    base_pipeline, base_indexing = load_base(args.base, tmp)
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    for p in sorted((ROOT / "evals" / "corpora" / "bbc-news").rglob("*.txt"))[:: max(1, 2095 // args.bbc)][: args.bbc]:
        shutil.copy(p, corpus / f"{p.parent.name}-{p.name}")
    rows = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines() if line.strip()]
    questions = list(dict.fromkeys(r["question"] for r in rows if r.get("corpus") in ("bbc", "seed") and not r.get("history")))
    embedder = Embedder(Settings().embedding)
    versions = {"base": (base_pipeline, base_indexing), "new": (new_pipeline, new_indexing)}
    assistants, reindex = {}, {}
    for name, (pipe, idx) in versions.items():
        settings = Settings().with_overrides(index_dir=tmp / f"index-{name}")
        idx.Indexer(settings, embedder).run([corpus])
        started = time.perf_counter()
        idx.Indexer(settings, embedder).run([corpus])  # unchanged: the re-index cost
        reindex[name] = time.perf_counter() - started
        assistants[name] = pipe.Assistant(settings, embedder=embedder)
        assistants[name].ask(questions[0])
    times: dict[str, list[float]] = {"base": [], "new": []}
    for _ in range(args.rounds):
        for q in questions:
            for name in ("base", "new") if len(times["base"]) % 2 == 0 else ("new", "base"):
                started = time.perf_counter()
                assistants[name].ask(q)
                times[name].append(time.perf_counter() - started)
    out = {
        "articles": len(list(corpus.iterdir())), "questions": len(questions), "rounds": args.rounds,
        **{f"{n}_ask_p50_ms": round(1000 * statistics.median(t), 1) for n, t in times.items()},
        **{f"{n}_ask_mean_ms": round(1000 * statistics.mean(t), 1) for n, t in times.items()},
        **{f"{n}_unchanged_reindex_s": round(s, 3) for n, s in reindex.items()},
    }
    out["ask_p50_ratio"] = round(out["new_ask_p50_ms"] / out["base_ask_p50_ms"], 3)
    print(json.dumps(out, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
