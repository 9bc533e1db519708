"""The index: embeddings, the Chroma store of record, the lexical index derived from it, the
hybrid retriever, and ingestion into it. Never imports answering."""
