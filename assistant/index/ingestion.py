"""Files and uploads into the index: read (the file side), embed, write, one file at a time.

Everything about one file is computed in memory first and written in one step at the end,
so a file that fails (broken PDF, empty text) leaves nothing behind and the rest of the
batch goes on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from assistant.index.embeddings import Embedder
from assistant.index.store import ChromaStore
from assistant.types import (
    FileIngested,
    FileResult,
    FileStatus,
    IngestListener,
    IngestSummary,
    OcrPageRead,
)
from ingest import reading
from ingest.chunking import ChunkingOptions, embedding_text
from ingest.errors import AgreementsError, DocumentError, UnsupportedFormatError
from ingest.files import SourceFile, agreement_name
from ingest.loaders import SUPPORTED_EXTENSIONS, OcrOptions

logger = logging.getLogger(__name__)


class Ingestion:
    """Reads sources into one store with one embedder, one file after the other."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        chunking: ChunkingOptions,
        ocr: OcrOptions | None = None,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._chunking = chunking
        self._ocr = ocr

    def run(
        self,
        sources: Sequence[SourceFile],
        name: str | None = None,
        listener: IngestListener | None = None,
    ) -> IngestSummary:
        if name is not None and len(sources) != 1:
            raise AgreementsError(
                f"a name can only be given to one file; {len(sources)} were found"
            )
        results = []
        named: dict[str, SourceFile] = {}  # names this batch gave, to tell its files apart
        for source in sources:
            chosen, note = (name, None) if name else self._distinct_name(source, named)
            named[chosen] = source
            result = self._one(source, chosen, listener)
            if note and result.status is not FileStatus.FAILED:
                result = dataclasses.replace(result, note=note)
            results.append(result)
            if listener is not None:
                listener(FileIngested(result))
        return IngestSummary(results)

    def _distinct_name(
        self, source: SourceFile, named: dict[str, SourceFile]
    ) -> tuple[str, str | None]:
        """The file's stem, unless a different file already holds that name (in this batch or
        the index); then the first free of folder-stem, stem-ext, folder-stem-ext, stem-2….
        The same file (same path, or the same bytes uploaded) keeps its name. Two files never
        replace each other silently: only an explicit name does that."""
        stem = agreement_name(source.path)
        taken = self._holder(stem, source, named)  # the first candidate is the stem
        if taken is None:
            return stem, None
        for candidate in list(_name_candidates(source.path))[1:]:
            if self._holder(candidate, source, named) is None:
                return candidate, f"named {candidate!r}: {stem!r} is the one read from {taken}"
        raise AgreementsError(f"{source.source}: no free name for it ({stem!r} and its variants "
                              "are other files' agreements)")  # fmt: skip

    def _holder(self, name: str, source: SourceFile, named: dict[str, SourceFile]) -> str | None:
        """Where the agreement called `name` came from, when that is not `source`."""
        other = named.get(name)
        if other is not None:
            return None if other.source == source.source else other.source
        record = self._store.record(name)
        if record is None or record.source_path == source.source:
            return None
        if record.sha256 == source.sha256():
            return None  # the same bytes from elsewhere (an upload of the file): the same agreement
        return record.source_path

    def _one(
        self, source: SourceFile, name: str, listener: IngestListener | None
    ) -> FileResult:
        path, shown = source.path, source.source

        def on_ocr_page(_: Path, done: int, pages: int) -> None:
            if listener is not None:
                listener(OcrPageRead(shown, done, pages))

        try:
            if source.data is None and not path.exists():
                raise DocumentError(path, "no such file or folder")
            if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
                raise UnsupportedFormatError(
                    path,
                    f"unsupported file type {path.suffix or '(none)'!r}; "
                    f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}",
                )
            sha = source.sha256()
            previous = self._store.record(name)
            if (
                previous is not None
                and previous.sha256 == sha
                and previous.reader_version == reading.READER_VERSION
            ):
                return FileResult(shown, FileStatus.UNCHANGED, name, previous.chunk_count)
            agreement, chunks = reading.read_agreement(
                source,
                name,
                sha,
                self._embedder.count_tokens,
                self._chunking,
                self._ocr,
                on_ocr_page,
            )
            vectors = self._embedder.embed_documents([embedding_text(c) for c in chunks])
            self._store.replace_agreement(agreement, chunks, vectors)
        except AgreementsError as exc:
            logger.info("could not ingest %s: %s", shown, exc)
            message = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
            return FileResult(shown, FileStatus.FAILED, name, error=message)
        except Exception as exc:  # a loader bug on one odd file must not sink the whole batch
            logger.debug("unexpected error ingesting %s", shown, exc_info=True)
            error = f"{path}: could not be read ({type(exc).__name__}: {exc})"
            return FileResult(shown, FileStatus.FAILED, name, error=error)
        status = FileStatus.ADDED if previous is None else FileStatus.UPDATED
        return FileResult(shown, status, name, len(chunks))


def _name_candidates(path: Path) -> Iterator[str]:
    stem, ext = agreement_name(path), path.suffix.lstrip(".").lower()
    folder = path.parent.name
    yield stem
    if folder:
        yield f"{folder}-{stem}"
    if ext:
        yield f"{stem}-{ext}"
        if folder:
            yield f"{folder}-{stem}-{ext}"
    for number in range(2, 100):
        yield f"{stem}-{number}"
