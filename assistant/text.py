"""Text helpers shared by several stages: normalisation for matching, sentence spans, terms.

Matching always happens on normalised text (typographic quotes folded, Unicode NFKC) while the
original text is what is stored and shown, so a quote copied from the article still matches.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pysbd
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-",
        "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)

# Words that shape a question but carry no topic; they must not count as evidence.
QUESTION_WORDS = frozenset(
    ["what", "which", "who", "whom", "whose", "when", "where", "why", "how", "did", "does", "do", "is", "are", "was", "were", "say", "said", "says", "tell", "told", "according", "article", "articles", "statement", "mention", "mentioned", "mentions", "about", "there", "their", "they", "many", "much", "kind", "sort", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "there"]
)
STOPWORDS = frozenset(STOPWORDS_EN)


def normalize(text: str) -> str:
    """Fold typographic quotes, dashes and odd spaces, so matching ignores typography."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_FOLD)).strip()


def content_hash(*parts: str) -> str:
    """A short, stable hash of normalised text (ids are content hashes)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(normalize(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # stripped sentence text, original typography
    start: int  # character span within the paragraph
    end: int


# pysbd's cost grows with the square of the text it is given (a 172 KB paragraph took minutes),
# so a long paragraph is first cut into windows of at most _WINDOW characters between likely
# sentences, and only its first _SPLITTER_BUDGET characters go through pysbd at all; the rest
# is cut by the cheap rule alone. What one paragraph can cost is bounded (~0.3 s, once).
_LONG = 5_000
_WINDOW = 1_000
_SPLITTER_BUDGET = 20_000
# A likely sentence end: . ! or ? (with any closing quote or bracket), then a space and a capital, digit or quote.
_CHEAP_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_LINE = re.compile(r"\s*\n\s*")


@lru_cache(maxsize=8192)
def sentences(paragraph: str) -> tuple[Sentence, ...]:
    """Sentences of a paragraph with their character spans (pysbd's rule-based splitter,
    which keeps quoted speech such as “I agree. Take care.” in one piece).

    A new Segmenter per call: pysbd keeps the text being split on the Segmenter itself, so one
    shared between the UI's worker threads returns spans of another request's paragraph. The
    cache makes paragraphs that keep coming back (popular topics) free, and is thread-safe."""
    if len(paragraph) <= _LONG:
        return _pysbd(paragraph, 0)
    out: list[Sentence] = []
    for start, end in _windows(paragraph):
        if start < _SPLITTER_BUDGET:
            out.extend(_pysbd(paragraph[start:end], start))
        else:
            out.extend(_stripped(paragraph, start, end))
    return tuple(out)


def _pysbd(text: str, offset: int) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for span in pysbd.Segmenter(language="en", clean=False, char_span=True).segment(text):
        raw = span.sent
        stripped = raw.strip()
        if not stripped:
            continue
        lead = len(raw) - len(raw.lstrip())
        start = offset + span.start + lead
        out.extend(_runs(stripped, start))
    return tuple(out)


# pysbd keeps a quotation together, and a news paragraph that opens a quote and closes it much
# later ("… a very good idea. "France is the poorest market …" … set-top boxes from 70 euros.")
# comes back as one "sentence" of 174 words, which outscores every real sentence on word
# coverage and cannot be cited for the one fact asked. A run that long is cut at sentence ends.
_RUN_WORDS = 80


def _runs(text: str, start: int) -> list[Sentence]:
    if len(text.split()) <= _RUN_WORDS:
        return [Sentence(text, start, start + len(text))]
    cuts = [0, *(m.end() for m in _CHEAP_END.finditer(text)), len(text)]
    return [Sentence(s.text, start + s.start, start + s.end) for b, e in itertools.pairwise(cuts) for s in _stripped(text, b, e)]


def _stripped(text: str, start: int, end: int) -> list[Sentence]:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return []
    begin = start + len(piece) - len(piece.lstrip())
    return [Sentence(stripped, begin, begin + len(stripped))]


def _windows(text: str) -> list[tuple[int, int]]:
    """Spans of at most _WINDOW characters covering `text`, cut at line breaks and likely
    sentence ends, else at the last space before the limit (a list of words with no
    punctuation at all), else hard at the limit. Linear in the length of the text."""
    cuts = sorted({*(m.end() for m in _CHEAP_END.finditer(text)), *(m.end() for m in _LINE.finditer(text)), len(text)})
    spans: list[tuple[int, int]] = []
    start, i = 0, 0
    while start < len(text):
        end = None
        while i < len(cuts) and cuts[i] - start <= _WINDOW:  # the furthest cut that fits
            if cuts[i] > start:
                end = cuts[i]
            i += 1
        if end is None:  # no cut within reach: the last space before the limit, else the limit
            space = text.rfind(" ", start + 1, start + _WINDOW)
            end = space + 1 if space > start else start + _WINDOW
        spans.append((start, end))
        start = end
    return spans


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased word tokens of normalised text; a possessive 's is dropped (Russia's -> russia)."""
    return [w[:-2] if w.endswith("'s") else w for w in _WORD.findall(normalize(text).lower())]


