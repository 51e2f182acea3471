"""How often the assistant declines a question whose answering paragraphs are not in the index.

    .venv/bin/python scripts/decline_without_gold.py [--split dev] [--set evals/questions.jsonl]

Public benchmarks of unanswerable questions are built this way: the question is real, the
passages indexed are near it, but the one that answers it is left out. Every answerable seed and
BBC single-fact item of the split is answered again with its gold paragraphs taken out of the
retrieved hits and the whole-article context (the same answer as `fit_abstention.py --held-out`
builds its rows from, here with the shipped abstention model deciding). Items whose reference
answer is still in the answer (the corpus repeats it elsewhere) are counted apart: they are not
unanswerable. Prints the decline rate; evals/RESULTS.md reports it per session.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from fit_abstention import ROOT, answer_without_gold  # scripts/ is on sys.path when run as a script

from assistant.evaluation import Workspace, load_cases
from assistant.evaluation.metrics import contains_answer
from assistant.settings import Settings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=ROOT / "evals" / "questions.jsonl")
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    args = ap.parse_args()
    cases = [c for c in load_cases(args.set, split=args.split)
             if c.answerable and c.corpus in ("seed", "bbc") and c.evidence_mode != "all"]
    ws = Workspace(Settings())
    declined = still = 0
    for case in cases:
        assistant = ws.assistant(case.corpus, "ours", {})
        standalone = assistant.answerer.condense(case.question, list(case.history)) if case.history else case.question
        answer = answer_without_gold(assistant, case, standalone, fitted=True)
        if not answer.abstained and contains_answer(" ".join(c.text for c in answer.claims), case.answers):
            still += 1
        else:
            declined += answer.abstained
    asked = len(cases) - still
    print(f"{args.split}: declined {declined} of {asked} questions whose answering paragraphs are not indexed "
          f"({declined / max(asked, 1):.0%}); {still} more still answered from a paragraph that repeats the answer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
