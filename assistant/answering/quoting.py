"""What is quoted: the deciding sentence, trimmed of markup, located in its agreement."""

from __future__ import annotations

import re

from assistant.answering.obligations import Obligation
from assistant.answering.weights import WEIGHTS as W
from assistant.types import Citation, RetrievedChunk

_END_MARKERS = " \t\r\n*_#`>|"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span past whitespace, markdown markers and HTML tags at its two ends only."""
    while True:
        before = (start, end)
        while start < end and text[start] in _END_MARKERS:
            start += 1
        while end > start and text[end - 1] in _END_MARKERS:
            end -= 1
        bullet = re.match(r"(?:[-•]\s+|<[^<>]{1,20}>)", text[start:end])
        if bullet:
            start += bullet.end()
        tag = re.search(r"<[^<>]{1,20}>$", text[start:end])
        if tag:
            end = start + tag.start()
        if (start, end) == before:
            return start, end


def quote_span(text: str, span: tuple[int, int], ob: Obligation | None) -> tuple[int, int]:
    """The citation span: the sentence, or for a very long one the clause holding the trigger."""
    start, end = span
    if ob is None or end - start <= W.long_sentence:
        return start, end
    # Only a semicolon bounds a clause: line breaks in extracted PDF text fall mid-clause.
    left = text.rfind(";", start, ob.scope[0])
    right = text.find(";", ob.span[1], end)
    new_start = left + 1 if left >= start else start
    new_end = right + 1 if right != -1 else end
    return trim(text, new_start, new_end)


def citation(rc: RetrievedChunk, span: tuple[int, int], ob: Obligation | None) -> Citation:
    """The citation of `span` (offsets in the passage's text), located in its agreement."""
    text = rc.chunk.text
    start, end = quote_span(text, span, ob)
    heading = rc.chunk.heading_path[-1] if rc.chunk.heading_path else None
    return Citation(
        agreement=rc.chunk.agreement,
        section=rc.chunk.section,
        page=rc.chunk.page_start,
        # Words verbatim; line breaks of the extraction collapsed so the quote reads as prose.
        quote=" ".join(text[start:end].split()),
        chunk_id=rc.chunk.id,
        char_start=rc.chunk.start + start,
        char_end=rc.chunk.start + end,
        heading=heading,
    )
