"""The evaluation's scores on hand-made spans, where the right figure can be worked out by hand."""

from __future__ import annotations

import pytest

from eval import metrics
from eval.cases import Span


def s(start: int, end: int, agreement: str = "a") -> Span:
    return Span(agreement, start, end)


def test_a_passage_covers_a_quote_from_half_of_its_characters() -> None:
    quote = s(100, 200)
    assert metrics.covers(s(150, 400), quote)  # exactly half: a tie counts as covered
    assert not metrics.covers(s(151, 400), quote)  # 49 of 100 characters
    assert metrics.covers(s(0, 1000), quote)
    assert not metrics.covers(s(100, 200, agreement="b"), quote)  # same offsets, other agreement


def test_evidence_split_across_two_chunks_is_no_hit_but_counts_for_char_recall() -> None:
    evidence = {"q": [s(100, 200)]}
    retrieved = {"q": [s(0, 140), s(140, 300)]}  # 40 and 60 characters: 60 covers
    assert metrics.hit_at_k(retrieved, evidence, 1).score == 0.0
    assert metrics.hit_at_k(retrieved, evidence, 2).score == 1.0
    split = {"q": [s(0, 130), s(170, 300)]}  # 30 + 30 characters: neither holds half
    assert metrics.hit_at_k(split, evidence, 2).per_question == {"q": 0.0}
    assert metrics.char_recall_at_k(split, evidence, 1).score == pytest.approx(0.3)
    assert metrics.char_recall_at_k(split, evidence, 2).score == pytest.approx(0.6)
    assert metrics.mean_reciprocal_rank(split, evidence).score == 0.0


def test_char_recall_takes_the_union_of_quotes_and_of_passages() -> None:
    evidence = {"q": [s(0, 100), s(50, 150)]}  # union 150 characters, not 200
    retrieved = {"q": [s(0, 75), s(25, 75), s(140, 1000)]}
    assert metrics.char_recall_at_k(retrieved, evidence, 2).score == pytest.approx(75 / 150)
    assert metrics.char_recall_at_k(retrieved, evidence, 3).score == pytest.approx(85 / 150)


def test_mrr_uses_the_first_covering_passage_and_zero_for_misses() -> None:
    evidence = {"q1": [s(0, 10)], "q2": [s(0, 10)], "q3": [s(0, 10), s(500, 510)]}
    retrieved = {
        "q1": [s(100, 200), s(0, 10), s(0, 10)],  # covered at 2 and 3: rank 2
        "q2": [s(100, 200)],
        "q3": [s(505, 600), s(0, 20)],  # 5 of 10 characters of the second quote: a tie, rank 1
    }
    result = metrics.mean_reciprocal_rank(retrieved, evidence)
    assert result.per_question == {"q1": 0.5, "q2": 0.0, "q3": 1.0}
    assert result.score == pytest.approx(0.5)
    assert metrics.first_hit_rank(retrieved["q1"], evidence["q1"]) == 2


def test_questions_without_evidence_are_left_out_of_retrieval_and_citation_scores() -> None:
    evidence = {"silent": [], "q": [s(0, 10)]}
    retrieved = {"silent": [s(0, 10)], "q": [s(50, 60)]}
    for result in (
        metrics.hit_at_k(retrieved, evidence, 5),
        metrics.char_recall_at_k(retrieved, evidence, 5),
        metrics.mean_reciprocal_rank(retrieved, evidence),
        metrics.citation_recall(retrieved, evidence),
    ):
        assert result.per_question["silent"] is None
        assert result.score == 0.0
    nothing = metrics.hit_at_k(retrieved, {"silent": []}, 5)
    assert nothing.score is None


def test_a_citation_over_two_quotes_counts_once_for_precision_and_twice_for_recall() -> None:
    evidence = {"q": [s(0, 50), s(60, 100), s(500, 600)]}
    cited = {"q": [s(40, 70), s(300, 320)]}  # the first overlaps two quotes, the second none
    precision = metrics.citation_precision(cited, evidence)
    recall = metrics.citation_recall(cited, evidence)
    assert precision.score == pytest.approx(1 / 2)
    assert recall.score == pytest.approx(2 / 3)


