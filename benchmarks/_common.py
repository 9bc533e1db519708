"""What every benchmark shares: default data paths, timing helpers, and the JSON + table output.

Every benchmark prints one JSON object (machine-readable, diffable between runs) and a table
(for people), and writes the JSON to a file, so a result can be attached to a pull request.
Timings on this shared machine drift, so benchmarks report ratios against a baseline measured
in the same run rather than absolute thresholds.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import resource
import signal
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_CORPUS = SHARED / "corpus"
DEFAULT_CONTRACTNLI = SHARED / "benchmarks" / "contractnli" / "dev.json"
RESULTS = Path(__file__).resolve().parent / "results"

LANGCHAIN_INSTALL = (
    ".venv/bin/pip install langchain-community langchain-text-splitters langchain-chroma"
)


class BenchmarkError(Exception):
    """A user-facing problem (missing data, missing optional package): one line, no traceback."""


class TimeLimitExceeded(BaseException):
    """Raised by `time_limit`; a BaseException so that the product's per-file
    `except Exception` (which turns a loader bug into a failed file) cannot swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Abandon a step that runs past `seconds` (SIGALRM: Unix, main thread only).

    One pathological input must cost a bounded time and be reported, not hang the whole
    benchmark; Python's regex engine checks for signals, so even a runaway match stops.
    """
    if seconds <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def quiet() -> None:
    """Silence third-party chatter so the table is readable; our own errors still surface.

    langchain-community announces its deprecation on every import, and sentence-transformers
    logs each model load; neither says anything about the numbers.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", message=".*deprecated.*")
    warnings.filterwarnings("ignore", module="langchain.*")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for name in ("chromadb", "sentence_transformers", "httpx", "pypdf"):
        logging.getLogger(name).setLevel(logging.ERROR)


def require_path(path: Path, what: str, flag: str) -> Path:
    """The data must be there: say which path was looked at and how to point elsewhere."""
    if not path.exists():
        raise BenchmarkError(f"{what} not found at {path}; pass {flag} PATH to use another one")
    return path


def default_out(name: str) -> Path:
    return RESULTS / f"{name}.json"


def add_out_argument(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=default_out(name),
        help=f"where to write the JSON result (default: benchmarks/results/{name}.json)",
    )


def environment() -> dict[str, Any]:
    """Enough context to tell two runs apart: timings mean little without the machine."""
    import torch

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: ...; t[0]` is the elapsed seconds (perf_counter)."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: a p95 of 40 samples is an observed sample, never interpolated."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def peak_rss_mb() -> float:
    """The process's resident-set high-water mark (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """Resident memory now, from /proc (0 where /proc is absent)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def write_result(result: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=False) + "\n")


def emit(result: dict[str, Any], table: str, out: Path) -> None:
    """JSON first (one object, for machines), then the table (for people), then where saved."""
    write_result(result, out)
    print(json.dumps(result, indent=2))
    print()
    print(table)
    print(f"\nresult written to {out}")


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned table: readable in a terminal, a log, and pasted into a PR."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            if math.isnan(value):
                return "-"
            return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [
        max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h))
        for i, h in enumerate(headers)
    ]
    lines = [
        "  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def run_main(main: Callable[[list[str] | None], dict[str, Any]]) -> None:
    """Entry-point wrapper: a user's mistake is one line on stderr and exit code 2."""
    try:
        main(None)
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
