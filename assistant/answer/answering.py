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

import dataclasses
import itertools
import re
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from ..ingest import dates
from ..schema import Answer, Citation, Claim, Hit, Span, Turn
from ..settings import AnswerSettings
from ..text import (
    STOPWORDS,
    Sentence,
    looks_like_instructions,
    question_names,
    question_terms,
    says_when,
    sentences,
    sex_by_title,
    surname,
    terms,
    untitled,
)
from . import chat, timeframe
from .abstention import AbstentionModel
from .question import PERSON_TYPES, Analyzer, QuestionAnalysis, has_answer_type, holds_post, says_an_age

_MIN_WORDS = 4
_TITLES = frozenset(terms("mr mrs ms miss dr sir lord lady dame prof professor president minister secretary chancellor coach boss "
                          "manager chief chairman captain judge the a"))
_NAMED_TYPES = ("person", "agent", "organisation", "team", "place", "money", "name")  # answer types spaCy's entities tell


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    hit: Hit
    sentence: Sentence
    cosine: float  # blend of the sentence's and its paragraph's similarity to the question
    coverage: float  # IDF-weighted share of the question's topic words present
    missing_names: float  # share of the question's names that its paragraph never mentions
    phrases: float  # share of the question's adjacent term pairs found adjacent in the sentence
    support: float
    type_ok: bool = True  # holds the kind of answer asked for (always true for open questions)
    focus: float = 1.0  # IDF-weighted share of the question's focus words in the sentence (half: its paragraph)
    retrieved: bool = True  # its paragraph was among retrieval's top k (not only in the same article)
    vector: np.ndarray | None = None  # the sentence's embedding
    conversation: float = 0.0  # the part of `support` owed to the conversation's article (a follow-up's)
    antecedent: Sentence | None = None  # the earlier sentence of its paragraph that names who "he"/"she" is, when the answer is that name
    reweighted: float = 0.0  # the part of `support` owed to weighing meaning more for a paraphrase (answer.paraphrase_coverage)

    @property
    def earned(self) -> float:
        """The support the sentence earned itself. The conversation's article is the likelier
        place for a follow-up's answer, which is no evidence that it holds one: whether to
        answer at all is decided on this."""
        return self.support - self.conversation


class AnswerStream:
    """An answer as it is written. Iterating gives the pieces of text produced so far (an LLM's
    draft as the model writes it; none for an answer composed in one go), and `answer()` reads
    whatever is left and returns the final, citation-checked Answer. The draft is not the
    answer: the citation check may still remove sentences from it.

        stream = assistant.stream("Who is China's ambassador to Russia?")
        for piece in stream:          # optional: show the draft
            print(piece, end="")
        answer = stream.answer()

    It wraps a generator that yields the pieces and returns the Answer, and it is one iterator
    (reading it in several places continues where the last stopped), so a stage that
    post-processes another's answer writes `answer = yield from inner_stream`.
    """

    def __init__(self, steps: Generator[str, None, Answer]) -> None:
        self._steps = steps
        self._answer: Answer | None = None

    @classmethod
    def of(cls, answer: Answer) -> AnswerStream:
        """An answer composed in one go: no pieces, only the final answer."""
        return cls(_finished(answer))

    def __iter__(self) -> AnswerStream:
        return self

    def __next__(self) -> str:
        if self._answer is None:
            try:
                return next(self._steps)
            except StopIteration as done:
                self._answer = done.value
        raise StopIteration(self._answer)  # the value `answer = yield from stream` receives

    def answer(self) -> Answer:
        for _ in self:
            pass
        if self._answer is None:  # not an assert: it must hold under python -O too
            raise RuntimeError("The answer stream ended without its answer.")
        return self._answer


def _finished(answer: Answer) -> Generator[str, None, Answer]:
    yield from ()
    return answer


class Answerer(Protocol):
    """The answer step. `question` is what the user typed; `standalone` is the question
    rewritten with its conversation context, which is what retrieval searched for.

    Every answerer can answer at once (`answer`), answer as a stream (`stream`: an LLM shows
    its draft while it writes; the extractive answerer's stream is its answer, in one go), and
    rewrite a follow-up into the standalone question that retrieval searches for (`condense`).
    `said` is the reply a follow-up follows: what the user has already been told.
    """

    name: str

    def answer(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, *, said: str = "",
               period: bool = False) -> Answer: ...

    def stream(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, *, said: str = "",
               period: bool = False) -> AnswerStream: ...

    def condense(self, question: str, history: Sequence[Turn]) -> str: ...


def abstention_text(question: str) -> str:
    q = question.strip().rstrip("?.! ")
    return (
        f"{chat.DECLINED}: “{q}?”. The closest paragraphs found are listed as evidence, "
        "but they are not sufficient to answer."
    )


def abstention_claims(question: str) -> tuple[Claim, ...]:
    """An abstention's text: one claim, citing nothing."""
    return (Claim(abstention_text(question)),)


class Vocabulary:
    """The terms of a text, with the prefixes `_match` needs, built once per text (cached):
    answering compares every question term with every candidate sentence."""

    __slots__ = ("chopped", "prefixes", "terms")

    def __init__(self, text_terms: Iterable[str]) -> None:
        self.terms = frozenset(text_terms)
        long_ = [v for v in self.terms if len(v) >= 5]
        self.prefixes = frozenset(v[:n] for v in self.terms for n in range(4, len(v) + 1))
        self.chopped = frozenset(v[:-1] for v in long_)


@lru_cache(maxsize=65536)
def vocabulary(text: str) -> Vocabulary:
    return Vocabulary(terms(text))


def _match(term: str, vocabulary: Vocabulary) -> float:
    """1 for the same stem; 0.7 for a near stem (china/chines, korea/korean), which the
    stemmer leaves apart: one is the other but for its last letter or more; else 0."""
    if term in vocabulary.terms:
        return 1.0
    if len(term) >= 5 and (term[:-1] in vocabulary.prefixes or any(term[:m] in vocabulary.chopped for m in range(4, len(term)))):
        return 0.7
    return 0.0


def coverage(
    units: Sequence[Sequence[str]], weights: Sequence[float], sentence: Vocabulary, context: Vocabulary, *, no_words: float
) -> float:
    """IDF-weighted share of the question's words found in the sentence (full credit) or in its
    paragraph, headline or section (half credit). A unit is one word given as any of its stems
    ("paid" / "pay"). Used for the question's topic words and for its focus ("earn" must be
    somewhere for "How much did he earn?"); `no_words` is the score when there is nothing to find."""
    total = sum(weights)
    if total <= 0:
        return no_words
    got = sum(w * max(max(_match(v, sentence), 0.5 * _match(v, context)) for v in unit) for unit, w in zip(units, weights, strict=True))
    return got / total


def pairs(seq: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(seq))


