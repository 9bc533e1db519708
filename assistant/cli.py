"""`agreements`: ingest, list, remove and ask from the command line.

A user's mistake (bad file, unknown agreement) is one clear line on stderr and a non-zero
exit code, never a traceback. Commands of other packages (`agreements eval`, from `eval/`)
are registered through the `agreements.commands` entry point group and imported only when
asked for, so `ask` never loads the evaluation's plotting.
"""

from __future__ import annotations

import json
import logging
import sys
from importlib.metadata import entry_points
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
from assistant.rendering import (
    answer_to_json,
    matrix_to_csv,
    matrix_to_xlsx,
    render_answer,
    render_matrix,
)
from assistant.settings import Settings
from assistant.types import FileIngested, FileResult, FileStatus, IngestEvent, OcrPageRead

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
    total = len(assistant.files_to_ingest(paths))
    if total == 0:
        shown = ", ".join(str(p) for p in paths)
        supported = ", ".join(assistant.supported_extensions())
        err.print(f"[red]error[/red] no agreement files found in {shown} (read: {supported})",
                  highlight=False, soft_wrap=True)  # fmt: skip
        raise typer.Exit(code=1)
    failures: list[FileResult] = []
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
        ocr_tasks: dict[str, TaskID] = {}

        def on_file(result: FileResult) -> None:
            progress.advance(task)
            progress.update(task, description=Path(result.source).name)
            if result.source in ocr_tasks:
                progress.remove_task(ocr_tasks.pop(result.source))
            if result.note:
                progress.console.print(
                    f"[yellow]note[/yellow] {result.source}: {result.note}",
                    highlight=False,
                    soft_wrap=True,
                )
            if result.status is FileStatus.FAILED:
                failures.append(result)
                # One line per file, never wrapped: a long path stays whole for grep and eyes.
                progress.console.print(
                    f"[red]error[/red] {result.error}", highlight=False, soft_wrap=True
                )

        def on_ocr_page(page: OcrPageRead) -> None:
            # A scan reads at seconds a page: its pages get a bar of their own.
            shown = Path(page.source).name
            if page.source not in ocr_tasks:
                ocr_tasks[page.source] = progress.add_task(f"OCR {shown}", total=page.pages)
            progress.update(ocr_tasks[page.source], completed=page.done)
            if page.done == page.pages:
                progress.console.print(
                    f"OCR {shown}: {page.pages} scanned page(s) read", soft_wrap=True
                )

        def on_event(event: IngestEvent) -> None:
            if isinstance(event, FileIngested):
                on_file(event.result)
            else:
                on_ocr_page(event)

        report = assistant.ingest(paths, name=name, on_event=on_event)
    counts = {s: len(report.of(s)) for s in FileStatus}
    summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
    out.print(f"{len(report.results)} file(s): {summary or 'nothing to do'}", highlight=False)
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
                "chunks": r.chunks,
                "pages": r.pages,
                "ocr_pages": r.ocr_pages,
                "source": r.source,
                "customer": r.customer,
                "provider": r.provider,
                "ingested_at": r.ingested_at.isoformat() if r.ingested_at else None,
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
        pages = f"\t{r.pages} pages{scanned}" if r.pages is not None else ""
        line = f"{_one_line(r.name)}\t{r.format}{pages}\t{r.chunks} chunks\t{_one_line(r.source)}"
        out.print(line, highlight=False, soft_wrap=True)  # one line each, whatever the width


def _one_line(text: str) -> str:
    """A name as one line of a tab-separated listing: a newline or tab in a file name is
    shown escaped instead of breaking the layout."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


@app.command()
def doctor(
    deep: Annotated[
        bool, typer.Option("--deep", help="Also search for every chunk by its own vector.")
    ] = False,
    repair: Annotated[
        bool,
        typer.Option("--repair", help="Mend what is found, from the kept copies of the files."),
    ] = False,
) -> None:
    """Check the index: chunks left by interrupted writes, agreements whose chunks differ from
    their records, an index that cannot be read; exit 1 while a problem remains."""
    health = _assistant().doctor(deep=deep, repair=repair)
    for line in health.repaired:
        out.print(f"repaired: {line}", highlight=False, soft_wrap=True)
    out.print(
        f"{health.agreements} agreement(s), {health.chunks_stored} chunk(s) stored, "
        f"{health.chunks_expected} expected by the records", highlight=False,
    )  # fmt: skip
    for problem in health.problems:
        err.print(f"[red]problem[/red] {problem}", highlight=False, soft_wrap=True)
    if health.missing_originals:
        unkept = ", ".join(health.missing_originals)
        err.print(f"no kept file (cannot be rebuilt from here): {unkept}",
                  highlight=False, soft_wrap=True)  # fmt: skip
    if health.problems:
        if not repair:
            err.print("run `agreements doctor --repair` to mend it", highlight=False)
        raise typer.Exit(code=1)
    out.print("the index is healthy", highlight=False)


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


@app.command()
def matrix(
    names: Annotated[
        list[str] | None, typer.Argument(help="Agreements (default: every one ingested).")
    ] = None,
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Also write it as CSV.")] = None,
    xlsx_file: Annotated[
        Path | None, typer.Option("--xlsx", help="Also write it as a spreadsheet.")
    ] = None,
    gaps: Annotated[
        bool, typer.Option("--gaps", help="Only topics where they differ or one is silent.")
    ] = False,
) -> None:
    """Who holds each duty, topic by topic, for each agreement (cached until one changes)."""
    assistant = _assistant()
    with Progress(
        TextColumn("[bold]Answering"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err,
    ) as progress:
        task = progress.add_task("", total=None)

        def on_progress(agreement: str, done: int, total: int) -> None:
            progress.update(task, description=agreement, completed=done, total=total)

        result = assistant.matrix(names, on_progress)
    if csv_file:
        csv_file.write_text(matrix_to_csv(result, gaps), encoding="utf-8")
    if xlsx_file:
        xlsx_file.write_bytes(matrix_to_xlsx(result, gaps))
    out.print(render_matrix(result, gaps), highlight=False, soft_wrap=True)


COMMANDS_GROUP = "agreements.commands"


def register_commands(argv: list[str]) -> None:
    """Add the commands other packages register, importing only the one asked for (all of
    them when none is named, so that `--help` lists them)."""
    wanted = next((arg for arg in argv if not arg.startswith("-")), None)
    for entry in entry_points(group=COMMANDS_GROUP):
        if wanted is None or wanted == entry.name:
            entry.load()(app)


def main() -> None:
    register_commands(sys.argv[1:])
    try:
        app()
    except AgreementsError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
