"""Question latency end to end (AgreementAssistant.ask: analyze, retrieve, decide, verify) as
the index grows to 1k, 10k and 100k clauses.

Why end to end: users wait for `ask`, not for a vector search, and at 100k clauses the cost
may sit anywhere (the registry read, Chroma's filtered search, the BM25 build, deciding).

The store grows with renamed copies of the corpus (`copy007_github_dpa`). Embedding 100k
clauses with the real model would take about half an hour on this machine, so by default each
corpus file is parsed and embedded once and its copies are written straight through
`ChromaStore.replace_agreement` with the same vectors, a new agreement name and re-derived
chunk ids: exactly what ingestion writes, minus the model. That is fair for latency (search
cost does not depend on which vectors are stored) though not for retrieval quality; pass
`--reembed` to ingest real file copies instead.

The BM25 index is built per agreement scope on the first question and cached, so the first
question of each scope (cold) is reported apart from the warm p50/p95.

    .venv/bin/python -m benchmarks.latency [--sizes 1000,10000,100000] [--rounds N]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks._common import (
    DEFAULT_CORPUS,
    BenchmarkError,
    add_out_argument,
    current_rss_mb,
    emit,
    environment,
    format_table,
    peak_rss_mb,
    percentile,
    quiet,
    require_path,
    run_main,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from assistant.facade import AgreementAssistant
    from assistant.types import ReadAgreement

NAME = "latency"

# Generic responsibility questions of the kind users ask, spread over the topics the
# assistant knows, so that no single topic's vocabulary decides the timing.
QUESTIONS: tuple[str, ...] = (
    "Who handles backups?",
    "Who patches the operating system?",
    "Who notifies the other party of a security breach?",
    "Who is responsible for encrypting data at rest?",
    "Who manages user accounts and passwords?",
    "Who is responsible for disaster recovery?",
    "Who must delete customer data after termination?",
    "Who engages and notifies about subprocessors?",
    "Who monitors service availability and uptime?",
    "Who responds to data subject requests?",
    "Who is responsible for the content uploaded to the service?",
    "Who pays taxes on the fees?",
    "Who must comply with export control laws?",
    "Who configures firewalls and network security?",
    "Who keeps audit logs?",
    "Who may audit the other party's security controls?",
    "Who indemnifies against third-party claims?",
    "Who provides technical support?",
    "Who is responsible for scaling capacity?",
    "Who must keep the service free of malware?",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.latency", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of agreements")
    parser.add_argument(
        "--sizes",
        default="1000,10000,100000",
        help="comma-separated clause counts; each is reached with whole agreement copies",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="times each question is asked warm (default 2)"
    )
    parser.add_argument(
        "--questions", type=int, default=len(QUESTIONS), help="use the first N questions"
    )
    parser.add_argument(
        "--reembed",
        action="store_true",
        help="ingest real file copies with the model instead of reusing vectors (slow)",
    )
    add_out_argument(parser, NAME)
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes must be comma-separated integers, e.g. 1000,10000")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one positive size")
    if args.rounds < 1 or not 1 <= args.questions <= len(QUESTIONS):
        parser.error(f"--rounds must be >= 1 and --questions within 1..{len(QUESTIONS)}")
    return args


@dataclass
class Parsed:
    """One corpus file parsed and embedded once, ready to be written under any name."""

    path: Path
    read: ReadAgreement
    vectors: NDArray[np.float32]


def parse_corpus(helper: AgreementAssistant, files: list[Path]) -> list[Parsed]:
    parsed: list[Parsed] = []
    for path in files:
        read = helper.read_agreement(path)
        vectors = helper.embedder.embed_documents(read.embedding_texts())
        parsed.append(Parsed(path, read, vectors))
    return parsed


def copies(files: list[Path]) -> Iterator[tuple[int, Path]]:
    """copy000 of every file, then copy001 of every file, and so on, without end."""
    copy_no = 0
    while True:
        for path in files:
            yield copy_no, path
        copy_no += 1


class Grower:
    """Adds whole agreement copies to one index until it holds at least N clauses."""

    def __init__(self, helper: AgreementAssistant, files: list[Path], reembed: bool, tmp: Path):
        self.helper = helper
        self.reembed = reembed
        self.tmp = tmp
        self.parsed = {} if reembed else {p.path: p for p in parse_corpus(helper, files)}
        self._next = copies(files)
        self.chunks = 0
        self.agreements = 0

    def grow_to(self, target: int) -> None:
        while self.chunks < target:
            copy_no, path = next(self._next)
            name = f"copy{copy_no:03d}_{path.stem}"
            if self.reembed:
                copy = self.tmp / f"{name}{path.suffix}"
                shutil.copyfile(path, copy)
                report = self.helper.ingest([copy])
                if report.failed:
                    raise BenchmarkError(f"could not ingest {path}: {report.failed[0].error}")
                self.chunks += sum(r.chunks for r in report.results)
            else:
                parsed = self.parsed[path]
                agreement, chunks = parsed.read.renamed(name)
                self.helper.store.replace_agreement(agreement, chunks, parsed.vectors)
                self.chunks += len(chunks)
            self.agreements += 1


def ask_timed(helper: AgreementAssistant, question: str, scope: list[str] | None) -> float:
    start = time.perf_counter()
    helper.ask(question, scope)
    return time.perf_counter() - start


def measure_scope(
    helper: AgreementAssistant, questions: list[str], scope: list[str] | None, rounds: int
) -> dict[str, Any]:
    """Cold first question (builds the scope's BM25 index), then every question warm."""
    cold = ask_timed(helper, questions[0], scope)
    warm = [ask_timed(helper, q, scope) for _ in range(rounds) for q in questions]
    return {
        "cold_ms": cold * 1000,
        "p50_ms": percentile(warm, 50) * 1000,
        "p95_ms": percentile(warm, 95) * 1000,
        "max_ms": max(warm) * 1000,
        "samples": len(warm),
    }


def python_heap_peak_mb(
    helper: AgreementAssistant, questions: list[str], scopes: list[list[str] | None]
) -> float:
    """tracemalloc peak over one more pass of warm questions.

    A separate pass because tracing slows every allocation and would distort the timings;
    it sees Python objects only, not Chroma's native (Rust) memory, hence RSS as well.
    """
    tracemalloc.start()
    try:
        for scope in scopes:
            for question in questions:
                helper.ask(question, scope)
        return tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    quiet()
    args = parse_args(argv)
    corpus = require_path(args.corpus, "the corpus folder", "--corpus")
    from assistant.facade import AgreementAssistant
    from assistant.settings import Settings

    files = AgreementAssistant.files_to_ingest([corpus])
    if not files:
        raise BenchmarkError(f"no agreement files under {corpus}")
    questions = list(QUESTIONS[: args.questions])
    started = time.perf_counter()
    sizes: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        home = Path(tmp) / "home"
        writer = AgreementAssistant(Settings(home=home))
        writer.embedder.embed_documents(["warm-up"])  # model load is not question latency
        prep_start = time.perf_counter()
        grower = Grower(writer, files, args.reembed, Path(tmp))
        prep_seconds = time.perf_counter() - prep_start
        for target in args.sizes:
            build_start = time.perf_counter()
            grower.grow_to(target)
            build_seconds = time.perf_counter() - build_start
            # A fresh assistant per size: empty BM25 cache, so the cold question really is cold.
            helper = AgreementAssistant(Settings(home=home))
            records = helper.agreements()
            largest = max(records, key=lambda r: (r.chunks, r.name))
            rss_before = current_rss_mb()
            everything = measure_scope(helper, questions, None, args.rounds)
            scoped = measure_scope(helper, questions, [largest.name], args.rounds)
            rss_after = current_rss_mb()
            heap = python_heap_peak_mb(helper, questions, [None, [largest.name]])
            sizes.append(
                {
                    "target": target,
                    "chunks": helper.store.count(),
                    "agreements": len(records),
                    "build_seconds": build_seconds,
                    "all_agreements": everything,
                    "one_agreement": {"agreement": largest.name, **scoped},
                    "memory_mb": {
                        "rss_before_questions": rss_before,
                        "rss_after_questions": rss_after,
                        "rss_high_water_mark": peak_rss_mb(),
                        "python_heap_peak_during_questions": heap,
                    },
                }
            )
            print(
                f"size {target}: {sizes[-1]['chunks']} chunks, "
                f"all p50 {everything['p50_ms']:.0f} ms, one p50 {scoped['p50_ms']:.0f} ms",
                flush=True,
            )
    result: dict[str, Any] = {
        "benchmark": NAME,
        "corpus": str(corpus),
        "files": len(files),
        "questions": len(questions),
        "rounds": args.rounds,
        "vectors_reused": not args.reembed,
        "prep_seconds": prep_seconds,
        "total_seconds": time.perf_counter() - started,
        "sizes": sizes,
        "environment": environment(),
    }
    rows: list[list[Any]] = []
    for size in sizes:
        for label, key in (("all", "all_agreements"), ("one", "one_agreement")):
            m = size[key]
            rows.append(
                [
                    size["chunks"],
                    size["agreements"],
                    label,
                    m["cold_ms"],
                    m["p50_ms"],
                    m["p95_ms"],
                    size["memory_mb"]["rss_high_water_mark"],
                    size["memory_mb"]["python_heap_peak_during_questions"],
                ]
            )
    headers = ["clauses", "agreements", "scope", "cold ms", "p50 ms", "p95 ms"]
    table = format_table([*headers, "RSS HWM MB", "py heap MB"], rows)
    table += (
        f"\n\n{len(questions)} questions x {args.rounds} rounds warm per scope; 'one' = the "
        "largest agreement. RSS HWM is process-wide and cumulative (sizes run in increasing "
        "order)."
        + ("" if args.reembed else "\nVectors reused across copies (fair for latency only).")
    )
    emit(result, table, args.out)
    return result


if __name__ == "__main__":
    run_main(main)
