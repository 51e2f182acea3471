"""What the conversation article costs a follow-up: the BBC multi-turn eval items asked with it
and without it (`retrieval.conversation_paragraphs=0`), alternating in one process so machine
load hits both alike. Uses the eval workspace's BBC index (built on first use, as `assistant
eval` does; set ASSISTANT_EVAL__CACHE_DIR to reuse one).

    .venv/bin/python benchmarks/follow_up_latency.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation import Workspace, load_cases  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    cases = [c for c in load_cases(ROOT / "evals" / "questions.jsonl") if c.corpus == "bbc" and c.history]
    ws = Workspace(Settings())
    versions = {
        "with": ws.assistant("bbc", "ours", {}),
        "without": ws.assistant("bbc", "no-conversation", {"retrieval": {"conversation_paragraphs": 0}}),
    }
    for a in versions.values():  # load models and caches before timing
        a.ask(cases[0].question, history=list(cases[0].history))
    times: dict[str, list[float]] = {name: [] for name in versions}
    for r in range(args.rounds):
        order = list(versions) if r % 2 == 0 else list(reversed(versions))
        for case in cases:
            for name in order:
                t0 = time.perf_counter()
                versions[name].ask(case.question, history=list(case.history))
                times[name].append(time.perf_counter() - t0)
    p50 = {name: 1000 * statistics.median(v) for name, v in times.items()}
    print(json.dumps({
        "follow_ups": len(cases), "rounds": args.rounds,
        **{f"{name}_p50_ms": round(v, 1) for name, v in p50.items()},
        **{f"{name}_mean_ms": round(1000 * statistics.mean(v), 1) for name, v in times.items()},
        "p50_ratio": round(p50["with"] / p50["without"], 3),
    }, indent=1))


if __name__ == "__main__":
    main()
