"""The sentences a learned judge weighs: every sentence of the passages it was given.

Each keeps where it came from (passage, rank, offsets in the passage's text) so that a chosen
sentence becomes a citation, and its text with the agreement's names for the two parties
replaced by CUSTOMER and PROVIDER, so that "Linear shall" and "Miro shall" read alike to a
model trained on other agreements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.answering.quoting import trim
from assistant.types import RetrievedChunk
from ingest.sentences import split_sentences
from ingest.types import PartyAliases

# Shorter than this is a heading or a list marker, not a sentence that can decide anything.
MIN_SENTENCE_CHARS = 25
# Only the best passages' sentences are weighed: embedding every sentence of all ten is most
# of a question's time, and the deciding sentence sits in the first few (eval hit@5 ~0.94).
JUDGED_PASSAGES = 6


@dataclass(frozen=True)
class Candidate:
    """One sentence of one retrieved passage."""

    passage: RetrievedChunk
    rank: int
    position: int
    span: tuple[int, int]
    text: str
    normalised: str

    @property
    def key(self) -> tuple[str, int, int]:
        """Stable across questions: the chunk and the offsets (for caching its vector)."""
        return (self.passage.chunk.id, self.span[0], self.span[1])

    @property
    def agreement_span(self) -> tuple[int, int]:
        """Offsets in the agreement's extracted text."""
        start = self.passage.chunk.start
        return (start + self.span[0], start + self.span[1])


def candidates(
    passages: Sequence[RetrievedChunk], aliases: dict[str, PartyAliases]
) -> list[Candidate]:
    """Every sentence of the best JUDGED_PASSAGES passages, best-ranked passage first."""
    out: list[Candidate] = []
    for rank, rc in enumerate(passages[:JUDGED_PASSAGES]):
        words = aliases.get(rc.chunk.agreement) or PartyAliases()
        text = rc.chunk.text
        position = 0
        for start, end in split_sentences(text):
            start, end = trim(text, start, end)
            sentence = text[start:end]
            if len(sentence) < MIN_SENTENCE_CHARS:
                continue
            out.append(
                Candidate(
                    passage=rc,
                    rank=rank,
                    position=position,
                    span=(start, end),
                    text=sentence,
                    normalised=party_normalised(sentence, words),
                )
            )
            position += 1
    return out


def party_normalised(text: str, aliases: PartyAliases) -> str:
    """`text` with the agreement's names for its parties replaced by CUSTOMER / PROVIDER."""
    pattern = _party_pattern(tuple(aliases.customer), tuple(aliases.provider))
    if pattern is None:
        return text
    customer = {w.lower() for w in aliases.customer}
    return pattern.sub(lambda m: "CUSTOMER" if m.group(0).lower() in customer else "PROVIDER", text)


@lru_cache(maxsize=256)
def _party_pattern(customer: tuple[str, ...], provider: tuple[str, ...]) -> re.Pattern[str] | None:
    # Longest names first, so "Customer Data" is not cut to "Customer" before "Customer Data"
    # could match; one-letter names ("I") are too ambiguous to replace.
    names = sorted({w for w in (*customer, *provider) if len(w) > 1}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in names) + r")\b", re.IGNORECASE)
