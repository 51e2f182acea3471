"""Hits re-ranked by time: "latest" prefers the newest relevant article, and a year named in
passing ("the 2019 Canadian election") must agree with the cited article's date or text.

Relevance is judged before recency, so the newest article wins only among those about the
question: a paragraph's relevance is its stored vector's cosine to the question blended with
the IDF-weighted share of the question's topic words in its headline, section and text (the
same two signals the answer step uses). Articles within `margin` of the most relevant one
count as relevant; of those, the newest date wins and its paragraphs are what the answer step
sees, so the first citation is the latest report, not the best-worded older one. Long articles
fill the candidate list with their paragraphs, so the pipeline then searches again among the
articles dated after the newest relevant one (a filter inside retrieval) until nothing newer is
relevant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..schema import Hit
from ..text import question_terms, terms


@dataclass(frozen=True, slots=True)
class Relevance:
    """How well one hit fits the question, independent of its date."""

    hit: Hit
    cosine: float
    coverage: float

    @property
    def score(self) -> float:
        return 0.5 * self.cosine + 0.5 * self.coverage


def relevance(query: str, hits: Sequence[Hit], query_vector: np.ndarray, idf: Callable[[str], float]) -> list[Relevance]:
    weights = {t: idf(t) for t in question_terms(query)}
    total = sum(weights.values())
    q = np.asarray(query_vector, dtype=np.float32)
    out = []
    for h in hits:
        vocab = set(terms(f"{h.title} {h.section} {h.text}"))
        cov = sum(w for t, w in weights.items() if t in vocab) / total if total > 0 else 0.5
        cos = float(np.asarray(h.vector, dtype=np.float32) @ q) if h.vector is not None else 0.0
        out.append(Relevance(h, cos, cov))
    return out


def newest(scored: Sequence[Relevance], floor: float) -> list[Relevance]:
    """The relevant (score ≥ floor) hits of the newest date, most relevant first; [] when no
    relevant hit is dated."""
    relevant = [r for r in scored if r.score >= floor and r.hit.date]
    if not relevant:
        return []
    latest = max(r.hit.date for r in relevant)
    return sorted((r for r in relevant if r.hit.date == latest), key=lambda r: -r.score)


def floor_of(scored: Sequence[Relevance], margin: float) -> float:
    """Relevance an article needs to compete on date: within `margin` of the best hit."""
    return max((r.score for r in scored), default=0.0) - margin


def agreeing(hits: Sequence[Hit], years: Sequence[int]) -> list[Hit]:
    """Hits whose article is dated in one of the years; else hits whose headline or text names
    one; else none (the evidence does not agree with the question's year)."""
    by_date = [h for h in hits if h.date[:4].isdigit() and int(h.date[:4]) in years]
    if by_date:
        return by_date
    return [h for h in hits if any(str(y) in f"{h.title} {h.text}" for y in years)]
