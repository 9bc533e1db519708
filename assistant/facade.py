"""The one entry point every front end calls: ingest, list, remove, ask.

Front ends (CLI, Streamlit, Slack, eval) stay thin and never reach into retrieval or storage.
Asking is a LangChain runnable chain: analyze -> retrieve -> decide -> verify.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answering import decide
from assistant.citations import verify_citations
from assistant.embeddings import Embedder
from assistant.errors import AgreementsError, UnknownAgreementError
from assistant.retrieval import HybridRetriever, LexicalIndexCache
from assistant.settings import Settings
from assistant.store import AgreementRecord, ChromaStore, make_client
from assistant.topics import detect_topics
from assistant.types import Answer, Citation, RetrievedChunk
from ingest.pipeline import IngestReport, OcrPageCallback, ProgressCallback, ingest_paths

logger = logging.getLogger(__name__)


class AgreementAssistant:
    """Answers responsibility questions over the agreements in one index."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()

    # Heavy parts load on first use, so `agreements list` does not pay for the model.
    @cached_property
    def embedder(self) -> Embedder:
        return Embedder(self.settings.embedding)

    @cached_property
    def store(self) -> ChromaStore:
        return ChromaStore(make_client(self.settings), _model_identity(self.settings))

    @cached_property
    def _lexical(self) -> LexicalIndexCache:
        return LexicalIndexCache(self.store)

    # --- the file side --------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[Path],
        name: str | None = None,
        on_file: ProgressCallback | None = None,
        on_ocr_page: OcrPageCallback | None = None,
    ) -> IngestReport:
        return ingest_paths(
            list(paths),
            self.store,
            self.embedder,
            self.settings.chunking,
            name,
            on_file,
            self.settings.ocr,
            on_ocr_page,
        )

    def agreements(self) -> list[AgreementRecord]:
        return self.store.records()

    def remove(self, name: str) -> None:
        if not self.store.remove(name):
            raise UnknownAgreementError(name, [r.name for r in self.store.records()])

    # --- the question side ----------------------------------------------------------------
    def ask(self, question: str, agreements: Sequence[str] | None = None) -> Answer:
        question = question.strip()
        if not question:
            raise AgreementsError("the question is empty")
        records = self.store.records()  # read once per question: the registry may be large
        scope = self._scope(agreements, records)
        result: Answer = self.chain(scope, records).invoke(question)
        return result

    def chain(
        self, scope: list[str], records: list[AgreementRecord] | None = None
    ) -> Runnable[str, Answer]:
        """The answering pipeline as a LangChain runnable, for one agreement scope."""
        in_scope = {r.name: r for r in records or self.store.records() if r.name in scope}
        retriever = HybridRetriever(
            store=self.store,
            embedder=self.embedder,
            lexical=self._lexical,
            agreements=scope,
            versions=[r.version for r in in_scope.values()],
            whole_index=records is not None and len(in_scope) == len(records),
            k=self.settings.retrieval.k,
            candidates=self.settings.retrieval.candidates,
            rrf_k=self.settings.retrieval.rrf_k,
        )
        aliases = {name: r.parties for name, r in in_scope.items()}

        def analyze(question: str) -> dict[str, Any]:
            return {"question": question, "topics": detect_topics(question)}

        def retrieve(state: dict[str, Any]) -> dict[str, Any]:
            return {**state, "retrieved": retriever.retrieve(state["question"], state["topics"])}

        def decide_verified(state: dict[str, Any], retrieved: list[RetrievedChunk]) -> Answer:
            decided = decide(state["question"], state["topics"], retrieved, aliases)
            decided = verify_citations(decided, retrieved)
            citations = [_locate_page(c, in_scope.get(c.agreement)) for c in decided.citations]
            return _note_ocr(decided.model_copy(update={"citations": citations}))

        def answer(state: dict[str, Any]) -> Answer:
            retrieved: list[RetrievedChunk] = state["retrieved"]
            overall = decide_verified(state, retrieved)
            by_agreement = [
                decide_verified(state, group).model_copy(update={"agreements": [name]})
                for name, group in _group_by_agreement(retrieved).items()
            ]
            return overall.model_copy(
                update={
                    "agreements": scope,
                    "by_agreement": by_agreement if len(by_agreement) > 1 else [],
                }
            )

        return (
            RunnableLambda(analyze).with_config(run_name="analyze")
            | RunnableLambda(retrieve).with_config(run_name="retrieve")
            | RunnableLambda(answer).with_config(run_name="decide")
        )

    def _scope(self, agreements: Sequence[str] | None, records: list[AgreementRecord]) -> list[str]:
        known = [r.name for r in records]
        if not known:
            raise AgreementsError("no agreements are ingested yet; run `agreements ingest PATH`")
        if not agreements:
            return known
        resolved = [_resolve_name(name, known) for name in agreements]
        return list(dict.fromkeys(resolved))


def _model_identity(settings: Settings) -> str:
    # Named by configuration, not by loading the model: listing must stay cheap.
    return settings.embedding.model


def _resolve_name(name: str, known: list[str]) -> str:
    """Accept the name, or the file name it came from ("ovhcloud_dpa.md")."""
    if name in known:
        return name
    stem = Path(name).stem
    if stem in known:
        return stem
    raise UnknownAgreementError(name, known)


def _locate_page(citation: Citation, record: AgreementRecord | None) -> Citation:
    """The page the quote itself starts on, which may be later than its chunk's first page,
    and whether that page was read by OCR from a scan."""
    if record is None or not record.has_pages or citation.char_start is None:
        return citation
    page = max(1, bisect.bisect_right(record.page_starts, citation.char_start))
    return citation.model_copy(update={"page": page, "ocr": page in record.ocr_pages})


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


def _group_by_agreement(retrieved: list[RetrievedChunk]) -> dict[str, list[RetrievedChunk]]:
    """Passages per agreement, agreements in the order of their best passage."""
    groups: dict[str, list[RetrievedChunk]] = {}
    for hit in retrieved:
        groups.setdefault(hit.chunk.agreement, []).append(hit)
    return groups
