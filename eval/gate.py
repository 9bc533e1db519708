"""The quality gate: figures of a report.json held against the floors kept in eval/floors.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import AgreementsError

FLOORS_FILE = Path(__file__).resolve().parent / "floors.yaml"


@dataclass(frozen=True)
class GatedSet:
    """One labeled set (or ContractNLI file) and the floors its figures must reach."""

    name: str
    floors: dict[str, float]
    questions: Path | None = None
    corpus: Path | None = None
    contractnli: Path | None = None
    split: str | None = None  # a split of eval/splits.yaml


def load_floors(path: Path = FLOORS_FILE) -> list[GatedSet]:
    """The gated sets, their paths resolved against the repository (the floors file's parent's
    parent), so the gate runs the same from any working folder."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    root = path.resolve().parent.parent
    gated: list[GatedSet] = []
    for name, spec in (data.get("sets") or {}).items():
        paths = {
            key: (root / spec[key]).resolve()
            for key in ("questions", "corpus", "contractnli")
            if key in spec
        }
        floors = {str(metric): float(value) for metric, value in spec["floors"].items()}
        gated.append(GatedSet(name=name, floors=floors, split=spec.get("split"), **paths))
    return gated


def figure(report: dict[str, Any], metric: str) -> float | None:
    """A figure by dotted path: "mrr", "evidence_hit_at.5"."""
    value: Any = report
    for part in metric.split("."):
        if not isinstance(value, dict) or part not in value:
            raise AgreementsError(f"report.json has no figure {metric!r}")
        value = value[part]
    return None if value is None else float(value)


def shortfalls(report: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """One line per figure below its floor (a missing figure counts as below)."""
    lines: list[str] = []
    for metric, floor in floors.items():
        value = figure(report, metric)
        if value is None or value < floor:
            lines.append(f"{metric} = {value} is below its floor {floor}")
    return lines
