"""Scores: what one configuration said about one case, scored; and scores aggregated.

- retrieval: a gold paragraph among the first 1 / 5 / 10 retrieved; MRR@10;
- citations (ALCE-style): citation recall = share of answer sentences supported by the union
  of their citations; citation precision = share of citations that support their sentence
  alone, or without which the sentence would no longer be supported; gold hit = a cited
  paragraph is gold; evidence recall = share of gold paragraphs cited (multi-paragraph items);
- answers: contains a reference answer (normalised), token F1 (abstentions score 0);
- abstention: precision and recall on unanswerable items; false abstentions;
- latency per question, p50 / p95.

"Supported" is judged by a transparent lexical rule (`support`), because no NLI or
cross-encoder model ships in a PyPI package: the share of the sentence's content terms
(stemmed, stopwords removed, numbers kept) found in the cited paragraphs must reach
SUPPORT_THRESHOLD. The rule is checked against a hand-labelled sample
(evals/support_labels.jsonl) in every run (`validate_support_rule`), and its agreement is
printed in the report.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError
from ..index.catalog import Catalog
from ..text import normalize, support, words
from .dataset import Case, Key

SUPPORT_THRESHOLD = 0.7

Scores = dict[str, float]
"""One item's scores by metric name; a metric that does not apply is absent or NaN."""


@dataclass(frozen=True, slots=True)
class Aggregate:
    """A metric over a group of items: its value and how many items it applies to."""

    value: float
    n: int


Aggregates = dict[str, Aggregate]
"""Metric name → Aggregate, in METRICS order."""


@dataclass
class Prediction:
    """What one configuration said about one case, in the terms the scores need."""

    text: str
    abstained: bool
    claims: list[tuple[str, tuple[Key, ...]]]
    citations: list[Key]  # in marker order
    ranks: list[Key]  # retrieved paragraphs, best first
    texts: dict[Key, str]  # text of every cited paragraph
    seconds: float
    answer: dict[str, object] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Support, citations, answers


def supported(claim: str, evidence: Sequence[str]) -> bool:
    return bool(evidence) and support(claim, evidence) >= SUPPORT_THRESHOLD


_CLAIM = re.compile(r"(.+?)((?:\s*\[\d+\])+)(?=\s|$)", re.S)


def claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """Rendered answer text → (sentence, markers it cites). Our answers carry their claims
    (`Answer.claims`), which the eval scores; this parser reads text that has only markers, and
    the tests use it to check that rendering claims to text loses nothing. Text after the last
    marker is a claim with no citation (it counts against citation recall)."""
    out, pos = [], 0
    for m in _CLAIM.finditer(text):
        sentence = m.group(1).strip()
        markers = tuple(int(x) for x in re.findall(r"\d+", m.group(2)))
        if sentence:
            out.append((sentence, markers))
        pos = m.end()
    rest = text[pos:].strip()
    if rest:
        out.append((rest, ()))
    return out


def citation_scores(claimed: Sequence[tuple[str, Sequence[Key]]], texts: dict[Key, str]) -> tuple[float, float, int]:
    """ALCE citation recall and precision of one answer, and its number of citations."""
    if not claimed:
        return float("nan"), float("nan"), 0
    recall_hits, relevant, total = 0, 0, 0
    for sentence, keys in claimed:
        cited = [texts[k] for k in keys if k in texts]
        whole = supported(sentence, cited)
        recall_hits += whole
        for i, k in enumerate(keys):
            total += 1
            alone = k in texts and supported(sentence, [texts[k]])
            others = [texts[o] for j, o in enumerate(keys) if j != i and o in texts]
            needed = whole and not supported(sentence, others)
            relevant += alone or needed
    return recall_hits / len(claimed), (relevant / total if total else float("nan")), total


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


# ---------------------------------------------------------------------------------------------
# Per-item scores and aggregates