def name_units(names: Sequence[str], persons: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """The names evidence must mention, one unit each. A person named in full is one unit that
    any of their names satisfies: a report names someone in full once and then by surname
    ("Mr Boateng"), or, for a surname that comes first, by that ("Mr Xi")."""
    units: list[tuple[str, ...]] = []
    for n in names:
        unit = next((tuple(p) for p in persons if n in p), (n,))
        if unit not in units:
            units.append(unit)
    return units


_FAKE_MARKER = re.compile(r"\[(\d+)\]")


def defang_markers(sentence: str) -> str:
    """Bracketed numbers written in an article ("as reported [3]") become "(3)" in the answer
    text, so that every `[n]` a reader or a parser sees is one of ours. The citation keeps the
    paragraph's exact words; only the composed answer differs."""
    return _FAKE_MARKER.sub(r"(\1)", sentence)


def cite(chosen: Sequence[ScoredSentence]) -> tuple[tuple[Claim, ...], list[Citation]]:
    """One claim per sentence, citing the marker of its paragraph and keeping where in the
    paragraph it was taken from, and the citations in marker order. Sentences of one paragraph
    share its marker; the citation lists their spans."""
    order: list[tuple[str, int]] = []
    by_key: dict[tuple[str, int], list[ScoredSentence]] = {}
    claims: list[Claim] = []
    for s in chosen:
        key = s.hit.key
        if key not in by_key:
            order.append(key)
            by_key[key] = []
        by_key[key].append(s)
        span = Span(s.hit.doc_id, s.hit.paragraph, s.sentence.start, s.sentence.end)
        claims.append(Claim(defang_markers(s.sentence.text), (order.index(key) + 1,), span))
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
    return tuple(claims), citations


def typed_first(ranked: Sequence[ScoredSentence], score: Callable[[ScoredSentence], float], holds: Callable[[ScoredSentence], bool],
                factor: float) -> ScoredSentence | None:
    """When the best of `ranked` does not hold the kind of answer asked for, the first that does
    and scores at least `factor` of the best (answer.type_promotion); else None."""
    if factor <= 0 or not ranked or holds(ranked[0]):
        return None
    top = score(ranked[0])
    return next((s for s in ranked if holds(s) and score(s) >= factor * top), None)


def dated_claims(claims: Sequence[Claim], chosen: Sequence[ScoredSentence]) -> tuple[Claim, ...]:
    """"When did the House impeach Trump?" … "On Wednesday, the House … impeached …", cited to a
    report of Saturday 21 December: the answer is the day the sentence means, not the report's
    date, so the claim says it ("Wednesday 18 December 2019 — On Wednesday, …"), as a timeline
    line does. Only when the sentence does not already give the year it means; never for an
    undated article."""
    out = []
    for claim, s in zip(claims, chosen, strict=True):
        day = timeframe.event_day(s.sentence.text, s.hit.date)
        said = day and day[:4] not in s.sentence.text
        out.append(dataclasses.replace(claim, text=f"{timeframe.spoken_day(day)} — {claim.text}") if said else claim)
    return tuple(out)


_LIST_ITEM = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+\S")


def with_lists(chosen: Sequence[ScoredSentence], pool: Sequence[Hit], most: int) -> list[ScoredSentence]:
    """A chosen sentence that ends in a colon ("They give three key reasons for not making the
    move:") announces the list the article gives next, in paragraphs of their own; the answer
    takes those items with it, each cited to its paragraph, rather than stop at the colon."""
    by_key = {h.key: h for h in pool}
    out: list[ScoredSentence] = []
    taken = {(s.hit.key, s.sentence.start) for s in chosen}
    for s in chosen:
        out.append(s)
        if not s.sentence.text.rstrip().endswith(":") or s.sentence.end < len(s.hit.text.rstrip()) - 1:
            continue
        nxt = s.hit.paragraph + 1
        while len(out) < len(chosen) + most and (item := by_key.get((s.hit.doc_id, nxt))) is not None and _LIST_ITEM.match(item.text):
            if (item.key, 0) not in taken:
                first = sentences(item.text)[0]  # the item, not what the paragraph goes on to say
                # The item keeps the intro's scores: it is cited because the intro was chosen, not ranked itself.
                out.append(dataclasses.replace(s, hit=item, sentence=first))
                taken.add((item.key, 0))
            nxt += 1
    return out


_PRONOUN_SUBJECT = re.compile(r"^(He|She)\s")  # not inside a quotation: "He …" there is someone the speaker means


def _antecedent(pronoun: str, earlier: Sequence[Sentence], labels: Sequence[tuple[tuple[str, str], ...]], *,
                headline: tuple[tuple[str, str], ...], article: str, parse: Callable[[str], Any]) -> Sentence | None:
    """Who "He"/"She" at the start of a sentence is, when it is safe to say: the earlier sentence
    that names them, or None. People the article calls by a title of the other sex ("Mr Hopkins"
    is not "she") are out of the running. Then the nearest earlier sentence of the paragraph
    that names anyone left must name exactly one, in full or by a title (the small model takes
    clubs, galleries and prisons for people: "Everton", "Tate", "Barlinnie"), with no
    organisation word ("Blackground Records"); no one else left of the paragraph, the headline
    or the first paragraph may be named more often in the article (a wife or a co-star
    mentioned in passing is not "he"), nor share the surname with another first name (Janie
    and Jimi Hendrix); and the sentence may leave no one unnamed who could be "he": no
    other-sex pronoun ("Weissler said he …"), no "her"/"him" that is someone else ("… bands Ozzy
    gave her …"), no quotation opening it, no spokesman or official, no name only as owner
    ("Tony Blair's official spokesman"). A wrong name in front of a true sentence is worse than
    no answer."""
    wanted = "f" if pronoun == "She" else "m"

    def may_be(name: str) -> bool:
        return sex_by_title(article, surname(name)) in (None, wanted)

    for sentence, found in zip(earlier, labels, strict=True):
        people = [p for p in dict.fromkeys(text for text, label in found if label == "PERSON") if may_be(p)]
        if not people:
            continue
        if len(people) > 1:
            return None
        person, last = untitled(people[0]), surname(people[0])
        if not person or (len(person) < 2 and sex_by_title(article, last) is None) or _ORG_WORD.search(people[0]):
            return None
        named = [text for lab in [*labels, headline] for text, label in lab if label == "PERSON" and may_be(text)]
        if any(surname(n) == last and len(untitled(n)) > 1 and untitled(n)[0] != person[0] for n in named):
            return None
        count = len(re.findall(rf"\b{re.escape(last)}\b", article))
        if any(len(re.findall(rf"\b{re.escape(surname(n))}\b", article)) > count for n in named if surname(n) not in ("", last)):
            return None
        if (re.search(r"\b(?:she|her|hers)\b" if wanted == "m" else r"\b(?:he|his|him)\b", sentence.text, re.I)
                or sentence.text[:1] in _OPENING_QUOTES or _UNNAMED_SPEAKER.search(sentence.text)
                or re.search(rf"\b{re.escape(last)}['’]s\b", sentence.text)
                or any(t.lower_ == ("him" if wanted == "m" else "her") and t.dep_ in ("dobj", "dative", "pobj", "iobj")
                       for t in parse(sentence.text))):
            return None
        return sentence
    return None


_ORG_WORD = re.compile(r"\b(?:Records|Ltd|Plc|Group|Bank|Club|United|City|Council|Inc|Corp|Company|News|Media|Studios?|Associates|Music|Films?)\b")
_UNNAMED_SPEAKER = re.compile(r"\b(?:spokes(?:man|woman|person)|official|aide|source|colleague|friend|lawyer|wife|husband)\b", re.I)


def with_antecedents(chosen: Sequence[ScoredSentence]) -> list[ScoredSentence]:
    """A chosen "He designed …" answers "Who designed …?" only with the earlier sentence of its
    paragraph that names him: that sentence comes first, cited to the same paragraph, so the
    answer holds the name and every word of it is still the article's."""
    out: list[ScoredSentence] = []
    for s in chosen:
        a = s.antecedent
        if a is not None and not any(c.hit.key == s.hit.key and c.sentence.start == a.start for c in [*out, *chosen]):
            out.append(dataclasses.replace(s, sentence=a, antecedent=None))
        out.append(s)
    return out


def statements(paragraph: str) -> list[Sentence]:
    """The sentences of a paragraph that can be given as an answer on their own: long enough to
    say something, and not addressed to an AI."""
    return [x for x in sentences(paragraph) if len(x.text.split()) >= _MIN_WORDS and not looks_like_instructions(x.text)]


def is_dateline(paragraph: Hit) -> bool:
    """Is the paragraph a plain-text article's dateline ("Published 2019-02-21")? It stays a
    paragraph so that numbering does not depend on dates (parsing), but it tells when the story
    was published, not anything that happened: the answer shows the date beside the citation.
    Short one-sentence paragraphs are otherwise candidates ("Chelsea won 2-1.")."""
    return paragraph.paragraph <= dates.DATELINE_SCAN + 1 and bool(dates.from_dateline(paragraph.text)[0])


def opening(pool: Sequence[Hit], doc_id: str) -> tuple[Hit, Sentence] | None:
    """The article's opening sentence (see `lead`) when `pool` holds every paragraph of the
    article before it: the first sentence of a paragraph retrieved from the middle of a story
    does not open it."""
    first = lead(pool, doc_id)
    if first is None or first[0].paragraph != 1 + sum(h.doc_id == doc_id and h.paragraph < first[0].paragraph for h in pool):
        return None
    return first


def following(s: ScoredSentence, pool: Sequence[Hit]) -> ScoredSentence | None:
    """The sentence after `s` in its article: the next one of its paragraph, or the first of the
    next paragraph when that is among `pool`. It keeps the scores of `s`: it is cited because
    `s` was chosen."""
    later = [x for x in statements(s.hit.text) if x.start > s.sentence.start]
    if later:
        return dataclasses.replace(s, sentence=later[0])
    nxt = next((h for h in pool if h.key == (s.hit.doc_id, s.hit.paragraph + 1)), None)
    first = statements(nxt.text) if nxt is not None else []
    return dataclasses.replace(s, hit=nxt, sentence=first[0]) if nxt is not None and first else None


# Words of a news question that say it asks for news, not what about.
_ASKS_FOR_NEWS = timeframe.NEWS_WORDS

_OPENING_QUOTES = ('"', "“", "‘", "'")


def lead(hits: Iterable[Hit], doc_id: str) -> tuple[Hit, Sentence] | None:
    """The first sentence of an article's first paragraph of body text among `hits` (a dateline
    such as "Published 2019-10-02" is too short to be one): a news story says what happened there
    first, the inverted pyramid every news writer is taught."""
    for h in sorted((h for h in hits if h.doc_id == doc_id), key=lambda h: h.paragraph):
        if found := statements(h.text):
            return h, found[0]
    return None


def _similar(a: str, b: str) -> bool:
    ta, tb = set(terms(a)), set(terms(b))
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) > 0.6



