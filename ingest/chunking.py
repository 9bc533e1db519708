"""Chunks: what is embedded and retrieved, following the clauses rather than a window.

A chunk is a clause, a run of sentences of a long clause, or small clauses joined under
one heading. Each chunk is an exact span of the agreement text, so a quote found in it can
be located, and it is sized so that `embedding_text(chunk)` (heading context + text) fits
the embedding model's window: text past the window is silently not embedded.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field

from ingest.screening import searchable
from ingest.sentences import split_sentences
from ingest.types import Chunk, Clause

__all__ = ["ChunkingOptions", "chunk_clauses", "chunk_id", "embedding_text"]

logger = logging.getLogger(__name__)

TokenCounter = Callable[[str], int]


class ChunkingOptions(BaseModel):
    """How large chunks may be, in the embedding model's word pieces (settings: `chunking`)."""

    max_tokens: int = Field(
        default=230,
        description="Largest chunk in word pieces; all-MiniLM-L6-v2 reads at most 256.",
    )
    min_tokens: int = Field(
        default=24, description="Clauses smaller than this are joined to their neighbours."
    )

_MAX_HEADINGS = 2
_MAX_HEADING_CHARS = 80


def chunk_id(agreement: str, text: str, start: int) -> str:
    """Content-derived id: re-ingesting an unchanged file yields the same ids."""
    digest = hashlib.sha256(f"{agreement}\x00{start}\x00{text}".encode())
    return digest.hexdigest()[:32]


def _context(heading_path: list[str], section: str | None) -> str:
    """The heading prefix: the innermost headings only, so the prefix stays short."""
    headings = [h[:_MAX_HEADING_CHARS].strip() for h in heading_path[-_MAX_HEADINGS:]]
    prefix = " > ".join(h for h in headings if h)
    if section:
        prefix = f"{prefix} ({section})" if prefix else f"({section})"
    return prefix


def embedding_text(chunk: Chunk) -> str:
    """What the indexer embeds: "Security > Backups (7.3): <chunk text>", without paragraphs
    addressed to an AI model (ingest/screening.py)."""
    prefix = _context(chunk.heading_path, chunk.section)
    text = searchable(chunk.text)
    return f"{prefix}: {text}" if prefix else text


@dataclass
class _Piece:
    start: int
    end: int
    clauses: list[Clause]
    whole: bool  # the piece is one or more entire clauses


def _cut_points(text: str, start: int, end: int, pattern: str) -> list[int]:
    """Offsets just after each separator within [start, end), as unit boundaries."""
    return [start + m.end() for m in re.finditer(pattern, text[start:end])]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pack(
    text: str, units: list[tuple[int, int]], fits: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """Greedily join consecutive units while the joined span still fits."""
    packed: list[tuple[int, int]] = []
    for s, e in units:
        if packed and fits(packed[-1][0], e):
            packed[-1] = (packed[-1][0], e)
        else:
            packed.append((s, e))
    return packed


def _split_span(
    text: str, start: int, end: int, fits: Callable[[int, int], bool], level: int = 0
) -> list[tuple[int, int]]:
    """Split an over-long span at the gentlest boundary that works.

    Sentences first; a single over-long sentence at ';', then ',', then between words,
    and as the last resort (one word longer than the window, e.g. a URL) by characters.
    """
    if fits(start, end) or end - start <= 1:
        return [(start, end)]  # a single character that "does not fit": a broken counter
    patterns = [None, r";\s+", r",\s+", r"\s+"]
    if level >= len(patterns):
        mid = start + max(1, (end - start) // 2)
        return _split_span(text, start, mid, fits, level) + _split_span(
            text, mid, end, fits, level
        )
    pattern = patterns[level]
    if pattern is None:
        units = [(start + s, start + e) for s, e in split_sentences(text[start:end])]
    else:
        cuts = [start, *_cut_points(text, start, end, pattern), end]
        units = [_strip(text, a, b) for a, b in itertools.pairwise(cuts)]
        units = [(a, b) for a, b in units if a < b]
    if len(units) <= 1:
        return _split_span(text, start, end, fits, level + 1)
    out: list[tuple[int, int]] = []
    for s, e in _pack(text, units, fits):
        out.extend(_split_span(text, s, e, fits, level + 1) if not fits(s, e) else [(s, e)])
    return out


def chunk_clauses(
    agreement: str,
    clauses: list[Clause],
    text: str,
    count_tokens: TokenCounter,
    max_tokens: int = 230,
    min_tokens: int = 24,
    searched: str | None = None,
) -> list[Chunk]:
    """Chunks of `text` following `clauses`, each fitting `max_tokens` with its context.

    Sizes are counted on the searchable text: a paragraph addressed to an AI model is not
    embedded, so it takes no room and does not move the chunk boundaries of the clauses
    around it. `searched` is `searchable(text)` when the caller has it already."""
    text_searched = searched if searched is not None else searchable(text)

    def tokens(s: int, e: int) -> int:
        return count_tokens(text_searched[s:e])

    def budget(clause: Clause) -> int:
        prefix = _context(clause.heading_path, clause.section)
        # The prefix and its ": " separator are embedded too; keep a small margin because
        # word-piece counts of a concatenation can exceed the sum of the parts.
        used = count_tokens(prefix + ":") + 2 if prefix else 0
        return max(8, max_tokens - used)

    pieces: list[_Piece] = []
    for clause in clauses:
        limit = budget(clause)

        def fits(s: int, e: int, limit: int = limit) -> bool:
            return tokens(s, e) <= limit

        spans = _split_span(text, clause.start, clause.end, fits)
        for s, e in spans:
            pieces.append(_Piece(s, e, [clause], whole=len(spans) == 1))

    merged: list[_Piece] = []
    for piece in pieces:
        if merged and _joinable(merged[-1], piece, tokens, budget, min_tokens):
            last = merged[-1]
            merged[-1] = _Piece(last.start, piece.end, last.clauses + piece.clauses, True)
        else:
            merged.append(piece)

    chunks: list[Chunk] = []
    for ordinal, piece in enumerate(merged):
        # The section of its first clause, passing over one addressed to an AI model.
        first = next(
            (c for c in piece.clauses if text_searched[c.start : c.end].strip()), piece.clauses[0]
        )
        body = text[piece.start : piece.end]
        pages_start = [c.page_start for c in piece.clauses if c.page_start is not None]
        pages_end = [c.page_end for c in piece.clauses if c.page_end is not None]
        chunk = Chunk(
            id=chunk_id(agreement, body, piece.start),
            agreement=agreement,
            ordinal=ordinal,
            section=first.section,
            heading_path=list(first.heading_path),
            text=body,
            start=piece.start,
            end=piece.end,
            page_start=min(pages_start) if pages_start else None,
            page_end=max(pages_end) if pages_end else None,
        )
        if count_tokens(embedding_text(chunk)) > max_tokens:
            logger.debug("chunk %s of %s exceeds %d tokens", ordinal, agreement, max_tokens)
        chunks.append(chunk)
    return chunks


def _joinable(
    current: _Piece,
    nxt: _Piece,
    tokens: Callable[[int, int], int],
    budget: Callable[[Clause], int],
    min_tokens: int,
) -> bool:
    """Small whole clauses join their neighbour under the same heading, within budget."""
    if not (current.whole and nxt.whole):
        return False
    if current.clauses[0].heading_path != nxt.clauses[0].heading_path:
        return False
    current_small = tokens(current.start, current.end) < min_tokens
    next_small = tokens(nxt.start, nxt.end) < min_tokens
    if not (current_small or next_small):
        return False
    return tokens(current.start, nxt.end) <= budget(current.clauses[0])
