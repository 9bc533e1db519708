"""Chroma, the one store of record: chunk vectors plus a small registry of agreements.

Every chunk carries a `version` tag (`name@sha`) and the registry names the current version
of each agreement. Readers only see versions the registry names, so a write is visible only
once the registry entry is switched: an ingestion that fails half-way leaves the previous
version (or nothing) in view, never a mixture.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from pydantic import BaseModel, Field

from assistant.errors import StoreError
from assistant.index.embeddings import Vectors
from assistant.settings import Settings
from ingest.types import Agreement, Chunk, DocumentFormat, PartyAliases

logger = logging.getLogger(__name__)

# Bump when chunking or metadata layout changes: the collection name changes with it, so
# vectors of different pipelines are never mixed.
CHUNKING_VERSION = "2"
_WRITE_BATCH = 500
# Extra neighbours fetched by an unfiltered search, to make up for chunks of stale versions
# (left by a write that failed half-way, until the next write of that agreement cleans them).
_STALE_MARGIN = 20


class AgreementRecord(BaseModel):
    """What the registry keeps of an agreement: everything but its clauses and text."""

    name: str
    title: str | None = None
    source_path: str
    sha256: str
    format: DocumentFormat
    has_pages: bool = False
    page_starts: list[int] = Field(default_factory=lambda: [0])
    ocr_pages: list[int] = Field(
        default_factory=list, description="Pages whose text was read by OCR from a scan."
    )
    definitions: dict[str, str] = Field(default_factory=dict)
    parties: PartyAliases = Field(default_factory=PartyAliases)
    reader_version: int = Field(
        default=1, description="Version of the loaders that read the file (READER_VERSION)."
    )
    chunk_count: int = 0
    version: str = Field(description="name@sha prefix; chunks of other versions are invisible.")
    ingested_at: datetime | None = Field(
        default=None, description="When this version was written (absent in older records)."
    )


def collection_suffix(model_id: str) -> str:
    return hashlib.sha256(f"{model_id}:{CHUNKING_VERSION}".encode()).hexdigest()[:12]


def make_client(settings: Settings) -> ClientAPI:
    """Embedded folder by default; a Chroma server when a host is configured."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.store.host:
            headers = {}
            if settings.store.token is not None:
                headers["Authorization"] = f"Bearer {settings.store.token.get_secret_value()}"
            return chromadb.HttpClient(
                host=settings.store.host,
                port=settings.store.port,
                ssl=settings.store.ssl,
                headers=headers,
                settings=chroma_settings,
            )
        path = settings.chroma_path
        path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception:
            _forget_system(path)
            raise
    except StoreError:
        raise
    except Exception as exc:
        where = (
            f"Chroma server {settings.store.host}:{settings.store.port}"
            if settings.store.host
            else f"Chroma folder {settings.chroma_path}"
        )
        raise StoreError(f"cannot open {where}: {exc}") from exc


