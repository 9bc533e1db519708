"""The guard every answerer's output passes before it is shown, whoever produced it.

A citation whose passage was not retrieved or whose words are not in that passage is a
fabrication, and is dropped rather than shown. Kept quotes get the page they start on (which
may be later than their passage's first page), and a quote from a page read by OCR says so.
Only counts are logged, never contract text.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence

from assistant.answering.protocol import AgreementContext, AnswerContext
from assistant.types import Answer, Citation, RetrievedChunk

logger = logging.getLogger(__name__)


def finish_answer(
    answer: Answer, passages: Sequence[RetrievedChunk], context: AnswerContext
) -> Answer:
    """`answer` and each of its per-agreement answers, verified, located and OCR-flagged."""
    parts = [finish_answer(part, passages, context) for part in answer.by_agreement]
    verified = verify_citations(answer, passages)
    citations = [_locate_page(c, context.of(c.agreement)) for c in verified.citations]
    finished = _note_ocr(verified.model_copy(update={"citations": citations}))
    return finished.model_copy(update={"by_agreement": parts})


def _flat(text: str) -> str:
    """Whitespace-insensitive form: PDF extraction breaks lines where a quote may not."""
    return re.sub(r"\s+", " ", text).strip()


def verify_citations(answer: Answer, retrieved: Sequence[RetrievedChunk]) -> Answer:
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


def _locate_page(citation: Citation, agreement: AgreementContext | None) -> Citation:
    """The page the quote itself starts on, and whether that page was read by OCR."""
    if agreement is None or not agreement.has_pages or citation.char_start is None:
        return citation
    page = max(1, bisect.bisect_right(agreement.page_starts, citation.char_start))
    return citation.model_copy(update={"page": page, "ocr": page in agreement.ocr_pages})


def _note_ocr(answer: Answer) -> Answer:
    """Say so when a quote was read by OCR: its words may differ from the signed original."""
    pages = sorted({c.page for c in answer.citations if c.ocr and c.page is not None})
    if not pages:
        return answer
    listed = ", ".join(str(page) for page in pages)
    plural = "s" if len(pages) > 1 else ""
    note = (
        f" Quoted text from page{plural} {listed} was read by OCR from a scanned image; "
        "check it against the original."
    )
    return answer.model_copy(update={"answer": answer.answer + note})
