"""Does a local language model answer better than the judges? Side by side on labeled sets.

For each labeled set (the dev set of ../shared/eval and the check split of eval/splits.yaml)
the evaluation of `agreements eval` runs three times in fresh stores: with the extractive
judge, with the learned judge, and with a chat model answering and the learned judge as its
fallback and second opinion. The model is a GGUF file served in this process by llama.cpp
(xllamacpp) as an OpenAI-compatible endpoint on loopback, reached through
AGREEMENTS_LLM__BASE_URL exactly as a user's server would be. By default it is
Qwen2.5-Coder-1.5B-Instruct (`make qwen` puts it in models/).

Reported per set and answerer: accuracy, citation precision and recall, latency, the four
failure categories; for the model run also how often the model's answer was used, why it was
not (fallback reasons), and, on the questions where model and judge disagreed, who was right.

    .venv/bin/python -m benchmarks.llm_answers [--model FILE] [--sets dev,check] [--limit N]

Not a CI gate: about 15 s per question for the model on two cores.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks._common import (
    REPO,
    SHARED,
    BenchmarkError,
    add_out_argument,
    emit,
    environment,
    format_table,
    quiet,
    require_path,
    run_main,
)

NAME = "llm_answers"
DEFAULT_MODEL = REPO / "models" / "qwen2.5-coder-1.5b-instruct.gguf"
DEV_SET = SHARED / "eval" / "dev.yaml"
ANSWERERS = ("extractive", "learned", "llm")
# Per question, what the JSON keeps (the run folders with everything are temporary).
_KEPT = ("id", "expected", "answer", "answerer", "fallback", "opinions", "latency_ms")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.llm_answers", description=__doc__)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="a GGUF file")
    parser.add_argument("--sets", default="dev,check", help="dev and/or check, comma-separated")
    parser.add_argument("--limit", type=int, default=None, help="first N questions of each set")
    parser.add_argument("--passages", type=int, default=4, help="passages shown to the model")
    parser.add_argument("--passage-chars", type=int, default=1200, help="cut of each passage")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per model reply")
    parser.add_argument("--k", type=int, default=10)
    add_out_argument(parser, NAME)
    return parser.parse_args(argv)


def load_set(name: str) -> Any:
    from eval.labels import load_split_suite
    from eval.questions import load_question_set

    if name == "dev":
        path = require_path(DEV_SET, "the dev question set", "(no flag: ../shared/eval)")
        return load_question_set(path, SHARED / "corpus")
    if name == "check":
        return load_split_suite("check")
    raise BenchmarkError(f"unknown set {name!r}; dev or check")


@contextmanager
def environment_for(answerer: str, base_url: str, args: argparse.Namespace) -> Iterator[None]:
    """The run's settings come from the environment (eval.runner.run_settings)."""
    values = {"AGREEMENTS_ANSWERING__ANSWERER": "learned" if answerer == "llm" else answerer}
    if answerer == "llm":
        values |= {
            "AGREEMENTS_LLM__MODEL": args.model.stem,
            "AGREEMENTS_LLM__BASE_URL": base_url,
            "AGREEMENTS_LLM__PASSAGES": str(args.passages),
            "AGREEMENTS_LLM__PASSAGE_CHARS": str(args.passage_chars),
            "AGREEMENTS_LLM__TIMEOUT_SECONDS": str(args.timeout),
        }
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def model_figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """How the model's answers fared: used or not, and who was right when the two differed."""
    used = [r for r in results if r["answerer"].startswith("llm:") and not r["fallback"]]
    reasons = Counter(r["fallback"] for r in results if r["fallback"])
    with_both = [r for r in results if len(r["opinions"]) >= 2 and r["expected"] is not None]
    model_right = sum(r["opinions"][0]["verdict"] == r["expected"] for r in with_both)
    judge_right = sum(r["opinions"][1]["verdict"] == r["expected"] for r in with_both)
    differed = [r for r in with_both if r["opinions"][0]["verdict"] != r["opinions"][1]["verdict"]]
    return {
        "model_answer_used": len(used),
        "questions": len(results),
        "fallback_reasons": dict(reasons.most_common()),
        "model_verdict_accuracy": model_right / len(with_both) if with_both else None,
        "judge_verdict_accuracy": judge_right / len(with_both) if with_both else None,
        "disagreements": len(differed),
        "disagreements_model_right": sum(
            r["opinions"][0]["verdict"] == r["expected"] for r in differed
        ),
        "disagreements_judge_right": sum(
            r["opinions"][1]["verdict"] == r["expected"] for r in differed
        ),
    }