def _forget_system(path: Path) -> None:
    """Chroma caches a folder's system per process even when opening it failed, and every
    later client of that folder then fails alike; forgetting it lets a rebuilt folder open."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)


class ChromaStore:
    """Reads and writes chunks and agreement records for one embedding model."""

    def __init__(self, client: ClientAPI, model_id: str) -> None:
        suffix = collection_suffix(model_id)
        self._client = client
        self._chunks: Collection = client.get_or_create_collection(
            f"clauses-{suffix}",
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
        self._registry: Collection = client.get_or_create_collection(
            f"agreements-{suffix}", embedding_function=None
        )

    def close(self) -> None:
        """Let go of the client: an embedded one reads the folder afresh when opened again
        (once no other client in this process holds it)."""
        close = getattr(self._client, "close", None)  # the embedded and HTTP clients have it
        if close is not None:
            close()

    # --- registry -------------------------------------------------------------------------
    def records(self) -> list[AgreementRecord]:
        got = self._registry.get(include=["documents"])
        docs = got["documents"] or []
        records = [AgreementRecord.model_validate_json(doc) for doc in docs]
        return sorted(records, key=lambda r: r.name)

    def record(self, name: str) -> AgreementRecord | None:
        got = self._registry.get(ids=[name], include=["documents"])
        docs = got["documents"] or []
        return AgreementRecord.model_validate_json(docs[0]) if docs else None

    # --- writing --------------------------------------------------------------------------
    def replace_agreement(
        self, agreement: Agreement, chunks: Sequence[Chunk], vectors: Vectors
    ) -> AgreementRecord:
        """Write a new version of an agreement, switch the registry to it, drop the old one."""
        # The reader's version is part of it: the same file read anew by a better reader is a
        # new version, whose chunks replace the old ones.
        version = f"{agreement.name}@{agreement.sha256[:16]}r{agreement.reader_version}"
        record = AgreementRecord(
            **agreement.model_dump(include=set(AgreementRecord.model_fields)),
            chunk_count=len(chunks),
            version=version,
            ingested_at=datetime.now(UTC),
        )
        try:
            for start in range(0, len(chunks), _WRITE_BATCH):
                batch = chunks[start : start + _WRITE_BATCH]
                self._chunks.upsert(
                    ids=[c.id for c in batch],
                    embeddings=vectors[start : start + _WRITE_BATCH],
                    documents=[c.text for c in batch],
                    metadatas=[_chunk_metadata(c, version) for c in batch],
                )
            self._registry.upsert(
                ids=[agreement.name],
                embeddings=np.zeros((1, 1), dtype=np.float32),
                documents=[record.model_dump_json()],
                metadatas=[{"version": version}],
            )
        except Exception as exc:
            self._drop_versions_except(agreement.name, keep=self._current_version(agreement.name))
            raise StoreError(f"could not write agreement {agreement.name!r}: {exc}") from exc
        self._drop_versions_except(agreement.name, keep=version)
        return record

    def remove(self, name: str) -> bool:
        """Drop the agreement and every chunk written under its name, including those an
        interrupted write left without a record; False when there was neither."""
        leftovers = self._chunks.get(where={"agreement": name}, include=[], limit=1)["ids"]
        if self.record(name) is None and not leftovers:
            return False
        self._registry.delete(ids=[name])
        self._chunks.delete(where={"agreement": name})
        return True

    def stored_versions(self) -> Counter[str]:
        """How many chunks each stored version has (an orphan version has no record)."""
        counts: Counter[str] = Counter()
        offset, page = 0, 5000
        while True:
            got = self._chunks.get(include=["metadatas"], limit=page, offset=offset)
            counts.update(str((m or {}).get("version", "")) for m in got["metadatas"] or [])
            if len(got["ids"]) < page:
                return counts
            offset += page

    def drop_orphans(self) -> int:
        """Delete chunks no record points at (a write killed before its record switched);
        returns how many there were. One filtered scan, run before every ingest."""
        current = [r.version for r in self.records()]
        where: dict[str, Any] | None = {"version": {"$nin": current}} if current else None
        ids = self._chunks.get(where=where, include=[])["ids"]
        for start in range(0, len(ids), _WRITE_BATCH):
            self._chunks.delete(ids=ids[start : start + _WRITE_BATCH])
        return len(ids)

    def unfindable(self, versions: Sequence[str]) -> dict[str, int]:
        """Per version, chunks a search for their own vector does not return first: what a
        damaged vector index looks like (slow: one query per chunk)."""
        missing: Counter[str] = Counter()
        for version in versions:
            got = self._chunks.get(where={"version": version}, include=["embeddings"])
            vectors = got["embeddings"] if got["embeddings"] is not None else []
            for chunk_id, vector in zip(got["ids"], vectors, strict=True):
                hits = self._chunks.query(query_embeddings=[vector], n_results=1,
                                          where={"version": version}, include=[])  # fmt: skip
                if hits["ids"][0][:1] != [chunk_id]:
                    missing[version] += 1
        return dict(missing)

    def _current_version(self, name: str) -> str | None:
        record = self.record(name)
        return record.version if record else None

    def _drop_versions_except(self, name: str, keep: str | None) -> None:
        where: dict[str, Any] = {"agreement": name}
        if keep is not None:
            where = {"$and": [{"agreement": name}, {"version": {"$ne": keep}}]}
        self._chunks.delete(where=where)

    # --- reading --------------------------------------------------------------------------
    def versions(self, names: Sequence[str] | None = None) -> list[str]:
        return [r.version for r in self.records() if names is None or r.name in names]

    def dense_search(
        self, vector: Vectors, versions: Sequence[str], n: int, whole_index: bool = False
    ) -> list[tuple[Chunk, float]]:
        """Nearest chunks among the given agreement versions, with cosine distance.

        `whole_index` says the versions are every current one. Chroma's metadata filter costs
        more than the vector search itself on a large index (127 ms against 3 ms at 30k
        chunks), so that case searches unfiltered and drops stale versions afterwards, and
        only falls back to the filter when too many were stale.
        """
        if not versions:
            return []
        if whole_index:
            wanted = set(versions)
            hits = [h for h in self._query(vector, n + _STALE_MARGIN, None) if h[2] in wanted]
            if len(hits) >= n or self._chunks.count() <= n + _STALE_MARGIN:
                return [(chunk, dist) for chunk, dist, _ in hits[:n]]
        return [(chunk, dist) for chunk, dist, _ in self._query(vector, n, versions)]

    def _query(
        self, vector: Vectors, n: int, versions: Sequence[str] | None
    ) -> list[tuple[Chunk, float, str]]:
        got = self._chunks.query(
            query_embeddings=vector.reshape(1, -1),
            n_results=n,
            where=_version_filter(versions) if versions is not None else None,
            include=["documents", "metadatas", "distances"],
        )
        ids = got["ids"][0]
        docs = (got["documents"] or [[]])[0]
        metas = (got["metadatas"] or [[]])[0]
        dists = (got["distances"] or [[]])[0]
        return [
            (_chunk_from(cid, doc, meta), float(dist), str((meta or {}).get("version", "")))
            for cid, doc, meta, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def iter_chunks(self, versions: Sequence[str], whole_index: bool = False) -> Iterator[Chunk]:
        """All chunks of the given versions, in pages (the lexical index is built from these).

        With `whole_index`, pages are read unfiltered and stale versions skipped: the filter
        would be evaluated over the whole collection for every page.
        """
        if not versions:
            return
        wanted = set(versions)
        where = None if whole_index else _version_filter(versions)
        offset = 0
        page = 2000
        while True:
            got = self._chunks.get(
                where=where,
                include=["documents", "metadatas"],
                limit=page,
                offset=offset,
            )
            ids = got["ids"]
            for cid, doc, meta in zip(
                ids, got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                if meta is not None and meta.get("version") in wanted:
                    yield _chunk_from(cid, doc, meta)
            if len(ids) < page:
                return
            offset += page

    def count(self) -> int:
        return self._chunks.count()


def _version_filter(versions: Sequence[str]) -> dict[str, Any]:
    if len(versions) == 1:
        return {"version": versions[0]}
    return {"version": {"$in": list(versions)}}


def _chunk_metadata(chunk: Chunk, version: str) -> dict[str, str | int]:
    # Chroma metadata holds no None or lists: absent values are left out, paths joined as JSON.
    meta: dict[str, str | int] = {
        "agreement": chunk.agreement,
        "version": version,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
        "heading_path": json.dumps(chunk.heading_path),
    }
    if chunk.section is not None:
        meta["section"] = chunk.section
    if chunk.page_start is not None:
        meta["page_start"] = chunk.page_start
    if chunk.page_end is not None:
        meta["page_end"] = chunk.page_end
    return meta


def _chunk_from(chunk_id: str, text: str | None, meta: Any) -> Chunk:
    meta = dict(meta or {})
    return Chunk(
        id=chunk_id,
        agreement=str(meta["agreement"]),
        ordinal=int(meta.get("ordinal", 0)),
        section=meta.get("section"),
        heading_path=json.loads(str(meta.get("heading_path", "[]"))),
        text=text or "",
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        page_start=meta.get("page_start"),
        page_end=meta.get("page_end"),
    )
