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
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.errors import AgreementsError
from assistant.facade import AgreementAssistant
from assistant.rendering import answer_to_json, render_answer
from assistant.settings import Settings
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

        def on_file(outcome: FileOutcome) -> None:
            progress.advance(task)
            progress.update(task, description=outcome.path.name)
            if outcome.status is FileStatus.FAILED:
                failures.append(outcome)
                progress.console.print(f"[red]error[/red] {outcome.error}", highlight=False)

        report = assistant.ingest(paths, name=name, on_file=on_file)
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
        out.print(f"{r.name}\t{r.format}\t{r.chunk_count} chunks\t{r.source_path}", highlight=False)


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


def main() -> None:
    try:
        app()
    except AgreementsError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
