"""Typed data of the file side: a file's text, its clauses, its parties and its chunks.

The bottom layer: everything above (the index, answering, the front ends) speaks these types,
and nothing here knows about embeddings, stores or answers.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

DocumentFormat = Literal["pdf", "docx", "html", "md", "txt"]


class LoadedDocument(BaseModel):
    """A file's extracted text, before any structure is found in it."""

    path: Path = Field(description="The file the text came from.")
    format: DocumentFormat
    text: str = Field(description="The whole extracted text; clause spans index into it.")
    page_starts: list[int] = Field(
        default_factory=lambda: [0],
        description="Character offset at which each page begins; page n starts at index n-1. "
        "Formats without pages have a single page starting at 0.",
    )
    has_pages: bool = Field(
        default=False, description="True when the format has real pages (PDF)."
    )
    ocr_pages: list[int] = Field(
        default_factory=list,
        description="1-based pages whose text was read by OCR from a scanned image.",
    )

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, or None when the format has no pages."""
        if not self.has_pages:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


class Clause(BaseModel):
    """One numbered or headed unit of an agreement, located in its extracted text."""

    section: str | None = Field(
        default=None, description='Section reference as written: "7.3", "8(a)", "Article 4".'
    )
    heading_path: list[str] = Field(
        default_factory=list, description="Headings from the outermost down to this clause."
    )
    text: str = Field(description="The clause text, exactly text[start:end] of the document.")
    start: int = Field(description="Start character offset in the document text.")
    end: int = Field(description="End character offset (exclusive) in the document text.")
    page_start: int | None = None
    page_end: int | None = None


class PartyAliases(BaseModel):
    """How an agreement names its two parties, found in its preamble and definitions."""

    customer: list[str] = Field(
        default_factory=list, description='e.g. ["Customer", "you", "your", "Client"]'
    )
    provider: list[str] = Field(
        default_factory=list, description='e.g. ["Provider", "we", "us", "our", "OVHcloud"]'
    )
    provider_name: str | None = Field(default=None, description="The provider's own name.")


class Chunk(BaseModel):
    """What is embedded and retrieved: a clause, a piece of a long clause, or small clauses
    joined under their heading. Never a blind fixed-size window."""

    id: str = Field(description="Content-derived id, stable across re-ingestion.")
    agreement: str = Field(description="The agreement's name.")
    ordinal: int = Field(description="Position of the chunk in its agreement.")
    section: str | None = None
    heading_path: list[str] = Field(default_factory=list)
    text: str
    start: int
    end: int
    page_start: int | None = None
    page_end: int | None = None


class Agreement(BaseModel):
    """A parsed agreement: its text, its clauses and what was learnt about its parties."""

    name: str = Field(description="Name used to scope questions; the file stem by default.")
    title: str | None = Field(default=None, description="Readable title, e.g. 'OVHcloud DPA'.")
    source_path: str
    sha256: str = Field(description="Hash of the file bytes; unchanged files are skipped.")
    reader_version: int = Field(
        default=1,
        description="Version of the loaders that read it; a file read by an older version is "
        "read again on the next ingest even when unchanged.",
    )
    format: DocumentFormat
    text: str
    page_starts: list[int] = Field(default_factory=lambda: [0])
    has_pages: bool = False
    ocr_pages: list[int] = Field(
        default_factory=list, description="1-based pages read by OCR from a scanned image."
    )
    clauses: list[Clause] = Field(default_factory=list)
    definitions: dict[str, str] = Field(
        default_factory=dict, description="Defined term -> its definition text."
    )
    parties: PartyAliases = Field(default_factory=PartyAliases)

