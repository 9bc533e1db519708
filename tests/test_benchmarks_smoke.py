"""The benchmarks still run: each on tiny inputs, checking the shape and sanity of its JSON.

Numbers are not asserted against thresholds (the machine is shared); only that each
benchmark finishes, writes its result file, and reports values that can be true.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks._common import DEFAULT_CONTRACTNLI

AGREEMENT_A = """# Hosting Agreement

## 1. Backups
1.1 The Provider shall back up Customer Data every day and keep each backup for thirty days.
1.2 The Customer is responsible for testing restores of its own application data.

## 2. Security
2.1 The Provider shall patch the operating system of the hosts within fourteen days.
2.2 The Provider shall notify the Customer of a security breach without undue delay.

## 3. Fees
3.1 The Customer shall pay all fees and taxes within thirty days of the invoice date.
"""

AGREEMENT_B = """# Platform Terms

## 1. Accounts
1.1 You are responsible for keeping your passwords and account credentials confidential.
1.2 We may suspend an account that is used to distribute malware.

## 2. Data
2.1 We delete Customer Data within ninety days after termination of the agreement.
2.2 You must export your data before the end of the term.
"""


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-corpus")
    (folder / "hosting_agreement.md").write_text(AGREEMENT_A, encoding="utf-8")
    (folder / "platform_terms.md").write_text(AGREEMENT_B, encoding="utf-8")
    return folder


def _read(out: Path) -> dict[str, object]:
    assert out.is_file()
    data: dict[str, object] = json.loads(out.read_text())
    return data


def test_ingest_benchmark(tiny_corpus: Path, tmp_path: Path) -> None:
    for module in ("langchain_community", "langchain_text_splitters", "langchain_chroma"):
        pytest.importorskip(module)
    from benchmarks import ingest

    out = tmp_path / "ingest.json"
    result = ingest.main(["--corpus", str(tiny_corpus), "--repeat", "1", "--out", str(out)])
    assert _read(out) == json.loads(json.dumps(result))
    assert result["files"] == 2
    assert result["model_load_excluded"] is True
    seconds, ratios, chunks = result["seconds"], result["ratios"], result["chunks"]
    assert seconds["ours"] > 0 and seconds["baseline"] > 0 and seconds["floor"] > 0
    assert ratios["ours_over_baseline"] > 0 and ratios["ours_over_floor"] > 0
    assert chunks["ours"] >= 2 and chunks["baseline"] >= 2
    assert chunks["ours_over_model_window"] == 0


def test_latency_benchmark(tiny_corpus: Path, tmp_path: Path) -> None:
    from benchmarks import latency

    out = tmp_path / "latency.json"
    argv = ["--corpus", str(tiny_corpus), "--sizes", "50,100", "--questions", "3"]
    result = latency.main([*argv, "--rounds", "2", "--out", str(out)])
    assert _read(out)["benchmark"] == "latency"
    assert result["vectors_reused"] is True
    sizes = result["sizes"]
    assert [s["target"] for s in sizes] == [50, 100]
    for size in sizes:
        assert size["chunks"] >= size["target"]
        assert size["agreements"] >= 2
        for scope in ("all_agreements", "one_agreement"):
            m = size[scope]
            assert m["samples"] == 6
            assert 0 < m["p50_ms"] <= m["p95_ms"] <= m["max_ms"]
            assert m["cold_ms"] > 0
        memory = size["memory_mb"]
        assert memory["rss_high_water_mark"] > 0
        assert memory["python_heap_peak_during_questions"] >= 0
    assert sizes[1]["chunks"] > sizes[0]["chunks"]


def test_contractnli_benchmark(tmp_path: Path) -> None:
    if not DEFAULT_CONTRACTNLI.is_file():
        pytest.skip(f"ContractNLI data is absent ({DEFAULT_CONTRACTNLI})")
    pytest.importorskip("langchain_text_splitters")
    from benchmarks import contractnli

    out = tmp_path / "contractnli.json"
    result = contractnli.main(["--limit-docs", "1", "--out", str(out)])
    assert _read(out)["benchmark"] == "contractnli"
    assert result["documents"] == 1 and result["questions"] > 0
    assert result["ours"]["failed_documents"] == {}
    assert result["ours"]["chunk_offset_mismatches"] == 0
    for side in ("ours", "baseline"):
        metrics = result[side]["metrics"]
        for k in (1, 3, 5, 10):
            assert 0 <= metrics[f"hit@{k}"] <= 1
            assert 0 <= metrics[f"recall@{k}"] <= 1
            assert 0 <= metrics[f"precision@{k}"] <= 1
        assert metrics["hit@1"] <= metrics["hit@10"]
        assert 0 <= metrics["mrr"] <= 1


def test_missing_data_is_one_clear_error(tmp_path: Path) -> None:
    from benchmarks import contractnli
    from benchmarks._common import BenchmarkError

    with pytest.raises(BenchmarkError, match="--data"):
        contractnli.main(["--data", str(tmp_path / "absent.json")])


def test_pdf_fidelity_benchmark(tmp_path: Path) -> None:
    from benchmarks import pdf_fidelity
    from tests.pdf_builders import write_with_furniture

    folder = tmp_path / "pdfs"
    folder.mkdir()
    bodies = [["1. Backups", "The Provider backs up Customer Data daily."], ["2. Fees"]]
    write_with_furniture(folder / "terms.pdf", bodies, "TERMS V 1", "PAGE {n} OF {total}", None)
    out = tmp_path / "pdf_fidelity.json"
    result = pdf_fidelity.main([str(folder), "--out", str(out)])
    assert _read(out)["benchmark"] == "pdf_fidelity"
    (row,) = result["files"]
    assert row["file"] == "terms.pdf" and row["pages"] == 2
    assert row["ratio"] == 1.0 and row["letters_kept"] == 1.0 and row["letters_extra"] == 0.0
    assert row["furniture"] == 4  # a header and a footer on each page
    assert row["pypdf_one_word"] > 0.5 > 0.2 > row["one_word"]
    assert row["seconds_per_page"] > 0


def test_pdf_fidelity_needs_pdfs(tmp_path: Path) -> None:
    from benchmarks import pdf_fidelity
    from benchmarks._common import BenchmarkError

    with pytest.raises(BenchmarkError, match="no PDF files"):
        pdf_fidelity.main([str(tmp_path), "--out", str(tmp_path / "o.json")])


def test_judge_heads_benchmark_beats_majority_on_check(tmp_path: Path) -> None:
    from benchmarks import judge_heads
    from eval.labels import load_splits

    if not load_splits().splits["check"].corpus.is_dir():
        pytest.skip("the labeled agreements (../shared/corpus-more) are absent")
    result = judge_heads.main(["--out", str(tmp_path / "heads.json")])
    assert {r["head"] for r in result["heads"]} == {"holder", "kind", "decides"}
    for row in result["heads"]:
        assert row["check_accuracy"] > row["check_majority_accuracy"], row


def test_party_words_become_role_tokens() -> None:
    from assistant.answering.candidates import party_normalised
    from ingest.types import PartyAliases

    text = "Linear shall notify you; you must keep Linear's keys."
    assert party_normalised(text, PartyAliases(customer=["you"], provider=["Linear"])) == (
        "PROVIDER shall notify CUSTOMER; CUSTOMER must keep PROVIDER's keys."
    )
