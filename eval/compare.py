"""Two runs side by side: what each figure gained or lost, and which questions flipped.

A change that lifts accuracy by one point can still break five questions and fix six; the
flip lists show which, so a regression is seen before it is averaged away.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.errors import AgreementsError

QUALITY_KEYS = (
    "answer_accuracy",
    "mrr",
    "citation_precision",
    "citation_recall",
    "abstention_accuracy",
)
CURVE_KEYS = ("evidence_hit_at", "evidence_char_recall_at")


def read_report(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "report.json" if run_dir.is_dir() else run_dir
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AgreementsError(
            f"no report to compare with at {path} ({exc.strerror or exc})"
        ) from None
    except json.JSONDecodeError as exc:
        raise AgreementsError(f"{path} is not a report.json ({exc})") from None
    if not isinstance(report, dict) or "results" not in report:
        raise AgreementsError(f"{path} is not a report.json of `agreements eval`")
    return report


def _delta(here: Any, there: Any) -> float | None:
    if isinstance(here, int | float) and isinstance(there, int | float):
        return round(float(here) - float(there), 4)
    return None


def quality_deltas(here: dict[str, Any], there: dict[str, Any]) -> dict[str, float | None]:
    """This run minus the other, per quality figure ("evidence_hit_at.5" for curve points)."""
    deltas = {key: _delta(here.get(key), there.get(key)) for key in QUALITY_KEYS}
    for key in CURVE_KEYS:
        for cutoff, value in (here.get(key) or {}).items():
            deltas[f"{key}.{cutoff}"] = _delta(value, (there.get(key) or {}).get(cutoff))
    return deltas


def timing_deltas(here: dict[str, Any], there: dict[str, Any]) -> dict[str, float | None]:
    """Timings differ from run to run on the same code, so they are kept apart from quality."""
    return {
        "latency_ms.p50": _delta(here["latency_ms"].get("p50"), there["latency_ms"].get("p50")),
        "latency_ms.p95": _delta(here["latency_ms"].get("p95"), there["latency_ms"].get("p95")),
        "ingest_seconds": _delta(here.get("ingest_seconds"), there.get("ingest_seconds")),
    }


def _hit(result: dict[str, Any], k: int) -> bool | None:
    if not result.get("evidence"):
        return None
    rank = result.get("first_hit_rank")
    return rank is not None and rank <= k


def compare_reports(here: dict[str, Any], there: dict[str, Any], other_name: str) -> dict[str, Any]:
    """The "compare" section of report.json: deltas and flipped questions."""
    mine = {r["id"]: r for r in here["results"]}
    theirs = {r["id"]: r for r in there["results"]}
    both = [qid for qid in mine if qid in theirs]
    k = min(int(here.get("k") or 10), int(there.get("k") or 10))
    right_to_wrong = [
        q for q in both if theirs[q].get("correct") is True and mine[q].get("correct") is False
    ]
    wrong_to_right = [
        q for q in both if theirs[q].get("correct") is False and mine[q].get("correct") is True
    ]
    hit_lost = [q for q in both if _hit(theirs[q], k) is True and _hit(mine[q], k) is False]
    hit_gained = [q for q in both if _hit(theirs[q], k) is False and _hit(mine[q], k) is True]
    return {
        "other": other_name,
        "delta": quality_deltas(here, there),
        "timing_delta": timing_deltas(here, there),
        "hit_k": k,
        "flips": {
            "right_to_wrong": right_to_wrong,
            "wrong_to_right": wrong_to_right,
            "hit_lost": hit_lost,
            "hit_gained": hit_gained,
        },
        "only_here": [q for q in mine if q not in theirs],
        "only_there": [q for q in theirs if q not in mine],
    }
