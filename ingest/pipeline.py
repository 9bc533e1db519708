"""From files to an indexed agreement: load, structure, chunk, embed, write.

Everything about one file is computed in memory first and written in one step at the end,
so a file that fails (broken PDF, empty text) leaves nothing behind and the rest of the
batch goes on.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from assistant.embeddings import Embedder
from assistant.errors import AgreementsError, DocumentError, UnsupportedFormatError
from assistant.settings import ChunkingSettings
from assistant.store import ChromaStore
from assistant.types import Agreement, Chunk
from ingest.chunking import chunk_clauses, embedding_text
from ingest.definitions import find_definitions
from ingest.loaders import READER_VERSION, SUPPORTED_EXTENSIONS, OcrOptions, load_document
from ingest.parties import find_party_aliases
from ingest.structure import find_clauses

logger = logging.getLogger(__name__)


class FileStatus(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: FileStatus
    name: str | None = None
    chunks: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def of(self, status: FileStatus) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status is status]

    @property
    def failed(self) -> list[FileOutcome]:
        return self.of(FileStatus.FAILED)


ProgressCallback = Callable[[FileOutcome], None]
# (file, pages done, pages to read) while a scanned PDF's pages are read by OCR.
OcrPageCallback = Callable[[Path, int, int], None]


def discover_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every supported file under named folders (sorted).

    A file named directly keeps its place even with an unknown extension, so the user gets
    a clear error for it instead of silence.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def agreement_name(path: Path) -> str:
    return path.stem


def parse_agreement(
    path: Path,
    name: str,
    sha256: str,
    count_tokens: Callable[[str], int],
    chunking: ChunkingSettings,
    ocr: OcrOptions | None = None,
    on_ocr_page: OcrPageCallback | None = None,
) -> tuple[Agreement, list[Chunk]]:
    """Read one file into an Agreement and the chunks to embed; writes nothing."""
    pages = None if on_ocr_page is None else functools.partial(on_ocr_page, path)
    doc = load_document(path, ocr, pages)
    clauses = find_clauses(doc)
    definitions = find_definitions(doc.text)
    agreement = Agreement(
        name=name,
        title=_title(doc.text, name),
        source_path=str(path.resolve()),
        sha256=sha256,
        reader_version=READER_VERSION,
        format=doc.format,
        text=doc.text,
        page_starts=doc.page_starts,
        has_pages=doc.has_pages,
        ocr_pages=doc.ocr_pages,
        clauses=clauses,
        definitions=definitions,
        parties=find_party_aliases(doc.text, definitions),
    )
    chunks = chunk_clauses(
        name,
        clauses,
        doc.text,
        count_tokens,
        max_tokens=chunking.max_tokens,
        min_tokens=chunking.min_tokens,
    )
    if not chunks:
        raise DocumentError(path, "no clauses could be found in its text")
    # The version hash joins the id so that a changed file's new chunks never overwrite the
    # old ones before the registry switches to them.
    versioned = [
        c.model_copy(update={"id": hashlib.sha256(f"{c.id}:{sha256}".encode()).hexdigest()[:32]})
        for c in chunks
    ]
    return agreement, versioned


def ingest_paths(
    paths: Iterable[Path],
    store: ChromaStore,
    embedder: Embedder,
    chunking: ChunkingSettings,
    name: str | None = None,
    on_file: ProgressCallback | None = None,
    ocr: OcrOptions | None = None,
    on_ocr_page: OcrPageCallback | None = None,
) -> IngestReport:
    files = discover_files(paths)
    if name is not None and len(files) != 1:
        raise AgreementsError(f"a name can only be given to one file; {len(files)} were found")
    report = IngestReport()
    for path in files:
        outcome = _ingest_one(
            path, name or agreement_name(path), store, embedder, chunking, ocr, on_ocr_page
        )
        report.outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return report


def _ingest_one(
    path: Path,
    name: str,
    store: ChromaStore,
    embedder: Embedder,
    chunking: ChunkingSettings,
    ocr: OcrOptions | None,
    on_ocr_page: OcrPageCallback | None,
) -> FileOutcome:
    try:
        if not path.exists():
            raise DocumentError(path, "no such file or folder")
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            raise UnsupportedFormatError(
                path,
                f"unsupported file type {path.suffix or '(none)'!r}; "
                f"supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}",
            )
        sha = file_sha256(path)
        previous = store.record(name)
        if (
            previous is not None
            and previous.sha256 == sha
            and previous.reader_version == READER_VERSION
        ):
            return FileOutcome(path, FileStatus.UNCHANGED, name, previous.chunk_count)
        agreement, chunks = parse_agreement(
            path, name, sha, embedder.count_tokens, chunking, ocr, on_ocr_page
        )
        vectors = embedder.embed_documents([embedding_text(c) for c in chunks])
        store.replace_agreement(agreement, chunks, vectors)
    except AgreementsError as exc:
        logger.info("could not ingest %s: %s", path, exc)
        message = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
        return FileOutcome(path, FileStatus.FAILED, name, error=message)
    except Exception as exc:  # a loader bug on one odd file must not sink the whole batch
        logger.debug("unexpected error ingesting %s", path, exc_info=True)
        error = f"{path}: could not be read ({type(exc).__name__}: {exc})"
        return FileOutcome(path, FileStatus.FAILED, name, error=error)
    status = FileStatus.ADDED if previous is None else FileStatus.UPDATED
    return FileOutcome(path, status, name, len(chunks))


def _title(text: str, fallback: str) -> str:
    """The first heading-like line, for readable citations; the name when there is none."""
    for line in text.splitlines()[:15]:
        stripped = line.strip().lstrip("#").strip().strip("*").strip()
        if 3 <= len(stripped) <= 90 and not stripped.endswith((".", ",", ";", ":")):
            return stripped
    return fallback
