"""The run's plots: confusion matrix, evidence hit@k curve, latency histogram (PNG).

Drawn from the report.json content with matplotlib's Agg backend, which needs no display, so
runs work the same on a laptop and on a headless CI machine.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import matplotlib

# The backend is chosen before pyplot is imported, or pyplot may pick an interactive one.
matplotlib.use("Agg")
import matplotlib.pyplot as plt

logger = logging.getLogger(__name__)

CONFUSION_PNG = "confusion.png"
HIT_CURVE_PNG = "evidence_hit_at_k.png"
LATENCY_PNG = "latency.png"


def write_plots(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """Write every plot the report supports; a set without answer labels has no confusion."""
    written = []
    if report.get("confusion"):
        written.append(_confusion(report, out_dir / CONFUSION_PNG))
    written.append(_hit_curve(report, out_dir / HIT_CURVE_PNG))
    written.append(_latency(report, out_dir / LATENCY_PNG))
    logger.info("wrote %d plots to %s", len(written), out_dir)
    return written


def _confusion(report: dict[str, Any], path: Path) -> Path:
    table: dict[str, dict[str, int]] = report["confusion"]
    labels = list(table)
    counts = [[table[e][a] for a in labels] for e in labels]
    fig, ax = plt.subplots(figsize=(6.0, 5.2))
    image = ax.imshow(counts, cmap="Blues")
    top = max((max(row) for row in counts), default=0)
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            colour = "white" if top and count > top / 2 else "black"
            ax.text(j, i, str(count), ha="center", va="center", color=colour, fontsize=12)
    ax.set_xticks(range(len(labels)), labels, rotation=20)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("answered")
    ax.set_ylabel("expected")
    accuracy = report.get("answer_accuracy")
    subtitle = f"accuracy {accuracy:.3f}" if accuracy is not None else ""
    ax.set_title(f"{report.get('set')}: verdicts ({report['questions']} questions) {subtitle}")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return _save(fig, path)


def _hit_curve(report: dict[str, Any], path: Path) -> Path:
    curve = report["curve"]
    ks = [int(k) for k in curve["hit_at"]]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for key, label, marker in (
        ("hit_at", "evidence hit@k", "o"),
        ("char_recall_at", "evidence char recall@k", "s"),
    ):
        values = [curve[key][str(k)] for k in ks]
        points = [(k, v) for k, v in zip(ks, values, strict=True) if v is not None]
        if points:
            ax.plot(*zip(*points, strict=True), marker=marker, label=label)
    ax.set_xlabel("k (passages retrieved)")
    ax.set_ylabel("score (questions with evidence)")
    ax.set_ylim(0.0, 1.02)
    ax.set_xticks(ks)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title(f"{report.get('set')}: evidence retrieval (MRR {_fmt(report.get('mrr'))})")
    return _save(fig, path)


def _latency(report: dict[str, Any], path: Path) -> Path:
    latencies = [r["latency_ms"] for r in report["results"]]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.hist(latencies, bins=min(30, max(5, len(latencies) // 3)), color="#4c72b0")
    for key, style in (("p50", "--"), ("p95", ":")):
        value = report["latency_ms"].get(key)
        if value is not None:
            ax.axvline(value, color="black", linestyle=style, label=f"{key} {value:.0f} ms")
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.legend()
    ax.set_title(f"{report.get('set')}: answer latency ({len(latencies)} questions)")
    return _save(fig, path)


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "n/a"


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
