"""User feedback → draft evaluation items.

A down-voted answer is a question the assistant got wrong (or that a user thinks it did). Written
in the format of `evals/questions.jsonl` with `"draft": true`, it can be checked by hand (fill in
`answerable`, the gold `evidence` and `answers`, remove `draft`) and added to the eval set; the
eval loader refuses items still marked draft. The votes themselves live in the index's catalog
(`Catalog.add_feedback`), recorded by the HTTP API and the UI.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..index.catalog import Catalog, FeedbackRecord


def corpus_name(catalog: Catalog, corpora: Mapping[str, Path]) -> str:
    """The eval corpus (`eval.corpora` name) whose folder holds most of the indexed files, or ""
    when the index was built from files outside all of them."""
    counts = {name: len(catalog.files_under([os.path.abspath(folder)])) for name, folder in corpora.items()}
    best = max(counts, key=lambda name: counts[name], default="")
    return best if counts.get(best) else ""


def draft_item(record: FeedbackRecord, corpus: str) -> dict[str, Any]:
    """One eval item to be completed by hand: what was asked, with the vote's note, the answer
    given and the paragraphs it cited kept under `feedback` as the starting point."""
    return {
        "id": f"feedback-{record.id:04d}",
        "corpus": corpus,
        "question": record.question,
        "history": [{"role": t.role, "content": t.content} for t in record.history],
        "answerable": None,  # to decide by hand: does the corpus hold the answer?
        "evidence": [],  # to fill by hand: {"doc_id", "paragraph", "quote"} of the right paragraph(s)
        "answers": [],
        "tags": ["feedback"],
        "split": "dev",
        "draft": True,
        "feedback": {
            "rating": "down" if record.rating < 0 else "up",
            "note": record.note,
            "answer": record.answer,
            "cited": [
                {"marker": c.get("marker"), "doc_id": c.get("doc_id"), "paragraph": c.get("paragraph"), "title": c.get("title", "")}
                for c in record.citations
            ],
            "settings_hash": record.settings_hash,
            "origin": record.origin,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created_at)),
        },
    }


def draft_items(catalog: Catalog, corpora: Mapping[str, Path]) -> list[dict[str, Any]]:
    """Every down-voted answer in this index, oldest first, as a draft eval item."""
    corpus = corpus_name(catalog, corpora)
    return [draft_item(r, corpus) for r in catalog.feedback(rating=-1)]
