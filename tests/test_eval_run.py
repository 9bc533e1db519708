"""`agreements eval` end to end: a small labeled set over a sample agreement, a comparison of
two runs, and a few ContractNLI documents, each into a run folder of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assistant.cli import app, register_commands
from tests.conftest import SAMPLES, SHARED

# As `agreements eval ...` does: the command comes from eval/ through its entry point.
register_commands(["eval"])

CONTRACTNLI = SHARED / "benchmarks" / "contractnli" / "dev.json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
REQUIRED = {
    "questions": int,
    "answer_accuracy": (float, type(None)),
    "per_label": dict,
    "confusion": dict,
    "evidence_hit_at": dict,
    "evidence_char_recall_at": dict,
    "mrr": (float, type(None)),
    "citation_precision": (float, type(None)),
    "citation_recall": (float, type(None)),
    "abstention_accuracy": (float, type(None)),
    "latency_ms": dict,
    "ingest_seconds": float,
    "results": list,
}


def small_set(tmp_path: Path) -> Path:
    """Four questions of the samples' own labeled set, over one agreement (three with
    evidence, one the agreement is silent about), so the run stays short."""
    full = yaml.safe_load((SAMPLES / "questions.yaml").read_text(encoding="utf-8"))
    (agreement,) = [a for a in full["agreements"] if a["file"].startswith("tideline")]
    with_evidence = [q for q in agreement["questions"] if q["evidence"]][:3]
    silent = [q for q in agreement["questions"] if not q["evidence"]][:1]
    subset = {"version": 1, "agreements": [{**agreement, "questions": with_evidence + silent}]}
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(subset, sort_keys=False), encoding="utf-8")
    return path


def run_eval(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["eval", *args])
    assert result.exit_code == 0, (result.output, result.exception)
    out = Path(args[args.index("--out") + 1])
    report: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report


def assert_report_shape(report: dict[str, Any], k: int) -> None:
    for key, kind in REQUIRED.items():
        assert isinstance(report[key], kind), key
    assert set(report["evidence_hit_at"]) == {"1", "3", "5", "10"}
    assert set(report["evidence_char_recall_at"]) == {"1", "3", "5", "10"}
    assert set(report["latency_ms"]) >= {"p50", "p95"}
    assert len(report["results"]) == report["questions"]
    for result in report["results"]:
        assert set(result) >= {
            "id",
            "answer",
            "expected",
            "first_hit_rank",
            "latency_ms",
            "citations",
            "retrieved",
        }
        assert result["latency_ms"] > 0
        for citation in result["citations"]:
            assert set(citation) >= {"agreement", "section", "page", "quote"}
        for passage in result["retrieved"]:
            assert set(passage) >= {"agreement", "section", "page", "text"} and passage["text"]
        if result["evidence"]:
            assert len(result["retrieved"]) >= min(k, 5)


def assert_png(path: Path) -> None:
    assert path.read_bytes()[:8] == PNG_MAGIC, path


@pytest.mark.e2e
def test_eval_of_a_labeled_set_and_comparison_of_two_runs(tmp_path: Path) -> None:
    questions = small_set(tmp_path)
    first, second = tmp_path / "run1", tmp_path / "run2"
    report = run_eval("--questions", str(questions), "--corpus", str(SAMPLES), "--out", str(first))

    assert_report_shape(report, k=10)
    assert report["questions"] == 4
    assert report["answer_accuracy"] is not None and 0.0 <= report["answer_accuracy"] <= 1.0
    assert report["abstention_accuracy"] in (0.0, 1.0)
    assert sum(sum(row.values()) for row in report["confusion"].values()) == 4
    assert sum(label["support"] for label in report["per_label"].values()) == 4
    with_evidence = [r for r in report["results"] if r["evidence"]]
    assert len(with_evidence) == 3
    for result in with_evidence:
        for quote in result["evidence"]:
            assert quote["end"] > quote["start"]
    for name in ("confusion.png", "evidence_hit_at_k.png", "latency.png"):
        assert_png(first / name)
    assert "Wrong answers" in (first / "report.md").read_text(encoding="utf-8")
    # The user's index was not touched: the run's store lived elsewhere and is gone.
    assert not (first / "store").exists()

    compared = run_eval(
        "--questions",
        str(questions),
        "--corpus",
        str(SAMPLES),
        "--out",
        str(second),
        "--compare",
        str(first),
    )["compare"]
    assert compared["other"] == str(first)
    assert compared["delta"] and all(v in (0.0, None) for v in compared["delta"].values())
    assert compared["flips"] == {
        "right_to_wrong": [],
        "wrong_to_right": [],
        "hit_lost": [],
        "hit_gained": [],
    }
    assert "Compared with" in (second / "report.md").read_text(encoding="utf-8")


@pytest.mark.e2e
def test_a_bad_set_is_refused_before_anything_runs(tmp_path: Path) -> None:
    questions = small_set(tmp_path)
    text = questions.read_text(encoding="utf-8").replace("topic: ", "topic: x", 1)
    questions.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["eval", "--questions", str(questions), "--out", str(tmp_path / "run")]
    )
    assert result.exit_code != 0
    assert "unknown topic" in str(result.exception)
    assert not (tmp_path / "run" / "report.json").exists()


@pytest.mark.e2e
def test_eval_of_contractnli_documents(tmp_path: Path) -> None:
    if not CONTRACTNLI.is_file():
        pytest.skip(f"ContractNLI is absent ({CONTRACTNLI})")
    out = tmp_path / "cnli"
    report = run_eval("--contractnli", str(CONTRACTNLI), "--out", str(out), "--limit-docs", "2")
    assert_report_shape(report, k=10)
    assert report["answer_accuracy"] is None and report["abstention_accuracy"] is None
    assert report["agreements"] == 2
    dataset = json.loads(CONTRACTNLI.read_text(encoding="utf-8"))
    first_two = {str(d["id"]) for d in dataset["documents"][:2]}
    assert report["questions"] > 0
    for result in report["results"]:
        doc_id, key = result["id"].split("/")
        assert doc_id in first_two and key.startswith("nda-")
        assert result["label"] in ("Entailment", "Contradiction") and result["expected"] is None
        assert {p["agreement"] for p in result["retrieved"]} == {f"contractnli_{doc_id}"}
    assert report["evidence_hit_at"]["10"] is not None
    assert_png(out / "evidence_hit_at_k.png")
    assert not (out / "confusion.png").exists()


@pytest.mark.e2e
def test_eval_of_a_split_reports_its_failures_by_category(tmp_path: Path) -> None:
    from eval.labels import load_splits

    if not load_splits().splits["tune"].corpus.is_dir():
        pytest.skip("the split's agreements (../shared/corpus-more) are absent")
    report = run_eval("--split", "tune", "--out", str(tmp_path / "tune"))
    assert report["questions"] >= 40 and report["source"] == "split tune"
    wrong = [r for r in report["results"] if r["correct"] is False]
    assert sum(report["failures"].values()) == len(wrong)
    assert all(r["failure"] for r in wrong)
    assert "By category:" in (tmp_path / "tune" / "report.md").read_text(encoding="utf-8")


def test_an_unknown_split_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--split", "holdout", "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert "unknown split 'holdout'" in str(result.exception)
