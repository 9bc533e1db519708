"""From the parties' summed evidence to a verdict and a confidence."""

from __future__ import annotations

from assistant.answering.weights import WEIGHTS as W
from assistant.types import Party, Verdict


def decide_verdict(scores: dict[Verdict, float], asked: Party | None) -> tuple[Verdict, float]:
    """The verdict and a confidence from the margin between the parties' scores.

    A question put to one party ("must we ...?") is answered with whichever party holds the
    duty, never "shared": mutual duties then count for both sides.
    """
    c = scores[Verdict.CUSTOMER]
    p = scores[Verdict.PROVIDER]
    m = scores[Verdict.SHARED]
    if max(c, p, m) < W.min_evidence:
        return Verdict.NOT_ADDRESSED, W.abstain_confidence
    if asked is not None:
        c, p = c + m, p + m
        if c == p:
            return Verdict(asked.value), W.tie_confidence
        top, second = max(c, p), min(c, p)
        verdict = Verdict.CUSTOMER if c > p else Verdict.PROVIDER
        return verdict, party_confidence(top, second)
    top, second = max(c, p), min(c, p)
    if m >= W.min_evidence and m >= W.mutual_ratio * top:
        confidence = (
            W.mutual_confidence_base
            + W.mutual_strength_weight * min(1.0, m / W.strong_score)
            + W.mutual_share_weight * (m / (m + top))
        )
        return Verdict.SHARED, min(W.shared_confidence_cap, confidence)
    if second >= W.min_evidence and second >= W.shared_ratio * top:
        balance = second / top
        confidence = (
            W.balance_confidence_base
            + W.balance_weight * balance
            + W.balance_strength_weight * min(1.0, second / W.strong_score)
        )
        return Verdict.SHARED, min(W.shared_confidence_cap, confidence)
    verdict = Verdict.CUSTOMER if c > p else Verdict.PROVIDER
    return verdict, party_confidence(top, second + W.mutual_against_winner * m)


def party_confidence(top: float, second: float) -> float:
    """Surer the wider the margin between the two sides and the stronger the winner."""
    margin = (top - second) / (top + second) if top + second > 0 else 0.0
    strength = min(1.0, top / W.strong_score)
    confidence = (
        W.party_confidence_base
        + W.party_margin_weight * margin
        + W.party_strength_weight * strength
    )
    return max(W.confidence_floor, min(W.confidence_cap, confidence))
