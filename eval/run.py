"""One evaluation run end to end: answer the suite, score it, write report.json, report.md
and the plots into the run folder (and compare with an earlier run when asked).

The files are written only once every question is answered, and each one whole (written
aside, then renamed), so a failed or interrupted run never leaves a half report behind.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from assistant.types import IngestListener
from eval.cases import EvalSuite
from eval.compare import compare_reports, read_report
from eval.markdown import render_markdown
from eval.plots import write_plots
from eval.runner import QuestionCallback, run_suite
from eval.scoring import build_report

logger = logging.getLogger(__name__)

REPORT_JSON = "report.json"
REPORT_MD = "report.md"


def evaluate(
    suite: EvalSuite,
    out_dir: Path,
    k: int = 10,
    source: str = "",
    compare_with: Path | None = None,
    on_event: IngestListener | None = None,
    on_question: QuestionCallback | None = None,
) -> dict[str, Any]:
    """Run the suite and write its reports; returns the report.json content."""
    # Read the other run first: a wrong path should fail before minutes of answering.
    other = read_report(compare_with) if compare_with is not None else None
    run = run_suite(suite, k, on_event=on_event, on_question=on_question)
    report = build_report(suite, run, k, source)
    if other is not None and compare_with is not None:
        report["compare"] = compare_reports(report, other, str(compare_with))
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_text(out_dir / REPORT_JSON, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    _write_text(out_dir / REPORT_MD, render_markdown(report) + "\n")
    write_plots(report, out_dir)
    logger.info("evaluation of %s written to %s", suite.name, out_dir)
    return report


def _write_text(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
