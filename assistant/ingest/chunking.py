"""Articles → Chunks. A chunk never crosses a paragraph boundary.

A paragraph that fits the embedding model's window (headline and section included, counted
with the model's own tokenizer) is one chunk. A longer one is cut on sentence boundaries into
parts that each fit; every part remembers its paragraph and its character span in it. A
single sentence longer than the window is cut on word boundaries as a last resort.
"""

from __future__ import annotations

from collections.abc import Callable

from ..schema import Article, Chunk, ChunkId, Paragraph
from ..text import sentences

TokenCounter = Callable[[str], int]


def embed_text(title: str, section: str, text: str) -> str:
    """What the model sees: headline and section give a paragraph its context."""
    head = f"{title}. {section.title()}." if section else f"{title}."
    return f"{head}\n{text}"


def _spans(text: str, budget: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Character spans of `text` that each cost at most `budget` tokens, cut between sentences."""
    if count(text) <= budget:
        return [(0, len(text))]
    pieces: list[tuple[int, int]] = []
    for s in sentences(text):
        if count(s.text) <= budget:
            pieces.append((s.start, s.end))
            continue
        # One giant "sentence" (a list, a table flattened to text): cut between words. Each word
        # is counted once (wordpieces never span a space), so this is linear in the sentence:
        # re-counting the growing part for every word took minutes on a 172 KB paragraph.
        pieces.extend(_word_spans(s.text, s.start, budget, count))
    merged: list[tuple[int, int]] = []
    for start, end in pieces:  # greedily pack whole sentences into parts
        if merged and count(text[merged[-1][0] : end]) <= budget:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _word_spans(text: str, offset: int, budget: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Spans of `text` (shifted by `offset`) cut between words, each within `budget` tokens."""
    specials = count("")
    spans: list[tuple[int, int]] = []
    start, pos, used = 0, 0, specials
    for word in text.split(" "):
        cost = max(count(word) - specials, 0) if word else 0
        if pos > start and used + cost > budget:
            spans.append((offset + start, offset + pos - 1))  # up to the space before this word
            start, used = pos, specials
        used += cost
        pos += len(word) + 1
    if start < len(text):
        spans.append((offset + start, offset + len(text)))
    return spans


def chunk_paragraph(article: Article, para: Paragraph, count: TokenCounter, max_tokens: int) -> list[Chunk]:
    overhead = count(embed_text(article.title, para.section, "")) + 2
    budget = max(16, max_tokens - overhead)
    chunks = []
    for part, (start, end) in enumerate(_spans(para.text, budget, count)):
        text = para.text[start:end]
        chunks.append(
            Chunk(
                chunk_id=str(ChunkId(article.content_hash, para.number, part)),
                doc_id=article.doc_id,
                content_hash=article.content_hash,
                paragraph=para.number,
                part=part,
                start=start,
                end=end,
                text=text,
                embed_text=embed_text(article.title, para.section, text),
                title=article.title,
                section=para.section,
            )
        )
    return chunks


def chunk_article(article: Article, count: TokenCounter, max_tokens: int) -> list[Chunk]:
    """All chunks of an article, in reading order, with content-addressed ids (see ChunkId)."""
    return [c for p in article.paragraphs for c in chunk_paragraph(article, p, count, max_tokens)]
