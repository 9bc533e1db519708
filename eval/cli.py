"""`agreements eval`: score the assistant on a labeled question set or ContractNLI.

Registered into the `agreements` command through the `agreements.commands` entry point, so
the other commands never import the evaluation (nor matplotlib, which its plots need).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.errors import AgreementsError
from assistant.settings import ANSWERERS
from assistant.types import FileIngested, IngestEvent
from eval.cases import EvalCase, EvalSuite
from eval.contractnli import build_suite
from eval.labels import load_split_suite, load_splits, split_table
from eval.questions import load_question_set
from eval.run import evaluate

out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add `eval` to the `agreements` app (once, however often it is called)."""
    if not any(command.name == "eval" for command in app.registered_commands):
        app.command("eval")(eval_command)


def eval_command(
    out_dir: Annotated[Path, typer.Option("--out", help="Run folder for report.json, .md, plots.")],
    questions: Annotated[
        Path | None, typer.Option("--questions", help="A labeled question set (YAML).")
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(help="Folder the set's agreement files are relative to (default: its own)."),
    ] = None,
    contractnli: Annotated[
        Path | None, typer.Option("--contractnli", help="A ContractNLI JSON file instead.")
    ] = None,
    k: Annotated[int, typer.Option("--k", min=1, help="Passages retrieved per question.")] = 10,
    compare: Annotated[
        Path | None, typer.Option("--compare", help="An earlier run folder to compare with.")
    ] = None,
    limit_docs: Annotated[
        int | None, typer.Option("--limit-docs", min=1, help="ContractNLI: first N documents.")
    ] = None,
    split: Annotated[
        str | None,
        typer.Option(
            "--split", help="A split of eval/splits.yaml (train, tune, check), or 'all' for each."
        ),
    ] = None,
    answerer: Annotated[
        str | None,
        typer.Option(
            "--answerer",
            help="'learned' or 'extractive' for this run (default: the settings', as "
            "AGREEMENTS_ANSWERING__ANSWERER says).",
        ),
    ] = None,
) -> None:
    """Score the assistant on labeled questions in a fresh store of its own."""
    if answerer is not None:
        if answerer not in ANSWERERS:
            raise AgreementsError(f"unknown answerer {answerer!r}; one of {', '.join(ANSWERERS)}")
        # The run's settings are read from the environment (eval.runner.run_settings).
        os.environ["AGREEMENTS_ANSWERING__ANSWERER"] = answerer
    if sum(x is not None for x in (questions, contractnli, split)) != 1:
        raise AgreementsError(
            "give exactly one of --questions SET.yaml, --contractnli FILE.json or --split NAME"
        )
    if split is not None:
        _eval_splits(split, out_dir, k, compare)
        return
    if questions is not None:
        suite = load_question_set(questions, corpus or questions.parent)
        source = str(questions)
    else:
        assert contractnli is not None
        suite = build_suite(contractnli, out_dir / "documents", limit_docs)
        source = str(contractnli)
    report = _run_eval(suite, out_dir, k, source, compare)
    _print_eval_summary(report, out_dir)


def _eval_splits(split: str, out_dir: Path, k: int, compare: Path | None) -> None:
    """One split into OUT, or with 'all' each split into OUT/<split> and a table side by side."""
    splits = load_splits()
    names = [s.name for s in splits.available()] if split == "all" else [split]
    suites = {name: load_split_suite(name, splits) for name in names}  # all valid before any run
    if split != "all":
        report = _run_eval(suites[split], out_dir, k, f"split {split}", compare)
        _print_eval_summary(report, out_dir)
        return
    reports = {}
    for name, suite in suites.items():
        other = compare / name if compare is not None else None
        reports[name] = _run_eval(suite, out_dir / name, k, f"split {name}", other)
    table = split_table(reports)
    (out_dir / "splits.md").write_text(table + "\n", encoding="utf-8")
    out.print(table, highlight=False)
    out.print(f"reports: {out_dir}/<split>/report.md, table: {out_dir / 'splits.md'}")


def _run_eval(
    suite: EvalSuite, out_dir: Path, k: int, source: str, compare: Path | None
) -> dict[str, object]:
    columns = (
        TextColumn("[bold]{task.fields[stage]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=err) as progress:
        files = progress.add_task("", total=len(suite.files), stage="Ingesting")
        asked = progress.add_task("", total=len(suite.cases), stage="Answering")

        def on_event(event: IngestEvent) -> None:
            if isinstance(event, FileIngested):
                progress.update(files, advance=1, description=Path(event.result.source).name)

        def on_question(case: EvalCase) -> None:
            progress.update(asked, advance=1, description=case.id)

        return evaluate(suite, out_dir, k, source, compare, on_event, on_question)


def _print_eval_summary(report: dict[str, object], out_dir: Path) -> None:
    keys = ("questions", "answer_accuracy", "abstention_accuracy", "evidence_hit_at",
            "evidence_char_recall_at", "mrr", "citation_precision", "citation_recall",
            "latency_ms", "ingest_seconds")
    for key in keys:
        out.print(f"{key}: {json.dumps(report.get(key))}", highlight=False)
    compared = report.get("compare")
    if isinstance(compared, dict):
        out.print(f"compared with {compared['other']}:", highlight=False)
        for key, value in {**compared["delta"], **compared["timing_delta"]}.items():
            out.print(f"  {key}: {'n/a' if value is None else f'{value:+.4f}'}", highlight=False)
        for key, ids in compared["flips"].items():
            out.print(f"  {key} ({len(ids)}): {', '.join(ids) or 'none'}", highlight=False)
    out.print(f"report: {out_dir / 'report.md'}", highlight=False)
