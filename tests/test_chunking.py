"""Chunks follow clauses, fit the embedding window with their heading, and stay exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunking import chunk_clauses, chunk_id, embedding_text
from ingest.structure import find_clauses
from ingest.types import Chunk, Clause, LoadedDocument

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def count_tokens(s: str) -> int:
    return len(s.split()) * 4 // 3


def _clause(text: str, start: int, end: int, section: str, path: list[str]) -> Clause:
    return Clause(section=section, heading_path=path, text=text[start:end], start=start, end=end)


def _check(text: str, chunks: list[Chunk], max_tokens: int) -> None:
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert count_tokens(embedding_text(c)) <= max_tokens
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


def test_long_clause_splits_at_sentences() -> None:
    sentences = [f"Sentence number {i} says the provider keeps backups daily." for i in range(30)]
    text = " ".join(sentences)
    clause = _clause(text, 0, len(text), "7.3", ["Security", "Backups"])
    chunks = chunk_clauses("a", [clause], text, count_tokens, max_tokens=60)
    _check(text, chunks, 60)
    assert len(chunks) > 1
    for c in chunks:
        assert c.text.endswith("daily.") and c.text.startswith("Sentence number")
        assert c.section == "7.3" and c.heading_path == ["Security", "Backups"]


def test_one_huge_sentence_splits_at_semicolons_then_words() -> None:
    text = "; ".join(f"item {i} is kept by the provider" for i in range(40)) + "."
    clause = _clause(text, 0, len(text), "2", [])
    chunks = chunk_clauses("a", [clause], text, count_tokens, max_tokens=40)
    _check(text, chunks, 40)
    assert all(c.text.endswith((";", ".")) for c in chunks)
    words = "word " * 200
    clause = _clause(words, 0, len(words.strip()), "3", [])
    chunks = chunk_clauses("a", [clause], words, count_tokens, max_tokens=40)
    _check(words, chunks, 40)
    assert " ".join(c.text for c in chunks) == words.strip()


def test_small_clauses_join_under_the_same_heading() -> None:
    text = "(a) Encrypt data.\n(b) Test restores.\n(c) Keep logs.\nOther heading text here."
    a = text.index("(a)")
    b = text.index("(b)")
    c = text.index("(c)")
    o = text.index("Other")
    clauses = [
        _clause(text, a, b - 1, "8(a)", ["Security"]),
        _clause(text, b, c - 1, "8(b)", ["Security"]),
        _clause(text, c, o - 1, "8(c)", ["Security"]),
        _clause(text, o, len(text), "9", ["Fees"]),
    ]
    chunks = chunk_clauses("a", clauses, text, count_tokens)
    assert [ch.section for ch in chunks] == ["8(a)", "9"]
    assert chunks[0].text == text[a : o - 1]


def test_ids_are_content_derived() -> None:
    text = "The provider backs up data daily and keeps copies for thirty days."
    clause = _clause(text, 0, len(text), "1", [])
    first = chunk_clauses("agr", [clause], text, count_tokens)
    again = chunk_clauses("agr", [clause], text, count_tokens)
    other = chunk_clauses("other", [clause], text, count_tokens)
    assert first[0].id == again[0].id == chunk_id("agr", text, 0)
    assert len(first[0].id) == 32 and first[0].id != other[0].id


def test_embedding_text_prefixes_context() -> None:
    chunk = Chunk(
        id="x", agreement="a", ordinal=0, section="7.3", heading_path=["Security", "Backups"],
        text="Body.", start=0, end=5,
    )
    assert embedding_text(chunk) == "Security > Backups (7.3): Body."
    bare = chunk.model_copy(update={"section": None, "heading_path": []})
    assert embedding_text(bare) == "Body."


def test_pages_come_from_clauses() -> None:
    text = "First clause on page one.\nSecond clause on page two."
    split = text.index("Second")
    doc = LoadedDocument(
        path=Path("x.pdf"), format="pdf", text=text, page_starts=[0, split], has_pages=True
    )
    clauses = find_clauses(doc)
    chunks = chunk_clauses("a", clauses, text, count_tokens)
    assert chunks[0].page_start == 1 and chunks[-1].page_end == 2


def test_all_corpus_markdown_is_chunked_exactly() -> None:
    if not CORPUS.exists():
        pytest.skip(f"corpus {CORPUS} not available on this machine")
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        doc = LoadedDocument(path=path, format="md", text=text)
        clauses = find_clauses(doc)
        chunks = chunk_clauses(path.stem, clauses, text, count_tokens)
        _check(text, chunks, 230)
        covered = bytearray(len(text))
        for c in chunks:
            covered[c.start : c.end] = b"\x01" * (c.end - c.start)
        lost = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
        assert not lost, f"{path.name}: text in no chunk at {lost[:5]}"
        assert len({c.id for c in chunks}) == len(chunks)


def test_a_counter_that_never_fits_does_not_loop() -> None:
    # A tokenizer left with padding on reports a constant 128 tokens for any text.
    text = "The provider keeps backups. The customer restores them."
    clause = _clause(text, 0, len(text), "1", [])
    chunks = chunk_clauses("a", [clause], text, lambda s: 128, max_tokens=100)
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")
