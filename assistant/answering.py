"""Hits → Answer. The offline default is extractive: every sentence of the answer is a sentence
of a retrieved paragraph, followed by the marker of that paragraph, so each one is supported
by its citation by construction. LLM backends implement the same `Answerer` protocol.

Support score of a sentence (transparent, and the basis of abstention):

    support = w * cosine(question, sentence in its paragraph) + (1 - w) * coverage

`cosine` blends the sentence's own similarity with its paragraph's (a sentence such as "He
said goodbye." means little alone); `coverage` is the IDF-weighted share of the question's
topic words found in the sentence (full weight) or elsewhere in its paragraph, headline or
section (half weight). A question whose rare words appear nowhere ("Taiwan") scores low even
when the topic is close, which is exactly when an answer would be invented.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .schema import Answer, Citation, Hit
from .settings import AnswerSettings
from .text import Sentence, looks_like_instructions, question_terms, sentences, terms

_MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    hit: Hit
    sentence: Sentence
    cosine: float  # blend of the sentence's and its paragraph's similarity to the question
    coverage: float  # IDF-weighted share of the question's topic words present
    missing_names: float  # share of the question's names that its paragraph never mentions
    phrases: float  # share of the question's adjacent term pairs found adjacent in the sentence
    support: float


class Answerer(Protocol):
    """The answer step. `question` is what the user typed; `standalone` is the question
    rewritten with its conversation context, which is what retrieval searched for."""

    name: str

    def answer(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray) -> Answer: ...


def abstention_text(question: str) -> str:
    q = question.strip().rstrip("?.! ")
    return (
        f"The indexed articles do not say: “{q}?”. The closest paragraphs found are listed as evidence, "
        "but they are not sufficient to answer."
    )


def _match(term: str, vocabulary: set[str]) -> float:
    """1 for the same stem; 0.7 for a near stem (china/chines, korea/korean), which the
    stemmer leaves apart; else 0."""
    if term in vocabulary:
        return 1.0
    if len(term) >= 5:
        for v in vocabulary:
            short, long_ = (term, v) if len(term) <= len(v) else (v, term)
            if len(short) >= 5 and long_.startswith(short[:-1]):
                return 0.7
    return 0.0


def coverage(q_terms: Sequence[str], weights: Sequence[float], sentence_terms: set[str], context_terms: set[str]) -> float:
    """IDF-weighted share of the question's terms found in the sentence (full credit) or in
    its paragraph, headline or section (half credit)."""
    total = sum(weights)
    if total <= 0:
        return 0.5  # a question with no topic words ("what did he say?"): no lexical evidence either way
    got = sum(
        w * max(_match(t, sentence_terms), 0.5 * _match(t, context_terms)) for t, w in zip(q_terms, weights, strict=True)
    )
    return got / total


def pairs(seq: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(seq))


def question_names(question: str) -> list[str]:
    """Stems of the names a question asks about (capitalised words after its first word, and
    acronyms), e.g. "Taiwan" in "What did the statement say about Taiwan?"."""
    toks = question.split()[1:]
    found = [re.sub(r"\W+$|^\W+", "", t) for t in toks if t[:1].isupper()]
    return list(dict.fromkeys(t for f in found for t in terms(f)))


_FAKE_MARKER = re.compile(r"\[(\d+)\]")


def defang_markers(sentence: str) -> str:
    """Bracketed numbers written in an article ("as reported [3]") become "(3)" in the answer
    text, so that every `[n]` a reader or a parser sees is one of ours. The citation keeps the
    paragraph's exact words; only the composed answer differs."""
    return _FAKE_MARKER.sub(r"(\1)", sentence)


def cite(chosen: Sequence[ScoredSentence]) -> tuple[str, list[Citation]]:
    """Answer text with a marker after each sentence, and the citations in marker order.
    Sentences of one paragraph share its marker; the citation lists their spans."""
    order: list[tuple[str, int]] = []
    by_key: dict[tuple[str, int], list[ScoredSentence]] = {}
    parts: list[str] = []
    for s in chosen:
        key = s.hit.key
        if key not in by_key:
            order.append(key)
            by_key[key] = []
        by_key[key].append(s)
        parts.append(f"{defang_markers(s.sentence.text)} [{order.index(key) + 1}]")
    citations = []
    for marker, key in enumerate(order, 1):
        used = sorted(by_key[key], key=lambda s: s.sentence.start)
        hit = used[0].hit
        citations.append(
            Citation(
                marker=marker,
                doc_id=hit.doc_id,
                title=hit.title,
                source=hit.source,
                paragraph=hit.paragraph,
                section=hit.section,
                text=hit.text,
                quotes=tuple(s.sentence.text for s in used),
                spans=tuple((s.sentence.start, s.sentence.end) for s in used),
            )
        )
    return " ".join(parts), citations


