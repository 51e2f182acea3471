"""Timelines: "timeline of …", "how did … develop", "what happened with … over time".

Hits → one event per dated article, oldest first, one line per event:

    2020-01-20 — <a verbatim sentence of the article> [1]
    2020-03-14 — <…> [2]

The date of a line is the day its sentence says the event happened ("On Wednesday, …" in a
report of Saturday 21 December 2019 is 2019-12-18, timeframe.event_day), else the report's date;
the citation carries the report's date.

Each line is a sentence of the paragraph its marker cites (so it is supported by construction,
as in the extractive answer), and each citation carries its article's date. Articles are kept
only when they are about the question (recency.relevance, within `margin` of the best one), and
the sentence of each article is its lead, the sentence a news story says what happened in, when
the lead names one of the question's topic words; otherwise the sentence closest to the question
(cosine blended with topic-word coverage). Undated articles cannot be placed on a timeline and
are left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..schema import Answer, Citation, Claim, Hit, Span
from ..text import Sentence, looks_like_instructions, question_terms, sentences, terms
from .answering import lead
from .recency import relevance
from .timeframe import NEWS_WORDS, event_day

_MIN_WORDS = 5


@dataclass(frozen=True, slots=True)
class Event:
    date: str
    hit: Hit
    sentence: Sentence
    score: float


def events(
    query: str,
    hits: Sequence[Hit],
    query_vector: np.ndarray,
    encode: Callable[[list[str]], np.ndarray],
    idf: Callable[[str], float],
    *,
    margin: float,
    min_score: float,
    max_events: int,
    article: Callable[[str], Sequence[Hit]] | None = None,
) -> list[Event]:
    """The lead or best sentence of each relevant dated article, in date order. `article` gives
    an article's first paragraphs, where its lead is."""
    dated = [h for h in hits if h.date]
    if not dated:
        return []
    scored = relevance(query, dated, query_vector, idf)
    best: dict[str, float] = {}
    for r in scored:
        best[r.hit.doc_id] = max(best.get(r.hit.doc_id, -1.0), r.score)
    top = max(best.values())
    keep = sorted((d for d, s in best.items() if s >= top - margin), key=lambda d: -best[d])[:max_events]
    # Each kept article's two most relevant paragraphs are where its event sentence is looked for.
    paras: dict[str, list[Hit]] = {d: [] for d in keep}
    for r in sorted(scored, key=lambda r: -r.score):
        if r.hit.doc_id in paras and len(paras[r.hit.doc_id]) < 2:
            paras[r.hit.doc_id].append(r.hit)
    candidates: list[tuple[Hit, Sentence]] = []
    for hs in paras.values():
        for h in hs:
            candidates += [
                (h, s) for s in sentences(h.text) if len(s.text.split()) >= _MIN_WORDS and not looks_like_instructions(s.text)
            ]
    if not candidates:
        return []
    weights = {t: idf(t) for t in question_terms(query)}
    total = sum(weights.values())
    sims = encode([s.text for _, s in candidates]) @ np.asarray(query_vector, dtype=np.float32)
    best_event: dict[str, Event] = {}
    for (h, s), sim in zip(candidates, sims.tolist(), strict=True):
        vocab = set(terms(s.text))
        cov = sum(w for t, w in weights.items() if t in vocab) / total if total > 0 else 0.5
        score = 0.6 * sim + 0.4 * cov
        if score >= min_score and (h.doc_id not in best_event or score > best_event[h.doc_id].score):
            best_event[h.doc_id] = Event(h.date, h, s, score)
    topic = set(weights)
    for doc_id, event in list(best_event.items()):
        found = lead(article(doc_id), doc_id) if article else None
        if found is not None and topic & set(terms(found[1].text)):
            best_event[doc_id] = Event(event.date, dataclasses.replace(found[0], date=event.date), found[1], event.score)
    # Reports date what they tell from their own day ("On Wednesday, …" in a Saturday report):
    # the event's line shows the day the sentence means; its citation keeps the report's date.
    dated_events = [dataclasses.replace(e, date=event_day(e.sentence.text, e.hit.date) or e.date) for e in best_event.values()]
    return sorted(dated_events, key=lambda e: (e.date, e.hit.doc_id, e.hit.paragraph))


def has_topic(question: str) -> bool:
    """Does the question name anything besides news and time ("What happened?", "Any news?"
    name nothing: what happened in a period is every story of it)?"""
    return bool(set(question_terms(question)) - _NEWS_WORDS)


_NEWS_WORDS = NEWS_WORDS | frozenset(terms("event events any from main top big biggest major headline headlines world"))


def leads(doc_ids: Sequence[str], article: Callable[[str], Sequence[Hit]], dates: dict[str, str]) -> list[Event]:
    """Each article's lead as its event, dated by the day it means, in date order."""
    out = []
    for doc_id in doc_ids:
        found = lead(article(doc_id), doc_id)
        if found is None:
            continue
        hit = dataclasses.replace(found[0], date=found[0].date or dates.get(doc_id, ""))
        out.append(Event(event_day(found[1].text, hit.date) or hit.date, hit, found[1], 1.0))
    return sorted(out, key=lambda e: (e.date, e.hit.doc_id))


def compose(question: str, standalone: str, found: Sequence[Event], evidence: Sequence[Hit]) -> Answer:
    """The timeline answer: one claim per event, "DATE — sentence", citing its paragraph,
    oldest first (`Answer.text` puts each on its own line: "DATE — sentence [n]")."""
    claims: list[Claim] = []
    citations: list[Citation] = []
    for marker, e in enumerate(found, 1):
        text = e.sentence.text.replace("[", "(").replace("]", ")")  # every [n] a reader sees is ours
        span = Span(e.hit.doc_id, e.hit.paragraph, e.sentence.start, e.sentence.end)
        claims.append(Claim(f"{e.date} — {text}", (marker,), span))  # the date is part of what is claimed
        citations.append(
            Citation(
                marker=marker, doc_id=e.hit.doc_id, title=e.hit.title, source=e.hit.source, paragraph=e.hit.paragraph,
                section=e.hit.section, text=e.hit.text, quotes=(e.sentence.text,), spans=((e.sentence.start, e.sentence.end),),
                date=e.hit.date or e.date,
            )
        )
    return Answer(
        question=question, claims=tuple(claims), citations=citations, abstained=False, standalone_question=standalone,
        evidence=list(evidence), confidence=max((e.score for e in found), default=0.0), backend="timeline", kind="timeline",
    )
