"""Asking every question of a suite through the facade, as a user would, and timing it.

The run gets a store of its own in a temporary folder: scores must not depend on whatever the
user happens to have indexed, and the user's index must not gain the benchmark's agreements.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.settings import Settings, StoreSettings
from assistant.types import Answer, Citation, IngestListener
from eval.cases import EvalCase, EvalSuite, Span
from eval.textnorm import NormalizedText, locate, normalize_with_map

logger = logging.getLogger(__name__)

QuestionCallback = Callable[[EvalCase], None]


@dataclass(frozen=True)
class CaseResult:
    """The answer to one question, the spans it cited and how long it took."""

    case: EvalCase
    answer: Answer
    latency_ms: float
    cited: list[Span]


@dataclass(frozen=True)
class RunOutput:
    results: list[CaseResult]
    ingest_seconds: float
    model_load_seconds: float
    settings: Settings


def run_settings(home: Path, k: int) -> Settings:
    """The user's settings (model, chunking) with a private embedded store and depth k.

    A configured Chroma server is dropped on purpose: the run must not write into a shared index.
    """
    base = Settings(home=home, store=StoreSettings())
    retrieval = base.retrieval.model_copy(
        update={"k": k, "candidates": max(base.retrieval.candidates, k)}
    )
    settings = Settings(home=home, store=StoreSettings(), retrieval=retrieval)
    return settings


def run_suite(
    suite: EvalSuite,
    k: int,
    on_event: IngestListener | None = None,
    on_question: QuestionCallback | None = None,
) -> RunOutput:
    """Ingest the suite's agreements into a fresh store and answer every question."""
    with tempfile.TemporaryDirectory(prefix="agreements-eval-", ignore_cleanup_errors=True) as home:
        settings = run_settings(Path(home), k)
        assistant = AgreementAssistant(settings)
        started = time.perf_counter()
        _ = assistant.embedder  # loaded apart, so ingest time is ingestion alone
        model_load = time.perf_counter() - started
        started = time.perf_counter()
        report = assistant.ingest(list(suite.files.values()), on_event=on_event)
        ingest_seconds = time.perf_counter() - started
        if report.failed:
            failed = "; ".join(r.error or r.source for r in report.failed)
            raise AgreementsError(f"agreements of the set could not be ingested: {failed}")
        locator = _CitationLocator(suite.texts)
        results = []
        for case in suite.cases:
            started = time.perf_counter()
            answer = assistant.ask(case.question, [case.agreement])
            latency_ms = (time.perf_counter() - started) * 1000.0
            results.append(CaseResult(case, answer, latency_ms, locator.spans(answer.citations)))
            if on_question is not None:
                on_question(case)
        logger.info("answered %d questions", len(results))
        return RunOutput(results, ingest_seconds, model_load, settings)


class _CitationLocator:
    """Citation spans from their offsets, or by finding the quote when a citation has none."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts
        self._normalized: dict[str, NormalizedText] = {}

    def spans(self, citations: list[Citation]) -> list[Span]:
        """One span per citation; one that cannot be located is empty, so it still counts
        as a citation (against precision) but overlaps nothing."""
        return [self._span(c) or Span(c.agreement, 0, 0) for c in citations]

    def _span(self, citation: Citation) -> Span | None:
        if citation.char_start is not None and citation.char_end is not None:
            return Span(citation.agreement, citation.char_start, citation.char_end)
        text = self._texts.get(citation.agreement)
        if text is None:
            return None
        if citation.agreement not in self._normalized:
            self._normalized[citation.agreement] = normalize_with_map(text)
        located = locate(self._normalized[citation.agreement], citation.quote)
        if located is None:
            logger.warning("citation %s not found in its agreement", citation.chunk_id)
            return None
        return Span(citation.agreement, *located)
