"""The scores of an evaluation run, as small pure functions over ids, labels and spans.

Each returns the overall score and the value for every question, so a report can show which
questions pulled a figure down and two runs can be compared question by question. A question
a metric does not apply to (no evidence, not a not_addressed question) gets None and is left
out of the score; a score with no question to stand on is None rather than a misleading 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from eval.cases import Span

COVER_SHARE = 0.5  # a passage covers a quote when it holds at least half of its characters


@dataclass(frozen=True)
class MetricResult:
    score: float | None
    per_question: dict[str, float | None]


@dataclass(frozen=True)
class LabelScore:
    precision: float | None
    recall: float | None
    support: int


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def covers(passage: Span, quote: Span) -> bool:
    """True when the passage holds at least half of the quote's characters."""
    return quote.length > 0 and passage.overlap(quote) >= COVER_SHARE * quote.length


def first_hit_rank(passages: Sequence[Span], evidence: Sequence[Span]) -> int | None:
    """1-based rank of the first passage covering some quote; None when none does."""
    for rank, passage in enumerate(passages, start=1):
        if any(covers(passage, quote) for quote in evidence):
            return rank
    return None


def hit_at_k(
    retrieved: Mapping[str, Sequence[Span]], evidence: Mapping[str, Sequence[Span]], k: int
) -> MetricResult:
    """Share of questions with evidence where a passage among the first k covers a quote."""
    per: dict[str, float | None] = {}
    for qid, quotes in evidence.items():
        if not quotes:
            per[qid] = None
            continue
        rank = first_hit_rank(retrieved.get(qid, [])[:k], quotes)
        per[qid] = 1.0 if rank is not None else 0.0
    return MetricResult(_mean(per.values()), per)


def mean_reciprocal_rank(
    retrieved: Mapping[str, Sequence[Span]], evidence: Mapping[str, Sequence[Span]]
) -> MetricResult:
    """Mean of 1/rank of the first covering passage (0 when no passage covers a quote)."""
    per: dict[str, float | None] = {}
    for qid, quotes in evidence.items():
        if not quotes:
            per[qid] = None
            continue
        rank = first_hit_rank(retrieved.get(qid, []), quotes)
        per[qid] = 1.0 / rank if rank is not None else 0.0
    return MetricResult(_mean(per.values()), per)


