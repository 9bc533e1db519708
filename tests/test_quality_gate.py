"""The CI quality gate: the evaluation run as users run it, held against eval/floors.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.contractnli import build_suite
from eval.gate import GatedSet, figure, load_floors, shortfalls
from eval.labels import load_split_suite, load_splits
from eval.questions import load_question_set
from eval.run import evaluate

GATED = load_floors()


def test_shortfalls_name_each_figure_below_its_floor() -> None:
    report = {"mrr": 0.5, "evidence_hit_at": {"5": 0.9}, "answer_accuracy": None}
    floors = {"mrr": 0.6, "evidence_hit_at.5": 0.9, "answer_accuracy": 0.1}
    assert shortfalls(report, floors) == [
        "mrr = 0.5 is below its floor 0.6",
        "answer_accuracy = None is below its floor 0.1",
    ]
    assert figure(report, "evidence_hit_at.5") == 0.9


@pytest.mark.slow
@pytest.mark.parametrize("gated", GATED, ids=[g.name for g in GATED])
def test_figures_stay_above_their_floors(gated: GatedSet, tmp_path: Path) -> None:
    sources = [p for p in (gated.questions, gated.corpus, gated.contractnli) if p is not None]
    missing = [str(p) for p in sources if not p.exists()]
    if missing:
        pytest.skip(f"gated set {gated.name} needs {', '.join(missing)}, which is absent")
    if gated.split is not None:
        splits = load_splits()
        corpus = splits.splits[gated.split].corpus
        if not corpus.is_dir():
            pytest.skip(f"gated split {gated.split} needs {corpus}, which is absent")
        suite = load_split_suite(gated.split, splits)
    elif gated.contractnli is not None:
        suite = build_suite(gated.contractnli, tmp_path / "documents")
    else:
        assert gated.questions is not None and gated.corpus is not None
        suite = load_question_set(gated.questions, gated.corpus)
    report = evaluate(suite, tmp_path / "run", source=gated.name)
    below = shortfalls(report, gated.floors)
    assert not below, f"{gated.name}: " + "; ".join(below)
