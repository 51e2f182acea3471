"""What question analysis and whole-article candidates cost per answer, measured in one process.

    .venv/bin/python benchmarks/answer_cost.py [--index index/eval/bbc/index] [--n 60]

Two assistants share one model and one index: `full` (the defaults: spaCy question analysis,
entity types, sentences of the two best articles) and `lean` (question analysis off, top-k
paragraphs only: the answer step as it was before). Each question is asked of both, alternating
which goes first, so the machine's noise hits both alike; the ratio is what to read, not the
milliseconds. Needs an index: `assistant eval` builds index/eval/bbc/index.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.answer.pipeline import Assistant
from assistant.index.embedding import Embedder
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index" / "eval" / "bbc" / "index")
    ap.add_argument("--n", type=int, default=60)
    args = ap.parse_args()
    items = [json.loads(line) for line in (ROOT / "evals" / "questions.jsonl").read_text().splitlines() if line.strip()]
    questions = [d["question"] for d in items if d["corpus"] == "bbc" and not d.get("history")][: args.n]
    base = Settings().with_overrides(index_dir=args.index)
    embedder = Embedder(base.embedding)
    full = Assistant(base, embedder=embedder)
    lean_settings = base.override({"answer.question_analysis": False, "answer.context_articles": 0})
    lean = Assistant(lean_settings, embedder=embedder)
    for a in (full, lean):  # loads: model, spaCy, caches of the first question
        a.ask(questions[0])
    times: dict[str, list[float]] = {"full": [], "lean": []}
    for i, q in enumerate(questions[1:]):
        order = [("full", full), ("lean", lean)] if i % 2 else [("lean", lean), ("full", full)]
        for name, a in order:
            started = time.perf_counter()
            a.ask(q)
            times[name].append((time.perf_counter() - started) * 1000)
    p50 = {k: statistics.median(v) for k, v in times.items()}
    p95 = {k: sorted(v)[int(0.95 * (len(v) - 1))] for k, v in times.items()}
    paragraphs = full.stats().get("paragraphs")
    print(f"{len(questions) - 1} questions, index {args.index} ({paragraphs} paragraphs)")
    for k in ("lean", "full"):
        print(f"  {k:5s} p50 {p50[k]:7.1f} ms   p95 {p95[k]:7.1f} ms")
    print(f"  full / lean: p50 x{p50['full'] / p50['lean']:.2f}, p95 x{p95['full'] / p95['lean']:.2f}")


if __name__ == "__main__":
    main()
