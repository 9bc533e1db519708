"""What an evaluation run asks: questions with their expected answer and located evidence.

Both sources (a labeled YAML set, ContractNLI) become the same `EvalSuite`, so the runner,
the metrics and the reports never need to know where the questions came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one agreement's extracted text (what chunk offsets index)."""

    agreement: str
    start: int
    end: int

    @property
    def length(self) -> int:
        return max(0, self.end - self.start)

    def overlap(self, other: Span) -> int:
        """Characters shared with `other`; spans of different agreements share none."""
        if self.agreement != other.agreement:
            return 0
        return max(0, min(self.end, other.end) - max(self.start, other.start))


@dataclass(frozen=True)
class Evidence:
    """A labeled quote and where it was found."""

    quote: str
    span: Span


@dataclass(frozen=True)
class EvalCase:
    """One question asked of one agreement."""

    id: str
    question: str
    agreement: str
    topic: str | None
    expected: str | None = None
    evidence: tuple[Evidence, ...] = ()
    note: str | None = None
    label: str | None = field(
        default=None, metadata={"doc": "The source's own label (ContractNLI's NLI choice)."}
    )

    @property
    def evidence_spans(self) -> list[Span]:
        return [e.span for e in self.evidence]


@dataclass
class EvalSuite:
    """The questions of a run and the agreement files they need, by agreement name."""

    name: str
    kind: str  # "questions" or "contractnli": which figures are meaningful
    cases: list[EvalCase]
    files: dict[str, Path]
    texts: dict[str, str] = field(default_factory=dict)
