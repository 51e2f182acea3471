"""The evaluation set: hand-checked items (evals/*.jsonl), each with gold paragraphs and quotes.

Schema and how items are written: evals/README.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import AssistantError, SourceNotFoundError
from ..index.catalog import Catalog
from ..schema import Turn
from ..text import normalize

Key = tuple[str, int]
"""A paragraph: (doc_id, paragraph number), as cited and as written in the gold evidence."""

CATEGORIES = (
    "seed", "bbc", "wikinews", "paraphrase", "multi-paragraph", "multi-turn", "self-contained", "near-duplicate", "unanswerable",
    "near-topic", "summary", "factoid", "who", "org", "where", "when", "number", "open",
    "time", "latest", "this-week", "in-month", "in-year", "date-filter", "timeline",
)
"""Item tags the report breaks scores down by, in report order."""


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
    corpus: str = "seed"
    history: tuple[Turn, ...] = ()
    evidence_mode: str = "any"  # "all": every gold paragraph is needed (multi-paragraph items)
    # Time-aware items (issue 14): the reader's "now", and date/source filters passed to ask().
    as_of: str = ""
    since: str = ""
    until: str = ""
    sources: tuple[str, ...] = ()

    def time_kwargs(self) -> dict[str, object]:
        """The keyword arguments of `Assistant.ask` and `.retrieve` that set the time frame."""
        return {"as_of": self.as_of or None, "since": self.since or None, "until": self.until or None,
                "sources": list(self.sources) or None}

    @property
    def gold(self) -> set[Key]:
        return {(e.doc_id, e.paragraph) for e in self.evidence}


def load_cases(path: Path, *, split: str | None = None) -> list[Case]:
    cases = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SourceNotFoundError(f"Cannot read the evaluation set {path}: {exc.strerror}.") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            if d.get("draft"):
                raise AssistantError(
                    f"{path}:{n}: item {d.get('id')} is a draft (from user feedback): check it by hand, fill in answerable, "
                    "evidence and answers, and remove \"draft\" before adding it to the evaluation set"
                )
            tags = tuple(d.get("tags", []))
            case = Case(
                id=d["id"],
                question=d["question"],
                answerable=bool(d["answerable"]),
                evidence=tuple(Evidence(e["doc_id"], int(e["paragraph"]), e["quote"]) for e in d.get("evidence", [])),
                answers=tuple(d.get("answers", [])),
                tags=tags,
                split=d.get("split", "test"),
                corpus=d.get("corpus", "bbc" if "bbc" in tags else "seed"),
                history=tuple(Turn(t["role"], t["content"]) for t in d.get("history", [])),
                evidence_mode=d.get("evidence_mode", "any"),
                as_of=str(d.get("as_of") or ""),
                since=str(d.get("since") or ""),
                until=str(d.get("until") or ""),
                sources=tuple(d.get("sources") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AssistantError(f"{path}:{n}: not a valid evaluation item ({exc}); see evals/README.md for the schema") from exc
        if case.answerable and not case.evidence:
            raise AssistantError(f"{path}:{n}: answerable item {case.id} has no gold evidence")
        if split in (None, "all") or case.split == split:
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