_PART_SPLIT = re.compile(
    r",?\s+and\s+(?=(?:(?:in|on|at|for|from|by|to|with|since|until)\s+)?"  # ", and in which town …", ", and on what date …"
    r"(?:what|where|which|who|whom|how|when|why|will|would|did|does|do|is|are|was|were|has|have)\b)|;\s*",
    re.I,
)
_ABOUT_SPLIT = re.compile(r"\s+and\s+(?=about\b)", re.I)


def question_parts(question: str) -> list[str]:
    """The questions inside a compound one: "Where was he born, and where did he die?" asks two
    things, each with its own evidence. "… about Syria and about Libya?" is two questions that
    share their start."""
    parts = [p.strip(" ,?") for p in _PART_SPLIT.split(question) if p and p.strip(" ,?")]
    if len(parts) == 1:
        halves = _ABOUT_SPLIT.split(question)
        if len(halves) == 2 and " about " in f" {halves[0]} ":
            head = halves[0][: halves[0].lower().rfind(" about ")]
            parts = [halves[0].strip(" ,?"), f"{head} {halves[1]}".strip(" ,?")]
    # "…, and for how much?" has no subject of its own: the whole question is one fact
    if any(_PREPOSITION_START.match(p) and len(p.split()) < 4 for p in parts[1:]):
        return [question]
    return [p for p in parts if len(p.split()) >= 2] if len(parts) > 1 else [question]


_PREPOSITION_START = re.compile(r"^(?:in|on|at|for|from|by|to|with|since|until)\s", re.I)


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def _repeats(sentence: str, said: str) -> bool:
    """Did the reply already say this sentence? Nearly all its words are the reply's (a reply
    quotes its sentences, perhaps with other typography), and every figure in it: "rose by
    3.4%" is news after a reply that said "rose by 4.3%"."""
    words, told = set(terms(sentence)), set(terms(said))
    return (len(words) >= 4 and len(words & told) >= 0.8 * len(words)
            and set(_FIGURE.findall(sentence)) <= set(_FIGURE.findall(said)))


def story_text(best: ScoredSentence, pool: Sequence[Hit]) -> str:
    """The best sentence's story as far as `pool` holds it (all of it for the articles read in full):
    its headline and paragraphs."""
    return " ".join(dict.fromkeys(t for h in pool if h.doc_id == best.hit.doc_id for t in (h.title, h.text)))


def story_names_none(names: Iterable[str | tuple[str, ...]], best: ScoredSentence, pool: Sequence[Hit]) -> bool:
    """Are there names to find, and does the best sentence's story give none of them? A name is a
    stem, or the stems that name it together ("general", "electr")."""
    names = [(n,) if isinstance(n, str) else n for n in names]
    if not names:
        return False
    article = vocabulary(story_text(best, pool))
    return not any(all(_match(t, article) for t in name) for name in names)


def margin_over_other_articles(scored: Sequence[ScoredSentence]) -> float:
    """How much the best sentence beats the best sentence of any other article: an answer that
    stands out; a near-topic question tends to find several articles equally (un)convincing."""
    if not scored:
        return 0.0
    best = scored[0]
    other = next((s.earned for s in scored[1:] if s.hit.doc_id != best.hit.doc_id), None)
    return best.earned - other if other is not None else 0.3


def lacks_answer_type(signals: dict[str, float]) -> bool:
    """A question that asks for a kind of thing ("How much will he be paid?") and no sentence
    near the top holds one (an amount): whatever the best sentence says, it is not the answer.
    Decided before the fitted model, which is fitted on the questions this leaves."""
    return bool(signals.get("typed_question")) and not signals.get("type_any", 1.0)


