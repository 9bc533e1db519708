"""report.md: the run's figures for a reader, with the questions that went wrong listed.

Everything here is read from the report.json content, so the two files can never disagree.
"""

from __future__ import annotations

from typing import Any

MAX_LISTED = 200  # a reviewer reads the list; ContractNLI misses can run to hundreds


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _fmt1(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, int | float) else "n/a"


def _signed(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.3f}"


def _cell(text: str | None, limit: int = 120) -> str:
    flat = " ".join((text or "").split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return [*lines, ""]


def render_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Evaluation: {report.get('set')}",
        "",
        f"{report['questions']} questions ({report.get('questions_with_evidence')} with evidence) "
        f"over {report.get('agreements')} agreements; retrieval depth k = {report.get('k')}; "
        f"embedding model `{(report.get('settings') or {}).get('embedding_model')}`; "
        f"run {report.get('created')}.",
        "",
        "## Figures",
        "",
    ]
    rows = [
        ["answer accuracy", _fmt(report["answer_accuracy"])],
        ["abstention accuracy (not_addressed)", _fmt(report["abstention_accuracy"])],
        *[[f"evidence hit@{c}", _fmt(v)] for c, v in report["evidence_hit_at"].items()],
        *[
            [f"evidence char recall@{c}", _fmt(v)]
            for c, v in report["evidence_char_recall_at"].items()
        ],
        ["MRR of the first hit", _fmt(report["mrr"])],
        ["citation precision", _fmt(report["citation_precision"])],
        ["citation recall", _fmt(report["citation_recall"])],
        [
            "latency p50 / p95 (ms)",
            f"{_fmt1(report['latency_ms']['p50'])} / {_fmt1(report['latency_ms']['p95'])}",
        ],
        ["ingest (s)", _fmt1(report["ingest_seconds"])],
    ]
    lines += _table(["figure", "value"], rows)
    if report.get("per_label"):
        lines += ["## Per label", ""]
        lines += _table(
            ["label", "precision", "recall", "support"],
            [
                [label, _fmt(s["precision"]), _fmt(s["recall"]), str(s["support"])]
                for label, s in report["per_label"].items()
            ],
        )
    if report.get("confusion"):
        labels = list(report["confusion"])
        lines += ["## Confusion (rows: expected, columns: answered)", ""]
        lines += _table(
            ["expected \\ answered", *labels],
            [[e, *(str(report["confusion"][e][a]) for a in labels)] for e in labels],
        )
    lines += _calibration(report)
    lines += _wrong_answers(report) + _missed_evidence(report)
    if report.get("compare"):
        lines += _compare(report["compare"])
    return "\n".join(lines)


def _calibration(report: dict[str, Any]) -> list[str]:
    table = report.get("calibration") or {}
    if not table.get("bands"):
        return []
    lines = [
        "## Calibration (is a 0.8 right 8 times in 10?)",
        "",
        f"Expected calibration error: {_fmt(table.get('expected_error'))}.",
        "",
    ]
    return lines + _table(
        ["confidence", "questions", "mean confidence", "accuracy"],
        [
            [
                b["band"],
                str(b["questions"]),
                _fmt(b.get("mean_confidence")),
                _fmt(b.get("accuracy")),
            ]
            for b in table["bands"]
        ],
    )


def _wrong_answers(report: dict[str, Any]) -> list[str]:
    wrong = [r for r in report["results"] if r.get("correct") is False]
    if report.get("answer_accuracy") is None:
        return []
    lines = [f"## Wrong answers ({len(wrong)})", ""]
    if not wrong:
        return [*lines, "None.", ""]
    counts = report.get("failures") or {}
    lines += ["By category: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + ".", ""]
    rows = [
        [
            r["id"],
            r["expected"] or "",
            r["answer"],
            r.get("failure") or "",
            _cell(r["question"]),
            _cell("; ".join(f"§{c['section']}" if c["section"] else "?" for c in r["citations"])),
        ]
        for r in wrong[:MAX_LISTED]
    ]
    return lines + _table(["id", "expected", "answered", "failure", "question", "cited"], rows)


def _missed_evidence(report: dict[str, Any]) -> list[str]:
    k = report.get("k") or 10
    missed = [
        r
        for r in report["results"]
        if r.get("evidence") and (r["first_hit_rank"] is None or r["first_hit_rank"] > k)
    ]
    lines = [f"## Evidence not retrieved in the first {k} passages ({len(missed)})", ""]
    if not missed:
        return [*lines, "None.", ""]
    rows = [
        [r["id"], _cell(r["question"]), _cell(r["evidence"][0]["quote"])]
        for r in missed[:MAX_LISTED]
    ]
    more = [f"... and {len(missed) - MAX_LISTED} more (see report.json).", ""]
    return (
        lines
        + _table(["id", "question", "first evidence quote"], rows)
        + (more if len(missed) > MAX_LISTED else [])
    )


def _compare(compare: dict[str, Any]) -> list[str]:
    lines = [f"## Compared with {compare['other']} (this run minus the other)", ""]
    deltas = {**compare["delta"], **compare["timing_delta"]}
    lines += _table(["figure", "delta"], [[key, _signed(v)] for key, v in deltas.items()])
    flips = compare["flips"]
    for key, title in (
        ("right_to_wrong", "Right before, wrong now"),
        ("wrong_to_right", "Wrong before, right now"),
        ("hit_lost", f"Evidence hit@{compare['hit_k']} lost"),
        ("hit_gained", f"Evidence hit@{compare['hit_k']} gained"),
    ):
        ids = flips[key]
        lines += [f"**{title}** ({len(ids)}): " + (", ".join(ids) if ids else "none"), ""]
    return lines
