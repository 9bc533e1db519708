"""The public types of the question side: what the facade takes and gives back.

Front ends (CLI, Streamlit, Slack, eval, benchmarks) see these, re-exported file-side types
(the `Chunk` inside a retrieved passage, the `ReadAgreement` of `read_agreement`) and nothing
else: the store's records and the ingestion's outcomes become the views below in the facade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from ingest.reading import ReadAgreement
from ingest.types import Agreement, Chunk, DocumentFormat

__all__ = [
    "Agreement",
    "AgreementInfo",
    "Answer",
    "Chunk",
    "Citation",
    "Conversation",
    "FileIngested",
    "FileResult",
    "FileStatus",
    "IngestEvent",
    "IngestListener",
    "IngestSummary",
    "Matrix",
    "MatrixCell",
    "OcrPageRead",
    "Opinion",
    "PageImage",
    "Party",
    "ReadAgreement",
    "RetrievedChunk",
    "Review",
    "Turn",
    "Upload",
    "Verdict",
]


class Party(StrEnum):
    """The two roles every answer speaks of, whatever the agreement calls them."""

    CUSTOMER = "customer"
    PROVIDER = "provider"


class Verdict(StrEnum):
    """Who holds the duty asked about."""

    CUSTOMER = "customer"
    PROVIDER = "provider"
    SHARED = "shared"
    NOT_ADDRESSED = "not_addressed"







class Citation(BaseModel):
    """A verbatim quote from a retrieved chunk, located by agreement, section and page."""

    agreement: str
    section: str | None = None
    page: int | None = None
    quote: str = Field(description="Verbatim sentence(s) from the chunk text.")
    chunk_id: str
    heading: str | None = None
    char_start: int | None = Field(
        default=None, description="Offset of the quote in the agreement text (locates its page)."
    )
    char_end: int | None = Field(
        default=None, description="End offset (exclusive) of the quote in the agreement text."
    )
    ocr: bool = Field(
        default=False,
        description="The quote's page was read by OCR from a scan: check it against the original.",
    )

    def label(self, title: str | None = None) -> str:
        """Readable source, e.g. "ovhcloud_dpa §8.2, p. 4"."""
        parts = [title or self.agreement]
        if self.section:
            parts.append(f"§{self.section}")
        where = " ".join(parts)
        where = f"{where}, p. {self.page}" if self.page else where
        return f"{where} (OCR)" if self.ocr else where


class RetrievedChunk(BaseModel):
    """A chunk with the scores that ranked it."""

    chunk: Chunk
    score: float = Field(description="Fused (RRF) score; higher is better.")
    dense_rank: int | None = None
    lexical_rank: int | None = None


class Opinion(BaseModel):
    """One answerer's verdict on a question, kept when more than one was consulted."""

    answerer: str
    verdict: Verdict | None = Field(
        default=None, description="None when the answerer gave no usable verdict."
    )
    citations: list[Citation] = Field(default_factory=list)


class Answer(BaseModel):
    """What every front end shows: the verdict, a sentence for a lawyer, and the quotes."""

    question: str
    verdict: Verdict
    answer: str = Field(description="The answer in one or two sentences naming the party.")
    confidence: float = Field(ge=0.0, le=1.0)
    citations: list[Citation] = Field(default_factory=list)
    topic: str | None = None
    agreements: list[str] = Field(default_factory=list, description="Agreements searched.")
    retrieved: list[RetrievedChunk] = Field(
        default_factory=list, description="Passages the answer was drawn from, best first."
    )
    answerer: str = Field(
        default="extractive", description="Which answerer produced it (extractive, a model)."
    )
    understood: bool = Field(
        default=True,
        description="False when the question could not be read (another language, no words "
        "of a question): then the verdict says nothing about the agreement.",
    )
    fallback: str | None = Field(
        default=None,
        description="Why a configured model's answer was not used and the judge's is shown "
        "instead (a malformed reply, no verified citation, a timeout, an error).",
    )
    opinions: list[Opinion] = Field(
        default_factory=list,
        description="Every answerer's verdict when several were consulted (a model and the "
        "judge), the one shown first.",
    )
    by_agreement: list[Answer] = Field(
        default_factory=list,
        description="When passages came from several agreements, the answer for each of them "
        "(agreements differ: one may put backups on the customer, another be silent).",
    )

    @property
    def disagreement(self) -> bool:
        """The answerers consulted reached different verdicts."""
        verdicts = {o.verdict for o in self.opinions if o.verdict is not None}
        return len(verdicts) > 1



class AgreementInfo(BaseModel):
    """An agreement in the index, as front ends list it."""

    name: str = Field(description="The name questions are scoped by.")
    title: str | None = None
    format: DocumentFormat
    source: str = Field(description="The file it was read from (or the upload's name).")
    pages: int | None = Field(default=None, description="Page count; None for formats without.")
    ocr_pages: list[int] = Field(default_factory=list, description="Pages read by OCR.")
    chunks: int = Field(description="Passages indexed for it.")
    customer: list[str] = Field(default_factory=list, description="What it calls the customer.")
    provider: list[str] = Field(default_factory=list, description="What it calls the provider.")
    ingested_at: datetime | None = Field(default=None, description="When this version landed.")
    version: str = Field(
        default="", description="Changes whenever the agreement does (caches key on it)."
    )