def run_one(suite: Any, answerer: str, base_url: str, args: argparse.Namespace) -> dict[str, Any]:
    from eval.failures import failure_counts
    from eval.run import evaluate

    with environment_for(answerer, base_url, args), tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        report = evaluate(suite, Path(out), args.k, f"{NAME} {suite.name} {answerer}")
        seconds = time.perf_counter() - started
    results = report["results"]
    figures = {
        "answer_accuracy": report["answer_accuracy"],
        "citation_precision": report["citation_precision"],
        "citation_recall": report["citation_recall"],
        "latency_ms": report["latency_ms"],
        "failures": failure_counts(results),
        "seconds": seconds,
        "results": [
            {key: r[key] for key in _KEPT} for r in results
        ],
    }
    if answerer == "llm":
        figures["model"] = model_figures(results)
    print(f"{suite.name} {answerer}: accuracy {report['answer_accuracy']}, "
          f"{seconds:.0f} s", flush=True)  # fmt: skip
    return figures


def main(argv: list[str] | None = None) -> dict[str, Any]:
    quiet()
    args = parse_args(argv)
    model = require_path(args.model, "the GGUF model (`make qwen` fetches Qwen2.5)", "--model")
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    suites = {name: load_set(name) for name in names}
    for suite in suites.values():
        if args.limit:
            suite.cases[:] = suite.cases[: args.limit]
    from benchmarks.local_model import LocalModelServer

    runs: dict[str, dict[str, Any]] = {}
    with LocalModelServer(model, context=8192, threads=args.threads) as server:
        for name, suite in suites.items():
            runs[name] = {a: run_one(suite, a, server.base_url, args) for a in ANSWERERS}
    result: dict[str, Any] = {
        "benchmark": NAME,
        "model": str(model),
        "passages": args.passages,
        "passage_chars": args.passage_chars,
        "limit": args.limit,
        "sets": runs,
        "environment": environment(),
    }
    emit(result, render(runs), args.out)
    return result


def render(runs: dict[str, dict[str, Any]]) -> str:
    headers = ["set", "answerer", "accuracy", "cit. precision", "cit. recall", "p50 s", "p95 s",
               "wrong party", "false silent", "invented", "retrieval miss"]  # fmt: skip
    rows = []
    for name, by_answerer in runs.items():
        for answerer, run in by_answerer.items():
            failures = list(run["failures"].values())
            rows.append([name, answerer, run["answer_accuracy"], run["citation_precision"],
                         run["citation_recall"], run["latency_ms"]["p50"] / 1000,
                         run["latency_ms"]["p95"] / 1000, *failures])  # fmt: skip
    lines = [format_table(headers, rows), ""]
    for name, by_answerer in runs.items():
        model = by_answerer["llm"]["model"]
        lines.append(
            f"{name}: the model's answer was used for {model['model_answer_used']} of "
            f"{model['questions']} questions; fallbacks: {model['fallback_reasons'] or 'none'}; "
            f"model verdict right {_share(model['model_verdict_accuracy'])}, judge "
            f"{_share(model['judge_verdict_accuracy'])}; they disagreed on "
            f"{model['disagreements']} (model right {model['disagreements_model_right']}, "
            f"judge right {model['disagreements_judge_right']})"
        )
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


if __name__ == "__main__":
    run_main(main)