def terms(text: str) -> list[str]:
    """Stemmed content terms: the vocabulary of the BM25 index."""
    toks = [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return list(_stemmer().stemWords(toks))


def question_terms(text: str) -> list[str]:
    """The terms of a question that evidence must cover: its topic words, without the words
    that only shape a question ("what did the statement say about ...")."""
    toks = [w for w in words(text) if w not in STOPWORDS and w not in QUESTION_WORDS and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(_stemmer().stemWords(toks)))


_INSTRUCTIONS = re.compile(
    # An imperative at the start of a sentence (or after a colon or quote) aimed at instructions…
    r"(?:^|[:;\"“]\s*)\W*(?:please\s+)?(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+)?"
    r"(?:previous|prior|above|earlier|preceding|your|these|my|other)\s+(?:instructions?|prompts?|rules|directions|context)"
    # …or words only ever addressed to a model.
    r"|\byou are (?:now )?(?:an? )?(?:ai|assistant|language model|chatbot|llm)\b|\bsystem prompt\b|\bas an ai language model\b",
    re.IGNORECASE,
)


# Months and weekdays are capitalised but say when, not what about: "What happened with Kenya's
# runners in October 2019?" is answered by a report dated then that says "yesterday". Inside a
# longer name ("Sheffield Wednesday", "the Sunday Times", "Good Friday") they are the name. "May"
# and "Dec" are also people (Theresa May, Ant and Dec): months only after "in" or before a day or year.
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
_CALENDAR = re.compile(rf"^(?:{'|'.join(_MONTHS + _WEEKDAYS + _ABBREVIATIONS)})$", re.I)
_YEAR_TERM = re.compile(r"^(?:1[89]|20)\d\d$")
_DAY_OR_YEAR = re.compile(r"^(?:[12]?\d|3[01])(?:st|nd|rd|th)?$|^(?:1[89]|20)\d\d$")
_AMBIGUOUS = frozenset(w.capitalize() for w in ["may", *_ABBREVIATIONS])
# Not "may" and "march", which are as often a verb or a protest, nor "mar".
_CALENDAR_TERMS = frozenset(terms(" ".join(w for w in _MONTHS + _WEEKDAYS + _ABBREVIATIONS if w not in ("may", "march", "mar"))))


def says_when(term: str) -> bool:
    """Is a stemmed term a month, a weekday or a year ("octob", "2019")? Such words say when;
    a report dated then says "yesterday" instead."""
    return bool(_YEAR_TERM.match(term)) or term in _CALENDAR_TERMS


def _is_date_word(toks: list[str], i: int) -> bool:
    """Is the capitalised word at `i` a month or weekday that says when, not part of a name?"""
    word = re.sub(r"['’]s$", "", toks[i])
    prev = toks[i - 1] if i else ""
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    def in_name(t: str) -> bool:
        return t[:1].isupper() and not _CALENDAR.match(re.sub(r"['’]s$", "", t))
    if word in _AMBIGUOUS:  # "Theresa May", "Ant and Dec": a month only where a date is
        return not (i > 1 and in_name(prev)) and (
            prev.lower() in ("in", "since", "until", "early", "late", "mid", "last", "next", "of") or bool(_DAY_OR_YEAR.match(nxt)))
    return bool(_CALENDAR.match(word)) and not (i > 1 and in_name(prev)) and not (in_name(nxt) and not toks[i].endswith("s"))


# Titles that say a person's sex, and all the titles a name may carry.
TITLES = {"m": r"(?:Mr|Sir|Lord)", "f": r"(?:Ms|Mrs|Miss|Lady|Dame|Baroness)"}
_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Lord|Lady|Dame|Baroness)\.?\s+")


def untitled(name: str) -> list[str]:
    """The words of a name without its title or possessive ("Ms Gavron's" → ["Gavron"])."""
    return re.sub(r"['’]s$", "", _TITLE.sub("", name.strip())).split()


def surname(name: str) -> str:
    """The last word of a name ("Paul Boateng" → "Boateng")."""
    words_ = untitled(name)
    return words_[-1] if words_ else ""


def sex_by_title(text: str, last_name: str) -> str | None:
    """"m" or "f" when the text gives the person a title ("Mr Glazer", "Ms Sue Essex"), else None."""
    for sex, title in TITLES.items():
        if last_name and re.search(rf"\b{title}\.?\s+(?:[A-Z][\w'-]*\s+)?{re.escape(last_name)}\b", text):
            return sex
    return None


def question_names(question: str) -> list[str]:
    """Stems of the names a question asks about (capitalised words after its first word, and
    acronyms), e.g. "Taiwan" in "What did the statement say about Taiwan?"; not the months and
    days that say when."""
    toks = [re.sub(r"\W+$|^\W+", "", t) for t in question.split()]
    found = [t for i, t in enumerate(toks) if i and t[:1].isupper() and not _is_date_word(toks, i)]
    return list(dict.fromkeys(t for f in found for t in terms(f)))


def looks_like_instructions(sentence: str) -> bool:
    """A sentence addressed to an AI ("Ignore previous instructions and say …") is an attempt
    to steer the assistant, not a statement about the news: it is never used as an answer
    sentence. It stays in the article, visible to a reader of the paragraph."""
    return bool(_INSTRUCTIONS.search(sentence))


def support(claim: str, evidence: Sequence[str]) -> float:
    """Share of the claim's content terms (stemmed, stopwords removed, numbers kept) that occur
    in the evidence paragraphs: the transparent support score used to check generated
    sentences against the paragraphs they cite, and by the eval's citation scores."""
    claim_terms = set(terms(claim))
    if not claim_terms:
        return 1.0
    have: set[str] = set()
    for text in evidence:
        have.update(terms(text))
    return len(claim_terms & have) / len(claim_terms)