def _union(spans: Iterable[Span]) -> list[Span]:
    """Overlapping or touching spans merged, per agreement, sorted."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.agreement, s.start, s.end)):
        if span.length == 0:
            continue
        last = merged[-1] if merged else None
        if last and last.agreement == span.agreement and span.start <= last.end:
            merged[-1] = Span(last.agreement, last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return merged


def covered_chars(spans: Sequence[Span], by: Sequence[Span]) -> int:
    """Characters of the union of `spans` that lie inside the union of `by`."""
    cover = _union(by)
    return sum(part.overlap(c) for part in _union(spans) for c in cover)


def char_recall_at_k(
    retrieved: Mapping[str, Sequence[Span]], evidence: Mapping[str, Sequence[Span]], k: int
) -> MetricResult:
    """Share of evidence characters (union of quotes) inside the first k passages."""
    per: dict[str, float | None] = {}
    for qid, quotes in evidence.items():
        total = sum(s.length for s in _union(quotes))
        if total == 0:
            per[qid] = None
            continue
        per[qid] = covered_chars(quotes, retrieved.get(qid, [])[:k]) / total
    return MetricResult(_mean(per.values()), per)


def citation_precision(
    cited: Mapping[str, Sequence[Span]], evidence: Mapping[str, Sequence[Span]]
) -> MetricResult:
    """Share of cited passages that overlap some quote, pooled over questions with evidence.

    Pooled (micro) because a question with no citation has no precision of its own; per
    question the value is that question's share, None without citations.
    """
    hits = total = 0
    per: dict[str, float | None] = {}
    for qid, quotes in evidence.items():
        spans = cited.get(qid, [])
        if not quotes or not spans:
            per[qid] = None
            continue
        good = sum(1 for c in spans if any(c.overlap(q) > 0 for q in quotes))
        per[qid] = good / len(spans)
        hits, total = hits + good, total + len(spans)
    return MetricResult(hits / total if total else None, per)


def citation_recall(
    cited: Mapping[str, Sequence[Span]], evidence: Mapping[str, Sequence[Span]]
) -> MetricResult:
    """Share of evidence quotes overlapped by some citation, pooled over questions."""
    hits = total = 0
    per: dict[str, float | None] = {}
    for qid, quotes in evidence.items():
        if not quotes:
            per[qid] = None
            continue
        spans = cited.get(qid, [])
        found = sum(1 for q in quotes if any(c.overlap(q) > 0 for c in spans))
        per[qid] = found / len(quotes)
        hits, total = hits + found, total + len(quotes)
    return MetricResult(hits / total if total else None, per)


def answer_accuracy(predicted: Mapping[str, str], expected: Mapping[str, str]) -> MetricResult:
    """Share of labeled questions answered with the expected label."""
    per: dict[str, float | None] = {
        qid: 1.0 if predicted.get(qid) == label else 0.0 for qid, label in expected.items()
    }
    return MetricResult(_mean(per.values()), per)


def abstention_accuracy(
    predicted: Mapping[str, str], expected: Mapping[str, str], silent: str = "not_addressed"
) -> MetricResult:
    """On questions the agreement is silent about, the share answered as silent."""
    per: dict[str, float | None] = {
        qid: (1.0 if predicted.get(qid) == silent else 0.0) if label == silent else None
        for qid, label in expected.items()
    }
    return MetricResult(_mean(per.values()), per)


def confusion(
    predicted: Mapping[str, str], expected: Mapping[str, str], labels: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Counts of expected label (outer key) answered as each label (inner key)."""
    table = {e: dict.fromkeys(labels, 0) for e in labels}
    for qid, label in expected.items():
        got = predicted.get(qid)
        if label in table and got in table[label]:
            table[label][got] += 1
    return table


def per_label(
    predicted: Mapping[str, str], expected: Mapping[str, str], labels: Sequence[str]
) -> dict[str, LabelScore]:
    """Precision and recall of each label; None where nothing was predicted or expected."""
    scores: dict[str, LabelScore] = {}
    for label in labels:
        support = sum(1 for e in expected.values() if e == label)
        said = [qid for qid in expected if predicted.get(qid) == label]
        right = sum(1 for qid in said if expected[qid] == label)
        scores[label] = LabelScore(
            precision=right / len(said) if said else None,
            recall=right / support if support else None,
            support=support,
        )
    return scores


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation, as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


CALIBRATION_EDGES = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def calibration(
    confidences: Sequence[float],
    correct: Sequence[bool],
    edges: Sequence[float] = CALIBRATION_EDGES,
) -> dict[str, object]:
    """How far stated confidence matches how often answers are right: per confidence band,
    the questions, their mean confidence and their accuracy, and the expected calibration
    error (the question-weighted mean gap between the two)."""
    bands: list[dict[str, object]] = []
    gap = 0.0
    for low, high in itertools.pairwise(edges):
        last = high == edges[-1]
        idx = [i for i, c in enumerate(confidences) if low <= c < high or (last and c == high)]
        if not idx:
            bands.append({"band": f"{low:.1f}-{high:.1f}", "questions": 0})
            continue
        mean_conf = sum(confidences[i] for i in idx) / len(idx)
        accuracy = sum(1 for i in idx if correct[i]) / len(idx)
        gap += len(idx) * abs(mean_conf - accuracy)
        bands.append(
            {
                "band": f"{low:.1f}-{high:.1f}",
                "questions": len(idx),
                "mean_confidence": round(mean_conf, 4),
                "accuracy": round(accuracy, 4),
            }
        )
    total = len(confidences)
    return {"bands": bands, "expected_error": round(gap / total, 4) if total else None}
