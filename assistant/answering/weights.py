"""The numbers the extractive judge decides with, in one place, each with the reason for it.

They were set by hand against the development agreements (and measured not to carry over
perfectly to unseen ones; the learned judge will replace them). Changing one moves eval
figures: rerun `agreements eval` on the samples, dev and check sets before and after.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class JudgeWeights:
    # --- what counts as evidence ------------------------------------------------------------
    # Below this summed weight no party is taken to hold the duty: one weak, passing sentence
    # is not an allocation, and answering "not addressed" is the safer reading.
    min_evidence: float = 0.3
    # A sentence sharing the question's own words (its object: "our app", "regulators") says
    # more than one that only names the topic, so relevance keeps growing with that overlap.
    overlap_weight: float = 0.4
    # Topics after the first are only partly what the question is about.
    secondary_topic_factor: float = 0.3
    # Relevance without one of the topic's own keywords (a heading about the topic, or several
    # related words together) counts half, and question words in it count less than beside one.
    weak_relevance_factor: float = 0.5
    weak_overlap_weight: float = 0.3
    # Two related words (0.35 each) together make a sentence topical, as one keyword does.
    related_together: float = 0.7
    # A question with no known topic can still be matched by its own words: two are needed.
    untopical_min_overlap: int = 2
    untopical_overlap_weight: float = 0.3
    # An obligation's own scope (what must be done) shares this many question words to count
    # as on the topic when no topic keyword is in it.
    scope_min_overlap: int = 2

    # --- how evidence is weighed ------------------------------------------------------------
    # Better-ranked passages weigh more: weight 1 / (1 + rank_decay * rank).
    rank_decay: float = 0.25
    # An obligation's weight grows with its sentence's relevance, from a base, up to a cap, so
    # that one very topical sentence cannot outvote everything else alone.
    relevance_base: float = 0.5
    relevance_slope: float = 0.25
    max_relevance: float = 1.5
    # An obligation whose own scope is off the topic (the sentence is topical elsewhere) is
    # half as telling.
    off_scope_factor: float = 0.5
    # A disclaimer ("we are not responsible for patching your software") leaves the duty with
    # the other party almost as plainly as a duty of theirs would.
    disclaimer_weight: float = 0.8

    # --- from scores to a verdict -----------------------------------------------------------
    # "Shared" when the weaker party has this share of the stronger one's score ...
    shared_ratio: float = 0.65
    # ... or when mutual duties ("each party shall") reach this share of the stronger party.
    mutual_ratio: float = 0.6
    # Mutual duties short of "shared" still narrow the winner's margin, at half weight.
    mutual_against_winner: float = 0.5
    # Confidence: a margin between the parties' scores and the winner's strength, the strength
    # saturating at this score (about two strong, well-ranked duty sentences).
    strong_score: float = 1.5
    party_confidence_base: float = 0.3
    party_margin_weight: float = 0.4
    party_strength_weight: float = 0.25
    confidence_floor: float = 0.05
    confidence_cap: float = 0.95
    shared_confidence_cap: float = 0.9
    # "Shared" by mutual duties: surer the stronger they are and the more of the evidence
    # they make up.
    mutual_confidence_base: float = 0.45
    mutual_strength_weight: float = 0.2
    mutual_share_weight: float = 0.2
    # "Shared" by both parties' duties: surer the more even the two sides are.
    balance_confidence_base: float = 0.35
    balance_weight: float = 0.3
    balance_strength_weight: float = 0.2
    # Abstaining for lack of evidence is said with low confidence; with nothing on the topic
    # at all, abstaining is the safer reading and is said with more.
    abstain_confidence: float = 0.3
    nothing_topical_confidence: float = 0.5
    # A question put to one party whose two sides score equal: that party, barely.
    tie_confidence: float = 0.4

    # --- quoting ------------------------------------------------------------------------------
    max_citations: int = 3
    # Longer "sentences" (run-on lists, table rows) are cited by the clause holding the trigger.
    long_sentence: int = 450
    # Quotes inside the answer sentence are cut here; the citations carry them whole.
    quote_in_text: int = 220


WEIGHTS = JudgeWeights()
