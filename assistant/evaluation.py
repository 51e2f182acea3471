"""Offline evaluation: an evaluation set (evals/*.jsonl) run through the real `ask` pipeline.

Dataset → Case → scores → Report, kept apart from the unit tests. Each case is scored on:
- retrieval: is a gold paragraph among the first 1 / 5 / 10 paragraphs retrieved (and MRR);
- citations: is the first citation a gold paragraph; is any;
- answer: does the answer contain a reference answer (normalised), token F1 with it;
- abstention: did it abstain exactly when the corpus does not hold the answer.

The threshold for abstaining is calibrated here (`calibrate`), on the "dev" split only.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .errors import AssistantError
from .pipeline import Assistant
from .schema import Answer, Turn
from .text import normalize, words


@dataclass(frozen=True, slots=True)
class Evidence:
    doc_id: str
    paragraph: int
    quote: str


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    question: str
    answerable: bool
    evidence: tuple[Evidence, ...]
    answers: tuple[str, ...]
    tags: tuple[str, ...]
    split: str
    history: tuple[Turn, ...] = ()

    @property
    def gold(self) -> set[tuple[str, int]]:
        return {(e.doc_id, e.paragraph) for e in self.evidence}


def load_cases(path: Path, *, split: str | None = None) -> list[Case]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            case = Case(
                id=d["id"],
                question=d["question"],
                answerable=bool(d["answerable"]),
                evidence=tuple(Evidence(e["doc_id"], int(e["paragraph"]), e["quote"]) for e in d.get("evidence", [])),
                answers=tuple(d.get("answers", [])),
                tags=tuple(d.get("tags", [])),
                split=d.get("split", "test"),
                history=tuple(Turn(t["role"], t["content"]) for t in d.get("history", [])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AssistantError(f"{path}:{n}: not a valid evaluation item ({exc}); see evals/README.md for the schema") from exc
        if case.answerable and not case.evidence:
            raise AssistantError(f"{path}:{n}: answerable item {case.id} has no gold evidence")
        if split is None or case.split == split:
            cases.append(case)
    return cases


def check_evidence(cases: Iterable[Case], catalog: Catalog) -> list[str]:
    """Every gold quote must be verbatim (up to typography) in its paragraph: a wrong paragraph
    number in the set would silently corrupt every score."""
    problems = []
    for case in cases:
        for e in case.evidence:
            found = catalog.lookup([(e.doc_id, e.paragraph)])
            if not found:
                problems.append(f"{case.id}: no paragraph {e.paragraph} in {e.doc_id}")
            elif normalize(e.quote) not in normalize(found[(e.doc_id, e.paragraph)][1].text):
                problems.append(f"{case.id}: quote not in {e.doc_id} paragraph {e.paragraph}: {e.quote!r}")
    return problems


def contains_answer(text: str, answers: Sequence[str]) -> bool:
    t = normalize(text).lower()
    return any(normalize(a).lower() in t for a in answers)


def token_f1(text: str, answers: Sequence[str]) -> float:
    best = 0.0
    pred = words(text)
    for ref in answers:
        gold = words(ref)
        common = sum(min(pred.count(w), gold.count(w)) for w in set(gold))
        if common:
            p, r = common / len(pred), common / len(gold)
            best = max(best, 2 * p * r / (p + r))
    return best


@dataclass
class Result:
    case: Case
    answer: Answer

    @property
    def ranks(self) -> list[tuple[str, int]]:
        return [h.key for h in self.answer.evidence]

    def recall_at(self, k: int) -> bool:
        return bool(self.case.gold & set(self.ranks[:k]))

    @property
    def reciprocal_rank(self) -> float:
        for i, key in enumerate(self.ranks[:10], 1):
            if key in self.case.gold:
                return 1 / i
        return 0.0

    @property
    def first_citation_gold(self) -> bool:
        c = self.answer.citations
        return bool(c) and (c[0].doc_id, c[0].paragraph) in self.case.gold

    @property
    def any_citation_gold(self) -> bool:
        return bool(self.case.gold & {(c.doc_id, c.paragraph) for c in self.answer.citations})

    @property
    def correct(self) -> bool:
        """Answerable: answered, first citation is gold. Unanswerable: abstained."""
        if self.case.answerable:
            return not self.answer.abstained and self.first_citation_gold
        return self.answer.abstained


@dataclass
class Summary:
    n: int
    answerable: int
    unanswerable: int
    metrics: dict[str, float] = field(default_factory=dict)


def summarise(results: Sequence[Result]) -> Summary:
    ans = [r for r in results if r.case.answerable]
    una = [r for r in results if not r.case.answerable]
    abstained = [r for r in results if r.answer.abstained]

    def mean(xs: Iterable[float]) -> float:
        xs = list(xs)
        return sum(xs) / len(xs) if xs else float("nan")

    m = {
        "recall@1": mean(r.recall_at(1) for r in ans),
        "recall@5": mean(r.recall_at(5) for r in ans),
        "recall@10": mean(r.recall_at(10) for r in ans),
        "mrr@10": mean(r.reciprocal_rank for r in ans),
        "first_citation_gold": mean(r.first_citation_gold for r in ans),
        "any_citation_gold": mean(r.any_citation_gold for r in ans),
        "answer_contains_reference": mean(contains_answer(r.answer.text, r.case.answers) for r in ans if not r.answer.abstained),
        "answer_token_f1": mean(token_f1(r.answer.text, r.case.answers) for r in ans if not r.answer.abstained),
        "false_abstention_rate": mean(r.answer.abstained for r in ans),
        "abstention_precision": mean(not r.case.answerable for r in abstained),
        "abstention_recall": mean(r.answer.abstained for r in una),
        "accuracy": mean(r.correct for r in results),
        "latency_p50_ms": 1000 * statistics.median([r.answer.timings.get("total", 0.0) for r in results]) if results else 0.0,
        "latency_p95_ms": 1000 * sorted(r.answer.timings.get("total", 0.0) for r in results)[int(0.95 * (len(results) - 1))] if results else 0.0,
    }
    return Summary(n=len(results), answerable=len(ans), unanswerable=len(una), metrics=m)


def run(assistant: Assistant, cases: Sequence[Case], *, progress: bool = False) -> list[Result]:
    from tqdm import tqdm

    return [
        Result(case, assistant.ask(case.question, history=list(case.history)))
        for case in tqdm(cases, desc="Evaluating", unit="q", disable=not progress, leave=False)
    ]


def calibrate(results: Sequence[Result]) -> tuple[float, float]:
    """The abstention threshold that makes the most cases correct (answerable: answered with
    a gold first citation; unanswerable: abstained), preferring the higher of equal thresholds,
    since an abstention costs less than an invented answer. `results` must come from a run
    that never abstains (min_support below every score). Returns (threshold, accuracy)."""
    thresholds = sorted({round(r.answer.confidence, 4) for r in results})
    best = (0.0, -1.0)
    for t in thresholds:
        correct = sum(
            (r.answer.confidence >= t and r.first_citation_gold) if r.case.answerable else r.answer.confidence < t
            for r in results
        )
        acc = correct / len(results)
        if acc >= best[1]:
            best = (t, acc)
    # Half-way to the next lower score: a margin on both sides for questions not in the set.
    lower = [x for x in thresholds if x < best[0]]
    return ((best[0] + lower[-1]) / 2 if lower else best[0], best[1])