class ExtractiveAnswerer:
    """Picks the sentences of the retrieved articles that best answer the question, composed by
    what the question asks for (a fact, a summary, a comparison or several parts), and abstains
    when the evidence does not hold an answer."""

    name = "extractive"

    def __init__(
        self,
        settings: AnswerSettings,
        encode: Callable[[list[str]], np.ndarray],
        idf: Callable[[str], float],
        *,
        analyzer: Analyzer | None = None,
        context: Callable[[Sequence[Hit]], list[Hit]] | None = None,
        abstention: AbstentionModel | None = None,
    ) -> None:
        self.settings = settings
        self.encode = encode
        self.idf = idf
        self.analyzer = analyzer
        self.context = context
        self.abstention = abstention

    def stream(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, *, said: str = "",
               period: bool = False) -> AnswerStream:
        """The answer, composed in one go: there is no draft to show."""
        return AnswerStream.of(self.answer(question, standalone, hits, query_vector, said=said, period=period))

    def is_follow_up(self, question: str) -> bool:
        """Does the question lean on earlier turns (chat.is_follow_up, with the parser when
        question analysis is on)?"""
        return chat.is_follow_up(question, self.analyzer.parse if self.analyzer else None)

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """The question to search for: a follow-up's pronouns resolved, or it is searched with
        the earlier question(s) (chat.standalone_question); other questions as they are."""
        nlp = self.analyzer.parse if self.analyzer else None
        return chat.standalone_question(question, history, self.settings.max_history_turns, nlp)

    def question_weights(self, question: str, standalone: str) -> dict[str, float]:
        """IDF weight of each topic term; terms that only come from earlier turns of the
        conversation count less (answer.earlier_turn_weight), so "and about Libya?" is about Libya,
        not the earlier topic."""
        weights = {t: self.idf(t) for t in question_terms(question)}
        for t in question_terms(standalone):
            weights.setdefault(t, self.settings.earlier_turn_weight * self.idf(t))
        return weights

    def analyze(self, standalone: str) -> QuestionAnalysis | None:
        return self.analyzer.analyze(standalone) if self.analyzer else None

    def focus(self, analysis: QuestionAnalysis | None) -> tuple[list[tuple[str, ...]], list[float]]:
        """The question's focus words, one unit per word (any of its stems), and each unit's weight
        (its rarest stem's IDF), as `coverage` takes them."""
        units = list(analysis.focus) if analysis else []
        return units, [max(self.idf(v) for v in unit) for unit in units]

    def score(
        self,
        question: str,
        standalone: str,
        hits: Sequence[Hit],
        query_vector: np.ndarray,
        *,
        analysis: QuestionAnalysis | None = None,
        extra: Sequence[Hit] = (),
        limit: int | None = None,
        detailed: bool = False,
    ) -> list[ScoredSentence]:
        weights = self.question_weights(question, standalone)
        q_terms, q_weights = list(weights), list(weights.values())
        names = name_units(question_names(question), analysis.persons if analysis else ())
        q_pairs = pairs(question_terms(question))
        if standalone != question:  # a follow-up: its own words say what is asked now
            own = self.encode([question])[0]
            query_vector = (np.asarray(query_vector) + own) / 2
        retrieved = {h.key for h in hits}
        pool = [*hits, *(h for h in extra if h.key not in retrieved)]
        candidates: list[tuple[Hit, Sentence]] = []
        # (paragraph, start) -> the sentences before it in its paragraph, nearest first
        before: dict[tuple[tuple[str, int], int], list[Sentence]] = {}
        for h in pool:
            if is_dateline(h):
                continue
            sents = sentences(h.text)
            before.update(((h.key, b.start), sents[:j][::-1]) for j, b in enumerate(sents) if j)
            candidates += [
                (h, s) for s in sents
                if (len(s.text.split()) >= _MIN_WORDS or len(sents) == 1) and not looks_like_instructions(s.text)
                and not s.text.rstrip("\"'”’ ").endswith("?")  # a question in the article ("What are your experiences?") answers nothing
            ]
        if not candidates:
            return []
        q = np.asarray(query_vector, dtype=np.float32)
        # Paragraph vectors come from the store; only paragraphs it has no vector for are encoded.
        fresh = [h for h in pool if h.vector is None]
        para_sim = dict(zip([h.key for h in fresh], (self.encode([h.text for h in fresh]) @ q).tolist(), strict=True)) if fresh else {}
        para_sim.update({h.key: float(np.asarray(h.vector, dtype=np.float32) @ q) for h in pool if h.vector is not None})
        context: dict[tuple[str, int], Vocabulary] = {h.key: vocabulary(f"{h.title} {h.section} {h.text}") for h in pool}
        w, penalty = self.settings.semantic_weight, self.settings.missing_name_penalty
        q_units = [(t,) for t in q_terms]
        # A question with no topic words ("what did he say?") has no lexical evidence either way: 0.5.
        cov = [coverage(q_units, q_weights, vocabulary(s.text), context[h.key], no_words=0.5) for h, s in candidates]
        # A paraphrase ("the official who heads the event" for "race director") shares few words
        # with any sentence: when no candidate covers much of the question, meaning decides more.
        w_rank = self.settings.paraphrase_semantic_weight if max(cov) < self.settings.paraphrase_coverage else w
        phrase = [len(q_pairs & pairs(terms(s.text))) / len(q_pairs) if q_pairs else 0.0 for _, s in candidates]
        # A follow-up's answer is most likely in the article the conversation is about (see
        # Assistant._in_conversation); a sentence of another paragraph of a retrieved article
        # less likely than one of a retrieved paragraph.
        talked_of = {h.doc_id for h in hits if h.conversation}
        bonus = [self.settings.conversation_bonus if h.doc_id in talked_of else 0.0 for h, _ in candidates]
        prior = [(0.0 if h.key in retrieved else -self.settings.context_penalty) + bonus[i] for i, (h, _) in enumerate(candidates)]
        guess = [
            w_rank * para_sim[h.key] + (1 - w_rank) * cov[i] + self.settings.phrase_weight * phrase[i] + prior[i]
            for i, (h, _) in enumerate(candidates)
        ]
        # The asked-for answer type: cheap forms (numbers, dates) for every candidate; named
        # entities (spaCy) only for the most promising ones, cached per sentence.
        typed = analysis is not None and analysis.answer_type not in ("open", "yesno")
        type_ok = [True] * len(candidates)
        antecedents: dict[int, Sentence] = {}
        if typed and analysis is not None and self.analyzer is not None:
            # Named entities (spaCy) only where a name is asked for, and only for the best candidates.
            order = sorted(range(len(candidates)), key=lambda i: -guess[i])[: 2 * (limit or self.settings.max_encoded_sentences)]
            if analysis.answer_type in _NAMED_TYPES or analysis.age:  # an age is someone's: whose, the entities tell
                labels = dict(zip(order, self.analyzer.entity_labels([candidates[i][1].text for i in order]), strict=True))
            else:
                labels = dict.fromkeys(order, ())
            qnames = set(analysis.names)
            type_ok = [i in labels and analysis.answered_by(candidates[i][1].text, labels[i], candidates[i][0].title)
                       for i in range(len(candidates))]
            if analysis.age:
                self.ages_by_antecedent(candidates, labels, type_ok=type_ok, before=before, pool=pool, analysis=analysis)
            # "Who is the governor of …?", "In which arena …?": a sentence that names someone with the
            # post, or something by the kind asked for ("the Tor Di Valle arena"), holds the answer;
            # any other person or place does only when no sentence names one.
            named: list[bool] | None = None
            if analysis.role:
                named = [i in labels and holds_post(candidates[i][1].text, labels[i], analysis.role, qnames)
                         and all(any(_match(n, context[candidates[i][0].key]) for n in unit) for unit in names)
                         for i in range(len(candidates))]
            elif analysis.kind:  # (a kind is never a person's post: the two do not meet)
                named = [type_ok[i] and analysis.names_the_kind(candidates[i][1].text, labels.get(i, ())) for i in range(len(candidates))]
            if named is not None and any(named):
                type_ok = named
            # "Who designed RSS?" … "But Dave Winer is doubtful. He designed the format called RSS":
            # a news report names a person once and goes on with "he"; the name is in an earlier
            # sentence of the paragraph, the nearest that names a person.
            if analysis.answer_type in PERSON_TYPES:
                self.resolve_he_and_she(candidates, order, type_ok=type_ok, antecedents=antecedents, before=before, pool=pool, qnames=qnames)
            guess = [g + (self.settings.type_weight if type_ok[i] else 0.0) for i, g in enumerate(guess)]
        focus_units, focus_weights = self.focus(analysis)
        # A detailed question names its story to ask for one detail of it ("What was the name of the
        # debut single by The Bravery, the New York band that topped the BBC's Sound of 2005 poll?"):
        # the story's opening sentence shares the naming words and outscores the sentence with the
        # detail, unless it holds what is asked about itself. A follow-up, or a question about a
        # period ("… this week?"), asks for the story's news as often as not: its lead.
        leads = {(o[0].key, o[1].start) for doc in {h.doc_id for h in pool} if (o := opening(pool, doc)) is not None} \
            if detailed and self.settings.lead_penalty > 0 else set()
        # Encoding sentences is the costly part of answering. Only the most promising ones are
        # encoded, ranked as if each sentence were as close to the question as its paragraph.
        limit = limit or self.settings.max_encoded_sentences
        keep = sorted(sorted(range(len(candidates)), key=lambda i: -guess[i])[:limit])
        vecs = self.encode([candidates[i][1].text for i in keep])
        sims = vecs @ q
        scored = []
        for j, i in enumerate(keep):
            h, s = candidates[i]
            cos = 0.5 * float(sims[j]) + 0.5 * para_sim[h.key]
            missing = sum(1 for unit in names if not any(_match(n, context[h.key]) for n in unit)) / len(names) if names else 0.0
            support = w * cos + (1 - w) * cov[i] - penalty * missing + self.settings.phrase_weight * phrase[i] + prior[i]
            reweighted = (w_rank - w) * (cos - cov[i])
            support += reweighted
            if typed and type_ok[i]:
                support += self.settings.type_weight
            focus = coverage(focus_units, focus_weights, vocabulary(s.text), context[h.key], no_words=1.0) if focus_units else 1.0
            if (h.key, s.start) in leads and focus < self.settings.lead_focus:
                support -= self.settings.lead_penalty
            scored.append(ScoredSentence(h, s, cos, cov[i], missing, phrase[i], support, type_ok[i], focus,
                                         h.key in retrieved, vecs[j], bonus[i], antecedents.get(i), reweighted))
        scored.sort(key=lambda x: -x.support)
        if typed:
            return self.promoted(scored, age=analysis is not None and analysis.age)
        return self.kind_first(scored, analysis)

    def detailed(self, question: str, standalone: str, analysis: QuestionAnalysis | None, period: bool) -> bool:
        """Does the question name its story to ask for one detail of it (a question word, and
        answer.lead_detail_terms topic words or more)? Not a follow-up, nor a question about a
        period: those ask for a story's news as often as not, which its lead tells; nor a
        statement to check ("South Korea looks set to sustain its revival …, its central bank
        says."), which asks for the passage that says it, often the lead."""
        return (analysis is not None and analysis.has_wh and not question.rstrip(" \"'”’").endswith(".")
                and standalone == question and not period
                and len(question_terms(question)) >= self.settings.lead_detail_terms)

    def promoted(self, scored: list[ScoredSentence], *, age: bool = False) -> list[ScoredSentence]:
        """A sentence that holds the kind of answer asked for goes first when the best does not
        and it scores nearly as well (answer.type_promotion; for an age, answer.age_promotion). Then, among sentences that hold it,
        one of the same story that holds clearly more of what is asked about (at least half, and
        answer.focus_gap more than the best) goes first when it scores nearly as well
        (answer.focus_promotion): "In which year did Alicia Markova retire?" is "She retired in
        1963", not "Soon after Diaghilev's death in 1929"; "Which producer is Nicolas Cage working
        with for the fourth time …?" is "It is Cage's fourth collaboration with Jerry Bruckheimer",
        not "National Treasure … has been made by Disney Studios"."""
        factor = self.settings.age_promotion if age else self.settings.type_promotion
        if scored and (near := typed_first(scored, lambda s: s.support, lambda s: s.type_ok, factor)) is not None:
            scored.remove(near)
            scored.insert(0, near)
        if (factor := self.settings.focus_promotion) > 0 and scored and scored[0].type_ok:
            best = scored[0]
            least = max(0.5, best.focus + self.settings.focus_gap)
            near = next((s for s in scored[1:] if s.hit.doc_id == best.hit.doc_id and s.type_ok and s.focus >= least
                         and s.support >= factor * best.support), None)
            if near is not None:
                scored.remove(near)
                scored.insert(0, near)
        return scored

    def kind_first(self, scored: list[ScoredSentence], analysis: QuestionAnalysis | None) -> list[ScoredSentence]:
        """An open "which X" question, for a kind no answer type covers: a sentence that names one
        by that kind goes first when it scores nearly as well (answer.kind_promotion). "Which
        mentality did Putin say has to be abandoned?" is "… forego the 'Cold War mentality' …", not
        "Then Putin told his Chinese counterpart: 'I agree.'", which names Putin and scored a little better."""
        if analysis is None or analysis.kind is None:
            return scored
        near = typed_first(scored, lambda s: s.support, lambda s: analysis.names_the_kind(s.sentence.text), self.settings.kind_promotion)
        if near is not None:
            scored.remove(near)
            scored.insert(0, near)
        return scored

    def ages_by_antecedent(self, candidates: Sequence[tuple[Hit, Sentence]], labels: dict[int, tuple[tuple[str, str], ...]], *,
                           type_ok: list[bool], before: dict[tuple[tuple[str, int], int], list[Sentence]], pool: Sequence[Hit],
                           analysis: QuestionAnalysis) -> None:
        """"How old is Tony Blair?" … "Mr Bannatyne has previously given Labour £50,000." "The
        52-year-old on Tuesday said …": a sentence that names no one gives the age of the person
        the text named last before it (earlier in its paragraph, or at the end of the one before),
        which the headline ("Donor attacks Blair-Brown 'feud'") does not tell. So is the age of the
        one asked about, when the text named them last: "… they hoped Welch 'finds the happiness he
        is looking for'." "The 34-year-old made reference to …" (headline: "Rock group Korn's
        guitarist quits")."""
        assert self.analyzer is not None
        paragraphs = {h.key: h for h in pool}
        people = set(analysis.people)
        for i, tags in labels.items():
            if any(label == "PERSON" for _, label in tags) or not (type_ok[i] or (people and says_an_age(candidates[i][1].text))):
                continue
            h, sent = candidates[i]
            earlier = [x.text for x in before.get((h.key, sent.start), [])]
            if not earlier and (prev := paragraphs.get((h.doc_id, h.paragraph - 1))) is not None:
                earlier = [x.text for x in reversed(sentences(prev.text))]
            for text in earlier:  # nearest first
                named = [t for t, label in self.analyzer.entity_labels([text])[0] if label == "PERSON"]
                if named:
                    if people and not set(terms(named[-1])) & people:
                        type_ok[i] = False
                    elif people and not type_ok[i]:
                        type_ok[i] = analysis.answered_by(sent.text, tags, f"{h.title} {named[-1]}")
                    break

    def resolve_he_and_she(self, candidates: Sequence[tuple[Hit, Sentence]], order: Sequence[int], *, type_ok: list[bool],
                           antecedents: dict[int, Sentence], before: dict[tuple[tuple[str, int], int], list[Sentence]],
                           pool: Sequence[Hit], qnames: set[str]) -> None:
        """"Who designed RSS?" … "But Dave Winer is doubtful. He designed the format called RSS": a
        news report names a person once and goes on with "he". A best candidate that starts
        "He"/"She" holds the person asked for when `_antecedent` can say who that is (a person the
        question does not name); it is then type_ok, and the naming sentence is kept with it."""
        assert self.analyzer is not None
        articles: dict[str, str] = {}
        for h in pool:
            articles[h.doc_id] = f"{articles.get(h.doc_id, h.title)}\n{h.text}"
        headlines: dict[str, tuple[tuple[str, str], ...]] = {}  # who the story is about: its headline and first paragraph name them
        for i in order:
            h, sent = candidates[i]
            if type_ok[i] or not (he := _PRONOUN_SUBJECT.match(sent.text)):
                continue
            if h.doc_id not in headlines:
                opening = min((x for x in pool if x.doc_id == h.doc_id), key=lambda x: x.paragraph)
                headlines[h.doc_id] = tuple(e for lab in self.analyzer.entity_labels([h.title, *(x.text for x in sentences(opening.text))]) for e in lab)
            earlier = before.get((h.key, sent.start), [])
            found = _antecedent(he.group(1), earlier, self.analyzer.entity_labels([e.text for e in earlier]),
                                headline=headlines[h.doc_id], article=articles[h.doc_id], parse=self.analyzer.parse)
            if found is not None and has_answer_type("person", found.text, self.analyzer.entity_labels([found.text])[0], qnames):
                type_ok[i] = True
                antecedents[i] = found

    def features(self, scored: Sequence[ScoredSentence], analysis: QuestionAnalysis | None) -> dict[str, float]:
        """The signals the abstention model weighs, for the best sentence."""
        best = scored[0]
        typed = analysis is not None and analysis.answer_type not in ("open", "yesno")
        top = scored[:5]
        return {
            "support": best.earned,
            "cosine": best.cosine,
            "coverage": best.coverage,
            "type_ok": float(best.type_ok) if typed else 1.0,
            # of the best sentence's story, or of one that names all the question names: "How much has BMW invested in
            # China?" is not answered because another story's sentence near the top holds "£280m in Mini production"
            "type_any": float(any(s.type_ok and (s.hit.doc_id == best.hit.doc_id or s.missing_names == 0) for s in top)) if typed else 1.0,
            "focus": best.focus,
            "names": 1.0 - best.missing_names,
            "margin": margin_over_other_articles(scored),
            "typed_question": float(typed),
        }

    def decide(self, scored: Sequence[ScoredSentence], analysis: QuestionAnalysis | None, *, single_fact: bool = True) -> tuple[bool, float, dict[str, float]]:
        """(answer?, confidence, features). The fitted model decides single-fact questions when
        there is one (it was fitted on them: a summary's or a compound question's best sentence
        answers only part of it, so its signals mean something else); the support threshold is
        the floor either way."""
        if not scored:
            return False, 0.0, {}
        # A paraphrase is ranked more by meaning (answer.paraphrase_coverage), but that its words are
        # missing from every sentence is evidence against any answer: decide as if it were not.
        if any(s.reweighted for s in scored):
            plain = sorted((dataclasses.replace(s, support=s.support - s.reweighted, reweighted=0.0) for s in scored), key=lambda s: -s.support)
            typed = analysis is not None and analysis.answer_type not in ("open", "yesno")
            scored = self.promoted(plain, age=analysis is not None and analysis.age) if typed else plain
        x = self.features(scored, analysis)
        if scored[0].earned < self.settings.min_support:
            return False, scored[0].earned, x
        if single_fact and lacks_answer_type(x):
            return False, 0.0, x
        if self.abstention is None or not single_fact:
            return True, scored[0].earned, x
        p = self.abstention.p_answerable(x)
        return p >= self.abstention.threshold, p, x

    def answer(self, question: str, standalone: str, hits: Sequence[Hit], query_vector: np.ndarray, *, said: str = "",
               period: bool = False) -> Answer:
        """`period`: the question named a period ("… in August 2020"), whose words the pipeline
        took out of `question` to search by date instead."""
        analysis = self.analyze(standalone)
        if analysis is not None and analysis.text != question:
            own = self.analyze(question)
            # A follow-up's own words say what kind of answer it wants ("What did he say about
            # sanctions?" is open, whatever the earlier "Who is …?" asked); one with no question
            # word of its own ("And about Libya?") asks the earlier question again.
            if own is not None and (own.answer_type != "open" or own.has_wh):
                analysis = dataclasses.replace(analysis, answer_type=own.answer_type, intent=own.intent, measure=own.measure,
                                               counted=own.counted, age=own.age or (analysis.age and own.answer_type == "number"),
                                               focus=own.focus or analysis.focus,  # "How many of those lines are cable?": cable
                                               kind=own.kind)
        extra = self.context(hits) if self.context and hits else []
        intent = analysis.intent if analysis else "fact"
        if period and analysis is not None and intent == "fact" and analysis.answer_type == "open" and not analysis.speech:
            # "What happened to Navalny in August 2020?", "What did SpaceX achieve in March 2019?": what
            # someone did in a period is that period's story, told by its lead, not a background line
            intent = "news"
        parts = question_parts(question)
        wide = intent != "fact" or len(parts) > 1
        limit = max(self.settings.max_encoded_sentences, 2 * self.settings.summary_sentences) if wide else None
        detailed = self.detailed(question, standalone, analysis, period)
        scored = self.score(question, standalone, hits, query_vector, analysis=analysis, extra=extra, limit=limit, detailed=detailed)
        ok, confidence, feats = self.decide(scored, analysis, single_fact=not wide)
        qtype = f"{analysis.answer_type}/{intent}" if analysis else ""
        news = intent == "news" and not self.is_follow_up(question)  # "what about Libya?" after a question asks that question again
        if ok and news and intent == analysis.intent and not self.tells_story(standalone, analysis, [*hits, *extra], scored[0]):
            # (a fact about a period, told as news, has passed the fitted model already)
            ok, confidence = False, 0.0
        pool = [*hits, *extra]
        # Whom or what the answer is about must be in the best sentence's story: a person named in
        # full, whose post is asked about ("Who is the chief executive of eDonkey?" is not answered
        # by Unilever's), the names a follow-up's rewrite brought in, at least one of the names the
        # question is about ("How much did Hellboy take at the box office?" is not answered by
        # another film's takings).
        if ok and not wide and analysis is not None and self.another_story(question, standalone, analysis, scored[0], pool):
            ok, confidence = False, 0.0
        if ok and not wide and standalone == question and self.only_restates(analysis, scored[0], pool, detailed=detailed):
            # The story's opening sentence, without what is asked about: the story's next best
            # sentence answers, if anything does, and whether to answer is decided again on it.
            opening, others = scored[0], scored[1:]
            nxt = next((s for s in others if s.hit.doc_id == opening.hit.doc_id), None)
            if nxt is None:
                ok, confidence = False, 0.0
            else:
                others = [nxt, *(s for s in others if s is not nxt)]
                ok, confidence, feats = self.decide(others, analysis)
                scored = [nxt, opening, *others[1:]]  # the opening still gives the answer its context
        if ok and self.settings.follow_up_names and self.leaves_the_conversation(question, standalone, scored[0], pool):
            ok, confidence = False, 0.0
        if not ok:
            return Answer(question=question, claims=abstention_claims(question), citations=[], abstained=True,
                          standalone_question=standalone, evidence=list(hits), confidence=confidence, backend=self.name,
                          signals=feats, question_type=qtype)
        if intent == "summary":
            chosen = self.summary(scored)
        elif news:
            chosen = self.news(standalone, scored, hits, [*hits, *extra])
        elif len(parts) > 1:
            chosen = self.by_parts(parts, scored)
        elif intent == "comparison" and analysis is not None and len(analysis.entities) >= 2:
            chosen = self.by_sides(analysis.entities, scored)
        elif analysis is not None and (analysis.answer_type == "reason" or (analysis.answer_type == "open" and analysis.speech)):
            chosen = self.continued(scored, [*hits, *extra])
        else:
            chosen = self.fact(scored)
            if analysis is not None:
                chosen = self.answered_next(chosen, analysis, [*hits, *extra])
                if self.settings.typed_cited_first and analysis.answer_type not in ("open", "yesno") and not chosen[0].type_ok:
                    # of the best one's story: another story's sentence holds the kind, but maybe of something else
                    story = chosen[0].hit.doc_id
                    chosen = sorted(chosen, key=lambda s: not (s.type_ok and s.hit.doc_id == story))
        if analysis is not None and analysis.age and self.analyzer is not None and len(chosen) > 1:
            # "How old is he?": a second sentence with someone else's age ("the 83-year-old Yuji Shimizu") misleads
            rest = [s for s in chosen[1:] if not analysis.gives_other_age(s.sentence.text, self.analyzer.entity_labels([s.sentence.text])[0],
                                                                     s.hit.title)]
            chosen = [chosen[0], *rest]
        if said and self.settings.drop_repeats and analysis is not None and analysis.answer_type == "open":
            # A follow-up asks for something new: "How did the dollar react?", after a reply that
            # quoted the Fed minutes, is answered by the sentence after them, not by them again.
            # One that asks for a kind of thing ("How old was he?", "Why did she leave?") may be
            # answered by a sentence already given: it held the age, or the reason, all along.
            chosen = [s for s in chosen if not _repeats(s.sentence.text, said)] or chosen
        chosen = with_lists(with_antecedents(chosen), [*hits, *extra], self.settings.summary_sentences)
        claims, citations = cite(chosen)
        if analysis is not None and analysis.answer_type == "date":  # one claim per chosen sentence (cite)
            claims = dated_claims(claims, chosen)
        # The evidence shown beside the answer holds every paragraph it cites, also one taken
        # from the rest of a retrieved article.
        retrieved = {h.key for h in hits}
        evidence = [*hits, *{s.hit.key: s.hit for s in chosen if s.hit.key not in retrieved}.values()]
        return Answer(question=question, claims=claims, citations=citations, abstained=False,
                      standalone_question=standalone, evidence=evidence, confidence=confidence, backend=self.name,
                      signals=feats, question_type=qtype)

    def fact(self, scored: Sequence[ScoredSentence]) -> list[ScoredSentence]:
        """The best sentence, then the next best that scores nearly as well, from another
        paragraph where one does: an answer that spans two paragraphs cites both, and a second
        sentence of the same paragraph adds words but no evidence. When nothing scores that
        close, the best sentence of another paragraph still joins it if it scores fairly close
        (second_paragraph_cutoff): a news report gives the figure in one paragraph and the
        detail in the next ("shares lost more than 50%" … "fell from 97p to 44p")."""
        best = scored[0].support
        close = [s for s in scored if s.support >= best * self.settings.relative_cutoff]
        if len(close) == 1:
            top = scored[0].hit.key
            close += [s for s in scored[1:] if s.hit.key != top and s.support >= best * self.settings.second_paragraph_cutoff][:1]
        close = sorted(close, key=lambda s: (s is not scored[0], s.hit.key == scored[0].hit.key))
        chosen: list[ScoredSentence] = []
        for s in close:
            if len(chosen) == self.settings.max_sentences:
                break
            if any(_similar(s.sentence.text, c.sentence.text) for c in chosen):
                continue
            chosen.append(s)
        return chosen

    def answered_next(self, chosen: list[ScoredSentence], analysis: QuestionAnalysis, pool: Sequence[Hit]) -> list[ScoredSentence]:
        """A fact whose best sentence lacks the kind of answer asked for, and no sentence that has
        it came close: the sentence after it, when it holds one, is the second sentence. A report
        sets the scene and names the answer next: "… as he made the 1997 Lions tour to South
        Africa." "Although overlooked for the captaincy in favour of England team-mate Martin
        Johnson, he played a massive role …"."""
        best = chosen[0]
        typed = analysis.answer_type not in ("open", "yesno")
        if not typed or best.type_ok or self.analyzer is None:
            return chosen
        nxt = following(best, pool)
        if nxt is None or any(c.sentence == nxt.sentence and c.hit.key == nxt.hit.key for c in chosen):
            return chosen
        labels = self.analyzer.entity_labels([nxt.sentence.text])[0] if analysis.answer_type in _NAMED_TYPES or analysis.age else ()
        if not analysis.answered_by(nxt.sentence.text, labels, nxt.hit.title):
            return chosen
        if analysis.role and not holds_post(nxt.sentence.text, labels, analysis.role, set(analysis.names)) \
                and not self.speaks_of_post_unnamed(best.sentence.text, analysis):
            # a post's holder is named with the post, or right after a sentence about the post that
            # names no one ("Tate & Lyle's chief executive has been named …" "Iain Ferguson …")
            return chosen
        return [best, dataclasses.replace(nxt, type_ok=True)]  # it holds the kind of answer asked for: checked just above

    def another_story(self, question: str, standalone: str, analysis: QuestionAnalysis, best: ScoredSentence, pool: Sequence[Hit]) -> bool:
        """Is the sentence's story not the one the question is about: does it never name the
        person named in full, any of the names the question is about, or whose post is asked about?"""
        return (self.never_names(analysis.persons, best, pool)
                or (self.settings.subject_named and standalone == question and bool(analysis.subjects)
                    and story_names_none([*analysis.subjects, *analysis.places], best, pool))
                # a post: whose it is, and, for one a story names by its word ("Who refereed …?"), the post itself
                or (self.settings.post_owner_named and analysis.role is not None and (
                    story_names_none(analysis.role.of, best, pool)
                    or (analysis.role.always_named and story_names_none(analysis.role.forms(), best, pool)))))

    def only_restates(self, analysis: QuestionAnalysis | None, best: ScoredSentence, pool: Sequence[Hit], *,
                      detailed: bool = False) -> bool:
        """Is the best answer to an open question its story's opening sentence, without what is
        asked about ("What happened to one of the teenage actors during the making of the Russian
        drama …?" answered with "Russian drama The Return has been named winner of …")? A lead
        says what the story is about, so it shares the question's topic words and outscores the
        sentence that answers in other words ("… one of the young stars drowned in a lake"), or
        stands in for an answer the story does not hold. A question for a kind of thing is checked
        by its type instead, and one about what someone said is often answered by the lead's
        report of it ("O'Connell has dismissed reports …"). A detailed question (see `detailed`)
        is not answered by its story's lead of any kind, whatever share of it the lead holds: it
        named the story to ask for one detail, and a lead that still scores best after
        answer.lead_penalty holds the story's words, not the detail."""
        if not (limit := self.settings.lead_focus) or analysis is None:
            return False
        if not detailed and (analysis.answer_type != "open" or analysis.speech):
            return False
        first = opening(pool, best.hit.doc_id)
        return (first is not None and first[0].key == best.hit.key and first[1].start == best.sentence.start
                and (detailed or best.focus < limit))

    def speaks_of_post_unnamed(self, sentence: str, analysis: QuestionAnalysis) -> bool:
        """Does the sentence speak of the post asked about without naming anyone ("Tate & Lyle's
        chief executive has been named …")? Then the next sentence names the holder."""
        assert self.analyzer is not None and analysis.role is not None
        return any(" ".join(w) in sentence.lower() for w in analysis.role.all_words) and not any(
            label == "PERSON" for _, label in self.analyzer.entity_labels([sentence])[0])

    def never_names(self, persons: Sequence[Sequence[str]], best: ScoredSentence, pool: Sequence[Hit]) -> bool:
        """Does the best sentence's article never name someone the question names in full ("Which
        record company does Jordan Bratman work for?" answered from a story that never mentions
        him)? A fact about a person is not in a story without them. By surname, as a story names
        them again ("Mr Blunkett"), written as a name: "Beenie Man" is not named by a story's "man";
        a one-word "person" is left out: the small model takes many clubs and grounds for people
        ("Portsmouth's equaliser … at Anfield")."""
        text = story_text(best, pool)
        article = vocabulary(text)
        return any(not _match(person[-1], article) or not self.as_a_name(person[-1], text) or self.someone_else(person, text)
                   for person in persons)

    @staticmethod
    def as_a_name(stem: str, text: str) -> bool:
        """Does the text write a word of this stem with a capital, as a name is written?"""
        return any(terms(m.group()) == [stem] for m in re.finditer(rf"\b{re.escape(stem[:1].upper())}[\w'’]*", text)
                   if m.group().lower().startswith(stem[:3]))  # each part of "Henin-Hardenne" on its own

    @staticmethod
    def leaves_the_conversation(question: str, standalone: str, best: ScoredSentence, pool: Sequence[Hit]) -> bool:
        """Is a follow-up answered from a story that names nothing the conversation named? "How much
        in damages are they seeking?", searched as "… are MPAA seeking?", is not answered by
        Microsoft's damages: the names the rewrite brought in from earlier turns must be in the
        best sentence's story, at least one of them."""
        if standalone == question or any(h.conversation and h.doc_id == best.hit.doc_id for h in pool):
            return False  # the article the conversation is about (Assistant._in_conversation) is never another story
        return story_names_none(set(question_names(standalone)) - set(question_names(question)), best, pool)

    @staticmethod
    def someone_else(person: Sequence[str], text: str) -> bool:
        """Does the story give the surname only to someone else ("Eddie O'Sullivan", never Ronnie
        O'Sullivan)? A story names a person in full once and by surname after; a surname that
        only ever follows other first names is theirs. A first name that starts alike is the
        same person's ("Bernie" Ebbers); other short forms (Bill for William) are not told."""
        first, last = person[0], person[-1]
        found = list(re.finditer(r"[\w'’-]+", text))
        words_ = [m.group() for m in found]

        def stem(j: int) -> str:
            return (terms(words_[j]) or [""])[0]

        def first_name(j: int) -> bool:
            """Is word j a name right before the next word ("Eddie O'Sullivan")? Not one that ends a
            sentence ("… Morgan. Parry said"), nor a capitalised "But" or "The" that starts one."""
            return (words_[j][:1].isupper() and not text[found[j].end() : found[j + 1].start()].strip()
                    and words_[j].lower() not in STOPWORDS and stem(j) not in _TITLES and not words_[j].isdigit())

        others = False
        for i, word in enumerate(words_):  # only words that may be the surname are stemmed, and the two before them
            if i == 0 or not word.lower().startswith(last[:3]) or stem(i) != last:
                continue
            if any(stem(j)[:3] == first[:3] for j in (i - 1, i - 2) if j >= 0):  # "Bernie Ebbers" is Bernard Ebbers
                return False
            if first_name(i - 1):
                others = True
        return others

    def tells_story(self, question: str, analysis: QuestionAnalysis | None, pool: Sequence[Hit], best: ScoredSentence) -> bool:
        """Is the best article about the story asked for? "What is the latest on the Nepal
        earthquake?" is not answered by an earthquake in Turkey, nor "… on the protests in
        Chile?" by a story from Chile about something else. The article (its paragraphs in hand
        and its headline) must name every name the question gives, and hold at least half (IDF-
        weighted) of its other topic words, unless its best sentence is as close in meaning as
        answers are (answer.news_min_cosine): "coronavirus" is told as "COVID-19". A news
        question is not weighed by the fitted model, which is fitted on single facts."""
        text = " ".join(dict.fromkeys(t for h in pool if h.doc_id == best.hit.doc_id for t in (h.title, h.text)))
        article = vocabulary(text)
        names = name_units(question_names(question), analysis.persons if analysis else ())
        if any(not any(_match(n, article) for n in unit) for unit in names):
            return False
        named = {n for unit in names for n in unit}
        # The time words are the time frame's: the report of the day says "yesterday".
        other = [t for t in question_terms(question) if t not in named and t not in _ASKS_FOR_NEWS and not says_when(t)]
        if best.cosine >= self.settings.news_min_cosine:
            return True
        return coverage([(t,) for t in other], [self.idf(t) for t in other], article, article, no_words=1.0) >= 0.5

    def news(self, question: str, scored: Sequence[ScoredSentence], hits: Sequence[Hit], pool: Sequence[Hit]) -> list[ScoredSentence]:
        """"What is the latest on …", "what happened with … in October": the lead of the best
        article (for "latest", the newest relevant one: retrieval put it first), then the best
        sentence that adds to it. A lead that names none of the question's topic words is not
        about what was asked, and the answer is composed as a fact instead."""
        found = lead(pool, hits[0].doc_id) if hits else None
        if found is None or not set(question_terms(question)) & set(terms(found[1].text)):
            return self.fact(scored)
        hit, sentence = found
        first = ScoredSentence(hit, sentence, cosine=0.0, coverage=0.0, missing_names=0.0, phrases=0.0,
                               support=scored[0].support, retrieved=hit.key in {h.key for h in hits})
        rest = [s for s in self.fact(scored) if (s.hit.key, s.sentence) != (hit.key, sentence)]
        return [first, *rest][: self.settings.max_sentences]

    def continued(self, scored: Sequence[ScoredSentence], pool: Sequence[Hit]) -> list[ScoredSentence]:
        """What someone said, or why: the best sentence and the one the article goes on with.
        A news report introduces a statement in its own words ("McCain said he was pleased the
        administration was prepared to tackle the deficit.") and quotes or explains it in the
        next sentence, often the next paragraph; the sentence that scored second elsewhere is
        less often what was asked. A best sentence that is itself a quotation is the statement,
        and the second sentence is chosen as for any fact."""
        best = scored[0]
        if best.sentence.text.lstrip().startswith(_OPENING_QUOTES):  # already the statement itself
            return self.fact(scored)
        nxt = following(best, pool)
        if nxt is None or _similar(nxt.sentence.text, best.sentence.text):
            return self.fact(scored)
        return [best, nxt]

    def summary(self, scored: Sequence[ScoredSentence], lam: float = 0.7) -> list[ScoredSentence]:
        """Maximal marginal relevance: relevant sentences that do not repeat each other, across
        paragraphs and articles. The most relevant goes first (the answer before the context),
        the rest in reading order within each article."""
        floor = scored[0].support * self.settings.summary_cutoff
        pool = [s for s in scored if s.support >= floor]
        chosen: list[ScoredSentence] = []
        while pool and len(chosen) < self.settings.summary_sentences:
            def mmr(s: ScoredSentence) -> float:
                redundancy = max((float(np.dot(s.vector, c.vector)) for c in chosen), default=0.0)
                return lam * s.support - (1 - lam) * redundancy
            nxt = max(pool, key=mmr)
            pool.remove(nxt)
            if any(_similar(nxt.sentence.text, c.sentence.text) for c in chosen):
                continue
            chosen.append(nxt)
        if not chosen:
            return chosen
        first_seen = {s.hit.doc_id: i for i, s in reversed(list(enumerate(chosen)))}
        rest = sorted(chosen[1:], key=lambda s: (first_seen[s.hit.doc_id], s.hit.paragraph, s.sentence.start))
        return [chosen[0], *rest]

    def by_parts(self, parts: Sequence[str], scored: Sequence[ScoredSentence]) -> list[ScoredSentence]:
        """The best sentence for each part of a compound question, each scored against that part.
        The parts of one question are about one story ("How much is England's children's
        commissioner paid, and how many grandchildren does he have?"): when the parts' best
        sentences come from different stories, one of those stories answers every part instead
        if its sentences fit nearly as well in all (answer.parts_one_story)."""
        fits = [self.part_fit(part, vec, scored) for part, vec in zip(parts, self.encode(list(parts)), strict=True)]
        chosen = self.parts_in(fits, scored)
        factor = self.settings.parts_one_story
        if factor > 0 and len({c.hit.doc_id for c in chosen}) > 1:
            total = sum(fit(c) for (fit, _), c in zip(fits, chosen, strict=False))
            stories = [self.parts_in(fits, [s for s in scored if s.hit.doc_id == doc]) for doc in dict.fromkeys(s.hit.doc_id for s in scored)]
            whole = [(sum(fit(c) for (fit, _), c in zip(fits, story, strict=False)), story) for story in stories if len(story) == len(chosen)]
            if whole and (best := max(whole, key=lambda x: x[0]))[0] >= factor * total:
                chosen = best[1]
        return chosen

    def parts_in(self, fits: Sequence[tuple[Callable[[ScoredSentence], float], Callable[[ScoredSentence], bool]]],
                 scored: Sequence[ScoredSentence]) -> list[ScoredSentence]:
        """Part by part, the best sentence not yet chosen for an earlier part."""
        chosen: list[ScoredSentence] = []
        for fit, typed in fits:
            ranked = sorted((s for s in scored if all(s.sentence != c.sentence for c in chosen)), key=fit, reverse=True)
            if ranked:
                # as for a fact (promoted): a sentence that holds the kind of answer the part asks for
                # ("£7.00 per minute" for "how much does it cost") goes first when it fits nearly as well
                chosen.append(typed_first(ranked, fit, typed, self.settings.type_promotion) or ranked[0])
        return chosen

    def part_fit(self, part: str, vec: np.ndarray, scored: Sequence[ScoredSentence]
                 ) -> tuple[Callable[[ScoredSentence], float], Callable[[ScoredSentence], bool]]:
        """How well a sentence answers one part of a compound question: the part's words and
        meaning, and, when the part asks for a kind of thing, that kind and the part's focus in
        the sentence ("Where was he born, and where did he die?": a place, and "born" in one
        sentence, "die" in the other: the two sentences share the person and the type, only the
        focus tells them apart). The whole question's support counts half: the sentence that
        best fits the whole question seldom answers each part."""
        w = self.settings.semantic_weight
        units = [(t,) for t in question_terms(part)]
        weights = [self.idf(t) for (t,) in units]
        analysis = self.analyze(part)
        typed = analysis is not None and analysis.answer_type not in ("open", "yesno")
        focus, focus_weights = self.focus(analysis) if typed else ([], [])
        texts = [s.sentence.text for s in scored]
        labels = dict(zip(texts, self.analyzer.entity_labels(texts), strict=True)) \
            if typed and self.analyzer is not None and analysis.answer_type in _NAMED_TYPES else {}

        def fit(s: ScoredSentence) -> float:
            ctx = vocabulary(f"{s.hit.title} {s.hit.section} {s.hit.text}")
            sent = vocabulary(s.sentence.text)
            score = w * float(np.dot(s.vector, vec)) + (1 - w) * coverage(units, weights, sent, ctx, no_words=0.5) + 0.5 * s.support
            if focus:
                score += self.settings.parts_focus_weight * coverage(focus, focus_weights, sent, ctx, no_words=1.0)
            if holds(s):
                score += self.settings.type_weight
            return score

        def holds(s: ScoredSentence) -> bool:
            """Does the sentence hold the kind of answer the part asks for (always, for an open part)?"""
            return typed and analysis is not None and analysis.answered_by(s.sentence.text, labels.get(s.sentence.text, ()), s.hit.title)

        return fit, (holds if typed else (lambda s: True))

    def by_sides(self, sides: Sequence[str], scored: Sequence[ScoredSentence]) -> list[ScoredSentence]:
        """A comparison: for each side, the best sentence that names it, preferring one that holds
        what is compared (the question's focus: "strategy", "sales"). A side is named in the
        sentence itself, by all its words ("The Times" is not the "Financial Times"; a headline
        naming a side does not make every sentence of the story about it). A year is a side too:
        "How does Turkey's inflation now compare with 2001?" wants the sentence that says 2001."""
        chosen: list[ScoredSentence] = []
        for side in sides:
            side_terms = set(terms(side))
            if not side_terms:
                continue
            speaks = [s for s in scored if side_terms <= set(terms(s.sentence.text)) and all(s.sentence != c.sentence for c in chosen)]
            if speaks:
                chosen.append(max(speaks, key=lambda s: (s.focus > 0, s.support)))
            if len(chosen) == 3:
                break
        return chosen or self.fact(scored)