def test_citation_scores_are_pooled_over_questions() -> None:
    evidence = {"a": [s(0, 10)], "b": [s(0, 10), s(20, 30)], "c": [s(0, 10)]}
    cited = {"a": [s(0, 5), s(50, 60), s(70, 80)], "b": [s(25, 26)]}  # c cites nothing
    precision = metrics.citation_precision(cited, evidence)
    assert precision.per_question == {"a": pytest.approx(1 / 3), "b": 1.0, "c": None}
    assert precision.score == pytest.approx(2 / 4)
    recall = metrics.citation_recall(cited, evidence)
    assert recall.per_question == {"a": 1.0, "b": 0.5, "c": 0.0}
    assert recall.score == pytest.approx(2 / 4)
    assert metrics.citation_precision({}, evidence).score is None


def test_answer_labels_accuracy_per_label_confusion_and_abstention() -> None:
    labels = ("customer", "provider", "shared", "not_addressed")
    expected = {
        "1": "customer",
        "2": "customer",
        "3": "provider",
        "4": "not_addressed",
        "5": "not_addressed",
    }
    predicted = {
        "1": "customer",
        "2": "provider",
        "3": "provider",
        "4": "not_addressed",
        "5": "customer",
    }
    assert metrics.answer_accuracy(predicted, expected).score == pytest.approx(3 / 5)
    scores = metrics.per_label(predicted, expected, labels)
    assert scores["customer"].precision == pytest.approx(1 / 2)
    assert scores["customer"].recall == pytest.approx(1 / 2)
    assert scores["provider"].precision == pytest.approx(1 / 2)
    assert scores["provider"].recall == 1.0
    assert scores["shared"].precision is None and scores["shared"].recall is None
    assert scores["shared"].support == 0
    table = metrics.confusion(predicted, expected, labels)
    assert table["customer"] == {"customer": 1, "provider": 1, "shared": 0, "not_addressed": 0}
    assert table["not_addressed"]["customer"] == 1
    assert sum(sum(row.values()) for row in table.values()) == 5
    abstention = metrics.abstention_accuracy(predicted, expected)
    assert abstention.score == pytest.approx(1 / 2)
    assert abstention.per_question["1"] is None


def test_percentile_interpolates_and_handles_ties_and_empty() -> None:
    assert metrics.percentile([10.0, 20.0, 30.0, 40.0], 50) == pytest.approx(25.0)
    assert metrics.percentile([5.0, 5.0, 5.0], 95) == 5.0
    assert metrics.percentile([1.0, 2.0, 3.0, 4.0, 100.0], 95) == pytest.approx(80.8)
    assert metrics.percentile([], 50) is None


def test_wrong_answers_fall_into_the_four_failure_categories() -> None:
    from eval.failures import failure_category, failure_counts

    def result(expected: str | None, answer: str, rank: int | None) -> dict[str, object]:
        return {"expected": expected, "answer": answer, "first_hit_rank": rank}

    assert failure_category(result("customer", "customer", 1)) is None
    assert failure_category(result(None, "customer", 1)) is None  # unlabeled (ContractNLI)
    assert failure_category(result("not_addressed", "provider", None)) == "invented allocation"
    assert failure_category(result("provider", "customer", 2)) == "wrong party, evidence retrieved"
    assert failure_category(result("shared", "provider", 5)) == "wrong party, evidence retrieved"
    assert failure_category(result("provider", "not_addressed", 1)) == "false silent"
    assert failure_category(result("provider", "customer", 6)) == "retrieval miss"
    assert failure_category(result("provider", "not_addressed", None)) == "retrieval miss"
    counts = failure_counts([result("provider", "customer", 2), result("customer", "customer", 1)])
    assert counts == {"wrong party, evidence retrieved": 1, "false silent": 0,
                      "invented allocation": 0, "retrieval miss": 0}  # fmt: skip


def test_calibration_bands_compare_stated_confidence_with_accuracy() -> None:
    from eval.metrics import calibration

    table = calibration([0.95, 0.92, 0.55, 0.58, 1.0], [True, False, True, True, True])
    bands = {b["band"]: b for b in table["bands"]}  # type: ignore[attr-defined]
    assert bands["0.9-1.0"]["questions"] == 3
    assert bands["0.9-1.0"]["accuracy"] == round(2 / 3, 4)
    assert bands["0.5-0.6"]["accuracy"] == 1.0
    assert bands["0.7-0.8"]["questions"] == 0
    # |0.9567 - 0.6667| * 3 + |0.565 - 1.0| * 2, over 5 questions
    assert table["expected_error"] == pytest.approx(
        (3 * (2.87 / 3 - 2 / 3) + 2 * 0.435) / 5, abs=1e-3
    )
