"""Example questions for a start screen: real questions drawn from the corpus, each one
answered before it is suggested (see `Assistant.example_questions`, which asks them and caches
the result). Kept apart from the UI so any front end can offer them, and so building a page
never asks questions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..index.catalog import ArticleRecord
from ..schema import Paragraph

SUGGESTED = 4  # questions a start screen shows
TRIES = 12  # candidates asked at most to find them

_APPOSITIVE = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+){1,2}), (?:an? |the |[A-Z][a-z]+ )[a-z]")

_NOT_BEFORE_A_NAME = {"the", "on", "in", "of", "to", "from", "at", "for", "with", "by", "across", "over", "about"}


def candidates(articles: Sequence[ArticleRecord], paragraphs: Callable[[str], list[Paragraph]], tries: int = TRIES) -> list[str]:
    """"Who is X?" for people the latest articles introduce with an appositive ("Yang Jin, an
    associate research fellow…"): at most one per paragraph, from the 20 most recently indexed
    articles, never a name from the article's own headline."""
    found: list[str] = []
    for rec in sorted(articles, key=lambda a: -a.indexed_at)[:20]:
        for p in paragraphs(rec.doc_id):
            for m in _APPOSITIVE.finditer(p.text):
                name, before = m.group(1), p.text[: m.start()].split()[-1:]
                if before and before[0].lower() in _NOT_BEFORE_A_NAME:  # "On the Korean Peninsula, the…"
                    continue
                q = f"Who is {name}?"
                if q not in found and name not in rec.title:
                    found.append(q)
                    break
            if len(found) >= tries:
                break
        if len(found) >= tries:
            break
    return found


def named(question: str) -> str:
    """X in "Who is X?"."""
    return question[len("Who is "):-1]
