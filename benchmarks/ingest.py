"""Ingestion speed: this project against the LangChain tutorial pipeline, in the same run.

Why a same-run baseline: the machine is shared, so seconds alone drift from run to run; the
ratio ours/baseline does not. The embedding floor (only `Embedder.embed_documents` over our
own chunks) shows how much of our time is the model itself, which no pipeline can avoid:
ours/floor near 1 means structure finding and the Chroma write cost little.

Model load time is excluded everywhere: both sides get an already-loaded, warmed model.

    .venv/bin/python -m benchmarks.ingest [--corpus DIR] [--repeat N] [--out FILE]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks import _langchain
from benchmarks._common import (
    DEFAULT_CORPUS,
    BenchmarkError,
    add_out_argument,
    emit,
    environment,
    format_table,
    median,
    quiet,
    require_path,
    run_main,
)

if TYPE_CHECKING:
    from assistant.facade import AgreementAssistant

NAME = "ingest"
# The tutorial's loaders read Markdown and text with TextLoader and PDFs with PyPDFLoader, so
# both sides read exactly these files; other formats would only be measured on one side.
BASELINE_SUFFIXES = (".md", ".markdown", ".txt", ".pdf")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of agreements")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side; median kept")
    add_out_argument(parser, NAME)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def corpus_files(corpus: Path) -> list[Path]:
    """The product's own discovery, narrowed to what the tutorial's loaders can read."""
    from assistant.facade import AgreementAssistant

    files = [
        p
        for p in AgreementAssistant.files_to_ingest([corpus])
        if p.suffix.lower() in BASELINE_SUFFIXES
    ]
    if not files:
        raise BenchmarkError(f"no .md, .txt or .pdf files under {corpus}")
    return files


def run_ours(files: list[Path], workdir: Path) -> tuple[float, int]:
    """AgreementAssistant.ingest into a fresh home: load, structure, chunk, embed, write."""
    from assistant.facade import AgreementAssistant
    from assistant.settings import Settings

    home = Path(tempfile.mkdtemp(prefix="ours-", dir=workdir))
    helper = AgreementAssistant(Settings(home=home))
    start = time.perf_counter()
    report = helper.ingest(files)
    elapsed = time.perf_counter() - start
    if report.failed:
        errors = "; ".join(r.error or r.source for r in report.failed)
        raise BenchmarkError(f"this project failed to ingest: {errors}")
    return elapsed, sum(r.chunks for r in report.results)


def run_baseline(files: list[Path], embeddings: Any, workdir: Path) -> tuple[float, list[Any]]:
    """The LangChain RAG tutorial: load, split 1000/200, embed, Chroma.from_documents."""
    persist = Path(tempfile.mkdtemp(prefix="langchain-", dir=workdir))
    splitter = _langchain.text_splitter(chunk_size=1000, chunk_overlap=200)
    start = time.perf_counter()
    docs = _langchain.load_documents(files)
    splits: list[Any] = splitter.split_documents(docs)
    _langchain.chroma_from_documents(splits, embeddings, str(persist))
    return time.perf_counter() - start, splits


def parse_all(helper: AgreementAssistant, files: list[Path]) -> list[list[str]]:
    """Our chunks' embedding texts per file, computed untimed for the embedding floor."""
    return [helper.read_agreement(path).embedding_texts() for path in files]


def run_floor(helper: AgreementAssistant, texts: list[list[str]]) -> float:
    """Only the model: one embed_documents call per file, as ingestion makes them."""
    embedder = helper.embedder
    start = time.perf_counter()
    for batch in texts:
        embedder.embed_documents(batch)
    return time.perf_counter() - start


def over_window(helper: AgreementAssistant, texts: list[str]) -> int:
    """Texts longer than the model reads: their tail is silently not embedded."""
    embedder = helper.embedder
    window = embedder.max_tokens - 2  # [CLS] and [SEP] take two of the positions
    return sum(1 for t in texts if embedder.count_tokens(t) > window)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    quiet()
    args = parse_args(argv)
    corpus = require_path(args.corpus, "the corpus folder", "--corpus")
    files = corpus_files(corpus)

    from assistant.facade import AgreementAssistant

    # Load and warm both models before any timing: load time is not ingestion time. This
    # helper's index is never written; it parses and embeds for the floor.
    helper = AgreementAssistant()
    helper.embedder.embed_documents(["warm-up"])
    model_path = helper.embedder.model_path
    baseline_embeddings, embeddings_source = _langchain.huggingface_embeddings(model_path)
    baseline_embeddings.embed_documents(["warm-up"])

    texts = parse_all(helper, files)
    ours_s: list[float] = []
    baseline_s: list[float] = []
    floor_s: list[float] = []
    ours_chunks = 0
    splits: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        workdir = Path(tmp)
        for round_no in range(args.repeat):
            # Alternate the order so that drift on a shared machine does not favour one side.
            order = ["ours", "baseline", "floor"]
            if round_no % 2:
                order.reverse()
            for side in order:
                if side == "ours":
                    seconds, ours_chunks = run_ours(files, workdir)
                    ours_s.append(seconds)
                elif side == "baseline":
                    seconds, splits = run_baseline(files, baseline_embeddings, workdir)
                    baseline_s.append(seconds)
                else:
                    floor_s.append(run_floor(helper, texts))

    ours, baseline, floor = median(ours_s), median(baseline_s), median(floor_s)
    our_texts = [t for batch in texts for t in batch]
    split_texts = [str(s.page_content) for s in splits]
    result: dict[str, Any] = {
        "benchmark": NAME,
        "corpus": str(corpus),
        "files": len(files),
        "repeat": args.repeat,
        "model": model_path,
        "model_load_excluded": True,
        "baseline": {
            "recipe": "TextLoader(.md/.txt) / PyPDFLoader(.pdf) -> RecursiveCharacterTextSplitter"
            "(1000, 200) -> HuggingFaceEmbeddings(normalize) -> Chroma.from_documents",
            "embeddings_class": embeddings_source,
        },
        "seconds": {
            "ours": ours,
            "baseline": baseline,
            "floor": floor,
            "ours_runs": ours_s,
            "baseline_runs": baseline_s,
            "floor_runs": floor_s,
        },
        "ratios": {"ours_over_baseline": ours / baseline, "ours_over_floor": ours / floor},
        "chunks": {
            "ours": ours_chunks,
            "baseline": len(splits),
            "ours_mean_chars": sum(map(len, our_texts)) / max(1, len(our_texts)),
            "baseline_mean_chars": sum(map(len, split_texts)) / max(1, len(split_texts)),
            "ours_over_model_window": over_window(helper, our_texts),
            "baseline_over_model_window": over_window(helper, split_texts),
        },
        "environment": environment(),
    }
    rows = [
        ["ours (AgreementAssistant.ingest)", ours, ours_chunks, 1.0],
        ["baseline (LangChain tutorial)", baseline, len(splits), baseline / ours],
        ["floor (embed_documents only)", floor, len(our_texts), floor / ours],
    ]
    table = format_table(["pipeline", "seconds (median)", "chunks", "x ours"], rows)
    table += (
        f"\n\nours/baseline = {ours / baseline:.2f}   ours/floor = {ours / floor:.2f}"
        f"   ({len(files)} files, median of {args.repeat}, model load excluded)"
        f"\nchunks past the model's window (tail not embedded): ours "
        f"{result['chunks']['ours_over_model_window']}, baseline "
        f"{result['chunks']['baseline_over_model_window']} of {len(splits)}"
    )
    emit(result, table, args.out)
    return result


if __name__ == "__main__":
    run_main(main)
