"""The Answerer seam: question and passages in, an Answer out, whoever decides.

The extractive judge is the first implementation; a language model and a learned judge are
others. Every answerer's output goes through the same guard (`finishing.finish_answer`):
quotes verified verbatim, pages located, OCR flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from assistant.questions.analysis import QuestionAnalysis
from assistant.types import Answer, RetrievedChunk
from ingest.types import PartyAliases


class AgreementContext(BaseModel):
    """What an answerer may know of one agreement in scope, besides its retrieved passages."""

    name: str
    title: str | None = None
    parties: PartyAliases = Field(default_factory=PartyAliases)
    has_pages: bool = False
    page_starts: list[int] = Field(default_factory=lambda: [0])
    ocr_pages: list[int] = Field(default_factory=list)


class PriorTurn(BaseModel):
    """An earlier question of the conversation and the answer it got, for a model's context."""

    question: str
    answer: str


class AnswerContext(BaseModel):
    """The agreements a question covers, in the order the user scoped them, and the
    conversation so far (oldest first) when the question is a turn of one."""

    agreements: list[AgreementContext] = Field(default_factory=list)
    history: list[PriorTurn] = Field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.agreements]

    @property
    def parties(self) -> dict[str, PartyAliases]:
        return {a.name: a.parties for a in self.agreements}

    def of(self, name: str) -> AgreementContext | None:
        return next((a for a in self.agreements if a.name == name), None)


# Receives the answer text drafted so far, each time it grows (a model's tokens as they come).
TextSink = Callable[[str], None]


class Answerer(Protocol):
    """Decides who holds the duty asked about, and quotes the passages showing it.

    One call answers the whole question: when the passages come from several agreements,
    the answer carries one answer per agreement in `by_agreement` (an answerer backed by a
    model must not be called once per agreement). An answerer that drafts over time (a
    model) reports the text so far to `on_text`; one that answers at once may ignore it.
    """

    @property
    def name(self) -> str:
        """Recorded on every answer it gives ("extractive", a model's name)."""
        ...

    def answer(
        self,
        question: QuestionAnalysis,
        passages: Sequence[RetrievedChunk],
        context: AnswerContext,
        on_text: TextSink | None = None,
    ) -> Answer: ...
