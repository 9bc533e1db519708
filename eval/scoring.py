"""From a run's answers to the content of report.json (keys as eval-format.md writes them).

Every result carries its question's evidence spans, the cited spans and the retrieved passages
with their full text and offsets, so anyone can re-score a run from report.json alone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from assistant.types import Verdict
from eval import metrics
from eval.cases import EvalSuite, Span
from eval.failures import failure_category, failure_counts
from eval.runner import CaseResult, RunOutput

HIT_CUTOFFS = (1, 3, 5, 10)
LABELS: tuple[str, ...] = tuple(v.value for v in Verdict)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def build_report(suite: EvalSuite, run: RunOutput, k: int, source: str) -> dict[str, Any]:
    results = run.results
    evidence = {r.case.id: r.case.evidence_spans for r in results}
    retrieved = {r.case.id: _retrieved_spans(r) for r in results}
    cited = {r.case.id: r.cited for r in results}
    labeled = suite.kind == "questions"
    expected = {r.case.id: r.case.expected for r in results if r.case.expected is not None}
    predicted = {r.case.id: r.answer.verdict.value for r in results}
    ranks = {qid: metrics.first_hit_rank(retrieved[qid], spans) for qid, spans in evidence.items()}
    cutoffs = sorted({*HIT_CUTOFFS, k})
    latencies = [r.latency_ms for r in results]
    report: dict[str, Any] = {
        "questions": len(results),
        "answer_accuracy": _round(metrics.answer_accuracy(predicted, expected).score)
        if labeled
        else None,
        "per_label": _per_label(predicted, expected) if labeled else {},
        "confusion": metrics.confusion(predicted, expected, LABELS) if labeled else {},
        "evidence_hit_at": {
            str(c): _round(metrics.hit_at_k(retrieved, evidence, c).score) if c <= k else None
            for c in cutoffs
        },
        "evidence_char_recall_at": {
            str(c): _round(metrics.char_recall_at_k(retrieved, evidence, c).score)
            if c <= k
            else None
            for c in cutoffs
        },
        "mrr": _round(metrics.mean_reciprocal_rank(retrieved, evidence).score),
        "citation_precision": _round(metrics.citation_precision(cited, evidence).score),
        "citation_recall": _round(metrics.citation_recall(cited, evidence).score),
        "abstention_accuracy": _round(metrics.abstention_accuracy(predicted, expected).score)
        if labeled
        else None,
        "latency_ms": {
            "p50": _round(metrics.percentile(latencies, 50), 1),
            "p95": _round(metrics.percentile(latencies, 95), 1),
            "mean": _round(sum(latencies) / len(latencies), 1) if latencies else None,
            "max": _round(max(latencies), 1) if latencies else None,
        },
        "ingest_seconds": round(run.ingest_seconds, 2),
        "model_load_seconds": round(run.model_load_seconds, 2),
        "set": suite.name,
        "kind": suite.kind,
        "source": source,
        "k": k,
        "agreements": len(suite.files),
        "questions_with_evidence": sum(1 for spans in evidence.values() if spans),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {
            "embedding_model": run.settings.embedding.model,
            "chunking": run.settings.chunking.model_dump(),
            "retrieval": run.settings.retrieval.model_dump(),
            "llm": run.settings.llm.model,
            "answerer": run.settings.answering.answerer,
        },
        "curve": {
            "hit_at": {
                str(j): _round(metrics.hit_at_k(retrieved, evidence, j).score)
                for j in range(1, k + 1)
            },
            "char_recall_at": {
                str(j): _round(metrics.char_recall_at_k(retrieved, evidence, j).score)
                for j in range(1, k + 1)
            },
        },
        "results": [_result(r, ranks[r.case.id], labeled) for r in results],
    }
    report["failures"] = failure_counts(report["results"]) if labeled else {}
    scored = [r for r in results if r.case.id in expected]
    report["calibration"] = (
        metrics.calibration(
            [r.answer.confidence for r in scored],
            [predicted[r.case.id] == expected[r.case.id] for r in scored],
        )
        if labeled
        else {}
    )
    return report


def _per_label(predicted: dict[str, str], expected: dict[str, str]) -> dict[str, Any]:
    return {
        label: {
            "precision": _round(score.precision),
            "recall": _round(score.recall),
            "support": score.support,
        }
        for label, score in metrics.per_label(predicted, expected, LABELS).items()
    }


def _retrieved_spans(result: CaseResult) -> list[Span]:
    return [Span(h.chunk.agreement, h.chunk.start, h.chunk.end) for h in result.answer.retrieved]


def _result(result: CaseResult, rank: int | None, labeled: bool) -> dict[str, Any]:
    case, answer = result.case, result.answer
    return {
        "id": case.id,
        "question": case.question,
        "agreement": case.agreement,
        "topic": case.topic,
        "answer": answer.verdict.value,
        "expected": case.expected,
        "correct": answer.verdict.value == case.expected if labeled else None,
        "label": case.label,
        "detected_topic": answer.topic,
        "confidence": round(answer.confidence, 3),
        "answer_text": answer.answer,
        "first_hit_rank": rank,
        "failure": failure_category(
            {"expected": case.expected, "answer": answer.verdict.value, "first_hit_rank": rank}
        )
        if labeled
        else None,
        "latency_ms": round(result.latency_ms, 1),
        # Who answered, and with a model each answerer's verdict (benchmarks.llm_answers).
        "answerer": answer.answerer,
        "fallback": answer.fallback,
        "opinions": [
            {"answerer": o.answerer, "verdict": o.verdict.value if o.verdict else None}
            for o in answer.opinions
        ],
        "evidence": [
            {"quote": e.quote, "start": e.span.start, "end": e.span.end} for e in case.evidence
        ],
        "citations": [
            {
                "agreement": c.agreement,
                "section": c.section,
                "page": c.page,
                "quote": c.quote,
                "chunk_id": c.chunk_id,
                "start": span.start,
                "end": span.end,
            }
            for c, span in zip(answer.citations, result.cited, strict=True)
        ],
        "retrieved": [
            {
                "agreement": h.chunk.agreement,
                "section": h.chunk.section,
                "page": h.chunk.page_start,
                "text": h.chunk.text,
                "start": h.chunk.start,
                "end": h.chunk.end,
                "chunk_id": h.chunk.id,
                "score": round(h.score, 6),
            }
            for h in answer.retrieved
        ],
    }
