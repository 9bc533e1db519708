"""Retrieval quality on ContractNLI dev: this project's hybrid retriever against the
LegalBench-RAG recipe (fixed 500-character chunks, dense only, same model), in the same run.

Why ContractNLI: its hypotheses are the kind of question users ask of a clause ("Receiving
Party may share some Confidential Information with third parties") and every answerable one
has human-marked evidence spans, so retrieval can be scored by characters, whatever the chunking.

For each document, the questions are its hypotheses labelled Entailment or Contradiction
(NotMentioned has no evidence); each document is searched on its own (our `ask` is scoped to
the document, the baseline ranks only that document's chunks).

Metrics at k = 1, 3, 5, 10, averaged over questions:
- hit@k: some retrieved chunk covers at least half of some evidence span's characters;
- recall@k: the share of evidence characters covered by the top k chunks;
- precision@k: the share of the top k chunks' characters that are evidence;
- chars@k: characters handed on (bigger chunks buy recall with context size);
- MRR: 1 / rank of the first chunk that hits (within the top 10).

A document the product cannot ingest within --doc-timeout is listed and left out of both
sides; a question that times out scores as an empty retrieval (the user got nothing).

    .venv/bin/python -m benchmarks.contractnli [--data dev.json] [--limit-docs N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import _langchain
from benchmarks._common import (
    DEFAULT_CONTRACTNLI,
    BenchmarkError,
    TimeLimitExceeded,
    add_out_argument,
    emit,
    environment,
    format_table,
    quiet,
    require_path,
    run_main,
    time_limit,
)

NAME = "contractnli"
KS = (1, 3, 5, 10)
LABELS = ("Entailment", "Contradiction")
Span = tuple[int, int]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.contractnli",
        description=__doc__.splitlines()[0] if __doc__ else "",
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_CONTRACTNLI, help="ContractNLI dev.json"
    )
    parser.add_argument("--limit-docs", type=int, default=None, help="only the first N documents")
    parser.add_argument(
        "--doc-timeout",
        type=float,
        default=60.0,
        help="seconds allowed to ingest one document or answer one question (0: no limit)",
    )
    add_out_argument(parser, NAME)
    args = parser.parse_args(argv)
    if args.limit_docs is not None and args.limit_docs < 1:
        parser.error("--limit-docs must be at least 1")
    return args


# --- character-span arithmetic -------------------------------------------------------------
def merge(spans: list[Span]) -> list[Span]:
    """Union of spans as sorted, disjoint spans (overlapping chunks count once)."""
    merged: list[Span] = []
    for s, e in sorted(x for x in spans if x[1] > x[0]):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def length(spans: list[Span]) -> int:
    return sum(e - s for s, e in spans)


def overlap(a: list[Span], b: list[Span]) -> int:
    """Characters in both unions; both lists must be merged (sorted, disjoint)."""
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def hits(chunk: Span, evidence: list[Span]) -> bool:
    """The chunk covers at least half of some evidence span's characters."""
    return any(2 * overlap([chunk], [span]) >= span[1] - span[0] for span in evidence)


def score(retrieved: list[Span], evidence: list[Span]) -> dict[str, float]:
    gold = merge(evidence)
    gold_chars = max(1, length(gold))
    out: dict[str, float] = {}
    for k in KS:
        top = merge(retrieved[:k])
        covered = overlap(top, gold)
        out[f"hit@{k}"] = float(any(hits(c, evidence) for c in retrieved[:k]))
        out[f"recall@{k}"] = covered / gold_chars
        out[f"precision@{k}"] = covered / length(top) if top else 0.0
        out[f"chars@{k}"] = float(length(top))
    first = next((rank for rank, c in enumerate(retrieved, 1) if hits(c, evidence)), None)
    out["mrr"] = 1.0 / first if first is not None and first <= max(KS) else 0.0
    return out


def average(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]}


# --- data ------------------------------------------------------------------------------------
@dataclass
class Question:
    hypothesis: str
    label: str
    evidence: list[Span]


@dataclass
class Document:
    name: str
    text: str  # normalized exactly as our loader normalizes it: offsets index into this
    questions: list[Question] = field(default_factory=list)


def remap(raw: str, normalized: str, span: Span) -> Span:
    """A raw-text span in normalized-text offsets.

    Normalizing removes or merges characters (\\r\\n, invisibles, NFC), so offsets move; the
    normalized prefix length is where the span now starts.
    """
    if raw == normalized:
        return span
    from assistant.facade import AgreementAssistant

    normalize_text = AgreementAssistant.normalize_text
    return len(normalize_text(raw[: span[0]])), len(normalize_text(raw[: span[1]]))


