"""Hybrid retrieval: dense search in Chroma fused with BM25 over the same chunks (RRF).

Exposed as a LangChain `BaseRetriever` so it composes with other LangChain parts; the
facade turns its documents back into typed `RetrievedChunk`s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field

from assistant.index.embeddings import Embedder
from assistant.index.lexical import LexicalIndex
from assistant.index.store import ChromaStore
from assistant.types import RetrievedChunk
from ingest.types import Chunk

logger = logging.getLogger(__name__)


class LexicalIndexCache:
    """Keeps the BM25 index of the last few agreement scopes.

    Keyed by agreement *versions*, so re-ingesting or removing an agreement can never serve
    a stale index.
    """

    def __init__(self, store: ChromaStore, size: int = 8) -> None:
        self._store = store
        self._size = size
        self._indexes: dict[tuple[str, ...], LexicalIndex] = {}
        self._lock = threading.Lock()

    def get(self, versions: Sequence[str], whole_index: bool = False) -> LexicalIndex:
        key = tuple(sorted(versions))
        with self._lock:
            index = self._indexes.get(key)
            if index is None:
                index = LexicalIndex(self._store.iter_chunks(list(key), whole_index))
                if len(self._indexes) >= self._size:
                    self._indexes.pop(next(iter(self._indexes)))
                self._indexes[key] = index
            return index


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Chunk]], rrf_k: int
) -> list[tuple[Chunk, float, list[int | None]]]:
    """Fuse ranked lists: score = sum of 1 / (rrf_k + rank). Returns chunk, score, ranks."""
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    ranks: dict[str, list[int | None]] = {}
    for list_no, ranking in enumerate(rankings):
        for rank, chunk in enumerate(ranking, start=1):
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (rrf_k + rank)
            chunks.setdefault(chunk.id, chunk)
            ranks.setdefault(chunk.id, [None] * len(rankings))[list_no] = rank
    order = sorted(
        scores, key=lambda cid: (-scores[cid], chunks[cid].agreement, chunks[cid].ordinal)
    )
    return [(chunks[cid], scores[cid], ranks[cid]) for cid in order]


class HybridRetriever(BaseRetriever):
    """Dense + BM25 over the clauses of the agreements in scope, fused by rank."""

    store: ChromaStore
    embedder: Embedder
    lexical: LexicalIndexCache
    agreements: list[str] | None = Field(
        default=None, description="Names to search; None searches every agreement."
    )
    versions: list[str] | None = Field(
        default=None,
        description="Agreement versions already resolved by the caller; saves a registry read.",
    )
    whole_index: bool = Field(
        default=False, description="The scope is every agreement: lets the store skip filters."
    )
    k: int = 10
    candidates: int = 40
    rrf_k: int = 60

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [to_document(hit) for hit in self.retrieve(query)]

    def retrieve(self, query: str, lexical_query: str | None = None) -> list[RetrievedChunk]:
        """The k best passages for `query`; `lexical_query` is what BM25 searches instead
        (the question with its topic's legal words added by the question analysis)."""
        versions = (
            self.versions if self.versions is not None else self.store.versions(self.agreements)
        )
        if not versions:
            return []
        dense = self.store.dense_search(
            self.embedder.embed_query(query), versions, self.candidates, self.whole_index
        )
        lexical = self.lexical.get(versions, self.whole_index).search(
            lexical_query or query, self.candidates
        )
        fused = reciprocal_rank_fusion([[c for c, _ in dense], [c for c, _ in lexical]], self.rrf_k)
        return [
            RetrievedChunk(chunk=chunk, score=score, dense_rank=r[0], lexical_rank=r[1])
            for chunk, score, r in fused[: self.k]
        ]


def to_document(hit: RetrievedChunk) -> Document:
    return Document(
        page_content=hit.chunk.text,
        id=hit.chunk.id,
        metadata={
            **hit.chunk.model_dump(exclude={"text"}),
            "score": hit.score,
            "dense_rank": hit.dense_rank,
            "lexical_rank": hit.lexical_rank,
        },
    )


def from_document(doc: Document) -> RetrievedChunk:
    meta = dict(doc.metadata)
    score = float(meta.pop("score", 0.0))
    dense_rank = meta.pop("dense_rank", None)
    lexical_rank = meta.pop("lexical_rank", None)
    chunk = Chunk(text=doc.page_content, **meta)
    return RetrievedChunk(
        chunk=chunk, score=score, dense_rank=dense_rank, lexical_rank=lexical_rank
    )
