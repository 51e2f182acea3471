"""The plain objects that flow through the pipeline.

    file ──parse──▶ Article(paragraphs) ──chunk──▶ Chunk ──embed/store──▶ index
    question ──retrieve──▶ Hit ──answer──▶ Answer(claims, citations) ──render──▶ text with [n] markers

Provenance is always structured (doc_id, paragraph number, character offsets), never packed
into a display string, so every layer can point back to the exact paragraph it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of an article, exactly as written.

    `number` is 1-based in reading order and counts body paragraphs only: the headline and
    section headings are not paragraphs (see README, "Paragraph numbering").
    """

    number: int
    text: str
    section: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article. `doc_id` is its stable identity (the file stem, or the record id of
    a JSON article); `content_hash` identifies its content, so that renaming a file or
    storing the same article twice costs nothing."""

    doc_id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    source: str
    content_hash: str
    date: str = ""  # publication date, ISO YYYY-MM-DD; "" when the article carries none
    date_origin: str = ""  # where the date was read: "dateline", "json:published", "html", …

    def paragraph(self, number: int) -> Paragraph:
        return self.paragraphs[number - 1]


@dataclass(frozen=True, slots=True)
class Chunk:
    """The unit that is embedded: a paragraph, or a sentence-aligned part of a long one.

    `embed_text` carries the headline and section with the text, because a paragraph such as
    "The parties expressed their appreciation..." is ambiguous without them.
    """

    chunk_id: str
    doc_id: str
    content_hash: str
    paragraph: int
    part: int
    start: int  # character offset of this part within the paragraph text
    end: int
    text: str
    embed_text: str
    title: str
    section: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved paragraph with the evidence of why it was retrieved."""

    doc_id: str
    paragraph: int
    title: str
    section: str
    source: str
    text: str
    score: float  # fused score; larger is better
    dense_rank: int | None = None
    lexical_rank: int | None = None
    date: str = ""  # the article's publication date (ISO), "" when unknown
    conversation: bool = False  # of the article the conversation's previous answer came from (a follow-up's)
    # The paragraph's stored vector (None when the store has none): spares re-encoding it.
    vector: object = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.paragraph)


@dataclass(frozen=True, slots=True)
class Citation:
    """What a marker `[n]` in an answer points at: one paragraph of one article.

    `text` is the whole paragraph as written in the article; `quotes` are the sentences of it
    that the answer used, with their character spans in `text`, so a UI can highlight them.
    """

    marker: int
    doc_id: str
    title: str
    source: str
    paragraph: int
    section: str
    text: str
    quotes: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    date: str = ""  # the article's publication date (ISO), "" when unknown


@dataclass(frozen=True, slots=True)
class Span:
    """Where an extracted sentence was taken from: characters `start:end` of the text of
    paragraph `paragraph` of article `doc_id` (offsets into `Citation.text`)."""

    doc_id: str
    paragraph: int
    start: int
    end: int

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.paragraph)