def load_documents(data: Path, limit: int | None) -> tuple[list[Document], dict[str, int]]:
    from assistant.facade import AgreementAssistant

    normalize_text = AgreementAssistant.normalize_text

    try:
        raw = json.loads(data.read_text(encoding="utf-8"))
        hypotheses = {key: str(v["hypothesis"]) for key, v in raw["labels"].items()}
        items = raw["documents"][:limit] if limit else raw["documents"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BenchmarkError(f"{data} is not ContractNLI data ({exc})") from exc
    stats = {"changed_by_normalization": 0, "span_mismatches": 0, "spans": 0}
    documents: list[Document] = []
    for item in items:
        text = str(item["text"])
        normalized = normalize_text(text)
        if normalized != text:
            stats["changed_by_normalization"] += 1
        spans = [(int(s), int(e)) for s, e in item["spans"]]
        doc = Document(name=f"cnli_{item['id']}", text=normalized)
        for key, annotation in item["annotation_sets"][0]["annotations"].items():
            if annotation["choice"] not in LABELS or not annotation["spans"]:
                continue
            evidence = []
            for index in annotation["spans"]:
                s, e = remap(text, normalized, spans[index])
                stats["spans"] += 1
                if normalized[s:e].strip() != normalize_text(text[slice(*spans[index])]).strip():
                    stats["span_mismatches"] += 1
                evidence.append((s, e))
            doc.questions.append(Question(hypotheses[key], annotation["choice"], evidence))
        documents.append(doc)
    return documents, stats


# --- the two retrievers ----------------------------------------------------------------------
def run_ours(documents: list[Document], workdir: Path, limit: float) -> dict[str, Any]:
    """Each document as a .txt agreement in one fresh index; `ask` scoped to the document.

    Documents are ingested one at a time under a time limit, so that one input the product
    chokes on is reported (and left out of both sides) instead of hanging the run.
    """
    from assistant.errors import AgreementsError
    from assistant.facade import AgreementAssistant
    from assistant.settings import Settings

    folder = workdir / "docs"
    folder.mkdir()
    helper = AgreementAssistant(Settings(home=workdir / "home"))
    failed: dict[str, str] = {}
    per_doc: dict[str, float] = {}
    chunks = 0
    for doc in documents:
        path = folder / f"{doc.name}.txt"
        path.write_text(doc.text, encoding="utf-8")
        start = time.perf_counter()
        try:
            with time_limit(limit):
                report = helper.ingest([path])
        except TimeLimitExceeded as exc:
            failed[doc.name] = f"ingestion {exc}"
            continue
        finally:
            per_doc[doc.name] = time.perf_counter() - start
        if report.failed:
            failed[doc.name] = report.failed[0].error or "failed"
        chunks += sum(r.chunks for r in report.results)
    rows: list[dict[str, float]] = []
    offset_mismatches = 0
    errors = 0
    timeouts = 0
    start = time.perf_counter()
    for doc in documents:
        if doc.name in failed:
            continue
        for question in doc.questions:
            try:
                with time_limit(limit):
                    answer = helper.ask(question.hypothesis, [doc.name])
            except (AgreementsError, TimeLimitExceeded) as exc:
                # The user got no passages: scored as an empty retrieval, and counted.
                timeouts += isinstance(exc, TimeLimitExceeded)
                errors += isinstance(exc, AgreementsError)
                rows.append(score([], question.evidence))
                continue
            spans = []
            for hit in answer.retrieved:
                chunk = hit.chunk
                if doc.text[chunk.start : chunk.end] != chunk.text:
                    offset_mismatches += 1
                spans.append((chunk.start, chunk.end))
            rows.append(score(spans, question.evidence))
    slowest = sorted(per_doc.items(), key=lambda kv: -kv[1])[:3]
    return {
        "ingest_seconds": sum(per_doc.values()),
        "ask_seconds": time.perf_counter() - start,
        "slowest_ingest_seconds": dict(slowest),
        "failed_documents": failed,
        "ask_errors": errors,
        "ask_timeouts": timeouts,
        "chunk_offset_mismatches": offset_mismatches,
        "chunks": chunks,
        "rows": rows,
    }


def run_baseline(documents: list[Document], skip: set[str]) -> dict[str, Any]:
    """LegalBench-RAG: RecursiveCharacterTextSplitter(500, 0), dense cosine top-k."""
    from assistant.facade import AgreementAssistant

    embedder = AgreementAssistant().embedder
    splitter = _langchain.text_splitter(chunk_size=500, chunk_overlap=0)
    rows: list[dict[str, float]] = []
    chunks_total = 0
    index_seconds = 0.0
    query_seconds = 0.0
    for doc in documents:
        if doc.name in skip:
            continue
        start = time.perf_counter()
        pieces = splitter.create_documents([doc.text])
        spans = [
            (int(p.metadata["start_index"]), int(p.metadata["start_index"]) + len(p.page_content))
            for p in pieces
        ]
        vectors = embedder.embed_documents([str(p.page_content) for p in pieces])
        index_seconds += time.perf_counter() - start
        chunks_total += len(pieces)
        start = time.perf_counter()
        for question in doc.questions:
            sims = vectors @ embedder.embed_query(question.hypothesis)
            order = np.argsort(-sims, kind="stable")[: max(KS)]
            rows.append(score([spans[i] for i in order], question.evidence))
        query_seconds += time.perf_counter() - start
    return {
        "index_seconds": index_seconds,
        "query_seconds": query_seconds,
        "chunks": chunks_total,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    quiet()
    args = parse_args(argv)
    data = require_path(args.data, "ContractNLI dev.json", "--data")
    started = time.perf_counter()
    documents, stats = load_documents(data, args.limit_docs)

    from assistant.facade import AgreementAssistant

    AgreementAssistant().embedder.embed_documents(["warm-up"])  # load time is not measured
    with tempfile.TemporaryDirectory(prefix="bench-contractnli-") as tmp:
        ours = run_ours(documents, Path(tmp), args.doc_timeout)
    baseline = run_baseline(documents, set(ours["failed_documents"]))
    ours_metrics = average(ours.pop("rows"))
    baseline_metrics = average(baseline.pop("rows"))
    questions = sum(len(d.questions) for d in documents if d.name not in ours["failed_documents"])
    result: dict[str, Any] = {
        "benchmark": NAME,
        "data": str(data),
        "documents": len(documents),
        "questions": questions,
        "labels": list(LABELS),
        "normalization": stats,
        "ours": {
            "retriever": "AgreementAssistant.ask(hypothesis, [document]).retrieved "
            "(clause chunks, dense + BM25, RRF)",
            "metrics": ours_metrics,
            **ours,
        },
        "baseline": {
            "retriever": "RecursiveCharacterTextSplitter(500, 0), dense cosine, same model",
            "metrics": baseline_metrics,
            **baseline,
        },
        "total_seconds": time.perf_counter() - started,
        "environment": environment(),
    }
    metric_names = [
        *(f"hit@{k}" for k in KS),
        *(f"recall@{k}" for k in KS),
        *(f"precision@{k}" for k in KS),
        *(f"chars@{k}" for k in KS),
        "mrr",
    ]
    rows = [
        [m, ours_metrics.get(m, float("nan")), baseline_metrics.get(m, float("nan"))]
        for m in metric_names
    ]
    table = format_table(["metric", "ours (hybrid)", "LegalBench-RAG (500/0 dense)"], rows)
    table += (
        f"\n\n{len(documents)} documents, {questions} questions; chunks: ours "
        f"{ours['chunks']}, baseline {baseline['chunks']}; ingest {ours['ingest_seconds']:.1f} s"
        f" + ask {ours['ask_seconds']:.1f} s vs baseline index {baseline['index_seconds']:.1f} s"
        f" + query {baseline['query_seconds']:.1f} s; total {result['total_seconds']:.0f} s"
    )
    if (
        ours["failed_documents"]
        or ours["ask_timeouts"]
        or ours["chunk_offset_mismatches"]
        or stats["span_mismatches"]
    ):
        table += (
            f"\nwarnings: {len(ours['failed_documents'])} documents failed to ingest (left out "
            f"of both sides), {ours['ask_timeouts']} questions timed out, "
            f"{ours['chunk_offset_mismatches']} chunk offset mismatches, "
            f"{stats['span_mismatches']} evidence spans not found after normalization"
        )
        for name, error in ours["failed_documents"].items():
            table += f"\n  {name}: {error}"
    emit(result, table, args.out)
    return result


if __name__ == "__main__":
    run_main(main)
