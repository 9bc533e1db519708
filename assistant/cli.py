"""`agreements`: ingest, list, remove and ask from the command line.

A user's mistake (bad file, unknown agreement) is one clear line on stderr and a non-zero
exit code, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.rendering import answer_to_json, render_answer
from assistant.settings import Settings
from eval.cases import EvalCase, EvalSuite
from eval.contractnli import build_suite
from eval.questions import load_question_set
from eval.run import evaluate
from ingest.pipeline import FileOutcome, FileStatus, discover_files

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Ask who holds a duty in your cloud agreements, with the clauses quoted.",
)
out = Console()
err = Console(stderr=True)


@app.callback()
def _configure(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="-v info, -vv debug")
    ] = 0,
) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _assistant() -> AgreementAssistant:
    return AgreementAssistant(Settings())


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Agreement files or folders.")],
    name: Annotated[str | None, typer.Option(help="Name for a single file.")] = None,
) -> None:
    """Parse, embed and index agreements (PDF, DOCX, HTML, Markdown, text)."""
    assistant = _assistant()
    total = len(discover_files(paths))
    failures: list[FileOutcome] = []
    with Progress(
        TextColumn("[bold]Ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=False,
    ) as progress:
        task = progress.add_task("", total=total)
        ocr_tasks: dict[Path, TaskID] = {}

        def on_file(outcome: FileOutcome) -> None:
            progress.advance(task)
            progress.update(task, description=outcome.path.name)
            if outcome.path in ocr_tasks:
                progress.remove_task(ocr_tasks.pop(outcome.path))
            if outcome.status is FileStatus.FAILED:
                failures.append(outcome)
                progress.console.print(f"[red]error[/red] {outcome.error}", highlight=False)

        def on_ocr_page(path: Path, done: int, pages: int) -> None:
            # A scan reads at seconds a page: its pages get a bar of their own.
            if path not in ocr_tasks:
                ocr_tasks[path] = progress.add_task(f"OCR {path.name}", total=pages)
            progress.update(ocr_tasks[path], completed=done)
            if done == pages:
                progress.console.print(f"OCR {path.name}: {pages} scanned page(s) read")

        report = assistant.ingest(paths, name=name, on_file=on_file, on_ocr_page=on_ocr_page)
    counts = {s: len(report.of(s)) for s in FileStatus}
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    out.print(f"{len(report.outcomes)} file(s): {summary or 'nothing to do'}", highlight=False)
    if failures:
        raise typer.Exit(code=1)


@app.command("list")
def list_agreements(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the agreements in the index."""
    records = _assistant().agreements()
    if as_json:
        rows = [
            {
                "name": r.name,
                "title": r.title,
                "format": r.format,
                "chunks": r.chunk_count,
                "pages": len(r.page_starts) if r.has_pages else None,
                "ocr_pages": r.ocr_pages,
                "source": r.source_path,
                "customer": r.parties.customer,
                "provider": r.parties.provider,
            }
            for r in records
        ]
        out.print_json(json.dumps(rows))
        return
    if not records:
        out.print("No agreements yet. Add some with `agreements ingest PATH`.")
        return
    for r in records:
        scanned = f" ({len(r.ocr_pages)} by OCR)" if r.ocr_pages else ""
        pages = f"\t{len(r.page_starts)} pages{scanned}" if r.has_pages else ""
        line = f"{r.name}\t{r.format}{pages}\t{r.chunk_count} chunks\t{r.source_path}"
        out.print(line, highlight=False)


@app.command()
def remove(name: Annotated[str, typer.Argument(help="The agreement's name.")]) -> None:
    """Remove an agreement and all its clauses from the index."""
    _assistant().remove(name)
    out.print(f"removed {name}", highlight=False)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help='e.g. "Who handles backups?"')],
    agreement: Annotated[
        list[str] | None, typer.Option("--agreement", "-a", help="Limit to these agreements.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Ask which party holds a duty; the deciding clauses are quoted."""
    answer = _assistant().ask(question, agreement)
    if as_json:
        sys.stdout.write(json.dumps(answer_to_json(answer), indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(render_answer(answer), highlight=False, soft_wrap=True)


@app.command("eval")
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
) -> None:
    """Score the assistant on labeled questions in a fresh store of its own."""
    if (questions is None) == (contractnli is None):
        raise AgreementsError("give exactly one of --questions SET.yaml or --contractnli FILE.json")
    if questions is not None:
        suite = load_question_set(questions, corpus or questions.parent)
        source = str(questions)
    else:
        assert contractnli is not None
        suite = build_suite(contractnli, out_dir / "documents", limit_docs)
        source = str(contractnli)
    report = _run_eval(suite, out_dir, k, source, compare)
    _print_eval_summary(report, out_dir)


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

        def on_file(outcome: FileOutcome) -> None:
            progress.update(files, advance=1, description=outcome.path.name)

        def on_question(case: EvalCase) -> None:
            progress.update(asked, advance=1, description=case.id)

        return evaluate(suite, out_dir, k, source, compare, on_file, on_question)


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


def main() -> None:
    try:
        app()
    except AgreementsError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
