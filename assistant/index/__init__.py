"""What is stored: the catalog (SQLite), the vectors (Chroma), BM25, and the embedding model."""