@dataclass(frozen=True)
class Upload:
    """A file's bytes with its name, as a browser upload or a Slack file arrives."""

    name: str
    data: bytes


class FileStatus(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class FileResult:
    """What became of one file of a batch."""

    source: str = field(metadata={"doc": "The file's path, or the upload's name."})
    status: FileStatus
    name: str | None = None
    chunks: int = 0
    error: str | None = None  # one line naming the file and the problem, when it failed
    note: str | None = None  # something the user should know of a file that landed


@dataclass(frozen=True)
class IngestSummary:
    results: list[FileResult]

    def of(self, status: FileStatus) -> list[FileResult]:
        return [r for r in self.results if r.status is status]

    @property
    def failed(self) -> list[FileResult]:
        return self.of(FileStatus.FAILED)


@dataclass(frozen=True)
class FileIngested:
    """Progress: one file of the batch is done (landed, unchanged or failed)."""

    result: FileResult


@dataclass(frozen=True)
class OcrPageRead:
    """Progress: a scanned page of `source` was read by OCR (`done` of `pages`)."""

    source: str
    done: int
    pages: int


@dataclass(frozen=True)
class IndexHealth:
    """What `agreements doctor` found in the index, and what it mended."""

    agreements: int = 0
    chunks_expected: int = 0  # by the records
    chunks_stored: int = 0
    orphan_chunks: int = 0  # written by a write that never finished (no record points at them)
    damaged: list[str] = field(default_factory=list)  # stored chunks differ from the record
    unfindable: dict[str, int] | None = None  # per agreement; None when not checked (--deep)
    missing_originals: list[str] = field(default_factory=list)  # cannot be rebuilt
    unreadable: str | None = None  # why the index could not be read at all
    repaired: list[str] = field(default_factory=list)  # what --repair did, one line each

    @property
    def problems(self) -> list[str]:
        found = []
        if self.unreadable:
            found.append(f"the index cannot be read: {self.unreadable}")
        if self.orphan_chunks:
            found.append(f"{self.orphan_chunks} chunk(s) left by an interrupted write")
        found += [f"{name}: its stored chunks differ from its record" for name in self.damaged]
        found += [f"{name}: {n} chunk(s) its vector search cannot find"
                  for name, n in (self.unfindable or {}).items()]  # fmt: skip
        return found


IngestEvent = FileIngested | OcrPageRead
IngestListener = Callable[[IngestEvent], None]


class Turn(BaseModel):
    """One question of a conversation and what came of it."""

    question: str = Field(description="As the user typed it.")
    asked: str = Field(description="As it was answered: a follow-up completed from the last turn.")
    agreements: list[str] = Field(default_factory=list, description="Scope; empty means all.")
    answer: Answer | None = None
    error: str | None = Field(default=None, description="Why it could not be answered.")
    at: datetime


class Conversation(BaseModel):
    """A chat kept under AGREEMENTS_HOME, so a reload or a restart loses nothing."""

    id: str
    title: str = "New chat"
    created_at: datetime
    updated_at: datetime
    turns: list[Turn] = Field(default_factory=list)

    def last_answered(self) -> Turn | None:
        """The turn a follow-up refers to: the last one that got an answer."""
        return next((t for t in reversed(self.turns) if t.answer is not None), None)


class MatrixCell(BaseModel):
    """One topic's answer for one agreement."""

    agreement: str
    topic: str
    question: str
    verdict: Verdict
    confidence: float
    answer: str
    section: str | None = None
    page: int | None = None
    quote: str | None = Field(default=None, description="The deciding quote, if one was cited.")
    source: str | None = Field(default=None, description="Readable location of the quote.")


class Matrix(BaseModel):
    """Every topic for a set of agreements: who holds each duty, and where it is decided."""

    agreements: list[str]
    topics: dict[str, str] = Field(description="Topic id -> label, in row order.")
    cells: list[MatrixCell]

    def cell(self, agreement: str, topic: str) -> MatrixCell | None:
        return next(
            (c for c in self.cells if c.agreement == agreement and c.topic == topic), None
        )

    def is_gap(self, topic: str) -> bool:
        """A row worth negotiating: the agreements differ on it, or one of them is silent."""
        verdicts = [c.verdict for c in self.cells if c.topic == topic]
        return len(set(verdicts)) > 1 or Verdict.NOT_ADDRESSED in verdicts


class Review(BaseModel):
    """A person's judgement of one answer, kept as a labeled question (eval-format.md)."""

    agreement: str
    question: str
    topic: str
    answered: Verdict = Field(description="What the assistant said.")
    label: Verdict = Field(description="What the reviewer says is right.")
    evidence: list[str] = Field(default_factory=list, description="Verbatim quotes.")
    note: str | None = None
    reviewed_at: datetime

    @property
    def correct(self) -> bool:
        return self.answered == self.label


@dataclass(frozen=True)
class PageImage:
    """A rendered PDF page with the quoted words highlighted where they could be found."""

    agreement: str
    page: int
    png: bytes
    highlighted: bool = field(metadata={"doc": "False when the quote's words were not found."})