@dataclass(frozen=True, slots=True)
class Claim:
    """One sentence of an answer and the citations that support it: `markers` are the numbers
    of its `[n]` markers (`[1]` is `Answer.citations[0]`). Readers, the UI and the eval all take
    "which sentence cites which paragraph" from here, never from the rendered text.

    `text` is the sentence as shown, without markers (bracketed numbers quoted from an article
    already turned into "(n)", so every `[n]` in a rendered answer is a real marker). `span` is
    where an extracted sentence came from (None for a sentence a model wrote). A claim without
    markers asserts nothing from the articles: the "do not say" text of an abstention."""

    text: str
    markers: tuple[int, ...] = ()
    span: Span | None = None

    @property
    def marks(self) -> str:
        """Its markers as shown: "[1][2]"."""
        return "".join(f"[{m}]" for m in self.markers)

    def render(self) -> str:
        """The sentence followed by its markers: "Zhang Hanhui is the ambassador. [1][2]"."""
        return f"{self.text} {self.marks}" if self.markers else self.text

    def to_dict(self) -> dict[str, object]:
        span = self.span
        return {
            "text": self.text,
            "markers": list(self.markers),
            "span": None if span is None else {"doc_id": span.doc_id, "paragraph": span.paragraph, "start": span.start, "end": span.end},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Claim:
        span = data.get("span")
        return cls(
            text=data["text"], markers=tuple(int(m) for m in data.get("markers", ())),
            span=None if not span else Span(span["doc_id"], int(span["paragraph"]), int(span["start"]), int(span["end"])),
        )


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier exchange of a conversation."""

    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class Answer:
    """The result of `ask`.

    `claims` are the answer's sentences, each with the markers of the citations that support
    it; `text` renders them, with citation markers such as "[1]" after the sentences they
    support. `citations` are in marker order ([1] is citations[0]). When `abstained` is true the
    corpus did not hold enough evidence: the one claim says so without a marker, `citations` is
    empty, and `evidence` lists the closest paragraphs found, which are *not* sufficient to answer.
    """

    question: str
    claims: tuple[Claim, ...]
    citations: list[Citation]
    abstained: bool
    standalone_question: str = ""
    evidence: list[Hit] = field(default_factory=list)
    confidence: float = 0.0
    backend: str = "extractive"
    settings_hash: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. generated sentences removed by the citation check
    # What the answer step weighed to answer or abstain (support, type match, focus, margin, …).
    signals: dict[str, float] = field(default_factory=dict)
    question_type: str = ""  # the answer type and intent found, e.g. "person/fact"
    # "answer", or "timeline": one line per dated event, oldest first, each line "DATE — sentence [n]".
    kind: str = "answer"
    # The dates applied to the evidence (timeframe.TimeFrame.to_dict()): since/until/as_of/recency/sources; empty when none.
    timeframe: dict[str, object] = field(default_factory=dict)

    @property
    def separator(self) -> str:
        """What goes between two claims: sentences run on; a timeline's events go one per line."""
        return "\n" if self.kind == "timeline" else " "

    @property
    def text(self) -> str:
        """The claims as one text, each followed by its markers."""
        return self.separator.join(c.render() for c in self.claims)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view, used by `assistant ask --json`, the HTTP API and the eval reports.
        `from_dict` reads it back (the UI keeps answers in this form between events)."""
        return {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "text": self.text,
            "claims": [c.to_dict() for c in self.claims],
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "backend": self.backend,
            "settings_hash": self.settings_hash,
            "kind": self.kind,
            "timeframe": dict(self.timeframe),
            "citations": [
                {
                    "marker": c.marker,
                    "doc_id": c.doc_id,
                    "title": c.title,
                    "source": c.source,
                    "paragraph": c.paragraph,
                    "section": c.section,
                    "text": c.text,
                    "quotes": list(c.quotes),
                    "spans": [list(span) for span in c.spans],
                    "date": c.date,
                }
                for c in self.citations
            ],
            "evidence": [
                {"doc_id": h.doc_id, "paragraph": h.paragraph, "title": h.title, "date": h.date, "score": round(h.score, 4)}
                for h in self.evidence
            ],
            "timings_ms": {k: round(v * 1000, 1) for k, v in self.timings.items()},
            "notes": list(self.notes),
            "question_type": self.question_type,
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Answer:
        """The inverse of `to_dict` for what a reader of the answer needs: the claims, every
        citation in full, and the evidence's place (its paragraph text is not in the dict). A
        dict written before answers had claims keeps its text as one claim (markers and all)."""
        citations = [
            Citation(
                marker=int(c["marker"]), doc_id=c["doc_id"], title=c["title"], source=c["source"],
                paragraph=int(c["paragraph"]), section=c.get("section", ""), text=c["text"],
                quotes=tuple(c.get("quotes", ())), spans=tuple((int(a), int(b)) for a, b in c.get("spans", ())),
                date=c.get("date", "") or "",
            )
            for c in data.get("citations", ())
        ]
        evidence = [
            Hit(doc_id=h["doc_id"], paragraph=int(h["paragraph"]), title=h.get("title", ""), section="", source="", text="",
                score=float(h.get("score", 0.0)), date=h.get("date", "") or "")
            for h in data.get("evidence", ())
        ]
        claims = tuple(Claim.from_dict(c) for c in data["claims"]) if "claims" in data else (Claim(data["text"]),)
        return cls(
            question=data["question"], claims=claims, citations=citations, abstained=bool(data["abstained"]),
            standalone_question=data.get("standalone_question", ""), evidence=evidence,
            confidence=float(data.get("confidence", 0.0)), backend=data.get("backend", "extractive"),
            settings_hash=data.get("settings_hash", ""), notes=list(data.get("notes", ())),
            signals={k: float(v) for k, v in (data.get("signals") or {}).items()}, question_type=data.get("question_type", ""),
            kind=data.get("kind", "answer"), timeframe=dict(data.get("timeframe") or {}),
        )


class ChunkId(NamedTuple):
    """The one place that knows how a chunk id is spelled: `content_hash:paragraph:part`.

    Content-addressed (the article version's hash, the paragraph number, the part of a long
    paragraph), so an unchanged article is never re-embedded and a crash can never leave two
    versions of one chunk under one id. The vector store reads hits back from the ids alone,
    which is why they are parsed here rather than carried in metadata (see store.search).
    A named tuple, not a frozen dataclass: a search parses every hit's id, and a tuple is half
    the cost to build (about 2 µs an id: 0.2 ms for the 90 or so ids of a question)."""

    content_hash: str
    paragraph: int
    part: int = 0  # a paragraph's first part (every paragraph has one) holds its stored vector

    def __str__(self) -> str:
        return f"{self.content_hash}:{self.paragraph}:{self.part}"

    @classmethod
    def parse(cls, text: str) -> ChunkId:
        """The fields of an id built by `str(ChunkId(...))`; the hash never contains a colon."""
        content_hash, paragraph, part = text.rsplit(":", 2)
        return cls(content_hash, int(paragraph), int(part))
