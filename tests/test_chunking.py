from __future__ import annotations

from assistant.index.embedding import Embedder
from assistant.ingest.chunking import chunk_article
from assistant.ingest.parsing import parse_bytes
from assistant.schema import Article, ChunkId, Paragraph

from .conftest import SEED, SEED_A


def test_seed_paragraphs_are_one_chunk_each(embedder: Embedder) -> None:
    path = SEED / f"{SEED_A}.txt"
    [art] = parse_bytes(path, path.read_bytes())
    chunks = chunk_article(art, embedder.count_tokens, embedder.max_tokens)
    assert [(c.paragraph, c.part) for c in chunks] == [(p.number, 0) for p in art.paragraphs]
    c = chunks[6]
    assert c.text == art.paragraph(7).text
    assert c.embed_text.startswith(art.title) and "Ukraine Crisis" in c.embed_text  # headline + section travel
    assert all(embedder.count_tokens(c.embed_text) <= embedder.max_tokens for c in chunks)


def test_long_paragraph_splits_on_sentences_and_never_crosses_paragraphs(embedder: Embedder) -> None:
    sentence = "The delegation met ministers in the capital to discuss energy, trade and security cooperation."
    long_text = " ".join(f"{sentence[:-1]} for the {i}th time." for i in range(40))
    art = Article(
        doc_id="long", title="A long one", source="mem", content_hash="abc123",
        paragraphs=(Paragraph(1, "Short first paragraph."), Paragraph(2, long_text), Paragraph(3, "Short last.")),
    )
    chunks = chunk_article(art, embedder.count_tokens, 128)
    parts = [c for c in chunks if c.paragraph == 2]
    assert len(parts) > 1
    assert all(embedder.count_tokens(c.embed_text) <= 128 for c in chunks)
    # Parts are whole sentences, in order, and together they are the paragraph.
    assert all(c.text.endswith(".") for c in parts)
    assert " ".join(c.text for c in parts) == long_text
    assert all(long_text[c.start : c.end] == c.text for c in parts)
    assert [c.chunk_id for c in parts] == [f"abc123:2:{i}" for i in range(len(parts))]  # the on-disk spelling
    assert [ChunkId.parse(c.chunk_id) for c in parts] == [ChunkId("abc123", 2, i) for i in range(len(parts))]
    assert {c.paragraph for c in chunks} == {1, 2, 3}
