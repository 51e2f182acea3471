"""Run a probe set written by a hostile tester and print how many it gets right (issue 13).

Probe sets (evals/probes/) are fresh questions, written and checked against the corpus by hand
outside the eval set, used to see whether a change generalises; they are not tuned on item by item.

    python scripts/run_probes.py evals/probes/abstention_bbc.jsonl    # answerable / unanswerable: declines
    python scripts/run_probes.py evals/probes/time_wikinews.jsonl     # conversations: first citation's article
    python scripts/run_probes.py evals/probes/multi_paragraph_bbc.jsonl  # paragraph groups of one article cited
    python scripts/run_probes.py evals/probes/facts_bbc.jsonl answer.earlier_turn_weight=0.5  # with a setting overridden
    python scripts/run_probes.py evals/probes/blind_bbc.jsonl --set s20-p25  # one of the blind-written sets only

A conversation turn's "expected" may also name "paras" and "words" (the answering paragraphs and
answer words; facts_bbc, follow_ups_bbc). PROBES_VERBOSE=1 prints one line per turn.

Both use the eval's index cache (`ASSISTANT_EVAL__CACHE_DIR`, built by `assistant eval`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.evaluation import Workspace
from assistant.schema import Turn
from assistant.settings import Settings


def main(path: str, overrides: dict[str, str], only: str | None = None) -> None:
    with open(path, encoding="utf-8") as f:
        items = [json.loads(line) for line in f if line.strip()]
    items = [item for item in items if only is None or item.get("set") == only]
    workspace = Workspace(Settings())
    assistants: dict[str, object] = {}
    counts: Counter[str] = Counter()
    for item in items:
        corpus = item.get("corpus", "bbc")
        assistant = assistants.get(corpus) or assistants.setdefault(corpus, workspace.assistant(corpus, "ours", overrides))
        if "needed" in item:  # multi-paragraph probes: the paragraph groups one article must cite
            ans = assistant.ask(item["question"])  # type: ignore[attr-defined]
            slug = item["doc"].rsplit("/", 1)[-1]
            cited = [c.paragraph for c in ans.citations if c.doc_id == slug]
            counts["questions"] += 1
            counts["groups needed"] += len(item["needed"])
            counts["groups cited"] += sum(any(p in group for p in cited) for group in item["needed"])
            counts["all groups cited"] += all(any(p in group for p in cited) for group in item["needed"])
            first = ans.citations[0] if ans.citations else None
            counts["first citation needed"] += first is not None and first.doc_id == slug and any(first.paragraph in g for g in item["needed"])
            continue
        if "answerable" in item:  # abstention probes: one question, answerable or not
            ans = assistant.ask(item["question"])  # type: ignore[attr-defined]
            kind = "answerable" if item["answerable"] else "unanswerable"
            counts[f"{kind} asked"] += 1
            counts[f"{kind} declined"] += ans.abstained
            continue
        history: list[Turn] = []  # conversations with the expected article (and paragraphs) per turn
        for question, expected in zip(item["turns"], item["expected"], strict=True):
            ans = assistant.ask(question, history=history, as_of=item.get("as_of"))  # type: ignore[attr-defined]
            counts["turns"] += 1
            docs = [d.rsplit("/", 1)[-1] for d in expected["docs"]]
            first = ans.citations[0] if ans.citations and not ans.abstained else None
            if not docs:  # a question no article answers: declining it is right
                counts["right"] += ans.abstained
                counts["unanswerable turns"] += 1
                counts["unanswerable declined"] += ans.abstained
            elif first is not None and first.doc_id in docs:
                counts["right"] += 1
            if docs and "paras" in expected:  # fact probes: the paragraph that answers, and the answer
                counts["answerable turns"] += 1
                counts["first citation answers"] += first is not None and first.doc_id in docs and first.paragraph in expected["paras"]
                text = ans.text.lower()
                counts["answer words given"] += not ans.abstained and all(w.lower() in text for w in expected.get("words", []))
                counts["declined"] += ans.abstained
            if os.environ.get("PROBES_VERBOSE"):  # one line per turn, to compare two runs
                where = f"{first.doc_id}#{first.paragraph}" if first is not None else "declined"
                print(f"{question[:70]!r:74} {where[:60]:62} {ans.text[:90]!r}", file=sys.stderr)
            history += [Turn("user", question), Turn("assistant", ans.text)]
    print(json.dumps(dict(counts), indent=1))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="a probe file, evals/probes/*.jsonl")
    ap.add_argument("overrides", nargs="*", help="settings as `assistant eval` names them: answer.drop_repeats=false")
    ap.add_argument("--set", dest="only", help="only the items of this set (blind_bbc.jsonl: s19-p21 … s20-p25)")
    args = ap.parse_args()
    main(args.path, dict(a.split("=", 1) for a in args.overrides), args.only)
