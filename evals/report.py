"""Print the seed-set scores per split (the numbers in evals/RESULTS.md).

    .venv/bin/assistant index corpus --index-dir /tmp/seed-index
    .venv/bin/python evals/report.py /tmp/seed-index

Interim runner until `assistant eval` (issue 4) lands.
"""

from __future__ import annotations

import sys
from pathlib import Path

from assistant.evaluation import load_cases, run, summarise
from assistant.pipeline import open_assistant

KEYS = ["recall@1", "recall@5", "mrr@10", "first_citation_gold", "false_abstention_rate",
        "abstention_precision", "abstention_recall", "latency_p50_ms", "latency_p95_ms"]

if __name__ == "__main__":
    assistant = open_assistant(index_dir=sys.argv[1] if len(sys.argv) > 1 else "index")
    print("split", "n", *KEYS, sep="\t")
    for split in ("dev", "test", None):
        s = summarise(run(assistant, load_cases(Path(__file__).with_name("questions.jsonl"), split=split)))
        print(split or "all", s.n, *(f"{s.metrics[k]:.3f}" for k in KEYS), sep="\t")
