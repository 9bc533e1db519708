"""BM25 over the same chunks that are in Chroma: derived, never a second store of record.

An inverted index with precomputed term weights, so a query costs time in proportion to the
postings of its terms rather than to the number of chunks (100k clauses stay fast).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from ingest.screening import searchable
from ingest.types import Chunk
from ingest.words import FUNCTION_WORDS, stem

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_K1 = 1.5  # BM25's usual term-frequency saturation
_B = 0.75  # BM25's usual length normalisation


def tokenize(text: str) -> list[str]:
    words = _WORD.findall(text.lower().replace("-", " "))
    return [stem(w.removesuffix("'s")) for w in words if w not in FUNCTION_WORDS]


class LexicalIndex:
    """Okapi BM25 (Lucene's always-positive idf) over a fixed set of chunks."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        self.chunks = list(chunks)
        counts = [Counter(tokenize(_indexed_text(c))) for c in self.chunks]
        lengths = np.array([sum(c.values()) for c in counts], dtype=np.float32)
        average = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        norm = _K1 * (1 - _B + _B * lengths / average)
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for doc, counter in enumerate(counts):
            for term, tf in counter.items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(doc)
                tfs.append(float(tf))
        total = len(self.chunks)
        self._postings: dict[str, tuple[NDArray[np.int64], NDArray[np.float32]]] = {}
        for term, (docs, tfs) in postings.items():
            ids = np.array(docs, dtype=np.int64)
            freqs = np.array(tfs, dtype=np.float32)
            idf = math.log(1 + (total - len(docs) + 0.5) / (len(docs) + 0.5))
            weights = idf * freqs * (_K1 + 1) / (freqs + norm[ids])
            self._postings[term] = (ids, weights.astype(np.float32))

    def search(self, query: str, n: int) -> list[tuple[Chunk, float]]:
        # A term said twice (in the question and again in its topic's words) counts twice.
        terms = Counter(tokenize(query))
        hits = [(self._postings[t], n) for t, n in terms.items() if t in self._postings]
        if not hits:
            return []
        ids = np.concatenate([ids for (ids, _), _ in hits])
        weights = np.concatenate([weights * n for (_, weights), n in hits])
        scores = np.bincount(ids, weights=weights, minlength=len(self.chunks))
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > n:
            candidates = candidates[np.argpartition(-scores[candidates], n - 1)[:n]]
        # Ties broken by position so that results are deterministic.
        order = sorted(candidates.tolist(), key=lambda i: (-scores[i], i))
        return [(self.chunks[i], float(scores[i])) for i in order]


def _indexed_text(chunk: Chunk) -> str:
    # Headings say what a clause is about ("Backups") even when its body does not repeat it;
    # text addressed to an AI model is not searched (ingest/screening.py).
    return " ".join([*chunk.heading_path, searchable(chunk.text)])