def score(case: Case, p: Prediction) -> Scores:
    """Per-item scores; NaN where a score does not apply (retrieval on unanswerable items…)."""
    nan = float("nan")
    s: Scores = {"abstained": float(p.abstained), "latency_ms": 1000 * p.seconds}
    if case.answerable:
        gold = case.gold
        s["recall@1"] = float(bool(gold & set(p.ranks[:1])))
        s["recall@5"] = float(bool(gold & set(p.ranks[:5])))
        s["recall@10"] = float(bool(gold & set(p.ranks[:10])))
        s["mrr@10"] = next((1 / i for i, k in enumerate(p.ranks[:10], 1) if k in gold), 0.0)
        s["first_citation_gold"] = float(bool(p.citations) and p.citations[0] in gold)
        # The right article (and so the right date) first: the score of time-aware items.
        s["first_citation_doc"] = float(bool(p.citations) and p.citations[0][0] in {d for d, _ in gold})
        s["gold_hit"] = float(bool(gold & set(p.citations)))
        s["evidence_recall"] = len(gold & set(p.citations)) / len(gold) if case.evidence_mode == "all" else nan
        s["answer_contains"] = float(not p.abstained and contains_answer(p.text, case.answers))
        s["answer_f1"] = 0.0 if p.abstained else token_f1(p.text, case.answers)
        s["false_abstention"] = float(p.abstained)
    if not p.abstained:
        recall, precision, n = citation_scores(p.claims, p.texts)
        s["citation_recall"], s["citation_precision"] = recall, precision
        s["citations"] = float(n)
    return s


METRICS = (
    "recall@1", "recall@5", "recall@10", "mrr@10", "first_citation_gold", "first_citation_doc", "gold_hit", "evidence_recall",
    "citation_recall", "citation_precision", "answer_contains", "answer_f1", "false_abstention",
    "abstention_precision", "abstention_recall", "latency_p50_ms", "latency_p95_ms",
)
_OVER_GROUP = ("abstention_precision", "abstention_recall", "latency_p50_ms", "latency_p95_ms")
"""Metrics of the group as a whole, not means of per-item scores."""


def _mean(xs: Iterable[float]) -> tuple[float, int]:
    vals = [x for x in xs if not math.isnan(x)]
    return (sum(vals) / len(vals) if vals else float("nan")), len(vals)


def aggregate(items: Sequence[tuple[Case, Scores]]) -> Aggregates:
    """Every metric over the given items (means skip NaN; `n` counts the items it applies to)."""
    out: Aggregates = {}
    for m in METRICS:
        if m not in _OVER_GROUP:
            out[m] = Aggregate(*_mean(s.get(m, float("nan")) for _, s in items))
    abstained = [c for c, s in items if s["abstained"]]
    unanswerable = [s for c, s in items if not c.answerable]
    out["abstention_precision"] = Aggregate(_mean(float(not c.answerable) for c in abstained)[0], len(abstained))
    out["abstention_recall"] = Aggregate(_mean(s["abstained"] for s in unanswerable)[0], len(unanswerable))
    lat = sorted(s["latency_ms"] for _, s in items)
    out["latency_p50_ms"] = Aggregate(statistics.median(lat) if lat else float("nan"), len(lat))
    out["latency_p95_ms"] = Aggregate(lat[min(len(lat) - 1, math.ceil(0.95 * len(lat)) - 1)] if lat else float("nan"), len(lat))
    return out


# ---------------------------------------------------------------------------------------------
# How far the support rule can be trusted


@dataclass(frozen=True, slots=True)
class SupportCheck:
    """Agreement of `supported` with hand labels (precision/recall: of saying "supported")."""

    n: int
    agreement: float
    precision: float
    recall: float
    disagreements: tuple[str, ...]


def validate_support_rule(labels_path: Path, catalogs: dict[str, Catalog]) -> SupportCheck:
    """`supported` against hand-labelled (claim, paragraph) pairs: how far the citation scores can be trusted."""
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = tn = fn = 0
    disagreements = []
    for r in rows:
        catalog = catalogs.get(r.get("corpus", "seed"))
        if catalog is None:
            continue
        found = catalog.lookup([(r["doc_id"], int(r["paragraph"]))])
        if not found:
            raise AssistantError(f"{labels_path}: no paragraph {r['paragraph']} in {r['doc_id']}")
        text = next(iter(found.values()))[1].text
        said = supported(r["claim"], [text])
        truth = bool(r["supported"])
        tp += said and truth
        fp += said and not truth
        tn += (not said) and (not truth)
        fn += (not said) and truth
        if said != truth:
            disagreements.append(r["claim"])
    n = tp + fp + tn + fn
    return SupportCheck(
        n=n, agreement=(tp + tn) / n if n else float("nan"),
        precision=tp / (tp + fp) if tp + fp else float("nan"), recall=tp / (tp + fn) if tp + fn else float("nan"),
        disagreements=tuple(disagreements),
    )
