"""BM25 over the same chunks that are in Chroma: derived, never a second store of record."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rank_bm25 import BM25Okapi

from assistant.types import Chunk

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "at",
        "from",
        "as",
        "is",
        "are",
        "be",
        "been",
        "being",
        "was",
        "were",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "any",
        "all",
        "such",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "how",
        "do",
        "does",
        "did",
        "shall",
        "will",
        "would",
        "should",
        "may",
        "might",
        "can",
        "could",
        "must",
        "not",
        "no",
        "nor",
        "than",
        "then",
        "there",
        "their",
        "our",
        "your",
        "we",
        "you",
        "they",
        "them",
        "us",
        "i",
        "he",
        "she",
        "his",
        "her",
        "if",
        "so",
        "into",
        "under",
        "over",
        "upon",
        "per",
        "via",
    ]
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s")


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet backups/backup, patching/patch, notifies/notify."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied") else base
    return word


def tokenize(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("-", " "))
    return [stem(w.removesuffix("'s")) for w in words if w not in _STOPWORDS]


class LexicalIndex:
    """Okapi BM25 over a fixed set of chunks."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self.chunks = list(chunks)
        corpus = [tokenize(_indexed_text(c)) for c in self.chunks]
        self._bm25 = BM25Okapi(corpus) if self.chunks else None

    def search(self, query: str, n: int) -> list[tuple[Chunk, float]]:
        if self._bm25 is None:
            return []
        terms = tokenize(query)
        if not terms:
            return []
        scores = self._bm25.get_scores(terms)
        order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:n]
        return [(self.chunks[i], float(scores[i])) for i in order if scores[i] > 0]


def _indexed_text(chunk: Chunk) -> str:
    # Headings say what a clause is about ("Backups") even when its body does not repeat it.
    return " ".join([*chunk.heading_path, chunk.text])