def _similar(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.6


class ExtractiveAnswerer:
    """Picks the sentences of the retrieved paragraphs that best answer the question."""

    name = "extractive"

    def __init__(
        self,
        settings: AnswerSettings,
        encode: Callable[[list[str]], np.ndarray],
        idf: Callable[[str], float],
    ) -> None:
        self.settings = settings
        self.encode = encode
        self.idf = idf

    def question_weights(self, question: str, standalone: str) -> dict[str, float]:
        """IDF weight of each topic term; terms that only come from earlier turns of the
        conversation count half, so "and about Libya?" is about Libya, not the earlier topic."""
        weights = {t: self.idf(t) for t in question_terms(question)}
        for t in question_terms(standalone):
            weights.setdefault(t, 0.5 * self.idf(t))
        return weights

    def score(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray) -> list[ScoredSentence]:
        weights = self.question_weights(question, standalone)
        q_terms, q_weights = list(weights), list(weights.values())
        names = question_names(question)
        q_pairs = pairs(question_terms(question))
        if standalone != question:  # a follow-up: its own words say what is asked now
            own = self.encode([question])[0]
            query_vector = (np.asarray(query_vector) + own) / 2
        candidates: list[tuple[Hit, Sentence]] = []
        for h in hits:
            sents = sentences(h.text)
            candidates += [
                (h, s) for s in sents
                if (len(s.text.split()) >= _MIN_WORDS or len(sents) == 1) and not looks_like_instructions(s.text)
            ]
        if not candidates:
            return []
        q = np.asarray(query_vector, dtype=np.float32)
        # Paragraph vectors come from the store; only paragraphs it has no vector for are encoded.
        fresh = [h for h in hits if h.vector is None]
        para_sim = dict(zip([h.key for h in fresh], (self.encode([h.text for h in fresh]) @ q).tolist(), strict=True)) if fresh else {}
        para_sim.update({h.key: float(np.asarray(h.vector, dtype=np.float32) @ q) for h in hits if h.vector is not None})
        context: dict[tuple[str, int], set[str]] = {h.key: set(terms(f"{h.title} {h.section} {h.text}")) for h in hits}
        w, penalty = self.settings.semantic_weight, self.settings.missing_name_penalty
        cov = [coverage(q_terms, q_weights, set(terms(s.text)), context[h.key]) for h, s in candidates]
        phrase = [len(q_pairs & pairs(terms(s.text))) / len(q_pairs) if q_pairs else 0.0 for _, s in candidates]
        # Encoding sentences is the costly part of answering. Only the most promising ones are
        # encoded, ranked as if each sentence were as close to the question as its paragraph.
        limit = self.settings.max_encoded_sentences
        if len(candidates) > limit:
            guess = [w * para_sim[h.key] + (1 - w) * cov[i] + self.settings.phrase_weight * phrase[i] for i, (h, _) in enumerate(candidates)]
            keep = sorted(sorted(range(len(candidates)), key=lambda i: -guess[i])[:limit])
            candidates, cov, phrase = [candidates[i] for i in keep], [cov[i] for i in keep], [phrase[i] for i in keep]
        sims = self.encode([s.text for _, s in candidates]) @ q
        scored = []
        for i, (h, s) in enumerate(candidates):
            cos = 0.5 * float(sims[i]) + 0.5 * para_sim[h.key]
            missing = sum(1 for n in names if not _match(n, context[h.key])) / len(names) if names else 0.0
            support = w * cos + (1 - w) * cov[i] - penalty * missing + self.settings.phrase_weight * phrase[i]
            scored.append(ScoredSentence(h, s, cos, cov[i], missing, phrase[i], support))
        scored.sort(key=lambda x: -x.support)
        return scored

    def answer(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray) -> Answer:
        scored = self.score(question, standalone, hits, query_vector)
        best = scored[0].support if scored else 0.0
        if not scored or best < self.settings.min_support:
            return Answer(question=question, text=abstention_text(question), citations=[], abstained=True,
                          standalone_question=standalone, evidence=list(hits), confidence=best, backend=self.name)
        chosen: list[ScoredSentence] = []
        for s in scored:
            if len(chosen) == self.settings.max_sentences or s.support < best * self.settings.relative_cutoff:
                break
            if any(_similar(s.sentence.text, c.sentence.text) for c in chosen):
                continue
            chosen.append(s)
        text, citations = cite(chosen)
        return Answer(question=question, text=text, citations=citations, abstained=False,
                      standalone_question=standalone, evidence=list(hits), confidence=best, backend=self.name)
