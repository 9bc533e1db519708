"""One file (or upload) in, an agreement with its chunks out: load, structure, chunk.

Writes nothing: the caller embeds the chunks and stores them, so a file that fails here
(broken PDF, empty text) leaves no trace anywhere.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ingest.chunking import ChunkingOptions, TokenCounter, chunk_clauses, chunk_id, embedding_text
from ingest.definitions import find_definitions
from ingest.errors import DocumentError
from ingest.files import SourceFile
from ingest.loaders import READER_VERSION, OcrOptions, load_document
from ingest.parties import find_party_aliases
from ingest.screening import searchable
from ingest.structure import find_clauses
from ingest.types import Agreement, Chunk, Clause, LoadedDocument

__all__ = ["READER_VERSION", "OcrPageCallback", "ReadAgreement", "read_agreement"]

# (file, pages done, pages to read) while a scanned PDF's pages are read by OCR.
OcrPageCallback = Callable[[Path, int, int], None]


class ReadAgreement(NamedTuple):
    agreement: Agreement
    chunks: list[Chunk]

    def embedding_texts(self) -> list[str]:
        """What is embedded for each chunk (its headings, then its text)."""
        return [embedding_text(c) for c in self.chunks]

    def renamed(self, name: str) -> ReadAgreement:
        """The same agreement under another name, chunk ids derived as reading derives them."""
        sha = self.agreement.sha256
        chunks = []
        for c in self.chunks:
            new_id = _versioned_id(chunk_id(name, c.text, c.start), sha)
            chunks.append(c.model_copy(update={"agreement": name, "id": new_id}))
        return ReadAgreement(self.agreement.model_copy(update={"name": name}), chunks)


def _versioned_id(content_id: str, sha256: str) -> str:
    # The version hash joins the id so that a changed file's new chunks never overwrite the
    # old ones before the registry switches to them.
    return hashlib.sha256(f"{content_id}:{sha256}".encode()).hexdigest()[:32]


def read_agreement(
    source: SourceFile,
    name: str,
    sha256: str,
    count_tokens: TokenCounter,
    chunking: ChunkingOptions | None = None,
    ocr: OcrOptions | None = None,
    on_ocr_page: OcrPageCallback | None = None,
) -> ReadAgreement:
    """Read one file into an Agreement and the chunks to embed; writes nothing."""
    chunking = chunking or ChunkingOptions()
    path = source.path
    pages = None if on_ocr_page is None else functools.partial(on_ocr_page, path)
    doc = load_document(path, ocr, pages, source.data)
    searched = searchable(doc.text)  # once: clause finding and chunk sizing both read it
    clauses = _clauses(doc, searched)
    definitions = find_definitions(doc.text)
    agreement = Agreement(
        name=name,
        title=_title(doc.text, name),
        source_path=source.source,
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
        searched=searched,
    )
    if not chunks:
        raise DocumentError(path, "no clauses could be found in its text")
    versioned = [c.model_copy(update={"id": _versioned_id(c.id, sha256)}) for c in chunks]
    return ReadAgreement(agreement, versioned)


def _clauses(doc: LoadedDocument, searched: str) -> list[Clause]:
    """The clauses found in `searched` (the text with paragraphs addressed to an AI model
    blanked, ingest/screening.py), so that such a paragraph opens no clause of its own and
    lends no section to the clause it precedes; their text is then the document's own,
    planted paragraphs included."""
    if searched is doc.text:
        return find_clauses(doc)
    found = find_clauses(doc.model_copy(update={"text": searched}))
    return [c.model_copy(update={"text": doc.text[c.start : c.end]}) for c in found]


def _title(text: str, fallback: str) -> str:
    """The first heading-like line, for readable citations; the name when there is none."""
    for line in text.splitlines()[:15]:
        stripped = line.strip().lstrip("#").strip().strip("*").strip()
        if 3 <= len(stripped) <= 90 and not stripped.endswith((".", ",", ";", ":")):
            return stripped
    return fallback
