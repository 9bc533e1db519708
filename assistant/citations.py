"""The last guard before an answer is shown: every quote must be verbatim in a retrieved passage.

Whatever produced the answer (the extractive answerer or a configured chat model), a citation
whose chunk was not retrieved or whose words are not in that chunk is a fabrication, and is
dropped rather than shown. Only counts are logged, never contract text.
"""

from __future__ import annotations

import logging
import re

from assistant.types import Answer, RetrievedChunk

logger = logging.getLogger(__name__)


def _flat(text: str) -> str:
    """Whitespace-insensitive form: PDF extraction breaks lines where a quote may not."""
    return re.sub(r"\s+", " ", text).strip()


def verify_citations(answer: Answer, retrieved: list[RetrievedChunk]) -> Answer:
    """A copy of `answer` keeping only citations quoted verbatim from a retrieved chunk."""
    texts = {rc.chunk.id: _flat(rc.chunk.text) for rc in retrieved}
    kept = []
    for citation in answer.citations:
        chunk_text = texts.get(citation.chunk_id)
        quote = _flat(citation.quote)
        if chunk_text is not None and quote and quote in chunk_text:
            kept.append(citation)
    dropped = len(answer.citations) - len(kept)
    if dropped:
        logger.warning("dropped %d of %d citations not verbatim in retrieved passages",
                       dropped, len(answer.citations))
    return answer.model_copy(update={"citations": kept})
